//! The end-to-end benchmark of issue 6: vault-reach against the read floor, on generated vaults.
//!
//!     cargo xtask bench [SIZES…] [--runs N] [--warmup N] [--seed S] [--dir DIR] [--bin PATH]
//!
//! For each size (default 500 5000 30000) it generates the vault into DIR/vault-N (default
//! /tmp/vr-bench; only when missing or made by another generator version), warms the page
//! cache, and then runs the yardsticks and vault-reach in interleaved rounds, so that drift in
//! the machine's load hits every command alike. It prints a Markdown table of medians, ratios
//! to the yardsticks measured in the same run, and peak RSS, then the scaling ratios and the
//! issue's targets.
//!
//! Yardsticks (as in `../shared/bench/README.md`), over the contact folder `People/`:
//! - `cat`: `find People -name '*.md' -print0 | xargs -0 cat > /dev/null`, the read floor on
//!   one core;
//! - `rg`: ripgrep's count of front-matter keys, a tuned parallel reader (skipped with a note
//!   when `rg` is not installed);
//! - `stat walk`: `find VAULT -name '*.md' -printf '%s %T@\n'`, every note's size and mtime
//!   on one core, the floor of a load that reads nothing unchanged (issue 17).
//!
//! vault-reach runs on the whole vault with `--today 2025-11-01`, its state folder (and so
//! its parse cache) in DIR/state: `render` with its outputs and its cache already in place
//! (the steady state, as after any earlier run: nothing changed), `render (1 changed)` with
//! one note's content changed before each run, `render (cold)` with the cache deleted before
//! each run (it is read from every note and saved again), `render --no-cache` (neither read
//! nor saved), `render (fresh)` with the outputs removed before each run, `today --json` and
//! `check --json` (cached and `--no-cache`). What is changed or removed before a run is so
//! outside its timing.
//!
//! Peak RSS is each child's `ru_maxrss` from `wait4`, so no external tool is needed; for the
//! `cat` pipeline it is the largest process of the pipeline, as GNU time reports it.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use crate::vaultgen;

const TODAY: &str = "2025-11-01";
const RG_PATTERN: &str = "^(met-date|last-touch|context|email|company|tags):";

/// `cargo xtask bench ARGS…`; `args` are the words after `bench`.
pub fn main(args: &[String]) -> ExitCode {
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bench: {err}");
            ExitCode::FAILURE
        }
    }
}

struct Options {
    sizes: Vec<usize>,
    runs: Option<usize>,
    warmup: usize,
    seed: u64,
    dir: PathBuf,
    bin: Option<PathBuf>,
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        sizes: Vec::new(),
        runs: None,
        warmup: 2,
        seed: 42,
        dir: PathBuf::from("/tmp/vr-bench"),
        bin: None,
    };
    let mut args = args.iter().cloned();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--runs" => o.runs = Some(number(&value("--runs")?)?),
            "--warmup" => o.warmup = number(&value("--warmup")?)?,
            "--seed" => o.seed = number(&value("--seed")?)? as u64,
            "--dir" => o.dir = PathBuf::from(value("--dir")?),
            "--bin" => o.bin = Some(PathBuf::from(value("--bin")?)),
            "-h" | "--help" => {
                return Err("usage: cargo xtask bench [SIZES…] [--runs N] [--warmup N] \
                            [--seed S] [--dir DIR] [--bin PATH]"
                    .into());
            }
            _ => o.sizes.push(number(&arg)?),
        }
    }
    if o.sizes.is_empty() {
        o.sizes = vec![500, 5000, 30000];
    }
    Ok(o)
}

fn number(s: &str) -> Result<usize, String> {
    s.parse().map_err(|_| format!("`{s}` is not a number"))
}

/// Timed runs per command: enough for a stable median where runs are cheap, and the issue's
/// minimum (≥ 10 below 30k, ≥ 5 at 30k) where they are not.
fn default_runs(n: usize) -> usize {
    match n {
        0..=1000 => 30,
        1001..=10_000 => 15,
        _ => 7,
    }
}

