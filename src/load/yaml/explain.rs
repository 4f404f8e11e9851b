//! Turns the reader's errors into diagnostics a coordinator can act on: what is wrong in
//! plain words, where (the path, and the line and column), and a hint.
//!
//! The reader reports structured errors (an unknown field and the allowed ones, a missing
//! field, a wrong kind of value) at a place in the text; the place is turned into a path
//! (`nodes[0].deadlines[1]`) with the position index, built from the same parser's spans.

use std::path::Path;

use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::{Error, ExternalMessageSource};

use super::aliases::ALIAS_HINT;
use super::locate::{Found, PositionIndex, YamlPath};
use super::syntax;
use crate::diagnostics::{Diagnostic, Position, did_you_mean};

/// An error explained: what to say, what to suggest, and where.
pub struct Explained {
    pub message: String,
    pub hint: String,
    pub at: Option<Position>,
}

pub fn explained(message: impl Into<String>, hint: impl Into<String>) -> Explained {
    Explained {
        message: message.into(),
        hint: hint.into(),
        at: None,
    }
}

impl Explained {
    pub fn at(mut self, at: Option<Position>) -> Self {
        self.at = at;
        self
    }
}

/// The reader's error in `file`, explained. `root_type` is the Rust name of the type the
/// whole file is read into (`waymark::model::Procedure`).
///
/// `path` is where in the document the reading failed, as far as serde could tell.
pub fn diagnostic(
    file: &Path,
    text: &str,
    error: &Error,
    root_type: &str,
    path: &YamlPath,
) -> Diagnostic {
    let explained = explain(
        error,
        &Context {
            text,
            root_type,
            path,
        },
    );
    let mut d = Diagnostic::error(file, explained.message);
    if let Some(at) = explained.at {
        d = d.at(at, text);
    }
    d.with_hint(explained.hint)
}

/// The reader's place for an error, if it gave one.
fn place(error: &Error) -> Option<Position> {
    let location = error.location()?;
    let line = usize::try_from(location.line()).ok()?;
    let column = usize::try_from(location.column()).ok()?;
    (line > 0).then_some(Position {
        line,
        column: column.max(1),
    })
}

/// What an explanation may draw on besides the error.
struct Context<'a> {
    text: &'a str,
    /// The Rust name of the type the whole file is read into.
    root_type: &'a str,
    /// Where in the document the reading failed.
    path: &'a YamlPath,
}

fn explain(error: &Error, cx: &Context<'_>) -> Explained {
    let at = place(error);
    let text = cx.text;
    let path = cx.path;
    match error {
        Error::WithSnippet { error, .. } => explain(error, cx),
        Error::AliasError { error, .. } => explain(error, cx),
        Error::ExternalMessage { source, .. } => match source.as_ref() {
            ExternalMessageSource::Parser(scan) => syntax::explain(scan, text),
            _ => unexplained(error, at),
        },
        Error::Budget { breach, .. } => budget(breach).at(at),
        Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. } => too_many_aliases().at(at),
        Error::UnknownAnchor { .. } => explained(
            "this alias (*name) refers to an anchor (&name) that is not defined",
            "to start text with '*', put the whole value in quotes",
        )
        .at(at),
        Error::MultipleDocuments { .. } => explained(
            "the file holds more than one YAML document",
            "remove the '---' line and what follows, or split it: one procedure per file",
        )
        .at(index(text).second_document().or(at)),
        Error::SerdeUnknownField {
            field, expected, ..
        } => unknown_field(field, expected, at, path),
        Error::SerdeUnknownVariant {
            variant, expected, ..
        } => unknown_variant(variant, expected, at, path, text),
        Error::SerdeMissingField { field, .. } => missing_field(field, at, path, text),
        Error::DuplicateMappingKey { key, .. } => repeated_key(key.as_deref(), at, text),
        Error::Unexpected { expected, .. } => wrong_kind(&expected_words(expected, cx), at, cx),
        Error::SerdeInvalidType { expected, .. } | Error::SerdeInvalidValue { expected, .. } => {
            wrong_kind(&friendly_type(expected), at, cx)
        }
        Error::InvalidScalar { ty, .. } => wrong_kind(&friendly_type(ty), at, cx),
        Error::Message { msg, .. } => unreadable_value(msg, at, path),
        _ => unexplained(error, at),
    }
}

/// An error with no explanation of its own: the reader's words, at its place.
fn unexplained(error: &Error, at: Option<Position>) -> Explained {
    let words = error.without_snippet().to_string();
    let words = words
        .split(" at line ")
        .next()
        .unwrap_or(&words)
        .to_string();
    explained(
        format!("YAML error: {words}"),
        "check the indentation and that every quote or bracket is closed",
    )
    .at(at)
}

fn too_many_aliases() -> Explained {
    explained(
        "the YAML's aliases (*name) expand to too much data",
        ALIAS_HINT,
    )
}

