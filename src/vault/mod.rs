//! The vault: its notes, read into contacts and problems.
//!
//! `Vault::load` fails only when the vault itself cannot be read; a bad note becomes a
//! [`Problem`] and the rest of the vault is processed.

pub mod cache;
mod duplicates;
pub mod lookup;
mod read;
mod refresh;
pub mod scan;

pub use read::read_note;
use read::read_note_with_stat;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Settings;
use crate::error::Problem;
use crate::model::Contact;
use crate::names::stem_key;
use crate::note::Parsed;
use duplicates::duplicate_names;

/// The hasher of the sets of every note's path and stem: the standard hasher's defence
/// against chosen collisions is not needed for names in one's own vault, and hashing 60,000
/// of them with it showed in a load.
type Fast = xxhash_rust::xxh3::Xxh3DefaultBuilder;

/// Every contact of a vault, and what was wrong with the notes that were read.
#[derive(Debug, Default)]
pub struct Vault {
    pub root: PathBuf,
    /// Sorted by path.
    /// Shared, so a render can hand templates lazy views of them without copying; edits go
    /// through `Arc::make_mut`, which copies only while a render still holds them.
    pub contacts: Arc<Vec<Contact>>,
    /// Every problem, sorted by path, then line: the notes' own and the vault-wide ones.
    /// Shared with the lists it is built from, so that it is no second copy of the
    /// thousands of problems a large vault has.
    pub problems: Vec<Arc<Problem>>,
    /// Lowercased file stems that more than one note has: a wikilink to one of them must name
    /// its path, as Obsidian cannot tell them apart by name.
    pub shared_stems: Arc<Stems>,
    /// Counts the changes of `shared_stems`: what was rendered from the set (index rows, in
    /// `watch`) is valid while this is the same.
    pub stems_generation: u64,
    /// Files the walk met named as vault-reach's temporary files: for
    /// [`crate::write::remove_stale_temporaries`] to remove those an interrupted run left.
    pub temporaries: Vec<PathBuf>,
    /// The problems of single notes, as read (kept apart so `refresh` can rebuild the rest).
    note_problems: Vec<Arc<Problem>>,
    /// Every candidate note's path (contact or not), to keep `shared_stems` current; sorted
    /// by [`path_order`], as the walk's are, so a load takes them as they come rather than
    /// hashing every path a component at a time.
    paths: Vec<PathBuf>,
    /// How many notes have each file stem, by its [`stem_hash`].
    stem_counts: HashMap<u64, u32, Fast>,
    /// Duplicate-name findings, kept between refreshes.
    name_problems: Vec<Arc<Problem>>,
    /// What `refresh` must recompute since it last ran.
    names_changed: bool,
    stems_changed: bool,
    /// Notes read again or forgotten since `refresh` last ran, whose problems it must replace.
    touched: Vec<PathBuf>,
    /// Built on first use, and kept until a contact is added, removed or renamed: in `watch`
    /// an edit that keeps every name does not rebuild it.
    names: std::sync::OnceLock<lookup::NameIndex>,
    /// Contact indices in name order, kept the same way.
    by_name: std::sync::OnceLock<Vec<usize>>,
    /// The load found no parse cache to take notes from (none, or one of other settings,
    /// another day or another build), read every note and saved a cache of them all: a
    /// load now would take every note from it.
    pub cached_all_anew: bool,
}

/// What reading one file gave.
#[derive(Debug)]
#[allow(
    clippy::large_enum_variant,
    reason = "unboxed like `Parsed`, so that `Vault::load` takes the contacts out in place"
)]
pub enum NoteRead {
    Parsed(Parsed),
    /// A sync tool's conflict copy: reported, never read as a second contact.
    Conflict(Problem),
    Failed(Problem),
}

