//! Watching the site's sources: `procedures/`, `content/`, `sources/` (the
//! published texts), `themes/` and `site.yaml`, through notify.
//!
//! A change is passed on once the files have been quiet for a few
//! milliseconds: enough to gather an editor's save (truncate and write, or
//! write a temporary file and rename it over) and a burst of saves into one
//! rebuild, and short enough that the page updates as soon as the file is saved.
//!
//! The site folder itself is watched without recursion (so `site.yaml` is
//! seen even when an editor saves it by writing a new file and renaming it
//! over the old one, and so folders created later are noticed), and the four
//! source folders recursively. Nothing else under the site is watched: not
//! an output folder, `target/`, `node_modules/` or `.git/`. Editors' swap,
//! backup and lock files are ignored, and so are hidden files and folders, and
//! reading a file (waymark's own reads would otherwise start a rebuild). Links
//! are not followed, and a source folder that is a link out of the site is not
//! watched: nothing outside the site folder is.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::load::pages::CONTENT_DIR;
use crate::load::source_text::SOURCES_DIR;
use crate::load::{PROCEDURES_DIR, SITE_FILE};

/// The folders of sources, watched recursively.
const FOLDERS: [&str; 4] = [PROCEDURES_DIR, CONTENT_DIR, SOURCES_DIR, "themes"];
/// After a change, how long the files must be quiet before rebuilding.
const QUIET: Duration = Duration::from_millis(8);
/// Rebuild at the latest this long after the first change, even if changes keep coming.
const LONGEST_WAIT: Duration = Duration::from_secs(2);

/// The watcher, and the changes it has seen.
pub struct Watcher {
    root: PathBuf,
    notify: RecommendedWatcher,
    events: Receiver<notify::Result<Event>>,
    watched: BTreeSet<&'static str>,
}

impl Watcher {
    /// Starts watching the site at `root`.
    pub fn start(root: &Path) -> Result<Self, String> {
        let (sender, events) = channel();
        // Links are not followed: a link in the site to a folder outside it (or to `/usr`)
        // must not be watched, nor cost a watch for each of its folders.
        let config = notify::Config::default().with_follow_symlinks(false);
        let mut notify = RecommendedWatcher::new(sender, config)
            .map_err(|e| format!("cannot watch the site's files: {e}"))?;
        notify
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        let mut watcher = Watcher {
            root: root.to_path_buf(),
            notify,
            events,
            watched: BTreeSet::new(),
        };
        watcher.watch_folders(&BTreeSet::new());
        Ok(watcher)
    }

    /// Watches each source folder that exists and is not watched yet, or that was replaced.
    fn watch_folders(&mut self, changed: &BTreeSet<PathBuf>) {
        for folder in FOLDERS {
            let path = self.root.join(folder);
            if changed.contains(Path::new(folder)) && self.watched.remove(folder) {
                let _ = self.notify.unwatch(&path);
            }
            if !self.watched.contains(folder)
                && path.is_dir()
                && !crate::load::leaves_site(&self.root, &path)
                && self.notify.watch(&path, RecursiveMode::Recursive).is_ok()
            {
                self.watched.insert(folder);
            }
        }
    }

    /// Waits for the next change and returns every source file touched (relative to
    /// the root), gathering a burst of changes into one; `None` when watching has stopped.
    pub fn next_change(&mut self) -> Option<BTreeSet<PathBuf>> {
        loop {
            let first = self.events.recv().ok()?;
            let mut changed = BTreeSet::new();
            self.gather(first, &mut changed);
            let started = Instant::now();
            while started.elapsed() < LONGEST_WAIT {
                match self.events.recv_timeout(QUIET) {
                    Ok(more) => self.gather(more, &mut changed),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            }
            if !changed.is_empty() {
                self.watch_folders(&changed);
                return Some(changed);
            }
        }
    }

    /// The paths of `changed` to name in messages (see [`worth_naming`]).
    pub fn worth_naming(&self, changed: &BTreeSet<PathBuf>) -> BTreeSet<PathBuf> {
        let named = changed.iter().filter(|p| worth_naming(&self.root, p));
        named.cloned().collect()
    }

    fn gather(&self, result: notify::Result<Event>, changed: &mut BTreeSet<PathBuf>) {
        match result {
            Ok(event) if matches!(event.kind, EventKind::Access(_)) => {}
            Ok(event) => {
                for path in &event.paths {
                    if let Ok(relative) = path.strip_prefix(&self.root)
                        && is_source(relative)
                    {
                        changed.insert(relative.to_path_buf());
                    }
                }
            }
            Err(e) => eprintln!("warning: watching the site's files: {e}"),
        }
    }
}

/// Whether a path (relative to the site root) is one of the site's sources, and not an
/// editor's temporary file.
pub fn is_source(relative: &Path) -> bool {
    let mut parts = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else {
        return false;
    };
    if first == SITE_FILE && relative.components().count() == 1 {
        return true;
    }
    if !FOLDERS.contains(&first.as_ref()) {
        return false;
    }
    relative.components().all(|c| {
        let name = c.as_os_str().to_string_lossy();
        !is_scratch(&name)
    })
}

/// Whether a changed source path (relative to `root`) is worth naming: not a temporary
/// file that came and went while a tool saved another file (`sed -i` writes `sedXXXXXX` and
/// renames it over the file). Such a file is gone and has no extension; a deleted source still
/// has its extension, and `site.yaml` and the source folders are always named.
pub fn worth_naming(root: &Path, relative: &Path) -> bool {
    relative.components().count() == 1
        || relative.extension().is_some()
        || root.join(relative).exists()
}

/// Editors' swap, backup, lock and scratch files, and hidden files and folders.
fn is_scratch(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || [
            ".swp",
            ".swo",
            ".swx",
            ".tmp",
            ".bak",
            ".orig",
            "___jb_tmp___",
            "___jb_old___",
        ]
        .iter()
        .any(|ext| name.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_sources_from_editor_litter() {
        for path in [
            "site.yaml",
            "procedures/doncaster.yaml",
            "procedures",
            "content/about.md",
            "content/guides/one.md",
            "themes/default/static/style.css",
        ] {
            assert!(is_source(Path::new(path)), "{path}");
        }
        for path in [
            "public/index.html",
            "target/debug/waymark",
            ".git/index",
            "README.md",
            "procedures/.doncaster.yaml.swp",
            "procedures/doncaster.yaml~",
            "procedures/.#doncaster.yaml",
            "procedures/#doncaster.yaml#",
            "procedures/4913",
            "procedures/doncaster.yaml.tmp",
            "procedures/doncaster.yaml___jb_tmp___",
            "content/.git/config",
            "site.yaml/x",
            "",
        ] {
            assert!(!is_source(Path::new(path)), "{path}");
        }
    }

    #[test]
    fn names_sources_but_not_a_tools_temporary_file_that_is_gone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("procedures")).expect("mkdir");
        std::fs::write(root.join("procedures/kept.yaml"), "x").expect("write");
        std::fs::write(root.join("procedures/LICENCE"), "x").expect("write");
        for path in [
            "site.yaml",
            "procedures",
            "procedures/kept.yaml",
            "procedures/deleted.yaml",
            "procedures/LICENCE",
            "content/gone.md",
        ] {
            assert!(worth_naming(root, Path::new(path)), "{path}");
        }
        // What `sed -i` and similar tools write beside a file and rename over it.
        for path in ["procedures/sedAzhKdP", "content/tmp_x1y2z3"] {
            assert!(!worth_naming(root, Path::new(path)), "{path}");
        }
    }
}
