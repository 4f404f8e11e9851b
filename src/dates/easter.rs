//! Easter Sunday, which fixes Good Friday and Easter Monday.

use chrono::NaiveDate;

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

/// Easter Sunday of `year`, or `None` outside the dates `chrono` can represent.
pub(super) fn easter_sunday_opt(year: i32) -> Option<NaiveDate> {
    // i64 so that no step can overflow, whatever the year. The one-letter names are
    // the ones the published algorithm uses, so it can be checked step by step.
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
