//! The council packet: the whole-standard page has a cover whose lines come from `[approval]`,
//! one line per field that is there, never an approval the content does not state, and a table
//! of contents that lists every part of the page in reading order. (How it prints, with page
//! numbers and page breaks, is proven in Chromium by the browser suite, tests/browser.)

use crate::fixture::{Fixture, text};

/// The cover of a built whole-standard page, as HTML.
fn cover(f: &Fixture, slug: &str) -> String {
    let page = f.page(&format!("{slug}/hele-standarden/index.html"));
    let start = page
        .find("<div class=\"cover\">")
        .unwrap_or_else(|| panic!("{slug}'s whole standard has a cover:\n{page}"));
    let end = start + page[start..].find("</dl>").expect("the cover's facts end");
    page[start..end].to_string()
}

/// The lines of the cover's list of facts: "Status: ...", "Gælder fra: ...".
fn cover_lines(cover: &str) -> Vec<String> {
    cover
        .split("<div><dt>")
        .skip(1)
        .map(|item| {
            let (label, value) = item.split_once("</dt>").expect("a label and a value");
            format!("{}: {}", text(label), text(value))
        })
        .collect()
}

#[test]
fn an_approved_standard_has_its_approval_and_validity_on_the_cover() {
    let f = Fixture::bundled();
    f.build();
    let cover = cover(&f, "odsherred");
    assert!(
        text(&cover).starts_with("Odsherred Kommune Rusmiddelteamet"),
        "{cover}"
    );
    assert!(
        cover.contains("<h1>Kvalitetsstandard for Alkoholbehandling efter Sundhedslovens § 141,"),
        "{cover}"
    );
    assert_eq!(
        cover_lines(&cover),
        [
            "Status: Godkendt af Byrådet den 17. december 2024.",
            "Gælder fra: januar 2025",
            "Gælder til: december 2026",
            "Bliver revideret senest: december 2026",
        ]
    );
}

#[test]
fn the_case_number_and_the_decision_are_on_the_cover_when_the_file_has_them() {
    let f = Fixture::bundled();
    f.edit(
        "odsherred.toml",
        "approved_on = 2024-12-17\n",
        "approved_on = 2024-12-17\ncase_number = \"27.12.00-A00-3-24\"\n\
         decision_url = \"https://www.odsherred.dk/referat/byraadet-2024-12-17\"\n",
    );
    f.build();
    let cover = cover(&f, "odsherred");
    let lines = cover_lines(&cover);
    assert_eq!(lines[1], "Sagsnummer: 27.12.00-A00-3-24", "{cover}");
    assert_eq!(lines[2], "Beslutningen: Læs beslutningen", "{cover}");
    assert!(
        cover.contains("<a href=\"https://www.odsherred.dk/referat/byraadet-2024-12-17\">"),
        "{cover}"
    );
}

#[test]
fn a_standard_without_approval_facts_claims_no_approval_on_its_cover() {
    let f = Fixture::bundled();
    f.build();
    // Fredericia's file has no [approval]; Holbæk's names only the date the document carries.
    for (slug, lines) in [
        (
            "fredericia",
            vec!["Status: Standarden nævner ingen godkendelse."],
        ),
        (
            "holbaek",
            vec![
                "Status: Standarden nævner ingen godkendelse.",
                "Dateret: juni 2023",
            ],
        ),
    ] {
        let cover = cover(&f, slug);
        assert_eq!(cover_lines(&cover), lines, "{slug}");
        assert!(
            !cover.to_lowercase().contains("godkendt"),
            "{slug}: {cover}"
        );
    }
}

#[test]
fn an_approval_without_a_body_or_a_date_says_only_what_it_has() {
    let f = Fixture::bundled();
    f.edit("odsherred.toml", "approved_by = \"Byrådet\"\n", "");
    f.edit(
        "holbaek.toml",
        "dated = \"2023-06\"\n",
        "approved_by = \"Byrådet\"\n",
    );
    f.build();
    assert_eq!(
        cover_lines(&cover(&f, "odsherred"))[0],
        "Status: Godkendt den 17. december 2024."
    );
    assert_eq!(
        cover_lines(&cover(&f, "holbaek")),
        ["Status: Godkendt af Byrådet."]
    );
}

#[test]
fn the_table_of_contents_lists_every_part_of_the_page_in_order() {
    let f = Fixture::bundled();
    f.build();
    for slug in ["odsherred", "fredericia", "slagelse"] {
        let page = f.page(&format!("{slug}/hele-standarden/index.html"));
        let toc = page
            .split("<nav class=\"toc\" aria-label=\"Indholdsfortegnelse\">")
            .nth(1)
            .and_then(|rest| rest.split("</nav>").next())
            .unwrap_or_else(|| panic!("{slug} has a table of contents"));
        let listed: Vec<(&str, String)> = toc
            .split("<li><a href=\"#")
            .skip(1)
            .map(|li| {
                let (id, rest) = li.split_once("\">").unwrap();
                (id, text(rest.split("</a>").next().unwrap()))
            })
            .collect();
        let parts: Vec<(&str, String)> = page
            .split("<section class=\"whole-part\" aria-labelledby=\"")
            .skip(1)
            .map(|s| {
                let (id, rest) = s.split_once('"').unwrap();
                let heading = rest.split_once("\">").unwrap().1.split("</h2>").next();
                (id, text(heading.unwrap()))
            })
            .collect();
        assert!(parts.len() >= 10, "{slug} has its parts");
        assert_eq!(listed, parts, "{slug}: the contents list each part");
    }
}
