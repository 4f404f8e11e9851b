//! Fans: gives every labelled edge that leaves a node by its bottom a line of its
//! own, so that no trunk carries several answers' labels.
//!
//! Without this, all of a node's bottom exits would run down one shared line from
//! the middle of its bottom edge, their labels stacked beside it and the straight
//! edge's label reading as if it named them all. Instead, exits toward the right
//! leave from points spread to the right of the middle, the one going farthest
//! leaving farthest out, and likewise on the left; `tracks` then puts the exits
//! farther out on higher tracks, so the lines nest instead of crossing. The straight
//! edge down keeps the middle, its label beside it, and the exits on its label's side
//! start past the label. A node too narrow for its exits is widened.

use super::geometry::LABEL_OFFSET;
use super::graph::{FlowGraph, GroupedLists, Shape};
use super::grid::Grid;
use super::measure::{LabelBox, NodeBox, ending_radius};
use super::route::{Exit, RouteKind, RoutePlan};

/// Distance between neighbouring exits along a node's bottom.
const FAN_SPACING: f64 = 14.0;
/// Room between a straight edge's label and the first exit past it.
const LABEL_CLEARANCE: f64 = 8.0;
/// Least distance between the outermost exit and the end of a diamond's bottom
/// edges (its left and right corners), so that the exit does not leave from a side.
const DIAMOND_CORNER_CLEARANCE: f64 = 16.0;
/// Least distance between the outermost exit and a box's side or rounded corner.
const BOX_CORNER_CLEARANCE: f64 = 6.0;

/// Gives one side's exits, nearest first, offsets from `start` outwards (`sign` says
/// which way); the edges of one bus share an exit. Returns the farthest offset.
fn place_exits(exits: &[RunEnd], start: f64, sign: f64, plans: &mut [RoutePlan]) -> f64 {
    let mut offset = start - FAN_SPACING;
    let mut previous: Option<(usize, usize)> = None;
    for &(end, edge) in exits {
        let same_bus = plans[edge].bus && previous == Some(end);
        if !same_bus {
            offset += FAN_SPACING;
        }
        plans[edge].exit_offset = sign * offset;
        previous = plans[edge].bus.then_some(end);
    }
    if exits.is_empty() { 0.0 } else { offset }
}

/// Where an exit's run ends along the row (see [`run_end_position`]), and its edge.
type RunEnd = ((usize, usize), usize);

/// Sets [`RoutePlan::exit_offset`] for the bottom exits of every node that has two or
/// more lines leaving its bottom with a label, and widens nodes to hold them.
pub(super) fn spread_exits(
    graph: &FlowGraph,
    grid: &Grid,
    out_edges: &GroupedLists,
    labels: &[Option<LabelBox>],
    plans: &mut [RoutePlan],
    boxes: &mut [NodeBox],
) {
    for (node, node_box) in boxes.iter_mut().enumerate() {
        let edges = out_edges.get(node);
        let straight = edges
            .iter()
            .find(|&&edge| plans[edge].kind == RouteKind::Straight);
        let straight_label_width =
            straight.and_then(|&edge| labels[edge].as_ref().map(|l| l.width));
        let node_position = 2 * grid.column[node] + 1;
        // (where the exit's line goes along the row, edge), by side.
        let (mut right, mut left): (Vec<RunEnd>, Vec<RunEnd>) = edges
            .iter()
            .filter(|&&edge| {
                let plan = &plans[edge];
                labels[edge].is_some()
                    && plan.exit == Exit::Bottom
                    && matches!(plan.kind, RouteKind::Z | RouteKind::Lane)
            })
            .map(|&edge| (run_end_position(graph, grid, &plans[edge], edge), edge))
            .partition(|&((position, _), _)| position > node_position);
        let buses = |side: &[RunEnd]| {
            side.iter()
                .filter(|&&(_, edge)| plans[edge].bus)
                .count()
                .saturating_sub(1)
        };
        let exits = right.len() + left.len() - buses(&right) - buses(&left);
        if exits + usize::from(straight.is_some()) < 2 {
            continue;
        }
        // Nearest first on each side, so the farthest-going exit leaves farthest out.
        right.sort_unstable();
        left.sort_unstable_by(|a, b| b.cmp(a));
        let right_start = straight_label_width
            .map_or(FAN_SPACING, |width| LABEL_OFFSET + width + LABEL_CLEARANCE);
        let widest = place_exits(&right, right_start, 1.0, plans).max(place_exits(
            &left,
            FAN_SPACING,
            -1.0,
            plans,
        ));
        let clearance = match graph.nodes[node].shape {
            Shape::Decision => DIAMOND_CORNER_CLEARANCE,
            Shape::Stage => BOX_CORNER_CLEARANCE,
            Shape::Ending => BOX_CORNER_CLEARANCE + ending_radius(node_box.height),
        };
        let needed = 2.0 * (widest + clearance);
        if needed > node_box.width {
            // Even, as every measured size is (see `measure`).
            node_box.width = (needed / 2.0).ceil() * 2.0;
        }
    }
}

/// Where along the row an exit's horizontal run ends, in the row positions of
/// `route` (a column's centre is `2c + 1`, the gap left of it `2c`), then its lane
/// in the gap, which grows to the right.
fn run_end_position(
    graph: &FlowGraph,
    grid: &Grid,
    plan: &RoutePlan,
    edge: usize,
) -> (usize, usize) {
    if plan.kind == RouteKind::Z {
        (2 * grid.column[graph.edges[edge].to] + 1, 0)
    } else {
        (2 * plan.gap, plan.lane)
    }
}
