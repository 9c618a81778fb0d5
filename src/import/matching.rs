//! Who an imported person is: someone with a note already (same LinkedIn URL, then email,
//! then name), or someone new, with a file name that collides with nothing. Pure: the
//! command reads the vault and the source, then writes what [`plan`] decided.
//!
//! Two records, or a record and a note, are the same person when they share a LinkedIn URL,
//! or any email address (of all each has, case-blind), or any name (case- and accent-blind):
//! a record's names are its full name and its given + family name; a note's, its name, stem
//! and aliases. Names are compared as written, so `Huntelaar Jan` is not `Jan Huntelaar`.
//! Each note this import creates is indexed under exactly the names, addresses and URL it is
//! written with (names its file name can't hold go into `aliases`), so whether two cards come
//! in one file or in two imports, and in either order, the outcome is the same.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::new_note::one_line;
use super::{Person, Recommendation};
use crate::error::slash_path;
use crate::model::Contact;
use crate::names::{collision_key, name_key, unique_file_name, url_key};

/// Why an imported person is taken for someone already known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    Url,
    Email,
    Name,
}

impl Match {
    pub fn describe(self) -> &'static str {
        match self {
            Match::Url => "same LinkedIn URL",
            Match::Email => "same email",
            Match::Name => "same name",
        }
    }
}

/// What the import does with one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// A new note at this vault-relative path, with these `aliases`.
    Create { rel: String, aliases: Vec<String> },
    /// Already in the vault, in the note at this path: left alone.
    Known { note: String, by: Match },
    /// Earlier in the same import (the record at `origin`).
    Repeated { origin: String, by: Match },
    /// A note that cannot be read has their name: creating another would make a duplicate.
    Blocked { note: String },
}

/// What the import will do, person by person, and everyone it knows of afterwards.
#[derive(Debug)]
pub struct Plan {
    /// One per imported person, in the same order.
    pub decisions: Vec<Decision>,
    pub known: Known,
}

/// Decides, for each of `people`, whether they are already in `contacts` (or earlier in
/// `people`), and where a new note goes: in `folder`, under a name that neither `taken` (the
/// folder's [`collision_key`]s, as [`taken_names`](super::new_note::taken_names) gives) nor another new note has.
///
/// Two people with one name and different LinkedIn URLs are different people: the second's
/// note is named after their company too (`Ada Example (Acme).md`).
pub fn plan(
    contacts: &[Contact],
    unreadable: &[&Path],
    people: &[Person],
    folder: &str,
    taken: &HashSet<String, impl std::hash::BuildHasher>,
) -> Plan {
    let mut known = Known::new(contacts);
    let mut claimed: HashSet<String> = HashSet::new();
    let blocked: HashMap<String, String> = unreadable
        .iter()
        .filter_map(|path| {
            let stem = path.file_stem()?.to_string_lossy();
            Some((name_key(&stem), slash_path(path)))
        })
        .collect();
    let decisions = people
        .iter()
        .map(|person| {
            if let Some((entry, by)) = known.find(person) {
                let entry = &known.entries[entry];
                return match &entry.origin {
                    Some(origin) => Decision::Repeated {
                        origin: origin.clone(),
                        by,
                    },
                    None => Decision::Known {
                        note: entry.rel.clone(),
                        by,
                    },
                };
            }
            if let Some(note) = blocked.get(&name_key(&person.full_name)) {
                return Decision::Blocked { note: note.clone() };
            }
            let is_taken = |stem: &str| {
                let key = collision_key(&format!("{stem}.md"));
                taken.contains(&key) || claimed.contains(&key)
            };
            let company = person.company.as_deref().map(one_line);
            let stem =
                unique_file_name(&one_line(&person.full_name), company.as_deref(), &is_taken);
            claimed.insert(collision_key(&format!("{stem}.md")));
            let rel = format!("{folder}/{stem}.md");
            let own = note_names(&stem, &stem, &[], company.as_deref());
            let aliases: Vec<String> = person_names(person)
                .into_iter()
                .filter(|name| own.iter().all(|o| name_key(o) != name_key(name)))
                .collect();
            known.add(person, &rel, &stem, &aliases);
            Decision::Create { rel, aliases }
        })
        .collect();
    Plan { decisions, known }
}

