//! Full-build speed at national scale: `cargo bench --bench build_speed`.
//!
//! For N = 1, 98 and 980 synthetic municipalities (see `kvalitet::synthetic`) it builds the site
//! into a RAM-backed folder, so that disk writes do not hide the generator's own cost, and prints
//! one line per measurement with `N=<n>`, the figure and its unit, for scripts to compare:
//!
//! ```text
//! build N=98 median_wall=1424.2 ms
//! build N=98 pages_per_s=2634 pages/s
//! ```
//!
//! Peak resident memory is measured in a fresh child process per N (this binary, re-run with
//! `KVALITET_BENCH_RSS_N`), which does one build and reads its own high-water mark, so a large N
//! never inflates a smaller one's figure.
//!
//! The project aims at N = 980 taking at most 10 times as long as N = 98. On a shared host the
//! speed drifts by a third within minutes, so the medians of the two sizes, taken a minute
//! apart, do not compare well. When both sizes run, a last step therefore builds them in turn,
//! in pairs of one N = 98 and one N = 980 build, each after an untimed build of the same size,
//! and prints both medians and the ratios:
//!
//! ```text
//! scaling N=980 median_wall=2301.4 ms (alternating with N=98)
//! scaling N=980 time_ratio=9.84 x (median of the 11 pairwise ratios to N=98)
//! ```
//!
//! `time_ratio` and `cpu_ratio` are medians of the ratios within each pair, which were built
//! seconds apart, every other pair starting with the large size; `memory_ratio` divides the
//! two sizes' peak resident memory measured above.
//!
//! The same pairs are then run as `kvalitet build` commands, as an editor or a national
//! portal's job runs them and as Zola's and Hugo's figures were taken, with the process's start
//! and exit and its first touch of every page of memory:
//!
//! ```text
//! scaling N=980 command_median_wall=915.4 ms (kvalitet build, alternating with N=98)
//! scaling N=980 command_time_ratio=9.57 x (median of the 11 pairwise ratios to N=98)
//! ```
//!
//! `KVALITET_BENCH_N=1,98` limits the sizes, `KVALITET_BENCH_RUNS=10` sets the runs per size
//! and the scaling step's pairs (11 otherwise), `KVALITET_BENCH_DIR=/tmp/x` keeps content and
//! sites there, and `KVALITET_BENCH_RSS_STAGES=1` prints the resident size after each stage
//! instead of the build's peak (and so leaves out `memory_ratio`).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use kvalitet::build::{BuildOptions, build, check_content_with, process_cpu_time};
use kvalitet::check::CheckOptions;
use kvalitet::diagnostic::Diagnostic;
use kvalitet::output::{SiteWriter, write_site};
use kvalitet::pipeline::load_content;
use kvalitet::render::{Theme, render_site, render_site_into};

const SEED: u64 = 0x6b76_616c_6974_6574;
const SIZES: &[usize] = &[1, 98, 980];
/// The sizes the scaling step builds in turn: the aim compares them.
const SCALING: (usize, usize) = (98, 980);
const SCALING_PAIRS: usize = 11;
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

/// `KVALITET_BENCH_DIR` keeps the generated content and sites there for inspection.
fn kept_root() -> Option<PathBuf> {
    std::env::var_os("KVALITET_BENCH_DIR").map(PathBuf::from)
}

