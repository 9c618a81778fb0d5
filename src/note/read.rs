//! One note's text -> a contact, or why it is not one.
//!
//! Reading is lenient, as Obsidian is: every spelling of a property that other tools write is
//! read, empty properties are absent, and a bad value costs only that value (reported with its
//! line and column), never the contact. Only a front-matter that cannot be parsed at all makes
//! the note unreadable.

use std::path::Path;

use chrono::NaiveDate;
use yaml_serde::{Mapping, Value};

use crate::error::{Issue, Location, Problem};
use crate::model::date::{DateOrder, DateProblem, WrittenDate, read_date};
use crate::model::{Birthday, Cadence, Contact, Log, LogEntry, Vocabulary};
use crate::note::frontmatter::split;
use crate::note::keys::{Field, field_of, key_lines};
use crate::note::log::read_log;

/// What one note is.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[allow(
    clippy::large_enum_variant,
    reason = "a vault's notes are read into one array and turned into its contacts in place; \
              a box per contact would hold a second copy of all of them at that moment"
)]
pub enum Parsed {
    /// A contact, with the problems found in its values (the contact is still usable).
    Contact(
        Contact,
        #[serde(with = "crate::error::whole::many")] Vec<Problem>,
    ),
    NotAContact,
    /// A template: its dates are placeholders (`YYYY-MM-DD`, `{{date}}`, `<% … %>`).
    Template,
    /// The front-matter cannot be read at all; nothing about the note is known.
    Unreadable(#[serde(with = "crate::error::whole")] Problem),
}

/// How a vault's notes are read: what its Log words mean, how its slash dates are ordered,
/// and which day it is (a `last-touch` after it is a typo, not a plan).
#[derive(Debug, Clone, Default)]
pub struct Reading {
    pub kinds: Vocabulary,
    pub date_order: Option<DateOrder>,
    /// `None`: no date is too late (tests, and readers that only compare two texts).
    pub today: Option<NaiveDate>,
}

/// The default [`Reading`], built once: for readers that need no vault's settings.
pub fn default_reading() -> &'static Reading {
    static DEFAULT: std::sync::LazyLock<Reading> = std::sync::LazyLock::new(Reading::default);
    &DEFAULT
}

/// The key whose spelling the contact keeps, for the fields an edit writes.
fn spelled(field: Field) -> Option<crate::model::Spelled> {
    use crate::model::Spelled;
    match field {
        Field::LastTouch => Some(Spelled::LastTouch),
        Field::LastReply => Some(Spelled::LastReply),
        Field::Recommended => Some(Spelled::Recommended),
        _ => None,
    }
}

/// `key`, a spelling `field_of` reads as a key an edit writes, as the program's own text.
fn written(key: &str) -> Option<&'static str> {
    let written = crate::model::Spellings::written(key);
    debug_assert!(
        written.is_some(),
        "`{key}` is missing from Spellings::WRITTEN"
    );
    written
}

/// [`parse_note_with`] the default [`Reading`].
pub fn parse_note(path: &Path, text: &str, in_people_folder: bool) -> Parsed {
    parse_note_with(path, text, in_people_folder, default_reading())
}

/// Reads the note at `path` (vault-relative, used for the name and in problems) from `text`.
/// `in_people_folder` makes it a contact even without contact keys.
pub fn parse_note_with(
    path: &Path,
    text: &str,
    in_people_folder: bool,
    reading: &Reading,
) -> Parsed {
    let split = split(text);
    let body = &text[split.body.clone()];
    let Some(front) = &split.front else {
        // A note may open with a `---` thematic break and never close it; Obsidian shows it as
        // plain text. Only a note that looks like a contact is worth an error.
        if split.unclosed && (in_people_folder || has_contact_key(text)) {
            return Parsed::Unreadable(Problem::new(Location::at(path, 1, 1), Issue::Unclosed));
        }
        if !in_people_folder || is_fresh_untitled(path, text) {
            return Parsed::NotAContact;
        }
        let mut contact = new_contact(path);
        contact.log = Log::new(read_log(body, split.body_first_line(), &reading.kinds));
        contact.body = crate::note::body::facts(text, body);
        contact.keys = crate::names::name_keys(&contact);
        return Parsed::Contact(contact, Vec::new());
    };
    let yaml = &text[front.yaml.clone()];
    // Before parsing: an unquoted `{{date}}` is a YAML mapping, not text.
    if has_placeholder_date(yaml) {
        return Parsed::Template;
    }
    let first_line = front.yaml_first_line;
    // Most front-matter is plain lines, read without the parser (`plain_yaml`).
    let parsed = crate::note::plain_yaml::mapping(yaml).map_or_else(
        || yaml_serde::from_str::<Value>(yaml),
        |m| Ok(Value::Mapping(m)),
    );
    let mapping = match parsed {
        Ok(Value::Mapping(mapping)) => mapping,
        Ok(Value::Null) => Mapping::new(),
        Ok(other) => {
            return Parsed::Unreadable(Problem::new(
                Location::at(path, first_line, 1),
                Issue::NotProperties {
                    found: describe(&other),
                },
            ));
        }
        Err(err) => return Parsed::Unreadable(yaml_problem(path, yaml, first_line, &err)),
    };
    let is_contact = in_people_folder
        || mapping
            .keys()
            .filter_map(Value::as_str)
            .any(|k| field_of(k).is_some_and(Field::marks_contact));
    if !is_contact {
        return Parsed::NotAContact;
    }
    let mut reader = Reader {
        path,
        reading,
        yaml,
        first_line,
        contact: new_contact(path),
        given: Vec::new(),
        extra: Vec::new(),
        problems: Vec::new(),
    };
    for (key, value) in mapping {
        reader.read(key, value);
    }
    let mut contact = reader.contact;
    contact.extra = crate::model::Extra::new(&reader.extra);
    contact.log = Log::new(read_log(body, split.body_first_line(), &reading.kinds));
    contact.body = crate::note::body::facts(text, body);
    contact.keys = crate::names::name_keys(&contact);
    Parsed::Contact(contact, reader.problems)
}

