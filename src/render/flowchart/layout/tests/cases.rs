//! Layouts of particular graphs, random graphs and broken ones, and text wrapping.

use super::svg::check_svg;
use super::*;

#[test]
fn sample_procedures_meet_every_invariant() {
    for (name, graph) in samples() {
        assert_ok(name, &graph, true);
    }
}

#[test]
fn the_checker_catches_broken_layouts() {
    let graph = two_decisions();
    let good = layout(&graph);
    check(&graph, &good, true).unwrap();
    type Breakage = fn(&mut Layout);
    let breakages: [(&str, Breakage); 7] = [
        ("overlap", |placed| {
            placed.nodes[3].rect.y = placed.nodes[1].rect.y + 10.0
        }),
        ("not orthogonal", |placed| {
            placed.edges[0].points[1].0 += 5.0
        }),
        ("crosses node 3", |placed| {
            // "Yes" from the first decision, rerouted down through stage 2.
            let (d, s2, end) = (
                placed.nodes[1].rect,
                placed.nodes[3].rect,
                placed.nodes[2].rect,
            );
            placed.edges[1].points = vec![
                (d.cx(), d.bottom()),
                (d.cx(), s2.cy()),
                (end.cx(), s2.cy()),
                (end.cx(), end.y),
            ];
            placed.edges[1].label = None;
        }),
        ("overlaps node", |placed| {
            let r = placed.nodes[2].rect;
            if let Some(label) = &mut placed.edges[1].label {
                label.rect.x = r.x;
                label.rect.y = r.y;
            }
        }),
        ("overflows", |placed| placed.nodes[1].rect.w -= 60.0),
        ("out of bounds", |placed| placed.width = 50.0),
        ("one column", |placed| placed.main_route = vec![0, 1, 2]),
    ];
    for (expected, breakage) in breakages {
        let mut bad = good.clone();
        breakage(&mut bad);
        match check(&graph, &bad, true) {
            Ok(()) => panic!("{expected}: went unnoticed"),
            Err(msg) => assert!(msg.contains(expected), "{expected}: caught as {msg}"),
        }
    }
}

#[test]
fn linear_procedure_is_one_column_with_side_exit() {
    let graph = linear();
    let placed = assert_ok("linear", &graph, true);
    let x = placed.nodes[0].rect.cx();
    assert!(approx(placed.nodes[1].rect.cx(), x));
    assert_eq!(placed.main_route, vec![0, 1, 2]);
    // The second ending sits beside the first, not below it.
    assert_eq!(placed.nodes[2].rank, placed.nodes[3].rank);
    assert!(placed.nodes[3].rect.x > placed.nodes[2].rect.right());
    // Stage 1 to stage 2 is one straight vertical line.
    assert_eq!(placed.edges[0].points.len(), 2);
}

#[test]
fn resolved_branch_goes_to_the_side_and_main_route_continues_down() {
    let graph = two_decisions();
    let placed = assert_ok("two-decisions", &graph, true);
    assert_eq!(placed.main_route, vec![0, 1, 3, 4, 5, 6]);
    let resolved = &placed.nodes[2].rect;
    assert!(
        resolved.x > placed.nodes[1].rect.right(),
        "resolved ending should be to the right"
    );
    // "Yes" leaves the diamond from its right corner, along a horizontal run.
    let yes = &placed.edges[1];
    let d1 = &placed.nodes[1].rect;
    assert_eq!(yes.points[0], (d1.right(), d1.cy()));
    assert!(approx(yes.points[1].1, d1.cy()));
    // Its label sits on that run, between the diamond and the turn.
    let lr = yes.label.as_ref().map(|p| p.rect).unwrap_or_default();
    assert!(lr.x >= d1.right() && lr.bottom() <= d1.cy());
    // "No" runs straight down.
    assert_eq!(placed.edges[2].points.len(), 2);
}

