//! What the templates see: the vault and its schedule, computed; templates only format.
//!
//! Dates are passed as `YYYY-MM-DD` strings, so template filters (`ago`, `long_date`…) and
//! user templates can format them as they like.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use minijinja::value::{Enumerator, Object, ObjectRepr, Serde, Value};
use rayon::prelude::*;
use serde::Serialize;

use crate::config::Settings;
use crate::error::{Severity, slash_path};
use crate::model::Invitation;
use crate::model::date::format_date;
use crate::model::{Cadence, Contact, LogKind};
use crate::schedule::{Schedule, Status};
use crate::vault::Vault;

/// The names of a person's fields, in the order JSON output lists them.
pub const PERSON_FIELDS: &[&str] = &[
    "name",
    "first_name",
    "path",
    "target",
    "aliases",
    "company",
    "role",
    "email",
    "linkedin",
    "mailto",
    "linkedin_url",
    "context",
    "tags",
    "met",
    "met_written",
    "last_outreach",
    "last_reply",
    "last_together",
    "last_interaction",
    "last_note",
    "recommended",
    "snooze_until",
    "cadence",
    "due",
    "days_past_due",
    "active",
    "paused",
    "snoozed",
    "let_go",
    "in_touch",
    "is_new",
    "is_loose",
    "unanswered",
    "unanswered_since",
    "is_unanswered",
    "mutual",
    "draft",
    "extra",
];

/// The contacts and their schedule, shared with templates: people are handed to templates as
/// lazy objects whose fields are computed when a template reads them, so a 30,000-row index
/// costs the fields its template uses, not every field of every person.
#[derive(Debug)]
pub struct Roster {
    contacts: Arc<Vec<Contact>>,
    statuses: Arc<Vec<Status>>,
    shared_stems: Arc<crate::vault::Stems>,
    stems_generation: u64,
    cadence: Cadence,
    today: NaiveDate,
    /// The user's news for every draft of the day (`.vault-reach/update.md`).
    update: Option<String>,
    /// Each person's index.md row (`p.row`), once they were rendered and given.
    rows: std::sync::OnceLock<Arc<Vec<Arc<str>>>>,
    /// Who links to whom, both ways: given with the schedule ([`Roster::give_links`]),
    /// else built once more than [`ASKED_ALONE`] people were asked about.
    mutual: std::sync::OnceLock<Arc<Links>>,
    /// Each contact's keys, hashed as links are ([`key_hashes`]): what a question about
    /// one person reads, and the whole graph is built from.
    keyed: std::sync::OnceLock<Vec<[u64; 3]>>,
    /// How many people were asked about without the graph.
    asked: std::sync::atomic::AtomicUsize,
}

/// How many people a roster without the graph of links answers for by reading everyone's
/// links once per person ([`linked_with`]) before it builds the whole graph. A day's drafts
/// ask about a handful: the graph of a 30,000-note vault cost a tenth of a render, and a
/// question about one person costs about a millisecond. A template that asks about
/// everyone (`p.mutual` in index.md's rows) gets the graph.
const ASKED_ALONE: usize = 16;

impl Roster {
    pub fn new(vault: &Vault, schedule: &Schedule, settings: &Settings) -> Arc<Roster> {
        Roster::with_update(vault, schedule, settings, None)
    }

