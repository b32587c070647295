//! Time from saving a municipality file to the browser's reload event, and the rebuild time
//! behind it, on the synthetic set (see `kvalitet::synthetic`, the same as `build_speed`) of
//! N = 1 and N = 98 municipalities. Also measures the gaps between the file events of one save,
//! which set the debounce.
//!
//! Run: `cargo bench --bench serve_latency` (add `-- --rounds 21` for more saves per set).
//! `KVALITET_BENCH_N=1,5,98` sets the sizes; `KVALITET_BENCH_N=bundled` measures the bundled
//! content instead.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use kvalitet::build::BuildOptions;
use kvalitet::serve::{EVENTS_PATH, ServeOptions, Server, is_editor_temp};
use notify::{RecursiveMode, Watcher};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rounds = args
        .iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(15usize)
        .max(11);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = std::env::temp_dir().join(format!("kvalitet-serve-bench-{}", std::process::id()));
    let _ = fs::remove_dir_all(&work);

    event_gaps(&work.join("gaps"));

    let sizes: Vec<usize> = match std::env::var("KVALITET_BENCH_N") {
        Ok(list) if list.trim() == "bundled" => vec![0],
        Ok(list) => list
            .split(',')
            .map(|s| {
                s.trim()
                    .parse()
                    .expect("KVALITET_BENCH_N: a comma-separated list of sizes, or bundled")
            })
            .collect(),
        Err(_) => vec![1, 98],
    };
    for n in sizes {
        let dir = work.join(format!("n{n}"));
        let (file, n) = if n == 0 {
            bundled_site(repo, &dir)
        } else {
            (synthetic_site(repo, &dir, n), n)
        };
        measure(&dir, &file, n, rounds);
    }
    let _ = fs::remove_dir_all(&work);
}

/// The seed `build_speed` uses, so both benchmarks measure the same content.
const SEED: u64 = 0x6b76_616c_6974_6574;

/// The synthetic set of `n` municipalities and the theme in `dir`; returns the municipality
/// file the benchmark edits.
fn synthetic_site(repo: &Path, dir: &Path, n: usize) -> PathBuf {
    let content = dir.join("content");
    kvalitet::synthetic::generate(&content, n, SEED).expect("synthetic content");
    copy_dir(&repo.join("themes"), &dir.join("themes"));
    content.join("kommune-001.toml")
}

/// The bundled content and theme copied to `dir`; returns the first municipality file and how
/// many there are.
fn bundled_site(repo: &Path, dir: &Path) -> (PathBuf, usize) {
    let content = dir.join("content");
    fs::create_dir_all(&content).unwrap();
    copy_dir(&repo.join("themes"), &dir.join("themes"));
    let mut files: Vec<PathBuf> = fs::read_dir(repo.join("content"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    for p in &files {
        fs::copy(p, content.join(p.file_name().unwrap())).unwrap();
    }
    let municipalities: Vec<&PathBuf> =
        files.iter().filter(|p| !p.ends_with("site.toml")).collect();
    (
        content.join(municipalities[0].file_name().unwrap()),
        municipalities.len(),
    )
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    kvalitet::output::copy_tree(from, to).unwrap();
}

fn measure(dir: &Path, file: &Path, n: usize, rounds: usize) {
    let mut options = ServeOptions::new(BuildOptions::new(dir.join("content"), dir.join("themes")));
    options.port = 0;
    let server = Server::start(options).expect("server starts");
    let status = server.status();
    assert!(
        status.errors.is_empty(),
        "N={n}: the site must build: {:?}",
        status.errors.first()
    );
    let mut events = open_events(server.addr());
    let original = fs::read_to_string(file).unwrap();
    let mut to_reload = Vec::new();
    let mut rebuild = Vec::new();
    for round in 0..rounds {
        // A visible change on the municipality's pages, as an editor's save would make.
        let edited = original.replacen(
            "summary = \"\"\"\n",
            &format!("summary = \"\"\"\nÆndring {round}. "),
            1,
        );
        let saved = Instant::now();
        fs::write(file, edited).unwrap();
        wait_for_reload(&mut events);
        to_reload.push(ms(saved.elapsed()));
        let status = server.status();
        assert!(status.errors.is_empty(), "N={n}: edit must build");
        rebuild.push(ms(status.last_build));
        // Let the folder settle so saves do not merge.
        std::thread::sleep(Duration::from_millis(60));
    }
    println!(
        "serve N={n} save_to_reload_median={:.1} ms (min {:.1}, max {:.1}, {rounds} saves)",
        median(&mut to_reload),
        to_reload[0],
        to_reload[to_reload.len() - 1]
    );
    println!(
        "serve N={n} rebuild_median={:.1} ms ({} pages)",
        median(&mut rebuild),
        server.status().pages
    );
    server.shutdown();
    // How much of the rebuild is loading and rendering, as opposed to swapping it in.
    let build = BuildOptions::new(dir.join("content"), dir.join("themes"));
    let mut render = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let site = kvalitet::build::render(&build).expect("renders");
        render.push(ms(started.elapsed()));
        drop(site);
    }
    println!(
        "serve N={n} render_only_median={:.1} ms (build::render alone, 5 runs)",
        median(&mut render)
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Sorts `values` and returns the median.
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    }
}

fn open_events(addr: SocketAddr) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(stream, "GET {EVENTS_PATH} HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut reader = BufReader::new(stream);
    // Headers, then the hello event.
    let mut blank_lines = 0;
    while blank_lines < 2 {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 {
            panic!("event stream closed");
        }
        if line.trim().is_empty() {
            blank_lines += 1;
        }
    }
    reader
}

fn wait_for_reload(reader: &mut BufReader<TcpStream>) {
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).expect("reload event in time") == 0 {
            panic!("event stream closed");
        }
        if line.trim_end() == "event: reload" {
            return;
        }
    }
}

