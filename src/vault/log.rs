//! The `## Log` section of a note: dated outreach and reply entries.
