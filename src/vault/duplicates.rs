//! Notes that are not a second person: sync tools' conflict copies, and notes that share a
//! name (or are `Ada 2.md` beside `Ada.md`).

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::lookup;
use crate::error::{Issue, Location, Problem, slash_path};
use crate::model::Contact;
use crate::names::{Conflict, copy_of};

/// Is the note at `rel` a sync tool's conflict copy? By its name alone when the tool says so
/// (Syncthing, Dropbox); for names a person might choose (iCloud's `Ada 2.md`, `OneDrive`'s
/// `Ada-LAPTOP.md`), only when `contact` is the same person as the note beside it under the
/// original name, which is then read from disk (such names are few).
pub(super) fn conflict_copy(
    root: &Path,
    rel: &Path,
    contact: Option<&Contact>,
    in_people: bool,
) -> Option<Problem> {
    let stem = rel.file_stem()?.to_str()?;
    let originals = copy_of(stem);
    let copy = |original: &str| {
        Problem::new(
            Location::file(rel),
            Issue::ConflictCopy {
                original: original.to_owned(),
            },
        )
    };
    if let Some(&(original, _)) = originals.iter().find(|(_, how)| *how == Conflict::Certain) {
        return Some(copy(original));
    }
    let contact = contact?;
    originals.iter().find_map(|&(original, _)| {
        let twin = rel.with_file_name(format!("{original}.md"));
        let text = crate::files::read_regular_text(&root.join(&twin)).ok()?;
        match crate::note::parse_note(&twin, &text, in_people) {
            crate::note::Parsed::Contact(twin, _) if same_person(contact, &twin) => {
                Some(copy(original))
            }
            _ => None,
        }
    })
}

/// Whether a note and its possible original say the same of who the person is and how you
/// met. A conflict copy differs in what one device added (a Log line, a `last-touch`), not
/// in these; two people who merely share a first name differ in them.
fn same_person(copy: &Contact, original: &Contact) -> bool {
    // A name that is only the file stem is not a `name:` of its own.
    fn named(c: &Contact) -> Option<&str> {
        (c.name != c.stem).then_some(c.name.as_ref())
    }
    named(copy) == named(original)
        && copy.met_date == original.met_date
        && copy.context == original.context
        && copy.email == original.email
        && copy.linkedin == original.linkedin
}

/// Two notes for what looks like the same person: the same name (case- and accent-blind),
/// or `Ada 2.md` beside `Ada.md` as iCloud and others leave them.
pub(super) fn duplicate_names(contacts: &[Contact]) -> Vec<Arc<Problem>> {
    let keys: Vec<std::borrow::Cow<'_, crate::model::NameKeys>> =
        contacts.par_iter().map(crate::names::keys).collect();
    let names: Vec<&str> = keys.iter().map(|k| k.name()).collect();
    let order = namesakes_together(&names, lookup::hash);
    // Each group's paths, once: every member's problem shares them. Made on all cores: a
    // vault imported from a large network has thousands of namesakes.
    let groups: Vec<&[usize]> = order
        .chunk_by(|&a, &b| names[a] == names[b])
        .filter(|group| group.len() > 1)
        .collect();
    let groups: Vec<(&[usize], Arc<[String]>)> = groups
        .into_par_iter()
        .map(|group| {
            let paths = group
                .iter()
                .map(|&i| slash_path(&contacts[i].path))
                .collect();
            (group, paths)
        })
        .collect();
    // For each contact with namesakes: its group, and its place in the group.
    let mut namesakes: Vec<Option<(usize, u32)>> = vec![None; contacts.len()];
    for (g, (group, _)) in groups.iter().enumerate() {
        for (me, &i) in (0u32..).zip(group.iter()) {
            namesakes[i] = Some((g, me));
        }
    }
    contacts
        .par_iter()
        .enumerate()
        .filter_map(|(i, contact)| {
            if let Some((g, me)) = namesakes[i] {
                return Some(Arc::new(Problem::new(
                    Location::file(&contact.path),
                    Issue::SameName {
                        name: contact.name.to_string(),
                        namesakes: Arc::clone(&groups[g].1),
                        me,
                    },
                )));
            }
            let (base, n) = contact.stem.rsplit_once(' ')?;
            if !n.parse::<u8>().is_ok_and(|n| n >= 2) {
                return None;
            }
            let twin = contact.path.with_file_name(format!("{base}.md"));
            contacts
                .binary_search_by(|c| c.path.cmp(&twin))
                .is_ok()
                .then(|| {
                    Arc::new(Problem::new(
                        Location::file(&contact.path),
                        Issue::SyncCopy {
                            twin: slash_path(&twin),
                        },
                    ))
                })
        })
        .collect()
}

