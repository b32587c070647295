use super::*;

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn page(path: &str, html: &str) -> Page {
    Page {
        path: path.to_string(),
        html: html.to_string(),
    }
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_make() {
    let dir = temp();
    let target = dir.path().join("documents");
    fs::create_dir_all(&target).unwrap();
    fs::write(target.join("letter.txt"), "keep me").unwrap();
    let err = write_site(&target, &[page("index.html", "x")], None).unwrap_err();
    assert!(err.0.contains("ikke lavet af kvalitet"), "{err}");
    assert_eq!(
        fs::read_to_string(target.join("letter.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(
        names_in(dir.path()),
        ["documents"],
        "no temporary folder left"
    );
}

#[test]
fn refuses_to_replace_a_file() {
    let dir = temp();
    let target = dir.path().join("site");
    fs::write(&target, "a file").unwrap();
    assert!(write_site(&target, &[], None).is_err());
    assert_eq!(fs::read_to_string(&target).unwrap(), "a file");
    assert_eq!(names_in(dir.path()), ["site"]);
}

#[test]
fn replaces_an_empty_folder() {
    let dir = temp();
    let target = dir.path().join("site");
    fs::create_dir_all(&target).unwrap();
    write_site(&target, &[page("index.html", "x")], None).unwrap();
    assert_eq!(names_in(&target), [MANIFEST, MARKER, "index.html"]);
    assert_eq!(names_in(dir.path()), ["site"]);
}

#[test]
fn the_listing_removes_the_old_site_but_never_reaches_outside_it() {
    let dir = temp();
    let target = dir.path().join("site");
    write_site(&target, &[page("a/b/index.html", "first")], None).unwrap();
    let listing = fs::read_to_string(target.join(MANIFEST)).unwrap();
    assert_eq!(
        listing,
        format!("a/b/index.html\n{MARKER}\n{MANIFEST}\n"),
        "sorted, with our own two"
    );
    let outside = dir.path().join("outside.txt");
    fs::write(&outside, "keep me").unwrap();
    fs::write(
        target.join(MANIFEST),
        format!("{listing}../outside.txt\n{}\n", outside.display()),
    )
    .unwrap();
    write_site(&target, &[page("c/index.html", "second")], None).unwrap();
    assert_eq!(fs::read_to_string(&outside).unwrap(), "keep me");
    assert_eq!(names_in(&target), [MANIFEST, MARKER, "c"]);
    assert_eq!(names_in(dir.path()), ["outside.txt", "site"]);
}

#[test]
fn a_folder_of_the_old_site_swapped_for_a_link_stops_the_swap_and_nothing_behind_it_goes() {
    let dir = temp();
    let target = dir.path().join("site");
    write_site(&target, &[page("a/b/index.html", "first")], None).unwrap();
    // Someone's folder, which holds a file of the same name as the listed one.
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir_all(elsewhere.join("b")).unwrap();
    fs::write(elsewhere.join("b/index.html"), "keep me").unwrap();
    fs::remove_dir_all(target.join("a")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, target.join("a")).unwrap();
    let err = write_site(&target, &[page("c/index.html", "second")], None).unwrap_err();
    assert!(err.0.contains("ikke har skrevet: a"), "{err}");
    assert_eq!(
        fs::read_to_string(elsewhere.join("b/index.html")).unwrap(),
        "keep me"
    );
    assert!(fs::symlink_metadata(target.join("a")).unwrap().is_symlink());
}

#[test]
fn the_published_folder_is_as_readable_as_any_new_folder() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp();
    let target = dir.path().join("site");
    write_site(&target, &[page("index.html", "x")], None).unwrap();
    let plain = dir.path().join("plain");
    fs::create_dir(&plain).unwrap();
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode();
    assert_eq!(mode(&target), mode(&plain));
}

#[test]
fn theme_symlinks_are_skipped_not_followed() {
    let dir = temp();
    let theme = dir.path().join("static");
    fs::create_dir_all(theme.join("css")).unwrap();
    fs::write(theme.join("css/site.css"), "body{}").unwrap();
    fs::write(dir.path().join("secret.txt"), "secret").unwrap();
    std::os::unix::fs::symlink(dir.path().join("secret.txt"), theme.join("secret.txt")).unwrap();
    std::os::unix::fs::symlink(dir.path(), theme.join("up")).unwrap();
    let target = dir.path().join("site");
    let stats = write_site(&target, &[], Some(&Statics::Folder(theme))).unwrap();
    assert_eq!(stats.static_files, 1);
    assert_eq!(names_in(&target), [MANIFEST, MARKER, "css"]);
}

#[test]
fn a_dead_build_s_folder_is_removed_and_a_live_one_is_not() {
    let dir = temp();
    let target = dir.path().join("site");
    write_site(&target, &[page("index.html", "first")], None).unwrap();
    // A build that is running: its folder is locked.
    let live = SiteWriter::begin(&target, None).unwrap();
    live.write_page(&page("index.html", "live")).unwrap();
    // A build that died: its folder is marked, and nobody holds its lock.
    let dead = dir.path().join(".site.new-dead01");
    fs::create_dir_all(dead.join("a")).unwrap();
    fs::write(dead.join(MARKER), MARKER_TEXT).unwrap();
    fs::write(dead.join("a/index.html"), "half").unwrap();
    // A build that died before its marker: its folder is empty.
    fs::create_dir_all(dir.path().join(".site.new-empty1")).unwrap();
    write_site(&target, &[page("index.html", "second")], None).unwrap();
    let names = names_in(dir.path());
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].starts_with(".site.new-"), "{names:?}");
    assert_eq!(names[1], "site");
    live.finish().unwrap();
    assert_eq!(names_in(dir.path()), ["site"]);
    assert_eq!(
        fs::read_to_string(target.join("index.html")).unwrap(),
        "live"
    );
}

