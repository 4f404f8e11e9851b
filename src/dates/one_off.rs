//! The one-off changes to the usual bank holidays (extra days, moved days, days not
//! held): reads and checks each calendar's file in `data/bank-holidays/`, which
//! is built into the program, and applies a change to a year's list.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};

use super::calendar::Calendar;
use super::usual::usual_bank_holidays;

/// A calendar's one-off changes file, built into the program.
pub(super) fn one_off_data(calendar: Calendar) -> &'static str {
    match calendar {
        Calendar::EnglandAndWales => {
            include_str!("../../data/bank-holidays/england-and-wales.txt")
        }
        Calendar::Scotland => include_str!("../../data/bank-holidays/scotland.txt"),
        Calendar::NorthernIreland => include_str!("../../data/bank-holidays/northern-ireland.txt"),
    }
}

/// One line of the one-off changes file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OneOff<'a> {
    /// `add DATE NAME`: an extra bank holiday.
    Add { date: NaiveDate, name: &'a str },
    /// `move FROM TO NAME`: a usual bank holiday held on another day.
    Move {
        from: NaiveDate,
        to: NaiveDate,
        name: &'a str,
    },
    /// `remove DATE`: a usual bank holiday not held.
    Remove { date: NaiveDate },
}

impl OneOff<'_> {
    /// The year whose list of bank holidays this changes.
    pub fn year(&self) -> i32 {
        match self {
            OneOff::Add { date, .. } | OneOff::Remove { date } => date.year(),
            OneOff::Move { from, .. } => from.year(),
        }
    }
}

/// A mistake in a calendar's one-off changes file, with the line (counted from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    pub calendar: Calendar,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "data/bank-holidays/{}.txt, line {}: {}",
            self.calendar, self.line, self.message
        )
    }
}

impl std::error::Error for DataError {}

/// Reads one-off bank holiday changes to `calendar` in the format described at
/// the top of each file in `data/bank-holidays/`, and checks that each one
/// makes sense against the calendar's usual bank holidays of its year and the
/// changes before it (nothing is added twice, only existing bank holidays are
/// moved or removed).
///
/// # Errors
///
/// A [`DataError`] naming the first line that cannot be read or applied.
pub fn parse_one_offs(text: &str, calendar: Calendar) -> Result<Vec<OneOff<'_>>, DataError> {
    let mut changes = Vec::new();
    // Each year's list as changed so far, to check the next change against.
    let mut years: HashMap<i32, Vec<(NaiveDate, &str)>> = HashMap::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let err = |message: String| DataError {
            calendar,
            line,
            message,
        };
        let content = raw.trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let change = parse_line(content).map_err(err)?;
        let list = years
            .entry(change.year())
            .or_insert_with(|| usual_bank_holidays(change.year(), calendar));
        apply_change(list, &change).map_err(err)?;
        changes.push(change);
    }
    Ok(changes)
}

/// Reads one line that is not blank or a comment.
fn parse_line(content: &str) -> Result<OneOff<'_>, String> {
    let (keyword, rest) = split_word(content);
    match keyword {
        "add" => {
            let (date, name) = split_word(rest);
            Ok(OneOff::Add {
                date: parse_date(date)?,
                name: parse_name(name)?,
            })
        }
        "move" => {
            let (from, rest) = split_word(rest);
            let (to, name) = split_word(rest);
            let (from, to) = (parse_date(from)?, parse_date(to)?);
            if from.year() != to.year() {
                return Err(format!("cannot move {from} into another year ({to})"));
            }
            Ok(OneOff::Move {
                from,
                to,
                name: parse_name(name)?,
            })
        }
        "remove" => {
            let (date, extra) = split_word(rest);
            if !extra.is_empty() {
                return Err(format!("unexpected text after the date: {extra:?}"));
            }
            Ok(OneOff::Remove {
                date: parse_date(date)?,
            })
        }
        other => Err(format!(
            "unknown instruction {other:?} (expected add, move or remove)"
        )),
    }
}

/// The first space-separated word, and the rest with leading spaces removed.
fn split_word(text: &str) -> (&str, &str) {
    match text.split_once(char::is_whitespace) {
        Some((word, rest)) => (word, rest.trim_start()),
        None => (text, ""),
    }
}

/// A date in the form `YYYY-MM-DD`.
fn parse_date(text: &str) -> Result<NaiveDate, String> {
    if text.is_empty() {
        return Err("missing date (expected YYYY-MM-DD)".to_string());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a date in the form YYYY-MM-DD"))
}

/// The name of a holiday: the rest of the line, which must not be empty.
fn parse_name(text: &str) -> Result<&str, String> {
    let name = text.trim();
    if name.is_empty() {
        Err("missing name after the date".to_string())
    } else {
        Ok(name)
    }
}

/// Applies one change to a year's list, or says why it cannot (leaving the
/// list as it was).
pub(super) fn apply_change<'a>(
    list: &mut Vec<(NaiveDate, &'a str)>,
    change: &OneOff<'a>,
) -> Result<(), String> {
    let holiday_on = |list: &[(NaiveDate, &'a str)], date: NaiveDate| {
        list.iter()
            .find(|&&(d, _)| d == date)
            .map(|&(_, name)| name)
    };
    match *change {
        OneOff::Add { date, name } => {
            if let Some(other) = holiday_on(list, date) {
                return Err(format!("{date} is already a bank holiday ({other})"));
            }
            list.push((date, name));
        }
        OneOff::Move { from, to, name } => {
            if let Some(other) = holiday_on(list, to).filter(|_| to != from) {
                return Err(format!("{to} is already a bank holiday ({other})"));
            }
            let Some(slot) = list.iter_mut().find(|(d, _)| *d == from) else {
                return Err(format!("cannot move {from}: it is not a bank holiday"));
            };
            *slot = (to, name);
        }
        OneOff::Remove { date } => {
            let count = list.len();
            list.retain(|&(d, _)| d != date);
            if list.len() == count {
                return Err(format!("cannot remove {date}: it is not a bank holiday"));
            }
        }
    }
    Ok(())
}

/// A calendar's embedded changes, parsed once.
pub(super) fn embedded_one_offs(
    calendar: Calendar,
) -> &'static Result<Vec<OneOff<'static>>, DataError> {
    type Parsed = Result<Vec<OneOff<'static>>, DataError>;
    static CHANGES: [OnceLock<Parsed>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let slot = match calendar {
        Calendar::EnglandAndWales => &CHANGES[0],
        Calendar::Scotland => &CHANGES[1],
        Calendar::NorthernIreland => &CHANGES[2],
    };
    slot.get_or_init(|| parse_one_offs(one_off_data(calendar), calendar))
}

/// Checks the built-in one-off changes files. If one had a mistake (the unit
/// tests make sure none has), [`bank_holidays`](super::bank_holidays) would
/// leave all of that calendar's one-off changes out, so a build may call this
/// to stop with a clear message.
///
/// # Errors
///
/// The first [`DataError`] from [`parse_one_offs`] for a built-in file.
pub fn check_one_off_data() -> Result<(), DataError> {
    for calendar in Calendar::ALL {
        if let Err(e) = embedded_one_offs(calendar) {
            return Err(e.clone());
        }
    }
    Ok(())
}
