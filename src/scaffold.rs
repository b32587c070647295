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
    fn the_scaffold_is_valid_content() {
        let text = scaffold("Prøve");
        let source = crate::load::SourceFile::new("proeve.toml".into(), text);
        let m: crate::model::Municipality = crate::load::parse(&source).unwrap();
        assert_eq!(m.short_name, "Prøve");
        assert_eq!(m.guarantee.unwrap().days, 14);
    }
}
