//! The topics a standard covers beyond prose: who it is for, referral, guarantee, payment,
//! complaints, monitoring, targets, follow-up, residential care, offers, law and approval.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize, Serializer};

use super::{Address, Markdown, PartialDate, Phone};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
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

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetGroup {
    /// Optional: a standard may give the facts without prose.
    #[serde(default)]
    pub text: Option<Markdown>,
    #[serde(default)]
    pub age_min: Option<u32>,
    #[serde(default)]
    pub age_max: Option<u32>,
    /// Groups within the target group with their own age band, e.g. "Unge under 18 år".
    #[serde(default)]
    pub subgroups: Vec<SubGroup>,
}

/// A part of the target group, named as the standard names it, with its own ages.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubGroup {
    pub name: String,
    #[serde(default)]
    pub age_min: Option<u32>,
    #[serde(default)]
    pub age_max: Option<u32>,
    /// What the standard says about this group.
    #[serde(default)]
    pub text: Option<Markdown>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Referral {
    /// Optional: a standard may give the facts without prose.
    #[serde(default)]
    pub text: Option<Markdown>,
    /// "How to get started" as numbered steps, in the citizen's words.
    #[serde(default)]
    pub steps: Vec<String>,
    /// Case handling time for an application, in weeks, where the document gives one.
    #[serde(default)]
    pub case_handling_weeks: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Guarantee {
    /// Treatment starts within this many days of the first contact.
    pub days: u32,
    /// Optional: a standard may give the facts without prose.
    #[serde(default)]
    pub text: Option<Markdown>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    /// Treatment itself is free of charge. Left out where the document does not say.
    #[serde(default)]
    pub free: Option<bool>,
    /// Optional: a standard may give the facts without prose.
    #[serde(default)]
    pub text: Option<Markdown>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Complaints {
    /// Optional: a standard may give the facts without prose.
    #[serde(default)]
    pub text: Option<Markdown>,
    #[serde(default)]
    pub routes: Vec<ComplaintRoute>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
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

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Monitoring {
    /// Optional: a standard may give the facts without prose.
    #[serde(default)]
    pub text: Option<Markdown>,
    #[serde(default)]
    pub targets: Vec<Target>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// Share drug-free (or sober) after treatment.
    DrugFree,
    /// Share with reduced use after treatment.
    Reduced,
    /// Share who return to treatment within 12 months.
    #[serde(rename = "return_within_12_months")]
    ReturnWithin12Months,
    /// Any other target the standard sets.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    AtLeast,
    AtMost,
    Exactly,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GiftCards {
    pub used: bool,
    #[serde(default)]
    pub amount_kr: Option<u32>,
    /// Optional: a standard may give the facts without prose.
    #[serde(default)]
    pub text: Option<Markdown>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    /// Months after treatment ended at which the centre follows up.
    pub months: Vec<u32>,
    /// Optional: a standard may give the facts without prose.
    #[serde(default)]
    pub text: Option<Markdown>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Residential {
    /// Optional: a standard may give the facts without prose.
    #[serde(default)]
    pub text: Option<Markdown>,
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

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Offer {
    /// Short identifier, also the page address: letters a-z, digits and hyphens. Needed only
    /// by an offer with a page; empty when left out.
    #[serde(default)]
    pub id: String,
    /// Left out where the standard only names the offer.
    #[serde(default)]
    pub kind: Option<OfferKind>,
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
    /// What the offer contains. Many standards only name an offer: then it has no page.
    #[serde(default)]
    pub description: Option<Markdown>,
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
    /// The group the offers list shows it under, e.g. "Rådgivning" or "Efterbehandling".
    #[serde(default)]
    pub group: Option<String>,
    /// Who decides whether a citizen gets the offer, e.g. "Socialafdelingen".
    #[serde(default)]
    pub decided_by: Option<String>,
    /// Whether the offer says more than its name (see [`Offer::says_more_than_its_name`]):
    /// only then it has a page, and lists link to it; a name-only offer links to the contact
    /// page. Set while reading, never written in a file.
    #[serde(skip_deserializing)]
    pub has_page: bool,
}

impl Offer {
    /// An offer's page shows what it contains, for whom, how much and how long, where, and who decides; an
    /// offer with none of these would be an empty page.
    pub(crate) fn says_more_than_its_name(&self) -> bool {
        self.description.is_some()
            || self.for_whom.is_some()
            || self.intensity.is_some()
            || self.duration.is_some()
            || self.place.is_some()
            || self.decided_by.is_some()
    }
}

/// The offers of a file, each knowing whether it has a page of its own.
pub(super) fn offers_with_pages<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<Offer>, D::Error> {
    let mut offers = Vec::<Offer>::deserialize(d)?;
    for offer in &mut offers {
        offer.has_page = offer.says_more_than_its_name();
    }
    Ok(offers)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
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

/// Someone the centre works with, e.g. the job centre or the general practitioners.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    pub name: String,
    /// What the centre and the partner do together.
    #[serde(default)]
    pub text: Option<Markdown>,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
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

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
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
    /// When the text was last updated. Never an approval: the rules on revision read
    /// `approved_on` only.
    #[serde(default)]
    pub updated: Option<PartialDate>,
    /// The case number of the council's decision ("sagsnummer"), as the council writes it.
    #[serde(default)]
    pub case_number: Option<String>,
    /// Where the decision can be read, e.g. the minutes of the meeting ("referat").
    #[serde(default)]
    pub decision_url: Option<String>,
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

/// The municipality's general quality standard (for case handling, say), which covers some of
/// the rules of Bek. 1477 for this standard too: those rules are referred there.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GeneralStandard {
    /// Its title, as the municipality publishes it.
    pub title: String,
    /// Where citizens read it.
    pub url: String,
    /// The rule IDs it covers, e.g. `"4.1.12"` or `"§4.1.12"`.
    pub covers: Vec<String>,
}

impl GeneralStandard {
    /// Whether it covers the rule with this ID (`§4.1.12`).
    pub fn covers(&self, rule: &str) -> bool {
        let rule = rule.trim_start_matches('§');
        self.covers
            .iter()
            .any(|c| c.trim().trim_start_matches('§').trim() == rule)
    }
}
