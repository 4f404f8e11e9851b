//! Channels: stacks the horizontal runs of edges through each channel (the band
//! between two rows) onto tracks that do not overlap, with room for the labels that
//! sit on them, and so sizes every channel.

use super::columns::Columns;
use super::geometry::{LABEL_LIFT, LABEL_OFFSET, MARGIN};
use super::graph::FlowGraph;
use super::grid::Grid;
use super::measure::LabelBox;
use super::route::{Exit, RouteKind, RoutePlan};

/// Where the first label beside a vertical line starts, below the top of its channel.
pub(super) const ZONE_TOP: f64 = 4.0;
/// Distance between neighbouring tracks in a channel.
const TRACK_SPACING: f64 = 12.0;
/// Horizontal clearance between two edges that share a track.
const TRACK_SEPARATION: f64 = 8.0;
/// Room between the top of a channel (or its labels) and its first track.
const CHANNEL_TOP_PAD: f64 = 12.0;
/// Leaves room for the arrowhead on the last segment into a node.
const CHANNEL_BOTTOM_PAD: f64 = 18.0;
/// Least height of a channel between two rows.
const MIN_CHANNEL: f64 = 44.0;

/// Which runs share a track: runs into one node, runs out of the bottom of one node,
/// the one run of an edge that carries its label, or the runs of one node's bus to
/// one gap. Ordered as listed.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum TrackKey {
    Into(usize),
    OutOf(usize),
    Labelled(usize),
    Bus(usize, usize),
}

/// A horizontal run of an edge through a channel.
struct ChannelRun {
    channel: usize,
    key: TrackKey,
    x1: f64,
    x2: f64,
    /// Column whose centre the run leaves from, coming down out of a node above.
    stub: Option<usize>,
    /// Column whose centre the run drops from, down into a node below.
    drop: Option<usize>,
    /// Height of the label that sits on the run.
    label_height: f64,
    edge: usize,
    /// Whether this is the run below the edge's source (else the one above its target).
    first: bool,
    /// Source and exit offset of a run leaving a fanned exit (see `fan`).
    fan: Option<(usize, f64)>,
    /// For the run off a bus into its ending, the bus's key.
    off_bus: Option<TrackKey>,
}

/// Runs of one channel with the same key, which share a track.
struct RunGroup {
    x1: f64,
    x2: f64,
    stubs: Vec<usize>,
    drops: Vec<usize>,
    key: TrackKey,
    /// Source and exit offset of a fanned exit's run, which is alone in its group.
    fan: Option<(usize, f64)>,
    /// For runs off a bus into an ending (one run: the ending has no other way in),
    /// the bus's key.
    off_bus: Option<TrackKey>,
    /// The group's runs in the sorted run list.
    runs: std::ops::Range<usize>,
}

impl RunGroup {
    /// Whether `self` must sit above `below`: a drop of `below` would otherwise run
    /// along the same stretch of column centre as a stub of `self`.
    /// Of two fanned exits out of one node on one side, the one farther out goes
    /// farther along the row, so it must be above, or the lines would cross.
    fn must_be_above(&self, below: &RunGroup) -> bool {
        let fanned_farther_out = match (self.fan, below.fan) {
            (Some((source, offset)), Some((below_source, below_offset))) => {
                source == below_source
                    && (offset > 0.0) == (below_offset > 0.0)
                    && offset.abs() > below_offset.abs()
            }
            _ => false,
        };
        // A bus runs to its lane above the runs off it, so that they branch off
        // below where it joins.
        let bus_above_its_branch = below.off_bus == Some(self.key);
        fanned_farther_out
            || bus_above_its_branch
            || self.stubs.iter().any(|s| below.drops.contains(s))
    }
}

/// A label beside a straight edge, stacked under its source in the channel below.
struct ZoneLabel {
    channel: usize,
    x: f64,
    width: f64,
    height: f64,
    edge: usize,
}

/// Vertical layout of each channel, relative to its top.
pub(super) struct Channels {
    /// Position of each track of each channel.
    pub(super) track_y: Vec<Vec<f64>>,
    pub(super) height: Vec<f64>,
}

/// Label that goes on the first horizontal run of a bottom exit, going right or left.
pub(super) fn band_label_span(source_x: f64, run_end: f64, label: &LabelBox) -> (f64, f64) {
    if run_end >= source_x {
        (
            source_x + LABEL_OFFSET,
            source_x + LABEL_OFFSET + label.width,
        )
    } else {
        (
            source_x - LABEL_OFFSET - label.width,
            source_x - LABEL_OFFSET,
        )
    }
}

