//! Procedure flowcharts, laid out and drawn at build time as inline SVG.
//!
//! [`layout`] places a procedure's stages, decisions and endings the way a person
//! would draw them: top to bottom, the main route (the longest path from the start)
//! straight down one column, side routes branching off into columns of their own and
//! rejoining or ending there, and every edge an orthogonal polyline that runs through
//! the free channels between rows and columns instead of through boxes.
//! [`render_svg`] turns a layout into an accessible `<svg>` element that carries no
//! colours and no inline styles, so it works under a strict content security policy:
//! the site's stylesheet draws it (see [`STYLESHEET`] for the classes it must style).
//!
//! The build has no font engine, so text is measured with a deliberately generous
//! per-character estimate ([`estimate_text_width`]) that assumes the sizes
//! [`FONT_SIZE`] and [`LABEL_FONT_SIZE`]; the stylesheet must use those sizes.
//!
//! # How the drawing is built
//!
//! Nodes sit on a grid: one rank (row) per step of the longest path from the start,
//! and columns filled by "chains" (runs of nodes that follow one another). Every cell
//! holds at most one node, and the bands between rows ("channels") and between
//! columns ("gaps") hold no nodes at all. Edges only ever run through a node's own
//! cell, through empty cells, or through channels and gaps, so they cannot cross a
//! box; the route of each edge is chosen on the grid first and turned into
//! coordinates once the sizes of channels and gaps (which depend on how many edges
//! and labels they carry) are known.

use std::fmt::Write as _;

/// Font size, in pixels, that node text is measured for; the stylesheet must match it.
pub const FONT_SIZE: f64 = 14.0;
/// Distance between the baselines of two lines of node text, in pixels.
pub const LINE_HEIGHT: f64 = 18.0;
/// Font size, in pixels, that edge labels are measured for; the stylesheet must match it.
pub const LABEL_FONT_SIZE: f64 = 13.0;
/// Distance between the baselines of two lines of an edge label, in pixels.
pub const LABEL_LINE_HEIGHT: f64 = 16.0;

/// A stylesheet that draws the classes [`render_svg`] emits; the site may use its own.
///
/// It sets the font sizes the layout was measured for, so a replacement must keep them.
pub const STYLESHEET: &str = r#".flowchart { max-width: 100%; height: auto; }
.flowchart text { font-family: "DejaVu Sans", Verdana, "Segoe UI", Arial, sans-serif; font-size: 14px; fill: #1a1a1a; }
.flowchart .flow-label { font-weight: bold; }
.flowchart .flow-node rect, .flowchart .flow-node polygon { fill: #ffffff; stroke: #28508c; stroke-width: 1.5; }
.flowchart .flow-decision polygon { fill: #fff7e0; stroke: #9a6400; }
.flowchart .flow-ending rect { fill: #edf6ee; stroke: #2e6b34; }
.flowchart .flow-edge { fill: none; stroke: #4a4a4a; stroke-width: 1.5; }
.flowchart .flow-arrow { fill: #4a4a4a; }
.flowchart .flow-edge-label rect { fill: #ffffff; }
.flowchart .flow-edge-label text { font-size: 13px; fill: #333333; }
.flowchart a:hover .flow-node rect, .flowchart a:hover .flow-node polygon,
.flowchart a:focus .flow-node rect, .flowchart a:focus .flow-node polygon { stroke-width: 3; }
"#;

/// Scale of bold text against regular text of the same size.
const BOLD_FACTOR: f64 = 1.1;
/// Baseline of a node text line, measured from the top of its line box.
const BASELINE: f64 = 13.5;
/// Baseline of an edge label line, measured from the top of its line box.
const LABEL_BASELINE: f64 = 12.0;

const MARGIN: f64 = 10.0;
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
const STAGE_RADIUS: f64 = 3.0;
const LABEL_PAD_X: f64 = 4.0;
const LABEL_PAD_Y: f64 = 2.0;
/// Distance between a label and the vertical line it sits beside.
const LABEL_OFFSET: f64 = 6.0;
/// Distance between a label and the horizontal line it sits on.
const LABEL_LIFT: f64 = 3.0;
/// Where the first label beside a vertical line starts, below the top of its channel.
const ZONE_TOP: f64 = 4.0;
const LANE_SPACING: f64 = 12.0;
const LANE_CLEARANCE: f64 = 16.0;
const MIN_GAP: f64 = 48.0;
const TRACK_SPACING: f64 = 12.0;
/// Horizontal clearance between two edges that share a track.
const TRACK_SEPARATION: f64 = 8.0;
const CHANNEL_TOP_PAD: f64 = 12.0;
/// Leaves room for the arrowhead on the last segment into a node.
const CHANNEL_BOTTOM_PAD: f64 = 18.0;
const MIN_CHANNEL: f64 = 44.0;

/// What a node is drawn as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// A step of the procedure, drawn as a box.
    Stage,
    /// A question whose answers lead on to different nodes, drawn as a diamond.
    Decision,
    /// A way the procedure ends, drawn as a rounded terminal.
    Ending,
}

/// One node of a procedure's flowchart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowNode {
    /// Identifier of the node in the procedure; emitted as `data-node` for scripts.
    pub id: String,
    /// How the node is drawn.
    pub shape: Shape,
    /// Short bold first line, such as "Stage 1".
    pub label: Option<String>,
    /// Title or question, wrapped to fit the shape.
    pub text: String,
    /// Extra CSS class(es) for the node's group, such as "outcome-resolved".
    pub class: Option<String>,
    /// Link target, such as "#stage-1"; the node is wrapped in `<a href>` when set.
    pub href: Option<String>,
}

/// A directed connection between two nodes, by index into [`FlowGraph::nodes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowEdge {
    /// Index of the node the edge leaves.
    pub from: usize,
    /// Index of the node the edge enters.
    pub to: usize,
    /// Answer that leads along this edge, such as "Yes".
    pub label: Option<String>,
}

/// A procedure's flowchart: normally a DAG in which every node is reachable from `start`.
///
/// [`layout`] accepts any graph, though: cycles, self-loops, unreachable nodes and
/// out-of-range indices are drawn as well as they can be (or skipped), never a panic.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlowGraph {
    /// The nodes, in the order the procedure lists them.
    pub nodes: Vec<FlowNode>,
    /// The edges; the first edge out of a node is its preferred way on.
    pub edges: Vec<FlowEdge>,
    /// Index of the node the procedure starts at.
    pub start: usize,
}

/// An axis-aligned rectangle in SVG user units (pixels), `y` growing downwards.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// Right edge.
    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    /// Bottom edge.
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// Horizontal centre.
    pub fn cx(&self) -> f64 {
        self.x + self.w / 2.0
    }

    /// Vertical centre.
    pub fn cy(&self) -> f64 {
        self.y + self.h / 2.0
    }

    /// Whether the two rectangles, each grown by `margin` on every side, share any area.
    pub fn intersects(&self, other: &Rect, margin: f64) -> bool {
        self.x - margin < other.right() + margin
            && other.x - margin < self.right() + margin
            && self.y - margin < other.bottom() + margin
            && other.y - margin < self.bottom() + margin
    }
}

/// Where a node ended up and the text it shows.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedNode {
    /// Bounding box of the shape (for a diamond, the box its corners touch).
    pub rect: Rect,
    /// Wrapped text lines, the label's lines first.
    pub lines: Vec<String>,
    /// How many of the first `lines` belong to the bold label.
    pub label_lines: usize,
    /// Row of the node, counted from the top.
    pub rank: usize,
    /// Column of the node, counted from the left.
    pub column: usize,
}

/// The drawn route of one edge.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlacedEdge {
    /// Orthogonal polyline from the source's border to the target's border (where the
    /// arrowhead goes); empty for an edge that cannot be drawn (a self-loop or an edge
    /// naming a node that does not exist).
    pub points: Vec<(f64, f64)>,
    /// The edge's label, placed beside the first segment after the source.
    pub label: Option<PlacedLabel>,
}

/// An edge label with the box it is drawn in.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedLabel {
    /// Wrapped label lines.
    pub text_lines: Vec<String>,
    /// Box the label's background fills; the text is centred in it.
    pub rect: Rect,
}

/// A flowchart laid out, ready for [`render_svg`].
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Width of the drawing.
    pub width: f64,
    /// Height of the drawing.
    pub height: f64,
    /// One entry per node of the graph, in the same order.
    pub nodes: Vec<PlacedNode>,
    /// One entry per edge of the graph, in the same order.
    pub edges: Vec<PlacedEdge>,
    /// The main route, from the start node down its longest path, all in one column.
    pub main_route: Vec<usize>,
}

/// Estimated width of `text` in pixels at `font_size`.
///
/// Errs on the wide side for common sans-serif fonts (it follows DejaVu Sans, one of
/// the widest), so that text laid out with it does not overflow with real fonts.
pub fn estimate_text_width(text: &str, font_size: f64, bold: bool) -> f64 {
    let em: f64 = text.chars().map(char_em).sum();
    em * font_size * if bold { BOLD_FACTOR } else { 1.0 }
}

/// Splits `text` into lines no wider than `max_width` by [`estimate_text_width`].
///
/// Breaks at whitespace; a word too long for a line on its own is broken between
/// characters. Control characters are dropped.
pub fn wrap_text(text: &str, max_width: f64, font_size: f64, bold: bool) -> Vec<String> {
    let scale = font_size * if bold { BOLD_FACTOR } else { 1.0 };
    let space = char_em(' ') * scale;
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_w = 0.0;
    for word in text.split_whitespace() {
        let word_w: f64 = word.chars().map(|c| char_em(c) * scale).sum();
        if word_w <= max_width {
            if line.is_empty() {
                push_visible(&mut line, word);
                line_w = word_w;
            } else if line_w + space + word_w <= max_width {
                line.push(' ');
                push_visible(&mut line, word);
                // Summed exactly as compared, so a width measured here fits again.
                line_w = line_w + space + word_w;
            } else {
                lines.push(std::mem::take(&mut line));
                push_visible(&mut line, word);
                line_w = word_w;
            }
            continue;
        }
        // Too long for any line: start it on a fresh line and cut it where it overflows.
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        line_w = 0.0;
        for c in word.chars().filter(|c| !c.is_control()) {
            let w = char_em(c) * scale;
            if line_w + w > max_width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_w = 0.0;
            }
            line.push(c);
            line_w += w;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Like [`wrap_text`], but with the narrowest width that needs no more lines, so the
/// lines come out of even length instead of a long line followed by a stub.
fn wrap_balanced(text: &str, max_width: f64, font_size: f64, bold: bool) -> Vec<String> {
    let scale = font_size * if bold { BOLD_FACTOR } else { 1.0 };
    let space = char_em(' ') * scale;
    // Word widths summed exactly as wrap_text sums them, so that the line counts
    // found here are the ones it produces.
    let widths: Vec<f64> = text
        .split_whitespace()
        .map(|w| w.chars().map(|c| char_em(c) * scale).sum())
        .collect();
    let widest_word = widths.iter().copied().fold(0.0, f64::max);
    // Greedy breaking (as in wrap_text): number of lines and the widest line.
    let fill = |limit: f64| {
        let (mut lines, mut widest, mut line_w) = (0usize, 0.0f64, -1.0f64);
        for &w in &widths {
            if line_w >= 0.0 && line_w + space + w <= limit {
                line_w = line_w + space + w;
            } else {
                if line_w >= 0.0 {
                    widest = widest.max(line_w);
                }
                lines += 1;
                line_w = w;
            }
        }
        (lines, widest.max(line_w))
    };
    if widest_word > max_width {
        // Some word is cut between characters; balancing would move the cuts around.
        return wrap_text(text, max_width, font_size, bold);
    }
    let (lines, widest) = fill(max_width);
    if lines < 2 {
        return wrap_text(text, max_width, font_size, bold);
    }
    let (mut lo, mut hi) = (widest_word.max(widest / lines as f64), widest);
    // Greedy breaking needs the fewest lines for a width, so every width found here
    // keeps the line count; a few halvings get within a pixel or two.
    for _ in 0..8 {
        let mid = (lo + hi) / 2.0;
        let (n, w) = fill(mid);
        if n <= lines {
            hi = w.min(mid);
        } else {
            lo = mid;
        }
    }
    wrap_text(text, hi, font_size, bold)
}

fn push_visible(out: &mut String, word: &str) {
    out.extend(word.chars().filter(|c| !c.is_control()));
}

/// Advance width of a character in ems, rounded up from DejaVu Sans.
fn char_em(c: char) -> f64 {
    match c {
        c if c.is_control() => 0.0,
        ' ' => 0.32,
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' => 0.32,
        'f' | 't' | 'r' | 'I' | 'J' | '(' | ')' | '[' | ']' | '{' | '}' | '/' | '\\' | '-'
        | '"' | '`' => 0.44,
        'm' | 'w' | 'M' | 'W' | '@' | '%' | '&' => 1.0,
        'A'..='Z' => 0.78,
        'a'..='z' | '0'..='9' => 0.66,
        c if c.is_ascii() => 0.84,
        c if is_wide(c) => 1.05,
        _ => 0.8,
    }
}

/// East Asian wide and emoji ranges, which take a full em or more.
fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD)
}

fn even_ceil(x: f64) -> f64 {
    (x / 2.0).ceil() * 2.0
}

/// Corner radius of an ending's rounded terminal of height `h`.
fn ending_radius(h: f64) -> f64 {
    (h / 2.0).min(ENDING_MAX_RADIUS)
}

