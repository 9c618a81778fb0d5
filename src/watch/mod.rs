//! File-system events in, decisions out. The only module that knows notify.
//!
//! notify's debounced events become our own [`Change`]s at once (in [`start`]'s handler), and
//! the pure [`plan()`] decides what to re-read, forget or rescan; [`Memo`] keeps what a pass
//! computed, so the next pass after an edit costs about what the edit changed.

mod memo;
mod plan;

pub use memo::Memo;
pub use plan::{OwnWrites, Plan, plan};

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::event::{CreateKind, ModifyKind, RenameMode};
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, DebouncedEvent, Debouncer, NoCache};

pub use crate::write::content_hash;

/// How long a file must be quiet before we read it.
///
/// Editors' in-place saves (truncate, write, maybe chmod or fsync) land within a few
/// milliseconds, vim's rename-style backup within a few more; 20 ms absorbs them (the bench
/// README's cost breakdown allows that much) and leaves room in the 50 ms budget from save to
/// re-rendered note. A longer window only adds latency to every edit, and a note caught
/// mid-write anyway keeps its last good parse until the editor's next event re-reads it.
pub const DEBOUNCE: Duration = Duration::from_millis(20);
/// How often `--poll` looks at every file: a stat walk of a large vault is not free, and 2 s
/// keeps a network share's vault current without a busy core.
pub const POLL_INTERVAL: Duration = Duration::from_secs(2);
/// A batch naming more notes than this (a `git checkout`, a sync catching up) is cheaper and
/// safer as one full rescan than as note-by-note re-reads.
pub const MAX_REREADS: usize = 500;

/// What happened to one path, relative to the vault root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub path: PathBuf,
    pub kind: ChangeKind,
    /// The path is a folder (the OS said so, or it was one when the event arrived).
    pub dir: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    Created,
    Modified,
    Removed,
    /// Moved here from `from` (vault-relative); a move out of the vault is `Removed`.
    Renamed {
        from: PathBuf,
    },
}

impl Change {
    pub fn created(path: impl Into<PathBuf>) -> Change {
        Change::new(path, ChangeKind::Created)
    }
    pub fn modified(path: impl Into<PathBuf>) -> Change {
        Change::new(path, ChangeKind::Modified)
    }
    pub fn removed(path: impl Into<PathBuf>) -> Change {
        Change::new(path, ChangeKind::Removed)
    }
    pub fn renamed(from: impl Into<PathBuf>, to: impl Into<PathBuf>) -> Change {
        Change::new(to, ChangeKind::Renamed { from: from.into() })
    }
    /// The same change, to a folder.
    #[must_use]
    pub fn folder(mut self) -> Change {
        self.dir = true;
        self
    }
    fn new(path: impl Into<PathBuf>, kind: ChangeKind) -> Change {
        Change {
            path: path.into(),
            kind,
            dir: false,
        }
    }
}

/// One debounced batch from the OS.
#[derive(Debug, Default)]
pub struct Batch {
    pub changes: Vec<Change>,
    /// The OS lost events (inotify's queue overflowed): only a full rescan is right.
    pub rescan: bool,
    /// What went wrong while watching; events may have been lost, so a rescan is asked too.
    pub errors: Vec<WatchError>,
}

/// Watching failed or lost track.
#[derive(Debug, Clone, thiserror::Error)]
pub enum WatchError {
    #[error(
        "the system's limit on watched folders is reached, so changes in some folders would go \
         unseen. Raise it: `sudo sysctl fs.inotify.max_user_watches=524288` (and put \
         `fs.inotify.max_user_watches=524288` in /etc/sysctl.d/90-vault-reach.conf to keep it), \
         or run `vault-reach watch --poll`, which looks at every file every {}s instead",
        POLL_INTERVAL.as_secs()
    )]
    TooManyFolders,
    #[error("cannot watch the vault: {0}")]
    Other(String),
}

impl From<notify::Error> for WatchError {
    fn from(err: notify::Error) -> Self {
        match err.kind {
            notify::ErrorKind::MaxFilesWatch => WatchError::TooManyFolders,
            _ => WatchError::Other(err.to_string()),
        }
    }
}

