//! Readable by machines: each municipality's standard as open data (`/<kommune>/
//! kvalitetsstandard.json`, and every one of them in `/data/alle.json`), and schema.org JSON-LD
//! for the front and contact pages ([`json_ld`]).
//!
//! The open data's shape is documented in `docs/open-data.md`; [`VERSION`] changes when a
//! field is removed or changes its meaning. Only what the file says is published: a fact the
//! standard leaves out is `null` (or an empty list), never a guess. A draft build writes no
//! data files: the draft is not for publishing.

use std::borrow::Cow;

use serde::Serialize;

use crate::load::LoadedMunicipality;
use crate::model::{Address, Hours, Municipality, PartialDate, Phone, TimeRange};

mod json_text;
mod jsonld;

pub(crate) use jsonld::json_ld;

/// The version of the open data's shape.
pub const VERSION: u32 = 1;

/// The open data of one municipality, as the text of its `kvalitetsstandard.json`.
pub(crate) fn municipality_json(lm: &LoadedMunicipality) -> String {
    file_and_entry(lm).0
}

/// The entry of one municipality in `data/alle.json`: its own file without its texts (they
/// are most of it; `file` says where they are) and without `version`, which the file with
/// every municipality says once.
pub(crate) fn entry_json(lm: &LoadedMunicipality) -> String {
    file_and_entry(lm).1
}

/// One municipality's open data file ([`municipality_json`]) and its entry in `data/alle.json`
/// ([`entry_json`]), from one reading of the standard.
pub(crate) fn file_and_entry(lm: &LoadedMunicipality) -> (String, String) {
    let file_path = format!("{}/{}", lm.slug, crate::site::DATA_FILE);
    // The standard is serialised once, for the file and for its entry: `{...}` without its
    // closing brace, which the file's and the entry's own fields then follow, in the order
    // `docs/open-data.md` shows.
    let standard = serde_json::to_string(&Standard::of(lm)).unwrap_or_default();
    let open = standard.strip_suffix('}').unwrap_or("{");
    let comma = if open.len() > 1 { "," } else { "" };
    // Links to the site's own pages (the glossary's words) lead there from the file's address,
    // as they do from a page at the same depth.
    let root = "../".repeat(file_path.matches('/').count());
    let mut file = String::with_capacity(8 * standard.len());
    file.push_str(open);
    file.push_str(comma);
    file.push_str("\"texts\":[");
    for (i, (key, md)) in lm.data.prose().into_iter().enumerate() {
        // A text on its own: its top headings are h2.
        let mut html = crate::markdown::place_prose_headings(&md.html)
            .map_or(Cow::Borrowed(md.html.as_str()), Cow::Owned);
        if html.contains(crate::glossary::ROOT_TOKEN) {
            html = Cow::Owned(html.replace(crate::glossary::ROOT_TOKEN, &root));
        }
        if i > 0 {
            file.push(',');
        }
        file.push_str("{\"key\":");
        json_text::push_string(&mut file, &key);
        file.push_str(",\"text\":");
        json_text::push_string(&mut file, &md.text);
        file.push_str(",\"html\":");
        json_text::push_string(&mut file, &html);
        file.push('}');
    }
    file.push_str(&format!("],\"version\":{VERSION}}}\n"));
    let mut entry = String::with_capacity(standard.len() + file_path.len() + 16);
    entry.push_str(open);
    entry.push_str(comma);
    entry.push_str("\"file\":");
    json_text::push_string(&mut entry, &file_path);
    entry.push_str("}\n");
    (file, entry)
}

/// The text of `data/alle.json` from each municipality's entry ([`entry_json`]), in file
/// order; made as text, so that the entries are not parsed again.
pub(crate) fn all_json(entries: &[String]) -> String {
    let mut out = String::with_capacity(entries.iter().map(|e| e.len() + 2).sum::<usize>() + 64);
    out.push_str("{\"municipalities\":[\n");
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(entry);
    }
    out.push_str(&format!("\n],\"version\":{VERSION}}}\n"));
    out
}

