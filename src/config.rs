//! Vault settings: `.vault-reach/config.toml` plus command-line flags, validated once.
//!
//! Every other module reads these typed values; only this module knows the file's spelling,
//! and only `Today::resolve` reads the clock.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Weekday};
use serde::Deserialize;

use crate::error::{Location, line_col};
use crate::model::date::DateOrder;
use crate::model::{Cadence, LogKind, Span, Vocabulary};
use crate::note::read::Reading;

/// Where the tool keeps what belongs to it inside a vault.
pub const STATE_DIR: &str = ".vault-reach";
/// The settings file, relative to the vault root.
pub const CONFIG_FILE: &str = ".vault-reach/config.toml";
/// The user's news of the day, which every draft of today.md carries.
pub const UPDATE_FILE: &str = ".vault-reach/update.md";

/// The validated settings of one vault.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The default cadence for contacts without their own.
    pub cadence: Cadence,
    /// A fixed daily quota; `None` computes it from the pledge.
    pub daily: Option<u32>,
    /// Which weekdays are workdays, indexed by `Weekday::num_days_from_monday`.
    pub workdays: [bool; 7],
    pub holidays: BTreeSet<NaiveDate>,
    /// Folders (vault-relative, `/`-separated) whose notes are contacts even without keys;
    /// the first is where `new` and `import` create notes.
    pub people: Vec<String>,
    /// Glob patterns (gitignore syntax, vault-relative) of files that are never contacts.
    pub exclude: Vec<String>,
    /// Extra template folders, besides `Templates`, `templates`, `_templates` and Obsidian's.
    pub template_folders: Vec<String>,
    /// Output paths, vault-relative.
    pub today_note: String,
    pub index_note: String,
    /// How many unanswered outreaches in a row make someone a candidate to let go.
    pub prune_after: u32,
    /// How many days after `met-date` a never-contacted person counts as a new connection.
    pub new_days: u32,
    /// How many days after the last of `prune-after` unanswered outreaches someone becomes a
    /// candidate to let go: a message sent yesterday has not gone unanswered yet.
    pub grace_days: u32,
    /// How many loose links (people whose note does not say when and how you met) today.md
    /// asks about each workday, besides the quota: a decision, not an outreach.
    pub loose_daily: u32,
    /// How slash dates (`03/02/2024`) are read; `None`: when unambiguous only.
    pub date_order: Option<DateOrder>,
    /// The user's own Log words, added to the default vocabulary.
    pub log_words: LogWords,
    /// The one device that records ticks and writes the outputs (its host name, short form),
    /// when the vault syncs between several; `None`: any device writes.
    pub writer: Option<String>,
    /// Who the user is (`[me]`), for the imports of mail and messages.
    pub me: Me,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            cadence: Cadence::Every(Span::Months(6)),
            daily: None,
            workdays: [true, true, true, true, true, false, false],
            holidays: BTreeSet::new(),
            people: vec!["People".to_owned()],
            exclude: Vec::new(),
            template_folders: Vec::new(),
            today_note: "today.md".to_owned(),
            index_note: "index.md".to_owned(),
            prune_after: 2,
            new_days: 30,
            grace_days: 14,
            loose_daily: 3,
            date_order: None,
            log_words: LogWords::default(),
            writer: None,
            me: Me::default(),
        }
    }
}

impl Settings {
    pub fn is_workday(&self, date: NaiveDate) -> bool {
        use chrono::Datelike;
        self.workdays[date.weekday().num_days_from_monday() as usize]
            && !self.holidays.contains(&date)
    }

    /// True when the device named `host` (as `hostname` prints it) may write into the vault:
    /// no `writer` is set, or it names this device, compared as host names are (without
    /// case, up to the first dot, so `laptop` is `Laptop.local`).
    pub fn may_write(&self, host: &str) -> bool {
        self.writer
            .as_deref()
            .is_none_or(|writer| short_host(writer).eq_ignore_ascii_case(short_host(host)))
    }

    /// The folder where new contact notes go.
    pub fn new_notes_folder(&self) -> &str {
        self.people.first().map_or("People", String::as_str)
    }

    /// Reads `CONFIG_FILE` under `vault`; a missing file means the defaults.
    pub fn load(vault: &Path) -> Result<Settings, ConfigError> {
        let path = vault.join(CONFIG_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Settings::parse(&text),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
            Err(err) => Err(ConfigError::new(None, format!("cannot read it: {err}"))),
        }
    }

