//! Loading: reads a site's files from disk into the model, turning every
//! problem on the way (unreadable files, bad encodings, YAML syntax, wrong
//! types, unknown fields) into a diagnostic with a position and a hint.
//!
//! Nothing here panics or gives up early on user input: each file is read on
//! its own, so one run reports the problems of every file.

pub mod pages;
pub mod source_text;
pub mod theme;
pub mod yaml;

pub use yaml::locate;
pub use yaml::{parse_yaml, parse_yaml_all, read_yaml};

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, position_of_offset};
use crate::model::{Procedure, SiteConfig};

/// Files larger than this are refused before parsing: no real procedure comes close,
/// and reading a runaway file must not stall a build.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// The site file's name at the root of a site.
pub const SITE_FILE: &str = "site.yaml";
/// The folder of procedure files.
pub const PROCEDURES_DIR: &str = "procedures";

/// A procedure read from its file, with the text kept for later diagnostics.
#[derive(Debug, Clone)]
pub struct LoadedProcedure {
    /// The name used in web addresses: the file name without `.yaml`.
    pub slug: String,
    /// The file, relative to the site root.
    pub file: PathBuf,
    /// The file's text (BOM removed).
    pub text: String,
    /// The parsed procedure.
    pub procedure: Procedure,
    /// The file's size and modification time when it was read.
    pub stamp: Option<FileStamp>,
    /// The published text the procedure names in `source.text`, when it could be read.
    pub source_text: Option<source_text::SourceText>,
}

/// What tells whether a file may have changed without reading it: its size and
/// modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    len: u64,
    modified: std::time::SystemTime,
}

impl FileStamp {
    /// The stamp of the file at `path`, if it can be had.
    pub(crate) fn of(path: &Path) -> Option<Self> {
        let meta = fs::metadata(path).ok()?;
        Some(FileStamp {
            len: meta.len(),
            modified: meta.modified().ok()?,
        })
    }
}

/// Everything read from a site folder.
#[derive(Debug, Default)]
pub struct LoadedSite {
    /// The site root.
    pub root: PathBuf,
    /// The site file, if it could be read.
    pub config: Option<SiteConfig>,
    /// The site file's text, when it was read, for placing later diagnostics.
    pub config_text: Option<String>,
    /// The procedures that parsed, sorted by slug.
    pub procedures: Vec<LoadedProcedure>,
    /// How many procedure files were found, parsed or not.
    pub procedure_files: usize,
    /// Every procedure file found with a usable name, parsed or not, with its
    /// slug, sorted by file: what the site would publish.
    pub sources: Vec<(PathBuf, String)>,
    /// Problems found while loading.
    pub diagnostics: Vec<Diagnostic>,
}

/// What looking at a procedure file found.
enum Looked {
    /// Its stamp is the one it had when last read.
    Unchanged(PathBuf),
    /// It was read (or could not be).
    Read(PathBuf, Result<String, Diagnostic>, Option<FileStamp>),
}

/// A procedure file's text, to be parsed.
struct Fresh {
    file: PathBuf,
    text: String,
    stamp: Option<FileStamp>,
}

/// Reads `site.yaml` and every procedure under `root`.
pub fn load_site(root: &Path) -> LoadedSite {
    load_site_reusing(root, &mut HashMap::new(), None)
}