// The shape of the data, field by field in the order the file shows them. Every struct
// borrows from the loaded standard: the data is written straight from the model.

/// Everything but the texts and the version.
#[derive(Serialize)]
struct Standard<'a> {
    municipality: Who<'a>,
    standard: About<'a>,
    approval: ApprovalData<'a>,
    facts: Facts<'a>,
}

#[derive(Serialize)]
struct Who<'a> {
    slug: &'a str,
    name: &'a str,
    short_name: &'a str,
    organisation: Option<&'a str>,
    serves: &'a [String],
    website: Option<&'a str>,
}

#[derive(Serialize)]
struct About<'a> {
    title: Option<&'a str>,
    substances: Vec<String>,
    page: String,
}

#[derive(Serialize)]
struct ApprovalData<'a> {
    approved_on: Option<String>,
    approved_by: Option<&'a str>,
    dated: Option<String>,
    updated: Option<String>,
    valid_from: Option<String>,
    valid_to: Option<String>,
    next_revision: Option<String>,
    case_number: Option<&'a str>,
    decision_url: Option<&'a str>,
}

/// The structured facts of the standard.
#[derive(Serialize)]
struct Facts<'a> {
    guarantee_days: Option<u32>,
    follow_up_months: &'a [u32],
    free_of_charge: Option<bool>,
    case_handling_weeks: Option<u32>,
    age_min: Option<u32>,
    age_max: Option<u32>,
    free_choice_described: bool,
    gift_cards_used: Option<bool>,
    targets: Vec<TargetData<'a>>,
    units: Vec<UnitData<'a>>,
    offers: Vec<OfferData<'a>>,
    complaint_routes: Vec<RouteData<'a>>,
}

#[derive(Serialize)]
struct TargetData<'a> {
    kind: String,
    comparison: String,
    percent: f64,
    text: &'a str,
}

#[derive(Serialize)]
struct OfferData<'a> {
    id: Option<&'a str>,
    title: &'a str,
    kind: Option<String>,
    group: Option<&'a str>,
    anonymous: bool,
    age_min: Option<u32>,
    age_max: Option<u32>,
    substances: Vec<String>,
    intensity: Option<&'a str>,
    duration: Option<&'a str>,
    place: Option<&'a str>,
    unit: Option<&'a str>,
    decided_by: Option<&'a str>,
}

#[derive(Serialize)]
struct RouteData<'a> {
    decision: &'a str,
    send_to: &'a str,
    address: Option<&'a str>,
    phone: Option<PhoneData>,
    email: Option<&'a str>,
    deadline_weeks: Option<u32>,
    no_deadline: bool,
    form: Option<String>,
    next_instance: Option<&'a str>,
    link: Option<&'a str>,
}

#[derive(Serialize)]
struct UnitData<'a> {
    id: &'a str,
    name: &'a str,
    for_whom: Option<&'a str>,
    address: Option<&'a Address>,
    phones: Vec<LabelledPhoneData<'a>>,
    email: Option<&'a str>,
    website: Option<&'a str>,
    hours: Vec<HoursData<'a>>,
}

#[derive(Serialize)]
struct LabelledPhoneData<'a> {
    label: Option<&'a str>,
    number: PhoneData,
}

#[derive(Serialize)]
struct PhoneData {
    display: String,
    dial: String,
}

#[derive(Serialize)]
struct HoursData<'a> {
    label: &'a str,
    days: Vec<DayData<'a>>,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct DayData<'a> {
    day: &'static str,
    opens: Option<String>,
    closes: Option<String>,
    text: &'a str,
}

