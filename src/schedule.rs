//! Who is due: pure functions of the contacts, the settings and today.
//!
//! Nothing here reads the clock or the disk, so a given `--today` always gives the same plan.
//! It runs on every render of vaults with tens of thousands of notes: one pass over the
//! contacts computes each one's due date once, and only the few picks are fully sorted.

use std::cmp::{Ordering, Reverse};
use std::sync::Arc;

use chrono::{Datelike, Days, NaiveDate};
use rayon::prelude::*;
use serde::Serialize;

use crate::config::Settings;
use crate::model::{Cadence, Contact, LogKind, Span};

/// The plan for one day: today's list, everyone's status, and the counts for `index.md`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Schedule {
    pub today: NaiveDate,
    pub is_workday: bool,
    /// The first workday strictly after today, holidays skipped.
    pub next_workday: NaiveDate,
    /// How many people today's list holds; 0 on days that are not workdays.
    pub quota: usize,
    /// Today's list: those reached today (by name), then the most urgent due contacts.
    pub picks: Vec<Pick>,
    /// Loose links to place (add when and how you met, or let go): at most `loose-daily`,
    /// outside the quota.
    pub to_place: Vec<Pick>,
    /// One per contact, at the same index as the input slice; shared with the pages'
    /// views, and in `watch` with the next pass, which updates it where notes changed.
    pub statuses: Arc<Vec<Status>>,
    /// Birthdays in the coming week (today and the six days after it), soonest first, then by name.
    pub birthdays: Vec<Upcoming>,
    pub stats: Stats,
    /// The workday on which, at the current pace, the last contact due today is reached;
    /// `None` when nobody is due. See [`caught_up_on`].
    pub caught_up_on: Option<NaiveDate>,
}

/// One line of today's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Pick {
    /// Index into the contacts given to [`schedule`].
    pub contact: usize,
    /// Already reached today: shown ticked, and counted against the quota.
    pub reached_today: bool,
    pub is_new: bool,
    pub due: NaiveDate,
    /// 0 when not past due (as for everyone reached today).
    pub days_past_due: i64,
}

/// Where one contact stands today.
#[allow(
    clippy::struct_excessive_bools,
    reason = "independent flags that templates test one by one, not states of one machine"
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Status {
    /// The later of `last-touch` and the newest outreach in the Log.
    pub last_outreach: Option<NaiveDate>,
    /// The newest interaction of any kind (outreach, reply, time together): the cadence
    /// counts from it.
    pub last_interaction: Option<NaiveDate>,
    /// The note lacks `met-date` or `context` ([`Contact::is_loose`]).
    pub loose: bool,
    /// Neither paused, snoozed nor let go.
    pub active: bool,
    /// The newest time together in the Log.
    pub last_together: Option<NaiveDate>,
    /// The later of `last-reply` and the newest reply in the Log.
    pub last_reply: Option<NaiveDate>,
    /// Replies and times together in the Log: how much of the link goes both ways.
    pub two_way: u32,
    /// Met two years ago or more, two or more replies or times together, never recommended:
    /// someone the essays say to recommend, whose work you know by now.
    pub worth_recommending: bool,
    /// The next birthday, today or after (a birthday needs no schedule to be listed, but
    /// kept here it is found without reading every note again).
    pub next_birthday: Option<NaiveDate>,
    /// Active and met (not loose): someone the pledge is for, counted in the quota and the
    /// coverage.
    pub in_pledge: bool,
    /// `None` when paused (`paused`, or `cadence: never`) or let go.
    pub due: Option<NaiveDate>,
    /// Days since the due date; 0 when not yet due or never due.
    pub days_past_due: i64,
    /// Active, reached at least once, and not yet due again.
    pub in_touch: bool,
    /// A new connection: active, never reached, met within `new-days`.
    pub is_new: bool,
    /// Distinct outreach dates after the last reply or time together (all of them when
    /// there was none).
    pub unanswered: u32,
    /// The first of those `unanswered` outreaches.
    pub unanswered_since: Option<NaiveDate>,
    /// A candidate to let go: active, `unanswered` reached `prune-after`, and the last of
    /// them is older than `grace-days`.
    pub is_unanswered: bool,
    /// `snooze-until` is after today.
    pub snoozed: bool,
    /// `paused`, or `cadence: never`.
    pub paused: bool,
    /// `let-go`: off the schedule for good, the note kept.
    pub let_go: bool,
}

/// A birthday in the coming week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Upcoming {
    /// Index into the contacts given to [`schedule`].
    pub contact: usize,
    pub date: NaiveDate,
    /// The age on `date`, when the birth year is known.
    pub turns: Option<i32>,
}

/// The counts `index.md` shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Stats {
    pub contacts: usize,
    pub active: usize,
    pub in_touch: usize,
    /// `in_touch / active`; 1.0 when nobody is active, since no pledge is broken.
    pub coverage: f64,
    /// Active contacts due today or earlier, not counting those reached today.
    pub due: usize,
    pub loose: usize,
    pub unanswered: usize,
    /// Contacts with a `recommended` date: recommendations written.
    pub recommendations: usize,
    pub new: usize,
    /// Contacts on today's list because they were reached today.
    pub reached_today: usize,
    pub paused: usize,
    /// Snoozed, and neither paused nor let go.
    pub snoozed: usize,
    pub let_go: usize,
    /// In the pledge, with a reply or time together in the past 365 days.
    pub both_ways: usize,
}

/// Plans `today` for `contacts`.
///
/// Today's list holds everyone reached today plus the first (quota − reached) due contacts in
/// [`due_order`], so ticking someone off never pulls a new person onto the list. A paused
/// contact reached today is left off the list: it has no due date and is outside the pledge.
pub fn schedule(contacts: &[Contact], settings: &Settings, today: NaiveDate) -> Schedule {
    plan(
        contacts,
        Arc::new(statuses(contacts, settings, today)),
        settings,
        today,
    )
}

