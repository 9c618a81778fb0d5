//! One module per command; this one holds what they share: finding the vault and loading it.

pub mod check;
pub mod draft;
pub mod import;
pub mod init;
pub mod list;
pub mod new;
pub mod pause;
pub mod render;
pub mod show;
pub mod today;
pub mod touch;
pub mod undo;
pub mod watch;

use crate::note::marker::is_generated;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::cli::Global;
use crate::config::{CONFIG_FILE, Config, Settings};
use crate::error::Severity;
use crate::schedule::{Schedule, schedule};
use crate::vault::Vault;

/// The vault folder: the argument, else `--vault` / `$VAULT_REACH_VAULT`, else the current folder.
pub fn vault_path(global: &Global, arg: Option<&Path>) -> anyhow::Result<PathBuf> {
    // `render A --vault B` used A without a word. The folder argument wins over
    // `$VAULT_REACH_VAULT` (a default), but two folders typed are one too many.
    if let (Some(arg), Some(flag)) = (arg, global.vault.as_deref()) {
        let from_env = std::env::var_os("VAULT_REACH_VAULT").is_some_and(|env| *env == *flag);
        let same = |a: &Path, b: &Path| {
            a == b || std::fs::canonicalize(a).ok() == std::fs::canonicalize(b).ok()
        };
        anyhow::ensure!(
            from_env || same(arg, flag),
            "two vaults given, `{}` and `--vault {}`; give one",
            arg.display(),
            flag.display()
        );
    }
    let path = arg
        .or(global.vault.as_deref())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let meta = match std::fs::metadata(&path) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            anyhow::bail!("there is no folder `{}`", path.display())
        }
        other => other.with_context(|| format!("cannot open the vault `{}`", path.display()))?,
    };
    anyhow::ensure!(
        meta.is_dir(),
        "the vault `{}` is not a folder",
        path.display()
    );
    Ok(path)
}

/// Refuses a folder that shows no sign of being a vault, before `render` or `watch` walks
/// it and writes there: `vault-reach render` in `~` read every file under it and left
/// today.md, index.md and `.vault-reach/` in the home folder. A vault is a folder with
/// vault-reach's config, an Obsidian vault, one with a people folder, or one vault-reach
/// has written its notes in.
pub fn ensure_a_vault(vault: &Path, settings: &Settings) -> anyhow::Result<()> {
    let has = |rel: &str| vault.join(rel).exists();
    let is_vault = has(crate::config::CONFIG_FILE)
        || has(".obsidian")
        || settings
            .people
            .iter()
            .any(|folder| vault.join(folder).is_dir())
        || [&settings.today_note, &settings.index_note]
            .iter()
            .any(|rel| crate::files::read_regular(&vault.join(rel)).is_ok_and(is_generated));
    anyhow::ensure!(
        is_vault,
        "`{}` does not look like a vault: it has no `{}` folder, no `.obsidian` and no \
         `{}`; nothing was read or written. Run it in your notes folder, or make this one a \
         vault with `vault-reach init` or `vault-reach new`",
        vault.display(),
        settings.new_notes_folder(),
        crate::config::CONFIG_FILE
    );
    Ok(())
}

/// The vault, its settings and the date to work for.
pub fn config(global: &Global, arg: Option<&Path>) -> anyhow::Result<Config> {
    let vault = vault_path(global, arg)?;
    let settings = Settings::load(&vault)?;
    let today = global
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let cache = parse_cache(global, &vault);
    Ok(Config {
        vault,
        today,
        settings,
        cache,
    })
}

/// The parse cache's file for `vault`, unless it is bypassed. A device that cannot say
/// where its state goes reads every note; the commands that write state say why.
pub fn parse_cache(global: &Global, vault: &Path) -> Option<PathBuf> {
    let bypassed =
        global.no_cache || std::env::var_os("VAULT_REACH_NO_CACHE").is_some_and(|v| !v.is_empty());
    if bypassed {
        return None;
    }
    crate::state::DeviceState::for_vault(vault)
        .ok()
        .map(|device| device.cache())
}

/// Why `command` must write nothing on this device, when the vault names another as its
/// writer (`writer` in config.toml); `None` when this device may write.
pub fn not_the_writer(settings: &Settings, command: &str) -> Option<String> {
    let host = gethostname::gethostname().to_string_lossy().into_owned();
    let writer = settings.writer.as_deref()?;
    (!settings.may_write(&host)).then(|| {
        format!(
            "`{command}` records and writes nothing on this device ({host}): the vault's \
             writer is `{writer}` (`writer` in {CONFIG_FILE}); `vault-reach today` and \
             `vault-reach check` work here"
        )
    })
}

