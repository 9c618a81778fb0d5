//! A new contact note, as `new` and `import` both make it: from the `contact.md` template,
//! checked to read back as the contact it was made for, named so it collides with nothing.

use std::path::Path;

use serde::Serialize;

use super::{Person, Source};
use crate::error::Problem;
use crate::model::Birthday;
use crate::model::date::format_date;
use crate::note::{Parsed, parse_note};
use crate::render::{RenderError, Renderer};

/// What the `contact.md` template is given; `import` fills more of it than `new`.
#[derive(Debug, Default, Serialize)]
pub struct NewContact {
    pub name: String,
    pub met: Option<String>,
    pub context: Option<String>,
    pub email: Option<String>,
    pub company: Option<String>,
    pub role: Option<String>,
    pub linkedin: Option<String>,
    pub connected_on: Option<String>,
    pub birthday: Option<String>,
    pub phone: Option<String>,
    pub source: Option<String>,
    pub tags: Vec<String>,
    /// Log lines, without their bullet.
    pub log: Vec<String>,
}

/// Why a new note was not made.
#[derive(Debug, thiserror::Error)]
pub enum NewNoteError {
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(
        "the contact.md template did not keep the contact's `met-date`, `context` or `email`; nothing was written"
    )]
    Changed,
    #[error("the contact.md template made a note with problems, so nothing was written: {0}")]
    Problems(Problem),
    #[error("the contact.md template made a note that cannot be read, so nothing was written: {0}")]
    Unreadable(Problem),
    #[error("the contact.md template did not make a contact note, so nothing was written")]
    NotAContact,
}

/// Renders `contact.md` for `contact` and checks the result reads back as that contact, so a
/// broken template override never writes a note vault-reach cannot read.
pub fn render_note(
    vault: &Path,
    today: chrono::NaiveDate,
    rel: &str,
    contact: &NewContact,
) -> Result<String, NewNoteError> {
    let text = Renderer::new(vault, today)?.render("contact.md", contact)?;
    match parse_note(Path::new(rel), &text, true) {
        Parsed::Contact(read, problems) if problems.is_empty() => {
            let same = read.met_date.map(format_date) == contact.met
                && read.context.as_deref().map(str::trim)
                    == contact.context.as_deref().map(str::trim)
                && read.email == contact.email;
            if same {
                Ok(text)
            } else {
                Err(NewNoteError::Changed)
            }
        }
        Parsed::Contact(_, mut problems) => Err(NewNoteError::Problems(problems.swap_remove(0))),
        Parsed::Unreadable(problem) => Err(NewNoteError::Unreadable(problem)),
        Parsed::NotAContact | Parsed::Template => Err(NewNoteError::NotAContact),
    }
}

/// The names in `folder`, as a case-insensitive file system compares them.
pub fn taken_names(folder: &Path) -> std::collections::HashSet<String> {
    std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| crate::names::collision_key(&e.file_name().to_string_lossy()))
                .collect()
        })
        .unwrap_or_default()
}

/// What the `contact.md` template gets for `person`: what the source knows, no met-date and
/// no context (they are loose links until the user says when and how they met).
pub fn from_person(person: &Person) -> NewContact {
    NewContact {
        name: one_line(&person.full_name),
        linkedin: person.linkedin.as_deref().map(one_line),
        email: person.email.as_deref().map(one_line),
        company: person.company.as_deref().map(one_line),
        role: person.role.as_deref().map(one_line),
        connected_on: person.connected_on.map(format_date),
        birthday: person.birthday.map(format_birthday),
        phone: person.phone.as_deref().map(one_line),
        source: Some(
            match person.source {
                Source::LinkedIn => "linkedin",
                Source::VCard => "vcard",
            }
            .to_owned(),
        ),
        ..NewContact::default()
    }
}

/// A value on one line: a CSV cell or vCard value may hold a newline, which a heading or a
/// front-matter value must not.
pub fn one_line(text: &str) -> String {
    // Control characters (DEL, C1) and invisible ones (bidi overrides, U+FFFF) are left out:
    // YAML refuses some of them, and none belongs in a person's name or company.
    let visible: String = text
        .chars()
        .filter(|&c| (c.is_whitespace() || !c.is_control()) && !crate::names::is_invisible(c))
        .collect();
    visible.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `1980-08-17`, or `--08-17` without a year (the form vCard and the note reader share).
fn format_birthday(birthday: Birthday) -> String {
    match birthday.year {
        Some(year) => format!("{year:04}-{:02}-{:02}", birthday.month, birthday.day),
        None => format!("--{:02}-{:02}", birthday.month, birthday.day),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birthdays_are_written_as_the_note_reads_them() {
        let with_year = Birthday {
            year: Some(1985),
            month: 2,
            day: 3,
        };
        assert_eq!(format_birthday(with_year), "1985-02-03");
        let without = Birthday {
            year: None,
            ..with_year
        };
        assert_eq!(format_birthday(without), "--02-03");
        assert_eq!("--02-03".parse::<Birthday>(), Ok(without));
    }
}
