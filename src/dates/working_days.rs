//! Whether a day is a working day: a weekday that is not a bank holiday, looked up
//! in a table built once for the years deadlines usually fall in.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, Weekday};

use super::holidays::bank_holidays;

/// Years whose bank holidays are kept in a lookup table once first needed.
/// Days outside them still work, only more slowly.
const CACHE_FIRST_YEAR: i32 = 1900;
const CACHE_LAST_YEAR: i32 = 2200;

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
pub(super) struct WorkingDays {
    other_year: Option<(i32, Vec<NaiveDate>)>,
}

impl WorkingDays {
    pub(super) fn is_working_day(&mut self, date: NaiveDate) -> bool {
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
