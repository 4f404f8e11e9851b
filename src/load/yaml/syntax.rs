//! Explains the YAML parser's syntax errors in plain words, placed where the mistake most
//! likely is. The parser says what it met and where; where the mistake started earlier
//! (a quote or bracket opened lines before), the text before the error is read again with
//! the same parser, whose spans say where that quote or bracket opened.

use serde_saphyr::granit_parser::{
    ErrorKind, Event, Parser, ScalarStyle, ScanError, StructureStyle,
};

use super::explain::{Explained, explained};
use super::limits::MAX_DEPTH;
use super::locate::position;
use crate::diagnostics::Position;

/// The hint for lines that do not line up.
pub const INDENT_HINT: &str = "fields of the same item must start in the same column, and list items ('- ') in the same column as each other; indent with spaces only";

/// The message and hint for nesting past the limit.
pub fn too_deep() -> Explained {
    explained(
        format!("the YAML is nested deeper than {MAX_DEPTH} levels"),
        "check for runaway brackets or indentation; a procedure nests a few levels at most",
    )
}

/// Explains a syntax error found at `error`'s marker in `text`.
pub fn explain(error: &ScanError, text: &str) -> Explained {
    let at = position(error.marker());
    let offset = offset_of(text, at);
    match error.kind() {
        ErrorKind::RecursionLimitExceeded => too_deep().at(Some(at)),
        ErrorKind::TabInIndentation
        | ErrorKind::TabInBlockIndentation
        | ErrorKind::TabInPlainScalar
        | ErrorKind::TabNotAllowed
        | ErrorKind::TabAtBlockScalarStart => explained(
            "a tab character is used for indentation",
            "YAML allows only spaces for indentation: replace the tab with spaces",
        )
        .at(Some(next_char(text, offset, '\t').unwrap_or(at))),
        ErrorKind::UnexpectedCharacter { character } => unexpected_character(*character, text, at),
        ErrorKind::UnclosedQuotedScalar => {
            let quote = text[offset..].chars().next().filter(|c| matches!(c, '"' | '\''));
            explained(
                "this quoted text is never closed",
                format!("add the closing {} at the end of the text", quote.unwrap_or('"')),
            )
            .at(Some(at))
        }
        ErrorKind::InvalidTrailingDoubleQuotedScalar | ErrorKind::InvalidTrailingSingleQuotedScalar => {
            after_quote(text, offset, at)
        }
        ErrorKind::UnknownQuotedScalarEscape
        | ErrorKind::InvalidQuotedScalarHexEscape
        | ErrorKind::InvalidLowSurrogateHexEscape
        | ErrorKind::InvalidLowSurrogate
        | ErrorKind::MissingLowSurrogate
        | ErrorKind::UnpairedLowSurrogate
        | ErrorKind::InvalidUnicodeEscape => explained(
            "a backslash in double quotes starts an escape sequence, and this one is not valid",
            "write \\\\ for a backslash, or use single quotes: 'C:\\Users'",
        )
        .at(Some(bad_escape(text, offset).unwrap_or(at))),
        ErrorKind::MappingValueNotAllowed | ErrorKind::InvalidMappingValueWhitespace => {
            colon_in_text_or_indent(text, offset, at)
        }
        ErrorKind::SimpleKeyExpected | ErrorKind::InvalidSimpleKey => explained(
            "this line is not a 'name: value' field",
            "add the ':' after the field's name, or indent the line further if it continues the text above",
        )
        .at(Some(line_start(text, at))),
        ErrorKind::ExpectedBlockMappingKey => missing_key(text, offset, at),
        ErrorKind::ExpectedBlockSequenceEntry | ErrorKind::InvalidIndentation => {
            explained("this line is not indented like the lines above", INDENT_HINT)
                .at(Some(line_start(text, at)))
        }
        ErrorKind::BlockSequenceEntryNotAllowed => explained(
            "a list item ('- ') cannot start here",
            "start the list on the next line, indented under its field; or put the text in quotes",
        )
        .at(Some(at)),
        ErrorKind::MisplacedFlowCollectionEnd | ErrorKind::MismatchedFlowCollectionEnd { .. } => {
            closes_nothing(text, offset, at)
        }
        ErrorKind::UnknownAnchor => explained(
            "this alias (*name) refers to an anchor (&name) that is not defined",
            "to start text with '*', put the whole value in quotes",
        )
        .at(Some(at)),
        ErrorKind::InvalidColonPlacement if line_before(text, offset).trim().is_empty() => {
            explained(
                "this ':' starts a line, apart from the key before it",
                "a key and its ':' must be on the same line: join the lines, or put the text in quotes",
            )
            .at(Some(at))
        }
        ErrorKind::UnclosedFlowCollection { .. }
        | ErrorKind::UnexpectedEofFlowSequence
        | ErrorKind::UnexpectedEofFlowMapping
        | ErrorKind::UnexpectedEofImplicitFlowMapping => never_closed(text, offset, at),
        ErrorKind::ExpectedFlowSequenceSeparator
        | ErrorKind::ExpectedFlowMappingSeparator
        | ErrorKind::InvalidColonPlacement
        | ErrorKind::FlowMappingValueAdjacentCollection
        | ErrorKind::BlockEntryInFlowCollection => in_brackets(text, offset, at),
        kind => explained(
            format!("YAML syntax error: {kind}"),
            "check the indentation and that every quote or bracket is closed",
        )
        .at(Some(at)),
    }
}

