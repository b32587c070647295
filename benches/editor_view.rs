//! What the editor waits for: `kvalitet serve` (the real binary) on a copy of the content, a
//! municipality's front page open in a real headless Chromium, the municipality's file saved,
//! and the time from just before the save to the first frame that shows the new sentence with
//! the page settled (see `tests/browser/editor_view.mjs`, which drives the browser and writes
//! the file). Saved both in place and by writing a temp file and renaming it over the real one.
//!
//! Sizes: `N=1` (site.toml and odsherred.toml from `content/`), `N=5` (all of `content/`, the
//! bundled site) and `N=98` (the synthetic set of `build_speed` and `serve_latency`).
//!
//! Run: `cargo bench --bench editor_view` (`-- --rounds 21` for more saves per line;
//! `KVALITET_BENCH_N=1,98` picks sizes). Needs node 20+ and /usr/bin/chromium (or `CHROMIUM`);
//! without them it prints a skip line and exits 0. The npm packages are installed with
//! `npm ci` in tests/browser when missing, as tests/browser/run.sh does.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

/// The seed `build_speed` and `serve_latency` use, so the benchmarks measure the same content.
const SEED: u64 = 0x6b76_616c_6974_6574;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rounds = args
        .iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(12usize)
        .max(10);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = repo.join("tests/browser");
    if let Err(why) = ready(&browser_dir) {
        println!("editor skipped: {why}");
        return;
    }
    let sizes: Vec<usize> = match std::env::var("KVALITET_BENCH_N") {
        Ok(list) => list
            .split(',')
            .map(|s| {
                s.trim()
                    .parse()
                    .expect("KVALITET_BENCH_N: sizes such as 1,5,98")
            })
            .collect(),
        Err(_) => vec![1, 5, 98],
    };
    let work = tempfile::tempdir().expect("temp folder");
    for n in sizes {
        let dir = work.path().join(format!("n{n}"));
        let (file, slug) = site(repo, &dir, n);
        measure(&browser_dir, &dir, &file, &slug, n, rounds);
    }
}

/// Node 20+, Chromium and the npm packages, or why not.
fn ready(browser_dir: &Path) -> Result<(), String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        return Err(format!(
            "no Chromium at {chromium} (apt-get install chromium)"
        ));
    }
    let node = Command::new("node")
        .args(["-p", "process.versions.node.split('.')[0]"])
        .output()
        .map_err(|_| "node is not installed".to_string())?;
    let major: u32 = String::from_utf8_lossy(&node.stdout)
        .trim()
        .parse()
        .unwrap_or(0);
    if major < 20 {
        return Err("node 20 or newer is needed".into());
    }
    if !browser_dir.join("node_modules/playwright-core").is_dir() {
        let status = Command::new("npm")
            .args([
                "ci",
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
            ])
            .current_dir(browser_dir)
            .status();
        if !status.is_ok_and(|s| s.success()) {
            return Err("npm ci in tests/browser failed".into());
        }
    }
    Ok(())
}

/// The content and theme for size `n` in `dir`; returns the file to edit and its page's slug.
fn site(repo: &Path, dir: &Path, n: usize) -> (PathBuf, String) {
    let content = dir.join("content");
    fs::create_dir_all(&content).unwrap();
    fs::create_dir_all(dir.join("themes")).unwrap();
    kvalitet::output::copy_tree(&repo.join("themes"), &dir.join("themes")).unwrap();
    match n {
        1 => {
            for name in ["site.toml", "odsherred.toml"] {
                fs::copy(repo.join("content").join(name), content.join(name)).unwrap();
            }
            (content.join("odsherred.toml"), "odsherred".into())
        }
        5 => {
            kvalitet::output::copy_tree(&repo.join("content"), &content).unwrap();
            (content.join("odsherred.toml"), "odsherred".into())
        }
        n => {
            fs::remove_dir_all(&content).unwrap();
            kvalitet::synthetic::generate(&content, n, SEED).expect("synthetic content");
            (content.join("kommune-001.toml"), "kommune-001".into())
        }
    }
}

