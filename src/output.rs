//! Writing the site: into a fresh folder beside the target, then renamed into place.
//!
//! Invariants:
//! - Nothing is created, written or removed outside the writer's own fresh folder, except the
//!   swap itself: the target is renamed aside and removed by its listing, file by file.
//! - The target is replaced only if it does not exist, is empty, or carries the marker and holds
//!   nothing but the files its listing names. A file kvalitet did not write is never deleted.
//! - A failed build leaves the target as it was and removes its fresh folder; an interrupted one
//!   leaves a folder that a later build can prove is its own and dead (it carries the marker and
//!   nobody holds its lock), and removes.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, danish_io_error};
use crate::embedded::Statics;
use crate::page::{Page, PageSink};

/// Name of the file that marks a folder as written by kvalitet.
pub const MARKER: &str = ".kvalitet-output";

/// Lists every file a build wrote, one path per line relative to the site: the next build
/// removes the old site by this list, so it never removes a file it did not write.
pub const MANIFEST: &str = ".kvalitet-files";

const MARKER_TEXT: &str = "Denne mappe er lavet af kvalitet. Den bliver erstattet, når hjemmesiden bygges igen.\n\
Læg ikke dine egne filer her: så stopper næste bygning og beder dig flytte dem.\n";

/// How many foreign files a refusal names before it only counts the rest.
const NAMED_AT_MOST: usize = 10;

#[derive(Debug, Clone, Copy, Default)]
pub struct WriteStats {
    pub pages: usize,
    pub static_files: usize,
    pub bytes: u64,
}

/// Why the site could not be written, in Danish for the editor.
#[derive(Debug)]
pub struct WriteError(pub String);

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether `dir` may be replaced: it does not exist, is empty, or carries our marker.
pub(crate) fn may_replace(dir: &Path) -> Result<bool, WriteError> {
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(unreadable(dir, &e)),
        Ok(meta) if !meta.is_dir() => Ok(false),
        Ok(_) => {
            if is_marked(dir) {
                return Ok(true);
            }
            let mut entries = fs::read_dir(dir).map_err(|e| unreadable(dir, &e))?;
            Ok(entries.next().is_none())
        }
    }
}

