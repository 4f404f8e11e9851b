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
use crate::model::graph::WAITING;
use crate::model::node::{fields_of, kinds_with};
use crate::model::{
    Decision, Ending, FlatNode, Node, NodeCommon, NodeKind, Procedure, SCOPE_QUESTION_ID, Stage,
};

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

/// A decision has time limits only when someone else takes it, and its answers leave
/// the guide's own answer for a reader waiting for it free.
pub(super) fn check_decision_taken_by_others(node: &FlatNode, path: &YamlPath, f: &mut Findings) {
    if node.kind != NodeKind::Decision {
        return;
    }
    if node.decided_by.is_none() && !node.deadlines.is_empty() {
        f.error(
            path.key("deadlines"),
            At::Key,
            format!(
                "the decision '{}' has time limits but does not say who decides",
                node.id
            ),
            "a time limit on a decision is one on someone else's decision: add 'decided_by:' with who takes it, or move the time limits to the stage before".to_string(),
        );
    }
    if let Some(wording) = &node.wizard {
        let misplaced = [
            ("question", wording.question.is_some()),
            ("finished", wording.finished.is_some()),
            (
                "not_yet",
                wording.not_yet.is_some() && node.decided_by.is_none(),
            ),
        ];
        for (field, _) in misplaced.into_iter().filter(|(_, filled)| *filled) {
            f.error(
                path.key("wizard").key(field),
                At::Key,
                format!("the decision '{}' cannot have 'wizard.{field}'", node.id),
                "at a decision the guide asks the question as written; 'wizard.not_yet' words the answer of a reader waiting for a decision taken by others (with 'decided_by:'); change the answers' 'wizard_label' instead".to_string(),
            );
        }
    }
    if node.decided_by.is_none() {
        return;
    }
    for (i, answer) in node.answers.iter().enumerate() {
        if answer.url_key() == WAITING {
            let field = if answer.key.is_some() { "key" } else { "label" };
            f.error(
                path.key("answers").index(i).key(field),
                At::Value,
                format!(
                    "the answer '{}' of '{}' has the web address key 'waiting', which the guide keeps for a reader still waiting for the decision",
                    answer.label, node.id
                ),
                "give the answer another 'key:', e.g. 'key: wait'".to_string(),
            );
        }
    }
}

/// The scope question as a bare decision, for the checks of answers and references;
/// `None` when the procedure's scope asks nothing and has no answers.
pub(super) fn scope_question(p: &Procedure) -> Option<FlatNode> {
    let scope = p.scope.as_ref()?;
    if scope.question.is_none() && scope.answers.is_empty() {
        return None;
    }
    Some(FlatNode::bare_decision(
        SCOPE_QUESTION_ID,
        scope.question.as_deref().unwrap_or_default(),
        &scope.answers,
    ))
}

/// The scope question has a question, two or more answers, one of them to the start,
/// and no node takes its id.
pub(super) fn check_scope_question(p: &Procedure, path: &YamlPath, f: &mut Findings) {
    let Some(scope) = &p.scope else {
        return;
    };
    match (&scope.question, scope.answers.len()) {
        (None, 0) => return,
        (None, _) => f.error(
            path.key("answers"),
            At::Key,
            "the scope has answers but no question".to_string(),
            "add 'question:' with what the guide asks first, e.g. 'question: Is your dispute about a Compact theme or principle?'".to_string(),
        ),
        (Some(_), count @ 0..=1) => f.error(
            path.key(if count == 0 { "question" } else { "answers" }),
            At::Key,
            format!(
                "the scope question has {count} answer{}, but it needs at least two",
                if count == 1 { "" } else { "s" }
            ),
            format!(
                "add an answer for a reader the procedure covers ('next: {}') and one for each exclusion the guide sends somewhere",
                p.start
            ),
        ),
        (Some(_), _) => {}
    }
    if scope.question.is_some() && !scope.answers.iter().any(|a| a.next == p.start) {
        f.error(
            path.key("question"),
            At::Key,
            format!(
                "no answer to the scope question leads to the start, '{}'",
                p.start
            ),
            format!(
                "add an answer for a reader the procedure covers, e.g. '{{label: \"Yes\", next: {}}}'",
                p.start
            ),
        );
    }
    if scope.question.is_none() {
        return;
    }
    let nodes = YamlPath::root().key("nodes");
    for (i, node) in p.nodes.iter().enumerate() {
        if node.id == SCOPE_QUESTION_ID || node.aliases.iter().any(|a| a == SCOPE_QUESTION_ID) {
            f.error(
                nodes.index(i).key("id"),
                At::Value,
                format!("the node id '{SCOPE_QUESTION_ID}' is taken by the scope question"),
                "rename the node, e.g. 'scope-stage'".to_string(),
            );
        }
    }
}

