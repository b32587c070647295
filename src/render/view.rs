//! What templates see of a municipality, of the list of municipalities and of the whole
//! standard: the generator's own view types, serialised once per municipality.

use serde::Serialize;
use tera::Value;

use crate::load::LoadedMunicipality;
use crate::model::{Municipality, Offer, PartialDate, Substance, Unit};
use crate::site::{self, SectionDef};

/// A link in the navigation or the reading guide.
#[derive(Debug, Serialize)]
pub(super) struct NavItem {
    id: &'static str,
    heading: &'static str,
    /// What the section holds, from the parts of its topic the file has (see [`guide_line`]).
    guide: String,
    url: String,
    rules: &'static [&'static str],
}

/// What templates see of a municipality: its content plus what the generator works out.
#[derive(Serialize)]
struct MunicipalityView<'a> {
    slug: &'a str,
    #[serde(flatten)]
    data: &'a Municipality,
    /// The sections that exist, in reading order (URLs relative to the site root).
    sections: Vec<NavItem>,
    /// The unit to show in the contact block on every page.
    main_unit: Option<&'a Unit>,
    /// The served municipalities, with their page addresses.
    served: Vec<Served<'a>>,
    relatives_offers: Vec<usize>,
    has_anonymous_offer: bool,
    /// The substances the standard covers, as Danish words, drugs first, each once: empty when
    /// `substances` names none, so that no heading names a substance the standard leaves out.
    substance_words: Vec<&'static str>,
    /// What the contact page lists ("adresse, telefonnumre og åbningstider"), from the facts
    /// the units have; `None` when they have none of them or there are no units.
    contact_facts: Option<String>,
    /// When the standard was approved, ready to follow "Den er godkendt": "den 17. december
    /// 2024", "i juni 2023"; `None` without `approval.approved_on`.
    approved_when: Option<String>,
    /// The contact page's address (relative to the site root), where it exists: a name-only
    /// offer links there.
    contact_url: Option<String>,
    /// The offers under their group headings, groups in the order of their first offer and
    /// the offers without a group last (`name` is `None`); empty when no offer has a group.
    offer_groups: Vec<OfferGroup<'a>>,
    /// The approved versions, newest first (see [`versions`]); empty without approved copies.
    versions: Vec<VersionEntry<'a>>,
    /// The change report's address (relative to the site root), in a draft build where the
    /// municipality has an approved copy (see [`site::has_change_report`]); `None` otherwise.
    changes_url: Option<String>,
}

/// An approved version of the standard, as the history on "Om denne kvalitetsstandard" lists
/// it and as the note atop its own page tells it.
#[derive(Serialize, Clone)]
pub(super) struct VersionEntry<'a> {
    /// The approval's date in words, "17. december 2024", and as `ÅÅÅÅ-MM-DD`.
    date: String,
    iso: &'a str,
    /// The body that approved it, from the copy's `approval.approved_by`.
    approved_by: Option<&'a str>,
    /// Its page, relative to the site root.
    url: String,
    /// Whether it is the version that applies now: the latest approved one.
    current: bool,
}

/// The approved versions of `lm`, newest first.
pub(super) fn versions(lm: &LoadedMunicipality) -> Vec<VersionEntry<'_>> {
    let all = &lm.history.versions;
    all.iter()
        .enumerate()
        .rev()
        .map(|(i, v)| VersionEntry {
            date: PartialDate::parse(&v.date).map_or_else(|_| v.date.clone(), |d| d.danish()),
            iso: &v.date,
            approved_by: v
                .loaded
                .data
                .approval
                .as_ref()
                .and_then(|a| a.approved_by.as_deref()),
            url: format!("{}/version/{}/", lm.slug, v.date),
            current: i + 1 == all.len(),
        })
        .collect()
}

/// What the page of an earlier version says atop it: which version it is, and which applies
/// now and where to read it.
#[derive(Serialize)]
pub(super) struct VersionNote<'a> {
    #[serde(flatten)]
    this: VersionEntry<'a>,
    /// The version that applies now, and the page that shows it: the whole-standard page
    /// when the site shows the approved text, its own page in a draft build.
    now: VersionEntry<'a>,
    now_url: String,
}

