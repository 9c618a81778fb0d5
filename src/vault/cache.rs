//! The parse cache: what `Vault::load` read each note into last time, beside the stat data
//! that tells the note is unchanged since, so that an unchanged note is neither read nor
//! parsed again (what git's index does for `git status`).
//!
//! Policy: the cache is a shortcut, never a source. It is this device's (its state folder,
//! never the vault, which syncs), and a note is taken from it only when the note's size,
//! mtime, ctime, inode and device are those recorded and its times are older, by more than
//! the file system's timestamp granularity, than the start of the load that recorded it: a
//! note changed during that load could otherwise keep every stamp (git's "racily clean"
//! entries), so it is read again until a later save. A cache of another version or build,
//! of other settings or another day (a `last-touch` after tomorrow is a typo, so a parse
//! depends on the date), or one that is damaged or cut short, is ignored and rebuilt. A note
//! named like a sync tool's copy of another (`Ada-LAPTOP.md`, `2026-03-01.md`) is read beside
//! the notes it may be a copy of, so their stat data is kept too and must be the same; a
//! certain conflict copy and a note that could not be read are never cached.
//!
//! The file: a text line naming the format and the version (a reader of another version
//! stops there), a checksum of the index and the header, a header of fixed length (the key,
//! the load's start, the lengths of the values and of the index), the values, each a
//! postcard encoding of the note's [`Parsed`], and the index of notes (paths, stat data,
//! where each value lies and its own checksum). The values come first so that they are
//! written as they are encoded, by the cores that read the notes, in runs placed in any
//! order ([`Writer`]); the index and the header, which say where each one went, are written
//! last. A load reads the header and the index whole, and the values a block at a time on
//! all cores, decoding only those of unchanged notes whose checksum holds: a value damaged
//! on disk costs its note a read, and the cache is never held whole.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};

use serde::{Deserialize, Serialize};

use crate::config::Settings;
use crate::note::Parsed;
use crate::note::read::Reading;
use crate::write::{CacheFile, WriteError};

/// The first line of a cache file: the format's number (bumped when the layout of the file
/// or of a cached value changes) and the version that wrote it.
const FIRST_LINE: &str = concat!(
    "vault-reach parse cache, format 8, version ",
    env!("CARGO_PKG_VERSION"),
    "\n"
);

/// What a note's stat says of it: what must all be the same for the cached read to stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stat {
    size: u64,
    /// Seconds and nanoseconds since the epoch.
    mtime: (i64, i64),
    /// The inode's change time: set by the kernel on every write, rename or `touch -m`, so a
    /// save that put the old size and mtime back still shows in it.
    ctime: (i64, i64),
    ino: u64,
    dev: u64,
}

impl Stat {
    /// The stat data of a regular file; `None` for anything else (a link is not read).
    #[cfg(unix)]
    pub fn of(meta: &std::fs::Metadata) -> Option<Stat> {
        use std::os::unix::fs::MetadataExt as _;
        meta.is_file().then(|| Stat {
            size: meta.size(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
            ino: meta.ino(),
            dev: meta.dev(),
        })
    }

    /// Without a change time and an inode number a save that keeps size and mtime goes
    /// unseen, so nothing is cached.
    #[cfg(not(unix))]
    pub fn of(_meta: &std::fs::Metadata) -> Option<Stat> {
        None
    }

    /// Whether a change made after a load started at `started` (nanoseconds since the
    /// epoch) could have left this stat as it was: its times are within the granularity of
    /// the file system's timestamps of that start, or after it.
    pub fn is_racy(&self, started: i128) -> bool {
        // The change time is the file system's own (no tool sets it): whole seconds on one
        // that keeps no finer times (FAT's mtime is even 2 s), else the kernel's coarse
        // clock, which lags the real one by a tick of at most 10 ms.
        let granularity = if self.ctime.1 == 0 {
            2_000_000_000
        } else {
            20_000_000
        };
        let nanos = |(s, n): (i64, i64)| i128::from(s) * 1_000_000_000 + i128::from(n);
        nanos(self.mtime).max(nanos(self.ctime)) > started - granularity
    }
}

/// The stat data of each note that the note at `rel` may be a conflict copy of
/// ([`twins`]), `None` where there is none: through links, as the reads that look for them
/// go.
pub fn twin_stats(root: &Path, twins: &[PathBuf]) -> Vec<Option<Stat>> {
    twins
        .iter()
        .map(|twin| {
            std::fs::metadata(root.join(twin))
                .ok()
                .and_then(|meta| Stat::of(&meta))
        })
        .collect()
}

/// Now, in nanoseconds since the epoch, as a load's start is recorded.
pub fn now() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i128::try_from(d.as_nanos()).unwrap_or(i128::MAX))
}

/// What the reads of a load depend on besides each note's bytes: the settings (the Log
/// vocabulary, the date order, the people folders), the date the notes are read on, and
/// the build that reads them (a rebuilt binary of the same version may parse differently).
/// `reading` is the one `Config::reading` builds from `settings`.
pub fn key(settings: &Settings, reading: &Reading) -> u64 {
    static BUILD: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        std::env::current_exe()
            .and_then(std::fs::metadata)
            .map(|meta| format!("{} {:?}", meta.len(), meta.modified().ok()))
            .unwrap_or_default()
    });
    let text = format!(
        "{}\n{settings:?}\n{:?}\n{:?}\n",
        *BUILD, reading.today, reading.date_order
    );
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// What follows the first line and the checksum (8 bytes, little-endian XXH3 of the index
/// and the header): of fixed length, so that room is left for it when the values are
/// written, and it is written last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Header {
    key: u64,
    /// When the load that wrote the cache started, in nanoseconds since the epoch.
    started: i128,
    /// The length of the values, which the index follows.
    values_len: u64,
    index_len: u64,
    /// How many entries the index has, one after the other.
    entries: u64,
}

/// How many bytes a [`Header`] takes: its fields, little-endian.
const HEADER_LEN: usize = 8 + 16 + 8 + 8 + 8;

/// Where the values start in a cache file.
const VALUES_AT: u64 = (FIRST_LINE.len() + 8 + HEADER_LEN) as u64;

impl Header {
    fn to_bytes(self) -> [u8; HEADER_LEN] {
        let mut bytes = [0; HEADER_LEN];
        bytes[..8].copy_from_slice(&self.key.to_le_bytes());
        bytes[8..24].copy_from_slice(&self.started.to_le_bytes());
        bytes[24..32].copy_from_slice(&self.values_len.to_le_bytes());
        bytes[32..40].copy_from_slice(&self.index_len.to_le_bytes());
        bytes[40..].copy_from_slice(&self.entries.to_le_bytes());
        bytes
    }

