//! Rendering: turns the checked model into the site's files in memory.
//!
//! Each page gets a view (plain serialisable structs with Markdown already
//! rendered and sanitised) and is filled in by its template. Every internal
//! link is relative to the page it is on, and points at `index.html`
//! explicitly, so the site works at `/`, under any sub-path, and from
//! `file://`. Pages render in parallel.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::dates::{Direction, describe};
use crate::diagnostics::Diagnostic;
use crate::graph::Graph;
use crate::load::LoadedProcedure;
use crate::markdown::{block, inline};
use crate::model::{Contact, Deadline, Node, NodeKind, Outcome, Procedure, SiteConfig, Strength};
use crate::pages::Page;
use crate::theme::Theme;

/// One file of the built site: its path under the output folder and its bytes.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path relative to the output folder, with forward slashes.
    pub path: String,
    /// The contents.
    pub bytes: Vec<u8>,
}

/// Everything the renderer needs.
pub struct SiteInput<'a> {
    /// The site file.
    pub config: &'a SiteConfig,
    /// The procedures, sorted by slug.
    pub procedures: &'a [LoadedProcedure],
    /// The guidance pages, in order.
    pub pages: &'a [Page],
    /// The theme.
    pub theme: &'a Theme,
    /// The base URL from the command line or site file, if any.
    pub base_url: Option<&'a str>,
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

/// Renders every file of the site.
pub fn render_site(input: &SiteInput) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let site = SiteView {
        title: input.config.title.clone(),
        description: input.config.description.clone(),
        language: input.config.language.clone(),
        footer_html: input.config.footer.as_deref().map(|f| block(f, 2)),
    };
    let base = input
        .base_url
        .map(|b| format!("{}/", b.trim_end_matches('/')));
    let renderer = Renderer {
        input,
        site: &site,
        base: base.as_deref(),
    };
    let mut jobs: Vec<Job> = vec![Job::Index, Job::Compare, Job::NotFound];
    jobs.extend((0..input.procedures.len()).map(Job::Procedure));
    jobs.extend((0..input.pages.len()).map(Job::Page));
    let results: Vec<Result<Vec<OutputFile>, Diagnostic>> =
        jobs.par_iter().map(|job| renderer.run(job)).collect();
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for r in results {
        match r {
            Ok(mut f) => files.append(&mut f),
            Err(d) => problems.push(d),
        }
    }
    for (name, bytes) in &input.theme.assets {
        files.push(OutputFile {
            path: format!("assets/{name}"),
            bytes: bytes.clone(),
        });
    }
    files.push(OutputFile {
        path: "robots.txt".into(),
        bytes: robots(base.as_deref()).into_bytes(),
    });
    if let Some(base) = &base {
        files.push(OutputFile {
            path: "sitemap.xml".into(),
            bytes: sitemap(base, input).into_bytes(),
        });
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}

enum Job {
    Index,
    Compare,
    NotFound,
    Procedure(usize),
    Page(usize),
}

struct Renderer<'a> {
    input: &'a SiteInput<'a>,
    site: &'a SiteView,
    base: Option<&'a str>,
}

