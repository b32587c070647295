//! Hostile and careless content never panics, never touches a file outside the output, never
//! publishes a live script link, and always gets a located Danish message or a clean build.
//!
//! The corpus is `tests/malformed/` (written by `make_corpus.py` there; its header says what
//! each prefix expects). Cases that cannot live in git as plain files (symlinks, very large
//! files) are made here. A bounded random-mutation test ("fuzz") runs last, for
//! `KVALITET_FUZZ_SECONDS` seconds (3 by default).

use std::collections::BTreeMap;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kvalitet::build::{BuildOptions, build, check_content};
use kvalitet::diagnostic::Diagnostic;
use kvalitet::output::copy_tree;
use kvalitet::pipeline::load_content;

use crate::fixture::{Fixture, repo, tree};

/// Words that show a message was left in English.
const ENGLISH: [&str; 14] = [
    "expected",
    "invalid",
    "found",
    "unknown",
    "missing",
    "error",
    "while ",
    "the ",
    "failed",
    "no such file",
    "permission denied",
    "not a ",
    "cannot",
    "unexpected",
];

fn english_in(d: &Diagnostic) -> Option<&'static str> {
    let text = format!(
        "{} {} {}",
        d.message,
        d.expected.as_deref().unwrap_or(""),
        d.hint.as_deref().unwrap_or("")
    )
    .to_lowercase();
    // What the editor wrote is quoted between « and »: it may be in any language.
    let mut own = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '«' => depth += 1,
            '»' => depth = depth.saturating_sub(1),
            c if depth == 0 => own.push(c),
            _ => {}
        }
    }
    ENGLISH.iter().copied().find(|w| own.contains(w))
}

/// The HTML attribute values that become link targets on a page.
fn link_targets(html: &str) -> Vec<String> {
    let mut targets = Vec::new();
    for attribute in ["href=\"", "src=\"", "action=\"", "url="] {
        let mut rest = html;
        while let Some(at) = rest.find(attribute) {
            rest = &rest[at + attribute.len()..];
            let end = rest.find(['"', '>']).unwrap_or(rest.len());
            targets.push(
                rest[..end]
                    .replace("&amp;", "&")
                    .replace("&quot;", "\"")
                    .replace("&#x27;", "'")
                    .replace("&#39;", "'"),
            );
        }
    }
    targets
}

/// Checks every page below `out`: no unsafe link target, no control character from content.
fn assert_pages_safe(case: &str, out: &Path) {
    for (path, bytes) in tree(out) {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        for target in link_targets(&html) {
            assert!(
                kvalitet::url::is_safe(&target),
                "{case}: {} publishes the link target {target:?}",
                path.display()
            );
        }
        assert!(
            !html.contains('\u{1}'),
            "{case}: {} holds an internal mark",
            path.display()
        );
    }
}

/// A content folder and an output folder in a throw-away root, with a file beside them that
/// nothing may touch.
struct Stage {
    _root: Fixture,
    top: PathBuf,
    content: PathBuf,
    output: PathBuf,
}

impl Stage {
    /// `full`: the bundled content; otherwise `site.toml` and one valid municipality.
    fn new(full: bool) -> Stage {
        let root = Fixture::empty();
        let top = root.root().join("work");
        let content = top.join("content");
        fs::create_dir_all(&content).unwrap();
        if full {
            copy_tree(&repo().join("content"), &content).unwrap();
        } else {
            fs::copy(repo().join("content/site.toml"), content.join("site.toml")).unwrap();
            fs::copy(
                repo().join("tests/golden/_valid.toml.txt"),
                content.join("proeve.toml"),
            )
            .unwrap();
        }
        fs::write(top.join("keep-me.txt"), "nothing may change this").unwrap();
        fs::create_dir_all(top.join("index.html")).unwrap();
        fs::write(top.join("index.html/keep-me.txt"), "nor this").unwrap();
        let output = top.join("output");
        let stage = Stage {
            _root: root,
            top,
            content,
            output,
        };
        let first = stage.build();
        assert!(first.is_ok(), "the base content builds: {first:?}");
        stage
    }

    fn options(&self) -> BuildOptions {
        BuildOptions::new(&self.content, repo().join("themes"))
    }

