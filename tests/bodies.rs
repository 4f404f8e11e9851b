//! Who publishes, oversees and runs a procedure, where its source can be read, and how
//! to reach an outside service: what the built pages say, read as a reader meets them.

mod support;

use std::fs;
use std::path::Path;

use scraper::{Html, Selector};
use support::{build_site, run};

fn sel(css: &str) -> Selector {
    Selector::parse(css).expect("valid selector")
}

fn page(path: &Path) -> Html {
    Html::parse_document(&fs::read_to_string(path).expect("page is UTF-8"))
}

/// The text of the first element matching `css`, with its white space squashed.
fn text_of(doc: &Html, css: &str) -> String {
    let element = doc
        .select(&sel(css))
        .next()
        .unwrap_or_else(|| panic!("nothing matches {css}"));
    let words = element.text().collect::<Vec<_>>().join(" ");
    words.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A site of one procedure whose top-level fields (before `start:`) are `head`.
fn site_with(head: &str, tail: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    fs::write(root.join("site.yaml"), "title: Test site\n").expect("site.yaml");
    fs::create_dir_all(root.join("procedures")).expect("procedures/");
    let procedure = format!(
        "title: The Test Procedure\narea: Testshire\n{head}summary: A test.\nstart: talk\nnodes:\n  - id: talk\n    kind: stage\n    label: Stage 1\n    title: Talk\n    contacts: [office]\n    next: advice\n  - id: advice\n    kind: ending\n    title: Ask for advice\n    outcome: referred\n    resources: [mediation]\ncontacts:\n  - id: office\n    organisation: Test Council\n    email: office@example.org\n{tail}"
    );
    fs::write(root.join("procedures/test.yaml"), procedure).expect("procedure");
    dir
}

const RESOURCES: &str = "resources:
  - id: mediation
    title: Testshire Mediation
    phone: 01743 252740
    email: help@mediation.example.org
    address: [1 High Street, Testtown TT1 1TT]
";

#[test]
fn an_owner_the_source_does_not_name_is_shown_as_not_stated() {
    let dir = site_with(
        "",
        &format!("{RESOURCES}source:\n  title: The Test Procedure\n"),
    );
    let (_out_dir, out) = build_site(dir.path(), &[]);
    let doc = page(&out.join("test/index.html"));
    assert_eq!(
        text_of(&doc, "dl.facts"),
        "Area Testshire Overseen by Not stated in the published procedure"
    );
    let home = page(&out.join("index.html"));
    assert!(
        text_of(&home, "dl.facts").contains("Overseen by Not stated"),
        "the home page's card says the owner is not stated"
    );
    let compare = page(&out.join("compare/index.html"));
    assert_eq!(
        text_of(&compare, ".compare-column p"),
        "Overseen by not stated"
    );
}

#[test]
fn publisher_owner_and_operator_are_three_separate_facts() {
    let dir = site_with(
        "owner: Testshire Compact Group\noperator: Each school in Testshire\n",
        &format!(
            "{RESOURCES}source:\n  title: The Test Procedure\n  publisher: Testshire County Council\n"
        ),
    );
    let (_out_dir, out) = build_site(dir.path(), &[]);
    let doc = page(&out.join("test/index.html"));
    assert_eq!(
        text_of(&doc, "dl.facts"),
        "Area Testshire Published by Testshire County Council Overseen by Testshire Compact Group Run by Each school in Testshire"
    );
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("test.json")).expect("json"))
            .expect("valid JSON");
    assert_eq!(json["owner"], "Testshire Compact Group");
    assert_eq!(json["operator"], "Each school in Testshire");
}

#[test]
fn an_outside_service_can_be_rung_written_to_and_e_mailed() {
    let dir = site_with(
        "",
        &format!("{RESOURCES}source:\n  title: The Test Procedure\n"),
    );
    let (_out_dir, out) = build_site(dir.path(), &[]);
    for (file, list) in [
        ("test/index.html", "#resource-mediation"),
        ("test/wizard/advice.html", "ul.resources li"),
    ] {
        let doc = page(&out.join(file));
        assert_eq!(
            text_of(&doc, list),
            "Testshire Mediation Telephone: 01743 252740 Email: help@mediation.example.org Address: 1 High Street, Testtown TT1 1TT",
            "{file}"
        );
        let links: Vec<String> = doc
            .select(&sel(&format!("{list} a")))
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect();
        assert_eq!(
            links,
            ["tel:+441743252740", "mailto:help@mediation.example.org"],
            "{file}"
        );
    }
}

#[test]
fn a_source_read_in_two_dated_versions_lists_both() {
    let dir = site_with(
        "",
        &format!(
            "{RESOURCES}source:
  title: The complaints process
  url: https://example.org/complaints
  other_urls: [https://example.org/complaints-print]
  versions:
    - id: 2025-08
      date: 'Page last updated: 22 August 2025'
      note: Stage 2 counts from receiving the review request.
    - id: 2025-09
      date: 'Page last updated: 17 September 2025'
      url: https://example.org/complaints?v=2
"
        ),
    );
    let (_out_dir, out) = build_site(dir.path(), &[]);
    let doc = page(&out.join("test/index.html"));
    let versions: Vec<String> = doc
        .select(&sel("ul.source-versions li"))
        .map(|li| li.text().collect::<String>())
        .collect();
    assert_eq!(
        versions,
        [
            "Page last updated: 22 August 2025: Stage 2 counts from receiving the review request.",
            "Page last updated: 17 September 2025",
        ]
    );
    assert!(
        doc.select(&sel("a[href='https://example.org/complaints-print']"))
            .next()
            .is_some(),
        "the second address is a link"
    );
}

#[test]
fn check_refuses_a_service_number_or_address_that_is_not_one() {
    let dir = site_with(
        "",
        "resources:
  - id: mediation
    title: Testshire Mediation
    phone: ring us
    email: help at mediation
source:
  title: The Test Procedure
  versions:
    - id: v1
      date: May 2025
    - id: v1
      date: June 2025
",
    );
    let (code, _, stderr) = run(&["check", "--root", dir.path().to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{stderr}");
    for expected in [
        "procedures/test.yaml:24:12: error: 'ring us' is not a telephone number",
        "procedures/test.yaml:25:12: error: 'help at mediation' is not an e-mail address",
        "procedures/test.yaml:31:11: error: the source version id 'v1' is used twice",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in\n{stderr}"
        );
    }
}