fn scratch_root() -> PathBuf {
    if let Some(dir) = kept_root() {
        return dir;
    }
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

fn median_f64(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn rss_mib(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())?;
    Some(kib / 1024.0)
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
    let result = bench_sizes(&root, &sizes, runs_override);
    if kept_root().is_none() {
        let _ = std::fs::remove_dir_all(&root);
    }
    result
}

/// What the scaling step needs from a size's own benchmark, so that it neither generates the
/// content again nor spawns more children for the peak memory.
struct Measured {
    n: usize,
    content: PathBuf,
    pages: usize,
    /// None when the child printed its stages instead (`KVALITET_BENCH_RSS_STAGES`).
    peak_rss_mib: Option<f64>,
}

fn bench_sizes(root: &Path, sizes: &[usize], runs_override: Option<usize>) -> Result<(), String> {
    let (small, large) = SCALING;
    let scaling = sizes.contains(&small) && sizes.contains(&large);
    let mut measured = Vec::with_capacity(sizes.len());
    for &n in sizes {
        let m = bench_size(root, n, runs_override)?;
        // The scaling step builds from the same content, so that stays until the scratch root
        // goes at the end; the other sizes' content goes now, as it lives in RAM.
        if kept_root().is_none() && !(scaling && (n == small || n == large)) {
            let _ = std::fs::remove_dir_all(&m.content);
        }
        measured.push(m);
    }
    let find = |n| measured.iter().find(|m| m.n == n);
    if let (Some(small), Some(large)) = (find(small), find(large)) {
        let pairs = runs_override.unwrap_or(SCALING_PAIRS);
        bench_scaling(root, small, large, pairs)?;
    }
    Ok(())
}

/// One timed full build: its wall and CPU time.
fn timed_build(options: &BuildOptions, output: &Path) -> Result<(Duration, Duration), String> {
    let (started, cpu) = (Instant::now(), process_cpu_time());
    let done = build(options, output).map_err(|e| diagnostics(&e))?;
    let times = (started.elapsed(), process_cpu_time().saturating_sub(cpu));
    // `kvalitet build` exits here without freeing the content (see build::Built); the
    // benchmark frees it outside the timed part so that the runs do not pile up memory.
    drop(done);
    Ok(times)
}

fn bench_size(root: &Path, n: usize, runs_override: Option<usize>) -> Result<Measured, String> {
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
    let mut cpus = Vec::with_capacity(runs);
    for _ in 0..runs {
        let (wall, cpu) = timed_build(&options, &output)?;
        walls.push(wall);
        cpus.push(cpu);
    }
    let wall = median(&mut walls);
    let secs = wall.as_secs_f64();
    println!("build N={n} runs={runs}");
    println!("build N={n} pages={pages} pages");
    println!("build N={n} html_size={:.1} MiB", bytes as f64 / MIB);
    println!("build N={n} median_wall={:.1} ms", ms(wall));
    println!("build N={n} min_wall={:.1} ms", ms(walls[0]));
    println!("build N={n} median_cpu={:.0} ms", ms(median(&mut cpus)));
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
    let static_dir = theme.statics();
    for _ in 0..runs {
        let started = Instant::now();
        write_site(&output, &rendered, Some(&static_dir)).map_err(|e| e.0)?;
        writes.push(started.elapsed());
    }
    let mut checks = Vec::with_capacity(runs);
    let check_options = CheckOptions::for_site(&loaded.site);
    for _ in 0..runs {
        let started = Instant::now();
        let report = check_content_with(&loaded, &check_options);
        checks.push(started.elapsed());
        drop(report);
    }
    println!("load N={n} median_wall={:.1} ms", ms(median(&mut loads)));
    println!(
        "render N={n} median_wall={:.1} ms",
        ms(median(&mut renders))
    );
    println!("write N={n} median_wall={:.1} ms", ms(median(&mut writes)));
    println!("check N={n} median_wall={:.1} ms", ms(median(&mut checks)));
    drop(rendered);
    drop(loaded);

    let mut streams = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        stream_build(&content, &output)?;
        streams.push(started.elapsed());
    }
    println!(
        "stream N={n} median_wall={:.1} ms",
        ms(median(&mut streams))
    );

    let exe = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    let mut peak_rss_mib = None;
    for mode in ["build", "stream"] {
        let child = Command::new(&exe)
            .env(RSS_ENV, n.to_string())
            .env("KVALITET_BENCH_MODE", mode)
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
        let stdout = String::from_utf8_lossy(&child.stdout);
        print!("{stdout}");
        if mode == "build" {
            peak_rss_mib = peak_rss(&stdout);
        }
    }
    if kept_root().is_none() {
        let _ = std::fs::remove_dir_all(root.join(format!("rss-site-{n}")));
        let _ = std::fs::remove_dir_all(&output);
    }
    Ok(Measured {
        n,
        content,
        pages,
        peak_rss_mib,
    })
}

/// The figure of the child's `peak_rss=` line, as `rss_child` prints it.
fn peak_rss(stdout: &str) -> Option<f64> {
    stdout.lines().find_map(|line| {
        let figure = line.split_once("peak_rss=")?.1;
        figure.split_whitespace().next()?.parse().ok()
    })
}

