//! `waymark check`: load and check the whole site as `build` and `serve` do
//! (procedures, pages, the site file, the theme, and the rules across files),
//! print every problem, and say how many there were.

use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;

use crate::diagnostics::{self, plural, print_diagnostics};
use crate::load::LoadedProcedure;
use crate::site::{self, Counts};

pub fn run(root: &Path, today: NaiveDate, deny_warnings: bool) -> ExitCode {
    let (list, counts) = match site::load_and_check(root, today) {
        Ok(site) => {
            for lp in &site.procedures {
                println!("{}", against_published_text(lp));
            }
            (site.warnings, site.counts)
        }
        Err(rejected) => (rejected.diagnostics, rejected.counts),
    };
    print_diagnostics(&list);
    let (errors, warnings) = diagnostics::count(&list);
    let checked = summary(root, counts);
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

/// How much of its published text a procedure quotes word for word:
/// "doncaster: 40 of 52 sentences of sources/doncaster.md quoted word for word (76%)".
fn against_published_text(lp: &LoadedProcedure) -> String {
    match (crate::check::source::coverage(lp), &lp.source_text) {
        (Some(c), Some(text)) => format!(
            "{}: {} of {} of {} quoted word for word ({}%)",
            lp.slug,
            c.quoted,
            plural(c.sentences, "sentence"),
            text.file.display(),
            c.percent()
        ),
        _ => format!(
            "{}: not checked against a published text (no source.text)",
            lp.slug
        ),
    }
}

/// "checked 5 procedures and 4 pages in site/", naming the folder unless it is the current one.
fn summary(root: &Path, counts: Counts) -> String {
    let mut line = format!(
        "checked {} and {}",
        plural(counts.procedures, "procedure"),
        plural(counts.pages, "page")
    );
    if root != Path::new(".") {
        line.push_str(" in ");
        line.push_str(&diagnostics::display_path(root));
    }
    line
}
