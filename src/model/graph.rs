//! The procedure as a graph: lookups by id, reachability, cycles, the order
//! nodes are read in, and the wizard's walk.
//!
//! The wizard's walk lives here, not in the renderer, because `check` runs
//! route tests against exactly the walk that the wizard pages are built from.
//!
//! The graph works on checked [`Node`]s and also on the [`FlatNode`]s of a file
//! being checked (whose fields may not yet fit their kind), through [`GraphNode`].

use std::collections::HashMap;

use crate::model::{Answer, FlatNode, Node, NodeKind, Procedure, SCOPE_QUESTION_ID};

/// What a reader answers at a stage in the wizard.
pub const NOT_YET: &str = "not-yet";
/// What a reader answers at a stage that has finished.
pub const FINISHED: &str = "finished";
/// What a reader answers at a decision someone else takes, while still waiting for it.
pub const WAITING: &str = "waiting";

/// How the wizard leaves a node.
#[derive(Debug, Clone, Copy)]
pub enum WayOn<'a> {
    /// A stage: on to `next` once finished (absent only in a file that fails its checks).
    Stage {
        /// The node that follows.
        next: Option<&'a str>,
    },
    /// A decision: on by one of its answers.
    Decision {
        /// The answers, each naming the node it leads to.
        answers: &'a [Answer],
        /// Whether someone else takes the decision, so that the reader may still be waiting for it.
        waiting: bool,
    },
    /// An ending: nowhere.
    Ending,
}

/// What the graph needs of a node: its names and where it leads.
pub trait GraphNode {
    /// The node's id.
    fn id(&self) -> &str;
    /// The node's former ids.
    fn aliases(&self) -> &[String];
    /// How the wizard leaves the node.
    fn way_on(&self) -> WayOn<'_>;
    /// Every id the node leads to, in order.
    fn successors(&self) -> impl Iterator<Item = &str>;
}

impl GraphNode for Node {
    fn id(&self) -> &str {
        Node::id(self)
    }

    fn aliases(&self) -> &[String] {
        Node::aliases(self)
    }

    fn way_on(&self) -> WayOn<'_> {
        match self {
            Node::Stage(stage) => WayOn::Stage {
                next: Some(&stage.next),
            },
            Node::Decision(decision) => WayOn::Decision {
                answers: &decision.answers,
                waiting: decision.taken_by_others(),
            },
            Node::Ending(_) => WayOn::Ending,
        }
    }

    fn successors(&self) -> impl Iterator<Item = &str> {
        Node::successors(self)
    }
}

impl GraphNode for FlatNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn aliases(&self) -> &[String] {
        &self.aliases
    }

    fn way_on(&self) -> WayOn<'_> {
        match self.kind {
            NodeKind::Stage => WayOn::Stage {
                next: self.next.as_deref(),
            },
            NodeKind::Decision => WayOn::Decision {
                answers: &self.answers,
                waiting: self.decided_by.is_some(),
            },
            NodeKind::Ending => WayOn::Ending,
        }
    }

    /// Every link written on the node, whether or not its kind may have it: a
    /// misplaced `next` is reported as such, not also as a node cut off behind it.
    fn successors(&self) -> impl Iterator<Item = &str> {
        self.next
            .as_deref()
            .into_iter()
            .chain(self.answers.iter().map(|a| a.next.as_str()))
    }
}

/// Index of a procedure's nodes by id (first occurrence wins; duplicates are reported by `check`).
pub struct Graph<'a, N = Node> {
    procedure: &'a Procedure<N>,
    by_id: HashMap<&'a str, usize>,
}

impl<'a, N: GraphNode> Graph<'a, N> {
    /// Indexes the nodes of `procedure`.
    pub fn new(procedure: &'a Procedure<N>) -> Self {
        let mut by_id = HashMap::with_capacity(procedure.nodes.len());
        for (i, node) in procedure.nodes.iter().enumerate() {
            by_id.entry(node.id()).or_insert(i);
        }
        Graph { procedure, by_id }
    }

