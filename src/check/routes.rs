//! Route tests: the wizard, given each test's answers, arrives where the test
//! expects, and every stage and ending is arrived at by some test.

use std::collections::HashSet;

use crate::check::findings::{At, Findings};
use crate::check::ids::suggest_id;
use crate::load::locate::YamlPath;
use crate::model::graph::{self, Graph, WalkError};
use crate::model::{Answer, FlatNode, NodeKind, Procedure, SCOPE_QUESTION_ID};

/// Runs each route test and warns of stages and endings no test arrives at.
pub(super) fn check_route_tests(p: &Procedure, ids: &HashSet<&str>, f: &mut Findings) {
    let g = Graph::new(p);
    let tests = YamlPath::root().key("tests");
    let mut reached = HashSet::new();
    for (i, test) in p.tests.iter().enumerate() {
        let at = tests.index(i);
        let name = test
            .name
            .clone()
            .unwrap_or_else(|| format!("test {}", i + 1));
        if !ids.contains(test.expect.as_str()) {
            f.error(
                at.key("expect"),
                At::Value,
                format!(
                    "route test '{name}' expects '{}', but there is no node with that id",
                    test.expect
                ),
                suggest_id(&test.expect, p),
            );
            continue;
        }
        match graph::walk_guide(&g, &test.answers) {
            Ok(node) if node.id == test.expect || node.aliases.contains(&test.expect) => {
                reached.insert(node.id.as_str());
            }
            Ok(node) => f.error(
                at.key("expect"),
                At::Value,
                format!(
                    "route test '{name}' fails: these answers lead to '{}', not '{}'",
                    node.id, test.expect
                ),
                "change the answers or the expected node; the wizard follows 'next' and the answers in order"
                    .to_string(),
            ),
            Err(error) => {
                let (path, message, hint) = explain_walk(&g, &name, &at, error);
                f.error(path, At::Value, message, hint);
            }
        }
    }
    if p.tests.is_empty() {
        return;
    }
    // Nodes that cannot be reached at all are reported as errors; no test could arrive there.
    // A reader may stop at a decision only while waiting for someone else's decision.
    let reachable = g.reachable();
    for (i, node) in p.nodes.iter().enumerate() {
        let can_stop = node.kind != NodeKind::Decision || node.decided_by.is_some();
        if can_stop && reachable[i] && !reached.contains(node.id.as_str()) {
            f.warning(
                YamlPath::root().key("nodes").index(i).key("id"),
                At::Value,
                format!("no route test arrives at '{}'", node.id),
                if node.kind == NodeKind::Decision {
                    format!(
                        "add a test under 'tests:' whose answers lead here and end with 'waiting', and 'expect: {}'",
                        node.id
                    )
                } else {
                    format!(
                        "add a test under 'tests:' with the answers that lead here and 'expect: {}'",
                        node.id
                    )
                },
            );
        }
    }
}

/// The answers the guide accepts at `id`: a node's, or the scope question's.
fn accepted_at(g: &Graph<'_, FlatNode>, id: &str) -> Option<Vec<String>> {
    if id == SCOPE_QUESTION_ID {
        return g
            .procedure()
            .scope
            .as_ref()
            .and_then(|scope| scope.guide_question())
            .map(|(_, answers)| answers.iter().map(Answer::url_key).collect());
    }
    g.node(id).map(graph::accepted_answers)
}

/// Where a failed walk is reported in the test at `at`, what to say, and the hint.
fn explain_walk(
    g: &Graph<'_, FlatNode>,
    name: &str,
    at: &YamlPath,
    error: WalkError,
) -> (YamlPath, String, String) {
    match error {
        WalkError::NoStart => (
            at.key("answers"),
            format!("route test '{name}' cannot run: the start node does not exist"),
            "fix 'start' first".to_string(),
        ),
        WalkError::BadAnswer {
            index,
            at: node,
            expected,
        } => (
            at.key("answers").index(index),
            format!(
                "route test '{name}': answer {} does not fit the question at '{node}'",
                index + 1
            ),
            format!("write one of: {}", expected.join(", ")),
        ),
        WalkError::TooManyAnswers { index, at: node } => (
            at.key("answers").index(index),
            format!(
                "route test '{name}' has more answers than it needs: the wizard stops at '{node}' after answer {index}"
            ),
            "remove the extra answers, or expect where the wizard stops".to_string(),
        ),
        WalkError::Unfinished { at: node } => (
            at.key("answers"),
            format!(
                "route test '{name}' runs out of answers while the wizard still asks at '{node}'"
            ),
            match accepted_at(g, &node) {
                Some(answers) if !answers.is_empty() => format!(
                    "add the answer given at '{node}': one of {}",
                    answers.join(", ")
                ),
                _ => format!(
                    "add the answer given at '{node}' ('finished' or 'not-yet' at a stage, or the answer's label at a decision)"
                ),
            },
        ),
        WalkError::Broken { at: node } => (
            at.key("answers"),
            format!("route test '{name}' cannot be followed past '{node}'"),
            "fix the broken reference or cycle reported for that node first".to_string(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::check::tests::{all_findings, decision, ending, procedure, stage};
    use crate::model::RouteTest;

    fn test(answers: &[&str], expect: &str) -> RouteTest {
        RouteTest {
            name: None,
            answers: answers.iter().map(|a| a.to_string()).collect(),
            expect: expect.to_string(),
        }
    }

    #[test]
    fn a_decision_taken_by_others_wants_a_route_test_that_waits_for_it() {
        let mut d = decision("d", &["yes", "no"]);
        d.decided_by = Some("The Chair".into());
        let mut p = procedure(vec![stage("a", "d"), d, ending("yes"), ending("no")]);
        p.tests = vec![
            test(&["not-yet"], "a"),
            test(&["finished", "to-yes"], "yes"),
            test(&["finished", "to-no"], "no"),
        ];
        let found = all_findings(p.clone());
        let said: Vec<(&str, Option<&str>)> = found
            .iter()
            .filter(|d| d.message.contains("route test"))
            .map(|d| (d.message.as_str(), d.hint.as_deref()))
            .collect();
        assert_eq!(
            said,
            [(
                "no route test arrives at 'd'",
                Some(
                    "add a test under 'tests:' whose answers lead here and end with 'waiting', and 'expect: d'"
                )
            )]
        );
        p.tests.push(test(&["finished", "waiting"], "d"));
        let left: Vec<String> = all_findings(p)
            .into_iter()
            .map(|d| d.message)
            .filter(|m| m.contains("route test"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
}
