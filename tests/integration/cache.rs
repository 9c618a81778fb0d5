//! The parse cache (issue 17): taken from when notes are unchanged, and never the reason an
//! answer changes.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::support::{DEMO_DAY, Sandbox, number_before, stderr, stdout};

/// Long enough that the sandbox's notes, just written, are older than the next run's start
/// by more than the timestamp granularity the cache allows for (20 ms on a file system with
/// nanosecond times): otherwise the cache rightly reads them again.
fn settle() {
    std::thread::sleep(Duration::from_millis(60));
}

fn cache_file(vault: &Sandbox) -> PathBuf {
    vault.device_state().join("parse-cache.bin")
}

/// What a run logs of its load: how many notes the walk found, how many came from the cache,
/// and whether the cache was saved.
#[derive(Debug)]
struct Load {
    walked: usize,
    cached: usize,
    saved: bool,
}

fn logged(vault: &Sandbox, args: &[&str], env: &[(&str, &str)]) -> (std::process::Output, Load) {
    let out = vault
        .cmd()
        .args(args)
        .env("VAULT_REACH_LOG", "vault_reach::vault=debug")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&out)
    );
    let log = stderr(&out);
    let load = Load {
        walked: number_before(&log, "notes at"),
        cached: number_before(&log, "from the parse cache"),
        saved: log.contains("saved the parse cache"),
    };
    (out, load)
}

fn render(vault: &Sandbox) -> Load {
    logged(vault, &["render", "--today", DEMO_DAY], &[]).1
}

/// `today --json` and `check --json`, the answers a cache must not change.
fn answers(vault: &Sandbox, extra: &[&str]) -> (String, String) {
    let run = |command: &str| {
        let mut args = vec![command, "--json", "--today", DEMO_DAY];
        args.extend_from_slice(extra);
        stdout(&vault.run(&args))
    };
    (run("today"), run("check"))
}

fn outputs(vault: &Sandbox) -> (Vec<u8>, Vec<u8>) {
    (vault.bytes("today.md"), vault.bytes("index.md"))
}

#[test]
fn a_second_render_takes_every_note_from_the_cache_and_writes_the_same_bytes() {
    let vault = Sandbox::example();
    settle();
    let first = render(&vault);
    assert_eq!(first.cached, 0);
    assert!(first.saved);
    let rendered = outputs(&vault);
    vault.assert_expected("example/expected");

    let second = render(&vault);
    assert_eq!(second.cached, second.walked, "every note from the cache");
    assert!(!second.saved, "an unchanged cache is not written again");
    assert_eq!(outputs(&vault), rendered);
    vault.assert_expected("example/expected");
    assert_eq!(answers(&vault, &[]), answers(&vault, &["--no-cache"]));
}

#[test]
fn a_note_edited_with_its_size_and_mtime_kept_is_read_again() {
    let vault = Sandbox::example();
    settle();
    let note = vault.path("People/Ada Quint.md");
    let before = std::fs::metadata(&note).unwrap();
    render(&vault);
    let text = vault.read("People/Ada Quint.md");
    let edited = text.replace("panel on compilers", "panel on compilerz");
    assert_eq!(edited.len(), text.len());
    std::fs::write(&note, &edited).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&note)
        .unwrap()
        .set_modified(before.modified().unwrap())
        .unwrap();
    let after = std::fs::metadata(&note).unwrap();
    assert_eq!(
        (after.len(), after.modified().unwrap()),
        (before.len(), before.modified().unwrap()),
        "size and mtime kept"
    );

    let (out, load) = logged(&vault, &["today", "--today", DEMO_DAY], &[]);
    assert!(
        stdout(&out).contains("panel on compilerz"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        load.cached,
        load.walked - 1,
        "the edited note alone is read"
    );
    assert!(!load.saved, "one edit is read again, not saved");
    assert_eq!(answers(&vault, &[]), answers(&vault, &["--no-cache"]));
    let again = render(&vault);
    assert_eq!(
        again.cached,
        again.walked - 1,
        "read again until the cache is saved"
    );
    assert_eq!(answers(&vault, &[]), answers(&vault, &["--no-cache"]));
}

