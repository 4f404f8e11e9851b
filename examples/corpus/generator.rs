//! The synthetic corpus behind the benchmark: a site of N procedures and M
//! Markdown pages, the same bytes for the same seed on every machine.
//!
//! Shared by the `corpus` example (which writes a corpus for
//! `scripts/bench.sh`) and by `tests/corpus.rs` (which checks that every
//! generated site passes `waymark check --deny-warnings` and builds). It uses
//! only the standard library: a small SplitMix64 generator stands in for a
//! random-number crate, and YAML is written by hand with every string quoted.
//!
//! Procedure `i` and page `i` depend only on the seed and `i`, so a corpus of
//! 100 procedures is the first 100 of a corpus of 1,000 with the same seed.
//!
//! The procedures vary in shape the way published ones do: 2 to 6 stages, some
//! split by a routing question into parallel stages, decisions with 2 to 4
//! answers (some leading to shared endings), time limits in every unit, as
//! ranges, counting after or before an event, at every strength, 5 to 40
//! contacts, Markdown summaries and sections (about one in ten with a little
//! raw HTML, so the sanitiser runs), resources with fee notes, a glossary, and
//! route tests that arrive at every stage and ending.

// The example and the test each read a different part of the summary.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// The date to pass as `--today` when checking or building a corpus: every
/// `last_reviewed` is on or before it and no review falls due by it.
pub const TODAY: &str = "2026-11-23";

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// How many procedures.
    pub procedures: usize,
    /// How many Markdown pages in `content/`.
    pub pages: usize,
    /// The seed: the same seed gives the same corpus.
    pub seed: u64,
}

/// What was generated, and what a build of it should write.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Procedures written.
    pub procedures: usize,
    /// Markdown pages written.
    pub pages: usize,
    /// The HTML pages `waymark build` writes for this corpus.
    pub html_pages: usize,
    /// Bytes of YAML and Markdown written.
    pub bytes: u64,
    /// Nodes over all procedures.
    pub nodes: usize,
    /// Contacts over all procedures.
    pub contacts: usize,
    /// Deadlines by unit: calendar days, working days, weeks, months.
    pub units: [usize; 4],
    /// Deadlines by strength: endeavour, should, no-later-than, at-least.
    pub strengths: [usize; 4],
    /// Deadlines given as a range (`2-4 weeks`).
    pub ranges: usize,
    /// Deadlines counting after an event, and before one.
    pub after_before: [usize; 2],
    /// Decisions by number of answers: 2, 3, 4.
    pub answers: [usize; 3],
    /// Procedures by number of stage levels: 2 to 6.
    pub stage_levels: [usize; 5],
    /// Words in the Markdown pages' bodies.
    pub page_words: usize,
}

/// Writes a corpus into `out`, which must not exist or be empty.
pub fn generate(options: &Options, out: &Path) -> io::Result<Summary> {
    if out.exists() && fs::read_dir(out)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} is not empty; choose a new folder", out.display()),
        ));
    }
    fs::create_dir_all(out.join("procedures"))?;
    fs::create_dir_all(out.join("content"))?;
    let mut summary = Summary {
        procedures: options.procedures,
        pages: options.pages,
        // The home page, the compare page and 404.html.
        html_pages: 3,
        ..Summary::default()
    };
    let site = site_yaml(options.seed);
    summary.bytes += site.len() as u64;
    fs::write(out.join("site.yaml"), site)?;
    for i in 0..options.procedures {
        let (slug, text) = procedure(options.seed, i, &mut summary);
        summary.bytes += text.len() as u64;
        fs::write(out.join("procedures").join(format!("{slug}.yaml")), text)?;
    }
    for i in 0..options.pages {
        let (slug, text, words) = page(options.seed, i, options.pages);
        summary.bytes += text.len() as u64;
        summary.page_words += words;
        summary.html_pages += 1;
        fs::write(out.join("content").join(format!("{slug}.md")), text)?;
    }
    Ok(summary)
}

// ---------------------------------------------------------------------------
// Randomness

/// SplitMix64: tiny, fast, and good enough to vary a corpus.
pub struct Rng(u64);

impl Rng {
    /// A generator for item `index` of stream `stream` under `seed`.
    pub fn new(seed: u64, stream: u64, index: u64) -> Self {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        r.0 ^= r.next_u64() ^ index.wrapping_mul(0xE703_7ED1_A0B4_28DB);
        r.next_u64();
        r
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One item of `items`.
    pub fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }

    /// Between `lo` and `hi` distinct indices of `0..n`, in random order.
    pub fn some(&mut self, n: usize, lo: usize, hi: usize) -> Vec<usize> {
        let count = self.range(lo, hi);
        self.distinct(n, count)
    }

    /// `count` distinct indices of `0..n`, in random order.
    pub fn distinct(&mut self, n: usize, count: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        let count = count.min(n);
        for i in 0..count {
            let j = i + self.below(n - i);
            all.swap(i, j);
        }
        all.truncate(count);
        all
    }
}

const STREAM_SITE: u64 = 1;
const STREAM_PROCEDURE: u64 = 2;
const STREAM_PAGE: u64 = 3;

// ---------------------------------------------------------------------------
// Words

