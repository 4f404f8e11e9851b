//! The "which stage am I at?" guide, drawn from the graph.
//!
//! Every question and every result is a page of its own under
//! `<procedure>/wizard/`, whose answers are plain links, so the guide works
//! without JavaScript and from `file://`. The same questions and results go
//! into `wizard/data.js` for the theme's script, which runs the guide in
//! place with the answers kept in the address. Both come from
//! [`questions`], which follows exactly the walk that route tests check
//! ([`crate::model::graph::walk`]).

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Context;

use super::markdown::inline;
use super::views::{DeadlineView, NodeView};
use super::{OutputFile, Renderer};
use crate::error::Error;
use crate::load::LoadedProcedure;
use crate::model::graph::{FINISHED, Graph, NOT_YET, WAITING};
use crate::model::{Answer, CheckedProcedure, Node, NodeKind, SCOPE_QUESTION_ID, Stage, slug};

/// The folder under a procedure that holds the guide: its first page, a page for each
/// question and ending (`<id>.html`), and the script's data.
const WIZARD: &str = "wizard";
/// The guide's sub-folder for each stage's "you are at" result (`now/<id>.html`).
///
/// Pages are files, not folders holding an `index.html`: links name the file anyway,
/// so that the site works from `file://`, and writing a folder per page cost about 5%
/// of a large build.
const NOW: &str = "now";

/// One answer to a question of the guide.
#[derive(Serialize, Clone)]
struct Choice {
    /// The value in the address: `finished`, `not-yet`, or the answer's key.
    key: String,
    /// What the reader reads.
    label: String,
    /// The node it leads to; `None` for "not yet", which stops at the stage itself.
    next: Option<String>,
}

/// A question of the guide: at a stage, "have you finished?"; at a decision, its question.
#[derive(Serialize, Clone, Default)]
struct Question {
    text: String,
    hint: Option<String>,
    /// Who may use the procedure, on the guide's first question (HTML, one item each).
    eligibility: Vec<String>,
    /// The reader's own choices at a decision (HTML, one item each).
    options: Vec<String>,
    /// A decision's notes (HTML, one item each): shown where the reader meets it.
    notes: Vec<String>,
    choices: Vec<Choice>,
}

/// What a reader still waiting for someone else's decision answers.
const WAITING_LABEL: &str = "Not yet, I am still waiting for their decision";

/// The question the guide asks at `node` (whose view is `view`), with the procedure's own
/// wording where it has one.
fn question(node: &Node, view: Option<&NodeView>, g: &Graph) -> Option<Question> {
    match node {
        Node::Ending(_) => None,
        Node::Stage(stage) => Some(stage_question(node, stage, g)),
        Node::Decision(decision) => Some(Question {
            text: decision.question.clone(),
            hint: decision
                .decided_by
                .as_ref()
                .map(|who| format!("Who decides: {who}")),
            options: view.map(|v| v.choices_html.clone()).unwrap_or_default(),
            notes: view.map(|v| v.notes_html.clone()).unwrap_or_default(),
            choices: answer_choices(&decision.answers)
                .chain(decision.taken_by_others().then(|| {
                    Choice {
                        key: WAITING.to_string(),
                        label: decision
                            .wizard
                            .as_ref()
                            .and_then(|w| w.not_yet.clone())
                            .unwrap_or_else(|| WAITING_LABEL.to_string()),
                        next: None,
                    }
                }))
                .collect(),
            ..Question::default()
        }),
    }
}

/// The choices a list of answers offers, in order.
fn answer_choices(answers: &[Answer]) -> impl Iterator<Item = Choice> + '_ {
    answers.iter().map(|a| Choice {
        key: a.url_key(),
        label: a.wizard_label.clone().unwrap_or_else(|| a.label.clone()),
        next: Some(a.next.clone()),
    })
}

