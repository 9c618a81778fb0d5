//! `pause`, `snooze`, `let-go` and `resume`: take someone off the list (until you say, until
//! a date, for good) and back, without editing YAML by hand.

use std::io::Write as _;
use std::process::ExitCode;

use crate::cli::{Global, NameArgs, SnoozeArgs};
use crate::error::slash_path;
use crate::model::Contact;
use crate::outreach::RecordError;
use crate::vault::Vault;

pub fn pause(global: &Global, args: &NameArgs) -> anyhow::Result<ExitCode> {
    let today = super::config(global, None)?.today;
    let done = "paused: off the list until `vault-reach resume`";
    let already = "off the list already (`paused`, or `cadence: never`); nothing to change";
    edit(
        global,
        &args.name,
        args.dry_run,
        (done, already),
        |rel, text, c| crate::outreach::pause_now(rel, text, c, today),
    )
}

pub fn let_go(global: &Global, args: &NameArgs) -> anyhow::Result<ExitCode> {
    let today = super::config(global, None)?.today;
    let done = "let go: off the schedule for good; the note and its Log are kept";
    let already = "already let go; nothing to change";
    edit(
        global,
        &args.name,
        args.dry_run,
        (done, already),
        |rel, text, c| crate::outreach::let_go_now(rel, text, c, today),
    )
}

pub fn resume(global: &Global, args: &NameArgs) -> anyhow::Result<ExitCode> {
    let today = super::config(global, None)?.today;
    let done = "back on the list";
    let already = "on the list already: nothing keeps them off; nothing to change";
    edit(
        global,
        &args.name,
        args.dry_run,
        (done, already),
        |rel, text, c| crate::outreach::resume_now(rel, text, c, today),
    )
}

pub fn snooze(global: &Global, args: &SnoozeArgs) -> anyhow::Result<ExitCode> {
    let today = super::config(global, None)?.today;
    let until = match (args.until, args.for_) {
        (Some(until), _) => until,
        (None, Some(span)) => span.after(today),
        (None, None) => anyhow::bail!("say how long: `--until DATE` or `--for 3w`"),
    };
    // A date already here would snooze nothing: a typo, as a rule.
    anyhow::ensure!(
        until > today,
        "`--until {until}` is not after today ({today}); give the day they come back on the list"
    );
    let done = format!("snoozed until {until}");
    let already = format!("snoozed until {until} already; nothing to change");
    edit(
        global,
        &args.name,
        args.dry_run,
        (&done, &already),
        |rel, text, c| crate::outreach::snooze_now(rel, text, c, until),
    )
}

/// Finds `name` and makes `change` to its note, as `touch` does (re-read, compare-and-swap).
fn edit(
    global: &Global,
    name: &str,
    dry_run: bool,
    (done, already): (&str, &str),
    mut change: impl FnMut(&str, &str, &Contact) -> Result<Option<String>, RecordError>,
) -> anyhow::Result<ExitCode> {
    let config = super::config(global, None)?;
    let vault = Vault::load(&config.vault, &config.settings, &config.reading())?;
    let contact = &vault.contacts[super::find(&vault, name)?];
    let rel = slash_path(&contact.path);
    let changed = crate::write::edit_note(&config.vault.join(&contact.path), dry_run, |text| {
        change(&rel, text, contact)
    })?;
    if let (Some((old, new)), false) = (&changed, dry_run) {
        super::remember_change(&config, &rel, (old, new));
    }
    if global.quiet && !dry_run {
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = anstream::stdout().lock();
    match changed {
        None => writeln!(out, "{rel}: {already}")?,
        Some((old, new)) => {
            let verb = if dry_run { "would be " } else { "" };
            writeln!(out, "{rel}: {verb}{done}")?;
            write!(out, "{}", super::diff(&old, &new))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
