//! What the preview tells the editor about its builds. The library does not print: it hands
//! each event to the function the command passes in ([`super::ServeOptions::log`]), which
//! prints it in the terminal.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::diagnostic::Diagnostic;

/// One thing that happened in the preview.
#[derive(Debug)]
pub enum ServeEvent<'a> {
    /// A build succeeded and the pages changed.
    Built {
        elapsed: Duration,
        pages: usize,
        municipalities: usize,
        warnings: usize,
        /// The saved files that started the build (none for the first build).
        changed: &'a [PathBuf],
    },
    /// A build succeeded and no page changed (an editor touched a file's attributes, say).
    Unchanged {
        elapsed: Duration,
        changed: &'a [PathBuf],
    },
    /// A build failed.
    Failed {
        errors: &'a [Diagnostic],
        /// The errors are the ones already on screen.
        repeated: bool,
        /// The last good pages stay on screen, with a banner; otherwise an error page shows.
        last_good: bool,
    },
    /// The file watcher reported an error; the whole site is built again to be safe.
    WatchError(String),
}

/// Where the preview tells its events: a function called on the preview's own thread, after
/// each build and on a watch error.
#[derive(Clone)]
pub struct ServeLog(Arc<dyn Fn(&ServeEvent<'_>) + Send + Sync>);

impl ServeLog {
    pub fn new(tell: impl Fn(&ServeEvent<'_>) + Send + Sync + 'static) -> Self {
        ServeLog(Arc::new(tell))
    }

    pub(super) fn tell(&self, event: &ServeEvent<'_>) {
        (self.0)(event)
    }
}

impl std::fmt::Debug for ServeLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServeLog(..)")
    }
}
