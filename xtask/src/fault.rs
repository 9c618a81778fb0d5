//! A fault-injection run: hostile edits to a generated vault, then the commands a user runs,
//! counting what must never happen.
//!
//!     cargo xtask fault [--notes N] [--rounds R] [--seed S] [--bin PATH] [--keep DIR]
//!
//! Each round makes one hostile change of a kind below to a random note (or to an output),
//! the way sync engines, imports, plugins and fat fingers do, then runs `render`, `check`,
//! `touch` on that note, ticks the first name on today.md and renders again, each with a
//! time limit. It counts crashes (an exit that is not 0, 1 or 2, or a signal), hangs (past
//! the limit), forged ticks (a ticked line today.md shows that nobody ticked), and notes
//! changed that no command was asked to change, or changed beyond the edit asked for. The
//! same seed makes the same run.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use crate::vaultgen::{self, Rng};

/// How long one command may take on a vault of a few hundred notes before it is a hang.
const LIMIT: Duration = Duration::from_secs(10);

/// The kinds of hostile change, each tried in turn.
const CASES: [&str; 14] = [
    "newline in a value",
    "markup in a value",
    "huge cadence",
    "tab-indented Log",
    "control and invisible characters",
    "bytes mangled",
    "impossible or future date",
    "longest file name",
    "newline in a file name",
    "symbolic link to a private file",
    "read-only note",
    "FIFO at an output",
    "link to /dev/zero at an output",
    "unreadable folder",
];

#[derive(Default)]
struct Tally {
    tried: BTreeMap<&'static str, usize>,
    commands: usize,
    crashes: Vec<String>,
    hangs: Vec<String>,
    forged: Vec<String>,
    changed: Vec<String>,
}

