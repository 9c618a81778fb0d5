//! `today`: today's list in the terminal, or as JSON for scripts.

use std::io::Write as _;
use std::process::ExitCode;

use crate::cli::{Global, ReportArgs};
use crate::render::{ago, long_date};
use crate::view::{self, TodayView};

pub fn run(global: &Global, args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let config = super::config(global, args.vault.path.as_deref())?;
    let loaded = super::load(config)?;
    super::report_problems(&loaded.vault, global);
    let today = view::today_view(&loaded.vault, &loaded.schedule, &loaded.config.settings);
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &today)?;
        writeln!(out)?;
    } else {
        out.write_all(text(&today, loaded.config.today).as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The list as a person reads it in a terminal.
pub fn text(view: &TodayView, today: chrono::NaiveDate) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let date = |d: &str| crate::dates::parse_date(d).unwrap_or(today);
    let _ = writeln!(out, "{}", long_date(today, today));
    if !view.is_workday {
        let _ = writeln!(
            out,
            "No outreach today; the next list comes on {}.",
            long_date(date(&view.next_workday), today)
        );
    } else if view.picks.is_empty() {
        let _ = writeln!(out, "Nobody is due today.");
    }
    let mut number = 0;
    for pick in &view.picks {
        let p = &pick.person;
        let why = if pick.reached {
            "reached today".to_owned()
        } else if p.is_new {
            format!(
                "new connection, met {}",
                ago(date(p.met.as_deref().unwrap_or_default()), today)
            )
        } else if let Some(last) = &p.last_outreach {
            format!("last reached {}", ago(date(last), today))
        } else {
            "not reached yet".to_owned()
        };
        let mark = if pick.reached {
            "✓".to_owned()
        } else {
            number += 1;
            number.to_string()
        };
        let _ = writeln!(out, "{mark:>3}  {}  ({why})", p.name);
        if !pick.reached {
            if let Some(context) = p.context {
                let _ = writeln!(
                    out,
                    "     {}",
                    context.split_whitespace().collect::<Vec<_>>().join(" ")
                );
            }
            if let Some(email) = p.email {
                let _ = writeln!(out, "     {email}");
            }
        }
    }
    for b in &view.birthdays {
        let when = match b.in_days {
            0 => "today".to_owned(),
            1 => "tomorrow".to_owned(),
            _ => long_date(date(&b.date), today),
        };
        let _ = writeln!(out, "Birthday: {}, {when}", b.person.name);
    }
    let s = &view.stats;
    let _ = writeln!(
        out,
        "In touch with {} of {} active contacts ({}%).",
        s.in_touch, s.active, s.coverage
    );
    out
}
