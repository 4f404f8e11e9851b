//! A newcomer's first commands: `init` makes a site whose files editors can
//! check, `new` refuses a folder that is not a site, and the messages say what
//! is true.

mod support;

use std::path::Path;
use std::process::Command;

use support::{build_into, build_site, copy_of_repo_site, repo_root, run};

fn utf8(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// The file a YAML file's first-line `$schema=` comment points at, resolved from its folder.
fn schema_named_by(file: &Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(file).expect("read");
    let first = text.lines().next().unwrap_or_default();
    let (_, target) = first
        .split_once("$schema=")
        .unwrap_or_else(|| panic!("{} names no schema: {first}", file.display()));
    file.parent().expect("folder").join(target.trim())
}

#[test]
fn init_writes_the_schemas_its_files_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("my-site");
    let (code, stdout, stderr) = run(&["init", utf8(&site)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(&format!("waymark serve --root {}", utf8(&site))),
        "{stdout}"
    );

    let procedure = schema_named_by(&site.join("procedures/example.yaml"));
    assert_eq!(
        std::fs::read_to_string(&procedure).expect("procedure schema"),
        waymark::model::schema::procedure_schema()
    );
    let site_schema = schema_named_by(&site.join("site.yaml"));
    assert_eq!(
        std::fs::read_to_string(&site_schema).expect("site schema"),
        waymark::model::schema::site_schema()
    );

    // A procedure added later, in the site's folder, names the same schema.
    let new = Command::new(env!("CARGO_BIN_EXE_waymark"))
        .args(["new", "second-one"])
        .current_dir(&site)
        .output()
        .expect("runs");
    let said = String::from_utf8_lossy(&new.stdout);
    assert!(new.status.success(), "{said}");
    assert!(
        said.starts_with("wrote procedures/second-one.yaml"),
        "{said}"
    );
    assert_eq!(
        schema_named_by(&site.join("procedures/second-one.yaml")),
        procedure
    );
    // And the schema folder does not get in the way of checking or building.
    // (The two starter procedures are warned about only for their example text.)
    let (code, _, stderr) = run(&["check", "--root", utf8(&site)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.ends_with("0 errors and 2 warnings in 2 files\n")
            && stderr
                .matches("still holds the starter's example text")
                .count()
                == 2,
        "{stderr}"
    );
    let (_out_dir, out) = build_site(&site, &[]);
    assert!(!out.join("schema").exists());
}

#[test]
fn init_says_how_to_get_the_waymark_command_when_there_is_none() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    let output = Command::new(env!("CARGO_BIN_EXE_waymark"))
        .args(["init", utf8(&site)])
        .env("PATH", dir.path())
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    assert!(
        stdout.contains("cargo install --locked --path ."),
        "{stdout}"
    );
}

#[test]
fn init_into_a_file_says_it_is_a_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "mine").expect("write");
    let (code, _, stderr) = run(&["init", utf8(&file)]);
    assert_eq!(code, 1);
    assert!(stderr.contains("is a file"), "{stderr}");
    assert!(!stderr.contains("not empty"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "mine");
}

#[test]
fn new_outside_a_site_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, stdout, stderr) = run(&["new", "my-procedure", "--root", utf8(dir.path())]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("site.yaml does not exist"), "{stderr}");
    assert!(stderr.contains("waymark init"), "{stderr}");
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("list").count(),
        0,
        "no stray procedures/ folder"
    );
}

#[test]
fn a_failed_first_build_does_not_speak_of_a_previous_site() {
    let site = copy_of_repo_site();
    let file = site.path().join("procedures/doncaster.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, text.replace("short_title:", "short_titel:")).expect("write");
    let out = site.path().join("public");
    let (code, _, stderr) = build_into(site.path(), &out, &[]);
    assert_eq!(code, 1);
    assert!(!stderr.contains("previous site"), "{stderr}");
    assert!(stderr.contains("nothing was written to"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn the_404_page_has_no_canonical_link_and_no_marker_is_published() {
    let (_dir, out) = build_site(&repo_root(), &["--base-url", "https://example.org/x/"]);
    let not_found = std::fs::read_to_string(out.join("404.html")).expect("404");
    assert!(!not_found.contains("rel=\"canonical\""), "{not_found}");
    let home = std::fs::read_to_string(out.join("index.html")).expect("home");
    assert!(home.contains("<link rel=\"canonical\" href=\"https://example.org/x/\">"));
    // The output is known as waymark's by its own files: no marker goes up with it.
    assert!(!out.join(".waymark-output").exists());
    let hidden: Vec<String> = support::files_in(&out)
        .into_keys()
        .filter(|path| path.split('/').any(|part| part.starts_with('.')))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}
