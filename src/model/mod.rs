//! The data model: what a procedure file and the site file say, as Rust types.
//!
//! These types are the single source of truth for the file format: serde reads
//! them from YAML, schemars turns them into the JSON Schema that editors use,
//! and every view of the site (stage list, flowchart, wizard, compare page) is
//! drawn from them. Nothing here knows about any particular procedure.
//!
//! A procedure is a directed graph of nodes: stages (what to do, by when, with
//! whom), decisions (a question with labelled answers) and endings. A file is
//! read with each node a [`FlatNode`] (every field optional, so mistakes can be
//! placed exactly); once [`crate::check`] has passed it, each becomes a [`Node`],
//! an enum whose variants hold only their own fields (see [`node`]).

pub mod contact;
pub mod deadline;
pub mod filled;
pub mod graph;
pub mod node;
pub mod schema;
pub mod verbatim;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::dates::{Calendar, Unit, Whichever};
pub use deadline::{Alternative, Deadline, Period, PeriodError, Start, Strength};
pub use node::{Decision, Ending, FlatNode, Node, NodeCommon, NodeKind, Stage};

/// The site file, `site.yaml`, at the root of a site.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The site's name, shown in every page's header.
    pub title: String,
    /// One or two sentences about the site, for the home page and search engines.
    #[serde(default)]
    pub description: Option<String>,
    /// The address the site will be published at, e.g. `https://example.org/procedures/`.
    /// Only used where an absolute address is unavoidable (sitemap, canonical links);
    /// every link between pages is relative.
    #[serde(default)]
    pub base_url: Option<String>,
    /// The language of the content, as a BCP 47 tag.
    #[serde(default = "default_language")]
    pub language: String,
    /// The theme folder under `themes/` to use; `default` is built in.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Markdown shown at the foot of every page.
    #[serde(default)]
    pub footer: Option<String>,
    /// The country dialling code for national phone numbers (a leading 0), used in `tel:` links.
    #[serde(default = "default_dialling_code")]
    pub dialling_code: String,
    /// Whose bank holidays working days leave out: `england-and-wales` (the default),
    /// `scotland` or `northern-ireland`. A procedure may name its own.
    #[serde(default)]
    pub calendar: Calendar,
}

fn default_dialling_code() -> String {
    "+44".to_string()
}

fn default_language() -> String {
    "en-GB".to_string()
}

fn default_theme() -> String {
    "default".to_string()
}

/// One procedure file in `procedures/`.
// Its nodes are `N`: `FlatNode`s as read from the file, or, once checked, `Node`s
// (`CheckedProcedure`). (A plain comment: doc comments become the schema's descriptions.)
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Procedure")]
pub struct Procedure<N = FlatNode> {
    /// The procedure's full published title.
    pub title: String,
    /// A short name for lists and the compare page, e.g. the area's name.
    #[serde(default)]
    pub short_title: Option<String>,
    /// The place or organisation the procedure covers.
    pub area: String,
    /// Whose bank holidays this procedure's working days leave out, when not the
    /// site's `calendar`: `england-and-wales`, `scotland` or `northern-ireland`.
    #[serde(default)]
    pub calendar: Option<Calendar>,
    /// The body that owns or oversees the procedure, only where the source says so
    /// (leave it out rather than guess: the page then says it is not stated).
    #[serde(default)]
    pub owner: Option<String>,
    /// The body or bodies that run the procedure, where the source names them and they
    /// differ from its publisher, e.g. a council's page describing a procedure schools run.
    #[serde(default)]
    pub operator: Option<String>,
    /// What the procedure is for, in a few sentences (Markdown).
    pub summary: String,
    /// Who the procedure is for.
    #[serde(default)]
    pub audience: Vec<String>,
    /// Further published sections (background, aims, who sits on a panel ...), in order.
    #[serde(default)]
    pub sections: Vec<Section>,
    /// What the procedure deals with and what it does not.
    #[serde(default)]
    pub scope: Option<Scope>,
    /// Codes of practice or themes the procedure covers.
    #[serde(default)]
    pub codes: Vec<String>,
    /// Abbreviations and terms used in the procedure.
    #[serde(default)]
    pub glossary: Vec<GlossaryEntry>,
    /// The id of the node a reader starts at.
    pub start: String,
    /// The stages, decisions and endings, in reading order.
    pub nodes: Vec<N>,
    /// People and offices to contact; stages refer to them by id.
    #[serde(default)]
    pub contacts: Vec<Contact>,
    /// Services outside the procedure (mediation schemes, advice) that readers may be sent to.
    #[serde(default)]
    pub resources: Vec<Resource>,
    /// How the procedure is monitored and reviewed.
    #[serde(default)]
    pub monitoring: Option<Monitoring>,
    /// When the procedure was adopted, as published (a date `YYYY-MM-DD`, `YYYY-MM` or `YYYY`).
    #[serde(default)]
    pub adopted: Option<String>,
    /// When this file was last checked against the published procedure (`YYYY-MM-DD`).
    #[serde(default)]
    pub last_reviewed: Option<String>,
    /// The published document this file transcribes.
    pub source: Source,
    /// Notes on the transcription, e.g. where the published text is ambiguous.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Route tests: answers to give the wizard, and the node it must arrive at.
    #[serde(default)]
    pub tests: Vec<RouteTest>,
}

