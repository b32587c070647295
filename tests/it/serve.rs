//! The preview server as a browser sees it: plain HTTP/1.1 over TCP against a server started on
//! a free port, on a temporary copy of the bundled content and theme.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use kvalitet::build::BuildOptions;
use kvalitet::serve::{EVENTS_PATH, ServeEvent, ServeLog, ServeOptions, Server};

#[path = "serve_browser.rs"]
mod browser;
#[path = "serve_hostile.rs"]
mod hostile;

const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a rebuild may take to show, generously above the debug build's time.
const REBUILD_TIMEOUT: Duration = Duration::from_secs(15);

pub(crate) use crate::fixture::Fixture;

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One request on its own connection, with the target sent exactly as given.
fn request(addr: SocketAddr, method: &str, target: &str) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect_timeout(&addr, IO_TIMEOUT)?;
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    Ok(parse_reply(&raw))
}

/// Status, headers and body of a response as received; status 0 if there was no answer.
fn parse_reply(raw: &[u8]) -> Reply {
    let text = String::from_utf8_lossy(raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_string(),
    }
}

fn get(addr: SocketAddr, target: &str) -> Reply {
    request(addr, "GET", target).expect("request answered")
}

/// Polls until `check` holds, so a test waits no longer than the rebuild takes.
fn wait_until(what: &str, mut check: impl FnMut() -> bool) {
    let started = Instant::now();
    while !check() {
        assert!(
            started.elapsed() < REBUILD_TIMEOUT,
            "timed out waiting for: {what}"
        );
        thread::sleep(Duration::from_millis(20));
    }
}

/// A browser's live-reload connection.
struct EventStream {
    reader: BufReader<TcpStream>,
}

impl EventStream {
    fn open(addr: SocketAddr) -> EventStream {
        let mut stream = TcpStream::connect_timeout(&addr, IO_TIMEOUT).unwrap();
        stream.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
        write!(
            stream,
            "GET {EVENTS_PATH} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut events = EventStream {
            reader: BufReader::new(stream),
        };
        let mut status = String::new();
        events.reader.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        let mut saw_type = false;
        loop {
            let mut line = String::new();
            events.reader.read_line(&mut line).unwrap();
            if line
                .to_ascii_lowercase()
                .starts_with("content-type: text/event-stream")
            {
                saw_type = true;
            }
            if line == "\r\n" {
                break;
            }
        }
        assert!(saw_type, "event stream has its content type");
        let (name, _) = events.next_event().expect("hello arrives on connect");
        assert_eq!(name, "hello");
        events
    }

    /// The next event's name and data; `None` if nothing arrives within the socket timeout.
    fn next_event(&mut self) -> Option<(String, String)> {
        let (mut name, mut data) = (String::new(), String::new());
        loop {
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                if !name.is_empty() {
                    return Some((name, data));
                }
            } else if let Some(v) = line.strip_prefix("event: ") {
                name = v.to_string();
            } else if let Some(v) = line.strip_prefix("data: ") {
                data = v.to_string();
            }
        }
    }

    fn set_timeout(&self, timeout: Duration) {
        self.reader
            .get_ref()
            .set_read_timeout(Some(timeout))
            .unwrap();
    }
}

/// Adds a word to the start of Fredericia's summary, which its front page shows.
fn with_word(text: &str, word: &str) -> String {
    text.replacen(
        "summary = \"\"\"\n",
        &format!("summary = \"\"\"\n{word} "),
        1,
    )
}

#[test]
fn an_edit_shows_on_the_page_and_reload_event_arrives_at_once() {
    let fx = Fixture::bundled();
    let server = fx.start();
    let addr = server.addr();
    let front = get(addr, "/fredericia/");
    assert_eq!(front.status, 200);
    assert!(!front.body.contains("Testordet"));

    let mut events = EventStream::open(addr);
    let path = fx.file("fredericia.toml");
    let original = fs::read_to_string(&path).unwrap();
    let saved = Instant::now();
    fs::write(&path, with_word(&original, "Testordet")).unwrap();
    let (name, _) = events
        .next_event()
        .expect("reload event arrives while the stream stays open");
    let delay = saved.elapsed();
    assert_eq!(name, "reload");
    // Buffered delivery would hold the event until the connection closed or a buffer filled.
    assert!(delay < Duration::from_secs(5), "reload took {delay:?}");
    let page = get(addr, "/fredericia/");
    assert!(page.body.contains("Testordet"), "edited text is served");
    assert!(
        server.status().incremental,
        "only the saved municipality was read again"
    );
    server.shutdown();
}

