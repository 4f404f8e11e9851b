//! Incremental rebuilds, for `waymark serve`: the site is kept in memory, and
//! after an edit only the render jobs ([`Job`]) whose inputs changed run again.
//!
//! Every rebuild loads and checks the whole site (cheap), then compares what
//! it read with the last good build's inputs rather than trusting the names
//! of the files an editor touched, so missed or duplicated file events cannot
//! leave a stale page:
//! - a procedure's text changed, or a procedure came or went: that
//!   procedure's pages, and the pages that list procedures (index, compare,
//!   sitemap and robots.txt);
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
use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::load::LoadedProcedure;
use crate::model::SiteConfig;
use crate::pages::Page;
use crate::render::{Job, SiteInput};
use crate::theme::Theme;

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

/// Every file of a built site by path.
pub type SiteFiles = HashMap<String, Arc<SiteFile>>;

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
        /// The errors.
        errors: Vec<Diagnostic>,
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
}

/// A procedure's check results, kept while its text (and the date) stay the same.
struct Checked {
    text: String,
    today: NaiveDate,
    diagnostics: Vec<Diagnostic>,
}

/// A site kept in memory between rebuilds.
pub struct SiteState {
    root: PathBuf,
    good: Option<Good>,
    /// The procedures the last rebuild read, good or failed: the next one reuses those
    /// whose text is unchanged (moved, not copied: a large site has megabytes of them).
    procedures: Vec<LoadedProcedure>,
    /// Jobs whose served files are out of date because of procedure changes that a
    /// failed rebuild read: the next good one renders them too.
    pending: BTreeSet<Job>,
    /// The last rebuild's check results by procedure file, good or failed.
    checked: HashMap<PathBuf, Checked>,
}

