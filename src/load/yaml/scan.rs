//! A line-by-line scanner for the block YAML that procedure files are written in, giving
//! the events `yaml_rust2`'s parser would give for the same text in a fraction of the time.
//!
//! `yaml_rust2` reads a file one character at a time through a general tokenizer. Nearly
//! every file a site holds uses only a few shapes: mappings and sequences by indentation;
//! one-line scalars, plain or quoted without escapes; literal blocks (`|`, `|-`, `|+`);
//! one-line `[a, b]` lists and `{a: b}` mappings; and comments. This scanner reads those a
//! line at a time, taking scalars as slices of the text, and returns `None` at anything
//! else (folded blocks, escapes, scalars over several lines, anchors, tags, mappings
//! nested in `{...}`, document markers, any doubt about indentation), so that
//! `yaml_rust2` reads the file instead.
//!
//! What it returns must be exactly `yaml_rust2`'s events: the tests compare the two over
//! the shapes below, the bundled files and a thousand damaged copies of the procedures.

use yaml_rust2::parser::Event;
use yaml_rust2::scanner::TScalarStyle;

/// An event and the byte offset in the text where the thing it stands for starts (for
/// the end of a `[...]` or `{...}`, where its closing bracket is).
pub type Located = (Event, usize);

/// The events of `text`, or `None` if it holds anything this scanner does not read.
pub fn scan(text: &str) -> Option<Vec<Located>> {
    let lines = split_lines(text)?;
    let mut scanner = Scanner {
        text,
        lines,
        at: 0,
        depth: 0,
        events: Vec::with_capacity(text.len() / 16),
    };
    scanner.stream()?;
    Some(scanner.events)
}

/// One line of the text, without its line break.
struct Line {
    /// Where it starts in the text.
    start: usize,
    /// Where it ends, before `\r\n` or `\n`.
    end: usize,
    /// How many spaces it starts with.
    indent: usize,
    /// Whether it holds nothing but spaces, or nothing but spaces and a comment.
    empty: bool,
}

fn split_lines(text: &str) -> Option<Vec<Line>> {
    let bytes = text.as_bytes();
    // At the end of a text without a final line break, chomping a literal block works
    // differently; such files (and byte order marks) are left to the full tokenizer.
    if !text.ends_with('\n') || text.starts_with('\u{feff}') {
        return None;
    }
    // Tabs count as spaces in some places and not others; such files are left to
    // the full tokenizer.
    if memchr::memchr(b'\t', bytes).is_some() {
        return None;
    }
    // A carriage return only ever ends a line, before its line feed.
    if memchr::memchr_iter(b'\r', bytes).any(|at| bytes.get(at + 1) != Some(&b'\n')) {
        return None;
    }
    let mut lines = Vec::with_capacity(text.len() / 32);
    let mut start = 0;
    for newline in memchr::memchr_iter(b'\n', bytes) {
        let mut end = newline;
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        let line = &bytes[start..end];
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let body = &line[indent..];
        // Directives and document markers belong to the full tokenizer.
        if indent == 0
            && (body.starts_with(b"---") || body.starts_with(b"...") || body.first() == Some(&b'%'))
        {
            return None;
        }
        lines.push(Line {
            start,
            end,
            indent,
            empty: body.is_empty() || body[0] == b'#',
        });
        start = newline + 1;
    }
    Some(lines)
}

struct Scanner<'a> {
    text: &'a str,
    lines: Vec<Line>,
    /// The line being read.
    at: usize,
    /// How many mappings and sequences the line being read is in: the scanner recurses
    /// into each, so a deeply indented file is left to the full tokenizer, which does not.
    depth: usize,
    events: Vec<Located>,
}

/// The characters that cannot start a plain scalar or key (YAML's indicators).
fn is_indicator(byte: u8) -> bool {
    matches!(
        byte,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    )
}

/// Whether `rest` is a dash starting a sequence item.
fn is_dash(rest: &str) -> bool {
    rest == "-" || rest.starts_with("- ")
}

/// Whether what follows a value on its line is nothing, or spaces and a comment.
fn is_trailing(rest: &str) -> bool {
    let trimmed = rest.trim_start_matches(' ');
    trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < rest.len())
}

