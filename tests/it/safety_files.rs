//! Hostile or careless files in `content/` and `themes/`: errors come fast and short, and
//! nothing outside those folders is ever read through a link.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kvalitet::pipeline::load_content;
use kvalitet::render::Theme;

use crate::fixture::Fixture;

/// Written into files outside the site; it must never appear in any message.
const SECRET: &str = "HEMMELIG-7f3a";

/// A copy of the real `content/` and `themes/`, with a secret file beside them; removed when
/// dropped.
struct Site {
    fixture: Fixture,
}

impl Site {
    fn new() -> Self {
        let fixture = Fixture::bundled();
        // A file outside both folders, as /etc/passwd would be.
        std::fs::write(
            fixture.root().join("secret.txt"),
            format!("{SECRET} = \"root:x:0:0\"\n"),
        )
        .unwrap();
        Site { fixture }
    }

    fn content(&self) -> PathBuf {
        self.fixture.content()
    }

    fn themes(&self) -> PathBuf {
        self.fixture.themes()
    }

    fn secret(&self) -> PathBuf {
        self.fixture.root().join("secret.txt")
    }

    fn write(&self, name: &str, text: impl AsRef<[u8]>) {
        std::fs::write(self.content().join(name), text).unwrap();
    }

    /// Runs the real binary with `args` in the site's folder, killed after `limit`.
    fn run(&self, args: &[&str], limit: Duration) -> Run {
        let started = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_kvalitet"))
            .args(args)
            .current_dir(self.fixture.root())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let out = std::thread::spawn(move || {
            let mut s = Vec::new();
            let _ = stdout.read_to_end(&mut s);
            s
        });
        let err = std::thread::spawn(move || {
            let mut s = Vec::new();
            let _ = stderr.read_to_end(&mut s);
            s
        });
        let mut finished = None;
        while started.elapsed() < limit {
            if let Some(status) = child.try_wait().unwrap() {
                finished = Some(status.code());
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        if finished.is_none() {
            let _ = child.kill();
        }
        let _ = child.wait();
        Run {
            code: finished.flatten(),
            timed_out: finished.is_none(),
            elapsed: started.elapsed(),
            stdout: String::from_utf8_lossy(&out.join().unwrap()).into_owned(),
            stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
        }
    }
}

#[derive(Debug)]
struct Run {
    code: Option<i32>,
    timed_out: bool,
    elapsed: Duration,
    stdout: String,
    stderr: String,
}

/// Every message of a failed load, as an editor reads them.
fn load_errors(content: &Path) -> String {
    match load_content(content) {
        Ok(_) => panic!("{} loaded, but should not", content.display()),
        Err(d) => kvalitet::diagnostic::report(&d),
    }
}

/// Debug builds are several times slower than release; linear work on these files takes well
/// under a second in release, the quadratic work took minutes.
const GENEROUS: Duration = Duration::from_secs(5);

#[test]
fn a_file_of_64000_broken_lines_is_checked_in_linear_time_with_a_short_report() {
    let site = Site::new();
    site.write("zz.toml", "x\n".repeat(64_000));
    let run = site.run(&["check"], GENEROUS * 2);
    assert!(!run.timed_out, "check took over {:?}", run.elapsed);
    assert!(run.elapsed < GENEROUS, "check took {:?}", run.elapsed);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    // 20 errors are shown, then how many more there are.
    assert_eq!(run.stderr.matches("zz.toml:").count(), 20, "{}", run.stderr);
    assert!(
        run.stderr.contains("… og 63980 fejl mere i denne fil"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("64000 fejl og 0 advarsler"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.len() < 8_000, "{} bytes", run.stderr.len());
}

#[test]
fn sixteen_megabytes_of_junk_is_reported_quickly() {
    let site = Site::new();
    let mut junk = String::with_capacity(16 << 20);
    let mut i: u32 = 0;
    while junk.len() < 16 << 20 {
        i = i.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        junk.push(match i >> 28 {
            0 => '\n',
            1 => '=',
            2 => '[',
            3 => '"',
            _ => 'q',
        });
    }
    site.write("zz.toml", junk);
    let run = site.run(&["check"], GENEROUS * 2);
    assert!(!run.timed_out, "check took over {:?}", run.elapsed);
    assert!(run.elapsed < GENEROUS, "check took {:?}", run.elapsed);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.len() < 16_000, "{} bytes", run.stderr.len());
}

#[test]
fn a_megabyte_line_is_shown_as_an_excerpt_around_the_error() {
    let site = Site::new();
    let long = "a".repeat(1 << 20);
    site.write("zz.toml", format!("title = \"{long}\" {long}\n"));
    let run = site.run(&["check"], GENEROUS * 2);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.len() < 2_000, "{} bytes", run.stderr.len());
    // The excerpt shows where the error is and marks what was cut.
    let shown = run
        .stderr
        .lines()
        .find(|l| l.contains("\" a"))
        .unwrap_or_else(|| panic!("no excerpt around the error: {}", run.stderr));
    assert!(shown.contains('…'), "{shown}");
    assert!(
        run.stderr.contains(&format!(":1:{}", long.len() + 12)),
        "{}",
        run.stderr
    );
}

#[test]
fn the_caret_points_at_the_error_inside_an_excerpt() {
    let site = Site::new();
    let long = "a".repeat(500);
    site.write("zz.toml", format!("title = \"{long}\" !oops\n"));
    let run = site.run(&["check"], GENEROUS * 2);
    let lines: Vec<&str> = run.stderr.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("\" !oops"))
        .unwrap_or_else(|| panic!("no excerpt: {}", run.stderr));
    // Counted in characters: a terminal shows "…" one column wide.
    let caret = lines[at + 1]
        .chars()
        .position(|c| c == '^')
        .expect("a caret under the excerpt");
    assert_eq!(lines[at].chars().nth(caret), Some('!'), "{}", run.stderr);
}

#[test]
fn a_file_with_old_mac_line_endings_loads() {
    let site = Site::new();
    let text = std::fs::read_to_string(site.content().join("holbaek.toml")).unwrap();
    site.write(
        "holbaek.toml",
        text.replace("\r\n", "\n").replace('\n', "\r"),
    );
    let content = load_content(&site.content()).unwrap_or_else(|d| {
        panic!("{}", kvalitet::diagnostic::report(&d));
    });
    assert!(content.municipalities.iter().any(|m| m.slug == "holbaek"));
}

#[test]
fn an_error_in_a_file_with_old_mac_line_endings_shows_one_line() {
    let site = Site::new();
    let text = std::fs::read_to_string(site.content().join("holbaek.toml")).unwrap();
    let broken = text.replace("[guarantee]", "[guarantee]\nthis is broken");
    site.write(
        "holbaek.toml",
        broken.replace("\r\n", "\n").replace('\n', "\r"),
    );
    let run = site.run(&["check"], GENEROUS * 2);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.len() < 2_000,
        "{} bytes: {}",
        run.stderr.len(),
        run.stderr
    );
    let line = broken.lines().position(|l| l == "this is broken").unwrap() + 1;
    assert!(
        run.stderr.contains(&format!("holbaek.toml:{line}:")),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
mod links {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn a_municipality_file_linked_to_outside_is_refused_unread() {
        let site = Site::new();
        symlink(site.secret(), site.content().join("zz.toml")).unwrap();
        let errors = load_errors(&site.content());
        assert!(!errors.contains(SECRET), "{errors}");
        assert!(errors.contains("zz.toml"), "{errors}");
        assert!(errors.contains("secret.txt"), "{errors}");
        assert!(errors.contains("Kopiér"), "{errors}");
        let run = site.run(&["check"], GENEROUS);
        assert_eq!(run.code, Some(2), "{}", run.stderr);
        assert!(!run.stderr.contains(SECRET), "{}", run.stderr);
        let run = site.run(&["build"], GENEROUS);
        assert_ne!(run.code, Some(0), "{}", run.stderr);
        assert!(!run.stderr.contains(SECRET), "{}", run.stderr);
        assert!(!run.stdout.contains(SECRET), "{}", run.stdout);
    }

    #[test]
    fn a_link_to_the_processes_environment_is_refused() {
        let site = Site::new();
        symlink("/proc/self/environ", site.content().join("zz.toml")).unwrap();
        let run = site.run(&["check"], GENEROUS);
        assert_eq!(run.code, Some(2), "{}", run.stderr);
        assert!(run.stderr.contains("/proc/self/environ"), "{}", run.stderr);
        assert!(!run.stderr.contains("PATH="), "{}", run.stderr);
    }

    #[test]
    fn site_toml_linked_to_outside_is_refused_unread() {
        let site = Site::new();
        std::fs::remove_file(site.content().join("site.toml")).unwrap();
        symlink(site.secret(), site.content().join("site.toml")).unwrap();
        let errors = load_errors(&site.content());
        assert!(!errors.contains(SECRET), "{errors}");
        assert!(errors.contains("site.toml"), "{errors}");
        assert!(errors.contains("secret.txt"), "{errors}");
    }

    #[test]
    fn a_link_that_stays_inside_the_content_folder_is_followed() {
        let site = Site::new();
        std::fs::create_dir(site.content().join("drafts")).unwrap();
        std::fs::rename(
            site.content().join("holbaek.toml"),
            site.content().join("drafts/holbaek.toml"),
        )
        .unwrap();
        symlink("drafts/holbaek.toml", site.content().join("holbaek.toml")).unwrap();
        let content = load_content(&site.content()).unwrap_or_else(|d| {
            panic!("{}", kvalitet::diagnostic::report(&d));
        });
        assert!(content.municipalities.iter().any(|m| m.slug == "holbaek"));
    }

    #[test]
    fn a_fifo_in_content_does_not_stall_loading() {
        let site = Site::new();
        std::fs::remove_file(site.content().join("site.toml")).unwrap();
        let status = Command::new("mkfifo")
            .arg(site.content().join("site.toml"))
            .status()
            .unwrap();
        assert!(status.success());
        let run = site.run(&["check"], GENEROUS);
        assert!(!run.timed_out, "check hung on a FIFO");
        assert_eq!(run.code, Some(2), "{}", run.stderr);
        assert!(run.stderr.contains("site.toml"), "{}", run.stderr);
    }

    fn theme_errors(themes: &Path, name: &str) -> String {
        match Theme::load(themes, name) {
            Ok(_) => panic!("theme {name} loaded, but should not"),
            Err(d) => kvalitet::diagnostic::report(&d),
        }
    }

    #[test]
    fn a_template_linked_to_outside_is_refused_unread() {
        let site = Site::new();
        let templates = site.themes().join("default/templates");
        std::fs::remove_file(templates.join("root.html")).unwrap();
        symlink(site.secret(), templates.join("root.html")).unwrap();
        let errors = theme_errors(&site.themes(), "default");
        assert!(!errors.contains(SECRET), "{errors}");
        assert!(errors.contains("root.html"), "{errors}");
        assert!(errors.contains("secret.txt"), "{errors}");
    }

    #[test]
    fn a_template_folder_linked_to_outside_is_refused() {
        let site = Site::new();
        let templates = site.themes().join("default/templates");
        std::fs::create_dir(site.fixture.root().join("elsewhere")).unwrap();
        std::fs::write(site.fixture.root().join("elsewhere/x.html"), SECRET).unwrap();
        symlink(
            site.fixture.root().join("elsewhere"),
            templates.join("more"),
        )
        .unwrap();
        let errors = theme_errors(&site.themes(), "default");
        assert!(!errors.contains(SECRET), "{errors}");
        assert!(errors.contains("more"), "{errors}");
    }

    #[test]
    fn a_static_file_linked_to_outside_is_never_published() {
        let site = Site::new();
        let static_dir = site.themes().join("default/static");
        symlink(site.secret(), static_dir.join("extra.css")).unwrap();
        symlink(site.fixture.root(), static_dir.join("everything")).unwrap();
        let run = site.run(&["build"], GENEROUS);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let mut folders = vec![site.fixture.root().join("output")];
        let mut files = 0;
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let entry = entry.unwrap();
                assert_ne!(entry.file_name(), "extra.css");
                assert_ne!(entry.file_name(), "everything");
                if entry.file_type().unwrap().is_dir() {
                    folders.push(entry.path());
                } else {
                    files += 1;
                    let bytes = std::fs::read(entry.path()).unwrap();
                    assert!(!String::from_utf8_lossy(&bytes).contains(SECRET));
                }
            }
        }
        assert!(files > 10, "the site was built");
    }

