//! Rendering: turns the checked model into the site's files in memory.
//!
//! Each page gets a view (plain serialisable structs with Markdown already
//! rendered and sanitised) and is filled in by its template. Every internal
//! link is relative to the page it is on, and points at `index.html`
//! explicitly, so the site works at `/`, under any sub-path, and from
//! `file://`. Pages render in parallel.

pub mod export;
pub mod flowchart;
pub mod markdown;

mod deadlines;
mod views;
mod wizard;

use std::collections::HashMap;
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::error::Error;
use crate::load::LoadedProcedure;
use crate::load::pages::Page;
use crate::load::theme::Theme;
use crate::model::{CheckedProcedure, SiteConfig};
use crate::outputs;
use crate::render::markdown::block;

pub use deadlines::{rule_sentence, strength_words};
use views::{CompareColumn, ProcedureSummary, ProcedureView};
pub use views::{node_anchor, outcome_words};

/// One file of the built site: its path under the output folder and its bytes.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path relative to the output folder, with forward slashes.
    pub path: String,
    /// The contents.
    pub bytes: Vec<u8>,
}

/// What the pages that list every procedure (the home page and the compare page)
/// show of one procedure, made into template values once per procedure.
///
/// A caller that renders again and again (`serve`) keeps one per procedure
/// beside the procedure and passes them in [`SiteInput::memos`]; a rebuild that
/// reuses a procedure unchanged reuses its memo too, so relisting a large site
/// costs little more than filling in the template.
///
/// It also keeps the procedure with its nodes typed ([`CheckedProcedure`]), which
/// the listings are drawn from.
#[derive(Default, Clone)]
pub struct Memo {
    checked: OnceLock<Option<CheckedProcedure>>,
    summary: OnceLock<tera::Value>,
    column: OnceLock<tera::Value>,
}

impl Memo {
    /// `lp` with its nodes typed, worked out once.
    fn checked<'a>(&'a self, lp: &LoadedProcedure) -> Result<&'a CheckedProcedure, Error> {
        self.checked
            .get_or_init(|| crate::check::checked_procedure(&lp.procedure))
            .as_ref()
            .ok_or_else(|| unchecked(lp))
    }

    /// What the home page shows of `lp`.
    fn summary(&self, lp: &LoadedProcedure) -> Result<&tera::Value, Error> {
        if let Some(value) = self.summary.get() {
            return Ok(value);
        }
        let view = ProcedureSummary::new(lp, self.checked(lp)?, "");
        Ok(self
            .summary
            .get_or_init(|| tera::Value::from_serializable(&view)))
    }

    /// What the compare page shows of `lp`.
    fn column(&self, lp: &LoadedProcedure) -> Result<&tera::Value, Error> {
        if let Some(value) = self.column.get() {
            return Ok(value);
        }
        let view = CompareColumn::new(lp, self.checked(lp)?, "../");
        Ok(self
            .column
            .get_or_init(|| tera::Value::from_serializable(&view)))
    }
}

/// Whether the home page, and the compare page, show `old` and `new` (two versions of
/// one procedure, each with its memo) alike: if so, an edit from one to the other
/// leaves that page as it was.
pub fn listed_alike(
    (old, old_memo): (&LoadedProcedure, &Memo),
    (new, new_memo): (&LoadedProcedure, &Memo),
) -> (bool, bool) {
    let alike = |a: Result<&tera::Value, Error>, b: Result<&tera::Value, Error>| matches!((a, b), (Ok(a), Ok(b)) if a == b);
    (
        old.slug == new.slug && alike(old_memo.summary(old), new_memo.summary(new)),
        old.slug == new.slug && alike(old_memo.column(old), new_memo.column(new)),
    )
}

/// The error for a procedure that reached the renderer without passing the
/// checks: the pipeline renders only checked sites, so this is waymark's mistake.
fn unchecked(lp: &LoadedProcedure) -> Error {
    Error::Bug(format!(
        "{}: the procedure was rendered before it was checked",
        crate::diagnostics::display_path(&lp.file)
    ))
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

/// Everything the renderer needs.
pub struct SiteInput<'a> {
    /// The site file.
    pub config: &'a SiteConfig,
    /// The procedures, sorted by slug.
    pub procedures: &'a [LoadedProcedure],
    /// One memo for each procedure, in the same order, kept by a caller that
    /// renders again and again; `None` works them out afresh.
    pub memos: Option<&'a [Memo]>,
    /// The guidance pages, in order.
    pub pages: &'a [Page],
    /// The theme.
    pub theme: &'a Theme,
    /// The base URL from the command line or site file, if any.
    pub base_url: Option<&'a str>,
    /// The day of the build: the date calculator gets bank holidays for years around it.
    pub today: chrono::NaiveDate,
}

