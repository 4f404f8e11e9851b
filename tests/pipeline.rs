//! The whole site through one pipeline, from the outside: content pages,
//! themes, sources published at one address and the site's own names are
//! checked by `check`, and `build` and `serve` refuse exactly what `check`
//! refuses, with the same diagnostics. A build is the same bytes every time,
//! and the same as what `serve` holds in memory.

mod support;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{build_into, copy_of_repo_site, files_in, run};

const TODAY: &str = "2026-11-23";

/// A small valid site: a site file, one procedure (`procedures/valid.yaml`) and one page.
fn small_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    fs::write(root.join("site.yaml"), "title: Test site\n").expect("site.yaml");
    fs::create_dir_all(root.join("procedures")).expect("procedures/");
    fs::create_dir_all(root.join("content")).expect("content/");
    write(root, "procedures/valid.yaml", &procedure("Valid"));
    write(root, "content/about.md", &page("About"));
    dir
}

fn procedure(title: &str) -> String {
    support::starter_with_own_text(title)
}

fn page(title: &str) -> String {
    format!("---\ntitle: {title}\n---\nSome words.\n")
}

fn write(root: &Path, file: &str, text: &str) {
    let path = root.join(file);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

fn root_str(root: &Path) -> &str {
    root.to_str().expect("utf-8 path")
}

/// Runs `check`; returns (exit code, stdout, stderr).
fn check(root: &Path) -> (i32, String, String) {
    run(&["check", "--root", root_str(root), "--today", TODAY])
}

/// The first line of each diagnostic printed (`file:line:col: error: message`), in order.
fn headers(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
        .map(str::to_string)
        .collect()
}

/// Builds into a fresh folder; returns (exit code, stderr, whether the output folder exists).
fn build(root: &Path) -> (i32, String, bool) {
    let out_dir = tempfile::tempdir().expect("temp dir");
    let out = out_dir.path().join("public");
    let (code, _, stderr) = build_into(root, &out, &[]);
    (code, stderr, out.exists())
}

/// Asserts that `check` fails with exactly the diagnostics headed `expected`, and
/// that `build` fails with the same ones and writes nothing.
fn refused(root: &Path, expected: &[&str]) {
    let (code, stdout, stderr) = check(root);
    assert_eq!(code, 1, "check should fail:\n{stdout}\n{stderr}");
    assert_eq!(headers(&stderr), expected, "check printed:\n{stderr}");
    let (code, build_stderr, written) = build(root);
    assert_eq!(code, 1, "build should fail:\n{build_stderr}");
    assert!(!written, "a refused build writes no output");
    assert_eq!(
        headers(&build_stderr),
        expected,
        "build printed:\n{build_stderr}"
    );
}

#[test]
fn the_small_site_is_good_and_check_counts_its_pages() {
    let dir = small_site();
    let (code, stdout, stderr) = check(dir.path());
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.starts_with(
            "valid: not checked against a published text (no source.text)\nchecked 1 procedure and 1 page in "
        ),
        "{stdout}"
    );
    assert!(
        stdout.trim_end().ends_with(": no problems found"),
        "{stdout}"
    );
    let (code, stderr, written) = build(dir.path());
    assert_eq!(code, 0, "{stderr}");
    assert!(written);
}

#[test]
fn a_front_matter_typo_fails_check_and_build_at_its_line() {
    let dir = small_site();
    write(
        dir.path(),
        "content/about.md",
        "---\ntitel: About\n---\nWords.\n",
    );
    refused(
        dir.path(),
        &["content/about.md:2:1: error: unknown field 'titel' (did you mean 'title'?)"],
    );
}

