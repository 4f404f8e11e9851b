//! Diagnostics: the messages a coordinator reads when a file is wrong.
//!
//! Every problem found while loading and checking a site becomes a
//! [`Diagnostic`] naming the file, line and column, with the offending line
//! quoted, a caret under the spot, and a hint. They are collected, never
//! thrown, so one run reports every problem in every file.

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Fails the check and the build.
    Error,
    /// Worth fixing, but the site still builds.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A place in a file: 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Position {
    /// The line, counting from 1.
    pub line: usize,
    /// The column, counting from 1, in characters.
    pub column: usize,
}

/// One problem, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, as the user should see it (relative to the site root where possible).
    pub file: PathBuf,
    /// Where in the file, when the problem has a place.
    pub position: Option<Position>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// The line of the file the problem is on, quoted under the message.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// An error in `file`.
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, message)
    }

    /// A warning in `file`.
    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file, message)
    }

    fn new(severity: Severity, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            file: file.into(),
            position: None,
            message: message.into(),
            hint: None,
            source_line: None,
        }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Places the diagnostic at `position` in `text`, quoting that line.
    /// A place past the last line (the end of the file) moves to the end of the last line.
    pub fn at(mut self, mut position: Position, text: &str) -> Self {
        let lines = text.lines().count();
        if position.line > lines
            && let Some(last) = text.lines().last()
        {
            position = Position {
                line: lines,
                column: last.chars().count() + 1,
            };
        }
        self.source_line = text
            .lines()
            .nth(position.line.saturating_sub(1))
            .map(|l| l.trim_end_matches('\r').to_string());
        self.position = Some(position);
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The compiler-style text: `file:line:col: error: message`, the quoted line, a caret, the hint.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let file = display_path(&self.file);
        match self.position {
            Some(p) => {
                let _ = write!(out, "{file}:{}:{}: ", p.line, p.column);
            }
            None => {
                let _ = write!(out, "{file}: ");
            }
        }
        let _ = writeln!(out, "{}: {}", self.severity, self.message);
        if let (Some(p), Some(line)) = (self.position, &self.source_line) {
            let number = p.line.to_string();
            let gutter = " ".repeat(number.len());
            let (shown, caret) = excerpt(&line.replace('\t', " "), p.column);
            let _ = writeln!(out, "{gutter} |");
            let _ = writeln!(out, "{number} | {shown}");
            let _ = writeln!(out, "{gutter} | {}^", " ".repeat(caret.saturating_sub(1)));
        }
        if let Some(hint) = &self.hint {
            let _ = writeln!(out, "  = hint: {hint}");
        }
        out
    }

    /// The key that orders diagnostics: by file, then line, then column.
    fn sort_key(&self) -> (&Path, Position, Severity) {
        (&self.file, self.position.unwrap_or_default(), self.severity)
    }
}

/// Lines longer than this are quoted in part, around the column.
const QUOTE_WIDTH: usize = 100;

/// The part of `line` to quote and the caret's column in it: the whole line when it is
/// short, else a window around `column` marked with '…' where it is cut.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= QUOTE_WIDTH {
        return (line.to_string(), column);
    }
    let target = column.saturating_sub(1).min(chars.len());
    let start = target.saturating_sub(QUOTE_WIDTH / 2);
    let end = (start + QUOTE_WIDTH).min(chars.len());
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    (shown, target - start + 1 + usize::from(start > 0))
}

/// Shows a path with forward slashes on every platform, so messages read the same everywhere.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Sorts diagnostics by file and line and drops exact repeats.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}

/// Counts errors and warnings.
pub fn count(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    (errors, diagnostics.len() - errors)
}

/// "1 error", "2 warnings": a count with the right plural.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The position of byte `offset` in `text`.
pub fn position_of_offset(text: &str, offset: usize) -> Position {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    Position { line, column }
}

/// The known word closest to `word`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(word, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// Prints diagnostics to standard error, each followed by a blank line.
pub fn print_diagnostics(list: &[Diagnostic]) {
    use std::io::Write as _;
    let mut err = std::io::stderr().lock();
    for d in list {
        let _ = writeln!(err, "{}", d.render());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_a_compiler() {
        let text = "title: x\nnodes:\n  - id: a\n    dedline: 3\n";
        let d = Diagnostic::error("procedures/x.yaml", "unknown field 'dedline'")
            .at(Position { line: 4, column: 5 }, text)
            .with_hint("did you mean 'deadlines'?");
        assert_eq!(
            d.render(),
            "procedures/x.yaml:4:5: error: unknown field 'dedline'\n  |\n4 |     dedline: 3\n  |     ^\n  = hint: did you mean 'deadlines'?\n"
        );
    }

    #[test]
    fn finds_positions_of_offsets() {
        let text = "ab\ncdé\nf";
        assert_eq!(position_of_offset(text, 0), Position { line: 1, column: 1 });
        assert_eq!(position_of_offset(text, 3), Position { line: 2, column: 1 });
        assert_eq!(position_of_offset(text, 7), Position { line: 2, column: 4 });
        assert_eq!(
            position_of_offset(text, 99),
            Position { line: 3, column: 2 }
        );
    }

    #[test]
    fn suggests_near_misses_only() {
        let known = ["deadlines", "documents", "next"];
        assert_eq!(did_you_mean("dedlines", known), Some("deadlines"));
        assert_eq!(did_you_mean("zzz", known), None);
    }

    #[test]
    fn sorts_by_file_then_line() {
        let text = "a\nb\nc\n";
        let mut list = vec![
            Diagnostic::error("b.yaml", "x"),
            Diagnostic::error("a.yaml", "y").at(Position { line: 3, column: 1 }, text),
            Diagnostic::error("a.yaml", "z").at(Position { line: 1, column: 1 }, text),
        ];
        sort(&mut list);
        let order: Vec<&str> = list.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(order, ["z", "y", "x"]);
    }
}