/// The note for the page of version `version` of `lm` (an index into `history.versions`).
pub(super) fn version_note(
    lm: &LoadedMunicipality,
    version: usize,
    draft: bool,
) -> VersionNote<'_> {
    let mut all = versions(lm);
    // Newest first: the version that applies now is the first.
    let this = all.remove(all.len() - 1 - version);
    let now = if this.current {
        this.clone()
    } else {
        all.remove(0)
    };
    let now_url = if draft {
        now.url.clone()
    } else {
        format!("{}/hele-standarden/", lm.slug)
    };
    VersionNote { this, now, now_url }
}

#[derive(Serialize)]
struct OfferGroup<'a> {
    name: Option<&'a str>,
    offers: Vec<&'a Offer>,
}

fn offer_groups(offers: &[Offer]) -> Vec<OfferGroup<'_>> {
    if offers.iter().all(|o| o.group.is_none()) {
        return Vec::new();
    }
    let mut groups: Vec<OfferGroup> = Vec::new();
    let mut others = Vec::new();
    for offer in offers {
        let Some(name) = offer.group.as_deref().map(str::trim) else {
            others.push(offer);
            continue;
        };
        match groups.iter_mut().find(|g| g.name == Some(name)) {
            Some(group) => group.offers.push(offer),
            None => groups.push(OfferGroup {
                name: Some(name),
                offers: vec![offer],
            }),
        }
    }
    if !others.is_empty() {
        groups.push(OfferGroup {
            name: None,
            offers: others,
        });
    }
    groups
}

#[derive(Serialize)]
pub(super) struct Served<'a> {
    name: &'a str,
    slug: String,
}

/// The municipalities `m` serves, with their page addresses.
pub(super) fn served_of(m: &Municipality) -> Vec<Served<'_>> {
    m.serves
        .iter()
        .map(|name| Served {
            name,
            slug: crate::paths::served_slug(name),
        })
        .collect()
}

#[derive(Serialize)]
pub(super) struct Crumb {
    pub(super) title: String,
    pub(super) url: String,
}

pub(super) fn municipality_view(lm: &LoadedMunicipality, draft: bool) -> Value {
    let m = &lm.data;
    let sections: Vec<NavItem> = site::sections_of(m)
        .into_iter()
        .map(|s| nav_item(&lm.slug, m, s))
        .collect();
    let contact_url = sections
        .iter()
        .find(|s| s.id == "contact")
        .map(|s| s.url.clone());
    let main_unit = m.units.iter().find(|u| u.has_phone()).or(m.units.first());
    let view = MunicipalityView {
        slug: &lm.slug,
        data: m,
        sections,
        main_unit,
        served: served_of(m),
        relatives_offers: m
            .offers
            .iter()
            .enumerate()
            .filter(|(_, o)| site::is_for_relatives(o))
            .map(|(i, _)| i)
            .collect(),
        has_anonymous_offer: m.offers.iter().any(|o| o.anonymous),
        substance_words: substance_words(m),
        contact_facts: contact_facts(m),
        approved_when: m
            .approval
            .as_ref()
            .and_then(|a| a.approved_on.as_ref())
            .map(when),
        contact_url,
        offer_groups: offer_groups(&m.offers),
        versions: versions(lm),
        changes_url: site::has_change_report(lm, draft)
            .then(|| format!("{}/{}/", lm.slug, site::CHANGES_SLUG)),
    };
    Value::from_serializable(&view)
}

pub(super) fn nav_item(slug: &str, m: &Municipality, s: &'static SectionDef) -> NavItem {
    NavItem {
        id: s.id,
        heading: s.heading,
        guide: guide_line(s, m),
        url: format!("{slug}/{}/", s.slug),
        rules: s.rules,
    }
}

fn substance_words(m: &Municipality) -> Vec<&'static str> {
    [Substance::Drugs, Substance::Alcohol]
        .into_iter()
        .filter(|s| m.substances.contains(s))
        .map(Substance::label)
        .collect()
}

/// "den 17. december 2024", "i december 2024" or "i 2024".
fn when(date: &PartialDate) -> String {
    let preposition = if date.day.is_some() { "den" } else { "i" };
    format!("{preposition} {}", date.danish())
}