impl Renderer<'_> {
    fn run(&self, job: &Job) -> Result<Vec<OutputFile>, Diagnostic> {
        match job {
            Job::Index => self.index().map(|f| vec![f]),
            Job::Compare => self.compare().map(|f| vec![f]),
            Job::NotFound => self.not_found().map(|f| vec![f]),
            Job::Procedure(i) => self.procedure(&self.input.procedures[*i]),
            Job::Page(i) => self.page(&self.input.pages[*i]).map(|f| vec![f]),
        }
    }

    /// The context every template gets: the site, the way back to the root, the navigation.
    fn context(&self, root: &str, path: &str, title: &str) -> Context {
        let mut ctx = Context::new();
        ctx.insert("site", self.site);
        ctx.insert("root", root);
        ctx.insert("page_title", title);
        ctx.insert(
            "canonical",
            &self
                .base
                .map(|b| format!("{b}{}", path.trim_end_matches("index.html"))),
        );
        let nav: Vec<NavLink> = self
            .input
            .pages
            .iter()
            .map(|p| NavLink {
                title: p.meta.title.clone(),
                href: format!("{root}{}/index.html", p.slug),
                description: p.meta.description.clone(),
            })
            .collect();
        ctx.insert("nav", &nav);
        ctx
    }

    fn render(
        &self,
        template: &str,
        ctx: &Context,
        path: String,
    ) -> Result<OutputFile, Diagnostic> {
        self.input
            .theme
            .tera
            .render(template, ctx)
            .map(|html| OutputFile {
                path,
                bytes: html.into_bytes(),
            })
            .map_err(|e| {
                Diagnostic::error(
                    format!("themes/{template}"),
                    format!("the template could not be filled in: {e}"),
                )
                .with_hint("check the variables the template uses against the default theme's")
            })
    }

    fn index(&self) -> Result<OutputFile, Diagnostic> {
        let mut ctx = self.context("", "index.html", &self.site.title);
        let list: Vec<ProcedureSummary> = self
            .input
            .procedures
            .iter()
            .map(|lp| ProcedureSummary::new(lp, ""))
            .collect();
        ctx.insert("procedures", &list);
        self.render("index.html", &ctx, "index.html".into())
    }

    fn compare(&self) -> Result<OutputFile, Diagnostic> {
        let mut ctx = self.context("../", "compare/index.html", "Compare procedures");
        let columns: Vec<CompareColumn> = self
            .input
            .procedures
            .iter()
            .map(|lp| CompareColumn::new(lp, "../"))
            .collect();
        ctx.insert("columns", &columns);
        self.render("compare.html", &ctx, "compare/index.html".into())
    }

    fn not_found(&self) -> Result<OutputFile, Diagnostic> {
        // A host serves 404.html at any depth, where relative links break; with a
        // base URL the page can link absolutely, otherwise it links from the root.
        let root = self.base.unwrap_or("");
        let ctx = self.context(root, "404.html", "Page not found");
        self.render("404.html", &ctx, "404.html".into())
    }

    fn page(&self, page: &Page) -> Result<OutputFile, Diagnostic> {
        let depth = page.slug.split('/').count();
        let root = "../".repeat(depth);
        let path = format!("{}/index.html", page.slug);
        let mut ctx = self.context(&root, &path, &page.meta.title);
        ctx.insert("title", &page.meta.title);
        ctx.insert("description", &page.meta.description);
        ctx.insert("body_html", &block(&page.body, 2));
        self.render("page.html", &ctx, path)
    }

    fn procedure(&self, lp: &LoadedProcedure) -> Result<Vec<OutputFile>, Diagnostic> {
        let view = ProcedureView::new(lp, &self.input.config.dialling_code);
        let path = format!("{}/index.html", lp.slug);
        let mut ctx = self.context("../", &path, &lp.procedure.title);
        ctx.insert("procedure", &view);
        let page = self.render("procedure.html", &ctx, path)?;
        let json = serde_json::to_string_pretty(&lp.procedure).map_err(|e| {
            Diagnostic::error(&lp.file, format!("cannot write the procedure as JSON: {e}"))
                .with_hint("this is a bug in waymark; please report it")
        })?;
        Ok(vec![
            page,
            OutputFile {
                path: format!("{}.json", lp.slug),
                bytes: json.into_bytes(),
            },
            OutputFile {
                path: format!("{}/contacts.csv", lp.slug),
                bytes: crate::export::contacts_csv(&lp.procedure.contacts).into_bytes(),
            },
            OutputFile {
                path: format!("{}/contacts.vcf", lp.slug),
                bytes: crate::export::contacts_vcard(
                    &lp.procedure.contacts,
                    &self.input.config.dialling_code,
                )
                .into_bytes(),
            },
        ])
    }
}

/// A line about a procedure, for the home page.
#[derive(Serialize)]
struct ProcedureSummary {
    href: String,
    title: String,
    name: String,
    area: String,
    owner: String,
    stages: usize,
    last_reviewed: Option<String>,
    summary_html: String,
}

