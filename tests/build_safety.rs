//! A build never loses anything: a failed build leaves the previous output
//! byte for byte, and folders waymark did not create are never replaced.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use support::copy_of_repo_site;

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    support::files_in(dir)
        .into_iter()
        .map(|(rel, path)| (rel, std::fs::read(path).expect("readable")))
        .collect()
}

fn build(root: &Path, out: &Path) -> (i32, String) {
    let (code, _, stderr) = support::build_into(root, out, &[]);
    (code, stderr)
}

/// Fails if a build left a staging or retired folder beside its output in `dir`.
fn assert_no_staging_left(dir: &Path) {
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("waymark-"))
        .collect();
    assert!(leftovers.is_empty(), "no staging folders are left behind");
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let site = copy_of_repo_site();
    let out = site.path().join("public");
    let (code, stderr) = build(site.path(), &out);
    assert_eq!(code, 0, "{stderr}");
    let before = snapshot(&out);
    assert!(before.len() > 20);

    let file = site.path().join("procedures/doncaster.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(
        &file,
        text.replace("next: after-stage-1", "next: after-stage-one"),
    )
    .expect("write");
    let (code, stderr) = build(site.path(), &out);
    assert_eq!(code, 1);
    assert!(stderr.contains("procedures/doncaster.yaml:"), "{stderr}");
    assert!(
        stderr.contains("there is no node with the id 'after-stage-one'"),
        "{stderr}"
    );
    assert!(stderr.contains("the previous site"), "{stderr}");
    assert_eq!(
        snapshot(&out),
        before,
        "the old site must survive byte for byte"
    );
    assert_no_staging_left(site.path());
}

#[test]
fn a_build_failing_while_writing_leaves_the_previous_site_untouched() {
    // A template that fails only when filled in: files of other jobs are already
    // written into the staging folder when the error comes.
    let site = copy_of_repo_site();
    let themes = site.path().join("themes");
    support::copy_tree(&support::repo_root().join("themes"), &themes);
    let out = site.path().join("public");
    assert_eq!(build(site.path(), &out).0, 0);
    let before = snapshot(&out);
    let template = site.path().join("themes/default/templates/page.html");
    let text = std::fs::read_to_string(&template).expect("read");
    let broken = text.replacen(
        "{% block content %}",
        "{% block content %}{{ no_such_thing.field }}",
        1,
    );
    assert_ne!(text, broken);
    std::fs::write(&template, broken).expect("write");
    let (code, stderr) = build(site.path(), &out);
    assert_eq!(code, 1);
    assert!(stderr.contains("no_such_thing"), "{stderr}");
    assert_eq!(snapshot(&out), before, "the old site must survive");
    assert_no_staging_left(site.path());
}

#[test]
fn a_rebuild_replaces_the_site_whole() {
    let site = copy_of_repo_site();
    let out = site.path().join("public");
    assert_eq!(build(site.path(), &out).0, 0);
    std::fs::remove_file(site.path().join("procedures/oxfordshire.yaml")).expect("remove");
    assert_eq!(build(site.path(), &out).0, 0);
    assert!(
        !out.join("oxfordshire").exists(),
        "pages of a removed procedure go"
    );
    assert!(out.join("doncaster/index.html").is_file());
}

#[test]
fn folders_waymark_did_not_create_are_refused() {
    let site = copy_of_repo_site();
    let root = site.path();
    let stranger = root.join("someone-elses");
    std::fs::create_dir_all(&stranger).expect("mkdir");
    std::fs::write(stranger.join("notes.txt"), "keep me").expect("write");
    let procedures_before = snapshot(&root.join("procedures"));
    for (out, why) in [
        (root.to_path_buf(), "holds the site's own files"),
        (root.join(".."), "holds the site's own files"),
        (
            root.join("procedures"),
            "inside the site's procedures/ folder",
        ),
        (
            root.join("content/sub"),
            "inside the site's content/ folder",
        ),
        (stranger.clone(), "holds files that waymark did not write"),
        (root.join("site.yaml"), "it is a file"),
    ] {
        let (code, stderr) = build(root, &out);
        assert_eq!(code, 1, "{} should be refused", out.display());
        assert!(stderr.contains(why), "{}: {stderr}", out.display());
    }
    assert_eq!(
        std::fs::read_to_string(stranger.join("notes.txt")).expect("kept"),
        "keep me"
    );
    assert_eq!(snapshot(&root.join("procedures")), procedures_before);
    let empty = root.join("empty");
    std::fs::create_dir_all(&empty).expect("mkdir");
    assert_eq!(build(root, &empty).0, 0, "an empty folder may be used");
    assert_eq!(
        build(root, &empty).0,
        0,
        "and, holding waymark's site, is known as waymark's by its own files"
    );
}

