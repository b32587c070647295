//! Reading content files into the model, with editor-friendly diagnostics.
//!
//! Every file is parsed twice: once into a tree of spans (so later stages can point at "line
//! 42" for any key), once into the typed model. Errors from the second parse are translated into
//! Danish and placed using the first.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, danish_io_error, nearest};
use crate::model::{Municipality, Site};

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
}

/// A content file's text and where each key sits in it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    keys: HashMap<String, KeySpan>,
    /// Byte offset where each line starts, so a line number costs a binary search.
    line_starts: Vec<usize>,
}

#[derive(Debug, Clone)]
struct KeySpan {
    key: Range<usize>,
    value: Range<usize>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> Self {
        let mut keys = HashMap::new();
        let (root, _errors) = DeTable::parse_recoverable(&text);
        collect_spans(root.get_ref(), "", &mut keys);
        Self::with_keys(path, text, keys)
    }

    fn with_keys(path: PathBuf, text: String, keys: HashMap<String, KeySpan>) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path,
            text,
            keys,
            line_starts,
        }
    }

    /// Reads a file into `T`, parsing the TOML once for both the key positions and the model.
    /// Every syntax error is reported; of type errors, the first.
    pub fn parse_typed<T: DeserializeOwned>(
        path: PathBuf,
        text: String,
    ) -> (SourceFile, Result<T, Vec<Diagnostic>>) {
        let mut keys = HashMap::new();
        let (root, syntax) = DeTable::parse_recoverable(&text);
        collect_spans(root.get_ref(), "", &mut keys);
        let result = if syntax.is_empty() {
            T::deserialize(toml::de::Deserializer::from(root)).map_err(|e| vec![e])
        } else {
            drop(root);
            Err(syntax)
        };
        let source = Self::with_keys(path, text, keys);
        let result =
            result.map_err(|errors| errors.iter().map(|e| translate::<T>(e, &source)).collect());
        (source, result)
    }

    /// 1-based line of a byte offset.
    pub fn line_at(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// Byte range of a key such as `units[0].phone` (the key itself, for underlining).
    pub fn key_span(&self, path: &str) -> Option<Range<usize>> {
        self.keys.get(path).map(|k| k.key.clone())
    }

    /// 1-based line of a key, or of the nearest enclosing table that exists.
    pub fn line_of(&self, path: &str) -> Option<usize> {
        let mut path = path;
        loop {
            if let Some(span) = self.keys.get(path) {
                return Some(self.line_at(span.key.start));
            }
            path = parent_path(path)?;
        }
    }

    /// A diagnostic placed at a key, or at the file when the key is absent.
    pub fn diagnostic_at(&self, mut d: Diagnostic, path: &str) -> Diagnostic {
        let mut p = path;
        loop {
            if let Some(span) = self.keys.get(p) {
                d = d.at(&self.text, span.key.clone());
                break;
            }
            match parent_path(p) {
                Some(parent) => p = parent,
                None => break,
            }
        }
        d.key(path)
    }

    /// The key named `name` whose key text starts at `offset` (an unknown key's own position).
    fn key_named_at(&self, offset: usize, name: &str) -> Option<&str> {
        self.keys
            .iter()
            .filter(|(path, s)| {
                s.key.start == offset
                    && (path.as_str() == name || path.ends_with(&format!(".{name}")))
            })
            .min_by_key(|(path, _)| path.len())
            .map(|(path, _)| path.as_str())
    }

    /// The table whose value is exactly `span`: where serde reports a missing field.
    fn table_with_span(&self, span: &Range<usize>) -> Option<&str> {
        self.keys
            .iter()
            .filter(|(_, s)| s.value == *span)
            .max_by_key(|(path, _)| path.len())
            .map(|(path, _)| path.as_str())
    }

    /// The deepest key whose key or value contains the byte offset.
    fn key_at(&self, offset: usize) -> Option<&str> {
        self.keys
            .iter()
            .filter(|(_, s)| {
                (s.key.start <= offset && offset < s.key.end.max(s.key.start + 1))
                    || (s.value.start <= offset && offset < s.value.end.max(s.value.start + 1))
            })
            .max_by_key(|(path, s)| (path.len(), std::cmp::Reverse(s.value.len())))
            .map(|(path, _)| path.as_str())
    }
}

fn parent_path(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    let cut = path.rfind(['.', '['])?;
    Some(&path[..cut])
}

