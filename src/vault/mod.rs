//! The vault: its notes, read into contacts and problems.

pub mod frontmatter;
pub mod log;
pub mod note;
