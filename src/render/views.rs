//! Views: what each page shows, as plain serialisable structs with the
//! Markdown already rendered and sanitised, ready for a template.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::dates::Calendar;
use crate::load::LoadedProcedure;
use crate::model::graph::Graph;
use crate::model::{CheckedProcedure, Contact, Decision, Ending, Node, NodeKind, Outcome, Stage};
use crate::render::markdown::{block, inline};

pub(super) use super::deadlines::DeadlineView;

/// A line about a procedure, for the home page.
#[derive(Serialize)]
pub(super) struct ProcedureSummary {
    href: String,
    wizard_href: String,
    title: String,
    name: String,
    area: String,
    owner: Option<String>,
    stages: usize,
    last_reviewed: Option<String>,
    summary_html: String,
}

impl ProcedureSummary {
    pub(super) fn new(lp: &LoadedProcedure, p: &CheckedProcedure, root: &str) -> Self {
        ProcedureSummary {
            href: [root, &lp.slug, "/index.html"].concat(),
            wizard_href: [root, &lp.slug, "/wizard/index.html"].concat(),
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
fn count_stages(p: &CheckedProcedure) -> usize {
    let mut labels: Vec<&str> = p
        .nodes
        .iter()
        .filter_map(|n| match n {
            Node::Stage(stage) => Some(stage.label.as_deref().unwrap_or(&stage.common.id)),
            _ => None,
        })
        .collect();
    labels.sort_unstable();
    labels.dedup();
    labels.len()
}

/// One procedure's column on the compare page.
#[derive(Serialize)]
pub(super) struct CompareColumn {
    href: String,
    name: String,
    owner: Option<String>,
    stages: Vec<CompareStage>,
    exits: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct CompareStage {
    heading: String,
    deadlines: Vec<String>,
}

impl CompareColumn {
    pub(super) fn new(lp: &LoadedProcedure, p: &CheckedProcedure, root: &str) -> Self {
        let g = Graph::new(p);
        let order = g.reading_order();
        let in_order = || order.iter().map(|&i| &p.nodes[i]);
        let stages = in_order()
            .filter_map(|n| match n {
                Node::Stage(stage) => Some(CompareStage {
                    heading: n.heading(),
                    deadlines: stage
                        .deadlines
                        .iter()
                        .map(super::deadlines::compare_line)
                        .chain(unknown_deadlines(stage))
                        .collect(),
                }),
                _ => None,
            })
            .collect();
        let exits = in_order()
            .filter(|n| matches!(n, Node::Ending(_)))
            .map(Node::heading)
            .collect();
        CompareColumn {
            href: [root, &lp.slug, "/index.html"].concat(),
            name: p.display_name().to_string(),
            owner: p.owner.clone(),
            stages,
            exits,
        }
    }
}

/// "Time limits: not known" for a stage whose source leaves them unknown.
fn unknown_deadlines(stage: &Stage) -> Option<String> {
    let unknown = stage.unknown.as_ref()?;
    unknown
        .parts
        .contains(&crate::model::StagePart::Deadlines)
        .then(|| "Time limits: not known".to_string())
}

/// Everything the procedure page shows.
#[derive(Serialize)]
pub(super) struct ProcedureView {
    slug: String,
    title: String,
    name: String,
    area: String,
    owner: Option<String>,
    operator: Option<String>,
    summary_html: String,
    audience: Vec<String>,
    sections: Vec<SectionView>,
    covers: Vec<String>,
    excludes: Vec<String>,
    eligibility_html: Vec<String>,
    /// The question the guide asks first, and where each answer leads.
    scope_question: Option<String>,
    scope_answers: Vec<AnswerView>,
    codes: Vec<String>,
    glossary: Vec<crate::model::GlossaryEntry>,
    flowchart_svg: String,
    flowchart_legend: String,
    routes: Vec<Vec<String>>,
    pub(super) nodes: Vec<NodeView>,
    contacts: Vec<OrganisationView>,
    resources: Vec<ResourceView>,
    monitoring_html: Option<String>,
    review_every: Option<String>,
    reviewed_by: Option<String>,
    adopted: Option<String>,
    last_reviewed: Option<String>,
    source: crate::model::Source,
    published_text: Option<PublishedTextView>,
    notes_html: Vec<String>,
}

/// How much of its published text the page quotes word for word.
#[derive(Serialize)]
pub(super) struct PublishedTextView {
    sentences: usize,
    quoted: usize,
    percent: usize,
}

#[derive(Serialize)]
pub(super) struct SectionView {
    id: String,
    heading: String,
    body_html: String,
}

#[derive(Serialize)]
pub(super) struct NodeView {
    pub(super) id: String,
    pub(super) kind: NodeKind,
    pub(super) heading: String,
    pub(super) label: Option<String>,
    pub(super) title: Option<String>,
    pub(super) summary_html: Option<String>,
    pub(super) who: Vec<String>,
    pub(super) steps: Vec<StepView>,
    pub(super) deadlines: Vec<DeadlineView>,
    pub(super) documents: Vec<crate::model::Document>,
    pub(super) checklists: Vec<ChecklistView>,
    pub(super) contacts: Vec<ContactView>,
    pub(super) notes_html: Vec<String>,
    /// The reader's own choices at a stage or decision.
    pub(super) choices_html: Vec<String>,
    pub(super) next: Option<LinkView>,
    pub(super) question: Option<String>,
    pub(super) decided_by: Option<String>,
    pub(super) answers: Vec<AnswerView>,
    pub(super) outcome: Option<String>,
    pub(super) next_steps_html: Option<String>,
    pub(super) resources: Vec<ResourceView>,
    /// Whose bank holidays the node's working days leave out.
    pub(super) calendar: CalendarView,
    pub(super) unknown: Option<UnknownView>,
}

/// The parts of a stage its source leaves unknown, and why.
#[derive(Serialize)]
pub(super) struct UnknownView {
    parts: Vec<&'static str>,
    why_html: String,
}

/// A calendar as templates use it: its name for the guide's script
/// (`data-calendar`) and the place readers are told of.
#[derive(Serialize, Clone, Copy)]
pub(super) struct CalendarView {
    id: &'static str,
    place: &'static str,
}

impl CalendarView {
    fn new(calendar: Calendar) -> Self {
        CalendarView {
            id: calendar.as_str(),
            place: calendar.place(),
        }
    }
}

#[derive(Serialize)]
pub(super) struct StepView {
    reference: Option<String>,
    html: String,
}

#[derive(Serialize)]
pub(super) struct ChecklistView {
    title: String,
    items_html: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct LinkView {
    href: String,
    text: String,
}

#[derive(Serialize)]
pub(super) struct AnswerView {
    label: String,
    href: String,
    text: String,
}

#[derive(Serialize, Clone)]
pub(super) struct ContactView {
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
pub(super) struct OrganisationView {
    organisation: String,
    people: Vec<ContactView>,
}

#[derive(Serialize, Clone)]
pub(super) struct ResourceView {
    id: String,
    title: String,
    url: Option<String>,
    description_html: Option<String>,
    fee: Option<String>,
    phone: Option<String>,
    tel: Option<String>,
    email: Option<String>,
    address: Vec<String>,
}

impl ProcedureView {
    /// The view of procedure `p`, whose working days leave out `calendar`'s bank holidays.
    pub(super) fn new(
        lp: &LoadedProcedure,
        p: &CheckedProcedure,
        dialling_code: &str,
        calendar: Calendar,
    ) -> Self {
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
            .map(|r| (r.id.as_str(), ResourceView::new(r, dialling_code)))
            .collect();
        let nodes = order
            .iter()
            .map(|&i| NodeView::new(&p.nodes[i], &g, &contacts, &resources, calendar))
            .collect();
        let scope = p.scope.clone().unwrap_or_default();
        ProcedureView {
            slug: lp.slug.clone(),
            title: p.title.clone(),
            name: p.display_name().to_string(),
            area: p.area.clone(),
            owner: p.owner.clone(),
            operator: p.operator.clone(),
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
            eligibility_html: scope.eligibility.iter().map(|e| inline(e)).collect(),
            scope_answers: scope
                .answers
                .iter()
                .map(|a| AnswerView {
                    label: a.label.clone(),
                    href: node_anchor(&a.next),
                    text: g
                        .node(&a.next)
                        .map_or_else(|| a.next.clone(), Node::heading),
                })
                .collect(),
            scope_question: scope.question,
            covers: scope.covers,
            excludes: scope.excludes,
            codes: p.codes.clone(),
            glossary: p.glossary.clone(),
            flowchart_svg: crate::render::flowchart::procedure_flowchart(p, &g, &order),
            flowchart_legend: crate::render::flowchart::procedure_legend(p),
            routes: crate::render::flowchart::routes(p, &g),
            nodes,
            contacts: group_by_organisation(
                p.contacts
                    .iter()
                    .map(|c| ContactView::new(c, dialling_code)),
            ),
            resources: p
                .resources
                .iter()
                .map(|r| ResourceView::new(r, dialling_code))
                .collect(),
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
            published_text: crate::check::source::coverage(lp).map(|c| PublishedTextView {
                sentences: c.sentences,
                quoted: c.quoted,
                percent: c.percent(),
            }),
            notes_html: p.notes.iter().map(|n| inline(n)).collect(),
        }
    }
}

/// Groups contacts under their organisation, keeping the order in which organisations first appear.
pub(super) fn group_by_organisation(
    contacts: impl Iterator<Item = ContactView>,
) -> Vec<OrganisationView> {
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
    pub(super) fn new(c: &Contact, dialling_code: &str) -> Self {
        ContactView {
            organisation: c.organisation.clone(),
            departments: c.departments.clone(),
            role: c.role.clone(),
            name: c.name.clone(),
            phone: c.phone.clone(),
            tel: c
                .phone
                .as_deref()
                .and_then(|p| crate::model::contact::tel_uri(p, dialling_code)),
            email: c.email.clone(),
            address: c.address.clone(),
            url: c.url.clone(),
            note: c.note.clone(),
        }
    }
}

impl ResourceView {
    pub(super) fn new(r: &crate::model::Resource, dialling_code: &str) -> Self {
        ResourceView {
            id: r.id.clone(),
            title: r.title.clone(),
            url: r.url.clone(),
            description_html: r.description.as_deref().map(inline),
            fee: r.fee.clone(),
            phone: r.phone.clone(),
            tel: r
                .phone
                .as_deref()
                .and_then(|p| crate::model::contact::tel_uri(p, dialling_code)),
            email: r.email.clone(),
            address: r.address.clone(),
        }
    }
}

/// The anchor of a node on its procedure page.
pub fn node_anchor(id: &str) -> String {
    ["#node-", id].concat()
}

impl NodeView {
    pub(super) fn new(
        n: &Node,
        g: &Graph,
        contacts: &BTreeMap<&str, ContactView>,
        resources: &BTreeMap<&str, ResourceView>,
        calendar: Calendar,
    ) -> Self {
        let link = |id: &str| LinkView {
            href: node_anchor(id),
            text: g.node(id).map_or_else(|| id.to_string(), Node::heading),
        };
        let common = n.common();
        let mut view = NodeView {
            id: common.id.clone(),
            kind: n.kind(),
            heading: n.heading(),
            label: None,
            title: None,
            summary_html: common.summary.as_deref().map(|s| block(s, 4)),
            who: Vec::new(),
            steps: Vec::new(),
            deadlines: Vec::new(),
            documents: Vec::new(),
            checklists: Vec::new(),
            contacts: Vec::new(),
            notes_html: common.notes.iter().map(|t| inline(t)).collect(),
            choices_html: Vec::new(),
            next: None,
            question: None,
            decided_by: None,
            answers: Vec::new(),
            outcome: None,
            next_steps_html: None,
            resources: Vec::new(),
            calendar: CalendarView::new(calendar),
            unknown: None,
        };
        match n {
            Node::Stage(stage) => view.show_stage(stage, link, contacts),
            Node::Decision(decision) => view.show_decision(decision, link, contacts),
            Node::Ending(ending) => view.show_ending(ending, contacts, resources),
        }
        view
    }

    /// Fills in what a stage shows.
    fn show_stage(
        &mut self,
        stage: &Stage,
        link: impl Fn(&str) -> LinkView,
        contacts: &BTreeMap<&str, ContactView>,
    ) {
        self.label = stage.label.clone();
        self.title = stage.title.clone();
        self.who = stage.who.clone();
        self.steps = stage
            .steps
            .iter()
            .map(|s| StepView {
                reference: s.reference.clone(),
                html: inline(&s.text),
            })
            .collect();
        let place = self.calendar.place;
        self.deadlines = stage
            .deadlines
            .iter()
            .map(|d| DeadlineView::new(d, place))
            .collect();
        self.documents = stage.documents.clone();
        self.checklists = stage
            .checklists
            .iter()
            .map(|c| ChecklistView {
                title: c.title.clone(),
                items_html: c.items.iter().map(|i| inline(i)).collect(),
            })
            .collect();
        self.contacts = known(&stage.contacts, contacts);
        self.choices_html = stage.choices.iter().map(|c| inline(c)).collect();
        self.next = Some(link(&stage.next));
        self.unknown = stage.unknown.as_ref().map(|u| UnknownView {
            parts: u.parts.iter().map(|p| p.heading()).collect(),
            why_html: inline(&u.why),
        });
    }

    /// Fills in what a decision shows.
    fn show_decision(
        &mut self,
        decision: &Decision,
        link: impl Fn(&str) -> LinkView,
        contacts: &BTreeMap<&str, ContactView>,
    ) {
        self.question = Some(decision.question.clone());
        self.decided_by = decision.decided_by.clone();
        let place = self.calendar.place;
        self.deadlines = decision
            .deadlines
            .iter()
            .map(|d| DeadlineView::new(d, place))
            .collect();
        self.contacts = known(&decision.contacts, contacts);
        self.choices_html = decision.choices.iter().map(|c| inline(c)).collect();
        self.answers = decision
            .answers
            .iter()
            .map(|a| {
                let to = link(&a.next);
                AnswerView {
                    label: a.label.clone(),
                    href: to.href,
                    text: to.text,
                }
            })
            .collect();
    }

    /// Fills in what an ending shows.
    fn show_ending(
        &mut self,
        ending: &Ending,
        contacts: &BTreeMap<&str, ContactView>,
        resources: &BTreeMap<&str, ResourceView>,
    ) {
        self.title = Some(ending.title.clone());
        self.contacts = known(&ending.contacts, contacts);
        self.outcome = Some(outcome_words(ending.outcome).to_string());
        self.next_steps_html = ending.next_steps.as_deref().map(|s| block(s, 5));
        self.resources = known(&ending.resources, resources);
    }
}

/// The views of the ids in `ids` that are in `views`, in order.
fn known<V: Clone>(ids: &[String], views: &BTreeMap<&str, V>) -> Vec<V> {
    ids.iter()
        .filter_map(|id| views.get(id.as_str()).cloned())
        .collect()
}

/// How an outcome is named to readers.
pub fn outcome_words(o: Outcome) -> &'static str {
    match o {
        Outcome::Resolved => "Resolved",
        Outcome::Referred => "Referred elsewhere",
        Outcome::Left => "Ends without a resolution",
        Outcome::Closed => "Closed",
        Outcome::Withdrawn => "Withdrawn",
        Outcome::NotCovered => "Not covered by this procedure",
    }
}
