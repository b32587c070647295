//! JSON Schemas for the content files, so that an editor (VS Code with Even Better TOML, or any
//! editor that runs taplo) completes keys, explains them and marks mistakes while the file is
//! typed: `kvalitet schema` writes them to `schema/` beside `content/`.
//!
//! The shape comes from the model ([`crate::model`], `#[derive(JsonSchema)]` beside its serde
//! derive): which keys there are, which are required, their types, the enums and
//! `additionalProperties: false` where the model denies unknown keys. Phone numbers, dates and
//! opening hours are text with a pattern each (`Phone::PATTERN`, `PartialDate::PATTERN`,
//! `TimeRange::PATTERN` in the model, beside the parsers they describe). Every explanation is
//! Danish and read from the comments of the files an editor is given (see [`describe`]), so the
//! scaffold and the schema say the same. The schemas are draft-07, the draft taplo and most
//! validators read, with every subschema inlined so that each key carries its own explanation.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde_json::{Map, Value};

use crate::model::{Municipality, Site};
use crate::scaffold::{SITE_TEMPLATE, TEMPLATE};

mod describe;

/// Where the schema of a municipality file is written, below the site folder.
pub const KOMMUNE_SCHEMA: &str = "schema/kommune.schema.json";
/// Where the schema of `site.toml` is written, below the site folder.
pub const SITE_SCHEMA: &str = "schema/site.schema.json";

/// The schema files of a site folder: (path below the folder, JSON text).
pub fn schema_files() -> Vec<(&'static str, String)> {
    [
        (KOMMUNE_SCHEMA, kommune_schema()),
        (SITE_SCHEMA, site_schema()),
    ]
    .into_iter()
    .map(|(path, schema)| {
        let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
        text.push('\n');
        (path, text)
    })
    .collect()
}

/// Writes [`schema_files`] into `folder` (`schema/` is made when missing), replacing older
/// copies; returns the paths written.
pub fn write(folder: &Path) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    for (path, text) in schema_files() {
        let path = folder.join(path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("Mappen {} kan ikke oprettes: {e}", dir.display()))?;
        }
        std::fs::write(&path, text)
            .map_err(|e| format!("{} kan ikke skrives: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// The schema of a municipality file.
pub fn kommune_schema() -> Value {
    generate::<Municipality>(
        "Kommunefil",
        "Én kommunes kvalitetsstandard for rusmiddelbehandling (en fil i content/).",
        TEMPLATE,
    )
    .0
}

/// The schema of `site.toml`.
pub fn site_schema() -> Value {
    generate::<Site>(
        "site.toml",
        "Fælles indstillinger for hele hjemmesiden (content/site.toml).",
        SITE_TEMPLATE,
    )
    .0
}

/// The schema of `T`, with every key explained from `template`, and the key paths
/// `template` does not explain.
fn generate<T: JsonSchema>(title: &str, description: &str, template: &str) -> (Value, Vec<String>) {
    let mut settings = schemars::generate::SchemaSettings::draft07();
    settings.inline_subschemas = true;
    let mut schema = settings
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value();
    let descriptions = describe::descriptions(template);
    let mut unexplained = Vec::new();
    finish(&mut schema, "", &descriptions, &mut unexplained);
    if let Value::Object(root) = &mut schema {
        root.insert("title".into(), title.into());
        root.insert("description".into(), description.into());
    }
    (schema, unexplained)
}

/// Makes the generated `schema` of the key path `path` what an editor needs: the model's
/// English doc comments and defaults taken out, TOML's missing `null` taken out of optional
/// keys, enums as plain `enum` lists, and each key given its Danish explanation.
fn finish(
    schema: &mut Value,
    path: &str,
    descriptions: &BTreeMap<String, String>,
    unexplained: &mut Vec<String>,
) {
    let Value::Object(obj) = schema else {
        return;
    };
    for key in ["description", "title", "default", "format"] {
        obj.remove(key);
    }
    without_null(obj);
    plain_enum(obj);
    if let Some(Value::Object(properties)) = obj.get_mut("properties") {
        for (key, sub) in properties.iter_mut() {
            let sub_path = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            finish(sub, &sub_path, descriptions, unexplained);
            if let Value::Object(sub) = sub {
                blank_table_allowed(sub);
            }
            match (explanation(descriptions, &sub_path), sub) {
                (Some(text), Value::Object(sub)) => {
                    sub.insert("description".into(), text.as_str().into());
                }
                _ => unexplained.push(sub_path),
            }
        }
    }
    if let Some(items) = obj.get_mut("items") {
        finish(items, path, descriptions, unexplained);
    }
}

/// A table whose every value is blank text is left out when a file is read (`strip_blank` in
/// `load::validate`), so the scaffold's untouched `[guarantee]` with its empty `text` is no
/// table without `days`: a table with required keys is valid with them, or with nothing but
/// blank text.
fn blank_table_allowed(obj: &mut Map<String, Value>) {
    let Some(required) = obj.remove("required") else {
        return;
    };
    obj.insert(
        "anyOf".into(),
        serde_json::json!([
            {"required": required},
            {"additionalProperties": {"type": "string", "pattern": "^\\s*$"}},
        ]),
    );
}

/// The explanation of `path`: its own, or for a key of a table the scaffold shows once but the
/// model has in several places (an address), the one of the same table and key elsewhere
/// (`other_help.address.street` is explained as `units.address.street`).
fn explanation<'a>(descriptions: &'a BTreeMap<String, String>, path: &str) -> Option<&'a String> {
    if let Some(own) = descriptions.get(path) {
        return Some(own);
    }
    let mut parts = path.rsplitn(3, '.');
    let (key, table, _rest) = (parts.next()?, parts.next()?, parts.next()?);
    let suffix = format!(".{table}.{key}");
    descriptions
        .iter()
        .find(|(k, _)| k.ends_with(&suffix))
        .map(|(_, v)| v)
}

/// TOML has no `null`: an optional key is left out instead. `Option<T>` comes out of schemars
/// as `T` or `null` (a `type` list, or an `anyOf` of two); only `T` is kept.
fn without_null(obj: &mut Map<String, Value>) {
    if let Some(Value::Array(types)) = obj.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let only = types.remove(0);
            obj.insert("type".into(), only);
        }
    }
    for combinator in ["anyOf", "oneOf"] {
        let Some(Value::Array(options)) = obj.get_mut(combinator) else {
            continue;
        };
        options.retain(|o| o.get("type").is_none_or(|t| t != "null"));
        if options.len() == 1 {
            let Value::Object(only) = options.remove(0) else {
                continue;
            };
            obj.remove(combinator);
            for (k, v) in only {
                obj.entry(k).or_insert(v);
            }
        }
    }
    if let Some(Value::Array(values)) = obj.get_mut("enum") {
        values.retain(|v| !v.is_null());
    }
}

/// An enum whose values carry doc comments comes out as a `oneOf` of constants; editors
/// complete a plain `enum` list best.
fn plain_enum(obj: &mut Map<String, Value>) {
    let Some(Value::Array(options)) = obj.get("oneOf") else {
        return;
    };
    let mut values = Vec::new();
    for option in options {
        match (option.get("const"), option.get("enum")) {
            (Some(c), _) => values.push(c.clone()),
            (None, Some(Value::Array(e))) => values.extend(e.iter().cloned()),
            _ => return,
        }
    }
    obj.remove("oneOf");
    obj.insert("type".into(), "string".into());
    obj.insert("enum".into(), Value::Array(values));
}

#[cfg(test)]
mod tests;
