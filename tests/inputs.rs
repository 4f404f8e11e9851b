//! What a site folder may hold that it should not: links out of the site, hidden files,
//! a theme named by a path, old-Mac line ends. Runs the real binary (`check` and
//! `build`) on copies of the repository's site.
#![cfg(unix)]

mod support;

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use support::{build_into, copy_tree, files_in, repo_root, run};

const SECRET: &str = "SECRET-OUTSIDE-THE-SITE-7f3a";

/// A copy of the repository's site at `<temp>/site`, and beside it (outside the site)
/// `<temp>/outside/` holding a password-like file, a page and a folder of pages, each
/// carrying [`SECRET`].
fn site_and_outside() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).expect("mkdir");
    std::fs::copy(repo_root().join("site.yaml"), site.join("site.yaml")).expect("site.yaml");
    for sub in ["procedures", "content", "sources"] {
        copy_tree(&repo_root().join(sub), &site.join(sub));
    }
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(outside.join("docs")).expect("mkdir");
    std::fs::write(
        outside.join("passwd"),
        format!("root:x:0:0:{SECRET}:/root:/bin/bash\ndaemon:x:1:1::/:/bin/false\n"),
    )
    .expect("passwd");
    let page = format!("---\ntitle: {SECRET}\n---\n\n{SECRET} in the body.\n");
    std::fs::write(outside.join("page.md"), &page).expect("page");
    std::fs::write(outside.join("docs/leak.md"), &page).expect("page");
    std::fs::write(
        outside.join("procedure.yaml"),
        std::fs::read_to_string(site.join("procedures/doncaster.yaml"))
            .expect("read")
            .replacen("title:", &format!("title: {SECRET}\nx_title:"), 1),
    )
    .expect("procedure");
    (dir, site, outside)
}

fn check(site: &Path) -> (i32, String, String) {
    run(&[
        "check",
        "--root",
        site.to_str().expect("utf-8"),
        "--today",
        "2026-11-23",
    ])
}

