//! Fuzzing the readers of untrusted input, as ordinary bounded tests on stable Rust.
//!
//! Three targets, each fed generated cases from a seeded random source:
//! - the YAML loader, with arbitrary bytes (read as text, and through a file, so that
//!   decoding runs too), checked further when a procedure parses;
//! - the same loader with structure-aware mutations of the repository's own procedure
//!   files: lines deleted, duplicated and swapped, YAML punctuation inserted,
//!   indentation changed, control characters and bytes that are not UTF-8 inserted;
//! - the Markdown sanitiser (`block` and `inline`), with Markdown made of raw HTML,
//!   images and links carrying every kind of address.
//!
//! Properties: nothing panics; no single case takes over 2 seconds (a hang detector,
//! not a speed test: debug builds are slow, real cases take milliseconds); and the
//! sanitised HTML makes no off-site request: no `src`, `srcset`, `poster`, `data`,
//! `background`, `href` (other than a link's), `style` `url(...)` or the like names an
//! address with a scheme or starting with `//`. Links (`<a href>`) to other sites are fine.
//!
//! The default run is small enough for CI (a few thousand cases in all, seconds on two
//! cores). Environment variables make longer or different runs:
//! - `WAYMARK_FUZZ_CASES`: cases per target (default 1500);
//! - `WAYMARK_FUZZ_SEED`: the seed, a number (default fixed, so CI runs are repeatable);
//!   a failure prints the seed and the case's number, and the same seed replays it;
//! - `WAYMARK_FUZZ_SECONDS`: stop each target after this many seconds, whatever the count
//!   (default none).
//!
//! For example: `WAYMARK_FUZZ_CASES=200000 WAYMARK_FUZZ_SEED=7 cargo test --release --test fuzz`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use arbitrary::Unstructured;
use scraper::{Html, Node};
use waymark::load::{LoadedProcedure, parse_yaml, read_yaml};
use waymark::model::Procedure;
use waymark::render::markdown::{block, inline};

/// The longest a single case may take.
const CASE_LIMIT: Duration = Duration::from_secs(2);

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    let value = value.trim();
    let parsed = match value.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => value.parse(),
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name} must be a number, not {value:?}")))
}

/// How many cases each target runs, its seed, and its time budget.
struct Plan {
    cases: u64,
    seed: u64,
    budget: Option<Duration>,
}

fn plan() -> Plan {
    Plan {
        cases: env_number("WAYMARK_FUZZ_CASES").unwrap_or(1500),
        seed: env_number("WAYMARK_FUZZ_SEED").unwrap_or(0x5eed_2026),
        budget: env_number("WAYMARK_FUZZ_SECONDS").map(Duration::from_secs),
    }
}

/// SplitMix64: a small, good enough generator for the raw bytes each case is made from.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The raw bytes of case `n` of a target: the same for the same seed.
fn raw_bytes(seed: u64, target: u64, n: u64, len: usize) -> Vec<u8> {
    let mut state =
        seed ^ target.wrapping_mul(0xA24B_AED4_963E_E407) ^ n.wrapping_mul(0x9FB2_1C65_1E98_DF25);
    let mut bytes = Vec::with_capacity(len + 8);
    while bytes.len() < len {
        bytes.extend_from_slice(&splitmix(&mut state).to_le_bytes());
    }
    bytes.truncate(len);
    bytes
}

/// Runs `case` for each case of the plan, with its own raw bytes; fails on a panic (with the
/// seed and case number) or on a case over the limit. Returns how many cases ran.
fn run_target(
    name: &str,
    target: u64,
    raw_len: usize,
    mut case: impl FnMut(&mut Unstructured<'_>) -> String,
) -> u64 {
    let plan = plan();
    let started = Instant::now();
    let mut ran = 0;
    let mut slowest = Duration::ZERO;
    for n in 0..plan.cases {
        if plan.budget.is_some_and(|b| started.elapsed() > b) {
            break;
        }
        let raw = raw_bytes(plan.seed, target, n, raw_len);
        let mut u = Unstructured::new(&raw);
        let t = Instant::now();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| case(&mut u)));
        let took = t.elapsed();
        match result {
            Ok(description) => assert!(
                took <= CASE_LIMIT,
                "{name}: case {n} (seed {}) took {took:?}, over {CASE_LIMIT:?}:\n{description}",
                plan.seed
            ),
            Err(_) => panic!(
                "{name}: case {n} (seed {}) panicked; replay it with WAYMARK_FUZZ_SEED={} WAYMARK_FUZZ_CASES={}",
                plan.seed,
                plan.seed,
                n + 1
            ),
        }
        slowest = slowest.max(took);
        ran += 1;
    }
    eprintln!(
        "{name}: {ran} cases, seed {}, slowest {slowest:?}",
        plan.seed
    );
    ran
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Parses text as a procedure and, when it parses, checks it as the site checks do.
fn load_and_check(file: &Path, text: &str) {
    if let Ok(procedure) = parse_yaml::<Procedure>(file, text) {
        let loaded = LoadedProcedure {
            slug: "fuzz".to_string(),
            file: file.to_path_buf(),
            text: text.to_string(),
            procedure,
            stamp: None,
            source_text: None,
        };
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date");
        let _ = waymark::check::check_procedure(&loaded, today);
    }
}

