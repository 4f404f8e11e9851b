//! Time expressions ("within 28 working days", "2 – 4 weeks", "every six
//! months") and contact details (phone numbers, e-mail and web addresses,
//! postcodes) as they are written in running text.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Period, Unit};

fn pattern(text: &str) -> Regex {
    Regex::new(text).unwrap_or_else(|_| unreachable!("the pattern {text} is valid"))
}

/// Numbers written as words, as published texts often have them.
const NUMBER_WORDS: [(&str, u32); 16] = [
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("fourteen", 14),
    ("fifteen", 15),
    ("twenty", 20),
    ("thirty", 30),
];

static TIME: LazyLock<Regex> = LazyLock::new(|| {
    let words = NUMBER_WORDS.map(|(w, _)| w).join("|");
    pattern(&format!(
        r"(?i)\b(?P<min>[0-9]{{1,4}}|{words})(?:\s*(?:-|‐|‑|–|—|to)\s*(?P<max>[0-9]{{1,4}}|{words}))?\s+(?P<unit>working\s+days?|business\s+days?|calendar\s+days?|days?|weeks?|weekly|months?|monthly|years?|yearly)\b"
    ))
});

/// A time expression found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeExpression {
    /// Where it is (bytes).
    pub start: usize,
    pub end: usize,
    /// The period it names.
    pub period: Period,
}

/// Every time expression in `text`.
pub fn time_expressions(text: &str) -> Vec<TimeExpression> {
    TIME.captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let min = amount(c.name("min")?.as_str())?;
            let max = c.name("max").and_then(|m| amount(m.as_str()));
            let unit_words = c.name("unit")?.as_str().to_ascii_lowercase();
            let (unit, times) = match unit_words.split_whitespace().next()? {
                "working" | "business" => (Unit::WorkingDays, 1),
                "week" | "weeks" | "weekly" => (Unit::Weeks, 1),
                "month" | "months" | "monthly" => (Unit::Months, 1),
                "year" | "years" | "yearly" => (Unit::Months, 12),
                _ => (Unit::CalendarDays, 1),
            };
            Some(TimeExpression {
                start: whole.start(),
                end: whole.end(),
                period: Period {
                    min: min * times,
                    max: max.map(|m| m * times),
                    unit: Some(unit),
                },
            })
        })
        .collect()
}

fn amount(text: &str) -> Option<u32> {
    text.parse().ok().or_else(|| {
        let lower = text.to_ascii_lowercase();
        NUMBER_WORDS
            .iter()
            .find(|(w, _)| *w == lower)
            .map(|(_, n)| *n)
    })
}

/// What kind of contact detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DetailKind {
    Phone,
    Email,
    Web,
    Postcode,
}

impl DetailKind {
    /// The detail's name in a message.
    pub fn name(self) -> &'static str {
        match self {
            DetailKind::Phone => "phone number",
            DetailKind::Email => "e-mail address",
            DetailKind::Web => "web address",
            DetailKind::Postcode => "postcode",
        }
    }
}

/// A contact detail found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    pub kind: DetailKind,
    /// Where it is (bytes).
    pub start: usize,
    /// As written.
    pub written: String,
    /// In the form two ways of writing it share: digits of a phone number, an
    /// address in lower case without `https://`, `www.` or a closing `/`.
    pub key: String,
}

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"));
static WEB: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r#"(?i)\b(?:https?://|www\.)[a-z0-9\-]+(?:\.[a-z0-9\-]+)+[^\s<>"'()\[\]]*"#)
});
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?:\+[0-9]{1,3}[ \-]?(?:\(0\)[ \-]?)?|\b0|\(0)[0-9][0-9 \-()]{7,15}[0-9]")
});
static POSTCODE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b"));

