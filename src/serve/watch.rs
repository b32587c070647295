//! Watching the content and theme folders: what each file event means, which files are an
//! editor's temporary ones, and the debounce that turns one save's events into one rebuild.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::{
    AccessKind, AccessMode, CreateKind, DataChange, MetadataKind, ModifyKind, RemoveKind,
    RenameMode,
};
use notify::{Event, EventKind};

use super::ServeOptions;
use super::log::ServeEvent;
use super::rebuild::{Builder, Changes, rebuild};
use super::snapshot::Shared;

/// Quiet period after the last file event before rebuilding. Measured with
/// `cargo bench --bench serve_latency` (`event_gap` lines): the events that carry one save's
/// content (write in place, rename-over, delete and recreate, real vim) arrive within about 1 ms
/// of each other on an idle machine and within about 4 ms under heavy load, so 25 ms joins them
/// into one rebuild with margin while adding only 25 ms to save-to-reload. vim's trailing
/// attribute change can come tens of milliseconds later under load; the rebuild it causes
/// changes no page and so sends no reload (see `rebuild`). An event that ends a save waits only
/// [`SETTLE`] instead.
pub(crate) const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(25);

/// A save that keeps producing events (a long copy) still rebuilds after this long.
const MAX_DEBOUNCE: Duration = Duration::from_millis(500);

/// Quiet period after an event that ends a save (see [`completes_save`]) instead of the
/// debounce. The events of one rename-over are read from the kernel together, so a few
/// milliseconds catch them; a later event starts the full debounce again.
const SETTLE: Duration = Duration::from_millis(3);

/// What a file event means for the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Created,
    Modified,
    Removed,
    Renamed,
    /// The backend lost track (overflow, unknown kind): rebuild to be safe.
    Unknown,
    /// Reading a file, or its access time changing, cannot change the site.
    Ignored,
}

/// Maps every notify event kind; exhaustive on purpose, so a new kind in notify is a compile
/// error here rather than a silently missed save.
pub fn classify(kind: &EventKind) -> Change {
    match kind {
        EventKind::Any | EventKind::Other => Change::Unknown,
        EventKind::Access(access) => match access {
            // Closing a file written to is the end of an in-place save.
            AccessKind::Close(AccessMode::Write) => Change::Modified,
            AccessKind::Close(
                AccessMode::Any | AccessMode::Execute | AccessMode::Read | AccessMode::Other,
            )
            | AccessKind::Open(_)
            | AccessKind::Read
            | AccessKind::Any
            | AccessKind::Other => Change::Ignored,
        },
        EventKind::Create(CreateKind::Any | CreateKind::File | CreateKind::Folder)
        | EventKind::Create(CreateKind::Other) => Change::Created,
        EventKind::Modify(modify) => match modify {
            ModifyKind::Data(
                DataChange::Any | DataChange::Size | DataChange::Content | DataChange::Other,
            ) => Change::Modified,
            ModifyKind::Metadata(MetadataKind::AccessTime) => Change::Ignored,
            // Permissions or ownership can make a file unreadable; write time is `touch`.
            ModifyKind::Metadata(
                MetadataKind::Any
                | MetadataKind::WriteTime
                | MetadataKind::Permissions
                | MetadataKind::Ownership
                | MetadataKind::Extended
                | MetadataKind::Other,
            ) => Change::Modified,
            ModifyKind::Name(
                RenameMode::Any
                | RenameMode::To
                | RenameMode::From
                | RenameMode::Both
                | RenameMode::Other,
            ) => Change::Renamed,
            ModifyKind::Any | ModifyKind::Other => Change::Modified,
        },
        EventKind::Remove(
            RemoveKind::Any | RemoveKind::File | RemoveKind::Folder | RemoveKind::Other,
        ) => Change::Removed,
    }
}

/// Files editors make beside the real one while saving: vim's swap files and its `4913` probe,
/// backups ending in `~`, emacs' `.#lock` and `#autosave#`, JetBrains' `___jb_tmp___`, and any
/// hidden or `.tmp` file (gedit's `.goutputstream-*`, rename-over temp files). The real file's
/// own event still arrives when the temp file is renamed over it.
pub fn is_editor_temp(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    const EXTENSIONS: &[&str] = &[
        ".swp",
        ".swo",
        ".swx",
        ".swpx",
        ".tmp",
        ".temp",
        ".bak",
        ".orig",
        ".kate-swp",
        ".part",
        ".crdownload",
    ];
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with("___")
        || (name.starts_with('#') && name.ends_with('#'))
        || (!name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()))
        || EXTENSIONS.iter().any(|ext| lower.ends_with(ext))
}

