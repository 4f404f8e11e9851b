//! Lanes: packs the lane routes of each gap between columns into vertical lanes side
//! by side, so that they nest instead of crossing.

use super::graph::FlowGraph;
use super::grid::Grid;
use super::route::{Exit, RouteKind, RoutePlan};

/// A lane route's need for a lane: spans in half-ranks, where the channel above row
/// `r` is `2r` and row `r` is `2r + 1`. Fields are in sorting order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct LaneRequest {
    gap: usize,
    /// What the lane is shared by: the target, or for a bus, its source (as
    /// `usize::MAX - source`, apart from every target).
    shared_by: usize,
    target: usize,
    lo: usize,
    hi: usize,
    edge: usize,
}

/// Lane requests into one target through one gap, which share a lane: they merge on
/// the way in anyway; or a bus's requests, which leave one node together. Fields are in sorting order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct LaneGroup {
    gap: usize,
    /// Whether the target is in the column right of the gap.
    serves_right: bool,
    len: usize,
    lo: usize,
    hi: usize,
    target: usize,
    /// Range of the group's requests in the sorted request list.
    requests: (usize, usize),
}

/// Packs the lane routes of each gap into vertical lanes; returns lanes per gap.
///
/// A lane serves the column its route enters, on the left or right of the gap.
/// Shorter routes get the lanes nearer that column, so that routes nest instead of
/// crossing each other's runs in and out of their lanes.
pub(super) fn assign_lanes(graph: &FlowGraph, grid: &Grid, plans: &mut [RoutePlan]) -> Vec<usize> {
    let requests = lane_requests(graph, grid, plans);
    let mut groups = group_requests(grid, &requests);
    groups.sort_unstable();
    let mut lanes_per_gap = vec![0usize; grid.column_count + 1];
    let mut first_group = 0;
    while let Some(gap) = groups.get(first_group).map(|g| g.gap) {
        let end = first_group
            + groups[first_group..]
                .iter()
                .take_while(|g| g.gap == gap)
                .count();
        let gap_groups = &groups[first_group..end];
        let (depth, [left_lanes, right_lanes]) = pack_gap(gap_groups);
        lanes_per_gap[gap] = left_lanes + right_lanes;
        for (group, &depth) in gap_groups.iter().zip(&depth) {
            // Left-serving lanes count from the gap's left edge, right-serving ones
            // from its right edge.
            let lane = if group.serves_right {
                left_lanes + right_lanes - 1 - depth
            } else {
                depth
            };
            for request in &requests[group.requests.0..group.requests.1] {
                plans[request.edge].lane = lane;
            }
        }
        first_group = end;
    }
    lanes_per_gap
}

/// The lane routes' requests, sorted.
fn lane_requests(graph: &FlowGraph, grid: &Grid, plans: &[RoutePlan]) -> Vec<LaneRequest> {
    let mut requests: Vec<LaneRequest> = Vec::new();
    for (edge, plan) in plans.iter().enumerate() {
        if plan.kind == RouteKind::Lane {
            let e = &graph.edges[edge];
            let (source_rank, target_rank) = (grid.rank[e.from], grid.rank[e.to]);
            // A bottom exit enters the lane from the channel below its source, a side
            // exit from the source's own row; the lane ends in the target's channel.
            let enters = if plan.exit == Exit::Bottom {
                2 * source_rank + 2
            } else {
                2 * source_rank + 1
            };
            let leaves = 2 * target_rank;
            requests.push(LaneRequest {
                gap: plan.gap,
                shared_by: if plan.bus { usize::MAX - e.from } else { e.to },
                target: e.to,
                lo: enters.min(leaves),
                hi: enters.max(leaves),
                edge,
            });
        }
    }
    requests.sort_unstable();
    requests
}

/// Merges the sorted requests into one group per gap and target.
fn group_requests(grid: &Grid, requests: &[LaneRequest]) -> Vec<LaneGroup> {
    let mut groups: Vec<LaneGroup> = Vec::new();
    let mut start = 0;
    while let Some(&first) = requests.get(start) {
        let (mut lo, mut hi) = (first.lo, first.hi);
        let mut end = start + 1;
        while let Some(request) = requests
            .get(end)
            .filter(|r| r.gap == first.gap && r.shared_by == first.shared_by)
        {
            lo = lo.min(request.lo);
            hi = hi.max(request.hi);
            end += 1;
        }
        groups.push(LaneGroup {
            gap: first.gap,
            serves_right: grid.column[first.target] >= first.gap,
            len: hi - lo,
            lo,
            hi,
            target: first.target,
            requests: (start, end),
        });
        start = end;
    }
    groups
}

/// Gives each group of one gap (sorted, shortest first on each side) the nearest lane
/// to the column it serves whose span is free: returns each group's depth (lanes
/// counted outwards from that column) and the number of lanes on each side.
fn pack_gap(groups: &[LaneGroup]) -> (Vec<usize>, [usize; 2]) {
    let mut depth = vec![0usize; groups.len()];
    let mut lane_counts = [0usize; 2];
    // Spans taken in each lane, counted outwards from the served column.
    let mut taken: Vec<Vec<(usize, usize)>> = Vec::new();
    for serves_right in [false, true] {
        taken.iter_mut().for_each(Vec::clear);
        for (index, group) in groups.iter().enumerate() {
            if group.serves_right != serves_right {
                continue;
            }
            let mut lane = 0;
            loop {
                if taken.len() <= lane {
                    taken.push(Vec::new());
                }
                if taken[lane]
                    .iter()
                    .all(|&(a, b)| b < group.lo || a > group.hi)
                {
                    break;
                }
                lane += 1;
            }
            taken[lane].push((group.lo, group.hi));
            depth[index] = lane;
            let count = &mut lane_counts[usize::from(serves_right)];
            *count = (*count).max(lane + 1);
        }
    }
    (depth, lane_counts)
}