/// Each deadline counts from one event: after it, or before it.
pub(super) fn check_deadlines(node: &FlatNode, path: &YamlPath, f: &mut Findings) {
    for (i, deadline) in node.deadlines.iter().enumerate() {
        let at = path.key("deadlines").index(i);
        super::dates::check_deadline(deadline, &at, f);
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
                "add 'after: the letter was received' (a time limit) or 'before: the meeting' (a notice period); if the procedure does not say, write 'after: not stated'"
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
        choices: flat.choices.clone(),
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
        deadlines: flat.deadlines.clone(),
        contacts: flat.contacts.clone(),
        choices: flat.choices.clone(),
        answers: flat.answers.clone(),
        wizard: flat.wizard.clone(),
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
        "add 'outcome:' with resolved, referred, left, closed, withdrawn or not-covered",
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
    use crate::model::Procedure;

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
                    hint: "add 'outcome:' with resolved, referred, left, closed, withdrawn or not-covered",
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

    /// A decision `d` taken by others, between a stage before it and two endings.
    fn waiting_procedure(d: FlatNode) -> Procedure {
        procedure(vec![stage("a", "d"), d, ending("yes"), ending("no")])
    }

    fn taken_by_others() -> FlatNode {
        let mut d = decision("d", &["yes", "no"]);
        d.decided_by = Some("The Chair".into());
        d
    }

    fn a_deadline() -> crate::model::Deadline {
        serde_yaml::from_str(
            "{what: Decision made, period: 10 working days, after: the request was received, strength: should, wording: w}",
        )
        .expect("a deadline")
    }

    #[test]
    fn a_decision_taken_by_others_may_have_time_limits_and_contacts() {
        let mut d = taken_by_others();
        d.deadlines = vec![a_deadline()];
        assert_eq!(messages(waiting_procedure(d.clone())), Vec::<String>::new());
        match to_node(&d) {
            Ok(Node::Decision(decision)) => {
                assert!(decision.taken_by_others());
                assert_eq!(decision.deadlines.len(), 1);
            }
            other => panic!("expected a decision, got {other:?}"),
        }
    }

    #[test]
    fn a_time_limit_on_the_readers_own_decision_is_refused() {
        let mut d = decision("d", &["yes", "no"]);
        d.deadlines = vec![a_deadline()];
        let found = errors(waiting_procedure(d));
        assert_eq!(
            found.iter().map(|e| e.message.as_str()).collect::<Vec<_>>(),
            ["the decision 'd' has time limits but does not say who decides"]
        );
        assert_eq!(
            found[0].hint.as_deref(),
            Some(
                "a time limit on a decision is one on someone else's decision: add 'decided_by:' with who takes it, or move the time limits to the stage before"
            )
        );
    }

    #[test]
    fn an_answer_may_not_take_the_waiting_key() {
        let mut d = taken_by_others();
        d.answers[0].key = Some("waiting".into());
        assert_eq!(
            messages(waiting_procedure(d)),
            [
                "the answer 'to yes' of 'd' has the web address key 'waiting', which the guide keeps for a reader still waiting for the decision"
            ]
        );
        // On the reader's own decision the key is free.
        let mut own = decision("d", &["yes", "no"]);
        own.answers[0].key = Some("waiting".into());
        assert_eq!(messages(waiting_procedure(own)), Vec::<String>::new());
    }

    #[test]
    fn a_decision_words_only_the_waiting_answer() {
        let mut d = taken_by_others();
        d.wizard = Some(crate::model::WizardWording {
            question: Some("Q?".into()),
            not_yet: Some("Not yet, the parties have not decided".into()),
            finished: None,
        });
        assert_eq!(
            messages(waiting_procedure(d)),
            ["the decision 'd' cannot have 'wizard.question'"]
        );
        let mut own = decision("d", &["yes", "no"]);
        own.wizard = Some(crate::model::WizardWording {
            not_yet: Some("Not yet".into()),
            ..Default::default()
        });
        assert_eq!(
            messages(waiting_procedure(own)),
            ["the decision 'd' cannot have 'wizard.not_yet'"]
        );
    }

    /// A procedure starting at stage `a`, whose scope asks `question` with `answers` (label, next).
    fn scoped(question: Option<&str>, answers: &[(&str, &str)]) -> Procedure {
        let mut p = procedure(vec![stage("a", "end"), ending("end"), ending("outside")]);
        p.scope = Some(crate::model::Scope {
            question: question.map(String::from),
            answers: answers
                .iter()
                .map(|(label, next)| crate::model::Answer {
                    label: label.to_string(),
                    next: next.to_string(),
                    wizard_label: None,
                    key: None,
                })
                .collect(),
            ..Default::default()
        });
        p
    }

    #[test]
    fn a_sound_scope_question_leads_to_the_start_and_to_exits() {
        let p = scoped(Some("Is it about X?"), &[("Yes", "a"), ("No", "outside")]);
        assert_eq!(messages(p), Vec::<String>::new());
    }

    #[test]
    fn scope_question_mistakes_are_each_reported() {
        let lost = "the node 'outside' cannot be reached from the start";
        let mut taken = scoped(Some("Q?"), &[("Yes", "a"), ("No", "outside")]);
        taken.nodes.push(ending("scope"));
        taken.scope.as_mut().expect("scope").answers[1].next = "scope".into();
        let cases: [(Procedure, &[&str]); 6] = [
            (
                // Without a question the guide never asks, so its exits cannot be reached either.
                scoped(None, &[("Yes", "a"), ("No", "outside")]),
                &["the scope has answers but no question", lost],
            ),
            (
                scoped(Some("Q?"), &[("Yes", "a")]),
                &[
                    "the scope question has 1 answer, but it needs at least two",
                    lost,
                ],
            ),
            (
                scoped(Some("Q?"), &[("Yes", "end"), ("No", "outside")]),
                &["no answer to the scope question leads to the start, 'a'"],
            ),
            (
                scoped(Some("Q?"), &[("Yes", "a"), ("No", "nowhere")]),
                &["there is no node with the id 'nowhere'", lost],
            ),
            (
                scoped(Some("Q?"), &[("Yes", "a"), ("yes", "outside")]),
                &["two answers of 'scope' are labelled 'yes'"],
            ),
            (
                taken,
                &["the node id 'scope' is taken by the scope question", lost],
            ),
        ];
        for (p, expected) in cases {
            let mut found = messages(p);
            found.sort();
            let mut expected: Vec<&str> = expected.to_vec();
            expected.sort();
            assert_eq!(found, expected);
        }
    }

    #[test]
    fn an_ending_reached_only_from_the_scope_question_is_reachable() {
        let p = scoped(None, &[]);
        assert_eq!(
            messages(p),
            ["the node 'outside' cannot be reached from the start"]
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
