//! The published-text checks on mutated copies of a bundled procedure: each
//! mutation fails or warns at the exact place, in the procedure file or in its
//! published text, and the bundled site itself passes with no warnings.

mod support;

use std::fs;
use std::path::Path;

const TODAY: &str = "2026-11-23";

/// What `check` prints (standard error) for the repository's site with `file` edited:
/// `from` replaced by `to`, once.
fn check_with(file: &str, from: &str, to: &str) -> (i32, String) {
    let site = support::copy_of_repo_site();
    let path = site.path().join(file);
    let text = fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} has {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).expect("write");
    let root = site.path().to_str().expect("a UTF-8 path");
    let (code, _, stderr) = support::run(&["check", "--root", root, "--today", TODAY]);
    (code, stderr)
}

/// `file:line:col` of the first `needle` in the repository's `file` once `from` is
/// replaced by `to`, worked out from the text itself so that edits elsewhere in the
/// file do not move the expected place.
fn place_after_edit(file: &str, from: &str, to: &str, needle: &str) -> String {
    let text = fs::read_to_string(support::repo_root().join(file)).expect("read");
    let text = text.replacen(from, to, 1);
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{file} has {needle:?}"));
    let line = text[..at].matches('\n').count() + 1;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..at].chars().count() + 1;
    format!("{file}:{line}:{column}")
}

#[test]
fn the_bundled_procedures_pass_against_their_published_texts() {
    let root = support::repo_root();
    let root = root.to_str().expect("a UTF-8 path");
    let (code, stdout, stderr) =
        support::run(&["check", "--root", root, "--today", TODAY, "--deny-warnings"]);
    assert_eq!(code, 0, "{stderr}");
    for slug in [
        "doncaster",
        "gloucestershire",
        "oxfordshire",
        "staffordshire",
        "worcestershire",
    ] {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(&format!("{slug}: ")))
            .unwrap_or_else(|| panic!("no coverage line for {slug}: {stdout}"));
        assert!(
            line.contains(&format!(
                "sentences of sources/{slug}.md quoted word for word"
            )),
            "{line}"
        );
    }
}

#[test]
fn one_word_changed_in_a_quote_is_an_error_at_the_quote() {
    let (file, from, to) = (
        "procedures/worcestershire.yaml",
        "wording: The Chair or nominated substitute will convene",
        "wording: The Chair or nominated substitute shall convene",
    );
    let (code, stderr) = check_with(file, from, to);
    let place = place_after_edit(file, from, to, "The Chair or nominated substitute shall");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("{place}: error: \"The Chair or nominated substitute shall convene a…\" is not in the published text sources/worcestershire.md")),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "the first word that differs is 'shall', where the published text has 'will'"
        ),
        "{stderr}"
    );
}

#[test]
fn a_removed_deadline_is_a_warning_at_the_published_time_limit() {
    let (code, stderr) = check_with(
        "procedures/worcestershire.yaml",
        "    deadlines:
      - what: Conciliation panel convened
        period: 28 days
        after: not stated
        strength: will
        says: will convene a conciliation panel within 28 days
        who: The Chair of WCSG or nominated substitute
        wording: The Chair or nominated substitute will convene a conciliation panel within 28 days if advised to do so
",
        "",
    );
    assert_eq!(code, 0, "warnings only: {stderr}");
    assert!(
        stderr.starts_with(
            "sources/worcestershire.md:86:80: warning: the published text's time limit '28 days' is in no deadline\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("0 errors and 1 warning in 1 file\n"),
        "{stderr}"
    );
}

#[test]
fn a_period_changed_from_28_to_21_is_an_error_at_the_period() {
    let (file, from, to) = (
        "procedures/worcestershire.yaml",
        "        period: 28 days\n        after: not stated",
        "        period: 21 days\n        after: not stated",
    );
    let (code, stderr) = check_with(file, from, to);
    let place = place_after_edit(file, from, to, "21 days");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{place}: error: the wording says 28 days, but the period says 21 days"
        )),
        "{stderr}"
    );
}

#[test]
fn a_changed_phone_number_warns_at_the_contact_and_at_the_published_number() {
    let (file, from, to) = (
        "procedures/oxfordshire.yaml",
        "phone: 01993 861000",
        "phone: 01993 861001",
    );
    let (code, stderr) = check_with(file, from, to);
    let place = place_after_edit(file, from, to, "01993 861001");
    assert_eq!(code, 0, "warnings only: {stderr}");
    assert!(
        stderr.contains(&format!("{place}: warning: the phone number '01993 861001' is not in the published text sources/oxfordshire.md")),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: the published text's phone number '01993 861000' is in no contact, resource or text"),
        "{stderr}"
    );
}

#[test]
fn a_missing_or_non_utf8_published_text_is_a_clear_error() {
    let (file, from, to) = (
        "procedures/doncaster.yaml",
        "text: sources/doncaster.md",
        "text: sources/gone.md",
    );
    let (code, stderr) = check_with(file, from, to);
    let place = place_after_edit(file, from, to, "sources/gone.md");
    assert_eq!(code, 1);
    assert!(
        stderr.contains(&format!(
            "{place}: error: the published text 'sources/gone.md' does not exist"
        )),
        "{stderr}"
    );

    let site = support::copy_of_repo_site();
    fs::write(
        site.path().join("sources/doncaster.md"),
        b"Stage 1\n\xff\xfe text\n",
    )
    .expect("write");
    let root = site.path().to_str().expect("a UTF-8 path");
    let (code, _, stderr) = support::run(&["check", "--root", root, "--today", TODAY]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("sources/doncaster.md:2:1: error: the file is not valid UTF-8 text"),
        "{stderr}"
    );
    let outside = Path::new("sources/../site.yaml");
    let (code, stderr) = check_with(
        "procedures/doncaster.yaml",
        "text: sources/doncaster.md",
        &format!("text: {}", outside.display()),
    );
    assert_eq!(code, 1);
    assert!(
        stderr.contains("error: the published text 'sources/../site.yaml' is not a file in the site's sources/ folder"),
        "{stderr}"
    );
}

/// The text of the procedure page's line about its published text.
fn published_text_line(page: &Path) -> String {
    let html = fs::read_to_string(page).expect("the page");
    let doc = scraper::Html::parse_document(&html);
    let selector = scraper::Selector::parse("#source ~ p.published-text, section p.published-text")
        .expect("a selector");
    let found: Vec<String> = doc
        .select(&selector)
        .map(|p| p.text().collect::<String>())
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_page_says_how_much_of_the_published_text_it_quotes() {
    let (_dir, out) = support::build_site(&support::repo_root(), &[]);
    assert_eq!(
        published_text_line(&out.join("doncaster/index.html")),
        "Every quotation on this page was checked against a plain-text copy of the published text on 23 November 2026, when this site was built: 34 of its 45 sentences (75%) are quoted here word for word."
    );

    let site = support::copy_of_repo_site();
    let file = site.path().join("procedures/doncaster.yaml");
    let text = fs::read_to_string(&file).expect("read");
    fs::write(&file, text.replace("  text: sources/doncaster.md\n", "")).expect("write");
    let (_dir, out) = support::build_site(site.path(), &[]);
    assert_eq!(
        published_text_line(&out.join("doncaster/index.html")),
        "This page has not been checked against a copy of the published text."
    );
}
