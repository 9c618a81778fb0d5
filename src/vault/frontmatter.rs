//! Front-matter: found exactly as Obsidian finds it, kept as byte ranges.
