//! The file `kvalitet new` writes: every field, explained in Danish, with the rule it serves.

use std::path::{Path, PathBuf};

use crate::paths::{is_page_folder, site_wide_page, slug_for};

const TEMPLATE: &str = include_str!("scaffold.toml");

/// The scaffold for a municipality, with its name filled in. Every `{{NAME}}` of the template
/// stands inside a TOML basic string ("..."), so the name is escaped for one; the name in the
/// first comment is written as it is. `name` has no control characters (see
/// [`name_problem`]).
pub fn scaffold(name: &str) -> String {
    TEMPLATE
        .replace("{{NAME_IN_COMMENT}}", name)
        .replace("{{NAME}}", &toml_basic_string_body(name))
}

/// A name without a trailing "Kommune" (any case): "Nyborg Kommune" -> "Nyborg". The scaffold
/// adds "Kommune" itself, and a file that leaves out `short_name` gets this.
pub fn short_name_of(name: &str) -> &str {
    let name = name.trim();
    let words: Vec<(usize, &str)> = name
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - name.as_ptr() as usize, w))
        .collect();
    match words.as_slice() {
        [.., (start, last)] if words.len() > 1 && last.to_lowercase() == "kommune" => {
            name[..*start].trim_end()
        }
        _ => name,
    }
}

/// A value the scaffold shows as an example in a comment: `# key = value  # eksempel`. The
/// mark stays a comment when the editor takes away the first `#`, so a value left as it was
/// is still known as the example.
#[derive(Debug, PartialEq)]
enum Example {
    /// Text, compared without the spaces around it.
    Text(String),
    /// A list of texts, compared text by text.
    Texts(Vec<String>),
    /// A number or a date, compared as written.
    Written(String),
}

/// The scaffold's examples by key path without indices (`units.phone`), read from the
/// scaffold's own text: an example line (one that ends with [`EXAMPLE_MARK`]) counts for the
/// table whose header (written or still a comment) stands last above it. Inline tables count
/// key by key.
fn examples() -> &'static std::collections::HashMap<String, Example> {
    static EXAMPLES: std::sync::OnceLock<std::collections::HashMap<String, Example>> =
        std::sync::OnceLock::new();
    EXAMPLES.get_or_init(|| {
        let mut out = std::collections::HashMap::new();
        let mut table = String::new();
        for line in TEMPLATE.lines() {
            let bare = line.trim_start_matches('#').trim();
            if let Some(header) = table_header(bare) {
                table = header.to_string();
            } else if line.trim_end().ends_with(EXAMPLE_MARK)
                && let Ok(parsed) = toml::from_str::<toml::Table>(bare)
            {
                flatten_examples(&table, &parsed, &mut out);
            }
        }
        out
    })
}

/// How an example line ends in the scaffold.
pub const EXAMPLE_MARK: &str = "# eksempel";

/// `units.hours` of `[[units.hours]]` or `[units.hours]`.
fn table_header(line: &str) -> Option<&str> {
    let inner = line.strip_prefix('[')?.strip_suffix(']')?;
    let inner = inner
        .strip_prefix('[')
        .and_then(|i| i.strip_suffix(']'))
        .unwrap_or(inner);
    inner
        .chars()
        .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
        .then_some(inner)
}

fn flatten_examples(
    path: &str,
    table: &toml::Table,
    out: &mut std::collections::HashMap<String, Example>,
) {
    for (key, value) in table {
        let here = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        match value {
            toml::Value::Table(t) => flatten_examples(&here, t, out),
            toml::Value::String(s) => {
                out.insert(here, Example::Text(s.trim().to_string()));
            }
            toml::Value::Array(items) => {
                let texts: Option<Vec<String>> = items
                    .iter()
                    .map(|v| v.as_str().map(|s| s.trim().to_string()))
                    .collect();
                if let Some(texts) = texts {
                    out.insert(here, Example::Texts(texts));
                }
            }
            other => {
                out.insert(here, Example::Written(other.to_string()));
            }
        }
    }
}