impl<'a> Standard<'a> {
    fn of(lm: &'a LoadedMunicipality) -> Self {
        let m = &lm.data;
        let a = m.approval.as_ref();
        let date = |pick: fn(&'a crate::model::Approval) -> Option<&'a PartialDate>| {
            a.and_then(pick).map(PartialDate::iso)
        };
        Standard {
            municipality: Who {
                slug: &lm.slug,
                name: &m.name,
                short_name: &m.short_name,
                organisation: m.organisation.as_deref(),
                serves: &m.serves,
                website: m.website.as_deref(),
            },
            standard: About {
                title: m.title.as_deref(),
                substances: m.substances.iter().map(code).collect(),
                page: format!("{}/", lm.slug),
            },
            approval: ApprovalData {
                approved_on: date(|a| a.approved_on.as_ref()),
                approved_by: a.and_then(|a| a.approved_by.as_deref()),
                dated: date(|a| a.dated.as_ref()),
                updated: date(|a| a.updated.as_ref()),
                valid_from: date(|a| a.valid_from.as_ref()),
                valid_to: date(|a| a.valid_to.as_ref()),
                next_revision: date(|a| a.next_revision.as_ref()),
                case_number: a.and_then(|a| a.case_number.as_deref()),
                decision_url: a.and_then(|a| a.decision_url.as_deref()),
            },
            facts: Facts::of(m),
        }
    }
}

impl<'a> Facts<'a> {
    fn of(m: &'a Municipality) -> Self {
        Facts {
            guarantee_days: m.guarantee.as_ref().map(|g| g.days),
            follow_up_months: m.follow_up.as_ref().map_or(&[][..], |f| &f.months[..]),
            free_of_charge: m.payment.as_ref().and_then(|p| p.free),
            case_handling_weeks: m.referral.as_ref().and_then(|r| r.case_handling_weeks),
            age_min: m.target_group.as_ref().and_then(|t| t.age_min),
            age_max: m.target_group.as_ref().and_then(|t| t.age_max),
            free_choice_described: m.free_choice.is_some(),
            gift_cards_used: m.gift_cards.as_ref().map(|g| g.used),
            targets: m
                .monitoring
                .iter()
                .flat_map(|mo| &mo.targets)
                .map(|t| TargetData {
                    kind: code(&t.kind),
                    comparison: code(&t.comparison),
                    percent: t.percent,
                    text: &t.text,
                })
                .collect(),
            units: m.units.iter().map(UnitData::of).collect(),
            offers: m
                .offers
                .iter()
                .map(|o| OfferData {
                    id: (!o.id.is_empty()).then_some(o.id.as_str()),
                    title: &o.title,
                    kind: o.kind.as_ref().map(code),
                    group: o.group.as_deref(),
                    anonymous: o.anonymous,
                    age_min: o.age_min,
                    age_max: o.age_max,
                    substances: o.substances.iter().map(code).collect(),
                    intensity: o.intensity.as_deref(),
                    duration: o.duration.as_deref(),
                    place: o.place.as_deref(),
                    unit: o.unit.as_deref(),
                    decided_by: o.decided_by.as_deref(),
                })
                .collect(),
            complaint_routes: m
                .complaints
                .iter()
                .flat_map(|c| &c.routes)
                .map(|r| RouteData {
                    decision: &r.decision,
                    send_to: &r.send_to,
                    address: r.address.as_deref(),
                    phone: r.phone.as_ref().map(PhoneData::of),
                    email: r.email.as_deref(),
                    deadline_weeks: r.deadline_weeks,
                    no_deadline: r.no_deadline,
                    form: r.form.as_ref().map(code),
                    next_instance: r.next_instance.as_deref(),
                    link: r.link.as_deref(),
                })
                .collect(),
        }
    }
}

impl<'a> UnitData<'a> {
    fn of(u: &'a crate::model::Unit) -> Self {
        let unlabelled = u.phone.iter().map(|p| LabelledPhoneData {
            label: None,
            number: PhoneData::of(p),
        });
        let labelled = u.phones.iter().map(|p| LabelledPhoneData {
            label: Some(&p.label),
            number: PhoneData::of(&p.number),
        });
        UnitData {
            id: &u.id,
            name: &u.name,
            for_whom: u.for_whom.as_deref(),
            address: u.address.as_ref(),
            phones: unlabelled.chain(labelled).collect(),
            email: u.email.as_deref(),
            website: u.website.as_deref(),
            hours: u.hours.iter().map(HoursData::of).collect(),
        }
    }
}

impl PhoneData {
    fn of(p: &Phone) -> Self {
        PhoneData {
            display: p.display(),
            dial: p.dial(),
        }
    }
}

impl<'a> HoursData<'a> {
    fn of(h: &'a Hours) -> Self {
        HoursData {
            label: &h.label,
            days: days_of(h)
                .map(|(day, range)| DayData {
                    day,
                    opens: range.span.map(|(a, _)| clock(a)),
                    closes: range.span.map(|(_, b)| clock(b)),
                    text: &range.text,
                })
                .collect(),
            note: h.note.as_deref(),
        }
    }
}

/// Each day of `h` that has hours, with its English name, in week order.
pub(crate) fn days_of(h: &Hours) -> impl Iterator<Item = (&'static str, &TimeRange)> {
    [
        &h.monday,
        &h.tuesday,
        &h.wednesday,
        &h.thursday,
        &h.friday,
        &h.saturday,
        &h.sunday,
    ]
    .into_iter()
    .zip(crate::model::DAY_KEYS)
    .filter_map(|(range, day)| range.as_ref().map(|r| (day, r)))
}

/// "08:30" from minutes after midnight.
pub(crate) fn clock(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The code of an enum value as the content file writes it (`return_within_12_months`): its
/// variant name in snake case. The model's own `Serialize` gives the Danish label, for
/// templates.
fn code<T: std::fmt::Debug>(value: &T) -> String {
    let name = format!("{value:?}");
    let mut out = String::with_capacity(name.len() + 4);
    let mut prev: Option<char> = None;
    for c in name.chars() {
        let boundary = match prev {
            Some(p) => {
                (c.is_ascii_uppercase() && !p.is_ascii_uppercase())
                    || (c.is_ascii_digit() && !p.is_ascii_digit())
                    || (!c.is_ascii_digit() && p.is_ascii_digit())
            }
            None => false,
        };
        if boundary {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
        prev = Some(c);
    }
    out
}

/// Serialises `value` for a `<script>` element: `<`, `>` and `&` written as JSON escapes, so
/// that no text of the content can end the script (`</script>`) or open a comment.
pub(crate) fn script_json<T: Serialize>(value: &T) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    let mut out = String::with_capacity(text.len() + 64);
    let mut copied = 0;
    for at in memchr::memchr3_iter(b'<', b'>', b'&', text.as_bytes()) {
        out.push_str(&text[copied..at]);
        out.push_str(match text.as_bytes()[at] {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            _ => "\\u0026",
        });
        copied = at + 1;
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OfferKind, Substance, TargetKind};
    use serde_json::{Value, json};

    #[test]
    fn codes_are_written_as_the_file_writes_them() {
        assert_eq!(
            code(&TargetKind::ReturnWithin12Months),
            "return_within_12_months"
        );
        assert_eq!(code(&TargetKind::DrugFree), "drug_free");
        assert_eq!(code(&OfferKind::Outpatient), "outpatient");
        assert_eq!(code(&Substance::Alcohol), "alcohol");
    }

    #[test]
    fn the_file_of_all_is_json_with_its_version() {
        let entry = serde_json::to_string_pretty(&json!({ "a": 1, "b": ["x"] })).unwrap();
        let all: Value = serde_json::from_str(&all_json(&[entry.clone(), entry])).unwrap();
        assert_eq!(all["version"], VERSION);
        assert_eq!(all["municipalities"][1], json!({ "a": 1, "b": ["x"] }));
        let none: Value = serde_json::from_str(&all_json(&[])).unwrap();
        assert_eq!(none["municipalities"], json!([]));
    }

    #[test]
    fn script_json_cannot_close_its_script() {
        let text = script_json(&json!({ "name": "</script><!-- & " }));
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["name"], "</script><!-- & ");
    }
}
