//! vCard files (2.1, 3.0 and 4.0; one or many cards), read with calcard.
//!
//! calcard does the format (folding, escapes, quoted-printable, charsets, groups such as
//! `item1.EMAIL`); this module only picks what a contact note needs. Address books are messy,
//! so a card is imported whenever it names someone: by `FN`, else `N`, else `ORG`, else an
//! email address. Values that can't be read are reported on the person, never fatal.

use calcard::common::PartialDateTime;
use calcard::vcard::{
    VCard, VCardEntry, VCardKind, VCardParameterName, VCardParameterValue, VCardProperty,
    VCardValue,
};
use calcard::{Entry, Parser};
use chrono::{Datelike, NaiveDate};

use super::{Person, Skipped, Source, non_empty};
use crate::model::Birthday;

/// Apple Contacts stores a birthday without a year as year 1604 (and says so in
/// `X-APPLE-OMIT-YEAR`); other clients use year 0.
const NO_YEAR_MARKERS: [u16; 2] = [0, 1604];

/// The people in a vCard file, and the cards that name nobody.
///
/// Origins count cards from 1: `contacts.vcf card 3`.
pub fn parse_vcards(text: &str, file_label: &str) -> (Vec<Person>, Vec<Skipped>) {
    let mut people = Vec::new();
    let mut skipped = Vec::new();
    let text = with_basic_birthdays(text);
    let mut parser = Parser::new(&text);
    let mut card_number = 0;
    loop {
        let entry = parser.entry();
        if matches!(entry, Entry::Eof) {
            break;
        }
        if matches!(entry, Entry::InvalidLine(_)) {
            // Text between cards (a blank line, a stray comment) names nobody: not a problem.
            continue;
        }
        card_number += 1;
        let origin = format!("{file_label} card {card_number}");
        let reason = match entry {
            Entry::VCard(card) => match person_from_card(&card, origin.clone()) {
                Ok(person) => {
                    people.push(person);
                    continue;
                }
                Err(reason) => reason,
            },
            Entry::ICalendar(_) => "a calendar entry, not a contact".to_owned(),
            Entry::UnterminatedComponent(what) => format!("the card has no END ({what})"),
            Entry::UnexpectedComponentEnd { found, .. } => {
                format!("unexpected END:{}", found.as_str())
            }
            Entry::TooManyComponents => {
                skipped.push(Skipped {
                    origin,
                    reason: "too many nested components; the rest of the file was not read"
                        .to_owned(),
                });
                break;
            }
            other => format!("not a vCard: {other:?}"),
        };
        skipped.push(Skipped { origin, reason });
    }
    (people, skipped)
}