/// `Path`'s order (component by component) for the walk's paths, computed on the bytes with
/// the separator lowest: the same order, as a property test checks, without parsing
/// components, which showed in a load's profile. Only the first byte that differs is mapped:
/// paths of one folder share a long prefix, compared 16 bytes at a time (mapped byte by
/// byte, the sort of the walk's paths showed in a load with nothing changed).
pub fn path_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    fn key(c: u8) -> u8 {
        if std::path::is_separator(char::from(c)) {
            0
        } else {
            c
        }
    }
    let (a, b) = (
        a.as_os_str().as_encoded_bytes(),
        b.as_os_str().as_encoded_bytes(),
    );
    let shorter = a.len().min(b.len());
    let mut same = 0;
    while same + 16 <= shorter && a[same..same + 16] == b[same..same + 16] {
        same += 16;
    }
    while same < shorter && a[same] == b[same] {
        same += 1;
    }
    match (a.get(same), b.get(same)) {
        (Some(&x), Some(&y)) => key(x).cmp(&key(y)),
        _ => a.len().cmp(&b.len()),
    }
}

/// Vault-relative paths as this process makes them, compared byte for byte. `Path`'s own
/// equality compares component by component, which showed in `watch`'s profile: each edit
/// compares its path with every problem's, thousands of them.
pub fn same_path(a: &Path, b: &Path) -> bool {
    a.as_os_str() == b.as_os_str()
}

/// A note's vault-relative path and the [`stem_hash`] of the key its file name is linked by.
type Named = (PathBuf, u64);

/// File stems that more than one note has, as [`crate::names::stem_key`] gives them, each
/// kept as its [`stem_hash`]: a set of 30,000 names and the counts it comes from held the
/// names twice (two stems that share a hash, one in 2^64, would link one note by its path).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stems(HashSet<u64, Fast>);

impl Stems {
    pub fn contains(&self, stem_key: &str) -> bool {
        self.0.contains(&stem_hash(stem_key))
    }

    /// A hash of the set, whatever its order: what rows kept between runs were rendered
    /// with.
    pub fn key(&self) -> u64 {
        self.0
            .iter()
            .fold(0u64, |sum, hash| sum.wrapping_add(*hash))
    }
}

/// How a stem key is kept in [`Stems`] and counted.
pub fn stem_hash(stem_key: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(stem_key.as_bytes())
}

/// Where a note's read comes from, for the parse cache saved after a load.
#[derive(Clone, Copy)]
enum Source<'c> {
    /// Not cached: the cache is off, or the note cannot be.
    Uncached,
    /// The old cache's entry, unchanged.
    Kept(&'c cache::Entry<'c>),
    /// Read from the note, for the cache: what it is saved with is at this place in the
    /// load's list of [`Fresh`] reads. A box of it for each note, made among the contacts as
    /// they were read and freed after the save, left that many holes among them for good.
    Read(usize),
}

/// A note read for the cache, which it is saved with.
struct Fresh {
    stat: cache::Stat,
    in_people: bool,
    twins: Vec<Option<cache::Stat>>,
    placed: cache::Placed,
    /// What the old cache had for it.
    was: Was,
}

/// What the old cache had for a note read from disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Was {
    /// No entry.
    Unknown,
    /// An entry of another stat: the note changed.
    Stale,
    /// An entry of this stat, not trusted as its times were too close to the cache's, and
    /// to this load's start too (a note saved just now, or with a clock ahead): a cache
    /// saved again would not trust it either.
    Same,
    /// An entry of this stat, not trusted as its times were too close to the cache's, but
    /// not to this load's start: saved by this load, the entry stands from the next on.
    /// Left as it was, it was read again in every run (a vault copied, cloned or synced
    /// just before a render, every note of it).
    Settled,
    /// An entry of this stat, with a damaged value.
    Damaged,
}

impl Vault {
    /// Walks `root` and reads every candidate note, on all cores.
    pub fn load(
        root: &Path,
        settings: &Settings,
        reading: &crate::note::Reading,
    ) -> Result<Vault, scan::WalkError> {
        Vault::load_cached(root, settings, reading, None)
    }

