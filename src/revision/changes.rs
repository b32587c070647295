//! The change report: a municipality's latest approved copy (old) against its working file
//! (new), as the council reads it. (a) the facts that changed, old -> new, and the offers
//! added or removed; (b) the prose of each section of the site as a word-level redline;
//! (c) the rules whose check status changed; (d) LIX before and after, per section and for
//! the whole standard. It says only what differs between the two files: nothing is judged.

use serde::Serialize;

use super::facts::{Fact, facts};
use super::redline::{Kind, Paragraph, redline, words};
use crate::check::{
    CheckOptions, MunicipalityCheck, PreparedCheck, SectionLix, Status, municipality_rules,
    rule_runs, rule_status,
};
use crate::load::LoadedMunicipality;
use crate::model::{Municipality, Site};
use crate::site::{SECTIONS, sections_of};

/// The pseudo-sections before the site's sections: the front page's and the reading guide's
/// texts, with the ids and headings the check's LIX table gives them.
const FRONT: (&str, &str) = ("forside", "Forside");
const GUIDE: (&str, &str) = (
    "laesevejledning",
    "Hvordan læser jeg denne kvalitetsstandard?",
);

/// What changed from the approved copy to the working file.
#[derive(Debug, Serialize)]
pub(crate) struct ChangeReport {
    /// Nothing the report compares differs (the files may still differ in comments).
    pub(crate) unchanged: bool,
    /// The working file reads the same as the approved copy, comments and layout too.
    pub(crate) identical: bool,
    /// (a) Facts whose value changed, came or went, in the order of the site's sections.
    pub(crate) facts: Vec<FactChange>,
    /// (a) Offers by title.
    pub(crate) offers_added: Vec<String>,
    pub(crate) offers_removed: Vec<String>,
    /// (b) Every section either version has, in the site's order.
    pub(crate) sections: Vec<SectionChange>,
    /// How many of `sections` changed.
    pub(crate) sections_changed: usize,
    /// (c) Rules whose status changed, in the order of the rules.
    pub(crate) rules: Vec<RuleChange>,
    /// (d) LIX per section either version has, and of the whole standard.
    pub(crate) lix: Vec<LixChange>,
    pub(crate) lix_total: LixChange,
    /// How many of `lix` changed (the page shows those).
    pub(crate) lix_changed: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct FactChange {
    /// The heading of the section that shows the fact.
    pub(crate) section: &'static str,
    pub(crate) label: String,
    /// `None`: the version does not have the fact.
    pub(crate) old: Option<String>,
    pub(crate) new: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct SectionChange {
    pub(crate) id: &'static str,
    pub(crate) heading: &'static str,
    /// Its prose or one of its facts changed.
    pub(crate) changed: bool,
    /// Only in the working file, or only in the approved copy.
    pub(crate) added: bool,
    pub(crate) removed: bool,
    /// The paragraphs of its prose that changed, as a redline; empty when the prose is the
    /// same.
    pub(crate) redline: Vec<Paragraph>,
    /// How many paragraphs of its prose are the same, and not shown.
    pub(crate) same_paragraphs: usize,
    /// How many of its facts changed (they are listed under (a)).
    pub(crate) facts_changed: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct RuleChange {
    pub(crate) id: &'static str,
    pub(crate) title: &'static str,
    pub(crate) old: &'static str,
    pub(crate) new: &'static str,
}

#[derive(Debug, Serialize)]
pub(crate) struct LixChange {
    pub(crate) title: String,
    /// One decimal, with a decimal comma; `None` without words.
    pub(crate) old: Option<String>,
    pub(crate) new: Option<String>,
    pub(crate) changed: bool,
}

/// Compares the approved copy `old` with the working file `new`, both checked with the
/// site's options (today's date, the site's LIX limit).
pub(crate) fn compare(
    old: &LoadedMunicipality,
    new: &LoadedMunicipality,
    site: &Site,
) -> ChangeReport {
    let options = CheckOptions::for_site(site);
    let checker = PreparedCheck::new(site, &options);
    let (old_check, new_check) =
        rayon::join(|| checker.municipality(old), || checker.municipality(new));
    let fact_changes = compare_facts(&facts(&old.data), &facts(&new.data));
    let (offers_added, offers_removed) = compare_offers(&old.data, &new.data);
    let sections = compare_sections(
        &old.data,
        &new.data,
        &fact_changes,
        &offers_added,
        &offers_removed,
    );
    let rules = compare_rules(&old_check, &new_check);
    let lix = compare_lix(&old_check.summary.lix, &new_check.summary.lix);
    let lix_total = lix_change(
        "Hele standarden".to_string(),
        Some(&old_check.summary.lix_total),
        Some(&new_check.summary.lix_total),
    );
    let sections_changed = sections.iter().filter(|s| s.changed).count();
    let lix_changed = lix.iter().filter(|l| l.changed).count();
    let facts = fact_changes
        .into_iter()
        .map(|(section, change)| FactChange {
            section: heading_of(section),
            ..change
        })
        .collect::<Vec<_>>();
    ChangeReport {
        unchanged: facts.is_empty()
            && offers_added.is_empty()
            && offers_removed.is_empty()
            && sections_changed == 0
            && rules.is_empty()
            && lix_changed == 0
            && !lix_total.changed,
        identical: old.source.text == new.source.text,
        facts,
        offers_added,
        offers_removed,
        sections,
        sections_changed,
        rules,
        lix,
        lix_total,
        lix_changed,
    }
}

/// Facts that differ, each with its section's id, in the order of the site's sections.
fn compare_facts(old: &[Fact], new: &[Fact]) -> Vec<(&'static str, FactChange)> {
    let find = |list: &[Fact], label: &str| {
        list.iter()
            .find(|f| f.label == label)
            .map(|f| f.value.clone())
    };
    let mut changes: Vec<(&'static str, FactChange)> = Vec::new();
    for f in new {
        let before = find(old, &f.label);
        if before.as_deref() != Some(&f.value) {
            changes.push((
                f.section,
                FactChange {
                    section: "",
                    label: f.label.clone(),
                    old: before,
                    new: Some(f.value.clone()),
                },
            ));
        }
    }
    for f in old {
        if find(new, &f.label).is_none() {
            changes.push((
                f.section,
                FactChange {
                    section: "",
                    label: f.label.clone(),
                    old: Some(f.value.clone()),
                    new: None,
                },
            ));
        }
    }
    changes.sort_by_key(|(section, _)| place_of(section));
    changes
}

/// Offers added and removed, by title.
fn compare_offers(old: &Municipality, new: &Municipality) -> (Vec<String>, Vec<String>) {
    let titles = |m: &Municipality| {
        m.offers
            .iter()
            .map(|o| o.title.trim().to_string())
            .collect::<Vec<_>>()
    };
    let (old, new) = (titles(old), titles(new));
    let added = new.iter().filter(|t| !old.contains(t)).cloned().collect();
    let removed = old.iter().filter(|t| !new.contains(t)).cloned().collect();
    (added, removed)
}

/// The place of a section id in the site's order: the front page and reading guide first.
fn place_of(id: &str) -> usize {
    match id {
        "forside" => 0,
        "laesevejledning" => 1,
        _ => SECTIONS
            .iter()
            .position(|s| s.id == id)
            .map_or(usize::MAX, |i| i + 2),
    }
}

fn heading_of(id: &str) -> &'static str {
    match id {
        "forside" => FRONT.1,
        "laesevejledning" => GUIDE.1,
        _ => SECTIONS
            .iter()
            .find(|s| s.id == id)
            .map_or("", |s| s.heading),
    }
}

/// Every section either version has, with the redline of its prose.
fn compare_sections(
    old: &Municipality,
    new: &Municipality,
    facts: &[(&'static str, FactChange)],
    offers_added: &[String],
    offers_removed: &[String],
) -> Vec<SectionChange> {
    let (old_texts, new_texts) = (texts(old), texts(new));
    let (old_has, new_has) = (sections_of(old), sections_of(new));
    let mut ids: Vec<(&'static str, &'static str, bool, bool)> = Vec::new();
    for (id, heading) in [FRONT, GUIDE] {
        let in_old = old_texts.iter().any(|(s, _)| *s == id);
        let in_new = new_texts.iter().any(|(s, _)| *s == id);
        if in_old || in_new {
            ids.push((id, heading, in_old, in_new));
        }
    }
    for def in SECTIONS {
        let in_old = old_has.iter().any(|s| s.id == def.id);
        let in_new = new_has.iter().any(|s| s.id == def.id);
        if in_old || in_new {
            ids.push((def.id, def.heading, in_old, in_new));
        }
    }
    ids.into_iter()
        .map(|(id, heading, in_old, in_new)| {
            let (redline, same): (Vec<Paragraph>, Vec<Paragraph>) = redline(
                &section_words(&old_texts, id),
                &section_words(&new_texts, id),
            )
            .unwrap_or_default()
            .into_iter()
            .partition(|p| p.iter().any(|run| run.kind != Kind::Same));
            let mut facts_changed = facts.iter().filter(|(s, _)| *s == id).count();
            if id == "offers" {
                facts_changed += offers_added.len() + offers_removed.len();
            }
            SectionChange {
                id,
                heading,
                changed: !redline.is_empty() || facts_changed > 0 || in_old != in_new,
                added: !in_old,
                removed: !in_new,
                same_paragraphs: if redline.is_empty() { 0 } else { same.len() },
                redline,
                facts_changed,
            }
        })
        .collect()
}

/// The words of the texts of section `id`.
fn section_words<'a>(texts: &[(&'static str, &'a str)], id: &str) -> Vec<&'a str> {
    words(texts.iter().filter(|(s, _)| *s == id).map(|(_, t)| *t))
}

/// Every text the editor wrote, with the id of the section that shows it, in the file's
/// order: the prose (law quotes too: a changed quote is a change), and the short texts that
/// are plain strings in the model.
fn texts(m: &Municipality) -> Vec<(&'static str, &str)> {
    let mut texts: Vec<(String, &str)> = m
        .prose()
        .into_iter()
        .map(|(key, md)| (key, md.text.as_str()))
        .collect();
    if let Some(r) = &m.referral {
        texts.extend(r.steps.iter().map(|s| ("referral".to_string(), s.as_str())));
    }
    if let Some(mo) = &m.monitoring {
        texts.extend(
            mo.targets
                .iter()
                .map(|t| ("monitoring".to_string(), t.text.as_str())),
        );
    }
    if let Some(r) = &m.residential {
        texts.extend(
            r.criteria
                .iter()
                .map(|c| ("residential".to_string(), c.as_str())),
        );
    }
    texts
        .into_iter()
        .filter_map(|(key, text)| {
            let field = key.split(['.', '[']).next().unwrap_or(&key);
            let section = match field {
                "summary" => Some(FRONT.0),
                "reading_intro" => Some(GUIDE.0),
                _ => SECTIONS
                    .iter()
                    .find(|s| s.fields.contains(&field))
                    .map(|s| s.id),
            };
            section.map(|s| (s, text))
        })
        .collect()
}

/// Rules whose status differs between the two checks.
fn compare_rules(old: &MunicipalityCheck, new: &MunicipalityCheck) -> Vec<RuleChange> {
    let statuses = |c: &MunicipalityCheck| -> Vec<Status> {
        rule_runs(c.summary.findings())
            .map(|(rule, found)| rule_status(&c.summary, rule.id, found))
            .collect()
    };
    let (before, after) = (statuses(old), statuses(new));
    municipality_rules()
        .zip(before.into_iter().zip(after))
        .filter(|(_, (b, a))| b != a)
        .map(|(rule, (b, a))| RuleChange {
            id: rule.id,
            title: rule.title,
            old: b.danish(),
            new: a.danish(),
        })
        .collect()
}

/// LIX per section either version has, in the working file's order, then the sections only
/// the approved copy has.
fn compare_lix(old: &[SectionLix], new: &[SectionLix]) -> Vec<LixChange> {
    let mut out: Vec<LixChange> = new
        .iter()
        .map(|n| lix_change(n.title.clone(), find_lix(old, &n.section), Some(n)))
        .collect();
    out.extend(
        old.iter()
            .filter(|o| find_lix(new, &o.section).is_none())
            .map(|o| lix_change(o.title.clone(), Some(o), None)),
    );
    out
}

fn find_lix<'a>(list: &'a [SectionLix], id: &str) -> Option<&'a SectionLix> {
    list.iter().find(|s| s.section == id)
}

fn lix_change(title: String, old: Option<&SectionLix>, new: Option<&SectionLix>) -> LixChange {
    let shown = |s: Option<&SectionLix>| {
        s.and_then(|s| s.lix)
            .map(|v| format!("{v:.1}").replace('.', ","))
    };
    let (old, new) = (shown(old), shown(new));
    LixChange {
        title,
        changed: old != new,
        old,
        new,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::SourceFile;

    const VALID: &str = include_str!("../../tests/golden/_valid.toml.txt");

    fn loaded(text: &str) -> LoadedMunicipality {
        let (source, data) =
            SourceFile::parse_typed::<Municipality>("proeve.toml".into(), text.to_string());
        let mut data = data.unwrap();
        data.settle();
        LoadedMunicipality {
            slug: "proeve".to_string(),
            source,
            data,
            warnings: Vec::new(),
            history: Default::default(),
        }
    }

    fn site() -> Site {
        toml::from_str("title = \"t\"\n").unwrap()
    }

    #[test]
    fn facts_offers_and_sections_that_came_or_went_are_told() {
        let old = loaded(VALID);
        let new = loaded(
            &VALID
                .replace("12 34 56 78", "87 65 43 21")
                .replace("approved_on = 2024-12-17", "approved_on = 2026-11-30")
                .replace(
                    "title = \"Ambulant behandling\"",
                    "title = \"Dagbehandling\"",
                )
                .replace(
                    "[approval]",
                    "[payment]\nfree = true\ntext = \"Det er gratis.\"\n\n[approval]",
                ),
        );
        let report = compare(&old, &new, &site());
        assert!(!report.unchanged && !report.identical);
        let fact = |label: &str| {
            report
                .facts
                .iter()
                .find(|f| f.label == label)
                .unwrap_or_else(|| panic!("no fact {label}: {:?}", report.facts))
        };
        let phone = fact("Rusmiddelcenter Prøve: telefon");
        assert_eq!(phone.old.as_deref(), Some("12 34 56 78"));
        assert_eq!(phone.new.as_deref(), Some("87 65 43 21"));
        assert_eq!(phone.section, "Hvordan kontakter jeg jer?");
        assert_eq!(
            fact("Godkendt den").new.as_deref(),
            Some("30. november 2026")
        );
        assert_eq!(
            fact("Gratis").old,
            None,
            "a fact that came has no old value"
        );
        assert_eq!(report.offers_added, ["Dagbehandling"]);
        assert_eq!(report.offers_removed, ["Ambulant behandling"]);
        let payment = report.sections.iter().find(|s| s.id == "payment").unwrap();
        assert!(payment.changed && payment.added && !payment.removed);
        assert_eq!(payment.redline.len(), 1, "its text is all new");
        let rights = report.sections.iter().find(|s| s.id == "rights").unwrap();
        assert!(!rights.changed, "the guarantee is the same");
        assert!(
            report
                .rules
                .iter()
                .any(|r| r.id == "§4.1.11" && r.old == "mangler"),
            "payment was missing: {:?}",
            report.rules
        );
    }

    #[test]
    fn the_same_standard_is_unchanged() {
        let report = compare(&loaded(VALID), &loaded(VALID), &site());
        assert!(report.unchanged && report.identical);
        assert!(report.sections.iter().all(|s| !s.changed));
        assert!(report.facts.is_empty() && report.rules.is_empty());
    }
}
