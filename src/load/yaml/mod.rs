//! The site's one YAML reader: `serde-saphyr` reads every YAML file (procedures,
//! `site.yaml`, the front matter of pages) straight into the site's types, within limits
//! that keep any file up to the size cap to a time linear in its size, and its errors are
//! explained in the house style.
//!
//! - [`limits`]: the reader's budget (nesting depth, alias expansion).
//! - [`aliases`]: measures what aliases would expand to before anything is expanded.
//! - [`locate`]: where each path's key and value are, from the parser's spans.
//! - [`explain`] and [`syntax`]: the reader's errors in plain words, placed and hinted.

mod aliases;
mod collect;
mod explain;
mod limits;
pub mod locate;
mod syntax;

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::Diagnostic;

pub use aliases::{AliasExpansion, alias_expansion};
pub use limits::MAX_DEPTH;

/// Reads and deserialises one YAML file. The text comes back too, for later diagnostics.
pub fn read_yaml<T: DeserializeOwned>(
    root: &Path,
    file: &Path,
) -> Result<(String, T), Vec<Diagnostic>> {
    let text = super::read_text(root, file).map_err(|d| vec![d])?;
    let value = parse_yaml_all(file, &text)?;
    Ok((text, value))
}

/// Deserialises YAML text like [`parse_yaml`], but when the file parses and its
/// values do not fit, reports every part that does not fit, not only the first.
pub fn parse_yaml_all<T: DeserializeOwned>(file: &Path, text: &str) -> Result<T, Vec<Diagnostic>> {
    match parse_yaml_reporting(file, text) {
        Ok(value) => Ok(value),
        Err((first, true)) => Err(collect::all_errors::<T>(file, text, first)),
        Err((first, false)) => Err(vec![first]),
    }
}

/// Deserialises YAML text, turning the reader's error into a diagnostic a coordinator can
/// act on.
pub fn parse_yaml<T: DeserializeOwned>(file: &Path, text: &str) -> Result<T, Diagnostic> {
    parse_yaml_reporting(file, text).map_err(|(d, _)| d)
}

/// Deserialises YAML text; on failure, the diagnostic and whether the text parsed
/// as YAML and only its values did not fit (so other parts may be read on their own).
fn parse_yaml_reporting<T: DeserializeOwned>(
    file: &Path,
    text: &str,
) -> Result<T, (Diagnostic, bool)> {
    if is_blank_yaml(text) {
        return Err((blank(file, text), false));
    }
    aliases::check_aliases(file, text).map_err(|d| (d, false))?;
    serde_saphyr::from_str_with_options(text, limits::reader()).map_err(|e| {
        let path = path_to_error::<T>(text);
        let d = explain::diagnostic(file, text, &e, std::any::type_name::<T>(), &path);
        (d, collect::is_shape_error(&e))
    })
}

/// Where in the document reading `text` as a `T` fails (`nodes[0].deadlines[1]`), found by
/// reading it again while keeping track of the path. Only done for a file that failed, so
/// reading a good file costs nothing more.
fn path_to_error<T: DeserializeOwned>(text: &str) -> locate::YamlPath {
    let mut path = None;
    let _ = serde_saphyr::with_deserializer_from_str_with_options(text, limits::reader(), |de| {
        serde_path_to_error::deserialize::<_, T>(de).map_err(|e| {
            path = Some(e.path().to_string());
            e.into_inner()
        })
    });
    path.map_or_else(locate::YamlPath::root, |path| {
        locate::YamlPath::parse(&path)
    })
}

/// A file with no fields: empty, or only comments and document markers.
fn blank(file: &Path, text: &str) -> Diagnostic {
    let message = if text.lines().any(|l| l.trim_start().starts_with('#')) {
        "the file holds only comments, no fields"
    } else {
        "the file is empty"
    };
    Diagnostic::error(file, message).with_hint(if file == Path::new(super::SITE_FILE) {
        "the site file needs at least a line 'title: ...'"
    } else {
        "`waymark new NAME` writes a starter procedure to copy from"
    })
}

fn is_blank_yaml(text: &str) -> bool {
    text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---" || l == "..."
    })
}

