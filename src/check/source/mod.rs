//! Checks against the published text: the procedure file says only what the
//! published procedure says, and leaves nothing out unremarked.
//!
//! - Every verbatim field ([`crate::model::verbatim`]) stands in the text
//!   (`source.text`), or the error shows the nearest passage and the first
//!   word that differs.
//! - Every time expression of the text is a deadline's period (or the
//!   review period), and every phone number, e-mail or web address and
//!   postcode is in the file, unless a `source.acknowledged` passage holds
//!   it. The file's own contact details are in the text.
//! - A deadline's period is the time its own wording names (no text needed).
//!
//! Everything here takes time linear in the text: one pass to split it into
//! words, one substring search per quote, one pattern scan per kind of detail.

mod coverage;
mod expressions;
mod normalise;
mod quotes;

use std::collections::HashSet;
use std::ops::Range;

use serde_json::Value;

pub use coverage::Coverage;
use expressions::{Detail, details, time_expressions};
use normalise::Words;
use quotes::Span;

use super::findings::{At, Findings};
use crate::diagnostics::{Diagnostic, Position};
use crate::load::LoadedProcedure;
use crate::load::locate::YamlPath;
use crate::load::source_text::SourceText;
use crate::model::verbatim::{self, Form};
use crate::model::{Period, Procedure};

/// Where verbatim fields that acknowledge a passage live: they say what the page
/// leaves out, so they do not count towards what it quotes.
const ACKNOWLEDGED: &str = "source.acknowledged";

/// Checks `lp` against its published text, if it names one, and its deadlines'
/// periods against their wording. Problems in the YAML go to `f`; those placed
/// in the published text are returned.
pub(super) fn check_source(lp: &LoadedProcedure, f: &mut Findings) -> Vec<Diagnostic> {
    check_periods_agree(&lp.procedure, f);
    let Some(source) = &lp.source_text else {
        return Vec::new();
    };
    let text = words_of(source);
    let lines = Lines::of(&source.text);
    let found = find_quotes(lp, source, &text, &lines, f);
    let mut in_text = Vec::new();
    check_time_expressions(
        &lp.procedure,
        source,
        &found.acknowledged,
        &lines,
        &mut in_text,
    );
    check_details(
        &lp.procedure,
        source,
        &found.acknowledged,
        &lines,
        &mut in_text,
        f,
    );
    in_text
}

/// How much of its published text `lp` quotes, if it names a text that could be read.
pub fn coverage(lp: &LoadedProcedure) -> Option<Coverage> {
    let source = lp.source_text.as_ref()?;
    let text = words_of(source);
    let lines = Lines::of(&source.text);
    let found = find_quotes(lp, source, &text, &lines, &mut Findings::default());
    Some(coverage::coverage(&text, &found.quoted))
}

/// The words of a published text: read as Markdown if its file is `.md`.
fn words_of(source: &SourceText) -> Words {
    if source.is_markdown() {
        Words::of_markdown(source.body(), source.body_start)
    } else {
        Words::of(source.body(), source.body_start)
    }
}

/// Where the verbatim fields stand in the text.
struct Found {
    /// The passages quoted on the page.
    quoted: Vec<Span>,
    /// The passages acknowledged as left out, as byte ranges of the text.
    acknowledged: Vec<Range<usize>>,
}

fn find_quotes(
    lp: &LoadedProcedure,
    source: &SourceText,
    text: &Words,
    lines: &Lines,
    f: &mut Findings,
) -> Found {
    let mut found = Found {
        quoted: Vec::new(),
        acknowledged: Vec::new(),
    };
    for quote in verbatim::quotes(&lp.procedure) {
        let acknowledges = quote.path.starts_with(ACKNOWLEDGED);
        for passage in quotes::passages(&quote.text, quote.form) {
            let words = Words::of(&passage, 0);
            if words.words.is_empty() {
                continue;
            }
            let spans = quotes::find_all(text, &words);
            if spans.is_empty() {
                let at = Where {
                    source,
                    text,
                    lines,
                };
                not_found(&at, &words, &passage, &quote.path, quote.form, f);
            } else if acknowledges {
                found.acknowledged.extend(
                    spans
                        .iter()
                        .map(|s| text.words[s.first].start..text.words[s.last].end),
                );
            } else {
                found.quoted.extend(spans);
            }
        }
    }
    found
}

/// The error for a quote that is not in the text, with the nearest passage.
/// A published text, as words and as lines.
struct Where<'a> {
    source: &'a SourceText,
    text: &'a Words,
    lines: &'a Lines<'a>,
}

fn not_found(
    at_text: &Where,
    quote: &Words,
    passage: &str,
    path: &str,
    form: Form,
    f: &mut Findings,
) {
    let Where {
        source,
        text,
        lines,
    } = at_text;
    let file = source.file.display();
    let opening = opening_words(passage, 8);
    let what = match form {
        Form::Markdown => format!("the passage \"{opening}\""),
        Form::Plain => format!("\"{opening}\""),
    };
    let hint = match quotes::nearest(text, quote) {
        Some(near) => {
            let at = |word: usize| lines.position(text.words[word].start);
            let passage = at(near.passage);
            let differs = match near.text_word {
                Some(w) => {
                    let p = at(w);
                    format!(
                        "the first word that differs is '{}', where the published text has '{}' ({file}:{}:{})",
                        quote.word(near.quote_word),
                        text.word(w),
                        p.line,
                        p.column
                    )
                }
                None => format!(
                    "the published text ends before '{}'",
                    quote.word(near.quote_word)
                ),
            };
            format!(
                "the nearest passage is at {file}:{}:{}; {differs}. Quote the published text exactly, or, if it was revised, update {file} and then this quote",
                passage.line, passage.column
            )
        }
        None => format!(
            "no passage of {file} begins or ends like it: quote the published text exactly, or move what is not a quote to a field that is not verbatim (a summary or a note)"
        ),
    };
    f.error(
        YamlPath::parse(path),
        At::Value,
        format!("{what} is not in the published text {file}"),
        hint,
    );
}

