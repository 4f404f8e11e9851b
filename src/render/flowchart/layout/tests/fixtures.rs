//! Graphs to lay out: procedures written by hand, and random ones from a seeded
//! generator.

use super::*;

pub(super) fn node(id: &str, shape: Shape, label: Option<&str>, text: &str) -> FlowNode {
    FlowNode {
        id: id.to_string(),
        shape,
        label: label.map(str::to_string),
        text: text.to_string(),
        class: None,
        href: Some(format!("#{id}")),
    }
}

pub(super) fn stage(id: &str, label: &str, text: &str) -> FlowNode {
    node(id, Shape::Stage, Some(label), text)
}

pub(super) fn decision(id: &str, text: &str) -> FlowNode {
    node(id, Shape::Decision, None, text)
}

pub(super) fn ending(id: &str, text: &str, class: &str) -> FlowNode {
    FlowNode {
        class: Some(class.to_string()),
        href: None,
        ..node(id, Shape::Ending, None, text)
    }
}

pub(super) fn edge(from: usize, to: usize, label: Option<&str>) -> FlowEdge {
    FlowEdge {
        from,
        to,
        label: label.map(str::to_string),
    }
}

/// Two stages and the ways it can end.
pub(super) fn linear() -> FlowGraph {
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
pub(super) fn two_decisions() -> FlowGraph {
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
pub(super) fn doncaster() -> FlowGraph {
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
pub(super) fn chair_decides() -> FlowGraph {
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
pub(super) fn resolve_or_continue() -> FlowGraph {
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
pub(super) fn four_answers() -> FlowGraph {
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
pub(super) fn skip_ahead() -> FlowGraph {
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

pub(super) fn samples() -> Vec<(&'static str, FlowGraph)> {
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

/// Tiny seeded linear congruential generator, so random cases are reproducible.
pub(super) struct Lcg(pub(super) u64);

impl Lcg {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub(super) fn chance(&mut self, percent: u64) -> bool {
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

pub(super) fn words(rng: &mut Lcg, long: bool) -> String {
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

pub(super) fn random_dag(rng: &mut Lcg) -> FlowGraph {
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
