//! What the templates see: the vault and its schedule, computed; templates only format.
//!
//! Dates are passed as `YYYY-MM-DD` strings, so template filters (`ago`, `long_date`…) and
//! user templates can format them as they like.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::Settings;
use crate::contact::{Contact, LogKind};
use crate::dates::format_date;
use crate::error::{Severity, slash_path};
use crate::schedule::{Schedule, Status};
use crate::vault::Vault;

/// One contact as templates see it.
#[allow(
    clippy::struct_excessive_bools,
    reason = "each flag is a fact templates test on its own"
)]
#[derive(Debug, Clone, Serialize)]
pub struct Person<'a> {
    pub name: &'a str,
    /// What a greeting starts with: the first word of a spaced name, else the whole name.
    pub first_name: &'a str,
    /// Vault-relative path with `/`.
    pub path: String,
    /// What a wikilink must name to reach this note: the stem, or the path without `.md`
    /// when another note shares the stem.
    pub target: String,
    pub aliases: &'a [String],
    pub company: Option<&'a str>,
    pub role: Option<&'a str>,
    pub email: Option<&'a str>,
    pub linkedin: Option<&'a str>,
    pub context: Option<&'a str>,
    pub tags: &'a [String],
    pub met: Option<String>,
    pub last_outreach: Option<String>,
    pub last_reply: Option<String>,
    /// The newest Log entry: what you last noted.
    pub last_note: Option<LastNote<'a>>,
    pub recommended: Option<String>,
    pub snooze_until: Option<String>,
    pub cadence: String,
    pub due: Option<String>,
    pub days_past_due: i64,
    pub active: bool,
    pub paused: bool,
    pub snoozed: bool,
    pub in_touch: bool,
    pub is_new: bool,
    pub is_loose: bool,
    /// Outreaches since the last reply.
    pub unanswered: u32,
    pub is_unanswered: bool,
    /// Every other front-matter key, in the note's order.
    pub extra: Extra<'a>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LastNote<'a> {
    pub date: String,
    pub kind: LogKind,
    /// The entry's text as written: `replied — yes to coffee`.
    pub text: &'a str,
    /// The text without its leading `replied` / `reached out` and separator: `yes to coffee`.
    pub summary: &'a str,
}

/// `replied — yes to coffee` → `yes to coffee`; other text is kept.
fn summary(text: &str) -> &str {
    let lower = text.to_lowercase();
    for verb in ["replied", "reached out"] {
        if lower.starts_with(verb) && text.is_char_boundary(verb.len()) {
            return text[verb.len()..].trim_start_matches([' ', '—', '–', '-', ':', ',']);
        }
    }
    text
}

/// The note's other keys, serialised as a map in their original order.
#[derive(Debug, Clone)]
pub struct Extra<'a>(&'a [(String, yaml_serde::Value)]);

impl Serialize for Extra<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// Builds [`Person`]s, knowing which stems are shared by several notes.
pub struct People<'a> {
    contacts: &'a [Contact],
    statuses: &'a [Status],
    settings: &'a Settings,
    shared_stems: &'a std::collections::HashSet<String>,
}

impl<'a> People<'a> {
    pub fn new(vault: &'a Vault, schedule: &'a Schedule, settings: &'a Settings) -> Self {
        People {
            contacts: &vault.contacts,
            statuses: &schedule.statuses,
            settings,
            shared_stems: &vault.shared_stems,
        }
    }

