//! Readable by machines: each municipality's standard as open data (`/<kommune>/
//! kvalitetsstandard.json`, and every one of them in `/data/alle.json`), and schema.org JSON-LD
//! for the front and contact pages ([`json_ld`]).
//!
//! The open data's shape is documented in `docs/open-data.md`; [`VERSION`] changes when a
//! field is removed or changes its meaning. Only what the file says is published: a fact the
//! standard leaves out is `null` (or an empty list), never a guess. A draft build writes no
//! data files: the draft is not for publishing.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::load::LoadedMunicipality;
use crate::model::{Address, Hours, Municipality, Phone, TimeRange};

mod jsonld;

pub(crate) use jsonld::json_ld;

/// The version of the open data's shape.
pub const VERSION: u32 = 1;

/// The open data of one municipality, as the text of its `kvalitetsstandard.json`.
pub(crate) fn municipality_json(lm: &LoadedMunicipality) -> String {
    let mut doc = standard(lm);
    doc.insert("version".into(), json!(VERSION));
    pretty(&Value::Object(doc))
}

/// The entry of one municipality in `data/alle.json`: its own file without its texts (they
/// are most of it; `file` says where they are) and without `version`, which the file with
/// every municipality says once.
pub(crate) fn entry_json(lm: &LoadedMunicipality) -> String {
    let mut doc = standard(lm);
    doc.remove("texts");
    doc.insert(
        "file".into(),
        json!(format!("{}/{}", lm.slug, crate::site::DATA_FILE)),
    );
    serde_json::to_string_pretty(&Value::Object(doc)).unwrap_or_default()
}

/// One municipality's open data file ([`municipality_json`]) and its entry in `data/alle.json`
/// ([`entry_json`]), from one reading of the standard.
pub(crate) fn file_and_entry(lm: &LoadedMunicipality) -> (String, String) {
    let mut doc = standard(lm);
    let texts = doc.remove("texts");
    doc.insert(
        "file".into(),
        json!(format!("{}/{}", lm.slug, crate::site::DATA_FILE)),
    );
    let entry = serde_json::to_string_pretty(&Value::Object(doc.clone())).unwrap_or_default();
    doc.remove("file");
    if let Some(texts) = texts {
        doc.insert("texts".into(), texts);
    }
    doc.insert("version".into(), json!(VERSION));
    (pretty(&Value::Object(doc)), entry)
}

/// The text of `data/alle.json` from each municipality's entry ([`entry_json`]), in file
/// order; made as text, so that the entries are not parsed again.
pub(crate) fn all_json(entries: &[String]) -> String {
    let mut out = String::with_capacity(entries.iter().map(|e| e.len() + 2).sum::<usize>() + 64);
    out.push_str("{\n\"municipalities\": [\n");
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(entry);
    }
    out.push_str(&format!("\n],\n\"version\": {VERSION}\n}}\n"));
    out
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// Everything but the version.
fn standard(lm: &LoadedMunicipality) -> Map<String, Value> {
    let m = &lm.data;
    let a = m.approval.as_ref();
    let date = |d: Option<&crate::model::PartialDate>| d.map(|d| d.iso());
    let mut out = Map::new();
    out.insert(
        "municipality".into(),
        json!({
            "slug": lm.slug,
            "name": m.name,
            "short_name": m.short_name,
            "organisation": m.organisation,
            "serves": m.serves,
            "website": m.website,
        }),
    );
    out.insert(
        "standard".into(),
        json!({
            "title": m.title,
            "substances": m.substances.iter().map(code).collect::<Vec<_>>(),
            "page": format!("{}/", lm.slug),
        }),
    );
    out.insert(
        "approval".into(),
        json!({
            "approved_on": date(a.and_then(|a| a.approved_on.as_ref())),
            "approved_by": a.and_then(|a| a.approved_by.as_deref()),
            "dated": date(a.and_then(|a| a.dated.as_ref())),
            "updated": date(a.and_then(|a| a.updated.as_ref())),
            "valid_from": date(a.and_then(|a| a.valid_from.as_ref())),
            "valid_to": date(a.and_then(|a| a.valid_to.as_ref())),
            "next_revision": date(a.and_then(|a| a.next_revision.as_ref())),
            "case_number": a.and_then(|a| a.case_number.as_deref()),
            "decision_url": a.and_then(|a| a.decision_url.as_deref()),
        }),
    );
    out.insert("facts".into(), facts(m));
    out.insert(
        "texts".into(),
        Value::Array(
            m.prose()
                .into_iter()
                .map(|(key, md)| {
                    // A text on its own: its top headings are h2.
                    let html = crate::markdown::place_prose_headings(&md.html);
                    json!({ "key": key, "text": md.text, "html": html.as_deref().unwrap_or(&md.html) })
                })
                .collect(),
        ),
    );
    out
}

