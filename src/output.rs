//! Writing the site: into a fresh folder beside the target, then swapped into place.
//!
//! A failed build therefore never leaves a half-written site, and the previous site stays
//! byte-for-byte as it was. The target is replaced only if an earlier build made it (it carries
//! a marker file) or it is empty, so a mistaken `--output` can never delete someone's files.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use rayon::prelude::*;

use crate::render::Page;

/// Name of the file that marks a folder as written by kvalitet.
pub const MARKER: &str = ".kvalitet-output";

/// Lists every file a build wrote, one path per line relative to the site, so that the next
/// build removes the old site by name: listing every folder to find its files took several
/// times the system calls of writing them.
pub const MANIFEST: &str = ".kvalitet-files";

const MARKER_TEXT: &str = "Denne mappe er lavet af kvalitet. Den bliver erstattet, når hjemmesiden bygges igen.\n\
Læg ikke dine egne filer her: de forsvinder ved næste bygning.\n";

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
pub fn may_replace(dir: &Path) -> Result<bool, WriteError> {
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(WriteError(format!("{} kan ikke læses: {e}", dir.display()))),
        Ok(meta) if !meta.is_dir() => Ok(false),
        Ok(_) => {
            if dir.join(MARKER).is_file() {
                return Ok(true);
            }
            let mut entries = fs::read_dir(dir)
                .map_err(|e| WriteError(format!("{} kan ikke læses: {e}", dir.display())))?;
            Ok(entries.next().is_none())
        }
    }
}

/// Writes pages and the theme's static files to `target`, replacing it as one step.
pub fn write_site(
    target: &Path,
    pages: &[Page],
    static_dir: Option<&Path>,
) -> Result<WriteStats, WriteError> {
    let writer = SiteWriter::begin(target, static_dir)?;
    pages
        .par_iter()
        .try_for_each(|page| writer.write_page(page))?;
    writer.finish()
}

/// A new site being written beside `target`, page by page from any number of threads, and
/// swapped into place by [`SiteWriter::finish`]. Dropped without `finish`, it removes what it
/// wrote and leaves `target` as it was.
///
/// Pages can thus be written as soon as they are rendered, so a build need not hold every
/// page of a national site in memory at once.
pub struct SiteWriter {
    fresh: PathBuf,
    target: PathBuf,
    parent: PathBuf,
    name: String,
    stamp: u128,
    static_files: usize,
    pages: AtomicUsize,
    bytes: AtomicU64,
    /// Every file written so far, relative to the site.
    written: Mutex<Vec<String>>,
    finished: bool,
}

impl SiteWriter {
    /// Checks that `target` may be replaced and starts the fresh folder with the marker and
    /// the theme's static files.
    pub fn begin(target: &Path, static_dir: Option<&Path>) -> Result<SiteWriter, WriteError> {
        if !may_replace(target)? {
            return Err(WriteError(format!(
                "Mappen {} er ikke lavet af kvalitet, og den er ikke tom. Den bliver ikke overskrevet, så ingen filer går tabt. Vælg en anden mappe med --output, eller tøm mappen selv",
                target.display()
            )));
        }
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)
            .map_err(|e| WriteError(format!("{} kan ikke oprettes: {e}", parent.display())))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".to_string());
        let stamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let fresh = parent.join(format!(".{name}.new-{}-{stamp}", std::process::id()));
        // From here on, Drop cleans up whatever was written.
        let mut writer = SiteWriter {
            fresh,
            target: target.to_path_buf(),
            parent,
            name,
            stamp,
            static_files: 0,
            pages: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            written: Mutex::new(Vec::new()),
            finished: false,
        };
        let dir = writer.fresh.clone();
        fs::create_dir_all(&dir).map_err(|e| io_err(&dir, e))?;
        fs::write(dir.join(MARKER), MARKER_TEXT).map_err(|e| io_err(&dir, e))?;
        if let Some(static_dir) = static_dir.filter(|d| d.is_dir()) {
            let mut copied = Vec::new();
            copy_listed(static_dir, &dir, "", &mut copied).map_err(|e| io_err(static_dir, e))?;
            writer.static_files = copied.len();
            writer.record(copied);
        }
        Ok(writer)
    }

    /// Writes one page into the fresh folder.
    pub fn write_page(&self, page: &Page) -> Result<(), WriteError> {
        let path = self.fresh.join(&page.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io_err(parent, e))?;
        }
        fs::write(&path, page.html.as_bytes()).map_err(|e| io_err(&path, e))?;
        self.record(vec![page.path.clone()]);
        self.pages.fetch_add(1, Ordering::Relaxed);
        self.bytes
            .fetch_add(page.html.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    fn record(&self, paths: Vec<String>) {
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(paths);
    }

    /// Replaces `target` with the fresh folder as one step.
    pub fn finish(mut self) -> Result<WriteStats, WriteError> {
        let written = self.written.get_mut().unwrap_or_else(|e| e.into_inner());
        // Sorted, so that the same site gives the same bytes whatever order threads wrote it in.
        written.sort_unstable();
        let mut listing = written.join("\n");
        listing.push_str(&format!("\n{MARKER}\n{MANIFEST}\n"));
        let manifest = self.fresh.join(MANIFEST);
        fs::write(&manifest, listing).map_err(|e| io_err(&manifest, e))?;
        swap_in(
            &self.fresh,
            &self.target,
            &self.parent,
            &self.name,
            self.stamp,
        )?;
        self.finished = true;
        Ok(WriteStats {
            pages: self.pages.load(Ordering::Relaxed),
            static_files: self.static_files,
            bytes: self.bytes.load(Ordering::Relaxed),
        })
    }
}

