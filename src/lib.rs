//! kvalitet: publishes Danish municipalities' quality standards for drug and alcohol treatment
//! as accessible, plain-language websites.
//!
//! Data flows one way: content files ([`load`]) -> typed model ([`model`]) -> findings
//! ([`check`]) -> page jobs ([`site`]) -> pages ([`render`], [`page`]) -> a written folder
//! ([`output`]) or the preview's memory ([`serve`]); [`pipeline`] describes the stages and ties
//! them together. No module uses one later in this flow, and the library prints nothing: the
//! command (`src/cmd/`) does.

// Diagnostics carry file, position, source line and hints for the editor. They are built only
// on the error path, so their size costs nothing where speed matters; boxing them would only
// add noise to every signature.
#![allow(clippy::result_large_err)]
// The library serves this crate's command, tests and benches only, and its documentation is
// read with `cargo doc --document-private-items`, where links to private items resolve.
#![allow(rustdoc::private_intra_doc_links)]
// The library reports (build stage timings, the preview's events); the command prints.
#![warn(unreachable_pub, clippy::print_stdout, clippy::print_stderr)]

pub mod approve;
mod breaks;
pub mod build;
pub mod check;
mod confine;
pub mod data;
pub mod diagnostic;
pub mod embedded;
mod glossary;
pub mod incremental;
pub mod init;
mod lix;
pub mod load;
mod markdown;
pub mod model;
pub mod output;
pub mod page;
pub mod paths;
pub mod pipeline;
pub mod render;
mod revision;
mod rules;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod site;
pub mod synthetic;
pub mod url;