/// The preview server as the editor runs it; killed when dropped.
struct Serve {
    child: Child,
    /// "Bygget på N ms" lines after the first build, in ms.
    builds: Arc<Mutex<Vec<f64>>>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &Path) -> (Serve, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kvalitet"))
        .arg("serve")
        .arg("--content")
        .arg(dir.join("content"))
        .arg("--themes")
        .arg(dir.join("themes"))
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("kvalitet serve starts");
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let builds = Arc::new(Mutex::new(Vec::new()));
    let (tx, rx) = mpsc::channel();
    {
        let builds = builds.clone();
        std::thread::spawn(move || {
            let mut started = false;
            for line in stdout.lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("Forhåndsvisningen kører på ") {
                    let _ = tx.send(url.trim().to_string());
                    started = true;
                } else if started
                    && let Some(ms) = line
                        .strip_prefix("Bygget på ")
                        .and_then(|r| r.split(' ').next())
                        .and_then(|ms| ms.parse().ok())
                {
                    builds.lock().unwrap().push(ms);
                }
            }
        });
    }
    let serve = Serve { child, builds };
    let url = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("kvalitet serve prints its address");
    (serve, url)
}

fn measure(browser_dir: &Path, dir: &Path, file: &Path, slug: &str, n: usize, rounds: usize) {
    let (serve, url) = start(dir);
    let out = Command::new("node")
        .arg(browser_dir.join("editor_view.mjs"))
        .arg("--url")
        .arg(format!("{url}{slug}/"))
        .arg("--file")
        .arg(file)
        .arg("--rounds")
        .arg(rounds.to_string())
        .stderr(Stdio::inherit())
        .output()
        .expect("node runs");
    let builds = serve.builds.lock().unwrap().clone();
    drop(serve);
    if !out.status.success() {
        println!("editor N={n} failed: see the error above");
        return;
    }
    let result: Value = serde_json::from_slice(&out.stdout).expect("editor_view.mjs prints JSON");
    let clock = &result["clock"];
    println!(
        "editor N={n} clock_offset={:.2} ms (page clock minus bench clock, read within {:.2} ms)",
        clock["offset"].as_f64().unwrap_or(f64::NAN),
        clock["window"].as_f64().unwrap_or(f64::NAN)
    );
    for (mode, data) in result["modes"].as_object().into_iter().flatten() {
        let samples = data["samples"].as_array().cloned().unwrap_or_default();
        let column = |key: &str| -> Vec<f64> {
            samples
                .iter()
                .filter_map(|s| s[key].as_f64())
                .collect::<Vec<_>>()
        };
        let mut visible = column("visible");
        let (med, min, max) = stats(&mut visible);
        println!(
            "editor N={n} save_to_visible_median={med:.1} ms (min {min:.1}, max {max:.1}, {} saves, {mode})",
            visible.len()
        );
        // Where the time went: medians of each stamp, from the save.
        let mut parts = Vec::new();
        for (key, label) in [
            ("event", "reload_event"),
            ("html_start", "page_request"),
            ("html_end", "page_received"),
            ("text", "text_in_dom"),
            ("load", "load"),
            ("visible", "visible"),
        ] {
            let mut v = column(key);
            if !v.is_empty() {
                parts.push(format!("{label}={:.1} ms", stats(&mut v).0));
            }
        }
        let css = samples
            .iter()
            .filter(|s| s["css"].as_array().is_some_and(|c| !c.is_empty()))
            .count();
        let kept = samples
            .iter()
            .filter(|s| s["scroll_y"].as_f64() == Some(300.0))
            .count();
        println!(
            "editor N={n} {mode} medians from save: {} ({css} of {} saves fetched style sheets again, scroll kept in {kept})",
            parts.join(" "),
            samples.len()
        );
    }
    let mut builds = builds;
    if !builds.is_empty() {
        let (med, min, max) = stats(&mut builds);
        println!(
            "editor N={n} server_build_median={med:.0} ms (min {min:.0}, max {max:.0}, {} builds, whole ms as the server logs them)",
            builds.len()
        );
    }
}

/// Median, min and max; sorts `values`.
fn stats(values: &mut [f64]) -> (f64, f64, f64) {
    if values.is_empty() {
        return (f64::NAN, f64::NAN, f64::NAN);
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    let median = if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    };
    (median, values[0], values[values.len() - 1])
}
