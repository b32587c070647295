//! `kvalitet serve`.

use std::process::ExitCode;

/// Viser hjemmesiden i din browser, mens du skriver.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> ExitCode {
    ExitCode::FAILURE
}
