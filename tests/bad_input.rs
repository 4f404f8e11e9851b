//! Bad input: every malformed file a coordinator might write, and the exact
//! diagnostics `waymark check` must print for it.
//!
//! Each case builds a small site in a temp folder (a valid `site.yaml` plus
//! the bad procedure files, from `tests/fixtures/bad/` or made here when the
//! bytes cannot sensibly be committed), runs the real binary, and compares
//! the full list of diagnostics: file, line, column, severity, message and,
//! where it says something specific, the hint. Every diagnostic must have a
//! hint, the summary line must count what was printed, and nothing may panic.
//! No case is timed; a hang would show as a test that never finishes.

mod support;

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The date the checks treat as today.
const TODAY: &str = "2026-11-23";

/// The valid site file written into every case's site.
const SITE_YAML: &str = "title: Test site\n";

/// A valid procedure (the starter that `waymark new` writes).
fn valid_procedure() -> String {
    support::starter_with_own_text("Valid")
}

/// The valid procedure, naming `text` as its published text.
fn with_source_text(text: &str) -> String {
    let procedure = valid_procedure();
    assert!(
        procedure.contains("\nsource:\n"),
        "the starter has a source"
    );
    procedure.replacen("\nsource:\n", &format!("\nsource:\n  text: {text}\n"), 1)
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad")
}

/// How a case's site is made.
enum Site {
    /// `tests/fixtures/bad/NAME`: a file is copied into `procedures/`; a folder's files are.
    Fixture(&'static str),
    /// Written by a function, after `site.yaml` and an empty `procedures/` are in place.
    Made(fn(&Path)),
}

/// One expected diagnostic: its first line exactly, and its hint (`""`: any hint will do).
struct Expect(&'static str, &'static str);

struct Case {
    name: &'static str,
    site: Site,
    /// Extra arguments after `check --root DIR --today TODAY`.
    args: &'static [&'static str],
    exit: i32,
    expect: &'static [Expect],
}

use Site::{Fixture, Made};

const HINT_INDENT: &str = "fields of the same item must start in the same column, and list items ('- ') in the same column as each other; indent with spaces only";
const HINT_UTF8: &str = "save it as UTF-8 (in most editors: Save As, Encoding: UTF-8)";
const HINT_DEEP: &str =
    "check for runaway brackets or indentation; a procedure nests a few levels at most";
const HINT_CONTROL: &str = "delete it (it is invisible in most editors; it often comes with text pasted from another program)";
const HINT_ALIASES: &str =
    "do not use anchors (&name) and aliases (*name) to repeat large blocks: write the text out";