/// Lays out `graph` as a top-to-bottom flowchart.
///
/// Never panics: edges that name missing nodes and self-loops are left undrawn, edges
/// that close a cycle are routed upwards around the boxes, and unreachable nodes get
/// columns of their own.
pub fn layout(graph: &FlowGraph) -> Layout {
    let n = graph.nodes.len();
    let m = graph.edges.len();
    let mut placed_edges: Vec<PlacedEdge> = vec![PlacedEdge::default(); m];
    if n == 0 {
        return Layout {
            width: 2.0 * MARGIN,
            height: 2.0 * MARGIN,
            nodes: Vec::new(),
            edges: placed_edges,
            main_route: Vec::new(),
        };
    }
    let start = if graph.start < n { graph.start } else { 0 };
    let pairs: Vec<(usize, usize)> = graph
        .edges
        .iter()
        .enumerate()
        .filter(|(_, e)| e.from < n && e.to < n && e.from != e.to)
        .map(|(k, e)| (e.from, k))
        .collect();
    let out = Csr::build(n, &pairs);
    let ranking = Ranking::new(graph, out, start);
    let main_route = ranking.main_route(graph, start);
    let grid = assign_columns(graph, &ranking, &main_route);

    let boxes: Vec<NodeBox> = graph.nodes.iter().map(measure_node).collect();
    let labels: Vec<Option<LabelBox>> = graph
        .edges
        .iter()
        .map(|e| {
            let drawn = e.from < n && e.to < n && e.from != e.to;
            e.label.as_deref().filter(|_| drawn).and_then(measure_label)
        })
        .collect();

    let mut plans = plan_routes(graph, &grid, &ranking.out);
    let lanes_per_gap = assign_lanes(graph, &grid, &mut plans);
    let cols = place_columns(graph, &grid, &boxes, &labels, &plans, &lanes_per_gap);
    let channels = assign_tracks(graph, &grid, &cols, &labels, &mut plans);
    let rows = place_rows(graph, &grid, &boxes, &labels, &plans, &channels);

    let mut nodes: Vec<PlacedNode> = boxes
        .into_iter()
        .enumerate()
        .map(|(v, b)| {
            let (r, c) = (grid.rank[v], grid.col[v]);
            PlacedNode {
                rect: Rect {
                    x: cols.center[c] - b.w / 2.0,
                    y: rows.row_top[r] + (rows.row_h[r] - b.h) / 2.0,
                    w: b.w,
                    h: b.h,
                },
                lines: b.lines,
                label_lines: b.label_lines,
                rank: r,
                column: c,
            }
        })
        .collect();

    let geo = Geometry {
        graph,
        grid: &grid,
        cols: &cols,
        rows: &rows,
        channels: &channels,
        nodes: &nodes,
    };
    for (k, (plan, label)) in plans.iter().zip(labels).enumerate() {
        if plan.kind != Kind::Skip {
            placed_edges[k] = geo.edge(k, plan, label);
        }
    }

    // Labels may reach past the outermost columns; move everything so the drawing
    // starts at the margin on both axes.
    let mut bounds = Bounds::default();
    for node in &nodes {
        bounds.add_rect(&node.rect);
    }
    for edge in &placed_edges {
        for &(x, y) in &edge.points {
            bounds.add(x, y);
        }
        if let Some(label) = &edge.label {
            bounds.add_rect(&label.rect);
        }
    }
    let dx = MARGIN - bounds.min_x;
    let dy = MARGIN - bounds.min_y;
    for node in &mut nodes {
        node.rect.x += dx;
        node.rect.y += dy;
    }
    for edge in &mut placed_edges {
        for p in &mut edge.points {
            p.0 += dx;
            p.1 += dy;
        }
        if let Some(label) = &mut edge.label {
            label.rect.x += dx;
            label.rect.y += dy;
        }
    }
    Layout {
        width: bounds.max_x - bounds.min_x + 2.0 * MARGIN,
        height: bounds.max_y - bounds.min_y + 2.0 * MARGIN,
        nodes,
        edges: placed_edges,
        main_route,
    }
}

struct Bounds {
    min_x: f64,
    min_y: f64,
    max_x: f64,
    max_y: f64,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds {
            min_x: f64::INFINITY,
            min_y: f64::INFINITY,
            max_x: f64::NEG_INFINITY,
            max_y: f64::NEG_INFINITY,
        }
    }
}

impl Bounds {
    fn add(&mut self, x: f64, y: f64) {
        self.min_x = self.min_x.min(x);
        self.min_y = self.min_y.min(y);
        self.max_x = self.max_x.max(x);
        self.max_y = self.max_y.max(y);
    }

    fn add_rect(&mut self, r: &Rect) {
        self.add(r.x, r.y);
        self.add(r.right(), r.bottom());
    }
}

/// Lists grouped by key: the items of key `i` are `items[offsets[i]..offsets[i + 1]]`,
/// in the order they were given.
struct Csr {
    offsets: Vec<usize>,
    items: Vec<usize>,
}

impl Csr {
    /// Every key of `pairs` must be below `keys`.
    fn build(keys: usize, pairs: &[(usize, usize)]) -> Csr {
        let mut offsets = vec![0; keys + 1];
        for &(k, _) in pairs {
            offsets[k + 1] += 1;
        }
        for i in 0..keys {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut items = vec![0; pairs.len()];
        for &(k, v) in pairs {
            items[fill[k]] = v;
            fill[k] += 1;
        }
        Csr { offsets, items }
    }

    fn get(&self, key: usize) -> &[usize] {
        &self.items[self.offsets[key]..self.offsets[key + 1]]
    }
}

/// Ranks by longest path over the edges that do not close a cycle.
struct Ranking {
    /// Drawable edge indices by source node, in the graph's order.
    out: Csr,
    /// Whether an edge takes part in ranking; edges that close a cycle (and edges into
    /// the start, which must stay on top) do not.
    forward: Vec<bool>,
    rank: Vec<usize>,
    /// Length of the longest forward path leaving each node.
    height: Vec<usize>,
}

impl Ranking {
    fn new(graph: &FlowGraph, out: Csr, start: usize) -> Ranking {
        let n = graph.nodes.len();
        let mut forward = vec![false; graph.edges.len()];
        // Depth-first from the start first, so that its edges are the ones kept.
        let mut state = vec![0u8; n];
        let mut stack: Vec<(usize, usize)> = Vec::new();
        for root in std::iter::once(start).chain(0..n) {
            if state[root] != 0 {
                continue;
            }
            state[root] = 1;
            stack.push((root, 0));
            while let Some(top) = stack.last_mut() {
                let (u, i) = *top;
                let succ = out.get(u);
                if let Some(&k) = succ.get(i) {
                    top.1 += 1;
                    let v = graph.edges[k].to;
                    if v != start && state[v] != 1 {
                        forward[k] = true;
                        if state[v] == 0 {
                            state[v] = 1;
                            stack.push((v, 0));
                        }
                    }
                } else {
                    state[u] = 2;
                    stack.pop();
                }
            }
        }

        let mut indegree = vec![0usize; n];
        for (k, e) in graph.edges.iter().enumerate() {
            if forward[k] {
                indegree[e.to] += 1;
            }
        }
        let mut order: Vec<usize> = (0..n).filter(|&v| indegree[v] == 0).collect();
        let mut head = 0;
        while let Some(&u) = order.get(head) {
            head += 1;
            for &k in out.get(u) {
                if forward[k] {
                    let v = graph.edges[k].to;
                    indegree[v] -= 1;
                    if indegree[v] == 0 {
                        order.push(v);
                    }
                }
            }
        }
        let mut rank = vec![0usize; n];
        for &u in &order {
            for &k in out.get(u) {
                if forward[k] {
                    let v = graph.edges[k].to;
                    rank[v] = rank[v].max(rank[u] + 1);
                }
            }
        }
        let mut height = vec![0usize; n];
        for &u in order.iter().rev() {
            for &k in out.get(u) {
                if forward[k] {
                    let v = graph.edges[k].to;
                    height[u] = height[u].max(height[v] + 1);
                }
            }
        }
        Ranking {
            out,
            forward,
            rank,
            height,
        }
    }

    /// The successor that starts the longest way on, the earliest edge on ties.
    fn longest_successor(
        &self,
        graph: &FlowGraph,
        u: usize,
        taken: &[Option<i32>],
    ) -> Option<usize> {
        let mut best: Option<usize> = None;
        for &k in self.out.get(u) {
            let v = graph.edges[k].to;
            if self.forward[k]
                && taken[v].is_none()
                && best.is_none_or(|b| self.height[v] > self.height[b])
            {
                best = Some(v);
            }
        }
        best
    }

    fn main_route(&self, graph: &FlowGraph, start: usize) -> Vec<usize> {
        let free = vec![None; graph.nodes.len()];
        let mut route = vec![start];
        let mut cur = start;
        // Forward edges are acyclic, so this ends.
        while let Some(v) = self.longest_successor(graph, cur, &free) {
            route.push(v);
            cur = v;
        }
        route
    }
}

/// Which ranks of each column are spoken for, as closed intervals; columns are
/// numbered relative to the main route's column 0, negative to its left.
#[derive(Default)]
struct Occupancy {
    right: Vec<Vec<(usize, usize)>>,
    left: Vec<Vec<(usize, usize)>>,
}

impl Occupancy {
    fn column(&self, c: i32) -> Option<&Vec<(usize, usize)>> {
        if c >= 0 {
            self.right.get(c as usize)
        } else {
            self.left.get((-1 - c) as usize)
        }
    }

    fn is_free(&self, c: i32, lo: usize, hi: usize) -> bool {
        self.column(c)
            .is_none_or(|spans| spans.iter().all(|&(a, b)| b < lo || a > hi))
    }

    fn block(&mut self, c: i32, lo: usize, hi: usize) {
        let (side, i) = if c >= 0 {
            (&mut self.right, c as usize)
        } else {
            (&mut self.left, (-1 - c) as usize)
        };
        if side.len() <= i {
            side.resize_with(i + 1, Vec::new);
        }
        side[i].push((lo, hi));
    }
}

/// Final rank and column of every node.
struct Grid {
    rank: Vec<usize>,
    col: Vec<usize>,
    ncols: usize,
    nranks: usize,
    /// Nodes of each column, by rank.
    by_col: Csr,
}

impl Grid {
    fn node_at(&self, c: usize, r: usize) -> Option<usize> {
        let list = self.by_col.get(c);
        list.binary_search_by_key(&r, |&v| self.rank[v])
            .ok()
            .map(|i| list[i])
    }

    /// Whether column `c` holds a node strictly between ranks `a` and `b`.
    fn occupied_between(&self, c: usize, a: usize, b: usize) -> bool {
        let list = self.by_col.get(c);
        let i = list.partition_point(|&v| self.rank[v] <= a);
        list.get(i).is_some_and(|&v| self.rank[v] < b)
    }
}

struct ColumnBuilder<'a> {
    graph: &'a FlowGraph,
    ranking: &'a Ranking,
    rel: Vec<Option<i32>>,
    occ: Occupancy,
    chain: Vec<usize>,
}

impl ColumnBuilder<'_> {
    /// Gives `head` and the nodes that follow it down its longest way (and are still
    /// unplaced) the nearest column in direction `dir` from `anchor` whose ranks are free.
    fn place_chain(&mut self, head: usize, anchor: i32, dir: i32, parent_rank: Option<usize>) {
        let rank = &self.ranking.rank;
        self.chain.clear();
        self.chain.push(head);
        // Mark chain nodes as taken while the chain grows, so it cannot fork back
        // into itself; the real column replaces the mark below.
        self.rel[head] = Some(i32::MIN);
        let mut cur = head;
        while let Some(v) = self.ranking.longest_successor(self.graph, cur, &self.rel) {
            self.chain.push(v);
            self.rel[v] = Some(i32::MIN);
            cur = v;
        }
        let (lo, hi) = (rank[head], rank[cur]);
        let mut c = anchor + dir;
        // Only finitely many columns hold anything, so a free one comes.
        while !self.occ.is_free(c, lo, hi) {
            c += dir;
        }
        self.occ.block(c, lo, hi);
        // Keep the cells between the parent and the chain empty, so the edge into the
        // chain can drop straight down into it.
        if let Some(p) = parent_rank
            && p < lo
            && self.occ.is_free(c, p, lo - 1)
        {
            self.occ.block(c, p, lo - 1);
        }
        for &v in &self.chain {
            self.rel[v] = Some(c);
        }
    }
}

