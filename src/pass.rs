//! One pass: harvest the ticks in today.md, schedule, render today.md and index.md, and write
//! what changed. `render` runs it once; `watch` after every batch of changes, with its
//! [`Memo`] of the last pass.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use crate::config::Config;
use crate::error::{Issue, Location, Problem, slash_path};
use crate::harvest;
use crate::model::Invitation;
use crate::model::LogKind;
use crate::model::date::format_date;
use crate::note::marker::is_generated;
use crate::outreach::{self, Outreach};
use crate::page;
use crate::render::{RenderError, Renderer};
use crate::schedule::schedule;
use crate::vault::Vault;
use crate::vault::scan::{Classifier, Kind};
use crate::view;
use crate::watch::Memo;
use crate::write::{Outcome, Outputs, WriteError};

/// Why a pass stopped: a template could not be rendered, or an output not written.
#[derive(Debug, thiserror::Error)]
pub enum PassError {
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// What one pass did.
#[derive(Debug, Default)]
pub struct Pass {
    /// Ticks in today.md recorded in contacts' notes.
    pub recorded: Vec<Recorded>,
    /// Ticks that could not be recorded: they stay ticked, and today.md is not rewritten.
    pub held: Vec<Problem>,
    /// Each output, and what happened to it.
    pub written: Vec<(String, Outcome)>,
}

/// A tick recorded as an outreach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub name: String,
    pub path: String,
    pub date: chrono::NaiveDate,
}

/// One pass over a loaded vault: schedule for `config.today`, render both notes and write
/// those that changed. `render` runs it once; `watch` after every batch of changes, with its
/// memo of the last pass.
///
/// today.md is replaced only while it still holds what its ticks were harvested from: a
/// tick saved while the pass ran (from a phone, by sync) makes the pass start over, so it
/// is recorded rather than overwritten (a few tries, then today.md is left as saved).
pub fn pass(
    config: &Config,
    vault: &mut Vault,
    invitations: &[Invitation],
    outputs: &mut Outputs,
    mut memo: Option<&mut Memo>,
) -> Result<Pass, PassError> {
    let mut recorded = Vec::new();
    let mut tries = 1;
    loop {
        let mut pass = pass_once(config, vault, invitations, outputs, memo.as_deref_mut())?;
        recorded.append(&mut pass.recorded);
        let moved = pass.written.iter().any(|(_, o)| *o == Outcome::Moved);
        if !moved || tries == PASS_TRIES {
            pass.recorded = recorded;
            return Ok(pass);
        }
        tracing::debug!("today.md changed while it was rendered; reading it again");
        tries += 1;
    }
}

/// How many times a pass starts over because today.md kept changing under it.
const PASS_TRIES: usize = 3;

