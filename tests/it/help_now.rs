//! Help now, the quick exit and "Find vej" (issue 20): the lines for urgent help come first on
//! each municipality's front page, stand in the contact block on every page and on the 404
//! page; `check` warns about lines nobody has checked for a year and about a site with no line
//! open around the clock; `quick_exit` starts every page with a way out; each unit's address
//! links to a map search that the citizen opens.

use std::fs;
use std::process::Command;

use crate::fixture::{BUNDLED, Fixture, html_pages};

/// The block "Har du brug for hjælp nu?" whose heading has the id `id`, from its start tag
/// (`<section>` where it is a landmark, in `main`; `<div>` in the contact block) to the end
/// of its list; `None` when the page has none.
fn help_block<'h>(html: &'h str, id: &str) -> Option<&'h str> {
    let heading = html.find(&format!(" id=\"{id}\">Har du brug for hjælp nu?</h"))?;
    let start = html[..heading].rfind("class=\"help-now\"")?;
    let start = html[..start].rfind('<')?;
    let end = heading + html[heading..].find("</ul>")?;
    Some(&html[start..end])
}

/// The `href` of each `<a ` in the page's body, in order.
fn body_links(html: &str) -> Vec<&str> {
    let body = &html[html.find("<body").unwrap()..];
    body.match_indices("<a ")
        .filter_map(|(at, _)| {
            let tag = &body[at..at + body[at..].find('>')?];
            let href = tag.find("href=\"")? + "href=\"".len();
            Some(&tag[href..href + tag[href..].find('"')?])
        })
        .collect()
}

/// `kvalitet check --format json` on the fixture's content, measured on `date`.
fn check_json(f: &Fixture, date: &str) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_kvalitet"))
        .args(["check", "--format", "json", "--date", date, "--content"])
        .arg(f.content())
        .current_dir(f.root())
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn help_findings(v: &serde_json::Value) -> Vec<serde_json::Value> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "HJAELP-NU")
        .cloned()
        .collect()
}

#[test]
fn every_front_page_starts_with_112_and_every_page_has_it_in_the_contact_block() {
    let f = Fixture::bundled();
    let out = f.build();
    for slug in BUNDLED {
        let front = f.page(&format!("{slug}/index.html"));
        let block = help_block(&front, "hjaelp-nu")
            .unwrap_or_else(|| panic!("{slug}: no block \"hjælp nu\" on the front page"));
        assert!(
            block.starts_with("<section class=\"help-now\" aria-labelledby=\"hjaelp-nu\">"),
            "{block}"
        );
        assert!(block.contains("Har du brug for hjælp nu?"), "{block}");
        assert!(
            block.contains("<a class=\"tel big\" href=\"tel:112\">112</a>"),
            "{block}"
        );
        assert!(
            block.contains("Ring ved livsfare. Åben døgnet rundt."),
            "{block}"
        );
        // First in main: right after the heading, before the summary and anything else.
        let h1_end = front.find("</h1>").unwrap() + "</h1>".len();
        let at = front.find(block).unwrap();
        assert_eq!(
            front[h1_end..at].trim(),
            "",
            "{slug}: something before the block"
        );
        assert!(front[..h1_end].contains("<main"), "{slug}");
        // The contact block, on every page of the municipality.
        for (path, html) in html_pages(&out.join(slug)) {
            let contact = help_block(&html, "hjaelp-nu-kontakt")
                .unwrap_or_else(|| panic!("{slug}/{path}: no 112 in the contact block"));
            assert!(contact.contains("href=\"tel:112\""), "{slug}/{path}");
        }
    }
}

#[test]
fn the_404_page_has_the_lines_for_help_now() {
    let f = Fixture::bundled();
    f.set_line(
        "site.toml",
        "# base_url = ",
        "base_url = \"https://rusmiddel.example.dk/\"",
    );
    f.build();
    let html = f.page("404.html");
    let block = help_block(&html, "hjaelp-nu").expect("the block on 404.html");
    assert!(block.contains("href=\"tel:112\""), "{block}");
}

