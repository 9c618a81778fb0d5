//! Reading and writing calendar dates the way notes spell them.
//!
//! Two readers. [`parse_date`] takes only ISO `YYYY-MM-DD` (with an optional time), the form
//! vault-reach writes itself. [`read_date`] takes dates as people write them — `2024-03-02`,
//! `March 2024`, `2nd March 2024`, `03/02/2024`, `2019` — and when it cannot, a
//! [`DateProblem`] says why and how to fix the note. Both read ISO first, by hand and without
//! allocating: every note has several dates, and a scan reads 30,000 notes.

use std::fmt;

use chrono::{Datelike as _, NaiveDate};

/// Where the fix for an ambiguous date goes; spelled out because `model` imports nothing of
/// ours (it is `config::CONFIG_FILE`).
const CONFIG_FILE: &str = ".vault-reach/config.toml";

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Reads `YYYY-MM-DD`, optionally followed by a time (`T10:00`, ` 10:00:00`, `T10:00Z`…),
/// which is read as its date; also Obsidian's `[[YYYY-MM-DD]]` link to a daily note.
/// Surrounding quotes and spaces are ignored. Anything else is `None`.
///
/// Stricter than [`read_date`] about the date and looser about what follows it: this is the
/// reader for values vault-reach wrote, and it has always let anything follow a space or `T`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = unquote(text);
    let text = text
        .strip_prefix("[[")
        .and_then(|t| t.strip_suffix("]]"))
        .unwrap_or(text);
    let (year, month, day) = iso_numbers(text.as_bytes())?;
    // The first ten bytes are ASCII, so byte 10 is a character boundary.
    let rest = &text[10..];
    if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ') || rest.starts_with('t'))
    {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

/// `2026-03-02`.
pub fn format_date(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// Whether a date recorded as past (`last-touch`, `last-reply`, `met-date`) lies in the
/// future: more than one day after `today`. A day of slack lets a note written just after
/// midnight in another time zone, or on a machine with a skewed clock, pass.
pub fn in_future(date: NaiveDate, today: NaiveDate) -> bool {
    today.succ_opt().is_some_and(|tomorrow| date > tomorrow)
}

/// The `date-order` setting: how to read a slash date whose first two numbers could both be
/// the month. Unset (`None` where an order is asked for), such a date is [ambiguous].
///
/// [ambiguous]: DateProblem::Ambiguous
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// Month first, as in the US: `03/02/2024` is March 2.
    Mdy,
    /// Day first, as in most of the world: `03/02/2024` is 3 February.
    Dmy,
}

impl DateOrder {
    /// The setting's value in `config.toml`: `mdy`.
    pub fn setting(self) -> &'static str {
        match self {
            DateOrder::Mdy => "mdy",
            DateOrder::Dmy => "dmy",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            DateOrder::Mdy => "month first",
            DateOrder::Dmy => "day first",
        }
    }
}

/// How much of a date the note gave.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum Precision {
    /// A calendar day: `2024-03-02`.
    #[default]
    Day,
    /// A month of a year: `March 2024`, `2024-03`.
    Month,
    /// A year alone: `2019`.
    Year,
}

/// A date as a note wrote it: the day, and how much of it was given.
///
/// Displays the way it is shown back to the user: `2024-03-02`, `March 2024` or `2019`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WrittenDate {
    /// The day; the first day of the month or year for [`Precision::Month`] and
    /// [`Precision::Year`].
    pub date: NaiveDate,
    pub precision: Precision,
}

impl WrittenDate {
    /// A date given to the day.
    pub fn day(date: NaiveDate) -> WrittenDate {
        WrittenDate {
            date,
            precision: Precision::Day,
        }
    }
}

impl fmt::Display for WrittenDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let date = self.date;
        match self.precision {
            Precision::Day => write!(
                f,
                "{:04}-{:02}-{:02}",
                date.year(),
                date.month(),
                date.day()
            ),
            Precision::Month => write!(f, "{} {:04}", month_name(date.month()), date.year()),
            Precision::Year => write!(f, "{:04}", date.year()),
        }
    }
}

/// Why a written date names no day of the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Impossibility {
    /// No month has this number: `2024-13-01`.
    Month { month: u32 },
    /// The month has no such day: `2026-02-30`, `April 31, 2024`.
    Day { year: i32, month: u32, day: u32 },
    /// Neither of a slash date's first two numbers can be its month: `13/14/2024`.
    NeitherMonth { first: u32, second: u32 },
}

