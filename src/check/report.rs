//! Everything one run found: the findings, sorted, and what each municipality's summary says.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{CheckOptions, Finding, MunicipalityCheck, SiteCheck, sort_part};
use crate::diagnostic::Severity;
use crate::load::Content;
use crate::model::PartialDate;
use crate::rules::{RULES, Rule, SITE_RULES, requirement, rule_index};

/// How a municipality's standard meets a rule, for the report page and the JSON. It says no
/// more than the checks found: "present" means every part the regulation names is mentioned
/// (see `parts`), not that a lawyer has read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every part is there, and nothing disagrees.
    Present,
    /// There, but a part the regulation names is not mentioned, or the text is a sentence or two.
    Partial,
    Missing,
    /// Something stated is wrong: against the law, against another fact, or out of date.
    Wrong,
    /// §5 when no residential treatment is offered.
    NotApplicable,
    /// Covered by the municipality's general standard, which the finding names.
    Referred,
}

impl Status {
    /// The word the report page shows.
    pub fn danish(self) -> &'static str {
        match self {
            Status::Present => "beskrevet",
            Status::Partial => "delvis",
            Status::Missing => "mangler",
            Status::Wrong => "forkert",
            Status::NotApplicable => "ikke relevant",
            Status::Referred => "henvist",
        }
    }

    /// What the word means, in a sentence for the report page.
    pub fn explanation(self) -> &'static str {
        match self {
            Status::Present => {
                "Standarden nævner alle de dele, loven kræver, og tallene passer sammen. Tjekket kan ikke vurdere, om beskrivelsen er god nok."
            }
            Status::Partial => {
                "Emnet er der, men en del af kravet mangler, eller teksten er kun en sætning eller to."
            }
            Status::Missing => "Standarden siger ikke noget om emnet.",
            Status::Wrong => {
                "Noget i standarden er forkert: det strider mod loven, mod et andet tal i standarden, eller en dato er overskredet."
            }
            Status::NotApplicable => {
                "Kravet gælder ikke for kommunen, fx krav til døgnbehandling, når kommunen ikke tilbyder døgnbehandling."
            }
            Status::Referred => {
                "Emnet står i kommunens generelle kvalitetsstandard, som standarden henviser til."
            }
        }
    }

    /// Every status, in the order the report page explains them.
    pub(crate) const ALL: [Status; 6] = [
        Status::Present,
        Status::Partial,
        Status::Missing,
        Status::Wrong,
        Status::Referred,
        Status::NotApplicable,
    ];
}

/// LIX of one page section (or of a whole standard).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionLix {
    /// Stable id: `forside`, `garanti`, `tilbud/ambulant`, ...
    pub section: String,
    pub title: String,
    /// The section's place in the order of the standard's pages, the same in every
    /// municipality; all offers share one (see `sections::sections`).
    #[serde(skip)]
    pub place: u8,
    /// Rounded to one decimal; `None` when the section has no words.
    pub lix: Option<f64>,
    /// Danish band name: "meget let", "let", "middel", "svær", "meget svær".
    pub band: Option<&'static str>,
    pub words: usize,
    pub sentences: usize,
    pub long_words: usize,
    pub long_sentences: usize,
    /// Whether the rounded LIX is above the site's `lix_warning`.
    pub above_limit: bool,
}

impl SectionLix {
    pub(crate) fn is_offer(&self) -> bool {
        self.section.starts_with(OFFER_SECTION)
    }
}

/// How the id of an offer's section begins: `tilbud/<offer id>`.
pub(super) const OFFER_SECTION: &str = "tilbud/";

/// The place of the whole standard's LIX, which is not a section.
pub(super) const WHOLE_PLACE: u8 = u8::MAX;