    /// [`Roster::new`], with the user's news of the day for the drafts.
    pub fn with_update(
        vault: &Vault,
        schedule: &Schedule,
        settings: &Settings,
        update: Option<String>,
    ) -> Arc<Roster> {
        Arc::new(Roster {
            contacts: Arc::clone(&vault.contacts),
            statuses: Arc::clone(&schedule.statuses),
            shared_stems: Arc::clone(&vault.shared_stems),
            stems_generation: vault.stems_generation,
            cadence: settings.cadence,
            today: schedule.today,
            update,
            rows: std::sync::OnceLock::new(),
            mutual: std::sync::OnceLock::new(),
            keyed: std::sync::OnceLock::new(),
            asked: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    /// The people contact `index` and its notes link each other with, by name (the
    /// other's note links to this one, or this one to it), in name order, each once.
    pub fn mutual(&self, index: usize) -> Vec<usize> {
        let keyed = || self.keyed.get_or_init(|| key_hashes(&self.contacts));
        let mut people = match self.mutual.get() {
            Some(all) => all.of(index),
            None if self
                .asked
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                < ASKED_ALONE =>
            {
                linked_with(&self.contacts, keyed(), index)
            }
            None => self
                .mutual
                .get_or_init(|| Arc::new(Links::with_keys(&self.contacts, keyed())))
                .of(index),
        };
        // In name order only for the few people asked about: a vault's whole graph is
        // kept in index order, a popular note's thousand back-links unsorted by name.
        people.sort_by_cached_key(|&i| (self.contacts[i].name.to_lowercase(), i));
        people
    }

    /// The draft for contact `index`, `None` for a loose link.
    pub fn draft(&self, index: usize) -> Option<crate::draft::Draft> {
        let c = &self.contacts[index];
        let s = &self.statuses[index];
        let today = self.today;
        // Someone the "how you met" line names already needs no second mention.
        let context = c.context.as_deref().unwrap_or_default().to_lowercase();
        let mutual: Vec<&str> = self
            .mutual(index)
            .iter()
            .map(|&i| self.contacts[i].name.as_ref())
            .filter(|name| !context.contains(&name.to_lowercase()))
            .collect();
        let words = c.body.words();
        let birthday = c
            .birthday
            .map(|b| b.next_on_or_after(today))
            .filter(|day| (*day - today).num_days() < 7);
        crate::draft::draft(&crate::draft::Facts {
            first_name: first_name(&c.name),
            name: &c.name,
            company: c.company.as_deref(),
            met: c.met_date,
            met_precision: c.met_precision,
            last_outreach: s.last_outreach,
            last_reply: s.last_reply,
            last_together: s.last_together,
            is_new: s.is_new,
            is_unanswered: s.is_unanswered,
            loose: s.loose,
            birthday,
            new_role: c
                .role_changed
                .filter(|&changed| {
                    (today - changed).num_days() <= 120
                        && s.last_interaction.is_none_or(|last| last <= changed)
                })
                .and_then(|_| {
                    crate::model::role_and_company(c.role.as_deref(), c.company.as_deref())
                })
                .map(|now| (now, c.previous_role.as_deref())),
            mutual,
            about: words.about.as_deref(),
            follow_ups: &words.follow_ups,
            recommend: s.worth_recommending,
            update: self.update.as_deref(),
            today,
        })
    }

    pub fn len(&self) -> usize {
        self.contacts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.contacts.is_empty()
    }

    pub fn default_cadence(&self) -> Cadence {
        self.cadence
    }

    /// A hash of the set of stems this roster links by: what a generation says within a
    /// run, for rows kept between runs.
    pub fn stems_key(&self) -> u64 {
        self.shared_stems.key()
    }

    /// [`Vault::stems_generation`] of the stems this roster links by.
    pub fn stems_generation(&self) -> u64 {
        self.stems_generation
    }

    /// Every person's rendered index row, once they were given.
    pub fn rows(&self) -> Option<&[Arc<str>]> {
        self.rows.get().map(|rows| rows.as_slice())
    }

    /// Gives the graph of links, built for these contacts ([`Links::new`], or kept by
    /// `watch` while no note's links or names changed); only the first call counts.
    pub fn give_links(&self, links: Arc<Links>) {
        debug_assert_eq!(links.digests.len(), self.contacts.len());
        let _ = self.mutual.set(links);
    }

    /// Gives every person their rendered index row; only the first call counts.
    /// (Shared: `watch` keeps them for its next pass, and updates them in place.)
    pub fn set_rows(&self, rows: Arc<Vec<Arc<str>>>) {
        debug_assert_eq!(rows.len(), self.contacts.len());
        let _ = self.rows.set(rows);
    }

    pub fn contact(&self, index: usize) -> &Contact {
        &self.contacts[index]
    }

    pub fn status(&self, index: usize) -> &Status {
        &self.statuses[index]
    }

    /// Contact `index` as a template value, with `more` fields (such as `reached`) on top.
    pub fn person(self: &Arc<Self>, index: usize, more: Vec<(&'static str, Value)>) -> Value {
        Value::from_object(PersonObject {
            roster: Arc::clone(self),
            index,
            more,
            looked_beyond: None,
            draft: std::sync::OnceLock::new(),
        })
    }

    /// [`Roster::person`], and a flag a template sets by reading a field that more than the
    /// person's own note and status decide (who links with them, the draft), or by listing
    /// them all: what was rendered from the value can be kept for as long as the note and
    /// the status stay the same only while the flag is down.
    pub fn person_watched(
        self: &Arc<Self>,
        index: usize,
    ) -> (Value, Arc<std::sync::atomic::AtomicBool>) {
        let flag = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let value = Value::from_object(PersonObject {
            roster: Arc::clone(self),
            index,
            more: Vec::new(),
            looked_beyond: Some(Arc::clone(&flag)),
            draft: std::sync::OnceLock::new(),
        });
        (value, flag)
    }

    /// What a wikilink must name to reach the note: its stem, or its path without `.md` when
    /// another note shares the stem.
    pub fn target(&self, index: usize) -> std::borrow::Cow<'_, str> {
        let c = &self.contacts[index];
        // A stem that a wikilink cannot hold is linked by its path (`escape::wikilink`).
        if self.shared_stems.contains(crate::names::keys(c).link())
            || c.stem.contains(['[', ']', '|', '#', '^'])
        {
            let path = slash_path(&c.path);
            std::borrow::Cow::Owned(path.strip_suffix(".md").unwrap_or(&path).to_owned())
        } else {
            std::borrow::Cow::Borrowed(&c.stem)
        }
    }

    /// One field of contact `index`: the one definition of what templates and JSON see.
    fn field(&self, index: usize, key: &str) -> Option<Value> {
        let c = &self.contacts[index];
        let s = &self.statuses[index];
        let text = |t: &Option<Box<str>>| t.as_deref().map_or(Value::from(()), Value::from);
        let date =
            |d: Option<NaiveDate>| d.map_or(Value::from(()), |d| Value::from(format_date(d)));
        Some(match key {
            "name" => Value::from(c.name.as_ref()),
            // What a greeting starts with: the first word of a spaced name, else the whole name.
            "first_name" => Value::from(first_name(&c.name)),
            "path" => Value::from(slash_path(&c.path)),
            "target" => Value::from(self.target(index).as_ref()),
            "aliases" => Value::from(c.aliases.clone()),
            "company" => text(&c.company),
            "role" => text(&c.role),
            "email" => text(&c.email),
            "linkedin" => text(&c.linkedin),
            // Link destinations, encoded so that the link ends where it should.
            // With the draft as the message, when there is one: one click to send.
            "mailto" => c.email.as_deref().map_or(Value::from(()), |e| {
                Value::from_safe_string(match self.draft(index) {
                    Some(d) => crate::escape::mailto_with(e, &d.subject, &d.text()),
                    None => crate::escape::mailto(e),
                })
            }),
            "linkedin_url" => c
                .linkedin
                .as_deref()
                .and_then(crate::escape::url)
                .map_or(Value::from(()), Value::from_safe_string),
            "context" => text(&c.context),
            "tags" => Value::from(c.tags.get()),
            "met" => date(c.met_date),
            // As the note gave it: `2019`, `March 2024`, or the day.
            "met_written" => c.met_date.map_or(Value::from(()), |date| {
                Value::from(
                    crate::model::date::WrittenDate {
                        date,
                        precision: c.met_precision,
                    }
                    .to_string(),
                )
            }),
            "last_outreach" => date(s.last_outreach),
            "last_reply" => date(s.last_reply),
            "last_together" => date(s.last_together),
            // The newest interaction of any kind: what the cadence counts from.
            "last_interaction" => date(s.last_interaction),
            // The newest Log entry: what you last noted.
            "last_note" => c.log.newest().map_or(Value::from(()), |e| {
                Value::from(Serde(LastNote {
                    date: format_date(e.date),
                    kind: e.kind,
                    text: &e.text,
                    summary: summary(&e.text),
                }))
            }),
            "recommended" => date(c.recommended),
            "snooze_until" => date(c.snooze_until),
            "cadence" => Value::from(c.cadence.unwrap_or(self.cadence).to_string()),
            "due" => date(s.due),
            "days_past_due" => Value::from(s.days_past_due),
            "active" => Value::from(s.active),
            "paused" => Value::from(s.paused),
            "snoozed" => Value::from(s.snoozed),
            "let_go" => Value::from(s.let_go),
            "in_touch" => Value::from(s.in_touch),
            "is_new" => Value::from(s.is_new),
            "is_loose" => Value::from(s.loose),
            // Outreaches since the last reply or time together, and the first of them.
            "unanswered" => Value::from(s.unanswered),
            "unanswered_since" => date(s.unanswered_since),
            "is_unanswered" => Value::from(s.is_unanswered),
            "mutual" => Value::from(
                self.mutual(index)
                    .iter()
                    .map(|&i| self.contacts[i].name.to_string())
                    .collect::<Vec<_>>(),
            ),
            "draft" => self.draft(index).map_or(Value::from(()), |d| {
                Value::from(Serde(DraftView {
                    text: d.text(),
                    draft: d,
                }))
            }),
            // Every other front-matter key, in the note's order.
            "extra" => Value::from(Serde(Extra(&c.extra.pairs()))),
            _ => return None,
        })
    }
}

/// `p | wikilink` when `p` is a person of a roster (as it is in every built-in template): the
/// link from the contact itself, without making template values of `p.target` and `p.name`
/// first, which was most of what a large index.md's rows cost. `None` for any other value, or
/// a person whose `target` or `name` a template view replaced.
pub fn person_wikilink(person: &Value, in_table: bool) -> Option<String> {
    let p = person.downcast_object_ref::<PersonObject>()?;
    if p.more
        .iter()
        .any(|(key, _)| matches!(*key, "target" | "name"))
    {
        return None;
    }
    let name = &p.roster.contacts[p.index].name;
    Some(crate::escape::wikilink(
        &p.roster.target(p.index),
        name,
        in_table,
    ))
}

/// A contact as a template value (see [`Roster::person`]).
#[derive(Debug)]
struct PersonObject {
    roster: Arc<Roster>,
    index: usize,
    more: Vec<(&'static str, Value)>,
    /// Set when a template read a field that depends on more than this person's note and
    /// status ([`BEYOND_THE_NOTE`]), or all of them: what it rendered cannot be kept until
    /// the note changes.
    looked_beyond: Option<Arc<std::sync::atomic::AtomicBool>>,
    /// `p.draft`, made once: today.md reads it five times a person.
    draft: std::sync::OnceLock<Value>,
}

/// The fields of a person that other notes or the user's news decide: who links with them,
/// and the draft (and the mail link that carries it).
const BEYOND_THE_NOTE: &[&str] = &["mutual", "draft", "mailto"];

impl PersonObject {
    fn looked_beyond(&self) {
        if let Some(flag) = &self.looked_beyond {
            flag.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

impl Object for PersonObject {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let key = key.as_str()?;
        if key == "row" {
            // Not a field of the person: index.md's rendering of them, where it was rendered.
            let row = self.roster.rows()?.get(self.index)?;
            return Some(Value::from_safe_string(row.to_string()));
        }
        if let Some((_, value)) = self.more.iter().find(|(k, _)| *k == key) {
            return Some(value.clone());
        }
        if BEYOND_THE_NOTE.contains(&key) {
            self.looked_beyond();
        }
        if key == "draft" {
            let draft = self
                .draft
                .get_or_init(|| self.roster.field(self.index, key).unwrap_or_default());
            return Some(draft.clone());
        }
        self.roster.field(self.index, key)
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        self.looked_beyond();
        let keys = PERSON_FIELDS
            .iter()
            .copied()
            .chain(self.more.iter().map(|(k, _)| *k));
        Enumerator::Values(keys.map(Value::from).collect())
    }
}

/// Everyone, in a given order, as a lazy sequence of people.
#[derive(Debug)]
struct PeopleSeq {
    roster: Arc<Roster>,
    order: Arc<[usize]>,
}

impl Object for PeopleSeq {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let index = *self.order.get(key.as_usize()?)?;
        Some(self.roster.person(index, Vec::new()))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.order.len())
    }
}

/// Everyone's index.md row ([`Roster::rows`]), one per line, in the given order: what a loop
/// over `people` printing `p.row` gives, written straight into the page without a template
/// step per person, which showed in the page's profile.
#[derive(Debug)]
struct Rows {
    roster: Arc<Roster>,
    order: Arc<[usize]>,
}

impl Object for Rows {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn is_true(self: &Arc<Self>) -> bool {
        !self.order.is_empty() && self.roster.rows().is_some()
    }

    fn render(self: &Arc<Self>, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Some(rows) = self.roster.rows() else {
            return Ok(());
        };
        join_rows(f, rows, &self.order)
    }
}

/// Writes the `rows` of the people at `order`, one per line: index.md's table.
pub fn join_rows(
    out: &mut impl std::fmt::Write,
    rows: &[Arc<str>],
    order: &[usize],
) -> std::fmt::Result {
    for (n, &index) in order.iter().enumerate() {
        if n > 0 {
            out.write_str("\n")?;
        }
        out.write_str(&rows[index])?;
    }
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
pub struct LastNote<'a> {
    pub date: String,
    pub kind: LogKind,
    /// The entry's text as written: `replied — yes to coffee`.
    pub text: &'a str,
    /// The text without its leading `replied` / `reached out` and separator: `yes to coffee`.
    pub summary: &'a str,
}

/// `replied — yes to coffee` → `yes to coffee`; other text is kept.
fn summary(text: &str) -> &str {
    let lower = text.to_lowercase();
    for verb in ["replied", "reached out"] {
        if lower.starts_with(verb) && text.is_char_boundary(verb.len()) {
            return text[verb.len()..].trim_start_matches([' ', '—', '–', '-', ':', ',']);
        }
    }
    text
}

/// The note's other keys, serialised as a map in their original order.
#[derive(Debug, Clone)]
pub struct Extra<'a>(&'a [(String, yaml_serde::Value)]);

impl Serialize for Extra<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// A draft as templates and JSON see it: its parts, and the whole text (what `p.mailto`
/// puts in the message).
#[derive(Debug, Serialize)]
struct DraftView {
    #[serde(flatten)]
    draft: crate::draft::Draft,
    text: String,
}

fn links_of(contact: &Contact) -> &[u64] {
    contact.body.links()
}

/// The hasher of keys that are hashes already: each is its own hash. Hashing them again
/// was most of the time of finding a vault's 200,000 links.
#[derive(Default)]
struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// What the graph of links takes from a contact: its links and its `keys`. They are hashes
/// already, so they are folded into one by a multiply-rotate mix: a hasher fed 8 bytes at a
/// time cost a tenth of a cached render.
fn digest(contact: &Contact, keys: &[u64; 3]) -> u64 {
    keys.iter()
        .chain(links_of(contact))
        .fold(0x243f_6a88_85a3_08d3, |h, &word| {
            (h ^ word)
                .wrapping_mul(0x9e37_79b9_7f4a_7c15)
                .rotate_left(29)
        })
}

/// Each contact's stem, name and path keys, hashed as links are kept (a link names a note
/// by any of them, case and accents aside).
fn key_hashes(contacts: &[Contact]) -> Vec<[u64; 3]> {
    contacts.par_iter().map(keys_hashed).collect()
}

fn keys_hashed(contact: &Contact) -> [u64; 3] {
    let k = crate::names::keys(contact);
    [k.stem(), k.name(), k.path()].map(|key| xxhash_rust::xxh3::xxh3_64(key.as_bytes()))
}

/// Who links with whom, either way: links name a note by file stem, path without `.md`, or
/// name, case and accents aside. Kept as one list of everyone's links (compressed rows), so
/// that a vault's 200,000 links cost no vector a note. `render` keeps it between runs
/// with index.md's rows ([`crate::watch::Memo::write_rows_file`]).
#[derive(Debug, Serialize, serde::Deserialize)]
pub struct Links {
    /// Contact `i`'s links are `ends[starts[i]..starts[i + 1]]`, both directions, with
    /// repeats.
    starts: Vec<u32>,
    ends: Vec<u32>,
    /// By contact: a hash of its links and the keys it is linked by, all the graph takes
    /// from it ([`Links::same_for`]).
    digests: Vec<u64>,
}

impl Links {
    pub fn new(contacts: &[Contact]) -> Links {
        Links::with_keys(contacts, &key_hashes(contacts))
    }

    /// [`Links::new`], with the contacts' keys hashed already ([`key_hashes`]).
    fn with_keys(contacts: &[Contact], keyed: &[[u64; 3]]) -> Links {
        let started = std::time::Instant::now();
        // A link names the first note, in path order, with a key of its hash. A collision of
        // 64-bit hashes could at worst add a name to a hint.
        let mut by_key: HashMap<u64, u32, std::hash::BuildHasherDefault<Prehashed>> =
            HashMap::with_capacity_and_hasher(
                contacts.len() * 3,
                std::hash::BuildHasherDefault::default(),
            );
        for (i, keys) in (0u32..).zip(keyed) {
            for &key in keys {
                by_key.entry(key).or_insert(i);
            }
        }
        let edges: Vec<(u32, u32)> = contacts
            .par_iter()
            .enumerate()
            .flat_map_iter(|(from, c)| {
                #[allow(
                    clippy::cast_possible_truncation,
                    reason = "a vault has fewer than 4 billion notes"
                )]
                let from = from as u32;
                let by_key = &by_key;
                links_of(c)
                    .iter()
                    .filter_map(move |link| by_key.get(link).copied())
                    .filter(move |&to| to != from)
                    .map(move |to| (from, to))
            })
            .collect();
        let digests = (contacts.par_iter().zip(keyed))
            .map(|(c, keys)| digest(c, keys))
            .collect();
        let mut starts = vec![0u32; contacts.len() + 1];
        for &(from, to) in &edges {
            starts[from as usize + 1] += 1;
            starts[to as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut filled = starts.clone();
        let mut ends = vec![0u32; starts[contacts.len()] as usize];
        for &(from, to) in &edges {
            for (at, other) in [(from, to), (to, from)] {
                let slot = &mut filled[at as usize];
                ends[*slot as usize] = other;
                *slot += 1;
            }
        }
        tracing::debug!("found who links to whom in {:.0?}", started.elapsed());
        Links {
            starts,
            ends,
            digests,
        }
    }

    /// Whether the graph built for contacts of which `contact` was the one at `index` is
    /// the same with `contact` there now: it links to the same names and is named by the
    /// same keys.
    pub fn same_for(&self, index: usize, contact: &Contact) -> bool {
        self.digests.get(index) == Some(&digest(contact, &keys_hashed(contact)))
    }

    pub fn len(&self) -> usize {
        self.digests.len()
    }

    /// Whether the graph is of a shape [`Links::of`] can read: one start a contact and
    /// one past the end, in order, ending at the list's end, every end a contact. A graph
    /// read from a file that is not (no build of ours writes one) is built again.
    pub fn is_whole(&self) -> bool {
        self.starts.len() == self.digests.len() + 1
            && self.starts.first() == Some(&0)
            && self.starts.windows(2).all(|w| w[0] <= w[1])
            && self.starts.last().map(|&end| end as usize) == Some(self.ends.len())
            && self
                .ends
                .iter()
                .all(|&end| (end as usize) < self.digests.len())
    }

    pub fn is_empty(&self) -> bool {
        self.digests.is_empty()
    }

    /// The people contact `index` links with, either way, each once, in index order.
    pub fn of(&self, index: usize) -> Vec<usize> {
        let (Some(&start), Some(&end)) = (self.starts.get(index), self.starts.get(index + 1))
        else {
            return Vec::new();
        };
        let mut people: Vec<usize> = self.ends[start as usize..end as usize]
            .iter()
            .map(|&i| i as usize)
            .collect();
        people.sort_unstable();
        people.dedup();
        people
    }
}

/// What [`Links::of`] gives for contact `index`, found without the graph: one read of
/// everyone's keys for the notes its links name, and one of everyone's links for those
/// that name it.
fn linked_with(contacts: &[Contact], keyed: &[[u64; 3]], index: usize) -> Vec<usize> {
    // A link names the first note, in path order, with a key of its hash: `index`'s own
    // keys name it only where no note before it has them, and each of its links the first
    // note with that key.
    let mut mine = keyed[index].to_vec();
    let mut links = links_of(&contacts[index]).to_vec();
    links.sort_unstable();
    links.dedup();
    let mut named = vec![false; links.len()];
    let mut people = Vec::new();
    for (i, keys) in keyed.iter().enumerate() {
        if i < index {
            mine.retain(|key| !keys.contains(key));
        }
        for key in keys {
            if let Ok(at) = links.binary_search(key)
                && !std::mem::replace(&mut named[at], true)
                && i != index
            {
                people.push(i);
            }
        }
    }
    if !mine.is_empty() {
        people.par_extend(
            contacts
                .par_iter()
                .enumerate()
                .filter(|&(from, c)| {
                    from != index && links_of(c).iter().any(|link| mine.contains(link))
                })
                .map(|(from, _)| from),
        );
    }
    people.sort_unstable();
    people.dedup();
    people
}

fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

/// Why someone is a candidate to let go, in words: `2 messages since June 2025, no answer`.
pub fn unanswered_why(status: &Status) -> String {
    let since = status
        .unanswered_since
        .map(|d| format!(" since {}", d.format("%B %Y")))
        .unwrap_or_default();
    let n = status.unanswered;
    format!(
        "{n} {}{since}, no answer",
        if n == 1 { "message" } else { "messages" }
    )
}

/// The counts both notes show.
#[derive(Debug, Clone, Serialize)]
pub struct StatsView {
    pub contacts: usize,
    pub active: usize,
    pub paused: usize,
    pub snoozed: usize,
    /// People let go (`let-go`), the prune rule followed.
    pub let_go: usize,
    /// People you have met who answered or spent time with you in the past year: the depth
    /// of the network, beside its size.
    pub both_ways: usize,
    pub in_touch: usize,
    /// Whole percent, see [`coverage_percent`].
    pub coverage: u32,
    pub due: usize,
    pub new: usize,
    pub loose: usize,
    pub unanswered: usize,
    pub recommendations: usize,
    pub reached_today: usize,
    /// Notes with errors: not read, or not fully.
    pub problems: usize,
    /// Duplicate names, sync twins: worth a look, listed by `check`.
    pub warnings: usize,
}

/// Coverage as the nearest whole percent (5 of 14 is 36%), except that only everyone is
/// 100% and only no one is 0%: 99.6% shows as 99%, 0.3% as 1%.
pub fn coverage_percent(stats: &crate::schedule::Stats) -> u32 {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a percentage in 0..=100"
    )]
    let percent = (stats.coverage * 100.0).round() as u32;
    if stats.in_touch < stats.active {
        percent.clamp(u32::from(stats.in_touch > 0), 99)
    } else {
        percent
    }
}

fn stats(vault: &Vault, schedule: &Schedule) -> StatsView {
    let st = &schedule.stats;
    let (problems, warnings) = vault.counts();
    StatsView {
        contacts: st.contacts,
        active: st.active,
        paused: st.paused,
        snoozed: st.snoozed,
        let_go: st.let_go,
        both_ways: st.both_ways,
        in_touch: st.in_touch,
        coverage: coverage_percent(st),
        due: st.due,
        new: st.new,
        loose: st.loose,
        unanswered: st.unanswered,
        recommendations: st.recommendations,
        reached_today: st.reached_today,
        problems,
        warnings,
    }
}

/// Everything `today.md` shows.
#[derive(Debug, Clone, Serialize)]
pub struct TodayView {
    pub date: String,
    pub is_workday: bool,
    pub next_workday: String,
    pub quota: usize,
    /// The quota of a workday, also on days off (for "at 4 a workday…").
    pub daily: usize,
    /// The index note's wikilink target.
    pub index_note: String,
    /// People, each with `reached` (ticked today).
    pub picks: Vec<Value>,
    /// Picks not yet ticked.
    pub open: usize,
    /// Loose links to place today (when and how did you meet?), outside the quota.
    pub to_place: Vec<Value>,
    /// People, each with `date`, `in_days` and `turns` (their age that day, when known).
    pub birthdays: Vec<Value>,
    pub stats: StatsView,
    pub caught_up_on: Option<String>,
    /// The user's news that every draft carries (`.vault-reach/update.md`).
    pub update: Option<String>,
}

pub fn today_view(
    vault: &Vault,
    roster: &Arc<Roster>,
    schedule: &Schedule,
    settings: &Settings,
) -> TodayView {
    let picks: Vec<Value> = schedule
        .picks
        .iter()
        .map(|p| roster.person(p.contact, vec![("reached", Value::from(p.reached_today))]))
        .collect();
    TodayView {
        date: format_date(schedule.today),
        is_workday: schedule.is_workday,
        next_workday: format_date(schedule.next_workday),
        quota: schedule.quota,
        daily: workday_quota(schedule, settings),
        index_note: settings
            .index_note
            .strip_suffix(".md")
            .unwrap_or(&settings.index_note)
            .to_owned(),
        open: schedule.picks.iter().filter(|p| !p.reached_today).count(),
        picks,
        to_place: schedule
            .to_place
            .iter()
            .map(|p| roster.person(p.contact, Vec::new()))
            .collect(),
        birthdays: birthdays(roster, schedule),
        stats: stats(vault, schedule),
        caught_up_on: schedule.caught_up_on.map(format_date),
        update: roster.update.clone(),
    }
}

fn workday_quota(schedule: &Schedule, settings: &Settings) -> usize {
    crate::schedule::workday_quota(schedule.stats.active, settings, schedule.today)
}

fn birthdays(roster: &Arc<Roster>, schedule: &Schedule) -> Vec<Value> {
    schedule
        .birthdays
        .iter()
        .map(|b| {
            roster.person(
                b.contact,
                vec![
                    ("date", Value::from(format_date(b.date))),
                    ("in_days", Value::from((b.date - schedule.today).num_days())),
                    ("turns", b.turns.map_or(Value::from(()), Value::from)),
                ],
            )
        })
        .collect()
}

/// Problems as a lazy sequence: each becomes a template value only when a loop reaches it
/// (a 30,000-note vault has thousands of errors, and `watch` builds this after every edit).
#[derive(Debug)]
struct Problems(Vec<Arc<crate::error::Problem>>);

impl Object for Problems {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let problem = self.0.get(key.as_usize()?)?;
        Some(Value::from_object(ProblemObject(Arc::clone(problem))))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0.len())
    }
}

