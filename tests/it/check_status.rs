//! Honest statuses in `kvalitet check`: a rule whose parts are not all there is partial, a
//! number in prose that disagrees with the structured fact is an error at the prose's line,
//! dates are judged against the reference date, and a rule covered by the municipality's
//! general standard is referred there.

use kvalitet::check::{Finding, Status};
use kvalitet::diagnostic::Severity;

use crate::check::{EASY, SITE, complete, edit, errors, line_of, of, run, run_with, without};
use crate::fixture::Fixture;

fn partial<'a>(report: &'a kvalitet::check::Report, rule: &str) -> Vec<&'a Finding> {
    of(report, rule).into_iter().filter(|f| f.partial).collect()
}

#[test]
fn a_plan_text_without_follow_up_is_partial_naming_the_follow_up() {
    let plan = "Du får en plan for din behandling. Vi laver den sammen med dig. Den siger, hvad du vil nå.";
    let toml = edit(
        &complete(),
        "[treatment_plan]\ntext = \"\"\"\nDu kan få hjælp hos os. Det er gratis.\nDu får en plan for din behandling. Vi følger op på planen sammen med dig.",
        &format!("[treatment_plan]\ntext = \"\"\"\n{plan}"),
    );
    let report = run(&toml);
    assert_eq!(report.status("test", "§4.1.8"), Status::Partial);
    let found = partial(&report, "§4.1.8");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].message.contains("opfølgning"),
        "{}",
        found[0].message
    );
    assert_eq!(found[0].severity, Severity::Warning);
    assert!(!found[0].missing);
    assert_eq!(found[0].line, Some(line_of(&toml, "[treatment_plan]") + 1));
    assert_eq!(report.matrix().rows[8].cells[0].label, "delvis");
}

#[test]
fn one_sentence_is_partial_even_when_it_names_every_part() {
    let toml = edit(
        &complete(),
        "[treatment_plan]\ntext = \"\"\"\nDu kan få hjælp hos os. Det er gratis.\nDu får en plan for din behandling. Vi følger op på planen sammen med dig.",
        "[treatment_plan]\ntext = \"\"\"\nDu får en plan, og vi følger op på den.",
    );
    let report = run(&toml);
    assert_eq!(report.status("test", "§4.1.8"), Status::Partial);
    let found = partial(&report, "§4.1.8");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].message.contains("1 sætning"),
        "{}",
        found[0].message
    );
}

#[test]
fn each_part_the_regulation_names_is_looked_for() {
    let cases = [
        ("§4.1.3", "Vi møder dig med respekt.", "værdier og normer"),
        (
            "§5",
            "Vi ser også på de fysiske forhold og prisen.",
            "fysiske forhold",
        ),
        (
            "§4.1.9",
            "Vi koordinerer den med jobcentret. ",
            "koordinering",
        ),
        (
            "§4.1.11",
            "Du betaler selv for kost og logi, hvis du bor på et sted.",
            "kost og logi",
        ),
        (
            "§4.1.13",
            "De får supervision og går på kurser.",
            "kompetenceudvikling",
        ),
        (
            "§4.1.12",
            "Sagsbehandlingstiden er højst fire uger.",
            "sagsbehandlingstid",
        ),
    ];
    for (rule, sentence, part) in cases {
        let toml = edit(&complete(), sentence, "Det er vi glade for.");
        let report = run(&toml);
        assert_eq!(report.status("test", rule), Status::Partial, "{rule}");
        let found = partial(&report, rule);
        assert!(
            found.iter().any(|f| f.message.contains(part)),
            "{rule}: {found:#?}"
        );
    }
}

#[test]
fn offers_without_descriptions_make_the_structure_partial() {
    let mut toml = without(&complete(), "[structure]");
    for i in 1..=5 {
        toml.push_str(&format!(
            "\n[[offers]]\nid = \"tilbud-{i}\"\nkind = \"advice\"\ntitle = \"Tilbud {i}\"\ndescription = \"\"\n"
        ));
    }
    let report = run(&toml);
    assert_eq!(report.status("test", "§4.1.4"), Status::Partial);
    let found = partial(&report, "§4.1.4");
    // The missing structure text, and each offer without a description at its line.
    assert_eq!(found.len(), 6, "{found:#?}");
    assert!(
        found
            .iter()
            .any(|f| f.message.contains("organisatoriske struktur"))
    );
    let lines: Vec<usize> = toml
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "description = \"\"")
        .map(|(i, _)| i + 1)
        .collect();
    for line in lines {
        assert!(
            found.iter().any(|f| f.line == Some(line)),
            "line {line}: {found:#?}"
        );
    }
}

