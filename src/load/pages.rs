//! Guidance pages: Markdown files in `content/`, each with a small YAML front
//! matter block (title, description, order), read with positioned diagnostics.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Position};
use crate::load::{is_valid_slug, parse_yaml, read_text};

/// The folder of guidance pages.
pub const CONTENT_DIR: &str = "content";

/// The front matter of a guidance page.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    /// The page's title.
    pub title: String,
    /// A sentence about the page, for lists and search engines.
    #[serde(default)]
    pub description: Option<String>,
    /// Where the page comes in lists: lower first.
    #[serde(default)]
    pub order: i64,
    /// Whether the page is linked from every page's header. Keep this to a few
    /// pages: every page of the site carries the links.
    #[serde(default)]
    pub menu: bool,
}

/// A guidance page read from `content/`.
#[derive(Debug, Clone)]
pub struct Page {
    /// The web address under the site root: the file's path without `.md`, e.g. `about`.
    pub slug: String,
    /// The file, relative to the site root.
    pub file: PathBuf,
    /// The front matter.
    pub meta: PageMeta,
    /// The Markdown after the front matter.
    pub body: String,
}

/// What was read from `content/`.
#[derive(Debug, Default)]
pub struct LoadedPages {
    /// The pages that were read, sorted by order then title.
    pub pages: Vec<Page>,
    /// Every page file found with a usable name, read or not, with its slug,
    /// sorted by file: what the site would publish.
    pub sources: Vec<(PathBuf, String)>,
    /// How many page files were found, usable or not.
    pub files: usize,
}

/// Reads every `.md` file under `content/`, sorted by order then title.
///
/// A page's address is its path under `content/` without `.md`; a folder's
/// `index.md` is the folder's own page (`content/a/index.md` is `a`, as
/// `content/a.md` would be, so the two may not both exist).
pub fn load_pages(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> LoadedPages {
    let dir = root.join(CONTENT_DIR);
    if !dir.is_dir() {
        return LoadedPages::default();
    }
    if crate::load::leaves_site(root, &dir) {
        diagnostics.push(crate::load::outside_link(Path::new(CONTENT_DIR)));
        return LoadedPages::default();
    }
    // Find the files in order, then read them in parallel, keeping that order. Hidden
    // files and folders (an editor's `.#about.md`, macOS's `._about.md`, `.obsidian/`)
    // are not pages. Links to folders are not followed, so a link out of the site is
    // never walked; a link that leaves the site, to a file or a folder, is an error.
    let found: Vec<Result<(PathBuf, String), Diagnostic>> = WalkDir::new(&dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()))
        .filter_map(|entry| page_file(root, entry))
        .collect();
    let files = found.len();
    let mut sources: Vec<(PathBuf, String)> = found.iter().flatten().cloned().collect();
    sources.sort();
    let read: Vec<Result<Page, Diagnostic>> = found
        .into_par_iter()
        .map(|f| f.and_then(|(relative, slug)| read_page(root, &relative, slug)))
        .collect();
    let mut pages = Vec::with_capacity(read.len());
    for r in read {
        match r {
            Ok(page) => pages.push(page),
            Err(d) => diagnostics.push(d),
        }
    }
    pages.sort_by(|a, b| (a.meta.order, &a.meta.title).cmp(&(b.meta.order, &b.meta.title)));
    LoadedPages {
        pages,
        sources,
        files,
    }
}

/// Whether a file or folder's name marks it hidden: it starts with a dot.
pub fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().starts_with(b".")
}

/// A page file found under `content/`, with its slug; `None` for what is not a page.
fn page_file(
    root: &Path,
    entry: walkdir::Result<walkdir::DirEntry>,
) -> Option<Result<(PathBuf, String), Diagnostic>> {
    let entry = match entry {
        Ok(e) => e,
        Err(e) => {
            let file = e
                .path()
                .and_then(|p| p.strip_prefix(root).ok())
                .unwrap_or(Path::new(CONTENT_DIR))
                .to_path_buf();
            return Some(Err(Diagnostic::error(
                file,
                format!(
                    "cannot read the content folder: {}",
                    e.io_error()
                        .map_or_else(|| e.to_string(), ToString::to_string)
                ),
            )
            .with_hint("check the folder's permissions")));
        }
    };
    let relative = entry.path().strip_prefix(root).ok()?;
    // A link out of the site, to a page or to a folder, is refused, never followed.
    if entry.path_is_symlink() && crate::load::leaves_site(root, entry.path()) {
        return Some(Err(crate::load::outside_link(relative)));
    }
    let name = relative.to_str().and_then(|s| s.strip_suffix(".md"))?;
    if entry.file_type().is_dir() {
        return None;
    }
    let path = name
        .strip_prefix(CONTENT_DIR)
        .unwrap_or(name)
        .trim_start_matches(['/', '\\'])
        .replace('\\', "/");
    // A folder's index.md is the folder's page; content/index.md would be the home page.
    let slug = match path.strip_suffix("index") {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => {
            folder.trim_end_matches('/').to_string()
        }
        _ => path.clone(),
    };
    if !slug.is_empty() && !slug.split('/').all(is_valid_slug) {
        return Some(Err(Diagnostic::error(
            relative,
            format!("the page name '{path}' cannot be used in web addresses"),
        )
        .with_hint(format!(
            "rename the file with lower-case letters, digits and hyphens only, e.g. '{}.md'",
            path.split('/')
                .map(crate::model::slug)
                .collect::<Vec<_>>()
                .join("/")
        ))));
    }
    Some(Ok((relative.to_path_buf(), slug)))
}

fn read_page(root: &Path, file: &Path, slug: String) -> Result<Page, Diagnostic> {
    let text = read_text(root, file)?;
    let normalised = text.replace("\r\n", "\n");
    let Some(rest) = normalised.strip_prefix("---\n") else {
        return Err(Diagnostic::error(file, "the page has no front matter")
            .at(Position { line: 1, column: 1 }, &text)
            .with_hint("start the file with '---', a line 'title: ...', and another '---'"));
    };
    let Some(end) = rest
        .find("\n---\n")
        .or_else(|| rest.strip_suffix("\n---").map(|r| r.len()))
    else {
        return Err(Diagnostic::error(file, "the front matter is not closed")
            .at(Position { line: 1, column: 1 }, &text)
            .with_hint("end the front matter with a line '---'"));
    };
    let front = &rest[..end];
    let body = rest.get(end + 5..).unwrap_or("").to_string();
    let meta = parse_yaml::<PageMeta>(file, front).map_err(|mut d| {
        // Positions inside the front matter are one line down in the file.
        if let Some(p) = d.position {
            d = d.at(
                Position {
                    line: p.line + 1,
                    column: p.column,
                },
                &text,
            );
        }
        d
    })?;
    Ok(Page {
        slug,
        file: file.to_path_buf(),
        meta,
        body,
    })
}
