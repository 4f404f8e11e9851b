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
mod nodes;
mod routes;
pub mod site;
pub mod source;
mod starter;
mod unknowns;

use chrono::NaiveDate;

use crate::diagnostics::Diagnostic;
use crate::load::LoadedProcedure;
use crate::load::locate::YamlPath;
use crate::model::{CheckedProcedure, Node, Procedure};

pub use dates::parse_partial_date;
use findings::Findings;

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
    ids::check_unique(
        p.source.versions.iter().map(|v| v.id.as_str()),
        &root.key("source").key("versions"),
        "source version",
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
        nodes::check_decision_taken_by_others(node, &path, &mut f);
        dates::check_deadline_vias(node, &path, &known, &mut f);
        unknowns::check_unknowns(node, &path, &mut f);
    }
    nodes::check_scope_question(p, &root.key("scope"), &mut f);
    if let Some(question) = nodes::scope_question(p) {
        let path = root.key("scope");
        ids::check_node_references(&question, &path, &known, &mut f);
        nodes::check_answers(&question, &path, &mut f);
    }
    graph::check_graph(p, &mut f);
    routes::check_route_tests(p, &ids, &mut f);
    contacts::check_contacts(p, &mut f);
    contacts::check_resources(p, &mut f);
    contacts::check_links(p, &mut f);
    dates::check_dates(p, today, &mut f);
    ids::check_glossary(p, &mut f);
    starter::check_starter_text(p, &loaded.text, &mut f);
    let in_published_text = source::check_source(loaded, &mut f);
    let mut found = f.into_diagnostics(loaded);
    found.extend(in_published_text);
    found
}

/// The procedure with its nodes typed, if every node fits its kind: what the
/// renderer works from once [`check_procedure`] has found no errors.
pub fn checked_procedure(p: &Procedure) -> Option<CheckedProcedure> {
    let nodes: Option<Vec<Node>> = p.nodes.iter().map(|n| nodes::to_node(n).ok()).collect();
    Some(p.with_nodes(nodes?))
}

#[cfg(test)]
pub(super) mod tests {
    //! Small procedures for the checks' tests, and what checking them says.

    use super::*;
    use crate::model::graph::tests::node;
    use crate::model::{FlatNode, NodeKind};
    use std::path::PathBuf;

    pub(in crate::check) use crate::model::graph::tests::procedure;

    fn loaded(p: Procedure) -> LoadedProcedure {
        let text = serde_yaml::to_string(&p).expect("a procedure serialises");
        LoadedProcedure {
            slug: "t".into(),
            file: PathBuf::from("procedures/t.yaml"),
            text,
            procedure: p,
            stamp: None,
            source_text: None,
        }
    }

    /// The errors checking `p` finds, by message.
    pub(in crate::check) fn messages(p: Procedure) -> Vec<String> {
        errors(p).into_iter().map(|d| d.message).collect()
    }

    /// Everything checking `p` finds, warnings included.
    pub(in crate::check) fn all_findings(p: Procedure) -> Vec<Diagnostic> {
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date");
        check_procedure(&loaded(p), today)
    }

    /// The errors checking `p` finds.
    pub(in crate::check) fn errors(p: Procedure) -> Vec<Diagnostic> {
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date");
        check_procedure(&loaded(p), today)
            .into_iter()
            .filter(|d| d.is_error())
            .collect()
    }

    /// A stage labelled with its id in capitals.
    pub(in crate::check) fn stage(id: &str, next: &str) -> FlatNode {
        let mut n = node(id, NodeKind::Stage, &[next]);
        n.label = Some(id.to_uppercase());
        n
    }

    /// An ending titled "Done".
    pub(in crate::check) fn ending(id: &str) -> FlatNode {
        let mut n = node(id, NodeKind::Ending, &[]);
        n.title = Some("Done".into());
        n.outcome = Some(crate::model::Outcome::Resolved);
        n
    }

    /// A decision with an answer to each of `to`.
    pub(in crate::check) fn decision(id: &str, to: &[&str]) -> FlatNode {
        let mut n = node(id, NodeKind::Decision, to);
        n.question = Some("Q?".into());
        n
    }

    #[test]
    fn a_sound_graph_has_no_errors_and_becomes_typed() {
        let p = procedure(vec![
            stage("a", "d"),
            decision("d", &["b", "end"]),
            stage("b", "end"),
            ending("end"),
        ]);
        assert_eq!(messages(p.clone()), Vec::<String>::new());
        let checked = checked_procedure(&p).expect("a sound procedure is typed");
        let kinds: Vec<NodeKind> = checked.nodes.iter().map(Node::kind).collect();
        use NodeKind::*;
        assert_eq!(kinds, [Stage, Decision, Stage, Ending]);
    }

    #[test]
    fn a_procedure_with_a_misfit_node_is_not_typed() {
        let mut dead = stage("a", "end");
        dead.next = None;
        assert!(checked_procedure(&procedure(vec![dead, ending("end")])).is_none());
    }

    /// Every route test of the bundled procedures arrives at the same node whether
    /// the walk goes through the nodes as written or through the typed ones.
    #[test]
    fn the_walk_agrees_on_flat_and_typed_nodes() {
        use crate::model::graph::{Graph, GraphNode, walk_guide};
        let site = crate::load::load_site(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
        let mut walked = 0;
        for lp in &site.procedures {
            let flat = &lp.procedure;
            let typed = checked_procedure(flat).expect("the bundled procedures are sound");
            let (flat_graph, typed_graph) = (Graph::new(flat), Graph::new(&typed));
            for test in &flat.tests {
                let by_flat = walk_guide(&flat_graph, &test.answers).map(|n| n.id());
                let by_typed = walk_guide(&typed_graph, &test.answers).map(|n| n.id());
                assert_eq!(by_flat, by_typed, "{}: {:?}", lp.slug, test.answers);
                walked += 1;
            }
        }
        assert!(walked > 10, "only {walked} route tests walked");
    }
}
