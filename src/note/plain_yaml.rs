//! Front-matter as most notes write it, read line by line into the mapping the YAML parser
//! would give: `key: value` lines whose values are plain words or phrases, dates, whole
//! numbers, text in quotes without escapes, or lists (in brackets, or under the key as
//! Obsidian writes them), with comments at the margin.
//!
//! The YAML parser costs a note about 20 µs, most of it setting up its scanner and events
//! for a handful of short lines: a fifth of a cold load of 30,000 notes. Anything outside this
//! plain form (a block of text, an escape, a float, an anchor or a tag, a nested list, a
//! repeated key) is `None`, and goes to the parser, which also says what is wrong with
//! front-matter that is not YAML. A differential property test holds the two to the same
//! mapping.

use yaml_serde::{Mapping, Value};

/// The mapping of `yaml` (a front-matter block, without its `---` lines), when every line of
/// it is in the plain form; `None` otherwise.
pub fn mapping(yaml: &str) -> Option<Mapping> {
    let mut mapping = Mapping::new();
    // A key with nothing after it on its line, with the items of a list under it, at their
    // indent, as Obsidian writes lists: `tags:` then `  - person`.
    let mut open: Option<(&str, Vec<Value>, Option<usize>)> = None;
    // The last `\n`'s empty line, which `split` would give and this does not, is skipped.
    for line in super::lines_inclusive(yaml) {
        let line = line.strip_suffix('\n').unwrap_or(line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        // Before the comments: YAML ends a comment at a line break of its own (LS, NEL). A
        // line of printable ASCII holds none, and is not decoded a character at a time.
        if line.bytes().any(|b| !(b' '..0x7f).contains(&b)) && line.chars().any(breaks_plain) {
            return None;
        }
        if line.bytes().all(|b| b == b' ') || line.starts_with('#') {
            continue;
        }
        let rest = line.trim_start_matches(' ');
        let indent = line.len() - rest.len();
        if let Some(item) = rest.strip_prefix("- ") {
            let (_, items, at) = open.as_mut()?;
            if *at.get_or_insert(indent) != indent {
                return None;
            }
            let item = item.trim_matches(' ');
            if item.starts_with('[') {
                return None;
            }
            items.push(value_of(item).filter(|v| !v.is_null())?);
            continue;
        }
        if indent > 0 {
            return None;
        }
        close(&mut mapping, open.take())?;
        let (key, rest) = line.split_once(':')?;
        if !is_plain_key(key) {
            return None;
        }
        let value = match rest.strip_prefix(' ') {
            Some(value) => value.trim_matches(' '),
            None if rest.is_empty() => "",
            None => return None,
        };
        if value.is_empty() {
            open = Some((key, Vec::new(), None));
        } else {
            insert(&mut mapping, key, value_of(value)?)?;
        }
    }
    close(&mut mapping, open)?;
    Some(mapping)
}

/// Puts the open key in: a list when items followed it, else null.
fn close(mapping: &mut Mapping, open: Option<(&str, Vec<Value>, Option<usize>)>) -> Option<()> {
    match open {
        Some((key, items, at)) => {
            let value = at.map_or(Value::Null, |_| Value::Sequence(items));
            insert(mapping, key, value)
        }
        None => Some(()),
    }
}

/// A repeated key is an error the parser words.
fn insert(mapping: &mut Mapping, key: &str, value: Value) -> Option<()> {
    mapping
        .insert(Value::String(key.to_owned()), value)
        .is_none()
        .then_some(())
}

/// A character whose reading YAML makes other than plain text: a tab, a control character,
/// a byte-order mark, or one YAML 1.1 takes for a line break (NEL, LS, PS).
fn breaks_plain(c: char) -> bool {
    c < ' '
        || ('\u{7f}'..='\u{9f}').contains(&c)
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        )
}

/// A key of letters, digits, `-` and `_`, starting with a letter or `_`, that YAML reads as
/// text (not `true` or `null`).
fn is_plain_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && resolved(key).is_some_and(|v| v.is_string())
}

