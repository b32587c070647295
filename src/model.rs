//! The content model: what a municipality's quality standard can say.
//!
//! Facts a citizen acts on (addresses, phone numbers, hours, days, percentages, dates) are typed
//! fields so that templates can present them consistently and the checker can test them. Prose is
//! [`Markdown`], rendered to HTML once, when the file is read. A topic a municipality does not
//! cover is `None` or an empty list: templates leave it out and the checker reports it.
//!
//! Field names are English (they are code), but every field is explained in Danish in the file
//! that `kvalitet new` writes.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::markdown;

/// Site-wide settings from `content/site.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
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
    pub lix_warning: f64,
    /// Words citizens meet in these texts, explained in everyday Danish.
    #[serde(default)]
    pub glossary: Vec<GlossaryEntry>,
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

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryEntry {
    pub term: String,
    pub explanation: Markdown,
    /// Other spellings that should link to this entry.
    #[serde(default)]
    pub also: Vec<String>,
}

/// One municipality's quality standard: one file under `content/`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Municipality {
    /// The municipality's name, e.g. "Fredericia Kommune".
    pub name: String,
    /// Short name used in headings and lists, e.g. "Fredericia".
    pub short_name: String,
    /// The treatment centre or team that runs the service.
    pub organisation: String,
    /// The document's own title.
    pub title: String,
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

    /// Where to find the service, with phone numbers and hours.
    #[serde(default)]
    pub units: Vec<Unit>,
    /// The offers, each with its own page.
    #[serde(default)]
    pub offers: Vec<Offer>,
    /// Other places in the municipality that can help (not part of the treatment itself).
    #[serde(default)]
    pub other_help: Vec<OtherHelp>,
    /// The law texts the standard quotes.
    #[serde(default)]
    pub law: Vec<LawText>,
    /// §3.3, §6.1, §6.2 Approval and revision.
    #[serde(default)]
    pub approval: Option<Approval>,
}

/// A topic told in prose only. A table of its own (`[goals]` with `text = """..."""`), so that
/// the order of topics in a file never moves a key into the wrong table.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    pub text: Markdown,
}

