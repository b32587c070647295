//! One self-contained binary: the `kvalitet` command copied alone into an empty folder, far
//! from the repository, makes a new site with `init`, builds it with the theme built into it,
//! writes the theme out with `tema kopier` to be changed, and names its version and commit.

use std::fs;
use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::Duration;

use kvalitet::build::BuildOptions;
use kvalitet::output::{MANIFEST, MARKER};
use kvalitet::serve::{ServeOptions, Server};

use crate::fixture::{Fixture, repo, tree};

/// A folder outside the repository holding only a copy of the binary (`bin/kvalitet`) and an
/// empty `site/`, the folder the commands run in.
struct Alone {
    dir: tempfile::TempDir,
}

impl Alone {
    fn new() -> Alone {
        let dir = tempfile::Builder::new()
            .prefix("kvalitet-alone-")
            .tempdir()
            .unwrap();
        assert!(!dir.path().starts_with(repo()), "outside the repository");
        fs::create_dir_all(dir.path().join("bin")).unwrap();
        fs::create_dir_all(dir.path().join("site")).unwrap();
        fs::copy(
            env!("CARGO_BIN_EXE_kvalitet"),
            dir.path().join("bin/kvalitet"),
        )
        .unwrap();
        Alone { dir }
    }

    fn site(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    /// Runs the copied binary in `site/`, with no variable pointing back at the repository.
    fn run(&self, args: &[&str]) -> Output {
        Command::new(self.dir.path().join("bin/kvalitet"))
            .args(args)
            .current_dir(self.site())
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "kvalitet {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

#[test]
fn the_binary_alone_makes_and_builds_a_new_site() {
    let alone = Alone::new();
    let told = alone.ok(&["init", "--kommune", "Nyborg Kommune"]);
    assert!(told.contains("content/nyborg.toml"), "{told}");
    assert!(told.contains("kvalitet serve --open"), "{told}");
    let site = alone.site();
    for file in [
        "content/site.toml",
        "content/nyborg.toml",
        ".gitignore",
        ".taplo.toml",
        ".vscode/settings.json",
        ".vscode/extensions.json",
        ".github/workflows/kvalitet.yml",
        ".gitlab-ci.yml",
        "schema/kommune.schema.json",
        "schema/site.schema.json",
    ] {
        assert!(site.join(file).is_file(), "init wrote no {file}");
    }
    // The `#:schema` lines of the files `init` wrote lead to the schemas it wrote.
    for (file, schema) in [
        ("content/site.toml", "site.schema.json"),
        ("content/nyborg.toml", "kommune.schema.json"),
    ] {
        let first = fs::read_to_string(site.join(file)).unwrap();
        let first = first.lines().next().unwrap_or("").to_string();
        assert_eq!(first, format!("#:schema ../schema/{schema}"), "{file}");
    }
    assert!(!site.join("themes").exists(), "no theme folder is written");

    let built = alone.ok(&["build"]);
    assert!(built.contains("Hjemmesiden er bygget"), "{built}");
    let out = site.join("output");
    let front = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        front.contains("Nyborg"),
        "the front page lists the municipality"
    );
    assert!(
        front.contains("style.css"),
        "the page links the style sheet"
    );
    let page = fs::read_to_string(out.join("nyborg/index.html")).unwrap();
    assert!(page.contains("<main"), "the theme's page layout is used");
    for file in ["style.css", "print.css"] {
        assert_eq!(
            fs::read(out.join(file)).unwrap(),
            fs::read(repo().join("themes/default/static").join(file)).unwrap(),
            "{file} comes from the binary as it is in the theme"
        );
    }
}

#[test]
fn a_copied_theme_is_used_instead_of_the_built_in_one() {
    let alone = Alone::new();
    alone.ok(&["init", "--kommune", "Nyborg"]);
    let told = alone.ok(&["tema", "kopier"]);
    assert!(told.contains("themes/default"), "{told}");
    let theme = alone.site().join("themes/default");
    // Paths from the theme folder, with their bytes.
    assert_eq!(
        tree(&theme),
        tree(&repo().join("themes/default")),
        "the copy is the whole theme"
    );

    let base = theme.join("templates/base.html");
    let text = fs::read_to_string(&base).unwrap();
    assert!(text.contains("<main"));
    fs::write(
        &base,
        text.replacen("<main", "<main data-eget-tema=\"ja\"", 1),
    )
    .unwrap();
    fs::write(theme.join("static/style.css"), "body { color: black }\n").unwrap();
    alone.ok(&["build"]);
    let out = alone.site().join("output");
    let page = fs::read_to_string(out.join("nyborg/index.html")).unwrap();
    assert!(
        page.contains("data-eget-tema=\"ja\""),
        "the changed template is used"
    );
    assert_eq!(
        fs::read_to_string(out.join("style.css")).unwrap(),
        "body { color: black }\n"
    );

    // A second copy would overwrite the changes: refused, and nothing changes.
    let before = tree(&theme);
    let again = alone.run(&["tema", "kopier"]);
    assert_eq!(again.status.code(), Some(1));
    let error = String::from_utf8_lossy(&again.stderr);
    assert!(error.contains("findes allerede"), "{error}");
    assert_eq!(tree(&theme), before);

    // A theme the site names but does not have is still an error, naming the built-in one.
    let site_toml = alone.site().join("content/site.toml");
    let settings = fs::read_to_string(&site_toml).unwrap();
    fs::write(
        &site_toml,
        settings.replace("theme = \"default\"", "theme = \"mangler\""),
    )
    .unwrap();
    let missing = alone.run(&["build"]);
    assert_eq!(missing.status.code(), Some(1));
    let error = String::from_utf8_lossy(&missing.stderr);
    assert!(error.contains("Temaet «mangler» findes ikke"), "{error}");
}

#[test]
fn version_names_the_version_and_the_commit() {
    let alone = Alone::new();
    let out = alone.ok(&["--version"]);
    let line = out.trim();
    let rest = line
        .strip_prefix(&format!("kvalitet {} (commit ", env!("CARGO_PKG_VERSION")))
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{line}"));
    assert!(
        rest == "ukendt" || (rest.len() >= 12 && rest.chars().all(|c| c.is_ascii_hexdigit())),
        "{line}"
    );
    // Built from this repository with git at hand, it is HEAD's hash.
    let head = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(repo())
        .output();
    if let Ok(head) = head
        && head.status.success()
    {
        let head = String::from_utf8_lossy(&head.stdout);
        assert!(head.starts_with(rest), "{rest} is not HEAD ({head})");
    }
}

#[test]
fn init_refuses_a_folder_that_has_content() {
    let alone = Alone::new();
    fs::create_dir_all(alone.site().join("content")).unwrap();
    fs::write(alone.site().join("content/site.toml"), "title = \"Min\"\n").unwrap();
    let before = tree(&alone.site());
    let out = alone.run(&["init", "--kommune", "Nyborg"]);
    assert_eq!(out.status.code(), Some(1));
    let error = String::from_utf8_lossy(&out.stderr);
    assert!(error.contains("content findes allerede"), "{error}");
    assert!(error.contains("kvalitet new"), "{error}");
    assert_eq!(tree(&alone.site()), before, "nothing is written");

    // Without the municipality's name, clap asks for it, in Danish.
    let out = alone.run(&["init", "ny"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--kommune"));
    assert!(!alone.site().join("ny").exists());
}

/// The deploy recipes check and build the site, and publish the built folder without
/// kvalitet's own marker files.
#[test]
fn the_deploy_recipes_check_build_and_leave_the_marker_files_out() {
    let files: std::collections::HashMap<&str, &str> =
        kvalitet::init::FILES.iter().copied().collect();
    for (recipe, folder) in [
        (".github/workflows/kvalitet.yml", "output"),
        (".gitlab-ci.yml", "public"),
    ] {
        let text = files[recipe];
        let commands: Vec<&str> = text
            .lines()
            .map(|l| {
                l.trim()
                    .trim_start_matches("- ")
                    .trim_start_matches("run: ")
            })
            .filter(|l| !l.starts_with('#'))
            .collect();
        let at = |prefix: &str| {
            commands
                .iter()
                .position(|c| c.starts_with(prefix))
                .unwrap_or_else(|| panic!("{recipe} does not run {prefix}"))
        };
        let (check, build) = (at("kvalitet check"), at("kvalitet build"));
        let remove = at("rm -f");
        assert!(
            check < build && build < remove,
            "{recipe}: check, build, then rm"
        );
        for own in [MARKER, MANIFEST] {
            assert!(
                commands[remove].contains(&format!("{folder}/{own}")),
                "{recipe} leaves {own} in {folder}/"
            );
        }
        assert!(text.contains("cargo install --locked"), "{recipe}");
        // Tabs are not YAML indentation.
        assert!(!text.contains('\t'), "{recipe} has a tab");
    }
    assert!(files[".gitlab-ci.yml"].contains("kvalitet build --output public"));
    assert!(files[".github/workflows/kvalitet.yml"].contains("upload-pages-artifact"));

    for json in [".vscode/settings.json", ".vscode/extensions.json"] {
        serde_json::from_str::<serde_json::Value>(files[json])
            .unwrap_or_else(|e| panic!("{json}: {e}"));
    }
    assert!(files[".vscode/extensions.json"].contains("tamasfe.even-better-toml"));
    let taplo: toml::Table = toml::from_str(files[".taplo.toml"]).unwrap();
    let schemas: Vec<&str> = taplo["rule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["schema"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        schemas,
        ["schema/site.schema.json", "schema/kommune.schema.json"]
    );
    assert!(files[".gitignore"].lines().any(|l| l == "/output/"));
}

/// The preview needs no theme folder either: it serves the built-in theme's style sheet.
#[test]
fn the_preview_serves_the_built_in_theme() {
    let fx = Fixture::empty();
    kvalitet::init::init(fx.root(), "Nyborg").unwrap();
    let mut options = ServeOptions::new(BuildOptions::new(fx.content(), fx.root().join("themes")));
    options.port = 0;
    let server = Server::start(options).expect("the preview starts without themes/");
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /style.css HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.addr()
    )
    .unwrap();
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).unwrap();
    let reply = String::from_utf8_lossy(&reply);
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    let css = fs::read_to_string(repo().join("themes/default/static/style.css")).unwrap();
    assert!(reply.ends_with(&css), "the built-in style sheet is served");
}
