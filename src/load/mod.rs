//! Reading content files into the model, with editor-friendly diagnostics.
//!
//! Every file is parsed once into a tree of spanned values. An index of every key's span is
//! taken from that tree (so later stages can point at "line 42" for any key), and then the tree
//! is deserialised into the typed model. Errors from deserialising are translated into Danish
//! and placed using the index.
//!
//! [`source`] holds a file's text and its key index; [`translate`] says parser errors in
//! Danish; [`controls`] refuses control characters.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, danish_io_error, nearest};
use crate::model::{Municipality, Site};

mod controls;
mod source;
mod translate;

pub use source::SourceFile;
pub use translate::parse;

use source::KeyIndex;

/// All content of a site, validated.
#[derive(Debug, Clone)]
pub struct Content {
    pub dir: PathBuf,
    pub site: Site,
    pub site_source: SourceFile,
    pub municipalities: Vec<LoadedMunicipality>,
    /// Problems that do not stop the build.
    pub warnings: Vec<Diagnostic>,
}

#[derive(Debug, Clone)]
pub struct LoadedMunicipality {
    /// The page address, from the file name: `fredericia.toml` -> `fredericia`.
    pub slug: String,
    pub source: SourceFile,
    pub data: Municipality,
    /// Problems in the file that do not stop the build (text left empty).
    pub warnings: Vec<Diagnostic>,
}

impl LoadedMunicipality {
    /// Frees the municipality's prose and file text, keeping what a build needs of it once its
    /// pages are written and it is checked: names, addresses, and which topics and offers it
    /// has (so which pages). At national scale the memory freed is what the next municipality
    /// read is put in, while it is still in the processor's cache.
    pub fn release_text(&mut self) {
        self.data.for_each_prose_mut(|_, md| md.release());
        self.source = SourceFile::with_keys(
            std::mem::take(&mut self.source.path),
            String::new(),
            KeyIndex::default(),
        );
    }
}

/// Reads `site.toml` and every municipality file in `dir`. All problems found are returned
/// together.
pub fn load_content(dir: &Path) -> Result<Content, Vec<Diagnostic>> {
    let files = municipality_files(dir)?;
    let site = load_site(dir);
    let results: Vec<Result<LoadedMunicipality, Vec<Diagnostic>>> =
        files.par_iter().map(|p| load_municipality(p)).collect();
    let mut content = assemble(dir, site, results)?;
    link_glossary(&content.site, &mut content.municipalities);
    Ok(content)
}

/// The municipality files in the content folder `dir`, in name order.
pub fn municipality_files(dir: &Path) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            return Err(vec![
                Diagnostic::error(
                    dir,
                    format!("Indholdsmappen kan ikke læses: {}", danish_io_error(&e)),
                )
                .hint("Angiv mappen med indhold med --content, fx --content content"),
            ]);
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        // Everything but folders: a link or a FIFO is listed, so that reading it is refused
        // with a message instead of being skipped without a word.
        .filter(|p| {
            p.extension().is_some_and(|e| e == "toml")
                && std::fs::symlink_metadata(p).is_ok_and(|m| !m.is_dir())
        })
        .filter(|p| p.file_name().is_some_and(|n| n != "site.toml"))
        // Editors keep lock and backup files beside the one being edited (".#holbaek.toml").
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| !n.to_string_lossy().starts_with(['.', '#']))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Reads `site.toml` in the content folder `dir`.
pub fn load_site(dir: &Path) -> Result<(Site, SourceFile), Vec<Diagnostic>> {
    let site_path = dir.join("site.toml");
    match read_text(&site_path) {
        Ok(text) => match SourceFile::parse_typed::<Site>(site_path, text) {
            (source, Ok(site)) => {
                let errors = crate::validate::check_site(&site, &source);
                if errors.is_empty() {
                    Ok((site, source))
                } else {
                    Err(errors)
                }
            }
            (_, Err(d)) => Err(d),
        },
        Err(d) => {
            Err(vec![d.hint(
                "Opret content/site.toml med mindst: title = \"Sidens titel\"",
            )])
        }
    }
}

