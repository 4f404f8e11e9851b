//! The layout's input: a directed graph of shaped, labelled nodes, and the grouped
//! lists the later stages index it with.

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
/// [`layout`](super::layout()) accepts any graph, though: cycles, self-loops, unreachable nodes and
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

impl FlowGraph {
    /// Whether an edge can be drawn at all: both ends exist and are different nodes.
    pub(super) fn is_drawable(&self, edge: &FlowEdge) -> bool {
        let node_count = self.nodes.len();
        edge.from < node_count && edge.to < node_count && edge.from != edge.to
    }
}

/// Lists grouped by key: the items of key `i` are `items[offsets[i]..offsets[i + 1]]`,
/// in the order they were given (compressed sparse rows).
pub(super) struct GroupedLists {
    offsets: Vec<usize>,
    items: Vec<usize>,
}

impl GroupedLists {
    /// Groups the `(key, item)` pairs; every key must be below `key_count`.
    pub(super) fn build(key_count: usize, pairs: &[(usize, usize)]) -> GroupedLists {
        let mut offsets = vec![0; key_count + 1];
        for &(key, _) in pairs {
            offsets[key + 1] += 1;
        }
        for key in 0..key_count {
            offsets[key + 1] += offsets[key];
        }
        let mut next_slot = offsets.clone();
        let mut items = vec![0; pairs.len()];
        for &(key, item) in pairs {
            items[next_slot[key]] = item;
            next_slot[key] += 1;
        }
        GroupedLists { offsets, items }
    }

    /// The items of `key`, in the order they were given.
    pub(super) fn get(&self, key: usize) -> &[usize] {
        &self.items[self.offsets[key]..self.offsets[key + 1]]
    }
}
