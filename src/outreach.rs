//! Recording an outreach or a reply in a contact's note: which key and which Log line, decided
//! as a pure function of the note's text, so `touch` and the tick harvest agree and a tick is
//! never recorded twice.

use std::path::Path;

use chrono::NaiveDate;

use crate::error::{Problem, Severity};
use crate::model::date::format_date;
use crate::model::{Contact, LogKind, Spelled};
use crate::note::edit::{self, EditError};
use crate::note::keys::Field;
use crate::note::{Parsed, parse_note};

/// One thing to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outreach {
    pub date: NaiveDate,
    pub kind: LogKind,
    /// What you wrote about, or what they answered; empty for a bare tick.
    pub note: String,
}

/// The key an outreach of `kind` sets, as the note spells it (a `lastContact` vault stays a
/// `lastContact` vault).
pub fn key_for(contact: &Contact, kind: LogKind) -> &str {
    match kind {
        // Time together touches the contact as an outreach does.
        LogKind::Outreach | LogKind::Together => (contact.spellings)
            .get(Spelled::LastTouch)
            .unwrap_or("last-touch"),
        LogKind::Reply => (contact.spellings)
            .get(Spelled::LastReply)
            .unwrap_or("last-reply"),
    }
}

/// The Log line for `outreach`, without its bullet: `2026-03-02 reached out — sent the recap`.
pub fn log_line(outreach: &Outreach) -> String {
    let verb = match outreach.kind {
        LogKind::Outreach => "reached out",
        LogKind::Reply => "replied",
        LogKind::Together => "met",
    };
    let date = format_date(outreach.date);
    let note = outreach
        .note
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if note.is_empty() {
        format!("{date} {verb}")
    } else {
        format!("{date} {verb} — {note}")
    }
}

/// The note's new text with `outreach` recorded, or `None` when it already is: the key is set
/// unless the note has that date or a later one, and the Log line is added unless the Log
/// already has an entry of that kind on that day (with the same note, when one is given).
pub fn record(
    text: &str,
    contact: &Contact,
    outreach: &Outreach,
) -> Result<Option<String>, EditError> {
    let current = match outreach.kind {
        LogKind::Outreach | LogKind::Together => contact.last_touch,
        LogKind::Reply => contact.last_reply,
    };
    let mut new = text.to_owned();
    if current.is_none_or(|date| date < outreach.date) {
        new = edit::set_key(
            &new,
            key_for(contact, outreach.kind),
            &format_date(outreach.date),
        )?;
    }
    let wanted = outreach
        .note
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    // Every entry with its text, from the note as it is now.
    let kinds = &crate::note::read::default_reading().kinds;
    let logged = crate::note::log_entries(text, kinds).iter().any(|entry| {
        entry.date == outreach.date
            && entry.kind == outreach.kind
            && (wanted.is_empty() || entry.text.contains(wanted.as_str()))
    });
    if !logged {
        new = edit::append_log(&new, &log_line(outreach))?;
    }
    Ok((new != text).then_some(new))
}

/// Why an outreach was not recorded in a note.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("{0} (vault-reach writes into no note it cannot fully read)")]
    HasErrors(Problem),
    #[error("{0}")]
    Unreadable(Problem),
    #[error("`{0}` is no longer a contact note")]
    NotAContact(String),
    #[error(
        "`{0}` is empty (an editor may be in the middle of saving it); vault-reach records nothing into an empty note, so add a line to it or try again"
    )]
    Empty(String),
    #[error(transparent)]
    Edit(#[from] EditError),
}

/// The contact as the note says now (it may have changed since the scan).
pub fn current(rel: &str, text: &str, scanned: &Contact) -> Result<Contact, RecordError> {
    reread(rel, &scanned.path, text)
}

