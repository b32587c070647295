//! `kvalitet build`: content files in, a complete static site out.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use kvalitet::build::{BuildOptions, BuildReport, build, default_themes_dir};
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
    #[arg(long, default_value = "content", value_name = "MAPPE")]
    pub content: PathBuf,
    /// Mappen, hjemmesiden skrives i. Den bliver erstattet helt, men kun hvis kvalitet selv har lavet den.
    #[arg(long, default_value = "output", value_name = "MAPPE")]
    pub output: PathBuf,
    /// Temaet (en mappe under themes/). Standard: temaet i site.toml.
    #[arg(long, value_name = "TEMA")]
    pub theme: Option<String>,
    /// Mappen med temaer. Standard: themes/ her eller ved siden af indholdsmappen.
    #[arg(long, value_name = "MAPPE")]
    pub themes: Option<PathBuf>,
    /// Byg et udkast med filerne, som de er nu. Hver side er mærket «Udkast – ikke godkendt» og
    /// skjult for søgemaskiner. Uden --udkast viser hjemmesiden den senest godkendte udgave.
    #[arg(long)]
    pub udkast: bool,
}

pub fn run(args: Args) -> ExitCode {
    let themes = args
        .themes
        .unwrap_or_else(|| default_themes_dir(&args.content));
    let mut options = BuildOptions::new(&args.content, themes);
    options.theme = args.theme;
    options.draft = args.udkast;
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
            // A closed pipe (`kvalitet build | head -1`) is not an error worth a panic.
            let _ = writeln!(std::io::stdout(), "{}", summary(&done, &args.output));
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

/// What a finished build tells the editor, in plain words: the site was built and where it is;
/// the content's own warnings (shown above it); and, as a different thing, what the legal check
/// found in the standards and where to read it.
fn summary(done: &BuildReport, output: &std::path::Path) -> String {
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut out = format!(
        "Hjemmesiden er bygget: {} for {} på {} ms. Den ligger i {}/\n",
        count(done.stats.pages, "side", "sider"),
        count(done.municipalities, "kommune", "kommuner"),
        done.elapsed.as_millis(),
        output.display()
    );
    let names = done.unapproved.join(", ");
    if done.draft {
        out.push_str("Det er et udkast: siderne viser filerne, som de er nu. Hver side er mærket «Udkast – ikke godkendt» og bliver ikke vist i søgemaskiner. Læg det ikke ud som den offentlige hjemmeside.\n");
        if !done.unapproved.is_empty() {
            out.push_str(&format!(
                "Ændringer, som ikke er godkendt endnu: {names}.\n"
            ));
        }
    } else if !done.unapproved.is_empty() {
        out.push_str(&format!(
            "Ændringer, som ikke er godkendt endnu: {names}. Hjemmesiden viser den senest godkendte udgave. Se ændringerne med «kvalitet build --udkast».\n"
        ));
    }
    let w = done.warnings.len();
    if w > 0 {
        out.push_str(&format!(
            "Indholdet har {} (se ovenfor). Siderne er bygget alligevel.\n",
            count(w, "advarsel", "advarsler")
        ));
    }
    let c = done.check_counts;
    if c.errors + c.warnings == 0 {
        out.push_str("Tjekket mod loven: ingen fejl og ingen advarsler.");
    } else {
        out.push_str(&format!(
            "Tjekket mod loven: standarderne har {} og {}. Se dem med «kvalitet check» eller på siden /tjek/.",
            count(c.errors, "fejl", "fejl"),
            count(c.warnings, "advarsel", "advarsler")
        ));
    }
    out
}
