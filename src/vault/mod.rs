//! The vault: its notes, read into contacts and problems.
//!
//! `Vault::load` fails only when the vault itself cannot be read; a bad note becomes a
//! [`Problem`] and the rest of the vault is processed.

pub mod lookup;
pub mod scan;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Settings;
use crate::error::{Location, Problem};
use crate::model::Contact;
use crate::names::stem_key;
use crate::note::Parsed;

/// Every contact of a vault, and what was wrong with the notes that were read.
#[derive(Debug, Default)]
pub struct Vault {
    pub root: PathBuf,
    /// Sorted by path.
    /// Shared, so a render can hand templates lazy views of them without copying; edits go
    /// through `Arc::make_mut`, which copies only while a render still holds them.
    pub contacts: Arc<Vec<Contact>>,
    /// Every problem, sorted by path, then line: the notes' own and the vault-wide ones.
    /// Shared with the lists it is built from, so that it is no second copy of some 17,000
    /// problems (5 MB) at 30,000 notes.
    pub problems: Vec<Arc<Problem>>,
    /// Lowercased file stems that more than one note has: a wikilink to one of them must name
    /// its path, as Obsidian cannot tell them apart by name.
    pub shared_stems: Arc<HashSet<String>>,
    /// Counts the changes of `shared_stems`: what was rendered from the set (index rows, in
    /// `watch`) is valid while this is the same.
    pub stems_generation: u64,
    /// The problems of single notes, as read (kept apart so `refresh` can rebuild the rest).
    note_problems: Vec<Arc<Problem>>,
    /// Every candidate note's path (contact or not), to keep `shared_stems` current.
    paths: HashSet<PathBuf>,
    stem_counts: HashMap<String, u32>,
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
/// components (sorting 31,000 paths that way was 4% of a load's time).
pub fn path_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    fn key(p: &Path) -> impl Iterator<Item = u8> + '_ {
        let bytes = p.as_os_str().as_encoded_bytes();
        bytes.iter().map(|&c| {
            if std::path::is_separator(char::from(c)) {
                0
            } else {
                c
            }
        })
    }
    key(a).cmp(key(b))
}

/// Vault-relative paths as this process makes them, compared byte for byte. `Path`'s own
/// equality compares component by component, which showed in `watch`'s profile: each edit
/// compares its path with every problem's, thousands of them.
pub fn same_path(a: &Path, b: &Path) -> bool {
    a.as_os_str() == b.as_os_str()
}

impl Vault {
    /// Walks `root` and reads every candidate note, on all cores.
    pub fn load(root: &Path, settings: &Settings) -> Result<Vault, scan::WalkError> {
        let classifier = scan::Classifier::new(root, settings);
        let started = std::time::Instant::now();
        let mut notes = scan::notes(root, &classifier)?;
        notes.par_sort_unstable_by(|a, b| path_order(&a.0, &b.0));
        tracing::debug!("walked {} notes at {:.0?}", notes.len(), started.elapsed());
        // Read in path order into one array, each note straight into its place: the contacts
        // are then taken out of it in place, so no moment holds two copies of them (a box per
        // note, then the array they were moved into, was 16 MB more at 30,000 notes).
        let reads: Vec<(PathBuf, String, NoteRead)> = notes
            .into_par_iter()
            .map(|(rel, in_people)| {
                let read = read_note(root, &rel, in_people);
                let stem = match &read {
                    NoteRead::Parsed(Parsed::Contact(contact, _)) => contact.keys.link.clone(),
                    _ => stem_key(&rel),
                };
                (rel, stem, read)
            })
            .collect();
        tracing::debug!("read and parsed them at {:.0?}", started.elapsed());
        let mut vault = Vault {
            root: root.to_path_buf(),
            ..Vault::default()
        };
        // A fresh vault in path order: contacts append in order and there are no old problems
        // to replace, so this skips `update`'s searches.
        let mut names = Vec::with_capacity(reads.len());
        let mut note_problems = Vec::new();
        let contacts: Vec<Contact> = reads
            .into_iter()
            .filter_map(|(rel, stem, read)| {
                names.push((rel, stem));
                match read {
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
                }
            })
            .collect();
        debug_assert!(contacts.is_sorted_by(|a, b| a.path <= b.path));
        // The path sets on one core while the other looks for namesakes.
        let ((paths, stem_counts), name_problems) = rayon::join(
            || {
                let mut paths = HashSet::with_capacity(names.len());
                let mut stem_counts: HashMap<String, u32> = HashMap::with_capacity(names.len());
                for (rel, stem) in names {
                    *stem_counts.entry(stem).or_default() += 1;
                    paths.insert(rel);
                }
                (paths, stem_counts)
            },
            || duplicate_names(&contacts),
        );
        (vault.paths, vault.stem_counts, vault.note_problems) = (paths, stem_counts, note_problems);
        vault.name_problems = name_problems.into_iter().map(Arc::new).collect();
        vault.contacts = Arc::new(contacts);
        vault.stems_changed = true;
        vault.refresh();
        vault.rebuild_problems();
        tracing::debug!("indexed them at {:.0?}", started.elapsed());
        Ok(vault)
    }

