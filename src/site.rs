//! What pages the citizen site has: a flat list of jobs, decided from the content alone.
//!
//! A section exists only when the municipality's file has its topic, so the navigation, the
//! reading guide and the whole-standard page never list something that is not there.

use serde::Serialize;

use crate::load::{Content, LoadedMunicipality};
use crate::model::{Municipality, OfferKind, Site};
use crate::paths::served_slug;
use crate::url::BaseUrl;

mod addresses;
pub mod finder;

pub(crate) use addresses::check_addresses;

/// One topic page of a municipality's site.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SectionDef {
    /// Template name under `templates/sections/` and anchor on the whole-standard page.
    pub id: &'static str,
    /// Folder in the page address.
    pub slug: &'static str,
    /// The citizen's question, used as the page's heading.
    pub heading: &'static str,
    /// Rule IDs of Bek. 1477 the section answers.
    pub rules: &'static [&'static str],
    /// The top-level keys of the municipality's file the section shows. Every key of the
    /// file belongs to exactly one section, save `NOT_TOPICS`; `present` is true when one of
    /// these is there, and otherwise only for the relatives' section, when an offer is for
    /// relatives (the tests in `site/tests.rs` hold the table to that).
    #[serde(skip)]
    pub fields: &'static [&'static str],
    #[serde(skip)]
    pub present: fn(&Municipality) -> bool,
}

/// The keys of a municipality's file that no section shows: who the standard belongs to, the
/// texts of the front page and the reading guide, and the general standard other rules refer to.
#[cfg(test)]
pub(crate) const NOT_TOPICS: &[&str] = &[
    "name",
    "short_name",
    "organisation",
    "title",
    "substances",
    "serves",
    "website",
    "summary",
    "reading_intro",
    "general_standard",
    // Shown first on the front page and in the contact block, not as a topic.
    "help_now",
];

