//! Helpers shared by the integration tests: run the real binary, build a site into a temp folder.
#![allow(dead_code)] // each test crate uses a different subset

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root, which is itself the five-county site.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `waymark` with `args`, returning (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_waymark"))
        .args(args)
        .output()
        .expect("the waymark binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Builds the site at `root` into `out`, returning (exit code, stdout, stderr).
pub fn build_into(root: &Path, out: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().expect("utf-8 path"),
        "-o",
        out.to_str().expect("utf-8 path"),
        "--today",
        "2026-11-23",
    ];
    args.extend_from_slice(extra);
    run(&args)
}

/// Builds the site at `root` into a fresh temp folder; panics with the diagnostics if it fails.
pub fn build_site(root: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("public");
    let (code, stdout, stderr) = build_into(root, &out, extra);
    assert_eq!(code, 0, "build failed:\n{stdout}\n{stderr}");
    (dir, out)
}

/// Every file under `dir`, by its path relative to `dir` with forward slashes.
pub fn files_in(dir: &Path) -> std::collections::BTreeMap<String, PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside");
            (
                rel.to_string_lossy().replace('\\', "/"),
                e.path().to_path_buf(),
            )
        })
        .collect()
}

/// Copies a folder tree (for tests that change a site).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(from).expect("inside");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A copy of the repository's site (site.yaml, procedures, content) in a temp folder.
pub fn copy_of_repo_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = repo_root();
    std::fs::copy(root.join("site.yaml"), dir.path().join("site.yaml")).expect("site.yaml");
    for sub in ["procedures", "content", "sources"] {
        copy_tree(&root.join(sub), &dir.path().join(sub));
    }
    dir
}

/// The starter procedure `waymark new` writes, titled `title`, with its own text in
/// place of the example text that check warns about: a valid, quiet procedure.
pub fn starter_with_own_text(title: &str) -> String {
    [
        ("The area this procedure covers", "Testshire"),
        ("The body that oversees the procedure", "Test Council"),
        (
            "What this procedure is for, in a sentence or two.",
            "Settling disagreements about the Testshire Compact.",
        ),
        (
            "Who the procedure is for",
            "Organisations party to the Testshire Compact",
        ),
        ("The owning body", "Test Council"),
        (
            "The published procedure's title",
            "The Testshire Compact Procedure",
        ),
        ("coordinator@example.org", "coordinator@testshire.gov.uk"),
        ("__TITLE__", title),
    ]
    .into_iter()
    .fold(
        include_str!("../../src/cmd/starter/procedure.yaml").to_string(),
        |text, (example, own)| text.replace(example, own),
    )
}
