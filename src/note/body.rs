//! What a note's own words give a draft: the first line of its `## Notes` (or `## About`)
//! section, its open tasks outside the Log (`- [ ] send the river map`), and the notes it
//! links to (`introduced by [[Grace Okafor]]`, `related: "[[Ada]]"`).
//!
//! A line scan, not a Markdown parse: it runs on every note of the vault as it is read, and
//! what it finds is a hint to a person (a link inside a code block, read as a link, costs a
//! "you both know" line at worst).

use std::sync::LazyLock;

use memchr::memmem::Finder;

use crate::model::{BodyFacts, Words};
use crate::note::log::is_log_heading;

/// At most this many open tasks are kept: a draft's hints, not the note's to-do list.
const MAX_FOLLOW_UPS: usize = 3;

/// The facts of `text`, a whole note (front-matter links count: `related: "[[Ada]]"`).
/// `body` is the part below the front-matter.
pub fn facts(text: &str, body: &str) -> BodyFacts {
    let mut words = Words::default();
    let mut section = Section::Other;
    let mut at = 0;
    while at < body.len() {
        if section == Section::Log {
            // Only a heading ends the Log, and nothing in it is a fact: most of a note is its
            // Log, so go straight to the next line that may be a heading.
            let Some(heading) = next_hash_line(body, at) else {
                break;
            };
            at = heading;
        }
        let end = memchr::memchr(b'\n', &body.as_bytes()[at..]).map_or(body.len(), |n| at + n);
        let line = &body[at..end];
        let line = line.strip_suffix('\r').unwrap_or(line);
        at = end + 1;
        take_line(&mut words, &mut section, line);
    }
    BodyFacts::new(&words, &links(text))
}

/// Takes in one line of the body, in the `section` the lines before it opened.
fn take_line(facts: &mut Words, section: &mut Section, line: &str) {
    let trimmed = line.trim_start_matches(' ');
    if trimmed.starts_with('#') && heading_level(trimmed).is_some() {
        *section = if is_log_heading(trimmed) {
            Section::Log
        } else if is_about_heading(trimmed) {
            Section::About
        } else {
            Section::Other
        };
        return;
    }
    match section {
        Section::About if facts.about.is_none() => {
            let text = trimmed.trim_start_matches('>').trim();
            if !text.is_empty() && !text.starts_with("- [") {
                facts.about = Some(text.to_owned());
            }
        }
        Section::Log => return,
        _ => {}
    }
    if facts.follow_ups.len() < MAX_FOLLOW_UPS
        && let Some(task) = open_task(trimmed)
    {
        facts.follow_ups.push(task.to_owned());
    }
}

/// The start of the first line from `from` (a line's start) that begins with `#` after
/// spaces alone.
fn next_hash_line(body: &str, mut from: usize) -> Option<usize> {
    loop {
        let hash = from + memchr::memchr(b'#', &body.as_bytes()[from..])?;
        let start = memchr::memrchr(b'\n', &body.as_bytes()[..hash]).map_or(0, |n| n + 1);
        if body[start..hash].bytes().all(|b| b == b' ') {
            return Some(start);
        }
        from = hash + 1;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    About,
    Log,
    Other,
}

fn heading_level(line: &str) -> Option<usize> {
    let hashes = line.len() - line.trim_start_matches('#').len();
    let rest = &line[hashes..];
    ((1..=6).contains(&hashes) && (rest.is_empty() || rest.starts_with([' ', '\t'])))
        .then_some(hashes)
}

fn is_about_heading(line: &str) -> bool {
    let text = line
        .trim_start_matches('#')
        .trim()
        .trim_end_matches('#')
        .trim_end();
    let text = text.strip_suffix(':').unwrap_or(text).trim_end();
    ["notes", "about", "about them"]
        .iter()
        .any(|h| text.eq_ignore_ascii_case(h))
}

/// `- [ ] send the river map` (any list marker): the task's text.
fn open_task(line: &str) -> Option<&str> {
    let rest = line.strip_prefix(['-', '*', '+'])?.strip_prefix(' ')?;
    let text = rest.trim_start().strip_prefix("[ ]")?.trim();
    (!text.is_empty()).then_some(text)
}

/// The hash of a link target's name key ([`crate::names::name_key`]), as links are kept.
pub fn link_key(target: &str) -> u64 {
    // A vault's 200,000 links are keyed as they are read: most are short ASCII names, keyed
    // here in a buffer on the stack as `name_key` would (words lowercased, one space apart).
    const SHORT: usize = 128;
    if target.is_ascii() && target.len() <= SHORT {
        let mut key = [0u8; SHORT];
        let mut len = 0;
        for word in target.split_whitespace() {
            if len > 0 {
                key[len] = b' ';
                len += 1;
            }
            for b in word.bytes() {
                key[len] = b.to_ascii_lowercase();
                len += 1;
            }
        }
        return xxhash_rust::xxh3::xxh3_64(&key[..len]);
    }
    xxhash_rust::xxh3::xxh3_64(crate::names::name_key(target).as_bytes())
}

/// Every `[[target]]`, `[[target|alias]]`, `[[target#heading]]` in `text`, each target once,
/// as the hash of its name key: a vault of 30,000 notes holds some 200,000 links, which a
/// render matches against everyone's names; eight bytes each, compared without a string.
fn links(text: &str) -> Vec<u64> {
    let mut out: Vec<u64> = Vec::new();
    let mut rest = text;
    while let Some(open) = find_pair(rest, &OPEN) {
        rest = &rest[open + 2..];
        let Some(close) = find_pair(rest, &CLOSE) else {
            break;
        };
        let inner = &rest[..close];
        rest = &rest[close + 2..];
        // Bytes, not chars: every link of every note read is looked through, and the
        // characters sought are ASCII, which no other character's bytes contain.
        if memchr::memchr2(b'\n', b'[', inner.as_bytes()).is_some() {
            continue;
        }
        let end = memchr::memchr3(b'|', b'#', b'^', inner.as_bytes()).unwrap_or(inner.len());
        let target = inner[..end].trim();
        let target = target.strip_suffix(".md").unwrap_or(target);
        if target.is_empty() {
            continue;
        }
        // Computed once when the note is read (and kept in the parse cache), not for every
        // link on every render.
        let key = link_key(target);
        if !out.contains(&key) {
            out.push(key);
        }
    }
    out
}

/// The searchers for a link's brackets, built once: a two-byte search through `str::find`
/// showed in the scan of every note read (BENCHMARKS.md).
static OPEN: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"[["));
static CLOSE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"]]"));

