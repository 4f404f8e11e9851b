//! The command line: parses arguments, runs a verb, prints for humans, and
//! turns the outcome into an exit code (0 fine, 1 problems found, 2 misuse).
//! Each verb is a module of its own.

mod build;
mod check;
mod init;
mod new;
mod schema;
mod serve;

pub use new::STARTER_PROCEDURE;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

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
    /// Create a new site: site.yaml, an example procedure, a guidance page and the schemas for editors.
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
    /// Write a starter procedure file, procedures/NAME.yaml, that passes `check` (in a site's folder).
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
        } => check::run(&root, today, deny_warnings),
        Command::Build {
            root,
            output,
            base_url,
            quiet,
        } => build::run(&root, output, base_url, today, quiet),
        Command::Serve {
            root,
            port,
            bind,
            open,
        } => serve::run(crate::serve::ServeOptions {
            root,
            port,
            bind,
            open,
            today: cli.today,
        }),
        Command::Init { dir } => init::run(&dir),
        Command::Schema { site } => schema::run(site),
        Command::New { name, root } => new::run(&root, &name),
    }
}
