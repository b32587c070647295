//! The check report page: its view model (rules down the side, municipalities across, shaped
//! for what a template reads) and its rendering (see [`render_check_report`]).

use rayon::prelude::*;
use serde::Serialize;

use crate::check::{Counts, Finding, MunicipalitySummary, Report, Rule, SectionLix, Status};
use crate::check::{municipality_rules, rule_runs, rule_status};
use crate::diagnostic::{Diagnostic, Severity};
use crate::load::Content;

use super::Page;
use super::theme::Theme;

/// One cell of the report page: how one municipality meets one rule.
#[derive(Debug, Clone, Serialize)]
pub struct RuleCell<'a> {
    pub municipality: &'a str,
    pub status: Status,
    /// The status in Danish: "beskrevet", "delvis", "mangler", "forkert", "henvist" or
    /// "ikke relevant" ([`Status::danish`]).
    pub label: &'static str,
    /// The messages of errors and warnings, and the note naming the general standard a
    /// referred rule points to.
    pub messages: Vec<&'a str>,
    /// How many notes (info) there are besides.
    pub infos: usize,
}

/// One row of the report page: a rule, with a cell per municipality.
#[derive(Debug, Clone, Serialize)]
pub struct RuleRow<'a> {
    pub rule: &'static str,
    pub title: &'static str,
    pub requirement: &'static str,
    pub reference: &'static str,
    pub legal: bool,
    pub cells: Vec<RuleCell<'a>>,
}

/// A municipality as a column of the report page.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixColumn<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub counts: Counts,
}

/// One row of the LIX table: a section, with a cell per municipality (`None` where the
/// municipality has no such section).
#[derive(Debug, Clone, Serialize)]
pub struct LixRow<'a> {
    pub section: &'a str,
    pub title: &'a str,
    /// A template sees only `lix`, `band` and `above_limit` of each cell: a national table has
    /// tens of thousands of cells, and the other six fields tripled its cost.
    #[serde(serialize_with = "lix_cells")]
    pub cells: Vec<Option<&'a SectionLix>>,
}

fn lix_cells<S: serde::Serializer>(
    cells: &[Option<&SectionLix>],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Cell {
        lix: Option<f64>,
        band: Option<&'static str>,
        above_limit: bool,
    }
    serializer.collect_seq(cells.iter().map(|cell| {
        cell.map(|c| Cell {
            lix: c.lix,
            band: c.band,
            above_limit: c.above_limit,
        })
    }))
}

/// The check report page: rules down the side, municipalities across. It borrows its text
/// from the [`Report`]: a national report has tens of thousands of messages.
#[derive(Debug, Clone, Serialize)]
pub struct Matrix<'a> {
    pub reference_date: String,
    pub lix_warning: f64,
    pub columns: Vec<MatrixColumn<'a>>,
    /// Rule rows, in [`RULES`](crate::check::RULES) order, without `WAS` (it concerns the
    /// whole site).
    pub rows: Vec<RuleRow<'a>>,
    /// LIX per section. Offers are one row, "Tilbud", over all a municipality's offers.
    pub lix_rows: Vec<LixRow<'a>>,
    /// Findings about the site as a whole (`site.toml`), e.g. `WAS`.
    pub site_findings: Vec<&'a Finding>,
    pub counts: Counts,
    /// Each status with its Danish word and what it means, for the page's legend.
    pub statuses: Vec<StatusWord>,
}

/// A status as the report page explains it.
#[derive(Debug, Clone, Serialize)]
pub struct StatusWord {
    pub status: Status,
    pub label: &'static str,
    pub explanation: &'static str,
}

impl Report {
    /// The data of the check report page, ready for a template.
    pub fn matrix(&self) -> Matrix<'_> {
        // Each rule's findings are one run among a municipality's (see `check::rule_runs`): the
        // table is made a municipality at a time in one walk along them, with no lookups, in
        // parallel. A national report has tens of thousands of findings.
        let row_rules: Vec<&Rule> = municipality_rules().collect();
        let (columns, cells): (Vec<MatrixColumn>, Vec<Vec<RuleCell>>) = self
            .municipalities
            .par_iter()
            .map(|m| {
                let cells = rule_runs(m.findings())
                    .map(|(r, rule_findings)| rule_cell(m, r, rule_findings))
                    .collect();
                let column = MatrixColumn {
                    slug: &m.slug,
                    name: &m.name,
                    counts: m.counts,
                };
                (column, cells)
            })
            .unzip();
        let rows = row_rules
            .iter()
            .zip(by_row(cells, row_rules.len()))
            .map(|(r, cells)| RuleRow {
                rule: r.id,
                title: r.title,
                requirement: r.requirement,
                reference: r.reference,
                legal: r.legal,
                cells,
            })
            .collect();

