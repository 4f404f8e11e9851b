//! Tests of the whole module: Easter, bank holidays as published, the one-off file
//! and its parser, working-day arithmetic and the plain-English rules.

use chrono::{Datelike, NaiveDate};

use super::one_off::one_off_data;
use super::*;

/// The calendar the older tests were written for.
const EW: Calendar = Calendar::EnglandAndWales;

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn dates_of(year: i32) -> Vec<String> {
    bank_holidays(year, EW)
        .into_iter()
        .map(|(d, _)| d.to_string())
        .collect()
}

fn after(start: &str, amount: u32, unit: Unit) -> String {
    shift(date(start), amount, unit, Direction::After, EW)
        .unwrap()
        .to_string()
}

fn before(start: &str, amount: u32, unit: Unit) -> String {
    shift(date(start), amount, unit, Direction::Before, EW)
        .unwrap()
        .to_string()
}

#[test]
fn embedded_one_off_files_parse() {
    check_one_off_data().unwrap();
    let changes = parse_one_offs(one_off_data(EW), EW).unwrap();
    assert_eq!(changes.len(), 11);
    assert!(changes.contains(&OneOff::Add {
        date: date("1999-12-31"),
        name: "Millennium celebrations",
    }));
    let scotland = parse_one_offs(one_off_data(Calendar::Scotland), Calendar::Scotland).unwrap();
    assert!(scotland.contains(&OneOff::Remove {
        date: date("2010-01-04")
    }));
    let ni = parse_one_offs(
        one_off_data(Calendar::NorthernIreland),
        Calendar::NorthernIreland,
    )
    .unwrap();
    assert_eq!(ni.len(), 11);
}

#[test]
fn one_off_mistakes_name_the_calendars_file() {
    // 2 January is a bank holiday in Scotland only.
    let err = parse_one_offs("add 2026-01-02 Again\n", Calendar::Scotland).unwrap_err();
    assert_eq!(
        err.to_string(),
        "data/bank-holidays/scotland.txt, line 1: 2026-01-02 is already a bank holiday (2nd January)"
    );
    assert!(parse_one_offs("add 2026-01-02 Extra\n", EW).is_ok());
}

#[test]
fn calendars_by_name() {
    let names: Vec<_> = Calendar::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(names, ["england-and-wales", "scotland", "northern-ireland"]);
    let places: Vec<_> = Calendar::ALL.iter().map(|c| c.place()).collect();
    assert_eq!(
        places,
        ["England and Wales", "Scotland", "Northern Ireland"]
    );
    assert_eq!(Calendar::default(), EW);
}

#[test]
fn scotland_has_no_easter_monday_and_its_summer_holiday_in_early_august() {
    let scotland = Calendar::Scotland;
    assert!(!is_bank_holiday(date("2026-04-06"), scotland)); // Easter Monday
    assert!(is_bank_holiday(date("2026-04-03"), scotland)); // Good Friday
    assert!(is_bank_holiday(date("2026-08-03"), scotland));
    assert!(!is_bank_holiday(date("2026-08-31"), scotland));
    // St Andrew's Day became a bank holiday in 2007.
    assert!(!is_bank_holiday(date("2006-11-30"), scotland));
    assert!(is_bank_holiday(date("2007-11-30"), scotland));
    // 4 January 2010 was not proclaimed; 4 January 2016 was (2 January a Saturday).
    assert!(is_working_day(date("2010-01-04"), scotland));
    assert!(!is_working_day(date("2016-01-04"), scotland));
}

#[test]
fn twenty_eight_working_days_from_st_andrews_weekend() {
    // From Friday 27 November 2026 (day 0).
    // England and Wales: Mon 30 Nov: 1; Tue 1 – Fri 4 Dec: 2–5; 7–11: 6–10;
    // 14–18: 11–15; Mon 21 – Thu 24: 16–19; Fri 25 and Mon 28 (Boxing Day
    // substitute) are bank holidays; Tue 29 – Thu 31: 20–22; Fri 1 Jan is a
    // bank holiday; Mon 4 – Fri 8 Jan: 23–27; Mon 11 January 2027: 28.
    assert_eq!(after("2026-11-27", 28, Unit::WorkingDays), "2027-01-11");
    // Scotland: Mon 30 Nov is St Andrew's Day; Tue 1 – Fri 4 Dec: 1–4;
    // 7–11: 5–9; 14–18: 10–14; Mon 21 – Thu 24: 15–18; 25 and 28 Dec are
    // bank holidays; Tue 29 – Thu 31: 19–21; Fri 1 Jan and Mon 4 Jan (2nd
    // January's substitute) are bank holidays; Tue 5 – Fri 8: 22–25;
    // Mon 11 – Wed 13 January 2027: 26–28.
    let start = date("2026-11-27");
    let in_scotland = shift(
        start,
        28,
        Unit::WorkingDays,
        Direction::After,
        Calendar::Scotland,
    );
    assert_eq!(in_scotland, Some(date("2027-01-13")));
    // Northern Ireland counts these days as England and Wales does.
    let in_ni = shift(
        start,
        28,
        Unit::WorkingDays,
        Direction::After,
        Calendar::NorthernIreland,
    );
    assert_eq!(in_ni, Some(date("2027-01-11")));
}