fn budget(breach: &BudgetBreach) -> Explained {
    match breach {
        BudgetBreach::Depth { .. } => syntax::too_deep(),
        BudgetBreach::Documents { .. } => explained(
            "the file holds more than one YAML document",
            "remove the '---' line and what follows, or split it: one procedure per file",
        ),
        BudgetBreach::Aliases { .. }
        | BudgetBreach::Anchors { .. }
        | BudgetBreach::AliasAnchorRatio { .. } => too_many_aliases(),
        _ => explained(
            "the file holds more YAML than any procedure needs",
            "a procedure file is a few kilobytes; check this is the right file, and do not repeat large blocks with aliases (*name)",
        ),
    }
}

fn index(text: &str) -> PositionIndex {
    PositionIndex::build(text)
}

/// " in PATH", or nothing at the root.
fn where_(path: &YamlPath) -> String {
    if path.is_root() {
        String::new()
    } else {
        format!(" in {}", path.as_str())
    }
}

fn unknown_field(
    field: &str,
    allowed: &[&str],
    at: Option<Position>,
    path: &YamlPath,
) -> Explained {
    // Serde names the unknown field's place by the mapping it is in, or by the field itself.
    let place = if path.as_str().ends_with(field) {
        path.parent()
    } else {
        path.clone()
    };
    let path = &place;
    let message = match did_you_mean(field, allowed.iter().copied()) {
        Some(s) => format!(
            "unknown field '{field}'{} (did you mean '{s}'?)",
            where_(path)
        ),
        None => format!("unknown field '{field}'{}", where_(path)),
    };
    let hint = if allowed.is_empty() {
        "no fields are allowed here".to_string()
    } else {
        format!("the fields allowed here are: {}", allowed.join(", "))
    };
    explained(message, hint).at(at)
}

fn unknown_variant(
    value: &str,
    allowed: &[&str],
    at: Option<Position>,
    path: &YamlPath,
    text: &str,
) -> Explained {
    let hint = format!("write one of: {}", allowed.join(", "));
    // An empty value reaches serde as `~`, like a written `~`: the text tells them apart.
    let empty = at.is_some_and(|at| {
        matches!(index(text).found_at(at), Some((_, Found::Scalar { text, .. })) if text.is_empty())
    });
    if value.is_empty() || (value == "~" && empty) {
        // Nothing is written to point at: point at the field's name, as `check` does.
        let key = index(text).key(path);
        return explained(format!("no value is given{}", where_(path)), hint).at(Some(key));
    }
    let message = match did_you_mean(value, allowed.iter().copied()) {
        Some(s) => format!(
            "'{value}' is not allowed here{} (did you mean '{s}'?)",
            where_(path)
        ),
        None => format!("'{value}' is not allowed here{}", where_(path)),
    };
    explained(message, hint).at(at)
}

/// A missing field, placed where the fields it belongs among start (the reader notices
/// it where they end).
fn missing_field(field: &str, at: Option<Position>, path: &YamlPath, text: &str) -> Explained {
    let start = index(text).value(path);
    explained(
        format!("missing field '{field}'{}", where_(path)),
        format!("add a line '{field}: ...' here; see docs/authoring.md"),
    )
    .at(Some(start).or(at))
}

/// A key given twice in one mapping, placed at the second.
fn repeated_key(key: Option<&str>, at: Option<Position>, text: &str) -> Explained {
    let index = index(text);
    let path = at.and_then(|at| index.key_at(at)).cloned();
    let name = key.map(str::to_string).unwrap_or_else(|| {
        path.as_ref()
            .and_then(|p| p.as_str().rsplit('.').next().map(str::to_string))
            .unwrap_or_else(|| "?".to_string())
    });
    let first = path.as_ref().map(|p| index.key(p).line);
    let hint = match first {
        Some(line) => {
            format!("a field may appear once in each item: keep this one or the one on line {line}")
        }
        None => "a field may appear once in each item: keep one of them".to_string(),
    };
    let place = path.as_ref().map(YamlPath::parent).unwrap_or_default();
    explained(format!("'{name}' is given twice{}", where_(&place)), hint).at(at)
}

/// The reader's words for what it wanted, as a coordinator would say them.
fn expected_words(expected: &str, cx: &Context<'_>) -> String {
    match expected {
        "string scalar" | "scalar" => "text".to_string(),
        "sequence start" => "a list".to_string(),
        "mapping start" => {
            if cx.path.is_root() {
                let name = cx.root_type.rsplit("::").next().unwrap_or(cx.root_type);
                format!("the fields of {}", with_article(&words(name)))
            } else {
                "a set of fields".to_string()
            }
        }
        other => friendly_type(other),
    }
}

