//! Finds where a value sits in a YAML file, by its path (`nodes[2].next`).
//!
//! serde gives us typed values but forgets where they came from. Checks that
//! run after deserialising (a dangling `next`, a cycle, a failing route test)
//! name the offending value by its path, and this index, built from the same
//! text by a second, position-keeping parser, turns the path into a line and
//! column. It is only built for files that have something to report, so a
//! clean build never pays for it.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

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
            YamlPath(key.to_string())
        } else {
            YamlPath(format!("{}.{key}", self.0))
        }
    }

    /// Item `index` of this sequence.
    pub fn index(&self, index: usize) -> Self {
        YamlPath(format!("{}[{index}]", self.0))
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
}

impl PositionIndex {
    /// Indexes `text`. Text that does not parse yields what was indexed before the fault.
    pub fn build(text: &str) -> Self {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        // A parse error here was already reported by the deserialiser; keep what we have.
        let _ = parser.load(&mut builder, false);
        builder.index
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
                Some(k) => Some(path.key(&k)),
                None => {
                    // A key. Complex keys (mappings as keys) are not part of the format; name them oddly.
                    let name = match event {
                        Event::Scalar(text, ..) => text.clone(),
                        _ => "?".to_string(),
                    };
                    self.index
                        .keys
                        .entry(path.key(&name))
                        .or_insert(position(mark));
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
            Event::DocumentStart => self.documents += 1,
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
    fn survives_broken_text() {
        let index = PositionIndex::build("a: [1, 2\nb: {");
        assert_eq!(
            index.value(&YamlPath::root().key("zzz")),
            Position { line: 1, column: 1 }
        );
    }
}