const PLACE_HEADS: &[&str] = &[
    "Ash", "Brook", "Cold", "Dun", "Elm", "Fair", "Green", "High", "Kings", "Lang", "Mill", "New",
    "Oak", "Red", "Stan", "Thorn", "West", "Whit", "Wood", "Ald", "Bever", "Chester", "Dor",
    "Eden", "Holm", "Kirk", "March", "Nor", "Pen", "Rother",
];
const PLACE_TAILS: &[&str] = &[
    "ford", "ham", "ley", "ton", "bury", "field", "wick", "combe", "mouth", "stead", "worth", "by",
    "dale", "shire", "minster", "gate",
];
const ORG_KINDS: &[&str] = &[
    "County Council",
    "District Council",
    "Borough Council",
    "CVS",
    "Voluntary Action",
    "Integrated Care Board",
    "Police",
    "Fire and Rescue Service",
    "Community Foundation",
    "Compact Group",
    "Council for Voluntary Service",
    "Rural Community Council",
];
const DEPARTMENTS: &[&str] = &[
    "Chief Executive's Office",
    "Communities",
    "Partnerships",
    "Policy and Performance",
    "Commissioning",
    "Legal and Democratic Services",
    "Customer Services",
    "Adult Social Care",
    "Children's Services",
    "Community Safety",
    "Finance",
    "Grants Team",
];
const ROLES: &[&str] = &[
    "Compact Officer",
    "Compact Champion",
    "Community Development Manager",
    "Partnership Manager",
    "Chief Executive",
    "Chair of the Compact Group",
    "Voluntary Sector Liaison Officer",
    "Head of Commissioning",
    "Policy Officer",
    "Complaints Manager",
    "Grants Officer",
    "Development Worker",
];
const FIRST_NAMES: &[&str] = &[
    "Alex",
    "Bernadette",
    "Chidi",
    "Deepa",
    "Eleanor",
    "Fergus",
    "Gwen",
    "Hamza",
    "Imogen",
    "Jonah",
    "Kirsty",
    "Lewis",
    "Marta",
    "Niamh",
    "Owain",
    "Priya",
    "Rhys",
    "Siobhan",
    "Tomasz",
    "Yasmin",
];
const LAST_NAMES: &[&str] = &[
    "Ahmed", "Baker", "Clarke", "Davies", "Evans", "Fletcher", "Gill", "Hughes", "Iqbal", "Jones",
    "Kowalski", "Lloyd", "Morgan", "Nwosu", "O'Brien", "Patel", "Quinn", "Roberts", "Singh",
    "Thompson",
];
const STREETS: &[&str] = &[
    "High Street",
    "Market Place",
    "Station Road",
    "Church Lane",
    "Shire Hall Way",
    "Victoria Road",
    "Mill Lane",
    "The Crescent",
];
const STAGE_TITLES: &[&str] = &[
    "Talk to each other directly",
    "Raise the matter in writing",
    "Ask the Compact Officers to help",
    "Meet with a facilitator",
    "Refer the matter to the Compact Group",
    "Ask for an independent panel",
    "Mediation",
    "Review by senior officers",
    "Hearing before the panel",
    "Final review",
];
const WHO: &[&str] = &[
    "The organisation raising the concern",
    "The public body",
    "The voluntary organisation",
    "Both parties",
    "The Compact Officer",
    "The Chair of the Compact Group",
    "The panel",
    "An independent facilitator",
];
const STEP_TEXTS: &[&str] = &[
    "Write to the other party, setting out the concern and what you would like to happen.",
    "Arrange a meeting between the people directly involved, with a note-taker if both parties agree.",
    "Send copies of any letters, e-mails and meeting notes to the **Compact Officer**.",
    "Agree the facts of the matter and record any points on which the parties differ.",
    "Record the action points agreed and send a copy to each party within the time limit.",
    "The Compact Officer acknowledges the referral and checks that the earlier stages were followed.",
    "Each party may bring a friend or adviser to the meeting; tell the other party who is coming.",
    "The panel reads the papers, hears from both parties and makes a written recommendation.",
    "If the matter concerns a grant or contract, include the reference number and the *funding terms*.",
    "Use the [Compact Resolution Form](https://www.compact-forms.example.org/resolution) or a letter with the same details.",
];
const EVENTS_AFTER: &[&str] = &[
    "the concern was raised",
    "the letter was received",
    "the referral was acknowledged",
    "the meeting was held",
    "the panel met",
    "the decision was sent",
    "the form was received",
];
const EVENTS_BEFORE: &[&str] = &[
    "the meeting",
    "the panel hearing",
    "the mediation session",
    "the Compact Group meets",
];
const WHATS: &[&str] = &[
    "Acknowledgement sent",
    "Meeting held",
    "Written response sent",
    "Panel convened",
    "Papers circulated",
    "Notice of attendance given",
    "Decision sent to both parties",
    "Action points recorded",
];
const STRENGTH_NAMES: [&str; 4] = ["endeavour", "should", "no-later-than", "at-least"];
const RESOURCE_TITLES: &[&str] = &[
    "The Compact Mediation Scheme",
    "Compact Advocacy Programme",
    "Citizens Advice",
    "Local Government and Social Care Ombudsman",
    "Community Accountancy Service",
    "Regional Mediation Network",
];
const SECTION_HEADINGS: &[&str] = &[
    "Purpose",
    "Background",
    "Aims",
    "Principles",
    "Who sits on the panel",
    "Confidentiality",
    "Implementation",
    "Equality and accessibility",
];
const GLOSSARY: &[(&str, &str)] = &[
    ("CVS", "Council for Voluntary Service"),
    ("VCS", "Voluntary and community sector"),
    ("VCSE", "Voluntary, community and social enterprise sector"),
    ("ICB", "Integrated Care Board"),
    ("NCVO", "National Council for Voluntary Organisations"),
    ("LGA", "Local Government Association"),
    ("SLA", "Service level agreement"),
    ("RCC", "Rural Community Council"),
    (
        "Compact",
        "An agreement between public bodies and voluntary organisations",
    ),
];
const CODES: &[&str] = &[
    "Funding and Procurement",
    "Consultation and Policy Appraisal",
    "Volunteering",
    "Black and Minority Ethnic Groups",
    "Community Groups",
    "Equality",
    "Commissioning",
];
const NOUNS: &[&str] = &[
    "organisation",
    "partner",
    "council",
    "group",
    "agreement",
    "meeting",
    "decision",
    "letter",
    "panel",
    "officer",
    "procedure",
    "concern",
    "difference",
    "grant",
    "contract",
    "service",
    "volunteer",
    "community",
    "record",
    "deadline",
    "review",
    "report",
    "budget",
    "policy",
];
const ADJECTIVES: &[&str] = &[
    "local",
    "voluntary",
    "public",
    "written",
    "independent",
    "formal",
    "informal",
    "shared",
    "early",
    "fair",
    "clear",
    "reasonable",
    "agreed",
    "annual",
    "small",
    "relevant",
];
const VERBS: &[&str] = &[
    "agrees",
    "records",
    "reviews",
    "explains",
    "arranges",
    "supports",
    "considers",
    "sends",
    "answers",
    "confirms",
    "publishes",
    "shares",
    "discusses",
    "receives",
    "notes",
    "checks",
];
const CONNECTORS: &[&str] = &[
    "and", "because", "so that", "while", "before", "after", "unless", "when", "although",
];
const TOPICS: &[&str] = &[
    "Raising a concern",
    "Working with the Compact",
    "Funding disagreements",
    "Consultation periods",
    "Getting ready for a meeting",
    "Choosing a mediator",
    "Keeping records",
    "After a panel decision",
    "Time limits explained",
    "Support for small groups",
];

