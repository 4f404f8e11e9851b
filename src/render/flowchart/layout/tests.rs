//! Tests of the whole layout and drawing: hand-written and random graphs must meet
//! every invariant [`check`] knows (no overlaps, orthogonal edges clear of boxes,
//! labels beside their edges, text inside its shape), and the SVG must be well formed.

mod cases;
mod fixtures;
mod svg;

use crate::render::flowchart::draw::{push_num, render_svg, sanitize_id, text_top};
use crate::render::flowchart::geometry::{LABEL_OFFSET, Layout, PlacedEdge, PlacedLabel, Rect};
use crate::render::flowchart::graph::{FlowEdge, FlowGraph, FlowNode, Shape};
use crate::render::flowchart::layout::layout;
use crate::render::flowchart::measure::{LABEL_PAD_X, ending_radius};
use crate::render::flowchart::text::{
    FONT_SIZE, LABEL_FONT_SIZE, LABEL_LINE_HEIGHT, LINE_HEIGHT, estimate_text_width, wrap_balanced,
    wrap_text,
};
use fixtures::*;

const EPS: f64 = 1e-6;

fn approx(a: f64, b: f64) -> bool {
    (a - b).abs() < EPS
}

/// Whether a point lies on the outline of a node's shape.
fn on_outline(shape: Shape, r: &Rect, (x, y): (f64, f64)) -> bool {
    let on_box = ((approx(x, r.x) || approx(x, r.right()))
        && y >= r.y - EPS
        && y <= r.bottom() + EPS)
        || ((approx(y, r.y) || approx(y, r.bottom())) && x >= r.x - EPS && x <= r.right() + EPS);
    match shape {
        Shape::Decision => {
            // Anywhere on the diamond: fanned exits leave up its lower edges, at
            // most half a pixel below them (rounded to half pixels).
            let outline_dy = (r.h / 2.0) * (1.0 - (x - r.cx()).abs() / (r.w / 2.0));
            let dy = (y - r.cy()).abs();
            (x - r.cx()).abs() <= r.w / 2.0 + EPS
                && dy >= outline_dy - EPS
                && dy <= outline_dy + 0.5 + EPS
        }
        Shape::Stage | Shape::Ending => on_box,
    }
}

/// Whether a point lies inside (or on) a node's shape.
fn inside_shape(shape: Shape, r: &Rect, x: f64, y: f64) -> bool {
    let dx = (x - r.cx()).abs();
    let dy = (y - r.cy()).abs();
    match shape {
        Shape::Stage => dx <= r.w / 2.0 + EPS && dy <= r.h / 2.0 + EPS,
        Shape::Decision => dx / (r.w / 2.0) + dy / (r.h / 2.0) <= 1.0 + EPS,
        Shape::Ending => {
            let rad = ending_radius(r.h);
            if dx > r.w / 2.0 + EPS || dy > r.h / 2.0 + EPS {
                return false;
            }
            let (ex, ey) = (dx - (r.w / 2.0 - rad), dy - (r.h / 2.0 - rad));
            ex <= 0.0 || ey <= 0.0 || ex * ex + ey * ey <= rad * rad + EPS
        }
    }
}

/// Whether an axis-parallel segment enters the open interior of a rectangle.
fn crosses_interior(a: (f64, f64), b: (f64, f64), r: &Rect) -> bool {
    let shrink = 0.5;
    let (x0, x1, y0, y1) = (
        r.x + shrink,
        r.right() - shrink,
        r.y + shrink,
        r.bottom() - shrink,
    );
    let (lx, hx) = (a.0.min(b.0), a.0.max(b.0));
    let (ly, hy) = (a.1.min(b.1), a.1.max(b.1));
    lx < x1 && hx > x0 && ly < y1 && hy > y0
}

fn rect_segment_distance(r: &Rect, a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lx, hx) = (a.0.min(b.0), a.0.max(b.0));
    let (ly, hy) = (a.1.min(b.1), a.1.max(b.1));
    let dx = (r.x - hx).max(lx - r.right()).max(0.0);
    let dy = (r.y - hy).max(ly - r.bottom()).max(0.0);
    dx.hypot(dy)
}

/// Whether a point lies within the drawing.
fn in_bounds(placed: &Layout, x: f64, y: f64) -> bool {
    x >= -EPS && y >= -EPS && x <= placed.width + EPS && y <= placed.height + EPS
}

fn rect_in_bounds(placed: &Layout, rect: &Rect) -> bool {
    in_bounds(placed, rect.x, rect.y) && in_bounds(placed, rect.right(), rect.bottom())
}

