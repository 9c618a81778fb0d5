//! Finding a contact by what a person types or links: name, file stem, alias or path,
//! case- and accent-insensitively, through a hash index (never a scan of the vault).

use crate::error::slash_path;
use crate::model::Contact;
use crate::names::name_key;
use rayon::prelude::*;

/// Contacts by every key that names them, with how strongly each key names them.
///
/// The index holds hashes, not the keys: one sorted array of (key hash, contact, tier), built
/// on all cores with no allocation per key. A lookup checks its candidates' own keys, so two
/// keys that share a hash are never confused.
#[derive(Debug)]
pub struct NameIndex {
    entries: Vec<(u64, u32, Tier)>,
}

/// A name key's hash, the same in every thread of the process (all an index needs). XXH3,
/// which the output writer uses too: faster than std's `SipHash` on short keys.
pub(crate) fn hash(key: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(key.as_bytes())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    Path,
    Stem,
    Name,
    Alias,
}

/// Why a name did not lead to exactly one contact.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    #[error("no contact is called `{name}`{}", suggest(.closest))]
    Unknown { name: String, closest: Vec<String> },
    #[error("`{name}` could be {}; name the note's path to choose", list(.candidates))]
    Ambiguous {
        name: String,
        candidates: Vec<String>,
    },
}

fn suggest(closest: &[String]) -> String {
    if closest.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", list(closest))
    }
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

impl NameIndex {
    pub fn new(contacts: &[Contact]) -> NameIndex {
        let mut entries: Vec<(u64, u32, Tier)> = contacts
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, contact)| {
                let keys = crate::names::keys(contact);
                let id = u32::try_from(i).expect("fewer than 4 billion contacts");
                let mut own = vec![
                    (hash(keys.path()), id, Tier::Path),
                    (hash(keys.stem()), id, Tier::Stem),
                    (hash(keys.name()), id, Tier::Name),
                ];
                own.extend(keys.aliases().map(|a| (hash(a), id, Tier::Alias)));
                own
            })
            .collect();
        // By key, then contact, then tier: a contact named twice by one key (its file name
        // is its name) keeps only its strongest tier.
        entries.par_sort_unstable();
        entries.dedup_by(|b, a| (a.0, a.1) == (b.0, b.1));
        NameIndex { entries }
    }

    /// The contact `name` means, by vault path (with or without `.md`), file name, name or
    /// alias, in that order of precedence.
    pub fn find(&self, contacts: &[Contact], name: &str) -> Result<usize, LookupError> {
        let (key, ids) = self.candidates(contacts, name);
        match best_of(&ids) {
            Best::One(one) => Ok(one),
            Best::None => Err(LookupError::Unknown {
                name: name.to_owned(),
                closest: closest(contacts, &key),
            }),
            Best::Many(best) => Err(LookupError::Ambiguous {
                name: name.to_owned(),
                candidates: ids
                    .iter()
                    .filter(|(_, tier)| *tier == best)
                    .map(|&(i, _)| slash_path(&contacts[i].path))
                    .collect(),
            }),
        }
    }

    /// [`NameIndex::find`] when only a match matters: no "did you mean" is looked for among
    /// everyone on a miss (a comparison with every name), and an ambiguous name is `None`.
    pub fn find_one(&self, contacts: &[Contact], name: &str) -> Option<usize> {
        match best_of(&self.candidates(contacts, name).1) {
            Best::One(one) => Some(one),
            Best::None | Best::Many(_) => None,
        }
    }

    /// The key `name` is looked up by, and the contacts it names at each tier.
    fn candidates(&self, contacts: &[Contact], name: &str) -> (String, Vec<(usize, Tier)>) {
        let wanted = name.trim().trim_start_matches("./");
        // A path may be given with its `.md`; the index holds paths without it.
        let wanted = wanted
            .strip_suffix(".md")
            .filter(|w| w.contains('/'))
            .unwrap_or(wanted);
        let key = name_key(wanted);
        let h = hash(&key);
        let start = self.entries.partition_point(|e| e.0 < h);
        let ids = self.entries[start..]
            .iter()
            .take_while(|e| e.0 == h)
            .map(|&(_, id, tier)| (id as usize, tier))
            .filter(|&(i, tier)| {
                let keys = crate::names::keys(&contacts[i]);
                match tier {
                    Tier::Path => keys.path() == key,
                    Tier::Stem => keys.stem() == key,
                    Tier::Name => keys.name() == key,
                    Tier::Alias => keys.aliases().any(|a| a == key),
                }
            })
            .collect();
        (key, ids)
    }
}

