//! `waymark init [DIR]`: create a new site with an example procedure, a
//! guidance page, and the JSON Schemas its files name for editors.

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
    let shown = diagnostics::display_path(dir);
    if dir.exists() && !dir.is_dir() {
        eprintln!(
            "error: {shown} is a file, not a folder; nothing was written\n  = hint: choose a new or empty folder"
        );
        return ExitCode::FAILURE;
    }
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            eprintln!(
                "error: {shown} is not empty; nothing was written\n  = hint: choose a new or empty folder"
            );
            return ExitCode::FAILURE;
        }
    }
    let procedure = STARTER_PROCEDURE.replace("__TITLE__", "Example Procedure");
    // The starter files' `$schema` comments point here, so that editors check them as you type.
    let procedure_schema = crate::model::schema::procedure_schema();
    let site_schema = crate::model::schema::site_schema();
    let mut files: Vec<(&str, &str)> = STARTER_SITE.to_vec();
    files.push(("procedures/example.yaml", &procedure));
    files.push(("schema/procedure.schema.json", &procedure_schema));
    files.push(("schema/site.schema.json", &site_schema));
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
    let root = if dir == Path::new(".") {
        String::new()
    } else {
        format!(" --root {shown}")
    };
    println!(
        "created a site in {shown}\n  \
         preview it as you edit:  waymark serve{root}\n  \
         add a procedure:         waymark new NAME{root}\n  \
         build it for a host:     waymark build{root}"
    );
    if !on_path("waymark") {
        println!(
            "  = note: there is no `waymark` command on your PATH yet: in waymark's source folder, \
             `cargo install --locked --path .` installs it (into ~/.cargo/bin)"
        );
    }
    ExitCode::SUCCESS
}

/// Whether a program of this name is in a folder on the PATH.
fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|dir| {
            dir.join(format!("{program}{}", std::env::consts::EXE_SUFFIX))
                .is_file()
        })
    })
}
