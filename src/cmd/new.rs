//! `kvalitet new <navn>`: a municipality file with every field explained.

use std::path::PathBuf;
use std::process::ExitCode;

/// Laver en ny kommunefil med en dansk forklaring ved hvert felt.
#[derive(clap::Args)]
pub struct Args {
    /// Kommunens navn, fx "Holbæk". Skriver du "Holbæk Kommune", bliver "Kommune" ikke gentaget.
    #[arg(value_name = "NAVN")]
    name: String,
    /// Mappen med indhold.
    #[arg(long, default_value = "content", value_name = "MAPPE")]
    content: PathBuf,
}

pub fn run(args: Args) -> ExitCode {
    match kvalitet::scaffold::write_new(&args.content, &args.name) {
        Ok(path) => {
            println!("Oprettet: {}", path.display());
            println!(
                "Åbn filen i din editor, og udfyld felterne. Forklaringerne står ved hvert felt."
            );
            if args.content.join("site.toml").is_file() {
                println!("Se siden, mens du skriver: kvalitet serve --open");
            } else {
                // A file made outside a site: the preview and the build would stop at the
                // missing site.toml, so say what to do first.
                println!(
                    "Der er ingen {} endnu, så siden kan ikke vises. Opret den med mindst linjen title = \"Sidens titel\". Eller lav en hel hjemmeside i en tom mappe med kvalitet init (se README).",
                    args.content.join("site.toml").display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("fejl: {message}");
            ExitCode::FAILURE
        }
    }
}
