//! Nodes: the stages, decisions and endings a procedure is made of, in two forms.
//!
//! [`FlatNode`] is a node as written in a file: one struct holding every field
//! any kind may have, all optional. Files are read into it because serde's
//! tagged enums buffer their input and lose line numbers, so a mistake such as
//! `answers` on a stage could not be placed in the file (see `check::nodes`).
//!
//! [`Node`] is a node once checked: an enum whose variants hold only their own
//! fields, with the fields a kind requires no longer optional. The per-kind
//! structs are also the single statement of which field belongs on which kind:
//! [`fields_of`] reads the field names from their JSON Schemas, and the schema
//! editors use offers each kind only its own fields.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::OnceLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{Answer, Checklist, Deadline, Document, Outcome, Step, Unknowns, WizardWording};

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum NodeKind {
    /// Something the parties do, with steps, deadlines and contacts.
    Stage,
    /// A question with two or more answers, each leading on.
    Decision,
    /// Where the procedure ends.
    Ending,
}

impl NodeKind {
    /// Every kind, in the order the guide lists them.
    pub const ALL: [NodeKind; 3] = [NodeKind::Stage, NodeKind::Decision, NodeKind::Ending];

    /// The kind with its article: "a stage", "a decision", "an ending".
    pub fn with_article(self) -> &'static str {
        match self {
            NodeKind::Stage => "a stage",
            NodeKind::Decision => "a decision",
            NodeKind::Ending => "an ending",
        }
    }
}

impl fmt::Display for NodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NodeKind::Stage => "stage",
            NodeKind::Decision => "decision",
            NodeKind::Ending => "ending",
        })
    }
}

/// A node as written in a procedure file: every field of every kind, which
/// fields apply depending on `kind`. `check` turns it into a [`Node`].
///
/// The field order is the order of the JSON export (`<procedure>.json`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlatNode {
    /// A short unique name: lower-case letters, digits and hyphens. It appears in web addresses.
    pub id: String,
    /// `stage`, `decision` or `ending`.
    pub kind: NodeKind,
    /// Former ids of this node, so that old links to the wizard keep working after a rename.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Stage: the published label, e.g. `Stage 1` or `Informal stage`.
    #[serde(default)]
    pub label: Option<String>,
    /// Stage or ending: a short title, e.g. `Resolve the difference directly`.
    #[serde(default)]
    pub title: Option<String>,
    /// A short description (Markdown).
    #[serde(default)]
    pub summary: Option<String>,
    /// Stage: who acts at this stage.
    #[serde(default)]
    pub who: Vec<String>,
    /// Stage: the steps, numbered as published.
    #[serde(default)]
    pub steps: Vec<Step>,
    /// Stage: the time limits that apply. Decision taken by others: the time limit on the decision.
    #[serde(default)]
    pub deadlines: Vec<Deadline>,
    /// Stage: forms and documents to obtain or send.
    #[serde(default)]
    pub documents: Vec<Document>,
    /// Stage: lists of what something must include.
    #[serde(default)]
    pub checklists: Vec<Checklist>,
    /// Any node: ids of the contacts for this node.
    #[serde(default)]
    pub contacts: Vec<String>,
    /// Stage or decision: the reader's own choices here, as published (Markdown).
    #[serde(default)]
    pub choices: Vec<String>,
    /// Any node: further notes (Markdown).
    #[serde(default)]
    pub notes: Vec<String>,
    /// Stage: the id of the node that follows when this stage has finished.
    #[serde(default)]
    pub next: Option<String>,
    /// Decision: the question, e.g. `Did stage 1 resolve the difference?`
    #[serde(default)]
    pub question: Option<String>,
    /// Decision: who decides, when it is not the reader (e.g. `The Chair of WCSG`). The guide
    /// then lets the reader say they are still waiting for the decision.
    #[serde(default)]
    pub decided_by: Option<String>,
    /// Decision: the possible answers, each leading to a node.
    #[serde(default)]
    pub answers: Vec<Answer>,
    /// Ending: what kind of outcome this is.
    #[serde(default)]
    pub outcome: Option<Outcome>,
    /// Ending: what the reader can do next (Markdown).
    #[serde(default)]
    pub next_steps: Option<String>,
    /// Ending: ids of resources the reader may turn to.
    #[serde(default)]
    pub resources: Vec<String>,
    /// Stage: the wizard's wording for this stage, where the default does not read well.
    /// Decision taken by others: `not_yet` words the answer of a reader still waiting for it.
    #[serde(default)]
    pub wizard: Option<WizardWording>,
    /// Stage: the parts the source leaves unknown (e.g. its steps and time limits), and why.
    #[serde(default)]
    pub unknown: Option<Box<Unknowns>>,
}

