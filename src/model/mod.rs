//! The content model: what a municipality's quality standard can say.
//!
//! Facts a citizen acts on (addresses, phone numbers, hours, days, percentages, dates) are typed
//! fields so that templates can present them consistently and the checker can test them. Prose is
//! [`Markdown`], rendered to HTML once, when the file is read. A topic a municipality does not
//! cover is `None` or an empty list: templates leave it out and the checker reports it.
//!
//! Field names are English (they are code), but every field is explained in Danish in the file
//! that `kvalitet new` writes.

use std::collections::HashSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

mod contact;
mod dates;
mod help;
mod prose;
mod topics;

pub(crate) use contact::DAY_KEYS;
pub use contact::{Address, Hours, LabelledPhone, Phone, TimeRange, Unit};
pub use dates::PartialDate;
pub(crate) use dates::{MONTHS, days_in_month};
pub use help::HelpLine;
pub use prose::Markdown;
pub use topics::{
    Approval, Comparison, ComplaintForm, ComplaintRoute, Complaints, FollowUp, GeneralStandard,
    GiftCards, Guarantee, LawText, Monitoring, Offer, OfferKind, OtherHelp, Partner, Payment,
    Referral, Residential, SubGroup, Substance, Target, TargetGroup, TargetKind,
};

/// Site-wide settings from `content/site.toml`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// Shown in the header of every page and in the browser tab.
    pub title: String,
    /// The address the site is published at, e.g. `https://rusmiddel.example.dk/`.
    #[serde(default)]
    pub base_url: Option<String>,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_theme")]
    #[schemars(regex(pattern = r"^[A-Za-z0-9_-]+$"))]
    pub theme: String,
    /// Who publishes the site (shown in the footer).
    #[serde(default)]
    pub publisher: Option<String>,
    /// Short introduction on the front page that lists the municipalities.
    #[serde(default)]
    pub intro: Option<Markdown>,
    /// Link to the accessibility statement on the Agency for Digital Government's WAS-Tool.
    #[serde(default)]
    pub accessibility_statement: Option<String>,
    /// LIX above which `kvalitet check` warns.
    #[serde(default = "default_lix_warning")]
    #[schemars(range(min = 0))]
    pub lix_warning: f64,
    /// Words citizens meet in these texts, explained in everyday Danish.
    #[serde(default)]
    pub glossary: Vec<GlossaryEntry>,
    /// Lines for urgent help, shown on every page (see [`HelpLine`]).
    #[serde(default)]
    pub help_now: Vec<HelpLine>,
    /// Where "Forlad siden hurtigt" leads: with it, every page starts with that link.
    #[serde(default)]
    pub quick_exit: Option<String>,
}