/// Leaves `value` for the process exit to reclaim. A one-shot command calls this on its vault
/// just before it returns: freeing a large vault string by string takes a noticeable part of
/// the run, which the operating system does at once, for free, when the process ends.
pub fn keep_until_exit<T>(value: T) {
    std::mem::forget(value);
}

/// A vault read and scheduled for `config.today`.
pub struct Loaded {
    pub config: Config,
    pub vault: Vault,
    pub schedule: Schedule,
}

pub fn load(config: Config) -> anyhow::Result<Loaded> {
    let vault = load_vault(&config)?;
    let schedule = schedule(&vault.contacts, &config.settings, config.today);
    Ok(Loaded {
        config,
        vault,
        schedule,
    })
}

/// [`load`] for a command that shows all the day's drafts, which name mutual connections:
/// the graph of links is built on one core while the schedule takes the other, as in a
/// render's pass, rather than after it once more than a few drafts asked
/// ([`crate::view::Roster::mutual`]). A command that shows one draft asks about one person.
pub fn load_for_drafts(
    config: Config,
) -> anyhow::Result<(Loaded, std::sync::Arc<crate::view::Links>)> {
    let vault = load_vault(&config)?;
    let (schedule, links) = rayon::join(
        || schedule(&vault.contacts, &config.settings, config.today),
        || std::sync::Arc::new(crate::view::Links::new(&vault.contacts)),
    );
    let loaded = Loaded {
        config,
        vault,
        schedule,
    };
    Ok((loaded, links))
}

fn load_vault(config: &Config) -> anyhow::Result<Vault> {
    Ok(Vault::load_cached(
        &config.vault,
        &config.settings,
        &config.reading(),
        config.cache.as_deref(),
    )?)
}

/// Keeps `change` (the note's text before and after) as the last change of this device to
/// the vault, for `vault-reach undo`. The note is changed already: a record that cannot be
/// kept is a warning, not a failure of the command.
pub fn remember_change(config: &Config, rel: &str, (before, after): (&str, &str)) {
    let command = shlex::try_join(
        std::env::args()
            .skip(1)
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str),
    )
    .unwrap_or_else(|_| "the last command".to_owned());
    let change = crate::undo::Change {
        version: crate::undo::VERSION,
        note: rel.to_owned(),
        command,
        before: before.to_owned(),
        after: after.to_owned(),
    };
    let kept = crate::state::DeviceState::for_vault(&config.vault)
        .map_err(anyhow::Error::from)
        .and_then(|device| {
            let json = serde_json::to_string(&change)?;
            crate::write::write_atomic(&device.last_change(), &json)?;
            Ok(())
        });
    if let Err(err) = kept {
        tracing::warn!("`vault-reach undo` will not know this change: {err:#}");
    }
}

/// Standard output for a report of many lines: in colour where it is wanted (`--color`,
/// `NO_COLOR`, a terminal), and buffered before the colour is stripped, so that the
/// stripping reads large blocks, not each small write of a line.
pub fn report_stdout() -> std::io::BufWriter<anstream::AutoStream<std::io::StdoutLock<'static>>> {
    let stdout = std::io::stdout();
    let choice = anstream::AutoStream::choice(&stdout);
    std::io::BufWriter::new(anstream::AutoStream::new(stdout.lock(), choice))
}

/// Removes the temporary files a killed run of vault-reach left behind (`.vault-reach.` and
/// six letters or digits, over an hour old) in the vault's folders and in `own`, its own
/// folders, and says so in a line when there were any: they hold nothing the vault lacks.
pub fn remove_stale_temporaries(vault: &Vault, own: &[PathBuf], global: &Global) {
    let removed = crate::write::remove_stale_temporaries(&vault.temporaries, own);
    if removed > 0 && !global.quiet {
        let files = if removed == 1 { "file" } else { "files" };
        eprintln!(
            "removed {removed} temporary {files} (`.vault-reach.*`, over an hour old) left by a vault-reach that was stopped while writing"
        );
    }
}

/// Says, once per run, that files an earlier version kept in the vault may go.
pub fn notice_legacy_state(device: &crate::state::DeviceState, global: &Global) {
    let files = device.legacy_files();
    if !files.is_empty() && !global.quiet {
        eprintln!("{}", crate::state::legacy_notice(device, &files));
    }
}

