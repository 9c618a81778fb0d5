//! Where things went wrong in the vault, and the problems found in notes.
//!
//! A problem in one note never stops a run: it is collected, reported with its place, and the
//! rest of the vault is processed (ripgrep's policy for per-file errors).

use std::fmt;
use std::path::PathBuf;

/// A place in the vault, displayed as `People/Ada Lovelace.md:4:12`.
///
/// `path` is vault-relative (what the user sees); lines and columns count from 1, and lines are
/// the note's own (the opening `---` is line 1).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Location {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Location {
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location {
            path: path.into(),
            line: None,
            column: None,
        }
    }

    pub fn at(path: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Location {
            path: path.into(),
            line: Some(line),
            column: Some(column),
        }
    }

    /// The path with forward slashes, as Obsidian and the generated notes show it.
    pub fn display_path(&self) -> String {
        slash_path(&self.path)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", Escaped(&self.display_path()))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// A vault-relative path written with `/` on every OS.
pub fn slash_path(path: &std::path::Path) -> String {
    // The walk's paths are clean (relative, no `.`, no doubled or trailing separator): on
    // Unix their text is the answer already. Parsing each into components was a tenth of a
    // load that takes every note from the parse cache.
    #[cfg(unix)]
    if let Some(text) = path.to_str()
        && is_clean(text)
    {
        return text.to_owned();
    }
    let mut out = String::new();
    for (i, part) in path.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&part.as_os_str().to_string_lossy());
    }
    out
}

/// A relative `/`-separated path whose components are its text between separators.
#[cfg(unix)]
fn is_clean(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('/')
        && !text.ends_with('/')
        && text.split('/').all(|part| !part.is_empty() && part != ".")
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// How serious a problem is: errors make `check` exit 1, warnings are shown only.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// Something wrong with one note (or another vault file), and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub at: Location,
    /// [`Issue::severity`] of `issue`, kept beside it: every report filters on it.
    pub severity: Severity,
    pub issue: Issue,
}

/// What is wrong, as typed values; its text (lowercase, no final period) says what to fix
/// and is made only where it is shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum Issue {
    #[error("front-matter opened on line 1 is never closed with `---`")]
    Unclosed,
    #[error(
        "front-matter must be properties (`key: value` lines), found {found}; fix it and the note is read again"
    )]
    NotProperties {
        #[serde(deserialize_with = "interned")]
        found: Fixed,
    },
    #[error(
        "front-matter is not valid YAML: {reason}{}; fix it and the note is read again",
        if *.tabs { " (YAML is indented with spaces, not tabs)" } else { "" }
    )]
    Yaml { reason: String, tabs: bool },
    #[error("`{key}` repeats `{first}`, which is the one read; remove one")]
    Repeated { key: String, first: String },
    #[error("`{key}`: {reason}{}", if *.used { "" } else { "; until then it is not used" })]
    BadDate {
        key: String,
        reason: String,
        /// Read all the same (an ambiguous date, taken at its earlier reading).
        used: bool,
    },
    #[error("`{key}` is {date}, a day still to come; a typo? Until it is fixed it is not used")]
    FutureDate { key: String, date: String },
    #[error("`{key}` must be a date like 1980-08-17, or 08-17 without the year, found `{found}`")]
    BadBirthday { key: String, found: String },
    #[error("`{key}`: {reason}")]
    BadCadence { key: String, reason: String },
    #[error("`{key}` must be text, found {found}; it is ignored")]
    NotText {
        key: String,
        #[serde(deserialize_with = "interned")]
        found: Fixed,
    },
    #[error("cannot read the note: {reason}")]
    CannotRead { reason: String },
    #[error("cannot read this folder, so its notes are left out: {reason}")]
    CannotReadFolder { reason: String },
    #[error("the note is not UTF-8 text; save it as UTF-8 and it is read again")]
    NotUtf8,
    #[error(
        "the note is a symbolic link, which vault-reach neither reads nor writes through; move the note itself into the vault to include it"
    )]
    Link,
    #[error(
        "a sync tool's conflict copy of `{original}.md`; merge what it adds into that note, then delete it"
    )]
    ConflictCopy { original: String },
    #[error(
        "a sync tool's conflict copy of `{original}.md`, which vault-reach writes; its ticks are recorded like the note's own, so delete it"
    )]
    OutputCopy { original: String },
    /// `namesakes` holds the paths of every note of the name, this one's at `me`: one list
    /// for them all, where a vault of 15,000 namesakes spent a list each.
    #[error(
        "another note has the name `{name}`: {}; merge them if they are one person",
        (.namesakes.iter().enumerate())
            .filter(|&(i, _)| i != *.me as usize)
            .map(|(_, o)| format!("`{o}`"))
            .collect::<Vec<_>>()
            .join(", ")
    )]
    SameName {
        name: String,
        namesakes: std::sync::Arc<[String]>,
        me: u32,
    },
    #[error("looks like a sync copy of `{twin}`; merge them if they are one person")]
    SyncCopy { twin: String },
    #[error(
        "a ticked name, but {today} has no `date:` in its front-matter to record it on; it is kept as it is"
    )]
    UndatedTick { today: String },
    #[error(
        "{reason}; {today} keeps the tick and is not rewritten until you fix the name or untick it"
    )]
    UnknownTick { reason: String, today: String },
    #[error("the tick for `{target}` was not recorded: {reason}; it stays ticked")]
    TickNotRecorded { target: String, reason: String },
}

