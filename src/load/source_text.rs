//! Published texts: the plain-text copy of the published document that a
//! procedure names in `source.text`, read from the site's `sources/` folder.
//!
//! A first line starting with `#` says where the copy comes from; it is kept
//! (so positions stay those of the file) but is not part of the published text.
//! A text is read again only when its size or modification time changed, so a
//! `serve` rebuild picks up an edited text without reading the others.

use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::load::locate::{PositionIndex, YamlPath};
use crate::load::{FileStamp, Limit, LoadedProcedure, read_text_within};

/// The folder of published texts.
pub const SOURCES_DIR: &str = "sources";

/// A published text is refused beyond this size: a long procedure is a few
/// hundred kilobytes, and the checks against it run in linear time.
const MAX_SOURCE_BYTES: u64 = 32 * 1024 * 1024;

/// A published text, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceText {
    /// The file, relative to the site root: `sources/doncaster.txt`.
    pub file: PathBuf,
    /// The whole file, header line included.
    pub text: String,
    /// Where the published text starts: after the header line, if there is one.
    pub body_start: usize,
    /// The file's size and modification time when it was read.
    pub stamp: Option<FileStamp>,
}

impl SourceText {
    /// Reads a text from its file's contents.
    pub fn new(file: PathBuf, text: String, stamp: Option<FileStamp>) -> Self {
        let body_start = if text.starts_with('#') {
            text.find('\n').map_or(text.len(), |end| end + 1)
        } else {
            0
        };
        SourceText {
            file,
            text,
            body_start,
            stamp,
        }
    }

    /// Whether the text is Markdown (its file ends in `.md`): then its emphasis,
    /// link and heading syntax is not part of the published words.
    pub fn is_markdown(&self) -> bool {
        self.file.extension().is_some_and(|e| e == "md")
    }

    /// The published text, without the header line.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// Reads the published text `lp` names, unless `kept` (the text read last time) is
/// still current. Problems are added to `diagnostics`. Says whether the text differs
/// from `kept`'s.
pub fn load_source_text(
    root: &Path,
    lp: &mut LoadedProcedure,
    kept: Option<SourceText>,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    let Some(named) = lp.procedure.source.text.clone() else {
        lp.source_text = None;
        return kept.is_some();
    };
    let file = match source_path(&named) {
        Ok(file) => file,
        Err(problem) => {
            diagnostics.push(at_text_field(lp, problem).with_hint(format!(
                "keep the published text in the site's {SOURCES_DIR}/ folder and name it from the site root, e.g. '{SOURCES_DIR}/{}.txt'",
                lp.slug
            )));
            lp.source_text = None;
            return kept.is_some();
        }
    };
    let stamp = FileStamp::of(&root.join(&file));
    if let Some(kept) = kept.filter(|k| k.file == file && stamp.is_some() && k.stamp == stamp) {
        lp.source_text = Some(kept);
        return false;
    }
    let limit = Limit {
        bytes: MAX_SOURCE_BYTES,
        kind: "a published text",
        belongs: "a plain-text copy of the published procedure",
    };
    let read = if root.join(&file).exists() || root.join(&file).is_symlink() {
        read_text_within(root, &file, limit)
    } else {
        Err(at_text_field(
            lp,
            format!("the published text '{named}' does not exist"),
        )
        .with_hint(format!(
            "save the published procedure as plain text at {named} (docs/authoring.md says how to extract it from a PDF), or remove 'text:'"
        )))
    };
    let fresh = match read {
        Ok(text) => Some(SourceText::new(file, text, stamp)),
        Err(d) => {
            diagnostics.push(d);
            None
        }
    };
    lp.source_text = fresh;
    true
}

/// The path `named` as a file under `sources/`, or why it cannot be one.
fn source_path(named: &str) -> Result<PathBuf, String> {
    let path = Path::new(named);
    let mut parts = path.components();
    let inside = parts.next() == Some(Component::Normal(SOURCES_DIR.as_ref()))
        && parts.clone().next().is_some()
        && parts.all(|part| matches!(part, Component::Normal(_)));
    if inside {
        Ok(path.to_path_buf())
    } else {
        Err(format!(
            "the published text '{named}' is not a file in the site's {SOURCES_DIR}/ folder"
        ))
    }
}

/// An error placed at the procedure's `source.text`.
fn at_text_field(lp: &LoadedProcedure, message: String) -> Diagnostic {
    let index = PositionIndex::build(&lp.text);
    let position = index.value(&YamlPath::root().key("source").key("text"));
    Diagnostic::error(&lp.file, message).at(position, &lp.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_line_is_not_part_of_the_text() {
        let text = SourceText::new(
            "sources/a.txt".into(),
            "# From the council's site, 2026\nStage 1\n".into(),
            None,
        );
        assert_eq!(text.body(), "Stage 1\n");
        let plain = SourceText::new("sources/a.txt".into(), "Stage 1\n".into(), None);
        assert_eq!(plain.body(), "Stage 1\n");
    }

    #[test]
    fn only_files_in_the_sources_folder_are_read() {
        assert!(source_path("sources/a.txt").is_ok());
        assert!(source_path("sources/old/a.txt").is_ok());
        for bad in [
            "a.txt",
            "sources",
            "sources/../site.yaml",
            "/etc/passwd",
            "../sources/a.txt",
            "./sources/a.txt",
        ] {
            assert!(source_path(bad).is_err(), "{bad}");
        }
    }
}
