//! Loading: reads a site's files from disk into the model, turning every
//! problem on the way (unreadable files, bad encodings, YAML syntax, wrong
//! types, unknown fields) into a diagnostic with a position and a hint.
//!
//! Nothing here panics or gives up early on user input: each file is read on
//! its own, so one run reports the problems of every file.

pub mod locate;
pub mod pages;
pub mod theme;
pub mod yaml;

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Position, did_you_mean, position_of_offset};
use crate::load::locate::{AliasExpansion, PositionIndex, YamlPath, alias_expansion};
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
    fn of(path: &Path) -> Option<Self> {
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
    let loaded: Vec<Result<LoadedProcedure, Diagnostic>> = read
        .into_par_iter()
        .map(|kept| {
            let Fresh { file, text, stamp } = match kept {
                Ok(old) => return Ok(old),
                Err(fresh) => fresh,
            };
            let procedure = parse_yaml::<Procedure>(&file, &text)?;
            Ok(LoadedProcedure {
                slug: slug_of(&file),
                file,
                text,
                procedure,
                stamp,
            })
        })
        .collect();
    for result in loaded {
        match result {
            Ok(procedure) => site.procedures.push(procedure),
            Err(d) => site.diagnostics.push(d),
        }
    }
    site
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
/// and any file that a link leads to outside the site folder.
pub fn read_text(root: &Path, file: &Path) -> Result<String, Diagnostic> {
    let full = root.join(file);
    if leaves_site(root, &full) {
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
        return Err(
            Diagnostic::error(file, "this is a folder, but a YAML file belongs here")
                .with_hint("move the folder away or rename it so it does not end in .yaml"),
        );
    }
    if !meta.is_file() {
        // A pipe or device: reading it could wait for ever or never end.
        return Err(Diagnostic::error(
            file,
            "this is not a regular file, but a YAML file belongs here",
        )
        .with_hint("replace it with a plain text file, or move it out of the site"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            file,
            format!(
                "the file is {:.1} MB, larger than the {} MB a procedure file may be",
                meta.len() as f64 / 1_048_576.0,
                MAX_FILE_BYTES / 1_048_576
            ),
        )
        .with_hint("a procedure file is a few kilobytes; check this is the right file"));
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

/// Reads and deserialises one YAML file. The text comes back too, for later diagnostics.
pub fn read_yaml<T: DeserializeOwned>(
    root: &Path,
    file: &Path,
) -> Result<(String, T), Vec<Diagnostic>> {
    let text = read_text(root, file).map_err(|d| vec![d])?;
    let value = parse_yaml(file, &text).map_err(|d| vec![d])?;
    Ok((text, value))
}

/// Deserialises YAML text, turning serde's error into a diagnostic a coordinator can act on.
pub fn parse_yaml<T: DeserializeOwned>(file: &Path, text: &str) -> Result<T, Diagnostic> {
    if is_blank_yaml(text) {
        let message = if text.lines().any(|l| l.trim_start().starts_with('#')) {
            "the file holds only comments, no fields"
        } else {
            "the file is empty"
        };
        return Err(
            Diagnostic::error(file, message).with_hint(if file == Path::new(SITE_FILE) {
                "the site file needs at least a line 'title: ...'"
            } else {
                "`waymark new NAME` writes a starter procedure to copy from"
            }),
        );
    }
    check_aliases(file, text)?;
    if let Some(value) = crate::load::yaml::from_str(text) {
        return Ok(value);
    }
    serde_yaml::from_str(text).map_err(|e| yaml_error(file, text, &e))
}

/// How much data aliases may add to a file when expanded.
const MAX_ALIAS_EXPANSION: u64 = 16 * 1024 * 1024;

/// Refuses text whose aliases (`*name`) would expand to more data than any procedure holds,
/// before the deserialiser expands them.
fn check_aliases(file: &Path, text: &str) -> Result<(), Diagnostic> {
    if !(may_start_node(text, '&') && may_start_node(text, '*')) {
        return Ok(());
    }
    let hint =
        "do not use anchors (&name) and aliases (*name) to repeat large blocks: write the text out";
    match alias_expansion(text, MAX_ALIAS_EXPANSION) {
        AliasExpansion::Fine => Ok(()),
        AliasExpansion::TooMuch(at) => Err(Diagnostic::error(
            file,
            "the YAML's aliases (*name) expand to too much data",
        )
        .at(at, text)
        .with_hint(hint)),
        AliasExpansion::Unknown => {
            // The position-keeping reader could not follow the text. Let the site's reader,
            // which does not expand aliases when skipping, report any syntax error; if it finds
            // none, refuse rather than expand aliases that could not be measured.
            serde_yaml::from_str::<serde::de::IgnoredAny>(text)
                .map_err(|e| yaml_error(file, text, &e))?;
            Err(Diagnostic::error(
                file,
                "the YAML's aliases (*name) cannot be measured, so they are not expanded",
            )
            .with_hint(hint))
        }
    }
}

fn is_blank_yaml(text: &str) -> bool {
    text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---" || l == "..."
    })
}

/// Whether `indicator` (`&` for an anchor, `*` for an alias) appears where it could start a
/// YAML node: after a space or bracket, with a name straight after it. "Fire & Rescue" does not.
fn may_start_node(text: &str, indicator: char) -> bool {
    // A line break before the indicator counts as the start of a line; a line
    // break after it is whitespace, like the end of the text. Searching for the
    // indicator (not walking every character) keeps this cheap on large sites.
    text.match_indices(indicator).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + indicator.len_utf8()..].chars().next();
        after.is_some_and(|n| !n.is_whitespace())
            && matches!(before, None | Some('\n' | ' ' | '\t' | '[' | '{' | ','))
    })
}

