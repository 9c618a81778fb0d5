//! `list`: the people of a tag or a state, one line each, as khard's `list` gives them.

use std::io::{IsTerminal as _, Write as _};
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
            let tags = if wanted.is_empty() {
                Vec::new()
            } else {
                c.tags.get()
            };
            let tagged = wanted.iter().all(|w| {
                tags.iter()
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
        let update = crate::config::read_update(&loaded.config.vault);
        let roster = Roster::with_update(vault, schedule, &loaded.config.settings, update);
        let people: Vec<minijinja::Value> = chosen
            .iter()
            .map(|&i| roster.person(i, Vec::new()))
            .collect();
        serde_json::to_writer_pretty(&mut out, &people)?;
        writeln!(out)?;
    } else {
        let mut rows = Vec::with_capacity(chosen.len());
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
            rows.push([c.name.to_string(), slash_path(&c.path), state]);
        }
        // A terminal gets columns that fit it; a pipe (`cut`, `sort`, a script) gets tabs.
        if std::io::stdout().is_terminal() {
            let width = terminal_size::terminal_size().map_or(100, |(w, _)| usize::from(w.0));
            write!(out, "{}", table(&rows, width))?;
        } else {
            for [name, path, state] in &rows {
                writeln!(out, "{name}\t{path}\t{state}")?;
            }
        }
    }
    out.flush()?;
    if !global.quiet && !args.json {
        eprintln!("{} of {} contacts", chosen.len(), vault.contacts.len());
    }
    Ok(ExitCode::SUCCESS)
}

/// `rows` (name, note, state) as aligned columns under a header, in `width` columns: the note's
/// path is shortened from the left (`…/Work/Sam Rivera.md`) and then the name from the right
/// when the whole does not fit.
fn table(rows: &[[String; 3]], width: usize) -> String {
    use unicode_width::UnicodeWidthStr as _;
    const GAP: usize = 2;
    let header = ["NAME", "NOTE", "STATE"];
    let shown: Vec<[String; 3]> = rows
        .iter()
        .map(|row| {
            row.clone()
                .map(|cell| crate::error::Escaped(&cell).to_string())
        })
        .collect();
    let widest = |col: usize| {
        shown
            .iter()
            .map(|r| r[col].width())
            .chain([header[col].len()])
            .max()
            .unwrap_or(0)
    };
    let (mut name, mut note, state) = (widest(0), widest(1), widest(2));
    let room = width.saturating_sub(state + 2 * GAP);
    if name + note > room {
        // The note gives way first, down to a third of the room; then the name.
        note = note
            .min(room.saturating_sub(name).max(room / 3))
            .max(header[1].len());
        name = name.min(room.saturating_sub(note)).max(header[0].len());
    }
    let mut out = String::new();
    for row in std::iter::once(header.map(str::to_owned)).chain(shown) {
        let cells = [fit_end(&row[0], name), fit_start(&row[1], note)];
        let line = format!(
            "{}{}{}",
            pad(&cells[0], name + GAP),
            pad(&cells[1], note + GAP),
            row[2]
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn pad(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr as _;
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

/// `text` in `width` columns, its end cut to `…`.
fn fit_end(text: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar as _, UnicodeWidthStr as _};
    if text.width() <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 1; // the `…`
    for c in text.chars() {
        used += c.width().unwrap_or(0);
        if used > width {
            break;
        }
        out.push(c);
    }
    out + "…"
}

/// `text` in `width` columns, its start cut to `…`: the end of a path says the most.
fn fit_start(text: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar as _, UnicodeWidthStr as _};
    if text.width() <= width {
        return text.to_owned();
    }
    let mut kept = Vec::new();
    let mut used = 1;
    for c in text.chars().rev() {
        used += c.width().unwrap_or(0);
        if used > width {
            break;
        }
        kept.push(c);
    }
    let kept: String = kept.into_iter().rev().collect();
    // At a folder's start when there is one: `…/Sam Rivera.md`, not `…ork/Sam Rivera.md`.
    let kept = match kept.find('/') {
        Some(slash) if slash > 0 => &kept[slash..],
        _ => &kept,
    };
    format!("…{kept}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<[String; 3]> {
        [
            ["Ada Quint", "People/Ada Quint.md", "due 2026-03-02"],
            ["José Núñez", "People/Personal/José Núñez.md", "paused"],
        ]
        .iter()
        .map(|r| r.map(str::to_owned))
        .collect()
    }

    #[test]
    fn columns_line_up_under_a_header() {
        assert_eq!(
            table(&rows(), 100),
            "NAME        NOTE                           STATE\n\
             Ada Quint   People/Ada Quint.md            due 2026-03-02\n\
             José Núñez  People/Personal/José Núñez.md  paused\n"
        );
    }

    #[test]
    fn a_narrow_terminal_shortens_the_path_from_the_left_then_the_name() {
        let narrow = table(&rows(), 50);
        assert!(
            narrow
                .lines()
                .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 50),
            "{narrow}"
        );
        assert!(narrow.contains("…/José Núñez.md"), "{narrow}");
        let tiny = table(&rows(), 30);
        assert!(
            tiny.lines()
                .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 30),
            "{tiny}"
        );
        assert!(
            tiny.contains("Ada Qui…") && tiny.contains("paused"),
            "{tiny}"
        );
    }
}