/// Puts every horizontal run on a track and sizes the channels; records in `plans`
/// the tracks of each edge and where labels beside straight edges go.
pub(super) fn assign_tracks(
    graph: &FlowGraph,
    grid: &Grid,
    columns: &Columns,
    labels: &[Option<LabelBox>],
    plans: &mut [RoutePlan],
) -> Channels {
    let channel_count = grid.rank_count + 1;
    let (runs, mut zone_labels) = collect_runs(graph, grid, columns, labels, plans);
    zone_labels.sort_by(|a, b| {
        a.channel
            .cmp(&b.channel)
            .then(a.x.total_cmp(&b.x))
            .then(a.edge.cmp(&b.edge))
    });

    let mut track_y: Vec<Vec<f64>> = vec![Vec::new(); channel_count];
    let mut height = vec![0.0f64; channel_count];
    let mut run_track = vec![0usize; runs.len()];
    let mut stacker = TrackStacker::default();
    let mut next_zone_label = 0;
    let mut next_run = 0;
    for channel in 0..channel_count {
        let first_zone_label = next_zone_label;
        while zone_labels
            .get(next_zone_label)
            .is_some_and(|label| label.channel == channel)
        {
            next_zone_label += 1;
        }
        let zone_height = stack_zone_labels(&zone_labels[first_zone_label..next_zone_label], plans);

        let first_run = next_run;
        while next_run < runs.len() && runs[next_run].channel == channel {
            next_run += 1;
        }
        let label_heights = stacker.assign(&runs, first_run..next_run, &mut run_track);

        let is_outer = channel == 0 || channel + 1 == channel_count;
        let (ys, channel_height) = stack_channel(zone_height, &label_heights, is_outer);
        track_y[channel] = ys;
        height[channel] = channel_height;
    }
    for (index, run) in runs.iter().enumerate() {
        if run.first {
            plans[run.edge].first_track = run_track[index];
        } else {
            plans[run.edge].last_track = run_track[index];
        }
    }
    Channels { track_y, height }
}

/// The horizontal runs of all edges, sorted by channel, key and position; and the
/// labels beside straight edges.
fn collect_runs(
    graph: &FlowGraph,
    grid: &Grid,
    columns: &Columns,
    labels: &[Option<LabelBox>],
    plans: &[RoutePlan],
) -> (Vec<ChannelRun>, Vec<ZoneLabel>) {
    let mut runs: Vec<ChannelRun> = Vec::new();
    let mut zone_labels: Vec<ZoneLabel> = Vec::new();
    for (edge, plan) in plans.iter().enumerate() {
        if plan.kind == RouteKind::Skip {
            continue;
        }
        let e = &graph.edges[edge];
        let (source, target) = (e.from, e.to);
        let (source_rank, source_column) = (grid.rank[source], grid.column[source]);
        let (target_rank, target_column) = (grid.rank[target], grid.column[target]);
        let (source_x, target_x) = (columns.center[source_column], columns.center[target_column]);
        let label = labels[edge].as_ref();
        match plan.kind {
            RouteKind::Skip | RouteKind::SideL => {}
            RouteKind::Straight => {
                if let Some(label) = label {
                    zone_labels.push(ZoneLabel {
                        channel: source_rank + 1,
                        x: source_x + LABEL_OFFSET,
                        width: label.width,
                        height: label.height,
                        edge,
                    });
                }
            }
            RouteKind::Z | RouteKind::Lane => {
                let lane_x = columns.lane_x(plan.gap, plan.lane);
                if plan.kind == RouteKind::Z || plan.exit == Exit::Bottom {
                    let source_x = source_x + plan.exit_offset;
                    let end = if plan.kind == RouteKind::Z {
                        target_x
                    } else {
                        lane_x
                    };
                    let (mut x1, mut x2) = (source_x.min(end), source_x.max(end));
                    // A bus's labels go on its last runs, into its endings.
                    let label = label.filter(|_| !plan.bus);
                    if let Some(label) = label {
                        let (a, b) = band_label_span(source_x, end, label);
                        x1 = x1.min(a);
                        x2 = x2.max(b);
                    }
                    let key = match (label, plan.kind) {
                        _ if plan.bus => TrackKey::Bus(source, plan.gap),
                        (Some(_), _) => TrackKey::Labelled(edge),
                        (None, RouteKind::Z) => TrackKey::Into(target),
                        (None, _) => TrackKey::OutOf(source),
                    };
                    runs.push(ChannelRun {
                        channel: source_rank + 1,
                        key,
                        x1,
                        x2,
                        stub: Some(source_column),
                        drop: (plan.kind == RouteKind::Z).then_some(target_column),
                        label_height: label.map_or(0.0, |l| l.height),
                        edge,
                        first: true,
                        fan: (plan.exit_offset != 0.0).then_some((source, plan.exit_offset)),
                        off_bus: None,
                    });
                }
                if plan.kind == RouteKind::Lane {
                    let bus_label = label.filter(|_| plan.bus);
                    let (mut x1, mut x2) = (lane_x.min(target_x), lane_x.max(target_x));
                    if let Some(label) = bus_label {
                        let (a, b) = band_label_span(lane_x, target_x, label);
                        x1 = x1.min(a);
                        x2 = x2.max(b);
                    }
                    runs.push(ChannelRun {
                        channel: target_rank,
                        key: TrackKey::Into(target),
                        x1,
                        x2,
                        stub: None,
                        drop: Some(target_column),
                        label_height: bus_label.map_or(0.0, |l| l.height),
                        edge,
                        first: false,
                        fan: None,
                        off_bus: plan.bus.then_some(TrackKey::Bus(source, plan.gap)),
                    });
                }
            }
        }
    }
    runs.sort_by(|a, b| {
        (a.channel, a.key)
            .cmp(&(b.channel, b.key))
            .then(a.x1.total_cmp(&b.x1))
            .then(a.edge.cmp(&b.edge))
    });
    (runs, zone_labels)
}