#[derive(Serialize)]
struct SiteView {
    title: String,
    description: Option<String>,
    language: String,
    footer_html: Option<String>,
}

#[derive(Serialize)]
struct NavLink {
    title: String,
    href: String,
    description: Option<String>,
}

impl NavLink {
    /// A link to guidance page `page` from a page `root` below the site's root.
    fn to(page: &Page, root: &str) -> Self {
        NavLink {
            title: page.meta.title.clone(),
            href: format!("{root}{}/index.html", page.slug),
            description: page.meta.description.clone(),
        }
    }
}

/// One unit of rendering. Each job renders its own files independently of
/// the others, so a caller may re-run only the jobs an edit affects (see
/// [`crate::serve::incremental`]).
///
/// What each job reads — keep this true when changing the renderer, since
/// incremental rebuilds rely on it (and their tests compare with a full render):
/// - every HTML job: the site file, the theme, and the slugs, titles,
///   descriptions, order and `menu` flags of the guidance pages (the navigation);
/// - `Index` also lists every guidance page;
/// - `Index` and `Compare`: every procedure; `Procedure(slug)`: that procedure only;
/// - `Page(slug)`: that page; `Assets`: the theme's static files and today's year;
/// - `Meta`: the base URL and the slugs of every procedure and page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Job {
    /// The home page, listing every procedure.
    Index,
    /// The procedures side by side.
    Compare,
    /// The 404 page.
    NotFound,
    /// One procedure's pages, guide and downloads, by slug.
    Procedure(String),
    /// One guidance page, by slug.
    Page(String),
    /// The theme's static files and the bank holidays script.
    Assets,
    /// `robots.txt`, and `sitemap.xml` when there is a base URL.
    Meta,
}

impl Job {
    /// The templates this job names itself (templates they extend or include are not listed).
    pub fn templates(&self) -> &'static [&'static str] {
        match self {
            Job::Index => &["index.html"],
            Job::Compare => &["compare.html"],
            Job::NotFound => &["404.html"],
            Job::Procedure(_) => &[
                "procedure.html",
                "wizard.html",
                "wizard-result.html",
                "wizard-result-link.html",
                "redirect.html",
            ],
            Job::Page(_) => &["page.html"],
            Job::Assets | Job::Meta => &[],
        }
    }

    /// Whether the job renders templates (and so depends on every template they use).
    pub fn is_html(&self) -> bool {
        !matches!(self, Job::Assets | Job::Meta)
    }

    /// A short name for messages: `index`, `compare`, `404`, the slug, `assets`, `sitemap`.
    pub fn label(&self) -> &str {
        match self {
            Job::Index => "index",
            Job::Compare => "compare",
            Job::NotFound => "404",
            Job::Procedure(slug) | Job::Page(slug) => slug,
            Job::Assets => "assets",
            Job::Meta => "sitemap",
        }
    }
}

/// Every job of the site, in the order their files are listed.
pub fn all_jobs(input: &SiteInput) -> Vec<Job> {
    let mut jobs: Vec<Job> = vec![Job::Index, Job::Compare, Job::NotFound];
    jobs.extend(
        input
            .procedures
            .iter()
            .map(|p| Job::Procedure(p.slug.clone())),
    );
    jobs.extend(input.pages.iter().map(|p| Job::Page(p.slug.clone())));
    jobs.extend([Job::Assets, Job::Meta]);
    jobs
}