/// Every dated entry of the note's Log, each with its text, in the note's order: what
/// recording an outreach compares with (a contact keeps only the newest whole).
pub fn log_entries(text: &str, kinds: &Vocabulary) -> Vec<LogEntry> {
    let split = split(text);
    read_log(&text[split.body.clone()], split.body_first_line(), kinds)
}

/// An empty note with the name Obsidian gives a note just created (`Untitled`,
/// `Untitled 2`…): a note still being started, not a person called Untitled.
fn is_fresh_untitled(path: &Path, text: &str) -> bool {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    let untitled = stem.strip_prefix("Untitled").is_some_and(|rest| {
        rest.is_empty()
            || rest
                .strip_prefix(' ')
                .is_some_and(|n| n.parse::<u32>().is_ok())
    });
    untitled && text.trim().is_empty()
}

fn new_contact(path: &Path) -> Contact {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Contact {
        path: path.to_path_buf(),
        name: stem.as_str().into(),
        stem: stem.into(),
        ..Contact::default()
    }
}

/// Reads one mapping into a contact, collecting problems.
struct Reader<'a> {
    path: &'a Path,
    reading: &'a Reading,
    yaml: &'a str,
    first_line: usize,
    contact: Contact,
    /// Fields already set by a key with a value, and that key.
    given: Vec<(Field, String)>,
    /// The keys that are no typed field, with their values.
    extra: Vec<(String, Value)>,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    fn read(&mut self, key: Value, value: Value) {
        let key = match key {
            Value::String(key) => key,
            other => text_of(&other).unwrap_or_else(|| describe(&other).to_owned()),
        };
        let Some(field) = field_of(&key) else {
            self.extra.push((key, value));
            return;
        };
        self.note_spelling(field, &key);
        if is_absent(&value) {
            return;
        }
        if let Some((_, first)) = self.given.iter().find(|(f, _)| *f == field) {
            let issue = Issue::Repeated {
                key: key.clone(),
                first: first.clone(),
            };
            self.problems.push(Problem::new(self.place(&key), issue));
            return;
        }
        self.given.push((field, key.clone()));
        self.set_spelling(field, &key);
        match field {
            Field::MetDate => {
                if let Some(met) = self.past_date(&key, &value) {
                    self.contact.met_date = Some(met.date);
                    self.contact.met_precision = met.precision;
                }
            }
            Field::LastTouch => {
                self.contact.last_touch = self.past_date(&key, &value).map(|d| d.date);
            }
            Field::LastReply => {
                self.contact.last_reply = self.past_date(&key, &value).map(|d| d.date);
            }
            Field::SnoozeUntil => {
                self.contact.snooze_until = self.date(&key, &value).map(|d| d.date);
            }
            Field::Paused => self.contact.paused = self.mark(&key, &value),
            Field::LetGo => self.contact.let_go = self.mark(&key, &value),
            Field::RoleChanged => {
                self.contact.role_changed = self.date(&key, &value).map(|d| d.date);
            }
            Field::PreviousRole => self.contact.previous_role = self.text(&key, &value),
            Field::Recommended => {
                self.contact.recommended = self.date(&key, &value).map(|d| d.date);
            }
            Field::Birthday => self.contact.birthday = self.birthday(&key, &value),
            Field::Cadence => self.contact.cadence = self.cadence(&key, &value),
            Field::Context => self.contact.context = self.text(&key, &value),
            Field::Email => self.contact.email = self.text(&key, &value),
            Field::Linkedin => self.contact.linkedin = self.text(&key, &value),
            Field::Company => self.contact.company = self.text(&key, &value),
            Field::Role => self.contact.role = self.text(&key, &value),
            Field::Name => {
                if let Some(name) = self.text(&key, &value) {
                    self.contact.name = name;
                }
            }
            Field::Tags => self.contact.tags = crate::model::Packed::new(&list_of(&value, true)),
            Field::Aliases => self.contact.aliases = list_of(&value, false),
        }
    }

    /// The first spelling seen, so an empty `lastContact:` is where a date gets written.
    fn note_spelling(&mut self, field: Field, key: &str) {
        if let Some(spelled) = spelled(field)
            && self.contact.spellings.get(spelled).is_none()
        {
            self.contact.spellings.set(spelled, written(key));
        }
    }

    /// The spelling that holds the value wins over an earlier empty one.
    fn set_spelling(&mut self, field: Field, key: &str) {
        if let Some(spelled) = spelled(field) {
            self.contact.spellings.set(spelled, written(key));
        }
    }

    /// Where `key`'s value is written: its line and the column of the value.
    fn place(&self, key: &str) -> Location {
        match key_lines(self.yaml).find(|k| k.key == key) {
            Some(k) => Location::at(self.path, self.first_line + k.index, k.value_column),
            None => Location::at(self.path, self.first_line, 1),
        }
    }

    fn report(&mut self, key: &str, issue: Issue) {
        let at = self.place(key);
        self.problems.push(Problem::new(at, issue));
    }

    /// A date as people write it (`2019`, `March 2, 2024`, `03/02/2024` by the vault's
    /// `date-order`); what cannot be read is a warning that says the fix, and the field is
    /// left out. An ambiguous slash date is read at its earlier reading, with a warning.
    /// `paused: 2026-12-01` or `paused: true` (`false` is no mark): any other value is a
    /// date problem, and the mark is still set, as the key says what the person meant.
    fn mark(&mut self, key: &str, value: &Value) -> Option<crate::model::Mark> {
        match value {
            Value::Bool(set) => set.then_some(crate::model::Mark { since: None }),
            _ => Some(crate::model::Mark {
                since: self.date(key, value).map(|d| d.date),
            }),
        }
    }

    fn date(&mut self, key: &str, value: &Value) -> Option<WrittenDate> {
        let text = match value {
            Value::String(s) => std::borrow::Cow::Borrowed(s.as_str()),
            other => std::borrow::Cow::Owned(
                text_of(other).unwrap_or_else(|| describe(other).to_owned()),
            ),
        };
        match read_date(&text, self.reading.date_order) {
            Ok(date) => Some(date),
            Err(problem) => {
                let earlier = match &problem {
                    DateProblem::Ambiguous { mdy, dmy, .. } => {
                        Some(WrittenDate::day(*mdy.min(dmy)))
                    }
                    _ => None,
                };
                self.report(
                    key,
                    Issue::BadDate {
                        key: key.to_owned(),
                        reason: problem.to_string(),
                        used: earlier.is_some(),
                    },
                );
                earlier
            }
        }
    }

    /// [`Reader::date`] of something that has happened: a date after tomorrow is a typo
    /// (`2062` for `2026`), which would hide the person from the schedule for decades.
    fn past_date(&mut self, key: &str, value: &Value) -> Option<WrittenDate> {
        let date = self.date(key, value)?;
        if let Some(today) = self.reading.today
            && crate::model::date::in_future(date.date, today)
        {
            self.report(
                key,
                Issue::FutureDate {
                    key: key.to_owned(),
                    date: date.to_string(),
                },
            );
            return None;
        }
        Some(date)
    }

    fn birthday(&mut self, key: &str, value: &Value) -> Option<Birthday> {
        let text = text_of(value);
        let birthday = text.as_deref().and_then(|t| {
            // An unquoted `19800817` is a YAML number.
            if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
                format!("{}-{}-{}", &t[..4], &t[4..6], &t[6..]).parse().ok()
            } else {
                t.parse().ok()
            }
        });
        if birthday.is_none() {
            let found = text.unwrap_or_else(|| describe(value).to_owned());
            let issue = Issue::BadBirthday {
                key: key.to_owned(),
                found,
            };
            self.report(key, issue);
        }
        birthday
    }

    fn cadence(&mut self, key: &str, value: &Value) -> Option<Cadence> {
        // A bare number is days, which is what `contactFrequency` holds.
        let text = text_of(value).unwrap_or_else(|| describe(value).to_owned());
        match text.parse::<Cadence>() {
            Ok(cadence) => Some(cadence),
            Err(err) => {
                let reason = err.to_string();
                self.report(
                    key,
                    Issue::BadCadence {
                        key: key.to_owned(),
                        reason,
                    },
                );
                None
            }
        }
    }

    fn text(&mut self, key: &str, value: &Value) -> Option<Box<str>> {
        let text = text_of(value).map(String::into_boxed_str);
        if text.is_none() {
            let issue = Issue::NotText {
                key: key.to_owned(),
                found: describe(value),
            };
            self.report(key, issue);
        }
        text
    }
}

