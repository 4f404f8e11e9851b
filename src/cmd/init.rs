//! `waymark init [DIR]`: create a new site with an example procedure and a
//! guidance page.

use std::path::Path;
use std::process::ExitCode;

use crate::diagnostics;

use super::new::STARTER_PROCEDURE;

/// The files `waymark init` writes: (path, contents).
const STARTER_SITE: &[(&str, &str)] = &[
    ("site.yaml", include_str!("starter/site.yaml")),
    ("content/about.md", include_str!("starter/about.md")),
];

pub fn run(dir: &Path) -> ExitCode {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            eprintln!(
                "error: {} is not empty; nothing was written\n  = hint: choose a new or empty folder",
                diagnostics::display_path(dir)
            );
            return ExitCode::FAILURE;
        }
    }
    let procedure = STARTER_PROCEDURE.replace("__TITLE__", "Example Procedure");
    let mut files: Vec<(&str, &str)> = STARTER_SITE.to_vec();
    files.push(("procedures/example.yaml", &procedure));
    for (path, text) in files {
        let target = dir.join(path);
        let written = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&target, text));
        if let Err(e) = written {
            eprintln!(
                "error: cannot write {}: {e}",
                diagnostics::display_path(&target)
            );
            return ExitCode::FAILURE;
        }
    }
    println!(
        "created a site in {}: run `waymark build --root {}` to build it",
        diagnostics::display_path(dir),
        diagnostics::display_path(dir)
    );
    ExitCode::SUCCESS
}