/// Renders every file of the site, held in memory.
pub fn render_site(input: &SiteInput) -> Result<Vec<OutputFile>, Vec<Error>> {
    let jobs = all_jobs(input);
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for r in render_jobs(input, &jobs) {
        match r {
            Ok(mut f) => files.append(&mut f),
            Err(d) => problems.push(d),
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}

/// Renders the chosen jobs in parallel; the results come in the order of `jobs`.
pub fn render_jobs(input: &SiteInput, jobs: &[Job]) -> Vec<Result<Vec<OutputFile>, Error>> {
    with_renderer(input, |renderer| {
        jobs.par_iter().map(|job| renderer.run(job)).collect()
    })
}

/// Renders the chosen jobs in parallel, handing each job's files to `sink` (in
/// the rendering thread) as soon as the job is done, so they need not all be held
/// in memory. Returns every problem, from rendering or from the sink; every job
/// runs even after a problem, so that all of them are reported.
pub fn render_each<F>(input: &SiteInput, jobs: &[Job], sink: F) -> Vec<Error>
where
    F: Fn(Vec<OutputFile>) -> Result<(), Error> + Sync,
{
    with_renderer(input, |renderer| {
        jobs.par_iter()
            .filter_map(|job| renderer.run(job).and_then(&sink).err())
            .collect()
    })
}

/// Calls `f` with a renderer for `input`, holding what every page shares.
fn with_renderer<T>(input: &SiteInput, f: impl FnOnce(&Renderer) -> T) -> T {
    let site = SiteView {
        title: input.config.title.clone(),
        description: input.config.description.clone(),
        language: input.config.language.clone(),
        footer_html: input.config.footer.as_deref().map(|f| block(f, 2)),
    };
    let base = input
        .base_url
        .map(|b| format!("{}/", b.trim_end_matches('/')));
    // A caller without memos (`build`) gets fresh ones, shared by every job of this
    // run, so each procedure's typed nodes and listings are worked out once.
    let own: Vec<Memo>;
    let memos = match input.memos {
        Some(memos) if memos.len() == input.procedures.len() => memos,
        _ => {
            own = vec![Memo::default(); input.procedures.len()];
            &own
        }
    };
    let mut procedures = HashMap::with_capacity(input.procedures.len());
    for (lp, memo) in input.procedures.iter().zip(memos) {
        procedures.entry(lp.slug.as_str()).or_insert((lp, memo));
    }
    f(&Renderer {
        input,
        site_value: tera::Value::from_serializable(&site),
        site: &site,
        menu: input.pages.iter().filter(|p| p.meta.menu).collect(),
        nav: std::sync::Mutex::default(),
        memos,
        procedures,
        pages: by_slug(input.pages, |p| &p.slug),
        base: base.as_deref(),
    })
}

/// `items` by slug; where two share a slug, the first is kept.
fn by_slug<'a, T>(items: &'a [T], slug: impl Fn(&'a T) -> &'a String) -> HashMap<&'a str, &'a T> {
    let mut map = HashMap::with_capacity(items.len());
    for item in items {
        map.entry(slug(item).as_str()).or_insert(item);
    }
    map
}

/// The size a page's buffer starts at.
const PAGE_CAPACITY: usize = 16 * 1024;

struct Renderer<'a> {
    input: &'a SiteInput<'a>,
    site: &'a SiteView,
    /// The site, made into a template value once for every page.
    site_value: tera::Value,
    /// The guidance pages shown in the navigation.
    menu: Vec<&'a Page>,
    /// The navigation as a template value, by the way back to the root: pages at
    /// one depth share it.
    nav: std::sync::Mutex<HashMap<String, tera::Value>>,
    /// The procedures and the guidance pages by slug, for finding a job's.
    /// Each procedure's memo, in the order of `input.procedures`.
    memos: &'a [Memo],
    procedures: HashMap<&'a str, (&'a LoadedProcedure, &'a Memo)>,
    pages: HashMap<&'a str, &'a Page>,
    base: Option<&'a str>,
}

impl Renderer<'_> {
    fn run(&self, job: &Job) -> Result<Vec<OutputFile>, Error> {
        match job {
            Job::Index => self.index().map(|f| vec![f]),
            Job::Compare => self.compare().map(|f| vec![f]),
            Job::NotFound => self.not_found().map(|f| vec![f]),
            Job::Procedure(slug) => match self.procedures.get(slug.as_str()) {
                Some((lp, memo)) => self.procedure(lp, memo),
                None => Err(unknown(slug)),
            },
            Job::Page(slug) => match self.pages.get(slug.as_str()) {
                Some(page) => self.page(page).map(|f| vec![f]),
                None => Err(unknown(slug)),
            },
            Job::Assets => Ok(self.assets()),
            Job::Meta => Ok(self.meta()),
        }
    }

    /// The theme's static files, and the bank holidays for the date calculator.
    fn assets(&self) -> Vec<OutputFile> {
        let mut files: Vec<OutputFile> = self
            .input
            .theme
            .assets
            .iter()
            .map(|(name, bytes)| OutputFile {
                path: format!("{}/{name}", outputs::ASSETS),
                bytes: bytes.clone(),
            })
            .collect();
        let years = crate::dates::covered_years(self.input.today);
        files.push(OutputFile {
            path: outputs::HOLIDAYS.to_string(),
            // The table carries the years it covers (`firstYear`, `lastYear`), so the
            // guide can refuse to count working days outside them rather than count
            // them wrongly.
            bytes: format!(
                "{}{};\n",
                outputs::HOLIDAYS_START,
                crate::dates::holidays_table_json(years)
            )
            .into_bytes(),
        });
        files
    }

    /// `robots.txt`, and the sitemap when there is a base URL.
    fn meta(&self) -> Vec<OutputFile> {
        let mut files = vec![OutputFile {
            path: outputs::ROBOTS.into(),
            bytes: robots(self.base).into_bytes(),
        }];
        if let Some(base) = self.base {
            files.push(OutputFile {
                path: outputs::SITEMAP.into(),
                bytes: sitemap(base, self.input).into_bytes(),
            });
        }
        files
    }

    /// The context every template gets: the site, the way back to the root, the navigation.
    fn context(&self, root: &str, path: &str, title: &str) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert("root", root);
        ctx.insert("page_title", title);
        ctx.insert(
            "canonical",
            &self
                .base
                .map(|b| format!("{b}{}", path.trim_end_matches("index.html"))),
        );
        ctx.insert_value("nav", self.nav_from(root));
        ctx
    }

    /// The navigation, with links from a page `root` below the site's root.
    fn nav_from(&self, root: &str) -> tera::Value {
        let mut known = self
            .nav
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(nav) = known.get(root) {
            return nav.clone();
        }
        let links: Vec<NavLink> = self.menu.iter().map(|p| NavLink::to(p, root)).collect();
        let nav = tera::Value::from_serializable(&links);
        known.insert(root.to_string(), nav.clone());
        nav
    }

    fn render(&self, template: &str, ctx: &Context, path: String) -> Result<OutputFile, Error> {
        match self.fill_in_bytes(template, ctx) {
            Ok(bytes) => Ok(OutputFile { path, bytes }),
            Err(e) => Err(e.into_error(path)),
        }
    }

    /// Fills in `template` with `ctx`, as text, for a part of the output file or folder `output`.
    fn fill_in(&self, template: &str, ctx: &Context, output: &str) -> Result<String, Error> {
        // Templates are UTF-8 and so is every value, so tera's output is too.
        match self.fill_in_bytes(template, ctx) {
            Ok(bytes) => Ok(String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())),
            Err(e) => Err(e.into_error(output.to_string())),
        }
    }

    /// Fills in `template` with `ctx`.
    fn fill_in_bytes(&self, template: &str, ctx: &Context) -> Result<Vec<u8>, Unfilled> {
        // Most pages are a few to some tens of kilobytes: starting at that size
        // saves growing the buffer, and copying it, several times over.
        let mut out = Vec::with_capacity(PAGE_CAPACITY);
        let rendered = self.input.theme.tera.render_to(template, ctx, &mut out);
        rendered.map(|()| out).map_err(|e| {
            // The error may lie in a template this one extends or includes: name that one.
            let (name, position, message) = match e.kind() {
                tera::ErrorKind::RenderingError(report) | tera::ErrorKind::SyntaxError(report) => (
                    Some(report.filename())
                        .filter(|n| !n.is_empty())
                        .unwrap_or(template),
                    Some(crate::diagnostics::Position {
                        line: report.span().start_line.max(1),
                        column: report.span().start_col + 1,
                    }),
                    report.message().to_string(),
                ),
                _ => (template, None, e.to_string()),
            };
            Unfilled {
                template: self
                    .input
                    .theme
                    .sources
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| name.into()),
                position,
                message,
            }
        })
    }

    /// `f` of each procedure with its memo, in order.
    fn with_memos<T>(&self, f: impl Fn(&LoadedProcedure, &Memo) -> T) -> Vec<T> {
        self.input
            .procedures
            .iter()
            .zip(self.memos)
            .map(|(lp, memo)| f(lp, memo))
            .collect()
    }

    fn index(&self) -> Result<OutputFile, Error> {
        let mut ctx = self.context("", outputs::INDEX, &self.site.title);
        let list = self
            .with_memos(|lp, memo| memo.summary(lp).cloned())
            .into_iter()
            .collect::<Result<Vec<tera::Value>, Error>>()?;
        ctx.insert_value("procedures", list.into());
        let guidance: Vec<NavLink> = self
            .input
            .pages
            .iter()
            .map(|p| NavLink::to(p, ""))
            .collect();
        ctx.insert("guidance", &guidance);
        self.render("index.html", &ctx, outputs::INDEX.into())
    }

    fn compare(&self) -> Result<OutputFile, Error> {
        let mut ctx = self.context("../", outputs::COMPARE, "Compare procedures");
        let columns = self
            .with_memos(|lp, memo| memo.column(lp).cloned())
            .into_iter()
            .collect::<Result<Vec<tera::Value>, Error>>()?;
        ctx.insert_value("columns", columns.into());
        self.render("compare.html", &ctx, outputs::COMPARE.into())
    }

    fn not_found(&self) -> Result<OutputFile, Error> {
        // A host serves 404.html at any depth, where relative links break; with a
        // base URL the page can link absolutely, otherwise it links from the root.
        let root = self.base.unwrap_or("");
        let ctx = self.context(root, outputs::NOT_FOUND, "Page not found");
        self.render("404.html", &ctx, outputs::NOT_FOUND.into())
    }

    fn page(&self, page: &Page) -> Result<OutputFile, Error> {
        let depth = page.slug.split('/').count();
        let root = "../".repeat(depth);
        let path = outputs::page(&page.slug);
        let mut ctx = self.context(&root, &path, &page.meta.title);
        ctx.insert("title", &page.meta.title);
        ctx.insert("description", &page.meta.description);
        ctx.insert("body_html", &block(&page.body, 2));
        self.render("page.html", &ctx, path)
    }

    fn procedure(&self, lp: &LoadedProcedure, memo: &Memo) -> Result<Vec<OutputFile>, Error> {
        let checked = memo.checked(lp)?;
        let view = ProcedureView::new(
            lp,
            checked,
            &self.input.config.dialling_code,
            checked.calendar_or(self.input.config.calendar),
        );
        let path = outputs::procedure_page(&lp.slug);
        let mut ctx = self.context("../", &path, &lp.procedure.title);
        let value = tera::Value::from_serializable(&view);
        ctx.insert_value("procedure", value.clone());
        // The published-text check runs with every build, so the build's day is the
        // day the page was last checked against it.
        ctx.insert(
            "checked_on",
            &self.input.today.format("%-d %B %Y").to_string(),
        );
        let page = self.render("procedure.html", &ctx, path)?;
        // The guide shows the same nodes: their template values are shared, not made again.
        let node_values = value
            .get_from_path("nodes")
            .and_then(tera::Value::as_array)
            .unwrap_or_default();
        let mut files = self.wizard(lp, checked, &view.nodes, node_values)?;
        // Compact: the download is for programs, and a third smaller than indented JSON.
        let json = serde_json::to_vec(&lp.procedure).map_err(|e| {
            Error::Bug(format!(
                "{}: cannot write the procedure as JSON: {e}",
                crate::diagnostics::display_path(&lp.file)
            ))
        })?;
        files.extend([
            page,
            OutputFile {
                path: outputs::procedure_json(&lp.slug),
                bytes: json,
            },
            OutputFile {
                path: format!("{}/contacts.csv", lp.slug),
                bytes: crate::render::export::contacts_csv(&lp.procedure.contacts).into_bytes(),
            },
            OutputFile {
                path: format!("{}/contacts.vcf", lp.slug),
                bytes: crate::render::export::contacts_vcard(
                    &lp.procedure.contacts,
                    &self.input.config.dialling_code,
                )
                .into_bytes(),
            },
        ]);
        Ok(files)
    }
}

