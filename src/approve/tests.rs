use super::*;

fn request(case: Option<&str>, url: Option<&str>) -> Request {
    Request {
        content: PathBuf::from("content"),
        municipality: "x".into(),
        date: "2024-12-17".into(),
        by: "Byrådet".into(),
        case_number: case.map(str::to_string),
        decision_url: url.map(str::to_string),
        today: None,
    }
}

fn date() -> PartialDate {
    PartialDate::parse("2024-12-17").unwrap()
}

const FILE: &str = r#"# Holbæk
name = "Holbæk Kommune"   # the name

[tasks]
text = """
[approval] is not a header here
"""

# Before the approval.
[approval]
dated = "2023-06"  # from the cover
# Who approved it.
approved_by = "Udvalget"   # old body
next_revision = "2026-12"

# (§4) Offers.
[[offers]]
title = "A"

[offers.extra]
x = 1
"#;

#[test]
fn the_approval_replaces_values_and_keeps_everything_else() {
    let new = with_approval(FILE, &date(), "Byrådet", &request(Some("01.02"), None)).unwrap();
    assert_eq!(outside_approval(&new), outside_approval(FILE));
    assert!(
        new.contains("approved_by = \"Byrådet\"   # old body\n"),
        "{new}"
    );
    assert!(new.contains("dated = \"2023-06\"  # from the cover\n# Who approved it.\n"));
    assert!(new.contains("approved_on = 2024-12-17\n"), "{new}");
    assert!(new.contains("case_number = \"01.02\"\n"), "{new}");
    assert!(!new.contains("decision_url"));
    let parsed: toml::Table = toml::from_str(&new).unwrap();
    assert_eq!(
        parsed["approval"]["approved_on"].to_string(),
        "2024-12-17",
        "a TOML date, not a string"
    );
}

#[test]
fn the_approval_table_is_cut_from_its_header_to_the_next() {
    let outside = outside_approval(FILE);
    assert!(outside.contains("[approval] is not a header here"));
    assert!(!outside.contains("dated"));
    assert!(outside.contains("# Before the approval.\n\n# (§4) Offers.\n[[offers]]"));
}

#[test]
fn a_file_without_approval_gets_the_table_at_its_end() {
    let text = "name = \"Holbæk Kommune\"\n\n[tasks]\ntext = \"x\"\n";
    let new = with_approval(
        text,
        &date(),
        "Byrådet",
        &request(None, Some("https://a.dk/r")),
    )
    .unwrap();
    assert!(new.starts_with(text), "{new}");
    let parsed: toml::Table = toml::from_str(&new).unwrap();
    assert_eq!(parsed["approval"]["approved_by"].as_str(), Some("Byrådet"));
    assert_eq!(
        parsed["approval"]["decision_url"].as_str(),
        Some("https://a.dk/r")
    );
}

#[test]
fn windows_line_ends_stay() {
    let text = FILE.replace('\n', "\r\n");
    let new = with_approval(&text, &date(), "Byrådet", &request(Some("7"), None)).unwrap();
    assert_eq!(outside_approval(&new), outside_approval(&text));
    assert!(!new.replace("\r\n", "").contains('\n'), "{new:?}");
}

#[test]
fn a_byte_order_mark_stays() {
    let text = format!("\u{feff}{FILE}");
    match with_approval(&text, &date(), "Byrådet", &request(None, None)) {
        Ok(new) => {
            assert!(new.starts_with('\u{feff}'));
            assert_eq!(outside_approval(&new), outside_approval(&text));
        }
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn old_mac_line_ends_are_refused_with_a_hint() {
    let text = FILE.replace('\n', "\r");
    let e = with_approval(&text, &date(), "Byrådet", &request(None, None)).unwrap_err();
    assert!(e.contains("CR"), "{e}");
}

#[test]
fn new_keys_go_where_the_scaffold_has_them() {
    let new = with_approval(FILE, &date(), "Byrådet", &request(Some("7"), None)).unwrap();
    let table = &new[new.find("\n[approval]\n").unwrap() + 1..new.find("# (§4)").unwrap()];
    assert_eq!(
        table,
        "[approval]\ndated = \"2023-06\"  # from the cover\n# Who approved it.\napproved_by = \"Byrådet\"   # old body\napproved_on = 2024-12-17\ncase_number = \"7\"\nnext_revision = \"2026-12\"\n\n",
    );
    // In a file from `kvalitet new`, the approval comes first, above the scaffold's comments.
    let fresh = crate::scaffold::scaffold("Nyby");
    let new = with_approval(&fresh, &date(), "Byrådet", &request(None, None)).unwrap();
    assert_eq!(outside_approval(&new), outside_approval(&fresh));
    assert!(
        new.contains("[approval]\napproved_by = \"Byrådet\"\napproved_on = 2024-12-17\n# "),
        "{}",
        &new[new.find("\n[approval]\n").unwrap()..]
    );
}
