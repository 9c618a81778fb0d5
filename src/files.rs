//! Opening a file of the vault to read it: regular files only.
//!
//! Every byte in a vault is untrusted, and so is every file type: a FIFO at `today.md` or a
//! link to `/dev/zero` would block a read forever (a watcher stuck so ignores SIGTERM), and a
//! link reaches outside the vault. So a read never follows a final symbolic link
//! (`O_NOFOLLOW`), never waits for a writer (`O_NONBLOCK`, which a regular file ignores), and
//! reads only what `fstat` says is a regular file.

use std::fmt;
use std::io::{self, Read as _};
use std::path::Path;

/// The bytes of the regular file at `path`. A symbolic link or any other kind of file is an
/// error that [`is_link`] and [`is_special`] tell apart.
pub fn read_regular(path: &Path) -> io::Result<Vec<u8>> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let mut file = options.open(path)?;
    let meta = file.metadata()?;
    #[cfg(not(unix))]
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(io::Error::other(Refused::Link));
    }
    if !meta.is_file() {
        return Err(io::Error::other(Refused::Special));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// [`read_regular`], as UTF-8 text.
pub fn read_regular_text(path: &Path) -> io::Result<String> {
    String::from_utf8(read_regular(path)?)
        .map_err(|err| io::Error::new(io::ErrorKind::InvalidData, err))
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
    }
}