impl SiteState {
    /// A site at `root`, not built yet.
    pub fn new(root: &Path) -> Self {
        SiteState {
            root: root.to_path_buf(),
            good: None,
            procedures: Vec::new(),
            pending: BTreeSet::new(),
            checked: HashMap::new(),
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

    /// What [`crate::check::check_site`] gives, checking again only the procedures whose
    /// text changed since the last rebuild (each procedure is checked on its own).
    fn check(&mut self, site: &crate::load::LoadedSite, today: NaiveDate) -> Vec<Diagnostic> {
        let mut previous = std::mem::take(&mut self.checked);
        let fresh: Vec<Option<Vec<Diagnostic>>> = site
            .procedures
            .par_iter()
            .map(|lp| match previous.get(&lp.file) {
                Some(c) if c.text == lp.text && c.today == today => None,
                _ => Some(crate::check::check_procedure(lp, today)),
            })
            .collect();
        let mut diagnostics = site.diagnostics.clone();
        for (lp, fresh) in site.procedures.iter().zip(fresh) {
            let kept = previous.remove(&lp.file);
            let checked = match (fresh, kept) {
                (None, Some(kept)) => kept,
                (fresh, _) => Checked {
                    text: lp.text.clone(),
                    today,
                    diagnostics: fresh.unwrap_or_else(|| crate::check::check_procedure(lp, today)),
                },
            };
            diagnostics.extend(checked.diagnostics.iter().cloned());
            self.checked.insert(lp.file.clone(), checked);
        }
        crate::diagnostics::sort(&mut diagnostics);
        diagnostics
    }

    /// Loads and checks the whole site, then re-renders what changed since the last good build.
    pub fn rebuild(&mut self, today: NaiveDate) -> Outcome {
        let started = Instant::now();
        let mut previous: HashMap<PathBuf, LoadedProcedure> = std::mem::take(&mut self.procedures)
            .into_iter()
            .map(|p| (p.file.clone(), p))
            .collect();
        let before: HashMap<PathBuf, String> = previous
            .iter()
            .map(|(file, p)| (file.clone(), p.slug.clone()))
            .collect();
        let mut site = crate::load::load_site_reusing(&self.root, &mut previous);
        // What is left in `previous` was edited or removed; what was never in it is new.
        let now: HashSet<&Path> = site.procedures.iter().map(|p| p.file.as_path()).collect();
        let mut changed: Vec<Job> = site
            .procedures
            .iter()
            .filter(|p| previous.contains_key(&p.file) || !before.contains_key(&p.file))
            .map(|p| Job::Procedure(p.slug.clone()))
            .collect();
        changed.extend(
            before
                .iter()
                .filter(|(file, _)| !now.contains(file.as_path()))
                .map(|(_, slug)| Job::Procedure(slug.clone())),
        );
        if !changed.is_empty() {
            changed.extend([Job::Index, Job::Compare, Job::Meta]);
        }
        self.pending.extend(changed);
        let pages = crate::pages::load_pages(&self.root, &mut site.diagnostics);
        let diagnostics = self.check(&site, today);
        let (errors, warnings): (Vec<_>, Vec<_>) =
            diagnostics.into_iter().partition(Diagnostic::is_error);
        let fail = |errors: Vec<Diagnostic>, warnings: Vec<Diagnostic>| Outcome::Failed {
            errors,
            warnings,
            elapsed: started.elapsed(),
        };
        let procedures = site.procedures;
        if !errors.is_empty() {
            self.procedures = procedures;
            return fail(errors, warnings);
        }
        let Some(config) = site.config else {
            self.procedures = procedures;
            let error = Diagnostic::error("site.yaml", "the site file could not be read");
            return fail(vec![error], warnings);
        };
        let theme = match crate::theme::load_theme(&self.root, &config.theme) {
            Ok(theme) => theme,
            Err(errors) => {
                self.procedures = procedures;
                return fail(errors, warnings);
            }
        };
        let input = SiteInput {
            config: &config,
            procedures: &procedures,
            pages: &pages,
            theme: &theme,
            base_url: config.base_url.as_deref(),
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
        let mut problems = Vec::new();
        let mut fresh = Vec::with_capacity(to_run.len());
        for (job, result) in to_run.iter().zip(results) {
            match result {
                Ok(files) => fresh.push((job.clone(), files)),
                Err(d) => problems.push(d),
            }
        }
        if !problems.is_empty() {
            self.procedures = procedures;
            return fail(problems, warnings);
        }
        self.procedures = procedures;
        self.pending.clear();
        let mut outputs = self.good.take().map(|g| g.outputs).unwrap_or_default();
        let current: HashSet<&Job> = jobs.iter().collect();
        outputs.retain(|job, _| current.contains(job));
        let mut files_rendered = 0;
        for (job, files) in fresh {
            files_rendered += files.len();
            let kept = files
                .into_iter()
                .map(|f| Arc::new(SiteFile::new(f.path, f.bytes)))
                .collect();
            outputs.insert(job, kept);
        }
        let files = assemble(&jobs, &outputs);
        let count = files.len();
        self.good = Some(Good {
            config,
            pages,
            theme,
            today,
            jobs,
            outputs,
            files: Arc::new(files),
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

/// The site's files by path, from each job's files in site order (a later job's file wins).
fn assemble(jobs: &[Job], outputs: &HashMap<Job, Vec<Arc<SiteFile>>>) -> SiteFiles {
    let mut files = SiteFiles::with_capacity(outputs.values().map(Vec::len).sum());
    for job in jobs {
        for f in outputs.get(job).into_iter().flatten() {
            files.insert(f.path.clone(), Arc::clone(f));
        }
    }
    files
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
        for sub in ["procedures", "content"] {
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
        let mut site = crate::load::load_site(root);
        let pages = crate::pages::load_pages(root, &mut site.diagnostics);
        let config = site.config.expect("site file");
        let theme = crate::theme::load_theme(root, &config.theme).expect("theme");
        let files = crate::render::render_site(&SiteInput {
            config: &config,
            procedures: &site.procedures,
            pages: &pages,
            theme: &theme,
            base_url: config.base_url.as_deref(),
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

        let base = crate::theme::load_theme(root, "default")
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
}