/// The kinds of contact facts the units have, in the order the contact page shows them, one
/// or many ("adresse", "adresser"). A table of hours counts as opening or phone hours only when
/// its label says so.
fn contact_facts(m: &Municipality) -> Option<String> {
    let units = &m.units;
    let count = |f: fn(&Unit) -> bool| units.iter().filter(|u| f(u)).count();
    let noun = |n: usize, one: &'static str, many: &'static str| match n {
        0 => None,
        1 => Some(one),
        _ => Some(many),
    };
    let labelled = |word: &str| {
        units
            .iter()
            .flat_map(|u| &u.hours)
            .any(|h| h.label.to_lowercase().contains(word))
    };
    let (phone_hours, opening_hours) = (labelled("telefon"), labelled("åbningstid"));
    let other_hours = count(|u| !u.hours.is_empty()) > 0 && !phone_hours && !opening_hours;
    let parts: Vec<&str> = [
        noun(count(|u| u.address.is_some()), "adresse", "adresser"),
        noun(
            units
                .iter()
                .map(|u| usize::from(u.phone.is_some()) + u.phones.len())
                .sum(),
            "telefonnummer",
            "telefonnumre",
        ),
        noun(
            count(|u| u.email.is_some()),
            "e-mailadresse",
            "e-mailadresser",
        ),
        noun(count(|u| u.website.is_some()), "hjemmeside", "hjemmesider"),
        phone_hours.then_some("telefontider"),
        opening_hours.then_some("åbningstider"),
        other_hours.then_some("tider"),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| danish_list(&parts))
}

/// The reading guide's line for a section, "Her kan du læse om `<line>`.": a phrase for each
/// part of the topic the file has, so that the line never promises a part that is not there.
pub(super) fn guide_line(def: &SectionDef, m: &Municipality) -> String {
    guide_parts(def.id, m).map_or_else(
        || "hvad standarden siger om emnet".to_string(),
        |parts| danish_list(&parts),
    )
}

/// The phrases of [`guide_line`]; `None` for a section id it does not know.
fn guide_parts(id: &str, m: &Municipality) -> Option<Vec<String>> {
    let parts: Vec<(bool, &str)> = match id {
        "target-group" => vec![
            (true, "hvem behandlingen er for"),
            (
                m.target_group
                    .as_ref()
                    .is_some_and(|t| !t.subgroups.is_empty()),
                "hvilke aldersgrupper der er",
            ),
        ],
        "offers" => vec![
            (!m.offers.is_empty(), "hvilke tilbud der er"),
            (m.tasks.is_some(), "hvilke opgaver vi løser"),
            (m.structure.is_some(), "hvordan vi er organiseret"),
        ],
        "getting-started" => {
            let r = m.referral.as_ref();
            vec![
                (
                    r.is_some_and(|r| !r.steps.is_empty()),
                    "hvad du skal gøre for at komme i gang",
                ),
                (true, "hvordan du bliver vurderet"),
                (
                    r.is_some_and(|r| r.case_handling_weeks.is_some()),
                    "hvor lang tid sagsbehandlingen tager",
                ),
            ]
        }
        "rights" => vec![
            (m.guarantee.is_some(), "hvornår behandlingen starter"),
            (
                m.free_choice.is_some(),
                "reglerne om frit valg af behandlingssted",
            ),
            (
                m.anonymity.is_some(),
                "om du kan være anonym, og hvem der får dine oplysninger",
            ),
        ],
        "plan" => vec![
            (m.treatment_plan.is_some(), "din behandlingsplan"),
            (
                m.action_plans.is_some(),
                "hvordan behandlingen hænger sammen med anden hjælp",
            ),
            (
                m.follow_up.is_some(),
                "opfølgningen, når behandlingen er slut",
            ),
        ],
        "payment" => vec![(
            true,
            "hvad behandlingen koster, og om du selv skal betale noget",
        )],
        "complaints" => {
            let routes = m.complaints.as_ref().map_or(&[][..], |c| &c.routes[..]);
            vec![
                (true, "hvordan du klager"),
                (!routes.is_empty(), "hvor du sender klagen hen"),
                (
                    routes
                        .iter()
                        .any(|r| r.deadline_weeks.is_some() || r.no_deadline),
                    "hvilke frister der er",
                ),
            ]
        }
        "responsibilities" => vec![(true, "hvad du selv har ansvar for")],
        "user-involvement" => vec![(true, "hvordan du bliver inddraget")],
        "relatives" => vec![(true, "hjælp til familie og venner")],
        "children" => vec![(true, "børn under 18 år, der bor hjemme")],
        "residential" => {
            let r = m.residential.as_ref();
            vec![
                (true, "døgnbehandling"),
                (
                    r.is_some_and(|r| !r.providers.is_empty()),
                    "hvilke behandlingssteder kommunen bruger",
                ),
                (
                    r.is_some_and(|r| r.provider_requirements.is_some()),
                    "hvilke krav kommunen stiller til behandlingsstederne",
                ),
            ]
        }
        "gift-cards" => vec![(true, "om kommunen bruger gavekort i behandlingen")],
        "goals" => vec![
            (m.purpose.is_some(), "hvorfor der er en kvalitetsstandard"),
            (
                m.goals.is_some(),
                "de mål og værdier, behandlingen bygger på",
            ),
        ],
        "staff" => vec![(true, "hvilke kvalifikationer dine behandlere har")],
        "quality" => vec![
            (true, "hvordan kvaliteten bliver målt"),
            (
                m.monitoring.as_ref().is_some_and(|q| !q.targets.is_empty()),
                "hvilke mål der er sat i tal",
            ),
        ],
        "future" => vec![(true, "hvad kommunen vil arbejde med i de kommende år")],
        "other-help" => vec![(true, "andre steder, der kan hjælpe")],
        "contact" => {
            let mut parts = Vec::new();
            if !m.units.is_empty() {
                parts.push(
                    contact_facts(m).unwrap_or_else(|| "hvor du kan henvende dig".to_string()),
                );
            }
            if !m.partners.is_empty() {
                parts.push("hvem vi arbejder sammen med".to_string());
            }
            return Some(parts);
        }
        "law" => vec![(true, "de love, kvalitetsstandarden bygger på")],
        "about" => return Some(about_parts(m)),
        _ => return None,
    };
    Some(
        parts
            .into_iter()
            .filter(|(present, _)| *present)
            .map(|(_, part)| part.to_string())
            .collect(),
    )
}

