//! Deadline rules in plain English: the one sentence the procedure page, the
//! guide without its script, and any summary use to say how a time limit runs.
//!
//! The sentence says only the arithmetic: how long, counted from what. How firm
//! the limit is and who acts are shown beside it in the procedure's own words.
//! What the procedure leaves out (the unit, the start event) is said to be not
//! stated, never filled in.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::deadline::{Direction, Unit};

/// The words for the holidays that working days leave out, for the bank-holiday
/// table this module carries.
pub const ENGLAND_AND_WALES: &str = "bank holidays in England and Wales";

/// Which of several start events counts, when the procedure says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Whichever {
    /// "whichever is later".
    Later,
    /// "whichever is earlier".
    Earlier,
}

/// What a rule counts from, as [`describe`] reads it.
#[derive(Debug, Clone, Copy)]
pub enum CountedFrom<'a> {
    /// One event, phrased to follow "after" or "before": `the letter was received`, `the meeting`.
    Event(&'a str),
    /// The procedure does not say.
    NotStated,
    /// One of these events; `Some` rule only if the procedure gives one. `true` when the
    /// reader's route decides which (the guide then shows only that one).
    Either(&'a [&'a str], Option<Whichever>, bool),
}

/// A time limit's arithmetic, as [`describe`] words it.
#[derive(Debug, Clone, Copy)]
pub struct Rule<'a> {
    /// The amount, or the lower end of a range.
    pub min: u32,
    /// The upper end of a range.
    pub max: Option<u32>,
    /// `None` when the procedure states no unit.
    pub unit: Option<Unit>,
    pub direction: Direction,
    pub from: CountedFrom<'a>,
    /// The holidays working days leave out, such as [`ENGLAND_AND_WALES`].
    pub holidays: &'a str,
}

impl Unit {
    /// How a reader is told the unit, for `amount` of them.
    pub fn words(self, amount: u32) -> &'static str {
        let one = amount == 1;
        match self {
            Unit::CalendarDays if one => "day",
            Unit::CalendarDays => "days",
            Unit::WorkingDays if one => "working day",
            Unit::WorkingDays => "working days",
            Unit::Weeks if one => "week",
            Unit::Weeks => "weeks",
            Unit::Months if one => "month",
            Unit::Months => "months",
        }
    }
}

/// The amount and unit: `28 working days`, `2 to 4 weeks`, `30 (unit not stated)`.
fn amount(rule: &Rule) -> String {
    let last = rule.max.unwrap_or(rule.min);
    let unit = rule.unit.map_or("(unit not stated)", |u| u.words(last));
    match rule.max {
        Some(max) if max != rule.min => format!("{} to {max} {unit}", rule.min),
        _ => format!("{} {unit}", rule.min),
    }
}

/// `after a`, `after a or after b`, `after a, after b or after c`.
fn either_list(events: &[&str], way: &str) -> String {
    let phrases: Vec<String> = events
        .iter()
        .map(|e| format!("{way} {}", e.trim()))
        .collect();
    match phrases.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The rule in plain English, without a closing full stop.
///
/// - 28 working days after "the issue was raised": "28 working days after the issue
///   was raised, not counting weekends and bank holidays in England and Wales".
/// - 2 to 4 weeks after "the form was received": "2 to 4 weeks after the form was received".
/// - 5 working days before "the meeting": "5 working days before the meeting, not counting …".
/// - Not stated: "10 working days, counted from an event the procedure does not state, …".
pub fn describe(rule: &Rule) -> String {
    let way = rule.direction.as_str();
    let mut text = amount(rule);
    match rule.from {
        CountedFrom::Event(event) => {
            text.push(' ');
            text.push_str(&either_list(&[event], way));
        }
        CountedFrom::NotStated => {
            text.push_str(", counted from an event the procedure does not state")
        }
        CountedFrom::Either(events, which, by_route) => {
            text.push(' ');
            text.push_str(&either_list(events, way));
            text.push_str(match (which, by_route) {
                (Some(Whichever::Later), _) => ", whichever is later",
                (Some(Whichever::Earlier), _) => ", whichever is earlier",
                (None, true) => ", depending on the way your case went",
                (None, false) => {
                    " (the procedure does not say which counts if more than one applies)"
                }
            });
        }
    }
    match rule.unit {
        Some(Unit::WorkingDays) => {
            text.push_str(", not counting weekends and ");
            text.push_str(rule.holidays);
        }
        Some(Unit::Months) => {
            text.push_str(" (the same date in that month, or its last day if the month is shorter)")
        }
        Some(Unit::CalendarDays | Unit::Weeks) => {}
        None => text.push_str(
            "; the procedure does not say whether these are days, working days, weeks or months",
        ),
    }
    text
}
