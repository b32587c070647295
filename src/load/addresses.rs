//! The page addresses one file gives, checked when the file is read: its name and its
//! `serves` entries (see [`crate::paths`]); and where an error about them is placed.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use super::{LoadedMunicipality, SourceFile, read_text};
use crate::diagnostic::Diagnostic;
use crate::model::Municipality;
use crate::paths::{is_page_folder, served_slug, site_wide_page, slug_for};

/// Why the municipality file `path`, whose name without `.toml` is `stem`, cannot give its
/// pages their folder; placed at the file's first line.
pub(crate) fn file_name_problem(path: &Path, stem: &str, text: &str) -> Option<Diagnostic> {
    let file = format!("{stem}.toml");
    let d = if !is_page_folder(stem) {
        let right = slug_for(stem);
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
pub(crate) fn check_serves(m: &Municipality, source: &SourceFile) -> Vec<Diagnostic> {
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
pub(crate) fn entry_line(source: &SourceFile, key: &str) -> Option<usize> {
    match source.value_span(key) {
        Some(span) => Some(source.line_at(span.start)),
        None => source.line_of(key),
    }
}

/// `d` placed at the `serves` entry `key` itself, which may be on a line of its own.
pub(crate) fn at_entry(source: &SourceFile, d: Diagnostic, key: &str) -> Diagnostic {
    match source.value_span(key) {
        Some(span) => d.at(&source.text, span).key(key),
        None => source.diagnostic_at(d, key),
    }
}

/// The name of a municipality's file, as the editor sees it.
pub(crate) fn file_name(lm: &LoadedMunicipality) -> String {
    lm.source.path.file_name().map_or_else(
        || format!("{}.toml", lm.slug),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The municipality's source with its key positions. A build frees the text of a municipality
/// once its pages are written; an error about it is rare, so the file is read again then, the
/// way loading reads it (inside its folder, line ends as loading has them).
pub(crate) fn located(lm: &LoadedMunicipality) -> Cow<'_, SourceFile> {
    if !lm.source.text.is_empty() {
        return Cow::Borrowed(&lm.source);
    }
    match read_text(&lm.source.path) {
        Ok(text) => Cow::Owned(SourceFile::new(lm.source.path.clone(), text)),
        Err(_) => Cow::Borrowed(&lm.source),
    }
}