/// Calls `$f(key, markdown)` for every prose field of municipality `$m`, with the field's key
/// path as the file writes it (`offers[2].description`). Written once for shared and for
/// mutable access (`mut` as the third argument), so the list of prose fields has one home.
macro_rules! visit_prose {
    ($m:expr, $f:expr $(, $mutability:tt)?) => {{
        let m = $m;
        let mut f = $f;
        let plain = [
            ("summary", &$($mutability)? m.summary),
            ("reading_intro", &$($mutability)? m.reading_intro),
            ("purpose", &$($mutability)? m.purpose),
        ];
        for (key, md) in plain {
            if let Some(md) = md {
                f(key.to_string(), md);
            }
        }
        let topics = [
            ("tasks", &$($mutability)? m.tasks),
            ("goals", &$($mutability)? m.goals),
            ("structure", &$($mutability)? m.structure),
            ("free_choice", &$($mutability)? m.free_choice),
            ("treatment_plan", &$($mutability)? m.treatment_plan),
            ("action_plans", &$($mutability)? m.action_plans),
            ("user_involvement", &$($mutability)? m.user_involvement),
            ("staff", &$($mutability)? m.staff),
            ("children", &$($mutability)? m.children),
            ("future", &$($mutability)? m.future),
            ("anonymity", &$($mutability)? m.anonymity),
            ("relatives", &$($mutability)? m.relatives),
        ];
        for (key, topic) in topics {
            if let Some(topic) = topic {
                f(format!("{key}.text"), &$($mutability)? topic.text);
            }
        }
        if let Some(t) = &$($mutability)? m.target_group {
            f("target_group.text".to_string(), &$($mutability)? t.text);
        }
        if let Some(r) = &$($mutability)? m.referral {
            f("referral.text".to_string(), &$($mutability)? r.text);
        }
        if let Some(g) = &$($mutability)? m.guarantee {
            f("guarantee.text".to_string(), &$($mutability)? g.text);
        }
        if let Some(p) = &$($mutability)? m.payment {
            f("payment.text".to_string(), &$($mutability)? p.text);
        }
        if let Some(c) = &$($mutability)? m.complaints {
            f("complaints.text".to_string(), &$($mutability)? c.text);
            for (i, route) in (&$($mutability)? c.routes).into_iter().enumerate() {
                if let Some(t) = &$($mutability)? route.text {
                    f(format!("complaints.routes[{i}].text"), t);
                }
            }
        }
        if let Some(mo) = &$($mutability)? m.monitoring {
            f("monitoring.text".to_string(), &$($mutability)? mo.text);
        }
        if let Some(g) = &$($mutability)? m.gift_cards {
            f("gift_cards.text".to_string(), &$($mutability)? g.text);
        }
        if let Some(fu) = &$($mutability)? m.follow_up {
            f("follow_up.text".to_string(), &$($mutability)? fu.text);
        }
        if let Some(r) = &$($mutability)? m.residential {
            f("residential.text".to_string(), &$($mutability)? r.text);
            if let Some(p) = &$($mutability)? r.provider_requirements {
                f("residential.provider_requirements".to_string(), p);
            }
        }
        for (i, unit) in (&$($mutability)? m.units).into_iter().enumerate() {
            if let Some(d) = &$($mutability)? unit.description {
                f(format!("units[{i}].description"), d);
            }
        }
        for (i, offer) in (&$($mutability)? m.offers).into_iter().enumerate() {
            if let Some(w) = &$($mutability)? offer.for_whom {
                f(format!("offers[{i}].for_whom"), w);
            }
            f(format!("offers[{i}].description"), &$($mutability)? offer.description);
        }
        for (i, other) in (&$($mutability)? m.other_help).into_iter().enumerate() {
            f(format!("other_help[{i}].description"), &$($mutability)? other.description);
        }
        for (i, law) in (&$($mutability)? m.law).into_iter().enumerate() {
            if let Some(t) = &$($mutability)? law.text {
                f(format!("law[{i}].text"), t);
            }
        }
        if let Some(a) = &$($mutability)? m.approval {
            if let Some(t) = &$($mutability)? a.revision_text {
                f("approval.revision_text".to_string(), t);
            }
            if let Some(t) = &$($mutability)? a.user_representatives {
                f("approval.user_representatives".to_string(), t);
            }
        }
    }};
}

impl Municipality {
    /// Every prose field with its key path, for passes that read prose (`kvalitet check`).
    pub fn prose(&self) -> Vec<(String, &Markdown)> {
        let mut out = Vec::new();
        visit_prose!(self, |key, md| out.push((key, md)));
        out
    }

    /// Every prose field with its key path, for passes that rework rendered prose (glossary
    /// links).
    pub fn for_each_prose_mut(&mut self, f: impl FnMut(String, &mut Markdown)) {
        visit_prose!(self, f, mut);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Substance {
    Drugs,
    Alcohol,
}

/// Templates show enums by their Danish label; code compares the enum itself.
macro_rules! serialize_as_label {
    ($($t:ty),*) => {$(
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.label())
            }
        }
    )*};
}
serialize_as_label!(Substance, ComplaintForm, OfferKind, TargetKind, Comparison);

impl TargetKind {
    pub fn label(self) -> &'static str {
        match self {
            TargetKind::DrugFree => "Stoffri eller ædru efter behandlingen",
            TargetKind::Reduced => "Har nedsat sit forbrug efter behandlingen",
            TargetKind::ReturnWithin12Months => "Kommer i behandling igen inden for 12 måneder",
            TargetKind::Other => "Andet mål",
        }
    }
}

impl Comparison {
    pub fn label(self) -> &'static str {
        match self {
            Comparison::AtLeast => "mindst",
            Comparison::AtMost => "højst",
            Comparison::Exactly => "",
        }
    }
}

