//! Date arithmetic for procedure deadlines, such as "a meeting should be held
//! within 28 working days of the issue being raised".
//!
//! This module knows the bank holidays of England and Wales (worked out by
//! rule, plus the one-off changes listed in `data/bank-holidays-one-off.txt`),
//! counts working days, calendar days, weeks and months forwards or backwards
//! from an event, and writes the plain-English rule for readers whose browser
//! does not run the page's script. The browser script
//! `themes/default/static/dates.js` does the same arithmetic; it gets its
//! holidays from [`holidays_json`], so the holiday rules live only here, and
//! `tests/dates_agree.rs` checks that the two agree.
//!
//! The rules for the usual bank holidays are today's rules. They are applied
//! to every year, so years before 1978 (when the early May bank holiday began)
//! are not historically accurate; the one-off changes file starts at 1999.
//!
//! Nothing here panics: dates that cannot exist give `None` or are left out.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// The one-off changes file, built into the program.
const ONE_OFF_DATA: &str = include_str!("../../data/bank-holidays-one-off.txt");

/// Years whose bank holidays are kept in a lookup table once first needed.
/// Days outside them still work, only more slowly.
const CACHE_FIRST_YEAR: i32 = 1900;
const CACHE_LAST_YEAR: i32 = 2200;

/// Easter Sunday of `year` in the Gregorian calendar (the "Anonymous
/// Gregorian algorithm", also known as Meeus/Jones/Butcher).
///
/// For a year outside the range `chrono` can represent (beyond about
/// ±262,000) this returns [`NaiveDate::MIN`] or [`NaiveDate::MAX`].
pub fn easter_sunday(year: i32) -> NaiveDate {
    easter_sunday_opt(year).unwrap_or(if year < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

fn easter_sunday_opt(year: i32) -> Option<NaiveDate> {
    // i64 so that no step can overflow, whatever the year.
    let y = i64::from(year);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// The bank holidays of England and Wales in `year`, sorted by date, each
/// with its name: the usual ones worked out by rule, then the one-off changes
/// from `data/bank-holidays-one-off.txt`.
///
/// The usual ones are New Year's Day, Good Friday, Easter Monday, the early
/// May bank holiday (first Monday of May), the spring bank holiday (last
/// Monday of May), the summer bank holiday (last Monday of August), Christmas
/// Day and Boxing Day. When New Year's Day, Christmas Day or Boxing Day falls
/// at a weekend, the next weekday that is not already a holiday is the
/// substitute day.
pub fn bank_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let mut list = usual_bank_holidays(year);
    if let Ok(changes) = embedded_one_offs() {
        for change in changes.iter().filter(|c| c.year() == year) {
            // The embedded file was checked when it was parsed, so this
            // succeeds; a change that could not apply would be skipped.
            let _ = apply_change(&mut list, change);
        }
    }
    list.sort_by_key(|&(date, _)| date);
    list
}

/// The bank holidays given by the usual rules, before one-off changes.
fn usual_bank_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
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

/// A mistake in the one-off changes file, with the line (counted from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "bank holiday changes, line {}: {}",
            self.line, self.message
        )
    }
}

impl std::error::Error for DataError {}

/// Reads one-off bank holiday changes in the format described at the top of
/// `data/bank-holidays-one-off.txt`, and checks that each one makes sense
/// against the usual bank holidays of its year and the changes before it
/// (nothing is added twice, only existing bank holidays are moved or removed).
///
/// # Errors
///
/// A [`DataError`] naming the first line that cannot be read or applied.
pub fn parse_one_offs(text: &str) -> Result<Vec<OneOff<'_>>, DataError> {
    let mut changes = Vec::new();
    // Each year's list as changed so far, to check the next change against.
    let mut years: HashMap<i32, Vec<(NaiveDate, &str)>> = HashMap::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let err = |message: String| DataError { line, message };
        let content = raw.trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let change = parse_line(content).map_err(err)?;
        let list = years
            .entry(change.year())
            .or_insert_with(|| usual_bank_holidays(change.year()));
        apply_change(list, &change).map_err(err)?;
        changes.push(change);
    }
    Ok(changes)
}

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

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    if text.is_empty() {
        return Err("missing date (expected YYYY-MM-DD)".to_string());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a date in the form YYYY-MM-DD"))
}

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
fn apply_change<'a>(
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

