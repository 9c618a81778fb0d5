//! What `watch` keeps from one pass to the next, so that a pass after an edit costs about
//! what the edit changed: each contact's status and index.md row, by the revision of the
//! contact they were computed from, and who links with whom while no note read again links
//! or is named otherwise. `render` keeps the rows and the graph from one run to the next
//! too, in a file of this device's ([`Memo::write_rows_file`]).
//!
//! A value is valid while its contact is the same read of its note
//! ([`Contact::revision`]) and its basis is the same: for a status the day and the settings,
//! for a row also its status, the row template, the default cadence and the generation of
//! the shared stems ([`Vault::stems_generation`](crate::vault::Vault::stems_generation)),
//! which decide how its wikilink is written. Those are everything either can depend on; a
//! row that reads more ([`crate::render::Row::own`]) is not kept. Between runs, where a
//! generation means nothing, the rows are kept under a hash of the set of shared stems, and
//! under the parse cache's key (the build, the settings, the day).

use std::collections::HashMap;
use std::hash::{Hash as _, Hasher as _};
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::Settings;
use crate::model::{Cadence, Contact};
use crate::render::{RenderError, Renderer};
use crate::schedule::{Schedule, Status, schedule_from, status_with};
use crate::vault::cache::unseal;
use crate::view::{Links, Roster};

/// Statuses and rows from the last pass.
#[derive(Debug, Default)]
pub struct Memo {
    status_basis: Option<(NaiveDate, Settings)>,
    /// By contact index in the last pass: the revision of the contact each status in
    /// `statuses` was computed for.
    status_revisions: Vec<u64>,
    /// The last pass's statuses, which its schedule shared; updated in place by the next
    /// pass once that schedule is gone.
    statuses: Arc<Vec<Status>>,
    row_basis: Option<RowBasis>,
    /// By contact index in the last pass: the contact's revision, and its row.
    rows: Vec<(u64, KeptRow)>,
    /// By contact index in the last pass: each person's row as shown, which that pass's
    /// roster shared; updated in place by the next pass.
    shown: Arc<Vec<Arc<str>>>,
    /// The rows of an earlier run ([`Memo::with_saved_rows`]) and the hash of their basis
    /// ([`RowBasis::between_runs`]), until the first pass takes them in.
    saved: Option<(u64, Vec<(u64, KeptRow)>)>,
    /// The basis of `rows`, as [`RowBasis::between_runs`] gives it.
    rows_basis_hash: u64,
    /// A row was rendered or let go since the rows were saved.
    rows_changed: bool,
    /// The last pass's graph of links, and by contact index the revision of the contact
    /// it was built with.
    links: Option<(Vec<u64>, Arc<Links>)>,
}

/// A row as the memo keeps it: the hash of the status it was rendered with
/// ([`status_hash`]), and the row while it can be kept. The hash rather than the status, in
/// a run as between runs: 32 bytes a person rather than 80, for a hash of each status a
/// pass compares.
type KeptRow = (u64, Option<Arc<str>>);

#[derive(Debug, PartialEq, Eq)]
struct RowBasis {
    today: NaiveDate,
    template: String,
    cadence: Cadence,
    stems_generation: u64,
}

impl RowBasis {
    /// The basis as it can be compared between runs: the day, the template, the cadence and
    /// the set of shared stems, hashed.
    fn between_runs(&self, roster: &Roster) -> u64 {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(
            format!("{}\n{}\n{}\n", self.today, self.cadence, roster.stems_key()).as_bytes(),
        );
        hasher.update(self.template.as_bytes());
        hasher.digest()
    }
}

/// A status, as a row keeps it: what it was rendered with (a collision of two statuses of
/// one contact is one in 2^64). The XXH3 of what the status's `Hash` writes, gathered
/// first and hashed once: fed to XXH3's streaming state a field at a time, the hashes of a
/// pass's 30,000 statuses cost `watch` ~3 ms of each pass. The same value either way, so
/// rows saved by either stay valid.
fn status_hash(status: &Status) -> u64 {
    let mut gathered = Gathered::default();
    status.hash(&mut gathered);
    gathered.finish()
}

/// A hasher that gathers what it is given in a buffer on the stack and hashes it whole,
/// XXH3 over all of it; what does not fit goes on through XXH3's streaming state.
struct Gathered {
    bytes: [u8; Gathered::ROOM],
    len: usize,
    spilled: Option<xxhash_rust::xxh3::Xxh3>,
}