/// `text` with each `BDAY:1980-08-17` written `BDAY:19800817`.
///
/// vCard 4.0 reads `1980-08` as a year and a month, so calcard takes `1980-08-17` for August
/// 1980 and drops the day; yet Google, Nextcloud and others write 4.0 birthdays that way. The
/// basic form means the same in every version, so rewriting only that value is safe.
fn with_basic_birthdays(text: &str) -> std::borrow::Cow<'_, str> {
    let is_extended_date = |v: &str| {
        let b = v.as_bytes();
        b.len() >= 10 && v.is_char_boundary(10)
            && b[4] == b'-'
            && b[7] == b'-'
            && [0, 1, 2, 3, 5, 6, 8, 9]
                .iter()
                .all(|&i| b[i].is_ascii_digit())
            // Dates only: date-times are read right, and their basic form would not be.
            && v[10..].trim().is_empty()
    };
    let needs = |line: &str| {
        let name = line.split([':', ';']).next().unwrap_or("");
        let name = name.rsplit('.').next().unwrap_or(name); // `item1.BDAY`
        name.eq_ignore_ascii_case("BDAY")
            && line
                .split_once(':')
                .is_some_and(|(_, value)| is_extended_date(value))
    };
    if !text.lines().any(needs) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match line.split_once(':') {
            Some((head, value)) if needs(line) => {
                out.push_str(head);
                out.push(':');
                out.push_str(&value[..4]);
                out.push_str(&value[5..7]);
                out.push_str(&value[8..]);
            }
            _ => out.push_str(line),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The person a card describes, or why it describes nobody.
fn person_from_card(card: &VCard, origin: String) -> Result<Person, String> {
    let is_group = card.properties(&VCardProperty::Kind).any(|e| {
        e.values
            .iter()
            .any(|v| matches!(v, VCardValue::Kind(VCardKind::Group | VCardKind::Org)))
    }) || card
        .properties(&VCardProperty::Other("X-ADDRESSBOOKSERVER-KIND".to_owned()))
        .any(|e| texts(e).iter().any(|t| t.eq_ignore_ascii_case("group")));
    if is_group {
        return Err("a group or organisation card, not a person".to_owned());
    }

    // N is family;given;additional;prefix;suffix; each part may be a comma list.
    let n_parts: Vec<String> = card
        .property(&VCardProperty::N)
        .map(|e| e.values.iter().map(|v| value_text(v, " ")).collect())
        .unwrap_or_default();
    let n_part = |i: usize| n_parts.get(i).map_or("", |s| s.trim());
    let (family, given, additional) = (n_part(0), n_part(1), n_part(2));
    let name_from_n = join_non_empty(&[given, additional, family]);

    let org = card
        .property(&VCardProperty::Org)
        .and_then(|e| e.values.first())
        .and_then(|v| non_empty(&value_text(v, " ")));
    let emails = emails(card);
    let display_name = first_text(card, &VCardProperty::Fn);
    let (first_name, last_name) = if !given.is_empty() || !family.is_empty() {
        (join_non_empty(&[given, additional]), family.to_owned())
    } else if let Some(display) = &display_name {
        // Without N, guess from the display name: `Ada Example` → `Ada` + `Example`.
        display.split_once(' ').map_or_else(
            || (display.clone(), String::new()),
            |(first, rest)| (first.to_owned(), rest.trim().to_owned()),
        )
    } else {
        // Named after the company or the address: the person's own name is unknown.
        (String::new(), String::new())
    };
    let full_name = display_name
        .or_else(|| non_empty(&name_from_n))
        .or_else(|| org.clone())
        .or_else(|| emails.first().cloned())
        .ok_or("no name: the card has no FN, N, ORG or EMAIL")?;

    let mut person = Person::named(&first_name, &last_name, &full_name, Source::VCard, origin);
    person.email = emails.first().cloned();
    person.emails = emails;
    person.company = org;
    person.role =
        first_text(card, &VCardProperty::Title).or_else(|| first_text(card, &VCardProperty::Role));
    person.phone = preferred_first(card.properties(&VCardProperty::Tel))
        .into_iter()
        .find_map(first_value_text)
        // 4.0 may write the number as a URI (`TEL;VALUE=uri:tel:+1-555-0100`); a note wants the number.
        .map(|tel| tel.strip_prefix("tel:").map_or(tel.clone(), str::to_owned));
    person.linkedin = linkedin_url(card);
    person.note = note(card);
    match birthday(card) {
        Ok(birthday) => person.birthday = birthday,
        Err(unreadable) => person
            .warnings
            .push(format!("birthday `{unreadable}` is not a date; left out")),
    }
    Ok(person)
}

/// The card's birthday: `Ok(None)` when it has none, `Err(text)` when none of its `BDAY`s is
/// a month and day (`circa 1980`).
fn birthday(card: &VCard) -> Result<Option<Birthday>, String> {
    let mut unreadable = None;
    for entry in card.properties(&VCardProperty::Bday) {
        let omitted_year = entry
            .parameters(&VCardParameterName::Other("X-APPLE-OMIT-YEAR".to_owned()))
            .find_map(|p| match p {
                VCardParameterValue::Text(t) => t.trim().parse::<u16>().ok(),
                VCardParameterValue::Integer(n) => u16::try_from(*n).ok(),
                _ => None,
            });
        for value in &entry.values {
            let found = match value {
                VCardValue::PartialDateTime(date) => {
                    let found = from_partial_date(date, omitted_year);
                    if found.is_none() && unreadable.is_none() {
                        // `BDAY:1980`: a year alone is no birthday to celebrate.
                        unreadable = describe_partial_date(date);
                    }
                    found
                }
                other => {
                    let text = value_text(other, " ");
                    let found = birthday_from_text(&text);
                    if found.is_none() && unreadable.is_none() && !text.trim().is_empty() {
                        unreadable = Some(text.trim().to_owned());
                    }
                    found
                }
            };
            if found.is_some() {
                return Ok(found);
            }
        }
    }
    unreadable.map_or(Ok(None), Err)
}

fn from_partial_date(date: &PartialDateTime, omitted_year: Option<u16>) -> Option<Birthday> {
    let month = u32::from(date.month?);
    let day = u32::from(date.day?);
    // 2000 is a leap year, so Feb 29 is accepted.
    NaiveDate::from_ymd_opt(2000, month, day)?;
    let year = date
        .year
        .filter(|y| !NO_YEAR_MARKERS.contains(y) && Some(*y) != omitted_year)
        .map(i32::from);
    Some(Birthday { year, month, day })
}

/// A partial date as vCard 4.0 writes it (`1980`, `--08`, `---17`, `19800231`), for messages.
fn describe_partial_date(date: &PartialDateTime) -> Option<String> {
    let (y, m, d) = (date.year, date.month, date.day);
    Some(match (y, m, d) {
        (None, None, None) => return None,
        (Some(y), None, None) => format!("{y:04}"),
        (Some(y), Some(m), None) => format!("{y:04}-{m:02}"),
        (None, Some(m), None) => format!("--{m:02}"),
        (None, None, Some(d)) => format!("---{d:02}"),
        (None, Some(m), Some(d)) => format!("--{m:02}{d:02}"),
        (Some(y), Some(m), Some(d)) => format!("{y:04}{m:02}{d:02}"),
        (Some(y), None, Some(d)) => format!("{y:04}, day {d}"),
    })
}

/// A birthday written as text, in the forms some clients use with `VALUE=text`.
fn birthday_from_text(text: &str) -> Option<Birthday> {
    let text = text.trim();
    if let Ok(birthday) = text.parse::<Birthday>() {
        return Some(birthday);
    }
    // `Birthday` reads ISO forms; vCard 3.0 also allows the basic form.
    let date = NaiveDate::parse_from_str(text, "%Y%m%d").ok()?;
    Some(Birthday {
        year: Some(date.year()),
        month: date.month(),
        day: date.day(),
    })
}

/// Every email address, the preferred one first, without duplicates.
fn emails(card: &VCard) -> Vec<String> {
    let mut emails: Vec<String> = Vec::new();
    for entry in preferred_first(card.properties(&VCardProperty::Email)) {
        if let Some(email) = first_value_text(entry) {
            // `mailto:` appears in some 4.0 exports that write EMAIL as a URI.
            let email = email
                .strip_prefix("mailto:")
                .map_or(email.clone(), str::to_owned);
            if !emails.iter().any(|e| e.eq_ignore_ascii_case(&email)) {
                emails.push(email);
            }
        }
    }
    emails
}

/// The card's `NOTE`s, one paragraph each; calcard has already unfolded them and turned `\n`
/// into line breaks.
fn note(card: &VCard) -> Option<String> {
    let notes: Vec<String> = card
        .properties(&VCardProperty::Note)
        // A NOTE is one text; an unescaped `,` or `;` in it is text too, not a list.
        .filter_map(|e| {
            let text = e
                .values
                .iter()
                .map(|v| value_text(v, ", "))
                .collect::<Vec<_>>()
                .join(", ");
            (!text.trim().is_empty()).then(|| text.trim_matches(['\r', '\n']).to_owned())
        })
        .collect();
    (!notes.is_empty()).then(|| notes.join("\n\n"))
}

/// A LinkedIn profile from `URL`, `SOCIALPROFILE` or Apple's `X-SOCIALPROFILE`.
fn linkedin_url(card: &VCard) -> Option<String> {
    card.entries
        .iter()
        .filter(|e| match &e.name {
            VCardProperty::Url | VCardProperty::Socialprofile => true,
            VCardProperty::Other(name) => name.eq_ignore_ascii_case("X-SOCIALPROFILE"),
            _ => false,
        })
        .filter_map(first_value_text)
        .find(|url| url.to_lowercase().contains("linkedin.com/"))
}

/// `entries` with those marked preferred (`PREF=1`, `TYPE=pref`, 2.1's bare `PREF`) first,
/// otherwise in card order.
fn preferred_first<'c>(entries: impl Iterator<Item = &'c VCardEntry>) -> Vec<&'c VCardEntry> {
    let mut entries: Vec<&VCardEntry> = entries.collect();
    entries.sort_by_key(|e| !is_preferred(e)); // stable: card order within each group
    entries
}

