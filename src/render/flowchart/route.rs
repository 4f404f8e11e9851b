//! Routing on the grid: picks the shape of every edge's route (straight down, out of a
//! side, across a channel, or around through a lane) before any coordinates exist.

use super::graph::{FlowGraph, GroupedLists};
use super::grid::Grid;

/// Shape of an edge's route.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum RouteKind {
    /// Not drawn.
    Skip,
    /// Bottom of the source straight down to the top of the target in the same column.
    Straight,
    /// Out of the source's side along its row, then down the target's column (an L).
    SideL,
    /// Down into the channel below the source, across, and down the target's column
    /// (a Z).
    Z,
    /// Out to a vertical lane in a gap between columns, along it to the channel above
    /// the target, across, and down into the target.
    Lane,
}

/// Where an edge leaves its source.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Exit {
    Bottom,
    Right,
    Left,
}

/// How one edge is routed on the grid, before coordinates exist.
#[derive(Clone, Copy, Debug)]
pub(super) struct RoutePlan {
    pub(super) kind: RouteKind,
    pub(super) exit: Exit,
    /// Gap (between columns) whose lane a [`RouteKind::Lane`] route runs down; gap
    /// `c` is left of column `c`.
    pub(super) gap: usize,
    /// Lane within the gap, counted from its left edge (set by `lanes`).
    pub(super) lane: usize,
    /// Track of the horizontal run in the channel below the source (set by `tracks`).
    pub(super) first_track: usize,
    /// Track of the horizontal run in the channel above the target (set by `tracks`).
    pub(super) last_track: usize,
    /// Offset of a label beside a straight edge from the top of its channel (set by
    /// `tracks`).
    pub(super) label_zone_y: f64,
    /// Horizontal distance of a bottom exit from the middle of its source (set by
    /// `fan`; zero for every other edge).
    pub(super) exit_offset: f64,
    /// Whether the edge leads to one of a node's stacked endings: it shares a lane
    /// (the bus) with the node's other such edges, and its label goes on its own
    /// last run, into its ending.
    pub(super) bus: bool,
}

/// The plan of an edge that is not drawn, and the base the others start from.
pub(super) const UNROUTED: RoutePlan = RoutePlan {
    kind: RouteKind::Skip,
    exit: Exit::Bottom,
    gap: 0,
    lane: 0,
    first_track: 0,
    last_track: 0,
    label_zone_y: 0.0,
    exit_offset: 0.0,
    bus: false,
};

/// The pair in ascending order.
fn span(a: usize, b: usize) -> (usize, usize) {
    (a.min(b), a.max(b))
}

/// Whether a horizontal run along a row would share a stretch with one already there.
///
/// Positions along a row are integers: column `c`'s centre is `2c + 1` and the gap
/// left of column `c` is `2c`. Runs that meet at a column centre are fine (either both
/// leave one node, or both turn down into the same one); runs meeting in a gap could
/// overlap there, since where each turns inside the gap is only decided later.
fn row_conflict(reserved: &[(usize, usize)], (lo, hi): (usize, usize)) -> bool {
    reserved.iter().any(|&(a, b)| {
        let overlap_lo = a.max(lo);
        let overlap_hi = b.min(hi);
        overlap_lo < overlap_hi || (overlap_lo == overlap_hi && overlap_lo % 2 == 0)
    })
}

/// Row position of column `column`'s centre (see [`row_conflict`]).
fn centre_position(column: usize) -> usize {
    2 * column + 1
}

/// Row position of gap `gap`, left of column `gap` (see [`row_conflict`]).
fn gap_position(gap: usize) -> usize {
    2 * gap
}