/// A date [`read_date`] could not take; its `Display` says what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateProblem {
    /// The text is a date's shape but no day of the calendar.
    Impossible {
        text: String,
        why: Impossibility,
        /// The `date-order` the text was read by, when the setting decided the reading (a
        /// wrong setting is then a possible cause).
        order: Option<DateOrder>,
    },
    /// A slash date that reads as two days, and no `date-order` is set to choose.
    Ambiguous {
        text: String,
        /// The month-first reading.
        mdy: NaiveDate,
        /// The day-first reading.
        dmy: NaiveDate,
    },
    /// Not a date in any form vault-reach reads.
    Unreadable { text: String },
}

impl DateProblem {
    /// The text as the note wrote it (without surrounding quotes and spaces).
    pub fn text(&self) -> &str {
        match self {
            DateProblem::Impossible { text, .. }
            | DateProblem::Ambiguous { text, .. }
            | DateProblem::Unreadable { text } => text,
        }
    }
}

impl fmt::Display for DateProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateProblem::Impossible { text, why, order } => {
                write!(f, "\"{text}\" is not a real date")?;
                if let Some(order) = order {
                    write!(
                        f,
                        " when read {} (date-order = \"{}\")",
                        order.describe(),
                        order.setting()
                    )?;
                }
                match *why {
                    Impossibility::Month { month } => {
                        write!(f, ": there is no month {month}; correct the month")?;
                    }
                    Impossibility::Day { year, month, day } => write!(
                        f,
                        ": {} {year:04} has no day {day} (it has {}); correct the day",
                        month_name(month),
                        days_in_month(year, month)
                    )?,
                    Impossibility::NeitherMonth { first, second } => write!(
                        f,
                        ": neither {first} nor {second} can be a month; correct it, and write \
                         it as YYYY-MM-DD"
                    )?,
                }
                if order.is_some() {
                    write!(f, ", or the date-order setting in {CONFIG_FILE}")?;
                }
                Ok(())
            }
            DateProblem::Ambiguous { text, mdy, dmy } => write!(
                f,
                "\"{text}\" could be {} {}, {:04} or {} {} {:04}; write {} or {}, or set \
                 date-order = \"mdy\" (month first) or \"dmy\" (day first) in {CONFIG_FILE}",
                month_name(mdy.month()),
                mdy.day(),
                mdy.year(),
                dmy.day(),
                month_name(dmy.month()),
                dmy.year(),
                format_date(*mdy),
                format_date(*dmy),
            ),
            DateProblem::Unreadable { text } => write!(
                f,
                "\"{text}\" is not a date vault-reach can read; write it as YYYY-MM-DD, like \
                 2024-03-02"
            ),
        }
    }
}

impl std::error::Error for DateProblem {}

/// Reads a date the way people write it, trimmed and without surrounding quotes:
///
/// | Written | Read as |
/// |---|---|
/// | `2024-03-02`, `2024-3-2`, `2024/03/02`, `2024.03.02` | that day |
/// | `2024-03-02T10:00`, `2024-03-02 10:00:00`, `…Z`, `…+02:00`, `… 9:30 pm` | that day |
/// | `[[2024-03-02]]`, `[[2024-03-02\|alias]]` (Obsidian daily notes) | that day |
/// | `March 2, 2024`, `Mar 2 2024`, `March 2nd, 2024`, `Sat, March 2, 2024` | that day |
/// | `2 March 2024`, `2nd Mar 2024`, `2nd of March, 2024` | that day |
/// | `03/02/2024`, `03.02.2024`, `03-02-2024` | by `order`; unset, only when unambiguous |
/// | `March 2024`, `Mar 2024`, `Sept. 2024`, `2024-03`, `03/2024` | that month |
/// | `2019` (1000 to 9999) | that year |
///
/// Month names are English, full or abbreviated (`Sept` too), in any case. A slash date
/// without an `order` is read when one of its first two numbers cannot be a month (`25/12/2024`)
/// or both are the same (`03/03/2024`); otherwise it is [`DateProblem::Ambiguous`]. A date of
/// one of these shapes that is not on the calendar (`2026-02-30`, `February 30, 2024`) is
/// [`DateProblem::Impossible`]; anything else is [`DateProblem::Unreadable`]. Two-digit years
/// are unreadable rather than guessed.
pub fn read_date(text: &str, order: Option<DateOrder>) -> Result<WrittenDate, DateProblem> {
    let written = unquote(text);
    let link = written
        .strip_prefix("[[")
        .and_then(|t| t.strip_suffix("]]"))
        .map(|t| {
            t.split_once('|')
                .map_or(t, |(target, _alias)| target)
                .trim()
        });
    let date = link.unwrap_or(written);
    let read = match read_iso(date) {
        Some(read) => read.map(WrittenDate::day),
        // A daily-note link names a day as ISO: `[[March 2024]]` is some other note.
        None if link.is_some() => Err(Fault::Unreadable),
        None => read_other(date, order),
    };
    read.map_err(|fault| fault.into_problem(written))
}

