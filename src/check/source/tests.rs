//! Each rule of the source check, on small published texts written for the tests.

use std::path::PathBuf;

use super::*;
use crate::load::source_text::SourceText;

const TEXT: &str = "# Test council, the published procedure as plain text
Stage 1

1.1 Partners should meet within 28 working days of the letter.
1.2 The panel reviews the process every 6 months.
Call 01234 567890 or write to compact@example.org.
";

/// A procedure with one stage whose step and deadline are `step` and `wording`,
/// checked against `text`; `extra` is added under `source:`.
fn procedure(step: &str, wording: &str, period: &str, extra: &str) -> LoadedProcedure {
    let yaml = format!(
        "title: T
area: A
owner: O
summary: S
start: s
nodes:
  - id: s
    kind: stage
    label: Stage 1
    next: end
    steps:
      - text: {step:?}
    deadlines:
      - what: Meet
        period: {period}
        after: the letter
        strength: should
        wording: {wording:?}
  - id: end
    kind: ending
    title: Done
    outcome: resolved
contacts:
  - id: c
    organisation: Council
    phone: 01234 567890
    email: compact@example.org
monitoring:
  text: Reviewed.
  review_every: 6 months
source:
  title: T
  text: sources/t.txt
{extra}"
    );
    let procedure = crate::load::parse_yaml(std::path::Path::new("procedures/t.yaml"), &yaml)
        .expect("the test procedure reads");
    LoadedProcedure {
        slug: "t".into(),
        file: PathBuf::from("procedures/t.yaml"),
        text: yaml,
        procedure,
        stamp: None,
        source_text: Some(SourceText::new(
            PathBuf::from("sources/t.txt"),
            TEXT.into(),
            None,
        )),
    }
}

fn sound() -> LoadedProcedure {
    procedure(
        "Partners should meet within 28 working days of the letter.",
        "Partners should meet within 28 working days",
        "28 working days",
        "",
    )
}

/// Every problem checking `lp` against its text finds, rendered as `check` prints it.
fn problems(lp: &LoadedProcedure) -> Vec<String> {
    let mut f = Findings::default();
    let mut found = Vec::new();
    let in_text = check_source(lp, &mut f);
    found.extend(f.into_diagnostics(lp));
    found.extend(in_text);
    found.iter().map(Diagnostic::render).collect()
}

#[test]
fn a_faithful_procedure_passes_and_its_coverage_is_counted() {
    let lp = sound();
    assert_eq!(problems(&lp), Vec::<String>::new());
    // Sentences: "Stage 1", the meeting, the review, the phone line; the header line is not one.
    assert_eq!(
        coverage(&lp),
        Some(Coverage {
            sentences: 4,
            quoted: 1
        })
    );
}

#[test]
fn a_changed_word_points_at_the_quote_and_the_nearest_passage() {
    let lp = procedure(
        "Partners must meet within 28 working days of the letter.",
        "Partners should meet within 28 working days",
        "28 working days",
        "",
    );
    let found = problems(&lp);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with(
            "procedures/t.yaml:12:15: error: the passage \"Partners must meet within 28 working days of…\" is not in the published text sources/t.txt\n"
        ),
        "{}",
        found[0]
    );
    assert!(
        found[0].contains(
            "= hint: the nearest passage is at sources/t.txt:4:5; the first word that differs is 'must', where the published text has 'should' (sources/t.txt:4:14)."
        ),
        "{}",
        found[0]
    );
}

#[test]
fn the_header_line_is_not_published_text() {
    let lp = procedure(
        "Test council, the published procedure as plain text",
        "Partners should meet within 28 working days",
        "28 working days",
        "",
    );
    let found = problems(&lp);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("is not in the published text sources/t.txt"));
}

#[test]
fn a_period_that_is_not_its_wording_s_is_an_error() {
    let lp = procedure(
        "Partners should meet within 28 working days of the letter.",
        "Partners should meet within 28 working days",
        "28 days",
        "",
    );
    let found = problems(&lp);
    assert!(
        found.iter().any(|d| d.starts_with(
            "procedures/t.yaml:15:17: error: the wording says 28 working days, but the period says 28 days\n"
        )),
        "{found:?}"
    );
}

