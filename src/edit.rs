//! Lossless edits to a note's text: set one front-matter key, add one Log line.
//!
//! The vault is the user's database, so nothing is ever re-serialised (STYLE.md §7): each edit
//! splices a few bytes into the original text, then reads the result back and refuses unless
//! exactly the intended change happened. Both functions are pure; writing is `write.rs`'s job.

use std::ops::Range;

use chrono::NaiveDate;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use yaml_serde::{Mapping, Value};

use crate::dates::parse_date;
use crate::vault::frontmatter::{FrontMatter, Newline, line_of, split};
use crate::vault::log::{self, read_log};

/// Why a note was left as it was. Each message names the key and the note line where it can,
/// and says what the user can do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error(
        "the front-matter opened on line 1 is never closed by a `---` line; close it so that \
         Obsidian and vault-reach read the properties the same way"
    )]
    Unclosed,
    #[error("the front-matter is not valid YAML{}: {message}; fix it before vault-reach edits this note", at_line(*.line))]
    Yaml {
        line: Option<usize>,
        message: String,
    },
    #[error(
        "`{key}` appears twice, on lines {first} and {second}; delete one so vault-reach knows \
         which to update"
    )]
    DuplicateKey {
        key: String,
        first: usize,
        second: usize,
    },
    #[error(
        "`{key}` on line {line} is a block scalar (`|` or `>`); vault-reach only replaces \
         single-line values, so edit it by hand"
    )]
    BlockScalar { key: String, line: usize },
    #[error(
        "`{key}` on line {line} uses a YAML anchor, alias or tag (`{marker}`); vault-reach only \
         replaces plain values, so edit it by hand"
    )]
    AnchorAliasOrTag {
        key: String,
        line: usize,
        marker: char,
    },
    #[error(
        "`{key}` on line {line} is a flow list or mapping (`[…]` or `{{…}}`); vault-reach only \
         replaces single values, so edit it by hand"
    )]
    Flow { key: String, line: usize },
    #[error(
        "`{key}` on line {line} spans several lines (a nested list or mapping, or text that \
         wraps); vault-reach only replaces single-line values, so edit it by hand"
    )]
    MultiLine { key: String, line: usize },
    #[error("`{value}` cannot be written as `{key}`: a property value must be one line")]
    BadValue { key: String, value: String },
    #[error(
        "setting `{key}` would change more of the front-matter than that property, so the note \
         was left as it was; set it by hand (and please report this note's front-matter)"
    )]
    Unverified { key: String },
    #[error("a Log entry must be one line; `{entry}` is not")]
    BadEntry { entry: String },
    #[error(
        "`{entry}` could not be added where Markdown reads it as a Log item (does the note end \
         inside a code or HTML block?); the note was left as it was, so add it by hand"
    )]
    LogUnverified { entry: String },
}

fn at_line(line: Option<usize>) -> String {
    line.map(|l| format!(" (line {l})")).unwrap_or_default()
}

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

/// A top-level `key:` line of the front-matter.
struct KeyLine {
    /// The line, without its newline.
    line: Range<usize>,
    /// Just after the `:` that ends the key.
    after_colon: usize,
}

/// Every unindented line of the front-matter whose key is `key` (normally zero or one).
fn key_lines(text: &str, yaml: Range<usize>, key: &str) -> Vec<KeyLine> {
    let mut found = Vec::new();
    let mut pos = yaml.start;
    for raw in text[yaml].split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        if let Some((name, colon)) = line_key(line)
            && name == key
        {
            found.push(KeyLine {
                line: pos..pos + line.len(),
                after_colon: pos + colon,
            });
        }
        pos += raw.len();
    }
    found
}

