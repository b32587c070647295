//! The published site shows the approved version (issue 18): `kvalitet build` publishes the
//! latest approved copy of a municipality whose working file has unapproved changes and names
//! it in its summary; `kvalitet build --udkast` and the preview show the working files with a
//! draft marker and `noindex` on every page; "Om denne kvalitetsstandard" lists every approved
//! version, each with its own page.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use crate::fixture::Fixture;
use crate::fixture::approve_holbaek;

const MARKER: &str = "Udkast – ikke godkendt";
const NOINDEX: &str = r#"<meta name="robots" content="noindex">"#;
const OLD_SENTENCE: &str = "Dette gælder både kommunale og private tilbud.";
const NEW_SENTENCE: &str = "Reglen gælder for alle godkendte behandlingssteder.";
const RIGHTS: &str = "holbaek/dine-rettigheder/index.html";

/// The bundled content with Holbæk approved by Socialudvalget on 17 December 2024 (its copy in
/// `content/godkendt/holbaek/2024-12-17.toml`) and then edited: guarantee days 14 -> 10 and a
/// sentence changed.
fn approved_then_edited() -> Fixture {
    let f = Fixture::bundled();
    approve_holbaek(&f, "Socialudvalget", "2024-12-17");
    f.edit("holbaek.toml", "days = 14", "days = 10");
    f.edit("holbaek.toml", OLD_SENTENCE, NEW_SENTENCE);
    f
}