/// The embedded changes, parsed once.
fn embedded_one_offs() -> &'static Result<Vec<OneOff<'static>>, DataError> {
    static CHANGES: OnceLock<Result<Vec<OneOff<'static>>, DataError>> = OnceLock::new();
    CHANGES.get_or_init(|| parse_one_offs(ONE_OFF_DATA))
}

/// Checks the built-in one-off changes file. If it had a mistake (the unit
/// tests make sure it has not), [`bank_holidays`] would leave all one-off
/// changes out, so a build may call this to stop with a clear message.
///
/// # Errors
///
/// The [`DataError`] from [`parse_one_offs`] for the built-in file.
pub fn check_one_off_data() -> Result<(), DataError> {
    match embedded_one_offs() {
        Ok(_) => Ok(()),
        Err(e) => Err(e.clone()),
    }
}

/// A flag for each day of the cached years: is it a bank holiday?
struct HolidayTable {
    first_day: i32,
    flags: Vec<bool>,
}

impl HolidayTable {
    fn get() -> &'static HolidayTable {
        static TABLE: OnceLock<HolidayTable> = OnceLock::new();
        TABLE.get_or_init(|| {
            let day_number =
                |year| NaiveDate::from_ymd_opt(year, 1, 1).map_or(0, |d| d.num_days_from_ce());
            let first_day = day_number(CACHE_FIRST_YEAR);
            let len = day_number(CACHE_LAST_YEAR + 1) - first_day;
            let mut flags = vec![false; usize::try_from(len).unwrap_or(0)];
            for year in CACHE_FIRST_YEAR..=CACHE_LAST_YEAR {
                for (date, _) in bank_holidays(year) {
                    let index = usize::try_from(date.num_days_from_ce() - first_day).ok();
                    if let Some(flag) = index.and_then(|i| flags.get_mut(i)) {
                        *flag = true;
                    }
                }
            }
            HolidayTable { first_day, flags }
        })
    }

    /// Whether `date` is a bank holiday, or `None` outside the cached years.
    fn lookup(&self, date: NaiveDate) -> Option<bool> {
        let index = date.num_days_from_ce().checked_sub(self.first_day)?;
        self.flags.get(usize::try_from(index).ok()?).copied()
    }
}

/// Looks up working days, remembering the last year it had to work out
/// outside the cached years.
#[derive(Default)]
struct WorkingDays {
    other_year: Option<(i32, Vec<NaiveDate>)>,
}

impl WorkingDays {
    fn is_working_day(&mut self, date: NaiveDate) -> bool {
        if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            return false;
        }
        if let Some(holiday) = HolidayTable::get().lookup(date) {
            return !holiday;
        }
        let year = date.year();
        let holidays = match &mut self.other_year {
            Some((y, days)) if *y == year => days,
            slot => {
                let days = bank_holidays(year).into_iter().map(|(d, _)| d).collect();
                &mut slot.insert((year, days)).1
            }
        };
        !holidays.contains(&date)
    }
}

/// Whether `date` is a bank holiday in England and Wales.
pub fn is_bank_holiday(date: NaiveDate) -> bool {
    match HolidayTable::get().lookup(date) {
        Some(holiday) => holiday,
        None => bank_holidays(date.year()).iter().any(|&(d, _)| d == date),
    }
}

