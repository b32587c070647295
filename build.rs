//! Build script: embeds the default theme in the binary and names the commit it was built from.
//!
//! - `$OUT_DIR/default_theme.rs` lists every file below `themes/default/` as
//!   `(path from the theme folder with "/", include_bytes!(...))`, sorted by path, so the
//!   binary needs no file of the repository at run time (see `src/embedded.rs`).
//! - `KVALITET_COMMIT` is git's short hash of HEAD, or "ukendt" when there is no git or no
//!   repository (a source archive): the build never fails for want of git.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    let theme = root.join("themes").join("default");
    // A folder: cargo looks at every file below it, so a new file is embedded too.
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=build.rs");

    let mut files = Vec::new();
    collect(&theme, "", &mut files);
    files.sort();
    let mut code = String::from(
        "/// Every file of `themes/default/`, by its path from the theme folder, sorted.\n\
         pub(crate) static DEFAULT_THEME: &[(&str, &[u8])] = &[\n",
    );
    for (name, path) in &files {
        code.push_str(&format!("    ({name:?}, include_bytes!({path:?})),\n"));
    }
    code.push_str("];\n");
    std::fs::write(out.join("default_theme.rs"), code).expect("OUT_DIR is writable");

    println!("cargo:rustc-env=KVALITET_COMMIT={}", commit(&root));
}

/// Regular files below `dir`; a link or anything else is left out, as the build leaves them out
/// of a theme's static files.
fn collect(dir: &Path, prefix: &str, files: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if kind.is_dir() {
            collect(&entry.path(), &format!("{name}/"), files);
        } else if kind.is_file() {
            files.push((name, entry.path().to_string_lossy().into_owned()));
        }
    }
}

/// The short hash of HEAD, and a rerun whenever HEAD or the branch it names moves.
fn commit(root: &Path) -> String {
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .ok()?;
        let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
        (out.status.success() && !text.is_empty()).then_some(text)
    };
    let Some(hash) = git(&["rev-parse", "--short=12", "HEAD"]) else {
        return "ukendt".to_string();
    };
    for path in ["HEAD", "packed-refs"] {
        if let Some(p) = git(&["rev-parse", "--git-path", path])
            && root.join(&p).exists()
        {
            println!("cargo:rerun-if-changed={}", root.join(p).display());
        }
    }
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"])
        && let Some(p) = git(&["rev-parse", "--git-path", &branch])
    {
        println!("cargo:rerun-if-changed={}", root.join(p).display());
    }
    hash
}