#[test]
fn a_municipality_s_own_line_shows_on_its_pages_only() {
    let f = Fixture::bundled();
    let mut holbaek = f.read("holbaek.toml");
    holbaek.push_str(
        "\n[[help_now]]\nname = \"Vagttelefonen\"\nphone = \"12 34 56 78\"\nwhen = \"når centret har lukket\"\nhours = \"Hverdage 16-22\"\nverified_on = 2026-11-01\n",
    );
    f.write("holbaek.toml", holbaek);
    let out = f.build();
    let front = f.page("holbaek/index.html");
    let block = help_block(&front, "hjaelp-nu").unwrap();
    // The site's line first, then the municipality's.
    let (site, own) = (
        block.find("tel:112").unwrap(),
        block
            .find("href=\"tel:+4512345678\">12 34 56 78</a>")
            .unwrap(),
    );
    assert!(site < own, "{block}");
    assert!(
        block.contains("Ring når centret har lukket. Åben: Hverdage 16-22."),
        "{block}"
    );
    for (path, html) in html_pages(&out.join("holbaek")) {
        let contact = help_block(&html, "hjaelp-nu-kontakt").unwrap();
        assert!(contact.contains("tel:+4512345678"), "holbaek/{path}");
    }
    for (path, html) in html_pages(&out) {
        if !path.starts_with("holbaek/") {
            assert!(!html.contains("12345678"), "{path} shows Holbæk's own line");
        }
    }
}

#[test]
fn check_is_silent_about_the_bundled_112() {
    let f = Fixture::bundled();
    let found = help_findings(&check_json(&f, "2026-12-06"));
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn check_warns_at_a_line_checked_more_than_12_months_ago() {
    let f = Fixture::bundled();
    let line = f.set_line("site.toml", "verified_on = ", "verified_on = 2025-12-05");
    let found = help_findings(&check_json(&f, "2026-12-06"));
    assert_eq!(found.len(), 1, "{found:#?}");
    let w = &found[0];
    assert_eq!(w["severity"], "warning");
    assert_eq!(w["municipality"], serde_json::Value::Null);
    assert!(w["file"].as_str().unwrap().ends_with("site.toml"));
    assert_eq!(w["line"], line);
    assert_eq!(w["key"], "help_now[0].verified_on");
    let message = w["message"].as_str().unwrap();
    assert!(message.contains("Alarmcentralen"), "{message}");
    assert!(message.contains("5. december 2025"), "{message}");
    let hint = w["hint"].as_str().unwrap();
    assert!(hint.contains("Ring til nummeret"), "{hint}");
    assert!(hint.contains("verified_on = 2026-12-06"), "{hint}");
    // Twelve months to the day is still fine.
    f.set_line("site.toml", "verified_on = ", "verified_on = 2025-12-06");
    assert!(help_findings(&check_json(&f, "2026-12-06")).is_empty());

    // A municipality's own line is reported in its own file.
    let mut holbaek = f.read("holbaek.toml");
    holbaek.push_str(
        "\n[[help_now]]\nname = \"Vagttelefonen\"\nphone = \"12 34 56 78\"\nwhen = \"når centret har lukket\"\nverified_on = \"2024-06\"\n",
    );
    let own_line = holbaek.lines().count();
    f.write("holbaek.toml", holbaek);
    let found = help_findings(&check_json(&f, "2026-12-06"));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["municipality"], "holbaek");
    assert!(found[0]["file"].as_str().unwrap().ends_with("holbaek.toml"));
    assert_eq!(found[0]["line"], own_line);
    assert!(found[0]["message"].as_str().unwrap().contains("juni 2024"));
}

#[test]
fn check_warns_when_no_line_is_open_around_the_clock() {
    let f = Fixture::bundled();
    f.set_line("site.toml", "always_open = ", "always_open = false");
    let found = help_findings(&check_json(&f, "2026-12-06"));
    assert_eq!(found.len(), 1, "{found:#?}");
    let w = &found[0];
    assert_eq!(w["severity"], "warning");
    assert_eq!(w["missing"], true);
    assert!(
        w["message"].as_str().unwrap().contains("døgnet rundt"),
        "{w}"
    );
    let hint = w["hint"].as_str().unwrap();
    assert!(
        hint.contains("always_open = true") && hint.contains("README"),
        "{hint}"
    );
    // "Døgnet rundt" in the hours is text: the check reads always_open only.
    f.insert_after("site.toml", "always_open = ", "hours = \"Døgnet rundt\"");
    assert_eq!(help_findings(&check_json(&f, "2026-12-06")).len(), 1);

    // With no lines at all, the same warning, at the file.
    let site = f.read("site.toml");
    let start = site.find("[[help_now]]").unwrap();
    let end = start + site[start..].find("\n\n").unwrap();
    f.write("site.toml", format!("{}{}", &site[..start], &site[end..]));
    let found = help_findings(&check_json(&f, "2026-12-06"));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["line"], serde_json::Value::Null);
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("ingen linjer")
    );
}

