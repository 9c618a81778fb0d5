//! `watch`: render, then keep the generated notes current as notes change and days pass.
//!
//! One loop over one channel: file batches from the watcher and the stop signal arrive as
//! messages, and the wait for the next message is bounded by the next midnight, so a date
//! change is noticed with no file event. Whatever happens, the loop goes on: a broken note or
//! template is logged and the next change tries again.

use std::collections::{BTreeSet, HashSet};
use std::fs::File;
use std::io::{Read as _, Seek as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use chrono::{NaiveDate, NaiveDateTime};
use rayon::prelude::*;
use tracing::{debug, error, info, warn};

use crate::cli::{Global, WatchArgs};
use crate::config::{CONFIG_FILE, Config, Settings};
use crate::error::{Severity, slash_path};
use crate::model::Invitation;
use crate::note::Reading;
use crate::state::DeviceState;
use crate::vault::scan::{Classifier, Kind};
use crate::vault::{Vault, read_note, same_path};
use crate::watch::{self, Batch, Memo, OwnWrites, Plan};
use crate::write::{Outcome, Outputs};

/// Fakes the wall clock's start (`2026-03-02T23:59:57`), time then running on in real time:
/// how the tests see midnight pass. Hidden: not a user setting.
const FAKE_NOW: &str = "VAULT_REACH_FAKE_NOW";
/// The longest sleep between looks at the clock. Timers count monotonic time, which stands
/// still while the computer sleeps, so a wait for midnight set at 22:00 would still have two
/// hours to go after a resume at 08:00; waking every minute bounds that lag.
const MAX_SLEEP: Duration = Duration::from_secs(60);

enum Msg {
    Files(Batch),
    Stop,
}

pub fn run(global: &Global, args: &WatchArgs) -> anyhow::Result<ExitCode> {
    let clock = Clock::new(global.today)?;
    let root = super::vault_path(global, args.vault.path.as_deref())?;
    // Events name canonical paths; the vault's own paths must match them to be stripped.
    let root = root
        .canonicalize()
        .with_context(|| format!("cannot open the vault `{}`", root.display()))?;
    let settings = Settings::load(&root)?;
    super::ensure_a_vault(&root, &settings)?;
    if let Some(why) = super::not_the_writer(&settings, "watch") {
        if !global.quiet {
            eprintln!("{why}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let device = DeviceState::for_vault(&root)?;
    let _lock = lock(&device)?;
    super::notice_legacy_state(&device, global);

    let (tx, rx) = mpsc::channel();
    let stop = tx.clone();
    ctrlc::set_handler(move || {
        let _ = stop.send(Msg::Stop);
    })
    .context("cannot listen for Ctrl-C")?;
    // Watch before the first read, so nothing changed during it goes unseen.
    let _watcher = watch::start(&root, args.poll, move |batch| {
        let _ = tx.send(Msg::Files(batch));
    })?;

    let settings = Settings::load(&root)?;
    let mut state = State {
        classifier: Classifier::new(&root, &settings),
        config: Config {
            vault: root.clone(),
            today: clock.today(),
            settings,
            cache: super::parse_cache(global, &root),
        },
        reading: Reading::default(),
        vault: Vault::default(),
        outputs: Outputs::new(&root, &device, false),
        own: OwnWrites::default(),
        logged_errors: HashSet::new(),
        memo: Memo::default(),
        invitations: Vec::new(),
    };
    state.reading = state.config.reading();
    let started = Instant::now();
    // The first load only: the later passes re-read what changed, and take no more time
    // for a cache.
    let load = |state: &State| {
        Vault::load_cached(
            &root,
            &state.config.settings,
            &state.reading,
            state.config.cache.as_deref(),
        )
    };
    state.vault = load(&state)?;
    if state.vault.cached_all_anew {
        // Parsed from the notes, the contacts lie among the holes that their parse's
        // temporaries left on every core, for as long as `watch` runs; taken back from the
        // cache just saved, they lie packed, as at any later start. One more load, at a
        // first start only, for the 2 MiB it leaves free at 30,000 notes (BENCHMARKS.md).
        state.vault = Vault::default();
        crate::memory::give_back();
        state.vault = load(&state)?;
    }
    super::remove_stale_temporaries(&state.vault, &state.outputs.own_folders(), global);
    state.invitations = crate::import::invitations::load(&root);
    super::report_problems(&state.vault, global);
    state.logged_errors = state.errors().collect();
    let written = state.pass();
    crate::memory::give_back();
    info!(
        "watching {} ({} contacts, read in {} ms){}; Ctrl-C stops",
        root.display(),
        state.vault.contacts.len(),
        started.elapsed().as_millis(),
        written.map_or_else(String::new, |w| format!("; {w}"))
    );

    loop {
        let mut batches = Vec::new();
        let mut stopping = false;
        match rx.recv_timeout(clock.next_wake()) {
            Ok(Msg::Files(batch)) => batches.push(batch),
            Ok(Msg::Stop) => stopping = true,
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        // Whatever else is waiting joins this pass: a burst is handled once, not per batch.
        while let Ok(msg) = rx.try_recv() {
            match msg {
                Msg::Files(batch) => batches.push(batch),
                Msg::Stop => stopping = true,
            }
        }
        state.handle(&batches, clock.today());
        if stopping {
            info!("stopped");
            break;
        }
    }
    Ok(ExitCode::SUCCESS)
}

struct State {
    config: Config,
    /// How notes are read, from `config`: rebuilt when it changes.
    reading: Reading,
    classifier: Classifier,
    vault: Vault,
    outputs: Outputs,
    own: OwnWrites,
    /// The vault's errors as last logged, so a rescan logs only the new ones.
    logged_errors: HashSet<String>,
    /// Statuses and index.md's rows from the last pass: an edit recomputes only its own
    /// contact's.
    memo: Memo,
    /// Invitations sent without a message, as the last `import linkedin` saved them; read
    /// with the vault.
    invitations: Vec<Invitation>,
}

impl State {
    /// Takes in what changed since the last pass, and renders if anything did.
    fn handle(&mut self, batches: &[Batch], today: NaiveDate) {
        let mut changes = Vec::new();
        let mut rescan = false;
        for batch in batches {
            for err in &batch.errors {
                error!("{err}");
            }
            rescan |= batch.rescan || !batch.errors.is_empty();
            changes.extend(batch.changes.iter().cloned());
        }
        for change in &changes {
            debug!("{:?} {}", change.kind, slash_path(&change.path));
        }
        self.look_at_outputs(&changes);
        let mut plan = watch::plan(&changes, &self.classifier, &self.own);
        if rescan {
            debug!("the OS lost events: reading the whole vault again");
            plan.rescan = true;
        }
        let new_day = today != self.config.today;
        if plan.is_empty() && !new_day {
            return;
        }
        let mut what = Vec::new();
        if new_day {
            what.push(format!("it is {today} now"));
            self.config.today = today;
            self.reading = self.config.reading();
        }
        if plan.config_touched {
            match Settings::load(&self.config.vault) {
                Ok(settings) => {
                    self.classifier = Classifier::new(&self.config.vault, &settings);
                    // Notes read by other words or another date order read otherwise.
                    if (&settings.log_words, settings.date_order)
                        != (
                            &self.config.settings.log_words,
                            self.config.settings.date_order,
                        )
                    {
                        plan.rescan = true;
                    }
                    self.config.settings = settings;
                    self.reading = self.config.reading();
                    what.push(format!(
                        "{CONFIG_FILE} or Obsidian's template folder changed"
                    ));
                }
                Err(err) => error!("{err}; keeping the settings read before"),
            }
        }
        if plan.templates_touched {
            what.push("a template changed".to_owned());
        }
        let started = Instant::now();
        let read = self.apply(&plan);
        let read_ms = started.elapsed().as_millis();
        what.extend(read);
        if plan.outputs_touched {
            what.push("a generated note was edited".to_owned());
        }
        let started = Instant::now();
        let written = self.pass();
        let rendered_ms = started.elapsed().as_millis();
        let started = Instant::now();
        crate::memory::give_back();
        debug!(
            "read in {read_ms} ms, rendered in {rendered_ms} ms, memory given back in {} µs",
            started.elapsed().as_micros()
        );
        let what = if what.is_empty() {
            "nothing that matters changed".to_owned()
        } else {
            what.join(", ")
        };
        if let Some(written) = written {
            info!("{what}; {written}");
        } else {
            info!("{what}; rendering failed, see above");
        }
    }

    /// Notes what each generated note named in `changes` holds now, so the planner can tell
    /// our own writes from the user's.
    fn look_at_outputs(&mut self, changes: &[watch::Change]) {
        let outputs: BTreeSet<&Path> = changes
            .iter()
            .map(|c| c.path.as_path())
            .filter(|p| self.classifier.classify(p) == Kind::Output)
            .collect();
        for rel in outputs {
            let bytes = crate::files::read_regular(&self.config.vault.join(rel)).ok();
            self.own.saw(rel, bytes.as_deref());
        }
    }

    /// Brings the vault in memory up to date with `plan`; says what changed.
    fn apply(&mut self, plan: &Plan) -> Option<String> {
        let root = self.config.vault.clone();
        if plan.rescan {
            let started = Instant::now();
            return match Vault::load(&root, &self.config.settings, &self.reading) {
                Ok(vault) => {
                    self.vault = vault;
                    self.invitations = crate::import::invitations::load(&root);
                    let errors: HashSet<String> = self.errors().collect();
                    for new in errors.difference(&self.logged_errors) {
                        error!("{new}");
                    }
                    self.logged_errors = errors;
                    Some(format!(
                        "read the vault again ({} contacts, {} ms)",
                        self.vault.contacts.len(),
                        started.elapsed().as_millis()
                    ))
                }
                Err(err) => {
                    error!("{err:#}");
                    None
                }
            };
        }
        // A removed path cannot be asked whether it was a folder: a Markdown path is taken as
        // a note, anything else as a folder whose known notes all go.
        let (notes, folders): (Vec<&PathBuf>, Vec<&PathBuf>) = plan
            .forget
            .iter()
            .partition(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md")));
        // A path the events say went away but which is there now (an atomic exchange, ours
        // or an editor's, reports the note moved away and another moved in) is read, not
        // forgotten: the disk is the truth, events only say where to look.
        let (here, notes): (Vec<&PathBuf>, Vec<&PathBuf>) =
            notes.into_iter().partition(|p| root.join(p).is_file());
        let mut gone: Vec<PathBuf> = notes.into_iter().cloned().collect();
        if !folders.is_empty() {
            gone.extend(
                self.vault
                    .paths()
                    .filter(|k| folders.iter().any(|f| k.starts_with(f)))
                    .map(Path::to_path_buf),
            );
        }
        let mut reread: BTreeSet<PathBuf> = plan.reread.iter().cloned().collect();
        reread.extend(here.into_iter().cloned());
        for folder in &plan.read_under {
            // A folder's files may predate the watch on it. One that vanished again, or an
            // unreadable one, is forgotten at the next event.
            reread.extend(crate::vault::scan::notes_under(
                &root,
                folder,
                &self.classifier,
            ));
        }
        let reads: Vec<(PathBuf, Option<crate::vault::NoteRead>)> = reread
            .into_par_iter()
            .map(|rel| {
                let read = match self.classifier.classify(&rel) {
                    // A note deleted again since its event is forgotten, not reported.
                    Kind::Note { in_people } if root.join(&rel).is_file() => {
                        Some(read_note(&root, &rel, in_people, &self.reading))
                    }
                    _ => None,
                };
                (rel, read)
            })
            .collect();
        let mut changed = Vec::new();
        // Only contacts are worth naming in the log; every path is forgotten all the same.
        gone.retain(|rel| {
            let was_contact = self.vault.contact(rel).is_some();
            self.vault.forget(rel);
            was_contact
        });
        for (rel, read) in reads {
            if let Some(read) = read {
                self.vault.update(&rel, read);
                changed.push(rel);
            } else {
                if self.vault.contact(&rel).is_some() {
                    gone.push(rel.clone());
                }
                self.vault.forget(&rel);
            }
        }
        self.vault.refresh();
        self.report_problems(&changed);
        // A note replaced by rename (sed -i, many editors) is removed and created: changed.
        gone.retain(|rel| !changed.contains(rel));
        gone.sort();
        gone.dedup();
        match (changed.as_slice(), gone.as_slice()) {
            ([], []) => None,
            ([one], []) => Some(format!("{} changed", slash_path(one))),
            ([], [one]) => Some(format!("{} is gone", slash_path(one))),
            (changed, gone) => Some(
                [
                    count(changed.len(), "note changed", "notes changed"),
                    count(gone.len(), "note gone", "notes gone"),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", "),
            ),
        }
    }

    /// Logs the problems of the notes just read, `path:line`: the user just saved them, so
    /// a note still broken is said again.
    fn report_problems(&mut self, read: &[PathBuf]) {
        for problem in &self.vault.problems {
            if !read.iter().any(|rel| same_path(rel, &problem.at.path)) {
                continue;
            }
            match problem.severity {
                Severity::Error => {
                    error!("{problem}");
                    self.logged_errors.insert(problem.to_string());
                }
                Severity::Warning => debug!("{problem}"),
            }
        }
    }

    fn errors(&self) -> impl Iterator<Item = String> + '_ {
        self.vault
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .map(ToString::to_string)
    }

    /// Renders and writes what changed; says what was written, `None` when it failed (logged).
    fn pass(&mut self) -> Option<String> {
        let pass = match crate::pass::pass(
            &self.config,
            &mut self.vault,
            &self.invitations,
            &mut self.outputs,
            Some(&mut self.memo),
        ) {
            Ok(pass) => pass,
            Err(err) => {
                error!("{:#}", anyhow::Error::from(err));
                return None;
            }
        };
        for r in &pass.recorded {
            info!(
                "recorded that you reached out to {} on {} in {}",
                r.name, r.date, r.path
            );
        }
        for problem in &pass.held {
            error!("{problem}");
        }
        let mut wrote = Vec::new();
        for (rel, outcome) in &pass.written {
            if let Some(hash) = self.outputs.last_written(rel) {
                self.own.wrote(Path::new(rel), hash);
            }
            match outcome {
                Outcome::Unchanged | Outcome::Held => {}
                Outcome::Later(date) => info!(
                    "{rel} is the list for {date}, a later day than this device's {}; it is left as it is",
                    self.config.today
                ),
                // Saved again while rendered: its event brings the next pass.
                Outcome::Moved => info!("{rel} changed while it was rendered; reading it again"),
                Outcome::Written => wrote.push(rel.clone()),
                Outcome::WrittenWithBackup(backup) => {
                    warn!(
                        "{rel} had been edited beyond its checkboxes; your version is kept as {}",
                        slash_path(backup)
                    );
                    wrote.push(rel.clone());
                }
            }
        }
        // The name index, built at start-up and again after a pass in which a note was
        // added, removed or renamed: once the outputs are written, so no edit waits for it,
        // and each pass's ticks are then looked up in it, not by a scan of every contact.
        // At start-up it also keeps the watcher's memory from stepping up at the first edit.
        self.vault.names();
        Some(if wrote.is_empty() {
            "nothing to write".to_owned()
        } else {
            format!("wrote {}", wrote.join(", "))
        })
    }
}

fn count(n: usize, one: &str, many: &str) -> Option<String> {
    match n {
        0 => None,
        1 => Some(format!("1 {one}")),
        n => Some(format!("{n} {many}")),
    }
}

/// Takes the vault's watch lock, or names the process that holds it. The OS releases the
/// lock when the process ends, however it ends, so a crash leaves no stale lock.
fn lock(device: &DeviceState) -> anyhow::Result<File> {
    let dir = device.dir();
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let path = device.lock();
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        // Not truncated before it is ours: it holds the running watcher's pid.
        .truncate(false)
        .open(&path)
        .with_context(|| format!("cannot open `{}`", path.display()))?;
    match file.try_lock() {
        Ok(()) => {
            file.set_len(0)?;
            file.rewind()?;
            writeln!(file, "{}", std::process::id())?;
            Ok(file)
        }
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut pid = String::new();
            let _ = file.read_to_string(&mut pid);
            let pid = pid.trim();
            anyhow::bail!(
                "another `vault-reach watch` (pid {}) is already watching this vault",
                if pid.is_empty() { "unknown" } else { pid }
            )
        }
        Err(std::fs::TryLockError::Error(err)) => {
            Err(err).with_context(|| format!("cannot lock `{}`", path.display()))
        }
    }
}

/// The wall clock, pinned by `--today`, or faked for tests by `VAULT_REACH_FAKE_NOW`.
struct Clock {
    pinned: Option<NaiveDate>,
    fake: Option<(NaiveDateTime, Instant)>,
}

impl Clock {
    fn new(pinned: Option<NaiveDate>) -> anyhow::Result<Clock> {
        let fake = match std::env::var(FAKE_NOW) {
            Ok(text) => Some((
                NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%S")
                    .with_context(|| format!("{FAKE_NOW}=`{text}` is not YYYY-MM-DDTHH:MM:SS"))?,
                Instant::now(),
            )),
            Err(_) => None,
        };
        Ok(Clock { pinned, fake })
    }

    fn now(&self) -> NaiveDateTime {
        match self.fake {
            Some((start, at)) => start + at.elapsed(),
            None => chrono::Local::now().naive_local(),
        }
    }

    fn today(&self) -> NaiveDate {
        self.pinned.unwrap_or_else(|| self.now().date())
    }

    fn next_wake(&self) -> Duration {
        if self.pinned.is_some() {
            return MAX_SLEEP;
        }
        until_next_midnight(self.now()).min(MAX_SLEEP)
    }
}

/// How long from `now` until the next local midnight.
pub fn until_next_midnight(now: NaiveDateTime) -> Duration {
    let midnight = now
        .date()
        .succ_opt()
        .map_or(NaiveDateTime::MAX, |d| d.and_time(chrono::NaiveTime::MIN));
    (midnight - now).to_std().unwrap_or(Duration::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").unwrap()
    }

    #[test]
    fn midnight_is_counted_from_now() {
        for (now, secs) in [
            ("2026-03-02T23:59:57", 3),
            ("2026-03-02T00:00:00", 86_400),
            ("2026-03-02T12:00:00", 43_200),
            ("2026-12-31T23:00:00", 3_600),
            ("2024-02-28T23:59:59", 1),
        ] {
            assert_eq!(
                until_next_midnight(at(now)),
                Duration::from_secs(secs),
                "{now}"
            );
        }
        assert_eq!(
            until_next_midnight(at("2026-03-02T23:59:59.750")),
            Duration::from_millis(250)
        );
    }

    #[test]
    fn a_pinned_day_never_rolls_over() {
        let clock = Clock {
            pinned: NaiveDate::from_ymd_opt(2026, 3, 2),
            fake: Some((at("2026-03-02T23:59:59"), Instant::now())),
        };
        assert_eq!(clock.next_wake(), MAX_SLEEP);
        assert_eq!(clock.today().to_string(), "2026-03-02");
    }

    #[test]
    fn the_wait_is_bounded_so_a_resume_notices_the_date() {
        let clock = Clock {
            pinned: None,
            fake: Some((at("2026-03-02T08:00:00"), Instant::now())),
        };
        assert_eq!(clock.next_wake(), MAX_SLEEP);
    }
}
