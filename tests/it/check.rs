//! `kvalitet check` as an editor meets it: each rule broken and satisfied, the JSON shape, exit
//! codes, and the real gaps in the bundled content.

use std::path::{Path, PathBuf};
use std::process::Command;

use kvalitet::check::{self, CheckOptions, Finding, Report, Status};
use kvalitet::diagnostic::Severity;

use crate::fixture::Fixture;

pub(crate) const SITE: &str = r#"
title = "Test"
accessibility_statement = "https://www.was.digst.dk/app/test"
base_url = "https://rusmiddel.example.dk/"
help_now = [{ name = "Alarmcentralen", phone = "112", when = "ved livsfare", always_open = true, verified_on = 2025-06-01 }]
"#;

/// The line for help now of [`SITE`], for a test's own `site.toml`: with it, `HJAELP-NU` has
/// nothing to report.
pub(crate) const HELP_NOW: &str = "help_now = [{ name = \"Alarmcentralen\", phone = \"112\", when = \"ved livsfare\", always_open = true, verified_on = 2025-06-01 }]\n";

pub(crate) const EASY: &str = "Du kan få hjælp hos os. Det er gratis.";

/// Sentences that name the parts Bek. 1477 lists for a topic, added after [`EASY`] in the
/// table's `text` (`provider_requirements` for `residential`).
const PARTS: &[(&str, &str)] = &[
    (
        "goals",
        "Målet er, at du får det bedre. Vi møder dig med respekt.",
    ),
    ("residential", RESIDENTIAL),
    (
        "treatment_plan",
        "Du får en plan for din behandling. Vi følger op på planen sammen med dig.",
    ),
    (
        "action_plans",
        "Vi laver en plan med dig og kommunen. Vi koordinerer den med jobcentret. Vi følger op på den.",
    ),
    (
        "payment",
        "Du betaler selv for kost og logi, hvis du bor på et sted.",
    ),
    (
        "complaints",
        "Du kan klage over vores beslutning. Sagsbehandlingstiden er højst fire uger.",
    ),
    (
        "staff",
        "Vores behandlere har en faglig uddannelse. De får supervision og går på kurser.",
    ),
];

/// The parts §5 names for residential providers.
const RESIDENTIAL: &str = "Stedet skal have en klar behandlingsform og målgruppe. Vi ser på kerneydelser og personale. Vi ser også på de fysiske forhold og prisen.";

/// A content folder holding `site.toml` and `test.toml`, removed when dropped.
struct TempContent {
    _fixture: Fixture,
    dir: PathBuf,
}

impl TempContent {
    fn new(site: &str, municipality: &str) -> Self {
        let fixture = Fixture::empty();
        fixture.write("site.toml", site);
        fixture.write("test.toml", municipality);
        TempContent {
            dir: fixture.content(),
            _fixture: fixture,
        }
    }
}

/// A standard with every topic and every text filled in and both targets §4.3 asks for: one
/// that meets every rule.
pub(crate) fn complete() -> String {
    let mut filled = include_str!("complete_standard.toml")
        .replace("\"\"\"\n\"\"\"", &format!("\"\"\"\n{EASY}\n\"\"\""));
    // The topics whose rule names several parts (`docs/rules.md`) say each of them.
    for (table, parts) in PARTS {
        let at = filled.find(&format!("[{table}]\n")).expect(table);
        let field = if *table == "residential" {
            "provider_requirements"
        } else {
            "text"
        };
        let text = format!("{field} = \"\"\"\n{EASY}\n");
        let at = at + filled[at..].find(&text).expect(table) + text.len();
        filled.insert_str(at, &format!("{parts}\n"));
    }
    filled.replace(
        "# (§4.1.15)",
        "[[monitoring.targets]]\nkind = \"return_within_12_months\"\npercent = 20\ncomparison = \"at_most\"\ntext = \"Højst 20 % kommer tilbage inden for et år.\"\n\n# (§4.1.15)",
    )
}

