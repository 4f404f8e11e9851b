//! Checks: everything a coordinator relies on beyond "the YAML parsed".
//!
//! Ids are unique and well-formed, every reference resolves, each node has
//! the fields its kind needs and none it cannot use, the graph has no
//! unreachable nodes, dead ends or cycles, route tests pass, contact details
//! are well-formed, and review dates are not overdue. Problems are found by
//! path (`nodes[3].next`) and placed in the file only when there is something
//! to report.

pub mod site;

use std::collections::{HashMap, HashSet};

use chrono::{Months, NaiveDate};
use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Severity, did_you_mean};
use crate::load::locate::{PositionIndex, YamlPath};
use crate::load::{LoadedProcedure, LoadedSite, is_valid_slug};
use crate::model::graph::{self, Graph, WalkError};
use crate::model::{Node, NodeKind, Period, Procedure, Unit};

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

/// Which part of a `key: value` pair a finding points at.
#[derive(Clone, Copy)]
enum At {
    Key,
    Value,
}

struct Finding {
    severity: Severity,
    path: YamlPath,
    at: At,
    message: String,
    hint: Option<String>,
}

/// Findings for one file, placed into diagnostics at the end.
#[derive(Default)]
struct Findings(Vec<Finding>);

impl Findings {
    fn error(&mut self, path: YamlPath, at: At, message: String, hint: impl Into<Option<String>>) {
        self.push(Severity::Error, path, at, message, hint.into());
    }

    fn warning(
        &mut self,
        path: YamlPath,
        at: At,
        message: String,
        hint: impl Into<Option<String>>,
    ) {
        self.push(Severity::Warning, path, at, message, hint.into());
    }

    fn push(
        &mut self,
        severity: Severity,
        path: YamlPath,
        at: At,
        message: String,
        hint: Option<String>,
    ) {
        self.0.push(Finding {
            severity,
            path,
            at,
            message,
            hint,
        });
    }

    fn into_diagnostics(self, loaded: &LoadedProcedure) -> Vec<Diagnostic> {
        if self.0.is_empty() {
            return Vec::new();
        }
        let index = PositionIndex::build(&loaded.text);
        self.0
            .into_iter()
            .map(|f| {
                let position = match f.at {
                    At::Key => index.key(&f.path),
                    At::Value => index.value(&f.path),
                };
                let d = match f.severity {
                    Severity::Error => Diagnostic::error(&loaded.file, f.message),
                    Severity::Warning => Diagnostic::warning(&loaded.file, f.message),
                };
                let d = d.at(position, &loaded.text);
                match f.hint {
                    Some(h) => d.with_hint(h),
                    None => d,
                }
            })
            .collect()
    }
}

/// Checks one procedure.
pub fn check_procedure(loaded: &LoadedProcedure, today: NaiveDate) -> Vec<Diagnostic> {
    let p = &loaded.procedure;
    let mut f = Findings::default();
    let root = YamlPath::root();
    let nodes_path = root.key("nodes");

    let ids = check_ids(p, &mut f);
    let aliases: HashMap<&str, &str> = p
        .nodes
        .iter()
        .flat_map(|n| n.aliases.iter().map(move |a| (a.as_str(), n.id.as_str())))
        .collect();
    check_start(p, &ids, &mut f);
    let contact_ids = check_unique(
        p.contacts.iter().map(|c| c.id.as_str()),
        &root.key("contacts"),
        "contact",
        &mut f,
    );
    let resource_ids = check_unique(
        p.resources.iter().map(|r| r.id.as_str()),
        &root.key("resources"),
        "resource",
        &mut f,
    );
    for (i, node) in p.nodes.iter().enumerate() {
        let path = nodes_path.index(i);
        check_node_fields(node, &path, &mut f);
        check_node_references(
            node,
            &path,
            &ids,
            &aliases,
            &contact_ids,
            &resource_ids,
            &mut f,
        );
        check_answers(node, &path, &mut f);
        check_deadlines(node, &path, &mut f);
    }
    check_graph(p, &mut f);
    check_route_tests(p, &ids, &mut f);
    check_contacts(p, &mut f);
    check_links(p, &mut f);
    check_dates(p, today, &mut f);
    check_glossary(p, &mut f);
    f.into_diagnostics(loaded)
}

