//! Every sentence [`describe`] can build, each compared with its English written
//! out: each direction, each kind of start (stated, not stated, either of two or
//! three, with and without "whichever"), each unit and "unit not stated", and one,
//! many and a range.

use super::*;

const WD: &str = ", not counting weekends and bank holidays in England and Wales";
const MONTHS: &str = " (the same date in that month, or its last day if the month is shorter)";
const NO_UNIT: &str =
    "; the procedure does not say whether these are days, working days, weeks or months";

fn rule(
    min: u32,
    max: Option<u32>,
    unit: Option<Unit>,
    direction: Direction,
    from: CountedFrom,
) -> String {
    describe(&Rule {
        min,
        max,
        unit,
        direction,
        from,
        holidays: ENGLAND_AND_WALES,
    })
}

/// An amount in a unit: (min, max, unit, the words, what the unit adds at the end).
type Amount = (u32, Option<u32>, Option<Unit>, &'static str, &'static str);

/// The amounts, in every unit.
fn amounts() -> Vec<Amount> {
    use Unit::*;
    vec![
        (1, None, Some(CalendarDays), "1 day", ""),
        (28, None, Some(CalendarDays), "28 days", ""),
        (2, Some(4), Some(CalendarDays), "2 to 4 days", ""),
        (1, None, Some(WorkingDays), "1 working day", WD),
        (10, None, Some(WorkingDays), "10 working days", WD),
        (5, Some(10), Some(WorkingDays), "5 to 10 working days", WD),
        (1, None, Some(Weeks), "1 week", ""),
        (6, None, Some(Weeks), "6 weeks", ""),
        (2, Some(4), Some(Weeks), "2 to 4 weeks", ""),
        (1, None, Some(Months), "1 month", MONTHS),
        (12, None, Some(Months), "12 months", MONTHS),
        (1, Some(3), Some(Months), "1 to 3 months", MONTHS),
        (1, None, None, "1 (unit not stated)", NO_UNIT),
        (30, None, None, "30 (unit not stated)", NO_UNIT),
        (2, Some(4), None, "2 to 4 (unit not stated)", NO_UNIT),
    ]
}

#[test]
fn every_rule_sentence_reads_as_english() {
    let two = ["the events", "you learned of them"];
    let three = [
        "the complaint was received",
        "early resolution ended",
        "you asked for a review",
    ];
    let mut checked = 0;
    for (min, max, unit, words, tail) in amounts() {
        let cases = [
            (
                Direction::After,
                CountedFrom::Event("the letter was received"),
                format!("{words} after the letter was received{tail}"),
            ),
            (
                Direction::After,
                CountedFrom::Event("the Panel's first meeting"),
                format!("{words} after the Panel's first meeting{tail}"),
            ),
            (
                Direction::Before,
                CountedFrom::Event("the meeting"),
                format!("{words} before the meeting{tail}"),
            ),
            (
                Direction::After,
                CountedFrom::NotStated,
                format!("{words}, counted from an event the procedure does not state{tail}"),
            ),
            (
                Direction::After,
                CountedFrom::Either(&two, None, false),
                format!(
                    "{words} after the events or after you learned of them (the procedure does not say which counts if more than one applies){tail}"
                ),
            ),
            (
                Direction::After,
                CountedFrom::Either(&two, Some(Whichever::Later), false),
                format!(
                    "{words} after the events or after you learned of them, whichever is later{tail}"
                ),
            ),
            (
                Direction::After,
                CountedFrom::Either(&two, Some(Whichever::Earlier), false),
                format!(
                    "{words} after the events or after you learned of them, whichever is earlier{tail}"
                ),
            ),
            (
                Direction::After,
                CountedFrom::Either(&two, None, true),
                format!(
                    "{words} after the events or after you learned of them, depending on the way your case went{tail}"
                ),
            ),
            (
                Direction::After,
                CountedFrom::Either(&three, Some(Whichever::Later), false),
                format!(
                    "{words} after the complaint was received, after early resolution ended or after you asked for a review, whichever is later{tail}"
                ),
            ),
        ];
        for (direction, from, expected) in cases {
            assert_eq!(rule(min, max, unit, direction, from), expected);
            checked += 1;
        }
    }
    assert_eq!(checked, 15 * 9);
}

#[test]
fn a_few_sentences_in_full() {
    assert_eq!(
        rule(
            28,
            None,
            Some(Unit::WorkingDays),
            Direction::After,
            CountedFrom::Event("the issue was raised with the relevant compact representatives")
        ),
        "28 working days after the issue was raised with the relevant compact representatives, \
         not counting weekends and bank holidays in England and Wales"
    );
    assert_eq!(
        rule(
            5,
            None,
            Some(Unit::WorkingDays),
            Direction::Before,
            CountedFrom::Event("the meeting")
        ),
        "5 working days before the meeting, not counting weekends and bank holidays in England and Wales"
    );
    assert_eq!(
        rule(
            28,
            None,
            Some(Unit::CalendarDays),
            Direction::After,
            CountedFrom::NotStated
        ),
        "28 days, counted from an event the procedure does not state"
    );
    assert_eq!(
        rule(
            2,
            Some(4),
            Some(Unit::Weeks),
            Direction::After,
            CountedFrom::Event(
                "the NI 7 working group received the Compact Resolution Enquiry Form"
            )
        ),
        "2 to 4 weeks after the NI 7 working group received the Compact Resolution Enquiry Form"
    );
}

#[test]
fn the_holiday_words_are_the_callers() {
    let text = describe(&Rule {
        min: 3,
        max: None,
        unit: Some(Unit::WorkingDays),
        direction: Direction::After,
        from: CountedFrom::Event("the form was sent"),
        holidays: "bank holidays in Scotland",
    });
    assert_eq!(
        text,
        "3 working days after the form was sent, not counting weekends and bank holidays in Scotland"
    );
}
