//! Reading a request: its head, within [`Limits::max_head`] bytes and
//! [`Limits::max_header_lines`] headers, parsed with `httparse` and checked
//! (ASCII request line, HTTP/1.0 or 1.1), and the declared length of its
//! body.

use std::io::{ErrorKind, Read};
use std::net::TcpStream;
use std::time::Instant;

use super::Limits;

/// The HTTP version of a request, and of its reply.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Version {
    Http10,
    Http11,
}

/// Why reading stopped.
pub(super) enum Stop {
    /// The client closed, timed out while idle, or the connection was shut.
    Quiet,
    /// The request took too long to arrive.
    Slow,
}

/// Reads into `buf` until `deadline`, at most `most` bytes; `Ok(0)` when the client closed.
pub(super) fn read_some(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    most: usize,
    deadline: Instant,
) -> Result<usize, Stop> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(Stop::Slow);
    }
    let _ = stream.set_read_timeout(Some(left));
    let mut chunk = [0u8; 4096];
    let want = most.min(chunk.len()).max(1);
    loop {
        match stream.read(&mut chunk[..want]) {
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                return Ok(n);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Err(Stop::Slow);
            }
            Err(_) => return Err(Stop::Quiet),
        }
    }
}

/// What the head of a request said, owned, once checked.
pub(super) struct Head {
    pub(super) method: String,
    pub(super) target: String,
    pub(super) version: Version,
    pub(super) if_none_match: Option<String>,
    pub(super) hosts: Vec<String>,
    pub(super) content_lengths: Vec<String>,
    pub(super) chunked_or_other_coding: bool,
    pub(super) connection: String,
}

/// The outcome of reading one request head.
pub(super) enum HeadOutcome {
    Head(Head),
    /// Answer with this status and close.
    Refuse(u16, &'static str),
    Stop(Stop),
}

/// Reads and parses one request head; leaves in `buf` whatever follows it.
pub(super) fn read_head(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    limits: &Limits,
    deadline: Instant,
) -> HeadOutcome {
    loop {
        // The request line must be ASCII; say so as soon as it is not.
        let line_end = memchr::memchr(b'\n', buf).unwrap_or(buf.len());
        if buf[..line_end].iter().any(|b| !b.is_ascii()) {
            return HeadOutcome::Refuse(400, "Bad request.\n");
        }
        let mut headers = vec![httparse::EMPTY_HEADER; limits.max_header_lines];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(buf) {
            Ok(httparse::Status::Complete(end)) => {
                if end > limits.max_head {
                    return HeadOutcome::Refuse(431, "The request's headers are too large.\n");
                }
                let head = owned_head(&request);
                buf.drain(..end);
                return match head {
                    Some(head) => HeadOutcome::Head(head),
                    None => HeadOutcome::Refuse(400, "Bad request.\n"),
                };
            }
            Ok(httparse::Status::Partial) => {
                if buf.len() > limits.max_head {
                    return HeadOutcome::Refuse(431, "The request's headers are too large.\n");
                }
            }
            Err(httparse::Error::TooManyHeaders) => {
                return HeadOutcome::Refuse(431, "The request has too many headers.\n");
            }
            Err(httparse::Error::Version) if other_version(&buf[..line_end]) => {
                return HeadOutcome::Refuse(505, "Only HTTP/1.0 and HTTP/1.1 are spoken here.\n");
            }
            Err(_) => return HeadOutcome::Refuse(400, "Bad request.\n"),
        }
        let room = limits.max_head + 1 - buf.len().min(limits.max_head);
        match read_some(stream, buf, room, deadline) {
            Ok(0) => return HeadOutcome::Stop(Stop::Quiet),
            Ok(_) => {}
            Err(stop) => return HeadOutcome::Stop(stop),
        }
    }
}

/// Whether a request line that httparse refused for its version names a well-formed
/// version of HTTP other than 1.0 and 1.1 (`HTTP/2.0`, `HTTP/3`), which earns 505, not 400.
fn other_version(line: &[u8]) -> bool {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let Some(at) = line.iter().rposition(|b| *b == b' ') else {
        return false;
    };
    let version = &line[at + 1..];
    match version.strip_prefix(b"HTTP/") {
        Some([major, rest @ ..]) => {
            major.is_ascii_digit()
                && (rest.is_empty()
                    || rest.len() >= 2
                        && rest[0] == b'.'
                        && rest[1..].iter().all(u8::is_ascii_digit))
        }
        _ => false,
    }
}

/// Copies what is needed out of a parsed head; `None` when it is not a request to answer.
fn owned_head(request: &httparse::Request) -> Option<Head> {
    let version = match request.version? {
        0 => Version::Http10,
        _ => Version::Http11,
    };
    let mut head = Head {
        method: request.method?.to_string(),
        target: request.path?.to_string(),
        version,
        if_none_match: None,
        hosts: Vec::new(),
        content_lengths: Vec::new(),
        chunked_or_other_coding: false,
        connection: String::new(),
    };
    for header in request.headers.iter() {
        let value = || String::from_utf8_lossy(header.value).trim().to_string();
        let name = header.name;
        if name.eq_ignore_ascii_case("host") {
            head.hosts.push(value());
        } else if name.eq_ignore_ascii_case("content-length") {
            head.content_lengths.push(value());
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            head.chunked_or_other_coding = true;
        } else if name.eq_ignore_ascii_case("connection") {
            if !head.connection.is_empty() {
                head.connection.push(',');
            }
            head.connection.push_str(&value());
        } else if name.eq_ignore_ascii_case("if-none-match") {
            head.if_none_match = Some(value());
        }
    }
    Some(head)
}

/// The body's declared length: every `Content-Length` must be digits and agree.
/// A length too large to count is `u64::MAX`, refused as too large.
pub(super) fn content_length(values: &[String]) -> Result<u64, ()> {
    let mut length = None;
    for value in values {
        for part in value.split(',') {
            let part = part.trim();
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(());
            }
            let n = part.parse::<u64>().unwrap_or(u64::MAX);
            if length.is_some_and(|l| l != n) {
                return Err(());
            }
            length = Some(n);
        }
    }
    Ok(length.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_other_versions_from_garbage() {
        assert!(other_version(b"GET / HTTP/2.0\r"));
        assert!(other_version(b"PRI * HTTP/2.0"));
        assert!(other_version(b"GET / HTTP/3"));
        assert!(!other_version(b"GET / HTTP/x.1"));
        assert!(!other_version(b"GET / FTP/1.0"));
        assert!(!other_version(b"GET / HTTP/2."));
    }

    #[test]
    fn content_lengths_must_be_digits_and_agree() {
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(content_length(&s(&[])), Ok(0));
        assert_eq!(content_length(&s(&["12"])), Ok(12));
        assert_eq!(content_length(&s(&["12", "12"])), Ok(12));
        assert_eq!(content_length(&s(&["12, 12"])), Ok(12));
        assert_eq!(content_length(&s(&["12", "13"])), Err(()));
        assert_eq!(content_length(&s(&["-1"])), Err(()));
        assert_eq!(content_length(&s(&["+1"])), Err(()));
        assert_eq!(
            content_length(&s(&["18446744073709551616000"])),
            Ok(u64::MAX)
        );
    }
}
