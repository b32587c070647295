//! Generated text says only what the content says: a sentence kvalitet writes itself (lead,
//! reading guide, front-page facts, headings, titles, link texts) exists only when the field
//! behind it does, and names the substances the standard covers, no more.
//!
//! Each test builds a small content folder of its own. The prose in it never uses the words
//! looked for, so a word found on a page was written by the generator.

use std::collections::BTreeMap;
use std::path::Path;

use crate::fixture::{Fixture, text, tree};

/// A site title that names no substance and promises nothing.
const SITE: &str = "title = \"Kvalitetsstandarder\"\n";

/// Only the fields a municipality's file must have.
const REQUIRED: &str = r#"
name = "Lilleby Kommune"
short_name = "Lilleby"
organisation = "Rusmiddelcentret"
title = "Kvalitetsstandard"
"#;

/// Some topics, each with only its required parts: no approval, no free choice, no follow-up
/// after treatment, no opening hours, no requirements for residential providers.
const PARTIAL: &str = r#"
serves = ["Naboby"]

[guarantee]
days = 14
text = "Tekst om garantien."

[treatment_plan]
text = "Tekst om planen."

[residential]
text = "Tekst om emnet."

[complaints]
text = "Tekst om klager."

[monitoring]
text = "Tekst om kvalitet."

[[units]]
id = "centret"
name = "Centret"
phone = "12 34 56 78"

[[units.hours]]
label = "Telefontid"
monday = "9-12"

[approval]
dated = "2023-06"
"#;

/// Every field behind a generated claim, with prose that does not make the claim itself.
const FULL: &str = r#"
substances = ["alcohol", "drugs"]

[guarantee]
days = 14
text = "Tekst om garantien."

[free_choice]
text = "Tekst om valget."

[treatment_plan]
text = "Tekst om planen."

[follow_up]
months = [1, 6, 12]
text = "Tekst om tiden efter."

[residential]
text = "Tekst om emnet."
provider_requirements = "Tekst om stederne."

[[units]]
id = "centret"
name = "Centret"
phone = "12 34 56 78"
address = { street = "Vejen 1", postcode = "9990", city = "Lilleby" }

[[units.hours]]
label = "Hverdage"
monday = "9-12"

[approval]
approved_by = "Byrådet"
approved_on = 2024-12-17
valid_from = "2025-01"
next_revision = "2026-12"
"#;

/// Words that state a fact about the municipality's service, with what they claim.
const CLAIMS: &[(&str, &str)] = &[
    ("godkendt", "approval"),
    ("frit valg", "free choice"),
    ("frie valg", "free choice"),
    ("opfølgning", "follow-up after treatment"),
    ("følger op", "follow-up after treatment"),
    ("åbent", "opening hours"),
    ("åbningstid", "opening hours"),
    ("døgnbehandling", "residential treatment"),
    ("bosted", "residential treatment"),
    ("krav", "requirements for residential providers"),
    ("gratis", "free of charge"),
    ("anonym", "anonymity"),
];

/// Builds `lilleby.toml` (and the served pages it names) and returns every page but the check
/// report and the comparison, by path, as HTML. The report is for editors: it names what is
/// missing; the comparison names every topic it compares as a column, and says in the cell
/// when a standard does not state it (`tests/it/data.rs`).
fn build(municipality: &str) -> (Fixture, BTreeMap<String, String>) {
    let fixture = Fixture::empty();
    fixture.write("site.toml", SITE);
    fixture.write("lilleby.toml", municipality);
    let out = fixture.build();
    let pages = tree(&out)
        .into_iter()
        .filter(|(path, _)| path.extension().is_some_and(|e| e == "html"))
        .filter(|(path, _)| !path.starts_with("tjek") && !path.starts_with("sammenlign"))
        .map(|(path, bytes)| {
            (
                path.to_string_lossy().into_owned(),
                String::from_utf8(bytes).unwrap(),
            )
        })
        .collect();
    (fixture, pages)
}

/// The texts of the page's title, meta description and headings.
fn titles_and_headings(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (open, close) in [
        ("<title>", "</title>"),
        ("<meta name=\"description\" content=\"", "\""),
        ("<h1", "</h1>"),
        ("<h2", "</h2>"),
        ("<h3", "</h3>"),
        ("<h4", "</h4>"),
    ] {
        for piece in html.split(open).skip(1) {
            let inner = piece.split(close).next().unwrap_or("");
            found.push(text(&format!("<{inner}")));
        }
    }
    found
}

