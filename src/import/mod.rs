//! Reading people from other tools: the LinkedIn data export and vCard files.
//!
//! This layer only parses: it turns exports into [`Person`] values and says which records it
//! skipped and why. Deciding who is new and writing notes belongs to the `import` command. A bad
//! record never stops an import; only an unreadable file does.

// "LinkedIn" in these docs is the company's name, not code to put in backticks.
#![allow(clippy::doc_markdown)]

pub mod calendar;
pub mod invitations;
pub mod linkedin;
pub mod mail;
pub mod matching;
pub mod new_note;
pub mod vcard;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::model::Birthday;
pub use crate::model::Invitation;

pub use linkedin::{
    parse_connections, parse_invitations, parse_linkedin_date, parse_recommendations, read_export,
};
pub use vcard::parse_vcards;

/// Where a [`Person`] was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    LinkedIn,
    VCard,
}

/// One person as an export describes them. Empty fields are `None`, never `Some("")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub first_name: String,
    pub last_name: String,
    /// Never empty: records without a usable name are [`Skipped`].
    pub full_name: String,
    /// The profile URL as the export spells it; compare with [`crate::names::url_key`].
    pub linkedin: Option<String>,
    /// The preferred (else first) address, also the first of `emails`.
    pub email: Option<String>,
    pub emails: Vec<String>,
    pub company: Option<String>,
    pub role: Option<String>,
    pub connected_on: Option<NaiveDate>,
    pub birthday: Option<Birthday>,
    pub phone: Option<String>,
    /// The address book's own notes on them (a vCard's `NOTE`), line breaks kept.
    pub note: Option<String>,
    pub source: Source,
    /// The record's place for messages: `Connections.csv:12`, `contacts.vcf card 3`.
    pub origin: String,
    /// Values that could not be read and were left out, e.g. ``birthday `circa 1980` is not a
    /// date``. The person is still imported; the command shows these with `origin`.
    pub warnings: Vec<String>,
}

impl Person {
    /// A person with only a name, for the parsers to fill in.
    fn named(
        first_name: &str,
        last_name: &str,
        full_name: &str,
        source: Source,
        origin: String,
    ) -> Self {
        Person {
            first_name: first_name.to_owned(),
            last_name: last_name.to_owned(),
            full_name: full_name.to_owned(),
            linkedin: None,
            email: None,
            emails: Vec::new(),
            company: None,
            role: None,
            connected_on: None,
            birthday: None,
            phone: None,
            note: None,
            source,
            origin,
            warnings: Vec::new(),
        }
    }
}

/// A record that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// `Connections.csv:7`, `contacts.vcf card 2`, or a file name when a whole file is skipped.
    pub origin: String,
    pub reason: String,
}

/// A recommendation you wrote (`Recommendations_Given.csv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    pub full_name: String,
    pub company: Option<String>,
    pub date: NaiveDate,
}

/// Everything the import uses from a LinkedIn data export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkedInExport {
    pub people: Vec<Person>,
    pub skipped: Vec<Skipped>,
    pub recommendations: Vec<Recommendation>,
    /// Outgoing invitations sent without a personal message.
    pub invitations_without_message: Vec<Invitation>,
    /// Whether the export had an `Invitations.csv` at all: an export without one says nothing
    /// about invitations, so the list saved by an earlier import is kept.
    pub has_invitations: bool,
    /// `messages.csv`: who wrote to whom, when.
    pub messages: Vec<linkedin::Message>,
    /// The export's owner, as `Profile.csv` names them.
    pub owner: Option<String>,
}

/// `Some(trimmed)` unless `s` is blank.
/// The files `paths` name: each file given, and under each folder given every regular file
/// `wanted` takes, at any depth, hidden ones too (a Maildir's `.Sent`), links not followed;
/// sorted, so an import reads in the same order everywhere.
pub fn files_under(
    paths: &[PathBuf],
    wanted: impl Fn(&Path) -> bool,
) -> Result<Vec<PathBuf>, ImportError> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|source| ImportError::Open {
            path: path.clone(),
            source,
        })?;
        if meta.is_file() {
            files.push(path.clone());
            continue;
        }
        for entry in ignore::WalkBuilder::new(path)
            .standard_filters(false)
            .follow_links(false)
            .build()
        {
            let entry = entry.map_err(|err| ImportError::Folder {
                path: path.clone(),
                source: std::io::Error::other(err),
            })?;
            if entry.file_type().is_some_and(|t| t.is_file()) && wanted(entry.path()) {
                files.push(entry.into_path());
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Why a source could not be read at all (a bad row is a [`Skipped`], not an error).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("could not read the folder `{}`", .path.display())]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("could not open `{}`", .path.display())]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("could not read `{}`", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("`{}` is not a readable zip file", .path.display())]
    NotZip {
        path: PathBuf,
        source: zip::result::ZipError,
    },
    #[error("`{}`: could not read `{label}`", .path.display())]
    InZip {
        path: PathBuf,
        label: String,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("`{}`: `{label}` is larger than {megabytes} MB, too large for a LinkedIn export", .path.display())]
    TooLarge {
        path: PathBuf,
        label: String,
        megabytes: u64,
    },
    /// `what` names the file (and the zip it is in).
    #[error("{what} is not UTF-8 text")]
    NotUtf8 {
        what: String,
        source: std::string::FromUtf8Error,
    },
    #[error("`{}`: no Connections.csv in this LinkedIn export", .0.display())]
    NoConnections(PathBuf),
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}
