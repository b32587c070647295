//! Every TOML mistake an editor makes is told once, in Danish, at the place to change, with a
//! hint for the kind of value: one test per mistake, each on a small valid municipality file
//! (`tests/golden/_valid.toml.txt`) with that one mistake pasted in.

use kvalitet::diagnostic::Diagnostic;
use kvalitet::load::load_municipality;

use crate::fixture::{Fixture, repo};

fn valid() -> String {
    std::fs::read_to_string(repo().join("tests/golden/_valid.toml.txt")).unwrap()
}

/// The errors of the valid file with `from` replaced by `to` (which must occur).
fn errors_with(from: &str, to: &str) -> Vec<Diagnostic> {
    let text = valid();
    assert!(text.contains(from), "{from:?} is in the valid file");
    errors_of(&text.replacen(from, to, 1))
}

fn errors_of(text: &str) -> Vec<Diagnostic> {
    let fixture = Fixture::empty();
    let path = fixture.root().join("proeve.toml");
    std::fs::write(&path, text).unwrap();
    match load_municipality(&path) {
        Ok(_) => Vec::new(),
        Err(errors) => errors,
    }
}

/// The one error, with its message, line:column and hint as the editor reads them.
fn one(errors: Vec<Diagnostic>) -> Diagnostic {
    assert_eq!(errors.len(), 1, "one error: {errors:#?}");
    let d = errors.into_iter().next().unwrap();
    let shown = d.to_string();
    for english in [
        "expected",
        "invalid",
        "parseren siger",
        "key ",
        "value",
        "string",
    ] {
        assert!(!shown.contains(english), "{english:?} in:\n{shown}");
    }
    d
}

fn at(d: &Diagnostic) -> (usize, usize) {
    (d.line.unwrap(), d.column.unwrap())
}

fn hint(d: &Diagnostic) -> &str {
    d.hint.as_deref().unwrap_or("")
}

/// A file whose `[guarantee]` text is a long one, so that a later text exists to be misread.
fn with_long_texts() -> String {
    valid().replace(
        "text = \"Du får tilbudt behandling inden for 14 dage.\"\n",
        "text = \"\"\"\nDu får tilbudt behandling.\n\n- Ring til os.\n\"\"\"\n\n[tasks]\ntext = \"\"\"\nVi hjælper dig, der har et misbrug.\nDu kan få samtaler, og du kan få råd.\n\"\"\"\n",
    )
}

#[test]
fn a_forgotten_closing_triple_quote_is_one_error_at_its_opening_line() {
    let text = with_long_texts().replacen("- Ring til os.\n\"\"\"\n", "- Ring til os.\n", 1);
    let d = one(errors_of(&text));
    assert_eq!(
        d.message,
        "Teksten, der begynder på linje 9, bliver ikke lukket med \"\"\""
    );
    assert_eq!(at(&d), (9, 8));
    assert_eq!(d.key.as_deref(), Some("guarantee.text"));
    assert!(
        hint(&d).starts_with("Sæt \"\"\" på en linje for sig efter tekstens sidste linje. Nu slutter teksten først ved \"\"\" på linje 15"),
        "{d}"
    );
}

#[test]
fn a_triple_quote_left_open_at_the_end_of_the_file_is_named_at_its_opening() {
    let text = valid() + "\n[future]\ntext = \"\"\"\nVi vil gøre mere.\n";
    let d = one(errors_of(&text));
    assert_eq!(
        d.message,
        "Teksten, der begynder på linje 29, bliver ikke lukket med \"\"\""
    );
    assert_eq!(at(&d), (29, 8));
    assert!(
        hint(&d).ends_with("Nu fortsætter teksten til slutningen af filen"),
        "{d}"
    );
}

