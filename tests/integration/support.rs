//! Fixture vaults in a temp folder, the real binary run on them, and byte-exact golden files.
//!
//! `SNAPSHOTS=overwrite cargo test` rewrites the expected files from what the binary produced;
//! read the diff before committing it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub const DEMO_DAY: &str = "2026-03-02";

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of a vault in a temp folder, removed when dropped.
pub struct Sandbox {
    dir: tempfile::TempDir,
    pub vault: PathBuf,
    /// Every file the sandbox started with, and its bytes: what a run did not produce.
    start: BTreeMap<PathBuf, Vec<u8>>,
}

impl Sandbox {
    /// An empty vault.
    pub fn empty() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("vault");
        std::fs::create_dir(&vault).unwrap();
        Sandbox {
            dir,
            vault,
            start: BTreeMap::new(),
        }
    }

    /// A copy of `example-vault/`, without what a run of the README's quick start generated
    /// there (the outputs, and the tool's own state), so tests start from the notes alone.
    pub fn example() -> Sandbox {
        let mut sandbox = Sandbox::copy_of(&repo().join("example-vault"));
        for generated in [
            "today.md",
            "index.md",
            ".vault-reach/generated.json",
            ".vault-reach/watch.lock",
        ] {
            let _ = std::fs::remove_file(sandbox.path(generated));
        }
        let _ = std::fs::remove_dir_all(sandbox.path(".vault-reach/backup"));
        sandbox.start = files(&sandbox.vault);
        sandbox
    }

    /// A copy of `tests/fixtures/<case>/vault/`.
    pub fn fixture(case: &str) -> Sandbox {
        Sandbox::copy_of(&repo().join("tests/fixtures").join(case).join("vault"))
    }

    fn copy_of(source: &Path) -> Sandbox {
        let mut sandbox = Sandbox::empty();
        copy_tree(source, &sandbox.vault);
        sandbox.start = files(&sandbox.vault);
        sandbox
    }

    /// A copy of `tests/fixtures/<case>` beside the vault, as `../<name>` from it: what an
    /// import reads, named relative to the vault so its output reads the same anywhere.
    pub fn beside(&self, case: &str, name: &str) {
        copy_tree(
            &repo().join("tests/fixtures").join(case),
            &self.path(&format!("../{name}")),
        );
    }

    /// The binary, in the vault folder, with a clean environment.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("vault-reach"));
        cmd.current_dir(&self.vault)
            .env_clear()
            .envs(self.env())
            .env("NO_COLOR", "1");
        cmd
    }

    /// The environment every run gets: a home of its own, so the state a device keeps about
    /// a vault goes to the sandbox, never to the real home.
    pub fn env(&self) -> [(&'static str, PathBuf); 3] {
        let outside = self.dir.path();
        [
            ("HOME", outside.join("home")),
            ("XDG_STATE_HOME", outside.join("state")),
            ("XDG_CACHE_HOME", outside.join("cache")),
        ]
    }

    /// This device's state folder for the sandbox's vault (its only one).
    pub fn device_state(&self) -> PathBuf {
        let vaults = self.dir.path().join("state/vault-reach/vaults");
        let mut dirs = std::fs::read_dir(&vaults)
            .unwrap_or_else(|e| panic!("{}: {e}", vaults.display()))
            .map(|e| e.unwrap().path());
        let dir = dirs.next().expect("a device state folder");
        assert!(dirs.next().is_none(), "one vault, one state folder");
        dir
    }

    /// Renders today's list, ticks `name` on it as a phone would, and renders again: the
    /// page after the tick was recorded.
    pub fn render_with_tick(&self, name: &str) -> String {
        assert!(self.run(&["render", "--today", DEMO_DAY]).status.success());
        let ticked = self.read("today.md").replacen(
            &format!("- [ ] [[{name}]]"),
            &format!("- [x] [[{name}]]"),
            1,
        );
        self.write("today.md", &ticked);
        assert!(self.run(&["render", "--today", DEMO_DAY]).status.success());
        self.read("today.md")
    }

    /// An editor saving `rel` in place `edits` times (a plugin appending a line, a sync
    /// engine writing the file it fetched into the same inode): `edit {i}` each time, up to
    /// `step_ms` times 3 apart. [`assert_edits_kept`] checks them afterwards.
    pub fn append_edits(&self, rel: &str, edits: u64, step_ms: u64) {
        use std::io::Write as _;
        for i in 0..edits {
            let mut file = std::fs::OpenOptions::new()
                .append(true)
                .open(self.path(rel))
                .unwrap();
            writeln!(file, "\nedit {i}").unwrap();
            drop(file);
            std::thread::sleep(std::time::Duration::from_millis(step_ms * (i % 4)));
        }
    }

    /// Runs `args` on this vault.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.vault.join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn bytes(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// What runs produced in the vault (files new or changed since the sandbox was made,
    /// the tool's own state aside) must be exactly the files of `tests/fixtures/<expected>/`,
    /// byte for byte: a file missing from either side fails, as in mdBook's and
    /// obsidian-export's harnesses. `SNAPSHOTS=overwrite` makes the folder what was produced.
    pub fn assert_expected(&self, expected: &str) {
        self.assert_expected_in(&repo().join("tests/fixtures").join(expected));
    }

    /// [`Sandbox::assert_expected`] with the golden folder at `root`.
    pub fn assert_expected_in(&self, root: &Path) {
        let produced: BTreeMap<PathBuf, Vec<u8>> = files(&self.vault)
            .into_iter()
            .filter(|(rel, bytes)| self.start.get(rel) != Some(bytes))
            .collect();
        let golden = files(root);
        if std::env::var_os("SNAPSHOTS").is_some_and(|v| v == "overwrite") {
            for rel in golden.keys().filter(|rel| !produced.contains_key(*rel)) {
                std::fs::remove_file(root.join(rel)).unwrap();
            }
        } else {
            let names = |m: &BTreeMap<PathBuf, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
            pretty_assertions::assert_eq!(
                names(&golden),
                names(&produced),
                "the files in `{}` (left) are not those the run produced (right)",
                root.display()
            );
        }
        for (rel, bytes) in &produced {
            assert_golden(&root.join(rel), bytes);
        }
    }
}

