//! `kvalitet godkend`: records the council's approval in the municipality's file and keeps a
//! copy of the approved text (see `kvalitet::approve`).
//!
//! Exit codes: 0 when the approval is written, 1 when it is refused. A refusal writes nothing,
//! save when the copy alone could not be written (the message says so).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use kvalitet::approve::{Refusal, Request, approve};
use kvalitet::model::PartialDate;

/// Skriver byrådets godkendelse i kommunens fil og gemmer en kopi af den godkendte tekst.
///
/// Godkendelsen skrives i [approval] i filen. Resten af filen, også kommentarerne, bliver
/// stående, som den er. Kopien gemmes i content/godkendt/<kommune>/<dato>.toml. Den er den
/// tekst, næste revision sammenlignes med.
#[derive(clap::Args)]
pub struct Args {
    /// Kommunen: filens navn (holbaek) eller kommunens navn (Holbæk).
    #[arg(value_name = "KOMMUNE")]
    pub municipality: String,
    /// Datoen, standarden blev godkendt (ÅÅÅÅ-MM-DD).
    #[arg(long, value_name = "ÅÅÅÅ-MM-DD")]
    pub dato: String,
    /// Hvem der godkendte standarden, fx "Byrådet".
    #[arg(long, value_name = "ORGAN")]
    pub af: String,
    /// Sagsnummeret på beslutningen.
    #[arg(long, value_name = "NR")]
    pub sagsnr: Option<String>,
    /// Et link til referatet af beslutningen (https://...).
    #[arg(long, value_name = "URL")]
    pub referat: Option<String>,
    /// Mappen med indhold (site.toml og én fil pr. kommune).
    #[arg(long, default_value = "content", value_name = "MAPPE")]
    pub content: PathBuf,
    /// Dagens dato, som godkendelsen ikke må ligge efter (ÅÅÅÅ-MM-DD). Standard: i dag.
    #[arg(long, value_parser = parse_date, value_name = "DATO")]
    pub date: Option<PartialDate>,
}

fn parse_date(raw: &str) -> Result<PartialDate, String> {
    kvalitet::check::parse_reference_date(raw)
}

pub fn run(args: Args) -> ExitCode {
    let request = Request {
        content: args.content,
        municipality: args.municipality,
        date: args.dato,
        by: args.af,
        case_number: args.sagsnr,
        decision_url: args.referat,
        today: args.date,
    };
    match approve(&request) {
        Ok(done) => {
            let mut out = format!(
                "{} er godkendt {} af {}.\n",
                done.name,
                done.date.danish(),
                request.by.trim()
            );
            out.push_str(&format!(
                "Godkendelsen står nu i [approval] i {}.\n",
                done.file.display()
            ));
            if done.copy_existed {
                out.push_str(&format!(
                    "Kopien af den godkendte tekst fandtes allerede: {}\n",
                    done.copy.display()
                ));
            } else {
                out.push_str(&format!(
                    "Den godkendte tekst er gemt i {}. Den er grundlaget for næste revision.\n",
                    done.copy.display()
                ));
            }
            if done.revision_missing {
                out.push_str("Husk at skrive, hvornår standarden skal revideres næste gang: next_revision = \"ÅÅÅÅ-MM\" i [approval], højst to år frem.\n");
            } else if let Some(next) = done.revision_due {
                out.push_str(&format!(
                    "Husk at rette next_revision i [approval]: der står {}. Skriv datoen for næste revision, højst to år frem.\n",
                    next.danish()
                ));
            }
            // A closed pipe is not an error worth a panic.
            let _ = std::io::stdout().write_all(out.as_bytes());
            ExitCode::SUCCESS
        }
        Err(Refusal::Load(diagnostics)) => {
            eprint!("{}", kvalitet::diagnostic::report(&diagnostics));
            eprintln!("Standarden er ikke godkendt. Ret fejlene ovenfor, og prøv igen.");
            ExitCode::FAILURE
        }
        Err(Refusal::Request { message, hint }) => {
            eprintln!("fejl: {message}");
            eprintln!("  = tip: {hint}");
            ExitCode::FAILURE
        }
    }
}