/// A municipality as the report knows it.
#[derive(Debug, Clone, Serialize)]
pub struct MunicipalitySummary {
    pub slug: String,
    pub name: String,
    pub file: PathBuf,
    /// LIX of the whole standard (law quotes left out).
    pub lix_total: SectionLix,
    /// LIX per page section, in reading order; offers are `tilbud/<id>`.
    pub lix: Vec<SectionLix>,
    /// The municipality's findings by severity.
    #[serde(skip)]
    pub counts: Counts,
    /// LIX of all the offers together, as the check report shows them; `None` without offers.
    #[serde(skip)]
    pub lix_offers: Option<SectionLix>,
    #[serde(skip)]
    pub(crate) residential_offered: bool,
    /// Sorted by rule in the order of the regulation, then by line (see `sort_part`).
    #[serde(skip)]
    pub(super) findings: Vec<Finding>,
}

impl MunicipalitySummary {
    /// The municipality's findings, by rule in the order of the regulation, then by line: each
    /// rule's findings are one run.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }
}

/// A link to a page of the site, waiting to be resolved against the page list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InternalLink {
    pub municipality: Option<String>,
    pub file: PathBuf,
    pub line: Option<usize>,
    pub key: String,
    pub target: String,
}

/// Everything one run found.
#[derive(Debug, Clone)]
pub struct Report {
    pub reference_date: PartialDate,
    pub lix_warning: f64,
    /// The findings about the site as a whole (`site.toml`), sorted as each municipality's are.
    pub(super) site_findings: Vec<Finding>,
    /// In file order, each with its own findings and their counts: the report page and the
    /// build's summary are made from the counts and each municipality's findings without a
    /// pass over every finding, which at national scale has to read them all back from main
    /// memory.
    pub municipalities: Vec<MunicipalitySummary>,
    /// Internal links found in prose. The checker can only see that they are well-formed;
    /// [`Report::resolve_internal_links`] checks them against the pages once they are known.
    pub internal_links: Vec<InternalLink>,
    pub(super) site_file: PathBuf,
}

/// Counts by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub(super) fn add(&mut self, other: Counts) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
    }

    pub(super) fn count(&mut self, f: &Finding) {
        match f.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }

    pub(super) fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Counts {
        let mut c = Counts::default();
        for f in findings {
            c.count(f);
        }
        c
    }
}

