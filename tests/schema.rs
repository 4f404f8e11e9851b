//! The committed JSON Schemas must match what the Rust types generate, and
//! every procedure file must point editors at the committed schema.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn committed(name: &str) -> String {
    std::fs::read_to_string(root().join("schema").join(name)).unwrap_or_default()
}

#[test]
fn committed_procedure_schema_matches_the_types() {
    assert!(
        committed("procedure.schema.json") == waymark::model::schema::procedure_schema(),
        "schema/procedure.schema.json is out of date: run `cargo run -- schema > schema/procedure.schema.json`"
    );
}

#[test]
fn committed_site_schema_matches_the_types() {
    assert!(
        committed("site.schema.json") == waymark::model::schema::site_schema(),
        "schema/site.schema.json is out of date: run `cargo run -- schema --site > schema/site.schema.json`"
    );
}

#[test]
fn every_procedure_file_names_the_schema_on_its_first_line() {
    let dir = root().join("procedures");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("procedures/ exists") {
        let path = entry.expect("readable entry").path();
        let text = std::fs::read_to_string(&path).expect("readable file");
        assert_eq!(
            text.lines().next(),
            Some("# yaml-language-server: $schema=../schema/procedure.schema.json"),
            "{} must start with the schema modeline",
            path.display()
        );
        seen += 1;
    }
    assert!(seen >= 6, "expected the six procedures, found {seen}");
}

#[test]
fn the_schema_describes_the_fields_editors_need() {
    let schema: serde_json::Value =
        serde_json::from_str(&waymark::model::schema::procedure_schema()).expect("schema is JSON");
    let properties = &schema["properties"];
    for field in ["title", "start", "nodes", "contacts", "tests"] {
        assert!(properties.get(field).is_some(), "schema lacks '{field}'");
    }
    assert_eq!(
        schema["additionalProperties"],
        serde_json::Value::Bool(false)
    );
}

/// The node's branch of the schema's `oneOf`: the one whose `kind` is the node's.
fn branches_fitting(
    node: &serde_json::Map<String, serde_json::Value>,
    branches: &[serde_json::Value],
) -> usize {
    branches
        .iter()
        .filter(|branch| {
            let properties = branch["properties"].as_object().expect("properties");
            let required = branch["required"].as_array().expect("required");
            properties["kind"]["const"] == node["kind"]
                && node.keys().all(|field| properties.contains_key(field))
                && required
                    .iter()
                    .all(|field| node.contains_key(field.as_str().unwrap_or_default()))
        })
        .count()
}

#[test]
fn the_schema_offers_each_kind_of_node_its_own_fields() {
    let schema: serde_json::Value =
        serde_json::from_str(&waymark::model::schema::procedure_schema()).expect("schema is JSON");
    let branches = schema["$defs"]["Node"]["oneOf"]
        .as_array()
        .expect("nodes are one of the kinds");
    assert_eq!(branches.len(), 3);
    for branch in branches {
        assert_eq!(
            branch["additionalProperties"],
            serde_json::Value::Bool(false)
        );
    }
    // Every node of the bundled procedures, as written, fits exactly one kind.
    let mut nodes = 0;
    for entry in std::fs::read_dir(root().join("procedures")).expect("procedures/ exists") {
        let text = std::fs::read_to_string(entry.expect("readable entry").path()).expect("text");
        let file: serde_json::Value = serde_yaml::from_str(&text).expect("a procedure");
        for node in file["nodes"].as_array().expect("nodes") {
            let node = node.as_object().expect("a node is a set of fields");
            assert_eq!(branches_fitting(node, branches), 1, "{node:?}");
            nodes += 1;
        }
    }
    assert!(nodes > 30, "only {nodes} nodes");
}
