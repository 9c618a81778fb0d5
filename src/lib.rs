//! vault-reach: a plain-text personal relationship manager over a folder of Markdown notes.
//!
//! The vault is the database. This crate reads contact notes, decides who to reach out to,
//! renders `today.md` and `index.md` from templates, and makes small lossless edits to notes.

pub mod config;
pub mod contact;
pub mod dates;
pub mod error;
pub mod import;
pub mod names;
pub mod schedule;
pub mod vault;