/// Plans `today` for `contacts` from their `statuses` ([`status`] of each, in order), which
/// `watch` keeps from pass to pass for the contacts whose notes did not change.
pub fn schedule_from(
    contacts: &[Contact],
    statuses: Arc<Vec<Status>>,
    settings: &Settings,
    today: NaiveDate,
) -> Schedule {
    plan(contacts, statuses, settings, today)
}

fn plan(
    contacts: &[Contact],
    statuses: Arc<Vec<Status>>,
    settings: &Settings,
    today: NaiveDate,
) -> Schedule {
    debug_assert_eq!(statuses.len(), contacts.len());
    let mut reached = Vec::new();
    let mut queue = Vec::new();
    let mut unplaced = Vec::new();
    // Every count in the same pass over the statuses: `watch` plans after every edit, and
    // a pass over 30,000 statuses for each count added up.
    let mut tally = Stats {
        contacts: contacts.len(),
        ..Stats::default()
    };
    for (i, (status, contact)) in statuses.iter().zip(contacts).enumerate() {
        if status.reached_on(today) && status.due.is_some() {
            reached.push(i);
        } else if status.active && status.due.is_some_and(|due| due <= today) {
            if status.in_pledge {
                queue.push(i);
            } else {
                unplaced.push(i);
            }
        }
        let s = status;
        let recent = |d: Option<NaiveDate>| d.is_some_and(|d| (today - d).num_days() <= 365);
        for (count, is) in [
            (&mut tally.active, s.in_pledge),
            (&mut tally.in_touch, s.in_touch && s.in_pledge),
            (&mut tally.loose, s.loose),
            (&mut tally.unanswered, s.is_unanswered),
            (&mut tally.recommendations, contact.recommended.is_some()),
            (&mut tally.new, s.is_new),
            (&mut tally.paused, s.paused),
            (&mut tally.snoozed, s.snoozed && !s.paused && !s.let_go),
            (&mut tally.let_go, s.let_go),
            (
                &mut tally.both_ways,
                s.in_pledge && recent(s.last_reply.max(s.last_together)),
            ),
        ] {
            *count += usize::from(is);
        }
    }

    let active = tally.active;
    let is_workday = settings.is_workday(today);
    let pace = workday_quota(active, settings, today);
    let quota = if is_workday { pace } else { 0 };
    let due = queue.len();

    reached.sort_unstable_by(|&a, &b| by_name(&contacts[a], &contacts[b]).then(a.cmp(&b)));
    let room = quota.saturating_sub(reached.len()).min(due);
    let order = |a: &usize, b: &usize| due_order(contacts, &statuses, *a, *b);
    if room > 0 && room < due {
        // Only the picks need sorting; the rest of the queue just has to come after them.
        queue.select_nth_unstable_by(room - 1, order);
    }
    queue.truncate(room);
    queue.sort_unstable_by(order);

    let pick = |contact: usize, reached_today: bool| {
        let status = &statuses[contact];
        Pick {
            contact,
            reached_today,
            is_new: status.is_new,
            due: status.due.unwrap_or(today),
            days_past_due: status.days_past_due,
        }
    };
    let picks: Vec<Pick> = reached
        .iter()
        .map(|&i| pick(i, true))
        .chain(queue.iter().map(|&i| pick(i, false)))
        .collect();
    // Loose links are a decision to make (when and how did you meet?), a few a day, never
    // a quota of messages: an import of 30,000 connections adds 3 lines, not 228.
    let to_ask = if is_workday {
        usize::try_from(settings.loose_daily).unwrap_or(usize::MAX)
    } else {
        0
    };
    if to_ask > 0 && to_ask < unplaced.len() {
        unplaced.select_nth_unstable_by(to_ask - 1, order);
    }
    unplaced.truncate(to_ask);
    unplaced.sort_unstable_by(order);
    let to_place = unplaced.iter().map(|&i| pick(i, false)).collect();

    tally.coverage = ratio(tally.in_touch, active);
    tally.due = due;
    tally.reached_today = reached.len();

    Schedule {
        today,
        is_workday,
        next_workday: next_workday(settings, today),
        quota,
        caught_up_on: caught_up_on(settings, today, due, room, pace),
        birthdays: birthdays(contacts, &statuses, today),
        picks,
        to_place,
        statuses,
        stats: tally,
    }
}

/// Each contact's status, on all cores; a buffer per thread keeps the unanswered count
/// allocation-free.
fn statuses(contacts: &[Contact], settings: &Settings, today: NaiveDate) -> Vec<Status> {
    contacts
        .par_iter()
        .map_init(Vec::new, |scratch, contact| {
            status_with(contact, settings, today, scratch)
        })
        .collect()
}

/// [`status`], with a buffer the caller keeps from one contact to the next.
pub fn status_with(
    contact: &Contact,
    settings: &Settings,
    today: NaiveDate,
    scratch: &mut Vec<NaiveDate>,
) -> Status {
    status_of(contact, contact.last_outreach(), settings, today, scratch)
}

/// Where `contact` stands today, as [`schedule`] reports it in `statuses`.
pub fn status(contact: &Contact, settings: &Settings, today: NaiveDate) -> Status {
    status_of(
        contact,
        contact.last_outreach(),
        settings,
        today,
        &mut Vec::new(),
    )
}

/// The pace of the pledge, whether or not `today` is a workday: `daily` when set, else
/// ceil(`active` / workdays in one default cadence from `today`), at least 1 when anyone is
/// active. 500 contacts and six months from a Monday give 4.
pub fn workday_quota(active: usize, settings: &Settings, today: NaiveDate) -> usize {
    if let Some(daily) = settings.daily {
        return usize::try_from(daily).unwrap_or(usize::MAX);
    }
    if active == 0 {
        return 0;
    }
    // `Settings::parse` refuses a `never` default; fall back to the shipped default anyway.
    let span = match settings.cadence {
        Cadence::Every(span) => span,
        Cadence::Never => Span::Months(6),
    };
    let window = workdays_between(settings, today, span.after(today)).max(1);
    active.div_ceil(window)
}

