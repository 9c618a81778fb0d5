//! Top-level front-matter keys: the one scanner of `key:` lines, and the table of spellings.
//!
//! The reader places problems on the lines this scanner finds and the editor splices the
//! values it finds, so both see the same keys; a property test checks that the scanner agrees
//! with the YAML parser on every line it reports.

use std::borrow::Cow;

/// The typed keys, whatever their spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    MetDate,
    Context,
    LastTouch,
    LastReply,
    Cadence,
    SnoozeUntil,
    Paused,
    LetGo,
    RoleChanged,
    PreviousRole,
    Recommended,
    Birthday,
    Name,
    Email,
    Linkedin,
    Company,
    Role,
    Tags,
    Aliases,
}

/// The field a front-matter key sets: the canonical key or one of the spellings existing vaults
/// use (SPEC, "The contact note"). Spellings are matched exactly.
pub fn field_of(key: &str) -> Option<Field> {
    Some(match key {
        "met-date" | "met_date" | "metDate" | "first-met" => Field::MetDate,
        "context" | "met_context" | "howWeMet" | "how-we-met" => Field::Context,
        "last-touch" | "last_contact" | "last-contact" | "lastContact" | "last contact"
        | "last_chat" | "prm-last-contacted" => Field::LastTouch,
        "last-reply" => Field::LastReply,
        "cadence" | "frequency" | "contactFrequency" | "contact-frequency" | "prm-cadence" => {
            Field::Cadence
        }
        "snooze-until" | "snooze_until" | "prm-snooze-until" => Field::SnoozeUntil,
        "paused" => Field::Paused,
        "role-changed" => Field::RoleChanged,
        "previous-role" => Field::PreviousRole,
        "let-go" | "let_go" | "letGo" => Field::LetGo,
        "recommended" => Field::Recommended,
        "birthday" | "birthDate" | "prm-birthday" => Field::Birthday,
        "name" => Field::Name,
        "email" => Field::Email,
        "linkedin" => Field::Linkedin,
        "company" => Field::Company,
        "role" => Field::Role,
        "tags" => Field::Tags,
        "aliases" => Field::Aliases,
        _ => return None,
    })
}

impl Field {
    /// Keys whose presence alone makes a note a contact.
    pub fn marks_contact(self) -> bool {
        matches!(
            self,
            Field::MetDate | Field::Context | Field::LastTouch | Field::Cadence
        )
    }

    pub fn is_date(self) -> bool {
        matches!(
            self,
            Field::MetDate
                | Field::LastTouch
                | Field::LastReply
                | Field::SnoozeUntil
                | Field::Recommended
                | Field::Birthday
        )
    }
}

/// An unindented `key: value` line of a YAML block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyLine<'a> {
    /// 0-based line in the YAML block.
    pub index: usize,
    /// Byte range of the line in the block, without its newline.
    pub line: std::ops::Range<usize>,
    /// The key, unquoted.
    pub key: Cow<'a, str>,
    /// Offset in the block just after the `:` that ends the key.
    pub after_colon: usize,
    /// The raw text after the colon, trimmed.
    pub value: &'a str,
    /// 1-based column (in characters) where the value starts, or just past the colon.
    pub value_column: usize,
}

/// How the note at `text` spells `field`'s key (`contactFrequency` for the cadence), when its
/// front-matter has it: an edit writes there rather than add a second key for the same
/// thing.
pub fn spelling_in(text: &str, field: Field) -> Option<String> {
    let parts = crate::note::frontmatter::split(text);
    let front = parts.front?;
    key_lines(&text[front.yaml])
        .find(|k| field_of(&k.key) == Some(field))
        .map(|k| k.key.into_owned())
}

/// The top-level `key:` lines of a YAML block, in order. Indented lines, blank lines,
/// comments, sequence items (`- a`) and explicit keys (`? k`) have none; a plain key may
/// start with `-` (`-foo: 1`), and a quoted key is unquoted with its escapes.
pub fn key_lines(yaml: &str) -> impl Iterator<Item = KeyLine<'_>> {
    let mut start = 0;
    super::lines_inclusive(yaml)
        .enumerate()
        .filter_map(move |(index, raw)| {
            let at = start;
            start += raw.len();
            let line = raw.trim_end_matches(['\n', '\r']);
            let (key, colon) = line_key(line)?;
            let rest = &line[colon..];
            let value = rest.trim();
            let value_start = if value.is_empty() {
                colon
            } else {
                line.len() - rest.trim_start().len()
            };
            Some(KeyLine {
                index,
                line: at..at + line.len(),
                key,
                after_colon: at + colon,
                value,
                value_column: line[..value_start].chars().count() + 1,
            })
        })
}

