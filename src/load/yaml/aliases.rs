//! Guards against "billion laughs": aliases (`*name`) nested so that, expanded, they
//! would need more memory than any machine has. Their expanded size is measured from
//! the parser's events before the file is deserialised, without expanding anything.

use std::collections::HashMap;
use std::path::Path;

use serde_saphyr::granit_parser::{Event, Parser};

use super::limits::MAX_ALIAS_EXPANSION;
use super::locate::position;
use crate::diagnostics::{Diagnostic, Position};

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

/// The hint for every diagnostic about aliases.
pub const ALIAS_HINT: &str =
    "do not use anchors (&name) and aliases (*name) to repeat large blocks: write the text out";

/// Refuses text whose aliases would expand to more data than any procedure holds. Text the
/// parser cannot follow is let through: the reader then reports its syntax error.
pub fn check_aliases(file: &Path, text: &str) -> Result<(), Diagnostic> {
    if !(may_start_node(text, '&') && may_start_node(text, '*')) {
        return Ok(());
    }
    match alias_expansion(text, MAX_ALIAS_EXPANSION) {
        AliasExpansion::TooMuch(at) => Err(Diagnostic::error(
            file,
            "the YAML's aliases (*name) expand to too much data",
        )
        .at(at, text)
        .with_hint(ALIAS_HINT)),
        AliasExpansion::Fine | AliasExpansion::Unknown => Ok(()),
    }
}

/// Whether `indicator` (`&` for an anchor, `*` for an alias) appears where it could start a
/// YAML node: after a space or bracket, with a name straight after it. "Fire & Rescue" does not.
fn may_start_node(text: &str, indicator: char) -> bool {
    // A line break before the indicator counts as the start of a line; a line
    // break after it is whitespace, like the end of the text. Searching for the
    // indicator (not walking every character) keeps this cheap on large sites.
    text.match_indices(indicator).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + indicator.len_utf8()..].chars().next();
        after.is_some_and(|n| !n.is_whitespace())
            && matches!(before, None | Some('\n' | ' ' | '\t' | '[' | '{' | ','))
    })
}

/// Measures how much data the aliases (`*name`) in `text` would add when each is replaced by
/// its anchored value (`&name`), counting a value as its text plus a fixed cost per item, and
/// says where the total first passes `limit` bytes.
pub fn alias_expansion(text: &str, limit: u64) -> AliasExpansion {
    let mut meter = AliasMeter {
        limit,
        ..AliasMeter::default()
    };
    let mut parser = Parser::new_from_str_with_options(text, super::limits::parser());
    while let Some(next) = parser.next_event() {
        let Ok((event, span)) = next else {
            return AliasExpansion::Unknown;
        };
        meter.on_event(&event);
        if meter.added > meter.limit {
            return AliasExpansion::TooMuch(position(&span.start));
        }
    }
    AliasExpansion::Fine
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
}

impl AliasMeter {
    fn add(&mut self, size: u64) {
        if let Some((_, total)) = self.open.last_mut() {
            *total = total.saturating_add(size);
        }
    }

    fn on_event(&mut self, event: &Event<'_>) {
        match event {
            Event::Scalar(text, _, anchor, _) => {
                let size = ITEM_COST.saturating_add(text.len() as u64);
                if *anchor > 0 {
                    self.anchors.insert(*anchor, size);
                }
                self.add(size);
            }
            Event::SequenceStart(_, anchor, _) | Event::MappingStart(_, anchor, _) => {
                self.open.push((*anchor, ITEM_COST));
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
                let size = self.anchors.get(anchor).copied().unwrap_or(ITEM_COST);
                self.added = self.added.saturating_add(size);
                self.add(size);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spots_anchors_and_aliases_but_not_ampersands() {
        assert!(may_start_node("a: &x 1", '&'));
        assert!(may_start_node("b: [*x]", '*'));
        assert!(!may_start_node("org: Fire & Rescue, R&D", '&'));
        assert!(may_start_node("a: 1\n&x 2", '&'));
        assert!(!may_start_node("a: R &\r\nb: &\n", '&'));
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
}
