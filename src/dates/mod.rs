//! Date arithmetic for procedure deadlines, such as "a meeting should be held
//! within 28 working days of the issue being raised".
//!
//! This module knows the bank holidays of the three calendars of the United
//! Kingdom, England and Wales, Scotland and Northern Ireland (each worked out
//! by rule, plus the one-off changes listed in its file in
//! `data/bank-holidays/`), counts working days, calendar days, weeks and months
//! forwards or backwards from an event, and writes the plain-English rule for
//! readers whose browser does not run the page's script. The browser script
//! `themes/default/static/dates.js` does the same arithmetic; it gets its
//! holidays from [`holidays_table_json`], so the holiday rules live only here,
//! and `tests/dates_agree.rs` checks that the two agree for every calendar.
//!
//! The rules for the usual bank holidays are today's rules. They are applied
//! to every year, so years before 1978 (when the early May bank holiday began)
//! are not historically accurate; the one-off changes files start at 1999.
//!
//! Nothing here panics: dates that cannot exist give `None` or are left out.
//!
//! One job per module, in the order the data flows: `calendar` names the
//! calendars and the years the browser gets, `easter` and `usual`
//! give the usual bank holidays by rule, `one_off` reads the changes to them,
//! `holidays` puts the two together, `working_days` looks days up,
//! `deadline` counts from an event, and `describe` says the rule in words.
//! Everything public is re-exported here, so callers use `crate::dates::…`.

mod calendar;
mod deadline;
mod describe;
mod easter;
mod holidays;
mod one_off;
mod usual;
mod working_days;

pub use calendar::{Calendar, YEARS_AFTER, YEARS_BEFORE, covered_years};
pub use deadline::{Direction, Unit, UnknownName, shift};
pub use describe::{CountedFrom, ENGLAND_AND_WALES, Rule, Whichever, describe};
pub use easter::easter_sunday;
pub use holidays::{bank_holidays, holidays_json, holidays_table_json};
pub use one_off::{DataError, OneOff, check_one_off_data, parse_one_offs};
pub use working_days::{is_bank_holiday, is_working_day};

#[cfg(test)]
mod describe_tests;
#[cfg(test)]
mod published_lists;
#[cfg(test)]
mod tests;