/// The about section's phrases: the first names the standard, the others say "den".
fn about_parts(m: &Municipality) -> Vec<String> {
    let Some(a) = &m.approval else {
        return vec!["standardens titel".to_string()];
    };
    let valid = match (&a.valid_from, &a.valid_to) {
        (Some(_), Some(_)) => Some("hvor længe {} gælder"),
        (Some(_), None) => Some("hvornår {} gælder fra"),
        (None, Some(_)) => Some("hvornår {} gælder til"),
        (None, None) => None,
    };
    let phrases = [
        (a.approved_by.is_some(), Some("hvem der har godkendt {}")),
        (a.approved_on.is_some(), Some("hvornår {} er godkendt")),
        (a.updated.is_some(), Some("hvornår {} sidst er opdateret")),
        (a.dated.is_some(), Some("hvornår {} er dateret")),
        (valid.is_some(), valid),
        (
            a.next_revision.is_some(),
            Some("hvornår {} senest bliver revideret"),
        ),
        (
            a.revision_text.is_some(),
            Some("hvordan {} bliver revideret"),
        ),
        (
            a.user_representatives.is_some(),
            Some("hvordan brugerne er med, når {} bliver revideret"),
        ),
    ];
    let mut parts = Vec::new();
    for (present, phrase) in phrases {
        if let (true, Some(phrase)) = (present, phrase) {
            let it = if parts.is_empty() {
                "standarden"
            } else {
                "den"
            };
            parts.push(phrase.replace("{}", it));
        }
    }
    if parts.is_empty() {
        parts.push("standardens titel".to_string());
    }
    parts
}

/// "a", "a og b", "a, b og c".
fn danish_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} og {}", rest.join(", "), last.as_ref())
        }
    }
}

#[derive(Serialize)]
pub(super) struct RootEntry<'a> {
    pub(super) slug: &'a str,
    pub(super) name: &'a str,
    pub(super) full_name: &'a str,
    pub(super) organisation: Option<&'a str>,
    pub(super) serves: Vec<Served<'a>>,
}

#[derive(Serialize)]
pub(super) struct WholePart {
    pub(super) id: &'static str,
    pub(super) heading: &'static str,
    pub(super) body: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_has_its_own_guide_line() {
        let m: Municipality = toml::from_str(
            "name = \"A Kommune\"\nshort_name = \"A\"\norganisation = \"O\"\ntitle = \"T\"",
        )
        .unwrap();
        for def in site::SECTIONS {
            assert!(
                guide_parts(def.id, &m).is_some(),
                "no guide line for the section {}",
                def.id
            );
        }
    }

    #[test]
    fn lists_are_joined_as_danish_writes_them() {
        assert_eq!(danish_list(&["a"]), "a");
        assert_eq!(danish_list(&["a", "b"]), "a og b");
        assert_eq!(danish_list(&["a", "b", "c"]), "a, b og c");
    }
}