/// Generates the vault in a child process. Children are spawned sharing this process's
/// memory until they exec, and the kernel counts that memory's high-water mark into the
/// child's `ru_maxrss`: a parent still holding the freed heap of a 30k-note generation (tens
/// of MiB) would show up as the peak RSS of `cat`.
fn generate_in_child(vault: &Path, n: usize, seed: u64) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let status = Command::new(exe)
        .args(["bench", GENERATE])
        .arg(n.to_string())
        .arg(vault)
        .arg(seed.to_string())
        .status()
        .map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("generating {} failed", vault.display()))
    }
}

/// The hidden first argument after `bench` that makes this binary the generator child.
const GENERATE: &str = "--generate-vault";

fn run(args: &[String]) -> Result<(), String> {
    if let [flag, n, dir, seed] = args
        && flag == GENERATE
    {
        let seed = number(seed)? as u64;
        return vaultgen::write_vault(Path::new(dir), number(n)?, seed)
            .map(drop)
            .map_err(|e| e.to_string());
    }
    let o = options(args)?;
    let bin = vault_reach_binary(o.bin.as_deref())?;
    let rg = rg_version();
    // A fresh build or vault leaves dirty pages; ext4 writing them back during the timings
    // inflated them by up to 2× in the baseline runs.
    sync();

    // The parse caches (and ledgers) of the benchmark's vaults, apart from the user's own.
    let state = o.dir.join("state");
    let mut results: Vec<SizeResult> = Vec::new();
    for &n in &o.sizes {
        let vault = o.dir.join(format!("vault-{n}"));
        if vaultgen::is_current(&vault, n, o.seed) {
            eprintln!("== {}: up to date", vault.display());
        } else {
            eprintln!("== generating {} ({n} contacts)", vault.display());
            generate_in_child(&vault, n, o.seed)?;
            sync();
        }
        // A today.md left by another run (a watch probe whose edits were then undone, say)
        // carries ticks that the first `render` would record in the notes: start without one.
        for output in ["today.md", "index.md"] {
            let _ = std::fs::remove_file(vault.join(output));
        }
        let facts = facts(&vault).map_err(|e| format!("{}: {e}", vault.display()))?;
        warm(&vault).map_err(|e| format!("{}: {e}", vault.display()))?;

        let mut cmds = vec![Cmd::cat(&vault)];
        if rg.is_some() {
            cmds.push(Cmd::rg(&vault));
        }
        cmds.push(Cmd::stat_walk(&vault));
        let ours = |name: &str, words: &[&str], before: Before| {
            Cmd::vault_reach(&bin, &vault, &state, name, words, before)
        };
        let edited = one_note(&vault).map_err(|e| format!("{}: {e}", vault.display()))?;
        let original = std::fs::read(&edited).map_err(|e| format!("{}: {e}", edited.display()))?;
        cmds.extend([
            ours("render", &["render"], Before::Nothing),
            ours(
                "render (1 changed)",
                &["render"],
                Before::Edit(edited.clone(), original.clone()),
            ),
            ours(
                "render (cold)",
                &["render"],
                Before::RemoveCache(state.clone(), vault.clone()),
            ),
            ours(
                "render --no-cache",
                &["render", "--no-cache"],
                Before::Nothing,
            ),
            ours(
                "render (fresh)",
                &["render"],
                Before::RemoveOutputs(vault.clone()),
            ),
            ours("today --json", &["today", "--json"], Before::Nothing),
            ours(
                "today --json --no-cache",
                &["today", "--json", "--no-cache"],
                Before::Nothing,
            ),
            ours("check --json", &["check", "--json"], Before::Nothing),
            ours(
                "check --json --no-cache",
                &["check", "--json", "--no-cache"],
                Before::Nothing,
            ),
        ]);

        let runs = o.runs.unwrap_or_else(|| default_runs(n)).max(1);
        eprintln!(
            "== timing {n}: {} commands, {} warm-up + {runs} timed rounds",
            cmds.len(),
            o.warmup
        );
        let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); cmds.len()];
        for round in 0..o.warmup + runs {
            // Rotate the order so no command always follows the same one.
            for k in 0..cmds.len() {
                let i = (round + k) % cmds.len();
                let sample = cmds[i]
                    .run()
                    .map_err(|e| format!("{}: {e}", cmds[i].name))?;
                if !cmds[i].ok_status.contains(&sample.status) {
                    return Err(format!(
                        "`{}` on {} exited with {}; run it by hand to see why",
                        cmds[i].name,
                        vault.display(),
                        sample.status
                    ));
                }
                if round >= o.warmup {
                    samples[i].push(sample);
                }
            }
            eprint!(".");
        }
        eprintln!();
        // The vault as it was generated, for the next run's `is_current`.
        std::fs::write(&edited, &original).map_err(|e| format!("{}: {e}", edited.display()))?;
        let rows = cmds
            .iter()
            .zip(samples)
            .map(|(c, s)| Row::new(&c.name, &s))
            .collect();
        results.push(SizeResult { n, facts, rows });
    }
    print!("{}", report(&results, rg.as_deref(), &bin));
    Ok(())
}

