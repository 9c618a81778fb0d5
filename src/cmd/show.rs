//! `show`: one person, as the vault and the schedule see them: what khard's `show` and
//! every CRM's contact page give, from the terminal.

use std::io::Write as _;
use std::process::ExitCode;

use crate::cli::{Global, ShowArgs};
use crate::error::slash_path;
use crate::model::date::format_date;
use crate::model::{Cadence, LogKind};
use crate::render::{ago, long_date};
use crate::view::Roster;

pub fn run(global: &Global, args: &ShowArgs) -> anyhow::Result<ExitCode> {
    let config = super::config(global, None)?;
    let loaded = super::load(config)?;
    let (vault, schedule) = (&loaded.vault, &loaded.schedule);
    let i = super::find_to_read(vault, &args.name)?;
    let contact = &vault.contacts[i];
    let status = &schedule.statuses[i];
    // Only the newest Log entry is kept in memory; the rest are in the note.
    let text = crate::files::read_regular_text(&loaded.config.vault.join(&contact.path))?;
    let mut log = crate::note::log_entries(&text, &loaded.config.reading().kinds);
    log.sort_by_key(|e| std::cmp::Reverse((e.date, e.line)));

    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        let update = crate::config::read_update(&loaded.config.vault);
        let roster = Roster::with_update(vault, schedule, &loaded.config.settings, update);
        let entries: Vec<Entry> = log
            .iter()
            .map(|e| Entry {
                date: format_date(e.date),
                kind: e.kind,
                text: &e.text,
            })
            .collect();
        let person = roster.person(
            i,
            vec![(
                "log",
                minijinja::Value::from(minijinja::value::Serde(&entries)),
            )],
        );
        serde_json::to_writer_pretty(&mut out, &person)?;
        writeln!(out)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }

    let today = schedule.today;
    let day = |d| long_date(d, today);
    writeln!(out, "{} — {}", contact.name, slash_path(&contact.path))?;
    let work = crate::model::role_and_company(contact.role.as_deref(), contact.company.as_deref());
    let reach: Vec<&str> = [
        work.as_deref(),
        contact.email.as_deref(),
        contact.linkedin.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !reach.is_empty() {
        writeln!(out, "{}", reach.join(" · "))?;
    }
    match (contact.met_date, contact.context.as_deref()) {
        (Some(met), Some(context)) => writeln!(out, "Met {}: {context}", day(met))?,
        (Some(met), None) => writeln!(out, "Met {}; how is not noted (`context`)", day(met))?,
        (None, Some(context)) => writeln!(out, "Met: {context}; when is not noted (`met-date`)")?,
        (None, None) => writeln!(
            out,
            "A loose link: the note does not say when and how you met (`met-date`, `context`)"
        )?,
    }
    let last = |what: &str, date: Option<chrono::NaiveDate>| {
        date.map(|d| format!("{what} {} ({})", day(d), ago(d, today)))
    };
    let lasts: Vec<String> = [
        last("you wrote", status.last_outreach),
        last("they wrote", contact.last_replied()),
        last("together", status.last_together),
    ]
    .into_iter()
    .flatten()
    .collect();
    if lasts.is_empty() {
        writeln!(out, "Not in touch yet")?;
    } else {
        writeln!(out, "Last: {}", lasts.join("; "))?;
    }
    let cadence = contact.cadence.unwrap_or(loaded.config.settings.cadence);
    let since = |mark: crate::model::Mark| {
        mark.since
            .map(|d| format!(" since {}", day(d)))
            .unwrap_or_default()
    };
    if let Some(mark) = contact.let_go {
        writeln!(
            out,
            "Let go{}: off the schedule for good (`vault-reach resume` brings them back)",
            since(mark)
        )?;
    } else if let Some(mark) = contact.paused {
        writeln!(
            out,
            "Paused{}: not scheduled until `vault-reach resume`",
            since(mark)
        )?;
    } else if status.paused || cadence == Cadence::Never {
        writeln!(out, "Paused: not scheduled (`cadence: never`)")?;
    } else if let Some(until) = contact.snooze_until.filter(|&d| d > today) {
        writeln!(out, "Snoozed until {}", day(until))?;
    } else if !status.in_pledge {
        writeln!(
            out,
            "Not scheduled until the note says when and how you met"
        )?;
    } else if status.is_new && lasts.is_empty() {
        writeln!(
            out,
            "A new connection: a first message soon keeps the link alive"
        )?;
    } else if let Some(due) = status.due {
        let when = if due <= today {
            format!("due since {}", day(due))
        } else {
            format!("due {}", day(due))
        };
        writeln!(out, "Every {cadence}; {when}")?;
    }
    if status.is_unanswered {
        writeln!(
            out,
            "Unanswered: {}; consider letting go (`vault-reach let-go \"{}\"`)",
            crate::view::unanswered_why(status),
            super::name_to_type(vault, i)
        )?;
    }
    if !contact.tags.is_empty() {
        writeln!(out, "Tags: {}", contact.tags.get().join(", "))?;
    }
    if !log.is_empty() {
        writeln!(out, "\nLog, newest first:")?;
        for entry in log.iter().take(args.limit) {
            let kind = match entry.kind {
                LogKind::Outreach => "→",
                LogKind::Reply => "←",
                LogKind::Together => "↔",
            };
            writeln!(out, "  {} {kind} {}", format_date(entry.date), entry.text)?;
        }
        if log.len() > args.limit {
            writeln!(out, "  … and {} more in the note", log.len() - args.limit)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// A Log entry in `show --json`.
#[derive(serde::Serialize)]
struct Entry<'a> {
    date: String,
    kind: LogKind,
    text: &'a str,
}
