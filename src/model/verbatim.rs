//! Which fields quote the published text word for word.
//!
//! A field is verbatim when the model says so, in one place: its
//! `#[schemars(extend("x-verbatim" = ...))]` attribute, which also tells
//! editors through the JSON Schema. [`quotes`] walks a procedure alongside its
//! schema and gives back every such field's text and path, so the checks never
//! keep a list of their own.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

/// The schema keyword that marks a verbatim field.
const KEYWORD: &str = "x-verbatim";

/// How a verbatim field is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Plain text, quoted as it stands.
    Plain,
    /// Markdown: its emphasis, list and link syntax are not part of the quote.
    Markdown,
}

/// One verbatim field of a procedure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// Where the field is, as a path: `nodes[2].steps[0].text`.
    pub path: String,
    /// What it says.
    pub text: String,
    /// How it is written.
    pub form: Form,
}

/// Every verbatim field of `value` (fields of one mapping in name order).
pub fn quotes<T: Serialize + JsonSchema>(value: &T) -> Vec<Quote> {
    let schema = schemars::schema_for!(T);
    let schema = schema.as_value();
    let Ok(value) = serde_json::to_value(value) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    walk(schema, schema, &value, String::new(), &mut found);
    // A field reached through two branches of a `oneOf` is one quote.
    let mut seen = std::collections::HashSet::new();
    found.retain(|q| seen.insert(q.path.clone()));
    found
}

/// The schemas `schema` stands for: itself (its `$ref` followed) and its `oneOf`,
/// `anyOf` and `allOf` branches.
fn branches<'a>(root: &'a Value, schema: &'a Value, out: &mut Vec<&'a Value>) {
    let schema = match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.rsplit('/').next().unwrap_or_default();
            match root.get("$defs").and_then(|defs| defs.get(name)) {
                Some(target) => target,
                None => return,
            }
        }
        None => schema,
    };
    out.push(schema);
    for keyword in ["oneOf", "anyOf", "allOf"] {
        for branch in schema
            .get(keyword)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            branches(root, branch, out);
        }
    }
}

/// How the schemas `all` say a field is written, if any marks it verbatim.
fn form_of(all: &[&Value]) -> Option<Form> {
    all.iter().find_map(|s| match s.get(KEYWORD)?.as_str()? {
        "markdown" => Some(Form::Markdown),
        _ => Some(Form::Plain),
    })
}

fn walk(root: &Value, schema: &Value, value: &Value, path: String, found: &mut Vec<Quote>) {
    let mut all = Vec::new();
    branches(root, schema, &mut all);
    match value {
        Value::String(text) => {
            if let Some(form) = form_of(&all) {
                found.push(Quote {
                    path,
                    text: text.clone(),
                    form,
                });
            }
        }
        Value::Array(items) => {
            // A list marked verbatim (checklist items) quotes each of its texts.
            let list_form = form_of(&all);
            for (i, item) in items.iter().enumerate() {
                if let (Some(form), Value::String(text)) = (list_form, item) {
                    found.push(Quote {
                        path: format!("{path}[{i}]"),
                        text: text.clone(),
                        form,
                    });
                    continue;
                }
                for s in &all {
                    if let Some(items_schema) = s.get("items") {
                        walk(root, items_schema, item, format!("{path}[{i}]"), found);
                    }
                }
            }
        }
        Value::Object(fields) => {
            for (key, field) in fields {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                for s in &all {
                    if let Some(field_schema) = s.get("properties").and_then(|p| p.get(key)) {
                        walk(root, field_schema, field, child.clone(), found);
                    }
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Procedure;

    #[test]
    fn finds_the_fields_the_model_marks_and_no_others() {
        let yaml = "title: T
area: A
owner: O
summary: Not a quote.
sections:
  - heading: Not a quote either
    body: A section body.
start: s
nodes:
  - id: s
    kind: stage
    title: Not a quote
    next: end
    steps:
      - text: A step.
    checklists:
      - title: Not a quote
        items: [First item, Second item]
    deadlines:
      - what: Not a quote
        period: 2 weeks
        strength: should
        wording: Within 2 weeks.
  - id: end
    kind: ending
    title: Done
    outcome: resolved
source:
  title: Not a quote
  acknowledged:
    - text: every 6 months
      why: Not a quote
";
        let p: Procedure = serde_yaml::from_str(yaml).expect("the procedure reads");
        let found: Vec<(String, String, Form)> = quotes(&p)
            .into_iter()
            .map(|q| (q.path, q.text, q.form))
            .collect();
        let expected = [
            ("sections[0].body", "A section body.", Form::Markdown),
            ("nodes[0].steps[0].text", "A step.", Form::Markdown),
            ("nodes[0].checklists[0].items[0]", "First item", Form::Plain),
            (
                "nodes[0].checklists[0].items[1]",
                "Second item",
                Form::Plain,
            ),
            (
                "nodes[0].deadlines[0].wording",
                "Within 2 weeks.",
                Form::Plain,
            ),
            ("source.acknowledged[0].text", "every 6 months", Form::Plain),
        ];
        let mut found_sorted = found.clone();
        found_sorted.sort_by(|a, b| a.0.cmp(&b.0));
        let mut expected: Vec<(String, String, Form)> = expected
            .iter()
            .map(|(p, t, f)| (p.to_string(), t.to_string(), *f))
            .collect();
        expected.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(found_sorted, expected);
    }
}
