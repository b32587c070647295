//! What templates see of a municipality, of the list of municipalities and of the whole
//! standard: the generator's own view types, serialised once per municipality.

use serde::Serialize;
use tera::Value;

use crate::load::LoadedMunicipality;
use crate::model::{Municipality, Unit};
use crate::site::{self, SectionDef};

/// A link in the navigation or the reading guide.
#[derive(Debug, Serialize)]
pub(super) struct NavItem {
    id: &'static str,
    heading: &'static str,
    guide: &'static str,
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
    /// The contact page's address (relative to the site root), where it exists: a name-only
    /// offer links there.
    contact_url: Option<String>,
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
            slug: site::served_slug(name),
        })
        .collect()
}

#[derive(Serialize)]
pub(super) struct Crumb {
    pub(super) title: String,
    pub(super) url: String,
}

pub(super) fn municipality_view(lm: &LoadedMunicipality) -> Value {
    let m = &lm.data;
    let sections: Vec<NavItem> = site::sections_of(m)
        .into_iter()
        .map(|s| nav_item(&lm.slug, s))
        .collect();
    let contact_url = sections
        .iter()
        .find(|s| s.id == "contact")
        .map(|s| s.url.clone());
    let main_unit = m
        .units
        .iter()
        .find(|u| u.phone.is_some())
        .or(m.units.first());
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
        contact_url,
    };
    Value::from_serializable(&view)
}

pub(super) fn nav_item(slug: &str, s: &'static SectionDef) -> NavItem {
    NavItem {
        id: s.id,
        heading: s.heading,
        guide: s.guide,
        url: format!("{slug}/{}/", s.slug),
        rules: s.rules,
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