/// Notes saved just before a render (a vault copied, cloned or synced, then a timer's
/// render) are too close to that load's start for its cache to vouch for them: the next
/// render reads them again, and saves the cache, so the one after takes them from it.
/// Before, the cache was saved only for notes whose stat changed, and such notes were read
/// in every run.
#[test]
fn notes_saved_just_before_a_render_are_read_again_once_then_cached() {
    let vault = Sandbox::example();
    // Every note saved again at once, then the render at once: every note's times are
    // within the cache's granularity of the load's start (on all but a very slow machine).
    let notes: Vec<PathBuf> = crate::support::mtimes(&vault.path(""))
        .into_iter()
        .map(|(path, _)| path)
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    for note in &notes {
        std::fs::write(note, std::fs::read(note).unwrap()).unwrap();
    }
    let first = render(&vault);
    assert!(first.saved);
    settle();
    let second = render(&vault);
    if second.cached == 0 {
        assert!(
            second.saved,
            "read again for being too close, the cache is saved"
        );
        let third = render(&vault);
        assert_eq!(third.cached, third.walked, "every note from the cache");
        assert!(!third.saved);
    }
    assert_eq!(answers(&vault, &[]), answers(&vault, &["--no-cache"]));
}

#[test]
fn the_cache_is_saved_again_once_more_than_a_few_notes_changed() {
    let vault = Sandbox::example();
    settle();
    render(&vault);
    let notes: Vec<String> = std::fs::read_dir(vault.path("People"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| Path::new(name).extension().is_some_and(|ext| ext == "md"))
        .collect();
    assert!(notes.len() > 9, "enough notes to edit: {notes:?}");
    for (i, name) in notes.iter().take(9).enumerate() {
        let rel = format!("People/{name}");
        let text = vault.read(&rel);
        std::fs::write(vault.path(&rel), format!("{text}\nedited\n")).unwrap();
        // Older than the render's start by more than the times' granularity, so that once
        // saved it is trusted.
        settle();
        let load = render(&vault);
        assert_eq!(load.cached, load.walked - (i + 1), "after {} edits", i + 1);
        // Eight notes read again are cheaper than a rewrite; the ninth is one too many.
        assert_eq!(load.saved, i == 8, "after {} edits", i + 1);
    }
    let load = render(&vault);
    assert_eq!(load.cached, load.walked, "every note from the saved cache");
    assert_eq!(answers(&vault, &[]), answers(&vault, &["--no-cache"]));
}

#[test]
fn a_damaged_cut_empty_or_foreign_cache_or_a_damaged_value_changes_no_answer() {
    let vault = Sandbox::example();
    settle();
    render(&vault);
    let expected = answers(&vault, &["--no-cache"]);
    let rendered = outputs(&vault);
    let good = std::fs::read(cache_file(&vault)).unwrap();
    let other_version = {
        let mine = format!("version {}\n", env!("CARGO_PKG_VERSION"));
        let at = good
            .windows(mine.len())
            .position(|w| w == mine.as_bytes())
            .expect("the version in the first line");
        let mut bytes = good.clone();
        bytes[at + "version ".len()..at + mine.len() - 1].fill(b'9');
        assert_ne!(bytes, good);
        bytes
    };
    let flipped = |range: std::ops::Range<usize>| {
        let mut bytes = good.clone();
        for b in &mut bytes[range] {
            *b = !*b;
        }
        bytes
    };
    // Just after the first line and the checksum: the header (the key, the start of the
    // load that wrote it, the lengths of the values and the index, the number of entries:
    // 48 bytes), then the values.
    let header_at = good.iter().position(|&b| b == b'\n').unwrap() + 1 + 8;
    let values_at = header_at + 48;
    for (what, bytes) in [
        ("damaged", flipped(header_at..header_at + 16)),
        ("damaged in its index", flipped(good.len() - 16..good.len())),
        ("cut", good[..good.len() / 2].to_vec()),
        ("empty", Vec::new()),
        ("of another version", other_version),
    ] {
        std::fs::write(cache_file(&vault), &bytes).unwrap();
        let load = render(&vault);
        assert_eq!(load.cached, 0, "a {what} cache is not used");
        assert!(load.saved, "a {what} cache is rebuilt");
        assert_eq!(outputs(&vault), rendered, "with a {what} cache");
        assert_eq!(answers(&vault, &[]), expected, "with a {what} cache");
        let again = render(&vault);
        assert_eq!(again.cached, again.walked, "rebuilt after a {what} one");
    }
    // A damaged value (the first ones of the file) costs its note a read, and the cache is
    // saved again whole.
    std::fs::write(cache_file(&vault), flipped(values_at..values_at + 16)).unwrap();
    let load = render(&vault);
    assert!(
        load.cached > 0 && load.cached < load.walked,
        "the notes whose values are whole are kept: {load:?}"
    );
    assert!(load.saved);
    assert_eq!(outputs(&vault), rendered, "with a damaged value");
    assert_eq!(answers(&vault, &[]), expected, "with a damaged value");
    let again = render(&vault);
    assert_eq!(
        again.cached, again.walked,
        "saved whole after a damaged value"
    );
    vault.assert_expected("example/expected");
}

#[test]
fn a_moved_vault_reads_the_same() {
    let vault = Sandbox::example();
    settle();
    render(&vault);
    let expected = answers(&vault, &[]);
    let state = vault.device_state().parent().unwrap().to_path_buf();
    let moved = vault.vault.with_file_name("moved");
    std::fs::rename(&vault.vault, &moved).unwrap();
    for command in ["today", "check"] {
        let out = vault
            .cmd()
            .current_dir(&moved)
            .args([command, "--json", "--today", DEMO_DAY])
            .output()
            .unwrap();
        let answer = stdout(&out);
        let want = if command == "today" {
            &expected.0
        } else {
            &expected.1
        };
        assert_eq!(&answer, want, "{command} in the moved vault");
    }
    // Its own state folder, with a cache of its own.
    let vaults: Vec<_> = std::fs::read_dir(&state)
        .unwrap()
        .map(|e| e.unwrap().path().join("parse-cache.bin").is_file())
        .collect();
    assert_eq!(vaults, [true, true]);
}

#[test]
fn a_changed_setting_or_day_is_followed() {
    let vault = Sandbox::example();
    settle();
    // Two Log entries that are outreach in the default words and time together in the
    // vault's own: unanswered, or not.
    vault.write(
        "People/Zoe Kramer.md",
        "---\nmet-date: 2024-01-10\ncontext: Berlin meetup\n---\n## Log\n\
         - 2025-12-01 Kaffee am Markt\n- 2026-01-10 Kaffee im Büro\n",
    );
    settle();
    render(&vault);
    let config = vault.read(".vault-reach/config.toml");
    let before = answers(&vault, &[]);
    for (what, text) in [
        ("cadence", format!("{config}\ncadence = \"2 weeks\"\n")),
        (
            "Log words",
            format!("{config}\n[log]\ntogether = [\"Kaffee\"]\n"),
        ),
    ] {
        vault.write(".vault-reach/config.toml", &text);
        let after = answers(&vault, &[]);
        assert_ne!(after, before, "the {what} changes the answers");
        assert_eq!(after, answers(&vault, &["--no-cache"]), "{what}");
        vault.write(".vault-reach/config.toml", &config);
        assert_eq!(answers(&vault, &[]), before, "{what} back as it was");
    }
    // Another day: a `last-touch` of the demo day is a day to come the day before.
    let eve = ["--today", "2026-02-27"];
    let (out, load) = logged(&vault, &["check", "--json", eve[0], eve[1]], &[]);
    assert_eq!(load.cached, 0, "another day's reads are not the demo day's");
    let no_cache = vault.run(&["check", "--json", eve[0], eve[1], "--no-cache"]);
    assert_eq!(stdout(&out), stdout(&no_cache));
    assert!(
        stdout(&out).contains("a day still to come"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_changed_template_is_followed() {
    let vault = Sandbox::example();
    settle();
    render(&vault);
    vault.write(
        ".vault-reach/templates/index-row.md",
        "| {{ p.name | upper }} | {{ p.due or \"never\" }} |\n",
    );
    let load = render(&vault);
    assert_eq!(load.cached, load.walked);
    let index = vault.read("index.md");
    assert!(index.contains("\n| ADA QUINT | 2026-02-20 |\n"), "{index}");
}

#[test]
fn no_cache_and_its_variable_neither_read_nor_write_it() {
    for env in [vec![], vec![("VAULT_REACH_NO_CACHE", "1")]] {
        let vault = Sandbox::example();
        settle();
        let args: &[&str] = if env.is_empty() {
            &["render", "--today", DEMO_DAY, "--no-cache"]
        } else {
            &["render", "--today", DEMO_DAY]
        };
        let (out, load) = logged(&vault, args, &env);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(!load.saved);
        assert!(!cache_file(&vault).exists(), "{env:?}");
        vault.assert_expected("example/expected");
        // With a cache in place, it is not read either.
        render(&vault);
        let (_, load) = logged(&vault, args, &env);
        assert_eq!(load.cached, 0, "{env:?}");
    }
    // An empty value is no value.
    let vault = Sandbox::example();
    settle();
    logged(
        &vault,
        &["render", "--today", DEMO_DAY],
        &[("VAULT_REACH_NO_CACHE", "")],
    );
    assert!(cache_file(&vault).exists());
}

fn rows_file(vault: &Sandbox) -> PathBuf {
    vault.device_state().join("index-rows.bin")
}

/// index.md after a render with the caches, and whether a render that keeps nothing writes
/// the same bytes; and how many rows the first rendered.
fn index_with_and_without_caches(vault: &Sandbox) -> (Vec<u8>, usize) {
    let out = vault
        .cmd()
        .args(["render", "--today", DEMO_DAY])
        .env("VAULT_REACH_LOG", "vault_reach::watch=debug")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let rendered = number_before(&stderr(&out).replace("rendered ", "rendered  "), "of");
    let kept = vault.bytes("index.md");
    let out = vault.run(&["render", "--no-cache", "--today", DEMO_DAY]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&vault.bytes("index.md")),
        String::from_utf8_lossy(&kept),
        "a render that keeps nothing writes another index.md"
    );
    (kept, rendered)
}

/// index.md's rows are kept between renders beside the parse cache: a render renders again
/// only the rows of people whose note (or status) changed, or whose wikilink did, and what
/// it writes is what a render that keeps nothing writes.
#[test]
fn index_rows_kept_between_renders_are_those_a_fresh_render_gives() {
    let vault = Sandbox::example();
    settle();
    let (_, all) = index_with_and_without_caches(&vault);
    assert!(all > 1, "the first render renders every row");
    assert!(rows_file(&vault).exists());
    let saved = std::fs::metadata(rows_file(&vault))
        .unwrap()
        .modified()
        .unwrap();
    let (_, none) = index_with_and_without_caches(&vault);
    assert_eq!(none, 0, "nothing changed, no row rendered");
    assert_eq!(
        std::fs::metadata(rows_file(&vault))
            .unwrap()
            .modified()
            .unwrap(),
        saved,
        "unchanged rows are not saved again"
    );

    let ada = vault.read("People/Ada Quint.md");
    vault.write(
        "People/Ada Quint.md",
        &ada.replace("company: Quintessence Labs", "company: Quintessence Works"),
    );
    settle();
    let (index, one) = index_with_and_without_caches(&vault);
    assert_eq!(one, 1, "only the edited note's row");
    assert!(String::from_utf8_lossy(&index).contains("Quintessence Works"));

    // A second note of the same name: Ada's row now links her by her path.
    vault.write(
        "People/Work/Ada Quint.md",
        "---\nmet-date: 2025-01-10\ncontext: a namesake\n---\n",
    );
    settle();
    let (index, _) = index_with_and_without_caches(&vault);
    assert!(
        String::from_utf8_lossy(&index).contains("[[People/Ada Quint\\|Ada Quint]]"),
        "{}",
        String::from_utf8_lossy(&index)
    );

    // Damaged or cut, the kept rows are not used, and answer the same.
    let good = std::fs::read(rows_file(&vault)).unwrap();
    let mut damaged = good.clone();
    let middle = damaged.len() / 2;
    damaged[middle] = !damaged[middle];
    for bytes in [damaged, good[..good.len() / 2].to_vec(), Vec::new()] {
        std::fs::write(rows_file(&vault), &bytes).unwrap();
        let (_, rendered) = index_with_and_without_caches(&vault);
        assert!(rendered > 1, "kept rows of a damaged file are not used");
    }
}

/// A note whose read the parse cache cannot keep (its file name is not UTF-8) gets a new
/// revision each run: its kept row is never taken for the row of its note as edited since.
#[cfg(target_os = "linux")]
#[test]
fn a_note_the_cache_cannot_keep_gets_its_row_rendered_again_in_each_run() {
    use std::os::unix::ffi::OsStrExt as _;
    let vault = Sandbox::example();
    let note = vault
        .path("People")
        .join(std::ffi::OsStr::from_bytes(b"Ann\xff.md"));
    let text = "---\nname: Ann Old\nmet-date: 2025-01-02\ncontext: a test\n---\n";
    std::fs::write(&note, text).unwrap();
    settle();
    // Twice: the second run reads that note alone, as the run after the edit does.
    for _ in 0..2 {
        let (index, _) = index_with_and_without_caches(&vault);
        assert!(String::from_utf8_lossy(&index).contains("Ann Old"));
    }
    std::fs::write(&note, text.replace("Ann Old", "Ann New")).unwrap();
    settle();
    let (index, _) = index_with_and_without_caches(&vault);
    let index = String::from_utf8_lossy(&index);
    assert!(
        index.contains("Ann New") && !index.contains("Ann Old"),
        "{index}"
    );
}

/// Renders at once (two terminals, a timer) while a note is saved again and again: each
/// saves its caches whole (a temporary file renamed into place), so whichever lands last,
/// the next render answers as one that keeps nothing. Bounded: 4 renderers, 6 runs each,
/// 12 saves.
#[test]
fn renders_at_once_while_a_note_changes_leave_caches_that_answer_the_same() {
    let vault = Sandbox::example();
    settle();
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    let ada = vault.read("People/Ada Quint.md");
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..6 {
                    let out = vault.run(&["render", "--today", DEMO_DAY]);
                    assert!(out.status.success(), "{}", stderr(&out));
                }
            });
        }
        for n in 0..12 {
            vault.write(
                "People/Ada Quint.md",
                &ada.replace("company: Quintessence Labs", &format!("company: Works {n}")),
            );
            std::thread::sleep(Duration::from_millis(15));
        }
    });
    settle();
    let (index, _) = index_with_and_without_caches(&vault);
    assert!(String::from_utf8_lossy(&index).contains("Works 11"));
    assert_eq!(answers(&vault, &[]), answers(&vault, &["--no-cache"]));
}