/// The sections in reading order. The order follows Fredericia's structure: first what help
/// there is and for whom, then how to get it and one's rights, then values, staff and quality.
pub const SECTIONS: &[SectionDef] = &[
    SectionDef {
        id: "target-group",
        slug: "hvem-kan-faa-hjaelp",
        heading: "Hvem kan få hjælp?",
        rules: &["§4.1.2"],
        fields: &["target_group"],
        present: |m| m.target_group.is_some(),
    },
    SectionDef {
        id: "offers",
        slug: "tilbud",
        heading: "Hvilken hjælp kan jeg få?",
        rules: &["§4.1.1", "§4.1.4"],
        fields: &["tasks", "structure", "offers"],
        present: |m| !m.offers.is_empty() || m.tasks.is_some() || m.structure.is_some(),
    },
    SectionDef {
        id: "getting-started",
        slug: "kom-i-gang",
        heading: "Hvordan kommer jeg i gang?",
        rules: &["§4.1.5"],
        fields: &["referral"],
        present: |m| m.referral.is_some(),
    },
    SectionDef {
        id: "rights",
        slug: "dine-rettigheder",
        heading: "Hvilke rettigheder har jeg?",
        rules: &["§4.1.6", "§4.1.7"],
        fields: &["guarantee", "free_choice", "anonymity"],
        present: |m| m.guarantee.is_some() || m.free_choice.is_some() || m.anonymity.is_some(),
    },
    SectionDef {
        id: "responsibilities",
        slug: "dit-ansvar",
        heading: "Hvad er dit ansvar?",
        rules: &[],
        fields: &["responsibilities"],
        present: |m| m.responsibilities.is_some(),
    },
    SectionDef {
        id: "plan",
        slug: "plan-og-opfoelgning",
        heading: "Hvordan bliver min behandling planlagt og fulgt op?",
        rules: &["§4.1.8", "§4.1.9", "§4.2"],
        fields: &["treatment_plan", "action_plans", "follow_up"],
        present: |m| {
            m.treatment_plan.is_some() || m.action_plans.is_some() || m.follow_up.is_some()
        },
    },
    SectionDef {
        id: "payment",
        slug: "hvad-koster-det",
        heading: "Hvad koster det?",
        rules: &["§4.1.11"],
        fields: &["payment"],
        present: |m| m.payment.is_some(),
    },
    SectionDef {
        id: "complaints",
        slug: "klage",
        heading: "Hvordan klager jeg?",
        rules: &["§4.1.12"],
        fields: &["complaints"],
        present: |m| m.complaints.is_some(),
    },
    SectionDef {
        id: "user-involvement",
        slug: "indflydelse",
        heading: "Hvordan får jeg indflydelse på min behandling?",
        rules: &["§4.1.10"],
        fields: &["user_involvement"],
        present: |m| m.user_involvement.is_some(),
    },
    SectionDef {
        id: "relatives",
        slug: "paaroerende",
        heading: "Hvilken hjælp kan pårørende få?",
        rules: &[],
        fields: &["relatives"],
        present: |m| m.relatives.is_some() || m.offers.iter().any(is_for_relatives),
    },
    SectionDef {
        id: "children",
        slug: "boern",
        heading: "Hvad med mine børn?",
        rules: &["§4.4"],
        fields: &["children"],
        present: |m| m.children.is_some(),
    },
    SectionDef {
        id: "residential",
        slug: "doegnbehandling",
        heading: "Hvornår kan jeg få døgnbehandling?",
        rules: &["§5"],
        fields: &["residential"],
        present: |m| m.residential.is_some(),
    },
    SectionDef {
        id: "gift-cards",
        slug: "gavekort",
        heading: "Kan jeg få gavekort?",
        rules: &["§4.1.15"],
        fields: &["gift_cards"],
        present: |m| m.gift_cards.is_some(),
    },
    SectionDef {
        id: "goals",
        slug: "maal-og-vaerdier",
        heading: "Hvad er målet med behandlingen?",
        rules: &["§4.1.3"],
        fields: &["goals", "purpose"],
        present: |m| m.goals.is_some() || m.purpose.is_some(),
    },
    SectionDef {
        id: "staff",
        slug: "personale",
        heading: "Hvem er mine behandlere?",
        rules: &["§4.1.13"],
        fields: &["staff"],
        present: |m| m.staff.is_some(),
    },
    SectionDef {
        id: "quality",
        slug: "kvalitet",
        heading: "Hvordan ved vi, om behandlingen virker?",
        rules: &["§4.1.14", "§4.3"],
        fields: &["monitoring"],
        present: |m| m.monitoring.is_some(),
    },
    SectionDef {
        id: "future",
        slug: "fremtiden",
        heading: "Hvad vil kommunen arbejde med fremover?",
        rules: &["§4.5"],
        fields: &["future"],
        present: |m| m.future.is_some(),
    },
    SectionDef {
        id: "other-help",
        slug: "anden-hjaelp",
        heading: "Hvor kan jeg ellers få hjælp?",
        rules: &[],
        fields: &["other_help"],
        present: |m| !m.other_help.is_empty(),
    },
    SectionDef {
        id: "contact",
        slug: "kontakt",
        heading: "Hvordan kontakter jeg jer?",
        rules: &[],
        fields: &["units", "partners"],
        present: |m| !m.units.is_empty() || !m.partners.is_empty(),
    },
    SectionDef {
        id: "law",
        slug: "loven",
        heading: "Hvad siger loven?",
        rules: &[],
        fields: &["law"],
        present: |m| !m.law.is_empty(),
    },
    SectionDef {
        id: "about",
        slug: "om-standarden",
        heading: "Om denne kvalitetsstandard",
        rules: &["§3.3", "§6.1", "§6.2"],
        fields: &["approval"],
        present: |m| m.approval.is_some(),
    },
];

pub(crate) fn is_for_relatives(offer: &crate::model::Offer) -> bool {
    matches!(offer.kind, Some(OfferKind::Relatives | OfferKind::Family))
}

/// The sections a municipality's file has, in reading order: those it tells itself, and those
/// whose rules its general standard covers, which point there.
pub fn sections_of(m: &Municipality) -> Vec<&'static SectionDef> {
    SECTIONS
        .iter()
        .filter(|s| (s.present)(m) || referred(m, s))
        .collect()
}

/// Whether the municipality's general standard covers one of the section's rules.
pub fn referred(m: &Municipality, section: &SectionDef) -> bool {
    m.general_standard
        .as_ref()
        .is_some_and(|g| section.rules.iter().any(|r| g.covers(r)))
}

