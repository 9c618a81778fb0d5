//! Calendars, read locally: a past meeting you attended with someone in the vault is time
//! together on its day, titled by its summary. An `.ics` file or a vdir (vdirsyncer, khal:
//! a folder of `.ics` files), parsed with calcard, our vCard crate, which reads iCalendar too.
//!
//! Recurring events are skipped, not expanded: a weekly stand-up is a meeting of a team, not
//! time with a person, and each of its hundred occurrences as "met" would bury the Log; the
//! one-off coffee or call is what the schedule is about. Reading is I/O; [`plan`] is pure.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use calcard::icalendar::{
    ICalendarComponentType, ICalendarParameterValue, ICalendarParticipationStatus,
    ICalendarProperty, ICalendarStatus, ICalendarValue, Uri,
};
use chrono::NaiveDate;

use super::ImportError;

/// An event with more people than this is a gathering, not time with one of them.
pub const MAX_ATTENDEES: usize = 20;

/// What an event says, as far as the schedule cares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Event {
    /// The file, and the event's number in it: `work.ics event 3`.
    pub origin: String,
    pub summary: String,
    pub date: Option<NaiveDate>,
    /// Attendees and organizer, their addresses lowercased.
    pub people: Vec<String>,
    /// The addresses that declined.
    pub declined: Vec<String>,
    pub cancelled: bool,
    pub recurring: bool,
}

/// Why an event gave nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Skip {
    NoAttendees,
    TooMany,
    Cancelled,
    Declined,
    Recurring,
    Future,
    NoDate,
    NotYours,
    Nobody,
}

impl Skip {
    pub fn describe(self, n: usize) -> String {
        let events = if n == 1 { "event" } else { "events" };
        match self {
            Skip::NoAttendees => format!("{n} {events} without attendees"),
            Skip::TooMany => format!("{n} {events} with more than {MAX_ATTENDEES} people"),
            Skip::Cancelled => format!("{n} cancelled {events}"),
            Skip::Declined => format!("{n} {events} you declined"),
            Skip::Recurring => format!("{n} recurring {events}"),
            Skip::Future => format!("{n} {events} still to come"),
            Skip::NoDate => format!("{n} {events} without a readable date"),
            Skip::NotYours => format!("{n} {events} without you"),
            Skip::Nobody => format!("{n} {events} with nobody in the vault"),
        }
    }
}

/// What the calendars say, contact by contact.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CalendarPlan {
    /// For each contact (its index), the days you met and what the event was called.
    pub found: BTreeMap<usize, BTreeSet<(NaiveDate, String)>>,
    /// The other people of the vault at the same event, for each contact and day: whom you
    /// both know.
    pub with: BTreeMap<(usize, NaiveDate), BTreeSet<usize>>,
    pub skipped: BTreeMap<Skip, usize>,
    pub used: usize,
}

/// Decides what each of `events` means, for `today`.
pub fn plan<S: std::hash::BuildHasher, T: std::hash::BuildHasher>(
    events: &[Event],
    me: &HashSet<String, S>,
    by_email: &HashMap<String, usize, T>,
    today: NaiveDate,
) -> CalendarPlan {
    let mut out = CalendarPlan::default();
    for e in events {
        let why = if e.people.is_empty() {
            Some(Skip::NoAttendees)
        } else if e.people.len() > MAX_ATTENDEES {
            Some(Skip::TooMany)
        } else if e.cancelled {
            Some(Skip::Cancelled)
        } else if e.recurring {
            Some(Skip::Recurring)
        } else if !e.people.iter().any(|p| me.contains(p)) {
            Some(Skip::NotYours)
        } else if e.declined.iter().any(|p| me.contains(p)) {
            Some(Skip::Declined)
        } else {
            match e.date {
                None => Some(Skip::NoDate),
                // Today's meeting may not have happened yet: it counts tomorrow.
                Some(date) if date >= today => Some(Skip::Future),
                Some(_) => None,
            }
        };
        if let Some(why) = why {
            *out.skipped.entry(why).or_default() += 1;
            continue;
        }
        let contacts: BTreeSet<usize> = e
            .people
            .iter()
            .filter(|p| !me.contains(*p) && !e.declined.contains(p))
            .filter_map(|p| by_email.get(p.as_str()).copied())
            .collect();
        let (true, Some(date)) = (!contacts.is_empty(), e.date) else {
            *out.skipped.entry(Skip::Nobody).or_default() += 1;
            continue;
        };
        out.used += 1;
        for &contact in &contacts {
            out.found
                .entry(contact)
                .or_default()
                .insert((date, e.summary.clone()));
            let others: BTreeSet<usize> =
                contacts.iter().copied().filter(|&o| o != contact).collect();
            if !others.is_empty() {
                out.with.entry((contact, date)).or_default().extend(others);
            }
        }
    }
    out
}