/// A character YAML does not allow where it stands: a control character anywhere, or a
/// reserved indicator (`@`, `` ` ``) at the start of a value.
fn unexpected_character(character: char, text: &str, at: Position) -> Explained {
    let found = next_char(text, offset_of(text, at), character).unwrap_or(at);
    if character.is_control() {
        return explained(
            format!(
                "the control character U+{:04X} cannot be used in YAML",
                u32::from(character)
            ),
            "delete it (it is invisible in most editors; it often comes with text pasted from another program)",
        )
        .at(Some(found));
    }
    explained(
        format!("a value cannot start with '{character}'"),
        format!("put the whole value in quotes, e.g. \"{character}...\""),
    )
    .at(Some(found))
}

/// Text after a closing quote: either it really follows the quote, or the quote that
/// "closed" was meant to open other text, because an earlier quote was never closed.
fn after_quote(text: &str, offset: usize, at: Position) -> Explained {
    let before = Before::read(&text[..offset]);
    if let Some((open, _)) = before.last_quoted.filter(|(open, _)| open.line < at.line) {
        return explained(
            "this quoted text is not closed on its line",
            format!(
                "add the closing quote at the end of the text; without it the text runs on to the quote on line {}",
                at.line
            ),
        )
        .at(Some(open));
    }
    explained(
        "there is more text after the closing quote",
        "put the whole text inside the quotes, or remove the quotes",
    )
    .at(Some(at))
}

/// A `: ` where a value is being read: inside unquoted text on the same line, or at the
/// start of a line indented as if it continued the value above.
fn colon_in_text_or_indent(text: &str, offset: usize, at: Position) -> Explained {
    if line_before(text, offset).contains(": ") {
        return explained(
            "this text contains ': ', so YAML reads it as another field",
            "put text that contains ': ' in quotes, e.g. title: \"Stage 1: Talk\"",
        )
        .at(Some(at));
    }
    explained("this line is indented too far", INDENT_HINT).at(Some(line_start(text, at)))
}

/// Where a field's name was expected but something else came.
fn missing_key(text: &str, offset: usize, at: Position) -> Explained {
    let before = line_before(text, offset);
    if matches!(before.trim_end().chars().last(), Some('"' | '\'')) {
        return after_quote(text, offset, at);
    }
    if matches!(text[offset..].chars().next(), Some(']' | '}')) {
        return closes_nothing(text, offset, at);
    }
    explained(
        "this line is not indented like the lines above",
        INDENT_HINT,
    )
    .at(Some(at))
}

fn closes_nothing(text: &str, offset: usize, at: Position) -> Explained {
    let bracket = text[offset..].chars().next().unwrap_or(']');
    explained(
        format!("this '{bracket}' closes nothing"),
        "remove it, or add the bracket it was meant to close",
    )
    .at(Some(at))
}

/// A `[` or `{` still open at the end of the file: the parser may mark the bracket itself,
/// or the end.
fn never_closed(text: &str, offset: usize, at: Position) -> Explained {
    let (bracket, opened) = match Before::read(&text[..offset]).open_flow {
        Some((list, opened)) => (if list { '[' } else { '{' }, opened),
        None => (text[offset..].chars().next().unwrap_or('['), at),
    };
    let close = if bracket == '{' { '}' } else { ']' };
    explained(
        format!("this '{bracket}' is not closed"),
        format!("add '{close}' after the last item; separate items with ', '"),
    )
    .at(Some(opened))
}

/// A fault inside `[...]` or `{...}`: if the bracket opened on an earlier line, it was most
/// likely never closed; on the same line, an item is malformed.
fn in_brackets(text: &str, offset: usize, at: Position) -> Explained {
    let before = Before::read(&text[..offset]);
    let (open, close, opened) = match before.open_flow {
        Some((true, opened)) => ('[', ']', Some(opened)),
        Some((false, opened)) => ('{', '}', Some(opened)),
        None => ('[', ']', None),
    };
    match opened {
        Some(opened) if opened.line < at.line => explained(
            format!("this '{open}' is not closed"),
            format!("add '{close}' after the last item; separate items with ', '"),
        )
        .at(Some(opened)),
        _ => explained(
            format!("expected ',' or '{close}' here"),
            format!(
                "separate items with ', ' and end with '{close}'; put an item that contains ':' or ',' in quotes"
            ),
        )
        .at(Some(at)),
    }
}

/// What the parser read in the text before an error.
#[derive(Default)]
struct Before {
    /// The innermost `[...]` or `{...}` still open: whether it is a list, and where it opened.
    open_flow: Option<(bool, Position)>,
    /// The last quoted text read: where it opened and where it closed.
    last_quoted: Option<(Position, Position)>,
}

