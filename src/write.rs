//! Building: load and check ([`crate::site`]) → render → write, with the old
//! output kept safe.
//!
//! The site is written to a temporary folder beside the output as it is
//! rendered, job by job, and swapped in only when every file is written, so a
//! failed build leaves the previous site untouched. waymark knows the folders
//! it wrote by their own files ([`is_waymark_output`]) and refuses to replace
//! any other non-empty folder, or one that holds the site's sources.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::PoisonError;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use crate::diagnostics::Diagnostic;
use crate::error::Error;
use crate::render::{OutputFile, SiteInput};

/// The file that marked a folder as waymark's output before sites were told by
/// their own files ([`is_waymark_output`]); still honoured, never written.
const OLD_MARKER: &str = ".waymark-output";

/// Whether `dir` holds a site that waymark built, and so may be replaced: its
/// holidays script, which only waymark writes and every build does, begins as
/// waymark begins it. No marker file is needed, so nothing but the site itself
/// is published when the folder is uploaded.
pub fn is_waymark_output(dir: &Path) -> bool {
    use std::io::Read as _;
    if dir.join(OLD_MARKER).is_file() {
        return true;
    }
    let start = crate::outputs::HOLIDAYS_START.as_bytes();
    let mut head = vec![0; start.len()];
    fs::File::open(dir.join(crate::outputs::HOLIDAYS))
        .and_then(|mut file| file.read_exact(&mut head))
        .is_ok_and(|()| head == start)
}

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
    Staging::recover(&options.output);
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
    for source in [
        "procedures",
        "content",
        "sources",
        "themes",
        "schema",
        "src",
        ".git",
    ] {
        if out_abs.starts_with(root_abs.join(source)) {
            return refuse(format!(
                "refusing to build into {shown}: it is inside the site's {source}/ folder"
            ));
        }
    }
    if out_abs.is_file() {
        return refuse(format!("refusing to build into {shown}: it is a file"));
    }
    if out_abs.is_dir() && !is_waymark_output(&out_abs) {
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
///
/// The swap is one atomic exchange of the two folders where the system offers
/// it (Linux's `renameat2` with `RENAME_EXCHANGE`), so that at every moment the
/// output is the whole old site or the whole new one, even if the build is
/// killed; elsewhere it is two renames, and a build killed between them leaves
/// the old site beside the output, which the next build puts back.
///
/// While it exists, a staging folder holds a lock on the output's parent
/// folder, so builds into the same folder take turns, and any staging folder
/// found while holding it was left by a build that died: [`Staging::recover`]
/// restores a stranded old site and removes the rest.
pub struct Staging {
    /// The output folder as the user gave it, for messages.
    shown: PathBuf,
    /// The output folder, absolute.
    output: PathBuf,
    /// Where the new site is written.
    dir: PathBuf,
    /// Where the previous site is moved while the new one is put in place, without an atomic exchange.
    retired: PathBuf,
    /// The folders under `dir` made so far (relative, with forward slashes), so
    /// that each is made once, before its first file, with one system call.
    made: std::sync::Mutex<std::collections::HashSet<String>>,
    committed: bool,
    /// Held until the site is in place (and the old one gone); released by the system if the process dies.
    _lock: Option<fs::File>,
}

/// Where a build's staging folders go: the output's parent, and the output's name.
fn staging_place(output: &Path) -> (PathBuf, PathBuf, String) {
    let out_abs = absolute(output);
    let parent = out_abs.parent().map(Path::to_path_buf).unwrap_or_default();
    let name = out_abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    (out_abs, parent, name)
}

/// The staging folder names for the output `name` and a process id.
fn staging_names(name: &str, id: u32) -> (String, String) {
    (
        format!(".{name}.waymark-new-{id}"),
        format!(".{name}.waymark-old-{id}"),
    )
}

/// Takes the lock that builds into `parent` share, waiting for another build to finish.
/// `None` where the system has no such locks: then folders of processes still running
/// are left alone.
fn lock_builds(parent: &Path, name: &str) -> Option<fs::File> {
    #[cfg(unix)]
    let file = {
        let _ = name;
        fs::File::open(parent).ok()?
    };
    #[cfg(not(unix))]
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(parent.join(format!(".{name}.waymark.lock")))
        .ok()?;
    match file.try_lock() {
        Ok(()) => Some(file),
        Err(fs::TryLockError::WouldBlock) => {
            eprintln!(
                "note: another build is writing into {}; waiting for it to finish",
                parent.display()
            );
            file.lock().ok().map(|()| file)
        }
        Err(fs::TryLockError::Error(_)) => None,
    }
}

/// Whether the process `id` may still be running (a guess where the lock is missing:
/// a reused id keeps a dead build's folders until that process ends).
fn may_be_running(id: u32) -> bool {
    if id == std::process::id() {
        return false;
    }
    #[cfg(unix)]
    {
        match i32::try_from(id)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        {
            Some(pid) => {
                !matches!(rustix::process::test_kill_process(pid), Err(e) if e == rustix::io::Errno::SRCH)
            }
            None => false,
        }
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// Cleans up after builds that died: puts back an old site left beside a missing
/// output, and removes their staging folders. `locked` says the builds' lock is held,
/// so that no folder found belongs to a build still running.
fn recover_in(parent: &Path, name: &str, output: &Path, locked: bool) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let (new, old) = staging_names(name, 0);
    let (new, old) = (&new[..new.len() - 1], &old[..old.len() - 1]);
    let mut stale: Vec<(bool, PathBuf)> = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let (is_old, id) = match (file_name.strip_prefix(new), file_name.strip_prefix(old)) {
            (Some(id), _) => (false, id),
            (_, Some(id)) => (true, id),
            _ => continue,
        };
        let Ok(id) = id.parse::<u32>() else {
            continue;
        };
        if !locked && may_be_running(id) {
            continue;
        }
        stale.push((is_old, entry.path()));
    }
    // A build killed between its two renames: the old site is beside the output, not in it.
    if fs::symlink_metadata(output).is_err()
        && let Some(at) = stale
            .iter()
            .position(|(is_old, path)| *is_old && is_waymark_output(path))
    {
        let (_, path) = stale.remove(at);
        let _ = fs::rename(&path, output);
    }
    for (_, path) in stale {
        let _ = fs::remove_dir_all(&path);
    }
}

impl Staging {
    /// Repairs what builds that died left beside `output` (see [`Staging`]); harmless when
    /// there is nothing to repair, and called by every build before anything else.
    pub fn recover(output: &Path) {
        let (out_abs, parent, name) = staging_place(output);
        if !parent.is_dir() {
            return;
        }
        let lock = lock_builds(&parent, &name);
        recover_in(&parent, &name, &out_abs, lock.is_some());
    }

    /// Creates an empty staging folder, marked as waymark's, beside `output`.
    pub fn create(output: &Path) -> Result<Staging, Diagnostic> {
        let (out_abs, parent, name) = staging_place(output);
        let (dir, retired) = staging_names(&name, std::process::id());
        let mut staging = Staging {
            shown: output.to_path_buf(),
            dir: parent.join(dir),
            retired: parent.join(retired),
            output: out_abs,
            made: std::sync::Mutex::default(),
            committed: false,
            _lock: None,
        };
        fs::create_dir_all(&parent)
            .map_err(|e| staging.fail("cannot create the output's parent folder", e))?;
        staging._lock = lock_builds(&parent, &name);
        recover_in(&parent, &name, &staging.output, staging._lock.is_some());
        let _ = fs::remove_dir_all(&staging.dir);
        fs::create_dir_all(&staging.dir)
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
        let had_old = fs::symlink_metadata(&self.output).is_ok();
        if !had_old {
            fs::rename(&self.dir, &self.output)
                .map_err(|e| self.fail("cannot put the new site in place", e))?;
            self.committed = true;
            return Ok(());
        }
        match exchange(&self.dir, &self.output) {
            Ok(true) => {
                // The old site is now where the new one was written.
                self.committed = true;
                let _ = fs::remove_dir_all(&self.dir);
                return Ok(());
            }
            Ok(false) => {}
            Err(e) => return Err(self.fail("cannot put the new site in place", e)),
        }
        if let Err(e) = fs::rename(&self.output, &self.retired) {
            return Err(self.fail("cannot move the previous site aside", e));
        }
        if let Err(e) = fs::rename(&self.dir, &self.output) {
            let _ = fs::rename(&self.retired, &self.output);
            return Err(self.fail("cannot put the new site in place", e));
        }
        self.committed = true;
        let _ = fs::remove_dir_all(&self.retired);
        Ok(())
    }

    fn fail(&self, what: &str, e: std::io::Error) -> Diagnostic {
        Diagnostic::error(&self.shown, format!("{what}: {e}"))
            .with_hint("check there is space on the disk and you may write to this folder; any previous site is unchanged")
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Swaps two folders in one step; `Ok(false)` where the system or file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(e) if e == Errno::INVAL || e == Errno::NOSYS || e == Errno::OPNOTSUPP => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Swaps two folders in one step; `Ok(false)` where the system or file system cannot.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<bool> {
    Ok(false)
}