        Matrix {
            reference_date: self.reference_date.iso(),
            lix_warning: self.lix_warning,
            columns,
            rows,
            lix_rows: self.lix_rows(),
            site_findings: self.site_findings().iter().collect(),
            counts: self.counts(),
            statuses: Status::ALL
                .iter()
                .map(|&status| StatusWord {
                    status,
                    label: status.danish(),
                    explanation: status.explanation(),
                })
                .collect(),
        }
    }

    /// The LIX table: a row for the whole standard, then one per section in the order of the
    /// standard's pages, with all of a municipality's offers merged into one row.
    fn lix_rows(&self) -> Vec<LixRow<'_>> {
        // Each municipality's sections by their places (see `SectionList`), in parallel.
        let mut by_place: Vec<Vec<Option<&SectionLix>>> = self
            .municipalities
            .par_iter()
            .map(|m| {
                let mut cells = Vec::new();
                for s in &m.lix {
                    let place = usize::from(s.place);
                    if cells.len() <= place {
                        cells.resize(place + 1, None);
                    }
                    cells[place].get_or_insert(s);
                }
                cells
            })
            .collect();
        let places = by_place.iter().map(Vec::len).max().unwrap_or(0);
        let mut rows = vec![LixRow {
            section: "hele",
            title: "Hele standarden",
            cells: self
                .municipalities
                .iter()
                .map(|m| Some(&m.lix_total))
                .collect(),
        }];
        for column in &mut by_place {
            column.resize(places, None);
        }
        for cells in by_row(by_place, places) {
            let Some(first) = cells.iter().flatten().next() else {
                continue;
            };
            rows.push(if first.is_offer() {
                LixRow {
                    section: "tilbud",
                    title: "Tilbud",
                    cells: self
                        .municipalities
                        .iter()
                        .map(|m| m.lix_offers.as_ref())
                        .collect(),
                }
            } else {
                LixRow {
                    section: &first.section,
                    title: &first.title,
                    cells,
                }
            });
        }
        rows
    }
}

/// The report's tables are made a municipality (a column) at a time; this lays them out as
/// rows, cell `r` of every column going to row `r`.
fn by_row<T>(columns: Vec<Vec<T>>, rows: usize) -> Vec<Vec<T>> {
    let mut by_row: Vec<Vec<T>> = (0..rows)
        .map(|_| Vec::with_capacity(columns.len()))
        .collect();
    for column in columns {
        for (row, cell) in by_row.iter_mut().zip(column) {
            row.push(cell);
        }
    }
    by_row
}

/// A cell of the report table: [`rule_status`] and the messages.
fn rule_cell<'a>(m: &'a MunicipalitySummary, rule: &Rule, findings: &'a [Finding]) -> RuleCell<'a> {
    let status = rule_status(m, rule.id, findings);
    RuleCell {
        municipality: &m.slug,
        status,
        label: status.danish(),
        messages: findings
            .iter()
            .filter(|f| shown_in_cell(f))
            .map(|f| f.message.as_str())
            .collect(),
        infos: findings.iter().filter(|f| !shown_in_cell(f)).count(),
    }
}

/// Whether a cell shows the finding's message: errors and warnings, the notes that a general
/// standard covers the rule, and the finder's gaps (`FIND-HJAELP`), which are for the council;
/// other notes are only counted.
fn shown_in_cell(f: &Finding) -> bool {
    f.severity != Severity::Info || f.referred || f.rule == "FIND-HJAELP"
}

/// The check report for staff and council at `tjek/`: not linked from the citizen pages.
pub(crate) fn render_check_report(
    content: &Content,
    theme: &Theme,
    matrix: &Matrix,
) -> Result<Page, Diagnostic> {
    let path = "tjek/index.html";
    let mut ctx = super::site_page_context(
        content,
        path,
        "Rapport til medarbejdere og politikere: hvad loven kræver, og hvor let teksten er at læse.",
    );
    ctx.insert("matrix", matrix);
    // The report is for staff and council, never for search engines, base URL or not.
    ctx.insert("noindex", &true);
    let html = theme.render_page("check.html", &ctx, "../")?;
    Ok(Page {
        path: path.to_string(),
        html,
    })
}
