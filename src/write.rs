//! The only code that writes files: atomically, only when the content changes, and never over
//! a file that is not ours.
//!
//! Generated notes carry `generated-by: vault-reach` in their front-matter; any other file at
//! an output path is left byte-identical and reported. When the user changed a generated note
//! beyond its checkboxes, their version is kept under `.vault-reach/backup/` first.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::note::marker::is_generated;

/// Where we remember what we last wrote to each output, to tell the user's edits from ours.
const LEDGER: &str = ".vault-reach/generated.json";
const BACKUPS: &str = ".vault-reach/backup";

/// What happened to one output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Unchanged,
    Written,
    /// Written, after keeping the user's edited version at this vault-relative path.
    WrittenWithBackup(PathBuf),
    /// Not rewritten, because it holds ticks that could not be recorded yet.
    Held,
}

/// An output path holds a file vault-reach did not write.
#[derive(Debug, thiserror::Error)]
#[error(
    "`{0}` exists and was not written by vault-reach (no `generated-by: vault-reach` in its front-matter); \
     it was left untouched: move it away, or set another path in .vault-reach/config.toml"
)]
pub struct NotOurs(pub String);

/// Why a file of the vault was not written. Each names the file; the OS's reason is its source.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot create the folder `{}`", .path.display())]
    CreateFolder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write in `{}`", .path.display())]
    WriteIn {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read `{}`", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write `{}`", .path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot replace `{}`", .path.display())]
    Replace {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot create `{}`", .path.display())]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot clean up after `{}`", .path.display())]
    CleanUp {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The edit itself refused the note's text.
    #[error("`{}` was not changed", .path.display())]
    Edit {
        path: PathBuf,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error(
        "`{}` is a symbolic link; vault-reach does not write through links, so it was left as it is",
        .0.display()
    )]
    Link(PathBuf),
    #[error("`{}` is read-only; vault-reach leaves it as it is", .0.display())]
    ReadOnly(PathBuf),
    #[error(
        "`{}` is not a regular file (a pipe, a socket or a device); vault-reach reads and replaces only files",
        .0.display()
    )]
    NotRegular(PathBuf),
    #[error(transparent)]
    NotOurs(#[from] NotOurs),
    #[error(transparent)]
    KeptChanging(#[from] KeptChanging),
}

/// An I/O error at `path`, as the `WriteError` variant `kind` builds it.
fn at(
    path: &Path,
    kind: fn(PathBuf, std::io::Error) -> WriteError,
) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| kind(path.to_path_buf(), source)
}

/// Refuses to replace `path` when it is a symbolic link (an atomic replace would put a file
/// in the link's place, and reach outside the vault to read it) or read-only (someone made
/// it so on purpose). A path that does not exist yet is fine.
fn replaceable(path: &Path) -> Result<(), WriteError> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(WriteError::Link(path.to_path_buf())),
        Ok(meta) if !meta.is_file() => Err(WriteError::NotRegular(path.to_path_buf())),
        Ok(meta) if meta.permissions().readonly() => Err(WriteError::ReadOnly(path.to_path_buf())),
        _ => Ok(()),
    }
}

/// Writes `contents` to `path` through a temporary file in the same folder, fsynced and
/// renamed over the target, so a reader never sees half a file.
pub fn write_atomic(path: &Path, contents: &str) -> Result<(), WriteError> {
    replaceable(path)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(at(dir, |path, source| WriteError::CreateFolder {
            path,
            source,
        }))?;
    }
    let write = |path, source| WriteError::Write { path, source };
    let mut file = atomic_write_file::AtomicWriteFile::options()
        .open(path)
        .map_err(at(path, write))?;
    file.write_all(contents.as_bytes())
        .map_err(at(path, write))?;
    file.commit()
        .map_err(at(path, |path, source| WriteError::Replace {
            path,
            source,
        }))?;
    Ok(())
}

/// A note changed on disk while we were editing it, more often than we retried.
#[derive(Debug, thiserror::Error)]
#[error(
    "`{0}` kept changing while vault-reach was editing it (an editor or sync tool is writing it); nothing was written, try again"
)]
pub struct KeptChanging(pub String);

