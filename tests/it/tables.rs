//! Tables a screen reader can read and a phone can show (issue 21): every table of the site has
//! a caption and header cells, every table that may be wider than a phone sits in a focusable
//! region named by its caption, and Holstebro's offers table has its groups from the content.

use crate::fixture::{Fixture, html_pages, text};

/// Each `<table ...>...</table>` of `html` with the 200 bytes before it.
fn tables(html: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(at) = html[rest..].find("<table") {
        let start = rest + at;
        let end = html[start..]
            .find("</table>")
            .map_or(html.len(), |e| start + e + "</table>".len());
        let mut before = start.saturating_sub(200);
        while !html.is_char_boundary(before) {
            before += 1;
        }
        out.push((&html[before..start], &html[start..end]));
        rest = end;
    }
    out
}

/// The value of attribute `name` in the first tag of `html` that has it.
fn attr<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let from = html.find(&key)? + key.len();
    Some(&html[from..from + html[from..].find('"')?])
}

/// What is wrong with the tables of one page: no caption (first in the table), no header
/// cell, or, for any table but opening hours, no scrolling region named by the caption.
fn table_problems(path: &str, html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for (before, table) in tables(html) {
        let open_end = table.find('>').unwrap_or(table.len()) + 1;
        let after_open = table[open_end..].trim_start();
        let head: String = table.chars().take(60).collect();
        if !after_open.starts_with("<caption") {
            problems.push(format!("{path}: a table without a caption first: {head}"));
        }
        if !table.contains("<th") {
            problems.push(format!("{path}: a table without header cells: {head}"));
        }
        if table.starts_with("<table class=\"hours\"") {
            continue;
        }
        let wrap = before
            .rfind("<div class=\"table-wrap\"")
            .map(|at| &before[at..]);
        let named = wrap.and_then(|w| {
            let caption_id = attr(&table[open_end..], "id")?;
            (w.contains("role=\"region\"")
                && w.contains("tabindex=\"0\"")
                && attr(w, "aria-labelledby") == Some(caption_id))
            .then_some(())
        });
        if named.is_none() {
            problems.push(format!(
                "{path}: a table not in a focusable region named by its caption: {head}"
            ));
        }
    }
    problems
}

#[test]
fn every_table_of_the_bundled_site_has_a_caption_header_cells_and_a_named_region() {
    let f = Fixture::bundled();
    let out = f.build();
    let all = html_pages(&out);
    let mut problems = Vec::new();
    let mut count = 0;
    for (path, html) in &all {
        count += tables(html).len();
        problems.extend(table_problems(path, html));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The check report, the comparison and Holstebro's offers are among them.
    for page in [
        "tjek/index.html",
        "sammenlign/index.html",
        "holstebro/tilbud/index.html",
        "holstebro/hele-standarden/index.html",
    ] {
        let html = f.page(page);
        assert!(!tables(&html).is_empty(), "no table on {page}");
    }
    assert!(count > 20, "only {count} tables in the whole site");
}

#[test]
fn the_change_report_tables_have_captions_header_cells_and_named_regions() {
    let f = Fixture::bundled();
    f.write("godkendt/holbaek/2024-12-17.toml", f.read("holbaek.toml"));
    f.edit("holbaek.toml", "days = 14", "days = 10");
    let mut options = f.options();
    options.draft = true;
    if let Err(e) = kvalitet::build::build(&options, &f.output()) {
        panic!("the draft build fails: {e:?}");
    }
    let report = f.page("holbaek/aendringer/index.html");
    assert!(
        tables(&report).len() >= 2,
        "the change report has no tables"
    );
    let problems = table_problems("holbaek/aendringer/", &report);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_test_finds_a_table_without_caption_or_region() {
    let bare = "<p>x</p><table><tr><td>a</td></tr></table>";
    let problems = table_problems("x", bare);
    assert_eq!(problems.len(), 3, "{problems:?}");
    let unnamed = "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\">\
        <table><caption id=\"c\">C</caption><tr><th>a</th></tr></table></div>";
    let problems = table_problems("x", unnamed);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("region"), "{problems:?}");
}

/// The `<tbody>` of Holstebro's offers table whose group header cell is `group`.
fn group_body<'a>(html: &'a str, group: &str) -> &'a str {
    let header = "<th scope=\"rowgroup\" colspan=\"2\"";
    let at = html
        .match_indices(header)
        .map(|(i, _)| i)
        .find(|&i| html[i..].split("</th>").next().unwrap().ends_with(group))
        .unwrap_or_else(|| panic!("no row-group header {group:?}"));
    let body_start = html[..at]
        .rfind("<tbody>")
        .expect("the group is in a tbody");
    let end = at + html[at..].find("</tbody>").expect("the tbody ends");
    &html[body_start..end]
}