/// Every event in `paths`: `.ics` files, and folders of them at any depth (a vdir).
///
/// The second list says what could not be read, by file: a calendar is read around a broken
/// line or component, and the user hears where.
pub fn read_calendars(paths: &[PathBuf]) -> Result<(Vec<Event>, Vec<String>), ImportError> {
    let files = super::files_under(paths, |path| {
        path.extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("ics"))
    })?;
    let mut out = Vec::new();
    let mut unreadable = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|source| ImportError::Read {
            path: file.clone(),
            source,
        })?;
        let label = file.display().to_string();
        let mut parser = calcard::Parser::new(&text);
        let mut number = 0;
        loop {
            match parser.entry() {
                calcard::Entry::ICalendar(calendar) => {
                    for component in &calendar.components {
                        if component.component_type == ICalendarComponentType::VEvent {
                            number += 1;
                            out.push(event(component, format!("{label} event {number}")));
                        }
                    }
                }
                calcard::Entry::Eof => break,
                // The rest of the file is still read.
                calcard::Entry::InvalidLine(line) => unreadable.push(format!(
                    "{label}: a line that is not iCalendar, `{}`; skipped",
                    crate::error::Escaped(&line.chars().take(60).collect::<String>())
                )),
                calcard::Entry::VCard(_) => {
                    unreadable.push(format!("{label}: a vCard, not an event; skipped"));
                }
                _ => unreadable.push(format!(
                    "{label}: a component that is not closed or not where it should be; skipped"
                )),
            }
        }
    }
    Ok((out, unreadable))
}

fn event(component: &calcard::icalendar::ICalendarComponent, origin: String) -> Event {
    let mut e = Event {
        origin,
        ..Event::default()
    };
    for entry in &component.entries {
        match &entry.name {
            ICalendarProperty::Attendee | ICalendarProperty::Organizer => {
                let Some(address) = entry.values.iter().find_map(mailto) else {
                    continue;
                };
                let declined = entry.params.iter().any(|p| {
                    p.value
                        == ICalendarParameterValue::Partstat(ICalendarParticipationStatus::Declined)
                });
                if declined {
                    e.declined.push(address.clone());
                }
                if !e.people.contains(&address) {
                    e.people.push(address);
                }
            }
            ICalendarProperty::Dtstart => {
                e.date = entry.values.iter().find_map(|v| match v {
                    ICalendarValue::PartialDateTime(d) => NaiveDate::from_ymd_opt(
                        i32::from(d.year?),
                        u32::from(d.month?),
                        u32::from(d.day?),
                    ),
                    _ => None,
                });
            }
            ICalendarProperty::Status => {
                e.cancelled = entry
                    .values
                    .contains(&ICalendarValue::Status(ICalendarStatus::Cancelled));
            }
            ICalendarProperty::Rrule | ICalendarProperty::Rdate => e.recurring = true,
            ICalendarProperty::Summary => {
                if let Some(ICalendarValue::Text(text)) = entry.values.first() {
                    e.summary = crate::import::new_note::one_line(text);
                }
            }
            _ => {}
        }
    }
    e
}