/// Every case. Line numbers count the comment each fixture starts with.
const CASES: &[Case] = &[
    // YAML syntax.
    Case {
        name: "a quote not closed on its line is found where it opens",
        site: Fixture("unclosed-quote.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/unclosed-quote.yaml:5:10: error: this quoted text is not closed on its line",
            "add the closing quote at the end of the text; without it the text runs on to the quote on line 10",
        )],
    },
    Case {
        name: "a quote still open at the end of the file",
        site: Fixture("unclosed-quote-at-end.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/unclosed-quote-at-end.yaml:23:10: error: this quoted text is never closed",
            "add the closing \" at the end of the text",
        )],
    },
    Case {
        name: "an unclosed bracket is found where it opens",
        site: Fixture("unclosed-bracket.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/unclosed-bracket.yaml:12:15: error: this '[' is not closed",
            "add ']' after the last item; separate items with ', '",
        )],
    },
    Case {
        name: "a line indented too far",
        site: Fixture("indented-too-far.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/indented-too-far.yaml:9:7: error: this line is indented too far",
            HINT_INDENT,
        )],
    },
    Case {
        name: "a list item indented too little",
        site: Fixture("indented-too-little.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/indented-too-little.yaml:14:2: error: this line is not indented like the lines above",
            HINT_INDENT,
        )],
    },
    Case {
        name: "a value with ': ' not in quotes",
        site: Fixture("colon-in-value.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/colon-in-value.yaml:11:19: error: this text contains ': ', so YAML reads it as another field",
            "put text that contains ': ' in quotes, e.g. title: \"Stage 1: Talk\"",
        )],
    },
    Case {
        name: "a tab used for indentation",
        site: Fixture("tab-indent.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/tab-indent.yaml:16:1: error: a tab character is used for indentation",
            "YAML allows only spaces for indentation: replace the tab with spaces",
        )],
    },
    Case {
        name: "text after a closing quote",
        site: Fixture("text-after-quote.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/text-after-quote.yaml:2:18: error: there is more text after the closing quote",
            "put the whole text inside the quotes, or remove the quotes",
        )],
    },
    Case {
        name: "a line that is not a field",
        site: Fixture("line-without-colon.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/line-without-colon.yaml:4:1: error: this line is not a 'name: value' field",
            "add the ':' after the field's name, or indent the line further if it continues the text above",
        )],
    },
    Case {
        name: "a backslash in double quotes",
        site: Fixture("bad-escape.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/bad-escape.yaml:16:26: error: a backslash in double quotes starts an escape sequence, and this one is not valid",
            "write \\\\ for a backslash, or use single quotes: 'C:\\Users'",
        )],
    },
    // Every shape and type error of a file that parses, in one run.
    Case {
        name: "many shape and type errors in one file",
        site: Fixture("many-shape-errors.yaml"),
        args: &[],
        exit: 1,
        expect: &[
            Expect(
                "procedures/many-shape-errors.yaml:2:1: error: missing field 'area'",
                "add a line 'area: ...' here; see docs/authoring.md",
            ),
            Expect(
                "procedures/many-shape-errors.yaml:5:11: error: expected a list in audience, found text \"Who it is for\"",
                "write a list: one item per line starting with '- ', or [a, b] on one line",
            ),
            Expect(
                "procedures/many-shape-errors.yaml:10:5: error: unknown field 'dedline' in nodes[0] (did you mean 'deadlines'?)",
                "the fields allowed here are: id, kind, aliases, label, title, summary, who, steps, deadlines, documents, checklists, contacts, choices, notes, next, question, decided_by, answers, outcome, next_steps, resources, wizard, unknown",
            ),
            Expect(
                "procedures/many-shape-errors.yaml:13:11: error: 'question' is not allowed here in nodes[1].kind",
                "write one of: stage, decision, ending",
            ),
            Expect(
                "procedures/many-shape-errors.yaml:21:12: error: expected text in contacts[0].email, found a list",
                "write plain text; put it in quotes if it starts with a special character",
            ),
        ],
    },
    Case {
        name: "a stage's part both given and listed as unknown",
        site: Fixture("unknown-part-given.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/unknown-part-given.yaml:11:5: error: the stage 'formal' gives 'steps' but also lists them as unknown",
            "keep what the source gives and remove 'steps' from 'unknown', or the other way round",
        )],
    },
    Case {
        name: "a starter file whose example text is untouched",
        site: Fixture("starter-untouched.yaml"),
        args: &[],
        exit: 0,
        expect: &[Expect(
            "procedures/starter-untouched.yaml:7:7: warning: 'area' still holds the starter's example text \"The area this procedure covers\"",
            "replace it with the procedure's own text, as published; the starter's text is also still in owner, summary, audience[0], contacts[0].organisation, contacts[0].email, source.title",
        )],
    },
    // Types.
    Case {
        name: "a list where text belongs",
        site: Fixture("list-for-text.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/list-for-text.yaml:3:3: error: expected text in title, found a list",
            "write plain text; put it in quotes if it starts with a special character",
        )],
    },
    Case {
        name: "text where a list belongs",
        site: Fixture("text-for-list.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/text-for-list.yaml:12:15: error: expected a list in nodes[0].contacts, found text \"office\"",
            "write a list: one item per line starting with '- ', or [a, b] on one line",
        )],
    },
    Case {
        name: "a set of fields where a list belongs",
        site: Fixture("map-for-list.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/map-for-list.yaml:13:7: error: expected a list in nodes[0].contacts, found a set of fields",
            "",
        )],
    },
    // Unknown fields, with suggestions.
    Case {
        name: "an unknown top-level field",
        site: Fixture("unknown-field-top.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/unknown-field-top.yaml:4:1: error: unknown field 'ownr' (did you mean 'owner'?)",
            "the fields allowed here are: title, short_title, area, calendar, owner, operator, summary, audience, sections, scope, codes, glossary, start, nodes, contacts, resources, monitoring, adopted, last_reviewed, source, notes, tests",
        )],
    },
    Case {
        name: "an unknown field in a node",
        site: Fixture("unknown-field-node.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/unknown-field-node.yaml:13:5: error: unknown field 'nxt' in nodes[0] (did you mean 'next'?)",
            "",
        )],
    },
    Case {
        name: "an unknown field in a deadline",
        site: Fixture("unknown-field-deadline.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/unknown-field-deadline.yaml:16:9: error: unknown field 'strenght' in nodes[0].deadlines[0] (did you mean 'strength'?)",
            "the fields allowed here are: what, period, after, before, whichever, assumed, strength, says, may_change, who, wording",
        )],
    },
    Case {
        name: "an unknown field in a contact",
        site: Fixture("unknown-field-contact.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/unknown-field-contact.yaml:21:5: error: unknown field 'emial' in contacts[0] (did you mean 'email'?)",
            "the fields allowed here are: id, organisation, departments, role, name, phone, email, address, url, note",
        )],
    },
    // Missing fields.
    Case {
        name: "no title",
        site: Fixture("missing-title.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/missing-title.yaml:2:1: error: missing field 'title'",
            "add a line 'title: ...' here; see docs/authoring.md",
        )],
    },
    Case {
        name: "no start",
        site: Fixture("missing-start.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/missing-start.yaml:2:1: error: missing field 'start'",
            "",
        )],
    },
    Case {
        name: "no source",
        site: Fixture("missing-source.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/missing-source.yaml:2:1: error: missing field 'source'",
            "",
        )],
    },
    Case {
        name: "a published text that does not exist, and a period its wording does not name",
        site: Fixture("source-text-missing.yaml"),
        args: &[],
        exit: 1,
        expect: &[
            Expect(
                "procedures/source-text-missing.yaml:14:17: error: the wording says 28 days, but the period says 21 days",
                "make the period what the wording says ('period: 28 days'), or check the wording is the one for this time limit",
            ),
            Expect(
                "procedures/source-text-missing.yaml:30:9: error: the published text 'sources/test.txt' does not exist",
                "save the published procedure as plain text at sources/test.txt (docs/authoring.md says how to extract it from a PDF), or remove 'text:'",
            ),
        ],
    },
    Case {
        name: "a published text that is not UTF-8",
        site: Made(|root| {
            write(
                root,
                "procedures/p.yaml",
                with_source_text("sources/p.txt").as_bytes(),
            );
            write(root, "sources/p.txt", b"Stage 1\n\xe9t\xe9\n");
        }),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "sources/p.txt:2:1: error: the file is not valid UTF-8 text",
            HINT_UTF8,
        )],
    },
    Case {
        name: "a published text that is a folder",
        site: Made(|root| {
            write(
                root,
                "procedures/p.yaml",
                with_source_text("sources/p.txt").as_bytes(),
            );
            fs::create_dir_all(root.join("sources/p.txt")).expect("mkdir");
        }),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "sources/p.txt: error: this is a folder, but a plain-text copy of the published procedure belongs here",
            "name a file, not a folder",
        )],
    },
    Case {
        name: "a published text outside the sources folder",
        site: Made(|root| {
            write(
                root,
                "procedures/p.yaml",
                with_source_text("site.yaml").as_bytes(),
            );
        }),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/p.yaml:64:9: error: the published text 'site.yaml' is not a file in the site's sources/ folder",
            "keep the published text in the site's sources/ folder and name it from the site root, e.g. 'sources/p.txt'",
        )],
    },
    Case {
        name: "a deadline without a period",
        site: Fixture("missing-period.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/missing-period.yaml:13:9: error: missing field 'period' in nodes[0].deadlines[0]",
            "add a line 'period: ...' here; see docs/authoring.md",
        )],
    },
    Case {
        name: "start with no value",
        site: Fixture("empty-start.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/empty-start.yaml:6:1: error: 'start' is empty",
            "write the id of the node a reader starts at, e.g. 'start: talk'",
        )],
    },
    // Unknown values.
    Case {
        name: "kind: stag",
        site: Fixture("unknown-kind.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/unknown-kind.yaml:9:11: error: 'stag' is not allowed here in nodes[0].kind (did you mean 'stage'?)",
            "write one of: stage, decision, ending",
        )],
    },
    Case {
        name: "an unknown strength",
        site: Fixture("unknown-strength.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/unknown-strength.yaml:16:19: error: 'firm' is not allowed here in nodes[0].deadlines[0].strength",
            "write one of: must, will, should, endeavour, target, recommended, no-later-than, at-least",
        )],
    },
    Case {
        name: "an unknown outcome",
        site: Fixture("unknown-outcome.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/unknown-outcome.yaml:17:14: error: 'solved' is not allowed here in nodes[1].outcome (did you mean 'resolved'?)",
            "write one of: resolved, referred, left, closed, withdrawn, not-covered",
        )],
    },
    Case {
        name: "time limits whose parts do not fit together, all in one run",
        site: Fixture("deadline-misuse.yaml"),
        args: &[],
        exit: 1,
        expect: &[
            Expect(
                "procedures/deadline-misuse.yaml:16:9: error: the deadline 'Reply sent' says 'whichever' but counts from one event",
                "'whichever' chooses between the events listed in 'after'; remove it, or list the events",
            ),
            Expect(
                "procedures/deadline-misuse.yaml:18:15: error: 'must reply within' is not in the published wording of 'Reply sent'",
                "'says' quotes words of 'wording' exactly, e.g. 'should be no later than'",
            ),
            Expect(
                "procedures/deadline-misuse.yaml:22:16: error: the deadline 'Complaint made' lists fewer than two events to count from",
                "write one event as 'after: the letter was received', or list two or more",
            ),
            Expect(
                "procedures/deadline-misuse.yaml:28:9: error: the deadline 'Review held' explains an assumption but its start is not stated",
                "'assumed' says why you chose the event in 'after'; with 'after: not stated' remove it",
            ),
            Expect(
                "procedures/deadline-misuse.yaml:30:21: error: 'unless the panel agrees otherwise' is not in the published wording of 'Review held'",
                "'may_change' quotes words of 'wording' exactly, e.g. 'subject to availability of parties concerned'",
            ),
            Expect(
                "procedures/deadline-misuse.yaml:37:18: error: there is no node with the id 'early-resolution'",
                "write the id of the node whose place on the route decides for this event",
            ),
        ],
    },
    Case {
        name: "decisions and the scope question misused, all in one run",
        site: Fixture("decision-and-scope-misuse.yaml"),
        args: &[],
        exit: 1,
        expect: &[
            Expect(
                "procedures/decision-and-scope-misuse.yaml:8:3: error: the scope has answers but no question",
                "add 'question:' with what the guide asks first, e.g. 'question: Is your dispute about a Compact theme or principle?'",
            ),
            Expect(
                "procedures/decision-and-scope-misuse.yaml:24:5: error: the decision 'agreed' has time limits but does not say who decides",
                "a time limit on a decision is one on someone else's decision: add 'decided_by:' with who takes it, or move the time limits to the stage before",
            ),
            Expect(
                "procedures/decision-and-scope-misuse.yaml:43:14: error: the answer 'Wait and see' of 'chair' has the web address key 'waiting', which the guide keeps for a reader still waiting for the decision",
                "give the answer another 'key:', e.g. 'key: wait'",
            ),
        ],
    },
    // Periods: placed at the period itself, not at the deadline.
    Case {
        name: "a period in words",
        site: Fixture("period-in-words.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/period-in-words.yaml:14:17: error: cannot read the period 'three weeks' (in nodes[0].deadlines[0].period)",
            "write a number then a unit, e.g. '2 weeks', '2-4 weeks' or '28 working days'",
        )],
    },
    Case {
        name: "a range that runs backwards",
        site: Fixture("period-backwards.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/period-backwards.yaml:14:17: error: the range '4-2 weeks' must run from a smaller to a larger number (in nodes[0].deadlines[0].period)",
            "write the smaller number first, e.g. '2-4 weeks'",
        )],
    },
    Case {
        name: "a unit the format does not know",
        site: Fixture("period-unknown-unit.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/period-unknown-unit.yaml:14:17: error: unknown unit 'fortnights' in '2 fortnights' (in nodes[0].deadlines[0].period)",
            "use 'days', 'working days', 'weeks' or 'months', or '(unit not stated)'",
        )],
    },
    // Duplicates: placed at the second one.
    Case {
        name: "a top-level field given twice",
        site: Fixture("duplicate-key.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/duplicate-key.yaml:5:1: error: 'owner' is given twice",
            "a field may appear once in each item: keep this one or the one on line 4",
        )],
    },
    Case {
        name: "a node's field given twice",
        site: Fixture("duplicate-node-key.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/duplicate-node-key.yaml:14:5: error: 'next' is given twice in nodes[0]",
            "a field may appear once in each item: keep this one or the one on line 13",
        )],
    },
    Case {
        name: "two nodes with one id",
        site: Fixture("duplicate-node-id.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/duplicate-node-id.yaml:18:9: error: the id 'settled' is used twice",
            "each node needs its own id (aliases count as ids too)",
        )],
    },
    Case {
        name: "a node called 'index', the name of the guide's first page",
        site: Fixture("reserved-id.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/reserved-id.yaml:14:9: error: the id 'index' is taken by the first page of the guide (index.html)",
            "choose another id, e.g. 'index-stage'",
        )],
    },
    Case {
        name: "two contacts with one id",
        site: Fixture("duplicate-contact-id.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/duplicate-contact-id.yaml:22:9: error: the contact id 'office' is used twice",
            "give each contact its own id",
        )],
    },
    Case {
        name: "ids with capitals, spaces and underscores",
        site: Fixture("bad-ids.yaml"),
        args: &[],
        exit: 1,
        expect: &[
            Expect(
                "procedures/bad-ids.yaml:14:9: error: the id 'All Settled' cannot be used in web addresses",
                "use lower-case letters, digits and single hyphens, e.g. 'all-settled'",
            ),
            Expect(
                "procedures/bad-ids.yaml:19:9: error: the contact id 'Main_Office' is not a simple name",
                "use lower-case letters, digits and single hyphens, e.g. 'main-office'",
            ),
        ],
    },
    // References.
    Case {
        name: "start names no node",
        site: Fixture("start-typo.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/start-typo.yaml:6:8: error: start names 'tlak', but there is no node with that id",
            "did you mean 'talk'?",
        )],
    },
    Case {
        name: "next names no node",
        site: Fixture("next-typo.yaml"),
        args: &[],
        exit: 1,
        expect: &[
            Expect(
                "procedures/next-typo.yaml:13:11: error: there is no node with the id 'setled'",
                "did you mean 'settled'?",
            ),
            Expect(
                "procedures/next-typo.yaml:14:9: error: the node 'settled' cannot be reached from the start",
                "link to it with 'next:' or an answer, or remove it",
            ),
        ],
    },
    Case {
        name: "next names an alias instead of the current id",
        site: Fixture("next-names-alias.yaml"),
        args: &[],
        exit: 1,
        expect: &[
            Expect(
                "procedures/next-names-alias.yaml:13:11: error: 'done' is an old id of the node 'settled'",
                "write 'settled': aliases only keep old web addresses working",
            ),
            Expect(
                "procedures/next-names-alias.yaml:14:9: error: the node 'settled' cannot be reached from the start",
                "",
            ),
        ],
    },
    Case {
        name: "an answer names no node",
        site: Fixture("answer-typo.yaml"),
        args: &[],
        exit: 1,
        expect: &[
            Expect(
                "procedures/answer-typo.yaml:21:15: error: there is no node with the id 'refered'",
                "did you mean 'referred'?",
            ),
            Expect(
                "procedures/answer-typo.yaml:26:9: error: the node 'referred' cannot be reached from the start",
                "",
            ),
        ],
    },
    Case {
        name: "a node names no contact",
        site: Fixture("contact-typo.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/contact-typo.yaml:12:16: error: there is no contact with the id 'ofice'",
            "did you mean 'office'?",
        )],
    },
    Case {
        name: "an ending names no resource",
        site: Fixture("resource-typo.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/resource-typo.yaml:18:17: error: there is no resource with the id 'mediaton'",
            "did you mean 'mediation'?",
        )],
    },
    // The graph.
    Case {
        name: "a node nothing leads to",
        site: Fixture("unreachable.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/unreachable.yaml:18:9: error: the node 'lost' cannot be reached from the start",
            "link to it with 'next:' or an answer, or remove it",
        )],
    },
    Case {
        name: "a cycle, printed",
        site: Fixture("cycle.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/cycle.yaml:21:15: error: the procedure goes round in a circle: talk → agreed → talk",
            "a procedure must always move forward to an ending; point this to a later node",
        )],
    },
    Case {
        name: "a stage with no next",
        site: Fixture("stage-without-next.yaml"),
        args: &[],
        exit: 1,
        expect: &[
            Expect(
                "procedures/stage-without-next.yaml:9:11: error: the stage 'talk' has no 'next'",
                "a stage needs one way on: add 'next:' with the id of the decision, stage or ending that follows",
            ),
            Expect(
                "procedures/stage-without-next.yaml:13:9: error: the node 'settled' cannot be reached from the start",
                "",
            ),
        ],
    },
    Case {
        name: "a decision with one answer",
        site: Fixture("decision-one-answer.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/decision-one-answer.yaml:18:7: error: the decision 'agreed' has 1 answer, but a decision needs at least two",
            "add the other answers, or make this a stage with 'next:' if there is no choice",
        )],
    },
    Case {
        name: "two answers with one label, reported once",
        site: Fixture("duplicate-answer-labels.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/duplicate-answer-labels.yaml:20:16: error: two answers of 'agreed' are labelled 'yes'",
            "each answer needs a different label so readers can tell them apart",
        )],
    },
    Case {
        name: "answers on a stage",
        site: Fixture("answers-on-stage.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/answers-on-stage.yaml:14:5: error: a stage cannot have 'answers' (node 'talk')",
            "'answers' belongs on a decision; remove it or change 'kind'",
        )],
    },
    Case {
        name: "next on an ending",
        site: Fixture("next-on-ending.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/next-on-ending.yaml:26:5: error: an ending cannot have 'next' (node 'settled')",
            "'next' belongs on a stage; remove it or change 'kind'",
        )],
    },
    Case {
        name: "an ending without an outcome",
        site: Fixture("ending-without-outcome.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/ending-without-outcome.yaml:15:11: error: the ending 'settled' has no 'outcome'",
            "add 'outcome:' with resolved, referred, left, closed, withdrawn or not-covered",
        )],
    },
    Case {
        name: "a deadline with after and before",
        site: Fixture("deadline-after-and-before.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/deadline-after-and-before.yaml:16:9: error: the deadline 'Meeting held' has both 'after' and 'before'",
            "a deadline counts from one event: keep 'after' (a time limit) or 'before' (a notice period)",
        )],
    },
    Case {
        name: "a deadline with neither after nor before",
        site: Fixture("deadline-neither.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/deadline-neither.yaml:13:9: error: the deadline 'Meeting held' does not say what it counts from",
            "add 'after: the letter was received' (a time limit) or 'before: the meeting' (a notice period); if the procedure does not say, write 'after: not stated'",
        )],
    },
    Case {
        name: "failing route tests",
        site: Fixture("route-tests.yaml"),
        args: &[],
        exit: 1,
        expect: &[
            Expect(
                "procedures/route-tests.yaml:48:13: error: route test 'Wrong expectation' fails: these answers lead to 'settled', not 'referred'",
                "change the answers or the expected node; the wizard follows 'next' and the answers in order",
            ),
            Expect(
                "procedures/route-tests.yaml:50:25: error: route test 'Bad answer': answer 2 does not fit the question at 'agreed'",
                "write one of: yes, no",
            ),
            Expect(
                "procedures/route-tests.yaml:53:31: error: route test 'Too many answers' has more answers than it needs: the wizard stops at 'referred' after answer 2",
                "remove the extra answers, or expect where the wizard stops",
            ),
            Expect(
                "procedures/route-tests.yaml:56:14: error: route test 'Unfinished' runs out of answers while the wizard still asks at 'agreed'",
                "add the answer given at 'agreed': one of yes, no",
            ),
        ],
    },
    // Contact details and addresses.
    Case {
        name: "a phone number with no digits",
        site: Fixture("bad-phone.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/bad-phone.yaml:22:12: error: 'call the office' is not a telephone number",
            "",
        )],
    },
    Case {
        name: "an e-mail address without @",
        site: Fixture("bad-email.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/bad-email.yaml:21:12: error: 'office.example.org' is not an e-mail address",
            "an e-mail address looks like name@example.org, with no spaces",
        )],
    },
    Case {
        name: "a web address without a scheme",
        site: Fixture("url-without-scheme.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/url-without-scheme.yaml:22:10: error: 'www.example.org' is not a complete web address",
            "add the scheme: 'https://www.example.org' (or http:// if the site has no https)",
        )],
    },
    // Dates and warnings.
    Case {
        name: "a review date in the future",
        site: Fixture("reviewed-in-future.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/reviewed-in-future.yaml:22:16: error: the last review date 2027-01-04 is in the future",
            "",
        )],
    },
    Case {
        name: "an overdue review warns and passes",
        site: Fixture("review-overdue.yaml"),
        args: &[],
        exit: 0,
        expect: &[Expect(
            "procedures/review-overdue.yaml:22:16: warning: the review due on 2026-06-30 has passed (last reviewed 2025-06-30, reviewed every 12 months)",
            "check the procedure against its published source, then update last_reviewed",
        )],
    },
    Case {
        name: "an overdue review fails with --deny-warnings",
        site: Fixture("review-overdue.yaml"),
        args: &["--deny-warnings"],
        exit: 1,
        expect: &[Expect(
            "procedures/review-overdue.yaml:22:16: warning: the review due on 2026-06-30 has passed (last reviewed 2025-06-30, reviewed every 12 months)",
            "",
        )],
    },
    Case {
        name: "no contacts warns and passes",
        site: Fixture("no-contacts.yaml"),
        args: &[],
        exit: 0,
        expect: &[Expect(
            "procedures/no-contacts.yaml:2:1: warning: the procedure lists no contacts",
            "readers need someone to contact: add a 'contacts:' list if the source gives any",
        )],
    },
    // Many problems at once.
    Case {
        name: "every problem in one file, by line",
        site: Fixture("many-problems.yaml"),
        args: &[],
        exit: 1,
        expect: &[
            Expect(
                "procedures/many-problems.yaml:6:8: error: start names 'tlak', but there is no node with that id",
                "did you mean 'talk'?",
            ),
            Expect(
                "procedures/many-problems.yaml:13:11: error: there is no node with the id 'setled'",
                "did you mean 'settled'?",
            ),
            Expect(
                "procedures/many-problems.yaml:18:5: error: an ending cannot have 'next' (node 'settled')",
                "",
            ),
            Expect(
                "procedures/many-problems.yaml:22:12: error: 'office.example.org' is not an e-mail address",
                "",
            ),
            Expect(
                "procedures/many-problems.yaml:23:12: error: 'call the office' is not a telephone number",
                "",
            ),
        ],
    },
    Case {
        name: "every problem in two files, by file",
        site: Fixture("two-files"),
        args: &[],
        exit: 1,
        expect: &[
            Expect(
                "procedures/a.yaml:13:11: error: there is no node with the id 'setled'",
                "did you mean 'settled'?",
            ),
            Expect(
                "procedures/a.yaml:14:9: error: the node 'settled' cannot be reached from the start",
                "",
            ),
            Expect(
                "procedures/b.yaml:17:14: error: 'solved' is not allowed here in nodes[1].outcome (did you mean 'resolved'?)",
                "",
            ),
        ],
    },
    // Files that are not procedures at all.
    Case {
        name: "an empty file",
        site: Fixture("empty.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/empty.yaml: error: the file is empty",
            "`waymark new NAME` writes a starter procedure to copy from",
        )],
    },
    Case {
        name: "a file of only comments",
        site: Fixture("only-comments.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/only-comments.yaml: error: the file holds only comments, no fields",
            "`waymark new NAME` writes a starter procedure to copy from",
        )],
    },
    Case {
        name: "two YAML documents",
        site: Fixture("two-documents.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/two-documents.yaml:24:1: error: the file holds more than one YAML document",
            "remove the '---' line and what follows, or split it: one procedure per file",
        )],
    },
    Case {
        name: "a billion laughs",
        site: Fixture("alias-bomb.yaml"),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/alias-bomb.yaml:7:35: error: the YAML's aliases (*name) expand to too much data",
            HINT_ALIASES,
        )],
    },
    Case {
        name: "a thousand aliases of a megabyte of text",
        site: Made(wide_alias_bomb),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/wide-bomb.yaml:23:69: error: the YAML's aliases (*name) expand to too much data",
            HINT_ALIASES,
        )],
    },
    Case {
        name: "invalid UTF-8, placed",
        site: Made(invalid_utf8),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/latin1.yaml:3:13: error: the file is not valid UTF-8 text",
            HINT_UTF8,
        )],
    },
    Case {
        name: "UTF-16",
        site: Made(utf16),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/utf16.yaml: error: the file is saved as UTF-16",
            HINT_UTF8,
        )],
    },
    Case {
        name: "UTF-16 without a byte order mark",
        site: Made(utf16_without_bom),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/utf16be.yaml: error: the file is saved as UTF-16",
            HINT_UTF8,
        )],
    },
    Case {
        name: "binary garbage with NUL bytes",
        site: Made(binary),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/binary.yaml:1:8: error: the file contains binary data, not text",
            "check this is the right file; a procedure file is plain text",
        )],
    },
    Case {
        name: "10,000 open brackets",
        site: Made(deep_brackets),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/deep.yaml:1:65: error: the YAML is nested deeper than 64 levels",
            HINT_DEEP,
        )],
    },
    Case {
        name: "deep nesting in a valid field",
        site: Made(deep_notes),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/deep-notes.yaml:23:72: error: the YAML is nested deeper than 64 levels",
            HINT_DEEP,
        )],
    },
    Case {
        name: "deep nesting with aliases",
        site: Made(deep_aliases),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/deep-aliases.yaml:24:72: error: the YAML is nested deeper than 64 levels",
            HINT_DEEP,
        )],
    },
    Case {
        name: "4 MB of open brackets",
        site: Made(four_megabytes_of_brackets),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/brackets.yaml:1:65: error: the YAML is nested deeper than 64 levels",
            HINT_DEEP,
        )],
    },
    Case {
        name: "lists nested 100 deep in blocks, where text belongs",
        site: Made(deep_block_lists),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/block-lists.yaml:25:5: error: expected text in notes[0], found a list",
            "write plain text; put it in quotes if it starts with a special character",
        )],
    },
    Case {
        name: "a BEL character in a title",
        site: Made(bel_in_title),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/bel.yaml:1:11: error: the control character U+0007 cannot be used in YAML",
            HINT_CONTROL,
        )],
    },
    Case {
        name: "a BEL character in a title, and a tab elsewhere",
        site: Made(bel_in_title_and_a_tab),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/bel-tab.yaml:1:11: error: the control character U+0007 cannot be used in YAML",
            HINT_CONTROL,
        )],
    },
    Case {
        name: "a U+0092 control character in a title",
        site: Made(c1_in_title),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/c1.yaml:1:11: error: the control character U+0092 cannot be used in YAML",
            HINT_CONTROL,
        )],
    },
    Case {
        name: "a U+0092 control character in a title, and a tab elsewhere",
        site: Made(c1_in_title_and_a_tab),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/c1-tab.yaml:1:11: error: the control character U+0092 cannot be used in YAML",
            HINT_CONTROL,
        )],
    },
    Case {
        name: "a {...} key split from its colon by a line break",
        site: Made(flow_key_split),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/split-key.yaml:23:1: error: this line is not a 'name: value' field",
            "",
        )],
    },
    Case {
        name: "a {...} key split from its colon inside a list",
        site: Made(flow_key_split_in_list),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/split-key-list.yaml:24:3: error: this ':' starts a line, apart from the key before it",
            "a key and its ':' must be on the same line: join the lines, or put the text in quotes",
        )],
    },
    Case {
        name: "a list still open at the end of the file",
        site: Made(list_open_at_end),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/open-list.yaml:23:8: error: this '[' is not closed",
            "add ']' after the last item; separate items with ', '",
        )],
    },
    Case {
        name: "a set of fields where a field's name belongs",
        site: Made(fields_as_key),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/fields-key.yaml:23:1: error: expected a field name, found a set of fields",
            "write a field name, then ': ' and its value",
        )],
    },
    Case {
        name: "a kind left empty",
        site: Made(empty_kind),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/empty-kind.yaml:8:5: error: no value is given in nodes[0].kind",
            "write one of: stage, decision, ending",
        )],
    },
    Case {
        name: "a repeated field before deep nesting",
        site: Made(repeat_then_deep),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/repeat-deep.yaml:2:1: error: 'title' is given twice",
            "a field may appear once in each item: keep this one or the one on line 1",
        )],
    },
    Case {
        name: "a 50 MB file",
        site: Made(huge),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/huge.yaml: error: the file is 50.0 MB, larger than the 4 MB a procedure file may be",
            "a procedure file is a few kilobytes; check this is the right file",
        )],
    },
    Case {
        name: "a folder named x.yaml",
        site: Made(folder),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/x.yaml: error: this is a folder, but a YAML file belongs here",
            "move the folder away or rename it so it does not end in .yaml",
        )],
    },
    #[cfg(unix)]
    Case {
        name: "a broken symlink named x.yaml, pointing out of the site",
        site: Made(broken_link),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/x.yaml: error: this is a link that leaves the site folder",
            "nothing outside the site folder is read or published: copy the file into the site, or point the link at a file inside it",
        )],
    },
    #[cfg(unix)]
    Case {
        name: "a pipe named x.yaml is not read (reading it would wait for ever)",
        site: Made(pipe),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/x.yaml: error: this is not a regular file, but a YAML file belongs here",
            "replace it with a plain text file, or move it out of the site",
        )],
    },
    Case {
        name: "a file name with capitals",
        site: Made(capitals),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/Bad.yaml: error: the file name 'Bad' cannot be used in web addresses",
            "rename it with lower-case letters, digits and hyphens only, e.g. 'bad.yaml'",
        )],
    },
    Case {
        name: "no site.yaml",
        site: Made(no_site_file),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "site.yaml: error: cannot read the file: it does not exist",
            "every site has a site.yaml with at least 'title:'; pass the site's folder with --root DIR, or run `waymark init DIR` to start one",
        )],
    },
    Case {
        name: "a misspelt field in site.yaml",
        site: Made(bad_site_file),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "site.yaml:1:1: error: unknown field 'tilte' (did you mean 'title'?)",
            "",
        )],
    },
    Case {
        name: "no procedures folder",
        site: Made(no_procedures),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures: error: cannot read the procedures folder: it does not exist",
            "a site keeps one YAML file per procedure in procedures/; `waymark new NAME` writes one",
        )],
    },
    Case {
        name: "a dangling next cuts off a branch, reported once",
        site: Made(dangling_next),
        args: &[],
        exit: 1,
        expect: &[
            Expect(
                "procedures/dangling.yaml:30:11: error: there is no node with the id 'after-stage-one'",
                "did you mean 'after-stage-1'?",
            ),
            Expect(
                "procedures/dangling.yaml:31:9: error: the node 'after-stage-1' cannot be reached from the start",
                "link to it with 'next:' or an answer, or remove it; the nodes it leads to cannot be reached either: stage-2, resolved, referred",
            ),
            Expect(
                "procedures/dangling.yaml:67:42: error: route test 'Settled at stage 1' cannot be followed past 'stage-1'",
                "fix the broken reference or cycle reported for that node first",
            ),
            Expect(
                "procedures/dangling.yaml:68:40: error: route test 'Still at stage 2' cannot be followed past 'stage-1'",
                "",
            ),
            Expect(
                "procedures/dangling.yaml:69:46: error: route test 'Referred after stage 2' cannot be followed past 'stage-1'",
                "",
            ),
        ],
    },
    // Line endings: positions stay right.
    Case {
        name: "CRLF line endings, with an error",
        site: Made(crlf_with_error),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/crlf.yaml:62:12: error: 'coordinator at example.org' is not an e-mail address",
            "an e-mail address looks like name@example.org, with no spaces",
        )],
    },
    Case {
        name: "CRLF line endings, with an unclosed quote",
        site: Made(crlf_with_unclosed_quote),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/crlf-quote.yaml:4:10: error: this quoted text is not closed on its line",
            "add the closing quote at the end of the text; without it the text runs on to the quote on line 9",
        )],
    },
    Case {
        name: "a BOM and CRLF, with an error on the first line",
        site: Made(bom_with_error),
        args: &[],
        exit: 1,
        expect: &[Expect(
            "procedures/bom.yaml:1:1: error: unknown field 'titel' (did you mean 'title'?)",
            "",
        )],
    },
];