/// The structured facts of the standard.
fn facts(m: &Municipality) -> Value {
    let targets: Vec<Value> = m
        .monitoring
        .iter()
        .flat_map(|mo| &mo.targets)
        .map(|t| {
            json!({
                "kind": code(&t.kind),
                "comparison": code(&t.comparison),
                "percent": t.percent,
                "text": t.text,
            })
        })
        .collect();
    let offers: Vec<Value> = m
        .offers
        .iter()
        .map(|o| {
            json!({
                "id": (!o.id.is_empty()).then_some(&o.id),
                "title": o.title,
                "kind": o.kind.as_ref().map(code),
                "group": o.group,
                "anonymous": o.anonymous,
                "age_min": o.age_min,
                "age_max": o.age_max,
                "substances": o.substances.iter().map(code).collect::<Vec<_>>(),
                "intensity": o.intensity,
                "duration": o.duration,
                "place": o.place,
                "unit": o.unit,
                "decided_by": o.decided_by,
            })
        })
        .collect();
    let routes: Vec<Value> = m
        .complaints
        .iter()
        .flat_map(|c| &c.routes)
        .map(|r| {
            json!({
                "decision": r.decision,
                "send_to": r.send_to,
                "address": r.address,
                "phone": r.phone.as_ref().map(phone),
                "email": r.email,
                "deadline_weeks": r.deadline_weeks,
                "no_deadline": r.no_deadline,
                "form": r.form.as_ref().map(code),
                "next_instance": r.next_instance,
                "link": r.link,
            })
        })
        .collect();
    json!({
        "guarantee_days": m.guarantee.as_ref().map(|g| g.days),
        "follow_up_months": m.follow_up.as_ref().map_or(&[][..], |f| &f.months[..]),
        "free_of_charge": m.payment.as_ref().and_then(|p| p.free),
        "case_handling_weeks": m.referral.as_ref().and_then(|r| r.case_handling_weeks),
        "age_min": m.target_group.as_ref().and_then(|t| t.age_min),
        "age_max": m.target_group.as_ref().and_then(|t| t.age_max),
        "free_choice_described": m.free_choice.is_some(),
        "gift_cards_used": m.gift_cards.as_ref().map(|g| g.used),
        "targets": targets,
        "units": m.units.iter().map(unit).collect::<Vec<_>>(),
        "offers": offers,
        "complaint_routes": routes,
    })
}

fn unit(u: &crate::model::Unit) -> Value {
    let mut phones: Vec<Value> = u
        .phone
        .iter()
        .map(|p| json!({ "label": null, "number": phone(p) }))
        .collect();
    phones.extend(
        u.phones
            .iter()
            .map(|p| json!({ "label": p.label, "number": phone(&p.number) })),
    );
    json!({
        "id": u.id,
        "name": u.name,
        "for_whom": u.for_whom,
        "address": u.address.as_ref().map(address),
        "phones": phones,
        "email": u.email,
        "website": u.website,
        "hours": u.hours.iter().map(hours).collect::<Vec<_>>(),
    })
}

fn phone(p: &Phone) -> Value {
    json!({ "display": p.display(), "dial": p.dial() })
}

fn address(a: &Address) -> Value {
    json!({
        "street": a.street,
        "postcode": a.postcode,
        "city": a.city,
        "building": a.building,
    })
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

fn hours(h: &Hours) -> Value {
    let days: Vec<Value> = days_of(h)
        .map(|(day, range)| {
            json!({
                "day": day,
                "opens": range.span.map(|(a, _)| clock(a)),
                "closes": range.span.map(|(_, b)| clock(b)),
                "text": range.text,
            })
        })
        .collect();
    json!({ "label": h.label, "days": days, "note": h.note })
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
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OfferKind, Substance, TargetKind};

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