    /// Parses the text of a config file.
    pub fn parse(text: &str) -> Result<Settings, ConfigError> {
        let raw: RawSettings =
            toml::from_str(text).map_err(|err| ConfigError::from_toml(text, &err))?;
        let mut settings = Settings::default();
        let bad = |key: &str, message: String| ConfigError::at_key(text, key, message);
        if let Some(cadence) = raw.cadence {
            settings.cadence = cadence
                .parse()
                .map_err(|e: crate::model::BadCadence| bad("cadence", e.to_string()))?;
            if settings.cadence == Cadence::Never {
                return Err(bad(
                    "cadence",
                    "the default cadence cannot be `never`: the pledge needs one".into(),
                ));
            }
        }
        if let Some(daily) = raw.daily {
            if daily == 0 {
                return Err(bad(
                    "daily",
                    "`daily` must be at least 1; remove it to compute the quota".into(),
                ));
            }
            settings.daily = Some(daily);
        }
        if let Some(days) = raw.workdays {
            let mut workdays = [false; 7];
            for day in &days {
                let weekday: Weekday = day.parse().map_err(|_| {
                    bad(
                        "workdays",
                        format!("`{day}` is not a weekday: use mon, tue, wed, thu, fri, sat, sun"),
                    )
                })?;
                workdays[weekday.num_days_from_monday() as usize] = true;
            }
            if !workdays.contains(&true) {
                return Err(bad("workdays", "name at least one workday".into()));
            }
            settings.workdays = workdays;
        }
        if let Some(holidays) = raw.holidays {
            for day in holidays {
                let date = match &day {
                    toml::Value::Datetime(dt) => dt.date.and_then(|d| {
                        NaiveDate::from_ymd_opt(
                            i32::from(d.year),
                            u32::from(d.month),
                            u32::from(d.day),
                        )
                    }),
                    toml::Value::String(s) => crate::model::date::parse_date(s),
                    _ => None,
                };
                let date = date.ok_or_else(|| {
                    bad("holidays", format!("`{day}` is not a date like 2026-12-25"))
                })?;
                settings.holidays.insert(date);
            }
        }
        if let Some(people) = raw.people {
            settings.people = people
                .iter()
                .map(|p| p.trim_matches('/').to_owned())
                .collect();
        }
        if let Some(exclude) = raw.exclude {
            for glob in &exclude {
                ignore::gitignore::GitignoreBuilder::new("")
                    .add_line(None, glob)
                    .map_err(|e| bad("exclude", format!("`{glob}` is not a valid pattern: {e}")))?;
            }
            settings.exclude = exclude;
        }
        if let Some(folders) = raw.template_folders {
            settings.template_folders = folders
                .iter()
                .map(|p| p.trim_matches('/').to_owned())
                .collect();
        }
        for (key, value, slot) in [
            ("today", raw.today, &mut settings.today_note),
            ("index", raw.index, &mut settings.index_note),
        ] {
            if let Some(value) = value {
                let path = Path::new(&value);
                let is_md = path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("md"));
                if path.is_absolute()
                    || value
                        .split(['/', '\\'])
                        .any(|p| p == ".." || p.starts_with('.'))
                    || !is_md
                {
                    return Err(bad(
                        key,
                        format!(
                            "`{value}` must be a `.md` path inside the vault, outside hidden folders"
                        ),
                    ));
                }
                *slot = value;
            }
        }
        if settings.today_note == settings.index_note {
            return Err(bad(
                "index",
                "`today` and `index` must be different files".into(),
            ));
        }
        if let Some(n) = raw.prune_after {
            if n == 0 {
                return Err(bad(
                    "prune-after",
                    "`prune-after` must be at least 1".into(),
                ));
            }
            settings.prune_after = n;
        }
        if let Some(n) = raw.new_days {
            settings.new_days = n;
        }
        if let Some(n) = raw.grace_days {
            settings.grace_days = n;
        }
        if let Some(n) = raw.loose_daily {
            settings.loose_daily = n;
        }
        settings.date_order = raw.date_order;
        if let Some(words) = raw.log {
            settings.log_words = words;
        }
        if let Some(writer) = raw.writer {
            if short_host(&writer).is_empty() {
                return Err(bad(
                    "writer",
                    "`writer` must name a device as `hostname` prints it; remove it to let any device write".into(),
                ));
            }
            settings.writer = Some(writer.trim().to_owned());
        }
        if let Some(me) = raw.me {
            if let Some(bad_address) = me.emails.iter().find(|e| !e.contains('@')) {
                return Err(bad(
                    "emails",
                    format!("`{bad_address}` in `[me]` is not an email address"),
                ));
            }
            settings.me = Me {
                emails: me.emails.iter().map(|e| e.trim().to_lowercase()).collect(),
                linkedin: me.linkedin,
            };
        }
        Ok(settings)
    }
}