/// `mailto:Ada@Example.com` as `ada@example.com`.
fn mailto(value: &ICalendarValue) -> Option<String> {
    let (ICalendarValue::Uri(Uri::Location(text)) | ICalendarValue::Text(text)) = value else {
        return None;
    };
    let address = text
        .trim()
        .strip_prefix("mailto:")
        .or_else(|| text.trim().strip_prefix("MAILTO:"))?;
    address.contains('@').then(|| address.trim().to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n\
        BEGIN:VEVENT\r\nUID:1\r\nSUMMARY:Coffee with Ada\r\nDTSTART:20260120T100000Z\r\n\
        ORGANIZER:mailto:me@example.org\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:Ada@Example.com\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:2\r\nSUMMARY:Weekly sync\r\nDTSTART:20260105T090000Z\r\nRRULE:FREQ=WEEKLY\r\n\
        ORGANIZER:mailto:me@example.org\r\nATTENDEE:mailto:ada@example.com\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:3\r\nSUMMARY:Lunch\r\nDTSTART;VALUE=DATE:20260122\r\nSTATUS:CANCELLED\r\n\
        ATTENDEE:mailto:me@example.org\r\nATTENDEE:mailto:ada@example.com\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:4\r\nSUMMARY:Panel\r\nDTSTART:20260123T090000Z\r\n\
        ATTENDEE;PARTSTAT=DECLINED:mailto:me@example.org\r\nATTENDEE:mailto:ada@example.com\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:5\r\nSUMMARY:Dinner\r\nDTSTART;VALUE=DATE:20260401\r\n\
        ATTENDEE:mailto:me@example.org\r\nATTENDEE:mailto:ada@example.com\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:6\r\nSUMMARY:Focus time\r\nDTSTART:20260124T090000Z\r\nEND:VEVENT\r\n\
        END:VCALENDAR\r\n";

    #[test]
    fn an_ics_file_is_read_into_events() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("work")).unwrap();
        std::fs::write(dir.path().join("work/cal.ics"), ICS).unwrap();
        let (events, unreadable) = read_calendars(&[dir.path().to_path_buf()]).unwrap();
        assert!(unreadable.is_empty(), "{unreadable:?}");
        assert_eq!(events.len(), 6);
        let coffee = &events[0];
        assert_eq!(coffee.summary, "Coffee with Ada");
        assert_eq!(coffee.date, Some(day("2026-01-20")));
        assert_eq!(coffee.people, ["me@example.org", "ada@example.com"]);
        assert!(events[1].recurring && events[2].cancelled);
        assert_eq!(events[3].declined, ["me@example.org"]);
        assert_eq!(events[4].date, Some(day("2026-04-01")));
        assert!(
            coffee.origin.ends_with("cal.ics event 1"),
            "{}",
            coffee.origin
        );
    }

    #[test]
    fn what_cannot_be_read_is_said_with_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("broken.ics");
        std::fs::write(
            &path,
            // An error page a download saved in its place, before a calendar.
            format!("<html>Service unavailable</html>\r\n{ICS}"),
        )
        .unwrap();
        let (events, unreadable) = read_calendars(&[path]).unwrap();
        assert_eq!(events.len(), 6, "the rest is read");
        assert_eq!(
            unreadable,
            [format!(
                "{}: a line that is not iCalendar, `<html>Service unavailable</html>`; skipped",
                dir.path().join("broken.ics").display()
            )]
        );
        assert!(!events.is_empty(), "the rest is read");
        assert!(
            !unreadable.is_empty() && unreadable.iter().all(|l| l.contains("broken.ics: ")),
            "{unreadable:?}"
        );
    }

    #[test]
    fn only_past_one_off_meetings_you_attended_count() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cal.ics");
        std::fs::write(&path, ICS).unwrap();
        let (events, _) = read_calendars(&[path]).unwrap();
        let me: HashSet<String> = ["me@example.org".to_owned()].into();
        let by_email: HashMap<String, usize> = [("ada@example.com".to_owned(), 0)].into();
        let p = plan(&events, &me, &by_email, day("2026-03-02"));
        assert_eq!(
            p.found[&0],
            [(day("2026-01-20"), "Coffee with Ada".to_owned())].into()
        );
        assert_eq!(
            p.skipped,
            [
                (Skip::NoAttendees, 1),
                (Skip::Cancelled, 1),
                (Skip::Declined, 1),
                (Skip::Recurring, 1),
                (Skip::Future, 1),
            ]
            .into()
        );
    }
}
