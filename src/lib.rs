//! kvalitet: publishes Danish municipalities' quality standards for drug and alcohol treatment
//! as accessible, plain-language websites.
//!
//! Data flows one way: content files ([`load`]) -> typed model ([`model`]) -> pages
//! ([`site`], [`render`]) -> a written folder ([`output`]).

// Diagnostics carry file, position, source line and hints for the editor. They are built only
// on the error path, so their size costs nothing where speed matters; boxing them would only
// add noise to every signature.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod check;
pub mod diagnostic;
pub mod glossary;
pub mod incremental;
pub mod lix;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod synthetic;
