//! Checks: everything a coordinator relies on beyond "the YAML parsed".
//!
//! Ids are unique and well-formed, every reference resolves, each node has
//! the fields its kind needs and none it cannot use, the graph has no
//! unreachable nodes, dead ends or cycles, route tests pass, contact details
//! are well-formed, and review dates are not overdue. Each job has its own
//! module; this one runs them. Problems are found by path (`nodes[3].next`)
//! and placed in the file only when there is something to report.
//!
//! Checks read the nodes as written ([`FlatNode`]s); a procedure that passes
//! them becomes a [`CheckedProcedure`] of typed [`Node`]s ([`checked_procedure`]).

mod contacts;
mod dates;
mod findings;
mod graph;
mod ids;
pub mod nodes;
mod routes;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::load::locate::YamlPath;
use crate::load::{LoadedProcedure, LoadedSite};
use crate::model::{CheckedProcedure, Node, Procedure};

pub use dates::parse_partial_date;
use findings::Findings;

/// Runs every check on a loaded site and returns the loader's problems and its own, sorted.
pub fn check_site(site: &LoadedSite, today: NaiveDate) -> Vec<Diagnostic> {
    let mut diagnostics = site.diagnostics.clone();
    let found: Vec<Vec<Diagnostic>> = site
        .procedures
        .par_iter()
        .map(|loaded| check_procedure(loaded, today))
        .collect();
    diagnostics.extend(found.into_iter().flatten());
    crate::diagnostics::sort(&mut diagnostics);
    diagnostics
}

/// Checks one procedure.
pub fn check_procedure(loaded: &LoadedProcedure, today: NaiveDate) -> Vec<Diagnostic> {
    let p = &loaded.procedure;
    let mut f = Findings::default();
    let root = YamlPath::root();
    let nodes_path = root.key("nodes");

    let ids = ids::check_ids(p, &mut f);
    let aliases = ids::aliases(p);
    ids::check_start(p, &ids, &mut f);
    let contact_ids = ids::check_unique(
        p.contacts.iter().map(|c| c.id.as_str()),
        &root.key("contacts"),
        "contact",
        &mut f,
    );
    let resource_ids = ids::check_unique(
        p.resources.iter().map(|r| r.id.as_str()),
        &root.key("resources"),
        "resource",
        &mut f,
    );
    let known = ids::Known {
        ids: &ids,
        aliases: &aliases,
        contacts: &contact_ids,
        resources: &resource_ids,
    };
    for (i, node) in p.nodes.iter().enumerate() {
        let path = nodes_path.index(i);
        nodes::check_node_shape(node, &path, &mut f);
        ids::check_node_references(node, &path, &known, &mut f);
        nodes::check_answers(node, &path, &mut f);
        nodes::check_deadlines(node, &path, &mut f);
    }
    graph::check_graph(p, &mut f);
    routes::check_route_tests(p, &ids, &mut f);
    contacts::check_contacts(p, &mut f);
    contacts::check_links(p, &mut f);
    dates::check_dates(p, today, &mut f);
    ids::check_glossary(p, &mut f);
    f.into_diagnostics(loaded)
}

/// The procedure with its nodes typed, if every node fits its kind: what the
/// renderer works from once [`check_procedure`] has found no errors.
pub fn checked_procedure(p: &Procedure) -> Option<CheckedProcedure> {
    let nodes: Option<Vec<Node>> = p.nodes.iter().map(|n| nodes::to_node(n).ok()).collect();
    Some(p.with_nodes(nodes?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::graph::tests::{node, procedure};
    use crate::model::{FlatNode, NodeKind};
    use std::path::PathBuf;

    fn loaded(p: Procedure) -> LoadedProcedure {
        let text = serde_yaml::to_string(&p).unwrap();
        LoadedProcedure {
            slug: "t".into(),
            file: PathBuf::from("procedures/t.yaml"),
            text,
            procedure: p,
            stamp: None,
            memo: Default::default(),
        }
    }

    fn messages(p: Procedure) -> Vec<String> {
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        check_procedure(&loaded(p), today)
            .into_iter()
            .filter(|d| d.is_error())
            .map(|d| d.message)
            .collect()
    }

    fn stage(id: &str, next: &str) -> FlatNode {
        let mut n = node(id, NodeKind::Stage, &[next]);
        n.label = Some(id.to_uppercase());
        n
    }

    fn ending(id: &str) -> FlatNode {
        let mut n = node(id, NodeKind::Ending, &[]);
        n.title = Some("Done".into());
        n.outcome = Some(crate::model::Outcome::Resolved);
        n
    }

    fn decision(id: &str, to: &[&str]) -> FlatNode {
        let mut n = node(id, NodeKind::Decision, to);
        n.question = Some("Q?".into());
        n
    }

    #[test]
    fn a_sound_graph_has_no_errors() {
        let p = procedure(vec![
            stage("a", "d"),
            decision("d", &["b", "end"]),
            stage("b", "end"),
            ending("end"),
        ]);
        assert_eq!(messages(p), Vec::<String>::new());
    }

    #[test]
    fn reports_unreachable_nodes() {
        let p = procedure(vec![stage("a", "end"), stage("lost", "end"), ending("end")]);
        assert_eq!(
            messages(p),
            ["the node 'lost' cannot be reached from the start"]
        );
    }

    #[test]
    fn reports_a_cycle_with_its_path() {
        let p = procedure(vec![
            stage("a", "d"),
            decision("d", &["a", "end"]),
            ending("end"),
        ]);
        assert_eq!(
            messages(p),
            ["the procedure goes round in a circle: a → d → a"]
        );
    }

    #[test]
    fn reports_dead_ends_and_dangling_references() {
        let mut dead = stage("a", "x");
        dead.next = None;
        let p = procedure(vec![dead, ending("end")]);
        let m = messages(p);
        assert!(
            m.contains(&"the stage 'a' has no 'next'".to_string()),
            "{m:?}"
        );
        let p = procedure(vec![stage("a", "ned"), ending("end")]);
        assert_eq!(messages(p)[0], "there is no node with the id 'ned'");
    }

    #[test]
    fn a_decision_needs_two_distinct_answers() {
        let mut d = decision("d", &["end", "end"]);
        d.answers[1].label = d.answers[0].label.clone();
        let p = procedure(vec![d, ending("end")]);
        assert!(messages(p).iter().any(|m| m.contains("are labelled")));
        let p = procedure(vec![decision("d", &["end"]), ending("end")]);
        assert!(messages(p).iter().any(|m| m.contains("needs at least two")));
    }

    #[test]
    fn fields_must_fit_the_kind() {
        let mut e = ending("end");
        e.next = Some("end".into());
        let m = messages(procedure(vec![stage("a", "end"), e]));
        assert!(
            m.iter()
                .any(|m| m == "an ending cannot have 'next' (node 'end')"),
            "{m:?}"
        );
    }
}
