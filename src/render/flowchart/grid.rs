//! Columns: puts every ranked node in a cell of the grid, the main route in one column
//! and each side route (a "chain" of nodes that follow one another) in the nearest
//! column whose cells it needs are free.

use super::graph::{FlowGraph, GroupedLists};
use super::rank::Ranking;

/// Which ranks of each column are spoken for, as closed intervals; columns are
/// numbered relative to the main route's column 0, negative to its left.
#[derive(Default)]
struct Occupancy {
    right: Vec<Vec<(usize, usize)>>,
    left: Vec<Vec<(usize, usize)>>,
}

impl Occupancy {
    fn column(&self, column: i32) -> Option<&Vec<(usize, usize)>> {
        if column >= 0 {
            self.right.get(column as usize)
        } else {
            self.left.get((-1 - column) as usize)
        }
    }

    /// Whether no rank from `first` to `last` of `column` is spoken for.
    fn is_free(&self, column: i32, first: usize, last: usize) -> bool {
        self.column(column).is_none_or(|spans| {
            spans
                .iter()
                .all(|&(span_first, span_last)| span_last < first || span_first > last)
        })
    }

    fn block(&mut self, column: i32, first: usize, last: usize) {
        let (side, index) = if column >= 0 {
            (&mut self.right, column as usize)
        } else {
            (&mut self.left, (-1 - column) as usize)
        };
        if side.len() <= index {
            side.resize_with(index + 1, Vec::new);
        }
        side[index].push((first, last));
    }
}

/// Final rank and column of every node.
pub(super) struct Grid {
    pub(super) rank: Vec<usize>,
    /// Column of each node, counted from the left.
    pub(super) column: Vec<usize>,
    pub(super) column_count: usize,
    pub(super) rank_count: usize,
    /// Nodes of each column, by rank.
    by_column: GroupedLists,
}

impl Grid {
    /// The node in the cell at `column` and `rank`, if any.
    pub(super) fn node_at(&self, column: usize, rank: usize) -> Option<usize> {
        let list = self.by_column.get(column);
        list.binary_search_by_key(&rank, |&node| self.rank[node])
            .ok()
            .map(|i| list[i])
    }

    /// Whether `column` holds a node strictly between ranks `above` and `below`.
    pub(super) fn occupied_between(&self, column: usize, above: usize, below: usize) -> bool {
        let list = self.by_column.get(column);
        let i = list.partition_point(|&node| self.rank[node] <= above);
        list.get(i).is_some_and(|&node| self.rank[node] < below)
    }
}

/// Column assignment in progress.
struct ColumnBuilder<'a> {
    graph: &'a FlowGraph,
    ranking: &'a Ranking,
    /// Column of each node placed so far, relative to the main route's.
    relative_column: Vec<Option<i32>>,
    occupancy: Occupancy,
    /// The chain being placed; kept to reuse its allocation.
    chain: Vec<usize>,
}

impl ColumnBuilder<'_> {
    /// Gives `head` and the nodes that follow it down its longest way (and are still
    /// unplaced) the nearest column in direction `direction` from `anchor` whose ranks
    /// are free.
    fn place_chain(
        &mut self,
        head: usize,
        anchor: i32,
        direction: i32,
        parent_rank: Option<usize>,
    ) {
        let rank = &self.ranking.rank;
        self.chain.clear();
        self.chain.push(head);
        // Mark chain nodes as taken while the chain grows, so it cannot fork back
        // into itself; the real column replaces the mark below.
        self.relative_column[head] = Some(i32::MIN);
        let mut tail = head;
        while let Some(next) =
            self.ranking
                .longest_successor(self.graph, tail, &self.relative_column)
        {
            self.chain.push(next);
            self.relative_column[next] = Some(i32::MIN);
            tail = next;
        }
        let (first, last) = (rank[head], rank[tail]);
        let mut column = anchor + direction;
        // Only finitely many columns hold anything, so a free one comes.
        while !self.occupancy.is_free(column, first, last) {
            column += direction;
        }
        self.occupancy.block(column, first, last);
        // Keep the cells between the parent and the chain empty, so the edge into the
        // chain can drop straight down into it.
        if let Some(parent_rank) = parent_rank
            && parent_rank < first
            && self.occupancy.is_free(column, parent_rank, first - 1)
        {
            self.occupancy.block(column, parent_rank, first - 1);
        }
        for &node in &self.chain {
            self.relative_column[node] = Some(column);
        }
    }

    /// Places the unplaced forward successors of `node`, one chain each.
    fn place_branches_of(&mut self, node: usize) {
        let ranking = self.ranking;
        let node_column = self.relative_column[node].unwrap_or(0);
        let mut branches = 0;
        for &edge in ranking.out_edges.get(node) {
            let target = self.graph.edges[edge].to;
            if !ranking.is_forward[edge] || self.relative_column[target].is_some() {
                continue;
            }
            // Off the main route the first branch goes right and the next
            // left; further out, branches keep moving away from it.
            let direction = match node_column.signum() {
                0 if branches % 2 == 1 => -1,
                0 => 1,
                side => side,
            };
            branches += 1;
            self.place_chain(target, node_column, direction, Some(ranking.rank[node]));
        }
    }
}

