//! Incremental rebuilds, for `waymark serve`: the site is kept in memory, and
//! after an edit only the render jobs ([`Job`]) whose inputs changed run again.
//!
//! Every rebuild loads and checks the whole site exactly as `check` and
//! `build` do ([`crate::site::load_and_check_reusing`]), then compares what it
//! read with the last good build's inputs rather than trusting only the names
//! of the files an editor touched, so missed or duplicated file events cannot
//! leave a stale page. A procedure file is read again when the watcher names it or
//! its size or modification time changed, and parsed and checked again only
//! when its text changed; so a rebuild of a large site costs about what the
//! edited procedure and the pages listing every procedure cost.
//! What is re-rendered:
//! - a procedure's text changed, or a procedure came or went: that
//!   procedure's pages, the sitemap and robots.txt, and each page that lists
//!   every procedure (index, compare) if what it shows of one changed;
//! - a guidance page's body changed: that page; its title, description or
//!   order, or a page came or went: every page, since every page's navigation
//!   lists them;
//! - a template that a job names itself changed: those jobs; any other
//!   template (the base layout, a partial): every page;
//! - a static file of the theme: the assets only;
//! - the site file or the date: everything.
//!
//! A rebuild that fails (any error in any file, or a template that cannot be
//! filled in) changes nothing: the last good site stays as it was.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{DefaultHasher, Hasher as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use crate::diagnostics::Diagnostic;
use crate::error::Error;
use crate::load::LoadedProcedure;
use crate::load::pages::Page;
use crate::load::theme::Theme;
use crate::model::SiteConfig;
use crate::render::{Job, Memo, SiteInput};
use crate::site::{self, Cache, Changes, CheckedSite};

/// One file of the built site, as kept in memory.
#[derive(Debug)]
pub struct SiteFile {
    /// Path under the site root, with forward slashes.
    pub path: String,
    /// The contents.
    pub bytes: Vec<u8>,
    /// A strong entity tag for HTTP: a hash of the contents, quoted.
    pub etag: String,
}

impl SiteFile {
    fn new(path: String, bytes: Vec<u8>) -> Self {
        let mut hasher = DefaultHasher::new();
        hasher.write(&bytes);
        let etag = format!("\"{:016x}-{:x}\"", hasher.finish(), bytes.len());
        SiteFile { path, bytes, etag }
    }
}

/// Every file of a built site by path. The paths are shared, so that copying
/// the table after a rebuild (the server may still be sending the old one)
/// copies no strings.
pub type SiteFiles = HashMap<Arc<str>, Arc<SiteFile>>;

/// What one rebuild did.
#[derive(Debug)]
pub enum Outcome {
    /// The site was rebuilt (perhaps with nothing to re-render).
    Built {
        /// The jobs that ran, in site order.
        rendered: Vec<Job>,
        /// The files those jobs wrote.
        files_rendered: usize,
        /// Files in the whole site now.
        files: usize,
        /// Warnings found on the way.
        warnings: Vec<Diagnostic>,
        /// How long it took.
        elapsed: Duration,
    },
    /// The rebuild found errors; the last good site is unchanged.
    Failed {
        /// The errors in the site's files.
        errors: Vec<Diagnostic>,
        /// Templates that could not be filled in (for a site whose files have no errors).
        failures: Vec<Error>,
        /// Warnings found on the way.
        warnings: Vec<Diagnostic>,
        /// How long it took.
        elapsed: Duration,
    },
}

/// What the last good build read (beyond its procedures), and what each of its jobs wrote.
struct Good {
    config: SiteConfig,
    pages: Vec<Page>,
    theme: Theme,
    today: NaiveDate,
    /// Every job of the site, in site order.
    jobs: Vec<Job>,
    outputs: HashMap<Job, Vec<Arc<SiteFile>>>,
    files: Arc<SiteFiles>,
    /// Whether two jobs wrote the same path, so that which one wins depends on their order.
    /// (The site checks refuse such sites; this stays as a guard.)
    overlaps: bool,
}

