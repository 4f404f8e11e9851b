//! Checks across files: no two sources may be published at the same address,
//! and none may take an address the site keeps for its own pages (see
//! [`crate::outputs`]). Left unchecked, one file would silently overwrite
//! another's output, and which one won could change from build to build.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, display_path};
use crate::outputs::{self, Claim};

/// One procedure or page file, with the slug it would be published under.
struct Source<'a> {
    file: &'a Path,
    slug: &'a str,
    page: bool,
}

impl Source<'_> {
    fn claims(&self) -> Vec<Claim> {
        if self.page {
            Claim::page(self.slug).to_vec()
        } else {
            Claim::procedure(self.slug).to_vec()
        }
    }

    fn what(&self) -> &'static str {
        if self.page { "page" } else { "procedure" }
    }
}

/// Checks the procedure files and page files found (each with its slug, whether
/// it could be read or not) against each other and the site's own outputs.
/// A clash is reported once, at the file that comes later (procedures before
/// pages, each sorted by file), naming the other.
pub fn check_outputs(
    procedures: &[(PathBuf, String)],
    pages: &[(PathBuf, String)],
) -> Vec<Diagnostic> {
    let mut sorted_procedures: Vec<&(PathBuf, String)> = procedures.iter().collect();
    sorted_procedures.sort();
    let mut sorted_pages: Vec<&(PathBuf, String)> = pages.iter().collect();
    sorted_pages.sort();
    let sources: Vec<Source> = sorted_procedures
        .into_iter()
        .map(|(file, slug)| Source {
            file,
            slug,
            page: false,
        })
        .chain(sorted_pages.into_iter().map(|(file, slug)| Source {
            file,
            slug,
            page: true,
        }))
        .collect();
    let mut diagnostics = Vec::new();
    for source in &sources {
        if let Some((path, what)) = outputs::reserved(source.slug) {
            diagnostics.push(reserved(source, path, what));
        }
    }
    // Folders first, then files: a file inside a folder claimed by any source is found
    // whatever the order. Each claim is looked up by path and by each folder above it.
    let mut folders: HashMap<&str, usize> = HashMap::new();
    let mut files: HashMap<String, usize> = HashMap::new();
    let claims: Vec<Vec<Claim>> = sources.iter().map(Source::claims).collect();
    let mut clashed = vec![false; sources.len()];
    for (i, list) in claims.iter().enumerate() {
        for claim in list {
            if let Claim::Folder(path) = claim {
                let earlier = folders
                    .get(path.as_str())
                    .copied()
                    .or_else(|| ancestors(path).find_map(|a| folders.get(a).copied()));
                match earlier {
                    Some(j) if !clashed[i] => {
                        clashed[i] = true;
                        diagnostics.push(clash(&sources[i], &sources[j], claim));
                    }
                    Some(_) => {}
                    None => {
                        folders.insert(path, i);
                    }
                }
            }
        }
    }
    for (i, list) in claims.iter().enumerate() {
        for claim in list {
            if let Claim::File(path) = claim {
                let earlier = files.get(path).copied().filter(|j| *j != i).or_else(|| {
                    ancestors(path)
                        .find_map(|a| folders.get(a).copied())
                        .filter(|j| *j != i)
                });
                match earlier {
                    Some(j) if !clashed[i] => {
                        clashed[i] = true;
                        let (later, first) = if j < i { (i, j) } else { (j, i) };
                        diagnostics.push(clash(&sources[later], &sources[first], claim));
                    }
                    Some(_) => {}
                    None => {
                        files.insert(path.clone(), i);
                    }
                }
            }
        }
    }
    diagnostics
}

/// The folders above `path`, nearest first: `a/b/c.html` gives `a/b`, then `a`.
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').rev().map(|(i, _)| &path[..i])
}

