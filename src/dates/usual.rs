//! The usual bank holidays of each calendar, worked out by rule for any year,
//! before the one-off changes.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::calendar::Calendar;
use super::easter::easter_sunday_opt;

/// The year St Andrew's Day became a bank holiday in Scotland (St Andrew's
/// Day Bank Holiday (Scotland) Act 2007).
const ST_ANDREWS_DAY_FROM: i32 = 2007;

/// A bank holiday on a fixed date, and its name when a substitute day is held
/// instead because the date falls at a weekend.
struct FixedDay {
    month: u32,
    day: u32,
    name: &'static str,
    substitute: &'static str,
}

const fn fixed(month: u32, day: u32, name: &'static str, substitute: &'static str) -> FixedDay {
    FixedDay {
        month,
        day,
        name,
        substitute,
    }
}

const NEW_YEAR: FixedDay = fixed(1, 1, "New Year's Day", "New Year's Day (substitute day)");
const SECOND_JANUARY: FixedDay = fixed(1, 2, "2nd January", "2nd January (substitute day)");
const ST_PATRICK: FixedDay = fixed(
    3,
    17,
    "St Patrick's Day",
    "St Patrick's Day (substitute day)",
);
const BOYNE: FixedDay = fixed(
    7,
    12,
    "Battle of the Boyne (Orangemen's Day)",
    "Battle of the Boyne (Orangemen's Day) (substitute day)",
);
const ST_ANDREW: FixedDay = fixed(
    11,
    30,
    "St Andrew's Day",
    "St Andrew's Day (substitute day)",
);
const CHRISTMAS: FixedDay = fixed(12, 25, "Christmas Day", "Christmas Day (substitute day)");
const BOXING: FixedDay = fixed(12, 26, "Boxing Day", "Boxing Day (substitute day)");

/// The bank holidays of `calendar` given by the usual rules, before one-off
/// changes, in no particular order.
///
/// All three calendars have New Year's Day, Good Friday, the early May bank
/// holiday (first Monday of May), the spring bank holiday (last Monday of
/// May), Christmas Day and Boxing Day. England and Wales add Easter Monday
/// and the summer bank holiday on the last Monday of August; Northern Ireland
/// adds the same two, St Patrick's Day (17 March) and the Battle of the Boyne
/// (12 July); Scotland adds 2 January, the summer bank holiday on the first
/// Monday of August and St Andrew's Day (30 November).
///
/// A fixed-date holiday that falls at a weekend is held on the next weekday
/// that is not already a bank holiday (the substitute day).
pub(super) fn usual_bank_holidays(year: i32, calendar: Calendar) -> Vec<(NaiveDate, &'static str)> {
    let mut list = Vec::with_capacity(10);
    let mut push = |date: Option<NaiveDate>, name: &'static str| {
        if let Some(date) = date {
            list.push((date, name));
        }
    };
    let ymd = |month, day| NaiveDate::from_ymd_opt(year, month, day);
    let scotland = calendar == Calendar::Scotland;

    let easter = easter_sunday_opt(year);
    push(
        easter.and_then(|d| d.checked_sub_days(Days::new(2))),
        "Good Friday",
    );
    if !scotland {
        push(
            easter.and_then(|d| d.checked_add_days(Days::new(1))),
            "Easter Monday",
        );
    }
    push(first_monday(ymd(5, 1)), "Early May bank holiday");
    push(last_monday(ymd(5, 31)), "Spring bank holiday");
    let summer = if scotland {
        first_monday(ymd(8, 1))
    } else {
        last_monday(ymd(8, 31))
    };
    push(summer, "Summer bank holiday");

    // Each group's substitute days step over one another, so they are worked
    // out together: Christmas Day on a Sunday is followed by Boxing Day on the
    // Monday and Christmas Day's substitute on the Tuesday.
    let new_year: &[FixedDay] = if scotland {
        &[NEW_YEAR, SECOND_JANUARY]
    } else {
        &[NEW_YEAR]
    };
    add_fixed_days(&mut list, year, new_year);
    match calendar {
        Calendar::NorthernIreland => {
            add_fixed_days(&mut list, year, &[ST_PATRICK]);
            add_fixed_days(&mut list, year, &[BOYNE]);
        }
        Calendar::Scotland if year >= ST_ANDREWS_DAY_FROM => {
            add_fixed_days(&mut list, year, &[ST_ANDREW]);
        }
        _ => {}
    }
    add_fixed_days(&mut list, year, &[CHRISTMAS, BOXING]);
    list
}

/// Adds a group of fixed-date holidays: each on its date if that is a
/// weekday, and then, in order, a substitute for each that falls at a
/// weekend, on the first weekday after it that is not yet a bank holiday.
fn add_fixed_days(list: &mut Vec<(NaiveDate, &'static str)>, year: i32, days: &[FixedDay]) {
    let mut at_weekend = Vec::new();
    for day in days {
        let Some(date) = NaiveDate::from_ymd_opt(year, day.month, day.day) else {
            continue;
        };
        if is_weekend(date) {
            at_weekend.push((date, day.substitute));
        } else {
            list.push((date, day.name));
        }
    }
    for (date, name) in at_weekend {
        let mut candidate = date.succ_opt();
        while let Some(day) = candidate {
            if !is_weekend(day) && !list.iter().any(|&(d, _)| d == day) {
                break;
            }
            candidate = day.succ_opt();
        }
        if let Some(day) = candidate {
            list.push((day, name));
        }
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The first Monday on or after `date`.
fn first_monday(date: Option<NaiveDate>) -> Option<NaiveDate> {
    let date = date?;
    let ahead = (7 - date.weekday().num_days_from_monday()) % 7;
    date.checked_add_days(Days::new(u64::from(ahead)))
}

/// The last Monday on or before `date`.
fn last_monday(date: Option<NaiveDate>) -> Option<NaiveDate> {
    let date = date?;
    let back = date.weekday().num_days_from_monday();
    date.checked_sub_days(Days::new(u64::from(back)))
}
