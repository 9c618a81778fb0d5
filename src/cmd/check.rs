//! `check`: what needs the user's attention in the vault; exits 1 when a note has an error.

use std::io::Write as _;
use std::process::ExitCode;

use serde::Serialize;

use crate::cli::{Global, ReportArgs};
use crate::error::{Problem, ProblemList, slash_path};
use crate::view::{InvitationView, Roster};

#[derive(Serialize)]
struct Report<'a> {
    /// How many notes are read as people (conflict copies and broken notes are not).
    contacts: usize,
    errors: usize,
    warnings: usize,
    problems: ProblemList<'a>,
    /// Ticks in today.md that the next render could not record: a name no note has, a page
    /// without a date. Counted as errors: an outreach the vault does not know.
    unrecorded: Vec<Problem>,
    loose: Vec<Loose<'a>>,
    unanswered: Vec<Unanswered<'a>>,
    /// Shown, never counted as a problem: they are sent and cannot be fixed, only done
    /// better next time.
    invitations: Vec<InvitationView<'a>>,
}

/// A loose link, with what it lacks. Lean on purpose: a vault of 30,000 imported
/// connections has thousands, and scripts need the note and the fix, not every field.
#[derive(Serialize)]
struct Loose<'a> {
    name: &'a str,
    path: String,
    missing: Vec<&'static str>,
}

/// A candidate to let go.
#[derive(Serialize)]
struct Unanswered<'a> {
    name: &'a str,
    path: String,
    /// Outreaches since the last reply or time together (or ever).
    outreaches: u32,
    /// The first of them.
    since: Option<String>,
    last_reply: Option<String>,
    /// The same, in words.
    why: String,
}

pub fn run(global: &Global, args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let config = super::config(global, args.vault.path.as_deref())?;
    let loaded = super::load(config)?;
    let (vault, schedule) = (&loaded.vault, &loaded.schedule);
    let invitations = crate::import::invitations::load(&loaded.config.vault);
    let roster = Roster::new(vault, schedule, &loaded.config.settings);
    let unrecorded = unrecorded_ticks(&loaded.config, vault);
    let by_name = |mut ids: Vec<usize>| {
        ids.sort_by_cached_key(|&i| vault.contacts[i].name.to_lowercase());
        ids
    };
    let loose = by_name(
        (0..vault.contacts.len())
            .filter(|&i| vault.contacts[i].is_loose())
            .collect(),
    );
    let unanswered = by_name(
        (0..vault.contacts.len())
            .filter(|&i| schedule.statuses[i].is_unanswered)
            .collect(),
    );
    let (errors, warnings) = vault.counts();
    let report = Report {
        contacts: vault.contacts.len(),
        errors: errors + unrecorded.len(),
        warnings,
        problems: ProblemList(&vault.problems),
        unrecorded,
        loose: loose
            .iter()
            .map(|&i| {
                let c = &vault.contacts[i];
                Loose {
                    name: &c.name,
                    path: slash_path(&c.path),
                    missing: missing(c),
                }
            })
            .collect(),
        unanswered: unanswered
            .iter()
            .map(|&i| {
                let c = &vault.contacts[i];
                Unanswered {
                    name: &c.name,
                    path: slash_path(&c.path),
                    outreaches: schedule.statuses[i].unanswered,
                    since: schedule.statuses[i]
                        .unanswered_since
                        .map(crate::model::date::format_date),
                    last_reply: c.last_replied().map(crate::model::date::format_date),
                    why: crate::view::unanswered_why(&schedule.statuses[i]),
                }
            })
            .collect(),
        invitations: crate::view::invitations(vault, &invitations, &roster),
    };
    if args.json {
        // JSON has no colour to strip (serde_json escapes control characters), and
        // serde_json writes a token at a time: straight into a buffer.
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
        out.flush()?;
    } else {
        let mut out = super::report_stdout();
        for problem in report
            .unrecorded
            .iter()
            .chain(vault.problems.iter().map(AsRef::as_ref))
        {
            writeln!(out, "{}", problem.styled())?;
        }
        let to_type = super::names_to_type(vault, &unanswered);
        for (&i, name) in unanswered.iter().zip(&to_type) {
            writeln!(
                out,
                "{}: unanswered: {}; consider letting go (`vault-reach let-go \"{name}\"`)",
                slash_path(&vault.contacts[i].path),
                crate::view::unanswered_why(&schedule.statuses[i]),
            )?;
        }
        for &i in &loose {
            let c = &vault.contacts[i];
            let missing = missing(c)
                .iter()
                .map(|key| format!("`{key}`"))
                .collect::<Vec<_>>()
                .join(" and ");
            writeln!(
                out,
                "{}: loose link: add {missing} (when and how you met)",
                slash_path(&c.path)
            )?;
        }
        for i in &report.invitations {
            let at = i
                .path
                .as_deref()
                .unwrap_or(crate::import::invitations::FILE);
            let sent = i
                .sent
                .as_ref()
                .map(|d| format!(" on {d}"))
                .unwrap_or_default();
            writeln!(
                out,
                "{at}: invitation without a personal message: sent to {}{sent}",
                i.to
            )?;
        }
        if !global.quiet {
            writeln!(
                out,
                "{} contacts: {} {}, {} {}, {} loose, {} unanswered",
                vault.contacts.len(),
                report.errors,
                if report.errors == 1 {
                    "error"
                } else {
                    "errors"
                },
                report.warnings,
                if report.warnings == 1 {
                    "warning"
                } else {
                    "warnings"
                },
                report.loose.len(),
                report.unanswered.len(),
            )?;
        }
        out.flush()?;
    }
    let code = if report.errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    };
    drop(report); // it borrows the vault
    super::keep_until_exit(loaded);
    Ok(code)
}

/// The keys that make `contact` a loose link.
fn missing(contact: &crate::model::Contact) -> Vec<&'static str> {
    let mut keys = Vec::new();
    if contact.met_date.is_none() {
        keys.push("met-date");
    }
    if contact
        .context
        .as_deref()
        .is_none_or(|c| c.trim().is_empty())
    {
        keys.push("context");
    }
    keys
}

/// What `render` would hold today.md for: its ticks that match no note, or that a page
/// without a date cannot record. Only a page vault-reach wrote has ticks.
fn unrecorded_ticks(config: &crate::config::Config, vault: &crate::vault::Vault) -> Vec<Problem> {
    let rel = &config.settings.today_note;
    let Ok(text) = crate::files::read_regular_text(&config.vault.join(rel)) else {
        return Vec::new();
    };
    let harvest = crate::harvest::read_ticks(&text);
    if !harvest.generated {
        return Vec::new();
    }
    crate::pass::resolve_ticks(vault, rel, &harvest).1
}
