//! Values from notes, made safe for where a generated note prints them.
//!
//! A note's `company`, a file name or a Log line is text someone else may have written (an
//! import, a sync engine, a plugin). Printed into today.md as it is, `[[Victim]]` becomes a
//! link, a newline a ticked task that records an outreach nobody made, `#1` a tag, `%%` the
//! start of a comment that hides the rest of the page. Each context has one function here,
//! and the renderer applies them, so no template has to take care:
//!
//! - Markdown text ([`markdown_text`]): one line, and the characters that would start markup
//!   escaped with a backslash, which every `CommonMark` reader (and Obsidian) shows as the
//!   character itself;
//! - a code span ([`code_span`]);
//! - a wikilink ([`wikilink`]), or a Markdown link when the note's path cannot be one;
//! - a URL ([`url`], [`mailto`]): percent-encoded, so it ends where the link does.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// `text` with line breaks and tabs as spaces, and other control characters (an ANSI
/// escape) left out.
pub fn one_line(text: &str) -> String {
    one_line_cow(text).into_owned()
}

/// [`one_line`], borrowing a text that has nothing to change: every name of a large
/// index.md is one, and building each again char by char showed in a render's profile.
fn one_line_cow(text: &str) -> std::borrow::Cow<'_, str> {
    // Every character `one_line` changes is a C0 control or DEL, or starts with 0xC2 (C1
    // controls, NEL) or 0xE2 (U+2028, U+2029) in UTF-8.
    if !text
        .bytes()
        .any(|b| b < 0x20 || b == 0x7f || b == 0xc2 || b == 0xe2)
    {
        return std::borrow::Cow::Borrowed(text);
    }
    let changed: String = text
        .chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
                Some(' ')
            }
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect();
    std::borrow::Cow::Owned(changed)
}

/// A byte that may need work: a control (C0, DEL; C1 controls, NEL and U+2028/9 start with
/// 0xC2 or 0xE2) or ASCII punctuation that Markdown or Obsidian reads as markup.
fn may_need_escaping(b: u8) -> bool {
    b < 0x20
        || matches!(
            b,
            0x7f | 0xc2
                | 0xe2
                | b'\\'
                | b'['
                | b']'
                | b'|'
                | b'<'
                | b'`'
                | b'*'
                | b'_'
                | b'$'
                | b'#'
                | b'~'
                | b'='
                | b'%'
                | b'&'
                | b'!'
        )
}

/// `text` as Markdown text on one line that shows exactly `text`, but for the wikilinks in it.
///
/// A well-formed wikilink (`[[Acme]]`, `[[Acme|the shop]]`: nothing but a target and a name
/// between the brackets) stays a link: Obsidian users link a `company` or a Log line to a
/// note of its own, and that link is theirs (an embed `![[…]]` as a plain link; in a table
/// cell, its pipe escaped: [`table_cell`]). It can never be the first
/// link of a task line, which is the person's own, so it forges nothing. Everything else is
/// escaped:
///
/// Always: `` \ [ ] | < ` * $ ~ `` (links and tasks, table cells, HTML, code, emphasis,
/// Obsidian's math, strike-through). Where they would act: `_` at a word's edge (inside a
/// word, as in `ada_l`, it is no emphasis), `#` before a word (a tag), `=` or `%` before
/// another (Obsidian's highlight and comment), `&` starting an entity. Anything else is left
/// as typed, so the page still reads well as plain text: `AT&T`, `O'Brien`, `C++`.
pub fn markdown_text(text: &str) -> Cow<'_, str> {
    escaped(text, false)
}

/// `text` as [`markdown_text`] for a table cell: the pipe of a wikilink's name escaped too,
/// as Obsidian reads it there (`[[Acme\|the shop]]`).
pub fn table_cell(text: &str) -> Cow<'_, str> {
    escaped(text, true)
}