/// Every byte of every file under `dir`, as text, to search for what must not be there.
fn everything_in(dir: &Path) -> String {
    files_in(dir)
        .values()
        .map(|p| String::from_utf8_lossy(&std::fs::read(p).expect("read")).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs check and build; both must fail with `file` reported as a link out of the site,
/// and neither output nor build may hold anything of the target.
fn refused_as_outside_link(site: &Path, file: &str) {
    let (code, stdout, stderr) = check(site);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(
        stderr.contains(&format!(
            "{file}: error: this is a link that leaves the site folder"
        )),
        "{stderr}"
    );
    assert!(
        !stderr.contains(SECRET) && !stdout.contains(SECRET),
        "{stderr}"
    );
    assert!(!stderr.contains("root:x"), "{stderr}");
    let out = site.parent().expect("parent").join("public");
    let (code, stdout, stderr) = build_into(site, &out, &[]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(
        !stderr.contains(SECRET) && !stdout.contains(SECRET),
        "{stderr}"
    );
    if out.exists() {
        assert!(!everything_in(&out).contains(SECRET));
    }
}

#[test]
fn a_procedure_linked_to_a_password_file_outside_is_refused_without_quoting_it() {
    let (dir, site, outside) = site_and_outside();
    symlink(outside.join("passwd"), site.join("procedures/leak.yaml")).expect("link");
    refused_as_outside_link(&site, "procedures/leak.yaml");
    // A well-formed procedure outside is refused just the same, through a relative link.
    std::fs::remove_file(site.join("procedures/leak.yaml")).expect("rm");
    symlink(
        "../../outside/procedure.yaml",
        site.join("procedures/leak.yaml"),
    )
    .expect("link");
    refused_as_outside_link(&site, "procedures/leak.yaml");
    drop(dir);
}

#[test]
fn a_page_linked_to_a_file_outside_is_refused() {
    let (_dir, site, outside) = site_and_outside();
    symlink(outside.join("page.md"), site.join("content/leak.md")).expect("link");
    refused_as_outside_link(&site, "content/leak.md");
}

#[test]
fn a_broken_link_out_of_the_site_is_refused_without_naming_its_target() {
    let (_dir, site, outside) = site_and_outside();
    let target = outside.join(format!("{SECRET}/missing.yaml"));
    symlink(&target, site.join("procedures/leak.yaml")).expect("link");
    refused_as_outside_link(&site, "procedures/leak.yaml");
    // A broken link within the site names its target, which helps to mend it.
    std::fs::remove_file(site.join("procedures/leak.yaml")).expect("rm");
    symlink("../shared/gone.yaml", site.join("procedures/leak.yaml")).expect("link");
    let (code, _, stderr) = check(&site);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("this is a link to ../shared/gone.yaml, which cannot be read"),
        "{stderr}"
    );
}

#[test]
fn the_site_file_linked_outside_is_refused() {
    let (_dir, site, outside) = site_and_outside();
    std::fs::remove_file(site.join("site.yaml")).expect("rm");
    symlink(outside.join("passwd"), site.join("site.yaml")).expect("link");
    refused_as_outside_link(&site, "site.yaml");
}

#[test]
fn links_inside_the_site_are_fine() {
    let (_dir, site, _outside) = site_and_outside();
    std::fs::create_dir_all(site.join("shared")).expect("mkdir");
    std::fs::rename(
        site.join("procedures/doncaster.yaml"),
        site.join("shared/doncaster.yaml"),
    )
    .expect("move");
    symlink(
        "../shared/doncaster.yaml",
        site.join("procedures/doncaster.yaml"),
    )
    .expect("link");
    std::fs::rename(site.join("content/about.md"), site.join("shared/about.md")).expect("move");
    symlink("../shared/about.md", site.join("content/about.md")).expect("link");
    let out = site.parent().expect("parent").join("public");
    let (code, stdout, stderr) = build_into(&site, &out, &[]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let files = files_in(&out);
    assert!(files.contains_key("doncaster/index.html"), "{files:?}");
    assert!(files.contains_key("about/index.html"), "{files:?}");
}

#[test]
fn a_procedures_folder_linked_outside_is_refused_and_nothing_in_it_is_read() {
    let (_dir, site, outside) = site_and_outside();
    let linked = outside.join("procedures");
    std::fs::create_dir_all(&linked).expect("mkdir");
    std::fs::copy(outside.join("procedure.yaml"), linked.join("leak.yaml")).expect("copy");
    std::fs::remove_dir_all(site.join("procedures")).expect("rm");
    symlink(&linked, site.join("procedures")).expect("link");
    refused_as_outside_link(&site, "procedures");
}

#[test]
fn a_link_to_a_folder_outside_is_refused_and_nothing_in_it_is_read_or_published() {
    let (_dir, site, outside) = site_and_outside();
    symlink(outside.join("docs"), site.join("content/docs")).expect("link");
    refused_as_outside_link(&site, "content/docs");
    std::fs::remove_file(site.join("content/docs")).expect("rm");
    if Path::new("/usr").is_dir() {
        symlink("/usr", site.join("content/usr")).expect("link");
        refused_as_outside_link(&site, "content/usr");
    }
}

#[test]
fn hidden_files_in_content_and_the_theme_are_skipped() {
    let (_dir, site, _outside) = site_and_outside();
    let content = site.join("content");
    // Emacs' lock file: a link to nowhere named `.#FILE`.
    symlink("someone@host.1234:1700000000", content.join(".#about.md")).expect("link");
    // macOS' resource fork files: binary.
    std::fs::write(
        content.join("._about.md"),
        b"\0\x05\x16\x07\0\x02\0\0Mac OS X",
    )
    .expect("write");
    std::fs::create_dir_all(content.join(".obsidian/plugins")).expect("mkdir");
    std::fs::write(content.join(".obsidian/workspace.md"), "no front matter").expect("write");
    std::fs::write(content.join(".obsidian/plugins/Notes.md"), "# Bad Name").expect("write");
    let theme = site.join("themes/default");
    std::fs::create_dir_all(theme.join("static/.cache")).expect("mkdir");
    std::fs::create_dir_all(theme.join("templates")).expect("mkdir");
    std::fs::write(theme.join("static/.DS_Store"), b"\0\0\0\x01Bud1").expect("write");
    std::fs::write(theme.join("static/.cache/x.css"), "p{}").expect("write");
    std::fs::write(theme.join("templates/.page.html.swp"), b"\xff\xfe{% if %}").expect("write");
    std::fs::write(theme.join("templates/._page.html"), b"\0\x05\x16\x07").expect("write");
    std::fs::write(theme.join("static/extra.css"), "p { margin: 0 }").expect("write");
    let (code, stdout, stderr) = check(&site);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let out = site.parent().expect("parent").join("public");
    let (code, stdout, stderr) = build_into(&site, &out, &[]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let files = files_in(&out);
    assert!(
        files.contains_key("assets/extra.css"),
        "the theme's own file is published"
    );
    // The build writes no hidden file of its own either.
    let hidden: Vec<&String> = files
        .keys()
        .filter(|f| f.split('/').any(|part| part.starts_with('.')))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}

#[test]
fn a_theme_must_be_a_folder_under_themes() {
    let (_dir, site, outside) = site_and_outside();
    std::fs::create_dir_all(outside.join("static")).expect("mkdir");
    std::fs::write(outside.join("static/secret.css"), SECRET).expect("write");
    let outside_name = outside.to_str().expect("utf-8").to_string();
    let original = std::fs::read_to_string(site.join("site.yaml")).expect("read");
    let line = original
        .lines()
        .position(|l| l.starts_with("theme:"))
        .expect("a theme line")
        + 1;
    for theme in [
        outside_name.as_str(),
        "../outside",
        "themes/x",
        "a b",
        "..",
        "",
    ] {
        let text = original.replacen("theme: default", &format!("theme: '{theme}'"), 1);
        std::fs::write(site.join("site.yaml"), text).expect("write");
        let (code, stdout, stderr) = check(&site);
        assert_eq!(code, 1, "{theme}: {stdout}\n{stderr}");
        assert!(
            stderr.contains(&format!("site.yaml:{line}:"))
                && stderr.contains("is not the name of a folder under themes/"),
            "{theme}: {stderr}"
        );
        let out = site.parent().expect("parent").join("public");
        let (code, _, _) = build_into(&site, &out, &[]);
        assert_eq!(code, 1, "{theme}");
        assert!(!out.join("assets/secret.css").exists());
    }
    // A theme folder that is a link out of the site is refused too.
    std::fs::create_dir_all(site.join("themes")).expect("mkdir");
    symlink(&outside, site.join("themes/evil")).expect("link");
    let text = original.replacen("theme: default", "theme: evil", 1);
    std::fs::write(site.join("site.yaml"), text).expect("write");
    let (code, stdout, stderr) = check(&site);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("themes/evil: error: this is a link that leaves the site folder"),
        "{stderr}"
    );
    assert!(!stderr.contains(SECRET));
    // And so is a static file linked out of a theme inside the site.
    std::fs::remove_file(site.join("themes/evil")).expect("rm");
    std::fs::create_dir_all(site.join("themes/evil/static")).expect("mkdir");
    symlink(
        outside.join("static/secret.css"),
        site.join("themes/evil/static/s.css"),
    )
    .expect("link");
    let (code, stdout, stderr) = check(&site);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(
        stderr.contains(
            "themes/evil/static/s.css: error: this is a link that leaves the site folder"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains(SECRET));
}

/// `text` with each line end turned into a lone carriage return.
fn cr_only(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', "\r")
}

#[test]
fn a_file_with_old_mac_line_ends_reads_like_its_copy_with_line_feeds() {
    let (dir, site, _outside) = site_and_outside();
    let cr_site = dir.path().join("cr-site");
    copy_tree(&site, &cr_site);
    for file in ["procedures/doncaster.yaml", "content/about.md"] {
        let text = std::fs::read_to_string(site.join(file)).expect("read");
        assert!(text.contains('\n'));
        std::fs::write(cr_site.join(file), cr_only(&text)).expect("write");
    }
    let (lf_out, cr_out) = (dir.path().join("lf-out"), dir.path().join("cr-out"));
    let (code, stdout, stderr) = build_into(&site, &lf_out, &[]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let (code, stdout, stderr) = build_into(&cr_site, &cr_out, &[]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let (lf, cr) = (files_in(&lf_out), files_in(&cr_out));
    assert_eq!(lf.keys().collect::<Vec<_>>(), cr.keys().collect::<Vec<_>>());
    for (name, path) in &lf {
        assert!(
            std::fs::read(path).expect("read") == std::fs::read(&cr[name]).expect("read"),
            "{name} differs"
        );
    }
    // A mistake in the CR-only file is reported at its line, and the line is shown.
    let file = cr_site.join("procedures/doncaster.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    let line = text
        .split('\r')
        .position(|l| l.starts_with("short_title:"))
        .expect("a short_title line")
        + 1;
    assert!(line > 1);
    std::fs::write(&file, text.replacen("short_title:", "short_titel:", 1)).expect("write");
    let (code, stdout, stderr) = check(&cr_site);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(
        stderr.contains(&format!(
            "procedures/doncaster.yaml:{line}:1: error: unknown field 'short_titel'"
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("only comments"), "{stderr}");
    // And one in a page's front matter too.
    let page = cr_site.join("content/about.md");
    let text = std::fs::read_to_string(&page).expect("read");
    std::fs::write(&page, text.replacen("title:", "titel:", 1)).expect("write");
    let (code, _, stderr) = check(&cr_site);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("content/about.md:2:1: error: unknown field 'titel'"),
        "{stderr}"
    );
}
