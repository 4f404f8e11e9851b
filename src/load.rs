//! Loading: reads a site's files from disk into the model, turning every
//! problem on the way (unreadable files, bad encodings, YAML syntax, wrong
//! types, unknown fields) into a diagnostic with a position and a hint.
//!
//! Nothing here panics or gives up early on user input: each file is read on
//! its own, so one run reports the problems of every file.

use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Position, did_you_mean, position_of_offset};
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
}

/// Everything read from a site folder.
#[derive(Debug, Default)]
pub struct LoadedSite {
    /// The site root.
    pub root: PathBuf,
    /// The site file, if it could be read.
    pub config: Option<SiteConfig>,
    /// The procedures that parsed, sorted by slug.
    pub procedures: Vec<LoadedProcedure>,
    /// How many procedure files were found, parsed or not.
    pub procedure_files: usize,
    /// Problems found while loading.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads `site.yaml` and every procedure under `root`.
pub fn load_site(root: &Path) -> LoadedSite {
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
        Ok((_, config)) => site.config = Some(config),
        Err(mut d) => site.diagnostics.append(&mut d),
    }
    let files = procedure_files(root, &mut site.diagnostics);
    site.procedure_files = files.len();
    for file in files {
        match read_yaml::<Procedure>(root, &file) {
            Ok((text, procedure)) => {
                let slug = file
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                site.procedures.push(LoadedProcedure {
                    slug,
                    file,
                    text,
                    procedure,
                });
            }
            Err(mut d) => site.diagnostics.append(&mut d),
        }
    }
    site
}

/// The procedure files under `procedures/`, relative to `root`, sorted.
fn procedure_files(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let dir = root.join(PROCEDURES_DIR);
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(PROCEDURES_DIR, format!("cannot read the procedures folder: {e}"))
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

/// Reads the file at `root/file` as UTF-8 text, refusing what cannot be a YAML file.
pub fn read_text(root: &Path, file: &Path) -> Result<String, Diagnostic> {
    let full = root.join(file);
    let meta = fs::metadata(&full).map_err(|e| {
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

/// Turns bytes into text: a UTF-8 BOM is dropped, other encodings and binary files are refused.
fn decode(file: &Path, mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::error(file, "the file is saved as UTF-16")
            .with_hint("save it as UTF-8 (in most editors: Save As, Encoding: UTF-8)"));
    }
    if let Some(zero) = bytes.iter().position(|&b| b == 0) {
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
        return Err(Diagnostic::error(file, "the file is empty")
            .with_hint("`waymark new NAME` writes a starter procedure to copy from"));
    }
    serde_yaml::from_str(text).map_err(|e| yaml_error(file, text, &e))
}

fn is_blank_yaml(text: &str) -> bool {
    text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---" || l == "..."
    })
}

/// Rewrites a serde YAML error in plain words, at its position, with a hint.
fn yaml_error(file: &Path, text: &str, error: &serde_yaml::Error) -> Diagnostic {
    let raw = error.to_string();
    let (path, message) = split_error(&raw);
    let position = error.location().map(|l| Position {
        line: l.line(),
        column: l.column(),
    });
    let (message, hint) = explain(
        path,
        message,
        position.and_then(|p| text.lines().nth(p.line - 1)),
    );
    let mut d = Diagnostic::error(file, message);
    if let Some(p) = position {
        d = d.at(p, text);
    }
    if let Some(h) = hint {
        d = d.with_hint(h);
    }
    d
}

/// Splits `nodes[0].kind: unknown variant ... at line 3 column 5` into path and message.
fn split_error(raw: &str) -> (Option<&str>, &str) {
    let without_place = match raw.rfind(" at line ") {
        Some(cut) if raw[cut..].contains(" column ") => &raw[..cut],
        _ => raw,
    };
    match without_place.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && !path.is_empty() => (Some(path), rest),
        _ => (None, without_place),
    }
}

/// Names listed in backticks in a serde message: "expected one of `a`, `b`".
fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

