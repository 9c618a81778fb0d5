//! `import`: people from a LinkedIn export or a vCard file become contact notes.
//!
//! Policy: the vault is the user's, so import only ever adds. Someone who already has a note
//! (same LinkedIn URL, then email, then name) is left alone, which also makes a second import
//! of the same file create nothing. New notes say what the source knows and nothing more: no
//! `met-date`, no `context`, since a connection is not someone you have met (the first rule);
//! they are loose links until the user adds when and how they met.
//!
//! Deciding is pure ([`crate::import::matching`]); `run` only reads, then writes what was
//! decided.

// "LinkedIn" in these docs is the company's name, not code to put in backticks.
#![allow(clippy::doc_markdown)]

use std::fmt::Write as _;
use std::io::IsTerminal as _;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;

use crate::cli::{Global, ImportArgs, ImportSource};
use crate::error::Severity;
use crate::import::matching::{Decision, plan};
use crate::import::new_note::{NewNoteError, from_person, render_note, taken_names};
use crate::import::{Invitation, Person, Recommendation, Skipped, invitations};
use crate::model::date::format_date;
use crate::outreach::record_recommendation;
use crate::vault::Vault;

/// Above this many people an import takes long enough to deserve a progress bar.
const PROGRESS_ABOVE: usize = 200;

/// What one source gave: people, records not read, and (LinkedIn only) the rest.
struct Read {
    people: Vec<Person>,
    skipped: Vec<Skipped>,
    recommendations: Vec<Recommendation>,
    /// `None` when the source says nothing about invitations.
    invitations: Option<Vec<Invitation>>,
}