/// Paths of an event that matter, or `None` if the event can be ignored altogether.
fn relevant(event: &Event, ignore_under: Option<&Path>) -> Option<Vec<PathBuf>> {
    if classify(&event.kind) == Change::Ignored {
        return None;
    }
    if event.paths.is_empty() {
        // A rescan flag or an unknown event without paths: something changed somewhere.
        return Some(Vec::new());
    }
    let paths: Vec<PathBuf> = event
        .paths
        .iter()
        .filter(|p| !is_editor_temp(p))
        .filter(|p| ignore_under.is_none_or(|dir| !p.starts_with(dir)))
        .cloned()
        .collect();
    (!paths.is_empty()).then_some(paths)
}

/// The event ends a save of a real file: the file was closed after writing, or a file was
/// renamed onto a real (not temporary) name. A rename of the real file away (vim's backup) or a
/// removal does not end a save; the file is about to come back.
pub(crate) fn completes_save(event: &Event) -> bool {
    match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
            event.paths.iter().any(|p| !is_editor_temp(p))
        }
        EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both)) => {
            event.paths.last().is_some_and(|p| !is_editor_temp(p))
        }
        _ => false,
    }
}

pub(super) fn watch(
    shared: &Shared,
    options: &ServeOptions,
    builder: &mut Builder,
    events: &Receiver<notify::Result<Event>>,
) {
    // Writing the published folder must not trigger another build, if it lies inside a watched
    // folder.
    let ignore_under = options
        .output_dir
        .as_ref()
        .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()));
    // `Some(ends_save)` for an event that changes the site, `None` for one to ignore.
    let take = |event: notify::Result<Event>, changed: &mut Changes| -> Option<bool> {
        match event {
            Ok(event) => match relevant(&event, ignore_under.as_deref()) {
                Some(paths) => {
                    // Without paths, or of a kind notify could not name, the event does not
                    // say what changed: only a full build is sure to catch it.
                    changed.unknown |= paths.is_empty() || classify(&event.kind) == Change::Unknown;
                    changed.paths.extend(paths);
                    Some(completes_save(&event))
                }
                None => None,
            },
            Err(e) => {
                if let Some(log) = &options.log {
                    log.tell(&ServeEvent::WatchError(e.to_string()));
                }
                changed.unknown = true;
                Some(false)
            }
        }
    };
    loop {
        let mut changed = Changes::default();
        let mut ended = match events.recv_timeout(Duration::from_millis(200)) {
            Ok(event) => match take(event, &mut changed) {
                Some(ended) => ended,
                None => continue,
            },
            Err(RecvTimeoutError::Timeout) => {
                if shared.stopping() {
                    return;
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
        // One save is several events: wait until the folder has been quiet for a moment, a
        // short one when the last event ended a save.
        let first = Instant::now();
        let mut last = first;
        loop {
            let quiet = if ended {
                SETTLE.min(options.debounce)
            } else {
                options.debounce
            };
            let quiet_left = quiet.saturating_sub(last.elapsed());
            if quiet_left.is_zero() || first.elapsed() >= MAX_DEBOUNCE {
                break;
            }
            match events.recv_timeout(quiet_left) {
                Ok(event) => {
                    if let Some(ends) = take(event, &mut changed) {
                        ended = ends;
                        last = Instant::now();
                    }
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if shared.stopping() {
            return;
        }
        changed.paths.sort();
        changed.paths.dedup();
        // Events that arrive during the build stay queued and start the next round: a save
        // during a build is never lost, at worst built twice.
        rebuild(shared, options, builder, &changed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_events_are_ignored_except_close_after_write() {
        assert_eq!(
            classify(&EventKind::Access(AccessKind::Close(AccessMode::Write))),
            Change::Modified
        );
        for kind in [
            AccessKind::Any,
            AccessKind::Read,
            AccessKind::Other,
            AccessKind::Open(AccessMode::Any),
            AccessKind::Open(AccessMode::Write),
            AccessKind::Close(AccessMode::Read),
            AccessKind::Close(AccessMode::Execute),
            AccessKind::Close(AccessMode::Any),
            AccessKind::Close(AccessMode::Other),
        ] {
            assert_eq!(
                classify(&EventKind::Access(kind)),
                Change::Ignored,
                "{kind:?}"
            );
        }
    }

    #[test]
    fn create_events_are_creations() {
        for kind in [
            CreateKind::Any,
            CreateKind::File,
            CreateKind::Folder,
            CreateKind::Other,
        ] {
            assert_eq!(
                classify(&EventKind::Create(kind)),
                Change::Created,
                "{kind:?}"
            );
        }
    }

    #[test]
    fn data_changes_are_modifications() {
        for kind in [
            DataChange::Any,
            DataChange::Size,
            DataChange::Content,
            DataChange::Other,
        ] {
            assert_eq!(
                classify(&EventKind::Modify(ModifyKind::Data(kind))),
                Change::Modified
            );
        }
        assert_eq!(
            classify(&EventKind::Modify(ModifyKind::Any)),
            Change::Modified
        );
        assert_eq!(
            classify(&EventKind::Modify(ModifyKind::Other)),
            Change::Modified
        );
    }

    #[test]
    fn metadata_changes_rebuild_except_access_time() {
        assert_eq!(
            classify(&EventKind::Modify(ModifyKind::Metadata(
                MetadataKind::AccessTime
            ))),
            Change::Ignored
        );
        for kind in [
            MetadataKind::Any,
            MetadataKind::WriteTime,
            MetadataKind::Permissions,
            MetadataKind::Ownership,
            MetadataKind::Extended,
            MetadataKind::Other,
        ] {
            assert_eq!(
                classify(&EventKind::Modify(ModifyKind::Metadata(kind))),
                Change::Modified,
                "{kind:?}"
            );
        }
    }

    #[test]
    fn renames_in_every_mode_are_renames() {
        for mode in [
            RenameMode::Any,
            RenameMode::To,
            RenameMode::From,
            RenameMode::Both,
            RenameMode::Other,
        ] {
            assert_eq!(
                classify(&EventKind::Modify(ModifyKind::Name(mode))),
                Change::Renamed,
                "{mode:?}"
            );
        }
    }

    #[test]
    fn removals_are_removals() {
        for kind in [
            RemoveKind::Any,
            RemoveKind::File,
            RemoveKind::Folder,
            RemoveKind::Other,
        ] {
            assert_eq!(
                classify(&EventKind::Remove(kind)),
                Change::Removed,
                "{kind:?}"
            );
        }
    }

    #[test]
    fn unknown_kinds_rebuild_to_be_safe() {
        assert_eq!(classify(&EventKind::Any), Change::Unknown);
        assert_eq!(classify(&EventKind::Other), Change::Unknown);
    }

    #[test]
    fn editor_temp_files_are_ignored_real_files_are_not() {
        for name in [
            ".fredericia.toml.swp",
            "fredericia.toml.swp",
            "fredericia.toml.swx",
            "fredericia.toml~",
            ".#fredericia.toml",
            "#fredericia.toml#",
            "4913",
            "fredericia.toml.tmp",
            ".goutputstream-ABC123",
            "fredericia.toml___jb_tmp___",
            "style.css.kate-swp",
        ] {
            assert!(
                is_editor_temp(Path::new("content").join(name).as_path()),
                "{name}"
            );
        }
        for name in [
            "fredericia.toml",
            "site.toml",
            "style.css",
            "kommune-01.toml",
        ] {
            assert!(
                !is_editor_temp(Path::new("content").join(name).as_path()),
                "{name}"
            );
        }
    }

    #[test]
    fn a_rename_over_the_real_file_is_relevant_though_the_temp_file_is_not() {
        let event = Event::new(EventKind::Modify(ModifyKind::Name(RenameMode::Both)))
            .add_path(PathBuf::from("content/.fredericia.toml.tmp"))
            .add_path(PathBuf::from("content/fredericia.toml"));
        assert_eq!(
            relevant(&event, None),
            Some(vec![PathBuf::from("content/fredericia.toml")])
        );
        let temp_only =
            Event::new(EventKind::Create(CreateKind::File)).add_path(PathBuf::from("content/4913"));
        assert_eq!(relevant(&temp_only, None), None);
    }

    #[test]
    fn only_a_closed_write_or_a_rename_onto_the_real_file_ends_a_save() {
        let event = |kind, paths: &[&str]| {
            paths
                .iter()
                .fold(Event::new(kind), |e, p| e.add_path(PathBuf::from(p)))
        };
        let real = "content/odsherred.toml";
        let temp = "content/.odsherred.toml.tmp";
        let backup = "content/odsherred.toml~";
        let close = EventKind::Access(AccessKind::Close(AccessMode::Write));
        let name = |mode| EventKind::Modify(ModifyKind::Name(mode));
        assert!(completes_save(&event(close, &[real])));
        assert!(completes_save(&event(name(RenameMode::To), &[real])));
        assert!(completes_save(&event(
            name(RenameMode::Both),
            &[temp, real]
        )));
        // vim moves the real file to its backup before writing the new one.
        assert!(!completes_save(&event(
            name(RenameMode::Both),
            &[real, backup]
        )));
        assert!(!completes_save(&event(name(RenameMode::From), &[real])));
        assert!(!completes_save(&event(close, &[temp])));
        for kind in [
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            EventKind::Create(CreateKind::File),
            EventKind::Remove(RemoveKind::File),
            EventKind::Any,
        ] {
            assert!(!completes_save(&event(kind, &[real])), "{kind:?}");
        }
    }
}
