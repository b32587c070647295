//! Reading files that must stay inside their folder: content files inside the content folder,
//! a theme's templates and static files inside the theme's folder.
//!
//! Rule: a symbolic link is followed only when where it finally leads lies inside the folder
//! (say `holbaek.toml -> drafts/holbaek.toml`). A link that leads outside (`zz.toml ->
//! /etc/passwd`) is refused with a message naming the link and its target, and the target is
//! never opened. Only regular files are read: a FIFO, device or socket is refused without
//! waiting on it. The final open does not follow links, so a file swapped for a link after it
//! was judged is not read through.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Read};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, danish_io_error};

/// Why a file in a folder was not read.
#[derive(Debug)]
pub enum Refused {
    /// The file is a link that leads to `target`, outside `folder`; `written` is the link's
    /// own text where it says something else (`/proc/self/environ` for `/proc/42/environ`).
    Outside {
        folder: PathBuf,
        target: PathBuf,
        written: Option<PathBuf>,
    },
    /// Not a regular file (a FIFO, a device, a socket).
    NotAFile,
    Io(io::Error),
}

impl Refused {
    /// The Danish message about `path`, which was to be read as `what` ("Filen",
    /// "Skabelonen").
    pub fn diagnostic(&self, path: &Path, what: &str) -> Diagnostic {
        match self {
            Refused::Outside {
                folder,
                target,
                written,
            } => Diagnostic::error(
                path,
                format!(
                    "{what} er en genvej (symbolsk link) til {}{}, som ligger uden for mappen {}",
                    written.as_deref().unwrap_or(target).display(),
                    match written {
                        Some(_) => format!(" (altså {})", target.display()),
                        None => String::new(),
                    },
                    folder.display()
                ),
            )
            .expected(format!("en fil inde i mappen {}", folder.display()))
            .hint(
                "Kopiér filen ind i mappen i stedet for at lave en genvej. \
                 En genvej ud af mappen bliver aldrig læst.",
            ),
            Refused::NotAFile => Diagnostic::error(
                path,
                format!("{what} kan ikke læses: det er ikke en almindelig fil"),
            )
            .hint("Gem indholdet som en almindelig fil med din editor"),
            Refused::Io(e) => Diagnostic::error(
                path,
                format!("{what} kan ikke læses: {}", danish_io_error(e)),
            ),
        }
    }
}

/// Where `path` leads if it may be read as a file of `folder`: itself when it is not a link, or
/// the link's final target when that lies inside the folder.
pub fn resolve(folder: &Path, path: &Path) -> Result<PathBuf, Refused> {
    let meta = fs::symlink_metadata(path).map_err(Refused::Io)?;
    if !meta.file_type().is_symlink() {
        return Ok(path.to_path_buf());
    }
    let target = match fs::canonicalize(path) {
        Ok(target) => target,
        // A dangling link: say where it points, without following it further.
        Err(e) => match fs::read_link(path) {
            Ok(target) if target.is_absolute() => return outside(folder, path, target),
            _ => return Err(Refused::Io(e)),
        },
    };
    let real_folder = fs::canonicalize(non_empty(folder)).map_err(Refused::Io)?;
    if target.starts_with(&real_folder) {
        Ok(target)
    } else {
        outside(folder, path, target)
    }
}

/// The refusal of the link `path` to `target`, outside `folder`.
fn outside(folder: &Path, path: &Path, target: PathBuf) -> Result<PathBuf, Refused> {
    let written = fs::read_link(path).ok().filter(|w| *w != target);
    Err(Refused::Outside {
        folder: non_empty(folder).to_path_buf(),
        target,
        written,
    })
}

fn non_empty(folder: &Path) -> &Path {
    if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    }
}

/// The bytes of `path`, a file of `folder`, under the rule of this module.
pub fn read(folder: &Path, path: &Path) -> Result<Vec<u8>, Refused> {
    let real = resolve(folder, path)?;
    // No waiting on a FIFO's writer; no following a link put in place since `resolve`.
    let mut file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(&real)
        .map_err(|e| match e.raw_os_error() {
            // Made a link after it was judged.
            Some(libc::ELOOP) => Refused::Outside {
                folder: non_empty(folder).to_path_buf(),
                target: fs::read_link(&real).unwrap_or_else(|_| real.clone()),
                written: None,
            },
            _ => Refused::Io(e),
        })?;
    let meta = file.metadata().map_err(Refused::Io)?;
    if !meta.is_file() {
        return Err(Refused::NotAFile);
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.read_to_end(&mut bytes).map_err(Refused::Io)?;
    Ok(bytes)
}

/// The bytes of `path`, a file in the folder it is named in (a content file in the content
/// folder), as a diagnostic about `what` when it may not be read.
pub fn read_in_own_folder(path: &Path, what: &str) -> Result<Vec<u8>, Diagnostic> {
    let folder = path.parent().unwrap_or(Path::new("."));
    read(folder, path).map_err(|r| r.diagnostic(path, what))
}

/// Every file under `dir` (inside `folder`), as (path relative to `dir` with "/", path to
/// read), in no set order. Links are judged by [`resolve`]: one leading outside `folder` is
/// reported and left out; a folder reached twice (a link to a parent) is walked once.
pub fn files_under(folder: &Path, dir: &Path) -> (Vec<(String, PathBuf)>, Vec<Diagnostic>) {
    let mut walk = Walk {
        folder,
        seen: HashSet::new(),
        files: Vec::new(),
        refused: Vec::new(),
    };
    walk.dir(dir, "");
    (walk.files, walk.refused)
}

struct Walk<'a> {
    folder: &'a Path,
    seen: HashSet<PathBuf>,
    files: Vec<(String, PathBuf)>,
    refused: Vec<Diagnostic>,
}

impl Walk<'_> {
    fn dir(&mut self, dir: &Path, prefix: &str) {
        let Ok(real) = fs::canonicalize(dir) else {
            return;
        };
        if !self.seen.insert(real) {
            return;
        }
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            let real = match resolve(self.folder, &path) {
                Ok(real) => real,
                Err(Refused::Io(_)) => continue,
                Err(r) => {
                    self.refused.push(r.diagnostic(&path, "Filen"));
                    continue;
                }
            };
            if real.is_dir() {
                self.dir(&real, &format!("{name}/"));
            } else {
                self.files.push((name, real));
            }
        }
    }
}