/// The vault-reach binary to time: `--bin`, else the workspace's own, built now in the same
/// profile (a no-op when up to date) so the numbers are never from a stale binary.
pub fn vault_reach_binary(bin: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(bin) = bin {
        return Ok(bin.to_path_buf());
    }
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    // target/<profile>/xtask -> target/<profile>/vault-reach
    let profile_dir = exe.parent().ok_or("cannot locate the target folder")?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut build = Command::new(cargo);
    build
        .args(["build", "--quiet", "--bin", "vault-reach"])
        .current_dir(workspace_root());
    if cfg!(debug_assertions) {
        eprintln!("bench: this is a debug build; run it with `cargo xtask bench`");
    } else {
        build.arg("--release");
    }
    let status = build
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("building vault-reach failed".into());
    }
    let bin = profile_dir.join(format!("vault-reach{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        return Err(format!("{} is missing after the build", bin.display()));
    }
    Ok(bin)
}

/// The repository's root, where vault-reach's own Cargo.toml is: `xtask/..`.
pub fn workspace_root() -> &'static Path {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().unwrap_or(xtask)
}

fn rg_version() -> Option<String> {
    let out = Command::new("rg").arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    out.status
        .success()
        .then(|| text.lines().next().unwrap_or("rg").to_owned())
}

fn sync() {
    // SAFETY: sync(2) takes no arguments and cannot fail.
    unsafe { libc::sync() };
}

struct Facts {
    contacts: usize,
    contact_bytes: u64,
    files: usize,
}

fn facts(vault: &Path) -> io::Result<Facts> {
    let mut f = Facts {
        contacts: 0,
        contact_bytes: 0,
        files: 0,
    };
    visit(vault, &mut |path, meta| {
        let rel = path.strip_prefix(vault).unwrap_or(path);
        // Count what the generator wrote, not what vault-reach has added since.
        let ours = rel == Path::new(vaultgen::MARKER)
            || rel == Path::new("today.md")
            || rel == Path::new("index.md")
            || rel.starts_with(".vault-reach");
        if ours {
            return Ok(());
        }
        f.files += 1;
        let in_people = rel.starts_with("People");
        if in_people && path.extension().is_some_and(|e| e == "md") {
            f.contacts += 1;
            f.contact_bytes += meta.len();
        }
        Ok(())
    })?;
    Ok(f)
}

/// Reads every file once, so every command starts from a warm page cache.
fn warm(vault: &Path) -> io::Result<()> {
    visit(vault, &mut |path, _| std::fs::read(path).map(drop))
}

fn visit(
    dir: &Path,
    f: &mut dyn FnMut(&Path, &std::fs::Metadata) -> io::Result<()>,
) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        if meta.is_dir() {
            visit(&entry.path(), f)?;
        } else {
            f(&entry.path(), &meta)?;
        }
    }
    Ok(())
}

/// The contact note whose content `render (1 changed)` changes before each run: the first
/// of `People/` by name, so every run of the benchmark changes the same one.
fn one_note(vault: &Path) -> io::Result<PathBuf> {
    let mut notes: Vec<PathBuf> = std::fs::read_dir(vault.join("People"))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && p.is_file())
        .collect();
    notes.sort();
    notes
        .into_iter()
        .next()
        .ok_or_else(|| io::Error::other("no note in People/"))
}

/// What is done before each run of a command, outside its timing.
enum Before {
    Nothing,
    /// The generated notes of this vault are removed.
    RemoveOutputs(PathBuf),
    /// This note gets its original content and a line that differs on every run.
    Edit(PathBuf, Vec<u8>),
    /// The parse cache of the vault (the second path) in the state folder (the first) is
    /// removed.
    RemoveCache(PathBuf, PathBuf),
}