// Sites made in code: bytes that cannot sensibly be committed.

fn write(root: &Path, relative: &str, bytes: impl AsRef<[u8]>) {
    let path = root.join(relative);
    fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    fs::write(path, bytes).expect("write");
}

/// The minimal valid procedure the fixtures are made from (22 lines), without their comment.
fn minimal() -> String {
    MINIMAL.to_string()
}

const MINIMAL: &str = "title: Minimal
area: Testshire
owner: Test Council
summary: A minimal procedure.
start: talk
nodes:
  - id: talk
    kind: stage
    label: Stage 1
    title: Talk
    contacts: [office]
    next: settled
  - id: settled
    kind: ending
    title: Settled
    outcome: resolved
contacts:
  - id: office
    organisation: Test Council
    email: office@example.org
source:
  title: The Test Procedure
";

fn wide_alias_bomb(root: &Path) {
    let text = minimal().replace(
        "summary: A minimal procedure.",
        &format!("summary: &s \"{}\"", "x".repeat(1 << 20)),
    ) + &format!("notes: [{}]\n", vec!["*s"; 1000].join(", "));
    write(root, "procedures/wide-bomb.yaml", text);
}

fn invalid_utf8(root: &Path) {
    // "Test Council" written in Latin-1 with a byte that is not UTF-8.
    let text = minimal().replacen("Test Council", "Test \u{1} Council", 1);
    let bytes: Vec<u8> = text
        .bytes()
        .map(|b| if b == 1 { 0xFF } else { b })
        .collect();
    write(root, "procedures/latin1.yaml", bytes);
}

