//! The comparison of the municipalities at `sammenlign/`: one table, a row per municipality,
//! with the facts a citizen choosing where to be treated and a council comparing itself look
//! for. Each cell says only what the standard says, and links to the page that says it.
//!
//! The counts of the law's rules come from the same findings as the check report (`tjek/`,
//! [`crate::pipeline::findings`]).

use serde::Serialize;

use crate::check::{Report, Status, rule_runs, rule_status};
use crate::diagnostic::Diagnostic;
use crate::load::{Content, LoadedMunicipality};
use crate::model::Municipality;
use crate::paths::COMPARE_PATH;
use crate::site;

use super::Page;
use super::theme::Theme;

/// The template of the comparison; a theme without it has no comparison page.
pub(super) const TEMPLATE: &str = "compare.html";

/// One cell: what the standard says, and the page that says it (relative to the site root).
#[derive(Debug, Serialize)]
struct Cell {
    text: String,
    /// More lines of the same cell, e.g. one per target.
    items: Vec<String>,
    url: Option<String>,
    /// The standard says nothing about it.
    missing: bool,
}

impl Cell {
    fn said(text: String, url: Option<String>) -> Cell {
        Cell {
            text,
            items: Vec::new(),
            url,
            missing: false,
        }
    }

    fn not_said(text: &str) -> Cell {
        Cell {
            text: text.to_string(),
            items: Vec::new(),
            url: None,
            missing: true,
        }
    }
}

/// The columns after the municipality's name, in the order of [`Row::cells`].
const COLUMNS: [&str; 11] = [
    "Garanti",
    "Opfølgning",
    "Anonym behandling",
    "Frit valg",
    "Mål i tal",
    "Godkendt",
    "Næste revision",
    "LIX",
    "Lovens krav beskrevet",
    "Lovens krav delvis beskrevet",
    "Lovens krav, der mangler",
];

/// One row: a municipality, with a cell per column of [`COLUMNS`].
#[derive(Debug, Serialize)]
struct Row<'a> {
    slug: &'a str,
    name: &'a str,
    /// The municipalities whose citizens it treats too.
    serves: &'a [String],
    cells: Vec<Cell>,
}

/// Renders `sammenlign/index.html`, or nothing when the theme has no `compare.html`.
pub(crate) fn render_comparison(
    content: &Content,
    theme: &Theme,
    report: &Report,
) -> Result<Option<Page>, Diagnostic> {
    if !theme.has_template(TEMPLATE) {
        return Ok(None);
    }
    let rows: Vec<Row> = content
        .municipalities
        .iter()
        .map(|lm| row(lm, report))
        .collect();
    let mut ctx = super::site_page_context(
        content,
        COMPARE_PATH,
        "Se i én tabel, hvad kommunernes kvalitetsstandarder siger om behandling for rusmidler.",
    );
    ctx.insert("columns", &COLUMNS);
    ctx.insert("rows", &rows);
    let html = theme.render_page(TEMPLATE, &ctx, "../")?;
    Ok(Some(Page {
        path: COMPARE_PATH.to_string(),
        html,
    }))
}

/// The address of the section `id` of `lm`, where the municipality has it.
fn section_url(lm: &LoadedMunicipality, id: &str) -> Option<String> {
    site::sections_of(&lm.data)
        .into_iter()
        .find(|s| s.id == id)
        .map(|s| format!("{}/{}/", lm.slug, s.slug))
}

