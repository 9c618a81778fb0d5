//! The note today.md suggests for a person: words for their state, whole sentences a person
//! would send (no `…` to fill in), and beside it, for the user's eyes only, what the vault
//! knows that could make it personal — the people you both know, their own words from the
//! note, what is still open, a recommendation worth writing.
//!
//! Pure: the facts come in, the words go out, the same every time.

use chrono::{Datelike as _, NaiveDate};
use serde::Serialize;

/// Where someone stands, as far as the words of a note go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Met recently, not written to yet.
    New,
    /// Messages went out and none came back: a short note, no pressure.
    Unanswered,
    /// The last word was theirs, or time together.
    Replied,
    /// The last word was yours, and it is not yet a silence to worry about.
    Wrote,
    /// Met, and not in touch since.
    Silent,
    /// No note of when and how you met: a question to place them, not a message.
    Loose,
}

/// What a draft is made from.
#[allow(
    clippy::struct_excessive_bools,
    reason = "the facts of a person's status, each read on its own"
)]
#[derive(Debug, Clone, Default)]
pub struct Facts<'a> {
    pub first_name: &'a str,
    pub name: &'a str,
    pub company: Option<&'a str>,
    pub met: Option<NaiveDate>,
    /// How much of `met` the note gave: `met-date: 2019` is "in 2019", not "in January 2019".
    pub met_precision: crate::model::date::Precision,
    pub last_outreach: Option<NaiveDate>,
    pub last_reply: Option<NaiveDate>,
    pub last_together: Option<NaiveDate>,
    pub is_new: bool,
    pub is_unanswered: bool,
    pub loose: bool,
    /// Their birthday, when it falls in the coming week (today included).
    pub birthday: Option<NaiveDate>,
    /// A new role or company an import found lately, not yet spoken of: what it is now, and
    /// what it was.
    pub new_role: Option<(String, Option<&'a str>)>,
    /// Shown names of the people you both know.
    pub mutual: Vec<&'a str>,
    /// The first line of the note's `## Notes` / `## About`.
    pub about: Option<&'a str>,
    pub follow_ups: &'a [String],
    /// Worth a recommendation: met long ago, in touch both ways, never recommended.
    pub recommend: bool,
    /// The user's news of the day (`.vault-reach/update.md`), one paragraph.
    pub update: Option<&'a str>,
    pub today: NaiveDate,
}

/// A draft: what to send, and what to know while writing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Draft {
    pub state: State,
    pub subject: String,
    /// `Hi Ada,`
    pub greeting: String,
    /// The paragraphs after the greeting, each one line.
    pub paragraphs: Vec<String>,
    /// For the user, not for the message: "You both know Grace Okafor".
    pub hints: Vec<String>,
}

