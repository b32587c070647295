//! The preview's HTTP/1.1 server on `std::net`: GET and HEAD, keep-alive, and the live-reload
//! event stream, one thread per connection.
//!
//! Every resource a client can hold is bounded, so one misbehaving client costs at most one
//! thread for a bounded time and never delays another client: the request head is limited in
//! size ([`Limits::max_head`]), a body is read past only when small, reading a request and
//! writing a response each have a deadline, a connection serves a bounded number of requests,
//! and the number of open connections is capped. Only the preview's own host names are
//! answered (see [`super::host::host_allowed`]), so a web page cannot read the preview by DNS rebinding.
//! Each response is written in one piece with `TCP_NODELAY`, so keep-alive requests do not wait
//! for delayed acknowledgements.

use std::collections::HashMap;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::host::host_allowed;
use super::snapshot::{Body, Shared};

/// What one connection may cost the server.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Request line and headers together, in bytes; more is refused with 431.
    pub max_head: usize,
    /// A request body up to this size is read and dropped; a larger one is refused with 413.
    pub max_body: usize,
    /// Time to receive one request, head and body, counted from when the server starts waiting
    /// for it; it is also how long an idle keep-alive connection stays open.
    pub read_timeout: Duration,
    /// Time to send one response (or one event to a reload stream).
    pub write_timeout: Duration,
    /// Requests on one connection; the last is answered with `Connection: close`.
    pub max_requests: usize,
    /// Open connections, reload streams included; past this, new ones get 503 and are closed.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_head: 16 * 1024,
            max_body: 16 * 1024,
            read_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
            max_requests: 100,
            max_connections: 512,
        }
    }
}

/// A parsed request head.
#[derive(Debug)]
pub(super) struct Request {
    pub method: String,
    /// As sent, e.g. `/holbaek/?x=1`.
    pub target: String,
    /// HTTP/1.1 rather than HTTP/1.0.
    pub http11: bool,
    /// Names as sent; values trimmed.
    pub headers: Vec<(String, String)>,
}

impl Request {
    fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn has_token(&self, name: &str, token: &str) -> bool {
        self.values(name)
            .flat_map(|v| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    }
}

/// A complete response; written in one piece.
pub(super) struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Body,
}

/// What the site answers to a request.
pub(super) enum Answer {
    Response(Response),
    /// Hand the connection over to the live-reload stream.
    Events,
}