/// Rewrites a serde YAML error in plain words, at its position, with a hint.
fn yaml_error(file: &Path, text: &str, error: &serde_yaml::Error) -> Diagnostic {
    let raw = error.to_string();
    let parts = split_error(&raw);
    let position = error.location().map(|l| Position {
        line: l.line(),
        column: l.column(),
    });
    let explained = explain(&parts, position, text);
    let mut d = Diagnostic::error(file, explained.message);
    if let Some(p) = explained.at.or(position) {
        d = d.at(p, text);
    }
    d.with_hint(explained.hint)
}

/// A serde YAML error taken apart: `nodes[0].kind: unknown variant ... at line 3 column 5`,
/// or libyaml's `problem at line 4 column 1, while scanning a simple key at line 3 column 1`.
#[derive(Debug, PartialEq, Eq)]
struct ErrorParts<'a> {
    /// Where in the document serde was (`nodes[0].deadlines[1]`), if it said.
    path: Option<&'a str>,
    /// What went wrong, without its place.
    message: &'a str,
    /// What the YAML reader was doing (`while parsing a flow sequence`), if it said.
    context: Option<&'a str>,
    /// Where that thing started, e.g. the `[` of an unclosed list.
    context_at: Option<Position>,
}

/// Finds the first ` at line L column C` in `text` that ends it or is followed by `, `.
fn find_place(text: &str) -> Option<(usize, usize, Position)> {
    for (start, _) in text.match_indices(" at line ") {
        let rest = &text[start + " at line ".len()..];
        let line_len = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let Some(after_line) = rest[line_len..].strip_prefix(" column ") else {
            continue;
        };
        let column_len = after_line
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after_line.len());
        let end = text.len() - after_line.len() + column_len;
        let (Ok(line), Ok(column)) = (
            rest[..line_len].parse::<usize>(),
            after_line[..column_len].parse::<usize>(),
        ) else {
            continue;
        };
        if end == text.len() || text[end..].starts_with(", ") {
            return Some((start, end, Position { line, column }));
        }
    }
    None
}

fn split_error(raw: &str) -> ErrorParts<'_> {
    let (problem, rest) = match find_place(raw) {
        Some((start, end, _)) => (&raw[..start], &raw[end..]),
        None => (raw, ""),
    };
    let (context, context_at) = match rest.strip_prefix(", ") {
        Some(context) => match find_place(context) {
            Some((start, end, at)) if end == context.len() => (Some(&context[..start]), Some(at)),
            _ => (Some(context), None),
        },
        None => (None, None),
    };
    let (path, message) = match problem.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && !path.is_empty() => (Some(path), rest),
        _ => (None, problem),
    };
    ErrorParts {
        path,
        message,
        context,
        context_at,
    }
}

/// Names listed in backticks in a serde message: "expected one of `a`, `b`".
fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

fn where_(path: Option<&str>) -> String {
    path.map(|p| format!(" in {p}")).unwrap_or_default()
}

