//! An untouched starter: a procedure file that still holds the example text
//! `waymark new` wrote, which would otherwise be published as if it were the
//! procedure's own words.

use std::sync::OnceLock;

use serde_json::Value;

use crate::check::findings::{At, Findings};
use crate::load::locate::YamlPath;
use crate::model::Procedure;

/// The starter procedure `waymark new` writes (its title is the file's name).
const STARTER: &str = include_str!("../cmd/starter/procedure.yaml");

/// One piece of the starter's example text and where it sits.
struct Placeholder {
    path: YamlPath,
    /// The path in the procedure as JSON: keys and list indices.
    steps: Vec<Step>,
    text: String,
}

#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// The starter's example texts outside its nodes: every text of three words or
/// more, and every example.org address. These describe the field rather than say
/// anything ("The area this procedure covers"), so no real procedure has them. The
/// nodes' and route tests' example texts are left out: a real procedure may well
/// say "the concern was raised" or keep a route's name.
fn placeholders() -> &'static [Placeholder] {
    static PLACEHOLDERS: OnceLock<Vec<Placeholder>> = OnceLock::new();
    PLACEHOLDERS.get_or_init(|| {
        let starter: Option<Procedure> = serde_saphyr::from_str(STARTER).ok();
        let mut found = Vec::new();
        if let Some(value) = starter.and_then(|p| serde_json::to_value(p).ok()) {
            collect(&value, YamlPath::root(), &mut Vec::new(), &mut found);
        }
        found
    })
}

fn collect(value: &Value, path: YamlPath, steps: &mut Vec<Step>, found: &mut Vec<Placeholder>) {
    match value {
        Value::String(text) if is_example_text(text) => found.push(Placeholder {
            path,
            steps: steps.clone(),
            text: text.clone(),
        }),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                steps.push(Step::Index(i));
                collect(item, path.index(i), steps, found);
                steps.pop();
            }
        }
        Value::Object(fields) => {
            for (key, field) in fields {
                if steps.is_empty() && (key == "nodes" || key == "tests") {
                    continue;
                }
                steps.push(Step::Key(key.clone()));
                collect(field, path.key(key), steps, found);
                steps.pop();
            }
        }
        _ => {}
    }
}

fn is_example_text(text: &str) -> bool {
    !text.contains("__TITLE__")
        && (text.split_whitespace().count() >= 3 || text.ends_with("@example.org"))
}

/// The value at `steps` in `value`, if there is one.
fn at<'a>(value: &'a Value, steps: &[Step]) -> Option<&'a Value> {
    steps.iter().try_fold(value, |v, step| match step {
        Step::Key(k) => v.get(k),
        Step::Index(i) => v.get(i),
    })
}

/// Warns, once per file, where the file still holds the starter's example text.
pub(super) fn check_starter_text(p: &Procedure, text: &str, f: &mut Findings) {
    let placeholders = placeholders();
    // Most files hold none of the example texts: look for them in the text first,
    // and only then compare values.
    let mentioned = |ph: &Placeholder| {
        ph.text
            .lines()
            .next()
            .is_some_and(|first| text.contains(first.trim()))
    };
    if !placeholders.iter().any(mentioned) {
        return;
    }
    let Ok(value) = serde_json::to_value(p) else {
        return;
    };
    let mut untouched: Vec<&Placeholder> = placeholders
        .iter()
        .filter(|ph| at(&value, &ph.steps).and_then(Value::as_str) == Some(ph.text.as_str()))
        .collect();
    // In the order they appear in the file (the starter's values were collected by name).
    untouched.sort_by_key(|ph| {
        let first = ph.text.lines().next().unwrap_or_default().trim();
        text.find(first).unwrap_or(usize::MAX)
    });
    let Some(first) = untouched.first() else {
        return;
    };
    let others: Vec<&str> = untouched[1..].iter().map(|ph| ph.path.as_str()).collect();
    let hint = if others.is_empty() {
        "replace it with the procedure's own text, as published".to_string()
    } else {
        format!(
            "replace it with the procedure's own text, as published; the starter's text is also still in {}",
            others.join(", ")
        )
    };
    f.warning(
        first.path.clone(),
        At::Value,
        format!(
            "'{}' still holds the starter's example text \"{}\"",
            first.path.as_str(),
            first.text.lines().next().unwrap_or_default()
        ),
        hint,
    );
}
