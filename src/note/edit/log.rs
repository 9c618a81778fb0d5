//! Adding one Log line where Markdown reads it as the newest item of the Log section.

use std::ops::Range;

use chrono::NaiveDate;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::{EditError, first_newline, splice_str};
use crate::model::date::parse_date;
use crate::note::frontmatter::{FrontMatter, line_of, split};
use crate::note::log::{self, read_log};

/// Replaces the dated Log item on note line `line` (1-based), which must read exactly
/// `- {from}`, by `- {to}`: the note an outreach was recorded without, added when the user
/// writes it. The rest of the note is untouched, and the result is re-read and refused
/// unless that line is still a Log item.
pub fn amend_log(text: &str, line: usize, from: &str, to: &str) -> Result<String, EditError> {
    let refused = || EditError::LogUnverified {
        entry: to.to_owned(),
    };
    if to.contains(['\n', '\r']) {
        return Err(EditError::BadEntry {
            entry: to.to_owned(),
        });
    }
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = text.get(start..).ok_or_else(refused)?;
    let end = start + rest.find('\n').map_or(rest.len(), |i| i);
    let old = text[start..end].trim_end_matches('\r');
    let marker = old.len() - old.trim_start_matches(['-', '*', '+']).len();
    if marker != 1 || old[1..].trim_start() != from || line == 0 {
        return Err(refused());
    }
    let mut edited = String::with_capacity(text.len() + to.len());
    edited.push_str(&text[..start]);
    edited.push_str(&old[..old.len() - from.len()]);
    edited.push_str(to);
    edited.push_str(&text[start + old.len()..]);
    let kinds = &crate::note::read::default_reading().kinds;
    let still = crate::note::log_entries(&edited, kinds)
        .iter()
        .any(|e| e.line == line);
    if still { Ok(edited) } else { Err(refused()) }
}

/// Adds `- {entry}` to the note's Log section (`Log` or `Interaction Log`, any heading level),
/// touching no other byte.
///
/// - The entry goes after the section's last top-level item (its sub-bullets and continuation
///   lines included), before blank lines and the next heading, with that item's bullet (`-`,
///   `*`, `+`, or the next number), indentation and the note's newline. A loose list (blank lines
///   between items) gets a blank line before the entry too.
/// - A newest-first Log (its first dated item is later than its last) gets the entry at the top.
/// - A section without items gets the entry after its heading (or after its text), separated by
///   a blank line when most of the note's other headings are followed by one (or there are none).
/// - A note without a Log section gets `## Log`, a blank line and the entry at its end, after a
///   blank line unless the note already ends with one.
///
/// The result is re-read with pulldown-cmark and refused unless the entry is a top-level item of
/// the same Log section.
pub fn append_log(text: &str, entry: &str) -> Result<String, EditError> {
    if entry.contains(['\n', '\r']) {
        return Err(EditError::BadEntry {
            entry: entry.to_owned(),
        });
    }
    let parts = split(text);
    let base = parts.body.start;
    let body = &text[parts.body.clone()];
    let nl = first_newline(text).as_str();
    let old_log = find_log(body);
    // `insert` goes at body offset `at`; the new item's marker starts `marker_at` bytes into it.
    let refused = || EditError::LogUnverified {
        entry: entry.to_owned(),
    };
    let (at, insert, marker_at) = match &old_log {
        Some(log) => plan_in_section(body, log, entry, nl).ok_or_else(refused)?,
        None => plan_new_section(body, entry, nl),
    };
    // A closing `---` that ends the file needs a newline before anything can follow it; that
    // newline becomes part of the front-matter block, so the body starts after it.
    let lead = if body.is_empty() && parts.front.is_some() && !text.ends_with('\n') {
        nl
    } else {
        ""
    };
    let edited = splice_str(text, base + at..base + at, &format!("{lead}{insert}"));
    let new_parts = split(&edited);
    let yaml = |front: &Option<FrontMatter>| front.as_ref().map(|f| f.yaml.clone());
    if new_parts.body.start != base + lead.len() || yaml(&new_parts.front) != yaml(&parts.front) {
        return Err(refused());
    }
    let new_body = &edited[new_parts.body.clone()];
    let new_log = find_log(new_body).ok_or_else(refused)?;
    let item_start = at + marker_at;
    let same_heading = match &old_log {
        Some(log) if log.heading.start < at => new_log.heading.start == log.heading.start,
        Some(log) => new_log.heading.start == log.heading.start + insert.len(),
        None => new_log.heading.start >= at,
    };
    let old_items = old_log.as_ref().map_or(0, |log| log.items.len());
    let is_ours = |item: &LogItem| {
        item.range.start == item_start
            && new_body[item.range.clone()]
                .lines()
                .next()
                .is_some_and(|first| first.trim_end_matches('\r').ends_with(entry))
    };
    if !same_heading || new_log.items.len() != old_items + 1 || !new_log.items.iter().any(is_ours) {
        return Err(refused());
    }
    // A dated entry must also be what the reader of the Log (vault::log) sees.
    if entry.get(..10).and_then(parse_date).is_some() {
        let first_line = new_parts.body_first_line();
        let line = line_of(new_body, item_start) + first_line - 1;
        if !read_log(
            new_body,
            first_line,
            &crate::note::read::default_reading().kinds,
        )
        .iter()
        .any(|e| e.line == line)
        {
            return Err(refused());
        }
    }
    Ok(edited)
}

