//! Prose: [`Markdown`] rendered once when read, and the visitor that reaches every prose field
//! of a municipality.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::markdown;

use super::Municipality;

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
            ("responsibilities", &$($mutability)? m.responsibilities),
        ];
        for (key, topic) in topics {
            if let Some(topic) = topic {
                f(format!("{key}.text"), &$($mutability)? topic.text);
            }
        }
        if let Some(t) = &$($mutability)? m.target_group {
            if let Some(text) = &$($mutability)? t.text {
                f("target_group.text".to_string(), text);
            }
            for (i, group) in (&$($mutability)? t.subgroups).into_iter().enumerate() {
                if let Some(text) = &$($mutability)? group.text {
                    f(format!("target_group.subgroups[{i}].text"), text);
                }
            }
        }
        if let Some(r) = &$($mutability)? m.referral {
            if let Some(text) = &$($mutability)? r.text {
                f("referral.text".to_string(), text);
            }
        }
        if let Some(g) = &$($mutability)? m.guarantee {
            if let Some(text) = &$($mutability)? g.text {
                f("guarantee.text".to_string(), text);
            }
        }
        if let Some(p) = &$($mutability)? m.payment {
            if let Some(text) = &$($mutability)? p.text {
                f("payment.text".to_string(), text);
            }
        }
        if let Some(c) = &$($mutability)? m.complaints {
            if let Some(text) = &$($mutability)? c.text {
                f("complaints.text".to_string(), text);
            }
            for (i, route) in (&$($mutability)? c.routes).into_iter().enumerate() {
                if let Some(t) = &$($mutability)? route.text {
                    f(format!("complaints.routes[{i}].text"), t);
                }
            }
        }
        if let Some(mo) = &$($mutability)? m.monitoring {
            if let Some(text) = &$($mutability)? mo.text {
                f("monitoring.text".to_string(), text);
            }
        }
        if let Some(g) = &$($mutability)? m.gift_cards {
            if let Some(text) = &$($mutability)? g.text {
                f("gift_cards.text".to_string(), text);
            }
        }
        if let Some(fu) = &$($mutability)? m.follow_up {
            if let Some(text) = &$($mutability)? fu.text {
                f("follow_up.text".to_string(), text);
            }
        }
        if let Some(r) = &$($mutability)? m.residential {
            if let Some(text) = &$($mutability)? r.text {
                f("residential.text".to_string(), text);
            }
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
            if let Some(d) = &$($mutability)? offer.description {
                f(format!("offers[{i}].description"), d);
            }
        }
        for (i, other) in (&$($mutability)? m.other_help).into_iter().enumerate() {
            f(format!("other_help[{i}].description"), &$($mutability)? other.description);
        }
        for (i, partner) in (&$($mutability)? m.partners).into_iter().enumerate() {
            if let Some(t) = &$($mutability)? partner.text {
                f(format!("partners[{i}].text"), t);
            }
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
    pub(crate) fn for_each_prose_mut(&mut self, f: impl FnMut(String, &mut Markdown)) {
        visit_prose!(self, f, mut);
    }
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
                // The words serde uses for String, which `load::translate` puts into Danish.
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, source: &str) -> Result<Markdown, E> {
                Ok(Markdown::new(source))
            }
        }
        d.deserialize_str(Prose)
    }
}

/// Prose is written as text (Markdown).
impl schemars::JsonSchema for Markdown {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Markdown".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string"})
    }
}

/// Templates get the HTML: the only way prose reaches a page.
impl Serialize for Markdown {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.html)
    }
}
