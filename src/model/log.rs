//! What happened between you and a person: the Log's typed entries, and invitations sent.

use chrono::NaiveDate;

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

/// An invitation you sent (`Invitations.csv`), kept by `import` for the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// The invitee's name as the export shows it.
    pub to: String,
    pub profile_url: Option<String>,
    pub sent: Option<NaiveDate>,
}