    /// The procedure the graph is of.
    pub fn procedure(&self) -> &'a Procedure<N> {
        self.procedure
    }

    /// The node's position in `nodes`, if the id exists.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&'a N> {
        self.index_of(id).map(|i| &self.procedure.nodes[i])
    }

    /// The indices a node leads to (unresolved ids are skipped).
    pub fn successors(&self, index: usize) -> Vec<usize> {
        self.procedure.nodes[index]
            .successors()
            .filter_map(|id| self.index_of(id))
            .collect()
    }

    /// Where the guide can begin: `start`, and where the scope question's answers lead.
    fn roots(&self) -> Vec<usize> {
        let scope_answers = self
            .procedure
            .scope
            .as_ref()
            .and_then(|scope| scope.guide_question())
            .map_or(&[][..], |(_, answers)| answers);
        std::iter::once(self.procedure.start.as_str())
            .chain(scope_answers.iter().map(|a| a.next.as_str()))
            .filter_map(|id| self.index_of(id))
            .collect()
    }

    /// Which nodes can be reached from `start` or the scope question (all false when
    /// neither resolves).
    pub fn reachable(&self) -> Vec<bool> {
        let mut seen = vec![false; self.procedure.nodes.len()];
        let mut stack = self.roots();
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            stack.extend(self.successors(i).into_iter().filter(|&j| !seen[j]));
        }
        seen
    }

    /// Every distinct cycle's node indices, in order, each found once (iterative DFS, no recursion).
    pub fn cycles(&self) -> Vec<Vec<usize>> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Open,
            Done,
        }
        let n = self.procedure.nodes.len();
        let mut mark = vec![Mark::New; n];
        let mut cycles = Vec::new();
        for root in 0..n {
            if mark[root] != Mark::New {
                continue;
            }
            // Each frame: node and its successors still to visit.
            let mut stack: Vec<(usize, Vec<usize>)> = vec![(root, self.successors(root))];
            mark[root] = Mark::Open;
            while let Some((node, pending)) = stack.last_mut() {
                let node = *node;
                match pending.pop() {
                    Some(next) => match mark[next] {
                        Mark::New => {
                            mark[next] = Mark::Open;
                            stack.push((next, self.successors(next)));
                        }
                        Mark::Open => {
                            let from = stack.iter().position(|(i, _)| *i == next).unwrap_or(0);
                            cycles.push(stack[from..].iter().map(|(i, _)| *i).collect());
                        }
                        Mark::Done => {}
                    },
                    None => {
                        mark[node] = Mark::Done;
                        stack.pop();
                    }
                }
            }
        }
        cycles
    }

    /// The nodes in reading order: a depth-first walk from `start` that follows
    /// each node's first way on before its others, then any unreachable nodes.
    pub fn reading_order(&self) -> Vec<usize> {
        let n = self.procedure.nodes.len();
        let mut seen = vec![false; n];
        let mut order = Vec::with_capacity(n);
        let mut stack: Vec<usize> = self.roots().into_iter().rev().collect();
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            order.push(i);
            stack.extend(self.successors(i).into_iter().rev().filter(|&j| !seen[j]));
        }
        order.extend((0..n).filter(|&i| !seen[i]));
        order
    }
}

/// Why a wizard walk did not arrive anywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalkError {
    /// The procedure's start does not resolve.
    NoStart,
    /// Answer number `index` does not fit the question asked at `at`.
    BadAnswer {
        /// Which answer, counting from 0.
        index: usize,
        /// The node whose question it answers.
        at: String,
        /// The answers that would fit.
        expected: Vec<String>,
    },
    /// Answer number `index` was given after the walk had already stopped at `at`.
    TooManyAnswers {
        /// Which answer, counting from 0.
        index: usize,
        /// Where the walk stopped.
        at: String,
    },
    /// The answers ran out before the walk stopped; it was still asking at `at`.
    Unfinished {
        /// The node still asking.
        at: String,
    },
    /// The walk followed a reference that does not resolve, or went round a cycle.
    Broken {
        /// The node that could not be followed.
        at: String,
    },
}