#[test]
fn parallel_stage_twos_rejoin_at_stage_three() {
    let graph = doncaster();
    let placed = assert_ok("doncaster", &graph, true);
    let (a, b) = (&placed.nodes[2].rect, &placed.nodes[3].rect);
    assert_eq!(
        placed.nodes[2].rank, placed.nodes[3].rank,
        "stage 2a and 2b side by side"
    );
    assert!(!approx(a.cx(), b.cx()));
    let s3 = &placed.nodes[4].rect;
    for k in [3, 4] {
        let last = *placed.edges[k].points.last().unwrap();
        assert_eq!(
            last,
            (s3.cx(), s3.y),
            "edge {k} enters stage 3 at the top centre"
        );
    }
    // Both answers are labelled, and the labels are apart.
    let la = placed.edges[1].label.as_ref().unwrap().rect;
    let lb = placed.edges[2].label.as_ref().unwrap().rect;
    assert!(!la.intersects(&lb, 0.0));
}

#[test]
fn chair_decision_sends_formal_complaints_off_to_the_side() {
    let graph = chair_decides();
    let placed = assert_ok("chair", &graph, true);
    assert_eq!(placed.main_route[..5], [0, 1, 3, 4, 6]);
    assert_ne!(placed.nodes[5].column, placed.nodes[4].column);
    assert_eq!(placed.nodes[0].rank, 0);
}

#[test]
fn four_answers_with_long_texts() {
    let graph = four_answers();
    let placed = assert_ok("four", &graph, true);
    let d = &placed.nodes[1];
    assert!(d.lines.len() >= 5, "the long question is wrapped");
    let columns: Vec<usize> = (2..6).map(|v| placed.nodes[v].column).collect();
    let mut distinct = columns.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        4,
        "each answer gets its own column: {columns:?}"
    );
    for k in 1..5 {
        let label = placed.edges[k].label.as_ref().unwrap();
        assert!(label.text_lines.len() >= 2, "60-character labels wrap");
    }
    // Without crossings: the answers to the right of the main route are reached in
    // column order, the nearest from below and the farthest along the row.
    let right: Vec<usize> = (1..5)
        .filter(|&k| placed.nodes[graph.edges[k].to].column > d.column)
        .collect();
    for &k in &right {
        for &j in &right {
            if k != j {
                assert!(
                    !paths_cross(&placed.edges[k].points, &placed.edges[j].points),
                    "edges {k} and {j} cross"
                );
            }
        }
    }
}

#[test]
fn long_edge_goes_around_the_stages_it_skips() {
    let graph = skip_ahead();
    let placed = assert_ok("skip-ahead", &graph, true);
    assert_eq!(placed.main_route, vec![0, 1, 2, 3, 4, 5]);
    let yes = &placed.edges[1].points;
    let column_right = [2, 3]
        .iter()
        .map(|&v| placed.nodes[v].rect.right())
        .fold(0.0, f64::max);
    let column_left = [2, 3]
        .iter()
        .map(|&v| placed.nodes[v].rect.x)
        .fold(f64::INFINITY, f64::min);
    // It runs down a lane beside the column, clear of the boxes it passes.
    assert!(yes.windows(2).any(|w| {
        approx(w[0].0, w[1].0)
            && (w[0].0 > column_right || w[0].0 < column_left)
            && (w[1].1 - w[0].1).abs() > 100.0
    }));
    let s4 = &placed.nodes[4].rect;
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
        let graph = random_dag(&mut rng);
        assert_ok(&format!("random case {case}"), &graph, true);
    }
}

#[test]
fn random_broken_graphs_degrade_gracefully() {
    let mut rng = Lcg(42);
    for case in 0..300 {
        let mut graph = random_dag(&mut rng);
        let n = graph.nodes.len();
        // Cycles, self-loops, duplicates, unreachable nodes, missing nodes.
        for _ in 0..rng.below(6) {
            let (a, b) = (rng.below(n), rng.below(n));
            graph
                .edges
                .push(edge(a, b, rng.chance(50).then_some("back")));
        }
        if rng.chance(30) {
            graph
                .nodes
                .push(stage("orphan", "Stage X", "Nobody gets here"));
            graph
                .nodes
                .push(ending("orphan-end", "Orphan ending", "outcome-x"));
            graph.edges.push(edge(n, n + 1, None));
            graph
                .edges
                .push(edge(n + 1, rng.below(n), Some("into the main part")));
        }
        if rng.chance(20) {
            graph.edges.push(edge(n + 7, 0, None));
        }
        if rng.chance(10) {
            graph.start = n + 100;
        }
        let placed = assert_ok(&format!("broken case {case}"), &graph, false);
        assert!(placed.width.is_finite() && placed.height.is_finite());
    }
}