/// What the candidates of a name come to at their best tier.
enum Best {
    One(usize),
    None,
    Many(Tier),
}

fn best_of(ids: &[(usize, Tier)]) -> Best {
    let Some(best) = ids.iter().map(|(_, tier)| *tier).min() else {
        return Best::None;
    };
    let mut found = ids.iter().filter(|(_, tier)| *tier == best);
    match (found.next(), found.next()) {
        (Some(&(one, _)), None) => Best::One(one),
        _ => Best::Many(best),
    }
}

/// Up to three contact names nearest to `key`, for "did you mean"; only computed on a miss.
fn closest(contacts: &[Contact], key: &str) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> = contacts
        .iter()
        .map(|c| {
            (
                strsim::jaro_winkler(key, crate::names::keys(c).name()),
                c.name.as_str(),
            )
        })
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(3)
        .map(|(_, name)| name.to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn contact(path: &str, name: &str, aliases: &[&str]) -> Contact {
        let mut c = Contact::named(name);
        c.path = path.into();
        c.stem = Path::new(path)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        c.aliases = aliases.iter().map(|a| (*a).to_owned()).collect();
        c
    }

    fn vault() -> Vec<Contact> {
        vec![
            contact("People/José Núñez.md", "José Núñez", &["Pepe"]),
            contact("People/Work/Sam Rivera.md", "Sam Rivera", &[]),
            contact("People/Personal/Sam Rivera.md", "Sam Rivera", &["Sammy"]),
            contact("People/ada.md", "Ada Lovelace", &[]),
        ]
    }

    #[test]
    fn names_stems_aliases_and_paths_all_find_the_contact() {
        let contacts = vault();
        let index = NameIndex::new(&contacts);
        for (query, expected) in [
            ("José Núñez", 0),
            ("jose nunez", 0),
            ("JOSE NU\u{0301}N\u{0303}EZ", 0),
            ("pepe", 0),
            ("Sammy", 2),
            ("People/Work/Sam Rivera", 1),
            ("People/Work/Sam Rivera.md", 1),
            ("ada", 3),
            ("Ada Lovelace", 3),
        ] {
            assert_eq!(index.find(&contacts, query), Ok(expected), "{query}");
        }
    }

    #[test]
    fn find_one_answers_as_find_does_without_the_error() {
        let contacts = vault();
        let index = NameIndex::new(&contacts);
        for query in [
            "pepe",
            "Sammy",
            "People/Work/Sam Rivera.md",
            "Sam Rivera",
            "Nobody",
            "jose",
        ] {
            assert_eq!(
                index.find_one(&contacts, query),
                index.find(&contacts, query).ok(),
                "{query}"
            );
        }
        assert_eq!(index.find_one(&contacts, "Sam Rivera"), None, "two notes");
    }

    #[test]
    fn a_file_name_beats_another_note_s_alias() {
        let contacts = vec![
            contact("People/Taro Watanabe.md", "Taro Watanabe", &[]),
            contact("People/Work/渡辺 太郎.md", "渡辺 太郎", &["Taro Watanabe"]),
        ];
        let index = NameIndex::new(&contacts);
        assert_eq!(index.find(&contacts, "Taro Watanabe"), Ok(0));
        assert_eq!(index.find(&contacts, "渡辺 太郎"), Ok(1));
    }

    #[test]
    fn an_ambiguous_name_lists_the_candidates() {
        let contacts = vault();
        let err = NameIndex::new(&contacts)
            .find(&contacts, "sam rivera")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "`sam rivera` could be `People/Work/Sam Rivera.md` or `People/Personal/Sam Rivera.md`; \
             name the note's path to choose"
        );
    }

    #[test]
    fn an_unknown_name_suggests_the_closest() {
        let contacts = vault();
        let err = NameIndex::new(&contacts)
            .find(&contacts, "Jose Nunes")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "no contact is called `Jose Nunes` (did you mean `José Núñez`?)"
        );
        let err = NameIndex::new(&contacts)
            .find(&contacts, "Zebulon")
            .unwrap_err();
        assert_eq!(err.to_string(), "no contact is called `Zebulon`");
    }
}