fn where_(path: Option<&str>) -> String {
    path.map(|p| format!(" in {p}")).unwrap_or_default()
}

/// Turns serde's wording into ours, with a hint.
fn explain(path: Option<&str>, message: &str, line: Option<&str>) -> (String, Option<String>) {
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
        return (message, Some(hint));
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let names = backticked(rest);
        let (value, allowed) = names.split_first().map_or(("?", &[][..]), |(f, a)| (*f, a));
        let message = match did_you_mean(value, allowed.iter().copied()) {
            Some(s) => format!(
                "'{value}' is not allowed here{} (did you mean '{s}'?)",
                where_(path)
            ),
            None => format!("'{value}' is not allowed here{}", where_(path)),
        };
        return (
            message,
            Some(format!("write one of: {}", allowed.join(", "))),
        );
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let field = backticked(rest).first().copied().unwrap_or("?");
        return (
            format!("missing field '{field}'{}", where_(path)),
            Some(format!(
                "add a line '{field}: ...' here; see docs/authoring.md"
            )),
        );
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        let field = backticked(rest).first().copied().unwrap_or("?");
        return (
            format!("'{field}' is given twice{}", where_(path)),
            Some("keep one of them: a field may appear once in each item".to_string()),
        );
    }
    if message.starts_with("invalid type: ") {
        let friendly = message
            .replace("invalid type: ", "")
            .replace("sequence", "a list")
            .replace("map", "a set of fields")
            .replace("a string", "text")
            .replace("string", "text")
            .replace("struct ", "");
        let (found, expected) = friendly
            .split_once(", expected ")
            .unwrap_or((&friendly, "something else"));
        return (
            format!("expected {expected}{}, found {found}", where_(path)),
            Some(type_hint(expected)),
        );
    }
    if message.contains("cannot start any token") && line.is_some_and(|l| l.contains('\t')) {
        return (
            "a tab character is used for indentation".to_string(),
            Some(
                "YAML allows only spaces for indentation: replace the tab with spaces".to_string(),
            ),
        );
    }
    if message.contains("recursion limit exceeded") {
        return (
            "the YAML is nested too deeply to be a procedure".to_string(),
            Some("check for runaway brackets or indentation".to_string()),
        );
    }
    if message.contains("repetition limit exceeded") {
        return (
            "the YAML's aliases expand to too much data".to_string(),
            Some("do not use anchors (&) and aliases (*) to repeat large blocks".to_string()),
        );
    }
    if message.contains("more than one document") {
        return (
            "the file holds more than one YAML document".to_string(),
            Some("remove the '---' lines that split it: one procedure per file".to_string()),
        );
    }
    if message.contains("duplicate entry") {
        return (
            message.replace("duplicate entry with key", "a key is given twice:"),
            Some("keep one of them".to_string()),
        );
    }
    let hint = if message.contains("mapping values are not allowed") {
        "a value containing ': ' must be put in quotes, e.g. title: \"Stage 1: Talk\""
    } else if message.contains("did not find expected")
        || message.contains("could not find expected")
    {
        "check the indentation and that every quote or bracket is closed"
    } else {
        "check the YAML syntax near this line"
    };
    (
        format!("YAML syntax error: {message}"),
        Some(hint.to_string()),
    )
}

fn type_hint(expected: &str) -> String {
    if expected.contains("sequence") || expected.contains("list") {
        "write a list, one item per line starting with '- '".to_string()
    } else if expected == "text" {
        "write plain text; put it in quotes if it starts with a special character".to_string()
    } else {
        format!("write {expected} here")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_serde_messages() {
        assert_eq!(
            split_error("nodes[0].kind: unknown variant `x` at line 3 column 5"),
            (Some("nodes[0].kind"), "unknown variant `x`")
        );
        assert_eq!(
            split_error("EOF while parsing"),
            (None, "EOF while parsing")
        );
    }

    #[test]
    fn slugs_are_checked() {
        assert!(is_valid_slug("stage-2"));
        for bad in ["", "-a", "a-", "a--b", "A", "a b", "é"] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
    }
}
