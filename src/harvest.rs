//! Ticked picks in `today.md`: the outreaches the user has done and vault-reach must record.
//!
//! Every render harvests before it rewrites `today.md` (SPEC "Generated notes"), so this reads
//! whatever any editor left there: `[x]` or `[X]`, wikilinks with folders and aliases, or a
//! plain name the user typed. Pure: the caller records the ticks and rewrites the file.

use chrono::NaiveDate;
use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};
use yaml_serde::{Mapping, Value};

use crate::model::date::parse_date;
use crate::note::frontmatter::{newlines, split};
use crate::note::log::MARKDOWN;
use crate::note::marker::is_generated;

/// A ticked top-level task: an outreach to `target` done on `checked_on`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tick {
    /// The wikilink target without alias, `#heading` or `^block` (`People/Work/Ada`), or the
    /// item's plain name when it has no wikilink.
    pub target: String,
    /// Note line of the task (1-based; the opening `---` is line 1).
    pub line: usize,
    /// The date `today.md` is for: an outreach ticked there happened that day.
    pub checked_on: NaiveDate,
    /// The line is one vault-reach renders itself for someone already reached that day
    /// (`- [x] [[Ada]] — reached today`): recorded before the page was written.
    pub rendered_reached: bool,
}

/// The date a plugin wrote on a tick: the Tasks plugin's `✅ 2026-03-02`, Dataview's
/// `[completion:: 2026-03-02]`.
fn completion_date(text: &str) -> Option<NaiveDate> {
    let after = |mark: &str| {
        text.rfind(mark)
            .map(|i| text[i + mark.len()..].trim_start())
    };
    after("✅")
        .or_else(|| after("[completion::"))
        .and_then(|rest| rest.get(..10))
        .and_then(parse_date)
}

/// The text of a tick without a plugin's completion mark.
fn without_completion(text: &str) -> &str {
    let end = ["✅", "[completion::"]
        .iter()
        .filter_map(|mark| text.find(mark))
        .min()
        .unwrap_or(text.len());
    text[..end].trim_end()
}

/// What `today.md` holds to be recorded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Harvest {
    /// The `date:` property of `today.md`.
    pub date: Option<NaiveDate>,
    /// Ticked picks, in the order they appear; empty when `date` is `None`.
    pub ticks: Vec<Tick>,
    /// The front-matter says `generated-by: vault-reach` ([`is_generated`]).
    pub generated: bool,
    /// Note lines of ticked picks that cannot be recorded because `date` is missing or not a
    /// date. The caller reports them rather than lose them (SPEC: a tick is never lost).
    pub undated_ticks: Vec<usize>,
}

/// Reads `today.md`'s date, marker and ticked top-level tasks. Sub-items, unticked tasks and
/// ticked tasks with neither a wikilink nor a name are not ticks.
pub fn read_ticks(today_md: &str) -> Harvest {
    let parts = split(today_md);
    let date = date_in(today_md, &parts);
    let generated = is_generated(today_md);

    let body = &today_md[parts.body.clone()];
    let mut harvest = Harvest {
        date,
        generated,
        ..Harvest::default()
    };
    // Items come in page order: each one's line is counted on from the last one's, not from
    // the top (a page of 300 names was 300 counts of the whole page).
    let mut at = (parts.body.start, parts.line_of(today_md, parts.body.start));
    for (offset, target, rendered_reached, done) in ticked_items(body) {
        let offset = parts.body.start + offset;
        at = match today_md.as_bytes().get(at.0..offset) {
            Some(between) => (offset, at.1 + newlines(between)),
            None => (offset, parts.line_of(today_md, offset)),
        };
        let line = at.1;
        match date {
            // A date the plugin wrote is when it was done; never after the list's own day.
            Some(day) => harvest.ticks.push(Tick {
                target,
                line,
                checked_on: done.filter(|&d| d <= day).unwrap_or(day),
                rendered_reached,
            }),
            None => harvest.undated_ticks.push(line),
        }
    }
    harvest
}

/// The day of the list `today_md` is, [`Harvest::date`], read from its front-matter alone: a
/// pass asks it of the page before and after its render, and reading every tick of a page
/// of drafts each time showed in every pass of `watch`.
pub fn page_date(today_md: &str) -> Option<NaiveDate> {
    date_in(today_md, &split(today_md))
}

fn date_in(today_md: &str, parts: &crate::note::frontmatter::Split) -> Option<NaiveDate> {
    let props = parts
        .front
        .as_ref()
        .and_then(|f| yaml_serde::from_str::<Mapping>(&today_md[f.yaml.clone()]).ok())
        .unwrap_or_default();
    match props.get("date") {
        Some(Value::String(s)) => parse_date(s),
        _ => None,
    }
}