fn row<'a>(lm: &'a LoadedMunicipality, report: &Report) -> Row<'a> {
    let m = &lm.data;
    let rights = section_url(lm, "rights");
    let approval = m.approval.as_ref();
    let about = section_url(lm, "about");
    let summary = report.municipalities.iter().find(|s| s.slug == lm.slug);
    let counts = summary.map(|s| {
        let mut counts = [0usize; 3];
        for (rule, findings) in rule_runs(s.findings()) {
            if !rule.legal {
                continue;
            }
            match rule_status(s, rule.id, findings) {
                Status::Present => counts[0] += 1,
                Status::Partial => counts[1] += 1,
                Status::Missing => counts[2] += 1,
                _ => {}
            }
        }
        counts
    });
    let count = |i: usize| match counts {
        Some(c) => Cell::said(c[i].to_string(), Some("tjek/".to_string())),
        None => Cell::not_said("Ikke tjekket"),
    };
    let cells = vec![
        match &m.guarantee {
            Some(g) => Cell::said(format!("{} dage", g.days), rights.clone()),
            None => Cell::not_said("Står ikke i standarden"),
        },
        follow_up(lm, m),
        if m.offers.iter().any(|o| o.anonymous) {
            Cell::said("Ja".to_string(), section_url(lm, "offers"))
        } else {
            Cell::not_said("Ikke nævnt")
        },
        if m.free_choice.is_some() {
            Cell::said("Beskrevet".to_string(), rights)
        } else {
            Cell::not_said("Ikke beskrevet")
        },
        targets(lm, m),
        match approval.and_then(|a| a.approved_on.as_ref()) {
            Some(on) => {
                let by = approval
                    .and_then(|a| a.approved_by.as_deref())
                    .map_or_else(String::new, |by| format!(" af {by}"));
                Cell::said(format!("{}{by}", on.danish()), about.clone())
            }
            None => Cell::not_said("Står ikke i standarden"),
        },
        match approval.and_then(|a| a.next_revision.as_ref()) {
            Some(next) => Cell::said(next.danish(), about),
            None => Cell::not_said("Står ikke i standarden"),
        },
        match summary.and_then(|s| s.lix_total.lix.map(|lix| (lix, s.lix_total.band))) {
            Some((lix, band)) => Cell::said(
                match band {
                    Some(band) => format!("{} ({band})", number(lix)),
                    None => number(lix),
                },
                Some(format!("{}/hele-standarden/", lm.slug)),
            ),
            None => Cell::not_said("Ingen tekst"),
        },
        count(0),
        count(1),
        count(2),
    ];
    Row {
        slug: &lm.slug,
        name: &m.short_name,
        serves: &m.serves,
        cells,
    }
}

fn follow_up(lm: &LoadedMunicipality, m: &Municipality) -> Cell {
    match m.follow_up.as_ref().filter(|f| !f.months.is_empty()) {
        Some(f) => {
            let months: Vec<String> = f.months.iter().map(u32::to_string).collect();
            let list = match months.as_slice() {
                [one] => one.clone(),
                [rest @ .., last] => format!("{} og {last}", rest.join(", ")),
                [] => String::new(),
            };
            let unit = if f.months == [1] {
                "måned"
            } else {
                "måneder"
            };
            Cell::said(format!("Efter {list} {unit}"), section_url(lm, "plan"))
        }
        None => Cell::not_said("Står ikke i standarden"),
    }
}

fn targets(lm: &LoadedMunicipality, m: &Municipality) -> Cell {
    let targets = m.monitoring.as_ref().map_or(&[][..], |mo| &mo.targets[..]);
    if targets.is_empty() {
        return Cell::not_said("Ingen mål i tal");
    }
    let mut cell = Cell::said(format!("{} mål", targets.len()), section_url(lm, "quality"));
    cell.items = targets
        .iter()
        .map(|t| {
            let comparison = t.comparison.label();
            let space = if comparison.is_empty() { "" } else { " " };
            format!(
                "{}: {comparison}{space}{} %",
                t.kind.label(),
                number(t.percent)
            )
        })
        .collect();
    cell
}

/// As Danes write a number: "42", "37,5".
fn number(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        format!("{n}").replace('.', ",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::SECTIONS;

    /// The sections the table links to exist.
    #[test]
    fn the_linked_sections_exist() {
        for id in ["rights", "offers", "plan", "quality", "about"] {
            assert!(SECTIONS.iter().any(|s| s.id == id), "{id}");
        }
    }

    #[test]
    fn numbers_are_written_the_danish_way() {
        assert_eq!(number(42.0), "42");
        assert_eq!(number(37.5), "37,5");
    }
}
