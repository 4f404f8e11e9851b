//! Checks that the browser script `themes/default/static/dates.js` works out
//! the same deadlines as `waymark::dates`, in every calendar, for every start
//! day from 2000-01-01 to 2040-12-31 and several kinds of deadline.
//!
//! The Rust answers go to a temporary file with the table of bank holidays
//! from `holidays_table_json` (what `assets/holidays.js` carries);
//! `tests/js/dates_agree.js` looks each calendar up in it with the script's
//! own `calendar` and recomputes the answers with Node.js.
//! This test needs `node` on PATH and fails if it is missing.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::NaiveDate;
use waymark::dates::{Calendar, Direction, Unit, holidays_table_json, shift};

const KINDS: &[(u32, Unit, Direction)] = &[
    (5, Unit::WorkingDays, Direction::Before),
    (28, Unit::WorkingDays, Direction::After),
    (10, Unit::WorkingDays, Direction::After),
    (1, Unit::WorkingDays, Direction::Before),
    (0, Unit::WorkingDays, Direction::After),
    (2, Unit::Weeks, Direction::After),
    (6, Unit::Weeks, Direction::Before),
    (1, Unit::Months, Direction::After),
    (3, Unit::Months, Direction::Before),
    (28, Unit::CalendarDays, Direction::After),
];

/// Start days from 2000-01-01 to 2040-12-31: 41 years, 11 of them leap years.
const START_DAYS: usize = 41 * 365 + 11;

/// The sanity checks that dates_agree.js runs besides the cases given here.
const FIXED_CHECKS: usize = 17;

/// Removes the temporary file however the test ends.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn browser_script_agrees_with_rust() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dates_js = root.join("themes/default/static/dates.js");
    let checker = root.join("tests/js/dates_agree.js");

    let mut cases = String::with_capacity(8 << 20);
    cases.push_str(&holidays_table_json(1999..=2042));
    cases.push_str("\n[");
    for (i, (amount, unit, direction)) in KINDS.iter().enumerate() {
        let comma = if i == 0 { "" } else { "," };
        write!(cases, "{comma}[{amount},\"{unit}\",\"{direction}\"]").unwrap();
    }
    cases.push_str("]\n");

    let first = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(2040, 12, 31).unwrap();
    for calendar in Calendar::ALL {
        writeln!(cases, "calendar {calendar}").unwrap();
        let mut days = 0;
        for day in first.iter_days().take_while(|d| *d <= last) {
            write!(cases, "{day}").unwrap();
            for &(amount, unit, direction) in KINDS {
                match shift(day, amount, unit, direction, calendar) {
                    Some(answer) => write!(cases, " {answer}").unwrap(),
                    None => cases.push_str(" -"),
                }
            }
            cases.push('\n');
            days += 1;
        }
        assert_eq!(days, START_DAYS);
    }

    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let file = TempFile(std::env::temp_dir().join(format!(
        "waymark-dates-agree-{}-{nanos}.txt",
        std::process::id()
    )));
    std::fs::write(&file.0, &cases).unwrap();

    let output = match Command::new("node")
        .arg(&checker)
        .arg(&dates_js)
        .arg(&file.0)
        .output()
    {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "`node` was not found on PATH. This test runs themes/default/static/dates.js \
             in Node.js to check it against the Rust date arithmetic; install Node.js \
             (v18 or later) to run it."
        ),
        Err(e) => panic!("could not run node: {e}"),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "dates.js disagrees with the Rust module ({}):\n{stdout}{stderr}",
        output.status
    );
    let expected = Calendar::ALL.len() * START_DAYS * KINDS.len() + FIXED_CHECKS;
    let summary = format!("checked {expected} cases, 0 mismatches");
    assert!(
        stdout.lines().any(|line| line == summary),
        "expected {summary:?} from the checker, got:\n{stdout}{stderr}"
    );
}
