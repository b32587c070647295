//! `kvalitet init`: a new site folder, ready to edit, check, build and publish.
//!
//! Invariants:
//! - Nothing is written when the folder already has `content/`, or when the municipality's name
//!   cannot be used: those are told before the first file is made.
//! - No existing file is overwritten: every file is created new, and a file that is there
//!   already (a `.gitignore` of an existing repository) is kept as it is and named as kept.
//! - Nothing is written outside the folder.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// `content/site.toml` of a new site: the explained settings of the scaffold for `site.toml`
/// (which the site schema's descriptions come from too), with `{{KOMMUNE}}` standing for the
/// municipality's name, up to its glossary example.
use crate::scaffold::SITE_TEMPLATE;

/// The bundled `content/site.toml`, whose glossary a new site starts with: words citizens meet
/// in every standard, explained in everyday Danish, which are not facts about a municipality.
const BUNDLED_SITE: &str = include_str!("../content/site.toml");

/// The line the bundled glossary starts at.
const GLOSSARY_START: &str = "# Ordlisten";

/// The files of a new site besides `content/`: (path in the folder, text).
pub const FILES: &[(&str, &str)] = &[
    (".gitignore", include_str!("init/gitignore")),
    (".taplo.toml", include_str!("init/taplo.toml")),
    (
        ".vscode/settings.json",
        include_str!("init/vscode-settings.json"),
    ),
    (
        ".vscode/extensions.json",
        include_str!("init/vscode-extensions.json"),
    ),
    (
        ".github/workflows/kvalitet.yml",
        include_str!("init/github-workflow.yml"),
    ),
    (".gitlab-ci.yml", include_str!("init/gitlab-ci.yml")),
];

/// What [`init`] did.
#[derive(Debug, Default)]
pub struct Initialised {
    /// Every file written, in the order written.
    pub written: Vec<PathBuf>,
    /// Files that were there already and are kept as they were.
    pub kept: Vec<PathBuf>,
    /// The municipality's file.
    pub municipality: PathBuf,
}

/// The text of a new site's `content/site.toml` for a site of the municipality `name`.
pub fn site_toml(name: &str) -> String {
    let glossary = BUNDLED_SITE
        .find(GLOSSARY_START)
        .map_or("", |at| &BUNDLED_SITE[at..]);
    let settings = SITE_TEMPLATE
        .find(GLOSSARY_START)
        .map_or(SITE_TEMPLATE, |at| &SITE_TEMPLATE[..at]);
    let mut text = settings.replace("{{KOMMUNE}}", &toml_body(name));
    text.push_str(glossary);
    text
}

/// `s` as it may stand between the quotes of a TOML basic string, also inside a comment.
fn toml_body(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Makes a new site in `dir` (made if missing) for the municipality `name`: `content/` with
/// `site.toml` and the municipality's file from the scaffold, and [`FILES`].
pub fn init(dir: &Path, name: &str) -> Result<Initialised, String> {
    let content = dir.join("content");
    if fs::symlink_metadata(&content).is_ok() {
        return Err(format!(
            "{} findes allerede. kvalitet init laver kun en ny hjemmeside i en mappe uden content/, så intet bliver overskrevet. Tip: Vælg en ny mappe, fx kvalitet init ny-hjemmeside --kommune \"{}\". Vil du have en kommune mere på hjemmesiden, så skriv kvalitet new \"{}\"",
            content.display(),
            name.trim(),
            name.trim()
        ));
    }
    if let Some(problem) = crate::scaffold::name_problem(name)
        .or_else(|| crate::scaffold::name_problem(crate::paths::short_name_of(name)))
    {
        return Err(problem);
    }
    let short = crate::paths::short_name_of(name).trim().to_string();
    fs::create_dir_all(dir).map_err(|e| cannot(dir, &e))?;
    // Made here, not by a `create_dir_all`: a folder made meanwhile is not taken over.
    fs::create_dir(&content).map_err(|e| cannot(&content, &e))?;
    let mut done = Initialised::default();
    let site = content.join("site.toml");
    create_new(&site, &site_toml(&short))?;
    done.written.push(site);
    done.municipality = crate::scaffold::write_new(&content, &short)?;
    done.written.push(done.municipality.clone());
    // The editor settings among `FILES` point at the schemas: they are written beside them.
    let schemas = crate::schema::schema_files();
    let files = FILES
        .iter()
        .map(|&(path, text)| (path, text))
        .chain(schemas.iter().map(|(path, text)| (*path, text.as_str())));
    for (path, text) in files {
        let to = dir.join(path);
        if fs::symlink_metadata(&to).is_ok() {
            done.kept.push(to);
            continue;
        }
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).map_err(|e| cannot(parent, &e))?;
        }
        create_new(&to, text)?;
        done.written.push(to);
    }
    Ok(done)
}