impl Gathered {
    /// Room for a status's fields, with plenty to spare.
    const ROOM: usize = 256;
}

impl Default for Gathered {
    fn default() -> Self {
        Gathered {
            bytes: [0; Gathered::ROOM],
            len: 0,
            spilled: None,
        }
    }
}

impl std::hash::Hasher for Gathered {
    fn write(&mut self, bytes: &[u8]) {
        if self.len + bytes.len() > Gathered::ROOM {
            let state = self
                .spilled
                .get_or_insert_with(xxhash_rust::xxh3::Xxh3::new);
            state.update(&self.bytes[..self.len]);
            state.update(bytes);
            self.len = 0;
        } else {
            self.bytes[self.len..self.len + bytes.len()].copy_from_slice(bytes);
            self.len += bytes.len();
        }
    }

    fn finish(&self) -> u64 {
        match &self.spilled {
            None => xxhash_rust::xxh3::xxh3_64(&self.bytes[..self.len]),
            Some(state) => {
                let mut state = state.clone();
                state.update(&self.bytes[..self.len]);
                state.digest()
            }
        }
    }
}

/// The graph `kept` from the last pass when it holds for `contacts` (the same notes, none
/// of those read again linking or named otherwise), else a new one; with the revisions it
/// now stands for, and whether it was kept.
fn kept_links(
    kept: Option<(Vec<u64>, Arc<Links>)>,
    contacts: &[Contact],
) -> ((Vec<u64>, Arc<Links>), bool) {
    let revisions = || contacts.iter().map(|c| c.revision).collect();
    if let Some((was, links)) = kept
        && was.len() == contacts.len()
        && links.len() == contacts.len()
        && (contacts.iter().zip(&was).enumerate())
            .filter(|(_, (c, was))| c.revision == 0 || c.revision != **was)
            .all(|(i, (c, _))| links.same_for(i, c))
    {
        return ((revisions(), links), true);
    }
    ((revisions(), Arc::new(Links::new(contacts))), false)
}

/// The first line of a file of rows: the format's number and the version that wrote it.
const ROWS_FIRST_LINE: &str = concat!(
    "vault-reach index rows, format 2, version ",
    env!("CARGO_PKG_VERSION"),
    "\n"
);

/// A file of rows as [`Memo::write_rows_file`] writes it, sealed (its first line, then the
/// XXH3 of the rest, which [`unseal`] checks): the key it was
/// written under, the hash of the rows' basis, each contact's revision, status hash and
/// row, and the graph of links with the revisions of the contacts it was built for
/// (between runs as within one, [`kept_links`] checks it against the contacts read). As
/// read; [`SavingRows`] is the same encoding, borrowed.
type RowsFile<'a> = (
    u64,
    u64,
    Vec<(u64, u64, Option<&'a str>)>,
    Option<(Vec<u64>, Links)>,
);

/// A [`RowsFile`] as it is written, borrowing the memo's rows and graph.
type SavingRows<'a> = (u64, u64, RowsOf<'a>, Option<(&'a [u64], &'a Links)>);

impl Memo {
    /// [`Memo::schedule`], and the graph of links beside it on the other cores: the graph
    /// of the last pass when no note read again since changed its links or names.
    pub fn schedule_and_links(
        &mut self,
        contacts: &[Contact],
        settings: &Settings,
        today: NaiveDate,
    ) -> (Schedule, Arc<Links>) {
        let kept = self.links.take();
        let (schedule, ((revisions, links), was_kept)) = rayon::join(
            || self.schedule(contacts, settings, today),
            || kept_links(kept, contacts),
        );
        self.links = Some((revisions, Arc::clone(&links)));
        // A graph built again is news for the file of rows.
        self.rows_changed |= !was_kept;
        (schedule, links)
    }

