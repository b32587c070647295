//! Live reload: each open tab holds one Server-Sent Events stream that says when the site
//! changed. A stream's place is given back as soon as the tab goes: a second thread waits for
//! the end of the socket, so a closed tab is noticed at once, not at the next heartbeat.

use std::io::{self, ErrorKind, Read};
use std::net::{Shutdown, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use super::http::{Limits, Response, write_within};
use super::snapshot::Shared;

/// A comment line keeps idle event streams alive through proxies.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// Every open tab holds one event stream on its own thread; past this, new streams are refused
/// (the page still loads, it just does not reload itself).
pub const MAX_EVENT_STREAMS: usize = 256;

struct StreamSlot<'a>(&'a AtomicUsize);

impl Drop for StreamSlot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Streams reload events on `stream` until the tab goes, a write times out or the server
/// stops. Runs on the connection's own thread.
pub(super) fn serve(shared: &Arc<Shared>, mut stream: TcpStream, limits: &Limits) {
    if shared.event_streams.fetch_add(1, Ordering::SeqCst) >= MAX_EVENT_STREAMS {
        shared.event_streams.fetch_sub(1, Ordering::SeqCst);
        let response = Response::text(503, "For mange faneblade er åbne. Luk nogle af dem.\n");
        let _ = write_within(
            &mut stream,
            &super::http::serialize(&response, false, true),
            limits.write_timeout,
        );
        return;
    }
    let _slot = StreamSlot(&shared.event_streams);
    let gone = Arc::new(AtomicBool::new(false));
    let watcher = stream.try_clone().ok().and_then(|reader| {
        let shared = shared.clone();
        let gone = gone.clone();
        let limit = limits.max_head;
        thread::Builder::new()
            .name("kvalitet-events-eof".to_string())
            .spawn(move || {
                wait_for_end(reader, limit);
                gone.store(true, Ordering::SeqCst);
                // Taking the lock orders this after the writer's check of `gone`, so the
                // wake-up cannot fall between its check and its wait.
                drop(shared.lock());
                shared.changed.notify_all();
            })
            .ok()
    });
    if watcher.is_none() {
        // Without the watcher a closed tab would hold its place until a write fails.
        return;
    }
    let _ = stream_events(shared, &mut stream, &gone, limits);
    let _ = stream.shutdown(Shutdown::Both);
    if let Some(watcher) = watcher {
        let _ = watcher.join();
    }
}

/// Returns when the client closes its side, the socket fails, or it sends more than a request
/// head's worth of bytes (a browser sends nothing on an event stream).
fn wait_for_end(mut reader: TcpStream, limit: usize) {
    let _ = reader.set_read_timeout(None);
    let mut sink = [0u8; 1024];
    let mut received = 0usize;
    loop {
        match reader.read(&mut sink) {
            Ok(0) => return,
            Ok(n) => {
                received += n;
                if received > limit {
                    return;
                }
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

fn stream_events(
    shared: &Shared,
    out: &mut TcpStream,
    gone: &AtomicBool,
    limits: &Limits,
) -> io::Result<()> {
    let mut seen = shared.current().generation;
    let hello = format!(
        "HTTP/1.1 200 OK\r\n\
Content-Type: text/event-stream; charset=utf-8\r\n\
Cache-Control: no-store\r\n\
X-Accel-Buffering: no\r\n\
Connection: close\r\n\r\n\
retry: 1000\nevent: hello\ndata: {seen}\n\n"
    );
    write_within(out, hello.as_bytes(), limits.write_timeout)?;
    loop {
        let guard = shared.lock();
        let (guard, _) = shared
            .changed
            .wait_timeout_while(guard, HEARTBEAT, |s| {
                s.generation == seen && !shared.stopping() && !gone.load(Ordering::SeqCst)
            })
            .unwrap_or_else(|e| e.into_inner());
        let generation = guard.generation;
        drop(guard);
        if shared.stopping() || gone.load(Ordering::SeqCst) {
            return Ok(());
        }
        if generation != seen {
            seen = generation;
            let event = format!("event: reload\ndata: {seen}\n\n");
            write_within(out, event.as_bytes(), limits.write_timeout)?;
        } else {
            write_within(out, b": ping\n\n", limits.write_timeout)?;
        }
    }
}
