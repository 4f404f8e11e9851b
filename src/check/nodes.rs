//! Nodes: each node has the fields its kind needs and none it cannot use,
//! answers can be told apart, and deadlines say what they count from.
//!
//! Which fields a kind may have comes from the model's per-kind structs (see
//! [`crate::model::node`]); turning a file's [`FlatNode`] into a checked
//! [`Node`] is the same work as finding what stops it, so both are done here.

use std::collections::HashSet;

use crate::check::findings::{At, Findings};
use crate::load::is_valid_slug;
use crate::load::locate::YamlPath;
use crate::model::node::{fields_of, kinds_with};
use crate::model::{Decision, Ending, FlatNode, Node, NodeCommon, NodeKind, Stage};

/// Answers differ in label and in web address key, and keys are well-formed.
pub(super) fn check_answers(node: &FlatNode, path: &YamlPath, f: &mut Findings) {
    let mut labels = HashSet::new();
    let mut keys = HashSet::new();
    for (i, answer) in node.answers.iter().enumerate() {
        let at = path.key("answers").index(i);
        if !labels.insert(answer.label.trim().to_lowercase()) {
            // The same label makes the same web address key: one error says it.
            f.error(
                at.key("label"),
                At::Value,
                format!(
                    "two answers of '{}' are labelled '{}'",
                    node.id, answer.label
                ),
                "each answer needs a different label so readers can tell them apart".to_string(),
            );
            if answer.key.is_none() {
                continue;
            }
        }
        let key = answer.url_key();
        if answer.key.is_some() && !is_valid_slug(&key) {
            f.error(
                at.key("key"),
                At::Value,
                format!("the answer key '{key}' cannot be used in web addresses"),
                format!(
                    "use lower-case letters, digits and single hyphens, e.g. '{}'",
                    crate::model::slug(&key)
                ),
            );
        } else if key.is_empty() {
            f.error(
                at.key("label"),
                At::Value,
                format!(
                    "the answer '{}' has no letters or digits to make a web address from",
                    answer.label
                ),
                "add 'key:' with a short name, e.g. 'key: yes'".to_string(),
            );
        } else if !keys.insert(key.clone()) {
            f.error(
                at.key(if answer.key.is_some() { "key" } else { "label" }),
                At::Value,
                format!(
                    "two answers of '{}' have the web address key '{key}'",
                    node.id
                ),
                "add 'key:' to one of them with a different short name".to_string(),
            );
        }
    }
}

/// Each deadline counts from one event: after it, or before it.
pub(super) fn check_deadlines(node: &FlatNode, path: &YamlPath, f: &mut Findings) {
    for (i, deadline) in node.deadlines.iter().enumerate() {
        let at = path.key("deadlines").index(i);
        match (&deadline.after, &deadline.before) {
            (Some(_), Some(_)) => f.error(
                at.key("before"),
                At::Key,
                format!("the deadline '{}' has both 'after' and 'before'", deadline.what),
                "a deadline counts from one event: keep 'after' (a time limit) or 'before' (a notice period)".to_string(),
            ),
            (None, None) => f.error(
                at.key("what"),
                At::Key,
                format!("the deadline '{}' does not say what it counts from", deadline.what),
                "add 'after: the letter was received' (a time limit) or 'before: the meeting' (a notice period)"
                    .to_string(),
            ),
            _ => {}
        }
    }
}

/// One way a node as written does not fit its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Misfit {
    /// A field filled in that belongs on other kinds of node (or none).
    Misplaced {
        /// The field's name.
        field: String,
    },
    /// A field the kind needs is absent.
    Missing {
        /// The field's name.
        field: &'static str,
        /// How to add it.
        hint: &'static str,
    },
    /// A decision with fewer than two answers.
    TooFewAnswers {
        /// How many it has.
        count: usize,
    },
}