fn value_of(value: &str) -> Option<Value> {
    if value.is_empty() {
        return Some(Value::Null);
    }
    if let Some(inner) = value.strip_prefix('"') {
        let text = inner.strip_suffix('"')?;
        return (!text.contains(['"', '\\'])).then(|| Value::String(text.to_owned()));
    }
    if let Some(inner) = value.strip_prefix('\'') {
        let text = inner.strip_suffix('\'')?;
        return (!text.contains('\'')).then(|| Value::String(text.to_owned()));
    }
    if let Some(inner) = value.strip_prefix('[') {
        let items = inner.strip_suffix(']')?.trim_matches(' ');
        if items.is_empty() {
            return Some(Value::Sequence(Vec::new()));
        }
        return items
            .split(',')
            .map(|item| {
                let item = item.trim_matches(' ');
                if item.starts_with(['"', '\'']) {
                    return value_of(item);
                }
                let in_flow = !item.contains(['[', ']', '{', '}', '"', '\'']);
                in_flow.then(|| plain(item)).flatten()
            })
            .collect::<Option<Vec<Value>>>()
            .map(Value::Sequence);
    }
    plain(value)
}

/// A plain scalar: no indicator first, no `: ` or ` #` inside (a mapping, a comment), no `:`
/// last, and read as text, `true`/`false` or null.
fn plain(text: &str) -> Option<Value> {
    let first = text.chars().next()?;
    let indicator = "-?:,[]{}#&*!|>'\"%@`".contains(first) || first == ' ';
    if indicator || text.contains(": ") || text.contains(" #") || text.ends_with(':') {
        return None;
    }
    resolved(text)
}

/// What YAML's core schema makes of a plain scalar, for those read here: null, a boolean, a
/// whole number, text that starts with a digit but cannot be a number (a date, `10/03/2020`,
/// `2020 Q3`), or text. Anything else that may be a number is `None`.
fn resolved(text: &str) -> Option<Value> {
    Some(match text {
        "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ if text.starts_with(|c: char| c.is_ascii_digit()) => {
            if text == "0" || (text.len() <= 18 && !text.starts_with('0') && is_digits(text)) {
                Value::Number(text.parse::<u64>().ok()?.into())
            } else if text.contains(['/', ' '])
                || is_date(text)
                || is_date_time(text)
                || is_count_of(text)
            {
                Value::String(text.to_owned())
            } else {
                return None;
            }
        }
        _ if text.starts_with(['+', '.']) => return None,
        _ => Value::String(text.to_owned()),
    })
}

/// Digits then letters, as a cadence is written (`90d`, `3w`), with none of the letters that
/// could make a number (`1e5`, `0x1f`, `0o17`, `0b1`).
fn is_count_of(text: &str) -> bool {
    let letters = text.trim_start_matches(|c: char| c.is_ascii_digit());
    !letters.is_empty()
        && letters
            .bytes()
            .all(|b| b.is_ascii_alphabetic() && !b"eExXoObB".contains(&b))
}

fn is_digits(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit())
}

/// `YYYY-MM-DD`, digits only.
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    text.is_ascii()
        && b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && is_digits(&text[..4])
        && is_digits(&text[5..7])
        && is_digits(&text[8..])
}

/// `YYYY-MM-DDTHH:MM`, with seconds or not, as Obsidian writes a date and time.
fn is_date_time(text: &str) -> bool {
    let b = text.as_bytes();
    text.is_ascii()
        && (b.len() == 16 || (b.len() == 19 && b[16] == b':' && is_digits(&text[17..])))
        && is_date(&text[..10])
        && b[10] == b'T'
        && b[13] == b':'
        && is_digits(&text[11..13])
        && is_digits(&text[14..16])
}

#[cfg(test)]
mod tests {
    use proptest::strategy::Strategy;

    use super::*;

    fn parsed(yaml: &str) -> Mapping {
        match yaml_serde::from_str::<Value>(yaml).unwrap() {
            Value::Mapping(mapping) => mapping,
            Value::Null => Mapping::new(),
            other => panic!("not a mapping: {other:?}"),
        }
    }

    #[test]
    fn a_contacts_front_matter_is_read_as_the_parser_reads_it() {
        let yaml = "tags: [person, alumni/epfl]\r\nmet-date: 2018-07-05\nname: Zoë Ø'Brien\n\
                    context: Sat next to them on a flight to İstanbul, C# and [[Acme]]\n\
                    last-touch: \"2025-08-24\"\nlinkedin: https://www.linkedin.com/in/a-b\n\
                    aliases: []\nnote: 'it said \"hi\"'\nempty:\npaused: true\nlet-go: ~\n\n\
                    # synced from phone contacts\ncadence: 30\ncreated: 2021-12-08T09:34:02\n\
                    birthday: 10/03/1990\nlist:\n  - person\n  - \"ex colleague\"\n  - 2018-07-05\n\
                    flat:\n- a\n- b\n";
        let fast = mapping(yaml).expect("plain front-matter");
        assert_eq!(fast, parsed(yaml));
        assert_eq!(
            fast.get("met-date"),
            Some(&Value::String("2018-07-05".into()))
        );
        assert_eq!(mapping(""), Some(Mapping::new()));
    }

