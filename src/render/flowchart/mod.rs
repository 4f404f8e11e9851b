//! The procedure's flowchart and its text equivalent, both drawn from the graph.
//!
//! This adapts a procedure to the general flowchart layout of the submodules and
//! lists every route from the start to an ending in words, for readers who
//! cannot see the picture.
//!
//! The layout places a graph's nodes the way a person would draw them: top to
//! bottom, the main route (the longest path from the start) straight down one
//! column, side routes branching off into columns of their own and rejoining or
//! ending there, and every edge an orthogonal polyline that runs through the free
//! channels between rows and columns instead of through boxes. [`render_svg`] draws
//! the result as an accessible `<svg>` element styled only by classes.
//!
//! Data flows one way through the stages, one module each:
//! `graph` (the input) → `rank` (rows) → `grid` (columns) → `measure`
//! (shape sizes, from `text` widths) → `route` (edge shapes on the grid) →
//! `lanes` → `fan` (an exit of its own for each labelled line out of a bottom)
//! → `columns` (x) → `tracks` (channels) → `rows` (y) → `path`
//! (edge coordinates) into `geometry` (the output); `layout` runs
//! them in order and `draw` writes the SVG.

mod columns;
mod draw;
mod fan;
mod geometry;
mod graph;
mod grid;
mod lanes;
mod layout;
mod legend;
mod measure;
mod path;
mod rank;
mod route;
mod rows;
mod text;
mod tracks;

pub use draw::{STYLESHEET, render_svg};
pub use geometry::{Layout, PlacedEdge, PlacedLabel, PlacedNode, Rect};
pub use graph::{FlowEdge, FlowGraph, FlowNode, Shape};
pub use layout::layout;
pub use legend::{LegendEntry, render_legend};
pub use text::{
    FONT_SIZE, LABEL_FONT_SIZE, LABEL_LINE_HEIGHT, LINE_HEIGHT, estimate_text_width, wrap_text,
};

use crate::model::graph::Graph;
use crate::model::{CheckedProcedure as Procedure, Node, Outcome, SCOPE_QUESTION_ID};

/// The most routes listed in words; past this the list would help nobody.
const MAX_ROUTES: usize = 200;

/// The flowchart as an inline SVG, nodes placed in `order` (reading order).
pub fn procedure_flowchart(p: &Procedure, g: &Graph, order: &[usize]) -> String {
    let graph = flow_graph(p, g, order);
    let placed = layout(&graph);
    render_svg(
        &graph,
        &placed,
        "flow",
        &format!("Flowchart of the {}", p.title),
        "Each box is a stage, each diamond a question, each rounded box an ending. Every route is also listed in words below the chart.",
    )
}

/// The key to the shapes the procedure's flowchart uses, in the order the words
/// explain them: stages, questions, then each kind of ending.
pub fn procedure_legend(p: &Procedure) -> String {
    let has = |wanted: fn(&Node) -> bool| p.nodes.iter().any(wanted);
    let mut entries = Vec::new();
    if has(|n| matches!(n, Node::Stage(_))) {
        entries.push(LegendEntry {
            shape: Shape::Stage,
            class: None,
            words: "A stage of the procedure",
        });
    }
    if has(|n| matches!(n, Node::Decision(_))) {
        entries.push(LegendEntry {
            shape: Shape::Decision,
            class: None,
            words: "A question: each line out of it is labelled with an answer",
        });
    }
    // Endings without a resolution (left, closed, withdrawn, not covered) share the
    // dotted outline, so the key names them once.
    let unresolved: &[Outcome] = &[
        Outcome::Left,
        Outcome::Closed,
        Outcome::Withdrawn,
        Outcome::NotCovered,
    ];
    for (outcome, kinds, words) in [
        (
            Outcome::Resolved,
            &[Outcome::Resolved][..],
            "An ending: resolved (solid outline)",
        ),
        (
            Outcome::Referred,
            &[Outcome::Referred][..],
            "An ending: referred elsewhere (dashed outline)",
        ),
        (
            Outcome::Left,
            unresolved,
            "An ending without a resolution (dotted outline)",
        ),
    ] {
        if p.nodes
            .iter()
            .any(|n| matches!(n, Node::Ending(e) if kinds.contains(&e.outcome)))
        {
            entries.push(LegendEntry {
                shape: Shape::Ending,
                class: Some(outcome_class(outcome)),
                words,
            });
        }
    }
    render_legend(&entries)
}