/// A path as serde wrote it, as a [`YamlPath`] (serde writes the root as nothing).
fn yaml_path(path: Option<&str>) -> YamlPath {
    let mut out = YamlPath::root();
    let Some(path) = path else {
        return out;
    };
    for part in path.split('.') {
        let (name, indices) = part.split_once('[').unwrap_or((part, ""));
        if !name.is_empty() {
            out = out.key(name);
        }
        for index in indices.split('[') {
            if let Ok(i) = index.trim_end_matches(']').parse::<usize>() {
                out = out.index(i);
            }
        }
    }
    out
}

/// An error explained: what to say, what to suggest, and a better place than serde's, if found.
struct Explained {
    message: String,
    hint: String,
    at: Option<Position>,
}

fn explained(message: impl Into<String>, hint: impl Into<String>) -> Explained {
    Explained {
        message: message.into(),
        hint: hint.into(),
        at: None,
    }
}

impl Explained {
    fn at(mut self, at: Option<Position>) -> Self {
        self.at = at;
        self
    }
}

/// The hint for a period that could not be read.
const PERIOD_HINT: &str =
    "write a number then a unit, e.g. '2 weeks', '2-4 weeks', '28 days' or '28 working days'";

/// Turns serde's wording into ours, with a hint and, where serde's place is poor, a better one.
fn explain(parts: &ErrorParts<'_>, position: Option<Position>, text: &str) -> Explained {
    let path = parts.path;
    let message = parts.message;
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let names = backticked(rest);
        let (field, allowed) = names.split_first().map_or(("?", &[][..]), |(f, a)| (*f, a));
        let suggestion = did_you_mean(field, allowed.iter().copied());
        let message = match suggestion {
            Some(s) => format!(
                "unknown field '{field}'{} (did you mean '{s}'?)",
                where_(path)
            ),
            None => format!("unknown field '{field}'{}", where_(path)),
        };
        let hint = if allowed.is_empty() {
            "no fields are allowed here".to_string()
        } else {
            format!("the fields allowed here are: {}", allowed.join(", "))
        };
        return explained(message, hint);
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let names = backticked(rest);
        let (value, allowed) = names.split_first().map_or(("?", &[][..]), |(f, a)| (*f, a));
        let hint = format!("write one of: {}", allowed.join(", "));
        if value.is_empty() {
            return explained(format!("no value is given{}", where_(path)), hint);
        }
        let message = match did_you_mean(value, allowed.iter().copied()) {
            Some(s) => format!(
                "'{value}' is not allowed here{} (did you mean '{s}'?)",
                where_(path)
            ),
            None => format!("'{value}' is not allowed here{}", where_(path)),
        };
        return explained(message, hint);
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let field = backticked(rest).first().copied().unwrap_or("?");
        return explained(
            format!("missing field '{field}'{}", where_(path)),
            format!("add a line '{field}: ...' here; see docs/authoring.md"),
        );
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        let field = backticked(rest).first().copied().unwrap_or("?");
        let index = PositionIndex::build(text);
        let key = yaml_path(path).key(field);
        let first = index.key(&key);
        return explained(
            format!("'{field}' is given twice{}", where_(path)),
            format!(
                "a field may appear once in each item: keep this one or the one on line {}",
                first.line
            ),
        )
        .at(index.repeated_key(&key));
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "something else"));
        let (found, expected) = (friendly_type(found), friendly_type(expected));
        return explained(
            format!("expected {expected}{}, found {found}", where_(path)),
            type_hint(&expected, &found),
        );
    }
    if message.contains("recursion limit exceeded") {
        return explained(
            "the YAML is nested too deeply to be a procedure",
            "check for runaway brackets or indentation",
        );
    }
    if message.contains("repetition limit exceeded") {
        return explained(
            "the YAML's aliases expand to too much data",
            "do not use anchors (&) and aliases (*) to repeat large blocks",
        );
    }
    if message.contains("more than one document") {
        return explained(
            "the file holds more than one YAML document",
            "remove the '---' line and what follows, or split it: one procedure per file",
        )
        .at(PositionIndex::build(text).second_document());
    }
    if message == "unknown anchor" {
        return explained(
            "this alias (*name) refers to an anchor (&name) that is not defined",
            "to start text with '*', put the whole value in quotes",
        );
    }
    if let Some(path) = path
        && parts.context.is_none()
    {
        // A value of the right type that could not be read: in this format, a period.
        let index = PositionIndex::build(text);
        let mapping = yaml_path(Some(path));
        let field = ["period", "review_every"]
            .into_iter()
            .map(|key| mapping.key(key))
            .find(|p| index.has_value(p));
        let (what, hint) = match message.rfind(": ") {
            Some(cut) => (&message[..cut], &message[cut + 2..]),
            None if message.contains("range") => {
                (message, "write the smaller number first, e.g. '2-4 weeks'")
            }
            None => (message, PERIOD_HINT),
        };
        let place = field.as_ref().map_or(path, |f| f.as_str());
        return explained(format!("{what} (in {place})"), hint).at(field.map(|f| index.value(&f)));
    }
    syntax_error(parts, position, text)
}