    fn build(&self) -> Result<(), Vec<Diagnostic>> {
        build(&self.options(), &self.output).map(drop)
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Expect {
    /// Located Danish errors in the case's own files.
    Error,
    /// A clean build with no unsafe link, and a check finding at the link's line.
    Link,
    /// Either of the two above.
    Any,
}

/// Runs one case: `files` are laid into the content folder (a `None` body removes the file),
/// `links` makes symlinks in it (name -> target).
fn run_case(
    case: &str,
    expect: Expect,
    full: bool,
    files: &[(String, Vec<u8>)],
    links: &[(&str, PathBuf)],
) {
    let stage = Stage::new(full);
    let mut own: Vec<PathBuf> = Vec::new();
    for (name, bytes) in files {
        fs::write(stage.content.join(name), bytes).unwrap();
        own.push(stage.content.join(name));
    }
    for (name, target) in links {
        std::os::unix::fs::symlink(target, stage.content.join(name)).unwrap();
        own.push(stage.content.join(name));
    }
    let before = tree(&stage.top);
    let result = catch_unwind(AssertUnwindSafe(|| stage.build()))
        .unwrap_or_else(|_| panic!("{case}: the build panicked"));
    let after = tree(&stage.top);
    match result {
        Err(errors) => {
            assert!(
                expect != Expect::Link,
                "{case}: expected a clean build, got {errors:#?}"
            );
            assert!(
                errors.iter().any(Diagnostic::is_error),
                "{case}: failed with no error"
            );
            for d in errors.iter().filter(|d| d.is_error()) {
                // A collision may be told at the other file's line, naming the case's file.
                let in_case = own.contains(&d.file) || (full && d.file.starts_with(&stage.content));
                assert!(in_case, "{case}: the error is not in the case's files: {d}");
                assert!(
                    expect != Expect::Error || d.line.is_some(),
                    "{case}: the error has no line: {d}"
                );
                if let Some(word) = english_in(d) {
                    panic!("{case}: English ({word:?}) in a message for editors: {d}");
                }
            }
            assert!(
                before == after,
                "{case}: a failed build changed files: {:?}",
                changed(&before, &after)
            );
        }
        Ok(()) => {
            assert!(
                expect != Expect::Error,
                "{case}: the build succeeded, but the content is wrong"
            );
            let outside = |s: &BTreeMap<PathBuf, Vec<u8>>| {
                s.iter()
                    .filter(|(p, _)| !p.starts_with("output"))
                    .map(|(p, b)| (p.clone(), b.clone()))
                    .collect::<BTreeMap<_, _>>()
            };
            assert!(
                outside(&before) == outside(&after),
                "{case}: the build changed files outside the output: {:?}",
                changed(&before, &after)
            );
            assert_pages_safe(case, &stage.output);
            let content = load_content(&stage.content).unwrap();
            let report = check_content(&content);
            if expect == Expect::Link {
                let found = report
                    .findings()
                    .iter()
                    .any(|f| own.contains(&f.file) && f.line.is_some() && f.is_error());
                assert!(
                    found,
                    "{case}: check reports no error at the unsafe link's line: {:#?}",
                    report.findings()
                );
            }
        }
    }
}

fn changed(
    before: &BTreeMap<PathBuf, Vec<u8>>,
    after: &BTreeMap<PathBuf, Vec<u8>>,
) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = before
        .iter()
        .filter(|(p, b)| after.get(*p) != Some(*b))
        .map(|(p, _)| p.clone())
        .collect();
    paths.extend(after.keys().filter(|p| !before.contains_key(*p)).cloned());
    paths
}

trait IsError {
    fn is_error(&self) -> bool;
}

impl IsError for kvalitet::check::Finding {
    fn is_error(&self) -> bool {
        self.severity == kvalitet::diagnostic::Severity::Error
    }
}

fn expectation(name: &str) -> Expect {
    if name.starts_with("err-") {
        Expect::Error
    } else if name.starts_with("link-") {
        Expect::Link
    } else {
        assert!(name.starts_with("any-"), "unknown prefix: {name}");
        Expect::Any
    }
}

#[test]
fn every_case_of_the_corpus_gives_a_located_danish_error_or_a_clean_build() {
    let dir = repo().join("tests/malformed");
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            ["err-", "link-", "any-"]
                .iter()
                .any(|p| name.starts_with(p))
                && (p.is_dir() || name.ends_with(".toml"))
        })
        .collect();
    cases.sort();
    assert!(cases.len() >= 100, "the corpus has {} cases", cases.len());
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let expect = expectation(&name);
        if case.is_dir() {
            let files: Vec<(String, Vec<u8>)> = fs::read_dir(case)
                .unwrap()
                .map(|e| {
                    let e = e.unwrap();
                    let file = e.file_name().to_string_lossy().into_owned();
                    (file, fs::read(e.path()).unwrap())
                })
                .collect();
            run_case(&name, expect, true, &files, &[]);
        } else {
            let files = [(name.clone(), fs::read(case).unwrap())];
            run_case(&name, expect, false, &files, &[]);
        }
    }
}

#[test]
fn symlinks_out_of_the_content_folder_are_refused_and_never_read() {
    let outside = Fixture::empty();
    let secret = outside.root().join("hemmelig.toml");
    fs::write(&secret, "name = \"HEMMELIGT-INDHOLD\"\n").unwrap();
    for (case, target) in [
        ("link-to-passwd", PathBuf::from("/etc/passwd")),
        ("link-to-environ", PathBuf::from("/proc/self/environ")),
        ("link-to-outside", secret.clone()),
        ("link-up", PathBuf::from("../keep-me.txt")),
        ("link-dangling", PathBuf::from("../../findes-ikke.toml")),
    ] {
        let stage = Stage::new(false);
        std::os::unix::fs::symlink(&target, stage.content.join("zz.toml")).unwrap();
        let before = tree(&stage.top);
        let result = catch_unwind(AssertUnwindSafe(|| stage.build()))
            .unwrap_or_else(|_| panic!("{case}: the build panicked"));
        let errors = result.expect_err(case);
        let shown: String = errors.iter().map(|d| d.to_string()).collect();
        assert!(
            errors.iter().any(|d| d.file.ends_with("zz.toml")),
            "{case}: {shown}"
        );
        for leak in ["root:", "HEMMELIGT", "PATH=", "nothing may"] {
            assert!(
                !shown.contains(leak),
                "{case} shows what it points to: {shown}"
            );
        }
        assert!(before == tree(&stage.top), "{case}: files changed");
    }
}

