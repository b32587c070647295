//! The preview's incremental rebuild (`kvalitet::incremental`) gives, page for page, what a
//! full build of the same content gives, and falls back to a full build when it cannot.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use kvalitet::build::{BuildOptions, render};
use kvalitet::incremental::{SiteState, Update};

use crate::fixture::Fixture;

/// A save the preview sees: the file written, then the update applied.
trait Save {
    /// Saves `text` as the file and applies the save to `state`.
    fn save(&self, state: &mut SiteState, name: &str, text: &str) -> Update;
}

impl Save for Fixture {
    fn save(&self, state: &mut SiteState, name: &str, text: &str) -> Update {
        fs::write(self.file(name), text).unwrap();
        state.update(&[self.file(name)])
    }
}

/// The site as written: path -> page, a later page of the same path winning.
fn full_build(options: &BuildOptions) -> BTreeMap<String, String> {
    let site = render(options).unwrap_or_else(|e| panic!("full build fails: {e:?}"));
    site.pages.into_iter().map(|p| (p.path, p.html)).collect()
}

fn pages_of(state: &SiteState) -> BTreeMap<String, String> {
    state
        .pages()
        .map(|p| (p.path.clone(), String::from_utf8(p.html.to_vec()).unwrap()))
        .collect()
}

fn page<'a>(pages: &'a BTreeMap<String, String>, path: &str) -> &'a str {
    pages.get(path).unwrap_or_else(|| panic!("no page {path}"))
}

