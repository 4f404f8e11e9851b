//! The layout's output: rectangles in SVG user units and where every node, edge and
//! label ended up.

/// Empty space around the drawing, and at the outer sides of the outermost columns
/// and rows.
pub(super) const MARGIN: f64 = 10.0;
/// Distance between a label and the vertical line it sits beside.
pub(super) const LABEL_OFFSET: f64 = 6.0;
/// Distance between a label and the horizontal line it sits on.
pub(super) const LABEL_LIFT: f64 = 3.0;

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

/// A flowchart laid out, ready for [`render_svg`](super::render_svg).
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

/// The smallest rectangle around everything drawn, grown point by point.
pub(super) struct Bounds {
    pub(super) min_x: f64,
    pub(super) min_y: f64,
    pub(super) max_x: f64,
    pub(super) max_y: f64,
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
    pub(super) fn add(&mut self, x: f64, y: f64) {
        self.min_x = self.min_x.min(x);
        self.min_y = self.min_y.min(y);
        self.max_x = self.max_x.max(x);
        self.max_y = self.max_y.max(y);
    }

    pub(super) fn add_rect(&mut self, rect: &Rect) {
        self.add(rect.x, rect.y);
        self.add(rect.right(), rect.bottom());
    }
}
