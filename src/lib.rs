//! waymark builds an interactive static site of staged procedures from YAML
//! and Markdown: one page per procedure with a flowchart, its stages,
//! deadlines and contacts, and a "which stage am I at?" wizard.
//!
//! Data flows one way: [`load`] reads files, [`check`] finds problems,
//! the model ([`model`], [`graph`]) holds what was read, and the site is
//! rendered and written from it.

// Diagnostics travel on the error path only, where their size costs nothing.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod check;
pub mod cli;
pub mod contact;
pub mod dates;
pub mod diagnostics;
pub mod diagram;
pub mod export;
pub mod flowchart;
pub mod graph;
pub mod incremental;
pub mod load;
pub mod locate;
pub mod markdown;
pub mod model;
pub mod pages;
pub mod render;
pub mod schema;
pub mod serve;
pub mod theme;
pub mod yaml;