    /// The fields at the places [`Header::to_bytes`] puts them.
    fn from_bytes(bytes: &[u8; HEADER_LEN]) -> Header {
        let u64_at =
            |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or_default());
        Header {
            key: u64_at(0),
            started: i128::from_le_bytes(bytes[8..24].try_into().unwrap_or_default()),
            values_len: u64_at(24),
            index_len: u64_at(32),
            entries: u64_at(40),
        }
    }
}

/// One note of the index.
#[derive(Debug, Serialize, Deserialize)]
pub struct Entry<'a> {
    /// Vault-relative, as the walk gives it.
    #[serde(borrow)]
    path: &'a str,
    stat: Stat,
    in_people: bool,
    /// The stat data of the notes it may be a copy of, as [`twin_stats`] gives them:
    /// borrowed from the load as the cache is saved, owned as it is read.
    twins: std::borrow::Cow<'a, [Option<Stat>]>,
    /// Where its value lies among the values.
    start: u64,
    len: u64,
    /// The [`Placed::revision`] of its value: the value's own checksum, tried as the
    /// value is read.
    revision: u64,
    /// How many bytes from its value's start the values of it and of the entries after it
    /// fill without a gap: how far a block read for it is of use. Values are written in
    /// runs, in whatever order the cores finish them, so the next entry's value may lie
    /// anywhere.
    #[serde(skip)]
    span: u64,
}

impl Entry<'_> {
    pub fn stat(&self) -> Stat {
        self.stat
    }

    pub fn in_people(&self) -> bool {
        self.in_people
    }

    pub fn twins(&self) -> &[Option<Stat>] {
        &self.twins
    }
}

/// A cache file opened: its header and index read and checked, its values left on disk to
/// be read a block at a time as they are needed. The file stays open, so the values read
/// are this file's even if another run replaces it meanwhile (a cache is only ever
/// replaced by a rename, never written in place).
#[derive(Debug)]
pub struct Opened {
    file: std::fs::File,
    header: Header,
    index: Vec<u8>,
    values_at: u64,
    values_len: u64,
}

/// The cache at `path` with its header and index, when it is whole as far as they go: of
/// another format or version, damaged or cut short, `None`. A damaged value shows only when
/// it is read, and then stands for its note alone.
pub fn open(path: &Path) -> Option<Opened> {
    let file = std::fs::File::open(path).ok()?;
    let size = file.metadata().ok()?.len();
    let mut start = vec![0; usize::try_from(VALUES_AT).ok()?];
    read_at(&file, &mut start, 0)?;
    let rest = start.strip_prefix(FIRST_LINE.as_bytes())?;
    let (checksum, rest) = rest.split_first_chunk::<8>()?;
    let header_bytes = rest.first_chunk::<HEADER_LEN>()?;
    let header = Header::from_bytes(header_bytes);
    let index_at = VALUES_AT.checked_add(header.values_len)?;
    if index_at.checked_add(header.index_len)? != size {
        return None;
    }
    let index_len = usize::try_from(header.index_len).ok()?;
    let mut index = vec![0; index_len];
    read_at(&file, &mut index, index_at)?;
    // The index and the header, checked as one, in the order they are written.
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&index);
    hasher.update(header_bytes);
    if hasher.digest() != u64::from_le_bytes(*checksum) {
        return None;
    }
    Some(Opened {
        file,
        header,
        index,
        values_at: VALUES_AT,
        values_len: header.values_len,
    })
}

/// Fills `buf` from `file` at `offset`; `None` when the file ends first.
#[cfg(unix)]
fn read_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> Option<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset).ok()
}

/// Without a change time the cache is never written ([`Stat::of`]), so never read.
#[cfg(not(unix))]
fn read_at(_file: &std::fs::File, _buf: &mut [u8], _offset: u64) -> Option<()> {
    None
}

/// A cache as read from its file, borrowing its index.
#[derive(Debug)]
pub struct Old<'a> {
    entries: Vec<Entry<'a>>,
    opened: &'a Opened,
}

impl Opened {
    /// The cache when it was written under `key`; `None` otherwise.
    pub fn parse(&self, key: u64) -> Option<Old<'_>> {
        if self.header.key != key {
            return None;
        }
        // An index cut short or damaged has failed its checksum already; the count is
        // checked still, and the room made for the entries is no more than the bytes allow.
        let count = usize::try_from(self.header.entries).ok()?;
        let mut entries: Vec<Entry<'_>> = Vec::with_capacity(count.min(self.index.len()));
        let mut rest = self.index.as_slice();
        while !rest.is_empty() {
            let (entry, after) = postcard::take_from_bytes(rest).ok()?;
            entries.push(entry);
            rest = after;
        }
        if entries.len() != count {
            return None;
        }
        let fits = |e: &Entry| {
            e.start
                .checked_add(e.len)
                .is_some_and(|end| end <= self.values_len)
        };
        if !entries.iter().all(fits) {
            return None;
        }
        let mut next: Option<(u64, u64)> = None;
        for entry in entries.iter_mut().rev() {
            entry.span = match next {
                Some((start, span)) if start == entry.start + entry.len => entry.len + span,
                _ => entry.len,
            };
            next = Some((entry.start, entry.span));
        }
        Some(Old {
            entries,
            opened: self,
        })
    }
}

/// How much of the values one reader holds at once: a few hundred notes' worth, read with
/// one call, so that a load never holds the whole cache (it was the largest allocation of
/// a cached load).
const BLOCK: usize = 256 * 1024;

/// Reads values of an [`Old`] cache in the order of its index, a block at a time: one for
/// each thread of a load.
pub struct Values<'a> {
    opened: &'a Opened,
    block: Vec<u8>,
    /// Where `block` starts among the values.
    block_at: u64,
}

impl Values<'_> {
    /// The bytes of `entry`'s value, when they are still what was saved.
    fn get(&mut self, entry: &Entry<'_>) -> Option<&[u8]> {
        let end = entry.start + entry.len;
        let held = self.block_at + self.block.len() as u64;
        if entry.start < self.block_at || end > held {
            // As much of a block as the values after it are of use: those of the next notes
            // are read with it when they follow it.
            let len = entry.len.max(entry.span.min(BLOCK as u64));
            self.block.resize(usize::try_from(len).ok()?, 0);
            self.block_at = entry.start;
            let read = read_at(
                &self.opened.file,
                &mut self.block,
                self.opened.values_at + entry.start,
            );
            if read.is_none() {
                // Nothing held rather than a block half read.
                self.block.clear();
                return None;
            }
        }
        let from = usize::try_from(entry.start - self.block_at).ok()?;
        let value = self
            .block
            .get(from..from + usize::try_from(entry.len).ok()?)?;
        (revision_of(Path::new(entry.path), value) == entry.revision).then_some(value)
    }
}