fn assign_columns(graph: &FlowGraph, ranking: &Ranking, main_route: &[usize]) -> Grid {
    let n = graph.nodes.len();
    let rank = &ranking.rank;
    let nranks = rank.iter().max().map_or(1, |r| r + 1);
    let mut b = ColumnBuilder {
        graph,
        ranking,
        rel: vec![None; n],
        occ: Occupancy::default(),
        chain: Vec::new(),
    };
    for &v in main_route {
        b.rel[v] = Some(0);
    }
    if let (Some(&first), Some(&last)) = (main_route.first(), main_route.last()) {
        b.occ.block(0, rank[first], rank[last]);
    }
    let by_rank_pairs: Vec<(usize, usize)> = (0..n).map(|v| (rank[v], v)).collect();
    let by_rank = Csr::build(nranks, &by_rank_pairs);
    let mut processed = vec![false; n];
    let mut batch: Vec<usize> = Vec::new();
    loop {
        // Branches are placed from the top down, so a node's column is known before
        // the nodes it leads to are placed.
        for r in 0..nranks {
            batch.clear();
            batch.extend(
                by_rank
                    .get(r)
                    .iter()
                    .copied()
                    .filter(|&v| !processed[v] && b.rel[v].is_some()),
            );
            batch.sort_by_key(|&v| {
                let c = b.rel[v].unwrap_or(0);
                (c.unsigned_abs(), c, v)
            });
            for &u in &batch {
                processed[u] = true;
                let cu = b.rel[u].unwrap_or(0);
                let mut branches = 0;
                for &k in ranking.out.get(u) {
                    let v = graph.edges[k].to;
                    if !ranking.forward[k] || b.rel[v].is_some() {
                        continue;
                    }
                    // Off the main route the first branch goes right and the next
                    // left; further out, branches keep moving away from it.
                    let dir = match cu.signum() {
                        0 if branches % 2 == 1 => -1,
                        0 => 1,
                        s => s,
                    };
                    branches += 1;
                    b.place_chain(v, cu, dir, Some(rank[u]));
                }
            }
        }
        let leftover = (0..n)
            .filter(|&v| b.rel[v].is_none())
            .min_by_key(|&v| (rank[v], v));
        match leftover {
            Some(v) => {
                let anchor = b.occ.right.len() as i32 - 1;
                b.place_chain(v, anchor.max(0), 1, None);
            }
            None => break,
        }
    }

    let mut used: Vec<i32> = b.rel.iter().map(|c| c.unwrap_or(0)).collect();
    used.sort_unstable();
    used.dedup();
    let col: Vec<usize> = b
        .rel
        .iter()
        .map(|c| used.binary_search(&c.unwrap_or(0)).unwrap_or(0))
        .collect();
    let mut pairs: Vec<(usize, usize)> = Vec::with_capacity(n);
    for r in 0..nranks {
        pairs.extend(by_rank.get(r).iter().map(|&v| (col[v], v)));
    }
    let ncols = used.len().max(1);
    Grid {
        by_col: Csr::build(ncols, &pairs),
        rank: ranking.rank.clone(),
        col,
        ncols,
        nranks,
    }
}

/// Wrapped text and size of a node's shape.
struct NodeBox {
    lines: Vec<String>,
    label_lines: usize,
    w: f64,
    h: f64,
}

fn measure_node(node: &FlowNode) -> NodeBox {
    let max_w = match node.shape {
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
        .map(|l| wrap_balanced(l, max_w, FONT_SIZE, true))
        .unwrap_or_default();
    let label_lines = lines.len();
    lines.extend(wrap_balanced(&node.text, max_w, FONT_SIZE, false));
    let tw = lines
        .iter()
        .enumerate()
        .map(|(i, l)| estimate_text_width(l, FONT_SIZE, i < label_lines))
        .fold(0.0, f64::max);
    let th = lines.len() as f64 * LINE_HEIGHT;
    let (w, h) = match node.shape {
        Shape::Stage => (
            (tw + 2.0 * STAGE_PAD_X).max(STAGE_MIN_W),
            (th + 2.0 * STAGE_PAD_Y).max(STAGE_MIN_H),
        ),
        Shape::Decision => {
            // The text block (tw2 x th2) fits a diamond W x H when tw2/W + th2/H <= 1;
            // pick H for the aimed-at proportions, then the narrowest W that fits.
            let tw2 = tw + 2.0 * DECISION_PAD_X;
            let th2 = th + 2.0 * DECISION_PAD_Y;
            let k = (DECISION_ASPECT * th2 / (tw2 + DECISION_ASPECT * th2)).clamp(0.05, 0.5);
            let h = even_ceil((th2 / k).max(DECISION_MIN_H));
            let w = (tw2 / (1.0 - th2 / h)).max(DECISION_MIN_W);
            (w, h)
        }
        Shape::Ending => {
            let h = even_ceil((th + 2.0 * ENDING_PAD_Y).max(ENDING_MIN_H));
            let r = ending_radius(h);
            // How far the rounded corners bite into the text block's corners.
            let a = th / 2.0 + 2.0;
            let straight = h / 2.0 - r;
            let inset = if a <= straight {
                0.0
            } else {
                let dy = a - straight;
                r - (r * r - dy * dy).max(0.0).sqrt()
            };
            ((tw + 2.0 * (inset + ENDING_PAD_X)).max(ENDING_MIN_W), h)
        }
    };
    NodeBox {
        lines,
        label_lines,
        w: even_ceil(w),
        h: even_ceil(h),
    }
}

/// Wrapped text and size of an edge label's box.
struct LabelBox {
    lines: Vec<String>,
    w: f64,
    h: f64,
}

fn measure_label(text: &str) -> Option<LabelBox> {
    let lines = wrap_balanced(text, EDGE_LABEL_TEXT_MAX, LABEL_FONT_SIZE, false);
    if lines.is_empty() {
        return None;
    }
    let tw = lines
        .iter()
        .map(|l| estimate_text_width(l, LABEL_FONT_SIZE, false))
        .fold(0.0, f64::max);
    Some(LabelBox {
        w: even_ceil(tw + 2.0 * LABEL_PAD_X),
        h: lines.len() as f64 * LABEL_LINE_HEIGHT + 2.0 * LABEL_PAD_Y,
        lines,
    })
}

/// Shape of an edge's route.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// Not drawn.
    Skip,
    /// Bottom of the source straight down to the top of the target in the same column.
    Straight,
    /// Out of the source's side along its row, then down the target's column.
    SideL,
    /// Down into the channel below the source, across, and down the target's column.
    Z,
    /// Out to a vertical lane in a gap between columns, along it to the channel above
    /// the target, across, and down into the target.
    Lane,
}

/// Where an edge leaves its source.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Exit {
    Bottom,
    Right,
    Left,
}

/// How one edge is routed on the grid, before coordinates exist.
#[derive(Clone, Copy, Debug)]
struct Plan {
    kind: Kind,
    exit: Exit,
    gap: usize,
    lane: usize,
    first_track: usize,
    last_track: usize,
    /// Offset of a label beside a straight edge from the top of its channel.
    zone_y: f64,
}

const SKIP: Plan = Plan {
    kind: Kind::Skip,
    exit: Exit::Bottom,
    gap: 0,
    lane: 0,
    first_track: 0,
    last_track: 0,
    zone_y: 0.0,
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
        let l = a.max(lo);
        let h = b.min(hi);
        l < h || (l == h && l % 2 == 0)
    })
}

fn side_l_clear(grid: &Grid, reserved: &[(usize, usize)], u: usize, v: usize) -> bool {
    let (ru, cu, rv, cv) = (grid.rank[u], grid.col[u], grid.rank[v], grid.col[v]);
    let (lo, hi) = span(cu, cv);
    (lo..=hi).all(|c| c == cu || grid.node_at(c, ru).is_none())
        && !grid.occupied_between(cv, ru, rv)
        && !row_conflict(reserved, span(2 * cu + 1, 2 * cv + 1))
}

fn plan_routes(graph: &FlowGraph, grid: &Grid, out: &Csr) -> Vec<Plan> {
    let n = graph.nodes.len();
    let mut plans = vec![SKIP; graph.edges.len()];
    let mut rows: Vec<Vec<(usize, usize)>> = vec![Vec::new(); grid.nranks];
    let mut right_used = vec![false; n];
    let mut left_used = vec![false; n];
    let mut lanes_in_gap = vec![0usize; grid.ncols + 1];
    for u in 0..n {
        let succ = out.get(u);
        let (ru, cu) = (grid.rank[u], grid.col[u]);
        let target = |k: usize| {
            let v = graph.edges[k].to;
            (v, grid.rank[v], grid.col[v])
        };
        for &k in succ {
            let (_, rv, cv) = target(k);
            if rv > ru && cv == cu && !grid.occupied_between(cu, ru, rv) {
                plans[k].kind = Kind::Straight;
            }
        }
        // A side leads to one target only; give it to the farthest one that can take
        // it, so that nearer ones (reached from below) are not crossed by it.
        for exit in [Exit::Right, Exit::Left] {
            let mut best: Option<(usize, usize)> = None;
            for &k in succ {
                let (v, rv, cv) = target(k);
                let toward = match exit {
                    Exit::Right => cv > cu,
                    Exit::Left => cv < cu,
                    Exit::Bottom => false,
                };
                if plans[k].kind != Kind::Skip
                    || !toward
                    || rv <= ru
                    || !side_l_clear(grid, &rows[ru], u, v)
                {
                    continue;
                }
                let dist = cu.abs_diff(cv);
                if best.is_none_or(|(d, _)| dist > d) {
                    best = Some((dist, k));
                }
            }
            if let Some((_, k)) = best {
                let (_, _, cv) = target(k);
                plans[k].kind = Kind::SideL;
                plans[k].exit = exit;
                rows[ru].push(span(2 * cu + 1, 2 * cv + 1));
                if exit == Exit::Right {
                    right_used[u] = true;
                } else {
                    left_used[u] = true;
                }
            }
        }
        for &k in succ {
            let (_, rv, cv) = target(k);
            if plans[k].kind == Kind::Skip
                && rv > ru
                && cv != cu
                && !grid.occupied_between(cv, ru, rv)
            {
                plans[k].kind = Kind::Z;
            }
        }
        for &k in succ {
            if plans[k].kind != Kind::Skip {
                continue;
            }
            let (_, _, cv) = target(k);
            let options = if cv > cu {
                [Some((Exit::Right, cu + 1)), None]
            } else if cv < cu {
                [Some((Exit::Left, cu)), None]
            } else {
                [Some((Exit::Right, cu + 1)), Some((Exit::Left, cu))]
            };
            let mut chosen = None;
            for (exit, gap) in options.into_iter().flatten() {
                let used = if exit == Exit::Right {
                    right_used[u]
                } else {
                    left_used[u]
                };
                let run = span(2 * cu + 1, 2 * gap);
                if !used && !row_conflict(&rows[ru], run) {
                    chosen = Some((exit, gap, run));
                    break;
                }
            }
            let (exit, gap) = match chosen {
                Some((exit, gap, run)) => {
                    rows[ru].push(run);
                    if exit == Exit::Right {
                        right_used[u] = true;
                    } else {
                        left_used[u] = true;
                    }
                    (exit, gap)
                }
                None => {
                    let gap = if cv > cu || (cv == cu && lanes_in_gap[cu + 1] <= lanes_in_gap[cu]) {
                        cu + 1
                    } else {
                        cu
                    };
                    (Exit::Bottom, gap)
                }
            };
            lanes_in_gap[gap] += 1;
            plans[k] = Plan {
                kind: Kind::Lane,
                exit,
                gap,
                ..SKIP
            };
        }
    }
    plans
}

/// A lane route's need for a lane: spans in half-ranks, where the channel above row
/// `r` is `2r` and row `r` is `2r + 1`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct LaneRequest {
    gap: usize,
    target: usize,
    lo: usize,
    hi: usize,
    edge: usize,
}

/// Lane requests into one target through one gap, which share a lane: they merge on
/// the way in anyway. Fields are in sorting order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct LaneGroup {
    gap: usize,
    /// Whether the target is in the column right of the gap.
    serves_right: bool,
    len: usize,
    lo: usize,
    hi: usize,
    target: usize,
    requests: (usize, usize),
}

/// Packs the lane routes of each gap into vertical lanes; returns lanes per gap.
///
/// A lane serves the column its route enters, on the left or right of the gap.
/// Shorter routes get the lanes nearer that column, so that routes nest instead of
/// crossing each other's runs in and out of their lanes.
fn assign_lanes(graph: &FlowGraph, grid: &Grid, plans: &mut [Plan]) -> Vec<usize> {
    let mut requests: Vec<LaneRequest> = Vec::new();
    for (k, p) in plans.iter().enumerate() {
        if p.kind == Kind::Lane {
            let e = &graph.edges[k];
            let (ru, rv) = (grid.rank[e.from], grid.rank[e.to]);
            let a = if p.exit == Exit::Bottom {
                2 * ru + 2
            } else {
                2 * ru + 1
            };
            let b = 2 * rv;
            requests.push(LaneRequest {
                gap: p.gap,
                target: e.to,
                lo: a.min(b),
                hi: a.max(b),
                edge: k,
            });
        }
    }
    requests.sort_unstable();
    let mut groups: Vec<LaneGroup> = Vec::new();
    let mut i = 0;
    while let Some(&first) = requests.get(i) {
        let (mut lo, mut hi) = (first.lo, first.hi);
        let mut j = i + 1;
        while let Some(r) = requests
            .get(j)
            .filter(|r| r.gap == first.gap && r.target == first.target)
        {
            lo = lo.min(r.lo);
            hi = hi.max(r.hi);
            j += 1;
        }
        groups.push(LaneGroup {
            gap: first.gap,
            serves_right: grid.col[first.target] >= first.gap,
            len: hi - lo,
            lo,
            hi,
            target: first.target,
            requests: (i, j),
        });
        i = j;
    }
    groups.sort_unstable();
    let mut lanes_per_gap = vec![0usize; grid.ncols + 1];
    // Spans taken in each lane, counted outwards from the served column.
    let mut taken: Vec<Vec<(usize, usize)>> = Vec::new();
    let mut depth = vec![0usize; groups.len()];
    let mut g0 = 0;
    while let Some(gap) = groups.get(g0).map(|g| g.gap) {
        let g1 = g0 + groups[g0..].iter().take_while(|g| g.gap == gap).count();
        let mut counts = [0usize; 2];
        for side in [false, true] {
            taken.iter_mut().for_each(Vec::clear);
            for (g, group) in groups.iter().enumerate().take(g1).skip(g0) {
                if group.serves_right != side {
                    continue;
                }
                let mut d = 0;
                loop {
                    if taken.len() <= d {
                        taken.push(Vec::new());
                    }
                    if taken[d].iter().all(|&(a, b)| b < group.lo || a > group.hi) {
                        break;
                    }
                    d += 1;
                }
                taken[d].push((group.lo, group.hi));
                depth[g] = d;
                let count = &mut counts[usize::from(side)];
                *count = (*count).max(d + 1);
            }
        }
        let [left, right] = counts;
        lanes_per_gap[gap] = left + right;
        for (group, &d) in groups[g0..g1].iter().zip(&depth[g0..g1]) {
            // Left-serving lanes count from the gap's left edge, right-serving ones
            // from its right edge.
            let lane = if group.serves_right {
                left + right - 1 - d
            } else {
                d
            };
            for req in &requests[group.requests.0..group.requests.1] {
                plans[req.edge].lane = lane;
            }
        }
        g0 = g1;
    }
    lanes_per_gap
}