impl Drop for SiteWriter {
    fn drop(&mut self) {
        if !self.finished {
            let written = self.written.get_mut().unwrap_or_else(|e| e.into_inner());
            written.extend([MARKER.to_string(), MANIFEST.to_string()]);
            remove_listed(&self.fresh, written);
            remove_tree_parallel(&self.fresh);
        }
    }
}

fn io_err(path: &Path, e: io::Error) -> WriteError {
    WriteError(format!("{} kan ikke skrives: {e}", path.display()))
}

/// Copies a folder's files and subfolders into `to` (which must exist), returning how many
/// files were copied. Symlinks are skipped. Tests and benchmarks use it to stage content.
pub fn copy_tree(from: &Path, to: &Path) -> io::Result<usize> {
    let mut copied = Vec::new();
    copy_listed(from, to, "", &mut copied)?;
    Ok(copied.len())
}

/// [`copy_tree`], adding each copied file's path (below `prefix`) to `copied`.
fn copy_listed(from: &Path, to: &Path, prefix: &str, copied: &mut Vec<String>) -> io::Result<()> {
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let name = entry.file_name();
        let dest = to.join(&name);
        let relative = format!("{prefix}{}", name.to_string_lossy());
        if kind.is_dir() {
            fs::create_dir_all(&dest)?;
            copy_listed(&entry.path(), &dest, &format!("{relative}/"), copied)?;
        } else if kind.is_file() {
            fs::copy(entry.path(), &dest)?;
            copied.push(relative);
        }
        // Symlinks in a theme are skipped: the site must not depend on files outside it.
    }
    Ok(())
}

fn swap_in(
    fresh: &Path,
    target: &Path,
    parent: &Path,
    name: &str,
    stamp: u128,
) -> Result<(), WriteError> {
    let old = parent.join(format!(".{name}.old-{}-{stamp}", std::process::id()));
    let had_old = match fs::symlink_metadata(target) {
        Ok(_) => {
            fs::rename(target, &old)
                .map_err(|e| WriteError(format!("{} kan ikke erstattes: {e}", target.display())))?;
            true
        }
        Err(_) => false,
    };
    if let Err(e) = fs::rename(fresh, target) {
        if had_old {
            let _ = fs::rename(&old, target);
        }
        return Err(WriteError(format!(
            "Den nye udgave kan ikke flyttes til {}: {e}",
            target.display()
        )));
    }
    if had_old {
        // Only ever a folder that passed `may_replace`: ours, or empty.
        if let Ok(listing) = fs::read_to_string(old.join(MANIFEST)) {
            let files: Vec<&str> = listing.lines().collect();
            remove_listed(&old, &files);
        }
        // Whatever the listing did not name (or all of it, for a site from before listings).
        remove_tree_parallel(&old);
    }
    Ok(())
}