/// The two sizes built in turn, so that the host's drift weighs on both alike: each pair's
/// builds are seconds apart, where the sizes' own runs are a minute or more apart. Each timed
/// build follows an untimed one of its own size.
fn bench_scaling(
    root: &Path,
    small: &Measured,
    large: &Measured,
    pairs: usize,
) -> Result<(), String> {
    let sizes = [small, large];
    let options = sizes.map(|m| BuildOptions::new(&m.content, themes()));
    // The sizes' own runs may have removed their sites to spare RAM; the warm-up builds write
    // them again, so that the timed builds write over a kept site as those runs' builds did.
    let outputs = sizes.map(|m| root.join(format!("site-{}", m.n)));
    for (options, output) in options.iter().zip(&outputs) {
        timed_build(options, output)?;
    }
    let times = in_pairs(pairs, |i| timed_build(&options[i], &outputs[i]))?;
    let mut walls = times
        .each_ref()
        .map(|t| t.iter().map(|&(wall, _)| wall).collect());
    let mut cpus = times
        .each_ref()
        .map(|t| t.iter().map(|&(_, cpu)| cpu).collect());
    let (time_ratio, cpu_ratio) = (median_ratio(&walls), median_ratio(&cpus));
    let (s, l) = (small.n, large.n);
    println!("scaling N={l} runs={pairs} (pairs with N={s})");
    for (i, (n, other)) in [(s, l), (l, s)].into_iter().enumerate() {
        println!(
            "scaling N={n} median_wall={:.1} ms (alternating with N={other})",
            ms(median(&mut walls[i]))
        );
        println!(
            "scaling N={n} median_cpu={:.0} ms (alternating with N={other})",
            ms(median(&mut cpus[i]))
        );
    }
    println!(
        "scaling N={l} page_ratio={:.2} x (pages of N={l} over N={s})",
        large.pages as f64 / small.pages as f64
    );
    println!(
        "scaling N={l} time_ratio={time_ratio:.2} x (median of the {pairs} pairwise ratios to N={s})"
    );
    println!(
        "scaling N={l} cpu_ratio={cpu_ratio:.2} x (median of the {pairs} pairwise ratios to N={s})"
    );
    if let (Some(s_rss), Some(l_rss)) = (small.peak_rss_mib, large.peak_rss_mib) {
        println!(
            "scaling N={l} memory_ratio={:.2} x (peak RSS of a build over that of N={s})",
            l_rss / s_rss
        );
    }
    bench_scaling_commands(root, sizes, pairs)
}