/// [`append_log`] of every one of `entries`, in order, at the cost of about one: the first
/// is placed by `append_log`, the rest beside it in its very style (marker, indentation,
/// blank lines, newline; above it in a newest-first Log). The result is re-read and must
/// hold exactly the old entries and these; anything else (a numbered list, a check that
/// fails) falls back to one `append_log` each. A mail import adds hundreds of days at once.
pub fn append_log_lines(text: &str, entries: &[String]) -> Result<String, EditError> {
    let Some((first, rest)) = entries.split_first() else {
        return Ok(text.to_owned());
    };
    let once = append_log(text, first)?;
    if rest.is_empty() {
        return Ok(once);
    }
    let one_by_one = || {
        rest.iter()
            .try_fold(once.clone(), |edited, entry| append_log(&edited, entry))
    };
    if rest.iter().any(|e| e.contains(['\n', '\r'])) {
        return one_by_one();
    }
    // The chunk `append_log` inserted: where the two texts stop agreeing.
    let at = text
        .bytes()
        .zip(once.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let at = once[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = at + (once.len() - text.len());
    let chunk = &once[at..end];
    let Some(pos) = chunk.find(first.as_str()) else {
        return one_by_one();
    };
    let line_start = chunk[..pos].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &chunk[line_start..pos];
    let after = &chunk[pos + first.len()..];
    let nl = if after.starts_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    // A numbered list counts on, a loose one (blank lines between items) spaces them: both
    // are rare in a Log, and done one by one.
    let loose = !chunk[..line_start].is_empty() || once[..at].ends_with(&format!("{nl}{nl}"));
    if prefix.chars().any(|c| c.is_ascii_digit()) || !after.starts_with(nl) || loose {
        return one_by_one();
    }
    let line_of = |e: &String| [prefix, e.as_str(), nl].concat();
    let lines: String = rest.iter().map(line_of).collect();
    // Newest first: the later days go above the first one; else below it.
    let top = {
        let below = &once[end..];
        let next_item = below.lines().find(|l| !l.trim().is_empty());
        next_item.is_some_and(|l| l.trim_start().starts_with(prefix.trim_start()))
    };
    let edited = if top {
        let mut reversed: Vec<&String> = rest.iter().collect();
        reversed.reverse();
        let lines: String = reversed.iter().map(|e| line_of(e)).collect();
        splice_str(&once, at + line_start..at + line_start, &lines)
    } else {
        let insert_at = at + pos + first.len() + nl.len();
        splice_str(&once, insert_at..insert_at, &lines)
    };
    // The check: the Log reads as the old entries and exactly these.
    let kinds = &crate::note::read::default_reading().kinds;
    let before = crate::note::log_entries(text, kinds);
    let after = crate::note::log_entries(&edited, kinds);
    let texts = |entries: &[crate::model::LogEntry]| {
        let mut t: Vec<String> = entries
            .iter()
            .map(|e| format!("{} {}", crate::model::date::format_date(e.date), e.text))
            .collect();
        t.sort();
        t
    };
    let mut expected = texts(&before);
    expected.extend(
        entries
            .iter()
            .map(|e| e.split_whitespace().collect::<Vec<_>>().join(" ")),
    );
    expected.sort();
    if after.len() == before.len() + entries.len() && texts(&after) == expected {
        Ok(edited)
    } else {
        one_by_one()
    }
}

/// The first Log section of a body, as pulldown-cmark sees it.
struct LogSection {
    /// The heading, its line ending included.
    heading: Range<usize>,
    /// Where the next heading of the same or a higher level starts (or the end of the body).
    end: usize,
    /// Top-level list items in the section, in order.
    items: Vec<LogItem>,
    /// Some top-level item holds a paragraph: the list is loose (blank lines between items).
    loose: bool,
    /// Other headings of the note followed by a blank line, and followed directly by text.
    others_spaced: usize,
    others_tight: usize,
}

struct LogItem {
    range: Range<usize>,
    date: Option<NaiveDate>,
}

fn find_log(body: &str) -> Option<LogSection> {
    let mut log: Option<LogSection> = None;
    let mut bounds = log::LogBounds::default();
    let mut depth = 0usize;
    let mut in_item = false;
    let (mut spaced, mut tight) = (0, 0);
    for (event, range) in Parser::new_ext(body, log::MARKDOWN).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                match bounds.heading(level, &body[range.clone()]) {
                    log::Heading::Opens => {
                        log = Some(LogSection {
                            heading: range.clone(),
                            end: body.len(),
                            items: Vec::new(),
                            loose: false,
                            others_spaced: 0,
                            others_tight: 0,
                        });
                        continue;
                    }
                    log::Heading::Closes => {
                        if let Some(section) = &mut log {
                            section.end = range.start;
                        }
                    }
                    log::Heading::Other => {}
                }
                match blank_after(body, range.end) {
                    Some(true) => spaced += 1,
                    Some(false) => tight += 1,
                    None => {}
                }
            }
            Event::Start(Tag::List(_)) if bounds.inside() => depth += 1,
            Event::End(TagEnd::List(_)) if bounds.inside() => {
                depth = depth.saturating_sub(1);
            }
            Event::Start(Tag::Item) if depth == 1 && bounds.inside() => {
                if let Some(section) = &mut log {
                    in_item = true;
                    section.items.push(LogItem {
                        date: item_date(&body[range.clone()]),
                        range,
                    });
                }
            }
            Event::End(TagEnd::Item) if depth == 1 => in_item = false,
            Event::Start(Tag::Paragraph) if in_item && depth == 1 && bounds.inside() => {
                if let Some(section) = &mut log {
                    section.loose = true;
                }
            }
            _ => {}
        }
    }
    log.map(|mut section| {
        section.others_spaced = spaced;
        section.others_tight = tight;
        section
    })
}