/// One page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// The site's front page, listing the municipalities.
    Root,
    Glossary,
    /// Redirect to the accessibility statement.
    Was,
    /// A municipality's front page.
    Front {
        m: usize,
    },
    ReadingGuide {
        m: usize,
    },
    Section {
        m: usize,
        section: usize,
    },
    Offer {
        m: usize,
        offer: usize,
    },
    Whole {
        m: usize,
    },
    /// A municipality served by another, pointing to its standard.
    Served {
        m: usize,
        served: usize,
    },
    /// An approved version of the standard as one page: `version` indexes
    /// `history.versions` of the municipality.
    Version {
        m: usize,
        version: usize,
    },
    /// The change report: what changed since the latest approval (draft builds only).
    Changes {
        m: usize,
    },
    /// A page of the finder "Hvilken hjælp passer til mig?" (see [`finder`]): a question, or
    /// the offers that fit the answers.
    Finder {
        m: usize,
        answers: finder::Answers,
    },
    /// The standard as open data, `<slug>/kvalitetsstandard.json` (published builds only).
    Data {
        m: usize,
    },
    /// Every municipality's open data in one file, `data/alle.json` (published builds only).
    AllData,
    /// `sitemap.xml`: the public pages for search engines (with a `base_url`, not in a draft).
    Sitemap,
    /// `robots.txt`, naming the sitemap (with a `base_url`).
    Robots,
    /// `404.html`: the page a web server shows for an address that has no page (with a
    /// `base_url`, whose path its links start from).
    NotFound,
    /// `skjul-dit-besoeg/`: how to hide a visit to the site (with `quick_exit`, whose link
    /// every page has beside "Forlad siden hurtigt").
    HideVisit,
}

impl Job {
    /// The municipality the page belongs to; `None` for site-wide pages.
    pub fn municipality(&self) -> Option<usize> {
        match *self {
            Job::Root
            | Job::Glossary
            | Job::Was
            | Job::AllData
            | Job::Sitemap
            | Job::Robots
            | Job::NotFound
            | Job::HideVisit => None,
            Job::Front { m }
            | Job::ReadingGuide { m }
            | Job::Section { m, .. }
            | Job::Offer { m, .. }
            | Job::Whole { m }
            | Job::Served { m, .. }
            | Job::Version { m, .. }
            | Job::Changes { m }
            | Job::Finder { m, .. }
            | Job::Data { m } => Some(m),
        }
    }

    /// Path of the written file, relative to the output folder.
    pub fn path(&self, content: &Content) -> String {
        self.path_in(self.municipality().map(|m| &content.municipalities[m]))
    }

    /// [`Job::path`], given the job's municipality: `lm` is `None` only for site-wide pages.
    pub(crate) fn path_in(&self, lm: Option<&LoadedMunicipality>) -> String {
        let slug = lm.map_or("", |lm| lm.slug.as_str());
        match *self {
            Job::Root => "index.html".to_string(),
            Job::Glossary => "ordliste/index.html".to_string(),
            Job::Was => "was/index.html".to_string(),
            Job::Front { .. } => format!("{slug}/index.html"),
            Job::ReadingGuide { .. } => format!("{slug}/laesevejledning/index.html"),
            Job::Section { section, .. } => {
                format!("{slug}/{}/index.html", SECTIONS[section].slug)
            }
            Job::Offer { offer, .. } => format!(
                "{slug}/tilbud/{}/index.html",
                lm.map_or("", |lm| lm.data.offers[offer].id.as_str())
            ),
            Job::Whole { .. } => format!("{slug}/hele-standarden/index.html"),
            Job::Served { served, .. } => format!(
                "{}/index.html",
                served_slug(lm.map_or("", |lm| lm.data.serves[served].as_str()))
            ),
            Job::Version { version, .. } => format!(
                "{slug}/version/{}/index.html",
                lm.map_or("", |lm| lm.history.versions[version].date.as_str())
            ),
            Job::Changes { .. } => format!("{slug}/{CHANGES_SLUG}/index.html"),
            Job::Finder { answers, .. } => format!(
                "{slug}/{}/{}index.html",
                finder::FINDER_SLUG,
                answers.folders()
            ),
            Job::Data { .. } => format!("{slug}/{DATA_FILE}"),
            Job::AllData => ALL_DATA_PATH.to_string(),
            Job::Sitemap => "sitemap.xml".to_string(),
            Job::Robots => "robots.txt".to_string(),
            Job::NotFound => "404.html".to_string(),
            Job::HideVisit => format!("{HIDE_VISIT_SLUG}/index.html"),
        }
    }
}

