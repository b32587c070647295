//! Page addresses across files and over every page of the site (see [`crate::paths`]): what a
//! build, the check and the preview run once every municipality is known.

use std::collections::HashMap;

use rayon::prelude::*;

use super::{Job, jobs};
use crate::diagnostic::Diagnostic;
use crate::load::{Content, LoadedMunicipality, at_entry, entry_line, file_name, located};
use crate::paths::{CHECK_REPORT_PATH, COMPARE_PATH, is_clean_page_path, served_slug};

/// Conflicts between municipality files: a served name that is another municipality's file,
/// and a name two municipalities serve. Each is reported at the later `serves` entry.
pub(crate) fn check_across(municipalities: &[LoadedMunicipality]) -> Vec<Diagnostic> {
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

/// The last guard before pages are rendered: every page of `jobs` (with the check report) has
/// a clean relative path, and no two share one.
pub(crate) fn check_jobs(content: &Content, jobs: &[Job]) -> Result<(), Vec<Diagnostic>> {
    let paths: Vec<String> = jobs.par_iter().map(|job| job.path(content)).collect();
    let mut taken: HashMap<&str, Option<&Job>> = HashMap::with_capacity(paths.len() + 1);
    taken.insert(CHECK_REPORT_PATH, None);
    taken.insert(COMPARE_PATH, None);
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
pub(crate) fn check_addresses(content: &Content) -> Result<(), Vec<Diagnostic>> {
    let across = check_across(&content.municipalities);
    if !across.is_empty() {
        return Err(across);
    }
    check_jobs(content, &jobs(content))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::SourceFile;
    use crate::model::Municipality;

    fn municipality(slug: &str, serves: &str) -> LoadedMunicipality {
        let text = format!(
            "serves = [{serves}]\n{}",
            include_str!("../../tests/golden/_valid.toml.txt")
        );
        let path = std::path::PathBuf::from(format!("{slug}.toml"));
        let (source, data) = SourceFile::parse_typed::<Municipality>(path, text);
        LoadedMunicipality {
            slug: slug.to_string(),
            source,
            data: data.unwrap(),
            warnings: Vec::new(),
            history: Default::default(),
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
            draft: false,
        }
    }

    #[test]
    fn the_guard_refuses_two_pages_at_one_address_and_a_page_outside() {
        let fine = content(vec![municipality("a", "\"B\""), municipality("c", "")]);
        check_jobs(&fine, &jobs(&fine)).unwrap();

        let twice = content(vec![municipality("a", ""), municipality("a", "")]);
        let errors = check_jobs(&twice, &jobs(&twice)).unwrap_err();
        assert!(errors[0].message.contains("a/index.html"), "{}", errors[0]);

        let served_front = content(vec![municipality("a", "\"C\""), municipality("c", "")]);
        let errors = check_jobs(&served_front, &jobs(&served_front)).unwrap_err();
        assert!(errors[0].message.contains("c/index.html"), "{}", errors[0]);

        for bad in ["\"!!!\"", "\"Tjek\""] {
            let outside = content(vec![municipality("a", bad)]);
            assert!(check_jobs(&outside, &jobs(&outside)).is_err(), "{bad}");
        }
        let nameless = content(vec![municipality("", "")]);
        assert!(check_jobs(&nameless, &jobs(&nameless)).is_err());
    }
}
