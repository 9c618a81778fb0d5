//! The only code that writes files: atomically, only when the content changes, and never over
//! a file that is not ours.
//!
//! Generated notes carry `generated-by: vault-reach` in their front-matter; any other file at
//! an output path is left byte-identical and reported. When the user changed a generated note
//! beyond its checkboxes, their version is kept under `.vault-reach/backup/` first.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::note::marker::is_generated;
use crate::state::DeviceState;

/// Where we remember what we last wrote to each output, to tell the user's edits from ours.
const BACKUPS: &str = ".vault-reach/backup";

/// What happened to one output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Unchanged,
    Written,
    /// Written, after keeping the user's edited version at this vault-relative path.
    WrittenWithBackup(PathBuf),
    /// Not rewritten, because it holds ticks that could not be recorded yet.
    Held,
    /// Not rewritten, because someone saved it after the pass read it (a tick, as a rule):
    /// the pass must read it again.
    Moved,
    /// Not rewritten, because it is the list for this later day, written by a device whose
    /// clock is ahead of this one's.
    Later(chrono::NaiveDate),
}

/// An output path holds a file vault-reach did not write.
#[derive(Debug, thiserror::Error)]
#[error(
    "`{0}` exists and was not written by vault-reach (no `generated-by: vault-reach` in its front-matter); \
     it was left untouched: move it away, or set another path in .vault-reach/config.toml"
)]
pub struct NotOurs(pub String);

/// Why a file of the vault was not written. Each names the file; the OS's reason is its source.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot create the folder `{}`", .path.display())]
    CreateFolder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write in `{}`", .path.display())]
    WriteIn {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read `{}`", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write `{}`", .path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot replace `{}`", .path.display())]
    Replace {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot create `{}`", .path.display())]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "cannot read the extended attributes of `{}`, which a replacement would lose; it was left as it is",
        .path.display()
    )]
    Attributes {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "cannot keep the extended attribute `{name}` of `{}` in its replacement; it was left as it is",
        .path.display()
    )]
    Attribute {
        path: PathBuf,
        name: String,
        source: std::io::Error,
    },
    #[error("cannot remove `{}`", .path.display())]
    Remove {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot clean up after `{}`", .path.display())]
    CleanUp {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The edit itself refused the note's text.
    #[error("`{}` was not changed", .path.display())]
    Edit {
        path: PathBuf,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error(
        "`{}` is a symbolic link; vault-reach does not write through links, so it was left as it is",
        .0.display()
    )]
    Link(PathBuf),
    #[error("`{}` is read-only; vault-reach leaves it as it is", .0.display())]
    ReadOnly(PathBuf),
    #[error(
        "`{}` is not a regular file (a pipe, a socket or a device); vault-reach reads and replaces only files",
        .0.display()
    )]
    NotRegular(PathBuf),
    #[error(transparent)]
    NotOurs(#[from] NotOurs),
    #[error(transparent)]
    KeptChanging(#[from] KeptChanging),
}

/// An I/O error at `path`, as the `WriteError` variant `kind` builds it.
fn at(
    path: &Path,
    kind: fn(PathBuf, std::io::Error) -> WriteError,
) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| kind(path.to_path_buf(), source)
}

/// Refuses to replace `path` when it is a symbolic link (an atomic replace would put a file
/// in the link's place, and reach outside the vault to read it) or read-only (someone made
/// it so on purpose). A path that does not exist yet is fine.
fn replaceable(path: &Path) -> Result<(), WriteError> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(WriteError::Link(path.to_path_buf())),
        Ok(meta) if !meta.is_file() => Err(WriteError::NotRegular(path.to_path_buf())),
        Ok(meta) if meta.permissions().readonly() => Err(WriteError::ReadOnly(path.to_path_buf())),
        _ => Ok(()),
    }
}

/// Writes `contents` to `path` through a temporary file in the same folder (with the
/// permissions and extended attributes of the file it replaces), fsynced and renamed over the
/// target, so a reader never sees half a file.
pub fn write_atomic(path: &Path, contents: &str) -> Result<(), WriteError> {
    write_atomic_bytes(path, contents.as_bytes())
}

/// [`write_atomic`] for bytes that need not be text (a backup keeps what the user saved,
/// byte for byte).
fn write_atomic_bytes(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    replaceable(path)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(at(dir, |path, source| WriteError::CreateFolder {
            path,
            source,
        }))?;
    }
    commit(staged(path, contents)?, path)
}

/// Replaces this device's cache file at `path` (in its state folder, never the vault) with
/// `contents`, through a temporary file in the same folder renamed into its place, so a
/// reader sees the old cache, none, or the new one, never half of one. Unlike [`write_atomic`] it is not
/// fsynced: the cache carries a checksum and a torn or lost one is rebuilt from the notes,
/// while syncing megabytes on every render that changed a note would cost more than the
/// cache saves. The file is the owner's alone, as it holds what the notes say.
pub fn write_cache(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    write_cache_with(path, |out| out.write_all(contents))
}

/// [`write_cache`] of what `fill` writes, streamed through a buffer rather than held whole.
pub fn write_cache_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    let cache = CacheFile::create(path)?;
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, cache.tmp.as_file());
    fill(&mut out)
        .and_then(|()| out.flush())
        .map_err(at(&cache.dir, |path, source| WriteError::WriteIn {
            path,
            source,
        }))?;
    drop(out);
    cache.persist()
}

/// A cache file of this device being written ([`write_cache`]): a temporary file beside
/// `path`, written at any offset from any thread, so that the parse cache's values are
/// written by the cores that encode them as the notes are read. [`CacheFile::persist`] puts
/// it in place; dropped before, it is removed.
pub struct CacheFile {
    tmp: tempfile::NamedTempFile,
    dir: PathBuf,
    path: PathBuf,
}

impl CacheFile {
    /// A new, empty temporary file for the cache at `path`, its folder made if need be.
    pub fn create(path: &Path) -> Result<CacheFile, WriteError> {
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        std::fs::create_dir_all(&dir).map_err(at(&dir, |path, source| {
            WriteError::CreateFolder { path, source }
        }))?;
        let tmp = temporary(&dir, false).map_err(at(&dir, |path, source| WriteError::WriteIn {
            path,
            source,
        }))?;
        Ok(CacheFile {
            tmp,
            dir,
            path: path.to_path_buf(),
        })
    }