/// Loads `bytes` as a procedure file: as text, and (for some cases) through a file on disk,
/// so decoding (BOM, UTF-16, binary, CR line ends) runs as well.
fn load_bytes(dir: &Path, bytes: &[u8], through_file: bool) {
    let file = Path::new("procedures/fuzz.yaml");
    load_and_check(file, &String::from_utf8_lossy(bytes));
    if through_file {
        std::fs::write(dir.join(file), bytes).expect("write the case");
        if let Ok((text, procedure)) = read_yaml::<Procedure>(dir, file) {
            let _ = (text, procedure);
        }
    }
}

fn temp_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("procedures")).expect("mkdir");
    dir
}

#[test]
fn the_yaml_loader_survives_arbitrary_bytes() {
    let dir = temp_site();
    run_target("yaml bytes", 1, 2048, |u| {
        let len = u.arbitrary_len::<u8>().unwrap_or(0).min(1500);
        let mut bytes = u.bytes(len).unwrap_or(&[]).to_vec();
        // Raw random bytes are rarely YAML: often keep only printable ASCII and line ends.
        if bytes.first().is_some_and(|b| b % 2 == 0) {
            const ALPHABET: &[u8] = b" \n\n\n  -:#'\"[]{},&*!|>?%@`abcxyz019\t\r.";
            for b in &mut bytes {
                *b = ALPHABET[*b as usize % ALPHABET.len()];
            }
        }
        load_bytes(dir.path(), &bytes, bytes.len().is_multiple_of(4));
        String::from_utf8_lossy(&bytes).into_owned()
    });
}

/// YAML's punctuation and other things worth inserting into a file.
const PUNCTUATION: &[&str] = &[
    ":",
    ": ",
    "- ",
    "-",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "*a ",
    "!",
    "!!str ",
    "!!binary ",
    "|",
    "|-",
    ">",
    ">+2",
    "'",
    "\"",
    "''",
    "\"\\",
    "#",
    " #",
    "? ",
    "---",
    "...",
    "%YAML 1.2",
    "%TAG ! tag:x,2000:",
    "<<: *a",
    "@",
    "`",
    "\\",
    "~",
    "null",
    "0x1F",
    "1e999",
    ".inf",
    "2026-02-30",
    "\"\\u0000\"",
    "{a: [b, {c: d}]}",
    "[[[[[[[[[[",
    "{{{{{{{{",
    "&a [*a, *a]",
];
/// Control characters and other odd characters.
const CONTROLS: &[&str] = &[
    "\0",
    "\t",
    "\r",
    "\r\n",
    "\u{b}",
    "\u{c}",
    "\u{1b}",
    "\u{7f}",
    "\u{85}",
    "\u{a0}",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}",
    "\u{200b}",
    "\u{fffd}",
    "\u{10ffff}",
];
/// Byte sequences that are not UTF-8, or are UTF-16 marks.
const NOT_UTF8: &[&[u8]] = &[
    b"\xff",
    b"\xfe\xff",
    b"\xff\xfe",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\xf8\x88\x80\x80\x80",
    b"\xc0\xaf",
    b"\xef\xbb\xbf",
    b"\x80",
];