/// The one `<h1>` of a page, as text.
fn h1(html: &str) -> String {
    let inner = html
        .split("<h1")
        .nth(1)
        .unwrap()
        .split("</h1>")
        .next()
        .unwrap();
    text(&format!("<{inner}"))
}

/// The paragraph of the reading guide that describes the section at `slug`, as text.
fn guide_line(guide: &str, slug: &str) -> String {
    let list = guide.split("<ol class=\"guide\">").nth(1).unwrap();
    let list = list.split("</ol>").next().unwrap();
    let item = list
        .split("<li>")
        .find(|li| li.contains(&format!("/{slug}/\"")))
        .unwrap_or_else(|| panic!("the guide lists {slug}:\n{list}"));
    text(item)
}

fn assert_claims_nothing(pages: &BTreeMap<String, String>, except: &[&str]) {
    assert!(
        pages.len() >= 3,
        "the site has its pages: {:?}",
        pages.keys()
    );
    for (path, html) in pages {
        let lower = html.to_lowercase();
        for (word, claim) in CLAIMS {
            if except.contains(word) {
                continue;
            }
            assert!(
                !lower.contains(word),
                "{path} claims {claim} ({word:?}) that the content does not state:\n{}",
                text(html)
            );
        }
    }
}

/// Every link between the site's pages leads to a page that exists: no link to a topic the
/// content leaves out.
fn assert_links_lead_somewhere(out: &Path, pages: &BTreeMap<String, String>) {
    for (path, html) in pages {
        let folder = out.join(path).parent().unwrap().to_path_buf();
        for piece in html.split("href=\"").skip(1) {
            let href = piece.split('"').next().unwrap();
            if href.starts_with('#') || href.contains(':') {
                continue;
            }
            let target = folder.join(href);
            assert!(
                target.join("index.html").is_file() || target.is_file(),
                "{path} links to {href}, which is not there"
            );
        }
    }
}

/// No list on a page is empty: what a file leaves out leaves no list of nothing behind.
fn assert_no_empty_lists(pages: &BTreeMap<String, String>) {
    for (path, html) in pages {
        for tag in ["ul", "ol", "dl"] {
            for piece in html.split(&format!("<{tag}")).skip(1) {
                let list = piece.split(&format!("</{tag}>")).next().unwrap();
                assert!(
                    list.contains("<li") || list.contains("<dt"),
                    "{path} has an empty <{tag}{list}</{tag}>"
                );
            }
        }
    }
}

#[test]
fn a_standard_with_only_the_required_fields_claims_nothing() {
    let (fixture, pages) = build(REQUIRED);
    assert_claims_nothing(&pages, &[]);
    assert_links_lead_somewhere(&fixture.output(), &pages);
    assert_no_empty_lists(&pages);
    for (path, html) in &pages {
        for line in titles_and_headings(html) {
            assert!(
                !line.to_lowercase().contains("alkohol") && !line.contains("stoffer"),
                "{path}: a standard that names no substance has the heading or title {line:?}"
            );
        }
    }
    assert_eq!(
        h1(&pages["lilleby/index.html"]),
        "Hjælp til rusmidler i Lilleby"
    );
}

#[test]
fn a_topic_with_some_parts_is_described_by_those_parts_only() {
    let (fixture, pages) = build(&format!("{REQUIRED}substances = [\"drugs\"]\n{PARTIAL}"));
    assert_claims_nothing(&pages, &["døgnbehandling"]);
    assert_links_lead_somewhere(&fixture.output(), &pages);
    assert_no_empty_lists(&pages);
    let guide = &pages["lilleby/laesevejledning/index.html"];
    assert_eq!(
        guide_line(guide, "dine-rettigheder"),
        "Hvilke rettigheder har jeg? Her kan du læse om hvornår behandlingen starter."
    );
    assert_eq!(
        guide_line(guide, "kontakt"),
        "Hvordan kontakter jeg jer? Her kan du læse om telefonnummer og telefontider."
    );
    assert!(
        text(&pages["lilleby/index.html"]).contains("Telefonnummer og telefontider"),
        "the contact block's link names what the contact page has"
    );
}

