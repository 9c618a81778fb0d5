//! What happened between you and a person: the Log's typed entries, and invitations sent.

use chrono::NaiveDate;

/// A dated item of the `## Log` section.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LogEntry {
    #[serde(with = "super::date::days")]
    pub date: NaiveDate,
    pub kind: LogKind,
    /// The item's text after the date and its separator, trimmed (first line only).
    pub text: String,
    /// Note line of the item (1-based).
    pub line: usize,
}

/// A note's Log as the vault keeps it: the date and kind of every entry, in the note's
/// order, and the newest entry whole. A vault in memory needs no more of most entries (8
/// bytes an entry rather than 40 and its text); whoever needs every text (recording an
/// outreach) reads the note's text again with `note::log_entries`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Log {
    #[serde(with = "super::date::days::pairs")]
    entries: Box<[(NaiveDate, LogKind)]>,
    newest: Option<LogEntry>,
}

impl Log {
    /// The Log of `entries`, in the note's order.
    pub fn new(mut entries: Vec<LogEntry>) -> Log {
        let dates = entries.iter().map(|e| (e.date, e.kind)).collect();
        // `max_by_key` keeps the last of equal dates, which is the later line of the note.
        let newest = entries
            .iter()
            .enumerate()
            .max_by_key(|(_, e)| (e.date, e.line))
            .map(|(i, _)| i)
            .map(|i| entries.swap_remove(i));
        Log {
            entries: dates,
            newest,
        }
    }

    /// The date and kind of every entry, in the note's order.
    pub fn iter(&self) -> impl Iterator<Item = (NaiveDate, LogKind)> + '_ {
        self.entries.iter().copied()
    }

    /// The newest entry of any kind: what the user last noted about this person.
    pub fn newest(&self) -> Option<&LogEntry> {
        self.newest.as_ref()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl FromIterator<LogEntry> for Log {
    fn from_iter<I: IntoIterator<Item = LogEntry>>(entries: I) -> Log {
        Log::new(entries.into_iter().collect())
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
/// Which way an interaction went; [`classify`](super::classify) reads it from a Log item's
/// wording.
pub enum LogKind {
    /// You reached out and they have not (yet) answered: an email, a text, an invitation, a
    /// call that went to voicemail. Also any entry whose wording says nothing else.
    Outreach,
    /// They reached you: an answer to your outreach, or a message of their own.
    Reply,
    /// Both of you at once: you met, had coffee, talked on a call, visited, bumped into
    /// each other.
    Together,
}

/// An invitation you sent (`Invitations.csv`), kept by `import` for the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// The invitee's name as the export shows it.
    pub to: String,
    pub profile_url: Option<String>,
    pub sent: Option<NaiveDate>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_keeps_every_date_and_kind_and_the_newest_entry_whole() {
        let entries: Vec<LogEntry> = [
            ("2026-01-01", LogKind::Outreach, "first", 9),
            ("2026-03-01", LogKind::Reply, "newest", 11),
            ("2026-02-01", LogKind::Outreach, "middle", 10),
            ("2026-03-01", LogKind::Outreach, "same day, later line", 12),
        ]
        .into_iter()
        .map(|(day, kind, text, line)| LogEntry {
            date: day.parse().unwrap(),
            kind,
            text: text.into(),
            line,
        })
        .collect();
        let kinds: Vec<_> = entries.iter().map(|e| (e.date, e.kind)).collect();
        let log = Log::new(entries);
        assert_eq!(log.iter().collect::<Vec<_>>(), kinds);
        assert_eq!(
            log.newest().map(|e| e.text.as_str()),
            Some("same day, later line")
        );
        assert_eq!(log.len(), 4);
        assert!(Log::default().newest().is_none());
    }
}