/// A job naming a procedure or page that is not in the input: a caller's mistake.
fn unknown(slug: &str) -> Error {
    Error::Bug(format!("there is nothing named '{slug}' to render"))
}

/// A template that could not be filled in, before it is known for which output file.
struct Unfilled {
    /// The template's file.
    template: std::path::PathBuf,
    /// Where in it, when known.
    position: Option<crate::diagnostics::Position>,
    message: String,
}

impl Unfilled {
    /// The error, for the output file `output`.
    fn into_error(self, output: String) -> Error {
        Error::Template {
            template: self.template,
            position: self.position,
            output,
            message: self.message,
        }
    }
}

fn robots(base: Option<&str>) -> String {
    match base {
        Some(b) => format!("User-agent: *\nAllow: /\nSitemap: {b}sitemap.xml\n"),
        None => "User-agent: *\nAllow: /\n".to_string(),
    }
}

fn sitemap(base: &str, input: &SiteInput) -> String {
    let mut urls = vec![base.to_string(), format!("{base}compare/")];
    urls.extend(
        input
            .procedures
            .iter()
            .map(|p| format!("{base}{}/", p.slug)),
    );
    urls.extend(input.pages.iter().map(|p| format!("{base}{}/", p.slug)));
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for u in urls {
        out.push_str("  <url><loc>");
        out.push_str(&crate::render::export::xml_escape(&u));
        out.push_str("</loc></url>\n");
    }
    out.push_str("</urlset>\n");
    out
}
