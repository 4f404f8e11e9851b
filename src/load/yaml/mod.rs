//! A quick way to read well-formed YAML into the site's types, tried before the full reader.
//!
//! Parsing YAML was the largest single cost of a build. `yaml_serde` (the full reader)
//! buffers every event of a file before deserialising it, through a character-by-character
//! port of libyaml. This module deserialises straight from a stream of events: those of
//! its own line scanner (`scan`), which reads the plain block YAML procedure files are
//! written in several times faster, or, for a file the scanner does not read, those of
//! `yaml_rust2`'s parser, which takes about two thirds of the full reader's time.
//!
//! It reads only the plain shapes procedure files are made of: mappings, sequences and
//! scalars, without anchors, aliases or tags. Whenever it meets anything else, or anything
//! goes wrong (a syntax error, an unknown field, a wrong type), it declines, and the caller
//! reads the file again with `yaml_serde`, whose errors the diagnostics explain. It also
//! declines the few things `yaml_rust2` and libyaml read differently: tabs, YAML 1.1 line
//! breaks, `|` or `>` starting a plain scalar, and `:` before anything but a space inside
//! `[...]` or `{...}`.
//!
//! So a file it reads gives the value `yaml_serde` would give, and a file it declines gives
//! the same value or error as before. The tests hold it to that over every kind of field,
//! over the bundled procedures, and over a thousand damaged copies of them.

mod scan;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

/// Reads `text` into a `T`, or `None` if the full reader must be asked instead.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    // The readers differ on a few characters, so a text with any of them is left to
    // the full reader: libyaml refuses tabs in some places yaml_rust2 reads them as
    // spaces (after a `-`, for one), and takes NEL, LS and PS for line breaks, as YAML
    // 1.1 did; yaml_rust2 follows YAML 1.2. Each search is a vectorised byte search.
    let bytes = text.as_bytes();
    if memchr::memchr(b'\t', bytes).is_some()
        || ["\u{85}", "\u{2028}", "\u{2029}"]
            .iter()
            .any(|c| memchr::memmem::find(bytes, c.as_bytes()).is_some())
    {
        return None;
    }
    // Most files take the line scanner's events; the few it does not read, yaml_rust2's.
    // Both give the same events for a text, so a file the deserialiser declines with one
    // would be declined with the other too.
    match scan::scan(text) {
        Some(events) => read(text, Scanned(events.into_iter().peekable())),
        None => read(
            text,
            Parsed {
                text,
                line_starts: std::iter::once(0)
                    .chain(memchr::memchr_iter(b'\n', bytes).map(|at| at + 1))
                    .collect(),
                parser: Parser::new_from_str(text),
            },
        ),
    }
}

fn read<T: DeserializeOwned>(text: &str, events: impl Events) -> Option<T> {
    let mut reader = Reader {
        text,
        events,
        nesting: Vec::new(),
    };
    reader.require(|e| matches!(e, Event::StreamStart)).ok()?;
    reader.require(|e| matches!(e, Event::DocumentStart)).ok()?;
    let value = T::deserialize(&mut reader).ok()?;
    reader.require(|e| matches!(e, Event::DocumentEnd)).ok()?;
    // A second document is an error for the full reader: let it say so.
    reader.require(|e| matches!(e, Event::StreamEnd)).ok()?;
    Some(value)
}

/// Why the quick reader stopped; never shown, since the full reader then takes over.
#[derive(Debug)]
pub struct Declined;

impl std::fmt::Display for Declined {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("left to the full YAML reader")
    }
}

impl std::error::Error for Declined {}

impl de::Error for Declined {
    fn custom<M: std::fmt::Display>(_: M) -> Self {
        Declined
    }
}

type Result<T> = std::result::Result<T, Declined>;

/// How deeply mappings and sequences may nest before the full reader (which has its own
/// limit, with a clear error) is left to deal with the file.
const MAX_DEPTH: usize = 64;