/// One measured command.
struct Cmd {
    name: String,
    /// Each stage reads the previous one's stdout; the last writes to /dev/null.
    stages: Vec<(OsString, Vec<OsString>)>,
    /// Set for every stage.
    env: Vec<(OsString, OsString)>,
    before: Before,
    ok_status: Vec<i32>,
    /// How many times it ran, for `Before::Edit`'s line.
    count: std::cell::Cell<usize>,
}

impl Cmd {
    fn cat(vault: &Path) -> Cmd {
        let people = vault.join("People").into_os_string();
        Cmd {
            name: "cat".into(),
            stages: vec![
                (
                    "find".into(),
                    vec![people, "-name".into(), "*.md".into(), "-print0".into()],
                ),
                ("xargs".into(), vec!["-0".into(), "cat".into()]),
            ],
            env: Vec::new(),
            before: Before::Nothing,
            ok_status: vec![0],
            count: std::cell::Cell::new(0),
        }
    }

    fn stat_walk(vault: &Path) -> Cmd {
        Cmd {
            name: "stat walk".into(),
            stages: vec![(
                "find".into(),
                vec![
                    vault.as_os_str().to_owned(),
                    "-name".into(),
                    "*.md".into(),
                    "-printf".into(),
                    "%s %T@\n".into(),
                ],
            )],
            env: Vec::new(),
            before: Before::Nothing,
            ok_status: vec![0],
            count: std::cell::Cell::new(0),
        }
    }

    fn rg(vault: &Path) -> Cmd {
        let people = vault.join("People").into_os_string();
        Cmd {
            name: "rg".into(),
            stages: vec![(
                "rg".into(),
                vec![
                    "--no-filename".into(),
                    "-c".into(),
                    "-g".into(),
                    "*.md".into(),
                    RG_PATTERN.into(),
                    people,
                ],
            )],
            env: Vec::new(),
            before: Before::Nothing,
            ok_status: vec![0],
            count: std::cell::Cell::new(0),
        }
    }

    fn vault_reach(
        bin: &Path,
        vault: &Path,
        state: &Path,
        name: &str,
        words: &[&str],
        before: Before,
    ) -> Cmd {
        let mut argv: Vec<OsString> = words.iter().map(OsString::from).collect();
        argv.extend([vault.as_os_str().to_owned(), "--today".into(), TODAY.into()]);
        Cmd {
            name: name.into(),
            stages: vec![(bin.as_os_str().to_owned(), argv)],
            env: vec![("XDG_STATE_HOME".into(), state.as_os_str().to_owned())],
            before,
            // `check` exits 1 when a note has an error, and the generated vaults have some;
            // `render` exits 1 when it holds a tick back (see the report's notes).
            ok_status: vec![0, 1],
            count: std::cell::Cell::new(0),
        }
    }

    fn prepare(&self) -> io::Result<()> {
        let remove = |path: &Path| match std::fs::remove_file(path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        };
        match &self.before {
            Before::Nothing => Ok(()),
            Before::RemoveOutputs(vault) => {
                remove(&vault.join("today.md"))?;
                remove(&vault.join("index.md"))
            }
            Before::Edit(note, original) => {
                let mut text = original.clone();
                text.extend_from_slice(format!("\nbench edit {}\n", self.count.get()).as_bytes());
                std::fs::write(note, text)
            }
            Before::RemoveCache(state, vault) => {
                // Named after the vault's folder, then a hash of its path (src/state.rs).
                let prefix = format!(
                    "{}-",
                    vault.file_name().unwrap_or_default().to_string_lossy()
                );
                let vaults = state.join("vault-reach/vaults");
                let Ok(dirs) = std::fs::read_dir(&vaults) else {
                    return Ok(());
                };
                for dir in dirs.filter_map(Result::ok) {
                    if dir.file_name().to_string_lossy().starts_with(&prefix) {
                        remove(&dir.path().join("parse-cache.bin"))?;
                    }
                }
                Ok(())
            }
        }
    }