#[test]
fn a_drugs_only_standard_never_says_alcohol_in_a_heading_or_title() {
    let (_fixture, pages) = build(&format!("{REQUIRED}substances = [\"drugs\"]\n{PARTIAL}"));
    for (path, html) in &pages {
        for line in titles_and_headings(html) {
            assert!(
                !line.to_lowercase().contains("alkohol"),
                "{path}: a drugs-only standard has the heading or title {line:?}"
            );
        }
        assert!(
            !html.to_lowercase().contains("alkohol"),
            "{path}: a drugs-only standard mentions alcohol:\n{}",
            text(html)
        );
    }
    assert_eq!(
        h1(&pages["lilleby/index.html"]),
        "Hjælp til stoffer i Lilleby"
    );
    assert_eq!(
        h1(&pages["naboby/index.html"]),
        "Hjælp til stoffer i Naboby"
    );
    let guide = text(&pages["lilleby/laesevejledning/index.html"]);
    assert!(
        guide.contains("dig, der har problemer med stoffer."),
        "{guide}"
    );
}

#[test]
fn an_alcohol_only_standard_says_alcohol() {
    let (_fixture, pages) = build(&format!("{REQUIRED}substances = [\"alcohol\"]\n"));
    let front = &pages["lilleby/index.html"];
    assert_eq!(h1(front), "Hjælp til alkohol i Lilleby");
    assert!(
        front.contains("<title>Hjælp til alkohol i Lilleby"),
        "{front}"
    );
}

#[test]
fn each_claim_appears_when_its_field_is_there() {
    let (fixture, pages) = build(&format!("{REQUIRED}{FULL}"));
    assert_links_lead_somewhere(&fixture.output(), &pages);
    assert_no_empty_lists(&pages);
    let front = &pages["lilleby/index.html"];
    assert_eq!(h1(front), "Hjælp til stoffer og alkohol i Lilleby");
    assert!(
        front.contains("<title>Hjælp til stoffer og alkohol i Lilleby"),
        "{front}"
    );
    assert!(
        text(front).contains("Adresse, telefonnummer og tider"),
        "{}",
        text(front)
    );
    let guide = &pages["lilleby/laesevejledning/index.html"];
    let lead = text(guide);
    assert!(
        lead.contains("dig, der har problemer med stoffer eller alkohol. Den er godkendt af Byrådet den 17. december 2024."),
        "{lead}"
    );
    assert_eq!(
        guide_line(guide, "dine-rettigheder"),
        "Hvilke rettigheder har jeg? Her kan du læse om hvornår behandlingen starter og reglerne om frit valg af behandlingssted."
    );
    assert_eq!(
        guide_line(guide, "plan-og-opfoelgning"),
        "Hvordan bliver min behandling planlagt og fulgt op? Her kan du læse om din behandlingsplan og opfølgningen, når behandlingen er slut."
    );
    assert_eq!(
        guide_line(guide, "doegnbehandling"),
        "Hvornår kan jeg få døgnbehandling? Her kan du læse om døgnbehandling og hvilke krav kommunen stiller til behandlingsstederne."
    );
    assert_eq!(
        guide_line(guide, "om-standarden"),
        "Om denne kvalitetsstandard Her kan du læse om hvem der har godkendt standarden, hvornår den er godkendt, hvornår den gælder fra og hvornår den senest bliver revideret."
    );
    let plan = text(&pages["lilleby/plan-og-opfoelgning/index.html"]);
    assert!(
        plan.contains("Vi følger op på din situation 1, 6 og 12 måneder efter"),
        "{plan}"
    );
}

#[test]
fn opening_hours_are_named_when_a_table_says_so() {
    let full =
        format!("{REQUIRED}{FULL}").replace("label = \"Hverdage\"", "label = \"Åbningstid\"");
    let (_fixture, pages) = build(&full);
    let guide = &pages["lilleby/laesevejledning/index.html"];
    assert_eq!(
        guide_line(guide, "kontakt"),
        "Hvordan kontakter jeg jer? Her kan du læse om adresse, telefonnummer og åbningstider."
    );
}
