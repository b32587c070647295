//! The live update in a real headless Chromium (`tests/browser/live_update.mjs`): a save shows
//! in the open page in place, a broken save shows the banner until fixed, a style change loads
//! the page again. Skipped, with a line saying so, where node or Chromium is missing; the
//! npm packages are installed as `tests/browser/run.sh` does.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::Fixture;

/// Node 20+, Chromium and the npm packages, or why the test cannot run here.
fn browser_ready(dir: &Path) -> Result<(), String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        return Err(format!("no Chromium at {chromium}"));
    }
    let major = Command::new("node")
        .args(["-p", "process.versions.node.split('.')[0]"])
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .trim()
                .parse::<u32>()
                .ok()
        });
    if major.is_none_or(|m| m < 20) {
        return Err("node 20 or newer is missing".into());
    }
    if !dir.join("node_modules/playwright-core").is_dir() {
        let ok = Command::new("npm")
            .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
            .args(["--loglevel=error"])
            .current_dir(dir)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return Err("npm ci in tests/browser failed".into());
        }
    }
    Ok(())
}

#[test]
fn the_open_page_updates_in_place_shows_errors_and_reloads_for_styles() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    if let Err(why) = browser_ready(&dir) {
        // ./test.sh installs the browser first and sets this: there, missing is a failure.
        if std::env::var_os("KVALITET_REQUIRE_BROWSER").is_some() {
            panic!("the browser test cannot run: {why}");
        }
        eprintln!("skipped: {why}");
        return;
    }
    let fx = Fixture::bundled();
    let server = fx.start();
    let mut child = Command::new("node")
        .arg(dir.join("live_update.mjs"))
        .arg("--url")
        .arg(format!("{}odsherred/", server.url()))
        .arg("--file")
        .arg(fx.file("odsherred.toml"))
        .arg("--css")
        .arg(fx.themes().join("default/static/style.css"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node starts");
    let deadline = Instant::now() + Duration::from_secs(90);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("all passed"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    server.shutdown();
}