    /// [`Vault::load`], taking each note that is unchanged from the parse cache at `cache`
    /// ([`cache`]) rather than reading it, and saving the cache again when it changed;
    /// `None` reads every note and saves nothing.
    pub fn load_cached(
        root: &Path,
        settings: &Settings,
        reading: &crate::note::Reading,
        cache: Option<&Path>,
    ) -> Result<Vault, scan::WalkError> {
        let classifier = scan::Classifier::new(root, settings);
        let started = std::time::Instant::now();
        let load_started = cache::now();
        // The cache's key made, and its index read and decoded, while the vault is walked;
        // what the index decodes into borrows the file's bytes, kept here.
        let opened = std::sync::OnceLock::new();
        // The walk stats each note only for a cache to compare with: with none (a first
        // run, a cache deleted), each note read is keyed by its open file's stat instead,
        // which the read takes anyway, and the walk is quicker by a stat a note.
        let compare = cache.is_some_and(Path::exists);
        let (found, (key, old)) = rayon::join(
            || scan::notes(root, &classifier, compare),
            || {
                let key = cache.map(|_| cache::key(settings, reading));
                let opened = opened.get_or_init(|| cache.and_then(cache::open)).as_ref();
                let old = opened.zip(key).and_then(|(opened, key)| opened.parse(key));
                if opened.is_some() && old.is_none() {
                    tracing::debug!(
                        "the parse cache is of another version, settings or day, or damaged"
                    );
                }
                (key, old)
            },
        );
        let scan::Found {
            mut notes,
            unreadable,
            temporaries,
        } = found?;
        notes.par_sort_unstable_by(|a, b| path_order(&a.rel, &b.rel));
        tracing::debug!("walked {} notes at {:.0?}", notes.len(), started.elapsed());
        let entries = old.as_ref().map_or_else(
            || vec![None; notes.len()],
            |old| old.matching(notes.iter().map(|note| note.rel.as_path())),
        );
        // Read in path order into one array, each note straight into its place: the contacts
        // are then taken out of it in place, so no moment holds two copies of them (a box per
        // note, then the array they were moved into, was the peak of every load). Each note's
        // path and link key go to an array of their own, which the vault keeps: in the
        // array of reads they widened every slot the contacts are taken into.
        let fresh = std::sync::Mutex::new(Vec::new());
        // The new values of the cache are written as the notes are read.
        let writer = cache.map(|path| cache::Writer::new(path, old.is_none()));
        let (names, reads): (Vec<Named>, Vec<(NoteRead, Source<'_>)>) = notes
            .into_par_iter()
            .zip(entries)
            .map_init(
                || {
                    (
                        old.as_ref().map(cache::Old::values),
                        writer.as_ref().map(cache::Writer::run),
                    )
                },
                |(values, run), (note, entry)| {
                    let (read, source) = read_or_reuse(
                        root,
                        &note,
                        (reading, load_started),
                        (old.as_ref(), values.as_mut()),
                        run.as_mut(),
                        (entry, &fresh),
                    );
                    let rel = note.rel;
                    let stem = match &read {
                        NoteRead::Parsed(Parsed::Contact(contact, _)) => {
                            stem_hash(contact.keys.link())
                        }
                        _ => stem_hash(&stem_key(&rel)),
                    };
                    ((rel, stem), (read, source))
                },
            )
            .unzip();
        tracing::debug!(
            "read and parsed them at {:.0?}, {} from the parse cache",
            started.elapsed(),
            reads
                .iter()
                .filter(|r| matches!(r.1, Source::Kept(_)))
                .count()
        );
        let fresh = fresh
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // What the cache is saved from: its new values are written already, so it needs
        // none of the reads, and is saved while the contacts are indexed. When it is not to
        // be saved, the old one is let go before the indexing: held through it, its index
        // was the peak of a load with nothing changed.
        let sources: Vec<Source<'_>> = reads.iter().map(|(_, source)| *source).collect();
        let save = writer
            .zip(key)
            .filter(|_| worth_saving(old.as_ref().map(cache::Old::len), &behind(&sources, &fresh)));
        let mut vault = Vault {
            root: root.to_path_buf(),
            temporaries,
            ..Vault::default()
        };
        // A fresh vault in path order: contacts append in order and there are no old problems
        // to replace, so this skips `update`'s searches.
        let mut note_problems: Vec<Arc<Problem>> = unreadable.into_iter().map(Arc::new).collect();
        let contacts: Vec<Contact> = reads
            .into_iter()
            .filter_map(|(read, _)| match read {
                NoteRead::Parsed(Parsed::Contact(contact, found)) => {
                    note_problems.extend(found.into_iter().map(Arc::new));
                    Some(contact)
                }
                NoteRead::Parsed(Parsed::Unreadable(problem))
                | NoteRead::Failed(problem)
                | NoteRead::Conflict(problem) => {
                    note_problems.push(Arc::new(problem));
                    None
                }
                NoteRead::Parsed(Parsed::NotAContact | Parsed::Template) => None,
            })
            .collect();
        debug_assert!(contacts.is_sorted_by(|a, b| a.path <= b.path));
        let had_old = old.is_some();
        let ((paths, stem_counts, saved), name_problems) = match save {
            // Saved before the namesakes are looked for, not beside the search, when there is
            // an old cache to copy from: held through that search, the old cache's index was
            // the peak of a load that saves.
            Some((writer, key)) if had_old => {
                let (paths, stem_counts) = paths_and_stems(names);
                let saved = save_cache(
                    writer,
                    key,
                    load_started,
                    old.as_ref(),
                    (&paths, &sources, &fresh),
                );
                drop((fresh, sources));
                drop(old);
                drop(opened);
                ((paths, stem_counts, saved), duplicate_names(&contacts))
            }
            Some((writer, key)) => {
                let indexed = index_names(names, &contacts, |paths| {
                    save_cache(writer, key, load_started, None, (paths, &sources, &fresh))
                });
                drop((fresh, sources));
                indexed
            }
            None => {
                drop((fresh, sources));
                drop(old);
                drop(opened);
                index_names(names, &contacts, |_| false)
            }
        };
        if saved {
            tracing::debug!("saved the parse cache at {:.0?}", started.elapsed());
        }
        vault.cached_all_anew = saved && !had_old;
        (vault.paths, vault.stem_counts, vault.note_problems) = (paths, stem_counts, note_problems);
        vault.name_problems = name_problems;
        vault.contacts = Arc::new(contacts);
        vault.stems_changed = true;
        vault.refresh();
        vault.rebuild_problems();
        tracing::debug!("indexed them at {:.0?}", started.elapsed());
        Ok(vault)
    }

    /// The sorted problem list, whole, from the notes' problems and the vault-wide ones.
    pub(super) fn rebuild_problems(&mut self) {
        self.problems.clone_from(&self.note_problems);
        self.problems.extend(self.name_problems.iter().cloned());
        self.problems.par_sort_by(|a, b| order(a, b));
    }

    /// Every contact by each name, file name, path and alias that names it.
    pub fn names(&self) -> &lookup::NameIndex {
        self.names
            .get_or_init(|| lookup::NameIndex::new(&self.contacts))
    }

    /// What each of `names` names: through the name index when this vault keeps one
    /// (`watch` builds it at its start, and each lookup of a pass then costs a search), else
    /// in one pass over the contacts ([`lookup::scan`]), which costs a command that looks up
    /// a few names once less than building the index.
    pub fn lookup<'n>(&self, names: &[&'n str]) -> Vec<lookup::Found<'n>> {
        match self.names.get() {
            Some(index) => names
                .iter()
                .map(|name| index.candidates(&self.contacts, name))
                .collect(),
            None => lookup::scan(&self.contacts, names),
        }
    }

    /// The one contact `name` means ([`Vault::lookup`] of one name).
    pub fn find_named(&self, name: &str) -> Result<usize, lookup::LookupError> {
        // One found for each name asked.
        self.lookup(&[name]).swap_remove(0).contact(&self.contacts)
    }

    /// Contact indices in the order people are listed: by name (case-blind), then path.
    pub fn by_name(&self) -> &[usize] {
        self.by_name.get_or_init(|| {
            let mut order: Vec<usize> = (0..self.contacts.len()).collect();
            // Contacts are in path order, so their index stands for their path.
            order.par_sort_by_cached_key(|&i| (self.contacts[i].name.to_lowercase(), i));
            order
        })
    }

    /// How many errors and how many warnings the vault has, in one pass.
    pub fn counts(&self) -> (usize, usize) {
        self.problems
            .iter()
            .fold((0, 0), |(errors, warnings), p| match p.severity {
                crate::error::Severity::Error => (errors + 1, warnings),
                crate::error::Severity::Warning => (errors, warnings + 1),
            })
    }

    /// The contact whose note is at `rel`.
    pub fn contact(&self, rel: &Path) -> Option<&Contact> {
        self.find(rel).ok().map(|i| &self.contacts[i])
    }

    /// Every note path the vault knows, contact or not.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.paths.iter().map(PathBuf::as_path)
    }

    /// Where `rel` is, or would be, in [`Vault::paths`].
    pub(super) fn find_path(&self, rel: &Path) -> Result<usize, usize> {
        self.paths.binary_search_by(|p| path_order(p, rel))
    }

    pub(super) fn find(&self, rel: &Path) -> Result<usize, usize> {
        self.contacts
            .binary_search_by(|c| c.path.as_path().cmp(rel))
    }
}

