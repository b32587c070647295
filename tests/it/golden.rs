//! Broken content files produce the expected Danish message at the expected line and column.
//!
//! Each `tests/golden/<case>.toml` is a municipality file with one mistake; the editor's view
//! of the error is in `<case>.expected`. Run with `UPDATE_GOLDEN=1` to rewrite the expected
//! files, then read the diff: the point is that a person checked them.

use std::path::Path;
use std::process::Command;

use crate::fixture::{Fixture, repo};

/// Builds a content folder holding site.toml and one municipality file (copied from `source`
/// under the name `<slug>.toml`). Returns stderr as the editor sees it, with temporary paths
/// replaced by `<content>` and `<dir>`, and whether the build succeeded.
fn build_one(source: &str, slug: &str) -> (String, bool) {
    let fixture = Fixture::empty();
    let dir = fixture.root().to_path_buf();
    let content = dir.join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::copy(repo().join("content/site.toml"), content.join("site.toml")).unwrap();
    std::fs::copy(repo().join(source), content.join(format!("{slug}.toml"))).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kvalitet"))
        .args(["build", "--content"])
        .arg(&content)
        .arg("--output")
        .arg(dir.join("output"))
        .arg("--themes")
        .arg(repo().join("themes"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr)
        .replace(&content.display().to_string(), "<content>")
        .replace(&dir.display().to_string(), "<dir>");
    (stderr, out.status.success())
}

fn run_case(case: &str) -> (String, bool) {
    build_one(&format!("tests/golden/{case}.toml"), case)
}

fn check(case: &str) {
    let (stderr, success) = run_case(case);
    assert!(!success, "{case}: a broken file must fail the build");
    assert!(
        !stderr.contains("panicked"),
        "{case}: no panic on bad input:\n{stderr}"
    );
    let expected_path = repo().join(format!("tests/golden/{case}.expected"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&expected_path, &stderr).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&expected_path)
        .unwrap_or_else(|_| panic!("missing {}; run with UPDATE_GOLDEN=1", show(&expected_path)));
    assert_eq!(
        stderr, expected,
        "{case}: message differs from the golden file"
    );
}

fn show(p: &Path) -> String {
    p.display().to_string()
}

#[test]
fn syntax_error() {
    check("syntax-error");
}

#[test]
fn unknown_key_suggests_the_nearest() {
    check("unknown-key");
}

#[test]
fn wrong_type() {
    check("wrong-type");
}

#[test]
fn bad_date_shows_the_right_format() {
    check("bad-date");
}

#[test]
fn missing_required_field() {
    check("missing-field");
}

#[test]
fn missing_field_in_the_second_offer_names_that_offer() {
    check("missing-offer-title");
}

#[test]
fn duplicate_offer_id() {
    check("duplicate-offer-id");
}

#[test]
fn key_below_the_wrong_table() {
    check("misplaced-key");
}

#[test]
fn bad_phone_number() {
    check("bad-phone");
}

#[test]
fn bad_opening_hours() {
    check("bad-hours");
}

#[test]
fn offer_names_an_unknown_unit() {
    check("unknown-unit");
}

#[test]
fn unknown_offer_kind() {
    check("unknown-kind");
}

#[test]
fn several_syntax_errors_are_reported_together() {
    check("several-syntax-errors");
}

/// The golden cases themselves must be the only mistake: the base file builds.
#[test]
fn the_base_file_is_valid() {
    let (stderr, success) = build_one("tests/golden/_valid.toml.txt", "proeve");
    assert!(success, "{stderr}");
}