    pub fn person(&self, index: usize) -> Person<'a> {
        let c = &self.contacts[index];
        let s = &self.statuses[index];
        let path = slash_path(&c.path);
        let target = if self.shared_stems.contains(&crate::vault::stem_key(&c.path)) {
            path.strip_suffix(".md").unwrap_or(&path).to_owned()
        } else {
            c.stem.clone()
        };
        Person {
            name: &c.name,
            first_name: first_name(&c.name),
            path,
            target,
            aliases: &c.aliases,
            company: c.company.as_deref(),
            role: c.role.as_deref(),
            email: c.email.as_deref(),
            linkedin: c.linkedin.as_deref(),
            context: c.context.as_deref(),
            tags: &c.tags,
            met: c.met_date.map(format_date),
            last_outreach: c.last_outreach().map(format_date),
            last_reply: c.last_replied().map(format_date),
            last_note: c.last_entry().map(|e| LastNote {
                date: format_date(e.date),
                kind: e.kind,
                text: &e.text,
                summary: summary(&e.text),
            }),
            recommended: c.recommended.map(format_date),
            snooze_until: c.snooze_until.map(format_date),
            cadence: c.cadence.unwrap_or(self.settings.cadence).to_string(),
            due: s.due.map(format_date),
            days_past_due: s.days_past_due,
            active: s.active,
            paused: s.paused,
            snoozed: s.snoozed,
            in_touch: s.in_touch,
            is_new: s.is_new,
            is_loose: c.is_loose(),
            unanswered: s.unanswered,
            is_unanswered: s.is_unanswered,
            extra: Extra(&c.extra),
        }
    }
}

fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

/// The counts both notes show.
#[derive(Debug, Clone, Serialize)]
pub struct StatsView {
    pub contacts: usize,
    pub active: usize,
    pub paused: usize,
    pub snoozed: usize,
    pub in_touch: usize,
    /// Whole percent, rounded down so 99.6% never shows as 100%.
    pub coverage: u32,
    pub due: usize,
    pub new: usize,
    pub loose: usize,
    pub unanswered: usize,
    pub recommendations: usize,
    pub reached_today: usize,
    /// Notes with errors: not read, or not fully.
    pub problems: usize,
    /// Duplicate names, sync twins: worth a look, listed by `check`.
    pub warnings: usize,
}

fn stats(vault: &Vault, schedule: &Schedule) -> StatsView {
    let st = &schedule.stats;
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a percentage in 0..=100"
    )]
    let coverage = (st.coverage * 100.0).floor() as u32;
    StatsView {
        contacts: st.contacts,
        active: st.active,
        paused: schedule.statuses.iter().filter(|s| s.paused).count(),
        snoozed: schedule
            .statuses
            .iter()
            .filter(|s| s.snoozed && !s.paused)
            .count(),
        in_touch: st.in_touch,
        coverage,
        due: st.due,
        new: st.new,
        loose: st.loose,
        unanswered: st.unanswered,
        recommendations: st.recommendations,
        reached_today: st.reached_today,
        problems: vault
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count(),
        warnings: vault
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
            .count(),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PickView<'a> {
    #[serde(flatten)]
    pub person: Person<'a>,
    pub reached: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct BirthdayView<'a> {
    #[serde(flatten)]
    pub person: Person<'a>,
    pub date: String,
    pub in_days: i64,
    pub turns: Option<i32>,
}

/// Everything `today.md` shows.
#[derive(Debug, Clone, Serialize)]
pub struct TodayView<'a> {
    pub date: String,
    pub is_workday: bool,
    pub next_workday: String,
    pub quota: usize,
    /// The quota of a workday, also on days off (for "at 4 a workday…").
    pub daily: usize,
    /// The index note's wikilink target.
    pub index_note: String,
    pub picks: Vec<PickView<'a>>,
    /// Picks not yet ticked.
    pub open: usize,
    pub birthdays: Vec<BirthdayView<'a>>,
    pub stats: StatsView,
    pub caught_up_on: Option<String>,
}