impl Substance {
    pub fn label(self) -> &'static str {
        match self {
            Substance::Drugs => "stoffer",
            Substance::Alcohol => "alkohol",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TargetGroup {
    pub text: Markdown,
    #[serde(default)]
    pub age_min: Option<u32>,
    #[serde(default)]
    pub age_max: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Referral {
    pub text: Markdown,
    /// "How to get started" as numbered steps, in the citizen's words.
    #[serde(default)]
    pub steps: Vec<String>,
    /// Case handling time for an application, in weeks, where the document gives one.
    #[serde(default)]
    pub case_handling_weeks: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Guarantee {
    /// Treatment starts within this many days of the first contact.
    pub days: u32,
    pub text: Markdown,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    /// Treatment itself is free of charge. Left out where the document does not say.
    #[serde(default)]
    pub free: Option<bool>,
    pub text: Markdown,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Complaints {
    pub text: Markdown,
    #[serde(default)]
    pub routes: Vec<ComplaintRoute>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ComplaintRoute {
    /// What the complaint is about, e.g. "Afgørelse om social behandling for stofmisbrug".
    pub decision: String,
    /// Where to send it.
    pub send_to: String,
    /// Postal address of the place to send it, if given.
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub phone: Option<Phone>,
    #[serde(default)]
    pub email: Option<String>,
    /// Deadline in weeks from the decision.
    #[serde(default)]
    pub deadline_weeks: Option<u32>,
    /// True where the document says there is no deadline.
    #[serde(default)]
    pub no_deadline: bool,
    #[serde(default)]
    pub form: Option<ComplaintForm>,
    /// Who looks at the complaint if the first instance keeps its decision.
    #[serde(default)]
    pub next_instance: Option<String>,
    #[serde(default)]
    pub link: Option<String>,
    #[serde(default)]
    pub text: Option<Markdown>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintForm {
    Written,
    Oral,
    WrittenOrOral,
}

impl ComplaintForm {
    pub fn label(self) -> &'static str {
        match self {
            ComplaintForm::Written => "Skriftligt",
            ComplaintForm::Oral => "Mundtligt",
            ComplaintForm::WrittenOrOral => "Skriftligt eller mundtligt",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Monitoring {
    pub text: Markdown,
    #[serde(default)]
    pub targets: Vec<Target>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub kind: TargetKind,
    pub percent: f64,
    #[serde(default = "default_comparison")]
    pub comparison: Comparison,
    /// The target in the municipality's words.
    pub text: String,
}

fn default_comparison() -> Comparison {
    Comparison::AtLeast
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// Share drug-free (or sober) after treatment.
    DrugFree,
    /// Share with reduced use after treatment.
    Reduced,
    /// Share who return to treatment within 12 months.
    #[serde(rename = "return_within_12_months")]
    ReturnWithin12Months,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    AtLeast,
    AtMost,
    Exactly,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GiftCards {
    pub used: bool,
    #[serde(default)]
    pub amount_kr: Option<u32>,
    pub text: Markdown,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    /// Months after treatment ended at which the centre follows up.
    pub months: Vec<u32>,
    pub text: Markdown,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Residential {
    pub text: Markdown,
    /// Criteria for being granted residential treatment.
    #[serde(default)]
    pub criteria: Vec<String>,
    /// Case handling time for an application, in weeks.
    #[serde(default)]
    pub case_handling_weeks: Option<u32>,
    /// §5: requirements the municipality sets for residential providers.
    #[serde(default)]
    pub provider_requirements: Option<Markdown>,
    /// Providers the municipality mainly uses or recommends.
    #[serde(default)]
    pub providers: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// Short identifier, used to link offers to the unit ("kontakt").
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<Markdown>,
    /// Who this unit is for, e.g. "Unge under 30 år".
    #[serde(default)]
    pub for_whom: Option<String>,
    #[serde(default)]
    pub address: Option<Address>,
    #[serde(default)]
    pub phone: Option<Phone>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default)]
    pub hours: Vec<Hours>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub street: String,
    /// Optional because some documents leave it out, and it must not be guessed.
    #[serde(default)]
    pub postcode: Option<String>,
    pub city: String,
    /// E.g. the building: "Sundhedscenteret".
    #[serde(default)]
    pub building: Option<String>,
}

/// A table of hours, e.g. "Telefontid" or "Åbningstid".
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hours {
    pub label: String,
    #[serde(default)]
    pub monday: Option<TimeRange>,
    #[serde(default)]
    pub tuesday: Option<TimeRange>,
    #[serde(default)]
    pub wednesday: Option<TimeRange>,
    #[serde(default)]
    pub thursday: Option<TimeRange>,
    #[serde(default)]
    pub friday: Option<TimeRange>,
    #[serde(default)]
    pub saturday: Option<TimeRange>,
    #[serde(default)]
    pub sunday: Option<TimeRange>,
    /// Exceptions, e.g. "Torsdag eftermiddag efter særlig aftale".
    #[serde(default)]
    pub note: Option<String>,
}

/// Templates get the days in week order, ready for a table.
impl Serialize for Hours {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        #[derive(Serialize)]
        struct Row<'a> {
            day: &'static str,
            time: &'a str,
            iso: Option<String>,
        }
        let rows: Vec<Row> = self
            .days()
            .into_iter()
            .map(|(day, range)| Row {
                day,
                time: &range.text,
                iso: range.iso(),
            })
            .collect();
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("label", &self.label)?;
        map.serialize_entry("rows", &rows)?;
        map.serialize_entry("note", &self.note)?;
        map.end()
    }
}

impl Hours {
    /// The days with hours, in week order, with their Danish names.
    pub fn days(&self) -> Vec<(&'static str, &TimeRange)> {
        [
            ("Mandag", &self.monday),
            ("Tirsdag", &self.tuesday),
            ("Onsdag", &self.wednesday),
            ("Torsdag", &self.thursday),
            ("Fredag", &self.friday),
            ("Lørdag", &self.saturday),
            ("Søndag", &self.sunday),
        ]
        .into_iter()
        .filter_map(|(day, range)| range.as_ref().map(|r| (day, r)))
        .collect()
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Offer {
    /// Short identifier, also the page address: letters a-z, digits and hyphens.
    pub id: String,
    pub kind: OfferKind,
    pub title: String,
    /// Who the offer is for.
    #[serde(default)]
    pub for_whom: Option<Markdown>,
    #[serde(default)]
    pub age_min: Option<u32>,
    #[serde(default)]
    pub age_max: Option<u32>,
    #[serde(default)]
    pub substances: Vec<Substance>,
    /// What the offer contains.
    pub description: Markdown,
    #[serde(default)]
    pub intensity: Option<String>,
    #[serde(default)]
    pub duration: Option<String>,
    /// Where it takes place, if not at the unit.
    #[serde(default)]
    pub place: Option<String>,
    /// Id of the unit to contact.
    #[serde(default)]
    pub unit: Option<String>,
    /// Whether the citizen can stay anonymous.
    #[serde(default)]
    pub anonymous: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferKind {
    Advice,
    Outpatient,
    Group,
    Day,
    Residential,
    Youth,
    Anonymous,
    Medical,
    Relatives,
    Family,
    Aftercare,
    Outreach,
    Other,
}

impl OfferKind {
    pub fn label(self) -> &'static str {
        match self {
            OfferKind::Advice => "Rådgivning",
            OfferKind::Outpatient => "Ambulant behandling",
            OfferKind::Group => "Gruppebehandling",
            OfferKind::Day => "Dagbehandling",
            OfferKind::Residential => "Døgnbehandling",
            OfferKind::Youth => "For unge",
            OfferKind::Anonymous => "Anonym behandling",
            OfferKind::Medical => "Medicinsk behandling",
            OfferKind::Relatives => "For pårørende",
            OfferKind::Family => "For familier",
            OfferKind::Aftercare => "Efterbehandling",
            OfferKind::Outreach => "Opsøgende og udekørende",
            OfferKind::Other => "Andet tilbud",
        }
    }
}

/// Help outside the treatment itself (drop-in cafés, advice, support persons).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OtherHelp {
    pub name: String,
    pub description: Markdown,
    #[serde(default)]
    pub address: Option<Address>,
    #[serde(default)]
    pub phone: Option<Phone>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub hours: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LawText {
    /// Short reference, e.g. "SEL § 101".
    pub reference: String,
    /// Plain name, e.g. "Serviceloven § 101".
    pub title: String,
    /// The quoted text; left out where the document only cites the paragraph.
    #[serde(default)]
    pub text: Option<Markdown>,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// The date the document itself carries, e.g. "Juni 2023" on its cover.
    #[serde(default)]
    pub dated: Option<PartialDate>,
    /// E.g. "Byrådet".
    #[serde(default)]
    pub approved_by: Option<String>,
    #[serde(default)]
    pub approved_on: Option<PartialDate>,
    #[serde(default)]
    pub valid_from: Option<PartialDate>,
    #[serde(default)]
    pub valid_to: Option<PartialDate>,
    #[serde(default)]
    pub next_revision: Option<PartialDate>,
    /// §6.1 How and how often the standard is revised.
    #[serde(default)]
    pub revision_text: Option<Markdown>,
    /// §6.2 How user representatives take part in the revision.
    #[serde(default)]
    pub user_representatives: Option<Markdown>,
}

/// Markdown prose, rendered to HTML once when read. Raw HTML in it is shown as text.
///
/// The Markdown itself is not kept: the file's text stays with the municipality for line
/// numbers, and a national build holds hundreds of megabytes of content as it is.
#[derive(Clone, PartialEq)]
pub struct Markdown {
    pub html: String,
    /// Plain text for `kvalitet check` (see [`markdown::Rendered::text`]).
    pub text: String,
    /// Link targets for `kvalitet check`.
    pub links: Vec<String>,
}

impl Markdown {
    pub fn new(source: &str) -> Self {
        let markdown::Rendered { html, text, links } = markdown::render(source);
        Markdown { html, text, links }
    }

    /// Frees the text; see [`crate::load::LoadedMunicipality::release_text`].
    pub fn release(&mut self) {
        *self = Markdown {
            html: String::new(),
            text: String::new(),
            links: Vec::new(),
        };
    }
}

impl fmt::Debug for Markdown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Markdown({:?})", self.html)
    }
}

impl<'de> Deserialize<'de> for Markdown {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Rendered straight from the parser's string: the source is not kept, so copying it
        // into a String first would be wasted.
        struct Prose;
        impl serde::de::Visitor<'_> for Prose {
            type Value = Markdown;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // The words serde uses for String, which load.rs puts into Danish.
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, source: &str) -> Result<Markdown, E> {
                Ok(Markdown::new(source))
            }
        }
        d.deserialize_str(Prose)
    }
}

/// Templates get the HTML: the only way prose reaches a page.
impl Serialize for Markdown {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.html)
    }
}

/// A Danish phone number as written in the document, e.g. "96 11 40 50".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(pub String);

impl Phone {
    /// The digits a phone dials, with the country code: `+4596114050`.
    pub fn dial(&self) -> String {
        let digits: String = self.0.chars().filter(|c| c.is_ascii_digit()).collect();
        let national = digits
            .strip_prefix("0045")
            .or_else(|| self.0.trim_start().starts_with("+45").then(|| &digits[2..]))
            .unwrap_or(&digits);
        format!("+45{national}")
    }

    /// Whether this is a Danish number of eight digits.
    pub fn is_valid(&self) -> bool {
        let allowed = self
            .0
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '+' || c == '-');
        allowed && self.dial().len() == 11
    }

    /// Grouped in pairs, as Danes write numbers: "96 11 40 50".
    pub fn display(&self) -> String {
        let dial = self.dial();
        let national = &dial[3..];
        if national.len() == 8 {
            national
                .as_bytes()
                .chunks(2)
                .map(|pair| std::str::from_utf8(pair).unwrap_or_default())
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            self.0.clone()
        }
    }
}

impl<'de> Deserialize<'de> for Phone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        let phone = Phone(raw.trim().to_string());
        if !phone.is_valid() {
            return Err(serde::de::Error::custom(format!(
                "«{raw}» er ikke et dansk telefonnummer. Skriv otte cifre, fx \"96 11 40 50\""
            )));
        }
        Ok(phone)
    }
}

