//! The graph: every node can be reached from the start, and the procedure
//! never goes round in a circle.

use crate::check::findings::{At, Findings};
use crate::load::locate::YamlPath;
use crate::model::Procedure;
use crate::model::graph::Graph;

/// Reports unreachable nodes and cycles.
pub(super) fn check_graph(p: &Procedure, f: &mut Findings) {
    let g = Graph::new(p);
    let nodes = YamlPath::root().key("nodes");
    if p.node(&p.start).is_some() {
        report_unreachable(p, &g, f);
    }
    for cycle in g.cycles() {
        let first = cycle[0];
        let mut names: Vec<&str> = cycle.iter().map(|&i| p.nodes[i].id.as_str()).collect();
        names.push(&p.nodes[first].id);
        let last = cycle[cycle.len() - 1];
        let back = &p.nodes[last];
        let at = if back.next.as_deref() == Some(p.nodes[first].id.as_str()) {
            nodes.index(last).key("next")
        } else {
            let answer = back
                .answers
                .iter()
                .position(|a| a.next == p.nodes[first].id)
                .unwrap_or(0);
            nodes.index(last).key("answers").index(answer).key("next")
        };
        f.error(
            at,
            At::Value,
            format!(
                "the procedure goes round in a circle: {}",
                names.join(" → ")
            ),
            "a procedure must always move forward to an ending; point this to a later node"
                .to_string(),
        );
    }
}

/// Reports the nodes that cannot be reached from the start: one error for each node that no
/// other unreachable node leads to (or, in a loop of them, the first), naming the nodes cut
/// off behind it, rather than one error for every node of a lost branch.
fn report_unreachable(p: &Procedure, g: &Graph<'_, crate::model::FlatNode>, f: &mut Findings) {
    let nodes = YamlPath::root().key("nodes");
    let reached = g.reachable();
    // A node whose id is used by an earlier node is reported as a duplicate instead.
    let lost: Vec<usize> = (0..p.nodes.len())
        .filter(|&i| !reached[i] && g.index_of(&p.nodes[i].id) == Some(i))
        .collect();
    let mut led_to = vec![false; p.nodes.len()];
    for &i in &lost {
        for j in g.successors(i) {
            if j != i {
                led_to[j] = true;
            }
        }
    }
    let mut covered = vec![false; p.nodes.len()];
    let heads = lost.iter().filter(|&&i| !led_to[i]).chain(&lost);
    for &head in heads {
        if std::mem::replace(&mut covered[head], true) {
            continue;
        }
        let mut behind = Vec::new();
        let mut stack = g.successors(head);
        while let Some(j) = stack.pop() {
            if !reached[j] && !std::mem::replace(&mut covered[j], true) {
                behind.push(j);
                stack.extend(g.successors(j));
            }
        }
        behind.sort_unstable();
        let hint = if behind.is_empty() {
            "link to it with 'next:' or an answer, or remove it".to_string()
        } else {
            let names: Vec<&str> = behind.iter().map(|&j| p.nodes[j].id.as_str()).collect();
            format!(
                "link to it with 'next:' or an answer, or remove it; the nodes it leads to cannot be reached either: {}",
                names.join(", ")
            )
        };
        f.error(
            nodes.index(head).key("id"),
            At::Value,
            format!(
                "the node '{}' cannot be reached from the start",
                p.nodes[head].id
            ),
            hint,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::check::tests::{decision, ending, messages, procedure, stage};

    #[test]
    fn reports_unreachable_nodes() {
        let p = procedure(vec![stage("a", "end"), stage("lost", "end"), ending("end")]);
        assert_eq!(
            messages(p),
            ["the node 'lost' cannot be reached from the start"]
        );
    }

    #[test]
    fn reports_a_cycle_with_its_path() {
        let p = procedure(vec![
            stage("a", "d"),
            decision("d", &["a", "end"]),
            ending("end"),
        ]);
        assert_eq!(
            messages(p),
            ["the procedure goes round in a circle: a → d → a"]
        );
    }
}
