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
pub mod approved;
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
pub use approved::{ApprovedText, History};
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
    /// The draft build: the working files, every page marked as a draft and not for search
    /// engines (see [`crate::pipeline::BuildOptions::draft`]).
    pub draft: bool,
}

#[derive(Debug, Clone)]
pub struct LoadedMunicipality {
    /// The page address, from the file name: `fredericia.toml` -> `fredericia`.
    pub slug: String,
    pub source: SourceFile,
    pub data: Municipality,
    /// Problems in the file that do not stop the build (text left empty).
    pub warnings: Vec<Diagnostic>,
    /// Its approved versions and which text the pages show; empty when read alone with
    /// [`load_municipality`] (as `kvalitet check` reads it), see [`approved::load_for_site`].
    pub history: History,
}

impl LoadedMunicipality {
    /// Whether `want` names this municipality, as an editor names one on the command line: its
    /// file name (`nyborg`) or its name, short or full, in any case.
    pub fn is_named(&self, want: &str) -> bool {
        let want_lower = want.trim().to_lowercase();
        self.slug == crate::paths::slug_for(crate::paths::short_name_of(want))
            || self.data.short_name.to_lowercase() == want_lower
            || self.data.name.to_lowercase() == want_lower
    }

    /// Frees the municipality's prose and file text, keeping what a build needs of it once its
    /// pages are written and it is checked: names, addresses, and which topics and offers it
    /// has (so which pages). At national scale the memory freed is what the next municipality
    /// read is put in, while it is still in the processor's cache.
    pub(crate) fn release_text(&mut self) {
        for version in &mut self.history.versions {
            version.loaded.release_text();
        }
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
    for version in &mut m.history.versions {
        link_municipality(linker, &mut version.loaded);
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
    text_of(path, crate::confine::read_in_own_folder(path, "Filen")?)
}

/// The text of the content file `path` from its bytes, as [`read_text`] has it.
pub(crate) fn text_of(path: &Path, mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
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
    municipality_from_text(path, text)
}

/// Validates `text` as the municipality file at `path` would be: what [`load_municipality`]
/// does once the file is read, for a text not yet written there.
pub(crate) fn municipality_from_text(
    path: &Path,
    text: String,
) -> Result<LoadedMunicipality, Vec<Diagnostic>> {
    let slug = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let errors: Vec<Diagnostic> = file_name_problem(path, &slug, &text).into_iter().collect();
    load_text(path, slug, text, errors)
}

/// Validates the text of one municipality file read from `path`, its pages at `slug`; `errors`
/// are the problems found before.
pub(crate) fn load_text(
    path: &Path,
    slug: String,
    text: String,
    mut errors: Vec<Diagnostic>,
) -> Result<LoadedMunicipality, Vec<Diagnostic>> {
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
            history: History::default(),
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
            history: History::default(),
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