/// Serde's names for kinds of value, in plain words.
fn friendly_type(serde: &str) -> String {
    if let Some(name) = serde.strip_prefix("struct ") {
        return format!("the fields of {}", with_article(&words(name)));
    }
    if let Some(quoted) = serde.strip_prefix("string ") {
        return format!("text {quoted}");
    }
    for (serde_name, ours) in [
        ("integer ", "the number "),
        ("floating point ", "the number "),
        ("boolean ", ""),
    ] {
        if let Some(value) = serde.strip_prefix(serde_name) {
            return format!("{ours}{}", value.trim_matches('`'));
        }
    }
    match serde {
        "sequence" | "a sequence" => "a list".to_string(),
        "map" | "a map" => "a set of fields".to_string(),
        "a string" | "string" => "text".to_string(),
        "unit value" => "an empty value".to_string(),
        "field identifier" => "a field name".to_string(),
        other => other.to_string(),
    }
}

/// `RouteTest` → `route test`.
fn words(camel: &str) -> String {
    let mut out = String::new();
    for c in camel.chars() {
        if c.is_uppercase() && !out.is_empty() {
            out.push(' ');
        }
        out.extend(c.to_lowercase());
    }
    out
}

fn with_article(noun: &str) -> String {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {noun}")
    } else {
        format!("a {noun}")
    }
}

fn type_hint(expected: &str, found: &str) -> String {
    if expected == "a list" {
        "write a list: one item per line starting with '- ', or [a, b] on one line".to_string()
    } else if expected == "text" && found == "a set of fields" {
        "text containing ': ' must be put in quotes, e.g. - \"Note: ...\"".to_string()
    } else if expected == "text" {
        "write plain text; put it in quotes if it starts with a special character".to_string()
    } else if expected.starts_with("the fields of") {
        "write the fields as 'name: value' lines; `waymark schema` lists them".to_string()
    } else {
        format!("write {expected} here")
    }
}

/// The characters of line `line` (1-based), without its line break.
fn line_of(text: &str, line: usize) -> Vec<char> {
    text.lines()
        .nth(line.saturating_sub(1))
        .map(|l| l.chars().collect())
        .unwrap_or_default()
}

/// Where the text of the line at `at` starts, after its indentation.
fn line_start(text: &str, at: Position) -> Position {
    let chars = line_of(text, at.line);
    let indent = chars.iter().take_while(|c| **c == ' ').count();
    Position {
        line: at.line,
        column: indent + 1,
    }
}

/// The hint for lines that do not line up.
const INDENT_HINT: &str = "fields of the same item must start in the same column, and list items ('- ') in the same column as each other; indent with spaces only";

