//! The usual bank holidays of England and Wales, worked out by rule for any year,
//! before the one-off changes.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::easter::easter_sunday_opt;

/// The bank holidays given by the usual rules, before one-off changes.
pub(super) fn usual_bank_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let mut list = Vec::with_capacity(8);
    let mut push = |date: Option<NaiveDate>, name: &'static str| {
        if let Some(date) = date {
            list.push((date, name));
        }
    };
    let ymd = |month, day| NaiveDate::from_ymd_opt(year, month, day);

    match ymd(1, 1).map(|d| d.weekday()) {
        Some(Weekday::Sat) => push(ymd(1, 3), "New Year's Day (substitute day)"),
        Some(Weekday::Sun) => push(ymd(1, 2), "New Year's Day (substitute day)"),
        _ => push(ymd(1, 1), "New Year's Day"),
    }

    let easter = easter_sunday_opt(year);
    push(
        easter.and_then(|d| d.checked_sub_days(Days::new(2))),
        "Good Friday",
    );
    push(
        easter.and_then(|d| d.checked_add_days(Days::new(1))),
        "Easter Monday",
    );

    push(first_monday(ymd(5, 1)), "Early May bank holiday");
    push(last_monday(ymd(5, 31)), "Spring bank holiday");
    push(last_monday(ymd(8, 31)), "Summer bank holiday");

    let christmas = "Christmas Day";
    let boxing = "Boxing Day";
    let christmas_sub = "Christmas Day (substitute day)";
    let boxing_sub = "Boxing Day (substitute day)";
    match ymd(12, 25).map(|d| d.weekday()) {
        Some(Weekday::Fri) => {
            push(ymd(12, 25), christmas);
            push(ymd(12, 28), boxing_sub);
        }
        Some(Weekday::Sat) => {
            push(ymd(12, 27), christmas_sub);
            push(ymd(12, 28), boxing_sub);
        }
        Some(Weekday::Sun) => {
            push(ymd(12, 26), boxing);
            push(ymd(12, 27), christmas_sub);
        }
        _ => {
            push(ymd(12, 25), christmas);
            push(ymd(12, 26), boxing);
        }
    }
    list
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