/// Every contact detail in `text`.
pub fn details(text: &str) -> Vec<Detail> {
    let mut found = Vec::new();
    for m in EMAIL.find_iter(text) {
        let written = m.as_str().trim_end_matches('.');
        found.push(detail(
            DetailKind::Email,
            m.start(),
            written,
            written.to_lowercase(),
        ));
    }
    for m in WEB.find_iter(text) {
        let written = m.as_str().trim_end_matches(['.', ',', ';', ':', '!', '?']);
        found.push(detail(
            DetailKind::Web,
            m.start(),
            written,
            web_key(written),
        ));
    }
    for m in PHONE.find_iter(text) {
        let digits: String = m.as_str().chars().filter(char::is_ascii_digit).collect();
        // A national number has at least ten digits; the last nine are the same
        // however it is written (`01234 567890`, `+44 (0)1234 567890`).
        if (10..=15).contains(&digits.len()) {
            let key = digits[digits.len() - 9..].to_string();
            found.push(detail(DetailKind::Phone, m.start(), m.as_str().trim(), key));
        }
    }
    for m in POSTCODE.find_iter(text) {
        let key = m.as_str().replace(' ', "");
        found.push(detail(DetailKind::Postcode, m.start(), m.as_str(), key));
    }
    found
}

fn detail(kind: DetailKind, start: usize, written: &str, key: String) -> Detail {
    Detail {
        kind,
        start,
        written: written.to_string(),
        key,
    }
}

fn web_key(address: &str) -> String {
    let lower = address.to_lowercase();
    let bare = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let bare = bare.strip_prefix("www.").unwrap_or(bare);
    bare.trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn periods(text: &str) -> Vec<String> {
        time_expressions(text)
            .into_iter()
            .map(|e| format!("{} = {}", &text[e.start..e.end], e.period))
            .collect()
    }

    #[test]
    fn finds_time_expressions_as_published_texts_write_them() {
        assert_eq!(
            periods(
                "within 28 working days, no later than 6 weeks, at least 5 working days in advance"
            ),
            [
                "28 working days = 28 working days",
                "6 weeks = 6 weeks",
                "5 working days = 5 working days"
            ]
        );
        assert_eq!(periods("within 2 – 4 weeks"), ["2 – 4 weeks = 2-4 weeks"]);
        assert_eq!(periods("every six months"), ["six months = 6 months"]);
        assert_eq!(periods("within three weeks"), ["three weeks = 3 weeks"]);
        assert_eq!(periods("once a year, a year later"), Vec::<String>::new());
        assert_eq!(periods("every 2 years"), ["2 years = 24 months"]);
        assert_eq!(periods("on a 6 monthly basis"), ["6 monthly = 6 months"]);
        assert_eq!(
            periods("In 2006 the Compact was agreed"),
            Vec::<String>::new()
        );
    }

    fn keys(text: &str) -> Vec<(DetailKind, String, String)> {
        details(text)
            .into_iter()
            .map(|d| (d.kind, d.written, d.key))
            .collect()
    }

    #[test]
    fn finds_contact_details() {
        use DetailKind::*;
        assert_eq!(
            keys("Call 01905 765432 or +44 (0)1905 765432."),
            [
                (Phone, "01905 765432".into(), "905765432".into()),
                (Phone, "+44 (0)1905 765432".into(), "905765432".into())
            ]
        );
        assert_eq!(
            keys("Write to compact@example.org.uk."),
            [(
                Email,
                "compact@example.org.uk".into(),
                "compact@example.org.uk".into()
            )]
        );
        assert_eq!(
            keys("See www.Example.org/compact/, or https://example.org/compact"),
            [
                (
                    Web,
                    "www.Example.org/compact/".into(),
                    "example.org/compact".into()
                ),
                (
                    Web,
                    "https://example.org/compact".into(),
                    "example.org/compact".into()
                )
            ]
        );
        assert_eq!(
            keys("County Hall, Worcester WR5 2NP"),
            [(Postcode, "WR5 2NP".into(), "WR52NP".into())]
        );
        assert_eq!(keys("In 2006, 28 days, page 12"), []);
    }
}