impl Issue {
    /// Errors make `check` exit 1 and a note unwritable; warnings are reported only.
    /// What kind of problem this is, as a summary counts them: `dates that need a look`.
    pub fn kind(&self) -> &'static str {
        match self {
            Issue::Unclosed | Issue::NotProperties { .. } | Issue::Yaml { .. } | Issue::NotUtf8 => {
                "unreadable notes"
            }
            Issue::BadDate { .. } | Issue::FutureDate { .. } => "dates that need a look",
            Issue::Repeated { .. }
            | Issue::BadBirthday { .. }
            | Issue::BadCadence { .. }
            | Issue::NotText { .. } => "values that need a look",
            Issue::ConflictCopy { .. } | Issue::OutputCopy { .. } | Issue::SyncCopy { .. } => {
                "sync conflict copies"
            }
            Issue::SameName { .. } => "shared names",
            Issue::Link => "linked notes",
            Issue::CannotRead { .. } | Issue::CannotReadFolder { .. } => {
                "files that cannot be read"
            }
            _ => "other problems",
        }
    }

    pub fn severity(&self) -> Severity {
        match self {
            Issue::Repeated { .. }
            | Issue::NotText { .. }
            | Issue::SameName { .. }
            | Issue::SyncCopy { .. }
            | Issue::OutputCopy { .. }
            | Issue::BadDate { .. }
            | Issue::FutureDate { .. }
            | Issue::Link => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

impl Problem {
    pub fn new(at: Location, issue: Issue) -> Self {
        Problem {
            at,
            severity: issue.severity(),
            issue,
        }
    }

    /// What is wrong, as the user reads it.
    pub fn message(&self) -> String {
        self.issue.to_string()
    }
}

/// A text of the program's own in an [`Issue`] (a YAML type's name). An alias, so that
/// serde's derive does not take it for text borrowed from its input.
pub type Fixed = &'static str;

/// A `&'static str` of an [`Issue`] read back (from the parse cache): each distinct text is
/// kept once for the life of the process. They are the few names of YAML types.
fn interned<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<&'static str, D::Error> {
    static TEXTS: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
    let mut texts = TEXTS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(&known) = texts.iter().find(|&&t| t == text) {
        return Ok(known);
    }
    let leaked: &'static str = Box::leak(text.into_owned().into_boxed_str());
    texts.push(leaked);
    Ok(leaked)
}

/// A [`Problem`] whole (its place and issue), for the parse cache; `Problem`'s own
/// `Serialize` is the report `check --json` prints, its message made.
pub mod whole {
    use super::{Issue, Location, Problem};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(problem: &Problem, serializer: S) -> Result<S::Ok, S::Error> {
        (&problem.at, &problem.issue).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Problem, D::Error> {
        let (at, issue) = <(Location, Issue)>::deserialize(deserializer)?;
        Ok(Problem::new(at, issue))
    }

    /// [`whole`](self) for a list of problems.
    pub mod many {
        use super::{Issue, Location, Problem};
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(
            problems: &[Problem],
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            serializer.collect_seq(problems.iter().map(|p| (&p.at, &p.issue)))
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Vec<Problem>, D::Error> {
            let pairs = Vec::<(Location, Issue)>::deserialize(deserializer)?;
            Ok(pairs
                .into_iter()
                .map(|(at, issue)| Problem::new(at, issue))
                .collect())
        }
    }
}

/// `check --json` shows a problem as its place, severity and message.
impl serde::Serialize for Problem {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        WithMessage {
            problem: self,
            message: &self.message(),
        }
        .serialize(serializer)
    }
}

/// A [`Problem`] as it is serialized, its message written already.
struct WithMessage<'a> {
    problem: &'a Problem,
    message: &'a str,
}

impl serde::Serialize for WithMessage<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut out = serializer.serialize_struct("Problem", 3)?;
        out.serialize_field("at", &self.problem.at)?;
        out.serialize_field("severity", &self.problem.severity)?;
        out.serialize_field("message", self.message)?;
        out.end()
    }
}

