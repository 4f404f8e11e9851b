//! Text as words, for comparing a quote with the published text.
//!
//! Two texts that differ only in whitespace and line breaks, curly or straight
//! quotes, the kind of dash, or list markers at the start of a line are the
//! same words here. A word is a run of letters and digits, or one punctuation
//! mark, so `2–4` and `2 - 4` are both `2 - 4`. The words are joined by single
//! spaces into one string with a space at each end, so that a quote is found
//! in a text by a plain substring search that starts and ends on word bounds.

use std::sync::LazyLock;

use regex::Regex;

/// A list marker at the start of a line: a bullet, a dash, `1.`, `1.2`, `a)`, `(iv)`.
static LIST_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[ \t]*(?:[•◦▪‣∙·*\-–—]|\(?(?:[0-9]+(?:\.[0-9]+)+\.?|[0-9]+[.)]|[a-zA-Z][.)]|[ivxIVX]{1,4}[.)])|\((?:[a-zA-Z]{1,4}|[0-9]{1,3})\))[ \t]+",
    )
    .unwrap_or_else(|_| unreachable!("the list marker pattern is valid"))
});

/// One word of a text.
#[derive(Debug, Clone, Copy)]
pub struct Word {
    /// Where it starts in [`Words::joined`].
    pub at: usize,
    /// Where it starts and ends in the original text (bytes).
    pub start: usize,
    pub end: usize,
    /// Whether a blank line or a list marker comes before it: a sentence cannot run on across it.
    pub breaks_before: bool,
}

/// A text as words.
#[derive(Debug, Default)]
pub struct Words {
    /// The words, each followed by a space, after a leading space: ` a b c `.
    pub joined: String,
    /// Each word, in order.
    pub words: Vec<Word>,
}

impl Words {
    /// The words of `text`, which starts at byte `offset` of the text positions refer to.
    pub fn of(text: &str, offset: usize) -> Words {
        let mut out = Words {
            joined: String::with_capacity(text.len() + 2),
            words: Vec::new(),
        };
        out.joined.push(' ');
        let mut line_start = 0;
        let mut blank_lines = false;
        for line in text.split_inclusive('\n') {
            let skip = LIST_MARKER.find(line).map_or(0, |m| m.end());
            let is_blank = line.trim().is_empty();
            let mut first = true;
            out.push_line(&line[skip..], offset + line_start + skip, |word| {
                let breaks = first && (skip > 0 || blank_lines);
                first = false;
                word.breaks_before = breaks;
            });
            if is_blank {
                blank_lines = true;
            } else if !first {
                blank_lines = false;
            }
            line_start += line.len();
        }
        out
    }

    /// The words of the Markdown `text`, which starts at byte `offset`: what it reads
    /// as, without its emphasis, link and heading syntax. A word's place is that of
    /// its text in the file (or of the start of its text, where an escape or an
    /// entity makes the two differ in length).
    pub fn of_markdown(text: &str, offset: usize) -> Words {
        use pulldown_cmark::{Event, Parser, Tag};
        let mut out = Words {
            joined: String::with_capacity(text.len() + 2),
            words: Vec::new(),
        };
        out.joined.push(' ');
        let mut block_start = true;
        for (event, range) in Parser::new(text).into_offset_iter() {
            let piece = match event {
                Event::Text(piece) | Event::Code(piece) => piece,
                Event::Start(
                    Tag::Paragraph
                    | Tag::Heading { .. }
                    | Tag::Item
                    | Tag::TableCell
                    | Tag::CodeBlock(_),
                ) => {
                    block_start = true;
                    continue;
                }
                _ => continue,
            };
            let skip = if block_start {
                LIST_MARKER.find(&piece).map_or(0, |m| m.end())
            } else {
                0
            };
            let exact = piece.len() == range.len();
            let mut first = true;
            let starts_block = block_start;
            let before = out.words.len();
            out.push_line(&piece[skip..], 0, |word| {
                word.breaks_before = first && starts_block;
                first = false;
            });
            for word in &mut out.words[before..] {
                let (start, end) = if exact {
                    (word.start + skip, word.end + skip)
                } else {
                    (0, range.len())
                };
                word.start = offset + range.start + start;
                word.end = offset + range.start + end;
            }
            if out.words.len() > before {
                block_start = false;
            }
        }
        out
    }