/// Everyone an import can match against: the vault's contacts, then the people it adds.
#[derive(Debug, Default)]
pub struct Known {
    pub entries: Vec<Entry>,
    by_url: HashMap<String, usize>,
    by_email: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
}

/// A note, existing or to be created, as matching sees it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Vault-relative, `/`-separated.
    pub rel: String,
    /// [`url_key`] of its LinkedIn profile.
    url: Option<String>,
    company: Option<String>,
    /// The record it comes from, for notes this import creates.
    origin: Option<String>,
    pub is_new: bool,
}

impl Known {
    fn new(contacts: &[Contact]) -> Known {
        let mut known = Known::default();
        for contact in contacts {
            let path = slash_path(&contact.path);
            let i = known.push(Entry {
                rel: path,
                url: contact.linkedin.as_deref().map(url_key),
                company: contact.company.as_deref().map(str::to_owned),
                origin: None,
                is_new: false,
            });
            let names = note_names(
                &contact.name,
                &contact.stem,
                &contact.aliases,
                contact.company.as_deref(),
            );
            for name in names {
                known.add_name(name, i);
            }
            for email in contact
                .email
                .as_deref()
                .into_iter()
                .chain(extra_emails(contact).iter().map(String::as_str))
            {
                known.by_email.entry(email_key(email)).or_insert(i);
            }
        }
        known
    }

    fn push(&mut self, entry: Entry) -> usize {
        let i = self.entries.len();
        if let Some(url) = &entry.url {
            self.by_url.entry(url.clone()).or_insert(i);
        }
        self.entries.push(entry);
        i
    }

    fn add_name(&mut self, name: &str, i: usize) {
        let ids = self.by_name.entry(name_key(name)).or_default();
        if !ids.contains(&i) {
            ids.push(i);
        }
    }

    /// Adds a person this import creates a note for, so later records can match them: under
    /// the names the note will be read with (`stem`, `aliases`), as the next import sees it.
    fn add(&mut self, person: &Person, rel: &str, stem: &str, aliases: &[String]) {
        let company = person.company.as_deref().map(one_line);
        let i = self.push(Entry {
            rel: rel.to_owned(),
            url: person.linkedin.as_deref().map(url_key),
            company: company.clone(),
            origin: Some(person.origin.clone()),
            is_new: true,
        });
        for name in note_names(stem, stem, aliases, company.as_deref()) {
            self.add_name(name, i);
        }
        for email in &person.emails {
            self.by_email.entry(email_key(email)).or_insert(i);
        }
    }

    /// The entry `person` is, and why: by LinkedIn URL, then email, then name. A name does not
    /// match an entry whose URL differs from the person's (two people, one name).
    fn find(&mut self, person: &Person) -> Option<(usize, Match)> {
        let url = person.linkedin.as_deref().map(url_key);
        if let Some(&i) = url.as_ref().and_then(|u| self.by_url.get(u)) {
            return Some((i, Match::Url));
        }
        if let Some(&i) = person
            .emails
            .iter()
            .find_map(|e| self.by_email.get(&email_key(e)))
        {
            return Some((i, Match::Email));
        }
        let i = person_names(person).iter().find_map(|name| {
            self.by_name
                .get(&name_key(name))?
                .iter()
                .copied()
                .find(|&i| match (&self.entries[i].url, &url) {
                    (Some(theirs), Some(ours)) => theirs == ours,
                    _ => true,
                })
        })?;
        // A note without a URL matched by name now stands for this profile, so that a second
        // person of the same name with another URL is not taken for it too.
        if let Some(url) = url
            && self.entries[i].url.is_none()
        {
            self.entries[i].url = Some(url.clone());
            self.by_url.entry(url).or_insert(i);
        }
        Some((i, Match::Name))
    }

    /// The note a recommendation is for: by name, then by company among namesakes.
    pub fn recommended(&self, recommendation: &Recommendation) -> Result<usize, String> {
        let candidates = self
            .by_name
            .get(&name_key(&recommendation.full_name))
            .map_or(&[][..], Vec::as_slice);
        match candidates {
            [] => Err("nobody of that name in the vault or this import; a recommendation alone makes no note".to_owned()),
            [one] => Ok(*one),
            many => {
                let company = recommendation.company.as_deref().map(name_key);
                let same_company: Vec<usize> = many
                    .iter()
                    .copied()
                    .filter(|&i| {
                        company.is_some()
                            && self.entries[i].company.as_deref().map(name_key) == company
                    })
                    .collect();
                if let [one] = same_company.as_slice() {
                    return Ok(*one);
                }
                let list: Vec<String> = many
                    .iter()
                    .map(|&i| format!("`{}`", self.entries[i].rel))
                    .collect();
                Err(format!(
                    "could be {}; set `recommended` on the right note yourself",
                    list.join(" or ")
                ))
            }
        }
    }
}