#[test]
fn a_page_that_is_not_utf8_fails_check_and_build() {
    let dir = small_site();
    fs::write(
        dir.path().join("content/about.md"),
        b"---\ntitle: About\n---\ncaf\xe9\n",
    )
    .expect("write");
    refused(
        dir.path(),
        &["content/about.md:4:4: error: the file is not valid UTF-8 text"],
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_page_fails_check_and_build() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = small_site();
    let file = dir.path().join("content/about.md");
    fs::set_permissions(&file, fs::Permissions::from_mode(0o000)).expect("chmod");
    if fs::read(&file).is_ok() {
        // Running as root: permissions do not stop reading, so there is nothing to test.
        return;
    }
    refused(
        dir.path(),
        &["content/about.md: error: cannot read the file: permission denied"],
    );
    fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).expect("chmod back");
}

#[cfg(unix)]
#[test]
fn a_page_that_is_a_broken_link_fails_check_and_build() {
    let dir = small_site();
    let file = dir.path().join("content/about.md");
    fs::remove_file(&file).expect("remove");
    std::os::unix::fs::symlink("gone.md", &file).expect("symlink");
    refused(
        dir.path(),
        &[
            "content/about.md: error: this is a link to gone.md, which cannot be read: it does not exist",
        ],
    );
}

#[test]
fn a_page_name_unfit_for_a_web_address_fails_check_and_build() {
    let dir = small_site();
    write(dir.path(), "content/Our Team.md", &page("Team"));
    refused(
        dir.path(),
        &["content/Our Team.md: error: the page name 'Our Team' cannot be used in web addresses"],
    );
    let (_, _, stderr) = check(dir.path());
    assert!(stderr.contains("e.g. 'our-team.md'"), "{stderr}");
}

#[test]
fn a_template_syntax_error_names_the_template_s_own_file_and_line() {
    let dir = small_site();
    write(
        dir.path(),
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}{% if %}{% endblock content %}\n",
    );
    let (code, _, stderr) = check(dir.path());
    assert_eq!(code, 1, "{stderr}");
    let found = headers(&stderr);
    assert_eq!(found.len(), 1, "{stderr}");
    assert!(
        found[0].starts_with(
            "themes/default/templates/page.html:2:26: error: the template has an error"
        ),
        "{stderr}"
    );
    assert!(
        dir.path()
            .join("themes/default/templates/page.html")
            .is_file(),
        "the path named is the real file"
    );
    let (code, build_stderr, written) = build(dir.path());
    assert_eq!((code, written), (1, false), "{build_stderr}");
    assert_eq!(headers(&build_stderr), found);
}

#[test]
fn a_broken_template_of_a_named_theme_is_found_in_that_theme_s_folder() {
    let dir = small_site();
    write(dir.path(), "site.yaml", "title: Test site\ntheme: plain\n");
    write(
        dir.path(),
        "themes/plain/templates/404.html",
        "{{ site.title ",
    );
    let (code, _, stderr) = check(dir.path());
    assert_eq!(code, 1, "{stderr}");
    let found = headers(&stderr);
    assert_eq!(found.len(), 1, "{stderr}");
    assert!(
        found[0].starts_with("themes/plain/templates/404.html:1:"),
        "{stderr}"
    );
}

#[test]
fn a_missing_theme_is_an_error_at_the_site_file_s_theme_line() {
    let dir = small_site();
    write(dir.path(), "site.yaml", "title: Test site\ntheme: fancy\n");
    refused(
        dir.path(),
        &["site.yaml:2:8: error: there is no theme folder themes/fancy"],
    );
}