/// Editors are offered the checked shape: one set of fields for each kind.
impl JsonSchema for FlatNode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Node".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        Node::json_schema(generator)
    }
}

impl FlatNode {
    /// A decision asking `question` with `answers`, and nothing else: the scope question as the
    /// checks of a decision's answers see it.
    pub fn bare_decision(id: &str, question: &str, answers: &[Answer]) -> FlatNode {
        FlatNode {
            id: id.to_string(),
            kind: NodeKind::Decision,
            aliases: Vec::new(),
            label: None,
            title: None,
            summary: None,
            who: Vec::new(),
            steps: Vec::new(),
            deadlines: Vec::new(),
            documents: Vec::new(),
            checklists: Vec::new(),
            contacts: Vec::new(),
            choices: Vec::new(),
            notes: Vec::new(),
            next: None,
            question: Some(question.to_string()),
            decided_by: None,
            answers: answers.to_vec(),
            outcome: None,
            next_steps: None,
            resources: Vec::new(),
            wizard: None,
            unknown: None,
        }
    }

    /// The names of the fields this node has filled in (not absent, not an empty list),
    /// read through serde so that no list of names is kept by hand.
    pub fn filled_fields(&self) -> Vec<&'static str> {
        super::filled::filled_fields(self)
    }
}

/// A stage, decision or ending. Which fields it may have depends on `kind`.
// Once checked, each variant holds only its own fields. (Doc comments here become
// the schema's descriptions, which editors show to coordinators.)
#[derive(Debug, Clone, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Node {
    /// Something the parties do, with steps, deadlines and contacts.
    Stage(Stage),
    /// A question with two or more answers, each leading on.
    Decision(Decision),
    /// Where the procedure ends.
    Ending(Ending),
}

/// What every node has, whatever its kind.
#[derive(Debug, Clone, JsonSchema)]
pub struct NodeCommon {
    /// A short unique name: lower-case letters, digits and hyphens. It appears in web addresses.
    pub id: String,
    /// Former ids of this node, so that old links to the wizard keep working after a rename.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// A short description (Markdown).
    #[serde(default)]
    pub summary: Option<String>,
    /// Further notes (Markdown).
    #[serde(default)]
    pub notes: Vec<String>,
}

/// Something the parties do. A stage has a label or a title, and one way on.
#[derive(Debug, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    /// What every node has.
    #[serde(flatten)]
    pub common: NodeCommon,
    /// The published label, e.g. `Stage 1` or `Informal stage`.
    #[serde(default)]
    pub label: Option<String>,
    /// A short title, e.g. `Resolve the difference directly`.
    #[serde(default)]
    pub title: Option<String>,
    /// Who acts at this stage.
    #[serde(default)]
    pub who: Vec<String>,
    /// The steps, numbered as published.
    #[serde(default)]
    pub steps: Vec<Step>,
    /// The time limits that apply.
    #[serde(default)]
    pub deadlines: Vec<Deadline>,
    /// Forms and documents to obtain or send.
    #[serde(default)]
    pub documents: Vec<Document>,
    /// Lists of what something must include.
    #[serde(default)]
    pub checklists: Vec<Checklist>,
    /// Ids of the contacts for this stage.
    #[serde(default)]
    pub contacts: Vec<String>,
    /// The reader's own choices at this stage, as published (Markdown), e.g.
    /// `You can ask for a meeting or a written reply.`
    #[serde(default)]
    pub choices: Vec<String>,
    /// The id of the node that follows when this stage has finished.
    pub next: String,
    /// The wizard's wording for this stage, where the default does not read well.
    #[serde(default)]
    pub wizard: Option<WizardWording>,
    /// The parts of this stage the source leaves unknown (e.g. its steps and time limits), and why.
    #[serde(default)]
    pub unknown: Option<Box<Unknowns>>,
}