    #[test]
    fn anything_else_goes_to_the_parser() {
        for yaml in [
            "kids: 007",
            "kids: -2",
            "f: 1.5",
            "t: 09:34",
            "list:\n  - a\n    - b",
            "list:\n  - a\n   - b",
            "list:\n  - a: b",
            "list:\n  - [a]",
            "list:\n  -",
            "  # indented comment\nname: Ada",
            "context: |\n  text",
            "d: 2025-8-4",
            "name: Ada # comment",
            "name: \"a\\tb\"",
            "name: 'it''s'",
            "a: b: c",
            "tags: [a, [b]]",
            "tags: [a, ]",
            "name: &x Ada",
            "name: *x",
            "name: !tag Ada",
            "\"quoted\": key",
            "last contact: 2025-01-02",
            "null: x",
            "name: Ada\nname: Bea",
            "name:Ada",
            " name: Ada",
            "name: a\tb",
            "name: a\u{2028}b",
            "name: ends:",
            "---",
        ] {
            assert_eq!(mapping(yaml), None, "{yaml:?}");
        }
    }

    /// Values that look like the plain ones and may not be (drawn with [`TAKEN`]).
    const VALUES: &[&str] = &[
        "2025-8-4",
        "20180705",
        "2018-07-05T10:00",
        "1",
        "1.5",
        "-1",
        "+1",
        ".5",
        ".inf",
        ".nan",
        "0x1f",
        "0o17",
        "1e3",
        "1_000",
        "Null",
        "True",
        "TRUE",
        "false",
        "on",
        "n",
        "Y",
        "\"a: b\"",
        "\"a\\\"b\"",
        "'it''s'",
        "[a, ]",
        "[a, [b]]",
        "[\"a\"]",
        "[1, 2]",
        "[true, null]",
        "[a: b]",
        "[#a]",
        "[a #b]",
        "a: b",
        "a:b",
        "a :b",
        "a #b",
        "ends:",
        "met at [[X]]",
        "{a: b}",
        "&a x",
        "*a",
        "!t x",
        "|",
        ">",
        "%x",
        "@x",
        "`x`",
        "- x",
        "-x",
        "?x",
        "? x",
        ",x",
        "a\u{2028}b",
        "a\u{85}b",
        "\u{feff}a",
        "a\tb",
        "[a, b,]",
        "[,]",
        "[ a]",
        "[a ]",
        "x: [a]",
        "'a' b",
        "\"a\" b",
    ];

    /// Values of the kinds the line reader takes.
    const TAKEN: &[&str] = &[
        "90d",
        "3w",
        "6m",
        "12months",
        "2e",
        "1x",
        "0b1",
        "1d2",
        "7days",
        "1D",
        "3E",
        "0o",
        "[\"Ryan\"]",
        "[\"Hélène\", \"Helene F\"]",
        "['a', b]",
        "[\"a,b\"]",
        "[\"a\\\"\"]",
        "30",
        "0",
        "2020",
        "2021-12-08T09:34:02",
        "2021-12-08T09:34",
        "2021-12-08 09:34",
        "10/03/2020",
        "2020 Q3",
        "1 2",
        "123456789012345678",
        "007",
        "1:30",
        "12:30:00",
        "1e5",
        "1234567890123456789012",
        "2021-12-08T09:34:02Z",
        "2021-12-08t09:34",
        "0.0",
        "",
        "Ada",
        "Ada Quint",
        "Zoë",
        "東京",
        "İstanbul",
        "2018-07-05",
        "~",
        "null",
        "NULL",
        "true",
        "False",
        "yes",
        "no",
        "off",
        "y",
        "N",
        "\"2025-08-24\"",
        "\"a: b # c\"",
        "\"\"",
        "''",
        "'x'",
        "\"it's\"",
        "'a \"b\"'",
        "[person]",
        "[a, b]",
        "[ a , b ]",
        "[]",
        "[ ]",
        "[a,b]",
        "[2018-07-05]",
        "[true, null, yes]",
        "[a b, c]",
        "[a#b]",
        "a#b",
        "C#",
        "https://x.y/z?a=b#c",
        "[[Acme]]",
        "met at [[X]], and {Y}",
        "a, b",
        "a  b",
        "a \u{301}",
        "it's",
        "say \"hi\"",
        "x\\y",
        "<<",
        "=",
        "a = b",
        "a}",
        "a]",
        "a,",
        "😀",
        "\u{a0}a",
        "a\u{a0}",
        "a - b",
        "a -b",
        "a ? b",
        "a | b",
        "a > b",
        "a & b",
        "a * b",
        "a ! b",
        "a % b",
        "a @ b",
        "a ` b",
        "a 'b' c",
        "a \"b\" c",
        "tRUE",
        "nULL",
        "2018-07-05 x",
    ];

