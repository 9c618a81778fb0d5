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
use std::io;
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
    let (mut file, meta) = open_regular(path)?;
    read_sized(&mut file, usize::try_from(meta.len()).unwrap_or(0), bytes)?;
    Ok(meta)
}

/// Reads `reader`, a file whose stat says it holds `size` bytes, into `bytes`: up to that
/// size, and on to its end only if it holds more. A note is read with one call this way,
/// where `read_to_end` stats the file again, asks where it is, and reads once more to find
/// the end: three calls more a note, which showed in a cold load's profile. A file that
/// grew since its stat is read to its end, unless a read stops exactly at the size the stat
/// gave: the bytes are then the file as of that stat, which is what a read is keyed by, so
/// the growth shows in the next one.
fn read_sized(reader: &mut impl io::Read, size: usize, bytes: &mut Vec<u8>) -> io::Result<()> {
    bytes.clear();
    // A byte more than the stat says, to see that the file grew.
    bytes.resize(size.saturating_add(1), 0);
    let mut got = 0;
    loop {
        if got == bytes.len() {
            bytes.resize(got + got.max(8 * 1024), 0);
        }
        match reader.read(&mut bytes[got..]) {
            Ok(0) => break,
            Ok(n) => {
                got += n;
                if got == size {
                    break;
                }
            }
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => {
                bytes.clear();
                return Err(err);
            }
        }
    }
    bytes.truncate(got);
    Ok(())
}

/// Whether the regular file at `path` holds exactly `expected`, read a block at a time and
/// only as far as the first difference: index.md is megabytes that a render with nothing
/// changed only needs to find the same, not to hold. Errors as [`read_regular`]'s.
pub fn regular_holds(path: &Path, expected: &[u8]) -> io::Result<bool> {
    let (mut file, meta) = open_regular(path)?;
    holds(&mut file, meta.len(), expected)
}

/// The XXH3 (64 bits) of the regular file at `path`, read a block at a time: the same value
/// as `xxh3_64` of its bytes, without holding them. Errors as [`read_regular`]'s.
pub fn regular_hash(path: &Path) -> io::Result<u64> {
    hash_of(&mut open_regular(path)?.0)
}

/// The XXH3 (64 bits) of what is left to read of `reader`, read a block at a time.
pub fn hash_of(reader: &mut impl io::Read) -> io::Result<u64> {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut block = vec![0; BLOCK];
    loop {
        match reader.read(&mut block) {
            Ok(0) => return Ok(hasher.digest()),
            Ok(n) => hasher.update(&block[..n]),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
}

/// Whether what is left to read of `file`, `len` bytes by its stat, is exactly `expected`:
/// compared a block at a time, never held whole.
pub fn holds(file: &mut impl io::Read, len: u64, expected: &[u8]) -> io::Result<bool> {
    if len != expected.len() as u64 {
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

    /// A reader of `data` that gives at most `chunk` bytes a call, counting its calls, and
    /// an interruption before every other one.
    struct Chunks<'a> {
        data: &'a [u8],
        chunk: usize,
        calls: usize,
    }

    impl io::Read for Chunks<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.calls += 1;
            if self.calls.is_multiple_of(2) {
                return Err(io::ErrorKind::Interrupted.into());
            }
            let n = buf.len().min(self.chunk).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_file_is_read_to_its_stats_size_and_on_when_it_holds_more() {
        let data: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
        for (len, size, chunk) in [
            (0, 0, 1),
            (5, 5, 100),
            (2_000, 2_000, 64 * 1024),
            (2_000, 2_000, 7),
            // Grown since its stat, or shrunk.
            (20_000, 2_000, 64 * 1024),
            (20_000, 0, 3_000),
            (20_000, 2_000, 501),
            (1_000, 2_000, 64 * 1024),
        ] {
            let mut reader = Chunks {
                data: &data[..len],
                chunk,
                calls: 0,
            };
            let mut bytes = vec![9; 3];
            read_sized(&mut reader, size, &mut bytes).unwrap();
            assert_eq!(
                bytes,
                &data[..len],
                "{len} bytes, stat {size}, chunks {chunk}"
            );
        }
        // One call for a note its stat tells the size of: no second read to find the end.
        let mut reader = Chunks {
            data: &data[..2_000],
            chunk: 64 * 1024,
            calls: 0,
        };
        let mut bytes = Vec::new();
        read_sized(&mut reader, 2_000, &mut bytes).unwrap();
        assert_eq!(reader.calls, 1);
        // A read that stops at the stat's size, in a file that grew: the file as it was.
        let mut reader = Chunks {
            data: &data[..3_000],
            chunk: 1_000,
            calls: 0,
        };
        read_sized(&mut reader, 2_000, &mut bytes).unwrap();
        assert_eq!(bytes, &data[..2_000]);
    }

    #[test]
    fn a_failed_read_leaves_nothing() {
        struct Failing;
        impl io::Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::ErrorKind::PermissionDenied.into())
            }
        }
        let mut bytes = vec![1, 2, 3];
        let err = read_sized(&mut Failing, 10, &mut bytes).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
        assert!(bytes.is_empty());
    }

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