fn is_preferred(entry: &VCardEntry) -> bool {
    entry.params.iter().any(|p| {
        let name_is_pref = match &p.name {
            VCardParameterName::Pref => true,
            VCardParameterName::Other(name) => name.eq_ignore_ascii_case("pref"),
            _ => false,
        };
        let value_is_pref =
            matches!(&p.value, VCardParameterValue::Text(t) if t.eq_ignore_ascii_case("pref"));
        name_is_pref || value_is_pref
    })
}

/// The first non-blank text of the first `property` that has one.
fn first_text(card: &VCard, property: &VCardProperty) -> Option<String> {
    card.properties(property).find_map(first_value_text)
}

/// All values of `entry` as one trimmed text (`FN` may arrive split at unescaped commas).
fn first_value_text(entry: &VCardEntry) -> Option<String> {
    let parts = texts(entry);
    non_empty(&parts.join(", "))
}

fn texts(entry: &VCardEntry) -> Vec<String> {
    entry.values.iter().map(|v| value_text(v, ", ")).collect()
}

/// A value as text; list items joined with `separator`. Dates and binaries give `""`.
fn value_text(value: &VCardValue, separator: &str) -> String {
    match value {
        VCardValue::Text(text) => text.clone(),
        VCardValue::Component(parts) => parts
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(separator),
        VCardValue::Integer(n) => n.to_string(),
        VCardValue::Float(x) => x.to_string(),
        VCardValue::Boolean(_)
        | VCardValue::PartialDateTime(_)
        | VCardValue::Binary(_)
        | VCardValue::Sex(_)
        | VCardValue::GramGender(_)
        | VCardValue::Kind(_) => String::new(),
    }
}

