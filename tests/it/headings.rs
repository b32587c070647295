//! Headings where the text has headings: the `OVERSKRIFT` rule tells an editor about a bold
//! paragraph standing as a heading, the bundled content has none, and prose headings take the
//! right level under the theme's headings on every page, with no level skipped.

use std::process::Command;

use crate::check::{EASY, SITE, complete, edit, of, run};
use crate::fixture::{Fixture, approve_holbaek, html_pages, repo};

/// The 1-based line of the first line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).expect(needle) + 1
}

/// The complete standard with `extra` (Markdown) after the first sentence of the text of
/// `[table]`.
fn with_text(table: &str, extra: &str) -> String {
    let toml = complete();
    let header = format!("[{table}]\n");
    let at = toml.find(&header).expect(table);
    let first = format!("text = \"\"\"\n{EASY}\n");
    let at = at + toml[at..].find(&first).expect(table) + first.len();
    let mut out = toml.clone();
    out.insert_str(at, extra);
    out
}

#[test]
fn a_bold_paragraph_standing_as_a_heading_is_reported_at_its_line_and_column_with_the_hint() {
    let mut toml = with_text(
        "goals",
        "\n  **Mål**\n\nVi hjælper dig med at nå dine mål.\n\n\
         **Behandlingen er gratis.**\n\nDu betaler ikke noget.\n\n\
         Du kan **altid** ringe til os.\n\n",
    );
    // The text's last paragraph, just before its closing quotes.
    let goals = toml.find("[goals]\n").expect("goals");
    let close = goals + toml[goals..].find("\n\"\"\"").expect("the text ends") + 1;
    toml.insert_str(close, "\n**Ring til os**\n");
    let report = run(&toml);
    let found = of(&report, "OVERSKRIFT");
    // "Behandlingen er gratis." is a statement, "altid" a word in a sentence, and "Ring til
    // os" the text's last paragraph: only "Mål" stands as a heading.
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = found[0];
    assert_eq!(f.severity, kvalitet::diagnostic::Severity::Warning);
    assert_eq!(
        f.message,
        "Afsnittet «Mål» ligner en overskrift, men er skrevet med fed skrift"
    );
    assert_eq!(
        f.hint.as_deref(),
        Some("Skriv den som en overskrift: ### Mål")
    );
    assert_eq!(f.key.as_deref(), Some("goals.text"));
    assert_eq!(f.line, Some(line_of(&toml, "  **Mål**")));
    assert_eq!(f.column, Some(3));

    // The editor sees file, line and column in the terminal.
    let fixture = Fixture::empty();
    fixture.write("site.toml", SITE);
    fixture.write("test.toml", &toml);
    let out = Command::new(env!("CARGO_BIN_EXE_kvalitet"))
        .args(["check", "--content"])
        .arg(fixture.content())
        .args(["--date", "2025-06-01"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let at = format!("test.toml:{}:3 (goals.text)", line_of(&toml, "  **Mål**"));
    assert!(stdout.contains(&at), "{at} not in:\n{stdout}");
    assert!(
        stdout.contains("Skriv den som en overskrift: ### Mål"),
        "{stdout}"
    );

    // Written as a heading, nothing is reported.
    let fixed = edit(&toml, "  **Mål**", "### Mål");
    assert!(of(&run(&fixed), "OVERSKRIFT").is_empty());
}

#[test]
fn the_bundled_content_has_no_bold_paragraph_where_a_heading_belongs() {
    let content = kvalitet::pipeline::load_content(&repo().join("content"))
        .unwrap_or_else(|d| panic!("{}", kvalitet::diagnostic::report(&d)));
    let report = kvalitet::build::check_content(&content);
    let found = of(&report, "OVERSKRIFT");
    assert!(found.is_empty(), "{found:#?}");

    let f = Fixture::bundled();
    let out = f.build();
    let mut pages = 0;
    for (path, html) in html_pages(&out) {
        pages += 1;
        let like = heading_like(&html);
        assert!(like.is_empty(), "{path}: {like:?}");
    }
    assert!(pages > 100, "{pages} pages");
}

#[test]
fn the_heading_like_scan_of_built_pages_finds_what_the_content_had() {
    // The scan above would pass on anything if it could not find a bold heading at all.
    let f = Fixture::empty();
    f.write("site.toml", SITE);
    f.write(
        "test.toml",
        with_text("goals", "\n**Mål**\n\nVi hjælper dig med at nå dine mål.\n"),
    );
    f.build();
    let like = heading_like(&f.page("test/maal-og-vaerdier/index.html"));
    assert_eq!(like, ["Mål"]);
}

#[test]
fn a_heading_in_a_field_sits_one_below_the_heading_it_stands_under_on_every_page() {
    let toml = with_text("goals", "\n### Mål\n\nVi hjælper dig med at nå dine mål.\n");
    let toml = edit(
        &toml,
        "[children]\ntext = \"\"\"\n",
        "[children]\ntext = \"\"\"\n### Underretning\n\nVi siger det til kommunen, hvis et barn har brug for hjælp.\n\n#### Hvem får besked\n\nKommunen får besked.\n\n",
    );
    let f = Fixture::empty();
    f.write("site.toml", SITE);
    f.write("test.toml", &toml);
    let out = f.build();

    // On the topic's page, the field's heading is h2 under the page's h1.
    let goals = headings(&f.page("test/maal-og-vaerdier/index.html"));
    assert!(
        contains_in_order(
            &goals,
            &[
                (1, "Hvad er målet med behandlingen?"),
                (2, "Mål og værdier"),
                (3, "Mål")
            ]
        ),
        "{goals:?}"
    );
    // A text with no field heading stands right under the h1.
    let children = headings(&f.page("test/boern/index.html"));
    assert!(
        contains_in_order(
            &children,
            &[
                (1, "Hvad med mine børn?"),
                (2, "Underretning"),
                (3, "Hvem får besked")
            ]
        ),
        "{children:?}"
    );
    // On the whole standard, every topic is one level deeper.
    let whole = headings(&f.page("test/hele-standarden/index.html"));
    assert!(
        contains_in_order(
            &whole,
            &[
                (2, "Hvad er målet med behandlingen?"),
                (3, "Mål og værdier"),
                (4, "Mål")
            ]
        ),
        "{whole:?}"
    );
    assert!(
        contains_in_order(
            &whole,
            &[
                (2, "Hvad med mine børn?"),
                (3, "Underretning"),
                (4, "Hvem får besked")
            ]
        ),
        "{whole:?}"
    );
    for (path, html) in html_pages(&out) {
        assert!(!html.contains("data-prose-depth"), "{path}");
        assert_no_skipped_level(&path, &html);
    }
}

#[test]
fn no_built_page_skips_a_heading_level_or_has_an_h1_from_content() {
    let f = Fixture::bundled();
    // A text written with a top-level heading and a deep one gets no h1 and skips nothing.
    f.edit(
        "odsherred.toml",
        "### Borgerrådgiveren",
        "# Borgerrådgiveren\n\n###### Dybt nede\n\nTekst her.",
    );
    let out = f.build();
    let mut pages = 0;
    for (path, html) in html_pages(&out) {
        pages += 1;
        assert_no_skipped_level(&path, &html);
        assert!(!html.contains("data-prose-depth"), "{path}");
    }
    assert!(pages > 100, "{pages} pages");
    let klage = headings(&f.page("odsherred/klage/index.html"));
    assert!(
        contains_in_order(
            &klage,
            &[
                (1, "Hvordan klager jeg?"),
                (2, "Borgerrådgiveren"),
                (3, "Dybt nede")
            ]
        ),
        "{klage:?}"
    );
}

#[test]
fn version_pages_and_the_change_report_of_a_draft_build_skip_no_level() {
    let f = Fixture::bundled();
    // Holbæk's text about free choice gets a heading, is approved twice (an earlier version
    // page), and is edited after (a change report).
    f.edit(
        "holbaek.toml",
        "[free_choice]\ntext = \"\"\"\n",
        "[free_choice]\ntext = \"\"\"\n### Frit valg\n\n",
    );
    approve_holbaek(&f, "Byrådet", "2022-11-30");
    approve_holbaek(&f, "Byrådet", "2024-12-17");
    f.edit(
        "holbaek.toml",
        "Dette gælder både kommunale og private tilbud.",
        "Reglen gælder for alle godkendte behandlingssteder.",
    );
    let mut options = f.options();
    options.draft = true;
    kvalitet::build::build(&options, &f.output()).unwrap_or_else(|d| panic!("{d:?}"));
    let pages = html_pages(&f.output());
    for (path, html) in &pages {
        assert_no_skipped_level(path, html);
        assert!(!html.contains("data-prose-depth"), "{path}");
    }
    assert!(
        pages.iter().any(|(p, _)| p.contains("aendringer")),
        "no change report"
    );
    // "Frit valg" stands under the field heading in rights, on the earlier version's page too.
    let old = headings(&f.page("holbaek/version/2022-11-30/index.html"));
    assert!(
        contains_in_order(
            &old,
            &[
                (2, "Hvilke rettigheder har jeg?"),
                (3, "Kan jeg selv vælge, hvor jeg bliver behandlet?"),
                (4, "Frit valg"),
            ]
        ),
        "{old:?}"
    );
}

/// The headings of a page in order: level and text.
fn headings(html: &str) -> Vec<(u8, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<h") {
        let after = &rest[at + 2..];
        rest = after;
        let Some(&level @ b'1'..=b'6') = after.as_bytes().first() else {
            continue;
        };
        if !matches!(after.as_bytes().get(1), Some(b' ' | b'>')) {
            continue;
        }
        let close = format!("</h{}>", level as char);
        let Some(end) = after.find(&close) else {
            continue;
        };
        let inner = &after[after.find('>').unwrap() + 1..end];
        out.push((level - b'0', crate::fixture::text(inner)));
    }
    out
}

/// Whether `wanted` (level, text) stands in `found` in this order, other headings between.
fn contains_in_order(found: &[(u8, String)], wanted: &[(u8, &str)]) -> bool {
    let mut found = found.iter();
    wanted
        .iter()
        .all(|(wl, wt)| found.any(|(l, t)| l == wl && t == wt))
}

/// A page has one h1, first, and each heading is at most one level below the one before it.
fn assert_no_skipped_level(path: &str, html: &str) {
    let found = headings(html);
    let h1 = found.iter().filter(|(l, _)| *l == 1).count();
    assert!(h1 <= 1, "{path}: {h1} h1 in {found:?}");
    let mut previous = 0;
    for (level, text) in &found {
        assert!(
            *level <= previous + 1,
            "{path}: «{text}» is h{level} after h{previous}: {found:?}"
        );
        previous = *level;
    }
}

/// The text of every paragraph that is only bold text, short, without a full stop, and followed
/// by a paragraph or list: what a reader takes for a heading that is not one.
fn heading_like(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<p><strong>") {
        rest = &rest[at + "<p><strong>".len()..];
        let Some(end) = rest.find("</p>") else { break };
        let Some(inner) = rest[..end].strip_suffix("</strong>") else {
            continue;
        };
        let after = rest[end + "</p>".len()..].trim_start();
        if inner.contains("<strong") || inner.contains("</strong") {
            continue;
        }
        let label = crate::fixture::text(inner);
        let followed = ["<p", "<ul", "<ol"].iter().any(|t| after.starts_with(t));
        if followed && label.chars().count() <= 100 && !label.ends_with('.') {
            out.push(label);
        }
    }
    out
}