impl Serialize for Phone {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("display", &self.display())?;
        map.serialize_entry("href", &format!("tel:{}", self.dial()))?;
        map.end()
    }
}

/// A time span on one day, e.g. "8-15.30" or "8.00-15.30", or a short text such as "Lukket".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeRange {
    /// Minutes after midnight; `None` where the value is text such as "Lukket".
    pub span: Option<(u16, u16)>,
    pub text: String,
}

impl TimeRange {
    pub fn parse(raw: &str) -> Result<TimeRange, String> {
        let raw = raw.trim();
        let lower = raw.to_lowercase();
        if lower == "lukket" || lower.starts_with("efter aftale") {
            return Ok(TimeRange {
                span: None,
                text: raw.to_string(),
            });
        }
        let cleaned = lower.trim_start_matches("kl.").trim();
        let (from, to) = cleaned.split_once(['-', '–']).ok_or_else(|| {
            format!("«{raw}» er ikke et tidsrum. Skriv fx \"8-15.30\" eller \"Lukket\"")
        })?;
        let from = parse_clock(from.trim()).ok_or_else(|| {
            format!(
                "«{}» er ikke et klokkeslæt. Skriv fx \"8\", \"8.30\" eller \"08:30\"",
                from.trim()
            )
        })?;
        let to = parse_clock(to.trim()).ok_or_else(|| {
            format!(
                "«{}» er ikke et klokkeslæt. Skriv fx \"15\", \"15.30\" eller \"15:30\"",
                to.trim()
            )
        })?;
        if to <= from {
            return Err(format!("I «{raw}» slutter tidsrummet, før det begynder"));
        }
        Ok(TimeRange {
            span: Some((from, to)),
            text: format!("{}-{}", format_clock(from), format_clock(to)),
        })
    }