    /// A line the reader may take: a plain key, `: `, any value, maybe a CR.
    fn plain_line() -> impl Strategy<Value = String> {
        (
            proptest::sample::select(vec![
                "name",
                "met-date",
                "tags",
                "_x",
                "a-b_c",
                "context",
                "last-touch",
                "email",
                "linkedin",
                "company",
                "role",
                "aliases",
                "cadence",
                "k1",
                "X",
                "o",
                "e",
                "yes",
                "no",
                "on",
                "y",
                "n",
                "True",
                "null",
                "Null",
                "nULL",
                "false",
                "ON",
            ]),
            proptest::prop_oneof![
                4 => proptest::sample::select(TAKEN.to_vec()),
                1 => proptest::sample::select([TAKEN, VALUES].concat()),
            ],
            proptest::sample::select(vec!["", "", "", " ", "\r", " \r"]),
        )
            .prop_map(|(key, value, end)| format!("{key}: {value}{end}"))
    }

    /// A key with a block list under it, at one indent or another.
    fn list_lines() -> impl Strategy<Value = String> {
        (
            proptest::sample::select(vec!["tags", "aliases", "list", "met-date", "x"]),
            proptest::sample::select(vec![":", ":", ": ", ":\r"]),
            proptest::collection::vec(
                (
                    proptest::sample::select(vec!["", "", "  ", "  ", "    ", " ", "\t"]),
                    proptest::sample::select(vec!["- ", "- ", "-  ", "-", "* "]),
                    proptest::prop_oneof![
                        4 => proptest::sample::select(TAKEN.to_vec()),
                        1 => proptest::sample::select([TAKEN, VALUES].concat()),
                    ],
                ),
                0..4,
            ),
        )
            .prop_map(|(key, colon, items)| {
                let items: String = items
                    .into_iter()
                    .map(|(indent, dash, item)| ["\n", indent, dash, item].concat())
                    .collect();
                format!("{key}{colon}{items}")
            })
    }

    /// A line of any shape.
    fn any_line() -> impl Strategy<Value = String> {
        (
            proptest::sample::select(vec![
                "name",
                "1k",
                "last contact",
                "\"q\"",
                " name",
                "name ",
                "-x",
                "- name",
                "#",
                "",
                "  ",
                "---",
                "...",
                "? k",
            ]),
            proptest::sample::select(vec![":", ": ", ":  ", ":\t", "", " :", ":x", "::"]),
            proptest::sample::select([TAKEN, VALUES].concat()),
            proptest::sample::select(vec!["", " ", " # c", "\r", "\t"]),
        )
            .prop_map(|(key, colon, value, end)| format!("{key}{colon}{value}{end}"))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
        /// Whatever the line reader takes, the YAML parser reads as the same mapping: both are
        /// given front-matter made mostly of plain lines, with lines of any shape among them.
        #[test]
        fn plain_front_matter_is_read_as_the_yaml_parser_reads_it(
            lines in proptest::collection::vec(
                proptest::prop_oneof![
                    12 => plain_line(),
                    3 => list_lines(),
                    1 => proptest::sample::select(vec!["# c", "#", "# a: b", "", "  "])
                        .prop_map(str::to_owned),
                    1 => any_line(),
                ],
                0..7,
            ),
        ) {
            let mut yaml = lines.join("\n");
            yaml.push('\n');
            if let Some(fast) = mapping(&yaml) {
                let parsed = match yaml_serde::from_str::<Value>(&yaml) {
                    Ok(Value::Mapping(m)) => m,
                    Ok(Value::Null) => Mapping::new(),
                    other => panic!("{yaml:?}: the line reader took it, the parser gave {other:?}"),
                };
                proptest::prop_assert_eq!(fast, parsed, "{:?}", yaml);
            }
        }
    }
}