/// The pairs of [`bench_scaling`] again, each build a `kvalitet build` process timed from
/// spawn to exit, each after an untimed one of its size.
fn bench_scaling_commands(root: &Path, sizes: [&Measured; 2], pairs: usize) -> Result<(), String> {
    // The sites the in-process pairs kept, so that each command writes over one as well.
    let outputs = sizes.map(|m| root.join(format!("site-{}", m.n)));
    let build = |i: usize| -> Result<Duration, String> {
        let started = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_kvalitet"))
            .arg("build")
            .arg("--content")
            .arg(&sizes[i].content)
            .arg("--output")
            .arg(&outputs[i])
            .arg("--themes")
            .arg(themes())
            .output()
            .map_err(|e| format!("kvalitet build: {e}"))?;
        let wall = started.elapsed();
        if !out.status.success() {
            return Err(format!(
                "kvalitet build N={}: {}",
                sizes[i].n,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(wall)
    };
    for i in 0..2 {
        build(i)?;
    }
    let mut walls = in_pairs(pairs, build)?;
    let ratio = median_ratio(&walls);
    let (s, l) = (sizes[0].n, sizes[1].n);
    for (i, (n, other)) in [(s, l), (l, s)].into_iter().enumerate() {
        let wall = median(&mut walls[i]);
        println!(
            "scaling N={n} command_median_wall={:.1} ms (kvalitet build, alternating with N={other})",
            ms(wall)
        );
        println!(
            "scaling N={n} command_pages_per_s={:.0} pages/s (kvalitet build)",
            sizes[i].pages as f64 / wall.as_secs_f64()
        );
    }
    println!(
        "scaling N={l} command_time_ratio={ratio:.2} x (median of the {pairs} pairwise ratios to N={s})"
    );
    Ok(())
}

/// Runs `timed(i)` for the small (0) and the large (1) size in turn, `pairs` times, and gives
/// each size's results.
fn in_pairs<T>(
    pairs: usize,
    mut timed: impl FnMut(usize) -> Result<T, String>,
) -> Result<[Vec<T>; 2], String> {
    let mut results = [Vec::with_capacity(pairs), Vec::with_capacity(pairs)];
    for pair in 0..pairs {
        // Every other pair starts with the large size, so that a host slowing down (or speeding
        // up) steadily within a pair favours neither size.
        let order = if pair % 2 == 0 { [0, 1] } else { [1, 0] };
        for i in order {
            // A build just after one of the other size finds the allocator's heap and the
            // caches as that size left them: an N = 98 build after an N = 980 one took about
            // 15 % longer. One untimed build first gives the steady state of the size's own
            // runs, where each build follows one of the same size, as when an editor builds
            // again.
            timed(i)?;
            results[i].push(timed(i)?);
        }
    }
    Ok(results)
}

/// The median of the pairs' ratios of the large size's time to the small size's.
fn median_ratio(times: &[Vec<Duration>; 2]) -> f64 {
    let mut ratios: Vec<f64> = times[1]
        .iter()
        .zip(&times[0])
        .map(|(l, s)| l.as_secs_f64() / s.as_secs_f64())
        .collect();
    median_f64(&mut ratios)
}

/// In the child: one full build, as `kvalitet build` does it, then the process's peak RSS.
fn rss_child(n: &str) -> Result<(), String> {
    let content = std::env::var("KVALITET_BENCH_CONTENT").map_err(|e| e.to_string())?;
    let output = std::env::var("KVALITET_BENCH_OUTPUT").map_err(|e| e.to_string())?;
    let mode = std::env::var("KVALITET_BENCH_MODE").unwrap_or_else(|_| "build".to_string());
    if mode == "build" && std::env::var_os("KVALITET_BENCH_RSS_STAGES").is_some() {
        // Diagnosis only: the resident size after each stage, with earlier results kept.
        let rss = |stage: &str| {
            let now = rss_mib("VmRSS:").unwrap_or(0.0);
            let peak = rss_mib("VmHWM:").unwrap_or(0.0);
            println!("stage N={n} after_{stage}: rss={now:.1} MiB peak={peak:.1} MiB");
        };
        let content = load_content(Path::new(&content)).map_err(|e| diagnostics(&e))?;
        rss("load");
        let theme = Theme::load(&themes(), "default").map_err(|e| diagnostics(&e))?;
        let pages = render_site(&content, &theme).map_err(|e| diagnostics(&e))?;
        rss("render");
        write_site(Path::new(&output), &pages, Some(&theme.statics())).map_err(|e| e.0)?;
        rss("write");
        drop(pages);
        let report = check_content_with(&content, &CheckOptions::for_site(&content.site));
        drop(report);
        rss("check");
        return Ok(());
    }
    if mode == "stream" {
        stream_build(Path::new(&content), Path::new(&output))?;
    } else {
        let options = BuildOptions::new(content, themes());
        build(&options, Path::new(&output)).map_err(|e| diagnostics(&e))?;
    }
    let peak = rss_mib("VmHWM:").ok_or("no VmHWM in /proc/self/status")?;
    println!("{mode} N={n} peak_rss={peak:.1} MiB");
    Ok(())
}

/// Load, render and write with each page written as soon as it is rendered
/// (`render_site_into`), without the check: what a build costs when it does not hold the
/// whole site in memory.
fn stream_build(content: &Path, output: &Path) -> Result<(), String> {
    let content = load_content(content).map_err(|e| diagnostics(&e))?;
    let theme = Theme::load(&themes(), &content.site.theme).map_err(|e| diagnostics(&e))?;
    let writer = SiteWriter::begin(output, Some(&theme.statics())).map_err(|e| e.0)?;
    render_site_into(&content, &theme, &writer).map_err(|e| diagnostics(&e))?;
    writer.finish().map_err(|e| e.0)?;
    Ok(())
}
