//! Finding a contact by what a person types or links: name, file stem, alias or path,
//! case- and accent-insensitively: through a hash index where lookups repeat (`watch`,
//! pass after pass), else for all of a command's names at once in one pass over the
//! contacts.

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
        self.candidates(contacts, name).contact(contacts)
    }

    /// [`NameIndex::find`] when only a match matters: no "did you mean" is looked for among
    /// everyone on a miss (a comparison with every name), and an ambiguous name is `None`.
    pub fn find_one(&self, contacts: &[Contact], name: &str) -> Option<usize> {
        self.candidates(contacts, name).one()
    }

    /// The contacts `name` names, at each tier.
    pub fn candidates<'n>(&self, contacts: &[Contact], name: &'n str) -> Found<'n> {
        let key = wanted_key(name);
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
        Found { name, key, ids }
    }
}

/// The key `name` is looked up by: a path may be given with its `.md`, and the keys of paths
/// are without it.
fn wanted_key(name: &str) -> String {
    let wanted = name.trim().trim_start_matches("./");
    let wanted = wanted
        .strip_suffix(".md")
        .filter(|w| w.contains('/'))
        .unwrap_or(wanted);
    name_key(wanted)
}

/// What one name was found to name: each contact with the strongest tier by which it names
/// that contact, in contact order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<'n> {
    name: &'n str,
    key: String,
    ids: Vec<(usize, Tier)>,
}

impl Found<'_> {
    /// The one contact the name means, or why there is none.
    pub fn contact(&self, contacts: &[Contact]) -> Result<usize, LookupError> {
        match best_of(&self.ids) {
            Best::One(one) => Ok(one),
            Best::None => Err(LookupError::Unknown {
                name: self.name.to_owned(),
                closest: closest(contacts, &self.key),
            }),
            Best::Many(best) => Err(LookupError::Ambiguous {
                name: self.name.to_owned(),
                candidates: self
                    .ids
                    .iter()
                    .filter(|(_, tier)| *tier == best)
                    .map(|&(i, _)| slash_path(&contacts[i].path))
                    .collect(),
            }),
        }
    }

    /// [`Found::contact`] when only a match matters: no "did you mean" is looked for, and an
    /// ambiguous name is `None`.
    pub fn one(&self) -> Option<usize> {
        match best_of(&self.ids) {
            Best::One(one) => Some(one),
            Best::None | Best::Many(_) => None,
        }
    }
}

/// What each of `names` names, found in one pass over `contacts` on all cores, with no index:
/// for a command that looks up a few names once, hashing every contact's keys and keeping
/// those asked for costs a fraction of building and sorting the index of them all.
pub fn scan<'n>(contacts: &[Contact], names: &[&'n str]) -> Vec<Found<'n>> {
    if names.is_empty() {
        return Vec::new();
    }
    let keys: Vec<String> = names.iter().map(|name| wanted_key(name)).collect();
    let mut wanted: Vec<(u64, usize)> = (0..keys.len()).map(|n| (hash(&keys[n]), n)).collect();
    wanted.sort_unstable();
    // (name, contact, tier) for every key of a contact that is one of the names.
    let mut hits: Vec<(usize, usize, Tier)> = contacts
        .par_iter()
        .enumerate()
        .fold(Vec::new, |mut hits, (i, contact)| {
            let own = crate::names::keys(contact);
            let tiers = [
                (own.path(), Tier::Path),
                (own.stem(), Tier::Stem),
                (own.name(), Tier::Name),
            ];
            let aliases = own.aliases().map(|a| (a, Tier::Alias));
            for (key, tier) in tiers.into_iter().chain(aliases) {
                let h = hash(key);
                let start = wanted.partition_point(|w| w.0 < h);
                for &(_, n) in wanted[start..].iter().take_while(|w| w.0 == h) {
                    if keys[n] == key {
                        hits.push((n, i, tier));
                    }
                }
            }
            hits
        })
        .reduce(Vec::new, |mut a, mut b| {
            a.append(&mut b);
            a
        });
    // By name, then contact, then tier: as in the index, a contact named twice by one key
    // keeps only its strongest tier.
    hits.sort_unstable();
    hits.dedup_by(|b, a| (a.0, a.1) == (b.0, b.1));
    let mut found: Vec<Found<'n>> = names
        .iter()
        .zip(keys)
        .map(|(&name, key)| Found {
            name,
            key,
            ids: Vec::new(),
        })
        .collect();
    for (n, i, tier) in hits {
        found[n].ids.push((i, tier));
    }
    found
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
                c.name.as_ref(),
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
            .into();
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

    proptest::proptest! {
        /// Names, file names and aliases drawn from a few letters, so that notes share them
        /// and one note's alias is another's name; asked for as typed, in capitals, as paths.
        #[test]
        fn a_scan_finds_what_the_index_finds(
            people in proptest::collection::vec(
                ("[abé]{1,2}", "[abé]{1,2}", proptest::collection::vec("[abé]{1,2}", 0..3)),
                1..12,
            ),
            asked in proptest::collection::vec("[abéAB/]{1,4}", 0..6),
        ) {
            let contacts: Vec<Contact> = people
                .iter()
                .enumerate()
                .map(|(n, (stem, name, aliases))| {
                    let folder = if n % 2 == 0 { "People" } else { "People/Work" };
                    let aliases: Vec<&str> = aliases.iter().map(String::as_str).collect();
                    contact(&format!("{folder}/{stem}.md"), name, &aliases)
                })
                .collect();
            let mut names: Vec<String> = asked;
            for c in &contacts {
                names.extend([
                    c.name.to_uppercase(),
                    c.stem.to_string(),
                    format!("./{}", slash_path(&c.path)),
                ]);
            }
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let index = NameIndex::new(&contacts);
            for (name, found) in names.iter().zip(scan(&contacts, &names)) {
                let indexed = index.candidates(&contacts, name);
                proptest::prop_assert_eq!(&found, &indexed, "{}", name);
                proptest::prop_assert_eq!(found.contact(&contacts), index.find(&contacts, name));
                proptest::prop_assert_eq!(found.one(), index.find_one(&contacts, name));
            }
        }
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