/// Is the line after a heading (which ends at `end`) blank? `None` when nothing follows.
fn blank_after(body: &str, end: usize) -> Option<bool> {
    let rest = body.get(end..)?;
    let next = rest.split('\n').next()?;
    if rest.is_empty() {
        return None;
    }
    Some(next.trim().is_empty())
}

/// Where the entry goes in an existing Log section: (body offset, text to insert, offset of the
/// new item's marker in that text).
fn plan_in_section(
    body: &str,
    log: &LogSection,
    entry: &str,
    nl: &str,
) -> Option<(usize, String, usize)> {
    let (first, last) = (log.items.first(), log.items.last());
    let (Some(first), Some(last)) = (first, last) else {
        // No items yet: after the heading, or after the section's text with a blank line.
        let content_end = body[log.heading.start..log.end]
            .trim_end_matches([' ', '\t', '\r', '\n'])
            .len()
            + log.heading.start;
        let heading_only = content_end <= log.heading.end;
        let (at, needs_nl) = line_end_at(body, content_end);
        let blank = !heading_only || log.others_spaced >= log.others_tight;
        let mut insert = String::new();
        if needs_nl {
            insert.push_str(nl);
        }
        if blank {
            insert.push_str(nl);
        }
        let marker_at = insert.len();
        insert.extend(["- ", entry, nl]);
        return Some((at, insert, marker_at));
    };
    let mut dates = log.items.iter().filter_map(|i| i.date);
    let newest_first = match (dates.next(), dates.next_back()) {
        (Some(a), Some(b)) => a > b,
        _ => false,
    };
    if newest_first {
        let at = body[..first.range.start].rfind('\n').map_or(0, |i| i + 1);
        let (prefix, marker) = item_marker(body, first.range.start, false)?;
        let mut insert = format!("{prefix}{marker}{entry}{nl}");
        if log.loose {
            insert.push_str(prefix.trim_end());
            insert.push_str(nl);
        }
        return Some((at, insert, prefix.len()));
    }
    let content_end = last.range.start
        + body[last.range.clone()]
            .trim_end_matches([' ', '\t', '\r', '\n'])
            .len();
    let (at, needs_nl) = line_end_at(body, content_end);
    let (prefix, marker) = item_marker(body, last.range.start, true)?;
    let mut insert = String::new();
    if needs_nl {
        insert.push_str(nl);
    }
    if log.loose {
        insert.push_str(prefix.trim_end());
        insert.push_str(nl);
    }
    let marker_at = insert.len() + prefix.len();
    insert.extend([prefix, &marker, entry, nl]);
    Some((at, insert, marker_at))
}

