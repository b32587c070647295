//! `kvalitet build` killed mid-build (SIGKILL: no handler runs) leaves the last good site, and
//! the next build removes whatever the killed one left beside it.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::fixture::{Fixture, names_in, tree};

/// Enough municipalities that a debug build takes a while to kill into.
const MUNICIPALITIES: usize = 40;

fn build(content: &Path, output: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kvalitet"));
    command
        .arg("build")
        .arg("--content")
        .arg(content)
        .arg("--themes")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes"))
        .arg("--output")
        .arg(output)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

fn build_ok(content: &Path, output: &Path) -> Duration {
    let started = Instant::now();
    let status = build(content, output).status().unwrap();
    assert!(status.success(), "build into {}", output.display());
    started.elapsed()
}

#[test]
fn a_killed_build_leaves_the_last_site_and_the_next_build_cleans_up() {
    let scratch = Fixture::empty();
    let content = scratch.root().join("content");
    kvalitet::synthetic::generate(&content, MUNICIPALITIES, 7).unwrap();
    let reference = scratch.root().join("reference");
    fs::create_dir_all(&reference).unwrap();
    let first = build_ok(&content, &reference.join("site"));
    let expected = tree(&reference.join("site"));
    assert!(expected.len() > 100, "a large site: {}", expected.len());

    let parent = scratch.root().join("published");
    fs::create_dir_all(&parent).unwrap();
    let target = parent.join("site");
    // The quicker of two builds, so that the kills land inside a build on a busy machine too.
    let took = build_ok(&content, &target).min(first);
    let mut left_something = 0;
    for percent in [5, 20, 40, 60, 80, 95] {
        let mut child = build(&content, &target).spawn().unwrap();
        std::thread::sleep(took * percent / 100);
        // SIGKILL: the build gets no chance to clean up.
        let _ = child.kill();
        child.wait().unwrap();
        if names_in(&parent) != ["site"] {
            left_something += 1;
        }
        // The last good site is there, whole, whatever moment the build died at (a build
        // killed between the two renames of its swap is put back by the next one).
        if target.exists() {
            assert_eq!(tree(&target), expected, "killed at {percent} %");
        }
    }
    assert!(
        left_something > 0,
        "no kill landed mid-build, so the test proved nothing"
    );
    build_ok(&content, &target);
    assert_eq!(
        names_in(&parent),
        ["site"],
        "no leftovers beside the output"
    );
    assert_eq!(tree(&target), expected, "the complete site");
}
