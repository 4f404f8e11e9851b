//! Whether a day is a working day in a calendar: a weekday that is not one of
//! its bank holidays, looked up in a table built once for the years deadlines
//! usually fall in.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, Weekday};

use super::calendar::Calendar;
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
    /// The table of `calendar`, built the first time it is needed.
    fn get(calendar: Calendar) -> &'static HolidayTable {
        static TABLES: [OnceLock<HolidayTable>; 3] =
            [OnceLock::new(), OnceLock::new(), OnceLock::new()];
        let slot = match calendar {
            Calendar::EnglandAndWales => &TABLES[0],
            Calendar::Scotland => &TABLES[1],
            Calendar::NorthernIreland => &TABLES[2],
        };
        slot.get_or_init(|| HolidayTable::build(calendar))
    }

    fn build(calendar: Calendar) -> HolidayTable {
        let day_number =
            |year| NaiveDate::from_ymd_opt(year, 1, 1).map_or(0, |d| d.num_days_from_ce());
        let first_day = day_number(CACHE_FIRST_YEAR);
        let len = day_number(CACHE_LAST_YEAR + 1) - first_day;
        let mut flags = vec![false; usize::try_from(len).unwrap_or(0)];
        for year in CACHE_FIRST_YEAR..=CACHE_LAST_YEAR {
            for (date, _) in bank_holidays(year, calendar) {
                let index = usize::try_from(date.num_days_from_ce() - first_day).ok();
                if let Some(flag) = index.and_then(|i| flags.get_mut(i)) {
                    *flag = true;
                }
            }
        }
        HolidayTable { first_day, flags }
    }

    /// Whether `date` is a bank holiday, or `None` outside the cached years.
    fn lookup(&self, date: NaiveDate) -> Option<bool> {
        let index = date.num_days_from_ce().checked_sub(self.first_day)?;
        self.flags.get(usize::try_from(index).ok()?).copied()
    }
}

/// Looks up working days in one calendar, remembering the last year it had
/// to work out outside the cached years.
pub(super) struct WorkingDays {
    calendar: Calendar,
    other_year: Option<(i32, Vec<NaiveDate>)>,
}

impl WorkingDays {
    pub(super) fn new(calendar: Calendar) -> Self {
        WorkingDays {
            calendar,
            other_year: None,
        }
    }

    pub(super) fn is_working_day(&mut self, date: NaiveDate) -> bool {
        if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            return false;
        }
        if let Some(holiday) = HolidayTable::get(self.calendar).lookup(date) {
            return !holiday;
        }
        let year = date.year();
        let calendar = self.calendar;
        let holidays = match &mut self.other_year {
            Some((y, days)) if *y == year => days,
            slot => {
                let days = bank_holidays(year, calendar)
                    .into_iter()
                    .map(|(d, _)| d)
                    .collect();
                &mut slot.insert((year, days)).1
            }
        };
        !holidays.contains(&date)
    }
}

/// Whether `date` is a bank holiday in `calendar`.
pub fn is_bank_holiday(date: NaiveDate, calendar: Calendar) -> bool {
    match HolidayTable::get(calendar).lookup(date) {
        Some(holiday) => holiday,
        None => bank_holidays(date.year(), calendar)
            .iter()
            .any(|&(d, _)| d == date),
    }
}

/// Whether `date` is a working day: Monday to Friday and not a bank holiday
/// in `calendar`.
pub fn is_working_day(date: NaiveDate, calendar: Calendar) -> bool {
    WorkingDays::new(calendar).is_working_day(date)
}
