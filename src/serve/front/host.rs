//! Which `Host` header values name this machine, so that only requests for
//! the preview itself are answered (a page on another site cannot reach it
//! through DNS rebinding).

use std::net::IpAddr;

/// The host names that mean this machine for a server bound to `ip`.
pub(super) fn host_names(ip: IpAddr) -> Vec<String> {
    let mut names = vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "[::1]".to_string(),
    ];
    let mut add = |ip: IpAddr| {
        let name = match ip {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => format!("[{v6}]"),
        };
        if !names.contains(&name) {
            names.push(name);
        }
    };
    if ip.is_unspecified() {
        if let Ok(interfaces) = if_addrs::get_if_addrs() {
            for interface in interfaces {
                add(interface.ip());
            }
        }
    } else {
        add(ip);
    }
    names
}

/// Whether a `Host` header value names this machine: one of `names`, or a
/// `*.localhost` name, with or without a port.
pub(super) fn host_allowed(value: &str, names: &[String]) -> bool {
    let value = value.trim().to_ascii_lowercase();
    let (name, port) = if value.starts_with('[') {
        match value.find(']') {
            Some(end) => (&value[..=end], &value[end + 1..]),
            None => return false,
        }
    } else {
        match value.find(':') {
            Some(at) => (&value[..at], &value[at..]),
            None => (value.as_str(), ""),
        }
    };
    let port_ok = port.is_empty()
        || port.strip_prefix(':').is_some_and(|p| {
            !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit())
        });
    let name = name.strip_suffix('.').unwrap_or(name);
    port_ok && (names.iter().any(|n| n == name) || name.ends_with(".localhost"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_this_machine_by_name() {
        let names = host_names("127.0.0.1".parse().unwrap());
        for good in [
            "localhost",
            "localhost:8000",
            "LOCALHOST:8000",
            "127.0.0.1:8000",
            "127.0.0.1",
            "[::1]:8000",
            "[::1]",
            "preview.localhost:8000",
            "localhost.",
        ] {
            assert!(host_allowed(good, &names), "{good}");
        }
        for bad in [
            "evil.example",
            "evil.example:8000",
            "localhost.evil.example",
            "127.0.0.2",
            "[::2]:8000",
            "localhost:80:80",
            "localhost:",
            "localhost:abc",
            "[::1",
            "",
            "192.168.1.10:8000",
        ] {
            assert!(!host_allowed(bad, &names), "{bad}");
        }
        let bound = host_names("192.168.1.10".parse().unwrap());
        assert!(host_allowed("192.168.1.10:8000", &bound));
    }
}