/// The checked node a file's node becomes, or every way it does not fit its kind.
pub fn to_node(flat: &FlatNode) -> Result<Node, Vec<Misfit>> {
    let mut misfits = misplaced_fields(flat);
    let node = match flat.kind {
        NodeKind::Stage => to_stage(flat, &mut misfits).map(Node::Stage),
        NodeKind::Decision => to_decision(flat, &mut misfits).map(Node::Decision),
        NodeKind::Ending => to_ending(flat, &mut misfits).map(Node::Ending),
    };
    match node {
        Some(node) if misfits.is_empty() => Ok(node),
        _ => Err(misfits),
    }
}

/// The fields filled in on `flat` that its kind's struct does not have.
fn misplaced_fields(flat: &FlatNode) -> Vec<Misfit> {
    let allowed = fields_of(flat.kind);
    flat.filled_fields()
        .into_iter()
        .filter(|field| !allowed.contains(*field))
        .map(|field| Misfit::Misplaced {
            field: field.to_string(),
        })
        .collect()
}

/// `value`, or a note that the field is missing.
fn required<T: Clone>(
    value: &Option<T>,
    field: &'static str,
    hint: &'static str,
    misfits: &mut Vec<Misfit>,
) -> Option<T> {
    if value.is_none() {
        misfits.push(Misfit::Missing { field, hint });
    }
    value.clone()
}

/// What every node has, taken from `flat`.
fn common(flat: &FlatNode) -> NodeCommon {
    NodeCommon {
        id: flat.id.clone(),
        aliases: flat.aliases.clone(),
        summary: flat.summary.clone(),
        notes: flat.notes.clone(),
    }
}

/// The stage `flat` describes, noting what it lacks; `None` if it has no `next`.
fn to_stage(flat: &FlatNode, misfits: &mut Vec<Misfit>) -> Option<Stage> {
    if flat.label.is_none() && flat.title.is_none() {
        misfits.push(Misfit::Missing {
            field: "label",
            hint: "give the stage a label as published (e.g. 'Stage 1') and a title",
        });
    }
    let next = required(
        &flat.next,
        "next",
        "a stage needs one way on: add 'next:' with the id of the decision, stage or ending that follows",
        misfits,
    );
    Some(Stage {
        common: common(flat),
        label: flat.label.clone(),
        title: flat.title.clone(),
        who: flat.who.clone(),
        steps: flat.steps.clone(),
        deadlines: flat.deadlines.clone(),
        documents: flat.documents.clone(),
        checklists: flat.checklists.clone(),
        contacts: flat.contacts.clone(),
        next: next?,
        wizard: flat.wizard.clone(),
        unknown: flat.unknown.clone(),
    })
}

/// The decision `flat` describes, noting what it lacks; `None` if it has no question.
fn to_decision(flat: &FlatNode, misfits: &mut Vec<Misfit>) -> Option<Decision> {
    let question = required(
        &flat.question,
        "question",
        "add the question this decision asks, e.g. 'question: Was it resolved?'",
        misfits,
    );
    if flat.answers.len() < 2 {
        misfits.push(Misfit::TooFewAnswers {
            count: flat.answers.len(),
        });
    }
    Some(Decision {
        common: common(flat),
        question: question?,
        decided_by: flat.decided_by.clone(),
        answers: flat.answers.clone(),
    })
}

/// The ending `flat` describes, noting what it lacks; `None` without a title or outcome.
fn to_ending(flat: &FlatNode, misfits: &mut Vec<Misfit>) -> Option<Ending> {
    let title = required(
        &flat.title,
        "title",
        "add a title saying how things end, e.g. 'title: Resolved'",
        misfits,
    );
    let outcome = required(
        &flat.outcome,
        "outcome",
        "add 'outcome:' with resolved, referred or left",
        misfits,
    );
    Some(Ending {
        common: common(flat),
        title: title?,
        contacts: flat.contacts.clone(),
        outcome: outcome?,
        next_steps: flat.next_steps.clone(),
        resources: flat.resources.clone(),
    })
}

/// Reports every way `node` (at `path`) does not fit its kind.
pub(super) fn check_node_shape(node: &FlatNode, path: &YamlPath, f: &mut Findings) {
    let Err(misfits) = to_node(node) else {
        return;
    };
    for misfit in misfits {
        report_misfit(node, path, misfit, f);
    }
}

