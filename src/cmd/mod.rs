//! The command line: parses arguments, runs a verb, prints for humans, and
//! turns the outcome into an exit code (0 fine, 1 problems found, 2 misuse).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::diagnostics::{self, Diagnostic, plural};
use crate::load::{self, PROCEDURES_DIR};

/// Builds an interactive static site of staged procedures from YAML and Markdown.
#[derive(Debug, Parser)]
#[command(name = "waymark", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Treat this as today's date (YYYY-MM-DD) when checking review dates.
    #[arg(long, global = true, hide = true, value_parser = parse_date)]
    today: Option<NaiveDate>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check every procedure file and report all problems at once.
    Check {
        /// The site folder (the one holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Fail (exit 1) on warnings too.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Build the site into a folder of plain files for any static web host.
    Build {
        /// The site folder (the one holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The output folder, relative to the site folder unless absolute (replaced whole on success; refused if it holds other files).
        #[arg(short, long, default_value = "public")]
        output: PathBuf,
        /// The address the site will be published at, for the sitemap and canonical links.
        #[arg(long)]
        base_url: Option<String>,
        /// Print only errors.
        #[arg(long)]
        quiet: bool,
    },
    /// Build the site, serve it on this machine, and rebuild and reload pages as files change.
    Serve {
        /// The site folder (the one holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on; 0 takes any free port.
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// The address to listen on: 127.0.0.1 for this machine only, 0.0.0.0 for your network too.
        #[arg(long, default_value = "127.0.0.1", value_parser = parse_bind)]
        bind: std::net::IpAddr,
        /// Open the site in the default web browser.
        #[arg(long)]
        open: bool,
    },
    /// Create a new site: site.yaml, an example procedure and a guidance page.
    Init {
        /// The folder to create the site in (must be empty or not exist).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Print the JSON Schema of procedure files (or of site.yaml with --site).
    Schema {
        /// Print the schema of site.yaml instead.
        #[arg(long)]
        site: bool,
    },
    /// Write a starter procedure file, procedures/NAME.yaml, that passes `check`.
    New {
        /// The new procedure's file name: lower-case letters, digits and hyphens.
        name: String,
        /// The site folder (the one holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

fn parse_bind(text: &str) -> Result<std::net::IpAddr, String> {
    if text == "localhost" {
        return Ok(std::net::Ipv4Addr::LOCALHOST.into());
    }
    text.parse()
        .map_err(|_| format!("'{text}' is not an IP address: use e.g. 127.0.0.1 or 0.0.0.0"))
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| format!("{e}: write YYYY-MM-DD"))
}

/// Runs the command line and returns the exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let today = cli
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    match cli.command {
        Command::Check {
            root,
            deny_warnings,
        } => check(&root, today, deny_warnings),
        Command::Build {
            root,
            output,
            base_url,
            quiet,
        } => build(&root, output, base_url, today, quiet),
        Command::Serve {
            root,
            port,
            bind,
            open,
        } => crate::serve::serve(&crate::serve::ServeOptions {
            root,
            port,
            bind,
            open,
            today: cli.today,
        }),
        Command::Init { dir } => init(&dir),
        Command::Schema { site } => {
            let text = if site {
                crate::model::schema::site_schema()
            } else {
                crate::model::schema::procedure_schema()
            };
            print!("{text}");
            ExitCode::SUCCESS
        }
        Command::New { name, root } => new_procedure(&root, &name),
    }
}

/// Prints diagnostics to standard error, each followed by a blank line.
pub fn print_diagnostics(list: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in list {
        let _ = writeln!(err, "{}", d.render());
    }
}

fn check(root: &Path, today: NaiveDate, deny_warnings: bool) -> ExitCode {
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

/// The starter procedure that `waymark new` writes.
pub const STARTER_PROCEDURE: &str = include_str!("starter/procedure.yaml");

fn new_procedure(root: &Path, name: &str) -> ExitCode {
    if !load::is_valid_slug(name) {
        eprintln!(
            "error: '{name}' cannot be used as a procedure name\n  = hint: use lower-case letters, digits and hyphens, e.g. '{}'",
            crate::model::slug(name)
        );
        return ExitCode::from(2);
    }
    let dir = root.join(PROCEDURES_DIR);
    let file = dir.join(format!("{name}.yaml"));
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

fn build(
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
    match crate::write::build(&options) {
        Ok(report) => {
            if !quiet {
                print_diagnostics(&report.warnings);
                println!(
                    "built {} ({} files) in {} ms into {}",
                    plural(report.pages, "page"),
                    report.files,
                    report.elapsed.as_millis(),
                    diagnostics::display_path(&output)
                );
            }
            ExitCode::SUCCESS
        }
        Err(list) => {
            print_diagnostics(&list);
            let (errors, _) = diagnostics::count(&list);
            eprintln!(
                "build failed with {}; the previous site in {} is unchanged",
                plural(errors, "error"),
                diagnostics::display_path(&output)
            );
            ExitCode::FAILURE
        }
    }
}

/// The files `waymark init` writes: (path, contents).
const STARTER_SITE: &[(&str, &str)] = &[
    ("site.yaml", include_str!("starter/site.yaml")),
    ("content/about.md", include_str!("starter/about.md")),
];

fn init(dir: &Path) -> ExitCode {
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