/// Every file under `root`, by relative path, with its bytes.
fn files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap().to_path_buf();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Compares `actual` with the golden file at `path`, byte for byte.
pub fn assert_golden(path: &Path, actual: &[u8]) {
    let expected = std::fs::read(path).unwrap_or_default();
    if expected == actual {
        return;
    }
    if std::env::var_os("SNAPSHOTS").is_some_and(|v| v == "overwrite") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, actual).unwrap();
        return;
    }
    pretty_assertions::assert_eq!(
        String::from_utf8_lossy(&expected),
        String::from_utf8_lossy(actual),
        "{} differs (SNAPSHOTS=overwrite refreshes it; read the diff)",
        path.display()
    );
    panic!(
        "{} differs in bytes that do not show as text (line endings?)",
        path.display()
    );
}

/// The golden file `tests/fixtures/<case>/<name>`.
pub fn golden(case: &str, name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(case).join(name)
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The number just before the first `words` in `text` (a count in a debug log).
pub fn number_before(text: &str, words: &str) -> usize {
    let at = text
        .find(words)
        .unwrap_or_else(|| panic!("no `{words}` in {text}"));
    text[..at]
        .trim_end()
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number before `{words}` in {text}"))
}

/// Modification times of every file under `root`, to prove nothing was written.
pub fn mtimes(root: &Path) -> Vec<(PathBuf, std::time::SystemTime)> {
    let mut all: Vec<_> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().to_path_buf(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect();
    all.sort();
    all
}

/// Whether files in `dir` take `user.` extended attributes; says why a test is skipped when
/// they do not (tmpfs before Linux 6.6, some network and FUSE file systems).
#[cfg(unix)]
pub fn user_xattrs_in(dir: &Path) -> bool {
    let probe = dir.join(".xattr-probe");
    std::fs::write(&probe, "").unwrap();
    let result = xattr::set(&probe, "user.probe", b"1");
    std::fs::remove_file(&probe).unwrap();
    if let Err(err) = &result {
        eprintln!(
            "skipped: {} takes no user extended attributes ({err})",
            dir.display()
        );
    }
    result.is_ok()
}

/// Every line of [`Sandbox::append_edits`] is still in `note`.
pub fn assert_edits_kept(note: &str, edits: u64) {
    for i in 0..edits {
        assert!(
            note.contains(&format!("edit {i}\n")),
            "edit {i} lost:\n{note}"
        );
    }
}

/// `source`'s files and folders, copied under `target`.
fn copy_tree(source: &Path, target: &Path) {
    std::fs::create_dir_all(target).unwrap();
    for entry in walkdir::WalkDir::new(source).min_depth(1) {
        let entry = entry.unwrap();
        let to = target.join(entry.path().strip_prefix(source).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
}