/// The answers accepted at a node: `finished`/`not-yet` at a stage, each answer's key at a
/// decision, and `waiting` at a decision someone else takes.
pub fn accepted_answers(node: &impl GraphNode) -> Vec<String> {
    match node.way_on() {
        WayOn::Stage { .. } => vec![FINISHED.to_string(), NOT_YET.to_string()],
        WayOn::Decision { answers, waiting } => answers
            .iter()
            .map(|a| a.url_key())
            .chain(waiting.then(|| WAITING.to_string()))
            .collect(),
        WayOn::Ending => Vec::new(),
    }
}

/// Where one answer leads from a node.
enum Step<'a> {
    /// On to this id (absent when a stage has no `next`).
    To(Option<&'a str>),
    /// The reader is still at this stage: the walk stops here.
    Stay,
    /// The answer does not fit the node's question.
    Unfitting,
    /// The node is an ending: there is nothing left to answer.
    Ended,
}

/// Where `answer` leads from `node`.
fn step<'a>(node: &'a impl GraphNode, answer: &str) -> Step<'a> {
    match node.way_on() {
        WayOn::Ending => Step::Ended,
        WayOn::Stage { .. } if answer == NOT_YET => Step::Stay,
        WayOn::Stage { next } if answer == FINISHED => Step::To(next),
        WayOn::Stage { .. } => Step::Unfitting,
        WayOn::Decision { waiting: true, .. } if answer == WAITING => Step::Stay,
        WayOn::Decision { answers, .. } => answer_to(answers, answer),
    }
}

/// Where the answer `answer` (a key or a label) of `answers` leads.
fn answer_to<'a>(answers: &'a [Answer], answer: &str) -> Step<'a> {
    answers
        .iter()
        .find(|a| a.url_key() == answer || a.label == answer)
        .map_or(Step::Unfitting, |a| Step::To(Some(&a.next)))
}

/// Walks the guide as a reader meets it: the scope question first, when the procedure
/// has one, then from where its answer leads (or from `start`). Errors name the scope
/// question by [`SCOPE_QUESTION_ID`].
pub fn walk_guide<'a, N: GraphNode>(
    graph: &Graph<'a, N>,
    answers: &[String],
) -> Result<&'a N, WalkError> {
    let procedure = graph.procedure;
    let Some((_, scope_answers)) = procedure
        .scope
        .as_ref()
        .and_then(|scope| scope.guide_question())
    else {
        return walk(graph, &procedure.start, answers);
    };
    let Some(first) = answers.first() else {
        return Err(WalkError::Unfinished {
            at: SCOPE_QUESTION_ID.to_string(),
        });
    };
    let Step::To(Some(next)) = answer_to(scope_answers, first) else {
        return Err(WalkError::BadAnswer {
            index: 0,
            at: SCOPE_QUESTION_ID.to_string(),
            expected: scope_answers.iter().map(Answer::url_key).collect(),
        });
    };
    if graph.node(next).is_none() {
        return Err(WalkError::Broken {
            at: SCOPE_QUESTION_ID.to_string(),
        });
    }
    walk(graph, next, &answers[1..]).map_err(|error| error.after_one_answer())
}

impl WalkError {
    /// The same error in a walk that had one answer more at its beginning.
    fn after_one_answer(self) -> Self {
        match self {
            WalkError::BadAnswer {
                index,
                at,
                expected,
            } => WalkError::BadAnswer {
                index: index + 1,
                at,
                expected,
            },
            WalkError::TooManyAnswers { index, at } => WalkError::TooManyAnswers {
                index: index + 1,
                at,
            },
            other => other,
        }
    }
}