/// Reports one misfit of `node`: at the misplaced field, or at `kind` for what is missing.
fn report_misfit(node: &FlatNode, path: &YamlPath, misfit: Misfit, f: &mut Findings) {
    match misfit {
        Misfit::Misplaced { field } => f.error(
            path.key(&field),
            At::Key,
            format!(
                "{} cannot have '{field}' (node '{}')",
                node.kind.with_article(),
                node.id
            ),
            format!(
                "'{field}' belongs on {}; remove it or change 'kind'",
                home_of(&field)
            ),
        ),
        Misfit::Missing { field, hint } => f.error(
            path.key("kind"),
            At::Value,
            format!("the {} '{}' has no '{field}'", node.kind, node.id),
            hint.to_string(),
        ),
        Misfit::TooFewAnswers { count } => f.error(
            // With no answers there is no list to point at: point at the kind.
            path.key(if count == 0 { "kind" } else { "answers" }),
            At::Value,
            format!(
                "the decision '{}' has {count} answer{}, but a decision needs at least two",
                node.id,
                if count == 1 { "" } else { "s" }
            ),
            "add the other answers, or make this a stage with 'next:' if there is no choice"
                .to_string(),
        ),
    }
}

/// The kinds of node a field belongs on, for hints: "a stage", "a stage or an ending".
fn home_of(field: &str) -> String {
    let kinds: Vec<&str> = kinds_with(field)
        .into_iter()
        .map(NodeKind::with_article)
        .collect();
    if kinds.is_empty() {
        "no node".to_string()
    } else {
        kinds.join(" or ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::tests::{decision, ending, errors, messages, procedure, stage};

    #[test]
    fn a_sound_node_becomes_its_kind_with_its_required_fields() {
        match to_node(&stage("a", "end")) {
            Ok(Node::Stage(stage)) => assert_eq!(stage.next, "end"),
            other => panic!("expected a stage, got {other:?}"),
        }
        match to_node(&ending("end")) {
            Ok(Node::Ending(ending)) => assert_eq!(ending.title, "Done"),
            other => panic!("expected an ending, got {other:?}"),
        }
    }

    #[test]
    fn every_misfit_of_a_node_is_listed() {
        let mut e = ending("end");
        e.next = Some("a".into());
        e.outcome = None;
        assert_eq!(
            to_node(&e).map(|_| ()),
            Err(vec![
                Misfit::Misplaced {
                    field: "next".into()
                },
                Misfit::Missing {
                    field: "outcome",
                    hint: "add 'outcome:' with resolved, referred or left",
                },
            ])
        );
    }

    #[test]
    fn reports_a_stage_without_next() {
        let mut dead = stage("a", "x");
        dead.next = None;
        let m = messages(procedure(vec![dead, ending("end")]));
        assert!(
            m.contains(&"the stage 'a' has no 'next'".to_string()),
            "{m:?}"
        );
    }

    #[test]
    fn a_decision_needs_two_distinct_answers() {
        let mut d = decision("d", &["end", "end"]);
        d.answers[1].label = d.answers[0].label.clone();
        let p = procedure(vec![d, ending("end")]);
        assert!(messages(p).iter().any(|m| m.contains("are labelled")));
        let p = procedure(vec![decision("d", &["end"]), ending("end")]);
        assert!(messages(p).iter().any(|m| m.contains("needs at least two")));
    }

    #[test]
    fn fields_must_fit_the_kind() {
        let mut e = ending("end");
        e.next = Some("end".into());
        let m = messages(procedure(vec![stage("a", "end"), e]));
        assert!(
            m.iter()
                .any(|m| m == "an ending cannot have 'next' (node 'end')"),
            "{m:?}"
        );
    }

    #[test]
    fn the_hint_names_every_kind_a_field_belongs_on() {
        let mut d = decision("d", &["a", "end"]);
        d.title = Some("A title".into());
        let found = errors(procedure(vec![d, stage("a", "end"), ending("end")]));
        let hints: Vec<Option<String>> = found.into_iter().map(|d| d.hint).collect();
        assert_eq!(
            hints,
            [Some(
                "'title' belongs on a stage or an ending; remove it or change 'kind'".to_string()
            )]
        );
    }
}