impl<'a> Old<'a> {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// A reader of values, holding no block yet.
    pub fn values(&self) -> Values<'a> {
        Values {
            opened: self.opened,
            block: Vec::new(),
            block_at: 0,
        }
    }

    /// The entry of each of `notes` (sorted as the vault sorts paths), when it has one: one
    /// pass over both lists, which the cache keeps in the same order.
    pub fn matching<'p>(&self, notes: impl Iterator<Item = &'p Path>) -> Vec<Option<&Entry<'a>>> {
        let mut next = 0;
        notes
            .map(|rel| {
                while self.entries.get(next).is_some_and(|e| {
                    super::path_order(Path::new(e.path), rel) == std::cmp::Ordering::Less
                }) {
                    next += 1;
                }
                self.entries
                    .get(next)
                    .filter(|e| Path::new(e.path).as_os_str() == rel.as_os_str())
            })
            .collect()
    }

    /// `entry`'s read of its note, read through `values`, when the note's stat is still
    /// `stat`, and its twins' `twins`, and none could have changed unseen since the read, and
    /// the value is whole. The contact gets its path and its revision.
    pub fn reuse(
        &self,
        values: &mut Values<'_>,
        entry: &Entry<'_>,
        stat: Stat,
        in_people: bool,
        twins: &[Option<Stat>],
    ) -> Result<Parsed, Miss> {
        let racy = |s: &Stat| s.is_racy(self.opened.header.started);
        if !same_stat(entry, stat, in_people, twins)
            || racy(&stat)
            || twins.iter().flatten().any(racy)
        {
            return Err(Miss::Changed);
        }
        let mut parsed: Parsed = values
            .get(entry)
            .and_then(|value| postcard::from_bytes(value).ok())
            .ok_or(Miss::Damaged)?;
        if let Parsed::Contact(contact, _) = &mut parsed {
            contact.path = PathBuf::from(entry.path);
            contact.revision = entry.revision;
        }
        Ok(parsed)
    }
}

/// Why an entry of the cache does not stand for its note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Miss {
    /// The note may have changed since it was saved.
    Changed,
    /// The note's stat is the one saved, but its value is damaged: the cache is to be saved
    /// again.
    Damaged,
}

/// Whether `entry` recorded its note with this stat: a note read again only because its
/// times were too close to the cache's is no change of the note.
pub fn same_stat(entry: &Entry<'_>, stat: Stat, in_people: bool, twins: &[Option<Stat>]) -> bool {
    entry.stat == stat && entry.in_people == in_people && entry.twins == twins
}

/// The notes besides its own whose files decide the read of the note at `rel`: those it may
/// be a sync tool's conflict copy of (`Ada.md` for `Ada 2.md` or `Ada-LAPTOP.md`), which the
/// read looks for and compares it with. `None` when the read cannot be cached: a path that
/// is not UTF-8, or a name that is a conflict copy whatever the notes say.
pub fn twins(rel: &Path) -> Option<Vec<PathBuf>> {
    rel.to_str()?;
    let stem = rel.file_stem()?.to_str()?;
    let mut twins = Vec::new();
    for (original, how) in crate::names::copy_of(stem) {
        if how == crate::names::Conflict::Certain {
            return None;
        }
        twins.push(rel.with_file_name(format!("{original}.md")));
    }
    Some(twins)
}

/// A new value placed in a cache being saved: in which run, where in it, how long, and its
/// revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    run: u32,
    offset: u64,
    len: u64,
    /// The revision of a contact read from the note at its path into this value: the same
    /// for the same read in every run, so what was rendered from it can be kept between runs
    /// (index.md's rows), and different for any other note or read.
    pub revision: u64,
}

/// The revision of a value of the note at `rel` ([`Placed::revision`]).
fn revision_of(rel: &Path, value: &[u8]) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(rel.as_os_str().as_encoded_bytes());
    hasher.update(&[0xff]);
    hasher.update(value);
    hasher.digest()
}

/// A postcard flavour that appends to a buffer it borrows, so that a failed encoding
/// leaves the buffer's earlier values as they were.
struct Append<'b>(&'b mut Vec<u8>);

impl postcard::ser_flavors::Flavor for Append<'_> {
    type Output = ();

    fn try_push(&mut self, data: u8) -> postcard::Result<()> {
        self.0.push(data);
        Ok(())
    }

    fn try_extend(&mut self, data: &[u8]) -> postcard::Result<()> {
        self.0.extend_from_slice(data);
        Ok(())
    }

    fn finalize(self) -> postcard::Result<()> {
        Ok(())
    }
}

/// How many bytes of new values a core gathers before it writes them, as one run, to the
/// cache being saved: a few dozen notes, so that what is held of them stays small.
const RUN_BYTES: usize = 64 * 1024;

/// A parse cache being saved. The new values are encoded as their notes are read, by each
/// core into its own [`Run`], and a run is written as it fills, at the end of the values
/// written so far: a save after the reads, which encoded every value again in path order
/// (and each one a first time, to know its length and revision, as it was read), showed in a
/// cold load's profile. [`Writer::finish`] then copies the old cache's values that are kept,
/// and writes the index and the header. Nothing is written until a run fills, its core is
/// done with it (when the cache is to be saved whatever the load finds), or the cache is
/// finished; dropped unfinished, the file is removed.
pub struct Writer {
    path: PathBuf,
    file: OnceLock<Option<CacheFile>>,
    /// How many bytes of values are placed.
    end: AtomicU64,
    /// The number the next run takes.
    runs: AtomicU32,
    /// Where each run was placed among the values, by its number.
    placed: Mutex<Vec<u64>>,
    /// Whether the cache is to be saved whatever the load finds (there is no old one):
    /// runs are then placed as soon as their cores are done with them.
    eager: bool,
    /// Runs whose core was done before they filled, when the writer is not `eager`: placed
    /// when the cache is finished, and never written when it is not saved.
    unplaced: Mutex<Vec<(u32, Vec<u8>)>>,
    /// The first write that failed: the cache is not saved.
    failed: Mutex<Option<WriteError>>,
}

/// Values a core encodes for a [`Writer`]; dropped, what it holds goes back to the writer.
pub struct Run<'w> {
    writer: &'w Writer,
    number: u32,
    bytes: Vec<u8>,
}

