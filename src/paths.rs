//! Page addresses: every page is written to a clean relative path below the output folder, and
//! no two pages share one.
//!
//! A municipality's own pages lie below the folder named by its file (`holbaek.toml` ->
//! `holbaek/`), and a municipality it serves gets one page in the folder of the served name
//! (`"Lemvig"` -> `lemvig/`). This module holds the rules on names and paths, below every
//! stage that uses them; each check sits with the data it reads. The addresses stay apart when
//! - each file name and each served name is a slug with a letter, and no site-wide page's folder
//!   ([`crate::load::file_name_problem`], [`crate::load::check_serves`], when a file is read);
//! - no served name is another municipality's file, and no two municipalities serve the same
//!   name (`site::check_across`, where all municipalities are known).
//!
//! `site::check_jobs` is the last guard, over every page of the site, before pages are
//! rendered.

/// The folders of the site-wide pages, with what the editor knows them as.
pub(crate) const SITE_WIDE_FOLDERS: [(&str, &str); 6] = [
    ("ordliste", "ordlisten"),
    ("skjul-dit-besoeg", "siden om at skjule dit besøg"),
    ("was", "linket til tilgængelighedserklæringen"),
    ("tjek", "tjek-rapporten"),
    ("sammenlign", "sammenligningen af kommunerne"),
    ("data", "de åbne data"),
];

/// The path of the check report, written beside the pages of [`crate::site::jobs`].
pub(crate) const CHECK_REPORT_PATH: &str = "tjek/index.html";

/// The path of the comparison of the municipalities, written beside the check report.
pub(crate) const COMPARE_PATH: &str = "sammenlign/index.html";

/// What the site-wide page in folder `slug` is, if there is one.
pub(crate) fn site_wide_page(slug: &str) -> Option<&'static str> {
    SITE_WIDE_FOLDERS
        .iter()
        .find(|(folder, _)| *folder == slug)
        .map(|(_, what)| *what)
}

/// Whether `slug` can name a municipality's folder: a slug with at least one letter.
pub(crate) fn is_page_folder(slug: &str) -> bool {
    is_slug(slug) && slug.chars().any(|c| c.is_ascii_lowercase())
}

/// Whether `s` is a slug: small letters a-z, digits and inner hyphens.
pub(crate) fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// The file name for a municipality: "Holbæk" -> "holbaek".
pub fn slug_for(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().to_lowercase().chars() {
        match c {
            'æ' => out.push_str("ae"),
            'ø' => out.push_str("oe"),
            'å' => out.push_str("aa"),
            'é' | 'è' => out.push('e'),
            'ü' => out.push('u'),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => {
                if !out.ends_with('-') && !out.is_empty() {
                    out.push('-')
                }
            }
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Page address of a served municipality: "Lemvig" -> "lemvig".
pub(crate) fn served_slug(name: &str) -> String {
    slug_for(name)
}

/// The files a site with a `base_url` has at its root besides its pages (see
/// [`crate::site::site_wide_jobs`]).
pub(crate) const ROOT_FILES: [&str; 3] = ["sitemap.xml", "robots.txt", "404.html"];

/// Whether `path` is a clean relative path of a page: folders of letters, digits, `-` and `_`,
/// ending in `index.html` (or a data file's name, see [`is_data_file_name`]), or one of
/// [`ROOT_FILES`]. Nothing absolute, no `.` or `..`, no empty part.
pub(crate) fn is_clean_page_path(path: &str) -> bool {
    if ROOT_FILES.contains(&path) {
        return true;
    }
    let file = path.rsplit_once('/').map_or(path, |(_, name)| name);
    if !is_data_file_name(file) {
        return false;
    }
    let folders = &path[..path.len() - file.len()];
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

/// Whether `name` can be a page's file name: `index.html`, or a machine-readable file of the
/// site (open data, and the like) named with small letters, digits and hyphens and ending in
/// `.json`, `.xml` or `.txt`.
fn is_data_file_name(name: &str) -> bool {
    name == "index.html"
        || name.rsplit_once('.').is_some_and(|(stem, ext)| {
            ["json", "xml", "txt"].contains(&ext)
                && !stem.is_empty()
                && stem
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_page_paths_stay_below_the_output() {
        for ok in [
            "index.html",
            "ordliste/index.html",
            "holbaek/tilbud/dag-1/index.html",
            "holbaek/kvalitetsstandard.json",
            "data/alle.json",
            "sitemap.xml",
            "404.html",
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
            "/robots.txt",
        ] {
            assert!(!is_clean_page_path(bad), "{bad}");
        }
    }

    #[test]
    fn site_wide_folders_are_the_pages_the_site_writes() {
        let site: crate::model::Site =
            toml::from_str("title = \"t\"\naccessibility_statement = \"https://was.digst.dk/x\"\nquick_exit = \"https://www.dr.dk/\"\n")
                .unwrap();
        let mut folders: Vec<String> = crate::site::site_wide_jobs(&site, false)
            .iter()
            .map(|job| job.path_in(None))
            .chain([
                CHECK_REPORT_PATH.to_string(),
                COMPARE_PATH.to_string(),
                crate::site::Job::AllData.path_in(None),
            ])
            .filter_map(|p| p.split_once('/').map(|(folder, _)| folder.to_string()))
            .collect();
        folders.sort();
        let mut known: Vec<&str> = SITE_WIDE_FOLDERS.iter().map(|(f, _)| *f).collect();
        known.sort();
        assert_eq!(folders, known);
    }
}