/// Plans every edge; edges that cannot be drawn keep [`UNROUTED`].
///
/// Each node's edges are planned in order of preference: straight down its column,
/// then out of its sides (one edge per side), then a Z through the channel below it,
/// and what is left through a lane.
pub(super) fn plan_routes(
    graph: &FlowGraph,
    grid: &Grid,
    out_edges: &GroupedLists,
    is_bus: &[bool],
) -> Vec<RoutePlan> {
    let node_count = graph.nodes.len();
    let mut planner = Planner {
        graph,
        grid,
        plans: vec![UNROUTED; graph.edges.len()],
        row_runs: vec![Vec::new(); grid.rank_count],
        right_side_taken: vec![false; node_count],
        left_side_taken: vec![false; node_count],
        lanes_in_gap: vec![0usize; grid.column_count + 1],
    };
    for node in 0..node_count {
        let edges = out_edges.get(node);
        planner.plan_straight(node, edges);
        planner.plan_bus(node, edges, is_bus);
        for exit in [Exit::Right, Exit::Left] {
            planner.plan_side(node, edges, exit);
        }
        planner.plan_z(node, edges);
        planner.plan_lanes(node, edges);
    }
    planner.plans
}

/// Route planning in progress.
struct Planner<'a> {
    graph: &'a FlowGraph,
    grid: &'a Grid,
    plans: Vec<RoutePlan>,
    /// Horizontal runs already along each row, in row positions (see [`row_conflict`]).
    row_runs: Vec<Vec<(usize, usize)>>,
    right_side_taken: Vec<bool>,
    left_side_taken: Vec<bool>,
    /// Lane routes planned through each gap so far.
    lanes_in_gap: Vec<usize>,
}