    /// Writes all of `bytes` at `offset` of the file; past its end, the file grows to it.
    pub fn write_at(&self, bytes: &[u8], offset: u64) -> Result<(), WriteError> {
        #[cfg(unix)]
        let written = std::os::unix::fs::FileExt::write_all_at(self.tmp.as_file(), bytes, offset);
        // Never reached: without a change time nothing is cached (`Stat::of`).
        #[cfg(not(unix))]
        let written = {
            let _ = (bytes, offset);
            Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
        };
        written.map_err(at(&self.dir, |path, source| WriteError::WriteIn {
            path,
            source,
        }))
    }

    /// Puts the file in the place of the cache, whole.
    pub fn persist(self) -> Result<(), WriteError> {
        // Renamed over an existing file, ext4 (`auto_da_alloc`) starts writing the new one
        // back at once, which took the rename 15 ms for a 15 MB cache; with the old one gone
        // first it is written back when the kernel likes. A reader in between finds no
        // cache, and reads the notes.
        let _ = std::fs::remove_file(&self.path);
        self.tmp
            .persist(&self.path)
            .map_err(|err| WriteError::Replace {
                path: self.path,
                source: err.error,
            })?;
        Ok(())
    }
}

/// A temporary file of ours in `dir` ([`crate::files::TEMPORARY_PREFIX`]). `new`: it is to
/// be a new file, and gets what the umask allows; otherwise it is the owner's alone until
/// it is given the permissions of the file it replaces, so that no instant exposes a private
/// note's text more widely.
fn temporary(dir: &Path, new: bool) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder
        .prefix(crate::files::TEMPORARY_PREFIX)
        .rand_bytes(crate::files::TEMPORARY_RANDOM);
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(if new {
        0o666
    } else {
        0o600
    }));
    #[cfg(not(unix))]
    let _ = new;
    builder.tempfile_in(dir)
}

/// A temporary file beside `path` holding `contents`, synced and ready to take its place: with
/// the permissions and extended attributes of the file there now, or, when there is none,
/// those the umask allows. Dropped, it is removed.
fn staged(path: &Path, contents: &[u8]) -> Result<tempfile::NamedTempFile, WriteError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let write_in = |path, source| WriteError::WriteIn { path, source };
    // Never the metadata of a link's target: a link is refused before this, and must not
    // lend its target's mode should one appear meanwhile.
    let existing = std::fs::symlink_metadata(path).ok();
    let mut tmp = temporary(dir, existing.is_none()).map_err(at(dir, write_in))?;
    if let Some(meta) = &existing {
        tmp.as_file()
            .set_permissions(meta.permissions())
            .map_err(at(dir, write_in))?;
    }
    tmp.write_all(contents).map_err(at(dir, write_in))?;
    // After the mode: copying an access list sets the mode bits it implies, as they were.
    if existing.is_some() {
        keep_attributes(path, tmp.as_file())?;
    }
    tmp.as_file().sync_all().map_err(at(dir, write_in))?;
    Ok(tmp)
}

/// Renames `tmp` over `path`, then syncs the folder so that the rename survives a crash. A
/// failed rename removes `tmp`: no copy of the note is left beside it.
fn commit(tmp: tempfile::NamedTempFile, path: &Path) -> Result<(), WriteError> {
    // The error holds the temporary file, which is removed as it drops.
    tmp.persist(path).map_err(|err| WriteError::Replace {
        path: path.to_path_buf(),
        source: err.error,
    })?;
    #[cfg(unix)]
    {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::File::open(dir)
            .and_then(|dir| dir.sync_all())
            .map_err(at(dir, |path, source| WriteError::WriteIn { path, source }))?;
    }
    Ok(())
}

