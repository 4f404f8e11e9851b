//! The layout pipeline: runs the stages in order, from the graph to placed nodes,
//! edges and labels.
//!
//! Nodes sit on a grid: one rank (row) per step of the longest path from the start
//! ([`rank`](super::rank)), and columns filled by "chains", runs of nodes that follow
//! one another ([`grid`](super::grid)). Every cell holds at most one node, and the
//! bands between rows ("channels") and between columns ("gaps") hold no nodes at all.
//! Edges only ever run through a node's own cell, through empty cells, or through
//! channels and gaps, so they cannot cross a box. The route of each edge is chosen on
//! the grid first ([`route`](super::route), [`lanes`](super::lanes)) and turned into
//! coordinates ([`path`](super::path)) once the sizes of gaps
//! ([`columns`](super::columns)), channels ([`tracks`](super::tracks)) and rows
//! ([`rows`](super::rows)), which depend on how many edges and labels they carry, are
//! known.

use super::columns::{Columns, place_columns};
use super::fan::spread_exits;
use super::geometry::{Bounds, Layout, MARGIN, PlacedEdge, PlacedNode, Rect};
use super::graph::{FlowGraph, GroupedLists};
use super::grid::{Grid, assign_columns};
use super::lanes::assign_lanes;
use super::measure::{LabelBox, NodeBox, measure_label, measure_node};
use super::path::EdgePather;
use super::rank::Ranking;
use super::route::{RouteKind, plan_routes};
use super::rows::{Rows, place_rows};
use super::tracks::assign_tracks;

/// Lays out `graph` as a top-to-bottom flowchart.
///
/// Never panics: edges that name missing nodes and self-loops are left undrawn, edges
/// that close a cycle are routed upwards around the boxes, and unreachable nodes get
/// columns of their own.
pub fn layout(graph: &FlowGraph) -> Layout {
    let node_count = graph.nodes.len();
    let mut placed_edges: Vec<PlacedEdge> = vec![PlacedEdge::default(); graph.edges.len()];
    if node_count == 0 {
        return Layout {
            width: 2.0 * MARGIN,
            height: 2.0 * MARGIN,
            nodes: Vec::new(),
            edges: placed_edges,
            main_route: Vec::new(),
        };
    }
    let start = if graph.start < node_count {
        graph.start
    } else {
        0
    };
    let drawable_edges: Vec<(usize, usize)> = graph
        .edges
        .iter()
        .enumerate()
        .filter(|(_, e)| graph.is_drawable(e))
        .map(|(edge, e)| (e.from, edge))
        .collect();
    let out_edges = GroupedLists::build(node_count, &drawable_edges);
    let ranking = Ranking::new(graph, out_edges, start);
    let main_route = ranking.main_route(graph, start);
    let grid = assign_columns(graph, &ranking, &main_route);

    let mut boxes: Vec<NodeBox> = graph.nodes.iter().map(measure_node).collect();
    let labels: Vec<Option<LabelBox>> = graph
        .edges
        .iter()
        .map(|e| {
            e.label
                .as_deref()
                .filter(|_| graph.is_drawable(e))
                .and_then(measure_label)
        })
        .collect();

    let mut plans = plan_routes(graph, &grid, &ranking.out_edges, &ranking.is_bus);
    let lanes_per_gap = assign_lanes(graph, &grid, &mut plans);
    spread_exits(
        graph,
        &grid,
        &ranking.out_edges,
        &labels,
        &mut plans,
        &mut boxes,
    );
    let columns = place_columns(graph, &grid, &boxes, &labels, &plans, &lanes_per_gap);
    let channels = assign_tracks(graph, &grid, &columns, &labels, &mut plans);
    let rows = place_rows(graph, &grid, &boxes, &labels, &plans, &channels);

    let mut nodes = place_nodes(boxes, &grid, &columns, &rows);
    let pather = EdgePather {
        graph,
        grid: &grid,
        columns: &columns,
        rows: &rows,
        channels: &channels,
        nodes: &nodes,
    };
    for (edge, (plan, label)) in plans.iter().zip(labels).enumerate() {
        if plan.kind != RouteKind::Skip {
            placed_edges[edge] = pather.edge(edge, plan, label);
        }
    }

    let bounds = move_to_margin(&mut nodes, &mut placed_edges);
    Layout {
        width: bounds.max_x - bounds.min_x + 2.0 * MARGIN,
        height: bounds.max_y - bounds.min_y + 2.0 * MARGIN,
        nodes,
        edges: placed_edges,
        main_route,
    }
}

/// Each node centred in its cell.
fn place_nodes(
    boxes: Vec<NodeBox>,
    grid: &Grid,
    columns: &Columns,
    rows: &Rows,
) -> Vec<PlacedNode> {
    boxes
        .into_iter()
        .enumerate()
        .map(|(node, node_box)| {
            let (rank, column) = (grid.rank[node], grid.column[node]);
            PlacedNode {
                rect: Rect {
                    x: columns.center[column] - node_box.width / 2.0,
                    y: rows.row_top[rank] + (rows.row_height[rank] - node_box.height) / 2.0,
                    w: node_box.width,
                    h: node_box.height,
                },
                lines: node_box.lines,
                label_lines: node_box.label_lines,
                rank,
                column,
            }
        })
        .collect()
}

/// Moves everything so the drawing starts at the margin on both axes (labels may reach
/// past the outermost columns); returns the bounds from before the move.
fn move_to_margin(nodes: &mut [PlacedNode], edges: &mut [PlacedEdge]) -> Bounds {
    let mut bounds = Bounds::default();
    for node in nodes.iter() {
        bounds.add_rect(&node.rect);
    }
    for edge in edges.iter() {
        for &(x, y) in &edge.points {
            bounds.add(x, y);
        }
        if let Some(label) = &edge.label {
            bounds.add_rect(&label.rect);
        }
    }
    let dx = MARGIN - bounds.min_x;
    let dy = MARGIN - bounds.min_y;
    for node in nodes.iter_mut() {
        node.rect.x += dx;
        node.rect.y += dy;
    }
    for edge in edges.iter_mut() {
        for point in &mut edge.points {
            point.0 += dx;
            point.1 += dy;
        }
        if let Some(label) = &mut edge.label {
            label.rect.x += dx;
            label.rect.y += dy;
        }
    }
    bounds
}

#[cfg(test)]
pub(crate) mod tests;