/// Stacks one channel's labels beside straight edges where they would collide,
/// records their offsets in `plans`, and returns the height they take.
fn stack_zone_labels(zone_labels: &[ZoneLabel], plans: &mut [RoutePlan]) -> f64 {
    // (x, y, width, height) of the labels stacked so far.
    let mut stacked: Vec<(f64, f64, f64, f64)> = Vec::new();
    let mut zone_height = 0.0f64;
    for label in zone_labels {
        let (x, w, h) = (label.x, label.width, label.height);
        // Move down past every stacked label it would touch (with 4 px clearance
        // across and 2 px down), until it touches none.
        let mut y = 0.0;
        while let Some(&(_, other_y, _, other_h)) = stacked.iter().find(|&&(ox, oy, ow, oh)| {
            ox < x + w + 4.0 && x < ox + ow + 4.0 && oy < y + h + 2.0 && y < oy + oh + 2.0
        }) {
            y = other_y + other_h + 2.0;
        }
        stacked.push((x, y, w, h));
        plans[label.edge].label_zone_y = ZONE_TOP + y;
        zone_height = zone_height.max(y + h);
    }
    zone_height
}

/// Assigns one channel's runs to tracks, reusing its buffers from channel to channel.
#[derive(Default)]
struct TrackStacker {
    groups: Vec<RunGroup>,
    /// How many groups must be above each group (its level in the order of tracks).
    level: Vec<usize>,
    order: Vec<usize>,
    track_of: Vec<usize>,
    /// Stretches taken on each track.
    occupied: Vec<Vec<(f64, f64)>>,
}

impl TrackStacker {
    /// Puts the runs `channel_runs` (one channel's) on tracks, recorded in `run_track`;
    /// returns for each track the height of the tallest label on it.
    fn assign(
        &mut self,
        runs: &[ChannelRun],
        channel_runs: std::ops::Range<usize>,
        run_track: &mut [usize],
    ) -> Vec<f64> {
        self.group(runs, channel_runs);
        self.order_groups();
        let track_count = self.pick_tracks();
        let mut label_heights = vec![0.0f64; track_count];
        for (index, group) in self.groups.iter().enumerate() {
            let track = self.track_of[index];
            for run in group.runs.clone() {
                run_track[run] = track;
                label_heights[track] = label_heights[track].max(runs[run].label_height);
            }
        }
        label_heights
    }

