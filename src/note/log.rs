//! The `## Log` section of a note: dated outreach and reply entries.
//!
//! Most notes have no Log, and a vault can hold tens of thousands of notes, so a byte scan for a
//! `Log` heading line comes first and pulldown-cmark only runs on notes that have one, from that
//! heading to the end of its section. pulldown-cmark still has the last word on what is a
//! heading, so a `# Log` inside a code block is not taken for one.

use chrono::NaiveDate;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::model::date::parse_date;
use crate::model::{Classified, LogEntry, Vocabulary, classify};
use crate::note::frontmatter::newlines;

/// The Markdown extensions every reader of a note's body uses (the Log reader, the Log
/// editor, the today.md harvest), so that all agree on what is a heading, a list and a task.
pub const MARKDOWN: Options = Options::ENABLE_TASKLISTS
    .union(Options::ENABLE_WIKILINKS)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TABLES);

/// Where the Log section is, fed the headings pulldown-cmark reads, in order: the one rule for
/// where it starts (the first `Log` or `Interaction Log` heading) and where it ends (the next
/// heading of its level or higher), shared by the reader and the editor.
#[derive(Debug, Default)]
pub(crate) struct LogBounds {
    level: Option<HeadingLevel>,
    closed: bool,
}

/// What a heading is to the Log section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Heading {
    Opens,
    Closes,
    Other,
}

impl LogBounds {
    /// Takes in the next heading, of `level`, whose source line is `line`.
    pub(crate) fn heading(&mut self, level: HeadingLevel, line: &str) -> Heading {
        match self.level {
            None if is_log_heading(line) => {
                self.level = Some(level);
                Heading::Opens
            }
            Some(log_level) if !self.closed && level <= log_level => {
                self.closed = true;
                Heading::Closes
            }
            _ => Heading::Other,
        }
    }

    /// Between the Log heading and the end of its section.
    pub(crate) fn inside(&self) -> bool {
        self.level.is_some() && !self.closed
    }
}

/// Reads the dated top-level items of the first `Log` (or `Interaction Log`) section of `body`,
/// in the order they appear. `first_line` is the note line where `body` starts.
pub fn read_log(body: &str, first_line: usize, kinds: &Vocabulary) -> Vec<LogEntry> {
    let Some(start) = parse_start(body) else {
        return Vec::new();
    };
    let end = parse_end(body, start);
    read_plain_section(body, first_line, start, end, kinds)
        .unwrap_or_else(|| read_section(body, first_line, start, end, kinds))
}

/// The Log in `body[start..end]` when it is plain — its heading, then only blank lines and
/// `- ` items at the margin that hold no block of their own — read line by line, as
/// pulldown-cmark would read it: each such line is one top-level item. Most Logs are that,
/// and parsing them as Markdown was a sixth of a cold read of the vault. `None` for anything
/// else (a nested or indented line, a heading, a quote, code, HTML, a rule, a lone `\r`),
/// which [`read_section`] reads.
fn read_plain_section(
    body: &str,
    first_line: usize,
    start: usize,
    end: usize,
    kinds: &Vocabulary,
) -> Option<Vec<LogEntry>> {
    let section = &body[start..end];
    let mut lines = super::lines_inclusive(section);
    let heading = lines.next()?;
    if !is_log_heading(heading) || atx_level(heading).is_none() {
        return None;
    }
    let mut entries = Vec::new();
    let mut counter = LineCounter::new(body, first_line);
    let mut offset = start + heading.len();
    // The indent that continues the item above (`- ` → 2), once there is one.
    let mut continues = None;
    for raw in lines {
        let at = offset;
        offset += raw.len();
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.contains('\r') {
            return None;
        }
        if line.trim_matches([' ', '\t']).is_empty() {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            // Under an item: its own notes and sub-items, never a top-level item.
            if !continues.is_some_and(|indent| is_plain_continuation(line, indent)) {
                return None;
            }
            continue;
        }
        let indent = plain_item_indent(line)?;
        continues = Some(indent);
        entries.extend(entry(line, kinds, || counter.line_of(at)));
    }
    Some(entries)
}

