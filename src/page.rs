//! today.md as a page a person writes on: what they typed into the page vault-reach rendered,
//! and the next render of the same day's list with all of it kept.
//!
//! The rule: while a page is today's list, nothing typed into it is removed. A line typed
//! under a pick (a child item, a line of prose indented under it, text after its name) stays
//! under that pick; any other line stays after the line it followed. What the user added is
//! found by a line diff between the page as rendered (this device keeps the last pure render
//! of the list) and the page as it is now, ticks and the completion marks of the Tasks and
//! Dataview plugins aside. Text under a ticked pick is also the note of that outreach in the
//! person's Log. Pure: the caller reads and writes the files.

use std::collections::HashMap;

/// What the user added to a rendered page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Added {
    /// Lines typed under a pick, by the pick's wikilink target, in page order, each with the
    /// rendered line of that pick's block it followed (normalised).
    under: Vec<(String, Option<String>, String)>,
    /// Other lines, each with the rendered line it followed (its normalised form; `None`
    /// for the top of the page).
    after: Vec<(Option<String>, String)>,
}

impl Added {
    pub fn is_empty(&self) -> bool {
        self.under.is_empty() && self.after.is_empty()
    }

    /// The note each pick's added lines make for its outreach: their text, without list
    /// markers, joined (`sent the slides; asked about March`).
    pub fn notes(&self) -> HashMap<&str, String> {
        let mut notes: HashMap<&str, String> = HashMap::new();
        for (target, _, line) in &self.under {
            let text = line
                .trim()
                .trim_start_matches(['-', '*', '+', '>'])
                .trim_start_matches("[ ]")
                .trim_start_matches("[x]")
                .trim();
            if text.is_empty() {
                continue;
            }
            let note = notes.entry(target.as_str()).or_default();
            if !note.is_empty() {
                note.push_str("; ");
            }
            note.push_str(text);
        }
        notes
    }
}

/// What `current` holds beyond `rendered`, the page as vault-reach rendered it.
pub fn added(rendered: &str, current: &str) -> Added {
    let old: Vec<&str> = rendered.lines().collect();
    let new: Vec<&str> = current.lines().collect();
    let old_keys: Vec<String> = old.iter().map(|l| key(l)).collect();
    let new_keys: Vec<String> = new.iter().map(|l| key(l)).collect();
    let mut result = Added::default();
    // The rendered line each current line matches, for anchors.
    let mut matched: Vec<Option<usize>> = vec![None; new.len()];
    let mut inserted: Vec<usize> = Vec::new();
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &old_keys, &new_keys) {
        for change in op.iter_changes(&old_keys, &new_keys) {
            match (change.tag(), change.old_index(), change.new_index()) {
                (similar::ChangeTag::Equal, Some(o), Some(n)) => matched[n] = Some(o),
                (similar::ChangeTag::Insert, _, Some(n)) => inserted.push(n),
                _ => {}
            }
        }
    }
    let rendered_picks: HashMap<String, usize> = old
        .iter()
        .enumerate()
        .filter_map(|(i, l)| pick_target(l).map(|t| (t, i)))
        .collect();
    for n in inserted {
        let line = new[n];
        // Our own word on a tick that matches nothing: not the user's, and not kept.
        if line.trim_start().starts_with(NOTICE) {
            continue;
        }
        // Our own pick line, edited: what was typed after our text is a line under it.
        if let Some(target) = pick_target(line)
            && let Some(&o) = rendered_picks.get(&target)
        {
            let ours = &old_keys[o];
            let theirs = &new_keys[n];
            let typed = theirs
                .strip_prefix(ours.as_str())
                .unwrap_or_else(|| theirs.split_once("]]").map_or("", |(_, rest)| rest));
            let typed = typed
                .trim()
                .trim_start_matches(['—', '–', '-', ':', ','])
                .trim();
            if !typed.is_empty() && !ours.ends_with(typed) {
                result.under.push((target, None, format!("    - {typed}")));
            }
            continue;
        }
        let anchor = (0..n)
            .rev()
            .find_map(|i| matched[i])
            .map(|o| old_keys[o].clone());
        match owner(&new, n) {
            Some(target) => result.under.push((target, anchor, line.to_owned())),
            // A blank line is kept only with the text it sets apart.
            None if line.trim().is_empty() && !inserted_text_near(&new, &matched, n) => {}
            None => result.after.push((anchor, line.to_owned())),
        }
    }
    result
}

