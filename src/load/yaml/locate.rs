//! Finds where a value sits in a YAML file, by its path (`nodes[2].next`), and which
//! path sits at a place.
//!
//! serde gives us typed values but forgets where they came from. Checks that run after
//! deserialising (a dangling `next`, a cycle, a failing route test) name the offending
//! value by its path, and this index, built from the spans of the reader's own event
//! parser, turns the path into a line and column. The other way round, it tells the
//! error explanations which path an error's place belongs to. It is only built for
//! files that have something to report, so a clean build never pays for it.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

use serde_saphyr::granit_parser::{Event, Marker, Parser, ScalarStyle, Span};

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

    /// A path as serde writes it (`nodes[2].deadlines[0]`; `.` or nothing for the root).
    pub fn parse(text: &str) -> Self {
        let mut out = YamlPath::root();
        for part in text.split('.') {
            let (name, indices) = part.split_once('[').unwrap_or((part, ""));
            if !name.is_empty() {
                out = out.key(name);
            }
            for index in indices.split('[') {
                if let Ok(i) = index.trim_end_matches(']').parse::<usize>() {
                    out = out.index(i);
                }
            }
        }
        out
    }

    /// The mapping or list this path is in (`nodes[0].next` → `nodes[0]`), or the root.
    pub fn parent(&self) -> Self {
        match self.0.rfind(['.', '[']) {
            Some(cut) => YamlPath(self.0[..cut].to_string()),
            None => YamlPath::root(),
        }
    }

    /// Whether this is the document's root.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

/// What kind of value starts at a place, as a coordinator would name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A scalar, with its text and whether it was written plain (unquoted).
    Scalar { text: String, plain: bool },
    /// A list (sequence).
    List,
    /// A set of fields (mapping).
    Fields,
    /// An alias (`*name`).
    Alias,
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
    /// The value that starts at each place (the outermost, where several do), and its kind.
    at: BTreeMap<Position, (YamlPath, Found)>,
    /// The key that starts at each place, repeats included.
    key_at: BTreeMap<Position, YamlPath>,
}

