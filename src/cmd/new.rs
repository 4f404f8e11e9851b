//! `waymark new NAME`: write a commented starter procedure that passes `check`.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use crate::diagnostics;
use crate::load::{self, PROCEDURES_DIR, SITE_FILE};

/// The starter procedure that `waymark new` writes.
pub const STARTER_PROCEDURE: &str = include_str!("starter/procedure.yaml");

pub fn run(root: &Path, name: &str) -> ExitCode {
    if !load::is_valid_slug(name) {
        eprintln!(
            "error: '{name}' cannot be used as a procedure name\n  = hint: use lower-case letters, digits and hyphens, e.g. '{}'",
            crate::model::slug(name)
        );
        return ExitCode::from(2);
    }
    if !root.join(SITE_FILE).is_file() {
        eprintln!(
            "error: {} does not exist, so this is not a site's folder; nothing was written\n  = hint: run it in the folder holding {SITE_FILE}, or pass --root FOLDER; `waymark init FOLDER` creates a new site",
            diagnostics::display_path(&root.join(SITE_FILE))
        );
        return ExitCode::from(2);
    }
    let dir = root.join(PROCEDURES_DIR);
    let file = dir.join(format!("{name}.yaml"));
    // `procedures/x.yaml` rather than `./procedures/x.yaml` in the site's own folder.
    let file = file.strip_prefix(".").unwrap_or(&file).to_path_buf();
    if file.exists() {
        eprintln!(
            "error: {} already exists; nothing was written\n  = hint: choose another name or edit that file",
            diagnostics::display_path(&file)
        );
        return ExitCode::FAILURE;
    }
    let title = name
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ");
    let text = STARTER_PROCEDURE.replace("__TITLE__", &title);
    let written = std::fs::create_dir_all(&dir).and_then(|()| {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&file)
            .and_then(|mut f| f.write_all(text.as_bytes()))
    });
    match written {
        Ok(()) => {
            println!(
                "wrote {}: edit it, then run `waymark check`",
                diagnostics::display_path(&file)
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "error: cannot write {}: {e}",
                diagnostics::display_path(&file)
            );
            ExitCode::FAILURE
        }
    }
}
