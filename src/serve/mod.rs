//! The preview server: the site built into memory, served over HTTP on loopback, rebuilt when
//! a content or theme file changes, and open pages told over Server-Sent Events to take the new
//! version (in place, or by loading again when the theme's static files changed).
//!
//! Saving a municipality's file re-reads, re-checks and re-renders only what depends on it
//! (see [`crate::incremental`]); any other change builds the whole site again.
//!
//! Only what is in the in-memory map can be served, so no request path can reach a file on disk.
//! State is passed explicitly: one [`Server`] owns its threads and its current snapshot.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use crate::pipeline::BuildOptions;

mod events;
mod host;
mod http;
mod inject;
mod log;
mod rebuild;
mod routes;
mod snapshot;
mod watch;

pub use events::MAX_EVENT_STREAMS;
pub use http::Limits;
pub use log::{ServeEvent, ServeLog};
pub use snapshot::Status;
pub(crate) use watch::DEFAULT_DEBOUNCE;
pub use watch::{Change, classify, is_editor_temp};

use rebuild::{Builder, Changes, rebuild};
use snapshot::Shared;
use watch::watch;

/// Where browsers listen for reload events. Outside any page's namespace: page paths are slugs.
pub const EVENTS_PATH: &str = "/__kvalitet/events";

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
    /// Where build results, build errors and watch errors are told; `None` tells nobody.
    pub log: Option<ServeLog>,
}

impl ServeOptions {
    /// The preview always shows the working files as a draft: `build.draft` is set.
    pub fn new(mut build: BuildOptions) -> Self {
        build.draft = true;
        ServeOptions {
            build,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
            output_dir: None,
            debounce: DEFAULT_DEBOUNCE,
            limits: Limits::default(),
            log: None,
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
        // Without a themes folder the default theme built into the binary is used.
        let content = &options.build.content;
        if !content.is_dir() {
            return Err(ServeError(format!(
                "Mappen {} findes ikke. Angiv den rigtige mappe med --content",
                content.display()
            )));
        }
        let addr = SocketAddr::new(options.bind, options.port);
        let (listener, addr) = http::Listener::bind(addr).map_err(|e| {
            ServeError(format!(
                "Forhåndsvisningen kan ikke starte på {addr}: {e}. Er porten optaget? Vælg en anden med --port, eller brug --port 0 for en ledig port"
            ))
        })?;
        let shared = Arc::new(Shared::new());

        // Watch before the first build, so a save during it is not lost.
        let (event_tx, event_rx) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(move |event| {
            let _ = event_tx.send(event);
        })
        .map_err(|e| ServeError(format!("Filerne kan ikke overvåges: {e}")))?;
        let themes = Some(&options.build.themes).filter(|dir| dir.is_dir());
        for dir in std::iter::once(content).chain(themes) {
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
