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
    /// Every address when there are several, `email` first; empty when `email` is all there is.
    pub emails: Vec<String>,
    pub company: Option<String>,
    pub role: Option<String>,
    pub linkedin: Option<String>,
    pub connected_on: Option<String>,
    pub birthday: Option<String>,
    /// How often to be in touch, as a cadence reads (`3 months`); `None` for the vault's.
    pub cadence: Option<String>,
    pub phone: Option<String>,
    pub source: Option<String>,
    pub tags: Vec<String>,
    /// Other names the contact goes by, so that the next import finds them by any of them.
    pub aliases: Vec<String>,
    /// The source's own notes on them, as [`note_lines`] makes them safe to show as Markdown.
    pub note: Vec<String>,
    /// Log lines, without their bullet.
    pub log: Vec<String>,
}

/// Why a new note was not made.
#[derive(Debug, thiserror::Error)]
pub enum NewNoteError {
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(
        "the contact.md template did not keep the contact's `met-date`, `context`, `email`, `linkedin`, `birthday` or `cadence`; nothing was written"
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
    // The note's lines are Markdown already (`note_lines`): not to be escaped again.
    let note: Vec<minijinja::Value> = contact
        .note
        .iter()
        .map(|line| minijinja::Value::from_safe_string(line.clone()))
        .collect();
    let context =
        minijinja::context! { note, ..minijinja::Value::from(minijinja::value::Serde(contact)) };
    let text = Renderer::new(vault, today)?.render("contact.md", context)?;
    match parse_note(Path::new(rel), &text, true) {
        Parsed::Contact(read, problems) if problems.is_empty() => {
            // What the user typed must reach the note: a template of their own that lacks
            // `cadence` would drop `--cadence` without a word.
            let kept = |given: &Option<String>, read: Option<String>| {
                given.is_none() || read.as_deref() == given.as_deref()
            };
            let same = read.met_date.map(format_date) == contact.met
                && read.context.as_deref().map(str::trim)
                    == contact.context.as_deref().map(str::trim)
                && read.email.as_deref() == contact.email.as_deref()
                && kept(
                    &contact.linkedin,
                    read.linkedin.as_deref().map(str::to_owned),
                )
                && kept(&contact.cadence, read.cadence.map(|c| c.to_string()))
                && kept(&contact.birthday, read.birthday.map(format_birthday));
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
/// no context (they are loose links until the user says when and how they met). `aliases`
/// are the names the import planned for the note besides its file name.
pub fn from_person(person: &Person, aliases: &[String]) -> NewContact {
    let emails: Vec<String> = person.emails.iter().map(|e| one_line(e)).collect();
    NewContact {
        name: one_line(&person.full_name),
        linkedin: person.linkedin.as_deref().map(one_line),
        email: person.email.as_deref().map(one_line),
        emails: if emails.len() > 1 { emails } else { Vec::new() },
        aliases: aliases.to_vec(),
        note: person.note.as_deref().map(note_lines).unwrap_or_default(),
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

/// `text` (an address book's note on someone) as lines that Markdown shows as written, for
/// the template to quote: line breaks kept, and nothing in it ever structure of the note.
///
/// A line that would begin a block (`## Log`, `- [x] [[Someone]]`, a fence, `<div>`, a setext
/// underline, `1. first`) gets a backslash before the character that would begin it, which
/// Markdown shows as that character alone; so no text from an export becomes a Log heading, a
/// ticked task or a code fence that swallows the real Log. Control and invisible characters
/// are left out, as in [`one_line`]; blank lines at either end are dropped, inner ones kept
/// (`""`) as the paragraph breaks they are.
pub fn note_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text
        .split("\r\n")
        .flat_map(|l| {
            l.split([
                '\n', '\r', '\u{0b}', '\u{0c}', '\u{85}', '\u{2028}', '\u{2029}',
            ])
        })
        .map(|line| {
            let visible: String = line
                .chars()
                .filter_map(|c| match c {
                    '\t' => Some(' '),
                    c if c.is_control() || crate::names::is_invisible(c) => None,
                    c => Some(c),
                })
                .collect();
            // Inline markup escaped as the renderer escapes every value, then the line's start.
            escape_block_start(&crate::escape::markdown_text(visible.trim_end()))
        })
        .collect();
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    let leading_blanks = lines.iter().take_while(|l| l.is_empty()).count();
    lines.drain(..leading_blanks);
    lines
}

/// `line` with a backslash before whatever would make it begin a Markdown block.
fn escape_block_start(line: &str) -> String {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    // Four spaces in, a line is code or the paragraph's continuation: never a block start.
    if indent >= 4 {
        return line.to_owned();
    }
    let at = if rest.starts_with(['#', '-', '+', '*', '=', '_', '>', '`', '~', '<', '|', '[']) {
        Some(indent)
    } else {
        // An ordered list item: up to nine digits, then `.` or `)`.
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        ((1..=9).contains(&digits) && rest[digits..].starts_with(['.', ')']))
            .then_some(indent + digits)
    };
    match at {
        Some(at) => format!("{}\\{}", &line[..at], &line[at..]),
        None => line.to_owned(),
    }
}

/// `1980-08-17`, or `--08-17` without a year (the form vCard and the note reader share).
pub fn format_birthday(birthday: Birthday) -> String {
    match birthday.year {
        Some(year) => format!("{year:04}-{:02}-{:02}", birthday.month, birthday.day),
        None => format!("--{:02}-{:02}", birthday.month, birthday.day),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_lines_are_escaped_where_they_would_begin_a_block() {
        let text = concat!(
            "\n",
            "Met at the fair\r\n",
            "- [x] [[Victim]]\n",
            "## Log\n",
            "\n",
            "  1. first\t\n",
            "12) second\n",
            "```\n",
            "<div>\n",
            "Log\n",
            "===\n",
            "> quoted \u{202e}exe\u{7}\n",
            "    - deep enough to be text\n",
            "2024 was 1.5 times better\n",
            "\n\n",
        );
        assert_eq!(
            note_lines(text),
            [
                "Met at the fair",
                "\\- \\[x\\] [[Victim]]",
                "\\## Log",
                "",
                "  1\\. first",
                "12\\) second",
                "\\`\\`\\`",
                "\\<div>",
                "Log",
                "\\=\\==",
                "\\> quoted exe",
                "    - deep enough to be text",
                "2024 was 1.5 times better",
            ]
        );
    }

    /// What the template makes of the lines, read as every reader of a note reads Markdown:
    /// the hostile lines are text in one quote, and the only headings are the template's.
    #[test]
    fn quoted_note_lines_are_never_structure() {
        use pulldown_cmark::{Event, Parser, Tag};
        let hostile = concat!(
            "## Log\n- 2020-01-01 emailed\n- [x] [[Victim]]\n* [ ] task\n+ item\n",
            "1. one\n```\n~~~\n<!--\n---\n***\n___\nLog\n---\n# Interaction Log\n",
            "| a | b |\n|---|---|\n[x]: https://example.com\n>> deeper\n\n\tindented\n",
        );
        let mut body = String::from("## Notes\n\n");
        for line in note_lines(hostile) {
            body.push('>');
            if !line.is_empty() {
                body.push(' ');
                body.push_str(&line);
            }
            body.push('\n');
        }
        body.push_str("\n## Log\n\n- 2026-01-10 emailed\n");
        let mut headings = Vec::new();
        let mut quotes = 0;
        for (event, range) in Parser::new_ext(&body, crate::note::log::MARKDOWN).into_offset_iter()
        {
            match event {
                Event::Start(Tag::Heading { .. }) => headings.push(body[range].trim().to_owned()),
                Event::Start(Tag::BlockQuote(_)) => quotes += 1,
                Event::Start(
                    Tag::List(_) | Tag::Item | Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::Table(_),
                )
                | Event::TaskListMarker(_)
                | Event::Rule
                    if range.start < body.find("\n## Log").unwrap() =>
                {
                    panic!("{event:?} at {range:?} in\n{body}");
                }
                _ => {}
            }
        }
        assert_eq!(headings, ["## Notes", "## Log"], "{body}");
        assert_eq!(quotes, 1, "{body}");
        let log = crate::note::log::read_log(&body, 1, &crate::model::Vocabulary::default());
        assert_eq!(log.len(), 1, "{log:?}");
    }

    #[test]
    fn several_emails_are_listed_one_is_not() {
        let mut person = Person {
            emails: vec!["ada@example.com".into()],
            email: Some("ada@example.com".into()),
            ..crate::import::Person::named(
                "Ada",
                "Example",
                "Ada Example",
                Source::VCard,
                "x".into(),
            )
        };
        assert_eq!(from_person(&person, &[]).emails, Vec::<String>::new());
        person.emails.push("ada@work.example\n".into());
        let new = from_person(&person, &["Ada E.".into()]);
        assert_eq!(new.email.as_deref(), Some("ada@example.com"));
        assert_eq!(new.emails, ["ada@example.com", "ada@work.example"]);
        assert_eq!(new.aliases, ["Ada E."]);
    }

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
