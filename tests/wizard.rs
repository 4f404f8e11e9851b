//! The guide without JavaScript: for every route through every procedure's
//! graph, following the pre-rendered pages' answer links from the guide's
//! first page arrives at exactly the result the wizard walk gives.

mod support;

use std::path::Path;

use scraper::{Html, Selector};
use waymark::model::graph::{FINISHED, Graph, NOT_YET, WAITING, walk_guide};
use waymark::model::{Answer, CheckedProcedure, Node};

/// The scope question's answers, when the guide asks one first.
fn scope_answers(p: &CheckedProcedure) -> Option<&[Answer]> {
    p.scope
        .as_ref()
        .and_then(|s| s.guide_question())
        .map(|(_, answers)| answers)
}

/// Every route: the answers (by key) from the first question to a stop (a stage "not yet",
/// a decision taken by others still awaited, or an ending).
fn routes(p: &CheckedProcedure) -> Vec<Vec<String>> {
    let g = Graph::new(p);
    let mut done = Vec::new();
    let mut stack: Vec<(String, Vec<String>)> = match scope_answers(p) {
        Some(answers) => answers
            .iter()
            .map(|a| (a.next.clone(), vec![a.url_key()]))
            .collect(),
        None => vec![(p.start.clone(), Vec::new())],
    };
    while let Some((id, answers)) = stack.pop() {
        match g.node(&id).expect("checked graph") {
            Node::Ending(_) => done.push(answers),
            Node::Stage(stage) => {
                let mut stop = answers.clone();
                stop.push(NOT_YET.to_string());
                done.push(stop);
                let mut go = answers;
                go.push(FINISHED.to_string());
                stack.push((stage.next.clone(), go));
            }
            Node::Decision(decision) => {
                if decision.decided_by.is_some() {
                    let mut stop = answers.clone();
                    stop.push(WAITING.to_string());
                    done.push(stop);
                }
                for a in &decision.answers {
                    let mut next = answers.clone();
                    next.push(a.url_key());
                    stack.push((a.next.clone(), next));
                }
            }
        }
    }
    done
}

fn page(out: &Path, rel: &str) -> Html {
    let text =
        std::fs::read_to_string(out.join(rel)).unwrap_or_else(|_| panic!("missing page {rel}"));
    Html::parse_document(&text)
}

