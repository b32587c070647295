//! The preview server: the site built into memory, served over HTTP on loopback, rebuilt when
//! a content or theme file changes, and open pages told over Server-Sent Events to take the new
//! version (in place, or by loading again when the theme's static files changed).
//!
//! Saving a municipality's file re-reads, re-checks and re-renders only what depends on it
//! (see [`crate::incremental`]); any other change builds the whole site again.
//!
//! Only what is in the in-memory map can be served, so no request path can reach a file on disk.
//! State is passed explicitly: one [`Server`] owns its threads and its current snapshot.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use notify::event::{
    AccessKind, AccessMode, CreateKind, DataChange, MetadataKind, ModifyKind, RemoveKind,
    RenameMode,
};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::build::BuildOptions;
use crate::diagnostic::{Diagnostic, report};
use crate::incremental::{SiteState, Update};
use crate::output::write_site;
use crate::render::Page;

mod events;
mod host;
mod http;

pub use events::MAX_EVENT_STREAMS;
pub use host::host_allowed;
pub use http::Limits;
use http::{Answer, Request, Response};

/// Where browsers listen for reload events. Outside any page's namespace: page paths are slugs.
pub const EVENTS_PATH: &str = "/__kvalitet/events";

/// Quiet period after the last file event before rebuilding. Measured with
/// `cargo bench --bench serve_latency` (`event_gap` lines): the events that carry one save's
/// content (write in place, rename-over, delete and recreate, real vim) arrive within about 1 ms
/// of each other on an idle machine and within about 4 ms under heavy load, so 25 ms joins them
/// into one rebuild with margin while adding only 25 ms to save-to-reload. vim's trailing
/// attribute change can come tens of milliseconds later under load; the rebuild it causes
/// changes no page and so sends no reload (see `rebuild`). An event that ends a save waits only
/// [`SETTLE`] instead.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(25);

/// A save that keeps producing events (a long copy) still rebuilds after this long.
const MAX_DEBOUNCE: Duration = Duration::from_millis(500);

/// Quiet period after an event that ends a save (see [`completes_save`]) instead of the
/// debounce. The events of one rename-over are read from the kernel together, so a few
/// milliseconds catch them; a later event starts the full debounce again.
const SETTLE: Duration = Duration::from_millis(3);

/// Options for [`Server::start`].
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    /// 127.0.0.1 unless the editor deliberately shares the preview on the network.
    pub bind: IpAddr,
    /// 0 picks any free port.
    pub port: u16,
    /// Also write the published folder after every successful build.
    pub output_dir: Option<PathBuf>,
    pub debounce: Duration,
    /// What one client may cost: sizes, timeouts, requests per connection, connections.
    pub limits: Limits,
    /// Print build results and errors to the terminal.
    pub log: bool,
}

impl ServeOptions {
    pub fn new(build: BuildOptions) -> Self {
        ServeOptions {
            build,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
            output_dir: None,
            debounce: DEFAULT_DEBOUNCE,
            limits: Limits::default(),
            log: false,
        }
    }
}

/// Why the server could not start; in Danish, because the editor reads it.
#[derive(Debug)]
pub struct ServeError(pub String);

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ServeError {}

/// The site's files in memory, keyed by normalised path (`index.html`, `holbaek/index.html`,
/// `style.css`).
struct SiteFiles {
    files: HashMap<String, Body>,
    /// Changes whenever a theme's static file (a style sheet, an image) changes, so an open page
    /// knows it must load again rather than only take the new page's body.
    statics: u64,
    pages: usize,
    municipalities: usize,
    warnings: usize,
}

/// A file's bytes, shared between the site and responses being written. Pages are moved in
/// from the renderer without copying: at 98 municipalities that is thousands of pages.
#[derive(Clone)]
struct Body(Arc<Vec<u8>>);

impl PartialEq for Body {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0 == other.0
    }
}

impl AsRef<[u8]> for Body {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Body(Arc::new(bytes))
    }
}

impl From<&[u8]> for Body {
    fn from(bytes: &[u8]) -> Self {
        Body(Arc::new(bytes.to_vec()))
    }
}

/// What is served right now. Replaced whole, never edited in place.
struct Snapshot {
    /// Bumped on every build, good or bad; pages carry it so a tab can tell it is stale.
    generation: u64,
    /// The last site that built; `None` only while no build has ever succeeded.
    site: Option<Arc<SiteFiles>>,
    /// Errors of the latest build; empty when it succeeded.
    errors: Arc<Vec<Diagnostic>>,
    last_build: Duration,
    /// Builds finished, including those that changed nothing.
    builds: u64,
    /// The latest build read again only the saved municipality files (see `incremental`).
    incremental: bool,
}

/// A copy of the server's state for tests, benchmarks and the terminal.
#[derive(Debug, Clone)]
pub struct Status {
    pub generation: u64,
    pub has_site: bool,
    pub errors: Vec<Diagnostic>,
    /// Wall time of the latest build, from reading files to the site in memory.
    pub last_build: Duration,
    pub pages: usize,
    /// Builds finished, including those that changed nothing and so sent no reload.
    pub builds: u64,
    /// The latest build read again only the saved municipality files, not the whole site.
    pub incremental: bool,
}

impl Status {
    fn of(s: &Snapshot) -> Status {
        Status {
            generation: s.generation,
            has_site: s.site.is_some(),
            errors: s.errors.as_ref().clone(),
            last_build: s.last_build,
            pages: s.site.as_ref().map_or(0, |site| site.pages),
            builds: s.builds,
            incremental: s.incremental,
        }
    }
}

struct Shared {
    state: Mutex<Arc<Snapshot>>,
    changed: Condvar,
    shutdown: AtomicBool,
    event_streams: AtomicUsize,
    log: bool,
}