/// The entry a top-level item's first line makes, when it starts with a date; `line` says
/// where it is, counted only for an entry.
fn entry(first: &str, kinds: &Vocabulary, line: impl FnOnce() -> usize) -> Option<LogEntry> {
    let (date, text) = dated(item_text(first))?;
    let Classified { kind, text } = classify(text, kinds);
    Some(LogEntry {
        date,
        kind,
        text: text.into(),
        line: line(),
    })
}

/// A `- ` (or `* `, `+ `) item at the margin whose text opens no block of its own (not a
/// heading, quote, list, code, HTML or table, nor a thematic break such as `- - -`): the
/// indent of its text, which the lines that continue it reach.
fn plain_item_indent(line: &str) -> Option<usize> {
    let marker = line
        .chars()
        .next()
        .filter(|c| matches!(c, '-' | '*' | '+'))?;
    let content = line[1..].strip_prefix(' ')?;
    let rule = line.chars().all(|c| c == marker || c == ' ' || c == '\t')
        && line.matches(marker).count() >= 3;
    let text = content.trim_start_matches(' ');
    let spaces = 1 + content.len() - text.len();
    // Four spaces or more after the marker make the item's text code.
    (!rule && spaces < 4 && !opens_block(text)).then_some(1 + spaces)
}

/// A line under an item, indented at least as far as its text (`indent`), holding text, a
/// task or a sub-item that opens no block: nothing in it can be a heading (which would end
/// the Log for pulldown-cmark) or make a top-level item. Shallower indents are left to
/// pulldown-cmark.
fn is_plain_continuation(line: &str, indent: usize) -> bool {
    let text = line.trim_start_matches([' ', '\t']);
    let lead = &line[..line.len() - text.len()];
    // A tab reaches the next multiple of four columns: past any item's text.
    let columns = if lead.contains('\t') { 4 } else { lead.len() };
    if columns < indent {
        return false;
    }
    // A sub-item's marker, then what it holds.
    let inner = text
        .strip_prefix(['-', '*', '+'])
        .and_then(|rest| rest.strip_prefix(' '))
        .map_or(text, |rest| rest.trim_start_matches(' '));
    let rule = text.starts_with(['-', '*', '_', '='])
        && text
            .chars()
            .all(|c| matches!(c, '-' | '*' | '_' | '=' | ' ' | '\t'));
    !rule && !opens_block(inner) && !inner.starts_with(['=', '_'])
}

/// Does an item's text open a block of its own: a heading, quote, list, code, HTML, table?
fn opens_block(text: &str) -> bool {
    // `**bold**`, `-5`, `#tag` open nothing: a marker or `#`s must be followed by a space.
    let marked = |rest: &str| rest.is_empty() || rest.starts_with([' ', '\t']);
    let hashes = text.len() - text.trim_start_matches('#').len();
    text.starts_with(['>', '<', '`', '~', '|', '\t'])
        || (1..=6).contains(&hashes) && marked(&text[hashes..])
        || text.starts_with(['-', '*', '+']) && marked(&text[1..])
        || text.starts_with(|c: char| c.is_ascii_digit())
            && text
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .starts_with(['.', ')'])
}

/// What pulldown-cmark reads as the Log in `body[start..end]`.
fn read_section(
    body: &str,
    first_line: usize,
    start: usize,
    end: usize,
    kinds: &Vocabulary,
) -> Vec<LogEntry> {
    let src = &body[start..end];
    let mut bounds = LogBounds::default();
    let mut list_depth = 0usize;
    let mut entries = Vec::new();
    let mut lines = LineCounter::new(body, first_line);
    for (event, range) in Parser::new_ext(src, MARKDOWN).into_offset_iter() {
        match event {
            // The guard feeds every heading to `bounds`; only the one that closes the Log stops.
            Event::Start(Tag::Heading { level, .. })
                if bounds.heading(level, &src[range.clone()]) == Heading::Closes =>
            {
                break;
            }
            Event::Start(Tag::List(_)) if bounds.inside() => list_depth += 1,
            Event::End(TagEnd::List(_)) if bounds.inside() => {
                list_depth = list_depth.saturating_sub(1);
            }
            Event::Start(Tag::Item) if bounds.inside() && list_depth == 1 => {
                let item = &src[range.clone()];
                let first = item.split('\n').next().unwrap_or_default();
                entries.extend(entry(first, kinds, || lines.line_of(start + range.start)));
            }
            _ => {}
        }
    }
    entries
}