    /// Takes in a new read of the note at `rel`: the contact is added, replaced or removed,
    /// and its problems replaced. A note that parsed before and now cannot be read (an editor
    /// caught mid-write, a typo) keeps its last good contact, so nobody vanishes from today's
    /// list; the problem is reported all the same. Call [`Vault::refresh`] after a batch.
    pub fn update(&mut self, rel: &Path, read: NoteRead) {
        if self.paths.insert(rel.to_path_buf()) {
            *self.stem_counts.entry(stem_key(rel)).or_default() += 1;
            self.stems_changed = true;
        }
        self.note_problems.retain(|p| !same_path(&p.at.path, rel));
        self.touched.push(rel.to_path_buf());
        let found = self.find(rel);
        match (read, found) {
            (NoteRead::Parsed(Parsed::Contact(contact, problems)), Ok(i)) => {
                let old = &self.contacts[i];
                let (was, now) = (crate::names::keys(old), crate::names::keys(&contact));
                let renamed = was != now || old.name != contact.name;
                self.names_changed |= was.name != now.name;
                if renamed {
                    self.names_moved();
                }
                Arc::make_mut(&mut self.contacts)[i] = contact;
                self.note_problems
                    .extend(problems.into_iter().map(Arc::new));
            }
            (NoteRead::Parsed(Parsed::Contact(contact, problems)), Err(i)) => {
                Arc::make_mut(&mut self.contacts).insert(i, contact);
                self.note_problems
                    .extend(problems.into_iter().map(Arc::new));
                self.names_changed = true;
                self.names_moved();
            }
            (
                NoteRead::Parsed(Parsed::Unreadable(problem))
                | NoteRead::Failed(problem)
                | NoteRead::Conflict(problem),
                _,
            ) => self.note_problems.push(Arc::new(problem)),
            (NoteRead::Parsed(Parsed::NotAContact | Parsed::Template), Ok(i)) => {
                Arc::make_mut(&mut self.contacts).remove(i);
                self.names_changed = true;
                self.names_moved();
            }
            (NoteRead::Parsed(Parsed::NotAContact | Parsed::Template), Err(_)) => {}
        }
    }

    /// Forgets the note at `rel` (deleted, or moved out of the vault).
    pub fn forget(&mut self, rel: &Path) {
        if self.paths.remove(rel)
            && let Some(n) = self.stem_counts.get_mut(&stem_key(rel))
        {
            *n = n.saturating_sub(1);
            self.stems_changed = true;
        }
        self.note_problems.retain(|p| !same_path(&p.at.path, rel));
        self.touched.push(rel.to_path_buf());
        if let Ok(i) = self.find(rel) {
            Arc::make_mut(&mut self.contacts).remove(i);
            self.names_changed = true;
            self.names_moved();
        }
    }