/// Edits the note at `path` with `edit` (text in, new text or `None` out), optimistically: the
/// note is read, edited, and replaced only if it still holds what was read just before the
/// rename; if an editor changed it in between, the edit is redone on the new text (3 tries).
/// Returns the old and new text when it wrote (or would write, with `dry_run`).
pub fn edit_note<E>(
    path: &Path,
    dry_run: bool,
    mut edit: impl FnMut(&str) -> Result<Option<String>, E>,
) -> Result<Option<(String, String)>, WriteError>
where
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let write = |path, source| WriteError::Write { path, source };
    replaceable(path)?;
    for _ in 0..3 {
        let old = crate::files::read_regular_text(path)
            .map_err(at(path, |path, source| WriteError::Read { path, source }))?;
        let edited = edit(&old).map_err(|source| WriteError::Edit {
            path: path.to_path_buf(),
            source: source.into(),
        })?;
        let Some(new) = edited else {
            return Ok(None);
        };
        if dry_run {
            return Ok(Some((old, new)));
        }
        let mut file = atomic_write_file::AtomicWriteFile::options()
            .open(path)
            .map_err(at(path, write))?;
        file.write_all(new.as_bytes()).map_err(at(path, write))?;
        // The last moment before the rename: if the note moved on, start over from it.
        if crate::files::read_regular(path).is_ok_and(|now| now == old.as_bytes()) {
            file.commit()
                .map_err(at(path, |path, source| WriteError::Replace {
                    path,
                    source,
                }))?;
            return Ok(Some((old, new)));
        }
        file.discard()
            .map_err(at(path, |path, source| WriteError::CleanUp {
                path,
                source,
            }))?;
    }
    Err(KeptChanging(path.display().to_string()).into())
}

/// Creates a new file at `path` with `contents`, atomically, failing if anything exists there.
pub fn create_new(path: &Path, contents: &str) -> Result<(), WriteError> {
    // A vault-relative note path always has a folder, if only the vault itself.
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(at(dir, |path, source| WriteError::CreateFolder {
        path,
        source,
    }))?;
    let write_in = |path, source| WriteError::WriteIn { path, source };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".vault-reach-new.");
    // What any new file gets: read-write for whom the umask allows (a temporary file would
    // otherwise be the owner's alone, whatever the umask).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir).map_err(at(dir, write_in))?;
    tmp.write_all(contents.as_bytes())
        .map_err(at(dir, write_in))?;
    tmp.as_file().sync_all().map_err(at(dir, write_in))?;
    tmp.persist_noclobber(path)
        .map_err(|e| e.error)
        .map_err(at(path, |path, source| WriteError::Create { path, source }))?;
    Ok(())
}

/// The note with every checkbox unticked: what we compare to tell ticks from other edits.
pub fn without_ticks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    unticked(text, |piece| out.push_str(piece));
    out
}

/// [`without_ticks`], handed over piece by piece.
fn unticked<'a>(text: &'a str, mut piece: impl FnMut(&'a str)) {
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        let rest = &line[indent..];
        let marker = ["- [x]", "- [X]", "* [x]", "* [X]", "+ [x]", "+ [X]"]
            .iter()
            .find(|m| rest.starts_with(**m));
        if let Some(marker) = marker {
            piece(&line[..indent]);
            piece(&marker[..1]);
            piece(" [ ]");
            piece(&rest[marker.len()..]);
        } else {
            piece(line);
        }
    }
}

/// 64-bit FNV-1a of [`without_ticks`]`(text)`, without making that copy (index.md is large
/// on a large vault): a stable fingerprint of what we wrote (std's hasher may change between
/// Rust releases, and the ledger outlives the binary).
fn fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    unticked(text, |piece| {
        for byte in piece.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    });
    format!("{hash:016x}")
}

/// A fingerprint of a file's exact bytes, compared only within one run. XXH3 rather than
/// std's `SipHash`: `watch` hashes index.md a few times per edit, and XXH3 measured much
/// faster at it (BENCHMARKS.md).
pub fn content_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// Writes generated notes into one vault, remembering what it wrote.
pub struct Outputs {
    vault: PathBuf,
    ledger: BTreeMap<String, String>,
    /// The exact content each output holds after our last write, so `watch` can tell the event
    /// of its own write from a user's edit (the ledger ignores ticks, so it cannot).
    last: BTreeMap<String, u64>,
    /// The ledger has news that [`Outputs::save`] has not written yet.
    ledger_changed: bool,
    /// `--dry-run`: decide everything, write nothing.
    dry_run: bool,
}

impl Outputs {
    pub fn new(vault: &Path, dry_run: bool) -> Self {
        let ledger = std::fs::read_to_string(vault.join(LEDGER))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        Outputs {
            vault: vault.to_path_buf(),
            ledger,
            last: BTreeMap::new(),
            ledger_changed: false,
            dry_run,
        }
    }

    /// True when nothing is to be written.
    pub fn dry_run(&self) -> bool {
        self.dry_run
    }

    /// The [`content_hash`] of what `rel` holds after our last write to it, if any.
    pub fn last_written(&self, rel: &str) -> Option<u64> {
        self.last.get(rel).copied()
    }

