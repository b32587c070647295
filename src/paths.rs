//! Page addresses: every page is written to a clean relative path below the output folder, and
//! no two pages share one.
//!
//! A municipality's own pages lie below the folder named by its file (`holbaek.toml` ->
//! `holbaek/`), and a municipality it serves gets one page in the folder of the served name
//! (`"Lemvig"` -> `lemvig/`). So the addresses stay apart when
//! - each file name and each served name is a slug with a letter, and no site-wide page's folder
//!   ([`file_name_problem`], [`check_serves`], when a file is read);
//! - no served name is another municipality's file, and no two municipalities serve the same
//!   name ([`check_across`], where all municipalities are known).
//!
//! [`check_jobs`] is the last guard, over every page of the site, before pages are rendered.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::load::{Content, LoadedMunicipality, SourceFile, is_slug};
use crate::model::Municipality;
use crate::site::{Job, served_slug};

/// The folders of the site-wide pages, with what the editor knows them as.
pub const SITE_WIDE_FOLDERS: [(&str, &str); 3] = [
    ("ordliste", "ordlisten"),
    ("was", "linket til tilgængelighedserklæringen"),
    ("tjek", "tjek-rapporten"),
];

/// The path of the check report, written beside the pages of [`crate::site::jobs`].
pub const CHECK_REPORT_PATH: &str = "tjek/index.html";

/// What the site-wide page in folder `slug` is, if there is one.
pub fn site_wide_page(slug: &str) -> Option<&'static str> {
    SITE_WIDE_FOLDERS
        .iter()
        .find(|(folder, _)| *folder == slug)
        .map(|(_, what)| *what)
}

/// Whether `slug` can name a municipality's folder: a slug with at least one letter.
pub fn is_page_folder(slug: &str) -> bool {
    is_slug(slug) && slug.chars().any(|c| c.is_ascii_lowercase())
}

/// Why the municipality file `path`, whose name without `.toml` is `stem`, cannot give its
/// pages their folder; placed at the file's first line.
pub fn file_name_problem(path: &Path, stem: &str, text: &str) -> Option<Diagnostic> {
    let file = format!("{stem}.toml");
    let d = if !is_page_folder(stem) {
        let right = crate::scaffold::slug_for(stem);
        let hint = if is_page_folder(&right) && site_wide_page(&right).is_none() {
            format!("Omdøb filen til {right}.toml")
        } else {
            "Omdøb filen efter kommunen: æ -> ae, ø -> oe, å -> aa, mellemrum -> bindestreg, fx holbaek.toml".to_string()
        };
        Diagnostic::error(
            path,
            format!("Filnavnet «{file}» kan ikke bruges som sideadresse"),
        )
        .expected("små bogstaver a-z, tal og bindestreger, fx holbaek.toml")
        .hint(hint)
    } else if let Some(what) = site_wide_page(stem) {
        Diagnostic::error(
            path,
            format!(
                "Filnavnet «{file}» giver samme sideadresse som {what} (/{stem}/). Så ville den ene side erstatte den anden"
            ),
        )
        .expected("et filnavn efter kommunen, fx holbaek.toml")
        .hint("Omdøb filen efter kommunen, fx holbaek.toml")
    } else {
        return None;
    };
    Some(d.at(text, 0..0))
}

/// The folder of a municipality file: its name without `.toml`.
fn file_slug(source: &SourceFile) -> String {
    source
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The `serves` entries of one file: each must give a folder of its own, not a site-wide
/// page's, not the file's own, and not one given by an earlier entry.
pub fn check_serves(m: &Municipality, source: &SourceFile) -> Vec<Diagnostic> {
    let own = file_slug(source);
    let mut out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, name) in m.serves.iter().enumerate() {
        let key = format!("serves[{i}]");
        let slug = served_slug(name);
        let error = |message: String| Diagnostic::error(&source.path, message);
        let d = if !is_page_folder(&slug) {
            error(format!(
                "«{name}» under serves giver ingen sideadresse: navnet har ingen bogstaver"
            ))
            .expected("navnet på en kommune, fx \"Lemvig\"")
            .hint("Skriv navnet på den kommune, I også behandler borgere fra, fx serves = [\"Lemvig\", \"Struer\"]")
        } else if let Some(what) = site_wide_page(&slug) {
            error(format!(
                "«{name}» under serves giver samme sideadresse som {what} (/{slug}/). Så ville den ene side erstatte den anden"
            ))
            .expected("navnet på en kommune, fx \"Lemvig\"")
            .hint("Skriv kun navne på kommuner, I også behandler borgere fra")
        } else if slug == own {
            error(format!(
                "«{name}» under serves er kommunen selv: siden ville erstatte forsiden (/{own}/)"
            ))
            .expected("navnene på de andre kommuner, I behandler borgere fra")
            .hint(format!("Slet «{name}» fra serves"))
        } else if let Some(&first) = seen.get(&slug) {
            let line = entry_line(source, &format!("serves[{first}]"))
                .map_or(String::new(), |l| format!(" i linje {l}"));
            error(format!(
                "«{name}» står to gange under serves (også som «{}»{line})",
                m.serves[first]
            ))
            .expected("hver kommune én gang")
            .hint(format!("Slet «{name}» fra serves"))
        } else {
            seen.insert(slug, i);
            continue;
        };
        out.push(at_entry(source, d, &key));
    }
    out
}

