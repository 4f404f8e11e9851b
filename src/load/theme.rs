//! The theme: templates and static files. The default theme is embedded in
//! the binary, so `waymark` works anywhere; a site's own `themes/NAME/`
//! folder overrides any single template (`templates/`) or static file
//! (`static/`) and may add new ones.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Position};

/// Embeds files of the default theme's `templates/` or `static/` folder by name.
macro_rules! embed {
    ($read:ident, $folder:literal: $($name:literal),+ $(,)?) => {
        &[$(($name, $read!(concat!("../../themes/default/", $folder, "/", $name)))),+]
    };
}

/// The embedded default theme's templates.
const TEMPLATES: &[(&str, &str)] = embed!(include_str, "templates":
    "base.html",
    "index.html",
    "procedure.html",
    "compare.html",
    "page.html",
    "404.html",
    "wizard.html",
    "wizard-result.html",
    "wizard-result-link.html",
    "redirect.html",
    "contact-cards.html",
    "reach.html",
    "deadlines.html",
);

/// The embedded default theme's static files, copied to `assets/`.
const STATIC: &[(&str, &[u8])] = embed!(include_bytes, "static":
    "style.css",
    "dates.js",
    "wizard.js",
    "flowchart.js",
    "favicon.svg",
);

/// Where the embedded default theme's files live in waymark's own sources, and
/// where a site's theme folders live: `themes/NAME/templates/...`.
const THEMES_DIR: &str = "themes";

/// The templates, compiled once, and the static files to publish.
pub struct Theme {
    /// The compiled templates.
    pub tera: Tera,
    /// Static files by name (under `assets/` in the output).
    pub assets: BTreeMap<String, Vec<u8>>,
    /// The templates' sources by name, so a rebuild can tell which ones changed.
    pub templates: BTreeMap<String, String>,
    /// Each template's file by name, for messages: the site's own
    /// (`themes/NAME/templates/page.html`, relative to the site), or for one the
    /// site does not override, the default theme's (`themes/default/templates/page.html`).
    pub sources: BTreeMap<String, PathBuf>,
}

/// The file a template of theme `name` comes from, relative to the site.
fn template_file(name: &str, template: &str) -> PathBuf {
    Path::new(THEMES_DIR)
        .join(name)
        .join("templates")
        .join(template)
}

/// Loads the default theme with the site's overrides from `root/themes/name/`.
pub fn load_theme(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
    let mut templates: BTreeMap<String, String> = TEMPLATES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    let mut sources: BTreeMap<String, PathBuf> = TEMPLATES
        .iter()
        .map(|(n, _)| (n.to_string(), template_file("default", n)))
        .collect();
    let mut assets: BTreeMap<String, Vec<u8>> = STATIC
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect();
    let mut problems = Vec::new();
    if !is_theme_name(name) {
        return Err(vec![
            Diagnostic::error(
                crate::load::SITE_FILE,
                format!("the theme '{name}' is not the name of a folder under themes/"),
            )
            .with_hint(
                "name a folder of themes/ with letters, digits, '-' and '_' only (not a path), e.g. 'theme: mine' for themes/mine/, or 'theme: default'",
            ),
        ]);
    }
    let folder = Path::new(THEMES_DIR).join(name);
    let themes = root.join(THEMES_DIR);
    if crate::load::leaves_site(root, &themes) {
        return Err(vec![crate::load::outside_link(Path::new(THEMES_DIR))]);
    }
    if crate::load::leaves_site(root, &root.join(&folder)) {
        return Err(vec![crate::load::outside_link(&folder)]);
    }
    if root.join(&folder).is_dir() {
        read_folder(
            root,
            &folder.join("templates"),
            &mut problems,
            |rel, bytes| match String::from_utf8(bytes) {
                Ok(text) => {
                    sources.insert(rel.clone(), template_file(name, &rel));
                    templates.insert(rel, text);
                    None
                }
                Err(_) => Some(format!("the template {rel} is not UTF-8 text")),
            },
        );
        read_folder(root, &folder.join("static"), &mut problems, |rel, bytes| {
            assets.insert(rel, bytes);
            None
        });
    } else if name != "default" {
        problems.push(
            Diagnostic::error(
                crate::load::SITE_FILE,
                format!("there is no theme folder themes/{name}"),
            )
            .with_hint("create it, or set 'theme: default'"),
        );
    }
    let tera = compile(&templates, &sources, &mut problems);
    match tera {
        Some(tera) if problems.is_empty() => Ok(Theme {
            tera,
            assets,
            templates,
            sources,
        }),
        _ => Err(problems),
    }
}

/// Whether `name` may name a theme: a plain folder name of letters, digits, `-` and `_`.
fn is_theme_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A template engine with waymark's escaping.
fn new_tera() -> Tera {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml", ".svg"]);
    tera.set_escape_fn(escape_html);
    tera
}

