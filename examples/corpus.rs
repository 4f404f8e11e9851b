//! Writes a synthetic site for benchmarking: N procedures and M Markdown pages,
//! the same for the same seed.
//!
//! ```sh
//! cargo run --release --example corpus -- --procedures 1000 --pages 1 --seed 1 --out CORPUS
//! waymark build --root CORPUS -o OUT --today 2026-11-23
//! ```
//!
//! The folder given to `--out` must not exist or be empty. Check and build
//! the corpus with `--today` set to the date printed at the end (every
//! `last_reviewed` date is before it, and no review is due by it).
//! `scripts/bench.sh` runs this for each size it measures.

#[path = "corpus/generator.rs"]
mod generator;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: corpus --procedures N --pages M [--seed S] --out DIR";

fn main() -> ExitCode {
    let mut procedures = None;
    let mut pages = None;
    let mut seed = 1u64;
    let mut out: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        let Some(value) = args.next() else {
            eprintln!("error: {flag} needs a value\n{USAGE}");
            return ExitCode::from(2);
        };
        let number = || value.replace([',', '_'], "").parse::<u64>();
        match (flag.as_str(), number()) {
            ("--procedures", Ok(n)) => procedures = Some(n as usize),
            ("--pages", Ok(n)) => pages = Some(n as usize),
            ("--seed", Ok(n)) => seed = n,
            ("--out", _) => out = Some(PathBuf::from(&value)),
            ("--procedures" | "--pages" | "--seed", Err(_)) => {
                eprintln!("error: {flag} needs a whole number, not '{value}'\n{USAGE}");
                return ExitCode::from(2);
            }
            _ => {
                eprintln!("error: unknown option '{flag}'\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let (Some(procedures), Some(pages), Some(out)) = (procedures, pages, out) else {
        eprintln!("error: --procedures, --pages and --out are required\n{USAGE}");
        return ExitCode::from(2);
    };
    let options = generator::Options {
        procedures,
        pages,
        seed,
    };
    match generator::generate(&options, &out) {
        Ok(s) => {
            println!(
                "wrote {} procedures ({} nodes, {} contacts) and {} pages ({} words) to {}: {:.1} MiB; \
                 a build writes {} HTML pages; check and build with --today {}",
                s.procedures,
                s.nodes,
                s.contacts,
                s.pages,
                s.page_words,
                out.display(),
                s.bytes as f64 / 1_048_576.0,
                s.html_pages,
                generator::TODAY
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write the corpus: {e}");
            ExitCode::FAILURE
        }
    }
}