/// The contact the note at `path` (shown as `rel`) is, as `text` says; an error when it is
/// not one, or has errors of its own (nothing is written into a note not fully read).
fn reread(rel: &str, path: &Path, text: &str) -> Result<Contact, RecordError> {
    // An editor saving in place truncates the note before it writes it: building on what
    // was read in between would put a bare front-matter over the whole note. An empty note
    // cannot be told from one caught so (the scan may have caught it too), so it is refused.
    if text.trim().is_empty() {
        return Err(RecordError::Empty(rel.to_owned()));
    }
    match parse_note(path, text, true) {
        Parsed::Contact(contact, problems) => {
            match problems.into_iter().find(|p| p.severity == Severity::Error) {
                Some(problem) => Err(RecordError::HasErrors(problem)),
                None => Ok(contact),
            }
        }
        Parsed::Unreadable(problem) => Err(RecordError::Unreadable(problem)),
        _ => Err(RecordError::NotAContact(rel.to_owned())),
    }
}

/// Each of `outreaches` recorded into the note as it is now, as [`record_now`] would, but a
/// day that already has an entry of that kind is left as it is (a mail import: the note's
/// `- 2026-01-05 emailed the slides` is that day's mail, not a second one). `None` when every
/// day is in the note already.
pub fn record_all_now(
    rel: &str,
    text: &str,
    scanned: &Contact,
    outreaches: &[Outreach],
) -> Result<Option<String>, RecordError> {
    let fresh = current(rel, text, scanned)?;
    let logged: std::collections::HashSet<(NaiveDate, LogKind)> = fresh.log.iter().collect();
    let mut new_days: Vec<&Outreach> = outreaches
        .iter()
        .filter(|o| !logged.contains(&(o.date, o.kind)))
        .collect();
    if new_days.is_empty() {
        return Ok(None);
    }
    new_days.sort_by_key(|o| o.date);
    let mut new = text.to_owned();
    // Each key once, to the newest day of its kind (a mail import brings hundreds of days).
    for (kinds, current) in [
        (
            &[LogKind::Outreach, LogKind::Together][..],
            fresh.last_touch,
        ),
        (&[LogKind::Reply][..], fresh.last_reply),
    ] {
        let newest = new_days
            .iter()
            .filter(|o| kinds.contains(&o.kind))
            .map(|o| (o.date, o.kind))
            .max();
        if let Some((date, kind)) = newest
            && current.is_none_or(|c| c < date)
        {
            new = edit::set_key(&new, key_for(&fresh, kind), &format_date(date))?;
        }
    }
    let lines: Vec<String> = new_days.iter().map(|o| log_line(o)).collect();
    new = edit::append_log_lines(&new, &lines)?;
    Ok((new != text).then_some(new))
}

/// [`record`] into the note as it is now: `text`, read again just before the edit, which
/// may have changed since `scanned` was read.
pub fn record_now(
    rel: &str,
    text: &str,
    scanned: &Contact,
    outreach: &Outreach,
) -> Result<Option<String>, RecordError> {
    let fresh = current(rel, text, scanned)?;
    Ok(record(text, &fresh, outreach)?)
}

/// The note's text with the note of an outreach recorded without one added to its Log line
/// (`- 2026-03-02 reached out` becomes `- 2026-03-02 reached out — sent the slides`), when the
/// user wrote it after the tick was recorded. `None` when an entry of that day already says
/// it, or when no entry of ours (the bare verb) is there to amend: a line the user wrote is
/// never changed, and no second line is added for one outreach.
pub fn add_note(text: &str, outreach: &Outreach) -> Result<Option<String>, EditError> {
    let wanted = outreach
        .note
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if wanted.is_empty() {
        return Ok(None);
    }
    let kinds = &crate::note::read::default_reading().kinds;
    let entries = crate::note::log_entries(text, kinds);
    let that_day: Vec<_> = entries
        .iter()
        .filter(|e| e.date == outreach.date && e.kind == outreach.kind)
        .collect();
    if that_day.iter().any(|e| e.text.contains(wanted.as_str())) {
        return Ok(None);
    }
    let bare = Outreach {
        note: String::new(),
        ..outreach.clone()
    };
    let ours = log_line(&bare);
    let Some(entry) = that_day
        .iter()
        .find(|e| format!("{} {}", format_date(e.date), e.text) == ours)
    else {
        return Ok(None);
    };
    let noted = Outreach {
        note: wanted,
        ..outreach.clone()
    };
    edit::amend_log(text, entry.line, &ours, &log_line(&noted)).map(Some)
}

