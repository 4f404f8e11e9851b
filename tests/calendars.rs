//! The bank-holiday calendar a site or procedure chooses, as a reader meets
//! it: the rule in words and the guide's calculator name the calendar, the
//! calculator is told which calendar's holidays to use, `assets/holidays.js`
//! carries every calendar for the years it covers, and a calendar that does
//! not exist is refused with its place in the file and the names allowed.

mod support;

use std::path::Path;

use scraper::{Html, Selector};

/// Writes `calendar:` into a copy of the repository's site: `site` for the
/// whole site, and `doncaster` for the Doncaster procedure alone.
fn site_with_calendars(site: &str, doncaster: &str) -> tempfile::TempDir {
    let dir = support::copy_of_repo_site();
    let site_yaml = dir.path().join("site.yaml");
    let mut text = std::fs::read_to_string(&site_yaml).expect("site.yaml");
    text.push_str(&format!("calendar: {site}\n"));
    std::fs::write(&site_yaml, text).expect("write site.yaml");
    let procedure = dir.path().join("procedures/doncaster.yaml");
    let text = std::fs::read_to_string(&procedure).expect("doncaster.yaml");
    let text = text.replacen(
        "\narea: Doncaster\n",
        &format!("\narea: Doncaster\ncalendar: {doncaster}\n"),
        1,
    );
    assert!(
        text.contains("calendar: "),
        "the procedure names a calendar"
    );
    std::fs::write(&procedure, text).expect("write doncaster.yaml");
    dir
}

fn page(out: &Path, rel: &str) -> Html {
    let text =
        std::fs::read_to_string(out.join(rel)).unwrap_or_else(|_| panic!("missing page {rel}"));
    Html::parse_document(&text)
}

fn text_of(doc: &Html) -> String {
    doc.root_element().text().collect()
}

/// The calculator's section on a guide result page: its calendar and its words.
fn calculator(doc: &Html) -> (String, String) {
    let selector = Selector::parse("section[data-calculator]").expect("selector");
    let section = doc.select(&selector).next().expect("a calculator");
    let calendar = section
        .value()
        .attr("data-calendar")
        .unwrap_or("")
        .to_string();
    (calendar, section.text().collect())
}

#[test]
fn pages_name_the_calendar_of_the_site_or_of_the_procedure() {
    let site = site_with_calendars("scotland", "northern-ireland");
    let (_dir, out) = support::build_site(site.path(), &[]);

    let doncaster = page(&out, "doncaster/wizard/now/stage-2-third-sector.html");
    assert!(
        text_of(&doncaster).contains(
            "28 working days after the issue was raised with the relevant \
             compact representatives, not counting weekends and bank holidays in \
             Northern Ireland."
        ),
        "the rule names the procedure's own calendar"
    );
    let (calendar, words) = calculator(&doncaster);
    assert_eq!(calendar, "northern-ireland");
    assert!(
        words.contains("Working days leave out weekends and bank holidays in Northern Ireland.")
    );
    let procedure_page = text_of(&page(&out, "doncaster/index.html"));
    assert!(procedure_page.contains("not counting weekends and bank holidays in Northern Ireland"));
    assert!(!procedure_page.contains("England and Wales"));

    // Worcestershire names no calendar, so it follows the site's.
    let (calendar, words) = calculator(&page(&out, "worcestershire/wizard/now/stage-2.html"));
    assert_eq!(calendar, "scotland");
    assert!(words.contains("Working days leave out weekends and bank holidays in Scotland."));
}

#[test]
fn england_and_wales_unless_a_calendar_is_named() {
    let (_dir, out) = support::build_site(&support::repo_root(), &[]);
    let doncaster = page(&out, "doncaster/wizard/now/stage-2-third-sector.html");
    assert!(
        text_of(&doncaster)
            .contains("not counting weekends and bank holidays in England and Wales")
    );
    assert_eq!(calculator(&doncaster).0, "england-and-wales");

    // The guide's table: the years around the build's day, every calendar.
    let script = std::fs::read_to_string(out.join("assets/holidays.js")).expect("holidays.js");
    let json = script
        .strip_prefix("window.WaymarkHolidays = ")
        .and_then(|s| s.strip_suffix(";\n"))
        .expect("holidays.js sets window.WaymarkHolidays");
    let table: serde_json::Value = serde_json::from_str(json).expect("JSON");
    assert_eq!(table["firstYear"], 2011, "15 years before the build");
    assert_eq!(table["lastYear"], 2051, "25 years after the build");
    let has = |calendar: &str, day: &str| {
        table["calendars"][calendar]
            .as_array()
            .expect("a list of days")
            .iter()
            .any(|d| d == day)
    };
    assert!(has("scotland", "2026-11-30"), "St Andrew's Day");
    assert!(!has("england-and-wales", "2026-11-30"));
    assert!(
        has("northern-ireland", "2026-07-13"),
        "the Twelfth's substitute"
    );
    assert!(has("england-and-wales", "2026-04-06"), "Easter Monday");
    assert!(!has("scotland", "2026-04-06"));
    assert!(has("scotland", "2011-01-03") && has("scotland", "2051-12-26"));
    assert!(!has("scotland", "2010-12-27") && !has("scotland", "2052-01-01"));
}

#[test]
fn an_unknown_calendar_is_refused_where_it_is_written() {
    let site = site_with_calendars("Scotland", "wales");
    let root = site.path().to_str().expect("utf-8 path");
    let (code, stdout, stderr) = support::run(&["check", "--root", root, "--today", "2026-11-23"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    let all = format!("{stdout}{stderr}");
    assert!(
        all.contains(
            "procedures/doncaster.yaml:6:11: error: 'wales' is not allowed here in calendar"
        ),
        "{all}"
    );
    assert!(
        all.contains(
            "error: 'Scotland' is not allowed here in calendar (did you mean 'scotland'?)"
        ),
        "{all}"
    );
    assert!(
        all.contains("hint: write one of: england-and-wales, scotland, northern-ireland"),
        "{all}"
    );
}
