//! Vertical placement: the height of every row (its tallest node, or the labels on
//! runs out of its nodes' sides) and, with the channels between rows, their y
//! positions.

use super::geometry::LABEL_LIFT;
use super::graph::FlowGraph;
use super::grid::Grid;
use super::measure::{LabelBox, NodeBox};
use super::route::{Exit, RouteKind, RoutePlan};
use super::tracks::Channels;

/// Vertical positions of rows and channels.
pub(super) struct Rows {
    pub(super) row_top: Vec<f64>,
    pub(super) row_height: Vec<f64>,
    /// Top of each channel; channel `r` is above row `r`.
    pub(super) channel_top: Vec<f64>,
}

/// Sizes the rows and stacks them with the channels, from the top.
pub(super) fn place_rows(
    graph: &FlowGraph,
    grid: &Grid,
    boxes: &[NodeBox],
    labels: &[Option<LabelBox>],
    plans: &[RoutePlan],
    channels: &Channels,
) -> Rows {
    let rank_count = grid.rank_count;
    let mut row_height = vec![0.0f64; rank_count];
    for (node, node_box) in boxes.iter().enumerate() {
        let rank = grid.rank[node];
        row_height[rank] = row_height[rank].max(node_box.height);
    }
    // A label on a run out of a node's side sits above the run, inside the row.
    for (edge, plan) in plans.iter().enumerate() {
        if let (Some(label), Exit::Left | Exit::Right) = (&labels[edge], plan.exit)
            && plan.kind != RouteKind::Skip
        {
            let rank = grid.rank[graph.edges[edge].from];
            row_height[rank] = row_height[rank].max(2.0 * (label.height + LABEL_LIFT + 2.0));
        }
    }
    let mut row_top = vec![0.0; rank_count];
    let mut channel_top = vec![0.0; rank_count + 1];
    let mut y = 0.0;
    for rank in 0..rank_count {
        channel_top[rank] = y;
        y += channels.height[rank];
        row_top[rank] = y;
        y += row_height[rank];
    }
    channel_top[rank_count] = y;
    Rows {
        row_top,
        row_height,
        channel_top,
    }
}