/// Where a comment starts in `text` (a `#` after a space), in bytes; a `#` that starts
/// the text is not counted, since nothing here is searched from a line's first character.
fn comment_start(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'#', bytes)
        .find(|&at| at > 0 && bytes[at - 1] == b' ')
        .map(|at| at - 1)
}

/// The length of a plain key at the start of `rest` (`title` in `title: Stage 1`), if
/// `rest` starts with one followed by `:` and a space or the end of the line.
fn key_length(rest: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    let first = *bytes.first()?;
    if is_indicator(first) || first == b' ' {
        return None;
    }
    // Keys are short: one pass over their bytes costs less than setting up searches.
    for (at, &byte) in bytes.iter().enumerate().skip(1) {
        match byte {
            b':' if matches!(bytes.get(at + 1), None | Some(b' ')) => {
                // A key with spaces before its colon, or longer than YAML allows a key
                // on one line, is left to the full tokenizer.
                return (bytes[at - 1] != b' ' && at <= 1024).then_some(at);
            }
            // A comment before any colon: not a key.
            b'#' if bytes[at - 1] == b' ' => return None,
            _ => {}
        }
    }
    None
}

impl<'a> Scanner<'a> {
    fn emit(&mut self, event: Event, at: usize) {
        self.events.push((event, at));
    }

    fn scalar(&mut self, text: String, style: TScalarStyle, at: usize) {
        self.emit(Event::Scalar(text, style, 0, None), at);
    }

