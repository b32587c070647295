//! The shape of the source, kept so: no source file too long to read in one sitting, and no
//! import cycle between the top-level modules of the library, so that data flows one way
//! (content -> model -> check -> pages -> folder or preview).
//!
//! The module graph counts each `crate::<module>` in code that is not a comment and comes
//! before the file's `#[cfg(test)]` (tests may reach anywhere). `main.rs`, `lib.rs` and
//! `cmd/` sit above every module and are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::fixture::repo;

/// The longest a source file may be; a sibling `tests.rs` of unit tests may be longer.
const MOST_LINES: usize = 800;

/// Every `.rs` file below `dir`, as (path below `src/`, text), in path order.
fn sources(src: &Path) -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(src, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path.strip_prefix(src).unwrap().to_path_buf(), text)
        })
        .collect()
}

/// The top-level module a file belongs to (`load/mod.rs` -> `load`), or `None` for the
/// command and the crate root.
fn top_module(file: &Path) -> Option<String> {
    let first = file.components().next()?.as_os_str().to_string_lossy();
    let name = first.strip_suffix(".rs").unwrap_or(&first).to_string();
    (!["main", "lib", "cmd"].contains(&name.as_str())).then_some(name)
}

/// Each `crate::<name>` in the code of `text`, with its line (1-based).
fn crate_uses(text: &str) -> Vec<(String, usize)> {
    let mut uses = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.starts_with("#[cfg(test)]") {
            break;
        }
        if line.starts_with("//") {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !name.is_empty() {
                uses.push((name, i + 1));
            }
        }
    }
    uses
}

/// from -> to -> where (`file:line`).
type Graph = BTreeMap<String, BTreeMap<String, Vec<String>>>;

fn module_graph(files: &[(PathBuf, String)]) -> Graph {
    let mut graph = Graph::new();
    for (file, text) in files {
        let Some(from) = top_module(file) else {
            continue;
        };
        if file.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        for (to, line) in crate_uses(text) {
            if to != from {
                graph
                    .entry(from.clone())
                    .or_default()
                    .entry(to)
                    .or_default()
                    .push(format!("src/{}:{line}", file.display()));
            }
        }
    }
    graph
}

fn reachable(graph: &Graph, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![from.to_string()];
    while let Some(module) = todo.pop() {
        for next in graph.get(&module).into_iter().flat_map(|to| to.keys()) {
            if seen.insert(next.clone()) {
                todo.push(next.clone());
            }
        }
    }
    seen
}

/// Every edge that closes a cycle, with where it is used.
fn cycle_edges(graph: &Graph) -> Vec<String> {
    let mut edges = Vec::new();
    for (from, tos) in graph {
        for (to, places) in tos {
            if reachable(graph, to).contains(from) {
                edges.push(format!("{from} -> {to} ({})", places.join(", ")));
            }
        }
    }
    edges
}

#[test]
fn no_source_file_is_too_long() {
    let long: Vec<String> = sources(&repo().join("src"))
        .iter()
        .filter(|(file, _)| file.file_name().is_none_or(|n| n != "tests.rs"))
        .filter(|(_, text)| text.lines().count() > MOST_LINES)
        .map(|(file, text)| format!("src/{} ({} lines)", file.display(), text.lines().count()))
        .collect();
    assert!(
        long.is_empty(),
        "over {MOST_LINES} lines: {}. Split the file by concern, or move its unit tests to a \
         sibling tests.rs",
        long.join(", ")
    );
}

#[test]
fn the_top_level_modules_depend_on_each_other_one_way() {
    let graph = module_graph(&sources(&repo().join("src")));
    assert!(graph.contains_key("build"), "the graph is read: {graph:?}");
    let cycles = cycle_edges(&graph);
    let map: Vec<String> = graph
        .iter()
        .map(|(from, tos)| format!("{from} -> {:?}", tos.keys().collect::<Vec<_>>()))
        .collect();
    assert!(
        cycles.is_empty(),
        "edges that close an import cycle:\n  {}\nmodule graph:\n  {}\nMove what both need \
         to the lower module, so data flows content -> model -> check -> pages -> folder",
        cycles.join("\n  "),
        map.join("\n  ")
    );
}

#[test]
fn a_cycle_is_found_and_named_but_not_in_comments_or_tests() {
    let file = |path: &str, text: &str| (PathBuf::from(path), text.to_string());
    let files = [
        file("page.rs", "use crate::diagnostic::Diagnostic;\n"),
        file(
            "render/mod.rs",
            "use crate::page::Page;\n// see crate::output\n",
        ),
        file(
            "output.rs",
            "use crate::page::Page;\n#[cfg(test)]\nuse crate::render::Page;\n",
        ),
        file("render/tests.rs", "use crate::output::SiteWriter;\n"),
        file("main.rs", "use crate::render;\n"),
    ];
    assert_eq!(cycle_edges(&module_graph(&files)), Vec::<String>::new());

    let mut looped = files.to_vec();
    looped.push(file("page.rs", "\n\nfn f() { crate::render::x() }\n"));
    assert_eq!(
        cycle_edges(&module_graph(&looped)),
        [
            "page -> render (src/page.rs:3)",
            "render -> page (src/render/mod.rs:1)"
        ]
    );
}
