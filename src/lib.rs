//! vault-reach: a plain-text personal relationship manager over a folder of Markdown notes.
//!
//! The vault is the database. This crate reads contact notes, decides who to reach out to,
//! renders `today.md` and `index.md` from templates, and makes small lossless edits to notes.

pub mod config;
pub mod contact;
pub mod dates;
pub mod edit;
pub mod error;
pub mod harvest;
pub mod schedule;
pub mod vault;
