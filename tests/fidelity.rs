//! Fidelity: the six procedures read from their YAML say what the published
//! documents say — their shapes, time limits and contacts — and every route
//! through each is pinned by a route test that `check` runs.

mod support;

use waymark::load::{LoadedProcedure, load_site};
use waymark::model::graph::{Graph, walk, walk_guide};
use waymark::model::{NodeKind, Outcome, Strength, Unit};

fn procedure(slug: &str) -> LoadedProcedure {
    let site = load_site(&support::repo_root());
    assert!(site.diagnostics.is_empty(), "{:?}", site.diagnostics);
    site.procedures
        .into_iter()
        .find(|p| p.slug == slug)
        .unwrap_or_else(|| panic!("no procedure {slug}"))
}

fn answers(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn stage_labels(lp: &LoadedProcedure) -> Vec<String> {
    let g = Graph::new(&lp.procedure);
    g.reading_order()
        .into_iter()
        .map(|i| &lp.procedure.nodes[i])
        .filter(|n| n.kind == NodeKind::Stage)
        .filter_map(|n| n.label.clone())
        .collect()
}

#[test]
fn the_repository_site_checks_clean() {
    let (code, stdout, stderr) = support::run(&[
        "check",
        "--root",
        support::repo_root().to_str().expect("utf-8"),
        "--deny-warnings",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("checked 6 procedures and 4 pages"),
        "{stdout}"
    );
    assert!(stdout.contains("no problems found"), "{stdout}");
}

#[test]
fn doncaster_stage_2_has_two_routes_by_sector() {
    let lp = procedure("doncaster");
    let p = &lp.procedure;
    let g = Graph::new(p);
    let route = p
        .nodes
        .iter()
        .find(|n| {
            n.kind == NodeKind::Decision && n.answers.iter().any(|a| a.url_key() == "third-sector")
        })
        .expect("a decision by sector");
    assert_eq!(route.answers.len(), 2);
    let targets: Vec<&str> = route.answers.iter().map(|a| a.next.as_str()).collect();
    for target in &targets {
        let stage = g.node(target).expect("resolves");
        assert_eq!(stage.kind, NodeKind::Stage);
        assert_eq!(stage.label.as_deref(), Some("Stage 2"));
        let deadline = &stage.deadlines[0];
        assert_eq!(
            (deadline.period.min, deadline.period.unit),
            (28, Some(Unit::WorkingDays))
        );
    }
    assert_ne!(
        targets[0], targets[1],
        "the two sectors go to different stage 2 nodes"
    );
    let third = walk(
        &g,
        &p.start,
        &answers(&["finished", "No", "third-sector", "not-yet"]),
    )
    .expect("walks");
    assert!(
        third.contacts.iter().any(|c| c.contains("doncaster-cvs")),
        "Third Sector contacts Doncaster CVS"
    );
    let stage_1 = g.node(&p.start).expect("start");
    let notice = &stage_1.deadlines[0];
    assert_eq!(
        (notice.period.min, notice.period.unit),
        (5, Some(Unit::WorkingDays))
    );
    assert_eq!(notice.strength, Strength::AtLeast);
    assert!(
        notice.before.is_some(),
        "a notice period counts back from the meeting"
    );
    assert!(
        p.resources.iter().all(|r| r.fee.is_some()),
        "every signposted service may charge"
    );
}

#[test]
fn worcestershire_informal_stage_precedes_stage_1_and_the_chair_decides_the_route() {
    let lp = procedure("worcestershire");
    let labels = stage_labels(&lp);
    assert_eq!(labels.first().map(String::as_str), Some("Informal stage"));
    assert_eq!(labels.get(1).map(String::as_str), Some("Stage 1"));
    let p = &lp.procedure;
    let stage_1 = p.node("stage-1").expect("stage 1");
    let checklist = &stage_1.checklists[0];
    assert_eq!(
        checklist.items,
        [
            "A summary of the issue/dispute",
            "The Compact principle or guideline which you believe has been breached",
            "The names and roles of those involved",
            "Copies of any relevant correspondence",
            "The action taken so far, including the informal steps taken to try and resolve the issue/dispute",
        ]
    );
    let chair = p
        .nodes
        .iter()
        .find(|n| n.decided_by.as_deref().is_some_and(|d| d.contains("Chair")))
        .expect("the Chair's decision");
    let g = Graph::new(p);
    let ends: Vec<NodeKind> = chair
        .answers
        .iter()
        .map(|a| g.node(&a.next).expect("resolves").kind)
        .collect();
    assert!(
        ends.contains(&NodeKind::Stage) && ends.contains(&NodeKind::Ending),
        "conciliation or complaints"
    );
    let periods: Vec<(u32, Option<Unit>)> = p
        .nodes
        .iter()
        .flat_map(|n| &n.deadlines)
        .map(|d| (d.period.min, d.period.unit))
        .collect();
    assert_eq!(
        periods,
        [
            (28, Some(Unit::CalendarDays)),
            (3, Some(Unit::Weeks)),
            (6, Some(Unit::Weeks))
        ]
    );
    let scope = p.scope.as_ref().expect("scope");
    assert_eq!((scope.covers.len(), scope.excludes.len()), (9, 7));
    assert!(
        scope
            .excludes
            .contains(&"Deal with complaints from the public".to_string())
    );
}

#[test]
fn staffordshire_convenes_within_a_range_and_reviews_every_six_months() {
    let lp = procedure("staffordshire");
    let p = &lp.procedure;
    let stage_2 = p.node("stage-2").expect("stage 2");
    let convene = &stage_2.deadlines[0];
    assert_eq!(
        (convene.period.min, convene.period.max, convene.period.unit),
        (2, Some(4), Some(Unit::Weeks))
    );
    assert_eq!(convene.strength, Strength::Endeavour);
    let hear = &stage_2.deadlines[1];
    assert_eq!(
        (hear.period.min, hear.period.unit, hear.strength),
        (8, Some(Unit::Weeks), Strength::Should)
    );
    let emails: Vec<&str> = p
        .contacts
        .iter()
        .filter_map(|c| c.email.as_deref())
        .collect();
    assert_eq!(
        emails,
        [
            "davebenge@ldcvs.org.uk",
            "jeanetteburrows@ldcvs.org.uk",
            "tim.leese@staffordshire.gov.uk",
            "nicola.edmonds@staffordshire.gov.uk"
        ]
    );
    let phones: Vec<&str> = p
        .contacts
        .iter()
        .filter_map(|c| c.phone.as_deref())
        .collect();
    assert_eq!(
        phones,
        [
            "01543 303030",
            "01543 303030",
            "07814 372627",
            "01785 358320"
        ]
    );
    let review = p
        .monitoring
        .as_ref()
        .and_then(|m| m.review_every)
        .expect("review cycle");
    assert_eq!((review.min, review.unit), (6, Some(Unit::Months)));
    let g = Graph::new(p);
    let resolved = walk(&g, &p.start, &answers(&["finished", "Yes"])).expect("walks");
    assert_eq!(resolved.outcome, Some(Outcome::Resolved));
    assert!(
        resolved
            .next_steps
            .as_deref()
            .is_some_and(|s| s.contains("Compact Resolution Enquiry Form")),
        "resolved at stage 1 still reports with the form"
    );
}

#[test]
fn gloucestershire_needs_a_joint_referral_and_keeps_both_deadlines() {
    let lp = procedure("gloucestershire");
    let p = &lp.procedure;
    let g = Graph::new(p);
    let stage_2 = p.node("stage-2").expect("stage 2");
    let kinds: Vec<(u32, Option<Unit>, Strength)> = stage_2
        .deadlines
        .iter()
        .map(|d| (d.period.min, d.period.unit, d.strength))
        .collect();
    assert_eq!(
        kinds,
        [
            (2, Some(Unit::Weeks), Strength::Endeavour),
            (6, Some(Unit::Weeks), Strength::NoLaterThan)
        ]
    );
    assert!(
        stage_2.deadlines[1]
            .wording
            .contains("no later than 6 weeks")
    );
    let not_joint = walk(
        &g,
        &p.start,
        &answers(&["finished", "No", "not-both-agree"]),
    )
    .expect("walks");
    assert_eq!(
        not_joint.kind,
        NodeKind::Ending,
        "without a joint referral there is no stage 2"
    );
    let joint = walk(
        &g,
        &p.start,
        &answers(&["finished", "No", "both-agree", "not-yet"]),
    )
    .expect("walks");
    assert_eq!(joint.id, "stage-2");
    let chair = &p.contacts[0];
    assert!(
        chair
            .address
            .iter()
            .any(|l| l.contains("75-81 Eastgate Street"))
    );
    assert!(chair.address.iter().any(|l| l.contains("GL1 1PN")));
    assert!(p.glossary.iter().any(|e| e.term == "GCMG"));
}

#[test]
fn oxfordshire_has_two_stages_and_all_fourteen_table_a_contacts() {
    let lp = procedure("oxfordshire");
    let p = &lp.procedure;
    assert_eq!(stage_labels(&lp), ["Stage One", "Stage Two"]);
    assert_eq!(p.contacts.len(), 14);
    let county: Vec<_> = p
        .contacts
        .iter()
        .filter(|c| c.organisation == "Oxfordshire County Council")
        .collect();
    assert_eq!(county.len(), 8);
    assert!(
        county
            .iter()
            .all(|c| c.phone.as_deref() == Some("01865 792422")),
        "one shared number"
    );
    let fire = county
        .iter()
        .find(|c| c.role.as_deref() == Some("Risk Reduction and Strategic Partnerships Manager"))
        .expect("fire and rescue row");
    assert_eq!(fire.departments, ["Community Safety", "Fire & Rescue"]);
    let children = county
        .iter()
        .find(|c| c.role.as_deref() == Some("Strategic Lead"))
        .expect("children's row");
    assert_eq!(
        children.departments,
        [
            "Children, Young People & Families",
            "Commissioning, Performance and Quality Assurance"
        ]
    );
    let vale = p
        .contacts
        .iter()
        .find(|c| c.organisation == "Vale of White Horse District Council")
        .expect("the Vale");
    assert_eq!(
        vale.phone.as_deref(),
        Some("01235 520 202"),
        "as published, spacing kept"
    );
}

#[test]
fn every_ending_and_stage_is_reached_by_a_route_test() {
    let site = load_site(&support::repo_root());
    for lp in &site.procedures {
        let p = &lp.procedure;
        let g = Graph::new(p);
        for node in p.nodes.iter().filter(|n| n.kind != NodeKind::Decision) {
            let pinned = p.tests.iter().any(|t| {
                t.expect == node.id && walk_guide(&g, &t.answers).is_ok_and(|n| n.id == node.id)
            });
            assert!(
                pinned,
                "{}: no passing route test reaches {}",
                lp.slug, node.id
            );
        }
    }
}

/// The Shropshire page's text, as transcribed in the shared source documents when
/// they are at hand (they live beside the repository, not in it).
fn shropshire_source() -> Option<String> {
    let path = support::repo_root().join("../shared/source-documents/more/shropshire-compact.txt");
    std::fs::read_to_string(path).ok()
}

#[test]
fn shropshire_shows_its_unreadable_formal_stage_as_not_known() {
    let lp = procedure("shropshire");
    let p = &lp.procedure;
    assert_eq!(stage_labels(&lp), ["Stage 1", "Stage 2"]);
    assert_eq!(p.owner, None, "the page names no owner");
    assert_eq!(p.source.publisher.as_deref(), Some("VCS Voice"));
    assert_eq!(
        p.source.url.as_deref(),
        Some("http://vcsvoice.org/the-compact/compact-issues/")
    );
    let formal = p.node("stage-2").expect("the formal stage");
    assert!(formal.steps.is_empty() && formal.who.is_empty() && formal.deadlines.is_empty());
    let unknown = formal.unknown.as_ref().expect("its unknown parts");
    let parts: Vec<&str> = unknown.parts.iter().map(|part| part.field()).collect();
    assert_eq!(parts, ["steps", "who", "deadlines"]);
    let documents: Vec<&str> = formal.documents.iter().map(|d| d.title.as_str()).collect();
    assert_eq!(
        documents,
        [
            "Shropshire Compact Disputes Process",
            "Compact Disputes Panel Terms of Reference"
        ]
    );
    assert!(
        p.nodes.iter().all(|n| n.deadlines.is_empty()),
        "the page states no time limit anywhere"
    );
    let contact = &p.contacts[0];
    assert_eq!(
        (
            contact.name.as_deref(),
            contact.role.as_deref(),
            contact.phone.as_deref()
        ),
        (
            Some("Sarah Dodds"),
            Some("Feedback and Insight Team Leader"),
            Some("01743 252740")
        )
    );
    assert_eq!(
        (contact.email.as_deref(), contact.address.len()),
        (None, 0),
        "the page gives no e-mail or postal address"
    );
    let voice = p
        .node("compact-voice")
        .expect("the way out to Compact Voice");
    assert_eq!(voice.outcome, Some(Outcome::Referred));
    assert_eq!(
        voice.resources,
        ["compact-voice", "compact-accountability-guide"]
    );
    // The quoted document titles, the name, role and number appear in the source as written.
    if let Some(source) = shropshire_source() {
        for fact in documents.iter().copied().chain([
            "Sarah Dodds, Feedback and Insight Team Leader",
            "Telephone: 01743 252740",
            "http://vcsvoice.org/the-compact/compact-issues/",
            "Compact Accountability Guide",
        ]) {
            assert!(source.contains(fact), "the source does not say {fact:?}");
        }
    }
}

#[test]
fn owners_are_only_those_the_sources_name() {
    let owner = |slug: &str| procedure(slug).procedure.owner;
    assert_eq!(owner("doncaster"), None);
    assert_eq!(owner("worcestershire"), None);
    assert_eq!(
        owner("gloucestershire").as_deref(),
        Some("VCS Assembly Team")
    );
    // "The Staffordshire NI 7 Steering Group will oversee this process."
    assert_eq!(
        owner("staffordshire").as_deref(),
        Some("Staffordshire NI 7 Steering Group")
    );
    // "The Compact Steering Group, which generally meets four times a year, will oversee the mediation process."
    assert_eq!(
        owner("oxfordshire").as_deref(),
        Some("Compact Steering Group")
    );
}
