//! Hostile or careless content stops with a located Danish error before anything is written:
//! no page outside the output, no page silently replacing another, no live `javascript:` link,
//! no value the site would show as nonsense.
//!
//! Each test copies the bundled `content/` into a folder of its own, breaks one thing, and
//! loads or builds it through the library, as `kvalitet check`, `build` and `serve` do.

use kvalitet::build::build;
use kvalitet::diagnostic::Diagnostic;
use kvalitet::incremental::{SiteState, Update};
use kvalitet::pipeline::load_content;

use crate::fixture::Fixture;

/// What broken content gives: its errors, where a clean load or build would be a failure.
trait Broken {
    fn load_errors(&self) -> Vec<Diagnostic>;
    fn build_errors(&self) -> Vec<Diagnostic>;
    fn copy(&self, from: &str, to: &str);
}

impl Broken for Fixture {
    fn load_errors(&self) -> Vec<Diagnostic> {
        match load_content(&self.content()) {
            Ok(_) => panic!("the broken content loaded"),
            Err(errors) => errors,
        }
    }

    fn build_errors(&self) -> Vec<Diagnostic> {
        match self.try_build() {
            Ok(()) => panic!("the broken content built"),
            Err(errors) => errors,
        }
    }

    fn copy(&self, from: &str, to: &str) {
        std::fs::copy(self.file(from), self.file(to)).unwrap();
    }
}

fn show(errors: &[Diagnostic]) -> String {
    errors.iter().map(|d| format!("{d}\n")).collect()
}

/// The error in `file` at `line`, with a Danish message and a hint.
fn error_at<'a>(errors: &'a [Diagnostic], file: &str, line: usize) -> &'a Diagnostic {
    let found = errors.iter().find(|d| {
        d.is_error() && d.file.file_name().is_some_and(|n| n == file) && d.line == Some(line)
    });
    let d = found.unwrap_or_else(|| panic!("no error at {file}:{line} in:\n{}", show(errors)));
    assert!(d.hint.is_some(), "an error tells how to fix it:\n{d}");
    d
}

fn assert_mentions(d: &Diagnostic, words: &[&str]) {
    let all = format!("{} {:?} {:?}", d.message, d.expected, d.hint);
    for word in words {
        assert!(all.contains(word), "{word:?} is not mentioned in:\n{d}");
    }
}

// --- 1. Page paths are derived and checked before anything is written ---

#[test]
fn a_served_name_without_letters_stops_the_build_and_keeps_the_last_site() {
    let s = Fixture::bundled();
    s.try_build().unwrap();
    let root = s.page("index.html");
    let front = s.page("holstebro/index.html");
    for bad in ["\"!!!\"", "\"\"", "\"  \"", "\"123\""] {
        let line = s.set_line(
            "holstebro.toml",
            "serves =",
            &format!("serves = [\"Lemvig\", {bad}]"),
        );
        let errors = s.build_errors();
        let d = error_at(&errors, "holstebro.toml", line);
        assert_eq!(d.key.as_deref(), Some("serves[1]"), "{d}");
        assert_mentions(d, &["sideadresse"]);
        assert_eq!(s.page("index.html"), root, "the last site stays");
        assert_eq!(s.page("holstebro/index.html"), front);
        // `kvalitet check` loads the same way and says the same.
        let checked = s.load_errors();
        error_at(&checked, "holstebro.toml", line);
    }
}

#[test]
fn an_entry_of_a_serves_list_over_several_lines_is_reported_at_its_own_line() {
    let s = Fixture::bundled();
    let line = s.set_line(
        "holstebro.toml",
        "serves =",
        "serves = [\n  \"Lemvig\",\n  \"Struer\",\n  \"?\",\n  \"struer\",\n]",
    );
    let errors = s.load_errors();
    assert_eq!(
        error_at(&errors, "holstebro.toml", line + 3).key.as_deref(),
        Some("serves[2]")
    );
    let d = error_at(&errors, "holstebro.toml", line + 4);
    assert_mentions(d, &[&format!("linje {}", line + 2)]);
}

// --- 2. No page silently replaces another ---

