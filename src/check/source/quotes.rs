//! Finding quotes in the published text, and, for one that is not there, the
//! nearest passage and the first word that differs.
//!
//! A quote is found by one substring search over the text's words
//! ([`super::normalise`]), so each costs time linear in the text. The nearest
//! passage is the longest beginning (or end) of the quote that the text has,
//! found by halving: a few more searches, never a comparison of every pair.

use memchr::memmem;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::normalise::Words;
use crate::model::verbatim::Form;

/// The passages of a verbatim field to look for: the field itself, or, for
/// Markdown, each paragraph, list item, heading and table cell as plain text.
pub fn passages(text: &str, form: Form) -> Vec<String> {
    match form {
        Form::Plain => vec![text.to_string()],
        Form::Markdown => markdown_blocks(text),
    }
}

fn markdown_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current = String::new();
    let mut flush = |current: &mut String| {
        if !current.trim().is_empty() {
            blocks.push(std::mem::take(current));
        }
        current.clear();
    };
    for event in Parser::new(markdown) {
        match event {
            Event::Start(
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::Item
                | Tag::TableCell
                | Tag::CodeBlock(_),
            )
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock,
            ) => flush(&mut current),
            Event::Text(text) | Event::Code(text) => current.push_str(&text),
            Event::SoftBreak | Event::HardBreak => current.push(' '),
            _ => {}
        }
    }
    flush(&mut current);
    blocks
}

/// Where a quote's words are in the text: word `first` to word `last`, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub first: usize,
    pub last: usize,
}

/// Every place the words of `quote` stand in `text`.
pub fn find_all(text: &Words, quote: &Words) -> Vec<Span> {
    let count = quote.words.len();
    if count == 0 {
        return Vec::new();
    }
    let needle = quote.needle(0, count);
    let mut spans = spans_of(text, needle, count);
    if spans.is_empty() {
        // A quote that starts a list item or a sentence of its own may capitalise the first
        // word of a published sentence that runs on ("differences occurring ..."), or not.
        if let Some(other) = first_letter_case_swapped(needle) {
            spans = spans_of(text, &other, count);
        }
    }
    spans
}

fn spans_of(text: &Words, needle: &str, count: usize) -> Vec<Span> {
    memmem::find_iter(text.joined.as_bytes(), needle.as_bytes())
        .filter_map(|at| text.word_at(at + 1))
        .map(|first| Span {
            first,
            last: first + count - 1,
        })
        .collect()
}

/// `needle` (which starts with a space) with its first letter in the other case, if it has one.
fn first_letter_case_swapped(needle: &str) -> Option<String> {
    let first = needle[1..].chars().next()?;
    let swapped: String = if first.is_uppercase() {
        first.to_lowercase().collect()
    } else if first.is_lowercase() {
        first.to_uppercase().collect()
    } else {
        return None;
    };
    Some(format!(" {swapped}{}", &needle[1 + first.len_utf8()..]))
}

/// Where a quote that is not in the text comes closest, and how it differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nearest {
    /// The word of the text where the passage starts.
    pub passage: usize,
    /// The word of the text that differs, if the text has one there.
    pub text_word: Option<usize>,
    /// The word of the quote that differs.
    pub quote_word: usize,
}

/// The nearest passage to `quote` in `text`: where the longest beginning of the quote
/// stands, or, if a longer end of it stands somewhere, there.
pub fn nearest(text: &Words, quote: &Words) -> Option<Nearest> {
    let count = quote.words.len();
    let found = |from: usize, to: usize| {
        memmem::find(text.joined.as_bytes(), quote.needle(from, to).as_bytes())
            .and_then(|at| text.word_at(at + 1))
    };
    // The longest beginning that stands in the text: whether one of length n does
    // only turns from yes to no as n grows, so halving finds it.
    let head = longest(count, |n| found(0, n).is_some());
    let tail = longest(count, |n| found(count - n, count).is_some());
    if head == 0 && tail == 0 {
        return None;
    }
    if head >= tail {
        let passage = found(0, head)?;
        let differs = passage + head;
        Some(Nearest {
            passage,
            text_word: (differs < text.words.len()).then_some(differs),
            quote_word: head,
        })
    } else {
        let tail_start = found(count - tail, count)?;
        let quote_word = count - tail - 1;
        Some(Nearest {
            passage: tail_start.saturating_sub(quote_word + 1),
            text_word: tail_start.checked_sub(1),
            quote_word,
        })
    }
}

/// The largest n in `0..max` for which `holds(n)`, when it holds for every smaller n.
fn longest(max: usize, holds: impl Fn(usize) -> bool) -> usize {
    let (mut yes, mut no) = (0, max);
    while yes + 1 < no {
        let mid = yes + (no - yes) / 2;
        if holds(mid) {
            yes = mid;
        } else {
            no = mid;
        }
    }
    yes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Words {
        Words::of(text, 0)
    }

    #[test]
    fn markdown_is_quoted_without_its_syntax() {
        let body = "In the spirit of *partnership* working:\n\n- Effectively\n- At the **lowest** possible level\n\nSee [the Compact](https://example.org).";
        assert_eq!(
            passages(body, Form::Markdown),
            [
                "In the spirit of partnership working:",
                "Effectively",
                "At the lowest possible level",
                "See the Compact."
            ]
        );
    }

    #[test]
    fn finds_every_place_a_quote_stands() {
        let text = words("The panel meets. Then the panel meets again.");
        let quote = words("the panel meets");
        assert_eq!(find_all(&text, &quote), [Span { first: 5, last: 7 }]);
        assert_eq!(find_all(&text, &words("panel")).len(), 2);
        assert!(find_all(&text, &words("pan")).is_empty(), "words are whole");
    }

    #[test]
    fn a_quote_may_capitalise_the_first_word_of_a_running_sentence() {
        let text = words("It deals with differences occurring between organisations.");
        assert_eq!(
            find_all(&text, &words("Differences occurring between")).len(),
            1
        );
        assert!(find_all(&text, &words("Differences Occurring between")).is_empty());
        assert_eq!(find_all(&text, &words("it deals with")).len(), 1);
    }

    #[test]
    fn the_nearest_passage_shows_the_first_word_that_differs() {
        let text = words("Intro. A meeting should be held within 28 working days of the issue.");
        let quote = words("A meeting will be held within 28 working days");
        let near = nearest(&text, &quote).expect("a passage");
        assert_eq!(text.word(near.passage), "A");
        assert_eq!(quote.word(near.quote_word), "will");
        assert_eq!(near.text_word.map(|w| text.word(w)), Some("should"));
    }

    #[test]
    fn a_quote_that_differs_at_its_start_is_placed_by_its_end() {
        let text = words("Intro. A meeting should be held within 28 working days of the issue.");
        let quote = words("One meeting should be held within 28 working days");
        let near = nearest(&text, &quote).expect("a passage");
        assert_eq!(quote.word(near.quote_word), "One");
        assert_eq!(near.text_word.map(|w| text.word(w)), Some("A"));
        assert_eq!(text.word(near.passage), "A");
    }

    #[test]
    fn a_quote_like_nothing_in_the_text_has_no_nearest_passage() {
        let text = words("The panel meets.");
        assert_eq!(nearest(&text, &words("Quite different words")), None);
    }
}
