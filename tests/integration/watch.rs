//! `watch`: the real binary on a temp vault, changed from outside as an editor or git would.
//!
//! Every wait polls the files every 50 ms with a generous deadline: these tests assert what
//! ends up on disk, never how fast.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::support::{DEMO_DAY, Sandbox, mtimes, number_before, stderr};

const PATIENCE: Duration = Duration::from_secs(10);
/// Debug builds read thousands of notes slowly on a busy two-core machine.
const BURST_PATIENCE: Duration = Duration::from_secs(60);

/// A running `vault-reach watch`, killed if the test fails before stopping it.
struct Watching {
    child: Child,
    log: PathBuf,
}

impl Watching {
    fn start(sandbox: &Sandbox, args: &[&str], env: &[(&str, &str)]) -> Watching {
        let log = sandbox.vault.with_file_name("watch.log");
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("vault-reach"));
        cmd.current_dir(&sandbox.vault)
            .env_clear()
            .envs(sandbox.env())
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .arg("watch")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap());
        let watching = Watching {
            child: cmd.spawn().unwrap(),
            log,
        };
        // Its own word that it is watching, not the outputs' presence: those may predate it.
        watching.wait_for("the first render", PATIENCE, || {
            watching.log().contains("watching ")
                && sandbox.path("today.md").exists()
                && sandbox.path("index.md").exists()
        });
        watching
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Polls `done` until it holds; fails with the watcher's log after `patience`.
    fn wait_for(&self, what: &str, patience: Duration, mut done: impl FnMut() -> bool) {
        let start = Instant::now();
        while !done() {
            assert!(
                start.elapsed() < patience,
                "gave up waiting for {what}; the watcher said:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends SIGTERM and waits for the exit.
    fn terminate(&mut self) -> ExitStatus {
        let sent = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "the watcher did not stop on SIGTERM:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn contains(sandbox: &Sandbox, rel: &str, text: &str) -> bool {
    std::fs::read_to_string(sandbox.path(rel)).is_ok_and(|t| t.contains(text))
}

/// Every file under `root` whose name looks like an atomic-write temp file of ours.
fn temp_files(root: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            name.starts_with(".today.md.") || name.starts_with(".index.md.")
        })
        .map(|e| e.path().to_path_buf())
        .collect()
}

fn contact(name: &str) -> String {
    format!("---\nmet-date: 2026-01-05\ncontext: met at the {name} test\n---\n# {name}\n")
}

#[test]
fn a_first_start_takes_its_notes_back_from_the_cache_it_saved() {
    let vault = Sandbox::example();
    // Older than the load's start by more than the cache's timestamp granularity, so that
    // the cache saved keeps them.
    std::thread::sleep(Duration::from_millis(60));
    let debug = [("VAULT_REACH_LOG", "info,vault_reach::vault=debug")];
    let mut watching = Watching::start(&vault, &["--today", DEMO_DAY], &debug);
    watching.terminate();
    let log = watching.log();
    let loads: Vec<&str> = log.split("walked ").skip(1).collect();
    assert_eq!(loads.len(), 2, "read, then taken back: {log}");
    assert_eq!(number_before(loads[0], "from the parse cache"), 0, "{log}");
    assert!(loads[0].contains("saved the parse cache"), "{log}");
    let walked = number_before(loads[1], "notes at");
    assert!(walked > 0);
    assert_eq!(
        number_before(loads[1], "from the parse cache"),
        walked,
        "every note from the cache: {log}"
    );
    assert!(!loads[1].contains("saved the parse cache"), "{log}");

    // A start with the cache there loads once.
    let mut watching = Watching::start(&vault, &["--today", DEMO_DAY], &debug);
    watching.terminate();
    assert_eq!(
        watching.log().matches("walked ").count(),
        1,
        "{}",
        watching.log()
    );
}

#[test]
fn watch_shows_a_modified_note_in_the_index() {
    let vault = Sandbox::example();
    let watching = Watching::start(&vault, &["--today", DEMO_DAY], &[]);
    ada_moves_to_quint_compilers(&vault, &watching);
}

/// Ada's note saved in place (as Obsidian and VS Code save) with a new company, and
/// index.md waited for until it shows it.
fn ada_moves_to_quint_compilers(vault: &Sandbox, watching: &Watching) {
    let note = vault.read("People/Ada Quint.md");
    vault.write(
        "People/Ada Quint.md",
        &note.replace("company: Quintessence Labs", "company: Quint Compilers"),
    );
    watching.wait_for("the new company in index.md", PATIENCE, || {
        contains(vault, "index.md", "| [[Ada Quint]] | Quint Compilers |")
    });
}

/// A page `watch` wrote last is known by its hash and replaced without being read whole;
/// once the user writes on it, it is read whole again and backed up before it is replaced.
#[test]
fn index_md_edited_while_watch_runs_is_backed_up_and_its_own_rewrites_are_not() {
    let vault = Sandbox::example();
    let watching = Watching::start(&vault, &["--today", DEMO_DAY], &[]);
    ada_moves_to_quint_compilers(&vault, &watching);
    assert!(!vault.path(".vault-reach/backup").exists(), "our own page");

    let edited = vault
        .read("index.md")
        .replace("# Your network", "# Your network\n\nMy own remark.");
    vault.write("index.md", &edited);
    let backup = ".vault-reach/backup/index.2026-03-02.md";
    watching.wait_for(
        "the edited index.md backed up and rendered again",
        PATIENCE,
        || vault.path(backup).exists() && !contains(&vault, "index.md", "My own remark."),
    );
    assert_eq!(vault.read(backup), edited);
    assert!(
        watching
            .log()
            .contains("your version is kept as .vault-reach/backup/index.2026-03-02.md"),
        "{}",
        watching.log()
    );
}

/// Bounded stress: each round saves a remark into index.md at the instant an edit of a note
/// makes `watch` rewrite it. Whether the save lands before `watch` looks, between its look
/// and its exchange, or after, no remark is lost: each ends in a backup.
#[test]
fn remarks_saved_into_index_md_as_watch_rewrites_it_all_end_in_backups() {
    let vault = Sandbox::example();
    let watching = Watching::start(&vault, &["--today", DEMO_DAY], &[]);
    let note = vault.read("People/Ada Quint.md");
    let backed_up = |remark: &str| {
        std::fs::read_dir(vault.path(".vault-reach/backup"))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .any(|e| std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains(remark)))
    };
    for round in 0u64..12 {
        let company = format!("Quint Compilers {round}");
        let remark = format!("My remark {round}.");
        let index = vault.read("index.md");
        vault.write(
            "People/Ada Quint.md",
            &note.replace("company: Quintessence Labs", &format!("company: {company}")),
        );
        if round % 2 == 1 {
            std::thread::sleep(Duration::from_millis(round * 3));
        }
        vault.write("index.md", &format!("{index}\n{remark}\n"));
        watching.wait_for(
            &format!("round {round}'s remark backed up"),
            PATIENCE,
            || backed_up(&remark) && !contains(&vault, "index.md", &remark),
        );
        watching.wait_for(&format!("round {round}'s company"), PATIENCE, || {
            contains(
                &vault,
                "index.md",
                &format!("| [[Ada Quint]] | {company} |"),
            )
        });
    }
}

