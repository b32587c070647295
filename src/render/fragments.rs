//! What all pages of one municipality share, rendered once by whichever page needs it first.

use std::sync::OnceLock;

use tera::{Context, Value};

use crate::diagnostic::Diagnostic;
use crate::glossary::ROOT_TOKEN;
use crate::load::LoadedMunicipality;
use crate::site::{self, SECTIONS, SectionDef};

use super::pages::Shared;
use super::view::{Crumb, municipality_view, nav_item};

/// The body of a topic the municipality's general standard covers and its own file does not
/// tell (see [`site::referred`]).
const GENERAL_STANDARD: &str = "partials/general-standard.html";

/// What all pages of one municipality share. The fragments are rendered by whichever page
/// needs them first: Tera spends about as long on one `{{ value }}` as on copying a kilobyte,
/// so a fragment that is the same on 38 pages is rendered once, not 38 times.
pub(super) struct MunicipalityParts<'m> {
    pub(super) lm: &'m LoadedMunicipality,
    /// The municipality's template view.
    pub(super) view: Value,
    /// Its sections as `m.sections` has them, with their ids, for the other topics on a
    /// topic's page.
    pub(super) nav: Vec<(&'static str, Value)>,
    /// `sections/<id>.html` at `h` 3, in the order of [`SECTIONS`].
    pub(super) bodies: Vec<Fragment>,
    /// `partials/contact-block.html`, on every page.
    pub(super) contact_block: Fragment,
    /// `partials/unit.html` for each unit, at `h` 3, on the offers' pages.
    pub(super) units: Vec<Fragment>,
    /// The breadcrumbs above a page: on the front page, on a page below it, on an offer's page.
    pub(super) crumbs_front: Value,
    pub(super) crumbs: Value,
    pub(super) crumbs_offer: Value,
    /// The description of each section page, in the order of [`SECTIONS`], made from the
    /// prose in one pass the first time a section page asks (see `web::section_descriptions`).
    pub(super) section_descriptions: OnceLock<Vec<Option<String>>>,
    /// The municipality's JSON-LD, on its front and contact pages.
    pub(super) json_ld: OnceLock<String>,
    /// What the finder's pages share.
    pub(super) finder: OnceLock<super::finder_page::FinderParts>,
}

pub(super) type Fragment = OnceLock<Result<Value, Diagnostic>>;

impl<'m> MunicipalityParts<'m> {
    /// `draft`: the build is a draft build (see [`crate::pipeline::BuildOptions::draft`]).
    pub(super) fn new(lm: &'m LoadedMunicipality, draft: bool) -> Self {
        let crumb = |title: &str, url: String| Crumb {
            title: title.to_string(),
            url,
        };
        let mut crumbs = vec![
            crumb("Forside", String::new()),
            crumb(&lm.data.short_name, format!("{}/", lm.slug)),
        ];
        let (crumbs_front, crumbs_below) = (
            Value::from_serializable(&crumbs[..1]),
            Value::from_serializable(&crumbs),
        );
        crumbs.push(crumb("Tilbud", format!("{}/tilbud/", lm.slug)));
        MunicipalityParts {
            lm,
            crumbs_front,
            crumbs: crumbs_below,
            crumbs_offer: Value::from_serializable(&crumbs),
            view: municipality_view(lm, draft),
            nav: site::sections_of(&lm.data)
                .into_iter()
                .map(|s| {
                    (
                        s.id,
                        Value::from_serializable(&nav_item(&lm.slug, &lm.data, s)),
                    )
                })
                .collect(),
            bodies: SECTIONS.iter().map(|_| OnceLock::new()).collect(),
            contact_block: OnceLock::new(),
            units: lm.data.units.iter().map(|_| OnceLock::new()).collect(),
            section_descriptions: OnceLock::new(),
            json_ld: OnceLock::new(),
            finder: OnceLock::new(),
        }
    }
}

impl MunicipalityParts<'_> {
    /// The municipality's JSON-LD, made the first time a page asks.
    pub(super) fn json_ld(&self) -> &str {
        self.json_ld
            .get_or_init(|| crate::data::json_ld(&self.lm.data))
    }
}

impl Shared<'_> {
    /// A fragment of a municipality's pages, rendered the first time a page asks for it, with
    /// `root` standing for each page's own path to the site root (see `replace_root_token` in `theme`).
    pub(super) fn fragment(
        &self,
        cell: &Fragment,
        parts: &MunicipalityParts,
        template: &str,
        add_to_context: impl FnOnce(&mut Context),
    ) -> Result<Value, Diagnostic> {
        cell.get_or_init(|| {
            let path = format!("{}/index.html", parts.lm.slug);
            let mut ctx = self.municipality_context(&path, parts);
            // Written as it is: escaping would replace its U+0001.
            ctx.insert_value("root", Value::safe_string(ROOT_TOKEN));
            add_to_context(&mut ctx);
            let html = self.theme.render(template, &ctx)?;
            Ok(Value::safe_string(&html))
        })
        .clone()
    }

    /// A [`Shared::fragment`] from a template a theme may leave out: empty if it does.
    pub(super) fn optional_fragment(
        &self,
        cell: &Fragment,
        parts: &MunicipalityParts,
        template: &str,
        add_to_context: impl FnOnce(&mut Context),
    ) -> Result<Value, Diagnostic> {
        if !self.theme.has_template(template) {
            return Ok(Value::safe_string(""));
        }
        self.fragment(cell, parts, template, add_to_context)
    }

    /// A section's body as the whole-standard page shows it, with sub-headings at level 3.
    /// Rendered once per municipality and section: the topic's own page shows the same body
    /// with every heading one level up (see `promote_headings` in `pages`).
    pub(super) fn section_body(
        &self,
        parts: &MunicipalityParts,
        section: &SectionDef,
    ) -> Result<Value, Diagnostic> {
        let index = SECTIONS
            .iter()
            .position(|s| s.id == section.id)
            .unwrap_or(0);
        // A topic the file does not tell is there only because the general standard covers
        // it: its body points there.
        let template = if (section.present)(&parts.lm.data) {
            format!("sections/{}.html", section.id)
        } else {
            GENERAL_STANDARD.to_string()
        };
        self.fragment(&parts.bodies[index], parts, &template, |ctx| {
            ctx.insert("h", &3u8);
            ctx.insert("general", &parts.lm.data.general_standard);
        })
    }
}
