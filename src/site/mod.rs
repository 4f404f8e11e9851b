//! The one way a site is loaded and checked, shared by `check`, `build` and
//! `serve`: the site file, every procedure, every guidance page, the theme
//! and its templates, then the rules across files (two sources published at
//! one address, a source taking one of the site's own addresses).
//!
//! What comes out is either a [`CheckedSite`], which is all the renderer may
//! be given, or the reasons it was [`Rejected`]. So a site `check` accepts is
//! one that `build` and `serve` render, and one it refuses, they refuse with
//! the same diagnostics.
//!
//! `serve` keeps a [`Cache`] between rebuilds: procedures whose files did not
//! change are reused rather than parsed and checked again, and the
//! [`Changes`] say which were parsed afresh, so it can re-render only those.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::diagnostics::{self, Diagnostic};
use crate::load::locate::{PositionIndex, YamlPath};
use crate::load::pages::Page;
use crate::load::theme::Theme;
use crate::load::{LoadedProcedure, SITE_FILE};
use crate::model::SiteConfig;

/// How many sources were looked at, for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Procedure files found, whether they could be read or not.
    pub procedures: usize,
    /// Page files found under `content/`, whether they could be read or not.
    pub pages: usize,
}

/// A site that loaded without errors and passed every check: what may be rendered.
pub struct CheckedSite {
    /// The site folder.
    pub root: PathBuf,
    /// The site file.
    pub config: SiteConfig,
    /// The procedures, sorted by slug.
    pub procedures: Vec<LoadedProcedure>,
    /// The guidance pages, in order.
    pub pages: Vec<Page>,
    /// The theme, its templates compiled.
    pub theme: Theme,
    /// Warnings found on the way, sorted.
    pub warnings: Vec<Diagnostic>,
    /// What was looked at.
    pub counts: Counts,
}

/// A site with at least one error: nothing of it may be rendered.
#[derive(Debug)]
pub struct Rejected {
    /// Every problem found, errors and warnings, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// What was looked at.
    pub counts: Counts,
}

impl Rejected {
    /// The errors alone.
    pub fn errors(&self) -> Vec<Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect()
    }

    /// The warnings alone.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| !d.is_error())
            .cloned()
            .collect()
    }
}

/// What a rebuild can reuse from the last one: the procedures read, and what
/// checking each one found.
#[derive(Default)]
pub struct Cache {
    /// The procedures the last load read, good or rejected.
    procedures: Vec<LoadedProcedure>,
    /// What checking each procedure found, by file, and on which day.
    checked: HashMap<PathBuf, (NaiveDate, Vec<Diagnostic>)>,
}

impl Cache {
    /// Gives back the procedures of a [`CheckedSite`] once it is rendered, for the next
    /// load to reuse. (A rejected load keeps its procedures in the cache by itself.)
    pub fn keep(&mut self, procedures: Vec<LoadedProcedure>) {
        self.procedures = procedures;
    }

    /// Takes the procedures out of the cache (after a rejected load: those it read).
    pub fn take(&mut self) -> Vec<LoadedProcedure> {
        std::mem::take(&mut self.procedures)
    }
}

/// How the procedures differ from those in the cache before a load.
#[derive(Default)]
pub struct Changes {
    /// The procedure files parsed afresh: new, or edited.
    pub fresh: HashSet<PathBuf>,
    /// The earlier versions of procedures that were edited or removed, by file.
    pub replaced: HashMap<PathBuf, LoadedProcedure>,
    /// The slugs of procedures whose files are gone.
    pub gone: Vec<String>,
}

/// Loads and checks the site at `root`, reading every file.
pub fn load_and_check(root: &Path, today: NaiveDate) -> Result<CheckedSite, Rejected> {
    load_and_check_reusing(root, today, &mut Cache::default(), None).0
}

/// Loads and checks the site at `root`, reusing from `cache` each procedure whose
/// file is unchanged (see [`crate::load::load_site_reusing`] for what `touched`
/// means), and says what changed. The result is the same as [`load_and_check`]'s.
pub fn load_and_check_reusing(
    root: &Path,
    today: NaiveDate,
    cache: &mut Cache,
    touched: Option<&BTreeSet<PathBuf>>,
) -> (Result<CheckedSite, Rejected>, Changes) {
    let mut previous: HashMap<PathBuf, LoadedProcedure> = std::mem::take(&mut cache.procedures)
        .into_iter()
        .map(|p| (p.file.clone(), p))
        .collect();
    let before: HashMap<PathBuf, String> = previous
        .iter()
        .map(|(file, p)| (file.clone(), p.slug.clone()))
        .collect();
    let mut site = crate::load::load_site_reusing(root, &mut previous, touched);
    // What is left in `previous` was edited or removed; what was never in it is new.
    let fresh: HashSet<PathBuf> = site
        .procedures
        .iter()
        .filter(|p| previous.contains_key(&p.file) || !before.contains_key(&p.file))
        .map(|p| p.file.clone())
        .collect();
    let now: HashSet<&Path> = site.procedures.iter().map(|p| p.file.as_path()).collect();
    let gone = before
        .iter()
        .filter(|(file, _)| !now.contains(file.as_path()))
        .map(|(_, slug)| slug.clone())
        .collect();
    let changes = Changes {
        fresh,
        replaced: previous,
        gone,
    };

    let mut diagnostics = std::mem::take(&mut site.diagnostics);
    let pages = if root.is_dir() {
        crate::load::pages::load_pages(root, &mut diagnostics)
    } else {
        crate::load::pages::LoadedPages::default()
    };
    diagnostics.extend(check_procedures(
        cache,
        &site.procedures,
        &changes.fresh,
        today,
    ));
    diagnostics.extend(crate::check::site::check_outputs(
        &site.sources,
        &pages.sources,
    ));
    let theme = match &site.config {
        Some(config) => match crate::load::theme::load_theme(root, &config.theme) {
            Ok(theme) => Some(theme),
            Err(problems) => {
                let text = site.config_text.as_deref().unwrap_or_default();
                diagnostics.extend(problems.into_iter().map(|d| place_at_theme(d, text)));
                None
            }
        },
        None => None,
    };
    diagnostics::sort(&mut diagnostics);
    let counts = Counts {
        procedures: site.procedure_files,
        pages: pages.files,
    };
    let accepted = match (site.config, theme) {
        (Some(config), Some(theme)) if !diagnostics.iter().any(Diagnostic::is_error) => {
            Ok(CheckedSite {
                root: root.to_path_buf(),
                config,
                procedures: site.procedures,
                pages: pages.pages,
                theme,
                warnings: diagnostics,
                counts,
            })
        }
        _ => {
            cache.procedures = site.procedures;
            if !diagnostics.iter().any(Diagnostic::is_error) {
                // Cannot happen (a missing site file or theme is an error), but never render without them.
                diagnostics.push(
                    Diagnostic::error(SITE_FILE, "the site file could not be read")
                        .with_hint("check site.yaml exists and has a line 'title: ...'"),
                );
            }
            Err(Rejected {
                diagnostics,
                counts,
            })
        }
    };
    (accepted, changes)
}