/// Where the reader's events come from.
trait Events {
    fn next(&mut self) -> Result<Event>;
    /// The next event, and where in the text it is, in bytes.
    fn next_located(&mut self) -> Result<(Event, usize)>;
    fn peek(&mut self) -> Result<&Event>;
}

/// The events of the line scanner, read in full beforehand.
struct Scanned(std::iter::Peekable<std::vec::IntoIter<scan::Located>>);

impl Events for Scanned {
    fn next(&mut self) -> Result<Event> {
        self.next_located().map(|(event, _)| event)
    }

    fn next_located(&mut self) -> Result<(Event, usize)> {
        self.0.next().ok_or(Declined)
    }

    fn peek(&mut self) -> Result<&Event> {
        self.0.peek().map(|(event, _)| event).ok_or(Declined)
    }
}

/// The events of `yaml_rust2`'s parser, as it reads them.
struct Parsed<'a> {
    text: &'a str,
    /// Where each line of `text` starts, in bytes.
    line_starts: Vec<usize>,
    parser: Parser<std::str::Chars<'a>>,
}

impl Events for Parsed<'_> {
    fn next(&mut self) -> Result<Event> {
        self.parser
            .next_token()
            .map(|(event, _)| event)
            .map_err(|_| Declined)
    }

    fn next_located(&mut self) -> Result<(Event, usize)> {
        let (event, mark) = self.parser.next_token().map_err(|_| Declined)?;
        // A mark's line counts from 1 and its column, in characters, from 0. The end of
        // the text may be marked on a line after the last.
        let Some(&start) = mark
            .line()
            .checked_sub(1)
            .and_then(|line| self.line_starts.get(line))
        else {
            return Ok((event, self.text.len()));
        };
        let line = &self.text[start..];
        let within = line
            .char_indices()
            .nth(mark.col())
            .map_or(line.len(), |(at, _)| at);
        Ok((event, start + within))
    }

    fn peek(&mut self) -> Result<&Event> {
        self.parser
            .peek()
            .map(|(event, _)| event)
            .map_err(|_| Declined)
    }
}

/// Deserialises from a stream of events, declining at the first doubt.
struct Reader<'a, E> {
    text: &'a str,
    events: E,
    /// The mappings and sequences the reader is in, innermost last; for each written in
    /// flow style (`[a, b]`, `{a: b}`), where in `text` it starts.
    nesting: Vec<Option<usize>>,
}

impl<E: Events> Reader<'_, E> {
    fn next(&mut self) -> Result<Event> {
        self.events.next()
    }

    fn peek(&mut self) -> Result<&Event> {
        self.events.peek()
    }

    fn require(&mut self, wanted: impl Fn(&Event) -> bool) -> Result<()> {
        if wanted(&self.next()?) {
            Ok(())
        } else {
            Err(Declined)
        }
    }

    /// The next event's text and style, if it is a scalar without anchor or tag.
    fn scalar(&mut self) -> Result<(String, TScalarStyle)> {
        match self.next()? {
            // yaml_rust2 reads `[a, >b]` and `[a, |b]`, which libyaml rightly refuses:
            // `|` and `>` cannot start a plain scalar. (A `:` within a plain scalar
            // inside `[...]` or `{...}` is caught when the collection is left.)
            Event::Scalar(text, TScalarStyle::Plain, 0, None) if text.starts_with(['|', '>']) => {
                Err(Declined)
            }
            Event::Scalar(text, style, 0, None) => Ok((text, style)),
            _ => Err(Declined),
        }
    }

    /// A scalar's text: where a string is wanted, the full reader takes any scalar as
    /// it is written (`~`, `12` and an empty value included).
    fn string(&mut self) -> Result<String> {
        self.scalar().map(|(text, _)| text)
    }

    /// Enters a mapping or sequence, noting its style and how deep the reader is.
    fn enter(&mut self, start: impl Fn(&Event) -> bool) -> Result<()> {
        let (event, at) = self.events.next_located()?;
        if !start(&event) || self.nesting.len() == MAX_DEPTH {
            return Err(Declined);
        }
        let flow = matches!(self.text.as_bytes().get(at), Some(b'[' | b'{')).then_some(at);
        self.nesting.push(flow);
        Ok(())
    }

    /// Leaves the mapping or sequence last entered, whose end the reader has just read
    /// at `end`.
    fn leave(&mut self, end: usize) -> Result<()> {
        let Some(Some(start)) = self.nesting.pop() else {
            return Ok(());
        };
        // libyaml, following YAML 1.1, refuses a `:` straight before anything but a space
        // or line break inside `[...]` or `{...}` (`{answers:[a]}`, `[http://x]`), where
        // yaml_rust2 may read a key or a longer scalar.
        let inside = self.text.as_bytes().get(start..end).ok_or(Declined)?;
        let cramped = inside
            .windows(2)
            .any(|pair| pair[0] == b':' && !matches!(pair[1], b' ' | b'\n' | b'\r'));
        if cramped { Err(Declined) } else { Ok(()) }
    }

    /// Reads the members of the mapping or sequence just entered with `read`, then
    /// leaves it.
    fn members<T>(&mut self, read: impl FnOnce(&mut Members<E>) -> Result<T>) -> Result<T> {
        let mut members = Members {
            reader: &mut *self,
            end: None,
        };
        let value = read(&mut members)?;
        // A visitor that stopped before the end leaves events unread.
        let end = members.end.ok_or(Declined)?;
        self.leave(end)?;
        Ok(value)
    }
}