fn is_marked(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

fn parent_and_name(target: &Path) -> (PathBuf, String) {
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".to_string());
    (parent, name)
}

/// Writes pages and the theme's static files to `target`, replacing it as one step.
pub fn write_site(
    target: &Path,
    pages: &[Page],
    statics: Option<&Statics>,
) -> Result<WriteStats, WriteError> {
    let writer = SiteWriter::begin(target, statics)?;
    pages
        .par_iter()
        .try_for_each(|page| writer.write_page(page))?;
    writer.finish()
}

/// A new site being written into a fresh folder beside `target`, page by page from any number
/// of threads, and renamed into place by [`SiteWriter::finish`]. Dropped without `finish`, its
/// folder is removed and `target` stays as it was.
pub struct SiteWriter {
    /// Removed with everything in it when the writer is dropped unfinished.
    fresh: tempfile::TempDir,
    /// The fresh folder, open and exclusively locked for the writer's lifetime: a later build
    /// that can take the lock knows the folder's build is dead. Every file is written from it
    /// (see [`write_at`]).
    folder: fs::File,
    target: PathBuf,
    parent: PathBuf,
    name: String,
    static_files: usize,
    pages: AtomicUsize,
    bytes: AtomicU64,
    /// Every file written so far, relative to the site, and the two of our own.
    written: Mutex<HashSet<String>>,
}

impl SiteWriter {
    /// Checks that `target` may be replaced, removes dead builds' leftovers beside it, and
    /// starts the fresh folder with the marker and the theme's static files.
    pub fn begin(target: &Path, statics: Option<&Statics>) -> Result<SiteWriter, WriteError> {
        let (parent, name) = parent_and_name(target);
        remove_leftovers(&parent, &name, target);
        if !may_replace(target)? {
            return Err(WriteError(format!(
                "Mappen {} er ikke lavet af kvalitet, og den er ikke tom. Den bliver ikke overskrevet, så ingen filer går tabt. Tip: Vælg en anden mappe med --output, eller tøm mappen selv.",
                target.display()
            )));
        }
        fs::create_dir_all(&parent).map_err(|e| io_err(&parent, &e))?;
        let fresh = tempfile::Builder::new()
            .prefix(&format!(".{name}.new-"))
            .tempdir_in(&parent)
            .map_err(|e| io_err(&parent, &e))?;
        // Locked before the marker exists, so a marked folder whose lock is free is dead.
        let lock = lock_folder(fresh.path())
            .map_err(|e| io_err(fresh.path(), &e))?
            .ok_or_else(|| WriteError(format!("{} er låst", fresh.path().display())))?;
        fs::write(fresh.path().join(MARKER), MARKER_TEXT).map_err(|e| io_err(fresh.path(), &e))?;
        let mut writer = SiteWriter {
            fresh,
            folder: lock,
            target: target.to_path_buf(),
            parent,
            name,
            static_files: 0,
            pages: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            written: Mutex::new(HashSet::from([MARKER.to_string(), MANIFEST.to_string()])),
        };
        if let Some(statics) = statics {
            writer.copy_static(statics)?;
        }
        Ok(writer)
    }

    /// Copies the theme's static files, from its folder (a folder that does not exist has
    /// none) or from the binary. From a folder only regular files are copied; a symlink is
    /// skipped, never followed.
    pub(crate) fn copy_static(&mut self, statics: &Statics) -> Result<(), WriteError> {
        let files = statics.files().map_err(|(path, e)| unreadable(&path, &e))?;
        for (file, from) in &files {
            let bytes = from
                .read()
                .map_err(|e| unreadable(from.path().unwrap_or(Path::new(file)), &e))?;
            self.write_file(file, &bytes)?;
        }
        self.static_files += files.len();
        Ok(())
    }

    /// Writes one page into the fresh folder.
    pub(crate) fn write_page(&self, page: &Page) -> Result<(), WriteError> {
        self.write_file(&page.path, page.html.as_bytes())?;
        self.pages.fetch_add(1, Ordering::Relaxed);
        self.bytes
            .fetch_add(page.html.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Writes `bytes` to `relative` in the fresh folder, once: a path that could leave the
    /// folder, or that was written already in this build, is refused.
    fn write_file(&self, relative: &str, bytes: &[u8]) -> Result<(), WriteError> {
        if !is_inside(relative) {
            return Err(WriteError(format!(
                "Siden {relative:?} skulle skrives uden for output-mappen. Det er ikke tilladt, så bygningen er stoppet, og den forrige udgave står uændret. Tip: En sideadresse kommer fra et filnavn eller et tilbuds id. Den må ikke starte med /, og den må ikke have tomme dele, \".\" eller \"..\"."
            )));
        }
        let first = self
            .written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(relative.to_string());
        if !first {
            return Err(WriteError(format!(
                "To sider skulle skrives til samme sted: {relative}. Bygningen er stoppet, og den forrige udgave står uændret. Tip: To kommunefiler eller to tilbud har nok samme navn. Giv dem hvert sit."
            )));
        }
        let folder = self.folder.as_fd();
        if let Some((parent, _)) = relative.rsplit_once('/') {
            create_folders_at(folder, parent)
                .map_err(|e| io_err(&self.fresh.path().join(parent), &e))?;
        }
        write_at(folder, relative, bytes).map_err(|e| io_err(&self.fresh.path().join(relative), &e))
    }

    /// Writes the listing and renames the fresh folder into place. The site it replaces is
    /// looked through first (see [`SiteWriter::check_target`]), renamed aside, put back if the
    /// rename fails, and removed by its listing after.
    pub fn finish(self) -> Result<WriteStats, WriteError> {
        let target = self.check_target()?;
        self.finish_checked(target)
    }

    /// Makes sure the folder this writer replaces may go: it is locked against other builds
    /// for as long as the returned [`CheckedTarget`] lives, and it holds nothing but the files
    /// its listing names. A build calls it while its last pages are rendered, and hands the
    /// result to [`SiteWriter::finish_checked`].
    pub fn check_target(&self) -> Result<CheckedTarget, WriteError> {
        let target = &self.target;
        match fs::symlink_metadata(target) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(CheckedTarget { lock: None }),
            Err(e) => Err(cannot_replace(target, &e)),
            Ok(_) => {
                // Held until the old site is gone: no other build takes it for a dead leftover.
                let lock = lock_folder(target)
                    .map_err(|e| cannot_replace(target, &e))?
                    .ok_or_else(|| {
                        WriteError(format!(
                            "En anden bygning skriver lige nu til {}. Tip: Vent, til den er færdig, og prøv igen.",
                            target.display()
                        ))
                    })?;
                // Looked through once, at the end: looking through every folder of a national
                // site costs as many system calls as writing it.
                if is_marked(target) {
                    refuse_foreign(target, &lock)?;
                }
                Ok(CheckedTarget { lock: Some(lock) })
            }
        }
    }

    /// [`SiteWriter::finish`] with the target checked already.
    pub fn finish_checked(self, target: CheckedTarget) -> Result<WriteStats, WriteError> {
        let mut files: Vec<String> = self
            .written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|f| *f != MARKER && *f != MANIFEST)
            .cloned()
            .collect();
        // Sorted, so that the same site gives the same bytes whatever order threads wrote it in.
        files.par_sort_unstable();
        let mut listing = files.join("\n");
        listing.push_str(&format!("\n{MARKER}\n{MANIFEST}\n"));
        let manifest = self.fresh.path().join(MANIFEST);
        fs::write(&manifest, listing).map_err(|e| io_err(&manifest, &e))?;
        let stats = WriteStats {
            pages: self.pages.load(Ordering::Relaxed),
            static_files: self.static_files,
            bytes: self.bytes.load(Ordering::Relaxed),
        };
        self.swap_in(target)?;
        Ok(stats)
    }

    fn swap_in(self, checked: CheckedTarget) -> Result<(), WriteError> {
        let target = &self.target;
        let old = match checked.lock {
            None => None,
            Some(lock) => {
                // An empty folder of a unique name, which the rename replaces.
                let aside = tempfile::Builder::new()
                    .prefix(&format!(".{}.old-", self.name))
                    .tempdir_in(&self.parent)
                    .map_err(|e| cannot_replace(target, &e))?
                    .keep();
                if let Err(e) = fs::rename(target, &aside) {
                    let _ = fs::remove_dir(&aside);
                    return Err(cannot_replace(target, &e));
                }
                Some((aside, lock))
            }
        };
        if let Err(e) = fs::rename(self.fresh.path(), target) {
            if let Some((aside, _lock)) = &old {
                let _ = fs::rename(aside, target);
            }
            return Err(WriteError(format!(
                "Den nye udgave kan ikke flyttes til {}: {}. Den forrige udgave står uændret.",
                target.display(),
                danish_io_error(&e)
            )));
        }
        // Now at `target`: nothing is left to remove.
        let _ = self.fresh.keep();
        if let Some((aside, _lock)) = old {
            remove_by_listing(&aside);
        }
        Ok(())
    }
}

/// The folder a [`SiteWriter`] replaces, found free to replace: absent, or locked by this build
/// and holding only files a build wrote.
pub struct CheckedTarget {
    lock: Option<fs::File>,
}

fn cannot_replace(target: &Path, e: &io::Error) -> WriteError {
    WriteError(format!(
        "{} kan ikke erstattes: {}. Tip: Tjek, at du har lov til at skrive i mappen.",
        target.display(),
        danish_io_error(e)
    ))
}

/// Writes each page into the new folder at once, so memory holds the pages being rendered,
/// not the site.
impl PageSink for SiteWriter {
    type Kept = ();

    fn take(&self, page: Page) -> Result<(), Diagnostic> {
        self.write_page(&page)
            .map_err(|e| Diagnostic::error(Path::new(&page.path), e.0))
    }
}

/// Opens `dir` (not following a link in its place) and takes an exclusive lock on it without
/// waiting: `None` if someone else holds it.
fn lock_folder(dir: &Path) -> io::Result<Option<fs::File>> {
    let file = fs::File::from(open_folder_at(rustix::fs::CWD, dir)?);
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(fs::TryLockError::WouldBlock) => Ok(None),
        Err(fs::TryLockError::Error(e)) => Err(e),
    }
}