/// One problem as a template value: `location` (`path:line:col`), `path`, `severity`
/// (`error` or `warning`) and `message`.
#[derive(Debug)]
struct ProblemObject(Arc<crate::error::Problem>);

impl Object for ProblemObject {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let problem = &self.0;
        Some(match key.as_str()? {
            "location" => Value::from(problem.at.to_string()),
            "path" => Value::from(problem.at.display_path()),
            "severity" => Value::from(match problem.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            }),
            // Our words with the note's values in backticks, as Markdown.
            "message" => {
                Value::from_safe_string(crate::escape::markdown_with_code(&problem.message()))
            }
            _ => return None,
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&["location", "path", "severity", "message"])
    }
}

/// How many loose links and unanswered people index.md lists; beyond that it says how many
/// more there are. A note of 10,000 names is read by nobody, and `check` lists them all.
pub const LIST_LIMIT: usize = 100;

/// Everything `index.md` shows.
#[derive(Debug, Clone, Serialize)]
pub struct IndexView<'a> {
    pub date: String,
    pub quota: usize,
    pub daily: usize,
    pub cadence: String,
    pub prune_after: u32,
    /// Days a message is given to be answered before it counts as unanswered.
    pub grace_days: u32,
    pub stats: StatsView,
    pub caught_up_on: Option<String>,
    /// Everyone, by name (a lazy sequence: 30,000 people cost only the fields used).
    pub people: Value,
    /// Everyone's `index-row.md`, by name, one per line (empty unless index.md mentions `row`).
    pub rows: Value,
    /// Loose links, most recently contacted first, at most [`LIST_LIMIT`].
    pub loose: Vec<Value>,
    /// How many more loose links `check` lists.
    pub loose_more: usize,
    /// Candidates to let go, most unanswered outreaches first, at most [`LIST_LIMIT`].
    pub unanswered: Vec<Value>,
    pub unanswered_more: usize,
    pub birthdays: Vec<Value>,
    /// The errors (warnings are only counted: a large vault has many people who share a name).
    pub problems: Value,
    /// Ticks in today.md that were not recorded (a name no note has, an undated page): an
    /// outreach the user made and the vault does not know yet.
    pub unrecorded: Value,
    /// How many active contacts fall due in each of the coming months, for the chart.
    pub due_by_month: Vec<MonthCount>,
    /// Invitations you sent without a personal message (the second rule, measured).
    pub invitations: Vec<InvitationView<'a>>,
    /// The people most worth a recommendation (met two years ago or more, in touch both ways,
    /// never recommended), most replies and times together first, at most [`RECOMMEND_LIMIT`].
    pub worth_recommending: Vec<Value>,
    pub worth_recommending_more: usize,
}

