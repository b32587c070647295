//! The page sections of a standard, with their prose, in the order of the standard's pages:
//! what `kvalitet check` reports LIX for.

use super::report::OFFER_SECTION;
use crate::model::Municipality;
use crate::site::SECTIONS;

/// A prose field, as plain text, in a page section.
/// A text of the standard, borrowed from the model: its plain text is made once, at load.
pub(super) struct Field<'a> {
    pub(super) key: String,
    pub(super) text: &'a str,
}

pub(super) struct Section<'a> {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) place: u8,
    pub(super) fields: Vec<Field<'a>>,
}

/// The page sections of a standard with their prose, as plain text: the front page, the
/// reading guide, each page of [`SECTIONS`] with the texts of its `fields`, and each offer's
/// page (`tilbud/<id>`) after the page that lists the offers. A page's section has the page's
/// id (its anchor on the whole-standard page) and its heading. Law quotes are left out: their
/// wording is the law's, not the editor's.
pub(super) fn sections<'m>(m: &'m Municipality) -> Vec<Section<'m>> {
    // The editor's texts by the place of the page that shows them.
    let mut by_page: Vec<Vec<(String, &'m str)>> = vec![Vec::new(); SECTIONS.len()];
    let mut front = Vec::new();
    let mut guide = Vec::new();
    let mut offers: Vec<Vec<(String, &'m str)>> = vec![Vec::new(); m.offers.len()];
    for (key, text) in texts(m) {
        let field = key.split(['.', '[']).next().unwrap_or(&key);
        match field {
            "summary" => front.push((key, text)),
            "reading_intro" => guide.push((key, text)),
            "law" => {}
            "offers" => {
                if let Some(i) = offer_index(&key) {
                    offers[i].push((key, text));
                }
            }
            _ => {
                if let Some(page) = SECTIONS.iter().position(|s| s.fields.contains(&field)) {
                    by_page[page].push((key, text));
                }
            }
        }
    }

    let mut list = SectionList::default();
    list.fixed("forside", "Forside", front);
    list.fixed(
        "laesevejledning",
        "Hvordan læser jeg denne kvalitetsstandard?",
        guide,
    );
    let mut offers = Some(offers);
    for (def, fields) in SECTIONS.iter().zip(by_page) {
        // A section the municipality left out still takes its place.
        list.fixed(def.id, def.heading, fields);
        if def.fields.contains(&"offers")
            && let Some(offers) = offers.take()
        {
            list.offers(
                m.offers.iter().zip(offers).map(|(o, fields)| {
                    (format!("{OFFER_SECTION}{}", o.id), o.title.clone(), fields)
                }),
            );
        }
    }
    list.sections
}

/// Every text the editor wrote, with its key: the prose, and the short texts that are plain
/// strings in the model.
fn texts(m: &Municipality) -> Vec<(String, &str)> {
    let mut texts: Vec<(String, &str)> = m
        .prose()
        .into_iter()
        .map(|(key, md)| (key, md.text.as_str()))
        .collect();
    if let Some(r) = &m.referral {
        for (i, step) in r.steps.iter().enumerate() {
            texts.push((format!("referral.steps[{i}]"), step.as_str()));
        }
    }
    if let Some(mo) = &m.monitoring {
        for (i, t) in mo.targets.iter().enumerate() {
            texts.push((format!("monitoring.targets[{i}].text"), t.text.as_str()));
        }
    }
    if let Some(r) = &m.residential {
        for (i, c) in r.criteria.iter().enumerate() {
            texts.push((format!("residential.criteria[{i}]"), c.as_str()));
        }
    }
    texts
}

/// `offers[2].description` -> 2.
fn offer_index(key: &str) -> Option<usize> {
    key.strip_prefix("offers[")?.split(']').next()?.parse().ok()
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
        self.push(id.to_string(), title.to_string(), place, fields);
    }

    /// The offers, all in the next place: they share one row of the LIX table.
    fn offers(&mut self, offers: impl Iterator<Item = (String, String, Vec<(String, &'m str)>)>) {
        let place = self.next_place();
        for (id, title, fields) in offers {
            self.push(id, title, place, fields);
        }
    }

    fn next_place(&mut self) -> u8 {
        let place = self.places;
        self.places += 1;
        place
    }

    /// Adds the section if any of its texts has something in it.
    fn push(&mut self, id: String, title: String, place: u8, fields: Vec<(String, &'m str)>) {
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
    use crate::model::Markdown;

    /// Every prose field of the model that is the editor's own (not a law quote) is read for
    /// LIX: a topic added to the model and the prose visitor is in a LIX section too.
    #[test]
    fn every_prose_field_but_law_quotes_is_in_a_section() {
        let mut table: toml::Table = crate::scaffold::switched_on("Prøve").parse().unwrap();
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