#[test]
fn an_edit_by_rename_over_and_by_delete_and_recreate_is_seen() {
    let fx = Fixture::bundled();
    let server = fx.start();
    let addr = server.addr();
    let path = fx.file("fredericia.toml");
    let original = fs::read_to_string(&path).unwrap();

    // How many editors save: write a temporary file beside the real one, rename it over.
    let temp = fx.file(".fredericia.toml.tmp");
    fs::write(&temp, with_word(&original, "Omdøbtord")).unwrap();
    fs::rename(&temp, &path).unwrap();
    wait_until("rename-over shows", || {
        get(addr, "/fredericia/").body.contains("Omdøbtord")
    });

    // Others delete the file and write it anew.
    fs::remove_file(&path).unwrap();
    fs::write(&path, with_word(&original, "Genskabtord")).unwrap();
    wait_until("delete and recreate shows", || {
        get(addr, "/fredericia/").body.contains("Genskabtord")
    });
    assert!(server.status().errors.is_empty());
    server.shutdown();
}

#[test]
fn a_save_that_first_moves_the_file_to_a_backup_reloads_once_and_never_loses_the_page() {
    let fx = Fixture::bundled();
    let server = fx.start();
    let before = server.status();
    let path = fx.file("fredericia.toml");
    let backup = fx.file("fredericia.toml~");
    let original = fs::read_to_string(&path).unwrap();
    // As vim and emacs save by default: the file is moved to its backup, written anew a few
    // milliseconds later, and the backup removed.
    fs::rename(&path, &backup).unwrap();
    thread::sleep(Duration::from_millis(8));
    fs::write(&path, with_word(&original, "Backupord")).unwrap();
    fs::remove_file(&backup).unwrap();
    let status = server.wait_for(REBUILD_TIMEOUT, |s| s.generation > before.generation);
    assert!(status.errors.is_empty(), "{:?}", status.errors.first());
    assert!(
        get(server.addr(), "/fredericia/")
            .body
            .contains("Backupord")
    );
    // Settled: a build while the file was away would have removed the page and reloaded twice.
    let status = server.wait_for(Duration::from_millis(300), |s| {
        s.generation > before.generation + 1
    });
    assert_eq!(status.generation, before.generation + 1, "one reload");
    server.shutdown();
}