fn place(r: &mut Rng) -> String {
    format!("{}{}", r.pick(PLACE_HEADS), r.pick(PLACE_TAILS))
}

fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// A sentence of plausible guidance prose, returning its word count too.
fn sentence(r: &mut Rng, out: &mut String) -> usize {
    let start = out.len();
    let _ = write!(
        out,
        "The {} {} {} the {} {}",
        r.pick(ADJECTIVES),
        r.pick(NOUNS),
        r.pick(VERBS),
        r.pick(ADJECTIVES),
        r.pick(NOUNS)
    );
    let mut words = 6;
    if r.chance(60) {
        let (connector, noun, verb) = (r.pick(CONNECTORS), r.pick(NOUNS), r.pick(VERBS));
        let adjective = r.pick(ADJECTIVES);
        let article = if adjective.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        let _ = write!(
            out,
            " {connector} each {noun} {verb} {article} {adjective} {}",
            r.pick(NOUNS)
        );
        words += 6;
    }
    if r.chance(30) {
        let _ = write!(out, " within the {} {}", r.pick(ADJECTIVES), r.pick(NOUNS));
        words += 4;
    }
    out.push('.');
    // Capitalise is already done ("The"); make some sentences emphatic.
    if r.chance(8) {
        let text = out[start..].to_string();
        out.truncate(start);
        let _ = write!(out, "**{}**", text.trim_end_matches('.'));
        out.push('.');
    }
    words
}

/// A paragraph of `lo` to `hi` sentences; returns its word count.
fn paragraph_of(r: &mut Rng, lo: usize, hi: usize, out: &mut String) -> usize {
    let n = r.range(lo, hi);
    paragraph(r, n, out)
}

/// A paragraph of `n` sentences; returns its word count.
fn paragraph(r: &mut Rng, n: usize, out: &mut String) -> usize {
    let mut words = 0;
    for i in 0..n {
        if i > 0 {
            out.push(' ');
        }
        words += sentence(r, out);
    }
    words
}

// ---------------------------------------------------------------------------
// YAML helpers

/// A double-quoted YAML scalar: always valid, whatever the text.
fn q(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A literal block scalar (`|-`) indented by `indent` spaces, for Markdown.
fn block(out: &mut String, indent: usize, text: &str) {
    out.push_str("|-\n");
    for line in text.lines() {
        if !line.is_empty() {
            out.extend(std::iter::repeat_n(' ', indent));
            out.push_str(line);
        }
        out.push('\n');
    }
}

// ---------------------------------------------------------------------------
// The site file

fn site_yaml(seed: u64) -> String {
    let mut r = Rng::new(seed, STREAM_SITE, 0);
    format!(
        "# A synthetic benchmark corpus written by `cargo run --example corpus` (seed {seed}).\n\
         title: {}\n\
         description: {}\n\
         language: en-GB\n\
         theme: default\n\
         footer: |-\n  Synthetic procedures for benchmarking waymark. [About waymark](https://waymark.example.org/).\n",
        q(&format!("Procedures of the {} partnership", place(&mut r))),
        q("Generated procedures and guidance pages, for measuring build speed."),
    )
}

// ---------------------------------------------------------------------------
// Procedures

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Stage,
    Decision,
    Ending,
}

/// A node of the generated graph, before it is written out.
struct Spec {
    id: String,
    kind: Kind,
    /// Stage: label ("Stage 2") and level (1-based).
    label: Option<String>,
    level: usize,
    title: String,
    /// Stage: the id that follows. Decision: (label, key, next).
    next: Option<String>,
    answers: Vec<(String, Option<String>, String)>,
    /// Ending: outcome.
    outcome: &'static str,
    aliases: Vec<String>,
}

impl Spec {
    fn stage(id: String, level: usize, title: &str, next: String) -> Self {
        Spec {
            id,
            kind: Kind::Stage,
            label: Some(format!("Stage {level}")),
            level,
            title: title.to_string(),
            next: Some(next),
            answers: Vec::new(),
            outcome: "",
            aliases: Vec::new(),
        }
    }

    fn decision(
        id: String,
        question: String,
        answers: Vec<(String, Option<String>, String)>,
    ) -> Self {
        Spec {
            id,
            kind: Kind::Decision,
            label: None,
            level: 0,
            title: question,
            next: None,
            answers,
            outcome: "",
            aliases: Vec::new(),
        }
    }

    fn ending(id: &str, title: &str, outcome: &'static str) -> Self {
        Spec {
            id: id.to_string(),
            kind: Kind::Ending,
            label: None,
            level: 0,
            title: title.to_string(),
            next: None,
            answers: Vec::new(),
            outcome,
            aliases: Vec::new(),
        }
    }
}

const ROUTES: &[(&str, &str)] = &[
    ("voluntary-sector", "A voluntary or community organisation"),
    ("public-sector", "A public body"),
    ("health-body", "An NHS or health body"),
];