impl ProcedureSummary {
    fn new(lp: &LoadedProcedure, root: &str) -> Self {
        let p = &lp.procedure;
        ProcedureSummary {
            href: format!("{root}{}/index.html", lp.slug),
            title: p.title.clone(),
            name: p.display_name().to_string(),
            area: p.area.clone(),
            owner: p.owner.clone(),
            stages: count_stages(p),
            last_reviewed: p.last_reviewed.clone(),
            summary_html: block(&p.summary, 4),
        }
    }
}

/// How many distinct published stages a procedure has: parallel variants of one stage share a label.
fn count_stages(p: &Procedure) -> usize {
    let mut labels: Vec<&str> = p
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Stage)
        .map(|n| n.label.as_deref().unwrap_or(&n.id))
        .collect();
    labels.sort_unstable();
    labels.dedup();
    labels.len()
}

/// One procedure's column on the compare page.
#[derive(Serialize)]
struct CompareColumn {
    href: String,
    name: String,
    owner: String,
    stages: Vec<CompareStage>,
    exits: Vec<String>,
}

#[derive(Serialize)]
struct CompareStage {
    heading: String,
    deadlines: Vec<String>,
}

impl CompareColumn {
    fn new(lp: &LoadedProcedure, root: &str) -> Self {
        let p = &lp.procedure;
        let g = Graph::new(p);
        let order = g.reading_order();
        let stages = order
            .iter()
            .map(|&i| &p.nodes[i])
            .filter(|n| n.kind == NodeKind::Stage)
            .map(|n| CompareStage {
                heading: n.heading(),
                deadlines: n
                    .deadlines
                    .iter()
                    .map(|d| format!("{}: {}", d.what, d.period))
                    .collect(),
            })
            .collect();
        let exits = order
            .iter()
            .map(|&i| &p.nodes[i])
            .filter(|n| n.kind == NodeKind::Ending)
            .map(|n| n.heading())
            .collect();
        CompareColumn {
            href: format!("{root}{}/index.html", lp.slug),
            name: p.display_name().to_string(),
            owner: p.owner.clone(),
            stages,
            exits,
        }
    }
}

/// Everything the procedure page shows.
#[derive(Serialize)]
struct ProcedureView {
    slug: String,
    title: String,
    name: String,
    area: String,
    owner: String,
    summary_html: String,
    audience: Vec<String>,
    sections: Vec<SectionView>,
    covers: Vec<String>,
    excludes: Vec<String>,
    codes: Vec<String>,
    glossary: Vec<crate::model::GlossaryEntry>,
    flowchart_svg: String,
    routes: Vec<Vec<String>>,
    nodes: Vec<NodeView>,
    contacts: Vec<OrganisationView>,
    resources: Vec<ResourceView>,
    monitoring_html: Option<String>,
    review_every: Option<String>,
    reviewed_by: Option<String>,
    adopted: Option<String>,
    last_reviewed: Option<String>,
    source: crate::model::Source,
    notes_html: Vec<String>,
}

#[derive(Serialize)]
struct SectionView {
    id: String,
    heading: String,
    body_html: String,
}

#[derive(Serialize)]
struct NodeView {
    id: String,
    kind: NodeKind,
    heading: String,
    label: Option<String>,
    title: Option<String>,
    summary_html: Option<String>,
    who: Vec<String>,
    steps: Vec<StepView>,
    deadlines: Vec<DeadlineView>,
    documents: Vec<crate::model::Document>,
    checklists: Vec<ChecklistView>,
    contacts: Vec<ContactView>,
    notes_html: Vec<String>,
    next: Option<LinkView>,
    question: Option<String>,
    decided_by: Option<String>,
    answers: Vec<AnswerView>,
    outcome: Option<String>,
    next_steps_html: Option<String>,
    resources: Vec<ResourceView>,
}

#[derive(Serialize)]
struct StepView {
    reference: Option<String>,
    html: String,
}

#[derive(Serialize)]
struct ChecklistView {
    title: String,
    items_html: Vec<String>,
}

#[derive(Serialize)]
struct LinkView {
    href: String,
    text: String,
}

