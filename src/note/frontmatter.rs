//! Front-matter: found exactly as Obsidian finds it, kept as byte ranges.
//!
//! Nothing is copied or normalised: every range indexes the original text (BOM included), so a
//! note can be spliced and written back byte for byte, CRLF and all.

use std::ops::Range;

const BOM: &str = "\u{feff}";

/// A note cut into its optional BOM, its front-matter block and its body.
///
/// `BOM + text[front.block] + text[body]` is always the whole text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The text starts with a UTF-8 byte-order mark (kept out of `block` and `body`).
    pub bom: bool,
    pub front: Option<FrontMatter>,
    /// Everything after the front-matter block (or after the BOM when there is none).
    pub body: Range<usize>,
    /// The first line opened a front-matter block that no later line closes. Obsidian then shows
    /// the whole note as body, and so does `body`.
    pub unclosed: bool,
}

/// Where a front-matter block lies in the note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatter {
    /// From the opening `---` to the end of the closing line, its newline included.
    pub block: Range<usize>,
    /// The lines between the two `---` lines, with their newlines (empty for `---\n---`).
    pub yaml: Range<usize>,
    /// Note line of the first YAML line: the opening `---` is line 1, so this is 2.
    pub yaml_first_line: usize,
    /// The newline of the opening line, which edits to the block should reuse.
    pub newline: Newline,
    /// Note line of the closing `---`.
    pub close_line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Newline {
    Lf,
    CrLf,
}

impl Newline {
    pub fn as_str(self) -> &'static str {
        match self {
            Newline::Lf => "\n",
            Newline::CrLf => "\r\n",
        }
    }
}

impl Split {
    /// Note line where the body starts (when the closing `---` ends the file without a newline,
    /// the body is empty and this is the line after it).
    pub fn body_first_line(&self) -> usize {
        self.front.as_ref().map_or(1, |f| f.close_line + 1)
    }

    /// Note line (1-based, the opening `---` is line 1) of a byte offset into the text that was
    /// split. Counting starts at the body when the offset lies in it, so looking up a body
    /// offset never rescans the front-matter.
    pub fn line_of(&self, text: &str, offset: usize) -> usize {
        let offset = offset.min(text.len());
        let after_newline = self.front.is_none()
            || text
                .get(..self.body.start)
                .is_some_and(|t| t.ends_with('\n'));
        let (from, line) = if offset >= self.body.start && after_newline {
            (self.body.start, self.body_first_line())
        } else {
            (0, 1)
        };
        line + newlines(&text.as_bytes()[from..offset])
    }
}

/// Note line of `offset` in `text` (1-based), counting from the start.
pub fn line_of(text: &str, offset: usize) -> usize {
    1 + newlines(&text.as_bytes()[..offset.min(text.len())])
}

/// How many `\n` bytes `bytes` holds.
#[allow(
    clippy::naive_bytecount,
    reason = "the compiler vectorises this loop; not worth a dependency"
)]
pub(crate) fn newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches([' ', '\t', '\r']) == "---"
}