/// A site kept in memory between rebuilds.
pub struct SiteState {
    root: PathBuf,
    good: Option<Good>,
    /// The procedures the last rebuild read, good or failed, and what checking them
    /// found: the next one reuses those whose text is unchanged.
    cache: Cache,
    /// What the pages listing every procedure show of each one, by file, kept while
    /// the procedure is unchanged.
    memos: HashMap<PathBuf, Memo>,
    /// Jobs whose served files are out of date because of procedure changes that a
    /// failed rebuild read: the next good one renders them too.
    pending: BTreeSet<Job>,
}

impl SiteState {
    /// A site at `root`, not built yet.
    pub fn new(root: &Path) -> Self {
        SiteState {
            root: root.to_path_buf(),
            good: None,
            cache: Cache::default(),
            memos: HashMap::new(),
            pending: BTreeSet::new(),
        }
    }

    /// The last good build's files, if there has been one.
    pub fn files(&self) -> Option<Arc<SiteFiles>> {
        self.good.as_ref().map(|g| Arc::clone(&g.files))
    }

    /// The site's title, from the last good build.
    pub fn title(&self) -> Option<&str> {
        self.good.as_ref().map(|g| g.config.title.as_str())
    }

    /// Loads and checks the whole site, reading every file, then re-renders what
    /// changed since the last good build.
    pub fn rebuild(&mut self, today: NaiveDate) -> Outcome {
        self.rebuild_reading(None, today)
    }

    /// [`SiteState::rebuild`] after a watcher saw the files `touched` (relative to the
    /// root) change: those are read again, and of the others only those whose size
    /// or modification time changed.
    pub fn rebuild_after(&mut self, touched: &BTreeSet<PathBuf>, today: NaiveDate) -> Outcome {
        self.rebuild_reading(Some(touched), today)
    }

    /// The procedure jobs that `changes` make out of date, and the home and compare
    /// pages if what they show of a procedure changed; and each procedure's memo.
    fn changed(&mut self, procedures: &[LoadedProcedure], changes: &Changes) -> Vec<Memo> {
        let mut old_memos = std::mem::take(&mut self.memos);
        let memos: Vec<Memo> = procedures
            .iter()
            .map(|p| match changes.fresh.contains(&p.file) {
                true => Memo::default(),
                false => old_memos.remove(&p.file).unwrap_or_default(),
            })
            .collect();
        let mut changed: Vec<Job> = procedures
            .iter()
            .filter(|p| changes.fresh.contains(&p.file))
            .map(|p| Job::Procedure(p.slug.clone()))
            .collect();
        changed.extend(changes.gone.iter().map(|slug| Job::Procedure(slug.clone())));
        if !changed.is_empty() {
            changed.push(Job::Meta);
            // The pages listing every procedure change only if what they show of one did.
            let gone = !changes.gone.is_empty();
            let (mut index, mut compare) = (gone, gone);
            for (lp, memo) in procedures.iter().zip(&memos) {
                if !changes.fresh.contains(&lp.file) {
                    continue;
                }
                let old = changes.replaced.get(&lp.file);
                let (same_index, same_compare) = match (old, old_memos.get(&lp.file)) {
                    (Some(old), Some(old_memo)) => {
                        crate::render::listed_alike((old, old_memo), (lp, memo))
                    }
                    (Some(old), None) => {
                        crate::render::listed_alike((old, &Memo::default()), (lp, memo))
                    }
                    _ => (false, false),
                };
                index |= !same_index;
                compare |= !same_compare;
            }
            changed.extend(index.then_some(Job::Index));
            changed.extend(compare.then_some(Job::Compare));
        }
        self.pending.extend(changed);
        memos
    }

    /// Keeps each procedure's memo for the next rebuild.
    fn keep_memos(&mut self, procedures: &[LoadedProcedure], memos: Vec<Memo>) {
        self.memos = procedures
            .iter()
            .map(|p| p.file.clone())
            .zip(memos)
            .collect();
    }