/// The content of folder `dir` from its site and its municipalities loaded one by one (in the
/// order of [`municipality_files`]), or every problem found in any of them. Glossary links are
/// not made here (see [`link_glossary`]).
pub fn assemble(
    dir: &Path,
    site: Result<(Site, SourceFile), Vec<Diagnostic>>,
    results: Vec<Result<LoadedMunicipality, Vec<Diagnostic>>>,
) -> Result<Content, Vec<Diagnostic>> {
    let (site, mut errors) = match site {
        Ok(site) => (Some(site), Vec::new()),
        Err(errors) => (None, errors),
    };
    let mut municipalities = Vec::new();
    let mut warnings = Vec::new();
    for r in results {
        match r {
            Ok(m) => {
                warnings.extend(m.warnings.iter().cloned());
                municipalities.push(m)
            }
            Err(mut d) => errors.append(&mut d),
        }
    }
    if municipalities.is_empty() && errors.is_empty() {
        errors.push(
            Diagnostic::error(dir, "Der er ingen kommuner i indholdsmappen")
                .hint("Opret en med: kvalitet new <kommunens navn>"),
        );
    }
    match site {
        Some((site, site_source)) if errors.is_empty() => {
            let content = Content {
                dir: dir.to_path_buf(),
                site,
                site_source,
                municipalities,
                warnings,
            };
            crate::paths::check_site(&content)?;
            Ok(content)
        }
        _ => Err(errors),
    }
}

/// Links the glossary's words in the municipalities' prose; part of [`load_content`], and
/// what a municipality read alone with [`load_municipality`] needs before it is rendered.
pub fn link_glossary(site: &Site, municipalities: &mut [LoadedMunicipality]) {
    let linker = crate::glossary::Linker::new(site);
    municipalities
        .par_iter_mut()
        .for_each(|m| link_municipality(&linker, m));
}

/// [`link_glossary`] for one municipality, with the site's linker made once.
pub fn link_municipality(linker: &crate::glossary::Linker, m: &mut LoadedMunicipality) {
    if linker.is_empty() {
        return;
    }
    m.data.for_each_prose_mut(|key, md| {
        // Law texts are quoted as the law has them; links inside would change the quote.
        if !key.starts_with("law[") {
            linker.link(md)
        }
    })
}

/// The text of a content file. A link is followed only when it stays in the file's folder,
/// and only regular files are read (see [`crate::confine`]). A lone "\r" (old Mac line end)
/// becomes "\n": the same length, so every position stays where it was.
pub(crate) fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let mut bytes = crate::confine::read_in_own_folder(path, "Filen")?;
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'\r', &bytes[from..]) {
        let i = from + i;
        if bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
        from = i + 1;
    }
    // Checked with SIMD, several times faster than std on Danish text; the one copy costs less
    // than the check it saves. std's check finds where a bad file goes wrong.
    if let Ok(text) = simdutf8::basic::from_utf8(&bytes) {
        return Ok(text.to_owned());
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Err(Diagnostic::error(path, "Filen er ikke gemt som UTF-8")
                .at(&text, offset..offset + 1)
                .hint("Gem filen med tegnsættet UTF-8 i din editor, så æ, ø og å kommer med"))
        }
    }
}

/// Reads and validates one municipality file.
pub fn load_municipality(path: &Path) -> Result<LoadedMunicipality, Vec<Diagnostic>> {
    let text = read_text(path).map_err(|d| vec![d])?;
    let slug = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut errors: Vec<Diagnostic> = crate::paths::file_name_problem(path, &slug, &text)
        .into_iter()
        .collect();
    let (source, prepared, parsed) = SourceFile::parse_prepared::<Municipality, _>(
        path.to_path_buf(),
        text,
        crate::validate::prepare_municipality,
    );
    let prepared = prepared.unwrap_or_default();
    for r in &prepared.missing {
        errors.push(crate::validate::missing_error(&source, r));
    }
    for key in &prepared.examples {
        errors.push(crate::scaffold::example_error(&source, key));
    }
    let mut data = match parsed {
        Ok(m) => m,
        Err(d) => {
            // A required key that is missing because its text was empty is told as empty, at
            // its own line.
            errors.extend(d.into_iter().map(|d| match &d.key {
                Some(key) if prepared.emptied.contains(key) => {
                    crate::validate::blank_required_error(&source, key)
                }
                _ => d,
            }));
            return Err(errors);
        }
    };
    data.settle();
    errors.extend(validate(&data, &source));
    if errors.is_empty() {
        let warnings = prepared
            .blank
            .iter()
            .map(|key| crate::validate::blank_warning(&source, key))
            .collect();
        Ok(LoadedMunicipality {
            slug,
            source,
            data,
            warnings,
        })
    } else {
        Err(errors)
    }
}

pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// Rules serde cannot express: identifiers unique and well-formed, references that resolve,
/// values that say something ([`crate::validate`]) and page addresses ([`crate::paths`]).
fn validate(m: &Municipality, source: &SourceFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let error = |message: String| Diagnostic::error(&source.path, message);

    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, offer) in m.offers.iter().enumerate() {
        let key = format!("offers[{i}].id");
        if offer.id.is_empty() {
            // A name-only offer has no page, so no address; one with a page needs an id.
            if offer.has_page {
                out.push(
                    source.diagnostic_at(
                        error(format!(
                            "Tilbuddet «{}» får sin egen side, men har intet id",
                            offer.title
                        ))
                        .expected("id = et kort navn til sidens adresse")
                        .hint("Skriv fx id = \"<kort-navn>\" med små bogstaver, tal og bindestreger. Et tilbud, der kun har et navn (title), får ingen side og behøver intet id"),
                        &format!("offers[{i}]"),
                    ),
                );
            }
        } else if !is_slug(&offer.id) {
            out.push(
                source.diagnostic_at(
                    error(format!(
                        "Tilbuddets id «{}» kan ikke bruges som sideadresse",
                        offer.id
                    ))
                    .expected("små bogstaver a-z, tal og bindestreger, fx \"dagbehandling\"")
                    .hint("æ -> ae, ø -> oe, å -> aa, mellemrum -> bindestreg"),
                    &key,
                ),
            );
        }
        if !offer.id.is_empty()
            && let Some(first) = seen.insert(&offer.id, i)
        {
            let first_line = source
                .line_of(&format!("offers[{first}].id"))
                .map_or(String::new(), |l| format!(" (linje {l})"));
            out.push(
                source.diagnostic_at(
                    error(format!("To tilbud har samme id «{}»", offer.id))
                        .expected("et id, som ingen andre tilbud i filen har")
                        .hint(format!(
                            "Det første tilbud med dette id står tidligere i filen{first_line}. Giv et af dem et andet id"
                        )),
                    &key,
                ),
            );
        }
        if let Some(unit) = &offer.unit
            && !m.units.iter().any(|u| &u.id == unit)
        {
            let ids: Vec<&str> = m.units.iter().map(|u| u.id.as_str()).collect();
            let mut d = error(format!(
                "Tilbuddet «{}» henviser til et ukendt sted «{unit}»",
                offer.title
            ))
            .expected(if ids.is_empty() {
                "id på et sted under [[units]]".to_string()
            } else {
                format!("et af: {}", ids.join(", "))
            });
            if let Some(near) = nearest(unit, ids.iter().copied()) {
                d = d.hint(format!("Mente du «{near}»?"));
            }
            out.push(source.diagnostic_at(d, &format!("offers[{i}].unit")));
        }
        if let (Some(lo), Some(hi)) = (offer.age_min, offer.age_max)
            && lo > hi
        {
            out.push(
                source.diagnostic_at(
                    error(format!(
                        "Alderen går fra {lo} til {hi} år: den mindste alder er størst"
                    ))
                    .hint("Byt om på age_min og age_max"),
                    &format!("offers[{i}].age_min"),
                ),
            );
        }
    }

    out.extend(crate::validate::check_municipality(m, source));
    out.extend(crate::paths::check_serves(m, source));

    let mut units: HashMap<&str, usize> = HashMap::new();
    for (i, unit) in m.units.iter().enumerate() {
        if units.insert(&unit.id, i).is_some() {
            out.push(
                source.diagnostic_at(
                    error(format!("To steder har samme id «{}»", unit.id))
                        .expected("et id, som ingen andre steder i filen har"),
                    &format!("units[{i}].id"),
                ),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glossary_links_reach_every_prose_field_but_the_law_quotes() {
        let site: Site = toml::from_str(
            "title = \"t\"\n[[glossary]]\nterm = \"visitation\"\nexplanation = \"x\"\n",
        )
        .unwrap();
        let text = format!(
            "{}\n[tasks]\ntext = \"Vi står for visitation.\"\n\n[[law]]\nreference = \"SEL § 101\"\ntitle = \"Serviceloven § 101\"\ntext = \"Kommunen træffer afgørelse efter visitation.\"\n",
            include_str!("../../tests/golden/_valid.toml.txt")
        );
        let (source, data) =
            SourceFile::parse_typed::<Municipality>(PathBuf::from("prove.toml"), text);
        let mut municipalities = vec![LoadedMunicipality {
            slug: "prove".to_string(),
            source,
            data: data.unwrap(),
            warnings: Vec::new(),
        }];
        link_glossary(&site, &mut municipalities);
        let m = &municipalities[0].data;
        let tasks = &m.tasks.as_ref().unwrap().text.html;
        assert!(
            tasks.contains("ordliste/#visitation\">visitation</a>"),
            "{tasks}"
        );
        let law = &m.law[0].text.as_ref().unwrap().html;
        assert!(
            !law.contains("<a"),
            "a quote is left as the law has it: {law}"
        );
    }
}
