//! docs/authoring.md section 7 shows check's messages word for word: each example
//! block is what check prints for the example file it names, and each message in
//! its tables is one check prints for one of the example files in
//! `tests/fixtures/bad/`.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

/// Section 7 of the coordinators' guide.
fn section_7() -> String {
    let guide = fs::read_to_string(support::repo_root().join("docs/authoring.md")).expect("guide");
    let start = guide.find("## 7. ").expect("the guide has a section 7");
    let end = guide[start..]
        .find("\n## 8. ")
        .map_or(guide.len(), |end| start + end);
    guide[start..end].to_string()
}

fn fixtures() -> PathBuf {
    support::repo_root().join("tests/fixtures/bad")
}

/// What check prints (on standard error) for a site holding only the example `name`.
fn check_output(name: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("site.yaml"), "title: Test site\n").expect("site.yaml");
    let procedures = dir.path().join("procedures");
    fs::create_dir_all(&procedures).expect("procedures/");
    let from = fixtures().join(name);
    let files: Vec<PathBuf> = if from.is_dir() {
        fs::read_dir(&from)
            .expect("example folder")
            .map(|e| e.expect("entry").path())
            .collect()
    } else {
        vec![from]
    };
    for file in files {
        fs::copy(&file, procedures.join(file.file_name().expect("a name"))).expect("copy");
    }
    let root = dir.path().to_str().expect("UTF-8 path");
    let (_, _, stderr) = support::run(&["check", "--root", root, "--today", "2026-11-23"]);
    stderr
}

/// The fenced ```text blocks of `section`.
fn text_blocks(section: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut rest = section;
    while let Some(open) = rest.find("```text\n") {
        let body = &rest[open + "```text\n".len()..];
        let close = body.find("\n```").expect("a closed block");
        blocks.push(body[..close + 1].to_string());
        rest = &body[close + 4..];
    }
    blocks
}

/// The messages in the first column of section 7's tables, without "warning: ".
fn table_messages(section: &str) -> Vec<String> {
    section
        .lines()
        .filter(|line| line.starts_with("| ") && !line.starts_with("| check says"))
        .filter_map(|line| {
            let cell = line.trim_start_matches("| ").split(" | ").next()?;
            let cell = cell.trim_start_matches("warning: ");
            Some(cell.strip_prefix('`')?.strip_suffix('`')?.to_string())
        })
        .collect()
}

#[test]
fn each_example_block_is_what_check_prints() {
    let blocks = text_blocks(&section_7());
    assert!(
        blocks.len() >= 2,
        "section 7 shows {} examples",
        blocks.len()
    );
    for block in blocks {
        let file = block
            .split(':')
            .next()
            .and_then(|path| Path::new(path).file_name())
            .and_then(|name| name.to_str())
            .expect("the example names its file first")
            .to_string();
        let printed = check_output(&file);
        assert!(
            printed.starts_with(&block),
            "docs/authoring.md section 7 shows for {file}:\n{block}\ncheck prints:\n{printed}"
        );
    }
}

#[test]
fn each_message_in_the_tables_is_one_check_prints() {
    let messages = table_messages(&section_7());
    assert!(messages.len() >= 30, "only {} messages", messages.len());
    let printed: String = fs::read_dir(fixtures())
        .expect("examples")
        .map(|e| check_output(&e.expect("entry").file_name().to_string_lossy()))
        .collect();
    for message in messages {
        let as_printed = [
            format!("error: {message}\n"),
            format!("warning: {message}\n"),
        ];
        assert!(
            as_printed
                .iter()
                .any(|line| printed.contains(line.as_str())),
            "docs/authoring.md section 7 shows a message check does not print for any example: {message}"
        );
    }
}
