//! The one fixture every test module sets up with: a folder of its own under the system's temp
//! folder (a `tempfile` folder, removed when the fixture is dropped, after a panic too), holding
//! a copy of the bundled `content/` and `themes/` or the few files a test writes, and the
//! `output/` a build writes into. Tests edit their own copy, so they run in parallel.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use kvalitet::build::BuildOptions;
use kvalitet::diagnostic::Diagnostic;
use kvalitet::serve::{ServeOptions, Server};

/// The repository: the bundled `content/`, `themes/` and the test data below `tests/`.
/// The bundled municipalities, by file name, in file order.
pub const BUNDLED: [&str; 5] = [
    "fredericia",
    "holbaek",
    "holstebro",
    "odsherred",
    "slagelse",
];

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    /// An empty folder; `content/` holds only what the test writes.
    pub fn empty() -> Fixture {
        Fixture {
            dir: tempfile::Builder::new()
                .prefix("kvalitet-test-")
                .tempdir()
                .unwrap(),
        }
    }

    /// A copy of the bundled `content/` and `themes/`.
    pub fn bundled() -> Fixture {
        let fixture = Fixture::empty();
        for folder in ["content", "themes"] {
            let to = fixture.root().join(folder);
            fs::create_dir_all(&to).unwrap();
            kvalitet::output::copy_tree(&repo().join(folder), &to).unwrap();
        }
        fixture
    }

    /// The folder holding `content/`, `themes/` and `output/`, where the binary runs.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn content(&self) -> PathBuf {
        self.root().join("content")
    }

    /// The copied themes; the repository's for a fixture made `empty`.
    pub fn themes(&self) -> PathBuf {
        let copied = self.root().join("themes");
        if copied.is_dir() {
            copied
        } else {
            repo().join("themes")
        }
    }

    pub fn output(&self) -> PathBuf {
        self.root().join("output")
    }

    /// A file of `content/`.
    pub fn file(&self, name: &str) -> PathBuf {
        self.content().join(name)
    }

    pub fn read(&self, name: &str) -> String {
        fs::read_to_string(self.file(name)).unwrap()
    }

    /// Writes a file of `content/`, making the folder if needed.
    pub fn write(&self, name: &str, text: impl AsRef<[u8]>) {
        let path = self.file(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// Replaces the first `from` in a content file with `to`; `from` must be there.
    pub fn edit(&self, file: &str, from: &str, to: &str) {
        let text = self.read(file);
        assert!(text.contains(from), "{file} has no {from:?}");
        self.write(file, text.replacen(from, to, 1));
    }

    /// Replaces the first line of `file` that starts with `prefix` by `line`; returns its
    /// 1-based number.
    pub fn set_line(&self, file: &str, prefix: &str, line: &str) -> usize {
        let mut lines = self.lines(file);
        let i = position(&lines, file, prefix);
        lines[i] = line.to_string();
        self.write(file, lines.join("\n") + "\n");
        i + 1
    }

    /// Inserts `line` after the first line of `file` that starts with `prefix`; returns the
    /// new line's number.
    pub fn insert_after(&self, file: &str, prefix: &str, line: &str) -> usize {
        let mut lines = self.lines(file);
        let i = position(&lines, file, prefix);
        lines.insert(i + 1, line.to_string());
        self.write(file, lines.join("\n") + "\n");
        i + 2
    }

    fn lines(&self, file: &str) -> Vec<String> {
        self.read(file).lines().map(String::from).collect()
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions::new(self.content(), self.themes())
    }

    /// Builds the site into `output/` through the library, as `kvalitet build` does.
    pub fn try_build(&self) -> Result<(), Vec<Diagnostic>> {
        kvalitet::build::build(&self.options(), &self.output()).map(|_| ())
    }

    /// Builds the site, which must build, and returns the output folder.
    pub fn build(&self) -> PathBuf {
        if let Err(e) = self.try_build() {
            panic!("the build fails: {e:?}");
        }
        self.output()
    }

    /// A file of the built site, by its path below `output/`.
    pub fn page(&self, path: &str) -> String {
        fs::read_to_string(self.output().join(path)).unwrap()
    }

    /// Starts the preview of the fixture's content on a free loopback port.
    pub fn start(&self) -> Server {
        let mut options = ServeOptions::new(self.options());
        options.port = 0;
        Server::start(options).expect("server starts")
    }
}

fn position(lines: &[String], file: &str, prefix: &str) -> usize {
    lines
        .iter()
        .position(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?} in {file}"))
}

/// Every entry below `dir`, as a test compares trees before and after: a file with its bytes, a
/// folder as `<folder>`, a symlink as the text of where it points (never followed).
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut entries = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let kind = entry.file_type().unwrap();
            let relative = path.strip_prefix(dir).unwrap().to_path_buf();
            if kind.is_symlink() {
                let target = fs::read_link(&path).unwrap();
                entries.insert(relative, target.into_os_string().into_encoded_bytes());
            } else if kind.is_dir() {
                entries.insert(relative, b"<folder>".to_vec());
                stack.push(path);
            } else {
                entries.insert(relative, fs::read(&path).unwrap());
            }
        }
    }
    entries
}

/// Every HTML page below `dir`, by its path below it with `/`, with its text, sorted by path.
pub fn html_pages(dir: &Path) -> Vec<(String, String)> {
    tree(dir)
        .into_iter()
        .filter(|(path, _)| path.extension().is_some_and(|e| e == "html"))
        .map(|(path, bytes)| {
            let name = path.to_string_lossy().replace('\\', "/");
            (name, String::from_utf8(bytes).unwrap())
        })
        .collect()
}

/// Records an approval by `by` on `date` in Holbæk's file and keeps the copy, as `kvalitet
/// godkend` does.
pub fn approve_holbaek(f: &Fixture, by: &str, date: &str) {
    let text = f.read("holbaek.toml");
    let start = text
        .find("[approval]\n")
        .expect("holbaek.toml has [approval]");
    let end = text[start + 1..]
        .find("\n[")
        .map_or(text.len(), |i| start + 1 + i + 1);
    let approved = format!(
        "{}[approval]\ndated = \"2023-06\"\napproved_by = \"{by}\"\napproved_on = {date}\n\n{}",
        &text[..start],
        &text[end..]
    );
    f.write("holbaek.toml", &approved);
    f.write(&format!("godkendt/holbaek/{date}.toml"), &approved);
}

/// The names in `dir`, sorted.
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Text of `html` with tags removed and whitespace folded, as a reader sees it.
pub fn text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
