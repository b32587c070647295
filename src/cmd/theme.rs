//! `kvalitet tema kopier [navn]`: the theme built into the binary, written out to customise.

use std::path::PathBuf;
use std::process::ExitCode;

/// Kopierer det indbyggede tema, så du kan rette i, hvordan siderne ser ud.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    Kopier(Copy),
}

/// Lægger en kopi af det indbyggede tema i themes/<NAVN>/, så du kan rette i udseendet.
///
/// En mappe, der findes i forvejen, bliver ikke overskrevet. Hedder kopien «default», bruges
/// den i stedet for det indbyggede tema. Ellers skal du skrive theme = "<NAVN>" i
/// content/site.toml.
#[derive(clap::Args)]
struct Copy {
    /// Navnet på det nye tema: bogstaver, tal, - og _.
    #[arg(value_name = "NAVN", default_value = kvalitet::embedded::EMBEDDED_THEME)]
    name: String,
    /// Mappen med temaer.
    #[arg(long, default_value = "themes", value_name = "MAPPE")]
    themes: PathBuf,
}

pub fn run(args: Args) -> ExitCode {
    let Command::Kopier(copy) = args.command;
    match kvalitet::embedded::copy_theme(&copy.themes, &copy.name) {
        Ok((dir, files)) => {
            println!("Temaet er kopieret til {} ({files} filer).", dir.display());
            println!(
                "Ret i skabelonerne i {0}/templates og i stilarket {0}/static/style.css.",
                dir.display()
            );
            if copy.name == kvalitet::embedded::EMBEDDED_THEME {
                println!(
                    "Kopien bruges nu i stedet for det indbyggede tema. Slet mappen for at bruge det indbyggede igen."
                );
            } else {
                println!(
                    "Skriv theme = \"{}\" i content/site.toml for at bruge det.",
                    copy.name
                );
            }
            println!(
                "Se ændringerne, mens du retter: kvalitet serve --open. Kører den allerede, så stop den med Ctrl+C, og start den igen."
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("fejl: {message}");
            ExitCode::FAILURE
        }
    }
}