/// Removes a table (and its sub-tables) from the TOML text.
pub(crate) fn without(toml: &str, header: &str) -> String {
    let name = header.trim_matches(['[', ']']);
    let mut out = String::new();
    let mut skipping = false;
    for line in toml.lines() {
        let t = line.trim_start();
        if t.starts_with('[') && !t.starts_with("[\"") {
            let this = t.trim_end().trim_matches(['[', ']']);
            skipping = this == name || this.starts_with(&format!("{name}."));
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    assert_ne!(out, toml, "{header} is not in the text");
    out
}

/// Replaces text that must be there.
pub(crate) fn edit(toml: &str, from: &str, to: &str) -> String {
    assert!(toml.contains(from), "«{from}» is not in the text");
    toml.replacen(from, to, 1)
}

pub(crate) fn date(s: &str) -> kvalitet::model::PartialDate {
    check::parse_reference_date(s).unwrap()
}

pub(crate) fn run_with(site: &str, municipality: &str, reference: &str) -> Report {
    let c = TempContent::new(site, municipality);
    let content = match kvalitet::pipeline::load_content(&c.dir) {
        Ok(content) => content,
        Err(d) => panic!("{}", kvalitet::diagnostic::report(&d)),
    };
    let mut options = CheckOptions::for_site(&content.site);
    options.reference_date = date(reference);
    kvalitet::build::check_content_with(&content, &options)
}

pub(crate) fn run(municipality: &str) -> Report {
    run_with(SITE, municipality, "2025-06-01")
}

pub(crate) fn of<'a>(report: &'a Report, rule: &str) -> Vec<&'a Finding> {
    report
        .findings()
        .iter()
        .filter(|f| f.rule == rule)
        .collect()
}

pub(crate) fn errors<'a>(report: &'a Report, rule: &str) -> Vec<&'a Finding> {
    of(report, rule)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect()
}

pub(crate) fn line_of(toml: &str, needle: &str) -> usize {
    toml.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("«{needle}» is not in the text"))
}

#[test]
fn a_complete_standard_meets_every_rule() {
    let report = run(&complete());
    let loud: Vec<&Finding> = report
        .findings()
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .collect();
    assert!(loud.is_empty(), "{loud:#?}");
    for rule in check::RULES
        .iter()
        .filter(|r| !["WAS", "WEBADRESSE", "HJAELP-NU"].contains(&r.id))
    {
        assert_eq!(
            report.status("test", rule.id),
            Status::Present,
            "{}",
            rule.id
        );
    }
    assert!(report.passes(true));
    assert_eq!(report.summary_line(), "Tjek: ingen fejl eller advarsler");
}

#[test]
fn every_topic_the_regulation_names_is_reported_when_absent() {
    let cases = [
        ("§4.1.1", "[tasks]"),
        ("§4.1.2", "[target_group]"),
        ("§4.1.3", "[goals]"),
        ("§4.1.5", "[referral]"),
        ("§4.1.6", "[guarantee]"),
        ("§4.1.7", "[free_choice]"),
        ("§4.1.8", "[treatment_plan]"),
        ("§4.1.9", "[action_plans]"),
        ("§4.1.10", "[user_involvement]"),
        ("§4.1.11", "[payment]"),
        ("§4.1.12", "[complaints]"),
        ("§4.1.13", "[staff]"),
        ("§4.1.14", "[monitoring]"),
        ("§4.1.15", "[gift_cards]"),
        ("§4.2", "[follow_up]"),
        ("§4.4", "[children]"),
        ("§4.5", "[future]"),
        ("§3.3", "[approval]"),
        ("§6.1", "[approval]"),
        ("§6.2", "[approval]"),
    ];
    for (rule, table) in cases {
        let report = run(&without(&complete(), table));
        let found = errors(&report, rule);
        assert_eq!(found.len(), 1, "{rule} without {table}: {found:#?}");
        let f = found[0];
        assert!(f.missing, "{rule}");
        assert_eq!(f.line, None, "{rule}: the table is absent, so no line");
        assert!(f.file.ends_with("test.toml"), "{rule}");
        assert!(!f.requirement.is_empty(), "{rule}");
        assert_eq!(report.status("test", rule), Status::Missing, "{rule}");
        // Only the rule whose topic went missing is affected (monitoring carries §4.3 too).
        let others: Vec<&Finding> = report
            .findings()
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .filter(|f| f.rule != rule && !(table == "[approval]" || f.rule == "§4.3"))
            .collect();
        assert!(others.is_empty(), "{rule}: {others:#?}");
    }
}

