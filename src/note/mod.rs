//! The note format, in both directions and in one place: text in, typed values and problems
//! out; typed values in, text spliced losslessly. No I/O: every function takes the text.
//!
//! - [`frontmatter`] finds the properties block exactly as Obsidian does;
//! - [`keys`] is the one scanner of top-level `key:` lines and the table of key spellings;
//! - [`log`] is the one reader of the `## Log` section and its Markdown options;
//! - [`read`] turns a note into a [`crate::model::Contact`] and its problems;
//! - [`edit`] sets a key or adds a Log line, touching no other byte;
//! - [`marker`] says whether a note is one we generated.

pub mod edit;
pub mod frontmatter;
pub mod keys;
pub mod log;
pub mod marker;
pub mod read;

pub use read::{Parsed, log_entries, parse_note};
