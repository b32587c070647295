//! The Danish explanations of the keys, read from the comments of the files kvalitet writes for
//! an editor (`src/scaffold.toml`, `src/scaffold_site.toml`): the one place they are written.
//!
//! A key's explanation is the comment lines directly above it, in the table it stands in,
//! whether the key itself is written or still a comment (`# days = 14`); a table's is the
//! comment lines directly above its header (`[guarantee]`, `# [[units]]`). A blank line, a lone
//! `#`, another key or a line of a value ends the lines that belong to a key. A `text` key
//! without lines of its own is its table's prose, so it has its table's explanation.

use std::collections::BTreeMap;

/// The explanation of each key path (`units.hours.label`, without indices) the template
/// explains.
pub(crate) fn descriptions(template: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut table = String::new();
    let mut pending: Vec<&str> = Vec::new();
    for line in template.lines() {
        let trimmed = line.trim();
        let comment = trimmed.starts_with('#');
        let bare = trimmed.trim_start_matches('#').trim();
        if trimmed.starts_with("#:") || bare.is_empty() {
            pending.clear();
        } else if let Some(header) = table_header(bare) {
            if !pending.is_empty() {
                out.insert(header.to_string(), pending.join(" "));
            }
            table = header.to_string();
            pending.clear();
        } else if let Some(key) = key_of(bare) {
            let path = if table.is_empty() {
                key.to_string()
            } else {
                format!("{table}.{key}")
            };
            let own = (!pending.is_empty()).then(|| pending.join(" "));
            let inherited = (key == "text").then(|| out.get(&table).cloned()).flatten();
            if let Some(text) = own.or(inherited) {
                out.entry(path).or_insert(text);
            }
            pending.clear();
        } else if comment {
            pending.push(bare);
        } else {
            pending.clear();
        }
    }
    out
}

/// `units.hours` of `[[units.hours]]` or `[units.hours]`.
fn table_header(line: &str) -> Option<&str> {
    let inner = line.strip_prefix('[')?.strip_suffix(']')?;
    let inner = inner
        .strip_prefix('[')
        .and_then(|i| i.strip_suffix(']'))
        .unwrap_or(inner)
        .trim();
    is_key(inner.replace('.', "_").as_str()).then_some(inner)
}

/// The key of a line `key = value`.
fn key_of(line: &str) -> Option<&str> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    is_key(key).then_some(key)
}

fn is_key(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_explained_by_the_comment_lines_directly_above_it() {
        let d = descriptions(
            "#:schema x.json\n# Om filen.\n\n# Navnet.\n# På to linjer.\nname = \"x\"\n\
             short = 1\n# Tabellen.\n[guarantee]\n# Dage.\n# days = 14\ntext = \"\"\"\n\
             \"\"\"\n# Ikke en nøgle\n#\n# [[units]]\n# Stedets navn.\n# name = \"a\"  # eksempel\n",
        );
        assert_eq!(d["name"], "Navnet. På to linjer.");
        assert!(!d.contains_key("short"), "no comment, no explanation");
        assert_eq!(d["guarantee"], "Tabellen.");
        assert_eq!(d["guarantee.days"], "Dage.");
        assert_eq!(
            d["guarantee.text"], "Tabellen.",
            "text is its table's prose"
        );
        assert!(!d.contains_key("units"), "a lone # ends the lines above");
        assert_eq!(d["units.name"], "Stedets navn.");
        assert!(d.values().all(|t| !t.contains("schema")));
    }
}