#[test]
fn watch_shows_a_note_saved_through_a_temporary_file() {
    let vault = Sandbox::example();
    let watching = Watching::start(&vault, &["--today", DEMO_DAY], &[]);
    let note = vault.read("People/Ada Quint.md");
    // As `sed -i` and editors that save through a new file do: write it, rename it over.
    vault.write(
        "People/sedX4b2c1",
        &note.replace("company: Quintessence Labs", "company: Quint Compilers"),
    );
    std::fs::rename(
        vault.path("People/sedX4b2c1"),
        vault.path("People/Ada Quint.md"),
    )
    .unwrap();
    watching.wait_for("the new company in index.md", PATIENCE, || {
        contains(&vault, "index.md", "| [[Ada Quint]] | Quint Compilers |")
    });
    let index = vault.read("index.md");
    assert_eq!(index.matches("[[Ada Quint]]").count(), 1, "{index}");
}

#[test]
fn watch_reads_vims_rename_style_save_as_an_edit_not_a_removal() {
    let vault = Sandbox::example();
    let watching = Watching::start(&vault, &["--today", DEMO_DAY], &[]);
    let note = vault.read("People/Ada Quint.md");
    // vim with `backupcopy=no` (and `auto`, for a file with one link): the note is moved to
    // its backup, written anew, fsynced and closed, given its mode, and the backup deleted.
    std::fs::rename(
        vault.path("People/Ada Quint.md"),
        vault.path("People/Ada Quint.md~"),
    )
    .unwrap();
    {
        use std::io::Write as _;
        let mut file = std::fs::File::create(vault.path("People/Ada Quint.md")).unwrap();
        let new = note.replace("company: Quintessence Labs", "company: Quint Compilers");
        file.write_all(new.as_bytes()).unwrap();
        file.sync_all().unwrap();
    }
    std::fs::remove_file(vault.path("People/Ada Quint.md~")).unwrap();
    // The pass is logged after index.md is written: wait for both, or the log is read early.
    watching.wait_for(
        "the new company in index.md, and the edit logged",
        PATIENCE,
        || {
            contains(&vault, "index.md", "| [[Ada Quint]] | Quint Compilers |")
                && watching.log().contains("People/Ada Quint.md changed")
        },
    );
    let log = watching.log();
    assert!(!log.contains("is gone"), "{log}");
}