/// Reads `site.yaml` and every procedure under `root`, taking from `previous` (by file)
/// each procedure whose file has not changed instead of parsing it again, so a rebuild
/// parses only what was edited; what is left in `previous` was not reused.
///
/// With `touched` (the files a watcher saw change, relative to `root`), a file not
/// among them counts as unchanged, without being read, when its size and
/// modification time are those it had when last read; without it, every file is
/// read. A file that is read counts as unchanged when its text is the same.
/// Files are read and parsed in parallel; the result is the same as reading
/// them one by one.
pub fn load_site_reusing(
    root: &Path,
    previous: &mut HashMap<PathBuf, LoadedProcedure>,
    touched: Option<&BTreeSet<PathBuf>>,
) -> LoadedSite {
    let mut site = LoadedSite {
        root: root.to_path_buf(),
        ..LoadedSite::default()
    };
    let known: BTreeSet<PathBuf> = previous.keys().cloned().collect();
    if !root.is_dir() {
        site.diagnostics.push(
            Diagnostic::error(root, "the site folder does not exist or is not a folder")
                .with_hint("pass the folder that holds site.yaml with --root DIR"),
        );
        return site;
    }
    match read_yaml::<SiteConfig>(root, Path::new(SITE_FILE)) {
        Ok((text, config)) => {
            site.config = Some(config);
            site.config_text = Some(text);
        }
        Err(mut d) => {
            if fs::symlink_metadata(root.join(SITE_FILE)).is_err() {
                for d in &mut d {
                    d.hint = Some(format!(
                        "every site has a {SITE_FILE} with at least 'title:'; pass the site's folder with --root DIR, or run `waymark init DIR` to start one"
                    ));
                }
            }
            site.diagnostics.append(&mut d);
        }
    }
    let files = procedure_files(root, &mut site.diagnostics);
    site.procedure_files = files.len();
    site.sources = files.iter().map(|f| (f.clone(), slug_of(f))).collect();
    // Look at each file in parallel: keep what is unchanged, read the rest.
    let looked: Vec<Looked> = files
        .into_par_iter()
        .map(|file| {
            let stamp = FileStamp::of(&root.join(&file));
            let same_stamp = stamp.is_some()
                && touched.is_some_and(|touched| !touched.contains(&file))
                && previous.get(&file).is_some_and(|old| old.stamp == stamp);
            if same_stamp {
                Looked::Unchanged(file)
            } else {
                let text = read_text(root, &file);
                Looked::Read(file, text, stamp)
            }
        })
        .collect();
    let read: Vec<Result<LoadedProcedure, Fresh>> = looked
        .into_iter()
        .filter_map(|looked| match looked {
            Looked::Unchanged(file) => previous.remove(&file).map(Ok),
            Looked::Read(_, Err(d), _) => {
                site.diagnostics.push(d);
                None
            }
            Looked::Read(file, Ok(text), stamp) => {
                let same = previous.get(&file).is_some_and(|old| old.text == text);
                let kept = if same { previous.remove(&file) } else { None };
                match kept {
                    Some(mut kept) => {
                        kept.stamp = stamp;
                        Some(Ok(kept))
                    }
                    None => Some(Err(Fresh { file, text, stamp })),
                }
            }
        })
        .collect();
    let loaded: Vec<Result<LoadedProcedure, Vec<Diagnostic>>> = read
        .into_par_iter()
        .map(|kept| {
            let Fresh { file, text, stamp } = match kept {
                Ok(old) => return Ok(old),
                Err(fresh) => fresh,
            };
            let procedure = parse_yaml_all::<Procedure>(&file, &text)?;
            Ok(LoadedProcedure {
                slug: slug_of(&file),
                file,
                text,
                procedure,
                stamp,
                source_text: None,
            })
        })
        .collect();
    for result in loaded {
        match result {
            Ok(procedure) => site.procedures.push(procedure),
            Err(mut d) => site.diagnostics.append(&mut d),
        }
    }
    load_source_texts(root, &mut site, &known, previous);
    site
}

/// Reads the published text of each procedure. A procedure reused unchanged (one of
/// the `known` files no longer in `previous`) whose text changed is put back among
/// the `previous` ones, so it counts as edited: checked and rendered again.
fn load_source_texts(
    root: &Path,
    site: &mut LoadedSite,
    known: &BTreeSet<PathBuf>,
    previous: &mut HashMap<PathBuf, LoadedProcedure>,
) {
    for lp in &mut site.procedures {
        let reused = known.contains(&lp.file) && !previous.contains_key(&lp.file);
        let kept = if reused { lp.source_text.take() } else { None };
        let before = kept.clone();
        let changed = source_text::load_source_text(root, lp, kept, &mut site.diagnostics);
        fn text(t: &Option<source_text::SourceText>) -> Option<&str> {
            t.as_ref().map(|t| t.text.as_str())
        }
        if changed && reused && text(&before) != text(&lp.source_text) {
            let mut old = lp.clone();
            old.source_text = before;
            previous.insert(lp.file.clone(), old);
        }
    }
}