/// Walks the wizard from `start` with `answers`, returning the node it stops at:
/// a stage the reader is still at, or an ending.
pub fn walk<'a, N: GraphNode>(
    graph: &Graph<'a, N>,
    start: &str,
    answers: &[String],
) -> Result<&'a N, WalkError> {
    let mut node = graph.node(start).ok_or(WalkError::NoStart)?;
    let mut steps = 0usize;
    let limit = graph.procedure.nodes.len() + answers.len() + 1;
    for (index, answer) in answers.iter().enumerate() {
        let next = match step(node, answer) {
            Step::To(next) => next,
            Step::Stay if index + 1 == answers.len() => return Ok(node),
            Step::Stay => {
                return Err(WalkError::TooManyAnswers {
                    index: index + 1,
                    at: node.id().to_string(),
                });
            }
            Step::Ended => {
                return Err(WalkError::TooManyAnswers {
                    index,
                    at: node.id().to_string(),
                });
            }
            Step::Unfitting => {
                return Err(WalkError::BadAnswer {
                    index,
                    at: node.id().to_string(),
                    expected: accepted_answers(node),
                });
            }
        };
        node = next
            .and_then(|id| graph.node(id))
            .ok_or_else(|| WalkError::Broken {
                at: node.id().to_string(),
            })?;
        steps += 1;
        if steps > limit {
            return Err(WalkError::Broken {
                at: node.id().to_string(),
            });
        }
    }
    match node.way_on() {
        WayOn::Ending => Ok(node),
        _ => Err(WalkError::Unfinished {
            at: node.id().to_string(),
        }),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{Answer, Source};

    /// A node of `kind`, as written in a file, leading to `next` (a stage's next, or a decision's answers).
    pub fn node(id: &str, kind: NodeKind, next: &[&str]) -> FlatNode {
        let mut n: FlatNode = serde_yaml::from_str(&format!("{{id: {id}, kind: {kind}}}")).unwrap();
        match kind {
            NodeKind::Stage => n.next = next.first().map(|s| s.to_string()),
            _ => {
                n.answers = next
                    .iter()
                    .map(|t| Answer {
                        label: format!("to {t}"),
                        next: t.to_string(),
                        wizard_label: None,
                        key: None,
                    })
                    .collect()
            }
        }
        n
    }

    /// A procedure made of these nodes, starting at the first.
    pub fn procedure(nodes: Vec<FlatNode>) -> Procedure {
        Procedure {
            title: "T".into(),
            short_title: None,
            area: "A".into(),
            calendar: None,
            owner: Some("O".into()),
            operator: None,
            summary: "S".into(),
            audience: vec![],
            sections: vec![],
            scope: None,
            codes: vec![],
            glossary: vec![],
            start: nodes.first().map(|n| n.id.clone()).unwrap_or_default(),
            nodes,
            contacts: vec![],
            resources: vec![],
            monitoring: None,
            adopted: None,
            last_reviewed: None,
            source: Source {
                title: "S".into(),
                publisher: None,
                date: None,
                url: None,
                text: None,
                acknowledged: vec![],
                other_urls: vec![],
                versions: vec![],
            },
            notes: vec![],
            tests: vec![],
        }
    }

    fn diamond() -> Procedure {
        use NodeKind::*;
        procedure(vec![
            node("s1", Stage, &["d"]),
            node("d", Decision, &["a", "b"]),
            node("a", Stage, &["s3"]),
            node("b", Stage, &["s3"]),
            node("s3", Stage, &["end"]),
            node("end", Ending, &[]),
        ])
    }

    fn answers(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reachability_follows_every_answer() {
        use NodeKind::*;
        let mut p = diamond();
        p.nodes.push(node("orphan", Stage, &["end"]));
        let g = Graph::new(&p);
        let r = g.reachable();
        assert_eq!(r, vec![true, true, true, true, true, true, false]);
    }

    #[test]
    fn finds_each_cycle_with_its_path() {
        use NodeKind::*;
        let p = procedure(vec![
            node("a", Stage, &["b"]),
            node("b", Decision, &["c", "end"]),
            node("c", Stage, &["a"]),
            node("end", Ending, &[]),
        ]);
        let g = Graph::new(&p);
        assert_eq!(g.cycles(), vec![vec![0, 1, 2]]);
        assert!(Graph::new(&diamond()).cycles().is_empty());
    }

    #[test]
    fn finds_a_self_loop() {
        use NodeKind::*;
        let p = procedure(vec![node("a", Stage, &["a"])]);
        assert_eq!(Graph::new(&p).cycles(), vec![vec![0]]);
    }

    #[test]
    fn reading_order_takes_the_first_route_first() {
        let p = diamond();
        let g = Graph::new(&p);
        let ids: Vec<&str> = g
            .reading_order()
            .iter()
            .map(|&i| p.nodes[i].id.as_str())
            .collect();
        assert_eq!(ids, ["s1", "d", "a", "s3", "end", "b"]);
    }

    #[test]
    fn a_reader_may_wait_only_for_someone_elses_decision() {
        let mut p = diamond();
        let g = Graph::new(&p);
        assert_eq!(
            walk(&g, "s1", &answers(&["finished", "waiting"])).map(|n| n.id.as_str()),
            Err(WalkError::BadAnswer {
                index: 1,
                at: "d".into(),
                expected: answers(&["to-a", "to-b"]),
            })
        );
        p.nodes[1].decided_by = Some("The Chair".into());
        let g = Graph::new(&p);
        assert_eq!(
            walk(&g, "s1", &answers(&["finished", "waiting"])).map(|n| n.id.as_str()),
            Ok("d")
        );
        assert_eq!(
            walk(&g, "s1", &answers(&["finished", "waiting", "to-a"])).map(|n| n.id.as_str()),
            Err(WalkError::TooManyAnswers {
                index: 2,
                at: "d".into()
            })
        );
        assert_eq!(
            accepted_answers(&p.nodes[1]),
            answers(&["to-a", "to-b", "waiting"])
        );
    }

    #[test]
    fn the_guide_asks_the_scope_question_first() {
        use crate::model::Scope;
        let mut p = diamond();
        p.nodes.push(node("outside", NodeKind::Ending, &[]));
        let to = |label: &str, next: &str| Answer {
            label: label.into(),
            next: next.into(),
            wizard_label: None,
            key: None,
        };
        p.scope = Some(Scope {
            question: Some("Is it about X?".into()),
            answers: vec![to("Yes", "s1"), to("No, it is about Y", "outside")],
            ..Scope::default()
        });
        let g = Graph::new(&p);
        let stop = |list: &[&str]| walk_guide(&g, &answers(list)).map(|n| n.id.clone());
        assert_eq!(stop(&["no-it-is-about-y"]), Ok("outside".to_string()));
        assert_eq!(stop(&["Yes", "not-yet"]), Ok("s1".to_string()));
        assert_eq!(
            stop(&["not-yet"]),
            Err(WalkError::BadAnswer {
                index: 0,
                at: "scope".into(),
                expected: answers(&["yes", "no-it-is-about-y"]),
            })
        );
        assert_eq!(
            stop(&["yes", "finished", "nonsense"]),
            Err(WalkError::BadAnswer {
                index: 2,
                at: "d".into(),
                expected: answers(&["to-a", "to-b"]),
            })
        );
        assert_eq!(stop(&[]), Err(WalkError::Unfinished { at: "scope".into() }));
        assert!(
            g.reachable()[6],
            "an exit of the scope question is reachable"
        );
    }

    #[test]
    fn walks_like_the_wizard() {
        let p = diamond();
        let g = Graph::new(&p);
        assert_eq!(walk(&g, "s1", &answers(&["not-yet"])).unwrap().id, "s1");
        assert_eq!(
            walk(&g, "s1", &answers(&["finished", "to-b", "not-yet"]))
                .unwrap()
                .id,
            "b"
        );
        assert_eq!(
            walk(
                &g,
                "s1",
                &answers(&["finished", "to a", "finished", "finished"])
            )
            .unwrap()
            .id,
            "end"
        );
    }

    #[test]
    fn explains_walks_that_go_wrong() {
        let p = diamond();
        let g = Graph::new(&p);
        assert_eq!(
            walk(&g, "s1", &answers(&["finished", "maybe"])).map(|n| &n.id),
            Err(WalkError::BadAnswer {
                index: 1,
                at: "d".into(),
                expected: vec!["to-a".into(), "to-b".into()]
            })
        );
        assert_eq!(
            walk(&g, "s1", &answers(&["finished"])).map(|n| &n.id),
            Err(WalkError::Unfinished { at: "d".into() })
        );
        assert_eq!(
            walk(&g, "s1", &answers(&["not-yet", "finished"])).map(|n| &n.id),
            Err(WalkError::TooManyAnswers {
                index: 1,
                at: "s1".into()
            })
        );
        assert_eq!(
            walk(&g, "nowhere", &[]).map(|n| &n.id),
            Err(WalkError::NoStart)
        );
    }
}