/// The offset just past the line containing `offset`, and whether that line lacks a newline
/// (the end of the text), which the insertion must then supply first.
fn line_end_at(body: &str, offset: usize) -> (usize, bool) {
    match body[offset..].find('\n') {
        Some(i) => (offset + i + 1, false),
        None => (body.len(), true),
    }
}

/// What precedes the item's marker on its line (indentation, `> `) and its marker with the blank
/// after it (`- `, `* `, `3. `). `next` numbers an ordered item one higher. `None` when no
/// marker stands where the item starts.
fn item_marker(body: &str, item_start: usize, next: bool) -> Option<(&str, String)> {
    let line_start = body[..item_start].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &body[line_start..item_start];
    let line = body[item_start..].split('\n').next().unwrap_or_default();
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let (marker, rest) = if digits > 0 {
        let number: u64 = line[..digits].parse().unwrap_or(1);
        let delimiter = line
            .get(digits..=digits)
            .filter(|d| matches!(*d, "." | ")"))?;
        let number = if next {
            number.saturating_add(1)
        } else {
            number
        };
        (format!("{number}{delimiter}"), &line[digits + 1..])
    } else {
        // pulldown-cmark places an item that a tab indents (`\t- x` inside another item) at
        // a column within the tab: no marker where the offset points, so no safe edit.
        let bullet = line.get(..1).filter(|b| matches!(*b, "-" | "*" | "+"))?;
        (bullet.to_owned(), &line[1..])
    };
    // Keep the item's own spacing after the marker unless it is odd (tabs, or so wide that
    // the content would be indented code).
    let spacing = rest.len() - rest.trim_start_matches(' ').len();
    let spacing = if (1..=4).contains(&spacing) {
        spacing
    } else {
        1
    };
    Some((prefix, format!("{marker}{}", " ".repeat(spacing))))
}

/// The text to append for a note without a Log section: (body offset, text, marker offset).
fn plan_new_section(body: &str, entry: &str, nl: &str) -> (usize, String, usize) {
    let mut insert = String::new();
    if !body.is_empty() && !body.ends_with('\n') {
        insert.push_str(nl);
    }
    if !body.trim().is_empty() && !ends_with_blank_line(body) {
        insert.push_str(nl);
    }
    insert.extend(["## Log", nl, nl]);
    let marker_at = insert.len();
    insert.extend(["- ", entry, nl]);
    (body.len(), insert, marker_at)
}

/// Does the text end with a blank line (a whitespace-only line followed by a newline)?
fn ends_with_blank_line(text: &str) -> bool {
    let Some(without_last) = text.strip_suffix('\n') else {
        return false;
    };
    let last_line = without_last.rsplit('\n').next().unwrap_or_default();
    last_line.trim().is_empty() && without_last.contains('\n')
}

