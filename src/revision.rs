//! What an earlier pass computed for each contact, found again for this pass's contacts.
//!
//! `watch` keeps statuses and index rows from pass to pass. A value is valid while its
//! contact is the same read of its note (the same [`crate::model::Contact::revision`]).

use std::collections::HashMap;

/// An earlier pass's values, each with the revision of the contact it was computed for, in
/// that pass's contact order.
pub struct Earlier<'a, T> {
    entries: &'a [(u64, T)],
    /// By revision, when contacts came or went since: indices no longer line up.
    moved: Option<HashMap<u64, usize>>,
}

impl<'a, T> Earlier<'a, T> {
    /// `entries` from the earlier pass, for a pass over `now` contacts. After an edit the
    /// contacts are where they were and are found by index; after a note came or went, by
    /// revision.
    pub fn new(entries: &'a [(u64, T)], now: usize) -> Self {
        let moved = (entries.len() != now).then(|| {
            entries
                .iter()
                .enumerate()
                .map(|(i, (revision, _))| (*revision, i))
                .collect()
        });
        Earlier { entries, moved }
    }

    /// The value computed for the contact now at `index`, if it was computed for this same
    /// `revision` (0, a contact not read from disk, never matches).
    pub fn get(&self, index: usize, revision: u64) -> Option<&'a T> {
        if revision == 0 {
            return None;
        }
        let (was, value) = match &self.moved {
            None => self.entries.get(index)?,
            Some(at) => &self.entries[*at.get(&revision)?],
        };
        (*was == revision).then_some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_found_by_place_then_by_revision_and_only_for_the_same_read() {
        let entries = [(11, "a"), (12, "b"), (13, "c")];
        let same = Earlier::new(&entries, 3);
        assert_eq!(same.get(1, 12), Some(&"b"));
        assert_eq!(same.get(1, 99), None, "a new read of the note");
        assert_eq!(same.get(0, 0), None, "not read from disk");
        // A note came before the second: everyone after it moved down one place.
        let moved = Earlier::new(&entries, 4);
        assert_eq!(moved.get(2, 12), Some(&"b"));
        assert_eq!(moved.get(1, 42), None);
    }
}
