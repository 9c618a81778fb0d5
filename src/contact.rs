//! The contact: what one note says about one person, as typed values.
//!
//! Parsed once at the edge (`vault::note`), then trusted everywhere else.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use chrono::{Datelike, Months, NaiveDate};

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

/// A dated item of the `## Log` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub date: NaiveDate,
    pub kind: LogKind,
    /// The item's text after the date and its separator, trimmed (first line only).
    pub text: String,
    /// Note line of the item (1-based).
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogKind {
    /// You reached out (any dated entry that is not a reply).
    Outreach,
    /// They answered: the text begins with `replied`.
    Reply,
}

/// The key spellings a note already uses, so write-back keeps a `lastContact` vault a
/// `lastContact` vault. `None` means the note does not have the key (write the canonical name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spellings {
    pub last_touch: Option<String>,
    pub last_reply: Option<String>,
    pub recommended: Option<String>,
}

/// [`crate::names::name_key`] of each way to name a contact.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameKeys {
    /// The vault path without `.md`.
    pub path: String,
    pub stem: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// The file stem as Obsidian compares link targets (NFC, lowercase): see
    /// [`crate::vault::stem_key`].
    pub link: String,
}

impl NameKeys {
    pub fn of(contact: &Contact) -> NameKeys {
        use crate::names::name_key;
        let path = crate::error::slash_path(&contact.path);
        NameKeys {
            path: name_key(path.strip_suffix(".md").unwrap_or(&path)),
            stem: name_key(&contact.stem),
            name: name_key(&contact.name),
            aliases: contact.aliases.iter().map(|a| name_key(a)).collect(),
            link: crate::vault::stem_key(&contact.path),
        }
    }
}

impl Contact {
    /// The contact's name keys: those computed when the note was read, else computed now
    /// (contacts built by hand, in tests).
    pub fn name_keys(&self) -> std::borrow::Cow<'_, NameKeys> {
        if self.keys.name.is_empty() && !self.name.is_empty() {
            std::borrow::Cow::Owned(NameKeys::of(self))
        } else {
            std::borrow::Cow::Borrowed(&self.keys)
        }
    }

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

/// How often to reach someone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    Never,
    Every(Span),
}

/// A calendar span: days, or months (years are twelve months).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    Days(u32),
    Months(u32),
}

impl Span {
    /// `date` + this span; months are calendar months, clamped to the month's end
    /// (Aug 31 + 6 months = Feb 28).
    pub fn after(self, date: NaiveDate) -> NaiveDate {
        match self {
            Span::Days(n) => date + chrono::Days::new(u64::from(n)),
            Span::Months(n) => date
                .checked_add_months(Months::new(n))
                .unwrap_or(NaiveDate::MAX),
        }
    }

    /// `date` − this span (used for "how many workdays in one cadence").
    pub fn before(self, date: NaiveDate) -> NaiveDate {
        match self {
            Span::Days(n) => date - chrono::Days::new(u64::from(n)),
            Span::Months(n) => date
                .checked_sub_months(Months::new(n))
                .unwrap_or(NaiveDate::MIN),
        }
    }
}

impl fmt::Display for Cadence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cadence::Never => f.write_str("never"),
            Cadence::Every(Span::Days(n)) if n % 7 == 0 => plural(f, n / 7, "week"),
            Cadence::Every(Span::Days(n)) => plural(f, *n, "day"),
            Cadence::Every(Span::Months(n)) if n % 12 == 0 => plural(f, n / 12, "year"),
            Cadence::Every(Span::Months(n)) => plural(f, *n, "month"),
        }
    }
}

fn plural(f: &mut fmt::Formatter<'_>, n: u32, unit: &str) -> fmt::Result {
    if n == 1 {
        write!(f, "1 {unit}")
    } else {
        write!(f, "{n} {unit}s")
    }
}

/// Why a cadence could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a cadence: write a number and a unit (`6 months`, `90 days`, `2 weeks`, `1 year`), \
     a word (`weekly`, `monthly`, `quarterly`, `yearly`) or `never`"
)]
pub struct BadCadence(pub String);

impl FromStr for Cadence {
    type Err = BadCadence;

    /// Reads `6 months`, `90 days`, `2 weeks`, `1 year`, `30d`, `2w`, `3mo`, `1y`, the words
    /// other tools write (`Weekly`, `Bi-Weekly`, `Monthly`, `Quarterly`…) and `never`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || BadCadence(text.to_owned());
        let lower = text.trim().to_lowercase();
        if lower.starts_with(['-', '+']) {
            return Err(bad());
        }
        let word = lower.replace(['-', '_', ' '], "");
        let span = match word.as_str() {
            "never" | "none" | "off" | "paused" => return Ok(Cadence::Never),
            "daily" => Span::Days(1),
            "weekly" => Span::Days(7),
            "biweekly" | "fortnightly" => Span::Days(14),
            "monthly" => Span::Months(1),
            "bimonthly" => Span::Months(2),
            "quarterly" => Span::Months(3),
            "semiannually" | "semiannual" | "biannually" | "halfyearly" => Span::Months(6),
            "yearly" | "annually" | "annual" => Span::Months(12),
            _ => {
                let digits = word
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(word.len());
                let (number, unit) = word.split_at(digits);
                // "every 6 months" is how people talk; accept it.
                let (number, unit) = if number.is_empty() {
                    let rest = word.strip_prefix("every").ok_or_else(bad)?;
                    let digits = rest
                        .find(|c: char| !c.is_ascii_digit())
                        .unwrap_or(rest.len());
                    rest.split_at(digits)
                } else {
                    (number, unit)
                };
                let n: u32 = number.parse().map_err(|_| bad())?;
                if n == 0 {
                    return Err(bad());
                }
                match unit {
                    "" | "d" | "day" | "days" => Span::Days(n),
                    "w" | "wk" | "wks" | "week" | "weeks" => {
                        Span::Days(n.checked_mul(7).ok_or_else(bad)?)
                    }
                    "m" | "mo" | "mon" | "month" | "months" => Span::Months(n),
                    "y" | "yr" | "yrs" | "year" | "years" => {
                        Span::Months(n.checked_mul(12).ok_or_else(bad)?)
                    }
                    _ => return Err(bad()),
                }
            }
        };
        Ok(Cadence::Every(span))
    }
}