/// How many people index.md names as worth a recommendation: a short list to act on.
pub const RECOMMEND_LIMIT: usize = 5;

/// An invitation sent without a personal message, and the invitee's note if they have one.
#[derive(Debug, Clone, Serialize)]
pub struct InvitationView<'a> {
    pub to: &'a str,
    pub profile_url: Option<&'a str>,
    pub sent: Option<String>,
    /// The invitee's note, when they have one.
    pub person: Option<Value>,
    /// That note's vault path.
    #[serde(skip)]
    pub path: Option<String>,
}

/// The `limit` contacts with the smallest keys, in key order, and how many more there are.
/// A bounded heap of the best so far: a 30,000-note vault has ~12,000 loose links and
/// ~28,000 unanswered people, and `watch` asks on every pass. Keys must be distinct (they end
/// with the name rank).
fn first_by<K: Ord + Copy>(
    candidates: impl Iterator<Item = (K, usize)>,
    limit: usize,
) -> (Vec<usize>, usize) {
    let mut best: std::collections::BinaryHeap<(K, usize)> =
        std::collections::BinaryHeap::with_capacity(limit + 1);
    let mut seen = 0usize;
    for candidate in candidates {
        seen += 1;
        if best.len() < limit {
            best.push(candidate);
        } else if let Some(mut worst) = best.peek_mut()
            && candidate.0 < worst.0
        {
            *worst = candidate;
        }
    }
    let mut best = best.into_vec();
    best.sort_unstable_by_key(|&(key, _)| key);
    (
        best.into_iter().map(|(_, i)| i).collect(),
        seen.saturating_sub(limit),
    )
}