/// The order of due contacts: new connections first, then most days past due, then by name
/// (case-insensitive, then exact), then by path and index so that the order is total.
pub fn due_order(contacts: &[Contact], statuses: &[Status], a: usize, b: usize) -> Ordering {
    let key = |i: usize| (!statuses[i].is_new, Reverse(statuses[i].days_past_due));
    key(a)
        .cmp(&key(b))
        .then_with(|| by_name(&contacts[a], &contacts[b]))
        .then(a.cmp(&b))
}

/// The number of workdays in `from..to_exclusive`, holidays not counted.
pub fn workdays_between(settings: &Settings, from: NaiveDate, to_exclusive: NaiveDate) -> usize {
    let days = (to_exclusive - from).num_days();
    let Ok(days) = usize::try_from(days) else {
        return 0;
    };
    // Counted by whole weeks so that a year-long cadence costs no more than a week-long one.
    let per_week = settings.workdays.iter().filter(|&&w| w).count();
    let first = weekday_index(from);
    let partial = (0..days % 7)
        .filter(|i| settings.workdays[(first + i) % 7])
        .count();
    let holidays = settings
        .holidays
        .range(from..to_exclusive)
        .filter(|&&h| settings.workdays[weekday_index(h)])
        .count();
    days / 7 * per_week + partial - holidays
}

/// The first workday strictly after `date`. With no workday at all (which `Settings::parse`
/// refuses) it is the day after.
pub fn next_workday(settings: &Settings, date: NaiveDate) -> NaiveDate {
    let after = date.succ_opt().unwrap_or(date);
    nth_workday(settings, after, 1).unwrap_or(after)
}

/// The `n`-th workday counting from `from` (inclusive, 1-based); `None` for `n == 0`, with no
/// workdays, or past the end of the calendar.
pub fn nth_workday(settings: &Settings, from: NaiveDate, n: usize) -> Option<NaiveDate> {
    let per_week = settings.workdays.iter().filter(|&&w| w).count();
    if n == 0 || per_week == 0 {
        return None;
    }
    let (mut day, mut left) = (from, n);
    // Leap whole weeks while they cannot overshoot: a week holds at most `per_week` workdays,
    // so `left` never drops below 1; holidays only make a leap count for less.
    loop {
        let weeks = (left - 1) / per_week;
        if weeks == 0 {
            break;
        }
        let next = day.checked_add_days(Days::new(u64::try_from(weeks).ok()?.checked_mul(7)?))?;
        left -= workdays_between(settings, day, next);
        day = next;
    }
    loop {
        if settings.is_workday(day) {
            left -= 1;
            if left == 0 {
                return Some(day);
            }
        }
        day = day.succ_opt()?;
    }
}

/// The workday on which the last of `due` contacts is reached, when `picked` of them are on
/// today's list and each later workday takes `pace` more. Today when the list already holds
/// them all; `None` when nobody is due.
pub fn caught_up_on(
    settings: &Settings,
    today: NaiveDate,
    due: usize,
    picked: usize,
    pace: usize,
) -> Option<NaiveDate> {
    if due == 0 || pace == 0 {
        return None;
    }
    let left = due.saturating_sub(picked);
    if left == 0 {
        return Some(today);
    }
    nth_workday(settings, next_workday(settings, today), left.div_ceil(pace))
}

fn status_of(
    contact: &Contact,
    last: Option<NaiveDate>,
    settings: &Settings,
    today: NaiveDate,
    scratch: &mut Vec<NaiveDate>,
) -> Status {
    let cadence = contact.cadence.unwrap_or(settings.cadence);
    let let_go = contact.let_go.is_some();
    let paused = !let_go && (cadence == Cadence::Never || contact.paused.is_some());
    let snoozed = contact.snooze_until.is_some_and(|until| until > today);
    let active = !paused && !snoozed && !let_go;
    // Off the schedule has no due date, whatever the cadence says.
    let cadence = if active || snoozed {
        cadence
    } else {
        Cadence::Never
    };
    let together = contact.last_together();
    let reply = contact.last_replied();
    let two_way = u32::try_from(
        contact
            .log
            .kinds()
            .filter(|&kind| kind != LogKind::Outreach)
            .count(),
    )
    .unwrap_or(u32::MAX);
    let interaction = last.max(reply).max(together);
    let due = due_from(cadence, interaction, contact.met_date, today);
    let new_days = i64::from(settings.new_days);
    let (unanswered, unanswered_since) = count_unanswered(contact, scratch);
    let loose = contact.is_loose();
    // A message needs time to be answered: the last one must be older than the grace.
    let waited =
        last.is_some_and(|last| (today - last).num_days() > i64::from(settings.grace_days));
    Status {
        last_outreach: last,
        last_interaction: interaction,
        last_together: together,
        last_reply: reply,
        two_way,
        worth_recommending: contact.recommended.is_none()
            && two_way >= 2
            && contact
                .met_date
                .is_some_and(|met| (today - met).num_days() >= 730),
        next_birthday: contact.birthday.map(|b| b.next_on_or_after(today)),
        loose,
        active,
        in_pledge: active && !loose,
        due,
        days_past_due: due.map_or(0, |due| (today - due).num_days().max(0)),
        in_touch: active && interaction.is_some() && due.is_some_and(|due| due > today),
        is_new: active
            && interaction.is_none()
            && contact
                .met_date
                .is_some_and(|met| (0..=new_days).contains(&(today - met).num_days())),
        unanswered,
        unanswered_since,
        is_unanswered: active && unanswered >= settings.prune_after && waited,
        snoozed,
        paused,
        let_go,
    }
}

impl Status {
    /// Reached on `day` by you: an outreach or time together, not only a reply of theirs.
    pub fn reached_on(&self, day: NaiveDate) -> bool {
        self.last_outreach == Some(day) || self.last_together == Some(day)
    }
}

