//! Time limits as a procedure file states them: how long, counted from what,
//! how firm in the procedure's own words, and the published wording.
//!
//! Where the published text leaves something out (the event a limit counts
//! from, or its unit), the file says `not stated` and every view says so, so
//! the site never states a rule the procedure did not make.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::dates::{Direction, Unit, Whichever};

/// A time limit.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    /// What must happen, e.g. `Panel convened`.
    pub what: String,
    /// How long: `2 weeks`, `2-4 weeks`, `28 working days`, `28 days`, `3 months`,
    /// or `30 (unit not stated)` when the procedure gives no unit.
    pub period: Period,
    /// What it counts from: a phrase that reads after "after" (`the letter was received`,
    /// `the Panel's first meeting`); `not stated` when the procedure does not say; or a list
    /// of two or more events when it runs from whichever of them applies.
    #[serde(default)]
    pub after: Option<Start>,
    /// For notice periods: the event it counts back from, e.g. `the meeting`.
    #[serde(default)]
    pub before: Option<String>,
    /// With a list of events in `after`: which of them counts, only if the procedure says so.
    #[serde(default)]
    pub whichever: Option<Whichever>,
    /// Where the start event is the transcriber's reading of the text rather than its words,
    /// what was assumed; shown beside the rule and beside every date worked out from it.
    #[serde(default)]
    pub assumed: Option<String>,
    /// How firm the limit is, as one of a closed set of kinds (for checks and comparison).
    pub strength: Strength,
    /// The procedure's own words for how firm it is, quoted from `wording`,
    /// e.g. `will endeavour to` or `should be no later than`.
    #[serde(default)]
    pub says: Option<String>,
    /// The procedure's own words on when the limit may be extended or set aside, quoted
    /// from `wording`, e.g. `subject to availability of parties concerned`.
    #[serde(default)]
    pub may_change: Option<String>,
    /// Who the procedure says does it.
    #[serde(default)]
    pub who: Option<String>,
    /// The published wording, quoted exactly.
    #[schemars(extend("x-verbatim" = "plain"))]
    pub wording: String,
}

impl Deadline {
    /// Whether the limit counts forwards from its event or back from it.
    pub fn direction(&self) -> Direction {
        match self.before {
            Some(_) => Direction::Before,
            None => Direction::After,
        }
    }

    /// The events the limit may count from, each with the node that decides for it,
    /// in the file's order (none if not stated).
    pub fn events(&self) -> Vec<(&str, Option<&str>)> {
        match (&self.before, &self.after) {
            (Some(before), _) => vec![(before.as_str(), None)],
            (None, Some(Start::Event(event))) => vec![(event.as_str(), None)],
            (None, Some(Start::Either(events))) => events
                .iter()
                .map(|e| (e.event.as_str(), e.via.as_deref()))
                .collect(),
            (None, Some(Start::NotStated) | None) => Vec::new(),
        }
    }
}

/// What a time limit counts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// One event: `the letter was received`.
    Event(String),
    /// The procedure does not say (written `not stated`).
    NotStated,
    /// Whichever of these events applies (written as a list).
    Either(Vec<Alternative>),
}

/// One of the events a time limit may count from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Alternative {
    /// The event, as a phrase that reads after "after": `you learned of them`.
    pub event: String,
    /// The node whose place on the reader's route decides for this event: when the
    /// route passes through it, the guide counts from this event only.
    #[serde(default)]
    pub via: Option<String>,
}

/// An alternative as written: a phrase, or an event with the node that decides for it.
#[derive(Deserialize)]
#[serde(untagged)]
enum AlternativeText {
    Phrase(String),
    Full(Alternative),
}

impl From<AlternativeText> for Alternative {
    fn from(text: AlternativeText) -> Self {
        match text {
            AlternativeText::Phrase(event) => Alternative { event, via: None },
            AlternativeText::Full(alternative) => alternative,
        }
    }
}

/// How `not stated` is written, for `after` and for a period's unit.
pub const NOT_STATED: &str = "not stated";

/// A start as written: one phrase or a list of them.
#[derive(Deserialize)]
#[serde(untagged)]
enum StartText {
    One(String),
    Many(Vec<AlternativeText>),
}

impl<'de> Deserialize<'de> for Start {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match StartText::deserialize(deserializer)? {
            StartText::One(text) if text.trim().eq_ignore_ascii_case(NOT_STATED) => {
                Ok(Start::NotStated)
            }
            StartText::One(text) => Ok(Start::Event(text)),
            StartText::Many(events) => {
                Ok(Start::Either(events.into_iter().map(Into::into).collect()))
            }
        }
    }
}

