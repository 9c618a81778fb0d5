//! What happened between you and a person: the Log's typed entries, and invitations sent.

use chrono::{Datelike as _, NaiveDate};

/// A dated item of the `## Log` section.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LogEntry {
    #[serde(with = "super::date::days")]
    pub date: NaiveDate,
    pub kind: LogKind,
    /// The item's text after the date and its separator, trimmed (first line only).
    pub text: Box<str>,
    /// Note line of the item (1-based).
    pub line: usize,
}

/// A note's Log as the vault keeps it: the date and kind of every entry, in the note's
/// order, and the newest entry whole. A vault in memory needs no more of most entries (4
/// bytes an entry rather than 40 and its text); whoever needs every text (recording an
/// outreach) reads the note's text again with `note::log_entries`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Log {
    entries: Box<[Dated]>,
    newest: Option<LogEntry>,
}

/// An entry's date and kind in 4 bytes: the day's number (days since 1 January of year 1,
/// as the parse cache counts them) times four, plus the kind. As a pair they took 8, 3 of
/// them padding, for each of the 300,000 entries of a large vault's Logs. Saved as the pair
/// of the day's number and the kind.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Dated(i32);

impl Dated {
    fn new(date: NaiveDate, kind: LogKind) -> Dated {
        // chrono's days lie within ±262,143 years, ±96 million days: times four fits.
        Dated(date.num_days_from_ce() * 4 + Dated::bits(kind))
    }

    fn bits(kind: LogKind) -> i32 {
        match kind {
            LogKind::Outreach => 0,
            LogKind::Reply => 1,
            LogKind::Together => 2,
        }
    }

    fn date(self) -> NaiveDate {
        // Made by `new` from a day that exists, so it exists.
        NaiveDate::from_num_days_from_ce_opt(self.0 >> 2).unwrap_or_default()
    }

    fn kind(self) -> LogKind {
        match self.0 & 3 {
            0 => LogKind::Outreach,
            1 => LogKind::Reply,
            _ => LogKind::Together,
        }
    }
}

impl std::fmt::Debug for Dated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (self.date(), self.kind()).fmt(f)
    }
}

impl serde::Serialize for Dated {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (self.date().num_days_from_ce(), self.kind()).serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Dated {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Dated, D::Error> {
        let (day, kind) = <(i32, LogKind)>::deserialize(deserializer)?;
        // A range check, not a date made and taken apart again: chrono's calendar
        // arithmetic, once per entry of every Log of a cached load, showed in its profile.
        let days = NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce();
        if !days.contains(&day) {
            return Err(serde::de::Error::custom("no such day"));
        }
        Ok(Dated(day * 4 + Dated::bits(kind)))
    }
}

impl Log {
    /// The Log of `entries`, in the note's order.
    pub fn new(mut entries: Vec<LogEntry>) -> Log {
        let dates = entries.iter().map(|e| Dated::new(e.date, e.kind)).collect();
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
        self.entries.iter().map(|d| (d.date(), d.kind()))
    }

    /// The date of the newest entry of `kind`. Of one kind, the later entry is the greater
    /// number, so the newest is found among the numbers and only its date is made.
    pub fn newest_of(&self, kind: LogKind) -> Option<NaiveDate> {
        let bits = Dated::bits(kind);
        self.entries
            .iter()
            .filter(|d| d.0 & 3 == bits)
            .max_by_key(|d| d.0)
            .map(|d| d.date())
    }

    /// The kind of every entry, in the note's order.
    pub fn kinds(&self) -> impl Iterator<Item = LogKind> + '_ {
        self.entries.iter().map(|d| d.kind())
    }

    /// The dates of the entries of `kind` later than `after` (every one for `None`), in the
    /// note's order: compared as day numbers, so that only the dates kept are made.
    pub fn dates_of_after(
        &self,
        kind: LogKind,
        after: Option<NaiveDate>,
    ) -> impl Iterator<Item = NaiveDate> + '_ {
        let bits = Dated::bits(kind);
        let after = after.map_or(i32::MIN, |d| d.num_days_from_ce());
        self.entries
            .iter()
            .filter(move |d| d.0 & 3 == bits && d.0 >> 2 > after)
            .map(|d| d.date())
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
            log.newest().map(|e| e.text.as_ref()),
            Some("same day, later line")
        );
        assert_eq!(log.len(), 4);
        assert!(Log::default().newest().is_none());
    }

    #[test]
    fn each_date_and_kind_comes_back_whole_from_four_bytes_and_from_the_cache() {
        let days = [
            NaiveDate::MIN,
            NaiveDate::from_ymd_opt(-1, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(1, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
            NaiveDate::MAX,
        ];
        let kinds = [LogKind::Outreach, LogKind::Reply, LogKind::Together];
        let entries: Vec<LogEntry> = (0..)
            .zip(days.iter().flat_map(|&d| kinds.map(|k| (d, k))))
            .map(|(line, (date, kind))| LogEntry {
                date,
                kind,
                text: "".into(),
                line,
            })
            .collect();
        let log = Log::new(entries.clone());
        let back: Vec<(NaiveDate, LogKind)> = log.iter().collect();
        let given: Vec<(NaiveDate, LogKind)> = entries.iter().map(|e| (e.date, e.kind)).collect();
        assert_eq!(back, given);
        let cached: Log = postcard::from_bytes(&postcard::to_allocvec(&log).unwrap()).unwrap();
        assert_eq!(cached, log);
        // A day number no calendar has is a damaged value, not a day read wrong.
        let bad = postcard::to_allocvec(&(vec![(i32::MAX, LogKind::Reply)], None::<LogEntry>));
        assert!(postcard::from_bytes::<Log>(&bad.unwrap()).is_err());
        let below = NaiveDate::MIN.num_days_from_ce() - 1;
        let bad = postcard::to_allocvec(&(vec![(below, LogKind::Reply)], None::<LogEntry>));
        assert!(postcard::from_bytes::<Log>(&bad.unwrap()).is_err());
    }

    proptest::proptest! {
        #[test]
        fn the_newest_and_the_later_dates_of_a_kind_are_those_of_the_entries(
            days in proptest::collection::vec(
                (NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce(), 0..3u8),
                0..12,
            ),
            after in proptest::option::of(-800_000..800_000i32),
        ) {
            let kinds = [LogKind::Outreach, LogKind::Reply, LogKind::Together];
            let entries: Vec<LogEntry> = (0..)
                .zip(&days)
                .map(|(line, &(day, kind))| LogEntry {
                    date: NaiveDate::from_num_days_from_ce_opt(day).unwrap(),
                    kind: kinds[usize::from(kind)],
                    text: "".into(),
                    line,
                })
                .collect();
            let after = after.and_then(NaiveDate::from_num_days_from_ce_opt);
            let log = Log::new(entries.clone());
            for kind in kinds {
                let of_kind = || entries.iter().filter(move |e| e.kind == kind).map(|e| e.date);
                proptest::prop_assert_eq!(log.newest_of(kind), of_kind().max());
                let later: Vec<NaiveDate> = of_kind().filter(|&d| Some(d) > after).collect();
                proptest::prop_assert_eq!(log.dates_of_after(kind, after).collect::<Vec<_>>(), later);
            }
            let kinds_in_order: Vec<LogKind> = entries.iter().map(|e| e.kind).collect();
            proptest::prop_assert_eq!(log.kinds().collect::<Vec<_>>(), kinds_in_order);
        }
    }
}
