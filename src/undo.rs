//! Undoing the last change a command made to a note: the change is kept as the note's text
//! before and after it, and reverted on whatever the note holds by then.
//!
//! Exact or not at all: a note that still holds what the command wrote gets back, byte for
//! byte, what it held before; a note edited since gets the command's change taken out of
//! it by a three-way merge, the edit kept; and when the two touch the same lines, nothing is
//! changed and the user is told why.

use serde::{Deserialize, Serialize};

/// The format of the record; another is not read (its change may mean something else).
pub const VERSION: u32 = 1;

/// One change to one note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub version: u32,
    /// The note, relative to the vault, with `/`.
    pub note: String,
    /// What made the change, as it would be typed: `touch "Ada Quint"`.
    pub command: String,
    /// The note's text that the change was made on.
    pub before: String,
    /// The note's text as the change left it.
    pub after: String,
}

/// The change and an edit of the user's touch the same lines: taking the change out would
/// take some of the edit with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the note changed since, on the lines the change touched; undo would take your edit with \
     it, so nothing was changed: edit the note by hand"
)]
pub struct Conflict;

/// `now` without `change`; `None` when `now` does not hold the change (undone already, or
/// never made).
pub fn revert(now: &str, change: &Change) -> Result<Option<String>, Conflict> {
    if now == change.after {
        return Ok(Some(change.before.clone()));
    }
    if now == change.before {
        return Ok(None);
    }
    // Lines added at the end since (the commonest edit of a note, right under the Log line
    // the change added) touch no line of the change, though a line merge calls them a
    // conflict for being next to it.
    if let Some(added) = now.strip_prefix(change.after.as_str())
        && change.after.ends_with('\n')
    {
        return Ok(Some(format!("{}{added}", change.before)));
    }
    // From what the change wrote: `now` is the user's side, `before` the undo's.
    match diffy::merge(&change.after, now, &change.before) {
        Ok(merged) if merged == now => Ok(None),
        Ok(merged) => Ok(Some(merged)),
        Err(_) => Err(Conflict),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(before: &str, after: &str) -> Change {
        Change {
            version: VERSION,
            note: "People/Ada.md".into(),
            command: "touch Ada".into(),
            before: before.into(),
            after: after.into(),
        }
    }

    const BEFORE: &str = "---\nmet-date: 2024-01-01\n---\n# Ada\n\nlikes maps\n\n## Log\n";
    const AFTER: &str = "---\nmet-date: 2024-01-01\nlast-touch: 2026-03-02\n---\n# Ada\n\nlikes maps\n\n## Log\n\n- 2026-03-02 reached out\n";

    #[test]
    fn an_unchanged_note_gets_back_exactly_what_it_held() {
        assert_eq!(
            revert(AFTER, &change(BEFORE, AFTER)),
            Ok(Some(BEFORE.to_owned()))
        );
        assert_eq!(revert(BEFORE, &change(BEFORE, AFTER)), Ok(None));
    }

    #[test]
    fn an_edit_made_since_is_kept_and_the_change_taken_out() {
        let edited = AFTER.replace("likes maps", "likes maps and rivers");
        let undone = revert(&edited, &change(BEFORE, AFTER)).unwrap().unwrap();
        assert_eq!(
            undone,
            BEFORE.replace("likes maps", "likes maps and rivers")
        );
        // Applied again on its own result, it finds nothing more to do.
        assert_eq!(revert(&undone, &change(BEFORE, AFTER)), Ok(None));
    }

    #[test]
    fn lines_added_at_the_end_are_kept() {
        let edited = format!("{AFTER}- 2026-03-03 coffee\n");
        assert_eq!(
            revert(&edited, &change(BEFORE, AFTER)),
            Ok(Some(format!("{BEFORE}- 2026-03-03 coffee\n")))
        );
    }

    #[test]
    fn an_edit_of_the_changed_lines_is_a_conflict() {
        let edited = AFTER.replace(
            "- 2026-03-02 reached out",
            "- 2026-03-02 reached out, about the maps",
        );
        assert_eq!(revert(&edited, &change(BEFORE, AFTER)), Err(Conflict));
    }
}