    /// Recomputes what depends on the whole vault: shared stems, duplicate names, and the
    /// sorted problem list.
    pub fn refresh(&mut self) {
        // Only what an edit can have changed: in `watch`, one saved note must not cost a pass
        // over every name in a 30,000-note vault.
        if std::mem::take(&mut self.stems_changed) {
            let shared: HashSet<String> = self
                .stem_counts
                .iter()
                .filter(|(_, n)| **n > 1)
                .map(|(s, _)| s.clone())
                .collect();
            // Kept, with its generation, when a new note shares no stem: what was rendered
            // from it (index rows in `watch`) stays valid.
            if shared != *self.shared_stems {
                self.shared_stems = Arc::new(shared);
                self.stems_generation += 1;
            }
        }
        let touched = std::mem::take(&mut self.touched);
        let names_changed = std::mem::take(&mut self.names_changed);
        if names_changed {
            self.name_problems = duplicate_names(&self.contacts)
                .into_iter()
                .map(Arc::new)
                .collect();
        }
        // A few notes read again and the names as they were: only those notes' own problems
        // can differ, replaced in place rather than copying and sorting 30,000 problems for
        // one edit. Each insertion moves the list, so a batch of many notes (a sync) and any
        // change of names rebuild it whole instead.
        if names_changed || touched.len() > 8 {
            self.rebuild_problems();
            return;
        }
        // Compared directly: hashing every problem's path costs more than a few comparisons.
        let is_touched = |path: &PathBuf| touched.iter().any(|t| same_path(t, path));
        self.problems.retain(|p| !is_touched(&p.at.path));
        let fresh = self.note_problems.iter().chain(&self.name_problems);
        for problem in fresh.filter(|p| is_touched(&p.at.path)) {
            // After its equals, as the stable sort of a full rebuild would place it.
            let at = self
                .problems
                .partition_point(|q| order(q) <= order(problem));
            self.problems.insert(at, Arc::clone(problem));
        }
    }

    /// The sorted problem list, whole, from the notes' problems and the vault-wide ones.
    fn rebuild_problems(&mut self) {
        self.problems.clone_from(&self.note_problems);
        self.problems.extend(self.name_problems.iter().cloned());
        self.problems.par_sort_by(|a, b| order(a).cmp(&order(b)));
    }

    /// Every contact by each name, file name, path and alias that names it.
    pub fn names(&self) -> &lookup::NameIndex {
        self.names
            .get_or_init(|| lookup::NameIndex::new(&self.contacts))
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

    /// A contact was added, removed or renamed: what is kept by name must be rebuilt.
    fn names_moved(&mut self) {
        self.names.take();
        self.by_name.take();
    }

    /// How many problems of `severity` the vault has.
    pub fn count(&self, severity: crate::error::Severity) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == severity)
            .count()
    }

    /// The contact whose note is at `rel`.
    pub fn contact(&self, rel: &Path) -> Option<&Contact> {
        self.find(rel).ok().map(|i| &self.contacts[i])
    }

    /// Every note path the vault knows, contact or not.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.paths.iter().map(PathBuf::as_path)
    }

    fn find(&self, rel: &Path) -> Result<usize, usize> {
        self.contacts
            .binary_search_by(|c| c.path.as_path().cmp(rel))
    }
}

/// The order of the problem list: by path, then line, then message.
fn order(p: &Problem) -> (&PathBuf, Option<usize>, &String) {
    (&p.at.path, p.at.line, &p.message)
}

