//! Reading content files into the model, with editor-friendly diagnostics.
//!
//! Every file is parsed once into a tree of spanned values. An index of every key's span is
//! taken from that tree (so later stages can point at "line 42" for any key), and then the tree
//! is deserialised into the typed model. Errors from deserialising are translated into Danish
//! and placed using the index.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, SHOWN_PER_FILE, danish_io_error, nearest};
use crate::model::{Municipality, Site};

mod controls;

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

/// A content file's text and where each key sits in it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    keys: KeyIndex,
    /// Byte offset where each line starts, so a line number costs a binary search.
    line_starts: Vec<usize>,
}

#[derive(Debug, Clone)]
struct KeySpan {
    key: Range<usize>,
    value: Range<usize>,
}

/// Key paths (`units[0].phone`) to their spans. The paths are kept one after another in one
/// string and found through an open-addressing hash table, so a file's few thousand keys cost
/// no allocation each.
#[derive(Debug, Clone, Default)]
struct KeyIndex {
    /// Every path, one after another.
    paths: String,
    /// In the order the keys were found; a path found again replaces its span in place.
    entries: Vec<KeyEntry>,
    /// Index into `entries` plus one, 0 for a free slot; the length is a power of two.
    slots: Vec<u32>,
}

#[derive(Debug, Clone)]
struct KeyEntry {
    path: Range<u32>,
    span: KeySpan,
}

impl KeyIndex {
    fn path(&self, entry: &KeyEntry) -> &str {
        &self.paths[entry.path.start as usize..entry.path.end as usize]
    }

    /// The slot holding `path`, or the free slot where it belongs.
    fn slot(&self, path: &str) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = hash(path.as_bytes()) as usize & mask;
        loop {
            match self.slots[i] {
                0 => return i,
                e if self.path(&self.entries[e as usize - 1]) == path => return i,
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Adds the path `self.paths[start..]`, just written, or gives an earlier one its span.
    fn insert(&mut self, start: usize, span: KeySpan) {
        if (self.entries.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let slot = self.slot(&self.paths[start..]);
        match self.slots[slot] {
            0 => {
                self.entries.push(KeyEntry {
                    path: start as u32..self.paths.len() as u32,
                    span,
                });
                self.slots[slot] = self.entries.len() as u32;
            }
            // The new copy of the path stays in `paths`: the caller goes on to use it.
            e => self.entries[e as usize - 1].span = span,
        }
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(64);
        self.slots = vec![0; size];
        for e in 0..self.entries.len() {
            let entry = &self.entries[e];
            let slot = self.slot(self.path(entry));
            self.slots[slot] = e as u32 + 1;
        }
    }

    fn get(&self, path: &str) -> Option<&KeySpan> {
        if self.slots.is_empty() {
            return None;
        }
        match self.slots[self.slot(path)] {
            0 => None,
            e => Some(&self.entries[e as usize - 1].span),
        }
    }

    fn iter(&self) -> impl Iterator<Item = (&str, &KeySpan)> {
        self.entries.iter().map(|e| (self.path(e), &e.span))
    }
}

/// FxHash over eight bytes at a time: paths are short and not chosen by an attacker.
fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = 0u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        h = (h.rotate_left(5) ^ word).wrapping_mul(K);
    }
    let mut last = [0u8; 8];
    last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    h = (h.rotate_left(5) ^ u64::from_le_bytes(last) ^ bytes.len() as u64).wrapping_mul(K);
    // The table takes the low bits; fold the well-mixed high bits into them.
    h ^ h >> 29
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> Self {
        let mut keys = KeyIndex::default();
        let (root, _errors) = DeTable::parse_recoverable(&text);
        collect_spans(root.get_ref(), None, &mut keys);
        Self::with_keys(path, text, keys)
    }

    fn with_keys(path: PathBuf, text: String, keys: KeyIndex) -> Self {
        let line_starts = line_starts(&text);
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
        let mut keys = KeyIndex::default();
        let (root, syntax) = DeTable::parse_recoverable(&text);
        collect_spans(root.get_ref(), None, &mut keys);
        let control = controls::first_control(&text, root.get_ref());
        let result = if !syntax.is_empty() {
            drop(root);
            Err(syntax)
        } else if control.is_some() {
            // Told below, once the file's line index is made.
            drop(root);
            Err(Vec::new())
        } else {
            T::deserialize(toml::de::Deserializer::from(root)).map_err(|e| vec![e])
        };
        let source = Self::with_keys(path, text, keys);
        if let Some((c, span)) = control {
            let d = Diagnostic::error(
                &source.path,
                format!(
                    "Teksten har et usynligt styretegn, skrevet som «{}»",
                    controls::written(c)
                ),
            )
            .expected("almindelig tekst")
            .hint(format!(
                "Slet «{}» fra teksten. Styretegn kan ikke vises på en hjemmeside",
                controls::written(c)
            ));
            let d = source.place(d, span);
            return (source, Err(vec![d]));
        }
        // Only the errors shown are translated; a file of junk has one per line.
        let result = result.map_err(|errors| {
            let mut shown: Vec<Diagnostic> = errors
                .iter()
                .take(SHOWN_PER_FILE)
                .map(|e| translate::<T>(e, &source))
                .collect();
            if errors.len() > SHOWN_PER_FILE {
                let more = errors.len() - SHOWN_PER_FILE;
                shown.push(Diagnostic::more_in_file(&source.path, more));
            }
            shown
        });
        (source, result)
    }

    /// 1-based line of a byte offset.
    pub fn line_at(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// `d` placed at a byte range of the text, its line found in the line index.
    pub fn place(&self, d: Diagnostic, span: Range<usize>) -> Diagnostic {
        let line = self.line_at(span.start);
        let line_start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        d.at_line(&self.text, line, line_start, span)
    }

    /// Byte range of a key such as `units[0].phone` (the key itself, for underlining).
    pub fn key_span(&self, path: &str) -> Option<Range<usize>> {
        self.keys.get(path).map(|k| k.key.clone())
    }

    /// Byte range of a key's value: for an item of an inline list (`serves[1]`), the item.
    pub fn value_span(&self, path: &str) -> Option<Range<usize>> {
        self.keys.get(path).map(|k| k.value.clone())
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
                d = self.place(d, span.key.clone());
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
                    && (*path == name
                        || path
                            .strip_suffix(name)
                            .is_some_and(|table| table.ends_with('.')))
            })
            .min_by_key(|(path, _)| path.len())
            .map(|(path, _)| path)
    }