/// Where pulldown-cmark must start so that it sees the Log heading as the document does, or
/// `None` when no line can be a Log heading.
fn parse_start(body: &str) -> Option<usize> {
    let mut offset = 0;
    // A fence, an HTML block or an indented heading before the candidate may change what the
    // candidate line is (code, HTML, a list item's heading), so parse from the top then.
    let mut needs_context = false;
    for line in super::lines_inclusive(body) {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        if indent <= 3 {
            if rest.starts_with('#') && is_log_heading(line) {
                return Some(if needs_context || indent > 0 {
                    0
                } else {
                    offset
                });
            }
            if rest.starts_with("```") || rest.starts_with("~~~") || rest.starts_with('<') {
                needs_context = true;
            }
        }
        offset += line.len();
    }
    None
}

/// Where pulldown-cmark may stop: before the next heading at the margin that closes a Log
/// section starting at `start`, or at the end of `body`. The notes below the Log (often most of
/// a note) then cost nothing. A fence or HTML block inside the section may hide what looks like
/// a heading, so then the parse runs to the end and pulldown-cmark decides.
fn parse_end(body: &str, start: usize) -> usize {
    let mut lines = super::lines_inclusive(&body[start..]);
    // `start` is the top of the body when the heading needs what precedes it: no cut then.
    let Some(heading) = lines.next().filter(|line| is_log_heading(line)) else {
        return body.len();
    };
    let Some(level) = atx_level(heading) else {
        return body.len();
    };
    let mut offset = start + heading.len();
    for line in lines {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        if indent <= 3
            && (rest.starts_with("```") || rest.starts_with("~~~") || rest.starts_with('<'))
        {
            return body.len();
        }
        if indent == 0 && atx_level(line).is_some_and(|l| l <= level) {
            return offset;
        }
        offset += line.len();
    }
    body.len()
}

/// The level of an ATX heading line that starts at the margin (`## Notes` is 2).
fn atx_level(line: &str) -> Option<usize> {
    let hashes = line.len() - line.trim_start_matches('#').len();
    let rest = &line[hashes..];
    ((1..=6).contains(&hashes) && (rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n'])))
        .then_some(hashes)
}

/// Is this ATX heading line (`## Log`, `### Interaction Log:`, `# log ##`) a Log heading?
pub(crate) fn is_log_heading(line: &str) -> bool {
    let line = line.trim_start_matches(' ');
    let hashes = line.len() - line.trim_start_matches('#').len();
    if !(1..=6).contains(&hashes) {
        return false;
    }
    let rest = &line[hashes..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n'])) {
        return false;
    }
    let text = rest.trim();
    // A closing sequence of `#` is not part of the heading text.
    let text = text.trim_end_matches('#').trim_end();
    let text = text.strip_suffix(':').unwrap_or(text).trim_end();
    text.eq_ignore_ascii_case("log") || text.eq_ignore_ascii_case("interaction log")
}

/// The text of a list item's first line after its marker and task box.
pub(crate) fn item_text(line: &str) -> &str {
    let line = line.trim_start();
    let after_marker = if let Some(rest) = line.strip_prefix(['-', '*', '+']) {
        rest
    } else {
        let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        line[digits..]
            .strip_prefix(['.', ')'])
            .filter(|_| digits > 0)
            .unwrap_or(line)
    };
    let text = after_marker.trim_start();
    // `[x]`, `[ ]` and Obsidian's custom statuses (`[-]`, `[>]`); `[[` starts a link instead.
    let mut chars = text.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some('['), Some(c), Some(']')) if c != '[' => chars.as_str().trim_start(),
        _ => text,
    }
    .trim_end_matches('\r')
}