    /// [`crate::schedule::schedule`], computing again only the statuses of contacts read
    /// again since the last pass.
    pub fn schedule(
        &mut self,
        contacts: &[Contact],
        settings: &Settings,
        today: NaiveDate,
    ) -> Schedule {
        if self
            .status_basis
            .as_ref()
            .is_none_or(|(day, was)| (*day, was) != (today, settings))
        {
            self.status_basis = Some((today, settings.clone()));
            self.status_revisions.clear();
        }
        if self.status_revisions.len() != contacts.len() {
            // Notes came or went: line the last pass's statuses up with the contacts now.
            let earlier = Earlier::new(&self.status_revisions, contacts.len());
            let kept: Vec<Option<usize>> = (contacts.iter().enumerate())
                .map(|(i, c)| earlier.get(i, c.revision))
                .collect();
            // On all cores: the first pass (every `render`) has every status to compute.
            let old = &self.statuses;
            let (revisions, statuses) = contacts
                .par_iter()
                .zip(kept)
                .map_init(Vec::new, |scratch, (c, at)| match at {
                    Some(at) => (c.revision, old[at]),
                    None => (c.revision, status_with(c, settings, today, scratch)),
                })
                .unzip();
            self.status_revisions = revisions;
            self.statuses = Arc::new(statuses);
        }
        // In place: a pass after an edit copies no status, and faults in no new pages.
        let statuses = Arc::make_mut(&mut self.statuses);
        statuses
            .par_iter_mut()
            .zip(self.status_revisions.par_iter_mut())
            .zip(contacts.par_iter())
            .for_each_init(Vec::new, |scratch, ((status, revision), contact)| {
                if contact.revision == 0 || *revision != contact.revision {
                    *status = status_with(contact, settings, today, scratch);
                    *revision = contact.revision;
                }
            });
        schedule_from(contacts, Arc::clone(&self.statuses), settings, today)
    }

    /// [`Renderer::render_rows`], rendering again only the rows of people whose note or
    /// status changed since the last pass.
    pub fn render_rows(
        &mut self,
        renderer: &Renderer,
        roster: &Arc<Roster>,
    ) -> Result<(), RenderError> {
        let template = renderer.row_template()?;
        let basis = RowBasis {
            today: renderer.today(),
            template: template.source().to_owned(),
            cadence: roster.default_cadence(),
            stems_generation: roster.stems_generation(),
        };
        if self.row_basis.as_ref() != Some(&basis) {
            self.rows.clear();
            self.rows_basis_hash = basis.between_runs(roster);
            match self.saved.take() {
                Some((hash, rows)) if hash == self.rows_basis_hash => self.rows = rows,
                // Saved rows of another basis, or none: what is saved is out of date.
                _ => self.rows_changed = true,
            }
            self.row_basis = Some(basis);
        }
        self.saved = None;
        if self.rows.len() != roster.len() {
            // Notes came or went: line the kept rows up with the contacts now.
            let revisions: Vec<u64> = self.rows.iter().map(|(revision, _)| *revision).collect();
            let earlier = Earlier::new(&revisions, roster.len());
            self.rows = (0..roster.len())
                .map(|i| {
                    let revision = roster.contact(i).revision;
                    earlier
                        .get(i, revision)
                        .map_or((0, (0, None)), |at| self.rows[at].clone())
                })
                .collect();
            self.rows_changed = true;
        }
        if self.shown.len() != roster.len() {
            self.shown = Arc::new(vec![Arc::from(""); roster.len()]);
        }
        // In place: only the rows of changed people are rendered, and nothing is copied.
        let fresh = std::sync::atomic::AtomicUsize::new(0);
        Arc::make_mut(&mut self.shown)
            .par_iter_mut()
            .zip(self.rows.par_iter_mut())
            .enumerate()
            .try_for_each(|(i, (shown, (revision, (was, kept))))| {
                let (now, status) = (roster.contact(i).revision, roster.status(i));
                if let Some(row) = kept.as_ref().filter(|_| now != 0 && *revision == now)
                    && *was == status_hash(status)
                {
                    if !Arc::ptr_eq(shown, row) {
                        *shown = Arc::clone(row);
                    }
                    return Ok(());
                }
                fresh.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let row = renderer.render_row(&template, roster, i)?;
                *revision = now;
                *was = status_hash(status);
                *kept = row.own.then(|| Arc::clone(&row.text));
                *shown = row.text;
                Ok::<(), RenderError>(())
            })?;
        let fresh = fresh.into_inner();
        tracing::debug!("rendered {fresh} of {} index rows", self.rows.len());
        self.rows_changed |= fresh > 0;
        roster.set_rows(Arc::clone(&self.shown));
        Ok(())
    }

