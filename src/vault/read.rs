//! Reading one note from disk: bytes, UTF-8, then the note layer; a failure is a problem.

use std::path::Path;

use super::NoteRead;
use super::duplicates::sync_conflict;
use crate::error::{Issue, Location, Problem};
use crate::note::Parsed;

/// Reads and parses one note; never fails, a failure is a problem.
pub fn read_note(root: &Path, rel: &Path, in_people: bool) -> NoteRead {
    if let Some(problem) = sync_conflict(rel) {
        return NoteRead::Conflict(problem);
    }
    let bytes = match std::fs::read(root.join(rel)) {
        Ok(bytes) => bytes,
        Err(err) => {
            return NoteRead::Failed(Problem::new(
                Location::file(rel),
                Issue::CannotRead {
                    reason: err.to_string(),
                },
            ));
        }
    };
    match std::str::from_utf8(&bytes) {
        Ok(text) => {
            static REVISIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
            let mut parsed = crate::note::parse_note(rel, text, in_people);
            if let Parsed::Contact(contact, _) = &mut parsed {
                contact.revision = REVISIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            NoteRead::Parsed(parsed)
        }
        Err(err) => {
            let offset = err.valid_up_to();
            let (line, column) =
                crate::error::line_col(std::str::from_utf8(&bytes[..offset]).unwrap_or(""), offset);
            NoteRead::Failed(Problem::new(
                Location::at(rel, line, column),
                Issue::NotUtf8,
            ))
        }
    }
}