#[test]
fn a_template_that_cannot_be_filled_in_fails_the_build_naming_its_file() {
    let dir = small_site();
    write(
        dir.path(),
        "themes/default/templates/404.html",
        "{{ missing.value }}",
    );
    // It compiles, so check cannot know; the build finds it and writes nothing.
    let (code, stdout, stderr) = check(dir.path());
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let (code, stderr, written) = build(dir.path());
    assert_eq!((code, written), (1, false), "{stderr}");
    assert!(
        stderr.contains(
            "error: themes/default/templates/404.html:1:4: the template could not be filled in for 404.html: Variable `missing` is not defined"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("build failed with 1 error"), "{stderr}");
}

#[test]
fn a_procedure_and_a_page_of_one_name_are_refused_naming_both() {
    let dir = small_site();
    write(dir.path(), "content/valid.md", &page("Valid"));
    refused(
        dir.path(),
        &[
            "content/valid.md: error: this page would be published at valid/index.html, as procedures/valid.yaml is: one would overwrite the other",
        ],
    );
    let (_, _, stderr) = check(dir.path());
    assert!(
        stderr.contains(
            "hint: rename one of the two files (content/valid.md or procedures/valid.yaml)"
        ),
        "{stderr}"
    );
}

#[test]
fn a_yaml_and_a_yml_file_of_one_name_are_refused() {
    let dir = small_site();
    write(dir.path(), "procedures/valid.yml", &procedure("Other"));
    refused(
        dir.path(),
        &[
            "procedures/valid.yml: error: this procedure would be published at valid/, as procedures/valid.yaml is: one would overwrite the other",
        ],
    );
}

#[test]
fn a_yml_file_alone_is_a_procedure() {
    let dir = small_site();
    write(dir.path(), "procedures/other.yml", &procedure("Other"));
    let (code, stdout, stderr) = check(dir.path());
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("checked 2 procedures"), "{stdout}");
}

#[test]
fn a_folder_s_index_page_and_a_page_of_the_folder_s_name_are_refused() {
    let dir = small_site();
    write(dir.path(), "content/help.md", &page("Help"));
    write(dir.path(), "content/help/index.md", &page("Help too"));
    refused(
        dir.path(),
        &[
            "content/help.md: error: this page would be published at help/index.html, as content/help/index.md is: one would overwrite the other",
        ],
    );
}

