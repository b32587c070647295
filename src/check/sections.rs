//! The page sections of a standard, with their prose, in the order of the standard's pages.

use std::borrow::Cow;

use super::report::OFFER_SECTION;
use crate::model::{Markdown, Municipality};

/// A prose field, as plain text, in a page section.
/// A text of the standard, borrowed from the model: its plain text is made once, at load.
pub(super) struct Field<'a> {
    pub(super) key: String,
    pub(super) text: &'a str,
}

pub(super) struct Section<'a> {
    pub(super) id: Cow<'static, str>,
    pub(super) title: Cow<'static, str>,
    pub(super) place: u8,
    pub(super) fields: Vec<Field<'a>>,
}

/// The page sections of a standard with their prose, as plain text. Law quotes are left out:
/// their wording is the law's, not the editor's.
pub(super) fn sections<'m>(m: &'m Municipality) -> Vec<Section<'m>> {
    let mut list = SectionList::default();
    fn md<'a>(key: &str, m: Option<&'a Markdown>) -> Vec<(String, &'a str)> {
        m.map(|m| vec![(key.to_string(), m.text.as_str())])
            .unwrap_or_default()
    }
    fn plain<'a>(key: &str, items: &'a [String]) -> Vec<(String, &'a str)> {
        items
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("{key}[{i}]"), s.as_str()))
            .collect()
    }

    list.fixed("forside", "Forside", md("summary", m.summary.as_ref()));
    list.fixed(
        "laesevejledning",
        "Hvordan læser jeg denne kvalitetsstandard?",
        md("reading_intro", m.reading_intro.as_ref()),
    );
    list.fixed("formaal", "Formål", md("purpose", m.purpose.as_ref()));
    fn topic<'a>(t: &'a Option<crate::model::Topic>, key: &str) -> Vec<(String, &'a str)> {
        md(key, t.as_ref().map(|t| &t.text))
    }
    list.fixed("opgaver", "Opgaver", topic(&m.tasks, "tasks.text"));
    list.fixed(
        "maalgruppe",
        "Hvem kan få hjælp?",
        md(
            "target_group.text",
            m.target_group.as_ref().map(|t| &t.text),
        ),
    );
    list.fixed("maal", "Mål og værdier", topic(&m.goals, "goals.text"));
    list.fixed(
        "organisering",
        "Organisering",
        topic(&m.structure, "structure.text"),
    );
    // A section the municipality left out still takes its place, so each call below is one.
    let mut fields = Vec::new();
    if let Some(r) = &m.referral {
        fields = md("referral.text", Some(&r.text));
        fields.extend(plain("referral.steps", &r.steps));
    }
    list.fixed("kom-i-gang", "Sådan kommer du i gang", fields);
    list.fixed(
        "garanti",
        "Behandlingsgaranti",
        md("guarantee.text", m.guarantee.as_ref().map(|t| &t.text)),
    );
    list.fixed(
        "frit-valg",
        "Frit valg",
        topic(&m.free_choice, "free_choice.text"),
    );
    list.fixed(
        "behandlingsplan",
        "Din behandlingsplan",
        topic(&m.treatment_plan, "treatment_plan.text"),
    );
    list.fixed(
        "handleplaner",
        "Handleplaner",
        topic(&m.action_plans, "action_plans.text"),
    );
    list.fixed(
        "brugerinddragelse",
        "Brugerinddragelse",
        topic(&m.user_involvement, "user_involvement.text"),
    );
    list.fixed(
        "betaling",
        "Hvad koster det?",
        md("payment.text", m.payment.as_ref().map(|t| &t.text)),
    );
    let mut fields = Vec::new();
    if let Some(c) = &m.complaints {
        fields = md("complaints.text", Some(&c.text));
        for (i, r) in c.routes.iter().enumerate() {
            fields.extend(md(&format!("complaints.routes[{i}].text"), r.text.as_ref()));
        }
    }
    list.fixed("klager", "Sådan klager du", fields);
    list.fixed("personale", "Personalet", topic(&m.staff, "staff.text"));
    let mut fields = Vec::new();
    if let Some(mo) = &m.monitoring {
        fields = md("monitoring.text", Some(&mo.text));
        for (i, t) in mo.targets.iter().enumerate() {
            fields.push((format!("monitoring.targets[{i}].text"), t.text.as_str()));
        }
    }
    list.fixed("maaltal", "Måltal og monitorering", fields);
    list.fixed(
        "gavekort",
        "Gavekort",
        md("gift_cards.text", m.gift_cards.as_ref().map(|t| &t.text)),
    );
    list.fixed(
        "opfoelgning",
        "Opfølgning efter behandlingen",
        md("follow_up.text", m.follow_up.as_ref().map(|t| &t.text)),
    );
    list.fixed(
        "boern",
        "Børn i hjemmet",
        topic(&m.children, "children.text"),
    );
    list.fixed(
        "fremtiden",
        "Den fremtidige indsats",
        topic(&m.future, "future.text"),
    );
    let mut fields = Vec::new();
    if let Some(r) = &m.residential {
        fields = md("residential.text", Some(&r.text));
        fields.extend(plain("residential.criteria", &r.criteria));
        fields.extend(md(
            "residential.provider_requirements",
            r.provider_requirements.as_ref(),
        ));
    }
    list.fixed("doegnbehandling", "Døgnbehandling", fields);
    list.fixed(
        "anonymitet",
        "Anonymitet og tavshedspligt",
        topic(&m.anonymity, "anonymity.text"),
    );
    list.fixed(
        "paaroerende",
        "Pårørende",
        topic(&m.relatives, "relatives.text"),
    );
    list.offers(m.offers.iter().enumerate().map(|(i, o)| {
        let mut fields = md(&format!("offers[{i}].for_whom"), o.for_whom.as_ref());
        fields.extend(md(
            &format!("offers[{i}].description"),
            Some(&o.description),
        ));
        (format!("{OFFER_SECTION}{}", o.id), o.title.clone(), fields)
    }));
    let mut contact = Vec::new();
    for (i, u) in m.units.iter().enumerate() {
        contact.extend(md(
            &format!("units[{i}].description"),
            u.description.as_ref(),
        ));
    }
    list.fixed("kontakt", "Kontakt", contact);
    let mut other = Vec::new();
    for (i, h) in m.other_help.iter().enumerate() {
        other.extend(md(
            &format!("other_help[{i}].description"),
            Some(&h.description),
        ));
    }
    list.fixed("anden-hjaelp", "Anden hjælp", other);
    let mut fields = Vec::new();
    if let Some(a) = &m.approval {
        fields = md("approval.revision_text", a.revision_text.as_ref());
        fields.extend(md(
            "approval.user_representatives",
            a.user_representatives.as_ref(),
        ));
    }
    list.fixed("om-standarden", "Om standarden", fields);
    list.sections
}

