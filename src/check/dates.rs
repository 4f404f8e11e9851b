//! Dates: the adoption and review dates read as dates, and the review is not overdue.

use chrono::{Months, NaiveDate};

use crate::check::findings::{At, Findings};
use crate::load::locate::YamlPath;
use crate::model::{Period, Procedure, Unit};

/// Reports unreadable dates, a review date in the future and an overdue review.
pub(super) fn check_dates(p: &Procedure, today: NaiveDate, f: &mut Findings) {
    let root = YamlPath::root();
    if let Some(adopted) = &p.adopted
        && parse_partial_date(adopted).is_none()
    {
        f.error(
            root.key("adopted"),
            At::Value,
            format!("'{adopted}' is not a date"),
            "write YYYY-MM-DD, YYYY-MM or YYYY, e.g. 2006-03".to_string(),
        );
    }
    let Some(reviewed) = &p.last_reviewed else {
        return;
    };
    let Ok(reviewed_on) = NaiveDate::parse_from_str(reviewed, "%Y-%m-%d") else {
        f.error(
            root.key("last_reviewed"),
            At::Value,
            format!("'{reviewed}' is not a date"),
            "write YYYY-MM-DD, e.g. 2026-11-23".to_string(),
        );
        return;
    };
    if reviewed_on > today {
        f.error(
            root.key("last_reviewed"),
            At::Value,
            format!("the last review date {reviewed} is in the future"),
            "write the day the file was last checked against the published procedure".to_string(),
        );
        return;
    }
    let every = p
        .monitoring
        .as_ref()
        .and_then(|m| m.review_every)
        .unwrap_or(Period {
            min: 12,
            max: None,
            unit: Unit::Months,
        });
    if let Some(due) = review_due(reviewed_on, every)
        && due < today
    {
        f.warning(
            root.key("last_reviewed"),
            At::Value,
            format!("the review due on {due} has passed (last reviewed {reviewed}, reviewed every {every})"),
            "check the procedure against its published source, then update last_reviewed".to_string(),
        );
    }
}

/// The day the next review falls due.
fn review_due(reviewed: NaiveDate, every: Period) -> Option<NaiveDate> {
    let amount = every.max.unwrap_or(every.min);
    match every.unit {
        Unit::Months => reviewed.checked_add_months(Months::new(amount)),
        Unit::Weeks => reviewed.checked_add_days(chrono::Days::new(u64::from(amount) * 7)),
        Unit::CalendarDays | Unit::WorkingDays => {
            reviewed.checked_add_days(chrono::Days::new(u64::from(amount)))
        }
    }
}

/// Reads `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, giving the first day it could mean.
pub fn parse_partial_date(text: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = text.split('-').collect();
    let number = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    match parts.as_slice() {
        [y] => NaiveDate::from_ymd_opt(number(y, 4)? as i32, 1, 1),
        [y, m] => NaiveDate::from_ymd_opt(number(y, 4)? as i32, number(m, 2)?, 1),
        [y, m, d] => NaiveDate::from_ymd_opt(number(y, 4)? as i32, number(m, 2)?, number(d, 2)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates() {
        assert_eq!(
            parse_partial_date("2006-03"),
            NaiveDate::from_ymd_opt(2006, 3, 1)
        );
        assert_eq!(
            parse_partial_date("2006"),
            NaiveDate::from_ymd_opt(2006, 1, 1)
        );
        assert!(parse_partial_date("March 2006").is_none());
        assert!(parse_partial_date("2006-13").is_none());
    }
}
