//! The change report of a draft build (`/<kommune>/aendringer/`): what the council sees
//! changed between the latest approved copy (`content/godkendt/<kommune>/<dato>.toml`) and the
//! working file.

use crate::fixture::Fixture;

const COPY: &str = "godkendt/holbaek/2024-12-17.toml";
const REPORT: &str = "holbaek/aendringer/index.html";
const OLD_SENTENCE: &str =
    "Hvis du vælger at benytte dig af frit valg, dækkes transportudgifter ikke.";
const NEW_SENTENCE: &str = "Hvis du vælger frit valg, betaler kommunen ikke for din transport.";

/// The bundled content with Holbæk's file approved as it is, then edited: the guarantee from
/// 14 to 10 days and one sentence of free choice changed.
fn approved_then_edited() -> Fixture {
    let f = Fixture::bundled();
    f.write(COPY, f.read("holbaek.toml"));
    f.edit("holbaek.toml", "days = 14", "days = 10");
    f.edit("holbaek.toml", OLD_SENTENCE, NEW_SENTENCE);
    f
}

fn draft_build(f: &Fixture) {
    let mut options = f.options();
    options.draft = true;
    if let Err(e) = kvalitet::build::build(&options, &f.output()) {
        panic!("the draft build fails: {e:?}");
    }
}

/// The text between `start` and the next `end` after it.
fn between<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let from = page
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in the page"));
    let rest = &page[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

#[test]
fn the_report_shows_the_changed_days_old_and_new() {
    let f = approved_then_edited();
    draft_build(&f);
    let page = f.page(REPORT);
    assert_eq!(page.matches("<h1").count(), 1, "one h1");
    assert!(page.contains("Hvad er ændret siden godkendelsen?"));
    assert!(page.contains("17. december 2024"), "the approval's date");
    let row = between(&page, "<th scope=\"row\">Behandlingsgaranti</th>", "</tr>");
    assert!(
        row.contains("<td>14 dage</td><td>10 dage</td>"),
        "old -> new: {row}"
    );
}

#[test]
fn the_changed_sentence_is_a_word_level_redline() {
    let f = approved_then_edited();
    draft_build(&f);
    let page = f.page(REPORT);
    let section = between(&page, "<h3 id=\"afsnit-rights\">", "</section>");
    assert!(
        section.contains(
            "Hvis du vælger <del><span class=\"visually-hidden\">slettet: </span>at benytte dig af</del> frit valg,"
        ),
        "the old words struck, the same words kept: {section}"
    );
    assert!(
        section.contains(
            "<ins><span class=\"visually-hidden\">tilføjet: </span>betaler kommunen ikke for din transport.</ins>"
        ),
        "the new words inserted: {section}"
    );
    assert!(
        section.contains("<del><span class=\"visually-hidden\">slettet: </span>dækkes transportudgifter ikke.</del>"),
        "{section}"
    );
}

#[test]
fn an_unchanged_section_is_one_line_and_a_changed_rule_is_listed() {
    let f = approved_then_edited();
    draft_build(&f);
    let page = f.page(REPORT);
    assert!(
        page.contains("<p class=\"unchanged\">Uændret: Hvad koster det?</p>"),
        "the payment section did not change"
    );
    assert!(
        !page.contains("id=\"afsnit-payment\""),
        "and has no redline"
    );
    // The text still says 14 days while the guarantee says 10: the check finds the
    // contradiction, which the approved copy did not have.
    let rules = between(&page, "<table class=\"changes-rules\">", "</table>");
    assert!(
        rules.contains("§4.1.6"),
        "the guarantee's rule changed status: {rules}"
    );
    assert!(
        rules.contains("<td>beskrevet</td><td>forkert</td>"),
        "{rules}"
    );
    let lix = between(&page, "<table class=\"changes-lix\">", "</table>");
    assert!(lix.contains("Hele standarden"), "{lix}");
}

#[test]
fn the_front_page_links_the_report_in_a_draft_only() {
    let f = approved_then_edited();
    draft_build(&f);
    assert!(f.page("holbaek/index.html").contains("aendringer/"));
    assert!(!f.page("odsherred/index.html").contains("aendringer/"));
    f.build();
    assert!(!f.page("holbaek/index.html").contains("aendringer/"));
}

#[test]
fn a_published_build_and_a_municipality_without_a_copy_have_no_report() {
    let f = approved_then_edited();
    f.build();
    assert!(f.output().join("holbaek/index.html").is_file());
    assert!(
        !f.output().join("holbaek/aendringer").exists(),
        "no change report in the published site"
    );
    draft_build(&f);
    assert!(f.output().join(REPORT).is_file());
    assert!(
        !f.output().join("odsherred/aendringer").exists(),
        "Odsherred has no approved copy"
    );
}

#[test]
fn no_change_is_said_plainly() {
    let f = Fixture::bundled();
    f.write(COPY, f.read("holbaek.toml"));
    draft_build(&f);
    let page = f.page(REPORT);
    assert!(page.contains("Der er ingen ændringer siden godkendelsen."));
    assert!(page.contains("Udkastet er det samme som den godkendte udgave."));
    assert!(!page.contains("<del"), "no redline");

    // A comment only: the files differ, the standard does not.
    f.edit(
        "holbaek.toml",
        "[guarantee]",
        "# En note til kollegerne.\n[guarantee]",
    );
    draft_build(&f);
    let page = f.page(REPORT);
    assert!(page.contains("Der er ingen ændringer siden godkendelsen."));
    assert!(page.contains("Kun kommentarer eller opsætning i filen er ændret."));
}

#[test]
fn the_latest_copy_is_the_baseline_and_text_is_escaped() {
    let f = Fixture::bundled();
    let text = f.read("holbaek.toml");
    f.write(
        "godkendt/holbaek/2022-11-30.toml",
        text.replacen("days = 14", "days = 21", 1),
    );
    f.write(COPY, &text);
    f.edit(
        "holbaek.toml",
        OLD_SENTENCE,
        "Skriv <script>alert(1)</script> & <b>fed</b> her.",
    );
    draft_build(&f);
    let page = f.page(REPORT);
    assert!(
        !page.contains("Behandlingsgaranti</th>"),
        "compared with 2024-12-17, where the days are the same"
    );
    assert!(
        !page.contains("<script>") && !page.contains("<b>fed"),
        "{page}"
    );
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "shown as text"
    );
}

#[test]
fn the_preview_keeps_the_report_up_to_date_after_a_save() {
    let f = approved_then_edited();
    let mut options = f.options();
    options.draft = true;
    let mut state = kvalitet::incremental::SiteState::build(&options).unwrap();
    let report = |state: &kvalitet::incremental::SiteState| {
        let page = state
            .pages()
            .find(|p| p.path == REPORT)
            .expect("the preview has the change report");
        String::from_utf8(page.html.to_vec()).unwrap()
    };
    assert!(report(&state).contains("<td>14 dage</td><td>10 dage</td>"));

    f.edit("holbaek.toml", "days = 10", "days = 7");
    let update = state.update(&[f.file("holbaek.toml")]);
    assert!(
        matches!(
            update,
            kvalitet::incremental::Update::Done { reloaded: 1, .. }
        ),
        "a save of the working file is applied in place: {update:?}"
    );
    assert!(
        report(&state).contains("<td>14 dage</td><td>7 dage</td>"),
        "compared with the same approved copy"
    );
}
