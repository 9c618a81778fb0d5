//! When a burst of file events is over: notify's raw events in, one [`Batch`] out, as soon as
//! every file they name is whole.
//!
//! A file whose writer has closed it, or that was renamed into place, is whole: that is how
//! an editor's save ends, in place or through a temporary file. Its batch goes out once
//! [`GRACE`] has passed with nothing more said about it, for the chmod or the deletion of a
//! backup that follows a save at once. A file written and still open, and a note removed or
//! moved away (it may come back, as vim's rename-style save brings it), hold the batch
//! until they have been quiet for [`QUIET`]. A file that is never quiet (a download into
//! the vault, a log kept open) holds it no longer than [`LONGEST`].
//!
//! Pure: the caller says when each event arrived and waits until [`Settle::due`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind, RenameMode};
use notify::{Event, EventKind};

use super::{Batch, Change, WatchError, plan::is_hidden_or_litter};

/// How long a whole file stays quiet before its batch goes: a save's last steps after the
/// close (a chmod, vim's deletion of its backup) come within microseconds.
pub const GRACE: Duration = Duration::from_millis(2);
/// How long any other file must be quiet before we read it.
///
/// Editors' in-place saves (truncate, write, maybe chmod or fsync) land within a few
/// milliseconds, vim's rename-style backup within a few more; 20 ms absorbs them (the bench
/// README's cost breakdown allows that much). A longer window only adds latency, and a note
/// caught mid-write anyway is read again at its writer's next event.
pub const QUIET: Duration = Duration::from_millis(20);
/// The longest a batch waits for a file that keeps changing.
pub const LONGEST: Duration = Duration::from_millis(250);

/// Events gathered since the last batch went out.
#[derive(Debug)]
pub struct Settle {
    root: PathBuf,
    batch: Batch,
    /// When the first event of the batch, and the last, arrived.
    first: Option<Instant>,
    last: Option<Instant>,
    /// Each file that matters with the time of its last event, and whether that left it whole.
    files: HashMap<PathBuf, (Instant, bool)>,
    /// The last move out of a path, while its arrival may still be told: notify's tracker
    /// (inotify's cookie) and where its change is in the batch.
    moving: Option<(Option<usize>, usize)>,
}

impl Settle {
    /// Nothing gathered yet, for a watch of `root` (events name paths under it).
    pub fn new(root: &Path) -> Settle {
        Settle {
            root: root.to_path_buf(),
            batch: Batch::default(),
            first: None,
            last: None,
            files: HashMap::new(),
            moving: None,
        }
    }

    /// When the batch gathered so far is to go out; `None` while there is none.
    pub fn due(&self) -> Option<Instant> {
        let (first, last) = (self.first?, self.last?);
        let quiet = |&(at, whole): &(Instant, bool)| at + if whole { GRACE } else { QUIET };
        let settled = self.files.values().map(quiet).max().unwrap_or(last + GRACE);
        Some(settled.min(first + LONGEST))
    }

    /// The batch gathered so far, gathering anew.
    pub fn take(&mut self) -> Batch {
        self.first = None;
        self.last = None;
        self.files.clear();
        self.moving = None;
        std::mem::take(&mut self.batch)
    }

    /// Watching failed: events may have been lost, so a full rescan is asked with it.
    pub fn failed(&mut self, error: WatchError, at: Instant) {
        self.arrived(at);
        self.batch.rescan = true;
        self.batch.errors.push(error);
    }

