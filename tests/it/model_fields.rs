//! What real standards say, held by the model: the citizen's own responsibilities, offer
//! groups, who decides on an offer, partners, the date a text was updated, target sub-groups
//! with their ages and several labelled phone numbers per unit. Each field shows on its page
//! when it is there, nothing shows when it is not, and a bad value is a Danish error at its
//! line.

use kvalitet::diagnostic::Diagnostic;

use crate::check::{errors, line_of, of, run, run_with};
use crate::fixture::Fixture;

const SITE: &str = "title = \"Kvalitetsstandarder\"\n";

/// A small standard without any of the fields below.
const BASE: &str = r#"name = "Lilleby Kommune"
short_name = "Lilleby"
organisation = "Rusmiddelcentret"
title = "Kvalitetsstandard"

[target_group]
text = "Tilbuddene er for voksne."

[[units]]
id = "centret"
name = "Centret"
phone = "12 34 56 78"

[[offers]]
id = "samtaler"
kind = "outpatient"
title = "Samtaler"
description = "Du taler med en behandler."

[[offers]]
id = "raad"
kind = "advice"
title = "Råd og vejledning"
description = "Du får råd."

[approval]
approved_by = "Byrådet"
"#;

/// Builds `BASE` with `edit` applied; returns the fixture to read pages from.
fn built(edit: impl FnOnce(&str) -> String) -> Fixture {
    let f = Fixture::bundled();
    for entry in std::fs::read_dir(f.content()).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    f.write("site.toml", SITE);
    f.write("lilleby.toml", edit(BASE));
    f.build();
    f
}

/// The errors a build of `BASE` with `edit` applied gives.
fn refused(edit: impl FnOnce(&str) -> String) -> (String, Vec<Diagnostic>) {
    let f = Fixture::bundled();
    for entry in std::fs::read_dir(f.content()).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    f.write("site.toml", SITE);
    let text = edit(BASE);
    f.write("lilleby.toml", &text);
    let errors = f.try_build().expect_err("the build refuses the file");
    (text, errors)
}

/// Builds `text` as the only municipality; returns the fixture and the build's warnings.
fn built_with_warnings(text: &str) -> (Fixture, Vec<Diagnostic>) {
    let f = Fixture::bundled();
    for entry in std::fs::read_dir(f.content()).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    f.write("site.toml", SITE);
    f.write("lilleby.toml", text);
    let report = kvalitet::build::build(&f.options(), &f.output()).expect("the file builds");
    (f, report.warnings)
}

/// A warning at `needle`'s line that says `words`.
fn assert_warning_at(text: &str, warnings: &[Diagnostic], needle: &str, words: &str) {
    let line = line_of(text, needle);
    assert!(
        warnings
            .iter()
            .any(|d| !d.is_error() && d.line == Some(line) && d.message.contains(words)),
        "a warning «{words}» at line {line}: {warnings:#?}"
    );
}

/// The one error at `needle`'s line, in Danish.
fn assert_error_at(text: &str, errors: &[Diagnostic], needle: &str, words: &str) {
    let line = line_of(text, needle);
    let found: Vec<&Diagnostic> = errors
        .iter()
        .filter(|d| d.is_error() && d.line == Some(line))
        .collect();
    assert_eq!(found.len(), 1, "one error at line {line}: {errors:#?}");
    let said = format!(
        "{} {} {}",
        found[0].message,
        found[0].expected.as_deref().unwrap_or(""),
        found[0].hint.as_deref().unwrap_or("")
    );
    assert!(said.contains(words), "«{words}» in: {said}");
}

fn with(text: &str, after: &str, added: &str) -> String {
    assert!(text.contains(after), "{after:?} is not in the text");
    text.replacen(after, &format!("{after}{added}"), 1)
}

// --- The citizen's own responsibilities ---