/// The graph of one procedure, in reading order.
fn shape(r: &mut Rng, levels: usize, summary: &mut Summary) -> Vec<Spec> {
    summary.stage_levels[levels - 2] += 1;
    let split_at = if r.chance(35) { r.range(2, levels) } else { 0 };
    let mut nodes = Vec::new();
    let mut shared_endings: Vec<Spec> = Vec::new();
    let titles = r.distinct(STAGE_TITLES.len(), levels);
    let entry = |k: usize| {
        if k == split_at {
            format!("stage-{k}-route")
        } else {
            format!("stage-{k}")
        }
    };
    for k in 1..=levels {
        let title = STAGE_TITLES[titles[k - 1]];
        // Where the stage (or each of its parallel variants) leads.
        let after = if k < levels {
            if r.chance(75) {
                format!("after-stage-{k}")
            } else {
                entry(k + 1)
            }
        } else if r.chance(50) {
            format!("after-stage-{k}")
        } else {
            "final-referral".to_string()
        };
        if k == split_at {
            let routes = r.range(2, ROUTES.len());
            let answers = ROUTES[..routes]
                .iter()
                .map(|(key, label)| {
                    (
                        label.to_string(),
                        Some(key.to_string()),
                        format!("stage-{k}-{key}"),
                    )
                })
                .collect();
            nodes.push(Spec::decision(
                format!("stage-{k}-route"),
                "Which kind of organisation are you?".to_string(),
                answers,
            ));
            for (key, _) in &ROUTES[..routes] {
                nodes.push(Spec::stage(
                    format!("stage-{k}-{key}"),
                    k,
                    title,
                    after.clone(),
                ));
            }
        } else {
            let mut s = Spec::stage(format!("stage-{k}"), k, title, after.clone());
            if r.chance(10) {
                s.aliases.push(format!("old-stage-{k}"));
            }
            nodes.push(s);
        }
        if after == format!("after-stage-{k}") {
            if k < levels {
                let mut answers = vec![
                    ("Yes".to_string(), None, format!("resolved-at-stage-{k}")),
                    ("No".to_string(), None, entry(k + 1)),
                ];
                let extra = r.range(0, 2);
                let mut options = r.distinct(3, extra);
                options.sort_unstable();
                for o in options {
                    match o {
                        0 => answers.push(("Partly".to_string(), None, entry(k + 1))),
                        1 => {
                            answers.push((
                                "The matter was withdrawn".to_string(),
                                Some("withdrawn".to_string()),
                                "withdrawn".to_string(),
                            ));
                            if !shared_endings.iter().any(|e| e.id == "withdrawn") {
                                shared_endings.push(Spec::ending(
                                    "withdrawn",
                                    "The matter was withdrawn",
                                    "left",
                                ));
                            }
                        }
                        _ => {
                            answers.push((
                                "It belongs to another procedure".to_string(),
                                Some("elsewhere".to_string()),
                                "another-procedure".to_string(),
                            ));
                            if !shared_endings.iter().any(|e| e.id == "another-procedure") {
                                shared_endings.push(Spec::ending(
                                    "another-procedure",
                                    "Referred to another procedure",
                                    "referred",
                                ));
                            }
                        }
                    }
                }
                summary.answers[answers.len() - 2] += 1;
                nodes.push(Spec::decision(
                    format!("after-stage-{k}"),
                    format!("Was the matter resolved at Stage {k}?"),
                    answers,
                ));
                nodes.push(Spec::ending(
                    &format!("resolved-at-stage-{k}"),
                    &format!("Resolved at Stage {k}"),
                    "resolved",
                ));
            } else {
                let finals: &[(&str, &str, &str, &str)] = &[
                    ("Upheld", "upheld", "Complaint upheld", "resolved"),
                    ("Not upheld", "not-upheld", "Complaint not upheld", "left"),
                    (
                        "Referred to mediation",
                        "mediation",
                        "Referred to mediation",
                        "referred",
                    ),
                    (
                        "Partly upheld",
                        "partly-upheld",
                        "Complaint partly upheld",
                        "resolved",
                    ),
                ];
                let n = r.range(2, 4);
                summary.answers[n - 2] += 1;
                let answers = finals[..n]
                    .iter()
                    .map(|(label, id, _, _)| (label.to_string(), None, id.to_string()))
                    .collect();
                nodes.push(Spec::decision(
                    format!("after-stage-{k}"),
                    "What did the panel decide?".to_string(),
                    answers,
                ));
                for (_, id, title, outcome) in &finals[..n] {
                    nodes.push(Spec::ending(id, title, outcome));
                }
            }
        } else if after == "final-referral" {
            nodes.push(Spec::ending(
                "final-referral",
                "Referred for independent mediation",
                "referred",
            ));
        }
    }
    nodes.extend(shared_endings);
    if split_at > 0 {
        summary.answers[nodes
            .iter()
            .find(|n| n.id == format!("stage-{split_at}-route"))
            .map_or(0, |n| n.answers.len() - 2)] += 1;
    }
    nodes
}

