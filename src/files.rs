//! Opening a file of the vault to read it: regular files only.
//!
//! Every byte in a vault is untrusted, and so is every file type: a FIFO at `today.md` or a
//! link to `/dev/zero` would block a read forever (a watcher stuck so ignores SIGTERM), and a
//! link reaches outside the vault. So a read never follows a final symbolic link
//! (`O_NOFOLLOW`), never waits for a writer (`O_NONBLOCK`, which a regular file ignores), and
//! reads only what `fstat` says is a regular file.
//!
//! Here too is the name of vault-reach's own temporary files, which the writer gives them and
//! the walk knows them by.

use std::ffi::OsStr;
use std::fmt;
use std::io::{self, Read as _};
use std::path::Path;

/// The bytes of the regular file at `path`. A symbolic link or any other kind of file is an
/// error that [`is_link`] and [`is_special`] tell apart.
pub fn read_regular(path: &Path) -> io::Result<Vec<u8>> {
    read_regular_with_stat(path).map(|(bytes, _)| bytes)
}

/// [`read_regular`], with the file's metadata as `fstat` gave it on the open file just
/// before the read: what a cache of the read may be keyed by, since a change after it shows
/// in the next stat.
pub fn read_regular_with_stat(path: &Path) -> io::Result<(Vec<u8>, std::fs::Metadata)> {
    let mut bytes = Vec::new();
    let meta = read_regular_into(path, &mut bytes)?;
    Ok((bytes, meta))
}

/// [`read_regular_with_stat`] into `bytes`, which it replaces, keeping its allocation.
pub fn read_regular_into(path: &Path, bytes: &mut Vec<u8>) -> io::Result<std::fs::Metadata> {
    bytes.clear();
    let (mut file, meta) = open_regular(path)?;
    bytes.reserve(usize::try_from(meta.len()).unwrap_or(0));
    file.read_to_end(bytes)?;
    Ok(meta)
}

/// Whether the regular file at `path` holds exactly `expected`, read a block at a time and
/// only as far as the first difference: index.md is megabytes that a render with nothing
/// changed only needs to find the same, not to hold. Errors as [`read_regular`]'s.
pub fn regular_holds(path: &Path, expected: &[u8]) -> io::Result<bool> {
    let (mut file, meta) = open_regular(path)?;
    if meta.len() != expected.len() as u64 {
        return Ok(false);
    }
    let mut block = vec![0; BLOCK.min(expected.len()).max(1)];
    let mut rest = expected;
    loop {
        let n = match file.read(&mut block) {
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if n == 0 {
            return Ok(rest.is_empty());
        }
        // A file that grew since its stat holds more than `expected`.
        let Some(same) = rest.strip_prefix(&block[..n]) else {
            return Ok(false);
        };
        rest = same;
    }
}

/// How much of a file [`regular_holds`] reads at once.
const BLOCK: usize = 64 * 1024;

/// The regular file at `path`, opened to read, and its metadata.
fn open_regular(path: &Path) -> io::Result<(std::fs::File, std::fs::Metadata)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    #[cfg(not(unix))]
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(io::Error::other(Refused::Link));
    }
    if !meta.is_file() {
        return Err(io::Error::other(Refused::Special));
    }
    Ok((file, meta))
}

/// [`read_regular`], as UTF-8 text.
pub fn read_regular_text(path: &Path) -> io::Result<String> {
    String::from_utf8(read_regular(path)?)
        .map_err(|err| io::Error::new(io::ErrorKind::InvalidData, err))
}

/// How every temporary file of vault-reach is named: this prefix, then
/// [`TEMPORARY_RANDOM`] random ASCII letters and digits (tempfile's), nothing after. Short
/// whatever the note's name (a note with a 255-byte name leaves no room for a name built on
/// it), hidden (watchers and the walk skip it), and exact enough that one an interrupted run
/// left behind is told from any file of the user's.
pub const TEMPORARY_PREFIX: &str = ".vault-reach.";

