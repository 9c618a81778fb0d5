//! `render`: one full pass — record ticks, read the vault, write today.md and index.md.

use std::process::ExitCode;

use crate::cli::{Global, RenderArgs};
use crate::model::date::format_date;
use crate::pass::pass;
use crate::state::DeviceState;
use crate::vault::Vault;
use crate::watch::Memo;
use crate::write::{Outcome, Outputs};

pub fn run(global: &Global, args: &RenderArgs) -> anyhow::Result<ExitCode> {
    let config = super::config(global, args.vault.path.as_deref())?;
    if let Some(why) = super::not_the_writer(&config.settings, "render") {
        if !global.quiet {
            eprintln!("{why}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    super::ensure_a_vault(&config.vault, &config.settings)?;
    let started = std::time::Instant::now();
    let device = DeviceState::for_vault(&config.vault)?;
    // index.md's rows are kept between runs with the parse cache, under its key: a render
    // renders again only the rows of people whose note or status changed. They are decoded
    // while the vault loads, on the core that the start of its walk (one folder's listing)
    // leaves idle.
    let reading = config.reading();
    let rows = config.cache.as_ref().filter(|_| !args.dry_run).map(|_| {
        (
            device.rows(),
            crate::vault::cache::key(&config.settings, &reading),
        )
    });
    let (vault, mut memo) = rayon::join(
        || {
            Vault::load_cached(
                &config.vault,
                &config.settings,
                &reading,
                // A dry run writes nothing, the cache in this device's state folder included.
                config.cache.as_deref().filter(|_| !args.dry_run),
            )
        },
        || {
            rows.as_ref().map(|(path, key)| {
                crate::vault::cache::read(path)
                    .map_or_else(Memo::default, |bytes| Memo::with_saved_rows(&bytes, *key))
            })
        },
    );
    let mut vault = vault?;
    tracing::debug!(
        "read {} contacts in {:.0?}",
        vault.contacts.len(),
        started.elapsed()
    );
    let invitations = crate::import::invitations::load(&config.vault);
    super::notice_legacy_state(&device, global);
    let mut outputs = Outputs::new(&config.vault, &device, args.dry_run);
    if !args.dry_run {
        super::remove_stale_temporaries(&vault, &outputs.own_folders(), global);
    }
    let pass = pass(
        &config,
        &mut vault,
        &invitations,
        &mut outputs,
        memo.as_mut(),
    )?;
    if let (Some((path, key)), Some(memo)) = (&rows, &memo)
        && memo.rows_changed()
        && let Err(err) =
            crate::write::write_cache_with(path, |out| memo.write_rows_file(*key, out))
    {
        // A shortcut, not a source: the next render renders every row.
        tracing::debug!("index.md's rows not kept: {err}");
    }
    super::report_problems(&vault, global);
    for problem in &pass.held {
        anstream::eprintln!("{}", problem.styled());
    }
    if !global.quiet {
        let verb = if args.dry_run {
            "would record"
        } else {
            "recorded"
        };
        for r in &pass.recorded {
            eprintln!(
                "{verb} that you reached out to {} on {} in {}",
                r.name,
                format_date(r.date),
                r.path
            );
        }
        let verb = if args.dry_run { "would write" } else { "wrote" };
        for (rel, outcome) in &pass.written {
            match outcome {
                Outcome::Unchanged if global.verbose > 0 => eprintln!("{rel} is up to date"),
                Outcome::Unchanged => {}
                Outcome::Written => eprintln!("{verb} {rel}"),
                Outcome::Held if args.dry_run => {
                    eprintln!("would keep {rel} as it is, with its ticks");
                }
                Outcome::Held => eprintln!("kept {rel} as it is, with its ticks"),
                Outcome::Later(date) => eprintln!(
                    "{rel} is the list for {}, a later day than this device's {}; it is left as it is",
                    format_date(*date),
                    format_date(config.today)
                ),
                Outcome::Moved => eprintln!(
                    "{rel} kept changing while it was rendered; it is left as saved, and the next run reads it"
                ),
                Outcome::WrittenWithBackup(backup) => eprintln!(
                    "{verb} {rel} (you had edited it; your version is kept as {})",
                    crate::error::slash_path(backup)
                ),
            }
        }
    }
    let code = if pass.held.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    };
    // index.md's kept rows are a string for each person, as needless to free as the vault.
    super::keep_until_exit((vault, memo));
    Ok(code)
}