fn due_from(
    cadence: Cadence,
    last: Option<NaiveDate>,
    met: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let Cadence::Every(span) = cadence else {
        return None;
    };
    Some(match (last, met) {
        (Some(last), _) => span.after(last), // calendar months: Aug 31 + 6 months = Feb 28
        (None, Some(met)) => met,
        (None, None) => today,
    })
}

/// Outreach dates after the last reply or time together, each day once (two Log lines and
/// `last-touch` on the same day are one outreach, not three), and the first of them.
fn count_unanswered(contact: &Contact, scratch: &mut Vec<NaiveDate>) -> (u32, Option<NaiveDate>) {
    let since = contact.last_answer();
    scratch.clear();
    scratch.extend(
        contact
            .log
            .dates_of_after(LogKind::Outreach, since)
            .chain(contact.last_touch.filter(|&d| Some(d) > since)),
    );
    scratch.sort_unstable();
    scratch.dedup();
    (
        u32::try_from(scratch.len()).unwrap_or(u32::MAX),
        scratch.first().copied(),
    )
}

fn birthdays(contacts: &[Contact], statuses: &[Status], today: NaiveDate) -> Vec<Upcoming> {
    // A week is seven days: today and the six after it.
    let horizon = today
        .checked_add_days(Days::new(6))
        .unwrap_or(NaiveDate::MAX);
    let mut upcoming: Vec<Upcoming> = statuses
        .iter()
        .enumerate()
        .filter_map(|(contact, s)| {
            let date = s.next_birthday.filter(|&date| date <= horizon)?;
            Some(Upcoming {
                contact,
                date,
                // A birth year after the birthday is a typo, not an age.
                turns: contacts[contact]
                    .birthday?
                    .year
                    .map(|year| date.year() - year)
                    .filter(|&age| age >= 0),
            })
        })
        .collect();
    upcoming.sort_unstable_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then_with(|| by_name(&contacts[a.contact], &contacts[b.contact]))
            .then(a.contact.cmp(&b.contact))
    });
    upcoming
}

/// Name order as people expect it (`ada` beside `Ada`), made total by the exact name and path.
fn by_name(a: &Contact, b: &Contact) -> Ordering {
    folded(&a.name)
        .cmp(folded(&b.name))
        .then_with(|| a.name.cmp(&b.name))
        .then_with(|| a.path.cmp(&b.path))
}

/// Lowercased without allocating: names are compared O(n log n) times per render.
fn folded(name: &str) -> impl Iterator<Item = char> + '_ {
    name.chars().flat_map(char::to_lowercase)
}

fn weekday_index(date: NaiveDate) -> usize {
    date.weekday().num_days_from_monday() as usize
}