/// The key of a top-level `key: value` line and the offset just after its colon.
fn line_key(line: &str) -> Option<(Cow<'_, str>, usize)> {
    let first = line.chars().next()?;
    let second = line[first.len_utf8()..].chars().next();
    // `- a` is a sequence item and `? k` an explicit key; `-a` and `?a` are plain keys.
    let indicator_alone = second.is_none_or(|c| c == ' ' || c == '\t');
    if first.is_whitespace() || first == '#' || (matches!(first, '-' | '?') && indicator_alone) {
        return None;
    }
    // Anchors, tags, aliases, flow collections, block scalars and reserved characters: what
    // follows is not a plain key (`&a k:` is the key `k`, with an anchor).
    if "&!*[]{}|>@`%,".contains(first) {
        return None;
    }
    let (name, rest_at) = match first {
        '"' | '\'' => {
            let close = quoted_end(line, 0)?;
            let inner = &line[1..close - 1];
            let name = if first == '\'' {
                if inner.contains("''") {
                    Cow::Owned(inner.replace("''", "'"))
                } else {
                    Cow::Borrowed(inner)
                }
            } else if inner.contains('\\') {
                // Escapes (`\"`, `\t`, `\u00e9`…) as YAML reads them.
                Cow::Owned(yaml_serde::from_str::<String>(&line[..close]).ok()?)
            } else {
                Cow::Borrowed(inner)
            };
            let after = &line[close..];
            let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
            (name, close + spaces)
        }
        _ => {
            // A plain key ends at the first `:` followed by a blank or the end of the line.
            let colon = line
                .char_indices()
                .find(|&(i, c)| {
                    c == ':'
                        && line[i + 1..]
                            .chars()
                            .next()
                            .is_none_or(|n| n == ' ' || n == '\t')
                })?
                .0;
            let key = &line[..colon];
            // ` #` starts a comment: `a #b: c` is the text `a`, not a key.
            if key.contains(" #") || key.contains("\t#") {
                return None;
            }
            (Cow::Borrowed(key.trim_end()), colon)
        }
    };
    line[rest_at..]
        .starts_with(':')
        .then_some((name, rest_at + 1))
}

/// Offset just past the closing quote of the quoted scalar that opens at `start`, or `None`
/// when it does not close on this line.
pub fn quoted_end(line: &str, start: usize) -> Option<usize> {
    let bytes = line.as_bytes();
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use yaml_serde::{Mapping, Value};

    /// A contact keeps the spelling of each key an edit writes as one of
    /// `Spellings::WRITTEN`: the list holds exactly the spellings read as those keys.
    #[test]
    fn the_written_spellings_are_those_of_the_keys_an_edit_writes() {
        let written = |field: Field| {
            crate::model::Spellings::WRITTEN
                .iter()
                .filter(|k| field_of(k) == Some(field))
                .count()
        };
        assert_eq!(
            (
                written(Field::LastTouch),
                written(Field::LastReply),
                written(Field::Recommended)
            ),
            (7, 1, 1)
        );
        // Every spelling of those fields in the match above, found by the match itself.
        let source = include_str!("keys.rs");
        let arms = &source[source.find("Some(match key {").unwrap()..];
        let arms = &arms[..arms.find("_ => return None").unwrap()];
        for arm in arms.split("=>") {
            let spellings: Vec<&str> = arm.split('"').skip(1).step_by(2).collect();
            let field = spellings.first().and_then(|k| field_of(k));
            if matches!(
                field,
                Some(Field::LastTouch | Field::LastReply | Field::Recommended)
            ) {
                for k in spellings {
                    assert!(crate::model::Spellings::written(k).is_some(), "{k}");
                }
            }
        }
    }

    fn keys(yaml: &str) -> Vec<String> {
        key_lines(yaml).map(|k| k.key.into_owned()).collect()
    }

    #[test]
    fn keys_are_found_as_yaml_reads_them() {
        let yaml = "-foo: 1\n?bar: 2\n\"a\\\"b\": 3\n'it''s': 4\n  nested: 5\n- item\n? explicit\n# c: 6\nx #y: 7\n&anchor k: 8\n";
        assert_eq!(keys(yaml), ["-foo", "?bar", "a\"b", "it's"]);
    }

    /// A line that may or may not be a `key: value` line, built from the characters where
    /// scanners go wrong. Keys with an anchor, tag or alias (`&a k:`) are left out: the
    /// scanner declines them (see above), so their problems are placed on the block's first
    /// line and the editor refuses to set them.
    fn line() -> impl Strategy<Value = String> {
        let key = prop_oneof![
            "[-?:#a-z][a-z #:?-]{0,6}",
            "\"([a-z #:']|\\\\[\"\\\\tn])*\"",
            "'([a-z #:\"]|'')*'",
        ];
        (
            key,
            prop_oneof![Just(": v"), Just(":"), Just(":v"), Just(" : v # c")],
        )
            .prop_map(|(key, rest)| format!("{key}{rest}"))
    }

    proptest! {
        // The reader places problems on, and the editor splices, the lines this finds: each
        // must be the line YAML reads the key from, and no key YAML reads may be missed.
        #[test]
        fn the_scanner_agrees_with_the_yaml_parser(line in line()) {
            let yaml = format!("{line}\n");
            // `? k` is an explicit key, which the scanner declines as it does anchors.
            prop_assume!(!(yaml.starts_with("? ") || yaml.starts_with("?\n")));
            let Ok(mapping) = yaml_serde::from_str::<Mapping>(&yaml) else {
                return Ok(()); // not YAML at all: the reader reports it, the editor refuses
            };
            let read: Vec<String> = mapping
                .keys()
                .filter_map(|k| match k {
                    Value::String(s) => Some(s.clone()),
                    _ => None,
                })
                .collect();
            prop_assume!(read.len() == mapping.len(), "only string keys are ours");
            prop_assert_eq!(keys(&yaml), read, "{:?}", yaml);
        }
    }
}