/// Compiles the templates. A template that cannot be compiled is reported at its
/// own file (and, for a syntax error, its line and column) and left out, and the
/// rest are compiled again, so one run reports every broken template; `None` if any was.
fn compile(
    templates: &BTreeMap<String, String>,
    sources: &BTreeMap<String, PathBuf>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Tera> {
    let mut broken: Vec<String> = Vec::new();
    // Each round leaves one more template out, so this ends.
    for _ in 0..=templates.len() {
        let mut tera = new_tera();
        let kept = templates
            .iter()
            .filter(|(n, _)| !broken.contains(n))
            .map(|(n, t)| (n.as_str(), t.as_str()));
        let error = match tera.add_raw_templates(kept) {
            Ok(()) => return broken.is_empty().then_some(tera),
            Err(e) => e,
        };
        let (name, position, message) = match error.kind() {
            tera::ErrorKind::SyntaxError(report) => (
                Some(report.filename().to_string()),
                Some(Position {
                    line: report.span().start_line.max(1),
                    column: report.span().start_col + 1,
                }),
                report.message().to_string(),
            ),
            tera::ErrorKind::MissingParent { current, parent } => (
                Some(current.clone()),
                None,
                format!("it extends '{parent}', which is not a template of the theme"),
            ),
            tera::ErrorKind::CircularExtend { tpl, .. }
            | tera::ErrorKind::CircularInclude { tpl, .. } => {
                (Some(tpl.clone()), None, error.to_string())
            }
            _ => (None, None, error.to_string()),
        };
        // Once a template is left out, others may fail only for lack of it: report
        // further syntax errors, which are each template's own, and nothing else.
        let syntax = position.is_some();
        if !broken.is_empty() && !syntax {
            return None;
        }
        let Some(name) = name.filter(|n| templates.contains_key(n) && !broken.contains(n)) else {
            problems.push(
                Diagnostic::error(
                    sources
                        .values()
                        .next()
                        .and_then(|p| p.parent())
                        .unwrap_or(Path::new(THEMES_DIR)),
                    format!("a template has an error: {message}"),
                )
                .with_hint(
                    "fix the template named in the message, or delete it to use the default",
                ),
            );
            return None;
        };
        let file = sources
            .get(&name)
            .cloned()
            .unwrap_or_else(|| template_file("default", &name));
        let mut d = Diagnostic::error(&file, format!("the template has an error: {message}"));
        if let (Some(p), Some(text)) = (position, templates.get(&name)) {
            d = d.at(p, text);
        }
        let embedded = TEMPLATES
            .iter()
            .any(|(n, t)| *n == name && templates.get(&name).is_some_and(|x| x == t));
        problems.push(d.with_hint(if embedded {
            "this is the default theme's template, broken by a template of the site's theme it uses: fix that one, or delete it to use the default"
        } else {
            "fix the template, or delete it to use the default theme's"
        }));
        broken.push(name);
    }
    None
}

/// Escapes `&`, `<`, `>`, `"` and `'` exactly as tera's own escaping does, but writes
/// each run of plain text in one call instead of byte by byte: escaping is a large
/// share of rendering, since every value a template prints passes through it.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut plain_from = 0;
    // Most values hold nothing to escape: look at 16 bytes at a time, in a form the
    // compiler turns into vector instructions, and at single bytes only in a block
    // that holds something to escape.
    let mut block_start = 0;
    for block in bytes.chunks(16) {
        let special = block.iter().fold(false, |found, &b| {
            found | matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')
        });
        if special {
            for (i, byte) in block.iter().enumerate() {
                let entity: &[u8] = match byte {
                    b'&' => b"&amp;",
                    b'<' => b"&lt;",
                    b'>' => b"&gt;",
                    b'"' => b"&quot;",
                    b'\'' => b"&#39;",
                    _ => continue,
                };
                let at = block_start + i;
                out.write_all(&bytes[plain_from..at])?;
                out.write_all(entity)?;
                plain_from = at + 1;
            }
        }
        block_start += block.len();
    }
    out.write_all(&bytes[plain_from..])
}