/// One route test per stage ("still at") and per ending ("arrived at"): the first path found.
fn route_tests(nodes: &[Spec], r: &mut Rng) -> Vec<(String, Vec<String>, String)> {
    let find = |id: &str| {
        nodes
            .iter()
            .position(|n| n.id == id)
            .expect("generated ids resolve")
    };
    let mut path: Vec<Option<Vec<String>>> = vec![None; nodes.len()];
    path[0] = Some(Vec::new());
    let mut queue = std::collections::VecDeque::from([0usize]);
    // The test may give a decision's answer by its label or its key, as coordinators do.
    let by_label = r.chance(50);
    while let Some(i) = queue.pop_front() {
        let here = path[i].clone().unwrap_or_default();
        let mut visit = |answer: String, next: &str| {
            let j = find(next);
            if path[j].is_none() {
                let mut p = here.clone();
                p.push(answer);
                path[j] = Some(p);
                queue.push_back(j);
            }
        };
        match nodes[i].kind {
            Kind::Stage => visit(
                "finished".to_string(),
                nodes[i].next.as_deref().unwrap_or_default(),
            ),
            Kind::Decision => {
                for (label, key, next) in &nodes[i].answers {
                    let answer = match key {
                        Some(k) if !by_label => k.clone(),
                        _ => label.clone(),
                    };
                    visit(answer, next);
                }
            }
            Kind::Ending => {}
        }
    }
    let mut tests = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        let answers = path[i].clone().expect("every generated node is reachable");
        match n.kind {
            Kind::Stage => {
                let mut a = answers;
                a.push("not-yet".to_string());
                let heading = format!("{}: {}", n.label.as_deref().unwrap_or_default(), n.title);
                tests.push((format!("Still at {heading} ({})", n.id), a, n.id.clone()));
            }
            Kind::Ending => tests.push((format!("Arrives at {}", n.title), answers, n.id.clone())),
            // Only such decisions may be taken by others; the test is kept if one is.
            Kind::Decision if n.answers.len() > 2 => {
                let mut a = answers;
                a.push("waiting".to_string());
                tests.push((format!("Waiting at {}", n.id), a, n.id.clone()));
            }
            Kind::Decision => {}
        }
    }
    tests
}

/// A deadline's period text, e.g. `2-4 weeks`; counts it in the summary.
fn period(r: &mut Rng, unit: usize, summary: &mut Summary) -> String {
    let (amounts, one, many): (&[u32], &str, &str) = match unit {
        0 => (&[7, 10, 14, 21, 28, 30, 42], "day", "days"),
        1 => (&[1, 5, 10, 15, 20, 28, 40], "working day", "working days"),
        2 => (&[1, 2, 3, 4, 6, 8], "week", "weeks"),
        _ => (&[1, 2, 3, 6], "month", "months"),
    };
    summary.units[unit] += 1;
    let min = amounts[r.below(amounts.len())];
    if r.chance(25) {
        summary.ranges += 1;
        let max = min + 1 + r.below(min as usize + 2) as u32;
        let dash = if r.chance(20) { " – " } else { "-" };
        return format!("{min}{dash}{max} {many}");
    }
    if unit == 0 && r.chance(25) {
        return format!("{min} calendar {}", if min == 1 { "day" } else { "days" });
    }
    format!("{min} {}", if min == 1 { one } else { many })
}

fn markdown_summary(r: &mut Rng, area: &str) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "How public bodies and voluntary organisations in **{area}** resolve differences under the [local Compact](https://www.{}.example.org/compact). ",
        slugify(area)
    );
    paragraph_of(r, 1, 3, &mut s);
    if r.chance(30) {
        s.push_str("\n\nThe procedure aims to:\n\n");
        for _ in 0..r.range(2, 4) {
            s.push_str("- ");
            sentence(r, &mut s);
            s.push('\n');
        }
    }
    s
}

fn push_list(out: &mut String, key: &str, indent: usize, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let pad = " ".repeat(indent);
    let _ = writeln!(out, "{pad}{key}:");
    for item in items {
        let _ = writeln!(out, "{pad}  - {}", q(item));
    }
}