impl Serialize for Start {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Start::Event(text) => serializer.serialize_str(text),
            Start::NotStated => serializer.serialize_str(NOT_STATED),
            Start::Either(events) if events.iter().all(|e| e.via.is_none()) => {
                serializer.collect_seq(events.iter().map(|e| &e.event))
            }
            Start::Either(events) => events.serialize(serializer),
        }
    }
}

impl JsonSchema for Start {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Start".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "The event a time limit counts from: a phrase such as 'the letter was received', 'not stated', or a list of the events it may run from.",
            "anyOf": [
                { "type": "string", "minLength": 1 },
                {
                    "type": "array",
                    "minItems": 2,
                    "items": {
                        "anyOf": [
                            { "type": "string", "minLength": 1 },
                            {
                                "type": "object",
                                "description": "An event, and the node whose place on the reader's route decides for it.",
                                "properties": {
                                    "event": { "type": "string", "minLength": 1 },
                                    "via": { "type": "string", "description": "A node id: when the reader's route passes through it, the guide counts from this event only." }
                                },
                                "required": ["event"],
                                "additionalProperties": false
                            }
                        ]
                    }
                }
            ]
        })
    }
}

/// How firm a time limit is. The procedure's own words go in `says`; these kinds
/// let `check` and the compare page treat like limits alike, and each is named
/// to readers by the word it stands for, never by an adjective of our own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Strength {
    /// "must".
    Must,
    /// "will", "within" with nothing firmer or softer.
    Will,
    /// "should".
    Should,
    /// "will endeavour to", "aim to", "will seek to".
    Endeavour,
    /// "target".
    Target,
    /// "recommended".
    Recommended,
    /// "no later than", "certainly no later than".
    NoLaterThan,
    /// "at least ... in advance": a minimum notice period.
    AtLeast,
}

impl Strength {
    /// The word the kind stands for, as readers are shown it when the file gives no `says`.
    pub fn word(self) -> &'static str {
        match self {
            Strength::Must => "must",
            Strength::Will => "will",
            Strength::Should => "should",
            Strength::Endeavour => "will endeavour to",
            Strength::Target => "target",
            Strength::Recommended => "recommended",
            Strength::NoLaterThan => "no later than",
            Strength::AtLeast => "at least",
        }
    }
}

/// A length of time: an amount or a range of amounts, in one unit (or none stated).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The amount, or the lower end of a range.
    pub min: u32,
    /// The upper end of a range (`2-4 weeks`), if any.
    pub max: Option<u32>,
    /// The unit the amounts count in; `None` when the procedure does not state one.
    pub unit: Option<Unit>,
}

/// How a period without a unit is written and shown.
const UNIT_NOT_STATED: &str = "(unit not stated)";

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let last = self.max.unwrap_or(self.min);
        let unit = self.unit.map_or(UNIT_NOT_STATED, |u| u.words(last));
        match self.max {
            Some(max) => write!(f, "{}-{max} {unit}", self.min),
            None => write!(f, "{} {unit}", self.min),
        }
    }
}

/// Why a period could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodError(pub String);

impl fmt::Display for PeriodError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Period {
    type Err = PeriodError;

    /// Reads `28 working days`, `2-4 weeks`, `2 – 4 weeks`, `6 weeks`, `1 month`,
    /// `30 (unit not stated)`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let digits_end = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        if digits_end == 0 {
            return Err(PeriodError(format!(
                "cannot read the period '{text}': write a number then a unit, e.g. '2 weeks', '2-4 weeks' or '28 working days'"
            )));
        }
        let min = parse_amount(&text[..digits_end])?;
        if min == 0 {
            return Err(PeriodError(format!(
                "the period '{text}' starts at 0: for 'within 4 weeks' write '4 weeks'"
            )));
        }
        let mut rest = text[digits_end..].trim_start();
        let mut max = None;
        if let Some(after_dash) = rest
            .strip_prefix('-')
            .or_else(|| rest.strip_prefix('–'))
            .or_else(|| rest.strip_prefix("to "))
        {
            let after_dash = after_dash.trim_start();
            let end = after_dash
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after_dash.len());
            if end == 0 {
                return Err(PeriodError(format!(
                    "cannot read the period '{text}': a range needs a second number, e.g. '2-4 weeks'"
                )));
            }
            let upper = parse_amount(&after_dash[..end])?;
            if upper <= min {
                return Err(PeriodError(format!(
                    "the range '{text}' must run from a smaller to a larger number"
                )));
            }
            max = Some(upper);
            rest = after_dash[end..].trim_start();
        }
        let unit = match rest.to_ascii_lowercase().as_str() {
            "day" | "days" | "calendar day" | "calendar days" => Some(Unit::CalendarDays),
            "working day" | "working days" => Some(Unit::WorkingDays),
            "week" | "weeks" => Some(Unit::Weeks),
            "month" | "months" => Some(Unit::Months),
            UNIT_NOT_STATED => None,
            "" => {
                return Err(PeriodError(format!(
                    "the period '{text}' has no unit: add 'days', 'working days', 'weeks' or 'months', or '(unit not stated)' if the procedure gives none"
                )));
            }
            other => {
                return Err(PeriodError(format!(
                    "unknown unit '{other}' in '{text}': use 'days', 'working days', 'weeks' or 'months', or '(unit not stated)'"
                )));
            }
        };
        Ok(Period { min, max, unit })
    }
}