/// Adds to `out` the key path (with indices) of every value in `root` that is still the
/// scaffold's example for its key.
pub fn find_examples(root: &toml::de::DeTable<'_>, text: &str, out: &mut Vec<String>) {
    walk_examples(root, "", "", text, examples(), out);
}

fn walk_examples(
    table: &toml::de::DeTable<'_>,
    path: &str,
    plain: &str,
    text: &str,
    examples: &std::collections::HashMap<String, Example>,
    out: &mut Vec<String>,
) {
    use toml::de::DeValue;
    for (key, value) in table.iter() {
        let key: &str = key.get_ref();
        let (here, plain_here) = if path.is_empty() {
            (key.to_string(), key.to_string())
        } else {
            (format!("{path}.{key}"), format!("{plain}.{key}"))
        };
        match value.get_ref() {
            DeValue::Table(t) => walk_examples(t, &here, &plain_here, text, examples, out),
            DeValue::Array(items) => {
                if let Some(Example::Texts(texts)) = examples.get(&plain_here) {
                    let same = items.len() == texts.len()
                        && items.iter().zip(texts).all(|(item, example)| {
                            matches!(item.get_ref(), DeValue::String(s) if s.trim() == example)
                        });
                    if same {
                        out.push(here.clone());
                    }
                }
                for (i, item) in items.iter().enumerate() {
                    if let DeValue::Table(t) = item.get_ref() {
                        let indexed = format!("{here}[{i}]");
                        walk_examples(t, &indexed, &plain_here, text, examples, out);
                    }
                }
            }
            DeValue::String(s) => {
                if examples.get(&plain_here) == Some(&Example::Text(s.trim().to_string())) {
                    out.push(here);
                }
            }
            _ => {
                let written = text.get(value.span()).unwrap_or("").trim();
                if let Some(Example::Written(e)) = examples.get(&plain_here)
                    && e == written
                {
                    out.push(here);
                }
            }
        }
    }
}

/// The error for a value that is still the scaffold's example.
pub fn example_error(source: &crate::load::SourceFile, key: &str) -> crate::diagnostic::Diagnostic {
    let field = key.rsplit('.').next().unwrap_or(key);
    source.diagnostic_at(
        crate::diagnostic::Diagnostic::error(
            &source.path,
            format!(
                "Det er eksemplet fra skabelonen, der står i «{field}», ikke en oplysning fra jeres kvalitetsstandard"
            ),
        )
        .expected(format!("{field} med jeres egen oplysning"))
        .hint(format!(
            "Skriv oplysningen, som den står i jeres kvalitetsstandard, eller sæt # foran linjen med «{field}», hvis standarden ikke siger noget om det"
        )),
        key,
    )
}