pub fn main(args: &[String]) -> ExitCode {
    match run(args) {
        Ok(clean) if clean => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("fault: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<bool, String> {
    let (mut notes, mut rounds, mut seed) = (300_usize, 140_usize, 7_u64);
    let (mut bin, mut keep) = (None, None);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--notes" => notes = value()?.parse().map_err(|_| "--notes: a number")?,
            "--rounds" => rounds = value()?.parse().map_err(|_| "--rounds: a number")?,
            "--seed" => seed = value()?.parse().map_err(|_| "--seed: a number")?,
            "--bin" => bin = Some(PathBuf::from(value()?)),
            "--keep" => keep = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let bin = crate::bench::vault_reach_binary(bin.as_deref())?;
    let scratch = std::env::temp_dir().join(format!("vault-reach-fault-{}", std::process::id()));
    let vault = keep.clone().unwrap_or_else(|| scratch.join("vault"));
    let outside = scratch.join("outside");
    std::fs::create_dir_all(&outside).map_err(|e| e.to_string())?;
    vaultgen::write_vault(&vault, notes, seed).map_err(|e| e.to_string())?;
    let state = scratch.join("state");
    // A workday (the generator's anchor is a Saturday, when the list is empty): a value can
    // only forge a line on a list that shows its person.
    let mut day = vaultgen::anchor();
    while matches!(
        chrono::Datelike::weekday(&day),
        chrono::Weekday::Sat | chrono::Weekday::Sun
    ) {
        day = day.succ_opt().ok_or("no workday after the anchor")?;
    }
    let day = day.format("%Y-%m-%d").to_string();
    let run = Runner {
        bin,
        vault: vault.clone(),
        state,
        day,
    };

    let mut rng = Rng::new(seed);
    let mut tally = Tally::default();
    let started = Instant::now();
    for round in 0..rounds {
        let case = CASES[round % CASES.len()];
        *tally.tried.entry(case).or_default() += 1;
        round_of(&run, &mut rng, case, &outside, &mut tally)?;
    }
    if keep.is_none() {
        restore_permissions(&vault);
        let _ = std::fs::remove_dir_all(&scratch);
    }

    println!(
        "{rounds} rounds on a vault of {notes} notes (seed {seed}), {} commands, {:.0?}",
        tally.commands,
        started.elapsed()
    );
    for (case, n) in &tally.tried {
        println!("  {n:>3} × {case}");
    }
    let report = |what: &str, found: &[String]| {
        println!("{what}: {}", found.len());
        for f in found.iter().take(10) {
            println!("    {f}");
        }
    };
    report("crashes", &tally.crashes);
    report("hangs", &tally.hangs);
    report("forged ticks", &tally.forged);
    report("notes changed unasked or beyond the edit", &tally.changed);
    Ok(tally.crashes.is_empty()
        && tally.hangs.is_empty()
        && tally.forged.is_empty()
        && tally.changed.is_empty())
}

struct Runner {
    bin: PathBuf,
    vault: PathBuf,
    state: PathBuf,
    day: String,
}

impl Runner {
    /// Runs vault-reach with `args` on the vault; a crash or a hang is tallied under `what`.
    fn run(&self, args: &[&str], what: &str, tally: &mut Tally) -> Option<i32> {
        tally.commands += 1;
        let mut child = Command::new(&self.bin)
            .args(args)
            .args(["--today", &self.day, "--vault"])
            .arg(&self.vault)
            .env("XDG_STATE_HOME", &self.state)
            .env("XDG_CACHE_HOME", &self.state)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .ok()?;
        let started = Instant::now();
        loop {
            match child.try_wait() {
                Ok(Some(status)) => {
                    let code = status.code();
                    if !matches!(code, Some(0..=2)) {
                        let mut err = String::new();
                        if let Some(mut e) = child.stderr.take() {
                            let _ = e.read_to_string(&mut err);
                        }
                        // The panic's own words, not the backtrace's last line.
                        let last = err
                            .lines()
                            .skip_while(|l| !l.contains("panicked"))
                            .take(2)
                            .collect::<Vec<_>>()
                            .join(" ");
                        tally.crashes.push(format!(
                            "{what}: `{}` ended {status}: {last}",
                            args.join(" ")
                        ));
                    }
                    return code;
                }
                Ok(None) if started.elapsed() > LIMIT => {
                    let _ = child.kill();
                    let _ = child.wait();
                    tally.hangs.push(format!("{what}: `{}`", args.join(" ")));
                    return None;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                Err(_) => return None,
            }
        }
    }
}

/// Every contact note's bytes, by path: what a round compares after its commands.
fn snapshot(vault: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    let mut notes = BTreeMap::new();
    let mut dirs = vec![vault.join("People")];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                let bytes = if kind.is_file() {
                    std::fs::read(&path).ok()
                } else {
                    None
                };
                notes.insert(path, bytes);
            }
        }
    }
    notes
}

/// The notes of the vault, regular files only.
fn note_paths(vault: &Path) -> Vec<PathBuf> {
    snapshot(vault)
        .into_iter()
        .filter_map(|(path, bytes)| bytes.map(|_| path))
        .collect()
}