/// The name of the guide's first page, beside a page for each node (`<id>.html`).
const GUIDE_FIRST_PAGE: &str = "index";

/// Node ids (and aliases) are well-formed and unique; returns every id and alias.
fn check_ids<'a>(p: &'a Procedure, f: &mut Findings) -> HashSet<&'a str> {
    let mut seen: HashMap<&str, YamlPath> = HashMap::new();
    let nodes = YamlPath::root().key("nodes");
    for (i, node) in p.nodes.iter().enumerate() {
        let node_path = nodes.index(i);
        let names = std::iter::once((node.id.as_str(), node_path.key("id"))).chain(
            node.aliases
                .iter()
                .enumerate()
                .map(|(j, a)| (a.as_str(), node_path.key("aliases").index(j))),
        );
        for (name, path) in names {
            if !is_valid_slug(name) {
                f.error(
                    path.clone(),
                    At::Value,
                    format!("the id '{name}' cannot be used in web addresses"),
                    format!(
                        "use lower-case letters, digits and single hyphens, e.g. '{}'",
                        crate::model::slug(name)
                    ),
                );
            }
            if name == GUIDE_FIRST_PAGE {
                f.error(
                    path.clone(),
                    At::Value,
                    format!(
                        "the id '{name}' is taken by the first page of the guide ({name}.html)"
                    ),
                    "choose another id, e.g. 'index-stage'".to_string(),
                );
            }
            if seen.contains_key(name) {
                f.error(
                    path,
                    At::Value,
                    format!("the id '{name}' is used twice"),
                    "each node needs its own id (aliases count as ids too)".to_string(),
                );
            } else {
                seen.insert(name, path);
            }
        }
    }
    if p.nodes.is_empty() {
        f.error(
            nodes,
            At::Value,
            "the procedure has no nodes".to_string(),
            "add at least one stage and one ending under 'nodes:'".to_string(),
        );
    }
    seen.into_keys().collect()
}

fn check_start(p: &Procedure, ids: &HashSet<&str>, f: &mut Findings) {
    if p.start.trim().is_empty() {
        f.error(
            YamlPath::root().key("start"),
            At::Value,
            "'start' is empty".to_string(),
            match p.nodes.first() {
                Some(n) => format!(
                    "write the id of the node a reader starts at, e.g. 'start: {}'",
                    n.id
                ),
                None => "write the id of the node a reader starts at".to_string(),
            },
        );
        return;
    }
    if p.node(&p.start).is_none() {
        let hint = if ids.contains(p.start.as_str()) {
            "that is an alias: start must name a node's current id".to_string()
        } else {
            suggest_id(&p.start, p)
        };
        f.error(
            YamlPath::root().key("start"),
            At::Value,
            format!(
                "start names '{}', but there is no node with that id",
                p.start
            ),
            hint,
        );
    }
}