/// Refuses to replace `target` if it holds anything its listing does not name: those files
/// are someone's, and replacing the folder would lose them.
fn refuse_foreign(target: &Path, open: &fs::File) -> Result<(), WriteError> {
    let listing = fs::read_to_string(target.join(MANIFEST)).unwrap_or_default();
    let files: HashSet<&str> = listing.lines().filter(|f| is_inside(f)).collect();
    let listed: Vec<&str> = files.iter().copied().collect();
    let folders: HashSet<&str> = folders_of(&listed).into_iter().collect();
    let mut foreign = rustix::fs::Dir::read_from(open)
        .map_err(io::Error::from)
        .and_then(|dir| find_foreign(dir, "", &files, &folders))
        .map_err(|e| unreadable(target, &e))?;
    if foreign.is_empty() {
        return Ok(());
    }
    foreign.sort();
    let mut named = foreign
        .iter()
        .take(NAMED_AT_MOST)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if foreign.len() > NAMED_AT_MOST {
        named.push_str(&format!(" og {} flere", foreign.len() - NAMED_AT_MOST));
    }
    Err(WriteError(format!(
        "Mappen {} har filer, som kvalitet ikke har skrevet: {named}. De bliver ikke slettet, så bygningen er stoppet, og mappen står uændret. Tip: Flyt filerne ud af mappen, eller vælg en anden mappe med --output.",
        target.display()
    )))
}