/// The file's keys, as written; unknown keys are refused by serde with their name.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSettings {
    cadence: Option<String>,
    daily: Option<u32>,
    workdays: Option<Vec<String>>,
    holidays: Option<Vec<toml::Value>>,
    people: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
    template_folders: Option<Vec<String>>,
    today: Option<String>,
    index: Option<String>,
    prune_after: Option<u32>,
    new_days: Option<u32>,
    grace_days: Option<u32>,
    loose_daily: Option<u32>,
    date_order: Option<DateOrder>,
    log: Option<LogWords>,
    writer: Option<String>,
    me: Option<Me>,
}

/// The `[me]` table: who the user is in their mail and on the professional network, so an import can tell
/// what they wrote from what they were sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Me {
    /// Every address of the user's, compared case-blind.
    #[serde(default)]
    pub emails: Vec<String>,
    /// Their profile URL on the professional network (`linkedin`).
    pub linkedin: Option<String>,
}

/// The `[log]` table: words and phrases of the user's own, in any language, for each kind of
/// Log entry (`together = ["Kaffee", "almuerzo"]`), added to the default English ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogWords {
    #[serde(default)]
    pub outreach: Vec<String>,
    #[serde(default)]
    pub reply: Vec<String>,
    #[serde(default)]
    pub together: Vec<String>,
    /// Words that say a call or visit did not connect (`buzón de voz`): an outreach.
    #[serde(default)]
    pub unanswered: Vec<String>,
}

impl LogWords {
    /// The default vocabulary with these words added.
    pub fn vocabulary(&self) -> Vocabulary {
        let mut kinds = Vocabulary::default();
        kinds.extend(LogKind::Outreach, &self.outreach);
        kinds.extend(LogKind::Reply, &self.reply);
        kinds.extend(LogKind::Together, &self.together);
        kinds.extend_unanswered(&self.unanswered);
        kinds
    }
}

/// `laptop` of `Laptop.local` or ` laptop.example.org `.
fn short_host(name: &str) -> &str {
    let name = name.trim();
    name.split('.').next().unwrap_or(name)
}

/// A problem in `config.toml`, at its place in the file when known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{at}: {message}")]
pub struct ConfigError {
    pub at: Location,
    pub message: String,
}

impl ConfigError {
    fn new(line_col: Option<(usize, usize)>, message: String) -> Self {
        let at = match line_col {
            Some((line, column)) => Location::at(CONFIG_FILE, line, column),
            None => Location::file(CONFIG_FILE),
        };
        ConfigError { at, message }
    }

    fn from_toml(text: &str, err: &toml::de::Error) -> Self {
        let place = err.span().map(|span| line_col(text, span.start));
        ConfigError::new(place, err.message().trim_end_matches('.').to_owned())
    }

    /// An error about `key`, placed at the line that sets it.
    fn at_key(text: &str, key: &str, message: String) -> Self {
        let line = text.lines().position(|l| {
            let l = l.trim_start();
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        });
        ConfigError::new(line.map(|l| (l + 1, 1)), message)
    }
}

/// The news in `UPDATE_FILE`, as one paragraph: its lines joined, HTML comments (where
/// `init`'s example explains the file) and headings left out. `None` when there is none, or
/// the file cannot be read: a draft is whole without it.
pub fn read_update(vault: &Path) -> Option<String> {
    let text = crate::files::read_regular_text(&vault.join(UPDATE_FILE)).ok()?;
    update_of(&text)
}

fn update_of(text: &str) -> Option<String> {
    let mut rest = text;
    let mut kept = String::new();
    while let Some(open) = rest.find("<!--") {
        kept.push_str(&rest[..open]);
        rest = rest[open..]
            .find("-->")
            .map_or("", |close| &rest[open + close + 3..]);
    }
    kept.push_str(rest);
    let words: Vec<&str> = kept
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::split_whitespace)
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// What `init` writes as `UPDATE_FILE`: an explanation, and no news.
pub const DEFAULT_UPDATE: &str = include_str!("../templates/update.md");

/// The commented defaults `init` writes.
pub const DEFAULT_CONFIG: &str = include_str!("../templates/config.toml");