/// Why a text did not read, before the text is copied into a [`DateProblem`]: the successful
/// path allocates nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Impossible(Impossibility, Option<DateOrder>),
    Ambiguous { mdy: NaiveDate, dmy: NaiveDate },
    Unreadable,
}

impl Fault {
    fn into_problem(self, text: &str) -> DateProblem {
        let text = text.to_owned();
        match self {
            Fault::Impossible(why, order) => DateProblem::Impossible { text, why, order },
            Fault::Ambiguous { mdy, dmy } => DateProblem::Ambiguous { text, mdy, dmy },
            Fault::Unreadable => DateProblem::Unreadable { text },
        }
    }
}

impl From<Impossibility> for Fault {
    fn from(why: Impossibility) -> Fault {
        Fault::Impossible(why, None)
    }
}

fn unquote(text: &str) -> &str {
    text.trim().trim_matches(|c| c == '"' || c == '\'').trim()
}

/// The numbers of `YYYY-MM-DD…` when the first ten bytes have that shape.
fn iso_numbers(bytes: &[u8]) -> Option<(i32, u32, u32)> {
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits(&bytes[0..4])?).ok()?;
    Some((year, digits(&bytes[5..7])?, digits(&bytes[8..10])?))
}

/// `YYYY-MM-DD`, alone or with a time: `None` when the text is not of that shape, so the
/// slower readers get a turn.
fn read_iso(text: &str) -> Option<Result<NaiveDate, Fault>> {
    let (year, month, day) = iso_numbers(text.as_bytes())?;
    // The first ten bytes are ASCII, so byte 10 is a character boundary.
    let rest = &text.as_bytes()[10..];
    if !rest.is_empty() && read_time(rest).is_none() {
        return Some(Err(Fault::Unreadable));
    }
    Some(calendar_day(year, month, day).map_err(Fault::from))
}

/// Checks the time after an ISO date: `T10:00`, ` 10:00:00.5`, `T10:00Z`, `T10:00+02:00`,
/// ` 9:30 pm`, ` 10:00 UTC`. The time is checked rather than skipped so that `2024-03-02
/// or so` is reported rather than silently read; its value is not used.
fn read_time(text: &[u8]) -> Option<()> {
    let (&separator, rest) = text.split_first()?;
    if !matches!(separator, b'T' | b't' | b' ') {
        return None;
    }
    let (hour, rest) = number(rest, 2)?;
    let (minute, mut rest) = number(rest.strip_prefix(b":")?, 2)?;
    if let Some(seconds) = rest.strip_prefix(b":") {
        let (second, after) = number(seconds, 2)?;
        // 60: a leap second.
        if second > 60 {
            return None;
        }
        rest = after;
        if let Some(fraction) = rest.strip_prefix(b".").or_else(|| rest.strip_prefix(b",")) {
            let (_, after) = number(fraction, usize::MAX)?;
            rest = after;
        }
    }
    if hour > 23 || minute > 59 {
        return None;
    }
    rest = rest.trim_ascii_start();
    if let Some(after) = strip_ascii_word(rest, b"am").or_else(|| strip_ascii_word(rest, b"pm")) {
        if !(1..=12).contains(&hour) {
            return None;
        }
        rest = after.trim_ascii_start();
    }
    if let Some(after) = strip_ascii_word(rest, b"utc").or_else(|| strip_ascii_word(rest, b"gmt")) {
        rest = after;
    }
    match rest {
        [] | [b'Z' | b'z'] => Some(()),
        // `+02:00`, `+0200`, `+02`.
        [b'+' | b'-', h1, h2, minutes @ ..] => {
            let hours = digits(&[*h1, *h2])?;
            let minutes = match minutes {
                [] => 0,
                [b':', m1, m2] | [m1, m2] => digits(&[*m1, *m2])?,
                _ => return None,
            };
            (hours <= 23 && minutes <= 59).then_some(())
        }
        _ => None,
    }
}

/// `text` without a leading `word` in any ASCII case.
fn strip_ascii_word<'a>(text: &'a [u8], word: &[u8]) -> Option<&'a [u8]> {
    let head = text.get(..word.len())?;
    head.eq_ignore_ascii_case(word).then(|| &text[word.len()..])
}

/// The value of the leading digits of `text` (one to `most` of them) and what follows them.
fn number(text: &[u8], most: usize) -> Option<(u32, &[u8])> {
    let len = text.iter().take_while(|b| b.is_ascii_digit()).count();
    if len == 0 || len > most {
        return None;
    }
    // Long fractions of seconds are only checked, so their value may saturate.
    let value = text[..len].iter().fold(0u32, |n, &b| {
        n.saturating_mul(10).saturating_add(u32::from(b - b'0'))
    });
    Some((value, &text[len..]))
}