    /// A memo that starts from the rows and the graph of links an earlier run saved in
    /// `bytes` ([`Memo::write_rows_file`]) under `key` (the parse cache's,
    /// [`crate::vault::cache::key`]); an empty memo when they are of another version, key
    /// or build, or damaged.
    pub fn with_saved_rows(bytes: &[u8], key: u64) -> Memo {
        let Some((_, basis, rows, links)) = unseal(bytes, ROWS_FIRST_LINE)
            .and_then(|body| postcard::from_bytes::<RowsFile<'_>>(body).ok())
            .filter(|(was, ..)| *was == key)
        else {
            return Memo::default();
        };
        let rows = rows
            .into_iter()
            .map(|(revision, status, row)| (revision, (status, row.map(Arc::from))))
            .collect();
        Memo {
            saved: Some((basis, rows)),
            links: links
                .filter(|(_, links)| links.is_whole())
                .map(|(revisions, links)| (revisions, Arc::new(links))),
            ..Memo::default()
        }
    }

    /// Whether the rows or the graph of links changed since they were saved (or taken
    /// from a file), so that [`Memo::write_rows_file`] has news to save.
    pub fn rows_changed(&self) -> bool {
        self.rows_changed
    }

    /// Writes the rows and the graph of the last pass to `out`, as a file for
    /// [`Memo::with_saved_rows`] under `key`. Streamed, never held: the file is megabytes
    /// (4.6 MB at 30,000 people), and written at the end of a render, when all else is
    /// held too. The checksum comes first in the file, so the body is encoded twice: once
    /// into its hash, once out.
    pub fn write_rows_file(&self, key: u64, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let links =
            (self.links.as_ref()).map(|(revisions, links)| (revisions.as_slice(), &**links));
        let body: SavingRows<'_> = (key, self.rows_basis_hash, RowsOf(&self.rows), links);
        let encode = |out: &mut dyn std::io::Write| {
            postcard::to_io(&body, out)
                .map(drop)
                .map_err(std::io::Error::other)
        };
        let mut hashed = Hashed(xxhash_rust::xxh3::Xxh3::new());
        encode(&mut hashed)?;
        out.write_all(ROWS_FIRST_LINE.as_bytes())?;
        out.write_all(&hashed.0.digest().to_le_bytes())?;
        encode(out)
    }
}

/// The memo's rows as a file keeps them: each contact's revision, status hash and row.
struct RowsOf<'a>(&'a [(u64, KeptRow)]);

impl serde::Serialize for RowsOf<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.0
                .iter()
                .map(|(revision, (status, row))| (*revision, *status, row.as_deref())),
        )
    }
}

/// A sink that only hashes what it is given: the checksum of a body before it is written.
struct Hashed(xxhash_rust::xxh3::Xxh3);

impl std::io::Write for Hashed {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Where an earlier pass's values are, by the revisions of the contacts they were computed
/// for, in that pass's contact order.
struct Earlier<'a> {
    revisions: &'a [u64],
    /// By revision, when contacts came or went since: indices no longer line up.
    moved: Option<HashMap<u64, usize>>,
}

impl<'a> Earlier<'a> {
    /// `revisions` from the earlier pass, for a pass over `now` contacts. After an edit the
    /// contacts are where they were and are found by index; after a note came or went, by
    /// revision.
    fn new(revisions: &'a [u64], now: usize) -> Self {
        let moved = (revisions.len() != now).then(|| {
            revisions
                .iter()
                .enumerate()
                .map(|(i, revision)| (*revision, i))
                .collect()
        });
        Earlier { revisions, moved }
    }