/// Finds the front-matter as Obsidian does: the first line (after an optional BOM) is `---`,
/// and the block ends at the first later line that is `---`, trailing blanks aside.
pub fn split(text: &str) -> Split {
    let start = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let bom = start > 0;
    let whole = |unclosed| Split {
        bom,
        front: None,
        body: start..text.len(),
        unclosed,
    };
    let rest = &text[start..];
    // Without a newline the opening line cannot be followed by anything, let alone a close.
    let Some(first_len) = memchr::memchr(b'\n', rest.as_bytes()) else {
        return whole(false);
    };
    let first = &rest[..first_len];
    let newline = if first.ends_with('\r') {
        Newline::CrLf
    } else {
        Newline::Lf
    };
    let first = first.strip_suffix('\r').unwrap_or(first);
    if first.trim_end_matches([' ', '\t']) != "---" {
        return whole(false);
    }
    let yaml_start = start + first_len + 1;
    let mut pos = yaml_start;
    let mut line = 2;
    while pos < text.len() {
        let (line_end, next) = match memchr::memchr(b'\n', &text.as_bytes()[pos..]) {
            Some(n) => (pos + n, pos + n + 1),
            None => (text.len(), text.len()),
        };
        if is_fence(&text[pos..line_end]) {
            return Split {
                bom,
                front: Some(FrontMatter {
                    block: start..next,
                    yaml: yaml_start..pos,
                    yaml_first_line: 2,
                    newline,
                    close_line: line,
                }),
                body: next..text.len(),
                unclosed: false,
            };
        }
        pos = next;
        line += 1;
    }
    whole(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parts(text: &str) -> (Option<(&str, &str)>, &str) {
        let s = split(text);
        (
            s.front
                .as_ref()
                .map(|f| (&text[f.block.clone()], &text[f.yaml.clone()])),
            &text[s.body],
        )
    }

    #[test]
    fn a_plain_block_is_found() {
        let text = "---\nmet-date: 2024-05-01\n---\n# Ada\n";
        assert_eq!(
            parts(text),
            (
                Some(("---\nmet-date: 2024-05-01\n---\n", "met-date: 2024-05-01\n")),
                "# Ada\n"
            )
        );
        let s = split(text);
        let front = s.front.as_ref().unwrap();
        assert_eq!((front.yaml_first_line, front.close_line), (2, 3));
        assert_eq!(front.newline, Newline::Lf);
        assert_eq!(s.body_first_line(), 4);
        assert!(!s.bom && !s.unclosed);
    }

    #[test]
    fn crlf_and_bom_are_kept_out_of_the_ranges() {
        let text = "\u{feff}---  \r\na: 1\r\n--- \r\nbody\r\n";
        let s = split(text);
        assert!(s.bom);
        let front = s.front.as_ref().unwrap();
        assert_eq!(front.newline, Newline::CrLf);
        assert_eq!(front.block.start, 3);
        assert_eq!(&text[front.yaml.clone()], "a: 1\r\n");
        assert_eq!(&text[s.body.clone()], "body\r\n");
        assert_eq!(s.line_of(text, text.find("body").unwrap()), 4);
    }

    #[test]
    fn an_empty_block_is_front_matter() {
        assert_eq!(parts("---\n---"), (Some(("---\n---", "")), ""));
        assert_eq!(parts("---\n---\nx"), (Some(("---\n---\n", "")), "x"));
    }

    #[test]
    fn a_closing_line_at_the_end_without_newline_counts() {
        assert_eq!(
            parts("---\na: 1\n---"),
            (Some(("---\na: 1\n---", "a: 1\n")), "")
        );
    }

    #[test]
    fn an_unclosed_block_is_all_body() {
        let s = split("\u{feff}---\na: 1\n");
        assert!(s.unclosed && s.front.is_none());
        assert_eq!(s.body, 3..12);
        assert!(split("---\n").unclosed);
    }

    #[test]
    fn anything_else_on_the_first_line_means_no_front_matter() {
        for text in [
            "",
            "---",
            "----\n---\n",
            " ---\n---\n",
            "\n---\na\n---\n",
            "--- a\n---\n",
        ] {
            let s = split(text);
            assert!(s.front.is_none() && !s.unclosed, "{text:?}");
            assert_eq!(s.body, 0..text.len());
        }
    }

    #[test]
    fn the_block_closes_at_the_first_fence_only() {
        let text = "---\na: 1\n---\nbody\n---\nmore\n";
        assert_eq!(parts(text).1, "body\n---\nmore\n");
        // `----` and an indented `---` do not close it.
        let text = "---\na: |\n  ---\n----\n---\n";
        assert_eq!(parts(text).0.unwrap().1, "a: |\n  ---\n----\n");
    }

    fn note_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("---".to_owned()),
            Just("--- \t".to_owned()),
            Just("----".to_owned()),
            Just("\n".to_owned()),
            Just("\r\n".to_owned()),
            Just("\r".to_owned()),
            Just("\u{feff}".to_owned()),
            Just("key: value".to_owned()),
            Just(" ".to_owned()),
            ".{0,6}",
        ];
        (any::<bool>(), prop::collection::vec(piece, 0..16))
            .prop_map(|(bom, pieces)| format!("{}{}", if bom { BOM } else { "" }, pieces.concat()))
    }

    proptest! {
        #[test]
        fn split_reassembles_any_text(text in note_text()) {
            let s = split(&text);
            let mut joined = String::new();
            if s.bom {
                joined.push_str(BOM);
            }
            if let Some(front) = &s.front {
                prop_assert!(!s.unclosed);
                prop_assert!(front.block.start <= front.yaml.start);
                prop_assert!(front.yaml.end <= front.block.end);
                prop_assert!(text[front.block.clone()].starts_with("---"));
                prop_assert_eq!(front.block.end, s.body.start);
                joined.push_str(&text[front.block.clone()]);
            }
            joined.push_str(&text[s.body.clone()]);
            prop_assert_eq!(&joined, &text);
            prop_assert_eq!(s.line_of(&text, text.len()), line_of(&text, text.len()));
        }
    }
}
