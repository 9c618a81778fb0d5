//! Setting one front-matter property, changing only the bytes of its value.

use std::ops::Range;

use yaml_serde::{Mapping, Value};

use super::{EditError, first_newline, splice_str};
use crate::note::frontmatter::{FrontMatter, line_of, split};
use crate::note::keys::{self, quoted_end};

/// Sets the top-level front-matter property `key` to the plain scalar `value` (a date such as
/// `2026-03-02`), changing only the value's bytes on the key's line.
///
/// A trailing `# comment`, the old value's quotes, key order, the BOM and the newline style are
/// kept. A missing key is added as the last property; a note without front-matter gets one.
/// Values that are not one plain line (block scalars, flow collections, anchors, aliases, tags,
/// wrapped text), duplicate keys, unclosed or invalid front-matter are refused. The result is
/// re-read and refused unless its properties equal the old ones with only `key` set to `value`
/// (as a YAML string).
pub fn set_key(text: &str, key: &str, value: &str) -> Result<String, EditError> {
    if value.contains(['\n', '\r']) || key.contains(['\n', '\r']) {
        return Err(EditError::BadValue {
            key: key.to_owned(),
            value: value.to_owned(),
        });
    }
    let parts = split(text);
    if parts.unclosed {
        return Err(EditError::Unclosed);
    }
    let (splice, replacement, old) = match &parts.front {
        None => {
            // Obsidian writes new properties at the very top; the body's newline style decides.
            let at = parts.body.start;
            let nl = first_newline(&text[parts.body.clone()]).as_str();
            (
                at..at,
                format!("---{nl}{key}: {value}{nl}---{nl}"),
                Mapping::new(),
            )
        }
        Some(front) => {
            // Duplicates first: the YAML reader refuses them too, but without naming both lines.
            let lines = key_lines(text, front.yaml.clone(), key);
            if let [first, second, ..] = lines.as_slice() {
                return Err(EditError::DuplicateKey {
                    key: key.to_owned(),
                    first: line_of(text, first.line.start),
                    second: line_of(text, second.line.start),
                });
            }
            let old = parse_front(text, front)?;
            match lines.first() {
                None => {
                    let at = front.yaml.end;
                    let nl = front.newline.as_str();
                    (at..at, format!("{key}: {value}{nl}"), old)
                }
                Some(found) => {
                    let (range, replacement) = value_splice(text, front, found, key, value)?;
                    (range, replacement, old)
                }
            }
        }
    };
    let edited = splice_str(text, splice.clone(), &replacement);
    let unverified = || EditError::Unverified {
        key: key.to_owned(),
    };
    // The edit stays inside one line (or is a pure insertion): everything else is identical.
    let line = line_bounds(text, splice);
    if !outside_unchanged(text, &edited, line) {
        return Err(unverified());
    }
    let new_parts = split(&edited);
    let new_front = new_parts.front.as_ref().ok_or_else(unverified)?;
    let new = parse_front(&edited, new_front).map_err(|_| unverified())?;
    let mut expected = old;
    expected.insert(
        Value::String(key.to_owned()),
        Value::String(value.to_owned()),
    );
    // `Mapping`'s `==` ignores order; key order is part of the note, so compare in order too.
    if new != expected || !new.iter().eq(expected.iter()) || new_parts.bom != parts.bom {
        return Err(unverified());
    }
    Ok(edited)
}