/// Whether `date` is a working day: Monday to Friday and not a bank holiday
/// in England and Wales.
pub fn is_working_day(date: NaiveDate) -> bool {
    WorkingDays::default().is_working_day(date)
}

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
///   only working days (see [`is_working_day`]); the `amount`th working day
///   reached is the answer. `start` itself is never counted, working or not.
///
/// `None` if the answer is beyond the dates `chrono` can represent.
pub fn shift(start: NaiveDate, amount: u32, unit: Unit, direction: Direction) -> Option<NaiveDate> {
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
            let mut lookup = WorkingDays::default();
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

fn step(date: NaiveDate, days: u64, direction: Direction) -> Option<NaiveDate> {
    match direction {
        Direction::After => date.checked_add_days(Days::new(days)),
        Direction::Before => date.checked_sub_days(Days::new(days)),
    }
}

/// The deadline rule in plain English, for readers whose browser does not
/// run the page's script. `event` is what happens on day 0, phrased to follow
/// "the day", such as "the issue was raised" or "the letter was received".
///
/// - `describe(28, None, WorkingDays, After, "the issue was raised")` gives
///   "28 working days after the day the issue was raised, not counting
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
            text.push_str(", not counting weekends and bank holidays in England and Wales");
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

/// The bank holidays of England and Wales from `from_year` to `to_year`
/// (inclusive), as a compact JSON array of `"YYYY-MM-DD"` strings in date
/// order, for the browser script. Empty (`[]`) if `from_year > to_year`.
pub fn holidays_json(from_year: i32, to_year: i32) -> String {
    let mut json = String::from("[");
    for year in from_year..=to_year {
        for (date, _) in bank_holidays(year) {
            if json.len() > 1 {
                json.push(',');
            }
            json.push('"');
            json.push_str(&date.format("%Y-%m-%d").to_string());
            json.push('"');
        }
    }
    json.push(']');
    json
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn dates_of(year: i32) -> Vec<String> {
        bank_holidays(year)
            .into_iter()
            .map(|(d, _)| d.to_string())
            .collect()
    }

    fn after(start: &str, amount: u32, unit: Unit) -> String {
        shift(date(start), amount, unit, Direction::After)
            .unwrap()
            .to_string()
    }

    fn before(start: &str, amount: u32, unit: Unit) -> String {
        shift(date(start), amount, unit, Direction::Before)
            .unwrap()
            .to_string()
    }

    #[test]
    fn embedded_one_off_file_parses() {
        check_one_off_data().unwrap();
        let changes = parse_one_offs(ONE_OFF_DATA).unwrap();
        assert_eq!(changes.len(), 11);
        assert!(changes.contains(&OneOff::Add {
            date: date("1999-12-31"),
            name: "Millennium celebrations",
        }));
    }

    #[test]
    fn easter_dates() {
        for (year, expected) in [
            (1818, "1818-03-22"), // earliest possible
            (1943, "1943-04-25"), // latest possible
            (2000, "2000-04-23"),
            (2008, "2008-03-23"),
            (2011, "2011-04-24"),
            (2019, "2019-04-21"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2038, "2038-04-25"),
            (2285, "2285-03-22"),
        ] {
            assert_eq!(easter_sunday(year), date(expected), "{year}");
        }
    }

    #[test]
    fn easter_never_panics() {
        for year in [i32::MIN, -262_145, -1, 0, 262_143, i32::MAX] {
            let _ = easter_sunday(year);
        }
        assert_eq!(easter_sunday(i32::MAX), NaiveDate::MAX);
        assert_eq!(easter_sunday(i32::MIN), NaiveDate::MIN);
    }

    #[test]
    fn bank_holidays_2025_as_published() {
        assert_eq!(
            dates_of(2025),
            [
                "2025-01-01",
                "2025-04-18",
                "2025-04-21",
                "2025-05-05",
                "2025-05-26",
                "2025-08-25",
                "2025-12-25",
                "2025-12-26"
            ]
        );
    }

    #[test]
    fn bank_holidays_2026_as_published() {
        assert_eq!(
            dates_of(2026),
            [
                "2026-01-01",
                "2026-04-03",
                "2026-04-06",
                "2026-05-04",
                "2026-05-25",
                "2026-08-31",
                "2026-12-25",
                "2026-12-28"
            ]
        );
        let names: Vec<_> = bank_holidays(2026).into_iter().map(|(_, n)| n).collect();
        assert_eq!(names[7], "Boxing Day (substitute day)");
    }

    #[test]
    fn bank_holidays_2020_with_ve_day() {
        assert_eq!(
            dates_of(2020),
            [
                "2020-01-01",
                "2020-04-10",
                "2020-04-13",
                "2020-05-08",
                "2020-05-25",
                "2020-08-31",
                "2020-12-25",
                "2020-12-28"
            ]
        );
        assert!(
            bank_holidays(2020).contains(&(date("2020-05-08"), "Early May bank holiday (VE day)"))
        );
    }

    #[test]
    fn bank_holidays_2021_christmas_on_saturday() {
        assert_eq!(
            dates_of(2021),
            [
                "2021-01-01",
                "2021-04-02",
                "2021-04-05",
                "2021-05-03",
                "2021-05-31",
                "2021-08-30",
                "2021-12-27",
                "2021-12-28"
            ]
        );
    }

    #[test]
    fn bank_holidays_2022_with_jubilee_and_funeral() {
        assert_eq!(
            dates_of(2022),
            [
                "2022-01-03", // 1 January was a Saturday
                "2022-04-15",
                "2022-04-18",
                "2022-05-02",
                "2022-06-02",
                "2022-06-03",
                "2022-08-29",
                "2022-09-19",
                "2022-12-26", // 25 December was a Sunday
                "2022-12-27"
            ]
        );
    }

    #[test]
    fn bank_holidays_2023_with_coronation() {
        assert_eq!(
            dates_of(2023),
            [
                "2023-01-02", // 1 January was a Sunday
                "2023-04-07",
                "2023-04-10",
                "2023-05-01",
                "2023-05-08",
                "2023-05-29",
                "2023-08-28",
                "2023-12-25",
                "2023-12-26"
            ]
        );
    }

    #[test]
    fn older_one_offs() {
        assert!(dates_of(1999).contains(&"1999-12-31".to_string()));
        let y2002 = dates_of(2002);
        assert!(!y2002.contains(&"2002-05-27".to_string()));
        assert!(y2002.contains(&"2002-06-03".to_string()));
        assert!(y2002.contains(&"2002-06-04".to_string()));
        assert!(dates_of(2011).contains(&"2011-04-29".to_string()));
        let y2012 = dates_of(2012);
        assert!(!y2012.contains(&"2012-05-28".to_string()));
        assert!(y2012.contains(&"2012-06-04".to_string()));
        assert!(y2012.contains(&"2012-06-05".to_string()));
        // An ordinary year keeps the usual 8.
        assert_eq!(dates_of(2013).len(), 8);
    }

    #[test]
    fn no_panics_in_supported_years() {
        for year in 1900..=2200 {
            let list = bank_holidays(year);
            assert!(list.len() >= 8, "{year}");
            assert!(list.iter().all(|(d, _)| d.year() == year));
            assert!(list.windows(2).all(|w| w[0].0 < w[1].0), "{year}");
            assert!(list.iter().all(|&(d, _)| is_bank_holiday(d)));
            assert!(list.iter().all(|&(d, _)| !is_working_day(d)));
        }
        let json = holidays_json(1900, 2200);
        assert!(json.starts_with("[\"1900-01-01\","));
        // Out past the cache and at the ends of chrono's range.
        for year in [1800, 2500, NaiveDate::MAX.year(), NaiveDate::MIN.year()] {
            let _ = bank_holidays(year);
        }
        assert_eq!(
            shift(NaiveDate::MAX, 1, Unit::WorkingDays, Direction::After),
            None
        );
        assert_eq!(
            shift(NaiveDate::MIN, u32::MAX, Unit::Months, Direction::Before),
            None
        );
        assert_eq!(
            shift(
                date("2025-01-01"),
                u32::MAX,
                Unit::WorkingDays,
                Direction::After
            ),
            None
        );
        // Beyond the cached years, holidays are worked out as needed.
        let far = shift(date("2999-12-20"), 10, Unit::WorkingDays, Direction::After).unwrap();
        assert!(is_working_day(far) && far.year() == 3000);
    }

    #[test]
    fn working_days() {
        assert!(is_working_day(date("2025-12-24")));
        assert!(!is_working_day(date("2025-12-25")));
        assert!(!is_working_day(date("2025-12-27"))); // Saturday
        assert!(!is_working_day(date("2022-09-19")));
        assert!(is_working_day(date("2020-05-04"))); // moved away
        assert!(!is_working_day(date("2500-12-25"))); // outside the cache
    }

    #[test]
    fn twenty_eight_working_days_across_christmas() {
        // Issue raised Monday 1 December 2025 (day 0). Counting working days:
        // Tue 2 – Fri 5 Dec: 1–4; Mon 8 – Fri 12: 5–9; Mon 15 – Fri 19: 10–14;
        // Mon 22 – Wed 24: 15–17; Thu 25 and Fri 26 are bank holidays;
        // Mon 29 – Wed 31: 18–20; Thu 1 Jan 2026 is a bank holiday; Fri 2: 21;
        // Mon 5 – Fri 9: 22–26; Mon 12: 27; Tue 13 January 2026: 28.
        assert_eq!(after("2025-12-01", 28, Unit::WorkingDays), "2026-01-13");
        // From Friday 18 December 2026: Mon 21 – Thu 24: 1–4; Fri 25 and
        // Mon 28 (Boxing Day substitute) are bank holidays; Tue 29 – Thu 31:
        // 5–7; Fri 1 Jan is a bank holiday; Mon 4 Jan 2027: 8; ... Fri 8: 12;
        // Mon 11 – Fri 15: 13–17; ... Mon 25 – Fri 29: 23–27; Mon 1 Feb: 28.
        assert_eq!(after("2026-12-18", 28, Unit::WorkingDays), "2027-02-01");
    }

    #[test]
    fn working_days_before() {
        // Friday 2 January 2026. Thu 1 is a holiday; Wed 31: 1; Tue 30: 2;
        // Mon 29: 3; Fri 26 and Thu 25 are holidays; Wed 24: 4; Tue 23: 5.
        assert_eq!(before("2026-01-02", 5, Unit::WorkingDays), "2025-12-23");
        // Monday 9 June 2025 back over a weekend: Fri 6: 1 ... Mon 2: 5.
        assert_eq!(before("2025-06-09", 5, Unit::WorkingDays), "2025-06-02");
        assert_eq!(before("2025-06-09", 1, Unit::WorkingDays), "2025-06-06");
    }

    #[test]
    fn zero_amounts_give_the_start() {
        // 27 December 2025 is a Saturday; an amount of 0 never moves.
        for unit in [
            Unit::CalendarDays,
            Unit::WorkingDays,
            Unit::Weeks,
            Unit::Months,
        ] {
            for direction in [Direction::After, Direction::Before] {
                assert_eq!(
                    shift(date("2025-12-27"), 0, unit, direction),
                    Some(date("2025-12-27"))
                );
            }
        }
        // From a non-working day, 1 working day is the next working day.
        assert_eq!(after("2025-12-25", 1, Unit::WorkingDays), "2025-12-29");
    }

    #[test]
    fn weeks_and_calendar_days() {
        assert_eq!(after("2025-03-10", 2, Unit::Weeks), "2025-03-24");
        assert_eq!(after("2025-03-10", 4, Unit::Weeks), "2025-04-07");
        assert_eq!(before("2025-03-10", 6, Unit::Weeks), "2025-01-27");
        assert_eq!(after("2025-12-20", 28, Unit::CalendarDays), "2026-01-17");
        assert_eq!(before("2024-03-01", 1, Unit::CalendarDays), "2024-02-29");
    }

    #[test]
    fn months_clamp_to_the_end_of_the_month() {
        assert_eq!(after("2025-01-31", 1, Unit::Months), "2025-02-28");
        assert_eq!(after("2024-01-31", 1, Unit::Months), "2024-02-29");
        assert_eq!(after("2025-04-30", 1, Unit::Months), "2025-05-30");
        assert_eq!(after("2025-08-31", 3, Unit::Months), "2025-11-30");
        assert_eq!(after("2025-11-30", 3, Unit::Months), "2026-02-28");
        assert_eq!(after("2025-10-15", 14, Unit::Months), "2026-12-15");
        assert_eq!(before("2025-05-31", 3, Unit::Months), "2025-02-28");
        assert_eq!(before("2025-03-31", 1, Unit::Months), "2025-02-28");
        assert_eq!(before("2025-01-15", 1, Unit::Months), "2024-12-15");
    }

    #[test]
    fn descriptions() {
        use Direction::*;
        use Unit::*;
        assert_eq!(
            describe(28, None, WorkingDays, After, "the issue was raised"),
            "28 working days after the day the issue was raised, \
             not counting weekends and bank holidays in England and Wales"
        );
        assert_eq!(
            describe(2, Some(4), Weeks, After, "the letter was received"),
            "between 2 and 4 weeks after the day the letter was received"
        );
        assert_eq!(
            describe(4, Some(2), Weeks, After, "the letter was received"),
            "between 2 and 4 weeks after the day the letter was received"
        );
        assert_eq!(
            describe(5, None, WorkingDays, Before, "the hearing is held"),
            "at least 5 working days before the day the hearing is held, \
             not counting weekends and bank holidays in England and Wales"
        );
        assert_eq!(
            describe(5, Some(5), CalendarDays, Before, " the meeting is held "),
            "at least 5 calendar days before the day the meeting is held"
        );
        assert_eq!(
            describe(1, None, Weeks, After, "the decision was sent"),
            "1 week after the day the decision was sent"
        );
        assert_eq!(
            describe(1, None, Months, After, "the decision was sent"),
            "1 month after the day the decision was sent \
             (the same date in that month, or its last day if the month is shorter)"
        );
        assert_eq!(
            describe(0, None, WorkingDays, After, "the issue was raised"),
            "on the day the issue was raised"
        );
        assert_eq!(
            describe(0, None, Weeks, Before, "the meeting is held"),
            "on or before the day the meeting is held"
        );
        assert_eq!(
            describe(0, Some(10), WorkingDays, After, "the issue was raised"),
            "no more than 10 working days after the day the issue was raised, \
             not counting weekends and bank holidays in England and Wales"
        );
        assert_eq!(
            describe(3, None, CalendarDays, After, ""),
            "3 calendar days after the day the event happened"
        );
    }

    #[test]
    fn unit_and_direction_names() {
        for unit in [
            Unit::CalendarDays,
            Unit::WorkingDays,
            Unit::Weeks,
            Unit::Months,
        ] {
            assert_eq!(unit.as_str().parse::<Unit>(), Ok(unit));
        }
        assert_eq!("after".parse::<Direction>(), Ok(Direction::After));
        assert_eq!("before".parse::<Direction>(), Ok(Direction::Before));
        assert!("fortnights".parse::<Unit>().is_err());
    }

    #[test]
    fn holidays_json_format() {
        assert_eq!(
            holidays_json(2025, 2025),
            "[\"2025-01-01\",\"2025-04-18\",\"2025-04-21\",\"2025-05-05\",\
             \"2025-05-26\",\"2025-08-25\",\"2025-12-25\",\"2025-12-26\"]"
        );
        assert_eq!(holidays_json(2026, 2025), "[]");
        assert_eq!(holidays_json(2025, 2026).matches(',').count(), 15);
    }

    #[test]
    fn parser_reports_line_numbers() {
        let cases = [
            ("# c\n\nfrobnicate 2025-01-01 x\n", 3, "unknown instruction"),
            ("add 2025-02-30 Nope\n", 1, "not a date"),
            ("add 2025-06-10\n", 1, "missing name"),
            ("add\n", 1, "missing date"),
            ("\nadd 2025-12-25 Again\n", 2, "already a bank holiday"),
            ("move 2025-05-06 2025-05-09 X\n", 1, "not a bank holiday"),
            ("move 2025-12-26 2026-01-02 X\n", 1, "another year"),
            (
                "move 2025-05-05 2025-05-26 X\n",
                1,
                "already a bank holiday",
            ),
            ("remove 2025-06-10\n", 1, "not a bank holiday"),
            ("remove 2025-05-05 extra\n", 1, "unexpected text"),
            (
                "remove 2025-05-05\nremove 2025-05-05\n",
                2,
                "not a bank holiday",
            ),
        ];
        for (text, line, fragment) in cases {
            let err = parse_one_offs(text).unwrap_err();
            assert_eq!(err.line, line, "{text:?}: {err}");
            assert!(err.message.contains(fragment), "{text:?}: {err}");
            assert!(err.to_string().contains(&format!("line {line}")));
        }
    }

    #[test]
    fn parser_reads_all_instructions() {
        let text = "  # indented comment\n\
                    add 2025-06-10   Extra   day  \n\
                    move 2025-05-05 2025-05-09 Moved day\n\
                    remove 2025-08-25\n";
        let changes = parse_one_offs(text).unwrap();
        assert_eq!(
            changes,
            [
                OneOff::Add {
                    date: date("2025-06-10"),
                    name: "Extra   day",
                },
                OneOff::Move {
                    from: date("2025-05-05"),
                    to: date("2025-05-09"),
                    name: "Moved day",
                },
                OneOff::Remove {
                    date: date("2025-08-25"),
                },
            ]
        );
        // Moving a day onto itself (to rename it) is allowed.
        assert!(parse_one_offs("move 2025-05-05 2025-05-05 Renamed\n").is_ok());
    }
}