/// The key of a top-level `key: value` line and the offset just after its colon. Indented lines,
/// comments, sequence items and `? complex keys` have none.
fn line_key(line: &str) -> Option<(String, usize)> {
    let first = line.chars().next()?;
    if first.is_whitespace() || first == '#' || first == '?' {
        return None;
    }
    if line == "-" || line.starts_with("- ") || line.starts_with("-\t") {
        return None;
    }
    let (name, rest_at) = match first {
        '"' | '\'' => {
            let close = quoted_end(line, 0)?;
            let inner = &line[1..close - 1];
            let name = if first == '\'' {
                inner.replace("''", "'")
            } else {
                inner.replace("\\\"", "\"").replace("\\\\", "\\")
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
            (line[..colon].trim_end().to_owned(), colon)
        }
    };
    line[rest_at..]
        .starts_with(':')
        .then_some((name, rest_at + 1))
}

/// Offset just past the closing quote of the quoted scalar that opens at `start`, or `None` when
/// it does not close on this line.
fn quoted_end(line: &str, start: usize) -> Option<usize> {
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

/// The style of the text's first line ending (LF when it has none).
fn first_newline(text: &str) -> Newline {
    match text.find('\n') {
        Some(i) if text[..i].ends_with('\r') => Newline::CrLf,
        _ => Newline::Lf,
    }
}

fn splice_str(text: &str, range: Range<usize>, with: &str) -> String {
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(&text[..range.start]);
    out.push_str(with);
    out.push_str(&text[range.end..]);
    out
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
    let (at, insert, marker_at) = match &old_log {
        Some(log) => plan_in_section(body, log, entry, nl),
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
    let refused = || EditError::LogUnverified {
        entry: entry.to_owned(),
    };
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
        if !read_log(new_body, first_line)
            .iter()
            .any(|e| e.line == line)
        {
            return Err(refused());
        }
    }
    Ok(edited)
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
    // The same extensions as `vault::log`, so both agree on what is a heading and a list.
    let options = Options::ENABLE_TASKLISTS
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TABLES;
    let mut log: Option<(LogSection, HeadingLevel)> = None;
    let mut open = true;
    let mut depth = 0usize;
    let mut in_item = false;
    let (mut spaced, mut tight) = (0, 0);
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let is_log = log::is_log_heading(&body[range.clone()]);
                match &mut log {
                    None if is_log => {
                        log = Some((
                            LogSection {
                                heading: range.clone(),
                                end: body.len(),
                                items: Vec::new(),
                                loose: false,
                                others_spaced: 0,
                                others_tight: 0,
                            },
                            level,
                        ));
                        continue;
                    }
                    Some((section, log_level)) if open && level <= *log_level => {
                        section.end = range.start;
                        open = false;
                    }
                    _ => {}
                }
                match blank_after(body, range.end) {
                    Some(true) => spaced += 1,
                    Some(false) => tight += 1,
                    None => {}
                }
            }
            Event::Start(Tag::List(_)) if open && log.is_some() => depth += 1,
            Event::End(TagEnd::List(_)) if open && log.is_some() => {
                depth = depth.saturating_sub(1);
            }
            Event::Start(Tag::Item) if depth == 1 && open => {
                if let Some((section, _)) = &mut log {
                    in_item = true;
                    section.items.push(LogItem {
                        date: item_date(&body[range.clone()]),
                        range,
                    });
                }
            }
            Event::End(TagEnd::Item) if depth == 1 => in_item = false,
            Event::Start(Tag::Paragraph) if in_item && depth == 1 && open => {
                if let Some((section, _)) = &mut log {
                    section.loose = true;
                }
            }
            _ => {}
        }
    }
    log.map(|(mut section, _)| {
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
fn plan_in_section(body: &str, log: &LogSection, entry: &str, nl: &str) -> (usize, String, usize) {
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
        return (at, insert, marker_at);
    };
    let mut dates = log.items.iter().filter_map(|i| i.date);
    let newest_first = match (dates.next(), dates.next_back()) {
        (Some(a), Some(b)) => a > b,
        _ => false,
    };
    if newest_first {
        let at = body[..first.range.start].rfind('\n').map_or(0, |i| i + 1);
        let (prefix, marker) = item_marker(body, first.range.start, false);
        let mut insert = format!("{prefix}{marker}{entry}{nl}");
        if log.loose {
            insert.push_str(prefix.trim_end());
            insert.push_str(nl);
        }
        return (at, insert, prefix.len());
    }
    let content_end = last.range.start
        + body[last.range.clone()]
            .trim_end_matches([' ', '\t', '\r', '\n'])
            .len();
    let (at, needs_nl) = line_end_at(body, content_end);
    let (prefix, marker) = item_marker(body, last.range.start, true);
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
    (at, insert, marker_at)
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
/// after it (`- `, `* `, `3. `). `next` numbers an ordered item one higher.
fn item_marker(body: &str, item_start: usize, next: bool) -> (&str, String) {
    let line_start = body[..item_start].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &body[line_start..item_start];
    let line = body[item_start..].split('\n').next().unwrap_or_default();
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let (marker, rest) = if digits > 0 {
        let number: u64 = line[..digits].parse().unwrap_or(1);
        let delimiter = &line[digits..=digits];
        let number = if next { number + 1 } else { number };
        (format!("{number}{delimiter}"), &line[digits + 1..])
    } else {
        (line[..1].to_owned(), &line[1..])
    };
    // Keep the item's own spacing after the marker unless it is odd (tabs, or so wide that
    // the content would be indented code).
    let spacing = rest.len() - rest.trim_start_matches(' ').len();
    let spacing = if (1..=4).contains(&spacing) {
        spacing
    } else {
        1
    };
    (prefix, format!("{marker}{}", " ".repeat(spacing)))
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
    use pretty_assertions::assert_eq;
    use proptest::prelude::*;

    fn set(note: &str, key: &str, value: &str) -> String {
        set_key(note, key, value).unwrap()
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
