//! Horizontal placement: the width of every column and of every gap between columns
//! (room for lanes and for labels that reach into it), and so their x positions.

use super::geometry::{LABEL_OFFSET, MARGIN};
use super::graph::FlowGraph;
use super::grid::Grid;
use super::measure::{LabelBox, NodeBox};
use super::route::{Exit, RouteKind, RoutePlan};

/// Distance between neighbouring lanes in a gap.
const LANE_SPACING: f64 = 12.0;
/// Least distance between a gap's outermost lane and the column beside it.
const LANE_CLEARANCE: f64 = 16.0;
/// Least width of a gap between two columns.
const MIN_GAP: f64 = 48.0;

/// Horizontal positions of columns and gaps.
pub(super) struct Columns {
    /// Centre of each column.
    pub(super) center: Vec<f64>,
    /// Left edge of each gap; gap `c` is left of column `c`.
    gap_x: Vec<f64>,
    /// Distance from a gap's left edge to its first lane's slot.
    lane_pad: Vec<f64>,
}

impl Columns {
    /// Position of lane `lane` of gap `gap`.
    pub(super) fn lane_x(&self, gap: usize, lane: usize) -> f64 {
        self.gap_x[gap] + self.lane_pad[gap] + (lane as f64 + 0.5) * LANE_SPACING
    }
}

/// Sizes the columns to their widest node and the gaps to their lanes and labels.
pub(super) fn place_columns(
    graph: &FlowGraph,
    grid: &Grid,
    boxes: &[NodeBox],
    labels: &[Option<LabelBox>],
    plans: &[RoutePlan],
    lanes_per_gap: &[usize],
) -> Columns {
    let column_count = grid.column_count;
    let mut column_width = vec![0.0f64; column_count];
    for (node, node_box) in boxes.iter().enumerate() {
        let column = grid.column[node];
        column_width[column] = column_width[column].max(node_box.width);
    }
    let (room_left, room_right) = label_room(graph, grid, labels, plans, &column_width);
    let mut gap_width = vec![0.0f64; column_count + 1];
    let mut lane_pad = vec![0.0f64; column_count + 1];
    for gap in 0..=column_count {
        let outer = gap == 0 || gap == column_count;
        let lanes = lanes_per_gap.get(gap).copied().unwrap_or(0);
        if lanes == 0 {
            let base = if outer { MARGIN } else { MIN_GAP };
            gap_width[gap] = (room_left[gap] + room_right[gap]).max(base);
        } else {
            let pad_left = if gap == 0 {
                MARGIN
            } else {
                room_left[gap].max(LANE_CLEARANCE)
            };
            let pad_right = if gap == column_count {
                MARGIN
            } else {
                room_right[gap].max(LANE_CLEARANCE)
            };
            lane_pad[gap] = pad_left;
            gap_width[gap] = pad_left + lanes as f64 * LANE_SPACING + pad_right;
        }
    }
    let mut center = vec![0.0; column_count];
    let mut gap_x = vec![0.0; column_count + 1];
    let mut x = 0.0;
    for column in 0..column_count {
        gap_x[column] = x;
        x += gap_width[column];
        center[column] = x + column_width[column] / 2.0;
        x += column_width[column];
    }
    gap_x[column_count] = x;
    Columns {
        center,
        gap_x,
        lane_pad,
    }
}

/// Room that labels need at the left and right ends of each gap: labels beside a
/// straight edge or on a run out of a node's right side reach into the gap on the
/// right of the node's column, labels on a run out of the left side into the gap on
/// its left.
fn label_room(
    graph: &FlowGraph,
    grid: &Grid,
    labels: &[Option<LabelBox>],
    plans: &[RoutePlan],
    column_width: &[f64],
) -> (Vec<f64>, Vec<f64>) {
    let gap_count = grid.column_count + 1;
    let mut room_left = vec![0.0f64; gap_count];
    let mut room_right = vec![0.0f64; gap_count];
    for (edge, plan) in plans.iter().enumerate() {
        let Some(label) = &labels[edge] else { continue };
        if plan.kind == RouteKind::Skip {
            continue;
        }
        let column = grid.column[graph.edges[edge].from];
        match (plan.kind, plan.exit) {
            (RouteKind::Straight, _) => {
                let overflow = LABEL_OFFSET + label.width - column_width[column] / 2.0;
                room_left[column + 1] = room_left[column + 1].max(overflow + LABEL_OFFSET);
            }
            (_, Exit::Right) => {
                room_left[column + 1] = room_left[column + 1].max(label.width + 2.0 * LABEL_OFFSET)
            }
            (_, Exit::Left) => {
                room_right[column] = room_right[column].max(label.width + 2.0 * LABEL_OFFSET)
            }
            (_, Exit::Bottom) => {}
        }
    }
    (room_left, room_right)
}
