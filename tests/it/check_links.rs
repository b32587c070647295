//! A link in prose to a page the site does not have is one warning, told alike by
//! `kvalitet check` (text and JSON), by `kvalitet build`'s summary line and by the built check
//! report `/tjek/`: the editor never sees one count in one place and another elsewhere.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const BROKEN: &str = "[klage](../findes-ikke/)";
const MESSAGE: &str = "Linket «../findes-ikke/» fører ikke til en side på sitet";

use crate::fixture::Fixture;

/// Puts the broken link into Odsherred's `future.text` and returns the line it is on.
fn break_a_link(root: &Path) -> usize {
    let path = root.join("content/odsherred.toml");
    let text = fs::read_to_string(&path).unwrap();
    let from = "[future]\ntext = \"\"\"\n";
    assert!(text.contains(from), "odsherred.toml has no future.text");
    let to = format!("{from}Læs om, hvordan du kan {BROKEN}.\n\n");
    fs::write(&path, text.replacen(from, &to, 1)).unwrap();
    text[..text.find(from).unwrap()].lines().count() + 3
}

/// Runs the kvalitet binary in `root`, where it finds `content/` and `themes/`.
fn kvalitet(root: &Path, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_kvalitet"))
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        output.status.code().is_some_and(|c| c == 0 || c == 1),
        "kvalitet {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// The warnings as each reader tells them, with how often each names the broken link.
struct Told {
    warnings: usize,
    broken: usize,
}

/// The number before `word` in the first line of `text` that has `prefix`.
fn number_before(text: &str, prefix: &str, word: &str) -> usize {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?} in:\n{text}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = words
        .iter()
        .position(|w| w.trim_end_matches([',', '.']) == word)
        .unwrap_or_else(|| panic!("no {word:?} in {line:?}"));
    words[at - 1].parse().unwrap()
}

fn check_text(root: &Path) -> Told {
    let text = stdout(&kvalitet(root, &["check"]));
    Told {
        warnings: number_before(&text, "I alt:", "advarsler"),
        broken: text.matches(MESSAGE).count(),
    }
}

fn check_json(root: &Path) -> (Told, serde_json::Value) {
    let out = kvalitet(root, &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let broken: Vec<serde_json::Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["message"] == MESSAGE)
        .cloned()
        .collect();
    let told = Told {
        warnings: json["counts"]["warnings"].as_u64().unwrap() as usize,
        broken: broken.len(),
    };
    (told, serde_json::Value::Array(broken))
}

/// The warnings `kvalitet build`'s summary line counts (it names no single finding), and what
/// the built `/tjek/` page tells.
fn build(root: &Path) -> (usize, Told) {
    let _ = fs::remove_dir_all(root.join("output"));
    let out = kvalitet(root, &["build"]);
    let summary = stdout(&out);
    let page = fs::read_to_string(root.join("output/tjek/index.html")).unwrap();
    // The page escapes `/` in messages as Tera does.
    let on_page = MESSAGE.replace('/', "&#x2F;");
    (
        number_before(&summary, "Tjekket mod loven:", "advarsler"),
        Told {
            warnings: number_before(&page, "<p>Tjekket er lavet", "advarsler"),
            broken: page.matches(&on_page).count() + page.matches(MESSAGE).count(),
        },
    )
}

#[test]
fn check_reports_a_broken_internal_link_with_file_and_line_as_build_and_tjek_do() {
    let root = Fixture::bundled();
    let root = root.root();
    let before = check_text(root).warnings;
    let line = break_a_link(root);

    let (json, broken) = check_json(root);
    assert_eq!(json.broken, 1, "check --format json: {broken:#}");
    let f = &broken[0];
    assert_eq!(f["rule"], "LINK", "{f:#}");
    assert_eq!(f["severity"], "warning", "{f:#}");
    assert_eq!(f["municipality"], "odsherred", "{f:#}");
    assert!(
        f["file"].as_str().unwrap().ends_with("odsherred.toml"),
        "{f:#}"
    );
    assert_eq!(f["line"], line, "{f:#}");
    assert_eq!(f["key"], "future.text", "{f:#}");
    assert_eq!(json.warnings, before + 1, "one warning more than before");

    let text = check_text(root);
    let (summary, page) = build(root);
    assert_eq!(
        [text.warnings, summary, page.warnings],
        [json.warnings; 3],
        "warnings in check's text, the build summary and /tjek/"
    );
    assert_eq!(text.broken, 1, "check's text names the link once");
    assert_eq!(page.broken, 1, "/tjek/ names the link once");
}