fn pass_once(
    config: &Config,
    vault: &mut Vault,
    invitations: &[Invitation],
    outputs: &mut Outputs,
    mut memo: Option<&mut Memo>,
) -> Result<Pass, PassError> {
    let settings = &config.settings;
    let started = std::time::Instant::now();
    let mut seen = None;
    let last_render = outputs.last_render(&settings.today_note);
    let (recorded, held, added) = harvest_ticks(
        config,
        vault,
        outputs.dry_run(),
        &mut seen,
        last_render.as_deref(),
    );
    tracing::debug!("took in the ticks in {:.0?}", started.elapsed());
    // The graph of links is for the drafts, which today.md's template all but always has.
    let (schedule, links) = match memo.as_deref_mut() {
        Some(memo) => memo.schedule_and_links(&vault.contacts, settings, config.today),
        None => rayon::join(
            || schedule(&vault.contacts, settings, config.today),
            || Arc::new(view::Links::new(&vault.contacts)),
        ),
    };
    tracing::debug!("scheduled at {:.0?}", started.elapsed());
    let renderer = Renderer::new(&config.vault, config.today)?;
    let stamp = format_date(config.today);
    // today.md first, so a failure in the index never holds back today's list.
    let update = crate::config::read_update(&config.vault);
    let roster = view::Roster::with_update(vault, &schedule, settings, update);
    roster.give_links(links);
    let today = renderer.render(
        "today.md",
        view::today_view(vault, &roster, &schedule, settings),
    )?;
    tracing::debug!("rendered today.md at {:.0?}", started.elapsed());
    // Another device whose clock has reached a later day wrote this today.md: the device that
    // is behind leaves it, rather than the two replacing (and backing up) each other's page.
    // Lossy: a page with a stray non-UTF-8 byte still says which day it is for.
    let page_day = seen
        .as_deref()
        .and_then(|bytes| harvest::page_date(&String::from_utf8_lossy(bytes)));
    let later = page_day.filter(|&date| date > config.today);
    // A backup of the page is named after the list it was (`today.2026-03-02.md`), not the
    // day it was replaced.
    let page_stamp = page_day.map_or_else(|| stamp.clone(), format_date);
    let today_outcome = match later {
        Some(date) => Outcome::Later(date),
        None if held.is_empty() => {
            // What the user typed into the page stays on it, all day.
            let page = if added.is_empty() {
                std::borrow::Cow::Borrowed(today.as_str())
            } else {
                std::borrow::Cow::Owned(page::merge(&today, &added))
            };
            let outcome = outputs.write_unless_moved(
                &settings.today_note,
                &page,
                &page_stamp,
                seen.as_deref(),
                !added.is_empty(),
            )?;
            if matches!(
                outcome,
                Outcome::Written | Outcome::Unchanged | Outcome::WrittenWithBackup(_)
            ) {
                outputs.keep_render(&settings.today_note, &today)?;
            }
            outcome
        }
        None => annotate_held(
            outputs,
            &settings.today_note,
            &page_stamp,
            seen.as_deref(),
            &held,
        )?,
    };
    let mut written = vec![(settings.today_note.clone(), today_outcome)];
    let mut index = || -> Result<Outcome, PassError> {
        if renderer.index_uses_rows() {
            match memo.as_deref_mut() {
                Some(memo) => memo.render_rows(&renderer, &roster)?,
                None => renderer.render_rows(&roster)?,
            }
            tracing::debug!("rendered the index rows at {:.0?}", started.elapsed());
        }
        let view = view::index_view(vault, &roster, &schedule, settings, invitations, &held);
        tracing::debug!("built the index view at {:.0?}", started.elapsed());
        let index = renderer.render_index(view, &roster, vault.by_name())?;
        tracing::debug!("rendered index.md at {:.0?}", started.elapsed());
        Ok(outputs.write(&settings.index_note, &index, &stamp)?)
    };
    let index = index();
    // Whatever became of index.md, the ledger keeps what writing today.md taught it.
    outputs.save()?;
    written.push((settings.index_note.clone(), index?));
    tracing::debug!("wrote what changed at {:.0?}", started.elapsed());
    Ok(Pass {
        recorded,
        held,
        written,
    })
}