    /// Groups the sorted runs by key.
    fn group(&mut self, runs: &[ChannelRun], channel_runs: std::ops::Range<usize>) {
        self.groups.clear();
        let end = channel_runs.end;
        let mut next = channel_runs.start;
        while next < end {
            let key = runs[next].key;
            let mut group = RunGroup {
                x1: f64::INFINITY,
                x2: f64::NEG_INFINITY,
                stubs: Vec::new(),
                drops: Vec::new(),
                key,
                fan: runs[next].fan,
                off_bus: runs[next].off_bus,
                runs: next..next,
            };
            while next < end && runs[next].key == key {
                let run = &runs[next];
                group.x1 = group.x1.min(run.x1);
                group.x2 = group.x2.max(run.x2);
                group.stubs.extend(run.stub);
                group.drops.extend(run.drop);
                next += 1;
            }
            group.runs.end = next;
            self.groups.push(group);
        }
    }

    /// Orders groups so that nothing drops into a node across a stub coming out of the
    /// node above it; cycles among such needs (impossible to meet) are cut short.
    fn order_groups(&mut self) {
        let groups = &self.groups;
        let group_count = groups.len();
        let level = &mut self.level;
        level.clear();
        level.resize(group_count, 0);
        for _ in 0..group_count {
            let mut changed = false;
            for above in 0..group_count {
                for below in 0..group_count {
                    if above != below
                        && level[below] <= level[above]
                        && level[above] < group_count
                        && groups[above].must_be_above(&groups[below])
                    {
                        level[below] = level[above] + 1;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        self.order.clear();
        self.order.extend(0..group_count);
        self.order.sort_by(|&a, &b| {
            level[a]
                .cmp(&level[b])
                .then(groups[a].x1.total_cmp(&groups[b].x1))
                .then(groups[a].x2.total_cmp(&groups[b].x2))
                .then(groups[a].key.cmp(&groups[b].key))
        });
    }

    /// Gives each group, in order, the first track below every group that must be
    /// above it where its stretch is free; returns the number of tracks.
    fn pick_tracks(&mut self) -> usize {
        let groups = &self.groups;
        let track_of = &mut self.track_of;
        track_of.clear();
        track_of.resize(groups.len(), usize::MAX);
        self.occupied.iter_mut().for_each(Vec::clear);
        let mut track_count = 0;
        for &group in &self.order {
            let mut track = 0;
            for (other, &other_track) in track_of.iter().enumerate() {
                if other_track != usize::MAX
                    && other != group
                    && groups[other].must_be_above(&groups[group])
                {
                    track = track.max(other_track + 1);
                }
            }
            let (x1, x2) = (groups[group].x1, groups[group].x2);
            loop {
                if self.occupied.len() <= track {
                    self.occupied.push(Vec::new());
                }
                if self.occupied[track]
                    .iter()
                    .all(|&(a, b)| b + TRACK_SEPARATION <= x1 || x2 + TRACK_SEPARATION <= a)
                {
                    break;
                }
                track += 1;
            }
            self.occupied[track].push((x1, x2));
            track_of[group] = track;
            track_count = track_count.max(track + 1);
        }
        track_count
    }
}

/// Lays out one channel from the top: labels beside straight edges, then the tracks,
/// each with room above it for the labels that sit on it. Returns the track
/// positions and the channel's height.
fn stack_channel(zone_height: f64, label_heights: &[f64], is_outer: bool) -> (Vec<f64>, f64) {
    let zone_end = if zone_height > 0.0 {
        ZONE_TOP + zone_height + 4.0
    } else {
        0.0
    };
    let mut cursor = zone_end + CHANNEL_TOP_PAD;
    let mut ys = Vec::with_capacity(label_heights.len());
    for &label_height in label_heights {
        if label_height > 0.0 {
            cursor += label_height + LABEL_LIFT + 2.0;
        }
        ys.push(cursor);
        cursor += TRACK_SPACING;
    }
    let used = if !label_heights.is_empty() {
        cursor - TRACK_SPACING + CHANNEL_BOTTOM_PAD
    } else if zone_end > 0.0 {
        zone_end + 4.0
    } else {
        0.0
    };
    let min_height = if is_outer { MARGIN } else { MIN_CHANNEL };
    let height = used.max(min_height);
    // Centre the tracks in a channel taller than they need, so the segments above
    // and below them come out balanced.
    let shift = ((height - used) / 2.0).max(0.0);
    for y in ys.iter_mut() {
        *y += shift;
    }
    (ys, height)
}