#[derive(Serialize)]
struct AnswerView {
    label: String,
    href: String,
    text: String,
}

#[derive(Serialize)]
struct DeadlineView {
    what: String,
    period: String,
    strength: &'static str,
    rule: String,
    who: Option<String>,
    wording: String,
}

#[derive(Serialize, Clone)]
struct ContactView {
    organisation: String,
    departments: Vec<String>,
    role: Option<String>,
    name: Option<String>,
    phone: Option<String>,
    tel: Option<String>,
    email: Option<String>,
    address: Vec<String>,
    url: Option<String>,
    note: Option<String>,
}

#[derive(Serialize)]
struct OrganisationView {
    organisation: String,
    people: Vec<ContactView>,
}

#[derive(Serialize, Clone)]
struct ResourceView {
    id: String,
    title: String,
    url: Option<String>,
    description_html: Option<String>,
    fee: Option<String>,
}

impl ProcedureView {
    fn new(lp: &LoadedProcedure, dialling_code: &str) -> Self {
        let p = &lp.procedure;
        let g = Graph::new(p);
        let order = g.reading_order();
        let contacts: BTreeMap<&str, ContactView> = p
            .contacts
            .iter()
            .map(|c| (c.id.as_str(), ContactView::new(c, dialling_code)))
            .collect();
        let resources: BTreeMap<&str, ResourceView> = p
            .resources
            .iter()
            .map(|r| (r.id.as_str(), ResourceView::new(r)))
            .collect();
        let nodes = order
            .iter()
            .map(|&i| NodeView::new(&p.nodes[i], &g, &contacts, &resources))
            .collect();
        let scope = p.scope.clone().unwrap_or_default();
        ProcedureView {
            slug: lp.slug.clone(),
            title: p.title.clone(),
            name: p.display_name().to_string(),
            area: p.area.clone(),
            owner: p.owner.clone(),
            summary_html: block(&p.summary, 3),
            audience: p.audience.clone(),
            sections: p
                .sections
                .iter()
                .map(|s| SectionView {
                    id: format!("about-{}", crate::model::slug(&s.heading)),
                    heading: s.heading.clone(),
                    body_html: block(&s.body, 4),
                })
                .collect(),
            covers: scope.covers,
            excludes: scope.excludes,
            codes: p.codes.clone(),
            glossary: p.glossary.clone(),
            flowchart_svg: crate::diagram::procedure_flowchart(p, &g, &order),
            routes: crate::diagram::routes(p, &g),
            nodes,
            contacts: group_by_organisation(
                p.contacts
                    .iter()
                    .map(|c| ContactView::new(c, dialling_code)),
            ),
            resources: p.resources.iter().map(ResourceView::new).collect(),
            monitoring_html: p.monitoring.as_ref().map(|m| block(&m.text, 4)),
            review_every: p
                .monitoring
                .as_ref()
                .and_then(|m| m.review_every)
                .map(|r| r.to_string()),
            reviewed_by: p.monitoring.as_ref().and_then(|m| m.reviewed_by.clone()),
            adopted: p.adopted.clone(),
            last_reviewed: p.last_reviewed.clone(),
            source: p.source.clone(),
            notes_html: p.notes.iter().map(|n| inline(n)).collect(),
        }
    }
}

/// Groups contacts under their organisation, keeping the order in which organisations first appear.
fn group_by_organisation(contacts: impl Iterator<Item = ContactView>) -> Vec<OrganisationView> {
    let mut groups: Vec<OrganisationView> = Vec::new();
    for c in contacts {
        match groups.iter_mut().find(|g| g.organisation == c.organisation) {
            Some(g) => g.people.push(c),
            None => groups.push(OrganisationView {
                organisation: c.organisation.clone(),
                people: vec![c],
            }),
        }
    }
    groups
}

impl ContactView {
    fn new(c: &Contact, dialling_code: &str) -> Self {
        ContactView {
            organisation: c.organisation.clone(),
            departments: c.departments.clone(),
            role: c.role.clone(),
            name: c.name.clone(),
            phone: c.phone.clone(),
            tel: c
                .phone
                .as_deref()
                .and_then(|p| crate::contact::tel_uri(p, dialling_code)),
            email: c.email.clone(),
            address: c.address.clone(),
            url: c.url.clone(),
            note: c.note.clone(),
        }
    }
}