/// The item being read: a ticked top-level task, until its own paragraph ends.
struct Open {
    start: usize,
    /// The target of the item's first link to a note.
    link: Option<String>,
    text: String,
    /// Still in the item's first paragraph (before a sub-list or a second block).
    reading: bool,
}

/// How the built-in today.md ends the line of someone already reached that day.
const REACHED_TODAY: &str = " — reached today";

/// Body offsets and targets of ticked top-level task items, and whether each is a line
/// vault-reach rendered for someone already reached.
fn ticked_items(body: &str) -> Vec<(usize, String, bool, Option<NaiveDate>)> {
    let mut depth = 0usize;
    let mut item_start: Option<usize> = None;
    let mut open: Option<Open> = None;
    let mut found = Vec::new();
    for (event, range) in Parser::new_ext(body, MARKDOWN).into_offset_iter() {
        match event {
            Event::Start(Tag::List(_)) => {
                depth += 1;
                if let Some(item) = &mut open {
                    item.reading = false;
                }
            }
            Event::End(TagEnd::List(_)) => depth = depth.saturating_sub(1),
            Event::Start(Tag::Item) if depth == 1 => item_start = Some(range.start),
            // The marker comes first in the item, so a task is known before its text.
            Event::TaskListMarker(true) if depth == 1 => {
                if let Some(start) = item_start.take() {
                    open = Some(Open {
                        start,
                        link: None,
                        text: String::new(),
                        reading: true,
                    });
                }
            }
            Event::TaskListMarker(false) if depth == 1 => item_start = None,
            Event::End(TagEnd::Paragraph) if depth == 1 => {
                if let Some(item) = &mut open {
                    item.reading = false;
                }
            }
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            }) if depth == 1 => {
                if let Some(item) = open.as_mut().filter(|i| i.reading && i.link.is_none()) {
                    item.link = Some(link_target(&dest_url));
                }
            }
            // How a note is linked whose path a wikilink cannot hold (`escape::wikilink`).
            Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url,
                ..
            }) if depth == 1 => {
                if let Some(item) = open.as_mut().filter(|i| i.reading && i.link.is_none())
                    && let Some(note) = note_path(&dest_url)
                {
                    item.link = Some(note);
                }
            }
            Event::Text(text) | Event::Code(text) if depth == 1 => {
                if let Some(item) = open.as_mut().filter(|i| i.reading) {
                    item.text.push_str(&text);
                }
            }
            Event::SoftBreak | Event::HardBreak if depth == 1 => {
                if let Some(item) = open.as_mut().filter(|i| i.reading) {
                    item.text.push('\n');
                }
            }
            Event::End(TagEnd::Item) if depth == 1 => {
                item_start = None;
                if let Some(item) = open.take() {
                    let first = item.text.split('\n').next().unwrap_or_default();
                    let done = completion_date(first);
                    let text = without_completion(first);
                    let reached = item.link.is_some() && text.ends_with(REACHED_TODAY);
                    let target = match item.link {
                        Some(link) => link,
                        None => plain_name(text),
                    };
                    if !target.is_empty() {
                        found.push((item.start, target, reached, done));
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// `People/Work/Ada#Notes` → `People/Work/Ada`. A `\` before the alias pipe, as a table cell
/// escapes it (`[[Ada\|Ada]]`), is not part of the target.
fn link_target(dest: &str) -> String {
    let target = dest.split(['#', '^', '|']).next().unwrap_or_default();
    target.trim_end_matches('\\').trim().to_owned()
}

/// `People/A%20%5B1%5D.md` → `People/A [1]`: the note a Markdown link points to, when it is a
/// note of the vault (a relative path to a `.md` file, not a web address).
pub fn note_path(dest: &str) -> Option<String> {
    let path = percent_encoding::percent_decode_str(dest)
        .decode_utf8()
        .ok()?;
    let stem = path.strip_suffix(".md")?;
    (!stem.contains("://") && !stem.starts_with('/')).then(|| stem.to_owned())
}

/// The name a plain task starts with: its first line up to ` — `, ` - ` or ` (`.
fn plain_name(text: &str) -> String {
    let first = text.split('\n').next().unwrap_or_default();
    let end = [" — ", " – ", " - ", " ("]
        .iter()
        .filter_map(|sep| first.find(sep))
        .min()
        .unwrap_or(first.len());
    first[..end].trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn targets(h: &Harvest) -> Vec<(&str, usize)> {
        h.ticks
            .iter()
            .map(|t| (t.target.as_str(), t.line))
            .collect()
    }

    const TODAY: &str = "---\ngenerated-by: vault-reach\ndate: 2026-03-02\n---\n# Today\n\n\
        - [x] [[Ada Lovelace]] — met at RustConf\n\
        - [ ] [[Bob]] — not yet\n\
        - [X] [[People/Work/Ada|Ada]] (colleague)\n\
        - [x] Carl Friedrich Gauss — typed by hand\n\
        - [x] [[Dora#Notes|Dora]]\n\
        - [x] **Eve** - bold name\n\
        - [x] [[Fay\\|Fay]]\n\
        - [x] [Gil (1)](People/Gil%20%5B1%5D%20%232.md) — a path no wikilink holds\n\
        - [x] [a site](https://example.com/x.md) Hal\n";

    #[test]
    fn ticked_tasks_are_harvested_on_the_date_of_today_md() {
        let h = read_ticks(TODAY);
        assert_eq!(h.date, Some(date("2026-03-02")));
        assert!(h.generated);
        assert_eq!(
            targets(&h),
            [
                ("Ada Lovelace", 7),
                ("People/Work/Ada", 9),
                ("Carl Friedrich Gauss", 10),
                ("Dora", 11),
                ("Eve", 12),
                ("Fay", 13),
                ("People/Gil [1] #2", 14),
                ("a site Hal", 15),
            ]
        );
        assert!(h.ticks.iter().all(|t| t.checked_on == date("2026-03-02")));
        assert!(h.undated_ticks.is_empty());
    }

    #[test]
    fn plugin_completion_marks_date_the_tick_and_are_no_edit() {
        let md = "---\ndate: 2026-03-02\ngenerated-by: vault-reach\n---\n\
            - [x] [[Ada]] — last in touch a year ago ✅ 2026-02-28\n\
            - [x] [[Bob]] — new connection [completion:: 2026-03-01]\n\
            - [x] [[Cy]] — reached today ✅ 2026-03-02\n\
            - [x] [[Dee]] — due ✅ 2026-04-01\n";
        let ticks: Vec<(String, NaiveDate, bool)> = read_ticks(md)
            .ticks
            .into_iter()
            .map(|t| (t.target, t.checked_on, t.rendered_reached))
            .collect();
        assert_eq!(
            ticks,
            [
                ("Ada".into(), date("2026-02-28"), false),
                ("Bob".into(), date("2026-03-01"), false),
                ("Cy".into(), date("2026-03-02"), true),
                // A mark after the list's day is a typo or a clock: the list's day counts.
                ("Dee".into(), date("2026-03-02"), false),
            ]
        );
    }

    #[test]
    fn our_own_reached_today_lines_are_told_apart() {
        let md = "---\ndate: 2026-03-02\ngenerated-by: vault-reach\n---\n\
            - [x] [[Ada]] — reached today\n\
            - [x] [[Bob]] — wrote back, reached today?\n\
            - [x] Carl — reached today\n";
        let own: Vec<bool> = read_ticks(md)
            .ticks
            .iter()
            .map(|t| t.rendered_reached)
            .collect();
        assert_eq!(own, [true, false, false]);
    }

    #[test]
    fn sub_items_and_later_links_are_not_ticks() {
        let md = "---\ndate: 2026-03-02\n---\n\
            - [ ] [[Ada]]\n  - [x] [[Sub]] a sub-task\n\
            - [x] Bob\n  - [[Not Bob]]\n\
            - [x] lunch with [[Carl]]\n\
            - [x] [[Dora]]\n\n  a second paragraph with [[Other]]\n";
        let h = read_ticks(md);
        assert!(!h.generated);
        assert_eq!(targets(&h), [("Bob", 6), ("Carl", 8), ("Dora", 9)]);
    }

    #[test]
    fn no_date_means_no_ticks_but_they_are_counted() {
        let h = read_ticks("# Today\n- [x] [[Ada]]\n- [ ] [[Bob]]\n");
        assert_eq!(h.date, None);
        assert!(h.ticks.is_empty() && !h.generated);
        assert_eq!(h.undated_ticks, [2]);
        let h = read_ticks("---\ndate: soon\n---\n- [x] [[Ada]]\n");
        assert_eq!((h.date, h.undated_ticks.len()), (None, 1));
    }

    #[test]
    fn the_page_date_is_the_one_the_ticks_are_read_with() {
        for md in [
            TODAY,
            "# Today\n- [x] [[Ada]]\n",
            "---\ndate: 2026-13-40\n---\n- [x] [[Ada]]\n",
            "---\ndate: [2026-03-02]\n---\n",
            "\u{feff}---\r\ndate: \"2026-03-02\"\r\n---\r\n- [x] [[Ada]]\r\n",
            "---\ndate: 2026-03-02\n",
        ] {
            assert_eq!(page_date(md), read_ticks(md).date, "{md:?}");
        }
        assert_eq!(page_date(TODAY), "2026-03-02".parse().ok());
    }

    #[test]
    fn crlf_bom_and_code_blocks() {
        let md = "\u{feff}---\r\ndate: \"2026-03-02\"\r\n---\r\n```\r\n- [x] [[Code]]\r\n```\r\n- [x] [[Ada]]\r\n";
        let h = read_ticks(md);
        assert_eq!(targets(&h), [("Ada", 7)]);
    }
}