/// The question the guide asks first when the procedure's scope has one.
fn scope_question(p: &CheckedProcedure) -> Option<Question> {
    let (text, answers) = p.scope.as_ref()?.guide_question()?;
    Some(Question {
        text: text.to_string(),
        choices: answer_choices(answers).collect(),
        ..Question::default()
    })
}

/// Who may use the procedure, as the guide's first question shows it.
fn eligibility(p: &CheckedProcedure) -> Vec<String> {
    p.scope
        .as_ref()
        .map(|scope| scope.eligibility.iter().map(|e| inline(e)).collect())
        .unwrap_or_default()
}

/// "Have you finished ...?" at a stage (`node`), or the stage's own wording.
fn stage_question(node: &Node, stage: &Stage, g: &Graph) -> Question {
    let wording = stage.wizard.clone().unwrap_or_default();
    Question {
        text: wording
            .question
            .unwrap_or_else(|| format!("Have you finished {}?", node.heading())),
        hint: stage.common.summary.clone(),
        eligibility: Vec::new(),
        options: Vec::new(),
        notes: Vec::new(),
        choices: vec![
            Choice {
                key: NOT_YET.to_string(),
                label: wording
                    .not_yet
                    .unwrap_or_else(|| "Not yet, I am doing this now".to_string()),
                next: None,
            },
            Choice {
                key: FINISHED.to_string(),
                label: wording
                    .finished
                    .unwrap_or_else(|| "Yes, it has finished".to_string()),
                next: g.node(&stage.next).map(|_| stage.next.clone()),
            },
        ],
    }
}

/// The address of a node's page in the guide, from the guide's own folder.
fn page_of(id: &str) -> String {
    [id, ".html"].concat()
}

/// The address of a stage's "you are at" result, from the guide's own folder.
fn now_page_of(id: &str) -> String {
    [NOW, "/", id, ".html"].concat()
}

/// A choice on a pre-rendered page: where its link goes, from the page it is on.
#[derive(Serialize)]
struct ChoiceLink {
    key: String,
    label: String,
    href: String,
}

/// A line of "what happens next" on a stage's result.
#[derive(Serialize)]
struct NextLine {
    when: String,
    then: String,
}

/// A group of deadlines counting from the same event, for the date calculator.
#[derive(Serialize)]
struct CalculatorGroup<'a> {
    id: String,
    label: String,
    /// The node whose place on the reader's route decides for this event, if any.
    via: Option<String>,
    deadlines: Vec<CalculatorEntry<'a>>,
}

/// A deadline in a calculator group.
#[derive(Serialize)]
struct CalculatorEntry<'a> {
    /// Its place among the result's deadlines, by which the script finds the
    /// other events the same deadline may count from.
    index: usize,
    #[serde(flatten)]
    deadline: &'a DeadlineView,
}

/// Everything a guide page shows.
#[derive(Serialize)]
struct GuidePage<'a> {
    /// `question`, `stage` (you are at this stage) or `ending`.
    kind: &'static str,
    node_id: String,
    heading: String,
    question: Option<Question>,
    choices: Vec<ChoiceLink>,
    /// The result's node, as a template value (for `wizard-result.html`).
    result: Option<tera::Value>,
    /// The result, filled in from `wizard-result.html` (for `wizard.html`).
    result_html: Option<String>,
    next: Vec<NextLine>,
    calculator: Vec<CalculatorGroup<'a>>,
    /// Time limits of the result that no date can be worked out for.
    uncounted: Vec<&'a DeadlineView>,
    /// The procedure's short name, for the breadcrumbs.
    procedure_name: String,
    /// From the page: the procedure page, the guide's first page, the guide's folder.
    procedure_href: String,
    start_href: String,
    up: String,
    /// Whether this is the guide's first page, where its script asks every question.
    is_start: bool,
}