#[test]
fn huge_and_endless_files_cost_bounded_time_and_output() {
    let long_line = format!("name = \"{}\n", "x".repeat(1 << 20));
    let broken_lines = "x\n".repeat(64_000);
    let cr_only = fs::read_to_string(repo().join("content/holbaek.toml"))
        .unwrap()
        .replace('\n', "\r")
        + "\rbroken = \r";
    // Strings and pasted quotes by the hundred thousand on one line, and a table written twice
    // followed by 64,000 keys written twice: finding the string left open, a pasted character
    // and the first of two keys must each read a line once.
    let many_strings = format!(
        "name = \"x\"\nb = {}\nc = \"{}“\n",
        "\"\"\"a\"\"\" ".repeat(100_000),
        "\" \"".repeat(100_000)
    );
    let twice = format!(
        "name = \"x\"\n[tasks]\ntext = \"a\"\n[tasks]\n{}",
        "text = \"b\"\n".repeat(64_000)
    );
    for (case, text) in [
        ("one-megabyte-line", long_line),
        ("64000-broken-lines", broken_lines),
        ("cr-only", cr_only),
        ("many-strings-on-one-line", many_strings),
        ("64000-keys-twice", twice),
    ] {
        let stage = Stage::new(false);
        fs::write(stage.content.join("stor.toml"), &text).unwrap();
        let started = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| stage.build()))
            .unwrap_or_else(|_| panic!("{case}: the build panicked"));
        // Generous for a debug build on a busy machine; quadratic reporting took 30 s.
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{case}: {:?}",
            started.elapsed()
        );
        if let Err(errors) = result {
            let shown: usize = errors.iter().map(|d| d.to_string().len()).sum();
            assert!(
                shown < 64 * 1024,
                "{case}: {shown} bytes of messages for one file"
            );
        }
    }
}

/// A small deterministic generator (xorshift), so a failure names a seed to replay.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Changes `bytes` the ways a careless save, a paste or an attacker would.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    const PIECES: [&[u8]; 12] = [
        b"\"",
        b"\"\"\"",
        b"[",
        b"[[offers]]\n",
        b" = ",
        b"\n",
        b"javascript:alert(1)",
        b"](javascript:alert(1))",
        b"\\u0001ROOT\\u0001",
        b"\xc3",
        b"99999999999999999999",
        b"serves = [\"!!!\"]\n",
    ];
    for _ in 0..=rng.below(3) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(4) {
            0 if !bytes.is_empty() => {
                let end = (at + rng.below(64)).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            1 if at < bytes.len() => bytes[at] = rng.next() as u8,
            2 => {
                let piece = PIECES[rng.below(PIECES.len())];
                bytes.splice(at..at, piece.iter().copied());
            }
            _ => {
                let from = rng.below(bytes.len());
                let end = (from + rng.below(200)).min(bytes.len());
                let copy = bytes[from..end].to_vec();
                bytes.splice(at..at, copy);
            }
        }
    }
}

#[test]
fn random_mutations_of_real_files_never_panic_or_publish_a_script_link() {
    let seconds: u64 = std::env::var("KVALITET_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let sources: Vec<Vec<u8>> = ["holbaek", "fredericia", "odsherred"]
        .iter()
        .map(|m| fs::read(repo().join(format!("content/{m}.toml"))).unwrap())
        .collect();
    let stage = Stage::new(false);
    let file = stage.content.join("proeve.toml");
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut runs = 0u64;
    let mut seed = 0x5EED_1477u64;
    while Instant::now() < deadline && runs < 10_000 {
        seed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut rng = Rng(seed | 1);
        let mut bytes = sources[rng.below(sources.len())].clone();
        mutate(&mut rng, &mut bytes);
        fs::write(&file, &bytes).unwrap();
        let result = catch_unwind(AssertUnwindSafe(|| stage.build()))
            .unwrap_or_else(|_| panic!("seed {seed:#x}: the build panicked"));
        match result {
            Ok(()) => assert_pages_safe(&format!("seed {seed:#x}"), &stage.output),
            Err(errors) => {
                for d in errors.iter().filter(|d| d.is_error()) {
                    assert_eq!(d.file, file, "seed {seed:#x}: {d}");
                    if let Some(word) = english_in(d) {
                        panic!("seed {seed:#x}: English ({word:?}) for editors: {d}");
                    }
                }
            }
        }
        runs += 1;
    }
    assert!(runs > 0, "no mutation was tried");
    assert_eq!(
        fs::read_to_string(stage.top.join("keep-me.txt")).unwrap(),
        "nothing may change this"
    );
    eprintln!("fuzz: {runs} mutations in {seconds} s");
}
