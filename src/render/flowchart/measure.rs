//! Sizes of the shapes: each node's text wrapped to fit its shape and the shape's
//! width and height, and each edge label's box.
//!
//! Sizes are rounded up to even pixels, so that centring a shape on a column or row
//! puts its corners on half pixels at worst, which print exactly with one decimal.

use super::graph::{FlowNode, Shape};
use super::text::{FONT_SIZE, LABEL_FONT_SIZE, LABEL_LINE_HEIGHT, LINE_HEIGHT};
use super::text::{estimate_text_width, wrap_balanced};

const STAGE_TEXT_MAX: f64 = 200.0;
const ENDING_TEXT_MAX: f64 = 180.0;
const DECISION_TEXT_MIN: f64 = 110.0;
const DECISION_TEXT_MAX: f64 = 240.0;
/// Width to height ratio aimed at for diamonds: flatter ones waste less space.
const DECISION_ASPECT: f64 = 2.4;
const EDGE_LABEL_TEXT_MAX: f64 = 120.0;
const STAGE_PAD_X: f64 = 12.0;
const STAGE_PAD_Y: f64 = 10.0;
const STAGE_MIN_W: f64 = 120.0;
const STAGE_MIN_H: f64 = 40.0;
const DECISION_PAD_X: f64 = 8.0;
const DECISION_PAD_Y: f64 = 4.0;
const DECISION_MIN_W: f64 = 120.0;
const DECISION_MIN_H: f64 = 72.0;
const ENDING_PAD_X: f64 = 10.0;
const ENDING_PAD_Y: f64 = 9.0;
const ENDING_MIN_W: f64 = 100.0;
const ENDING_MIN_H: f64 = 36.0;
const ENDING_MAX_RADIUS: f64 = 28.0;
pub(super) const LABEL_PAD_X: f64 = 4.0;
pub(super) const LABEL_PAD_Y: f64 = 2.0;

/// Rounds up to the next even number.
fn even_ceil(value: f64) -> f64 {
    (value / 2.0).ceil() * 2.0
}

/// Corner radius of an ending's rounded terminal of height `height`.
pub(super) fn ending_radius(height: f64) -> f64 {
    (height / 2.0).min(ENDING_MAX_RADIUS)
}

/// Wrapped text and size of a node's shape.
pub(super) struct NodeBox {
    /// Wrapped lines, the bold label's lines first.
    pub(super) lines: Vec<String>,
    /// How many of the first `lines` belong to the label.
    pub(super) label_lines: usize,
    pub(super) width: f64,
    pub(super) height: f64,
}

/// Wraps a node's label and text and sizes its shape around them.
pub(super) fn measure_node(node: &FlowNode) -> NodeBox {
    let max_text_width = match node.shape {
        Shape::Stage => STAGE_TEXT_MAX,
        Shape::Ending => ENDING_TEXT_MAX,
        Shape::Decision => {
            // Aim the text block at the diamond's proportions, so long questions get
            // wider lines instead of a towering diamond.
            let total = estimate_text_width(&node.text, FONT_SIZE, false);
            (total * LINE_HEIGHT * 6.0)
                .sqrt()
                .clamp(DECISION_TEXT_MIN, DECISION_TEXT_MAX)
        }
    };
    let mut lines = node
        .label
        .as_deref()
        .map(|label| wrap_balanced(label, max_text_width, FONT_SIZE, true))
        .unwrap_or_default();
    let label_lines = lines.len();
    lines.extend(wrap_balanced(&node.text, max_text_width, FONT_SIZE, false));
    let text_width = lines
        .iter()
        .enumerate()
        .map(|(i, line)| estimate_text_width(line, FONT_SIZE, i < label_lines))
        .fold(0.0, f64::max);
    let text_height = lines.len() as f64 * LINE_HEIGHT;
    let (width, height) = match node.shape {
        Shape::Stage => (
            (text_width + 2.0 * STAGE_PAD_X).max(STAGE_MIN_W),
            (text_height + 2.0 * STAGE_PAD_Y).max(STAGE_MIN_H),
        ),
        Shape::Decision => decision_size(text_width, text_height),
        Shape::Ending => ending_size(text_width, text_height),
    };
    NodeBox {
        lines,
        label_lines,
        width: even_ceil(width),
        height: even_ceil(height),
    }
}

/// Width and height of a diamond that holds a text block of the given size.
fn decision_size(text_width: f64, text_height: f64) -> (f64, f64) {
    // The padded text block (block_w x block_h) fits a diamond W x H when
    // block_w/W + block_h/H <= 1; pick H for the aimed-at proportions, then the
    // narrowest W that fits.
    let block_w = text_width + 2.0 * DECISION_PAD_X;
    let block_h = text_height + 2.0 * DECISION_PAD_Y;
    let height_share =
        (DECISION_ASPECT * block_h / (block_w + DECISION_ASPECT * block_h)).clamp(0.05, 0.5);
    let height = even_ceil((block_h / height_share).max(DECISION_MIN_H));
    let width = (block_w / (1.0 - block_h / height)).max(DECISION_MIN_W);
    (width, height)
}

/// Width and height of a rounded terminal that holds a text block of the given size.
fn ending_size(text_width: f64, text_height: f64) -> (f64, f64) {
    let height = even_ceil((text_height + 2.0 * ENDING_PAD_Y).max(ENDING_MIN_H));
    let radius = ending_radius(height);
    // How far the rounded corners bite into the text block's corners.
    let half_block = text_height / 2.0 + 2.0;
    let straight = height / 2.0 - radius;
    let inset = if half_block <= straight {
        0.0
    } else {
        let dy = half_block - straight;
        radius - (radius * radius - dy * dy).max(0.0).sqrt()
    };
    (
        (text_width + 2.0 * (inset + ENDING_PAD_X)).max(ENDING_MIN_W),
        height,
    )
}

/// Wrapped text and size of an edge label's box.
pub(super) struct LabelBox {
    pub(super) lines: Vec<String>,
    pub(super) width: f64,
    pub(super) height: f64,
}

/// Wraps an edge label and sizes its box; `None` when it has no visible text.
pub(super) fn measure_label(text: &str) -> Option<LabelBox> {
    let lines = wrap_balanced(text, EDGE_LABEL_TEXT_MAX, LABEL_FONT_SIZE, false);
    if lines.is_empty() {
        return None;
    }
    let text_width = lines
        .iter()
        .map(|line| estimate_text_width(line, LABEL_FONT_SIZE, false))
        .fold(0.0, f64::max);
    Some(LabelBox {
        width: even_ceil(text_width + 2.0 * LABEL_PAD_X),
        height: lines.len() as f64 * LABEL_LINE_HEIGHT + 2.0 * LABEL_PAD_Y,
        lines,
    })
}