/// Procedure `index` of the corpus: its slug and its YAML.
fn procedure(seed: u64, index: usize, summary: &mut Summary) -> (String, String) {
    let mut r = Rng::new(seed, STREAM_PROCEDURE, index as u64);
    let area = place(&mut r);
    let slug = format!("{}-{:05}", slugify(&area), index + 1);
    let area_slug = slugify(&area);
    let owner = format!("{area} Compact Group");
    let mut y = String::with_capacity(24 * 1024);
    let _ = writeln!(
        y,
        "# yaml-language-server: $schema=../schema/procedure.schema.json"
    );
    let _ = writeln!(
        y,
        "# Synthetic procedure {} of the benchmark corpus (seed {seed}).",
        index + 1
    );
    let _ = writeln!(
        y,
        "title: {}",
        q(&format!("{area} Compact: Resolving Differences"))
    );
    let _ = writeln!(y, "short_title: {}", q(&format!("{area} ({})", index + 1)));
    let _ = writeln!(y, "area: {}", q(&area));
    let _ = writeln!(y, "owner: {}", q(&owner));
    y.push_str("summary: ");
    block(&mut y, 2, &markdown_summary(&mut r, &area));
    let audience: Vec<String> = r
        .some(4, 1, 3)
        .into_iter()
        .map(|i| {
            [
                "Voluntary and community organisations",
                "Public bodies",
                "Social enterprises",
                "Parish and town councils",
            ][i]
                .to_string()
        })
        .collect();
    push_list(&mut y, "audience", 0, &audience);

    // Sections, about one procedure in ten with a little raw HTML.
    let with_html = r.chance(10);
    let sections = r.some(SECTION_HEADINGS.len(), 1, 4);
    y.push_str("sections:\n");
    for (n, s) in sections.into_iter().enumerate() {
        let _ = writeln!(y, "  - heading: {}", q(SECTION_HEADINGS[s]));
        let mut body = String::new();
        paragraph_of(&mut r, 2, 4, &mut body);
        if r.chance(50) {
            body.push_str("\n\n");
            for _ in 0..r.range(2, 5) {
                body.push_str("- ");
                sentence(&mut r, &mut body);
                body.push('\n');
            }
        }
        if with_html && n == 0 {
            body.push_str("\n\nThe <abbr title=\"Council for Voluntary Service\">CVS</abbr> keeps the list of <em>Compact Champions</em>.");
        }
        y.push_str("    body: ");
        block(&mut y, 6, &body);
    }
    if r.chance(60) {
        y.push_str("scope:\n");
        let covers: Vec<String> = (0..r.range(2, 4))
            .map(|_| {
                let mut s = String::new();
                sentence(&mut r, &mut s);
                s
            })
            .collect();
        let excludes: Vec<String> = (0..r.range(1, 3))
            .map(|_| {
                let mut s = String::new();
                sentence(&mut r, &mut s);
                s
            })
            .collect();
        push_list(&mut y, "covers", 2, &covers);
        push_list(&mut y, "excludes", 2, &excludes);
    }
    if r.chance(50) {
        let codes: Vec<String> = r
            .some(CODES.len(), 2, 5)
            .into_iter()
            .map(|i| CODES[i].to_string())
            .collect();
        push_list(&mut y, "codes", 0, &codes);
    }
    let terms = r.some(GLOSSARY.len(), 0, 5);
    if !terms.is_empty() {
        y.push_str("glossary:\n");
        for t in terms {
            let (term, meaning) = GLOSSARY[t];
            let _ = writeln!(y, "  - term: {}\n    meaning: {}", q(term), q(meaning));
        }
    }

    // Contacts first (stages refer to them), written after the nodes.
    let contact_count = r.range(5, 40);
    summary.contacts += contact_count;
    let mut contacts = String::new();
    let mut contact_ids = Vec::with_capacity(contact_count);
    contacts.push_str("contacts:\n");
    for c in 0..contact_count {
        let role = r.pick(ROLES);
        let id = format!("{}-{}", slugify(role), c + 1);
        let org_place = if r.chance(70) {
            area.clone()
        } else {
            place(&mut r)
        };
        let organisation = format!("{org_place} {}", r.pick(ORG_KINDS));
        let _ = writeln!(contacts, "  - id: {id}");
        let _ = writeln!(contacts, "    organisation: {}", q(&organisation));
        let departments: Vec<String> = r
            .some(DEPARTMENTS.len(), 0, 3)
            .into_iter()
            .map(|i| DEPARTMENTS[i].to_string())
            .collect();
        if !departments.is_empty() {
            let list: Vec<String> = departments.iter().map(|d| q(d)).collect();
            let _ = writeln!(contacts, "    departments: [{}]", list.join(", "));
        }
        let _ = writeln!(contacts, "    role: {}", q(role));
        let name = r
            .chance(55)
            .then(|| format!("{} {}", r.pick(FIRST_NAMES), r.pick(LAST_NAMES)));
        if let Some(name) = &name {
            let _ = writeln!(contacts, "    name: {}", q(name));
        }
        let has_phone = r.chance(80);
        let has_email = !has_phone || r.chance(75);
        if has_phone {
            // Ofcom's ranges reserved for drama: never a real number.
            let phone = match r.below(3) {
                0 => format!("01632 960{:03}", r.below(1000)),
                1 => format!("020 7946 0{:03}", r.below(1000)),
                _ => format!("0113 496 0{:03}", r.below(1000)),
            };
            let _ = writeln!(contacts, "    phone: {}", q(&phone));
        }
        if has_email {
            let local = match &name {
                Some(n) => slugify(n).replace('-', "."),
                None => slugify(role),
            };
            let _ = writeln!(
                contacts,
                "    email: {}",
                q(&format!("{local}@{}.example.org", slugify(&org_place)))
            );
        }
        if r.chance(30) {
            let _ = writeln!(contacts, "    address:");
            let _ = writeln!(contacts, "      - {}", q(&organisation));
            let _ = writeln!(
                contacts,
                "      - {}",
                q(&format!("{} {}", r.range(1, 120), r.pick(STREETS)))
            );
            let _ = writeln!(contacts, "      - {}", q(&org_place));
            let _ = writeln!(
                contacts,
                "      - {}",
                q(&format!("ZZ{} {}XX", r.range(1, 99), r.range(1, 9)))
            );
        }
        if r.chance(30) {
            let _ = writeln!(
                contacts,
                "    url: {}",
                q(&format!(
                    "https://www.{}.example.org/contact",
                    slugify(&org_place)
                ))
            );
        }
        if r.chance(15) {
            let _ = writeln!(
                contacts,
                "    note: {}",
                q("Please say that you are writing about the Compact.")
            );
        }
        contact_ids.push(id);
    }

    // Resources, for referrals and mediation.
    let resource_picks = r.some(RESOURCE_TITLES.len(), 1, 4);
    let mut resources = String::from("resources:\n");
    let mut resource_ids = Vec::new();
    for i in resource_picks {
        let title = RESOURCE_TITLES[i];
        let id = slugify(title);
        let _ = writeln!(resources, "  - id: {id}\n    title: {}", q(title));
        let _ = writeln!(
            resources,
            "    url: {}",
            q(&format!("https://www.{id}.example.org/"))
        );
        let mut description = String::new();
        sentence(&mut r, &mut description);
        let _ = writeln!(resources, "    description: {}", q(&description));
        if r.chance(50) {
            let _ = writeln!(
                resources,
                "    fee: {}",
                q("There may be a financial charge for using this service.")
            );
        }
        resource_ids.push(id);
    }

    // The nodes.
    // Any five procedures in a row have 2, 3, 4, 5 and 6 stage levels, in turn.
    let levels = 2 + (index + (seed % 5) as usize) % 5;
    let nodes = shape(&mut r, levels, summary);
    summary.nodes += nodes.len();
    let tests = route_tests(&nodes, &mut r);
    // The decisions given a `decided_by`, whose waiting route tests are kept.
    let mut awaited = std::collections::HashSet::new();
    let _ = writeln!(y, "start: {}", nodes[0].id);
    y.push_str("nodes:\n");
    let unit_offset = r.below(4);
    let strength_offset = r.below(4);
    let mut deadline_number = 0usize;
    let mut stage_count = 0usize;
    for n in &nodes {
        let _ = writeln!(y, "  - id: {}", n.id);
        match n.kind {
            Kind::Stage => {
                stage_count += 1;
                y.push_str("    kind: stage\n");
                push_list(&mut y, "aliases", 4, &n.aliases);
                let _ = writeln!(
                    y,
                    "    label: {}",
                    q(n.label.as_deref().unwrap_or_default())
                );
                let _ = writeln!(y, "    title: {}", q(&n.title));
                let mut s = String::new();
                sentence(&mut r, &mut s);
                y.push_str("    summary: ");
                block(&mut y, 6, &s);
                let who: Vec<String> = r
                    .some(WHO.len(), 1, 3)
                    .into_iter()
                    .map(|i| WHO[i].to_string())
                    .collect();
                push_list(&mut y, "who", 4, &who);
                y.push_str("    steps:\n");
                let numbered = r.chance(70);
                for (j, t) in r.some(STEP_TEXTS.len(), 2, 6).into_iter().enumerate() {
                    if numbered {
                        let _ =
                            writeln!(y, "      - ref: {}", q(&format!("{}.{}", n.level, j + 1)));
                        y.push_str("        text: ");
                    } else {
                        y.push_str("      - text: ");
                    }
                    block(&mut y, 10, STEP_TEXTS[t]);
                }
                y.push_str("    deadlines:\n");
                for _ in 0..r.range(1, 3) {
                    let unit = (deadline_number + unit_offset) % 4;
                    let strength = (deadline_number + strength_offset) % 4;
                    deadline_number += 1;
                    summary.strengths[strength] += 1;
                    let p = period(&mut r, unit, summary);
                    let before = if strength == 3 {
                        r.chance(80)
                    } else {
                        r.chance(10)
                    };
                    summary.after_before[usize::from(before)] += 1;
                    let what = r.pick(WHATS);
                    let who = r.pick(WHO);
                    let event = if before {
                        r.pick(EVENTS_BEFORE)
                    } else {
                        r.pick(EVENTS_AFTER)
                    };
                    let wording = match (strength, before) {
                        (_, true) => format!("{who} must give at least {p} notice before {event}."),
                        (0, _) => format!(
                            "{who} will endeavour to respond within {p} of the day {event}."
                        ),
                        (1, _) => format!("{what} should happen within {p} of the day {event}."),
                        (2, _) => format!("{what} no later than {p} after {event}."),
                        _ => format!("{who} will allow at least {p} after {event}."),
                    };
                    let _ = writeln!(y, "      - what: {}", q(what));
                    let _ = writeln!(y, "        period: {}", q(&p));
                    let _ = writeln!(
                        y,
                        "        {}: {}",
                        if before { "before" } else { "after" },
                        q(event)
                    );
                    let _ = writeln!(y, "        strength: {}", STRENGTH_NAMES[strength]);
                    if r.chance(70) {
                        let _ = writeln!(y, "        who: {}", q(who));
                    }
                    let _ = writeln!(y, "        wording: {}", q(&wording));
                }
                if r.chance(40) {
                    y.push_str("    documents:\n");
                    let _ = writeln!(y, "      - title: {}", q("Compact Resolution Form"));
                    let _ = writeln!(
                        y,
                        "        url: {}",
                        q(&format!(
                            "https://www.{area_slug}.example.org/compact/form-{}.pdf",
                            n.level
                        ))
                    );
                    let _ = writeln!(
                        y,
                        "        note: {}",
                        q("Fill in parts 1 and 2; the Compact Officer fills in part 3.")
                    );
                }
                if r.chance(30) {
                    y.push_str("    checklists:\n");
                    let _ = writeln!(y, "      - title: {}", q("Your letter should include"));
                    y.push_str("        items:\n");
                    for item in [
                        "What the difference is about",
                        "Which part of the Compact applies",
                        "What you have done so far",
                        "What you would like to happen",
                    ]
                    .iter()
                    .take(r.range(2, 4))
                    {
                        let _ = writeln!(y, "          - {}", q(item));
                    }
                }
                let picks: Vec<String> = r
                    .some(contact_ids.len(), 1, 3)
                    .into_iter()
                    .map(|i| contact_ids[i].clone())
                    .collect();
                let _ = writeln!(y, "    contacts: [{}]", picks.join(", "));
                if r.chance(30) {
                    let mut note = String::new();
                    sentence(&mut r, &mut note);
                    push_list(&mut y, "notes", 4, &[note]);
                }
                if r.chance(15) {
                    y.push_str("    wizard:\n");
                    let _ = writeln!(
                        y,
                        "      question: {}",
                        q(&format!(
                            "Has {} finished?",
                            n.label.as_deref().unwrap_or("this stage")
                        ))
                    );
                    let _ = writeln!(y, "      not_yet: {}", q("No, we are still working on it"));
                }
                let _ = writeln!(y, "    next: {}", n.next.as_deref().unwrap_or_default());
            }
            Kind::Decision => {
                y.push_str("    kind: decision\n");
                let _ = writeln!(y, "    question: {}", q(&n.title));
                if n.answers.len() > 2 && r.chance(40) {
                    let _ = writeln!(y, "    decided_by: {}", q("The Chair of the Compact Group"));
                    awaited.insert(n.id.clone());
                }
                y.push_str("    answers:\n");
                for (label, key, next) in &n.answers {
                    let _ = writeln!(y, "      - label: {}", q(label));
                    if let Some(key) = key {
                        let _ = writeln!(y, "        key: {key}");
                    }
                    if label == "Partly" {
                        let _ = writeln!(
                            y,
                            "        wizard_label: {}",
                            q("Partly: some points are still open")
                        );
                    }
                    let _ = writeln!(y, "        next: {next}");
                }
            }
            Kind::Ending => {
                y.push_str("    kind: ending\n");
                let _ = writeln!(y, "    outcome: {}", n.outcome);
                let _ = writeln!(y, "    title: {}", q(&n.title));
                let mut s = String::new();
                paragraph_of(&mut r, 1, 2, &mut s);
                y.push_str("    next_steps: ");
                block(&mut y, 6, &s);
                if n.outcome == "referred" {
                    let picks: Vec<String> = r
                        .some(resource_ids.len(), 1, 2)
                        .into_iter()
                        .map(|i| resource_ids[i].clone())
                        .collect();
                    let _ = writeln!(y, "    resources: [{}]", picks.join(", "));
                }
                if r.chance(25) {
                    let _ = writeln!(
                        y,
                        "    contacts: [{}]",
                        contact_ids[r.below(contact_ids.len())]
                    );
                }
            }
        }
    }
    y.push_str(&contacts);
    y.push_str(&resources);
    if r.chance(70) {
        y.push_str("monitoring:\n  text: ");
        let mut s = String::new();
        paragraph(&mut r, 2, &mut s);
        block(&mut y, 4, &s);
        let _ = writeln!(
            y,
            "  review_every: {}",
            q(r.pick(&["12 months", "18 months", "24 months", "52 weeks"]))
        );
        let _ = writeln!(y, "  reviewed_by: {}", q(&owner));
    }
    let _ = writeln!(
        y,
        "adopted: {}",
        q(&match r.below(3) {
            0 => format!("{}", r.range(2005, 2024)),
            1 => format!("{}-{:02}", r.range(2005, 2024), r.range(1, 12)),
            _ => format!(
                "{}-{:02}-{:02}",
                r.range(2005, 2024),
                r.range(1, 12),
                r.range(1, 28)
            ),
        })
    );
    // On or before TODAY, with the next review (12 months or more later) not yet due.
    let _ = writeln!(
        y,
        "last_reviewed: {}",
        q(&format!("2026-{:02}-{:02}", r.range(1, 10), r.range(1, 28)))
    );
    y.push_str("source:\n");
    let _ = writeln!(
        y,
        "  title: {}",
        q(&format!("{area} Compact: Resolving Differences"))
    );
    let _ = writeln!(y, "  publisher: {}", q(&owner));
    let _ = writeln!(y, "  date: {}", q(&format!("{}", r.range(2008, 2024))));
    let _ = writeln!(
        y,
        "  url: {}",
        q(&format!(
            "https://www.{area_slug}.example.org/compact/resolving-differences.pdf"
        ))
    );
    if r.chance(50) {
        let notes: Vec<String> = (0..r.range(1, 3))
            .map(|_| {
                let mut s = String::new();
                sentence(&mut r, &mut s);
                s
            })
            .collect();
        push_list(&mut y, "notes", 0, &notes);
    }
    y.push_str("tests:\n");
    let waits_for_nobody = |answers: &[String], expect: &String| {
        answers.last().is_some_and(|a| a == "waiting") && !awaited.contains(expect)
    };
    for (name, answers, expect) in tests.iter().filter(|(_, a, e)| !waits_for_nobody(a, e)) {
        let list: Vec<String> = answers.iter().map(|a| q(a)).collect();
        let _ = writeln!(
            y,
            "  - {{ name: {}, answers: [{}], expect: {expect} }}",
            q(name),
            list.join(", ")
        );
    }
    // The procedure page, the guide's first page, a page per node, a "you are
    // here" page per stage and per decision taken by others, and a redirect per alias.
    let aliases: usize = nodes.iter().map(|n| n.aliases.len()).sum();
    summary.html_pages += 2 + nodes.len() + stage_count + awaited.len() + aliases;
    (slug, y)
}