/// Removes the listed files below `dir`, then the folders they were in, deepest first, as long
/// as they are empty: two system calls a page, where walking the tree takes about eight.
/// Each top-level folder (a municipality) is one task, so that the two threads do not queue
/// on the same folder's lock. Paths that could point outside `dir` are ignored.
fn remove_listed(dir: &Path, files: &[impl AsRef<str> + Sync]) {
    let inside = |path: &str| {
        !path.is_empty()
            && Path::new(path)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
    };
    let mut by_top: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for file in files.iter().map(|f| f.as_ref()).filter(|f| inside(f)) {
        let top = file.split('/').next().unwrap_or(file);
        by_top.entry(top).or_default().push(file);
    }
    let groups: Vec<Vec<&str>> = by_top.into_values().collect();
    groups.par_iter().for_each(|group| {
        for file in group {
            let _ = fs::remove_file(dir.join(file));
        }
        let mut folders: Vec<&str> = group
            .iter()
            .flat_map(|f| f.match_indices('/').map(move |(i, _)| &f[..i]))
            .collect();
        folders.sort_unstable_by(|a, b| {
            b.matches('/')
                .count()
                .cmp(&a.matches('/').count())
                .then(a.cmp(b))
        });
        folders.dedup();
        for folder in folders {
            // Fails, harmlessly, on a folder that still holds something.
            let _ = fs::remove_dir(dir.join(folder));
        }
    });
}

/// Removes a folder and everything in it, its top-level entries in parallel: a national site
/// has one folder per municipality, and removing tens of thousands of files one after the
/// other is a noticeable part of a build. Errors are ignored, as for the old site they are
/// only untidiness.
fn remove_tree_parallel(dir: &Path) {
    let entries: Vec<fs::DirEntry> = match fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(|e| e.ok()).collect(),
        Err(_) => return,
    };
    entries.par_iter().for_each(|entry| {
        let path = entry.path();
        // Symlinks are removed as links, never followed.
        let _ = match entry.file_type() {
            Ok(kind) if kind.is_dir() => fs::remove_dir_all(&path),
            _ => fs::remove_file(&path),
        };
    });
    let _ = fs::remove_dir_all(dir);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "kvalitet-output-test-{name}-{}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn page(path: &str, html: &str) -> Page {
        Page {
            path: path.to_string(),
            html: html.to_string(),
        }
    }

    #[test]
    fn refuses_to_replace_a_folder_it_did_not_make() {
        let dir = temp("foreign");
        let target = dir.join("documents");
        fs::create_dir_all(&target).unwrap();
        fs::write(target.join("letter.txt"), "keep me").unwrap();
        let err = write_site(&target, &[page("index.html", "x")], None).unwrap_err();
        assert!(err.0.contains("ikke lavet af kvalitet"), "{err}");
        assert_eq!(
            fs::read_to_string(target.join("letter.txt")).unwrap(),
            "keep me"
        );
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary folder left"
        );
    }

    #[test]
    fn replaces_its_own_folder_whole() {
        let dir = temp("own");
        let target = dir.join("site");
        write_site(&target, &[page("a/index.html", "first")], None).unwrap();
        write_site(&target, &[page("b/index.html", "second")], None).unwrap();
        assert!(!target.join("a").exists(), "stale pages are gone");
        assert_eq!(
            fs::read_to_string(target.join("b/index.html")).unwrap(),
            "second"
        );
        assert!(target.join(MARKER).is_file());
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            1,
            "no leftovers beside it"
        );
    }

    #[test]
    fn the_listing_removes_the_old_site_but_never_reaches_outside_it() {
        let dir = temp("listing");
        let target = dir.join("site");
        write_site(&target, &[page("a/b/index.html", "first")], None).unwrap();
        let listing = fs::read_to_string(target.join(MANIFEST)).unwrap();
        assert!(listing.lines().any(|l| l == "a/b/index.html"), "{listing}");
        // A file someone put in the old site, and a listing that points outside it.
        fs::write(target.join("a/notes.txt"), "stray").unwrap();
        fs::write(dir.join("outside.txt"), "keep me").unwrap();
        fs::write(
            target.join(MANIFEST),
            format!(
                "{listing}../outside.txt\n/{}\n",
                dir.join("outside.txt").display()
            ),
        )
        .unwrap();
        write_site(&target, &[page("c/index.html", "second")], None).unwrap();
        assert!(
            !target.join("a").exists(),
            "the old site is gone, stray file and all"
        );
        assert_eq!(
            fs::read_to_string(dir.join("outside.txt")).unwrap(),
            "keep me"
        );
        assert_eq!(
            fs::read_to_string(target.join("c/index.html")).unwrap(),
            "second"
        );
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            2,
            "site and outside.txt only"
        );
    }

    #[test]
    fn refuses_to_replace_a_file() {
        let dir = temp("file");
        let target = dir.join("site");
        fs::write(&target, "a file").unwrap();
        assert!(write_site(&target, &[], None).is_err());
        assert_eq!(fs::read_to_string(&target).unwrap(), "a file");
    }
}