impl GuidePage<'_> {
    /// A page of the guide about `node`, in procedure `name`, with nothing on it yet
    /// but its heading and links; `up` leads from the page to the guide's folder.
    fn at(kind: &'static str, id: &str, heading: String, name: &str, up: &str) -> Self {
        GuidePage {
            kind,
            node_id: id.to_string(),
            heading,
            question: None,
            choices: Vec::new(),
            result: None,
            result_html: None,
            next: Vec::new(),
            calculator: Vec::new(),
            uncounted: Vec::new(),
            procedure_name: name.to_string(),
            procedure_href: [up, "../index.html"].concat(),
            start_href: [up, "index.html"].concat(),
            up: up.to_string(),
            is_start: false,
        }
    }
}

/// What the script needs of one node.
#[derive(Serialize)]
struct ScriptNode {
    kind: NodeKind,
    heading: String,
    question: Option<Question>,
    result: Option<String>,
}

/// What the script needs of one procedure.
#[derive(Serialize)]
struct ScriptData<'a> {
    start: &'a str,
    title: &'a str,
    aliases: BTreeMap<&'a str, &'a str>,
    nodes: BTreeMap<&'a str, ScriptNode>,
}

impl Renderer<'_> {
    /// Every page of one procedure's guide, and its script data.
    pub(super) fn wizard(
        &self,
        lp: &LoadedProcedure,
        p: &CheckedProcedure,
        nodes: &[NodeView],
        node_values: &[tera::Value],
    ) -> Result<Vec<OutputFile>, Error> {
        let name = p.display_name();
        let g = Graph::new(p);
        // Each node's view, and the same as a template value (`node_values` is in the order of `nodes`).
        let views: BTreeMap<&str, (&NodeView, Option<&tera::Value>)> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), (n, node_values.get(i))))
            .collect();
        let base = format!("{}/{WIZARD}", lp.slug);
        let mut files = Vec::new();
        let mut script_nodes = BTreeMap::new();
        let scope = scope_question(p).map(|q| Question {
            eligibility: eligibility(p),
            ..q
        });
        for node in &p.nodes {
            let id = node.id();
            let view = views.get(id).copied();
            let mut q = question(node, view.map(|(v, _)| v), &g);
            if let Some(q) = q.as_mut().filter(|_| id == p.start && scope.is_none()) {
                q.eligibility = eligibility(p);
            }
            let result_page = match node {
                Node::Decision(decision) if !decision.taken_by_others() => None,
                Node::Stage(_) | Node::Decision(_) => Some([&base, "/", &now_page_of(id)].concat()),
                Node::Ending(_) => Some([&base, "/", &page_of(id)].concat()),
            };
            // A result is filled in once, for its own page and for the script.
            let result_html = match (&result_page, view) {
                (Some(_), Some(view)) => {
                    let page = result_in_full(name, &g, node, view);
                    Some(self.fill_in("wizard-result.html", &fragment_context(&page), &base)?)
                }
                _ => None,
            };
            if let Some(q) = &q {
                let path = [&base, "/", &page_of(id)].concat();
                let page = self.guide_question(name, id, q, "");
                files.push(self.guide_file(&page, &path, "../../", &q.text)?);
            }
            if let (Some(path), Some(html)) = (&result_page, &result_html) {
                let (up, root) = match node {
                    Node::Ending(_) => ("", "../../"),
                    _ => ("../", "../../../"),
                };
                let page = result_page_of(name, node, html, up);
                let title = page.heading.clone();
                files.push(self.guide_file(&page, path, root, &title)?);
            }
            // The script shows results on the guide's first page, in the guide's folder.
            let result = match result_html {
                Some(html) => {
                    let page = result_page_of(name, node, "", "");
                    let link =
                        self.fill_in("wizard-result-link.html", &fragment_context(&page), &base)?;
                    Some(html + &link)
                }
                None => None,
            };
            script_nodes.insert(
                id,
                ScriptNode {
                    kind: node.kind(),
                    heading: node.heading(),
                    question: q,
                    result,
                },
            );
            for alias in node.aliases() {
                files.push(self.redirect(&[&base, "/", &page_of(alias)].concat(), &page_of(id))?);
            }
        }
        let first = match &scope {
            Some(q) => Some((SCOPE_QUESTION_ID, q.clone())),
            None => script_nodes
                .get(p.start.as_str())
                .and_then(|n| n.question.clone())
                .map(|q| (p.start.as_str(), q)),
        };
        if let Some((id, q)) = first {
            let page = GuidePage {
                is_start: true,
                ..self.guide_question(name, id, &q, "")
            };
            files.push(self.guide_file(
                &page,
                &format!("{base}/index.html"),
                "../../",
                "Which stage am I at?",
            )?);
        }
        let aliases = p
            .nodes
            .iter()
            .flat_map(|n| n.aliases().iter().map(move |a| (a.as_str(), n.id())))
            .collect();
        if let Some(q) = scope {
            script_nodes.insert(
                SCOPE_QUESTION_ID,
                ScriptNode {
                    kind: NodeKind::Decision,
                    heading: q.text.clone(),
                    question: Some(q),
                    result: None,
                },
            );
        }
        let start = if script_nodes.contains_key(SCOPE_QUESTION_ID) {
            SCOPE_QUESTION_ID
        } else {
            p.start.as_str()
        };
        let data = ScriptData {
            start,
            title: &p.title,
            aliases,
            nodes: script_nodes,
        };
        let mut script = b"window.WaymarkWizard = ".to_vec();
        write_script_data(&mut script, &data).map_err(|e| {
            Error::Bug(format!(
                "{}: cannot write the guide's data: {e}",
                crate::diagnostics::display_path(&lp.file)
            ))
        })?;
        script.extend_from_slice(b";\n");
        files.push(OutputFile {
            path: format!("{base}/data.js"),
            bytes: script,
        });
        Ok(files)
    }

    /// A question page; `up` leads from the page to the guide's folder.
    fn guide_question<'a>(&self, name: &str, id: &str, q: &Question, up: &str) -> GuidePage<'a> {
        let choices = q
            .choices
            .iter()
            .map(|c| ChoiceLink {
                key: c.key.clone(),
                label: c.label.clone(),
                href: match &c.next {
                    Some(next) => [up, &page_of(next)].concat(),
                    None => [up, &now_page_of(id)].concat(),
                },
            })
            .collect();
        GuidePage {
            question: Some(q.clone()),
            choices,
            ..GuidePage::at("question", id, q.text.clone(), name, up)
        }
    }

    fn guide_file(
        &self,
        page: &GuidePage,
        path: &str,
        root: &str,
        title: &str,
    ) -> Result<OutputFile, Error> {
        let mut ctx = self.context(root, path, title);
        ctx.insert("guide", page);
        ctx.insert("procedure_name", &page.procedure_name);
        self.render("wizard.html", &ctx, path.to_string())
    }

    fn redirect(&self, path: &str, target: &str) -> Result<OutputFile, Error> {
        let mut ctx = self.context("../../", path, "This page has moved");
        ctx.insert("target", target);
        self.render("redirect.html", &ctx, path.to_string())
    }
}