impl Draft {
    /// The message as it is sent: greeting, paragraphs, a blank line between each.
    pub fn text(&self) -> String {
        std::iter::once(self.greeting.as_str())
            .chain(self.paragraphs.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("\n\n")
    }
}

/// The draft for `f`; `None` for a loose link, which gets a question rather than a message.
pub fn draft(f: &Facts) -> Option<Draft> {
    let state = state(f);
    if state == State::Loose {
        return None;
    }
    // A birthday someone met days ago never told you is not yours to mention.
    let birthday = f.birthday.filter(|_| state != State::New);
    let mut opening = Vec::new();
    if let Some(day) = birthday {
        opening.push(if day == f.today {
            "Happy birthday!".to_owned()
        } else {
            format!("An early happy birthday for {}!", day.format("%A"))
        });
    }
    // A company's name goes inside a sentence, never at its end: `Yahoo!` and `Ñandú & Co?`
    // would end it twice.
    if f.new_role.is_some() {
        opening.push(f.company.map_or_else(
            || "Congratulations on the new role!".to_owned(),
            |c| format!("I saw the news about {c}: congratulations on the new role!"),
        ));
    }
    let question = |fallback: &str| match (f.new_role.is_some(), f.company) {
        (true, _) => "How is the new role going?".to_owned(),
        (false, Some(c)) => format!("How is work at {c} going?"),
        (false, None) => fallback.to_owned(),
    };
    match state {
        State::New => {
            let when = f.met.map_or("", |met| match (f.today - met).num_days() {
                0..=3 => " the other day",
                4..=13 => " last week",
                _ => "",
            });
            opening.push(format!("It was good to meet you{when}."));
            if let (Some(c), None) = (f.company, &f.new_role) {
                opening.push(format!("I hope {c} is treating you well."));
            }
        }
        State::Unanswered => {
            opening.push(
                "Just a quick hello to say I hope all is well with you. No need to reply if \
                 you're busy."
                    .to_owned(),
            );
        }
        State::Replied => {
            let together = f.last_together.is_some() && f.last_together >= f.last_reply;
            let when = f.last_together.max(f.last_reply);
            let month = when.map(|d| month(d, f.today)).unwrap_or_default();
            let slow = when.is_some_and(|d| (f.today - d).num_days() > 30);
            opening.push(match (together, slow) {
                (true, _) => format!("It was good to see you {month}."),
                (false, true) => {
                    format!(
                        "Thanks for your note {month}, and sorry to be slow getting back to you."
                    )
                }
                (false, false) => format!("Thanks for your note {month}."),
            });
            opening.push(question(if together {
                "How have things been since?"
            } else {
                "How have you been?"
            }));
        }
        State::Wrote => {
            let month = f
                .last_outreach
                .map(|d| month(d, f.today))
                .unwrap_or_default();
            opening.push(format!(
                "I hope all has been well since I last wrote {month}."
            ));
            if f.company.is_some() || f.new_role.is_some() {
                opening.push(question(""));
            }
        }
        State::Silent => {
            let since = f.met.map_or_else(
                || "since we met".to_owned(),
                |met| match f.met_precision {
                    crate::model::date::Precision::Year => {
                        format!("since we met in {}", met.year())
                    }
                    _ => format!("since we met {}", month(met, f.today)),
                },
            );
            opening.push(format!("I've been meaning to get back in touch {since}."));
            // Something to answer, with or without a company.
            opening.push(question("How have you been?"));
        }
        State::Loose => unreachable!("a loose link has no draft"),
    }
    let mut paragraphs = vec![opening.join(" ")];
    // The unanswered get a short note: no news, nothing to answer.
    if state != State::Unanswered {
        if let Some(update) = f.update {
            paragraphs.push(format!("A bit of news from me. {update}"));
        }
        paragraphs.push(if state == State::New {
            "Let's stay in touch, and if I can help with anything, just say.".to_owned()
        } else {
            "If I can help with anything, just let me know.".to_owned()
        });
    }
    let subject = match state {
        _ if birthday == Some(f.today) => "Happy birthday",
        _ if birthday.is_some() => "Happy birthday (a little early)",
        _ if f.new_role.is_some() => "Congratulations",
        State::New => "Good to meet you",
        State::Unanswered => "A quick hello",
        _ => "Catching up",
    };
    Some(Draft {
        state,
        subject: subject.to_owned(),
        greeting: format!("Hi {},", f.first_name),
        paragraphs,
        hints: hints(f),
    })
}

fn state(f: &Facts) -> State {
    if f.loose {
        State::Loose
    } else if f.is_new {
        State::New
    } else if f.is_unanswered {
        State::Unanswered
    } else if f.last_reply.max(f.last_together) >= f.last_outreach
        && f.last_reply.max(f.last_together).is_some()
    {
        State::Replied
    } else if f.last_outreach.is_some() {
        State::Wrote
    } else {
        State::Silent
    }
}

/// What only the user needs to see: who you both know, their words, what is still open.
fn hints(f: &Facts) -> Vec<String> {
    let mut hints = Vec::new();
    if let Some((now, before)) = &f.new_role {
        hints.push(match before {
            Some(before) => format!("New on LinkedIn: {now} (was {before})"),
            None => format!("New on LinkedIn: {now}"),
        });
    }
    // Three names say it; a popular note's fifty would bury the draft.
    match f.mutual.as_slice() {
        [] => {}
        few @ ([_] | [_, _] | [_, _, _]) => {
            hints.push(format!("You both know {}", and_list(few)));
        }
        [first, second, third, rest @ ..] => hints.push(format!(
            "You both know {first}, {second}, {third} and {} {}",
            rest.len(),
            if rest.len() == 1 { "other" } else { "others" }
        )),
    }
    if let Some(about) = f.about {
        hints.push(format!("From your notes: {about}"));
    }
    for task in f.follow_ups {
        hints.push(format!("To do, from your notes: {task}"));
    }
    if f.recommend {
        hints.push(format!(
            "Consider writing {} a recommendation: you have known each other for years",
            f.first_name
        ));
    }
    hints
}

/// `in October`, `in October 2024`: the year only a year or more back, as people say it.
fn month(date: NaiveDate, today: NaiveDate) -> String {
    if (today - date).num_days() < 335 {
        format!("in {}", date.format("%B"))
    } else {
        format!("in {}", date.format("%B %Y"))
    }
}

fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn facts() -> Facts<'static> {
        Facts {
            first_name: "Ada",
            name: "Ada Quint",
            today: day("2026-03-02"),
            ..Facts::default()
        }
    }

    fn text(f: &Facts) -> String {
        draft(f).unwrap().text()
    }

    #[test]
    fn each_state_has_its_own_words_and_no_gap_to_fill() {
        let new = Facts {
            is_new: true,
            company: Some("Quintessence Labs"),
            met: Some(day("2026-02-24")),
            ..facts()
        };
        assert_eq!(
            text(&new),
            "Hi Ada,\n\nIt was good to meet you last week. I hope Quintessence Labs is treating \
             you well.\n\nLet's stay in touch, and if I can help with anything, just say."
        );
        let replied = Facts {
            last_outreach: Some(day("2025-04-01")),
            last_reply: Some(day("2025-05-10")),
            ..facts()
        };
        assert_eq!(
            text(&replied),
            "Hi Ada,\n\nThanks for your note in May, and sorry to be slow getting back to \
             you. How have you been?\n\nIf I can help with anything, just let me know."
        );
        let lately = Facts {
            last_reply: Some(day("2026-02-20")),
            ..facts()
        };
        assert!(text(&lately).contains("Thanks for your note in February. How have you been?"));
        let together = Facts {
            last_together: Some(day("2026-01-15")),
            last_reply: Some(day("2025-05-10")),
            ..facts()
        };
        assert!(
            text(&together)
                .contains("It was good to see you in January. How have things been since?")
        );
        let wrote = Facts {
            last_outreach: Some(day("2025-08-15")),
            company: Some("Yahoo!"),
            ..facts()
        };
        assert!(
            text(&wrote).contains("I hope all has been well since I last wrote in August. How is work at Yahoo! going?"),
            "{}",
            text(&wrote)
        );
        let silent = Facts {
            met: Some(day("2023-03-14")),
            ..facts()
        };
        assert!(text(&silent).contains(
            "I've been meaning to get back in touch since we met in March 2023. How have you been?"
        ));
        let a_year = Facts {
            met: Some(day("2019-01-01")),
            met_precision: crate::model::date::Precision::Year,
            ..facts()
        };
        assert!(
            text(&a_year).contains("since we met in 2019."),
            "{}",
            text(&a_year)
        );
        let unanswered = Facts {
            is_unanswered: true,
            last_outreach: Some(day("2025-08-15")),
            update: Some("I moved to Lisbon."),
            ..facts()
        };
        let d = draft(&unanswered).unwrap();
        assert_eq!(
            d.text(),
            "Hi Ada,\n\nJust a quick hello to say I hope all is well with you. No need to reply \
             if you're busy."
        );
        assert_eq!(d.subject, "A quick hello");
        let loose = Facts {
            loose: true,
            ..facts()
        };
        assert_eq!(draft(&loose), None);
        for f in [new, replied, together, wrote, silent, unanswered] {
            assert!(!text(&f).contains('…'), "{}", text(&f));
        }
    }

    #[test]
    fn a_new_role_is_congratulated_and_a_new_connection_s_birthday_left_alone() {
        let f = Facts {
            last_outreach: Some(day("2025-11-01")),
            company: Some("Orbital Works"),
            new_role: Some((
                "Head of Propulsion at Orbital Works".into(),
                Some("Staff Engineer at Acme"),
            )),
            ..facts()
        };
        let d = draft(&f).unwrap();
        assert_eq!(d.subject, "Congratulations");
        assert!(d.text().contains(
            "I saw the news about Orbital Works: congratulations on the new role! I hope all has \
             been well since I last wrote in November. How is the new role going?"
        ), "{}", d.text());
        assert_eq!(
            d.hints[0],
            "New on LinkedIn: Head of Propulsion at Orbital Works (was Staff Engineer at Acme)"
        );
        let new = Facts {
            is_new: true,
            met: Some(day("2026-03-01")),
            birthday: Some(day("2026-03-04")),
            ..facts()
        };
        let d = draft(&new).unwrap();
        assert!(
            !d.text().contains("birthday") && d.subject == "Good to meet you",
            "{}",
            d.text()
        );
        assert!(d.text().contains("It was good to meet you the other day."));
    }

    #[test]
    fn the_update_birthday_and_hints_make_it_personal() {
        let tasks = vec!["send the river map".to_owned()];
        let f = Facts {
            last_reply: Some(day("2026-01-10")),
            birthday: Some(day("2026-03-05")),
            mutual: vec!["Grace Okafor", "Tom Field"],
            about: Some("Runs the mapping workshop."),
            follow_ups: &tasks,
            recommend: true,
            update: Some("We shipped the offline maps last week: feedback welcome!"),
            ..facts()
        };
        let d = draft(&f).unwrap();
        assert_eq!(d.subject, "Happy birthday (a little early)");
        assert_eq!(
            d.text(),
            "Hi Ada,\n\nAn early happy birthday for Thursday! Thanks for your note in January, \
             and sorry to be slow getting back to you. How have you been?\n\nA bit of news from \
             me. We shipped the offline maps last week: feedback welcome!\n\nIf I can help with \
             anything, just let me know."
        );
        assert_eq!(
            d.hints,
            [
                "You both know Grace Okafor and Tom Field",
                "From your notes: Runs the mapping workshop.",
                "To do, from your notes: send the river map",
                "Consider writing Ada a recommendation: you have known each other for years",
            ]
        );
        let today = Facts {
            birthday: Some(day("2026-03-02")),
            ..f
        };
        let d = draft(&today).unwrap();
        assert_eq!(d.subject, "Happy birthday");
        assert!(d.text().starts_with("Hi Ada,\n\nHappy birthday! "));
        let many = Facts {
            mutual: vec!["A", "B", "C", "D", "E"],
            ..today
        };
        assert_eq!(
            draft(&many).unwrap().hints[0],
            "You both know A, B, C and 2 others"
        );
    }
}
