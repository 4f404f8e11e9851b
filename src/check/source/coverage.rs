//! Coverage: how many of the published text's sentences the procedure file
//! quotes word for word.
//!
//! A sentence ends at a full stop, question or exclamation mark followed by a
//! word that starts with a capital or a digit, or where a blank line or a list
//! marker comes. It counts as quoted when every one of its words lies in a
//! passage that some verbatim field was found at.

use super::normalise::Words;
use super::quotes::Span;

/// How much of a published text a procedure quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Coverage {
    /// The text's sentences.
    pub sentences: usize,
    /// Those quoted word for word.
    pub quoted: usize,
}

impl Coverage {
    /// The share quoted, in whole percent (rounded down, so 100 means all).
    pub fn percent(&self) -> usize {
        (self.quoted * 100).checked_div(self.sentences).unwrap_or(0)
    }
}

/// The coverage of `text` by the quotes found at `spans`.
pub fn coverage(text: &Words, spans: &[Span]) -> Coverage {
    // How many spans open and close at each word, then a running count: linear.
    let count = text.words.len();
    let mut opens = vec![0i64; count + 1];
    for span in spans {
        opens[span.first] += 1;
        opens[span.last + 1] -= 1;
    }
    let mut depth = 0;
    let mut inside = Vec::with_capacity(count);
    for &change in &opens[..count] {
        depth += change;
        inside.push(depth > 0);
    }
    let mut result = Coverage::default();
    let mut sentence = Sentence::default();
    for (i, &quoted) in inside.iter().enumerate() {
        if text.words[i].breaks_before {
            sentence.close(&mut result);
        }
        sentence.add(text.word(i), quoted);
        let ends = matches!(text.word(i), "." | "?" | "!")
            && (i + 1 == count
                || text
                    .word(i + 1)
                    .starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()));
        if ends {
            sentence.close(&mut result);
        }
    }
    sentence.close(&mut result);
    result
}

/// The sentence being read.
#[derive(Default)]
struct Sentence {
    has_words: bool,
    all_quoted: bool,
    started: bool,
}

impl Sentence {
    fn add(&mut self, word: &str, quoted: bool) {
        if !self.started {
            self.started = true;
            self.all_quoted = true;
        }
        self.has_words |= word.chars().any(char::is_alphanumeric);
        self.all_quoted &= quoted;
    }

    fn close(&mut self, result: &mut Coverage) {
        if self.has_words {
            result.sentences += 1;
            result.quoted += usize::from(self.all_quoted);
        }
        *self = Sentence::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::source::quotes::find_all;

    fn covered(text: &str, quotes: &[&str]) -> Coverage {
        let words = Words::of(text, 0);
        let spans: Vec<Span> = quotes
            .iter()
            .flat_map(|q| find_all(&words, &Words::of(q, 0)))
            .collect();
        coverage(&words, &spans)
    }

    #[test]
    fn counts_the_sentences_quoted_whole() {
        let text = "Stage 1\n\nPartners meet, e.g. at a café. They agree. 2 weeks later\nthey report.\n\n• A list item";
        assert_eq!(
            covered(text, &[]),
            Coverage {
                sentences: 5,
                quoted: 0
            },
            "Stage 1 / Partners meet... / They agree. / 2 weeks later they report. / A list item"
        );
        let quoted = covered(
            text,
            &["Partners meet, e.g. at a café. They agree.", "they report"],
        );
        assert_eq!(
            quoted,
            Coverage {
                sentences: 5,
                quoted: 2
            }
        );
        assert_eq!(quoted.percent(), 40);
        assert_eq!(covered(text, &["A list item", "Stage 1"]).quoted, 2);
    }
}