impl Shared {
    /// Before the first build: no site, no errors.
    fn new(log: bool) -> Self {
        Shared {
            state: Mutex::new(Arc::new(Snapshot {
                generation: 0,
                site: None,
                errors: Arc::new(Vec::new()),
                last_build: Duration::ZERO,
                builds: 0,
                incremental: false,
            })),
            changed: Condvar::new(),
            shutdown: AtomicBool::new(false),
            event_streams: AtomicUsize::new(0),
            log,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Arc<Snapshot>> {
        // A panicking thread cannot leave a half-replaced Arc behind, so the value is usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn current(&self) -> Arc<Snapshot> {
        self.lock().clone()
    }

    fn stopping(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }
}

/// A running preview server. Dropping it stops it.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    http: http::Listener,
    threads: Vec<JoinHandle<()>>,
    watcher: Option<RecommendedWatcher>,
}

impl Server {
    /// Binds, starts watching, builds once and starts serving. A failing build does not stop
    /// it: the error page is served until the content is fixed.
    pub fn start(options: ServeOptions) -> Result<Server, ServeError> {
        for dir in [&options.build.content, &options.build.themes] {
            if !dir.is_dir() {
                return Err(ServeError(format!(
                    "Mappen {} findes ikke. Angiv den rigtige mappe med --content eller --themes",
                    dir.display()
                )));
            }
        }
        let addr = SocketAddr::new(options.bind, options.port);
        let (listener, addr) = http::Listener::bind(addr).map_err(|e| {
            ServeError(format!(
                "Forhåndsvisningen kan ikke starte på {addr}: {e}. Er porten optaget? Vælg en anden med --port, eller brug --port 0 for en ledig port"
            ))
        })?;
        let shared = Arc::new(Shared::new(options.log));

        // Watch before the first build, so a save during it is not lost.
        let (event_tx, event_rx) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(move |event| {
            let _ = event_tx.send(event);
        })
        .map_err(|e| ServeError(format!("Filerne kan ikke overvåges: {e}")))?;
        for dir in [&options.build.content, &options.build.themes] {
            watcher.watch(dir, RecursiveMode::Recursive).map_err(|e| {
                ServeError(format!("Mappen {} kan ikke overvåges: {e}", dir.display()))
            })?;
        }

        let mut builder = Builder::default();
        rebuild(&shared, &options, &mut builder, &Changes::default());

        let mut threads = Vec::new();
        let http = http::Listener::start(listener, shared.clone(), options.limits.clone())
            .map_err(|e| ServeError(format!("Serveren kan ikke starte en tråd: {e}")))?;
        {
            let shared = shared.clone();
            let options = options.clone();
            threads.push(spawn("kvalitet-watch", move || {
                watch(&shared, &options, &mut builder, &event_rx)
            })?);
        }
        Ok(Server {
            addr,
            shared,
            http,
            threads,
            watcher: Some(watcher),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The front page's address, for the terminal and the browser.
    pub fn url(&self) -> String {
        let host = match self.addr.ip() {
            ip if ip.is_unspecified() => "127.0.0.1".to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
            IpAddr::V4(ip) => ip.to_string(),
        };
        format!("http://{host}:{}/", self.addr.port())
    }

    pub fn status(&self) -> Status {
        Status::of(&self.shared.current())
    }

    /// Blocks until `done` holds for the server's status or `timeout` runs out; returns the
    /// status either way.
    pub fn wait_for(&self, timeout: Duration, done: impl Fn(&Status) -> bool) -> Status {
        let guard = self.shared.lock();
        let (guard, _) = self
            .shared
            .changed
            .wait_timeout_while(guard, timeout, |s| !done(&Status::of(s)))
            .unwrap_or_else(|e| e.into_inner());
        Status::of(&guard)
    }

    /// Blocks until [`Server::shutdown`] is called from another thread (or forever).
    pub fn wait(mut self) {
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }

    /// Stops accepting requests, closes event streams and stops watching.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        self.shared.changed.notify_all();
        self.http.stop();
        // Dropping the watcher closes its channel, which ends the watch thread.
        self.watcher.take();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

fn spawn(name: &str, f: impl FnOnce() + Send + 'static) -> Result<JoinHandle<()>, ServeError> {
    thread::Builder::new()
        .name(name.to_string())
        .spawn(f)
        .map_err(|e| ServeError(format!("Serveren kan ikke starte en tråd: {e}")))
}

// ---------------------------------------------------------------------------------------------
// Building

/// What the watcher saw between two builds.
#[derive(Debug, Default)]
struct Changes {
    /// Changed paths, sorted, without duplicates.
    paths: Vec<PathBuf>,
    /// Some event named no path or could not be read, so anything may have changed.
    unknown: bool,
}

/// What the watcher thread keeps between builds.
#[derive(Default)]
struct Builder {
    /// The last good build in parts; `None` until a build succeeds and after a full build fails.
    state: Option<SiteState>,
    /// The theme's static files, read at the last full build (a theme change is a full build).
    statics: HashMap<String, Body>,
    /// Bumped when `statics` changes.
    statics_version: u64,
}

/// Builds into memory and swaps the result in; on failure keeps the last good site and records
/// the errors. Either way browsers are told, so the banner appears or disappears at once.
///
/// A save of existing municipality files is applied to the last good build (see
/// `incremental`); anything else, or the first build, builds everything.
fn rebuild(shared: &Shared, options: &ServeOptions, builder: &mut Builder, changes: &Changes) {
    let started = Instant::now();
    let step = match &mut builder.state {
        Some(state) if !changes.unknown => state.update(&changes.paths),
        _ => Update::NeedsFull,
    };
    let incremental = !matches!(step, Update::NeedsFull);
    // `Some(changed)` when only the pages rendered again were compared with the previous ones.
    let built: Result<Option<bool>, Vec<Diagnostic>> = match step {
        Update::Done { pages_changed, .. } => Ok(Some(pages_changed)),
        Update::Failed(errors) => Err(errors),
        Update::NeedsFull => match SiteState::build(&options.build) {
            Ok(state) => {
                let mut statics = HashMap::new();
                read_static(&state.static_dir(), "", &mut statics);
                if statics != builder.statics {
                    builder.statics = statics;
                    builder.statics_version += 1;
                }
                builder.state = Some(state);
                Ok(None)
            }
            Err(errors) => {
                builder.state = None;
                Err(errors)
            }
        },
    };
    let result = built.and_then(|compared| {
        let state = builder
            .state
            .as_ref()
            .expect("a successful build leaves its state");
        if let Some(output) = &options.output_dir {
            write_output(output, state).map_err(|e| vec![Diagnostic::error(output, e.0)])?;
        }
        Ok((
            site_files(state, &builder.statics, builder.statics_version),
            compared,
        ))
    });
    let elapsed = started.elapsed();
    // Only this thread replaces the snapshot, so comparing outside the lock is safe, and keeps
    // requests from waiting on the comparison.
    let previous = shared.current();
    let unchanged = match &result {
        Ok((site, compared)) => {
            previous.errors.is_empty()
                && previous.site.as_ref().is_some_and(|old| match compared {
                    // The pages not rendered again are the previous ones, shared.
                    Some(pages_changed) => !pages_changed,
                    None => old.files == site.files,
                })
        }
        Err(errors) => previous.errors.as_slice() == errors.as_slice(),
    };
    let result = result.map(|(site, _)| site);
    let mut guard = shared.lock();
    if unchanged {
        // vim, for one, changes a file's attributes tens of milliseconds after writing it (see
        // the benchmark's event_gap lines); reloading the browser for that would flicker.
        if let (Ok(_), true) = (&result, shared.log) {
            println!(
                "Bygget på {} ms: ingen ændringer på siderne{}",
                elapsed.as_millis(),
                describe_changes(&changes.paths)
            );
        } else if let (Err(errors), true) = (&result, shared.log) {
            eprint!("{}", report(errors));
        }
        *guard = Arc::new(Snapshot {
            generation: guard.generation,
            site: guard.site.clone(),
            errors: guard.errors.clone(),
            last_build: elapsed,
            builds: guard.builds + 1,
            incremental,
        });
        drop(guard);
        shared.changed.notify_all();
        return;
    }
    let generation = guard.generation + 1;
    let next = match result {
        Ok(site) => {
            if shared.log {
                let what = describe_changes(&changes.paths);
                println!(
                    "Bygget på {} ms: {} sider for {} kommuner{}{}",
                    elapsed.as_millis(),
                    site.pages,
                    site.municipalities,
                    if site.warnings > 0 {
                        format!(", {} advarsler (se kvalitet check)", site.warnings)
                    } else {
                        String::new()
                    },
                    what
                );
            }
            Snapshot {
                generation,
                site: Some(Arc::new(site)),
                errors: Arc::new(Vec::new()),
                last_build: elapsed,
                builds: guard.builds + 1,
                incremental,
            }
        }
        Err(errors) => {
            if shared.log {
                eprint!("{}", report(&errors));
                eprintln!(
                    "{}",
                    if guard.site.is_some() {
                        "Forhåndsvisningen viser den sidste udgave, der virkede, med en besked om fejlen. Ret fejlen og gem igen."
                    } else {
                        "Forhåndsvisningen viser en fejlside, indtil fejlen er rettet. Ret fejlen og gem igen."
                    }
                );
            }
            Snapshot {
                generation,
                site: guard.site.clone(),
                errors: Arc::new(errors),
                last_build: elapsed,
                builds: guard.builds + 1,
                incremental,
            }
        }
    };
    *guard = Arc::new(next);
    drop(guard);
    shared.changed.notify_all();
}

/// Writes the published folder from the build in memory.
fn write_output(output: &Path, state: &SiteState) -> Result<(), crate::output::WriteError> {
    let pages: Vec<Page> = state
        .pages()
        .map(|page| Page {
            path: page.path.clone(),
            html: String::from_utf8_lossy(&page.html).into_owned(),
        })
        .collect();
    write_site(output, &pages, Some(&state.static_dir())).map(|_| ())
}

fn describe_changes(changed: &[PathBuf]) -> String {
    match changed {
        [] => String::new(),
        [one] => format!(" (ændret: {})", one.display()),
        [one, rest @ ..] => format!(" (ændret: {} og {} andre)", one.display(), rest.len()),
    }
}

/// The served files: the theme's static files, then every page (so a page of the same name
/// wins, as when the site is written). Page bytes are shared with the state, not copied.
fn site_files(state: &SiteState, statics: &HashMap<String, Body>, version: u64) -> SiteFiles {
    let pages = state.page_count();
    let mut files = HashMap::with_capacity(statics.len() + pages);
    files.extend(statics.iter().map(|(k, v)| (k.clone(), v.clone())));
    for page in state.pages() {
        files.insert(page.path.replace('\\', "/"), Body(page.html.clone()));
    }
    SiteFiles {
        files,
        statics: version,
        pages,
        municipalities: state.content().municipalities.len(),
        warnings: state.content().warnings.len(),
    }
}

/// Copies a theme's static files into memory. Only real folders and regular files are read; a
/// symlink anywhere, the static folder included, is skipped, and a file is opened without
/// following a link put in its place after listing: the site must not depend on, or expose,
/// files outside the theme.
fn read_static(dir: &Path, prefix: &str, out: &mut HashMap<String, Body>) {
    if !std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        let key = format!("{prefix}{name}");
        if kind.is_dir() {
            read_static(&entry.path(), &format!("{key}/"), out);
        } else if kind.is_file()
            && let Some(bytes) = read_regular_file(&entry.path())
        {
            out.insert(key, bytes.into());
        }
    }
}

/// The bytes of `path` if it is a regular file and not a symlink at the time of opening.
fn read_regular_file(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read as _;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let mut file = options.open(path).ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

// ---------------------------------------------------------------------------------------------
// Watching

/// What a file event means for the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Created,
    Modified,
    Removed,
    Renamed,
    /// The backend lost track (overflow, unknown kind): rebuild to be safe.
    Unknown,
    /// Reading a file, or its access time changing, cannot change the site.
    Ignored,
}

/// Maps every notify event kind; exhaustive on purpose, so a new kind in notify is a compile
/// error here rather than a silently missed save.
pub fn classify(kind: &EventKind) -> Change {
    match kind {
        EventKind::Any | EventKind::Other => Change::Unknown,
        EventKind::Access(access) => match access {
            // Closing a file written to is the end of an in-place save.
            AccessKind::Close(AccessMode::Write) => Change::Modified,
            AccessKind::Close(
                AccessMode::Any | AccessMode::Execute | AccessMode::Read | AccessMode::Other,
            )
            | AccessKind::Open(_)
            | AccessKind::Read
            | AccessKind::Any
            | AccessKind::Other => Change::Ignored,
        },
        EventKind::Create(CreateKind::Any | CreateKind::File | CreateKind::Folder)
        | EventKind::Create(CreateKind::Other) => Change::Created,
        EventKind::Modify(modify) => match modify {
            ModifyKind::Data(
                DataChange::Any | DataChange::Size | DataChange::Content | DataChange::Other,
            ) => Change::Modified,
            ModifyKind::Metadata(MetadataKind::AccessTime) => Change::Ignored,
            // Permissions or ownership can make a file unreadable; write time is `touch`.
            ModifyKind::Metadata(
                MetadataKind::Any
                | MetadataKind::WriteTime
                | MetadataKind::Permissions
                | MetadataKind::Ownership
                | MetadataKind::Extended
                | MetadataKind::Other,
            ) => Change::Modified,
            ModifyKind::Name(
                RenameMode::Any
                | RenameMode::To
                | RenameMode::From
                | RenameMode::Both
                | RenameMode::Other,
            ) => Change::Renamed,
            ModifyKind::Any | ModifyKind::Other => Change::Modified,
        },
        EventKind::Remove(
            RemoveKind::Any | RemoveKind::File | RemoveKind::Folder | RemoveKind::Other,
        ) => Change::Removed,
    }
}

/// Files editors make beside the real one while saving: vim's swap files and its `4913` probe,
/// backups ending in `~`, emacs' `.#lock` and `#autosave#`, JetBrains' `___jb_tmp___`, and any
/// hidden or `.tmp` file (gedit's `.goutputstream-*`, rename-over temp files). The real file's
/// own event still arrives when the temp file is renamed over it.
pub fn is_editor_temp(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    const EXTENSIONS: &[&str] = &[
        ".swp",
        ".swo",
        ".swx",
        ".swpx",
        ".tmp",
        ".temp",
        ".bak",
        ".orig",
        ".kate-swp",
        ".part",
        ".crdownload",
    ];
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with("___")
        || (name.starts_with('#') && name.ends_with('#'))
        || (!name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()))
        || EXTENSIONS.iter().any(|ext| lower.ends_with(ext))
}

/// Paths of an event that matter, or `None` if the event can be ignored altogether.
fn relevant(event: &Event, ignore_under: Option<&Path>) -> Option<Vec<PathBuf>> {
    if classify(&event.kind) == Change::Ignored {
        return None;
    }
    if event.paths.is_empty() {
        // A rescan flag or an unknown event without paths: something changed somewhere.
        return Some(Vec::new());
    }
    let paths: Vec<PathBuf> = event
        .paths
        .iter()
        .filter(|p| !is_editor_temp(p))
        .filter(|p| ignore_under.is_none_or(|dir| !p.starts_with(dir)))
        .cloned()
        .collect();
    (!paths.is_empty()).then_some(paths)
}

/// The event ends a save of a real file: the file was closed after writing, or a file was
/// renamed onto a real (not temporary) name. A rename of the real file away (vim's backup) or a
/// removal does not end a save; the file is about to come back.
pub fn completes_save(event: &Event) -> bool {
    match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
            event.paths.iter().any(|p| !is_editor_temp(p))
        }
        EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both)) => {
            event.paths.last().is_some_and(|p| !is_editor_temp(p))
        }
        _ => false,
    }
}