/// Gives every node a column: the main route column 0, side routes columns of their
/// own next to the node they branch off, and unreachable nodes columns on the right.
pub(super) fn assign_columns(graph: &FlowGraph, ranking: &Ranking, main_route: &[usize]) -> Grid {
    let node_count = graph.nodes.len();
    let rank = &ranking.rank;
    let rank_count = rank.iter().max().map_or(1, |r| r + 1);
    let mut builder = ColumnBuilder {
        graph,
        ranking,
        relative_column: vec![None; node_count],
        occupancy: Occupancy::default(),
        chain: Vec::new(),
    };
    for &node in main_route {
        builder.relative_column[node] = Some(0);
    }
    if let (Some(&first), Some(&last)) = (main_route.first(), main_route.last()) {
        builder.occupancy.block(0, rank[first], rank[last]);
    }
    let by_rank_pairs: Vec<(usize, usize)> = (0..node_count).map(|v| (rank[v], v)).collect();
    let by_rank = GroupedLists::build(rank_count, &by_rank_pairs);
    let mut processed = vec![false; node_count];
    let mut batch: Vec<usize> = Vec::new();
    loop {
        // Branches are placed from the top down, so a node's column is known before
        // the nodes it leads to are placed.
        for row in 0..rank_count {
            batch.clear();
            batch.extend(
                by_rank
                    .get(row)
                    .iter()
                    .copied()
                    .filter(|&v| !processed[v] && builder.relative_column[v].is_some()),
            );
            // Nodes nearest the main route branch first, so their chains sit closest.
            batch.sort_by_key(|&v| {
                let column = builder.relative_column[v].unwrap_or(0);
                (column.unsigned_abs(), column, v)
            });
            for &node in &batch {
                processed[node] = true;
                builder.place_branches_of(node);
            }
        }
        // Nodes not reached from the start: the topmost starts a chain on the right,
        // and the sweep above places what branches off it.
        let leftover = (0..node_count)
            .filter(|&v| builder.relative_column[v].is_none())
            .min_by_key(|&v| (rank[v], v));
        match leftover {
            Some(node) => {
                let anchor = builder.occupancy.right.len() as i32 - 1;
                builder.place_chain(node, anchor.max(0), 1, None);
            }
            None => break,
        }
    }
    number_columns(&builder.relative_column, ranking, &by_rank, rank_count)
}

/// Numbers the used relative columns from 0 on the left, leaving out empty ones.
fn number_columns(
    relative_column: &[Option<i32>],
    ranking: &Ranking,
    by_rank: &GroupedLists,
    rank_count: usize,
) -> Grid {
    let mut used: Vec<i32> = relative_column.iter().map(|c| c.unwrap_or(0)).collect();
    used.sort_unstable();
    used.dedup();
    let column: Vec<usize> = relative_column
        .iter()
        .map(|c| used.binary_search(&c.unwrap_or(0)).unwrap_or(0))
        .collect();
    let mut pairs: Vec<(usize, usize)> = Vec::with_capacity(relative_column.len());
    for row in 0..rank_count {
        pairs.extend(by_rank.get(row).iter().map(|&v| (column[v], v)));
    }
    let column_count = used.len().max(1);
    Grid {
        by_column: GroupedLists::build(column_count, &pairs),
        rank: ranking.rank.clone(),
        column,
        column_count,
        rank_count,
    }
}
