//! Finds where a value sits in a YAML file, by its path (`nodes[2].next`).
//!
//! serde gives us typed values but forgets where they came from. Checks that
//! run after deserialising (a dangling `next`, a cycle, a failing route test)
//! name the offending value by its path, and this index, built from the same
//! text by a second, position-keeping parser, turns the path into a line and
//! column. It is only built for files that have something to report, so a
//! clean build never pays for it.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::diagnostics::Position;

/// A path into a YAML document: `nodes[2].answers[0].next`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct YamlPath(String);

impl YamlPath {
    /// The document's root.
    pub fn root() -> Self {
        YamlPath(String::new())
    }

    /// The value under `key` in this mapping.
    pub fn key(&self, key: &str) -> Self {
        if self.0.is_empty() {
            return YamlPath(key.to_string());
        }
        // Paths are built for every field a check looks at, so they are pushed
        // together by hand rather than through `format!`.
        let mut path = String::with_capacity(self.0.len() + 1 + key.len());
        path.push_str(&self.0);
        path.push('.');
        path.push_str(key);
        YamlPath(path)
    }

    /// Item `index` of this sequence.
    pub fn index(&self, index: usize) -> Self {
        let mut digits = itoa::Buffer::new();
        let digits = digits.format(index);
        let mut path = String::with_capacity(self.0.len() + digits.len() + 2);
        path.push_str(&self.0);
        path.push('[');
        path.push_str(digits);
        path.push(']');
        YamlPath(path)
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where each path's key and value start in one file.
#[derive(Debug, Default)]
pub struct PositionIndex {
    keys: HashMap<YamlPath, Position>,
    values: HashMap<YamlPath, Position>,
    /// Where a key appears for the second time in the same mapping (the first such repeat).
    repeated_keys: HashMap<YamlPath, Position>,
    /// Where a second YAML document starts, if the text holds more than one.
    second_document: Option<Position>,
}

impl PositionIndex {
    /// Indexes `text`. Text that does not parse yields what was indexed before the fault.
    pub fn build(text: &str) -> Self {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        // A parse error here was already reported by the deserialiser; keep what we have.
        // Read every document, so that a second one can be found (its contents are not indexed).
        let _ = parser.load(&mut builder, true);
        builder.index
    }

    /// Where the key naming `path` is given a second time in its mapping, if it is.
    pub fn repeated_key(&self, path: &YamlPath) -> Option<Position> {
        self.repeated_keys.get(path).copied()
    }

    /// Where the second YAML document in the text starts, if there is one.
    pub fn second_document(&self) -> Option<Position> {
        self.second_document
    }

    /// Whether a value was found at exactly `path`.
    pub fn has_value(&self, path: &YamlPath) -> bool {
        self.values.contains_key(path)
    }

    /// Where the value at `path` starts, or the nearest enclosing value that was found.
    pub fn value(&self, path: &YamlPath) -> Position {
        self.lookup(path, &self.values)
    }

    /// Where the key naming `path` starts (for "this field should not be here"), else its value.
    pub fn key(&self, path: &YamlPath) -> Position {
        match self.keys.get(path) {
            Some(p) => *p,
            None => self.value(path),
        }
    }

    fn lookup(&self, path: &YamlPath, map: &HashMap<YamlPath, Position>) -> Position {
        let mut text = path.as_str();
        loop {
            if let Some(p) = map.get(&YamlPath(text.to_string())) {
                return *p;
            }
            match text.rfind(['.', '[']) {
                Some(cut) => text = &text[..cut],
                None => {
                    return map
                        .get(&YamlPath::root())
                        .copied()
                        .unwrap_or(Position { line: 1, column: 1 });
                }
            }
        }
    }
}

enum Frame {
    Mapping {
        path: YamlPath,
        key: Option<String>,
        /// The parser marks a block mapping's start oddly (at its first colon),
        /// so a mapping is placed at its first key instead.
        placed: bool,
    },
    Sequence {
        path: YamlPath,
        next_index: usize,
    },
}

#[derive(Default)]
struct Builder {
    index: PositionIndex,
    stack: Vec<Frame>,
    documents: usize,
}

fn position(mark: &Marker) -> Position {
    Position {
        line: mark.line(),
        column: mark.col() + 1,
    }
}

impl Builder {
    /// Works out the path of a value about to start, or records a mapping key and returns None.
    fn place_value(&mut self, event: &Event, mark: &Marker) -> Option<YamlPath> {
        match self.stack.last_mut() {
            None => Some(YamlPath::root()),
            Some(Frame::Sequence { path, next_index }) => {
                let child = path.index(*next_index);
                *next_index += 1;
                Some(child)
            }
            Some(Frame::Mapping { path, key, placed }) => match key.take() {
                Some(k) => {
                    let child = path.key(&k);
                    // An empty value (`start:` and nothing after) is marked where the next
                    // token starts, often on a later line; its key is the place to point at.
                    if let Event::Scalar(text, TScalarStyle::Plain, ..) = event
                        && text.is_empty()
                        && let Some(at) = self.index.keys.get(&child)
                    {
                        self.index.values.entry(child.clone()).or_insert(*at);
                    }
                    Some(child)
                }
                None => {
                    // A key. Complex keys (mappings as keys) are not part of the format; name them oddly.
                    let name = match event {
                        Event::Scalar(text, ..) => text.clone(),
                        _ => "?".to_string(),
                    };
                    let key_path = path.key(&name);
                    match self.index.keys.entry(key_path) {
                        Entry::Occupied(first) => {
                            self.index
                                .repeated_keys
                                .entry(first.key().clone())
                                .or_insert(position(mark));
                        }
                        Entry::Vacant(slot) => {
                            slot.insert(position(mark));
                        }
                    }
                    if !std::mem::replace(placed, true) {
                        self.index.values.insert(path.clone(), position(mark));
                    }
                    *key = Some(name);
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match &event {
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents == 2 {
                    self.index.second_document = Some(position(&mark));
                }
            }
            Event::Scalar(..)
            | Event::Alias(_)
            | Event::MappingStart(..)
            | Event::SequenceStart(..) => {
                if self.documents > 1 {
                    return;
                }
                let Some(path) = self.place_value(&event, &mark) else {
                    if matches!(event, Event::MappingStart(..) | Event::SequenceStart(..)) {
                        // A complex key: swallow it as an anonymous mapping/sequence.
                        self.stack.push(Frame::Sequence {
                            path: YamlPath("?".into()),
                            next_index: 0,
                        });
                    }
                    return;
                };
                self.index
                    .values
                    .entry(path.clone())
                    .or_insert(position(&mark));
                match event {
                    Event::MappingStart(..) => self.stack.push(Frame::Mapping {
                        path,
                        key: None,
                        placed: false,
                    }),
                    Event::SequenceStart(..) => self.stack.push(Frame::Sequence {
                        path,
                        next_index: 0,
                    }),
                    _ => {}
                }
            }
            Event::MappingEnd | Event::SequenceEnd if self.documents <= 1 => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

/// What [`alias_expansion`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AliasExpansion {
    /// The aliases, expanded, stay within the limit.
    Fine,
    /// Expanding the aliases up to the one at this place already passes the limit.
    TooMuch(Position),
    /// The text could not be read closely enough to tell.
    Unknown,
}

/// Measures how much data the aliases (`*name`) in `text` would add when each is replaced by
/// its anchored value (`&name`), counting a value as its text plus a fixed cost per item, and
/// says where the total first passes `limit` bytes. This guards the deserialiser, which
/// expands aliases as it goes, against "billion laughs" files: nested aliases that expand to
/// more memory than any machine has.
pub fn alias_expansion(text: &str, limit: u64) -> AliasExpansion {
    // Tabs between tokens are read by the site's YAML reader but refused by this one; they
    // change no sizes, so measure as if they were spaces.
    let text = text.replace('\t', " ");
    let mut meter = AliasMeter {
        limit,
        ..AliasMeter::default()
    };
    let mut parser = Parser::new_from_str(&text);
    let read = parser.load(&mut meter, true);
    match (meter.too_much, read) {
        (Some(at), _) => AliasExpansion::TooMuch(at),
        (None, Ok(())) => AliasExpansion::Fine,
        (None, Err(_)) => AliasExpansion::Unknown,
    }
}

/// The cost of one item (a value, a list, a set of fields) beyond its text.
const ITEM_COST: u64 = 32;

#[derive(Default)]
struct AliasMeter {
    limit: u64,
    /// The expanded size of each anchored value, by the parser's anchor id.
    anchors: HashMap<usize, u64>,
    /// Open lists and sets of fields: their anchor id (0 for none) and size so far.
    open: Vec<(usize, u64)>,
    /// What the aliases have added so far.
    added: u64,
    too_much: Option<Position>,
}

impl AliasMeter {
    fn add(&mut self, size: u64) {
        if let Some((_, total)) = self.open.last_mut() {
            *total = total.saturating_add(size);
        }
    }
}

impl MarkedEventReceiver for AliasMeter {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.too_much.is_some() {
            return;
        }
        match event {
            Event::Scalar(text, _, anchor, _) => {
                let size = ITEM_COST.saturating_add(text.len() as u64);
                if anchor > 0 {
                    self.anchors.insert(anchor, size);
                }
                self.add(size);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                self.open.push((anchor, ITEM_COST));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, size)) = self.open.pop() {
                    if anchor > 0 {
                        self.anchors.insert(anchor, size);
                    }
                    self.add(size);
                }
            }
            Event::Alias(anchor) => {
                let size = self.anchors.get(&anchor).copied().unwrap_or(ITEM_COST);
                self.added = self.added.saturating_add(size);
                if self.added > self.limit {
                    self.too_much = Some(position(&mark));
                }
                self.add(size);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "title: T\nnodes:\n  - id: a\n    next: b\n  - id: b\n    answers:\n      - { label: x, next: c }\n";

    #[test]
    fn finds_values_and_keys() {
        let index = PositionIndex::build(TEXT);
        let nodes = YamlPath::root().key("nodes");
        assert_eq!(
            index.value(&nodes.index(0).key("next")),
            Position {
                line: 4,
                column: 11
            }
        );
        assert_eq!(
            index.key(&nodes.index(0).key("next")),
            Position { line: 4, column: 5 }
        );
        assert_eq!(
            index.value(&nodes.index(1).key("answers").index(0).key("next")),
            Position {
                line: 7,
                column: 27
            }
        );
    }

    #[test]
    fn falls_back_to_the_nearest_enclosing_value() {
        let index = PositionIndex::build(TEXT);
        let missing = YamlPath::root().key("nodes").index(1).key("next");
        assert_eq!(index.value(&missing), Position { line: 5, column: 5 });
    }

    #[test]
    fn finds_repeated_keys_and_second_documents() {
        let index = PositionIndex::build("a: 1\nb: 2\na: 3\n---\nc: 4\n");
        assert_eq!(
            index.repeated_key(&YamlPath::root().key("a")),
            Some(Position { line: 3, column: 1 })
        );
        assert_eq!(index.repeated_key(&YamlPath::root().key("b")), None);
        assert_eq!(
            index.second_document(),
            Some(Position { line: 4, column: 1 })
        );
    }

    #[test]
    fn points_at_the_key_of_an_empty_value() {
        let index = PositionIndex::build("start:\nnodes: []\n");
        assert_eq!(
            index.value(&YamlPath::root().key("start")),
            Position { line: 1, column: 1 }
        );
    }

    #[test]
    fn measures_alias_expansion() {
        assert_eq!(
            alias_expansion("a: &x [1, 2]\nb: *x\n", 1000),
            AliasExpansion::Fine
        );
        let mut bomb = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            let refs = vec![format!("*{prev}"); 9].join(", ");
            bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        assert!(matches!(
            alias_expansion(&bomb, 16 << 20),
            AliasExpansion::TooMuch(Position { line, .. }) if line > 5
        ));
        assert_eq!(alias_expansion("a: [\n", 1000), AliasExpansion::Unknown);
    }

    #[test]
    fn survives_broken_text() {
        let index = PositionIndex::build("a: [1, 2\nb: {");
        assert_eq!(
            index.value(&YamlPath::root().key("zzz")),
            Position { line: 1, column: 1 }
        );
    }
}
