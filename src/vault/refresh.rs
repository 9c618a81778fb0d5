//! What only `watch` needs: taking in one note read again, or gone, and bringing what
//! depends on the whole vault up to date after a batch, at the cost of what changed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::duplicates::duplicate_names;
use super::{NoteRead, Stems, Vault, order, same_path, stem_hash};
use crate::names::stem_key;
use crate::note::Parsed;

impl Vault {
    /// Takes in a new read of the note at `rel`: the contact is added, replaced or removed,
    /// and its problems replaced. A note that parsed before and now cannot be read (an editor
    /// caught mid-write, a typo) keeps its last good contact, so nobody vanishes from today's
    /// list; the problem is reported all the same. Call [`Vault::refresh`] after a batch.
    pub fn update(&mut self, rel: &Path, read: NoteRead) {
        if let Err(at) = self.find_path(rel) {
            self.paths.insert(at, rel.to_path_buf());
            *self
                .stem_counts
                .entry(stem_hash(&stem_key(rel)))
                .or_default() += 1;
            self.stems_changed = true;
        }
        self.note_problems.retain(|p| !same_path(&p.at.path, rel));
        self.touched.push(rel.to_path_buf());
        let found = self.find(rel);
        match (read, found) {
            (NoteRead::Parsed(Parsed::Contact(contact, problems)), Ok(i)) => {
                let old = &self.contacts[i];
                let (was, now) = (crate::names::keys(old), crate::names::keys(&contact));
                let renamed = was != now || old.name != contact.name;
                self.names_changed |= was.name() != now.name();
                if renamed {
                    self.names_moved();
                }
                Arc::make_mut(&mut self.contacts)[i] = contact;
                self.note_problems
                    .extend(problems.into_iter().map(Arc::new));
            }
            (NoteRead::Parsed(Parsed::Contact(contact, problems)), Err(i)) => {
                Arc::make_mut(&mut self.contacts).insert(i, contact);
                self.note_problems
                    .extend(problems.into_iter().map(Arc::new));
                self.names_changed = true;
                self.names_moved();
            }
            (
                NoteRead::Parsed(Parsed::Unreadable(problem))
                | NoteRead::Failed(problem)
                | NoteRead::Conflict(problem),
                _,
            ) => self.note_problems.push(Arc::new(problem)),
            (NoteRead::Parsed(Parsed::NotAContact | Parsed::Template), Ok(i)) => {
                Arc::make_mut(&mut self.contacts).remove(i);
                self.names_changed = true;
                self.names_moved();
            }
            (NoteRead::Parsed(Parsed::NotAContact | Parsed::Template), Err(_)) => {}
        }
    }

    /// Forgets the note at `rel` (deleted, or moved out of the vault).
    pub fn forget(&mut self, rel: &Path) {
        if let Ok(at) = self.find_path(rel) {
            self.paths.remove(at);
            if let Some(n) = self.stem_counts.get_mut(&stem_hash(&stem_key(rel))) {
                *n = n.saturating_sub(1);
                self.stems_changed = true;
            }
        }
        self.note_problems.retain(|p| !same_path(&p.at.path, rel));
        self.touched.push(rel.to_path_buf());
        if let Ok(i) = self.find(rel) {
            Arc::make_mut(&mut self.contacts).remove(i);
            self.names_changed = true;
            self.names_moved();
        }
    }

    /// Recomputes what depends on the whole vault: shared stems, duplicate names, and the
    /// sorted problem list.
    pub fn refresh(&mut self) {
        // Only what an edit can have changed: in `watch`, one saved note must not cost a pass
        // over every name in a 30,000-note vault.
        if std::mem::take(&mut self.stems_changed) {
            let shared = Stems(
                self.stem_counts
                    .iter()
                    .filter(|(_, n)| **n > 1)
                    .map(|(s, _)| *s)
                    .collect(),
            );
            // Kept, with its generation, when a new note shares no stem: what was rendered
            // from it (index rows in `watch`) stays valid.
            if shared != *self.shared_stems {
                self.shared_stems = Arc::new(shared);
                self.stems_generation += 1;
            }
        }
        let touched = std::mem::take(&mut self.touched);
        let names_changed = std::mem::take(&mut self.names_changed);
        if names_changed {
            self.name_problems = duplicate_names(&self.contacts);
        }
        // A few notes read again and the names as they were: only those notes' own problems
        // can differ, replaced in place rather than copying and sorting 30,000 problems for
        // one edit. Each insertion moves the list, so a batch of many notes (a sync) and any
        // change of names rebuild it whole instead.
        if names_changed || touched.len() > 8 {
            self.rebuild_problems();
            return;
        }
        // Compared directly: hashing every problem's path costs more than a few comparisons.
        let is_touched = |path: &PathBuf| touched.iter().any(|t| same_path(t, path));
        self.problems.retain(|p| !is_touched(&p.at.path));
        let fresh = self.note_problems.iter().chain(&self.name_problems);
        for problem in fresh.filter(|p| is_touched(&p.at.path)) {
            // After its equals, as the stable sort of a full rebuild would place it.
            let at = self.problems.partition_point(|q| order(q, problem).is_le());
            self.problems.insert(at, Arc::clone(problem));
        }
    }