    /// Where the value computed for the contact now at `index` is, if it was computed for
    /// this same `revision` (0, a contact not read from disk, never matches).
    fn get(&self, index: usize, revision: u64) -> Option<usize> {
        if revision == 0 {
            return None;
        }
        let at = match &self.moved {
            None => index,
            Some(at) => *at.get(&revision)?,
        };
        (*self.revisions.get(at)? == revision).then_some(at)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::model::Span;
    use crate::note::parse_note;
    use crate::schedule::schedule;
    use crate::vault::{NoteRead, Vault};

    const MONDAY: &str = "2026-03-02";

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn touched(name: &str, last: &str) -> Contact {
        let mut c = Contact::named(name);
        c.last_touch = Some(date(last));
        c
    }

    /// The contact of `People/{name}.md` with `front` and `body`, read as `revision`.
    fn linking(name: &str, front: &str, body: &str, revision: u64) -> Contact {
        let text = format!("---\nmet-date: 2025-01-02\n{front}---\n{body}\n");
        let crate::note::Parsed::Contact(mut c, _) =
            parse_note(Path::new(&format!("People/{name}.md")), &text, true)
        else {
            panic!("{name} is a contact");
        };
        c.revision = revision;
        c
    }

    #[test]
    fn the_graph_of_links_is_kept_until_a_note_read_again_links_or_is_named_otherwise() {
        let read = linking;
        let mut contacts = vec![
            read("Ada", "", "Met through [[Bo]].", 1),
            read("Bo", "", "", 2),
            read("Cy", "", "", 3),
        ];
        let ((revisions, first), _) = kept_links(None, &contacts);
        assert_eq!(
            (first.of(0), first.of(1), first.of(2)),
            (vec![1], vec![0], vec![])
        );

        // A Log line is no link: the graph stands.
        contacts[0] = read(
            "Ada",
            "",
            "Met through [[Bo]].\n## Log\n- 2026-03-01 coffee",
            4,
        );
        let ((revisions, kept), was_kept) =
            kept_links(Some((revisions, Arc::clone(&first))), &contacts);
        assert!(was_kept && Arc::ptr_eq(&first, &kept));

        // Bo now links to Cy.
        contacts[1] = read("Bo", "", "Knows [[Cy]].", 5);
        let ((revisions, linked), was_kept) = kept_links(Some((revisions, kept)), &contacts);
        assert!(!was_kept && !Arc::ptr_eq(&first, &linked));
        assert_eq!((linked.of(1), linked.of(2)), (vec![0, 2], vec![1]));

        // Cy is named otherwise (and still linked by file name): the graph is found again.
        contacts[2] = read("Cy", "name: Dee\n", "", 6);
        let ((revisions, renamed), _) =
            kept_links(Some((revisions, Arc::clone(&linked))), &contacts);
        assert!(!Arc::ptr_eq(&linked, &renamed));
        assert_eq!(renamed.of(1), vec![0, 2]);

        // A note came: everything is found again.
        contacts.push(read("Eve", "", "[[Dee]] and [[Ada]]", 7));
        let ((_, grown), _) = kept_links(Some((revisions, Arc::clone(&renamed))), &contacts);
        assert!(!Arc::ptr_eq(&renamed, &grown));
        assert_eq!((grown.of(2), grown.of(3)), (vec![1, 3], vec![0, 2]));
    }

    #[test]
    fn the_graph_of_links_is_kept_between_runs_while_it_holds() {
        let read = |name: &str, body: &str, revision: u64| linking(name, "", body, revision);
        let mut contacts = vec![read("Ada", "Met through [[Bo]].", 1), read("Bo", "", 2)];
        let settings = Settings::default();
        let today = date(MONDAY);
        let mut first = Memo::default();
        let (_, graph) = first.schedule_and_links(&contacts, &settings, today);
        let mut file = Vec::new();
        first.write_rows_file(7, &mut file).unwrap();

        // The next run reads the same notes: the graph is the file's, and nothing is news.
        let mut next = Memo::with_saved_rows(&file, 7);
        let (_, kept) = next.schedule_and_links(&contacts, &settings, today);
        assert_eq!((kept.of(0), kept.of(1)), (graph.of(0), graph.of(1)));
        assert!(!next.rows_changed());

        // Under another key (another build, settings or day) the file holds nothing.
        let mut other = Memo::with_saved_rows(&file, 8);
        assert!(other.links.is_none());
        other.schedule_and_links(&contacts, &settings, today);
        assert!(other.rows_changed());

        // Bo's note now links back to Ada and to nobody else: the graph is found again,
        // and the file is to be saved again.
        contacts[1] = read("Bo", "Knows [[Ada]] and [[Cy]].", 3);
        let mut after = Memo::with_saved_rows(&file, 7);
        let (_, found) = after.schedule_and_links(&contacts, &settings, today);
        assert_eq!((found.of(0), found.of(1)), (vec![1], vec![0]));
        assert!(after.rows_changed());

        // A graph of a shape no build writes is built again: here contact 0's links end
        // past the list of ends. (Postcard writes a struct as its fields in a row.)
        let (key, basis, rows, graph) =
            postcard::from_bytes::<RowsFile<'_>>(unseal(&file, ROWS_FIRST_LINE).unwrap()).unwrap();
        let (revisions, graph) = graph.unwrap();
        assert!(graph.is_whole());
        let misshapen: (Vec<u32>, Vec<u32>, Vec<u64>) = (vec![0, 5, 5], vec![1], vec![1, 2]);
        let body =
            postcard::to_allocvec(&(key, basis, rows, Some((revisions, misshapen)))).unwrap();
        let checksum = xxhash_rust::xxh3::xxh3_64(&body).to_le_bytes();
        let forged = [ROWS_FIRST_LINE.as_bytes(), &checksum, &body].concat();
        assert!(Memo::with_saved_rows(&forged, 7).links.is_none());

        // A damaged file is no file.
        let mut damaged = file.clone();
        let last = damaged.len() - 1;
        damaged[last] ^= 1;
        assert!(Memo::with_saved_rows(&damaged, 7).links.is_none());
    }

    #[test]
    fn a_status_hashes_as_xxh3_of_all_it_writes_gathered_or_spilled() {
        let settings = Settings::default();
        for contact in [touched("Ada", "2026-01-05"), Contact::named("Bob")] {
            let status = crate::schedule::status(&contact, &settings, date(MONDAY));
            let mut streamed = xxhash_rust::xxh3::Xxh3::new();
            status.hash(&mut streamed);
            assert_eq!(status_hash(&status), streamed.finish());
        }
        // More than the buffer holds, in small writes and in one larger than it.
        let (mut gathered, mut streamed) = (Gathered::default(), xxhash_rust::xxh3::Xxh3::new());
        let big = [7u8; Gathered::ROOM + 5];
        for i in 0..100u32 {
            gathered.write(&i.to_le_bytes());
            streamed.update(&i.to_le_bytes());
            if i == 50 {
                gathered.write(&big);
                streamed.update(&big);
            }
        }
        assert_eq!(gathered.finish(), streamed.digest());
    }

    #[test]
    fn values_are_found_by_place_then_by_revision_and_only_for_the_same_read() {
        let revisions = [11, 12, 13];
        let same = Earlier::new(&revisions, 3);
        assert_eq!(same.get(1, 12), Some(1));
        assert_eq!(same.get(1, 99), None, "a new read of the note");
        assert_eq!(same.get(0, 0), None, "not read from disk");
        assert_eq!(same.get(3, 14), None, "past the end");
        // A note came before the second: everyone after it moved down one place.
        let moved = Earlier::new(&revisions, 4);
        assert_eq!(moved.get(2, 12), Some(1));
        assert_eq!(moved.get(1, 42), None);
    }

    #[test]
    fn kept_statuses_are_those_of_a_fresh_plan_through_edits_arrivals_and_a_new_day() {
        let mut contacts: Vec<Contact> = (0..40)
            .map(|i| {
                let mut c = touched(&format!("C{i:02}"), &format!("2025-{:02}-10", i % 12 + 1));
                c.revision = i + 1;
                c
            })
            .collect();
        let mut memo = Memo::default();
        let mut check = |contacts: &[Contact], settings: &Settings, today: &str| {
            let fresh = schedule(contacts, settings, date(today));
            assert_eq!(memo.schedule(contacts, settings, date(today)), fresh);
        };
        check(&contacts, &Settings::default(), MONDAY);
        // An edit is a new read of the note: a new revision, and a status of its own.
        contacts[3].last_touch = Some(date("2026-03-02"));
        contacts[3].revision = 100;
        check(&contacts, &Settings::default(), MONDAY);
        // A note came: everyone after it moved one place down.
        let mut new = touched("B", "2025-11-30");
        new.revision = 101;
        contacts.insert(5, new);
        check(&contacts, &Settings::default(), MONDAY);
        contacts.remove(0);
        check(&contacts, &Settings::default(), MONDAY);
        // Another day, other settings: everything is planned again.
        check(&contacts, &Settings::default(), "2026-09-01");
        let weekly = Settings {
            cadence: Cadence::Every(Span::Days(7)),
            ..Settings::default()
        };
        check(&contacts, &weekly, "2026-09-01");
    }

    fn read(rel: &str, text: &str, revision: u64) -> NoteRead {
        let mut parsed = parse_note(Path::new(rel), text, true);
        if let crate::note::Parsed::Contact(contact, _) = &mut parsed {
            contact.revision = revision;
        }
        NoteRead::Parsed(parsed)
    }

    fn rows(vault: &Vault, today: &str, memo: &mut Memo) -> Vec<Arc<str>> {
        let today: NaiveDate = today.parse().unwrap();
        let settings = Settings::default();
        let schedule = crate::schedule::schedule(&vault.contacts, &settings, today);
        let roster = Roster::new(vault, &schedule, &settings);
        let renderer = Renderer::new(Path::new("/nonexistent-vault"), today).unwrap();
        memo.render_rows(&renderer, &roster).unwrap();
        roster.rows().unwrap().to_vec()
    }

    #[test]
    fn rows_are_reused_until_their_contact_or_the_day_changes() {
        let mut vault = Vault::default();
        vault.update(
            Path::new("Ada.md"),
            read(
                "Ada.md",
                "---\nmet-date: 2026-01-05\ncontext: RustConf\n---\n",
                1,
            ),
        );
        vault.update(
            Path::new("Bea.md"),
            read("Bea.md", "---\ncompany: A|B\n---\n", 2),
        );
        vault.refresh();
        let mut cache = Memo::default();
        let first = rows(&vault, "2026-03-02", &mut cache);
        assert_eq!(&*first[0], "| [[Ada]] |  | 2026-01-05 |  | 2026-01-05 |");
        assert_eq!(&*first[1], "| [[Bea]] | A\\|B |  |  | 2026-03-02 |");

        let again = rows(&vault, "2026-03-02", &mut cache);
        assert!(Arc::ptr_eq(&first[0], &again[0]) && Arc::ptr_eq(&first[1], &again[1]));

        // A new read of Bea's note renders her row again, and only hers.
        vault.update(
            Path::new("Bea.md"),
            read(
                "Bea.md",
                "---\ncompany: Acme\nlast-touch: 2026-03-01\n---\n",
                3,
            ),
        );
        vault.refresh();
        let edited = rows(&vault, "2026-03-02", &mut cache);
        assert!(Arc::ptr_eq(&first[0], &edited[0]));
        assert_eq!(
            &*edited[1],
            "| [[Bea]] | Acme |  | 2026-03-01 | 2026-09-01 |"
        );

        // A new note changes nobody else's row.
        vault.update(Path::new("Cy.md"), read("Cy.md", "# Cy\n", 4));
        vault.refresh();
        let added = rows(&vault, "2026-03-02", &mut cache);
        assert!(Arc::ptr_eq(&edited[0], &added[0]) && Arc::ptr_eq(&edited[1], &added[1]));
        assert_eq!(&*added[2], "| [[Cy]] |  |  |  | 2026-03-02 |");

        // A new day renders every row again.
        let tomorrow = rows(&vault, "2026-03-03", &mut cache);
        assert!(!Arc::ptr_eq(&edited[0], &tomorrow[0]));
        assert_eq!(&*tomorrow[0], &*edited[0]);
    }

    /// A row template of the user's that shows who links with a person depends on the other
    /// notes: such rows are never kept, so an edit elsewhere shows in them at once.
    #[test]
    fn rows_that_read_other_notes_are_rendered_every_time() {
        let dir = tempfile::tempdir().unwrap();
        let templates = dir.path().join(crate::render::OVERRIDES);
        std::fs::create_dir_all(&templates).unwrap();
        std::fs::write(
            templates.join("index-row.md"),
            "| {{ p.name }} | {{ p.mutual | join(\", \") }} |",
        )
        .unwrap();
        let today: NaiveDate = MONDAY.parse().unwrap();
        let renderer = Renderer::new(dir.path(), today).unwrap();
        let settings = Settings::default();
        let mut vault = Vault::default();
        vault.update(Path::new("Ada.md"), read("Ada.md", "# Ada\n", 1));
        vault.update(Path::new("Bea.md"), read("Bea.md", "# Bea\n", 2));
        vault.refresh();
        let mut memo = Memo::default();
        let mut rows = |vault: &Vault| {
            let schedule = crate::schedule::schedule(&vault.contacts, &settings, today);
            let roster = Roster::new(vault, &schedule, &settings);
            memo.render_rows(&renderer, &roster).unwrap();
            roster.rows().unwrap().to_vec()
        };
        assert_eq!(&*rows(&vault)[0], "| Ada |  |");
        // Bea's note now names Ada: Ada's row says so, though Ada's note is as it was.
        vault.update(
            Path::new("Bea.md"),
            read("Bea.md", "# Bea\n\nIntroduced by [[Ada]].\n", 3),
        );
        vault.refresh();
        let after = rows(&vault);
        assert_eq!(&*after[0], "| Ada | Bea |");
        assert_eq!(&*after[1], "| Bea | Ada |");
    }
}
