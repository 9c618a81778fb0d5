//! File-system events in, decisions out. The only module that knows notify.
//!
//! notify's events become our own [`Change`]s as they come, gathered into a batch until the
//! files they name are whole (`settle`); the pure [`plan()`] decides what to re-read, forget
//! or rescan; [`Memo`] keeps what a pass computed, so the next pass after an edit costs about
//! what the edit changed.

mod memo;
mod plan;
mod settle;

pub use memo::Memo;
pub use plan::{OwnWrites, Plan, plan};

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher as _};

use settle::Settle;

pub use crate::write::content_hash;

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
    Native(notify::RecommendedWatcher),
    Poll(notify::PollWatcher),
}

/// Watches `root` (recursively; the folder, never single files, so editors that replace a
/// file's inode are still seen) and hands each batch to `deliver` once `Settle` says its
/// files are whole, on a thread of its own that sleeps while nothing happens. `root` must be
/// canonical: events name paths under it.
pub fn start(
    root: &Path,
    poll: bool,
    mut deliver: impl FnMut(Batch) + Send + 'static,
) -> Result<Watcher, WatchError> {
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut settle = Settle::new(root);
    std::thread::Builder::new()
        .name("vault-reach settle".into())
        .spawn(move || {
            loop {
                let next = match settle.due() {
                    None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
                    Some(due) => rx.recv_timeout(due.saturating_duration_since(Instant::now())),
                };
                match next {
                    Ok(Ok(event)) => settle.push(&event, Instant::now()),
                    Ok(Err(err)) => settle.failed(err.into(), Instant::now()),
                    Err(RecvTimeoutError::Timeout) => {}
                    // The watcher is gone: nobody waits for its batches any more.
                    Err(RecvTimeoutError::Disconnected) => break,
                }
                if settle.due().is_some_and(|due| due <= Instant::now()) {
                    deliver(settle.take());
                }
            }
        })
        .map_err(|err| WatchError::Other(err.to_string()))?;
    if poll {
        let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
        let mut watcher = notify::PollWatcher::new(tx, config)?;
        watcher.watch(root, RecursiveMode::Recursive)?;
        Ok(Watcher::Poll(watcher))
    } else {
        let mut watcher = notify::RecommendedWatcher::new(tx, notify::Config::default())?;
        watcher.watch(root, RecursiveMode::Recursive)?;
        Ok(Watcher::Native(watcher))
    }
}