#[test]
fn serving_a_municipality_with_its_own_file_is_an_error_at_the_serves_entry() {
    let s = Fixture::bundled();
    s.try_build().unwrap();
    let fredericia = s.page("fredericia/index.html");
    let line = s.set_line(
        "holstebro.toml",
        "serves =",
        "serves = [\"Lemvig\", \"Struer\", \"Fredericia\"]",
    );
    let errors = s.build_errors();
    let d = error_at(&errors, "holstebro.toml", line);
    assert_eq!(d.key.as_deref(), Some("serves[2]"));
    assert_mentions(d, &["fredericia.toml"]);
    assert_eq!(s.page("fredericia/index.html"), fredericia);
    error_at(&s.load_errors(), "holstebro.toml", line);
}

#[test]
fn a_municipality_file_for_a_served_place_is_an_error_at_the_serves_entry() {
    let s = Fixture::bundled();
    s.copy("holbaek.toml", "lemvig.toml");
    let errors = s.load_errors();
    let d = error_at(&errors, "holstebro.toml", 13);
    assert_eq!(d.key.as_deref(), Some("serves[0]"));
    assert_mentions(d, &["lemvig.toml"]);
}

#[test]
fn serving_a_site_wide_page_is_an_error() {
    for name in ["Ordliste", "Tjek", "Was", "ordliste"] {
        let s = Fixture::bundled();
        let line = s.set_line(
            "holstebro.toml",
            "serves =",
            &format!("serves = [\"Lemvig\", \"{name}\"]"),
        );
        let errors = s.load_errors();
        let d = error_at(&errors, "holstebro.toml", line);
        assert_eq!(d.key.as_deref(), Some("serves[1]"), "{name}");
    }
}

#[test]
fn serving_oneself_or_the_same_place_twice_is_an_error() {
    let s = Fixture::bundled();
    let line = s.set_line("holstebro.toml", "serves =", "serves = [\"Holstebro\"]");
    let d = error_at(&s.load_errors(), "holstebro.toml", line).clone();
    assert_eq!(d.key.as_deref(), Some("serves[0]"));

    let line = s.set_line(
        "holstebro.toml",
        "serves =",
        "serves = [\"Lemvig\", \"Struer\", \"lemvig\"]",
    );
    let errors = s.load_errors();
    let d = error_at(&errors, "holstebro.toml", line);
    assert_eq!(d.key.as_deref(), Some("serves[2]"));
    assert_mentions(d, &["Lemvig"]);
}

#[test]
fn two_municipalities_serving_the_same_place_is_an_error_naming_both() {
    let s = Fixture::bundled();
    let line = s.insert_after("slagelse.toml", "title =", "serves = [\"Lemvig\"]");
    let errors = s.load_errors();
    let d = error_at(&errors, "slagelse.toml", line);
    assert_eq!(d.key.as_deref(), Some("serves[0]"));
    assert_mentions(d, &["holstebro.toml", "linje 13"]);
    s.build_errors();
}

#[test]
fn a_municipality_file_named_like_a_site_wide_page_is_an_error() {
    for name in ["ordliste", "tjek", "was"] {
        let s = Fixture::bundled();
        s.copy("holbaek.toml", &format!("{name}.toml"));
        let errors = s.load_errors();
        error_at(&errors, &format!("{name}.toml"), 1);
        s.build_errors();
    }
}

#[test]
fn a_file_name_that_is_no_page_address_is_an_error_with_the_right_name() {
    for (name, right) in [("Holbæk.toml", "holbaek.toml"), ("a b.toml", "a-b.toml")] {
        let s = Fixture::bundled();
        std::fs::rename(s.file("holbaek.toml"), s.file(name)).unwrap();
        let errors = s.load_errors();
        let d = error_at(&errors, name, 1);
        assert_mentions(d, &[right]);
    }
}