#[test]
fn a_folder_s_index_page_is_the_folder_s_page() {
    let dir = small_site();
    write(dir.path(), "content/help/index.md", &page("Help"));
    write(dir.path(), "content/help/forms.md", &page("Forms"));
    let out_dir = tempfile::tempdir().expect("temp dir");
    let out = out_dir.path().join("public");
    let (code, stdout, stderr) = build_into(dir.path(), &out, &[]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let files = files_in(&out);
    assert!(files.contains_key("help/index.html"), "{files:?}");
    assert!(files.contains_key("help/forms/index.html"), "{files:?}");
    assert!(!files.contains_key("help/index/index.html"), "{files:?}");
}

#[test]
fn a_page_inside_a_procedure_s_folder_is_refused() {
    let dir = small_site();
    write(dir.path(), "content/valid/wizard.md", &page("Guide"));
    refused(
        dir.path(),
        &[
            "content/valid/wizard.md: error: this page would be published at valid/wizard/index.html, inside the folder valid/ of procedures/valid.yaml",
        ],
    );
}

#[test]
fn the_site_s_own_names_are_refused_for_procedures_and_pages() {
    let dir = small_site();
    for name in ["compare", "sitemap"] {
        write(
            dir.path(),
            &format!("procedures/{name}.yaml"),
            &procedure("X"),
        );
    }
    for name in ["assets", "404", "robots", "index"] {
        write(dir.path(), &format!("content/{name}.md"), &page("X"));
    }
    refused(
        dir.path(),
        &[
            "content/404.md: error: the page name '404' is kept for the page-not-found page (404.html), which waymark writes itself",
            "content/assets.md: error: the page name 'assets' is kept for the theme's files (assets/), which waymark writes itself",
            "content/index.md: error: this page would be the site's home page (index.html), which waymark writes itself",
            "content/robots.md: error: the page name 'robots' is kept for robots.txt (robots.txt), which waymark writes itself",
            "procedures/compare.yaml: error: the procedure name 'compare' is kept for the page comparing procedures (compare/index.html), which waymark writes itself",
            "procedures/sitemap.yaml: error: the procedure name 'sitemap' is kept for the sitemap (sitemap.xml), which waymark writes itself",
        ],
    );
}

/// Starts `serve` on the site and returns what it printed up to its first report
/// ("built the site ..." or "the site has N errors ..."), then stops it.
fn serve_first_report(root: &Path) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_waymark"))
        .args([
            "serve",
            "--root",
            root_str(root),
            "--port",
            "0",
            "--today",
            TODAY,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let stderr = child.stderr.take().expect("stderr");
    let (lines, got) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let started = Instant::now();
    let mut printed = String::new();
    while started.elapsed() < Duration::from_secs(60) {
        match got.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => {
                let done = line.starts_with("the site has ");
                printed.push_str(&line);
                printed.push('\n');
                if done {
                    break;
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    printed
}

#[test]
fn check_build_and_serve_give_the_same_diagnostics() {
    let dir = small_site();
    let root = dir.path();
    write(root, "content/valid.md", &page("Valid"));
    write(
        root,
        "content/help.md",
        "---\ntitle: Help\norder: soon\n---\n",
    );
    write(root, "themes/default/templates/compare.html", "{% block %}");
    let (code, _, check_stderr) = check(root);
    assert_eq!(code, 1);
    let expected = headers(&check_stderr);
    assert_eq!(expected.len(), 3, "{check_stderr}");
    let (code, build_stderr, _) = build(root);
    assert_eq!(code, 1);
    assert_eq!(headers(&build_stderr), expected, "build:\n{build_stderr}");
    let served = serve_first_report(root);
    assert!(served.contains("the site has 3 errors"), "serve:\n{served}");
    assert_eq!(headers(&served), expected, "serve:\n{served}");
    // Each diagnostic in full, not just its first line.
    let blocks = |text: &str| -> Vec<String> {
        text.split("\n\n")
            .filter(|b| b.contains(": error: "))
            .map(|b| b.trim().to_string())
            .collect()
    };
    let full = blocks(&check_stderr);
    assert_eq!(blocks(&build_stderr)[..], full[..]);
    assert_eq!(
        blocks(&served)
            .iter()
            .map(|b| b
                .lines()
                .filter(|l| !l.starts_with("the site has "))
                .collect::<Vec<_>>()
                .join("\n"))
            .collect::<Vec<_>>(),
        full
    );
}

/// Every file of a built site by path, with its bytes.
fn contents(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    files_in(dir)
        .into_iter()
        .map(|(path, file)| (path, fs::read(file).expect("read")))
        .collect()
}

#[test]
fn two_builds_and_serve_s_memory_hold_the_same_bytes() {
    let site = copy_of_repo_site();
    let root = site.path();
    let out_dir = tempfile::tempdir().expect("temp dir");
    let mut builds = Vec::new();
    for name in ["one", "two"] {
        let out: PathBuf = out_dir.path().join(name);
        let (code, stdout, stderr) = build_into(root, &out, &[]);
        assert_eq!(code, 0, "{stdout}\n{stderr}");
        builds.push(contents(&out));
    }
    assert!(builds[0].len() > 100, "{} files", builds[0].len());
    assert_eq!(
        builds[0].keys().collect::<Vec<_>>(),
        builds[1].keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &builds[0] {
        assert!(
            builds[1][path] == *bytes,
            "{path} differs between two builds"
        );
    }

    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    let mut state = waymark::serve::incremental::SiteState::new(root);
    let outcome = state.rebuild(today);
    assert!(
        matches!(outcome, waymark::serve::incremental::Outcome::Built { .. }),
        "{outcome:?}"
    );
    let memory: std::collections::BTreeMap<String, Vec<u8>> = state
        .files()
        .expect("built")
        .values()
        .map(|f| (f.path.clone(), f.bytes.clone()))
        .collect();
    assert_eq!(
        memory.keys().collect::<Vec<_>>(),
        builds[0].keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &builds[0] {
        assert!(
            memory[path] == *bytes,
            "{path} differs between serve and build"
        );
    }
}
