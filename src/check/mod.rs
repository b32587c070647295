//! `kvalitet check`: what the regulation requires, and whether citizens can read it.
//!
//! The checker reads the typed model and reports findings: a rule ID (`§4.2`, or `LIX`,
//! `SÆTNING`, `ORD`, `LINK`, `KONTAKT`, `WAS` for checks the regulation does not name), a
//! severity, a Danish message, and where in which file the content is (or the file where it
//! should be added). It never changes content and never invents facts: a topic the model does
//! not have is reported as missing.
//!
//! The same [`Report`] feeds three readers: the terminal (`kvalitet check`), the one-line
//! summary of `kvalitet build` ([`Report::summary_line`]) and the check report page for staff
//! and council ([`Report::matrix`], whose view model lives in `render::check_page`).

mod addresses;
mod baseline;
mod checker;
mod contact;
mod contradictions;
mod dates;
mod finder;
mod finding;
mod headings;
mod help_now;
mod json;
mod language;
mod legal;
mod parts;
mod report;

mod sections;
mod terms;

use rayon::prelude::*;

use crate::diagnostic::Severity;
use crate::load::{Content, LoadedMunicipality};
use crate::model::PartialDate;

pub(crate) use crate::rules::Rule;
pub use crate::rules::{RULES, rule};
pub use dates::parse_reference_date;
pub(crate) use dates::today;
pub use finding::Finding;
pub(crate) use report::{Counts, Findings, InternalLink, MunicipalitySummary, SectionLix};
pub use report::{Report, Status};

use crate::rules::rule_index;
pub(crate) use report::{municipality_rules, rule_runs, rule_status};

use checker::Checker;
use terms::UnexplainedTerms;

/// Settings for one run.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// "Today" for revision dates: settable so that a run can be repeated with the same result.
    pub reference_date: PartialDate,
    /// LIX above which a text is reported; `site.toml`'s `lix_warning`.
    pub lix_warning: f64,
}

impl CheckOptions {
    /// Today's date and the site's LIX limit.
    pub fn for_site(site: &crate::model::Site) -> Self {
        CheckOptions {
            reference_date: today(),
            lix_warning: site.lix_warning,
        }
    }
}

/// Checks the site and every municipality, in file order, without assembling the report:
/// the preview keeps the parts to check again only what a save changed. A whole report, with
/// its internal links resolved, comes from `crate::build::check_content`.
pub(crate) fn check_parts(
    content: &Content,
    options: &CheckOptions,
) -> (SiteCheck, Vec<MunicipalityCheck>) {
    let prepared = PreparedCheck::new(&content.site, options);
    let site = prepared.site(content);
    // Municipalities are independent, so they are checked in parallel; `Report::assemble`
    // joins them in file order and sorts.
    let municipalities = content
        .municipalities
        .par_iter()
        .map(|m| prepared.municipality(m))
        .collect();
    (site, municipalities)
}

/// What every check of a site's parts needs from `site.toml`, worked out once, so that the
/// parts can be checked one at a time: a build checks each municipality as soon as it is
/// loaded, while its content is still in the processor's cache.
pub(crate) struct PreparedCheck<'o> {
    options: &'o CheckOptions,
    unexplained: UnexplainedTerms,
}

impl<'o> PreparedCheck<'o> {
    pub(crate) fn new(site: &crate::model::Site, options: &'o CheckOptions) -> Self {
        PreparedCheck {
            options,
            unexplained: UnexplainedTerms::new(site),
        }
    }

    /// Checks `site.toml`; part of [`check_parts`].
    pub(crate) fn site(&self, content: &Content) -> SiteCheck {
        check_site_with(content, self.options, &self.unexplained)
    }

    /// Checks one municipality; part of [`check_parts`].
    pub(crate) fn municipality(&self, m: &LoadedMunicipality) -> MunicipalityCheck {
        check_municipality_with(m, self.options, &self.unexplained)
    }
}

/// What checking `site.toml` found, before internal links are resolved.
#[derive(Debug, Clone)]
pub struct SiteCheck {
    pub findings: Vec<Finding>,
    pub internal_links: Vec<InternalLink>,
}