/// The value of `bytes` when all are ASCII digits (at most nine, so no overflow).
fn digits(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 9 {
        return None;
    }
    bytes.iter().try_fold(0u32, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// The day, or why the calendar has none.
fn calendar_day(year: i32, month: u32, day: u32) -> Result<NaiveDate, Impossibility> {
    if !(1..=12).contains(&month) {
        return Err(Impossibility::Month { month });
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or(Impossibility::Day { year, month, day })
}

fn first_of_month(year: i32, month: u32) -> Result<NaiveDate, Impossibility> {
    calendar_day(year, month, 1)
}

/// `month` is 1 to 12.
fn month_name(month: u32) -> &'static str {
    MONTH_NAMES[month as usize - 1]
}

/// `month` is 1 to 12.
fn days_in_month(year: i32, month: u32) -> u32 {
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(next_year, next_month, 1)
        .and_then(|first| first.pred_opt())
        .map_or(31, |last| last.day())
}

/// Every form but full ISO: numbers with separators, or words.
fn read_other(text: &str, order: Option<DateOrder>) -> Result<WrittenDate, Fault> {
    if text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'/' | b'.'))
    {
        read_numbers(text, order)
    } else {
        read_words(text)
    }
}

/// A year (4 digits) by itself.
fn year(part: &str) -> Option<i32> {
    if part.len() != 4 {
        return None;
    }
    digits(part.as_bytes()).and_then(|y| i32::try_from(y).ok())
}

/// A month or day number: one or two digits.
fn small(part: &str) -> Option<u32> {
    if part.is_empty() || part.len() > 2 {
        return None;
    }
    digits(part.as_bytes())
}

/// `2019`; `2024-03`, `03/2024`; `2024/03/02`, `2024-3-2`; `03/02/2024`, `03.02.2024`.
fn read_numbers(text: &str, order: Option<DateOrder>) -> Result<WrittenDate, Fault> {
    let mut parts = [""; 3];
    let mut count = 0;
    match text.bytes().find(|b| !b.is_ascii_digit()) {
        None => {
            parts[0] = text;
            count = 1;
        }
        Some(separator) => {
            // One separator throughout: `2024-03/02` is not a date.
            for part in text.split(char::from(separator)) {
                if count == parts.len() {
                    return Err(Fault::Unreadable);
                }
                parts[count] = part;
                count += 1;
            }
        }
    }
    let precise = |date, precision| WrittenDate { date, precision };
    match parts[..count] {
        [y] => match year(y) {
            Some(y @ 1000..=9999) => Ok(precise(first_of_month(y, 1)?, Precision::Year)),
            _ => Err(Fault::Unreadable),
        },
        [a, b] => {
            let ((Some(y), Some(m), ..) | (.., Some(m), Some(y))) =
                (year(a), small(b), small(a), year(b))
            else {
                return Err(Fault::Unreadable);
            };
            Ok(precise(first_of_month(y, m)?, Precision::Month))
        }
        [a, b, c] => {
            if let (Some(y), Some(m), Some(d)) = (year(a), small(b), small(c)) {
                return Ok(WrittenDate::day(calendar_day(y, m, d)?));
            }
            match (small(a), small(b), year(c)) {
                (Some(a), Some(b), Some(y)) => day_and_month(y, a, b, order).map(WrittenDate::day),
                _ => Err(Fault::Unreadable),
            }
        }
        _ => Err(Fault::Unreadable),
    }
}

/// `a/b/year`, read by `order`, or without one when only one reading is a date.
fn day_and_month(year: i32, a: u32, b: u32, order: Option<DateOrder>) -> Result<NaiveDate, Fault> {
    if let Some(order) = order {
        let (month, day) = match order {
            DateOrder::Mdy => (a, b),
            DateOrder::Dmy => (b, a),
        };
        return calendar_day(year, month, day).map_err(|why| Fault::Impossible(why, Some(order)));
    }
    let month = |n| (1..=12).contains(&n);
    match (month(a), month(b)) {
        (true, true) if a == b => Ok(calendar_day(year, a, b)?),
        // Both numbers are at most 12, so both readings are days of the calendar.
        (true, true) => Err(Fault::Ambiguous {
            mdy: calendar_day(year, a, b)?,
            dmy: calendar_day(year, b, a)?,
        }),
        (true, false) => Ok(calendar_day(year, a, b)?),
        (false, true) => Ok(calendar_day(year, b, a)?),
        (false, false) => Err(Impossibility::NeitherMonth {
            first: a,
            second: b,
        }
        .into()),
    }
}