/// The names a person may be filed under: the full name, and first + last when they differ
/// (a vCard's `Dr. Ada Example, PhD` is the vault's `Ada Example`), each on one line as a note
/// would hold it.
fn person_names(person: &Person) -> Vec<String> {
    let mut names = vec![one_line(&person.full_name)];
    let plain = one_line(&format!("{} {}", person.first_name, person.last_name));
    if !person.first_name.trim().is_empty()
        && !person.last_name.trim().is_empty()
        && name_key(&plain) != name_key(&names[0])
    {
        names.push(plain);
    }
    names
}

/// The names a note answers to: its name, stem and aliases, and for a namesake's note,
/// `Ada Example (Acme).md` of `company: Acme`, the name without the company.
fn note_names<'a>(
    name: &'a str,
    stem: &'a str,
    aliases: &'a [String],
    company: Option<&str>,
) -> Vec<&'a str> {
    let mut names = vec![name, stem];
    names.extend(aliases.iter().map(String::as_str));
    if let Some((base, suffix)) = stem.strip_suffix(')').and_then(|s| s.rsplit_once(" ("))
        && company.is_some_and(|c| name_key(c) == name_key(suffix))
    {
        names.push(base);
    }
    names
}

/// An address as matching compares it: as a note holds it (one line, nothing invisible), so a
/// card's address finds the note this import writes for it; and case-blind.
fn email_key(email: &str) -> String {
    one_line(email).to_lowercase()
}

/// Every address of a note (`email`, then its `emails` key), as matching compares them.
pub fn addresses(contact: &Contact) -> Vec<String> {
    contact
        .email
        .as_deref()
        .map(str::to_owned)
        .into_iter()
        .chain(extra_emails(contact))
        .map(|e| email_key(&e))
        .collect()
}