/// Reads and parses one note; never fails, a failure is a problem.
pub fn read_note(root: &Path, rel: &Path, in_people: bool) -> NoteRead {
    if let Some(problem) = sync_conflict(rel) {
        return NoteRead::Conflict(problem);
    }
    let bytes = match std::fs::read(root.join(rel)) {
        Ok(bytes) => bytes,
        Err(err) => {
            return NoteRead::Failed(Problem::error(
                Location::file(rel),
                format!("cannot read the note: {err}"),
            ));
        }
    };
    match std::str::from_utf8(&bytes) {
        Ok(text) => {
            static REVISIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
            let mut parsed = crate::note::parse_note(rel, text, in_people);
            if let Parsed::Contact(contact, _) = &mut parsed {
                contact.compact();
                contact.revision = REVISIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            NoteRead::Parsed(parsed)
        }
        Err(err) => {
            let offset = err.valid_up_to();
            let (line, column) =
                crate::error::line_col(std::str::from_utf8(&bytes[..offset]).unwrap_or(""), offset);
            NoteRead::Failed(Problem::error(
                Location::at(rel, line, column),
                "the note is not UTF-8 text; save it as UTF-8 and it is read again",
            ))
        }
    }
}

/// Syncthing's `Ada.sync-conflict-20260101-101010-ABCDEFG.md` and Dropbox's
/// `Ada (conflicted copy 2026-01-01).md` are copies of another note, not people.
fn sync_conflict(rel: &Path) -> Option<Problem> {
    let stem = rel.file_stem()?.to_string_lossy();
    let original = if let Some(i) = stem.find(".sync-conflict-") {
        &stem[..i]
    } else if let Some(i) = stem.find(" (conflicted copy") {
        &stem[..i]
    } else if let Some(i) = stem.find("'s conflicted copy") {
        stem[..i]
            .rsplit_once(" (")
            .map_or(&stem[..i], |(name, _)| name)
    } else {
        return None;
    };
    Some(Problem::error(
        Location::file(rel),
        format!(
            "a sync tool's conflict copy of `{original}.md`; merge what it adds into that note, then delete it"
        ),
    ))
}

/// Two notes for what looks like the same person: the same name (case- and accent-blind),
/// or `Ada 2.md` beside `Ada.md` as iCloud and others leave them.
fn duplicate_names(contacts: &[Contact]) -> Vec<Problem> {
    let keys: Vec<std::borrow::Cow<'_, crate::model::NameKeys>> =
        contacts.par_iter().map(crate::names::keys).collect();
    // Sorting groups the namesakes, each group in path order (the order of `contacts`). By a
    // hash of the name first: the groups may come in any order, and comparing numbers rather
    // than names made the sort several times faster.
    let hashes: Vec<u64> = keys.par_iter().map(|k| lookup::hash(&k.name)).collect();
    let mut order: Vec<usize> = (0..contacts.len()).collect();
    order.par_sort_unstable_by(|&a, &b| {
        (hashes[a].cmp(&hashes[b]))
            .then_with(|| keys[a].name.cmp(&keys[b].name))
            .then(a.cmp(&b))
    });
    let mut namesakes: Vec<&[usize]> = vec![&[]; contacts.len()];
    for group in order.chunk_by(|&a, &b| keys[a].name == keys[b].name) {
        if group.len() > 1 {
            for &i in group {
                namesakes[i] = group;
            }
        }
    }
    contacts
        .par_iter()
        .enumerate()
        .filter_map(|(i, contact)| {
            if !namesakes[i].is_empty() {
                let list: Vec<String> = namesakes[i]
                    .iter()
                    .filter(|&&j| j != i)
                    .map(|&j| format!("`{}`", crate::error::slash_path(&contacts[j].path)))
                    .collect();
                return Some(Problem::warning(
                    Location::file(&contact.path),
                    format!(
                        "another note has the name `{}`: {}; merge them if they are one person",
                        contact.name,
                        list.join(", ")
                    ),
                ));
            }
            let (base, n) = contact.stem.rsplit_once(' ')?;
            if !n.parse::<u8>().is_ok_and(|n| n >= 2) {
                return None;
            }
            let twin = contact.path.with_file_name(format!("{base}.md"));
            contacts
                .binary_search_by(|c| c.path.cmp(&twin))
                .is_ok()
                .then(|| {
                    Problem::warning(
                        Location::file(&contact.path),
                        format!(
                            "looks like a sync copy of `{}`; merge them if they are one person",
                            crate::error::slash_path(&twin)
                        ),
                    )
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        // The walk's paths: relative, no `.` or `..`, no empty component. Characters below
        // and around `/` (space, `!`, `-`, `.`) and beyond ASCII are where the orders could
        // part.
        #[test]
        fn path_order_is_paths_own_order(
            a in proptest::collection::vec("[ !\\-.0aZz~é日]{1,4}", 1..4),
            b in proptest::collection::vec("[ !\\-.0aZz~é日]{1,4}", 1..4),
        ) {
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

    #[test]
    fn sync_conflict_copies_are_recognised() {
        for (path, original) in [
            ("People/Ada.sync-conflict-20260101-101010-ABCDEFG.md", "Ada"),
            ("Ada (conflicted copy 2026-01-01).md", "Ada"),
            ("Ada (Grace's conflicted copy 2026-01-01).md", "Ada"),
        ] {
            let problem = sync_conflict(Path::new(path)).expect(path);
            assert!(
                problem.message.contains(&format!("`{original}.md`")),
                "{path}: {}",
                problem.message
            );
        }
        assert!(sync_conflict(Path::new("People/Ada Lovelace.md")).is_none());
    }

    fn note(path: &str, text: &str) -> (PathBuf, NoteRead) {
        (
            PathBuf::from(path),
            NoteRead::Parsed(crate::note::parse_note(Path::new(path), text, true)),
        )
    }

    #[test]
    fn updates_keep_duplicate_names_and_shared_stems_current() {
        let mut vault = Vault::default();
        for (rel, read) in [note("A/Sam.md", "# Sam\n"), note("B/Sam.md", "# Sam\n")] {
            vault.update(&rel, read);
        }
        vault.refresh();
        assert_eq!(vault.problems.len(), 2, "{:?}", vault.problems);
        assert!(vault.shared_stems.contains("sam"));
        let (rel, read) = note("B/Sam.md", "---\nname: Samira\n---\n");
        vault.update(&rel, read);
        vault.refresh();
        assert!(vault.problems.is_empty(), "{:?}", vault.problems);
        vault.forget(Path::new("B/Sam.md"));
        vault.refresh();
        assert!(!vault.shared_stems.contains("sam"));
        assert_eq!(vault.contacts.len(), 1);
    }

    #[test]
    fn an_edit_replaces_its_problems_as_a_full_rebuild_would() {
        let load = |notes: &[(&str, &str)]| {
            let mut vault = Vault::default();
            for (rel, text) in notes {
                let (rel, read) = note(rel, text);
                vault.update(&rel, read);
            }
            vault.refresh();
            vault
        };
        let mut vault = load(&[
            ("A/Sam.md", "---\nmet-date: nope\n---\n"),
            (
                "B/Sam.md",
                "---\nmet-date: 2026-01-01\nlast-touch: soon\n---\n",
            ),
            ("C.md", "---\nlast-touch: 2026-13-01\nmet-date: x\n---\n"),
        ]);
        let finals = [
            (
                "A/Sam.md",
                "---\nmet-date: 2026-01-01\ncadence: often\n---\n",
            ),
            (
                "B/Sam.md",
                "---\nmet-date: 2026-01-01\nlast-touch: soon\n---\n",
            ),
            ("C.md", "---\nmet-date: y\n---\n"),
        ];
        for (rel, text) in [finals[2], finals[0]] {
            let (rel, read) = note(rel, text);
            vault.update(&rel, read);
            vault.refresh();
        }
        let full = load(&finals);
        assert_eq!(vault.problems, full.problems);
        assert!(vault.problems.len() >= 5, "{:?}", vault.problems);
    }

    #[test]
    fn name_lookups_and_order_follow_renames_additions_and_removals() {
        let mut vault = Vault::default();
        for (rel, read) in [note("Ada.md", "# Ada\n"), note("Bea.md", "# Bea\n")] {
            vault.update(&rel, read);
        }
        vault.refresh();
        let names = |v: &Vault| -> Vec<String> {
            v.by_name()
                .iter()
                .map(|&i| v.contacts[i].name.clone())
                .collect()
        };
        assert_eq!(names(&vault), ["Ada", "Bea"]);
        assert_eq!(vault.names().find(&vault.contacts, "bea"), Ok(1));
        // An edit that keeps the name keeps what was built; a rename rebuilds it.
        let (rel, read) = note("Bea.md", "---\ncompany: Acme\n---\n");
        vault.update(&rel, read);
        assert_eq!(vault.names().find(&vault.contacts, "Bea"), Ok(1));
        let (rel, read) = note("Bea.md", "---\nname: Aaron\naliases: [B]\n---\n");
        vault.update(&rel, read);
        assert_eq!(names(&vault), ["Aaron", "Ada"]);
        assert_eq!(vault.names().find(&vault.contacts, "b"), Ok(1));
        let (rel, read) = note("Cy.md", "# Cy\n");
        vault.update(&rel, read);
        vault.forget(Path::new("Ada.md"));
        assert_eq!(names(&vault), ["Aaron", "Cy"]);
        assert_eq!(vault.names().find(&vault.contacts, "cy"), Ok(1));
        assert!(vault.names().find(&vault.contacts, "ada").is_err());
    }

    #[test]
    fn numbered_twins_and_same_names_are_reported() {
        let mut ada = Contact::named("Ada");
        ada.path = "People/Ada.md".into();
        let mut twin = Contact::named("Ada 2");
        twin.path = "People/Ada 2.md".into();
        let mut other = Contact::named("Grace");
        other.path = "Work/Grace.md".into();
        let mut grace = Contact::named("grace");
        grace.path = "People/grace.md".into();
        let mut contacts = vec![ada, twin, other, grace];
        contacts.sort_by(|a, b| a.path.cmp(&b.path));
        let problems = duplicate_names(&contacts);
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "People/Ada 2.md: warning: looks like a sync copy of `People/Ada.md`; merge them if they are one person",
                "People/grace.md: warning: another note has the name `grace`: `Work/Grace.md`; merge them if they are one person",
                "Work/Grace.md: warning: another note has the name `Grace`: `People/grace.md`; merge them if they are one person",
            ]
        );
    }
}