/// Gives `tmp` the extended attributes of the file at `path` (a Finder tag, a quarantine
/// mark, an access list, a label of the user's), which a replacement, being a new file, would
/// otherwise lose. One that `tmp` already has with the same value is left (a temporary file
/// is labelled by the folder as the note was, on `SELinux`); one that cannot be given refuses
/// the write, which leaves the note as it is. A file system without attributes has none to
/// keep.
#[cfg(unix)]
fn keep_attributes(path: &Path, tmp: &std::fs::File) -> Result<(), WriteError> {
    use xattr::FileExt as _;
    let unsupported = |err: &std::io::Error| {
        err.raw_os_error()
            .is_some_and(|code| code == libc::ENOTSUP || code == libc::EOPNOTSUPP)
    };
    let names = match xattr::list(path) {
        Ok(names) => names,
        Err(err) if unsupported(&err) || err.kind() == std::io::ErrorKind::NotFound => {
            return Ok(());
        }
        Err(source) => {
            return Err(WriteError::Attributes {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    for name in names {
        let refused = |source| WriteError::Attribute {
            path: path.to_path_buf(),
            name: name.to_string_lossy().into_owned(),
            source,
        };
        // `None`: removed since it was listed, so there is nothing to keep.
        let Some(value) = xattr::get(path, &name).map_err(refused)? else {
            continue;
        };
        if tmp.get_xattr(&name).ok().flatten().as_deref() == Some(value.as_slice()) {
            continue;
        }
        tmp.set_xattr(&name, &value).map_err(refused)?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn keep_attributes(_path: &Path, _tmp: &std::fs::File) -> Result<(), WriteError> {
    Ok(())
}

/// A note changed on disk while we were editing it, more often than we retried.
#[derive(Debug, thiserror::Error)]
#[error(
    "`{0}` kept changing while vault-reach was editing it (an editor or sync tool is writing it); nothing was written, try again"
)]
pub struct KeptChanging(pub String);

/// Edits the note at `path` with `edit` (text in, new text or `None` out), so that nothing
/// saved to the note meanwhile is lost. Returns the change exactly: the text the written edit
/// was made on (what was read, or what a save meanwhile made of it) and the text written (or
/// that would be, with `dry_run`); `None` when `edit` finds nothing to change.
///
/// On Linux the edited note is swapped into place (`renameat2(RENAME_EXCHANGE)`), which hands
/// back, in the same atomic step, exactly what the path held until then. If that is not what
/// the edit was made from (an editor, a sync engine or another `touch` saved in between), the
/// edit is made again on what was displaced, and swapped in again: a compare-and-swap with
/// no gap. `edit` must be idempotent (recording an outreach is): on a text that already has
/// the change it returns `None`, and that text is put back. Elsewhere, or on a file system
/// without the exchange, the note is re-read just before a plain rename.
pub fn edit_note<E>(
    path: &Path,
    dry_run: bool,
    mut edit: impl FnMut(&str) -> Result<Option<String>, E>,
) -> Result<Option<(String, String)>, WriteError>
where
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    replaceable(path)?;
    // vault-reach's own writers (two `touch`es, `touch` and `watch`) take turns on a folder:
    // the exchange below catches the saves of editors, but between two of ours it would let
    // one build, for an instant, on the other's not yet merged note.
    let _turn = FolderLock::take(path.parent().unwrap_or(Path::new(".")));
    let read = |path: &Path| {
        crate::files::read_regular_text(path)
            .map_err(at(path, |path, source| WriteError::Read { path, source }))
    };
    let mut edit = |text: &str| {
        edit(text).map_err(|source| WriteError::Edit {
            path: path.to_path_buf(),
            source: source.into(),
        })
    };
    let original = read(path)?;
    // What the path held when we last looked (the note as read, then what we swapped in),
    // and what it should hold: our edit on everything anyone saved.
    let (mut placed, mut base) = (original.clone(), original.clone());
    for _ in 0..MAX_TRIES {
        let wanted = match edit(&base)? {
            Some(target) => target,
            // Unchanged from what we read: nothing to do.
            None if base == placed && base == original => return Ok(None),
            // What someone else saved already has our change: it goes back in place.
            None => base.clone(),
        };
        if dry_run {
            return Ok(Some((original, wanted)));
        }
        let displaced = match swap_in(path, wanted.as_bytes(), Expected::Bytes(placed.as_bytes()))?
        {
            Swapped::Exchanged(Displaced::Expected) => return Ok(Some((base, wanted))),
            Swapped::Exchanged(Displaced::Other(displaced)) => displaced,
            Swapped::Unsupported => return rename_if_unchanged(path, &original, &wanted, edit),
        };
        // Someone saved `displaced` over what the path held since we placed it: build on
        // both, so that neither their save nor anything of an earlier one is lost.
        let theirs = match String::from_utf8(displaced) {
            Ok(text) => text,
            Err(err) => {
                // Not text we can edit: what they saved goes back, as it was.
                put_back(path, err.as_bytes(), wanted.as_bytes())?;
                return Err(WriteError::Read {
                    path: path.to_path_buf(),
                    source: std::io::Error::new(std::io::ErrorKind::InvalidData, err.utf8_error()),
                });
            }
        };
        base = combine(&placed, &base, &wanted, theirs);
        placed = wanted;
    }
    // Giving up: the newest save of someone else goes back in place, never our edit over it.
    put_back(path, base.as_bytes(), placed.as_bytes())?;
    Err(KeptChanging(path.display().to_string()).into())
}

/// What our edit is to be made on next, when `theirs` was saved over `placed` (what the path
/// held, as we know it) while we meant it to hold `ours`, our edit of `base`. A save that
/// only added to the end (an in-place append, a sync engine writing the rest) is `base` with
/// that end; any other is merged line by line with `ours` (three-way, from `placed`), so that
/// what an earlier save of someone else gave `base` is not lost with `placed`; when the two
/// changed the same lines, theirs is taken whole. The edit is then made again on the result.
fn combine(placed: &str, base: &str, ours: &str, theirs: String) -> String {
    if let Some(added) = theirs.strip_prefix(placed) {
        return format!("{base}{added}");
    }
    diffy::merge(placed, ours, &theirs).unwrap_or(theirs)
}

/// An exclusive advisory lock on a folder (`flock`), released when dropped. Only
/// vault-reach's own writers ask for it; a folder that cannot be locked is edited without it,
/// the exchange still catching what lands meanwhile.
struct FolderLock(#[allow(dead_code, reason = "held open for the lock")] Option<std::fs::File>);

impl FolderLock {
    fn take(folder: &Path) -> FolderLock {
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd as _;
            let Ok(dir) = std::fs::File::open(folder) else {
                return FolderLock(None);
            };
            // SAFETY: flock on a descriptor we own and keep open; it touches no memory.
            if unsafe { libc::flock(dir.as_raw_fd(), libc::LOCK_EX) } == 0 {
                return FolderLock(Some(dir));
            }
            FolderLock(None)
        }
        #[cfg(not(unix))]
        {
            let _ = folder;
            FolderLock(None)
        }
    }
}

/// How often [`edit_note`] builds on what someone else saved before it gives up.
const MAX_TRIES: usize = 8;

/// What a generated note must hold for [`Outputs`] to replace it.
#[derive(Debug, Clone, Copy)]
enum Expect<'a> {
    /// Whatever it holds now (read just before replacing it).
    Anything,
    /// These bytes, or nothing at all (`None`).
    Exactly(Option<&'a [u8]>),
    /// [`Expect::Exactly`], and the new text keeps all the user added to them: no backup.
    KeepingTheirs(Option<&'a [u8]>),
}

/// Replaces `path`, which held `current` when it was read (or bytes of that hash), with
/// `contents`: by an atomic
/// exchange where there is one, and if the exchange displaced anything else (a save since
/// the read), that goes back in place and the answer is `false`. A path that did not exist,
/// or a system without the exchange, gets an atomic write.
fn swap_or_write(
    path: &Path,
    contents: &str,
    current: Option<Expected<'_>>,
) -> Result<bool, WriteError> {
    let Some(current) = current else {
        write_atomic(path, contents)?;
        return Ok(true);
    };
    replaceable(path)?;
    // While the exchange's temporary file names the displaced page, whose mtime may be
    // old, `remove_stale_temporaries` must not take it for a stale one: it waits for this.
    let _turn = FolderLock::take(path.parent().unwrap_or(Path::new(".")));
    match swap_in(path, contents.as_bytes(), current)? {
        Swapped::Exchanged(Displaced::Expected) => Ok(true),
        Swapped::Exchanged(Displaced::Other(displaced)) => {
            put_back(path, &displaced, contents.as_bytes())?;
            Ok(false)
        }
        Swapped::Unsupported => {
            write_atomic(path, contents)?;
            Ok(true)
        }
    }
}

/// Puts `theirs`, a save that an exchange displaced, back at `path`, where `ours` stands.
/// Should a newer save still have landed over ours meanwhile, that one is put back instead:
/// the newest save of someone else is what `path` holds afterwards, never our text.
fn put_back(path: &Path, theirs: &[u8], ours: &[u8]) -> Result<(), WriteError> {
    if let Swapped::Exchanged(Displaced::Other(displaced)) =
        swap_in(path, theirs, Expected::Bytes(ours))?
    {
        swap_in(path, &displaced, Expected::Bytes(theirs))?;
    }
    Ok(())
}

/// What [`swap_in`] did.
enum Swapped {
    /// The note now holds the new text; this says what it held an instant before.
    Exchanged(Displaced),
    /// No atomic exchange here (another OS, or a file system without it): nothing was done.
    Unsupported,
}

/// What a writer expects an exchange to displace: what it read, or what it wrote last,
/// known by its [`content_hash`] (a generated page of megabytes, never held to be compared).
#[derive(Clone, Copy)]
enum Expected<'a> {
    Bytes(&'a [u8]),
    Hash(u64),
}

/// What an exchange displaced.
enum Displaced {
    /// What the writer expected: found so a block at a time, never held (index.md is
    /// megabytes, and a pass held it twice more to compare).
    Expected,
    /// Anything else (a save since the writer read the note), whole.
    Other(Vec<u8>),
}

/// Puts `text` at `path` in one atomic exchange with what is there, through a temporary file
/// beside it ([`staged`]: synced, with the note's permissions and extended attributes), and
/// says whether what it displaced is `expected`, or returns it.
fn swap_in(path: &Path, text: &[u8], expected: Expected<'_>) -> Result<Swapped, WriteError> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt as _;
        let tmp = staged(path, text)?;
        let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).ok();
        let (Some(from), Some(to)) = (c(tmp.path()), c(path)) else {
            return Ok(Swapped::Unsupported);
        };
        // SAFETY: two NUL-terminated paths that live across the call; renameat2 reads them
        // and touches no other memory of ours.
        let done = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                from.as_ptr(),
                libc::AT_FDCWD,
                to.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if done != 0 {
            let err = std::io::Error::last_os_error();
            return match err.raw_os_error() {
                Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP) => Ok(Swapped::Unsupported),
                _ => Err(WriteError::Replace {
                    path: path.to_path_buf(),
                    source: err,
                }),
            };
        }
        // The temporary path now names the displaced note; it is removed when `tmp` drops.
        let displaced = displaced_once_closed(tmp.path(), expected)
            .map_err(at(path, |path, source| WriteError::Read { path, source }))?;
        Ok(Swapped::Exchanged(displaced))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (path, text, expected);
        Ok(Swapped::Unsupported)
    }
}

/// How long a backup of an edited output is kept.
const BACKUP_DAYS: u64 = 30;

/// Removes the backups vault-reach made more than [`BACKUP_DAYS`] ago: they kept a page the
/// user had edited, and a month is long enough to miss it. Only our own names
/// (`today.2026-03-02.md`, `index.2026-03-02.2.md`) in our own folder; a file that cannot be
/// looked at is left.
fn prune_backups(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let limit = std::time::Duration::from_secs(BACKUP_DAYS * 24 * 60 * 60);
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        // Exactly the names `Outputs::backup` gives: `.md`, as written.
        let ours = name.to_str().is_some_and(|n| {
            n.strip_suffix(".md").is_some()
                && n.split('.')
                    .any(|part| crate::model::date::parse_date(part).is_some())
        });
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > limit);
        if ours && old && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// How old a temporary file of ours must be to be taken for one an interrupted run left
/// behind: a live one lasts one write, well under a second; an hour leaves room for a
/// stalled disk, and another vault-reach's is never removed from under it.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Removes the temporary files of ours that a run killed between creating and renaming one
/// left behind: those of `found` (met by the walk of the vault) and those directly in
/// `folders` (ours, which the walk does not enter), each only if it still has our exact name
/// ([`crate::files::is_temporary_name`]), is a regular file (never a link) and is over an
/// hour old. Returns how many were removed; one that cannot be is left for a later run.
///
/// Age alone is not enough: just after an exchange, the temporary file names the note it
/// displaced, with that note's mtime, perhaps years old, until the writer has read it (and
/// it may hold a save yet to be merged). Every exchange is made holding its folder's
/// `FolderLock`, so each folder is looked at holding it too.
pub fn remove_stale_temporaries(found: &[PathBuf], folders: &[PathBuf]) -> usize {
    let listed = folders
        .iter()
        .filter_map(|dir| std::fs::read_dir(dir).ok())
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| entry.path());
    let mut by_folder: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for path in found.iter().cloned().chain(listed) {
        if path
            .file_name()
            .is_some_and(crate::files::is_temporary_name)
            && let Some(folder) = path.parent()
        {
            by_folder
                .entry(folder.to_path_buf())
                .or_default()
                .push(path);
        }
    }
    let mut removed = 0;
    for (folder, paths) in by_folder {
        let _turn = FolderLock::take(&folder);
        let mut paths = paths;
        paths.sort();
        paths.dedup();
        removed += paths
            .iter()
            .filter(|path| is_stale_temporary(path) && std::fs::remove_file(path).is_ok())
            .count();
    }
    removed
}