fn utf16(root: &Path) {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in minimal().encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    write(root, "procedures/utf16.yaml", bytes);
}

fn utf16_without_bom(root: &Path) {
    let bytes: Vec<u8> = minimal()
        .encode_utf16()
        .flat_map(|unit| unit.to_be_bytes())
        .collect();
    write(root, "procedures/utf16be.yaml", bytes);
}

fn binary(root: &Path) {
    write(
        root,
        "procedures/binary.yaml",
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00\xff\xfe",
    );
}

fn deep_brackets(root: &Path) {
    write(root, "procedures/deep.yaml", "[".repeat(10_000) + "\n");
}

fn deep_notes(root: &Path) {
    let text = minimal() + "notes: " + &"[".repeat(10_000) + &"]".repeat(10_000) + "\n";
    write(root, "procedures/deep-notes.yaml", text);
}

fn deep_aliases(root: &Path) {
    let text = minimal().replace("title: Minimal", "title: &t Minimal")
        + "short_title: *t\nnotes: "
        + &"[".repeat(10_000)
        + &"]".repeat(10_000)
        + "\n";
    write(root, "procedures/deep-aliases.yaml", text);
}

fn four_megabytes_of_brackets(root: &Path) {
    let text = "[".repeat(just_under_the_size_cap());
    write(root, "procedures/brackets.yaml", text);
}