/// Why a cache was not saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("a kept value of the old cache has changed since it was read")]
    Stale,
    #[error("the index of the notes cannot be encoded")]
    Unencodable,
    #[error("the cache file was not made")]
    Unmade,
    #[error("a new value was never written")]
    Unplaced,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Writer {
    /// A writer of the cache at `path`, which has written nothing yet; `eager` when the
    /// cache is to be saved whatever the load finds.
    pub fn new(path: &Path, eager: bool) -> Writer {
        Writer {
            path: path.to_path_buf(),
            eager,
            file: OnceLock::new(),
            end: AtomicU64::new(0),
            runs: AtomicU32::new(0),
            placed: Mutex::new(Vec::new()),
            unplaced: Mutex::new(Vec::new()),
            failed: Mutex::new(None),
        }
    }

    /// A run for one core, holding nothing yet.
    pub fn run(&self) -> Run<'_> {
        Run {
            writer: self,
            number: self.runs.fetch_add(1, Ordering::Relaxed),
            bytes: Vec::new(),
        }
    }

    /// The temporary file, made by the first run that needs it.
    fn file(&self) -> Option<&CacheFile> {
        self.file
            .get_or_init(|| {
                CacheFile::create(&self.path)
                    .map_err(|err| self.fail(err))
                    .ok()
            })
            .as_ref()
    }

    fn fail(&self, err: WriteError) {
        lock(&self.failed).get_or_insert(err);
    }

    /// Writes run `number` after the values placed so far.
    fn place(&self, number: u32, bytes: &[u8]) {
        let start = self.end.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        if let Some(file) = self.file()
            && let Err(err) = file.write_at(bytes, VALUES_AT + start)
        {
            self.fail(err);
        }
        let mut placed = lock(&self.placed);
        let at = number as usize;
        if placed.len() <= at {
            placed.resize(at + 1, u64::MAX);
        }
        placed[at] = start;
    }

    /// Saves the cache of `notes`, in the vault's path order, their kept values copied from
    /// `old` after the new ones; `key` and `started` as [`Old`] checks them. The notes are
    /// gone through twice (the kept values, then the index), so that neither the values nor
    /// the index is ever held whole. Fails when a write failed, or a kept value is no longer
    /// what was saved.
    pub fn finish<'s>(
        self,
        key: u64,
        started: i128,
        old: Option<&Old<'_>>,
        notes: impl Iterator<Item = Saved<'s>> + Clone,
    ) -> Result<(), SaveError> {
        for (number, bytes) in std::mem::take(&mut *lock(&self.unplaced)) {
            self.place(number, &bytes);
        }
        let file = self.file();
        if let Some(err) = lock(&self.failed).take() {
            return Err(err.into());
        }
        // Only a failure, returned above, leaves no file.
        let file = file.ok_or(SaveError::Unmade)?;
        let placed = std::mem::take(&mut *lock(&self.placed));
        let notes = notes.filter_map(|n| Some((n.path.to_str()?, n)));
        let mut out = Spill {
            file,
            at: VALUES_AT + self.end.load(Ordering::Relaxed),
            buf: Vec::with_capacity(BLOCK),
            checksum: None,
        };
        let mut values = old.map(Old::values);
        let mut kept_at = Vec::new();
        for (_, n) in notes.clone() {
            if let Value::Kept(kept) = n.value {
                let value = values
                    .as_mut()
                    .and_then(|v| v.get(kept))
                    .ok_or(SaveError::Stale)?;
                kept_at.push(out.position() - VALUES_AT);
                out.buf.extend_from_slice(value);
                out.spill_full()?;
            }
        }
        drop(values);
        out.spill()?;
        let values_len = out.position() - VALUES_AT;
        out.checksum = Some(xxhash_rust::xxh3::Xxh3::new());
        let mut kept_at = kept_at.into_iter();
        let mut count = 0;
        for (path, n) in notes {
            let (start, len, revision) = match n.value {
                Value::Kept(kept) => (
                    kept_at.next().ok_or(SaveError::Stale)?,
                    kept.len,
                    kept.revision,
                ),
                Value::New(new) => {
                    let run = placed.get(new.run as usize).copied();
                    let run = run
                        .filter(|&at| at != u64::MAX)
                        .ok_or(SaveError::Unplaced)?;
                    (run + new.offset, new.len, new.revision)
                }
            };
            let entry = Entry {
                path,
                stat: n.stat,
                in_people: n.in_people,
                twins: std::borrow::Cow::Borrowed(n.twins),
                start,
                len,
                revision,
                span: 0,
            };
            postcard::serialize_with_flavor(&entry, Append(&mut out.buf))
                .map_err(|_| SaveError::Unencodable)?;
            out.spill_full()?;
            count += 1;
        }
        out.spill()?;
        let header = Header {
            key,
            started,
            values_len,
            index_len: out.position() - VALUES_AT - values_len,
            entries: count,
        }
        .to_bytes();
        let mut checksum = out.checksum.take().unwrap_or_default();
        checksum.update(&header);
        let mut start = Vec::with_capacity(HEADER_LEN + 8 + FIRST_LINE.len());
        start.extend_from_slice(FIRST_LINE.as_bytes());
        start.extend_from_slice(&checksum.digest().to_le_bytes());
        start.extend_from_slice(&header);
        file.write_at(&start, 0)?;
        let file = self.file.into_inner().flatten().ok_or(SaveError::Unmade)?;
        Ok(file.persist()?)
    }
}

/// What [`Writer::finish`] writes after the new values, gathered a block at a time and
/// hashed as it is written once `checksum` is set.
struct Spill<'f> {
    file: &'f CacheFile,
    /// Where `buf` goes in the file.
    at: u64,
    buf: Vec<u8>,
    checksum: Option<xxhash_rust::xxh3::Xxh3>,
}

impl Spill<'_> {
    /// Where the next byte goes.
    fn position(&self) -> u64 {
        self.at + self.buf.len() as u64
    }

    fn spill_full(&mut self) -> Result<(), WriteError> {
        if self.buf.len() >= BLOCK {
            self.spill()?;
        }
        Ok(())
    }

    fn spill(&mut self) -> Result<(), WriteError> {
        self.file.write_at(&self.buf, self.at)?;
        if let Some(checksum) = &mut self.checksum {
            checksum.update(&self.buf);
        }
        self.at += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }
}

impl Run<'_> {
    /// Encodes `parsed`, read from the note at `rel`, for the cache: where it is placed,
    /// and its revision. `None` when it cannot be kept (a path that is not UTF-8).
    pub fn push(&mut self, rel: &Path, parsed: &Parsed) -> Option<Placed> {
        rel.to_str()?;
        let offset = self.bytes.len();
        if postcard::serialize_with_flavor(parsed, Append(&mut self.bytes)).is_err() {
            self.bytes.truncate(offset);
            return None;
        }
        let value = &self.bytes[offset..];
        let placed = Placed {
            run: self.number,
            offset: offset as u64,
            len: value.len() as u64,
            revision: revision_of(rel, value),
        };
        if self.bytes.len() >= RUN_BYTES {
            self.writer.place(self.number, &self.bytes);
            self.bytes.clear();
            self.number = self.writer.runs.fetch_add(1, Ordering::Relaxed);
        }
        Some(placed)
    }
}