/// A date at the start of `text` (`2025-10-01`, `[[2025-10-01]]`, `**2025-10-01**`, with an
/// optional time) and the text after it and its separator.
pub(crate) fn dated(text: &str) -> Option<(NaiveDate, &str)> {
    let (date, rest) = if let Some(inner) = text.strip_prefix("[[") {
        let end = inner.find("]]")?;
        // `[[2025-10-01|Oct 1]]` and `[[2025-10-01#Notes]]` link to the daily note too.
        let target = inner[..end].split(['|', '#']).next().unwrap_or_default();
        (parse_date(target)?, &inner[end + 2..])
    } else if let Some(inner) = text.strip_prefix("**") {
        let end = inner.find("**")?;
        (parse_date(&inner[..end])?, &inner[end + 2..])
    } else {
        let date = parse_date(text.get(..10)?)?;
        let rest = &text[10..];
        let rest = if rest.starts_with(['T', 't']) {
            rest.trim_start_matches(|c: char| !c.is_whitespace())
        } else {
            rest
        };
        (date, rest)
    };
    let rest = rest.trim_start();
    // A separator, not the start of an ASCII marker (`->`, `<->`): those say the kind.
    let rest = if rest.starts_with("->") {
        rest
    } else {
        ["—", "–", "--", "-", ":"]
            .iter()
            .find_map(|sep| rest.strip_prefix(sep))
            .unwrap_or(rest)
    };
    Some((date, rest.trim()))
}

