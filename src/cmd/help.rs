//! clap's own words in Danish: the help and version flags, the help page's layout and headings,
//! the usage line, the defaults and choices shown beside an option, and the errors.

use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction};

/// The help page: about, usage and the arguments under Danish headings.
const TEMPLATE: &str = "\
{about-with-newline}
Sådan skriver du: {usage}

{all-args}{after-help}";

/// `command` with Danish help and version flags, template and headings, and its options'
/// defaults and choices written in Danish in their help text.
pub fn danish_command(command: clap::Command) -> clap::Command {
    command
        .disable_help_flag(true)
        .disable_version_flag(true)
        .help_template(TEMPLATE)
        .mut_args(danish_arg)
        .arg(help_flag())
}

/// A command of commands (`kvalitet tema`) with Danish headings, usage lines and help for
/// each of its commands.
pub fn danish_commands(command: clap::Command) -> clap::Command {
    let name = command.get_name().to_string();
    command
        .subcommand_help_heading("Kommandoer")
        .subcommand_value_name("KOMMANDO")
        .disable_help_subcommand(true)
        // A missing command is an error that names the command's commands.
        .arg_required_else_help(false)
        .subcommand_required(true)
        .override_usage(format!("kvalitet {name} <KOMMANDO> [TILVALG]"))
        .mut_subcommands(move |sub| {
            let usage = usage(&sub).replacen("kvalitet ", &format!("kvalitet {name} "), 1);
            danish_command(sub).override_usage(usage)
        })
}

/// `-V, --version`, for the top command.
pub fn version_flag() -> Arg {
    Arg::new("version")
        .short('V')
        .long("version")
        .action(ArgAction::Version)
        .help("Vis versionen af kvalitet")
        .help_heading("Tilvalg")
}

fn help_flag() -> Arg {
    Arg::new("help")
        .short('h')
        .long("help")
        .action(ArgAction::Help)
        .help("Vis denne hjælp")
        .help_heading("Tilvalg")
}

/// An argument under a Danish heading, with clap's "[default: ...]" and "[possible values:
/// ...]" replaced by the same in Danish.
fn danish_arg(arg: Arg) -> Arg {
    let heading = if arg.is_positional() {
        "Det du skriver efter kommandoen"
    } else {
        "Tilvalg"
    };
    let mut help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
    let takes_value = arg.get_action().takes_values();
    let mut add = |more: String| {
        if !help.is_empty() && !help.ends_with('.') {
            help.push('.');
        }
        help.push(' ');
        help.push_str(&more);
    };
    let choices: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !choices.is_empty() && takes_value {
        add(format!("Kan være: {}.", choices.join(", ")));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && takes_value {
        add(format!("Standard: {}.", defaults.join(", ")));
    }
    let arg = arg.help_heading(heading).help(help);
    if takes_value {
        arg.hide_default_value(true).hide_possible_values(true)
    } else {
        arg
    }
}

/// `kvalitet <command> [TILVALG] <ARGUMENT>`: clap's usage line says `[OPTIONS]`.
pub fn usage(command: &clap::Command) -> String {
    let mut usage = format!("kvalitet {} [TILVALG]", command.get_name());
    for arg in command.get_positionals() {
        let name = arg
            .get_value_names()
            .and_then(|names| names.first())
            .map_or_else(
                || arg.get_id().to_string().to_uppercase(),
                |n| n.to_string(),
            );
        let many = matches!(arg.get_action(), ArgAction::Append);
        usage.push(' ');
        usage.push_str(&match (arg.is_required_set(), many) {
            (true, false) => format!("<{name}>"),
            (true, true) => format!("<{name}>..."),
            (false, false) => format!("[{name}]"),
            (false, true) => format!("[{name}]..."),
        });
    }
    usage
}

/// Prints help and version as they are, and every other parse error in Danish; the exit code
/// is clap's (0 for help and version, 2 for an error).
pub fn exit(e: clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("fejl: {}", message(&e));
            eprintln!(
                "Skriv «kvalitet --help» eller «kvalitet <kommando> --help» for at se, hvad du kan skrive."
            );
            ExitCode::from(2)
        }
    }
}

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The error in Danish, with what clap knows: the word it did not understand, the valid
/// choices, and a word it suggests instead.
fn message(e: &clap::Error) -> String {
    let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
    let mut out = match e.kind() {
        ErrorKind::InvalidSubcommand
            if context(e, ContextKind::Usage).is_some_and(|u| u.contains("kvalitet tema")) =>
        {
            format!(
                "«{}» er ikke en kommando. Efter kvalitet tema kan du skrive: kopier",
                context(e, ContextKind::InvalidSubcommand).unwrap_or_default()
            )
        }
        ErrorKind::InvalidSubcommand => format!(
            "«{}» er ikke en kommando. Kommandoerne er: build, new, check, serve, godkend, init, tema og schema",
            context(e, ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::UnknownArgument => format!("«{arg}» kan ikke bruges her"),
        ErrorKind::InvalidValue => {
            let mut s = if value.is_empty() {
                format!("{arg} mangler en værdi")
            } else {
                format!("«{value}» kan ikke bruges som {arg}")
            };
            if let Some(valid) = context(e, ContextKind::ValidValue) {
                s.push_str(&format!(". Du kan skrive: {valid}"));
            }
            s
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e).map_or_else(String::new, ToString::to_string);
            format!("«{value}» kan ikke bruges som {arg}. {why}")
        }
        ErrorKind::MissingRequiredArgument => format!(
            "Der mangler noget efter kommandoen: {}",
            context(e, ContextKind::InvalidArg).unwrap_or_default()
        ),
        ErrorKind::MissingSubcommand
            if context(e, ContextKind::InvalidSubcommand).is_some_and(|c| c != "kvalitet") =>
        {
            // A command of commands, `kvalitet tema`.
            format!(
                "Skriv en kommando efter {}: {}",
                context(e, ContextKind::InvalidSubcommand).unwrap_or_default(),
                context(e, ContextKind::ValidSubcommand).unwrap_or_default()
            )
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "Skriv en kommando efter kvalitet: build, new, check, serve, godkend, init, tema eller schema"
                .to_string()
        }
        ErrorKind::ArgumentConflict => {
            format!("«{arg}» kan ikke bruges sammen med det andet, du har skrevet")
        }
        ErrorKind::TooManyValues => format!("«{value}» er en værdi for meget"),
        ErrorKind::NoEquals => format!("Skriv {arg}=<værdi>"),
        _ => "Kommandoen kan ikke forstås".to_string(),
    };
    // clap lists its suggestions from the least to the most likely: only the most likely is
    // named ("chek": check, not "schema, check").
    let suggested = context(e, ContextKind::SuggestedArg)
        .or_else(|| context(e, ContextKind::SuggestedSubcommand))
        .map(|s| s.rsplit(", ").next().unwrap_or_default().to_string());
    if let Some(s) = suggested {
        out.push_str(&format!(". Mente du «{s}»?"));
    }
    out
}
