//! Names: node ids and aliases, the start, contact and resource ids, and
//! glossary terms are well-formed and unique, and references between them resolve.

use std::collections::{HashMap, HashSet};

use crate::check::findings::{At, Findings};
use crate::diagnostics::did_you_mean;
use crate::load::is_valid_slug;
use crate::load::locate::YamlPath;
use crate::model::{FlatNode, Procedure};

/// The name of the guide's first page, beside a page for each node (`<id>.html`).
const GUIDE_FIRST_PAGE: &str = "index";

/// Node ids (and aliases) are well-formed and unique; returns every id and alias.
pub(super) fn check_ids<'a>(p: &'a Procedure, f: &mut Findings) -> HashSet<&'a str> {
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

/// `start` names a node by its current id.
pub(super) fn check_start(p: &Procedure, ids: &HashSet<&str>, f: &mut Findings) {
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
pub(super) fn suggest_id(missing: &str, p: &Procedure) -> String {
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
pub(super) fn check_unique<'a>(
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

/// Every node's former ids, each with the node's current id.
pub(super) fn aliases(p: &Procedure) -> HashMap<&str, &str> {
    p.nodes
        .iter()
        .flat_map(|n| n.aliases.iter().map(move |a| (a.as_str(), n.id.as_str())))
        .collect()
}

/// The ids a node refers to (the nodes it leads to, its contacts and resources) resolve.
pub(super) struct Known<'a> {
    /// Every node id and alias.
    pub(super) ids: &'a HashSet<&'a str>,
    /// Every alias, with the current id of its node.
    pub(super) aliases: &'a HashMap<&'a str, &'a str>,
    /// Every contact id.
    pub(super) contacts: &'a HashSet<&'a str>,
    /// Every resource id.
    pub(super) resources: &'a HashSet<&'a str>,
}

/// Every id written on `node` names a node, contact or resource that exists.
pub(super) fn check_node_references(
    node: &FlatNode,
    path: &YamlPath,
    known: &Known<'_>,
    f: &mut Findings,
) {
    let check_node = |target: &str, at: YamlPath, f: &mut Findings| match known.aliases.get(target)
    {
        // An alias only keeps old web addresses working; links inside the file use the current id.
        Some(current) => f.error(
            at,
            At::Value,
            format!("'{target}' is an old id of the node '{current}'"),
            format!("write '{current}': aliases only keep old web addresses working"),
        ),
        None => check_reference(target, at, known.ids, "node", f),
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
            known.contacts,
            "contact",
            f,
        );
    }
    for (i, resource) in node.resources.iter().enumerate() {
        check_reference(
            resource,
            path.key("resources").index(i),
            known.resources,
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

/// Each glossary term is explained once.
pub(super) fn check_glossary(p: &Procedure, f: &mut Findings) {
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
    use crate::check::tests::{ending, messages, procedure, stage};

    #[test]
    fn reports_dangling_references() {
        let p = procedure(vec![stage("a", "ned"), ending("end")]);
        assert_eq!(messages(p)[0], "there is no node with the id 'ned'");
    }
}