fn parse_amount(digits: &str) -> Result<u32, PeriodError> {
    match digits.parse::<u32>() {
        Ok(n) if n <= 3660 => Ok(n),
        _ => Err(PeriodError(format!(
            "the amount {digits} is too large for a time limit"
        ))),
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Period {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Period".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A number or range then a unit: '2 weeks', '2-4 weeks', '28 working days', '28 days', '3 months', or '30 (unit not stated)'.",
            "pattern": "^\\s*[0-9]+\\s*((-|–|to)\\s*[0-9]+\\s*)?(calendar days?|days?|working days?|weeks?|months?|\\(unit not stated\\))\\s*$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_periods_as_coordinators_write_them() {
        let p: Period = "28 working days".parse().unwrap();
        assert_eq!((p.min, p.max, p.unit), (28, None, Some(Unit::WorkingDays)));
        let p: Period = "2 – 4 weeks".parse().unwrap();
        assert_eq!((p.min, p.max, p.unit), (2, Some(4), Some(Unit::Weeks)));
        let p: Period = "2-4 weeks".parse().unwrap();
        assert_eq!(p.to_string(), "2-4 weeks");
        let p: Period = "1 month".parse().unwrap();
        assert_eq!(p.to_string(), "1 month");
        let p: Period = "28 days".parse().unwrap();
        assert_eq!(p.unit, Some(Unit::CalendarDays));
    }

    #[test]
    fn rejects_periods_it_cannot_read() {
        for bad in [
            "three weeks",
            "2",
            "2 fortnights",
            "4-2 weeks",
            "2- weeks",
            "99999 days",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn periods_read_and_print_in_one_form() {
        for (written, shown) in [
            ("28 working days", "28 working days"),
            ("28 calendar days", "28 days"),
            ("1 day", "1 day"),
            ("2 – 4 weeks", "2-4 weeks"),
            ("1 to 2 months", "1-2 months"),
            ("30 (unit not stated)", "30 (unit not stated)"),
            ("2-4 (unit not stated)", "2-4 (unit not stated)"),
        ] {
            let period: Period = written.parse().expect(written);
            assert_eq!(period.to_string(), shown, "{written}");
        }
    }

    #[test]
    fn a_period_without_a_unit_must_say_so() {
        let err = "30".parse::<Period>().expect_err("no unit");
        assert_eq!(
            err.0,
            "the period '30' has no unit: add 'days', 'working days', 'weeks' or 'months', or '(unit not stated)' if the procedure gives none"
        );
        let err = "0-4 weeks".parse::<Period>().expect_err("zero");
        assert_eq!(
            err.0,
            "the period '0-4 weeks' starts at 0: for 'within 4 weeks' write '4 weeks'"
        );
    }

    #[test]
    fn not_stated_is_a_start_of_its_own() {
        let read = |yaml: &str| serde_yaml_ng_free(yaml);
        assert_eq!(read("\"not stated\""), Start::NotStated);
        assert_eq!(read("\"Not stated\""), Start::NotStated);
        assert_eq!(
            read("\"the letter was received\""),
            Start::Event("the letter was received".into())
        );
        let either = |event: &str, via: Option<&str>| Alternative {
            event: event.into(),
            via: via.map(Into::into),
        };
        assert_eq!(
            read("[\"the events\", \"you learned of them\"]"),
            Start::Either(vec![
                either("the events", None),
                either("you learned of them", None)
            ])
        );
        assert_eq!(
            read("[\"the complaint\", {\"event\": \"the request\", \"via\": \"early\"}]"),
            Start::Either(vec![
                either("the complaint", None),
                either("the request", Some("early"))
            ])
        );
    }

    /// Reads a start from JSON, which the YAML reader hands serde in the same shapes.
    fn serde_yaml_ng_free(json: &str) -> Start {
        serde_json::from_str(json).expect("a start")
    }
}