/// The saved invitations, each with the invitee's note: same profile URL, else one note of
/// that name (an ambiguous name links to no one rather than to the wrong person).
pub fn invitations<'a>(
    vault: &Vault,
    invitations: &'a [Invitation],
    roster: &Arc<Roster>,
) -> Vec<InvitationView<'a>> {
    if invitations.is_empty() {
        return Vec::new();
    }
    let by_url: HashMap<String, usize> = vault
        .contacts
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((crate::names::url_key(c.linkedin.as_deref()?), i)))
        .collect();
    let names: Vec<&str> = invitations.iter().map(|inv| inv.to.as_str()).collect();
    let found = vault.lookup(&names);
    invitations
        .iter()
        .zip(found)
        .map(|(inv, found)| {
            let note = inv
                .profile_url
                .as_deref()
                .and_then(|u| by_url.get(&crate::names::url_key(u)).copied())
                .or_else(|| found.one());
            InvitationView {
                to: &inv.to,
                profile_url: inv.profile_url.as_deref(),
                sent: inv.sent.map(format_date),
                person: note.map(|i| roster.person(i, Vec::new())),
                path: note.map(|i| slash_path(&vault.contacts[i].path)),
            }
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthCount {
    /// `2026-11`.
    pub month: String,
    /// `Nov`.
    pub label: String,
    pub count: usize,
}

pub fn index_view<'a>(
    vault: &'a Vault,
    roster: &Arc<Roster>,
    schedule: &Schedule,
    settings: &Settings,
    invitations: &'a [Invitation],
    unrecorded: &[crate::error::Problem],
) -> IndexView<'a> {
    let contacts = &vault.contacts;
    // Ties go by name: each contact's place in the name order.
    let mut rank = vec![0; contacts.len()];
    for (place, &i) in vault.by_name().iter().enumerate() {
        rank[i] = place;
    }
    let by_name: Arc<[usize]> = Arc::from(vault.by_name());
    // The people you are in touch with lately come first: their context is freshest in mind.
    let (loose, loose_more) = first_by(
        schedule
            .statuses
            .iter()
            .enumerate()
            .filter(|(_, s)| s.loose)
            .map(|(i, s)| ((std::cmp::Reverse(s.last_outreach), rank[i]), i)),
        LIST_LIMIT,
    );
    let (worth, worth_recommending_more) = first_by(
        schedule
            .statuses
            .iter()
            .enumerate()
            .filter(|(_, s)| s.active && s.worth_recommending)
            .map(|(i, s)| ((std::cmp::Reverse(s.two_way), rank[i]), i)),
        RECOMMEND_LIMIT,
    );
    let worth_recommending = worth
        .into_iter()
        .map(|i| roster.person(i, Vec::new()))
        .collect();
    let (unanswered, unanswered_more) = first_by(
        schedule
            .statuses
            .iter()
            .enumerate()
            .filter(|(_, s)| s.is_unanswered)
            .map(|(i, s)| ((std::cmp::Reverse(s.unanswered), rank[i]), i)),
        LIST_LIMIT,
    );
    IndexView {
        date: format_date(schedule.today),
        quota: schedule.quota,
        daily: workday_quota(schedule, settings),
        cadence: settings.cadence.to_string(),
        prune_after: settings.prune_after,
        grace_days: settings.grace_days,
        stats: stats(vault, schedule),
        caught_up_on: schedule.caught_up_on.map(format_date),
        loose: loose
            .into_iter()
            .map(|i| roster.person(i, Vec::new()))
            .collect(),
        loose_more,
        unanswered: unanswered
            .into_iter()
            .map(|i| roster.person(i, Vec::new()))
            .collect(),
        unanswered_more,
        birthdays: birthdays(roster, schedule),
        problems: Value::from_object(Problems(
            vault
                .problems
                .iter()
                .filter(|p| p.severity == Severity::Error)
                .cloned()
                .collect(),
        )),
        unrecorded: Value::from_object(Problems(
            unrecorded.iter().cloned().map(Arc::new).collect(),
        )),
        due_by_month: due_by_month(schedule),
        invitations: self::invitations(vault, invitations, roster),
        people: Value::from_object(PeopleSeq {
            roster: Arc::clone(roster),
            order: Arc::clone(&by_name),
        }),
        rows: Value::from_object(Rows {
            roster: Arc::clone(roster),
            order: by_name,
        }),
        worth_recommending,
        worth_recommending_more,
    }
}