#[test]
fn guarantee_days_and_the_text_must_agree() {
    let toml = edit(
        &complete(),
        &format!("[guarantee]\ndays = 14\ntext = \"\"\"\n{EASY}"),
        "[guarantee]\ndays = 14\ntext = \"\"\"\nDu kan få hjælp hos os.\nDu starter senest inden for 30 dage.",
    );
    let report = run(&toml);
    let found = errors(&report, "§4.1.6");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].message.contains("30 dage"), "{}", found[0].message);
    assert!(found[0].message.contains("14"), "{}", found[0].message);
    assert_eq!(found[0].line, Some(line_of(&toml, "inden for 30 dage")));
    assert_eq!(report.status("test", "§4.1.6"), Status::Wrong);

    let same = edit(
        &complete(),
        &format!("[guarantee]\ndays = 14\ntext = \"\"\"\n{EASY}"),
        "[guarantee]\ndays = 14\ntext = \"\"\"\nDu starter senest inden for fjorten dage.",
    );
    assert!(errors(&run(&same), "§4.1.6").is_empty());
}

#[test]
fn follow_up_months_and_the_text_must_agree() {
    let toml = edit(
        &complete(),
        &format!("months = [1, 6]\ntext = \"\"\"\n{EASY}"),
        "months = [1, 6]\ntext = \"\"\"\nDu kan få hjælp hos os.\nVi følger op efter 1 og 3 måneder.",
    );
    let report = run(&toml);
    let found = errors(&report, "§4.2");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].message.contains('3'), "{}", found[0].message);
    assert_eq!(found[0].line, Some(line_of(&toml, "efter 1 og 3 måneder")));

    let same = edit(
        &complete(),
        &format!("months = [1, 6]\ntext = \"\"\"\n{EASY}"),
        "months = [1, 6]\ntext = \"\"\"\nVi følger op efter en måned og igen efter 6 mdr.",
    );
    assert!(errors(&run(&same), "§4.2").is_empty());
}

#[test]
fn targets_and_complaint_deadlines_must_agree_with_their_text() {
    let toml = edit(
        &complete(),
        "text = \"35 % er stoffri efter endt behandling.\"",
        "text = \"40 % er stoffri efter endt behandling.\"",
    );
    let report = run(&toml);
    let found = errors(&report, "§4.3");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].line, Some(line_of(&toml, "40 % er stoffri")));

    let toml = edit(
        &complete(),
        "deadline_weeks = 4\n",
        "deadline_weeks = 4\ntext = \"Du har 8 uger til at klage.\"\n",
    );
    let report = run(&toml);
    let found = errors(&report, "§4.1.12");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].line, Some(line_of(&toml, "8 uger")));
}

#[test]
fn an_approval_in_the_future_is_an_error() {
    let toml = edit(
        &complete(),
        "approved_on = 2024-12-17",
        "approved_on = 2025-09-01",
    );
    let report = run(&toml);
    let found = errors(&report, "§3.3");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].message.contains("1. september 2025"),
        "{}",
        found[0].message
    );
    assert_eq!(
        found[0].line,
        Some(line_of(&toml, "approved_on = 2025-09-01"))
    );
    assert_eq!(report.status("test", "§3.3"), Status::Wrong);
}

#[test]
fn an_approval_more_than_two_years_old_is_overdue_without_next_revision() {
    let toml = edit(&complete(), "next_revision = \"2026-12\"", "");
    // Within two years of 17 December 2024: only the missing field.
    let report = run_with(SITE, &toml, "2026-12-17");
    assert_eq!(errors(&report, "§6.1").len(), 1);
    let report = run_with(SITE, &toml, "2026-12-18");
    let found = errors(&report, "§6.1");
    assert_eq!(found.len(), 2, "{found:#?}");
    let old = found.iter().find(|f| !f.missing).unwrap();
    assert!(old.message.contains("17. december 2024"), "{}", old.message);
    assert!(old.message.contains("to år"), "{}", old.message);
    assert_eq!(old.line, Some(line_of(&toml, "approved_on = 2024-12-17")));
}

#[test]
fn a_passed_valid_to_is_an_error() {
    let toml = edit(
        &complete(),
        "valid_to = \"2026-12\"",
        "valid_to = \"2025-03\"",
    );
    let report = run(&toml);
    let found = errors(&report, "§6.1");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].message.contains("marts 2025"),
        "{}",
        found[0].message
    );
    assert_eq!(
        found[0].line,
        Some(line_of(&toml, "valid_to = \"2025-03\""))
    );
    // The month lasts to its end.
    assert!(errors(&run_with(SITE, &toml, "2025-03-31"), "§6.1").is_empty());
}