fn reserved(source: &Source, path: &str, what: &str) -> Diagnostic {
    let names: Vec<String> = outputs::SITE_OUTPUTS
        .iter()
        .filter_map(|(p, _)| p.split(['/', '.']).next())
        .map(|n| format!("'{n}'"))
        .collect();
    // A folder of the site's own is shown as one.
    let path = if path.contains('.') {
        path.to_string()
    } else {
        format!("{path}/")
    };
    let message = if source.slug.is_empty() {
        format!("this page would be the site's home page ({path}), which waymark writes itself")
    } else {
        format!(
            "the {} name '{}' is kept for {what} ({path}), which waymark writes itself",
            source.what(),
            source.slug.split('/').next().unwrap_or(source.slug)
        )
    };
    Diagnostic::error(source.file, message).with_hint(format!(
        "rename the file: {} are the site's own names",
        names.join(", ")
    ))
}

fn clash(later: &Source, first: &Source, claim: &Claim) -> Diagnostic {
    let shown = match claim {
        Claim::File(p) => p.clone(),
        Claim::Folder(p) => format!("{p}/"),
    };
    let message = if later.slug == first.slug {
        format!(
            "this {} would be published at {shown}, as {} is: one would overwrite the other",
            later.what(),
            display_path(first.file)
        )
    } else {
        format!(
            "this {} would be published at {shown}, inside the folder {}/ of {}",
            later.what(),
            first.slug,
            display_path(first.file)
        )
    };
    Diagnostic::error(later.file, message).with_hint(format!(
        "rename one of the two files ({} or {}): each procedure and page needs an address of its own",
        display_path(later.file),
        display_path(first.file)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(list: &[(&str, &str)]) -> Vec<(PathBuf, String)> {
        list.iter()
            .map(|(f, s)| (PathBuf::from(f), s.to_string()))
            .collect()
    }

    fn messages(procedures: &[(&str, &str)], pages: &[(&str, &str)]) -> Vec<String> {
        check_outputs(&sources(procedures), &sources(pages))
            .iter()
            .map(|d| d.render().lines().next().unwrap_or_default().to_string())
            .collect()
    }

    #[test]
    fn distinct_names_pass() {
        let none: Vec<String> = Vec::new();
        assert_eq!(
            messages(
                &[("procedures/a.yaml", "a"), ("procedures/b.yaml", "b")],
                &[("content/c.md", "c"), ("content/c/d.md", "c/d")]
            ),
            none
        );
    }

    #[test]
    fn each_clash_is_reported_once_at_the_later_file() {
        assert_eq!(
            messages(
                &[("procedures/a.yml", "a"), ("procedures/a.yaml", "a")],
                &[("content/a.md", "a"), ("content/a/notes.md", "a/notes")]
            ),
            [
                "procedures/a.yml: error: this procedure would be published at a/, as procedures/a.yaml is: one would overwrite the other",
                "content/a/notes.md: error: this page would be published at a/notes/index.html, inside the folder a/ of procedures/a.yaml",
                "content/a.md: error: this page would be published at a/index.html, as procedures/a.yaml is: one would overwrite the other",
            ]
        );
        assert_eq!(
            messages(&[], &[("content/b.md", "b"), ("content/b/index.md", "b")]),
            [
                "content/b.md: error: this page would be published at b/index.html, as content/b/index.md is: one would overwrite the other"
            ]
        );
    }

    #[test]
    fn the_site_s_own_names_are_refused() {
        let found = messages(
            &[("procedures/compare.yaml", "compare")],
            &[
                ("content/index.md", ""),
                ("content/assets/logo.md", "assets/logo"),
            ],
        );
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].starts_with("procedures/compare.yaml: error: the procedure name 'compare' is kept for the page comparing procedures"));
        assert!(found[1].starts_with(
            "content/assets/logo.md: error: the page name 'assets' is kept for the theme's files"
        ));
        assert!(
            found[2]
                .starts_with("content/index.md: error: this page would be the site's home page")
        );
    }
}