/// A running watcher; dropping it stops watching.
pub enum Watcher {
    Native(Debouncer<notify::RecommendedWatcher, notify_debouncer_full::RecommendedCache>),
    Poll(Debouncer<notify::PollWatcher, NoCache>),
}

/// Watches `root` (recursively; the folder, never single files, so editors that replace a
/// file's inode are still seen) and hands every debounced batch to `deliver`, on notify's
/// thread. `root` must be canonical: events name paths under it.
pub fn start(
    root: &Path,
    poll: bool,
    mut deliver: impl FnMut(Batch) + Send + 'static,
) -> Result<Watcher, WatchError> {
    let base = root.to_path_buf();
    let handler = move |result: DebounceEventResult| {
        deliver(match result {
            Ok(events) => changes(&base, &events),
            Err(errors) => Batch {
                rescan: true,
                errors: errors.into_iter().map(WatchError::from).collect(),
                ..Batch::default()
            },
        });
    };
    if poll {
        let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
        let mut debouncer = notify_debouncer_full::new_debouncer_opt::<_, notify::PollWatcher, _>(
            DEBOUNCE, None, handler, NoCache, config,
        )?;
        debouncer.watch(root, RecursiveMode::Recursive)?;
        Ok(Watcher::Poll(debouncer))
    } else {
        let mut debouncer = notify_debouncer_full::new_debouncer(DEBOUNCE, None, handler)?;
        debouncer.watch(root, RecursiveMode::Recursive)?;
        Ok(Watcher::Native(debouncer))
    }
}

/// notify's events as our changes, vault-relative; access events are dropped (a burst of
/// 3,000 new notes is 9,000 events, two thirds of them opens and closes).
fn changes(root: &Path, events: &[DebouncedEvent]) -> Batch {
    let rel = |p: &Path| {
        p.strip_prefix(root)
            .ok()
            .filter(|r| !r.as_os_str().is_empty())
            .map(Path::to_path_buf)
    };
    let mut batch = Batch::default();
    for event in events {
        if event.need_rescan() {
            batch.rescan = true;
            continue;
        }
        let paths = &event.paths;
        match event.kind {
            EventKind::Access(_) | EventKind::Other => {}
            EventKind::Create(kind) => {
                for path in paths {
                    if let Some(r) = rel(path) {
                        let dir = match kind {
                            CreateKind::File => false,
                            CreateKind::Folder => true,
                            _ => path.is_dir(),
                        };
                        batch.changes.push(Change {
                            dir,
                            ..Change::created(r)
                        });
                    }
                }
            }
            EventKind::Modify(ModifyKind::Name(mode)) => {
                let (from, to) = match (mode, paths.as_slice()) {
                    (RenameMode::Both, [from, to]) => (rel(from), Some(to)),
                    (RenameMode::From, [from]) => (rel(from), None),
                    (RenameMode::To, [to]) => (None, Some(to)),
                    (_, [path]) if path.exists() => (None, Some(path)),
                    (_, [path]) => (rel(path), None),
                    _ => continue,
                };
                let to = to.and_then(|p| rel(p).map(|r| (r, p.is_dir())));
                batch.changes.push(match (from, to) {
                    (Some(from), Some((to, dir))) => Change {
                        dir,
                        ..Change::renamed(from, to)
                    },
                    (None, Some((to, dir))) => Change {
                        dir,
                        ..Change::created(to)
                    },
                    (Some(from), None) => Change::removed(from),
                    (None, None) => continue,
                });
            }
            EventKind::Modify(_) => {
                batch
                    .changes
                    .extend(paths.iter().filter_map(|p| rel(p)).map(Change::modified));
            }
            EventKind::Remove(_) => {
                batch
                    .changes
                    .extend(paths.iter().filter_map(|p| rel(p)).map(Change::removed));
            }
            EventKind::Any => {
                for path in paths {
                    if let Some(r) = rel(path) {
                        batch.changes.push(if path.exists() {
                            Change::modified(r)
                        } else {
                            Change::removed(r)
                        });
                    }
                }
            }
        }
    }
    batch
}
