//! Dates: the adoption and review dates read as dates, the review is not overdue,
//! and each time limit's parts fit together and quote the published wording.

use chrono::{Months, NaiveDate};

use crate::check::findings::{At, Findings};
use crate::load::locate::YamlPath;
use crate::model::{Deadline, FlatNode, Period, Procedure, Start, Unit};

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
            unit: Some(Unit::Months),
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
    match every.unit? {
        Unit::Months => reviewed.checked_add_months(Months::new(amount)),
        Unit::Weeks => reviewed.checked_add_days(chrono::Days::new(u64::from(amount) * 7)),
        Unit::CalendarDays | Unit::WorkingDays => {
            reviewed.checked_add_days(chrono::Days::new(u64::from(amount)))
        }
    }
}

/// Whether `quote` appears in `wording`, ignoring case and runs of white space.
fn quotes(wording: &str, quote: &str) -> bool {
    let squash = |text: &str| {
        text.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let quote = squash(quote);
    !quote.is_empty() && squash(wording).contains(&quote)
}

/// Reports a time limit whose parts do not fit together: a list of start events
/// that is not a list of two or more, `whichever` without such a list, an
/// assumption about a start that is not stated, and `says` or `may_change`
/// that are not words of the published wording.
pub(super) fn check_deadline(d: &Deadline, at: &YamlPath, f: &mut Findings) {
    match &d.after {
        Some(Start::Either(events)) if events.len() < 2 => f.error(
            at.key("after"),
            At::Value,
            format!(
                "the deadline '{}' lists fewer than two events to count from",
                d.what
            ),
            "write one event as 'after: the letter was received', or list two or more".to_string(),
        ),
        Some(Start::Either(events)) if events.iter().any(|e| e.event.trim().is_empty()) => f.error(
            at.key("after"),
            At::Value,
            format!("the deadline '{}' lists an empty event", d.what),
            "write each event as a phrase, e.g. 'you learned of them'".to_string(),
        ),
        Some(Start::Event(event)) if event.trim().is_empty() => f.error(
            at.key("after"),
            At::Value,
            format!("the deadline '{}' counts from an empty event", d.what),
            "write the event, e.g. 'after: the letter was received', or 'after: not stated'"
                .to_string(),
        ),
        _ => {}
    }
    if d.whichever.is_some() && !matches!(d.after, Some(Start::Either(_))) {
        f.error(
            at.key("whichever"),
            At::Key,
            format!("the deadline '{}' says 'whichever' but counts from one event", d.what),
            "'whichever' chooses between the events listed in 'after'; remove it, or list the events".to_string(),
        );
    }
    if d.assumed.is_some() && matches!(d.after, Some(Start::NotStated)) {
        f.error(
            at.key("assumed"),
            At::Key,
            format!(
                "the deadline '{}' explains an assumption but its start is not stated",
                d.what
            ),
            "'assumed' says why you chose the event in 'after'; with 'after: not stated' remove it"
                .to_string(),
        );
    }
    let quoted = [
        ("says", &d.says, "should be no later than"),
        (
            "may_change",
            &d.may_change,
            "subject to availability of parties concerned",
        ),
    ];
    for (field, quote, example) in quoted {
        if let Some(quote) = quote
            && !quotes(&d.wording, quote)
        {
            f.error(
                at.key(field),
                At::Value,
                format!("'{quote}' is not in the published wording of '{}'", d.what),
                format!("'{field}' quotes words of 'wording' exactly, e.g. '{example}'"),
            );
        }
    }
}

/// Reports an event a time limit may count from whose `via` is not the current id of
/// a node: the guide compares it with the ids on the reader's route.
pub(super) fn check_deadline_vias(
    node: &FlatNode,
    path: &YamlPath,
    known: &super::ids::Known,
    f: &mut Findings,
) {
    for (i, deadline) in node.deadlines.iter().enumerate() {
        let Some(Start::Either(events)) = &deadline.after else {
            continue;
        };
        for (j, alternative) in events.iter().enumerate() {
            let Some(via) = &alternative.via else {
                continue;
            };
            let current = known.aliases.get(via.as_str());
            if known.ids.contains(via.as_str()) && current.is_none() {
                continue;
            }
            let at = path
                .key("deadlines")
                .index(i)
                .key("after")
                .index(j)
                .key("via");
            let hint = match current {
                Some(id) => format!("'{via}' is an old id of '{id}': write '{id}'"),
                None => "write the id of the node whose place on the route decides for this event"
                    .to_string(),
            };
            f.error(
                at,
                At::Value,
                format!("there is no node with the id '{via}'"),
                hint,
            );
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
    fn quotes_ignore_case_and_spacing_but_not_words() {
        let wording = "This should be no later than 8 weeks  from the date";
        assert!(quotes(wording, "Should be no later\nthan"));
        assert!(!quotes(wording, "must be no later than"));
        assert!(!quotes(wording, " "));
    }

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
