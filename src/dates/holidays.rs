//! The bank holidays of a calendar in a year, the usual ones with the one-off
//! changes applied, and the table the browser script gets.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use chrono::NaiveDate;
use serde::Serialize;

use super::calendar::Calendar;
use super::one_off::{apply_change, embedded_one_offs};
use super::usual::usual_bank_holidays;

/// The bank holidays of `calendar` in `year`, sorted by date, each with its
/// name: the usual ones worked out by rule (see `usual.rs`), then the one-off
/// changes from the calendar's file in `data/bank-holidays/`.
pub fn bank_holidays(year: i32, calendar: Calendar) -> Vec<(NaiveDate, &'static str)> {
    let mut list = usual_bank_holidays(year, calendar);
    if let Ok(changes) = embedded_one_offs(calendar) {
        for change in changes.iter().filter(|c| c.year() == year) {
            // The embedded file was checked when it was parsed, so this
            // succeeds; a change that could not apply would be skipped.
            let _ = apply_change(&mut list, change);
        }
    }
    list.sort_by_key(|&(date, _)| date);
    list
}

/// The bank holidays of `calendar` in `years`, as a compact JSON array of
/// `"YYYY-MM-DD"` strings in date order. Empty (`[]`) if the range is empty.
pub fn holidays_json(calendar: Calendar, years: RangeInclusive<i32>) -> String {
    let mut json = String::from("[");
    for year in years {
        for (date, _) in bank_holidays(year, calendar) {
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

/// The table the browser script gets (`assets/holidays.js`): the years it
/// covers, first and last included, and every calendar's bank holidays in
/// them, as compact JSON:
///
/// `{"firstYear":2011,"lastYear":2051,"calendars":{"england-and-wales":["2011-01-03",…],…}}`
///
/// All three calendars are carried whichever a site uses, so that changing a
/// procedure's calendar never needs this file written again.
pub fn holidays_table_json(years: RangeInclusive<i32>) -> String {
    let table = Table {
        first_year: *years.start(),
        last_year: *years.end(),
        calendars: Calendar::ALL
            .into_iter()
            .map(|calendar| {
                let days = years
                    .clone()
                    .flat_map(|year| bank_holidays(year, calendar))
                    .map(|(date, _)| date.format("%Y-%m-%d").to_string())
                    .collect();
                (calendar.as_str(), days)
            })
            .collect(),
    };
    // Strings and numbers only: writing them as JSON cannot fail.
    serde_json::to_string(&table).unwrap_or_default()
}

/// The browser's table of bank holidays, as [`holidays_table_json`] writes it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Table {
    first_year: i32,
    last_year: i32,
    calendars: BTreeMap<&'static str, Vec<String>>,
}
