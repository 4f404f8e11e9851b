//! waymark builds an interactive static site of staged procedures from YAML
//! and Markdown: one page per procedure with a flowchart, its stages,
//! deadlines and contacts, and a "which stage am I at?" wizard.
//!
//! Data flows one way, and the modules follow it:
//! [`load`] reads files, [`check`] finds problems, [`model`] holds what was
//! read, [`render`] turns it into pages, and [`write`] puts them on disk
//! ([`serve`] keeps them in memory instead). [`site`] runs load and check as
//! one step that `check`, `build` and `serve` share, so all three accept
//! and refuse the same sites. [`cmd`] is the command line, one module per
//! verb; [`dates`], [`diagnostics`], [`error`] and [`outputs`] (the built
//! site's paths) serve every stage.

// Diagnostics travel on the error path only, where their size costs nothing.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod cmd;
pub mod dates;
pub mod diagnostics;
pub mod error;
pub mod load;
pub mod model;
pub mod outputs;
pub mod render;
pub mod serve;
pub mod site;
pub mod write;
