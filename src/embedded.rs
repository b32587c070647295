//! The default theme, built into the binary (by `build.rs`), and where a theme's static files
//! come from: a folder on disk or the embedded copy.
//!
//! Invariants:
//! - A theme folder on disk always wins: the embedded theme is used only for the name
//!   [`EMBEDDED_THEME`] when `themes/<name>` does not exist at all.
//! - [`copy_theme`] writes only inside the new folder `themes/<name>/`, and only when nothing is
//!   there yet; a failed copy leaves nothing behind.

use std::borrow::Cow;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// The name of the theme built into the binary.
pub const EMBEDDED_THEME: &str = "default";

/// The commit the binary was built from (git's short hash), or "ukendt".
pub const COMMIT: &str = env!("KVALITET_COMMIT");

/// The embedded theme's templates: (name below `templates/`, text).
pub(crate) fn embedded_templates() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    DEFAULT_THEME
        .iter()
        .filter_map(|(path, bytes)| Some((path.strip_prefix("templates/")?, *bytes)))
}

/// Where a theme's static files (style sheets, images) come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Statics {
    /// The `static/` folder of a theme on disk; a folder that does not exist has none.
    Folder(PathBuf),
    /// The embedded default theme's `static/` files.
    Embedded,
}

impl Statics {
    /// Every static file as (path below `static/` with "/", bytes to read it from), sorted by
    /// path: for a folder, its regular files (links, FIFOs and devices left out, never
    /// followed), or the first entry that could not be read.
    pub(crate) fn files(&self) -> Result<Vec<(String, StaticBytes)>, (PathBuf, io::Error)> {
        match self {
            Statics::Embedded => Ok(DEFAULT_THEME
                .iter()
                .filter_map(|(path, bytes)| {
                    let name = path.strip_prefix("static/")?;
                    Some((name.to_string(), StaticBytes::Embedded(bytes)))
                })
                .collect()),
            Statics::Folder(dir) => {
                if !fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) {
                    return Ok(Vec::new());
                }
                let (found, unreadable) = crate::confine::walk(dir);
                if let Some(first) = unreadable.into_iter().next() {
                    return Err(first);
                }
                Ok(found
                    .into_iter()
                    .filter(|f| f.kind == crate::confine::Kind::File)
                    .map(|f| (f.name, StaticBytes::File(f.path)))
                    .collect())
            }
        }
    }
}

/// One static file's bytes: in the binary, or in a file to read.
#[derive(Debug)]
pub(crate) enum StaticBytes {
    Embedded(&'static [u8]),
    File(PathBuf),
}

impl StaticBytes {
    /// The bytes; a file is opened without following a link put in its place since the walk,
    /// and must be a regular file.
    pub(crate) fn read(&self) -> io::Result<Cow<'static, [u8]>> {
        match self {
            StaticBytes::Embedded(bytes) => Ok(Cow::Borrowed(bytes)),
            StaticBytes::File(path) => {
                use std::io::Read as _;
                use std::os::unix::fs::OpenOptionsExt as _;
                let mut file = fs::OpenOptions::new()
                    .read(true)
                    .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
                    .open(path)?;
                if !file.metadata()?.is_file() {
                    return Err(io::Error::other("ikke en almindelig fil"));
                }
                let mut bytes = Vec::new();
                file.read_to_end(&mut bytes)?;
                Ok(Cow::Owned(bytes))
            }
        }
    }

    /// Where the bytes are read from, for a message.
    pub(crate) fn path(&self) -> Option<&Path> {
        match self {
            StaticBytes::Embedded(_) => None,
            StaticBytes::File(path) => Some(path),
        }
    }
}

/// Writes the embedded default theme to `<themes>/<name>/`, which must not exist, and returns
/// the folder written and how many files it holds. The files are written into a fresh folder
/// beside it and renamed into place, so a failed copy leaves nothing.
pub fn copy_theme(themes: &Path, name: &str) -> Result<(PathBuf, usize), String> {
    if !crate::load::validate::is_theme_name(name) {
        return Err(format!(
            "«{name}» kan ikke bruges som navn på et tema: kun bogstaver, tal, - og _ er tilladt. Skriv fx: kvalitet tema kopier mit-tema"
        ));
    }
    let target = themes.join(name);
    if fs::symlink_metadata(&target).is_ok() {
        return Err(format!(
            "{} findes allerede. Den bliver ikke overskrevet, så dine ændringer går ikke tabt. Tip: Vælg et andet navn, fx kvalitet tema kopier mit-tema, eller flyt mappen først.",
            target.display()
        ));
    }
    let cannot = |path: &Path, e: &io::Error| {
        format!(
            "{} kan ikke skrives: {}. Tip: Tjek, at du har lov til at skrive i mappen.",
            path.display(),
            crate::diagnostic::danish_io_error(e)
        )
    };
    fs::create_dir_all(themes).map_err(|e| cannot(themes, &e))?;
    let fresh = tempfile::Builder::new()
        .prefix(&format!(".{name}.new-"))
        .tempdir_in(themes)
        .map_err(|e| cannot(themes, &e))?;
    for (path, bytes) in DEFAULT_THEME {
        let to = fresh.path().join(path);
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).map_err(|e| cannot(parent, &e))?;
        }
        fs::write(&to, bytes).map_err(|e| cannot(&to, &e))?;
    }
    // Checked again right before: a folder made meanwhile is not replaced (rename would
    // replace an empty one).
    if fs::symlink_metadata(&target).is_ok() {
        return Err(format!("{} findes allerede", target.display()));
    }
    fs::rename(fresh.path(), &target).map_err(|e| cannot(&target, &e))?;
    // Now at `target`: nothing left to remove.
    let _ = fresh.keep();
    Ok((target, DEFAULT_THEME.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The binary carries the whole default theme: every file of the folder it was built from,
    /// byte for byte.
    #[test]
    fn the_embedded_theme_is_the_default_folder() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let (found, _) = crate::confine::walk(&folder);
        let mut on_disk: Vec<(String, Vec<u8>)> = found
            .into_iter()
            .map(|f| (f.name, fs::read(f.path).unwrap()))
            .collect();
        on_disk.sort();
        let embedded: Vec<(String, Vec<u8>)> = DEFAULT_THEME
            .iter()
            .map(|(p, b)| (p.to_string(), b.to_vec()))
            .collect();
        assert_eq!(on_disk, embedded);
        assert!(embedded_templates().any(|(n, _)| n == "base.html"));
        let statics = Statics::Embedded.files().unwrap();
        assert!(statics.iter().any(|(n, _)| n == "style.css"));
    }

    #[test]
    fn a_copy_refuses_an_existing_folder_and_a_path_for_a_name() {
        let dir = tempfile::tempdir().unwrap();
        let (written, count) = copy_theme(dir.path(), "default").unwrap();
        assert_eq!(count, DEFAULT_THEME.len());
        assert!(written.join("templates/base.html").is_file());
        fs::write(written.join("static/style.css"), "mine").unwrap();
        let again = copy_theme(dir.path(), "default").unwrap_err();
        assert!(again.contains("findes allerede"), "{again}");
        assert_eq!(
            fs::read_to_string(written.join("static/style.css")).unwrap(),
            "mine"
        );
        assert!(copy_theme(dir.path(), "../ud").is_err());
        assert!(!dir.path().parent().unwrap().join("ud").exists());
        // Nothing but the copy: no half-written folder is left.
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }
}