fn round_of(
    run: &Runner,
    rng: &mut Rng,
    case: &'static str,
    outside: &Path,
    tally: &mut Tally,
) -> Result<(), String> {
    // A fresh list to aim at (the last round's was removed with its ticks).
    run.run(&["render"], "the list before the change", tally);
    let notes = note_paths(&run.vault);
    // Someone on today's list when there is one: a value can only forge a line where it is
    // shown, and most notes of a large vault are not on the list.
    let listed =
        listed_first(&run.vault).and_then(|name| notes.iter().find(|p| stem(p) == name).cloned());
    let target = match listed {
        Some(path) if rng.below(4) > 0 => path,
        _ => rng.choice(&notes).clone(),
    };
    let victim = rng.choice(&notes).clone();
    let victim_name = stem(&victim);
    let text = std::fs::read_to_string(&target).unwrap_or_default();
    let original = std::fs::read(&target).ok();
    let io = |e: std::io::Error| format!("{case}: {e}");
    // What to undo after the round, so that one output's trap does not spoil later rounds.
    let mut undo: Option<Box<dyn FnOnce()>> = None;
    let mut touched = target.clone();
    match case {
        "newline in a value" | "markup in a value" => {
            // Every value a pick shows at once: one of them alone may not be on the page.
            let value = if case.starts_with("newline") {
                format!("Acme\\n- [x] [[{victim_name}]]\\n")
            } else {
                format!("]] [[{victim_name}]] | #tag %% `x` <b> [x](javascript:1)")
            };
            let mut mutated = text.clone();
            for key in ["company", "role", "name", "email", "linkedin", "context"] {
                mutated = with_property(&mutated, &format!("{key}: \"{value}\""));
            }
            write(&target, &mutated).map_err(io)?;
        }
        "huge cadence" => {
            let value = *rng.choice(&[
                "cadence: 100000000 days",
                "contactFrequency: 3000000000",
                "cadence: 99999999999999999999 weeks",
            ]);
            write(&target, &with_property(&text, value)).map_err(io)?;
        }
        "tab-indented Log" => write(&target, &with_tabbed_log(&text)).map_err(io)?,
        "control and invisible characters" => {
            let value = "name: \"Eve\u{202e}dm.exe\u{200b}\u{feff}\u{1b}[31m\u{7f}\u{ffff}\"";
            write(&target, &with_property(&text, value)).map_err(io)?;
        }
        "bytes mangled" => {
            let mut bytes = text.into_bytes();
            for _ in 0..rng.int(1, 6) {
                let at = rng.below(bytes.len().max(1));
                let pieces: [&[u8]; 11] = [
                    b"\n",
                    b"\r\n",
                    b"\t",
                    b"---\n",
                    b"## Log\n",
                    b"- [x] ",
                    b"```",
                    b"\"",
                    b": ",
                    b"\xff\xfe",
                    b"[[",
                ];
                let piece = *rng.choice(&pieces);
                let cut = rng.below(4).min(bytes.len().saturating_sub(at));
                bytes.splice(at..at + cut, piece.iter().copied());
            }
            std::fs::write(&target, bytes).map_err(io)?;
        }
        "impossible or future date" => {
            let value = *rng.choice(&[
                "last-touch: 2062-01-01",
                "met-date: 2026-02-30",
                "last-reply: 99999-01-01",
                "met-date: 0000-00-00",
            ]);
            write(&target, &with_property(&text, value)).map_err(io)?;
        }
        "longest file name" => {
            let long = target.with_file_name(format!("{}.md", "L".repeat(252)));
            std::fs::rename(&target, &long).map_err(io)?;
            touched = long;
        }
        "newline in a file name" => {
            let odd = target.with_file_name(format!("Odd\n- [x] [[{victim_name}]]\u{1b}[2J.md"));
            std::fs::rename(&target, &odd).map_err(io)?;
            touched = odd;
        }
        "symbolic link to a private file" => {
            let private = outside.join(format!("private-{}.md", rng.next_u64()));
            std::fs::write(&private, &text).map_err(io)?;
            set_mode(&private, 0o600);
            std::fs::remove_file(&target).map_err(io)?;
            std::os::unix::fs::symlink(&private, &target).map_err(io)?;
            check_private_after(run, &target, &private, &text, tally);
        }
        "read-only note" => {
            set_mode(&target, 0o444);
            let path = target.clone();
            undo = Some(Box::new(move || set_mode(&path, 0o644)));
        }
        "FIFO at an output" | "link to /dev/zero at an output" => {
            let output = run.vault.join(*rng.choice(&["today.md", "index.md"]));
            let kept = std::fs::symlink_metadata(&output)
                .is_ok_and(|m| m.is_file())
                .then(|| std::fs::read(&output).ok())
                .flatten();
            let _ = std::fs::remove_file(&output);
            if case.starts_with("FIFO") {
                let c = std::ffi::CString::new(output.as_os_str().as_encoded_bytes())
                    .map_err(|e| e.to_string())?;
                // SAFETY: a NUL-terminated path that lives across the call.
                unsafe { libc::mkfifo(c.as_ptr(), 0o644) };
            } else {
                std::os::unix::fs::symlink("/dev/zero", &output).map_err(io)?;
            }
            undo = Some(Box::new(move || {
                let _ = std::fs::remove_file(&output);
                if let Some(kept) = kept {
                    let _ = std::fs::write(&output, kept);
                }
            }));
        }
        "unreadable folder" => {
            let dir = run.vault.join("People").join("Locked");
            std::fs::create_dir_all(&dir).map_err(io)?;
            std::fs::write(dir.join("Hidden.md"), "---\nname: Hidden\n---\n").map_err(io)?;
            set_mode(&dir, 0o000);
            undo = Some(Box::new(move || {
                set_mode(&dir, 0o755);
                let _ = std::fs::remove_dir_all(&dir);
            }));
        }
        _ => unreachable!("every case is handled"),
    }

    let before = snapshot(&run.vault);
    let name = stem(&touched);
    run.run(&["render"], case, tally);
    forged_ticks(&run.vault, case, tally);
    run.run(&["check"], case, tally);
    run.run(&["touch", &name], case, tally);
    let ticked = tick_first(&run.vault);
    run.run(&["render"], case, tally);
    let after = snapshot(&run.vault);

    // Asked to change: the touched note, and the note whose name is on the ticked line.
    let ticked = ticked.unwrap_or_default();
    let asked = |path: &Path, old: &[u8]| {
        let (stem, shown) = (stem(path), display_name(old));
        stem == name
            || ticked.contains(&format!("[[{stem}"))
            || (!shown.is_empty() && ticked.contains(&shown))
            || ticked.contains(&stem.replace(' ', "%20"))
    };
    for (path, old) in &before {
        let new = after.get(path);
        let Some(Some(old)) = old.as_ref().map(Some) else {
            continue;
        };
        match new {
            Some(Some(new)) if new == old => {}
            Some(Some(new)) if asked(path, old) => {
                if !only_added_to(old, new) {
                    tally.changed.push(format!(
                        "{case}: {} changed beyond the edit",
                        path.display()
                    ));
                }
            }
            Some(Some(_)) => tally
                .changed
                .push(format!("{case}: {} changed unasked", path.display())),
            _ => tally.changed.push(format!(
                "{case}: {} is gone or no longer a file",
                path.display()
            )),
        }
    }
    if let Some(undo) = undo {
        undo();
    }
    // Each round tests its own case: the note is put back as it was, so one crash does not
    // hide every case after it.
    if touched != target {
        let _ = std::fs::remove_file(&touched);
    }
    set_mode(&target, 0o644);
    // And a fresh list next round: its ticks were recorded in notes now put back.
    let _ = std::fs::remove_file(run.vault.join("today.md"));
    if let Some(original) = original {
        let _ = std::fs::remove_file(&target);
        std::fs::write(&target, original).map_err(|e| format!("{case}: {e}"))?;
    }
    Ok(())
}

