//! `undo`: takes back the last change a command (`touch`, `pause`, `snooze`, `let-go`,
//! `resume`) made on this device to a note, exactly, or says why it cannot.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;

use crate::cli::{Global, UndoArgs};
use crate::undo::{Change, VERSION, revert};

pub fn run(global: &Global, args: &UndoArgs) -> anyhow::Result<ExitCode> {
    let config = super::config(global, None)?;
    let device = crate::state::DeviceState::for_vault(&config.vault)?;
    let record = device.last_change();
    let nothing = "nothing to undo: no `touch`, `pause`, `snooze`, `let-go` or `resume` on this \
                   device since the last undo (ticks recorded from today.md are not undone)";
    let text = match crate::files::read_regular_text(&record) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => anyhow::bail!(nothing),
        Err(err) => {
            return Err(err).with_context(|| format!("cannot read `{}`", record.display()));
        }
    };
    let change: Change = serde_json::from_str(&text)
        .ok()
        .filter(|c: &Change| c.version == VERSION)
        .with_context(|| {
            format!(
                "`{}` is not a change this version of vault-reach can undo",
                record.display()
            )
        })?;
    // The record names a note of the vault, never a path out of it.
    let rel = std::path::Path::new(&change.note);
    anyhow::ensure!(
        rel.components()
            .all(|c| matches!(c, std::path::Component::Normal(_))),
        "`{}` does not name a note of the vault",
        record.display()
    );
    let changed = crate::write::edit_note(&config.vault.join(rel), args.dry_run, |now| {
        revert(now, &change)
    })?;
    let mut out = anstream::stdout().lock();
    let undid = format!("`vault-reach {}`", change.command);
    match changed {
        None => {
            writeln!(
                out,
                "{}: no longer holds the change of {undid} (undone by hand?); nothing to change",
                change.note
            )?;
        }
        Some((old, new)) => {
            if global.quiet && !args.dry_run {
                // Errors only.
            } else {
                let verb = if args.dry_run { "would undo" } else { "undid" };
                writeln!(out, "{}: {verb} {undid}", change.note)?;
                write!(out, "{}", super::diff(&old, &new))?;
            }
        }
    }
    if !args.dry_run {
        crate::write::remove_own(&record)?;
    }
    Ok(ExitCode::SUCCESS)
}