fn collect_spans(table: &DeTable<'_>, prefix: &str, out: &mut HashMap<String, KeySpan>) {
    for (key, value) in table.iter() {
        let path = if prefix.is_empty() {
            key.get_ref().to_string()
        } else {
            format!("{prefix}.{}", key.get_ref())
        };
        out.insert(
            path.clone(),
            KeySpan {
                key: key.span(),
                value: value.span(),
            },
        );
        collect_value(value.get_ref(), key.span(), value.span(), &path, out);
    }
}

fn collect_value(
    value: &DeValue<'_>,
    key: Range<usize>,
    span: Range<usize>,
    path: &str,
    out: &mut HashMap<String, KeySpan>,
) {
    match value {
        DeValue::Table(t) => collect_spans(t, path, out),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let item_path = format!("{path}[{i}]");
                // An array of tables has no key of its own per item; its header is the best place.
                let item_key = if matches!(item.get_ref(), DeValue::Table(_))
                    && item.span().start > span.start
                {
                    item.span()
                } else {
                    key.clone()
                };
                out.insert(
                    item_path.clone(),
                    KeySpan {
                        key: item_key.clone(),
                        value: item.span(),
                    },
                );
                collect_value(item.get_ref(), item_key, item.span(), &item_path, out);
            }
        }
        _ => {}
    }
}

/// Reads `site.toml` and every municipality file in `dir`. All problems found are returned
/// together.
pub fn load_content(dir: &Path) -> Result<Content, Vec<Diagnostic>> {
    let site_path = dir.join("site.toml");
    let mut errors = Vec::new();

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
        .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
        .filter(|p| p.file_name().is_some_and(|n| n != "site.toml"))
        // Editors keep lock and backup files beside the one being edited (".#holbaek.toml").
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| !n.to_string_lossy().starts_with(['.', '#']))
        })
        .collect();
    files.sort();

    let site = match read_text(&site_path) {
        Ok(text) => match SourceFile::parse_typed::<Site>(site_path.clone(), text) {
            (source, Ok(site)) => Some((site, source)),
            (_, Err(mut d)) => {
                errors.append(&mut d);
                None
            }
        },
        Err(d) => {
            errors.push(d.hint("Opret content/site.toml med mindst: title = \"Sidens titel\""));
            None
        }
    };

    let results: Vec<Result<LoadedMunicipality, Vec<Diagnostic>>> =
        files.par_iter().map(|p| load_municipality(p)).collect();
    let mut municipalities = Vec::new();
    for r in results {
        match r {
            Ok(m) => municipalities.push(m),
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
            link_glossary(&site, &mut municipalities);
            Ok(Content {
                dir: dir.to_path_buf(),
                site,
                site_source,
                municipalities,
                warnings: Vec::new(),
            })
        }
        _ => Err(errors),
    }
}

/// Links the glossary's words in the municipalities' prose; part of [`load_content`], and
/// what a municipality read alone with [`load_municipality`] needs before it is rendered.
pub fn link_glossary(site: &Site, municipalities: &mut [LoadedMunicipality]) {
    let linker = crate::glossary::Linker::new(site);
    if !linker.is_empty() {
        municipalities.par_iter_mut().for_each(|m| {
            m.data.for_each_prose_mut(|key, md| {
                // Law texts are quoted as the law has them; links inside would change
                // the quote.
                if !key.starts_with("law[") {
                    linker.link(md)
                }
            })
        });
    }
}

fn read_text(path: &Path) -> Result<String, Diagnostic> {
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(text),
            Err(e) => {
                let offset = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                Err(Diagnostic::error(path, "Filen er ikke gemt som UTF-8")
                    .at(&text, offset..offset + 1)
                    .hint("Gem filen med tegnsættet UTF-8 i din editor, så æ, ø og å kommer med"))
            }
        },
        Err(e) => Err(Diagnostic::error(
            path,
            format!("Filen kan ikke læses: {}", danish_io_error(&e)),
        )),
    }
}