/// Horizontal positions of columns and gaps.
struct Columns {
    center: Vec<f64>,
    gap_x: Vec<f64>,
    /// Distance from a gap's left edge to its first lane's slot.
    lane_pad: Vec<f64>,
}

impl Columns {
    fn lane_x(&self, gap: usize, lane: usize) -> f64 {
        self.gap_x[gap] + self.lane_pad[gap] + (lane as f64 + 0.5) * LANE_SPACING
    }
}

fn place_columns(
    graph: &FlowGraph,
    grid: &Grid,
    boxes: &[NodeBox],
    labels: &[Option<LabelBox>],
    plans: &[Plan],
    lanes_per_gap: &[usize],
) -> Columns {
    let ncols = grid.ncols;
    let mut col_w = vec![0.0f64; ncols];
    for (v, b) in boxes.iter().enumerate() {
        let c = grid.col[v];
        col_w[c] = col_w[c].max(b.w);
    }
    // Room that labels need at the left and right ends of each gap.
    let mut need_l = vec![0.0f64; ncols + 1];
    let mut need_r = vec![0.0f64; ncols + 1];
    for (k, p) in plans.iter().enumerate() {
        let Some(label) = &labels[k] else { continue };
        if p.kind == Kind::Skip {
            continue;
        }
        let cu = grid.col[graph.edges[k].from];
        match (p.kind, p.exit) {
            (Kind::Straight, _) => {
                let overflow = LABEL_OFFSET + label.w - col_w[cu] / 2.0;
                need_l[cu + 1] = need_l[cu + 1].max(overflow + LABEL_OFFSET);
            }
            (_, Exit::Right) => need_l[cu + 1] = need_l[cu + 1].max(label.w + 2.0 * LABEL_OFFSET),
            (_, Exit::Left) => need_r[cu] = need_r[cu].max(label.w + 2.0 * LABEL_OFFSET),
            (_, Exit::Bottom) => {}
        }
    }
    let mut gap_w = vec![0.0f64; ncols + 1];
    let mut lane_pad = vec![0.0f64; ncols + 1];
    for g in 0..=ncols {
        let outer = g == 0 || g == ncols;
        let lanes = lanes_per_gap.get(g).copied().unwrap_or(0);
        if lanes == 0 {
            let base = if outer { MARGIN } else { MIN_GAP };
            gap_w[g] = (need_l[g] + need_r[g]).max(base);
        } else {
            let pad_l = if g == 0 {
                MARGIN
            } else {
                need_l[g].max(LANE_CLEARANCE)
            };
            let pad_r = if g == ncols {
                MARGIN
            } else {
                need_r[g].max(LANE_CLEARANCE)
            };
            lane_pad[g] = pad_l;
            gap_w[g] = pad_l + lanes as f64 * LANE_SPACING + pad_r;
        }
    }
    let mut center = vec![0.0; ncols];
    let mut gap_x = vec![0.0; ncols + 1];
    let mut x = 0.0;
    for c in 0..ncols {
        gap_x[c] = x;
        x += gap_w[c];
        center[c] = x + col_w[c] / 2.0;
        x += col_w[c];
    }
    gap_x[ncols] = x;
    Columns {
        center,
        gap_x,
        lane_pad,
    }
}

/// A horizontal run of an edge through a channel.
struct HSeg {
    ch: usize,
    /// Runs with equal keys share a track: (0, v) runs into node v, (1, u) runs out of
    /// the bottom of node u, (2, k) a run of edge k that carries its label.
    key: (u8, usize),
    x1: f64,
    x2: f64,
    /// Column whose centre the run leaves from, coming down out of a node above.
    stub: Option<usize>,
    /// Column whose centre the run drops from, down into a node below.
    drop: Option<usize>,
    /// Height of the label that sits on the run.
    band: f64,
    edge: usize,
    first: bool,
}

struct HGroup {
    x1: f64,
    x2: f64,
    stubs: Vec<usize>,
    drops: Vec<usize>,
    key: (u8, usize),
    segs: std::ops::Range<usize>,
}

impl HGroup {
    /// Whether `self` must sit above `below`: a drop of `below` would otherwise run
    /// along the same stretch of column centre as a stub of `self`.
    fn must_be_above(&self, below: &HGroup) -> bool {
        self.stubs.iter().any(|s| below.drops.contains(s))
    }
}

/// Vertical layout of each channel, relative to its top.
struct Channels {
    track_y: Vec<Vec<f64>>,
    height: Vec<f64>,
}

/// Label that goes on the first horizontal run of a bottom exit, going right or left.
fn band_label_span(ux: f64, x_end: f64, label: &LabelBox) -> (f64, f64) {
    if x_end >= ux {
        (ux + LABEL_OFFSET, ux + LABEL_OFFSET + label.w)
    } else {
        (ux - LABEL_OFFSET - label.w, ux - LABEL_OFFSET)
    }
}