/// A value of the wrong kind: a list where text belongs, text where a list does; or a
/// list or set of fields written where a field's name belongs.
fn wrong_kind(expected: &str, at: Option<Position>, cx: &Context<'_>) -> Explained {
    let index = index(cx.text);
    let found = at.and_then(|at| index.found_at(at));
    let is_key = found.is_some_and(|(path, _)| at.and_then(|at| index.key_at(at)) == Some(path));
    let found_words = found.map_or_else(|| "something else".to_string(), |(_, f)| found_words(f));
    if let (true, Some((key, _))) = (is_key, found) {
        return explained(
            format!(
                "expected a field name{}, found {found_words}",
                where_(&key.parent())
            ),
            "write a field name, then ': ' and its value",
        )
        .at(at);
    }
    explained(
        format!(
            "expected {expected}{}, found {found_words}",
            where_(cx.path)
        ),
        type_hint(expected, &found_words),
    )
    .at(at)
}

fn found_words(found: &Found) -> String {
    match found {
        Found::Scalar { text, plain: true } if text.is_empty() => "an empty value".to_string(),
        Found::Scalar { text, plain: true } if text.parse::<f64>().is_ok() => {
            format!("the number {text}")
        }
        Found::Scalar { text, .. } => format!("text {text:?}"),
        Found::List => "a list".to_string(),
        Found::Fields => "a set of fields".to_string(),
        Found::Alias => "an alias (*name)".to_string(),
    }
}

/// The hint for a period that could not be read.
const PERIOD_HINT: &str =
    "write a number then a unit, e.g. '2 weeks', '2-4 weeks', '28 days' or '28 working days'";

/// A value of the right kind that could not be read: in this format, a period. The
/// message says what is wrong, then (after ": ") how to write it.
fn unreadable_value(message: &str, at: Option<Position>, path: &YamlPath) -> Explained {
    let (what, hint) = match message.rfind(": ") {
        Some(cut) => (&message[..cut], &message[cut + 2..]),
        None if message.contains("range") => {
            (message, "write the smaller number first, e.g. '2-4 weeks'")
        }
        None => (message, PERIOD_HINT),
    };
    let message = if path.is_root() {
        what.to_string()
    } else {
        format!("{what} (in {})", path.as_str())
    };
    explained(message, hint).at(at)
}

/// Serde's names for kinds of value, in plain words.
fn friendly_type(serde: &str) -> String {
    if let Some(name) = serde.strip_prefix("struct ") {
        return format!("the fields of {}", with_article(&words(name)));
    }
    if let Some(quoted) = serde.strip_prefix("string ") {
        return format!("text {quoted}");
    }
    for (serde_name, ours) in [
        ("integer ", "the number "),
        ("floating point ", "the number "),
        ("boolean ", ""),
    ] {
        if let Some(value) = serde.strip_prefix(serde_name) {
            return format!("{ours}{}", value.trim_matches('`'));
        }
    }
    match serde {
        "sequence" | "a sequence" => "a list".to_string(),
        "map" | "a map" => "a set of fields".to_string(),
        "a string" | "string" => "text".to_string(),
        "unit value" => "an empty value".to_string(),
        "field identifier" => "a field name".to_string(),
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" => {
            "a whole number".to_string()
        }
        "bool" => "true or false".to_string(),
        other => other.to_string(),
    }
}

/// `RouteTest` → `route test`.
fn words(camel: &str) -> String {
    let mut out = String::new();
    for c in camel.chars() {
        if c.is_uppercase() && !out.is_empty() {
            out.push(' ');
        }
        out.extend(c.to_lowercase());
    }
    out
}

fn with_article(noun: &str) -> String {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {noun}")
    } else {
        format!("a {noun}")
    }
}

fn type_hint(expected: &str, found: &str) -> String {
    if expected == "a list" {
        "write a list: one item per line starting with '- ', or [a, b] on one line".to_string()
    } else if expected == "text" && found == "a set of fields" {
        "text containing ': ' must be put in quotes, e.g. - \"Note: ...\"".to_string()
    } else if expected == "text" {
        "write plain text; put it in quotes if it starts with a special character".to_string()
    } else if expected.starts_with("the fields of") || expected == "a set of fields" {
        "write the fields as 'name: value' lines; `waymark schema` lists them".to_string()
    } else {
        format!("write {expected} here")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_written_paths() {
        assert_eq!(
            YamlPath::parse("nodes[2].deadlines[0]"),
            YamlPath::root()
                .key("nodes")
                .index(2)
                .key("deadlines")
                .index(0)
        );
        assert_eq!(YamlPath::parse("."), YamlPath::root());
        assert_eq!(
            YamlPath::parse("nodes[2].next").parent(),
            YamlPath::parse("nodes[2]")
        );
        assert_eq!(
            YamlPath::parse("nodes[2]").parent(),
            YamlPath::parse("nodes")
        );
        assert_eq!(YamlPath::parse("title").parent(), YamlPath::root());
    }

    #[test]
    fn names_kinds_in_plain_words() {
        assert_eq!(
            friendly_type("struct RouteTest"),
            "the fields of a route test"
        );
        assert_eq!(friendly_type("a sequence"), "a list");
        assert_eq!(with_article("owner"), "an owner");
    }
}