impl Report {
    /// Every finding: the site's first, then each municipality's in file order; within each,
    /// by rule order, then line.
    pub fn findings(&self) -> Findings<'_> {
        Findings { report: self }
    }

    /// The findings about the site as a whole (`site.toml`).
    pub fn site_findings(&self) -> &[Finding] {
        &self.site_findings
    }

    /// Each municipality with its findings, in the order of `municipalities`.
    pub(crate) fn findings_by_municipality(
        &self,
    ) -> impl Iterator<Item = (&MunicipalitySummary, &[Finding])> {
        self.municipalities.iter().map(|m| (m, m.findings()))
    }

    pub fn counts(&self) -> Counts {
        let mut all = Counts::of(self.site_findings());
        for m in &self.municipalities {
            all.add(m.counts);
        }
        all
    }

    /// Counts for one municipality (`None`: the site as a whole).
    pub fn counts_for(&self, municipality: Option<&str>) -> Counts {
        match municipality {
            None => Counts::of(self.site_findings()),
            Some(slug) => self
                .municipalities
                .iter()
                .find(|m| m.slug == slug)
                .map_or_else(Counts::default, |m| m.counts),
        }
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.counts().errors > 0
    }

    /// Whether a run passes: no errors, and no warnings when they are denied.
    pub fn passes(&self, deny_warnings: bool) -> bool {
        let c = self.counts();
        c.errors == 0 && (!deny_warnings || c.warnings == 0)
    }

    /// One Danish line for `kvalitet build`, e.g.
    /// "Tjek: 3 fejl, 12 advarsler i 2 kommuner (kør kvalitet check for detaljer)".
    pub fn summary_line(&self) -> String {
        let c = self.counts();
        if c.errors == 0 && c.warnings == 0 {
            return "Tjek: ingen fejl eller advarsler".to_string();
        }
        let places = self
            .municipalities
            .iter()
            .filter(|m| m.counts.errors + m.counts.warnings > 0)
            .count();
        let warnings = if c.warnings == 1 {
            "1 advarsel".to_string()
        } else {
            format!("{} advarsler", c.warnings)
        };
        let where_ = match places {
            0 => " i site.toml".to_string(),
            1 => " i 1 kommune".to_string(),
            n => format!(" i {n} kommuner"),
        };
        format!(
            "Tjek: {} fejl, {warnings}{where_} (kør kvalitet check for detaljer)",
            c.errors
        )
    }

    /// How each municipality meets one rule.
    pub fn status(&self, municipality: &str, rule: &str) -> Status {
        match self
            .findings_by_municipality()
            .find(|(m, _)| m.slug == municipality)
        {
            Some((m, mine)) => {
                // Each rule's findings are one run (see `sort_part`).
                let of_rule = mine
                    .chunk_by(|a, b| a.rule == b.rule)
                    .find(|run| run[0].rule == rule);
                rule_status(m, rule, of_rule.unwrap_or(&[]))
            }
            None => Status::Present,
        }
    }
    /// Checks internal links against the pages of the site. `exists(municipality, target)`
    /// says whether a link target written in that municipality's file leads to a page or
    /// anchor. Each link that does not is added as a `LINK` warning.
    pub(crate) fn resolve_internal_links(&mut self, exists: impl Fn(Option<&str>, &str) -> bool) {
        let mut broken = Vec::new();
        for link in &self.internal_links {
            if !exists(link.municipality.as_deref(), &link.target) {
                broken.push(Finding {
                    rule: "LINK",
                    severity: Severity::Warning,
                    missing: false,
                    partial: false,
                    referred: false,
                    municipality: link.municipality.clone(),
                    message: format!("Linket «{}» fører ikke til en side på sitet", link.target),
                    requirement: requirement("LINK"),
                    file: link.file.clone(),
                    line: link.line,
                    column: None,
                    key: Some(link.key.clone()),
                    hint: Some(
                        "Ret adressen, så den peger på en side, der findes, eller fjern linket"
                            .to_string(),
                    ),
                });
            }
        }
        if broken.is_empty() {
            return;
        }
        // A map, not a search per link: a national site may have many links that lead nowhere.
        let place: HashMap<&str, usize> = self
            .municipalities
            .iter()
            .enumerate()
            .map(|(i, m)| (m.slug.as_str(), i))
            .collect();
        let placed: Vec<(Option<usize>, Finding)> = broken
            .into_iter()
            .map(|f| {
                let m = f
                    .municipality
                    .as_deref()
                    .and_then(|s| place.get(s).copied());
                (m, f)
            })
            .collect();
        let mut touched = vec![false; self.municipalities.len()];
        let mut site_touched = false;
        for (m, f) in placed {
            match m {
                Some(m) => {
                    self.municipalities[m].findings.push(f);
                    touched[m] = true;
                }
                // Only a link in `site.toml` has no municipality.
                None => {
                    self.site_findings.push(f);
                    site_touched = true;
                }
            }
        }
        // Each part was sorted (see `Report::assemble`): only those with new findings are
        // sorted again, and counted again.
        if site_touched {
            sort_part(&mut self.site_findings);
        }
        for (m, _) in self
            .municipalities
            .iter_mut()
            .zip(touched)
            .filter(|(_, touched)| *touched)
        {
            sort_part(&mut m.findings);
            m.counts = Counts::of(&m.findings);
        }
    }

    /// The findings grouped by place: the site first (`None`), then each municipality in file
    /// order. Places without findings are left out.
    pub fn by_municipality(&self) -> Vec<(Option<&str>, &[Finding])> {
        let site = Some((None, self.site_findings())).filter(|(_, f)| !f.is_empty());
        site.into_iter()
            .chain(
                self.findings_by_municipality()
                    .filter(|(_, f)| !f.is_empty())
                    .map(|(m, f)| (Some(m.slug.as_str()), f)),
            )
            .collect()
    }

    /// The file of the site settings.
    pub fn site_file(&self) -> &Path {
        &self.site_file
    }
}