    #[test]
    fn a_template_folder_that_links_to_itself_does_not_hang() {
        let site = Site::new();
        let templates = site.themes().join("default/templates");
        symlink(".", templates.join("loop")).unwrap();
        let started = Instant::now();
        let _ = Theme::load(&site.themes(), "default");
        assert!(started.elapsed() < GENEROUS);
    }

    #[test]
    fn a_template_linked_inside_the_theme_is_followed() {
        let site = Site::new();
        let templates = site.themes().join("default/templates");
        std::fs::rename(
            templates.join("root.html"),
            site.themes().join("default/root.html"),
        )
        .unwrap();
        symlink("../root.html", templates.join("root.html")).unwrap();
        if let Err(d) = Theme::load(&site.themes(), "default") {
            panic!("{}", kvalitet::diagnostic::report(&d));
        }
    }
}

#[test]
fn a_theme_name_must_be_a_plain_name() {
    let site = Site::new();
    // A theme folder outside `themes/` that would load if the name were a path.
    std::fs::create_dir_all(site.fixture.root().join("evil")).unwrap();
    kvalitet::output::copy_tree(
        &site.themes().join("default"),
        &site.fixture.root().join("evil"),
    )
    .unwrap();
    for name in ["../evil", "/etc", "default/../../evil", "", ".", ".."] {
        match Theme::load(&site.themes(), name) {
            Ok(_) => panic!("theme {name:?} loaded"),
            Err(d) => {
                let text = kvalitet::diagnostic::report(&d);
                assert!(text.contains("default"), "{name:?}: {text}");
                assert!(text.contains("bogstaver"), "{name:?}: {text}");
            }
        }
    }
    let run = site.run(&["build", "--theme", "../evil"], GENEROUS);
    assert_ne!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("default"), "{}", run.stderr);
    assert!(!site.fixture.root().join("output").exists());
}
