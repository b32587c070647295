//! Building on a change: a save of municipality files applied to the last good build, anything
//! else built whole; the result swapped in as a new snapshot, and `--output-dir` written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use super::ServeOptions;
use super::log::ServeEvent;
use super::snapshot::{Body, Shared, SiteFiles, Snapshot};
use crate::diagnostic::Diagnostic;
use crate::embedded::Statics;
use crate::incremental::{SiteState, Update};
use crate::output::write_site;
use crate::page::Page;

/// What the watcher saw between two builds.
#[derive(Debug, Default)]
pub(super) struct Changes {
    /// Changed paths, sorted, without duplicates.
    pub(super) paths: Vec<PathBuf>,
    /// Some event named no path or could not be read, so anything may have changed.
    pub(super) unknown: bool,
}

/// What the watcher thread keeps between builds.
#[derive(Default)]
pub(super) struct Builder {
    /// The last good build in parts; `None` until a build succeeds and after a full build fails.
    pub(super) state: Option<SiteState>,
    /// The theme's static files, read at the last full build (a theme change is a full build).
    pub(super) statics: HashMap<String, Body>,
    /// Bumped when `statics` changes.
    pub(super) statics_version: u64,
}

/// Builds into memory and swaps the result in; on failure keeps the last good site and records
/// the errors. Either way browsers are told, so the banner appears or disappears at once.
///
/// A save of existing municipality files is applied to the last good build (see
/// `incremental`); anything else, or the first build, builds everything.
pub(super) fn rebuild(
    shared: &Shared,
    options: &ServeOptions,
    builder: &mut Builder,
    changes: &Changes,
) {
    let started = Instant::now();
    let step = match &mut builder.state {
        Some(state) if !changes.unknown => state.update(&changes.paths),
        _ => Update::NeedsFull,
    };
    let incremental = !matches!(step, Update::NeedsFull);
    // `Some(changed)` when only the pages rendered again were compared with the previous ones.
    let built: Result<Option<bool>, Vec<Diagnostic>> = match step {
        Update::Done { pages_changed, .. } => Ok(Some(pages_changed)),
        Update::Failed(errors) => Err(errors),
        Update::NeedsFull => match SiteState::build(&options.build) {
            Ok(state) => {
                let mut statics = HashMap::new();
                read_static(&state.statics(), &mut statics);
                if statics != builder.statics {
                    builder.statics = statics;
                    builder.statics_version += 1;
                }
                builder.state = Some(state);
                Ok(None)
            }
            Err(errors) => {
                builder.state = None;
                Err(errors)
            }
        },
    };
    let result = built.and_then(|compared| {
        let state = builder
            .state
            .as_ref()
            .expect("a successful build leaves its state");
        if let Some(output) = &options.output_dir {
            write_output(output, state).map_err(|e| vec![Diagnostic::error(output, e.0)])?;
        }
        Ok((
            site_files(state, &builder.statics, builder.statics_version),
            compared,
        ))
    });
    let elapsed = started.elapsed();
    // Only this thread replaces the snapshot, so comparing outside the lock is safe, and keeps
    // requests from waiting on the comparison.
    let previous = shared.current();
    let unchanged = match &result {
        Ok((site, compared)) => {
            previous.errors.is_empty()
                && previous.site.as_ref().is_some_and(|old| match compared {
                    // The pages not rendered again are the previous ones, shared.
                    Some(pages_changed) => !pages_changed,
                    None => old.files == site.files,
                })
        }
        Err(errors) => previous.errors.as_slice() == errors.as_slice(),
    };
    let result = result.map(|(site, _)| site);
    let mut guard = shared.lock();
    if unchanged {
        // vim, for one, changes a file's attributes tens of milliseconds after writing it (see
        // the benchmark's event_gap lines); reloading the browser for that would flicker.
        if let Some(log) = &options.log {
            log.tell(&match &result {
                Ok(_) => ServeEvent::Unchanged {
                    elapsed,
                    changed: &changes.paths,
                },
                Err(errors) => ServeEvent::Failed {
                    errors,
                    repeated: true,
                    last_good: guard.site.is_some(),
                },
            });
        }
        *guard = Arc::new(Snapshot {
            generation: guard.generation,
            site: guard.site.clone(),
            errors: guard.errors.clone(),
            last_build: elapsed,
            builds: guard.builds + 1,
            incremental,
        });
        drop(guard);
        shared.changed.notify_all();
        return;
    }
    let generation = guard.generation + 1;
    let next = match result {
        Ok(site) => {
            if let Some(log) = &options.log {
                log.tell(&ServeEvent::Built {
                    elapsed,
                    pages: site.pages,
                    municipalities: site.municipalities,
                    warnings: site.warnings,
                    changed: &changes.paths,
                });
            }
            Snapshot {
                generation,
                site: Some(Arc::new(site)),
                errors: Arc::new(Vec::new()),
                last_build: elapsed,
                builds: guard.builds + 1,
                incremental,
            }
        }
        Err(errors) => {
            if let Some(log) = &options.log {
                log.tell(&ServeEvent::Failed {
                    errors: &errors,
                    repeated: false,
                    last_good: guard.site.is_some(),
                });
            }
            Snapshot {
                generation,
                site: guard.site.clone(),
                errors: Arc::new(errors),
                last_build: elapsed,
                builds: guard.builds + 1,
                incremental,
            }
        }
    };
    *guard = Arc::new(next);
    drop(guard);
    shared.changed.notify_all();
}

/// Writes the published folder from the build in memory.
fn write_output(output: &Path, state: &SiteState) -> Result<(), crate::output::WriteError> {
    let pages: Vec<Page> = state
        .pages()
        .map(|page| Page {
            path: page.path.clone(),
            html: String::from_utf8_lossy(&page.html).into_owned(),
        })
        .collect();
    write_site(output, &pages, Some(&state.statics())).map(|_| ())
}