/// Calls `add` with each file under `root/folder` (path relative to that folder,
/// contents); `add` may return a problem. Problems name files relative to `root`.
///
/// Hidden files and folders (names starting with `.`) are left out. Links to folders
/// are not followed; a link to a file inside the site is read, and one that leaves
/// the site folder is an error, with nothing of its target read.
fn read_folder(
    root: &Path,
    folder: &Path,
    problems: &mut Vec<Diagnostic>,
    mut add: impl FnMut(String, Vec<u8>) -> Option<String>,
) {
    let dir = root.join(folder);
    if !dir.is_dir() {
        return;
    }
    if crate::load::leaves_site(root, &dir) {
        problems.push(crate::load::outside_link(folder));
        return;
    }
    let walk = WalkDir::new(&dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !crate::load::pages::is_hidden(e.file_name()));
    for entry in walk.flatten() {
        let is_file = if entry.path_is_symlink() {
            if crate::load::leaves_site(root, entry.path()) {
                let shown = entry.path().strip_prefix(root).unwrap_or(entry.path());
                problems.push(crate::load::outside_link(shown));
                continue;
            }
            entry.path().is_file()
        } else {
            entry.file_type().is_file()
        };
        if !is_file {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&dir) else {
            continue;
        };
        let shown = folder.join(rel);
        let rel = rel.to_string_lossy().replace('\\', "/");
        match std::fs::read(entry.path()) {
            Ok(bytes) => {
                if let Some(problem) = add(rel, bytes) {
                    problems.push(
                        Diagnostic::error(&shown, problem).with_hint("save the file as UTF-8"),
                    );
                }
            }
            Err(e) => problems.push(
                Diagnostic::error(&shown, format!("cannot read the theme file: {e}"))
                    .with_hint("check the file's permissions"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_on_disk(folder: &str) -> Vec<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default")
            .join(folder);
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("theme folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn every_file_of_the_default_theme_is_embedded() {
        let mut templates: Vec<String> = TEMPLATES.iter().map(|(n, _)| n.to_string()).collect();
        templates.sort();
        assert_eq!(templates, names_on_disk("templates"));
        let mut statics: Vec<String> = STATIC.iter().map(|(n, _)| n.to_string()).collect();
        statics.sort();
        assert_eq!(statics, names_on_disk("static"));
    }

    #[test]
    fn the_default_theme_s_templates_are_named_by_their_files_in_this_repository() {
        let dir = tempfile::tempdir().expect("temp dir");
        let theme = load_theme(dir.path(), "default").expect("loads");
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(theme.sources.len(), TEMPLATES.len());
        for (name, file) in &theme.sources {
            assert!(repo.join(file).is_file(), "{name}: {}", file.display());
        }
    }

    #[test]
    fn escaping_matches_teras_own_byte_for_byte() {
        let samples = [
            "",
            "plain words",
            "<script>alert('x') & \"y\"</script>",
            "&&<<>>''\"\"",
            "a&",
            "&a",
            "Ménage à trois – 5 £ > 3 €",
            "<ünïcödé & émoji 🙂>",
        ];
        // The escaper looks at blocks of 16 bytes: put each character on and around
        // the blocks' edges, among characters of several bytes.
        let edges: Vec<String> = (0..40)
            .flat_map(|at| {
                ['&', '<', '>', '"', '\'']
                    .map(|c| format!("{}{c}ü–{c}{}", "x".repeat(at), "y".repeat(at % 7)))
            })
            .collect();
        for sample in samples.into_iter().chain(edges.iter().map(String::as_str)) {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            escape_html(sample, &mut ours).expect("writes");
            tera::escape_html(sample, &mut teras).expect("writes");
            assert_eq!(
                String::from_utf8(ours).expect("utf-8"),
                String::from_utf8(teras).expect("utf-8"),
                "escaping {sample:?}"
            );
        }
    }

    /// A budget, not a target: 15 KB until the guide learnt three calendars and to say
    /// when a date has passed, is outside the table's years or counts from either of
    /// two events (about 17 KB, under 6 KB compressed).
    #[test]
    fn the_guide_and_its_calculator_stay_small() {
        let size: usize = STATIC
            .iter()
            .filter(|(name, _)| *name == "wizard.js" || *name == "dates.js")
            .map(|(_, bytes)| bytes.len())
            .sum();
        assert!(
            size > 0 && size < 20 * 1024,
            "wizard.js + dates.js are {size} bytes, over 20 KB"
        );
    }

    #[test]
    fn a_site_template_overrides_the_default_and_a_broken_one_is_reported() {
        let dir = tempfile::tempdir().expect("temp dir");
        let templates = dir.path().join("themes/default/templates");
        std::fs::create_dir_all(&templates).expect("mkdir");
        std::fs::write(templates.join("404.html"), "<p>{{ site.title }} lost</p>").expect("write");
        let theme = load_theme(dir.path(), "default").expect("loads");
        let mut ctx = tera::Context::new();
        ctx.insert("site", &serde_json::json!({"title": "Ours"}));
        assert_eq!(
            theme.tera.render("404.html", &ctx).expect("renders"),
            "<p>Ours lost</p>"
        );
        assert!(
            theme
                .tera
                .get_template_names()
                .any(|n| n == "procedure.html"),
            "templates the site does not override stay the default ones"
        );
        std::fs::write(templates.join("404.html"), "{% if %}").expect("write");
        let problems = load_theme(dir.path(), "default")
            .err()
            .expect("a broken template is refused");
        assert!(
            problems[0].message.contains("the template has an error"),
            "{}",
            problems[0].message
        );
        assert_eq!(
            problems[0].file,
            Path::new("themes/default/templates/404.html"),
            "the site's own file, relative to the site"
        );
        assert!(problems[0].position.is_some(), "at the error's line");
        for path in ["/etc", "../x", "a/b", "..", ".", "", "a b", "x\\y"] {
            let refused = load_theme(dir.path(), path)
                .err()
                .expect("a theme named by a path is refused");
            assert!(
                refused[0]
                    .message
                    .contains("not the name of a folder under themes/"),
                "{path}: {}",
                refused[0].message
            );
        }
        assert!(is_theme_name("my-theme_2"));
        let missing = load_theme(dir.path(), "nope")
            .err()
            .expect("an unknown theme is refused");
        assert!(missing[0].message.contains("themes/nope"));
    }
}