/// The procedure as the layout sees it: the scope question first, if the guide asks
/// one, then nodes in `order`, edges labelled with answers.
fn flow_graph(p: &Procedure, g: &Graph, order: &[usize]) -> FlowGraph {
    let scope = p.scope.as_ref().and_then(|s| s.guide_question());
    let offset = usize::from(scope.is_some());
    let mut position = vec![usize::MAX; p.nodes.len()];
    for (new, &old) in order.iter().enumerate() {
        position[old] = new + offset;
    }
    let scope_node = scope.map(|(question, _)| FlowNode {
        id: SCOPE_QUESTION_ID.to_string(),
        shape: Shape::Decision,
        label: None,
        text: question.to_string(),
        class: None,
        href: None,
    });
    let nodes = scope_node
        .into_iter()
        .chain(order.iter().map(|&i| {
            let n = &p.nodes[i];
            let (shape, label, text, class) = match n {
                Node::Stage(stage) => (
                    Shape::Stage,
                    stage.label.clone(),
                    stage.title.clone().unwrap_or_default(),
                    None,
                ),
                Node::Decision(decision) => {
                    (Shape::Decision, None, decision.question.clone(), None)
                }
                Node::Ending(ending) => (
                    Shape::Ending,
                    None,
                    ending.title.clone(),
                    Some(outcome_class(ending.outcome).to_string()),
                ),
            };
            FlowNode {
                id: n.id().to_string(),
                shape,
                label,
                text,
                class,
                // The chart is one image to assistive technology (role="img"), which
                // may not hold links; the stage list below links every node instead.
                href: None,
            }
        }))
        .collect();
    let mut edges = Vec::new();
    for a in scope.map_or(&[][..], |(_, answers)| answers) {
        if let Some(to) = g.index_of(&a.next) {
            edges.push(FlowEdge {
                from: 0,
                to: position[to],
                label: Some(a.label.clone()),
            });
        }
    }
    for &i in order {
        let from = position[i];
        match &p.nodes[i] {
            Node::Stage(stage) => {
                if let Some(to) = g.index_of(&stage.next) {
                    edges.push(FlowEdge {
                        from,
                        to: position[to],
                        label: None,
                    });
                }
            }
            Node::Decision(decision) => {
                for a in &decision.answers {
                    if let Some(to) = g.index_of(&a.next) {
                        edges.push(FlowEdge {
                            from,
                            to: position[to],
                            label: Some(a.label.clone()),
                        });
                    }
                }
            }
            Node::Ending(_) => {}
        }
    }
    FlowGraph {
        nodes,
        edges,
        start: 0,
    }
}

fn outcome_class(o: Outcome) -> &'static str {
    match o {
        Outcome::Resolved => "outcome-resolved",
        Outcome::Referred => "outcome-referred",
        Outcome::Left => "outcome-left",
        Outcome::Closed => "outcome-closed",
        Outcome::Withdrawn => "outcome-withdrawn",
        Outcome::NotCovered => "outcome-not-covered",
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
        match n {
            Node::Ending(_) => {
                let mut steps = steps;
                steps.push(n.heading());
                out.push(steps);
            }
            Node::Stage(stage) => {
                if let Some(next) = g.index_of(&stage.next) {
                    let mut steps = steps;
                    steps.push(n.heading());
                    stack.push((next, steps));
                }
            }
            Node::Decision(decision) => {
                for a in decision.answers.iter().rev() {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_six_procedures_lay_out_without_overlaps_crossings_or_overflow() {
        let site = crate::load::load_site(Path::new(env!("CARGO_MANIFEST_DIR")));
        assert_eq!(site.procedures.len(), 6);
        for lp in &site.procedures {
            let p = crate::check::checked_procedure(&lp.procedure).expect("a sound procedure");
            let g = Graph::new(&p);
            let graph = flow_graph(&p, &g, &g.reading_order());
            // Every node, and the scope question where the guide asks one first.
            let scope = p.scope.as_ref().and_then(|s| s.guide_question());
            assert_eq!(
                graph.nodes.len(),
                p.nodes.len() + usize::from(scope.is_some())
            );
            if scope.is_some() {
                assert_eq!(graph.nodes[graph.start].id, SCOPE_QUESTION_ID);
            }
            let placed = layout(&graph);
            if let Err(problem) =
                crate::render::flowchart::layout::tests::check(&graph, &placed, true)
            {
                panic!("{}: {problem}", lp.slug);
            }
        }
    }

    #[test]
    fn routes_list_every_way_through() {
        let site = crate::load::load_site(Path::new(env!("CARGO_MANIFEST_DIR")));
        let doncaster = site
            .procedures
            .iter()
            .find(|p| p.slug == "doncaster")
            .expect("doncaster");
        let p = crate::check::checked_procedure(&doncaster.procedure).expect("a sound procedure");
        let g = Graph::new(&p);
        let all = routes(&p, &g);
        // Resolved at stage 1; and for each sector, resolved at stage 2 or referred.
        assert_eq!(all.len(), 5);
        assert!(all.iter().all(|r| r[0].starts_with("Stage 1")));
        assert!(
            all[1]
                .iter()
                .any(|s| s.contains("A Third Sector organisation"))
        );
    }
}