    fn rebuild_reading(
        &mut self,
        touched: Option<&BTreeSet<PathBuf>>,
        today: NaiveDate,
    ) -> Outcome {
        let started = Instant::now();
        let (loaded, changes) =
            site::load_and_check_reusing(&self.root, today, &mut self.cache, touched);
        let site = match loaded {
            Ok(site) => site,
            Err(rejected) => {
                // Note what the edits make out of date, for the next good rebuild.
                let procedures = self.cache.take();
                let memos = self.changed(&procedures, &changes);
                self.keep_memos(&procedures, memos);
                self.cache.keep(procedures);
                return Outcome::Failed {
                    errors: rejected.errors(),
                    failures: Vec::new(),
                    warnings: rejected.warnings(),
                    elapsed: started.elapsed(),
                };
            }
        };
        let memos = self.changed(&site.procedures, &changes);
        let warnings = site.warnings.clone();
        let input = SiteInput {
            config: &site.config,
            procedures: &site.procedures,
            memos: Some(&memos),
            pages: &site.pages,
            theme: &site.theme,
            base_url: site.config.base_url.as_deref(),
            today,
        };
        let jobs = crate::render::all_jobs(&input);
        let mut affected = match &self.good {
            Some(old) => affected(old, &input),
            None => jobs.iter().cloned().collect(),
        };
        affected.extend(self.pending.iter().cloned());
        let to_run: Vec<Job> = jobs
            .iter()
            .filter(|j| affected.contains(*j))
            .cloned()
            .collect();
        let results = crate::render::render_jobs(&input, &to_run);
        let mut failures = Vec::new();
        let mut fresh = Vec::with_capacity(to_run.len());
        for (job, result) in to_run.iter().zip(results) {
            match result {
                Ok(files) => fresh.push((job.clone(), files)),
                Err(e) => failures.push(e),
            }
        }
        let CheckedSite {
            config,
            procedures,
            pages,
            theme,
            ..
        } = site;
        self.keep_memos(&procedures, memos);
        self.cache.keep(procedures);
        if !failures.is_empty() {
            return Outcome::Failed {
                errors: Vec::new(),
                failures,
                warnings,
                elapsed: started.elapsed(),
            };
        }
        self.pending.clear();
        let (mut outputs, last) = match self.good.take() {
            Some(g) => (g.outputs, (!g.overlaps).then_some(g.files)),
            None => (HashMap::new(), None),
        };
        let current: HashSet<&Job> = jobs.iter().collect();
        let mut stale: Vec<Arc<SiteFile>> = Vec::new();
        outputs.retain(|job, files| {
            let keep = current.contains(job);
            if !keep {
                stale.append(files);
            }
            keep
        });
        let mut files_rendered = 0;
        let mut written = Vec::new();
        for (job, files) in fresh {
            files_rendered += files.len();
            let kept: Vec<Arc<SiteFile>> = files
                .into_iter()
                .map(|f| Arc::new(SiteFile::new(f.path, f.bytes)))
                .collect();
            written.extend(kept.iter().cloned());
            stale.extend(outputs.insert(job, kept).into_iter().flatten());
        }
        let patched = last.and_then(|last| patch(&last, &stale, &written));
        let (files, overlaps) = match patched {
            Some(files) => (files, false),
            None => assemble(&jobs, &outputs),
        };
        let count = files.len();
        self.good = Some(Good {
            config,
            pages,
            theme,
            today,
            jobs,
            outputs,
            files: Arc::new(files),
            overlaps,
        });
        Outcome::Built {
            rendered: to_run,
            files_rendered,
            files: count,
            warnings,
            elapsed: started.elapsed(),
        }
    }
}