/// Reads and validates one municipality file.
pub fn load_municipality(path: &Path) -> Result<LoadedMunicipality, Vec<Diagnostic>> {
    let text = read_text(path).map_err(|d| vec![d])?;
    let slug = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut errors = Vec::new();
    if !is_slug(&slug) {
        errors.push(
            Diagnostic::error(
                path,
                format!("Filnavnet «{slug}» kan ikke bruges som sideadresse"),
            )
            .expected("små bogstaver a-z, tal og bindestreger, fx holbaek.toml")
            .hint("Omdøb filen: æ -> ae, ø -> oe, å -> aa, mellemrum -> bindestreg"),
        );
    }
    let (source, data) = match SourceFile::parse_typed::<Municipality>(path.to_path_buf(), text) {
        (source, Ok(m)) => (source, m),
        (_, Err(mut d)) => {
            errors.append(&mut d);
            return Err(errors);
        }
    };
    errors.extend(validate(&data, &source));
    if errors.is_empty() {
        Ok(LoadedMunicipality { slug, source, data })
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

/// Rules serde cannot express: identifiers unique and well-formed, references that resolve.
fn validate(m: &Municipality, source: &SourceFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let error = |message: String| Diagnostic::error(&source.path, message);

    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, offer) in m.offers.iter().enumerate() {
        let key = format!("offers[{i}].id");
        if !is_slug(&offer.id) {
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
        if let Some(first) = seen.insert(&offer.id, i) {
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

/// Parses a file into `T`, turning serde's English into a Danish diagnostic.
pub fn parse<T: DeserializeOwned>(source: &SourceFile) -> Result<T, Diagnostic> {
    toml::from_str::<T>(&source.text).map_err(|e| translate::<T>(&e, source))
}

fn translate<T: DeserializeOwned>(e: &toml::de::Error, source: &SourceFile) -> Diagnostic {
    let message = e.message().trim().to_string();
    let span = e.span().unwrap_or(0..0);
    let key = source.key_at(span.start).map(str::to_string);
    let base = Diagnostic::error(&source.path, "").at(&source.text, span.clone());
    let mut d = danish_message(&message, key.as_deref(), source, span, &|k| {
        belongs_at_top::<T>(k)
    });
    d.file = base.file;
    if d.line.is_none() {
        d.line = base.line;
        d.column = base.column;
        d.source_line = base.source_line;
        d.underline = base.underline;
    }
    if d.key.is_none() {
        d.key = key;
    }
    d
}

/// Whether `key` is a key of the file's top level (so it was written under the wrong table).
fn belongs_at_top<T: DeserializeOwned>(key: &str) -> bool {
    if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return false;
    }
    match toml::from_str::<T>(&format!("{key} = 0")) {
        Ok(_) => true,
        Err(e) => !e.message().starts_with("unknown field"),
    }
}

fn backticked(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

fn danish_message(
    message: &str,
    key: Option<&str>,
    source: &SourceFile,
    span: Range<usize>,
    top_level: &dyn Fn(&str) -> bool,
) -> Diagnostic {
    let d = |msg: String| Diagnostic::error(&source.path, msg);
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let names = backticked(rest);
        let unknown = names.first().copied().unwrap_or("?");
        let expected = &names[1.min(names.len())..];
        let mut diag = d(format!("Ukendt nøgle «{unknown}»"))
            .expected(format!("en af: {}", expected.join(", ")));
        let table = source
            .key_named_at(span.start, unknown)
            .map(|k| k.strip_suffix(unknown).unwrap_or(k).trim_end_matches('.'))
            .or(key)
            .unwrap_or("");
        diag = match nearest(unknown, expected.iter().copied()) {
            Some(near) => diag.hint(format!("Mente du «{near}»?")),
            None if !table.is_empty() && top_level(unknown) => diag.hint(format!(
                "«{unknown}» hører til øverst i filen, men står under overskriften [{}]. Flyt linjen op over den første overskrift i [firkantede parenteser]",
                table.split('[').next().unwrap_or(table)
            )),
            None => diag.hint("Se listen over nøgler i filen, som `kvalitet new` laver"),
        };
        // The key itself, not the table it is in.
        let path = match source.key_named_at(span.start, unknown) {
            Some(k) => k.to_string(),
            None => match key {
                Some(k) => format!("{k}.{unknown}"),
                None => unknown.to_string(),
            },
        };
        return diag.key(path);
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let field = backticked(rest).first().copied().unwrap_or("?").to_string();
        // serde reports the span of the table that lacks the field; the whole file is the top.
        let table = source.table_with_span(&span).unwrap_or("");
        let path = if table.is_empty() {
            field.clone()
        } else {
            format!("{table}.{field}")
        };
        let where_ = if table.is_empty() {
            "øverst i filen".to_string()
        } else {
            format!("i [{table}]")
        };
        return d(format!("Det påkrævede felt «{field}» mangler {where_}"))
            .expected(format!("{field} = ..."))
            .hint(format!("Tilføj linjen «{field} = ...» {where_}"))
            .key(path);
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let names = backticked(rest);
        let unknown = names.first().copied().unwrap_or("?");
        let expected = &names[1.min(names.len())..];
        let mut diag = d(format!("Ukendt værdi «{unknown}»"))
            .expected(format!("en af: {}", expected.join(", ")));
        if let Some(near) = nearest(unknown, expected.iter().copied()) {
            diag = diag.hint(format!("Mente du «{near}»?"));
        }
        return diag;
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let expected = danish_expected(expected);
        return d(format!("Forkert type: fandt {}", danish_found(found)))
            .expected(expected.0)
            .hint(expected.1);
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let expected = danish_expected(expected);
        return d(format!("Ugyldig værdi: {}", danish_found(found)))
            .expected(expected.0)
            .hint(expected.1);
    }
    if let Some(rest) = message.strip_prefix("duplicate key") {
        let name = backticked(rest).first().copied().unwrap_or("").to_string();
        return d(format!("Nøglen «{name}» står to gange i samme tabel"))
            .expected("hver nøgle én gang pr. tabel")
            .hint("Slet den ene, eller brug [[...]] hvis der skal være flere af samme slags");
    }
    if message.is_ascii() && !message.contains('«') {
        // The TOML syntax itself is broken: name the likely cause.
        let hint = if message.contains("string") || message.contains('"') {
            "Tjek at teksten står i anførselstegn, og at alle anførselstegn er lukket. Lang tekst skrives mellem \"\"\" og \"\"\""
        } else if message.contains("key") || message.contains('=') {
            "Hver linje skal have formen: nøgle = værdi"
        } else if message.contains("table") || message.contains(']') {
            "Tabeloverskrifter skrives som [navn] eller [[navn]]"
        } else {
            "Sammenlign med et eksempel fra `kvalitet new`"
        };
        let what = if message.contains("must be quoted") {
            "Tekst skal stå i anførselstegn"
        } else if message.starts_with("invalid basic string") || message.contains("unterminated") {
            "Teksten mangler sit afsluttende anførselstegn"
        } else if message.contains("table") && message.contains("]") {
            "Overskriften i [firkantede parenteser] er ikke lukket"
        } else {
            "Filen er ikke gyldig TOML"
        };
        return d(what.to_string())
            .expected(format!("gyldig TOML (parseren siger: {message})"))
            .hint(hint);
    }
    // Our own deserializers already speak Danish and carry their hint after the first sentence.
    match message.split_once(". ") {
        Some((first, rest)) => d(format!("{first}.")).hint(rest.to_string()),
        None => d(message.to_string()),
    }
}

fn danish_found(found: &str) -> String {
    if let Some(s) = found.strip_prefix("string ") {
        format!("teksten {s}")
    } else if let Some(n) = found.strip_prefix("integer ") {
        format!("tallet {}", n.trim_matches('`'))
    } else if let Some(n) = found.strip_prefix("floating point ") {
        format!("kommatallet {}", n.trim_matches('`'))
    } else if let Some(b) = found.strip_prefix("boolean ") {
        b.trim_matches('`').to_string()
    } else {
        match found {
            "sequence" => "en liste".to_string(),
            "map" => "en tabel".to_string(),
            other => other.to_string(),
        }
    }
}

/// What was expected, and how to write it.
fn danish_expected(expected: &str) -> (String, String) {
    let e = expected.trim();
    if e.starts_with('u') || e.starts_with('i') && e[1..].chars().all(|c| c.is_ascii_digit()) {
        return (
            "et helt tal uden anførselstegn".to_string(),
            "Skriv fx 14, ikke \"14\" eller \"14 dage\"".to_string(),
        );
    }
    if e.starts_with('f') {
        return (
            "et tal uden anførselstegn".to_string(),
            "Skriv fx 35 eller 35.5 (med punktum), ikke \"35 %\"".to_string(),
        );
    }
    if e == "a boolean" {
        return (
            "true eller false".to_string(),
            "Skriv true (ja) eller false (nej) uden anførselstegn".to_string(),
        );
    }
    if e.contains("string") {
        return (
            "tekst i anførselstegn".to_string(),
            "Sæt teksten i anførselstegn, fx \"Mandag\"".to_string(),
        );
    }
    if e.contains("sequence") {
        return (
            "en liste".to_string(),
            "Skriv en liste i firkantede parenteser, fx [\"drugs\", \"alcohol\"]".to_string(),
        );
    }
    if e.starts_with("struct") || e.contains("map") {
        return (
            "en tabel".to_string(),
            "Skriv feltet som en tabel med [navn] og linjer med nøgle = værdi".to_string(),
        );
    }
    (
        e.to_string(),
        "Sammenlign med et eksempel fra `kvalitet new`".to_string(),
    )
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
            include_str!("../tests/golden/_valid.toml.txt")
        );
        let (source, data) =
            SourceFile::parse_typed::<Municipality>(PathBuf::from("prove.toml"), text);
        let mut municipalities = vec![LoadedMunicipality {
            slug: "prove".to_string(),
            source,
            data: data.unwrap(),
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