#[test]
fn swap_files_and_saves_that_change_nothing_do_not_reload_the_browser() {
    let fx = Fixture::bundled();
    let server = fx.start();
    let before = server.status();
    for name in [
        ".fredericia.toml.swp",
        "fredericia.toml~",
        "4913",
        "fredericia.toml.tmp",
    ] {
        fs::write(fx.file(name), "not toml [[[").unwrap();
    }
    // Emacs' lock file is a dangling symlink.
    #[cfg(unix)]
    std::os::unix::fs::symlink("editor@host.4242", fx.file(".#fredericia.toml")).unwrap();
    fs::remove_file(fx.file("4913")).unwrap();
    let status = server.wait_for(Duration::from_millis(600), |s| s.builds > before.builds);
    assert_eq!(status.builds, before.builds, "editor files are not content");

    // A comment changes no page: the site is rebuilt, but open tabs are left alone.
    let path = fx.file("fredericia.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, format!("{text}\n# bare en kommentar\n")).unwrap();
    let status = server.wait_for(REBUILD_TIMEOUT, |s| s.builds > before.builds);
    assert_eq!(status.builds, before.builds + 1, "the save was built");
    assert_eq!(
        status.generation,
        before.generation,
        "no reload: {:?}",
        status.errors.first()
    );
    server.shutdown();
}

#[test]
fn a_new_municipality_file_appears_and_a_deleted_one_goes() {
    let fx = Fixture::bundled();
    let server = fx.start();
    let addr = server.addr();
    assert_eq!(get(addr, "/kopi/").status, 404);
    fs::copy(fx.file("holbaek.toml"), fx.file("kopi.toml")).unwrap();
    wait_until("new file is served", || get(addr, "/kopi/").status == 200);
    fs::remove_file(fx.file("kopi.toml")).unwrap();
    wait_until("deleted file is gone", || get(addr, "/kopi/").status == 404);
    server.shutdown();
}

#[test]
fn a_broken_file_shows_a_banner_over_the_last_good_page_until_fixed() {
    let fx = Fixture::bundled();
    let server = fx.start();
    let addr = server.addr();
    let path = fx.file("fredericia.toml");
    let original = fs::read_to_string(&path).unwrap();
    fs::write(&path, with_word(&original, "Godtord")).unwrap();
    wait_until("good edit shows", || {
        get(addr, "/fredericia/").body.contains("Godtord")
    });

    let mut events = EventStream::open(addr);
    let good = with_word(&original, "Godtord");
    let bad_line = good.lines().count() + 1;
    fs::write(&path, format!("{good}uafsluttet = [1, 2\n")).unwrap();
    assert_eq!(
        events.next_event().map(|e| e.0).as_deref(),
        Some("reload"),
        "the browser is told, so the banner shows at once"
    );
    let page = get(addr, "/fredericia/");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Godtord"),
        "the last good page is served"
    );
    assert!(page.body.contains("data-kvalitet-error"), "banner shown");
    assert!(
        page.body.contains("fredericia.toml"),
        "banner names the file"
    );
    assert!(
        page.body.contains(&format!("linje {bad_line}")),
        "banner names line {bad_line}"
    );
    assert!(page.body.contains("kolonne"), "banner names the column");
    // Every page carries it, not only the broken municipality's.
    assert!(get(addr, "/").body.contains("data-kvalitet-error"));

    fs::write(&path, &good).unwrap();
    wait_until("fix clears the banner", || {
        !get(addr, "/fredericia/")
            .body
            .contains("data-kvalitet-error")
    });
    assert!(get(addr, "/fredericia/").body.contains("Godtord"));
    server.shutdown();
}

/// The preview prints nothing itself: it tells the command each build's outcome, which the
/// command prints in the terminal.
#[test]
fn the_preview_tells_its_log_how_each_build_went() {
    let fx = Fixture::bundled();
    let told: Arc<std::sync::Mutex<Vec<String>>> = Arc::default();
    let mut options = ServeOptions::new(BuildOptions::new(fx.content(), fx.themes()));
    options.port = 0;
    let log = told.clone();
    options.log = Some(ServeLog::new(move |event| {
        let line = match event {
            ServeEvent::Built {
                pages,
                municipalities,
                changed,
                ..
            } => format!("built {pages} pages, {municipalities} municipalities, {changed:?}"),
            ServeEvent::Unchanged { .. } => "unchanged".to_string(),
            ServeEvent::Failed {
                errors, last_good, ..
            } => format!("failed last_good={last_good}: {}", errors[0].message),
            ServeEvent::WatchError(e) => format!("watch error {e}"),
        };
        log.lock().unwrap().push(line);
    }));
    let server = Server::start(options).unwrap();
    let said = || told.lock().unwrap().clone();
    assert_eq!(said().len(), 1, "{:?}", said());
    assert!(
        said()[0].starts_with("built ") && said()[0].ends_with(" municipalities, []"),
        "the first build: {:?}",
        said()
    );

    let path = fx.file("fredericia.toml");
    let original = fs::read_to_string(&path).unwrap();
    fs::write(&path, format!("{original}uafsluttet = [1, 2\n")).unwrap();
    wait_until("the failed build is told", || said().len() >= 2);
    assert!(
        said()[1].starts_with("failed last_good=true: "),
        "{:?}",
        said()
    );
    fs::write(&path, with_word(&original, "Rettet")).unwrap();
    wait_until("the fixed build is told", || {
        said().iter().skip(2).any(|l| l.starts_with("built "))
    });
    assert!(
        said().last().unwrap().contains("fredericia.toml"),
        "the saved file is named: {:?}",
        said()
    );
    server.shutdown();
}