#[test]
fn with_quick_exit_every_page_starts_with_a_way_out() {
    let f = Fixture::bundled();
    f.set_line(
        "site.toml",
        "# quick_exit = ",
        "quick_exit = \"https://www.dr.dk/\"",
    );
    f.set_line(
        "site.toml",
        "# base_url = ",
        "base_url = \"https://rusmiddel.example.dk/\"",
    );
    let out = f.build();
    let all = html_pages(&out);
    assert!(all.len() > 100, "{}", all.len());
    for (path, html) in &all {
        if path == "was/index.html" {
            continue; // a redirect, no page to read
        }
        let links = body_links(html);
        let exit = links
            .iter()
            .position(|href| *href == "https://www.dr.dk/")
            .unwrap_or_else(|| panic!("{path}: no quick exit"));
        assert!(exit <= 1, "{path}: the quick exit is link {}", exit + 1);
        assert!(html.contains(">Forlad siden hurtigt</a>"), "{path}");
        assert!(
            links[exit + 1].ends_with("skjul-dit-besoeg/"),
            "{path}: {:?}",
            links[exit + 1]
        );
        assert!(html.contains("quick-exit.js\" defer></script>"), "{path}");
    }
    let hide = f.page("skjul-dit-besoeg/index.html");
    assert!(hide.contains("<h1>Sådan skjuler du dit besøg</h1>"));
    assert!(hide.contains("privat vindue") && hide.contains("historik"));
    let script = fs::read_to_string(out.join("quick-exit.js")).unwrap();
    assert!(script.contains("location.replace") && script.contains("Escape"));
    // The script asks no other address for anything.
    assert!(!script.contains("fetch(") && !script.contains("XMLHttpRequest"));
}

#[test]
fn without_quick_exit_no_page_has_it_and_the_hide_page_is_not_built() {
    let f = Fixture::bundled();
    let out = f.build();
    for (path, html) in html_pages(&out) {
        assert!(!html.contains("Forlad siden hurtigt"), "{path}");
        assert!(!html.contains("quick-exit.js"), "{path}");
    }
    assert!(!out.join("skjul-dit-besoeg").exists());
}

#[test]
fn a_quick_exit_that_is_no_web_address_is_refused_at_its_line() {
    for (bad, says) in [
        ("javascript:history.back()", "«javascript:»"),
        ("JaVa\tscript:alert(1)", "«javascript:»"),
        ("mailto:a@b.dk", "«mailto:»"),
        ("/forside/", "ikke en hel webadresse"),
    ] {
        let f = Fixture::bundled();
        let line = f.set_line(
            "site.toml",
            "# quick_exit = ",
            &format!("quick_exit = \"{}\"", bad.replace('\t', "\\t")),
        );
        let out = Command::new(env!("CARGO_BIN_EXE_kvalitet"))
            .args(["build", "--content"])
            .arg(f.content())
            .arg("--output")
            .arg(f.output())
            .current_dir(f.root())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("site.toml:{line}:")), "{bad}: {err}");
        assert!(
            err.contains("quick_exit") && err.contains(says),
            "{bad}: {err}"
        );
        assert!(err.contains("https://"), "{bad}: a hint: {err}");
        assert!(!f.output().exists(), "{bad}: nothing built");
    }
}

#[test]
fn each_unit_address_links_to_a_map_search_for_it() {
    let f = Fixture::bundled();
    f.edit(
        "holbaek.toml",
        "street = \"Birkevænget 4\"",
        "street = \"Birkevænget 4 & 'A'#2\"",
    );
    f.build();
    let contact = f.page("holbaek/kontakt/index.html");
    assert!(
        contact.contains(
            "<a class=\"find-way\" href=\"https://www.openstreetmap.org/search?query=Birkev%C3%A6nget%204%20%26%20%27A%27%232%2C%204300%20Holb%C3%A6k\">Find vej"
        ),
        "{contact}"
    );
    // One link per address on the contact pages, and nothing loads from the map on its own.
    for slug in BUNDLED {
        let html = f.page(&format!("{slug}/kontakt/index.html"));
        let addresses = html.matches("<dt>Adresse</dt>").count();
        assert_eq!(
            html.matches("class=\"find-way\"").count(),
            addresses,
            "{slug}"
        );
        assert!(!html.contains("src=\"https://www.openstreetmap"), "{slug}");
    }
}
