//! What the preview serves right now: the site's files in memory and the latest build's errors,
//! as one snapshot that the rebuild replaces whole and requests read without waiting.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use crate::diagnostic::Diagnostic;

/// The site's files in memory, keyed by normalised path (`index.html`, `holbaek/index.html`,
/// `style.css`).
pub(super) struct SiteFiles {
    pub(super) files: HashMap<String, Body>,
    /// Changes whenever a theme's static file (a style sheet, an image) changes, so an open page
    /// knows it must load again rather than only take the new page's body.
    pub(super) statics: u64,
    pub(super) pages: usize,
    pub(super) municipalities: usize,
    pub(super) warnings: usize,
}

/// A file's bytes, shared between the site and responses being written. Pages are moved in
/// from the renderer without copying: at 98 municipalities that is thousands of pages.
#[derive(Clone)]
pub(super) struct Body(pub(super) Arc<Vec<u8>>);

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
pub(super) struct Snapshot {
    /// Bumped on every build, good or bad; pages carry it so a tab can tell it is stale.
    pub(super) generation: u64,
    /// The last site that built; `None` only while no build has ever succeeded.
    pub(super) site: Option<Arc<SiteFiles>>,
    /// Errors of the latest build; empty when it succeeded.
    pub(super) errors: Arc<Vec<Diagnostic>>,
    pub(super) last_build: Duration,
    /// Builds finished, including those that changed nothing.
    pub(super) builds: u64,
    /// The latest build read again only the saved municipality files (see `incremental`).
    pub(super) incremental: bool,
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
    pub(super) fn of(s: &Snapshot) -> Status {
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

pub(super) struct Shared {
    pub(super) state: Mutex<Arc<Snapshot>>,
    pub(super) changed: Condvar,
    pub(super) shutdown: AtomicBool,
    pub(super) event_streams: AtomicUsize,
}

impl Shared {
    /// Before the first build: no site, no errors.
    pub(super) fn new() -> Self {
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
        }
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, Arc<Snapshot>> {
        // A panicking thread cannot leave a half-replaced Arc behind, so the value is usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn current(&self) -> Arc<Snapshot> {
        self.lock().clone()
    }

    pub(super) fn stopping(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }
}
