//! Building: load and check ([`crate::site`]) → render → write, with the old
//! output kept safe.
//!
//! The site is written to a temporary folder beside the output as it is
//! rendered, job by job, and swapped in only when every file is written, so a
//! failed build leaves the previous site untouched. waymark marks the folders it creates and refuses to
//! replace any folder it did not create, or one that holds the site's sources.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::PoisonError;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use crate::diagnostics::Diagnostic;
use crate::error::Error;
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

/// Why a build wrote nothing; the old output is as it was.
#[derive(Debug)]
pub enum BuildFailure {
    /// The site's files have errors (or the output folder is refused): every
    /// problem found, errors and warnings, sorted.
    Refused(Vec<Diagnostic>),
    /// The site was accepted, but rendering or writing it failed.
    Failed {
        /// What went wrong.
        errors: Vec<Error>,
        /// Warnings the site's files gave.
        warnings: Vec<Diagnostic>,
    },
}

/// Builds the site: the site is loaded and checked as `check` does
/// ([`crate::site::load_and_check`]), and only a site it accepts is rendered and
/// written. On any problem the old output is left as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let started = Instant::now();
    check_output_folder(&options.root, &options.output)
        .map_err(|d| BuildFailure::Refused(vec![d]))?;
    let site = crate::site::load_and_check(&options.root, options.today)
        .map_err(|rejected| BuildFailure::Refused(rejected.diagnostics))?;
    let warnings = site.warnings.clone();
    let fail = |errors: Vec<Error>| BuildFailure::Failed {
        errors,
        warnings: warnings.clone(),
    };
    let base_url = options
        .base_url
        .as_deref()
        .or(site.config.base_url.as_deref());
    let input = SiteInput {
        config: &site.config,
        procedures: &site.procedures,
        memos: None,
        pages: &site.pages,
        theme: &site.theme,
        base_url,
        today: options.today,
    };
    let staging = Staging::create(&options.output).map_err(|d| fail(vec![Error::from_write(d)]))?;
    let (file_count, page_count) = (AtomicUsize::new(0), AtomicUsize::new(0));
    // After a failed write, rendering goes on (to report every template
    // problem) but writing stops, so that a full disk is reported once.
    let write_failed = AtomicBool::new(false);
    let jobs = crate::render::all_jobs(&input);
    let problems = crate::render::render_each(&input, &jobs, |rendered| {
        for file in rendered {
            if write_failed.load(Ordering::Relaxed) {
                return Ok(());
            }
            file_count.fetch_add(1, Ordering::Relaxed);
            if file.path.ends_with(".html") {
                page_count.fetch_add(1, Ordering::Relaxed);
            }
            staging.write(&file).map_err(|d| {
                write_failed.store(true, Ordering::Relaxed);
                Error::from_write(d)
            })?;
        }
        Ok(())
    });
    if !problems.is_empty() {
        return Err(fail(problems));
    }
    staging
        .commit()
        .map_err(|d| fail(vec![Error::from_write(d)]))?;
    let report = BuildReport {
        files: file_count.into_inner(),
        pages: page_count.into_inner(),
        elapsed: started.elapsed(),
        warnings,
    };
    // Freeing a large site's model takes a noticeable share of a build; let it
    // happen beside whatever comes next (for the command line, exiting).
    std::thread::spawn(move || drop(site));
    Ok(report)
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

/// A fresh folder beside the output that the new site is written into, and
/// swapped in by [`Staging::commit`]. Dropped without being committed (after an
/// error), it is removed, and the old output stays as it was.
pub struct Staging {
    /// The output folder as the user gave it, for messages.
    shown: PathBuf,
    /// The output folder, absolute.
    output: PathBuf,
    /// Where the new site is written.
    dir: PathBuf,
    /// Where the previous site is moved while the new one is put in place.
    retired: PathBuf,
    /// The folders under `dir` made so far (relative, with forward slashes), so
    /// that each is made once, before its first file, with one system call.
    made: std::sync::Mutex<std::collections::HashSet<String>>,
    committed: bool,
}

impl Staging {
    /// Creates an empty staging folder, marked as waymark's, beside `output`.
    pub fn create(output: &Path) -> Result<Staging, Diagnostic> {
        let out_abs = absolute(output);
        let parent = out_abs.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = out_abs
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let id = std::process::id();
        let staging = Staging {
            shown: output.to_path_buf(),
            dir: parent.join(format!(".{name}.waymark-new-{id}")),
            retired: parent.join(format!(".{name}.waymark-old-{id}")),
            output: out_abs,
            made: std::sync::Mutex::default(),
            committed: false,
        };
        fs::create_dir_all(&parent)
            .map_err(|e| staging.fail("cannot create the output's parent folder", e))?;
        let _ = fs::remove_dir_all(&staging.dir);
        fs::create_dir_all(&staging.dir)
            .and_then(|()| {
                fs::write(
                    staging.dir.join(MARKER),
                    "This folder is written by `waymark build` and replaced whole on every build.\n",
                )
            })
            .map_err(|e| staging.fail("cannot write the new site", e))?;
        Ok(staging)
    }

    /// Writes one file of the new site, creating its folder the first time it is needed.
    pub fn write(&self, file: &OutputFile) -> Result<(), Diagnostic> {
        if let Some((folder, _)) = file.path.rsplit_once('/') {
            self.make_folder(folder)
                .map_err(|e| self.fail("cannot write the new site", e))?;
        }
        fs::write(self.dir.join(&file.path), &file.bytes)
            .map_err(|e| self.fail("cannot write the new site", e))
    }

    /// Makes `folder` (relative to the staging folder) and any of its parents not made yet.
    fn make_folder(&self, folder: &str) -> std::io::Result<()> {
        let missing: Vec<&str> = {
            let made = self.made.lock().unwrap_or_else(PoisonError::into_inner);
            if made.contains(folder) {
                return Ok(());
            }
            let ends = folder
                .match_indices('/')
                .map(|(i, _)| i)
                .chain([folder.len()]);
            ends.map(|end| &folder[..end])
                .filter(|path| !made.contains(*path))
                .collect()
        };
        // Each parent before its child: one mkdir per folder and no failed attempts. The
        // lock is not held meanwhile; another thread making the same folder is harmless.
        for path in &missing {
            match fs::create_dir(self.dir.join(path)) {
                Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return Err(e),
                _ => {}
            }
        }
        let mut made = self.made.lock().unwrap_or_else(PoisonError::into_inner);
        made.extend(missing.into_iter().map(str::to_string));
        Ok(())
    }

    /// Puts the new site in place of the old one.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        let had_old = self.output.exists();
        if had_old && let Err(e) = fs::rename(&self.output, &self.retired) {
            return Err(self.fail("cannot move the previous site aside", e));
        }
        if let Err(e) = fs::rename(&self.dir, &self.output) {
            if had_old {
                let _ = fs::rename(&self.retired, &self.output);
            }
            return Err(self.fail("cannot put the new site in place", e));
        }
        self.committed = true;
        if had_old {
            let _ = fs::remove_dir_all(&self.retired);
        }
        Ok(())
    }

    fn fail(&self, what: &str, e: std::io::Error) -> Diagnostic {
        Diagnostic::error(&self.shown, format!("{what}: {e}"))
            .with_hint("check there is space on the disk and you may write to this folder; the previous site is unchanged")
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}
