//! `waymark build`: build the site into a folder and report what was written,
//! or every problem that stopped it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;

use crate::diagnostics::{self, Diagnostic, plural, print_diagnostics};

pub fn run(
    root: &Path,
    output: PathBuf,
    base_url: Option<String>,
    today: NaiveDate,
    quiet: bool,
) -> ExitCode {
    if let Some(url) = &base_url
        && !crate::model::contact::is_web_url(url)
    {
        eprintln!(
            "error: --base-url '{url}' is not a web address\n  = hint: write it in full, e.g. https://example.org/procedures/"
        );
        return ExitCode::from(2);
    }
    let output = if output.is_relative() {
        root.join(output)
    } else {
        output
    };
    let options = crate::write::BuildOptions {
        root: root.to_path_buf(),
        output: output.clone(),
        base_url,
        today,
    };
    let had_site = crate::write::is_waymark_output(&output);
    // `--root .` joins as `./public`; say `public`, as the user would.
    let shown = diagnostics::display_path(output.strip_prefix(".").unwrap_or(&output));
    match crate::write::build(&options) {
        Ok(report) => {
            if !quiet {
                print_diagnostics(&report.warnings);
                println!(
                    "built {} ({} files) in {} ms into {}",
                    plural(report.pages, "page"),
                    report.files,
                    report.elapsed.as_millis(),
                    shown
                );
            }
            ExitCode::SUCCESS
        }
        Err(failure) => {
            let errors = match failure {
                crate::write::BuildFailure::Refused(mut list) => {
                    // As `check` prints them; --quiet keeps the errors only.
                    if quiet {
                        list.retain(Diagnostic::is_error);
                    }
                    print_diagnostics(&list);
                    diagnostics::count(&list).0
                }
                crate::write::BuildFailure::Failed { errors, warnings } => {
                    if !quiet {
                        print_diagnostics(&warnings);
                    }
                    crate::error::print_errors(&errors);
                    errors.len()
                }
            };
            let kept = if had_site {
                format!("the previous site in {shown} is unchanged")
            } else {
                format!("nothing was written to {shown}")
            };
            eprintln!("build failed with {}; {kept}", plural(errors, "error"));
            ExitCode::FAILURE
        }
    }
}
