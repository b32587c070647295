//! Hostile or careless prose never becomes a live `javascript:` link, and content cannot write
//! the generator's internal placeholder marks: built from a copy of the real content and theme.

use std::fs;
use std::path::Path;

use kvalitet::build::{build, check_content};
use kvalitet::diagnostic::Severity;
use kvalitet::pipeline::load;

use crate::fixture::{Fixture, html_pages};

/// The values of every `href`, `src` and `action` attribute in `html`, as written.
fn url_attributes(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attribute in [" href=\"", " src=\"", " action=\""] {
        for (at, _) in html.match_indices(attribute) {
            let value = &html[at + attribute.len()..];
            let end = value.find('"').unwrap_or(value.len());
            out.push(value[..end].to_string());
        }
    }
    out
}

/// No page below `output` has a link, image or form whose address is not safe.
fn assert_no_live_link(output: &Path) {
    for (path, html) in html_pages(output) {
        for url in url_attributes(&html) {
            // Character references in the attribute are decoded by is_safe itself.
            assert!(
                kvalitet::url::is_safe(&url),
                "{path} publishes a live link {url:?}"
            );
            assert!(
                !url.to_ascii_lowercase().contains("script"),
                "{path} publishes {url:?}"
            );
        }
    }
}

/// Each hostile link, and the text a reader should see in its place.
const HOSTILE: &[(&str, &str)] = &[
    ("[Klik A](javascript:alert(1))", "Klik A"),
    ("[Klik B](JaVaScRiPt:alert(1))", "Klik B"),
    ("[Klik C]( javascript:alert(1))", "Klik C"),
    ("[Klik D](< javascript:alert(1)>)", "Klik D"),
    ("[Klik E](&#106;avascript:alert(1))", "Klik E"),
    ("[Klik F](<java\tscript:alert(1)>)", "Klik F"),
    ("[Klik G](vbscript:msgbox(1))", "Klik G"),
    ("[Klik H](data:text/html;base64,PHNjcmlwdD4=)", "Klik H"),
    (
        "[Klik I][farlig]\n\n[farlig]: javascript:alert(1)",
        "Klik I",
    ),
    ("<javascript:alert(1)>", "javascript:alert(1)"),
    ("![Billede J](javascript:alert(1))", "Billede J"),
    (
        "![Billede K](data:image/svg+xml;base64,PHN2Zz4=)",
        "Billede K",
    ),
    (
        "[![Billede L](javascript:alert(1))](https://www.odsherred.dk/)",
        "Billede L",
    ),
];

/// `[future] text` of Odsherred with every hostile link as a paragraph of its own (the tab in
/// Klik F is written as TOML's `\t`).
fn hostile_future(fixture: &Fixture) {
    let prose: Vec<String> = HOSTILE
        .iter()
        .map(|(markdown, _)| markdown.replace('\t', "\\t"))
        .collect();
    fixture.edit(
        "odsherred.toml",
        "[future]\ntext = \"\"\"\n",
        &format!("[future]\ntext = \"\"\"\n{}\n\n", prose.join("\n\n")),
    );
}

#[test]
fn script_and_data_links_in_prose_are_published_as_plain_text() {
    let fixture = Fixture::bundled();
    hostile_future(&fixture);
    let output = fixture.build();
    assert_no_live_link(&output);
    for page in [
        "odsherred/fremtiden/index.html",
        "odsherred/hele-standarden/index.html",
    ] {
        let html = fixture.page(page);
        for (markdown, text) in HOSTILE {
            assert!(html.contains(text), "{page} lost {markdown:?}: {text}");
        }
        // The safe link around Billede L stays a link.
        assert!(
            html.contains("href=\"https://www.odsherred.dk/\""),
            "{page}"
        );
    }
}

#[test]
fn check_reports_each_refused_link_as_an_error_naming_its_scheme() {
    let fixture = Fixture::bundled();
    hostile_future(&fixture);
    let (content, _) = load(&fixture.options()).unwrap_or_else(|e| panic!("{e:?}"));
    let report = check_content(&content);
    let refused: Vec<_> = report
        .findings()
        .iter()
        .filter(|f| f.rule == "LINK" && f.key.as_deref() == Some("future.text"))
        .collect();
    assert_eq!(refused.len(), HOSTILE.len(), "{refused:#?}");
    let text = fs::read_to_string(fixture.root().join("content/odsherred.toml")).unwrap();
    let field_line = text.lines().position(|l| l == "[future]").unwrap() + 2;
    let field_end = field_line + HOSTILE.len() * 3;
    for f in &refused {
        assert_eq!(f.severity, Severity::Error, "{f:#?}");
        let line = f.line.unwrap_or(0);
        assert!(
            (field_line..=field_end).contains(&line),
            "line {line}, not in the field's lines {field_line}..{field_end}: {f:#?}"
        );
        let scheme = ["javascript", "vbscript", "data"]
            .into_iter()
            .find(|s| f.message.contains(&format!("«{s}:»")));
        assert!(
            scheme.is_some(),
            "the message names no scheme: {}",
            f.message
        );
        let hint = f.hint.as_deref().unwrap_or("");
        assert!(
            hint.contains("https://") && hint.contains("mailto:"),
            "{hint}"
        );
    }
    // The safe link around Billede L is not a finding.
    assert!(
        !refused.iter().any(|f| f.message.contains("odsherred.dk")),
        "{refused:#?}"
    );
}

