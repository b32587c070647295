//! `kvalitet init [mappe] --kommune <navn>`: a new site folder, ready to edit and publish.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Laver en ny hjemmeside med én kommune og opskrifter til at udgive den.
///
/// Du får content/site.toml med alle indstillinger forklaret, en kommunefil, indstillinger til
/// din editor og opskrifter, der udgiver siden på GitHub Pages eller GitLab Pages.
///
/// Mappen må ikke have en content-mappe i forvejen. Filer, der findes i forvejen (fx
/// .gitignore), bliver ikke rørt.
#[derive(clap::Args)]
pub struct Args {
    /// Mappen, hjemmesiden laves i. Den oprettes, hvis den ikke findes. Standard: mappen, du
    /// står i
    #[arg(value_name = "MAPPE")]
    dir: Option<PathBuf>,
    /// Kommunens navn, fx "Nyborg". Den første kommunefil får dette navn.
    #[arg(long, value_name = "NAVN", required = true)]
    kommune: String,
}

pub fn run(args: Args) -> ExitCode {
    let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
    let done = match kvalitet::init::init(&dir, &args.kommune) {
        Ok(done) => done,
        Err(message) => {
            eprintln!("fejl: {message}");
            return ExitCode::FAILURE;
        }
    };
    let shown = |path: &Path| {
        path.strip_prefix(&dir)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    println!("Ny hjemmeside i {}:", dir.display());
    for path in &done.written {
        println!("  oprettet: {}", shown(path));
    }
    for path in &done.kept {
        println!("  fandtes allerede, ikke rørt: {}", shown(path));
    }
    println!();
    println!("Sådan kommer du videre:");
    if dir != Path::new(".") {
        println!("  cd {}", dir.display());
    }
    println!(
        "  1. Udfyld {}. Forklaringerne står ved hvert felt.",
        shown(&done.municipality)
    );
    println!("  2. Se siden, mens du skriver: kvalitet serve --open");
    println!("  3. Tjek standarden mod loven: kvalitet check");
    println!("  4. Byg hjemmesiden i mappen output/: kvalitet build");
    println!(
        "  5. Udgiv den: læg mappen i git på GitHub eller GitLab (opskrifterne står i .github/ og .gitlab-ci.yml), eller kopiér output/ til en webserver."
    );
    ExitCode::SUCCESS
}