fn escaped(text: &str, in_table: bool) -> Cow<'_, str> {
    if !text.bytes().any(may_need_escaping) {
        return Cow::Borrowed(text);
    }
    let line = one_line(text);
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(len) = wikilink_at(&chars, i) {
            for &k in &chars[i..i + len] {
                if k == '|' && in_table {
                    out.push('\\');
                }
                out.push(k);
            }
            i += len;
            continue;
        }
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        let wordy = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let escape = match c {
            '\\' | '[' | ']' | '|' | '<' | '`' | '*' | '$' | '~' => true,
            '_' => !(wordy(before) && wordy(after)),
            '#' => after.is_some_and(|a| !a.is_whitespace()),
            '=' | '%' => after == Some(c),
            '!' => after == Some('[') && wikilink_at(&chars, i + 1).is_some(),
            // `&amp;` or `&#35;` would show as `&` or `#`; `AT&T` stays as typed.
            '&' => {
                let rest = chars[i + 1..].iter().take(32);
                let name = rest
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
                    .count();
                name > 0 && chars.get(i + 1 + name) == Some(&';')
            }
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
        i += 1;
    }
    Cow::Owned(out)
}

/// The length in characters of the well-formed wikilink at `chars[at..]`: `[[`, a target
/// and at most one `|name`, none of them empty or holding brackets, a backslash or a
/// backtick, then `]]`.
fn wikilink_at(chars: &[char], at: usize) -> Option<usize> {
    if chars.get(at..at + 2) != Some(&['[', '['][..]) {
        return None;
    }
    let inner_start = at + 2;
    let mut end = inner_start;
    let mut pipes = 0;
    while end < chars.len() {
        match chars[end] {
            ']' => break,
            '[' | '\\' | '`' => return None,
            '|' => pipes += 1,
            _ => {}
        }
        end += 1;
    }
    let inner = &chars[inner_start..end];
    let well_formed = chars.get(end + 1) == Some(&']')
        && pipes <= 1
        && inner
            .first()
            .is_some_and(|&c| c != '|' && !c.is_whitespace())
        && inner.last().is_some_and(|&c| c != '|');
    well_formed.then_some(end + 2 - at)
}

/// `text` as a person would say it in a message: each wikilink as the name it shows
/// (`[[Acme|the shop]]` is `the shop`, `[[Work/Acme]]` is `Acme`), then as Markdown text.
/// For drafts, which are sent, not clicked.
pub fn spoken(text: &str) -> String {
    let chars: Vec<char> = one_line(text).chars().collect();
    let mut said = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if let Some(len) = wikilink_at(&chars, i) {
            let inner: String = chars[i + 2..i + len - 2].iter().collect();
            let shown = if let Some((_, name)) = inner.split_once('|') {
                name.to_owned()
            } else {
                let target = inner.split(['#', '^']).next().unwrap_or(&inner);
                target.rsplit('/').next().unwrap_or(target).to_owned()
            };
            said.push_str(&shown);
            i += len;
        } else {
            said.push(chars[i]);
            i += 1;
        }
    }
    markdown_text(&said).into_owned()
}

/// `text` as a code span on one line: fenced with one backtick more than its longest run of
/// them, padded when it starts or ends with one (the `CommonMark` rule for showing backticks).
pub fn code_span(text: &str) -> String {
    let line = one_line(text);
    let mut longest = 0;
    let mut run = 0;
    for c in line.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if line.starts_with('`') || line.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{line}{pad}{fence}")
}

/// Text of our own with user values in backticks (a problem's message: `` `cadence`: `100
/// years` is too long ``) as Markdown: the quoted parts as code spans, the rest as text.
pub fn markdown_with_code(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                code_span(part)
            } else {
                markdown_text(part).into_owned()
            }
        })
        .collect()
}

/// What a URL must not hold unencoded to stay one link in Markdown: whitespace, the
/// characters that end a link or its text, and those a Markdown reader would escape.
const URL_UNSAFE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'(')
    .add(b')')
    .add(b'[')
    .add(b']')
    .add(b'|')
    .add(b'\\')
    .add(b'{')
    .add(b'}')
    .add(b'^');