fn watch(
    shared: &Shared,
    options: &ServeOptions,
    builder: &mut Builder,
    events: &Receiver<notify::Result<Event>>,
) {
    // Writing the published folder must not trigger another build, if it lies inside a watched
    // folder.
    let ignore_under = options
        .output_dir
        .as_ref()
        .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()));
    // `Some(ends_save)` for an event that changes the site, `None` for one to ignore.
    let take = |event: notify::Result<Event>, changed: &mut Changes| -> Option<bool> {
        match event {
            Ok(event) => match relevant(&event, ignore_under.as_deref()) {
                Some(paths) => {
                    // Without paths, or of a kind notify could not name, the event does not
                    // say what changed: only a full build is sure to catch it.
                    changed.unknown |= paths.is_empty() || classify(&event.kind) == Change::Unknown;
                    changed.paths.extend(paths);
                    Some(completes_save(&event))
                }
                None => None,
            },
            Err(e) => {
                if shared.log {
                    eprintln!("watch error, rebuilding to be safe: {e}");
                }
                changed.unknown = true;
                Some(false)
            }
        }
    };
    loop {
        let mut changed = Changes::default();
        let mut ended = match events.recv_timeout(Duration::from_millis(200)) {
            Ok(event) => match take(event, &mut changed) {
                Some(ended) => ended,
                None => continue,
            },
            Err(RecvTimeoutError::Timeout) => {
                if shared.stopping() {
                    return;
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
        // One save is several events: wait until the folder has been quiet for a moment, a
        // short one when the last event ended a save.
        let first = Instant::now();
        let mut last = first;
        loop {
            let quiet = if ended {
                SETTLE.min(options.debounce)
            } else {
                options.debounce
            };
            let quiet_left = quiet.saturating_sub(last.elapsed());
            if quiet_left.is_zero() || first.elapsed() >= MAX_DEBOUNCE {
                break;
            }
            match events.recv_timeout(quiet_left) {
                Ok(event) => {
                    if let Some(ends) = take(event, &mut changed) {
                        ended = ends;
                        last = Instant::now();
                    }
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if shared.stopping() {
            return;
        }
        changed.paths.sort();
        changed.paths.dedup();
        // Events that arrive during the build stay queued and start the next round: a save
        // during a build is never lost, at worst built twice.
        rebuild(shared, options, builder, &changed);
    }
}

// ---------------------------------------------------------------------------------------------
// Requests

/// What a request path asks for, once normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitePath {
    /// Key into the site's files, e.g. `holbaek/index.html`.
    pub key: String,
    /// The path ended in `/` (or was `/`), so `key` names the folder's `index.html`.
    pub folder: bool,
    /// The path part of the request, as sent, for redirects.
    pub raw: String,
}

/// Normalises a request target to a key in the site. Anything that is not a plain path of
/// plain segments is refused: dot segments, encoded or not; backslashes; NUL and other control
/// characters; empty segments (`//`); drive letters; absolute URLs; bad percent-encoding.
pub fn site_path(target: &str) -> Option<SitePath> {
    let raw = target.split(['?', '#']).next().unwrap_or("");
    let rest = raw.strip_prefix('/')?;
    let decoded = percent_decode(rest)?;
    if decoded
        .chars()
        .any(|c| c == '\\' || c == ':' || c.is_control())
    {
        return None;
    }
    let folder = decoded.is_empty() || decoded.ends_with('/');
    let trimmed = decoded.strip_suffix('/').unwrap_or(&decoded);
    let mut segments = Vec::new();
    if !trimmed.is_empty() {
        for segment in trimmed.split('/') {
            if segment.is_empty() || segment == "." || segment == ".." {
                return None;
            }
            segments.push(segment);
        }
    }
    let mut key = segments.join("/");
    if folder {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(SitePath {
        key,
        folder,
        raw: raw.to_string(),
    })
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type for a file, by its extension.
pub fn content_type(key: &str) -> &'static str {
    let ext = key
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

fn reply(
    status: u16,
    content_type: &'static str,
    body: Body,
    headers: Vec<(&'static str, String)>,
) -> Answer {
    Answer::Response(Response {
        status,
        content_type,
        headers,
        body,
    })
}

/// The answer to a request whose host has been checked: a site file, a redirect into a folder,
/// the 404 page, the first-build error page, or the live-reload stream.
fn handle(shared: &Arc<Shared>, request: &Request) -> Answer {
    let is_head = request.method == "HEAD";
    if !is_head && request.method != "GET" {
        let body = "Forhåndsvisningen kan kun vise sider (GET og HEAD).\n";
        let allow = vec![("Allow", "GET, HEAD".to_string())];
        return reply(
            405,
            "text/plain; charset=utf-8",
            body.as_bytes().into(),
            allow,
        );
    }
    let target = request.target.as_str();
    let snapshot = shared.current();
    let Some(path) = site_path(target) else {
        return not_found(&snapshot, target);
    };
    if path.raw == EVENTS_PATH {
        if is_head {
            return reply(200, "text/event-stream", b""[..].into(), Vec::new());
        }
        return Answer::Events;
    }
    let Some(site) = &snapshot.site else {
        let page = decorate(first_build_failed_page().as_bytes(), &snapshot);
        return reply(503, content_type("x.html"), page.into(), Vec::new());
    };
    if let Some(body) = site.files.get(&path.key) {
        let kind = content_type(&path.key);
        let body = if kind.starts_with("text/html") {
            decorate(body.as_ref(), &snapshot).into()
        } else {
            body.clone()
        };
        return reply(200, kind, body, Vec::new());
    }
    if !path.folder && site.files.contains_key(&format!("{}/index.html", path.key)) {
        // Relative links in the page only work from inside the folder.
        let query = target.find('?').map(|i| &target[i..]).unwrap_or_default();
        let location = vec![("Location", format!("{}/{query}", path.raw))];
        return reply(
            301,
            "text/plain; charset=utf-8",
            b"Siden er flyttet.\n"[..].into(),
            location,
        );
    }
    not_found(&snapshot, target)
}

fn not_found(snapshot: &Snapshot, target: &str) -> Answer {
    let shown: String = target.chars().take(200).collect();
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"da\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>Siden findes ikke</title>\n</head>\n<body>\n<main style=\"{PAGE_STYLE}\">\n\
<h1>Siden findes ikke</h1>\n\
<p>Der er ingen side med adressen <code>{}</code> i forhåndsvisningen. Måske er der en tastefejl i adressen, eller siden er flyttet eller slettet.</p>\n\
<p><a href=\"/\">Gå til forsiden</a></p>\n</main>\n</body>\n</html>\n",
        escape_html(&shown)
    );
    let page = decorate(page.as_bytes(), snapshot);
    reply(404, content_type("x.html"), page.into(), Vec::new())
}

const PAGE_STYLE: &str = "max-width:40rem;margin:2rem auto;padding:0 1rem;font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a";

fn first_build_failed_page() -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"da\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>Hjemmesiden kunne ikke bygges</title>\n</head>\n<body>\n<main style=\"{PAGE_STYLE}\">\n\
<h1>Hjemmesiden kunne ikke bygges</h1>\n\
<p>Der er en fejl i indholdet eller i temaet, så der er endnu ingen sider at vise. Beskeden ovenfor siger, hvilken fil og linje det drejer sig om.</p>\n\
<p>Ret fejlen og gem filen. Siden opdaterer sig selv, når fejlen er rettet.</p>\n\
</main>\n</body>\n</html>\n"
    )
}

// ---------------------------------------------------------------------------------------------
// What is added to served HTML (never to built output)

/// Inserts the preview marker, the error banner (if the latest build failed) and the reload
/// script right after `<body>`, so they show even without JavaScript and before anything else.
fn decorate(html: &[u8], snapshot: &Snapshot) -> Vec<u8> {
    let mut added = String::with_capacity(2048);
    added.push_str(MARKER);
    if !snapshot.errors.is_empty() {
        added.push_str(&banner(&snapshot.errors, snapshot.site.is_some()));
    }
    let statics = snapshot.site.as_ref().map_or(0, |site| site.statics);
    added.push_str(
        &RELOAD_SCRIPT
            .replace("{generation}", &snapshot.generation.to_string())
            .replace("{statics}", &statics.to_string()),
    );
    let at = body_start(html).unwrap_or(0);
    let mut out = Vec::with_capacity(html.len() + added.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(added.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// Byte offset just after the `<body ...>` tag.
fn body_start(html: &[u8]) -> Option<usize> {
    let start = html
        .windows(5)
        .position(|w| w.eq_ignore_ascii_case(b"<body"))?;
    let end = html[start..].iter().position(|&b| b == b'>')?;
    Some(start + end + 1)
}

const MARKER: &str = "<div role=\"note\" aria-label=\"Forhåndsvisning\" data-kvalitet-preview style=\"background:#ffd500;color:#000;border-bottom:3px solid #000;padding:.5rem 1rem;font:bold 1rem/1.4 system-ui,sans-serif;text-align:center\">Forhåndsvisning – ikke den offentliggjorte udgave</div>\n";

/// Brings the page up to date when told, and also when the page is older than the site, which
/// covers a build finishing between loading the page and opening the stream. The page fetches
/// its own address and takes the new body in place: no navigation, style sheets not fetched
/// again, the scroll position untouched. It loads the page again instead when the new page's
/// head or the theme's static files differ, or anything goes wrong; that reload keeps the
/// scroll position too.
const RELOAD_SCRIPT: &str = r#"<script data-kvalitet-live-reload data-generation="{generation}" data-statics="{statics}">
(function () {
  var key = "kvalitet-scroll:" + location.pathname;
  try {
    var saved = sessionStorage.getItem(key);
    if (saved) {
      sessionStorage.removeItem(key);
      var xy = saved.split(",");
      addEventListener("load", function () { scrollTo(+xy[0], +xy[1]); });
    }
  } catch (e) {}
  if (!window.EventSource) return;
  var me = document.currentScript;
  var generation = me.getAttribute("data-generation");
  var statics = me.getAttribute("data-statics");
  var source = new EventSource("/__kvalitet/events");
  var asked = 0;
  function reload() {
    try { sessionStorage.setItem(key, scrollX + "," + scrollY); } catch (e) {}
    source.close();
    location.reload();
  }
  function update() {
    if (!window.fetch || !window.DOMParser) return reload();
    var mine = ++asked;
    fetch(location.href, { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        if (mine !== asked) return;
        var next = new DOMParser().parseFromString(html, "text/html");
        var script = next.querySelector("script[data-kvalitet-live-reload]");
        if (!script || !next.body || script.getAttribute("data-statics") !== statics ||
            next.head.innerHTML !== document.head.innerHTML) return reload();
        var x = scrollX, y = scrollY;
        document.body.replaceWith(document.adoptNode(next.body));
        scrollTo(x, y);
        generation = script.getAttribute("data-generation");
      })
      .catch(reload);
  }
  source.addEventListener("hello", function (e) { if (e.data !== generation) update(); });
  source.addEventListener("reload", function (e) { if (e.data !== generation) update(); });
})();
</script>
"#;

fn banner(errors: &[Diagnostic], has_site: bool) -> String {
    let mut out = String::from(
        "<div role=\"alert\" data-kvalitet-error style=\"background:#fff0f0;color:#1a1a1a;border:4px solid #b00020;margin:0;padding:1rem;font:1rem/1.5 system-ui,sans-serif\">\n",
    );
    let _ = writeln!(
        out,
        "<p style=\"margin:0 0 .5rem\"><strong>{}</strong> {}</p>",
        if errors.len() == 1 {
            "Der er en fejl i den seneste ændring."
        } else {
            "Der er fejl i den seneste ændring."
        },
        if has_site {
            "Du ser den sidste udgave, der virkede. Ret fejlen og gem filen, så forsvinder denne besked af sig selv."
        } else {
            "Ret fejlen og gem filen, så vises siderne af sig selv."
        }
    );
    out.push_str("<ul style=\"margin:0;padding-left:1.25rem\">\n");
    const SHOWN: usize = 20;
    for d in errors.iter().take(SHOWN) {
        let mut place = escape_html(&d.file.display().to_string());
        if let Some(line) = d.line {
            let _ = write!(place, ", linje {line}");
        }
        if let Some(column) = d.column {
            let _ = write!(place, ", kolonne {column}");
        }
        let _ = write!(
            out,
            "<li><strong>{place}</strong>: {}",
            escape_html(&d.message)
        );
        if let Some(source) = &d.source_line {
            let _ = write!(
                out,
                "<br><code style=\"white-space:pre-wrap\">{}</code>",
                escape_html(source)
            );
        }
        for (label, value) in [
            ("Nøgle", &d.key),
            ("Forventet", &d.expected),
            ("Tip", &d.hint),
        ] {
            if let Some(value) = value {
                let _ = write!(out, "<br>{label}: {}", escape_html(value));
            }
        }
        out.push_str("</li>\n");
    }
    if errors.len() > SHOWN {
        let _ = writeln!(
            out,
            "<li>… og {} fejl mere. Se dem alle i terminalen.</li>",
            errors.len() - SHOWN
        );
    }
    out.push_str("</ul>\n</div>\n");
    out
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_events_are_ignored_except_close_after_write() {
        assert_eq!(
            classify(&EventKind::Access(AccessKind::Close(AccessMode::Write))),
            Change::Modified
        );
        for kind in [
            AccessKind::Any,
            AccessKind::Read,
            AccessKind::Other,
            AccessKind::Open(AccessMode::Any),
            AccessKind::Open(AccessMode::Write),
            AccessKind::Close(AccessMode::Read),
            AccessKind::Close(AccessMode::Execute),
            AccessKind::Close(AccessMode::Any),
            AccessKind::Close(AccessMode::Other),
        ] {
            assert_eq!(
                classify(&EventKind::Access(kind)),
                Change::Ignored,
                "{kind:?}"
            );
        }
    }

    #[test]
    fn create_events_are_creations() {
        for kind in [
            CreateKind::Any,
            CreateKind::File,
            CreateKind::Folder,
            CreateKind::Other,
        ] {
            assert_eq!(
                classify(&EventKind::Create(kind)),
                Change::Created,
                "{kind:?}"
            );
        }
    }

    #[test]
    fn data_changes_are_modifications() {
        for kind in [
            DataChange::Any,
            DataChange::Size,
            DataChange::Content,
            DataChange::Other,
        ] {
            assert_eq!(
                classify(&EventKind::Modify(ModifyKind::Data(kind))),
                Change::Modified
            );
        }
        assert_eq!(
            classify(&EventKind::Modify(ModifyKind::Any)),
            Change::Modified
        );
        assert_eq!(
            classify(&EventKind::Modify(ModifyKind::Other)),
            Change::Modified
        );
    }

    #[test]
    fn metadata_changes_rebuild_except_access_time() {
        assert_eq!(
            classify(&EventKind::Modify(ModifyKind::Metadata(
                MetadataKind::AccessTime
            ))),
            Change::Ignored
        );
        for kind in [
            MetadataKind::Any,
            MetadataKind::WriteTime,
            MetadataKind::Permissions,
            MetadataKind::Ownership,
            MetadataKind::Extended,
            MetadataKind::Other,
        ] {
            assert_eq!(
                classify(&EventKind::Modify(ModifyKind::Metadata(kind))),
                Change::Modified,
                "{kind:?}"
            );
        }
    }

    #[test]
    fn renames_in_every_mode_are_renames() {
        for mode in [
            RenameMode::Any,
            RenameMode::To,
            RenameMode::From,
            RenameMode::Both,
            RenameMode::Other,
        ] {
            assert_eq!(
                classify(&EventKind::Modify(ModifyKind::Name(mode))),
                Change::Renamed,
                "{mode:?}"
            );
        }
    }

    #[test]
    fn removals_are_removals() {
        for kind in [
            RemoveKind::Any,
            RemoveKind::File,
            RemoveKind::Folder,
            RemoveKind::Other,
        ] {
            assert_eq!(
                classify(&EventKind::Remove(kind)),
                Change::Removed,
                "{kind:?}"
            );
        }
    }

    #[test]
    fn unknown_kinds_rebuild_to_be_safe() {
        assert_eq!(classify(&EventKind::Any), Change::Unknown);
        assert_eq!(classify(&EventKind::Other), Change::Unknown);
    }

    #[test]
    fn editor_temp_files_are_ignored_real_files_are_not() {
        for name in [
            ".fredericia.toml.swp",
            "fredericia.toml.swp",
            "fredericia.toml.swx",
            "fredericia.toml~",
            ".#fredericia.toml",
            "#fredericia.toml#",
            "4913",
            "fredericia.toml.tmp",
            ".goutputstream-ABC123",
            "fredericia.toml___jb_tmp___",
            "style.css.kate-swp",
        ] {
            assert!(
                is_editor_temp(Path::new("content").join(name).as_path()),
                "{name}"
            );
        }
        for name in [
            "fredericia.toml",
            "site.toml",
            "style.css",
            "kommune-01.toml",
        ] {
            assert!(
                !is_editor_temp(Path::new("content").join(name).as_path()),
                "{name}"
            );
        }
    }

    #[test]
    fn a_rename_over_the_real_file_is_relevant_though_the_temp_file_is_not() {
        let event = Event::new(EventKind::Modify(ModifyKind::Name(RenameMode::Both)))
            .add_path(PathBuf::from("content/.fredericia.toml.tmp"))
            .add_path(PathBuf::from("content/fredericia.toml"));
        assert_eq!(
            relevant(&event, None),
            Some(vec![PathBuf::from("content/fredericia.toml")])
        );
        let temp_only =
            Event::new(EventKind::Create(CreateKind::File)).add_path(PathBuf::from("content/4913"));
        assert_eq!(relevant(&temp_only, None), None);
    }

    #[test]
    fn only_a_closed_write_or_a_rename_onto_the_real_file_ends_a_save() {
        let event = |kind, paths: &[&str]| {
            paths
                .iter()
                .fold(Event::new(kind), |e, p| e.add_path(PathBuf::from(p)))
        };
        let real = "content/odsherred.toml";
        let temp = "content/.odsherred.toml.tmp";
        let backup = "content/odsherred.toml~";
        let close = EventKind::Access(AccessKind::Close(AccessMode::Write));
        let name = |mode| EventKind::Modify(ModifyKind::Name(mode));
        assert!(completes_save(&event(close, &[real])));
        assert!(completes_save(&event(name(RenameMode::To), &[real])));
        assert!(completes_save(&event(
            name(RenameMode::Both),
            &[temp, real]
        )));
        // vim moves the real file to its backup before writing the new one.
        assert!(!completes_save(&event(
            name(RenameMode::Both),
            &[real, backup]
        )));
        assert!(!completes_save(&event(name(RenameMode::From), &[real])));
        assert!(!completes_save(&event(close, &[temp])));
        for kind in [
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            EventKind::Create(CreateKind::File),
            EventKind::Remove(RemoveKind::File),
            EventKind::Any,
        ] {
            assert!(!completes_save(&event(kind, &[real])), "{kind:?}");
        }
    }

    #[test]
    fn paths_are_normalised_to_keys() {
        let key = |t: &str| site_path(t).map(|p| p.key);
        assert_eq!(key("/"), Some("index.html".to_string()));
        assert_eq!(key("/holbaek/"), Some("holbaek/index.html".to_string()));
        assert_eq!(key("/holbaek"), Some("holbaek".to_string()));
        assert_eq!(key("/style.css?v=2"), Some("style.css".to_string()));
        assert_eq!(
            key("/holb%61ek/tilbud/"),
            Some("holbaek/tilbud/index.html".to_string())
        );
    }

    #[test]
    fn escaping_paths_are_refused() {
        for target in [
            "/../Cargo.toml",
            "/holbaek/../../etc/passwd",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E%2fCargo.toml",
            "/..%5cCargo.toml",
            "/..\\Cargo.toml",
            "//etc/passwd",
            "/holbaek//index.html",
            "/style.css%00.html",
            "/./index.html",
            "/C:/Windows/win.ini",
            "http://example.com/index.html",
            "*",
            "/%zz",
            "/%c0%ae%c0%ae/",
        ] {
            assert_eq!(site_path(target), None, "{target}");
        }
    }

    /// Only regular files inside the static folder are served: a symlink, to a file, to a
    /// folder, or as the static folder itself, is skipped.
    #[cfg(unix)]
    #[test]
    fn static_files_behind_symlinks_are_not_read() {
        use std::os::unix::fs::symlink;
        let root = tempfile::tempdir().unwrap();
        let outside = root.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.txt"), "hemmelig").unwrap();
        let dir = root.path().join("static");
        std::fs::create_dir_all(dir.join("img")).unwrap();
        std::fs::write(dir.join("style.css"), "body{}").unwrap();
        std::fs::write(dir.join("img/logo.svg"), "<svg/>").unwrap();
        symlink(outside.join("secret.txt"), dir.join("link.txt")).unwrap();
        symlink(outside.join("secret.txt"), dir.join("img/link.svg")).unwrap();
        symlink(&outside, dir.join("linkdir")).unwrap();
        let mut files = HashMap::new();
        read_static(&dir, "", &mut files);
        let mut keys: Vec<&String> = files.keys().collect();
        keys.sort();
        assert_eq!(keys, ["img/logo.svg", "style.css"]);

        let linked = root.path().join("linked-static");
        symlink(&outside, &linked).unwrap();
        let mut files = HashMap::new();
        read_static(&linked, "", &mut files);
        assert!(
            files.is_empty(),
            "a symlinked static folder is not followed"
        );
    }

    #[test]
    fn content_types_follow_extensions() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("logo.SVG"), "image/svg+xml");
        assert_eq!(content_type("font.woff2"), "font/woff2");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }

    fn test_shared() -> Shared {
        Shared::new(false)
    }

    /// The served files after a save equal those of a server started on the saved content:
    /// static files and pages, page for page.
    #[test]
    fn a_save_applied_incrementally_serves_what_a_fresh_start_serves() {
        let root = std::env::temp_dir().join(format!("kvalitet-serve-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for dir in ["content", "themes"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
            crate::output::copy_tree(&repo.join(dir), &root.join(dir)).unwrap();
        }
        let options =
            ServeOptions::new(BuildOptions::new(root.join("content"), root.join("themes")));
        let shared = test_shared();
        let mut builder = Builder::default();
        rebuild(&shared, &options, &mut builder, &Changes::default());
        let first = shared.current();
        assert!(first.errors.is_empty() && !first.incremental);

        let path = root.join("content/holbaek.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let edited = text.replacen("summary = \"\"\"\n", "summary = \"\"\"\nTrinvist. ", 1);
        std::fs::write(&path, &edited).unwrap();
        let saved = Changes {
            paths: vec![path.clone()],
            unknown: false,
        };
        rebuild(&shared, &options, &mut builder, &saved);
        let after = shared.current();
        assert!(after.errors.is_empty());
        assert!(
            after.incremental,
            "one municipality's save is applied incrementally"
        );
        assert_eq!(after.generation, first.generation + 1, "browsers reload");

        let fresh = test_shared();
        rebuild(
            &fresh,
            &options,
            &mut Builder::default(),
            &Changes::default(),
        );
        let ours = &after.site.as_ref().unwrap().files;
        let fresh = fresh.current();
        let theirs = &fresh.site.as_ref().unwrap().files;
        let mut keys: Vec<&String> = ours.keys().collect();
        keys.sort();
        let mut expected: Vec<&String> = theirs.keys().collect();
        expected.sort();
        assert_eq!(keys, expected);
        assert!(
            keys.iter().any(|k| k.ends_with(".css")),
            "static files are served"
        );
        for key in keys {
            assert!(ours[key] == theirs[key], "{key} differs");
        }
        let front = String::from_utf8(ours["holbaek/index.html"].as_ref().to_vec()).unwrap();
        assert!(front.contains("Trinvist."));

        // The same save again (vim's late attribute change): built, but no reload.
        rebuild(&shared, &options, &mut builder, &saved);
        let again = shared.current();
        assert!(again.incremental);
        assert_eq!(again.builds, after.builds + 1);
        assert_eq!(
            again.generation, after.generation,
            "nothing changed, no reload"
        );

        // An event without paths builds everything.
        let unknown = Changes {
            paths: vec![path],
            unknown: true,
        };
        rebuild(&shared, &options, &mut builder, &unknown);
        assert!(!shared.current().incremental);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn decoration_goes_after_body_and_escapes_the_error() {
        let snapshot = Snapshot {
            generation: 7,
            site: None,
            errors: Arc::new(vec![Diagnostic::error(
                Path::new("content/a.toml"),
                "<script>x</script>",
            )]),
            last_build: Duration::ZERO,
            builds: 1,
            incremental: false,
        };
        let html = String::from_utf8(decorate(
            b"<html><head></head><body class=\"x\"><h1>Hej</h1></body></html>",
            &snapshot,
        ))
        .unwrap();
        let body = html.find("<body class=\"x\">").unwrap();
        let marker = html.find("role=\"note\"").unwrap();
        let h1 = html.find("<h1>Hej").unwrap();
        assert!(body < marker && marker < h1, "{html}");
        assert!(html.contains("&lt;script&gt;x&lt;/script&gt;"));
        assert!(!html.contains("<script>x</script>"));
        assert!(html.contains("data-generation=\"7\""));
    }
}