#[test]
fn responsibilities_have_their_own_page() {
    let f = built(|b| {
        format!("{b}\n[responsibilities]\ntext = \"Du kommer til de aftaler, du har lavet.\"\n")
    });
    let page = f.page("lilleby/dit-ansvar/index.html");
    assert!(page.contains("<h1>Hvad er dit ansvar?</h1>"), "{page}");
    assert!(page.contains("Du kommer til de aftaler, du har lavet."));
    assert!(f.page("lilleby/index.html").contains("Hvad er dit ansvar?"));
    assert!(
        f.page("lilleby/hele-standarden/index.html")
            .contains("Du kommer til de aftaler")
    );
}

#[test]
fn without_responsibilities_there_is_no_such_page() {
    let f = built(str::to_string);
    assert!(!f.output().join("lilleby/dit-ansvar").exists());
    assert!(!f.page("lilleby/index.html").contains("Hvad er dit ansvar?"));
}

#[test]
fn responsibilities_must_be_a_table_with_text() {
    let (text, errors) = refused(|b| format!("{b}\n[responsibilities]\ntext = 4\n"));
    assert_error_at(&text, &errors, "text = 4", "tekst");
}

#[test]
fn responsibilities_are_measured_for_readability_on_their_page() {
    let text = format!(
        "{BASE}\n[responsibilities]\ntext = \"Du skal komme til dine aftaler. Sig til, hvis du flytter. Du skal selv tage del i behandlingen.\"\n"
    );
    let report = run(&text);
    let lix = &report.municipalities[0].lix;
    let section = lix
        .iter()
        .find(|s| s.section == "responsibilities")
        .expect("a LIX row for the page");
    assert_eq!(section.title, "Hvad er dit ansvar?");
    assert!(section.words > 0, "{section:?}");
}

// --- Offer groups ---

#[test]
fn offers_are_listed_under_their_groups() {
    let f = built(|b| {
        let b = with(b, "title = \"Samtaler\"\n", "group = \"Behandling\"\n");
        with(
            &b,
            "title = \"Råd og vejledning\"\n",
            "group = \"Rådgivning\"\n",
        )
    });
    let page = f.page("lilleby/tilbud/index.html");
    let behandling = page.find(">Behandling</th>").expect(&page);
    let raad = page.find(">Rådgivning</th>").expect(&page);
    let samtaler = page.find(">Samtaler</a>").unwrap();
    let vejledning = page.find(">Råd og vejledning</a>").unwrap();
    assert!(behandling < samtaler && samtaler < raad && raad < vejledning);
}

#[test]
fn offers_without_a_group_come_after_the_groups() {
    let f = built(|b| {
        with(
            b,
            "title = \"Råd og vejledning\"\n",
            "group = \"Rådgivning\"\n",
        )
    });
    let page = f.page("lilleby/tilbud/index.html");
    let raad = page.find(">Rådgivning</th>").expect(&page);
    let others = page.find(">Andre tilbud</th>").expect(&page);
    let samtaler = page.find(">Samtaler</a>").unwrap();
    assert!(raad < others && others < samtaler);
}

#[test]
fn without_groups_the_offers_are_one_list() {
    let f = built(str::to_string);
    let page = f.page("lilleby/tilbud/index.html");
    assert!(!page.contains("Andre tilbud"), "{page}");
    assert!(page.contains(">Samtaler</a>"));
}

#[test]
fn an_empty_group_counts_as_left_out_with_a_warning_at_its_line() {
    let text = with(BASE, "title = \"Samtaler\"\n", "group = \" \"\n");
    let (f, warnings) = built_with_warnings(&text);
    assert_warning_at(&text, &warnings, "group = \" \"", "«group» er tomt");
    let list = f.page("lilleby/tilbud/index.html");
    assert!(
        !list.contains("<h2> </h2>") && !list.contains("<h2></h2>"),
        "{list}"
    );
}