/// The path list and the stem counts of `names`, then what `then` does with the paths
/// (saving the cache), on one core while the other looks for namesakes among `contacts`.
#[allow(
    clippy::type_complexity,
    reason = "the vault's own fields, as `load_cached` takes them apart"
)]
fn index_names<T: Send>(
    names: Vec<Named>,
    contacts: &[Contact],
    then: impl FnOnce(&[PathBuf]) -> T + Send,
) -> (
    (Vec<PathBuf>, HashMap<u64, u32, Fast>, T),
    Vec<Arc<Problem>>,
) {
    rayon::join(
        || {
            let (paths, stem_counts) = paths_and_stems(names);
            let then = then(&paths);
            (paths, stem_counts, then)
        },
        || duplicate_names(contacts),
    )
}

/// The path of each of `names`, and how many of them share each stem.
fn paths_and_stems(names: Vec<Named>) -> (Vec<PathBuf>, HashMap<u64, u32, Fast>) {
    let mut stem_counts: HashMap<u64, u32, Fast> =
        HashMap::with_capacity_and_hasher(names.len(), Fast::default());
    let mut paths = Vec::with_capacity(names.len());
    for (rel, stem) in names {
        *stem_counts.entry(stem).or_default() += 1;
        paths.push(rel);
    }
    (paths, stem_counts)
}