/// A titled block of published prose.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// The section's heading.
    pub heading: String,
    /// The section's text (Markdown), quoted from the published text.
    #[schemars(extend("x-verbatim" = "markdown"))]
    pub body: String,
}

/// What a procedure covers and what it does not.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// What the procedure will do or deal with, quoted from the published text.
    #[serde(default)]
    #[schemars(extend("x-verbatim" = "plain"))]
    pub covers: Vec<String>,
    /// What the procedure will not do or deal with, quoted from the published text.
    #[serde(default)]
    #[schemars(extend("x-verbatim" = "plain"))]
    pub excludes: Vec<String>,
    /// Who may use the procedure, as published, e.g. who may complain on someone else's behalf.
    /// The guide shows it on its first page.
    #[serde(default)]
    pub eligibility: Vec<String>,
    /// A question the guide asks first, so that a reader outside the procedure's scope is
    /// not told a stage they are not at, e.g. `Is your dispute about a Compact theme or principle?`
    #[serde(default)]
    pub question: Option<String>,
    /// The answers to `question`, each leading to a node: one to `start` for a reader
    /// inside the scope, and one for each exclusion that sends the reader somewhere.
    #[serde(default)]
    pub answers: Vec<Answer>,
}

/// The id the guide gives its scope question (in addresses: `?scope=yes`), which no node may take
/// while the procedure has one.
pub const SCOPE_QUESTION_ID: &str = "scope";

impl Scope {
    /// The scope question and its answers, when the guide asks one.
    pub fn guide_question(&self) -> Option<(&str, &[Answer])> {
        self.question
            .as_deref()
            .map(|question| (question, self.answers.as_slice()))
    }
}

/// An abbreviation or term and what it means.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GlossaryEntry {
    /// The term as it appears in the text, e.g. `GCMG`.
    pub term: String,
    /// What it stands for or means.
    pub meaning: String,
}

/// One numbered step of a stage.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The published step number, e.g. `1.1` (optional: some procedures do not number steps).
    #[serde(default, rename = "ref")]
    pub reference: Option<String>,
    /// What happens (Markdown), quoted from the published text.
    #[schemars(extend("x-verbatim" = "markdown"))]
    pub text: String,
}

/// The parts of a stage its source leaves unknown, e.g. because the documents that
/// hold them could not be read. The page and the guide say so where the parts would be.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unknowns {
    /// Which parts are not known: `steps`, `who`, `deadlines`, `documents`, `contacts`.
    pub parts: Vec<StagePart>,
    /// Why they are not known, e.g. `The linked documents that hold the procedure could not be read.`
    pub why: String,
}

/// A part of a stage that its source may leave unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum StagePart {
    /// What happens, step by step.
    Steps,
    /// Who acts.
    Who,
    /// The time limits.
    Deadlines,
    /// The forms and documents.
    Documents,
    /// Whom to contact.
    Contacts,
}

impl StagePart {
    /// The field of a stage that holds this part.
    pub fn field(self) -> &'static str {
        match self {
            StagePart::Steps => "steps",
            StagePart::Who => "who",
            StagePart::Deadlines => "deadlines",
            StagePart::Documents => "documents",
            StagePart::Contacts => "contacts",
        }
    }

    /// What the page calls this part, e.g. `Time limits`.
    pub fn heading(self) -> &'static str {
        match self {
            StagePart::Steps => "Steps",
            StagePart::Who => "Who acts",
            StagePart::Deadlines => "Time limits",
            StagePart::Documents => "Forms and documents",
            StagePart::Contacts => "Contact",
        }
    }
}