#[test]
fn a_time_limit_no_deadline_carries_is_a_warning_at_its_line() {
    let lp = procedure(
        "Partners should meet within 28 working days of the letter.",
        "Partners should meet within 21 working days",
        "21 working days",
        "",
    );
    let found = problems(&lp);
    assert!(
        found.iter().any(|d| d.starts_with(
            "sources/t.txt:4:33: warning: the published text's time limit '28 working days' is in no deadline\n"
        )),
        "{found:?}"
    );
    // The quote is wrong too: the published text says 28.
    assert!(
        found
            .iter()
            .any(|d| d.contains("error: \"Partners should meet within 21"))
    );
}

#[test]
fn an_acknowledged_passage_needs_no_deadline_and_must_itself_be_published() {
    let mut lp = procedure(
        "Partners should meet within 28 working days of the letter.",
        "Partners should meet within 28 working days",
        "28 working days",
        "  acknowledged:\n    - text: The panel reviews the process every 6 months.\n      why: The review is not a step of the procedure.\n",
    );
    lp.procedure.monitoring = None;
    assert_eq!(problems(&lp), Vec::<String>::new());
    lp.procedure.source.acknowledged[0].text = "The panel reviews it every 6 months.".into();
    let found = problems(&lp);
    assert!(
        found.iter().any(|d| d.contains(
            "error: \"The panel reviews it every 6 months.\" is not in the published text"
        )),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|d| d.starts_with("sources/t.txt:5:41: warning: the published text's time limit '6 months' is in no deadline")),
        "{found:?}"
    );
}

#[test]
fn a_changed_phone_number_warns_in_the_file_and_in_the_text() {
    let mut lp = sound();
    lp.text = lp.text.replace("01234 567890", "01234 567891");
    lp.procedure.contacts[0].phone = Some("01234 567891".into());
    let found = problems(&lp);
    let severities: Vec<bool> = found.iter().map(|d| d.contains(": warning: ")).collect();
    assert_eq!(severities, [true, true], "{found:?}");
    assert!(
        found[0].starts_with(
            "procedures/t.yaml:26:12: warning: the phone number '01234 567891' is not in the published text sources/t.txt\n"
        ),
        "{}",
        found[0]
    );
    assert!(
        found[1].starts_with(
            "sources/t.txt:6:6: warning: the published text's phone number '01234 567890' is in no contact, resource or text\n"
        ),
        "{}",
        found[1]
    );
}

#[test]
fn markdown_quotes_and_list_markers_do_not_matter() {
    let lp = procedure(
        "- Partners *should* meet within 28 working days of the letter.\n- The panel reviews the process every 6 months.",
        "Partners should meet within 28 working days",
        "28 working days",
        "",
    );
    assert_eq!(problems(&lp), Vec::<String>::new());
    assert_eq!(coverage(&lp).map(|c| c.quoted), Some(2));
}

#[test]
fn a_procedure_without_a_text_is_checked_only_for_its_periods() {
    let mut lp = sound();
    lp.source_text = None;
    assert_eq!(problems(&lp), Vec::<String>::new());
    assert_eq!(coverage(&lp), None);
}

/// Linearity, counted rather than timed: a text of several megabytes is split into
/// words once, and each quote costs a bounded number of substring searches.
#[test]
fn a_text_of_five_megabytes_is_checked() {
    let paragraph = "The panel will meet and agree a way forward with both parties. ";
    let mut text = String::from("# A long text\n");
    while text.len() < 5 * 1024 * 1024 {
        text.push_str(paragraph);
        text.push('\n');
    }
    text.push_str("Partners should meet within 28 working days of the letter.\n");
    let mut lp = sound();
    lp.source_text = Some(SourceText::new(PathBuf::from("sources/t.txt"), text, None));
    let found = problems(&lp);
    // The phone and e-mail of the file are not in this text: two warnings, nothing else.
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|d| d.contains(": warning: the ")));
    let c = coverage(&lp).expect("a coverage");
    assert_eq!(c.quoted, 1);
    assert!(c.sentences > 80_000, "{}", c.sentences);
}
