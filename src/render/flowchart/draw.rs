//! SVG output: turns a layout into an accessible `<svg>` element that carries no
//! colours and no inline styles, so it works under a strict content security policy;
//! the site's stylesheet draws it (see [`STYLESHEET`] for the classes it must style).

use std::fmt::Write as _;

use super::geometry::{Layout, PlacedEdge, PlacedNode, Rect};
use super::graph::{FlowGraph, FlowNode, Shape};
use super::measure::{LABEL_PAD_Y, ending_radius};
use super::text::{LABEL_LINE_HEIGHT, LINE_HEIGHT};

/// A stylesheet that draws the classes [`render_svg`] emits; the site may use its own.
///
/// It sets the font sizes the layout was measured for, so a replacement must keep them,
/// and it never shrinks the chart, which would shrink its text: put a wide chart in a
/// region that scrolls.
pub const STYLESHEET: &str = r#".flowchart { display: block; height: auto; }
.flowchart text { font-family: "DejaVu Sans", Verdana, "Segoe UI", Arial, sans-serif; font-size: 14px; fill: #1a1a1a; }
.flowchart .flow-label { font-weight: bold; }
.flowchart .flow-node rect, .flowchart .flow-node polygon { fill: #ffffff; stroke: #28508c; stroke-width: 1.5; }
.flowchart .flow-decision polygon { fill: #fff7e0; stroke: #9a6400; }
.flowchart .flow-ending rect { fill: #edf6ee; stroke: #2e6b34; }
.flowchart .flow-edge { fill: none; stroke: #4a4a4a; stroke-width: 1.5; }
.flowchart .flow-arrow { fill: #4a4a4a; }
.flowchart .flow-edge-label rect { fill: #ffffff; }
.flowchart .flow-edge-label text { font-size: 13px; fill: #333333; }
.flowchart a:hover .flow-node rect, .flowchart a:hover .flow-node polygon,
.flowchart a:focus .flow-node rect, .flowchart a:focus .flow-node polygon { stroke-width: 3; }
@media (forced-colors: active) {
  .flowchart text { fill: CanvasText; }
  .flowchart .flow-edge { stroke: CanvasText; }
  .flowchart .flow-arrow { fill: CanvasText; stroke: CanvasText; }
  .flowchart .flow-node rect, .flowchart .flow-node polygon { fill: Canvas; stroke: CanvasText; }
  .flowchart .flow-edge-label rect { fill: Canvas; }
}
"#;

/// Baseline of a node text line, measured from the top of its line box.
const BASELINE: f64 = 13.5;
/// Baseline of an edge label line, measured from the top of its line box.
const LABEL_BASELINE: f64 = 12.0;
/// Corner radius of a stage's box.
const STAGE_RADIUS: f64 = 3.0;

/// Renders a laid-out flowchart as an accessible inline `<svg>` element.
///
/// `id_prefix` makes the element's ids unique in the page (characters other than
/// ASCII letters, digits, `-` and `_` become `-`, and `fc-` is put in front when it
/// does not start with a letter); `title` and `desc` become its accessible name and
/// description. The output carries classes only (no colours, no `style`), is
/// deterministic, and rounds coordinates to one decimal.
pub fn render_svg(
    graph: &FlowGraph,
    layout: &Layout,
    id_prefix: &str,
    title: &str,
    desc: &str,
) -> String {
    let prefix = sanitize_id(id_prefix);
    let mut svg = String::with_capacity(1024 + 512 * layout.nodes.len() + 160 * layout.edges.len());
    push_header(&mut svg, layout, &prefix, title, desc);
    svg.push_str("<g class=\"flow-edges\">\n");
    for edge in &layout.edges {
        push_edge(&mut svg, edge, &prefix);
    }
    svg.push_str("</g>\n<g class=\"flow-edge-labels\">\n");
    for label in layout.edges.iter().filter_map(|e| e.label.as_ref()) {
        push_edge_label(&mut svg, &label.rect, &label.text_lines);
    }
    svg.push_str("</g>\n<g class=\"flow-nodes\">\n");
    for (node, placed) in graph.nodes.iter().zip(&layout.nodes) {
        push_node(&mut svg, node, placed);
    }
    svg.push_str("</g>\n</svg>\n");
    svg
}

/// The opening `<svg>` tag, its accessible name and description, and the arrowhead.
fn push_header(out: &mut String, layout: &Layout, prefix: &str, title: &str, desc: &str) {
    out.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
    push_num(out, layout.width);
    out.push(' ');
    push_num(out, layout.height);
    out.push_str("\" width=\"");
    push_num(out, layout.width);
    out.push_str("\" height=\"");
    push_num(out, layout.height);
    let _ = write!(
        out,
        "\" role=\"img\" aria-labelledby=\"{prefix}-title {prefix}-desc\" class=\"flowchart\">\n<title id=\"{prefix}-title\">"
    );
    push_escaped(out, title);
    let _ = write!(out, "</title>\n<desc id=\"{prefix}-desc\">");
    push_escaped(out, desc);
    let _ = write!(
        out,
        "</desc>\n<defs><marker id=\"{prefix}-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" \
         markerWidth=\"10\" markerHeight=\"10\" markerUnits=\"userSpaceOnUse\" orient=\"auto\">\
         <path class=\"flow-arrow\" d=\"M0,0L10,5L0,10z\"/></marker></defs>\n"
    );
}

/// An edge as a path of vertical and horizontal steps; nothing for an undrawn edge.
fn push_edge(out: &mut String, edge: &PlacedEdge, prefix: &str) {
    let Some((&first, rest)) = edge.points.split_first() else {
        return;
    };
    if rest.is_empty() {
        return;
    }
    out.push_str("<path class=\"flow-edge\" d=\"M");
    push_num(out, first.0);
    out.push(' ');
    push_num(out, first.1);
    let mut previous = first;
    for &point in rest {
        // Compared as printed, so a step is vertical or horizontal in the output.
        if round1(point.0) == round1(previous.0) {
            out.push('V');
            push_num(out, point.1);
        } else if round1(point.1) == round1(previous.1) {
            out.push('H');
            push_num(out, point.0);
        } else {
            out.push('L');
            push_num(out, point.0);
            out.push(' ');
            push_num(out, point.1);
        }
        previous = point;
    }
    let _ = writeln!(out, "\" marker-end=\"url(#{prefix}-arrow)\"/>");
}

/// An edge label: its background box and its lines, centred.
fn push_edge_label(out: &mut String, rect: &Rect, lines: &[String]) {
    out.push_str("<g class=\"flow-edge-label\">");
    push_rect(out, rect, 3.0);
    out.push_str("<text text-anchor=\"middle\">");
    for (i, line) in lines.iter().enumerate() {
        out.push_str("<tspan x=\"");
        push_num(out, rect.cx());
        out.push_str("\" y=\"");
        push_num(
            out,
            rect.y + LABEL_PAD_Y + i as f64 * LABEL_LINE_HEIGHT + LABEL_BASELINE,
        );
        out.push_str("\">");
        push_escaped(out, line);
        out.push_str("</tspan>");
    }
    out.push_str("</text></g>\n");
}

/// A node: its shape and text in a classed group, inside a link when it has one.
fn push_node(out: &mut String, node: &FlowNode, placed: &PlacedNode) {
    if let Some(href) = &node.href {
        out.push_str("<a href=\"");
        push_escaped(out, href);
        out.push_str("\">");
    }
    let shape_class = match node.shape {
        Shape::Stage => "flow-stage",
        Shape::Decision => "flow-decision",
        Shape::Ending => "flow-ending",
    };
    let _ = write!(out, "<g class=\"flow-node {shape_class}");
    if let Some(class) = node.class.as_deref().filter(|c| !c.trim().is_empty()) {
        out.push(' ');
        push_escaped(out, class.trim());
    }
    out.push_str("\" data-node=\"");
    push_escaped(out, &node.id);
    out.push_str("\">");
    let rect = &placed.rect;
    match node.shape {
        Shape::Stage => push_rect(out, rect, STAGE_RADIUS),
        Shape::Ending => push_rect(out, rect, ending_radius(rect.h)),
        Shape::Decision => {
            out.push_str("<polygon points=\"");
            for (i, (x, y)) in [
                (rect.cx(), rect.y),
                (rect.right(), rect.cy()),
                (rect.cx(), rect.bottom()),
                (rect.x, rect.cy()),
            ]
            .into_iter()
            .enumerate()
            {
                if i > 0 {
                    out.push(' ');
                }
                push_num(out, x);
                out.push(',');
                push_num(out, y);
            }
            out.push_str("\"/>");
        }
    }
    out.push_str("<text text-anchor=\"middle\">");
    let top = text_top(rect, placed.lines.len());
    for (i, line) in placed.lines.iter().enumerate() {
        out.push_str("<tspan");
        if i < placed.label_lines {
            out.push_str(" class=\"flow-label\"");
        }
        out.push_str(" x=\"");
        push_num(out, rect.cx());
        out.push_str("\" y=\"");
        push_num(out, top + i as f64 * LINE_HEIGHT + BASELINE);
        out.push_str("\">");
        push_escaped(out, line);
        out.push_str("</tspan>");
    }
    out.push_str("</text></g>");
    if node.href.is_some() {
        out.push_str("</a>");
    }
    out.push('\n');
}

/// Top of the first line of a node's text block, which is centred in the shape.
pub(super) fn text_top(rect: &Rect, lines: usize) -> f64 {
    rect.cy() - lines as f64 * LINE_HEIGHT / 2.0
}

fn push_rect(out: &mut String, rect: &Rect, radius: f64) {
    out.push_str("<rect x=\"");
    push_num(out, rect.x);
    out.push_str("\" y=\"");
    push_num(out, rect.y);
    out.push_str("\" width=\"");
    push_num(out, rect.w);
    out.push_str("\" height=\"");
    push_num(out, rect.h);
    out.push_str("\" rx=\"");
    push_num(out, radius);
    out.push_str("\"/>");
}

/// `value` in tenths, rounded; non-finite values become 0.
fn round1(value: f64) -> i64 {
    if value.is_finite() {
        (value * 10.0).round() as i64
    } else {
        0
    }
}

/// Writes `value` with at most one decimal, and none when it would be `.0`.
pub(super) fn push_num(out: &mut String, value: f64) {
    let tenths = round1(value);
    if tenths < 0 {
        out.push('-');
    }
    let magnitude = tenths.unsigned_abs();
    let _ = write!(out, "{}", magnitude / 10);
    if !magnitude.is_multiple_of(10) {
        let _ = write!(out, ".{}", magnitude % 10);
    }
}

/// Escapes text for XML content and attribute values, dropping characters XML 1.0
/// does not allow.
fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t'
            | '\n'
            | '\r'
            | '\u{20}'..='\u{D7FF}'
            | '\u{E000}'..='\u{FFFD}'
            | '\u{10000}'.. => out.push(c),
            _ => {}
        }
    }
}

pub(super) fn sanitize_id(prefix: &str) -> String {
    let mut id: String = prefix
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_alphabetic()) {
        id.insert_str(0, "fc-");
    }
    id
}