/// [`add_note`] on the note as it is now (it may have changed since the scan).
pub fn add_note_now(
    rel: &str,
    text: &str,
    scanned: &Contact,
    outreach: &Outreach,
) -> Result<Option<String>, RecordError> {
    current(rel, text, scanned)?;
    Ok(add_note(text, outreach)?)
}

/// The note with `paused` set to `today` (in the note's own spelling of the key): off the
/// list, whatever the cadence, until `resume`. The cadence is left as it is, so that `resume`
/// brings back the same rhythm. `None` when it is paused already.
pub fn pause_now(
    rel: &str,
    text: &str,
    scanned: &Contact,
    today: NaiveDate,
) -> Result<Option<String>, RecordError> {
    let contact = current(rel, text, scanned)?;
    if contact.paused.is_some() || contact.cadence == Some(crate::model::Cadence::Never) {
        return Ok(None);
    }
    mark(text, Field::Paused, "paused", today)
}

/// The note with `let-go` set to `today`: the prune rule followed, off the schedule for good,
/// the note and its history kept, and counted apart in index.md. `None` when it says so
/// already.
pub fn let_go_now(
    rel: &str,
    text: &str,
    scanned: &Contact,
    today: NaiveDate,
) -> Result<Option<String>, RecordError> {
    let contact = current(rel, text, scanned)?;
    if contact.let_go.is_some() {
        return Ok(None);
    }
    mark(text, Field::LetGo, "let-go", today)
}

fn mark(
    text: &str,
    field: Field,
    key: &str,
    today: NaiveDate,
) -> Result<Option<String>, RecordError> {
    let key = crate::note::keys::spelling_in(text, field).unwrap_or_else(|| key.to_owned());
    Ok(Some(edit::set_key(text, &key, &format_date(today))?))
}

/// The note without what keeps it off the list: `paused`, `let-go`, a `snooze-until` after
/// `today`, `cadence: never` (which then falls back to the vault's cadence). Each key's line
/// is removed whole, nothing else. `None` when nothing keeps it off.
pub fn resume_now(
    rel: &str,
    text: &str,
    scanned: &Contact,
    today: NaiveDate,
) -> Result<Option<String>, RecordError> {
    let contact = current(rel, text, scanned)?;
    let off = [
        (Field::Paused, contact.paused.is_some()),
        (Field::LetGo, contact.let_go.is_some()),
        (
            Field::SnoozeUntil,
            contact.snooze_until.is_some_and(|d| d > today),
        ),
        (
            Field::Cadence,
            contact.cadence == Some(crate::model::Cadence::Never),
        ),
    ];
    let mut edited: Option<String> = None;
    for (field, set) in off {
        let now = edited.as_deref().unwrap_or(text);
        if let (true, Some(key)) = (set, crate::note::keys::spelling_in(now, field))
            && let Some(next) = edit::remove_key(now, &key)?
        {
            edited = Some(next);
        }
    }
    Ok(edited)
}

