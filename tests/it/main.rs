//! The integration tests, in one binary: `cargo test --test it`, or one module of it with
//! `cargo test --test it <module>::`. Every module sets up its content through `fixture`.

mod fixture;

mod approve;
mod changes;
mod check;
mod check_links;
mod check_status;
mod cli;
mod cli_editor;
mod data;
mod finder;
mod golden;
mod headings;
mod help_now;
mod incremental;
mod init;
mod interrupted;
mod malformed;
mod model_fields;
mod output;
mod packet;
mod publish;
mod safety_content;
mod safety_files;
mod safety_links;
mod scaffold;
mod schema;
mod serve;
mod site;
mod structure;
mod tables;
mod toml_messages;
mod truthful;
mod web;
