//! Tests of the whole layout and drawing: hand-written and random graphs must meet
//! every invariant [`check`] knows (no overlaps, orthogonal edges clear of boxes,
//! labels beside their edges, text inside its shape), and the SVG must be well formed.

mod cases;
mod fixtures;
mod svg;

use crate::render::flowchart::draw::{push_num, render_svg, sanitize_id, text_top};
use crate::render::flowchart::geometry::{LABEL_OFFSET, Layout, Rect};
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
            let d = (x - r.cx()).abs() / (r.w / 2.0) + (y - r.cy()).abs() / (r.h / 2.0);
            on_box && approx(d, 1.0)
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

fn usable(g: &FlowGraph, e: &FlowEdge) -> bool {
    e.from < g.nodes.len() && e.to < g.nodes.len() && e.from != e.to
}

/// Every hard invariant of a layout; `dag` adds the ones that only hold for a
/// DAG whose nodes are all reachable from the start.
pub(crate) fn check(g: &FlowGraph, l: &Layout, dag: bool) -> Result<(), String> {
    if l.nodes.len() != g.nodes.len() || l.edges.len() != g.edges.len() {
        return Err("layout does not match the graph".into());
    }
    let in_bounds =
        |x: f64, y: f64| x >= -EPS && y >= -EPS && x <= l.width + EPS && y <= l.height + EPS;
    for (i, a) in l.nodes.iter().enumerate() {
        let r = &a.rect;
        if !in_bounds(r.x, r.y) || !in_bounds(r.right(), r.bottom()) {
            return Err(format!("node {i} out of bounds: {r:?}"));
        }
        for (j, b) in l.nodes.iter().enumerate().skip(i + 1) {
            if r.intersects(&b.rect, 5.0) {
                return Err(format!("nodes {i} and {j} overlap: {r:?} {:?}", b.rect));
            }
        }
        // Text lines fit the shape.
        let shape = g.nodes[i].shape;
        let top = text_top(r, a.lines.len());
        for (li, line) in a.lines.iter().enumerate() {
            let w = estimate_text_width(line, FONT_SIZE, li < a.label_lines);
            let (y0, y1) = (
                top + li as f64 * LINE_HEIGHT,
                top + (li + 1) as f64 * LINE_HEIGHT,
            );
            let (x0, x1) = (r.cx() - w / 2.0, r.cx() + w / 2.0);
            for (x, y) in [(x0, y0), (x1, y0), (x0, y1), (x1, y1)] {
                if !inside_shape(shape, r, x, y) {
                    return Err(format!(
                        "node {i} line {li} {line:?} overflows its {shape:?} {r:?}"
                    ));
                }
            }
        }
    }
    let mut label_rects: Vec<(usize, Rect)> = Vec::new();
    for (k, (e, pe)) in g.edges.iter().zip(&l.edges).enumerate() {
        if !usable(g, e) {
            if !pe.points.is_empty() || pe.label.is_some() {
                return Err(format!("edge {k} cannot be drawn but was"));
            }
            continue;
        }
        let pts = &pe.points;
        if pts.len() < 2 {
            return Err(format!("edge {k} has {} points", pts.len()));
        }
        for &(x, y) in pts {
            if !in_bounds(x, y) {
                return Err(format!("edge {k} point ({x}, {y}) out of bounds"));
            }
        }
        for w in pts.windows(2) {
            let (a, b) = (w[0], w[1]);
            let vertical = approx(a.0, b.0);
            let horizontal = approx(a.1, b.1);
            if vertical == horizontal {
                return Err(format!(
                    "edge {k} segment {a:?}-{b:?} is not orthogonal or has no length"
                ));
            }
            for (i, n) in l.nodes.iter().enumerate() {
                if crosses_interior(a, b, &n.rect) {
                    return Err(format!(
                        "edge {k} segment {a:?}-{b:?} crosses node {i} {:?}",
                        n.rect
                    ));
                }
            }
        }
        let (src, dst) = (&l.nodes[e.from].rect, &l.nodes[e.to].rect);
        if !on_outline(g.nodes[e.from].shape, src, pts[0]) {
            return Err(format!(
                "edge {k} does not start on its source: {:?} {src:?}",
                pts[0]
            ));
        }
        let last = pts[pts.len() - 1];
        let before = pts[pts.len() - 2];
        if !on_outline(g.nodes[e.to].shape, dst, last) {
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
        match (&e.label, &pe.label) {
            (Some(text), None) if !text.trim().is_empty() => {
                return Err(format!("edge {k} lost its label"));
            }
            (_, Some(pl)) => {
                let r = &pl.rect;
                if !in_bounds(r.x, r.y) || !in_bounds(r.right(), r.bottom()) {
                    return Err(format!("label of edge {k} out of bounds"));
                }
                for line in &pl.text_lines {
                    if estimate_text_width(line, LABEL_FONT_SIZE, false) + 2.0 * LABEL_PAD_X
                        > r.w + EPS
                    {
                        return Err(format!("label of edge {k} too narrow for {line:?}"));
                    }
                }
                if (pl.text_lines.len() as f64) * LABEL_LINE_HEIGHT > r.h + EPS {
                    return Err(format!("label of edge {k} too short"));
                }
                for (i, n) in l.nodes.iter().enumerate() {
                    if r.intersects(&n.rect, 0.0) {
                        return Err(format!("label of edge {k} overlaps node {i}"));
                    }
                }
                let first = rect_segment_distance(r, pts[0], pts[1]);
                let second = pts
                    .get(2)
                    .map_or(f64::INFINITY, |&p| rect_segment_distance(r, pts[1], p));
                if first.min(second) > LABEL_OFFSET + EPS {
                    return Err(format!(
                        "label of edge {k} is not beside its first segments"
                    ));
                }
                label_rects.push((k, *r));
            }
            _ => {}
        }
    }
    for (i, (ka, a)) in label_rects.iter().enumerate() {
        for (kb, b) in &label_rects[i + 1..] {
            if a.intersects(b, 0.0) {
                return Err(format!("labels of edges {ka} and {kb} overlap"));
            }
        }
    }
    if dag {
        let route = &l.main_route;
        if route.first() != Some(&g.start) {
            return Err("main route does not begin at the start".into());
        }
        let sx = l.nodes[g.start].rect.cx();
        if route.iter().any(|&v| !approx(l.nodes[v].rect.cx(), sx)) {
            return Err("main route is not one column".into());
        }
        let sy = l.nodes[g.start].rect.y;
        if l.nodes
            .iter()
            .enumerate()
            .any(|(i, n)| i != g.start && n.rect.y <= sy)
        {
            return Err("start is not alone at the top".into());
        }
        for w in route.windows(2) {
            if !g.edges.iter().any(|e| e.from == w[0] && e.to == w[1]) {
                return Err("main route does not follow edges".into());
            }
        }
    }
    Ok(())
}

fn assert_ok(name: &str, g: &FlowGraph, dag: bool) -> Layout {
    let l = layout(g);
    if let Err(msg) = check(g, &l, dag) {
        panic!("{name}: {msg}\n{g:#?}\n{l:#?}");
    }
    l
}
