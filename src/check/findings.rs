//! Findings: problems found by path (`nodes[3].next`), placed in the file only
//! when there is something to report, because finding positions means reading
//! the file's text again.

use crate::diagnostics::{Diagnostic, Severity};
use crate::load::LoadedProcedure;
use crate::load::locate::{PositionIndex, YamlPath};

/// Which part of a `key: value` pair a finding points at.
#[derive(Clone, Copy)]
pub(super) enum At {
    Key,
    Value,
}

/// One problem, before it is placed in the file.
struct Finding {
    severity: Severity,
    path: YamlPath,
    at: At,
    message: String,
    hint: Option<String>,
}

/// Findings for one file, placed into diagnostics at the end.
#[derive(Default)]
pub(super) struct Findings(Vec<Finding>);

impl Findings {
    /// Records an error at `path`.
    pub(super) fn error(
        &mut self,
        path: YamlPath,
        at: At,
        message: String,
        hint: impl Into<Option<String>>,
    ) {
        self.push(Severity::Error, path, at, message, hint.into());
    }

    /// Records a warning at `path`.
    pub(super) fn warning(
        &mut self,
        path: YamlPath,
        at: At,
        message: String,
        hint: impl Into<Option<String>>,
    ) {
        self.push(Severity::Warning, path, at, message, hint.into());
    }

    fn push(
        &mut self,
        severity: Severity,
        path: YamlPath,
        at: At,
        message: String,
        hint: Option<String>,
    ) {
        self.0.push(Finding {
            severity,
            path,
            at,
            message,
            hint,
        });
    }

    /// The findings as diagnostics with positions in `loaded`'s text.
    pub(super) fn into_diagnostics(self, loaded: &LoadedProcedure) -> Vec<Diagnostic> {
        if self.0.is_empty() {
            return Vec::new();
        }
        let index = PositionIndex::build(&loaded.text);
        self.0
            .into_iter()
            .map(|f| {
                let position = match f.at {
                    At::Key => index.key(&f.path),
                    At::Value => index.value(&f.path),
                };
                let d = match f.severity {
                    Severity::Error => Diagnostic::error(&loaded.file, f.message),
                    Severity::Warning => Diagnostic::warning(&loaded.file, f.message),
                };
                let d = d.at(position, &loaded.text);
                match f.hint {
                    Some(h) => d.with_hint(h),
                    None => d,
                }
            })
            .collect()
    }
}