/// A hint naming the closest node id, or listing them.
fn suggest_id(missing: &str, p: &Procedure) -> String {
    match did_you_mean(missing, p.nodes.iter().map(|n| n.id.as_str())) {
        Some(s) => format!("did you mean '{s}'?"),
        None => format!(
            "the node ids are: {}",
            p.nodes
                .iter()
                .map(|n| n.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Ids in a list (contacts, resources) are well-formed and unique; returns them.
fn check_unique<'a>(
    ids: impl Iterator<Item = &'a str>,
    list: &YamlPath,
    what: &str,
    f: &mut Findings,
) -> HashSet<&'a str> {
    let mut seen = HashSet::new();
    for (i, id) in ids.enumerate() {
        let path = list.index(i).key("id");
        if !is_valid_slug(id) {
            f.error(
                path.clone(),
                At::Value,
                format!("the {what} id '{id}' is not a simple name"),
                format!(
                    "use lower-case letters, digits and single hyphens, e.g. '{}'",
                    crate::model::slug(id)
                ),
            );
        }
        if !seen.insert(id) {
            f.error(
                path,
                At::Value,
                format!("the {what} id '{id}' is used twice"),
                format!("give each {what} its own id"),
            );
        }
    }
    seen
}

/// The fields a node has filled in, by name, for checking against its kind.
fn filled_fields(node: &Node) -> Vec<&'static str> {
    let present = [
        ("label", node.label.is_some()),
        ("title", node.title.is_some()),
        ("who", !node.who.is_empty()),
        ("steps", !node.steps.is_empty()),
        ("deadlines", !node.deadlines.is_empty()),
        ("documents", !node.documents.is_empty()),
        ("checklists", !node.checklists.is_empty()),
        ("contacts", !node.contacts.is_empty()),
        ("next", node.next.is_some()),
        ("question", node.question.is_some()),
        ("decided_by", node.decided_by.is_some()),
        ("answers", !node.answers.is_empty()),
        ("outcome", node.outcome.is_some()),
        ("next_steps", node.next_steps.is_some()),
        ("resources", !node.resources.is_empty()),
        ("wizard", node.wizard.is_some()),
    ];
    present
        .iter()
        .filter(|(_, on)| *on)
        .map(|(name, _)| *name)
        .collect()
}

/// The fields that only make sense on some kinds of node.
fn allowed_on(kind: NodeKind) -> &'static [&'static str] {
    match kind {
        NodeKind::Stage => &[
            "label",
            "title",
            "who",
            "steps",
            "deadlines",
            "documents",
            "checklists",
            "contacts",
            "next",
            "wizard",
        ],
        NodeKind::Decision => &["question", "decided_by", "answers"],
        NodeKind::Ending => &["title", "contacts", "outcome", "next_steps", "resources"],
    }
}

/// "a stage", "a decision", "an ending".
fn article(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Stage => "a stage",
        NodeKind::Decision => "a decision",
        NodeKind::Ending => "an ending",
    }
}

/// The kind of node a field belongs on, for hints.
fn home_of(field: &str) -> &'static str {
    [NodeKind::Stage, NodeKind::Decision, NodeKind::Ending]
        .into_iter()
        .find(|k| allowed_on(*k).contains(&field))
        .map_or("no node", article)
}

fn check_node_fields(node: &Node, path: &YamlPath, f: &mut Findings) {
    let allowed = allowed_on(node.kind);
    for field in filled_fields(node) {
        if !allowed.contains(&field) {
            f.error(
                path.key(field),
                At::Key,
                format!(
                    "{} cannot have '{field}' (node '{}')",
                    article(node.kind),
                    node.id
                ),
                format!(
                    "'{field}' belongs on {}; remove it or change 'kind'",
                    home_of(field)
                ),
            );
        }
    }
    let missing = |f: &mut Findings, field: &str, hint: &str| {
        f.error(
            path.key("kind"),
            At::Value,
            format!("the {} '{}' has no '{field}'", node.kind, node.id),
            hint.to_string(),
        );
    };
    match node.kind {
        NodeKind::Stage => {
            if node.label.is_none() && node.title.is_none() {
                missing(
                    f,
                    "label",
                    "give the stage a label as published (e.g. 'Stage 1') and a title",
                );
            }
            if node.next.is_none() {
                missing(
                    f,
                    "next",
                    "a stage needs one way on: add 'next:' with the id of the decision, stage or ending that follows",
                );
            }
        }
        NodeKind::Decision => {
            if node.question.is_none() {
                missing(
                    f,
                    "question",
                    "add the question this decision asks, e.g. 'question: Was it resolved?'",
                );
            }
            if node.answers.len() < 2 {
                f.error(
                    path.key(if node.answers.is_empty() { "kind" } else { "answers" }),
                    At::Value,
                    format!(
                        "the decision '{}' has {} answer{}, but a decision needs at least two",
                        node.id,
                        node.answers.len(),
                        if node.answers.len() == 1 { "" } else { "s" }
                    ),
                    "add the other answers, or make this a stage with 'next:' if there is no choice".to_string(),
                );
            }
        }
        NodeKind::Ending => {
            if node.title.is_none() {
                missing(
                    f,
                    "title",
                    "add a title saying how things end, e.g. 'title: Resolved'",
                );
            }
            if node.outcome.is_none() {
                missing(
                    f,
                    "outcome",
                    "add 'outcome:' with resolved, referred or left",
                );
            }
        }
    }
}