    /// The table whose value is exactly `span`: where serde reports a missing field.
    fn table_with_span(&self, span: &Range<usize>) -> Option<&str> {
        self.keys
            .iter()
            .filter(|(_, s)| s.value == *span)
            .max_by_key(|(path, _)| path.len())
            .map(|(path, _)| path)
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
            .map(|(path, _)| path)
    }
}

/// Byte offset where each line starts; a line ends at "\n", "\r\n" or a lone "\r", as
/// [`Diagnostic::at`] counts them. Line ends are found with a SIMD search: content lines are
/// long (prose), so a search per line end costs less than looking at every byte.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = Vec::with_capacity(text.len() / 32 + 1);
    starts.push(0);
    starts.extend(
        memchr::memchr2_iter(b'\n', b'\r', bytes)
            .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
            .map(|i| i + 1),
    );
    starts
}

fn parent_path(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    let cut = path.rfind(['.', '['])?;
    Some(&path[..cut])
}

/// Adds the keys of `table` under the path `keys.paths[prefix]` (`None` at the top).
fn collect_spans(table: &DeTable<'_>, prefix: Option<Range<usize>>, keys: &mut KeyIndex) {
    for (key, value) in table.iter() {
        let start = keys.paths.len();
        if let Some(prefix) = &prefix {
            keys.paths.extend_from_within(prefix.clone());
            keys.paths.push('.');
        }
        keys.paths.push_str(key.get_ref());
        let end = keys.paths.len();
        keys.insert(
            start,
            KeySpan {
                key: key.span(),
                value: value.span(),
            },
        );
        collect_value(value.get_ref(), key.span(), value.span(), start..end, keys);
    }
}

/// Adds the keys inside `value`, whose path is `keys.paths[path]`.
fn collect_value(
    value: &DeValue<'_>,
    key: Range<usize>,
    span: Range<usize>,
    path: Range<usize>,
    keys: &mut KeyIndex,
) {
    match value {
        DeValue::Table(t) => collect_spans(t, Some(path), keys),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let start = keys.paths.len();
                keys.paths.extend_from_within(path.clone());
                push_index(&mut keys.paths, i);
                let end = keys.paths.len();
                // An array of tables has no key of its own per item; its header is the best place.
                let item_key = if matches!(item.get_ref(), DeValue::Table(_))
                    && item.span().start > span.start
                {
                    item.span()
                } else {
                    key.clone()
                };
                keys.insert(
                    start,
                    KeySpan {
                        key: item_key.clone(),
                        value: item.span(),
                    },
                );
                collect_value(item.get_ref(), item_key, item.span(), start..end, keys);
            }
        }
        _ => {}
    }
}