/// Every page of the site.
pub(crate) fn jobs(content: &Content) -> Vec<Job> {
    let mut jobs = site_wide_jobs(&content.site, content.draft);
    for (m, lm) in content.municipalities.iter().enumerate() {
        jobs.extend(municipality_jobs(m, &lm.data));
        jobs.extend(version_jobs(m, lm));
        jobs.extend(changes_job(m, lm, content.draft));
        jobs.extend((!content.draft).then_some(Job::Data { m }));
    }
    if !content.draft {
        jobs.push(Job::AllData);
    }
    jobs
}

/// The folder of the page on hiding a visit (see [`Job::HideVisit`]).
pub const HIDE_VISIT_SLUG: &str = "skjul-dit-besoeg";

/// The open data file's name in a municipality's folder (see [`Job::Data`]).
pub const DATA_FILE: &str = "kvalitetsstandard.json";

/// The path of the open data of every municipality (see [`Job::AllData`]).
pub const ALL_DATA_PATH: &str = "data/alle.json";

/// The folder of the change report below a municipality's folder.
pub(crate) const CHANGES_SLUG: &str = "aendringer";

/// The change report of the municipality numbered `m`, if it has one (see
/// [`has_change_report`]).
pub(crate) fn changes_job(m: usize, lm: &LoadedMunicipality, draft: bool) -> Option<Job> {
    has_change_report(lm, draft).then_some(Job::Changes { m })
}

/// Whether the municipality has a change report: in a draft build, when it has an approved
/// copy to compare its working file with (`history.versions`).
pub(crate) fn has_change_report(lm: &LoadedMunicipality, draft: bool) -> bool {
    draft && !lm.history.versions.is_empty()
}

/// The pages that belong to no municipality, as [`jobs`] has them: with a usable `base_url`
/// also the files for search engines and web servers (a draft build has no sitemap, and its
/// `robots.txt` turns search engines away).
pub(crate) fn site_wide_jobs(site: &Site, draft: bool) -> Vec<Job> {
    let mut jobs = vec![Job::Root, Job::Glossary];
    if site.accessibility_statement.is_some() {
        jobs.push(Job::Was);
    }
    if site.quick_exit.is_some() {
        jobs.push(Job::HideVisit);
    }
    if site.base_url.as_deref().and_then(BaseUrl::parse).is_some() {
        if !draft {
            jobs.push(Job::Sitemap);
        }
        jobs.extend([Job::Robots, Job::NotFound]);
    }
    jobs
}

/// The pages of the municipality numbered `m`, as [`jobs`] has them.
pub(crate) fn municipality_jobs(m: usize, data: &Municipality) -> Vec<Job> {
    let mut jobs = vec![Job::Front { m }, Job::ReadingGuide { m }];
    for (section, def) in SECTIONS.iter().enumerate() {
        if (def.present)(data) || referred(data, def) {
            jobs.push(Job::Section { m, section });
        }
    }
    for (offer, o) in data.offers.iter().enumerate() {
        if o.has_page {
            jobs.push(Job::Offer { m, offer });
        }
    }
    jobs.push(Job::Whole { m });
    jobs.extend(
        finder::pages(data)
            .into_iter()
            .map(|answers| Job::Finder { m, answers }),
    );
    for served in 0..data.serves.len() {
        jobs.push(Job::Served { m, served });
    }
    jobs
}

/// The pages of the approved versions of the municipality numbered `m`, oldest first, as
/// [`jobs`] has them right after [`municipality_jobs`].
pub(crate) fn version_jobs(m: usize, lm: &LoadedMunicipality) -> impl Iterator<Item = Job> {
    (0..lm.history.versions.len()).map(move |version| Job::Version { m, version })
}

#[cfg(test)]
mod tests;
