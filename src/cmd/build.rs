//! `kvalitet build`: content files in, a complete static site out.

use std::path::PathBuf;
use std::process::ExitCode;

use kvalitet::build::{BuildOptions, build, default_themes_dir};
use kvalitet::diagnostic::report;

/// Bygger hjemmesiden ud fra indholdet og skriver den i output-mappen.
///
/// Fejler bygningen, bliver den sidste gode udgave af output-mappen stående uændret.
///
/// Den nye udgave skrives i en mappe ved siden af output-mappen og flyttes på plads til sidst.
/// Ligger der filer i output-mappen, som kvalitet ikke har skrevet, stopper bygningen og
/// nævner dem. De bliver aldrig slettet.
#[derive(clap::Args)]
pub struct Args {
    /// Mappen med indhold (site.toml og én fil pr. kommune).
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
    /// Mappen, hjemmesiden skrives i. Den bliver erstattet helt, men kun hvis kvalitet selv har lavet den.
    #[arg(long, default_value = "output")]
    pub output: PathBuf,
    /// Temaet (en mappe under themes/). Standard: temaet i site.toml.
    #[arg(long)]
    pub theme: Option<String>,
    /// Mappen med temaer. Standard: themes/ her eller ved siden af indholdsmappen.
    #[arg(long)]
    pub themes: Option<PathBuf>,
}

pub fn run(args: Args) -> ExitCode {
    let themes = args
        .themes
        .unwrap_or_else(|| default_themes_dir(&args.content));
    let mut options = BuildOptions::new(&args.content, themes);
    options.theme = args.theme;
    match build(&options, &args.output) {
        Ok(done) => {
            if std::env::var_os("KVALITET_TIMINGS").is_some() {
                for t in &done.stages {
                    eprintln!(
                        "timing {}: {:.1} ms wall, {:.1} ms cpu, peak {:.1} MiB",
                        t.stage,
                        t.wall.as_secs_f64() * 1000.0,
                        t.cpu.as_secs_f64() * 1000.0,
                        t.peak_mib
                    );
                }
            }
            if !done.warnings.is_empty() {
                eprint!("{}", report(&done.warnings));
            }
            println!(
                "Bygget: {} sider for {} {} på {} ms -> {}/ ({} {})",
                done.stats.pages,
                done.municipalities,
                if done.municipalities == 1 {
                    "kommune"
                } else {
                    "kommuner"
                },
                done.elapsed.as_millis(),
                args.output.display(),
                done.warnings.len(),
                if done.warnings.len() == 1 {
                    "advarsel"
                } else {
                    "advarsler"
                }
            );
            println!("{}", done.check_summary);
            // The process ends now: the operating system takes its memory back faster than
            // freeing the content piece by piece.
            std::mem::forget(done.built);
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            eprint!("{}", report(&diagnostics));
            eprintln!(
                "Hjemmesiden blev ikke bygget. {} er uændret.",
                args.output.display()
            );
            ExitCode::FAILURE
        }
    }
}