    /// The text of the current line from byte column `column`.
    fn rest(&self, column: usize) -> &'a str {
        let line = &self.lines[self.at];
        let text: &'a str = self.text;
        &text[line.start + column..line.end]
    }

    /// Moves to the next line that holds a node, past blank and comment lines.
    fn skip_empty(&mut self) {
        while self.lines.get(self.at).is_some_and(|l| l.empty) {
            self.at += 1;
        }
    }

    /// The indentation of the current line, or `None` at the end of the text.
    fn indent(&self) -> Option<usize> {
        self.lines.get(self.at).map(|l| l.indent)
    }

    fn stream(&mut self) -> Option<()> {
        self.emit(Event::StreamStart, 0);
        self.emit(Event::DocumentStart, 0);
        self.skip_empty();
        let indent = self.indent()?;
        self.block(indent)?;
        // Anything left over (a less indented line after an indented document) is an error.
        if self.at < self.lines.len() {
            return None;
        }
        self.emit(Event::DocumentEnd, self.text.len());
        self.emit(Event::StreamEnd, self.text.len());
        Some(())
    }

    /// Reads the mapping or sequence starting on the current line at `indent`.
    fn block(&mut self, indent: usize) -> Option<()> {
        let rest = self.rest(indent);
        if is_dash(rest) {
            self.sequence(indent)
        } else if let Some(length) = key_length(rest) {
            self.mapping(indent, length)
        } else {
            None
        }
    }

    /// Reads a block sequence whose dashes stand at `indent`, the first on the current line.
    fn sequence(&mut self, indent: usize) -> Option<()> {
        self.enter()?;
        let start = self.lines[self.at].start + indent;
        self.emit(Event::SequenceStart(0, None), start);
        loop {
            let rest = self.rest(indent + 1);
            let content = rest.trim_start_matches(' ');
            let column = indent + 1 + (rest.len() - content.len());
            if content.is_empty() || content.starts_with('#') {
                self.value_below(indent, false)?;
            } else if is_dash(content) {
                // `- - a`: a sequence within a sequence on one line.
                return None;
            } else if let Some(length) = key_length(content) {
                self.mapping(column, length)?;
            } else {
                self.inline(column, indent)?;
            }
            match self.indent() {
                Some(next) if next == indent && is_dash(self.rest(indent)) => continue,
                Some(next) if next > indent => return None,
                _ => break,
            }
        }
        self.emit(Event::SequenceEnd, self.offset_here());
        self.depth -= 1;
        Some(())
    }

    /// Reads a block mapping whose keys stand at `indent`, the first (`length` bytes
    /// long) on the current line, after a dash for a mapping within a sequence item.
    fn mapping(&mut self, indent: usize, mut length: usize) -> Option<()> {
        self.enter()?;
        let start = self.lines[self.at].start + indent;
        self.emit(Event::MappingStart(0, None), start);
        loop {
            let rest = self.rest(indent);
            let key = rest[..length].to_string();
            let at = self.lines[self.at].start + indent;
            self.scalar(key, TScalarStyle::Plain, at);
            let after = &rest[length + 1..];
            let content = after.trim_start_matches(' ');
            if content.is_empty() || content.starts_with('#') {
                self.value_below(indent, true)?;
            } else {
                let column = indent + length + 1 + (after.len() - content.len());
                self.inline(column, indent)?;
            }
            match self.indent() {
                Some(next) if next == indent => length = key_length(self.rest(indent))?,
                Some(next) if next > indent => return None,
                _ => break,
            }
        }
        self.emit(Event::MappingEnd, self.offset_here());
        self.depth -= 1;
        Some(())
    }

    /// Goes one mapping or sequence deeper, if the reader would.
    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= super::MAX_DEPTH).then_some(())
    }

    /// Where the current line starts, or the end of the text.
    fn offset_here(&self) -> usize {
        self.lines.get(self.at).map_or(self.text.len(), |l| l.start)
    }

    /// Reads a value that starts on the lines below its key or dash at `indent`: a nested
    /// block, or (under a key) a sequence at the key's own indentation, or nothing at all.
    fn value_below(&mut self, indent: usize, under_key: bool) -> Option<()> {
        self.at += 1;
        self.skip_empty();
        match self.indent() {
            Some(next) if next > indent => self.block(next),
            Some(next) if under_key && next == indent && is_dash(self.rest(indent)) => {
                self.sequence(indent)
            }
            _ => {
                let at = self.offset_here();
                self.scalar(String::new(), TScalarStyle::Plain, at);
                Some(())
            }
        }
    }

    /// Reads a value written on the current line from byte column `column`, its key or
    /// dash at `indent`, and moves past it.
    fn inline(&mut self, column: usize, indent: usize) -> Option<()> {
        let at = self.lines[self.at].start + column;
        let rest = self.rest(column);
        let first = *rest.as_bytes().first()?;
        let after = match first {
            b'"' | b'\'' => {
                let (text, length) = quoted(rest)?;
                self.scalar(text, quote_style(first), at);
                &rest[length..]
            }
            b'[' | b'{' => {
                let length = self.flow(rest, at, 0)?;
                &rest[length..]
            }
            b'|' => return self.literal(&rest[1..], indent, at),
            _ if is_indicator(first) => return None,
            _ => {
                let end = comment_start(rest).unwrap_or(rest.len());
                let text = rest[..end].trim_end_matches(' ');
                // `a: b: c` is an error; `a: b:` would be read differently.
                let bytes = text.as_bytes();
                let colon = memchr::memchr_iter(b':', bytes)
                    .any(|at| matches!(bytes.get(at + 1), None | Some(b' ')));
                if colon {
                    return None;
                }
                self.scalar(text.to_string(), TScalarStyle::Plain, at);
                &rest[end..]
            }
        };
        if !is_trailing(after) {
            return None;
        }
        self.at += 1;
        self.skip_empty();
        // A more indented line would continue the scalar over several lines.
        match self.indent() {
            Some(next) if next > indent => None,
            _ => Some(()),
        }
    }

    /// Reads a one-line flow collection, a `[a, 'b', "c"]` list or a `{key: value}`
    /// mapping whose values may be lists, starting at byte `i` of `rest`, which starts at
    /// `at` in the text; gives the byte after its closing bracket.
    fn flow(&mut self, rest: &'a str, at: usize, mut i: usize) -> Option<usize> {
        let bytes = rest.as_bytes();
        let mapping = bytes[i] == b'{';
        let (start, end, close) = if mapping {
            (Event::MappingStart(0, None), Event::MappingEnd, b'}')
        } else {
            (Event::SequenceStart(0, None), Event::SequenceEnd, b']')
        };
        self.emit(start, at + i);
        i = skip_spaces(bytes, i + 1);
        if bytes.get(i) != Some(&close) {
            loop {
                if mapping {
                    i = self.flow_scalar(rest, at, i, true)?;
                    if bytes.get(i + 1) != Some(&b' ') {
                        return None;
                    }
                    i = skip_spaces(bytes, i + 1);
                }
                i = if mapping && bytes.get(i) == Some(&b'[') {
                    self.flow(rest, at, i)?
                } else {
                    self.flow_scalar(rest, at, i, false)?
                };
                i = skip_spaces(bytes, i);
                match *bytes.get(i)? {
                    b',' => {
                        i = skip_spaces(bytes, i + 1);
                        // A trailing comma is left to the full tokenizer.
                        if bytes.get(i) == Some(&close) {
                            return None;
                        }
                    }
                    byte if byte == close => break,
                    _ => return None,
                }
            }
        }
        self.emit(end, at + i);
        Some(i + 1)
    }

    /// Reads a quoted or plain scalar within a flow collection, at byte `i` of `rest`; a
    /// key (`key` is true) must be followed straight away by a `:`, where this stops.
    fn flow_scalar(&mut self, rest: &'a str, at: usize, i: usize, key: bool) -> Option<usize> {
        let bytes = rest.as_bytes();
        let first = *bytes.get(i)?;
        let end = if first == b'"' || first == b'\'' {
            let (text, length) = quoted(&rest[i..])?;
            self.scalar(text, quote_style(first), at + i);
            i + length
        } else {
            if is_indicator(first) {
                return None;
            }
            let length = rest[i..].find([',', '[', ']', '{', '}', ':', '#'])?;
            let text = &rest[i..i + length];
            let plain = text.trim_end_matches(' ');
            if plain.is_empty() || (key && plain.len() < text.len()) {
                return None;
            }
            self.scalar(plain.to_string(), TScalarStyle::Plain, at + i);
            i + length
        };
        let at_colon = bytes.get(end) == Some(&b':');
        if key == at_colon { Some(end) } else { None }
    }

    /// Reads a literal block (`|`, `|-` or `|+`, its header's rest being `header`) whose
    /// key or dash is at `indent`, and moves past it.
    fn literal(&mut self, header: &str, indent: usize, at: usize) -> Option<()> {
        let (keep, strip, after) = match header.as_bytes().first() {
            Some(b'+') => (true, false, &header[1..]),
            Some(b'-') => (false, true, &header[1..]),
            _ => (false, false, header),
        };
        if !is_trailing(after) {
            return None;
        }
        // The block's indentation is that of its first line with anything but spaces.
        let first = self.at + 1;
        let blank = |line: &Line| line.indent == line.end - line.start;
        let content = (first..self.lines.len()).find(|&i| !blank(&self.lines[i]))?;
        let width = self.lines[content].indent;
        if width <= indent {
            return None;
        }
        let mut text = String::new();
        let mut pending = 0;
        let mut i = first;
        while let Some(line) = self.lines.get(i) {
            if blank(line) {
                // A blank line with more spaces than the block's indentation holds them.
                if line.indent > width {
                    return None;
                }
                pending += 1;
            } else if line.indent >= width {
                for _ in 0..pending {
                    text.push('\n');
                }
                pending = 0;
                text.push_str(&self.text[line.start + width..line.end]);
                text.push('\n');
            } else {
                break;
            }
            i += 1;
        }
        if strip {
            text.pop();
        } else if keep {
            for _ in 0..pending {
                text.push('\n');
            }
        }
        self.scalar(text, TScalarStyle::Literal, at);
        self.at = i;
        self.skip_empty();
        match self.indent() {
            Some(next) if next > indent => None,
            _ => Some(()),
        }
    }
}