/// A form or document a stage needs.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// The document's name, e.g. `Compact Resolution Enquiry Form`.
    pub title: String,
    /// Where to get it.
    #[serde(default)]
    pub url: Option<String>,
    /// What it is for or how to use it.
    #[serde(default)]
    pub note: Option<String>,
}

/// A list of what something must include.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    /// What the list is for, e.g. `Your letter should include`.
    pub title: String,
    /// The items, in published order, each quoted from the published text.
    #[schemars(extend("x-verbatim" = "plain"))]
    pub items: Vec<String>,
}

/// One answer to a decision.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// The answer as shown on the procedure page and flowchart, e.g. `Yes`.
    pub label: String,
    /// The id of the node this answer leads to.
    pub next: String,
    /// The wizard's wording for this answer, where it should read differently.
    #[serde(default)]
    pub wizard_label: Option<String>,
    /// A key for the wizard's web address (`?route=third-sector`); made from the label if absent.
    #[serde(default)]
    pub key: Option<String>,
}

/// What kind of outcome an ending is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The difference was settled.
    Resolved,
    /// The matter goes to another body or procedure.
    Referred,
    /// The reader leaves the process without a resolution.
    Left,
    /// The matter was closed, e.g. because the person complaining did not act within a time limit.
    Closed,
    /// The person who raised the matter withdrew it.
    Withdrawn,
    /// The procedure does not deal with the matter (one of its exclusions).
    NotCovered,
}

/// The wizard's wording for a stage.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WizardWording {
    /// Replaces "Have you finished <label>: <title>?".
    #[serde(default)]
    pub question: Option<String>,
    /// Replaces "Not yet, I am doing this now".
    #[serde(default)]
    pub not_yet: Option<String>,
    /// Replaces "Yes, it has finished".
    #[serde(default)]
    pub finished: Option<String>,
}

/// Someone to contact.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// A short unique name that stages use to refer to this contact.
    pub id: String,
    /// The organisation, e.g. `Oxfordshire County Council`.
    pub organisation: String,
    /// Departments within the organisation, outermost first, e.g. `[Community Safety, Fire & Rescue]`.
    #[serde(default)]
    pub departments: Vec<String>,
    /// The officer's role, e.g. `Community Development Manager`.
    #[serde(default)]
    pub role: Option<String>,
    /// A named person.
    #[serde(default)]
    pub name: Option<String>,
    /// A telephone number, as published, e.g. `01993 861000`.
    #[serde(default)]
    pub phone: Option<String>,
    /// An e-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// A postal address, one line per item.
    #[serde(default)]
    pub address: Vec<String>,
    /// A web address.
    #[serde(default)]
    pub url: Option<String>,
    /// Anything else, e.g. `For the Chair of the Compact Group`.
    #[serde(default)]
    pub note: Option<String>,
}

/// A service outside the procedure.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// A short unique name that endings use to refer to this resource.
    pub id: String,
    /// The service's name.
    pub title: String,
    /// Its web address.
    #[serde(default)]
    pub url: Option<String>,
    /// What it offers.
    #[serde(default)]
    pub description: Option<String>,
    /// A telephone number, as published, e.g. `0845 123 4567`.
    #[serde(default)]
    pub phone: Option<String>,
    /// An e-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// A postal address, one line per item.
    #[serde(default)]
    pub address: Vec<String>,
    /// A warning about charges, e.g. `There may be a financial charge for using this service.`
    #[serde(default)]
    pub fee: Option<String>,
}

/// How a procedure is monitored and reviewed.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Monitoring {
    /// The published arrangements (Markdown).
    pub text: String,
    /// How often the procedure itself is reviewed, e.g. `6 months` or `12 months`.
    #[serde(default)]
    pub review_every: Option<Period>,
    /// Who reviews it.
    #[serde(default)]
    pub reviewed_by: Option<String>,
}