impl Before {
    /// Reads `text` (the part of a file before an error) with the reader's own parser.
    fn read(text: &str) -> Self {
        let mut before = Before::default();
        let mut flows: Vec<Option<(bool, Position)>> = Vec::new();
        let mut parser = Parser::new_from_str_with_options(text, super::limits::parser());
        while let Some(Ok((event, span))) = parser.next_event() {
            match event {
                Event::SequenceStart(style, ..) => {
                    flows.push(
                        (style == StructureStyle::Flow).then(|| (true, position(&span.start))),
                    );
                }
                Event::MappingStart(style, ..) => {
                    flows.push(
                        (style == StructureStyle::Flow).then(|| (false, position(&span.start))),
                    );
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    flows.pop();
                }
                Event::Scalar(_, ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted, ..) => {
                    before.last_quoted = Some((position(&span.start), position(&span.end)));
                }
                _ => {}
            }
        }
        before.open_flow = flows.iter().rev().find_map(|flow| *flow);
        before
    }
}

/// The byte offset of `at` in `text` (columns count characters); the end of the text if
/// `at` is past it.
pub fn offset_of(text: &str, at: Position) -> usize {
    let line_start = if at.line <= 1 {
        Some(0)
    } else {
        memchr::memchr_iter(b'\n', text.as_bytes())
            .nth(at.line - 2)
            .map(|newline| newline + 1)
    };
    let Some(line_start) = line_start else {
        return text.len();
    };
    text[line_start..]
        .char_indices()
        .nth(at.column.saturating_sub(1))
        .map_or(text.len(), |(within, _)| line_start + within)
}

/// The position of byte `offset` in `text`.
fn position_of(text: &str, offset: usize) -> Position {
    crate::diagnostics::position_of_offset(text, offset)
}

/// Where `wanted` next appears at or after `offset`.
fn next_char(text: &str, offset: usize, wanted: char) -> Option<Position> {
    text.get(offset..)?
        .find(wanted)
        .map(|within| position_of(text, offset + within))
}

/// The text of the line holding `offset`, up to it.
fn line_before(text: &str, offset: usize) -> &str {
    let start = text[..offset].rfind('\n').map_or(0, |newline| newline + 1);
    &text[start..offset]
}

/// Where the text of the line at `at` starts, after its indentation.
fn line_start(text: &str, at: Position) -> Position {
    let offset = offset_of(
        text,
        Position {
            line: at.line,
            column: 1,
        },
    );
    let indent = text[offset..].chars().take_while(|c| *c == ' ').count();
    Position {
        line: at.line,
        column: indent + 1,
    }
}

/// The first escape in the double-quoted text opening at `offset` that YAML does not
/// define: `\` before a letter it gives no meaning, or `\x`, `\u`, `\U` without their
/// two, four or eight hexadecimal digits.
fn bad_escape(text: &str, offset: usize) -> Option<Position> {
    let quoted = text.get(offset..)?.strip_prefix('"')?;
    let mut chars = quoted.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => return None,
            '\\' => {
                let bad = Some(position_of(text, offset + 1 + at));
                let Some((_, escape)) = chars.next() else {
                    return bad;
                };
                let digits = match escape {
                    'x' => 2,
                    'u' => 4,
                    'U' => 8,
                    '0' | 'a' | 'b' | 't' | '\t' | 'n' | 'v' | 'f' | 'r' | 'e' | ' ' | '"'
                    | '/' | '\\' | 'N' | '_' | 'L' | 'P' | '\n' | '\r' => 0,
                    _ => return bad,
                };
                for _ in 0..digits {
                    if !chars.next().is_some_and(|(_, h)| h.is_ascii_hexdigit()) {
                        return bad;
                    }
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_offsets_of_positions() {
        let text = "a: é\nbé: c\n";
        assert_eq!(offset_of(text, Position { line: 1, column: 1 }), 0);
        assert_eq!(offset_of(text, Position { line: 2, column: 3 }), 9);
        assert_eq!(offset_of(text, Position { line: 9, column: 1 }), text.len());
    }

    #[test]
    fn finds_the_bad_escape() {
        let text = "a: \"ok \\n \\x4 C:\\Users\"";
        assert_eq!(
            bad_escape(text, 3),
            Some(Position {
                line: 1,
                column: 11
            })
        );
        let text = "a: \"fine \\u00e9 \\t C:\\Users\"";
        assert_eq!(
            bad_escape(text, 3),
            Some(Position {
                line: 1,
                column: 22
            })
        );
        assert_eq!(bad_escape("a: \"all \\\\ fine\"", 3), None);
    }

    #[test]
    fn finds_the_quote_that_ran_on() {
        let before = Before::read("a: \"open\nb: x\nc: \"");
        assert_eq!(
            before.last_quoted.map(|(open, _)| open),
            Some(Position { line: 1, column: 4 })
        );
    }

    #[test]
    fn finds_the_open_bracket() {
        let before = Before::read("a: [x, y\nb");
        assert_eq!(
            before.open_flow,
            Some((true, Position { line: 1, column: 4 }))
        );
    }
}
