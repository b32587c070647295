//! The approved copies of a municipality's file: what `kvalitet godkend` keeps as the baseline
//! of the next revision, one file per approval, in `content/godkendt/<slug>/<ÅÅÅÅ-MM-DD>.toml`
//! (the approval's date). The folder is below the content folder, so it travels with the
//! content; loading the content reads only the files directly in it, so an approved copy is
//! never taken for a municipality of its own.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{LoadedMunicipality, load_municipality, load_text, text_of};
use crate::diagnostic::Diagnostic;

/// The folder, inside the content folder, that holds the approved copies.
pub(crate) const APPROVED_DIR: &str = "godkendt";

/// One approved copy of a municipality's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApprovedCopy {
    /// The approval's date, `ÅÅÅÅ-MM-DD`, from the file's name.
    pub date: String,
    pub path: PathBuf,
}

/// The folder of the approved copies of the municipality whose file is `<slug>.toml` in
/// `content`.
pub(crate) fn approved_dir(content: &Path, slug: &str) -> PathBuf {
    content.join(APPROVED_DIR).join(slug)
}

/// The path of the copy approved on `date` (`ÅÅÅÅ-MM-DD`).
pub(crate) fn approved_path(content: &Path, slug: &str, date: &str) -> PathBuf {
    approved_dir(content, slug).join(format!("{date}.toml"))
}

/// The approved copies of a municipality, oldest first. Only regular files named as a date
/// count (a link, a folder or another name is left alone); no folder means no copies.
pub(crate) fn approved_copies(content: &Path, slug: &str) -> Vec<ApprovedCopy> {
    let dir = approved_dir(content, slug);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut copies: Vec<ApprovedCopy> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let date = name.strip_suffix(".toml")?;
            is_date(date).then(|| ApprovedCopy {
                date: date.to_string(),
                path: e.path(),
            })
        })
        .collect();
    copies.sort_by(|a, b| a.date.cmp(&b.date));
    copies
}

/// The latest approved copy, if any.
pub(crate) fn latest_approved(content: &Path, slug: &str) -> Option<ApprovedCopy> {
    approved_copies(content, slug).pop()
}

/// An approved version of a municipality's standard: its copy, loaded under the
/// municipality's slug (so its pages are the municipality's).
#[derive(Debug, Clone)]
pub struct ApprovedText {
    /// The approval's date, `ÅÅÅÅ-MM-DD`, from the copy's name.
    pub date: String,
    pub loaded: LoadedMunicipality,
}

/// What a site build knows of a municipality's approvals (see [`load_for_site`]).
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Every approved copy, oldest first; the last is the version that applies now.
    pub versions: Vec<ApprovedText>,
    /// The working file differs from the latest approved copy.
    pub unapproved_changes: bool,
    /// The working file, when the pages show the latest approved copy instead of it (a
    /// published build while the working file has unapproved changes); the municipality's
    /// `source.path` is then the copy's.
    pub working_file: Option<PathBuf>,
}

