//! Every shape and type error in a file that parses, not only the first.
//!
//! serde stops at a file's first wrong field. When it does, each top-level field,
//! and each item of a top-level list written one item per line (`nodes:`,
//! `contacts:` ...), is read again on its own: the file's text with every other line
//! blanked, so line and column numbers stay those of the file. Each part's first
//! error is kept. A good file is read once, as before; this costs only a file that
//! failed.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::Error;

use super::explain;
use super::locate::{PositionIndex, YamlPath};
use crate::diagnostics::{Diagnostic, did_you_mean};

/// A range of lines, counted from 1, both ends included.
type Lines = (usize, usize);

/// The first error of every part of `text` that reads wrongly as a `T`, besides
/// `first` (the whole file's first error), sorted by position.
pub fn all_errors<T: DeserializeOwned>(
    file: &Path,
    text: &str,
    first: Diagnostic,
) -> Vec<Diagnostic> {
    let first_line = first.position.map(|p| p.line);
    // A part's first error is all it adds; the part holding the file's first error adds nothing.
    let holds_first =
        |(from, to): Lines| first_line.is_some_and(|line| (from..=to).contains(&line));
    let mut found = vec![first];
    let index = PositionIndex::build(text);
    let last_line = text.lines().count();
    let fields = index.fields_of(&YamlPath::root());
    let mut clean: Vec<Lines> = Vec::new();
    for (n, (field, at)) in fields.iter().enumerate() {
        let end = fields
            .get(n + 1)
            .map_or(last_line, |(_, next)| next.line - 1);
        let entry = (at.line, end);
        let items = block_items(&index, field, entry);
        let errors: Vec<Diagnostic> = if items.is_empty() {
            if holds_first(entry) {
                continue;
            }
            error_in::<T>(file, text, &[entry], None)
                .into_iter()
                .collect()
        } else {
            let key_line = (at.line, at.line);
            items
                .into_iter()
                .enumerate()
                .filter(|&(_, lines)| !holds_first(lines))
                .filter_map(|(i, lines)| {
                    let shown = (field.index(0), field.index(i));
                    error_in::<T>(file, text, &[key_line, lines], Some(shown))
                })
                .collect()
        };
        if errors.is_empty() && !holds_first(entry) {
            clean.push(entry);
        }
        found.extend(errors);
    }
    // The fields that read well, together: a field the file lacks besides.
    if clean.len() < fields.len() {
        let part = only_lines(text, &clean);
        if let Err(error) = serde_saphyr::from_str_with_options::<T>(&part, super::limits::reader())
            && missing_field(&error).is_some_and(|name| {
                // A field misspelt ('titel') was reported as unknown: not missing as well.
                did_you_mean(name, fields.iter().map(|(path, _)| path.as_str())).is_none()
            })
        {
            let path = super::path_to_error::<T>(&part);
            if path.is_root() {
                let d = explain::diagnostic(file, &part, &error, std::any::type_name::<T>(), &path);
                found.push(d.at(index.value(&path), text));
            }
        }
    }
    found.sort_by_key(|d| d.position);
    found.dedup_by(|a, b| a.position == b.position && a.message == b.message);
    found
}

/// The lines of each item of the list at `field`, when it is a block list with one
/// item starting on each line after the key; none otherwise.
fn block_items(index: &PositionIndex, field: &YamlPath, (key_line, end): Lines) -> Vec<Lines> {
    let starts: Vec<usize> = index
        .items_of(field)
        .iter()
        .map(|(_, at)| at.line)
        .collect();
    let one_per_line = starts.windows(2).all(|pair| pair[0] < pair[1]);
    if starts.is_empty() || !one_per_line || starts[0] <= key_line {
        return Vec::new();
    }
    starts
        .iter()
        .enumerate()
        .map(|(i, &start)| (start, starts.get(i + 1).map_or(end, |next| next - 1)))
        .collect()
}

/// The error reading only `lines` of `text` as a `T` finds, if it is a shape or type
/// error within them. `shown` renames the path the part has when read alone (its
/// list's only item) to the one it has in the file.
fn error_in<T: DeserializeOwned>(
    file: &Path,
    text: &str,
    lines: &[Lines],
    shown: Option<(YamlPath, YamlPath)>,
) -> Option<Diagnostic> {
    let part = only_lines(text, lines);
    let error = serde_saphyr::from_str_with_options::<T>(&part, super::limits::reader()).err()?;
    if !is_shape_error(&error) {
        // Aliases may refer to anchors in other parts: not a mistake.
        return None;
    }
    let path = super::path_to_error::<T>(&part);
    if missing_field(&error).is_some() && path.is_root() {
        // Read alone, a part lacks the file's other fields.
        return None;
    }
    let mut d = explain::diagnostic(file, &part, &error, std::any::type_name::<T>(), &path);
    if let Some(position) = d.position {
        d = d.at(position, text);
    }
    if let Some((alone, in_file)) = shown {
        // Messages name a place as "in PATH" (or "(in PATH)").
        let (alone, in_file) = (
            format!("in {}", alone.as_str()),
            format!("in {}", in_file.as_str()),
        );
        d.message = d.message.replacen(&alone, &in_file, 1);
    }
    Some(d)
}

/// `text` with every line outside `lines` blanked: its characters become spaces, so
/// every position in the lines kept is what it was.
fn only_lines(text: &str, lines: &[Lines]) -> String {
    let keep = |n: usize| lines.iter().any(|&(from, to)| (from..=to).contains(&n));
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if keep(i + 1) {
            out.push_str(line);
        } else {
            out.extend(
                line.chars()
                    .map(|c| if c == '\n' || c == '\r' { c } else { ' ' }),
            );
        }
    }
    out
}

/// The errors of a value's shape or type, as opposed to the YAML's syntax, size or aliases.
pub fn is_shape_error(error: &Error) -> bool {
    match error {
        Error::WithSnippet { error, .. } | Error::AliasError { error, .. } => is_shape_error(error),
        Error::SerdeUnknownField { .. }
        | Error::SerdeUnknownVariant { .. }
        | Error::SerdeMissingField { .. }
        | Error::DuplicateMappingKey { .. }
        | Error::Unexpected { .. }
        | Error::SerdeInvalidType { .. }
        | Error::SerdeInvalidValue { .. }
        | Error::InvalidScalar { .. }
        | Error::Message { .. } => true,
        _ => false,
    }
}

/// The field the error says is missing, if it is a missing field.
fn missing_field(error: &Error) -> Option<&str> {
    match error {
        Error::WithSnippet { error, .. } | Error::AliasError { error, .. } => missing_field(error),
        Error::SerdeMissingField { field, .. } => Some(field),
        _ => None,
    }
}