/// What checking one municipality found, before internal links are resolved: the summary
/// holds the findings. It depends only on the municipality's own file, its approved copies,
/// `site.toml` and the options, so the preview keeps it between saves of other files.
#[derive(Debug, Clone)]
pub struct MunicipalityCheck {
    pub summary: MunicipalitySummary,
    pub internal_links: Vec<InternalLink>,
}

/// Checks one municipality; part of [`check_parts`].
pub(crate) fn check_municipality(
    site: &crate::model::Site,
    m: &LoadedMunicipality,
    options: &CheckOptions,
) -> MunicipalityCheck {
    PreparedCheck::new(site, options).municipality(m)
}

fn check_site_with(
    content: &Content,
    options: &CheckOptions,
    unexplained: &UnexplainedTerms,
) -> SiteCheck {
    let site = &content.site;
    let mut findings = Vec::new();
    let mut internal_links = Vec::new();

    // The site as a whole.
    {
        let mut c = Checker {
            slug: None,
            source: &content.site_source,
            options,
            unexplained,
            findings: &mut findings,
            internal_links: &mut internal_links,
            general: None,
        };
        match &site.accessibility_statement {
            None => c
                .finding("WAS", Severity::Warning)
                .missing()
                .message("Der er ingen tilgængelighedserklæring. Offentlige hjemmesider skal linke til deres tilgængelighedserklæring")
                .key("accessibility_statement")
                .hint("Lav erklæringen i Digitaliseringsstyrelsens WAS-Tool, og skriv linket i site.toml: accessibility_statement = \"https://www.was.digst.dk/...\"")
                .push(),
            Some(url) => c.url("WAS", "accessibility_statement", url),
        }
        match &site.base_url {
            None => c
                .finding("WEBADRESSE", Severity::Warning)
                .missing()
                .message("Hjemmesidens adresse (base_url) står ikke i site.toml. Uden den får siderne ingen fast adresse, og søgemaskiner får intet sitemap.xml at finde dem i")
                .key("base_url")
                .hint("Skriv adressen, som hjemmesiden bliver lagt ud på, i site.toml: base_url = \"https://rusmiddel.kommune.dk/\". Så laver kvalitet build også sitemap.xml, robots.txt og en side til adresser, der ikke findes (404.html)")
                .push(),
            Some(url) => c.url("LINK", "base_url", url),
        }
        c.help_lines(&site.help_now);
        c.always_open_line(&site.help_now);
        if let Some(intro) = &site.intro {
            c.language("intro", &intro.text);
            c.links("intro", intro);
        }
        for (i, entry) in site.glossary.iter().enumerate() {
            c.links(&format!("glossary[{i}].explanation"), &entry.explanation);
        }
    }
    sort_part(&mut findings);
    SiteCheck {
        findings,
        internal_links,
    }
}

fn check_municipality_with(
    m: &LoadedMunicipality,
    options: &CheckOptions,
    unexplained: &UnexplainedTerms,
) -> MunicipalityCheck {
    let mut findings = Vec::new();
    let mut internal_links = Vec::new();
    let mut c = Checker {
        slug: Some(&m.slug),
        source: &m.source,
        options,
        unexplained,
        findings: &mut findings,
        internal_links: &mut internal_links,
        general: m.data.general_standard.as_ref(),
    };
    let mut summary = c.municipality(m);
    sort_part(&mut findings);
    summary.counts = Counts::of(&findings);
    summary.findings = findings;
    MunicipalityCheck {
        summary,
        internal_links,
    }
}

/// Sorts and deduplicates the findings of one part (the site, or one municipality): by rule in
/// the order of the regulation, then by line. The parts are sorted in parallel, each while its
/// content is in cache, and [`Report::assemble`] only gathers them: a national report has tens
/// of thousands of findings.
pub(super) fn sort_part(findings: &mut Vec<Finding>) {
    findings.sort_by_cached_key(|f| (rule_index(f.rule), f.line.unwrap_or(0), f.severity));
    findings.dedup();
}