#[test]
fn an_empty_text_is_reported_at_its_line() {
    let toml = edit(
        &complete(),
        &format!("[tasks]\ntext = \"\"\"\n{EASY}\n\"\"\""),
        "[tasks]\ntext = \"\"\"\n\"\"\"",
    );
    let report = run(&toml);
    let found = errors(&report, "§4.1.1");
    assert_eq!(found.len(), 1);
    // An empty text counts as no text: the topic is missing.
    assert!(
        found[0].message.contains("Der står ikke noget"),
        "{}",
        found[0].message
    );
    assert_eq!(found[0].line, Some(line_of(&toml, "[tasks]") + 1));
    assert_eq!(found[0].key.as_deref(), Some("tasks.text"));
}

#[test]
fn structure_is_told_by_text_or_by_offers() {
    // The list of offers alone tells only one part of §4.1.4: the organisation is missing.
    let report = run(&without(&complete(), "[structure]"));
    assert_eq!(report.status("test", "§4.1.4"), Status::Partial);
    assert!(errors(&report, "§4.1.4").is_empty());
    // Without both it is missing.
    let toml = without(&without(&complete(), "[structure]"), "[[offers]]");
    let report = run(&toml);
    assert_eq!(errors(&report, "§4.1.4").len(), 1);
}

#[test]
fn follow_up_must_be_after_1_and_6_months() {
    let toml = edit(&complete(), "months = [1, 6]", "months = [1, 3]");
    let report = run(&toml);
    let found = errors(&report, "§4.2");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].message.contains("1 og 3 måneder"),
        "{}",
        found[0].message
    );
    assert!(
        found[0].message.contains("6 måneder"),
        "{}",
        found[0].message
    );
    assert_eq!(found[0].line, Some(line_of(&toml, "months = [1, 3]")));
    assert_eq!(found[0].key.as_deref(), Some("follow_up.months"));
    assert_eq!(report.status("test", "§4.2"), Status::Wrong);

    let more = edit(&complete(), "months = [1, 6]", "months = [1, 6, 12]");
    assert!(of(&run(&more), "§4.2").is_empty());
}

#[test]
fn the_treatment_guarantee_is_at_most_14_days() {
    let toml = edit(
        &complete(),
        "[guarantee]\ndays = 14",
        "[guarantee]\ndays = 21",
    );
    let report = run(&toml);
    let found = errors(&report, "§4.1.6");
    assert_eq!(found.len(), 1);
    assert!(found[0].message.contains("21 dage"), "{}", found[0].message);
    assert_eq!(found[0].line, Some(line_of(&toml, "days = 21")));

    let shorter = edit(
        &complete(),
        "[guarantee]\ndays = 14",
        "[guarantee]\ndays = 7",
    );
    assert!(of(&run(&shorter), "§4.1.6").is_empty());
}