/// The indices of `names` with equal names side by side, each run in index order (for the
/// vault, path order), runs in no particular order. Sorted by the names' hashes, as pairs
/// rather than indices into them (no lookup per comparison, and numbers compare faster
/// than names), and by the names themselves only where two of them share a hash.
fn namesakes_together(names: &[&str], hash: impl Fn(&str) -> u64 + Sync) -> Vec<usize> {
    let mut order: Vec<(u64, usize)> = names
        .par_iter()
        .enumerate()
        .map(|(i, name)| (hash(name), i))
        .collect();
    order.par_sort_unstable();
    order
        .chunk_by_mut(|a, b| a.0 == b.0)
        .flat_map(|run| {
            if run.iter().any(|&(_, i)| names[i] != names[run[0].1]) {
                run.sort_by(|&(_, a), &(_, b)| names[a].cmp(names[b]).then(a.cmp(&b)));
            }
            run.iter().map(|&(_, i)| i)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// With the real hash, and with one that makes every name collide.
        #[test]
        fn namesakes_come_together_in_path_order_whatever_their_hashes(
            names in proptest::collection::vec("[abc]{0,2}", 0..40),
            collide in proptest::bool::ANY,
        ) {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let order = if collide {
                namesakes_together(&names, |_| 7)
            } else {
                namesakes_together(&names, lookup::hash)
            };
            let mut runs: Vec<Vec<usize>> = order
                .chunk_by(|&a, &b| names[a] == names[b])
                .map(<[usize]>::to_vec)
                .collect();
            runs.sort();
            let mut expected = std::collections::BTreeMap::<&str, Vec<usize>>::new();
            for (i, name) in names.iter().enumerate() {
                expected.entry(name).or_default().push(i);
            }
            let mut expected: Vec<Vec<usize>> = expected.into_values().collect();
            expected.sort();
            proptest::prop_assert_eq!(runs, expected);
        }
    }

    #[test]
    fn sync_conflict_copies_are_recognised() {
        for (path, original) in [
            ("People/Ada.sync-conflict-20260101-101010-ABCDEFG.md", "Ada"),
            ("Ada (conflicted copy 2026-01-01).md", "Ada"),
            ("Ada (Grace's conflicted copy 2026-01-01).md", "Ada"),
        ] {
            let problem =
                conflict_copy(Path::new("/nonexistent"), Path::new(path), None, false).expect(path);
            assert!(
                problem.message().contains(&format!("`{original}.md`")),
                "{path}: {}",
                problem.message()
            );
        }
        let ada = Contact::named("Ada 2");
        for path in ["People/Ada Lovelace.md", "People/Ada 2.md"] {
            assert!(
                conflict_copy(
                    Path::new("/nonexistent"),
                    Path::new(path),
                    Some(&ada),
                    false
                )
                .is_none()
            );
        }
    }

    #[test]
    fn numbered_twins_and_same_names_are_reported() {
        let mut ada = Contact::named("Ada");
        ada.path = "People/Ada.md".into();
        let mut twin = Contact::named("Ada 2");
        twin.path = "People/Ada 2.md".into();
        let mut other = Contact::named("Grace");
        other.path = "Work/Grace.md".into();
        let mut grace = Contact::named("grace");
        grace.path = "People/grace.md".into();
        let mut third = Contact::named("GRACE");
        third.path = "Old/GRACE.md".into();
        let mut contacts = vec![ada, twin, other, grace, third];
        contacts.sort_by(|a, b| a.path.cmp(&b.path));
        let problems = duplicate_names(&contacts);
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "Old/GRACE.md: warning: another note has the name `GRACE`: `People/grace.md`, `Work/Grace.md`; merge them if they are one person",
                "People/Ada 2.md: warning: looks like a sync copy of `People/Ada.md`; merge them if they are one person",
                "People/grace.md: warning: another note has the name `grace`: `Old/GRACE.md`, `Work/Grace.md`; merge them if they are one person",
                "Work/Grace.md: warning: another note has the name `Grace`: `Old/GRACE.md`, `People/grace.md`; merge them if they are one person",
            ]
        );
    }
}