/// The ticks of `harvest` (today.md at `rel`) with the contact each is for, and the problems
/// of those that cannot be recorded: on a page without a date, or naming no note (our own
/// `reached today` line for a note gone since holds nothing: it was recorded before the
/// line was written). Pure: `render` records the first and holds the page for the second,
/// `check` reports the second.
pub fn resolve_ticks<'h>(
    vault: &Vault,
    rel: &str,
    harvest: &'h harvest::Harvest,
) -> (Vec<(&'h harvest::Tick, usize)>, Vec<Problem>) {
    let mut held: Vec<Problem> = harvest
        .undated_ticks
        .iter()
        .map(|&line| {
            Problem::new(
                Location::at(rel, line, 1),
                Issue::UndatedTick {
                    today: rel.to_owned(),
                },
            )
        })
        .collect();
    if harvest.ticks.is_empty() {
        return (Vec::new(), held);
    }
    let targets: Vec<&str> = harvest.ticks.iter().map(|t| t.target.as_str()).collect();
    let found = vault.lookup(&targets);
    let mut resolved = Vec::new();
    for (tick, found) in harvest.ticks.iter().zip(found) {
        if tick.rendered_reached {
            // Our own line for a note gone since holds nothing: why it matches no one is
            // never said, so it is not looked for among everyone's names.
            if let Some(i) = found.one() {
                resolved.push((tick, i));
            }
            continue;
        }
        match found.contact(&vault.contacts) {
            Ok(i) => resolved.push((tick, i)),
            Err(err) => held.push(Problem::new(
                Location::at(rel, tick.line, 1),
                Issue::UnknownTick {
                    reason: err.to_string(),
                    today: rel.to_owned(),
                },
            )),
        }
    }
    (resolved, held)
}

/// today.md, held by ticks that match no note, with a notice under each saying why it is not
/// recorded: where the user looks, not only on a terminal they may never see. The page is
/// otherwise left as it is; a save since it was read wins (`Moved`: the pass starts over).
fn annotate_held(
    outputs: &mut Outputs,
    rel: &str,
    stamp: &str,
    seen: Option<&[u8]>,
    held: &[Problem],
) -> Result<Outcome, PassError> {
    let notices: Vec<(usize, String)> = held
        .iter()
        .filter_map(|p| {
            let Issue::UnknownTick { reason, .. } = &p.issue else {
                return None;
            };
            let notice = format!("{reason}: fix the name or untick it, and it is recorded");
            Some((p.at.line?, crate::escape::markdown_with_code(&notice)))
        })
        .collect();
    let annotated = seen
        .and_then(|bytes| std::str::from_utf8(bytes).ok())
        .and_then(|page| crate::page::annotate(page, &notices));
    let Some(annotated) = annotated else {
        return Ok(Outcome::Held);
    };
    Ok(
        match outputs.write_unless_moved(rel, &annotated, stamp, seen, true)? {
            Outcome::Moved => Outcome::Moved,
            _ => Outcome::Held,
        },
    )
}

/// Records every ticked name in today.md as an outreach on that today.md's date, and takes
/// the edited notes back into `vault`. A tick already recorded changes nothing, so running
/// this twice records nothing the second time. Ticks that cannot be recorded are returned as
/// problems: today.md is then kept as it is, so no tick is ever lost.
fn harvest_ticks(
    config: &Config,
    vault: &mut Vault,
    dry_run: bool,
    seen: &mut Option<Vec<u8>>,
    last_render: Option<&str>,
) -> (Vec<Recorded>, Vec<Problem>, page::Added) {
    let rel = config.settings.today_note.as_str();
    let (mut recorded, mut held) = (Vec::new(), Vec::new());
    let mut added = page::Added::default();
    // Not a regular file (a link, a pipe): nothing to harvest, and writing it is refused.
    if let Ok(bytes) = crate::files::read_regular(&config.vault.join(rel)) {
        let text = seen.insert(bytes);
        if let Ok(text) = std::str::from_utf8(text) {
            added = typed_today(config, text, last_render);
            let notes = added.notes();
            (recorded, held) = record_ticks(config, vault, dry_run, rel, text, &notes);
        }
    }
    // A sync tool's conflict copy holds ticks made on another device: they are recorded too
    // (once: recording is idempotent), and the copy is reported for deletion by `check`.
    // What cannot be recorded from a copy is logged; it never holds today.md.
    for copy in conflict_copies(config) {
        let Ok(text) = crate::files::read_regular_text(&config.vault.join(&copy)) else {
            continue;
        };
        let (mut more, problems) =
            record_ticks(config, vault, dry_run, &copy, &text, &HashMap::new());
        recorded.append(&mut more);
        for problem in problems {
            tracing::warn!("{problem}");
        }
    }
    (recorded, held, added)
}

/// What the user typed into `text`, today's list as it is now, beyond `last_render`, the
/// list as this device last rendered it: only for the same day's list, ours.
fn typed_today(config: &Config, text: &str, last_render: Option<&str>) -> page::Added {
    let Some(last) = last_render else {
        return page::Added::default();
    };
    // The page as it was rendered (a watch's pass after a note's edit, most often): nothing
    // was typed, and the line diff of a page of drafts is not needed to say so.
    if text == last {
        return page::Added::default();
    }
    let page_day = harvest::page_date(text);
    if !is_generated(text) || page_day != Some(config.today) || harvest::page_date(last) != page_day
    {
        return page::Added::default();
    }
    page::added(last, text)
}

/// The conflict copies of today.md beside it that carry our marker: Syncthing's
/// `today.sync-conflict-…`, Dropbox's `today (… conflicted copy …)` in every spelling,
/// iCloud's `today 2.md`, `OneDrive`'s `today-DEVICE.md`.
fn conflict_copies(config: &Config) -> Vec<String> {
    let rel = Path::new(&config.settings.today_note);
    let (Some(stem), folder) = (rel.file_stem(), rel.parent().unwrap_or(Path::new(""))) else {
        return Vec::new();
    };
    let stem = stem.to_string_lossy();
    let Ok(entries) = std::fs::read_dir(config.vault.join(folder)) else {
        return Vec::new();
    };
    let mut copies: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| is_conflict_copy(name, &stem))
        .map(|name| slash_path(&folder.join(name)))
        .filter(|copy| crate::files::read_regular(&config.vault.join(copy)).is_ok_and(is_generated))
        .collect();
    copies.sort();
    copies
}

