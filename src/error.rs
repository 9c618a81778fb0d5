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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
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
        write!(f, "{}", self.display_path())?;
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
    let mut out = String::new();
    for (i, part) in path.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&part.as_os_str().to_string_lossy());
    }
    out
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// How serious a problem is: errors make `check` exit 1, warnings are shown only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// Something wrong with one note (or another vault file), and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub at: Location,
    pub severity: Severity,
    /// Lowercase, no final period; says what to fix.
    pub message: String,
}

impl Problem {
    pub fn error(at: Location, message: impl Into<String>) -> Self {
        Problem {
            at,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    pub fn warning(at: Location, message: impl Into<String>) -> Self {
        Problem {
            at,
            severity: Severity::Warning,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {label}: {}", self.at, self.message)
    }
}