/// A question with two or more answers, each leading on.
#[derive(Debug, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// What every node has.
    #[serde(flatten)]
    pub common: NodeCommon,
    /// The question, e.g. `Did stage 1 resolve the difference?`
    pub question: String,
    /// Who decides, when it is not the reader (e.g. `The Chair of WCSG`). The guide then
    /// lets the reader say they are still waiting for the decision.
    #[serde(default)]
    pub decided_by: Option<String>,
    /// The time limits on a decision someone else takes (needs `decided_by`).
    #[serde(default)]
    pub deadlines: Vec<Deadline>,
    /// Ids of the contacts for a reader waiting for the decision.
    #[serde(default)]
    pub contacts: Vec<String>,
    /// The reader's own choices at this decision, as published (Markdown).
    #[serde(default)]
    pub choices: Vec<String>,
    /// The possible answers (two or more), each leading to a node.
    #[schemars(length(min = 2))]
    pub answers: Vec<Answer>,
    /// For a decision someone else takes: `not_yet` replaces "Not yet, I am still waiting
    /// for their decision" (e.g. `Not yet, we have not both decided`).
    #[serde(default)]
    pub wizard: Option<WizardWording>,
}

impl Decision {
    /// Whether someone other than the reader takes this decision, so that the reader may be waiting for it.
    pub fn taken_by_others(&self) -> bool {
        self.decided_by.is_some()
    }
}

/// Where the procedure ends.
#[derive(Debug, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ending {
    /// What every node has.
    #[serde(flatten)]
    pub common: NodeCommon,
    /// How things end, e.g. `Resolved at Stage 1`.
    pub title: String,
    /// Ids of the contacts for this ending.
    #[serde(default)]
    pub contacts: Vec<String>,
    /// What kind of outcome this is.
    pub outcome: Outcome,
    /// What the reader can do next (Markdown).
    #[serde(default)]
    pub next_steps: Option<String>,
    /// Ids of resources the reader may turn to.
    #[serde(default)]
    pub resources: Vec<String>,
}

impl Node {
    /// What every node has.
    pub fn common(&self) -> &NodeCommon {
        match self {
            Node::Stage(stage) => &stage.common,
            Node::Decision(decision) => &decision.common,
            Node::Ending(ending) => &ending.common,
        }
    }

    /// The node's id.
    pub fn id(&self) -> &str {
        &self.common().id
    }

    /// The node's former ids.
    pub fn aliases(&self) -> &[String] {
        &self.common().aliases
    }

    /// Which kind of node this is.
    pub fn kind(&self) -> NodeKind {
        match self {
            Node::Stage(_) => NodeKind::Stage,
            Node::Decision(_) => NodeKind::Decision,
            Node::Ending(_) => NodeKind::Ending,
        }
    }

    /// The ids this node leads to, in order: a stage's `next`, or a decision's answers' targets.
    pub fn successors(&self) -> impl Iterator<Item = &str> {
        let (next, answers): (Option<&str>, &[Answer]) = match self {
            Node::Stage(stage) => (Some(&stage.next), &[]),
            Node::Decision(decision) => (None, &decision.answers),
            Node::Ending(_) => (None, &[]),
        };
        next.into_iter()
            .chain(answers.iter().map(|a| a.next.as_str()))
    }