#[test]
fn targets_need_both_kinds_as_percentages() {
    // Out of range (with its text, which must say the same).
    let toml = edit(
        &edit(&complete(), "percent = 35", "percent = 135"),
        "text = \"35 % er",
        "text = \"135 % er",
    );
    let report = run(&toml);
    let found = errors(&report, "§4.3");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].line, Some(line_of(&toml, "percent = 135")));

    // "reduced" may stand in for "drug_free".
    let reduced = edit(&complete(), "kind = \"drug_free\"", "kind = \"reduced\"");
    assert!(of(&run(&reduced), "§4.3").is_empty());

    // An "other" target does not count.
    let other = edit(&complete(), "kind = \"drug_free\"", "kind = \"other\"");
    let report = run(&other);
    assert_eq!(errors(&report, "§4.3").len(), 1);
    assert!(errors(&report, "§4.3")[0].missing);

    // The return target is missing in the scaffold as written by `kvalitet new`.
    let scaffold_targets = edit(
        &complete(),
        "kind = \"return_within_12_months\"",
        "kind = \"other\"",
    );
    let report = run(&scaffold_targets);
    let found = errors(&report, "§4.3");
    assert_eq!(found.len(), 1);
    assert!(
        found[0].message.contains("12 måneder"),
        "{}",
        found[0].message
    );
}

#[test]
fn residential_treatment_needs_provider_requirements() {
    let empty = edit(
        &complete(),
        &format!("provider_requirements = \"\"\"\n{EASY}\n{RESIDENTIAL}\n\"\"\""),
        "provider_requirements = \"\"\"\n\"\"\"",
    );
    let report = run(&empty);
    assert_eq!(errors(&report, "§5").len(), 1);
    assert_eq!(report.status("test", "§5"), Status::Missing);

    // No residential table and no residential offer: §5 does not apply.
    let none = without(&complete(), "[residential]");
    let report = run(&none);
    assert!(of(&report, "§5").is_empty());
    assert_eq!(report.status("test", "§5"), Status::NotApplicable);

    // A residential offer without the table.
    let offered = edit(&none, "kind = \"outpatient\"", "kind = \"residential\"");
    let report = run(&offered);
    assert_eq!(errors(&report, "§5").len(), 1);
}

#[test]
fn revision_is_due_at_most_two_years_after_approval() {
    let late = edit(
        &complete(),
        "next_revision = \"2026-12\"",
        "next_revision = \"2027-06\"",
    );
    let report = run(&late);
    let found = errors(&report, "§6.1");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].message.contains("to år"), "{}", found[0].message);
    assert_eq!(
        found[0].line,
        Some(line_of(&late, "next_revision = \"2027-06\""))
    );

    let missing = edit(&complete(), "next_revision = \"2026-12\"", "");
    assert_eq!(errors(&run(&missing), "§6.1").len(), 1);
}

#[test]
fn a_standard_past_its_revision_date_is_reported() {
    // "2026-12" lasts until 31 December 2026.
    let on_time = run_with(SITE, &complete(), "2026-12-31");
    assert!(of(&on_time, "§6.1").is_empty());
    let overdue = run_with(SITE, &complete(), "2027-01-01");
    let found = errors(&overdue, "§6.1");
    // The revision date has passed, and so has `valid_to`, the same month.
    assert_eq!(found.len(), 2, "{found:#?}");
    for (key, words) in [
        ("approval.next_revision", "revideret senest december 2026"),
        ("approval.valid_to", "gælder til december 2026"),
    ] {
        let f = found
            .iter()
            .find(|f| f.key.as_deref() == Some(key))
            .unwrap();
        assert!(f.message.contains(words), "{}", f.message);
    }
}

#[test]
fn approval_and_user_representatives_are_required() {
    let no_date = edit(&complete(), "approved_on = 2024-12-17", "");
    assert_eq!(errors(&run(&no_date), "§3.3").len(), 1);

    let no_users = edit(
        &complete(),
        &format!("user_representatives = \"\"\"\n{EASY}\n\"\"\""),
        "",
    );
    let report = run(&no_users);
    assert_eq!(errors(&report, "§6.2").len(), 1);
    assert_eq!(report.status("test", "§6.2"), Status::Missing);
}