fn assign_tracks(
    graph: &FlowGraph,
    grid: &Grid,
    cols: &Columns,
    labels: &[Option<LabelBox>],
    plans: &mut [Plan],
) -> Channels {
    let nch = grid.nranks + 1;
    let mut segs: Vec<HSeg> = Vec::new();
    // Labels beside straight edges, stacked under their source: (ch, x, w, h, edge).
    let mut zone: Vec<(usize, f64, f64, f64, usize)> = Vec::new();
    for (k, p) in plans.iter().enumerate() {
        if p.kind == Kind::Skip {
            continue;
        }
        let e = &graph.edges[k];
        let (u, v) = (e.from, e.to);
        let (ru, cu, rv, cv) = (grid.rank[u], grid.col[u], grid.rank[v], grid.col[v]);
        let (ux, vx) = (cols.center[cu], cols.center[cv]);
        let label = labels[k].as_ref();
        match p.kind {
            Kind::Skip | Kind::SideL => {}
            Kind::Straight => {
                if let Some(l) = label {
                    zone.push((ru + 1, ux + LABEL_OFFSET, l.w, l.h, k));
                }
            }
            Kind::Z | Kind::Lane => {
                let lx = cols.lane_x(p.gap, p.lane);
                if p.kind == Kind::Z || p.exit == Exit::Bottom {
                    let end = if p.kind == Kind::Z { vx } else { lx };
                    let (mut x1, mut x2) = (ux.min(end), ux.max(end));
                    if let Some(l) = label {
                        let (a, b) = band_label_span(ux, end, l);
                        x1 = x1.min(a);
                        x2 = x2.max(b);
                    }
                    let key = match (label, p.kind) {
                        (Some(_), _) => (2, k),
                        (None, Kind::Z) => (0, v),
                        (None, _) => (1, u),
                    };
                    segs.push(HSeg {
                        ch: ru + 1,
                        key,
                        x1,
                        x2,
                        stub: Some(cu),
                        drop: (p.kind == Kind::Z).then_some(cv),
                        band: label.map_or(0.0, |l| l.h),
                        edge: k,
                        first: true,
                    });
                }
                if p.kind == Kind::Lane {
                    segs.push(HSeg {
                        ch: rv,
                        key: (0, v),
                        x1: lx.min(vx),
                        x2: lx.max(vx),
                        stub: None,
                        drop: Some(cv),
                        band: 0.0,
                        edge: k,
                        first: false,
                    });
                }
            }
        }
    }
    segs.sort_by(|a, b| {
        (a.ch, a.key)
            .cmp(&(b.ch, b.key))
            .then(a.x1.total_cmp(&b.x1))
            .then(a.edge.cmp(&b.edge))
    });

    let mut track_y: Vec<Vec<f64>> = vec![Vec::new(); nch];
    let mut height = vec![0.0f64; nch];
    let mut seg_track = vec![0usize; segs.len()];
    let mut groups: Vec<HGroup> = Vec::new();
    let mut level: Vec<usize> = Vec::new();
    let mut order: Vec<usize> = Vec::new();
    let mut track_of: Vec<usize> = Vec::new();
    let mut occupied: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut bands: Vec<f64> = Vec::new();
    let mut stacked: Vec<(f64, f64, f64, f64)> = Vec::new();
    zone.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.4.cmp(&b.4)));
    let mut zi = 0;
    let mut si = 0;
    for ch in 0..nch {
        // Labels beside straight edges, stacked where they would collide.
        stacked.clear();
        let mut zone_h = 0.0f64;
        while let Some(&(zch, x, w, h, k)) = zone.get(zi) {
            if zch != ch {
                break;
            }
            zi += 1;
            let mut y = 0.0;
            while let Some(&(_, by, _, bh)) = stacked.iter().find(|&&(bx, by, bw, bh)| {
                bx < x + w + 4.0 && x < bx + bw + 4.0 && by < y + h + 2.0 && y < by + bh + 2.0
            }) {
                y = by + bh + 2.0;
            }
            stacked.push((x, y, w, h));
            plans[k].zone_y = ZONE_TOP + y;
            zone_h = zone_h.max(y + h);
        }

        // Group this channel's runs.
        groups.clear();
        let seg_start = si;
        while si < segs.len() && segs[si].ch == ch {
            si += 1;
        }
        let mut i = seg_start;
        while i < si {
            let key = segs[i].key;
            let mut g = HGroup {
                x1: f64::INFINITY,
                x2: f64::NEG_INFINITY,
                stubs: Vec::new(),
                drops: Vec::new(),
                key,
                segs: i..i,
            };
            while i < si && segs[i].key == key {
                let s = &segs[i];
                g.x1 = g.x1.min(s.x1);
                g.x2 = g.x2.max(s.x2);
                g.stubs.extend(s.stub);
                g.drops.extend(s.drop);
                i += 1;
            }
            g.segs.end = i;
            groups.push(g);
        }

        // Order runs so that nothing drops into a node across a stub coming out of the
        // node above it; cycles among such needs (impossible to meet) are cut short.
        let gn = groups.len();
        level.clear();
        level.resize(gn, 0);
        for _ in 0..gn {
            let mut changed = false;
            for a in 0..gn {
                for b in 0..gn {
                    if a != b
                        && level[b] <= level[a]
                        && level[a] < gn
                        && groups[a].must_be_above(&groups[b])
                    {
                        level[b] = level[a] + 1;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        order.clear();
        order.extend(0..gn);
        order.sort_by(|&a, &b| {
            level[a]
                .cmp(&level[b])
                .then(groups[a].x1.total_cmp(&groups[b].x1))
                .then(groups[a].x2.total_cmp(&groups[b].x2))
                .then(groups[a].key.cmp(&groups[b].key))
        });
        track_of.clear();
        track_of.resize(gn, usize::MAX);
        occupied.iter_mut().for_each(Vec::clear);
        let mut ntracks = 0;
        for &g in &order {
            let mut t = 0;
            for (h, &th) in track_of.iter().enumerate() {
                if th != usize::MAX && h != g && groups[h].must_be_above(&groups[g]) {
                    t = t.max(th + 1);
                }
            }
            let (x1, x2) = (groups[g].x1, groups[g].x2);
            loop {
                if occupied.len() <= t {
                    occupied.push(Vec::new());
                }
                if occupied[t]
                    .iter()
                    .all(|&(a, b)| b + TRACK_SEPARATION <= x1 || x2 + TRACK_SEPARATION <= a)
                {
                    break;
                }
                t += 1;
            }
            occupied[t].push((x1, x2));
            track_of[g] = t;
            ntracks = ntracks.max(t + 1);
        }
        bands.clear();
        bands.resize(ntracks, 0.0);
        for (g, group) in groups.iter().enumerate() {
            for s in group.segs.clone() {
                seg_track[s] = track_of[g];
                bands[track_of[g]] = bands[track_of[g]].max(segs[s].band);
            }
        }

        // Stack: labels beside straight edges, then tracks, each with room above it
        // for the labels that sit on it.
        let zone_end = if zone_h > 0.0 {
            ZONE_TOP + zone_h + 4.0
        } else {
            0.0
        };
        let mut cursor = zone_end + CHANNEL_TOP_PAD;
        let ys = &mut track_y[ch];
        for &band in &bands {
            if band > 0.0 {
                cursor += band + LABEL_LIFT + 2.0;
            }
            ys.push(cursor);
            cursor += TRACK_SPACING;
        }
        let used = if ntracks > 0 {
            cursor - TRACK_SPACING + CHANNEL_BOTTOM_PAD
        } else if zone_end > 0.0 {
            zone_end + 4.0
        } else {
            0.0
        };
        let min_h = if ch == 0 || ch + 1 == nch {
            MARGIN
        } else {
            MIN_CHANNEL
        };
        let h = used.max(min_h);
        // Centre the tracks in a channel taller than they need, so the segments above
        // and below them come out balanced.
        let shift = ((h - used) / 2.0).max(0.0);
        for y in ys.iter_mut() {
            *y += shift;
        }
        height[ch] = h;
    }
    for (s, seg) in segs.iter().enumerate() {
        if seg.first {
            plans[seg.edge].first_track = seg_track[s];
        } else {
            plans[seg.edge].last_track = seg_track[s];
        }
    }
    Channels { track_y, height }
}

/// Vertical positions of rows and channels.
struct Rows {
    row_top: Vec<f64>,
    row_h: Vec<f64>,
    ch_top: Vec<f64>,
}

fn place_rows(
    graph: &FlowGraph,
    grid: &Grid,
    boxes: &[NodeBox],
    labels: &[Option<LabelBox>],
    plans: &[Plan],
    channels: &Channels,
) -> Rows {
    let nranks = grid.nranks;
    let mut row_h = vec![0.0f64; nranks];
    for (v, b) in boxes.iter().enumerate() {
        let r = grid.rank[v];
        row_h[r] = row_h[r].max(b.h);
    }
    // A label on a run out of a node's side sits above the run, inside the row.
    for (k, p) in plans.iter().enumerate() {
        if let (Some(label), Exit::Left | Exit::Right) = (&labels[k], p.exit)
            && p.kind != Kind::Skip
        {
            let r = grid.rank[graph.edges[k].from];
            row_h[r] = row_h[r].max(2.0 * (label.h + LABEL_LIFT + 2.0));
        }
    }
    let mut row_top = vec![0.0; nranks];
    let mut ch_top = vec![0.0; nranks + 1];
    let mut y = 0.0;
    for r in 0..nranks {
        ch_top[r] = y;
        y += channels.height[r];
        row_top[r] = y;
        y += row_h[r];
    }
    ch_top[nranks] = y;
    Rows {
        row_top,
        row_h,
        ch_top,
    }
}

/// Everything needed to turn route plans into coordinates.
struct Geometry<'a> {
    graph: &'a FlowGraph,
    grid: &'a Grid,
    cols: &'a Columns,
    rows: &'a Rows,
    channels: &'a Channels,
    nodes: &'a [PlacedNode],
}

impl Geometry<'_> {
    fn track(&self, ch: usize, t: usize) -> f64 {
        self.rows.ch_top[ch] + self.channels.track_y[ch].get(t).copied().unwrap_or(0.0)
    }

    fn edge(&self, k: usize, p: &Plan, label: Option<LabelBox>) -> PlacedEdge {
        let e = &self.graph.edges[k];
        let (su, sv) = (&self.nodes[e.from].rect, &self.nodes[e.to].rect);
        let (ru, rv) = (self.grid.rank[e.from], self.grid.rank[e.to]);
        let (ux, uy, vx) = (su.cx(), su.cy(), sv.cx());
        let side = match p.exit {
            Exit::Right => (su.right(), uy),
            Exit::Left => (su.x, uy),
            Exit::Bottom => (ux, su.bottom()),
        };
        let mut points = Vec::with_capacity(6);
        let mut label_at: Option<(f64, f64)> = None;
        let lw = label.as_ref().map_or(0.0, |l| l.w);
        let lh = label.as_ref().map_or(0.0, |l| l.h);
        let side_label = |x: f64| match p.exit {
            Exit::Left => (x - LABEL_OFFSET - lw, uy - LABEL_LIFT - lh),
            _ => (x + LABEL_OFFSET, uy - LABEL_LIFT - lh),
        };
        match p.kind {
            Kind::Skip => {}
            Kind::Straight => {
                points.extend([(ux, su.bottom()), (vx, sv.y)]);
                label_at = Some((ux + LABEL_OFFSET, self.rows.ch_top[ru + 1] + p.zone_y));
            }
            Kind::SideL => {
                points.extend([side, (vx, uy), (vx, sv.y)]);
                label_at = Some(side_label(side.0));
            }
            Kind::Z | Kind::Lane => {
                let lx = self.cols.lane_x(p.gap, p.lane);
                if p.exit == Exit::Bottom {
                    let ty = self.track(ru + 1, p.first_track);
                    let end = if p.kind == Kind::Z { vx } else { lx };
                    points.extend([(ux, su.bottom()), (ux, ty), (end, ty)]);
                    if let Some(l) = &label {
                        label_at = Some((band_label_span(ux, end, l).0, ty - LABEL_LIFT - lh));
                    }
                } else {
                    points.extend([side, (lx, uy)]);
                    label_at = Some(side_label(side.0));
                }
                if p.kind == Kind::Lane {
                    let ty = self.track(rv, p.last_track);
                    points.extend([(lx, ty), (vx, ty)]);
                }
                points.push((vx, sv.y));
            }
        }
        simplify(&mut points);
        let label = match (label, label_at) {
            (Some(l), Some((x, y))) => Some(PlacedLabel {
                text_lines: l.lines,
                rect: Rect {
                    x,
                    y,
                    w: l.w,
                    h: l.h,
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
        let (a, b, c) = (points[i - 1], points[i], points[i + 1]);
        let same_x = (a.0 - b.0).abs() < 1e-9 && (b.0 - c.0).abs() < 1e-9;
        let same_y = (a.1 - b.1).abs() < 1e-9 && (b.1 - c.1).abs() < 1e-9;
        if same_x || same_y {
            points.remove(i);
        } else {
            i += 1;
        }
    }
}

/// Renders a laid-out flowchart as an accessible inline `<svg>` element.
///
/// `id_prefix` makes the element's ids unique in the page (characters other than
/// ASCII letters, digits, `-` and `_` become `-`, and `fc-` is put in front when it
/// does not start with a letter); `title` and `desc` become its accessible name and
/// description. The output carries classes only (no colours, no `style`), is
/// deterministic, and rounds coordinates to one decimal.
pub fn render_svg(
    graph: &FlowGraph,
    layout: &Layout,
    id_prefix: &str,
    title: &str,
    desc: &str,
) -> String {
    let p = sanitize_id(id_prefix);
    let mut s = String::with_capacity(1024 + 512 * layout.nodes.len() + 160 * layout.edges.len());
    s.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
    push_num(&mut s, layout.width);
    s.push(' ');
    push_num(&mut s, layout.height);
    s.push_str("\" width=\"");
    push_num(&mut s, layout.width);
    s.push_str("\" height=\"");
    push_num(&mut s, layout.height);
    let _ = write!(
        s,
        "\" role=\"img\" aria-labelledby=\"{p}-title {p}-desc\" class=\"flowchart\">\n<title id=\"{p}-title\">"
    );
    push_escaped(&mut s, title);
    let _ = write!(s, "</title>\n<desc id=\"{p}-desc\">");
    push_escaped(&mut s, desc);
    let _ = write!(
        s,
        "</desc>\n<defs><marker id=\"{p}-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" \
         markerWidth=\"10\" markerHeight=\"10\" markerUnits=\"userSpaceOnUse\" orient=\"auto\">\
         <path class=\"flow-arrow\" d=\"M0,0L10,5L0,10z\"/></marker></defs>\n"
    );

    s.push_str("<g class=\"flow-edges\">\n");
    for edge in &layout.edges {
        let Some((&first, rest)) = edge.points.split_first() else {
            continue;
        };
        if rest.is_empty() {
            continue;
        }
        s.push_str("<path class=\"flow-edge\" d=\"M");
        push_num(&mut s, first.0);
        s.push(' ');
        push_num(&mut s, first.1);
        let mut prev = first;
        for &pt in rest {
            if round1(pt.0) == round1(prev.0) {
                s.push('V');
                push_num(&mut s, pt.1);
            } else if round1(pt.1) == round1(prev.1) {
                s.push('H');
                push_num(&mut s, pt.0);
            } else {
                s.push('L');
                push_num(&mut s, pt.0);
                s.push(' ');
                push_num(&mut s, pt.1);
            }
            prev = pt;
        }
        let _ = writeln!(s, "\" marker-end=\"url(#{p}-arrow)\"/>");
    }
    s.push_str("</g>\n<g class=\"flow-edge-labels\">\n");
    for label in layout.edges.iter().filter_map(|e| e.label.as_ref()) {
        let r = &label.rect;
        s.push_str("<g class=\"flow-edge-label\">");
        push_rect(&mut s, r, 3.0);
        s.push_str("<text text-anchor=\"middle\">");
        for (i, line) in label.text_lines.iter().enumerate() {
            s.push_str("<tspan x=\"");
            push_num(&mut s, r.cx());
            s.push_str("\" y=\"");
            push_num(
                &mut s,
                r.y + LABEL_PAD_Y + i as f64 * LABEL_LINE_HEIGHT + LABEL_BASELINE,
            );
            s.push_str("\">");
            push_escaped(&mut s, line);
            s.push_str("</tspan>");
        }
        s.push_str("</text></g>\n");
    }
    s.push_str("</g>\n<g class=\"flow-nodes\">\n");
    for (node, placed) in graph.nodes.iter().zip(&layout.nodes) {
        if let Some(href) = &node.href {
            s.push_str("<a href=\"");
            push_escaped(&mut s, href);
            s.push_str("\">");
        }
        let shape_class = match node.shape {
            Shape::Stage => "flow-stage",
            Shape::Decision => "flow-decision",
            Shape::Ending => "flow-ending",
        };
        let _ = write!(s, "<g class=\"flow-node {shape_class}");
        if let Some(class) = node.class.as_deref().filter(|c| !c.trim().is_empty()) {
            s.push(' ');
            push_escaped(&mut s, class.trim());
        }
        s.push_str("\" data-node=\"");
        push_escaped(&mut s, &node.id);
        s.push_str("\">");
        let r = &placed.rect;
        match node.shape {
            Shape::Stage => push_rect(&mut s, r, STAGE_RADIUS),
            Shape::Ending => push_rect(&mut s, r, ending_radius(r.h)),
            Shape::Decision => {
                s.push_str("<polygon points=\"");
                for (i, (x, y)) in [
                    (r.cx(), r.y),
                    (r.right(), r.cy()),
                    (r.cx(), r.bottom()),
                    (r.x, r.cy()),
                ]
                .into_iter()
                .enumerate()
                {
                    if i > 0 {
                        s.push(' ');
                    }
                    push_num(&mut s, x);
                    s.push(',');
                    push_num(&mut s, y);
                }
                s.push_str("\"/>");
            }
        }
        s.push_str("<text text-anchor=\"middle\">");
        let top = text_top(r, placed.lines.len());
        for (i, line) in placed.lines.iter().enumerate() {
            s.push_str("<tspan");
            if i < placed.label_lines {
                s.push_str(" class=\"flow-label\"");
            }
            s.push_str(" x=\"");
            push_num(&mut s, r.cx());
            s.push_str("\" y=\"");
            push_num(&mut s, top + i as f64 * LINE_HEIGHT + BASELINE);
            s.push_str("\">");
            push_escaped(&mut s, line);
            s.push_str("</tspan>");
        }
        s.push_str("</text></g>");
        if node.href.is_some() {
            s.push_str("</a>");
        }
        s.push('\n');
    }
    s.push_str("</g>\n</svg>\n");
    s
}

/// Top of the first line of a node's text block, which is centred in the shape.
fn text_top(r: &Rect, lines: usize) -> f64 {
    r.cy() - lines as f64 * LINE_HEIGHT / 2.0
}

fn push_rect(s: &mut String, r: &Rect, radius: f64) {
    s.push_str("<rect x=\"");
    push_num(s, r.x);
    s.push_str("\" y=\"");
    push_num(s, r.y);
    s.push_str("\" width=\"");
    push_num(s, r.w);
    s.push_str("\" height=\"");
    push_num(s, r.h);
    s.push_str("\" rx=\"");
    push_num(s, radius);
    s.push_str("\"/>");
}

/// `v` in tenths, rounded; non-finite values become 0.
fn round1(v: f64) -> i64 {
    if v.is_finite() {
        (v * 10.0).round() as i64
    } else {
        0
    }
}

fn push_num(s: &mut String, v: f64) {
    let t = round1(v);
    if t < 0 {
        s.push('-');
    }
    let a = t.unsigned_abs();
    let _ = write!(s, "{}", a / 10);
    if !a.is_multiple_of(10) {
        let _ = write!(s, ".{}", a % 10);
    }
}

/// Escapes text for XML content and attribute values, dropping characters XML 1.0
/// does not allow.
fn push_escaped(s: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&apos;"),
            '\t'
            | '\n'
            | '\r'
            | '\u{20}'..='\u{D7FF}'
            | '\u{E000}'..='\u{FFFD}'
            | '\u{10000}'.. => s.push(c),
            _ => {}
        }
    }
}

fn sanitize_id(prefix: &str) -> String {
    let mut id: String = prefix
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_alphabetic()) {
        id.insert_str(0, "fc-");
    }
    id
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn node(id: &str, shape: Shape, label: Option<&str>, text: &str) -> FlowNode {
        FlowNode {
            id: id.to_string(),
            shape,
            label: label.map(str::to_string),
            text: text.to_string(),
            class: None,
            href: Some(format!("#{id}")),
        }
    }

    fn stage(id: &str, label: &str, text: &str) -> FlowNode {
        node(id, Shape::Stage, Some(label), text)
    }

    fn decision(id: &str, text: &str) -> FlowNode {
        node(id, Shape::Decision, None, text)
    }

    fn ending(id: &str, text: &str, class: &str) -> FlowNode {
        FlowNode {
            class: Some(class.to_string()),
            href: None,
            ..node(id, Shape::Ending, None, text)
        }
    }

    fn edge(from: usize, to: usize, label: Option<&str>) -> FlowEdge {
        FlowEdge {
            from,
            to,
            label: label.map(str::to_string),
        }
    }

    /// Two stages and the ways it can end.
    fn linear() -> FlowGraph {
        FlowGraph {
            nodes: vec![
                stage("stage-1", "Stage 1", "Complain to the service"),
                stage(
                    "stage-2",
                    "Stage 2",
                    "Ask for a review by the chief executive",
                ),
                ending("end", "Complaint answered", "outcome-resolved"),
                ending("ombudsman", "Refer to the Ombudsman", "outcome-referred"),
            ],
            edges: vec![
                edge(0, 1, None),
                edge(1, 2, Some("Satisfied")),
                edge(1, 3, Some("Not satisfied")),
            ],
            start: 0,
        }
    }

    /// Stage, decision, stage, decision, stage, referred; both decisions can resolve.
    fn two_decisions() -> FlowGraph {
        FlowGraph {
            nodes: vec![
                stage("s1", "Stage 1", "Local resolution by the team involved"),
                decision("d1", "Were you satisfied with the response?"),
                ending("resolved", "Complaint resolved", "outcome-resolved"),
                stage(
                    "s2",
                    "Stage 2",
                    "Formal investigation by the complaints team",
                ),
                decision("d2", "Were you satisfied with the investigation?"),
                stage("s3", "Stage 3", "Review by the independent panel"),
                ending(
                    "referred",
                    "Referred to the Local Government Ombudsman",
                    "outcome-referred",
                ),
            ],
            edges: vec![
                edge(0, 1, None),
                edge(1, 2, Some("Yes")),
                edge(1, 3, Some("No")),
                edge(3, 4, None),
                edge(4, 2, Some("Yes")),
                edge(4, 5, Some("No")),
                edge(5, 6, None),
            ],
            start: 0,
        }
    }

    /// Doncaster: who you are decides which stage 2 applies; both lead to stage 3.
    fn doncaster() -> FlowGraph {
        FlowGraph {
            nodes: vec![
                stage(
                    "s1",
                    "Stage 1",
                    "Informal resolution with the service manager",
                ),
                decision("who", "Who is making the complaint?"),
                stage(
                    "s2a",
                    "Stage 2a",
                    "Review by the Third Sector liaison officer",
                ),
                stage("s2b", "Stage 2b", "Review by the partnership board"),
                stage("s3", "Stage 3", "Final review by the Director"),
                ending("end", "Final response issued", "outcome-final"),
            ],
            edges: vec![
                edge(0, 1, None),
                edge(1, 2, Some("Third Sector organisation")),
                edge(1, 3, Some("Public sector agency")),
                edge(2, 4, None),
                edge(3, 4, None),
                edge(4, 5, None),
            ],
            start: 0,
        }
    }

    /// Informal stage first; the chair decides between conciliation and another body.
    fn chair_decides() -> FlowGraph {
        FlowGraph {
            nodes: vec![
                stage("informal", "Before Stage 1", "Talk to the person concerned"),
                decision("d0", "Sorted out informally?"),
                ending("early", "Resolved informally", "outcome-resolved"),
                stage("s1", "Stage 1", "Written complaint to the clerk"),
                decision("chair", "What does the chair decide?"),
                ending("elsewhere", "Referred elsewhere", "outcome-referred"),
                stage("s2", "Stage 2", "Complaints committee hearing"),
                decision("d2", "Is the complaint upheld?"),
                ending("upheld", "Complaint upheld", "outcome-resolved"),
                ending("not-upheld", "Complaint not upheld", "outcome-closed"),
            ],
            edges: vec![
                edge(0, 1, None),
                edge(1, 2, Some("Yes")),
                edge(1, 3, Some("No")),
                edge(3, 4, None),
                edge(4, 6, Some("Conciliation")),
                edge(4, 5, Some("Formal complaints")),
                edge(6, 7, None),
                edge(7, 8, Some("Upheld")),
                edge(7, 9, Some("Not upheld")),
            ],
            start: 0,
        }
    }

    /// A stage whose decision either resolves or continues.
    fn resolve_or_continue() -> FlowGraph {
        FlowGraph {
            nodes: vec![
                stage("s1", "Stage 1", "Investigation by the department"),
                decision("d1", "Is the complaint resolved?"),
                ending("resolved", "Resolved", "outcome-resolved"),
                stage("s2", "Stage 2", "Escalation to the complaints manager"),
                ending("ombudsman", "Take it to the Ombudsman", "outcome-referred"),
            ],
            edges: vec![
                edge(0, 1, None),
                edge(1, 2, Some("Yes")),
                edge(1, 3, Some("No")),
                edge(3, 4, None),
            ],
            start: 0,
        }
    }

    /// A decision with four answers and very long texts.
    fn four_answers() -> FlowGraph {
        let question = "Which of the following best describes the organisation or person that is \
            making this complaint, taking into account any representative acting on their behalf, \
            any statutory body that has already looked at the matter, and whether the complaint \
            concerns a contracted service provider rather than the council itself?";
        assert!(question.len() >= 300);
        let long = |s: &str| format!("{s} - and a label long enough to need wrapping");
        FlowGraph {
            nodes: vec![
                stage("s1", "Stage 1", "Register the complaint"),
                decision("who", question),
                stage("a", "Stage 2a", "Members of the public"),
                stage(
                    "b",
                    "Stage 2b",
                    "Councillors and MPs acting for a constituent",
                ),
                stage("c", "Stage 2c", "Contracted service providers"),
                ending("d", "Referred to the regulator", "outcome-referred"),
                stage("s3", "Stage 3", "Final review"),
                ending("end", "Final response", "outcome-final"),
            ],
            edges: vec![
                edge(0, 1, None),
                edge(1, 2, Some(&long("Member of the public"))),
                edge(1, 3, Some(&long("Elected representative"))),
                edge(1, 4, Some(&long("Service provider"))),
                edge(1, 5, Some(&long("Statutory body"))),
                edge(2, 6, None),
                edge(3, 6, None),
                edge(4, 6, None),
                edge(6, 7, None),
            ],
            start: 0,
        }
    }

    /// An urgent answer jumps ahead past two stages, so its edge must go around them.
    fn skip_ahead() -> FlowGraph {
        FlowGraph {
            nodes: vec![
                stage("s1", "Stage 1", "Tell the school"),
                decision("urgent", "Is it about safeguarding?"),
                stage("s2", "Stage 2", "Meeting with the head teacher"),
                stage("s3", "Stage 3", "Governors' complaints panel"),
                stage("s4", "Stage 4", "Referral to the local authority"),
                ending(
                    "end",
                    "Decision by the Secretary of State",
                    "outcome-referred",
                ),
            ],
            edges: vec![
                edge(0, 1, None),
                edge(1, 4, Some("Yes")),
                edge(1, 2, Some("No")),
                edge(2, 3, None),
                edge(3, 4, None),
                edge(4, 5, None),
            ],
            start: 0,
        }
    }

    fn samples() -> Vec<(&'static str, FlowGraph)> {
        vec![
            ("linear", linear()),
            ("two-decisions", two_decisions()),
            ("doncaster", doncaster()),
            ("chair-decides", chair_decides()),
            ("resolve-or-continue", resolve_or_continue()),
            ("four-answers", four_answers()),
            ("skip-ahead", skip_ahead()),
        ]
    }

    const EPS: f64 = 1e-6;

    fn approx(a: f64, b: f64) -> bool {
        (a - b).abs() < EPS
    }

    /// Whether a point lies on the outline of a node's shape.
    fn on_outline(shape: Shape, r: &Rect, (x, y): (f64, f64)) -> bool {
        let on_box =
            ((approx(x, r.x) || approx(x, r.right())) && y >= r.y - EPS && y <= r.bottom() + EPS)
                || ((approx(y, r.y) || approx(y, r.bottom()))
                    && x >= r.x - EPS
                    && x <= r.right() + EPS);
        match shape {
            Shape::Decision => {
                let d = (x - r.cx()).abs() / (r.w / 2.0) + (y - r.cy()).abs() / (r.h / 2.0);
                on_box && approx(d, 1.0)
            }
            Shape::Stage | Shape::Ending => on_box,
        }
    }

    /// Whether a point lies inside (or on) a node's shape.
    fn inside_shape(shape: Shape, r: &Rect, x: f64, y: f64) -> bool {
        let dx = (x - r.cx()).abs();
        let dy = (y - r.cy()).abs();
        match shape {
            Shape::Stage => dx <= r.w / 2.0 + EPS && dy <= r.h / 2.0 + EPS,
            Shape::Decision => dx / (r.w / 2.0) + dy / (r.h / 2.0) <= 1.0 + EPS,
            Shape::Ending => {
                let rad = ending_radius(r.h);
                if dx > r.w / 2.0 + EPS || dy > r.h / 2.0 + EPS {
                    return false;
                }
                let (ex, ey) = (dx - (r.w / 2.0 - rad), dy - (r.h / 2.0 - rad));
                ex <= 0.0 || ey <= 0.0 || ex * ex + ey * ey <= rad * rad + EPS
            }
        }
    }

    /// Whether an axis-parallel segment enters the open interior of a rectangle.
    fn crosses_interior(a: (f64, f64), b: (f64, f64), r: &Rect) -> bool {
        let shrink = 0.5;
        let (x0, x1, y0, y1) = (
            r.x + shrink,
            r.right() - shrink,
            r.y + shrink,
            r.bottom() - shrink,
        );
        let (lx, hx) = (a.0.min(b.0), a.0.max(b.0));
        let (ly, hy) = (a.1.min(b.1), a.1.max(b.1));
        lx < x1 && hx > x0 && ly < y1 && hy > y0
    }

    fn rect_segment_distance(r: &Rect, a: (f64, f64), b: (f64, f64)) -> f64 {
        let (lx, hx) = (a.0.min(b.0), a.0.max(b.0));
        let (ly, hy) = (a.1.min(b.1), a.1.max(b.1));
        let dx = (r.x - hx).max(lx - r.right()).max(0.0);
        let dy = (r.y - hy).max(ly - r.bottom()).max(0.0);
        dx.hypot(dy)
    }

    fn usable(g: &FlowGraph, e: &FlowEdge) -> bool {
        e.from < g.nodes.len() && e.to < g.nodes.len() && e.from != e.to
    }

    /// Every hard invariant of a layout; `dag` adds the ones that only hold for a
    /// DAG whose nodes are all reachable from the start.
    pub(crate) fn check(g: &FlowGraph, l: &Layout, dag: bool) -> Result<(), String> {
        if l.nodes.len() != g.nodes.len() || l.edges.len() != g.edges.len() {
            return Err("layout does not match the graph".into());
        }
        let in_bounds =
            |x: f64, y: f64| x >= -EPS && y >= -EPS && x <= l.width + EPS && y <= l.height + EPS;
        for (i, a) in l.nodes.iter().enumerate() {
            let r = &a.rect;
            if !in_bounds(r.x, r.y) || !in_bounds(r.right(), r.bottom()) {
                return Err(format!("node {i} out of bounds: {r:?}"));
            }
            for (j, b) in l.nodes.iter().enumerate().skip(i + 1) {
                if r.intersects(&b.rect, 5.0) {
                    return Err(format!("nodes {i} and {j} overlap: {r:?} {:?}", b.rect));
                }
            }
            // Text lines fit the shape.
            let shape = g.nodes[i].shape;
            let top = text_top(r, a.lines.len());
            for (li, line) in a.lines.iter().enumerate() {
                let w = estimate_text_width(line, FONT_SIZE, li < a.label_lines);
                let (y0, y1) = (
                    top + li as f64 * LINE_HEIGHT,
                    top + (li + 1) as f64 * LINE_HEIGHT,
                );
                let (x0, x1) = (r.cx() - w / 2.0, r.cx() + w / 2.0);
                for (x, y) in [(x0, y0), (x1, y0), (x0, y1), (x1, y1)] {
                    if !inside_shape(shape, r, x, y) {
                        return Err(format!(
                            "node {i} line {li} {line:?} overflows its {shape:?} {r:?}"
                        ));
                    }
                }
            }
        }
        let mut label_rects: Vec<(usize, Rect)> = Vec::new();
        for (k, (e, pe)) in g.edges.iter().zip(&l.edges).enumerate() {
            if !usable(g, e) {
                if !pe.points.is_empty() || pe.label.is_some() {
                    return Err(format!("edge {k} cannot be drawn but was"));
                }
                continue;
            }
            let pts = &pe.points;
            if pts.len() < 2 {
                return Err(format!("edge {k} has {} points", pts.len()));
            }
            for &(x, y) in pts {
                if !in_bounds(x, y) {
                    return Err(format!("edge {k} point ({x}, {y}) out of bounds"));
                }
            }
            for w in pts.windows(2) {
                let (a, b) = (w[0], w[1]);
                let vertical = approx(a.0, b.0);
                let horizontal = approx(a.1, b.1);
                if vertical == horizontal {
                    return Err(format!(
                        "edge {k} segment {a:?}-{b:?} is not orthogonal or has no length"
                    ));
                }
                for (i, n) in l.nodes.iter().enumerate() {
                    if crosses_interior(a, b, &n.rect) {
                        return Err(format!(
                            "edge {k} segment {a:?}-{b:?} crosses node {i} {:?}",
                            n.rect
                        ));
                    }
                }
            }
            let (src, dst) = (&l.nodes[e.from].rect, &l.nodes[e.to].rect);
            if !on_outline(g.nodes[e.from].shape, src, pts[0]) {
                return Err(format!(
                    "edge {k} does not start on its source: {:?} {src:?}",
                    pts[0]
                ));
            }
            let last = pts[pts.len() - 1];
            let before = pts[pts.len() - 2];
            if !on_outline(g.nodes[e.to].shape, dst, last) {
                return Err(format!(
                    "edge {k} does not end on its target: {last:?} {dst:?}"
                ));
            }
            if !(approx(last.1, dst.y)
                && approx(last.0, dst.cx())
                && approx(before.0, last.0)
                && before.1 < last.1)
            {
                return Err(format!(
                    "edge {k} does not come down into the top of its target"
                ));
            }
            if dag && dst.y <= src.bottom() {
                return Err(format!("edge {k} does not point downwards"));
            }
            match (&e.label, &pe.label) {
                (Some(text), None) if !text.trim().is_empty() => {
                    return Err(format!("edge {k} lost its label"));
                }
                (_, Some(pl)) => {
                    let r = &pl.rect;
                    if !in_bounds(r.x, r.y) || !in_bounds(r.right(), r.bottom()) {
                        return Err(format!("label of edge {k} out of bounds"));
                    }
                    for line in &pl.text_lines {
                        if estimate_text_width(line, LABEL_FONT_SIZE, false) + 2.0 * LABEL_PAD_X
                            > r.w + EPS
                        {
                            return Err(format!("label of edge {k} too narrow for {line:?}"));
                        }
                    }
                    if (pl.text_lines.len() as f64) * LABEL_LINE_HEIGHT > r.h + EPS {
                        return Err(format!("label of edge {k} too short"));
                    }
                    for (i, n) in l.nodes.iter().enumerate() {
                        if r.intersects(&n.rect, 0.0) {
                            return Err(format!("label of edge {k} overlaps node {i}"));
                        }
                    }
                    let first = rect_segment_distance(r, pts[0], pts[1]);
                    let second = pts
                        .get(2)
                        .map_or(f64::INFINITY, |&p| rect_segment_distance(r, pts[1], p));
                    if first.min(second) > LABEL_OFFSET + EPS {
                        return Err(format!(
                            "label of edge {k} is not beside its first segments"
                        ));
                    }
                    label_rects.push((k, *r));
                }
                _ => {}
            }
        }
        for (i, (ka, a)) in label_rects.iter().enumerate() {
            for (kb, b) in &label_rects[i + 1..] {
                if a.intersects(b, 0.0) {
                    return Err(format!("labels of edges {ka} and {kb} overlap"));
                }
            }
        }
        if dag {
            let route = &l.main_route;
            if route.first() != Some(&g.start) {
                return Err("main route does not begin at the start".into());
            }
            let sx = l.nodes[g.start].rect.cx();
            if route.iter().any(|&v| !approx(l.nodes[v].rect.cx(), sx)) {
                return Err("main route is not one column".into());
            }
            let sy = l.nodes[g.start].rect.y;
            if l.nodes
                .iter()
                .enumerate()
                .any(|(i, n)| i != g.start && n.rect.y <= sy)
            {
                return Err("start is not alone at the top".into());
            }
            for w in route.windows(2) {
                if !g.edges.iter().any(|e| e.from == w[0] && e.to == w[1]) {
                    return Err("main route does not follow edges".into());
                }
            }
        }
        Ok(())
    }

    fn assert_ok(name: &str, g: &FlowGraph, dag: bool) -> Layout {
        let l = layout(g);
        if let Err(msg) = check(g, &l, dag) {
            panic!("{name}: {msg}\n{g:#?}\n{l:#?}");
        }
        l
    }

    /// Tiny seeded linear congruential generator, so random cases are reproducible.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            self.0 >> 33
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }

        fn chance(&mut self, percent: u64) -> bool {
            self.next() % 100 < percent
        }
    }

    const WORDS: &[&str] = &[
        "the",
        "complaint",
        "is",
        "reviewed",
        "by",
        "an",
        "independent",
        "Ombudsman",
        "within",
        "20",
        "working",
        "days",
        "WWWWW",
        "iiii",
        "Mmm",
        "council's",
        "&",
        "<script>",
        "review",
        "outcome",
        "Stage",
        "appeal",
        "tribunal",
        "NHS",
        "Überprüfung",
        "申立て",
        "x",
    ];

    fn words(rng: &mut Lcg, long: bool) -> String {
        let count = if long {
            20 + rng.below(50)
        } else {
            1 + rng.below(8)
        };
        let mut s = String::new();
        for i in 0..count {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(WORDS[rng.below(WORDS.len())]);
        }
        s
    }

    fn random_dag(rng: &mut Lcg) -> FlowGraph {
        let n = 1 + rng.below(25);
        // Edges go from lower to higher position, so the graph is acyclic, and every
        // position after the first has a parent, so all are reachable from position 0.
        let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
        for i in 1..n {
            let p = rng.below(i);
            succ[p].push(i);
        }
        for (i, out) in succ.iter_mut().enumerate().take(n.saturating_sub(1)) {
            if rng.chance(25) && !out.is_empty() {
                continue;
            }
            let want = 1 + rng.below(4);
            for _ in 0..8 {
                if out.len() >= want {
                    break;
                }
                let t = i + 1 + rng.below(n - i - 1);
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        for out in &mut succ {
            // The first out-edge is not always the longest way on.
            for j in (1..out.len()).rev() {
                let s = rng.below(j + 1);
                out.swap(j, s);
            }
        }
        let mut perm: Vec<usize> = (0..n).collect();
        for j in (1..n).rev() {
            let s = rng.below(j + 1);
            perm.swap(j, s);
        }
        let mut nodes: Vec<Option<FlowNode>> = vec![None; n];
        let mut edges = Vec::new();
        for (pos, out) in succ.iter().enumerate() {
            let shape = match out.len() {
                0 => Shape::Ending,
                1 if rng.chance(10) => Shape::Decision,
                1 => Shape::Stage,
                _ if rng.chance(80) => Shape::Decision,
                _ => Shape::Stage,
            };
            let label = (shape == Shape::Stage && rng.chance(70)).then(|| format!("Stage {pos}"));
            let long = rng.chance(15);
            let text = if rng.chance(10) {
                String::new()
            } else {
                words(rng, long)
            };
            nodes[perm[pos]] = Some(FlowNode {
                id: format!("n{pos}"),
                shape,
                label,
                text,
                class: rng.chance(50).then(|| "outcome-x".to_string()),
                href: rng.chance(50).then(|| format!("#n{pos}")),
            });
            for &t in out {
                let label = if shape == Shape::Decision || rng.chance(10) {
                    Some(match rng.below(4) {
                        0 => "Yes".to_string(),
                        1 => "No".to_string(),
                        2 => words(rng, false),
                        _ => words(rng, true).chars().take(60).collect(),
                    })
                } else {
                    None
                };
                edges.push(edge(perm[pos], perm[t], label.as_deref()));
            }
        }
        for j in (1..edges.len()).rev() {
            if rng.chance(30) {
                let s = rng.below(j + 1);
                edges.swap(j, s);
            }
        }
        FlowGraph {
            nodes: nodes.into_iter().flatten().collect(),
            edges,
            start: perm[0],
        }
    }

    #[test]
    fn sample_procedures_meet_every_invariant() {
        for (name, g) in samples() {
            assert_ok(name, &g, true);
        }
    }

    #[test]
    fn the_checker_catches_broken_layouts() {
        let g = two_decisions();
        let good = layout(&g);
        check(&g, &good, true).unwrap();
        type Breakage = fn(&mut Layout);
        let breakages: [(&str, Breakage); 7] = [
            ("overlap", |l| l.nodes[3].rect.y = l.nodes[1].rect.y + 10.0),
            ("not orthogonal", |l| l.edges[0].points[1].0 += 5.0),
            ("crosses node 3", |l| {
                // "Yes" from the first decision, rerouted down through stage 2.
                let (d, s2, end) = (l.nodes[1].rect, l.nodes[3].rect, l.nodes[2].rect);
                l.edges[1].points = vec![
                    (d.cx(), d.bottom()),
                    (d.cx(), s2.cy()),
                    (end.cx(), s2.cy()),
                    (end.cx(), end.y),
                ];
                l.edges[1].label = None;
            }),
            ("overlaps node", |l| {
                let r = l.nodes[2].rect;
                if let Some(label) = &mut l.edges[1].label {
                    label.rect.x = r.x;
                    label.rect.y = r.y;
                }
            }),
            ("overflows", |l| l.nodes[1].rect.w -= 60.0),
            ("out of bounds", |l| l.width = 50.0),
            ("one column", |l| l.main_route = vec![0, 1, 2]),
        ];
        for (expected, breakage) in breakages {
            let mut bad = good.clone();
            breakage(&mut bad);
            match check(&g, &bad, true) {
                Ok(()) => panic!("{expected}: went unnoticed"),
                Err(msg) => assert!(msg.contains(expected), "{expected}: caught as {msg}"),
            }
        }
    }

    #[test]
    fn linear_procedure_is_one_column_with_side_exit() {
        let g = linear();
        let l = assert_ok("linear", &g, true);
        let x = l.nodes[0].rect.cx();
        assert!(approx(l.nodes[1].rect.cx(), x));
        assert_eq!(l.main_route, vec![0, 1, 2]);
        // The second ending sits beside the first, not below it.
        assert_eq!(l.nodes[2].rank, l.nodes[3].rank);
        assert!(l.nodes[3].rect.x > l.nodes[2].rect.right());
        // Stage 1 to stage 2 is one straight vertical line.
        assert_eq!(l.edges[0].points.len(), 2);
    }

    #[test]
    fn resolved_branch_goes_to_the_side_and_main_route_continues_down() {
        let g = two_decisions();
        let l = assert_ok("two-decisions", &g, true);
        assert_eq!(l.main_route, vec![0, 1, 3, 4, 5, 6]);
        let resolved = &l.nodes[2].rect;
        assert!(
            resolved.x > l.nodes[1].rect.right(),
            "resolved ending should be to the right"
        );
        // "Yes" leaves the diamond from its right corner, along a horizontal run.
        let yes = &l.edges[1];
        let d1 = &l.nodes[1].rect;
        assert_eq!(yes.points[0], (d1.right(), d1.cy()));
        assert!(approx(yes.points[1].1, d1.cy()));
        // Its label sits on that run, between the diamond and the turn.
        let lr = yes.label.as_ref().map(|p| p.rect).unwrap_or_default();
        assert!(lr.x >= d1.right() && lr.bottom() <= d1.cy());
        // "No" runs straight down.
        assert_eq!(l.edges[2].points.len(), 2);
    }

    #[test]
    fn parallel_stage_twos_rejoin_at_stage_three() {
        let g = doncaster();
        let l = assert_ok("doncaster", &g, true);
        let (a, b) = (&l.nodes[2].rect, &l.nodes[3].rect);
        assert_eq!(
            l.nodes[2].rank, l.nodes[3].rank,
            "stage 2a and 2b side by side"
        );
        assert!(!approx(a.cx(), b.cx()));
        let s3 = &l.nodes[4].rect;
        for k in [3, 4] {
            let last = *l.edges[k].points.last().unwrap();
            assert_eq!(
                last,
                (s3.cx(), s3.y),
                "edge {k} enters stage 3 at the top centre"
            );
        }
        // Both answers are labelled, and the labels are apart.
        let la = l.edges[1].label.as_ref().unwrap().rect;
        let lb = l.edges[2].label.as_ref().unwrap().rect;
        assert!(!la.intersects(&lb, 0.0));
    }

    #[test]
    fn chair_decision_sends_formal_complaints_off_to_the_side() {
        let g = chair_decides();
        let l = assert_ok("chair", &g, true);
        assert_eq!(l.main_route[..5], [0, 1, 3, 4, 6]);
        assert_ne!(l.nodes[5].column, l.nodes[4].column);
        assert_eq!(l.nodes[0].rank, 0);
    }

    #[test]
    fn four_answers_with_long_texts() {
        let g = four_answers();
        let l = assert_ok("four", &g, true);
        let d = &l.nodes[1];
        assert!(d.lines.len() >= 5, "the long question is wrapped");
        let columns: Vec<usize> = (2..6).map(|v| l.nodes[v].column).collect();
        let mut distinct = columns.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(
            distinct.len(),
            4,
            "each answer gets its own column: {columns:?}"
        );
        for k in 1..5 {
            let label = l.edges[k].label.as_ref().unwrap();
            assert!(label.text_lines.len() >= 2, "60-character labels wrap");
        }
        // Without crossings: the answers to the right of the main route are reached in
        // column order, the nearest from below and the farthest along the row.
        let right: Vec<usize> = (1..5)
            .filter(|&k| l.nodes[g.edges[k].to].column > d.column)
            .collect();
        for &k in &right {
            for &j in &right {
                if k != j {
                    assert!(
                        !paths_cross(&l.edges[k].points, &l.edges[j].points),
                        "edges {k} and {j} cross"
                    );
                }
            }
        }
    }

    #[test]
    fn long_edge_goes_around_the_stages_it_skips() {
        let g = skip_ahead();
        let l = assert_ok("skip-ahead", &g, true);
        assert_eq!(l.main_route, vec![0, 1, 2, 3, 4, 5]);
        let yes = &l.edges[1].points;
        let column_right = [2, 3]
            .iter()
            .map(|&v| l.nodes[v].rect.right())
            .fold(0.0, f64::max);
        let column_left = [2, 3]
            .iter()
            .map(|&v| l.nodes[v].rect.x)
            .fold(f64::INFINITY, f64::min);
        // It runs down a lane beside the column, clear of the boxes it passes.
        assert!(yes.windows(2).any(|w| {
            approx(w[0].0, w[1].0)
                && (w[0].0 > column_right || w[0].0 < column_left)
                && (w[1].1 - w[0].1).abs() > 100.0
        }));
        let s4 = &l.nodes[4].rect;
        assert_eq!(*yes.last().unwrap(), (s4.cx(), s4.y));
    }

    /// Whether two polylines cross properly (touching or sharing a start does not count).
    fn paths_cross(a: &[(f64, f64)], b: &[(f64, f64)]) -> bool {
        for s in a.windows(2) {
            for t in b.windows(2) {
                let (sv, tv) = (approx(s[0].0, s[1].0), approx(t[0].0, t[1].0));
                if sv == tv {
                    continue;
                }
                let (v, h) = if sv { (s, t) } else { (t, s) };
                let x = v[0].0;
                let y = h[0].1;
                let (vy0, vy1) = (v[0].1.min(v[1].1), v[0].1.max(v[1].1));
                let (hx0, hx1) = (h[0].0.min(h[1].0), h[0].0.max(h[1].0));
                if x > hx0 + EPS && x < hx1 - EPS && y > vy0 + EPS && y < vy1 - EPS {
                    return true;
                }
            }
        }
        false
    }

    #[test]
    fn random_dags_meet_every_invariant() {
        let mut rng = Lcg(0x5eed_f10c);
        for case in 0..600 {
            let g = random_dag(&mut rng);
            assert_ok(&format!("random case {case}"), &g, true);
        }
    }

    #[test]
    fn random_broken_graphs_degrade_gracefully() {
        let mut rng = Lcg(42);
        for case in 0..300 {
            let mut g = random_dag(&mut rng);
            let n = g.nodes.len();
            // Cycles, self-loops, duplicates, unreachable nodes, missing nodes.
            for _ in 0..rng.below(6) {
                let (a, b) = (rng.below(n), rng.below(n));
                g.edges.push(edge(a, b, rng.chance(50).then_some("back")));
            }
            if rng.chance(30) {
                g.nodes.push(stage("orphan", "Stage X", "Nobody gets here"));
                g.nodes
                    .push(ending("orphan-end", "Orphan ending", "outcome-x"));
                g.edges.push(edge(n, n + 1, None));
                g.edges
                    .push(edge(n + 1, rng.below(n), Some("into the main part")));
            }
            if rng.chance(20) {
                g.edges.push(edge(n + 7, 0, None));
            }
            if rng.chance(10) {
                g.start = n + 100;
            }
            let l = assert_ok(&format!("broken case {case}"), &g, false);
            assert!(l.width.is_finite() && l.height.is_finite());
        }
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        let empty = FlowGraph::default();
        let l = layout(&empty);
        assert!(l.nodes.is_empty() && l.width > 0.0);
        check_svg(
            &render_svg(&empty, &l, "empty", "Empty", "Nothing"),
            "empty",
        )
        .unwrap();

        let single = FlowGraph {
            nodes: vec![stage("only", "Stage 1", "")],
            edges: vec![edge(0, 0, Some("self")), edge(0, 5, None), edge(9, 0, None)],
            start: 0,
        };
        assert_ok("single", &single, false);

        let cycle = FlowGraph {
            nodes: vec![
                stage("a", "A", "First"),
                decision("b", "Again?"),
                stage("c", "C", "Third"),
            ],
            edges: vec![
                edge(0, 1, None),
                edge(1, 2, Some("Yes")),
                edge(2, 0, Some("Loop")),
                edge(1, 0, Some("No")),
            ],
            start: 0,
        };
        let l = assert_ok("cycle", &cycle, false);
        assert!(l.edges.iter().all(|e| e.points.len() >= 2));

        let huge_word = "x".repeat(20_000);
        let huge_text = "word ".repeat(5_000);
        let huge = FlowGraph {
            nodes: vec![
                stage("a", &huge_word, &huge_text),
                decision("b", &huge_text),
                ending("c", &huge_word, "outcome"),
            ],
            edges: vec![edge(0, 1, Some(&huge_text)), edge(1, 2, Some(&huge_word))],
            start: 0,
        };
        assert_ok("huge", &huge, true);

        let control = FlowGraph {
            nodes: vec![stage("a", "Stage\u{0}1", "tab\there\u{7}bell\nnewline")],
            edges: Vec::new(),
            start: 0,
        };
        let l = assert_ok("control", &control, true);
        let svg = render_svg(&control, &l, "c", "t\u{1}", "d");
        assert!(!svg.contains('\u{0}') && !svg.contains('\u{7}') && !svg.contains('\u{1}'));
        check_svg(&svg, "c").unwrap();
    }

    #[test]
    fn layout_is_deterministic() {
        let mut rng = Lcg(7);
        for _ in 0..50 {
            let g = random_dag(&mut rng);
            let (a, b) = (layout(&g), layout(&g));
            assert_eq!(a, b);
            assert_eq!(
                render_svg(&g, &a, "p", "T", "D"),
                render_svg(&g, &b, "p", "T", "D")
            );
        }
    }

    #[test]
    fn coordinates_are_half_pixels() {
        // Half pixels print exactly with one decimal, so rounding moves nothing.
        let mut rng = Lcg(99);
        for _ in 0..100 {
            let g = random_dag(&mut rng);
            let l = layout(&g);
            let half = |v: f64| approx((v * 2.0).round(), v * 2.0);
            for n in &l.nodes {
                assert!(half(n.rect.x) && half(n.rect.y) && half(n.rect.w) && half(n.rect.h));
            }
            for e in &l.edges {
                assert!(e.points.iter().all(|&(x, y)| half(x) && half(y)));
            }
        }
    }

    #[test]
    fn wrapping_respects_the_width() {
        for text in [
            "",
            "a",
            "Was the complaint resolved at stage one?",
            &"W".repeat(80),
            "mmm iii WWW ...",
        ] {
            for line in wrap_text(text, 100.0, FONT_SIZE, true) {
                assert!(
                    estimate_text_width(&line, FONT_SIZE, true) <= 100.0 + EPS,
                    "{line:?}"
                );
                assert!(!line.is_empty());
            }
        }
        assert_eq!(
            wrap_text("  one  two ", 500.0, FONT_SIZE, false),
            vec!["one two"]
        );
        assert!(wrap_text(" \n\t ", 100.0, FONT_SIZE, false).is_empty());
        // Balanced wrapping keeps the words, the line count and the width.
        let mut rng = Lcg(11);
        for _ in 0..300 {
            let long = rng.chance(50);
            let text = words(&mut rng, long);
            let greedy = wrap_text(&text, 200.0, FONT_SIZE, false);
            let balanced = wrap_balanced(&text, 200.0, FONT_SIZE, false);
            assert_eq!(balanced.len(), greedy.len(), "{text:?}");
            assert_eq!(balanced.join(" "), greedy.join(" "));
            for line in &balanced {
                assert!(estimate_text_width(line, FONT_SIZE, false) <= 200.0 + EPS);
            }
        }
        assert_eq!(
            wrap_balanced(
                "Were you satisfied with the response?",
                200.0,
                FONT_SIZE,
                false
            ),
            vec!["Were you satisfied", "with the response?"]
        );
    }

    /// A small well-formedness check: balanced tags, quoted attributes, entities only
    /// from the five XML ones (or numeric), unique ids that start with the prefix.
    fn check_svg(svg: &str, prefix: &str) -> Result<(), String> {
        fn check_text(t: &str) -> Result<(), String> {
            if t.contains('<') || t.contains('>') {
                return Err(format!("raw angle bracket in {t:?}"));
            }
            let mut rest = t;
            while let Some(i) = rest.find('&') {
                rest = &rest[i + 1..];
                let end = rest
                    .find(';')
                    .ok_or(format!("unterminated entity in {t:?}"))?;
                let name = &rest[..end];
                let ok = matches!(name, "amp" | "lt" | "gt" | "quot" | "apos")
                    || (name.starts_with('#') && name.len() > 1);
                if !ok {
                    return Err(format!("bad entity &{name};"));
                }
                rest = &rest[end + 1..];
            }
            Ok(())
        }
        let mut stack: Vec<String> = Vec::new();
        let mut ids: Vec<String> = Vec::new();
        let mut rest = svg;
        let mut roots = 0;
        while let Some(open) = rest.find('<') {
            check_text(&rest[..open])?;
            rest = &rest[open + 1..];
            let close = rest.find('>').ok_or("unclosed tag")?;
            let tag = &rest[..close];
            rest = &rest[close + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                match stack.pop() {
                    Some(top) if top == name.trim() => {}
                    other => return Err(format!("</{name}> closes {other:?}")),
                }
                continue;
            }
            let self_closing = tag.ends_with('/');
            let body = tag.trim_end_matches('/');
            let name_end = body.find(char::is_whitespace).unwrap_or(body.len());
            let name = &body[..name_end];
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':')
            {
                return Err(format!("bad tag name {name:?}"));
            }
            if stack.is_empty() {
                roots += 1;
            }
            // Attributes: name="value" pairs.
            let mut attrs = body[name_end..].trim();
            let mut names: Vec<&str> = Vec::new();
            while !attrs.is_empty() {
                let eq = attrs
                    .find("=\"")
                    .ok_or(format!("bad attributes in <{tag}>"))?;
                let attr = attrs[..eq].trim();
                let value_end = attrs[eq + 2..].find('"').ok_or("unterminated attribute")? + eq + 2;
                let value = &attrs[eq + 2..value_end];
                check_text(value)?;
                if names.contains(&attr) {
                    return Err(format!("duplicate attribute {attr}"));
                }
                names.push(attr);
                if attr == "style" {
                    return Err("style attribute".into());
                }
                if attr == "id" {
                    ids.push(value.to_string());
                }
                attrs = attrs[value_end + 1..].trim_start();
            }
            if !self_closing {
                stack.push(name.to_string());
            }
        }
        check_text(rest.trim())?;
        if !stack.is_empty() {
            return Err(format!("unclosed {stack:?}"));
        }
        if roots != 1 {
            return Err(format!("{roots} root elements"));
        }
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        if sorted.len() != ids.len() {
            return Err(format!("duplicate ids {ids:?}"));
        }
        if let Some(bad) = ids.iter().find(|id| !id.starts_with(&format!("{prefix}-"))) {
            return Err(format!("id {bad} lacks the prefix"));
        }
        Ok(())
    }

    #[test]
    fn svg_is_well_formed_and_classed() {
        for (name, g) in samples() {
            let l = layout(&g);
            let svg = render_svg(&g, &l, name, "Flowchart", "How the procedure goes");
            check_svg(&svg, name).unwrap_or_else(|e| panic!("{name}: {e}\n{svg}"));
            assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "));
            assert!(svg.contains(&format!("aria-labelledby=\"{name}-title {name}-desc\"")));
            assert!(svg.contains("role=\"img\""));
            assert!(svg.contains("class=\"flowchart\""));
            assert!(svg.contains(&format!("<title id=\"{name}-title\">Flowchart</title>")));
            assert!(svg.contains(&format!(
                "<desc id=\"{name}-desc\">How the procedure goes</desc>"
            )));
            assert!(svg.contains(&format!("marker-end=\"url(#{name}-arrow)\"")));
            assert!(!svg.contains("style="));
            assert!(!svg.contains("<style"));
            assert!(!svg.contains("fill=") && !svg.contains("stroke="));
            for class in [
                "flow-node",
                "flow-stage",
                "flow-ending",
                "flow-edge",
                "flow-label",
                "flow-arrow",
            ] {
                assert!(svg.contains(class), "{name} lacks {class}");
            }
            let decisions = g
                .nodes
                .iter()
                .filter(|n| n.shape == Shape::Decision)
                .count();
            assert_eq!(svg.matches("flow-node flow-decision").count(), decisions);
            assert_eq!(svg.matches("<polygon").count(), decisions);
            let drawn = l.edges.iter().filter(|e| e.points.len() >= 2).count();
            assert_eq!(svg.matches("class=\"flow-edge\"").count(), drawn);
            let links = g.nodes.iter().filter(|n| n.href.is_some()).count();
            assert_eq!(svg.matches("<a href=").count(), links);
            // Coordinates carry at most one decimal.
            for number in svg.split(|c: char| !(c.is_ascii_digit() || c == '.')) {
                if let Some((_, frac)) = number.split_once('.') {
                    assert!(frac.len() <= 1, "{number}");
                }
            }
        }
    }

    #[test]
    fn svg_escapes_text() {
        let mut g = linear();
        g.nodes[0].text = "Use <script>alert('x')</script> & \"quotes\"".to_string();
        g.nodes[0].label = Some("A & B".to_string());
        g.nodes[0].href = Some("#a?b=1&c=<2>".to_string());
        g.nodes[0].class = Some("outcome-\"x\"".to_string());
        g.nodes[0].id = "id&<".to_string();
        g.edges[1].label = Some("<b>Yes</b> & no".to_string());
        let l = layout(&g);
        let svg = render_svg(&g, &l, "esc", "Title <script>", "Desc & more");
        check_svg(&svg, "esc").unwrap_or_else(|e| panic!("{e}\n{svg}"));
        assert!(!svg.contains("<script"));
        assert!(!svg.contains("<b>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("A &amp; B"));
        assert!(svg.contains("Desc &amp; more"));
        assert!(svg.contains("href=\"#a?b=1&amp;c=&lt;2&gt;\""));
        assert!(svg.contains("&apos;x&apos;"));
        assert!(svg.contains("outcome-&quot;x&quot;"));
    }

    #[test]
    fn id_prefix_is_made_safe() {
        let g = linear();
        let l = layout(&g);
        let svg = render_svg(&g, &l, "9 bad\"prefix", "T", "D");
        check_svg(&svg, "fc-9-bad-prefix").unwrap();
        assert_eq!(sanitize_id("proc-1_a"), "proc-1_a");
    }

    #[test]
    fn numbers_print_compactly() {
        let mut s = String::new();
        for v in [0.0, 12.0, 12.5, -0.5, -3.25, 1e3, f64::NAN, 0.04] {
            push_num(&mut s, v);
            s.push(' ');
        }
        assert_eq!(s, "0 12 12.5 -0.5 -3.3 1000 0 0 ");
    }
}
