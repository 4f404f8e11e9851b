//! The guide without JavaScript: for every route through every procedure's
//! graph, following the pre-rendered pages' answer links from the guide's
//! first page arrives at exactly the result the wizard walk gives.

mod support;

use std::path::Path;

use scraper::{Html, Selector};
use waymark::model::graph::{FINISHED, Graph, NOT_YET, walk};
use waymark::model::{CheckedProcedure, Node};

/// Every route: the answers (by key) from the start to a stop (a stage "not yet", or an ending).
fn routes(p: &CheckedProcedure) -> Vec<Vec<String>> {
    let g = Graph::new(p);
    let mut done = Vec::new();
    let mut stack: Vec<(String, Vec<String>)> = vec![(p.start.clone(), Vec::new())];
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
            let expected = walk(&g, &p.start, &answers).expect("every enumerated route walks");
            let mut at = format!("{}/wizard/index.html", lp.slug);
            let mut node_id = p.start.clone();
            for key in &answers {
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
                    Node::Decision(decision) => node_id = chosen(&decision.answers).next,
                    _ => {}
                }
            }
            let doc = page(&out, &at);
            let heading = text_of(&doc, "h1");
            let want = match expected {
                Node::Stage(_) => format!("You are at {}", expected.heading()),
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
