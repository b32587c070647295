//! The output writer as an editor meets it: whatever paths it is handed and whatever is found
//! in the output folder, nothing outside its own folder is created, changed or removed, and no
//! file it did not write is ever deleted.

use std::fs;
use std::path::{Path, PathBuf};

use kvalitet::embedded::Statics;
use kvalitet::output::{MANIFEST, MARKER, write_site};
use kvalitet::page::Page;

use crate::fixture::{Fixture, names_in, tree};

fn page(path: &str, html: &str) -> Page {
    Page {
        path: path.to_string(),
        html: html.to_string(),
    }
}

/// A parent folder with a published site in `site/` (built twice, as editors do) and a folder
/// of someone else's beside it.
fn published(parent: &Path) -> PathBuf {
    let victim = parent.join("victim");
    fs::create_dir_all(victim.join("index.html")).unwrap();
    fs::write(victim.join("index.html/letter.txt"), "keep me").unwrap();
    fs::write(victim.join("notes.txt"), "keep me too").unwrap();
    let target = parent.join("site");
    write_site(&target, &[page("index.html", "first")], None).unwrap();
    write_site(&target, &[page("index.html", "good")], None).unwrap();
    write_site(&target, &[page("index.html", "good")], None).unwrap();
    target
}

#[test]
fn a_page_path_that_leaves_the_output_is_refused_and_nothing_outside_changes() {
    let parent = Fixture::empty();
    let parent = parent.root();
    let target = published(parent);
    let victim = parent.join("victim");
    let before = tree(parent);
    let absolute = victim.join("index.html").display().to_string();
    let hostile = [
        absolute.as_str(),
        "/index.html",
        "../victim/index.html",
        "../victim/notes.txt",
        "a/../../victim/notes.txt",
        "",
        ".",
        "./index.html",
        "a/./index.html",
        "a//index.html",
        "a/",
        "..",
    ];
    for path in hostile {
        let err = write_site(
            &target,
            &[page("index.html", "new"), page(path, "hostile")],
            None,
        )
        .expect_err(path);
        assert_eq!(tree(parent), before, "{path:?}: nothing changed");
        assert!(err.0.contains("Tip:"), "{path:?}: a hint in {err}");
    }
    assert_eq!(
        fs::read_to_string(target.join("index.html")).unwrap(),
        "good"
    );
}

#[test]
fn two_pages_for_the_same_place_fail_the_build_and_the_site_stays() {
    let parent = Fixture::empty();
    let parent = parent.root();
    let target = published(parent);
    let before = tree(parent);
    for pages in [
        vec![page("a/index.html", "one"), page("a/index.html", "two")],
        vec![page("index.html", "one"), page(MARKER, "two")],
        vec![page("index.html", "one"), page(MANIFEST, "two")],
    ] {
        let err = write_site(&target, &pages, None).unwrap_err();
        assert!(
            err.0.contains("To sider skulle skrives til samme sted"),
            "{err}"
        );
        assert_eq!(tree(parent), before);
    }
    // A theme file and a page for the same place are two sources for one file too.
    let theme = parent.join("theme-static");
    fs::create_dir_all(&theme).unwrap();
    fs::write(theme.join("index.html"), "from the theme").unwrap();
    let before = tree(parent);
    let err = write_site(
        &target,
        &[page("index.html", "page")],
        Some(&Statics::Folder(theme)),
    )
    .unwrap_err();
    assert!(err.0.contains("samme sted"), "{err}");
    assert_eq!(tree(parent), before);
}

#[test]
fn foreign_files_in_the_output_are_named_and_never_deleted() {
    let parent = Fixture::empty();
    let parent = parent.root();
    let target = parent.join("site");
    write_site(&target, &[page("a/index.html", "first")], None).unwrap();
    fs::write(target.join("a/notes.txt"), "mine").unwrap();
    fs::create_dir_all(target.join("drafts/old")).unwrap();
    let before = tree(parent);
    let err = write_site(&target, &[page("b/index.html", "second")], None).unwrap_err();
    assert!(err.0.contains("a/notes.txt"), "{err}");
    assert!(err.0.contains("drafts"), "{err}");
    assert!(err.0.contains("--output"), "a hint: {err}");
    assert_eq!(tree(parent), before, "the site and the files stay");
    // Twelve of them: ten are named, the rest counted.
    for i in 0..10 {
        fs::write(target.join(format!("extra-{i:02}.txt")), "mine").unwrap();
    }
    let err = write_site(&target, &[page("b/index.html", "second")], None).unwrap_err();
    assert!(err.0.contains("og 2 flere"), "{err}");
    // Moved out, the build goes ahead.
    fs::remove_file(target.join("a/notes.txt")).unwrap();
    fs::remove_dir_all(target.join("drafts")).unwrap();
    for i in 0..10 {
        fs::remove_file(target.join(format!("extra-{i:02}.txt"))).unwrap();
    }
    write_site(&target, &[page("b/index.html", "second")], None).unwrap();
    assert_eq!(names_in(&target), [MANIFEST, MARKER, "b"]);
    assert_eq!(names_in(parent), ["site"]);
}

#[test]
fn a_replaced_site_leaves_nothing_beside_the_output() {
    let parent = Fixture::empty();
    let parent = parent.root();
    let target = parent.join("site");
    write_site(&target, &[page("a/index.html", "first")], None).unwrap();
    write_site(&target, &[page("b/c/index.html", "second")], None).unwrap();
    write_site(&target, &[page("b/index.html", "third")], None).unwrap();
    assert_eq!(names_in(parent), ["site"]);
    assert_eq!(names_in(&target), [MANIFEST, MARKER, "b"]);
    assert_eq!(
        fs::read_to_string(target.join("b/index.html")).unwrap(),
        "third"
    );
    // A failed build leaves nothing either.
    write_site(&target, &[page("x", "1"), page("x", "2")], None).unwrap_err();
    assert_eq!(names_in(parent), ["site"]);
}