/// The date an item starts with, after its marker and task box (as `vault::log` reads it),
/// used only to tell newest-first Logs apart.
fn item_date(item: &str) -> Option<NaiveDate> {
    let line = item.split('\n').next()?;
    log::dated(log::item_text(line)).map(|(date, _)| date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_lines_at_once_are_what_one_at_a_time_gives() {
        let entries: Vec<String> = [
            "2026-01-05 reached out — the maps (mail)",
            "2026-01-09 replied — by email",
            "2026-02-01 reached out — by email",
        ]
        .map(str::to_owned)
        .to_vec();
        for note in [
            "---\nmet-date: 2024-01-01\n---\n# A\n\n## Log\n- 2025-01-01 met\n",
            "---\nmet-date: 2024-01-01\n---\n# A\n\n## Log\n- 2025-06-01 met\n- 2025-01-01 called\n",
            "---\nmet-date: 2024-01-01\n---\n# A\n\n## Log\n\n## Notes\nx\n",
            "---\nmet-date: 2024-01-01\n---\n# A\nno log yet\n",
            "---\r\nmet-date: 2024-01-01\r\n---\r\n## Log\r\n* 2025-01-01 met\r\n\r\n## Notes\r\n",
            "---\nmet-date: 2024-01-01\n---\n## Log\n\n- 2025-01-01 met\n\n- 2025-02-01 met\n",
            "---\nmet-date: 2024-01-01\n---\n## Log\n1. 2025-01-01 met\n",
            "---\nmet-date: 2024-01-01\n---\n## Log\n  - 2025-01-01 met\n",
        ] {
            let one_by_one = entries
                .iter()
                .try_fold(note.to_owned(), |t, e| append_log(&t, e));
            match one_by_one {
                Ok(expected) => {
                    assert_eq!(
                        append_log_lines(note, &entries).unwrap(),
                        expected,
                        "{note:?}"
                    );
                }
                // What one refuses, all at once refuses too.
                Err(_) => assert!(append_log_lines(note, &entries).is_err(), "{note:?}"),
            }
        }
    }
    use pretty_assertions::assert_eq;
    fn log(note: &str, entry: &str) -> String {
        append_log(note, entry).unwrap()
    }

    #[test]
    fn an_entry_goes_after_the_last_item() {
        let note = "---\na: 1\n---\n# Ada\n\n## Log\n\n- 2025-01-01 coffee\n- 2025-02-01 call\n";
        assert_eq!(
            log(note, "2026-03-02 reached out"),
            format!("{note}- 2026-03-02 reached out\n")
        );
    }

    #[test]
    fn the_bullet_style_and_newlines_are_kept() {
        let note = "## Log\r\n* 2025-01-01 a\r\n* 2025-02-01 b\r\n";
        assert_eq!(
            log(note, "2026-03-02 c"),
            "## Log\r\n* 2025-01-01 a\r\n* 2025-02-01 b\r\n* 2026-03-02 c\r\n"
        );
        let note = "## Log\n1. 2025-01-01 a\n2. 2025-02-01 b\n";
        assert_eq!(
            log(note, "2026-03-02 c"),
            format!("{note}3. 2026-03-02 c\n")
        );
        let note = "## Log\n+   2025-01-01 a\n";
        assert_eq!(
            log(note, "2026-03-02 c"),
            format!("{note}+   2026-03-02 c\n")
        );
    }

    #[test]
    fn a_newest_first_log_gets_the_entry_on_top() {
        let note = "## Log\n- 2025-02-01 b\n- 2025-01-01 a\n\n## Notes\n";
        assert_eq!(
            log(note, "2026-03-02 c"),
            "## Log\n- 2026-03-02 c\n- 2025-02-01 b\n- 2025-01-01 a\n\n## Notes\n"
        );
    }

    #[test]
    fn the_entry_stays_before_blank_lines_and_the_next_section() {
        let note = "## Log\n- 2025-01-01 a\n\n\n## Notes\n- not a log item\n";
        assert_eq!(
            log(note, "2026-03-02 c"),
            "## Log\n- 2025-01-01 a\n- 2026-03-02 c\n\n\n## Notes\n- not a log item\n"
        );
    }

    #[test]
    fn sub_bullets_and_continuation_lines_stay_with_their_item() {
        let note = "## Log\n- 2025-01-01 a\n  - detail\n    more detail\n  lazy text\n\nafter\n";
        assert_eq!(
            log(note, "2026-03-02 c"),
            "## Log\n- 2025-01-01 a\n  - detail\n    more detail\n  lazy text\n- 2026-03-02 c\n\nafter\n"
        );
    }

    #[test]
    fn an_interaction_log_at_any_level_is_found() {
        let note = "# Bob\n### Interaction Log\n- 2025-05-05 call\n# Next\n";
        assert_eq!(
            log(note, "2026-03-02 c"),
            "# Bob\n### Interaction Log\n- 2025-05-05 call\n- 2026-03-02 c\n# Next\n"
        );
    }

    #[test]
    fn a_loose_list_stays_loose() {
        let note = "## Log\n\n- 2025-01-01 a\n\n- 2025-02-01 b\n";
        assert_eq!(
            log(note, "2026-03-02 c"),
            format!("{note}\n- 2026-03-02 c\n")
        );
    }

    #[test]
    fn an_empty_log_gets_its_first_item() {
        // Other headings are followed by a blank line, so this one is too.
        let note = "# Ada\n\ntext\n\n## Log\n\n## Notes\n";
        assert_eq!(
            log(note, "2026-03-02 c"),
            "# Ada\n\ntext\n\n## Log\n\n- 2026-03-02 c\n\n## Notes\n"
        );
        let note = "# Ada\ntext\n## Log\n## Notes\n";
        assert_eq!(
            log(note, "2026-03-02 c"),
            "# Ada\ntext\n## Log\n- 2026-03-02 c\n## Notes\n"
        );
        assert_eq!(log("## Log", "2026-03-02 c"), "## Log\n\n- 2026-03-02 c\n");
        let note = "## Log\nno list here\n";
        assert_eq!(
            log(note, "2026-03-02 c"),
            format!("{note}\n- 2026-03-02 c\n")
        );
    }

    #[test]
    fn a_note_without_a_log_gets_one_at_the_end() {
        assert_eq!(
            log("---\na: 1\n---\n# Ada\n", "2026-03-02 c"),
            "---\na: 1\n---\n# Ada\n\n## Log\n\n- 2026-03-02 c\n"
        );
        assert_eq!(
            log("# Ada\r\ntext", "2026-03-02 c"),
            "# Ada\r\ntext\r\n\r\n## Log\r\n\r\n- 2026-03-02 c\r\n"
        );
        assert_eq!(
            log("# Ada\n\n", "2026-03-02 c"),
            "# Ada\n\n## Log\n\n- 2026-03-02 c\n"
        );
        assert_eq!(log("", "2026-03-02 c"), "## Log\n\n- 2026-03-02 c\n");
        assert_eq!(
            log("---\na: 1\n---\n", "2026-03-02 c"),
            "---\na: 1\n---\n## Log\n\n- 2026-03-02 c\n"
        );
        assert_eq!(
            log("---\r\na: 1\r\n---", "2026-03-02 c"),
            "---\r\na: 1\r\n---\r\n## Log\r\n\r\n- 2026-03-02 c\r\n"
        );
        // A `## Log` in a code block is not a Log.
        let note = "```\n## Log\n```\n";
        assert_eq!(log(note, "x"), format!("{note}\n## Log\n\n- x\n"));
    }

    #[test]
    fn a_note_ending_inside_a_code_block_is_refused() {
        assert_eq!(
            append_log("# Ada\n```\ncode\n", "2026-03-02 c"),
            Err(EditError::LogUnverified {
                entry: "2026-03-02 c".to_owned()
            })
        );
        assert!(matches!(
            append_log("## Log\n", "a\nb"),
            Err(EditError::BadEntry { .. })
        ));
    }

    #[test]
    fn a_log_ending_the_file_without_newline_gets_one() {
        assert_eq!(
            log("## Log\n- 2025-01-01 a", "2026-03-02 c"),
            "## Log\n- 2025-01-01 a\n- 2026-03-02 c\n"
        );
    }
}