fn is_stale_temporary(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|meta| {
        // A time ahead of the clock is no age: the file is left.
        meta.is_file()
            && meta
                .modified()
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > STALE_AFTER)
    })
}

/// What the note an exchange displaced holds, once nobody else has it open: whether it is
/// `expected`, or else its bytes. A writer that opened the note before the exchange (an
/// editor saving in place, a sync engine, a plugin) may still be writing into it; what it
/// writes after we read would be lost with the temporary file. Linux grants a write lease
/// only on a file no other descriptor holds open, so the lease says when every such writer
/// is done. Bounded: after half a second of someone holding it open (a reader that never
/// lets go), it is looked at as it is. Where leases are refused (a file of another owner, a
/// network file system), it is looked at once.
#[cfg(target_os = "linux")]
fn displaced_once_closed(path: &Path, expected: Expected<'_>) -> std::io::Result<Displaced> {
    use std::io::{Read as _, Seek as _};
    use std::os::fd::AsRawFd as _;
    let mut file = std::fs::File::open(path)?;
    for _ in 0..500 {
        // SAFETY: fcntl on a descriptor we own; F_SETLEASE takes an int and touches no memory.
        if unsafe { libc::fcntl(file.as_raw_fd(), libc::F_SETLEASE, libc::F_WRLCK) } == 0 {
            // SAFETY: as above; the lease is given back at once, it was only a question.
            unsafe { libc::fcntl(file.as_raw_fd(), libc::F_SETLEASE, libc::F_UNLCK) };
            break;
        }
        match std::io::Error::last_os_error().raw_os_error() {
            Some(libc::EAGAIN | libc::EBUSY) => {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            _ => break,
        }
    }
    file.rewind()?;
    let size = file.metadata()?.len();
    let same = match expected {
        Expected::Bytes(bytes) => crate::files::holds(&mut file, size, bytes)?,
        Expected::Hash(hash) => crate::files::hash_of(&mut file)? == hash,
    };
    if same {
        return Ok(Displaced::Expected);
    }
    file.rewind()?;
    // Of its size at once: growing a buffer by doubling copied it again at each step.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.read_to_end(&mut bytes)?;
    Ok(Displaced::Other(bytes))
}

/// Where no exchange exists: replace the note by a rename, if it still holds `original` just
/// before; otherwise the edit is made again on what it holds now (3 tries).
fn rename_if_unchanged(
    path: &Path,
    original: &str,
    target: &str,
    mut edit: impl FnMut(&str) -> Result<Option<String>, WriteError>,
) -> Result<Option<(String, String)>, WriteError> {
    let (mut old, mut new) = (original.to_owned(), target.to_owned());
    for _ in 0..3 {
        let tmp = staged(path, new.as_bytes())?;
        // The last moment before the rename: if the note moved on, start over from it.
        if crate::files::read_regular(path).is_ok_and(|now| now == old.as_bytes()) {
            commit(tmp, path)?;
            return Ok(Some((old, new)));
        }
        tmp.close()
            .map_err(at(path, |path, source| WriteError::CleanUp {
                path,
                source,
            }))?;
        old = crate::files::read_regular_text(path)
            .map_err(at(path, |path, source| WriteError::Read { path, source }))?;
        match edit(&old)? {
            Some(again) => new = again,
            None => return Ok(None),
        }
    }
    Err(KeptChanging(path.display().to_string()).into())
}

/// Removes a file of vault-reach's own (a record in this device's state folder), if it is
/// there.
pub fn remove_own(path: &Path) -> Result<(), WriteError> {
    match std::fs::remove_file(path) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(WriteError::Remove {
            path: path.to_path_buf(),
            source: err,
        }),
        _ => Ok(()),
    }
}