/// The read of the note at `rel`: from the old cache (through its reader of values) when
/// its entry stands, else from the note (and, when there is a cache to save, encoded onto
/// `run` for it, with what it is saved with onto `fresh`).
fn read_or_reuse<'c>(
    root: &Path,
    note: &scan::Walked,
    (reading, load_started): (&crate::note::Reading, i128),
    (old, values): (Option<&cache::Old<'c>>, Option<&mut cache::Values<'c>>),
    run: Option<&mut cache::Run<'_>>,
    (entry, fresh): (Option<&'c cache::Entry<'c>>, &std::sync::Mutex<Vec<Fresh>>),
) -> (NoteRead, Source<'c>) {
    let (rel, in_people) = (note.rel.as_path(), note.in_people);
    // The walk's stat came before the read: a change after it shows in the next load's.
    // An entry of the old cache was saved only for a note whose twins could be listed, and
    // lists as many as there are: none there, none to look for. With no cache to save,
    // none are looked for.
    let twins = run.and_then(|run| match entry {
        Some(entry) if entry.twins().is_empty() => Some((Vec::new(), run)),
        _ => cache::twins(rel).map(|twins| (twins, run)),
    });
    let Some((twins, run)) = twins else {
        return (read_note(root, rel, in_people, reading), Source::Uncached);
    };
    let twins = cache::twin_stats(root, &twins);
    let mut damaged = false;
    if let (Some(old), Some(values), Some(entry), Some(stat)) = (old, values, entry, note.stat) {
        match old.reuse(values, entry, stat, in_people, &twins) {
            Ok(parsed) => return (NoteRead::Parsed(parsed), Source::Kept(entry)),
            Err(miss) => damaged = miss == cache::Miss::Damaged,
        }
    }
    let (mut read, meta) = read_note_with_stat(root, rel, in_people, reading);
    // A walk with no old cache to compare with stats nothing: the open file's stat, taken
    // before its read as the walk's would have been, keys the new cache as well.
    let Some(stat) = note
        .stat
        .or_else(|| meta.as_ref().and_then(cache::Stat::of))
    else {
        return (read, Source::Uncached);
    };
    let placed = match &mut read {
        NoteRead::Parsed(parsed) => {
            let placed = run.push(rel, parsed);
            if let (Parsed::Contact(contact, _), Some(placed)) = (parsed, placed) {
                contact.revision = placed.revision;
            }
            placed
        }
        NoteRead::Conflict(_) | NoteRead::Failed(_) => None,
    };
    let was = match entry {
        None => Was::Unknown,
        Some(_) if damaged => Was::Damaged,
        Some(e) if cache::same_stat(e, stat, in_people, &twins) => {
            let racy = |s: &cache::Stat| s.is_racy(load_started);
            if racy(&stat) || twins.iter().flatten().any(racy) {
                Was::Same
            } else {
                Was::Settled
            }
        }
        Some(_) => Was::Stale,
    };
    let Some(placed) = placed else {
        return (read, Source::Uncached);
    };
    let mut fresh = fresh
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    fresh.push(Fresh {
        stat,
        in_people,
        twins,
        placed,
        was,
    });
    (read, Source::Read(fresh.len() - 1))
}