/// The served files: the theme's static files, then every page (so a page of the same name
/// wins, as when the site is written). Page bytes are shared with the state, not copied.
fn site_files(state: &SiteState, statics: &HashMap<String, Body>, version: u64) -> SiteFiles {
    let pages = state.page_count();
    let mut files = HashMap::with_capacity(statics.len() + pages);
    files.extend(statics.iter().map(|(k, v)| (k.clone(), v.clone())));
    for page in state.pages() {
        files.insert(page.path.replace('\\', "/"), Body(page.html.clone()));
    }
    SiteFiles {
        files,
        statics: version,
        pages,
        municipalities: state.content().municipalities.len(),
        warnings: state.content().warnings.len(),
    }
}

/// Copies a theme's static files into memory. Only real folders and regular files are read; a
/// symlink anywhere, the static folder included, is skipped, and a file is opened without
/// following a link put in its place after listing: the site must not depend on, or expose,
/// files outside the theme.
fn read_static(statics: &Statics, out: &mut HashMap<String, Body>) {
    // An unreadable entry is left out: the preview shows what it can.
    let Ok(files) = statics.files() else {
        return;
    };
    for (name, from) in files {
        if let Ok(bytes) = from.read() {
            out.insert(name, bytes.into_owned().into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::BuildOptions;

    /// Only regular files inside the static folder are served: a symlink, to a file, to a
    /// folder, or as the static folder itself, is skipped.
    #[cfg(unix)]
    #[test]
    fn static_files_behind_symlinks_are_not_read() {
        use std::os::unix::fs::symlink;
        let root = tempfile::tempdir().unwrap();
        let outside = root.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.txt"), "hemmelig").unwrap();
        let dir = root.path().join("static");
        std::fs::create_dir_all(dir.join("img")).unwrap();
        std::fs::write(dir.join("style.css"), "body{}").unwrap();
        std::fs::write(dir.join("img/logo.svg"), "<svg/>").unwrap();
        symlink(outside.join("secret.txt"), dir.join("link.txt")).unwrap();
        symlink(outside.join("secret.txt"), dir.join("img/link.svg")).unwrap();
        symlink(&outside, dir.join("linkdir")).unwrap();
        let mut files = HashMap::new();
        read_static(&Statics::Folder(dir.clone()), &mut files);
        let mut keys: Vec<&String> = files.keys().collect();
        keys.sort();
        assert_eq!(keys, ["img/logo.svg", "style.css"]);

        let linked = root.path().join("linked-static");
        symlink(&outside, &linked).unwrap();
        let mut files = HashMap::new();
        read_static(&Statics::Folder(linked.clone()), &mut files);
        assert!(
            files.is_empty(),
            "a symlinked static folder is not followed"
        );
    }

    fn test_shared() -> Shared {
        Shared::new()
    }

    /// The served files after a save equal those of a server started on the saved content:
    /// static files and pages, page for page.
    #[test]
    fn a_save_applied_incrementally_serves_what_a_fresh_start_serves() {
        let root = std::env::temp_dir().join(format!("kvalitet-serve-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for dir in ["content", "themes"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
            crate::output::copy_tree(&repo.join(dir), &root.join(dir)).unwrap();
        }
        let options =
            ServeOptions::new(BuildOptions::new(root.join("content"), root.join("themes")));
        let shared = test_shared();
        let mut builder = Builder::default();
        rebuild(&shared, &options, &mut builder, &Changes::default());
        let first = shared.current();
        assert!(first.errors.is_empty() && !first.incremental);

        let path = root.join("content/holbaek.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let edited = text.replacen("summary = \"\"\"\n", "summary = \"\"\"\nTrinvist. ", 1);
        std::fs::write(&path, &edited).unwrap();
        let saved = Changes {
            paths: vec![path.clone()],
            unknown: false,
        };
        rebuild(&shared, &options, &mut builder, &saved);
        let after = shared.current();
        assert!(after.errors.is_empty());
        assert!(
            after.incremental,
            "one municipality's save is applied incrementally"
        );
        assert_eq!(after.generation, first.generation + 1, "browsers reload");

        let fresh = test_shared();
        rebuild(
            &fresh,
            &options,
            &mut Builder::default(),
            &Changes::default(),
        );
        let ours = &after.site.as_ref().unwrap().files;
        let fresh = fresh.current();
        let theirs = &fresh.site.as_ref().unwrap().files;
        let mut keys: Vec<&String> = ours.keys().collect();
        keys.sort();
        let mut expected: Vec<&String> = theirs.keys().collect();
        expected.sort();
        assert_eq!(keys, expected);
        assert!(
            keys.iter().any(|k| k.ends_with(".css")),
            "static files are served"
        );
        for key in keys {
            assert!(ours[key] == theirs[key], "{key} differs");
        }
        let front = String::from_utf8(ours["holbaek/index.html"].as_ref().to_vec()).unwrap();
        assert!(front.contains("Trinvist."));

        // The same save again (vim's late attribute change): built, but no reload.
        rebuild(&shared, &options, &mut builder, &saved);
        let again = shared.current();
        assert!(again.incremental);
        assert_eq!(again.builds, after.builds + 1);
        assert_eq!(
            again.generation, after.generation,
            "nothing changed, no reload"
        );

        // An event without paths builds everything.
        let unknown = Changes {
            paths: vec![path],
            unknown: true,
        };
        rebuild(&shared, &options, &mut builder, &unknown);
        assert!(!shared.current().incremental);
        let _ = std::fs::remove_dir_all(&root);
    }
}