/// Removes the top-level front-matter property `key`: its whole line, newline included, and
/// nothing else. `None` when the note has no such key.
///
/// Only a one-line value is removed (a list or text going on below is refused, as are
/// duplicate keys and broken front-matter); the result is re-read and refused unless its
/// properties are the old ones, in order, without `key`.
pub fn remove_key(text: &str, key: &str) -> Result<Option<String>, EditError> {
    let parts = split(text);
    if parts.unclosed {
        return Err(EditError::Unclosed);
    }
    let Some(front) = &parts.front else {
        return Ok(None);
    };
    let lines = key_lines(text, front.yaml.clone(), key);
    let found = match lines.as_slice() {
        [] => return Ok(None),
        [found] => found,
        [first, second, ..] => {
            return Err(EditError::DuplicateKey {
                key: key.to_owned(),
                first: line_of(text, first.line.start),
                second: line_of(text, second.line.start),
            });
        }
    };
    let line = line_of(text, found.line.start);
    if continues_below(text, found.line.end, front.yaml.end)
        || nested_below(text, found.line.end, front.yaml.end)
    {
        return Err(EditError::MultiLine {
            key: key.to_owned(),
            line,
        });
    }
    let mut old = parse_front(text, front)?;
    // The line and its newline (`\n` or `\r\n`), which the front-matter's `---` always follows.
    let end = text[found.line.end..]
        .find('\n')
        .map_or(text.len(), |i| found.line.end + i + 1);
    let edited = splice_str(text, found.line.start..end, "");
    let unverified = || EditError::Unverified {
        key: key.to_owned(),
    };
    let new_parts = split(&edited);
    let new_front = new_parts.front.as_ref().ok_or_else(unverified)?;
    let new = parse_front(&edited, new_front).map_err(|_| unverified())?;
    old.shift_remove(key);
    if new != old || !new.iter().eq(old.iter()) || new_parts.bom != parts.bom {
        return Err(unverified());
    }
    Ok(Some(edited))
}

/// Every top-level line of the front-matter whose key is `key` (normally zero or one), with
/// offsets into `text`.
fn key_lines(text: &str, yaml: Range<usize>, key: &str) -> Vec<KeyLine> {
    let base = yaml.start;
    keys::key_lines(&text[yaml])
        .filter(|k| k.key == key)
        .map(|k| KeyLine {
            line: base + k.line.start..base + k.line.end,
            after_colon: base + k.after_colon,
        })
        .collect()
}

/// A top-level `key:` line of the front-matter, placed in the note's text.
struct KeyLine {
    /// The line, without its newline.
    line: Range<usize>,
    /// Just after the `:` that ends the key.
    after_colon: usize,
}

/// The byte range of the old value on the key's line and what replaces it, or why the value
/// cannot be replaced.
fn value_splice(
    text: &str,
    front: &FrontMatter,
    found: &KeyLine,
    key: &str,
    value: &str,
) -> Result<(Range<usize>, String), EditError> {
    let line = line_of(text, found.line.start);
    let err_key = key.to_owned();
    let rest = &text[found.after_colon..found.line.end];
    let start = found.after_colon + (rest.len() - rest.trim_start_matches([' ', '\t']).len());
    let old = &text[start..found.line.end];
    let continues = continues_below(text, found.line.end, front.yaml.end);
    let (range, replacement) = match old.chars().next() {
        // `key:` or `key: # comment`: the value goes right after the colon.
        None | Some('#') => {
            if continues || nested_below(text, found.line.end, front.yaml.end) {
                return Err(EditError::MultiLine { key: err_key, line });
            }
            return Ok((found.after_colon..found.after_colon, format!(" {value}")));
        }
        Some('|' | '>') => return Err(EditError::BlockScalar { key: err_key, line }),
        Some(marker @ ('&' | '*' | '!')) => {
            return Err(EditError::AnchorAliasOrTag {
                key: err_key,
                line,
                marker,
            });
        }
        Some('{' | '[') => return Err(EditError::Flow { key: err_key, line }),
        Some('"') => {
            let end = quoted_end(text, start).filter(|&end| end <= found.line.end);
            let Some(end) = end else {
                return Err(EditError::MultiLine { key: err_key, line });
            };
            let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
            (start..end, format!("\"{escaped}\""))
        }
        Some('\'') => {
            let end = quoted_end(text, start).filter(|&end| end <= found.line.end);
            let Some(end) = end else {
                return Err(EditError::MultiLine { key: err_key, line });
            };
            (start..end, format!("'{}'", value.replace('\'', "''")))
        }
        Some(_) => {
            // A plain scalar ends at ` #` (a comment) or the end of the line, blanks trimmed.
            let len = old
                .char_indices()
                .find(|&(i, c)| c == '#' && old[..i].ends_with([' ', '\t']))
                .map_or(old.len(), |(i, _)| i);
            let len = old[..len].trim_end_matches([' ', '\t']).len();
            (start..start + len, value.to_owned())
        }
    };
    if continues {
        return Err(EditError::MultiLine { key: err_key, line });
    }
    Ok((range, replacement))
}