#[test]
fn a_long_text_begun_with_one_quote_is_one_error_at_its_opening() {
    let text = with_long_texts().replacen("[tasks]\ntext = \"\"\"", "[tasks]\ntext = \"", 1);
    let d = one(errors_of(&text));
    assert_eq!(
        d.message,
        "Teksten, der begynder med \" på linje 16, bliver ikke lukket"
    );
    assert_eq!(at(&d), (16, 8));
    assert!(
        hint(&d).starts_with(
            "Tekst over flere linjer skrives mellem \"\"\" og \"\"\": skriv text = \"\"\""
        ),
        "{d}"
    );
}

#[test]
fn a_short_text_missing_its_closing_quote_is_told_at_its_opening_quote() {
    let d = one(errors_with(
        "name = \"Rusmiddelcenter Prøve\"",
        "name = \"Rusmiddelcenter Prøve",
    ));
    assert_eq!(
        d.message,
        "Teksten mangler sit afsluttende anførselstegn \""
    );
    assert_eq!(at(&d), (13, 8));
    assert!(
        hint(&d).starts_with("Sæt \" efter teksten, på samme linje"),
        "{d}"
    );
}

#[test]
fn a_no_break_space_is_named_and_shown() {
    let d = one(errors_with("days = 14", "days\u{a0}= 14"));
    assert_eq!(
        d.message,
        "Linjen har et hårdt mellemrum «⍽», som ligner et almindeligt mellemrum, men ikke er det"
    );
    assert_eq!(at(&d), (8, 5));
    assert_eq!(d.source_line.as_deref(), Some("days⍽= 14"));
    assert!(hint(&d).starts_with("Slet tegnet ved ⍽"), "{d}");
    assert!(d.to_string().contains("8 | days⍽= 14"), "{d}");
}

#[test]
fn curly_quotes_from_a_word_processor_are_named() {
    for (open, close) in [('“', '”'), ('„', '“'), ('’', '’')] {
        let d = one(errors_with(
            "phone = \"12 34 56 78\"",
            &format!("phone = {open}12 34 56 78{close}"),
        ));
        assert!(d.message.starts_with(&format!("«{open}» er e")), "{d}");
        assert!(d.message.contains("typografisk"), "{d}");
        assert_eq!(at(&d), (14, 9));
        assert_eq!(d.expected.as_deref(), Some("lige anførselstegn: \"…\""));
        assert!(
            hint(&d).starts_with("Skriv teksten mellem lige anførselstegn, fx phone = \"…\""),
            "{d}"
        );
    }
    // A straight opening quote closed by a curly one: the curly one is named.
    let d = one(errors_with(
        "phone = \"12 34 56 78\"",
        "phone = \"12 34 56 78”",
    ));
    assert_eq!(
        d.message,
        "«”» er et typografisk anførselstegn, som filen ikke kan bruge om en tekst"
    );
    assert_eq!(at(&d), (14, 21));
}

#[test]
fn a_tab_inside_a_key_is_named_and_shown() {
    let d = one(errors_with("days = 14", "da\tys = 14"));
    assert_eq!(
        d.message,
        "Nøglen «da⇥ys» har et tabulatortegn «⇥» inde i navnet"
    );
    assert_eq!(at(&d), (8, 3));
    assert!(hint(&d).contains("Mente du «days»?"), "{d}");
}

#[test]
fn a_space_or_tab_between_words_of_a_key_suggests_the_key_with_one_underscore() {
    for written in ["deadline weeks", "deadline\t_weeks", "deadline _ weeks"] {
        let d = one(errors_with(
            "days = 14",
            &format!("days = 14\n{written} = 4"),
        ));
        assert!(
            hint(&d).contains("Mente du «deadline_weeks»?"),
            "{written:?}: {d}"
        );
    }
}

#[test]
fn a_key_below_the_wrong_heading_is_told_where_it_belongs() {
    let d = one(errors_with(
        "[approval]",
        "[approval]\nphone = \"65 31 31 31\"",
    ));
    assert_eq!(d.message, "Ukendt nøgle «phone»");
    assert!(
        hint(&d).starts_with(
            "«phone» hører til under [[complaints.routes]], [[other_help]], [[help_now]] eller [[units]]."
        ),
        "{d}"
    );
}