#[cfg(test)]
mod tests {
    //! The reader gives the values the site has always read: the same as `yaml_serde`
    //! (the reader before it) over every kind of field and over the bundled files.

    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "kebab-case")]
    enum Colour {
        Red,
        DarkBlue,
    }

    /// A shape with every kind of field the site's files use.
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Sample {
        #[serde(default)]
        text: Option<String>,
        #[serde(default)]
        name: String,
        #[serde(default)]
        items: Vec<String>,
        #[serde(default)]
        count: Option<u32>,
        #[serde(default)]
        flag: Option<bool>,
        #[serde(default)]
        colour: Option<Colour>,
        #[serde(default)]
        children: Vec<Sample>,
    }

    const SHAPES: &[&str] = &[
        "text: plain words",
        "text: 'single ''quoted'' text'",
        "text: \"double \\\"quoted\\\" \\u00e9 \\t tab \\\\ slash\"",
        "text: |\n  literal\n    indented\n\n  after a blank\n",
        "text: |-\n  literal, stripped\n\n",
        "text: >\n  folded\n  lines\n\n  paragraph\n",
        "text: plain that runs\n  onto a second line\n\n  and a third",
        "text: 2024-05-01",
        "text: 12",
        "text: true",
        "text: Fire & Rescue:colons within words, and #hashes, are text",
        "text: café – “curly” ünïcödé ✓",
        "# a comment\ntext: words # and a comment after\n",
        "---\ntext: after a document marker\n...\n",
        "text:\n",
        "name:\n",
        "name: ~",
        "name: 07",
        "items: [~, '', null, 12, yes]",
        "children:\n  - items:\n    - x\n    -\n",
        "items:\n- first\n- second\n",
        "count: 7",
        "flag: true",
        "flag: False",
        "colour: 'dark-blue'",
        "children:\n  - text: one\n    children:\n      - items: [deep]\n  - {text: two, count: 2}\n",
        "text: |\r\n  written on Windows\r\n\r\n  with CRLF line ends\r\nitems: [a, 'b']\r\n",
        "text: &a words\nitems: [*a]",
    ];

    #[test]
    fn reads_every_shape_as_before() {
        for text in SHAPES {
            let before: Sample = serde_yaml::from_str(text).expect("the old reader reads it");
            let now: Sample = parse_yaml(Path::new("x.yaml"), text).expect("the reader reads it");
            assert_eq!(now, before, "{text:?}");
        }
    }

    fn json<T: serde::Serialize>(value: &T) -> serde_json::Value {
        serde_json::to_value(value).expect("json")
    }

    #[test]
    fn reads_the_bundled_site_as_before() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut procedures: Vec<_> = std::fs::read_dir(root.join("procedures"))
            .expect("procedures")
            .map(|e| e.expect("entry").path())
            .collect();
        procedures.push(root.join("src/cmd/starter/procedure.yaml"));
        assert!(procedures.len() >= 6);
        for file in procedures {
            let text = std::fs::read_to_string(&file).expect("read");
            let before: crate::model::Procedure = serde_yaml::from_str(&text).expect("old reader");
            let now: crate::model::Procedure = parse_yaml(&file, &text).expect("reader");
            assert_eq!(json(&now), json(&before), "{}", file.display());
        }
        for file in [
            root.join("site.yaml"),
            root.join("src/cmd/starter/site.yaml"),
        ] {
            let text = std::fs::read_to_string(&file).expect("read");
            let before: crate::model::SiteConfig = serde_yaml::from_str(&text).expect("old reader");
            let now: crate::model::SiteConfig = parse_yaml(&file, &text).expect("reader");
            assert_eq!(json(&now), json(&before), "{}", file.display());
        }
    }

    #[test]
    fn a_merge_key_is_an_unknown_field_as_before() {
        let text = "children:\n  - &x {text: t}\n  - <<: *x\n    count: 1\n";
        assert!(serde_yaml::from_str::<Sample>(text).is_err());
        let error = parse_yaml::<Sample>(Path::new("x.yaml"), text).expect_err("refused");
        assert_eq!(error.message, "unknown field '<<' in children[1]");
    }

    #[test]
    fn a_control_character_is_refused_whatever_else_the_file_holds() {
        for c in ['\u{7}', '\u{92}'] {
            for rest in ["", "#\ta comment after a tab\n", "notes: [\"a\\tb\"]\n"] {
                let text = format!("text: a{c}b\n{rest}");
                let error = parse_yaml::<Sample>(Path::new("x.yaml"), &text)
                    .expect_err("a control character is refused");
                assert_eq!(
                    error.position,
                    Some(crate::diagnostics::Position { line: 1, column: 8 }),
                    "{text:?}"
                );
                assert!(
                    error.message.contains("control character"),
                    "{}",
                    error.message
                );
            }
        }
    }
}