/// How far the old cache is behind the notes, from where each read came from.
fn behind(sources: &[Source<'_>], fresh: &[Fresh]) -> Behind {
    let mut behind = Behind::default();
    for source in sources {
        match source {
            Source::Kept(_) => behind.kept += 1,
            &Source::Read(at) => match fresh[at].was {
                Was::Same => behind.kept += 1,
                Was::Damaged => behind.damaged = true,
                Was::Stale | Was::Settled => {
                    (behind.read, behind.known) = (behind.read + 1, behind.known + 1);
                }
                Was::Unknown => behind.read += 1,
            },
            Source::Uncached => {}
        }
    }
    behind
}

/// Saves the parse cache of a load, whose new values `writer` holds. A cache that cannot be
/// saved costs the next load its speed only, so the failure is logged, not reported. True
/// when it was saved.
fn save_cache(
    writer: cache::Writer,
    key: u64,
    started: i128,
    old: Option<&cache::Old<'_>>,
    (paths, sources, fresh): (&[PathBuf], &[Source<'_>], &[Fresh]),
) -> bool {
    let saved = paths.iter().zip(sources).filter_map(|(rel, source)| {
        let (stat, in_people, twins, value) = match *source {
            // Only a parsed read is placed in the cache.
            Source::Uncached => return None,
            Source::Kept(entry) => (
                entry.stat(),
                entry.in_people(),
                entry.twins(),
                cache::Value::Kept(entry),
            ),
            Source::Read(at) => {
                let fresh = &fresh[at];
                (
                    fresh.stat,
                    fresh.in_people,
                    fresh.twins.as_slice(),
                    cache::Value::New(fresh.placed),
                )
            }
        };
        Some(cache::Saved {
            path: rel,
            stat,
            in_people,
            twins,
            value,
        })
    });
    match writer.finish(key, started, old, saved) {
        Ok(()) => true,
        Err(err) => {
            tracing::debug!("cannot save the parse cache: {err}");
            false
        }
    }
}

/// How far a load found the old cache behind its notes.
#[derive(Debug, Default)]
struct Behind {
    /// Notes whose entry stands (or whose read is the entry's).
    kept: usize,
    /// Notes read that the cache had no entry for, or a stale one.
    read: usize,
    /// Of those, the ones it had a stale entry for.
    known: usize,
    /// A value was damaged.
    damaged: bool,
}

/// Whether a load should save the cache again: there is none, a value of it is damaged, or
/// it is stale for more notes (changed, added or removed) than a few, and more than one in
/// 256. Below that, the next loads read those few notes again (a millisecond or two), rather
/// than each one edit rewriting a cache of every note (30 ms and 20 MB at 30,000 notes).
fn worth_saving(old: Option<usize>, behind: &Behind) -> bool {
    let Some(entries) = old else {
        return true;
    };
    let removed = entries.saturating_sub(behind.kept + behind.known);
    let stale = behind.read + removed;
    let budget = (behind.kept + behind.read).div_ceil(256).max(8);
    behind.damaged || stale > budget || (stale > 0 && behind.kept == 0)
}

/// The order of the problem list: by path, then line, then message. The message is made
/// only for problems of one place, which are few.
pub(super) fn order(a: &Problem, b: &Problem) -> std::cmp::Ordering {
    (&a.at.path, a.at.line)
        .cmp(&(&b.at.path, b.at.line))
        .then_with(|| a.message().cmp(&b.message()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_is_saved_when_it_has_fallen_far_enough_behind() {
        // Notes kept, notes read again (each with a stale entry), a damaged value.
        let behind = |kept, read, damaged| Behind {
            kept,
            read,
            known: read,
            damaged,
        };
        assert!(worth_saving(None, &behind(0, 30, false)), "no cache yet");
        assert!(
            !worth_saving(Some(30_000), &behind(30_000, 0, false)),
            "nothing changed"
        );
        // A few edits at 30,000 notes: a read each, not a rewrite of the whole cache.
        assert!(!worth_saving(Some(30_000), &behind(29_990, 10, false)));
        assert!(!worth_saving(Some(30_000), &behind(29_882, 118, false)));
        assert!(worth_saving(Some(30_000), &behind(29_881, 119, false)));
        // Removed notes count as well as added ones.
        assert!(worth_saving(Some(30_200), &behind(30_000, 0, false)));
        let added = Behind {
            kept: 30_000,
            read: 200,
            ..Behind::default()
        };
        assert!(worth_saving(Some(30_000), &added));
        // A small vault: up to eight.
        assert!(!worth_saving(Some(20), &behind(12, 8, false)));
        assert!(worth_saving(Some(20), &behind(11, 9, false)));
        assert!(
            worth_saving(Some(3), &behind(0, 3, false)),
            "every entry stale"
        );
        assert!(
            worth_saving(Some(30_000), &behind(29_999, 0, true)),
            "a damaged value"
        );
    }

    proptest::proptest! {
        // The walk's paths: relative, no `.` or `..`, no empty component. Characters below
        // and around `/` (space, `!`, `-`, `.`) and beyond ASCII are where the orders could
        // part.
        #[test]
        fn path_order_is_paths_own_order(
            shared in proptest::collection::vec("[ !\\-.0aZz~é日]{1,20}", 0..3),
            a in proptest::collection::vec("[ !\\-.0aZz~é日]{1,4}", 1..4),
            b in proptest::collection::vec("[ !\\-.0aZz~é日]{1,4}", 1..4),
        ) {
            // A folder shared by both, as most pairs a sort compares have, sometimes longer
            // than the 16 bytes compared at once.
            let (a, b) = ([shared.clone(), a].concat(), [shared, b].concat());
            let clean = |parts: Vec<String>| {
                let parts: Vec<String> =
                    parts.into_iter().filter(|p| p != "." && p != "..").collect();
                PathBuf::from(parts.join("/"))
            };
            let (a, b) = (clean(a), clean(b));
            proptest::prop_assume!(!a.as_os_str().is_empty() && !b.as_os_str().is_empty());
            proptest::prop_assert_eq!(path_order(&a, &b), a.cmp(&b), "{:?} {:?}", a, b);
        }
    }
}