#[test]
fn a_danish_date_is_told_as_a_date_and_not_split_at_its_full_stop() {
    let d = one(errors_with(
        "approved_on = 2024-12-17",
        "approved_on = \"17. december 2024\"",
    ));
    assert_eq!(
        d.message,
        "Datoen «17. december 2024» skal skrives som ÅÅÅÅ-MM-DD"
    );
    assert_eq!(at(&d), (25, 15));
    assert_eq!(hint(&d), "Skriv approved_on = 2024-12-17");
    let d = one(errors_with(
        "approved_on = 2024-12-17",
        "approved_on = 17.12.2024",
    ));
    assert_eq!(
        d.message,
        "«17.12.2024» er ikke en dato, som filen kan læse"
    );
    assert_eq!(at(&d), (25, 20));
    assert_eq!(hint(&d), "Skriv approved_on = 2024-12-17");
}

#[test]
fn a_table_written_twice_is_named_with_its_first_line() {
    let d = one(errors_with(
        "[approval]",
        "[guarantee]\ntext = \"Igen.\"\n\n[approval]",
    ));
    assert_eq!(d.message, "Overskriften [guarantee] står to gange i filen");
    assert_eq!(at(&d), (23, 2));
    assert!(hint(&d).contains("Den første står på linje 7."), "{d}");
}

#[test]
fn a_key_written_twice_is_named_with_its_first_line() {
    let d = one(errors_with("days = 14", "days = 14\ndays = 15"));
    assert_eq!(
        d.message,
        "Nøglen «days» står to gange under samme overskrift"
    );
    assert_eq!(at(&d), (9, 1));
    assert_eq!(d.key.as_deref(), Some("guarantee.days"));
    assert_eq!(hint(&d), "Slet den ene. Den første står på linje 8.");
}

#[test]
fn hours_written_as_one_text_are_told_to_be_one_key_per_weekday() {
    let d = one(errors_with(
        "phone = \"12 34 56 78\"",
        "phone = \"12 34 56 78\"\nhours = \"man-fre 8-15\"",
    ));
    assert_eq!(at(&d), (15, 9));
    assert_eq!(d.key.as_deref(), Some("units[0].hours"));
    assert!(!hint(&d).contains("drugs"), "{d}");
    assert!(
        hint(&d).starts_with("Skriv åbningstiderne under en linje med [[units.hours]], én ugedag pr. linje: monday = "),
        "{d}"
    );
}

#[test]
fn a_weekday_given_several_days_is_told_each_weekday_is_its_own_key() {
    let d = one(errors_with(
        "phone = \"12 34 56 78\"",
        "phone = \"12 34 56 78\"\n\n[[units.hours]]\nlabel = \"Åbningstid\"\nmonday = \"man-fre 8-15\"",
    ));
    assert_eq!(
        d.message,
        "«man-fre 8-15» nævner ugedage, men hver ugedag er sin egen nøgle"
    );
    assert_eq!(at(&d), (18, 10));
    assert!(
        hint(&d).starts_with("Hver ugedag har sin egen linje: monday = "),
        "{d}"
    );
}

#[test]
fn yes_written_in_danish_is_told_to_be_true_or_false() {
    let d = one(errors_with(
        "unit = \"center\"",
        "unit = \"center\"\nanonymous = ja",
    ));
    assert_eq!(
        d.message,
        "«ja» kan ikke bruges her: anonymous er ja eller nej, skrevet true eller false"
    );
    assert_eq!(at(&d), (22, 13));
    assert_eq!(
        hint(&d),
        "Skriv anonymous = true for ja eller anonymous = false for nej, uden anførselstegn"
    );
    assert!(
        !hint(&d).contains("anførselstegn, og"),
        "no advice to add quotes: {d}"
    );
}