/// Every entry below the open folder `dir` that is neither a listed file nor a folder on the
/// way to one (a foreign folder is named once, with a slash, not its contents). Folders are
/// looked through in parallel: a national site has tens of thousands.
fn find_foreign(
    mut dir: rustix::fs::Dir,
    prefix: &str,
    files: &HashSet<&str>,
    folders: &HashSet<&str>,
) -> io::Result<Vec<String>> {
    use rustix::fs::{AtFlags, FileType};
    let mut foreign = Vec::new();
    let mut below = Vec::new();
    while let Some(entry) = dir.read() {
        let entry = entry?;
        let name = entry.file_name();
        if matches!(name.to_bytes(), b"." | b"..") {
            continue;
        }
        let relative = format!("{prefix}{}", String::from_utf8_lossy(name.to_bytes()));
        let kind = match entry.file_type() {
            // A file system that does not tell the kind in the listing is asked, without
            // following a link.
            FileType::Unknown => FileType::from_raw_mode(
                rustix::fs::statat(dir.fd()?, name, AtFlags::SYMLINK_NOFOLLOW)?.st_mode,
            ),
            kind => kind,
        };
        if kind != FileType::Directory {
            if !files.contains(relative.as_str()) {
                foreign.push(relative);
            }
        } else if folders.contains(relative.as_str()) {
            below.push((relative, name.to_owned()));
        } else {
            foreign.push(format!("{relative}/"));
        }
    }
    let fd = dir.fd()?;
    let nested = below
        .par_iter()
        .map(|(relative, name)| {
            let sub = rustix::fs::Dir::new(open_folder_at(fd, name.as_c_str())?)?;
            find_foreign(sub, &format!("{relative}/"), files, folders)
        })
        .try_reduce(Vec::new, |mut all, some| {
            all.extend(some);
            Ok(all)
        })?;
    foreign.extend(nested);
    Ok(foreign)
}

