//! Ranking: which row each node goes in, by the longest path from the top over the
//! edges that do not close a cycle, and the main route down from the start.

use super::graph::{FlowGraph, GroupedLists};

/// Depth-first search states of a node while cycles are broken.
const UNSEEN: u8 = 0;
const ON_STACK: u8 = 1;
const FINISHED: u8 = 2;

/// Ranks by longest path over the edges that do not close a cycle.
pub(super) struct Ranking {
    /// Drawable edge indices by source node, in the graph's order.
    pub(super) out_edges: GroupedLists,
    /// Whether an edge takes part in ranking; edges that close a cycle (and edges into
    /// the start, which must stay on top) do not.
    pub(super) is_forward: Vec<bool>,
    /// Row of each node, counted from the top.
    pub(super) rank: Vec<usize>,
    /// Whether an edge leads from a node with many answers to one of the endings
    /// stacked under it (see [`stack_endings`]): such edges share a bus.
    pub(super) is_bus: Vec<bool>,
    /// Length of the longest forward path leaving each node.
    height: Vec<usize>,
}

impl Ranking {
    /// Ranks the nodes of `graph`, whose drawable edges are `out_edges`.
    pub(super) fn new(graph: &FlowGraph, out_edges: GroupedLists, start: usize) -> Ranking {
        let is_forward = find_forward_edges(graph, &out_edges, start);
        let order = topological_order(graph, &out_edges, &is_forward);
        let node_count = graph.nodes.len();
        let forward_targets = |node: usize| {
            out_edges
                .get(node)
                .iter()
                .filter(|&&edge| is_forward[edge])
                .map(|&edge| graph.edges[edge].to)
        };
        let mut rank = vec![0usize; node_count];
        for &node in &order {
            for target in forward_targets(node) {
                rank[target] = rank[target].max(rank[node] + 1);
            }
        }
        let is_bus = stack_endings(graph, &out_edges, &is_forward, &mut rank);
        let mut height = vec![0usize; node_count];
        for &node in order.iter().rev() {
            for target in forward_targets(node) {
                height[node] = height[node].max(height[target] + 1);
            }
        }
        Ranking {
            out_edges,
            is_forward,
            rank,
            is_bus,
            height,
        }
    }

    /// The successor that starts the longest way on, the earliest edge on ties;
    /// successors that `column_of` already gives a column are passed over.
    pub(super) fn longest_successor(
        &self,
        graph: &FlowGraph,
        node: usize,
        column_of: &[Option<i32>],
    ) -> Option<usize> {
        let mut best: Option<usize> = None;
        for &edge in self.out_edges.get(node) {
            let target = graph.edges[edge].to;
            if self.is_forward[edge]
                && column_of[target].is_none()
                && best.is_none_or(|best| self.height[target] > self.height[best])
            {
                best = Some(target);
            }
        }
        best
    }

    /// The start and, from each node, its longest successor, down to a node without one.
    pub(super) fn main_route(&self, graph: &FlowGraph, start: usize) -> Vec<usize> {
        let unplaced = vec![None; graph.nodes.len()];
        let mut route = vec![start];
        let mut current = start;
        // Forward edges are acyclic, so this ends.
        while let Some(next) = self.longest_successor(graph, current, &unplaced) {
            route.push(next);
            current = next;
        }
        route
    }
}

/// Least number of endings out of one node that are stacked instead of set side by
/// side.
pub(super) const BUS_MIN: usize = 4;

/// Stacks the endings of a node with many: the nodes that only it leads to and that
/// lead nowhere, when there are [`BUS_MIN`] or more, go two to a row (one each side)
/// down the rows below it instead of all in the row below, so that the chart's width
/// stays bounded however many answers a question has. Returns which edges lead to a
/// stacked ending.
fn stack_endings(
    graph: &FlowGraph,
    out_edges: &GroupedLists,
    is_forward: &[bool],
    rank: &mut [usize],
) -> Vec<bool> {
    let node_count = graph.nodes.len();
    let mut in_degree = vec![0usize; node_count];
    for node in 0..node_count {
        for &edge in out_edges.get(node) {
            in_degree[graph.edges[edge].to] += 1;
        }
    }
    let mut is_bus = vec![false; graph.edges.len()];
    let mut endings: Vec<usize> = Vec::new();
    for node in 0..node_count {
        endings.clear();
        endings.extend(out_edges.get(node).iter().copied().filter(|&edge| {
            let target = graph.edges[edge].to;
            is_forward[edge] && in_degree[target] == 1 && out_edges.get(target).is_empty()
        }));
        if endings.len() < BUS_MIN {
            continue;
        }
        for (i, &edge) in endings.iter().enumerate() {
            rank[graph.edges[edge].to] = rank[node] + 1 + i / 2;
            is_bus[edge] = true;
        }
    }
    is_bus
}

/// Marks the edges that do not close a cycle, by depth-first search: an edge back to
/// a node still on the stack closes one. Edges into the start close one too, so that
/// it stays alone at the top.
fn find_forward_edges(graph: &FlowGraph, out_edges: &GroupedLists, start: usize) -> Vec<bool> {
    let node_count = graph.nodes.len();
    let mut is_forward = vec![false; graph.edges.len()];
    let mut state = vec![UNSEEN; node_count];
    // (node, how many of its out-edges have been followed)
    let mut stack: Vec<(usize, usize)> = Vec::new();
    // Depth-first from the start first, so that its edges are the ones kept.
    for root in std::iter::once(start).chain(0..node_count) {
        if state[root] != UNSEEN {
            continue;
        }
        state[root] = ON_STACK;
        stack.push((root, 0));
        while let Some(top) = stack.last_mut() {
            let (node, followed) = *top;
            if let Some(&edge) = out_edges.get(node).get(followed) {
                top.1 += 1;
                let target = graph.edges[edge].to;
                if target != start && state[target] != ON_STACK {
                    is_forward[edge] = true;
                    if state[target] == UNSEEN {
                        state[target] = ON_STACK;
                        stack.push((target, 0));
                    }
                }
            } else {
                state[node] = FINISHED;
                stack.pop();
            }
        }
    }
    is_forward
}

/// The nodes in an order where every forward edge goes from earlier to later (Kahn's
/// algorithm, sources in index order).
fn topological_order(
    graph: &FlowGraph,
    out_edges: &GroupedLists,
    is_forward: &[bool],
) -> Vec<usize> {
    let node_count = graph.nodes.len();
    let mut indegree = vec![0usize; node_count];
    for (edge, e) in graph.edges.iter().enumerate() {
        if is_forward[edge] {
            indegree[e.to] += 1;
        }
    }
    let mut order: Vec<usize> = (0..node_count).filter(|&v| indegree[v] == 0).collect();
    let mut head = 0;
    while let Some(&node) = order.get(head) {
        head += 1;
        for &edge in out_edges.get(node) {
            if is_forward[edge] {
                let target = graph.edges[edge].to;
                indegree[target] -= 1;
                if indegree[target] == 0 {
                    order.push(target);
                }
            }
        }
    }
    order
}
