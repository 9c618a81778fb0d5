//! Notes that are not a second person: sync tools' conflict copies, and notes that share a
//! name (or are `Ada 2.md` beside `Ada.md`).

use std::path::Path;

use rayon::prelude::*;

use super::lookup;
use crate::error::{Issue, Location, Problem, slash_path};
use crate::model::Contact;

/// Syncthing's `Ada.sync-conflict-20260101-101010-ABCDEFG.md` and Dropbox's
/// `Ada (conflicted copy 2026-01-01).md` are copies of another note, not people.
pub(super) fn sync_conflict(rel: &Path) -> Option<Problem> {
    let stem = rel.file_stem()?.to_string_lossy();
    let original = if let Some(i) = stem.find(".sync-conflict-") {
        &stem[..i]
    } else if let Some(i) = stem.find(" (conflicted copy") {
        &stem[..i]
    } else if let Some(i) = stem.find("'s conflicted copy") {
        stem[..i]
            .rsplit_once(" (")
            .map_or(&stem[..i], |(name, _)| name)
    } else {
        return None;
    };
    Some(Problem::new(
        Location::file(rel),
        Issue::ConflictCopy {
            original: original.to_owned(),
        },
    ))
}

/// Two notes for what looks like the same person: the same name (case- and accent-blind),
/// or `Ada 2.md` beside `Ada.md` as iCloud and others leave them.
pub(super) fn duplicate_names(contacts: &[Contact]) -> Vec<Problem> {
    let keys: Vec<std::borrow::Cow<'_, crate::model::NameKeys>> =
        contacts.par_iter().map(crate::names::keys).collect();
    // Sorting groups the namesakes, each group in path order (the order of `contacts`). By a
    // hash of the name first: the groups may come in any order, and numbers compare much
    // faster than names.
    let hashes: Vec<u64> = keys.par_iter().map(|k| lookup::hash(&k.name)).collect();
    let mut order: Vec<usize> = (0..contacts.len()).collect();
    order.par_sort_unstable_by(|&a, &b| {
        (hashes[a].cmp(&hashes[b]))
            .then_with(|| keys[a].name.cmp(&keys[b].name))
            .then(a.cmp(&b))
    });
    let mut namesakes: Vec<&[usize]> = vec![&[]; contacts.len()];
    for group in order.chunk_by(|&a, &b| keys[a].name == keys[b].name) {
        if group.len() > 1 {
            for &i in group {
                namesakes[i] = group;
            }
        }
    }
    contacts
        .par_iter()
        .enumerate()
        .filter_map(|(i, contact)| {
            if !namesakes[i].is_empty() {
                let others = namesakes[i]
                    .iter()
                    .filter(|&&j| j != i)
                    .map(|&j| slash_path(&contacts[j].path))
                    .collect();
                return Some(Problem::new(
                    Location::file(&contact.path),
                    Issue::SameName {
                        name: contact.name.clone(),
                        others,
                    },
                ));
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
                    Problem::new(
                        Location::file(&contact.path),
                        Issue::SyncCopy {
                            twin: slash_path(&twin),
                        },
                    )
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sync_conflict_copies_are_recognised() {
        for (path, original) in [
            ("People/Ada.sync-conflict-20260101-101010-ABCDEFG.md", "Ada"),
            ("Ada (conflicted copy 2026-01-01).md", "Ada"),
            ("Ada (Grace's conflicted copy 2026-01-01).md", "Ada"),
        ] {
            let problem = sync_conflict(Path::new(path)).expect(path);
            assert!(
                problem.message().contains(&format!("`{original}.md`")),
                "{path}: {}",
                problem.message()
            );
        }
        assert!(sync_conflict(Path::new("People/Ada Lovelace.md")).is_none());
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
        let mut contacts = vec![ada, twin, other, grace];
        contacts.sort_by(|a, b| a.path.cmp(&b.path));
        let problems = duplicate_names(&contacts);
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "People/Ada 2.md: warning: looks like a sync copy of `People/Ada.md`; merge them if they are one person",
                "People/grace.md: warning: another note has the name `grace`: `Work/Grace.md`; merge them if they are one person",
                "Work/Grace.md: warning: another note has the name `Grace`: `People/grace.md`; merge them if they are one person",
            ]
        );
    }
}
