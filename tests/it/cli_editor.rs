//! The command line in an editor's words: help with no English in it, `check` limited to the
//! municipalities named, and a build summary that tells the site was built apart from what the
//! legal check found.

use std::process::Command;

use crate::fixture::{Fixture, repo};

fn kvalitet(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kvalitet"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn both(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Words clap writes in English unless told otherwise.
const CLAP_ENGLISH: &[&str] = &[
    "Usage",
    "Options",
    "Commands",
    "Arguments",
    "Print",
    "[default",
    "[possible values",
    "OPTIONS",
    "COMMAND>",
    "error:",
    "see more",
    "unexpected",
    "tip:",
    "For more information",
    "invalid value",
    "required",
];

#[test]
fn help_and_errors_have_no_english() {
    let calls: &[&[&str]] = &[
        &["--help"],
        &["-h"],
        &["build", "--help"],
        &["build", "-h"],
        &["new", "--help"],
        &["check", "--help"],
        &["check", "-h"],
        &["serve", "--help"],
        &[],
        &["chek"],
        &["build", "--bogus"],
        &["check", "--format", "xml"],
        &["check", "--date", "nej"],
        &["serve", "--port", "nej"],
        &["new"],
        &["help"],
    ];
    for args in calls {
        let out = kvalitet(args);
        let text = both(&out);
        for word in CLAP_ENGLISH {
            assert!(
                !text.contains(word),
                "kvalitet {args:?}: {word:?} in\n{text}"
            );
        }
        let help = args.contains(&"--help") || args.contains(&"-h");
        assert_eq!(
            out.status.code(),
            Some(if help { 0 } else { 2 }),
            "{args:?}: {text}"
        );
    }
    let version = kvalitet(&["--version"]);
    assert!(version.status.success());
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("kvalitet "));
}

#[test]
fn check_is_limited_to_the_municipalities_named() {
    let f = Fixture::empty();
    f.write("site.toml", "title = \"Hjælp\"\n");
    f.write("aeroe.toml", "name = \"Ærø Kommune\"\n");
    f.write("aarhus.toml", "name = \"Aarhus Kommune\"\n");
    let content = f.content();
    let content = content.to_str().unwrap();
    for name in ["aeroe", "Ærø", "ÆRØ KOMMUNE", "ærø kommune"] {
        let out = kvalitet(&["check", "--content", content, name]);
        let text = both(&out);
        assert_eq!(out.status.code(), Some(1), "{name}: {text}");
        assert!(
            text.contains("Ærø (") && !text.contains("Aarhus"),
            "{name}: {text}"
        );
    }
    let all = both(&kvalitet(&["check", "--content", content]));
    assert!(all.contains("Ærø (") && all.contains("Aarhus ("));
    let both_named = both(&kvalitet(&[
        "check",
        "--content",
        content,
        "aarhus",
        "aeroe",
    ]));
    assert!(both_named.contains("Ærø (") && both_named.contains("Aarhus ("));

    let unknown = kvalitet(&["check", "--content", content, "nyborg"]);
    assert_eq!(unknown.status.code(), Some(2));
    let text = String::from_utf8_lossy(&unknown.stderr);
    assert!(text.contains("«nyborg»"), "{text}");
    assert!(text.contains("aeroe (Ærø Kommune)") && text.contains("aarhus (Aarhus Kommune)"));
    assert!(unknown.stdout.is_empty());
}

#[test]
fn the_build_says_it_built_and_what_the_check_found_apart() {
    let f = Fixture::empty();
    let out_dir = f.root().join("output");
    let out = kvalitet(&[
        "build",
        "--content",
        repo().join("content").to_str().unwrap(),
        "--output",
        out_dir.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("Hjemmesiden er bygget: "), "{text}");
    assert!(!text.contains("(0 advarsler)"), "{text}");
    let check_line = text
        .lines()
        .find(|l| l.starts_with("Tjekket mod loven"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(check_line.contains("kvalitet check") && check_line.contains("/tjek/"));
}

#[test]
fn check_shows_an_empty_text_as_a_warning_at_its_line() {
    let f = Fixture::empty();
    f.write("site.toml", "title = \"Hjælp\"\n");
    f.write(
        "aeroe.toml",
        "name = \"Ærø Kommune\"\norganisation = \"\"\n",
    );
    let out = kvalitet(&["check", "--content", f.content().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("advarsel: Feltet «organisation» er tomt"),
        "{stderr}"
    );
    assert!(stderr.contains("aeroe.toml:2:1"), "{stderr}");
}