/// How many errors `render` and `watch` print one by one before they only count them.
const ERRORS_SHOWN: usize = 10;

/// Prints note errors to stderr as `path:line:col: error: message`, the first
/// ten of them (all with `-v`, warnings too), then one line that counts the
/// rest by kind, so a vault with thousands of doubtful dates says so in a line, not in
/// thousands: `check` lists each.
pub fn report_problems(vault: &Vault, global: &Global) {
    let verbose = global.verbose > 0;
    let mut shown = 0;
    let mut unshown: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for problem in &vault.problems {
        let error = problem.severity == Severity::Error;
        if verbose || (error && shown < ERRORS_SHOWN) {
            anstream::eprintln!("{}", problem.styled());
            shown += usize::from(error);
        } else {
            *unshown.entry(problem.issue.kind()).or_default() += 1;
        }
    }
    if !unshown.is_empty() && !global.quiet {
        let total: usize = unshown.values().sum();
        let mut kinds: Vec<(&str, usize)> = unshown.into_iter().collect();
        kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let kinds: Vec<String> = kinds
            .iter()
            .map(|(kind, n)| format!("{n} {kind}"))
            .collect();
        eprintln!(
            "{} more {} to look at ({}): `vault-reach check` lists {}",
            total,
            if total == 1 { "problem" } else { "problems" },
            kinds.join(", "),
            if total == 1 { "it" } else { "them" }
        );
    }
}

/// The changed lines of a note, `-` before and `+` after, for `touch` and `--dry-run`.
pub fn diff(old: &str, new: &str) -> String {
    use similar::ChangeTag;
    use std::fmt::Write as _;
    let mut out = String::new();
    for change in similar::TextDiff::from_lines(old, new).iter_all_changes() {
        let (sign, style) = match change.tag() {
            ChangeTag::Delete => ('-', anstyle::AnsiColor::Red.on_default()),
            ChangeTag::Insert => ('+', anstyle::AnsiColor::Green.on_default()),
            ChangeTag::Equal => continue,
        };
        let line = crate::error::Escaped(change.value().trim_end_matches(['\n', '\r']));
        let _ = writeln!(out, "{style}{sign}{line}{style:#}");
    }
    out
}

/// The one contact `name` means, for a command that writes into its note: an error that
/// helps when there is none (candidates, a near miss, the problem that keeps the matching note
/// from being read), or when the note has an error of its own.
pub fn find(vault: &Vault, name: &str) -> anyhow::Result<usize> {
    let i = find_to_read(vault, name)?;
    let contact = &vault.contacts[i];
    if let Some(problem) = vault
        .problems
        .iter()
        .find(|p| p.at.path == contact.path && p.severity == Severity::Error)
    {
        anyhow::bail!(
            "{}: {} (vault-reach writes into no note it cannot fully read)",
            problem.at,
            problem.message()
        );
    }
    Ok(i)
}

/// What to type to name contact `i` in a command: the name, or the note's path when another
/// note has the same name (the name alone would be "could be … or …").
pub fn name_to_type(vault: &Vault, i: usize) -> String {
    names_to_type(vault, &[i]).swap_remove(0)
}

/// [`name_to_type`] of each of `ids`, their names looked up at once.
pub fn names_to_type(vault: &Vault, ids: &[usize]) -> Vec<String> {
    let names: Vec<&str> = ids
        .iter()
        .map(|&i| vault.contacts[i].name.as_ref())
        .collect();
    ids.iter()
        .zip(vault.lookup(&names))
        .map(|(&i, found)| {
            let contact = &vault.contacts[i];
            if found.one() == Some(i) {
                contact.name.to_string()
            } else {
                crate::error::slash_path(&contact.path)
            }
        })
        .collect()
}

/// The one contact `name` means, for a command that only reads it (`show`); a note of that
/// name that cannot be read is named with its problem, not taken for nobody.
pub fn find_to_read(vault: &Vault, name: &str) -> anyhow::Result<usize> {
    match vault.find_named(name) {
        Ok(i) => Ok(i),
        Err(crate::vault::lookup::LookupError::Unknown { .. })
            if let Some(problem) = vault.problems.iter().find(|p| {
                p.severity == Severity::Error
                    && p.at.path.file_stem().is_some_and(|s| {
                        crate::names::name_key(&s.to_string_lossy()) == crate::names::name_key(name)
                    })
            }) =>
        {
            anyhow::bail!("{}: {}", problem.at, problem.message())
        }
        Err(err) => Err(err.into()),
    }
}