/// The published document a procedure file transcribes.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The document's title as published.
    pub title: String,
    /// Who published it.
    #[serde(default)]
    pub publisher: Option<String>,
    /// When it was published or agreed, as published.
    #[serde(default)]
    pub date: Option<String>,
    /// Where the original can be found.
    #[serde(default)]
    pub url: Option<String>,
    /// A plain-text copy of the published document, kept in the site, e.g. `sources/doncaster.txt`:
    /// `check` holds every quote, time limit and contact detail against it.
    #[serde(default)]
    pub text: Option<String>,
    /// Passages of the published text that this file deliberately leaves out, each with why:
    /// time limits and contact details in them need no deadline or contact.
    #[serde(default)]
    pub acknowledged: Vec<Acknowledged>,
    /// Further addresses where the same document is published.
    #[serde(default)]
    pub other_urls: Vec<String>,
    /// Dated versions of the source that were read, oldest first, where they differ.
    #[serde(default)]
    pub versions: Vec<SourceVersion>,
}

/// A passage of the published text that a procedure file deliberately does not carry.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Acknowledged {
    /// The passage, quoted from the published text, e.g. `every 6 months`.
    #[schemars(extend("x-verbatim" = "plain"))]
    pub text: String,
    /// Why the file leaves it out.
    pub why: String,
}

/// One dated version of a published source, e.g. a web page read on two dates.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceVersion {
    /// A short unique name for the version, e.g. `2025-09`.
    pub id: String,
    /// The version's date as the source gives it, e.g. `Page last updated: 17 September 2025`.
    pub date: String,
    /// Where this version was read, if not at the source's own address.
    #[serde(default)]
    pub url: Option<String>,
    /// How this version differs, or which facts on the page come from it.
    #[serde(default)]
    pub note: Option<String>,
}

/// A route test: the wizard, given these answers, must arrive at `expect`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteTest {
    /// What the test is about.
    #[serde(default)]
    pub name: Option<String>,
    /// The answers in order: `finished` or `not-yet` at a stage, an answer's label or key at a decision.
    pub answers: Vec<String>,
    /// The node the wizard must arrive at: a stage ("you are at ...") or an ending.
    pub expect: String,
}

/// A procedure whose nodes have passed the checks: what rendering works from.
pub type CheckedProcedure = Procedure<Node>;

impl<N: graph::GraphNode> Procedure<N> {
    /// The node with this id, if any.
    pub fn node(&self, id: &str) -> Option<&N> {
        self.nodes.iter().find(|n| n.id() == id)
    }
}

impl<N> Procedure<N> {
    /// The same procedure with other nodes: what checking makes of a file's.
    pub fn with_nodes<M>(&self, nodes: Vec<M>) -> Procedure<M> {
        Procedure {
            title: self.title.clone(),
            short_title: self.short_title.clone(),
            area: self.area.clone(),
            calendar: self.calendar,
            owner: self.owner.clone(),
            operator: self.operator.clone(),
            summary: self.summary.clone(),
            audience: self.audience.clone(),
            sections: self.sections.clone(),
            scope: self.scope.clone(),
            codes: self.codes.clone(),
            glossary: self.glossary.clone(),
            start: self.start.clone(),
            nodes,
            contacts: self.contacts.clone(),
            resources: self.resources.clone(),
            monitoring: self.monitoring.clone(),
            adopted: self.adopted.clone(),
            last_reviewed: self.last_reviewed.clone(),
            source: self.source.clone(),
            notes: self.notes.clone(),
            tests: self.tests.clone(),
        }
    }

    /// The name to show in lists: the short title, or the area.
    pub fn display_name(&self) -> &str {
        self.short_title.as_deref().unwrap_or(&self.area)
    }

    /// Whose bank holidays this procedure's working days leave out: its own
    /// `calendar`, or else the site's.
    pub fn calendar_or(&self, site: Calendar) -> Calendar {
        self.calendar.unwrap_or(site)
    }
}

impl Answer {
    /// The key that names this answer in a wizard address: `key`, or the label made URL-safe.
    pub fn url_key(&self) -> String {
        self.key.clone().unwrap_or_else(|| slug(&self.label))
    }
}

/// Lower-case letters and digits joined by single hyphens: `Third Sector organisation` → `third-sector-organisation`.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(
            slug("Third Sector organisation"),
            "third-sector-organisation"
        );
        assert_eq!(slug("Yes, it has finished!"), "yes-it-has-finished");
        assert_eq!(slug("  --"), "");
    }
}