/// Just under the 4 MB a procedure file may be.
fn just_under_the_size_cap() -> usize {
    4 * 1024 * 1024 - 1
}

fn deep_block_lists(root: &Path) {
    let mut text = minimal() + "notes:\n";
    for depth in 1..=100 {
        text += &" ".repeat(2 * depth);
        text += "-\n";
    }
    write(root, "procedures/block-lists.yaml", text);
}

/// The minimal procedure with `inserted` in the middle of its title, and `after` at its end.
fn odd_title(inserted: &str, after: &str) -> String {
    minimal().replacen("title: Minimal", &format!("title: Min{inserted}imal"), 1) + after
}

fn bel_in_title(root: &Path) {
    write(root, "procedures/bel.yaml", odd_title("\u{7}", ""));
}

fn bel_in_title_and_a_tab(root: &Path) {
    write(
        root,
        "procedures/bel-tab.yaml",
        odd_title("\u{7}", "#\ta tab\n"),
    );
}

fn c1_in_title(root: &Path) {
    write(root, "procedures/c1.yaml", odd_title("\u{92}", ""));
}

fn c1_in_title_and_a_tab(root: &Path) {
    write(
        root,
        "procedures/c1-tab.yaml",
        odd_title("\u{92}", "#\ta tab\n"),
    );
}