/// Whether the blank line `n` sits next to a line the user typed (not one rendered).
fn inserted_text_near(lines: &[&str], matched: &[Option<usize>], n: usize) -> bool {
    let typed = |i: usize| matched[i].is_none() && !lines[i].trim().is_empty();
    (n + 1 < lines.len() && typed(n + 1)) || (n > 0 && typed(n - 1))
}

/// `fresh`, a new render of the same day's list, with what the user `added` put back.
pub fn merge(fresh: &str, added: &Added) -> String {
    let mut lines: Vec<String> = fresh.lines().map(str::to_owned).collect();
    // Under each pick, at the end of its block; a pick no longer listed keeps its lines at
    // the end of the page, as do lines whose anchor is gone.
    let mut homeless: Vec<String> = Vec::new();
    // Each typed line after the line of its pick's block it followed (so a line typed in
    // the middle of a block stays there, and the page does not change under the hand that
    // typed it), else at the end of the block.
    let mut previous: Option<(&str, &Option<String>, usize)> = None;
    for (target, anchor, line) in &added.under {
        let Some(at) = lines
            .iter()
            .position(|l| pick_target(l).as_deref() == Some(target.as_str()))
        else {
            homeless.push(line.clone());
            continue;
        };
        let end = block_end(&lines, at);
        let place = match previous {
            Some((t, a, place)) if t == target && a == anchor => place,
            _ => anchor
                .as_ref()
                .and_then(|a| (at..end).find(|&i| key(&lines[i]) == *a))
                .map_or(end, |i| i + 1),
        };
        lines.insert(place, line.clone());
        previous = Some((target, anchor, place + 1));
    }
    // Each line after the line it followed, in order: a run of lines with one anchor stays
    // a run.
    let mut last_anchor: Option<(&Option<String>, usize)> = None;
    for (anchor, line) in &added.after {
        let at = match last_anchor {
            Some((a, at)) if a == anchor => Some(at),
            _ => match anchor {
                None => Some(0),
                Some(key_text) => lines
                    .iter()
                    .position(|l| key(l) == *key_text)
                    .map(|i| i + 1),
            },
        };
        match at {
            Some(at) => {
                lines.insert(at, line.clone());
                last_anchor = Some((anchor, at + 1));
            }
            None => homeless.push(line.clone()),
        }
    }
    if !homeless.is_empty() {
        if lines.last().is_some_and(|l| !l.trim().is_empty()) {
            lines.push(String::new());
        }
        lines.extend(homeless);
    }
    let mut text = lines.join("\n");
    if fresh.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// How a line vault-reach puts under a ticked name it cannot record begins (after the
/// indent): never taken for the user's text, replaced when its words change.
const NOTICE: &str = "- ⚠️ vault-reach:";

/// `page` with a notice under each of its lines `(line, message)` (1-based, counting the
/// front-matter, as a tick's line is): why the tick on that line is not recorded, where the
/// user looks for it. `None` when every notice is there already. Everything else is kept
/// byte for byte, line endings included.
pub fn annotate(page: &str, notices: &[(usize, String)]) -> Option<String> {
    let mut lines: Vec<String> = page.split_inclusive('\n').map(str::to_owned).collect();
    let mut changed = false;
    let mut notices: Vec<&(usize, String)> = notices.iter().collect();
    notices.sort_by_key(|(line, _)| std::cmp::Reverse(*line));
    for (line, message) in notices {
        let Some(at) = line.checked_sub(1).filter(|&i| i < lines.len()) else {
            continue;
        };
        let ending = if lines[at].ends_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        if !lines[at].ends_with('\n') {
            lines[at].push_str(ending);
        }
        let notice = format!("    {NOTICE} {message}{ending}");
        match lines.get(at + 1) {
            Some(next) if *next == notice => {}
            Some(next) if next.trim_start().starts_with(NOTICE) => {
                lines[at + 1] = notice;
                changed = true;
            }
            _ => {
                lines.insert(at + 1, notice);
                changed = true;
            }
        }
    }
    changed.then(|| lines.concat())
}

/// A line as compared: ticks, the Tasks plugin's `✅ 2026-03-02` and Dataview's
/// `[completion:: 2026-03-02]` aside (they are marks of a tick, not text), trailing space
/// and `\r` trimmed.
fn key(line: &str) -> String {
    let mut text = crate::write::without_ticks(line);
    for mark in ["✅", "[completion::"] {
        if let Some(i) = text.find(mark) {
            text.truncate(i);
        }
    }
    text.trim_end().to_owned()
}

/// The wikilink target of a top-level task line (`- [ ] [[Ada]] — …`): a pick.
fn pick_target(line: &str) -> Option<String> {
    let rest = line
        .strip_prefix("- [")
        .or_else(|| line.strip_prefix("* ["))?;
    let rest = rest.get(3..)?.trim_start();
    // A note whose path no wikilink holds is linked the Markdown way (`escape::wikilink`).
    if let Some(link) = rest.strip_prefix('[').filter(|r| !r.starts_with('[')) {
        let dest = link.split_once("](")?.1.split(')').next()?;
        return crate::harvest::note_path(dest);
    }
    let inner = rest.strip_prefix("[[")?;
    let end = inner.find("]]")?;
    let target = inner[..end]
        .split(['|', '#', '^'])
        .next()?
        .trim_end_matches('\\');
    Some(target.trim().to_owned())
}

/// The pick whose block holds line `n` of `lines`: the nearest pick line above it, when
/// every line between is indented (a pick's own lines are).
fn owner(lines: &[&str], n: usize) -> Option<String> {
    if !lines[n].starts_with([' ', '\t']) {
        return None;
    }
    for i in (0..n).rev() {
        let line = lines[i];
        if let Some(target) = pick_target(line) {
            return Some(target);
        }
        if !line.starts_with([' ', '\t']) {
            return None;
        }
    }
    None
}

/// The index just past the block of the pick at `at`: its indented lines.
fn block_end(lines: &[String], at: usize) -> usize {
    let mut end = at + 1;
    while end < lines.len() && lines[end].starts_with([' ', '\t']) {
        end += 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    const RENDERED: &str = concat!(
        "# Monday 2 March\n",
        "\n",
        "Two people to reach out to today.\n",
        "\n",
        "- [ ] [[Sam]] — last in touch 9 months ago\n",
        "    - How you met: a meetup\n",
        "    > Hi Sam, how have you been?\n",
        "- [ ] [[Ada]] — new connection\n",
        "    - How you met: RustConf\n",
        "\n",
        "You are in touch with 5 of 13.\n",
    );

    #[test]
    fn a_page_as_rendered_has_nothing_added() {
        assert!(added(RENDERED, RENDERED).is_empty());
        let ticked = RENDERED.replacen("- [ ] [[Sam]]", "- [x] [[Sam]]", 1);
        assert!(added(RENDERED, &ticked).is_empty());
        let tasks = ticked.replacen("9 months ago", "9 months ago ✅ 2026-03-02", 1);
        assert!(
            added(RENDERED, &tasks).is_empty(),
            "a Tasks tick is no edit"
        );
    }

    #[test]
    fn lines_under_a_pick_stay_under_it_and_are_its_note() {
        let typed = RENDERED.replacen(
            "    > Hi Sam, how have you been?\n",
            "    > Hi Sam, how have you been?\n    - sent the slides\n",
            1,
        );
        let typed = typed.replacen("- [ ] [[Sam]]", "- [x] [[Sam]]", 1);
        let mine = format!("{typed}\nCall the bank.\n");
        let added = added(RENDERED, &mine);
        assert_eq!(
            added.notes().get("Sam").map(String::as_str),
            Some("sent the slides")
        );
        // The next render of the day: Sam is reached, Ada still there.
        let fresh = RENDERED.replacen(
            "- [ ] [[Sam]] — last in touch 9 months ago\n    - How you met: a meetup\n    > Hi Sam, how have you been?\n",
            "- [x] [[Sam]] — reached today\n",
            1,
        );
        let merged = merge(&fresh, &added);
        assert!(
            merged.contains("- [x] [[Sam]] — reached today\n    - sent the slides\n- [ ] [[Ada]]"),
            "{merged}"
        );
        assert!(
            merged.ends_with("You are in touch with 5 of 13.\n\nCall the bank.\n"),
            "{merged}"
        );
        // Kept, not doubled, by the render after that.
        assert_eq!(merge(&fresh, &super::added(&fresh, &merged)), merged);
    }

    #[test]
    fn text_after_a_ticked_name_is_its_note_and_stays() {
        let typed = RENDERED.replacen(
            "- [ ] [[Ada]] — new connection",
            "- [x] [[Ada]] — new connection — asked about the talk",
            1,
        );
        let added = added(RENDERED, &typed);
        assert_eq!(
            added.notes().get("Ada").map(String::as_str),
            Some("asked about the talk")
        );
        let merged = merge(RENDERED, &added);
        assert!(
            merged.contains("    - How you met: RustConf\n    - asked about the talk\n"),
            "{merged}"
        );
    }

    #[test]
    fn a_tick_that_matches_nothing_gets_a_notice_once_and_it_is_never_the_users() {
        let page =
            "---\ndate: 2026-03-02\n---\n- [x] [[Bob]] — due\r\n    - typed\r\n- [ ] [[Ada]]";
        let once = annotate(page, &[(4, "no contact is called `Bob`".into())]).unwrap();
        assert_eq!(
            once,
            "---\ndate: 2026-03-02\n---\n- [x] [[Bob]] — due\r\n    - ⚠️ vault-reach: no contact is called `Bob`\r\n    - typed\r\n- [ ] [[Ada]]"
        );
        assert_eq!(
            annotate(&once, &[(4, "no contact is called `Bob`".into())]),
            None
        );
        let reworded = annotate(&once, &[(4, "`Bob` could be two".into())]).unwrap();
        assert!(reworded.contains("vault-reach: `Bob` could be two\r\n    - typed"));
        assert_eq!(reworded.matches("vault-reach:").count(), 1);
        // The last line, without a line break, gets one before its notice.
        let last = annotate(page, &[(6, "no contact is called `Ada`".into())]).unwrap();
        assert!(
            last.ends_with("- [ ] [[Ada]]\n    - ⚠️ vault-reach: no contact is called `Ada`\n")
        );
        // The notice is not taken for a line the user typed under the pick.
        let rendered = "- [ ] [[Bob]] — due\n";
        let ticked = "- [x] [[Bob]] — due\n    - ⚠️ vault-reach: no contact is called `Bob`\n";
        assert!(added(rendered, ticked).is_empty());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// A page mangled by hand, a plugin or a sync engine never panics the harvest, the
        /// diff, the merge or the notices, and a notice takes nothing away from the page.
        #[test]
        fn a_mangled_page_never_panics_and_notices_only_add(
            edits in proptest::collection::vec(
                (0.0..1.0f64, 0..4usize, crate::note::tests::piece()),
                1..8,
            ),
            line in 1..20usize,
        ) {
            let page = format!("---\ngenerated-by: vault-reach\ndate: 2026-03-02\n---\n{RENDERED}");
            let mangled = crate::note::tests::mutate(&page, &edits);
            let _ = crate::harvest::read_ticks(&mangled);
            let typed = added(&page, &mangled);
            let _ = typed.notes();
            let _ = merge(&page, &typed);
            if let Some(noticed) = annotate(&mangled, &[(line, "no contact is called `X`".into())]) {
                let without: String = noticed
                    .split_inclusive('\n')
                    .filter(|l| !l.trim_start().starts_with(NOTICE))
                    .collect();
                let original: String = mangled
                    .split_inclusive('\n')
                    .filter(|l| !l.trim_start().starts_with(NOTICE))
                    .collect();
                // The line the notice follows may gain the line break it lacked at the end.
                proptest::prop_assert!(
                    without == original || without.strip_suffix('\n') == Some(&original)
                        || without.strip_suffix("\r\n") == Some(&original),
                    "{:?}", noticed
                );
            }
        }
    }

    #[test]
    fn a_pick_linked_the_markdown_way_is_a_pick() {
        assert_eq!(
            pick_target("- [ ] [A (1)](People/A%20%5B1%5D.md) — due").as_deref(),
            Some("People/A [1]")
        );
        assert_eq!(pick_target("- [ ] [a site](https://x.org) Bob"), None);
    }

    #[test]
    fn a_line_of_ones_own_stays_after_the_line_it_followed() {
        let typed = RENDERED.replacen(
            "Two people to reach out to today.\n",
            "Two people to reach out to today.\nBusy day: only two.\n",
            1,
        );
        let merged = merge(RENDERED, &added(RENDERED, &typed));
        assert_eq!(merged, typed);
        // A pick gone from the list keeps its lines at the end of the page.
        let typed = RENDERED.replacen(
            "    - How you met: RustConf\n",
            "    - How you met: RustConf\n    - she is moving to Oslo\n",
            1,
        );
        let without_ada = RENDERED.replacen(
            "- [ ] [[Ada]] — new connection\n    - How you met: RustConf\n",
            "",
            1,
        );
        let merged = merge(&without_ada, &added(RENDERED, &typed));
        assert!(
            merged.ends_with("5 of 13.\n\n    - she is moving to Oslo\n"),
            "{merged}"
        );
    }
}