const HARD: &str = "Behandlingsforløbet tilrettelægges individuelt på baggrund af en helhedsorienteret udredning af borgerens samlede livssituation, herunder beskæftigelsesmæssige, boligmæssige og helbredsmæssige forhold.";

#[test]
fn hard_text_gets_a_lix_warning_at_its_line() {
    let toml = edit(
        &complete(),
        &format!("[goals]\ntext = \"\"\"\n{EASY}"),
        &format!("[goals]\ntext = \"\"\"\n{HARD}"),
    );
    let report = run(&toml);
    let found: Vec<&Finding> = of(&report, "LIX");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].severity, Severity::Warning);
    assert_eq!(found[0].key.as_deref(), Some("goals.text"));
    assert_eq!(found[0].line, Some(line_of(&toml, "Behandlingsforløbet")));
    let section = report.municipalities[0]
        .lix
        .iter()
        .find(|s| s.section == "goals")
        .unwrap();
    assert!(section.above_limit);
    assert!(
        matches!(section.band, Some("svær" | "meget svær")),
        "{section:?}"
    );

    // The site sets its own limit.
    let lenient = format!("{SITE}\nlix_warning = 200\n");
    assert!(of(&run_with(&lenient, &toml, "2025-06-01"), "LIX").is_empty());
}

#[test]
fn long_sentences_are_noted() {
    let long = "Du kan altid ringe til os og spørge om hjælp, hvis du er i tvivl om noget, og vi hjælper dig så godt vi kan med det, du har brug for i dag.";
    let toml = edit(
        &complete(),
        &format!("[future]\ntext = \"\"\"\n{EASY}"),
        &format!("[future]\ntext = \"\"\"\n{long}"),
    );
    let report = run(&toml);
    let found = of(&report, "SÆTNING");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].message.contains("33 ord"), "{}", found[0].message);
    assert_eq!(found[0].line, Some(line_of(&toml, "Du kan altid ringe")));
    assert!(of(&run(&complete()), "SÆTNING").is_empty());
}

#[test]
fn legal_terms_need_a_glossary_entry() {
    let text = "Du har ret til hjælp, jf. SEL § 101. Efter visitationen får du svar.";
    let toml = edit(
        &complete(),
        &format!("[goals]\ntext = \"\"\"\n{EASY}"),
        &format!("[goals]\ntext = \"\"\"\n{text}"),
    );
    let report = run(&toml);
    let words: Vec<&str> = of(&report, "ORD")
        .iter()
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(words.len(), 3, "{words:#?}");
    assert!(words.iter().any(|m| m.contains("«jf.»")));
    assert!(words.iter().any(|m| m.contains("«SEL»")));
    assert!(words.iter().any(|m| m.contains("«visitationen»")));

    // Terms and other spellings count, whatever their case.
    let glossary = format!(
        "{SITE}\n[[glossary]]\nterm = \"sel\"\nexplanation = \"Serviceloven.\"\n\n[[glossary]]\nterm = \"Jævnfør\"\nalso = [\"JF.\"]\nexplanation = \"Se også.\"\n\n[[glossary]]\nterm = \"Visitation\"\nexplanation = \"Vurdering.\"\n"
    );
    assert!(of(&run_with(&glossary, &toml, "2025-06-01"), "ORD").is_empty());
}

