//! `list`: the people of a tag or a state, one line each, as khard's `list` gives them.

use std::io::Write as _;
use std::process::ExitCode;

use crate::cli::{Global, ListArgs};
use crate::error::slash_path;
use crate::model::date::format_date;
use crate::view::Roster;

pub fn run(global: &Global, args: &ListArgs) -> anyhow::Result<ExitCode> {
    let config = super::config(global, args.vault.path.as_deref())?;
    let loaded = super::load(config)?;
    let (vault, schedule) = (&loaded.vault, &loaded.schedule);
    let today = schedule.today;
    // Tags as Obsidian compares them: without `#`, in any case.
    let wanted: Vec<String> = args
        .tag
        .iter()
        .map(|t| t.trim().trim_start_matches('#').to_lowercase())
        .collect();
    let chosen: Vec<usize> = vault
        .by_name()
        .iter()
        .copied()
        .filter(|&i| {
            let (c, s) = (&vault.contacts[i], &schedule.statuses[i]);
            let tagged = wanted.iter().all(|w| {
                c.tags
                    .iter()
                    .any(|t| t.trim_start_matches('#').to_lowercase() == *w)
            });
            tagged
                && (!args.due || s.in_pledge && s.due.is_some_and(|d| d <= today))
                && (!args.loose || s.loose)
                && (!args.unanswered || s.is_unanswered)
        })
        .collect();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        let roster = Roster::new(vault, schedule, &loaded.config.settings);
        let people: Vec<minijinja::Value> = chosen
            .iter()
            .map(|&i| roster.person(i, Vec::new()))
            .collect();
        serde_json::to_writer_pretty(&mut out, &people)?;
        writeln!(out)?;
    } else {
        for &i in &chosen {
            let (c, s) = (&vault.contacts[i], &schedule.statuses[i]);
            let state = if s.let_go {
                "let go".to_owned()
            } else if s.paused {
                "paused".to_owned()
            } else if s.snoozed {
                c.snooze_until.map_or_else(
                    || "snoozed".to_owned(),
                    |d| format!("snoozed to {}", format_date(d)),
                )
            } else if s.loose {
                "loose link".to_owned()
            } else {
                s.due
                    .map_or_else(String::new, |d| format!("due {}", format_date(d)))
            };
            writeln!(out, "{}\t{}\t{state}", c.name, slash_path(&c.path))?;
        }
    }
    out.flush()?;
    if !global.quiet && !args.json {
        eprintln!("{} of {} contacts", chosen.len(), vault.contacts.len());
    }
    Ok(ExitCode::SUCCESS)
}