/// A vault of `count` people, each with a Log and a paragraph: enough values that the cache's
/// runs fill on every core and are written in whatever order the cores finish.
fn many_people(count: usize) -> Sandbox {
    let vault = Sandbox::example();
    for i in 0..count {
        vault.write(
            &format!("People/Person {i:04}.md"),
            &format!(
                "---\nmet-date: 2024-0{}-1{}\ncontext: met at meetup {i}\nlast-touch: 2025-0{}-02\n---\n\
                 # Person {i:04}\n\n## About\n- Works on {}\n\n## Log\n\
                 - 2025-0{}-02 — coffee; talked about project {i}\n\
                 - 2024-11-0{} — emailed the notes from meetup {i}\n",
                1 + i % 9,
                i % 10,
                1 + i % 9,
                "the river map, ".repeat(1 + i % 7),
                1 + i % 9,
                1 + i % 9,
            ),
        );
    }
    vault
}

#[test]
fn a_large_vaults_cache_written_by_both_cores_gives_every_note_back() {
    let vault = many_people(1500);
    settle();
    let cold = render(&vault);
    assert_eq!(cold.cached, 0);
    assert!(cold.saved);
    // Runs are of 64 KiB: a few for each core.
    let size = std::fs::metadata(cache_file(&vault)).unwrap().len();
    assert!(size > 4 * 64 * 1024, "{size} bytes");
    let rendered = outputs(&vault);
    let expected = answers(&vault, &["--no-cache"]);
    let warm = render(&vault);
    assert_eq!(
        warm.cached, warm.walked,
        "every note from the cache: {warm:?}"
    );
    assert_eq!(outputs(&vault), rendered);
    assert_eq!(answers(&vault, &[]), expected);

    // Enough notes changed that the cache is saved again: the old values it keeps are
    // copied after the new ones, in the notes' order.
    for i in (0..1500).step_by(7) {
        let rel = format!("People/Person {i:04}.md");
        let text = vault.read(&rel);
        vault.write(&rel, &text.replace("coffee", "lunch"));
    }
    settle();
    let edited = render(&vault);
    assert_eq!(edited.cached, edited.walked - 1500usize.div_ceil(7));
    assert!(edited.saved);
    let expected = answers(&vault, &["--no-cache"]);
    let again = render(&vault);
    assert_eq!(
        again.cached, again.walked,
        "every note from the saved cache"
    );
    assert_eq!(answers(&vault, &[]), expected);
    let leftovers: Vec<_> = std::fs::read_dir(vault.device_state())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|name| name.to_string_lossy().starts_with(".vault-reach."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
