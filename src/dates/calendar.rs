//! The bank-holiday calendars of the United Kingdom: England and Wales,
//! Scotland and Northern Ireland each have their own bank holidays, so a
//! working day depends on which one a procedure follows.

use std::fmt;
use std::ops::RangeInclusive;

use chrono::{Datelike, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Whose bank holidays a procedure's working days leave out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Calendar {
    /// The bank holidays of England and Wales.
    #[default]
    EnglandAndWales,
    /// The bank holidays of Scotland: 2 January, the first (not the last)
    /// Monday in August and St Andrew's Day, and no Easter Monday.
    Scotland,
    /// The bank holidays of Northern Ireland: those of England and Wales,
    /// with St Patrick's Day and the Battle of the Boyne.
    NorthernIreland,
}

impl Calendar {
    /// Every calendar, in the order the browser's table lists them.
    pub const ALL: [Calendar; 3] = [
        Calendar::EnglandAndWales,
        Calendar::Scotland,
        Calendar::NorthernIreland,
    ];

    /// The name in `site.yaml`, procedure files and the browser's table:
    /// `england-and-wales`, `scotland` or `northern-ireland`.
    pub fn as_str(self) -> &'static str {
        match self {
            Calendar::EnglandAndWales => "england-and-wales",
            Calendar::Scotland => "scotland",
            Calendar::NorthernIreland => "northern-ireland",
        }
    }

    /// The place, as a reader is told it: "bank holidays in Scotland".
    pub fn place(self) -> &'static str {
        match self {
            Calendar::EnglandAndWales => "England and Wales",
            Calendar::Scotland => "Scotland",
            Calendar::NorthernIreland => "Northern Ireland",
        }
    }
}

impl fmt::Display for Calendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How many years before the build's year the browser's table of bank
/// holidays starts: far enough back for an old complaint's dates.
pub const YEARS_BEFORE: i32 = 15;
/// How many years after the build's year the table ends.
pub const YEARS_AFTER: i32 = 25;

/// The years whose bank holidays a site built on `today` carries for the
/// browser (`assets/holidays.js`), first and last included. The guide works
/// out dates only inside them.
pub fn covered_years(today: NaiveDate) -> RangeInclusive<i32> {
    let year = today.year();
    year.saturating_sub(YEARS_BEFORE)..=year.saturating_add(YEARS_AFTER)
}