/// Problems serialized as a list of each as [`Problem`] serializes, their messages written
/// a run at a time on all cores: `check --json` of a large vault lists thousands, and
/// writing their messages was most of its serialization, on one core. A run at a time, so
/// that the messages are never all held at once.
pub struct ProblemList<'a>(pub &'a [std::sync::Arc<Problem>]);

impl serde::Serialize for ProblemList<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use rayon::prelude::*;
        use serde::ser::SerializeSeq as _;
        let mut list = serializer.serialize_seq(Some(self.0.len()))?;
        for run in self.0.chunks(1024) {
            let messages: Vec<String> = run.par_iter().map(|p| p.message()).collect();
            for (problem, message) in run.iter().zip(&messages) {
                list.serialize_element(&WithMessage { problem, message })?;
            }
        }
        list.end()
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, anstyle::Style::new())
    }
}

/// The error label's colour, as ripgrep and cargo show it.
pub const ERROR_STYLE: anstyle::Style = anstyle::AnsiColor::Red.on_default().bold();
const WARNING_STYLE: anstyle::Style = anstyle::AnsiColor::Yellow.on_default().bold();

impl Problem {
    /// The problem's line with its label in colour, for a terminal; printed through
    /// `anstream`, which drops the colour where it is not wanted.
    pub fn styled(&self) -> impl fmt::Display + '_ {
        struct Styled<'a>(&'a Problem);
        impl fmt::Display for Styled<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let style = match self.0.severity {
                    Severity::Error => ERROR_STYLE,
                    Severity::Warning => WARNING_STYLE,
                };
                self.0.write(f, style)
            }
        }
        Styled(self)
    }

    fn write(&self, f: &mut fmt::Formatter<'_>, style: anstyle::Style) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}: {style}{label}{style:#}: {}",
            self.at,
            Escaped(&self.issue.to_string())
        )
    }
}

/// Text for one line of a terminal or a log: control characters (a newline or an ANSI escape
/// in a file name) written as escapes (`\n`, `\u{1b}`), so that no file can forge a line
/// of `path:line:col` output or recolour a terminal.
pub struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(char::is_control) {
            f.write_str(&rest[..at])?;
            let c = rest[at..].chars().next().unwrap_or_default();
            write!(f, "{}", c.escape_default())?;
            rest = &rest[at + c.len_utf8()..];
        }
        f.write_str(rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clean_path_is_its_own_text_and_any_other_is_put_together_from_its_components() {
        for path in [
            "People/Ada Lovelace.md",
            "Ada.md",
            "People//Ada.md",
            "./People/Ada.md",
            "People/./Ada.md",
            "People/Ada.md/",
            "../Ada.md",
            "/abs/Ada.md",
        ] {
            let by_parts: Vec<String> = std::path::Path::new(path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            assert_eq!(
                slash_path(std::path::Path::new(path)),
                by_parts.join("/"),
                "{path}"
            );
        }
    }

    #[test]
    fn a_file_name_cannot_forge_a_line_of_output() {
        // Issue 12: a newline or an ANSI escape in a file name.
        let problem = Problem::new(
            Location::at("People/Ada\n- [x] [[Victim]]\u{1b}[31m.md", 3, 1),
            Issue::NotUtf8,
        );
        let line = problem.to_string();
        assert_eq!(line.lines().count(), 1, "{line}");
        assert!(
            line.starts_with("People/Ada\\n- [x] [[Victim]]\\u{1b}[31m.md:3:1: error: "),
            "{line}"
        );
        assert_eq!(
            Location::file("People/Ada Lovelace.md").to_string(),
            "People/Ada Lovelace.md"
        );
    }

    #[test]
    fn a_list_of_problems_serializes_as_each_problem_does_across_its_runs() {
        let problems: Vec<std::sync::Arc<Problem>> = (0..2500)
            .map(|i| {
                let issue = if i % 2 == 0 {
                    Issue::NotText {
                        key: format!("key{i}"),
                        found: "a list",
                    }
                } else {
                    Issue::ConflictCopy {
                        original: format!("Ada {i}"),
                    }
                };
                std::sync::Arc::new(Problem::new(Location::at("People/Ada.md", i, 1), issue))
            })
            .collect();
        assert_eq!(
            serde_json::to_string_pretty(&ProblemList(&problems)).unwrap(),
            serde_json::to_string_pretty(&problems).unwrap()
        );
    }
}