#[test]
fn watch_adds_a_new_note_and_drops_a_deleted_one() {
    let vault = Sandbox::example();
    let watching = Watching::start(&vault, &["--today", DEMO_DAY], &[]);
    assert!(contains(&vault, "index.md", "[[Linus Berg]]"));
    vault.write("People/Zoe Watcher.md", &contact("Zoe Watcher"));
    watching.wait_for("the new note in index.md", PATIENCE, || {
        contains(&vault, "index.md", "[[Zoe Watcher]]")
    });
    std::fs::remove_file(vault.path("People/Linus Berg.md")).unwrap();
    watching.wait_for("the deleted note to leave index.md", PATIENCE, || {
        !contains(&vault, "index.md", "[[Linus Berg]]")
    });
}

#[test]
fn watch_follows_a_renamed_folder() {
    let vault = Sandbox::example();
    let watching = Watching::start(&vault, &["--today", DEMO_DAY], &[]);
    std::fs::rename(vault.path("People/Work"), vault.path("People/Jobs")).unwrap();
    watching.wait_for("the moved note's new path in index.md", PATIENCE, || {
        contains(&vault, "index.md", "People/Jobs/Sam Rivera")
            && !contains(&vault, "index.md", "People/Work/Sam Rivera")
    });
}

#[test]
fn watch_renders_again_when_today_md_is_ticked_and_loses_no_note() {
    let vault = Sandbox::example();
    let notes_before = mtimes(&vault.path("People")).len();
    let watching = Watching::start(&vault, &["--today", DEMO_DAY], &[]);
    let today = vault.read("today.md");
    assert!(today.contains("- [ ] [[Ada Quint]]"), "{today}");
    let ticked = today.replace("- [ ] [[Ada Quint]]", "- [x] [[Ada Quint]]");
    vault.write("today.md", &ticked);
    watching.wait_for("today.md to be rendered again", PATIENCE, || {
        std::fs::read_to_string(vault.path("today.md")).is_ok_and(|t| t != ticked)
    });
    let today = vault.read("today.md");
    assert!(today.contains("generated-by: vault-reach"), "{today}");
    assert!(today.contains("[[Ada Quint]]"), "{today}");
    assert_eq!(mtimes(&vault.path("People")).len(), notes_before);
    assert!(vault.path("People/Ada Quint.md").exists());
}