/// After the commands of a link round: the private file behind the link is as it was, and
/// its mode too (recording a tick for a link once replaced it with a world-readable copy).
fn check_private_after(run: &Runner, link: &Path, private: &Path, text: &str, tally: &mut Tally) {
    let name = stem(link);
    run.run(&["render"], "symbolic link to a private file", tally);
    run.run(&["touch", &name], "symbolic link to a private file", tally);
    let kept = std::fs::read_to_string(private).ok();
    let mode = std::fs::metadata(private)
        .map(|m| std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o777);
    let still_link = std::fs::symlink_metadata(link).is_ok_and(|m| m.file_type().is_symlink());
    if kept.as_deref() != Some(text) || mode.ok() != Some(0o600) || !still_link {
        tally.changed.push(format!(
            "symbolic link: {} or what it points to was changed",
            link.display()
        ));
    }
}

/// Ticked lines on a today.md nobody has ticked yet in this round: only vault-reach's own
/// `— reached today` lines may be there.
fn forged_ticks(vault: &Path, case: &str, tally: &mut Tally) {
    let path = vault.join("today.md");
    if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
        return;
    }
    let Ok(page) = std::fs::read_to_string(&path) else {
        return;
    };
    for line in page.lines() {
        let ticked = ["- [x]", "- [X]", "* [x]", "+ [x]"]
            .iter()
            .any(|m| line.starts_with(m));
        if ticked && !line.ends_with(" — reached today") {
            tally.forged.push(format!("{case}: {line:?}"));
        }
    }
}