fn check_node_references(
    node: &Node,
    path: &YamlPath,
    ids: &HashSet<&str>,
    aliases: &HashMap<&str, &str>,
    contact_ids: &HashSet<&str>,
    resource_ids: &HashSet<&str>,
    f: &mut Findings,
) {
    let check_node = |target: &str, at: YamlPath, f: &mut Findings| match aliases.get(target) {
        // An alias only keeps old web addresses working; links inside the file use the current id.
        Some(current) => f.error(
            at,
            At::Value,
            format!("'{target}' is an old id of the node '{current}'"),
            format!("write '{current}': aliases only keep old web addresses working"),
        ),
        None => check_reference(target, at, ids, "node", f),
    };
    if let Some(next) = &node.next {
        check_node(next, path.key("next"), f);
    }
    for (i, answer) in node.answers.iter().enumerate() {
        check_node(&answer.next, path.key("answers").index(i).key("next"), f);
    }
    for (i, contact) in node.contacts.iter().enumerate() {
        check_reference(
            contact,
            path.key("contacts").index(i),
            contact_ids,
            "contact",
            f,
        );
    }
    for (i, resource) in node.resources.iter().enumerate() {
        check_reference(
            resource,
            path.key("resources").index(i),
            resource_ids,
            "resource",
            f,
        );
    }
}

/// Reports `target` at `at` unless it is one of the `known` ids of `what`s.
fn check_reference(
    target: &str,
    at: YamlPath,
    known: &HashSet<&str>,
    what: &str,
    f: &mut Findings,
) {
    if known.contains(target) {
        return;
    }
    let hint = match did_you_mean(target, known.iter().copied()) {
        Some(s) => format!("did you mean '{s}'?"),
        None if known.is_empty() => format!("there are no {what}s to refer to"),
        None => {
            let mut list: Vec<&str> = known.iter().copied().collect();
            list.sort_unstable();
            format!("the {what} ids are: {}", list.join(", "))
        }
    };
    f.error(
        at,
        At::Value,
        format!("there is no {what} with the id '{target}'"),
        hint,
    );
}

fn check_answers(node: &Node, path: &YamlPath, f: &mut Findings) {
    let mut labels = HashSet::new();
    let mut keys = HashSet::new();
    for (i, answer) in node.answers.iter().enumerate() {
        let at = path.key("answers").index(i);
        if !labels.insert(answer.label.trim().to_lowercase()) {
            // The same label makes the same web address key: one error says it.
            f.error(
                at.key("label"),
                At::Value,
                format!(
                    "two answers of '{}' are labelled '{}'",
                    node.id, answer.label
                ),
                "each answer needs a different label so readers can tell them apart".to_string(),
            );
            if answer.key.is_none() {
                continue;
            }
        }
        let key = answer.url_key();
        if answer.key.is_some() && !is_valid_slug(&key) {
            f.error(
                at.key("key"),
                At::Value,
                format!("the answer key '{key}' cannot be used in web addresses"),
                format!(
                    "use lower-case letters, digits and single hyphens, e.g. '{}'",
                    crate::model::slug(&key)
                ),
            );
        } else if key.is_empty() {
            f.error(
                at.key("label"),
                At::Value,
                format!(
                    "the answer '{}' has no letters or digits to make a web address from",
                    answer.label
                ),
                "add 'key:' with a short name, e.g. 'key: yes'".to_string(),
            );
        } else if !keys.insert(key.clone()) {
            f.error(
                at.key(if answer.key.is_some() { "key" } else { "label" }),
                At::Value,
                format!(
                    "two answers of '{}' have the web address key '{key}'",
                    node.id
                ),
                "add 'key:' to one of them with a different short name".to_string(),
            );
        }
    }
}

