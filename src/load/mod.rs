//! Reading content files into the model, with editor-friendly diagnostics.
//!
//! Every file is parsed once into a tree of spanned values. An index of every key's span is
//! taken from that tree (so later stages can point at "line 42" for any key), and then the tree
//! is deserialised into the typed model. Errors from deserialising are translated into Danish
//! and placed using the index.
//!
//! [`source`] holds a file's text and its key index; [`translate`] says parser and type errors
//! in Danish, [`syntax`] the syntax errors, with [`strings`] finding a string left open and
//! [`fields`] the hint for each kind of key; [`controls`] refuses control characters.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, danish_io_error};
use crate::model::{Municipality, Site};

mod addresses;
pub(crate) mod approved;
mod controls;
mod examples;
mod fields;
mod source;
mod strings;
mod syntax;
mod translate;
pub mod validate;

pub(crate) use addresses::{at_entry, entry_line, file_name, located};
pub(crate) use addresses::{check_serves, file_name_problem};
pub(crate) use approved::APPROVED_DIR;
pub(crate) use source::SourceFile;
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
    /// In a draft build, the municipality's latest approved copy, read for the change report
    /// (`crate::revision`); `None` in every other build and when there is no copy.
    pub approved: Option<Box<ApprovedVersion>>,
}

/// A municipality's latest approved copy (`content/godkendt/<slug>/<date>.toml`), read as its
/// working file is, under the working file's slug.
#[derive(Debug, Clone)]
pub struct ApprovedVersion {
    /// The approval's date, `ÅÅÅÅ-MM-DD`, from the copy's name.
    pub date: String,
    /// The copy, or why it cannot be read (the change report says so instead of comparing).
    pub loaded: Result<LoadedMunicipality, Vec<Diagnostic>>,
}

impl LoadedMunicipality {
    /// Frees the municipality's prose and file text, keeping what a build needs of it once its
    /// pages are written and it is checked: names, addresses, and which topics and offers it
    /// has (so which pages). At national scale the memory freed is what the next municipality
    /// read is put in, while it is still in the processor's cache.
    pub(crate) fn release_text(&mut self) {
        self.approved = None;
        self.data.for_each_prose_mut(|_, md| md.release());
        self.source = SourceFile::with_keys(
            std::mem::take(&mut self.source.path),
            String::new(),
            KeyIndex::default(),
        );
    }
}

/// The municipality files in the content folder `dir`, in name order.
pub(crate) fn municipality_files(dir: &Path) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
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
pub(crate) fn load_site(dir: &Path) -> Result<(Site, SourceFile), Vec<Diagnostic>> {
    let site_path = dir.join("site.toml");
    match read_text(&site_path) {
        Ok(text) => match SourceFile::parse_typed::<Site>(site_path, text) {
            (source, Ok(site)) => {
                let errors = validate::check_site(&site, &source);
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

/// Links the glossary's words in the municipalities' prose; part of
/// [`crate::pipeline::load_content`], and what a municipality read alone with
/// [`load_municipality`] needs before it is rendered.
pub(crate) fn link_glossary(site: &Site, municipalities: &mut [LoadedMunicipality]) {
    let linker = crate::glossary::Linker::new(site);
    municipalities
        .par_iter_mut()
        .for_each(|m| link_municipality(&linker, m));
}

/// [`link_glossary`] for one municipality, with the site's linker made once.
pub(crate) fn link_municipality(linker: &crate::glossary::Linker, m: &mut LoadedMunicipality) {
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
    let slug = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    load_as(path, slug, true)
}

/// Reads and validates an approved copy of the file of the municipality `slug`: named by its
/// date, so its name is not judged as a page address.
pub(crate) fn load_approved_copy(
    path: &Path,
    slug: &str,
) -> Result<LoadedMunicipality, Vec<Diagnostic>> {
    load_as(path, slug.to_string(), false)
}

/// [`load_municipality`] under the page address `slug`; `judge_name` says whether the file's
/// name must make a page address.
fn load_as(
    path: &Path,
    slug: String,
    judge_name: bool,
) -> Result<LoadedMunicipality, Vec<Diagnostic>> {
    let text = read_text(path).map_err(|d| vec![d])?;
    let mut errors: Vec<Diagnostic> = if judge_name {
        file_name_problem(path, &slug, &text).into_iter().collect()
    } else {
        Vec::new()
    };
    let (source, prepared, parsed) = SourceFile::parse_prepared::<Municipality, _>(
        path.to_path_buf(),
        text,
        validate::prepare_municipality,
    );
    let prepared = prepared.unwrap_or_default();
    for r in &prepared.missing {
        errors.push(validate::missing_error(&source, r));
    }
    for key in &prepared.examples {
        errors.push(examples::example_error(&source, key));
    }
    let mut data = match parsed {
        Ok(m) => m,
        Err(d) => {
            // A required key that is missing because its text was empty is told as empty, at
            // its own line.
            errors.extend(d.into_iter().map(|d| match &d.key {
                Some(key) if prepared.emptied.contains(key) => {
                    validate::blank_required_error(&source, key)
                }
                _ => d,
            }));
            return Err(errors);
        }
    };
    data.settle();
    errors.extend(validate::check_file(&data, &source));
    if errors.is_empty() {
        let warnings = prepared
            .blank
            .iter()
            .map(|key| crate::load::validate::blank_warning(&source, key))
            .collect();
        Ok(LoadedMunicipality {
            slug,
            source,
            data,
            warnings,
            approved: None,
        })
    } else {
        Err(errors)
    }
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
            approved: None,
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
