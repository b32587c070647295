//! `kvalitet check`: what the regulation requires, and whether citizens can read it.
//!
//! Exit codes: 0 when there are no errors (and no warnings with `--deny-warnings`), 1 when
//! there are, 2 when the content cannot be read at all (the load diagnostics are printed).
//!
//! The JSON shape (`--format json`) is documented in one place, `docs/check-json.md`, and its
//! tested example is `tests/cmd/check-json.stdout`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use kvalitet::check::{self, CheckOptions, Finding, Report};
use kvalitet::model::PartialDate;

/// Tjekker kvalitetsstandarden mod loven (bekendtgørelse nr. 1477) og for letlæsthed.
///
/// Afslutter med 0, når der ingen fejl er, 1 ved fejl, og 2, når indholdet ikke kan læses.
#[derive(clap::Args)]
pub struct Args {
    /// Tjek kun disse kommuner: filens navn (nyborg) eller kommunens navn (Nyborg). Uden dem
    /// tjekkes alle.
    #[arg(value_name = "KOMMUNE")]
    pub municipalities: Vec<String>,
    /// Mappen med indhold (site.toml og én fil pr. kommune).
    #[arg(long, default_value = "content", value_name = "MAPPE")]
    pub content: PathBuf,
    /// Vis resultatet som tekst eller som JSON (til andre programmer).
    #[arg(long, value_enum, default_value_t = Format::Text, value_name = "FORMAT")]
    pub format: Format,
    /// Afslut med 1, også når der kun er advarsler.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Datoen, revisionsfristen måles mod (ÅÅÅÅ-MM-DD). Standard: i dag.
    #[arg(long, value_parser = parse_date, value_name = "DATO")]
    pub date: Option<PartialDate>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

fn parse_date(raw: &str) -> Result<PartialDate, String> {
    check::parse_reference_date(raw)
}

pub fn run(args: Args) -> ExitCode {
    let mut content = match kvalitet::pipeline::load_content(&args.content) {
        Ok(content) => content,
        Err(diagnostics) => {
            eprint!("{}", kvalitet::diagnostic::report(&diagnostics));
            eprintln!("Indholdet kan ikke læses, så det kan ikke tjekkes. Ret fejlene ovenfor.");
            return ExitCode::from(2);
        }
    };
    // The content's own warnings (text left empty) come before the check, as in `build`.
    if !content.warnings.is_empty() {
        eprint!("{}", kvalitet::diagnostic::report(&content.warnings));
    }
    if !args.municipalities.is_empty() {
        let chosen = match choose(&content.municipalities, &args.municipalities) {
            Ok(chosen) => chosen,
            Err(message) => {
                eprintln!("fejl: {message}");
                return ExitCode::from(2);
            }
        };
        let mut i = 0;
        content.municipalities.retain(|_| {
            i += 1;
            chosen.contains(&(i - 1))
        });
    }
    let mut options = CheckOptions::for_site(&content.site);
    if let Some(date) = args.date {
        options.reference_date = date;
    }
    let report = kvalitet::build::check_content_with(&content, &options);
    let output = match args.format {
        Format::Json => report.to_json() + "\n",
        Format::Text => text(&report, &args.content, args.deny_warnings),
    };
    // A closed pipe (`kvalitet check | head`) is not an error worth a panic.
    let _ = anstream::stdout().write_all(output.as_bytes());
    if report.passes(args.deny_warnings) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The positions in `all` of the municipalities `wanted` names, each by its file name or its
/// name, short or full, in any case; an unknown one is an error naming the known ones.
fn choose(
    all: &[kvalitet::load::LoadedMunicipality],
    wanted: &[String],
) -> Result<Vec<usize>, String> {
    let mut chosen = Vec::new();
    for want in wanted {
        let found = all.iter().position(|m| m.is_named(want));
        match found {
            Some(i) => chosen.push(i),
            None => {
                let known: Vec<String> = all
                    .iter()
                    .map(|m| format!("{} ({})", m.slug, m.data.name))
                    .collect();
                return Err(format!(
                    "Der er ingen kommune, der hedder «{want}», i indholdet. Du kan vælge: {}",
                    known.join(", ")
                ));
            }
        }
    }
    Ok(chosen)
}

/// Styles for the text report. They are always written; `anstream` drops them where the
/// reader is not a terminal, or asks for none (`NO_COLOR`, `CLICOLOR=0`).
mod paint {
    use anstyle::{AnsiColor, Style};

    use kvalitet::diagnostic::Severity;

    fn with(style: Style, s: &str) -> String {
        format!("{style}{s}{style:#}")
    }

    pub(super) fn bold(s: &str) -> String {
        with(Style::new().bold(), s)
    }

    pub(super) fn dim(s: &str) -> String {
        with(Style::new().dimmed(), s)
    }

    pub(super) fn severity(severity: Severity) -> String {
        let style = match severity {
            Severity::Error => AnsiColor::Red.on_default().bold(),
            Severity::Warning => AnsiColor::Yellow.on_default().bold(),
            Severity::Info => AnsiColor::Cyan.on_default(),
        };
        with(style, severity.danish())
    }
}

/// The report for a person at a terminal: grouped by municipality, then rule.
fn text(report: &Report, content_dir: &std::path::Path, deny: bool) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "Tjek af {} (dato for revisionsfrist: {})\n",
        content_dir.display(),
        report.reference_date.danish()
    ));

    for (place, findings) in report.by_municipality() {
        let heading = match place {
            None => format!("Hele hjemmesiden ({})", report.site_file().display()),
            Some(slug) => match report.municipalities.iter().find(|m| m.slug == slug) {
                Some(m) => format!("{} ({})", m.name, m.file.display()),
                None => slug.to_string(),
            },
        };
        out.push('\n');
        out.push_str(&paint::bold(&heading));
        out.push('\n');
        let mut last_rule = "";
        for f in findings {
            if f.rule != last_rule {
                last_rule = f.rule;
                let title = check::rule(f.rule).map_or("", |r| r.title);
                out.push_str(&format!("\n  {} {}\n", paint::bold(f.rule), title));
                if !f.requirement.is_empty() {
                    let lead = if check::rule(f.rule).is_some_and(|r| r.legal) {
                        "Loven kræver"
                    } else {
                        "Mål"
                    };
                    out.push_str(&format!(
                        "  {}\n",
                        paint::dim(&format!("{lead}: {}", f.requirement))
                    ));
                }
            }
            out.push_str(&finding(f));
        }
    }

    for m in &report.municipalities {
        let hard: Vec<String> = m
            .lix
            .iter()
            .filter(|s| s.above_limit)
            .map(|s| format!("{} {:.0}", s.title, s.lix.unwrap_or(0.0)))
            .collect();
        if let Some(total) = m.lix_total.lix {
            out.push_str(&format!(
                "\nLIX for {}: {total:.0} ({})",
                m.name,
                m.lix_total.band.unwrap_or("")
            ));
            if hard.is_empty() {
                out.push('\n');
            } else {
                out.push_str(&format!(
                    ". Over {:.0}: {}\n",
                    report.lix_warning,
                    hard.join(", ")
                ));
            }
        }
    }

    let c = report.counts();
    let line = format!(
        "\nI alt: {} fejl, {} {}, {} info.\n",
        c.errors,
        c.warnings,
        if c.warnings == 1 {
            "advarsel"
        } else {
            "advarsler"
        },
        c.infos
    );
    out.push_str(&paint::bold(&line));
    if !report.passes(deny) && c.errors == 0 {
        out.push_str("Advarslerne tæller som fejl, fordi du har brugt --deny-warnings.\n");
    }
    out
}

fn finding(f: &Finding) -> String {
    let mut out = format!("    {}: {}\n", paint::severity(f.severity), f.message);
    let mut at = format!("      --> {}", f.location());
    if let Some(key) = &f.key {
        at.push_str(&format!(" ({key})"));
    }
    out.push_str(&paint::dim(&at));
    out.push('\n');
    if let Some(hint) = &f.hint {
        out.push_str(&format!("      = tip: {hint}\n"));
    }
    out
}