#[test]
fn degenerate_inputs_do_not_panic() {
    let empty = FlowGraph::default();
    let placed = layout(&empty);
    assert!(placed.nodes.is_empty() && placed.width > 0.0);
    check_svg(
        &render_svg(&empty, &placed, "empty", "Empty", "Nothing"),
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
    let placed = assert_ok("cycle", &cycle, false);
    assert!(placed.edges.iter().all(|e| e.points.len() >= 2));

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
    let placed = assert_ok("control", &control, true);
    let svg = render_svg(&control, &placed, "c", "t\u{1}", "d");
    assert!(!svg.contains('\u{0}') && !svg.contains('\u{7}') && !svg.contains('\u{1}'));
    check_svg(&svg, "c").unwrap();
}

#[test]
fn layout_is_deterministic() {
    let mut rng = Lcg(7);
    for _ in 0..50 {
        let graph = random_dag(&mut rng);
        let (a, b) = (layout(&graph), layout(&graph));
        assert_eq!(a, b);
        assert_eq!(
            render_svg(&graph, &a, "p", "T", "D"),
            render_svg(&graph, &b, "p", "T", "D")
        );
    }
}

#[test]
fn coordinates_are_half_pixels() {
    // Half pixels print exactly with one decimal, so rounding moves nothing.
    let mut rng = Lcg(99);
    for _ in 0..100 {
        let graph = random_dag(&mut rng);
        let placed = layout(&graph);
        let half = |v: f64| approx((v * 2.0).round(), v * 2.0);
        for n in &placed.nodes {
            assert!(half(n.rect.x) && half(n.rect.y) && half(n.rect.w) && half(n.rect.h));
        }
        for e in &placed.edges {
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

/// A start, a question with `answers` answers (the first to a stage, the rest to
/// endings), and the stage's ending.
fn many_answers(answers: usize) -> FlowGraph {
    let mut nodes = vec![
        stage("s1", "Stage 1", "Raise the concern"),
        decision("which", "Which kind of body is the concern about?"),
        stage("s2", "Stage 2", "Meet with a mediator"),
        ending("settled", "Settled by mediation", "outcome-resolved"),
    ];
    let mut edges = vec![edge(0, 1, None), edge(2, 3, None)];
    edges.push(edge(1, 2, Some("A charity")));
    for i in 1..answers {
        let label = format!("Body of kind {i}");
        nodes.push(ending(
            &format!("e{i}"),
            &format!("Referred to body {i}"),
            "outcome-referred",
        ));
        edges.push(edge(1, nodes.len() - 1, Some(&label)));
    }
    FlowGraph {
        nodes,
        edges,
        start: 0,
    }
}

/// The stretch two axis-parallel segments share, if they lie on one line and overlap
/// by more than a point.
fn shared_stretch(a: ((f64, f64), (f64, f64)), b: ((f64, f64), (f64, f64))) -> bool {
    let vertical = |s: ((f64, f64), (f64, f64))| approx(s.0.0, s.1.0);
    let overlap = |a0: f64, a1: f64, b0: f64, b1: f64| {
        a0.max(a1).min(b0.max(b1)) - a0.min(a1).max(b0.min(b1)) > EPS
    };
    match (vertical(a), vertical(b)) {
        (true, true) => approx(a.0.0, b.0.0) && overlap(a.0.1, a.1.1, b.0.1, b.1.1),
        (false, false) => approx(a.0.1, b.0.1) && overlap(a.0.0, a.1.0, b.0.0, b.1.0),
        _ => false,
    }
}

/// For each labelled edge, the segment its label sits beside; the labels of two
/// edges that share any stretch of those segments are named.
fn labels_on_shared_segments(graph: &FlowGraph, placed: &Layout) -> Vec<(String, String)> {
    let mut shared = Vec::new();
    for (k, placed_edge) in placed.edges.iter().enumerate() {
        let Some(label) = &placed_edge.label else {
            continue;
        };
        let points = &placed_edge.points;
        let beside = super::label_segment(&label.rect, points).expect("a label beside its edge");
        for (other, other_edge) in placed.edges.iter().enumerate() {
            if other != k
                && other_edge
                    .points
                    .windows(2)
                    .any(|s| shared_stretch(beside, (s[0], s[1])))
            {
                shared.push((
                    graph.edges[k].label.clone().unwrap_or_default(),
                    graph.edges[other].label.clone().unwrap_or_default(),
                ));
            }
        }
    }
    shared
}

#[test]
fn shared_stretches_are_found() {
    let trunk = ((10.0, 0.0), (10.0, 50.0));
    assert!(shared_stretch(trunk, ((10.0, 20.0), (10.0, 80.0))));
    assert!(
        !shared_stretch(trunk, ((10.0, 50.0), (10.0, 80.0))),
        "touching at a point"
    );
    assert!(
        !shared_stretch(trunk, ((12.0, 0.0), (12.0, 50.0))),
        "side by side"
    );
    assert!(
        !shared_stretch(trunk, ((0.0, 20.0), (30.0, 20.0))),
        "crossing"
    );
}

#[test]
fn every_answer_of_a_seven_way_question_has_its_own_labelled_line() {
    let graph = many_answers(7);
    let placed = assert_ok("seven answers", &graph, true);
    let mut drawn: Vec<&str> = placed
        .edges
        .iter()
        .filter_map(|e| e.label.as_ref())
        .map(|l| l.text_lines.join(" "))
        .map(|text| {
            graph
                .edges
                .iter()
                .filter_map(|e| e.label.as_deref())
                .find(|&l| l == text)
                .unwrap_or("?")
        })
        .collect();
    drawn.sort_unstable();
    assert_eq!(
        drawn,
        [
            "A charity",
            "Body of kind 1",
            "Body of kind 2",
            "Body of kind 3",
            "Body of kind 4",
            "Body of kind 5",
            "Body of kind 6",
        ]
    );
    assert_eq!(labels_on_shared_segments(&graph, &placed), []);
}

#[test]
fn two_and_four_way_questions_share_no_labelled_line() {
    for graph in [
        many_answers(2),
        many_answers(3),
        many_answers(4),
        four_answers(),
        doncaster(),
    ] {
        let placed = assert_ok("few answers", &graph, true);
        assert_eq!(labels_on_shared_segments(&graph, &placed), []);
    }
}

#[test]
fn a_question_with_two_hundred_answers_stays_narrow() {
    let graph = many_answers(200);
    let placed = assert_ok("two hundred answers", &graph, true);
    // Two columns of endings either side of the main route, however many answers:
    // the widest shape here is under 240px, so five columns and their gaps fit in
    // 1,200px (side by side, the endings drew a chart over 30,000px wide).
    assert!(placed.width < 1200.0, "{} px wide", placed.width);
    let labelled = placed.edges.iter().filter(|e| e.label.is_some()).count();
    assert_eq!(labelled, 200);
    assert_eq!(labels_on_shared_segments(&graph, &placed), []);
}

#[test]
fn endings_stack_only_from_four_up() {
    // Three endings sit side by side in the row below the question; four stack.
    let three = layout(&many_answers(4));
    let endings_rows = |placed: &Layout| {
        let mut rows: Vec<usize> = placed.nodes[4..].iter().map(|n| n.rank).collect();
        rows.dedup();
        rows.len()
    };
    assert_eq!(endings_rows(&three), 1);
    let four = layout(&many_answers(5));
    assert_eq!(endings_rows(&four), 2);
}
