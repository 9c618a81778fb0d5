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
    /// LinkedIn's `messages.csv`, and the owner `Profile.csv` names.
    messages: Vec<crate::import::linkedin::Message>,
    owner: Option<String>,
}

pub fn run(global: &Global, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let (file, read) = match &args.source {
        ImportSource::Mail(mail) => return import_mail(global, mail),
        ImportSource::Calendar(calendar) => return import_calendar(global, calendar),
        ImportSource::LinkedIn(file) => {
            let export = crate::import::read_export(&file.path)?;
            let read = Read {
                people: export.people,
                skipped: export.skipped,
                recommendations: export.recommendations,
                invitations: export
                    .has_invitations
                    .then_some(export.invitations_without_message),
                messages: export.messages,
                owner: export.owner,
            };
            (file, read)
        }
        ImportSource::VCard(file) => {
            let text = read_vcard_file(&file.path)?;
            // Not one card in it: a note, a CSV, the wrong file chosen in a dialog.
            anyhow::ensure!(
                text.lines()
                    .any(|l| l.trim().eq_ignore_ascii_case("BEGIN:VCARD")),
                "`{}` holds no vCard (no `BEGIN:VCARD` line): export your address book as .vcf \
                 and give that file; nothing was imported",
                file.path.display()
            );
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
                messages: Vec::new(),
                owner: None,
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
    let mut roles_changed = 0;
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
            Decision::Known { note, by } => {
                if global.verbose > 0 {
                    writeln!(
                        out,
                        "{}: {} is already in the vault as {note} ({})",
                        person.origin,
                        person.full_name,
                        by.describe()
                    )?;
                }
                // LinkedIn knows when someone moved on; the note is told, and the draft
                // congratulates. Only for the same profile or address, never a namesake.
                let same_person = matches!(
                    by,
                    crate::import::matching::Match::Url | crate::import::matching::Match::Email
                );
                if person.source != crate::import::Source::LinkedIn || !same_person {
                    continue;
                }
                let Some(contact) = vault.contact(Path::new(note)) else {
                    continue;
                };
                // As a new note would hold them: one line, no control or invisible characters.
                let company = person
                    .company
                    .as_deref()
                    .map(crate::import::new_note::one_line);
                let role = person
                    .role
                    .as_deref()
                    .map(crate::import::new_note::one_line);
                let found = (company.as_deref(), role.as_deref());
                let changed = crate::write::edit_note(&config.vault.join(note), dry_run, |text| {
                    crate::outreach::record_role_change(note, text, contact, found, config.today)
                });
                match changed {
                    Ok(Some(_)) => {
                        roles_changed += 1;
                        let now =
                            crate::model::role_and_company(found.1, found.0).unwrap_or_default();
                        writeln!(out, "{note}: {verb_set} a new role: {now}")?;
                    }
                    Ok(None) => {}
                    Err(err) => unwritable.push(format!("{note}: {err:#}")),
                }
            }
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
    let mut message_notes = Vec::new();
    let mut messages_failed = false;
    // Messages come after the notes: a person this import adds is a loose link with no
    // history, and the notes it adds are not in `vault`.
    if !read.messages.is_empty() {
        let owner = crate::import::linkedin::Owner {
            url: config.settings.me.linkedin.clone(),
            name: read.owner.clone(),
        };
        if owner.url.is_none() && owner.name.is_none() {
            writeln!(
                out,
                "messages.csv: not read, as nothing says which messages are yours: add \
                 `linkedin = \"https://www.linkedin.com/in/you\"` under `[me]` in {}, or \
                 include Profile.csv in the export",
                crate::config::CONFIG_FILE
            )?;
        } else {
            let (by_url, by_name) = by_profile(&vault);
            let plan =
                crate::import::linkedin::plan_messages(&read.messages, &owner, &by_url, &by_name);
            let found = plan
                .found
                .iter()
                .map(|(&i, days)| {
                    let outreaches = days
                        .iter()
                        .map(|&(date, kind)| crate::outreach::Outreach {
                            date,
                            kind,
                            note: "on LinkedIn".to_owned(),
                        })
                        .collect();
                    (i, outreaches)
                })
                .collect();
            let mut skipped = Vec::new();
            if plan.nobody > 0 {
                let n = plan.nobody;
                skipped.push((n, format!("{n} to or from nobody in the vault")));
            }
            if plan.crowds > 0 {
                let n = plan.crowds;
                skipped.push((
                    n,
                    format!(
                        "{n} to more than {} people",
                        crate::import::mail::MAX_RECIPIENTS
                    ),
                ));
            }
            messages_failed = record_found(
                global,
                &config,
                &vault,
                found,
                dry_run,
                ("LinkedIn messages", "messages", read.messages.len()),
                &skipped,
                &mut message_notes,
                &mut out,
            )?;
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
        let roles = match roles_changed {
            0 => String::new(),
            1 => " (1 with a new role)".to_owned(),
            n => format!(" ({n} with a new role)"),
        };
        writeln!(
            out,
            "{verb_create} {created}, already in the vault {known}{roles}, skipped {}",
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
    write!(anstream::stdout(), "{out}")?;
    // Not one person in the file, and something in it that could not be read: it is not
    // what the command was told it is (a CSV that is no LinkedIn export, a file that is no
    // vCard), which a script must hear.
    if read.people.is_empty() && !read.skipped.is_empty() {
        return Ok(ExitCode::from(2));
    }
    // A note the messages could not be recorded in, as with mail.
    if messages_failed {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// A vCard file as text. Old Outlook and Android exports are not always UTF-8; their bytes are
/// read as Latin-1 rather than refused, as that is what those tools wrote when not UTF-8.
fn read_vcard_file(path: &Path) -> anyhow::Result<String> {
    let bytes = match std::fs::read(path) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            anyhow::bail!("there is no file `{}`", path.display())
        }
        other => other.with_context(|| format!("cannot read `{}`", path.display()))?,
    };
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

/// `import mail`: the days you wrote to people in the vault, and the days they answered,
/// into their notes' Logs. Deciding is [`crate::import::mail::Planner`]; this reads and writes.
fn import_mail(global: &Global, args: &crate::cli::ImportMailArgs) -> anyhow::Result<ExitCode> {
    let config = super::config(global, None)?;
    let me = who_i_am(&config, "mail")?;
    let vault = Vault::load(&config.vault, &config.settings, &config.reading())?;
    let by_email = by_address(&vault);
    // A message at a time: a mailbox of any size is never held whole.
    let mut planner = crate::import::mail::Planner::new(&me, &by_email);
    // A Takeout of ten years is a minute of reading: say how far it got, on a terminal.
    let spinner = if global.quiet || !std::io::stderr().is_terminal() {
        indicatif::ProgressBar::hidden()
    } else {
        let bar = indicatif::ProgressBar::new_spinner();
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {pos} messages read")
        {
            bar.set_style(style);
        }
        bar
    };
    let read = crate::import::mail::each_message(&args.paths, |m| {
        spinner.inc(1);
        planner.add(m);
    })?;
    spinner.finish_and_clear();
    anyhow::ensure!(
        read > 0,
        "no mail found in {}: give mbox files, Maildir folders (with `cur/` and `new/`) or \
         .eml files; nothing was imported",
        list_paths(&args.paths)
    );
    let plan = planner.finish();
    let found = plan
        .found
        .iter()
        .map(|(&i, days)| {
            let outreaches = days
                .iter()
                .filter(|((date, _), _)| args.since.is_none_or(|since| *date >= since))
                .map(|(&(date, kind), subject)| crate::outreach::Outreach {
                    date,
                    kind,
                    // The subject says which message, never what it said; the others of the
                    // vault on it are linked, so each note knows whom you both know.
                    note: subject.as_deref().map_or_else(
                        || {
                            format!(
                                "by email{}",
                                with_links(&vault, plan.with.get(&(i, date)), ", ")
                            )
                        },
                        |s| {
                            format!(
                                "{s} (mail{})",
                                with_links(&vault, plan.with.get(&(i, date)), ", ")
                            )
                        },
                    ),
                })
                .collect();
            (i, outreaches)
        })
        .collect();
    let skipped = counted(&plan.skipped, crate::import::mail::Skip::describe);
    let mut notes = plan
        .undated
        .iter()
        .map(|origin| format!("{origin}: no readable date; skipped"))
        .collect::<Vec<_>>();
    let mut out = String::new();
    let failed = record_found(
        global,
        &config,
        &vault,
        found,
        args.dry_run,
        ("mail", "messages", read),
        &skipped,
        &mut notes,
        &mut out,
    )?;
    finish(&out, failed)
}

/// `import calendar`: the days you met people in the vault, from past one-off events you
/// attended with them, into their notes' Logs as time together.
fn import_calendar(
    global: &Global,
    args: &crate::cli::ImportCalendarArgs,
) -> anyhow::Result<ExitCode> {
    let config = super::config(global, None)?;
    let me = who_i_am(&config, "calendar")?;
    let (events, mut unreadable) = crate::import::calendar::read_calendars(&args.paths)?;
    anyhow::ensure!(
        !events.is_empty(),
        "no events found in {}: give .ics files or a folder of them (a vdir); nothing was \
         imported",
        list_paths(&args.paths)
    );
    let vault = Vault::load(&config.vault, &config.settings, &config.reading())?;
    let plan = crate::import::calendar::plan(&events, &me, &by_address(&vault), config.today);
    let found = plan
        .found
        .iter()
        .map(|(&i, days)| {
            let together = days
                .iter()
                .filter(|(date, _)| args.since.is_none_or(|since| *date >= since))
                .map(|(date, summary)| crate::outreach::Outreach {
                    date: *date,
                    kind: crate::model::LogKind::Together,
                    note: match with_links(&vault, plan.with.get(&(i, *date)), "") {
                        links if links.is_empty() => summary.clone(),
                        links => format!("{summary} ({})", links.trim_start_matches(", ")),
                    },
                })
                .collect();
            (i, together)
        })
        .collect();
    let skipped = counted(&plan.skipped, crate::import::calendar::Skip::describe);
    let mut out = String::new();
    let failed = record_found(
        global,
        &config,
        &vault,
        found,
        args.dry_run,
        ("calendar", "events", events.len()),
        &skipped,
        &mut unreadable,
        &mut out,
    )?;
    finish(&out, failed)
}

/// `, with [[Grace Okafor]] and [[Tom]]` for the other people of the vault at an event or on
/// a message (`lead` before it), linked as today.md links them, so that the notes' links
/// make them mutual connections; empty when there were none.
fn with_links(
    vault: &Vault,
    others: Option<&std::collections::BTreeSet<usize>>,
    lead: &str,
) -> String {
    let Some(others) = others.filter(|o| !o.is_empty()) else {
        return String::new();
    };
    let links: Vec<String> = others
        .iter()
        .map(|&i| {
            let c = &vault.contacts[i];
            let target = if vault.shared_stems.contains(crate::names::keys(c).link()) {
                let path = crate::error::slash_path(&c.path);
                path.strip_suffix(".md").unwrap_or(&path).to_owned()
            } else {
                c.stem.to_string()
            };
            crate::escape::wikilink(&target, &c.name, false)
        })
        .collect();
    let list = match links.as_slice() {
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
        [] => String::new(),
    };
    format!("{lead}with {list}")
}

/// Each reason an import skipped things, with its count and its words, in the order the
/// plan keeps them.
fn counted<K: Copy>(
    skipped: &std::collections::BTreeMap<K, usize>,
    words: impl Fn(K, usize) -> String,
) -> Vec<(usize, String)> {
    skipped
        .iter()
        .map(|(&why, &n)| (n, words(why, n)))
        .collect()
}

/// The user's addresses from `[me]`, or the error that says how to give them.
fn who_i_am(
    config: &crate::config::Config,
    what: &str,
) -> anyhow::Result<std::collections::HashSet<String>> {
    let me: std::collections::HashSet<String> = config.settings.me.emails.iter().cloned().collect();
    anyhow::ensure!(
        !me.is_empty(),
        "say who you are first, so vault-reach can tell you from the people in your {what}: \
         add your addresses to `{}`, as\n\n[me]\nemails = [\"you@example.org\", \
         \"you@work.example\"]\n\nand import again; nothing was read",
        crate::config::CONFIG_FILE
    );
    Ok(me)
}

fn list_paths(paths: &[std::path::PathBuf]) -> String {
    paths
        .iter()
        .map(|p| format!("`{}`", p.display()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every address of the vault's notes, case-blind; one that two notes share names neither.
fn by_address(vault: &Vault) -> std::collections::HashMap<String, usize> {
    let mut by_email = std::collections::HashMap::new();
    let mut shared = std::collections::HashSet::new();
    for (i, contact) in vault.contacts.iter().enumerate() {
        for address in crate::import::matching::addresses(contact) {
            if by_email
                .insert(address.clone(), i)
                .is_some_and(|other| other != i)
            {
                shared.insert(address);
            }
        }
    }
    for address in &shared {
        by_email.remove(address);
    }
    by_email
}

/// Records `found` (for each contact, the days to add) into the notes, and says what it did:
/// a line per note, then `read N what: …`, the `skipped` reasons and the `notes` after.
#[allow(clippy::too_many_arguments, reason = "one summary of two imports")]
fn record_found(
    global: &Global,
    config: &crate::config::Config,
    vault: &Vault,
    found: Vec<(usize, Vec<crate::outreach::Outreach>)>,
    dry_run: bool,
    (source, what, read): (&str, &str, usize),
    skipped: &[(usize, String)],
    notes_after: &mut Vec<String>,
    out: &mut String,
) -> anyhow::Result<bool> {
    let (mut notes, mut days) = (0, 0);
    let kinds = &config.reading().kinds;
    for (i, outreaches) in found {
        let contact = &vault.contacts[i];
        let rel = crate::error::slash_path(&contact.path);
        // A day after tomorrow is a wrong clock somewhere, as in a note.
        let outreaches: Vec<_> = outreaches
            .into_iter()
            .filter(|o| o.date <= config.today + chrono::Days::new(1))
            .collect();
        if outreaches.is_empty() {
            continue;
        }
        let changed = crate::write::edit_note(&config.vault.join(&contact.path), dry_run, |text| {
            crate::outreach::record_all_now(&rel, text, contact, &outreaches)
        });
        match changed {
            Ok(Some((old, new))) => {
                let added = crate::note::log_entries(&new, kinds).len()
                    - crate::note::log_entries(&old, kinds).len();
                notes += 1;
                days += added;
                if !global.quiet {
                    let verb = if dry_run { "would record" } else { "recorded" };
                    let unit = if added == 1 { "day" } else { "days" };
                    writeln!(out, "{rel}: {verb} {added} {unit} from your {source}")?;
                    // A dry run shows the lines themselves, as `touch --dry-run` does.
                    if dry_run {
                        write!(out, "{}", super::diff(&old, &new))?;
                    }
                }
            }
            Ok(None) => {}
            Err(err) => notes_after.push(format!("{rel}: {err:#}")),
        }
    }
    let failed = notes_after.iter().any(|l| !l.ends_with("; skipped"));
    if !global.quiet {
        let verb = if dry_run { "would record" } else { "recorded" };
        let total: usize = skipped.iter().map(|(n, _)| n).sum();
        let reasons = if skipped.is_empty() {
            String::new()
        } else {
            let words: Vec<&str> = skipped.iter().map(|(_, w)| w.as_str()).collect();
            format!(" ({})", words.join(", "))
        };
        writeln!(
            out,
            "read {read} {what}: {verb} {days} {} in {notes} {}; skipped {total}{reasons}",
            if days == 1 { "day" } else { "days" },
            if notes == 1 { "note" } else { "notes" },
        )?;
    }
    for line in notes_after.iter() {
        if !global.quiet || !line.ends_with("; skipped") {
            writeln!(out, "{line}")?;
        }
    }
    Ok(failed)
}

/// The vault's notes by LinkedIn profile, and by name where one note alone has it.
fn by_profile(
    vault: &Vault,
) -> (
    std::collections::HashMap<String, usize>,
    std::collections::HashMap<String, usize>,
) {
    let mut by_url = std::collections::HashMap::new();
    let mut by_name = std::collections::HashMap::new();
    let mut names_shared = std::collections::HashSet::new();
    for (i, contact) in vault.contacts.iter().enumerate() {
        if let Some(url) = &contact.linkedin {
            by_url.entry(crate::names::url_key(url)).or_insert(i);
        }
        let name = crate::names::name_key(&contact.name);
        if by_name.insert(name.clone(), i).is_some() {
            names_shared.insert(name);
        }
    }
    for name in &names_shared {
        by_name.remove(name);
    }
    (by_url, by_name)
}

/// What a mail or calendar import prints, and its exit code: 1 when a note could not be
/// changed.
fn finish(out: &str, failed: bool) -> anyhow::Result<ExitCode> {
    write!(anstream::stdout(), "{out}")?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
