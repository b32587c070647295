//! `kvalitet serve`: the site in the browser while the editor types.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};

use kvalitet::build::BuildOptions;
use kvalitet::diagnostic::report;
use kvalitet::serve::{ServeEvent, ServeLog, ServeOptions, Server};

/// Viser hjemmesiden i din browser, mens du skriver.
///
/// Siderne bygges i hukommelsen og opdaterer sig selv i browseren, hver gang du gemmer en fil i
/// indholdet eller temaet. Er der en fejl, står den øverst på siden og i terminalen, og den sidste
/// udgave, der virkede, bliver vist. Output-mappen røres ikke, medmindre du beder om det.
#[derive(clap::Args)]
pub struct Args {
    /// Mappen med indhold (site.toml og én fil pr. kommune).
    #[arg(long, default_value = "content", value_name = "MAPPE")]
    pub content: PathBuf,
    /// Temaet (en mappe under themes/). Standard: temaet i site.toml.
    #[arg(long, value_name = "TEMA")]
    pub theme: Option<String>,
    /// Mappen med temaer.
    #[arg(long, default_value = "themes", value_name = "MAPPE")]
    pub themes: PathBuf,
    /// Porten, forhåndsvisningen bruger. 0 betyder: vælg en ledig port.
    #[arg(long, default_value_t = 1111, value_name = "PORT")]
    pub port: u16,
    /// Adressen, der lyttes på. Kun din egen computer kan se siderne, medmindre du vælger fx
    /// 0.0.0.0 for at vise dem til andre på netværket.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADRESSE")]
    pub bind: IpAddr,
    /// Åbn forsiden i din browser.
    #[arg(long)]
    pub open: bool,
    /// Skriv også den færdige hjemmeside i denne mappe, hver gang den er bygget uden fejl.
    #[arg(long, value_name = "MAPPE")]
    pub output_dir: Option<PathBuf>,
}

pub fn run(args: Args) -> ExitCode {
    let mut build = BuildOptions::new(&args.content, &args.themes);
    build.theme = args.theme;
    // The preview shows the working files, marked as a draft.
    build.draft = true;
    let mut options = ServeOptions::new(build);
    options.port = args.port;
    options.bind = args.bind;
    options.output_dir = args.output_dir;
    options.log = Some(ServeLog::new(print_event));
    let server = match Server::start(options) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let url = server.url();
    println!("Forhåndsvisningen kører på {url}");
    if !args.bind.is_loopback() {
        println!(
            "Bemærk: siderne kan ses af andre på netværket via {}. Brug --bind 127.0.0.1 for kun at vise dem på denne computer.",
            server.addr()
        );
    }
    println!("Gem en fil, så opdaterer siden sig selv. Stop med Ctrl+C.");
    if args.open {
        open_browser(&url);
    }
    server.wait();
    ExitCode::SUCCESS
}

/// Tells the editor in the terminal how each build went: results on stdout, errors on stderr.
fn print_event(event: &ServeEvent<'_>) {
    match event {
        ServeEvent::Unchanged { elapsed, changed } => println!(
            "Bygget på {} ms: ingen ændringer på siderne{}",
            elapsed.as_millis(),
            describe_changes(changed)
        ),
        ServeEvent::Built {
            elapsed,
            pages,
            municipalities,
            warnings,
            changed,
        } => println!(
            "Bygget på {} ms: {} sider for {} kommuner{}{}",
            elapsed.as_millis(),
            pages,
            municipalities,
            if *warnings > 0 {
                format!(", {warnings} advarsler (se kvalitet check)")
            } else {
                String::new()
            },
            describe_changes(changed)
        ),
        ServeEvent::Failed {
            errors,
            repeated,
            last_good,
        } => {
            eprint!("{}", report(errors));
            if !repeated {
                eprintln!(
                    "{}",
                    if *last_good {
                        "Forhåndsvisningen viser den sidste udgave, der virkede, med en besked om fejlen. Ret fejlen og gem igen."
                    } else {
                        "Forhåndsvisningen viser en fejlside, indtil fejlen er rettet. Ret fejlen og gem igen."
                    }
                );
            }
        }
        ServeEvent::WatchError(e) => eprintln!("watch error, rebuilding to be safe: {e}"),
    }
}

fn describe_changes(changed: &[PathBuf]) -> String {
    match changed {
        [] => String::new(),
        [one] => format!(" (ændret: {})", one.display()),
        [one, rest @ ..] => format!(" (ændret: {} og {} andre)", one.display(), rest.len()),
    }
}

/// Best effort: if no browser opens, the address is printed above.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "windows") {
        let mut c = Command::new("cmd");
        c.args(["/C", "start", "", url]);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = Command::new("open");
        c.arg(url);
        c
    } else {
        let mut c = Command::new("xdg-open");
        c.arg(url);
        c
    };
    let spawned = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    if spawned.is_err() {
        println!("Browseren kunne ikke åbnes. Åbn {url} selv.");
    }
}