#[test]
fn the_preview_refuses_a_save_that_makes_two_pages_share_an_address() {
    let s = Fixture::bundled();
    let mut state = SiteState::build(&s.options()).unwrap();
    let page = |state: &SiteState, path: &str| {
        state
            .pages()
            .filter(|p| p.path == path)
            .map(|p| p.html.clone())
            .collect::<Vec<_>>()
    };
    let before = page(&state, "fredericia/index.html");
    assert_eq!(before.len(), 1);
    let line = s.set_line(
        "holstebro.toml",
        "serves =",
        "serves = [\"Lemvig\", \"Fredericia\"]",
    );
    match state.update(&[s.file("holstebro.toml")]) {
        Update::Failed(errors) => {
            let d = error_at(&errors, "holstebro.toml", line);
            assert_mentions(d, &["fredericia.toml"]);
        }
        other => panic!("the save was taken: {other:?}"),
    }
    assert_eq!(page(&state, "fredericia/index.html"), before);
}

// --- 3. Structured URL fields never become script links ---

#[test]
fn script_and_data_addresses_in_url_fields_are_errors_at_their_line() {
    let cases = [
        (
            "holbaek.toml",
            "website =",
            "website = \"javascript:alert(1)\"",
            "website",
            "javascript",
        ),
        (
            "fredericia.toml",
            "link = \"http://www.socialtilsynsyd.dk/\"",
            "link = \"data:text/html,<script>alert(1)</script>\"",
            "complaints.routes[",
            "data",
        ),
        (
            "fredericia.toml",
            "url = \"https://danskelove.dk/serviceloven/101\"",
            "url = \"JavaScript:alert(1)\"",
            "law[",
            "javascript",
        ),
    ];
    for (file, prefix, line, key, scheme) in cases {
        let s = Fixture::bundled();
        let at = s.set_line(file, prefix, line);
        let errors = s.load_errors();
        let d = error_at(&errors, file, at);
        assert!(d.key.as_deref().unwrap_or("").starts_with(key), "{d}");
        assert_mentions(d, &[scheme, "https://"]);
    }
    // A unit's website: the second `website` line in Holbæk's file.
    let s = Fixture::bundled();
    let path = s.file("holbaek.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let first = text.find("website =").unwrap();
    let second = first + 1 + text[first + 1..].find("website =").unwrap();
    let line = text[..second].matches('\n').count() + 1;
    let text = format!(
        "{}website = \"vbscript:msgbox(1)\"{}",
        &text[..second],
        &text[second + text[second..].find('\n').unwrap()..]
    );
    std::fs::write(&path, text).unwrap();
    let errors = s.load_errors();
    let d = error_at(&errors, "holbaek.toml", line);
    assert!(d.key.as_deref().unwrap_or("").starts_with("units["), "{d}");
    assert_mentions(d, &["vbscript"]);
}

#[test]
fn script_addresses_in_site_toml_are_errors_and_nothing_is_built() {
    for (key, value) in [
        ("accessibility_statement", "javascript:alert(1)"),
        ("base_url", "javascript:alert(1)"),
        ("accessibility_statement", "data:text/html,x"),
    ] {
        let s = Fixture::bundled();
        let line = s.insert_after("site.toml", "language =", &format!("{key} = \"{value}\""));
        let errors = s.build_errors();
        let d = error_at(&errors, "site.toml", line);
        assert_eq!(d.key.as_deref(), Some(key));
        assert_mentions(d, &[value.split(':').next().unwrap(), "https://"]);
        assert!(!s.output().exists(), "nothing is written");
    }
}

// --- 4. Values, not only types ---

#[test]
fn empty_required_text_is_an_error_at_its_line() {
    let cases = [
        // Optional text left empty is a warning (tests/it/scaffold.rs); these are required.
        ("name =", "name = \"\"", "name"),
        (
            "address = { street = \"Birkevænget 4\"",
            "address = { street = \" \", postcode = \"4300\", city = \"Holbæk\" }",
            "units[0].address.street",
        ),
        (
            "address = { street = \"Kasernevej 6\"",
            "address = { street = \"Kasernevej 6\", city = \"\" }",
            "units[1].address.city",
        ),
        (
            "name = \"Rusmiddelcenter Holbæk, Birkevænget\"",
            "name = \"\"",
            "units[0].name",
        ),
        (
            "title = \"Råd og vejledning\"",
            "title = \"\"",
            "offers[0].title",
        ),
    ];
    for (prefix, line, key) in cases {
        let s = Fixture::bundled();
        let at = s.set_line("holbaek.toml", prefix, line);
        let errors = s.load_errors();
        let d = error_at(&errors, "holbaek.toml", at);
        assert_eq!(d.key.as_deref(), Some(key), "{d}");
        assert_mentions(d, &["tom"]);
    }
    let s = Fixture::bundled();
    let at = s.set_line("site.toml", "title =", "title = \"\"");
    error_at(&s.load_errors(), "site.toml", at);
}

#[test]
fn a_target_group_whose_ages_are_reversed_is_an_error() {
    let s = Fixture::bundled();
    s.insert_after("holbaek.toml", "age_min = 13", "age_max = 10");
    let errors = s.load_errors();
    let d = error_at(&errors, "holbaek.toml", 45);
    assert_eq!(d.key.as_deref(), Some("target_group.age_min"));
}

#[test]
fn a_lix_limit_that_is_no_number_is_an_error() {
    for value in ["nan", "inf", "-inf", "-5"] {
        let s = Fixture::bundled();
        let at = s.set_line(
            "site.toml",
            "lix_warning",
            &format!("lix_warning = {value}"),
        );
        let errors = s.load_errors();
        let d = error_at(&errors, "site.toml", at);
        assert_eq!(d.key.as_deref(), Some("lix_warning"), "{value}");
    }
}

#[test]
fn a_too_large_whole_number_is_called_too_large() {
    let s = Fixture::bundled();
    let at = s.set_line("holbaek.toml", "days =", "days = 99999999999999999999");
    let errors = s.load_errors();
    let d = error_at(&errors, "holbaek.toml", at);
    assert_mentions(d, &["for stort"]);
    assert!(
        !d.message.contains("ikke et helt tal"),
        "it is a whole number: {d}"
    );
    let s = Fixture::bundled();
    let at = s.set_line("holbaek.toml", "days =", "days = 5000000000");
    let d = error_at(&s.load_errors(), "holbaek.toml", at).clone();
    assert_mentions(&d, &["for stort", "4294967295"]);
}

#[test]
fn a_theme_is_a_name_not_a_path() {
    for theme in ["../../../x", "/abs", "default/../default", ""] {
        let s = Fixture::bundled();
        let at = s.set_line("site.toml", "theme =", &format!("theme = \"{theme}\""));
        let errors = s.build_errors();
        let d = error_at(&errors, "site.toml", at);
        assert_eq!(d.key.as_deref(), Some("theme"), "{theme}");
        assert!(!s.output().exists(), "nothing is written");
    }
}

#[test]
fn a_theme_named_on_the_command_line_is_a_name_not_a_path() {
    let s = Fixture::bundled();
    let mut options = s.options();
    options.theme = Some("../themes/default".to_string());
    let errors = build(&options, &s.output()).expect_err("a path is no theme");
    assert!(
        errors[0].message.contains("../themes/default"),
        "{}",
        show(&errors)
    );
    assert!(!s.output().exists(), "nothing is written");
}

#[test]
fn kvalitet_new_writes_valid_toml_for_any_printable_name() {
    let s = Fixture::bundled();
    let dir = s.root().join("fresh");
    for name in ["Quote\"Town", "Back\\slash", "Æblø \"Nord\" \\ Syd"] {
        let path = kvalitet::scaffold::write_new(&dir, name).unwrap();
        let m = kvalitet::load::load_municipality(&path)
            .unwrap_or_else(|e| panic!("{name}: {}", show(&e)));
        assert_eq!(m.data.short_name, name);
        assert_eq!(m.data.name, format!("{name} Kommune"));
    }
    for name in ["Ny\nlinje", "Tab\u{7}klokke", "Retur\r"] {
        let err = kvalitet::scaffold::write_new(&dir, name).unwrap_err();
        assert!(err.contains("én linje"), "{err}");
    }
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        3,
        "no file for a refused name"
    );
}