/// Removes what dead builds left beside `target`: a folder whose name is one kvalitet gives
/// its work and replaced sites (`.<name>.new-…`, `.<name>.old-…`, `.<name>.previous`), that
/// carries the marker, and whose lock can be taken. Work folders hold only what their build
/// wrote and go whole; a replaced site goes by its listing, and is put back instead if the
/// build died between the two renames of its swap.
fn remove_leftovers(parent: &Path, name: &str, target: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefix = format!(".{name}.");
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(kind) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let work = kind.starts_with("new-");
        let replaced = kind.starts_with("old-") || kind == "previous";
        if !(work || replaced) || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let dir = entry.path();
        let Ok(Some(_lock)) = lock_folder(&dir) else {
            continue;
        };
        if !is_marked(&dir) {
            // A build that died before writing its marker leaves its folder empty.
            let _ = fs::remove_dir(&dir);
        } else if work {
            let _ = fs::remove_dir_all(&dir);
        } else if kind.starts_with("old-")
            && dir.join(MANIFEST).is_file()
            && fs::symlink_metadata(target).is_err()
        {
            let _ = fs::rename(&dir, target);
        } else {
            remove_by_listing(&dir);
        }
    }
}

/// Removes the files `dir`'s listing names, then the folders they were in as far as they are
/// empty, then `dir` with its marker and listing if nothing else is left. Anything else stays,
/// and the marker with it, so the folder still says whose it is.
fn remove_by_listing(dir: &Path) {
    if let Ok(listing) = fs::read_to_string(dir.join(MANIFEST)) {
        let files: Vec<&str> = listing
            .lines()
            .filter(|f| *f != MARKER && *f != MANIFEST)
            .collect();
        remove_listed(dir, &files);
    }
    let only_ours = fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .all(|e| e.file_name() == MARKER || e.file_name() == MANIFEST)
    });
    if only_ours {
        let _ = fs::remove_file(dir.join(MARKER));
        let _ = fs::remove_file(dir.join(MANIFEST));
        let _ = fs::remove_dir(dir);
    }
}

/// Removes the listed files below `dir`, then the folders they were in, deepest first, as long
/// as they are empty. Each top-level folder (a municipality) is one task, so that the threads
/// do not queue on the same folder's lock. Paths that could point outside `dir` are ignored.
fn remove_listed(dir: &Path, files: &[&str]) {
    use rustix::fs::AtFlags;
    let Ok(open) = open_folder_at(rustix::fs::CWD, dir) else {
        return;
    };
    let folder = open.as_fd();
    let mut by_top: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for &file in files.iter().filter(|f| is_inside(f)) {
        let top = file.split('/').next().unwrap_or(file);
        by_top.entry(top).or_default().push(file);
    }
    let groups: Vec<Vec<&str>> = by_top.into_values().collect();
    groups.par_iter().for_each(|group| {
        for file in group {
            let _ = rustix::fs::unlinkat(folder, *file, AtFlags::empty());
        }
        for below in folders_of(group) {
            // Fails, harmlessly, on a folder that still holds something.
            let _ = rustix::fs::unlinkat(folder, below, AtFlags::REMOVEDIR);
        }
    });
}

/// Every folder on the way to the listed files, each once, deepest first.
fn folders_of<S: AsRef<str>>(files: &[S]) -> Vec<&str> {
    let mut paths: Vec<&str> = files.iter().map(AsRef::as_ref).collect();
    if !paths.is_sorted() {
        paths.sort_unstable();
    }
    // In sorted order the files below a folder come one after the other, so a folder is new
    // exactly when the path before did not pass through it.
    let mut by_depth: Vec<Vec<&str>> = Vec::new();
    let mut previous = "";
    for path in paths {
        for (depth, (i, _)) in path.match_indices('/').enumerate() {
            if previous.as_bytes().get(..=i) == Some(&path.as_bytes()[..=i]) {
                continue;
            }
            if by_depth.len() <= depth {
                by_depth.resize_with(depth + 1, Vec::new);
            }
            by_depth[depth].push(&path[..i]);
        }
        previous = path;
    }
    by_depth.into_iter().rev().flatten().collect()
}