    /// Replaces the generated note at vault-relative `rel` with `contents`.
    ///
    /// `today` names the backup of a user-edited version.
    pub fn write(&mut self, rel: &str, contents: &str, stamp: &str) -> Result<Outcome, WriteError> {
        let path = self.vault.join(rel);
        let current = match crate::files::read_regular(&path) {
            Ok(bytes) => Some(bytes),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
            Err(err) if crate::files::is_link(&err) => return Err(WriteError::Link(rel.into())),
            Err(err) if crate::files::is_special(&err) => {
                return Err(WriteError::NotRegular(rel.into()));
            }
            Err(source) => {
                return Err(WriteError::Read {
                    path: rel.into(),
                    source,
                });
            }
        };
        let mut outcome = Outcome::Written;
        if let Some(bytes) = &current {
            if bytes == contents.as_bytes() {
                self.last.insert(rel.to_owned(), content_hash(bytes));
                self.remember(rel, fingerprint(contents));
                return Ok(Outcome::Unchanged);
            }
            if !is_generated(bytes) {
                return Err(NotOurs(rel.to_owned()).into());
            }
            // Exactly what this process wrote last (a watcher's steady state) is not an edit,
            // and needs no second look; anything else is compared with the ledger.
            let ours = self
                .last
                .get(rel)
                .is_some_and(|&h| h == content_hash(bytes));
            if !ours && self.ledger.get(rel) != Some(&fingerprint(&String::from_utf8_lossy(bytes)))
            {
                let backup = self.backup(rel, bytes, stamp)?;
                outcome = Outcome::WrittenWithBackup(backup);
            }
        }
        // The two fingerprints of the new text are taken on another core while the disk works.
        let (written, (print, exact)) = rayon::join(
            || {
                if self.dry_run {
                    Ok(())
                } else {
                    write_atomic(&path, contents)
                }
            },
            || {
                let print = fingerprint(contents);
                (print, content_hash(contents.as_bytes()))
            },
        );
        written?;
        if !self.dry_run {
            self.last.insert(rel.to_owned(), exact);
        }
        self.remember(rel, print);
        Ok(outcome)
    }

    /// Records the fingerprint of what we wrote to `rel`, for [`Outputs::save`].
    fn remember(&mut self, rel: &str, print: String) {
        if self.ledger.get(rel) != Some(&print) && !self.dry_run {
            self.ledger.insert(rel.to_owned(), print);
            self.ledger_changed = true;
        }
    }

    /// Saves what [`Outputs::write`] remembered, once for all the outputs of a pass (each
    /// atomic write costs two fsyncs). Until it is saved, a rewritten output looks edited by
    /// the user to a later run, which then keeps a backup of it: safe, if needless.
    pub fn save(&mut self) -> Result<(), WriteError> {
        if std::mem::take(&mut self.ledger_changed) {
            // A map of strings to strings always serialises.
            let json = serde_json::to_string_pretty(&self.ledger).unwrap_or_default() + "\n";
            write_atomic(&self.vault.join(LEDGER), &json)?;
        }
        Ok(())
    }

    fn backup(&self, rel: &str, bytes: &[u8], stamp: &str) -> Result<PathBuf, WriteError> {
        let name = Path::new(rel)
            .file_stem()
            .map_or_else(|| "output".into(), |s| s.to_string_lossy().into_owned());
        let dir = self.vault.join(BACKUPS);
        let mut n = 1;
        let mut backup = PathBuf::from(format!("{name}.{stamp}.md"));
        while dir.join(&backup).exists() {
            n += 1;
            backup = PathBuf::from(format!("{name}.{stamp}.{n}.md"));
        }
        if !self.dry_run {
            std::fs::create_dir_all(&dir).map_err(|source| WriteError::Create {
                path: BACKUPS.into(),
                source,
            })?;
            write_atomic(&dir.join(&backup), &String::from_utf8_lossy(bytes))?;
        }
        Ok(Path::new(BACKUPS).join(backup))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unticking_touches_only_checkboxes() {
        let note = "- [x] [[Ada]]\n  * [X] sub\n- [ ] [[Bob]]\ntext [x] stays\n";
        assert_eq!(
            without_ticks(note),
            "- [ ] [[Ada]]\n  * [ ] sub\n- [ ] [[Bob]]\ntext [x] stays\n"
        );
    }

    #[test]
    fn fingerprints_are_stable() {
        assert_eq!(fingerprint(""), "cbf29ce484222325");
        assert_eq!(fingerprint("a"), "af63dc4c8601ec8c");
        // Ticks do not count: a fingerprint is that of the text unticked.
        let ticked = "- [x] [[Ada]]\n  * [X] sub\ntext [x] stays\n";
        assert_eq!(fingerprint(ticked), fingerprint(&without_ticks(ticked)));
        assert_eq!(fingerprint(ticked), "a9d5cab431cb2723");
        assert_ne!(fingerprint(ticked), fingerprint("- [ ] [[Bob]]\n"));
    }
}
