//! Time limits as pages show them: the rule in words, how firm it is in the
//! procedure's own words, who acts, and what the guide's date calculator needs.
//! The procedure page, the guide, the compare page and any summary all take
//! their words from here, so a time limit reads the same everywhere.

use serde::Serialize;

use crate::dates::{CountedFrom, Rule, describe};
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
    /// The events it may count from, each asked for once (none when not stated), with
    /// the node whose place on the reader's route decides for the event, if any.
    pub(super) events: Vec<(String, Option<String>)>,
    /// When it may count from more than one event: which counts, in words.
    pub(super) either: Option<&'static str>,
    /// Why no date can be worked out, when none can.
    pub(super) no_date: Option<&'static str>,
    /// For a range, each end in words, `|` between: `2 weeks|4 weeks`.
    pub(super) ends: Option<String>,
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
/// `holidays_in` is the place whose bank holidays working days leave out
/// ([`Calendar::place`](crate::dates::Calendar::place)), such as "England and Wales".
pub fn rule_sentence(d: &Deadline, holidays_in: &str) -> String {
    let events: Vec<&str> = d.events().into_iter().map(|(event, _)| event).collect();
    let by_route = d.events().iter().any(|(_, via)| via.is_some());
    let from = match (&d.before, &d.after) {
        (Some(before), _) => CountedFrom::Event(before),
        (None, Some(Start::Event(event))) => CountedFrom::Event(event),
        (None, Some(Start::Either(_))) => CountedFrom::Either(&events, d.whichever, by_route),
        (None, Some(Start::NotStated) | None) => CountedFrom::NotStated,
    };
    describe(&Rule {
        min: d.period.min,
        max: d.period.max,
        unit: d.period.unit,
        direction: d.direction(),
        from,
        holidays: &format!("bank holidays in {holidays_in}"),
    })
}

/// A line of the compare page: what, how long, and how firm in the procedure's words.
pub(super) fn compare_line(d: &Deadline) -> String {
    format!("{}: {} ({})", d.what, d.period, firmness(d))
}

/// A range's two ends in words for the calculator, `2 weeks|4 weeks`; `None` for one amount.
fn range_ends(d: &Deadline) -> Option<String> {
    let (max, unit) = (d.period.max?, d.period.unit?);
    let end = |n: u32| format!("{n} {}", unit.words(n));
    Some(format!("{}|{}", end(d.period.min), end(max)))
}

impl DeadlineView {
    pub(super) fn new(d: &Deadline, holidays_in: &str) -> Self {
        let events: Vec<(String, Option<String>)> = d
            .events()
            .into_iter()
            .map(|(event, via)| (event.to_string(), via.map(str::to_string)))
            .collect();
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
            (Some(Start::Either(events)), None) if events.iter().any(|e| e.via.is_some()) => {
                Some("if your case went the way that counts from this event")
            }
            (Some(Start::Either(_)), None) => Some(
                "if it counts from this event; the procedure does not say which counts if more than one applies",
            ),
            _ => None,
        };
        DeadlineView {
            what: d.what.clone(),
            period: d.period.to_string(),
            rule: rule_sentence(d, holidays_in),
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
            ends: range_ends(d),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deadline(yaml: &str) -> Deadline {
        serde_json::from_str(yaml).expect("a deadline")
    }

    /// Every strength kind, with and without the procedure's own words, and `who`
    /// singular and plural: each compare line, written out.
    #[test]
    fn every_strength_reads_as_the_procedure_put_it() {
        let kinds = [
            ("must", "must"),
            ("will", "will"),
            ("should", "should"),
            ("endeavour", "will endeavour to"),
            ("target", "target"),
            ("recommended", "recommended"),
            ("no-later-than", "no later than"),
            ("at-least", "at least"),
        ];
        for (kind, word) in kinds {
            let plain = deadline(&format!(
                r#"{{"what": "Reply sent", "period": "10 working days", "after": "not stated",
                    "strength": "{kind}", "who": "The Chair", "wording": "We reply within 10 working days."}}"#
            ));
            assert_eq!(
                compare_line(&plain),
                format!("Reply sent: 10 working days ({word})")
            );
            assert_eq!(
                DeadlineView::new(&plain, "England and Wales").strength,
                word
            );
            let quoted = deadline(&format!(
                r#"{{"what": "Reply sent", "period": "10 working days", "after": "not stated",
                    "strength": "{kind}", "says": "we reply within", "who": "Partners",
                    "wording": "We reply within 10 working days."}}"#
            ));
            assert_eq!(
                compare_line(&quoted),
                "Reply sent: 10 working days (“we reply within”)"
            );
        }
    }

    #[test]
    fn who_is_shown_as_written_singular_or_plural_and_never_invented() {
        for who in [
            "The Chair of WCSG",
            "Organisations A and B jointly",
            "Partners",
        ] {
            let d = deadline(&format!(
                r#"{{"what": "Meeting held", "period": "2 weeks", "after": "the letter was received",
                    "strength": "should", "who": "{who}", "wording": "A meeting should be held."}}"#
            ));
            assert_eq!(
                DeadlineView::new(&d, "England and Wales").who.as_deref(),
                Some(who)
            );
        }
        let nobody = deadline(
            r#"{"what": "Meeting held", "period": "2 weeks", "after": "the letter was received",
                "strength": "should", "wording": "A meeting should be held."}"#,
        );
        assert_eq!(DeadlineView::new(&nobody, "England and Wales").who, None);
    }

    #[test]
    fn the_calculator_is_told_why_no_date_can_be_worked_out() {
        let no_start = deadline(
            r#"{"what": "Panel convened", "period": "28 days", "after": "not stated",
                "strength": "will", "wording": "will convene a panel within 28 days"}"#,
        );
        assert_eq!(
            DeadlineView::new(&no_start, "England and Wales").no_date,
            Some("the procedure does not say what it counts from")
        );
        let no_unit = deadline(
            r#"{"what": "Reply sent", "period": "30 (unit not stated)", "after": "the complaint was received",
                "strength": "will", "wording": "We will reply within 30."}"#,
        );
        assert_eq!(
            DeadlineView::new(&no_unit, "England and Wales").no_date,
            Some(
                "the procedure does not say whether it counts days, working days, weeks or months"
            )
        );
        assert_eq!(
            rule_sentence(&no_unit, "England and Wales"),
            "30 (unit not stated) after the complaint was received; the procedure does not say whether these are days, working days, weeks or months"
        );
    }
}