/// The site's files by path, from each job's files in site order (a later job's file
/// wins), and whether any two jobs wrote the same path.
fn assemble(jobs: &[Job], outputs: &HashMap<Job, Vec<Arc<SiteFile>>>) -> (SiteFiles, bool) {
    let mut files = SiteFiles::with_capacity(outputs.values().map(Vec::len).sum());
    let mut overlaps = false;
    for job in jobs {
        for f in outputs.get(job).into_iter().flatten() {
            overlaps |= files
                .insert(Arc::from(f.path.as_str()), Arc::clone(f))
                .is_some();
        }
    }
    (files, overlaps)
}

/// The last site's files less the `stale` ones, plus those just `written`: the same as
/// [`assemble`] gives when no two jobs write the same path (`None` if two do).
fn patch(
    last: &SiteFiles,
    stale: &[Arc<SiteFile>],
    written: &[Arc<SiteFile>],
) -> Option<SiteFiles> {
    let mut files = last.clone();
    for old in stale {
        if files
            .get(old.path.as_str())
            .is_some_and(|f| Arc::ptr_eq(f, old))
        {
            files.remove(old.path.as_str());
        }
    }
    for new in written {
        if files
            .insert(Arc::from(new.path.as_str()), Arc::clone(new))
            .is_some()
        {
            return None;
        }
    }
    Some(files)
}

/// What of the guidance pages other pages show: each one's slug, title, description,
/// order and menu flag (the header's navigation and the home page's list).
fn navigation(pages: &[Page]) -> Vec<(&str, &str, Option<&str>, i64, bool)> {
    pages
        .iter()
        .map(|p| {
            (
                p.slug.as_str(),
                p.meta.title.as_str(),
                p.meta.description.as_deref(),
                p.meta.order,
                p.meta.menu,
            )
        })
        .collect()
}