impl ResourceView {
    fn new(r: &crate::model::Resource) -> Self {
        ResourceView {
            id: r.id.clone(),
            title: r.title.clone(),
            url: r.url.clone(),
            description_html: r.description.as_deref().map(inline),
            fee: r.fee.clone(),
        }
    }
}

/// The anchor of a node on its procedure page.
pub fn node_anchor(id: &str) -> String {
    format!("#node-{id}")
}

impl NodeView {
    fn new(
        n: &Node,
        g: &Graph,
        contacts: &BTreeMap<&str, ContactView>,
        resources: &BTreeMap<&str, ResourceView>,
    ) -> Self {
        let link = |id: &str| LinkView {
            href: node_anchor(id),
            text: g.node(id).map_or_else(|| id.to_string(), Node::heading),
        };
        NodeView {
            id: n.id.clone(),
            kind: n.kind,
            heading: n.heading(),
            label: n.label.clone(),
            title: n.title.clone(),
            summary_html: n.summary.as_deref().map(|s| block(s, 4)),
            who: n.who.clone(),
            steps: n
                .steps
                .iter()
                .map(|s| StepView {
                    reference: s.reference.clone(),
                    html: inline(&s.text),
                })
                .collect(),
            deadlines: n.deadlines.iter().map(DeadlineView::new).collect(),
            documents: n.documents.clone(),
            checklists: n
                .checklists
                .iter()
                .map(|c| ChecklistView {
                    title: c.title.clone(),
                    items_html: c.items.iter().map(|i| inline(i)).collect(),
                })
                .collect(),
            contacts: n
                .contacts
                .iter()
                .filter_map(|id| contacts.get(id.as_str()).cloned())
                .collect(),
            notes_html: n.notes.iter().map(|t| inline(t)).collect(),
            next: n.next.as_deref().map(link),
            question: n.question.clone(),
            decided_by: n.decided_by.clone(),
            answers: n
                .answers
                .iter()
                .map(|a| {
                    let l = link(&a.next);
                    AnswerView {
                        label: a.label.clone(),
                        href: l.href,
                        text: l.text,
                    }
                })
                .collect(),
            outcome: n.outcome.map(|o| outcome_words(o).to_string()),
            next_steps_html: n.next_steps.as_deref().map(|s| block(s, 5)),
            resources: n
                .resources
                .iter()
                .filter_map(|id| resources.get(id.as_str()).cloned())
                .collect(),
        }
    }
}

/// How an outcome is named to readers.
pub fn outcome_words(o: Outcome) -> &'static str {
    match o {
        Outcome::Resolved => "Resolved",
        Outcome::Referred => "Referred elsewhere",
        Outcome::Left => "Ends without a resolution",
    }
}

/// How firm a deadline is, in words.
pub fn strength_words(s: Strength) -> &'static str {
    match s {
        Strength::Endeavour => "a target: they will try to meet it",
        Strength::Should => "expected: reasons are recorded if it is missed",
        Strength::NoLaterThan => "a firm limit",
        Strength::AtLeast => "a minimum notice period",
    }
}

impl DeadlineView {
    fn new(d: &Deadline) -> Self {
        let (direction, event) = match (&d.after, &d.before) {
            (_, Some(before)) => (Direction::Before, before.as_str()),
            (Some(after), None) => (Direction::After, after.as_str()),
            (None, None) => (Direction::After, ""),
        };
        DeadlineView {
            what: d.what.clone(),
            period: d.period.to_string(),
            strength: strength_words(d.strength),
            rule: describe(d.period.min, d.period.max, d.period.unit, direction, event),
            who: d.who.clone(),
            wording: d.wording.clone(),
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
        out.push_str(&crate::export::xml_escape(&u));
        out.push_str("</loc></url>\n");
    }
    out.push_str("</urlset>\n");
    out
}