/// Where `text` first holds the pair `finder` looks for.
fn find_pair(text: &str, finder: &Finder<'_>) -> Option<usize> {
    finder.find(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_about_line_open_tasks_and_links_are_found() {
        let text = "---\nrelated: \"[[Ada Quint]]\"\n---\n# Grace\n\n## Notes\n\n> Runs the \
                    mapping workshop; loves rivers.\n\nIntroduced by [[People/Tom|Tom]].\n\n\
                    - [ ] send the river map\n- [x] thank her\n\n## Log\n\n- [ ] 2026-01-01 \
                    coffee [[Ada Quint]]\n";
        let body = &text[text.find("# Grace").unwrap()..];
        let f = facts(text, body);
        let words = f.words();
        assert_eq!(
            words.about.as_deref(),
            Some("Runs the mapping workshop; loves rivers.")
        );
        assert_eq!(words.follow_ups, ["send the river map"]);
        assert_eq!(f.links(), [link_key("Ada Quint"), link_key("People/Tom")]);
        assert_eq!(
            link_key("ada  QUINT"),
            link_key("Ada Quint"),
            "as names are matched"
        );
    }

    /// The walk over every line that `facts` skips through Logs to shorten.
    mod reference {
        use super::super::*;

        pub fn facts(text: &str, body: &str) -> BodyFacts {
            let mut words = Words::default();
            let mut section = Section::Other;
            for line in body.lines() {
                take_line(&mut words, &mut section, line);
            }
            BodyFacts::new(&words, &links(text))
        }
    }

    proptest::proptest! {
        #[test]
        fn link_keys_are_those_of_the_name_key(target in "[ \t\u{b}A-Za-z0-9.|#-]{0,140}|\\PC{0,20}") {
            proptest::prop_assert_eq!(
                link_key(&target),
                xxhash_rust::xxh3::xxh3_64(crate::names::name_key(&target).as_bytes())
            );
        }

        /// Skipping through the Log finds the facts a walk over every line finds.
        #[test]
        fn facts_are_those_of_a_walk_over_every_line(
            lines in proptest::collection::vec(
                proptest::sample::select(vec![
                    "## Log", "# Log", "  ## Notes", "## Notes", "### About", "#tag", "  #", "",
                    "- [ ] send the map", "- [ ] 2026-01-01 coffee", "> The about line.",
                    "text with # inside", "- 2026-01-02 met [[Ada]]", "\r", "## Log\r",
                    "   - [ ] indented task", "## Other", "x #", "#", "####### seven",
                ]),
                0..14,
            ),
        ) {
            let body = lines.join("\n");
            proptest::prop_assert_eq!(facts(&body, &body), reference::facts(&body, &body));
        }

        #[test]
        fn pairs_are_found_where_a_string_search_finds_them(text in "[\\[\\]a é]{0,30}") {
            proptest::prop_assert_eq!(find_pair(&text, &OPEN), text.find("[["));
            proptest::prop_assert_eq!(find_pair(&text, &CLOSE), text.find("]]"));
        }
    }

    #[test]
    fn a_note_without_them_gives_nothing() {
        let text = "# Bob\n\nJust a line, [[unclosed\n\n## Log\n- 2026-01-01 met\n";
        assert_eq!(facts(text, text), BodyFacts::default());
    }
}