fn flow_key_split(root: &Path) {
    write(
        root,
        "procedures/split-key.yaml",
        minimal() + "{notes: x}\n: y\n",
    );
}

fn flow_key_split_in_list(root: &Path) {
    write(
        root,
        "procedures/split-key-list.yaml",
        minimal() + "notes: [{a: b}\n  : c]\n",
    );
}

fn list_open_at_end(root: &Path) {
    write(
        root,
        "procedures/open-list.yaml",
        minimal() + "notes: [a, b\n",
    );
}

fn fields_as_key(root: &Path) {
    write(
        root,
        "procedures/fields-key.yaml",
        minimal() + "{a: b}: c\n",
    );
}

fn empty_kind(root: &Path) {
    let text = minimal().replacen("kind: stage", "kind:", 1);
    write(root, "procedures/empty-kind.yaml", text);
}

fn repeat_then_deep(root: &Path) {
    let text = "title: One\ntitle: Two\nnotes: ".to_string()
        + &"[".repeat(10_000)
        + &"]".repeat(10_000)
        + "\n";
    write(root, "procedures/repeat-deep.yaml", text);
}

fn huge(root: &Path) {
    let file = fs::File::create(root.join("procedures/huge.yaml")).expect("create");
    let mut out = std::io::BufWriter::new(file);
    out.write_all(b"notes:\n").expect("write");
    let line = b"  - All work and no play makes a very long procedure file indeed.\n";
    let mut written = 7;
    while written < 50 * 1024 * 1024 {
        out.write_all(line).expect("write");
        written += line.len();
    }
    out.flush().expect("flush");
    drop(out);
    // Exactly 50 MB, so the message is predictable.
    let file = fs::OpenOptions::new()
        .write(true)
        .open(root.join("procedures/huge.yaml"))
        .expect("open");
    file.set_len(50 * 1024 * 1024).expect("truncate");
}