fn kvalitet(f: &Fixture, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kvalitet"))
        .args(args)
        .current_dir(f.root())
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every HTML page below `dir`, by its path below it.
fn pages(dir: &Path) -> Vec<(String, String)> {
    let found = crate::fixture::html_pages(dir);
    assert!(found.len() > 50, "the site has its pages: {}", found.len());
    found
}

#[test]
fn build_publishes_the_approved_text_and_names_the_unapproved_changes() {
    let f = approved_then_edited();
    let out = kvalitet(&f, &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rights = f.page(RIGHTS);
    assert!(
        rights.contains("Behandlingsgaranti: <strong>14 dage"),
        "{rights}"
    );
    assert!(rights.contains(OLD_SENTENCE));
    assert!(!rights.contains("10 dage") && !rights.contains(NEW_SENTENCE));
    assert!(
        f.page("holbaek/index.html")
            .contains("senest 14 dage</strong>")
    );
    let summary = stdout(&out);
    assert!(
        summary.contains("Ændringer, som ikke er godkendt endnu: Holbæk (holbaek.toml)."),
        "{summary}"
    );
    assert!(summary.contains("kvalitet build --udkast"), "{summary}");
    // The published site is not a draft: no page says so or hides from search engines, but
    // the check report for staff and council, which is never for search engines, and the
    // finder's answer pages (many ways to one list; its first page is indexed).
    for (name, html) in pages(&f.output()) {
        assert!(!html.contains(MARKER), "{name} is marked as a draft");
        let finder_answer =
            name.contains("/find-hjaelp/") && !name.ends_with("/find-hjaelp/index.html");
        assert_eq!(
            html.contains(NOINDEX),
            name == "tjek/index.html" || finder_answer,
            "{name}: noindex only on tjek/ and the finder's answer pages"
        );
    }
}

#[test]
fn a_municipality_without_changes_or_copies_is_published_from_its_file() {
    let f = Fixture::bundled();
    approve_holbaek(&f, "Socialudvalget", "2024-12-17");
    f.edit("odsherred.toml", "days = 14", "days = 9");
    let out = kvalitet(&f, &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Holbæk's file is its approved copy: nothing to name.
    assert!(!stdout(&out).contains("ikke godkendt"), "{}", stdout(&out));
    // Odsherred has no copy: its edit is published, as before approvals existed.
    assert!(
        f.page("odsherred/dine-rettigheder/index.html")
            .contains("Behandlingsgaranti: <strong>9 dage")
    );
    assert!(
        f.page("holbaek/om-standarden/index.html")
            .contains("af Socialudvalget (gælder nu)")
    );
}

#[test]
fn the_draft_build_shows_the_working_files_and_marks_every_page() {
    let f = approved_then_edited();
    let out = kvalitet(&f, &["build", "--udkast", "--output", "udkast"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = stdout(&out);
    assert!(summary.contains("Det er et udkast"), "{summary}");
    assert!(summary.contains("Holbæk (holbaek.toml)"), "{summary}");
    let dir = f.root().join("udkast");
    let rights = fs::read_to_string(dir.join(RIGHTS)).unwrap();
    assert!(
        rights.contains("Behandlingsgaranti: <strong>10 dage"),
        "{rights}"
    );
    assert!(rights.contains(NEW_SENTENCE) && !rights.contains(OLD_SENTENCE));
    for (name, html) in pages(&dir) {
        assert!(html.contains(MARKER), "{name} has no draft marker");
        assert!(html.contains(NOINDEX), "{name} has no noindex");
        // The marker is a landmark at the top of the page, before the site's header.
        let marker = html.find("class=\"draft-banner\"").unwrap();
        if let Some(header) = html.find("<header") {
            assert!(marker < header, "{name}: the marker comes after the header");
        }
    }
    // The published folder was not touched by the draft.
    assert!(!f.output().exists());
}

#[test]
fn the_preview_shows_the_working_files_as_a_draft() {
    let f = approved_then_edited();
    let server = f.start();
    for target in ["/holbaek/dine-rettigheder/", "/", "/tjek/"] {
        let body = get(&server.url(), target);
        assert!(body.contains(MARKER), "{target} has no draft marker");
        assert!(body.contains(NOINDEX), "{target} has no noindex");
        if target.contains("rettigheder") {
            assert!(body.contains("Behandlingsgaranti: <strong>10 dage"));
        }
    }
}

/// The body of a GET of `target` from the preview at `url` (`http://127.0.0.1:<port>/`).
fn get(url: &str, target: &str) -> String {
    let host = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut stream = TcpStream::connect(&host).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    assert!(text.starts_with("HTTP/1.1 200"), "{target}: {text:.200}");
    text
}

#[test]
fn the_history_lists_each_approved_version_and_shows_it() {
    let f = Fixture::bundled();
    approve_holbaek(&f, "Byrådet", "2022-11-30");
    f.edit("holbaek.toml", OLD_SENTENCE, NEW_SENTENCE);
    approve_holbaek(&f, "Socialudvalget", "2024-12-17");
    f.edit("holbaek.toml", "days = 14", "days = 10");
    for args in [&["build"][..], &["build", "--udkast", "--output", "output"]] {
        let out = kvalitet(&f, args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let about = f.page("holbaek/om-standarden/index.html");
        let newer = about
            .find("version/2024-12-17/")
            .expect("the current version is listed");
        let older = about
            .find("version/2022-11-30/")
            .expect("the earlier version is listed");
        assert!(newer < older, "newest first: {about}");
        assert!(
            about.contains("30. november 2022</time></a> af Byrådet"),
            "{about}"
        );
        assert!(about.contains("17. december 2024</time></a> af Socialudvalget (gælder nu)"));

        // The earlier version's page is that copy's whole standard, and says which applies now.
        let earlier = f.page("holbaek/version/2022-11-30/index.html");
        assert!(
            earlier.contains("Dette er en tidligere udgave"),
            "{earlier}"
        );
        assert!(earlier.contains(
            "Den udgave, der gælder nu, er godkendt 17. december 2024 af Socialudvalget"
        ));
        assert!(earlier.contains(OLD_SENTENCE) && !earlier.contains(NEW_SENTENCE));
        assert!(earlier.contains("Behandlingsgaranti: <strong>14 dage"));
        let current = f.page("holbaek/version/2024-12-17/index.html");
        assert!(current.contains("den gælder nu"), "{current}");
        assert!(current.contains(NEW_SENTENCE) && current.contains("<strong>14 dage"));
    }
    // Published, "the version that applies now" is the whole-standard page; it shows it.
    let out = kvalitet(&f, &["build"]);
    assert!(out.status.success());
    let earlier = f.page("holbaek/version/2022-11-30/index.html");
    assert!(
        earlier
            .contains("href=\"../../../holbaek/hele-standarden/\">Læs den udgave, der gælder nu")
    );
    let whole = f.page("holbaek/hele-standarden/index.html");
    assert!(whole.contains(NEW_SENTENCE) && whole.contains("<strong>14 dage"));
}

#[test]
fn a_copy_that_does_not_load_stops_the_build_and_keeps_the_last_site() {
    let f = approved_then_edited();
    f.build();
    let before = f.page(RIGHTS);
    f.write(
        "godkendt/holbaek/2023-05-01.toml",
        "name = \"Holbæk Kommune\"\ndays = [\n",
    );
    for args in [&["build"][..], &["build", "--udkast"]] {
        let out = kvalitet(&f, args);
        assert!(!out.status.success());
        let errors = String::from_utf8_lossy(&out.stderr);
        assert!(
            errors.contains("2023-05-01.toml"),
            "the copy is named: {errors}"
        );
        assert!(
            errors.contains("Den godkendte udgave fra 2023-05-01 har fejl"),
            "{errors}"
        );
        assert!(errors.contains("Hjemmesiden blev ikke bygget"), "{errors}");
        assert!(!errors.contains("panicked"), "{errors}");
    }
    assert_eq!(f.page(RIGHTS), before, "the last good site stays");
}

#[test]
fn a_broken_working_file_is_told_but_the_approved_text_is_published() {
    let f = approved_then_edited();
    f.edit("holbaek.toml", "days = 10", "days = \"ti\"");
    let out = kvalitet(&f, &["build"]);
    let told = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{told}");
    assert!(
        f.page(RIGHTS)
            .contains("Behandlingsgaranti: <strong>14 dage")
    );
    assert!(told.contains("holbaek.toml"), "{told}");
    assert!(
        told.contains("Filen har fejl. Hjemmesiden viser den senest godkendte udgave"),
        "{told}"
    );
    assert!(told.contains("days"), "the error itself is told: {told}");
    // The draft shows the working file, so there the error stops the build.
    let draft = kvalitet(&f, &["build", "--udkast", "--output", "udkast"]);
    assert!(!draft.status.success());
}

#[test]
fn the_preview_keeps_the_draft_and_the_history_across_saves() {
    use kvalitet::incremental::{SiteState, Update};
    let f = approved_then_edited();
    let mut options = f.options();
    options.draft = true;
    let mut state = SiteState::build(&options).unwrap();
    f.edit("holbaek.toml", "days = 10", "days = 11");
    let update = state.update(&[f.file("holbaek.toml")]);
    assert!(matches!(update, Update::Done { .. }), "{update:?}");
    let page = |path: &str| {
        let page = state.pages().find(|p| p.path == path);
        String::from_utf8(page.unwrap_or_else(|| panic!("no {path}")).html.to_vec()).unwrap()
    };
    let rights = page(RIGHTS);
    assert!(rights.contains("Behandlingsgaranti: <strong>11 dage") && rights.contains(MARKER));
    assert!(page("holbaek/om-standarden/index.html").contains("version/2024-12-17/"));
    assert!(page("holbaek/version/2024-12-17/index.html").contains("<strong>14 dage"));
}

#[test]
fn a_folder_of_copies_that_links_out_of_the_content_is_refused() {
    let f = Fixture::bundled();
    let outside = tempfile::tempdir().unwrap();
    fs::create_dir_all(outside.path().join("holbaek")).unwrap();
    fs::copy(
        f.file("holbaek.toml"),
        outside.path().join("holbaek/2024-12-17.toml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), f.file("godkendt")).unwrap();
    let out = kvalitet(&f, &["build"]);
    assert!(!out.status.success());
    let errors = String::from_utf8_lossy(&out.stderr);
    assert!(errors.contains("godkendt"), "{errors}");
    assert!(errors.contains("genvej (symbolsk link)"), "{errors}");
    assert!(!f.output().exists());
}