fn check_deadlines(node: &Node, path: &YamlPath, f: &mut Findings) {
    for (i, deadline) in node.deadlines.iter().enumerate() {
        let at = path.key("deadlines").index(i);
        match (&deadline.after, &deadline.before) {
            (Some(_), Some(_)) => f.error(
                at.key("before"),
                At::Key,
                format!("the deadline '{}' has both 'after' and 'before'", deadline.what),
                "a deadline counts from one event: keep 'after' (a time limit) or 'before' (a notice period)".to_string(),
            ),
            (None, None) => f.error(
                at.key("what"),
                At::Key,
                format!("the deadline '{}' does not say what it counts from", deadline.what),
                "add 'after: the letter was received' (a time limit) or 'before: the meeting' (a notice period)"
                    .to_string(),
            ),
            _ => {}
        }
    }
}

fn check_graph(p: &Procedure, f: &mut Findings) {
    let g = Graph::new(p);
    let nodes = YamlPath::root().key("nodes");
    if p.node(&p.start).is_some() {
        report_unreachable(p, &g, f);
    }
    for cycle in g.cycles() {
        let first = cycle[0];
        let mut names: Vec<&str> = cycle.iter().map(|&i| p.nodes[i].id.as_str()).collect();
        names.push(&p.nodes[first].id);
        let last = cycle[cycle.len() - 1];
        let back = &p.nodes[last];
        let at = if back.next.as_deref() == Some(p.nodes[first].id.as_str()) {
            nodes.index(last).key("next")
        } else {
            let answer = back
                .answers
                .iter()
                .position(|a| a.next == p.nodes[first].id)
                .unwrap_or(0);
            nodes.index(last).key("answers").index(answer).key("next")
        };
        f.error(
            at,
            At::Value,
            format!(
                "the procedure goes round in a circle: {}",
                names.join(" → ")
            ),
            "a procedure must always move forward to an ending; point this to a later node"
                .to_string(),
        );
    }
}

/// Reports the nodes that cannot be reached from the start: one error for each node that no
/// other unreachable node leads to (or, in a loop of them, the first), naming the nodes cut
/// off behind it, rather than one error for every node of a lost branch.
fn report_unreachable(p: &Procedure, g: &Graph<'_>, f: &mut Findings) {
    let nodes = YamlPath::root().key("nodes");
    let reached = g.reachable();
    // A node whose id is used by an earlier node is reported as a duplicate instead.
    let lost: Vec<usize> = (0..p.nodes.len())
        .filter(|&i| !reached[i] && g.index_of(&p.nodes[i].id) == Some(i))
        .collect();
    let mut led_to = vec![false; p.nodes.len()];
    for &i in &lost {
        for j in g.successors(i) {
            if j != i {
                led_to[j] = true;
            }
        }
    }
    let mut covered = vec![false; p.nodes.len()];
    let heads = lost.iter().filter(|&&i| !led_to[i]).chain(&lost);
    for &head in heads {
        if std::mem::replace(&mut covered[head], true) {
            continue;
        }
        let mut behind = Vec::new();
        let mut stack = g.successors(head);
        while let Some(j) = stack.pop() {
            if !reached[j] && !std::mem::replace(&mut covered[j], true) {
                behind.push(j);
                stack.extend(g.successors(j));
            }
        }
        behind.sort_unstable();
        let hint = if behind.is_empty() {
            "link to it with 'next:' or an answer, or remove it".to_string()
        } else {
            let names: Vec<&str> = behind.iter().map(|&j| p.nodes[j].id.as_str()).collect();
            format!(
                "link to it with 'next:' or an answer, or remove it; the nodes it leads to cannot be reached either: {}",
                names.join(", ")
            )
        };
        f.error(
            nodes.index(head).key("id"),
            At::Value,
            format!(
                "the node '{}' cannot be reached from the start",
                p.nodes[head].id
            ),
            hint,
        );
    }
}

