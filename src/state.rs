//! Where a device keeps what is its own about a vault: the ledger of what it last wrote, the
//! watch lock, and the parse cache.
//!
//! None of it may live in the vault: sync engines carry the vault to every device, and a lock
//! replaced by a sync tool's temporary-file-and-rename lets a second watcher start, while two
//! devices' ledgers become conflict copies. So it lives in the platform's state folder
//! (`$XDG_STATE_HOME/vault-reach` or `~/.local/state/vault-reach` on Linux, the application
//! support folder on macOS, `%LOCALAPPDATA%` on Windows), one folder per vault, named after
//! the vault's canonical path so two spellings of one vault share it.

use std::path::{Path, PathBuf};

/// The ledger's name, in a vault's device folder.
const LEDGER: &str = "generated.json";
/// The watch lock's name, in a vault's device folder.
const LOCK: &str = "watch.lock";
/// The parse cache's name, in a vault's device folder.
const CACHE: &str = "parse-cache.bin";
/// index.md's rows as the last `render` rendered them.
const ROWS: &str = "index-rows.bin";
/// The last change a command made to a note, for `undo`.
const LAST_CHANGE: &str = "last-change.json";

/// Files earlier versions kept in the vault's `.vault-reach/`, now kept per device.
pub const LEGACY: [&str; 2] = [".vault-reach/generated.json", ".vault-reach/watch.lock"];

/// This device's folder for one vault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceState {
    dir: PathBuf,
    vault: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("cannot open the vault `{}`: {source}", .path.display())]
    Vault {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot find where this device keeps its state: set HOME (or XDG_STATE_HOME on Linux)")]
    NoHome,
}

impl DeviceState {
    /// The folder of the vault at `vault`, which need not exist yet.
    pub fn for_vault(vault: &Path) -> Result<DeviceState, StateError> {
        let vault = vault.canonicalize().map_err(|source| StateError::Vault {
            path: vault.to_path_buf(),
            source,
        })?;
        let dirs =
            directories::ProjectDirs::from("", "", "vault-reach").ok_or(StateError::NoHome)?;
        // Only Linux has a state folder of its own; elsewhere local (unsynced) data is the
        // nearest thing.
        let base = dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir());
        Ok(DeviceState {
            dir: base.join("vaults").join(folder_name(&vault)),
            vault,
        })
    }

    /// The folder itself.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The ledger of what this device last wrote into the vault's generated notes.
    pub fn ledger(&self) -> PathBuf {
        self.dir.join(LEDGER)
    }

    /// Where a ledger of an earlier version may be, read once when this device has none.
    pub fn legacy_ledger(&self) -> PathBuf {
        self.vault.join(LEGACY[0])
    }

    /// The last change a command (`touch`, `pause`…) made on this device to a note of the
    /// vault, for `undo`.
    pub fn last_change(&self) -> PathBuf {
        self.dir.join(LAST_CHANGE)
    }

    /// The lock a watcher holds while it watches the vault.
    pub fn lock(&self) -> PathBuf {
        self.dir.join(LOCK)
    }

    /// The parse cache: what each note was read into last time, and the stat data that
    /// tells it is unchanged (`vault::cache`). This device's alone, as a note's stat data is.
    pub fn cache(&self) -> PathBuf {
        self.dir.join(CACHE)
    }

    /// index.md's rows as the last `render` rendered them, by the revision of each contact
    /// (`watch::Memo`): kept beside the parse cache, whose key they share.
    pub fn rows(&self) -> PathBuf {
        self.dir.join(ROWS)
    }

    /// The files of an earlier version still in the vault, for a notice that they may go.
    pub fn legacy_files(&self) -> Vec<&'static str> {
        LEGACY
            .into_iter()
            .filter(|rel| self.vault.join(rel).is_file())
            .collect()
    }
}

/// `Notes-3f9a…`: the vault folder's name, for whoever looks in the state folder, then a hash
/// of its whole canonical path, so that two vaults named alike never share a folder.
fn folder_name(vault: &Path) -> String {
    let name: String = vault
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    let hash = xxhash_rust::xxh3::xxh3_64(vault.as_os_str().as_encoded_bytes());
    if name.is_empty() {
        format!("{hash:016x}")
    } else {
        format!("{name}-{hash:016x}")
    }
}

/// The notice for [`DeviceState::legacy_files`], one line.
pub fn legacy_notice(state: &DeviceState, files: &[&str]) -> String {
    format!(
        "note: {} in the vault {} no longer used (this device keeps its state in {}); \
         {} can be deleted",
        files
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(" and "),
        if files.len() == 1 { "is" } else { "are" },
        state.dir().display(),
        if files.len() == 1 { "it" } else { "they" },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_are_readable_and_distinct() {
        let a = folder_name(Path::new("/home/ada/Notes"));
        let b = folder_name(Path::new("/home/bob/Notes"));
        assert!(
            a.starts_with("Notes-") && b.starts_with("Notes-"),
            "{a} {b}"
        );
        assert_ne!(a, b);
        assert_eq!(a, folder_name(Path::new("/home/ada/Notes")));
        let odd = folder_name(Path::new("/tmp/My Vault: ünï"));
        assert!(odd.starts_with("My_Vault___n_-"), "{odd}");
        assert_eq!(folder_name(Path::new("/")).len(), 16);
    }

    #[test]
    fn the_notice_names_each_file() {
        let state = DeviceState {
            dir: PathBuf::from("/state/v"),
            vault: PathBuf::from("/v"),
        };
        assert_eq!(
            legacy_notice(&state, &LEGACY),
            "note: `.vault-reach/generated.json` and `.vault-reach/watch.lock` in the vault \
             are no longer used (this device keeps its state in /state/v); they can be deleted"
        );
    }
}