/// The note with the `company` and `role` an import found, when they differ from what it
/// says (case and spacing aside), `role-changed` set to `today` and `previous-role` to what
/// it said before: "Compiler engineer at Quintessence Labs". A value the import lacks is
/// kept; `None` when nothing changed.
pub fn record_role_change(
    rel: &str,
    text: &str,
    scanned: &Contact,
    (company, role): (Option<&str>, Option<&str>),
    today: NaiveDate,
) -> Result<Option<String>, RecordError> {
    let contact = current(rel, text, scanned)?;
    let norm = |s: &str| crate::names::name_key(s);
    let differs = |new: Option<&str>, old: Option<&str>| match (new, old) {
        (Some(new), Some(old)) => norm(new) != norm(old),
        // A note without the value gets it without a "change": there was none to see.
        _ => false,
    };
    let company_changed = differs(company, contact.company.as_deref());
    let role_changed = differs(role, contact.role.as_deref());
    if !company_changed && !role_changed {
        return Ok(None);
    }
    let before =
        crate::model::role_and_company(contact.role.as_deref(), contact.company.as_deref());
    let mut edited = text.to_owned();
    for (field, key, value, changed) in [
        (Field::Company, "company", company, company_changed),
        (Field::Role, "role", role, role_changed),
    ] {
        if let (true, Some(value)) = (changed, value) {
            let key =
                crate::note::keys::spelling_in(&edited, field).unwrap_or_else(|| key.to_owned());
            edited = edit::set_key(&edited, &key, value)?;
        }
    }
    edited = edit::set_key(&edited, "role-changed", &format_date(today))?;
    if let Some(before) = before {
        edited = edit::set_key(&edited, "previous-role", &before)?;
    }
    Ok(Some(edited))
}

/// The note with `snooze-until` set to `until` (in the note's spelling): not on the list
/// before then. `None` when it says that date already.
pub fn snooze_now(
    rel: &str,
    text: &str,
    scanned: &Contact,
    until: NaiveDate,
) -> Result<Option<String>, RecordError> {
    let contact = current(rel, text, scanned)?;
    if contact.snooze_until == Some(until) {
        return Ok(None);
    }
    let key = crate::note::keys::spelling_in(text, crate::note::keys::Field::SnoozeUntil)
        .unwrap_or_else(|| "snooze-until".to_owned());
    Ok(Some(edit::set_key(text, &key, &format_date(until))?))
}