#[test]
fn one_group_spelled_two_ways_is_an_error_at_the_second() {
    let (text, errors) = refused(|b| {
        let b = with(b, "title = \"Samtaler\"\n", "group = \"Rådgivning\"\n");
        with(
            &b,
            "title = \"Råd og vejledning\"\n",
            "group = \"rådgivning \"\n",
        )
    });
    assert_error_at(&text, &errors, "group = \"rådgivning \"", "«Rådgivning»");
}

// --- Who decides on an offer ---

#[test]
fn the_offer_page_says_who_decides() {
    let f = built(|b| {
        with(
            b,
            "title = \"Samtaler\"\n",
            "decided_by = \"Socialafdelingen\"\n",
        )
    });
    let page = f.page("lilleby/tilbud/samtaler/index.html");
    let heading = page.find("<h2>Hvem bestemmer?</h2>").expect(&page);
    assert!(page[heading..].contains("Socialafdelingen"));
    let other = f.page("lilleby/tilbud/raad/index.html");
    assert!(!other.contains("Hvem bestemmer?"), "{other}");
}

#[test]
fn an_empty_decided_by_counts_as_left_out_with_a_warning_at_its_line() {
    let text = with(BASE, "title = \"Samtaler\"\n", "decided_by = \"\"\n");
    let (f, warnings) = built_with_warnings(&text);
    assert_warning_at(
        &text,
        &warnings,
        "decided_by = \"\"",
        "«decided_by» er tomt",
    );
    let page = f.page("lilleby/tilbud/samtaler/index.html");
    assert!(!page.contains("Hvem bestemmer?"), "{page}");
}

// --- Partners ---

const PARTNERS: &str = r#"
[[partners]]
name = "Jobcentret"
text = "Vi hjælper dig sammen med at finde arbejde."

[[partners]]
name = "Lægerne i Lilleby"
url = "https://laeger.example.dk"
"#;

#[test]
fn partners_are_listed_on_the_contact_page() {
    let f = built(|b| format!("{b}{PARTNERS}"));
    let page = f.page("lilleby/kontakt/index.html");
    let heading = page.find("Hvem arbejder vi sammen med?</h2>").expect(&page);
    let list = &page[heading..];
    assert!(list.contains("<li>"), "{list}");
    assert!(list.contains("Jobcentret"));
    assert!(list.contains("Vi hjælper dig sammen med at finde arbejde."));
    assert!(list.contains("<a href=\"https://laeger.example.dk\">Lægerne i Lilleby</a>"));
}

#[test]
fn without_partners_the_contact_page_names_none() {
    let f = built(str::to_string);
    let page = f.page("lilleby/kontakt/index.html");
    assert!(!page.contains("Hvem arbejder vi sammen med?"), "{page}");
}

#[test]
fn a_partner_link_that_is_a_script_is_an_error_at_its_line() {
    let (text, errors) = refused(|b| {
        format!("{b}\n[[partners]]\nname = \"Jobcentret\"\nurl = \"javascript:alert(1)\"\n")
    });
    assert_error_at(&text, &errors, "javascript:", "https://");
    let (text, errors) = refused(|b| format!("{b}\n[[partners]]\nname = \"\"\n"));
    assert_error_at(&text, &errors, "name = \"\"", "name");
}

// --- The date the text was updated ---

#[test]
fn the_update_date_is_shown_beside_approval_and_not_as_approval() {
    let f = built(|b| with(b, "[approval]\n", "updated = 2025-03-04\n"));
    let page = f.page("lilleby/om-standarden/index.html");
    assert!(
        page.contains("<dt>Opdateret</dt><dd><time datetime=\"2025-03-04\">04.03.2025</time>"),
        "{page}"
    );
    assert!(!page.contains("Godkendt den"), "{page}");
    let front = f.page("lilleby/index.html");
    assert!(!front.contains("er godkendt"), "{front}");
    assert!(front.contains("hvornår den sidst er opdateret"), "{front}");
}

#[test]
fn without_an_update_date_none_is_shown() {
    let f = built(str::to_string);
    assert!(
        !f.page("lilleby/om-standarden/index.html")
            .contains("Opdateret")
    );
}