/// Is `name` a sync tool's conflict copy of the Markdown note `stem`.md?
fn is_conflict_copy(name: &str, stem: &str) -> bool {
    name.strip_suffix(".md").is_some_and(|copy| {
        crate::names::copy_of(copy)
            .iter()
            .any(|&(original, _)| original == stem)
    })
}

/// Records every ticked name in the generated note `text` (today.md or a conflict copy of
/// it, at `rel`), and takes the edited notes back into `vault`.
fn record_ticks(
    config: &Config,
    vault: &mut Vault,
    dry_run: bool,
    rel: &str,
    text: &str,
    notes: &HashMap<&str, String>,
) -> (Vec<Recorded>, Vec<Problem>) {
    let harvest = harvest::read_ticks(text);
    if !harvest.generated {
        return (Vec::new(), Vec::new());
    }
    let (resolved, mut held) = resolve_ticks(vault, rel, &harvest);
    if resolved.is_empty() {
        return (Vec::new(), held);
    }
    let (mut recorded, mut reread) = (Vec::new(), Vec::new());
    for (tick, i) in resolved {
        let at = Location::at(rel, tick.line, 1);
        let contact = &vault.contacts[i];
        let note = slash_path(&contact.path);
        let outreach = Outreach {
            date: tick.checked_on,
            kind: LogKind::Outreach,
            // What the user wrote under the pick: the note of this outreach.
            note: notes.get(tick.target.as_str()).cloned().unwrap_or_default(),
        };
        // Already in the note (the `[x]` lines we render for people reached today, or a tick
        // recorded by an earlier pass): nothing to do, unless the user has since written
        // under the pick what the outreach was, which goes into its Log line.
        let recorded_already = contact
            .last_outreach()
            .is_some_and(|last| last >= tick.checked_on);
        if recorded_already && outreach.note.is_empty() {
            continue;
        }
        // Our own line for someone the note said was reached today (an outreach, or a
        // coffee), which the note no longer says: the user took it out (an undo, a revert),
        // or the note's save is still syncing behind the page. The note wins either way;
        // recording the line again would undo the user or write the outreach twice.
        if tick.rendered_reached && !recorded_already {
            tracing::debug!(
                "{note}: its `reached today` line stands for no outreach in the note (time \
                 together, or one taken out since); not recorded"
            );
            continue;
        }
        let result = crate::write::edit_note(&config.vault.join(&contact.path), dry_run, |text| {
            if recorded_already {
                outreach::add_note_now(&note, text, contact, &outreach)
            } else {
                outreach::record_now(&note, text, contact, &outreach)
            }
        });
        match result {
            // Only the note added to an outreach recorded before.
            Ok(Some(_)) if recorded_already => reread.push(contact.path.clone()),
            Ok(Some(_)) => {
                recorded.push(Recorded {
                    name: contact.name.to_string(),
                    path: note,
                    date: tick.checked_on,
                });
                reread.push(contact.path.clone());
            }
            Ok(None) => {}
            Err(err) => held.push(Problem::new(
                at,
                Issue::TickNotRecorded {
                    target: tick.target.clone(),
                    reason: chain(&err),
                },
            )),
        }
    }
    if !dry_run && !reread.is_empty() {
        let classifier = Classifier::new(&config.vault, &config.settings);
        for path in reread {
            let in_people = matches!(classifier.classify(&path), Kind::Note { in_people: true });
            let read = crate::vault::read_note(&config.vault, &path, in_people, &config.reading());
            vault.update(&path, read);
        }
        vault.refresh();
    }
    (recorded, held)
}

/// An error and its sources on one line, `outer: inner`, as the command line prints errors.
fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let _ = write!(text, ": {cause}");
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflict_copies_of_today_md_are_known_in_every_tools_spelling() {
        for name in [
            "today.sync-conflict-20260302-101010-ABCDEFG.md",
            "today (conflicted copy 2026-03-02).md",
            "today (Grace's conflicted copy 2026-03-02).md",
            "today (Grace\u{2019}s Conflicted Copy 2026-03-02).md",
            "today (Case Conflict).md",
            "today (Unicode Encoding Conflict).md",
            "today 2.md",
            "today-LAPTOP.md",
        ] {
            assert!(is_conflict_copy(name, "today"), "{name}");
        }
        for name in [
            "today.md",
            "today 1.md",
            "today notes.md",
            "today-my notes.md",
            "yesterday.md",
            "today (draft).md",
        ] {
            assert!(!is_conflict_copy(name, "today"), "{name}");
        }
    }
}