fn check_route_tests(p: &Procedure, ids: &HashSet<&str>, f: &mut Findings) {
    let g = Graph::new(p);
    let tests = YamlPath::root().key("tests");
    let mut reached = HashSet::new();
    for (i, test) in p.tests.iter().enumerate() {
        let at = tests.index(i);
        let name = test
            .name
            .clone()
            .unwrap_or_else(|| format!("test {}", i + 1));
        if !ids.contains(test.expect.as_str()) {
            f.error(
                at.key("expect"),
                At::Value,
                format!(
                    "route test '{name}' expects '{}', but there is no node with that id",
                    test.expect
                ),
                suggest_id(&test.expect, p),
            );
            continue;
        }
        match graph::walk(&g, &p.start, &test.answers) {
            Ok(node) if node.id == test.expect || node.aliases.contains(&test.expect) => {
                reached.insert(node.id.as_str());
            }
            Ok(node) => f.error(
                at.key("expect"),
                At::Value,
                format!(
                    "route test '{name}' fails: these answers lead to '{}', not '{}'",
                    node.id, test.expect
                ),
                "change the answers or the expected node; the wizard follows 'next' and the answers in order"
                    .to_string(),
            ),
            Err(error) => {
                let (path, message, hint) = explain_walk(&g, &name, &at, error);
                f.error(path, At::Value, message, hint);
            }
        }
    }
    if p.tests.is_empty() {
        return;
    }
    // Nodes that cannot be reached at all are reported as errors; no test could arrive there.
    let reachable = g.reachable();
    for (i, node) in p.nodes.iter().enumerate() {
        if node.kind != NodeKind::Decision && reachable[i] && !reached.contains(node.id.as_str()) {
            f.warning(
                YamlPath::root().key("nodes").index(i).key("id"),
                At::Value,
                format!("no route test arrives at '{}'", node.id),
                format!(
                    "add a test under 'tests:' with the answers that lead here and 'expect: {}'",
                    node.id
                ),
            );
        }
    }
}

fn explain_walk(
    g: &Graph<'_>,
    name: &str,
    at: &YamlPath,
    error: WalkError,
) -> (YamlPath, String, String) {
    match error {
        WalkError::NoStart => (
            at.key("answers"),
            format!("route test '{name}' cannot run: the start node does not exist"),
            "fix 'start' first".to_string(),
        ),
        WalkError::BadAnswer {
            index,
            at: node,
            expected,
        } => (
            at.key("answers").index(index),
            format!(
                "route test '{name}': answer {} does not fit the question at '{node}'",
                index + 1
            ),
            format!("write one of: {}", expected.join(", ")),
        ),
        WalkError::TooManyAnswers { index, at: node } => (
            at.key("answers").index(index),
            format!(
                "route test '{name}' has more answers than it needs: the wizard stops at '{node}' after answer {index}"
            ),
            "remove the extra answers, or expect where the wizard stops".to_string(),
        ),
        WalkError::Unfinished { at: node } => (
            at.key("answers"),
            format!(
                "route test '{name}' runs out of answers while the wizard still asks at '{node}'"
            ),
            match g.node(&node).map(graph::accepted_answers) {
                Some(answers) if !answers.is_empty() => format!(
                    "add the answer given at '{node}': one of {}",
                    answers.join(", ")
                ),
                _ => format!(
                    "add the answer given at '{node}' ('finished' or 'not-yet' at a stage, or the answer's label at a decision)"
                ),
            },
        ),
        WalkError::Broken { at: node } => (
            at.key("answers"),
            format!("route test '{name}' cannot be followed past '{node}'"),
            "fix the broken reference or cycle reported for that node first".to_string(),
        ),
    }
}

