//! `today`: today's list in the terminal, or as JSON for scripts.

use std::io::Write as _;
use std::process::ExitCode;

use crate::cli::{Global, ReportArgs};
use crate::render::{ago, long_date};
use crate::schedule::Schedule;
use crate::view::{self, Roster};

pub fn run(global: &Global, args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let config = super::config(global, args.vault.path.as_deref())?;
    // Only the JSON has the drafts.
    let (loaded, links) = if args.json {
        let (loaded, links) = super::load_for_drafts(config)?;
        (loaded, Some(links))
    } else {
        (super::load(config)?, None)
    };
    super::report_problems(&loaded.vault, global);
    let settings = &loaded.config.settings;
    let update = crate::config::read_update(&loaded.config.vault);
    let roster = Roster::with_update(&loaded.vault, &loaded.schedule, settings, update);
    if let Some(links) = links {
        roster.give_links(links);
    }
    // Stdout flushes at every newline: one write per line of the report without a buffer.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        let today = view::today_view(&loaded.vault, &roster, &loaded.schedule, settings);
        serde_json::to_writer_pretty(&mut out, &today)?;
        writeln!(out)?;
    } else {
        out.write_all(text(&loaded.schedule, &roster).as_bytes())?;
    }
    out.flush()?;
    // The roster holds who links to whom: as large as the vault, and as needless to free.
    super::keep_until_exit((loaded, roster));
    Ok(ExitCode::SUCCESS)
}

/// The list as a person reads it in a terminal.
pub fn text(schedule: &Schedule, roster: &Roster) -> String {
    use std::fmt::Write as _;
    let today = schedule.today;
    let mut out = String::new();
    let _ = writeln!(out, "{}", long_date(today, today));
    if !schedule.is_workday {
        let _ = writeln!(
            out,
            "No outreach today; the next list comes on {}.",
            long_date(schedule.next_workday, today)
        );
    } else if schedule.picks.is_empty() {
        let _ = writeln!(out, "Nobody is due today.");
    }
    let mut number = 0;
    for pick in &schedule.picks {
        let (c, s) = (roster.contact(pick.contact), roster.status(pick.contact));
        let why = match (pick.reached_today, s.is_new, c.met_date, s.last_interaction) {
            (true, ..) => "reached today".to_owned(),
            (false, true, Some(met), _) => format!("new connection, met {}", ago(met, today)),
            (false, _, _, Some(last)) => format!("last in touch {}", ago(last, today)),
            _ => "not reached yet".to_owned(),
        };
        let mark = if pick.reached_today {
            "✓".to_owned()
        } else {
            number += 1;
            number.to_string()
        };
        let _ = writeln!(out, "{mark:>3}  {}  ({why})", c.name);
        if !pick.reached_today {
            if let Some(context) = &c.context {
                let _ = writeln!(
                    out,
                    "     {}",
                    context.split_whitespace().collect::<Vec<_>>().join(" ")
                );
            }
            if let Some(email) = &c.email {
                let _ = writeln!(out, "     {email}");
            }
        }
    }
    if !schedule.to_place.is_empty() {
        let names: Vec<&str> = schedule
            .to_place
            .iter()
            .map(|p| roster.contact(p.contact).name.as_ref())
            .collect();
        let _ = writeln!(
            out,
            "Did you meet them? {} (add `met-date` and `context`, or `let-go: true`)",
            names.join(", ")
        );
    }
    for b in &schedule.birthdays {
        let when = match (b.date - today).num_days() {
            0 => "today".to_owned(),
            1 => "tomorrow".to_owned(),
            _ => long_date(b.date, today),
        };
        let _ = writeln!(out, "Birthday: {}, {when}", roster.contact(b.contact).name);
    }
    let st = &schedule.stats;
    if st.active == 0 {
        let _ = writeln!(
            out,
            "No one you have met is in this vault yet: add someone with `vault-reach new \
             \"Name\" --met YYYY-MM-DD --context \"how you met\"`."
        );
        return out;
    }
    let coverage = crate::view::coverage_percent(st);
    let _ = writeln!(
        out,
        "In touch with {} of the {} people you have met ({coverage}%).",
        st.in_touch, st.active
    );
    out
}