/// Whether a plain scalar is null to the full reader.
fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

macro_rules! declined {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
            Err(Declined)
        })*
    };
}

macro_rules! unsigned {
    ($($method:ident => $visit:ident: $ty:ty,)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            // Plain decimal digits only; signs, other bases and quoted numbers are
            // left to the full reader's rules.
            match self.scalar()? {
                (text, TScalarStyle::Plain)
                    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) && !(text.len() > 1 && text.starts_with('0')) =>
                {
                    visitor.$visit(text.parse::<$ty>().map_err(|_| Declined)?)
                }
                _ => Err(Declined),
            }
        })*
    };
}

impl<'de, E: Events> de::Deserializer<'de> for &mut Reader<'_, E> {
    type Error = Declined;

    declined! {
        deserialize_any deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_bytes deserialize_byte_buf deserialize_unit deserialize_ignored_any
    }

    unsigned! {
        deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64,
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.scalar()? {
            (text, TScalarStyle::Plain) => match text.as_str() {
                "true" | "True" | "TRUE" => visitor.visit_bool(true),
                "false" | "False" | "FALSE" => visitor.visit_bool(false),
                _ => Err(Declined),
            },
            _ => Err(Declined),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_string(self.string()?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_string(self.string()?)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_string(self.string()?)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let is_none = matches!(
            self.peek()?,
            Event::Scalar(text, TScalarStyle::Plain, 0, None) if is_null(text)
        );
        if is_none {
            self.next()?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, _: V) -> Result<V::Value> {
        Err(Declined)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.enter(|e| matches!(e, Event::SequenceStart(0, None)))?;
        self.members(|members| visitor.visit_seq(members))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value> {
        Err(Declined)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        _: V,
    ) -> Result<V::Value> {
        Err(Declined)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.enter(|e| matches!(e, Event::MappingStart(0, None)))?;
        self.members(|members| visitor.visit_map(members))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        // Only unit variants, written as a plain or quoted name.
        let name = self.string()?;
        visitor.visit_enum(IntoDeserializer::<Declined>::into_deserializer(name))
    }
}

/// The items of a sequence or the keys and values of a mapping, read one by one.
struct Members<'r, 'a, E> {
    reader: &'r mut Reader<'a, E>,
    /// Where the closing event was, once read.
    end: Option<usize>,
}

impl<E: Events> Members<'_, '_, E> {
    /// Whether the closing event is next; if so, it is read.
    fn at_end(&mut self, closing: fn(&Event) -> bool) -> Result<bool> {
        if !closing(self.reader.peek()?) {
            return Ok(false);
        }
        self.end = Some(self.reader.events.next_located()?.1);
        Ok(true)
    }
}

impl<'de, E: Events> SeqAccess<'de> for Members<'_, '_, E> {
    type Error = Declined;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if self.at_end(|e| matches!(e, Event::SequenceEnd))? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.reader).map(Some)
    }
}

impl<'de, E: Events> MapAccess<'de> for Members<'_, '_, E> {
    type Error = Declined;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.at_end(|e| matches!(e, Event::MappingEnd))? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.reader).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        seed.deserialize(&mut *self.reader)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::path::Path;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "kebab-case")]
    enum Colour {
        Red,
        DarkBlue,
    }

    /// A shape with every kind of field the site's files use.
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Sample {
        #[serde(default)]
        text: Option<String>,
        #[serde(default)]
        items: Vec<String>,
        #[serde(default)]
        count: Option<u32>,
        #[serde(default)]
        flag: Option<bool>,
        #[serde(default)]
        colour: Option<Colour>,
        #[serde(default)]
        children: Vec<Sample>,
    }

    fn full<T: DeserializeOwned>(text: &str) -> Option<T> {
        serde_yaml::from_str(text).ok()
    }

    /// Texts the quick reader must read, to the very value the full reader gives.
    const READ: &[&str] = &[
        "text: plain words",
        "text: 'single ''quoted'' text'",
        "text: \"double \\\"quoted\\\" \\u00e9 \\t tab \\\\ slash\"",
        "text: |\n  literal\n    indented\n\n  after a blank\n",
        "text: |-\n  literal, stripped\n\n",
        "text: |+\n  literal, kept\n\n",
        "text: >\n  folded\n  lines\n\n  paragraph\n",
        "text: >-\n  folded,\n  stripped\n",
        "text: |2\n    indented by an indicator\n",
        "text: plain that runs\n  onto a second line\n\n  and a third",
        "text: \"quoted that runs\n  onto a second line\"",
        "text: 'single\n\n  with a blank line'",
        "text: 2024-05-01",
        "text: 12",
        "text: true",
        "text: null value is text",
        "text: \"~\"",
        "text: Fire & Rescue:colons within words, and #hashes, are text",
        "text: café – “curly” ünïcödé ✓",
        "# a comment\ntext: words # and a comment after\n",
        "---\ntext: after a document marker\n...\n",
        "text:\n",
        "text: ~",
        "items: [~, '', null, 12, yes]",
        "children:\n  - items:\n    - x\n    -\n",
        "text: null",
        "text: NULL",
        "items: [a, 'b', \"c\"]",
        "items:\n- first\n- second\n",
        "items:\n  - first\n  -   second\n",
        "items: []",
        "count: 7",
        "count: 0",
        "count: 4294967295",
        "flag: true",
        "flag: False",
        "colour: red",
        "colour: 'dark-blue'",
        "children:\n  - text: one\n    children:\n      - items: [deep]\n  - {text: two, count: 2}\n",
        "{}",
        "text: |\r\n  written on Windows\r\n\r\n  with CRLF line ends\r\nitems: [a, 'b']\r\n",
        "children:\n- text: one # a comment\n  items:\n  - x\n- {text: 'two', items: [y, \"z\"]}\n",
    ];

    #[test]
    fn reads_every_shape_as_the_full_reader_does() {
        for text in with_and_without_line_break(READ) {
            let expected: Sample =
                full(&text).unwrap_or_else(|| panic!("the full reader reads {text:?}"));
            let quick: Option<Sample> = from_str(&text);
            assert_eq!(quick.as_ref(), Some(&expected), "{text:?}");
        }
    }

    /// Each text as it is and with a final line break: the line scanner reads only texts
    /// that end with one, so the quick reader takes its events from both sources.
    fn with_and_without_line_break(texts: &[&str]) -> Vec<String> {
        texts
            .iter()
            .flat_map(|text| [text.to_string(), format!("{text}\n")])
            .collect()
    }

    /// Texts the quick reader must leave to the full reader: what it cannot read
    /// exactly, and every error, so that the error is the full reader's.
    const DECLINED: &[&str] = &[
        // Anchors, aliases and tags.
        "text: &a words\nitems: [*a]",
        "text: !!str words",
        // Numbers and flags written other ways.
        "count: 07",
        "count: +7",
        "count: 0x1F",
        "count: '7'",
        "count: -1",
        "count: 4294967296",
        "flag: yes",
        "flag: 'true'",
        // Where the two parsers read flow collections differently.
        "items: [http://example.org]",
        "children: [{items:[a]}]",
        "items: [a, >b]",
        // Errors of every kind.
        "text: [not, text]",
        "items: just one",
        "colour: green",
        "colour: [red]",
        "unknown: field",
        "text: one\ntext: two",
        "text: \"unclosed\nitems: []",
        "text: a\n  b: c",
        "- a list\n- not a mapping",
        "text: one\n---\ntext: two",
        "",
        "# only a comment",
    ];

    #[test]
    fn leaves_the_rest_to_the_full_reader() {
        for text in with_and_without_line_break(DECLINED) {
            assert!(from_str::<Sample>(&text).is_none(), "{text:?}");
        }
    }

    #[test]
    fn declines_whatever_the_full_reader_rejects() {
        for text in with_and_without_line_break(DECLINED) {
            if full::<Sample>(&text).is_none() {
                assert!(from_str::<Sample>(&text).is_none(), "{text:?}");
            }
        }
    }

    #[test]
    fn declines_deep_nesting() {
        let deep = format!("children:{}", " [{children:".repeat(MAX_DEPTH + 1));
        assert!(from_str::<Sample>(&deep).is_none());
        let mut nested = String::from("{}");
        for _ in 0..10 {
            nested = format!("{{children: [{nested}]}}");
        }
        assert!(from_str::<Sample>(&nested).is_some());
    }

    fn yaml_files(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("folder")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        files
    }

    /// The value as JSON, to compare models that do not implement `PartialEq`.
    fn json<T: serde::Serialize>(value: &T) -> serde_json::Value {
        serde_json::to_value(value).expect("json")
    }

    #[test]
    fn reads_the_bundled_site_as_the_full_reader_does() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let procedures = yaml_files(&root.join("procedures"));
        assert_eq!(procedures.len(), 5);
        let starter = root.join("src/cmd/starter/procedure.yaml");
        for file in procedures.iter().chain([&starter]) {
            let text = std::fs::read_to_string(file).expect("read");
            let expected: crate::model::Procedure = full(&text).expect("the full reader reads it");
            let quick: crate::model::Procedure =
                from_str(&text).unwrap_or_else(|| panic!("{} was declined", file.display()));
            assert_eq!(json(&quick), json(&expected), "{}", file.display());
        }
        for file in [
            root.join("site.yaml"),
            root.join("src/cmd/starter/site.yaml"),
        ] {
            let text = std::fs::read_to_string(&file).expect("read");
            let expected: crate::model::SiteConfig = full(&text).expect("the full reader reads it");
            let quick: crate::model::SiteConfig =
                from_str(&text).unwrap_or_else(|| panic!("{} was declined", file.display()));
            assert_eq!(json(&quick), json(&expected), "{}", file.display());
        }
    }

    #[test]
    fn agrees_with_the_full_reader_on_every_faulty_fixture() {
        let files = yaml_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad"));
        assert!(files.len() > 20);
        for file in files {
            let text = std::fs::read_to_string(&file).expect("read");
            let expected = full::<crate::model::Procedure>(&text).map(|p| json(&p));
            let quick = from_str::<crate::model::Procedure>(&text).map(|p| json(&p));
            if expected.is_none() {
                assert_eq!(quick, None, "{}", file.display());
            } else if quick.is_some() {
                assert_eq!(quick, expected, "{}", file.display());
            }
        }
    }
}

