//! `kvalitet schema [mappe]`: the JSON Schemas an editor uses to complete and check the
//! content files while they are typed.

use std::path::PathBuf;
use std::process::ExitCode;

/// Skriver skemaerne, som din editor bruger til at hjælpe dig, mens du skriver.
///
/// Skemaerne er schema/kommune.schema.json (kommunefilerne) og schema/site.schema.json
/// (site.toml). Med dem foreslår editoren felterne, viser forklaringen ved hvert felt og
/// markerer et stavet forkert felt eller en forkert værdi med rødt. Det virker i VS Code med
/// udvidelsen Even Better TOML og i andre editorer, der bruger taplo. Skemaerne skrives igen,
/// hvis de findes.
#[derive(clap::Args)]
pub struct Args {
    /// Mappen med hjemmesiden: skemaerne skrives i schema/ i den. Standard: mappen, du står i.
    #[arg(value_name = "MAPPE")]
    folder: Option<PathBuf>,
}

pub fn run(args: Args) -> ExitCode {
    match kvalitet::schema::write(&args.folder.unwrap_or_else(|| PathBuf::from("."))) {
        Ok(paths) => {
            for path in paths {
                println!("Skrevet: {}", path.display());
            }
            println!(
                "En kommunefil i content/ bruger sit skema, når dens første linje er: #:schema ../{}",
                kvalitet::schema::KOMMUNE_SCHEMA
            );
            println!(
                "site.toml bruger sit skema, når dens første linje er: #:schema ../{}",
                kvalitet::schema::SITE_SCHEMA
            );
            println!("I VS Code virker det med udvidelsen Even Better TOML.");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("fejl: {message}");
            ExitCode::FAILURE
        }
    }
}
