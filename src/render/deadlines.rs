//! Time limits as pages show them: the rule in words, how firm it is in the
//! procedure's own words, who acts, and what the guide's date calculator needs.
//! The procedure page, the guide, the compare page and any summary all take
//! their words from here, so a time limit reads the same everywhere.

use serde::Serialize;

use crate::dates::{CountedFrom, ENGLAND_AND_WALES, Rule, describe};
use crate::model::{Deadline, Start, Strength};

/// One time limit, ready for `deadlines.html` and the guide's calculator.
#[derive(Serialize)]
pub(super) struct DeadlineView {
    pub(super) what: String,
    period: String,
    /// The rule in words, without a closing full stop.
    rule: String,
    /// The kind of strength, by the word it stands for.
    strength: &'static str,
    /// The procedure's own words for how firm it is.
    says: Option<String>,
    /// The procedure's own words on when it may change.
    may_change: Option<String>,
    /// What the transcriber assumed about the start.
    pub(super) assumed: Option<String>,
    who: Option<String>,
    wording: String,
    /// For the date calculator: the amounts, unit and direction as the script reads them.
    pub(super) min: u32,
    pub(super) max: Option<u32>,
    pub(super) unit: Option<&'static str>,
    pub(super) direction: &'static str,
    /// The events it may count from, each asked for once (none when not stated).
    pub(super) events: Vec<String>,
    /// When it may count from more than one event: which counts, in words.
    pub(super) either: Option<&'static str>,
    /// Why no date can be worked out, when none can.
    pub(super) no_date: Option<&'static str>,
}

/// The words for a kind of strength, as readers and the compare page see it.
pub fn strength_words(s: Strength) -> &'static str {
    s.word()
}

/// How firm `d` is: the procedure's own words in quotation marks when the file
/// quotes them, or else the word its kind stands for.
fn firmness(d: &Deadline) -> String {
    match &d.says {
        Some(says) => format!("“{says}”"),
        None => d.strength.word().to_string(),
    }
}

/// The rule of a time limit in plain English, without a closing full stop:
/// "28 working days after the issue was raised, not counting weekends and …".
pub fn rule_sentence(d: &Deadline) -> String {
    let from = match (&d.before, &d.after) {
        (Some(before), _) => CountedFrom::Event(before),
        (None, Some(Start::Event(event))) => CountedFrom::Event(event),
        (None, Some(Start::Either(events))) => CountedFrom::Either(events, d.whichever),
        (None, Some(Start::NotStated) | None) => CountedFrom::NotStated,
    };
    describe(&Rule {
        min: d.period.min,
        max: d.period.max,
        unit: d.period.unit,
        direction: d.direction(),
        from,
        holidays: ENGLAND_AND_WALES,
    })
}

/// A line of the compare page: what, how long, and how firm in the procedure's words.
pub(super) fn compare_line(d: &Deadline) -> String {
    format!("{}: {} ({})", d.what, d.period, firmness(d))
}

impl DeadlineView {
    pub(super) fn new(d: &Deadline) -> Self {
        let events: Vec<String> = d.events().into_iter().map(str::to_string).collect();
        let no_date = if d.period.unit.is_none() {
            Some("the procedure does not say whether it counts days, working days, weeks or months")
        } else if events.is_empty() {
            Some("the procedure does not say what it counts from")
        } else {
            None
        };
        let either = match (&d.after, d.whichever) {
            (Some(Start::Either(_)), Some(crate::dates::Whichever::Later)) => {
                Some("if this is the later of the events")
            }
            (Some(Start::Either(_)), Some(crate::dates::Whichever::Earlier)) => {
                Some("if this is the earlier of the events")
            }
            (Some(Start::Either(_)), None) => Some(
                "if it counts from this event; the procedure does not say which counts if more than one applies",
            ),
            _ => None,
        };
        DeadlineView {
            what: d.what.clone(),
            period: d.period.to_string(),
            rule: rule_sentence(d),
            strength: d.strength.word(),
            says: d.says.clone(),
            may_change: d.may_change.clone(),
            assumed: d.assumed.clone(),
            who: d.who.clone(),
            wording: d.wording.clone(),
            min: d.period.min,
            max: d.period.max,
            unit: d.period.unit.map(|u| u.as_str()),
            direction: d.direction().as_str(),
            events,
            either,
            no_date,
        }
    }
}