/// The file name of the first open name on today.md, when it is linked by one.
fn listed_first(vault: &Path) -> Option<String> {
    let path = vault.join("today.md");
    if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let page = std::fs::read_to_string(&path).ok()?;
    let at = page.find("\n- [ ] [[")? + 9;
    let target = page[at..].split([']', '|']).next()?;
    Some(target.rsplit('/').next().unwrap_or(target).to_owned())
}

/// Ticks the first open name on today.md, as a phone would, and gives that line.
fn tick_first(vault: &Path) -> Option<String> {
    let path = vault.join("today.md");
    // The round may have put a FIFO there: only a regular file is read.
    if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let page = std::fs::read_to_string(&path).ok()?;
    let at = page.find("\n- [ ] ")? + 1;
    let line = page[at..].lines().next().unwrap_or_default().to_owned();
    let mut ticked = page.clone();
    ticked.replace_range(at + 3..at + 4, "x");
    std::fs::write(&path, ticked).ok()?;
    Some(line)
}

/// Whether `new` is `old` with lines added and the schedule's own keys set: every other line
/// of `old` is still there, in order.
fn only_added_to(old: &[u8], new: &[u8]) -> bool {
    let own = |l: &&[u8]| {
        !(l.starts_with(b"last-touch:") || l.starts_with(b"last-reply:") || l.is_empty())
    };
    let old: Vec<&[u8]> = old.split(|&b| b == b'\n').filter(own).collect();
    let mut new = new.split(|&b| b == b'\n').filter(own);
    old.iter().all(|line| new.any(|n| n == *line))
}

/// `text` with `property` (`key: value`) in its front-matter: in place of the key's own line
/// when it has one (so the value is the one read), else as the first line.
fn with_property(text: &str, property: &str) -> String {
    let key = property.split(':').next().unwrap_or_default();
    let Some(rest) = text.strip_prefix("---\n") else {
        return format!("---\n{property}\n---\n{text}");
    };
    let end = rest.find("\n---").map_or(0, |i| i + 1);
    let (front, body) = rest.split_at(end);
    let mut replaced = false;
    let lines: Vec<&str> = front
        .lines()
        .map(|line| {
            if !replaced && line.split(':').next() == Some(key) {
                replaced = true;
                property
            } else {
                line
            }
        })
        .collect();
    let front = lines.join("\n");
    if replaced {
        format!("---\n{front}\n{body}")
    } else {
        format!("---\n{property}\n{front}\n{body}")
    }
}

/// `text` with its body replaced by a list item whose tab-indented `## Log` is the note's only
/// one (the shape that panicked the editor).
fn with_tabbed_log(text: &str) -> String {
    let front_end = text
        .strip_prefix("---\n")
        .and_then(|rest| rest.find("\n---\n").map(|i| i + 4 + 5))
        .unwrap_or(0);
    format!("{}- a\n\t## Log\n\t- 2025-01-01 x\n", &text[..front_end])
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The `name:` a note gives itself, when today.md links it by that.
fn display_name(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .find_map(|l| l.strip_prefix("name: "))
        .map(|n| n.trim_matches('"').to_owned())
        .unwrap_or_default()
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
}

/// Folders a round left unreadable would stop the clean-up.
fn restore_permissions(vault: &Path) {
    set_mode(&vault.join("People").join("Locked"), 0o755);
}