/// The next lines that are neither blank nor comments are indented: the value goes on there.
fn continues_below(text: &str, line_end: usize, yaml_end: usize) -> bool {
    next_content_line(text, line_end, yaml_end).is_some_and(|l| l.starts_with([' ', '\t']))
}

/// A block sequence may sit at the key's own indentation (`tags:` then `- a`).
fn nested_below(text: &str, line_end: usize, yaml_end: usize) -> bool {
    next_content_line(text, line_end, yaml_end)
        .is_some_and(|l| l == "-" || l.starts_with("- ") || l.starts_with("-\t"))
}

fn next_content_line(text: &str, line_end: usize, yaml_end: usize) -> Option<&str> {
    let below = text.get(line_end..yaml_end)?;
    below
        .split('\n')
        .skip(1)
        .map(|l| l.trim_end_matches('\r'))
        .find(|l| {
            let t = l.trim_start_matches([' ', '\t']);
            !t.is_empty() && !t.starts_with('#')
        })
}

/// The front-matter's properties, or where its YAML is broken.
fn parse_front(text: &str, front: &FrontMatter) -> Result<Mapping, EditError> {
    yaml_serde::from_str::<Mapping>(&text[front.yaml.clone()]).map_err(|e| EditError::Yaml {
        line: e
            .location()
            .map(|at| front.yaml_first_line + at.line().saturating_sub(1)),
        message: e.to_string(),
    })
}

/// The whole lines (newline excluded) around `range`, or the empty range for an insertion.
fn line_bounds(text: &str, range: Range<usize>) -> Range<usize> {
    if range.is_empty() {
        return range;
    }
    let start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[range.end..]
        .find(['\r', '\n'])
        .map_or(text.len(), |i| range.end + i);
    start..end
}