#[test]
fn links_must_be_complete_addresses() {
    let text = "Du kan [klage her](www.ast.dk) eller [læse mere](https://ast.dk). Se [klager](/test/klage/#frister) og [frister](/test/frister/).";
    let toml = edit(
        &complete(),
        &format!("[complaints]\ntext = \"\"\"\n{EASY}"),
        &format!("[complaints]\ntext = \"\"\"\n{text}"),
    );
    let report = run(&toml);
    let found = of(&report, "LINK");
    assert_eq!(found.len(), 2, "{found:#?}");
    let incomplete = found
        .iter()
        .find(|f| f.message.contains("www.ast.dk"))
        .unwrap();
    assert!(
        incomplete.message.contains("https://"),
        "{}",
        incomplete.message
    );
    assert_eq!(incomplete.line, Some(line_of(&toml, "www.ast.dk")));

    // An internal link is judged against the site's pages: to a page that exists, it is fine.
    assert!(
        found.iter().any(|f| f.message.contains("/test/frister/")),
        "{found:#?}"
    );
    assert!(
        !found.iter().any(|f| f.message.contains("/test/klage/")),
        "{found:#?}"
    );
    // The broken link is counted, and shown in the report's table, like the other findings.
    let warnings = report
        .findings()
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    assert_eq!(report.counts_for(Some("test")).warnings, warnings);
    let matrix = report.matrix();
    assert_eq!(matrix.columns[0].counts, report.counts());
    let links = matrix.rows.iter().find(|r| r.rule == "LINK").unwrap();
    assert_eq!(links.cells[0].messages.len(), 2, "{:?}", links.cells[0]);
}

#[test]
fn contact_facts_must_be_well_formed() {
    let toml = edit(
        &complete(),
        "email = \"rusmiddel@example.dk\"",
        "email = \"rusmiddel.example.dk\"",
    );
    let toml = edit(
        &toml,
        "website = \"https://www.example.dk/rusmiddelcenter\"",
        "website = \"www.example.dk/rusmiddelcenter\"",
    );
    let report = run(&toml);
    let found = errors(&report, "KONTAKT");
    assert_eq!(found.len(), 2, "{found:#?}");
    let keys: Vec<&str> = found.iter().filter_map(|f| f.key.as_deref()).collect();
    assert!(keys.contains(&"website"), "{keys:?}");
    assert!(keys.contains(&"units[0].email"), "{keys:?}");

    // No phone number at all: the citizen cannot call.
    let silent = edit(&complete(), "phone = \"12 34 56 78\"", "");
    let report = run(&silent);
    let found = of(&report, "KONTAKT");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].severity, Severity::Warning);
}

#[test]
fn the_accessibility_statement_is_required() {
    let report = run_with(
        &format!("title = \"Test\"\nbase_url = \"https://x.dk/\"\n{HELP_NOW}"),
        &complete(),
        "2025-06-01",
    );
    let found = of(&report, "WAS");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].severity, Severity::Warning);
    assert_eq!(found[0].municipality, None);
    assert!(found[0].message.contains("tilgængelighedserklæring"));
    assert!(found[0].file.ends_with("site.toml"));
    assert_eq!(
        report.summary_line(),
        "Tjek: 0 fejl, 1 advarsel i site.toml (kør kvalitet check for detaljer)"
    );

    let bad = run_with(
        &format!("title = \"Test\"\naccessibility_statement = \"was.digst.dk\"\n{HELP_NOW}"),
        &complete(),
        "2025-06-01",
    );
    assert_eq!(errors(&bad, "WAS").len(), 1);
}

#[test]
fn the_matrix_has_a_cell_per_rule_and_municipality() {
    let toml = edit(&complete(), "months = [1, 6]", "months = [1, 3]");
    let report = run(&toml);
    let matrix = report.matrix();
    assert_eq!(matrix.columns.len(), 1);
    assert_eq!(matrix.columns[0].slug, "test");
    // Every rule but the three about the whole site (WAS, WEBADRESSE, HJAELP-NU).
    assert_eq!(matrix.rows.len(), check::RULES.len() - 3);
    let row = matrix.rows.iter().find(|r| r.rule == "§4.2").unwrap();
    assert_eq!(row.cells[0].status, Status::Wrong);
    assert_eq!(row.cells[0].label, "forkert");
    assert!(row.cells[0].messages[0].contains("1 og 3"));
    assert!(matrix.lix_rows.iter().any(|r| r.section == "hele"));
    assert!(matrix.lix_rows.iter().any(|r| r.section == "tilbud"));
    assert_eq!(
        report.summary_line(),
        "Tjek: 1 fejl, 0 advarsler i 1 kommune (kør kvalitet check for detaljer)"
    );
}

