//! Snapshots of what `waymark check` prints for every bad fixture: the full
//! diagnostic text (standard error) and the exit code.
//!
//! `tests/bad_input.rs` pins each diagnostic's first line and hint; these
//! snapshots pin everything else too (the quoted line, the caret, the summary),
//! so any change of wording or position shows up as a reviewable diff.
//! Each fixture file is checked alone in a site of its own; a fixture folder
//! (`two-files/`) is checked as one site.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

/// The date the checks treat as today, so that date checks give the same answer every day.
const TODAY: &str = "2026-11-23";

fn fixtures() -> PathBuf {
    support::repo_root().join("tests/fixtures/bad")
}

/// A temp site with a valid `site.yaml` and the fixture's file or files in `procedures/`.
fn site_of(fixture: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let procedures = dir.path().join("procedures");
    fs::write(dir.path().join("site.yaml"), "title: Test site\n").expect("site.yaml");
    fs::create_dir(&procedures).expect("procedures/");
    let files: Vec<PathBuf> = if fixture.is_dir() {
        fs::read_dir(fixture)
            .expect("fixture folder")
            .map(|entry| entry.expect("entry").path())
            .collect()
    } else {
        vec![fixture.to_path_buf()]
    };
    for file in files {
        let name = file.file_name().expect("a file name");
        fs::copy(&file, procedures.join(name)).expect("copy");
    }
    dir
}

/// What `check` printed for the fixture, with the temp folder's path taken out.
fn checked(fixture: &Path) -> String {
    let site = site_of(fixture);
    let root = site.path().to_str().expect("a UTF-8 temp path");
    let (code, _, stderr) = support::run(&["check", "--root", root, "--today", TODAY]);
    format!("exit code: {code}\n{}", stderr.replace(root, "<site>"))
}

#[test]
fn every_bad_fixture_prints_its_snapshot() {
    let mut fixtures: Vec<PathBuf> = fs::read_dir(fixtures())
        .expect("the fixtures folder")
        .map(|entry| entry.expect("entry").path())
        .collect();
    fixtures.sort();
    assert!(fixtures.len() > 50, "only {} fixtures", fixtures.len());
    for fixture in fixtures {
        let name = fixture
            .file_stem()
            .expect("a file name")
            .to_string_lossy()
            .into_owned();
        insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(name, checked(&fixture));
        });
    }
}

/// The minimal valid procedure the hostile texts below are made from.
const MINIMAL: &str = "title: Minimal
area: Testshire
owner: Test Council
summary: A minimal procedure.
start: talk
nodes:
  - id: talk
    kind: stage
    label: Stage 1
    title: Talk
    contacts: [office]
    next: settled
  - id: settled
    kind: ending
    title: Settled
    outcome: resolved
contacts:
  - id: office
    organisation: Test Council
    email: office@example.org
source:
  title: The Test Procedure
";

/// A tab in a comment: harmless YAML, but a tab anywhere once changed which reader read a file.
const TAB_COMMENT: &str = "#\ta comment after a tab\n";

/// Texts too odd or too large to commit as fixtures, each checked alone like a fixture.
fn hostile_texts() -> Vec<(&'static str, String)> {
    let title = |inserted: &str| {
        MINIMAL.replacen("title: Minimal", &format!("title: Min{inserted}imal"), 1)
    };
    let mut block = String::new();
    for depth in 0..200 {
        block.push_str(&"  ".repeat(depth));
        block.push_str("notes:\n");
    }
    vec![
        ("control-bel-in-title", title("\u{7}")),
        (
            "control-bel-in-title-and-a-tab",
            title("\u{7}") + TAB_COMMENT,
        ),
        ("control-c1-in-title", title("\u{92}")),
        (
            "control-c1-in-title-and-a-tab",
            title("\u{92}") + TAB_COMMENT,
        ),
        (
            "flow-key-split-from-its-colon",
            MINIMAL.to_string() + "{notes: x}\n: y\n",
        ),
        ("deep-flow-nesting", "[".repeat(10_000) + "\n"),
        ("deep-block-nesting", block),
        (
            "huge-key",
            MINIMAL.to_string() + &"k".repeat(100_000) + ": x\n",
        ),
    ]
}

#[test]
fn every_hostile_text_prints_its_snapshot() {
    for (name, text) in hostile_texts() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join(format!("{name}.yaml"));
        fs::write(&file, text).expect("write");
        insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(name, checked(&file));
        });
    }
}
