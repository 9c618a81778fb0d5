//! Lossless edits to a note's text: set one front-matter key, add one Log line.
//!
//! The vault is the user's database, so nothing is ever re-serialised (STYLE.md §7): each edit
//! splices a few bytes into the original text, then reads the result back and refuses unless
//! exactly the intended change happened. Both functions are pure; writing is `write.rs`'s job.

mod key;
mod log;

use std::ops::Range;

use crate::note::frontmatter::Newline;

pub use key::{remove_key, set_key};
pub use log::{amend_log, append_log};

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

/// The style of the text's first line ending (LF when it has none).
pub(super) fn first_newline(text: &str) -> Newline {
    match text.find('\n') {
        Some(i) if text[..i].ends_with('\r') => Newline::CrLf,
        _ => Newline::Lf,
    }
}

pub(super) fn splice_str(text: &str, range: Range<usize>, with: &str) -> String {
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(&text[..range.start]);
    out.push_str(with);
    out.push_str(&text[range.end..]);
    out
}
