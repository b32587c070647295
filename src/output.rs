//! Writing the site: into a folder beside the target, then swapped into place.
//!
//! A failed build therefore never leaves a half-written site, and the previous site stays
//! byte-for-byte as it was. The target is replaced only if an earlier build made it (it carries
//! a marker file) or it is empty, so a mistaken `--output` can never delete someone's files.
//!
//! The site replaced by a build is kept beside the new one as `.<name>.previous`, and the next
//! build writes into it: overwriting a file that exists costs a quarter of creating it and later
//! removing it again, which was a third of a national build's time.

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
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

/// Where the site a build replaces is kept, for the next build to write into.
pub fn previous_dir(target: &Path) -> PathBuf {
    let (parent, name) = parent_and_name(target);
    parent.join(format!(".{name}.previous"))
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
    /// The fresh folder, open: pages are opened relative to it, so that the kernel does not
    /// walk the whole path from `/` again for each of them.
    fresh_dir: Option<fs::File>,
    target: PathBuf,
    parent: PathBuf,
    name: String,
    stamp: u128,
    /// The files of the earlier site the fresh folder was made from, if it was one: those this
    /// build does not write again are removed before the swap.
    reused: Option<Vec<String>>,
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
        let (parent, name) = parent_and_name(target);
        fs::create_dir_all(&parent)
            .map_err(|e| WriteError(format!("{} kan ikke oprettes: {e}", parent.display())))?;
        let stamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let fresh = parent.join(format!(".{name}.new-{}-{stamp}", std::process::id()));
        let reused = claim_previous(&previous_dir(target), &fresh);
        // From here on, Drop cleans up whatever was written.
        let mut writer = SiteWriter {
            fresh,
            fresh_dir: None,
            target: target.to_path_buf(),
            parent,
            name,
            stamp,
            reused,
            static_files: 0,
            pages: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            written: Mutex::new(Vec::new()),
            finished: false,
        };
        let dir = writer.fresh.clone();
        fs::create_dir_all(&dir).map_err(|e| io_err(&dir, e))?;
        writer.fresh_dir = Some(open_folder(&dir).map_err(|e| io_err(&dir, e))?);
        writer.write_file(MARKER, MARKER_TEXT.as_bytes())?;
        if let Some(static_dir) = static_dir {
            writer.copy_static(static_dir)?;
        }
        Ok(writer)
    }

    /// Copies the theme's static files (a folder that does not exist has none).
    pub fn copy_static(&mut self, static_dir: &Path) -> Result<(), WriteError> {
        if !static_dir.is_dir() {
            return Ok(());
        }
        let mut files = Vec::new();
        list_files(static_dir, "", &mut files).map_err(|e| io_err(static_dir, e))?;
        for file in &files {
            let from = static_dir.join(file);
            let bytes = fs::read(&from).map_err(|e| io_err(&from, e))?;
            self.write_file(file, &bytes)?;
        }
        self.static_files += files.len();
        self.record(files);
        Ok(())
    }

    /// Writes one page into the fresh folder.
    pub fn write_page(&self, page: &Page) -> Result<(), WriteError> {
        self.write_file(&page.path, page.html.as_bytes())?;
        self.record(vec![page.path.clone()]);
        self.pages.fetch_add(1, Ordering::Relaxed);
        self.bytes
            .fetch_add(page.html.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Writes `bytes` to `relative` in the fresh folder, over the file that is there when the
    /// folder was an earlier site.
    fn write_file(&self, relative: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let path = self.fresh.join(relative);
        let err = |e| io_err(&path, e);
        if self.reused.is_none()
            && let Some(parent) = path.parent()
        {
            fs::create_dir_all(parent).map_err(|e| io_err(parent, e))?;
        }
        let open = || match &self.fresh_dir {
            Some(dir) => open_below(dir, relative),
            None => Err(io::Error::from(io::ErrorKind::NotFound)),
        };
        let mut file = match open() {
            Ok(file) => file,
            // The folder is new, or the earlier site had a file where this one has a folder
            // or the other way round.
            Err(_) => {
                self.make_room(relative);
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent).map_err(|e| io_err(parent, e))?;
                }
                open().map_err(err)?
            }
        };
        let meta = file.metadata().map_err(err)?;
        if meta.nlink() > 1 {
            // Someone linked the file elsewhere: writing into it would change their copy too.
            drop(file);
            fs::remove_file(&path).map_err(err)?;
            file = open().map_err(err)?;
        } else if meta.len() > bytes.len() as u64 {
            file.set_len(bytes.len() as u64).map_err(err)?;
        }
        file.write_all(bytes).map_err(err)
    }

    /// Clears the way for a file at `relative` in a folder made from an earlier site: a folder
    /// where the file goes, or a file where one of its folders goes.
    fn make_room(&self, relative: &str) {
        if self.reused.is_none() {
            return;
        }
        let path = self.fresh.join(relative);
        if fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            let _ = fs::remove_dir_all(&path);
        }
        for (i, _) in relative.match_indices('/') {
            let folder = self.fresh.join(&relative[..i]);
            match fs::symlink_metadata(&folder) {
                Ok(m) if m.is_dir() => {}
                Ok(_) => {
                    let _ = fs::remove_file(&folder);
                }
                Err(_) => break,
            }
        }
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
        // Tens of thousands of paths at national scale: on every core, as this is the build's
        // last stretch and nothing else runs.
        written.par_sort_unstable();
        if let Some(earlier) = &self.reused {
            // Both lists sorted, the files no longer built are found in one walk along them.
            let mut earlier: Vec<&str> = earlier.iter().map(String::as_str).collect();
            earlier.par_sort_unstable();
            let mut built = written.iter().map(String::as_str).peekable();
            let stale: Vec<&str> = earlier
                .into_iter()
                .filter(|&f| {
                    while built.next_if(|&b| b < f).is_some() {}
                    built.peek() != Some(&f) && f != MARKER && f != MANIFEST
                })
                .collect();
            remove_listed(&self.fresh, &stale);
        }
        let mut listing = written.join("\n");
        listing.push_str(&format!("\n{MARKER}\n{MANIFEST}\n"));
        self.write_file(MANIFEST, listing.as_bytes())?;
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
            // A build that stopped before its first page (its content had errors) hands the
            // kept site back as it found it, but for the marker and the theme's files, which
            // are written over in place: its listing still names every file in it.
            if self.pages.load(Ordering::Relaxed) == 0
                && self.reused.is_some()
                && fs::rename(&self.fresh, previous_dir(&self.target)).is_ok()
            {
                return;
            }
            let written = self.written.get_mut().unwrap_or_else(|e| e.into_inner());
            written.extend([MARKER.to_string(), MANIFEST.to_string()]);
            written.extend(self.reused.take().unwrap_or_default());
            remove_listed(&self.fresh, written);
            remove_tree_parallel(&self.fresh);
        }
    }
}