pub fn run(global: &Global, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let (file, read) = match &args.source {
        ImportSource::LinkedIn(file) => {
            let export = crate::import::read_export(&file.path)?;
            let read = Read {
                people: export.people,
                skipped: export.skipped,
                recommendations: export.recommendations,
                invitations: export
                    .has_invitations
                    .then_some(export.invitations_without_message),
            };
            (file, read)
        }
        ImportSource::VCard(file) => {
            let text = read_vcard_file(&file.path)?;
            let label = file.path.file_name().map_or_else(
                || file.path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let (people, skipped) = crate::import::parse_vcards(&text, &label);
            let read = Read {
                people,
                skipped,
                recommendations: Vec::new(),
                invitations: None,
            };
            (file, read)
        }
    };
    let dry_run = file.dry_run;
    let config = super::config(global, None)?;
    let vault = Vault::load(&config.vault, &config.settings, &config.reading())?;
    let folder = config.settings.new_notes_folder().to_owned();
    let taken = taken_names(&config.vault.join(&folder));
    let unreadable: Vec<&Path> = vault
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| p.at.path.as_path())
        .filter(|path| vault.contact(path).is_none())
        .collect();
    let plan = plan(&vault.contacts, &unreadable, &read.people, &folder, &taken);

    let mut out = String::new();
    let (verb_create, verb_set, verb_save) = if dry_run {
        ("would create", "would set", "would save")
    } else {
        ("created", "set", "saved")
    };

    // Notes first: recommendations may be for people this import adds.
    let progress = progress_bar(read.people.len());
    let mut created = 0;
    // People whose note would not read back as them: one bad row is skipped, not the import.
    let mut unwritable = Vec::new();
    for (person, decision) in read.people.iter().zip(&plan.decisions) {
        progress.inc(1);
        match decision {
            Decision::Create { rel, aliases } => {
                let new = from_person(person, aliases);
                let text = match render_note(&config.vault, config.today, rel, &new) {
                    Ok(text) => text,
                    // A broken template is no bad row: it would fail for everyone.
                    Err(err @ NewNoteError::Render(_)) => {
                        return Err(anyhow::Error::from(err)
                            .context(format!("{}: {}", person.origin, person.full_name)));
                    }
                    Err(err) => {
                        unwritable.push(format!("{}: {}: {err}", person.origin, person.full_name));
                        continue;
                    }
                };
                if !dry_run {
                    crate::write::create_new(&config.vault.join(rel), &text).with_context(
                        || format!("stopped after creating {created} notes; run the import again to go on"),
                    )?;
                }
                created += 1;
                if !global.quiet {
                    writeln!(out, "{verb_create} {rel}")?;
                }
            }
            Decision::Known { note, by } if global.verbose > 0 => writeln!(
                out,
                "{}: {} is already in the vault as {note} ({})",
                person.origin,
                person.full_name,
                by.describe()
            )?,
            _ => {}
        }
    }
    progress.finish_and_clear();

    let mut not_recommended = Vec::new();
    for recommendation in &read.recommendations {
        let entry = match plan.known.recommended(recommendation) {
            Ok(entry) => entry,
            Err(reason) => {
                not_recommended.push(format!(
                    "recommendation of {} on {}: {reason}",
                    recommendation.full_name,
                    format_date(recommendation.date)
                ));
                continue;
            }
        };
        let rel = plan.known.entries[entry].rel.clone();
        let date = recommendation.date;
        if dry_run && plan.known.entries[entry].is_new {
            // The note exists only in the plan: what it would get is all there is to say.
            writeln!(out, "{rel}: {verb_set} recommended: {}", format_date(date))?;
            continue;
        }
        let changed = crate::write::edit_note(&config.vault.join(&rel), dry_run, |text| {
            record_recommendation(&rel, text, date)
        })?;
        if changed.is_some() {
            writeln!(out, "{rel}: {verb_set} recommended: {}", format_date(date))?;
        }
    }

    if let Some(list) = &read.invitations {
        let path = config.vault.join(invitations::FILE);
        let text = invitations::to_csv(list);
        let changed = std::fs::read(&path).map_or(true, |old| old != text.as_bytes());
        if changed && !dry_run {
            crate::write::write_atomic(&path, &text)?;
        }
        let count = format!(
            "{} {} without a personal message",
            list.len(),
            if list.len() == 1 {
                "invitation"
            } else {
                "invitations"
            }
        );
        if changed {
            writeln!(
                out,
                "{verb_save} {count} in {} (shown by `check` and in index.md)",
                invitations::FILE
            )?;
        } else if global.verbose > 0 {
            writeln!(out, "{} already lists these {count}", invitations::FILE)?;
        }
    }

    let mut skipped: Vec<String> = read
        .skipped
        .iter()
        .map(|s| format!("{}: {}", s.origin, s.reason))
        .chain(unwritable)
        .collect();
    let mut known = 0;
    for (person, decision) in read.people.iter().zip(&plan.decisions) {
        match decision {
            Decision::Known { .. } => known += 1,
            Decision::Repeated { origin, by } => skipped.push(format!(
                "{}: {} appears twice; the same person as {origin} ({})",
                person.origin,
                person.full_name,
                by.describe()
            )),
            Decision::Blocked { note } => skipped.push(format!(
                "{}: {} may already have a note, `{note}`, but it cannot be read; fix it and import again",
                person.origin, person.full_name
            )),
            Decision::Create { .. } => {}
        }
    }
    if !global.quiet {
        writeln!(
            out,
            "{verb_create} {created}, already in the vault {known}, skipped {}",
            skipped.len()
        )?;
    }
    for line in skipped.iter().chain(&not_recommended) {
        writeln!(out, "{line}")?;
    }
    for person in &read.people {
        for warning in &person.warnings {
            writeln!(out, "{}: {}: {warning}", person.origin, person.full_name)?;
        }
    }
    write!(std::io::stdout(), "{out}")?;
    // Not one person in the file, and something in it that could not be read: it is not
    // what the command was told it is (a CSV that is no LinkedIn export, a file that is no
    // vCard), which a script must hear.
    if read.people.is_empty() && !read.skipped.is_empty() {
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

/// A vCard file as text. Old Outlook and Android exports are not always UTF-8; their bytes are
/// read as Latin-1 rather than refused, as that is what those tools wrote when not UTF-8.
fn read_vcard_file(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => err.into_bytes().iter().map(|&b| char::from(b)).collect(),
    })
}

/// A bar on stderr for long imports, when someone is watching; hidden otherwise.
fn progress_bar(people: usize) -> indicatif::ProgressBar {
    if people <= PROGRESS_ABOVE || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(people as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} people") {
        bar.set_style(style);
    }
    bar
}