/// How many random characters follow [`TEMPORARY_PREFIX`].
pub const TEMPORARY_RANDOM: usize = 6;

/// True for a name vault-reach gives its temporary files, and only for those.
pub fn is_temporary_name(name: &OsStr) -> bool {
    name.to_str()
        .and_then(|name| name.strip_prefix(TEMPORARY_PREFIX))
        .is_some_and(|rest| {
            rest.len() == TEMPORARY_RANDOM && rest.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// The read failed because the path is a symbolic link.
pub fn is_link(err: &io::Error) -> bool {
    #[cfg(unix)]
    if err.raw_os_error() == Some(libc::ELOOP) {
        return true;
    }
    refusal(err) == Some(Refused::Link)
}

/// The read failed because the path is neither a regular file nor a link (a FIFO, a socket,
/// a device).
pub fn is_special(err: &io::Error) -> bool {
    refusal(err) == Some(Refused::Special)
}

fn refusal(err: &io::Error) -> Option<Refused> {
    err.get_ref()?.downcast_ref::<Refused>().copied()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refused {
    Link,
    Special,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Refused::Link => "it is a symbolic link",
            Refused::Special => "it is not a regular file",
        })
    }
}

impl std::error::Error for Refused {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_exact_temporary_names_are_ours() {
        for name in [
            ".vault-reach.Ab12Cd",
            ".vault-reach.000000",
            ".vault-reach.zzzzzz",
        ] {
            assert!(is_temporary_name(OsStr::new(name)), "{name}");
        }
        for name in [
            ".vault-reach.Ab12C",
            ".vault-reach.Ab12Cde",
            ".vault-reach.Ab12Cd.md",
            ".vault-reach.Ab-2Cd",
            ".vault-reach.Ab12Cé",
            "vault-reach.Ab12Cd",
            ".vault-reach-new.Ab12Cd",
            ".vault-reach",
            "Ada.md",
        ] {
            assert!(!is_temporary_name(OsStr::new(name)), "{name}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_are_read_and_nothing_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let note = dir.path().join("note.md");
        std::fs::write(&note, "text").unwrap();
        assert_eq!(read_regular(&note).unwrap(), b"text");
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&note, &link).unwrap();
        assert!(is_link(&read_regular(&link).unwrap_err()));
        let zero = dir.path().join("zero.md");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert!(is_link(&read_regular(&zero).unwrap_err()));
        let fifo = dir.path().join("fifo.md");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        // Without O_NONBLOCK this open would wait for a writer forever.
        assert!(is_special(&read_regular(&fifo).unwrap_err()));
        assert!(is_special(&read_regular(dir.path()).unwrap_err()));
        // The comparison opens files as the read does.
        assert!(is_link(&regular_holds(&zero, b"").unwrap_err()));
        assert!(is_special(&regular_holds(&fifo, b"").unwrap_err()));
    }

    #[test]
    fn a_file_holds_what_is_expected_only_when_every_byte_is_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("index.md");
        // Blocks and more, so that a difference in a later block is found.
        let text: Vec<u8> = (0..=250).cycle().take(BLOCK * 2 + 17).collect();
        std::fs::write(&page, &text).unwrap();
        assert!(regular_holds(&page, &text).unwrap());
        let mut other = text.clone();
        *other.last_mut().unwrap() ^= 1;
        assert!(!regular_holds(&page, &other).unwrap());
        other.clone_from(&text);
        other[BLOCK + 3] ^= 1;
        assert!(!regular_holds(&page, &other).unwrap());
        assert!(!regular_holds(&page, &text[..text.len() - 1]).unwrap());
        assert!(!regular_holds(&page, &[text.as_slice(), b"x"].concat()).unwrap());
        std::fs::write(&page, "").unwrap();
        assert!(regular_holds(&page, b"").unwrap());
        assert!(!regular_holds(&page, b"x").unwrap());
        let gone = dir.path().join("gone.md");
        assert_eq!(
            regular_holds(&gone, b"").unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
    }
}
