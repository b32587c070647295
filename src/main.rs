//! The `kvalitet` command. Each subcommand lives in `src/cmd/`; the work is in the library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;

/// kvalitet laver en tilgængelig hjemmeside ud af kommunens kvalitetsstandard for
/// rusmiddelbehandling.
///
/// Indholdet står i mappen content/: site.toml med fælles indstillinger og én fil pr. kommune.
#[derive(Parser)]
#[command(name = "kvalitet", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Build(cmd::build::Args),
    New(cmd::new::Args),
    Check(cmd::check::Args),
    Serve(cmd::serve::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::New(args) => cmd::new::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Serve(args) => cmd::serve::run(args),
    }
}