/// The note with `recommended` set to `date`, in the note's own spelling of the key, unless
/// it already has that date or a later one.
pub fn record_recommendation(
    rel: &str,
    text: &str,
    date: NaiveDate,
) -> Result<Option<String>, RecordError> {
    // Re-read: the note may have changed since the scan.
    let contact = reread(rel, Path::new(rel), text)?;
    if contact.recommended.is_some_and(|d| d >= date) {
        return Ok(None);
    }
    let key = (contact.spellings)
        .get(Spelled::Recommended)
        .unwrap_or("recommended");
    Ok(Some(edit::set_key(text, key, &format_date(date))?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::note::{Parsed, parse_note};
    use std::path::Path;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn contact(text: &str) -> Contact {
        match parse_note(Path::new("People/Ada.md"), text, true) {
            Parsed::Contact(contact, _) => contact,
            other => panic!("not a contact: {other:?}"),
        }
    }

    #[test]
    fn resume_removes_every_key_that_keeps_someone_off_and_nothing_else() {
        let today = date("2026-03-02");
        let off = "---\nmet-date: 2024-01-01\ncontext: x\ncontactFrequency: never\npaused: true\n\
                   letGo: 2026-01-01\nsnooze_until: 2026-05-01\ntags: [a]\n---\nbody\n";
        let back = resume_now("People/Ada.md", off, &contact(off), today)
            .unwrap()
            .unwrap();
        assert_eq!(
            back,
            "---\nmet-date: 2024-01-01\ncontext: x\ntags: [a]\n---\nbody\n"
        );
        assert_eq!(
            resume_now("People/Ada.md", &back, &contact(&back), today).unwrap(),
            None
        );
        // A snooze that is over keeps nobody off: it stays, as the note's history.
        let over = "---\nmet-date: 2024-01-01\ncontext: x\nsnooze-until: 2026-01-01\n---\n";
        assert_eq!(
            resume_now("People/Ada.md", over, &contact(over), today).unwrap(),
            None
        );
    }

    #[test]
    fn letting_go_marks_the_note_with_the_day() {
        let text = "---\nmet-date: 2024-01-01\ncontext: x\npaused: 2026-01-01\n---\n";
        let gone = let_go_now("People/Ada.md", text, &contact(text), date("2026-03-02"))
            .unwrap()
            .unwrap();
        assert_eq!(gone, text.replace("01\n---", "01\nlet-go: 2026-03-02\n---"));
        let c = contact(&gone);
        assert_eq!(c.let_go.and_then(|m| m.since), Some(date("2026-03-02")));
        assert_eq!(
            let_go_now("People/Ada.md", &gone, &c, date("2026-03-03")).unwrap(),
            None
        );
    }

    #[test]
    fn pausing_and_snoozing_write_the_notes_own_key_once() {
        let text = "---\nmet-date: 2024-01-01\ncontext: x\ncontactFrequency: 30 # days\n---\n";
        let scanned = contact(text);
        let today = date("2026-03-02");
        // The cadence stays: `resume` brings back the same rhythm.
        let paused = pause_now("People/Ada.md", text, &scanned, today)
            .unwrap()
            .unwrap();
        assert_eq!(
            paused,
            "---\nmet-date: 2024-01-01\ncontext: x\ncontactFrequency: 30 # days\npaused: 2026-03-02\n---\n"
        );
        assert_eq!(
            pause_now("People/Ada.md", &paused, &contact(&paused), today).unwrap(),
            None
        );
        let never = "---\nmet-date: 2024-01-01\ncontext: x\ncadence: never\n---\nbody\n";
        assert_eq!(
            pause_now("People/Ada.md", never, &contact(never), today).unwrap(),
            None
        );
        let snoozed = snooze_now("People/Ada.md", text, &scanned, date("2026-04-01"))
            .unwrap()
            .unwrap();
        assert!(
            snoozed.ends_with("snooze-until: 2026-04-01\n---\n"),
            "{snoozed}"
        );
        let spelled = "---\nmet-date: 2024-01-01\ncontext: x\nprm-snooze-until: 2026-01-01\n---\n";
        let snoozed = snooze_now(
            "People/Ada.md",
            spelled,
            &contact(spelled),
            date("2026-04-01"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(snoozed, spelled.replace("2026-01-01", "2026-04-01"));
    }

    #[test]
    fn a_note_written_later_amends_our_bare_line_and_nothing_else() {
        let text = "---\nlast-touch: 2026-03-02\n---\n## Log\r\n- 2026-03-01 coffee\r\n- 2026-03-02 reached out\r\n";
        let amended = add_note(text, &reach("2026-03-02", "sent the slides"))
            .unwrap()
            .unwrap();
        assert_eq!(
            amended,
            text.replace(
                "- 2026-03-02 reached out\r\n",
                "- 2026-03-02 reached out — sent the slides\r\n"
            )
        );
        // Already said: nothing to do; no note: nothing to do.
        assert_eq!(
            add_note(&amended, &reach("2026-03-02", "sent the slides")).unwrap(),
            None
        );
        assert_eq!(add_note(text, &reach("2026-03-02", "")).unwrap(), None);
        // A line of the user's own that day is never changed, and no second line is added.
        let theirs = text.replace("reached out\r\n", "emailed about the grant\r\n");
        assert_eq!(
            add_note(&theirs, &reach("2026-03-02", "sent the slides")).unwrap(),
            None
        );
    }

    fn reach(day: &str, note: &str) -> Outreach {
        Outreach {
            date: date(day),
            kind: LogKind::Outreach,
            note: note.to_owned(),
        }
    }

    #[test]
    fn an_outreach_sets_the_key_and_adds_a_log_line() {
        let text = "---\nmet-date: 2020-01-01\nlast-touch: 2025-01-02\n---\n# Ada\n\n## Log\n- 2025-01-02 reached out\n";
        let new = record(text, &contact(text), &reach("2026-03-02", "sent the recap"))
            .unwrap()
            .unwrap();
        assert_eq!(
            new,
            "---\nmet-date: 2020-01-01\nlast-touch: 2026-03-02\n---\n# Ada\n\n## Log\n- 2025-01-02 reached out\n\
             - 2026-03-02 reached out — sent the recap\n"
        );
    }

    #[test]
    fn recording_twice_changes_nothing_the_second_time() {
        let text = "---\nlast-touch: 2025-01-02\n---\n# Ada\n";
        let once = record(text, &contact(text), &reach("2026-03-02", ""))
            .unwrap()
            .unwrap();
        assert_eq!(
            record(&once, &contact(&once), &reach("2026-03-02", "")).unwrap(),
            None
        );
    }

    #[test]
    fn an_older_outreach_keeps_the_later_key_but_is_logged() {
        let text = "---\nlast-touch: 2026-03-02\n---\n# Ada\n\n## Log\n";
        let new = record(text, &contact(text), &reach("2026-02-01", "called"))
            .unwrap()
            .unwrap();
        assert!(
            new.starts_with("---\nlast-touch: 2026-03-02\n---\n"),
            "{new}"
        );
        assert!(new.contains("- 2026-02-01 reached out — called\n"), "{new}");
    }

    #[test]
    fn the_note_spelling_of_the_key_is_kept() {
        let text = "---\nlastContact: 2025-01-02\nhowWeMet: a panel\n---\n";
        let new = record(text, &contact(text), &reach("2026-03-02", ""))
            .unwrap()
            .unwrap();
        assert!(
            new.starts_with("---\nlastContact: 2026-03-02\nhowWeMet: a panel\n---\n"),
            "{new}"
        );
    }

    #[test]
    fn a_reply_sets_last_reply() {
        let text = "---\nlast-touch: 2026-03-01\n---\n";
        let reply = Outreach {
            date: date("2026-03-02"),
            kind: LogKind::Reply,
            note: "yes to coffee".into(),
        };
        let new = record(text, &contact(text), &reply).unwrap().unwrap();
        assert!(
            new.starts_with("---\nlast-touch: 2026-03-01\nlast-reply: 2026-03-02\n---\n"),
            "{new}"
        );
        assert!(
            new.ends_with("- 2026-03-02 replied — yes to coffee\n"),
            "{new}"
        );
    }

    #[test]
    fn recommended_is_set_in_the_notes_spelling_and_never_moved_back() {
        let date = "2021-03-12".parse().unwrap();
        let note = "---\nmet-date: 2020-01-01\n# kept\nrecommended: 2019-01-01\n---\n";
        assert_eq!(
            record_recommendation("People/A.md", note, date).unwrap(),
            Some(note.replace("2019-01-01", "2021-03-12"))
        );
        let later = "---\nmet-date: 2020-01-01\nrecommended: 2022-01-01\n---\n";
        assert_eq!(
            record_recommendation("People/A.md", later, date).unwrap(),
            None
        );
        let without = "---\nmet-date: 2020-01-01\n---\n";
        assert_eq!(
            record_recommendation("People/A.md", without, date).unwrap(),
            Some("---\nmet-date: 2020-01-01\nrecommended: 2021-03-12\n---\n".into())
        );
    }

    #[test]
    fn nothing_is_recorded_into_a_note_read_empty() {
        // Issue 18: a note caught between an editor's truncate and its write lost its
        // front-matter and body to a bare `last-touch` and Log.
        let ada = crate::model::Contact::named("Ada");
        let outreach = Outreach {
            date: "2026-03-02".parse().unwrap(),
            kind: LogKind::Outreach,
            note: String::new(),
        };
        for text in ["", "\n", "  \r\n"] {
            assert!(matches!(
                record_now("People/Ada.md", text, &ada, &outreach),
                Err(RecordError::Empty(_))
            ));
        }
    }
}