impl Planner<'_> {
    /// Rank and column of an edge's target.
    fn target_cell(&self, edge: usize) -> (usize, usize, usize) {
        let target = self.graph.edges[edge].to;
        (target, self.grid.rank[target], self.grid.column[target])
    }

    fn take_side(&mut self, node: usize, exit: Exit) {
        if exit == Exit::Right {
            self.right_side_taken[node] = true;
        } else {
            self.left_side_taken[node] = true;
        }
    }

    /// Edges to stacked endings (see `rank`) not reached straight down: out of the
    /// bottom into the one lane of their side, the bus.
    fn plan_bus(&mut self, node: usize, edges: &[usize], is_bus: &[bool]) {
        let node_column = self.grid.column[node];
        for &edge in edges {
            if !is_bus[edge] || self.plans[edge].kind != RouteKind::Skip {
                continue;
            }
            let (_, _, target_column) = self.target_cell(edge);
            let gap = if target_column > node_column {
                node_column + 1
            } else {
                node_column
            };
            self.lanes_in_gap[gap] += 1;
            self.plans[edge] = RoutePlan {
                kind: RouteKind::Lane,
                exit: Exit::Bottom,
                gap,
                bus: true,
                ..UNROUTED
            };
        }
    }

    /// Edges to a node below in the same column, with nothing in between.
    fn plan_straight(&mut self, node: usize, edges: &[usize]) {
        let (node_rank, node_column) = (self.grid.rank[node], self.grid.column[node]);
        for &edge in edges {
            let (_, target_rank, target_column) = self.target_cell(edge);
            if target_rank > node_rank
                && target_column == node_column
                && !self
                    .grid
                    .occupied_between(node_column, node_rank, target_rank)
            {
                self.plans[edge].kind = RouteKind::Straight;
            }
        }
    }

    /// Whether an L from `node` along its row and down into `target` is clear: no
    /// node on the row between them, none above the target in its column, and no run
    /// already on that stretch of the row.
    fn side_l_clear(&self, node: usize, target: usize) -> bool {
        let grid = self.grid;
        let (node_rank, node_column) = (grid.rank[node], grid.column[node]);
        let (target_rank, target_column) = (grid.rank[target], grid.column[target]);
        let (lo, hi) = span(node_column, target_column);
        (lo..=hi).all(|c| c == node_column || grid.node_at(c, node_rank).is_none())
            && !grid.occupied_between(target_column, node_rank, target_rank)
            && !row_conflict(
                &self.row_runs[node_rank],
                span(centre_position(node_column), centre_position(target_column)),
            )
    }

    /// The L out of the `exit` side. A side leads to one target only; give it to the
    /// farthest one that can take it, so that nearer ones (reached from below) are not
    /// crossed by it.
    fn plan_side(&mut self, node: usize, edges: &[usize], exit: Exit) {
        let (node_rank, node_column) = (self.grid.rank[node], self.grid.column[node]);
        let mut best: Option<(usize, usize)> = None;
        for &edge in edges {
            let (target, target_rank, target_column) = self.target_cell(edge);
            let toward = match exit {
                Exit::Right => target_column > node_column,
                Exit::Left => target_column < node_column,
                Exit::Bottom => false,
            };
            if self.plans[edge].kind != RouteKind::Skip
                || !toward
                || target_rank <= node_rank
                || !self.side_l_clear(node, target)
            {
                continue;
            }
            let distance = node_column.abs_diff(target_column);
            if best.is_none_or(|(best_distance, _)| distance > best_distance) {
                best = Some((distance, edge));
            }
        }
        if let Some((_, edge)) = best {
            let (_, _, target_column) = self.target_cell(edge);
            self.plans[edge].kind = RouteKind::SideL;
            self.plans[edge].exit = exit;
            self.row_runs[node_rank].push(span(
                centre_position(node_column),
                centre_position(target_column),
            ));
            self.take_side(node, exit);
        }
    }

    /// Edges to a node below in another column, with nothing above it in its column:
    /// across the channel below `node` and straight down.
    fn plan_z(&mut self, node: usize, edges: &[usize]) {
        let (node_rank, node_column) = (self.grid.rank[node], self.grid.column[node]);
        for &edge in edges {
            let (_, target_rank, target_column) = self.target_cell(edge);
            if self.plans[edge].kind == RouteKind::Skip
                && target_rank > node_rank
                && target_column != node_column
                && !self
                    .grid
                    .occupied_between(target_column, node_rank, target_rank)
            {
                self.plans[edge].kind = RouteKind::Z;
            }
        }
    }

    /// Every edge still unplanned goes through a lane in the gap beside `node`: out of
    /// a free side if its run along the row is clear, else out of the bottom.
    fn plan_lanes(&mut self, node: usize, edges: &[usize]) {
        let (node_rank, node_column) = (self.grid.rank[node], self.grid.column[node]);
        for &edge in edges {
            if self.plans[edge].kind != RouteKind::Skip {
                continue;
            }
            let (_, _, target_column) = self.target_cell(edge);
            let right = (Exit::Right, node_column + 1);
            let left = (Exit::Left, node_column);
            let options = if target_column > node_column {
                [Some(right), None]
            } else if target_column < node_column {
                [Some(left), None]
            } else {
                [Some(right), Some(left)]
            };
            let mut chosen = None;
            for (exit, gap) in options.into_iter().flatten() {
                let taken = if exit == Exit::Right {
                    self.right_side_taken[node]
                } else {
                    self.left_side_taken[node]
                };
                let run = span(centre_position(node_column), gap_position(gap));
                if !taken && !row_conflict(&self.row_runs[node_rank], run) {
                    chosen = Some((exit, gap, run));
                    break;
                }
            }
            let (exit, gap) = match chosen {
                Some((exit, gap, run)) => {
                    self.row_runs[node_rank].push(run);
                    self.take_side(node, exit);
                    (exit, gap)
                }
                None => {
                    // Out of the bottom: toward the target, or for a target in the
                    // same column (an edge back up), the gap with fewer lanes so far.
                    let gap = if target_column > node_column
                        || (target_column == node_column
                            && self.lanes_in_gap[node_column + 1] <= self.lanes_in_gap[node_column])
                    {
                        node_column + 1
                    } else {
                        node_column
                    };
                    (Exit::Bottom, gap)
                }
            };
            self.lanes_in_gap[gap] += 1;
            self.plans[edge] = RoutePlan {
                kind: RouteKind::Lane,
                exit,
                gap,
                ..UNROUTED
            };
        }
    }
}
