//! Plain data: what a note says about a person, as typed values.
//!
//! Nothing here imports another module of ours: the note layer reads text into these types,
//! and everything else computes from them.

mod birthday;
mod cadence;
mod contact;
pub mod date;
pub mod kind;
mod log;
mod packed;

pub use birthday::Birthday;
pub use cadence::{BadCadence, Cadence, Span};
pub use contact::{
    BodyFacts, Contact, Extra, Mark, NameKeys, Spelled, Spellings, Words, role_and_company,
};
pub use kind::{Classified, Vocabulary, classify};
pub use log::{Invitation, Log, LogEntry, LogKind};
pub use packed::Packed;