/// The largest gap between two file events of one save, and the span from first to last, for
/// the save patterns the watcher must treat as one change. The debounce must exceed the gap.
fn event_gaps(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    let file = dir.join("kommune.toml");
    fs::write(&file, "name = \"x\"\n").unwrap();
    let vim = Command::new("vim")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    type Save = fn(&Path, usize);
    let mut patterns: Vec<(&str, Save)> = vec![
        ("write-in-place", |f, i| {
            fs::write(f, format!("name = \"{i}\"\n")).unwrap()
        }),
        ("rename-over", |f, i| {
            let temp = f.with_file_name(".kommune.toml.tmp");
            fs::write(&temp, format!("name = \"{i}\"\n")).unwrap();
            fs::rename(&temp, f).unwrap();
        }),
        ("delete-recreate", |f, i| {
            fs::remove_file(f).unwrap();
            fs::write(f, format!("name = \"{i}\"\n")).unwrap();
        }),
    ];
    if vim {
        // Real vim with its defaults: probe file 4913, backup by rename, write, fsync, delete.
        patterns.push(("vim", |f, i| {
            let _ = Command::new("vim")
                .args(["-u", "NONE", "-N", "-n", "-es"])
                .arg("-c")
                .arg(format!("call setline(1, 'name = \"{i}\"')"))
                .arg("-c")
                .arg("wq")
                .arg(f)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }));
    }
    for (name, save) in patterns {
        let (tx, rx) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(move |e: notify::Result<notify::Event>| {
            if let Ok(e) = e {
                let _ = tx.send((Instant::now(), e));
            }
        })
        .unwrap();
        watcher.watch(dir, RecursiveMode::Recursive).unwrap();
        let (mut max_gap, mut spans, mut events) = (0f64, Vec::new(), 0usize);
        for i in 0..11 {
            save(&file, i);
            // Everything from one save, then quiet: well past any plausible gap.
            let mut times = Vec::new();
            while let Ok((t, e)) = rx.recv_timeout(Duration::from_millis(150)) {
                // Events the watcher ignores do not delay a rebuild.
                if kvalitet::serve::classify(&e.kind) != kvalitet::serve::Change::Ignored
                    && e.paths.iter().any(|p| !is_editor_temp(p))
                {
                    times.push(t);
                }
                events += 1;
            }
            for pair in times.windows(2) {
                max_gap = max_gap.max(ms(pair[1] - pair[0]));
            }
            if let (Some(first), Some(last)) = (times.first(), times.last()) {
                spans.push(ms(*last - *first));
            }
        }
        let median_span = median(&mut spans);
        let max_span = spans.last().copied().unwrap_or(0.0);
        println!(
            "serve event_gap pattern={name} median_span={median_span:.2} ms max_span={max_span:.2} ms max_gap={max_gap:.2} ms ({events} events in 11 saves)"
        );
    }
}