#[test]
fn the_lix_table_lists_sections_in_the_order_of_the_pages() {
    // The first municipality leaves out the targets; the table still puts them where the
    // standard has them, not after the sections the first municipality has.
    let c = TempContent::new(SITE, &without(&complete(), "[monitoring]"));
    std::fs::write(c.dir.join("vejle.toml"), complete()).unwrap();
    let content = kvalitet::pipeline::load_content(&c.dir).unwrap();
    let report =
        kvalitet::build::check_content_with(&content, &CheckOptions::for_site(&content.site));
    let matrix = report.matrix();
    let slugs: Vec<&str> = matrix.columns.iter().map(|c| c.slug).collect();
    assert_eq!(slugs, ["test", "vejle"]);
    let sections: Vec<&str> = matrix.lix_rows.iter().map(|r| r.section).collect();
    let place = |id: &str| sections.iter().position(|s| *s == id).expect(id);
    assert_eq!(place("hele"), 0);
    assert!(place("offers") < place("tilbud"), "{sections:?}");
    assert!(place("tilbud") < place("getting-started"), "{sections:?}");
    assert!(place("gift-cards") < place("staff"), "{sections:?}");
    assert!(place("staff") < place("quality"), "{sections:?}");
    assert!(place("quality") < place("about"), "{sections:?}");
    let targets = &matrix.lix_rows[place("quality")];
    assert_eq!(targets.title, "Hvordan ved vi, om behandlingen virker?");
    assert!(targets.cells[0].is_none());
    assert!(targets.cells[1].is_some_and(|c| c.words > 0));
}

fn kvalitet(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kvalitet"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn check_dir(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "check",
        "--content",
        dir.to_str().unwrap(),
        "--date",
        "2025-06-01",
    ];
    args.extend_from_slice(extra);
    kvalitet(&args)
}

#[test]
fn json_output_has_the_documented_shape() {
    let toml = edit(&complete(), "months = [1, 6]", "months = [1, 3]");
    let c = TempContent::new(SITE, &toml);
    let out = check_dir(&c.dir, &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(v["version"], 3);
    assert_eq!(v["reference_date"], "2025-06-01");
    assert_eq!(v["lix_warning"], 40.0);
    assert_eq!(v["passed"], false);
    assert_eq!(v["counts"]["errors"], 1);
    assert_eq!(v["counts"]["warnings"], 0);
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "§4.2");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["missing"], false);
    assert_eq!(f["partial"], false);
    assert_eq!(f["referred"], false);
    assert_eq!(f["municipality"], "test");
    assert_eq!(f["key"], "follow_up.months");
    assert_eq!(f["line"], line_of(&toml, "months = [1, 3]"));
    assert!(f["file"].as_str().unwrap().ends_with("test.toml"));
    assert!(f["message"].as_str().unwrap().contains("1 og 3"));
    assert!(f["requirement"].as_str().unwrap().contains("6 måneder"));
    assert!(f["hint"].is_string());
    let m = &v["municipalities"][0];
    assert_eq!(m["slug"], "test");
    assert_eq!(m["name"], "Test");
    assert_eq!(m["counts"]["errors"], 1);
    let rules = m["rules"].as_array().unwrap();
    assert_eq!(rules.len(), check::RULES.len() - 3);
    let follow_up = rules.iter().find(|r| r["rule"] == "§4.2").unwrap();
    assert_eq!(follow_up["status"], "wrong");
    assert!(m["lix_total"]["lix"].is_number());
    let section = &m["lix"][0];
    for key in [
        "section",
        "title",
        "lix",
        "band",
        "words",
        "sentences",
        "long_words",
        "long_sentences",
        "above_limit",
    ] {
        assert!(
            section.get(key).is_some(),
            "lix section lacks {key}: {section}"
        );
    }
}