/// The context `wizard-result.html` and `wizard-result-link.html` are filled in with.
fn fragment_context(page: &GuidePage) -> Context {
    let mut ctx = Context::new();
    ctx.insert("guide", page);
    ctx
}

/// Writes `data` as JSON, exactly as `serde_json` would, but with each result's HTML
/// written by [`push_json_string`]: the results are most of the script's bytes.
fn write_script_data(out: &mut Vec<u8>, data: &ScriptData) -> serde_json::Result<()> {
    out.extend_from_slice(b"{\"start\":");
    serde_json::to_writer(&mut *out, data.start)?;
    out.extend_from_slice(b",\"title\":");
    serde_json::to_writer(&mut *out, data.title)?;
    out.extend_from_slice(b",\"aliases\":");
    serde_json::to_writer(&mut *out, &data.aliases)?;
    out.extend_from_slice(b",\"nodes\":{");
    for (i, (id, node)) in data.nodes.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut *out, id)?;
        out.extend_from_slice(b":{\"kind\":");
        serde_json::to_writer(&mut *out, &node.kind)?;
        out.extend_from_slice(b",\"heading\":");
        serde_json::to_writer(&mut *out, &node.heading)?;
        out.extend_from_slice(b",\"question\":");
        serde_json::to_writer(&mut *out, &node.question)?;
        out.extend_from_slice(b",\"result\":");
        match &node.result {
            Some(html) => push_json_string(out, html),
            None => out.extend_from_slice(b"null"),
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"}}");
    Ok(())
}