    fn run(&self) -> io::Result<Sample> {
        self.prepare()?;
        self.count.set(self.count.get() + 1);
        let started = Instant::now();
        let mut pids = Vec::new();
        let mut input: Option<Stdio> = None;
        for (k, (program, args)) in self.stages.iter().enumerate() {
            let last = k + 1 == self.stages.len();
            let mut child = Command::new(program)
                .args(args)
                .envs(self.env.iter().map(|(k, v)| (k, v)))
                .stdin(input.take().unwrap_or_else(Stdio::null))
                .stdout(if last { Stdio::null() } else { Stdio::piped() })
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| io::Error::other(format!("cannot run {}: {e}", program.display())))?;
            if let Some(out) = child.stdout.take() {
                input = Some(Stdio::from(out));
            }
            pids.push(child.id());
        }
        let mut sample = Sample {
            secs: 0.0,
            max_rss_kib: 0,
            status: 0,
        };
        for pid in pids {
            let (status, rss) = wait4(pid)?;
            sample.status = sample.status.max(status);
            sample.max_rss_kib = sample.max_rss_kib.max(rss);
        }
        sample.secs = started.elapsed().as_secs_f64();
        Ok(sample)
    }
}

/// Reaps `pid` and returns its exit status and peak RSS in KiB (its own, or its largest
/// waited-for descendant's, as `xargs` waits for `cat`).
fn wait4(pid: u32) -> io::Result<(i32, i64)> {
    let pid = libc::pid_t::try_from(pid).map_err(io::Error::other)?;
    let mut status = 0;
    // SAFETY: rusage is plain old data; wait4 fills it in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: valid pointers to locals; `pid` is our own unreaped child.
        let r = unsafe { libc::wait4(pid, &raw mut status, 0, &raw mut usage) };
        if r == pid {
            break;
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        128 + libc::WTERMSIG(status)
    };
    Ok((code, usage.ru_maxrss))
}

#[derive(Clone, Copy)]
struct Sample {
    secs: f64,
    max_rss_kib: i64,
    status: i32,
}

struct Row {
    name: String,
    median: f64,
    min: f64,
    max: f64,
    runs: usize,
    rss_kib: i64,
    /// Runs that exited non-zero, by status.
    failures: Vec<(i32, usize)>,
}

impl Row {
    fn new(name: &str, samples: &[Sample]) -> Row {
        let mut secs: Vec<f64> = samples.iter().map(|s| s.secs).collect();
        secs.sort_by(f64::total_cmp);
        let mut rss: Vec<i64> = samples.iter().map(|s| s.max_rss_kib).collect();
        rss.sort_unstable();
        let mut failures: Vec<(i32, usize)> = Vec::new();
        for s in samples.iter().filter(|s| s.status != 0) {
            match failures.iter_mut().find(|f| f.0 == s.status) {
                Some(f) => f.1 += 1,
                None => failures.push((s.status, 1)),
            }
        }
        Row {
            failures,
            name: name.to_owned(),
            median: median(&secs),
            min: secs[0],
            max: secs[secs.len() - 1],
            runs: secs.len(),
            rss_kib: rss[rss.len() / 2],
        }
    }
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        f64::midpoint(sorted[n / 2 - 1], sorted[n / 2])
    }
}

struct SizeResult {
    n: usize,
    facts: Facts,
    rows: Vec<Row>,
}

impl SizeResult {
    fn median(&self, name: &str) -> Option<f64> {
        self.rows.iter().find(|r| r.name == name).map(|r| r.median)
    }

    fn row(&self, name: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.name == name)
    }
}

