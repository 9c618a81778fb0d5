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
//! stops there), a checksum of all that follows it, a header (the key, the load's start),
//! the index of notes (paths, stat data, where each value lies), and the values, each a postcard encoding of the note's
//! [`Parsed`], decoded only when its note is unchanged, on all cores.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::Settings;
use crate::note::Parsed;
use crate::note::read::Reading;

/// The first line of a cache file: the format's number (bumped when the layout of the file
/// or of a cached value changes) and the version that wrote it.
const FIRST_LINE: &str = concat!(
    "vault-reach parse cache, format 1, version ",
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
    fn is_racy(&self, started: i128) -> bool {
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

/// The stat data of the file at `path`, when it is a regular file.
pub fn stat(path: &Path) -> Option<Stat> {
    std::fs::symlink_metadata(path)
        .ok()
        .and_then(|meta| Stat::of(&meta))
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

/// What follows the first line and the checksum (8 bytes, little-endian XXH3 of the rest).
#[derive(Debug, Serialize, Deserialize)]
struct Header {
    key: u64,
    /// When the load that wrote the cache started, in nanoseconds since the epoch.
    started: i128,
    /// The length of the index, which the values follow.
    index_len: u64,
}

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

/// A cache as read from its file, borrowing the file's bytes.
#[derive(Debug)]
pub struct Old<'a> {
    entries: Vec<Entry<'a>>,
    values: &'a [u8],
    started: i128,
}

/// The bytes of the cache at `path`, when there is one.
pub fn read(path: &Path) -> Option<Vec<u8>> {
    std::fs::read(path).ok()
}

impl<'a> Old<'a> {
    /// The cache in `bytes` when it is whole and was written under `key`; `None` otherwise.
    pub fn parse(bytes: &'a [u8], key: u64) -> Option<Old<'a>> {
        let rest = unseal(bytes, FIRST_LINE)?;
        let (header, rest) = postcard::take_from_bytes::<Header>(rest).ok()?;
        if header.key != key {
            return None;
        }
        let (index, values) = rest.split_at_checked(usize::try_from(header.index_len).ok()?)?;
        let entries: Vec<Entry<'a>> = postcard::from_bytes(index).ok()?;
        let fits = |e: &Entry| {
            e.start
                .checked_add(e.len)
                .is_some_and(|end| end <= values.len() as u64)
        };
        entries.iter().all(fits).then_some(Old {
            entries,
            values,
            started: header.started,
        })
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry of each of `notes` (sorted as the vault sorts paths), when it has one: one
    /// pass over both lists, which the cache keeps in the same order.
    pub fn matching(&self, notes: &[(PathBuf, bool)]) -> Vec<Option<&Entry<'a>>> {
        let mut next = 0;
        notes
            .iter()
            .map(|(rel, _)| {
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

    /// `entry`'s read of its note, when the note's stat is still `stat`, and its twins'
    /// `twins`, and none could have changed unseen since the read.
    pub fn reuse(
        &self,
        entry: &Entry<'_>,
        stat: Stat,
        in_people: bool,
        twins: &[Option<Stat>],
    ) -> Option<Parsed> {
        let racy = |s: &Stat| s.is_racy(self.started);
        if !same_stat(entry, stat, in_people, twins)
            || racy(&stat)
            || twins.iter().flatten().any(racy)
        {
            return None;
        }
        let mut parsed: Parsed = postcard::from_bytes(self.value(entry)).ok()?;
        if let Parsed::Contact(contact, _) = &mut parsed {
            contact.path = PathBuf::from(entry.path);
        }
        Some(parsed)
    }

    /// The bytes of `entry`'s value, to be saved again as they are.
    pub fn value(&self, entry: &Entry<'_>) -> &'a [u8] {
        // In range: `parse` checked every entry.
        let start = usize::try_from(entry.start).unwrap_or(usize::MAX);
        let len = usize::try_from(entry.len).unwrap_or(0);
        self.values
            .get(start..start.saturating_add(len))
            .unwrap_or(&[])
    }
}

/// Whether `entry` recorded its note with this stat: a note read again only because its
/// times were too close to the cache's leaves the cache as it is.
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

/// The revision of a contact read from the note at `rel` into `value` ([`encode`]): the same
/// for the same read in every run, so what was rendered from it can be kept between runs
/// (index.md's rows), and different for any other note or read.
pub fn revision(rel: &Path, value: &[u8]) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(rel.as_os_str().as_encoded_bytes());
    hasher.update(&[0xff]);
    hasher.update(value);
    hasher.digest()
}

/// `parsed` as the cache keeps it; `None` when it cannot be (a path that is not UTF-8).
pub fn encode(parsed: &Parsed) -> Option<Vec<u8>> {
    postcard::to_allocvec(parsed).ok()
}

/// One note of a cache to save: its entry's bytes, from the old cache or a new read.
pub struct Saved<'s> {
    pub path: &'s Path,
    pub stat: Stat,
    pub in_people: bool,
    pub twins: &'s [Option<Stat>],
    pub value: &'s [u8],
}

/// The whole cache file, for notes in the vault's path order.
pub fn file(key: u64, started: i128, notes: &[Saved<'_>]) -> Vec<u8> {
    let mut start = 0;
    let entries: Vec<Entry<'_>> = notes
        .iter()
        .filter_map(|n| {
            let entry = Entry {
                path: n.path.to_str()?,
                stat: n.stat,
                in_people: n.in_people,
                twins: n.twins.to_vec(),
                start,
                len: n.value.len() as u64,
            };
            start += entry.len;
            Some(entry)
        })
        .collect();
    // About 40 bytes an entry: sized once rather than grown.
    let index =
        postcard::to_extend(&entries, Vec::with_capacity(entries.len() * 48)).unwrap_or_default();
    let header = Header {
        key,
        started,
        index_len: index.len() as u64,
    };
    let header = postcard::to_allocvec(&header).unwrap_or_default();
    let mut out = unsealed(
        FIRST_LINE,
        header.len() + index.len() + usize::try_from(start).unwrap_or(0),
    );
    out.extend_from_slice(&header);
    out.extend_from_slice(&index);
    for n in notes.iter().filter(|n| n.path.to_str().is_some()) {
        out.extend_from_slice(n.value);
    }
    // One pass over the whole, rather than one call a value.
    seal(&mut out, FIRST_LINE);
    out
}

/// The start of a file of this device's state that is checked whole when read: `first_line`
/// (the format and the version that wrote it), then room for the checksum, with room for
/// `body` bytes more. The body follows, and [`seal`] closes it.
pub fn unsealed(first_line: &str, body: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(first_line.len() + 8 + body);
    out.extend_from_slice(first_line.as_bytes());
    out.extend_from_slice(&[0; 8]);
    out
}

/// Writes into `file` ([`unsealed`], its body after it) the checksum of its body: the XXH3 of
/// all that follows the first line and the checksum, little-endian.
pub fn seal(file: &mut [u8], first_line: &str) {
    let at = first_line.len();
    let checksum = xxhash_rust::xxh3::xxh3_64(&file[at + 8..]);
    file[at..at + 8].copy_from_slice(&checksum.to_le_bytes());
}

/// The body of a file [`seal`] closed under `first_line`, when it is whole: of another
/// format or version, damaged or cut short, `None`.
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

    fn sample() -> (Vec<u8>, Vec<u8>) {
        (
            encode(&sample_ada()).unwrap(),
            encode(&Parsed::NotAContact).unwrap(),
        )
    }

    /// A contact with a value of every kind a note gives: dates, a cadence, a birthday, a
    /// Log, YAML extras, a problem.
    fn sample_ada() -> Parsed {
        let mut ada = Contact::named("Ada");
        ada.extra = sample_extra();
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
        ada.body = Some(Box::new(crate::model::BodyFacts {
            about: Some("maps".into()),
            follow_ups: vec!["send the river map".into()],
            links: vec![crate::note::body::link_key("Grace Okafor")],
        }));
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

    fn saved<'s>(ada: &'s [u8], none: &'s [u8]) -> Vec<Saved<'s>> {
        vec![
            Saved {
                path: Path::new("Ada.md"),
                stat: stat(100, 5),
                in_people: true,
                twins: &[],
                value: ada,
            },
            Saved {
                path: Path::new("notes/plan.md"),
                stat: stat(100, 6),
                in_people: false,
                twins: &[],
                value: none,
            },
        ]
    }

    #[test]
    fn a_saved_cache_gives_back_every_read_whole() {
        let (ada, none) = sample();
        let bytes = file(9, 200 * SECOND, &saved(&ada, &none));
        let old = Old::parse(&bytes, 9).expect("a whole cache");
        let notes = [
            (PathBuf::from("Ada.md"), true),
            (PathBuf::from("Bob.md"), true),
            (PathBuf::from("notes/plan.md"), false),
        ];
        let found = old.matching(&notes);
        assert!(found[1].is_none());
        let back = old
            .reuse(found[0].unwrap(), stat(100, 5), true, &[])
            .unwrap();
        // The path comes from the index.
        let mut saved: Parsed = postcard::from_bytes(&ada).unwrap();
        if let Parsed::Contact(contact, _) = &mut saved {
            assert_eq!(contact.path, PathBuf::new());
            contact.path = PathBuf::from("Ada.md");
        }
        assert_eq!(back, saved);
        assert_eq!(back, sample_ada(), "every value back as it was");
        let Parsed::Contact(ada, _) = &back else {
            panic!("a contact");
        };
        assert_eq!(ada.log.len(), 2);
        assert_eq!(ada.log.newest().map(|e| e.text.as_str()), Some("wrote"));
        assert_eq!(ada.met_date, "2019-06-12".parse().ok());
        let Some(Parsed::Contact(contact, problems)) =
            old.reuse(found[0].unwrap(), stat(100, 5), true, &[])
        else {
            panic!("a contact");
        };
        assert_eq!(contact.extra, sample_extra());
        assert_eq!(
            problems[0].message(),
            "`email` must be text, found a list; it is ignored"
        );
        assert_eq!(
            old.reuse(found[2].unwrap(), stat(100, 6), false, &[]),
            Some(Parsed::NotAContact)
        );
    }

    fn sample_extra() -> Vec<(String, yaml_serde::Value)> {
        vec![(
            "met-at".to_owned(),
            yaml_serde::from_str("{place: [RustConf, 2024], tag: !x y, n: -3, f: 1.5}").unwrap(),
        )]
    }

    #[test]
    fn any_change_of_stat_or_folder_is_a_new_read() {
        let (ada, none) = sample();
        let bytes = file(9, 200 * SECOND, &saved(&ada, &none));
        let old = Old::parse(&bytes, 9).unwrap();
        let notes = [(PathBuf::from("Ada.md"), true)];
        let entry = old.matching(&notes)[0].unwrap();
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
                old.reuse(entry, changed, true, &[]).is_none(),
                "{changed:?}"
            );
            assert!(!same_stat(entry, changed, true, &[]));
        }
        assert!(old.reuse(entry, same, false, &[]).is_none());
        assert!(old.reuse(entry, same, true, &[]).is_some());
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
            let bytes = file(9, started, &saved(&ada, &none));
            let old = Old::parse(&bytes, 9).unwrap();
            let entry = old.matching(&notes)[0].unwrap();
            assert_eq!(old.reuse(entry, stat(100, 5), true, &[]).is_some(), trusted);
        }
        // Whole-second times: 2 s of slack.
        let whole = Stat {
            ctime: (100, 0),
            ..stat(100, 0)
        };
        let notes_whole = [Saved {
            path: Path::new("Ada.md"),
            stat: whole,
            in_people: true,
            twins: &[],
            value: &ada,
        }];
        for (started, trusted) in [(101 * SECOND, false), (102 * SECOND + 1, true)] {
            let bytes = file(9, started, &notes_whole);
            let old = Old::parse(&bytes, 9).unwrap();
            let entry = old.matching(&notes)[0].unwrap();
            assert_eq!(old.reuse(entry, whole, true, &[]).is_some(), trusted);
        }
    }

    #[test]
    fn a_damaged_cut_or_foreign_cache_is_none() {
        let (ada, none) = sample();
        let bytes = file(9, 0, &saved(&ada, &none));
        assert!(Old::parse(&bytes, 9).is_some());
        assert!(Old::parse(&bytes, 10).is_none(), "other settings");
        assert!(Old::parse(&[], 9).is_none(), "empty");
        for cut in [1, FIRST_LINE.len(), FIRST_LINE.len() + 3, bytes.len() - 1] {
            assert!(Old::parse(&bytes[..cut], 9).is_none(), "cut at {cut}");
        }
        for at in (0..bytes.len()).step_by(7) {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x20;
            assert!(Old::parse(&damaged, 9).is_none(), "byte {at} flipped");
        }
        let other = String::from_utf8_lossy(&bytes).replacen(env!("CARGO_PKG_VERSION"), "9.9.9", 1);
        assert!(Old::parse(other.as_bytes(), 9).is_none(), "another version");
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
            value: &ada,
        }];
        let bytes = file(9, 200 * SECOND, &notes);
        let old = Old::parse(&bytes, 9).unwrap();
        let walked = [(PathBuf::from("People/Ada 2.md"), true)];
        let entry = old.matching(&walked)[0].unwrap();
        assert!(
            old.reuse(entry, stat(100, 5), true, &[Some(twin)])
                .is_some()
        );
        for changed in [None, Some(Stat { size: 99, ..twin })] {
            assert!(old.reuse(entry, stat(100, 5), true, &[changed]).is_none());
        }
        let racy = Stat {
            ctime: (199, 999_000_000),
            ..twin
        };
        let notes = [Saved {
            twins: &[Some(racy)],
            ..notes.into_iter().next().unwrap()
        }];
        let bytes = file(9, 200 * SECOND, &notes);
        let old = Old::parse(&bytes, 9).unwrap();
        let entry = old.matching(&walked)[0].unwrap();
        assert!(
            old.reuse(entry, stat(100, 5), true, &[Some(racy)])
                .is_none()
        );
    }
}