/// `new` equals `old` before and after `changed` (a range of `old`), with only those bytes
/// replaced.
fn outside_unchanged(old: &str, new: &str, changed: Range<usize>) -> bool {
    let (prefix, suffix) = (&old[..changed.start], &old[changed.end..]);
    new.len() >= prefix.len() + suffix.len() && new.starts_with(prefix) && new.ends_with(suffix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;
    use proptest::prelude::*;

    fn set(note: &str, key: &str, value: &str) -> String {
        set_key(note, key, value).unwrap()
    }

    #[test]
    fn removing_a_key_takes_its_line_and_nothing_else() {
        let note = "---\r\ncontext: panel\r\npaused: 2026-12-01  # back in spring\r\ntags: [a]\r\n---\r\nbody\r\n";
        assert_eq!(
            remove_key(note, "paused").unwrap().unwrap(),
            "---\r\ncontext: panel\r\ntags: [a]\r\n---\r\nbody\r\n"
        );
        assert_eq!(remove_key(note, "let-go").unwrap(), None);
        assert_eq!(remove_key("no front-matter\n", "paused").unwrap(), None);
        let only = "---\npaused: true\n---\n";
        assert_eq!(remove_key(only, "paused").unwrap().unwrap(), "---\n---\n");
    }

    #[test]
    fn a_key_whose_value_goes_on_below_is_not_removed() {
        for note in [
            "---\npaused:\n  - a\n---\n",
            "---\npaused:\n- a\n---\n",
            "---\npaused: |\n  text\n---\n",
            "---\npaused: 1\npaused: 2\n---\n",
            "---\npaused: 1\n",
        ] {
            assert!(remove_key(note, "paused").is_err(), "{note:?}");
        }
    }

    #[test]
    fn setting_a_key_keeps_comments_order_and_crlf() {
        let note =
            "---\r\n# met at RustConf\r\ncontext: panel\r\nlast-touch: 2025-01-02\r\n---\r\n";
        let edited = set(note, "last-touch", "2026-03-02");
        assert_eq!(edited, note.replace("2025-01-02", "2026-03-02"));
    }

    #[test]
    fn a_comment_after_the_value_is_kept() {
        let note = "---\nlast-touch: 2025-01-02   # from the import\nb: 1\n---\nbody\n";
        assert_eq!(
            set(note, "last-touch", "2026-03-02"),
            "---\nlast-touch: 2026-03-02   # from the import\nb: 1\n---\nbody\n"
        );
        // A `#` inside a plain value is not a comment.
        let note = "---\nlast-touch: a#b\n---\n";
        assert_eq!(
            set(note, "last-touch", "2026-03-02"),
            "---\nlast-touch: 2026-03-02\n---\n"
        );
    }

    #[test]
    fn quoted_dates_keep_their_quotes() {
        let note = "---\nlast-touch: \"2025-01-02\" # q\nmet-date: '2024-05-01'\n---\n";
        let edited = set(note, "last-touch", "2026-03-02");
        assert_eq!(
            edited,
            "---\nlast-touch: \"2026-03-02\" # q\nmet-date: '2024-05-01'\n---\n"
        );
        assert_eq!(
            set(&edited, "met-date", "2026-03-03"),
            "---\nlast-touch: \"2026-03-02\" # q\nmet-date: '2026-03-03'\n---\n"
        );
        // Quotes needing escapes are written escaped, and still verified.
        assert_eq!(
            set("---\na: 'x'\n---\n", "a", "it's"),
            "---\na: 'it''s'\n---\n"
        );
    }

    #[test]
    fn a_bom_is_kept() {
        let note = "\u{feff}---\nlast-touch: 2025-01-02\n---\n";
        assert_eq!(
            set(note, "last-touch", "2026-03-02"),
            "\u{feff}---\nlast-touch: 2026-03-02\n---\n"
        );
        assert_eq!(
            set("\u{feff}# Ada\r\n", "last-touch", "2026-03-02"),
            "\u{feff}---\r\nlast-touch: 2026-03-02\r\n---\r\n# Ada\r\n"
        );
    }

    #[test]
    fn a_note_without_front_matter_gets_one() {
        assert_eq!(
            set("# Ada\n\nmet at RustConf\n", "last-touch", "2026-03-02"),
            "---\nlast-touch: 2026-03-02\n---\n# Ada\n\nmet at RustConf\n"
        );
        assert_eq!(set("", "a", "b"), "---\na: b\n---\n");
        // A lone `---` line is not front-matter; the new block closes before it.
        assert_eq!(set("---", "a", "b"), "---\na: b\n---\n---");
    }

    #[test]
    fn an_empty_front_matter_gets_the_key() {
        assert_eq!(
            set("---\n---\n", "a", "2026-03-02"),
            "---\na: 2026-03-02\n---\n"
        );
        assert_eq!(
            set("---\n---", "a", "2026-03-02"),
            "---\na: 2026-03-02\n---"
        );
        assert_eq!(
            set("---\r\n# only a comment\r\n---\r\nx", "a", "b"),
            "---\r\n# only a comment\r\na: b\r\n---\r\nx"
        );
    }

    #[test]
    fn a_missing_key_goes_before_the_closing_line() {
        let note = "---\ncontext: panel\ntags:\n  - a\n---\n# Ada\n";
        assert_eq!(
            set(note, "last-touch", "2026-03-02"),
            "---\ncontext: panel\ntags:\n  - a\nlast-touch: 2026-03-02\n---\n# Ada\n"
        );
    }

    #[test]
    fn alias_spellings_and_quoted_keys_are_set() {
        let note = "---\nlastContact: 2025-01-02\n---\n";
        assert_eq!(
            set(note, "lastContact", "2026-03-02"),
            "---\nlastContact: 2026-03-02\n---\n"
        );
        let note = "---\nlast contact: 2025-01-02\n\"last-reply\": 2025-01-01\n---\n";
        let edited = set(note, "last contact", "2026-03-02");
        assert_eq!(
            set(&edited, "last-reply", "2026-03-03"),
            "---\nlast contact: 2026-03-02\n\"last-reply\": 2026-03-03\n---\n"
        );
    }

    #[test]
    fn date_times_and_empty_values_are_replaced() {
        assert_eq!(
            set(
                "---\nlast-touch: 2025-01-02T10:00\n---\n",
                "last-touch",
                "2026-03-02"
            ),
            "---\nlast-touch: 2026-03-02\n---\n"
        );
        assert_eq!(
            set("---\nlast-touch:\nb: 1\n---\n", "last-touch", "2026-03-02"),
            "---\nlast-touch: 2026-03-02\nb: 1\n---\n"
        );
        assert_eq!(
            set(
                "---\nlast-touch: # none yet\n---\n",
                "last-touch",
                "2026-03-02"
            ),
            "---\nlast-touch: 2026-03-02 # none yet\n---\n"
        );
    }

    #[test]
    fn dates_read_back_as_yaml_strings() {
        let map: Mapping = yaml_serde::from_str("a: 2026-03-02\n").unwrap();
        assert_eq!(map.get("a"), Some(&Value::String("2026-03-02".to_owned())));
    }

    fn refusal(note: &str) -> EditError {
        set_key(note, "last-touch", "2026-03-02").unwrap_err()
    }

    fn key_line(key: &str, line: usize) -> (String, usize) {
        (key.to_owned(), line)
    }

    #[test]
    fn values_that_are_not_one_plain_line_are_refused() {
        let lt = || key_line("last-touch", 3);
        let cases = [
            ("---\na: 1\nlast-touch: |\n  2025-01-02\n---\n", "block"),
            ("---\na: 1\nlast-touch: >-\n  2025-01-02\n---\n", "block"),
            ("---\na: 1\nlast-touch: &d 2025-01-02\n---\n", "anchor"),
            ("---\nb: &d 1\nlast-touch: *d\n---\n", "anchor"),
            ("---\na: 1\nlast-touch: !!str 2025-01-02\n---\n", "anchor"),
            ("---\na: 1\nlast-touch: {a: 1}\n---\n", "flow"),
            ("---\na: 1\nlast-touch: [2025-01-02]\n---\n", "flow"),
            (
                "---\na: 1\nlast-touch: 2025-01-02\n  continued\n---\n",
                "multi",
            ),
            ("---\na: 1\nlast-touch: \"2025-01-02\n  x\"\n---\n", "multi"),
            ("---\na: 1\nlast-touch:\n  - 2025-01-02\n---\n", "multi"),
            ("---\na: 1\nlast-touch:\n- 2025-01-02\n---\n", "multi"),
            ("---\na: 1\nlast-touch:\n  day: 2025-01-02\n---\n", "multi"),
        ];
        for (note, kind) in cases {
            let err = refusal(note);
            let (key, line) = match &err {
                EditError::BlockScalar { key, line } if kind == "block" => (key, line),
                EditError::AnchorAliasOrTag { key, line, .. } if kind == "anchor" => (key, line),
                EditError::Flow { key, line } if kind == "flow" => (key, line),
                EditError::MultiLine { key, line } if kind == "multi" => (key, line),
                other => panic!("{note:?}: {other:?}"),
            };
            assert_eq!((key.clone(), *line), lt(), "{note:?}");
        }
        assert_eq!(
            refusal("---\na: 1\nlast-touch: |\n  x\n---\n").to_string(),
            "`last-touch` on line 3 is a block scalar (`|` or `>`); vault-reach only replaces \
             single-line values, so edit it by hand"
        );
    }

    #[test]
    fn broken_front_matter_is_refused() {
        assert_eq!(
            refusal("---\nlast-touch: 2025-01-01\nlast-touch: 2025-01-02\n---\n"),
            EditError::DuplicateKey {
                key: "last-touch".to_owned(),
                first: 2,
                second: 3
            }
        );
        assert_eq!(
            refusal("---\nlast-touch: 2025-01-02\n"),
            EditError::Unclosed
        );
        match refusal("---\na: 1\nb: c: d\n---\n") {
            EditError::Yaml { line, .. } => assert_eq!(line, Some(3)),
            other => panic!("{other:?}"),
        }
        assert!(matches!(refusal("---\n- a\n---\n"), EditError::Yaml { .. }));
        assert!(matches!(
            set_key("---\na: 1\n---\n", "a", "x\ny"),
            Err(EditError::BadValue { .. })
        ));
    }

    #[test]
    fn values_that_would_read_back_differently_are_refused() {
        // `123` reads back as a number, `a: b` as invalid YAML: neither is the string asked for.
        for value in ["123", "a: b", "# x", ""] {
            assert_eq!(
                set_key("---\nlast-touch: 2025-01-02\n---\n", "last-touch", value),
                Err(EditError::Unverified {
                    key: "last-touch".to_owned()
                }),
                "{value:?}"
            );
        }
    }

    fn key_name() -> impl Strategy<Value = String> {
        // `null`, `true` and `false` read as a null or bool key, not the string we set.
        "[a-z][a-z0-9_-]{0,7}".prop_filter("a string key", |k| {
            !matches!(k.as_str(), "null" | "true" | "false")
        })
    }

    fn scalar() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z][a-z ]{0,8}[a-z]",
            "[0-9]{1,4}",
            "20[0-9]{2}-[01][0-9]-[0-3][0-9]",
            "\"[a-z #:]{0,8}\"",
            "'[a-z #:]{0,8}'",
            Just(String::new()),
        ]
    }

    /// A front-matter line, with an optional comment.
    fn entry() -> impl Strategy<Value = (String, String, Option<String>)> {
        (key_name(), scalar(), prop::option::of("[a-z ]{0,8}"))
    }

    proptest! {
        #[test]
        fn set_key_changes_only_that_key(
            entries in prop::collection::vec(entry(), 0..6),
            pick in any::<prop::sample::Index>(),
            fresh in key_name(),
            crlf in any::<bool>(),
            bom in any::<bool>(),
            body in "[a-z#\n ]{0,20}",
        ) {
            let nl = if crlf { "\r\n" } else { "\n" };
            // Keys must be unique for the front-matter to be valid.
            let mut seen = std::collections::HashSet::new();
            let entries: Vec<_> = entries.into_iter().filter(|e| seen.insert(e.0.clone())).collect();
            let mut text = String::from(if bom { "\u{feff}" } else { "" });
            text.push_str("---");
            text.push_str(nl);
            let mut line_starts = Vec::new();
            for (key, value, comment) in &entries {
                line_starts.push(text.len());
                text.extend([key.as_str(), ":"]);
                if !value.is_empty() {
                    text.push(' ');
                    text.push_str(value);
                }
                if let Some(comment) = comment {
                    text.extend([" # ", comment.as_str()]);
                }
                text.push_str(nl);
            }
            let close = text.len();
            text.push_str("---");
            text.push_str(nl);
            text.push_str(&body.replace('\n', nl));

            let (key, edited_line) = match entries.iter().position(|e| e.0 == fresh) {
                Some(i) => (fresh.clone(), Some(i)),
                None if entries.is_empty() || pick.index(2) == 0 => (fresh.clone(), None),
                None => {
                    let i = pick.index(entries.len());
                    (entries[i].0.clone(), Some(i))
                }
            };
            let edited = set_key(&text, &key, "2026-03-02").unwrap();

            let yaml_of = |t: &str| {
                let s = split(t);
                let f = s.front.unwrap();
                yaml_serde::from_str::<Mapping>(&t[f.yaml]).unwrap()
            };
            let mut expected = yaml_of(&text);
            expected.insert(Value::String(key.clone()), Value::String("2026-03-02".to_owned()));
            let got = yaml_of(&edited);
            prop_assert_eq!(&got, &expected);
            prop_assert!(got.iter().eq(expected.iter()));

            let (prefix_end, suffix_start) = match edited_line {
                Some(i) => {
                    let start = line_starts[i];
                    (start, start + text[start..].find(nl).unwrap())
                }
                None => (close, close),
            };
            prop_assert!(edited.starts_with(&text[..prefix_end]));
            prop_assert!(edited.ends_with(&text[suffix_start..]));
        }
    }
}