/// The jobs whose inputs, other than procedures, differ between the last good build and `new`.
fn affected(old: &Good, new: &SiteInput) -> BTreeSet<Job> {
    let all: BTreeSet<Job> = old
        .jobs
        .iter()
        .cloned()
        .chain(crate::render::all_jobs(new))
        .collect();
    let same_config = serde_json::to_value(&old.config).ok()
        == serde_json::to_value(new.config).ok()
        && old.config.base_url.as_deref() == new.base_url;
    if !same_config || old.today != new.today || navigation(&old.pages) != navigation(new.pages) {
        return all;
    }
    let mut jobs = BTreeSet::new();

    let names: BTreeSet<&String> = old
        .theme
        .templates
        .keys()
        .chain(new.theme.templates.keys())
        .collect();
    let changed: Vec<&str> = names
        .into_iter()
        .filter(|n| old.theme.templates.get(*n) != new.theme.templates.get(*n))
        .map(String::as_str)
        .collect();
    let named = |t: &str| all.iter().any(|j| j.templates().contains(&t));
    if changed.iter().any(|t| !named(t)) {
        // The base layout or a partial: anything may use it.
        jobs.extend(all.iter().filter(|j| j.is_html()).cloned());
    } else {
        jobs.extend(
            all.iter()
                .filter(|j| j.templates().iter().any(|t| changed.contains(t)))
                .cloned(),
        );
    }
    if old.theme.assets != new.theme.assets {
        jobs.insert(Job::Assets);
    }

    for page in new.pages {
        let same = old
            .pages
            .iter()
            .find(|p| p.slug == page.slug)
            .is_some_and(|p| p.body == page.body && p.file == page.file);
        if !same {
            jobs.insert(Job::Page(page.slug.clone()));
        }
    }
    jobs
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::fs;

    use super::*;

    const TODAY: &str = "2026-11-23";

    fn today() -> NaiveDate {
        NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").expect("date")
    }

    /// A copy of the repository's site in a temp folder.
    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        fs::copy(repo.join("site.yaml"), dir.path().join("site.yaml")).expect("site.yaml");
        for sub in ["procedures", "content", "sources"] {
            for entry in walkdir::WalkDir::new(repo.join(sub)).into_iter().flatten() {
                let rel = entry.path().strip_prefix(repo).expect("inside");
                let target = dir.path().join(rel);
                if entry.file_type().is_dir() {
                    fs::create_dir_all(&target).expect("mkdir");
                } else {
                    fs::copy(entry.path(), &target).expect("copy");
                }
            }
        }
        dir
    }

    /// What `waymark build` renders for the site at `root`, by path.
    fn full_render(root: &Path) -> BTreeMap<String, Vec<u8>> {
        let site = crate::site::load_and_check(root, today()).expect("accepted");
        let files = crate::render::render_site(&SiteInput {
            config: &site.config,
            procedures: &site.procedures,
            memos: None,
            pages: &site.pages,
            theme: &site.theme,
            base_url: site.config.base_url.as_deref(),
            today: today(),
        })
        .expect("renders");
        files.into_iter().map(|f| (f.path, f.bytes)).collect()
    }

    fn in_memory(state: &SiteState) -> BTreeMap<String, Vec<u8>> {
        state
            .files()
            .expect("built")
            .values()
            .map(|f| (f.path.clone(), f.bytes.clone()))
            .collect()
    }

    /// Rebuilds, expects success, returns the labels of the jobs that ran; checks the
    /// result is exactly what a full build gives.
    fn rebuild(state: &mut SiteState, root: &Path) -> Vec<String> {
        match state.rebuild(today()) {
            Outcome::Built { rendered, .. } => {
                let memory = in_memory(state);
                let full = full_render(root);
                assert_eq!(
                    memory.keys().collect::<Vec<_>>(),
                    full.keys().collect::<Vec<_>>(),
                    "the same files"
                );
                for (path, bytes) in &full {
                    assert!(
                        memory.get(path) == Some(bytes),
                        "{path} differs after {:?}",
                        rendered.iter().map(Job::label).collect::<Vec<_>>()
                    );
                }
                rendered.iter().map(|j| j.label().to_string()).collect()
            }
            Outcome::Failed { errors, .. } => panic!("failed: {errors:?}"),
        }
    }

    fn edit(path: &Path, from: &str, to: &str) {
        let text = fs::read_to_string(path).expect("read");
        assert!(text.contains(from), "{} has {from}", path.display());
        fs::write(path, text.replacen(from, to, 1)).expect("write");
    }

    #[test]
    fn each_edit_re_renders_only_what_it_affects_and_matches_a_full_build() {
        let dir = site();
        let root = dir.path();
        let mut state = SiteState::new(root);
        let first = rebuild(&mut state, root);
        assert!(first.len() > 10, "the first build renders everything");
        assert_eq!(
            rebuild(&mut state, root),
            Vec::<String>::new(),
            "nothing changed"
        );

        let doncaster = root.join("procedures/doncaster.yaml");
        edit(&doncaster, "short_title: ", "short_title: Renamed ");
        assert_eq!(
            rebuild(&mut state, root),
            ["index", "compare", "doncaster", "sitemap"]
        );
        // The home page shows the title; the compare page shows the short title only.
        edit(&doncaster, "title: \"Our Compact", "title: \"Their Compact");
        assert_eq!(rebuild(&mut state, root), ["index", "doncaster", "sitemap"]);
        // A step shows on neither.
        // A step is a quote: the published text changes with it.
        edit(
            &doncaster,
            "Partners should contact each other directly",
            "Partners should contact one another directly",
        );
        edit(
            &root.join("sources/doncaster.md"),
            "Partners should contact each other directly",
            "Partners should contact one another directly",
        );
        assert_eq!(rebuild(&mut state, root), ["doncaster", "sitemap"]);

        let about = root.join("content/about.md");
        let body = fs::read_to_string(&about).expect("read");
        fs::write(&about, format!("{body}\nA new closing line.\n")).expect("write");
        assert_eq!(rebuild(&mut state, root), ["about"]);

        edit(&about, "title: ", "title: Renamed ");
        assert_eq!(rebuild(&mut state, root), first, "navigation changed");

        fs::copy(&doncaster, root.join("procedures/zz-new.yaml")).expect("copy");
        assert_eq!(
            rebuild(&mut state, root),
            ["index", "compare", "zz-new", "sitemap"]
        );
        fs::remove_file(root.join("procedures/zz-new.yaml")).expect("remove");
        assert_eq!(rebuild(&mut state, root), ["index", "compare", "sitemap"]);

        let theme = root.join("themes/default");
        fs::create_dir_all(theme.join("static")).expect("mkdir");
        fs::write(theme.join("static/style.css"), "body { color: red }\n").expect("write");
        assert_eq!(rebuild(&mut state, root), ["assets"]);

        fs::create_dir_all(theme.join("templates")).expect("mkdir");
        fs::write(
            theme.join("templates/page.html"),
            "{% extends \"base.html\" %}{% block content %}<h1>{{ title }}</h1>{% endblock content %}",
        )
        .expect("write");
        let pages: Vec<String> = first
            .iter()
            .filter(|l| root.join(format!("content/{l}.md")).is_file())
            .cloned()
            .collect();
        assert_eq!(rebuild(&mut state, root), pages);

        let base = crate::load::theme::load_theme(root, "default")
            .ok()
            .and_then(|t| t.templates.get("base.html").cloned())
            .expect("base.html");
        fs::write(
            theme.join("templates/base.html"),
            base.replace("<main", "<main data-x=\"1\""),
        )
        .expect("write");
        let html: Vec<&String> = first
            .iter()
            .filter(|l| !["assets", "sitemap"].contains(&l.as_str()))
            .collect();
        assert_eq!(rebuild(&mut state, root).iter().collect::<Vec<_>>(), html);

        edit(&root.join("site.yaml"), "title: ", "title: Renamed ");
        assert_eq!(rebuild(&mut state, root), first);
    }

    #[test]
    fn a_failed_rebuild_keeps_the_last_good_site_until_the_next_good_one() {
        let dir = site();
        let root = dir.path();
        let mut state = SiteState::new(root);
        rebuild(&mut state, root);
        let before = in_memory(&state);
        let doncaster = root.join("procedures/doncaster.yaml");
        let good = fs::read_to_string(&doncaster).expect("read");
        fs::write(&doncaster, good.replacen("short_title:", "short_titel:", 1)).expect("write");
        match state.rebuild(today()) {
            Outcome::Failed { errors, .. } => {
                assert!(errors[0].render().contains("procedures/doncaster.yaml:"));
            }
            Outcome::Built { .. } => panic!("a broken file builds"),
        }
        assert_eq!(in_memory(&state), before, "the last good site is kept");
        // An edit to another procedure while the site is broken is rendered once it builds.
        edit(
            &root.join("procedures/oxfordshire.yaml"),
            "short_title: ",
            "short_title: Meanwhile ",
        );
        assert!(matches!(state.rebuild(today()), Outcome::Failed { .. }));
        assert_eq!(in_memory(&state), before, "still the last good site");
        fs::write(
            &doncaster,
            good.replacen("short_title: ", "short_title: Fixed ", 1),
        )
        .expect("write");
        assert_eq!(
            rebuild(&mut state, root),
            ["index", "compare", "doncaster", "oxfordshire", "sitemap"]
        );
        assert_eq!(rebuild(&mut state, root), Vec::<String>::new());
        let page = in_memory(&state)
            .remove("doncaster/index.html")
            .expect("page");
        assert!(String::from_utf8_lossy(&page).contains("Fixed "));
    }

    #[test]
    fn after_a_watcher_s_report_a_file_is_read_again_if_named_or_if_its_size_or_time_changed() {
        let dir = site();
        let root = dir.path();
        let mut state = SiteState::new(root);
        rebuild(&mut state, root);
        let file = root.join("procedures/oxfordshire.yaml");
        let served = |state: &SiteState| {
            String::from_utf8_lossy(&in_memory(state)["oxfordshire/index.html"]).into_owned()
        };
        // An edit that keeps the size and the modification time, and that no watcher
        // reported, is taken for no edit: the file is not even read.
        let modified = fs::metadata(&file)
            .and_then(|m| m.modified())
            .expect("time");
        edit(
            &file,
            "short_title: Oxfordshire",
            "short_title: Oxfordsh1re",
        );
        let same_time = fs::File::options().write(true).open(&file).expect("open");
        same_time.set_modified(modified).expect("set time");
        let nothing = BTreeSet::new();
        assert!(matches!(
            state.rebuild_after(&nothing, today()),
            Outcome::Built { ref rendered, .. } if rendered.is_empty()
        ));
        assert!(!served(&state).contains("Oxfordsh1re"));
        // Named by the watcher, it is read again.
        let named = BTreeSet::from([PathBuf::from("procedures/oxfordshire.yaml")]);
        state.rebuild_after(&named, today());
        assert!(served(&state).contains("Oxfordsh1re"));
        // Not named, but a different size: read again too.
        edit(&file, "short_title: Oxfordsh1re", "short_title: Oxon");
        state.rebuild_after(&nothing, today());
        assert!(served(&state).contains("Oxon"));
    }

    #[test]
    fn a_page_published_at_a_procedure_s_address_fails_the_rebuild_as_check_does() {
        let dir = site();
        let root = dir.path();
        let mut state = SiteState::new(root);
        rebuild(&mut state, root);
        let before = in_memory(&state);
        let page = root.join("content/doncaster.md");
        fs::write(&page, "---\ntitle: Doncaster\n---\nWords.\n").expect("write");
        let rejected = crate::site::load_and_check(root, today())
            .err()
            .expect("check refuses it");
        match state.rebuild(today()) {
            Outcome::Failed { errors, .. } => {
                assert_eq!(errors, rejected.errors());
                assert!(
                    errors[0]
                        .render()
                        .starts_with("content/doncaster.md: error:")
                );
                assert!(errors[0].message.contains("procedures/doncaster.yaml"));
            }
            Outcome::Built { .. } => panic!("two sources at one address build"),
        }
        assert_eq!(in_memory(&state), before, "the last good site is kept");
        fs::remove_file(&page).expect("remove");
        assert_eq!(rebuild(&mut state, root), Vec::<String>::new());
    }

    #[test]
    fn a_broken_template_fails_the_rebuild_and_changes_nothing() {
        let dir = site();
        let root = dir.path();
        let mut state = SiteState::new(root);
        rebuild(&mut state, root);
        let before = in_memory(&state);
        let templates = root.join("themes/default/templates");
        fs::create_dir_all(&templates).expect("mkdir");
        fs::write(templates.join("404.html"), "{% if %}").expect("write");
        assert!(matches!(state.rebuild(today()), Outcome::Failed { .. }));
        assert_eq!(in_memory(&state), before);
    }

    #[test]
    fn an_edited_published_text_rechecks_its_procedure() {
        let dir = site();
        let root = dir.path();
        let mut state = SiteState::new(root);
        rebuild(&mut state, root);
        let text = root.join("sources/doncaster.md");
        let touched = BTreeSet::from([PathBuf::from("sources/doncaster.md")]);
        edit(&text, "A meeting should be held", "A meeting must be held");
        match state.rebuild_after(&touched, today()) {
            Outcome::Failed { errors, .. } => {
                assert!(!errors.is_empty());
                for e in &errors {
                    assert_eq!(e.file, Path::new("procedures/doncaster.yaml"));
                    assert!(
                        e.message.contains("\"A meeting should be held"),
                        "{}",
                        e.message
                    );
                }
            }
            Outcome::Built { .. } => panic!("a quote the text no longer has was accepted"),
        }
        edit(&text, "A meeting must be held", "A meeting should be held");
        let rendered = rebuild(&mut state, root);
        assert!(
            rendered.iter().any(|job| job.contains("doncaster")),
            "{rendered:?}"
        );
    }
}
