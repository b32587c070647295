//! `kvalitet check`: what the regulation requires, and whether citizens can read it.
//!
//! Exit codes: 0 when there are no errors (and no warnings with `--deny-warnings`), 1 when
//! there are, 2 when the content cannot be read at all (the load diagnostics are printed).
//!
//! # JSON output (`--format json`)
//!
//! One object, pretty-printed, on standard output:
//!
//! ```json
//! {
//!   "version": 1,
//!   "reference_date": "2025-06-01",
//!   "lix_warning": 40.0,
//!   "passed": false,
//!   "counts": { "errors": 3, "warnings": 12, "infos": 40 },
//!   "findings": [
//!     {
//!       "rule": "§4.2",
//!       "severity": "error",
//!       "missing": false,
//!       "municipality": "odsherred",
//!       "message": "Opfølgningen sker efter 1 og 3 måneder. ...",
//!       "requirement": "Kommunen skal følge op senest 1 måned og igen 6 måneder ...",
//!       "file": "content/odsherred.toml",
//!       "line": 478,
//!       "key": "follow_up.months",
//!       "hint": "Skriv months = [1, 6], ..."
//!     }
//!   ],
//!   "municipalities": [
//!     {
//!       "slug": "odsherred",
//!       "name": "Odsherred",
//!       "file": "content/odsherred.toml",
//!       "counts": { "errors": 3, "warnings": 10, "infos": 31 },
//!       "rules": [ { "rule": "§3.3", "status": "present" } ],
//!       "lix_total": { "section": "hele", "title": "Hele standarden", "lix": 41.3, ... },
//!       "lix": [
//!         {
//!           "section": "garanti",
//!           "title": "Behandlingsgaranti",
//!           "lix": 38.2,
//!           "band": "middel",
//!           "words": 120,
//!           "sentences": 9,
//!           "long_words": 31,
//!           "long_sentences": 1,
//!           "above_limit": false
//!         }
//!       ]
//!     }
//!   ]
//! }
//! ```
//!
//! - `passed`: no errors (warnings do not count here, whatever `--deny-warnings` says).
//! - `findings` are sorted: the site first, then municipalities in file order, then by rule in
//!   the order of the regulation (`§3.3` ... `§6.2`, then `LIX`, `SÆTNING`, `ORD`, `LINK`,
//!   `KONTAKT`, `WAS`), then by line.
//! - `severity`: `"error"`, `"warning"` or `"info"`.
//! - `missing`: true when the topic is absent, false when it is there but wrong or hard to read.
//! - `municipality`: the file name without `.toml`; `null` for the site as a whole (`site.toml`).
//! - `line`: 1-based line where the content is; `null` when it is absent and should be added to
//!   `file`. `key` is the key path (`offers[2].description`) or `null`; `hint` may be `null`.
//! - `rules[].status`: `"present"`, `"missing"`, `"wrong"` or `"not_applicable"` (§5 when no
//!   residential treatment is offered), for every rule but `WAS`.
//! - `lix`, `band`: `null` for a section without words. `band` is one of "meget let", "let",
//!   "middel", "svær", "meget svær". Offers are sections named `tilbud/<id>`.

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
    /// Mappen med indhold (site.toml og én fil pr. kommune).
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
    /// Vis resultatet som tekst eller som JSON (til andre programmer).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Afslut med 1, også når der kun er advarsler.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Datoen, revisionsfristen måles mod (ÅÅÅÅ-MM-DD). Standard: i dag.
    #[arg(long, value_parser = parse_date)]
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
    let content = match kvalitet::load::load_content(&args.content) {
        Ok(content) => content,
        Err(diagnostics) => {
            eprint!("{}", kvalitet::diagnostic::report(&diagnostics));
            eprintln!("Indholdet kan ikke læses, så det kan ikke tjekkes. Ret fejlene ovenfor.");
            return ExitCode::from(2);
        }
    };
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