impl Drop for Run<'_> {
    fn drop(&mut self) {
        if self.bytes.is_empty() {
            return;
        }
        if self.writer.eager {
            self.writer.place(self.number, &self.bytes);
        } else {
            let bytes = std::mem::take(&mut self.bytes);
            lock(&self.writer.unplaced).push((self.number, bytes));
        }
    }
}

/// Where a saved note's value comes from.
#[derive(Clone, Copy)]
pub enum Value<'s> {
    /// The old cache's, unchanged: copied as it is.
    Kept(&'s Entry<'s>),
    /// A new read, placed as it was encoded.
    New(Placed),
}

/// One note of a cache to save.
#[derive(Clone, Copy)]
pub struct Saved<'s> {
    pub path: &'s Path,
    pub stat: Stat,
    pub in_people: bool,
    pub twins: &'s [Option<Stat>],
    pub value: Value<'s>,
}

/// The bytes of the file at `path`, when there is one: for a file of this device's state
/// read whole and checked with [`unseal`] (index.md's rows).
pub fn read(path: &Path) -> Option<Vec<u8>> {
    std::fs::read(path).ok()
}

/// The body of a file sealed under `first_line` (that line, then the XXH3 of all that
/// follows, little-endian, then the body), when it is whole: of another format or version,
/// damaged or cut short, `None`.
pub fn unseal<'a>(bytes: &'a [u8], first_line: &str) -> Option<&'a [u8]> {
    let rest = bytes.strip_prefix(first_line.as_bytes())?;
    let (checksum, rest) = rest.split_first_chunk::<8>()?;
    (xxhash_rust::xxh3::xxh3_64(rest) == u64::from_le_bytes(*checksum)).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Contact;

    fn stat(secs: i64, nanos: i64) -> Stat {
        Stat {
            size: 10,
            mtime: (secs, nanos),
            ctime: (secs, nanos),
            ino: 7,
            dev: 1,
        }
    }

    const SECOND: i128 = 1_000_000_000;

    fn sample() -> (Parsed, Parsed) {
        (sample_ada(), Parsed::NotAContact)
    }

    /// The revision of `parsed` as a value of the note at `path`.
    fn revision(path: &str, parsed: &Parsed) -> u64 {
        revision_of(Path::new(path), &postcard::to_allocvec(parsed).unwrap())
    }

    /// `parsed` as a read from the cache gives it back for the note at `path`: with its
    /// path and revision.
    fn as_read(path: &str, mut parsed: Parsed) -> Parsed {
        let revision = revision(path, &parsed);
        if let Parsed::Contact(contact, _) = &mut parsed {
            contact.path = PathBuf::from(path);
            contact.revision = revision;
        }
        parsed
    }

    /// Where a test's note to save has its value from.
    enum Given<'s> {
        Kept(&'s Entry<'s>),
        New(&'s Parsed),
    }

    /// A note to save, as [`Saved`] but with its new value not yet encoded.
    struct Note<'s> {
        path: &'s str,
        stat: Stat,
        in_people: bool,
        twins: &'s [Option<Stat>],
        value: Given<'s>,
    }

    /// `parsed` as a new read of the note at `path`, to be saved.
    fn new_value<'s>(_path: &str, parsed: &'s Parsed) -> Given<'s> {
        Given::New(parsed)
    }

    /// Each of `notes` as a new read of a note in a people folder, all of one stat.
    fn new_reads<'s>(notes: impl Iterator<Item = (&'s str, &'s Parsed)>) -> Vec<Note<'s>> {
        notes
            .map(|(path, parsed)| Note {
                path,
                stat: stat(100, 5),
                in_people: true,
                twins: &[],
                value: new_value(path, parsed),
            })
            .collect()
    }

    /// The cache file of `notes`, with no old cache to copy from.
    fn file(key: u64, started: i128, notes: &[Note<'_>]) -> Vec<u8> {
        save(key, started, None, notes, 1)
    }

    /// The cache file of `notes`, their kept values copied from `old`, their new ones
    /// encoded as a load's cores do: a few at a time onto each of `runs` runs in turn, the
    /// runs left unfilled placed in another order than they were begun.
    fn save(
        key: u64,
        started: i128,
        old: Option<&Old<'_>>,
        notes: &[Note<'_>],
        runs: usize,
    ) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parse-cache.bin");
        let writer = Writer::new(&path, old.is_none());
        let placed: Vec<Option<Placed>> = {
            let mut cores: Vec<Run<'_>> = (0..runs).map(|_| writer.run()).collect();
            let placed = notes
                .iter()
                .enumerate()
                .map(|(i, n)| match n.value {
                    Given::New(parsed) => cores[i / 7 % runs].push(Path::new(n.path), parsed),
                    Given::Kept(_) => None,
                })
                .collect();
            cores.reverse();
            placed
        };
        let saved: Vec<Saved<'_>> = notes
            .iter()
            .zip(placed)
            .map(|(n, placed)| Saved {
                path: Path::new(n.path),
                stat: n.stat,
                in_people: n.in_people,
                twins: n.twins,
                value: match n.value {
                    Given::Kept(entry) => Value::Kept(entry),
                    Given::New(_) => Value::New(placed.unwrap()),
                },
            })
            .collect();
        writer
            .finish(key, started, old, saved.iter().copied())
            .unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "the cache file alone, no temporary left");
        bytes
    }

    /// `bytes` as a cache file, opened.
    fn opened(bytes: &[u8]) -> Option<Opened> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parse-cache.bin");
        std::fs::write(&path, bytes).unwrap();
        // Open files outlive their folder's removal.
        open(&path)
    }

    /// A contact with a value of every kind a note gives: dates, a cadence, a birthday, a
    /// Log, YAML extras, a problem.
    fn sample_ada() -> Parsed {
        let mut ada = Contact::named("Ada");
        ada.extra = crate::model::Extra::new(&sample_extra());
        let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        ada.met_date = Some(day("2019-06-12"));
        ada.last_touch = Some(day("2026-02-27"));
        ada.cadence = Some(crate::model::Cadence::Every(crate::model::Span::Months(3)));
        ada.paused = Some(crate::model::Mark {
            since: Some(day("2026-02-01")),
        });
        ada.let_go = Some(crate::model::Mark { since: None });
        ada.role_changed = Some(day("2026-01-15"));
        ada.previous_role = Some("Intern".into());
        ada.body = crate::model::BodyFacts::new(
            &crate::model::Words {
                about: Some("maps".into()),
                follow_ups: vec!["send the river map".into()],
            },
            &[crate::note::body::link_key("Grace Okafor")],
        );
        ada.birthday = Some(crate::model::Birthday {
            year: None,
            month: 8,
            day: 17,
        });
        ada.log = crate::model::Log::new(vec![
            crate::model::LogEntry {
                date: day("2025-01-02"),
                kind: crate::model::LogKind::Outreach,
                text: "wrote".into(),
                line: 9,
            },
            crate::model::LogEntry {
                date: day("0001-01-01"),
                kind: crate::model::LogKind::Together,
                text: "coffee".into(),
                line: 10,
            },
        ]);
        let problem = crate::error::Problem::new(
            crate::error::Location::at("Ada.md", 2, 1),
            crate::error::Issue::NotText {
                key: "email".into(),
                found: "a list",
            },
        );
        Parsed::Contact(ada, vec![problem])
    }

    fn saved<'s>(ada: &'s Parsed, none: &'s Parsed) -> Vec<Note<'s>> {
        vec![
            Note {
                path: "Ada.md",
                stat: stat(100, 5),
                in_people: true,
                twins: &[],
                value: new_value("Ada.md", ada),
            },
            Note {
                path: "notes/plan.md",
                stat: stat(100, 6),
                in_people: false,
                twins: &[],
                value: new_value("notes/plan.md", none),
            },
        ]
    }

    fn sample_extra() -> Vec<(String, yaml_serde::Value)> {
        vec![(
            "met-at".to_owned(),
            yaml_serde::from_str("{place: [RustConf, 2024], tag: !x y, n: -3, f: 1.5}").unwrap(),
        )]
    }

    #[test]
    fn a_saved_cache_gives_back_every_read_whole() {
        let (ada, none) = sample();
        let opened = opened(&file(9, 200 * SECOND, &saved(&ada, &none))).unwrap();
        let old = opened.parse(9).expect("a whole cache");
        let notes = [
            (PathBuf::from("Ada.md"), true),
            (PathBuf::from("Bob.md"), true),
            (PathBuf::from("notes/plan.md"), false),
        ];
        let found = old.matching(notes.iter().map(|n| n.0.as_path()));
        assert!(found[1].is_none());
        let mut values = old.values();
        let back = old
            .reuse(&mut values, found[0].unwrap(), stat(100, 5), true, &[])
            .unwrap();
        assert_eq!(
            back,
            as_read("Ada.md", sample_ada()),
            "every value back as it was"
        );
        let Parsed::Contact(contact, problems) = &back else {
            panic!("a contact");
        };
        // The path comes from the index, the revision is the value's.
        assert_eq!(contact.path, PathBuf::from("Ada.md"));
        let revision = revision("Ada.md", &ada);
        assert_eq!(contact.revision, revision);
        assert_ne!(
            revision,
            self::revision("Ada 2.md", &ada),
            "another note's read is another revision"
        );
        assert_eq!(contact.log.len(), 2);
        assert_eq!(contact.log.newest().map(|e| e.text.as_ref()), Some("wrote"));
        assert_eq!(contact.met_date, "2019-06-12".parse().ok());
        assert_eq!(contact.extra.pairs(), sample_extra());
        assert_eq!(
            problems[0].message(),
            "`email` must be text, found a list; it is ignored"
        );
        assert_eq!(
            old.reuse(&mut values, found[2].unwrap(), stat(100, 6), false, &[]),
            Ok(Parsed::NotAContact)
        );
        // Read again from the start, through a new reader.
        assert_eq!(
            old.reuse(
                &mut old.values(),
                found[0].unwrap(),
                stat(100, 5),
                true,
                &[]
            ),
            Ok(back)
        );
    }

    #[test]
    fn a_cache_saved_again_copies_what_it_keeps_and_encodes_what_is_new() {
        let (ada, none) = sample();
        let first = opened(&file(9, 200 * SECOND, &saved(&ada, &none))).unwrap();
        let old = first.parse(9).unwrap();
        let notes = [
            (PathBuf::from("Ada.md"), true),
            (PathBuf::from("notes/plan.md"), false),
        ];
        let kept = old.matching(notes.iter().map(|n| n.0.as_path()))[0].unwrap();
        let bob = Parsed::Contact(Contact::named("Bob"), Vec::new());
        let again = [
            Note {
                path: "Ada.md",
                stat: kept.stat(),
                in_people: true,
                twins: &[],
                value: Given::Kept(kept),
            },
            Note {
                path: "Bob.md",
                stat: stat(100, 7),
                in_people: true,
                twins: &[],
                value: new_value("Bob.md", &bob),
            },
        ];
        let bytes = save(9, 300 * SECOND, Some(&old), &again, 1);
        let second = opened(&bytes).unwrap();
        let new = second.parse(9).unwrap();
        assert_eq!(new.len(), 2);
        let walked = [
            (PathBuf::from("Ada.md"), true),
            (PathBuf::from("Bob.md"), true),
        ];
        let found = new.matching(walked.iter().map(|n| n.0.as_path()));
        let mut values = new.values();
        assert_eq!(
            new.reuse(&mut values, found[0].unwrap(), stat(100, 5), true, &[]),
            Ok(as_read("Ada.md", sample_ada()))
        );
        let Ok(Parsed::Contact(bob_back, _)) =
            new.reuse(&mut values, found[1].unwrap(), stat(100, 7), true, &[])
        else {
            panic!("Bob's read");
        };
        assert_eq!(&*bob_back.name, "Bob");
        // The same read saved twice is the same bytes: a value is never re-encoded unseen.
        assert_eq!(file(9, 200 * SECOND, &saved(&ada, &none)), {
            let kept: Vec<Note<'_>> = old
                .matching(notes.iter().map(|n| n.0.as_path()))
                .into_iter()
                .zip(&notes)
                .map(|(entry, (rel, in_people))| {
                    let entry = entry.unwrap();
                    Note {
                        path: rel.to_str().unwrap(),
                        stat: entry.stat(),
                        in_people: *in_people,
                        twins: &[],
                        value: Given::Kept(entry),
                    }
                })
                .collect();
            save(9, 200 * SECOND, Some(&old), &kept, 1)
        });
    }

    #[test]
    fn kept_and_new_values_mixed_across_runs_all_come_back() {
        // Notes enough to fill runs of several cores, every third one new the second time,
        // so that kept values and runs of new ones meet at every boundary.
        let person = |i: usize, tag: &str| {
            let mut contact = Contact::named(&format!("Person {i:04}"));
            contact.context = Some(format!("{tag} {}", "x".repeat(i % 97)).into());
            Parsed::Contact(contact, Vec::new())
        };
        let paths: Vec<String> = (0..2300).map(|i| format!("Person {i:04}.md")).collect();
        let first: Vec<Parsed> = (0..paths.len()).map(|i| person(i, "first")).collect();
        let notes = new_reads(paths.iter().map(String::as_str).zip(&first));
        let opened_first = opened(&save(9, 200 * SECOND, None, &notes, 3)).unwrap();
        let old = opened_first.parse(9).unwrap();
        let gaps = |old: &Old<'_>| {
            old.entries
                .windows(2)
                .filter(|w| w[1].start != w[0].start + w[0].len)
                .count()
        };
        assert!(gaps(&old) > 3, "values placed out of the notes' order");
        let entries = old.matching(paths.iter().map(Path::new));
        let second: Vec<Parsed> = (0..paths.len()).map(|i| person(i, "second")).collect();
        let again: Vec<Note<'_>> = (0..paths.len())
            .map(|i| {
                let (stat, value) = if i % 3 == 0 {
                    (stat(100, 6), new_value(&paths[i], &second[i]))
                } else {
                    let entry = entries[i].unwrap();
                    (entry.stat(), Given::Kept(entry))
                };
                Note {
                    path: &paths[i],
                    stat,
                    in_people: true,
                    twins: &[],
                    value,
                }
            })
            .collect();
        let bytes = save(9, 300 * SECOND, Some(&old), &again, 2);
        let opened_again = opened(&bytes).unwrap();
        let new = opened_again.parse(9).unwrap();
        let mut values = new.values();
        for (i, entry) in new.matching(paths.iter().map(Path::new)).iter().enumerate() {
            let (stat, want) = if i % 3 == 0 {
                (stat(100, 6), &second[i])
            } else {
                (stat(100, 5), &first[i])
            };
            let back = new.reuse(&mut values, entry.unwrap(), stat, true, &[]);
            let (Ok(Parsed::Contact(back, _)), Parsed::Contact(want, _)) = (back, want) else {
                panic!("note {i}: a contact");
            };
            assert_eq!(
                (&back.name, &back.context),
                (&want.name, &want.context),
                "note {i}"
            );
        }
    }

    #[test]
    fn values_are_read_a_block_at_a_time() {
        // More values than a block holds, and one larger than a block.
        let people: Vec<(String, Parsed)> = (0..2000)
            .map(|i| {
                let mut contact = Contact::named(&format!("Person {i:04}"));
                contact.context = Some("x".repeat(if i == 1000 { BLOCK + 10 } else { 200 }).into());
                (
                    format!("Person {i:04}.md"),
                    Parsed::Contact(contact, Vec::new()),
                )
            })
            .collect();
        let notes = new_reads(people.iter().map(|(path, parsed)| (path.as_str(), parsed)));
        let opened = opened(&file(9, 200 * SECOND, &notes)).unwrap();
        let old = opened.parse(9).unwrap();
        let walked: Vec<(PathBuf, bool)> = people
            .iter()
            .map(|(path, _)| (PathBuf::from(path), true))
            .collect();
        let mut values = old.values();
        for (entry, (_, parsed)) in old
            .matching(walked.iter().map(|n| n.0.as_path()))
            .into_iter()
            .zip(&people)
        {
            let back = old.reuse(&mut values, entry.unwrap(), stat(100, 5), true, &[]);
            let Ok(Parsed::Contact(back, _)) = back else {
                panic!("a contact");
            };
            let Parsed::Contact(saved, _) = parsed else {
                unreachable!()
            };
            assert_eq!(back.name, saved.name);
            assert_eq!(back.context, saved.context);
        }
        assert!(values.block.len() <= BLOCK + 10 + 200, "one block held");
    }

    #[test]
    fn a_cache_dropped_unfinished_or_that_cannot_be_written_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parse-cache.bin");
        let big = Parsed::Contact(
            Contact {
                context: Some("x".repeat(RUN_BYTES).into()),
                ..Contact::named("Ada")
            },
            Vec::new(),
        );
        {
            let writer = Writer::new(&path, false);
            let mut run = writer.run();
            run.push(Path::new("Ada.md"), &big).unwrap();
            // A run filled is written at once.
            assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        }
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "the temporary file removed"
        );
        // A state folder where a file is.
        std::fs::write(dir.path().join("file"), "").unwrap();
        let writer = Writer::new(&dir.path().join("file/parse-cache.bin"), true);
        let placed = writer.run().push(Path::new("Ada.md"), &big).unwrap();
        let saved = [Saved {
            path: Path::new("Ada.md"),
            stat: stat(100, 5),
            in_people: true,
            twins: &[],
            value: Value::New(placed),
        }];
        assert!(matches!(
            writer.finish(9, 200 * SECOND, None, saved.iter().copied()),
            Err(SaveError::Write(_))
        ));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn any_change_of_stat_or_folder_is_a_new_read() {
        let (ada, none) = sample();
        let opened = opened(&file(9, 200 * SECOND, &saved(&ada, &none))).unwrap();
        let old = opened.parse(9).unwrap();
        let notes = [(PathBuf::from("Ada.md"), true)];
        let entry = old.matching(notes.iter().map(|n| n.0.as_path()))[0].unwrap();
        let mut values = old.values();
        let same = stat(100, 5);
        for changed in [
            Stat { size: 11, ..same },
            Stat {
                mtime: (100, 4),
                ..same
            },
            Stat {
                ctime: (150, 0),
                ..same
            },
            Stat { ino: 8, ..same },
            Stat { dev: 2, ..same },
        ] {
            assert!(
                old.reuse(&mut values, entry, changed, true, &[]).is_err(),
                "{changed:?}"
            );
            assert!(!same_stat(entry, changed, true, &[]));
        }
        assert!(old.reuse(&mut values, entry, same, false, &[]).is_err());
        assert!(old.reuse(&mut values, entry, same, true, &[]).is_ok());
    }

    #[test]
    fn a_note_changed_within_the_granularity_of_the_caches_load_is_read_again() {
        let (ada, none) = sample();
        let notes = [(PathBuf::from("Ada.md"), true)];
        // Nanosecond times: 20 ms of slack before the load's start.
        for (started, trusted) in [
            (100 * SECOND + 5, false),
            (100 * SECOND + 10_000_000, false),
            (100 * SECOND + 30_000_000, true),
        ] {
            let opened = opened(&file(9, started, &saved(&ada, &none))).unwrap();
            let old = opened.parse(9).unwrap();
            let entry = old.matching(notes.iter().map(|n| n.0.as_path()))[0].unwrap();
            let reused = old.reuse(&mut old.values(), entry, stat(100, 5), true, &[]);
            assert_eq!(reused.is_ok(), trusted);
        }
        // Whole-second times: 2 s of slack.
        let whole = Stat {
            ctime: (100, 0),
            ..stat(100, 0)
        };
        for (started, trusted) in [(101 * SECOND, false), (102 * SECOND + 1, true)] {
            let notes_whole = [Note {
                path: "Ada.md",
                stat: whole,
                in_people: true,
                twins: &[],
                value: new_value("Ada.md", &ada),
            }];
            let opened = opened(&file(9, started, &notes_whole)).unwrap();
            let old = opened.parse(9).unwrap();
            let entry = old.matching(notes.iter().map(|n| n.0.as_path()))[0].unwrap();
            let reused = old.reuse(&mut old.values(), entry, whole, true, &[]);
            assert_eq!(reused.is_ok(), trusted);
        }
    }

    #[test]
    fn a_damaged_cut_or_foreign_cache_is_none_and_a_damaged_value_its_notes_alone() {
        let (ada, none) = sample();
        let bytes = file(9, 200 * SECOND, &saved(&ada, &none));
        let parses = |bytes: &[u8], key| opened(bytes).is_some_and(|o| o.parse(key).is_some());
        assert!(parses(&bytes, 9));
        assert!(!parses(&bytes, 10), "other settings");
        assert!(!parses(&[], 9), "empty");
        for cut in [1, FIRST_LINE.len(), FIRST_LINE.len() + 3, bytes.len() - 1] {
            assert!(!parses(&bytes[..cut], 9), "cut at {cut}");
        }
        let notes = [
            (PathBuf::from("Ada.md"), true),
            (PathBuf::from("notes/plan.md"), false),
        ];
        // The values (Ada's, then the plan's one byte) follow the header; the index
        // follows them.
        let values_at = usize::try_from(VALUES_AT).unwrap();
        let plan_at = values_at + postcard::to_allocvec(&ada).unwrap().len();
        let values = values_at..=plan_at;
        // A byte beyond a cache's end, and one missing from its middle.
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(!parses(&longer, 9), "a byte more");
        let mut shorter = bytes.clone();
        shorter.remove(plan_at);
        assert!(!parses(&shorter, 9), "a value a byte short");
        for at in (0..bytes.len())
            .step_by(7)
            .chain([values_at, plan_at, plan_at + 1])
        {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x20;
            let Some(old) = opened(&damaged) else {
                assert!(
                    !values.contains(&at),
                    "byte {at} flipped: the values are checked one by one"
                );
                continue;
            };
            let Some(old) = old.parse(9) else {
                assert!(!values.contains(&at), "byte {at} flipped");
                continue;
            };
            assert!(
                values.contains(&at),
                "byte {at} flipped: the header and the index are checked whole"
            );
            // A damaged value is not read, and the other one still is.
            let found = old.matching(notes.iter().map(|n| n.0.as_path()));
            let mut values = old.values();
            let ada_back = old.reuse(&mut values, found[0].unwrap(), stat(100, 5), true, &[]);
            let plan_back = old.reuse(&mut values, found[1].unwrap(), stat(100, 6), false, &[]);
            let damaged = |back: Result<Parsed, Miss>| back.err() == Some(Miss::Damaged);
            assert_eq!(damaged(ada_back), at < plan_at, "byte {at} flipped");
            assert_eq!(damaged(plan_back), at == plan_at, "byte {at} flipped");
        }
        let other = String::from_utf8_lossy(&bytes).replacen(env!("CARGO_PKG_VERSION"), "9.9.9", 1);
        assert!(!parses(other.as_bytes(), 9), "another version");
    }

    #[test]
    fn the_key_follows_the_settings_and_the_day() {
        let settings = Settings::default();
        let reading = Reading {
            today: chrono::NaiveDate::from_ymd_opt(2026, 3, 2),
            ..Reading::default()
        };
        let base = key(&settings, &reading);
        assert_eq!(base, key(&settings, &reading));
        let tomorrow = Reading {
            today: chrono::NaiveDate::from_ymd_opt(2026, 3, 3),
            ..Reading::default()
        };
        assert_ne!(base, key(&settings, &tomorrow));
        let mut words = Settings::default();
        words.log_words.together.push("Kaffee".into());
        assert_ne!(base, key(&words, &reading));
        let ordered = Reading {
            date_order: Some(crate::model::date::DateOrder::Dmy),
            ..reading.clone()
        };
        assert_ne!(base, key(&settings, &ordered));
    }

    #[test]
    fn a_possible_copy_is_cached_with_the_notes_it_may_copy() {
        assert_eq!(twins(Path::new("People/Ada Lovelace.md")), Some(vec![]));
        assert_eq!(
            twins(Path::new("People/Ada 2.md")),
            Some(vec![PathBuf::from("People/Ada.md")])
        );
        assert_eq!(
            twins(Path::new("Daily/2026-03-01.md")),
            Some(vec![
                PathBuf::from("Daily/2026.md"),
                PathBuf::from("Daily/2026-03.md")
            ])
        );
        assert_eq!(
            twins(Path::new(
                "People/Ada.sync-conflict-20260302-101010-ABCDEFG.md"
            )),
            None
        );

        let (ada, _) = sample();
        let twin = stat(90, 1);
        let notes = [Note {
            path: "People/Ada 2.md",
            stat: stat(100, 5),
            in_people: true,
            twins: &[Some(twin)],
            value: new_value("People/Ada 2.md", &ada),
        }];
        let first = opened(&file(9, 200 * SECOND, &notes)).unwrap();
        let old = first.parse(9).unwrap();
        let mut values = old.values();
        let walked = [(PathBuf::from("People/Ada 2.md"), true)];
        let entry = old.matching(walked.iter().map(|n| n.0.as_path()))[0].unwrap();
        assert!(
            old.reuse(&mut values, entry, stat(100, 5), true, &[Some(twin)])
                .is_ok()
        );
        for changed in [None, Some(Stat { size: 99, ..twin })] {
            let reused = old.reuse(&mut values, entry, stat(100, 5), true, &[changed]);
            assert!(reused.is_err());
        }
        let racy = Stat {
            ctime: (199, 999_000_000),
            ..twin
        };
        let notes = [Note {
            twins: &[Some(racy)],
            ..notes.into_iter().next().unwrap()
        }];
        let second = opened(&file(9, 200 * SECOND, &notes)).unwrap();
        let old = second.parse(9).unwrap();
        let entry = old.matching(walked.iter().map(|n| n.0.as_path()))[0].unwrap();
        assert!(
            old.reuse(&mut old.values(), entry, stat(100, 5), true, &[Some(racy)])
                .is_err()
        );
    }
}