/// Appends `[i]`.
fn push_index(out: &mut String, i: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = i;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push('[');
    // Only ASCII digits were written.
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
    out.push(']');
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
            let content = Content {
                dir: dir.to_path_buf(),
                site,
                site_source,
                municipalities,
                warnings: Vec::new(),
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
fn read_text(path: &Path) -> Result<String, Diagnostic> {
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

/// Rules serde cannot express: identifiers unique and well-formed, references that resolve,
/// values that say something ([`crate::validate`]) and page addresses ([`crate::paths`]).
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

/// Parses a file into `T`, turning serde's English into a Danish diagnostic.
pub fn parse<T: DeserializeOwned>(source: &SourceFile) -> Result<T, Diagnostic> {
    toml::from_str::<T>(&source.text).map_err(|e| translate::<T>(&e, source))
}

fn translate<T: DeserializeOwned>(e: &toml::de::Error, source: &SourceFile) -> Diagnostic {
    let message = e.message().trim().to_string();
    let span = e.span().unwrap_or(0..0);
    let key = source.key_at(span.start).map(str::to_string);
    let base = source.place(Diagnostic::error(&source.path, ""), span.clone());
    let mut d = danish_message(&message, key.as_deref(), source, span, &|k| {
        belongs_at_top::<T>(k)
    });
    d.file = base.file;
    if d.line.is_none() {
        d.line = base.line;
        d.column = base.column;
        d.source_line = base.source_line;
        d.caret = base.caret;
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
    if let Some(rest) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
    {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        if let Some(d) = out_of_range(found, expected, &d) {
            return d;
        }
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

/// A whole number outside the range of the field's type (`days = 99999999999999999999`): said
/// to be too large or too small, with the range, rather than "not a whole number".
fn out_of_range(
    found: &str,
    expected: &str,
    d: &dyn Fn(String) -> Diagnostic,
) -> Option<Diagnostic> {
    let number = found.strip_prefix("integer ")?.split('`').nth(1)?;
    let (min, max): (i128, i128) = match expected.trim().trim_start_matches("a ") {
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" => (0, u64::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        "i64" => (i64::MIN.into(), i64::MAX.into()),
        _ => return None,
    };
    let negative = number.starts_with('-');
    // Beyond even i128: its sign says which way.
    let value: i128 = number
        .parse()
        .unwrap_or(if negative { i128::MIN } else { i128::MAX });
    let what = if value > max {
        "for stort"
    } else if value < min {
        "for lille"
    } else {
        return None;
    };
    Some(
        d(format!("Tallet {number} er {what}"))
            .expected(format!("et helt tal fra {min} til {max}"))
            .hint("Tjek tallet. Skriv fx 14 for 14 dage"),
    )
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

    use std::collections::HashMap;

    // The span index as it was built before it kept its paths in one string, to compare with.
    fn collect_spans_reference(
        table: &DeTable<'_>,
        prefix: &str,
        out: &mut HashMap<String, KeySpan>,
    ) {
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
            collect_value_reference(value.get_ref(), key.span(), value.span(), &path, out);
        }
    }

    fn collect_value_reference(
        value: &DeValue<'_>,
        key: Range<usize>,
        span: Range<usize>,
        path: &str,
        out: &mut HashMap<String, KeySpan>,
    ) {
        match value {
            DeValue::Table(t) => collect_spans_reference(t, path, out),
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
                    collect_value_reference(item.get_ref(), item_key, item.span(), &item_path, out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn line_starts_are_after_every_newline() {
        let mut text = String::new();
        for i in 0..200u32 {
            let expected: Vec<usize> = std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
            assert_eq!(line_starts(&text), expected, "{text:?}");
            text.push(match i * 7 % 5 {
                0 | 3 => '\n',
                1 => 'æ',
                2 => '\u{8a}',
                _ => 'x',
            });
        }
    }

    #[test]
    fn line_index_and_line_column_agree_on_every_line_end() {
        let text = "a\rb\r\nc\n\rd\r\re";
        let source = SourceFile::new(PathBuf::from("f.toml"), text.to_string());
        for (offset, _) in text.char_indices() {
            let (line, column) = crate::diagnostic::line_column(text, offset);
            let placed = source.place(Diagnostic::error(Path::new("f.toml"), ""), offset..offset);
            assert_eq!(
                (placed.line, placed.column),
                (Some(line), Some(column)),
                "{offset}"
            );
        }
        assert_eq!(source.line_at(text.find('e').unwrap()), 7);
    }

    #[test]
    fn key_index_has_every_key_the_hash_map_had() {
        let mut files: Vec<PathBuf> = Vec::new();
        for dir in ["content", "tests/golden"] {
            for entry in std::fs::read_dir(dir).unwrap() {
                files.push(entry.unwrap().path());
            }
        }
        let mut texts: Vec<String> = files
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect();
        // A quoted key with a dot names the same path as a table and its key.
        texts.push("\"a.b\" = 1\n[a]\nb = [1, [2, 3]]\nc = { d = 4 }\n[[e]]\nf = 5\n".to_string());
        for text in texts {
            let mut expected = HashMap::new();
            let (root, _) = DeTable::parse_recoverable(&text);
            collect_spans_reference(root.get_ref(), "", &mut expected);
            let source = SourceFile::new(PathBuf::from("x.toml"), text.clone());
            let ours: HashMap<&str, &KeySpan> = source.keys.iter().collect();
            assert_eq!(ours.len(), expected.len(), "{text}");
            for (path, span) in &expected {
                let got = source.keys.get(path).unwrap();
                assert_eq!((&got.key, &got.value), (&span.key, &span.value), "{path}");
                assert!(std::ptr::eq(ours[path.as_str()], got));
            }
            assert!(source.keys.get("no.such[0].key").is_none());
        }
    }
}