/// A birthday, with or without the year (`--08-17`, `XXXX-08-17` and `08-17` have none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Birthday {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
}

impl Birthday {
    /// The next day on or after `today` that is this birthday (Feb 29 falls on Feb 28 in
    /// common years).
    pub fn next_on_or_after(self, today: NaiveDate) -> NaiveDate {
        let in_year = |year: i32| {
            NaiveDate::from_ymd_opt(year, self.month, self.day)
                .or_else(|| NaiveDate::from_ymd_opt(year, self.month, self.day - 1))
                .unwrap_or(today)
        };
        let this_year = in_year(today.year());
        if this_year >= today {
            this_year
        } else {
            in_year(today.year() + 1)
        }
    }
}

impl FromStr for Birthday {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, ()> {
        let text = text.trim();
        let (year, rest) = if let Some(rest) = text.strip_prefix("--") {
            (None, rest)
        } else if let Some(rest) = text
            .strip_prefix("XXXX-")
            .or_else(|| text.strip_prefix("xxxx-"))
        {
            (None, rest)
        } else if text.len() == 5 {
            (None, text)
        } else {
            let date = crate::dates::parse_date(text).ok_or(())?;
            return Ok(Birthday {
                year: Some(date.year()),
                month: date.month(),
                day: date.day(),
            });
        };
        let rest = rest.replace('-', "");
        if rest.len() != 4 || !rest.bytes().all(|b| b.is_ascii_digit()) {
            return Err(());
        }
        let month = rest[..2].parse().map_err(|_| ())?;
        let day = rest[2..].parse().map_err(|_| ())?;
        // 2000 is a leap year, so Feb 29 is accepted.
        NaiveDate::from_ymd_opt(2000, month, day).ok_or(())?;
        Ok(Birthday { year, month, day })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn cadences_read_every_common_spelling() {
        for (text, expected) in [
            ("6 months", Cadence::Every(Span::Months(6))),
            ("90 days", Cadence::Every(Span::Days(90))),
            ("2 weeks", Cadence::Every(Span::Days(14))),
            ("1 year", Cadence::Every(Span::Months(12))),
            ("30d", Cadence::Every(Span::Days(30))),
            ("3mo", Cadence::Every(Span::Months(3))),
            ("Monthly", Cadence::Every(Span::Months(1))),
            ("quarterly", Cadence::Every(Span::Months(3))),
            ("Bi-Weekly", Cadence::Every(Span::Days(14))),
            ("every 2 weeks", Cadence::Every(Span::Days(14))),
            ("never", Cadence::Never),
            ("45", Cadence::Every(Span::Days(45))),
        ] {
            assert_eq!(text.parse::<Cadence>(), Ok(expected), "{text}");
        }
    }

    #[test]
    fn nonsense_cadences_are_refused() {
        for text in ["", "soon", "0 days", "6 fortnights", "-3 days"] {
            assert!(text.parse::<Cadence>().is_err(), "{text}");
        }
    }

    #[test]
    fn cadences_display_in_their_natural_unit() {
        assert_eq!(Cadence::Every(Span::Months(6)).to_string(), "6 months");
        assert_eq!(Cadence::Every(Span::Months(12)).to_string(), "1 year");
        assert_eq!(Cadence::Every(Span::Days(14)).to_string(), "2 weeks");
        assert_eq!(Cadence::Every(Span::Days(1)).to_string(), "1 day");
    }

    #[test]
    fn month_spans_clamp_to_the_end_of_the_month() {
        assert_eq!(
            Span::Months(6).after(date("2025-08-31")),
            date("2026-02-28")
        );
        assert_eq!(
            Span::Months(12).after(date("2024-02-29")),
            date("2025-02-28")
        );
        assert_eq!(Span::Days(14).after(date("2026-01-10")), date("2026-01-24"));
    }

    #[test]
    fn birthdays_read_with_and_without_year() {
        let b = |y, m, d| {
            Ok(Birthday {
                year: y,
                month: m,
                day: d,
            })
        };
        assert_eq!("1980-08-17".parse(), b(Some(1980), 8, 17));
        assert_eq!("--08-17".parse(), b(None, 8, 17));
        assert_eq!("XXXX-08-17".parse(), b(None, 8, 17));
        assert_eq!("08-17".parse(), b(None, 8, 17));
        assert_eq!("--0817".parse(), b(None, 8, 17));
        assert!("13-40".parse::<Birthday>().is_err());
    }

    #[test]
    fn the_next_birthday_wraps_into_next_year() {
        let bd = Birthday {
            year: None,
            month: 1,
            day: 3,
        };
        assert_eq!(bd.next_on_or_after(date("2026-12-30")), date("2027-01-03"));
        let leap = Birthday {
            year: Some(2000),
            month: 2,
            day: 29,
        };
        assert_eq!(
            leap.next_on_or_after(date("2026-02-01")),
            date("2026-02-28")
        );
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
