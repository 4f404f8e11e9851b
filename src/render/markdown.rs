//! Markdown to safe HTML.
//!
//! Text from YAML and content pages is rendered with pulldown-cmark (tables,
//! footnotes, strikethrough, heading anchors). Links with schemes other than
//! web, mail and phone are dropped as the events stream past, images from
//! anywhere but the site itself become their alt text (so a page makes no
//! third-party request), and when the
//! Markdown carries raw HTML the whole result goes through ammonia, so that
//! scripts, event handlers and `javascript:` links never reach a page. Plain
//! Markdown, the common case, skips ammonia's extra parse.

use std::collections::HashMap;
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use crate::model::slug;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Whether a link or image address is safe to publish: relative, or web, mail or phone.
pub fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.find(':') {
        None => true,
        Some(colon) => {
            let before = &lower[..colon];
            // A colon after a slash, ? or # is part of a relative path, not a scheme.
            before.contains(['/', '?', '#'])
                || matches!(before, "http" | "https" | "mailto" | "tel")
        }
    }
}

/// Renders a block of Markdown (paragraphs, lists, tables) to safe HTML.
/// Headings are shifted so the highest one is at least `top_level` (2 for `<h2>`),
/// so that Markdown's own headings sit below the headings of the page around them.
pub fn block(markdown: &str, top_level: u8) -> String {
    // Finding the highest heading takes a parse of its own; most texts cannot have one.
    let highest = if may_have_heading(markdown) {
        Parser::new_ext(markdown, options())
            .filter_map(|e| match e {
                Event::Start(Tag::Heading { level, .. }) => Some(level as u8),
                _ => None,
            })
            .min()
            .unwrap_or(top_level)
    } else {
        top_level
    };
    let heading_offset = top_level.saturating_sub(highest);
    let mut has_raw_html = false;
    let mut used_ids: HashMap<String, usize> = HashMap::new();
    let mut events: Vec<Event> = Vec::new();
    let mut heading: Option<(usize, HeadingLevel)> = None;
    // For each image open, whether it was dropped (its alt text stays, as text).
    let mut images: Vec<bool> = Vec::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                let off_site = !is_same_site_image(dest_url);
                images.push(off_site);
                if !off_site {
                    events.push(event);
                }
            }
            Event::End(TagEnd::Image) => {
                if !images.pop().unwrap_or(false) {
                    events.push(event);
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                has_raw_html = true;
                events.push(event);
            }
            mut event @ Event::Start(Tag::Link { .. }) => {
                drop_unsafe_address(&mut event);
                events.push(event);
            }
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                let level = demote(level, heading_offset);
                heading = Some((events.len(), level));
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: None,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((start, level)) = heading.take() {
                    let text = plain_text(&events[start + 1..]);
                    let id = unique_id(&slug(&text), &mut used_ids);
                    if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[start] {
                        *slot = Some(CowStr::from(id));
                    }
                    events.push(Event::End(TagEnd::Heading(level)));
                }
            }
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    if has_raw_html {
        sanitizer().clean(&out).to_string()
    } else {
        out
    }
}

/// Whether `markdown` may hold a heading: an ATX heading needs a `#`, and a setext
/// heading a line of only `=` or only `-` under its text. False only when it cannot.
fn may_have_heading(markdown: &str) -> bool {
    markdown.contains('#')
        || markdown.lines().any(|line| {
            let line = line.trim();
            !line.is_empty() && (line.bytes().all(|b| b == b'=') || line.bytes().all(|b| b == b'-'))
        })
}

/// Empties a link's address unless it is safe.
fn drop_unsafe_address(event: &mut Event) {
    if let Event::Start(Tag::Link { dest_url, .. }) = event
        && !is_safe_url(dest_url)
    {
        *dest_url = CowStr::Borrowed("");
    }
}

/// Whether an image address points into the site itself: a relative or root-relative
/// path, with no scheme (`https:`, `data:`), no host (`//host/…`, which browsers also
/// read in `\\host`, `/\host` and `\/host`), and no backslash or control character,
/// so that pages make no third-party requests. Other images are dropped, leaving their
/// alt text.
pub fn is_same_site_image(url: &str) -> bool {
    let url = url.trim_start_matches(|c: char| c.is_ascii_whitespace() || c.is_control());
    let path_end = url.find(['?', '#']).unwrap_or(url.len());
    let before_slash = url.find('/').unwrap_or(url.len()).min(path_end);
    !url.is_empty()
        && !url[..before_slash].contains(':')
        && !url.contains('\\')
        && !url.starts_with("//")
        && !url.chars().any(char::is_control)
}

/// Renders a short piece of Markdown (a step, a list item) without the wrapping paragraph.
pub fn inline(markdown: &str) -> String {
    let html = block(markdown, 1);
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|rest| rest.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => html,
    }
}

