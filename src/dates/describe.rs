//! Deadline rules in plain English, for readers whose browser does not run the
//! page's script.

use super::deadline::{Direction, Unit};

impl Unit {
    /// How a reader is told the unit, for `amount` of them.
    fn words(self, amount: u32) -> &'static str {
        let one = amount == 1;
        match self {
            Unit::CalendarDays if one => "calendar day",
            Unit::CalendarDays => "calendar days",
            Unit::WorkingDays if one => "working day",
            Unit::WorkingDays => "working days",
            Unit::Weeks if one => "week",
            Unit::Weeks => "weeks",
            Unit::Months if one => "month",
            Unit::Months => "months",
        }
    }
}

/// The deadline rule in plain English, for readers whose browser does not
/// run the page's script. `event` is what happens on day 0, phrased to follow
/// "the day", such as "the issue was raised" or "the letter was received";
/// `holidays_in` is the place whose bank holidays working days leave out
/// ([`Calendar::place`](super::Calendar::place)).
///
/// - `describe(28, None, WorkingDays, After, "the issue was raised", "England and Wales")`
///   gives "28 working days after the day the issue was raised, not counting
///   weekends and bank holidays in England and Wales".
/// - `describe(2, Some(4), Weeks, After, ..)` gives "between 2 and 4 weeks after …".
/// - `describe(5, None, WorkingDays, Before, ..)` gives "at least 5 working days before …".
///
/// `amount_max` equal to `amount_min` is the same as `None`; the two are
/// swapped if given the wrong way round.
pub fn describe(
    amount_min: u32,
    amount_max: Option<u32>,
    unit: Unit,
    direction: Direction,
    event: &str,
    holidays_in: &str,
) -> String {
    let event = match event.trim() {
        "" => "the event happened",
        text => text,
    };
    let (low, high) = match amount_max {
        Some(max) => (amount_min.min(max), amount_min.max(max)),
        None => (amount_min, amount_min),
    };
    let way = direction.as_str();
    let amount = if low != high {
        if low == 0 {
            format!("no more than {high} {}", unit.words(high))
        } else {
            format!("between {low} and {high} {}", unit.words(high))
        }
    } else if low == 0 {
        return match direction {
            Direction::After => format!("on the day {event}"),
            Direction::Before => format!("on or before the day {event}"),
        };
    } else {
        match direction {
            Direction::After => format!("{low} {}", unit.words(low)),
            Direction::Before => format!("at least {low} {}", unit.words(low)),
        }
    };
    let mut text = format!("{amount} {way} the day {event}");
    match unit {
        Unit::WorkingDays => {
            text.push_str(", not counting weekends and bank holidays in ");
            text.push_str(holidays_in);
        }
        Unit::Months => {
            text.push_str(
                " (the same date in that month, or its last day if the month is shorter)",
            );
        }
        Unit::CalendarDays | Unit::Weeks => {}
    }
    text
}