fn check_contacts(p: &Procedure, f: &mut Findings) {
    let contacts = YamlPath::root().key("contacts");
    if p.contacts.is_empty() {
        f.warning(
            YamlPath::root().key("title"),
            At::Key,
            "the procedure lists no contacts".to_string(),
            "readers need someone to contact: add a 'contacts:' list if the source gives any"
                .to_string(),
        );
    }
    for (i, contact) in p.contacts.iter().enumerate() {
        let at = contacts.index(i);
        if let Some(phone) = &contact.phone
            && !crate::model::contact::is_phone(phone)
        {
            f.error(
                at.key("phone"),
                At::Value,
                format!("'{phone}' is not a telephone number"),
                "write the number as published, with digits, spaces and an optional leading +, e.g. 01993 861000"
                    .to_string(),
            );
        }
        if let Some(email) = &contact.email
            && !crate::model::contact::is_email(email)
        {
            f.error(
                at.key("email"),
                At::Value,
                format!("'{email}' is not an e-mail address"),
                "an e-mail address looks like name@example.org, with no spaces".to_string(),
            );
        }
        let reachable = contact.phone.is_some()
            || contact.email.is_some()
            || !contact.address.is_empty()
            || contact.url.is_some()
            || contact.note.is_some();
        if !reachable {
            f.warning(
                at.key("id"),
                At::Value,
                format!("the contact '{}' has no phone, e-mail, address or web address", contact.id),
                "add how to reach them, or a 'note:' saying how to find them if the source gives no details".to_string(),
            );
        }
    }
}

fn check_links(p: &Procedure, f: &mut Findings) {
    let root = YamlPath::root();
    let mut urls: Vec<(YamlPath, &str)> = Vec::new();
    for (i, c) in p.contacts.iter().enumerate() {
        if let Some(u) = &c.url {
            urls.push((root.key("contacts").index(i).key("url"), u));
        }
    }
    for (i, r) in p.resources.iter().enumerate() {
        if let Some(u) = &r.url {
            urls.push((root.key("resources").index(i).key("url"), u));
        }
    }
    for (i, n) in p.nodes.iter().enumerate() {
        for (j, d) in n.documents.iter().enumerate() {
            if let Some(u) = &d.url {
                urls.push((
                    root.key("nodes")
                        .index(i)
                        .key("documents")
                        .index(j)
                        .key("url"),
                    u,
                ));
            }
        }
    }
    if let Some(u) = &p.source.url {
        urls.push((root.key("source").key("url"), u));
    }
    for (path, url) in urls {
        if !crate::model::contact::is_web_url(url) {
            let hint = if url.starts_with("www.") {
                format!("add the scheme: 'https://{url}' (or http:// if the site has no https)")
            } else {
                "a web address starts with https:// or http:// and has no spaces".to_string()
            };
            f.error(
                path,
                At::Value,
                format!("'{url}' is not a complete web address"),
                hint,
            );
        }
    }
}

