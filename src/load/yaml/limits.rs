//! The limits every YAML file is read within, so that any file up to the size cap is read
//! or refused in time linear in its size, whatever it holds.

use serde_saphyr::granit_parser;

/// How deeply lists and sets of fields may nest. A procedure nests six levels at most
/// (nodes, a node, its deadlines, a deadline, ...); a runaway file nests thousands, and
/// nesting is what makes readers slow or overflow their stack.
pub const MAX_DEPTH: usize = 64;

/// How much data aliases (`*name`) may add to a file when expanded, in bytes.
pub const MAX_ALIAS_EXPANSION: u64 = 16 * 1024 * 1024;

/// How long a key written without `?` may be, in characters (YAML's own limit).
const MAX_KEY_CHARS: usize = 1024;

/// The options of the site's YAML reader: the budget, and the few choices that keep the
/// values the site has always read.
pub fn reader() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.flow_nesting_limit = MAX_DEPTH;
    budget.simple_key_max_lookahead = MAX_KEY_CHARS;
    serde_saphyr::options! {
        budget: Some(budget),
        // A field written empty (`start:`) reads as empty text, as it always has;
        // `check` then says what is missing.
        null_as_string: true,
        // `<<: *name` is an unknown field, as it always was: merge keys are YAML 1.1, and
        // a procedure is easier to follow with its fields written out.
        merge_keys: serde_saphyr::MergeKeyPolicy::AsOrdinary,
        // Errors are explained in the site's own words, with its own quoting of the line.
        with_snippet: false,
    }
}

/// The options of the event parser that finds positions and measures aliases: the same
/// nesting limits as the reader's, so both stop at the same place.
pub fn parser() -> granit_parser::Options {
    granit_parser::options! {
        flow_nesting_limit: MAX_DEPTH,
        block_nesting_limit: MAX_DEPTH + 1,
        simple_key_max_lookahead: MAX_KEY_CHARS,
        emit_comments: false,
    }
}