/// Writes `text` as a JSON string, escaped as `serde_json` escapes it. A result's HTML
/// has a quote or line break every twenty bytes or so and no other control character,
/// so those three are found with a vectorised search, not byte by byte.
fn push_json_string(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let other_control = bytes
        .iter()
        .fold(false, |found, &b| found | (b < 0x20 && b != b'\n'));
    if other_control {
        // Rare enough to leave to serde_json, which cannot fail on a string.
        let _ = serde_json::to_writer(&mut *out, text);
        return;
    }
    out.reserve(bytes.len() + bytes.len() / 8 + 2);
    out.push(b'"');
    let mut plain_from = 0;
    for at in memchr::memchr3_iter(b'"', b'\\', b'\n', bytes) {
        out.extend_from_slice(&bytes[plain_from..at]);
        out.extend_from_slice(match bytes[at] {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            _ => b"\\n",
        });
        plain_from = at + 1;
    }
    out.extend_from_slice(&bytes[plain_from..]);
    out.push(b'"');
}

/// A result, with everything `wizard-result.html` shows of it: "you are at" a stage, or an ending.
fn result_in_full<'a>(
    name: &str,
    g: &Graph,
    node: &Node,
    (view, value): (&'a NodeView, Option<&tera::Value>),
) -> GuidePage<'a> {
    GuidePage {
        result: Some(
            value
                .cloned()
                .unwrap_or_else(|| tera::Value::from_serializable(view)),
        ),
        result_html: None,
        next: what_next(g, node),
        calculator: calculator(view),
        uncounted: uncounted(view),
        ..result_page_of(name, node, "", "")
    }
}

/// A result's own page (or, with `up` empty, its place on the guide's first page),
/// showing `html`, the result already filled in; `up` leads from the page to the guide's folder.
fn result_page_of<'a>(name: &str, node: &Node, html: &str, up: &str) -> GuidePage<'a> {
    let (kind, heading) = match node {
        Node::Stage(_) => ("stage", ["You are at ", &node.heading()].concat()),
        Node::Decision(_) => (
            "waiting",
            ["You are waiting for a decision: ", &node.heading()].concat(),
        ),
        Node::Ending(_) => ("ending", node.heading()),
    };
    GuidePage {
        result_html: Some(html.to_string()),
        ..GuidePage::at(kind, node.id(), heading, name, up)
    }
}

/// What happens after a stage, or after a decision the reader is waiting for, on each
/// outcome (nothing after an ending).
fn what_next(g: &Graph, node: &Node) -> Vec<NextLine> {
    let stage = match node {
        Node::Stage(stage) => stage,
        Node::Decision(_) => return answer_lines(g, node),
        Node::Ending(_) => return Vec::new(),
    };
    let Some(next) = g.node(&stage.next) else {
        return Vec::new();
    };
    match next {
        Node::Decision(_) => answer_lines(g, next),
        _ => vec![NextLine {
            when: format!(
                "When {} has finished",
                stage.label.as_deref().unwrap_or("this stage")
            ),
            then: next.heading(),
        }],
    }
}