#[test]
fn a_decimal_comma_is_told_to_be_a_point() {
    let text = valid().replace(
        "[approval]",
        "[monitoring]\ntext = \"Vi måler.\"\n\n[[monitoring.targets]]\nkind = \"drug_free\"\npercent = 35,5\ncomparison = \"at_least\"\ntext = \"Mange.\"\n\n[approval]",
    );
    let d = one(errors_of(&text));
    assert_eq!(
        d.message,
        "Decimaler skrives efter et punktum, ikke et komma"
    );
    assert_eq!(at(&d), (28, 13));
    assert!(hint(&d).starts_with("Skriv percent = 35.5"), "{d}");
}

#[test]
fn a_missing_equals_sign_is_named() {
    let d = one(errors_with("days = 14", "days 14"));
    assert_eq!(
        d.message,
        "Der mangler et = mellem nøglen «days» og værdien"
    );
    assert_eq!(at(&d), (8, 6));
    assert_eq!(hint(&d), "Skriv days = 14");
}

#[test]
fn a_line_of_prose_outside_a_text_is_told_as_such() {
    let d = one(errors_with("days = 14", "days = 14\nDu får hjælp hurtigt"));
    assert_eq!(d.message, "Linjen er tekst, men står ikke i en tekst");
    assert_eq!(at(&d), (9, 1));
    assert!(hint(&d).contains("text = \"\"\""), "{d}");
}

#[test]
fn a_phone_hint_shows_no_real_looking_number() {
    let d = one(errors_with("phone = \"12 34 56 78\"", "phone = \"ring\""));
    assert_eq!(at(&d), (14, 9));
    assert_eq!(
        hint(&d),
        "Skriv nummeret i anførselstegn, fx phone = \"12 34 56 78\""
    );
}

#[test]
fn a_decimal_comma_in_a_whole_number_is_told_the_number_is_whole() {
    let d = one(errors_with("days = 14", "days = 14,5"));
    assert_eq!(
        d.message,
        "Der står et komma efter tallet, men «days» er et helt tal"
    );
    assert_eq!(at(&d), (8, 10));
    assert_eq!(
        hint(&d),
        "Skriv kun tallet, uden enhed og anførselstegn: days = 14"
    );
}

#[test]
fn a_lone_backslash_in_a_long_text_is_named_and_the_text_not_called_open() {
    let text = with_long_texts().replacen("- Ring til os.", "C:\\ Ring til os.", 1);
    let d = one(errors_of(&text));
    assert!(
        d.message.starts_with("En omvendt skråstreg \\ i en tekst"),
        "{d}"
    );
    assert_eq!(d.line, Some(12));
    assert_eq!(
        hint(&d),
        "Skriv \\\\ i stedet for \\, eller brug / i stedet"
    );
}

#[test]
fn a_number_for_a_fixed_word_is_told_in_danish() {
    let d = one(errors_with("kind = \"outpatient\"", "kind = 3"));
    assert_eq!(d.message, "«3» kan ikke bruges her");
    assert_eq!(at(&d), (18, 8));
    assert_eq!(
        d.expected.as_deref(),
        Some("et af de faste ord i anførselstegn")
    );
}

#[test]
fn a_forgotten_opening_triple_quote_is_one_error_at_its_key() {
    let text = with_long_texts().replacen("[tasks]\ntext = \"\"\"", "[tasks]\ntext =", 1);
    let d = one(errors_of(&text));
    assert_eq!(
        d.message,
        "Teksten efter «text =» på linje 16 mangler sine første \"\"\""
    );
    assert_eq!(at(&d), (16, 6));
    assert_eq!(d.key.as_deref(), Some("tasks.text"));
    assert_eq!(
        hint(&d),
        "Skriv \"\"\" efter = på linje 16. Tekstens afsluttende \"\"\" står på linje 19"
    );
}
