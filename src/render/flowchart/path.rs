//! Edge coordinates: turns each edge's plan on the grid into an orthogonal polyline
//! and places its label, once columns, rows and tracks have positions.

use super::columns::Columns;
use super::geometry::{LABEL_LIFT, LABEL_OFFSET, PlacedEdge, PlacedLabel, PlacedNode, Rect};
use super::graph::{FlowGraph, Shape};
use super::grid::Grid;
use super::measure::LabelBox;
use super::route::{Exit, RouteKind, RoutePlan};
use super::rows::Rows;
use super::tracks::{Channels, band_label_span};

/// Everything needed to turn route plans into coordinates.
pub(super) struct EdgePather<'a> {
    pub(super) graph: &'a FlowGraph,
    pub(super) grid: &'a Grid,
    pub(super) columns: &'a Columns,
    pub(super) rows: &'a Rows,
    pub(super) channels: &'a Channels,
    pub(super) nodes: &'a [PlacedNode],
}

impl EdgePather<'_> {
    /// Position of track `track` of channel `channel`.
    fn track_y(&self, channel: usize, track: usize) -> f64 {
        self.rows.channel_top[channel]
            + self.channels.track_y[channel]
                .get(track)
                .copied()
                .unwrap_or(0.0)
    }

    /// Where an exit `offset` from the middle of `node`'s bottom leaves its outline:
    /// on a diamond, up its lower edges; on a box, on its bottom edge.
    fn bottom_exit(&self, node: usize, offset: f64) -> (f64, f64) {
        let rect = &self.nodes[node].rect;
        let x = rect.cx() + offset;
        if self.graph.nodes[node].shape == Shape::Decision && offset != 0.0 {
            let rise = (offset.abs() / (rect.w / 2.0)).min(1.0);
            let outline_y = rect.bottom() - rise * rect.h / 2.0;
            // Down to the next half pixel, so the output stays exact with one decimal;
            // the gap under the outline is thinner than the outline's stroke.
            (x, (outline_y * 2.0).ceil() / 2.0)
        } else {
            (x, rect.bottom())
        }
    }

    /// The polyline of edge `edge` from its source's border to its target's, and its
    /// label placed beside the first segment or two.
    pub(super) fn edge(
        &self,
        edge: usize,
        plan: &RoutePlan,
        label: Option<LabelBox>,
    ) -> PlacedEdge {
        let e = &self.graph.edges[edge];
        let (source, target) = (&self.nodes[e.from].rect, &self.nodes[e.to].rect);
        let (source_rank, target_rank) = (self.grid.rank[e.from], self.grid.rank[e.to]);
        let (source_x, source_y, target_x) = (source.cx(), source.cy(), target.cx());
        let side = match plan.exit {
            Exit::Right => (source.right(), source_y),
            Exit::Left => (source.x, source_y),
            Exit::Bottom => (source_x, source.bottom()),
        };
        let mut points = Vec::with_capacity(6);
        let mut label_at: Option<(f64, f64)> = None;
        let label_width = label.as_ref().map_or(0.0, |l| l.width);
        let label_height = label.as_ref().map_or(0.0, |l| l.height);
        // A label on a run out of a side sits above the run, next to the node.
        let side_label = |x: f64| match plan.exit {
            Exit::Left => (
                x - LABEL_OFFSET - label_width,
                source_y - LABEL_LIFT - label_height,
            ),
            _ => (x + LABEL_OFFSET, source_y - LABEL_LIFT - label_height),
        };
        match plan.kind {
            RouteKind::Skip => {}
            RouteKind::Straight => {
                points.extend([(source_x, source.bottom()), (target_x, target.y)]);
                label_at = Some((
                    source_x + LABEL_OFFSET,
                    self.rows.channel_top[source_rank + 1] + plan.label_zone_y,
                ));
            }
            RouteKind::SideL => {
                points.extend([side, (target_x, source_y), (target_x, target.y)]);
                label_at = Some(side_label(side.0));
            }
            RouteKind::Z | RouteKind::Lane => {
                let lane_x = self.columns.lane_x(plan.gap, plan.lane);
                if plan.exit == Exit::Bottom {
                    let track_y = self.track_y(source_rank + 1, plan.first_track);
                    let end = if plan.kind == RouteKind::Z {
                        target_x
                    } else {
                        lane_x
                    };
                    let exit = self.bottom_exit(e.from, plan.exit_offset);
                    points.extend([exit, (exit.0, track_y), (end, track_y)]);
                    if let Some(l) = label.as_ref().filter(|_| !plan.bus) {
                        label_at = Some((
                            band_label_span(exit.0, end, l).0,
                            track_y - LABEL_LIFT - label_height,
                        ));
                    }
                } else {
                    points.extend([side, (lane_x, source_y)]);
                    label_at = Some(side_label(side.0));
                }
                if plan.kind == RouteKind::Lane {
                    let track_y = self.track_y(target_rank, plan.last_track);
                    points.extend([(lane_x, track_y), (target_x, track_y)]);
                    // A bus's label goes on the run off the bus, into its ending.
                    if let Some(l) = label.as_ref().filter(|_| plan.bus) {
                        label_at = Some((
                            band_label_span(lane_x, target_x, l).0,
                            track_y - LABEL_LIFT - label_height,
                        ));
                    }
                }
                points.push((target_x, target.y));
            }
        }
        simplify(&mut points);
        let label = match (label, label_at) {
            (Some(l), Some((x, y))) => Some(PlacedLabel {
                text_lines: l.lines,
                rect: Rect {
                    x,
                    y,
                    w: l.width,
                    h: l.height,
                },
            }),
            _ => None,
        };
        PlacedEdge { points, label }
    }
}

/// Drops repeated points and points in the middle of a straight run.
fn simplify(points: &mut Vec<(f64, f64)>) {
    points.dedup_by(|a, b| (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9);
    let mut i = 1;
    while i + 1 < points.len() {
        let (before, point, after) = (points[i - 1], points[i], points[i + 1]);
        let same_x = (before.0 - point.0).abs() < 1e-9 && (point.0 - after.0).abs() < 1e-9;
        let same_y = (before.1 - point.1).abs() < 1e-9 && (point.1 - after.1).abs() < 1e-9;
        if same_x || same_y {
            points.remove(i);
        } else {
            i += 1;
        }
    }
}
