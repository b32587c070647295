//! The `kvalitet` command. Each subcommand lives in `src/cmd/`; the work is in the library.
//! Every word the command prints is Danish, clap's own included: help, headings, usage and
//! errors (see [`danish`]).

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

mod cmd;

/// kvalitet laver en tilgængelig hjemmeside ud af kommunens kvalitetsstandard for
/// rusmiddelbehandling.
///
/// Indholdet står i mappen content/: site.toml med fælles indstillinger og én fil pr. kommune.
#[derive(Parser)]
#[command(
    name = "kvalitet",
    version = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("KVALITET_COMMIT"), ")"),
    long_about = None
)]
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
    Godkend(cmd::approve::Args),
    Init(cmd::init::Args),
    Tema(cmd::theme::Args),
    Schema(cmd::schema::Args),
}

fn main() -> ExitCode {
    let matches = match danish(Cli::command()).try_get_matches() {
        Ok(matches) => matches,
        Err(e) => return cmd::help::exit(e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return cmd::help::exit(e),
    };
    match cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::New(args) => cmd::new::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Godkend(args) => cmd::approve::run(args),
        Command::Init(args) => cmd::init::run(args),
        Command::Tema(args) => cmd::theme::run(args),
        Command::Schema(args) => cmd::schema::run(args),
    }
}

/// The command with clap's English replaced: its help and version flags, its headings, usage
/// lines and the defaults and choices it appends to each option.
fn danish(command: clap::Command) -> clap::Command {
    let top = cmd::help::danish_command(command)
        .subcommand_help_heading("Kommandoer")
        .subcommand_value_name("KOMMANDO")
        .disable_help_subcommand(true)
        .override_usage("kvalitet <KOMMANDO> [TILVALG]")
        .arg(cmd::help::version_flag());
    top.mut_subcommands(|sub| {
        let usage = cmd::help::usage(&sub);
        let sub = cmd::help::danish_command(sub).override_usage(usage);
        // `kvalitet tema kopier`: a command of commands, in Danish too.
        if sub.has_subcommands() {
            cmd::help::danish_commands(sub)
        } else {
            sub
        }
    })
}