fn report(results: &[SizeResult], rg: Option<&str>, bin: &Path) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## vault-reach benchmark\n");
    let _ = writeln!(out, "{}\n", machine(rg, bin));
    let _ = writeln!(
        out,
        "| vault | contact notes | contact bytes | all files |\n|---|---:|---:|---:|"
    );
    for r in results {
        let _ = writeln!(
            out,
            "| {} | {} | {:.1} MiB | {} |",
            r.n,
            r.facts.contacts,
            mib(r.facts.contact_bytes / 1024),
            r.facts.files
        );
    }
    let _ = writeln!(
        out,
        "\nMedian wall time, ratio to the yardsticks' medians in the same run, peak RSS \
         (median over runs), and the spread of the timed runs:\n"
    );
    let _ = writeln!(
        out,
        "| vault | command | median | ×cat | ×rg | peak RSS | min … max (runs) |\n\
         |---:|---|---:|---:|---:|---:|---|"
    );
    for r in results {
        let cat = r.median("cat");
        let rg = r.median("rg");
        for row in &r.rows {
            let ratio = |base: Option<f64>| base.map_or("-".to_owned(), |b| ratio(row.median / b));
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {:.1} MiB | {} … {} ({}) |",
                r.n,
                row.name,
                duration(row.median),
                ratio(cat),
                ratio(rg),
                mib(row.rss_kib.unsigned_abs()),
                duration(row.min),
                duration(row.max),
                row.runs
            );
        }
    }
    for r in results {
        for row in &r.rows {
            for (status, count) in &row.failures {
                let _ = writeln!(
                    out,
                    "\n`{}` at {}: exit status {status} in {count} of {} runs{}.",
                    row.name,
                    r.n,
                    row.runs,
                    exit_meaning(&row.name)
                );
            }
        }
    }
    if rg.is_none() {
        let _ = writeln!(
            out,
            "\n`rg` is not installed, so its yardstick was skipped \
             (`apt-get install ripgrep`)."
        );
    }
    let scaling = scaling(results);
    if !scaling.is_empty() {
        let _ = writeln!(out, "\n{scaling}");
    }
    let _ = writeln!(out, "\n{}", targets(results));
    let _ = writeln!(out, "{}", cache_targets(results));
    out
}

/// The parse cache's goals (issue 17), at 30,000 and 5,000 notes: nothing changed, one note
/// changed and cold, as ratios to `cat` in the same run, and the peak RSS.
fn cache_targets(results: &[SizeResult]) -> String {
    let mut out = String::from(
        "Targets of issue 17 (the parse cache; `watch` is measured by `inc_probe.py`):\n\n\
         | vault | command | threshold | measured | met |\n|---:|---|---|---:|:---:|\n",
    );
    let mark = |ok: bool| if ok { "yes" } else { "**no**" };
    for r in results.iter().filter(|r| r.n == 30_000 || r.n == 5000) {
        let Some(cat) = r.median("cat") else { continue };
        for (name, limit) in [
            ("render", 0.35),
            ("render (1 changed)", 0.4),
            ("render (cold)", 1.1),
            ("render --no-cache", 1.1),
            ("today --json", 0.35),
            ("today --json --no-cache", 1.1),
            ("check --json", 0.35),
            ("check --json --no-cache", 1.1),
        ] {
            if let Some(m) = r.median(name) {
                let x = m / cat;
                let _ = writeln!(
                    out,
                    "| {} | {name} | ≤ {limit:.2}× cat | {} | {} |",
                    r.n,
                    ratio(x),
                    mark(x <= limit)
                );
            }
        }
        if let (Some(m), Some(walk)) = (r.median("render"), r.median("stat walk")) {
            let x = m / walk;
            let _ = writeln!(
                out,
                "| {} | render (aim) | ≤ 2× stat walk | {} | {} |",
                r.n,
                ratio(x),
                mark(x <= 2.0)
            );
        }
        if r.n == 30_000 {
            for name in ["render", "render (cold)"] {
                if let Some(row) = r.row(name) {
                    let mib = mib(row.rss_kib.unsigned_abs());
                    let _ = writeln!(
                        out,
                        "| {} | {name} | peak RSS ≤ 64 MiB | {mib:.1} MiB | {} |",
                        r.n,
                        mark(mib <= 64.0)
                    );
                }
            }
        }
    }
    let big = results.iter().find(|r| r.n == 30_000);
    let small = results.iter().find(|r| r.n == 5000);
    if let (Some(big), Some(small)) = (big, small) {
        for name in ["render", "render (1 changed)", "render (cold)"] {
            if let (Some(b), Some(s)) = (big.median(name), small.median(name)) {
                let x = b / s;
                let _ = writeln!(
                    out,
                    "| 30k / 5k | {name} | ≤ 6.5 | {x:.2} | {} |",
                    mark(x <= 6.5)
                );
            }
        }
    }
    out
}