/// The 1-based line of the `serves` entry `key`.
fn entry_line(source: &SourceFile, key: &str) -> Option<usize> {
    match source.value_span(key) {
        Some(span) => Some(source.line_at(span.start)),
        None => source.line_of(key),
    }
}

/// `d` placed at the `serves` entry `key` itself, which may be on a line of its own.
fn at_entry(source: &SourceFile, d: Diagnostic, key: &str) -> Diagnostic {
    match source.value_span(key) {
        Some(span) => d.at(&source.text, span).key(key),
        None => source.diagnostic_at(d, key),
    }
}

/// Conflicts between municipality files: a served name that is another municipality's file,
/// and a name two municipalities serve. Each is reported at the later `serves` entry.
pub fn check_across(municipalities: &[LoadedMunicipality]) -> Vec<Diagnostic> {
    let files: HashMap<&str, usize> = municipalities
        .iter()
        .enumerate()
        .map(|(m, lm)| (lm.slug.as_str(), m))
        .collect();
    let mut served: HashMap<String, (usize, usize)> = HashMap::new();
    let mut out = Vec::new();
    for (m, lm) in municipalities.iter().enumerate() {
        for (i, name) in lm.data.serves.iter().enumerate() {
            let slug = served_slug(name);
            let problem = if let Some(&other) = files.get(slug.as_str()).filter(|&&o| o != m) {
                let file = file_name(&municipalities[other]);
                Some(
                    Diagnostic::error(
                        &lm.source.path,
                        format!(
                            "«{name}» under serves har sin egen fil, {file}. Begge ville få sideadressen /{slug}/, og den ene side ville erstatte den anden"
                        ),
                    )
                    .expected("kun kommuner, der ikke har deres egen fil")
                    .hint(format!(
                        "Slet «{name}» fra serves, når kommunen har sin egen fil {file}"
                    )),
                )
            } else if let Some(&(other, j)) = served.get(&slug) {
                let first = &municipalities[other];
                let line = entry_line(&located(first), &format!("serves[{j}]"))
                    .map_or(String::new(), |l| format!(", linje {l}"));
                Some(
                    Diagnostic::error(
                        &lm.source.path,
                        format!(
                            "«{name}» står også under serves i {}{line}. Begge sider ville få adressen /{slug}/",
                            file_name(first)
                        ),
                    )
                    .expected("hver kommune under serves i kun én fil")
                    .hint(format!(
                        "Kun én kommune kan behandle borgerne fra {name}. Slet «{name}» i den ene fil"
                    )),
                )
            } else {
                served.insert(slug, (m, i));
                None
            };
            if let Some(d) = problem {
                out.push(at_entry(&located(lm), d, &format!("serves[{i}]")));
            }
        }
    }
    out
}