/// A web address from a note as a link destination: `https://` added when it has no scheme
/// (`linkedin.com/in/ada` is how people paste it), whitespace inside dropped, the rest
/// percent-encoded. `None` for a scheme other than http(s): a `javascript:` "profile" is
/// not a link we print.
pub fn url(text: &str) -> Option<String> {
    let compact: String = text.split_whitespace().collect();
    if compact.is_empty() {
        return None;
    }
    let full = match compact.split_once("://") {
        Some((scheme, _)) if ["http", "https"].contains(&scheme.to_ascii_lowercase().as_str()) => {
            compact
        }
        Some(_) => return None,
        // `mailto:x`, `javascript:x`: a scheme without slashes; `host:8080/x` is a port.
        None => {
            let head = compact.split('/').next().unwrap_or_default();
            if let Some((_, port)) = head.split_once(':')
                && (port.is_empty() || !port.chars().all(|c| c.is_ascii_digit()))
            {
                return None;
            }
            format!("https://{compact}")
        }
    };
    Some(utf8_percent_encode(&full, URL_UNSAFE).to_string())
}

/// An address as a `mailto:` link (RFC 6068): everything but the characters an address is
/// made of percent-encoded, so a space, `?` or `)` in a note's `email` cannot end the link
/// or add headers to the message.
pub fn mailto(address: &str) -> String {
    const ADDRESS: &AsciiSet = &URL_UNSAFE.add(b'?').add(b'#').add(b'%').add(b'&');
    let address = address.trim();
    format!("mailto:{}", utf8_percent_encode(address, ADDRESS))
}

/// [`mailto`] with a subject and a body (RFC 6068): each encoded but for the unreserved
/// characters, so an `&`, `=`, `?` or `#` in them starts no other field, a `)` does not end
/// the Markdown link, and a line break is `%0D%0A`, as the RFC has it.
pub fn mailto_with(address: &str, subject: &str, body: &str) -> String {
    const FIELD: &AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    let body = body.replace("\r\n", "\n").replace('\n', "\r\n");
    format!(
        "{}?subject={}&body={}",
        mailto(address),
        utf8_percent_encode(subject, FIELD),
        utf8_percent_encode(&body, FIELD)
    )
}