    /// A contact was added, removed or renamed: what is kept by name must be rebuilt.
    fn names_moved(&mut self) {
        self.names.take();
        self.by_name.take();
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn note(path: &str, text: &str) -> (PathBuf, NoteRead) {
        (
            PathBuf::from(path),
            NoteRead::Parsed(crate::note::parse_note(Path::new(path), text, true)),
        )
    }

    #[test]
    fn updates_keep_duplicate_names_and_shared_stems_current() {
        let mut vault = Vault::default();
        for (rel, read) in [note("A/Sam.md", "# Sam\n"), note("B/Sam.md", "# Sam\n")] {
            vault.update(&rel, read);
        }
        vault.refresh();
        assert_eq!(vault.problems.len(), 2, "{:?}", vault.problems);
        assert!(vault.shared_stems.contains("sam"));
        let (rel, read) = note("B/Sam.md", "---\nname: Samira\n---\n");
        vault.update(&rel, read);
        vault.refresh();
        assert!(vault.problems.is_empty(), "{:?}", vault.problems);
        vault.forget(Path::new("B/Sam.md"));
        vault.refresh();
        assert!(!vault.shared_stems.contains("sam"));
        assert_eq!(vault.contacts.len(), 1);
    }

    #[test]
    fn the_paths_stay_in_the_walks_order_through_updates_and_removals() {
        let mut vault = Vault::default();
        // `A b/` sorts after `A/` component by component, before it byte by byte.
        for rel in ["B/Sam.md", "A b/Cy.md", "A/Sam.md", "A b/Cy.md", "Ada.md"] {
            let (rel, read) = note(rel, "# Someone\n");
            vault.update(&rel, read);
        }
        vault.forget(Path::new("Ada.md"));
        vault.forget(Path::new("Nobody.md"));
        vault.refresh();
        let paths: Vec<&Path> = vault.paths().collect();
        assert_eq!(
            paths,
            ["A/Sam.md", "A b/Cy.md", "B/Sam.md"].map(Path::new),
            "each once, in path order"
        );
        assert!(vault.shared_stems.contains("sam"));
        assert!(!vault.shared_stems.contains("cy"), "one note, counted once");
    }

    #[test]
    fn an_edit_replaces_its_problems_as_a_full_rebuild_would() {
        let load = |notes: &[(&str, &str)]| {
            let mut vault = Vault::default();
            for (rel, text) in notes {
                let (rel, read) = note(rel, text);
                vault.update(&rel, read);
            }
            vault.refresh();
            vault
        };
        let mut vault = load(&[
            ("A/Sam.md", "---\nmet-date: nope\n---\n"),
            (
                "B/Sam.md",
                "---\nmet-date: 2026-01-01\nlast-touch: soon\n---\n",
            ),
            ("C.md", "---\nlast-touch: 2026-13-01\nmet-date: x\n---\n"),
        ]);
        let finals = [
            (
                "A/Sam.md",
                "---\nmet-date: 2026-01-01\ncadence: often\n---\n",
            ),
            (
                "B/Sam.md",
                "---\nmet-date: 2026-01-01\nlast-touch: soon\n---\n",
            ),
            ("C.md", "---\nmet-date: y\n---\n"),
        ];
        for (rel, text) in [finals[2], finals[0]] {
            let (rel, read) = note(rel, text);
            vault.update(&rel, read);
            vault.refresh();
        }
        let full = load(&finals);
        assert_eq!(vault.problems, full.problems);
        assert!(vault.problems.len() >= 5, "{:?}", vault.problems);
    }

    #[test]
    fn name_lookups_and_order_follow_renames_additions_and_removals() {
        let mut vault = Vault::default();
        for (rel, read) in [note("Ada.md", "# Ada\n"), note("Bea.md", "# Bea\n")] {
            vault.update(&rel, read);
        }
        vault.refresh();
        let names = |v: &Vault| -> Vec<String> {
            v.by_name()
                .iter()
                .map(|&i| v.contacts[i].name.to_string())
                .collect()
        };
        assert_eq!(names(&vault), ["Ada", "Bea"]);
        assert_eq!(vault.names().find(&vault.contacts, "bea"), Ok(1));
        // An edit that keeps the name keeps what was built; a rename rebuilds it.
        let (rel, read) = note("Bea.md", "---\ncompany: Acme\n---\n");
        vault.update(&rel, read);
        assert_eq!(vault.names().find(&vault.contacts, "Bea"), Ok(1));
        let (rel, read) = note("Bea.md", "---\nname: Aaron\naliases: [B]\n---\n");
        vault.update(&rel, read);
        assert_eq!(names(&vault), ["Aaron", "Ada"]);
        assert_eq!(vault.names().find(&vault.contacts, "b"), Ok(1));
        let (rel, read) = note("Cy.md", "# Cy\n");
        vault.update(&rel, read);
        vault.forget(Path::new("Ada.md"));
        assert_eq!(names(&vault), ["Aaron", "Cy"]);
        assert_eq!(vault.names().find(&vault.contacts, "cy"), Ok(1));
        assert!(vault.names().find(&vault.contacts, "ada").is_err());
    }
}
