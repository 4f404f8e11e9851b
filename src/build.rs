//! Building: load → check → render → write, with the old output kept safe.
//!
//! The site is written to a temporary folder beside the output and swapped in
//! only when every file is written, so a failed build leaves the previous
//! site untouched. waymark marks the folders it creates and refuses to
//! replace any folder it did not create, or one that holds the site's sources.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::render::{OutputFile, SiteInput};

/// The file that marks a folder as waymark's output, safe to replace.
pub const MARKER: &str = ".waymark-output";

/// What to build, and where.
pub struct BuildOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The output folder.
    pub output: PathBuf,
    /// A base URL overriding the site file's.
    pub base_url: Option<String>,
    /// Today's date, for review warnings.
    pub today: NaiveDate,
}

/// What a successful build did.
pub struct BuildReport {
    /// Files written.
    pub files: usize,
    /// HTML pages among them.
    pub pages: usize,
    /// How long it took.
    pub elapsed: Duration,
    /// Warnings found on the way.
    pub warnings: Vec<Diagnostic>,
}

/// Builds the site; on any error returns every problem and leaves the old output as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let started = Instant::now();
    check_output_folder(&options.root, &options.output).map_err(|d| vec![d])?;
    let mut site = crate::load::load_site(&options.root);
    let pages = crate::pages::load_pages(&options.root, &mut site.diagnostics);
    let diagnostics = crate::check::check_site(&site, options.today);
    let (errors, warnings): (Vec<_>, Vec<_>) =
        diagnostics.into_iter().partition(Diagnostic::is_error);
    if !errors.is_empty() {
        return Err(errors);
    }
    let Some(config) = &site.config else {
        return Err(vec![Diagnostic::error(
            "site.yaml",
            "the site file could not be read",
        )]);
    };
    let theme = crate::theme::load_theme(&options.root, &config.theme)?;
    let base_url = options.base_url.as_deref().or(config.base_url.as_deref());
    let files = crate::render::render_site(&SiteInput {
        config,
        procedures: &site.procedures,
        pages: &pages,
        theme: &theme,
        base_url,
        today: options.today,
    })?;
    write_atomically(&options.output, &files).map_err(|d| vec![d])?;
    Ok(BuildReport {
        files: files.len(),
        pages: files.iter().filter(|f| f.path.ends_with(".html")).count(),
        elapsed: started.elapsed(),
        warnings,
    })
}

/// An absolute, normalised form of `path` (following links where it exists).
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = fs::canonicalize(path) {
        return p;
    }
    let base = std::env::current_dir().unwrap_or_default();
    let joined = base.join(path);
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    // Canonicalise the part that exists so links in it are resolved too.
    match (
        out.parent().and_then(|p| fs::canonicalize(p).ok()),
        out.file_name(),
    ) {
        (Some(parent), Some(name)) => parent.join(name),
        _ => out,
    }
}

/// Refuses output folders that would destroy sources or someone else's files.
pub fn check_output_folder(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let root_abs = absolute(root);
    let out_abs = absolute(output);
    let shown = output.display().to_string();
    let refuse = |why: String| {
        Err(Diagnostic::error(&shown, why)
            .with_hint("choose a folder of its own for the built site, e.g. -o public"))
    };
    if root_abs.starts_with(&out_abs) {
        return refuse(format!(
            "refusing to build into {shown}: it holds the site's own files, which would be replaced"
        ));
    }
    for source in ["procedures", "content", "themes", "schema", "src", ".git"] {
        if out_abs.starts_with(root_abs.join(source)) {
            return refuse(format!(
                "refusing to build into {shown}: it is inside the site's {source}/ folder"
            ));
        }
    }
    if out_abs.is_file() {
        return refuse(format!("refusing to build into {shown}: it is a file"));
    }
    if out_abs.is_dir() && !out_abs.join(MARKER).is_file() {
        let empty = fs::read_dir(&out_abs)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return refuse(format!(
                "refusing to replace {shown}: it already holds files that waymark did not write"
            ));
        }
    }
    Ok(())
}

/// Writes `files` into a fresh folder beside `output`, then swaps it in.
pub fn write_atomically(output: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
    let out_abs = absolute(output);
    let parent = out_abs.parent().map(Path::to_path_buf).unwrap_or_default();
    let name = out_abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let fail = |what: &str, e: std::io::Error| {
        Diagnostic::error(output, format!("{what}: {e}"))
            .with_hint("check there is space on the disk and you may write to this folder; the previous site is unchanged")
    };
    fs::create_dir_all(&parent).map_err(|e| fail("cannot create the output's parent folder", e))?;
    let staging = parent.join(format!(".{name}.waymark-new-{}", std::process::id()));
    let retired = parent.join(format!(".{name}.waymark-old-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    let written = write_tree(&staging, files);
    if let Err(e) = written {
        let _ = fs::remove_dir_all(&staging);
        return Err(fail("cannot write the new site", e));
    }
    let had_old = out_abs.exists();
    if had_old && let Err(e) = fs::rename(&out_abs, &retired) {
        let _ = fs::remove_dir_all(&staging);
        return Err(fail("cannot move the previous site aside", e));
    }
    if let Err(e) = fs::rename(&staging, &out_abs) {
        if had_old {
            let _ = fs::rename(&retired, &out_abs);
        }
        let _ = fs::remove_dir_all(&staging);
        return Err(fail("cannot put the new site in place", e));
    }
    if had_old {
        let _ = fs::remove_dir_all(&retired);
    }
    Ok(())
}

fn write_tree(dir: &Path, files: &[OutputFile]) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    fs::write(
        dir.join(MARKER),
        "This folder is written by `waymark build` and replaced whole on every build.\n",
    )?;
    let folders: BTreeSet<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| dir.join(p)))
        .collect();
    for folder in folders {
        fs::create_dir_all(folder)?;
    }
    files
        .par_iter()
        .try_for_each(|f| fs::write(dir.join(&f.path), &f.bytes))
}