/// Creates a new file at `path` with `contents`, atomically, failing if anything exists there.
pub fn create_new(path: &Path, contents: &str) -> Result<(), WriteError> {
    // A vault-relative note path always has a folder, if only the vault itself.
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(at(dir, |path, source| WriteError::CreateFolder {
        path,
        source,
    }))?;
    let write_in = |path, source| WriteError::WriteIn { path, source };
    let mut tmp = temporary(dir, true).map_err(at(dir, write_in))?;
    tmp.write_all(contents.as_bytes())
        .map_err(at(dir, write_in))?;
    tmp.as_file().sync_all().map_err(at(dir, write_in))?;
    tmp.persist_noclobber(path)
        .map_err(|e| e.error)
        .map_err(at(path, |path, source| WriteError::Create { path, source }))?;
    Ok(())
}

/// The note with every checkbox unticked: what we compare to tell ticks from other edits.
pub fn without_ticks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    unticked(text, |piece| out.push_str(piece));
    out
}

/// [`without_ticks`], handed over piece by piece.
fn unticked<'a>(text: &'a str, mut piece: impl FnMut(&'a str)) {
    // index.md has no ticked box on most days: one piece, not one a line.
    if !text.contains("[x]") && !text.contains("[X]") {
        piece(text);
        return;
    }
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        let rest = &line[indent..];
        let marker = ["- [x]", "- [X]", "* [x]", "* [X]", "+ [x]", "+ [X]"]
            .iter()
            .find(|m| rest.starts_with(**m));
        if let Some(marker) = marker {
            piece(&line[..indent]);
            piece(&marker[..1]);
            piece(" [ ]");
            piece(&rest[marker.len()..]);
        } else {
            piece(line);
        }
    }
}

/// A stable fingerprint of [`without_ticks`]`(text)`, without making that copy (index.md is
/// large on a large vault): `xxh3:` and the XXH3-64 of it, whose value its specification
/// fixes (std's hasher may change between Rust releases, and the ledger outlives the binary).
fn fingerprint(text: &str) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    unticked(text, |piece| hasher.update(piece.as_bytes()));
    format!("{XXH3_PRINT}{:016x}", hasher.digest())
}

/// How a fingerprint of [`fingerprint`]'s kind starts.
const XXH3_PRINT: &str = "xxh3:";

/// The fingerprint ledgers of earlier versions hold: 64-bit FNV-1a, a byte at a time, which
/// took 3 ms of every `watch` pass at 30,000 notes. Read, never written.
fn fnv_fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    unticked(text, |piece| {
        for byte in piece.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    });
    format!("{hash:016x}")
}

/// Whether `print`, from the ledger, is the fingerprint of `text`, of whichever version
/// recorded it.
fn is_print_of(print: &str, text: &str) -> bool {
    if print.starts_with(XXH3_PRINT) {
        print == fingerprint(text)
    } else {
        print == fnv_fingerprint(text)
    }
}

/// A fingerprint of a file's exact bytes, compared only within one run. XXH3 rather than
/// std's `SipHash`: `watch` hashes index.md a few times per edit, and XXH3 measured much
/// faster at it (BENCHMARKS.md).
pub fn content_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// Writes generated notes into one vault, remembering what it wrote.
pub struct Outputs {
    vault: PathBuf,
    /// Where this device keeps its ledger (never in the vault, which syncs).
    ledger_path: PathBuf,
    ledger: BTreeMap<String, String>,
    /// The exact content each output holds after our last write, so `watch` can tell the event
    /// of its own write from a user's edit (the ledger ignores ticks, so it cannot).
    last: BTreeMap<String, u64>,
    /// The ledger has news that [`Outputs::save`] has not written yet.
    ledger_changed: bool,
    /// `--dry-run`: decide everything, write nothing.
    dry_run: bool,
}

impl Outputs {
    /// The outputs of `vault`, with the ledger this device keeps in `state` (or, until it
    /// has one, the ledger an earlier version kept in the vault).
    pub fn new(vault: &Path, state: &DeviceState, dry_run: bool) -> Self {
        let read = |path: PathBuf| {
            std::fs::read_to_string(path)
                .ok()
                .and_then(|text| serde_json::from_str(&text).ok())
        };
        let ledger = read(state.ledger())
            .or_else(|| read(state.legacy_ledger()))
            .unwrap_or_default();
        Outputs {
            vault: vault.to_path_buf(),
            ledger_path: state.ledger(),
            ledger,
            last: BTreeMap::new(),
            ledger_changed: false,
            dry_run,
        }
    }

    /// True when nothing is to be written.
    pub fn dry_run(&self) -> bool {
        self.dry_run
    }

    /// The [`content_hash`] of what `rel` holds after our last write to it, if any.
    pub fn last_written(&self, rel: &str) -> Option<u64> {
        self.last.get(rel).copied()
    }

    /// Replaces the generated note at vault-relative `rel` with `contents`.
    ///
    /// `today` names the backup of a user-edited version.
    pub fn write(&mut self, rel: &str, contents: &str, stamp: &str) -> Result<Outcome, WriteError> {
        self.replace(rel, contents, stamp, Expect::Anything)
    }