/// Turns body offsets into note lines, counting each newline once as entries come in order.
struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(body: &'a str, first_line: usize) -> Self {
        LineCounter {
            bytes: body.as_bytes(),
            offset: 0,
            line: first_line,
        }
    }

    fn line_of(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.bytes.len());
        let count = |from: usize, to: usize| newlines(&self.bytes[from..to]);
        if offset < self.offset {
            self.line -= count(offset, self.offset);
        } else {
            self.line += count(self.offset, offset);
        }
        self.offset = offset;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LogKind;
    use pretty_assertions::assert_eq;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
        /// A plain Log read line by line is what pulldown-cmark reads, and whatever the line
        /// reader takes is one: the two are compared on Logs made of lines from both worlds.
        #[test]
        fn a_plain_log_is_read_as_pulldown_cmark_reads_it(
            lines in proptest::collection::vec(
                proptest::sample::select(vec![
                    "- 2026-01-02 coffee with Ada", "- 2026-01-03 replied — yes", "* 2026-01-04 met",
                    "+ [x] 2026-01-05 called", "- [[2026-01-06]] wrote", "- **2026-01-07** mailed",
                    "- not dated", "", "   ", "\t", "- 2026-01-08 a\r", "- - 2026-01-09 nested",
                    "- - -", "- --", "* * *", "---", "-", "-\t2026-01-10 tab", "1. 2026-01-11 one",
                    "- # 2026-01-12 heading", "- > 2026-01-13 quote", "  - 2026-01-14 indented",
                    "- ```", "```", "- <div>", "<!-- c -->", "- | a | b |", "text after",
                    "### 2026", "## Notes", "# Other", "- 2026-01-15 \u{301}é", "-     2026-01-16 code",
                    "- 2026-01-17 a\rb", "- ~~~", "- 2) 2026-01-18 x", "- 2026-01-19 [[Grace]]",
                    "- 2026-01-20 `code` and *em*", "- 2026-01-21 ends with two spaces  ",
                    "  a note under it", "  - a sub-item", "    - deeper", "  - [ ] a task",
                    "   - three in", " - one in", "\t- tab in", "  # heading under", "  ---",
                    "  ===", "  ***", "  - # heading in a sub-item", "  > quote", "  ```",
                    "    code", "      deep code", "  - - -", "  1. numbered", "  | a |",
                    "  <b>", "  text ---", "  __", "  * * *", "  - 2026-01-22 dated sub-item",
                    "-  2026-01-23 two spaces", "   text three in", "  ~~~",
                    "- **2026-01-24** bold date", "- #tag 2026", "- -5 degrees", "  - #tag",
                    "  **bold**", "- *2026-01-25* em", "  #tag", "- ###### six", "  ####### seven",
                    "- #", "  - *", "- +1 to that", "  +", "  - -", "\t# tab heading",
                    "\t---", " \t- space tab", "\t\tdeep", "\t- 2026-01-26 tab dated", "\t",
                ]),
                0..12,
            ),
            heading in proptest::sample::select(vec!["## Log", "# Log", "### Interaction Log:", "## Log ##"]),
            before in proptest::sample::select(vec!["", "# Ada\n\n", "# Ada\n\n## Notes\n\nx\n\n"]),
            crlf in proptest::bool::ANY,
        ) {
            let mut body = format!("{before}{heading}\n{}\n", lines.join("\n"));
            if crlf {
                body = body.replace('\n', "\r\n");
            }
            let Some(start) = parse_start(&body) else {
                return Ok(());
            };
            let end = parse_end(&body, start);
            let slow = read_section(&body, 3, start, end, kinds());
            if let Some(fast) = read_plain_section(&body, 3, start, end, kinds()) {
                proptest::prop_assert_eq!(fast, slow.clone(), "{:?}", body);
            }
            proptest::prop_assert_eq!(read_log(&body, 3, kinds()), slow);
        }
    }

    #[test]
    fn a_plain_log_is_read_line_by_line_and_any_other_by_pulldown_cmark() {
        let plain = "## Log\n- 2026-01-02 coffee\n\n* 2026-01-03 replied — yes\n";
        assert!(read_plain_section(plain, 1, 0, plain.len(), kinds()).is_some());
        let nested = "## Log\n- 2026-01-02 coffee\n  - at the river\n  more of it\n";
        assert!(read_plain_section(nested, 1, 0, nested.len(), kinds()).is_some());
        for other in [
            "## Log\n- 2026-01-02 coffee\n more of it, one space in\n",
            "## Log\n- 2026-01-02 coffee\n  # a heading under it\n",
            "## Log\n- # 2026-01-02 a heading in an item\n",
            "## Log\n- - -\n",
            "## Log\n### 2026\n- 2026-01-02 coffee\n",
        ] {
            assert!(
                read_plain_section(other, 1, 0, other.len(), kinds()).is_none(),
                "{other:?}"
            );
        }
    }

    fn kinds() -> &'static Vocabulary {
        &crate::note::read::default_reading().kinds
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn entries(body: &str) -> Vec<(String, LogKind, String, usize)> {
        read_log(body, 1, kinds())
            .into_iter()
            .map(|e| (e.date.to_string(), e.kind, e.text.into(), e.line))
            .collect()
    }

    fn entry(d: &str, kind: LogKind, text: &str, line: usize) -> (String, LogKind, String, usize) {
        (d.to_owned(), kind, text.to_owned(), line)
    }

    #[test]
    fn every_date_style_is_read() {
        let body = "## Log\n\
            - 2025-10-01 — em dash\n\
            - 2025-10-02 – en dash\n\
            - 2025-10-03: colon\n\
            - 2025-10-04 - hyphen\n\
            - [[2025-10-05]] daily link\n\
            - **2025-10-06** bold\n\
            - 2025-10-07T10:00 with a time\n\
            - [x] 2025-10-08 a done task\n\
            * 2025-10-09:no space\n\
            - [[2025-10-10|Oct 10]] — aliased link\n";
        let got = entries(body);
        let texts: Vec<&str> = got.iter().map(|e| e.2.as_str()).collect();
        assert_eq!(
            texts,
            [
                "em dash",
                "en dash",
                "colon",
                "hyphen",
                "daily link",
                "bold",
                "with a time",
                "a done task",
                "no space",
                "aliased link"
            ]
        );
        assert_eq!(got[0].0, "2025-10-01");
        assert_eq!(got[6].0, "2025-10-07");
        assert_eq!(got[9].0, "2025-10-10");
        assert_eq!(
            got.iter().map(|e| e.3).collect::<Vec<_>>(),
            (2..=11).collect::<Vec<_>>()
        );
    }

    #[test]
    fn ordered_lists_work_too() {
        let got = entries("# Log\n1. 2025-01-02 first\n2) 2025-01-03 second\n");
        // `2)` starts a second list, still top level in the section.
        assert_eq!(
            got,
            [
                entry("2025-01-02", LogKind::Outreach, "first", 2),
                entry("2025-01-03", LogKind::Outreach, "second", 3)
            ]
        );
    }

    #[test]
    fn replies_are_told_apart() {
        let got = read_log(
            "## Log\n- 2026-11-20 reached out — sent the summary\n- 2026-11-22 Replied: thanks!\n",
            5,
            kinds(),
        );
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].kind, got[0].line), (LogKind::Outreach, 6));
        assert_eq!((got[1].kind, got[1].line), (LogKind::Reply, 7));
        assert_eq!(&*got[1].text, "Replied: thanks!");
    }

    #[test]
    fn sub_bullets_belong_to_their_parent() {
        let body = "## Log\n- 2025-03-01 coffee\n  - 2025-03-02 a detail, not an entry\n  more text\n- undated item\n- 2025-02-01 lunch\n";
        assert_eq!(
            entries(body),
            [
                entry("2025-03-01", LogKind::Together, "coffee", 2),
                entry("2025-02-01", LogKind::Together, "lunch", 6)
            ]
        );
    }

    #[test]
    fn newest_first_and_oldest_first_logs_keep_note_order() {
        let newest = read_log("## Log\n- 2026-02-01 b\n- 2026-01-01 a\n", 1, kinds());
        let oldest = read_log("## Log\n- 2026-01-01 a\n- 2026-02-01 b\n", 1, kinds());
        assert_eq!(newest[0].date, date("2026-02-01"));
        assert_eq!(oldest[0].date, date("2026-01-01"));
        assert_eq!(newest.len(), 2);
        assert_eq!(oldest.len(), 2);
    }

    #[test]
    fn a_log_heading_in_a_code_block_is_not_a_heading() {
        let body = "```md\n## Log\n- 2025-01-01 example\n```\n- 2025-01-02 outside\n";
        assert_eq!(entries(body), []);
        let body = "~~~\n# Log\n~~~\n\n## Log\n- 2025-01-03 real\n";
        assert_eq!(
            entries(body),
            [entry("2025-01-03", LogKind::Outreach, "real", 6)]
        );
    }

    #[test]
    fn other_heading_levels_and_names_work() {
        let body = "# Bob\n### Interaction Log:\n- 2025-05-05 call\n";
        assert_eq!(
            entries(body),
            [entry("2025-05-05", LogKind::Together, "call", 3)]
        );
        assert_eq!(entries("#### log ##\n- 2025-05-05 x\n").len(), 1);
        assert_eq!(entries("## Logbook\n- 2025-05-05 x\n"), []);
        assert_eq!(entries("##Log\n- 2025-05-05 x\n"), []);
    }

    #[test]
    fn the_section_ends_at_the_next_heading_of_its_level() {
        let body = "## Log\n- 2025-01-01 a\n### Older\n- 2024-01-01 b\n## Notes\n- 2023-01-01 c\n";
        let got = entries(body);
        assert_eq!(
            got.iter().map(|e| e.2.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        let body = "### Log\n- 2025-01-01 a\n# Next\n- 2024-01-01 b\n";
        assert_eq!(entries(body).len(), 1);
    }

    #[test]
    fn reading_only_the_section_reads_what_the_whole_body_says() {
        let bodies = [
            "# Ada\n\n## Log\n- 2025-01-02 — one\n\n## Notes\n- 2025-03-04 not a log entry\n",
            "## Log\n- 2025-01-02 one\n### Calls\n- 2025-01-03 two\n## Next\n- 2025-01-04 no\n",
            "## Log\n- 2025-01-02 one\n```\n## Notes\n```\n- 2025-01-03 two\n",
            "## Log\n- 2025-01-02 one\n<!--\n# Hidden\n-->\n- 2025-01-03 two\n# End\n- 2025-01-05 x\n",
            "## Log\n- 2025-01-02 one\n  ## Inside the item\n- 2025-01-03 two\n# End\n",
            "## Log\r\n- 2025-01-02 one\r\n#### Deeper\r\n- 2025-01-03 two\r\n## Notes\r\n- 2025-01-04\r\n",
            "### Log\n- 2025-01-02 one\n#hashtag line\n- 2025-01-03 two\n### Next\n",
            "```\n## Log\n```\n## Log\n- 2025-01-02 one\n## After\n",
            "> quote\n## Log\n- 2025-01-02 one\n> - 2025-01-03 quoted\n## After\n",
        ];
        for body in bodies {
            let whole = read_section(body, 4, 0, body.len(), kinds());
            assert_eq!(read_log(body, 4, kinds()), whole, "{body:?}");
            assert!(!whole.is_empty(), "{body:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_mix_of_lines_reads_as_the_whole_body_does(
            picks in proptest::collection::vec(0..LINES.len(), 0..24)
        ) {
            let body: String = picks.iter().map(|&i| LINES[i]).collect();
            proptest::prop_assert_eq!(read_log(&body, 1, kinds()), read_section(&body, 1, 0, body.len(), kinds()));
        }
    }

    /// Lines that start, end or hide a Log section, or are read as its entries.
    const LINES: [&str; 18] = [
        "## Log\n",
        "# Log\n",
        "### Interaction Log:\n",
        "## Notes\n",
        "# Top\n",
        "#### Deep\n",
        "  ## Indented\n",
        "- 2025-01-02 — sent\n",
        "- 2025-02-03 replied: yes\n",
        "  - 2025-03-04 sub\n",
        "1. 2025-04-05 numbered\n",
        "```\n",
        "~~~\n",
        "<div>\n",
        "<!-- note -->\n",
        "\n",
        "> quoted\n",
        "plain text\r\n",
    ];

    /// An ASCII arrow after the date is a marker, not a separator to drop.
    #[test]
    fn ascii_markers_after_the_date_are_kept() {
        let body = "## Log\n- 2026-03-02 -> replied to her post\n- 2026-03-03 <- thanks!\n- 2026-03-04 - <-> lunch\n";
        let got: Vec<(LogKind, String)> = read_log(body, 1, kinds())
            .into_iter()
            .map(|e| (e.kind, e.text.into()))
            .collect();
        assert_eq!(
            got,
            [
                (LogKind::Outreach, "replied to her post".to_owned()),
                (LogKind::Reply, "thanks!".to_owned()),
                (LogKind::Together, "lunch".to_owned()),
            ]
        );
    }

    #[test]
    fn crlf_bodies_read_the_same() {
        let body = "Intro\r\n\r\n## Log\r\n- 2025-10-01 — coffee\r\n- 2025-10-02 replied\r\n";
        assert_eq!(
            entries(body),
            [
                entry("2025-10-01", LogKind::Together, "coffee", 4),
                entry("2025-10-02", LogKind::Reply, "replied", 5)
            ]
        );
    }

    #[test]
    fn bodies_without_a_log_give_nothing() {
        assert_eq!(entries(""), []);
        assert_eq!(entries("- 2025-01-01 not in a log\n"), []);
        assert_eq!(entries("## Log\nno list here\n"), []);
    }

    #[test]
    fn a_log_after_an_html_block_is_still_found() {
        let body = "<div>\nhi\n</div>\n\n## Log\n- 2025-01-01 a\n";
        assert_eq!(entries(body).len(), 1);
    }
}
