//! The preview under misbehaving clients: every test talks raw HTTP/1.1 to a server on a free
//! loopback port, bounds its own reads and writes, and stops the server itself.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use super::{EventStream, Fixture, IO_TIMEOUT, Reply, get, parse_reply};
use kvalitet::build::BuildOptions;
use kvalitet::serve::{EVENTS_PATH, Limits, MAX_EVENT_STREAMS, ServeOptions, Server};

/// Sends `bytes` as they are on a fresh connection and reads the answer until the server
/// closes the connection (or the timeout runs out).
fn raw(addr: SocketAddr, bytes: &[u8]) -> Reply {
    let mut stream = TcpStream::connect_timeout(&addr, IO_TIMEOUT).unwrap();
    stream.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
    stream.set_write_timeout(Some(IO_TIMEOUT)).unwrap();
    // The server may answer and close before reading everything; that is allowed.
    let _ = stream.write_all(bytes);
    let mut out = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&chunk[..n]),
            // A reset after the answer arrived still leaves the answer to look at.
            Err(_) => break,
        }
    }
    parse_reply(&out)
}

fn with_host(addr: SocketAddr, host: &str) -> Reply {
    raw(
        addr,
        format!("GET /fredericia/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
}

#[test]
fn a_client_that_pipelines_and_never_reads_does_not_stall_the_others() {
    let fx = Fixture::bundled();
    let server = fx.start();
    let addr = server.addr();
    let hog = TcpStream::connect_timeout(&addr, IO_TIMEOUT).unwrap();
    hog.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    let requests = format!("GET /fredericia/ HTTP/1.1\r\nHost: {addr}\r\n\r\n").repeat(1000);
    let writer = {
        let mut hog = hog.try_clone().unwrap();
        // The server may stop reading once its answers are not read; that must not hang us.
        thread::spawn(move || {
            let _ = hog.write_all(requests.as_bytes());
        })
    };
    thread::sleep(Duration::from_millis(300));
    for _ in 0..5 {
        let asked = Instant::now();
        let (tx, rx) = std::sync::mpsc::channel();
        thread::spawn(move || {
            let _ = tx.send(super::request(addr, "GET", "/style.css").map(|r| r.status));
        });
        let answer = rx.recv_timeout(Duration::from_secs(3));
        assert!(
            matches!(answer, Ok(Ok(200))),
            "another client waited {:?}: {answer:?}",
            asked.elapsed()
        );
    }
    drop(hog);
    let _ = writer.join();
    server.shutdown();
}

#[test]
fn only_the_preview_s_own_host_names_are_answered() {
    let fx = Fixture::bundled();
    let server = fx.start();
    let addr = server.addr();
    let port = addr.port();
    for host in [
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_string(),
        format!("localhost:{port}"),
        "LocalHost".to_string(),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(with_host(addr, &host).status, 200, "Host: {host}");
    }
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("localhost:{}", port.wrapping_add(1).max(1)),
        format!("127.0.0.1:{port}@evil.example"),
        String::new(),
    ] {
        let reply = with_host(addr, &host);
        assert!(
            reply.status == 421 || reply.status == 400,
            "Host: {host} got {}",
            reply.status
        );
        assert!(
            !reply.body.contains("Fredericia"),
            "Host: {host} read a page"
        );
    }
    let refused = with_host(addr, "evil.example");
    assert_eq!(refused.status, 421);
    assert!(
        refused.body.contains("Forhåndsvisningen"),
        "{}",
        refused.body
    );

    let missing = raw(addr, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(missing.status, 400, "HTTP/1.1 without Host");
    let twice = raw(
        addr,
        format!("GET / HTTP/1.1\r\nHost: {addr}\r\nHost: evil.example\r\n\r\n").as_bytes(),
    );
    assert_eq!(twice.status, 400, "two Host headers");
    server.shutdown();
}

#[test]
fn oversized_heads_bodies_and_other_methods_are_refused() {
    let fx = Fixture::bundled();
    let server = fx.start();
    let addr = server.addr();
    let long_header = format!(
        "GET / HTTP/1.1\r\nHost: {addr}\r\nX-Long: {}\r\n\r\n",
        "a".repeat(1 << 20)
    );
    assert_eq!(raw(addr, long_header.as_bytes()).status, 431);
    let many_headers = format!(
        "GET / HTTP/1.1\r\nHost: {addr}\r\n{}\r\n",
        "X-A: b\r\n".repeat(10_000)
    );
    assert_eq!(raw(addr, many_headers.as_bytes()).status, 431);
    let long_target = format!(
        "GET /{} HTTP/1.1\r\nHost: {addr}\r\n\r\n",
        "a".repeat(100_000)
    );
    assert_eq!(raw(addr, long_target.as_bytes()).status, 431);

    let big_body = format!(
        "GET / HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 100000000\r\n\r\n{}",
        "x".repeat(64 * 1024)
    );
    assert_eq!(raw(addr, big_body.as_bytes()).status, 413);
    for method in ["PUT", "OPTIONS", "TRACE", "CONNECT", "PATCH"] {
        let reply = raw(
            addr,
            format!("{method} / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
        );
        assert_eq!(reply.status, 405, "{method}");
    }
    // A small body is read past, and the connection serves the next request.
    let small_body = format!(
        "GET /style.css HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 5\r\n\r\nhello\
GET /fredericia/ HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    );
    let both = raw(addr, small_body.as_bytes());
    assert_eq!(both.status, 200);
    assert!(both.body.contains("Fredericia"), "second request answered");
    assert_eq!(get(addr, "/").status, 200, "the server still answers");
    server.shutdown();
}

#[test]
fn a_closed_tab_frees_its_reload_slot_at_once() {
    let fx = Fixture::bundled();
    let server = fx.start();
    let addr = server.addr();
    let streams: Vec<EventStream> = (0..MAX_EVENT_STREAMS)
        .map(|_| EventStream::open(addr))
        .collect();
    let events_request =
        format!("GET {EVENTS_PATH} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    assert_eq!(
        raw(addr, events_request.as_bytes()).status,
        503,
        "the limit is real"
    );
    drop(streams);
    let closed = Instant::now();
    loop {
        let mut stream = TcpStream::connect_timeout(&addr, IO_TIMEOUT).unwrap();
        stream.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
        stream.write_all(events_request.as_bytes()).unwrap();
        let mut head = [0u8; 12];
        stream.read_exact(&mut head).unwrap();
        if head.starts_with(b"HTTP/1.1 200") {
            break;
        }
        assert!(
            closed.elapsed() < Duration::from_secs(3),
            "slots still taken {:?} after the tabs closed",
            closed.elapsed()
        );
        thread::sleep(Duration::from_millis(50));
    }
    server.shutdown();
}

/// Reads one response with a Content-Length body from a keep-alive connection.
fn read_response(stream: &mut TcpStream) -> (u16, usize) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    let reply = parse_reply(&head);
    let length: usize = reply.header("Content-Length").unwrap().parse().unwrap();
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).unwrap();
    (reply.status, length)
}

#[test]
fn keep_alive_requests_are_answered_without_delay() {
    let fx = Fixture::bundled();
    let server = fx.start();
    let addr = server.addr();
    let mut stream = TcpStream::connect_timeout(&addr, IO_TIMEOUT).unwrap();
    stream.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
    stream.set_write_timeout(Some(IO_TIMEOUT)).unwrap();
    let mut times = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        stream
            .write_all(format!("GET /fredericia/ HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
            .unwrap();
        let (status, length) = read_response(&mut stream);
        times.push(started.elapsed());
        assert_eq!(status, 200);
        assert!(length > 1000);
    }
    times.sort();
    let median = times[times.len() / 2];
    assert!(median < Duration::from_millis(15), "median {median:?}");
    server.shutdown();
}

#[test]
fn an_unparsable_request_line_gets_a_400() {
    let fx = Fixture::bundled();
    let server = fx.start();
    let addr = server.addr();
    for line in [
        "GET /æøå HTTP/1.1".as_bytes(),
        b"GET /\xff\xfe HTTP/1.1",
        b"\xc3\xa6 / HTTP/1.1",
        b"GET",
        b"GET / HTTP/1.1 extra",
        b"GET  / HTTP/1.1",
        b"GET / FTP/1.0",
        b"G\0T / HTTP/1.1",
    ] {
        let mut bytes = line.to_vec();
        bytes.extend_from_slice(format!("\r\nHost: {addr}\r\n\r\n").as_bytes());
        let reply = raw(addr, &bytes);
        assert_eq!(reply.status, 400, "{}", String::from_utf8_lossy(line));
        assert!(reply.body.contains("forstå"), "{}", reply.body);
    }
    assert_eq!(get(addr, "/").status, 200, "the server still answers");
    server.shutdown();
}

/// How long until the server closes a connection on which the client sends `bytes` and then
/// nothing more; `None` if it is still open after `limit`.
fn closed_after(addr: SocketAddr, bytes: &[u8], limit: Duration) -> Option<Duration> {
    let mut stream = TcpStream::connect_timeout(&addr, IO_TIMEOUT).unwrap();
    stream.set_read_timeout(Some(limit)).unwrap();
    stream.write_all(bytes).unwrap();
    let started = Instant::now();
    let mut sink = [0u8; 4096];
    loop {
        match stream.read(&mut sink) {
            Ok(0) => return Some(started.elapsed()),
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return None;
            }
            Err(_) => return Some(started.elapsed()),
        }
    }
}

/// A server with short timeouts and small caps, so tests see them act.
fn start_limited(fx: &Fixture, limits: Limits) -> Server {
    let mut options = ServeOptions::new(BuildOptions::new(fx.content(), fx.themes()));
    options.port = 0;
    options.limits = limits;
    Server::start(options).expect("server starts")
}

fn short_timeouts() -> Limits {
    Limits {
        read_timeout: Duration::from_millis(500),
        write_timeout: Duration::from_millis(500),
        ..Limits::default()
    }
}

#[test]
fn silent_slow_and_non_reading_clients_are_dropped_after_the_timeouts() {
    let fx = Fixture::bundled();
    let server = start_limited(&fx, short_timeouts());
    let addr = server.addr();
    let limit = Duration::from_secs(3);
    let silent = closed_after(addr, b"", limit);
    assert!(silent.is_some(), "a client that sends nothing is dropped");
    let half = closed_after(addr, b"GET / HTTP/1.1\r\nHost: x", limit);
    assert!(half.is_some(), "a half-sent request is dropped");

    // One byte at a time, each in time, but the request never ends.
    let mut slow = TcpStream::connect_timeout(&addr, IO_TIMEOUT).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let dribble = {
        let mut slow = slow.try_clone().unwrap();
        thread::spawn(move || {
            let started = Instant::now();
            let mut head = b"GET / HTTP/1.1\r\n".to_vec();
            head.extend(b"X-A: b\r\n".repeat(100));
            for byte in head {
                if started.elapsed() > Duration::from_secs(5) || slow.write_all(&[byte]).is_err() {
                    return;
                }
                thread::sleep(Duration::from_millis(50));
            }
        })
    };
    let started = Instant::now();
    let _ = slow.read_to_end(&mut Vec::new());
    assert!(started.elapsed() < limit, "a dribbling client is dropped");
    drop(slow);
    let _ = dribble.join();

    // Never reading: the answers fill the socket, the write times out, the connection goes.
    let mut hog = TcpStream::connect_timeout(&addr, IO_TIMEOUT).unwrap();
    hog.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    let requests = format!("GET /fredericia/ HTTP/1.1\r\nHost: {addr}\r\n\r\n").repeat(100);
    let _ = hog.write_all(requests.as_bytes());
    thread::sleep(Duration::from_secs(2));
    hog.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let started = Instant::now();
    let mut sink = Vec::new();
    let ended = hog.read_to_end(&mut sink);
    let waited = started.elapsed();
    assert!(
        !matches!(&ended, Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)),
        "the connection of a client that never reads is closed ({waited:?})"
    );
    assert_eq!(get(addr, "/").status, 200, "the server still answers");
    server.shutdown();
}

#[test]
fn a_connection_serves_a_bounded_number_of_requests_then_closes() {
    let fx = Fixture::bundled();
    let limits = Limits {
        max_requests: 5,
        ..Limits::default()
    };
    let server = start_limited(&fx, limits);
    let addr = server.addr();
    let mut stream = TcpStream::connect_timeout(&addr, IO_TIMEOUT).unwrap();
    stream.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
    let requests = format!("GET /style.css HTTP/1.1\r\nHost: {addr}\r\n\r\n").repeat(10);
    stream.write_all(requests.as_bytes()).unwrap();
    let mut answers = Vec::new();
    let _ = stream.read_to_end(&mut answers);
    let text = String::from_utf8_lossy(&answers);
    assert_eq!(text.matches("HTTP/1.1 200 OK").count(), 5, "five answered");
    assert_eq!(
        text.matches("Connection: close").count(),
        1,
        "the fifth says it closes"
    );
    server.shutdown();
}

#[test]
fn connections_over_the_cap_are_turned_away_and_others_still_served_later() {
    let fx = Fixture::bundled();
    let limits = Limits {
        max_connections: 4,
        ..Limits::default()
    };
    let server = start_limited(&fx, limits);
    let addr = server.addr();
    let idle: Vec<TcpStream> = (0..4)
        .map(|_| TcpStream::connect_timeout(&addr, IO_TIMEOUT).unwrap())
        .collect();
    thread::sleep(Duration::from_millis(200));
    let turned_away = raw(
        addr,
        format!("GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    assert_eq!(turned_away.status, 503);
    assert!(
        turned_away.body.contains("forbindelser"),
        "{}",
        turned_away.body
    );
    drop(idle);
    let freed = Instant::now();
    while !matches!(super::request(addr, "GET", "/style.css"), Ok(r) if r.status == 200) {
        assert!(
            freed.elapsed() < Duration::from_secs(3),
            "places not given back"
        );
        thread::sleep(Duration::from_millis(50));
    }
    server.shutdown();
}