fn folder(root: &Path) {
    fs::create_dir_all(root.join("procedures/x.yaml")).expect("mkdir");
    write(root, "procedures/x.yaml/inside.yaml", valid_procedure());
}

#[cfg(unix)]
fn broken_link(root: &Path) {
    std::os::unix::fs::symlink(
        "/nonexistent/waymark/x.yaml",
        root.join("procedures/x.yaml"),
    )
    .expect("symlink");
}

#[cfg(unix)]
fn pipe(root: &Path) {
    let status = Command::new("mkfifo")
        .arg(root.join("procedures/x.yaml"))
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo failed");
}

fn capitals(root: &Path) {
    write(root, "procedures/Bad.yaml", minimal());
}

fn no_site_file(root: &Path) {
    fs::remove_file(root.join("site.yaml")).expect("remove site.yaml");
    write(root, "procedures/fine.yaml", minimal());
}

fn bad_site_file(root: &Path) {
    write(root, "site.yaml", "tilte: Test site\n");
    write(root, "procedures/fine.yaml", minimal());
}

fn no_procedures(root: &Path) {
    fs::remove_dir(root.join("procedures")).expect("remove procedures/");
}

fn dangling_next(root: &Path) {
    let text = valid_procedure().replace("next: after-stage-1", "next: after-stage-one");
    write(root, "procedures/dangling.yaml", text);
}

fn crlf_with_error(root: &Path) {
    let text = valid_procedure()
        .replace(
            "email: coordinator@testshire.gov.uk",
            "email: coordinator at example.org",
        )
        .replace('\n', "\r\n");
    write(root, "procedures/crlf.yaml", text);
}

fn crlf_with_unclosed_quote(root: &Path) {
    let text = minimal()
        .replace("summary: A minimal", "summary: \"A minimal")
        .replace("label: Stage 1", "label: \"Stage 1\"")
        .replace('\n', "\r\n");
    write(root, "procedures/crlf-quote.yaml", text);
}

fn bom_with_error(root: &Path) {
    let text = minimal()
        .replacen("title: Minimal", "titel: Minimal", 1)
        .replace('\n', "\r\n");
    write(
        root,
        "procedures/bom.yaml",
        [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat(),
    );
}

// Running and reading the binary.

/// What one run printed.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn waymark(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_waymark"))
        .args(args)
        .output()
        .expect("the waymark binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn check(root: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "check",
        "--root",
        root.to_str().expect("a UTF-8 temp path"),
        "--today",
        TODAY,
    ];
    args.extend_from_slice(extra);
    waymark(&args)
}

/// A diagnostic as printed: its first line and its hint.
#[derive(Debug)]
struct Printed {
    header: String,
    hint: Option<String>,
    quoted: bool,
}

/// Whether a line of standard error starts a diagnostic: `file[:line:col]: severity: message`.
fn is_header(line: &str) -> bool {
    // Quoted lines start with their number and a bar: `12 |     next: x`.
    let quoted = line
        .split_once(" |")
        .is_some_and(|(gutter, _)| gutter.bytes().all(|b| b.is_ascii_digit()));
    !line.starts_with(' ')
        && !quoted
        && (line.contains(": error: ") || line.contains(": warning: "))
}

fn parse(stderr: &str) -> Vec<Printed> {
    let mut list: Vec<Printed> = Vec::new();
    for line in stderr.lines() {
        if is_header(line) {
            list.push(Printed {
                header: line.to_string(),
                hint: None,
                quoted: false,
            });
        } else if let Some(last) = list.last_mut() {
            if let Some(hint) = line.strip_prefix("  = hint: ") {
                last.hint = Some(hint.to_string());
            } else if line.contains(" | ") {
                last.quoted = true;
            }
        }
    }
    list
}

/// The counts in the summary line: "... N errors and M warnings in K files".
fn summary_counts(stderr: &str) -> Option<(usize, usize)> {
    let line = stderr.lines().rev().find(|l| l.starts_with("checked "))?;
    let (_, tail) = line.rsplit_once(": ")?;
    let words: Vec<&str> = tail.split(' ').collect();
    Some((words.first()?.parse().ok()?, words.get(3)?.parse().ok()?))
}

fn make_site(site: &Site) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    fs::write(root.join("site.yaml"), SITE_YAML).expect("site.yaml");
    fs::create_dir(root.join("procedures")).expect("procedures/");
    match site {
        Fixture(name) => {
            let from = fixtures().join(name);
            if from.is_dir() {
                for entry in fs::read_dir(&from).expect("fixture folder") {
                    let entry = entry.expect("entry");
                    fs::copy(
                        entry.path(),
                        root.join("procedures").join(entry.file_name()),
                    )
                    .expect("copy");
                }
            } else {
                fs::copy(&from, root.join("procedures").join(name)).expect("copy");
            }
        }
        Made(make) => make(root),
    }
    dir
}

