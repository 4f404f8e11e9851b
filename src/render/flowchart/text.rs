//! Text measurement without a font engine: a generous per-character width estimate,
//! and line wrapping by it.
//!
//! The estimate assumes the sizes [`FONT_SIZE`] and [`LABEL_FONT_SIZE`]; the
//! stylesheet must use those sizes, or text may overflow its shape.

/// Font size, in pixels, that node text is measured for; the stylesheet must match it.
pub const FONT_SIZE: f64 = 14.0;
/// Distance between the baselines of two lines of node text, in pixels.
pub const LINE_HEIGHT: f64 = 18.0;
/// Font size, in pixels, that edge labels are measured for; the stylesheet must match it.
pub const LABEL_FONT_SIZE: f64 = 13.0;
/// Distance between the baselines of two lines of an edge label, in pixels.
pub const LABEL_LINE_HEIGHT: f64 = 16.0;

/// Scale of bold text against regular text of the same size.
const BOLD_FACTOR: f64 = 1.1;

/// Estimated width of `text` in pixels at `font_size`.
///
/// Errs on the wide side for common sans-serif fonts (it follows DejaVu Sans, one of
/// the widest), so that text laid out with it does not overflow with real fonts.
pub fn estimate_text_width(text: &str, font_size: f64, bold: bool) -> f64 {
    let em: f64 = text.chars().map(char_em).sum();
    em * font_size * if bold { BOLD_FACTOR } else { 1.0 }
}

/// Splits `text` into lines no wider than `max_width` by [`estimate_text_width`].
///
/// Breaks at whitespace; a word too long for a line on its own is broken between
/// characters. Control characters are dropped.
pub fn wrap_text(text: &str, max_width: f64, font_size: f64, bold: bool) -> Vec<String> {
    let scale = font_size * if bold { BOLD_FACTOR } else { 1.0 };
    let space_width = char_em(' ') * scale;
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_width = 0.0;
    for word in text.split_whitespace() {
        let word_width: f64 = word.chars().map(|c| char_em(c) * scale).sum();
        if word_width <= max_width {
            if line.is_empty() {
                push_visible(&mut line, word);
                line_width = word_width;
            } else if line_width + space_width + word_width <= max_width {
                line.push(' ');
                push_visible(&mut line, word);
                // Summed exactly as compared, so a width measured here fits again.
                line_width = line_width + space_width + word_width;
            } else {
                lines.push(std::mem::take(&mut line));
                push_visible(&mut line, word);
                line_width = word_width;
            }
            continue;
        }
        // Too long for any line: start it on a fresh line and cut it where it overflows.
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        line_width = 0.0;
        for c in word.chars().filter(|c| !c.is_control()) {
            let char_width = char_em(c) * scale;
            if line_width + char_width > max_width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            line.push(c);
            line_width += char_width;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Like [`wrap_text`], but with the narrowest width that needs no more lines, so the
/// lines come out of even length instead of a long line followed by a stub.
pub(super) fn wrap_balanced(text: &str, max_width: f64, font_size: f64, bold: bool) -> Vec<String> {
    let scale = font_size * if bold { BOLD_FACTOR } else { 1.0 };
    let space_width = char_em(' ') * scale;
    // Word widths summed exactly as wrap_text sums them, so that the line counts
    // found here are the ones it produces.
    let word_widths: Vec<f64> = text
        .split_whitespace()
        .map(|w| w.chars().map(|c| char_em(c) * scale).sum())
        .collect();
    let widest_word = word_widths.iter().copied().fold(0.0, f64::max);
    // Greedy breaking (as in wrap_text): number of lines and the widest line.
    // A line width below zero means no line has been started yet.
    let fill = |limit: f64| {
        let (mut line_count, mut widest, mut line_width) = (0usize, 0.0f64, -1.0f64);
        for &word_width in &word_widths {
            if line_width >= 0.0 && line_width + space_width + word_width <= limit {
                line_width = line_width + space_width + word_width;
            } else {
                if line_width >= 0.0 {
                    widest = widest.max(line_width);
                }
                line_count += 1;
                line_width = word_width;
            }
        }
        (line_count, widest.max(line_width))
    };
    if widest_word > max_width {
        // Some word is cut between characters; balancing would move the cuts around.
        return wrap_text(text, max_width, font_size, bold);
    }
    let (line_count, widest) = fill(max_width);
    if line_count < 2 {
        return wrap_text(text, max_width, font_size, bold);
    }
    // Bisect the width: too narrow needs more lines, `wide_enough` never does.
    let (mut too_narrow, mut wide_enough) = (widest_word.max(widest / line_count as f64), widest);
    // Greedy breaking needs the fewest lines for a width, so every width found here
    // keeps the line count; a few halvings get within a pixel or two.
    for _ in 0..8 {
        let mid = (too_narrow + wide_enough) / 2.0;
        let (lines_at_mid, widest_at_mid) = fill(mid);
        if lines_at_mid <= line_count {
            wide_enough = widest_at_mid.min(mid);
        } else {
            too_narrow = mid;
        }
    }
    wrap_text(text, wide_enough, font_size, bold)
}

/// Appends `word` without its control characters, which no font draws.
fn push_visible(out: &mut String, word: &str) {
    out.extend(word.chars().filter(|c| !c.is_control()));
}

/// Advance width of a character in ems, rounded up from DejaVu Sans.
fn char_em(c: char) -> f64 {
    match c {
        c if c.is_control() => 0.0,
        ' ' => 0.32,
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' => 0.32,
        'f' | 't' | 'r' | 'I' | 'J' | '(' | ')' | '[' | ']' | '{' | '}' | '/' | '\\' | '-'
        | '"' | '`' => 0.44,
        'm' | 'w' | 'M' | 'W' | '@' | '%' | '&' => 1.0,
        'A'..='Z' => 0.78,
        'a'..='z' | '0'..='9' => 0.66,
        c if c.is_ascii() => 0.84,
        c if is_wide(c) => 1.05,
        _ => 0.8,
    }
}

/// East Asian wide and emoji ranges, which take a full em or more.
fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD)
}