/// The addresses of a note's `emails` key: a list, or one address.
fn extra_emails(contact: &Contact) -> Vec<String> {
    use yaml_serde::Value;
    contact
        .extra
        .pairs()
        .into_iter()
        .filter(|(key, _)| key == "emails")
        .flat_map(|(_, value)| match value {
            Value::String(one) => vec![one],
            Value::Sequence(many) => many
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::Source;

    fn person(name: &str, url: Option<&str>, email: Option<&str>, company: Option<&str>) -> Person {
        let (first, last) = name.split_once(' ').unwrap_or((name, ""));
        Person {
            first_name: first.into(),
            last_name: last.into(),
            full_name: name.into(),
            linkedin: url.map(Into::into),
            email: email.map(Into::into),
            emails: email.into_iter().map(Into::into).collect(),
            company: company.map(Into::into),
            role: None,
            connected_on: None,
            birthday: None,
            phone: None,
            note: None,
            source: Source::LinkedIn,
            origin: format!("Connections.csv:{}", name.len()),
            warnings: Vec::new(),
        }
    }

    fn contact(path: &str, linkedin: Option<&str>, email: Option<&str>) -> Contact {
        let stem = Path::new(path).file_stem().unwrap().to_string_lossy();
        let mut c = Contact::named(&stem);
        c.path = path.into();
        c.linkedin = linkedin.map(Into::into);
        c.email = email.map(Into::into);
        c
    }

    fn decide(contacts: &[Contact], people: &[Person], taken: &[&str]) -> Vec<Decision> {
        let taken: HashSet<String> = taken.iter().map(|t| collision_key(t)).collect();
        plan(contacts, &[], people, "People", &taken).decisions
    }

    fn known(note: &str, by: Match) -> Decision {
        Decision::Known {
            note: note.into(),
            by,
        }
    }

    fn create(rel: &str) -> Decision {
        create_as(rel, &[])
    }

    fn create_as(rel: &str, aliases: &[&str]) -> Decision {
        Decision::Create {
            rel: rel.into(),
            aliases: aliases.iter().map(|&a| a.into()).collect(),
        }
    }

    #[test]
    fn matches_by_url_then_email_then_name() {
        let contacts = [
            contact(
                "People/Ada.md",
                Some("https://uk.linkedin.com/in/Ada-Example/"),
                None,
            ),
            contact("People/Grace.md", None, Some("Grace@Example.com")),
            contact("Work/Alan Sample.md", None, None),
        ];
        let people = [
            person(
                "Ada Example",
                Some("https://www.linkedin.com/in/ada-example"),
                None,
                None,
            ),
            person("Grace Sample", None, Some("grace@example.com "), None),
            person("ALAN SÄMPLE", None, None, None),
            person("Nadia Field", None, None, None),
        ];
        assert_eq!(
            decide(&contacts, &people, &["Ada.md", "Grace.md"]),
            [
                known("People/Ada.md", Match::Url),
                known("People/Grace.md", Match::Email),
                known("Work/Alan Sample.md", Match::Name),
                create("People/Nadia Field.md"),
            ]
        );
    }

    /// A person as a vCard names them: `FN` (else `N`) and the given and family names.
    fn carded(full: &str, given: &str, family: &str) -> Person {
        Person {
            first_name: given.into(),
            last_name: family.into(),
            source: Source::VCard,
            origin: format!("contacts.vcf card {full}"),
            ..person(full, None, None, None)
        }
    }

    /// The note a `Create` decision makes, as the next import reads it back.
    fn created(decision: &Decision) -> Contact {
        let Decision::Create { rel, aliases } = decision else {
            panic!("not created: {decision:?}");
        };
        let mut note = contact(rel, None, None);
        note.aliases.clone_from(aliases);
        note
    }

    /// Issue 12: `FN:Dr. Jan Huntelaar` (N `Huntelaar;Jan`) imported first made a later
    /// `FN:Jan Huntelaar` a second note, the other order one note, and one file one note.
    #[test]
    fn the_same_person_whichever_comes_first_in_one_file_or_two() {
        let titled = carded("Dr. Jan Huntelaar", "Jan", "Huntelaar");
        let plain = carded("Jan Huntelaar", "Jan", "Huntelaar");
        // Family and given swapped (`N:Jan;Huntelaar`): another name, another person.
        let swapped = carded("Huntelaar Jan", "Huntelaar", "Jan");
        for (a, b, same) in [
            (&titled, &plain, true),
            (&plain, &titled, true),
            (&swapped, &plain, false),
            (&plain, &swapped, false),
        ] {
            let both = decide(&[], &[a.clone(), b.clone()], &[]);
            assert!(matches!(both[0], Decision::Create { .. }), "{both:?}");
            assert_eq!(
                matches!(
                    both[1],
                    Decision::Repeated {
                        by: Match::Name,
                        ..
                    }
                ),
                same,
                "{} then {}, one file: {both:?}",
                a.full_name,
                b.full_name
            );
            let later = decide(&[created(&both[0])], std::slice::from_ref(b), &[]);
            assert_eq!(
                matches!(
                    later[0],
                    Decision::Known {
                        by: Match::Name,
                        ..
                    }
                ),
                same,
                "{} then {}, two imports: {later:?}",
                a.full_name,
                b.full_name
            );
        }
        assert_eq!(
            decide(&[], &[titled], &[]),
            [create_as("People/Dr. Jan Huntelaar.md", &["Jan Huntelaar"])]
        );
    }

    #[test]
    fn any_email_matches_any_email() {
        let mut note = contact("People/Ada.md", None, Some("ada@example.com"));
        note.extra.push(
            "emails".into(),
            yaml_serde::Value::Sequence(vec!["ada@example.com".into(), "Ada@Work.example".into()]),
        );
        let mut card = person("A. Example", None, Some("a@home.example"), None);
        card.emails.push("ADA@work.example".into());
        assert_eq!(
            decide(&[note], std::slice::from_ref(&card), &[]),
            [known("People/Ada.md", Match::Email)]
        );
        // An invisible character the note's copy of the address left out still matches.
        let hidden = person("Ada Z", None, Some("ada\u{200b}@example.com"), None);
        let note = contact("People/Ada.md", None, Some("ada@example.com"));
        assert_eq!(
            decide(&[note], &[hidden], &[]),
            [known("People/Ada.md", Match::Email)]
        );
        // In one import, the second card's one address is the first card's second.
        let again = person("Ada Home", None, Some("A@Home.Example"), None);
        assert_eq!(
            decide(&[], &[card.clone(), again], &[])[1],
            Decision::Repeated {
                origin: card.origin,
                by: Match::Email
            }
        );
    }

    #[test]
    fn namesakes_with_different_urls_get_two_stable_names() {
        let people = [
            person(
                "Ada Example",
                Some("linkedin.com/in/ada-1"),
                None,
                Some("Acme"),
            ),
            person(
                "Ada Example",
                Some("linkedin.com/in/ada-2"),
                None,
                Some("Globex"),
            ),
            person(
                "Ada Example",
                Some("linkedin.com/in/ada-1"),
                None,
                Some("Acme"),
            ),
        ];
        let decisions = decide(&[], &people, &[]);
        assert_eq!(decisions[0], create("People/Ada Example.md"));
        assert_eq!(decisions[1], create("People/Ada Example (Globex).md"));
        assert_eq!(
            decisions[2],
            Decision::Repeated {
                origin: people[0].origin.clone(),
                by: Match::Url
            }
        );

        // Importing again: each finds their own note by URL.
        let mut first = contact("People/Ada Example.md", Some("linkedin.com/in/ada-1"), None);
        first.company = Some("Acme".into());
        let second = contact(
            "People/Ada Example (Globex).md",
            Some("https://www.linkedin.com/in/ada-2/"),
            None,
        );
        assert_eq!(
            decide(&[first, second], &people[..2], &[]),
            [
                known("People/Ada Example.md", Match::Url),
                known("People/Ada Example (Globex).md", Match::Url),
            ]
        );
    }

    #[test]
    fn a_note_without_a_url_stands_for_the_first_namesake_only() {
        let contacts = [contact("People/Ada Example.md", None, None)];
        let people = [
            person(
                "Ada Example",
                Some("linkedin.com/in/ada-1"),
                None,
                Some("Acme"),
            ),
            person(
                "Ada Example",
                Some("linkedin.com/in/ada-2"),
                None,
                Some("Globex"),
            ),
        ];
        assert_eq!(
            decide(&contacts, &people, &["ada example.md"]),
            [
                known("People/Ada Example.md", Match::Name),
                create("People/Ada Example (Globex).md"),
            ]
        );
    }

    #[test]
    fn new_names_never_collide_with_files_case_insensitively() {
        let people = [
            person("ada example", None, None, None),
            person("Grace Sample", Some("linkedin.com/in/g1"), None, None),
            person("Grace Sample", Some("linkedin.com/in/g2"), None, None),
        ];
        assert_eq!(
            decide(&[], &people, &["ADA EXAMPLE.MD"]),
            [
                create_as("People/ada example 2.md", &["ada example"]),
                create("People/Grace Sample.md"),
                create_as("People/Grace Sample 2.md", &["Grace Sample"]),
            ]
        );
    }

    #[test]
    fn an_unreadable_note_with_their_name_blocks_a_duplicate() {
        let people = [person("Ada Example", None, None, None)];
        let taken = HashSet::new();
        let decisions = plan(
            &[],
            &[Path::new("People/ada example.md")],
            &people,
            "People",
            &taken,
        )
        .decisions;
        assert_eq!(
            decisions,
            [Decision::Blocked {
                note: "People/ada example.md".into()
            }]
        );
    }

    #[test]
    fn recommendations_find_namesakes_by_company() {
        let mut acme = contact("People/Ada Example.md", None, None);
        acme.company = Some("Acme".into());
        let mut globex = contact("People/Ada Example (Globex).md", None, None);
        globex.company = Some("Globex".into());
        let plan = plan(&[acme, globex], &[], &[], "People", &HashSet::new());
        let rec = |company: Option<&str>| Recommendation {
            full_name: "ada example".into(),
            company: company.map(Into::into),
            date: "2021-03-12".parse().unwrap(),
        };
        assert_eq!(plan.known.recommended(&rec(Some("GLOBEX"))), Ok(1));
        assert_eq!(
            plan.known.recommended(&rec(None)),
            Err("could be `People/Ada Example.md` or `People/Ada Example (Globex).md`; set `recommended` on the right note yourself".into())
        );
        let nobody = Recommendation {
            full_name: "Nadia Field".into(),
            ..rec(None)
        };
        assert!(plan.known.recommended(&nobody).is_err());
    }
}