/// Reads a municipality for a site build: its working file `working` and its approved copies.
///
/// A municipality without copies is its working file, as [`load_municipality`] reads it. With
/// copies, each is loaded as a version; a copy that does not load stops the build with a
/// message naming it. The published build (`draft` false) shows the latest copy while the
/// working file's bytes differ from it; the draft build always shows the working file.
pub(crate) fn load_for_site(
    working: &Path,
    draft: bool,
) -> Result<LoadedMunicipality, Vec<Diagnostic>> {
    let content = working.parent().unwrap_or(Path::new("."));
    let slug = working
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(refused) = linked_folder(content, &slug) {
        return Err(vec![refused]);
    }
    let copies = approved_copies(content, &slug);
    if copies.is_empty() {
        return load_municipality(working);
    }
    let loaded: Vec<_> = copies
        .par_iter()
        .map(|copy| load_copy(content, copy, &slug))
        .collect();
    let mut errors = Vec::new();
    let mut versions = Vec::with_capacity(loaded.len());
    let mut latest_bytes = Vec::new();
    for (copy, result) in copies.iter().zip(loaded) {
        match result {
            Ok((loaded, bytes)) => {
                latest_bytes = bytes;
                versions.push(ApprovedText {
                    date: copy.date.clone(),
                    loaded,
                });
            }
            Err(mut d) => errors.append(&mut d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // A working file that cannot be read is told by loading it.
    let unapproved_changes = crate::confine::read_in_own_folder(working, "Filen")
        .is_ok_and(|bytes| bytes != latest_bytes);
    let mut lm = if unapproved_changes && !draft {
        let mut shown = versions
            .last()
            .map(|v| v.loaded.clone())
            .ok_or_else(Vec::new)?;
        shown.history.working_file = Some(working.to_path_buf());
        // The working file is not published, but its errors are told, as warnings: they
        // must be fixed before it can be approved, and they do not stop the approved site.
        if let Err(errors) = load_municipality(working) {
            shown.warnings.push(
                Diagnostic::warning(
                    working,
                    "Filen har fejl. Hjemmesiden viser den senest godkendte udgave, så fejlene er ikke med på den",
                )
                .hint("Ret fejlene nedenfor, før filen bliver godkendt. Se filen med «kvalitet build --udkast»"),
            );
            shown
                .warnings
                .extend(errors.into_iter().map(|d| Diagnostic {
                    severity: crate::diagnostic::Severity::Warning,
                    ..d
                }));
        }
        shown
    } else {
        load_municipality(working)?
    };
    lm.history.versions = versions;
    lm.history.unapproved_changes = unapproved_changes;
    Ok(lm)
}

/// One approved copy loaded under the municipality's `slug`, with its bytes. It is read only
/// inside the content folder.
fn load_copy(
    content: &Path,
    copy: &ApprovedCopy,
    slug: &str,
) -> Result<(LoadedMunicipality, Vec<u8>), Vec<Diagnostic>> {
    let intro = || {
        Diagnostic::error(
            &copy.path,
            format!(
                "Den godkendte udgave fra {} har fejl. Hjemmesiden viser hver godkendt udgave, så den skal kunne læses",
                copy.date
            ),
        )
        .hint(format!(
            "Ret fejlene i kopien, så teksten stadig er den, der blev godkendt. Eller flyt kopien ud af mappen {}",
            approved_dir(content, slug).display()
        ))
    };
    let with_intro = |mut d: Vec<Diagnostic>| {
        d.insert(0, intro());
        d
    };
    let bytes = crate::confine::read(content, &copy.path)
        .map_err(|r| with_intro(vec![r.diagnostic(&copy.path, "Kopien")]))?;
    let text = text_of(&copy.path, bytes.clone()).map_err(|d| with_intro(vec![d]))?;
    let loaded = load_text(&copy.path, slug.to_string(), text, Vec::new()).map_err(with_intro)?;
    Ok((loaded, bytes))
}

/// A refusal when the folder of approved copies, or the municipality's folder in it, is a
/// symbolic link: the copies are read only from inside the content folder.
fn linked_folder(content: &Path, slug: &str) -> Option<Diagnostic> {
    let top = content.join(APPROVED_DIR);
    [top.clone(), top.join(slug)].into_iter().find_map(|folder| {
        let meta = std::fs::symlink_metadata(&folder).ok()?;
        meta.file_type().is_symlink().then(|| {
            Diagnostic::error(
                &folder,
                "Mappen med godkendte udgaver er en genvej (symbolsk link), og den bliver ikke læst",
            )
            .expected(format!("en almindelig mappe inde i {}", content.display()))
            .hint("Flyt mappen ind i indholdsmappen i stedet for at lave en genvej")
        })
    })
}

/// `ÅÅÅÅ-MM-DD` with digits in their places.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_are_the_date_named_files_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        let folder = approved_dir(dir.path(), "holbaek");
        std::fs::create_dir_all(&folder).unwrap();
        for name in [
            "2024-12-17.toml",
            "2022-11-30.toml",
            "noter.toml",
            "2023-01-01.txt",
        ] {
            std::fs::write(folder.join(name), "").unwrap();
        }
        std::fs::create_dir(folder.join("2025-01-01.toml")).unwrap();
        let dates: Vec<String> = approved_copies(dir.path(), "holbaek")
            .into_iter()
            .map(|c| c.date)
            .collect();
        assert_eq!(dates, ["2022-11-30", "2024-12-17"]);
        assert_eq!(
            latest_approved(dir.path(), "holbaek").unwrap().path,
            approved_path(dir.path(), "holbaek", "2024-12-17")
        );
        assert!(approved_copies(dir.path(), "odsherred").is_empty());
    }
}
