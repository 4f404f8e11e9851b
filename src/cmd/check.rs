//! `waymark check`: load and check the whole site, print every problem, and
//! say how many there were.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;

use crate::diagnostics::{self, plural, print_diagnostics};
use crate::load::{self, PROCEDURES_DIR};

pub fn run(root: &Path, today: NaiveDate, deny_warnings: bool) -> ExitCode {
    let site = load::load_site(root);
    let list = crate::check::check_site(&site, today);
    print_diagnostics(&list);
    let (errors, warnings) = diagnostics::count(&list);
    let checked = format!(
        "checked {} in {}",
        plural(site.procedure_files, "procedure file"),
        diagnostics::display_path(&if root == Path::new(".") {
            PathBuf::from(PROCEDURES_DIR)
        } else {
            root.join(PROCEDURES_DIR)
        })
    );
    if errors == 0 && warnings == 0 {
        println!("{checked}: no problems found");
        return ExitCode::SUCCESS;
    }
    let files = list
        .iter()
        .map(|d| &d.file)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    eprintln!(
        "{checked}: {} and {} in {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(files, "file")
    );
    if errors > 0 || (deny_warnings && warnings > 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