#[test]
fn older_layouts_debris_is_removed_when_it_is_ours() {
    let dir = temp();
    let target = dir.path().join("site");
    write_site(&target, &[page("index.html", "first")], None).unwrap();
    for name in [".site.previous", ".site.new-123-456", ".site.old-123-456"] {
        let old = dir.path().join(name);
        fs::create_dir_all(old.join("a")).unwrap();
        fs::write(old.join(MARKER), MARKER_TEXT).unwrap();
        fs::write(old.join("a/index.html"), "old").unwrap();
        fs::write(
            old.join(MANIFEST),
            format!("a/index.html\n{MARKER}\n{MANIFEST}\n"),
        )
        .unwrap();
    }
    // Not ours: no marker.
    let theirs = dir.path().join(".site.old-mine");
    fs::create_dir_all(&theirs).unwrap();
    fs::write(theirs.join("letter.txt"), "keep me").unwrap();
    // Ours, but holding a file the listing does not name: that file stays.
    let stray = dir.path().join(".site.old-1-2");
    fs::create_dir_all(&stray).unwrap();
    fs::write(stray.join(MARKER), MARKER_TEXT).unwrap();
    fs::write(stray.join(MANIFEST), format!("{MARKER}\n{MANIFEST}\n")).unwrap();
    fs::write(stray.join("notes.txt"), "keep me too").unwrap();
    write_site(&target, &[page("index.html", "second")], None).unwrap();
    assert_eq!(
        names_in(dir.path()),
        [".site.old-1-2", ".site.old-mine", "site"]
    );
    assert_eq!(names_in(&theirs), ["letter.txt"]);
    assert_eq!(names_in(&stray), [MANIFEST, MARKER, "notes.txt"]);
}

#[test]
fn a_file_put_into_the_output_during_the_build_stops_the_swap() {
    let dir = temp();
    let target = dir.path().join("site");
    write_site(&target, &[page("a/index.html", "first")], None).unwrap();
    let writer = SiteWriter::begin(&target, None).unwrap();
    writer.write_page(&page("a/index.html", "second")).unwrap();
    fs::write(target.join("a/notes.txt"), "mine").unwrap();
    let err = writer.finish().unwrap_err();
    assert!(err.0.contains("a/notes.txt"), "{err}");
    assert_eq!(
        fs::read_to_string(target.join("a/index.html")).unwrap(),
        "first"
    );
    assert_eq!(
        fs::read_to_string(target.join("a/notes.txt")).unwrap(),
        "mine"
    );
    assert_eq!(names_in(dir.path()), ["site"]);
}

#[test]
fn a_folder_named_like_the_kept_site_that_is_not_ours_is_left_alone() {
    let dir = temp();
    let target = dir.path().join("site");
    let theirs = dir.path().join(".site.previous");
    fs::create_dir_all(&theirs).unwrap();
    fs::write(theirs.join("letter.txt"), "keep me").unwrap();
    write_site(&target, &[page("a/index.html", "first")], None).unwrap();
    write_site(&target, &[page("a/index.html", "second")], None).unwrap();
    assert_eq!(names_in(&theirs), ["letter.txt"]);
    assert_eq!(names_in(dir.path()), [".site.previous", "site"]);
}

#[test]
fn a_site_renamed_aside_by_a_dead_build_is_put_back_before_the_next_one() {
    let dir = temp();
    let target = dir.path().join("site");
    write_site(&target, &[page("index.html", "good")], None).unwrap();
    // As if the build died between renaming the old site aside and the new one in.
    fs::rename(&target, dir.path().join(".site.old-abc123")).unwrap();
    let writer = SiteWriter::begin(&target, None).unwrap();
    assert_eq!(
        fs::read_to_string(target.join("index.html")).unwrap(),
        "good"
    );
    drop(writer);
    assert_eq!(names_in(dir.path()), ["site"]);
}

#[test]
fn paths_are_inside_only_in_one_spelling() {
    for good in ["index.html", "a/b/index.html", ".kvalitet-x", "a..b/c"] {
        assert!(is_inside(good), "{good}");
    }
    for bad in [
        "", "/", "/a", "a/", "a//b", ".", "./a", "a/./b", "..", "../a", "a/../b", "a\0b",
    ] {
        assert!(!is_inside(bad), "{bad:?}");
    }
}

#[test]
fn each_folder_of_a_listing_once_and_deepest_first() {
    // Names that sort between a folder and its files ('-' and '.' come before '/'), in the
    // order a build that stopped early lists them, and sorted as listings are.
    let unsorted = [
        "a/b/x/index.html",
        "a/b-c/index.html",
        "index.html",
        "a/b/y/index.html",
        "a/b.d/e/index.html",
        "a/b/index.html",
        "f/index.html",
    ];
    let mut sorted = unsorted;
    sorted.sort_unstable();
    for files in [unsorted, sorted] {
        let folders = folders_of(&files);
        let mut expected: Vec<&str> = files
            .iter()
            .flat_map(|f| f.match_indices('/').map(move |(i, _)| &f[..i]))
            .collect();
        expected.sort_unstable();
        expected.dedup();
        let mut once = folders.clone();
        once.sort_unstable();
        assert_eq!(once, expected, "every folder, each once: {folders:?}");
        let depth = |f: &str| f.matches('/').count();
        assert!(
            folders.windows(2).all(|w| depth(w[0]) >= depth(w[1])),
            "deepest first: {folders:?}"
        );
    }
}
