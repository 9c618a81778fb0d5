//! `touch`: record an outreach (or a reply) in a contact's note from the command line.

use std::io::Write as _;
use std::process::ExitCode;

use crate::cli::{Global, TouchArgs};
use crate::error::slash_path;
use crate::model::LogKind;
use crate::outreach::{self, Outreach};
use crate::vault::Vault;

pub fn run(global: &Global, args: &TouchArgs) -> anyhow::Result<ExitCode> {
    let config = super::config(global, None)?;
    // A date still to come would set `last-touch` ahead and drop the person from the list
    // until then: a typo, as a rule (`2062` for `2026`).
    if let Some(date) = args.date.filter(|&d| d > config.today) {
        anyhow::bail!(
            "`--date {date}` is in the future (today is {}); give the day it happened",
            config.today
        );
    }
    let vault = Vault::load(&config.vault, &config.settings, &config.reading())?;
    if !args.dry_run {
        super::remove_stale_temporaries(&vault, &[], global);
    }
    let contact = &vault.contacts[super::find(&vault, &args.name)?];
    let outreach = Outreach {
        date: args.date.unwrap_or(config.today),
        kind: if args.replied {
            LogKind::Reply
        } else if args.together {
            LogKind::Together
        } else {
            LogKind::Outreach
        },
        note: args.note.clone().unwrap_or_default(),
    };
    let rel = slash_path(&contact.path);
    let path = config.vault.join(&contact.path);
    let changed = crate::write::edit_note(&path, args.dry_run, |text| {
        // Re-read: the note may have changed since the scan.
        outreach::record_now(&rel, text, contact, &outreach)
    })?;
    if let (Some((old, new)), false) = (&changed, args.dry_run) {
        super::remember_change(&config, &rel, (old, new));
    }
    let what = match outreach.kind {
        LogKind::Outreach => "that you reached out",
        LogKind::Reply => "that they replied",
        LogKind::Together => "time together",
    };
    let day = crate::model::date::format_date(outreach.date);
    // `-q`: errors only; a dry run's answer is still printed.
    if global.quiet && !args.dry_run {
        return Ok(ExitCode::SUCCESS);
    }
    match changed {
        None => writeln!(
            anstream::stdout(),
            "{rel}: already recorded: {} on {day}; nothing to change",
            what.trim_start_matches("that ")
        )?,
        Some((old, new)) => {
            let verb = if args.dry_run {
                "would record"
            } else {
                "recorded"
            };
            writeln!(anstream::stdout(), "{rel}: {verb} {what} on {day}")?;
            if !global.quiet {
                write!(anstream::stdout(), "{}", super::diff(&old, &new))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