pub fn today_view<'a>(
    vault: &'a Vault,
    schedule: &'a Schedule,
    settings: &'a Settings,
) -> TodayView<'a> {
    let people = People::new(vault, schedule, settings);
    let picks: Vec<PickView> = schedule
        .picks
        .iter()
        .map(|p| PickView {
            person: people.person(p.contact),
            reached: p.reached_today,
        })
        .collect();
    TodayView {
        date: format_date(schedule.today),
        is_workday: schedule.is_workday,
        next_workday: format_date(schedule.next_workday),
        quota: schedule.quota,
        daily: workday_quota(schedule, settings),
        index_note: settings
            .index_note
            .strip_suffix(".md")
            .unwrap_or(&settings.index_note)
            .to_owned(),
        open: picks.iter().filter(|p| !p.reached).count(),
        picks,
        birthdays: birthdays(&people, schedule),
        stats: stats(vault, schedule),
        caught_up_on: schedule.caught_up_on.map(format_date),
    }
}

fn workday_quota(schedule: &Schedule, settings: &Settings) -> usize {
    crate::schedule::workday_quota(schedule.stats.active, settings, schedule.today)
}

fn birthdays<'a>(people: &People<'a>, schedule: &Schedule) -> Vec<BirthdayView<'a>> {
    schedule
        .birthdays
        .iter()
        .map(|b| BirthdayView {
            person: people.person(b.contact),
            date: format_date(b.date),
            in_days: (b.date - schedule.today).num_days(),
            turns: b.turns,
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct ProblemView {
    pub location: String,
    pub path: String,
    pub severity: Severity,
    pub message: String,
}

/// How many loose links and unanswered people index.md lists; beyond that it says how many
/// more there are. A note of 10,000 names is read by nobody, and `check` lists them all.
pub const LIST_LIMIT: usize = 100;

/// Everything `index.md` shows.
#[derive(Debug, Clone, Serialize)]
pub struct IndexView<'a> {
    pub date: String,
    pub quota: usize,
    pub daily: usize,
    pub cadence: String,
    pub prune_after: u32,
    pub stats: StatsView,
    pub caught_up_on: Option<String>,
    /// Everyone, by name.
    pub people: Vec<Person<'a>>,
    /// Loose links, most recently contacted first, at most [`LIST_LIMIT`].
    pub loose: Vec<Person<'a>>,
    /// How many more loose links `check` lists.
    pub loose_more: usize,
    /// Candidates to let go, most unanswered outreaches first, at most [`LIST_LIMIT`].
    pub unanswered: Vec<Person<'a>>,
    pub unanswered_more: usize,
    pub birthdays: Vec<BirthdayView<'a>>,
    /// The errors (warnings are only counted: a large vault has many people who share a name).
    pub problems: Vec<ProblemView>,
    /// How many active contacts fall due in each of the coming months, for the chart.
    pub due_by_month: Vec<MonthCount>,
    /// Invitations you sent without a personal message (the second rule, measured).
    pub invitations: Vec<InvitationView<'a>>,
}

/// An invitation sent without a personal message, and the invitee's note if they have one.
#[derive(Debug, Clone, Serialize)]
pub struct InvitationView<'a> {
    pub to: &'a str,
    pub profile_url: Option<&'a str>,
    pub sent: Option<String>,
    pub person: Option<Person<'a>>,
}