/// The slug of a procedure file: its name without `.yaml` or `.yml`.
fn slug_of(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The procedure files under `procedures/`, relative to `root`, sorted. Both
/// `.yaml` and `.yml` are read; two files that differ only in that are
/// refused by the site checks, since they would be published at one address.
fn procedure_files(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let dir = root.join(PROCEDURES_DIR);
    // The folder is looked at once here; each file in it, by `read_text`.
    if leaves_site(root, &dir) {
        diagnostics.push(outside_link(Path::new(PROCEDURES_DIR)));
        return Vec::new();
    }
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(PROCEDURES_DIR, format!("cannot read the procedures folder: {}", io_reason(&e)))
                    .with_hint("a site keeps one YAML file per procedure in procedures/; `waymark new NAME` writes one"),
            );
            return Vec::new();
        }
    };
    let mut files = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = Path::new(PROCEDURES_DIR).join(&name);
        if name.starts_with('.') {
            continue;
        }
        let Some(stem) = name
            .strip_suffix(".yaml")
            .or_else(|| name.strip_suffix(".yml"))
        else {
            diagnostics.push(
                Diagnostic::warning(&relative, "ignored: not a .yaml file")
                    .with_hint("procedure files end in .yaml; move other files out of procedures/"),
            );
            continue;
        };
        if !is_valid_slug(stem) {
            diagnostics.push(
                Diagnostic::error(
                    &relative,
                    format!("the file name '{stem}' cannot be used in web addresses"),
                )
                .with_hint(format!(
                    "rename it with lower-case letters, digits and hyphens only, e.g. '{}.yaml'",
                    crate::model::slug(stem)
                )),
            );
            continue;
        }
        files.push(relative);
    }
    files.sort();
    files
}