/// Counts of active contacts by the month they fall due, from this month (which includes
/// everyone already due) over the next six.
fn due_by_month(schedule: &Schedule) -> Vec<MonthCount> {
    use chrono::Datelike;
    let start = schedule.today.with_day(1).unwrap_or(schedule.today);
    let months: Vec<NaiveDate> = (0..6)
        .filter_map(|n| start.checked_add_months(chrono::Months::new(n)))
        .collect();
    let mut counts: HashMap<NaiveDate, usize> = HashMap::new();
    // The pledge's people: loose links are a decision, not a due date.
    for status in schedule.statuses.iter().filter(|s| s.in_pledge) {
        let Some(due) = status.due else { continue };
        let month = due.with_day(1).unwrap_or(due).max(start);
        *counts.entry(month).or_default() += 1;
    }
    months
        .into_iter()
        .map(|m| MonthCount {
            month: m.format("%Y-%m").to_string(),
            label: m.format("%b").to_string(),
            count: counts.get(&m).copied().unwrap_or(0),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn the_first_of_a_list_are_those_a_full_sort_puts_first(
            keys in proptest::collection::vec(0u8..20, 0..400),
            limit in proptest::sample::select(vec![0, 1, 5, LIST_LIMIT]),
        ) {
            // (key, rank) pairs as index_view makes them: the rank makes every key distinct.
            let candidates = || keys.iter().enumerate().map(|(rank, &k)| ((k, rank), rank * 3));
            let mut sorted: Vec<((u8, usize), usize)> = candidates().collect();
            sorted.sort_by_key(|&(key, _)| key);
            let expected: Vec<usize> = sorted.iter().take(limit).map(|&(_, i)| i).collect();
            let (first, more) = first_by(candidates(), limit);
            proptest::prop_assert_eq!(first, expected);
            proptest::prop_assert_eq!(more, keys.len().saturating_sub(limit));
        }
    }

    proptest::proptest! {
        /// The graph of links, and a question about one person without it, hold who links
        /// with whom as the rule says it: names shared by several notes, links to nobody,
        /// to oneself and both ways included.
        #[test]
        fn mutual_connections_are_who_links_with_whom_either_way(
            people in proptest::collection::vec(
                (0u8..6, proptest::collection::vec(0u8..8, 0..4)),
                1..12,
            ),
        ) {
            let names = ["Ada", "Bo", "Cy", "Dee", "Eve", "Fay", "Gus", "Hal"];
            let contacts: Vec<Contact> = people
                .iter()
                .enumerate()
                .map(|(i, (name, links))| {
                    let name = names[usize::from(*name)];
                    let mut c = Contact {
                        path: format!("People/{i} {name}.md").into(),
                        name: name.into(),
                        stem: format!("{i} {name}").into(),
                        ..Contact::default()
                    };
                    c.keys = crate::names::name_keys(&c);
                    let links = links
                        .iter()
                        .map(|&l| crate::note::body::link_key(names[usize::from(l)]))
                        .collect::<Vec<u64>>();
                    c.body = crate::model::BodyFacts::new(&crate::model::Words::default(), &links);
                    c
                })
                .collect();
            // Said plainly: a link names the first note with a key of its hash, and two
            // people are mutual when either links to the other.
            let keyed = key_hashes(&contacts);
            let named = |link: u64| keyed.iter().position(|keys| keys.contains(&link));
            let links_to = |from: usize, to: usize| {
                from != to && links_of(&contacts[from]).iter().any(|&l| named(l) == Some(to))
            };
            let graph = Links::new(&contacts);
            for index in 0..contacts.len() {
                let expected: Vec<usize> = (0..contacts.len())
                    .filter(|&other| links_to(index, other) || links_to(other, index))
                    .collect();
                proptest::prop_assert_eq!(graph.of(index), expected.clone());
                proptest::prop_assert_eq!(linked_with(&contacts, &keyed, index), expected);
            }
        }
    }

    #[test]
    fn a_roster_answers_alone_for_a_few_people_and_from_the_graph_for_the_rest() {
        // Forty people in a ring, each linking to the next two by name; one name twice.
        let names: Vec<String> = (0..40)
            .map(|i| {
                if i == 39 {
                    "Person 3".into()
                } else {
                    format!("Person {i}")
                }
            })
            .collect();
        let mut vault = crate::vault::Vault::default();
        for (i, name) in names.iter().enumerate() {
            let rel = format!("People/{i:02}.md");
            let text = format!(
                "---\nname: {name}\nmet-date: 2025-01-02\ncontext: a test\n---\n\
                 Knows [[{}]] and [[{}]].\n",
                names[(i + 1) % 40],
                names[(i + 2) % 40],
            );
            let read = crate::note::parse_note(std::path::Path::new(&rel), &text, true);
            vault.update(
                std::path::Path::new(&rel),
                crate::vault::NoteRead::Parsed(read),
            );
        }
        vault.refresh();
        let settings = Settings::default();
        let today = "2026-03-02".parse().unwrap();
        let schedule = crate::schedule::schedule(&vault.contacts, &settings, today);
        let roster = Roster::new(&vault, &schedule, &settings);
        let graph = Links::new(&vault.contacts);
        for index in 0..40 {
            let mut expected = graph.of(index);
            expected.sort_by_cached_key(|&i| (vault.contacts[i].name.to_lowercase(), i));
            assert_eq!(roster.mutual(index), expected, "person {index}");
            // Those asked about first are answered alone; past them, from the graph.
            assert_eq!(roster.mutual.get().is_some(), index >= ASKED_ALONE);
        }
        // The name two notes share names the first of them: person 37's link to
        // "Person 3" is to note 03, not to note 39.
        assert_eq!(roster.mutual(37), [3, 35, 36, 38]);
    }

    #[test]
    fn summaries_drop_the_verb_that_the_template_says_itself() {
        assert_eq!(summary("replied — yes to coffee"), "yes to coffee");
        assert_eq!(summary("Reached out: sent the recap"), "sent the recap");
        assert_eq!(summary("reached out"), "");
        assert_eq!(summary("wrote a recommendation"), "wrote a recommendation");
    }

    /// Issue 13: 5 of 14 is 36%, not 35%; only everyone is 100% and only no one 0%.
    #[test]
    fn coverage_rounds_to_the_nearest_percent_short_of_the_ends() {
        let stats = |in_touch: usize, active: usize| crate::schedule::Stats {
            contacts: active,
            active,
            in_touch,
            coverage: if active == 0 {
                1.0
            } else {
                f64::from(u32::try_from(in_touch).unwrap())
                    / f64::from(u32::try_from(active).unwrap())
            },
            ..crate::schedule::Stats::default()
        };
        for (in_touch, active, percent) in [
            (5, 14, 36),
            (1, 3, 33),
            (2, 3, 67),
            (995, 1000, 99),
            (1, 1000, 1),
            (0, 9, 0),
            (9, 9, 100),
            (0, 0, 100),
        ] {
            assert_eq!(
                coverage_percent(&stats(in_touch, active)),
                percent,
                "{in_touch}/{active}"
            );
        }
    }

    #[test]
    fn first_names_are_the_first_word_or_the_whole_name() {
        assert_eq!(first_name("Ada Lovelace"), "Ada");
        assert_eq!(first_name("王伟"), "王伟");
        assert_eq!(first_name("Bob (plumber)"), "Bob");
    }
}
