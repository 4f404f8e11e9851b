//! Time limits as a reader meets them in the built bundled site: the page says only
//! what the published procedure says (its own words for how firm a limit is, "not
//! stated" where it is silent), and the guide asks for each start date once and
//! works out no date it has no rule for.

mod support;

use std::path::Path;

use scraper::{Html, Selector};

fn page(out: &Path, rel: &str) -> Html {
    let text = std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    Html::parse_document(&text)
}

/// The text of each element `css` selects, white space squashed.
fn texts(doc: &Html, css: &str) -> Vec<String> {
    let selector = Selector::parse(css).expect("selector");
    doc.select(&selector)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Every HTML page of the built site, as (path, visible text).
fn every_page_text(out: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut folders = vec![out.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                let doc = Html::parse_document(&std::fs::read_to_string(&path).expect("page"));
                let text = doc.root_element().text().collect::<String>();
                found.push((path.display().to_string(), text));
            }
        }
    }
    found
}

#[test]
fn no_page_adds_a_claim_or_an_ungrammatical_phrase_about_time() {
    let (_dir, out) = support::build_site(&support::repo_root(), &[]);
    let pages = every_page_text(&out);
    assert!(pages.len() > 20, "the site was built");
    for (path, text) in &pages {
        for phrase in [
            "a firm limit",
            "Responsible:",
            "decides this",
            "after the day",
            "before the day",
            "calendar days",
            "between 2 and 4 weeks",
            "the Chair of WCSG received your letter",
        ] {
            assert!(!text.contains(phrase), "{path} says {phrase:?}");
        }
    }
}

#[test]
fn the_procedure_page_shows_each_limit_in_the_procedures_own_words() {
    let (_dir, out) = support::build_site(&support::repo_root(), &[]);
    let glos = page(&out, "gloucestershire/index.html");
    assert_eq!(
        texts(&glos, ".deadline-what"),
        [
            "Panel convened: 2 weeks after the letter was received by the VCS Assembly Team.",
            "Panel hears from both parties: 6 weeks after the letter was received by the VCS Assembly Team.",
        ]
    );
    assert_eq!(
        texts(&glos, ".deadline-strength"),
        [
            "How firm: the procedure says “will endeavour to”",
            "How firm: the procedure says “certainly no later than”, and “subject to availability of parties concerned”",
        ]
    );
    let worcs = page(&out, "worcestershire/index.html");
    let rules = texts(&worcs, ".deadline-what");
    assert_eq!(
        rules,
        [
            "Conciliation panel convened: 28 days, counted from an event the procedure does not state.",
            "Panel meets: 3 weeks after the Panel was convened by the Chair.",
            "Panel decision and written recommendations: 6 weeks after the Panel's first meeting.",
        ]
    );
    let staffs = page(&out, "staffordshire/index.html");
    assert_eq!(
        texts(&staffs, ".deadline-what")[0],
        "CMG convened: 2 to 4 weeks after the NI 7 working group received the Compact Resolution Enquiry Form."
    );
    assert_eq!(
        texts(&staffs, ".deadline-assumed").len(),
        1,
        "the assumed start is said beside its rule"
    );
    let doncaster = page(&out, "doncaster/index.html");
    assert_eq!(
        texts(&doncaster, ".deadline-who"),
        ["Who acts: Partners"],
        "only the limit whose source names who acts says who acts"
    );
}

#[test]
fn the_compare_page_shows_how_firm_each_limit_is() {
    let (_dir, out) = support::build_site(&support::repo_root(), &[]);
    let compare = page(&out, "compare/index.html");
    let lines = texts(&compare, ".compare-deadlines li");
    assert!(
        lines.contains(
            &"CMG hears from both parties: 8 weeks (“should be no later than”)".to_string()
        ),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"Panel meets: 3 weeks (“Arrange to meet within three weeks”)".to_string()),
        "{lines:?}"
    );
}

#[test]
fn the_guide_asks_for_each_start_date_once_and_counts_nothing_it_has_no_rule_for() {
    let (_dir, out) = support::build_site(&support::repo_root(), &[]);
    let staffs = page(&out, "staffordshire/wizard/now/stage-2.html");
    assert_eq!(
        texts(&staffs, "form.calculator-group legend"),
        ["Counted from: the NI 7 working group received the Compact Resolution Enquiry Form"],
        "one date for both time limits"
    );
    assert_eq!(texts(&staffs, "form.calculator-group [data-unit]").len(), 2);
    let worcs = page(&out, "worcestershire/wizard/now/stage-1.html");
    assert!(
        texts(&worcs, "form.calculator-group").is_empty(),
        "no date field for a limit whose start is not stated"
    );
    let worcs_2 = page(&out, "worcestershire/wizard/now/stage-2.html");
    assert!(
        texts(&worcs_2, ".calculator > p")
            .iter()
            .any(|p| p.contains("The day of the event is day 0, and day 1 is the next day.")),
        "the counting rule is stated where dates are worked out"
    );
    let holidays = std::fs::read_to_string(out.join("assets/holidays.js")).expect("holidays");
    assert!(
        holidays.contains("\"firstYear\":2011,\"lastYear\":2051"),
        "the guide is told which years its bank holidays cover"
    );
}

#[test]
fn the_json_export_carries_what_the_file_says_about_time() {
    let (_dir, out) = support::build_site(&support::repo_root(), &[]);
    let text = std::fs::read_to_string(out.join("worcestershire.json")).expect("export");
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    let deadlines: Vec<&serde_json::Value> = json["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter_map(|n| n["deadlines"].as_array())
        .flatten()
        .collect();
    let convened = deadlines
        .iter()
        .find(|d| d["what"] == "Conciliation panel convened")
        .expect("the 28 days");
    assert_eq!(convened["after"], "not stated");
    assert_eq!(convened["strength"], "will");
    assert_eq!(
        convened["says"],
        "will convene a conciliation panel within 28 days"
    );
    let decision = deadlines
        .iter()
        .find(|d| d["what"] == "Panel decision and written recommendations")
        .expect("the 6 weeks");
    assert_eq!(
        decision["may_change"],
        "If the Panel cannot reach a decision in this time, it will agree another timescale"
    );
}