    /// Takes in one of notify's events, arrived `at`. Access events add no change: a burst
    /// of 3,000 new notes is 9,000 events, two thirds of them opens and closes. A close
    /// after writing only says that its file is whole.
    pub fn push(&mut self, event: &Event, at: Instant) {
        self.arrived(at);
        let moving = self.moving.take();
        if event.need_rescan() {
            self.batch.rescan = true;
            return;
        }
        let paths = &event.paths;
        match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                for path in paths {
                    self.file(path, at, true);
                }
                // A close may come between a move's two halves on no system we know of, but
                // it cannot hurt to keep waiting for the arrival.
                self.moving = moving;
            }
            EventKind::Access(_) | EventKind::Other => self.moving = moving,
            EventKind::Create(kind) => {
                for path in paths {
                    let dir = match kind {
                        CreateKind::File => false,
                        CreateKind::Folder => true,
                        _ => path.is_dir(),
                    };
                    // A new folder is whole; a new file is being written.
                    self.file(path, at, dir);
                    if let Some(rel) = self.rel(path) {
                        self.batch.changes.push(Change {
                            dir,
                            ..Change::created(rel)
                        });
                    }
                }
            }
            EventKind::Modify(ModifyKind::Name(mode)) => {
                self.renamed(mode, event.tracker(), paths, moving, at);
            }
            EventKind::Modify(kind) => {
                for path in paths {
                    // A change of metadata (a chmod, a touch) leaves a whole file whole.
                    let whole = matches!(kind, ModifyKind::Metadata(_))
                        && self.files.get(path).is_none_or(|&(_, whole)| whole);
                    self.file(path, at, whole);
                    if let Some(rel) = self.rel(path) {
                        self.batch.changes.push(Change::modified(rel));
                    }
                }
            }
            EventKind::Remove(_) => {
                for path in paths {
                    self.gone(path, at);
                    if let Some(rel) = self.rel(path) {
                        self.batch.changes.push(Change::removed(rel));
                    }
                }
            }
            EventKind::Any => {
                for path in paths {
                    self.file(path, at, false);
                    if let Some(rel) = self.rel(path) {
                        self.batch.changes.push(if path.exists() {
                            Change::modified(rel)
                        } else {
                            Change::removed(rel)
                        });
                    }
                }
            }
        }
    }

    /// A move: away from a path (which may come back), into one (whole), or both at once.
    /// inotify tells a move within the vault as its two halves with one tracker, and then
    /// once more as both, which is skipped; the halves become one rename here.
    fn renamed(
        &mut self,
        mode: RenameMode,
        tracker: Option<usize>,
        paths: &[PathBuf],
        moving: Option<(Option<usize>, usize)>,
        at: Instant,
    ) {
        let (from, to) = match (mode, paths) {
            (RenameMode::Both, _) => {
                self.moving = moving;
                return;
            }
            (RenameMode::From, [from]) => (Some(from), None),
            (RenameMode::To, [to]) => (None, Some(to)),
            (_, [path]) if path.exists() => (None, Some(path)),
            (_, [path]) => (Some(path), None),
            _ => return,
        };
        if let Some(from) = from {
            self.gone(from, at);
            if let Some(rel) = self.rel(from) {
                self.moving = Some((tracker, self.batch.changes.len()));
                self.batch.changes.push(Change::removed(rel));
            }
            return;
        }
        let Some(to) = to else { return };
        self.file(to, at, true);
        let Some(rel) = self.rel(to) else { return };
        let dir = to.is_dir();
        let away = moving
            .filter(|&(from_tracker, _)| from_tracker == tracker)
            .and_then(|(_, at)| Some(at).zip(self.batch.changes.get(at)));
        let change = match away {
            Some((at, away)) => {
                let from = away.path.clone();
                self.batch.changes.remove(at);
                Change::renamed(from, rel)
            }
            None => Change::created(rel),
        };
        self.batch.changes.push(Change { dir, ..change });
    }

    fn arrived(&mut self, at: Instant) {
        self.first.get_or_insert(at);
        self.last = Some(at);
    }

    /// Notes what `path`'s last event left it as, when it is a file that matters: hidden
    /// files, app folders and editor litter never hold a batch.
    fn file(&mut self, path: &Path, at: Instant, whole: bool) {
        if self.rel(path).is_some_and(|rel| !is_hidden_or_litter(&rel)) {
            self.files.insert(path.to_path_buf(), (at, whole));
        }
    }

    /// Notes that `path` was removed or moved away. A note may come back (vim's
    /// rename-style save), and is waited for; anything else holds nothing any more: the
    /// temporary file of a save through one (`sed -i`'s `sedX4b2c1`) is gone for good once
    /// it is renamed over the note.
    fn gone(&mut self, path: &Path, at: Instant) {
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"))
        {
            self.file(path, at, false);
        } else {
            self.files.remove(path);
        }
    }

    fn rel(&self, path: &Path) -> Option<PathBuf> {
        path.strip_prefix(&self.root)
            .ok()
            .filter(|r| !r.as_os_str().is_empty())
            .map(Path::to_path_buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::watch::ChangeKind;
    use notify::event::{MetadataKind, RemoveKind};

    const ROOT: &str = "/nonexistent-vault";

    fn event(kind: EventKind, paths: &[&str]) -> Event {
        paths
            .iter()
            .fold(Event::new(kind), |e, p| e.add_path(Path::new(ROOT).join(p)))
    }

    fn write(path: &str) -> Event {
        event(
            EventKind::Modify(ModifyKind::Data(notify::event::DataChange::Any)),
            &[path],
        )
    }

    fn close(path: &str) -> Event {
        event(
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            &[path],
        )
    }

    fn chmod(path: &str) -> Event {
        event(
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::Permissions)),
            &[path],
        )
    }

    fn create(path: &str) -> Event {
        event(EventKind::Create(CreateKind::File), &[path])
    }

    fn remove(path: &str) -> Event {
        event(EventKind::Remove(RemoveKind::File), &[path])
    }

    fn away(path: &str, cookie: usize) -> Event {
        event(
            EventKind::Modify(ModifyKind::Name(RenameMode::From)),
            &[path],
        )
        .set_tracker(cookie)
    }

    fn into(path: &str, cookie: usize) -> Event {
        event(EventKind::Modify(ModifyKind::Name(RenameMode::To)), &[path]).set_tracker(cookie)
    }

    fn both(from: &str, to: &str, cookie: usize) -> Event {
        event(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &[from, to],
        )
        .set_tracker(cookie)
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// The events pushed a millisecond apart from `t0`, and when their batch is due, counted
    /// from `t0`.
    fn due_after(events: &[Event]) -> (Settle, Duration) {
        let t0 = Instant::now();
        let mut settle = Settle::new(Path::new(ROOT));
        for (i, e) in events.iter().enumerate() {
            settle.push(e, t0 + ms(i as u64));
        }
        let due = settle.due().expect("a batch");
        (settle, due - t0)
    }

    #[test]
    fn nothing_gathered_is_never_due() {
        let mut settle = Settle::new(Path::new(ROOT));
        assert_eq!(settle.due(), None);
        settle.push(&write("Ada.md"), Instant::now());
        settle.take();
        assert_eq!(settle.due(), None);
    }

    #[test]
    fn an_in_place_save_goes_out_as_soon_as_it_is_closed() {
        let (mut settle, due) = due_after(&[write("Ada.md"), write("Ada.md"), close("Ada.md")]);
        assert_eq!(due, ms(2) + GRACE);
        let batch = settle.take();
        assert_eq!(
            batch.changes,
            vec![Change::modified("Ada.md"), Change::modified("Ada.md")]
        );
    }

    #[test]
    fn a_chmod_after_the_close_keeps_the_file_whole_and_before_it_does_not() {
        let (_, due) = due_after(&[write("Ada.md"), close("Ada.md"), chmod("Ada.md")]);
        assert_eq!(due, ms(2) + GRACE);
        let (_, due) = due_after(&[write("Ada.md"), chmod("Ada.md")]);
        assert_eq!(due, ms(1) + QUIET);
        // A touch of a file nobody is writing.
        let (_, due) = due_after(&[chmod("Ada.md")]);
        assert_eq!(due, GRACE);
    }

    #[test]
    fn a_file_still_open_holds_the_batch_until_it_is_quiet() {
        let (_, due) = due_after(&[write("Ada.md"), close("Ada.md"), write("Bo.md")]);
        assert_eq!(due, ms(2) + QUIET);
        // Written again after its close: open again.
        let (_, due) = due_after(&[write("Ada.md"), close("Ada.md"), write("Ada.md")]);
        assert_eq!(due, ms(2) + QUIET);
    }

    #[test]
    fn a_save_through_a_temporary_file_is_whole_when_it_is_renamed_into_place() {
        let tmp = ".Ada.md.sb-1234";
        let (mut settle, due) = due_after(&[
            create(tmp),
            write(tmp),
            close(tmp),
            away(tmp, 7),
            into("Ada.md", 7),
            both(tmp, "Ada.md", 7),
        ]);
        assert_eq!(due, ms(4) + GRACE);
        let changes = settle.take().changes;
        assert_eq!(changes.last(), Some(&Change::renamed(tmp, "Ada.md")));
        assert_eq!(changes.len(), 3, "{changes:?}");
    }

    #[test]
    fn a_temporary_file_renamed_over_the_note_holds_nothing_once_it_is_gone() {
        // `sed -i` and JetBrains' safe write: their temporary file is no note, and no hidden one.
        for tmp in ["People/sedX4b2c1", "People/Ada.md___jb_tmp___"] {
            let (mut settle, due) = due_after(&[
                create(tmp),
                write(tmp),
                close(tmp),
                away(tmp, 5),
                into("People/Ada.md", 5),
            ]);
            assert_eq!(due, ms(4) + GRACE, "{tmp}");
            let changes = settle.take().changes;
            assert_eq!(changes.last(), Some(&Change::renamed(tmp, "People/Ada.md")));
            // Removed rather than moved, it holds nothing either.
            let (_, due) = due_after(&[write("Ada.md"), close("Ada.md"), remove(tmp)]);
            assert_eq!(due, ms(1) + GRACE, "{tmp}");
        }
    }

    #[test]
    fn vims_rename_style_save_waits_for_the_note_to_be_written_again() {
        // vim moves the note to its backup, writes a new one, then deletes the backup.
        let (mut settle, due) = due_after(&[away("Ada.md", 3), into("Ada.md~", 3)]);
        assert_eq!(due, QUIET, "the note is gone for now, and may come back");
        let t = Instant::now();
        for (i, e) in [
            create("Ada.md"),
            write("Ada.md"),
            close("Ada.md"),
            chmod("Ada.md"),
            remove("Ada.md~"),
        ]
        .iter()
        .enumerate()
        {
            settle.push(e, t + ms(i as u64));
        }
        assert_eq!(settle.due(), Some(t + ms(3) + GRACE));
        let changes = settle.take().changes;
        assert_eq!(changes[0], Change::renamed("Ada.md", "Ada.md~"));
        assert_eq!(changes[1], Change::created("Ada.md"));
    }

    #[test]
    fn a_removal_or_a_move_out_waits_for_quiet() {
        let (mut settle, due) = due_after(&[remove("Ada.md")]);
        assert_eq!(due, QUIET);
        assert_eq!(settle.take().changes, vec![Change::removed("Ada.md")]);
        // The move's other half never comes: the note left the vault.
        let (mut settle, due) = due_after(&[away("Ada.md", 9)]);
        assert_eq!(due, QUIET);
        assert_eq!(settle.take().changes, vec![Change::removed("Ada.md")]);
    }

    #[test]
    fn halves_of_different_moves_are_not_joined() {
        let (mut settle, _) = due_after(&[away("Ada.md", 1), into("Bo.md", 2)]);
        assert_eq!(
            settle.take().changes,
            vec![Change::removed("Ada.md"), Change::created("Bo.md")]
        );
        // An event between the halves ends the wait for the arrival.
        let (mut settle, _) = due_after(&[away("Ada.md", 1), write("Cy.md"), into("Bo.md", 1)]);
        let changes = settle.take().changes;
        assert_eq!(changes[2], Change::created("Bo.md"));
    }

    #[test]
    fn a_move_into_a_new_folder_keeps_its_path_and_kind() {
        let (mut settle, _) = due_after(&[
            event(EventKind::Create(CreateKind::Folder), &["people"]),
            away("Ada.md", 4),
            into("people/Ada.md", 4),
        ]);
        let changes = settle.take().changes;
        assert_eq!(changes[0], Change::created("people").folder());
        assert_eq!(
            changes[1].kind,
            ChangeKind::Renamed {
                from: PathBuf::from("Ada.md")
            }
        );
        assert_eq!(changes[1].path, Path::new("people/Ada.md"));
    }

    #[test]
    fn hidden_files_and_litter_never_hold_a_batch() {
        let (mut settle, due) = due_after(&[
            write("Ada.md"),
            close("Ada.md"),
            write(".obsidian/workspace.json"),
            write(".Ada.md.swp"),
            write("Ada.md~"),
        ]);
        assert_eq!(due, ms(1) + GRACE);
        assert_eq!(settle.take().changes.len(), 4, "their changes still go");
        // Nothing but litter goes out after the grace.
        let (_, due) = due_after(&[write(".obsidian/workspace.json")]);
        assert_eq!(due, GRACE);
    }

    #[test]
    fn a_file_that_is_never_quiet_holds_the_batch_no_longer_than_the_longest_wait() {
        let t0 = Instant::now();
        let mut settle = Settle::new(Path::new(ROOT));
        let mut t = t0;
        while t < t0 + LONGEST * 2 {
            settle.push(&write("download.md"), t);
            t += ms(5);
        }
        assert_eq!(settle.due(), Some(t0 + LONGEST));
    }

    #[test]
    fn lost_events_and_failures_ask_for_a_rescan() {
        let t = Instant::now();
        let mut settle = Settle::new(Path::new(ROOT));
        settle.push(
            &Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan),
            t,
        );
        assert!(settle.due().is_some());
        assert!(settle.take().rescan);
        settle.failed(WatchError::TooManyFolders, t);
        let batch = settle.take();
        assert!(batch.rescan);
        assert_eq!(batch.errors.len(), 1);
    }

    #[test]
    fn events_outside_the_vault_or_at_its_root_add_no_change() {
        let t = Instant::now();
        let mut settle = Settle::new(Path::new(ROOT));
        settle.push(
            &Event::new(EventKind::Create(CreateKind::File)).add_path("/elsewhere/a.md".into()),
            t,
        );
        settle.push(&event(EventKind::Remove(RemoveKind::Folder), &[""]), t);
        assert!(settle.take().changes.is_empty());
    }
}