/// The month an English month name or abbreviation names, in any case, with or without a
/// closing full stop.
fn month_number(word: &str) -> Option<u32> {
    let word = word.strip_suffix('.').unwrap_or(word);
    if word.len() < 3 {
        return None;
    }
    if word.eq_ignore_ascii_case("sept") {
        return Some(9);
    }
    // A name, or its first three letters.
    let index = MONTH_NAMES.iter().position(|name| {
        word.eq_ignore_ascii_case(name)
            || (word.len() == 3 && word.eq_ignore_ascii_case(&name[..3]))
    })?;
    u32::try_from(index + 1).ok()
}

/// A day of the month, with or without an English ordinal suffix: `2`, `02`, `2nd`, `21st`.
fn day_number(word: &str) -> Option<u32> {
    let len = word.bytes().take_while(u8::is_ascii_digit).count();
    let (number, suffix) = word.split_at(len);
    let suffix_ok = suffix.is_empty()
        || ["st", "nd", "rd", "th"]
            .iter()
            .any(|s| suffix.eq_ignore_ascii_case(s));
    if suffix_ok { small(number) } else { None }
}

fn weekday(word: &str) -> bool {
    let word = word.strip_suffix('.').unwrap_or(word);
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
    ]
    .iter()
    .any(|day| word.eq_ignore_ascii_case(day))
}

/// `March 2024`; `March 2, 2024`, `Mar 2nd 2024`; `2 March 2024`, `2nd of March, 2024`; any
/// of them after a weekday (`Sat, March 2, 2024`).
fn read_words(text: &str) -> Result<WrittenDate, Fault> {
    let mut words = [""; 6];
    let mut count = 0;
    for word in text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
    {
        if count == words.len() {
            return Err(Fault::Unreadable);
        }
        words[count] = word;
        count += 1;
    }
    let mut words = &words[..count];
    if let [first, rest @ ..] = words
        && weekday(first)
    {
        words = rest;
    }
    let (month, day, year_word) = match *words {
        [m, y] => {
            let (Some(m), Some(y)) = (month_number(m), year(y)) else {
                return Err(Fault::Unreadable);
            };
            return Ok(WrittenDate {
                date: first_of_month(y, m)?,
                precision: Precision::Month,
            });
        }
        [m, d, y] if month_number(m).is_some() => (m, d, y),
        [d, m, y] => (m, d, y),
        [d, of, m, y] if of.eq_ignore_ascii_case("of") => (m, d, y),
        _ => return Err(Fault::Unreadable),
    };
    match (month_number(month), day_number(day), year(year_word)) {
        (Some(m), Some(d), Some(y)) => Ok(WrittenDate::day(calendar_day(y, m, d)?)),
        _ => Err(Fault::Unreadable),
    }
}

/// Dates as serde formats keep them for the parse cache: the day's number (days since
/// 1 January of year 1), which reads back in a few instructions, where the ISO text chrono
/// writes costs a parse of each of the hundreds of thousands of dates in a large vault.
pub mod days {
    use chrono::{Datelike as _, NaiveDate};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    fn number(date: NaiveDate) -> i32 {
        date.num_days_from_ce()
    }

