//! The mark of a note vault-reach generated: `generated-by: vault-reach` in its front-matter.
//!
//! Read by its YAML value, so a marker that an editor requoted (Obsidian's Properties editor
//! writes `generated-by: "vault-reach"`) or commented is still ours, and the harvest of ticks
//! and the writer that replaces the note always agree on which notes are ours.

use yaml_serde::Value;

use super::keys::key_lines;

/// The property that marks a generated note.
pub const KEY: &str = "generated-by";
/// Its value.
pub const VALUE: &str = "vault-reach";

/// True when `text`'s front-matter sets `generated-by` to `vault-reach`. Bytes, so that a
/// generated note of megabytes is checked for UTF-8 only as far as its front-matter.
pub fn is_generated(text: impl AsRef<[u8]>) -> bool {
    front_matter(text.as_ref())
        .and_then(|yaml| std::str::from_utf8(yaml).ok())
        .is_some_and(|yaml| {
            key_lines(yaml)
                .filter(|k| k.key == KEY)
                .any(|k| is_marker_value(k.value))
        })
}

/// The raw value of the `generated-by` line is `vault-reach` as YAML reads it: plain, quoted,
/// or followed by a comment.
fn is_marker_value(raw: &str) -> bool {
    if raw == VALUE {
        return true; // the form we write, without a YAML parse
    }
    matches!(yaml_serde::from_str::<Value>(raw), Ok(Value::String(s)) if s.trim() == VALUE)
}

/// The bytes between the opening `---` line and the closing one, found as
/// [`super::frontmatter::split`] finds them, without reading the rest of the note.
fn front_matter(text: &[u8]) -> Option<&[u8]> {
    let text = text.strip_prefix("\u{feff}".as_bytes()).unwrap_or(text);
    let rest = text
        .strip_prefix(b"---")
        .and_then(|r| r.strip_prefix(b"\n").or_else(|| r.strip_prefix(b"\r\n")))?;
    let mut offset = 0;
    for line in rest.split_inclusive(|&b| b == b'\n') {
        if line.trim_ascii_end() == b"---" {
            return Some(&rest[..offset]);
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marker_is_found_only_in_front_matter() {
        assert!(is_generated(
            "---\ngenerated-by: vault-reach\ndate: 2026-01-01\n---\n# x\n"
        ));
        assert!(is_generated(
            "\u{feff}---\r\ndate: 2026-01-01\r\ngenerated-by: vault-reach\r\n---\r\n"
        ));
        assert!(!is_generated("# Today\n\ngenerated-by: vault-reach\n"));
        assert!(!is_generated(
            "---\ntitle: mine\n---\ngenerated-by: vault-reach\n"
        ));
        assert!(
            !is_generated("---\ngenerated-by: vault-reach\n"),
            "unclosed"
        );
    }

    #[test]
    fn a_requoted_or_commented_marker_is_still_ours() {
        for line in [
            "generated-by: \"vault-reach\"",
            "generated-by: 'vault-reach'",
            "generated-by: vault-reach # do not edit",
            "\"generated-by\": vault-reach",
        ] {
            assert!(is_generated(format!("---\n{line}\n---\n")), "{line}");
        }
        for line in [
            "generated-by: vault-reach-fork",
            "generated-by: [vault-reach]",
            "  generated-by: vault-reach",
            "generated_by: vault-reach",
        ] {
            assert!(!is_generated(format!("---\n{line}\n---\n")), "{line}");
        }
    }
}
