//! Values left as the scaffold's own examples. The scaffold (`src/scaffold.toml`) shows each
//! example in a comment line ending [`EXAMPLE_MARK`]; the examples are read from that text, so
//! they cannot drift from what `kvalitet new` writes, and a value still equal to its key's
//! example is an error at its line: it is not a fact from the municipality's standard.

use crate::diagnostic::Diagnostic;
use crate::scaffold::TEMPLATE;

use super::SourceFile;

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

/// The headers in the scaffold (as written: `[[units]]`, `[approval]`) under which a key of
/// this name stands, written or still a comment, in the scaffold's order; empty for a name the
/// scaffold has only at the top of the file, or not at all.
pub(super) fn headers_with_key(key: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    let mut header: Option<&'static str> = None;
    for line in TEMPLATE.lines() {
        let bare = line.trim_start_matches('#').trim();
        if table_header(bare).is_some() {
            header = Some(bare);
        } else if let Some(h) = header
            && bare
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
            && !out.contains(&h)
        {
            out.push(h);
        }
    }
    out
}

/// How an example line ends in the scaffold.
pub(super) const EXAMPLE_MARK: &str = "# eksempel";

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
pub(super) fn find_examples(root: &toml::de::DeTable<'_>, text: &str, out: &mut Vec<String>) {
    let mut paths = Paths::default();
    walk_examples(root, &mut paths, text, examples(), out);
}

/// The key path of the value being looked at, with indices (`units[0].phone`, for messages) and
/// without (`units.phone`, the examples' key); extended and cut back as the walk goes, so that
/// the walk makes a string only for a value that is still an example.
#[derive(Default)]
struct Paths {
    indexed: String,
    plain: String,
}

impl Paths {
    /// Adds `key`; returns the two lengths to cut back to.
    fn push(&mut self, key: &str) -> (usize, usize) {
        let lengths = (self.indexed.len(), self.plain.len());
        for path in [&mut self.indexed, &mut self.plain] {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(key);
        }
        lengths
    }

    fn cut(&mut self, (indexed, plain): (usize, usize)) {
        self.indexed.truncate(indexed);
        self.plain.truncate(plain);
    }
}

fn walk_examples(
    table: &toml::de::DeTable<'_>,
    paths: &mut Paths,
    text: &str,
    examples: &std::collections::HashMap<String, Example>,
    out: &mut Vec<String>,
) {
    use std::fmt::Write;
    use toml::de::DeValue;
    for (key, value) in table.iter() {
        let back = paths.push(key.get_ref());
        let example = examples.get(paths.plain.as_str());
        match value.get_ref() {
            DeValue::Table(t) => walk_examples(t, paths, text, examples, out),
            DeValue::Array(items) => {
                if let Some(Example::Texts(texts)) = example {
                    let same = items.len() == texts.len()
                        && items.iter().zip(texts).all(|(item, example)| {
                            matches!(item.get_ref(), DeValue::String(s) if s.trim() == example)
                        });
                    if same {
                        out.push(paths.indexed.clone());
                    }
                }
                let here = paths.indexed.len();
                for (i, item) in items.iter().enumerate() {
                    if let DeValue::Table(t) = item.get_ref() {
                        let _ = write!(paths.indexed, "[{i}]");
                        walk_examples(t, paths, text, examples, out);
                        paths.indexed.truncate(here);
                    }
                }
            }
            DeValue::String(s) => {
                if matches!(example, Some(Example::Text(e)) if e == s.trim()) {
                    out.push(paths.indexed.clone());
                }
            }
            _ => {
                if let Some(Example::Written(e)) = example
                    && e == text.get(value.span()).unwrap_or("").trim()
                {
                    out.push(paths.indexed.clone());
                }
            }
        }
        paths.cut(back);
    }
}

/// The error for a value that is still the scaffold's example.
pub(super) fn example_error(source: &SourceFile, key: &str) -> Diagnostic {
    let field = key.rsplit('.').next().unwrap_or(key);
    source.diagnostic_at(
        Diagnostic::error(
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