#[test]
fn common_abbreviations_are_hard_words_with_their_meaning_as_hint() {
    let text = "Du kan evt. ringe. Vi hjælper bl.a. med mad iht. loven. Se BEK og VUM m.v.";
    let toml = edit(
        &complete(),
        &format!("[goals]\ntext = \"\"\"\n{EASY}"),
        &format!("[goals]\ntext = \"\"\"\n{text}"),
    );
    let report = run(&toml);
    let words = of(&report, "ORD");
    for (word, meaning) in [
        ("evt.", "eventuelt"),
        ("bl.a.", "blandt andet"),
        ("iht.", "i henhold til"),
        ("BEK", "bekendtgørelse"),
        ("VUM", "Voksenudredningsmetoden"),
        ("m.v.", "med videre"),
    ] {
        let f = words
            .iter()
            .find(|f| f.message.contains(&format!("«{word}»")))
            .unwrap_or_else(|| panic!("{word}: {words:#?}"));
        assert!(
            f.hint.as_deref().is_some_and(|h| h.contains(meaning)),
            "{word}: {:?}",
            f.hint
        );
    }
}

const GENERAL: &str = "\n[general_standard]\ntitle = \"Generel kvalitetsstandard for sagsbehandling\"\nurl = \"https://kommune.example.dk/kvalitetsstandarder\"\ncovers = [\"4.1.12\"]\n";

#[test]
fn a_rule_covered_by_the_general_standard_is_referred_there() {
    let toml = format!("{}{GENERAL}", without(&complete(), "[complaints]"));
    let report = run(&toml);
    assert_eq!(report.status("test", "§4.1.12"), Status::Referred);
    assert!(errors(&report, "§4.1.12").is_empty());
    let found = of(&report, "§4.1.12");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].referred);
    assert!(
        found[0]
            .message
            .contains("Generel kvalitetsstandard for sagsbehandling"),
        "{}",
        found[0].message
    );
    assert!(
        found[0]
            .message
            .contains("https://kommune.example.dk/kvalitetsstandarder")
    );
    let covers = toml
        .lines()
        .position(|l| l.starts_with("covers = ["))
        .unwrap()
        + 1;
    assert_eq!(found[0].line, Some(covers));
    assert_eq!(report.matrix().rows[12].cells[0].label, "henvist");
}

#[test]
fn the_general_standard_needs_a_safe_link_and_known_rules() {
    for (from, to, expected) in [
        ("covers = [\"4.1.12\"]", "covers = [\"4.1.99\"]", "4.1.99"),
        (
            "url = \"https://kommune.example.dk/kvalitetsstandarder\"",
            "url = \"javascript:alert(1)\"",
            "javascript",
        ),
    ] {
        let toml = format!("{}{}", complete(), GENERAL.replace(from, to));
        let fixture = Fixture::empty();
        fixture.write("site.toml", SITE);
        fixture.write("test.toml", &toml);
        let err = match kvalitet::pipeline::load_content(&fixture.content()) {
            Ok(_) => panic!("{to} was accepted"),
            Err(d) => kvalitet::diagnostic::report(&d),
        };
        assert!(err.contains(expected), "{err}");
        let line = toml.lines().position(|l| l == to).unwrap() + 1;
        assert!(err.contains(&format!("test.toml:{line}")), "{err}");
    }
}

#[test]
fn the_report_page_names_partial_rules_and_never_says_in_order() {
    let fixture = Fixture::empty();
    fixture.write("site.toml", SITE);
    let toml = edit(
        &complete(),
        "Du får en plan for din behandling. Vi følger op på planen sammen med dig.",
        "Du får en plan for din behandling. Den siger, hvad du vil nå.",
    );
    fixture.write("test.toml", format!("{toml}{GENERAL}"));
    fixture.build();
    let page = fixture.page("tjek/index.html");
    assert!(page.contains("delvis"), "{page}");
    assert!(page.contains("henvist"), "{page}");
    assert!(page.contains("opfølgning"), "{page}");
    assert!(!page.contains("i orden"), "{page}");
}

#[test]
fn a_topic_told_only_by_the_general_standard_has_a_page_that_links_there() {
    let fixture = Fixture::empty();
    fixture.write("site.toml", SITE);
    fixture.write(
        "test.toml",
        format!("{}{GENERAL}", without(&complete(), "[complaints]")),
    );
    fixture.build();
    let page = fixture.page("test/klage/index.html");
    assert!(page.contains("<h1>Hvordan klager jeg?</h1>"), "{page}");
    assert!(
        page.contains(
            "<a href=\"https://kommune.example.dk/kvalitetsstandarder\">Generel kvalitetsstandard for sagsbehandling</a>"
        ),
        "{page}"
    );
    let whole = fixture.page("test/hele-standarden/index.html");
    assert!(whole.contains("Generel kvalitetsstandard for sagsbehandling"));
}
