//! Reading one note from disk: bytes, UTF-8, then the note layer; a failure is a problem.
//!
//! Policy on symbolic links: a note that is a link is not read (nor ever written): it is
//! reported, as a warning, and left out. Reading through a link would make vault-reach
//! record outreach in a file outside the vault that a user may not know it reaches, and
//! replacing a link atomically replaces the link, not its target. The walk does not follow
//! linked folders either.

use std::path::Path;

use super::NoteRead;
use super::duplicates::conflict_copy;
use crate::error::{Issue, Location, Problem};
use crate::note::Parsed;
use crate::note::read::Reading;

/// Reads and parses one note; never fails, a failure is a problem.
pub fn read_note(root: &Path, rel: &Path, in_people: bool, reading: &Reading) -> NoteRead {
    read_note_with_stat(root, rel, in_people, reading).0
}

/// [`read_note`], with the note's metadata as its open file had it just before the read,
/// when it could be opened.
pub fn read_note_with_stat(
    root: &Path,
    rel: &Path,
    in_people: bool,
    reading: &Reading,
) -> (NoteRead, Option<std::fs::Metadata>) {
    let (bytes, meta) = match crate::files::read_regular_with_stat(&root.join(rel)) {
        Ok(read) => read,
        Err(err) if crate::files::is_link(&err) => {
            let problem = Problem::new(Location::file(rel), Issue::Link);
            return (NoteRead::Failed(problem), None);
        }
        Err(err) => {
            let reason = err.to_string();
            let problem = Problem::new(Location::file(rel), Issue::CannotRead { reason });
            return (NoteRead::Failed(problem), None);
        }
    };
    (
        parse_read(root, rel, in_people, reading, &bytes),
        Some(meta),
    )
}

/// The note layer's reading of a note's `bytes`.
fn parse_read(
    root: &Path,
    rel: &Path,
    in_people: bool,
    reading: &Reading,
    bytes: &[u8],
) -> NoteRead {
    if let Some(problem) =
        output_copy(root, rel, bytes).or_else(|| conflict_copy(root, rel, None, in_people))
    {
        return NoteRead::Conflict(problem);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let mut parsed = crate::note::parse_note_with(rel, text, in_people, reading);
            if let Parsed::Contact(contact, _) = &mut parsed {
                if let Some(problem) = conflict_copy(root, rel, Some(contact), in_people) {
                    return NoteRead::Conflict(problem);
                }
                contact.revision = next_revision();
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

/// A revision no read of this process has had (see `Contact::revision`), and, but by a
/// chance of about one in 2^64 as for the parse cache's own revisions, no read of an
/// earlier run: index.md's rows and the graph of links are kept between runs by the
/// revisions of the contacts they were made from, and a count from 1 in every run gave a
/// note whose read cannot be cached (a file name that is not UTF-8) the revision an
/// earlier run gave it before an edit, and so its old row.
pub(super) fn next_revision() -> u64 {
    use std::hash::BuildHasher as _;
    use std::sync::atomic::{AtomicU64, Ordering};
    // Counted on from a start drawn from the OS's randomness, as std's hash maps seed
    // their keys, so two runs' counts do not meet.
    static REVISIONS: std::sync::LazyLock<AtomicU64> = std::sync::LazyLock::new(|| {
        AtomicU64::new(std::collections::hash_map::RandomState::new().hash_one(0u64))
    });
    loop {
        // 0 is the revision of a contact not read from disk.
        let revision = REVISIONS.fetch_add(1, Ordering::Relaxed);
        if revision != 0 {
            return revision;
        }
    }
}

/// A sync tool's conflict copy of a note vault-reach writes (today.md's, most often): the
/// pass records its ticks, so it is reported as one to delete, never as a contact's copy to
/// merge.
fn output_copy(root: &Path, rel: &Path, bytes: &[u8]) -> Option<Problem> {
    let stem = rel.file_stem()?.to_str()?;
    let originals = crate::names::copy_of(stem);
    if originals.is_empty() || !crate::note::marker::is_generated(bytes) {
        return None;
    }
    let (original, _) = originals.into_iter().find(|&(original, how)| {
        how == crate::names::Conflict::Certain
            || root
                .join(rel.with_file_name(format!("{original}.md")))
                .is_file()
    })?;
    Some(Problem::new(
        Location::file(rel),
        Issue::OutputCopy {
            original: original.to_owned(),
        },
    ))
}
