//! The theme: templates and static files. The default theme is embedded in
//! the binary, so `waymark` works anywhere; a site's own `themes/NAME/`
//! folder overrides any single template (`templates/`) or static file
//! (`static/`) and may add new ones.

use std::collections::BTreeMap;
use std::path::Path;

use tera::Tera;
use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;

/// The embedded default theme's templates.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../themes/default/templates/base.html"),
    ),
    (
        "index.html",
        include_str!("../themes/default/templates/index.html"),
    ),
    (
        "procedure.html",
        include_str!("../themes/default/templates/procedure.html"),
    ),
    (
        "compare.html",
        include_str!("../themes/default/templates/compare.html"),
    ),
    (
        "page.html",
        include_str!("../themes/default/templates/page.html"),
    ),
    (
        "404.html",
        include_str!("../themes/default/templates/404.html"),
    ),
];

/// The embedded default theme's static files, copied to `assets/`.
const STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../themes/default/static/style.css"),
    ),
    (
        "dates.js",
        include_bytes!("../themes/default/static/dates.js"),
    ),
    (
        "favicon.svg",
        include_bytes!("../themes/default/static/favicon.svg"),
    ),
];

/// The templates, compiled once, and the static files to publish.
pub struct Theme {
    /// The compiled templates.
    pub tera: Tera,
    /// Static files by name (under `assets/` in the output).
    pub assets: BTreeMap<String, Vec<u8>>,
}

/// Loads the default theme with the site's overrides from `root/themes/name/`.
pub fn load_theme(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
    let mut templates: BTreeMap<String, String> = TEMPLATES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    let mut assets: BTreeMap<String, Vec<u8>> = STATIC
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect();
    let mut problems = Vec::new();
    let dir = root.join("themes").join(name);
    if dir.is_dir() {
        read_folder(
            &dir.join("templates"),
            &mut problems,
            |rel, bytes| match String::from_utf8(bytes) {
                Ok(text) => {
                    templates.insert(rel, text);
                    None
                }
                Err(_) => Some(format!("the template {rel} is not UTF-8 text")),
            },
        );
        read_folder(&dir.join("static"), &mut problems, |rel, bytes| {
            assets.insert(rel, bytes);
            None
        });
    } else if name != "default" {
        problems.push(
            Diagnostic::error(
                "site.yaml",
                format!("there is no theme folder themes/{name}"),
            )
            .with_hint("create it, or set 'theme: default'"),
        );
    }
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml", ".svg"]);
    if let Err(e) = tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
    {
        problems.push(
            Diagnostic::error(
                dir.join("templates"),
                format!("a template has an error: {e}"),
            )
            .with_hint("fix the template named in the message, or delete it to use the default"),
        );
    }
    if problems.is_empty() {
        Ok(Theme { tera, assets })
    } else {
        Err(problems)
    }
}

/// Calls `add` with each file under `dir` (path relative to `dir`, contents); `add` may return a problem.
fn read_folder(
    dir: &Path,
    problems: &mut Vec<Diagnostic>,
    mut add: impl FnMut(String, Vec<u8>) -> Option<String>,
) {
    if !dir.is_dir() {
        return;
    }
    for entry in WalkDir::new(dir).sort_by_file_name().into_iter().flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        match std::fs::read(entry.path()) {
            Ok(bytes) => {
                if let Some(problem) = add(rel, bytes) {
                    problems.push(
                        Diagnostic::error(entry.path(), problem)
                            .with_hint("save the file as UTF-8"),
                    );
                }
            }
            Err(e) => problems.push(
                Diagnostic::error(entry.path(), format!("cannot read the theme file: {e}"))
                    .with_hint("check the file's permissions"),
            ),
        }
    }
}