/// Whether `path` names a place strictly inside a folder, and only one spelling of it: not
/// empty, not absolute, and no empty, `.` or `..` part.
fn is_inside(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\0')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

// The writer, the removal and the look through an old site name each file from an open
// folder (`openat`, `mkdirat`, `unlinkat`), not by its whole path: the kernel would otherwise
// walk the path from the root again for each of a national site's tens of thousands of files
// and folders.

const FOLDER_FLAGS: rustix::fs::OFlags = rustix::fs::OFlags::RDONLY
    .union(rustix::fs::OFlags::DIRECTORY)
    .union(rustix::fs::OFlags::NOFOLLOW)
    .union(rustix::fs::OFlags::CLOEXEC);

/// Opens the folder `relative` below `folder`, not following a link in its last part.
fn open_folder_at(folder: BorrowedFd<'_>, relative: impl rustix::path::Arg) -> io::Result<OwnedFd> {
    Ok(rustix::fs::openat(
        folder,
        relative,
        FOLDER_FLAGS,
        rustix::fs::Mode::empty(),
    )?)
}

/// Makes the folder `relative` below `folder` and the folders on the way, as far as they are
/// missing (as `fs::create_dir_all` does).
fn create_folders_at(folder: BorrowedFd<'_>, relative: &str) -> io::Result<()> {
    match rustix::fs::mkdirat(folder, relative, rustix::fs::Mode::from_raw_mode(0o777)) {
        Ok(()) | Err(rustix::io::Errno::EXIST) => Ok(()),
        Err(rustix::io::Errno::NOENT) => {
            if let Some((parent, _)) = relative.rsplit_once('/') {
                create_folders_at(folder, parent)?;
            }
            match rustix::fs::mkdirat(folder, relative, rustix::fs::Mode::from_raw_mode(0o777)) {
                Ok(()) | Err(rustix::io::Errno::EXIST) => Ok(()),
                Err(e) => Err(e.into()),
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// Writes `bytes` to the new file `relative` below `folder` (as `fs::write` does).
fn write_at(folder: BorrowedFd<'_>, relative: &str, bytes: &[u8]) -> io::Result<()> {
    use rustix::fs::OFlags;
    let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC;
    let file = rustix::fs::openat(
        folder,
        relative,
        flags,
        rustix::fs::Mode::from_raw_mode(0o666),
    )?;
    io::Write::write_all(&mut fs::File::from(file), bytes)
}

fn io_err(path: &Path, e: &io::Error) -> WriteError {
    WriteError(format!(
        "{} kan ikke skrives: {}. Tip: Tjek, at der er plads på disken, og at du har lov til at skrive der.",
        path.display(),
        danish_io_error(e)
    ))
}

fn unreadable(path: &Path, e: &io::Error) -> WriteError {
    WriteError(format!(
        "{} kan ikke læses: {}. Tip: Tjek, at du har lov til at læse den.",
        path.display(),
        danish_io_error(e)
    ))
}

/// Copies a folder's files and subfolders into `to` (which must exist), returning how many
/// files were copied. Symlinks are skipped. Tests and benchmarks use it to stage content.
pub fn copy_tree(from: &Path, to: &Path) -> io::Result<usize> {
    let files = regular_files(from).map_err(|(_, e)| e)?;
    for (file, path) in &files {
        let dest = to.join(file);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::copy(path, dest)?;
    }
    Ok(files.len())
}

/// Every regular file in `dir` and its subfolders, as (path from `dir` with "/", path to read),
/// or the first entry that could not be read. Symlinks, FIFOs, devices and sockets are left
/// out: the site must not depend on files outside it.
fn regular_files(dir: &Path) -> Result<Vec<(String, PathBuf)>, (PathBuf, io::Error)> {
    let (found, unreadable) = crate::confine::walk(dir);
    if let Some(first) = unreadable.into_iter().next() {
        return Err(first);
    }
    Ok(found
        .into_iter()
        .filter(|f| f.kind == crate::confine::Kind::File)
        .map(|f| (f.name, f.path))
        .collect())
}

#[cfg(test)]
mod tests;