#[test]
fn watch_records_a_tick_in_the_contacts_note() {
    let vault = Sandbox::example();
    let watching = Watching::start(&vault, &["--today", DEMO_DAY], &[]);
    let today = vault.read("today.md");
    vault.write(
        "today.md",
        &today.replace("- [ ] [[Ada Quint]]", "- [x] [[Ada Quint]]"),
    );
    watching.wait_for("last-touch in Ada's note", PATIENCE, || {
        contains(
            &vault,
            "People/Ada Quint.md",
            &format!("last-touch: {DEMO_DAY}"),
        )
    });
}

#[test]
fn watch_renders_the_new_day_at_midnight() {
    let vault = Sandbox::example();
    let watching = Watching::start(
        &vault,
        &[],
        &[("VAULT_REACH_FAKE_NOW", "2026-03-02T23:59:57")],
    );
    assert!(contains(&vault, "today.md", "date: 2026-03-02"));
    watching.wait_for("today.md for 2026-03-03", PATIENCE, || {
        contains(&vault, "today.md", "date: 2026-03-03")
    });
}

#[test]
fn watch_takes_in_3000_notes_written_at_once() {
    let vault = Sandbox::example();
    let watching = Watching::start(&vault, &["--today", DEMO_DAY], &[]);
    assert!(contains(&vault, "index.md", "| Contacts | 16 |"));
    // Half into a new folder (its first files may predate the OS watch on it), half beside
    // the existing notes.
    for i in 0..3000 {
        let folder = if i % 2 == 0 { "People/Bulk" } else { "People" };
        vault.write(
            &format!("{folder}/Bulk {i:04}.md"),
            &contact(&format!("Bulk {i:04}")),
        );
    }
    watching.wait_for("3016 contacts in index.md", BURST_PATIENCE, || {
        contains(&vault, "index.md", "| Contacts | 3016 |")
    });
}

#[test]
fn watch_writes_nothing_while_nothing_changes() {
    let vault = Sandbox::example();
    let watching = Watching::start(&vault, &["--today", DEMO_DAY], &[]);
    // Let the events of the first render's own writes arrive and be recognised.
    std::thread::sleep(Duration::from_secs(1));
    let before = mtimes(&vault.vault);
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(mtimes(&vault.vault), before, "{}", watching.log());
}

#[test]
fn a_second_watcher_on_the_same_vault_is_refused() {
    let vault = Sandbox::example();
    let first = Watching::start(&vault, &["--today", DEMO_DAY], &[]);
    // A timeout: were the lock not taken, this second watcher would watch forever.
    let out = vault
        .cmd()
        .args(["watch", "--today", DEMO_DAY])
        .timeout(PATIENCE)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let expected = format!(
        "another `vault-reach watch` (pid {}) is already watching this vault",
        first.pid()
    );
    assert!(stderr(&out).contains(&expected), "{}", stderr(&out));
}

/// Issue 18: the lock lived in the vault, where a sync engine's replacement of it let a second
/// watcher start. It is now this device's, keyed by the vault's canonical path, so another
/// spelling of the same vault (here a symlink to it) finds it taken.
#[test]
fn the_watch_lock_is_the_devices_and_holds_for_every_path_to_the_vault() {
    let vault = Sandbox::example();
    let _first = Watching::start(&vault, &["--today", DEMO_DAY], &[]);
    assert!(!vault.path(".vault-reach/watch.lock").exists());
    assert!(vault.device_state().join("watch.lock").is_file());
    let alias = vault.vault.with_file_name("alias");
    std::os::unix::fs::symlink(&vault.vault, &alias).unwrap();
    let out = vault
        .cmd()
        .args(["watch", "--today", DEMO_DAY])
        .arg(&alias)
        .timeout(PATIENCE)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is already watching this vault"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn watch_stops_cleanly_on_sigterm() {
    let vault = Sandbox::example();
    let mut watching = Watching::start(&vault, &["--today", DEMO_DAY], &[]);
    // Something to do while the signal arrives.
    vault.write("People/Zoe Watcher.md", &contact("Zoe Watcher"));
    let status = watching.terminate();
    assert_eq!(status.code(), Some(0), "{}", watching.log());
    assert_eq!(temp_files(&vault.vault), Vec::<PathBuf>::new());
    assert!(watching.log().contains("stopped"), "{}", watching.log());
}