/// The vault a command works on, and the date it works for.
#[derive(Debug, Clone)]
pub struct Config {
    pub vault: PathBuf,
    pub today: NaiveDate,
    pub settings: Settings,
    /// The parse cache's file in this device's state folder; `None` when it is bypassed
    /// (`--no-cache`, `VAULT_REACH_NO_CACHE`).
    pub cache: Option<PathBuf>,
}

impl Config {
    /// How this vault's notes are read today.
    pub fn reading(&self) -> Reading {
        Reading {
            kinds: self.settings.log_words.vocabulary(),
            date_order: self.settings.date_order,
            today: Some(self.today),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_update_is_its_words_without_comments_or_headings() {
        assert_eq!(update_of(DEFAULT_UPDATE), None);
        assert_eq!(
            update_of("<!-- news -->\n# March\nWe shipped the\n  offline maps.\n\n<!-- x\ny -->Come to the launch.\n")
                .as_deref(),
            Some("We shipped the offline maps. Come to the launch.")
        );
        assert_eq!(update_of("<!-- never closed\nnews"), None);
    }

    #[test]
    fn an_empty_file_gives_the_defaults() {
        assert_eq!(Settings::parse("").unwrap(), Settings::default());
    }

    #[test]
    fn the_shipped_config_parses_to_the_defaults() {
        assert_eq!(
            Settings::parse(DEFAULT_CONFIG).unwrap(),
            Settings::default()
        );
    }

    #[test]
    fn every_key_is_read() {
        let s = Settings::parse(
            "cadence = \"90 days\"\ndaily = 5\nworkdays = [\"mon\", \"wed\"]\nholidays = [2026-12-25, \"2026-12-26\"]\n\
             people = [\"Contacts/\"]\nexclude = [\"Archive/**\"]\ntemplate-folders = [\"Meta/Tpl\"]\n\
             today = \"Daily/today.md\"\nindex = \"Network.md\"\nprune-after = 3\nnew-days = 14\n",
        )
        .unwrap();
        assert_eq!(s.cadence, Cadence::Every(Span::Days(90)));
        assert_eq!(s.daily, Some(5));
        assert_eq!(s.workdays, [true, false, true, false, false, false, false]);
        assert_eq!(s.holidays.len(), 2);
        assert_eq!(s.people, ["Contacts"]);
        assert_eq!(s.exclude, ["Archive/**"]);
        assert_eq!(s.template_folders, ["Meta/Tpl"]);
        assert_eq!(
            (s.today_note.as_str(), s.index_note.as_str()),
            ("Daily/today.md", "Network.md")
        );
        assert_eq!((s.prune_after, s.new_days), (3, 14));
    }

    #[test]
    fn an_unknown_key_is_named_with_its_line() {
        let err = Settings::parse("daily = 4\ncadance = \"6 months\"\n").unwrap_err();
        assert_eq!(err.at.line, Some(2));
        assert!(err.message.contains("unknown field `cadance`"), "{err}");
    }

    #[test]
    fn a_bad_value_is_named_with_its_line() {
        let err = Settings::parse("# mine\ncadence = \"sometimes\"\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with(".vault-reach/config.toml:2:1: `sometimes`"),
            "{err}"
        );
        assert!(
            err.message.contains("`sometimes` is not a cadence"),
            "{err}"
        );
        let err = Settings::parse("workdays = [\"mon\", \"funday\"]\n").unwrap_err();
        assert!(err.message.contains("`funday` is not a weekday"), "{err}");
        let err = Settings::parse("today = \"../today.md\"\n").unwrap_err();
        assert!(err.message.contains("inside the vault"), "{err}");
    }

    #[test]
    fn a_wrong_type_is_reported_at_its_place() {
        let err = Settings::parse("daily = \"four\"\n").unwrap_err();
        assert_eq!((err.at.line, err.at.column), (Some(1), Some(9)));
    }

    #[test]
    fn the_writer_is_matched_as_host_names_are() {
        let anyone = Settings::default();
        assert!(anyone.may_write("phone") && anyone.may_write(""));
        let laptop = Settings::parse("writer = \"Laptop\"\n").unwrap();
        for host in ["laptop", "LAPTOP", "laptop.local", "Laptop.example.org"] {
            assert!(laptop.may_write(host), "{host}");
        }
        for host in ["phone", "laptop2", "lap", ""] {
            assert!(!laptop.may_write(host), "{host}");
        }
        let full = Settings::parse("writer = \"box.home.arpa\"\n").unwrap();
        assert!(full.may_write("box") && full.may_write("BOX.lan"));
        let err = Settings::parse("writer = \" \"\n").unwrap_err();
        assert!(err.message.contains("`writer` must name a device"), "{err}");
    }
}