fn quote_style(quote: u8) -> TScalarStyle {
    if quote == b'"' {
        TScalarStyle::DoubleQuoted
    } else {
        TScalarStyle::SingleQuoted
    }
}

fn skip_spaces(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i) == Some(&b' ') {
        i += 1;
    }
    i
}

/// Reads a quoted scalar closed on the same line at the start of `rest`, giving its
/// text and its length with the quotes; `None` for an escape or a missing close.
fn quoted(rest: &str) -> Option<(String, usize)> {
    let quote = rest.as_bytes()[0];
    let bytes = rest.as_bytes();
    if quote == b'"' {
        let close = 1 + memchr::memchr2(b'"', b'\\', &bytes[1..])?;
        if bytes[close] == b'\\' {
            return None;
        }
        return Some((rest[1..close].to_string(), close + 1));
    }
    let mut text = String::new();
    let mut from = 1;
    loop {
        let close = from + memchr::memchr(b'\'', &bytes[from..])?;
        text.push_str(&rest[from..close]);
        if bytes.get(close + 1) == Some(&b'\'') {
            text.push('\'');
            from = close + 2;
        } else {
            return Some((text, close + 1));
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use yaml_rust2::parser::Parser;

    /// `yaml_rust2`'s events for `text`, or `None` if it finds an error.
    pub fn parsed(text: &str) -> Option<Vec<Event>> {
        let mut parser = Parser::new_from_str(text);
        let mut events = Vec::new();
        loop {
            let (event, _) = parser.next_token().ok()?;
            let end = event == Event::StreamEnd;
            events.push(event);
            if end {
                return Some(events);
            }
        }
    }

    /// Checks that whatever the scanner reads, it reads to `yaml_rust2`'s very events,
    /// each `[...]` and `{...}` located from its opening to its closing bracket (the
    /// reader checks what lies between), and each block at its first dash or key;
    /// returns whether it read `text`.
    pub fn agrees(text: &str) -> bool {
        let Some(scanned) = scan(text) else {
            return false;
        };
        let snippet = |at: usize| text[at..].chars().take(60).collect::<String>();
        let Some(expected) = parsed(text) else {
            let events: Vec<_> = scanned
                .iter()
                .map(|(event, at)| (event, snippet(*at)))
                .collect();
            panic!("yaml_rust2 refuses what the scanner reads as {events:?}");
        };
        for (i, ((event, at), wanted)) in scanned.iter().zip(&expected).enumerate() {
            assert_eq!(event, wanted, "event {i}, at {at}: {}", snippet(*at));
        }
        assert_eq!(scanned.len(), expected.len(), "{}", snippet(0));
        let mut open = Vec::new();
        for (i, (event, at)) in scanned.iter().enumerate() {
            let byte = text.as_bytes().get(*at).copied();
            match event {
                Event::SequenceStart(..) | Event::MappingStart(..) => {
                    open.push(byte);
                    match byte {
                        Some(b'[' | b'{') => {}
                        Some(b'-') => assert!(matches!(event, Event::SequenceStart(..))),
                        _ => assert_eq!(scanned[i + 1].1, *at, "{}", snippet(*at)),
                    }
                }
                Event::SequenceEnd | Event::MappingEnd => match open.pop().flatten() {
                    Some(b'[') => assert_eq!(byte, Some(b']'), "{}", snippet(*at)),
                    Some(b'{') => assert_eq!(byte, Some(b'}'), "{}", snippet(*at)),
                    _ => {}
                },
                _ => {}
            }
        }
        true
    }

    /// Texts the scanner must read, each to `yaml_rust2`'s events.
    const READ: &[&str] = &[
        "title: plain words\n",
        "title: plain words   \n",
        "title: words # and a comment\n",
        "title: words#not a comment\n",
        "# a comment first\n\ntitle: x\n\n# and last\n",
        "url: https://example.org/a:b?c=d#e\n",
        "title: 'single ''quoted'' text' # comment\n",
        "title: \"double quoted: with # inside\"\n",
        "title: café – “curly” ✓\n",
        "empty:\nnext: ~\nnull: null\nnumber: 12\nflag: true\n",
        "text: |\n  literal\n    indented\n\n  after a blank\n\n\nnext: x\n",
        "text: |-\n  stripped\n\n",
        "text: |+\n  kept\n\n\n# comment\nnext: x\n",
        "text: | # a comment on the header\n  # not a comment\n  text\n",
        "text: |\n\n  after a leading blank line\n",
        "text: |\n  a\n \n  b\n",
        "items:\n- first\n- second\nnext: x\n",
        "items:\n  - first\n  -   second\n",
        "items:\n  -\n  - 'quoted'\n  - \"double\"\n  - |\n    literal\n",
        "items: [a, 'b', \"c\", d e]\n",
        "items: []\n",
        "items: [ ]\n",
        "items: [ a , b ]   # comment\n",
        "map: {a: b, 'c': \"d\", e: [f, 'g'], h: []}\n",
        "- { name: \"Still: at stage 1\", answers: [not-yet, \"No\"], expect: stage-1 }\n",
        "map: { }\n",
        "nodes:\n  - id: one\n    kind: stage\n    steps:\n      - ref: '1.1'\n        text: |-\n          Write.\n  - id: two\n    answers:\n    - label: Yes\n      next: one\n",
        "nodes:\n- id: a\n  list:\n  - x\n  - y\n- id: b\n",
        "a:\n  b:\n    c: d\n  e: f\ng: h\n",
        "- a\n- b: c\n  d: e\n-\n  f: g\n",
        "key with spaces: value\n",
        "a: b\r\nc: |\r\n  text\r\n  more\r\n",
        "  indented: root\n  second: key\n",
        "a:\n    # indented comment\n  b: c\n",
        "a: b\n    # more indented comment\nc: d\n",
    ];

    #[test]
    fn reads_the_plain_shapes_as_yaml_rust2_does() {
        for text in READ {
            assert!(agrees(text), "declined {text:?}");
        }
    }

    /// Texts the scanner leaves to `yaml_rust2`: shapes it does not read, and errors.
    const DECLINED: &[&str] = &[
        "title: no final line break",
        "\u{feff}title: byte order mark\n",
        "---\ntitle: document marker\n",
        "title: x\n...\n",
        "%YAML 1.2\n---\ntitle: x\n",
        "title: \"escaped \\\" quote\"\n",
        "title: \"runs onto\n  a second line\"\n",
        "title: plain that runs\n  onto a second line\n",
        "- plain that runs\n  onto a second line\n",
        "text: >\n  folded\n",
        "text: |2\n   indicated\n",
        "text: |\n     more spaces\n  then fewer\n",
        "text: |\n    \n  blank line longer than the text's indentation\n",
        "text: |\nnot indented\n",
        "text: &anchor x\n",
        "text: *alias\n",
        "text: !tag x\n",
        "map: {a: {b: c}}\n",
        "map: {a}\n",
        "map: {a: b, }\n",
        "map: {\"a\":b}\n",
        "map: {a: b: c}\n",
        "map: {a: [b, [c]]}\n",
        "items: [{a: b}]\n",
        "items: [a, [b]]\n",
        "items: [a,\n  b]\n",
        "items: [a, ]\n",
        "items: [http://x]\n",
        "items: [a] extra\n",
        "- - nested\n",
        "? complex key\n: value\n",
        "\"quoted key\": value\n",
        "key : spaced colon\n",
        "a: b: c\n",
        "a: b:\n",
        "a: b\n  c: d\n",
        "a: b\n- c\n",
        "  a: b\nc: d\n",
        "a: b\rc: d\n",
        "plain scalar at the root\n",
        "",
        "# only a comment\n",
        "a: -1\n",
        "who:\n  - Partners\t\n",
    ];

    #[test]
    fn leaves_deep_nesting_to_yaml_rust2() {
        let nested = |depth: usize| {
            (0..depth)
                .map(|level| format!("{}k:\n", " ".repeat(level)))
                .collect::<String>()
        };
        assert!(agrees(&nested(super::super::MAX_DEPTH)));
        // Deeper than the reader goes, and deep enough to strain the stack if the
        // scanner recursed all the way down.
        assert!(scan(&nested(super::super::MAX_DEPTH + 1)).is_none());
        assert!(scan(&nested(3_000)).is_none());
        let dashes: String = (0..3_000)
            .map(|level| format!("{}-\n", " ".repeat(level)))
            .collect();
        assert!(scan(&dashes).is_none());
    }

    #[test]
    fn leaves_the_rest_to_yaml_rust2() {
        for text in DECLINED {
            assert!(scan(text).is_none(), "read {text:?}");
        }
    }

    #[test]
    fn reads_the_bundled_files() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<_> = std::fs::read_dir(root.join("procedures"))
            .expect("folder")
            .map(|e| e.expect("entry").path())
            .collect();
        files.extend([
            root.join("src/cmd/starter/procedure.yaml"),
            root.join("src/cmd/starter/site.yaml"),
        ]);
        assert_eq!(files.len(), 7);
        for file in files {
            let text = std::fs::read_to_string(&file).expect("read");
            assert!(agrees(&text), "declined {}", file.display());
        }
    }
}
