//! Reading one note from disk: bytes, UTF-8, then the note layer; a failure is a problem.
//!
//! Policy on symbolic links: a note that is a link is not read (nor ever written): it is
//! reported, as a warning, and left out. Reading through a link would make vault-reach
//! record outreach in a file outside the vault that a user may not know it reaches, and
//! replacing a link atomically replaces the link, not its target. The walk does not follow
//! linked folders either.

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
    let bytes = match read_unlinked(&root.join(rel)) {
        Ok(bytes) => bytes,
        Err(err) if is_link_error(&err) => {
            return NoteRead::Failed(Problem::new(Location::file(rel), Issue::Link));
        }
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

/// The file's bytes, refusing a symbolic link in the open itself (`O_NOFOLLOW`), so that
/// telling links apart costs no extra call per note.
fn read_unlinked(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    let mut file = options.open(path)?;
    let mut bytes = Vec::new();
    if let Ok(meta) = file.metadata() {
        bytes.reserve_exact(usize::try_from(meta.len()).unwrap_or(0));
    }
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The open failed because the path is a symbolic link (`ELOOP` with `O_NOFOLLOW`).
fn is_link_error(err: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        err.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = err;
        false
    }
}