/// The first `count` words of `text`, with '…' if there are more.
fn opening_words(text: &str, count: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = words[..words.len().min(count)].join(" ");
    if words.len() > count {
        out.push('…');
    }
    out
}

/// A deadline whose period is not a time its own wording names is an error.
fn check_periods_agree(p: &Procedure, f: &mut Findings) {
    for (i, node) in p.nodes.iter().enumerate() {
        for (j, deadline) in node.deadlines.iter().enumerate() {
            let named = time_expressions(&deadline.wording);
            if named.is_empty() || named.iter().any(|e| e.period == deadline.period) {
                continue;
            }
            let says: Vec<String> = named.iter().map(|e| e.period.to_string()).collect();
            f.error(
                YamlPath::root()
                    .key("nodes")
                    .index(i)
                    .key("deadlines")
                    .index(j)
                    .key("period"),
                At::Value,
                format!(
                    "the wording says {}, but the period says {}",
                    says.join(" and "),
                    deadline.period
                ),
                format!("make the period what the wording says ('period: {}'), or check the wording is the one for this time limit", says[0]),
            );
        }
    }
}

/// The periods a procedure carries: its deadlines' and its review period.
fn carried_periods(p: &Procedure) -> Vec<Period> {
    let deadlines = p.nodes.iter().flat_map(|n| &n.deadlines).map(|d| d.period);
    let review = p.monitoring.as_ref().and_then(|m| m.review_every);
    deadlines.chain(review).collect()
}

fn check_time_expressions(
    p: &Procedure,
    source: &SourceText,
    acknowledged: &[Range<usize>],
    lines: &Lines,
    out: &mut Vec<Diagnostic>,
) {
    let carried = carried_periods(p);
    for e in time_expressions(source.body()) {
        let start = source.body_start + e.start;
        if carried.contains(&e.period) || is_acknowledged(acknowledged, start) {
            continue;
        }
        let written = collapse(&source.body()[e.start..e.end]);
        out.push(
            Diagnostic::warning(
                &source.file,
                format!("the published text's time limit '{written}' is in no deadline"),
            )
            .at(lines.position(start), &source.text)
            .with_hint(format!(
                "add a deadline with 'period: {}' and its wording, or, if the page leaves it out on purpose, add the passage to source.acknowledged with why",
                e.period
            )),
        );
    }
}

fn check_details(
    p: &Procedure,
    source: &SourceText,
    acknowledged: &[Range<usize>],
    lines: &Lines,
    out: &mut Vec<Diagnostic>,
    f: &mut Findings,
) {
    let in_source = details(source.body());
    let in_file: Vec<(String, Detail)> = strings(p)
        .into_iter()
        .filter(|(path, _)| !path.starts_with("source"))
        .flat_map(|(path, text)| details(&text).into_iter().map(move |d| (path.clone(), d)))
        .collect();
    let file_keys: HashSet<(_, &str)> = in_file
        .iter()
        .map(|(_, d)| (d.kind, d.key.as_str()))
        .collect();
    for d in &in_source {
        let start = source.body_start + d.start;
        if file_keys.contains(&(d.kind, d.key.as_str())) || is_acknowledged(acknowledged, start) {
            continue;
        }
        out.push(
            Diagnostic::warning(
                &source.file,
                format!("the published text's {} '{}' is in no contact, resource or text", d.kind.name(), d.written),
            )
            .at(lines.position(start), &source.text)
            .with_hint("add it where it belongs (a contact, a resource, a step), or, if the page leaves it out on purpose, add the passage to source.acknowledged with why"),
        );
    }
    let source_keys: HashSet<(_, &str)> =
        in_source.iter().map(|d| (d.kind, d.key.as_str())).collect();
    for (path, d) in &in_file {
        if !source_keys.contains(&(d.kind, d.key.as_str())) {
            f.warning(
                YamlPath::parse(path),
                At::Value,
                format!("the {} '{}' is not in the published text {}", d.kind.name(), d.written, source.file.display()),
                "check it against the published text: the page says only what the published procedure says".to_string(),
            );
        }
    }
}

/// Every text of a procedure, with its path.
fn strings(p: &Procedure) -> Vec<(String, String)> {
    fn walk(value: &Value, path: String, out: &mut Vec<(String, String)>) {
        match value {
            Value::String(s) => out.push((path, s.clone())),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, format!("{path}[{i}]"), out);
                }
            }
            Value::Object(fields) => {
                for (key, field) in fields {
                    let child = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    walk(field, child, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(value) = serde_json::to_value(p) {
        walk(&value, String::new(), &mut out);
    }
    out
}

fn is_acknowledged(acknowledged: &[Range<usize>], at: usize) -> bool {
    acknowledged.iter().any(|r| r.contains(&at))
}

/// `text` with each run of whitespace one space.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The line starts of a text, to place offsets in it without counting from the start each time.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn of(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        Lines { text, starts }
    }

    fn position(&self, offset: usize) -> Position {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        Position { line, column }
    }
}

#[cfg(test)]
mod tests;