#[test]
fn a_broken_template_keeps_the_server_running() {
    let fx = Fixture::bundled();
    let server = fx.start();
    let addr = server.addr();
    let base = fx.themes().join("default/templates/base.html");
    let original = fs::read_to_string(&base).unwrap();
    fs::write(&base, format!("{original}{{% if %}}")).unwrap();
    wait_until("template error shows", || {
        get(addr, "/").body.contains("base.html")
    });
    assert_eq!(get(addr, "/fredericia/").status, 200);
    fs::write(&base, &original).unwrap();
    wait_until("template fix clears it", || {
        !get(addr, "/").body.contains("data-kvalitet-error")
    });
    server.shutdown();
}

#[test]
fn a_first_build_that_fails_serves_an_error_page_that_recovers() {
    let fx = Fixture::bundled();
    let site = fx.file("site.toml");
    let original = fs::read_to_string(&site).unwrap();
    fs::write(&site, format!("{original}\ntitle = \"to gange\"\n")).unwrap();
    let server = fx.start();
    let addr = server.addr();
    let page = get(addr, "/fredericia/");
    assert_eq!(page.status, 503);
    assert!(page.body.contains("Hjemmesiden kunne ikke bygges"));
    assert!(page.body.contains("site.toml"), "error names the file");
    assert!(
        page.body.contains("data-kvalitet-live-reload"),
        "it can recover"
    );

    let mut events = EventStream::open(addr);
    fs::write(&site, &original).unwrap();
    assert_eq!(events.next_event().map(|e| e.0).as_deref(), Some("reload"));
    let page = get(addr, "/fredericia/");
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("data-kvalitet-error"));
    server.shutdown();
}

#[test]
fn nothing_outside_the_site_is_reachable() {
    let fx = Fixture::bundled();
    let secret = "HEMMELIGT-INDHOLD";
    fs::write(fx.root().join("secret.txt"), secret).unwrap();
    let static_dir = fx.themes().join("default/static");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(fx.root().join("secret.txt"), static_dir.join("link.txt"))
            .unwrap();
        std::os::unix::fs::symlink(fx.root(), static_dir.join("linkdir")).unwrap();
    }
    let server = fx.start();
    let addr = server.addr();
    assert_eq!(
        get(addr, "/style.css").status,
        200,
        "real static files work"
    );
    let forms = [
        "/../secret.txt",
        "/../../secret.txt",
        "/fredericia/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/fredericia\\..\\..\\secret.txt",
        "//secret.txt",
        "/fredericia//index.html",
        "/./index.html",
        "/index.html%00.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/C:/secret.txt",
        "/link.txt",
        "/linkdir/secret.txt",
        "/linkdir/content/site.toml",
        "/secret.txt",
    ];
    for target in forms {
        let reply = get(addr, target);
        assert_eq!(reply.status, 404, "{target}");
        assert!(!reply.body.contains(secret), "{target} leaked the file");
    }
    server.shutdown();
}

#[test]
fn pages_have_types_folders_redirect_and_a_danish_404() {
    let fx = Fixture::bundled();
    let server = fx.start();
    let addr = server.addr();

    let front = get(addr, "/");
    assert_eq!(front.status, 200);
    assert_eq!(
        front.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(front.body.contains("role=\"note\""), "preview marker");
    assert!(front.body.contains("Forhåndsvisning"));
    let marker = front.body.find("data-kvalitet-preview").unwrap();
    let body = front.body.find("<body").unwrap();
    let skip = front.body.find("skip-link").unwrap();
    assert!(body < marker && marker < skip, "marker right after <body>");

    assert_eq!(
        get(addr, "/style.css").header("Content-Type"),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(get(addr, "/fredericia/index.html").status, 200);

    let redirect = get(addr, "/fredericia");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("Location"), Some("/fredericia/"));

    let missing = get(addr, "/findes-ikke/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Siden findes ikke"));
    assert!(
        missing.body.contains("href=\"/\""),
        "links to the front page"
    );

    let head = request(addr, "HEAD", "/fredericia/").unwrap();
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "HEAD has no body");
    let length: usize = head.header("Content-Length").unwrap().parse().unwrap();
    assert!(length > 1000, "HEAD tells the page's length");

    let post = request(addr, "POST", "/").unwrap();
    assert_eq!(post.status, 405);
    assert_eq!(post.header("Allow"), Some("GET, HEAD"));
    assert_eq!(request(addr, "DELETE", "/index.html").unwrap().status, 405);
    server.shutdown();
}