#[test]
fn script_links_in_site_prose_are_plain_text_and_found_by_check() {
    let fixture = Fixture::bundled();
    fixture.edit(
        "site.toml",
        "Vælg din kommune.\n",
        "Vælg din kommune. [Klik S](javascript:alert(1))\n",
    );
    fixture.edit(
        "site.toml",
        "explanation = \"Kommunens beslutning",
        "explanation = \"[Klik O](javascript:alert(2)) Kommunens beslutning",
    );
    let output = fixture.build();
    assert_no_live_link(&output);
    assert!(fixture.page("index.html").contains("Klik S"));
    assert!(fixture.page("ordliste/index.html").contains("Klik O"));

    let (content, _) = load(&fixture.options()).unwrap_or_else(|e| panic!("{e:?}"));
    let report = check_content(&content);
    let refused: Vec<_> = report
        .site_findings()
        .iter()
        .filter(|f| f.rule == "LINK" && f.severity == Severity::Error)
        .collect();
    assert_eq!(refused.len(), 2, "{refused:#?}");
    assert!(refused.iter().all(|f| f.message.contains("«javascript:»")));
}

/// Marks the generator uses inside its own HTML, as TOML writes U+0001.
const ROOT_MARK: &str = "\\u0001ROOT\\u0001";
const ROW_MARKS: &str = "\\u0001RULE_ROWS\\u0001 \\u0001LIX_ROWS\\u0001";

#[test]
fn content_cannot_write_the_generators_placeholder_marks() {
    // A prose field, a title, a plain field and the site's title: each is refused at its line,
    // and the site built before stays as it was.
    for (file, from, to) in [
        (
            "odsherred.toml",
            "[future]\ntext = \"\"\"\n",
            format!("[future]\ntext = \"\"\"\nSti {ROOT_MARK}slut. Rækker {ROW_MARKS} slut.\n\n"),
        ),
        (
            "odsherred.toml",
            "title = \"Kvalitetsstandard",
            format!("title = \"{ROOT_MARK} {ROW_MARKS} Kvalitetsstandard"),
        ),
        (
            "odsherred.toml",
            "organisation = \"Rusmiddelteamet\"",
            format!("organisation = \"Rusmiddelteamet {ROOT_MARK}\""),
        ),
        (
            "site.toml",
            "title = \"Hjælp til stoffer og alkohol\"",
            format!("title = \"Hjælp {ROOT_MARK} {ROW_MARKS}\""),
        ),
    ] {
        let fixture = Fixture::bundled();
        let output = fixture.build();
        let before = html_pages(&output);
        fixture.edit(file, from, &to);
        // The line where the first escape is written: that is what the editor must delete.
        let text = fs::read_to_string(fixture.root().join("content").join(file)).unwrap();
        let expected_line = text[..text.find("\\u0001").unwrap()].lines().count();
        let errors = build(&fixture.options(), &output).expect_err("a mark in content is refused");
        assert_eq!(errors.len(), 1, "{errors:?}");
        let e = &errors[0];
        assert!(e.file.ends_with(file), "{e}");
        assert!(e.message.contains("\\u0001"), "names the escape: {e}");
        let at = e.line.expect("located");
        assert_eq!(at, expected_line, "{file}: {e}");
        assert_eq!(
            html_pages(&output),
            before,
            "the site built before is unchanged"
        );
    }
}

#[test]
fn control_characters_in_prose_are_refused_at_their_line() {
    let fixture = Fixture::bundled();
    fixture.edit(
        "odsherred.toml",
        "[future]\ntext = \"\"\"\n",
        "[future]\ntext = \"\"\"\nKlokke\\u0007 og `kode\\u001b`.\n\n",
    );
    let errors = build(&fixture.options(), &fixture.root().join("output")).expect_err("refused");
    let shown: String = errors.iter().map(|e| e.to_string()).collect();
    assert!(shown.contains("«\\u0007»"), "{shown}");
    assert!(
        !shown.contains('\u{7}') && !shown.contains('\u{1b}'),
        "{shown:?}"
    );
}
