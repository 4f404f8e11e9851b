//! The key to the flowchart's shapes: an HTML list in words, each item with a
//! small drawing of its shape styled by the same classes as the chart.
//!
//! It is real text beside the chart, not part of the picture, so it can be read,
//! searched and translated like the rest of the page.

use super::graph::Shape;

/// One shape of the key and what it stands for.
pub struct LegendEntry {
    /// The shape drawn beside the words.
    pub shape: Shape,
    /// Extra class of the shape's group, as the chart gives it (an ending's kind).
    pub class: Option<&'static str>,
    /// What the shape stands for, in words.
    pub words: &'static str,
}

/// The key as a `<ul>`; empty when there is nothing to explain.
pub fn render_legend(entries: &[LegendEntry]) -> String {
    if entries.is_empty() {
        return String::new();
    }
    let mut out =
        String::from("<ul class=\"flowchart-legend\" aria-label=\"Key to the flowchart\">\n");
    for entry in entries {
        let shape_class = match entry.shape {
            Shape::Stage => "flow-stage",
            Shape::Decision => "flow-decision",
            Shape::Ending => "flow-ending",
        };
        let drawing = match entry.shape {
            Shape::Stage => "<rect x=\"2\" y=\"3\" width=\"36\" height=\"18\" rx=\"2\"/>",
            Shape::Decision => "<polygon points=\"20,1 38,12 20,23 2,12\"/>",
            Shape::Ending => "<rect x=\"2\" y=\"3\" width=\"36\" height=\"18\" rx=\"9\"/>",
        };
        out.push_str("<li><svg width=\"40\" height=\"24\" viewBox=\"0 0 40 24\" aria-hidden=\"true\" focusable=\"false\">");
        out.push_str("<g class=\"flow-node ");
        out.push_str(shape_class);
        if let Some(class) = entry.class {
            out.push(' ');
            out.push_str(class);
        }
        out.push_str("\">");
        out.push_str(drawing);
        out.push_str("</g></svg><span>");
        out.push_str(entry.words);
        out.push_str("</span></li>\n");
    }
    out.push_str("</ul>\n");
    out
}
