//! schema.org JSON-LD for a municipality's front and contact pages: the service as a
//! `GovernmentService`, with a `ServiceChannel` per unit.
//!
//! Only facts the file states: a value the file leaves out is left out here too (never empty,
//! never guessed); `isAccessibleForFree` only where `payment.free` says so; hours only where
//! their label makes them telephone hours (on the `ContactPoint`) or opening hours (on the
//! `Place`), and only the days with a time span ("Lukket" and "Efter aftale" cannot be said).

use serde_json::{Map, Value, json};

use crate::model::{Hours, Municipality, Substance, Unit};

use super::{clock, days_of, script_json};

/// The JSON-LD of municipality `m`, ready to stand inside `<script type="application/ld+json">`.
pub(crate) fn json_ld(m: &Municipality) -> String {
    script_json(&service(m))
}

fn service(m: &Municipality) -> Value {
    let mut s = Map::new();
    s.insert("@context".into(), json!("https://schema.org"));
    s.insert("@type".into(), json!("GovernmentService"));
    s.insert("name".into(), json!(name(m)));
    s.insert("serviceType".into(), json!(service_type(m)));
    let mut provider = Map::new();
    provider.insert("@type".into(), json!("GovernmentOrganization"));
    provider.insert("name".into(), json!(m.name));
    if let Some(org) = text(m.organisation.as_deref()) {
        provider.insert(
            "department".into(),
            json!({ "@type": "GovernmentOrganization", "name": org }),
        );
    }
    if let Some(url) = text(m.website.as_deref()) {
        provider.insert("url".into(), json!(url));
    }
    s.insert("provider".into(), Value::Object(provider));
    let area: Vec<Value> = std::iter::once(m.name.as_str())
        .chain(m.serves.iter().map(String::as_str))
        .filter_map(|n| text(Some(n)))
        .map(|n| json!({ "@type": "AdministrativeArea", "name": n }))
        .collect();
    s.insert("areaServed".into(), Value::Array(area));
    if let Some(free) = m.payment.as_ref().and_then(|p| p.free) {
        s.insert("isAccessibleForFree".into(), json!(free));
    }
    let channels: Vec<Value> = m.units.iter().filter_map(channel).collect();
    if !channels.is_empty() {
        s.insert("availableChannel".into(), Value::Array(channels));
    }
    Value::Object(s)
}

/// The standard's own title, or what its front page calls the help.
fn name(m: &Municipality) -> String {
    text(m.title.as_deref()).map_or_else(
        || format!("{} i {}", service_type(m), m.short_name),
        str::to_string,
    )
}

/// "Behandling for stoffer og alkohol", naming only the substances the file names.
fn service_type(m: &Municipality) -> String {
    let words: Vec<&str> = [Substance::Drugs, Substance::Alcohol]
        .into_iter()
        .filter(|s| m.substances.contains(s))
        .map(Substance::label)
        .collect();
    if words.is_empty() {
        "Behandling for rusmidler".to_string()
    } else {
        format!("Behandling for {}", words.join(" og "))
    }
}

/// A unit as a channel, if the file says anything about how to reach it.
fn channel(u: &Unit) -> Option<Value> {
    let mut c = Map::new();
    let phone_hours = specs(u, "telefon");
    let opening_hours = specs(u, "åbningstid");
    let number = u
        .phone
        .as_ref()
        .or_else(|| u.phones.first().map(|p| &p.number));
    if let Some(number) = number {
        let mut point = Map::new();
        point.insert("@type".into(), json!("ContactPoint"));
        point.insert("telephone".into(), json!(number.dial()));
        if let Some(email) = text(u.email.as_deref()) {
            point.insert("email".into(), json!(email));
        }
        if !phone_hours.is_empty() {
            point.insert("hoursAvailable".into(), Value::Array(phone_hours));
        }
        c.insert("servicePhone".into(), Value::Object(point));
    }
    if let Some(a) = &u.address {
        let mut address = Map::new();
        address.insert("@type".into(), json!("PostalAddress"));
        address.insert("streetAddress".into(), json!(a.street));
        if let Some(code) = text(a.postcode.as_deref()) {
            address.insert("postalCode".into(), json!(code));
        }
        address.insert("addressLocality".into(), json!(a.city));
        address.insert("addressCountry".into(), json!("DK"));
        let mut place = Map::new();
        place.insert("@type".into(), json!("Place"));
        place.insert(
            "name".into(),
            json!(text(a.building.as_deref()).unwrap_or(&u.name)),
        );
        place.insert("address".into(), Value::Object(address));
        if !opening_hours.is_empty() {
            place.insert(
                "openingHoursSpecification".into(),
                Value::Array(opening_hours),
            );
        }
        c.insert("serviceLocation".into(), Value::Object(place));
    }
    if let Some(url) = text(u.website.as_deref()) {
        c.insert("serviceUrl".into(), json!(url));
    }
    if c.is_empty() {
        return None;
    }
    c.insert("@type".into(), json!("ServiceChannel"));
    c.insert("name".into(), json!(u.name));
    Some(Value::Object(c))
}

/// The unit's hours whose label contains `word` ("telefon", "åbningstid"), as
/// `OpeningHoursSpecification`s: one per day with a time span.
fn specs(u: &Unit, word: &str) -> Vec<Value> {
    u.hours
        .iter()
        .filter(|h| h.label.to_lowercase().contains(word))
        .flat_map(day_specs)
        .collect()
}

fn day_specs(h: &Hours) -> Vec<Value> {
    days_of(h)
        .filter_map(|(day, range)| {
            let (opens, closes) = range.span?;
            Some(json!({
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": format!("https://schema.org/{}", capitalised(day)),
                "opens": clock(opens),
                "closes": clock(closes),
            }))
        })
        .collect()
}

fn capitalised(day: &str) -> String {
    let mut chars = day.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_ascii_uppercase().to_string() + chars.as_str()
    })
}

/// A text the file gives that says something: not left out, not only spaces.
fn text(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}
