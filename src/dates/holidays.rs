//! The bank holidays of England and Wales in a year, the usual ones with the one-off
//! changes applied, and the list the browser script gets.

use chrono::NaiveDate;

use super::one_off::{apply_change, embedded_one_offs};
use super::usual::usual_bank_holidays;

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