#[test]
fn holstebros_residential_treatment_stands_under_its_special_offers_group() {
    let f = Fixture::bundled();
    f.build();
    for page in [
        "holstebro/tilbud/index.html",
        "holstebro/hele-standarden/index.html",
    ] {
        let html = f.page(page);
        let offers = tables(&html)
            .into_iter()
            .map(|(_, t)| t)
            .find(|t| t.contains("<caption id=\"tilbud-tabel\">"))
            .unwrap_or_else(|| panic!("no offers table on {page}"));
        let special = group_body(offers, "Specialtilbud");
        assert!(text(special).contains("Døgnbehandling"), "{special}");
        assert!(
            text(special).contains("Bor på behandlingssted"),
            "{special}"
        );
        assert!(!text(special).contains("Ambulant behandling"), "{special}");
        let common = group_body(offers, "Almindelige tilbud");
        for offer in [
            "Ambulant behandling",
            "Intensiv ambulant behandling",
            "Samtale hver uge",
            "Udvidet ambulant behandling",
        ] {
            assert!(text(common).contains(offer), "{offer} in {common}");
        }
        assert!(!text(common).contains("Døgnbehandling"), "{common}");
        // Each data cell names its group header, for screen readers without rowgroup.
        let id = attr(
            &special[special.find("scope=\"rowgroup\"").unwrap()..],
            "id",
        )
        .unwrap();
        assert!(special.contains(&format!("headers=\"{id} ")), "{special}");
        // The old prose table with a bold "Specialtilbud" data cell is gone.
        assert!(!html.contains("<strong>Specialtilbud</strong>"), "{page}");
    }
}

#[test]
fn a_municipality_without_groups_keeps_its_list_of_offers() {
    let f = Fixture::bundled();
    f.build();
    let html = f.page("odsherred/tilbud/index.html");
    assert!(html.contains("<ul class=\"cards\">"));
    assert!(!html.contains("tilbud-tabel"));
}

#[test]
fn check_warns_at_a_markdown_table_in_prose_and_not_at_lists() {
    use crate::check::{EASY, complete, edit, line_of, of, run};
    use kvalitet::diagnostic::Severity;
    let table =
        "| Almindelige tilbud | Hvor ofte |\n| --- | --- |\n| Ambulant behandling | Hver uge |\n";
    let toml = edit(
        &complete(),
        &format!("[structure]\ntext = \"\"\"\n{EASY}"),
        &format!("[structure]\ntext = \"\"\"\n{EASY}\n\n{table}"),
    );
    let report = run(&toml);
    let found = of(&report, "TABEL");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].severity, Severity::Warning);
    assert_eq!(found[0].key.as_deref(), Some("structure.text"));
    assert_eq!(found[0].line, Some(line_of(&toml, "| Almindelige tilbud")));
    assert!(found[0].message.contains("tabel"), "{}", found[0].message);
    assert!(
        found[0]
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("[[offers]]"),
        "{:?}",
        found[0].hint
    );
    // A list or a line with a bar that is no table is not one.
    let list = edit(
        &complete(),
        &format!("[structure]\ntext = \"\"\"\n{EASY}"),
        &format!("[structure]\ntext = \"\"\"\n{EASY}\n\n- Ambulant | hver uge\n- Døgn\n"),
    );
    assert!(of(&run(&list), "TABEL").is_empty());
    assert!(of(&run(&complete()), "TABEL").is_empty());
}