/// Whether `text` is a lower-case, hyphenated name fit for a web address.
pub fn is_valid_slug(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Whether `path` leads, through links, to somewhere outside the site folder `root`.
/// A broken link is judged by where it points; a missing file does not leave the site.
pub fn leaves_site(root: &Path, path: &Path) -> bool {
    let target = match fs::canonicalize(path) {
        Ok(target) => target,
        // A link that cannot be resolved (its target is missing or cannot be looked
        // at): where it points, read as written from the link's folder.
        Err(_) => match (fs::read_link(path), path.parent().map(fs::canonicalize)) {
            (Ok(link), Some(Ok(folder))) => lexically_normal(&folder.join(link)),
            _ => return false,
        },
    };
    match fs::canonicalize(root) {
        Ok(root) => !target.starts_with(root),
        Err(_) => true,
    }
}

/// `path` with `.` and `..` worked out without the file system.
fn lexically_normal(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut normal = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

/// The error for a file or folder of the site that is a link out of the site folder.
/// It says nothing of what the link points at: not its name, not its contents.
pub fn outside_link(file: &Path) -> Diagnostic {
    Diagnostic::error(file, "this is a link that leaves the site folder").with_hint(
            "nothing outside the site folder is read or published: copy the file into the site, or point the link at a file inside it",
        )
}

/// Reads the file at `root/file` as UTF-8 text, refusing what cannot be a YAML file
/// and any file that is a link leading outside the site folder. The folders the file
/// lies in are the caller's to have looked at (each once, not once per file): the
/// site root, `procedures/`, and `content/`'s folders as they are walked.
pub fn read_text(root: &Path, file: &Path) -> Result<String, Diagnostic> {
    let limit = Limit {
        bytes: MAX_FILE_BYTES,
        kind: "a procedure file",
        belongs: "a YAML file",
    };
    read_text_within(root, file, limit)
}

/// What a file read by [`read_text_within`] may be.
pub struct Limit {
    /// Its largest size.
    pub bytes: u64,
    /// What it is, for messages: `a procedure file`.
    pub kind: &'static str,
    /// What belongs at its place, for messages: `a YAML file`.
    pub belongs: &'static str,
}

/// Reads the file at `root/file` as UTF-8 text, as [`read_text`] does, within `limit`.
pub fn read_text_within(root: &Path, file: &Path, limit: Limit) -> Result<String, Diagnostic> {
    let full = root.join(file);
    let is_link = fs::symlink_metadata(&full).is_ok_and(|m| m.file_type().is_symlink());
    if is_link && leaves_site(root, &full) {
        return Err(outside_link(file));
    }
    let meta = fs::metadata(&full).map_err(|e| {
        if let Ok(target) = fs::read_link(&full) {
            return Diagnostic::error(
                file,
                format!(
                    "this is a link to {}, which cannot be read: {}",
                    target.display(),
                    io_reason(&e)
                ),
            )
            .with_hint("point the link at a procedure file, or remove it");
        }
        Diagnostic::error(file, format!("cannot read the file: {}", io_reason(&e))).with_hint(
            if e.kind() == std::io::ErrorKind::NotFound {
                "create it, or check the name and folder"
            } else {
                "check the file exists and you may read it"
            },
        )
    })?;
    if meta.is_dir() {
        return Err(Diagnostic::error(
            file,
            format!("this is a folder, but {} belongs here", limit.belongs),
        )
        .with_hint(if limit.kind == "a procedure file" {
            "move the folder away or rename it so it does not end in .yaml"
        } else {
            "name a file, not a folder"
        }));
    }
    if !meta.is_file() {
        // A pipe or device: reading it could wait for ever or never end.
        return Err(Diagnostic::error(
            file,
            format!(
                "this is not a regular file, but {} belongs here",
                limit.belongs
            ),
        )
        .with_hint("replace it with a plain text file, or move it out of the site"));
    }
    if meta.len() > limit.bytes {
        return Err(Diagnostic::error(
            file,
            format!(
                "the file is {:.1} MB, larger than the {} MB {} may be",
                meta.len() as f64 / 1_048_576.0,
                limit.bytes / 1_048_576,
                limit.kind
            ),
        )
        .with_hint(format!(
            "{} is a few kilobytes; check this is the right file",
            limit.kind
        )));
    }
    let bytes = fs::read(&full).map_err(|e| {
        Diagnostic::error(file, format!("cannot read the file: {}", io_reason(&e)))
            .with_hint("check you may read it")
    })?;
    decode(file, bytes)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "it does not exist".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// Turns each `\r` not followed by `\n` into `\n`, in place: one byte for one, so
/// offsets do not move.
fn lone_cr_to_lf(bytes: &mut [u8]) {
    let mut from = 0;
    while let Some(at) = memchr::memchr(b'\r', &bytes[from..]) {
        let at = from + at;
        if bytes.get(at + 1) != Some(&b'\n') {
            bytes[at] = b'\n';
        }
        from = at + 1;
    }
}

/// Turns bytes into text: a UTF-8 BOM is dropped, other encodings and binary files are refused,
/// and a lone carriage return (the line end of old Mac files) becomes a line feed, so that
/// every reader sees the file's lines and places its positions on them (`\r\n` is kept).
fn decode(file: &Path, mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    lone_cr_to_lf(&mut bytes);
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::error(file, "the file is saved as UTF-16")
            .with_hint("save it as UTF-8 (in most editors: Save As, Encoding: UTF-8)"));
    }
    // UTF-16 without a byte order mark: ASCII text with a zero byte before or after each letter.
    if bytes.len() >= 4
        && bytes.chunks(2).take(64).all(|pair| {
            matches!(pair, [0, b] | [b, 0] if b.is_ascii() && *b != 0) || pair.len() == 1
        })
        && (bytes[0] == 0) == (bytes[2] == 0)
    {
        return Err(Diagnostic::error(file, "the file is saved as UTF-16")
            .with_hint("save it as UTF-8 (in most editors: Save As, Encoding: UTF-8)"));
    }
    if let Some(zero) = memchr::memchr(0, &bytes) {
        let text = String::from_utf8_lossy(&bytes[..zero]);
        return Err(
            Diagnostic::error(file, "the file contains binary data, not text")
                .at(position_of_offset(&text, text.len()), &text)
                .with_hint("check this is the right file; a procedure file is plain text"),
        );
    }
    String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let prefix = String::from_utf8_lossy(&bytes[..good]);
        Diagnostic::error(file, "the file is not valid UTF-8 text")
            .at(position_of_offset(&prefix, prefix.len()), &text)
            .with_hint("save it as UTF-8 (in most editors: Save As, Encoding: UTF-8)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_checked() {
        assert!(is_valid_slug("stage-2"));
        for bad in ["", "-a", "a-", "a--b", "A", "a b", "é"] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
    }
}