fn check_dates(p: &Procedure, today: NaiveDate, f: &mut Findings) {
    let root = YamlPath::root();
    if let Some(adopted) = &p.adopted
        && parse_partial_date(adopted).is_none()
    {
        f.error(
            root.key("adopted"),
            At::Value,
            format!("'{adopted}' is not a date"),
            "write YYYY-MM-DD, YYYY-MM or YYYY, e.g. 2006-03".to_string(),
        );
    }
    let Some(reviewed) = &p.last_reviewed else {
        return;
    };
    let Ok(reviewed_on) = NaiveDate::parse_from_str(reviewed, "%Y-%m-%d") else {
        f.error(
            root.key("last_reviewed"),
            At::Value,
            format!("'{reviewed}' is not a date"),
            "write YYYY-MM-DD, e.g. 2026-11-23".to_string(),
        );
        return;
    };
    if reviewed_on > today {
        f.error(
            root.key("last_reviewed"),
            At::Value,
            format!("the last review date {reviewed} is in the future"),
            "write the day the file was last checked against the published procedure".to_string(),
        );
        return;
    }
    let every = p
        .monitoring
        .as_ref()
        .and_then(|m| m.review_every)
        .unwrap_or(Period {
            min: 12,
            max: None,
            unit: Unit::Months,
        });
    if let Some(due) = review_due(reviewed_on, every)
        && due < today
    {
        f.warning(
            root.key("last_reviewed"),
            At::Value,
            format!("the review due on {due} has passed (last reviewed {reviewed}, reviewed every {every})"),
            "check the procedure against its published source, then update last_reviewed".to_string(),
        );
    }
}

fn review_due(reviewed: NaiveDate, every: Period) -> Option<NaiveDate> {
    let amount = every.max.unwrap_or(every.min);
    match every.unit {
        Unit::Months => reviewed.checked_add_months(Months::new(amount)),
        Unit::Weeks => reviewed.checked_add_days(chrono::Days::new(u64::from(amount) * 7)),
        Unit::CalendarDays | Unit::WorkingDays => {
            reviewed.checked_add_days(chrono::Days::new(u64::from(amount)))
        }
    }
}

/// Reads `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, giving the first day it could mean.
pub fn parse_partial_date(text: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = text.split('-').collect();
    let number = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    match parts.as_slice() {
        [y] => NaiveDate::from_ymd_opt(number(y, 4)? as i32, 1, 1),
        [y, m] => NaiveDate::from_ymd_opt(number(y, 4)? as i32, number(m, 2)?, 1),
        [y, m, d] => NaiveDate::from_ymd_opt(number(y, 4)? as i32, number(m, 2)?, number(d, 2)?),
        _ => None,
    }
}

fn check_glossary(p: &Procedure, f: &mut Findings) {
    let mut seen = HashSet::new();
    for (i, entry) in p.glossary.iter().enumerate() {
        if !seen.insert(entry.term.as_str()) {
            f.error(
                YamlPath::root().key("glossary").index(i).key("term"),
                At::Value,
                format!("the glossary explains '{}' twice", entry.term),
                "keep one entry per term".to_string(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::graph::tests::{node, procedure};
    use std::path::PathBuf;

    fn loaded(p: Procedure) -> LoadedProcedure {
        let text = serde_yaml::to_string(&p).unwrap();
        LoadedProcedure {
            slug: "t".into(),
            file: PathBuf::from("procedures/t.yaml"),
            text,
            procedure: p,
            stamp: None,
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

    fn stage(id: &str, next: &str) -> Node {
        let mut n = node(id, NodeKind::Stage, &[next]);
        n.label = Some(id.to_uppercase());
        n
    }

    fn ending(id: &str) -> Node {
        let mut n = node(id, NodeKind::Ending, &[]);
        n.title = Some("Done".into());
        n.outcome = Some(crate::model::Outcome::Resolved);
        n
    }

    fn decision(id: &str, to: &[&str]) -> Node {
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

    #[test]
    fn partial_dates() {
        assert_eq!(
            parse_partial_date("2006-03"),
            NaiveDate::from_ymd_opt(2006, 3, 1)
        );
        assert_eq!(
            parse_partial_date("2006"),
            NaiveDate::from_ymd_opt(2006, 1, 1)
        );
        assert!(parse_partial_date("March 2006").is_none());
        assert!(parse_partial_date("2006-13").is_none());
    }
}