/// The rules that each municipality is judged on, one by one: every rule but those that
/// concern the whole site ([`SITE_RULES`]: `WAS`, `WEBADRESSE`). In [`RULES`] order, as the
/// report page's rows and the JSON's `rules` list them.
pub(crate) fn municipality_rules() -> impl Iterator<Item = &'static Rule> {
    RULES.iter().filter(|r| !SITE_RULES.contains(&r.id))
}

/// Each of [`municipality_rules`] with one municipality's findings about it, in one walk along
/// them: `mine` is sorted (see `sort_part`), so each rule's findings are one run. A national
/// report has tens of thousands of findings, so there are no lookups.
pub(crate) fn rule_runs(mine: &[Finding]) -> impl Iterator<Item = (&'static Rule, &[Finding])> {
    let mut by_rule = mine.chunk_by(|a, b| a.rule == b.rule).peekable();
    municipality_rules().map(move |r| {
        // Runs of rules that have no row here (`WAS`) come before their turn.
        let row = rule_index(r.id);
        while by_rule
            .next_if(|run| rule_index(run[0].rule) < row)
            .is_some()
        {}
        let found = by_rule.next_if(|run| run[0].rule == r.id);
        (r, found.unwrap_or(&[]))
    })
}

/// How one municipality meets one rule, from the findings about that rule there: §5 does not
/// apply where the municipality offers no residential treatment.
pub(crate) fn rule_status(m: &MunicipalitySummary, rule: &str, findings: &[Finding]) -> Status {
    if rule == "§5" && !m.residential_offered {
        Status::NotApplicable
    } else {
        status_of(findings)
    }
}

/// Missing when a non-info finding says the topic is absent; wrong when another non-info
/// finding is not about a missing part; partial when one is; referred when the general
/// standard covers the rule; present otherwise.
fn status_of(findings: &[Finding]) -> Status {
    let loud = || findings.iter().filter(|f| f.severity != Severity::Info);
    if loud().any(|f| f.missing) {
        Status::Missing
    } else if loud().any(|f| !f.partial) {
        Status::Wrong
    } else if loud().next().is_some() {
        Status::Partial
    } else if findings.iter().any(|f| f.referred) {
        Status::Referred
    } else {
        Status::Present
    }
}

impl Report {
    /// The report from its parts: the site's and each municipality's, in the order of
    /// `content.municipalities`. Internal links are not resolved yet, so only the pipeline's
    /// `findings` calls it; everyone else gets reports from `crate::build::check_content`.
    pub fn assemble(
        content: &Content,
        options: &CheckOptions,
        site: SiteCheck,
        municipalities: Vec<MunicipalityCheck>,
    ) -> Report {
        let SiteCheck {
            findings,
            mut internal_links,
        } = site;
        let mut summaries = Vec::with_capacity(municipalities.len());
        for part in municipalities {
            summaries.push(part.summary);
            internal_links.extend(part.internal_links);
        }
        // Each part comes sorted (see `sort_part`).
        debug_assert!(
            std::iter::once(&findings)
                .chain(summaries.iter().map(|m| &m.findings))
                .all(|part| {
                    let mut sorted = part.clone();
                    sort_part(&mut sorted);
                    &sorted == part
                })
        );
        Report {
            reference_date: options.reference_date,
            lix_warning: options.lix_warning,
            site_findings: findings,
            municipalities: summaries,
            internal_links,
            site_file: content.site_source.path.clone(),
        }
    }
}

/// Every finding of a [`Report`], in its order (see [`Report::findings`]), read where each
/// part keeps its own.
#[derive(Clone, Copy)]
pub struct Findings<'a> {
    report: &'a Report,
}

impl<'a> Findings<'a> {
    pub fn iter(self) -> impl Iterator<Item = &'a Finding> {
        let report = self.report;
        report
            .site_findings
            .iter()
            .chain(report.municipalities.iter().flat_map(|m| &m.findings))
    }

    pub fn len(self) -> usize {
        let report = self.report;
        report.site_findings.len()
            + report
                .municipalities
                .iter()
                .map(|m| m.findings.len())
                .sum::<usize>()
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

impl std::fmt::Debug for Findings<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}