#[test]
fn exit_codes_tell_errors_warnings_and_unreadable_content_apart() {
    let clean = TempContent::new(SITE, &complete());
    let out = check_dir(&clean.dir, &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("I alt: 0 fejl, 0 advarsler"), "{text}");
    assert!(!text.contains('\x1b'), "no colour when not on a terminal");

    // A warning only (no accessibility statement): passes, unless warnings are denied.
    let warned = TempContent::new("title = \"Test\"\n", &complete());
    assert_eq!(check_dir(&warned.dir, &[]).status.code(), Some(0));
    let denied = check_dir(&warned.dir, &["--deny-warnings"]);
    assert_eq!(denied.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&denied.stdout).contains("--deny-warnings"));

    let wrong = TempContent::new(
        SITE,
        &edit(
            &complete(),
            "[guarantee]\ndays = 14",
            "[guarantee]\ndays = 30",
        ),
    );
    let out = check_dir(&wrong.dir, &[]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("§4.1.6 Behandlingsgaranti"), "{text}");
    assert!(text.contains("Loven kræver:"), "{text}");

    let broken = TempContent::new(SITE, "name = \"Test Kommune\n");
    let out = check_dir(&broken.dir, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("test.toml"));

    let bad_date = check_dir(&clean.dir, &["--date", "1. juni"]);
    assert_eq!(bad_date.status.code(), Some(2));
}

#[test]
fn the_bundled_content_reports_odsherreds_follow_up_after_1_and_3_months() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    if !dir.join("odsherred.toml").exists() {
        panic!("content/odsherred.toml is missing");
    }
    let content = match kvalitet::pipeline::load_content(&dir) {
        Ok(c) => c,
        Err(d) => panic!("{}", kvalitet::diagnostic::report(&d)),
    };
    let mut options = CheckOptions::for_site(&content.site);
    options.reference_date = date("2025-06-01");
    let report = kvalitet::build::check_content_with(&content, &options);
    let found: Vec<&Finding> = report
        .findings()
        .iter()
        .filter(|f| f.rule == "§4.2" && f.municipality.as_deref() == Some("odsherred"))
        .collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].severity, Severity::Error);
    assert!(
        found[0].message.contains("1 og 3 måneder"),
        "{}",
        found[0].message
    );
    assert_eq!(found[0].key.as_deref(), Some("follow_up.months"));
    let source = std::fs::read_to_string(dir.join("odsherred.toml")).unwrap();
    let line = found[0].line.expect("a line");
    assert!(
        source.lines().nth(line - 1).unwrap().contains("months"),
        "line {line}"
    );
}

#[test]
fn the_lix_hint_names_each_long_word_once() {
    // Two equally long words (17 letters), the first of them again after the second: sorted
    // by length they come as A, B, A, and the hint must name A once and go on to the next.
    let text = "Vores helhedsorienteret indsats tilrettelægges altid sammen med borgeren, \
        og et behandlingstilbud vurderes løbende, så indsatsen forbliver helhedsorienteret, \
        meningsfuld, sammenhængende og relevant gennem hele forløbet.";
    let toml = edit(
        &complete(),
        &format!("[goals]\ntext = \"\"\"\n{EASY}"),
        &format!("[goals]\ntext = \"\"\"\n{text}"),
    );
    let report = run(&toml);
    let found: Vec<&Finding> = of(&report, "LIX");
    assert_eq!(found.len(), 1, "{found:#?}");
    let hint = found[0].hint.as_deref().unwrap_or_default();
    assert!(
        hint.ends_with(
            "fx i stedet for «helhedsorienteret», «behandlingstilbud», «tilrettelægges»"
        ),
        "{hint}"
    );
}
