//! A stage whose source leaves parts unknown: the page and the guide say so, the
//! compare page says its time limits are not known, and `check` refuses misuse.

mod support;

use std::fs;

use scraper::{Html, Selector};
use support::{build_site, run};

fn sel(css: &str) -> Selector {
    Selector::parse(css).expect("valid selector")
}

fn squashed(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css))
        .map(|e| {
            let words = e.text().collect::<Vec<_>>().join(" ");
            words.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

/// A site of one procedure whose formal stage has `stage_extra` added.
fn site_with(stage_extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    fs::write(root.join("site.yaml"), "title: Test site\n").expect("site.yaml");
    fs::create_dir_all(root.join("procedures")).expect("procedures/");
    let procedure = format!(
        "title: The Test Procedure
area: Testshire
summary: A test.
start: formal
nodes:
  - id: formal
    kind: stage
    label: Stage 2
    title: The formal process
    contacts: [office]
{stage_extra}    next: done
  - id: done
    kind: ending
    title: Done
    outcome: resolved
contacts:
  - id: office
    organisation: Test Council
    email: office@example.org
source:
  title: The Test Procedure
"
    );
    fs::write(root.join("procedures/test.yaml"), procedure).expect("procedure");
    dir
}

const UNKNOWN: &str = "    unknown:
      parts: [steps, deadlines]
      why: The linked documents could not be read.
";

#[test]
fn the_page_the_guide_and_the_compare_page_say_what_is_not_known() {
    let dir = site_with(UNKNOWN);
    let (_out_dir, out) = build_site(dir.path(), &[]);
    let read = |file: &str| Html::parse_document(&fs::read_to_string(out.join(file)).expect(file));
    let expected = [
        "Not known from the published source Steps Time limits The linked documents could not be read.",
    ];
    assert_eq!(
        squashed(&read("test/index.html"), "#node-formal .unknown-parts"),
        expected
    );
    assert_eq!(
        squashed(&read("test/wizard/now/formal.html"), ".unknown-parts"),
        expected
    );
    assert_eq!(
        squashed(&read("compare/index.html"), ".compare-deadlines li"),
        ["Time limits: not known"]
    );
}

#[test]
fn check_refuses_parts_given_and_unknown_at_once_and_an_empty_reason() {
    let dir = site_with(
        "    steps:
      - text: Write to the panel.
    unknown:
      parts: [steps, steps, who]
      why: ''
",
    );
    let (code, _, stderr) = run(&["check", "--root", dir.path().to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{stderr}");
    for expected in [
        "procedures/test.yaml:11:5: error: the stage 'formal' gives 'steps' but also lists them as unknown",
        "= hint: keep what the source gives and remove 'steps' from 'unknown', or the other way round",
        "procedures/test.yaml:14:22: error: 'steps' is listed twice as unknown",
        "procedures/test.yaml:15:7: error: the stage 'formal' does not say why parts are unknown",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in\n{stderr}"
        );
    }
}

#[test]
fn only_a_stage_can_have_unknown_parts() {
    let dir = site_with("");
    let file = dir.path().join("procedures/test.yaml");
    let text = fs::read_to_string(&file).expect("read");
    let text = text.replace(
        "    outcome: resolved\n",
        &format!("    outcome: resolved\n{UNKNOWN}"),
    );
    fs::write(&file, text).expect("write");
    let (code, _, stderr) = run(&["check", "--root", dir.path().to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("an ending cannot have 'unknown' (node 'done')"),
        "{stderr}"
    );
}