/// The saved invitations, each with the invitee's note: same profile URL, else one note of
/// that name (an ambiguous name links to no one rather than to the wrong person).
pub fn invitations<'a>(vault: &'a Vault, people: &People<'a>) -> Vec<InvitationView<'a>> {
    if vault.invitations.is_empty() {
        return Vec::new();
    }
    let by_url: HashMap<String, usize> = vault
        .contacts
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((crate::names::url_key(c.linkedin.as_deref()?), i)))
        .collect();
    let names = crate::vault::lookup::NameIndex::new(&vault.contacts);
    vault
        .invitations
        .iter()
        .map(|inv| {
            let note = inv
                .profile_url
                .as_deref()
                .and_then(|u| by_url.get(&crate::names::url_key(u)).copied())
                .or_else(|| names.find(&vault.contacts, &inv.to).ok());
            InvitationView {
                to: &inv.to,
                profile_url: inv.profile_url.as_deref(),
                sent: inv.sent.map(format_date),
                person: note.map(|i| people.person(i)),
            }
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthCount {
    /// `2026-11`.
    pub month: String,
    /// `Nov`.
    pub label: String,
    pub count: usize,
}

pub fn index_view<'a>(
    vault: &'a Vault,
    schedule: &'a Schedule,
    settings: &'a Settings,
) -> IndexView<'a> {
    let people = People::new(vault, schedule, settings);
    let mut order: Vec<usize> = (0..vault.contacts.len()).collect();
    order.sort_by_cached_key(|&i| {
        let c = &vault.contacts[i];
        (c.name.to_lowercase(), c.path.clone())
    });
    // The people you are in touch with lately come first: their context is freshest in mind.
    let mut loose: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| vault.contacts[i].is_loose())
        .collect();
    loose.sort_by_key(|&i| std::cmp::Reverse(vault.contacts[i].last_outreach()));
    let mut unanswered: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| schedule.statuses[i].is_unanswered)
        .collect();
    unanswered.sort_by_key(|&i| std::cmp::Reverse(schedule.statuses[i].unanswered));
    let (loose_more, unanswered_more) = (
        loose.len().saturating_sub(LIST_LIMIT),
        unanswered.len().saturating_sub(LIST_LIMIT),
    );
    IndexView {
        date: format_date(schedule.today),
        quota: schedule.quota,
        daily: workday_quota(schedule, settings),
        cadence: settings.cadence.to_string(),
        prune_after: settings.prune_after,
        stats: stats(vault, schedule),
        caught_up_on: schedule.caught_up_on.map(format_date),
        loose: loose
            .into_iter()
            .take(LIST_LIMIT)
            .map(|i| people.person(i))
            .collect(),
        loose_more,
        unanswered: unanswered
            .into_iter()
            .take(LIST_LIMIT)
            .map(|i| people.person(i))
            .collect(),
        unanswered_more,
        birthdays: birthdays(&people, schedule),
        problems: vault
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .map(|p| ProblemView {
                location: p.at.to_string(),
                path: p.at.display_path(),
                severity: p.severity,
                message: p.message.clone(),
            })
            .collect(),
        due_by_month: due_by_month(schedule),
        invitations: invitations(vault, &people),
        people: order.into_iter().map(|i| people.person(i)).collect(),
    }
}

/// Counts of active contacts by the month they fall due, from this month (which includes
/// everyone already due) over the next six.
fn due_by_month(schedule: &Schedule) -> Vec<MonthCount> {
    use chrono::Datelike;
    let start = schedule.today.with_day(1).unwrap_or(schedule.today);
    let months: Vec<NaiveDate> = (0..6)
        .filter_map(|n| start.checked_add_months(chrono::Months::new(n)))
        .collect();
    let mut counts: HashMap<NaiveDate, usize> = HashMap::new();
    for status in schedule.statuses.iter().filter(|s| s.active) {
        let Some(due) = status.due else { continue };
        let month = due.with_day(1).unwrap_or(due).max(start);
        *counts.entry(month).or_default() += 1;
    }
    months
        .into_iter()
        .map(|m| MonthCount {
            month: m.format("%Y-%m").to_string(),
            label: m.format("%b").to_string(),
            count: counts.get(&m).copied().unwrap_or(0),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_drop_the_verb_that_the_template_says_itself() {
        assert_eq!(summary("replied — yes to coffee"), "yes to coffee");
        assert_eq!(summary("Reached out: sent the recap"), "sent the recap");
        assert_eq!(summary("reached out"), "");
        assert_eq!(summary("wrote a recommendation"), "wrote a recommendation");
    }

    #[test]
    fn first_names_are_the_first_word_or_the_whole_name() {
        assert_eq!(first_name("Ada Lovelace"), "Ada");
        assert_eq!(first_name("王伟"), "王伟");
        assert_eq!(first_name("Bob (plumber)"), "Bob");
    }
}