impl Response {
    pub(super) fn text(status: u16, text: &str) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            headers: Vec::new(),
            body: text.as_bytes().into(),
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// Status line, headers and (unless `head_only`) body in one buffer.
pub(super) fn serialize(response: &Response, head_only: bool, close: bool) -> Vec<u8> {
    use std::fmt::Write as _;
    let body: &[u8] = response.body.as_ref();
    let mut head = String::with_capacity(256);
    let _ = write!(
        head,
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        body.len()
    );
    for (name, value) in &response.headers {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    if close {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    let mut out = Vec::with_capacity(head.len() + if head_only { 0 } else { body.len() });
    out.extend_from_slice(head.as_bytes());
    if !head_only {
        out.extend_from_slice(body);
    }
    out
}

/// Writes all of `bytes` before `timeout` runs out, or fails.
pub(super) fn write_within(
    stream: &mut TcpStream,
    bytes: &[u8],
    timeout: Duration,
) -> io::Result<()> {
    let deadline = Instant::now() + timeout;
    let mut rest = bytes;
    while !rest.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ErrorKind::TimedOut.into());
        }
        stream.set_write_timeout(Some(left))?;
        match stream.write(rest) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => rest = &rest[n..],
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Parsing

/// Why a request is answered with an error and the connection closed.
#[derive(Debug, PartialEq, Eq)]
struct Refusal(u16, &'static str);

const BAD_REQUEST: Refusal = Refusal(
    400,
    "Forhåndsvisningen kan ikke forstå forespørgslen. Prøv at åbne adressen igen.\n",
);

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Parses a request head (without the blank line that ends it).
fn parse_head(head: &[u8]) -> Result<Request, Refusal> {
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let line = lines.next().ok_or(BAD_REQUEST)?;
    let mut parts = line.split(|&b| b == b' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(BAD_REQUEST);
    };
    if method.is_empty() || !method.iter().all(|&b| is_tchar(b)) {
        return Err(BAD_REQUEST);
    }
    if target.is_empty() || !target.iter().all(|&b| b.is_ascii_graphic()) {
        return Err(BAD_REQUEST);
    }
    let http11 = match version {
        b"HTTP/1.1" => true,
        b"HTTP/1.0" => false,
        v if v.starts_with(b"HTTP/") && v.len() == 8 => {
            return Err(Refusal(
                505,
                "Forhåndsvisningen taler kun HTTP/1.1. Brug en almindelig browser.\n",
            ));
        }
        _ => return Err(BAD_REQUEST),
    };
    let mut headers = Vec::new();
    for line in lines {
        let colon = line.iter().position(|&b| b == b':').ok_or(BAD_REQUEST)?;
        let (name, value) = (&line[..colon], &line[colon + 1..]);
        // An empty name also refuses obsolete line folding (a line starting with a space).
        if name.is_empty() || !name.iter().all(|&b| is_tchar(b)) {
            return Err(BAD_REQUEST);
        }
        if value.iter().any(|&b| (b < 0x20 && b != b'\t') || b == 0x7f) {
            return Err(BAD_REQUEST);
        }
        let value = String::from_utf8_lossy(value)
            .trim_matches([' ', '\t'])
            .to_string();
        headers.push((String::from_utf8_lossy(name).into_owned(), value));
    }
    Ok(Request {
        method: String::from_utf8_lossy(method).into_owned(),
        target: String::from_utf8_lossy(target).into_owned(),
        http11,
        headers,
    })
}

/// The request's body length: `Ok(0)` without one. Transfer codings are not read.
fn body_length(request: &Request) -> Result<usize, Refusal> {
    if request.values("Transfer-Encoding").next().is_some() {
        return Err(Refusal(
            411,
            "Forhåndsvisningen tager ikke imod indhold. Send forespørgslen uden indhold.\n",
        ));
    }
    let mut lengths = request.values("Content-Length");
    let Some(first) = lengths.next() else {
        return Ok(0);
    };
    if lengths.any(|other| other != first)
        || first.is_empty()
        || !first.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(BAD_REQUEST);
    }
    // Too many digits for usize is too large all the same.
    Ok(first.parse().unwrap_or(usize::MAX))
}

// ---------------------------------------------------------------------------------------------
// Connections

/// One connection's unread bytes and its socket.
struct Conn {
    stream: TcpStream,
    /// Bytes received and not yet used: the start of the next request when pipelined.
    buf: Vec<u8>,
}

enum ReadError {
    /// The client closed the connection, or went quiet, between requests.
    Gone,
    Refused(Refusal),
}

impl Conn {
    /// Reads more into `buf` before `deadline`; `Ok(0)` when the client closed.
    fn fill(&mut self, deadline: Instant) -> io::Result<usize> {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        let mut chunk = [0u8; 8 * 1024];
        loop {
            match self.stream.read(&mut chunk) {
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return Ok(n);
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// The next request's head, and its body read past.
    fn next_request(&mut self, limits: &Limits) -> Result<Request, ReadError> {
        let deadline = Instant::now() + limits.read_timeout;
        let mut scanned = 0;
        let end = loop {
            // Empty lines before a request are allowed and ignored.
            let blank = self
                .buf
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
            if blank > 0 {
                self.buf.drain(..blank);
                scanned = 0;
            }
            if let Some((head_len, total)) = head_end(&self.buf, &mut scanned) {
                if head_len > limits.max_head {
                    return Err(ReadError::Refused(TOO_LARGE));
                }
                break (head_len, total);
            }
            if self.buf.len() > limits.max_head {
                return Err(ReadError::Refused(TOO_LARGE));
            }
            let started = !self.buf.is_empty();
            match self.fill(deadline) {
                Ok(0) | Err(_) if !started => return Err(ReadError::Gone),
                Ok(0) => return Err(ReadError::Refused(BAD_REQUEST)),
                Ok(_) => {}
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    return Err(ReadError::Refused(Refusal(
                        408,
                        "Forespørgslen kom ikke hurtigt nok. Prøv igen.\n",
                    )));
                }
                Err(_) => return Err(ReadError::Gone),
            }
        };
        let request = parse_head(&self.buf[..end.0]).map_err(ReadError::Refused)?;
        self.buf.drain(..end.1);
        let length = body_length(&request).map_err(ReadError::Refused)?;
        if length > limits.max_body {
            return Err(ReadError::Refused(Refusal(
                413,
                "Forespørgslen har for meget indhold. Forhåndsvisningen viser kun sider.\n",
            )));
        }
        while self.buf.len() < length {
            match self.fill(deadline) {
                Ok(n) if n > 0 => {}
                _ => return Err(ReadError::Gone),
            }
        }
        self.buf.drain(..length);
        Ok(request)
    }

    fn send(&mut self, bytes: &[u8], limits: &Limits) -> io::Result<()> {
        write_within(&mut self.stream, bytes, limits.write_timeout)
    }

    /// Answers with an error and closes, letting the client read the answer: a socket closed
    /// with unread input is reset, which can discard the answer before the client reads it.
    fn refuse(mut self, refusal: Refusal, limits: &Limits) {
        let response = Response::text(refusal.0, refusal.1);
        if self
            .send(&serialize(&response, false, true), limits)
            .is_err()
        {
            return;
        }
        let _ = self.stream.shutdown(Shutdown::Write);
        let deadline = Instant::now() + Duration::from_millis(500);
        let mut drained = 0usize;
        while drained < 1 << 20 {
            self.buf.clear();
            match self.fill(deadline) {
                Ok(n) if n > 0 => drained += n,
                _ => break,
            }
        }
    }
}

const TOO_LARGE: Refusal = Refusal(
    431,
    "Forespørgslens hoved er for stort. Slet browserens cookies for adressen, og prøv igen.\n",
);

/// Length of the head without its ending blank line, and with it; `scanned` remembers how far
/// the search got, so a slowly arriving head is not scanned again from the start.
fn head_end(buf: &[u8], scanned: &mut usize) -> Option<(usize, usize)> {
    let mut i = *scanned;
    while let Some(offset) = buf[i..].iter().position(|&b| b == b'\n') {
        let nl = i + offset;
        let rest = &buf[nl + 1..];
        if rest.starts_with(b"\n") {
            return Some((nl, nl + 2));
        }
        if rest.starts_with(b"\r\n") {
            return Some((nl, nl + 3));
        }
        if rest.is_empty() || rest == b"\r" {
            break;
        }
        i = nl + 1;
    }
    *scanned = buf.len().saturating_sub(2);
    None
}

/// Serves one connection until it closes, misbehaves or has used its requests.
fn serve_connection(stream: TcpStream, shared: &Arc<Shared>, limits: &Limits, bound: SocketAddr) {
    let _ = stream.set_nodelay(true);
    let mut conn = Conn {
        stream,
        buf: Vec::new(),
    };
    for served in 1..=limits.max_requests.max(1) {
        if shared.stopping() {
            return;
        }
        let request = match conn.next_request(limits) {
            Ok(request) => request,
            Err(ReadError::Gone) => return,
            Err(ReadError::Refused(refusal)) => return conn.refuse(refusal, limits),
        };
        let mut hosts = request.values("Host");
        let host = hosts.next();
        if hosts.next().is_some() || (request.http11 && host.is_none()) {
            return conn.refuse(BAD_REQUEST, limits);
        }
        if host.is_some_and(|h| !host_allowed(h, bound)) {
            return conn.refuse(
                Refusal(
                    421,
                    "Forhåndsvisningen svarer kun på sin egen adresse. Åbn den adresse, der står i terminalen.\n",
                ),
                limits,
            );
        }
        let close = served >= limits.max_requests.max(1)
            || request.has_token("Connection", "close")
            || (!request.http11 && !request.has_token("Connection", "keep-alive"));
        let head_only = request.method == "HEAD";
        match super::routes::handle(shared, &request) {
            Answer::Response(mut response) => {
                if !request.http11 && !close {
                    response
                        .headers
                        .push(("Connection", "keep-alive".to_string()));
                }
                let bytes = serialize(&response, head_only, close);
                if conn.send(&bytes, limits).is_err() || close {
                    return;
                }
            }
            Answer::Events => {
                return super::events::serve(shared, conn.stream, limits);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Listening

/// Open connections, so that stopping can close them and new ones can be counted.
#[derive(Default)]
struct Connections {
    open: Mutex<HashMap<u64, TcpStream>>,
    next: AtomicU64,
    closed: Condvar,
}

impl Connections {
    fn lock(&self) -> MutexGuard<'_, HashMap<u64, TcpStream>> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Holds a connection's place until its thread ends.
struct Registration {
    id: u64,
    connections: Arc<Connections>,
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.connections.lock().remove(&self.id);
        self.connections.closed.notify_all();
    }
}

/// The listening socket and its connections.
pub(super) struct Listener {
    addr: SocketAddr,
    connections: Arc<Connections>,
    accept: Option<JoinHandle<()>>,
}

impl Listener {
    pub(super) fn bind(addr: SocketAddr) -> io::Result<(TcpListener, SocketAddr)> {
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        Ok((listener, addr))
    }

    /// Starts accepting connections on `listener`.
    pub(super) fn start(
        listener: TcpListener,
        shared: Arc<Shared>,
        limits: Limits,
    ) -> io::Result<Listener> {
        let addr = listener.local_addr()?;
        let connections = Arc::new(Connections::default());
        let accept = {
            let connections = connections.clone();
            thread::Builder::new()
                .name("kvalitet-accept".to_string())
                .spawn(move || accept(&listener, &shared, &limits, &connections))?
        };
        Ok(Listener {
            addr,
            connections,
            accept: Some(accept),
        })
    }

    /// Stops accepting, closes every open connection and waits (bounded) for their threads.
    /// The caller has set the shared stop flag.
    pub(super) fn stop(&mut self) {
        // The accept loop blocks in `accept`; a connection of our own wakes it to see the flag.
        let wake = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        let woke = TcpStream::connect_timeout(
            &SocketAddr::new(wake, self.addr.port()),
            Duration::from_secs(1),
        )
        .is_ok();
        // Without the wake-up the accept thread is left to end with the process rather than
        // waited for forever.
        if let Some(accept) = self.accept.take()
            && woke
        {
            let _ = accept.join();
        }
        let open = self.connections.lock();
        for stream in open.values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        let _ = self
            .connections
            .closed
            .wait_timeout_while(open, Duration::from_secs(2), |open| !open.is_empty());
    }
}

fn accept(
    listener: &TcpListener,
    shared: &Arc<Shared>,
    limits: &Limits,
    connections: &Arc<Connections>,
) {
    let bound = listener.local_addr().ok();
    for incoming in listener.incoming() {
        if shared.stopping() {
            return;
        }
        let (Ok(stream), Some(bound)) = (incoming, bound) else {
            // Out of file descriptors, say: wait a moment rather than spin.
            thread::sleep(Duration::from_millis(10));
            continue;
        };
        let registration = {
            let mut open = connections.lock();
            if open.len() >= limits.max_connections {
                None
            } else {
                let id = connections.next.fetch_add(1, Ordering::Relaxed);
                stream.try_clone().ok().map(|clone| {
                    open.insert(id, clone);
                    Registration {
                        id,
                        connections: connections.clone(),
                    }
                })
            }
        };
        let Some(registration) = registration else {
            busy(stream);
            continue;
        };
        let shared = shared.clone();
        let limits = limits.clone();
        // On failure the closure, and with it the connection and its place, is dropped.
        let _ = thread::Builder::new()
            .name("kvalitet-conn".to_string())
            .spawn(move || {
                serve_connection(stream, &shared, &limits, bound);
                drop(registration);
            });
    }
}

/// Tells a client over the connection cap to come back, without ever blocking the accept loop.
fn busy(mut stream: TcpStream) {
    let response = Response::text(
        503,
        "Forhåndsvisningen har for mange forbindelser lige nu. Luk nogle faneblade, og prøv igen.\n",
    );
    if stream.set_nonblocking(true).is_ok() {
        let _ = stream.write(&serialize(&response, false, true));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_lines_that_are_not_plain_http_are_refused() {
        for head in [
            &b"GET /\xc3\xa6 HTTP/1.1"[..],
            b"GET / HTTP/1.1 x",
            b"GET  / HTTP/1.1",
            b"GET /",
            b"GE(T / HTTP/1.1",
            b"GET / HTTP/1.1\r\n folded",
            b"GET / HTTP/1.1\r\nNo-Colon",
            b"GET / HTTP/1.1\r\nBad\x01: x",
            b"GET / HTTP/1.1\r\nX: a\x00b",
        ] {
            assert_eq!(parse_head(head).err(), Some(BAD_REQUEST), "{head:?}");
        }
        assert_eq!(parse_head(b"GET / HTTP/2.0").unwrap_err().0, 505);
        let ok = parse_head(b"GET /a?b HTTP/1.0\r\nHost:  x  \r\nX-Name: \xc3\xa6").unwrap();
        assert_eq!(ok.target, "/a?b");
        assert!(!ok.http11);
        assert_eq!(ok.values("host").next(), Some("x"));
    }

    #[test]
    fn the_head_ends_at_the_first_blank_line() {
        let mut scanned = 0;
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n", &mut scanned), None);
        let mut scanned = 0;
        assert_eq!(
            head_end(b"GET / HTTP/1.1\r\nA: b\r\n\r\nGET", &mut scanned),
            Some((21, 24))
        );
        let mut scanned = 0;
        assert_eq!(
            head_end(b"GET / HTTP/1.0\n\nx", &mut scanned),
            Some((14, 16))
        );
    }
}
