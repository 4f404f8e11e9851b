//! The procedure's flowchart and its text equivalent, both drawn from the graph.
//!
//! This adapts a procedure to the general layout in [`crate::flowchart`] and
//! lists every route from the start to an ending in words, for readers who
//! cannot see the picture.

use crate::flowchart::{FlowEdge, FlowGraph, FlowNode, Shape, layout, render_svg};
use crate::graph::Graph;
use crate::model::{NodeKind, Outcome, Procedure};

/// The most routes listed in words; past this the list would help nobody.
const MAX_ROUTES: usize = 200;

/// The flowchart as an inline SVG, nodes placed in `order` (reading order).
pub fn procedure_flowchart(p: &Procedure, g: &Graph, order: &[usize]) -> String {
    let mut position = vec![usize::MAX; p.nodes.len()];
    for (new, &old) in order.iter().enumerate() {
        position[old] = new;
    }
    let nodes = order
        .iter()
        .map(|&i| {
            let n = &p.nodes[i];
            let (shape, label, text) = match n.kind {
                NodeKind::Stage => (
                    Shape::Stage,
                    n.label.clone(),
                    n.title.clone().unwrap_or_default(),
                ),
                NodeKind::Decision => (
                    Shape::Decision,
                    None,
                    n.question.clone().unwrap_or_default(),
                ),
                NodeKind::Ending => (Shape::Ending, None, n.title.clone().unwrap_or_default()),
            };
            FlowNode {
                id: n.id.clone(),
                shape,
                label,
                text,
                class: n.outcome.map(|o| outcome_class(o).to_string()),
                href: Some(crate::render::node_anchor(&n.id)),
            }
        })
        .collect();
    let mut edges = Vec::new();
    for &i in order {
        let n = &p.nodes[i];
        let from = position[i];
        if let Some(to) = n.next.as_deref().and_then(|id| g.index_of(id)) {
            edges.push(FlowEdge {
                from,
                to: position[to],
                label: None,
            });
        }
        for a in &n.answers {
            if let Some(to) = g.index_of(&a.next) {
                edges.push(FlowEdge {
                    from,
                    to: position[to],
                    label: Some(a.label.clone()),
                });
            }
        }
    }
    let graph = FlowGraph {
        nodes,
        edges,
        start: 0,
    };
    let placed = layout(&graph);
    render_svg(
        &graph,
        &placed,
        "flow",
        &format!("Flowchart of the {}", p.title),
        "Each box is a stage, each diamond a question, each rounded box an ending. Every route is also listed in words below the chart.",
    )
}

fn outcome_class(o: Outcome) -> &'static str {
    match o {
        Outcome::Resolved => "outcome-resolved",
        Outcome::Referred => "outcome-referred",
        Outcome::Left => "outcome-left",
    }
}

/// Every route from the start to an ending, each as a list of steps in words.
pub fn routes(p: &Procedure, g: &Graph) -> Vec<Vec<String>> {
    let Some(start) = g.index_of(&p.start) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // Depth-first with an explicit stack: (node, steps so far).
    let mut stack: Vec<(usize, Vec<String>)> = vec![(start, Vec::new())];
    while let Some((i, steps)) = stack.pop() {
        if out.len() >= MAX_ROUTES || steps.len() > p.nodes.len() {
            continue;
        }
        let n = &p.nodes[i];
        match n.kind {
            NodeKind::Ending => {
                let mut steps = steps;
                steps.push(n.heading());
                out.push(steps);
            }
            NodeKind::Stage => {
                if let Some(next) = n.next.as_deref().and_then(|id| g.index_of(id)) {
                    let mut steps = steps;
                    steps.push(n.heading());
                    stack.push((next, steps));
                }
            }
            NodeKind::Decision => {
                for a in n.answers.iter().rev() {
                    if let Some(next) = g.index_of(&a.next) {
                        let mut s = steps.clone();
                        s.push(format!("{} {}", n.heading(), a.label));
                        stack.push((next, s));
                    }
                }
            }
        }
    }
    out
}
