//! The note format, in both directions and in one place: text in, typed values and problems
//! out; typed values in, text spliced losslessly. No I/O: every function takes the text.
//!
//! - [`frontmatter`] finds the properties block exactly as Obsidian does;
//! - [`keys`] is the one scanner of top-level `key:` lines and the table of key spellings;
//! - [`plain_yaml`] reads the plain front-matter most notes have without the YAML parser;
//! - [`log`] is the one reader of the `## Log` section and its Markdown options;
//! - [`body`] finds what the note's own words give a draft (its about line, open tasks, links);
//! - [`read`] turns a note into a [`crate::model::Contact`] and its problems;
//! - [`edit`] sets a key or adds a Log line, touching no other byte;
//! - [`marker`] says whether a note is one we generated.

pub mod body;
pub mod edit;
pub mod frontmatter;
pub mod keys;
pub mod log;
pub mod marker;
pub mod plain_yaml;
pub mod read;

pub use read::{Parsed, Reading, log_entries, parse_note, parse_note_with};

/// `text` a line at a time, each with its `\n` (the last may have none): what
/// `split_inclusive('\n')` gives, found with SIMD. The Log's scans split every note read
/// into lines, and std's search for a byte, a word at a time, showed in a load's profile
/// (BENCHMARKS.md).
pub(crate) fn lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |n| n + 1);
        let (line, after) = rest.split_at(end);
        rest = after;
        Some(line)
    })
}

#[cfg(test)]
pub(crate) mod tests {
    //! Hostile input for the whole note layer: real notes, mutated byte by byte the way sync
    //! conflicts, other tools and fat fingers mangle them, must never panic the reader or
    //! the edits, and an edit that succeeds must still read back as a contact.

    use std::path::Path;

    use proptest::prelude::*;

    use super::*;

    /// Notes of every shape the fixtures hold: CRLF, BOM, comments, quoted and aliased keys,
    /// newest-first and starred Logs, nested lists.
    const SEEDS: [&str; 8] = [
        include_str!("../../example-vault/People/Ada Quint.md"),
        include_str!("../../example-vault/People/José Núñez.md"),
        include_str!("../../tests/fixtures/touch/vault/People/Bom.md"),
        include_str!("../../tests/fixtures/touch/vault/People/Crlf.md"),
        include_str!("../../tests/fixtures/touch/vault/People/Comment.md"),
        include_str!("../../tests/fixtures/touch/vault/People/Newest.md"),
        include_str!("../../tests/fixtures/touch/vault/People/Stars.md"),
        "---\nmet-date: 2024-01-01\ncontext: y\n---\n- a\n\t## Log\n\t- 2025-01-01 x\n",
    ];

    /// What gets inserted: the characters that change how Markdown and YAML read a line.
    pub(crate) fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("\t".to_owned()),
            Just("\n".to_owned()),
            Just("\r\n".to_owned()),
            Just("\r".to_owned()),
            Just("---\n".to_owned()),
            Just("## Log\n".to_owned()),
            Just("- ".to_owned()),
            Just("1. ".to_owned()),
            Just("```".to_owned()),
            Just("<div>".to_owned()),
            Just("> ".to_owned()),
            Just("\"".to_owned()),
            Just("'".to_owned()),
            Just(": ".to_owned()),
            Just("#".to_owned()),
            Just("|".to_owned()),
            Just("[[".to_owned()),
            Just("2025-13-40".to_owned()),
            Just("é".to_owned()),
            Just("\u{feff}".to_owned()),
            "[ -~]{1,4}",
        ]
    }

    /// `seed` with `edits` applied: (position as a fraction, bytes removed, text inserted).
    pub(crate) fn mutate(seed: &str, edits: &[(f64, usize, String)]) -> String {
        let mut text = seed.to_owned();
        for (at, remove, insert) in edits {
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                clippy::cast_precision_loss,
                reason = "a fraction of a short note's length"
            )]
            let mut start = (at * text.len() as f64) as usize;
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + remove).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(start..end, insert);
        }
        text
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn mutated_notes_never_panic_the_reader_or_the_edits(
            seed in 0..SEEDS.len(),
            edits in prop::collection::vec((0.0..1.0f64, 0..4usize, piece()), 1..6),
        ) {
            let text = mutate(SEEDS[seed], &edits);
            let path = Path::new("People/Ada.md");
            let was_contact = matches!(parse_note(path, &text, true), Parsed::Contact(..));
            let _ = log_entries(&text, &read::default_reading().kinds);
            let _ = marker::is_generated(&text);
            if let Ok(edited) = edit::set_key(&text, "last-touch", "2026-03-02") {
                let is_contact = matches!(parse_note(path, &edited, true), Parsed::Contact(..));
                prop_assert!(is_contact || !was_contact, "{:?}", edited);
            }
            if let Ok(edited) = edit::append_log(&text, "2026-03-02 reached out") {
                let logged = log_entries(&edited, &read::default_reading().kinds);
                prop_assert!(logged.iter().any(|e| &*e.text == "reached out"), "{:?}", edited);
            }
        }
    }

    #[test]
    fn a_log_a_tab_indents_inside_a_list_item_is_left_alone() {
        // Issue 12: this panicked the editor, and so any `touch` or tick for this person.
        let note = SEEDS[7];
        assert_eq!(
            edit::append_log(note, "2026-03-02 reached out"),
            Err(edit::EditError::LogUnverified {
                entry: "2026-03-02 reached out".to_owned()
            })
        );
    }

    proptest! {
        #[test]
        fn lines_are_those_split_inclusive_gives(text in "(\\PC|\r|\n){0,60}") {
            prop_assert_eq!(
                lines_inclusive(&text).collect::<Vec<_>>(),
                text.split_inclusive('\n').collect::<Vec<_>>()
            );
        }
    }
}