/// Runs one case, returning what went wrong, if anything.
fn run_case(case: &Case) -> Result<(), String> {
    let dir = make_site(&case.site);
    let run = check(dir.path(), case.args);
    let mut problems = Vec::new();
    if run.stderr.contains("panicked") {
        problems.push("it panicked".to_string());
    }
    if run.code != case.exit {
        problems.push(format!("exit code {}, expected {}", run.code, case.exit));
    }
    let printed = parse(&run.stderr);
    let headers: Vec<&str> = printed.iter().map(|p| p.header.as_str()).collect();
    let expected: Vec<&str> = case.expect.iter().map(|e| e.0).collect();
    if headers != expected {
        problems.push(format!(
            "diagnostics differ:\n  got:\n    {}\n  expected:\n    {}",
            headers.join("\n    "),
            expected.join("\n    ")
        ));
    }
    for (p, e) in printed.iter().zip(case.expect) {
        match &p.hint {
            None => problems.push(format!("no hint for: {}", p.header)),
            Some(hint) if !e.1.is_empty() && hint != e.1 => problems.push(format!(
                "hint differs for: {}\n  got:      {hint}\n  expected: {}",
                p.header, e.1
            )),
            _ => {}
        }
        // A diagnostic with a line and column quotes that line under a caret.
        let placed = p.header.split(": ").next().is_some_and(|f| f.contains(':'));
        if placed && !p.quoted {
            problems.push(format!("no quoted line for: {}", p.header));
        }
    }
    let errors = printed
        .iter()
        .filter(|p| p.header.contains(": error: "))
        .count();
    let warnings = printed.len() - errors;
    if printed.is_empty() {
        if !run.stdout.contains("no problems found") {
            problems.push(format!("no 'no problems found' in stdout: {}", run.stdout));
        }
    } else if summary_counts(&run.stderr) != Some((errors, warnings)) {
        problems.push(format!(
            "the summary does not count {errors} errors and {warnings} warnings"
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "case '{}':\n  {}\n  --- stderr ---\n{}",
            case.name,
            problems.join("\n  "),
            run.stderr
        ))
    }
}

#[test]
fn every_bad_input_gets_exactly_the_expected_diagnostics() {
    let failures: Vec<String> = CASES.iter().filter_map(|c| run_case(c).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n\n")
    );
}

#[test]
fn there_are_enough_cases_and_every_fixture_is_used() {
    let malformed = CASES
        .iter()
        .filter(|c| c.exit != 0 || !c.expect.is_empty())
        .count();
    assert!(malformed >= 35, "only {malformed} bad-input cases");
    let used: Vec<&str> = CASES
        .iter()
        .filter_map(|c| match c.site {
            Fixture(name) => Some(name),
            Made(_) => None,
        })
        .collect();
    for entry in fs::read_dir(fixtures()).expect("fixtures") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            used.contains(&name.as_str()),
            "fixture {name} is not used by any case"
        );
    }
}

// Files that must be accepted.

/// Checks a site holding just this procedure and expects no diagnostics at all.
fn assert_clean(name: &str, bytes: &[u8]) {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("site.yaml"), SITE_YAML).expect("site.yaml");
    write(dir.path(), &format!("procedures/{name}.yaml"), bytes);
    let run = check(dir.path(), &[]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (0, ""),
        "{name} should pass cleanly; stdout: {}",
        run.stdout
    );
    assert!(run.stdout.contains("no problems found"), "{}", run.stdout);
}

#[test]
fn a_byte_order_mark_and_crlf_line_endings_are_accepted() {
    let text = valid_procedure();
    assert_clean("plain", text.as_bytes());
    assert_clean("bom", &[&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat());
    let crlf = text.replace('\n', "\r\n");
    assert_clean("crlf", crlf.as_bytes());
    assert_clean(
        "bom-crlf",
        &[&b"\xEF\xBB\xBF"[..], crlf.as_bytes()].concat(),
    );
}

#[test]
fn the_fixtures_minimal_procedure_is_itself_clean() {
    assert_clean("minimal", minimal().as_bytes());
}

// `waymark new` and `waymark schema`.

#[test]
fn new_writes_a_procedure_that_passes_check_and_warns_until_its_example_text_is_replaced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().to_str().expect("UTF-8 path");
    fs::write(dir.path().join("site.yaml"), SITE_YAML).expect("site.yaml");
    let run = waymark(&["new", "my-procedure", "--root", root]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let file = dir.path().join("procedures/my-procedure.yaml");
    assert!(file.is_file());
    let checked = check(dir.path(), &[]);
    assert_eq!(checked.code, 0, "{}", checked.stderr);
    let others =
        "owner, summary, audience[0], contacts[0].organisation, contacts[0].email, source.title";
    assert_eq!(
        checked.stderr,
        format!(
            "procedures/my-procedure.yaml:7:7: warning: 'area' still holds the starter's example text \"The area this procedure covers\"
  |
7 | area: The area this procedure covers
  |       ^
  = hint: replace it with the procedure's own text, as published; the starter's text is also still in {others}

checked 1 procedure and 0 pages in {root}: 0 errors and 1 warning in 1 file
"
        )
    );
    assert_eq!(check(dir.path(), &["--deny-warnings"]).code, 1);
    // Replacing a text moves the warning on to the next one left.
    let text = fs::read_to_string(&file).expect("read");
    fs::write(
        &file,
        text.replace("The area this procedure covers", "Testshire"),
    )
    .expect("write");
    let checked = check(dir.path(), &[]);
    assert!(
        checked.stderr.starts_with(
            "procedures/my-procedure.yaml:8:8: warning: 'owner' still holds the starter's example text \"The body that oversees the procedure\""
        ),
        "{}",
        checked.stderr
    );

    // An existing file is left alone.
    let before = fs::read(dir.path().join("procedures/my-procedure.yaml")).expect("read");
    let again = waymark(&["new", "my-procedure", "--root", root]);
    assert_eq!(again.code, 1, "{}", again.stderr);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(
        fs::read(dir.path().join("procedures/my-procedure.yaml")).expect("read"),
        before
    );

    // A name unfit for a web address is a usage error, and nothing is written.
    for bad in ["My Procedure", "UPPER", "-dash", "a--b", "dots.yaml", ""] {
        let run = waymark(&["new", "--root", root, "--", bad]);
        assert_eq!(run.code, 2, "{bad:?}: {}", run.stderr);
        assert!(run.stderr.contains("hint"), "{bad:?}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
    let files = fs::read_dir(dir.path().join("procedures"))
        .expect("procedures")
        .count();
    assert_eq!(files, 1);
}

#[test]
fn schema_is_json_describing_the_nodes() {
    let run = waymark(&["schema"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let schema: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert!(
        schema["properties"]["nodes"].is_object(),
        "no 'nodes' property in {}",
        run.stdout
    );
}

/// Any file up to the size cap is read or refused in time linear in its size: 4 MB of
/// open brackets (quadratic for the old reader: minutes) is refused within two seconds.
#[test]
fn four_megabytes_of_brackets_are_refused_quickly() {
    let dir = make_site(&Made(four_megabytes_of_brackets));
    let started = std::time::Instant::now();
    let run = check(dir.path(), &[]);
    let took = started.elapsed();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("nested deeper than 64 levels"),
        "{}",
        run.stderr
    );
    assert!(took < std::time::Duration::from_secs(2), "took {took:?}");
}