/// Checks each procedure, reusing what the cache found for one that was not parsed
/// afresh and was checked on the same day; the cache then holds these procedures' results.
fn check_procedures(
    cache: &mut Cache,
    procedures: &[LoadedProcedure],
    fresh: &HashSet<PathBuf>,
    today: NaiveDate,
) -> Vec<Diagnostic> {
    let mut previous = std::mem::take(&mut cache.checked);
    let mut found: Vec<Option<Vec<Diagnostic>>> = procedures
        .iter()
        .map(|lp| {
            previous
                .remove(&lp.file)
                .filter(|(day, _)| *day == today && !fresh.contains(&lp.file))
                .map(|(_, list)| list)
        })
        .collect();
    found
        .par_iter_mut()
        .zip(procedures)
        .filter(|(found, _)| found.is_none())
        .for_each(|(found, lp)| *found = Some(crate::check::check_procedure(lp, today)));
    let mut all = Vec::new();
    for (lp, list) in procedures.iter().zip(found) {
        let list = list.unwrap_or_default();
        all.extend(list.iter().cloned());
        cache.checked.insert(lp.file.clone(), (today, list));
    }
    all
}

/// A problem the theme reports against the site file, placed at its `theme:` line.
fn place_at_theme(d: Diagnostic, text: &str) -> Diagnostic {
    if d.file != Path::new(SITE_FILE) || d.position.is_some() || text.is_empty() {
        return d;
    }
    let index = PositionIndex::build(text);
    let path = YamlPath::root().key("theme");
    if index.has_value(&path) {
        let position = index.value(&path);
        d.at(position, text)
    } else {
        d
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
    }

    #[test]
    fn the_repository_s_site_is_accepted_with_its_pages_and_theme() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = load_and_check(root, today()).expect("the bundled site is good");
        assert_eq!(site.counts.procedures, site.procedures.len());
        assert_eq!(site.counts.pages, site.pages.len());
        assert!(site.pages.len() >= 3);
        assert!(site.theme.sources.contains_key("page.html"));
    }

    #[test]
    fn a_reused_load_reports_only_what_changed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        fs::write(root.join("site.yaml"), "title: T\n").expect("site");
        fs::create_dir(root.join("procedures")).expect("mkdir");
        let starter = include_str!("../cmd/starter/procedure.yaml").replace("__TITLE__", "A");
        fs::write(root.join("procedures/a.yaml"), &starter).expect("a");
        fs::write(root.join("procedures/b.yaml"), &starter).expect("b");
        let mut cache = Cache::default();
        let (site, changes) = load_and_check_reusing(root, today(), &mut cache, None);
        let site = site.expect("accepted");
        assert_eq!(changes.fresh.len(), 2);
        cache.keep(site.procedures);

        fs::write(
            root.join("procedures/b.yaml"),
            starter.replace("title: A", "title: B"),
        )
        .expect("b");
        fs::remove_file(root.join("procedures/a.yaml")).expect("remove a");
        let (site, changes) = load_and_check_reusing(root, today(), &mut cache, None);
        assert!(site.is_ok());
        assert_eq!(
            changes.fresh,
            HashSet::from([PathBuf::from("procedures/b.yaml")])
        );
        assert_eq!(changes.gone, ["a"]);
        assert_eq!(changes.replaced.len(), 2, "the old b and the removed a");

        // Rejected: the cache keeps what was read, so the next load reuses it.
        fs::write(root.join("procedures/b.yml"), &starter).expect("b.yml");
        let (site, _) = load_and_check_reusing(root, today(), &mut cache, None);
        let rejected = site.err().expect("two files publish b");
        assert_eq!(rejected.errors().len(), 1, "{:?}", rejected.diagnostics);
        assert_eq!(cache.procedures.len(), 2);
        fs::remove_file(root.join("procedures/b.yml")).expect("remove");
        let (site, changes) = load_and_check_reusing(root, today(), &mut cache, None);
        assert!(site.is_ok());
        assert!(
            changes.fresh.is_empty(),
            "b was reused: {:?}",
            changes.fresh
        );
    }
}