fn default_language() -> String {
    "da".to_string()
}
fn default_theme() -> String {
    "default".to_string()
}
fn default_lix_warning() -> f64 {
    40.0
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GlossaryEntry {
    pub term: String,
    pub explanation: Markdown,
    /// Other spellings that should link to this entry.
    #[serde(default)]
    pub also: Vec<String>,
}

/// One municipality's quality standard: one file under `content/`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Municipality {
    /// The municipality's name, e.g. "Fredericia Kommune".
    pub name: String,
    /// Short name used in headings and lists, e.g. "Fredericia". Left out, it is the name
    /// without "Kommune" (see [`Municipality::settle`]); after loading it is never empty.
    #[serde(default)]
    pub short_name: String,
    /// The treatment centre or team that runs the service, where the standard names one.
    #[serde(default)]
    pub organisation: Option<String>,
    /// The document's own title, where it has one.
    #[serde(default)]
    pub title: Option<String>,
    /// What the standard covers: drugs, alcohol or both.
    #[serde(default)]
    pub substances: Vec<Substance>,
    /// Other municipalities whose citizens this municipality's centre treats.
    #[serde(default)]
    pub serves: Vec<String>,
    /// The municipality's own page about the service.
    #[serde(default)]
    pub website: Option<String>,
    /// Short summary for the front page.
    #[serde(default)]
    pub summary: Option<Markdown>,
    /// The municipality's own introduction to reading the standard.
    #[serde(default)]
    pub reading_intro: Option<Markdown>,
    /// Why there is a quality standard at all.
    #[serde(default)]
    pub purpose: Option<Markdown>,

    // --- Bek. 1477 § 4, stk. 1 ---
    /// §4.1.1 The tasks performed.
    #[serde(default)]
    pub tasks: Option<Topic>,
    /// §4.1.2 Who the offers are for.
    #[serde(default)]
    pub target_group: Option<TargetGroup>,
    /// §4.1.3 Goals, values and norms.
    #[serde(default)]
    pub goals: Option<Topic>,
    /// §4.1.4 Organisation (the kinds of offers are `offers`).
    #[serde(default)]
    pub structure: Option<Topic>,
    /// §4.1.5 How assessment and referral work.
    #[serde(default)]
    pub referral: Option<Referral>,
    /// §4.1.6 Treatment guarantee.
    #[serde(default)]
    pub guarantee: Option<Guarantee>,
    /// §4.1.7 Free choice of provider.
    #[serde(default)]
    pub free_choice: Option<Topic>,
    /// §4.1.8 Treatment plan and its follow-up during treatment.
    #[serde(default)]
    pub treatment_plan: Option<Topic>,
    /// §4.1.9 Action plans with other services.
    #[serde(default)]
    pub action_plans: Option<Topic>,
    /// §4.1.10 How users are involved.
    #[serde(default)]
    pub user_involvement: Option<Topic>,
    /// §4.1.11 What treatment costs; board and lodging.
    #[serde(default)]
    pub payment: Option<Payment>,
    /// §4.1.12 Case handling and complaints.
    #[serde(default)]
    pub complaints: Option<Complaints>,
    /// §4.1.13 Staff qualifications and training.
    #[serde(default)]
    pub staff: Option<Topic>,
    /// §4.1.14 and §4.3 Monitoring and targets.
    #[serde(default)]
    pub monitoring: Option<Monitoring>,
    /// §4.1.15 Gift cards.
    #[serde(default)]
    pub gift_cards: Option<GiftCards>,
    /// §4.2 Follow-up after treatment has ended.
    #[serde(default)]
    pub follow_up: Option<FollowUp>,
    /// §4.4 Children living at home.
    #[serde(default)]
    pub children: Option<Topic>,
    /// §4.5 Future plans.
    #[serde(default)]
    pub future: Option<Topic>,
    /// §5 Residential treatment and the requirements for residential providers.
    #[serde(default)]
    pub residential: Option<Residential>,

    // --- Citizen topics that the regulation does not name but the documents do ---
    /// Anonymity, confidentiality and the duty to notify.
    #[serde(default)]
    pub anonymity: Option<Topic>,
    /// Help for relatives.
    #[serde(default)]
    pub relatives: Option<Topic>,
    /// What the citizen is responsible for: taking part, keeping appointments, telling of a move.
    #[serde(default)]
    pub responsibilities: Option<Topic>,

    /// Where to find the service, with phone numbers and hours.
    #[serde(default)]
    pub units: Vec<Unit>,
    /// The municipality's own lines for urgent help, shown on its pages only.
    #[serde(default)]
    pub help_now: Vec<HelpLine>,
    /// The offers; an offer that says more than its name has a page of its own.
    #[serde(default, deserialize_with = "topics::offers_with_pages")]
    #[schemars(with = "Vec<Offer>")]
    pub offers: Vec<Offer>,
    /// Other places in the municipality that can help (not part of the treatment itself).
    #[serde(default)]
    pub other_help: Vec<OtherHelp>,
    /// Those the centre works with.
    #[serde(default)]
    pub partners: Vec<Partner>,
    /// The law texts the standard quotes.
    #[serde(default)]
    pub law: Vec<LawText>,
    /// §3.3, §6.1, §6.2 Approval and revision.
    #[serde(default)]
    pub approval: Option<Approval>,
    /// The municipality's general standard, for the rules it covers.
    #[serde(default)]
    pub general_standard: Option<GeneralStandard>,
}

impl Municipality {
    /// What a file leaves out but the model has after loading: the short name from the name,
    /// and an id made from the name for each unit without one and each offer with a page but
    /// without one (the contact page's anchors and the offer pages' addresses). A made id is
    /// unlike every id the file gives and every other made one, so ids stay unique.
    pub fn settle(&mut self) {
        if self.short_name.trim().is_empty() {
            self.short_name = crate::paths::short_name_of(&self.name).to_string();
        }
        let mut taken: HashSet<String> = self.units.iter().map(|u| u.id.clone()).collect();
        for (i, unit) in self.units.iter_mut().enumerate() {
            if unit.id.trim().is_empty() {
                unit.id = unique_id(&unit.name, i, &mut taken);
            }
        }
        let mut taken: HashSet<String> = self.offers.iter().map(|o| o.id.clone()).collect();
        for (i, offer) in self.offers.iter_mut().enumerate() {
            if offer.has_page && offer.id.trim().is_empty() {
                offer.id = unique_id(&offer.title, i, &mut taken);
            }
        }
    }
}

/// An address-safe id from `name` (`"Ung i Nyborg"` -> `"ung-i-nyborg"`), with `-2`, `-3`, ...
/// added when `taken` has it; the position (1-based) when the name has no letters.
fn unique_id(name: &str, index: usize, taken: &mut HashSet<String>) -> String {
    let base = match crate::paths::slug_for(name) {
        slug if slug.is_empty() => format!("{}", index + 1),
        slug => slug,
    };
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(id.clone());
    id
}

/// A topic told in prose only. A table of its own (`[goals]` with `text = """..."""`), so that
/// the order of topics in a file never moves a key into the wrong table.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    pub text: Markdown,
}
