//! `kvalitet godkend` as the council's secretary meets it: the approval written into
//! `[approval]` with the rest of the file kept byte for byte, the approved copy, each refusal;
//! and the check rules that hold the working file to its approved copy.

use std::path::PathBuf;
use std::process::{Command, Output};

use kvalitet::check::{CheckOptions, Finding};
use kvalitet::diagnostic::Severity;

use crate::check::{SITE, complete, date};
use crate::fixture::Fixture;

fn godkend(f: &Fixture, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kvalitet"))
        .arg("godkend")
        .args(args)
        .arg("--date")
        .arg("2026-12-06")
        .current_dir(f.root())
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `text` without its `[approval]` table: from the header's line to the next line that starts
/// a table (or the end).
fn cut_approval(text: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in text.split_inclusive('\n') {
        if line.starts_with('[') {
            inside = line.trim_end() == "[approval]";
        }
        if !inside {
            out.push_str(line);
        }
    }
    out
}

fn copy(f: &Fixture, slug: &str, day: &str) -> PathBuf {
    f.content()
        .join("godkendt")
        .join(slug)
        .join(format!("{day}.toml"))
}

/// A content folder with `site.toml` and the complete standard as `test.toml`.
fn standard() -> Fixture {
    let f = Fixture::empty();
    f.write("site.toml", SITE);
    f.write("test.toml", complete());
    f
}

#[test]
fn approving_keeps_the_file_outside_approval_byte_for_byte_and_writes_the_copy() {
    let f = Fixture::bundled();
    let before = f.read("holbaek.toml");
    let o = godkend(
        &f,
        &[
            "Holbæk",
            "--dato",
            "2024-12-17",
            "--af",
            "Byrådet",
            "--sagsnr",
            "27.00.00-A00-1-24",
            "--referat",
            "https://www.holbaek.dk/referat",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let after = f.read("holbaek.toml");
    assert_ne!(before, after);
    assert_eq!(cut_approval(&after), cut_approval(&before));
    // The comments above the table and the key already in it are still there.
    assert!(after.contains("# hvem den er godkendt, eller hvornår den skal revideres.\n[approval]\ndated = \"2023-06\"\n"));
    let m = kvalitet::load::load_municipality(&f.file("holbaek.toml")).unwrap();
    let a = m.data.approval.unwrap();
    assert_eq!(a.approved_by.as_deref(), Some("Byrådet"));
    assert_eq!(a.approved_on, Some(date("2024-12-17")));
    assert_eq!(a.case_number.as_deref(), Some("27.00.00-A00-1-24"));
    assert_eq!(
        a.decision_url.as_deref(),
        Some("https://www.holbaek.dk/referat")
    );
    let kept = std::fs::read(copy(&f, "holbaek", "2024-12-17")).unwrap();
    assert_eq!(kept, after.as_bytes(), "the copy is the file as approved");
    let out = stdout(&o);
    assert!(
        out.contains("Holbæk Kommune er godkendt 17. december 2024 af Byrådet"),
        "{out}"
    );
    assert!(out.contains("godkendt/holbaek/2024-12-17.toml"), "{out}");
    // The copy is no municipality of its own: the site builds with the same five.
    let content = kvalitet::pipeline::load_content(&f.content()).unwrap();
    assert_eq!(content.municipalities.len(), 5);
}

#[test]
fn values_already_there_are_replaced_in_place_with_the_comments_around_them() {
    let f = standard();
    f.edit(
        "test.toml",
        "approved_by = \"Byrådet\"",
        "approved_by = \"Byrådet\"  # fra forsiden",
    );
    let before = f.read("test.toml");
    let o = godkend(
        &f,
        &[
            "test",
            "--dato",
            "2026-11-26",
            "--af",
            "Social- og sundhedsudvalget",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let after = f.read("test.toml");
    assert_eq!(cut_approval(&after), cut_approval(&before));
    assert_eq!(
        before
            .replace(
                "\"Byrådet\"  # fra",
                "\"Social- og sundhedsudvalget\"  # fra"
            )
            .replace("approved_on = 2024-12-17", "approved_on = 2026-11-26"),
        after,
        "only the two values change; the comments in the table stay"
    );
}

#[test]
fn a_second_approval_keeps_the_first_copy() {
    let f = standard();
    let o = godkend(&f, &["test", "--dato", "2024-12-17", "--af", "Byrådet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let first = std::fs::read(copy(&f, "test", "2024-12-17")).unwrap();
    f.edit(
        "test.toml",
        "Du kan få hjælp hos os.",
        "Du kan altid få hjælp hos os.",
    );
    f.edit(
        "test.toml",
        "next_revision = \"2026-12\"",
        "next_revision = \"2028-11\"",
    );
    let o = godkend(&f, &["test", "--dato", "2026-11-26", "--af", "Byrådet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(copy(&f, "test", "2024-12-17")).unwrap(),
        first
    );
    let second = std::fs::read(copy(&f, "test", "2026-11-26")).unwrap();
    assert_eq!(second, f.read("test.toml").as_bytes());
    assert_ne!(second, first);
}

/// Runs a refused `godkend` and checks that nothing was written.
fn refused(f: &Fixture, args: &[&str]) -> String {
    let files = crate::fixture::tree(&f.content());
    let o = godkend(f, args);
    assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stdout(&o));
    assert_eq!(
        crate::fixture::tree(&f.content()),
        files,
        "{args:?} changed the content"
    );
    stderr(&o)
}

#[test]
fn each_refusal_is_danish_and_writes_nothing() {
    let f = standard();
    let err = refused(&f, &["nyby", "--dato", "2024-12-17", "--af", "Byrådet"]);
    assert!(
        err.contains("Der er ingen kommune, der hedder «nyby»"),
        "{err}"
    );
    assert!(err.contains("Du kan vælge: test (Test Kommune)"), "{err}");

    let err = refused(&f, &["test", "--dato", "2026-12-07", "--af", "Byrådet"]);
    assert!(
        err.contains("7. december 2026 er ikke kommet endnu"),
        "{err}"
    );

    let err = refused(&f, &["test", "--dato", "17-12-2024", "--af", "Byrådet"]);
    assert!(err.contains("«17-12-2024» er ikke en dato"), "{err}");
    let err = refused(&f, &["test", "--dato", "2024-12", "--af", "Byrådet"]);
    assert!(err.contains("ikke en hel dato"), "{err}");

    for url in ["javascript:alert(1)", "referat.pdf", "mailto:a@b.dk"] {
        let err = refused(
            &f,
            &[
                "test",
                "--dato",
                "2024-12-17",
                "--af",
                "Byrådet",
                "--referat",
                url,
            ],
        );
        assert!(err.contains("er ikke en webadresse"), "{url}: {err}");
        assert!(err.contains("https://"), "{err}");
    }

    // A copy of that date with another text is never overwritten.
    f.write(
        "godkendt/test/2024-12-17.toml",
        "name = \"en anden tekst\"\n",
    );
    let err = refused(&f, &["test", "--dato", "2024-12-17", "--af", "Byrådet"]);
    assert!(
        err.contains("Der er allerede en godkendt kopi fra 17. december 2024"),
        "{err}"
    );
    // Nor is an approval before the latest one taken.
    let err = refused(&f, &["test", "--dato", "2024-11-01", "--af", "Byrådet"]);
    assert!(err.contains("allerede godkendt 17. december 2024"), "{err}");
}

#[test]
fn a_file_with_load_errors_is_refused_with_its_errors() {
    let f = standard();
    f.edit(
        "test.toml",
        "approved_on = 2024-12-17",
        "approved_on = 2024-13-17",
    );
    let err = refused(&f, &["test", "--dato", "2024-12-17", "--af", "Byrådet"]);
    let line = crate::check::line_of(&f.read("test.toml"), "approved_on = 2024-13-17");
    assert!(err.contains(&format!("test.toml:{line}:")), "{err}");
    assert!(
        err.contains("Standarden er ikke godkendt. Ret fejlene ovenfor"),
        "{err}"
    );
}

/// The findings of `kvalitet check` on the fixture's `test.toml`, on `day`.
fn findings(f: &Fixture, day: &str) -> Vec<Finding> {
    let content = kvalitet::pipeline::load_content(&f.content()).unwrap();
    let mut options = CheckOptions::for_site(&content.site);
    options.reference_date = date(day);
    kvalitet::build::check_content_with(&content, &options)
        .findings()
        .iter()
        .cloned()
        .collect()
}

fn about<'a>(all: &'a [Finding], rule: &str, words: &str) -> Vec<&'a Finding> {
    all.iter()
        .filter(|x| x.rule == rule && x.severity == Severity::Error && x.message.contains(words))
        .collect()
}

#[test]
fn changes_not_approved_by_the_revision_date_are_an_error() {
    let f = standard();
    assert!(
        godkend(&f, &["test", "--dato", "2024-12-17", "--af", "Byrådet"])
            .status
            .success()
    );
    // Unchanged since the approval: nothing to approve, before or after the date.
    assert!(about(&findings(&f, "2027-01-15"), "§6.1", "ikke godkendt").is_empty());
    f.edit(
        "test.toml",
        "Du kan få hjælp hos os.",
        "Du kan altid få hjælp hos os.",
    );
    // Changed, but the revision date (next_revision = "2026-12") has not passed.
    assert!(about(&findings(&f, "2026-12-31"), "§6.1", "ikke godkendt").is_empty());
    let all = findings(&f, "2027-01-15");
    let found = about(
        &all,
        "§6.1",
        "Filen er ændret, siden standarden blev godkendt 17. december 2024",
    );
    assert_eq!(found.len(), 1, "{all:#?}");
    let text = f.read("test.toml");
    assert_eq!(
        found[0].line,
        Some(crate::check::line_of(&text, "next_revision ="))
    );
    assert!(
        found[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("kvalitet godkend test")
    );
    // The date is the one the approval set: moving next_revision in the working file does not
    // move it.
    f.edit(
        "test.toml",
        "next_revision = \"2026-12\"",
        "next_revision = \"2027-06\"",
    );
    assert_eq!(
        about(&findings(&f, "2027-01-15"), "§6.1", "ikke godkendt").len(),
        1
    );
}

#[test]
fn without_a_next_revision_changes_are_due_two_years_after_the_approval() {
    let f = standard();
    f.edit("test.toml", "next_revision = \"2026-12\"\n", "");
    assert!(
        godkend(&f, &["test", "--dato", "2024-12-17", "--af", "Byrådet"])
            .status
            .success()
    );
    f.edit(
        "test.toml",
        "Du kan få hjælp hos os.",
        "Du kan altid få hjælp hos os.",
    );
    assert!(about(&findings(&f, "2026-12-17"), "§6.1", "ikke godkendt").is_empty());
    let all = findings(&f, "2026-12-18");
    let found = about(
        &all,
        "§6.1",
        "Fristen for revision, 17. december 2026, er passeret",
    );
    assert_eq!(found.len(), 1, "{all:#?}");
    let text = f.read("test.toml");
    assert_eq!(
        found[0].line,
        Some(crate::check::line_of(&text, "approved_on ="))
    );
}

#[test]
fn the_approval_facts_must_agree_with_the_latest_copy() {
    let f = standard();
    // Before any copy, the facts are the file's own.
    assert!(about(&findings(&f, "2025-06-01"), "§3.3", "godkendte tekst").is_empty());
    assert!(
        godkend(&f, &["test", "--dato", "2024-12-17", "--af", "Byrådet"])
            .status
            .success()
    );
    assert!(about(&findings(&f, "2025-06-01"), "§3.3", "godkendte tekst").is_empty());

    // An approval written by hand has no copy.
    f.edit(
        "test.toml",
        "approved_on = 2024-12-17",
        "approved_on = 2025-03-01",
    );
    let all = findings(&f, "2025-06-01");
    let found = about(
        &all,
        "§3.3",
        "den seneste godkendte tekst er fra 17. december 2024",
    );
    assert_eq!(found.len(), 1, "{all:#?}");
    let text = f.read("test.toml");
    assert_eq!(
        found[0].line,
        Some(crate::check::line_of(&text, "approved_on ="))
    );
    assert!(
        found[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("kvalitet godkend test")
    );

    // The same date, another body.
    f.edit(
        "test.toml",
        "approved_on = 2025-03-01",
        "approved_on = 2024-12-17",
    );
    f.edit(
        "test.toml",
        "approved_by = \"Byrådet\"",
        "approved_by = \"Udvalget\"",
    );
    let all = findings(&f, "2025-06-01");
    let found = about(&all, "§3.3", "af «Byrådet» ifølge den godkendte tekst");
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(
        found[0].line,
        Some(crate::check::line_of(&text, "approved_by ="))
    );
}

#[test]
fn a_link_where_the_copies_go_is_refused_and_nothing_outside_is_touched() {
    let f = standard();
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), f.content().join("godkendt")).unwrap();
    let before = f.read("test.toml");
    let o = godkend(&f, &["test", "--dato", "2024-12-17", "--af", "Byrådet"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("er et link"), "{}", stderr(&o));
    assert_eq!(f.read("test.toml"), before, "the file is not written");
    assert!(crate::fixture::names_in(outside.path()).is_empty());
}