/// Every hard invariant of a layout; `dag` adds the ones that only hold for a
/// DAG whose nodes are all reachable from the start.
pub(crate) fn check(graph: &FlowGraph, placed: &Layout, dag: bool) -> Result<(), String> {
    if placed.nodes.len() != graph.nodes.len() || placed.edges.len() != graph.edges.len() {
        return Err("layout does not match the graph".into());
    }
    check_nodes(graph, placed)?;
    let mut label_rects: Vec<(usize, Rect)> = Vec::new();
    for (edge_index, (edge, placed_edge)) in graph.edges.iter().zip(&placed.edges).enumerate() {
        if let Some(label_rect) = check_edge(graph, placed, dag, edge_index, edge, placed_edge)? {
            label_rects.push((edge_index, label_rect));
        }
    }
    for (i, (edge_a, rect_a)) in label_rects.iter().enumerate() {
        for (edge_b, rect_b) in &label_rects[i + 1..] {
            if rect_a.intersects(rect_b, 0.0) {
                return Err(format!("labels of edges {edge_a} and {edge_b} overlap"));
            }
        }
    }
    if dag {
        check_main_route(graph, placed)?;
    }
    Ok(())
}

/// Nodes are in bounds, apart, and their text lines fit inside their shapes.
fn check_nodes(graph: &FlowGraph, placed: &Layout) -> Result<(), String> {
    for (i, node) in placed.nodes.iter().enumerate() {
        let rect = &node.rect;
        if !rect_in_bounds(placed, rect) {
            return Err(format!("node {i} out of bounds: {rect:?}"));
        }
        for (j, other) in placed.nodes.iter().enumerate().skip(i + 1) {
            if rect.intersects(&other.rect, 5.0) {
                return Err(format!(
                    "nodes {i} and {j} overlap: {rect:?} {:?}",
                    other.rect
                ));
            }
        }
        let shape = graph.nodes[i].shape;
        let top = text_top(rect, node.lines.len());
        for (line_index, line) in node.lines.iter().enumerate() {
            let width = estimate_text_width(line, FONT_SIZE, line_index < node.label_lines);
            let (y0, y1) = (
                top + line_index as f64 * LINE_HEIGHT,
                top + (line_index + 1) as f64 * LINE_HEIGHT,
            );
            let (x0, x1) = (rect.cx() - width / 2.0, rect.cx() + width / 2.0);
            for (x, y) in [(x0, y0), (x1, y0), (x0, y1), (x1, y1)] {
                if !inside_shape(shape, rect, x, y) {
                    return Err(format!(
                        "node {i} line {line_index} {line:?} overflows its {shape:?} {rect:?}"
                    ));
                }
            }
        }
    }
    Ok(())
}

/// One edge: undrawn if it cannot be drawn, else an orthogonal polyline in bounds and
/// clear of every node, from its source's outline down into the top of its target,
/// with its label (if any) beside its first segments. Returns the label's box.
fn check_edge(
    graph: &FlowGraph,
    placed: &Layout,
    dag: bool,
    k: usize,
    edge: &FlowEdge,
    placed_edge: &PlacedEdge,
) -> Result<Option<Rect>, String> {
    let drawable =
        edge.from < graph.nodes.len() && edge.to < graph.nodes.len() && edge.from != edge.to;
    if !drawable {
        if !placed_edge.points.is_empty() || placed_edge.label.is_some() {
            return Err(format!("edge {k} cannot be drawn but was"));
        }
        return Ok(None);
    }
    let points = &placed_edge.points;
    if points.len() < 2 {
        return Err(format!("edge {k} has {} points", points.len()));
    }
    for &(x, y) in points {
        if !in_bounds(placed, x, y) {
            return Err(format!("edge {k} point ({x}, {y}) out of bounds"));
        }
    }
    let source_shape = graph.nodes[edge.from].shape;
    for (segment_index, segment) in points.windows(2).enumerate() {
        let (a, b) = (segment[0], segment[1]);
        let vertical = approx(a.0, b.0);
        let horizontal = approx(a.1, b.1);
        if vertical == horizontal {
            return Err(format!(
                "edge {k} segment {a:?}-{b:?} is not orthogonal or has no length"
            ));
        }
        for (i, node) in placed.nodes.iter().enumerate() {
            // A fanned exit leaves a diamond's lower edge straight down, through the
            // corner of its box that the diamond leaves empty.
            let leaves_diamond_downwards = i == edge.from
                && segment_index == 0
                && source_shape == Shape::Decision
                && vertical
                && b.1 > a.1
                && !inside_shape(Shape::Decision, &node.rect, a.0, a.1 + 0.25);
            if !leaves_diamond_downwards && crosses_interior(a, b, &node.rect) {
                return Err(format!(
                    "edge {k} segment {a:?}-{b:?} crosses node {i} {:?}",
                    node.rect
                ));
            }
        }
    }
    let (src, dst) = (&placed.nodes[edge.from].rect, &placed.nodes[edge.to].rect);
    if !on_outline(graph.nodes[edge.from].shape, src, points[0]) {
        return Err(format!(
            "edge {k} does not start on its source: {:?} {src:?}",
            points[0]
        ));
    }
    let last = points[points.len() - 1];
    let before = points[points.len() - 2];
    if !on_outline(graph.nodes[edge.to].shape, dst, last) {
        return Err(format!(
            "edge {k} does not end on its target: {last:?} {dst:?}"
        ));
    }
    if !(approx(last.1, dst.y)
        && approx(last.0, dst.cx())
        && approx(before.0, last.0)
        && before.1 < last.1)
    {
        return Err(format!(
            "edge {k} does not come down into the top of its target"
        ));
    }
    if dag && dst.y <= src.bottom() {
        return Err(format!("edge {k} does not point downwards"));
    }
    match (&edge.label, &placed_edge.label) {
        (Some(text), None) if !text.trim().is_empty() => Err(format!("edge {k} lost its label")),
        (_, Some(label)) => check_label(placed, k, label, points).map(Some),
        _ => Ok(None),
    }
}

