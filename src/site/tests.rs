//! The topics are listed once, in [`SECTIONS`]; these tests fail when a place that must follow
//! the table does not: the model, the scaffold, the prose visitor, the rules and the legal
//! checks.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::check::{CheckOptions, RULES};

/// Keys the scaffold leaves out, so that `kvalitet new` stays short: a topic added to the
/// model belongs in the scaffold unless it is named here.
const NOT_IN_SCAFFOLD: &[&str] = &[];

fn scaffold_table() -> toml::Table {
    crate::scaffold::switched_on("Prøve")
        .parse()
        .expect("the scaffold is TOML")
}

/// The scaffold with what it leaves out: a standard that covers every topic.
fn full_table() -> toml::Table {
    let mut table = scaffold_table();
    let other_help: toml::Table =
        "[[other_help]]\nname = \"Rådgivning\"\ndescription = \"Vi rådgiver.\"\n"
            .parse()
            .unwrap();
    table.extend(other_help);
    let partners: toml::Table =
        "[[partners]]\nname = \"Jobcentret\"\ntext = \"Vi arbejder sammen.\"\n"
            .parse()
            .unwrap();
    table.extend(partners);
    // The scaffold's unit has no description, which is optional.
    let unit = table["units"].as_array_mut().unwrap()[0]
        .as_table_mut()
        .unwrap();
    unit.insert("description".into(), "Vi har åbent.".into());
    // The scaffold quotes no law: its law text is a comment over several lines.
    let law = table["law"].as_array_mut().unwrap()[0]
        .as_table_mut()
        .unwrap();
    law.insert("text".into(), "Lovens tekst.".into());
    table
}

fn parse(table: &toml::Table) -> Municipality {
    let source = crate::load::SourceFile::new("proeve.toml".into(), table.to_string());
    crate::load::parse(&source).expect("the file is valid")
}

/// Every top-level key a municipality's file may have, as the model declares them.
fn model_keys() -> BTreeSet<String> {
    let message = toml::from_str::<Municipality>("zz_not_a_field = 1")
        .expect_err("an unknown key is refused")
        .to_string();
    let expected = message
        .split("expected one of")
        .nth(1)
        .expect("the error lists the keys");
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn topic_keys() -> Vec<&'static str> {
    SECTIONS
        .iter()
        .flat_map(|s| s.fields.iter().copied())
        .collect()
}

/// The field a key path starts with: `offers[2].description` -> `offers`.
fn field_of(key: &str) -> &str {
    key.split(['.', '[']).next().unwrap_or(key)
}

#[test]
fn every_key_of_the_model_is_shown_by_one_section() {
    let topics = topic_keys();
    let unique: BTreeSet<&str> = topics.iter().copied().collect();
    assert_eq!(unique.len(), topics.len(), "a key is in two sections");
    let mut listed: BTreeSet<String> = unique.iter().map(|k| k.to_string()).collect();
    listed.extend(NOT_TOPICS.iter().map(|k| k.to_string()));
    assert_eq!(
        listed,
        model_keys(),
        "the keys of SECTIONS and NOT_TOPICS are the model's keys"
    );
}

#[test]
fn the_scaffold_explains_every_topic() {
    let table = scaffold_table();
    for key in model_keys() {
        assert_ne!(
            table.contains_key(&key),
            NOT_IN_SCAFFOLD.contains(&key.as_str()),
            "the scaffold has {key}, or NOT_IN_SCAFFOLD names it"
        );
    }
}

#[test]
fn a_section_is_there_exactly_when_one_of_its_keys_is() {
    let full = full_table();
    let mut bare = full.clone();
    for key in topic_keys() {
        bare.remove(key);
    }
    // A general standard gives the topics it covers a section of their own (a link to it).
    bare.remove("general_standard");
    assert!(
        sections_of(&parse(&bare)).is_empty(),
        "no topic, no section"
    );
    for section in SECTIONS {
        for key in section.fields {
            let mut table = bare.clone();
            table.insert(key.to_string(), full[*key].clone());
            let ids: Vec<&str> = sections_of(&parse(&table)).iter().map(|s| s.id).collect();
            assert_eq!(ids, [section.id], "{key} alone makes its section");
        }
    }
}

#[test]
fn the_prose_visitor_reaches_every_topic() {
    let m = parse(&full_table());
    let prose = m.prose();
    let reached: BTreeSet<&str> = prose.iter().map(|(key, _)| field_of(key)).collect();
    for key in topic_keys() {
        assert!(reached.contains(key), "the prose of {key} is visited");
    }
    for key in reached {
        assert!(
            topic_keys().contains(&key) || NOT_TOPICS.contains(&key),
            "{key} is a key of the table"
        );
    }
}

#[test]
fn every_legal_rule_is_answered_by_one_section() {
    let mut answered: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for section in SECTIONS {
        for rule in section.rules {
            answered.entry(rule).or_default().push(section.id);
        }
    }
    for rule in RULES {
        let sections = answered.remove(rule.id).unwrap_or_default();
        if rule.legal {
            assert_eq!(sections.len(), 1, "{} is answered by one section", rule.id);
        } else {
            assert!(sections.is_empty(), "{} is no rule of a section", rule.id);
        }
    }
    assert!(answered.is_empty(), "rules of no RULES entry: {answered:?}");
}

#[test]
fn the_legal_checks_look_in_the_section_that_answers_the_rule() {
    let mut bare: toml::Table = crate::scaffold::scaffold("Prøve").parse().unwrap();
    for key in topic_keys() {
        bare.remove(key);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("proeve.toml");
    std::fs::write(&path, bare.to_string()).unwrap();
    let lm = crate::load::load_municipality(&path).expect("the file is valid");
    let site_source =
        crate::load::SourceFile::new("site.toml".into(), "title = \"Prøve\"\n".into());
    let site: Site = crate::load::parse(&site_source).expect("site.toml is valid");
    let options = CheckOptions::for_site(&site);
    let check = crate::check::check_municipality(&site, &lm, &options);
    let mut reported = BTreeSet::new();
    for finding in check.summary.findings() {
        let Some(rule) = RULES.iter().find(|r| r.id == finding.rule && r.legal) else {
            continue;
        };
        reported.insert(rule.id);
        let key = finding
            .key
            .as_deref()
            .expect("a legal finding names its key");
        let section = SECTIONS
            .iter()
            .find(|s| s.rules.contains(&rule.id))
            .expect("the rule has a section");
        assert!(
            section.fields.contains(&field_of(key)),
            "{}: {key} is shown by {}",
            rule.id,
            section.id
        );
    }
    for rule in RULES.iter().filter(|r| r.legal) {
        // §5 applies only where residential treatment is offered.
        if rule.id != "§5" {
            assert!(reported.contains(rule.id), "{} is checked", rule.id);
        }
    }
}