    fn day<E: serde::de::Error>(n: i32) -> Result<NaiveDate, E> {
        NaiveDate::from_num_days_from_ce_opt(n).ok_or_else(|| E::custom("no such day"))
    }

    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(number(*date))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        day(i32::deserialize(d)?)
    }

    /// [`days`](self) for an optional date.
    pub mod option {
        use super::{Deserialize, Deserializer, NaiveDate, Serialize, Serializer, day, number};

        #[allow(
            clippy::ref_option,
            reason = "serde's `with` hands the field by reference"
        )]
        pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
            date.map(number).serialize(s)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
            Option::<i32>::deserialize(d)?.map(day).transpose()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_and_date_times_read_as_dates() {
        let d = NaiveDate::from_ymd_opt(2024, 5, 1);
        for text in [
            "2024-05-01",
            " 2024-05-01 ",
            "\"2024-05-01\"",
            "'2024-05-01'",
            "2024-05-01T10:00",
            "2024-05-01 10:00:00",
            "2024-05-01T10:00:00Z",
            "[[2024-05-01]]",
        ] {
            assert_eq!(parse_date(text), d, "{text}");
        }
    }

    #[test]
    fn dates_format_as_iso() {
        for text in ["2024-05-01", "0999-12-31", "2026-03-02"] {
            assert_eq!(format_date(parse_date(text).unwrap()), text);
        }
    }

    #[test]
    fn other_date_shapes_are_refused() {
        for text in [
            "",
            "2024",
            "03/02/2024",
            "March 2, 2024",
            "2024-13-01",
            "2024-05-01x",
            "2024/05/01",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }

    #[test]
    fn days_read_in_every_written_form() {
        let march_2 = ymd(2024, 3, 2);
        for text in [
            // ISO, and the shapes around it
            "2024-03-02",
            "  2024-03-02\t",
            "\"2024-03-02\"",
            "'2024-03-02'",
            "2024-3-2",
            "2024/03/02",
            "2024/3/2",
            "2024.03.02",
            // date-times
            "2024-03-02T10:00",
            "2024-03-02t10:00",
            "2024-03-02 10:00",
            "2024-03-02 10:00:00",
            "2024-03-02T10:00:00.123",
            "2024-03-02T10:00:00,5",
            "2024-03-02T10:00Z",
            "2024-03-02T10:00:00Z",
            "2024-03-02T10:00:00z",
            "2024-03-02T10:00+02:00",
            "2024-03-02T10:00:00-05:00",
            "2024-03-02T10:00+0200",
            "2024-03-02T10:00+02",
            "2024-03-02 9:30",
            "2024-03-02 9:30 pm",
            "2024-03-02 09:30AM",
            "2024-03-02 10:00 UTC",
            "2024-03-02 10:00 gmt",
            "2024-03-02 23:59:60",
            // Obsidian daily-note links
            "[[2024-03-02]]",
            "[[2024-03-02|last Saturday]]",
            "\"[[2024-03-02]]\"",
            "[[ 2024-03-02 | alias ]]",
            // month first, in words
            "March 2, 2024",
            "March 2 2024",
            "march 2, 2024",
            "MARCH 2, 2024",
            "Mar 2, 2024",
            "Mar. 2, 2024",
            "mar 2 2024",
            "March 2nd, 2024",
            "March 02, 2024",
            "Sat, March 2, 2024",
            "Saturday March 2nd 2024",
            // day first, in words
            "2 March 2024",
            "2 Mar 2024",
            "2nd March 2024",
            "2ND MARCH 2024",
            "2nd of March 2024",
            "2nd of March, 2024",
            "02 March 2024",
            "Sat 2 March 2024",
        ] {
            assert_eq!(
                read_date(text, None),
                Ok(WrittenDate::day(march_2)),
                "{text}"
            );
        }
    }

    #[test]
    fn month_names_and_abbreviations_read_case_insensitively() {
        let table = [
            ("Jan", 1),
            ("January", 1),
            ("feb", 2),
            ("FEBRUARY", 2),
            ("Apr", 4),
            ("May", 5),
            ("Jun", 6),
            ("June", 6),
            ("Jul", 7),
            ("Aug", 8),
            ("Sep", 9),
            ("Sept", 9),
            ("Sept.", 9),
            ("September", 9),
            ("Oct", 10),
            ("Nov", 11),
            ("Dec", 12),
            ("December", 12),
        ];
        for (name, month) in table {
            let date = ymd(2024, month, 1);
            for (text, precision) in [
                (format!("{name} 2024"), Precision::Month),
                (format!("{name} 1, 2024"), Precision::Day),
                (format!("1st {name} 2024"), Precision::Day),
            ] {
                assert_eq!(
                    read_date(&text, None),
                    Ok(WrittenDate { date, precision }),
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn months_and_years_read_with_their_precision() {
        let month = |y, m| WrittenDate {
            date: ymd(y, m, 1),
            precision: Precision::Month,
        };
        let year = |y| WrittenDate {
            date: ymd(y, 1, 1),
            precision: Precision::Year,
        };
        for (text, expected) in [
            ("March 2024", month(2024, 3)),
            ("Mar 2024", month(2024, 3)),
            ("march, 2024", month(2024, 3)),
            ("2024-03", month(2024, 3)),
            ("2024-3", month(2024, 3)),
            ("2024/03", month(2024, 3)),
            ("03/2024", month(2024, 3)),
            ("\"Sept 2019\"", month(2019, 9)),
            ("2019", year(2019)),
            ("'2019'", year(2019)),
            ("1000", year(1000)),
            ("9999", year(9999)),
        ] {
            assert_eq!(read_date(text, None), Ok(expected), "{text}");
        }
    }

    #[test]
    fn years_out_of_bounds_are_unreadable() {
        for text in ["0999", "0000", "999", "10000", "20190", "19"] {
            assert!(
                matches!(read_date(text, None), Err(DateProblem::Unreadable { .. })),
                "{text}"
            );
        }
    }

    #[test]
    fn slash_dates_follow_the_order_setting() {
        use DateOrder::{Dmy, Mdy};
        for (text, order, expected) in [
            ("03/02/2024", Some(Mdy), ymd(2024, 3, 2)),
            ("03/02/2024", Some(Dmy), ymd(2024, 2, 3)),
            ("3/2/2024", Some(Mdy), ymd(2024, 3, 2)),
            ("02.03.2024", Some(Dmy), ymd(2024, 3, 2)),
            ("02-03-2024", Some(Dmy), ymd(2024, 3, 2)),
            ("12/25/2024", Some(Mdy), ymd(2024, 12, 25)),
            ("25/12/2024", Some(Dmy), ymd(2024, 12, 25)),
            // unambiguous without an order
            ("25/12/2024", None, ymd(2024, 12, 25)),
            ("12/25/2024", None, ymd(2024, 12, 25)),
            ("25.12.2024", None, ymd(2024, 12, 25)),
            ("03/03/2024", None, ymd(2024, 3, 3)),
            ("7/7/2024", None, ymd(2024, 7, 7)),
            // year first is never ambiguous, whatever the order
            ("2024/03/02", None, ymd(2024, 3, 2)),
            ("2024/03/02", Some(Dmy), ymd(2024, 3, 2)),
            ("2024-03-02", Some(Dmy), ymd(2024, 3, 2)),
            // words say which is the month
            ("March 2, 2024", Some(Dmy), ymd(2024, 3, 2)),
            ("2 March 2024", Some(Mdy), ymd(2024, 3, 2)),
        ] {
            assert_eq!(
                read_date(text, order),
                Ok(WrittenDate::day(expected)),
                "{text} {order:?}"
            );
        }
    }

    #[test]
    fn slash_dates_without_an_order_may_be_ambiguous() {
        for (text, mdy, dmy) in [
            ("03/02/2024", ymd(2024, 3, 2), ymd(2024, 2, 3)),
            ("3/2/2024", ymd(2024, 3, 2), ymd(2024, 2, 3)),
            ("02.03.2024", ymd(2024, 2, 3), ymd(2024, 3, 2)),
            ("01-12-2024", ymd(2024, 1, 12), ymd(2024, 12, 1)),
        ] {
            let problem = read_date(text, None).unwrap_err();
            assert_eq!(
                problem,
                DateProblem::Ambiguous {
                    text: text.into(),
                    mdy,
                    dmy
                }
            );
        }
        assert_eq!(
            read_date("\"03/02/2024\"", None).unwrap_err().to_string(),
            "\"03/02/2024\" could be March 2, 2024 or 3 February 2024; write 2024-03-02 or \
             2024-02-03, or set date-order = \"mdy\" (month first) or \"dmy\" (day first) in \
             .vault-reach/config.toml"
        );
    }

    #[test]
    fn impossible_dates_say_why() {
        use DateOrder::{Dmy, Mdy};
        use Impossibility::{Day, Month, NeitherMonth};
        let day = |year, month, day| Day { year, month, day };
        for (text, order, why) in [
            ("2026-02-30", None, day(2026, 2, 30)),
            ("2026-02-29", None, day(2026, 2, 29)),
            ("2024-04-31", None, day(2024, 4, 31)),
            ("2024-01-00", None, day(2024, 1, 0)),
            ("2024-13-01", None, Month { month: 13 }),
            ("2024-00-10", None, Month { month: 0 }),
            ("2024-13", None, Month { month: 13 }),
            ("13/2024", None, Month { month: 13 }),
            ("2024/02/30", None, day(2024, 2, 30)),
            ("2026-02-30T10:00", None, day(2026, 2, 30)),
            ("[[2026-02-30]]", None, day(2026, 2, 30)),
            ("February 30, 2024", None, day(2024, 2, 30)),
            ("30 February 2024", None, day(2024, 2, 30)),
            ("March 32, 2024", None, day(2024, 3, 32)),
            ("March 0, 2024", None, day(2024, 3, 0)),
            ("02/30/2024", None, day(2024, 2, 30)),
            ("30/02/2024", None, day(2024, 2, 30)),
            ("00/05/2024", None, day(2024, 5, 0)),
            (
                "13/14/2024",
                None,
                NeitherMonth {
                    first: 13,
                    second: 14,
                },
            ),
            ("31/04/2024", Some(Dmy), day(2024, 4, 31)),
            ("31/04/2024", Some(Mdy), Month { month: 31 }),
            ("04/31/2024", Some(Mdy), day(2024, 4, 31)),
        ] {
            let problem = read_date(text, order).unwrap_err();
            let DateProblem::Impossible {
                why: got,
                order: read_by,
                ..
            } = problem
            else {
                panic!("{text}: {problem:?}");
            };
            assert_eq!((got, read_by), (why, order), "{text}");
        }
    }

    #[test]
    fn problems_say_the_fix_in_plain_english() {
        let message = |text, order| read_date(text, order).unwrap_err().to_string();
        assert_eq!(
            message("2026-02-30", None),
            "\"2026-02-30\" is not a real date: February 2026 has no day 30 (it has 28); \
             correct the day"
        );
        assert_eq!(
            message("2024-13-01", None),
            "\"2024-13-01\" is not a real date: there is no month 13; correct the month"
        );
        assert_eq!(
            message("31/04/2024", Some(DateOrder::Dmy)),
            "\"31/04/2024\" is not a real date when read day first (date-order = \"dmy\"): \
             April 2024 has no day 31 (it has 30); correct the day, or the date-order setting \
             in .vault-reach/config.toml"
        );
        assert_eq!(
            message("13/14/2024", None),
            "\"13/14/2024\" is not a real date: neither 13 nor 14 can be a month; correct it, \
             and write it as YYYY-MM-DD"
        );
        assert_eq!(
            message(" 'next week' ", None),
            "\"next week\" is not a date vault-reach can read; write it as YYYY-MM-DD, like \
             2024-03-02"
        );
        assert_eq!(read_date(" 'soon' ", None).unwrap_err().text(), "soon");
    }

    #[test]
    fn other_text_is_unreadable() {
        for text in [
            "",
            "   ",
            "\"\"",
            "soon",
            "next tuesday",
            "last week",
            "2024-03-02x",
            "2024-03-02 or so",
            "2024-03-02T",
            "2024-03-02T25:00",
            "2024-03-02T10:60",
            "2024-03-02T10",
            "2024-03-02T10:00+25:00",
            "2024-03-02T10:00 +02:00 extra",
            "2024-03-02 13:00 pm",
            "2024-03-0é",
            "2024-03-02é",
            "2024-03-02/",
            "2024-03/02",
            "03/02/24",
            "3/2",
            "1/2/3/2024",
            "2024//03",
            "March",
            "2 March",
            "March 2",
            "Marchy 2024",
            "Ma 2024",
            "March 2024 2",
            "March 2xx, 2024",
            "March 123, 2024",
            "2nd of 2024",
            "[[March 2024]]",
            "[[]]",
            "Saturday",
            "2024-03-02 2024-03-05",
            "½ 2024",
            "Μάρτιος 2024",
            "—",
        ] {
            assert!(
                matches!(read_date(text, None), Err(DateProblem::Unreadable { .. })),
                "{text}: {:?}",
                read_date(text, None)
            );
        }
    }

    #[test]
    fn written_dates_show_as_they_were_given() {
        for (text, shown) in [
            ("2024-03-02", "2024-03-02"),
            ("March 2, 2024", "2024-03-02"),
            ("mar 2024", "March 2024"),
            ("2024-09", "September 2024"),
            ("2019", "2019"),
        ] {
            assert_eq!(read_date(text, None).unwrap().to_string(), shown, "{text}");
        }
    }

    #[test]
    fn future_dates_allow_a_day_of_clock_skew() {
        let today = ymd(2026, 3, 2);
        for (date, future) in [
            (ymd(2026, 3, 1), false),
            (today, false),
            (ymd(2026, 3, 3), false),
            (ymd(2026, 3, 4), true),
            (ymd(2027, 1, 1), true),
        ] {
            assert_eq!(in_future(date, today), future, "{date}");
        }
        assert!(!in_future(NaiveDate::MAX, NaiveDate::MAX));
    }

    #[test]
    fn date_orders_read_from_their_settings() {
        #[derive(serde::Deserialize)]
        struct Settings {
            order: DateOrder,
        }
        let read = |text: &str| toml::from_str::<Settings>(text).map(|s| s.order).ok();
        assert_eq!(read("order = \"mdy\""), Some(DateOrder::Mdy));
        assert_eq!(read("order = \"dmy\""), Some(DateOrder::Dmy));
        assert_eq!(read("order = \"ymd\""), None);
        assert_eq!(DateOrder::Dmy.setting(), "dmy");
    }

    proptest::proptest! {
        #[test]
        fn formatted_dates_read_back_to_the_day(days in 0i32..3_652_425) {
            // Every day of years 0000 to 9999, the years ISO writes in four digits.
            let date = ymd(0, 1, 1) + chrono::Days::new(u64::try_from(days).unwrap());
            let text = format_date(date);
            proptest::prop_assert_eq!(read_date(&text, None), Ok(WrittenDate::day(date)));
            proptest::prop_assert_eq!(read_date(&text, Some(DateOrder::Dmy)), Ok(WrittenDate::day(date)));
            proptest::prop_assert_eq!(parse_date(&text), Some(date));
            proptest::prop_assert_eq!(WrittenDate::day(date).to_string(), text);
        }

        #[test]
        fn any_text_reads_or_says_why(text in "\\PC{0,24}") {
            let _ = read_date(&text, None).map_err(|problem| problem.to_string());
            let _ = read_date(&text, Some(DateOrder::Mdy));
        }
    }
}
