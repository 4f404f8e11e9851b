//! Contact details: telling whether a phone number, e-mail or web address is
//! well-formed, and turning a published phone number into a `tel:` link.

/// The digits of a phone number written with spaces, hyphens, dots or brackets, keeping a leading `+`.
fn phone_digits(published: &str) -> Option<String> {
    // "+44 (0)1865 ..." marks a trunk 0 that is dropped when dialling from abroad.
    let cleaned = published.replace("(0)", "");
    let trimmed = cleaned.trim();
    let (plus, rest) = match trimmed.strip_prefix('+') {
        Some(rest) => ("+", rest),
        None => ("", trimmed),
    };
    let mut digits = String::from(plus);
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' | '\u{a0}' => {}
            _ => return None,
        }
    }
    let count = digits.len() - plus.len();
    (5..=15).contains(&count).then_some(digits)
}

/// Whether `published` reads as a telephone number.
pub fn is_phone(published: &str) -> bool {
    phone_digits(published).is_some()
}

/// The `tel:` address for a published number: national numbers (leading 0) get
/// the site's country dialling code, e.g. `01993 861000` → `tel:+441993861000`.
pub fn tel_uri(published: &str, dialling_code: &str) -> Option<String> {
    let digits = phone_digits(published)?;
    if digits.starts_with('+') {
        return Some(["tel:", &digits].concat());
    }
    match digits.strip_prefix('0') {
        Some(national) if !national.starts_with('0') && dialling_code.starts_with('+') => {
            Some(["tel:", dialling_code, national].concat())
        }
        _ => Some(["tel:", &digits].concat()),
    }
}

/// Whether `text` looks like an e-mail address: one `@`, a name, a dotted domain, no spaces.
pub fn is_email(text: &str) -> bool {
    let Some((name, domain)) = text.split_once('@') else {
        return false;
    };
    !name.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text
            .chars()
            .any(|c| c.is_whitespace() || c == '<' || c == '>' || c == '"')
}

/// Whether `text` is a complete http(s) address with a host and no spaces.
pub fn is_web_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    let Some(rest) = rest else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    host.contains('.')
        && !host.starts_with('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == ':')
        && !text
            .chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_numbers_get_the_dialling_code() {
        assert_eq!(
            tel_uri("01993 861000", "+44").as_deref(),
            Some("tel:+441993861000")
        );
        assert_eq!(
            tel_uri("01235 520 202", "+44").as_deref(),
            Some("tel:+441235520202")
        );
        assert_eq!(
            tel_uri("07814 372627", "+44").as_deref(),
            Some("tel:+447814372627")
        );
        assert_eq!(
            tel_uri("+44 (0)1865 792422", "+44").as_deref(),
            Some("tel:+441865792422")
        );
        assert_eq!(tel_uri("999", "+44"), None);
    }

    #[test]
    fn refuses_what_is_not_a_number() {
        for bad in ["call us", "01993 86100x", "0", "+", "1234567890123456"] {
            assert!(!is_phone(bad), "{bad}");
        }
    }

    #[test]
    fn recognises_email_addresses() {
        assert!(is_email("tim.leese@staffordshire.gov.uk"));
        for bad in ["tim", "a@b", "a @b.org", "@b.org", "a@b.", "a@@b.org"] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn recognises_web_addresses() {
        assert!(is_web_url(
            "http://www.ncvo-vol.org.uk/compactadvocacy/information/?id=1952"
        ));
        assert!(is_web_url("https://example.org"));
        for bad in [
            "www.cedr-solve.com/compact",
            "javascript:alert(1)",
            "https://",
            "https://exa mple.org",
            "ftp://x.org",
        ] {
            assert!(!is_web_url(bad), "{bad}");
        }
    }
}