#[test]
fn many_clients_get_answers_while_reload_streams_are_open() {
    let fx = Fixture::bundled();
    let server = fx.start();
    let addr = server.addr();
    // More open tabs than the server has workers.
    let streams: Vec<EventStream> = (0..12).map(|_| EventStream::open(addr)).collect();
    let targets = [
        "/",
        "/fredericia/",
        "/holbaek/tilbud/",
        "/style.css",
        "/ordliste/",
    ];
    let failures = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let clients: Vec<_> = (0..50)
        .map(|c| {
            let failures = failures.clone();
            let done = done.clone();
            thread::spawn(move || {
                for i in 0..40 {
                    let target = targets[(c + i) % targets.len()];
                    match request(addr, "GET", target) {
                        Ok(r) if r.status == 200 && !r.body.is_empty() => {}
                        _ => {
                            failures.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                    done.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    for c in clients {
        c.join().unwrap();
    }
    assert_eq!(done.load(Ordering::SeqCst), 2000);
    assert_eq!(failures.load(Ordering::SeqCst), 0, "every request answered");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
    // The streams still work afterwards.
    let mut stream = streams.into_iter().next().unwrap();
    stream.set_timeout(IO_TIMEOUT);
    let path = fx.file("holbaek.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, with_word(&text, "Efter-belastning")).unwrap();
    assert_eq!(stream.next_event().map(|e| e.0).as_deref(), Some("reload"));
    server.shutdown();
}

#[test]
fn output_folder_is_written_only_when_asked_and_build_has_no_live_reload() {
    let fx = Fixture::bundled();
    let out = fx.root().join("published");
    let mut options = ServeOptions::new(BuildOptions::new(fx.content(), fx.themes()));
    options.port = 0;
    let server = Server::start(options.clone()).unwrap();
    assert!(!out.exists(), "serve does not write without --output-dir");
    server.shutdown();

    options.output_dir = Some(out.clone());
    let server = Server::start(options).unwrap();
    assert!(out.join("fredericia/index.html").is_file());
    server.shutdown();

    let built = fx.root().join("built");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_kvalitet"))
        .arg("build")
        .arg("--content")
        .arg(fx.content())
        .arg("--themes")
        .arg(fx.themes())
        .arg("--output")
        .arg(&built)
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let mut pages = 0;
    for dir in [&out, &built] {
        for file in all_files(dir) {
            let text = fs::read_to_string(&file).unwrap_or_default();
            for trace in ["__kvalitet", "data-kvalitet-", "EventSource"] {
                assert!(!text.contains(trace), "{} has {trace}", file.display());
            }
            pages += 1;
        }
    }
    assert!(pages > 100);
}

fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(all_files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn the_preview_shows_the_comparison_updated_after_a_save_and_no_open_data() {
    let fx = Fixture::bundled();
    let server = fx.start();
    let addr = server.addr();
    let compare = get(addr, "/sammenlign/");
    assert_eq!(compare.status, 200);
    assert!(compare.body.contains("<tr id=\"fredericia\">"));
    // The preview is a draft: the open data is not published from it.
    assert_eq!(get(addr, "/data/alle.json").status, 404);
    assert_eq!(get(addr, "/fredericia/kvalitetsstandard.json").status, 404);

    let path = fx.file("fredericia.toml");
    let original = fs::read_to_string(&path).unwrap();
    assert!(original.contains("days = 14"));
    fs::write(&path, original.replacen("days = 14", "days = 9", 1)).unwrap();
    wait_until("the comparison shows the new guarantee", || {
        get(addr, "/sammenlign/")
            .body
            .split("<tr id=\"fredericia\">")
            .nth(1)
            .is_some_and(|row| row.split("</tr>").next().unwrap().contains(">9 dage<"))
    });
    server.shutdown();
}