/// Null, an empty string and an empty list are how Obsidian writes an empty property.
fn is_absent(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Sequence(items) => items.is_empty(),
        Value::Tagged(tagged) => is_absent(&tagged.value),
        _ => false,
    }
}

/// A value as the text the user wrote, or `None` for a mapping. An unquoted `[[Acme]]` is a
/// list in a list to YAML; it is a wikilink to the user, and comes back as one.
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::Null | Value::Mapping(_) => None,
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Sequence(items) => {
            let parts: Option<Vec<String>> = items
                .iter()
                .map(|item| match item {
                    Value::Sequence(inner) if inner.len() == 1 => {
                        text_of(&inner[0]).map(|t| format!("[[{t}]]"))
                    }
                    other => text_of(other),
                })
                .collect();
            parts.map(|p| p.join(", "))
        }
        Value::Tagged(tagged) => text_of(&tagged.value),
    }
}

/// `tags` and `aliases` in every shape Obsidian accepts: a list, one string (tags split on
/// commas and spaces, aliases on commas), or nothing. Tags lose a leading `#`.
fn list_of(value: &Value, is_tags: bool) -> Vec<String> {
    let clean = |s: &str| {
        let s = s.trim();
        let s = if is_tags {
            s.trim_start_matches('#')
        } else {
            s
        };
        (!s.is_empty()).then(|| s.to_owned())
    };
    match value {
        Value::String(s) => s
            .split(|c: char| c == ',' || (is_tags && c.is_whitespace()))
            .filter_map(clean)
            .collect(),
        Value::Sequence(items) => items
            .iter()
            .filter_map(|item| match item {
                Value::Sequence(inner) if inner.len() == 1 => {
                    text_of(&inner[0]).map(|t| format!("[[{t}]]"))
                }
                other => text_of(other),
            })
            .filter_map(|s| clean(&s))
            .collect(),
        Value::Tagged(tagged) => list_of(&tagged.value, is_tags),
        other => text_of(other).and_then(|s| clean(&s)).into_iter().collect(),
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "a line of text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a nested set of properties",
        Value::Tagged(_) => "a tagged value",
    }
}