// ---------------------------------------------------------------------------
// Markdown pages

/// Page `index` of `total`: its slug, its Markdown (with front matter) and the body's word count.
fn page(seed: u64, index: usize, total: usize) -> (String, String, usize) {
    let mut r = Rng::new(seed, STREAM_PAGE, index as u64);
    let slug = format!("page-{:05}", index + 1);
    let topic = r.pick(TOPICS);
    let title = format!("{topic}: note {}", index + 1);
    let mut description = String::new();
    sentence(&mut r, &mut description);
    let mut md = String::with_capacity(5 * 1024);
    let _ = write!(
        md,
        "---\ntitle: {}\ndescription: {}\norder: {}\n---\n\n",
        q(&title),
        q(description.replace("**", "").as_str()),
        index + 1
    );
    let mut words = paragraph_of(&mut r, 3, 5, &mut md);
    md.push_str("\n\n## Before you start\n\n");
    words += 3 + paragraph_of(&mut r, 3, 4, &mut md);
    md.push_str("\n\n");
    for _ in 0..r.range(4, 6) {
        md.push_str("- ");
        words += sentence(&mut r, &mut md);
        md.push('\n');
    }
    let other = (index + 1 + r.below(total.max(1))) % total.max(1);
    let _ = write!(
        md,
        "\nSee also [{}](../page-{:05}/index.html) and the [Compact website](https://www.compact.example.org/guidance).\n\n## Time limits at a glance\n\n",
        TOPICS[other % TOPICS.len()],
        other + 1
    );
    words += 13;
    md.push_str("| Stage | Time limit | Who acts |\n|---|---|---|\n");
    for row in 1..=r.range(4, 6) {
        let _ = writeln!(
            md,
            "| Stage {row} | {} {} | {} |",
            r.range(2, 28),
            r.pick(&["days", "working days", "weeks"]),
            r.pick(WHO)
        );
        words += 8;
    }
    md.push_str("\n### What the table means\n\n");
    words += 4 + paragraph(&mut r, 3, &mut md);
    md.push_str("\n\n");
    for n in 1..=r.range(3, 5) {
        let _ = write!(md, "{n}. ");
        words += sentence(&mut r, &mut md);
        md.push('\n');
    }
    md.push_str("\n> ");
    words += sentence(&mut r, &mut md);
    md.push_str("\n\n## In more detail\n\n");
    words += 3;
    while words < 600 {
        words += paragraph_of(&mut r, 3, 5, &mut md);
        md.push_str("\n\n");
    }
    md.push_str("Contact your `Compact Officer` if anything here is unclear.\n");
    words += 9;
    (slug, md, words)
}
