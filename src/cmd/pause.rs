//! `pause` and `snooze`: take someone off the list for good or until a date, without
//! editing YAML by hand.

use std::io::Write as _;
use std::process::ExitCode;

use crate::cli::{Global, PauseArgs, SnoozeArgs};
use crate::error::slash_path;
use crate::model::Contact;
use crate::outreach::RecordError;
use crate::vault::Vault;

pub fn pause(global: &Global, args: &PauseArgs) -> anyhow::Result<ExitCode> {
    edit(
        global,
        &args.name,
        args.dry_run,
        "paused (`cadence: never`)",
        crate::outreach::pause_now,
    )
}

pub fn snooze(global: &Global, args: &SnoozeArgs) -> anyhow::Result<ExitCode> {
    let today = super::config(global, None)?.today;
    // A date already here would snooze nothing: a typo, as a rule.
    anyhow::ensure!(
        args.until > today,
        "`--until {}` is not after today ({today}); give the day they come back on the list",
        args.until
    );
    let done = format!("snoozed until {}", args.until);
    edit(global, &args.name, args.dry_run, &done, |rel, text, c| {
        crate::outreach::snooze_now(rel, text, c, args.until)
    })
}

/// Finds `name` and makes `change` to its note, as `touch` does (re-read, compare-and-swap).
fn edit(
    global: &Global,
    name: &str,
    dry_run: bool,
    done: &str,
    mut change: impl FnMut(&str, &str, &Contact) -> Result<Option<String>, RecordError>,
) -> anyhow::Result<ExitCode> {
    let config = super::config(global, None)?;
    let vault = Vault::load(&config.vault, &config.settings, &config.reading())?;
    let contact = &vault.contacts[super::find(&vault, name)?];
    let rel = slash_path(&contact.path);
    let changed = crate::write::edit_note(&config.vault.join(&contact.path), dry_run, |text| {
        change(&rel, text, contact)
    })?;
    if global.quiet && !dry_run {
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    match changed {
        None => writeln!(out, "{rel}: {done} already; nothing to change")?,
        Some((old, new)) => {
            let verb = if dry_run { "would be" } else { "is" };
            writeln!(out, "{rel}: {verb} {done}")?;
            write!(out, "{}", super::diff(&old, &new))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