/// Median at the largest size over the median at the next size below, per command.
fn scaling(results: &[SizeResult]) -> String {
    let (Some(big), Some(small)) = (
        results.iter().find(|r| r.n == 30_000),
        results.iter().find(|r| r.n == 5000),
    ) else {
        return String::new();
    };
    let mut out = String::from(
        "Scaling, median(30000) / median(5000) (linear would be 6.0):\n\n\
         | command | 30000 / 5000 |\n|---|---:|\n",
    );
    for row in &big.rows {
        if let Some(s) = small.median(&row.name) {
            let _ = writeln!(out, "| {} | {:.2} |", row.name, row.median / s);
        }
    }
    out
}

/// The goals that one run can check; `watch` (G5, G7) is measured by `inc_probe.py`.
fn targets(results: &[SizeResult]) -> String {
    let mut out = String::from(
        "Targets of issue 6 (G5 and G7, `watch`, are measured by `inc_probe.py`, not here):\n\n\
         | goal | command | threshold | measured | met |\n|---|---|---|---:|:---:|\n",
    );
    let mark = |ok: bool| if ok { "yes" } else { "**no**" };
    for r in results {
        let Some(cat) = r.median("cat") else { continue };
        let (goal, limit) = match r.n {
            30_000 => ("G1", 1.0),
            5000 => ("G2", 1.0),
            500 => ("G3", 2.0),
            _ => continue,
        };
        for name in ["render", "today --json", "check --json"] {
            if let Some(m) = r.median(name) {
                let x = m / cat;
                let _ = writeln!(
                    out,
                    "| {goal} ({}) | {name} | ≤ {limit:.1}× cat | {} | {} |",
                    r.n,
                    ratio(x),
                    mark(x <= limit)
                );
            }
        }
        if r.n == 30_000
            && let (Some(m), Some(rg)) = (r.median("render"), r.median("rg"))
        {
            let x = m / rg;
            let _ = writeln!(
                out,
                "| G1 stretch | render | ≤ 2.0× rg | {} | {} |",
                ratio(x),
                mark(x <= 2.0)
            );
        }
    }
    let big = results.iter().find(|r| r.n == 30_000);
    let small = results.iter().find(|r| r.n == 5000);
    if let (Some(big), Some(small)) = (big, small) {
        for name in ["render", "today --json", "check --json"] {
            if let (Some(b), Some(s)) = (big.median(name), small.median(name)) {
                let x = b / s;
                let _ = writeln!(
                    out,
                    "| G4 | {name} | 30k / 5k ≤ 7.2 | {x:.2} | {} |",
                    mark(x <= 7.2)
                );
            }
        }
    }
    if let Some(row) = big.and_then(|b| b.row("render")) {
        let mib = mib(row.rss_kib.unsigned_abs());
        let _ = writeln!(
            out,
            "| G6 | render | peak RSS ≤ 64 MiB at 30k | {mib:.1} MiB | {} |",
            mark(mib <= 64.0)
        );
    }
    out
}

fn machine(rg: Option<&str>, bin: &Path) -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|s| s.trim().to_owned())
        .unwrap_or_default();
    let rev = Command::new("git")
        .args(["describe", "--always", "--dirty"])
        .current_dir(workspace_root())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map_or_else(
            || "unknown".into(),
            |o| String::from_utf8_lossy(&o.stdout).trim().to_owned(),
        );
    format!(
        "{cpu}, {cores} cores, kernel {kernel}; {}; vault-reach {rev} (`{}`); \
         --today {TODAY}; warm page cache",
        rg.unwrap_or("rg not installed"),
        bin.display()
    )
}

fn exit_meaning(name: &str) -> &'static str {
    if name.starts_with("check") {
        " (notes with errors were found: the vault has malformed notes on purpose)"
    } else if name.starts_with("render") {
        " (a tick in today.md was held back, so today.md was kept and the exit is 1; \
         the full pass still ran)"
    } else {
        ""
    }
}

// Sizes in KiB stay far below 2^52, where f64 would start to round.
#[allow(clippy::cast_precision_loss)]
fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn duration(secs: f64) -> String {
    if secs >= 1.0 {
        format!("{secs:.2} s")
    } else if secs >= 0.1 {
        format!("{:.0} ms", secs * 1000.0)
    } else if secs >= 0.01 {
        format!("{:.1} ms", secs * 1000.0)
    } else {
        format!("{:.2} ms", secs * 1000.0)
    }
}

fn ratio(x: f64) -> String {
    if x >= 10.0 {
        format!("{x:.0}×")
    } else {
        format!("{x:.2}×")
    }
}
