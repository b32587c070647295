//! The file `kvalitet new` writes: every field, explained in Danish, with the rule it serves.

use std::path::{Path, PathBuf};

use crate::paths::{is_page_folder, short_name_of, site_wide_page, slug_for};

pub(crate) const TEMPLATE: &str = include_str!("scaffold.toml");

/// `content/site.toml` with every setting explained in Danish: the explanations of the site
/// schema ([`crate::schema`]) are read from it.
pub(crate) const SITE_TEMPLATE: &str = include_str!("scaffold_site.toml");

/// The scaffold for a municipality, with its name filled in. Every `{{NAME}}` of the template
/// stands inside a TOML basic string ("..."), so the name is escaped for one; the name in the
/// first comment is written as it is. `name` has no control characters (see
/// [`name_problem`]).
pub fn scaffold(name: &str) -> String {
    TEMPLATE
        .replace("{{NAME_IN_COMMENT}}", name)
        .replace("{{NAME}}", &toml_basic_string_body(name))
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
pub(crate) fn name_problem(name: &str) -> Option<String> {
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