#[test]
fn waymark_s_output_is_known_by_its_own_files_and_no_marker_is_written() {
    let site = copy_of_repo_site();
    let root = site.path();
    let out = root.join("public");
    assert_eq!(build(root, &out).0, 0);
    let hidden: Vec<String> = support::files_in(&out)
        .into_keys()
        .filter(|path| path.split('/').any(|part| part.starts_with('.')))
        .collect();
    assert!(
        hidden.is_empty(),
        "nothing but the site is published: {hidden:?}"
    );

    // A folder whose holidays script is someone else's is not waymark's.
    let lookalike = root.join("lookalike");
    std::fs::create_dir_all(lookalike.join("assets")).expect("mkdir");
    std::fs::write(lookalike.join("assets/holidays.js"), "var holidays = [];\n").expect("write");
    let (code, stderr) = build(root, &lookalike);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("holds files that waymark did not write"),
        "{stderr}"
    );
    assert!(
        lookalike.join("assets/holidays.js").is_file(),
        "it is left as it was"
    );

    // A site built before, marked the old way, may still be replaced, and loses the marker.
    let older = root.join("older");
    std::fs::create_dir_all(&older).expect("mkdir");
    std::fs::write(older.join(".waymark-output"), "old marker\n").expect("write");
    std::fs::write(older.join("stale.html"), "old page").expect("write");
    assert_eq!(build(root, &older).0, 0);
    assert!(!older.join(".waymark-output").exists());
    assert!(!older.join("stale.html").exists());
    assert!(older.join("index.html").is_file());
}

#[test]
fn scripts_in_yaml_and_markdown_do_not_survive() {
    let site = copy_of_repo_site();
    let root = site.path();
    let file = root.join("procedures/gloucestershire.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    let evil = text
        .replacen(
            "title: Gloucestershire Compact Mediation Procedure",
            "title: \"Gloucestershire <script>alert('title')</script>\"",
            1,
        )
        .replacen(
            "summary: |-\n",
            "summary: |-\n  <script>alert('summary')</script> <img src=x onerror=\"alert('img')\"> [click](javascript:alert('md'))\n  <a href=\"javascript:alert('a')\" onmouseover=\"alert('hover')\">x</a>\n\n",
            1,
        );
    assert_ne!(evil, text, "the test must actually inject something");
    std::fs::write(&file, evil).expect("write");
    std::fs::write(
        root.join("content/evil.md"),
        "---\ntitle: Evil <script>alert('page')</script>\n---\n<script>alert('body')</script>\n\n<div onclick=\"alert('div')\">x</div>\n\n[a](javascript:alert('link')) <iframe src=\"https://evil.example\"></iframe>\n",
    )
    .expect("write");
    let out = root.join("public");
    let (code, stderr) = build(root, &out);
    assert_eq!(code, 0, "{stderr}");
    for page in [
        "gloucestershire/index.html",
        "evil/index.html",
        "index.html",
    ] {
        let html = std::fs::read_to_string(out.join(page)).expect("page");
        let doc = scraper::Html::parse_document(&html);
        let any = scraper::Selector::parse("*").expect("selector");
        for element in doc.select(&any) {
            let v = element.value();
            // The theme's own scripts, empty elements loading files from the
            // site's assets folder, are the only scripts allowed.
            let own_script = v.name() == "script"
                && v.attr("src").is_some_and(|src| {
                    src.trim_start_matches("../").starts_with("assets/") && src.ends_with(".js")
                })
                && element.text().all(|t| t.trim().is_empty());
            assert!(
                own_script || !matches!(v.name(), "script" | "iframe" | "object" | "embed" | "img"),
                "{page} has a <{}> element",
                v.name()
            );
            for (name, value) in v.attrs() {
                assert!(
                    !name.starts_with("on"),
                    "{page} has an event handler {name}"
                );
                let value = value.trim().to_ascii_lowercase();
                assert!(
                    !value.starts_with("javascript:"),
                    "{page} has a javascript: URL in {name}"
                );
            }
        }
        assert!(
            !html.contains("<script>alert"),
            "{page} carries a script tag in its text"
        );
    }
    let title_page = std::fs::read_to_string(out.join("gloucestershire/index.html")).expect("page");
    assert!(
        title_page.contains("Gloucestershire &lt;script&gt;"),
        "YAML text is escaped, not dropped"
    );
}

#[test]
fn images_from_other_sites_become_their_alt_text() {
    let site = copy_of_repo_site();
    let root = site.path();
    std::fs::write(
        root.join("content/pictures.md"),
        "---\ntitle: Pictures\n---\nA ![tracking pixel](//evil.example/t.png) and ![a map](https://evil.example/m.png), [a link](//example.org/page).\n",
    )
    .expect("write");
    let out = root.join("public");
    let (code, stderr) = build(root, &out);
    assert_eq!(code, 0, "{stderr}");
    let html = std::fs::read_to_string(out.join("pictures/index.html")).expect("page");
    assert!(!html.contains("evil.example"), "{html}");
    assert!(html.contains("A tracking pixel and a map,"), "{html}");
    assert!(
        html.contains("href=\"//example.org/page\""),
        "off-site links stay"
    );
}