impl PositionIndex {
    /// Indexes `text`. Text that does not parse yields what was indexed before the fault.
    pub fn build(text: &str) -> Self {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str_with_options(text, super::limits::parser());
        // A parse error here was already reported by the deserialiser; keep what we have.
        // Every document is read, so that a second one can be found (its contents are not
        // indexed).
        while let Some(Ok((event, span))) = parser.next_event() {
            builder.on_event(event, span);
        }
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

    /// The fields directly inside the mapping at `parent`, with where each key starts,
    /// in the order they are written.
    pub fn fields_of(&self, parent: &YamlPath) -> Vec<(YamlPath, Position)> {
        let mut fields: Vec<(YamlPath, Position)> = self
            .keys
            .iter()
            .filter(|(path, _)| !path.as_str().ends_with(']') && path.parent() == *parent)
            .map(|(path, at)| (path.clone(), *at))
            .collect();
        fields.sort_by_key(|(_, at)| *at);
        fields
    }

    /// The items of the list at `parent`, with where each starts, in order.
    pub fn items_of(&self, parent: &YamlPath) -> Vec<(YamlPath, Position)> {
        let mut items: Vec<(YamlPath, Position)> = self
            .values
            .iter()
            .filter(|(path, _)| path.as_str().ends_with(']') && path.parent() == *parent)
            .map(|(path, at)| (path.clone(), *at))
            .collect();
        items.sort_by_key(|(_, at)| *at);
        items
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

    /// The path and kind of the value that starts at `at`, if one does.
    pub fn found_at(&self, at: Position) -> Option<(&YamlPath, &Found)> {
        self.at.get(&at).map(|(path, found)| (path, found))
    }

    /// The path a key starting at `at` names, if one does (a repeated key included).
    pub fn key_at(&self, at: Position) -> Option<&YamlPath> {
        self.key_at.get(&at)
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
        /// A block mapping is placed at its first key, where a reader's eye finds it.
        placed: bool,
    },
    Sequence {
        path: YamlPath,
        next_index: usize,
    },
    /// A list or set of fields used as a key: not part of the format, and not indexed.
    Key,
}

#[derive(Default)]
struct Builder {
    index: PositionIndex,
    stack: Vec<Frame>,
    documents: usize,
}

/// A marker as a position: its line counts from 1, its column (in characters) from 0.
pub fn position(mark: &Marker) -> Position {
    Position {
        line: mark.line(),
        column: mark.col() + 1,
    }
}

impl Builder {
    fn on_event(&mut self, event: Event<'_>, span: Span) {
        let at = position(&span.start);
        match &event {
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents == 2 {
                    self.index.second_document = Some(at);
                }
            }
            Event::Scalar(..)
            | Event::Alias(_)
            | Event::MappingStart(..)
            | Event::SequenceStart(..)
                if self.documents <= 1 =>
            {
                // An empty value (`start:` and nothing after) is read as a `~` of no width.
                let empty =
                    matches!(event, Event::Scalar(..)) && span.start.index() == span.end.index();
                self.on_node(&event, at, empty);
            }
            Event::MappingEnd | Event::SequenceEnd if self.documents <= 1 => {
                self.stack.pop();
            }
            _ => {}
        }
    }

    fn on_node(&mut self, event: &Event<'_>, at: Position, empty: bool) {
        let found = Self::found(event, empty);
        let Some(path) = self.place_value(event, at, empty) else {
            if matches!(event, Event::MappingStart(..) | Event::SequenceStart(..)) {
                self.stack.push(Frame::Key);
            }
            // A key: what it is, for "expected a field name, found a set of fields".
            if let Some(key) = self.index.key_at.get(&at) {
                let key = key.clone();
                self.index.at.entry(at).or_insert((key, found));
            }
            return;
        };
        self.index.values.entry(path.clone()).or_insert(at);
        match event {
            Event::MappingStart(..) => self.stack.push(Frame::Mapping {
                path: path.clone(),
                key: None,
                placed: false,
            }),
            Event::SequenceStart(..) => self.stack.push(Frame::Sequence {
                path: path.clone(),
                next_index: 0,
            }),
            _ => {}
        }
        self.index.at.entry(at).or_insert((path, found));
    }

    /// What kind of value an event starts.
    fn found(event: &Event<'_>, empty: bool) -> Found {
        match event {
            Event::Scalar(..) if empty => Found::Scalar {
                text: String::new(),
                plain: true,
            },
            Event::Scalar(text, style, ..) => Found::Scalar {
                text: text.to_string(),
                plain: *style == ScalarStyle::Plain,
            },
            Event::MappingStart(..) => Found::Fields,
            Event::SequenceStart(..) => Found::List,
            _ => Found::Alias,
        }
    }

    /// Works out the path of a value about to start, or records a mapping key and returns None.
    fn place_value(&mut self, event: &Event<'_>, at: Position, empty: bool) -> Option<YamlPath> {
        match self.stack.last_mut() {
            None => Some(YamlPath::root()),
            Some(Frame::Key) => None,
            Some(Frame::Sequence { path, next_index }) => {
                let child = path.index(*next_index);
                *next_index += 1;
                Some(child)
            }
            Some(Frame::Mapping {
                path, key, placed, ..
            }) => match key.take() {
                Some(k) => {
                    let child = path.key(&k);
                    // An empty value (`start:` and nothing after) has no text to point at;
                    // its key is the place.
                    if empty && let Some(key_at) = self.index.keys.get(&child) {
                        self.index.values.entry(child.clone()).or_insert(*key_at);
                    }
                    Some(child)
                }
                None => {
                    // A key. Complex keys (mappings as keys) are not part of the format; name them oddly.
                    let name = match event {
                        Event::Scalar(text, ..) => text.to_string(),
                        _ => "?".to_string(),
                    };
                    let key_path = path.key(&name);
                    if !std::mem::replace(placed, true) {
                        self.index.values.insert(path.clone(), at);
                    }
                    *key = Some(name);
                    self.index.key_at.insert(at, key_path.clone());
                    match self.index.keys.entry(key_path) {
                        Entry::Occupied(first) => {
                            self.index
                                .repeated_keys
                                .entry(first.key().clone())
                                .or_insert(at);
                        }
                        Entry::Vacant(slot) => {
                            slot.insert(at);
                        }
                    }
                    None
                }
            },
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
    fn tells_what_starts_where() {
        let index = PositionIndex::build(TEXT);
        let (path, found) = index
            .found_at(Position {
                line: 4,
                column: 11,
            })
            .expect("a value");
        assert_eq!(path.as_str(), "nodes[0].next");
        assert_eq!(
            found,
            &Found::Scalar {
                text: "b".into(),
                plain: true
            }
        );
        assert_eq!(
            index
                .key_at(Position { line: 4, column: 5 })
                .map(YamlPath::as_str),
            Some("nodes[0].next")
        );
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