#[test]
fn an_update_is_no_revision() {
    let text = with(
        BASE,
        "[approval]\n",
        "approved_on = 2020-01-10\nupdated = 2025-03-04\nnext_revision = \"2021-12\"\n",
    );
    let report = run(&text);
    let found = errors(&report, "§6.1");
    assert!(!found.is_empty(), "{found:#?}");
    assert!(
        found
            .iter()
            .any(|f| f.hint.as_deref().is_some_and(|h| h.contains("opdateret"))),
        "{found:#?}"
    );
}

#[test]
fn an_update_date_in_the_future_is_reported() {
    let text = with(BASE, "[approval]\n", "updated = 2026-03-04\n");
    let report = run_with(crate::check::SITE, &text, "2025-06-01");
    let found: Vec<_> = errors(&report, "§3.3")
        .into_iter()
        .filter(|f| f.message.contains("opdateret"))
        .collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].line, Some(line_of(&text, "updated =")));
}

#[test]
fn a_bad_update_date_is_an_error_at_its_line() {
    let (text, errors) = refused(|b| with(b, "[approval]\n", "updated = \"2025-13\"\n"));
    assert_error_at(&text, &errors, "updated =", "måned");
}

// --- Target sub-groups with their ages ---

const SUBGROUPS: &str = r#"
[[target_group.subgroups]]
name = "Unge"
age_max = 17

[[target_group.subgroups]]
name = "Unge voksne"
age_min = 18
age_max = 24
text = "Du kan få hjælp i ungeteamet."

[[target_group.subgroups]]
name = "Voksne"
age_min = 25
"#;

#[test]
fn sub_groups_are_listed_with_their_ages() {
    let f = built(|b| with(b, "text = \"Tilbuddene er for voksne.\"\n", SUBGROUPS));
    let page = f.page("lilleby/hvem-kan-faa-hjaelp/index.html");
    let list = &page[page.find("<ul class=\"subgroups\">").expect(&page)..];
    for item in [
        "<strong>Unge</strong>: op til 17 år",
        "<strong>Unge voksne</strong>: 18-24 år",
        "<strong>Voksne</strong>: fra 25 år",
        "Du kan få hjælp i ungeteamet.",
    ] {
        assert!(list.contains(item), "{item} in {list}");
    }
}

#[test]
fn without_sub_groups_no_list_is_shown() {
    let f = built(str::to_string);
    let page = f.page("lilleby/hvem-kan-faa-hjaelp/index.html");
    assert!(!page.contains("subgroups"), "{page}");
}

#[test]
fn a_sub_group_whose_ages_run_backwards_is_an_error_at_its_line() {
    let (text, errors) = refused(|b| {
        with(
            b,
            "text = \"Tilbuddene er for voksne.\"\n",
            "\n[[target_group.subgroups]]\nname = \"Unge\"\nage_min = 24\nage_max = 18\n",
        )
    });
    assert_error_at(&text, &errors, "age_min = 24", "age_min");
}

#[test]
fn a_sub_group_outside_the_target_group_ages_is_reported() {
    let text = with(
        BASE,
        "text = \"Tilbuddene er for voksne.\"\n",
        "age_min = 18\n\n[[target_group.subgroups]]\nname = \"Unge\"\nage_max = 17\n",
    );
    let report = run(&text);
    let found = of(&report, "§4.1.2");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].line, Some(line_of(&text, "age_max = 17")));
}

// --- Several labelled phone numbers per unit ---

const PHONES: &str = r#"
[[units.phones]]
label = "Akut hjælp"
number = "87 65 43 21"

[[units.phones]]
label = "Rådgivning for unge"
number = "+45 11 22 33 44"
"#;