#[allow(
    clippy::cast_precision_loss,
    reason = "contact counts stay far below 2^52, where f64 is exact"
)]
fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Birthday, LogEntry};

    const SIX_MONTHS: Cadence = Cadence::Every(Span::Months(6));

    /// When `contact` is due on [`MONDAY`] with the default cadence of six months.
    fn due_of(contact: &Contact) -> Option<NaiveDate> {
        let settings = Settings {
            cadence: SIX_MONTHS,
            ..Settings::default()
        };
        status(contact, &settings, date(MONDAY)).due
    }
    const MONDAY: &str = "2026-03-02";

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Someone you met (a note with `met-date` and `context`): in the pledge.
    fn met(name: &str) -> Contact {
        let mut c = Contact::named(name);
        c.met_date = Some(date("2020-01-01"));
        c.context = Some("a test".into());
        c
    }

    fn touched(name: &str, last: &str) -> Contact {
        let mut c = met(name);
        c.last_touch = Some(date(last));
        c
    }

    fn entry(day: &str, kind: LogKind) -> LogEntry {
        LogEntry {
            date: date(day),
            kind,
            text: "".into(),
            line: 0,
        }
    }

    fn with_daily(daily: u32) -> Settings {
        Settings {
            daily: Some(daily),
            ..Settings::default()
        }
    }

    fn names(contacts: &[Contact], plan: &Schedule) -> Vec<String> {
        plan.picks
            .iter()
            .map(|p| contacts[p.contact].name.to_string())
            .collect()
    }

    #[test]
    fn workdays_skip_weekends_and_holidays() {
        // (today, holidays, is a workday, next workday)
        for (today, holidays, is_workday, next) in [
            ("2026-03-07", &[][..], false, "2026-03-09"), // Saturday → Monday
            ("2026-03-08", &[], false, "2026-03-09"),     // Sunday → Monday
            ("2026-03-06", &["2026-03-09"][..], true, "2026-03-10"), // Friday before a holiday Monday
            ("2026-03-02", &[], true, "2026-03-03"),
            (
                "2026-12-24",
                &["2026-12-25", "2026-12-28"],
                true,
                "2026-12-29",
            ),
            ("2026-03-09", &["2026-03-09"], false, "2026-03-10"), // a holiday is no workday
        ] {
            let settings = Settings {
                holidays: holidays.iter().map(|h| date(h)).collect(),
                ..Settings::default()
            };
            let plan = schedule(&[], &settings, date(today));
            assert_eq!(plan.is_workday, is_workday, "{today}");
            assert_eq!(plan.next_workday, date(next), "{today}");
        }
    }

    #[test]
    fn workdays_are_counted_by_weeks_and_holidays() {
        let settings = Settings {
            holidays: [date("2026-03-04"), date("2026-03-07")].into(),
            ..Settings::default()
        };
        // (from, to exclusive, workdays): the Saturday holiday is no workday to lose.
        for (from, to, expected) in [
            ("2026-03-02", "2026-03-02", 0),
            ("2026-03-02", "2026-03-01", 0),
            ("2026-03-02", "2026-03-09", 4),
            ("2026-03-05", "2026-03-10", 3),
            ("2026-03-09", "2026-09-09", 132),
        ] {
            assert_eq!(
                workdays_between(&settings, date(from), date(to)),
                expected,
                "{from}..{to}"
            );
        }
    }

    #[test]
    fn the_nth_workday_leaps_weeks_and_steps_over_holidays() {
        let settings = Settings {
            holidays: [date("2026-03-04"), date("2026-12-25")].into(),
            ..Settings::default()
        };
        for (from, n, expected) in [
            ("2026-03-02", 1, Some("2026-03-02")),
            ("2026-03-07", 1, Some("2026-03-09")),
            ("2026-03-02", 3, Some("2026-03-05")),
            ("2026-03-02", 5, Some("2026-03-09")),
            ("2026-03-02", 0, None),
        ] {
            assert_eq!(
                nth_workday(&settings, date(from), n),
                expected.map(date),
                "{from} #{n}"
            );
        }
        // A long leap agrees with walking day by day.
        let mut walked = date("2026-03-02");
        let mut left = 400;
        loop {
            if settings.is_workday(walked) {
                left -= 1;
                if left == 0 {
                    break;
                }
            }
            walked = walked.succ_opt().unwrap();
        }
        assert_eq!(
            nth_workday(&settings, date("2026-03-02"), 400),
            Some(walked)
        );
    }

    #[test]
    fn the_quota_paces_the_pledge_on_workdays_only() {
        // (active, daily, today, quota)
        for (active, daily, today, quota) in [
            (500, None, MONDAY, 4), // 132 workdays in six months from this Monday
            (132, None, MONDAY, 1),
            (133, None, MONDAY, 2),
            (1, None, MONDAY, 1),
            (0, None, MONDAY, 0),
            (500, None, "2026-03-07", 0), // Saturday
            (500, Some(7), MONDAY, 7),
            (3, Some(7), MONDAY, 7),
            (500, Some(7), "2026-03-08", 0), // Sunday
        ] {
            let settings = Settings {
                daily,
                ..Settings::default()
            };
            let contacts: Vec<Contact> = (0..active)
                .map(|i| touched(&format!("C{i:03}"), "2025-01-01"))
                .collect();
            assert_eq!(
                schedule(&contacts, &settings, date(today)).quota,
                quota,
                "{active} active, daily {daily:?}, {today}"
            );
        }
    }

    #[test]
    fn five_hundred_active_contacts_give_four_a_day_from_a_monday() {
        let contacts: Vec<Contact> = (0..500)
            .map(|i| touched(&format!("C{i:03}"), "2025-01-01"))
            .collect();
        let plan = schedule(&contacts, &Settings::default(), date(MONDAY));
        assert_eq!((plan.quota, plan.picks.len()), (4, 4));
        assert_eq!(names(&contacts, &plan), ["C000", "C001", "C002", "C003"]);
        assert_eq!(plan.stats.due, 500);
    }

    #[test]
    fn due_dates_follow_the_last_outreach_and_the_cadence() {
        // (last touch, met, own cadence, due)
        for (last, met, cadence, due) in [
            (Some("2025-08-31"), None, None, Some("2026-02-28")),
            (
                Some("2026-01-10"),
                None,
                Some("2 weeks"),
                Some("2026-01-24"),
            ),
            (Some("2024-02-29"), None, Some("1 year"), Some("2025-02-28")),
            (None, Some("2026-01-15"), None, Some("2026-01-15")), // never touched: due on met-date
            (None, None, None, Some(MONDAY)),                     // no dates: due today
            (Some("2026-01-10"), None, Some("never"), None),
        ] {
            let mut ada = Contact::named("Ada");
            ada.last_touch = last.map(date);
            ada.met_date = met.map(date);
            ada.cadence = cadence.map(|c| c.parse().unwrap());
            assert_eq!(due_of(&ada), due.map(date), "{last:?} {met:?} {cadence:?}");
        }
    }

    #[test]
    fn the_newest_log_outreach_counts_when_later_than_last_touch() {
        let mut ada = touched("Ada", "2025-01-01");
        ada.log = [entry("2025-08-31", LogKind::Outreach)]
            .into_iter()
            .collect();
        assert_eq!(due_of(&ada), Some(date("2026-02-28")));
    }

    /// Issue 13: unanswered counts outreaches since the last reply or time together, and
    /// only once the last of them has had `grace-days` to be answered; paused and snoozed
    /// people are never candidates to let go.
    #[test]
    fn unanswered_waits_for_the_grace_and_resets_on_any_answer() {
        /// (entries, cadence, snoozed until, unanswered, since, candidate)
        type Case = (
            &'static [(&'static str, LogKind)],
            Option<&'static str>,
            Option<&'static str>,
            u32,
            Option<&'static str>,
            bool,
        );
        let settings = Settings::default(); // prune after 2, grace 14 days
        let cases: [Case; 8] = [
            (
                &[
                    ("2026-01-05", LogKind::Outreach),
                    ("2026-02-01", LogKind::Outreach),
                ],
                None,
                None,
                2,
                Some("2026-01-05"),
                true,
            ),
            // A follow-up a day after the first message: not yet unanswered.
            (
                &[
                    ("2026-02-26", LogKind::Outreach),
                    ("2026-02-27", LogKind::Outreach),
                ],
                None,
                None,
                2,
                Some("2026-02-26"),
                false,
            ),
            // The grace is counted from the last message: 14 days ago is still within it.
            (
                &[
                    ("2026-01-05", LogKind::Outreach),
                    ("2026-02-16", LogKind::Outreach),
                ],
                None,
                None,
                2,
                Some("2026-01-05"),
                false,
            ),
            (
                &[
                    ("2026-01-05", LogKind::Outreach),
                    ("2026-02-15", LogKind::Outreach),
                ],
                None,
                None,
                2,
                Some("2026-01-05"),
                true,
            ),
            // A coffee or a reply answers every message before it.
            (
                &[
                    ("2026-01-05", LogKind::Outreach),
                    ("2026-01-20", LogKind::Together),
                    ("2026-02-01", LogKind::Outreach),
                ],
                None,
                None,
                1,
                Some("2026-02-01"),
                false,
            ),
            (
                &[
                    ("2026-01-05", LogKind::Outreach),
                    ("2026-01-06", LogKind::Outreach),
                    ("2026-01-07", LogKind::Reply),
                ],
                None,
                None,
                0,
                None,
                false,
            ),
            (
                &[
                    ("2026-01-05", LogKind::Outreach),
                    ("2026-02-01", LogKind::Outreach),
                ],
                Some("never"),
                None,
                2,
                Some("2026-01-05"),
                false,
            ),
            (
                &[
                    ("2026-01-05", LogKind::Outreach),
                    ("2026-02-01", LogKind::Outreach),
                ],
                None,
                Some("2026-04-01"),
                2,
                Some("2026-01-05"),
                false,
            ),
        ];
        for (entries, cadence, snooze, unanswered, since, candidate) in cases {
            let mut ada = met("Ada");
            ada.log = entries.iter().map(|&(d, k)| entry(d, k)).collect();
            ada.cadence = cadence.map(|c| c.parse().unwrap());
            ada.snooze_until = snooze.map(date);
            let s = status(&ada, &settings, date(MONDAY));
            assert_eq!(
                (s.unanswered, s.unanswered_since, s.is_unanswered),
                (unanswered, since.map(date), candidate),
                "{entries:?} {cadence:?} {snooze:?}"
            );
        }
    }

    /// Issue 13: 1,000 imported connections beside 500 people you met leave the quota at 4,
    /// and today's list holds at most `loose-daily` of them, apart.
    #[test]
    fn loose_links_stay_outside_the_quota_and_the_coverage() {
        let mut contacts: Vec<Contact> = (0..500)
            .map(|i| touched(&format!("Met {i:03}"), "2025-01-01"))
            .collect();
        contacts.extend((0..1000).map(|i| Contact::named(&format!("Imported {i:04}"))));
        contacts.sort_by(|a, b| a.path.cmp(&b.path));
        let plan = schedule(&contacts, &Settings::default(), date(MONDAY));
        assert_eq!(plan.quota, 4);
        assert_eq!(plan.picks.len(), 4);
        assert!(plan.picks.iter().all(|p| !contacts[p.contact].is_loose()));
        assert_eq!(plan.to_place.len(), 3);
        assert!(plan.to_place.iter().all(|p| contacts[p.contact].is_loose()));
        assert_eq!(
            (plan.stats.active, plan.stats.loose, plan.stats.due),
            (500, 1000, 500)
        );
        let saturday = schedule(&contacts, &Settings::default(), date("2026-03-07"));
        assert!(saturday.picks.is_empty() && saturday.to_place.is_empty());
        let none = Settings {
            loose_daily: 0,
            ..Settings::default()
        };
        assert!(schedule(&contacts, &none, date(MONDAY)).to_place.is_empty());
    }

    /// Issue 13: a reply or a coffee is contact too; the cadence counts from the latest
    /// interaction of any kind.
    #[test]
    fn due_dates_follow_the_latest_interaction_of_any_kind() {
        for (kind, day, due) in [
            (LogKind::Reply, "2025-12-01", "2026-06-01"),
            (LogKind::Together, "2025-11-15", "2026-05-15"),
            (LogKind::Outreach, "2025-10-01", "2026-04-01"),
            // Older than `last-touch`: the key still counts.
            (LogKind::Together, "2024-12-01", "2025-07-01"),
        ] {
            let mut ada = touched("Ada", "2025-01-01");
            ada.log = [entry(day, kind)].into_iter().collect();
            assert_eq!(due_of(&ada), Some(date(due)), "{kind:?} {day}");
        }
    }

    #[test]
    fn paused_and_snoozed_contacts_are_inactive() {
        // (cadence, snooze until, active, paused, snoozed)
        for (cadence, snooze, active, paused, snoozed) in [
            (None, None, true, false, false),
            (Some("never"), None, false, true, false),
            (None, Some("2026-03-03"), false, false, true),
            (None, Some(MONDAY), true, false, false), // a snooze ending today is over
            (None, Some("2026-01-01"), true, false, false),
            (Some("never"), Some("2026-04-01"), false, true, true),
        ] {
            let mut ada = touched("Ada", "2025-01-01");
            ada.cadence = cadence.map(|c| c.parse().unwrap());
            ada.snooze_until = snooze.map(date);
            let s = status(&ada, &Settings::default(), date(MONDAY));
            assert_eq!(
                (s.active, s.paused, s.snoozed),
                (active, paused, snoozed),
                "{cadence:?} {snooze:?}"
            );
        }
        let mut paused = touched("Pat", "2025-01-01");
        paused.cadence = Some(Cadence::Never);
        let mut snoozed = touched("Sam", "2025-01-01");
        snoozed.snooze_until = Some(date("2026-04-01"));
        let plan = schedule(&[paused, snoozed], &Settings::default(), date(MONDAY));
        assert!(plan.picks.is_empty());
        assert_eq!((plan.stats.active, plan.stats.due, plan.quota), (0, 0, 0));
    }

    #[test]
    fn reached_today_contacts_count_against_the_quota() {
        let contacts = [
            touched("Zoe", "2025-05-01"),
            touched("Yan", MONDAY),
            touched("Bea", "2025-06-01"),
            touched("Xia", MONDAY),
            touched("Cid", "2025-04-01"),
            touched("Dan", "2025-07-01"),
        ];
        let plan = schedule(&contacts, &with_daily(4), date(MONDAY));
        assert_eq!(names(&contacts, &plan), ["Xia", "Yan", "Cid", "Zoe"]);
        let ticked: Vec<bool> = plan.picks.iter().map(|p| p.reached_today).collect();
        assert_eq!(ticked, [true, true, false, false]);
        assert_eq!(plan.stats.reached_today, 2);
        assert_eq!(plan.stats.due, 4);
        assert_eq!(plan.picks[0].days_past_due, 0);
        assert_eq!(plan.picks[0].due, date("2026-09-02"));

        // Reaching more than the quota shows them all and picks nobody new.
        let plan = schedule(&contacts, &with_daily(1), date(MONDAY));
        assert_eq!(names(&contacts, &plan), ["Xia", "Yan"]);
    }

    #[test]
    fn off_days_show_who_was_reached_but_pick_nobody() {
        let contacts = [touched("Ada", "2026-03-07"), touched("Bob", "2025-01-01")];
        let plan = schedule(&contacts, &with_daily(4), date("2026-03-07"));
        assert_eq!(plan.quota, 0);
        assert_eq!(names(&contacts, &plan), ["Ada"]);
    }

    #[test]
    fn new_connections_come_first_then_days_past_due_then_name() {
        let met = |name: &str, day: &str| {
            let mut c = met(name);
            c.met_date = Some(date(day));
            c
        };
        let mut twin = touched("bob", "2025-08-01");
        twin.path = "Work/bob.md".into();
        let contacts = [
            touched("Bob", "2025-08-01"),   // 29 past due
            touched("amy", "2025-08-01"),   // 29 past due, sorts before Bob
            touched("Old", "2025-05-01"),   // 121 past due
            met("Newer", "2026-02-25"),     // new, 5 past due
            met("Newest", MONDAY),          // new, due today
            met("Stale", "2025-12-01"),     // met too long ago to be new: 91 past due
            twin,                           // `bob` after `Bob`
            touched("Fresh", "2026-01-01"), // not due
        ];
        let plan = schedule(&contacts, &with_daily(10), date(MONDAY));
        assert_eq!(
            names(&contacts, &plan),
            ["Newer", "Newest", "Old", "Stale", "amy", "Bob", "bob"]
        );
        let news: Vec<bool> = plan.picks.iter().map(|p| p.is_new).collect();
        assert_eq!(news, [true, true, false, false, false, false, false]);
        let late: Vec<i64> = plan.picks.iter().map(|p| p.days_past_due).collect();
        assert_eq!(late, [5, 0, 121, 91, 29, 29, 29]);
        assert_eq!((plan.stats.new, plan.stats.due), (2, 7));

        // A partial selection picks the same head of the queue.
        let plan = schedule(&contacts, &with_daily(3), date(MONDAY));
        assert_eq!(names(&contacts, &plan), ["Newer", "Newest", "Old"]);
    }

    #[test]
    fn unanswered_counts_outreach_days_since_the_last_reply() {
        use LogKind::{Outreach, Reply};
        // (last touch, last reply key, log, unanswered)
        for (last, replied, log, count) in [
            (None, None, &[][..], 0),
            (Some("2026-01-01"), None, &[][..], 1),
            (
                Some("2026-02-01"),
                None,
                &[("2026-01-01", Outreach), ("2026-02-01", Outreach)][..],
                2, // `last-touch` and the Log line on the same day are one outreach
            ),
            (
                Some("2026-02-01"),
                Some("2026-01-15"),
                &[("2026-01-01", Outreach)][..],
                1,
            ),
            (
                None,
                None,
                &[
                    ("2025-10-01", Outreach),
                    ("2025-11-01", Reply),
                    ("2025-12-01", Outreach),
                    ("2026-01-01", Outreach),
                    ("2026-02-01", Outreach),
                ][..],
                3,
            ),
            (
                Some("2026-02-01"),
                None,
                &[("2026-02-01", Reply)][..],
                0, // an outreach on the day of the reply was answered
            ),
        ] {
            let mut ada = met("Ada");
            ada.last_touch = last.map(date);
            ada.last_reply = replied.map(date);
            ada.log = log.iter().map(|&(d, k)| entry(d, k)).collect();
            let s = status(&ada, &Settings::default(), date(MONDAY));
            assert_eq!(s.unanswered, count, "{last:?} {replied:?} {log:?}");
            assert_eq!(s.is_unanswered, count >= 2, "{last:?} {replied:?} {log:?}");
        }
    }

    #[test]
    fn coverage_is_in_touch_over_active() {
        let mut paused = touched("Pat", "2026-01-01");
        paused.cadence = Some(Cadence::Never);
        let contacts = [
            touched("Ada", "2026-01-01"), // in touch
            touched("Bob", "2025-01-01"), // due
            met("Cy"),                    // never reached: not in touch
            touched("Dee", MONDAY),       // reached today: in touch
            paused,
        ];
        let plan = schedule(&contacts, &Settings::default(), date(MONDAY));
        let s = plan.stats;
        assert_eq!((s.contacts, s.active, s.in_touch), (5, 4, 2));
        assert!((s.coverage - 0.5).abs() < f64::EPSILON);
        let touch: Vec<bool> = plan.statuses.iter().map(|s| s.in_touch).collect();
        assert_eq!(touch, [true, false, false, true, false]);
        assert!(
            (schedule(&[], &Settings::default(), date(MONDAY))
                .stats
                .coverage
                - 1.0)
                .abs()
                < f64::EPSILON
        );
    }

    #[test]
    fn the_counts_of_one_pass_are_those_of_each_rule_counted_alone() {
        let mark = || Some(crate::model::Mark { since: None });
        let mut contacts = Vec::new();
        for i in 0..64u32 {
            let mut c = touched(
                &format!("P{i:02}"),
                ["2026-01-01", "2024-05-01", MONDAY][i as usize % 3],
            );
            c.met_date = (i % 5 != 0).then(|| date("2024-01-01"));
            c.context = (i % 7 != 0).then(|| "PyCon".into());
            c.last_reply = (i % 4 == 0).then(|| date(["2025-12-01", "2024-01-01"][i as usize % 2]));
            c.paused = (i % 6 == 0).then(mark).flatten();
            c.let_go = (i % 9 == 0).then(mark).flatten();
            c.snooze_until = (i % 8 == 0).then(|| date("2026-12-31"));
            c.recommended = (i % 10 == 0).then(|| date("2025-06-01"));
            contacts.push(c);
        }
        let today = date(MONDAY);
        let plan = schedule(&contacts, &Settings::default(), today);
        let count =
            |rule: &dyn Fn(&Status) -> bool| plan.statuses.iter().filter(|s| rule(s)).count();
        let recent = |d: Option<NaiveDate>| d.is_some_and(|d| (today - d).num_days() <= 365);
        let s = plan.stats;
        assert_eq!(s.active, count(&|s| s.in_pledge));
        assert_eq!(s.in_touch, count(&|s| s.in_touch && s.in_pledge));
        assert_eq!(s.loose, count(&|s| s.loose));
        assert_eq!(s.unanswered, count(&|s| s.is_unanswered));
        assert_eq!(s.new, count(&|s| s.is_new));
        assert_eq!(s.paused, count(&|s| s.paused));
        assert_eq!(s.snoozed, count(&|s| s.snoozed && !s.paused && !s.let_go));
        assert_eq!(s.let_go, count(&|s| s.let_go));
        assert_eq!(
            s.both_ways,
            count(&|s| s.in_pledge && recent(s.last_reply.max(s.last_together)))
        );
        assert_eq!(s.recommendations, 7);
        // Each kind is there to be counted.
        for n in [
            s.active,
            s.in_touch,
            s.loose,
            s.paused,
            s.snoozed,
            s.let_go,
            s.both_ways,
        ] {
            assert!(n > 0 && n < contacts.len(), "{s:?}");
        }
    }

    #[test]
    fn loose_links_and_recommendations_are_counted() {
        let mut whole = touched("Ada", "2026-01-01");
        whole.met_date = Some(date("2025-01-01"));
        whole.context = Some("PyCon".into());
        whole.recommended = Some(date("2025-06-01"));
        let mut blank = touched("Bob", "2026-01-01");
        blank.met_date = Some(date("2025-01-01"));
        blank.context = Some("  ".into());
        let plan = schedule(
            &[whole, blank, Contact::named("Cy")],
            &Settings::default(),
            date(MONDAY),
        );
        assert_eq!((plan.stats.loose, plan.stats.recommendations), (2, 1));
    }

    #[test]
    fn birthdays_in_the_coming_week_wrap_the_year_and_honour_feb_29() {
        let born = |name: &str, year: Option<i32>, month: u32, day: u32| {
            let mut c = met(name);
            c.birthday = Some(Birthday { year, month, day });
            c
        };
        let contacts = [
            born("Jan", Some(1990), 1, 3),
            born("Eve", None, 12, 31),
            born("Leap", Some(2000), 2, 29),
            born("Far", None, 1, 5),
            born("ada", None, 12, 31),
            born("Today", Some(1980), 12, 28),
            born("Gone", None, 12, 27),
        ];
        // (today, expected (name, date, turns))
        for (today, expected) in [
            (
                "2026-12-28",
                &[
                    ("Today", "2026-12-28", Some(46)),
                    ("ada", "2026-12-31", None),
                    ("Eve", "2026-12-31", None),
                    ("Jan", "2027-01-03", Some(37)),
                ][..],
            ),
            ("2027-02-25", &[("Leap", "2027-02-28", Some(27))][..]),
            ("2028-02-25", &[("Leap", "2028-02-29", Some(28))][..]),
        ] {
            let plan = schedule(&contacts, &Settings::default(), date(today));
            let got: Vec<(&str, NaiveDate, Option<i32>)> = plan
                .birthdays
                .iter()
                .map(|u| (contacts[u.contact].name.as_ref(), u.date, u.turns))
                .collect();
            let want: Vec<(&str, NaiveDate, Option<i32>)> =
                expected.iter().map(|&(n, d, t)| (n, date(d), t)).collect();
            assert_eq!(got, want, "{today}");
        }
    }

    #[test]
    fn caught_up_on_counts_today_and_the_pace_of_later_workdays() {
        // (today, daily, due, reached today, caught up on)
        for (today, daily, due, reached, expected) in [
            (MONDAY, 4, 0, 0, None),
            (MONDAY, 4, 3, 0, Some(MONDAY)), // all on today's list
            (MONDAY, 4, 4, 0, Some(MONDAY)),
            (MONDAY, 4, 5, 0, Some("2026-03-03")), // one left for Tuesday
            (MONDAY, 4, 4, 2, Some("2026-03-03")), // two reached today leave room for two
            (MONDAY, 4, 20, 0, Some("2026-03-06")),
            (MONDAY, 4, 21, 0, Some("2026-03-09")), // over the weekend
            ("2026-03-07", 4, 4, 0, Some("2026-03-09")), // Saturday: from Monday
            ("2026-03-07", 4, 5, 0, Some("2026-03-10")),
        ] {
            let mut contacts: Vec<Contact> = (0..due)
                .map(|i| touched(&format!("D{i}"), "2025-01-01"))
                .collect();
            contacts.extend((0..reached).map(|i| touched(&format!("R{i}"), today)));
            let plan = schedule(&contacts, &with_daily(daily), date(today));
            assert_eq!(
                plan.caught_up_on,
                expected.map(date),
                "{today} daily {daily}, {due} due, {reached} reached"
            );
        }
    }

    #[test]
    fn caught_up_on_uses_the_computed_pace_on_weekends() {
        // 260 active from a Saturday: 130 workdays in six months give a pace of 2 a day.
        let contacts: Vec<Contact> = (0..260)
            .map(|i| touched(&format!("C{i:03}"), "2025-01-01"))
            .collect();
        let plan = schedule(&contacts, &Settings::default(), date("2026-03-07"));
        assert_eq!(plan.quota, 0);
        assert_eq!(
            plan.caught_up_on,
            nth_workday(&Settings::default(), date("2026-03-09"), 130)
        );
    }
}
