//! Deadlines: a number of calendar days, working days, weeks or months after or
//! before an event, and the names units and directions go by in page data.

use std::fmt;
use std::str::FromStr;

use chrono::{Days, Months, NaiveDate};

use super::calendar::Calendar;
use super::working_days::WorkingDays;

/// What a deadline is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    CalendarDays,
    WorkingDays,
    Weeks,
    Months,
}

/// Whether a deadline falls after or before its event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    After,
    Before,
}

impl Unit {
    /// The name used in page data and by the browser script:
    /// `calendar-days`, `working-days`, `weeks` or `months`.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::CalendarDays => "calendar-days",
            Unit::WorkingDays => "working-days",
            Unit::Weeks => "weeks",
            Unit::Months => "months",
        }
    }
}

impl Direction {
    /// The name used in page data and by the browser script: `after` or `before`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::After => "after",
            Direction::Before => "before",
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown unit or direction name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName(pub String);

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown name {:?}", self.0)
    }
}

impl std::error::Error for UnknownName {}

impl FromStr for Unit {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            Unit::CalendarDays,
            Unit::WorkingDays,
            Unit::Weeks,
            Unit::Months,
        ]
        .into_iter()
        .find(|u| u.as_str() == s)
        .ok_or_else(|| UnknownName(s.to_string()))
    }
}

impl FromStr for Direction {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Direction::After, Direction::Before]
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| UnknownName(s.to_string()))
    }
}

/// The day `amount` units after or before `start`, the day of the event.
///
/// The event day is day 0, so an amount of 0 gives `start` itself.
/// - Calendar days: `start` plus or minus `amount` days.
/// - Weeks: `start` plus or minus `7 * amount` days.
/// - Months: the same day of the month `amount` months later or earlier, or
///   the last day of that month if it is shorter (31 January + 1 month is
///   28 or 29 February; 30 April + 1 month is 30 May).
/// - Working days: step one day at a time in the given direction, counting
///   only working days in `calendar` (see [`is_working_day`](super::is_working_day)); the `amount`th
///   working day reached is the answer. `start` itself is never counted, working or not.
///
/// `None` if the answer is beyond the dates `chrono` can represent.
pub fn shift(
    start: NaiveDate,
    amount: u32,
    unit: Unit,
    direction: Direction,
    calendar: Calendar,
) -> Option<NaiveDate> {
    match unit {
        Unit::CalendarDays => step(start, u64::from(amount), direction),
        Unit::Weeks => step(start, 7 * u64::from(amount), direction),
        Unit::Months => match direction {
            Direction::After => start.checked_add_months(Months::new(amount)),
            Direction::Before => start.checked_sub_months(Months::new(amount)),
        },
        Unit::WorkingDays => {
            // N working days take at least N calendar days: give up at once
            // rather than step towards a date that cannot be reached.
            step(start, u64::from(amount), direction)?;
            let mut lookup = WorkingDays::new(calendar);
            let mut day = start;
            let mut left = amount;
            while left > 0 {
                day = step(day, 1, direction)?;
                if lookup.is_working_day(day) {
                    left -= 1;
                }
            }
            Some(day)
        }
    }
}

/// `date` moved `days` days in `direction`.
fn step(date: NaiveDate, days: u64, direction: Direction) -> Option<NaiveDate> {
    match direction {
        Direction::After => date.checked_add_days(Days::new(days)),
        Direction::Before => date.checked_sub_days(Days::new(days)),
    }
}
