//! The contact: what one note says about one person, as typed values.
//!
//! Parsed once at the edge (`note`), then trusted everywhere else.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::{Birthday, Cadence, LogEntry, LogKind};

/// One contact note, read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contact {
    /// Vault-relative path of the note.
    pub path: PathBuf,
    /// The `name` key, else the file stem.
    pub name: String,
    /// The file stem (what a plain `[[wikilink]]` names).
    pub stem: String,
    pub aliases: Vec<String>,
    pub met_date: Option<NaiveDate>,
    pub context: Option<String>,
    /// The `last-touch` key (or its alias); see [`Contact::last_outreach`] for the effective date.
    pub last_touch: Option<NaiveDate>,
    pub last_reply: Option<NaiveDate>,
    pub cadence: Option<Cadence>,
    pub snooze_until: Option<NaiveDate>,
    pub recommended: Option<NaiveDate>,
    pub birthday: Option<Birthday>,
    pub email: Option<String>,
    pub linkedin: Option<String>,
    pub company: Option<String>,
    pub role: Option<String>,
    pub tags: Vec<String>,
    /// Dated entries of the `## Log` section, in the order they appear in the note; once
    /// [`Contact::compact`]ed, only the newest (see [`Contact::logged`]).
    pub log: Vec<LogEntry>,
    /// The date and kind of every Log entry, once the contact is compacted: a vault in memory
    /// needs no more of most entries. Empty otherwise, `log` then holding them all.
    pub compacted_log: Box<[(NaiveDate, LogKind)]>,
    /// Which spelling the note uses for each key we may write (`lastContact`, `last_contact`…).
    pub spellings: Spellings,
    /// The normalised spellings that name this contact, computed once when the note is read
    /// (in parallel) rather than on every lookup.
    pub keys: NameKeys,
    /// Every front-matter key that is not one of the typed ones above, in the note's order.
    pub extra: Vec<(String, yaml_serde::Value)>,
    /// Which read of the note this is: unique within the process for every read from disk
    /// ([`crate::vault::read_note`]), 0 for contacts made otherwise. What was rendered from a
    /// contact can be reused while its revision is the same.
    pub revision: u64,
}

/// The key spellings a note already uses, so write-back keeps a `lastContact` vault a
/// `lastContact` vault. `None` means the note does not have the key (write the canonical name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spellings {
    pub last_touch: Option<String>,
    pub last_reply: Option<String>,
    pub recommended: Option<String>,
}

/// Each way to name a contact, normalised (`names::name_keys` computes them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameKeys {
    /// The vault path without `.md`.
    pub path: String,
    pub stem: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// The file stem as Obsidian compares link targets (NFC, lowercase): see
    /// `names::stem_key`.
    pub link: String,
}

impl Contact {
    /// A contact with only a name, for tests and for notes in `people` folders.
    pub fn named(name: &str) -> Self {
        Contact {
            path: PathBuf::from(format!("{name}.md")),
            name: name.to_owned(),
            stem: name.to_owned(),
            ..Contact::default()
        }
    }

    /// The date and kind of every Log entry, in the note's order, compacted or not.
    pub fn logged(&self) -> impl Iterator<Item = (NaiveDate, LogKind)> + '_ {
        let whole = self.compacted_log.is_empty();
        let entries = self.log.iter().filter(move |_| whole);
        entries
            .map(|e| (e.date, e.kind))
            .chain(self.compacted_log.iter().copied())
    }

    /// The later of `last-touch` and the newest outreach in the Log.
    pub fn last_outreach(&self) -> Option<NaiveDate> {
        let logged = self
            .logged()
            .filter(|&(_, kind)| kind == LogKind::Outreach)
            .map(|(date, _)| date)
            .max();
        self.last_touch.max(logged)
    }

    /// The later of `last-reply` and the newest reply in the Log.
    pub fn last_replied(&self) -> Option<NaiveDate> {
        let logged = self
            .logged()
            .filter(|&(_, kind)| kind == LogKind::Reply)
            .map(|(date, _)| date)
            .max();
        self.last_reply.max(logged)
    }

    /// Drops what a vault held in memory never reads: every Log entry but the newest, whose
    /// dates and kinds stay in [`Contact::logged`] for scheduling and the unanswered count
    /// (8 bytes an entry rather than 40 and its text). Edits re-read the note itself, so
    /// nothing that writes depends on what is dropped.
    pub fn compact(&mut self) {
        if self.log.len() > 1 {
            self.compacted_log = self.logged().collect();
            let newest = self
                .log
                .iter()
                .enumerate()
                .max_by_key(|(_, e)| (e.date, e.line))
                .map(|(i, _)| i);
            self.log = newest
                .map(|i| self.log.swap_remove(i))
                .into_iter()
                .collect();
        }
        // Grown one key at a time while parsing: most notes have one or two keys of their own
        // in a Vec with room for four, 96 bytes each.
        self.extra.shrink_to_fit();
    }

    /// The newest Log entry of any kind: what the user last noted about this person.
    pub fn last_entry(&self) -> Option<&LogEntry> {
        // `max_by_key` keeps the last of equal dates, which is the later line of the note.
        self.log.iter().max_by_key(|e| (e.date, e.line))
    }

    /// True when the note lacks `met-date` or `context`: the first rule is not yet honoured.
    pub fn is_loose(&self) -> bool {
        self.met_date.is_none() || self.context.as_deref().is_none_or(|c| c.trim().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn compacting_keeps_dates_kinds_and_the_newest_text() {
        let mut ada = Contact::named("Ada");
        for (day, kind, text, line) in [
            ("2026-01-01", LogKind::Outreach, "first", 9),
            ("2026-03-01", LogKind::Reply, "newest", 11),
            ("2026-02-01", LogKind::Outreach, "middle", 10),
        ] {
            ada.log.push(LogEntry {
                date: date(day),
                kind,
                text: text.into(),
                line,
            });
        }
        let (outreach, reply) = (ada.last_outreach(), ada.last_replied());
        let logged: Vec<_> = ada.logged().collect();
        let settings = crate::config::Settings::default();
        let status = crate::schedule::status(&ada, &settings, date("2026-03-02"));
        ada.compact();
        assert_eq!((ada.last_outreach(), ada.last_replied()), (outreach, reply));
        assert_eq!(ada.logged().collect::<Vec<_>>(), logged);
        assert_eq!(
            crate::schedule::status(&ada, &settings, date("2026-03-02")),
            status
        );
        assert_eq!(ada.last_entry().map(|e| e.text.as_str()), Some("newest"));
        assert_eq!(ada.log.len(), 1);
    }

    #[test]
    fn the_log_counts_when_it_is_newer_than_the_key() {
        let mut ada = Contact::named("Ada");
        ada.last_touch = Some(date("2026-01-01"));
        ada.log.push(LogEntry {
            date: date("2026-02-01"),
            kind: LogKind::Outreach,
            text: String::new(),
            line: 9,
        });
        ada.log.push(LogEntry {
            date: date("2026-03-01"),
            kind: LogKind::Reply,
            text: String::new(),
            line: 10,
        });
        assert_eq!(ada.last_outreach(), Some(date("2026-02-01")));
        assert_eq!(ada.last_replied(), Some(date("2026-03-01")));
    }
}