/// Writes `text` to `path`, which must not exist.
fn create_new(path: &Path, text: &str) -> Result<(), String> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| cannot(path, &e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| cannot(path, &e))
}

fn cannot(path: &Path, e: &io::Error) -> String {
    format!(
        "{} kan ikke oprettes: {}. Tip: Tjek, at du har lov til at skrive i mappen",
        path.display(),
        crate::diagnostic::danish_io_error(e)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `site.toml` with every commented setting switched on: the lines `# key = value`.
    fn switched_on(text: &str) -> String {
        text.lines()
            .map(|line| {
                let bare = line.trim_start_matches('#').trim_start();
                let is_setting = line.starts_with("# ")
                    && bare.contains(" = ")
                    && toml::from_str::<toml::Table>(bare).is_ok();
                if is_setting { bare } else { line }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The new site's settings are valid as written and with every setting switched on, and
    /// they explain every setting the model has: a setting added to `Site` fails this test
    /// until the file a new site starts with explains it.
    #[test]
    fn the_new_site_toml_explains_every_setting() {
        let text = site_toml("Nyborg");
        let site: crate::model::Site = toml::from_str(&text).unwrap();
        assert!(site.base_url.is_none() && site.publisher.is_none());
        assert!(!site.glossary.is_empty(), "the glossary is there");
        let on = switched_on(&text);
        let site: crate::model::Site = toml::from_str(&on).unwrap();
        assert_eq!(site.publisher.as_deref(), Some("Nyborg Kommune"));
        let serde_json::Value::Object(keys) = serde_json::to_value(&site).unwrap() else {
            panic!("a site is a table");
        };
        let table: toml::Table = toml::from_str(&on).unwrap();
        let lines: Vec<&str> = SITE_TEMPLATE.lines().collect();
        for key in keys.keys() {
            assert!(
                table.contains_key(key) || key == "help_now",
                "site.toml has no {key}"
            );
            // Tables of their own, explained in the scaffold's last part.
            if key == "glossary" || key == "help_now" {
                continue;
            }
            // Explained: the line above the key's line is a comment.
            let at = lines
                .iter()
                .position(|l| l.trim_start_matches("# ").starts_with(&format!("{key} =")))
                .unwrap();
            assert!(lines[at - 1].starts_with("# "), "{key} is not explained");
        }
    }

    #[test]
    fn init_refuses_a_folder_with_content_and_a_bad_name_before_writing() {
        let dir = tempfile::tempdir().unwrap();
        let bad = init(dir.path(), "../..").unwrap_err();
        assert!(bad.contains("kan ikke bruges"), "{bad}");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        fs::write(dir.path().join(".gitignore"), "mine\n").unwrap();
        let done = init(dir.path(), "Nyborg Kommune").unwrap();
        assert_eq!(done.municipality, dir.path().join("content/nyborg.toml"));
        assert_eq!(done.kept, [dir.path().join(".gitignore")]);
        assert_eq!(
            fs::read_to_string(dir.path().join(".gitignore")).unwrap(),
            "mine\n"
        );
        let again = init(dir.path(), "Nyborg").unwrap_err();
        assert!(again.contains("findes allerede"), "{again}");
    }
}