    /// The heading to show for this node: "Stage 1: Title", the question, or the title.
    pub fn heading(&self) -> String {
        match self {
            Node::Stage(stage) => match (&stage.label, &stage.title) {
                (Some(label), Some(title)) => [label.as_str(), ": ", title].concat(),
                (Some(label), None) => label.clone(),
                (None, Some(title)) => title.clone(),
                (None, None) => stage.common.id.clone(),
            },
            Node::Decision(decision) => decision.question.clone(),
            Node::Ending(ending) => ending.title.clone(),
        }
    }
}

/// The names of the fields a node of `kind` may have, `kind` itself included,
/// read from the JSON Schema of the kind's struct.
pub fn fields_of(kind: NodeKind) -> &'static BTreeSet<String> {
    static FIELDS: OnceLock<[BTreeSet<String>; 3]> = OnceLock::new();
    let all = FIELDS.get_or_init(|| {
        [
            property_names(schemars::schema_for!(Stage)),
            property_names(schemars::schema_for!(Decision)),
            property_names(schemars::schema_for!(Ending)),
        ]
    });
    match kind {
        NodeKind::Stage => &all[0],
        NodeKind::Decision => &all[1],
        NodeKind::Ending => &all[2],
    }
}

/// The kinds of node a field belongs on, in the guide's order.
pub fn kinds_with(field: &str) -> Vec<NodeKind> {
    NodeKind::ALL
        .into_iter()
        .filter(|&kind| fields_of(kind).contains(field))
        .collect()
}

/// The property names of an object schema, with `kind`, which the variant adds.
fn property_names(schema: schemars::Schema) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = schema
        .get("properties")
        .and_then(|properties| properties.as_object())
        .map(|properties| properties.keys().cloned().collect())
        .unwrap_or_default();
    names.insert("kind".to_string());
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A flat node with every field filled in, so that serde names them all.
    fn every_field_filled() -> FlatNode {
        let yaml = "
id: a
kind: stage
aliases: [b]
label: L
title: T
summary: S
who: [w]
steps: [{text: t}]
deadlines: [{what: w, period: 2 weeks, after: x, strength: should, wording: w}]
documents: [{title: d}]
checklists: [{title: c, items: [i]}]
contacts: [c]
choices: [o]
notes: [n]
next: e
question: q
decided_by: d
answers: [{label: l, next: e}]
outcome: resolved
next_steps: n
resources: [r]
wizard: {question: q}
unknown: {parts: [steps], why: w}
";
        serde_yaml::from_str(yaml).expect("every field of a flat node")
    }

    #[test]
    fn the_flat_node_has_exactly_the_fields_of_the_kinds() {
        let flat: BTreeSet<String> = every_field_filled()
            .filled_fields()
            .into_iter()
            .map(String::from)
            .collect();
        let kinds: BTreeSet<String> = NodeKind::ALL
            .into_iter()
            .flat_map(|kind| fields_of(kind).iter().cloned())
            .collect();
        assert_eq!(flat, kinds);
    }

    #[test]
    fn each_kind_has_its_own_fields_and_the_common_ones() {
        for kind in NodeKind::ALL {
            for common in ["id", "kind", "aliases", "summary", "notes"] {
                assert!(fields_of(kind).contains(common), "{kind} lacks {common}");
            }
        }
        assert!(fields_of(NodeKind::Stage).contains("next"));
        assert!(!fields_of(NodeKind::Ending).contains("next"));
        assert!(fields_of(NodeKind::Decision).contains("answers"));
        assert_eq!(kinds_with("title"), [NodeKind::Stage, NodeKind::Ending]);
        assert_eq!(kinds_with("answers"), [NodeKind::Decision]);
    }

    #[test]
    fn an_empty_field_is_not_filled() {
        let node: FlatNode =
            serde_yaml::from_str("{id: a, kind: ending, resources: []}").expect("a small node");
        assert_eq!(node.filled_fields(), ["id", "kind"]);
    }
}