/// The sections of one standard as [`sections`] lists them, each with its place.
///
/// Every municipality's sections take their places in the same order, that of the standard's
/// pages, whether or not it wrote them, so a section's place says which row of the report's
/// LIX table it belongs in: a national report has tens of thousands of sections, and finding
/// their rows by name read every name back from main memory.
#[derive(Default)]
struct SectionList<'m> {
    sections: Vec<Section<'m>>,
    places: u8,
}

impl<'m> SectionList<'m> {
    /// A section every standard may have, in the next place.
    fn fixed(&mut self, id: &'static str, title: &'static str, fields: Vec<(String, &'m str)>) {
        let place = self.next_place();
        self.push(Cow::Borrowed(id), Cow::Borrowed(title), place, fields);
    }

    /// The offers, all in the next place: they share one row of the LIX table.
    fn offers(&mut self, offers: impl Iterator<Item = (String, String, Vec<(String, &'m str)>)>) {
        let place = self.next_place();
        for (id, title, fields) in offers {
            self.push(Cow::Owned(id), Cow::Owned(title), place, fields);
        }
    }

    fn next_place(&mut self) -> u8 {
        let place = self.places;
        self.places += 1;
        place
    }

    /// Adds the section if any of its texts has something in it.
    fn push(
        &mut self,
        id: Cow<'static, str>,
        title: Cow<'static, str>,
        place: u8,
        fields: Vec<(String, &'m str)>,
    ) {
        let fields: Vec<Field> = fields
            .into_iter()
            .filter(|(_, text)| !text.trim().is_empty())
            .map(|(key, text)| Field { key, text })
            .collect();
        if !fields.is_empty() {
            self.sections.push(Section {
                id,
                title,
                place,
                fields,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// Every prose field of the model that is the editor's own (not a law quote) is read for
    /// LIX: a topic added to the model and the prose visitor is in a LIX section too.
    #[test]
    fn every_prose_field_but_law_quotes_is_in_a_section() {
        let mut table: toml::Table = crate::scaffold::scaffold("Prøve").parse().unwrap();
        let extra: toml::Table = "[[other_help]]\nname = \"R\"\ndescription = \"x\"\n"
            .parse()
            .unwrap();
        table.extend(extra);
        let source = crate::load::SourceFile::new("proeve.toml".into(), table.to_string());
        let mut m: Municipality = crate::load::parse(&source).unwrap();
        for unit in &mut m.units {
            unit.description = Some(Markdown::new("x"));
        }
        m.for_each_prose_mut(|_, md| md.text = "Tekst.".to_string());
        let counted: BTreeSet<String> = sections(&m)
            .iter()
            .flat_map(|s| s.fields.iter().map(|f| f.key.clone()))
            .collect();
        for (key, _) in m.prose() {
            if !key.starts_with("law[") {
                assert!(counted.contains(&key), "{key} is read for LIX");
            }
        }
        let ids: Vec<_> = sections(&m).into_iter().map(|s| s.id).collect();
        let unique: BTreeSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "section ids are unique");
    }
}