    /// Machine-readable form for `<time>`-like use: "08:00-15:30".
    pub fn iso(&self) -> Option<String> {
        self.span
            .map(|(a, b)| format!("{:02}:{:02}-{:02}:{:02}", a / 60, a % 60, b / 60, b % 60))
    }
}

fn parse_clock(s: &str) -> Option<u16> {
    let (h, m) = match s.split_once(['.', ':']) {
        Some((h, m)) => (h, m),
        None => (s, "0"),
    };
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    (h <= 24 && m < 60 && !(h == 24 && m > 0)).then_some(h * 60 + m)
}

/// Danish style: "8", "15.30".
fn format_clock(minutes: u16) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    if m == 0 {
        format!("{h}")
    } else {
        format!("{h}.{m:02}")
    }
}

impl<'de> Deserialize<'de> for TimeRange {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        TimeRange::parse(&raw).map_err(serde::de::Error::custom)
    }
}

impl Serialize for TimeRange {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

/// A date that may be known only to the month or year: the documents say "december 2026".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

const MONTHS: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];

impl PartialDate {
    pub const FORMAT_HINT: &'static str = "Skriv datoen som ÅÅÅÅ-MM-DD (fx 2024-12-17), eller som \"ÅÅÅÅ-MM\" (fx \"2026-12\") hvis kun måneden er kendt";