/// `s` escaped to stand between the quotes of a TOML basic string.
fn toml_basic_string_body(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Why `name` cannot be a municipality's name in a new file, in Danish.
pub fn name_problem(name: &str) -> Option<String> {
    if name.chars().any(char::is_control) {
        return Some(
            "Navnet må ikke have linjeskift eller andre usynlige tegn. Skriv kommunens navn på én linje, fx Holbæk".to_string(),
        );
    }
    let slug = slug_for(name);
    if !is_page_folder(&slug) {
        return Some(format!(
            "«{name}» kan ikke bruges som navn. Skriv kommunens navn, fx Holbæk"
        ));
    }
    if let Some(what) = site_wide_page(&slug) {
        return Some(format!(
            "«{name}» giver samme sideadresse som {what} (/{slug}/). Skriv kommunens navn, fx Holbæk"
        ));
    }
    None
}

/// Writes `<content>/<slug>.toml`, refusing to overwrite an existing file.
pub fn write_new(content: &Path, name: &str) -> Result<PathBuf, String> {
    if let Some(problem) = name_problem(name) {
        return Err(problem);
    }
    let name = short_name_of(name);
    if let Some(problem) = name_problem(name) {
        return Err(problem);
    }
    let slug = slug_for(name);
    std::fs::create_dir_all(content)
        .map_err(|e| format!("Mappen {} kan ikke oprettes: {e}", content.display()))?;
    let path = content.join(format!("{slug}.toml"));
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path);
    match file {
        Ok(mut f) => {
            use std::io::Write;
            f.write_all(scaffold(name.trim()).as_bytes())
                .map_err(|e| format!("{} kan ikke skrives: {e}", path.display()))?;
            Ok(path)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(format!(
            "{} findes allerede. Den bliver ikke overskrevet. Ret i den, eller vælg et andet navn",
            path.display()
        )),
        Err(e) => Err(format!("{} kan ikke oprettes: {e}", path.display())),
    }
}

/// The scaffold with every field switched on: each commented line that is a key and a value,
/// or a table header, without its `#`. Its keys are the keys the scaffold explains.
#[cfg(test)]
pub(crate) fn switched_on(name: &str) -> String {
    let mut out = String::new();
    for line in scaffold(name).lines() {
        let bare = line.trim_start_matches('#').trim_start();
        let is_field = line.starts_with('#')
            && (bare.contains('=') || bare.starts_with('['))
            && toml::from_str::<toml::Table>(bare).is_ok();
        out.push_str(if is_field { bare } else { line });
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_transliterate_danish_letters() {
        assert_eq!(slug_for("Holbæk"), "holbaek");
        assert_eq!(slug_for("Ærø Kommune"), "aeroe-kommune");
        assert_eq!(slug_for("Høje-Taastrup"), "hoeje-taastrup");
    }

    #[test]
    fn the_scaffold_is_valid_content_and_switched_on_too() {
        let (_, prepared, m) =
            crate::load::SourceFile::parse_prepared::<crate::model::Municipality, _>(
                "proeve.toml".into(),
                scaffold("Prøve"),
                crate::load::validate::prepare_municipality,
            );
        let prepared = prepared.unwrap();
        assert!(prepared.blank.is_empty() && prepared.examples.is_empty());
        let m = m.unwrap();
        assert_eq!(m.short_name, "Prøve");
        assert!(m.guarantee.is_none() && m.approval.is_none());
        assert!(m.units.is_empty() && m.offers.is_empty() && m.organisation.is_none());
        let source = crate::load::SourceFile::new("proeve.toml".into(), switched_on("Prøve"));
        let m: crate::model::Municipality = crate::load::parse(&source).unwrap();
        assert_eq!(m.guarantee.unwrap().days, 14);
        assert_eq!(m.units.len(), 1);
    }

    #[test]
    fn names_lose_a_trailing_kommune_once() {
        assert_eq!(short_name_of("Nyborg Kommune"), "Nyborg");
        assert_eq!(short_name_of("  Nyborg  KOMMUNE "), "Nyborg");
        assert_eq!(short_name_of("Nyborg"), "Nyborg");
        assert_eq!(short_name_of("Kommune"), "Kommune");
        assert_eq!(
            short_name_of("Kommunekontoret Nord"),
            "Kommunekontoret Nord"
        );
    }

    #[test]
    fn the_examples_come_from_the_scaffold_and_name_no_municipality() {
        let examples = examples();
        for key in [
            "units.phone",
            "units.email",
            "units.address.street",
            "units.address.postcode",
            "monitoring.targets.text",
            "approval.approved_on",
            "organisation",
            "offers.description",
        ] {
            assert!(examples.contains_key(key), "{key} has an example");
        }
        assert!(
            !examples.contains_key("guarantee.days"),
            "14 days is the law"
        );
        assert!(
            TEMPLATE
                .lines()
                .all(|l| !l.contains(EXAMPLE_MARK) || !l.contains("{{"))
        );
    }

    #[test]
    fn the_untouched_scaffold_has_no_value_but_the_name() {
        let source = crate::load::SourceFile::new("proeve.toml".into(), scaffold("Prøve"));
        let table: toml::Table = source.text.parse().unwrap();
        for (key, value) in &table {
            let empty = match value {
                toml::Value::String(s) => s.trim().is_empty() || key.contains("name"),
                toml::Value::Table(t) => t
                    .values()
                    .all(|v| v.as_str().is_some_and(|s| s.trim().is_empty())),
                _ => false,
            };
            assert!(empty, "{key} has no value in the scaffold");
        }
    }
}