/// An edge label is in bounds, big enough for its lines, clear of the nodes, and
/// beside the first or second segment of its edge.
fn check_label(
    placed: &Layout,
    k: usize,
    label: &PlacedLabel,
    points: &[(f64, f64)],
) -> Result<Rect, String> {
    let rect = &label.rect;
    if !rect_in_bounds(placed, rect) {
        return Err(format!("label of edge {k} out of bounds"));
    }
    for line in &label.text_lines {
        if estimate_text_width(line, LABEL_FONT_SIZE, false) + 2.0 * LABEL_PAD_X > rect.w + EPS {
            return Err(format!("label of edge {k} too narrow for {line:?}"));
        }
    }
    if (label.text_lines.len() as f64) * LABEL_LINE_HEIGHT > rect.h + EPS {
        return Err(format!("label of edge {k} too short"));
    }
    for (i, node) in placed.nodes.iter().enumerate() {
        if rect.intersects(&node.rect, 0.0) {
            return Err(format!("label of edge {k} overlaps node {i}"));
        }
    }
    if label_segment(rect, points).is_none() {
        return Err(format!(
            "label of edge {k} is not beside its first segments or its last run"
        ));
    }
    Ok(*rect)
}

/// The segment a label sits beside: the first or second of its edge, or (for an edge
/// off a bus) the run into its target, the last but one; the nearest if several.
pub(super) fn label_segment(
    rect: &Rect,
    points: &[(f64, f64)],
) -> Option<((f64, f64), (f64, f64))> {
    let n = points.len();
    let mut candidates = vec![0, 1];
    if n >= 3 {
        candidates.push(n - 3);
    }
    candidates
        .into_iter()
        .filter(|&i| i + 1 < n)
        .map(|i| (points[i], points[i + 1]))
        .map(|s| (rect_segment_distance(rect, s.0, s.1), s))
        .filter(|&(distance, _)| distance <= LABEL_OFFSET + EPS)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, s)| s)
}

/// The main route starts at the start, alone at the top, follows edges and stays in
/// one column.
fn check_main_route(graph: &FlowGraph, placed: &Layout) -> Result<(), String> {
    let route = &placed.main_route;
    if route.first() != Some(&graph.start) {
        return Err("main route does not begin at the start".into());
    }
    let start_x = placed.nodes[graph.start].rect.cx();
    if route
        .iter()
        .any(|&node| !approx(placed.nodes[node].rect.cx(), start_x))
    {
        return Err("main route is not one column".into());
    }
    let start_y = placed.nodes[graph.start].rect.y;
    if placed
        .nodes
        .iter()
        .enumerate()
        .any(|(i, node)| i != graph.start && node.rect.y <= start_y)
    {
        return Err("start is not alone at the top".into());
    }
    for step in route.windows(2) {
        if !graph
            .edges
            .iter()
            .any(|e| e.from == step[0] && e.to == step[1])
        {
            return Err("main route does not follow edges".into());
        }
    }
    Ok(())
}

fn assert_ok(name: &str, graph: &FlowGraph, dag: bool) -> Layout {
    let placed = layout(graph);
    if let Err(msg) = check(graph, &placed, dag) {
        panic!("{name}: {msg}\n{graph:#?}\n{placed:#?}");
    }
    placed
}