    pub fn parse(raw: &str) -> Result<PartialDate, String> {
        let bad = || format!("«{raw}» er ikke en dato. {}", Self::FORMAT_HINT);
        let parts: Vec<&str> = raw.trim().split('-').collect();
        let number = |s: &str, len: usize| -> Option<u32> {
            (s.len() == len && s.chars().all(|c| c.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let year = parts.first().and_then(|y| number(y, 4)).ok_or_else(bad)? as i32;
        let month = match parts.get(1) {
            Some(m) => {
                let m = number(m, 2).ok_or_else(bad)?;
                if !(1..=12).contains(&m) {
                    return Err(format!(
                        "Måned {m} findes ikke i «{raw}». {}",
                        Self::FORMAT_HINT
                    ));
                }
                Some(m as u8)
            }
            None => None,
        };
        let day = match parts.get(2) {
            Some(d) => {
                let d = number(d, 2).ok_or_else(bad)?;
                let max = days_in_month(year, u32::from(month.unwrap_or(1)));
                if d == 0 || d > max {
                    return Err(format!(
                        "Dag {d} findes ikke i «{raw}». {}",
                        Self::FORMAT_HINT
                    ));
                }
                Some(d as u8)
            }
            None => None,
        };
        if parts.len() > 3 {
            return Err(bad());
        }
        Ok(PartialDate { year, month, day })
    }

    /// "17. december 2024", "december 2026" or "2026".
    pub fn danish(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d}. {} {}", MONTHS[m as usize - 1], self.year),
            (Some(m), None) => format!("{} {}", MONTHS[m as usize - 1], self.year),
            _ => format!("{}", self.year),
        }
    }

    /// The numeric form the documents use: "17.12.2024".
    pub fn numeric(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d:02}.{m:02}.{}", self.year),
            (Some(m), None) => format!("{m:02}.{}", self.year),
            _ => format!("{}", self.year),
        }
    }

    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{}-{m:02}", self.year),
            _ => format!("{}", self.year),
        }
    }

    /// The last day the date can mean: "december 2026" lasts until 31 December.
    pub fn last_day(&self) -> (i32, u8, u8) {
        let month = self.month.unwrap_or(12);
        let day = self
            .day
            .unwrap_or_else(|| days_in_month(self.year, month as u32) as u8);
        (self.year, month, day)
    }

    /// The first day the date can mean.
    pub fn first_day(&self) -> (i32, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A TOML date (2024-12-17, unquoted) arrives as a datetime; "2026-12" as a string.
        let value = toml::Value::deserialize(d)?;
        let raw = match &value {
            toml::Value::String(s) => s.clone(),
            toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
            toml::Value::Datetime(dt) => {
                return Err(serde::de::Error::custom(format!(
                    "«{dt}» har et klokkeslæt. {}",
                    PartialDate::FORMAT_HINT
                )));
            }
            other => {
                return Err(serde::de::Error::custom(format!(
                    "forventede en dato, men fandt {}. {}",
                    crate::diagnostic::danish_type_name(other),
                    PartialDate::FORMAT_HINT
                )));
            }
        };
        PartialDate::parse(&raw).map_err(serde::de::Error::custom)
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("danish", &self.danish())?;
        map.serialize_entry("numeric", &self.numeric())?;
        map.serialize_entry("iso", &self.iso())?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_dial_with_country_code() {
        assert_eq!(Phone("96 11 40 50".into()).dial(), "+4596114050");
        assert_eq!(Phone("+45 96 11 40 50".into()).dial(), "+4596114050");
        assert_eq!(Phone("9611 3620".into()).display(), "96 11 36 20");
        assert!(!Phone("96 11 40".into()).is_valid());
        assert!(!Phone("ring til os".into()).is_valid());
    }

    #[test]
    fn time_ranges_accept_the_ways_danes_write_them() {
        assert_eq!(TimeRange::parse("8-15.30").unwrap().text, "8-15.30");
        assert_eq!(TimeRange::parse("8.00 - 17.00").unwrap().text, "8-17");
        assert_eq!(
            TimeRange::parse("08:30-13").unwrap().iso().unwrap(),
            "08:30-13:00"
        );
        assert!(TimeRange::parse("Lukket").unwrap().span.is_none());
        assert!(TimeRange::parse("15-8").is_err());
        assert!(TimeRange::parse("hele dagen").is_err());
    }

    #[test]
    fn partial_dates_keep_their_precision() {
        let d = PartialDate::parse("2024-12-17").unwrap();
        assert_eq!(d.numeric(), "17.12.2024");
        assert_eq!(d.danish(), "17. december 2024");
        let m = PartialDate::parse("2026-12").unwrap();
        assert_eq!(m.danish(), "december 2026");
        assert_eq!(m.last_day(), (2026, 12, 31));
        assert!(PartialDate::parse("17.12.2024").is_err());
        assert!(PartialDate::parse("2024-02-30").is_err());
        assert!(PartialDate::parse("2024-13").is_err());
    }
}