/// Does any date key hold a template placeholder?
fn has_placeholder_date(yaml: &str) -> bool {
    const PLACEHOLDERS: [&str; 3] = ["YYYY-MM-DD", "{{", "<%"];
    // Most front-matter holds none: one look at the text spares reading its keys.
    if !PLACEHOLDERS.iter().any(|p| yaml.contains(p)) {
        return false;
    }
    key_lines(yaml).any(|k| {
        field_of(&k.key).is_some_and(Field::is_date)
            && PLACEHOLDERS.iter().any(|p| k.value.contains(p))
    })
}

/// Does any line of `text` set a key that makes a note a contact?
fn has_contact_key(text: &str) -> bool {
    key_lines(text).any(|k| field_of(&k.key).is_some_and(Field::marks_contact))
}

/// A YAML error placed on the note's line, with the YAML-relative positions taken out of the
/// message (they would contradict the location).
fn yaml_problem(path: &Path, yaml: &str, first_line: usize, err: &yaml_serde::Error) -> Problem {
    let full = err.to_string();
    let reason = strip_positions(&full);
    let (mut line, mut column) = err.location().map_or((1, 1), |l| (l.line(), l.column()));
    // An unterminated quote or bracket is found at the end of the block; libyaml names where
    // it opened ("while scanning a quoted scalar at line 2 column 10"), which is what to fix.
    if let Some(opened) = full
        .split(", while ")
        .nth(1)
        .and_then(|c| c.split(" at line ").nth(1))
        && let Some((l, c)) = opened.split_once(" column ")
        && let (Ok(l), Ok(c)) = (l.parse::<usize>(), skip_to_digits_end(c).parse::<usize>())
    {
        (line, column) = (l, c);
    }
    // yaml_serde places a duplicate key at the start of its mapping; point at the repeat.
    if let Some(key) = reason
        .strip_prefix("duplicate entry with key \"")
        .and_then(|k| k.strip_suffix('"'))
        && let Some(repeat) = key_lines(yaml).filter(|k| k.key == key).nth(1)
    {
        (line, column) = (repeat.index + 1, 1);
    }
    // libyaml may name the line before the tab's ("…violates indentation, while scanning a
    // plain scalar" at the value above it): the line to fix is the one the tab indents.
    if reason.contains("tab character")
        && let Some(tab) = yaml.split('\n').position(|l| l.starts_with('\t'))
    {
        (line, column) = (tab + 1, 1);
    }
    let tabbed = yaml
        .split('\n')
        .nth(line.saturating_sub(1))
        .is_some_and(|l| l.starts_with('\t'));
    Problem::new(
        Location::at(path, first_line + line.saturating_sub(1), column),
        Issue::Yaml {
            reason: if tabbed {
                "a tab indents this line".to_owned()
            } else {
                in_plain_words(&reason)
            },
            tabs: tabbed,
        },
    )
}

/// libyaml's reason in words a note's writer knows (`found unexpected end of stream, while
/// scanning a quoted scalar` is a quote never closed); a reason not listed is kept as it is,
/// which still says more than nothing.
fn in_plain_words(reason: &str) -> String {
    const SAID: [(&str, &str); 10] = [
        (
            "unknown anchor",
            "a value starts with `*`; put the value in quotes",
        ),
        (
            "while scanning a quoted scalar",
            "a quoted value is never closed: a `\"` or `'` is missing",
        ),
        (
            "while parsing a flow sequence",
            "a `[…]` list is not closed, or its items are not separated by commas",
        ),
        (
            "while parsing a flow mapping",
            "a `{…}` is not closed, or its items are not separated by commas",
        ),
        (
            "mapping values are not allowed in this context",
            "a value holds `: `; put the value in quotes",
        ),
        (
            "found character that cannot start any token",
            "a value starts with a character YAML keeps for itself (`@`, a backtick, a tab); put the value in quotes",
        ),
        (
            "could not find expected ':'",
            "a line is neither `key: value` nor an item of a list",
        ),
        (
            "while scanning an alias",
            "a value starts with `*`; put the value in quotes",
        ),
        (
            "while scanning an anchor",
            "a value starts with `&`; put the value in quotes",
        ),
        (
            "did not find expected key",
            "a line is indented where a new `key:` was expected",
        ),
    ];
    if let Some(key) = reason
        .strip_prefix("duplicate entry with key \"")
        .and_then(|k| k.strip_suffix('"'))
    {
        return format!("`{key}` appears twice; keep one");
    }
    SAID.iter()
        .find(|(libyaml, _)| reason.contains(libyaml))
        .map_or_else(|| reason.to_owned(), |(_, plain)| (*plain).to_owned())
}