#[test]
fn each_number_shows_with_its_purpose_as_a_link_to_call() {
    let f = built(|b| with(b, "phone = \"12 34 56 78\"\n", PHONES));
    for page in ["lilleby/kontakt/index.html", "lilleby/index.html"] {
        let page = f.page(page);
        for (label, href, shown) in [
            ("Akut hjælp", "tel:+4587654321", "87 65 43 21"),
            ("Rådgivning for unge", "tel:+4511223344", "11 22 33 44"),
        ] {
            let link = format!("{label}: <a class=\"tel\" href=\"{href}\">{shown}</a>");
            assert!(page.contains(&link), "{link} in {page}");
        }
    }
}

#[test]
fn without_labelled_numbers_only_the_main_number_shows() {
    let f = built(str::to_string);
    let page = f.page("lilleby/kontakt/index.html");
    let main = page.matches("href=\"tel:+4512345678\"").count();
    assert!(main > 0, "{page}");
    assert_eq!(page.matches("href=\"tel:").count(), main, "{page}");
}

#[test]
fn a_unit_with_only_labelled_numbers_can_be_called() {
    let text = BASE.replacen("phone = \"12 34 56 78\"\n", PHONES, 1);
    let report = run(&text);
    assert!(
        of(&report, "KONTAKT").is_empty(),
        "{:#?}",
        of(&report, "KONTAKT")
    );
}

#[test]
fn a_bad_labelled_number_is_an_error_at_its_line() {
    let (text, errors) = refused(|b| {
        with(
            b,
            "phone = \"12 34 56 78\"\n",
            "\n[[units.phones]]\nlabel = \"Akut\"\nnumber = \"123\"\n",
        )
    });
    assert_error_at(&text, &errors, "number = \"123\"", "telefonnummer");
    let (text, errors) = refused(|b| {
        with(
            b,
            "phone = \"12 34 56 78\"\n",
            "\n[[units.phones]]\nlabel = \"\"\nnumber = \"87 65 43 21\"\n",
        )
    });
    assert_error_at(&text, &errors, "label = \"\"", "label");
}

// --- Ids the editor need not invent ---

#[test]
fn an_offer_with_a_page_and_no_id_gets_an_address_from_its_title() {
    let f = built(|b| {
        b.replace("id = \"samtaler\"\n", "")
            .replace("title = \"Samtaler\"", "title = \"Samtaler for unge\"")
    });
    let page = f.page("lilleby/tilbud/samtaler-for-unge/index.html");
    assert!(page.contains("Du taler med en behandler."), "{page}");
    let list = f.page("lilleby/tilbud/index.html");
    assert!(
        list.contains("lilleby/tilbud/samtaler-for-unge/\""),
        "the list links to the page: {list}"
    );
}

#[test]
fn two_offers_of_one_title_without_ids_get_two_pages() {
    let f = built(|b| {
        b.replace("id = \"samtaler\"\n", "")
            .replace("id = \"raad\"\n", "")
            .replace("title = \"Råd og vejledning\"", "title = \"Samtaler\"")
    });
    assert!(
        f.page("lilleby/tilbud/samtaler/index.html")
            .contains("Du taler med en behandler.")
    );
    assert!(
        f.page("lilleby/tilbud/samtaler-2/index.html")
            .contains("Du får råd.")
    );
}

#[test]
fn a_made_address_never_takes_an_id_the_file_gives() {
    let f = built(|b| {
        b.replace("id = \"samtaler\"\n", "")
            .replace("id = \"raad\"", "id = \"samtaler\"")
    });
    assert!(
        f.page("lilleby/tilbud/samtaler/index.html")
            .contains("Du får råd.")
    );
    assert!(
        f.page("lilleby/tilbud/samtaler-2/index.html")
            .contains("Du taler med en behandler.")
    );
}

#[test]
fn a_unit_without_an_id_is_on_the_contact_page() {
    let f = built(|b| b.replace("id = \"centret\"\n", ""));
    let page = f.page("lilleby/kontakt/index.html");
    assert!(page.contains("id=\"sted-centret\""), "{page}");
    assert!(page.contains("12 34 56 78"), "{page}");
}