fn join_non_empty(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_one(text: &str) -> Person {
        let (mut people, skipped) = parse_vcards(text, "contacts.vcf");
        assert_eq!(skipped, vec![]);
        assert_eq!(people.len(), 1, "{people:#?}");
        people.remove(0)
    }

    fn card(version: &str, lines: &str) -> String {
        format!("BEGIN:VCARD\r\nVERSION:{version}\r\n{lines}END:VCARD\r\n")
    }

    #[test]
    fn android_2_1_with_quoted_printable_and_charset() {
        let text = card(
            "2.1",
            "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Sample;Ren=C3=A9e;;;\r\n\
             FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Ren=C3=A9e Sam=\r\nple\r\n\
             TEL;CELL:+1 555 0100\r\n\
             TEL;CELL;PREF:+1 555 0199\r\n\
             EMAIL;HOME:renee@example.com\r\n\
             ORG;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Caf=E9 Acme\r\n",
        );
        let renee = parse_one(&text);
        assert_eq!(renee.full_name, "Ren\u{e9}e Sample");
        assert_eq!(renee.first_name, "Ren\u{e9}e");
        assert_eq!(renee.last_name, "Sample");
        assert_eq!(renee.company.as_deref(), Some("Caf\u{e9} Acme"));
        assert_eq!(renee.phone.as_deref(), Some("+1 555 0199"), "PREF first");
        assert_eq!(renee.email.as_deref(), Some("renee@example.com"));
        assert_eq!(renee.source, Source::VCard);
        assert_eq!(renee.origin, "contacts.vcf card 1");
    }

    #[test]
    fn apple_3_0_with_groups_folding_and_escapes() {
        let text = card(
            "3.0",
            "PRODID:-//Apple Inc.//macOS 14.0//EN\r\n\
             N:Example;Ada;;Dr.;\r\n\
             FN:Dr. Ada Ex\r\n ample\\, PhD\r\n\
             ORG:Acme\\, Inc.;Research\r\n\
             TITLE:Head of R&D\\; Europe\r\n\
             item1.EMAIL;type=INTERNET:ada.work@example.com\r\n\
             item1.X-ABLabel:_$!<Work>!$_\r\n\
             item2.EMAIL;type=INTERNET;type=pref:ada@example.com\r\n\
             item3.URL;type=pref:https://www.linkedin.com/in/ada-example\r\n\
             item3.X-ABLabel:LinkedIn\r\n\
             BDAY;X-APPLE-OMIT-YEAR=1604:1604-08-17\r\n",
        );
        let ada = parse_one(&text);
        assert_eq!(ada.full_name, "Dr. Ada Example, PhD");
        assert_eq!(
            (ada.first_name.as_str(), ada.last_name.as_str()),
            ("Ada", "Example")
        );
        assert_eq!(ada.company.as_deref(), Some("Acme, Inc."));
        assert_eq!(ada.role.as_deref(), Some("Head of R&D; Europe"));
        assert_eq!(ada.email.as_deref(), Some("ada@example.com"));
        assert_eq!(ada.emails, vec!["ada@example.com", "ada.work@example.com"]);
        assert_eq!(
            ada.linkedin.as_deref(),
            Some("https://www.linkedin.com/in/ada-example")
        );
        assert_eq!(
            ada.birthday,
            Some(Birthday {
                year: None,
                month: 8,
                day: 17
            })
        );
    }

    #[test]
    fn vcard_4_0() {
        let text = card(
            "4.0",
            "FN:Grace Sample\r\n\
             N:Sample;Grace;Mary,Ann;;\r\n\
             EMAIL;TYPE=work:grace.work@example.com\r\n\
             EMAIL;PREF=1:grace@example.com\r\n\
             TEL;VALUE=uri;TYPE=cell:tel:+1-555-0100\r\n\
             BDAY:19850203\r\n\
             ROLE:Maintainer\r\n",
        );
        let grace = parse_one(&text);
        assert_eq!(grace.full_name, "Grace Sample");
        assert_eq!(grace.first_name, "Grace Mary Ann");
        assert_eq!(grace.email.as_deref(), Some("grace@example.com"));
        assert_eq!(grace.role.as_deref(), Some("Maintainer"));
        assert_eq!(grace.phone.as_deref(), Some("+1-555-0100"));
        assert_eq!(
            grace.birthday,
            Some(Birthday {
                year: Some(1985),
                month: 2,
                day: 3
            })
        );
    }

    #[test]
    fn several_cards_in_one_file_are_numbered() {
        let text = [
            card("3.0", "FN:Ada Example\r\n"),
            "\r\n".to_owned(),
            card("3.0", "FN:Grace Sample\r\n"),
            card("3.0", "NOTE:nobody\r\n"),
            card("4.0", "FN:Alan Sample\r\n"),
        ]
        .concat();
        let (people, skipped) = parse_vcards(&text, "contacts.vcf");
        let names: Vec<_> = people
            .iter()
            .map(|p| (p.full_name.as_str(), p.origin.as_str()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("Ada Example", "contacts.vcf card 1"),
                ("Grace Sample", "contacts.vcf card 2"),
                ("Alan Sample", "contacts.vcf card 4"),
            ]
        );
        assert_eq!(
            skipped,
            vec![Skipped {
                origin: "contacts.vcf card 3".into(),
                reason: "no name: the card has no FN, N, ORG or EMAIL".into()
            }]
        );
    }

    #[test]
    fn cards_without_fn_are_named_from_n_then_org_then_email() {
        let text = [
            card("3.0", "N:Example;Ada;;;\r\n"),
            card("3.0", "FN:Grace Mary Sample\r\n"),
            card("3.0", "ORG:Acme Labs;Research\r\n"),
            card("3.0", "EMAIL:grace@example.com\r\n"),
            card("3.0", "N:;;;;\r\nFN:\r\n"),
        ]
        .concat();
        let (people, skipped) = parse_vcards(&text, "contacts.vcf");
        let summary: Vec<_> = people
            .iter()
            .map(|p| {
                (
                    p.full_name.as_str(),
                    p.first_name.as_str(),
                    p.last_name.as_str(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("Ada Example", "Ada", "Example"),
                ("Grace Mary Sample", "Grace", "Mary Sample"),
                ("Acme Labs", "", ""),
                ("grace@example.com", "", ""),
            ]
        );
        assert_eq!(people[2].company.as_deref(), Some("Acme Labs"));
        assert_eq!(people[3].email.as_deref(), Some("grace@example.com"));
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].origin, "contacts.vcf card 5");
    }

    #[test]
    fn notes_keep_their_lines_folded_or_not() {
        let text = card(
            "3.0",
            concat!(
                "FN:Ada Example\r\n",
                "NOTE:Met at the fair\\n- [x] [[Victim]]\\, and more\\; much\r\n",
                // Unfolding drops the line break and one space: the other is the text's.
                "  more\r\n",
                "NOTE:  \r\n",
                "NOTE:Second note\r\n",
            ),
        );
        assert_eq!(
            parse_one(&text).note.as_deref(),
            Some("Met at the fair\n- [x] [[Victim]], and more; much more\n\nSecond note")
        );
        let text = card(
            "2.1",
            "FN:Ada Example\r\nNOTE;ENCODING=QUOTED-PRINTABLE:Line one=0D=0A## Log=\r\n done\r\n",
        );
        assert_eq!(
            parse_one(&text).note.as_deref(),
            Some("Line one\r\n## Log done")
        );
        let text = card("4.0", "FN:Ada Example\r\n");
        assert_eq!(parse_one(&text).note, None);
    }

    #[test]
    fn groups_are_not_people() {
        let text = [
            card("4.0", "KIND:group\r\nFN:Book club\r\n"),
            card("3.0", "FN:Friends\r\nX-ADDRESSBOOKSERVER-KIND:group\r\n"),
        ]
        .concat();
        let (people, skipped) = parse_vcards(&text, "contacts.vcf");
        assert!(people.is_empty());
        assert_eq!(skipped.len(), 2);
    }

    #[test]
    fn every_birthday_form_is_read() {
        let with_year = Some(Birthday {
            year: Some(1980),
            month: 8,
            day: 17,
        });
        let without_year = Some(Birthday {
            year: None,
            month: 8,
            day: 17,
        });
        for (version, line, expected) in [
            ("3.0", "BDAY:19800817", with_year),
            ("3.0", "BDAY:1980-08-17", with_year),
            ("2.1", "BDAY:1980-08-17", with_year),
            ("3.0", "BDAY;VALUE=date:1980-08-17", with_year),
            ("3.0", "BDAY:1980-08-17T00:00:00Z", with_year),
            ("4.0", "BDAY:19800817T000000Z", with_year),
            ("4.0", "BDAY:--0817", without_year),
            ("4.0", "BDAY:1980-08-17", with_year),
            ("4.0", "item1.BDAY;VALUE=date:1980-08-17", with_year),
            (
                "3.0",
                "BDAY;X-APPLE-OMIT-YEAR=1604:1604-08-17",
                without_year,
            ),
            ("4.0", "BDAY;VALUE=text:1980-08-17", with_year),
            ("4.0", "BDAY;VALUE=text:19800817", with_year),
        ] {
            let person = parse_one(&card(version, &format!("FN:Ada Example\r\n{line}\r\n")));
            assert_eq!(person.birthday, expected, "{version} {line}");
            assert_eq!(person.warnings, Vec::<String>::new(), "{line}");
        }
    }

    #[test]
    fn an_unreadable_birthday_is_reported_not_fatal() {
        let text = card("4.0", "FN:Ada Example\r\nBDAY;VALUE=text:circa 1980\r\n");
        let ada = parse_one(&text);
        assert_eq!(ada.birthday, None);
        assert_eq!(
            ada.warnings,
            vec!["birthday `circa 1980` is not a date; left out"]
        );
    }

    #[test]
    fn a_year_alone_is_not_a_birthday() {
        let ada = parse_one(&card("4.0", "FN:Ada Example\r\nBDAY:1980\r\n"));
        assert_eq!(ada.birthday, None);
        assert_eq!(
            ada.warnings,
            vec!["birthday `1980` is not a date; left out"]
        );
        // calcard reads the extended `--08-17` (not RFC 6350 syntax) as a month alone: the day
        // is lost, so it is reported rather than guessed.
        let ada = parse_one(&card("4.0", "FN:Ada Example\r\nBDAY:--08-17\r\n"));
        assert_eq!(ada.birthday, None);
        assert_eq!(
            ada.warnings,
            vec!["birthday `--08` is not a date; left out"]
        );
        let ada = parse_one(&card("4.0", "FN:Ada Example\r\nBDAY:---17\r\n"));
        assert_eq!(
            ada.warnings,
            vec!["birthday `---17` is not a date; left out"]
        );
    }
}