fn demote(level: HeadingLevel, by: u8) -> HeadingLevel {
    let n = (level as u8).saturating_add(by).min(6);
    match n {
        1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

fn plain_text(events: &[Event]) -> String {
    let mut text = String::new();
    for e in events {
        if let Event::Text(t) | Event::Code(t) = e {
            text.push_str(t);
        }
    }
    text
}

fn unique_id(base: &str, used: &mut HashMap<String, usize>) -> String {
    let base = if base.is_empty() { "section" } else { base };
    let count = used.entry(base.to_string()).or_insert(0);
    *count += 1;
    if *count == 1 {
        base.to_string()
    } else {
        format!("{base}-{count}")
    }
}

/// An ammonia sanitiser that keeps what Markdown produces (ids for anchors and footnotes) and nothing risky.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["id"])
            .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
            .rm_tags(["img"])
            .link_rel(Some("noopener noreferrer"));
        b
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_tables_footnotes_and_strikethrough() {
        let html = block(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1] ~~old~~\n\n[^1]: Note.",
            2,
        );
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(html.contains("footnote-definition"), "{html}");
    }

    #[test]
    fn headings_get_unique_anchors_and_are_demoted() {
        let html = block("# Who it is for\n\n# Who it is for\n\n## Below", 2);
        assert!(html.contains("<h3 id=\"below\">"), "{html}");
        assert_eq!(block("## Kept", 2), "<h2 id=\"kept\">Kept</h2>\n");
        assert!(html.contains("<h2 id=\"who-it-is-for\">"), "{html}");
        assert!(html.contains("<h2 id=\"who-it-is-for-2\">"), "{html}");
        // Underlined (setext) headings are demoted too, though they have no `#`.
        let setext = block("Big\n===\n\nSmall\n---\n\n- a list, not a heading", 3);
        assert!(setext.contains("<h3 id=\"big\">Big</h3>"), "{setext}");
        assert!(setext.contains("<h4 id=\"small\">Small</h4>"), "{setext}");
    }

    #[test]
    fn scripts_handlers_and_javascript_links_do_not_survive() {
        let html = block(
            "<script>alert(1)</script>\n\n<a href=\"javascript:alert(2)\" onclick=\"x()\">a</a> [b](javascript:alert(3)) <img src=x onerror=alert(4)>",
            0,
        );
        let lower = html.to_lowercase();
        for bad in ["<script", "javascript:", "onclick", "onerror", "<img"] {
            assert!(!lower.contains(bad), "{bad} survived in {html}");
        }
        let plain = block("[b](JavaScript:alert(3)) [ok](https://example.org)", 0);
        assert!(!plain.to_lowercase().contains("javascript"), "{plain}");
        assert!(plain.contains("href=\"https://example.org\""), "{plain}");
    }

    #[test]
    fn inline_drops_the_paragraph() {
        assert_eq!(
            inline("Write to *the Chair*."),
            "Write to <em>the Chair</em>."
        );
        assert!(inline("one\n\ntwo").contains("<p>two</p>"));
    }

    #[test]
    fn classifies_urls() {
        assert!(is_safe_url("../compare/"));
        assert!(is_safe_url("https://x.org/a:b"));
        assert!(is_safe_url("mailto:a@b.org"));
        assert!(is_safe_url("page/a:b"));
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url(" data:text/html,x"));
        assert!(!is_safe_url("vbscript:x"));
    }

    #[test]
    fn off_site_images_become_their_alt_text_and_links_stay() {
        for src in [
            "//evil.example/t.png",
            " //evil.example/t.png",
            "\\\\evil.example/t.png",
            "/\\evil.example/t.png",
            "https://evil.example/t.png",
            "HTTP://evil.example/t.png",
            "data:image/png;base64,AAAA",
            "javascript:alert(1)",
            "ftp://evil.example/t.png",
        ] {
            let html = block(&format!("See ![the *map*]({src}) here."), 2);
            assert!(!html.contains("<img"), "{src}: {html}");
            assert!(!html.contains("evil"), "{src}: {html}");
            assert!(html.contains("See the <em>map</em> here."), "{src}: {html}");
        }
        for src in [
            "map.png",
            "../assets/map.png",
            "/assets/map.png",
            "a/b:c.png",
            "map.png?v=1#x",
        ] {
            let html = block(&format!("![map]({src})"), 2);
            assert!(
                html.contains(&format!("<img src=\"{}\"", src.replace('&', "&amp;"))),
                "{src}: {html}"
            );
        }
        // An off-site image inside a link leaves a link with its text.
        let html = block("[![logo](//evil.example/l.png)](https://example.org)", 2);
        assert_eq!(html, "<p><a href=\"https://example.org\">logo</a></p>\n");
        // Off-site links are kept, protocol-relative ones included.
        let html = block("[a](https://example.org/x) [b](//example.org/y)", 2);
        assert!(html.contains("href=\"https://example.org/x\""), "{html}");
        assert!(html.contains("href=\"//example.org/y\""), "{html}");
    }
}
