//! `kvalitet schema`: the JSON Schemas an editor completes and checks content files with. They
//! are written where a file from `kvalitet new` looks for them, they are JSON, and every key a
//! content file can have is in them with its Danish explanation from the scaffold. The schemas
//! are checked against the bundled files by an independent validator in `test.sh`
//! (`tests/schema/validate.py`).

use std::process::Command;

use serde_json::Value;

use crate::fixture::{BUNDLED, Fixture, repo};

fn kvalitet(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kvalitet"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn read_json(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{} is not there: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// The comment lines of the files kvalitet gives an editor, as one line of text.
fn scaffold_comments() -> String {
    let mut out = String::new();
    for file in ["src/scaffold.toml", "src/scaffold_site.toml"] {
        for line in std::fs::read_to_string(repo().join(file)).unwrap().lines() {
            out.push_str(line.trim_start_matches('#').trim());
            out.push(' ');
        }
    }
    out
}

/// Every key of `schema` with its explanation, by key path, below arrays too.
fn keys(schema: &Value, path: &str, out: &mut Vec<(String, Option<String>)>) {
    if let Some(items) = schema.get("items") {
        keys(items, path, out);
    }
    if let Some(Value::Object(properties)) = schema.get("properties") {
        for (key, sub) in properties {
            let path = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            let description = sub["description"].as_str().map(str::to_string);
            out.push((path.clone(), description));
            keys(sub, &path, out);
        }
    }
}

/// The key paths of a TOML file, below arrays of tables too.
fn toml_keys(table: &toml::Table, path: &str, out: &mut Vec<String>) {
    for (key, value) in table {
        let path = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        match value {
            toml::Value::Table(t) => toml_keys(t, &path, out),
            toml::Value::Array(items) => {
                for item in items {
                    if let toml::Value::Table(t) = item {
                        toml_keys(t, &path, out);
                    }
                }
            }
            _ => {}
        }
        out.push(path);
    }
}

#[test]
fn kvalitet_schema_writes_both_schemas_where_a_new_file_looks_for_them() {
    let f = Fixture::empty();
    let out = kvalitet(f.root(), &["schema"]);
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("schema/kommune.schema.json"), "{stdout}");
    for file in ["schema/kommune.schema.json", "schema/site.schema.json"] {
        let schema = read_json(&f.root().join(file));
        assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
        assert_eq!(schema["type"], "object");
        assert_eq!(schema["additionalProperties"], false, "{file}");
    }

    // A file from `kvalitet new` names the schema by a path that leads to it.
    let out = kvalitet(f.root(), &["new", "Nyborg"]);
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(f.content().join("nyborg.toml")).unwrap();
    let first = text.lines().next().unwrap();
    let target = first
        .strip_prefix("#:schema ")
        .expect("the first line is #:schema");
    assert!(f.content().join(target).is_file(), "{first}");
    // ... and is still a file kvalitet reads.
    f.write("site.toml", "title = \"Hjælp\"\n");
    let content = f.content();
    let themes = repo().join("themes");
    let out = kvalitet(
        f.root(),
        &[
            "build",
            "--content",
            content.to_str().unwrap(),
            "--themes",
            themes.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{out:?}");
}

#[test]
fn kvalitet_schema_writes_into_the_folder_it_is_given_and_replaces_old_copies() {
    let f = Fixture::empty();
    let site = f.root().join("min side");
    std::fs::create_dir_all(site.join("schema")).unwrap();
    std::fs::write(site.join("schema/site.schema.json"), "gammel").unwrap();
    let out = kvalitet(f.root(), &["schema", "min side"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        read_json(&site.join("schema/site.schema.json"))["title"],
        "site.toml"
    );
    assert!(site.join("schema/kommune.schema.json").is_file());
    assert!(
        !f.root().join("schema").exists(),
        "nothing beside the folder given"
    );
}

#[test]
fn a_folder_that_cannot_be_written_is_a_danish_error() {
    let f = Fixture::empty();
    std::fs::write(f.root().join("schema"), "en fil, ikke en mappe").unwrap();
    let out = kvalitet(f.root(), &["schema"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("fejl: Mappen"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn every_key_of_every_bundled_file_is_in_the_schema_with_an_explanation_from_the_scaffold() {
    let f = Fixture::empty();
    assert!(kvalitet(f.root(), &["schema"]).status.success());
    let comments = scaffold_comments();
    for (schema_file, files) in [
        ("schema/kommune.schema.json", BUNDLED.to_vec()),
        ("schema/site.schema.json", vec!["site"]),
    ] {
        let mut described = Vec::new();
        keys(&read_json(&f.root().join(schema_file)), "", &mut described);
        assert!(described.len() > 20 || schema_file.contains("site"));
        for (path, description) in &described {
            let description = description
                .as_deref()
                .unwrap_or_else(|| panic!("{schema_file}: {path} has no explanation"));
            assert!(
                comments.contains(description),
                "{schema_file}: the explanation of {path} is not the scaffold's: {description}"
            );
        }
        for name in files {
            let text =
                std::fs::read_to_string(repo().join(format!("content/{name}.toml"))).unwrap();
            let mut in_file = Vec::new();
            toml_keys(&text.parse().unwrap(), "", &mut in_file);
            for key in in_file {
                assert!(
                    described.iter().any(|(path, _)| *path == key),
                    "{name}.toml has {key}, which {schema_file} does not name"
                );
            }
        }
    }
    // Explanations an editor sees on hovering a key, from the comment above it.
    let schema = read_json(&f.root().join("schema/kommune.schema.json"));
    let unit = &schema["properties"]["units"]["items"]["properties"];
    assert!(
        unit["phone"]["description"]
            .as_str()
            .unwrap()
            .starts_with("Stedets telefonnummer")
    );
    assert_eq!(
        unit["additionalProperties"],
        Value::Null,
        "on the object, not its properties"
    );
    assert_eq!(
        schema["properties"]["units"]["items"]["additionalProperties"],
        false
    );
    let kinds = &schema["properties"]["offers"]["items"]["properties"]["kind"]["enum"];
    assert!(
        kinds
            .as_array()
            .unwrap()
            .contains(&Value::from("outpatient"))
    );
}