/// Opens `relative` below the open folder `dir` for writing, creating it if needed. A link in
/// the last place is never followed out of the folder.
fn open_below(dir: &fs::File, relative: &str) -> io::Result<fs::File> {
    use std::os::fd::{AsRawFd, FromRawFd};
    // An absolute path would make openat ignore the folder.
    if !is_inside(relative) {
        return Err(io::Error::from(io::ErrorKind::InvalidInput));
    }
    let name = std::ffi::CString::new(relative)
        .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    // SAFETY: `dir` is an open folder and `name` a NUL-terminated path; openat returns a new
    // descriptor or -1.
    let fd = unsafe {
        libc::openat(
            dir.as_raw_fd(),
            name.as_ptr(),
            libc::O_WRONLY | libc::O_CREAT | libc::O_NOFOLLOW | libc::O_CLOEXEC,
            0o666 as libc::c_uint,
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` was just opened and nothing else owns it.
    Ok(unsafe { fs::File::from_raw_fd(fd) })
}

/// Takes the site kept from the build before last as the folder to write the new one into,
/// returning the files it holds; `None` if there is none that can safely be written over.
fn claim_previous(previous: &Path, fresh: &Path) -> Option<Vec<String>> {
    fs::symlink_metadata(previous).ok().filter(|m| m.is_dir())?;
    if !previous.join(MARKER).is_file() {
        // Not ours: left alone.
        return None;
    }
    let listing = fs::read_to_string(previous.join(MANIFEST)).ok();
    let files: Option<Vec<String>> = listing.map(|l| l.lines().map(str::to_string).collect());
    let usable = files
        .as_ref()
        .is_some_and(|files| untouched_since_built(previous, files));
    if !usable || fs::rename(previous, fresh).is_err() {
        // Ours, but from before listings, or changed since: removed as a whole, so that
        // nothing but the new build's files is ever published.
        remove_tree_parallel(previous);
        return None;
    }
    files
}

/// Whether the folders holding the listed files are plain folders that nobody has added to,
/// removed from or renamed in since the build that wrote the listing last: adding a file or
/// a link to a folder changes its modification time. Then writing into them cannot reach
/// outside `dir`, and the listing names everything in them.
fn untouched_since_built(dir: &Path, files: &[String]) -> bool {
    let Ok(listing) = fs::symlink_metadata(dir.join(MANIFEST)) else {
        return false;
    };
    let built = (listing.mtime(), listing.mtime_nsec());
    let Ok(dir) = open_folder(dir) else {
        return false;
    };
    let mut folders = folders_of(files);
    folders.push(".");
    files.par_iter().all(|f| is_inside(f))
        && folders.par_iter().all(|folder| {
            // Relative to the open folder: a national site has tens of thousands of folders,
            // and the kernel would otherwise walk each one's whole path from the root again.
            stat_below(&dir, folder).is_some_and(|st| {
                st.st_mode & libc::S_IFMT == libc::S_IFDIR
                    && (st.st_mtime, st.st_mtime_nsec) <= built
            })
        })
}

/// Opens a folder to find files relative to it; a link in its place is not followed.
fn open_folder(dir: &Path) -> io::Result<fs::File> {
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY | libc::O_NOFOLLOW)
        .open(dir)
}

/// What `relative` below the open folder `dir` is, itself if it is a link.
fn stat_below(dir: &fs::File, relative: &str) -> Option<libc::stat> {
    use std::os::fd::AsRawFd;
    let name = std::ffi::CString::new(relative).ok()?;
    let mut st = std::mem::MaybeUninit::<libc::stat>::zeroed();
    // SAFETY: `dir` is an open folder, `name` a NUL-terminated path, and fstatat only writes
    // the struct it is given.
    let found = unsafe {
        libc::fstatat(
            dir.as_raw_fd(),
            name.as_ptr(),
            st.as_mut_ptr(),
            libc::AT_SYMLINK_NOFOLLOW,
        )
    } == 0;
    // SAFETY: fstatat succeeded, so it filled the struct.
    found.then(|| unsafe { st.assume_init() })
}

/// Every folder on the way to the listed files, each once, deepest first.
fn folders_of<S: AsRef<str>>(files: &[S]) -> Vec<&str> {
    let mut paths: Vec<&str> = files.iter().map(AsRef::as_ref).collect();
    // Listings are written sorted; only a build that stopped early has an unsorted one.
    if !paths.is_sorted() {
        paths.sort_unstable();
    }
    // In sorted order the files below a folder come one after the other, so a folder is new
    // exactly when the path before did not pass through it. That makes each folder once
    // without a set or a sort of the folders: a national site has tens of thousands.
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

fn is_inside(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

fn io_err(path: &Path, e: io::Error) -> WriteError {
    WriteError(format!("{} kan ikke skrives: {e}", path.display()))
}

/// Copies a folder's files and subfolders into `to` (which must exist), returning how many
/// files were copied. Symlinks are skipped. Tests and benchmarks use it to stage content.
pub fn copy_tree(from: &Path, to: &Path) -> io::Result<usize> {
    let mut files = Vec::new();
    list_files(from, "", &mut files)?;
    for file in &files {
        let dest = to.join(file);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::copy(from.join(file), dest)?;
    }
    Ok(files.len())
}

/// Adds the path (below `prefix`) of every file in `dir` and its subfolders to `files`.
fn list_files(dir: &Path, prefix: &str, files: &mut Vec<String>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let relative = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if kind.is_dir() {
            list_files(&entry.path(), &format!("{relative}/"), files)?;
        } else if kind.is_file() {
            files.push(relative);
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
    // The replaced site is kept for the next build to write into, unless something that is
    // not ours has the name.
    let previous = previous_dir(target);
    let keep = fs::symlink_metadata(&previous).is_err();
    let old = if keep {
        previous
    } else {
        parent.join(format!(".{name}.old-{}-{stamp}", std::process::id()))
    };
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
    if had_old && !keep {
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
    let mut by_top: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for file in files.iter().map(|f| f.as_ref()).filter(|f| is_inside(f)) {
        let top = file.split('/').next().unwrap_or(file);
        by_top.entry(top).or_default().push(file);
    }
    let groups: Vec<Vec<&str>> = by_top.into_values().collect();
    groups.par_iter().for_each(|group| {
        for file in group {
            let _ = fs::remove_file(dir.join(file));
        }
        for folder in folders_of(group) {
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

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_its_own_folder_whole_and_keeps_the_one_before() {
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
        assert_eq!(names_in(&dir), [".site.previous", "site"], "nothing else");
        assert_eq!(
            fs::read_to_string(dir.join(".site.previous/a/index.html")).unwrap(),
            "first"
        );
    }

    #[test]
    fn the_next_build_is_written_over_the_one_before_and_only_its_pages_remain() {
        let dir = temp("reuse");
        let target = dir.join("site");
        let long = "x".repeat(5000);
        write_site(
            &target,
            &[page("a/index.html", &long), page("gone/index.html", "old")],
            None,
        )
        .unwrap();
        write_site(&target, &[page("b/index.html", "second")], None).unwrap();
        // Written into the first site's folder: shorter pages are cut to length, pages no
        // longer built are gone, new folders are made.
        write_site(
            &target,
            &[page("a/index.html", "short"), page("c/d/index.html", "new")],
            None,
        )
        .unwrap();
        assert_eq!(
            fs::read_to_string(target.join("a/index.html")).unwrap(),
            "short"
        );
        assert_eq!(
            fs::read_to_string(target.join("c/d/index.html")).unwrap(),
            "new"
        );
        assert!(!target.join("gone").exists());
        assert_eq!(names_in(&target), [MANIFEST, MARKER, "a", "c"]);
        assert_eq!(
            fs::read_to_string(target.join(MANIFEST)).unwrap(),
            format!("a/index.html\nc/d/index.html\n{MARKER}\n{MANIFEST}\n")
        );
        assert_eq!(names_in(&dir), [".site.previous", "site"]);
    }

    #[test]
    fn a_build_that_stops_before_its_first_page_leaves_the_kept_site_in_place() {
        let dir = temp("stopped");
        let target = dir.join("site");
        write_site(&target, &[page("a/index.html", "first")], None).unwrap();
        write_site(&target, &[page("b/index.html", "second")], None).unwrap();
        // As when the content turns out to have errors after the folder was made ready.
        drop(SiteWriter::begin(&target, None).unwrap());
        assert_eq!(names_in(&dir), [".site.previous", "site"]);
        assert_eq!(
            fs::read_to_string(dir.join(".site.previous/a/index.html")).unwrap(),
            "first"
        );
        // Still fit to be written over: what it held and the next build does not write goes.
        write_site(&target, &[page("c/index.html", "third")], None).unwrap();
        assert_eq!(names_in(&target), [MANIFEST, MARKER, "c"]);
        assert_eq!(
            fs::read_to_string(dir.join(".site.previous/b/index.html")).unwrap(),
            "second"
        );
    }

    #[test]
    fn a_file_added_to_the_kept_site_is_never_published() {
        let dir = temp("stray");
        let target = dir.join("site");
        write_site(&target, &[page("a/index.html", "first")], None).unwrap();
        write_site(&target, &[page("a/index.html", "second")], None).unwrap();
        // Someone puts a file into the kept site, deep down, after it was built.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(dir.join(".site.previous/a/notes.txt"), "stray").unwrap();
        write_site(&target, &[page("a/index.html", "third")], None).unwrap();
        assert!(!target.join("a/notes.txt").exists());
        assert_eq!(names_in(&target.join("a")), ["index.html"]);
        assert_eq!(
            fs::read_to_string(target.join("a/index.html")).unwrap(),
            "third"
        );
    }

    #[test]
    fn writing_over_the_kept_site_never_changes_a_file_outside_it() {
        let dir = temp("links");
        let target = dir.join("site");
        let outside = dir.join("outside.txt");
        fs::write(&outside, "keep me").unwrap();
        write_site(&target, &[page("a/index.html", "first")], None).unwrap();
        write_site(&target, &[page("a/index.html", "second")], None).unwrap();
        // A hard link from the kept site to a file outside it: the folder is unchanged, but
        // writing into the file would change the outside one too.
        let kept = dir.join(".site.previous/a/index.html");
        fs::remove_file(&kept).unwrap();
        fs::hard_link(&outside, &kept).unwrap();
        write_site(&target, &[page("a/index.html", "third")], None).unwrap();
        assert_eq!(fs::read_to_string(&outside).unwrap(), "keep me");
        assert_eq!(
            fs::read_to_string(target.join("a/index.html")).unwrap(),
            "third"
        );
        // A folder of the kept site swapped for a link to a folder outside it.
        let elsewhere = dir.join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        fs::write(elsewhere.join("index.html"), "keep me too").unwrap();
        let kept_folder = dir.join(".site.previous/a");
        fs::remove_dir_all(&kept_folder).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &kept_folder).unwrap();
        write_site(&target, &[page("a/index.html", "fourth")], None).unwrap();
        assert_eq!(
            fs::read_to_string(elsewhere.join("index.html")).unwrap(),
            "keep me too"
        );
        assert_eq!(
            fs::read_to_string(target.join("a/index.html")).unwrap(),
            "fourth"
        );
        assert_eq!(fs::read_to_string(&outside).unwrap(), "keep me");
    }

    #[test]
    fn a_folder_named_like_the_kept_site_that_is_not_ours_is_left_alone() {
        let dir = temp("not-ours");
        let target = dir.join("site");
        let theirs = dir.join(".site.previous");
        fs::create_dir_all(&theirs).unwrap();
        fs::write(theirs.join("letter.txt"), "keep me").unwrap();
        write_site(&target, &[page("a/index.html", "first")], None).unwrap();
        write_site(&target, &[page("a/index.html", "second")], None).unwrap();
        assert_eq!(names_in(&theirs), ["letter.txt"]);
        assert_eq!(names_in(&dir), [".site.previous", "site"]);
        assert_eq!(
            fs::read_to_string(target.join("a/index.html")).unwrap(),
            "second"
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
        write_site(&target, &[page("d/index.html", "third")], None).unwrap();
        assert!(
            !target.join("a").exists(),
            "the old site is gone, stray file and all"
        );
        assert_eq!(
            fs::read_to_string(dir.join("outside.txt")).unwrap(),
            "keep me"
        );
        assert_eq!(
            fs::read_to_string(target.join("d/index.html")).unwrap(),
            "third"
        );
        assert_eq!(names_in(&dir), [".site.previous", "outside.txt", "site"]);
    }

    #[test]
    fn refuses_to_replace_a_file() {
        let dir = temp("file");
        let target = dir.join("site");
        fs::write(&target, "a file").unwrap();
        assert!(write_site(&target, &[], None).is_err());
        assert_eq!(fs::read_to_string(&target).unwrap(), "a file");
    }

    #[test]
    fn each_folder_of_a_listing_once_and_deepest_first() {
        // Names that sort between a folder and its files ('-' and '.' come before '/'), in
        // the order a build that stopped early lists them, and sorted as listings are.
        let unsorted = [
            "a/b/x/index.html",
            "a/b-c/index.html",
            "index.html",
            "a/b/y/index.html",
            "a/b.d/e/index.html",
            "a/b/index.html",
            "f/index.html",
        ];
        let mut sorted = unsorted;
        sorted.sort_unstable();
        for files in [unsorted, sorted] {
            let folders = folders_of(&files);
            let mut expected: Vec<&str> = files
                .iter()
                .flat_map(|f| f.match_indices('/').map(move |(i, _)| &f[..i]))
                .collect();
            expected.sort_unstable();
            expected.dedup();
            let mut once = folders.clone();
            once.sort_unstable();
            assert_eq!(once, expected, "every folder, each once: {folders:?}");
            let depth = |f: &str| f.matches('/').count();
            assert!(
                folders.windows(2).all(|w| depth(w[0]) >= depth(w[1])),
                "deepest first: {folders:?}"
            );
        }
    }
}
