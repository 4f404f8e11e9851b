//! Failures that are not a problem in the user's files: a template that cannot
//! be filled in, output that cannot be written, or a mistake in waymark
//! itself. Problems in the user's files are [`crate::diagnostics::Diagnostic`]s.
//! Every command prints these one way, with [`print_errors`].

use std::fmt;
use std::path::PathBuf;

use crate::diagnostics::{Diagnostic, Position, display_path};

/// Something that went wrong while rendering or writing the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// A template could not be filled in for one output file.
    Template {
        /// The template's file: the site's own, or the default theme's.
        template: PathBuf,
        /// Where in the template, when known.
        position: Option<Position>,
        /// The output file it was filling in.
        output: String,
        /// What went wrong, as the template engine says it.
        message: String,
    },
    /// The built site could not be written.
    Write {
        /// The output folder.
        output: PathBuf,
        /// What went wrong.
        message: String,
        /// What to try.
        hint: Option<String>,
    },
    /// waymark got something wrong.
    Bug(String),
}

impl Error {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<&str> {
        match self {
            Error::Template { .. } => Some(
                "check the variables and filters the template uses against the default theme's",
            ),
            Error::Write { hint, .. } => hint.as_deref(),
            Error::Bug(_) => Some("this is a bug in waymark; please report it"),
        }
    }

    /// Like [`Error::to_string`], followed by the hint: what [`print_errors`] prints.
    pub fn render(&self) -> String {
        match self.hint() {
            Some(hint) => format!("error: {self}\n  = hint: {hint}\n"),
            None => format!("error: {self}\n"),
        }
    }

    /// The error a failed write reports (the staging folder describes it as a diagnostic).
    pub fn from_write(d: Diagnostic) -> Self {
        Error::Write {
            output: d.file,
            message: d.message,
            hint: d.hint,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Template {
                template,
                position,
                output,
                message,
            } => {
                write!(f, "{}", display_path(template))?;
                if let Some(p) = position {
                    write!(f, ":{}:{}", p.line, p.column)?;
                }
                write!(
                    f,
                    ": the template could not be filled in for {output}: {message}"
                )
            }
            Error::Write {
                output, message, ..
            } => write!(f, "{}: {message}", display_path(output)),
            Error::Bug(message) => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for Error {}

/// Prints errors to standard error, each followed by a blank line, like diagnostics.
pub fn print_errors(list: &[Error]) {
    use std::io::Write as _;
    let mut err = std::io::stderr().lock();
    for e in list {
        let _ = writeln!(err, "{}", e.render());
    }
}
