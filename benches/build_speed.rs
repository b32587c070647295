//! Full-build speed at national scale: `cargo bench --bench build_speed`.
//!
//! For N = 1, 98 and 980 synthetic municipalities (see `kvalitet::synthetic`) it builds the site
//! into a RAM-backed folder, so that disk writes do not hide the generator's own cost, and prints
//! one line per measurement with `N=<n>`, the figure and its unit, for scripts to compare:
//!
//! ```text
//! build N=98 median_wall=61.2 ms
//! build N=98 pages_per_s=22450 pages/s
//! ```
//!
//! Peak resident memory is measured in a fresh child process per N (this binary, re-run with
//! `KVALITET_BENCH_RSS_N`), which does one build and reads its own high-water mark, so a large N
//! never inflates a smaller one's figure.
//!
//! `KVALITET_BENCH_N=1,98` limits the sizes, `KVALITET_BENCH_RUNS=10` sets the runs per size.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use kvalitet::build::{BuildOptions, build};
use kvalitet::diagnostic::Diagnostic;
use kvalitet::load::load_content;
use kvalitet::output::write_site;
use kvalitet::render::{Theme, render_site};

const SEED: u64 = 0x6b76_616c_6974_6574;
const SIZES: &[usize] = &[1, 98, 980];
const RSS_ENV: &str = "KVALITET_BENCH_RSS_N";
const MIB: f64 = 1024.0 * 1024.0;

fn main() -> ExitCode {
    let result = match std::env::var(RSS_ENV) {
        Ok(n) => rss_child(&n),
        Err(_) => run(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("build_speed: {e}");
            ExitCode::FAILURE
        }
    }
}

fn scratch_root() -> PathBuf {
    let shm = Path::new("/dev/shm");
    let base = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    base.join(format!("kvalitet-bench-{}", std::process::id()))
}

fn themes() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("themes")
}

fn content_dir(root: &Path, n: usize) -> PathBuf {
    root.join(format!("content-{n}"))
}

fn diagnostics(errors: &[Diagnostic]) -> String {
    errors
        .iter()
        .map(|d| format!("{}: {}", d.file.display(), d.message))
        .collect::<Vec<_>>()
        .join("\n")
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn run() -> Result<(), String> {
    let sizes: Vec<usize> = match std::env::var("KVALITET_BENCH_N") {
        Ok(list) => list
            .split(',')
            .map(|s| {
                s.trim()
                    .parse()
                    .map_err(|e| format!("KVALITET_BENCH_N: {e}"))
            })
            .collect::<Result<_, _>>()?,
        Err(_) => SIZES.to_vec(),
    };
    let runs_override: Option<usize> = std::env::var("KVALITET_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok());
    let root = scratch_root();
    let result = sizes
        .iter()
        .try_for_each(|&n| bench_size(&root, n, runs_override));
    let _ = std::fs::remove_dir_all(&root);
    result
}

fn bench_size(root: &Path, n: usize, runs_override: Option<usize>) -> Result<(), String> {
    let content = content_dir(root, n);
    kvalitet::synthetic::generate(&content, n, SEED).map_err(|e| format!("generate N={n}: {e}"))?;
    let output = root.join(format!("site-{n}"));
    let options = BuildOptions::new(&content, themes());
    // Small sizes run more often: their medians are otherwise noisy.
    let runs = runs_override.unwrap_or(match n {
        0..=10 => 30,
        11..=200 => 10,
        _ => 5,
    });

    // One warm-up build: page cache, allocator and thread pool as in steady use.
    let report = build(&options, &output).map_err(|e| diagnostics(&e))?;
    let (pages, bytes) = (report.stats.pages, report.stats.bytes);
    let mut walls = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        build(&options, &output).map_err(|e| diagnostics(&e))?;
        walls.push(started.elapsed());
    }
    let wall = median(&mut walls);
    let secs = wall.as_secs_f64();
    println!("build N={n} runs={runs}");
    println!("build N={n} pages={pages} pages");
    println!("build N={n} html_size={:.1} MiB", bytes as f64 / MIB);
    println!("build N={n} median_wall={:.1} ms", ms(wall));
    println!("build N={n} min_wall={:.1} ms", ms(walls[0]));
    println!("build N={n} pages_per_s={:.0} pages/s", pages as f64 / secs);
    println!(
        "build N={n} html_throughput={:.1} MiB/s",
        bytes as f64 / MIB / secs
    );

    // Where the time goes: each stage alone, with the earlier stages' results kept.
    let mut loads = Vec::with_capacity(runs);
    let mut loaded = None;
    for _ in 0..runs {
        let started = Instant::now();
        let c = load_content(&content).map_err(|e| diagnostics(&e))?;
        loads.push(started.elapsed());
        loaded = Some(c);
    }
    let loaded = loaded.ok_or("no runs")?;
    let theme = Theme::load(&themes(), "default").map_err(|e| diagnostics(&e))?;
    let mut renders = Vec::with_capacity(runs);
    let mut rendered = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        rendered = render_site(&loaded, &theme).map_err(|e| diagnostics(&e))?;
        renders.push(started.elapsed());
    }
    let mut writes = Vec::with_capacity(runs);
    let static_dir = theme.static_dir();
    for _ in 0..runs {
        let started = Instant::now();
        write_site(&output, &rendered, Some(&static_dir)).map_err(|e| e.0)?;
        writes.push(started.elapsed());
    }
    println!("load N={n} median_wall={:.1} ms", ms(median(&mut loads)));
    println!(
        "render N={n} median_wall={:.1} ms",
        ms(median(&mut renders))
    );
    println!("write N={n} median_wall={:.1} ms", ms(median(&mut writes)));
    drop(rendered);
    drop(loaded);
    let _ = std::fs::remove_dir_all(&output);

    let exe = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    let child = Command::new(exe)
        .env(RSS_ENV, n.to_string())
        .env("KVALITET_BENCH_CONTENT", &content)
        .env("KVALITET_BENCH_OUTPUT", root.join(format!("rss-site-{n}")))
        .output()
        .map_err(|e| format!("child for N={n}: {e}"))?;
    if !child.status.success() {
        return Err(format!(
            "child for N={n} failed: {}",
            String::from_utf8_lossy(&child.stderr)
        ));
    }
    print!("{}", String::from_utf8_lossy(&child.stdout));
    let _ = std::fs::remove_dir_all(root.join(format!("rss-site-{n}")));
    let _ = std::fs::remove_dir_all(&content);
    Ok(())
}

/// In the child: one full build, as `kvalitet build` does it, then the process's peak RSS.
fn rss_child(n: &str) -> Result<(), String> {
    let content = std::env::var("KVALITET_BENCH_CONTENT").map_err(|e| e.to_string())?;
    let output = std::env::var("KVALITET_BENCH_OUTPUT").map_err(|e| e.to_string())?;
    let options = BuildOptions::new(content, themes());
    build(&options, Path::new(&output)).map_err(|e| diagnostics(&e))?;
    let status = std::fs::read_to_string("/proc/self/status")
        .map_err(|e| format!("/proc/self/status: {e}"))?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or("no VmHWM in /proc/self/status")?;
    println!("build N={n} peak_rss={:.1} MiB", kib / 1024.0);
    Ok(())
}