/// The state's pages equal a fresh full build's, page for page; returns them.
fn assert_same_as_full(state: &SiteState, options: &BuildOptions) -> BTreeMap<String, String> {
    let full = full_build(options);
    let ours = pages_of(state);
    let missing: Vec<&String> = full.keys().filter(|k| !ours.contains_key(*k)).collect();
    let extra: Vec<&String> = ours.keys().filter(|k| !full.contains_key(*k)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "pages missing: {missing:?}, pages extra: {extra:?}"
    );
    for (path, html) in &full {
        let mine = &ours[path];
        if mine != html {
            let at = mine
                .bytes()
                .zip(html.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(mine.len().min(html.len()));
            let from = at.saturating_sub(80);
            panic!(
                "{path} differs at byte {at}:\nincremental: {:?}\nfull:        {:?}",
                mine.get(from..(at + 80).min(mine.len())),
                html.get(from..(at + 80).min(html.len()))
            );
        }
    }
    assert!(full.len() > 20, "a real site: {} pages", full.len());
    ours
}

fn done(update: Update) -> bool {
    match update {
        Update::Done {
            pages_changed,
            reloaded,
        } => {
            assert_eq!(reloaded, 1, "one file read again");
            pages_changed
        }
        other => panic!("expected an incremental step, got {other:?}"),
    }
}

/// Cuts a top-level table (`[children]`) out of a municipality file, up to the next header.
fn without_table(text: &str, table: &str) -> String {
    let header = format!("\n[{table}]\n");
    let start = text.find(&header).expect("the table is there") + 1;
    let end = text[start + header.len()..]
        .find("\n[")
        .map_or(text.len(), |i| start + header.len() + i + 1);
    format!("{}{}", &text[..start], &text[end..])
}

#[test]
fn edits_to_one_municipality_give_what_a_full_build_gives() {
    let fx = Fixture::bundled();
    let options = fx.options();
    let mut state = SiteState::build(&options).unwrap();
    let before = assert_same_as_full(&state, &options);

    // A phone number, on the contact page of a municipality that also serves others.
    let holstebro = fx.read("holstebro.toml");
    assert!(holstebro.contains("phone = \"96 11 40 00\""));
    assert!(!page(&before, "holstebro/kontakt/index.html").contains("96 11 49 99"));
    let edited = holstebro.replace("phone = \"96 11 40 00\"", "phone = \"96 11 49 99\"");
    assert!(done(fx.save(&mut state, "holstebro.toml", &edited)));
    let pages = assert_same_as_full(&state, &options);
    assert!(page(&pages, "holstebro/kontakt/index.html").contains("96 11 49 99"));

    // Prose, on the front page.
    let holbaek = fx.read("holbaek.toml");
    let edited = holbaek.replacen("summary = \"\"\"\n", "summary = \"\"\"\nBlåbærgrød. ", 1);
    assert!(done(fx.save(&mut state, "holbaek.toml", &edited)));
    let pages = assert_same_as_full(&state, &options);
    assert!(page(&pages, "holbaek/index.html").contains("Blåbærgrød."));
    assert!(!page(&pages, "index.html").contains("Blåbærgrød."));

    // The name, which the site's front page lists.
    let holbaek = fx.read("holbaek.toml");
    assert!(!page(&pages, "index.html").contains("Holbæk Søstad"));
    let edited = holbaek.replace("short_name = \"Holbæk\"", "short_name = \"Holbæk Søstad\"");
    assert!(done(fx.save(&mut state, "holbaek.toml", &edited)));
    let pages = assert_same_as_full(&state, &options);
    assert!(page(&pages, "index.html").contains("Holbæk Søstad"));
    assert!(page(&pages, "holbaek/index.html").contains("Holbæk Søstad"));
    assert!(page(&pages, "tjek/index.html").contains("Holbæk Søstad"));

    // A link from Fredericia's prose to a page of Holbæk's, which exists.
    let fredericia = fx.read("fredericia.toml");
    let edited = fredericia.replacen(
        "summary = \"\"\"\n",
        "summary = \"\"\"\nLæs om [børn i Holbæk](/holbaek/boern/). ",
        1,
    );
    let broken_links = |pages: &BTreeMap<String, String>| {
        page(pages, "tjek/index.html")
            .matches("fører ikke til en side")
            .count()
    };
    let links_before = broken_links(&pages);
    assert!(done(fx.save(&mut state, "fredericia.toml", &edited)));
    let pages = assert_same_as_full(&state, &options);
    assert_eq!(
        broken_links(&pages),
        links_before,
        "the link leads to a page"
    );

    // A topic removed from Holbæk: a check finding (§4.4 missing) on the report page, one
    // page fewer, and Fredericia's link, which was not read again, now broken.
    let tjek_before = page(&pages, "tjek/index.html").to_string();
    assert!(pages.contains_key("holbaek/boern/index.html"));
    let edited = without_table(&fx.read("holbaek.toml"), "children");
    assert!(done(fx.save(&mut state, "holbaek.toml", &edited)));
    let pages = assert_same_as_full(&state, &options);
    assert!(!pages.contains_key("holbaek/boern/index.html"));
    assert_ne!(page(&pages, "tjek/index.html"), tjek_before);
    assert_eq!(
        broken_links(&pages),
        links_before + 1,
        "the link is reported"
    );

    // A save that changes nothing visible: no page differs, so browsers need not reload.
    let text = fx.read("holbaek.toml");
    let unchanged = done(fx.save(
        &mut state,
        "holbaek.toml",
        &format!("{text}\n# kommentar\n"),
    ));
    assert!(!unchanged, "a comment changes no page");
    assert_same_as_full(&state, &options);
}

#[test]
fn a_broken_save_is_reported_as_a_full_build_would_and_the_fix_converges() {
    let fx = Fixture::bundled();
    let options = fx.options();
    let mut state = SiteState::build(&options).unwrap();
    let original = fx.read("fredericia.toml");
    let good = original.replacen("summary = \"\"\"\n", "summary = \"\"\"\nGodtord. ", 1);
    let bad = format!("{good}uafsluttet = [1, 2\n");

    let Update::Failed(errors) = fx.save(&mut state, "fredericia.toml", &bad) else {
        panic!("a broken file fails");
    };
    let full = render(&options).err().expect("the full build fails too");
    assert_eq!(errors, full, "the same diagnostics as a full build");
    assert!(errors[0].file.ends_with("fredericia.toml"));
    // The last good site is kept.
    assert!(!page(&pages_of(&state), "fredericia/index.html").contains("Godtord"));

    // Another file saved while this one is broken needs the full build, which reports it.
    fs::write(fx.file("holbaek.toml"), fx.read("holbaek.toml") + "\n").unwrap();
    assert!(matches!(
        state.update(&[fx.file("holbaek.toml")]),
        Update::NeedsFull
    ));

    // Still broken, saved again: still failing, incrementally.
    assert!(matches!(
        fx.save(&mut state, "fredericia.toml", &format!("{bad}# igen\n")),
        Update::Failed(_)
    ));

    // Fixed, together with the other file: applied incrementally, and right.
    fs::write(fx.file("fredericia.toml"), &good).unwrap();
    let update = state.update(&[fx.file("fredericia.toml"), fx.file("holbaek.toml")]);
    assert!(
        matches!(
            update,
            Update::Done {
                pages_changed: true,
                reloaded: 2
            }
        ),
        "{update:?}"
    );
    let pages = assert_same_as_full(&state, &options);
    assert!(page(&pages, "fredericia/index.html").contains("Godtord"));

    // And the next save is incremental again.
    let edited = good.replacen("Godtord. ", "Bedreord. ", 1);
    assert!(done(fx.save(&mut state, "fredericia.toml", &edited)));
    let pages = assert_same_as_full(&state, &options);
    assert!(page(&pages, "fredericia/index.html").contains("Bedreord"));
}

#[test]
fn a_page_that_renders_wrong_data_fails_and_keeps_the_last_good_site() {
    // Some template errors show only on rendering: here a template that needs Holbæk's website.
    let fx = Fixture::bundled();
    let options = fx.options();
    let front = fx.root().join("themes/default/templates/front.html");
    let text = fs::read_to_string(&front).unwrap();
    let marker = "{% block content %}";
    assert!(text.contains(marker));
    fs::write(
        &front,
        text.replacen(
            marker,
            &format!(
                "{marker}{{% if m.slug == \"holbaek\" %}}{{{{ m.website | upper }}}}{{% endif %}}"
            ),
            1,
        ),
    )
    .unwrap();
    let mut state = SiteState::build(&options).unwrap();
    assert_same_as_full(&state, &options);
    let holbaek = fx.read("holbaek.toml");
    let without = holbaek.replace("website = \"https://rusmiddel.holbaek.dk/\"\n", "");
    assert_ne!(without, holbaek);
    let Update::Failed(errors) = fx.save(&mut state, "holbaek.toml", &without) else {
        panic!("the page cannot render");
    };
    let full = render(&options).err().expect("the full build fails too");
    assert_eq!(
        errors.iter().map(|d| &d.message).collect::<Vec<_>>(),
        full.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    // Put back: the pages are those from before the broken save, which the state had kept.
    assert!(!done(fx.save(&mut state, "holbaek.toml", &holbaek)));
    assert_same_as_full(&state, &options);
}

#[test]
fn other_changes_need_a_full_build() {
    let fx = Fixture::bundled();
    let options = fx.options();
    let mut state = SiteState::build(&options).unwrap();
    let needs_full =
        |state: &mut SiteState, paths: &[PathBuf]| matches!(state.update(paths), Update::NeedsFull);
    assert!(needs_full(&mut state, &[]), "an event without paths");
    assert!(needs_full(&mut state, &[fx.file("site.toml")]));
    assert!(needs_full(
        &mut state,
        &[fx.root().join("themes/default/templates/front.html")]
    ));
    assert!(needs_full(
        &mut state,
        &[fx.file("holbaek.toml"), fx.file("site.toml")]
    ));
    fs::copy(fx.file("holbaek.toml"), fx.file("kopi.toml")).unwrap();
    assert!(
        needs_full(&mut state, &[fx.file("kopi.toml")]),
        "a new file"
    );
    fs::remove_file(fx.file("odsherred.toml")).unwrap();
    assert!(
        needs_full(&mut state, &[fx.file("odsherred.toml")]),
        "a deleted file"
    );
    fs::create_dir_all(fx.file("under")).unwrap();
    fs::copy(fx.file("holbaek.toml"), fx.file("under/holbaek.toml")).unwrap();
    assert!(
        needs_full(&mut state, &[fx.file("under/holbaek.toml")]),
        "a file of the same name elsewhere"
    );
}

#[test]
fn a_served_municipality_with_its_own_file_is_refused_and_fine_once_resolved() {
    // Holstebro serves Lemvig: with a lemvig.toml too, two pages would be lemvig/index.html.
    // The preview refuses that as a build does, and works on once the editor resolves it.
    let fx = Fixture::bundled();
    let options = fx.options();
    fs::copy(fx.file("odsherred.toml"), fx.file("lemvig.toml")).unwrap();
    let holstebro = fx.read("holstebro.toml");
    assert!(holstebro.contains("serves = [\"Lemvig\", \"Struer\"]"));
    let Err(errors) = SiteState::build(&options) else {
        panic!("two pages at lemvig/ are refused");
    };
    assert!(
        errors.iter().any(|d| d.message.contains("lemvig.toml")
            && d.file.ends_with("holstebro.toml")
            && d.line.is_some()),
        "{errors:?}"
    );
    let resolved = holstebro.replace("serves = [\"Lemvig\", \"Struer\"]", "serves = [\"Struer\"]");
    fs::write(fx.file("holstebro.toml"), &resolved).unwrap();
    let mut state = SiteState::build(&options).unwrap();
    assert_same_as_full(&state, &options);
    let edited = resolved.replacen("summary = \"\"\"\n", "summary = \"\"\"\nTjenerord. ", 1);
    assert!(done(fx.save(&mut state, "holstebro.toml", &edited)));
    let pages = assert_same_as_full(&state, &options);
    assert!(page(&pages, "holstebro/index.html").contains("Tjenerord"));
    let lemvig = fx.read("lemvig.toml");
    let edited = lemvig.replacen("summary = \"\"\"\n", "summary = \"\"\"\nEgetord. ", 1);
    assert!(done(fx.save(&mut state, "lemvig.toml", &edited)));
    let pages = assert_same_as_full(&state, &options);
    assert!(page(&pages, "lemvig/index.html").contains("Egetord"));
}

#[test]
fn a_theme_that_lists_municipalities_on_every_page_gets_every_page_rendered() {
    let fx = Fixture::bundled();
    let options = fx.options();
    let base = fx.root().join("themes/default/templates/base.html");
    let text = fs::read_to_string(&base).unwrap();
    fs::write(
        &base,
        text.replacen(
            "<footer class=\"site-footer\">",
            "<footer class=\"site-footer\"><p>{% if municipalities %}{% for mu in municipalities %}{{ mu.name }} {% endfor %}{% endif %}</p>",
            1,
        ),
    )
    .unwrap();
    let mut state = SiteState::build(&options).unwrap();
    assert_same_as_full(&state, &options);
    let holbaek = fx.read("holbaek.toml");
    let edited = holbaek.replace("short_name = \"Holbæk\"", "short_name = \"Holbæk Søstad\"");
    assert!(done(fx.save(&mut state, "holbaek.toml", &edited)));
    let pages = assert_same_as_full(&state, &options);
    assert!(page(&pages, "fredericia/kontakt/index.html").contains("Holbæk Søstad"));
}
