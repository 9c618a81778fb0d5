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
//! stops there), a checksum of the header and the index, a header (the key, the load's
//! start), the index of notes (paths, stat data, where each value lies and its own
//! checksum), and the values, each a postcard encoding of the note's [`Parsed`]. A load
//! reads the header and the index whole, and the values a block at a time on all cores,
//! decoding only those of unchanged notes whose checksum holds: a value damaged on disk
//! costs its note a read, and the cache is never held whole.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::Settings;
use crate::note::Parsed;
use crate::note::read::Reading;

/// The first line of a cache file: the format's number (bumped when the layout of the file
/// or of a cached value changes) and the version that wrote it.
const FIRST_LINE: &str = concat!(
    "vault-reach parse cache, format 7, version ",
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

/// What follows the first line and the checksum (8 bytes, little-endian XXH3 of the header
/// and the index).
#[derive(Debug, Serialize, Deserialize)]
struct Header {
    key: u64,
    /// When the load that wrote the cache started, in nanoseconds since the epoch.
    started: i128,
    /// The length of the index, which the values follow.
    index_len: u64,
}

/// How many notes' new values one core encodes into one buffer as a cache is saved; the
/// runs are cut alike where they are encoded and where they are written.
const RUN: usize = 128;

/// The most bytes a [`Header`] takes: three varints.
const HEADER_MAX: usize = 10 + 19 + 10;

/// One note of the index.
#[derive(Debug, Serialize, Deserialize)]
pub struct Entry<'a> {
    /// Vault-relative, as the walk gives it.
    #[serde(borrow)]
    path: &'a str,
    stat: Stat,
    in_people: bool,
    /// The stat data of the notes it may be a copy of, as [`twin_stats`] gives them.
    twins: Vec<Option<Stat>>,
    /// Where its value lies among the values.
    start: u64,
    len: u64,
    /// The [`Measured::revision`] of its value: the value's own checksum, tried as the
    /// value is read.
    revision: u64,
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
    use std::io::Read as _;
    let mut file = std::fs::File::open(path).ok()?;
    let size = file.metadata().ok()?.len();
    let mut start = vec![0; FIRST_LINE.len() + 8 + HEADER_MAX];
    let mut got = 0;
    while got < start.len() {
        match file.read(&mut start[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    start.truncate(got);
    let rest = start.strip_prefix(FIRST_LINE.as_bytes())?;
    let (checksum, rest) = rest.split_first_chunk::<8>()?;
    let (header, after) = postcard::take_from_bytes::<Header>(rest).ok()?;
    let header_len = rest.len() - after.len();
    let index_len = usize::try_from(header.index_len).ok()?;
    let index_at = FIRST_LINE.len() + 8 + header_len;
    let values_at = (index_at as u64).checked_add(header.index_len)?;
    let values_len = size.checked_sub(values_at)?;
    // The header's bytes and the index, checked as one.
    let mut index = Vec::with_capacity(header_len + index_len);
    index.extend_from_slice(&rest[..header_len]);
    index.resize(header_len + index_len, 0);
    read_at(&file, &mut index[header_len..], index_at as u64)?;
    if xxhash_rust::xxh3::xxh3_64(&index) != u64::from_le_bytes(*checksum) {
        return None;
    }
    index.drain(..header_len);
    Some(Opened {
        file,
        header,
        index,
        values_at,
        values_len,
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
        let entries: Vec<Entry<'_>> = postcard::from_bytes(&self.index).ok()?;
        let fits = |e: &Entry| {
            e.start
                .checked_add(e.len)
                .is_some_and(|end| end <= self.values_len)
        };
        entries.iter().all(fits).then_some(Old {
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
            let len = (entry.len.max(BLOCK as u64)).min(self.opened.values_len - entry.start);
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

/// What the cache needs of a read it has not kept yet, without keeping its bytes: how long
/// its value is, and its revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measured {
    len: u64,
    /// The revision of a contact read from the note at its path into this value: the same
    /// for the same read in every run, so what was rendered from it can be kept between runs
    /// (index.md's rows), and different for any other note or read.
    pub revision: u64,
}

/// The revision of a value of the note at `rel` ([`Measured::revision`]).
fn revision_of(rel: &Path, value: &[u8]) -> u64 {
    let mut hasher = revision_hasher(rel);
    hasher.update(value);
    hasher.digest()
}

fn revision_hasher(rel: &Path) -> xxhash_rust::xxh3::Xxh3 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(rel.as_os_str().as_encoded_bytes());
    hasher.update(&[0xff]);
    hasher
}

/// A postcard flavour that keeps nothing of what it is given but its length and hash.
struct Measure {
    len: u64,
    hasher: xxhash_rust::xxh3::Xxh3,
}

impl postcard::ser_flavors::Flavor for Measure {
    type Output = Measured;

    fn try_push(&mut self, data: u8) -> postcard::Result<()> {
        self.try_extend(&[data])
    }

    fn try_extend(&mut self, data: &[u8]) -> postcard::Result<()> {
        self.len += data.len() as u64;
        self.hasher.update(data);
        Ok(())
    }

    fn finalize(self) -> postcard::Result<Measured> {
        Ok(Measured {
            len: self.len,
            revision: self.hasher.digest(),
        })
    }
}

/// `parsed`, read from the note at `rel`, as the cache will keep it; `None` when it cannot
/// be (a path that is not UTF-8).
pub fn measure(rel: &Path, parsed: &Parsed) -> Option<Measured> {
    rel.to_str()?;
    let flavor = Measure {
        len: 0,
        hasher: revision_hasher(rel),
    };
    postcard::serialize_with_flavor(parsed, flavor).ok()
}

/// Where a saved note's value comes from.
pub enum Value<'s> {
    /// The old cache's, unchanged: copied as it is.
    Kept(&'s Entry<'s>),
    /// A new read, [`measure`]d: encoded again as it is written.
    New(&'s Parsed, Measured),
}

/// One note of a cache to save.
pub struct Saved<'s> {
    pub path: &'s Path,
    pub stat: Stat,
    pub in_people: bool,
    pub twins: &'s [Option<Stat>],
    pub value: Value<'s>,
}

/// Writes the whole cache file to `out`, for notes in the vault's path order, their kept
/// values read from `old`; `key` and `started` as [`Old`] checks them. The values are
/// streamed, never held together. Fails when a kept value is no longer what was saved.
pub fn write(
    out: &mut dyn std::io::Write,
    key: u64,
    started: i128,
    old: Option<&Old<'_>>,
    notes: &[Saved<'_>],
) -> std::io::Result<()> {
    let mut start = 0;
    let entries: Vec<Entry<'_>> = notes
        .iter()
        .filter_map(|n| {
            let (len, revision) = match n.value {
                Value::Kept(e) => (e.len, e.revision),
                Value::New(_, m) => (m.len, m.revision),
            };
            let entry = Entry {
                path: n.path.to_str()?,
                stat: n.stat,
                in_people: n.in_people,
                twins: n.twins.to_vec(),
                start,
                len,
                revision,
            };
            start += len;
            Some(entry)
        })
        .collect();
    // About 50 bytes an entry: sized once rather than grown.
    let index =
        postcard::to_extend(&entries, Vec::with_capacity(entries.len() * 56)).unwrap_or_default();
    let header = Header {
        key,
        started,
        index_len: index.len() as u64,
    };
    let header = postcard::to_allocvec(&header).unwrap_or_default();
    let mut checksum = xxhash_rust::xxh3::Xxh3::new();
    checksum.update(&header);
    checksum.update(&index);
    out.write_all(FIRST_LINE.as_bytes())?;
    out.write_all(&checksum.digest().to_le_bytes())?;
    out.write_all(&header)?;
    out.write_all(&index)?;
    drop(index);
    let mut values = old.map(Old::values);
    let stale = || std::io::Error::other("a kept value of the old cache has changed");
    let encoded_otherwise = || std::io::Error::other("a value encoded differently");
    let saved: Vec<&Saved<'_>> = notes.iter().filter(|n| n.path.to_str().is_some()).collect();
    // New values are encoded on all cores, a batch at a time, and written in order: the
    // file is never held whole, and a value encoded one byte at a time into the writer
    // took twice as long as the whole save does now. Each core encodes a run of values into
    // one buffer: a buffer a value, regrown as it was encoded, made a cold load slower
    // (BENCHMARKS.md).
    for batch in saved.chunks(2048) {
        let encoded: Vec<Option<Vec<u8>>> = batch
            .par_chunks(RUN)
            .map(|run| {
                run.iter().try_fold(Vec::new(), |buf, n| match n.value {
                    // The index says how long each is: an encoding of another length would
                    // shift every value after it.
                    Value::New(parsed, measured) => {
                        let before = buf.len() as u64;
                        let buf = postcard::to_extend(parsed, buf).ok()?;
                        (buf.len() as u64 - before == measured.len).then_some(buf)
                    }
                    Value::Kept(_) => Some(buf),
                })
            })
            .collect();
        for (run, encoded) in batch.chunks(RUN).zip(encoded) {
            let encoded = encoded.ok_or_else(encoded_otherwise)?;
            let mut rest = encoded.as_slice();
            for n in run {
                match n.value {
                    Value::Kept(kept) => {
                        let value = values
                            .as_mut()
                            .and_then(|v| v.get(kept))
                            .ok_or_else(stale)?;
                        out.write_all(value)?;
                    }
                    Value::New(_, measured) => {
                        let value = usize::try_from(measured.len)
                            .ok()
                            .and_then(|len| rest.split_at_checked(len));
                        let (value, after) = value.ok_or_else(encoded_otherwise)?;
                        out.write_all(value)?;
                        rest = after;
                    }
                }
            }
            if !rest.is_empty() {
                return Err(encoded_otherwise());
            }
        }
    }
    Ok(())
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

    /// `parsed` as a read from the cache gives it back for the note at `path`: with its
    /// path and revision.
    fn as_read(path: &str, mut parsed: Parsed) -> Parsed {
        let revision = measure(Path::new(path), &parsed).unwrap().revision;
        if let Parsed::Contact(contact, _) = &mut parsed {
            contact.path = PathBuf::from(path);
            contact.revision = revision;
        }
        parsed
    }

    /// `parsed` as a new read of the note at `path`, to be saved.
    fn new_value<'s>(path: &str, parsed: &'s Parsed) -> Value<'s> {
        Value::New(parsed, measure(Path::new(path), parsed).unwrap())
    }

    /// Each of `notes` as a new read of a note in a people folder, all of one stat.
    fn new_reads<'s>(notes: impl Iterator<Item = (&'s str, &'s Parsed)>) -> Vec<Saved<'s>> {
        notes
            .map(|(path, parsed)| Saved {
                path: Path::new(path),
                stat: stat(100, 5),
                in_people: true,
                twins: &[],
                value: new_value(path, parsed),
            })
            .collect()
    }

    /// The cache file of `notes`, with no old cache to copy from.
    fn file(key: u64, started: i128, notes: &[Saved<'_>]) -> Vec<u8> {
        let mut out = Vec::new();
        write(&mut out, key, started, None, notes).unwrap();
        out
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

    fn saved<'s>(ada: &'s Parsed, none: &'s Parsed) -> Vec<Saved<'s>> {
        vec![
            Saved {
                path: Path::new("Ada.md"),
                stat: stat(100, 5),
                in_people: true,
                twins: &[],
                value: new_value("Ada.md", ada),
            },
            Saved {
                path: Path::new("notes/plan.md"),
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
        let revision = measure(Path::new("Ada.md"), &ada).unwrap().revision;
        assert_eq!(contact.revision, revision);
        assert_ne!(
            revision,
            measure(Path::new("Ada 2.md"), &ada).unwrap().revision,
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
            Saved {
                path: Path::new("Ada.md"),
                stat: kept.stat(),
                in_people: true,
                twins: &[],
                value: Value::Kept(kept),
            },
            Saved {
                path: Path::new("Bob.md"),
                stat: stat(100, 7),
                in_people: true,
                twins: &[],
                value: new_value("Bob.md", &bob),
            },
        ];
        let mut bytes = Vec::new();
        write(&mut bytes, 9, 300 * SECOND, Some(&old), &again).unwrap();
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
            let mut twice = Vec::new();
            let kept: Vec<Saved<'_>> = old
                .matching(notes.iter().map(|n| n.0.as_path()))
                .into_iter()
                .zip(&notes)
                .map(|(entry, (rel, in_people))| {
                    let entry = entry.unwrap();
                    Saved {
                        path: rel,
                        stat: entry.stat(),
                        in_people: *in_people,
                        twins: &[],
                        value: Value::Kept(entry),
                    }
                })
                .collect();
            write(&mut twice, 9, 200 * SECOND, Some(&old), &kept).unwrap();
            twice
        });
    }

    #[test]
    fn kept_and_new_values_mixed_across_runs_and_batches_all_come_back() {
        // More notes than a batch of the save, every third one new, so that kept values
        // and runs of new ones meet at every boundary.
        let person = |i: usize, tag: &str| {
            let mut contact = Contact::named(&format!("Person {i:04}"));
            contact.context = Some(format!("{tag} {}", "x".repeat(i % 97)).into());
            Parsed::Contact(contact, Vec::new())
        };
        let paths: Vec<String> = (0..2300).map(|i| format!("Person {i:04}.md")).collect();
        let first: Vec<Parsed> = (0..paths.len()).map(|i| person(i, "first")).collect();
        let notes = new_reads(paths.iter().map(String::as_str).zip(&first));
        let opened_first = opened(&file(9, 200 * SECOND, &notes)).unwrap();
        let old = opened_first.parse(9).unwrap();
        let entries = old.matching(paths.iter().map(Path::new));
        let second: Vec<Parsed> = (0..paths.len()).map(|i| person(i, "second")).collect();
        let again: Vec<Saved<'_>> = (0..paths.len())
            .map(|i| {
                let (stat, value) = if i % 3 == 0 {
                    (stat(100, 6), new_value(&paths[i], &second[i]))
                } else {
                    let entry = entries[i].unwrap();
                    (entry.stat(), Value::Kept(entry))
                };
                Saved {
                    path: Path::new(&paths[i]),
                    stat,
                    in_people: true,
                    twins: &[],
                    value,
                }
            })
            .collect();
        let mut bytes = Vec::new();
        write(&mut bytes, 9, 300 * SECOND, Some(&old), &again).unwrap();
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
            let notes_whole = [Saved {
                path: Path::new("Ada.md"),
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
        let plan_at = bytes.len() - 1;
        let values_at = plan_at - postcard::to_allocvec(&ada).unwrap().len();
        for at in (0..bytes.len()).step_by(7).chain([values_at, plan_at]) {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x20;
            let Some(old_file) = opened(&damaged) else {
                assert!(
                    at < values_at,
                    "byte {at} flipped: the values are checked one by one"
                );
                continue;
            };
            let Some(old) = old_file.parse(9) else {
                assert!(at < values_at, "byte {at} flipped");
                continue;
            };
            assert!(
                at >= values_at,
                "byte {at} flipped: the index is checked whole"
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
        let notes = [Saved {
            path: Path::new("People/Ada 2.md"),
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
        let notes = [Saved {
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