fn file_name(lm: &LoadedMunicipality) -> String {
    lm.source.path.file_name().map_or_else(
        || format!("{}.toml", lm.slug),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The municipality's source with its key positions. A build frees the text of a municipality
/// once its pages are written; an error about it is rare, so the file is read again then, the
/// way loading reads it (inside its folder, line ends as loading has them).
fn located(lm: &LoadedMunicipality) -> Cow<'_, SourceFile> {
    if !lm.source.text.is_empty() {
        return Cow::Borrowed(&lm.source);
    }
    match crate::load::read_text(&lm.source.path) {
        Ok(text) => Cow::Owned(SourceFile::new(lm.source.path.clone(), text)),
        Err(_) => Cow::Borrowed(&lm.source),
    }
}

/// Whether `path` is a clean relative path of a page: folders of letters, digits, `-` and `_`,
/// ending in `index.html`. Nothing absolute, no `.` or `..`, no empty part.
pub fn is_clean_page_path(path: &str) -> bool {
    let Some(folders) = path.strip_suffix("index.html") else {
        return false;
    };
    folders.is_empty()
        || folders.strip_suffix('/').is_some_and(|folders| {
            folders.split('/').all(|part| {
                !part.is_empty()
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            })
        })
}

/// The last guard before pages are rendered: every page of `jobs` (with the check report) has
/// a clean relative path, and no two share one.
pub fn check_jobs(content: &Content, jobs: &[Job]) -> Result<(), Vec<Diagnostic>> {
    let paths: Vec<String> = jobs.par_iter().map(|job| job.path(content)).collect();
    let mut taken: HashMap<&str, Option<&Job>> = HashMap::with_capacity(paths.len() + 1);
    taken.insert(CHECK_REPORT_PATH, None);
    let mut out = Vec::new();
    for (job, path) in jobs.iter().zip(&paths) {
        if !is_clean_page_path(path) {
            out.push(
                job_error(content, job, format!("Siden «{path}» ville blive skrevet uden for mappen med det færdige site"))
                    .hint("Ret navnet, som sidens adresse kommer fra: filnavnet, serves eller tilbuddets id"),
            );
        } else if let Some(other) = taken.insert(path, Some(job)) {
            let other = match other.and_then(Job::municipality) {
                Some(m) => format!(" (også fra {})", file_name(&content.municipalities[m])),
                None => String::new(),
            };
            out.push(
                job_error(content, job, format!("To sider ville få samme adresse «{path}»{other}; den ene ville erstatte den anden"))
                    .hint("Giv siderne forskellige adresser: ret filnavnet, serves eller tilbuddets id"),
            );
        }
    }
    if out.is_empty() { Ok(()) } else { Err(out) }
}

/// An error about the page of `job`, at what its address comes from.
fn job_error(content: &Content, job: &Job, message: String) -> Diagnostic {
    let Some(m) = job.municipality() else {
        return Diagnostic::error(&content.site_source.path, message);
    };
    let lm = &content.municipalities[m];
    let d = Diagnostic::error(&lm.source.path, message);
    match *job {
        Job::Served { served, .. } => at_entry(&located(lm), d, &format!("serves[{served}]")),
        Job::Offer { offer, .. } => located(lm).diagnostic_at(d, &format!("offers[{offer}].id")),
        _ => d,
    }
}

/// Every cross-file check of page addresses, then the guard over all pages: what a build, the
/// check and the preview run once every municipality is known.
pub fn check_site(content: &Content) -> Result<(), Vec<Diagnostic>> {
    let across = check_across(&content.municipalities);
    if !across.is_empty() {
        return Err(across);
    }
    check_jobs(content, &crate::site::jobs(content))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_page_paths_stay_below_the_output() {
        for ok in [
            "index.html",
            "ordliste/index.html",
            "holbaek/tilbud/dag-1/index.html",
        ] {
            assert!(is_clean_page_path(ok), "{ok}");
        }
        for bad in [
            "/index.html",
            "../index.html",
            "a/../../index.html",
            "a//index.html",
            "./index.html",
            "a/./index.html",
            "a\\b/index.html",
            "a/index.htm",
            "a/x.html",
            "",
            "C:/index.html",
        ] {
            assert!(!is_clean_page_path(bad), "{bad}");
        }
    }

    #[test]
    fn site_wide_folders_are_the_pages_the_site_writes() {
        let site: crate::model::Site =
            toml::from_str("title = \"t\"\naccessibility_statement = \"https://was.digst.dk/x\"\n")
                .unwrap();
        let mut folders: Vec<String> = crate::site::site_wide_jobs(&site)
            .iter()
            .map(|job| job.path_in(None))
            .chain([CHECK_REPORT_PATH.to_string()])
            .filter_map(|p| p.strip_suffix("/index.html").map(String::from))
            .collect();
        folders.sort();
        let mut known: Vec<&str> = SITE_WIDE_FOLDERS.iter().map(|(f, _)| *f).collect();
        known.sort();
        assert_eq!(folders, known);
    }

    fn municipality(slug: &str, serves: &str) -> LoadedMunicipality {
        let text = format!(
            "serves = [{serves}]\n{}",
            include_str!("../tests/golden/_valid.toml.txt")
        );
        let path = std::path::PathBuf::from(format!("{slug}.toml"));
        let (source, data) = SourceFile::parse_typed::<Municipality>(path, text);
        LoadedMunicipality {
            slug: slug.to_string(),
            source,
            data: data.unwrap(),
            warnings: Vec::new(),
        }
    }

    fn content(municipalities: Vec<LoadedMunicipality>) -> Content {
        let site_source = SourceFile::new("site.toml".into(), "title = \"t\"\n".into());
        Content {
            dir: ".".into(),
            site: toml::from_str(&site_source.text).unwrap(),
            site_source,
            municipalities,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn the_guard_refuses_two_pages_at_one_address_and_a_page_outside() {
        let fine = content(vec![municipality("a", "\"B\""), municipality("c", "")]);
        check_jobs(&fine, &crate::site::jobs(&fine)).unwrap();

        let twice = content(vec![municipality("a", ""), municipality("a", "")]);
        let errors = check_jobs(&twice, &crate::site::jobs(&twice)).unwrap_err();
        assert!(errors[0].message.contains("a/index.html"), "{}", errors[0]);

        let served_front = content(vec![municipality("a", "\"C\""), municipality("c", "")]);
        let errors = check_jobs(&served_front, &crate::site::jobs(&served_front)).unwrap_err();
        assert!(errors[0].message.contains("c/index.html"), "{}", errors[0]);

        for bad in ["\"!!!\"", "\"Tjek\""] {
            let outside = content(vec![municipality("a", bad)]);
            assert!(
                check_jobs(&outside, &crate::site::jobs(&outside)).is_err(),
                "{bad}"
            );
        }
        let nameless = content(vec![municipality("", "")]);
        assert!(check_jobs(&nameless, &crate::site::jobs(&nameless)).is_err());
    }
}
