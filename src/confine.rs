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
pub(crate) enum Refused {
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
    pub(crate) fn diagnostic(&self, path: &Path, what: &str) -> Diagnostic {
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
pub(crate) fn resolve(folder: &Path, path: &Path) -> Result<PathBuf, Refused> {
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
pub(crate) fn read(folder: &Path, path: &Path) -> Result<Vec<u8>, Refused> {
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
pub(crate) fn read_in_own_folder(path: &Path, what: &str) -> Result<Vec<u8>, Diagnostic> {
    let folder = path.parent().unwrap_or(Path::new("."));
    read(folder, path).map_err(|r| r.diagnostic(path, what))
}

/// What [`walk`] found below a folder. Nothing found is followed or opened by the walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A regular file.
    File,
    /// A symbolic link, to a file or a folder; [`resolve`] says whether it may be followed.
    Link,
    /// A FIFO, a device or a socket: opening it could wait forever.
    Special,
}

/// One entry below the walked folder that is not a folder.
#[derive(Debug)]
pub(crate) struct Found {
    /// The path from the walked folder, its parts joined by "/".
    pub name: String,
    /// The path to read it from.
    pub path: PathBuf,
    pub kind: Kind,
}

/// The one walk of a folder tree. Every entry below `dir` that is not a folder, depth first,
/// each folder's entries in file-name order (so the same tree always gives the same list); and
/// every entry that could not be read (a folder without read permission), with its error.
///
/// No link is followed: a link, to a file or a folder, is a [`Kind::Link`] entry and the walk
/// does not enter it. Only `dir` itself is followed when it is a link; a caller that must not
/// follow it checks it first. What each caller does with what it finds:
///
/// | caller | link | FIFO, device, socket | unreadable entry |
/// | --- | --- | --- | --- |
/// | [`files_under`] (templates) | followed when it leads inside its folder, else a Danish error naming it | listed; reading it is refused with a Danish error | left out |
/// | the build's static files (`output`) | left out | left out | the build stops with a Danish error naming it |
/// | the preview's static files (`serve`) | left out | left out | left out |
pub(crate) fn walk(dir: &Path) -> (Vec<Found>, Vec<(PathBuf, io::Error)>) {
    let mut found = Vec::new();
    let mut unreadable = Vec::new();
    let entries = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .min_depth(1)
        .sort_by_file_name();
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_path_buf();
                unreadable.push((path, io::Error::from(e)));
                continue;
            }
        };
        let kind = entry.file_type();
        let kind = if kind.is_dir() {
            continue;
        } else if kind.is_symlink() {
            Kind::Link
        } else if kind.is_file() {
            Kind::File
        } else {
            Kind::Special
        };
        let path = entry.into_path();
        let name = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .components()
            .map(|part| part.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        found.push(Found { name, path, kind });
    }
    (found, unreadable)
}

/// Every file under `dir` (inside `folder`), as (path relative to `dir` with "/", path to
/// read), in [`walk`]'s order. A link is judged by [`resolve`]: one leading outside `folder` is
/// reported and left out; one leading inside is followed, and a folder reached through links
/// is walked once, so a link to a parent ends.
pub(crate) fn files_under(folder: &Path, dir: &Path) -> (Vec<(String, PathBuf)>, Vec<Diagnostic>) {
    let mut under = Under {
        folder,
        seen: HashSet::new(),
        files: Vec::new(),
        refused: Vec::new(),
    };
    if let Ok(real) = fs::canonicalize(dir) {
        under.seen.insert(real);
        under.dir(dir, "");
    }
    (under.files, under.refused)
}

struct Under<'a> {
    folder: &'a Path,
    /// The folders walked so far, as their real paths.
    seen: HashSet<PathBuf>,
    files: Vec<(String, PathBuf)>,
    refused: Vec<Diagnostic>,
}

impl Under<'_> {
    fn dir(&mut self, dir: &Path, prefix: &str) {
        for found in walk(dir).0 {
            let name = format!("{prefix}{}", found.name);
            if found.kind != Kind::Link {
                // A FIFO is listed too: reading it is refused with a message naming it.
                self.files.push((name, found.path));
                continue;
            }
            match resolve(self.folder, &found.path) {
                Ok(real) if real.is_dir() => {
                    if self.seen.insert(real.clone()) {
                        self.dir(&real, &format!("{name}/"));
                    }
                }
                Ok(real) => self.files.push((name, real)),
                Err(Refused::Io(_)) => {}
                Err(r) => self.refused.push(r.diagnostic(&found.path, "Filen")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// The walk lists files depth first in name order, reports links and FIFOs as what they
    /// are, and never enters a link, whatever the order the file system keeps.
    #[test]
    fn the_walk_is_sorted_and_follows_no_link() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("static");
        fs::create_dir_all(dir.join("b/inner")).unwrap();
        for file in ["c.css", "a.css", "b/z.svg", "b/inner/x.png", "b/a.svg"] {
            fs::write(dir.join(file), "x").unwrap();
        }
        fs::write(root.path().join("secret.txt"), "hemmelig").unwrap();
        symlink(root.path().join("secret.txt"), dir.join("link.txt")).unwrap();
        symlink(root.path(), dir.join("b/up")).unwrap();
        let fifo =
            std::ffi::CString::new(dir.join("pipe").into_os_string().into_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);

        let (found, unreadable) = walk(&dir);
        assert!(unreadable.is_empty(), "{unreadable:?}");
        let listed: Vec<(&str, Kind)> = found.iter().map(|f| (f.name.as_str(), f.kind)).collect();
        assert_eq!(
            listed,
            [
                ("a.css", Kind::File),
                ("b/a.svg", Kind::File),
                ("b/inner/x.png", Kind::File),
                ("b/up", Kind::Link),
                ("b/z.svg", Kind::File),
                ("c.css", Kind::File),
                ("link.txt", Kind::Link),
                ("pipe", Kind::Special),
            ]
        );
        assert_eq!(found[0].path, dir.join("a.css"));
    }
}