fn resolve(from: &str, href: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for piece in href.split('/') {
        match piece {
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn text_of(doc: &Html, css: &str) -> String {
    let sel = Selector::parse(css).expect("selector");
    doc.select(&sel)
        .next()
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

#[test]
fn every_route_of_every_procedure_links_through_to_its_result() {
    let (_dir, out) = support::build_site(&support::repo_root(), &[]);
    let site = waymark::load::load_site(&support::repo_root());
    let choice = Selector::parse("a.choice").expect("selector");
    let mut total = 0;
    for lp in &site.procedures {
        let p = &waymark::check::checked_procedure(&lp.procedure).expect("a sound procedure");
        let g = Graph::new(p);
        let all = routes(p);
        assert!(all.len() >= 4, "{}: only {} routes", lp.slug, all.len());
        for answers in all {
            let expected = walk_guide(&g, &answers).expect("every enumerated route walks");
            let mut at = format!("{}/wizard/index.html", lp.slug);
            let mut node_id = p.start.clone();
            let mut keys = answers.as_slice();
            if let Some(scope) = scope_answers(p) {
                let doc = page(&out, &at);
                let a = scope
                    .iter()
                    .find(|a| a.url_key() == answers[0])
                    .expect("answer");
                let href = doc
                    .select(&choice)
                    .find(|link| link.text().collect::<String>() == a.label)
                    .and_then(|link| link.value().attr("href"))
                    .unwrap_or_else(|| panic!("{at}: no scope answer '{}'", a.label));
                at = resolve(&at, href);
                node_id = a.next.clone();
                keys = &answers[1..];
            }
            for key in keys {
                let node = g.node(&node_id).expect("node");
                let doc = page(&out, &at);
                let links: Vec<(String, String)> = doc
                    .select(&choice)
                    .map(|a| {
                        (
                            a.text().collect::<String>(),
                            a.value().attr("href").unwrap_or("").to_string(),
                        )
                    })
                    .collect();
                let chosen = |answers: &[waymark::model::Answer]| {
                    answers
                        .iter()
                        .find(|a| &a.url_key() == key)
                        .expect("answer")
                        .clone()
                };
                let wanted = match node {
                    Node::Stage(_) if key == NOT_YET => "Not yet, I am doing this now".to_string(),
                    Node::Stage(_) => "Yes, it has finished".to_string(),
                    Node::Decision(decision) if key == WAITING => decision
                        .wizard
                        .as_ref()
                        .and_then(|w| w.not_yet.clone())
                        .unwrap_or_else(|| "Not yet, I am still waiting for their decision".into()),
                    Node::Decision(decision) => {
                        let a = chosen(&decision.answers);
                        a.wizard_label.clone().unwrap_or_else(|| a.label.clone())
                    }
                    Node::Ending(_) => panic!("{at}: an ending asks nothing"),
                };
                let (_, href) = links
                    .iter()
                    .find(|(label, _)| *label == wanted)
                    .unwrap_or_else(|| panic!("{at}: no answer '{wanted}' among {links:?}"));
                at = resolve(&at, href);
                match node {
                    Node::Stage(stage) if key == FINISHED => node_id = stage.next.clone(),
                    Node::Decision(decision) if key != WAITING => {
                        node_id = chosen(&decision.answers).next
                    }
                    _ => {}
                }
            }
            let doc = page(&out, &at);
            let heading = text_of(&doc, "h1");
            let want = match expected {
                Node::Stage(_) => format!("You are at {}", expected.heading()),
                Node::Decision(_) => {
                    format!("You are waiting for a decision: {}", expected.heading())
                }
                _ => expected.heading(),
            };
            assert_eq!(heading, want, "{}: route {answers:?} ends at {at}", lp.slug);
            assert_eq!(
                doc.select(&choice).count(),
                0,
                "{at}: a result asks no question"
            );
            total += 1;
        }
    }
    assert!(
        total >= 30,
        "only {total} routes checked: did the routes run?"
    );
}

#[test]
fn results_say_what_to_do_by_when_and_whom_to_contact() {
    let (_dir, out) = support::build_site(&support::repo_root(), &[]);
    let doc = page(&out, "doncaster/wizard/now/stage-2-third-sector.html");
    let body = doc.root_element().text().collect::<String>();
    assert!(
        body.contains(
            "28 working days after the issue was raised with the relevant compact representatives"
        ),
        "the rule in words"
    );
    assert!(
        body.contains("not counting weekends and bank holidays"),
        "working days explained"
    );
    assert!(body.contains("Doncaster CVS"), "the contact");
    assert!(body.contains("What happens next"));
    assert!(
        body.contains("The published procedure governs"),
        "dates are a guide"
    );
    let calculator =
        Selector::parse("section[data-calculator][hidden] form fieldset legend").expect("selector");
    assert!(
        doc.select(&calculator).next().is_some(),
        "the calculator waits, hidden, for the script"
    );
    let ending = page(&out, "worcestershire/wizard/referred-elsewhere.html");
    let text = ending.root_element().text().collect::<String>();
    assert!(text.contains("The Compact Mediation Scheme"));
    assert!(text.contains("financial charge"), "fee notes on services");
}

#[test]
fn every_procedure_page_and_the_home_page_link_to_the_guide() {
    let (_dir, out) = support::build_site(&support::repo_root(), &[]);
    let home = std::fs::read_to_string(out.join("index.html")).expect("home");
    for slug in [
        "oxfordshire",
        "gloucestershire",
        "doncaster",
        "staffordshire",
        "worcestershire",
    ] {
        assert!(
            home.contains(&format!("href=\"{slug}/wizard/index.html\"")),
            "home links to {slug}'s guide"
        );
        let page = std::fs::read_to_string(out.join(slug).join("index.html")).expect("page");
        assert!(
            page.contains("href=\"wizard/index.html\""),
            "{slug} links to its guide"
        );
        assert!(out.join(slug).join("wizard/data.js").is_file());
    }
}

#[test]
fn a_renamed_node_keeps_its_old_guide_address_working() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    let (code, _, stderr) = support::run(&["init", root.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{stderr}");
    let file = root.join("procedures/example.yaml");
    let text = std::fs::read_to_string(&file).expect("starter");
    let renamed = text
        .replace(
            "- id: stage-2\n",
            "- id: panel-stage\n    aliases: [stage-2]\n",
        )
        .replace("next: stage-2", "next: panel-stage")
        .replace("expect: stage-2", "expect: panel-stage");
    assert_ne!(renamed, text);
    std::fs::write(&file, renamed).expect("write");
    let (_out_dir, out) = support::build_site(&root, &[]);
    let old = page(&out, "example/wizard/stage-2.html");
    let refresh = Selector::parse("meta[http-equiv=refresh]").expect("selector");
    let content = doc_attr(&old, &refresh, "content");
    assert_eq!(content, "0; url=panel-stage.html");
    let link = Selector::parse("main a").expect("selector");
    assert_eq!(
        doc_attr(&old, &link, "href"),
        "panel-stage.html",
        "a link for browsers that ignore refresh"
    );
    assert!(out.join("example/wizard/panel-stage.html").is_file());
    let data = std::fs::read_to_string(out.join("example/wizard/data.js")).expect("data");
    assert!(
        data.contains("\"aliases\":{\"stage-2\":\"panel-stage\"}"),
        "the script maps old addresses too"
    );
}

fn doc_attr(doc: &Html, sel: &Selector, name: &str) -> String {
    doc.select(sel)
        .next()
        .and_then(|e| e.value().attr(name))
        .unwrap_or_default()
        .to_string()
}

/// The text of every element `css` selects, whitespace collapsed.
fn texts_of(doc: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).expect("selector");
    doc.select(&sel)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The choice links of a question page: (label, href).
fn choices(doc: &Html) -> Vec<(String, String)> {
    let sel = Selector::parse("a.choice").expect("selector");
    doc.select(&sel)
        .map(|a| {
            (
                a.text().collect::<String>(),
                a.value().attr("href").unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_guide_first_asks_whether_the_procedure_covers_the_matter() {
    let (_dir, out) = support::build_site(&support::repo_root(), &[]);
    let first = page(&out, "worcestershire/wizard/index.html");
    assert_eq!(
        text_of(&first, "h1"),
        "Is your dispute about Compact themes and principles, between parties that are signatories to the Worcestershire Compact?"
    );
    let links = choices(&first);
    assert_eq!(
        links[0],
        ("Yes".to_string(), "informal-stage.html".to_string())
    );
    assert!(links.contains(&(
        "No, it is a complaint from the public".to_string(),
        "not-covered.html".to_string()
    )));
    let exit = page(
        &out,
        "worcestershire/wizard/staff-disciplinary-process.html",
    );
    assert_eq!(
        text_of(&exit, "h1"),
        "The organisation's own disciplinary process"
    );
    assert_eq!(
        text_of(&exit, ".outcome-tag"),
        "Outcome: Not covered by this procedure"
    );
    let said = exit.root_element().text().collect::<String>();
    assert!(said.contains(
        "These may need to be subject to the appropriate organisations own disciplinary process"
    ));
    // The start's own question page is still there, for the answer "Yes".
    assert_eq!(
        text_of(
            &page(&out, "worcestershire/wizard/informal-stage.html"),
            "h1"
        ),
        "Have you finished Informal stage: Parties attempt to resolve the issue between them?"
    );
}

#[test]
fn a_reader_can_be_waiting_for_someone_elses_decision() {
    let (_dir, out) = support::build_site(&support::repo_root(), &[]);
    let question = page(&out, "worcestershire/wizard/after-stage-1.html");
    assert_eq!(
        text_of(&question, ".hint"),
        "Who decides: The Chair of WCSG, after seeking advice from the relevant Complaints Manager"
    );
    assert_eq!(
        texts_of(&question, ".question-notes li"),
        ["The document sets no time limit for this decision."]
    );
    assert!(choices(&question).contains(&(
        "Not yet, I am still waiting for their decision".to_string(),
        "now/after-stage-1.html".to_string()
    )));
    let waiting = page(&out, "worcestershire/wizard/now/after-stage-1.html");
    assert_eq!(
        text_of(&waiting, "h1"),
        "You are waiting for a decision: What is the most appropriate way forward?"
    );
    let said = waiting.root_element().text().collect::<String>();
    assert!(said.contains(
        "Who decides: The Chair of WCSG, after seeking advice from the relevant Complaints Manager"
    ));
    assert!(
        said.contains("Worcestershire Compact Steering Group (WCSG)"),
        "the contact"
    );
    assert_eq!(
        texts_of(&waiting, ".next-lines li"),
        [
            "What is the most appropriate way forward? Commence Conciliation Process: Stage 2: Referral to the Compact Conciliation Panel",
            "What is the most appropriate way forward? Proceed direct to formal complaints procedure of respective organisation: Formal complaints procedure of the respective organisation",
        ]
    );
    // A procedure's own wording for the waiting answer.
    let joint = page(&out, "gloucestershire/wizard/joint-referral.html");
    assert!(choices(&joint).contains(&(
        "Not yet, the parties have not decided".to_string(),
        "now/joint-referral.html".to_string()
    )));
    assert_eq!(
        text_of(&joint, ".hint"),
        "Who decides: Organisations A and B jointly"
    );
}

#[test]
fn notes_reach_the_guide_where_the_reader_lands() {
    let (_dir, out) = support::build_site(&support::repo_root(), &[]);
    let stage = page(&out, "worcestershire/wizard/now/informal-stage.html");
    assert!(
        texts_of(&stage, ".result-notes li")
            .contains(&"No time limits are given for the informal stage.".to_string())
    );
    let ending = page(
        &out,
        "worcestershire/wizard/formal-complaints-procedure.html",
    );
    assert_eq!(
        texts_of(&ending, ".result-notes li"),
        [
            "The document does not describe the organisations’ formal complaints procedures or say how the issue is passed to them."
        ]
    );
    let decision = page(&out, "gloucestershire/wizard/joint-referral.html");
    assert_eq!(
        texts_of(&decision, ".question-notes li"),
        ["Stage 2 needs a joint referral (step 1.4). One party cannot refer the issue on its own."]
    );
}

#[test]
fn a_time_limit_on_someone_elses_decision_is_shown_with_its_calculator() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    let (code, _, stderr) = support::run(&["init", root.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{stderr}");
    let file = root.join("procedures/example.yaml");
    let text = std::fs::read_to_string(&file).expect("starter");
    let awaited = text.replace(
        "    question: Did Stage 1 settle the matter?\n",
        "    question: Did Stage 1 settle the matter?
    decided_by: The complaint team
    deadlines:
      - what: Complaint assessed
        period: 5 working days
        after: the complaint team received the complaint
        strength: should
        wording: The complaint team assesses the complaint within 5 working days after receiving it.
    contacts: [coordinator]
    choices:
      - You can ask for a meeting or a written reply.
",
    );
    assert_ne!(awaited, text);
    std::fs::write(&file, awaited).expect("write");
    let (_out_dir, out) = support::build_site(&root, &[]);
    let waiting = page(&out, "example/wizard/now/after-stage-1.html");
    assert_eq!(
        text_of(&waiting, "h1"),
        "You are waiting for a decision: Did Stage 1 settle the matter?"
    );
    let said = waiting.root_element().text().collect::<String>();
    assert!(said.contains("Who decides: The complaint team"));
    assert!(said.contains("Complaint assessed"), "the time limit");
    assert_eq!(
        texts_of(&waiting, "h2"),
        [
            "Your choices",
            "Time limits",
            "Work out the dates",
            "Who to contact",
            "What happens next"
        ]
    );
    let dated =
        Selector::parse("section[data-calculator] li[data-unit=working-days]").expect("selector");
    assert_eq!(
        waiting.select(&dated).count(),
        1,
        "the calculator counts it"
    );
    let question = page(&out, "example/wizard/after-stage-1.html");
    assert_eq!(
        texts_of(&question, ".question-notes li"),
        ["You can ask for a meeting or a written reply."]
    );
}
