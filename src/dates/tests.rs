//! Tests of the whole module: Easter, bank holidays as published, the one-off file
//! and its parser, working-day arithmetic and the plain-English rules.

use chrono::{Datelike, NaiveDate};

use super::one_off::ONE_OFF_DATA;
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
    assert!(bank_holidays(2020).contains(&(date("2020-05-08"), "Early May bank holiday (VE day)")));
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
