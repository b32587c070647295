//! The pages of the finder "Hvilken hjælp passer til mig?" (see [`crate::site::finder`]): a
//! question with its answers as links, or the offers that fit the answers.

use serde::Serialize;
use tera::{Context, Value};

use crate::diagnostic::Diagnostic;
use crate::model::{LabelledPhone, Municipality, Offer, OfferKind, Phone, Substance};
use crate::site::finder::{self, Answers, FINDER_SLUG, Step};

use super::fragments::MunicipalityParts;
use super::pages::Shared;
use super::view::Crumb;

/// What `finder.html` sees as `finder`. Addresses are relative to the site root.
#[derive(Serialize)]
struct FinderView {
    /// The page's heading: the question, or the result's heading.
    heading: &'static str,
    /// The last item of the breadcrumbs.
    crumb: &'static str,
    /// Whether this is the finder's first page.
    first: bool,
    /// A line explaining the question; `None` on a result page.
    hint: Option<&'static str>,
    /// The answers of a question page, each a link to the page it leads to.
    answers: Vec<Link>,
    /// Whether the page lists the offers that fit (`offers`, added from [`FinderParts`]).
    result: bool,
    /// The answers given so far, as a list reads them ("mig selv", "18–29 år").
    given: Vec<String>,
    /// The page before the last answer: "Skift svar"; `None` on the first page.
    back_url: Option<String>,
    start_url: String,
    /// The offers section, where it exists: "Se alle tilbud".
    all_offers_url: Option<String>,
    /// The relatives' section, on the pages for someone one knows, where it exists.
    relatives_url: Option<String>,
}

#[derive(Serialize)]
struct Link {
    label: String,
    url: String,
}

/// An offer on a result page, with the unit to call.
#[derive(Serialize)]
struct FoundOffer<'a> {
    title: &'a str,
    /// Its own page, or the contact page for an offer that only has a name (as the offers
    /// list links it); `None` when there is neither.
    url: Option<String>,
    has_page: bool,
    kind: Option<OfferKind>,
    substances: &'a [Substance],
    anonymous: bool,
    unit: Option<FoundUnit<'a>>,
}

#[derive(Serialize)]
struct FoundUnit<'a> {
    name: &'a str,
    phone: Option<&'a Phone>,
    phones: &'a [LabelledPhone],
}

/// What every finder page of a municipality shares, made by the first of them: each offer as
/// a result page lists it, and the addresses the pages link to.
pub(super) struct FinderParts {
    /// Each of the municipality's offers, in file order.
    offers: Vec<Value>,
    all_offers_url: Option<String>,
    relatives_url: Option<String>,
}

impl FinderParts {
    pub(super) fn new(slug: &str, m: &Municipality) -> FinderParts {
        let contact_url = section_url(slug, m, "contact");
        FinderParts {
            offers: m
                .offers
                .iter()
                .map(|o| Value::from_serializable(&found_offer(slug, m, o, contact_url.as_ref())))
                .collect(),
            all_offers_url: section_url(slug, m, "offers"),
            relatives_url: section_url(slug, m, "relatives"),
        }
    }
}

fn section_url(slug: &str, m: &Municipality, id: &str) -> Option<String> {
    crate::site::sections_of(m)
        .into_iter()
        .find(|s| s.id == id)
        .map(|s| format!("{slug}/{}/", s.slug))
}

fn found_offer<'a>(
    slug: &str,
    m: &'a Municipality,
    offer: &'a Offer,
    contact_url: Option<&String>,
) -> FoundOffer<'a> {
    let url = if offer.has_page {
        Some(format!("{slug}/tilbud/{}/", offer.id))
    } else {
        contact_url.cloned()
    };
    let unit = offer
        .unit
        .as_ref()
        .and_then(|id| m.units.iter().find(|u| &u.id == id))
        .map(|u| FoundUnit {
            name: &u.name,
            phone: u.phone.as_ref(),
            phones: &u.phones,
        });
    FoundOffer {
        title: &offer.title,
        url,
        has_page: offer.has_page,
        kind: offer.kind,
        substances: &offer.substances,
        anonymous: offer.anonymous || offer.kind == Some(OfferKind::Anonymous),
        unit,
    }
}

impl Shared<'_> {
    /// A page of the finder at `answers`.
    pub(super) fn finder_page(
        &self,
        path: &str,
        parts: &MunicipalityParts,
        answers: Answers,
    ) -> Result<Context, Diagnostic> {
        let lm = parts.lm;
        let (slug, m) = (lm.slug.as_str(), &lm.data);
        let shared = parts.finder.get_or_init(|| FinderParts::new(slug, m));
        let start_url = format!("{slug}/{FINDER_SLUG}/");
        let page_url = |a: &Answers| format!("{start_url}{}", a.folders());
        let relatives_url = (answers.who == Some(finder::Who::Someone))
            .then(|| shared.relatives_url.clone())
            .flatten();
        let first = answers == Answers::default();
        let mut view = FinderView {
            heading: "",
            crumb: "",
            first,
            hint: None,
            answers: Vec::new(),
            result: false,
            given: answers.given().into_iter().map(|a| a.summary()).collect(),
            back_url: answers.previous().map(|a| page_url(&a)),
            start_url: start_url.clone(),
            all_offers_url: shared.all_offers_url.clone(),
            relatives_url,
        };
        let mut offers = Vec::new();
        match finder::step(m, &answers) {
            Step::Ask {
                question,
                answers: options,
            } => {
                view.heading = question.heading(answers.who);
                view.crumb = view.heading;
                view.hint = Some(question.hint(answers.who));
                view.answers = options
                    .iter()
                    .map(|(answer, next)| Link {
                        label: answer.label(),
                        url: page_url(next),
                    })
                    .collect();
            }
            Step::Result { offers: fitting } => {
                view.heading = "Tilbud, der kan passe til dig";
                view.crumb = "Tilbud, der kan passe";
                view.result = true;
                offers = fitting.iter().map(|&i| shared.offers[i].clone()).collect();
            }
        }
        if first {
            view.crumb = "Hvilken hjælp passer til mig?";
        }
        let mut crumbs = vec![
            Crumb {
                title: "Forside".into(),
                url: String::new(),
            },
            Crumb {
                title: m.short_name.clone(),
                url: format!("{slug}/"),
            },
        ];
        if !first {
            crumbs.push(Crumb {
                title: "Hvilken hjælp passer til mig?".into(),
                url: start_url,
            });
        }
        let mut ctx = self.page_context(path, parts)?;
        ctx.insert("crumbs", &crumbs);
        // The offers go into the view's map, not the view: serialised with it, each shared
        // value would be copied again.
        let mut finder = Value::from_serializable(&view)
            .into_map()
            .unwrap_or_default();
        finder.insert("offers".into(), Value::from(offers));
        ctx.insert_value("finder", Value::from(finder));
        // The answer pages are many ways to one list: search engines show the first page.
        ctx.insert("noindex", &!first);
        Ok(ctx)
    }
}