/// A link to a note: `[[target]]`, `[[target|name]]` when they differ (the pipe as `\|` in a
/// table cell). A path that a wikilink cannot hold (Obsidian's `[ ] | # ^` in a file name some
/// other editor made) is linked the Markdown way, `[name](People/A%20%5B1%5D.md)`, which
/// Obsidian follows too. The name loses the characters that would end the link early.
pub fn wikilink(target: &str, name: &str, in_table: bool) -> String {
    let shown = one_line_cow(name);
    let shown = if shown.contains(['[', ']', '|']) {
        std::borrow::Cow::Owned(
            shown
                .chars()
                .map(|c| match c {
                    '[' => '(',
                    ']' => ')',
                    '|' => '/',
                    c => c,
                })
                .collect::<String>(),
        )
    } else {
        shown
    };
    let target = one_line_cow(target);
    if target.contains(['[', ']', '|', '#', '^']) {
        const PATH: &AsciiSet = &URL_UNSAFE.add(b'#').add(b'%').add(b'?');
        let path = utf8_percent_encode(&target, PATH);
        return format!("[{}]({path}.md)", markdown_text(&shown));
    }
    let pipe = if in_table { "\\|" } else { "|" };
    if target == shown {
        format!("[[{target}]]")
    } else {
        format!("[[{target}{pipe}{shown}]]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_text_shows_what_was_typed_and_starts_no_markup() {
        for (text, expected) in [
            ("Acme", "Acme"),
            ("AT&T, O'Brien, C++", "AT&T, O'Brien, C++"),
            ("Acme\n- [x] [[Victim]]", "Acme - \\[x\\] [[Victim]]"),
            (
                "[[Acme|the shop]], ![[logo.png]]",
                "[[Acme|the shop]], \\![[logo.png]]",
            ),
            (
                "]] [[a|b|c]] [[ x]] [[]] [[a[b]]",
                "\\]\\] \\[\\[a\\|b\\|c\\]\\] \\[\\[ x\\]\\] \\[\\[\\]\\] \\[\\[a\\[b\\]\\]",
            ),
            ("a | b", "a \\| b"),
            ("<script>", "\\<script>"),
            ("`code`", "\\`code\\`"),
            ("*bold* and $x$", "\\*bold\\* and \\$x\\$"),
            ("ada_lovelace", "ada_lovelace"),
            ("_init_ me", "\\_init\\_ me"),
            ("#1 Bakery", "\\#1 Bakery"),
            ("C# shop", "C# shop"),
            (
                "~~gone~~ ==hi== 50%% off",
                "\\~\\~gone\\~\\~ \\==hi\\== 50\\%% off",
            ),
            ("100% sure", "100% sure"),
            ("C:\\Users", "C:\\\\Users"),
            ("\u{1b}[31mred", "\\[31mred"),
        ] {
            assert_eq!(markdown_text(text), expected, "{text:?}");
        }
    }

    /// What an escaped value reads as in the middle of a line, by the parser harvest and
    /// edits use (with math and footnotes on too, as other readers have them): the same text,
    /// with no link, tag, task, emphasis or HTML in it.
    fn reads_as_text(text: &str) -> Result<(), String> {
        use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
        let line = format!("x {} x", markdown_text(text));
        let options = crate::note::log::MARKDOWN
            .union(Options::ENABLE_MATH)
            .union(Options::ENABLE_FOOTNOTES);
        let mut shown = String::new();
        for event in Parser::new_ext(&line, options) {
            match event {
                Event::Text(t) => shown.push_str(&t),
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph | TagEnd::Link) => {}
                // A wikilink the text held, to the target it named.
                Event::Start(Tag::Link {
                    link_type: LinkType::WikiLink { .. },
                    dest_url,
                    ..
                }) if text.contains(&format!("[[{dest_url}]]"))
                    || text.contains(&format!("[[{dest_url}|")) => {}
                other => return Err(format!("{line:?} made {other:?}")),
            }
        }
        let expected = format!("x {} x", shown_as(&one_line(text)));
        if shown == expected {
            Ok(())
        } else {
            Err(format!("{line:?} shows {shown:?}, not {expected:?}"))
        }
    }

    /// What a reader shows of `text`: its well-formed wikilinks as their names.
    fn shown_as(text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let (mut out, mut i) = (String::new(), 0);
        while i < chars.len() {
            if let Some(len) = wikilink_at(&chars, i) {
                let inner: String = chars[i + 2..i + len - 2].iter().collect();
                out.push_str(inner.split_once('|').map_or(inner.as_str(), |(_, n)| n));
                i += len;
            } else {
                out.push(chars[i]);
                i += 1;
            }
        }
        out
    }

    #[test]
    fn escaped_text_reads_back_as_itself() {
        for text in [
            "Acme - [x] [[Victim]] [[Acme|the shop]]",
            "*a* _b_ `c` <d> [e](f) ~~g~~ $h$ \\i &amp; &#35;",
            "![[embed]] [[a|b]] [^1] <http://x.org>",
        ] {
            reads_as_text(text).unwrap();
        }
    }

    proptest::proptest! {
        /// Any mix of Markdown's active characters, escaped, is shown as typed.
        #[test]
        fn any_markup_is_shown_as_typed(text in "[a-z1 \\[\\](){}<>|*_`~=%#$!&;^:/+.\\\\-]{0,24}") {
            proptest::prop_assert!(reads_as_text(&text).is_ok(), "{}", reads_as_text(&text).unwrap_err());
        }
    }

    #[test]
    fn cells_and_messages_say_links_their_way() {
        assert_eq!(
            table_cell("[[Acme|the shop]] | x"),
            "[[Acme\\|the shop]] \\| x"
        );
        assert_eq!(
            spoken("[[Acme|the shop]] via [[Work/Grace Okafor]] [[x#Notes]]"),
            "the shop via Grace Okafor x"
        );
        assert_eq!(spoken("[[a]] *b*"), "a \\*b\\*");
    }

    #[test]
    fn code_spans_hold_any_backticks() {
        assert_eq!(code_span("People/Ada.md:3:1"), "`People/Ada.md:3:1`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x"), "`` `x ``");
        assert_eq!(
            markdown_with_code("`cadence`: `1 [[x]]` is *long*"),
            "`cadence`: `1 [[x]]` is \\*long\\*"
        );
    }

    #[test]
    fn urls_stay_one_link_and_only_the_web() {
        assert_eq!(
            url("https://www.linkedin.com/in/ada").as_deref(),
            Some("https://www.linkedin.com/in/ada")
        );
        assert_eq!(
            url("linkedin.com/in/ada lovelace").as_deref(),
            Some("https://linkedin.com/in/adalovelace")
        );
        assert_eq!(
            url("https://x.org/a)b](c)").as_deref(),
            Some("https://x.org/a%29b%5D%28c%29")
        );
        assert_eq!(
            url("https://x.org/ü").as_deref(),
            Some("https://x.org/%C3%BC")
        );
        assert_eq!(url("javascript:alert(1)"), None);
        assert_eq!(url("file:///etc/passwd"), None);
        assert_eq!(url("  "), None);
        assert_eq!(mailto("ada@example.com"), "mailto:ada@example.com");
        assert_eq!(
            mailto("a b)@x.org?bcc=eve@x.org"),
            "mailto:a%20b%29@x.org%3Fbcc=eve@x.org"
        );
    }

    #[test]
    fn one_line_borrows_exactly_what_it_would_not_change() {
        for text in [
            "Ada Lovelace",
            "José Núñez",
            "田中 大輔",
            "a\tb\nc",
            "ansi \u{1b}[31m red",
            "nel\u{85}here",
            "line\u{2028}sep",
            "en–dash © ’quote’",
            "del\u{7f}",
        ] {
            let slow: String = text
                .chars()
                .filter_map(|c| match c {
                    '\t' | '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}'
                    | '\u{2029}' => Some(' '),
                    c if c.is_control() => None,
                    c => Some(c),
                })
                .collect();
            let fast = one_line_cow(text);
            assert_eq!(fast, slow, "{text:?}");
            if matches!(fast, std::borrow::Cow::Borrowed(_)) {
                assert_eq!(slow, text);
            }
        }
    }

    #[test]
    fn a_mailto_carries_subject_and_body_and_nothing_more() {
        let link = mailto_with(
            "josé@example.org",
            "Q&A? #1 (ça va)",
            "Hi José,\n\nA=B & C?bcc=eve@x.org\r\nbye",
        );
        assert_eq!(
            link,
            "mailto:jos%C3%A9@example.org?subject=Q%26A%3F%20%231%20%28%C3%A7a%20va%29\
             &body=Hi%20Jos%C3%A9%2C%0D%0A%0D%0AA%3DB%20%26%20C%3Fbcc%3Deve%40x.org%0D%0Abye"
        );
        // The link ends where Markdown ends it: no `)`, space or newline inside.
        assert!(!link.contains([')', ' ', '\n']));
    }

    #[test]
    fn wikilinks_hold_the_person_and_nothing_else() {
        assert_eq!(wikilink("Ada", "Ada", false), "[[Ada]]");
        assert_eq!(wikilink("People/Ada", "Ada", true), "[[People/Ada\\|Ada]]");
        assert_eq!(
            wikilink("Mal", "Mal - [x] [[Victim]]", false),
            "[[Mal|Mal - (x) ((Victim))]]"
        );
        assert_eq!(
            wikilink("People/A [1] #2", "A [1]", false),
            "[A (1)](People/A%20%5B1%5D%20%232.md)"
        );
    }
}