    /// Adds the words of one line, calling `mark` on each new word.
    fn push_line(&mut self, line: &str, offset: usize, mut mark: impl FnMut(&mut Word)) {
        let mut chars = line.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c.is_whitespace() {
                continue;
            }
            let mut word = Word {
                at: self.joined.len(),
                start: offset + i,
                end: offset + i + c.len_utf8(),
                breaks_before: false,
            };
            if c.is_alphanumeric() {
                self.joined.push(c);
                while let Some(&(j, next)) = chars.peek() {
                    if !next.is_alphanumeric() {
                        break;
                    }
                    self.joined.push(next);
                    word.end = offset + j + next.len_utf8();
                    chars.next();
                }
            } else {
                self.joined.push_str(&same_mark(c));
            }
            self.joined.push(' ');
            mark(&mut word);
            self.words.push(word);
        }
    }

    /// The word that starts at byte `at` of [`Words::joined`], if one does.
    pub fn word_at(&self, at: usize) -> Option<usize> {
        self.words.binary_search_by_key(&at, |w| w.at).ok()
    }

    /// Word `i` as it reads after normalising.
    pub fn word(&self, i: usize) -> &str {
        let start = self.words[i].at;
        let end = self.joined[start..]
            .find(' ')
            .map_or(self.joined.len(), |e| start + e);
        &self.joined[start..end]
    }

    /// Words `from..to` joined, with a space at each end: what to search for.
    pub fn needle(&self, from: usize, to: usize) -> &str {
        if from >= to {
            return "";
        }
        let start = self.words[from].at - 1;
        let end = self.words.get(to).map_or(self.joined.len(), |w| w.at);
        &self.joined[start..end]
    }
}

/// The punctuation mark `c` stands for: one kind of quote, one kind of dash.
fn same_mark(c: char) -> String {
    match c {
        '‘' | '’' | '‚' | '‛' | '′' | '`' | '´' => "'".into(),
        '“' | '”' | '„' | '‟' | '″' => "\"".into(),
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | '﹘' | '﹣' | '－' => "-".into(),
        '…' => ". . .".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(text: &str) -> String {
        Words::of(text, 0).joined
    }

    #[test]
    fn spacing_quotes_dashes_and_line_breaks_do_not_matter() {
        assert_eq!(
            joined("within 2 – 4 weeks of “the\n  letter’s” date"),
            joined("within 2-4 weeks of \"the letter's\" date")
        );
        assert_eq!(joined("within 2 – 4 weeks"), " within 2 - 4 weeks ");
    }

    #[test]
    fn list_markers_at_a_line_start_are_not_words() {
        let text = "To provide:\n\n• A clear process\n1.2 The panel meets\n(a) once\n- twice\nwithin\n28 days";
        assert_eq!(
            joined(text),
            " To provide : A clear process The panel meets once twice within 28 days "
        );
        let words = Words::of(text, 0);
        let breaks: Vec<&str> = (0..words.words.len())
            .filter(|&i| words.words[i].breaks_before)
            .map(|i| words.word(i))
            .collect();
        assert_eq!(breaks, ["A", "The", "once", "twice"]);
    }

    #[test]
    fn markdown_reads_as_its_words_in_place() {
        let text = "## **Stage 1**\n\n- 1.4 Tell the working group\\* of the [form](http://example.org).\n";
        let words = Words::of_markdown(text, 5);
        assert_eq!(
            words.joined,
            " Stage 1 Tell the working group * of the form . "
        );
        let tell = &words.words[2];
        assert_eq!(
            (tell.start, tell.end, tell.breaks_before),
            (5 + 22, 5 + 26, true)
        );
        assert_eq!(&text[tell.start - 5..tell.end - 5], "Tell");
    }

    #[test]
    fn words_keep_their_place_in_the_original() {
        let words = Words::of("ab  “cd”", 10);
        let spans: Vec<(usize, usize)> = words.words.iter().map(|w| (w.start, w.end)).collect();
        assert_eq!(spans, [(10, 12), (14, 17), (17, 19), (19, 22)]);
        assert_eq!(words.needle(1, 3), " \" cd ");
    }
}