/// Applies one to six random mutations to the lines of a file.
fn mutate(u: &mut Unstructured<'_>, original: &[u8]) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = original
        .split(|b| *b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    let rounds = u.int_in_range(1..=6u8).unwrap_or(1);
    for _ in 0..rounds {
        if lines.is_empty() {
            lines.push(Vec::new());
        }
        let at = u.choose_index(lines.len()).unwrap_or(0);
        match u.int_in_range(0..=8u8).unwrap_or(0) {
            0 => {
                lines.remove(at);
            }
            1 => {
                let line = lines[at].clone();
                lines.insert(at, line);
            }
            2 => {
                let other = u.choose_index(lines.len()).unwrap_or(0);
                lines.swap(at, other);
            }
            3 | 4 => {
                let what = u.choose(PUNCTUATION).copied().unwrap_or(":");
                let col = u.int_in_range(0..=lines[at].len()).unwrap_or(0);
                lines[at].splice(col..col, what.bytes());
            }
            5 => {
                // Change the indentation: more, less, or a tab.
                let line = &mut lines[at];
                match u.int_in_range(0..=2u8).unwrap_or(0) {
                    0 => {
                        let n = u.int_in_range(1..=5usize).unwrap_or(1);
                        line.splice(0..0, std::iter::repeat_n(b' ', n));
                    }
                    1 => {
                        let n = line.iter().take_while(|b| **b == b' ').count();
                        let drop = u.int_in_range(0..=n).unwrap_or(0);
                        line.drain(..drop);
                    }
                    _ => line.insert(0, b'\t'),
                }
            }
            6 => {
                let what = u.choose(CONTROLS).copied().unwrap_or("\0");
                let col = u.int_in_range(0..=lines[at].len()).unwrap_or(0);
                lines[at].splice(col..col, what.bytes());
            }
            7 => {
                let what = u.choose(NOT_UTF8).copied().unwrap_or(b"\xff");
                let col = u.int_in_range(0..=lines[at].len()).unwrap_or(0);
                lines[at].splice(col..col, what.iter().copied());
            }
            _ => {
                // Move a block of lines elsewhere.
                let len = u
                    .int_in_range(1..=8usize)
                    .unwrap_or(1)
                    .min(lines.len() - at);
                let block: Vec<Vec<u8>> = lines.drain(at..at + len).collect();
                let to = u.int_in_range(0..=lines.len()).unwrap_or(0);
                for (i, line) in block.into_iter().enumerate() {
                    lines.insert(to + i, line);
                }
            }
        }
    }
    // Sometimes use another line end throughout.
    let end: &[u8] = match u.int_in_range(0..=9u8).unwrap_or(0) {
        0 => b"\r\n",
        1 => b"\r",
        _ => b"\n",
    };
    lines.join(end)
}

#[test]
fn the_yaml_loader_survives_mutated_procedure_files() {
    let mut originals: Vec<Vec<u8>> = std::fs::read_dir(repo().join("procedures"))
        .expect("the repository's procedures")
        .flatten()
        .map(|e| std::fs::read(e.path()).expect("read"))
        .collect();
    originals.push(std::fs::read(repo().join("site.yaml")).expect("site.yaml"));
    assert!(originals.len() > 2);
    let dir = temp_site();
    run_target("yaml mutations", 2, 256, |u| {
        let original = u.choose(&originals).expect("a file");
        let bytes = mutate(u, original);
        load_bytes(dir.path(), &bytes, bytes.len().is_multiple_of(8));
        let text = String::from_utf8_lossy(&bytes);
        // The site file's reader too, on the same text.
        let _ = parse_yaml::<waymark::model::SiteConfig>(Path::new("site.yaml"), &text);
        format!("{} bytes", bytes.len())
    });
}

/// Addresses of every kind, for links, images and raw HTML.
const URLS: &[&str] = &[
    "map.png",
    "/assets/map.png",
    "../x/y.png",
    "a/b:c.png",
    "?q=1",
    "#top",
    "",
    "https://evil.example/t.png",
    "http://evil.example/",
    "HTTP://evil.example/",
    "//evil.example/x",
    " //evil.example/x",
    "\\\\evil.example/x",
    "/\\evil.example/x",
    "\\/evil.example/x",
    "https:evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "java&#x09;script:alert(1)",
    "&#106;avascript:alert(1)",
    "data:image/png;base64,AAAA",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:x",
    "mailto:a@b.example",
    "tel:+441234",
    "ftp://evil.example/",
    "file:///etc/passwd",
    "blob:https://evil.example/x",
    "%68ttp://evil.example",
    "\u{0}//evil.example",
    "\u{1}https://evil.example",
    "<https://evil.example>",
    "evil.example",
    "//evil.example:80@x",
    "/%2F%2Fevil.example",
    "https://xn--e1afmkfd.example/",
    "ws://evil.example",
    "  \t https://evil.example",
    "\\x",
    "%0a//evil.example",
];

/// Pieces of Markdown and raw HTML, with `{u}` where an address goes.
const PIECES: &[&str] = &[
    "# Heading\n",
    "Setext\n===\n",
    "## Sub {#id}\n",
    "plain words ",
    "*em* ",
    "**strong** ",
    "`code` ",
    "~~del~~ ",
    "\n\n",
    "\n",
    "- item\n",
    "1. item\n",
    "> quote\n",
    "```\ncode\n```\n",
    "    indented\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "text[^1]\n\n[^1]: note\n",
    "---\n",
    "[link]({u}) ",
    "![alt *x*]({u}) ",
    "![alt]({u} \"title\") ",
    "[![img]({u})]({u}) ",
    "<{u}> ",
    "[ref][r]\n\n[r]: {u}\n",
    "![ref][i]\n\n[i]: {u}\n",
    "<img src=\"{u}\" alt=x> ",
    "<img srcset=\"{u} 1x, {u} 2x\"> ",
    "<picture><source srcset=\"{u}\"><img src=\"{u}\"></picture>",
    "<video src=\"{u}\" poster=\"{u}\"></video>",
    "<audio src=\"{u}\"><source src=\"{u}\"></audio>",
    "<iframe src=\"{u}\"></iframe>",
    "<object data=\"{u}\"></object>",
    "<embed src=\"{u}\">",
    "<link rel=stylesheet href=\"{u}\">",
    "<style>@import '{u}'; p{background:url({u})}</style>",
    "<div style=\"background:url({u})\">x</div>",
    "<p style='background-image: url(\"{u}\")'>y</p>",
    "<table background=\"{u}\"><tr><td background=\"{u}\">c</td></tr></table>",
    "<body background=\"{u}\">",
    "<input type=image src=\"{u}\">",
    "<script src=\"{u}\"></script>",
    "<svg><image href=\"{u}\" xlink:href=\"{u}\"/><use href=\"{u}\"/></svg>",
    "<base href=\"{u}\">",
    "<form action=\"{u}\"><button formaction=\"{u}\">b</button></form>",
    "<a href=\"{u}\" ping=\"{u}\">a</a>",
    "<meta http-equiv=refresh content=\"0;url={u}\">",
    "<img src=x onerror=alert(1)>",
    "<!-- c -->",
    "<math><mi xlink:href=\"{u}\">m</mi></math>",
    "<details open ontoggle=alert(1)>d</details>",
    "<img\nsrc=\"{u}\">",
    "<IMG SRC={u}>",
    "<a href={u}>b</a>",
    "<div",
    ">",
    "</div>",
    "&amp; ",
    "&#x3C;",
    "<noscript><img src=\"{u}\"></noscript>",
    "<template><img src=\"{u}\"></template>",
    "<object><param name=movie value=\"{u}\"></object>",
    "<applet code=\"{u}\"></applet>",
    "<frameset><frame src=\"{u}\"></frameset>",
    "<track src=\"{u}\">",
    "<area href=\"{u}\">",
];

/// Makes a Markdown text from pieces and addresses.
fn markdown(u: &mut Unstructured<'_>) -> String {
    let mut text = String::new();
    let count = u.int_in_range(1..=12u8).unwrap_or(1);
    for _ in 0..count {
        if u.ratio(1, 10).unwrap_or(false) {
            // Now and then a few random characters.
            let n = u.int_in_range(1..=12u8).unwrap_or(1);
            for _ in 0..n {
                text.push(u.arbitrary::<char>().unwrap_or('x'));
            }
            continue;
        }
        let piece = u.choose(PIECES).copied().unwrap_or("x");
        let mut rest = piece;
        while let Some(at) = rest.find("{u}") {
            text.push_str(&rest[..at]);
            text.push_str(u.choose(URLS).copied().unwrap_or(""));
            rest = &rest[at + 3..];
        }
        text.push_str(rest);
    }
    text
}

/// Whether an address, as a browser reads it, leaves the site: it has a scheme or
/// starts with `//` (browsers drop tabs and line ends anywhere in it, and leading
/// spaces and controls, and read `\` as `/`).
fn off_site(value: &str) -> bool {
    let url: String = value
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| if c == '\\' { '/' } else { c })
        .collect();
    if url.starts_with("//") {
        return true;
    }
    let end = url.find(['/', '?', '#']).unwrap_or(url.len());
    let head = &url[..end];
    match head.find(':') {
        Some(colon) => {
            let scheme = &head[..colon];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Every address in a CSS text: `url(...)` and `@import '...'`.
fn css_addresses(css: &str) -> Vec<String> {
    let lower = css.to_ascii_lowercase();
    let mut found = Vec::new();
    for (marker, ends) in [("url(", &[')'][..]), ("@import", &[';', '\n'][..])] {
        let mut from = 0;
        while let Some(at) = lower[from..].find(marker) {
            let start = from + at + marker.len();
            let end = css[start..].find(ends).map_or(css.len(), |e| start + e);
            found.push(
                css[start..end]
                    .trim()
                    .trim_matches(['"', '\''])
                    .trim()
                    .to_string(),
            );
            from = start;
        }
    }
    found
}

/// The problems in sanitised HTML: each attribute or style that makes an off-site request.
fn off_site_requests(html: &str) -> Vec<String> {
    let doc = Html::parse_fragment(html);
    let mut problems = Vec::new();
    for node in doc.tree.nodes() {
        match node.value() {
            Node::Element(element) => {
                let tag = element.name();
                for (name, value) in element.attrs() {
                    let name = name.to_ascii_lowercase();
                    let addresses: Vec<String> = match name.as_str() {
                        // A link to another site is fine: following it is the reader's choice.
                        "href" if tag == "a" || tag == "area" => continue,
                        "srcset" | "imagesrcset" => value
                            .split(',')
                            .filter_map(|c| c.split_whitespace().next())
                            .map(str::to_string)
                            .collect(),
                        "style" => css_addresses(value),
                        "content" if tag == "meta" => value
                            .split_once("url=")
                            .map(|(_, u)| vec![u.to_string()])
                            .unwrap_or_default(),
                        "src" | "poster" | "data" | "background" | "href" | "xlink:href"
                        | "action" | "formaction" | "ping" | "lowsrc" | "dynsrc" | "codebase"
                        | "archive" | "longdesc" | "manifest" | "icon" | "code" | "value"
                        | "cite" => {
                            vec![value.to_string()]
                        }
                        _ => continue,
                    };
                    for address in addresses {
                        // A quotation's `cite` makes no request, and `value` only on <param>.
                        if (name == "cite") || (name == "value" && tag != "param") {
                            continue;
                        }
                        if off_site(&address) {
                            problems.push(format!("<{tag} {name}=\"{value}\">"));
                        }
                    }
                }
            }
            Node::Text(text) => {
                let parent = node
                    .parent()
                    .and_then(|p| p.value().as_element().map(|e| e.name().to_string()));
                if parent.as_deref() == Some("style") {
                    for address in css_addresses(text) {
                        if off_site(&address) {
                            problems.push(format!("<style> with {address}"));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    problems
}

#[test]
fn the_request_checker_knows_off_site_addresses() {
    for url in [
        "https://x.example",
        "//x.example",
        " \t//x",
        "\\\\x",
        "java\tscript:x",
        "data:x",
        "HTTP://x",
    ] {
        assert!(off_site(url), "{url}");
    }
    for url in ["map.png", "/a/b", "a/b:c", "../x", "?q=a:b", "#x:y", ""] {
        assert!(!off_site(url), "{url}");
    }
    let bad = off_site_requests(
        "<img src=\"//e.example/x\"><div style=\"background:url('https://e.example')\"></div><a href=\"https://ok.example\">ok</a>",
    );
    assert_eq!(bad.len(), 2, "{bad:?}");
}

#[test]
fn the_markdown_sanitiser_survives_and_makes_no_off_site_request() {
    run_target("markdown", 3, 512, |u| {
        let text = markdown(u);
        let top = u.int_in_range(0..=4u8).unwrap_or(2);
        for html in [block(&text, top), inline(&text)] {
            let problems = off_site_requests(&html);
            assert!(
                problems.is_empty(),
                "off-site requests {problems:?}\nfrom Markdown {text:?}\nas HTML {html}"
            );
        }
        text
    });
}