/// Explains a YAML syntax error from libyaml, placing it where the mistake most likely is.
fn syntax_error(parts: &ErrorParts<'_>, position: Option<Position>, text: &str) -> Explained {
    let problem = parts.message;
    let context = parts.context.unwrap_or("");
    let Some(at) = position else {
        return explained(
            format!("YAML syntax error: {problem}"),
            "check the YAML syntax of the file",
        );
    };
    let line = line_of(text, at.line);
    let here = line.get(at.column.saturating_sub(1)).copied();
    let before: String = line.iter().take(at.column.saturating_sub(1)).collect();

    if problem.contains("tab character")
        || (problem.contains("cannot start any token") && line.contains(&'\t'))
    {
        let tab = line.iter().position(|c| *c == '\t').map(|i| Position {
            line: at.line,
            column: i + 1,
        });
        return explained(
            "a tab character is used for indentation",
            "YAML allows only spaces for indentation: replace the tab with spaces",
        )
        .at(tab.or(Some(at)));
    }
    if context.starts_with("while scanning a quoted scalar")
        && let Some(open) = parts.context_at
    {
        let quote = line_of(text, open.line)
            .get(open.column.saturating_sub(1))
            .copied()
            .unwrap_or('"');
        return explained(
            "this quoted text is never closed",
            format!("add the closing {quote} at the end of the text"),
        )
        .at(Some(open));
    }
    if context.starts_with("while parsing a quoted scalar") {
        let backslash = line
            .iter()
            .take(at.column.saturating_sub(1))
            .rposition(|c| *c == '\\')
            .map(|i| Position {
                line: at.line,
                column: i + 1,
            });
        return explained(
            "a backslash in double quotes starts an escape sequence, and this one is not valid",
            "write \\\\ for a backslash, or use single quotes: 'C:\\Users'",
        )
        .at(backslash.or(Some(at)));
    }
    for (kind, open, close) in [("sequence", '[', ']'), ("mapping", '{', '}')] {
        if context.starts_with(&format!("while parsing a flow {kind}"))
            && let Some(opened) = parts.context_at
        {
            if opened.line < at.line {
                return explained(
                    format!("this '{open}' is not closed"),
                    format!("add '{close}' after the last item; separate items with ', '"),
                )
                .at(Some(opened));
            }
            return explained(
                format!("expected ',' or '{close}' here"),
                format!(
                    "separate items with ', ' and end with '{close}'; put an item that contains ':' or ',' in quotes"
                ),
            );
        }
    }
    if problem.contains("mapping values are not allowed") {
        if before.contains(": ") {
            return explained(
                "this text contains ': ', so YAML reads it as another field",
                "put text that contains ': ' in quotes, e.g. title: \"Stage 1: Talk\"",
            );
        }
        return explained("this line is indented too far", INDENT_HINT)
            .at(Some(line_start(text, at)));
    }
    if problem.contains("could not find expected ':'")
        && let Some(key) = parts.context_at
    {
        return explained(
            "this line is not a 'name: value' field",
            "add the ':' after the field's name, or indent the line further if it continues the text above",
        )
        .at(Some(line_start(text, key)));
    }
    if problem.contains("did not find expected key") {
        if let Some((open, closed)) = runaway_quote(text, at.line) {
            return explained(
                "this quoted text is not closed on its line",
                format!(
                    "add the closing quote at the end of the text; without it the text runs on to the quote on line {closed}"
                ),
            )
            .at(Some(open));
        }
        let previous = before.trim_end().chars().last();
        if matches!(previous, Some('"' | '\'')) {
            return explained(
                "there is more text after the closing quote",
                "put the whole text inside the quotes, or remove the quotes",
            );
        }
        if let Some(bracket @ (']' | '}')) = here {
            return explained(
                format!("this '{bracket}' closes nothing"),
                "remove it, or add the bracket it was meant to close",
            );
        }
        if before.trim().is_empty() {
            return explained(
                "this line is not indented like the lines above",
                INDENT_HINT,
            );
        }
    }
    if problem.contains("did not find expected '-' indicator") {
        return explained(
            "this line is not indented like the lines above",
            INDENT_HINT,
        )
        .at(Some(line_start(text, at)));
    }
    if problem.contains("block sequence entries are not allowed") {
        return explained(
            "a list item ('- ') cannot start here",
            "start the list on the next line, indented under its field; or put the text in quotes",
        );
    }
    if problem.contains("cannot start any token")
        && let Some(c) = here
    {
        return explained(
            format!("a value cannot start with '{c}'"),
            format!("put the whole value in quotes, e.g. \"{c}...\""),
        );
    }
    let message = if context.is_empty() {
        format!("YAML syntax error: {problem}")
    } else {
        format!("YAML syntax error: {problem} ({context})")
    };
    explained(
        message,
        "check the indentation and that every quote or bracket is closed",
    )
}