/// Issue 18: a tick saved while watch renders was overwritten and never recorded (2 of 48),
/// and a contact note saved around the watcher's recording of a tick lost the user's edit
/// (8 of 156) or the outreach. A phone-like writer ticks 30 names one after the other, each
/// save a moment after the last (0–35 ms, so many land while a pass is running), by rename
/// or in place; meanwhile an editor appends a line to the note of the person just ticked
/// (in place, while the watcher may be recording into it) and saves other people's notes
/// by rename. Every tick must be recorded exactly once and every edit kept. Bounded: 30
/// ticks and 60 edits, then a deadline for the watcher to catch up; no timing assertions.
#[test]
fn ticks_and_edits_saved_while_watch_works_are_all_kept() {
    use std::io::Write as _;
    let vault = Sandbox::empty();
    vault.write(".vault-reach/config.toml", "daily = 30\n");
    let names: Vec<String> = (0..30).map(|i| format!("Person {i:02}")).collect();
    let others: Vec<String> = (0..30).map(|i| format!("Other {i:02}")).collect();
    let note = "---\nmet-date: 2024-01-01\ncontext: a meetup\nlast-touch: 2025-01-01\n---\n";
    for name in &names {
        vault.write(&format!("People/{name}.md"), note);
    }
    for name in &others {
        vault.write(
            &format!("People/{name}.md"),
            // Reached a month ago: not due, so today's list is the Persons'.
            &note.replace("2025-01-01", "2026-02-01"),
        );
    }
    let mut watching = Watching::start(&vault, &["--today", DEMO_DAY], &[]);
    for (i, name) in names.iter().enumerate() {
        let page = vault.read("today.md");
        let ticked = page.replacen(
            &format!("- [ ] [[{name}]]"),
            &format!("- [x] [[{name}]]"),
            1,
        );
        if i % 2 == 0 {
            let tmp = vault.path(".today.md.phone");
            std::fs::write(&tmp, &ticked).unwrap();
            std::fs::rename(&tmp, vault.path("today.md")).unwrap();
        } else {
            std::fs::write(vault.path("today.md"), &ticked).unwrap();
        }
        std::thread::sleep(Duration::from_millis(u64::try_from(i * 7 % 36).unwrap()));
        // The person just ticked: the watcher is recording into this note about now.
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(vault.path(&format!("People/{name}.md")))
            .unwrap();
        writeln!(file, "\nedit of {name}").unwrap();
        drop(file);
        // Someone else, saved as most editors save: a temporary file, then a rename.
        let other = vault.path(&format!("People/{}.md", others[i]));
        let text = std::fs::read_to_string(&other).unwrap();
        let tmp = other.with_extension("md.tmp");
        std::fs::write(&tmp, format!("{text}\nedit of {}\n", others[i])).unwrap();
        std::fs::rename(&tmp, &other).unwrap();
        std::thread::sleep(Duration::from_millis(u64::try_from(i * 11 % 23).unwrap()));
    }
    // A tick the last save overwrote before the watcher read it would show here as missing.
    watching.wait_for("every tick recorded", BURST_PATIENCE, || {
        names.iter().all(|name| {
            contains(
                &vault,
                &format!("People/{name}.md"),
                &format!("last-touch: {DEMO_DAY}"),
            )
        })
    });
    assert!(watching.terminate().success());
    for name in names.iter().chain(&others) {
        let text = vault.read(&format!("People/{name}.md"));
        assert!(
            text.contains(&format!("edit of {name}\n")),
            "{name} lost its edit:\n{text}"
        );
        if name.starts_with("Person") {
            assert_eq!(
                text.matches(&format!("- {DEMO_DAY} reached out")).count(),
                1,
                "{name}:\n{text}"
            );
        }
    }
}