    /// [`Outputs::write`], only while `rel` still holds exactly `read` (`None`: it did not
    /// exist) — what the pass harvested its ticks from. A save that lands later, up to the
    /// atomic exchange itself, makes it [`Outcome::Moved`], with that save left in place.
    /// `keeps_theirs`: `contents` holds everything the user added to `read`, so nothing of
    /// theirs would be lost and no backup is made.
    pub fn write_unless_moved(
        &mut self,
        rel: &str,
        contents: &str,
        stamp: &str,
        read: Option<&[u8]>,
        keeps_theirs: bool,
    ) -> Result<Outcome, WriteError> {
        let expect = if keeps_theirs {
            Expect::KeepingTheirs(read)
        } else {
            Expect::Exactly(read)
        };
        self.replace(rel, contents, stamp, expect)
    }

    /// The last pure render of `rel` this device kept ([`Outputs::keep_render`]): what the
    /// page said before the user wrote on it.
    pub fn last_render(&self, rel: &str) -> Option<String> {
        std::fs::read_to_string(self.render_path(rel)).ok()
    }

    /// Keeps `text`, the render of `rel` before the user's lines were merged into it, for
    /// [`Outputs::last_render`]. Small pages only (today.md): index.md is never written on.
    pub fn keep_render(&mut self, rel: &str, text: &str) -> Result<(), WriteError> {
        if self.dry_run || self.last_render(rel).as_deref() == Some(text) {
            return Ok(());
        }
        let path = self.render_path(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| WriteError::Create {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        write_atomic(&path, text)
    }

    /// The folders where only vault-reach writes, which the walk of the vault does not
    /// enter: the backups of edited outputs, and this device's ledger and renders.
    pub fn own_folders(&self) -> Vec<PathBuf> {
        let mut folders = vec![self.vault.join(BACKUPS)];
        if let Some(dir) = self.ledger_path.parent() {
            folders.extend([dir.to_path_buf(), dir.join("rendered")]);
        }
        folders
    }

    fn render_path(&self, rel: &str) -> PathBuf {
        let dir = self.ledger_path.parent().unwrap_or(Path::new("."));
        dir.join("rendered").join(rel.replace(['/', '\\'], "%"))
    }

    fn replace(
        &mut self,
        rel: &str,
        contents: &str,
        stamp: &str,
        expect: Expect<'_>,
    ) -> Result<Outcome, WriteError> {
        // A page that already holds the render (a run with nothing changed) is found so
        // without being held: index.md is megabytes. Anything else is read whole, as what
        // is there decides a backup and the exchange compares against it.
        let path = self.vault.join(rel);
        if matches!(expect, Expect::Anything) {
            if crate::files::regular_holds(&path, contents.as_bytes()).unwrap_or(false) {
                return Ok(self.unchanged(rel, contents));
            }
            // Exactly what this process wrote last (a watcher's steady state) is found so by
            // its hash, a block at a time, and replaced without being held: no backup to
            // make, and the exchange compares what it displaces with the same hash.
            if let Some(&last) = self.last.get(rel)
                && crate::files::regular_hash(&path).is_ok_and(|hash| hash == last)
            {
                return self.put(
                    rel,
                    &path,
                    contents,
                    Some(Expected::Hash(last)),
                    Outcome::Written,
                );
            }
        }
        // Read for this write alone: a buffer kept between the passes of `watch` held
        // index.md's megabytes resident for good, to save the page faults of a millisecond.
        let mut buffer = Vec::new();
        let current = match crate::files::read_regular_into(&path, &mut buffer) {
            Ok(_) => Some(&buffer[..]),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
            Err(err) if crate::files::is_link(&err) => return Err(WriteError::Link(rel.into())),
            Err(err) if crate::files::is_special(&err) => {
                return Err(WriteError::NotRegular(rel.into()));
            }
            Err(source) => {
                return Err(WriteError::Read {
                    path: rel.into(),
                    source,
                });
            }
        };
        if let Expect::Exactly(read) | Expect::KeepingTheirs(read) = expect
            && read != current
        {
            return Ok(Outcome::Moved);
        }
        let mut outcome = Outcome::Written;
        if let Some(bytes) = current {
            if bytes == contents.as_bytes() {
                return Ok(self.unchanged(rel, contents));
            }
            if !is_generated(bytes) {
                return Err(NotOurs(rel.to_owned()).into());
            }
            // Exactly what this process wrote last (a watcher's steady state) is not an edit,
            // and needs no second look; anything else is compared with the ledger.
            let ours = self
                .last
                .get(rel)
                .is_some_and(|&h| h == content_hash(bytes));
            let keeps_theirs = matches!(expect, Expect::KeepingTheirs(_));
            if !ours
                && !keeps_theirs
                && !self
                    .ledger
                    .get(rel)
                    .is_some_and(|print| is_print_of(print, &String::from_utf8_lossy(bytes)))
            {
                let backup = self.backup(rel, bytes, stamp)?;
                outcome = Outcome::WrittenWithBackup(backup);
            }
        }
        self.put(rel, &path, contents, current.map(Expected::Bytes), outcome)
    }

    /// Puts `contents` at `path` (`rel`), which held `current` when it was looked at
    /// ([`swap_or_write`]), and remembers it as ours; `outcome` is what it is, unless a save
    /// since moved the page on.
    fn put(
        &mut self,
        rel: &str,
        path: &Path,
        contents: &str,
        current: Option<Expected<'_>>,
        outcome: Outcome,
    ) -> Result<Outcome, WriteError> {
        // The two fingerprints of the new text are taken on another core while the disk works.
        let (written, (print, exact)) = rayon::join(
            || {
                if self.dry_run {
                    Ok(true)
                } else {
                    swap_or_write(path, contents, current)
                }
            },
            || {
                let print = fingerprint(contents);
                (print, content_hash(contents.as_bytes()))
            },
        );
        if !written? {
            return Ok(Outcome::Moved);
        }
        if !self.dry_run {
            self.last.insert(rel.to_owned(), exact);
        }
        self.remember(rel, print);
        Ok(outcome)
    }

    /// `rel` already holds `contents`: it is recorded as ours, and left as it is.
    fn unchanged(&mut self, rel: &str, contents: &str) -> Outcome {
        self.last
            .insert(rel.to_owned(), content_hash(contents.as_bytes()));
        self.remember(rel, fingerprint(contents));
        Outcome::Unchanged
    }

    /// Records the fingerprint of what we wrote to `rel`, for [`Outputs::save`].
    fn remember(&mut self, rel: &str, print: String) {
        if self.ledger.get(rel) != Some(&print) && !self.dry_run {
            self.ledger.insert(rel.to_owned(), print);
            self.ledger_changed = true;
        }
    }

    /// Saves what [`Outputs::write`] remembered, once for all the outputs of a pass (each
    /// atomic write costs two fsyncs). Until it is saved, a rewritten output looks edited by
    /// the user to a later run, which then keeps a backup of it: safe, if needless.
    pub fn save(&mut self) -> Result<(), WriteError> {
        if std::mem::take(&mut self.ledger_changed) {
            // A map of strings to strings always serialises.
            let json = serde_json::to_string_pretty(&self.ledger).unwrap_or_default() + "\n";
            if let Some(dir) = self.ledger_path.parent() {
                std::fs::create_dir_all(dir).map_err(|source| WriteError::Create {
                    path: dir.to_path_buf(),
                    source,
                })?;
            }
            write_atomic(&self.ledger_path, &json)?;
        }
        Ok(())
    }

    fn backup(&self, rel: &str, bytes: &[u8], stamp: &str) -> Result<PathBuf, WriteError> {
        let name = Path::new(rel)
            .file_stem()
            .map_or_else(|| "output".into(), |s| s.to_string_lossy().into_owned());
        let dir = self.vault.join(BACKUPS);
        let mut n = 1;
        let mut backup = PathBuf::from(format!("{name}.{stamp}.md"));
        while dir.join(&backup).exists() {
            n += 1;
            backup = PathBuf::from(format!("{name}.{stamp}.{n}.md"));
        }
        if !self.dry_run {
            std::fs::create_dir_all(&dir).map_err(|source| WriteError::Create {
                path: BACKUPS.into(),
                source,
            })?;
            write_atomic_bytes(&dir.join(&backup), bytes)?;
            prune_backups(&dir);
        }
        Ok(Path::new(BACKUPS).join(backup))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file at `path` last modified `when`: a backup or a temporary file of that age.
    fn file_of(path: &Path, when: std::time::SystemTime) {
        std::fs::write(path, "x").unwrap();
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(when)
            .unwrap();
    }

    #[test]
    fn unticking_touches_only_checkboxes() {
        let note = "- [x] [[Ada]]\n  * [X] sub\n- [ ] [[Bob]]\ntext [x] stays\n";
        assert_eq!(
            without_ticks(note),
            "- [ ] [[Ada]]\n  * [ ] sub\n- [ ] [[Bob]]\ntext [x] stays\n"
        );
    }

    #[test]
    fn backups_older_than_a_month_are_pruned_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let make = |name: &str, days: u64| {
            let when = std::time::SystemTime::now() - std::time::Duration::from_secs(days * 86_400);
            file_of(&dir.path().join(name), when);
        };
        make("today.2026-01-01.md", 40);
        make("index.2026-01-02.2.md", 31);
        make("today.2026-02-20.md", 10);
        make("my notes.md", 400);
        prune_backups(dir.path());
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, ["my notes.md", "today.2026-02-20.md"]);
    }

    /// The case the stress test found: an append into the text we had swapped in, which
    /// lacked an earlier save we were about to merge. Both must survive.
    #[test]
    fn a_save_over_our_text_is_combined_with_what_we_merged_before() {
        let placed = "# Ada\n## Log\n- 1 ours\n";
        let base = "# Ada\n## Log\nedit k\n";
        let ours = "# Ada\n## Log\nedit k\n- 1 ours\n";
        let appended = format!("{placed}edit m\n");
        assert_eq!(
            combine(placed, base, ours, appended),
            "# Ada\n## Log\nedit k\nedit m\n"
        );
        // A save elsewhere in the note (the front-matter, by rename) is merged line by line.
        let placed = "---\na: 1\n---\nbody\n- 1 ours\n";
        let ours = "---\na: 1\n---\nbody\nedit k\n- 1 ours\n";
        let theirs = "---\na: 2\n---\nbody\n- 1 ours\n".to_owned();
        assert_eq!(
            combine(placed, "", ours, theirs),
            "---\na: 2\n---\nbody\nedit k\n- 1 ours\n"
        );
        // The same lines changed both ways: theirs whole (our edit is made again on it).
        let theirs = "---\na: 2\n---\nbody\nedit j\n- 1 ours\n".to_owned();
        assert_eq!(combine(placed, "", ours, theirs.clone()), theirs);
    }

    /// A writer that opened the note before the exchange and writes after it: what it writes
    /// is waited for, not lost with the temporary file.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_displaced_note_is_read_once_its_last_writer_closed_it() {
        use std::io::Write as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Ada.md");
        std::fs::write(&path, "first half\n").unwrap();
        let mut writer = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        let late = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            writer.write_all(b"second half\n").unwrap();
        });
        let read = displaced_once_closed(&path, Expected::Bytes(b"first half\n")).unwrap();
        late.join().unwrap();
        let Displaced::Other(read) = read else {
            panic!("the first half alone was expected, and is not what it holds");
        };
        assert_eq!(read, b"first half\nsecond half\n");
        assert!(matches!(
            displaced_once_closed(&path, Expected::Bytes(b"first half\nsecond half\n")).unwrap(),
            Displaced::Expected
        ));
        assert!(matches!(
            displaced_once_closed(&path, Expected::Bytes(b"first half\nsecond half\nmore"))
                .unwrap(),
            Displaced::Other(_)
        ));
        assert!(matches!(
            displaced_once_closed(&path, Expected::Bytes(b"first half\nsecond HALF\n")).unwrap(),
            Displaced::Other(_)
        ));
        // Known by its hash, as a page this process wrote last is.
        let whole = b"first half\nsecond half\n";
        assert_eq!(
            crate::files::regular_hash(&path).unwrap(),
            content_hash(whole)
        );
        assert!(matches!(
            displaced_once_closed(&path, Expected::Hash(content_hash(whole))).unwrap(),
            Displaced::Expected
        ));
        assert!(matches!(
            displaced_once_closed(&path, Expected::Hash(content_hash(b"first half\n"))).unwrap(),
            Displaced::Other(read) if read == whole
        ));
    }

    /// Whether files in `dir` take `user.` extended attributes; says why a test is skipped
    /// when not.
    #[cfg(unix)]
    fn user_attributes_in(dir: &Path) -> bool {
        let probe = dir.join("probe");
        std::fs::write(&probe, "").unwrap();
        let result = xattr::set(&probe, "user.probe", b"1");
        std::fs::remove_file(&probe).unwrap();
        if let Err(err) = &result {
            eprintln!(
                "skipped: {} takes no user extended attributes ({err})",
                dir.display()
            );
        }
        result.is_ok()
    }

    /// The names in `dir`, sorted.
    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    /// Issue 12: a replacement is a new file, which lost the note's extended attributes. Each
    /// way of replacing one keeps them, and the mode, and leaves no temporary file.
    #[cfg(unix)]
    #[test]
    fn every_way_of_replacing_a_file_keeps_its_mode_and_extended_attributes() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        if !user_attributes_in(dir.path()) {
            return;
        }
        let path = dir.path().join("Ada.md");
        std::fs::write(&path, "one\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        let kept: [(&str, &[u8]); 2] = [
            ("user.test", b"kept"),
            ("user.com.apple.metadata:_kMDItemUserTags", b"Red\n6\0"),
        ];
        for (name, value) in kept {
            xattr::set(&path, name, value).unwrap();
        }
        let holds = |how: &str, text: &str| {
            assert_eq!(std::fs::read_to_string(&path).unwrap(), text, "{how}");
            for (name, value) in kept {
                let now = xattr::get(&path, name).unwrap();
                assert_eq!(now.as_deref(), Some(value), "{how}: {name}");
            }
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640, "{how}");
            assert_eq!(names_in(dir.path()), ["Ada.md"], "{how}");
        };
        write_atomic(&path, "two\n").unwrap();
        holds("write_atomic", "two\n");
        #[cfg(target_os = "linux")]
        {
            assert!(matches!(
                swap_in(&path, b"three\n", Expected::Bytes(b"two\n")).unwrap(),
                Swapped::Exchanged(Displaced::Expected)
            ));
            holds("swap_in", "three\n");
        }
        let now = std::fs::read_to_string(&path).unwrap();
        rename_if_unchanged(&path, &now, "four\n", |_| Ok(None)).unwrap();
        holds("rename_if_unchanged", "four\n");
    }

    /// Issue 12: atomic-write-file named its temporary file after the note, so a note with a
    /// 248–255-byte name could not be replaced where there is no exchange; ours are short.
    #[test]
    fn a_file_with_the_longest_name_can_be_replaced_every_way() {
        let dir = tempfile::tempdir().unwrap();
        let name = format!("{}.md", "A".repeat(252));
        let path = dir.path().join(&name);
        std::fs::write(&path, "one\n").unwrap();
        write_atomic(&path, "two\n").unwrap();
        rename_if_unchanged(&path, "two\n", "three\n", |_| Ok(None)).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "three\n");
        assert_eq!(names_in(dir.path()), [name]);
    }

    /// Issue 12: a failed rename left the temporary copy of the note beside it.
    #[test]
    fn a_failed_rename_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Ada.md");
        let tmp = staged(&path, b"text\n").unwrap();
        assert!(crate::files::is_temporary_name(
            tmp.path().file_name().unwrap()
        ));
        // A folder appeared at the path meanwhile: a file cannot be renamed over it.
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("inside.md"), "x").unwrap();
        assert!(matches!(
            commit(tmp, &path),
            Err(WriteError::Replace { .. })
        ));
        assert_eq!(names_in(dir.path()), ["Ada.md"]);
        assert_eq!(names_in(&path), ["inside.md"]);
    }

    /// Issue 12: temporary files a killed run left piled up. Only ours, by exact name, regular
    /// files, over an hour old, are removed.
    #[cfg(unix)]
    #[test]
    fn only_our_own_stale_temporary_files_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 60 * 60);
        let make = |name: &str, when: std::time::SystemTime| {
            let path = dir.path().join(name);
            file_of(&path, when);
            path
        };
        let stale = make(".vault-reach.Ab12Cd", old);
        make(".vault-reach.Zz99zz", old);
        make(".vault-reach.Fresh1", std::time::SystemTime::now());
        make(".vault-reach.Ab12Cd.md", old);
        make(".vault-reach.Ab12C", old);
        let target = make("target.md", old);
        std::os::unix::fs::symlink(&target, dir.path().join(".vault-reach.Link12")).unwrap();
        // Found by the walk and listed in the folder alike: removed once, counted once.
        assert_eq!(
            remove_stale_temporaries(&[stale], &[dir.path().to_path_buf()]),
            2
        );
        assert_eq!(
            names_in(dir.path()),
            [
                ".vault-reach.Ab12C",
                ".vault-reach.Ab12Cd.md",
                ".vault-reach.Fresh1",
                ".vault-reach.Link12",
                "target.md"
            ]
        );
    }

    /// Just after an exchange the temporary file names the displaced note, with that note's
    /// old mtime: while a writer holds the folder, nothing in it is taken for stale.
    #[cfg(unix)]
    #[test]
    fn a_temporary_file_is_not_removed_while_its_folder_is_being_written() {
        let dir = tempfile::tempdir().unwrap();
        let displaced = dir.path().join(".vault-reach.Dspl4c");
        std::fs::write(&displaced, "the note as it was").unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 60 * 60);
        std::fs::File::options()
            .write(true)
            .open(&displaced)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let writing = FolderLock::take(dir.path());
        let sweep = std::thread::spawn({
            let displaced = displaced.clone();
            move || remove_stale_temporaries(&[displaced], &[])
        });
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert!(
            displaced.exists(),
            "removed while its folder was being written"
        );
        drop(writing);
        assert_eq!(sweep.join().unwrap(), 1);
        assert!(!displaced.exists());
    }

    #[test]
    fn fingerprints_are_stable() {
        assert_eq!(fingerprint(""), "xxh3:2d06800538d394c2");
        assert_eq!(fingerprint("a"), "xxh3:e6c632b61e964e1f");
        // Ticks do not count: a fingerprint is that of the text unticked.
        let ticked = "- [x] [[Ada]]\n  * [X] sub\ntext [x] stays\n";
        assert_eq!(fingerprint(ticked), fingerprint(&without_ticks(ticked)));
        assert_ne!(fingerprint(ticked), fingerprint("- [ ] [[Bob]]\n"));
        // However the text comes in pieces, it is the hash of the whole.
        assert_eq!(
            fingerprint(ticked),
            format!(
                "xxh3:{:016x}",
                xxhash_rust::xxh3::xxh3_64(without_ticks(ticked).as_bytes())
            )
        );
    }

    #[test]
    fn fingerprints_an_earlier_version_recorded_are_still_read() {
        // What ledgers written before the XXH3 fingerprints hold.
        let ticked = "- [x] [[Ada]]\n  * [X] sub\ntext [x] stays\n";
        assert_eq!(fnv_fingerprint(""), "cbf29ce484222325");
        assert_eq!(fnv_fingerprint(ticked), "a9d5cab431cb2723");
        assert!(is_print_of("a9d5cab431cb2723", ticked));
        assert!(is_print_of(&fingerprint(ticked), ticked));
        assert!(!is_print_of("a9d5cab431cb2723", "- [ ] [[Bob]]\n"));
        assert!(!is_print_of(&fingerprint(ticked), "- [ ] [[Bob]]\n"));
    }
}