/// A quoted text opened on an earlier line and closed on `line` or the line before it: YAML
/// reads quoted text across line breaks, so a missing closing quote shows up as an error
/// where the next quote, meant to open other text, closes it. Returns where it opened and the
/// line it closed on.
fn runaway_quote(text: &str, line: usize) -> Option<(Position, usize)> {
    let lines: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
    let mut block_indent: Option<usize> = None;
    let (mut row, mut col) = (0usize, 0usize);
    while row < lines.len() && row < line {
        let chars = &lines[row];
        let indent = chars.iter().take_while(|c| **c == ' ').count();
        if col == 0 {
            // Skip the lines of a block of text (`|` or `>`), which may hold any quotes.
            match block_indent {
                Some(outer) if indent > outer || chars.iter().all(|c| *c == ' ') => {
                    row += 1;
                    continue;
                }
                _ => block_indent = None,
            }
            let trimmed: String = chars.iter().collect::<String>();
            let trimmed = trimmed.trim_end();
            if ["|", "|-", "|+", ">", ">-", ">+"]
                .iter()
                .any(|m| trimmed.ends_with(&format!(" {m}")) || trimmed.ends_with(&format!(":{m}")))
            {
                block_indent = Some(indent);
            }
        }
        let Some(&c) = chars.get(col) else {
            row += 1;
            col = 0;
            continue;
        };
        let prev = chars[..col].iter().rev().find(|c| **c != ' ').copied();
        if c == '#' && (col == 0 || chars[col - 1] == ' ') {
            row += 1;
            col = 0;
            continue;
        }
        let opens_value = matches!(prev, None | Some(':' | '-' | '[' | '{' | ','));
        if (c == '"' || c == '\'') && opens_value {
            let open = Position {
                line: row + 1,
                column: col + 1,
            };
            let (end_row, end_col) = closing_quote(&lines, row, col + 1, c)?;
            if end_row > row && end_row + 1 >= line && end_row < line {
                return Some((open, end_row + 1));
            }
            row = end_row;
            col = end_col + 1;
            continue;
        }
        col += 1;
    }
    None
}

/// Where the quote `quote` opened before (`row`, `col`) closes: `\` escapes in double
/// quotes, a doubled quote in single quotes.
fn closing_quote(
    lines: &[Vec<char>],
    mut row: usize,
    mut col: usize,
    quote: char,
) -> Option<(usize, usize)> {
    while row < lines.len() {
        let chars = &lines[row];
        while col < chars.len() {
            let c = chars[col];
            if quote == '"' && c == '\\' {
                col += 2;
                continue;
            }
            if c == quote {
                if quote == '\'' && chars.get(col + 1) == Some(&'\'') {
                    col += 2;
                    continue;
                }
                return Some((row, col));
            }
            col += 1;
        }
        row += 1;
        col = 0;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_serde_messages() {
        let parts = split_error("nodes[0].kind: unknown variant `x` at line 3 column 5");
        assert_eq!(parts.path, Some("nodes[0].kind"));
        assert_eq!(parts.message, "unknown variant `x`");
        assert_eq!(parts.context, None);
        let parts = split_error("EOF while parsing");
        assert_eq!((parts.path, parts.message), (None, "EOF while parsing"));
        let parts = split_error(
            "could not find expected ':' at line 4 column 1, while scanning a simple key at line 3 column 1",
        );
        assert_eq!(parts.message, "could not find expected ':'");
        assert_eq!(parts.context, Some("while scanning a simple key"));
        assert_eq!(parts.context_at, Some(Position { line: 3, column: 1 }));
        let parts = split_error(
            "did not find expected key at line 2 column 3, while parsing a block mapping",
        );
        assert_eq!(parts.message, "did not find expected key");
        assert_eq!(parts.context, Some("while parsing a block mapping"));
        assert_eq!(parts.context_at, None);
    }

    #[test]
    fn finds_the_quote_that_ran_on() {
        let text = "a: \"open\nb: x\nc: \"closed\"\n";
        assert_eq!(
            runaway_quote(text, 3),
            Some((Position { line: 1, column: 4 }, 3))
        );
        // Quotes inside words, comments and blocks of text do not count.
        let text = "a: Bob's\n# \"quoted\nb: |\n  \"not yaml\nc: \"x\"\n";
        assert_eq!(runaway_quote(text, 5), None);
    }

    #[test]
    fn spots_anchors_and_aliases_but_not_ampersands() {
        assert!(may_start_node("a: &x 1", '&'));
        assert!(may_start_node("b: [*x]", '*'));
        assert!(!may_start_node("org: Fire & Rescue, R&D", '&'));
        assert!(may_start_node("a: 1\n&x 2", '&'));
        assert!(!may_start_node("a: R &\r\nb: &\n", '&'));
    }

    #[test]
    fn reads_serde_paths() {
        assert_eq!(
            yaml_path(Some("nodes[2].deadlines[0]")),
            YamlPath::root()
                .key("nodes")
                .index(2)
                .key("deadlines")
                .index(0)
        );
        assert_eq!(yaml_path(None), YamlPath::root());
    }

    #[test]
    fn slugs_are_checked() {
        assert!(is_valid_slug("stage-2"));
        for bad in ["", "-a", "a-", "a--b", "A", "a b", "é"] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
    }
}