/// A line for each answer of the decision `node`: the question and answer, then where it leads.
fn answer_lines(g: &Graph, node: &Node) -> Vec<NextLine> {
    let Node::Decision(decision) = node else {
        return Vec::new();
    };
    decision
        .answers
        .iter()
        .map(|a| NextLine {
            when: format!("{} {}", decision.question, a.label),
            then: g
                .node(&a.next)
                .map_or_else(|| a.next.clone(), Node::heading),
        })
        .collect()
}

/// The deadlines of a result grouped by the event they count from, so each event's
/// date is asked for once; a deadline that may count from several events is in each
/// of their groups. Deadlines no date can be worked out for are in none.
fn calculator(view: &NodeView) -> Vec<CalculatorGroup<'_>> {
    let mut groups: Vec<CalculatorGroup> = Vec::new();
    let countable = view
        .deadlines
        .iter()
        .enumerate()
        .filter(|(_, d)| d.no_date.is_none());
    for (index, d) in countable {
        for (event, via) in &d.events {
            let label = if d.direction == "before" {
                format!("Counted back from: {event}")
            } else {
                format!("Counted from: {event}")
            };
            match groups
                .iter_mut()
                .find(|g| g.label == label && &g.via == via)
            {
                Some(g) => g.deadlines.push(CalculatorEntry { index, deadline: d }),
                None => groups.push(CalculatorGroup {
                    id: format!("calc-{}-{}", slug(&view.id), groups.len() + 1),
                    label,
                    via: via.clone(),
                    deadlines: vec![CalculatorEntry { index, deadline: d }],
                }),
            }
        }
    }
    groups
}

/// The deadlines of a result that no date can be worked out for, each with the reason.
fn uncounted(view: &NodeView) -> Vec<&DeadlineView> {
    view.deadlines
        .iter()
        .filter(|d| d.no_date.is_some())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXTS: &[&str] = &[
        "",
        "plain",
        "<p class=\"x\">a \\ b</p>\n\n<ul>\n  <li>“quoted” – é ✓</li>\n</ul>\n",
        "\"\"\\\\\n\n",
        "tab\there, return\r\n, bell\u{7}, nul\u{0}, escape\u{1b}, delete\u{7f}",
        "line separator \u{2028} and paragraph separator \u{2029}",
    ];

    #[test]
    fn escapes_strings_as_serde_json_does() {
        for text in TEXTS {
            let mut ours = Vec::new();
            push_json_string(&mut ours, text);
            let theirs = serde_json::to_vec(text).expect("json");
            assert_eq!(
                String::from_utf8(ours).expect("utf-8"),
                String::from_utf8(theirs).expect("utf-8")
            );
        }
    }

    #[test]
    fn writes_the_script_data_as_serde_json_does() {
        let ids: Vec<String> = (0..TEXTS.len()).map(|i| format!("node-{i}")).collect();
        let nodes = TEXTS
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let node = ScriptNode {
                    kind: [NodeKind::Stage, NodeKind::Decision, NodeKind::Ending][i % 3],
                    heading: format!("Heading {i}: \"{text}\""),
                    question: (i % 2 == 0).then(|| Question {
                        text: format!("Question {i}?"),
                        hint: (i % 4 == 0).then(|| text.to_string()),
                        choices: vec![Choice {
                            key: "finished".into(),
                            label: "Yes".into(),
                            next: Some(format!("node-{}", i + 1)),
                        }],
                        notes: vec![format!("<em>{text}</em>")],
                        ..Question::default()
                    }),
                    result: (i % 3 != 1).then(|| text.to_string()),
                };
                (ids[i].as_str(), node)
            })
            .collect();
        let data = ScriptData {
            start: "node-0",
            title: "A \"title\"",
            aliases: BTreeMap::from([("old", "node-1"), ("older", "node-2")]),
            nodes,
        };
        let mut ours = Vec::new();
        write_script_data(&mut ours, &data).expect("written");
        let theirs = serde_json::to_vec(&data).expect("json");
        assert_eq!(
            String::from_utf8(ours).expect("utf-8"),
            String::from_utf8(theirs).expect("utf-8")
        );
    }
}