#[cfg(test)]
mod mutations {
    //! The bundled procedures, each damaged in many small ways (a character deleted,
    //! a quote, colon, dash, tab or `#` inserted, a line repeated, indented or
    //! outdented), read by both readers: whatever the full reader rejects, the quick
    //! reader must decline, and whatever both read must be the same. Each damaged text
    //! is read with and without a final line break: the line scanner reads only texts
    //! that end with one, so the quick reader meets both its sources of events.

    use super::from_str;
    use crate::model::Procedure;
    use std::path::Path;

    /// A small deterministic generator, so that a failure can be replayed.
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n.max(1)
        }
    }

    fn damage(text: &str, random: &mut Lcg) -> String {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let line = random.below(lines.len());
        let chars: Vec<char> = lines[line].chars().collect();
        let at = random.below(chars.len() + 1);
        let (before, after): (String, String) =
            (chars[..at].iter().collect(), chars[at..].iter().collect());
        match random.below(7) {
            0 => {
                let after: String = after.chars().skip(1).collect();
                lines[line] = before + &after;
            }
            1 => {
                let inserted = [
                    "\"", "'", ": ", "- ", "\t", " #", "|", "[", "{", "&a ", "*a", "%", "!", "@",
                    "`", "\\", "? ", "---", "...", "\r", "\u{feff}", "\u{85}", "\u{2028}", ">",
                    "]", "}", ",", "|-", "|+", "    ", "''",
                ];
                lines[line] = before + inserted[random.below(inserted.len())] + &after;
            }
            2 => lines.insert(line, lines[line].clone()),
            3 => lines[line].insert_str(0, "  "),
            4 => lines[line] = lines[line].trim_start().to_string(),
            5 => lines[line] = String::new(),
            _ => lines[line] = before + "\n" + &after,
        }
        lines.join("\n")
    }

    /// A number from the environment, for longer runs by hand:
    /// `WAYMARK_YAML_FUZZ_SEED=7 WAYMARK_YAML_FUZZ_ROUNDS=2000 cargo test damaged_procedures`.
    fn setting<T: std::str::FromStr>(name: &str, default: T) -> T {
        std::env::var(name)
            .ok()
            .and_then(|value| value.parse().ok())
            .unwrap_or(default)
    }

    /// Damages each procedure once, twice or three times and reads it with both readers.
    #[test]
    fn damaged_procedures_are_declined_or_read_alike() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("procedures");
        let mut random = Lcg(setting("WAYMARK_YAML_FUZZ_SEED", 20261123));
        let (mut both_read, mut declined, mut scanned) = (0, 0, 0);
        for name in [
            "doncaster",
            "gloucestershire",
            "oxfordshire",
            "staffordshire",
            "worcestershire",
        ] {
            let text =
                std::fs::read_to_string(dir.join(name).with_extension("yaml")).expect("read");
            for round in 0..setting("WAYMARK_YAML_FUZZ_ROUNDS", 200) {
                let mut damaged = text.clone();
                for _ in 0..=round % 3 {
                    damaged = damage(&damaged, &mut random);
                }
                let ended = format!("{damaged}\n");
                if super::scan::tests::agrees(&ended) {
                    scanned += 1;
                }
                for damaged in [damaged, ended] {
                    let full = serde_yaml::from_str::<Procedure>(&damaged);
                    match (full, from_str::<Procedure>(&damaged)) {
                        (Err(e), Some(_)) => {
                            let changed: Vec<&str> = damaged
                                .lines()
                                .filter(|line| !text.lines().any(|l| l == *line))
                                .collect();
                            panic!(
                                "{name}, damage {round}: the full reader says {e}, but the quick reader read it; changed lines: {changed:?}"
                            );
                        }
                        (Ok(full), Some(quick)) => {
                            assert_eq!(
                                serde_json::to_value(&quick).expect("json"),
                                serde_json::to_value(&full).expect("json"),
                                "{name}, damage {round}"
                            );
                            both_read += 1;
                        }
                        (_, None) => declined += 1,
                    }
                }
            }
        }
        // Every outcome must have been met for the test to mean anything.
        assert!(
            both_read > 200 && declined > 200 && scanned > 200,
            "{both_read} read, {declined} declined, {scanned} scanned"
        );
    }
}