#[test]
fn northern_ireland_keeps_st_patricks_day_and_the_twelfth() {
    let ni = Calendar::NorthernIreland;
    // Monday 16 March 2026 + 2 working days: Tue 17 is St Patrick's Day,
    // Wed 18: 1, Thu 19: 2.
    let from = date("2026-03-16");
    assert_eq!(
        shift(from, 2, Unit::WorkingDays, Direction::After, ni),
        Some(date("2026-03-19"))
    );
    assert_eq!(after("2026-03-16", 2, Unit::WorkingDays), "2026-03-18");
    // 12 July 2026 is a Sunday: the substitute day is Monday 13 July.
    assert!(is_bank_holiday(date("2026-07-13"), ni));
    assert!(!is_bank_holiday(date("2026-07-13"), EW));
}

#[test]
fn covered_years_around_the_build() {
    assert_eq!(covered_years(date("2026-11-23")), 2011..=2051);
    assert_eq!(covered_years(date("2026-01-01")), 2011..=2051);
}

#[test]
fn holidays_table_for_the_browser() {
    let json = holidays_table_json(2026..=2026);
    assert!(json.starts_with("{\"firstYear\":2026,\"lastYear\":2026,\"calendars\":{"));
    let table: serde_json::Value = serde_json::from_str(&json).unwrap();
    let days = |name: &str| -> Vec<String> {
        table["calendars"][name]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(days("england-and-wales"), dates_of(2026));
    assert!(days("scotland").contains(&"2026-11-30".to_string()));
    assert!(days("northern-ireland").contains(&"2026-03-17".to_string()));
    assert_eq!(table["calendars"].as_object().unwrap().len(), 3);
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
    let names: Vec<_> = bank_holidays(2026, EW)
        .into_iter()
        .map(|(_, n)| n)
        .collect();
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
        bank_holidays(2020, EW).contains(&(date("2020-05-08"), "Early May bank holiday (VE day)"))
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
        let list = bank_holidays(year, EW);
        assert!(list.len() >= 8, "{year}");
        assert!(list.iter().all(|(d, _)| d.year() == year));
        assert!(list.windows(2).all(|w| w[0].0 < w[1].0), "{year}");
        assert!(list.iter().all(|&(d, _)| is_bank_holiday(d, EW)));
        assert!(list.iter().all(|&(d, _)| !is_working_day(d, EW)));
    }
    let json = holidays_json(EW, 1900..=2200);
    assert!(json.starts_with("[\"1900-01-01\","));
    // Out past the cache and at the ends of chrono's range.
    for year in [1800, 2500, NaiveDate::MAX.year(), NaiveDate::MIN.year()] {
        let _ = bank_holidays(year, EW);
    }
    assert_eq!(
        shift(NaiveDate::MAX, 1, Unit::WorkingDays, Direction::After, EW),
        None
    );
    assert_eq!(
        shift(
            NaiveDate::MIN,
            u32::MAX,
            Unit::Months,
            Direction::Before,
            EW
        ),
        None
    );
    assert_eq!(
        shift(
            date("2025-01-01"),
            u32::MAX,
            Unit::WorkingDays,
            Direction::After,
            EW
        ),
        None
    );
    // Beyond the cached years, holidays are worked out as needed.
    let far = shift(
        date("2999-12-20"),
        10,
        Unit::WorkingDays,
        Direction::After,
        EW,
    )
    .unwrap();
    assert!(is_working_day(far, EW) && far.year() == 3000);
}

#[test]
fn working_days() {
    assert!(is_working_day(date("2025-12-24"), EW));
    assert!(!is_working_day(date("2025-12-25"), EW));
    assert!(!is_working_day(date("2025-12-27"), EW)); // Saturday
    assert!(!is_working_day(date("2022-09-19"), EW));
    assert!(is_working_day(date("2020-05-04"), EW)); // moved away
    assert!(!is_working_day(date("2500-12-25"), EW)); // outside the cache
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
                shift(date("2025-12-27"), 0, unit, direction, EW),
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
        holidays_json(EW, 2025..=2025),
        "[\"2025-01-01\",\"2025-04-18\",\"2025-04-21\",\"2025-05-05\",\
         \"2025-05-26\",\"2025-08-25\",\"2025-12-25\",\"2025-12-26\"]"
    );
    let no_years = std::ops::RangeInclusive::new(2026, 2025);
    assert_eq!(holidays_json(EW, no_years), "[]");
    assert_eq!(holidays_json(EW, 2025..=2026).matches(',').count(), 15);
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
        let err = parse_one_offs(text, EW).unwrap_err();
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
    let changes = parse_one_offs(text, EW).unwrap();
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
    assert!(parse_one_offs("move 2025-05-05 2025-05-05 Renamed\n", EW).is_ok());
}