/// Removes every ` at line N column M` and ` at position N` from a YAML error message.
fn strip_positions(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(" at ") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 4..];
        let skipped = after
            .strip_prefix("line ")
            .map(skip_digits)
            .and_then(|r| r.strip_prefix(" column "))
            .map(skip_digits)
            .or_else(|| after.strip_prefix("position ").map(skip_digits));
        if let Some(r) = skipped {
            rest = r;
        } else {
            out.push_str(" at ");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn skip_to_digits_end(text: &str) -> &str {
    &text[..text.len() - skip_digits(text).len()]
}

fn skip_digits(text: &str) -> &str {
    text.trim_start_matches(|c: char| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Severity;
    use crate::model::{LogKind, Span};
    use pretty_assertions::assert_eq;

    #[allow(
        clippy::unnecessary_wraps,
        reason = "compared with the contact's optional dates"
    )]
    fn date(s: &str) -> Option<NaiveDate> {
        Some(s.parse().unwrap())
    }

    fn parse(text: &str) -> Parsed {
        parse_note(Path::new("People/Ada Lovelace.md"), text, false)
    }

    fn contact(text: &str) -> (Contact, Vec<Problem>) {
        match parse(text) {
            Parsed::Contact(c, problems) => (c, problems),
            other => panic!("not a contact: {other:?}"),
        }
    }

    fn unreadable(text: &str) -> Problem {
        match parse(text) {
            Parsed::Unreadable(p) => p,
            other => panic!("readable: {other:?}"),
        }
    }

    #[test]
    fn a_full_note_is_read() {
        let (c, problems) = contact(
            "---\nname: Ada King\nmet-date: 2024-05-01\ncontext: RustConf panel\nlast-touch: 2025-01-02\n\
             last-reply: 2025-01-05\ncadence: 3 months\nsnooze-until: 2026-01-01\nrecommended: 2025-02-01\n\
             birthday: --12-10\nemail: ada@example.org\nlinkedin: https://linkedin.com/in/ada\n\
             company: Analytical\nrole: Engineer\ntags: [friend, '#rust']\naliases:\n  - Ada\n  - Countess\n\
             favourite: tea\nkids: 2\n---\n# Ada\n\n## Log\n- 2025-03-01 coffee\n",
        );
        assert_eq!(problems, []);
        assert_eq!(&*c.name, "Ada King");
        assert_eq!(&*c.stem, "Ada Lovelace");
        assert_eq!(c.path, Path::new("People/Ada Lovelace.md"));
        assert_eq!(c.met_date, date("2024-05-01"));
        assert_eq!(c.context.as_deref(), Some("RustConf panel"));
        assert_eq!(c.last_touch, date("2025-01-02"));
        assert_eq!(c.last_reply, date("2025-01-05"));
        assert_eq!(c.cadence, Some(Cadence::Every(Span::Months(3))));
        assert_eq!(c.snooze_until, date("2026-01-01"));
        assert_eq!(c.recommended, date("2025-02-01"));
        assert_eq!(
            c.birthday,
            Some(Birthday {
                year: None,
                month: 12,
                day: 10
            })
        );
        assert_eq!(c.email.as_deref(), Some("ada@example.org"));
        assert_eq!(c.linkedin.as_deref(), Some("https://linkedin.com/in/ada"));
        assert_eq!(c.company.as_deref(), Some("Analytical"));
        assert_eq!(c.role.as_deref(), Some("Engineer"));
        assert_eq!(c.tags.get(), ["friend", "rust"]);
        assert_eq!(c.aliases, ["Ada", "Countess"]);
        assert_eq!(
            c.extra.pairs(),
            [
                ("favourite".to_owned(), Value::String("tea".into())),
                ("kids".to_owned(), Value::Number(2.into()))
            ]
        );
        assert_eq!(c.log.len(), 1);
        assert_eq!(c.log.newest().map(|e| e.line), Some(25));
        assert_eq!(
            c.spellings.get(crate::model::Spelled::LastTouch),
            Some("last-touch")
        );
    }

    #[test]
    fn bom_and_crlf_notes_read_the_same() {
        let (c, problems) = contact(
            "\u{feff}---\r\nmet-date: 2024-05-01\r\ncontext: |\r\n  met at RustConf\r\n---\r\n## Log\r\n- 2025-01-01 replied\r\n",
        );
        assert_eq!(problems, []);
        assert_eq!(c.met_date, date("2024-05-01"));
        assert_eq!(c.context.as_deref(), Some("met at RustConf"));
        let newest = c.log.newest().unwrap();
        assert_eq!((newest.kind, newest.line), (LogKind::Reply, 7));
    }

    #[test]
    fn empty_properties_are_absent() {
        let (c, problems) =
            contact("---\nmet-date:\ncontext: \"\"\ntags:\naliases: []\nlast-touch: ''\n---\n");
        assert_eq!(problems, []);
        assert_eq!((c.met_date, c.context, c.last_touch), (None, None, None));
        assert!(c.tags.is_empty() && c.aliases.is_empty());
        // The empty key is still the spelling to write to.
        assert_eq!(
            c.spellings.get(crate::model::Spelled::LastTouch),
            Some("last-touch")
        );
    }

    #[test]
    fn every_alias_key_is_read() {
        type Check = fn(&Contact) -> bool;
        let cases: &[(&str, &str, Check)] = &[
            ("met_date", "2024-05-01", |c| {
                c.met_date == date("2024-05-01")
            }),
            ("metDate", "2024-05-01", |c| {
                c.met_date == date("2024-05-01")
            }),
            ("first-met", "2024-05-01", |c| {
                c.met_date == date("2024-05-01")
            }),
            ("met_context", "x", |c| c.context.as_deref() == Some("x")),
            ("howWeMet", "x", |c| c.context.as_deref() == Some("x")),
            ("how-we-met", "x", |c| c.context.as_deref() == Some("x")),
            ("last_contact", "2025-01-02", |c| {
                c.last_touch == date("2025-01-02")
            }),
            ("last-contact", "2025-01-02", |c| {
                c.last_touch == date("2025-01-02")
            }),
            ("lastContact", "2025-01-02", |c| {
                c.last_touch == date("2025-01-02")
            }),
            ("last contact", "2025-01-02", |c| {
                c.last_touch == date("2025-01-02")
            }),
            ("last_chat", "2025-01-02", |c| {
                c.last_touch == date("2025-01-02")
            }),
            ("prm-last-contacted", "2025-01-02", |c| {
                c.last_touch == date("2025-01-02")
            }),
            ("frequency", "Bi-Weekly", |c| {
                c.cadence == Some(Cadence::Every(Span::Days(14)))
            }),
            ("contactFrequency", "30", |c| {
                c.cadence == Some(Cadence::Every(Span::Days(30)))
            }),
            ("contact-frequency", "45", |c| {
                c.cadence == Some(Cadence::Every(Span::Days(45)))
            }),
            ("prm-cadence", "monthly", |c| {
                c.cadence == Some(Cadence::Every(Span::Months(1)))
            }),
            ("snooze_until", "2026-01-01", |c| {
                c.snooze_until == date("2026-01-01")
            }),
            ("prm-snooze-until", "2026-01-01", |c| {
                c.snooze_until == date("2026-01-01")
            }),
            ("birthDate", "1980-08-17", |c| {
                c.birthday.is_some_and(|b| b.year == Some(1980))
            }),
            ("prm-birthday", "08-17", |c| {
                c.birthday.is_some_and(|b| b.month == 8)
            }),
        ];
        for (key, value, check) in cases {
            let marks = field_of(key).is_some_and(Field::marks_contact);
            let other = if marks { "" } else { "context: here\n" };
            let note = format!("---\n{other}{key}: {value}\n---\n");
            let (c, problems) = contact(&note);
            assert_eq!(problems, [], "{key}");
            assert!(check(&c), "{key}: {c:?}");
            assert!(c.extra.is_empty(), "{key}");
        }
    }

    #[test]
    fn spellings_are_recorded() {
        let (c, _) =
            contact("---\nlastContact: 2025-01-02\nrecommended: 2025-02-02\nlast-reply:\n---\n");
        assert_eq!(
            c.spellings.get(crate::model::Spelled::LastTouch),
            Some("lastContact")
        );
        assert_eq!(
            c.spellings.get(crate::model::Spelled::Recommended),
            Some("recommended")
        );
        assert_eq!(
            c.spellings.get(crate::model::Spelled::LastReply),
            Some("last-reply")
        );
        let (c, _) = contact("---\ncontext: x\n---\n");
        assert_eq!(c.spellings.get(crate::model::Spelled::LastTouch), None);
    }

    #[test]
    fn a_repeated_field_keeps_the_first_value_and_warns() {
        let (c, problems) =
            contact("---\nlast-touch:\nlastContact: 2025-01-02\nlast_contact: 2024-01-01\n---\n");
        assert_eq!(c.last_touch, date("2025-01-02"));
        assert_eq!(
            c.spellings.get(crate::model::Spelled::LastTouch),
            Some("lastContact")
        );
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].severity, Severity::Warning);
        assert_eq!(problems[0].at.line, Some(4));
    }

    /// Issue 13: dates as people write them are read, without a word.
    #[test]
    fn dates_as_people_write_them_are_read() {
        for (written, day, shown) in [
            ("2024-03-02", "2024-03-02", "2024-03-02"),
            ("2024-03-02T09:30:00+01:00", "2024-03-02", "2024-03-02"),
            ("\"[[2024-03-02]]\"", "2024-03-02", "2024-03-02"),
            ("2019", "2019-01-01", "2019"),
            ("March 2024", "2024-03-01", "March 2024"),
            ("\"March 2, 2024\"", "2024-03-02", "2024-03-02"),
            ("2 March 2024", "2024-03-02", "2024-03-02"),
            ("2 Mar 2024", "2024-03-02", "2024-03-02"),
            ("13/02/2024", "2024-02-13", "2024-02-13"), // unambiguous: 13 is no month
        ] {
            let (c, problems) = contact(&format!(
                "---\ncontext: RustConf\nmet-date: {written}\n---\n"
            ));
            assert_eq!(problems, [], "{written}");
            assert_eq!(c.met_date, date(day), "{written}");
            let as_written = crate::model::date::WrittenDate {
                date: c.met_date.unwrap(),
                precision: c.met_precision,
            };
            assert_eq!(as_written.to_string(), shown, "{written}");
        }
    }

    /// Issue 13: a slash date is read by `date-order`; unset, an ambiguous one is a warning
    /// naming both readings, read at the earlier one; an impossible, unreadable or future
    /// date is a warning with the fix, and the field is not used.
    #[test]
    fn doubtful_dates_are_warnings_that_say_the_fix() {
        let read = |yaml: &str, order: Option<DateOrder>| {
            let reading = Reading {
                date_order: order,
                today: date("2026-03-02"),
                ..Reading::default()
            };
            match parse_note_with(
                Path::new("People/Ada.md"),
                &format!("---\n{yaml}\n---\n"),
                true,
                &reading,
            ) {
                Parsed::Contact(c, problems) => (c, problems),
                other => panic!("{other:?}"),
            }
        };
        let (c, problems) = read("met-date: 03/02/2024", Some(DateOrder::Mdy));
        assert_eq!((c.met_date, problems.len()), (date("2024-03-02"), 0));
        let (c, _) = read("met-date: 03/02/2024", Some(DateOrder::Dmy));
        assert_eq!(c.met_date, date("2024-02-03"));
        let (c, problems) = read("met-date: 03/02/2024", None);
        assert_eq!(c.met_date, date("2024-02-03"));
        assert_eq!(problems[0].severity, Severity::Warning);
        assert!(
            problems[0]
                .message()
                .contains("March 2, 2024 or 3 February 2024")
                && problems[0].message().contains("date-order"),
            "{}",
            problems[0]
        );
        for (yaml, says) in [
            ("last-touch: 2026-02-30", "February 2026 has no day 30"),
            ("last-touch: next week", "write it as YYYY-MM-DD"),
            (
                "last-touch: 2062-01-01",
                "`last-touch` is 2062-01-01, a day still to come; a typo?",
            ),
            ("last-reply: 2026-03-05", "a day still to come"),
        ] {
            let (c, problems) = read(yaml, None);
            assert_eq!((c.last_touch, c.last_reply), (None, None), "{yaml}");
            assert_eq!(problems.len(), 1, "{yaml}");
            let p = &problems[0];
            assert_eq!(
                (p.severity, p.at.line),
                (Severity::Warning, Some(2)),
                "{yaml}"
            );
            assert!(p.message().contains(says), "{yaml}: {p}");
            assert!(p.message().ends_with("it is not used"), "{yaml}: {p}");
        }
        // A day of clock skew is not the future; a snooze is meant to be.
        let (c, problems) = read("last-touch: 2026-03-03\nsnooze-until: 2027-01-01", None);
        assert_eq!((c.last_touch, problems.len()), (date("2026-03-03"), 0));
        assert_eq!(c.snooze_until, date("2027-01-01"));
    }

    #[test]
    fn a_bad_cadence_and_birthday_are_reported() {
        let (c, problems) = contact("---\ncadence: sometimes\n\"birthday\":  soon\n---\n");
        assert_eq!((c.cadence, c.birthday), (None, None));
        assert_eq!(problems.len(), 2);
        assert_eq!(
            (problems[0].at.line, problems[0].at.column),
            (Some(2), Some(10))
        );
        assert!(
            problems[0]
                .message()
                .starts_with("`cadence`: `sometimes` is not a cadence")
        );
        assert_eq!(
            (problems[1].at.line, problems[1].at.column),
            (Some(3), Some(14))
        );
    }

    #[test]
    fn a_numeric_birthday_is_a_date() {
        let (c, problems) = contact("---\ncontext: x\nbirthday: 19800817\n---\n");
        assert_eq!(problems, []);
        assert_eq!(
            c.birthday,
            Some(Birthday {
                year: Some(1980),
                month: 8,
                day: 17
            })
        );
    }

    #[test]
    fn malformed_yaml_is_reported_at_the_note_line() {
        let p = unreadable("---\ncontext: x\ntags:\n\t- a\n---\n");
        assert_eq!((p.at.line, p.at.column), (Some(4), Some(1)));
        assert_eq!(
            p.message(),
            "front-matter is not valid YAML: a tab indents this line \
             (YAML is indented with spaces, not tabs); fix it and the note is read again"
        );
        // libyaml's words are put in the writer's.
        let p = unreadable("---\ncontext: \"a meetup\nrole: x\n---\n");
        assert_eq!((p.at.line, p.at.column), (Some(2), Some(10)));
        assert_eq!(
            p.message(),
            "front-matter is not valid YAML: a quoted value is never closed: a `\"` or `'` is \
             missing; fix it and the note is read again"
        );
        let p = unreadable("---\ntags: [a, b\n---\n");
        assert!(
            p.message().contains("a `[…]` list is not closed"),
            "{}",
            p.message()
        );
        let p = unreadable("---\ncontext: x\nrole: a: b\n---\n");
        assert_eq!((p.at.line, p.at.column), (Some(3), Some(8)));
        assert!(!p.message().contains("line"), "{}", p.message());
        let p = unreadable("---\ncontext: x\nemail: *y\n---\n");
        assert!(
            p.message().contains("a value starts with `*`"),
            "{}",
            p.message()
        );
        // The tab is on the line below the value libyaml names.
        let p = unreadable("---\ncontext: hello\n\tworld\n---\n");
        assert_eq!(p.at.line, Some(3));
        assert!(
            p.message().contains("a tab indents this line"),
            "{}",
            p.message()
        );
    }

    #[test]
    fn a_duplicate_key_is_reported_at_the_repeat() {
        let p = unreadable("---\ncontext: x\nmet-date: 2024-01-01\nmet-date: 2024-02-02\n---\n");
        assert_eq!((p.at.line, p.at.column), (Some(4), Some(1)));
        assert!(
            p.message().contains("`met-date` appears twice; keep one"),
            "{}",
            p.message()
        );
    }

    #[test]
    fn a_non_mapping_front_matter_is_unreadable() {
        let p = unreadable("---\n- a\n- b\n---\n");
        assert_eq!(p.at.line, Some(2));
        assert_eq!(
            p.message(),
            "front-matter must be properties (`key: value` lines), found a list; \
             fix it and the note is read again"
        );
    }

    #[test]
    fn an_unclosed_front_matter_is_unreadable_only_for_contacts() {
        let p = unreadable("---\nmet-date: 2024-01-01\n# Ada\n");
        assert_eq!(
            p.to_string(),
            "People/Ada Lovelace.md:1:1: error: front-matter opened on line 1 is never closed with `---`"
        );
        // A note that opens with a thematic break is text, as in Obsidian.
        assert_eq!(parse("---\nSome thoughts\n"), Parsed::NotAContact);
        assert!(matches!(
            parse_note(Path::new("People/Bob.md"), "---\nhello\n", true),
            Parsed::Unreadable(_)
        ));
    }

    #[test]
    fn placeholder_dates_make_a_template() {
        for text in [
            "---\nmet-date: YYYY-MM-DD\ncontext:\n---\n",
            "---\nmet-date: {{date}}\n---\n",
            "---\nlast-touch: \"{{date:YYYY-MM-DD}}\"\n---\n",
            "---\nmetDate: <% tp.date.now(\"YYYY-MM-DD\") %>\n---\n",
        ] {
            assert_eq!(parse(text), Parsed::Template, "{text}");
        }
        // A placeholder elsewhere is just text.
        assert!(matches!(
            parse("---\ncontext: \"{{title}}\"\n---\n"),
            Parsed::Contact(..)
        ));
    }

    #[test]
    fn a_new_empty_untitled_note_is_not_a_contact_yet() {
        // Issue 18: Obsidian's "new note" in a people folder became a person called Untitled.
        for name in ["People/Untitled.md", "People/Untitled 3.md"] {
            assert_eq!(
                parse_note(Path::new(name), "", true),
                Parsed::NotAContact,
                "{name}"
            );
            assert_eq!(
                parse_note(Path::new(name), "\n\n", true),
                Parsed::NotAContact
            );
        }
        // Once it has a word, or another name, it is read as before.
        assert!(matches!(
            parse_note(Path::new("People/Untitled.md"), "# Ada\n", true),
            Parsed::Contact(..)
        ));
        assert!(matches!(
            parse_note(Path::new("People/Untitled Ada.md"), "", true),
            Parsed::Contact(..)
        ));
        assert!(matches!(
            parse_note(Path::new("People/Ada.md"), "", true),
            Parsed::Contact(..)
        ));
    }

    #[test]
    fn notes_without_contact_keys_are_not_contacts() {
        assert_eq!(parse("# Meeting\n"), Parsed::NotAContact);
        assert_eq!(
            parse("---\ntags: [meeting]\nname: x\n---\n"),
            Parsed::NotAContact
        );
        assert_eq!(parse("---\n---\n"), Parsed::NotAContact);
    }

    #[test]
    fn a_people_folder_note_is_a_contact_without_front_matter() {
        let Parsed::Contact(c, problems) = parse_note(
            Path::new("People/Bob Smith.md"),
            "Met at the meetup.\n\n## Log\n- 2025-06-01 intro\n",
            true,
        ) else {
            panic!("not a contact");
        };
        assert_eq!(problems, []);
        assert_eq!(
            (c.name.as_ref(), c.stem.as_ref()),
            ("Bob Smith", "Bob Smith")
        );
        assert_eq!(c.log.newest().map(|e| e.line), Some(4));
        assert!(matches!(
            parse_note(Path::new("People/Bob.md"), "---\n---\n", true),
            Parsed::Contact(..)
        ));
    }

    #[test]
    fn a_wikilink_company_stays_a_wikilink() {
        let (c, problems) = contact(
            "---\ncontext: x\ncompany: [[Acme Corp]]\ntags: \"#work, friends  rust\"\n---\n",
        );
        assert_eq!(problems, []);
        assert_eq!(c.company.as_deref(), Some("[[Acme Corp]]"));
        assert_eq!(c.tags.get(), ["work", "friends", "rust"]);
    }

    #[test]
    fn dates_read_leniently() {
        let (c, problems) = contact(
            "---\nmet-date: 2024-05-01T10:30:00\nlast-touch: [[2025-01-02]]\nlast-reply: \"[[2025-01-03]]\"\nrecommended: 2025-02-02 09:00\n---\n",
        );
        assert_eq!(problems, []);
        assert_eq!(c.met_date, date("2024-05-01"));
        assert_eq!(c.last_touch, date("2025-01-02"));
        assert_eq!(c.last_reply, date("2025-01-03"));
        assert_eq!(c.recommended, date("2025-02-02"));
    }

    #[test]
    fn numbers_and_booleans_are_text() {
        let (c, problems) = contact("---\ncontext: 42\nrole: true\nname: \"  \"\n---\n");
        assert_eq!(problems, []);
        assert_eq!(
            (c.context.as_deref(), c.role.as_deref()),
            (Some("42"), Some("true"))
        );
        assert_eq!(&*c.name, "Ada Lovelace");
    }

    #[test]
    fn a_nested_value_where_text_belongs_is_a_warning() {
        let (c, problems) = contact("---\ncontext: x\nrole:\n  title: cto\n---\n");
        assert_eq!(c.role, None);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].severity, Severity::Warning);
        assert_eq!(problems[0].at.line, Some(3));
    }

    #[test]
    fn yaml_positions_are_stripped_from_messages() {
        assert_eq!(
            strip_positions(
                "did not find expected key at line 3 column 1, while parsing a block mapping at line 1 column 1"
            ),
            "did not find expected key, while parsing a block mapping"
        );
        assert_eq!(strip_positions("look at me at position 4"), "look at me");
    }

    proptest::proptest! {
        #[test]
        fn no_note_makes_the_reader_panic(
            bom in proptest::bool::ANY,
            lines in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just("---".to_owned()),
                    proptest::strategy::Just("met-date: 2024-01-01".to_owned()),
                    proptest::strategy::Just("\"lastContact\": [[2025-01-01]]".to_owned()),
                    proptest::strategy::Just("tags:".to_owned()),
                    proptest::strategy::Just("  - a".to_owned()),
                    proptest::strategy::Just("\t- b".to_owned()),
                    proptest::strategy::Just("## Log".to_owned()),
                    proptest::strategy::Just("- 2025-01-01 x".to_owned()),
                    proptest::strategy::Just("```".to_owned()),
                    "[a-z#\\-\"': \\[\\]{}]{0,12}",
                    ".{0,8}",
                ],
                0..12,
            ),
            crlf in proptest::bool::ANY,
            people in proptest::bool::ANY,
        ) {
            let newline = if crlf { "\r\n" } else { "\n" };
            let text = format!("{}{}", if bom { "\u{feff}" } else { "" }, lines.join(newline));
            let _ = parse_note(Path::new("x.md"), &text, people);
        }
    }
}
