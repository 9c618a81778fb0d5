//! Names for matching people and for naming their notes.
//!
//! Matching keys (`name_key`, `url_key`) forgive spelling differences that do not change who is
//! meant: accents, case, spacing, URL decorations. File names (`safe_file_stem`,
//! `unique_file_name`) are made valid on Windows, macOS and Linux at once, because a vault is
//! often synced between all three and one bad name breaks the sync for every file.

use std::borrow::Cow;
use std::path::Path;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::error::slash_path;
use crate::model::{Contact, NameKeys};

/// The longest stem we produce, in bytes. Well under the 255-byte limit of common file systems,
/// leaving room for `.md`, a `.sync-conflict-…` suffix and the folder in Windows' 260-char path.
pub const MAX_STEM_BYTES: usize = 120;

/// The stem used when nothing usable is left of a name.
pub const FALLBACK_STEM: &str = "Unnamed";

/// Every normalised way to name `contact`, as [`name_key`]s: what the name index and the
/// duplicate-name check compare.
pub fn name_keys(contact: &Contact) -> NameKeys {
    let path = slash_path(&contact.path);
    let aliases: Vec<String> = contact.aliases.iter().map(|a| name_key(a)).collect();
    let stem = name_key(&contact.stem);
    // Most notes are named after their person: one key for both, folded once.
    let name = (contact.name != contact.stem).then(|| name_key(&contact.name));
    NameKeys::new(
        &name_key(path.strip_suffix(".md").unwrap_or(&path)),
        &stem,
        name.as_deref().unwrap_or(&stem),
        &stem_key(&contact.path),
        aliases.iter().map(String::as_str),
    )
}

/// The contact's name keys: those computed when its note was read, else computed now
/// (contacts built by hand, in tests).
pub fn keys(contact: &Contact) -> Cow<'_, NameKeys> {
    if contact.keys.name().is_empty() && !contact.name.is_empty() {
        Cow::Owned(name_keys(contact))
    } else {
        Cow::Borrowed(&contact.keys)
    }
}

/// A stem as Obsidian compares link targets: case-blind, and blind to whether the file name
/// was stored composed (NFC) or decomposed (NFD), as macOS sync tools leave them.
pub fn stem_key(path: &Path) -> String {
    let Some(stem) = path.file_stem() else {
        return String::new();
    };
    let stem = stem.to_string_lossy();
    if stem.is_ascii() {
        return stem.to_ascii_lowercase(); // NFC changes nothing in ASCII
    }
    stem.nfc().collect::<String>().to_lowercase()
}

/// A person's name reduced for matching: accents dropped, lowercased, whitespace collapsed.
///
/// `José Núñez`, `Jose  Nunez` and the NFD spelling macOS file names use all give `jose nunez`.
pub fn name_key(s: &str) -> String {
    // Every note has five or more keys computed when it is read; most names are ASCII, where
    // folding is only lowercasing, done here without the Unicode passes and their copies.
    if s.is_ascii() {
        let mut key = String::with_capacity(s.len());
        for word in s.split_whitespace() {
            if !key.is_empty() {
                key.push(' ');
            }
            key.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        }
        return key;
    }
    unicode_name_key(s)
}

fn unicode_name_key(s: &str) -> String {
    folded_a_char_at_a_time(s).unwrap_or_else(|| folded_whole(s))
}

/// [`name_key`]'s folding as its definition says it: the text decomposed (NFD), its marks
/// dropped, lowercased, its words one space apart.
fn folded_whole(s: &str) -> String {
    let folded: String = s
        .nfd()
        .filter(|&c| !is_combining_mark(c))
        .collect::<String>()
        .to_lowercase();
    // Most names are spaced already: only those that are not are split and joined again.
    let spaced = !folded.starts_with(char::is_whitespace)
        && !folded.ends_with(char::is_whitespace)
        && !folded
            .split(' ')
            .any(|word| word.is_empty() || word.contains(char::is_whitespace));
    if spaced {
        return folded;
    }
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// [`folded_whole`] in one pass and one string: each character decomposed, its marks
/// dropped and the rest lowercased as it comes. Every note's names and links with an accent
/// are folded so, and the three passes and copies of the whole showed in a load's profile. The
/// same, as a property test checks, except where the whole string decides: `Σ` lowercases
/// by its place in a word, and canonical order moves characters of a combining class that
/// are not marks (none are, as of Unicode 16): for those, `None`.
fn folded_a_char_at_a_time(s: &str) -> Option<String> {
    let mut key = String::with_capacity(s.len());
    // A space is put between two words only once the second gives a character: a word of
    // marks alone is no word.
    let mut gap = false;
    let mut whole = true;
    for c in s.chars() {
        if c == 'Σ' {
            return None;
        }
        if c.is_whitespace() {
            gap = !key.is_empty();
            continue;
        }
        let mut push = |d: char| {
            if is_combining_mark(d) {
                return;
            }
            if unicode_normalization::char::canonical_combining_class(d) != 0 {
                whole = false;
            }
            if gap {
                key.push(' ');
                gap = false;
            }
            if d.is_ascii() {
                key.push(d.to_ascii_lowercase());
            } else {
                key.extend(d.to_lowercase());
            }
        };
        if c.is_ascii() {
            push(c);
        } else {
            unicode_normalization::char::decompose_canonical(c, push);
        }
    }
    whole.then_some(key)
}

/// A profile URL reduced for matching: `https://uk.linkedin.com/in/Ada-Example/?trk=x` and
/// `linkedin.com/in/ada-example` give the same key.
///
/// Lowercased, without scheme, `www.`, query, fragment or trailing slashes; the country
/// subdomains of `linkedin.com` (`uk.`, `de.`…) are dropped because they serve the same profile.
pub fn url_key(s: &str) -> String {
    // A URL holds no whitespace or invisible characters: a tab, a newline or a double space
    // pasted into one (or a CSV cell) must not make the same profile a new person.
    let mut url: String = s
        .chars()
        .filter(|&c| !c.is_whitespace() && !c.is_control() && !is_invisible(c))
        .collect::<String>()
        .to_lowercase();
    if let Some(end) = url.find(['?', '#']) {
        url.truncate(end);
    }
    let rest = match url.find("://") {
        Some(i) => &url[i + 3..],
        None => &url[..],
    };
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = match host.strip_suffix(".linkedin.com") {
        Some(sub) if sub.len() == 2 && sub.bytes().all(|b| b.is_ascii_lowercase()) => {
            "linkedin.com"
        }
        _ => host,
    };
    format!("{host}{}", path.trim_end_matches('/'))
}

/// Characters that show nothing, or change how the text around them shows, and that no name
/// or value needs: bidirectional embeddings, overrides and isolates, the zero-width space,
/// the word joiner, the byte-order mark, and Unicode's noncharacters (`U+FFFE`, `U+FFFF`…,
/// which YAML refuses). The zero-width joiner and non-joiner stay: emoji and several
/// scripts need them.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200b}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{2060}'
            | '\u{feff}'
            | '\u{fdd0}'..='\u{fdef}'
    ) || (u32::from(c) & 0xfffe) == 0xfffe
}

/// A file stem (no extension) that is valid and harmless on Windows, macOS and Linux.
///
/// - NFC normalised, so a name typed on Linux and one synced from macOS are the same file;
/// - characters Windows reserves (`<>:"/\|?*`) and Obsidian's link syntax (`#^[]`) replaced,
///   control characters removed, whitespace collapsed;
/// - no leading dot (hidden), no trailing dot or space (Windows drops them), never `..`;
/// - Windows device names (`CON`, `NUL`, `COM1`…, also `con.txt`) get a `_` so they stay files;
/// - at most [`MAX_STEM_BYTES`] bytes, cut at a character boundary;
/// - never empty: [`FALLBACK_STEM`] instead.
pub fn safe_file_stem(name: &str) -> String {
    let mut cleaned = String::with_capacity(name.len());
    for c in name.nfc() {
        match c {
            // Path separators and `:` (the old macOS separator) become a dash so that
            // `AC/DC` stays readable as `AC-DC`.
            '/' | '\\' | ':' | '|' => cleaned.push('-'),
            // `[[Ada #2]]` would link to a heading and `^` to a block: keep links working.
            '<' | '>' | '"' | '?' | '*' | '#' | '^' | '[' | ']' => cleaned.push(' '),
            c if c.is_control() => cleaned.push(' '),
            // A right-to-left override (U+202E) makes `Evil` + it + `dm.exe.md` show as a
            // program's name: never in a file name.
            c if is_invisible(c) => {}
            c => cleaned.push(c),
        }
    }
    let collapsed = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let trimmed = collapsed.trim_start_matches(['.', ' ']);
    let mut stem = truncate_stem(trimmed, MAX_STEM_BYTES);
    if is_reserved_device_name(&stem) {
        let base_end = stem.find('.').unwrap_or(stem.len());
        stem.insert(base_end, '_');
        stem = truncate_stem(&stem, MAX_STEM_BYTES);
    }
    if stem.is_empty() {
        FALLBACK_STEM.to_owned()
    } else {
        stem
    }
}

/// A note stem for `name` that `taken` does not report as existing.
///
/// Tries `Ada Example`, then `Ada Example (Acme)` when a `distinguishing` word such as the
/// company is given, then `Ada Example 2`, `Ada Example 3`… Every candidate is a
/// [`safe_file_stem`]. `taken` receives candidate stems; as macOS and Windows compare names
/// case-insensitively (and macOS also ignores normalisation), it should compare
/// [`collision_key`]s. The caller adds `.md`.
pub fn unique_file_name(
    stem: &str,
    distinguishing: Option<&str>,
    taken: &dyn Fn(&str) -> bool,
) -> String {
    let base = safe_file_stem(stem);
    let with_suffix = |suffix: &str| {
        let room = MAX_STEM_BYTES.saturating_sub(suffix.len());
        let mut candidate = truncate_stem(&base, room);
        candidate.push_str(suffix);
        // A suffix can't create a new problem except on a device name base (`CON 2` is fine;
        // `CON.x (Acme)` is not), so the whole candidate is made safe again.
        safe_file_stem(&candidate)
    };
    if !taken(&base) {
        return base;
    }
    if let Some(extra) = distinguishing.map(str::trim).filter(|d| !d.is_empty()) {
        let extra = safe_file_stem(extra);
        if extra != FALLBACK_STEM {
            let candidate = with_suffix(&format!(" ({extra})"));
            if !taken(&candidate) {
                return candidate;
            }
        }
    }
    (2..=u64::MAX)
        .map(|n| with_suffix(&format!(" {n}")))
        .find(|candidate| !taken(candidate))
        .expect("fewer than u64::MAX names are taken")
}

/// The form under which two stems name the same file on a case-insensitive, normalisation-
/// insensitive file system (macOS, Windows): NFC, then lowercased.
pub fn collision_key(stem: &str) -> String {
    stem.nfc().collect::<String>().to_lowercase()
}

/// `s` cut to at most `max` bytes at a character boundary, without a dangling combining mark
/// (which would render on the wrong letter) and without trailing dots or spaces.
fn truncate_stem(s: &str, max: usize) -> String {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let mut cut = &s[..end];
    if end < s.len() {
        // Cutting before a combining mark would separate it from its letter: drop the letter.
        let next = s[end..].chars().next();
        if next.is_some_and(is_combining_mark) {
            cut = cut.trim_end_matches(is_combining_mark);
            let mut chars = cut.chars();
            chars.next_back();
            cut = chars.as_str();
        }
    }
    cut.trim_end_matches(['.', ' ']).to_owned()
}

/// Windows device names, which refer to a device whatever the extension (`nul.md` too).
fn is_reserved_device_name(stem: &str) -> bool {
    let base = stem.split('.').next().unwrap_or(stem).trim_end();
    let upper = base.to_uppercase();
    match upper.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" => true,
        _ => {
            let Some(tail) = upper
                .strip_prefix("COM")
                .or_else(|| upper.strip_prefix("LPT"))
            else {
                return false;
            };
            let mut chars = tail.chars();
            // Windows also treats the superscript digits as port numbers.
            matches!(
                (chars.next(), chars.next()),
                (Some('0'..='9' | '¹' | '²' | '³'), None)
            )
        }
    }
}

/// How sure a file name alone makes us that a note is a sync tool's conflict copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// The tool says so in the name: Syncthing's `.sync-conflict-…`, Dropbox's
    /// `(… conflicted copy …)`, `(Case Conflict)`, `(Unicode Encoding Conflict)`.
    Certain,
    /// A name a person might also choose: iCloud's `Ada 2`, `OneDrive`'s `Ada-LAPTOP`. A
    /// copy only when the note beside it, under the original name, is the same person.
    IfSame,
}

/// The notes a file stem may be a sync tool's conflict copy of: each possible original stem,
/// with how sure the name makes us. Empty for ordinary names.
pub fn copy_of(stem: &str) -> Vec<(&str, Conflict)> {
    let mut originals = Vec::new();
    if let Some(i) = stem.find(".sync-conflict-") {
        originals.push((&stem[..i], Conflict::Certain));
    }
    // Dropbox's words, in either case and with a straight or typographic apostrophe:
    // `Ada (conflicted copy 2026-01-01)`, `Ada (Grace’s conflicted copy 2026-01-01)`,
    // `Ada (Case Conflict 1)`.
    if let Some(open) = stem.rfind(" (")
        && stem.ends_with(')')
    {
        let words = stem[open + 2..stem.len() - 1].to_lowercase();
        if [
            "conflicted copy",
            "case conflict",
            "unicode encoding conflict",
        ]
        .iter()
        .any(|w| words.contains(w))
        {
            originals.push((&stem[..open], Conflict::Certain));
        }
    }
    if let Some((base, n)) = stem.rsplit_once(' ')
        && !base.is_empty()
        && n.parse::<u16>().is_ok_and(|n| n >= 2)
    {
        originals.push((base, Conflict::IfSame));
    }
    // `OneDrive` appends the device's name, which may itself hold hyphens
    // (`today-DESKTOP-AB12CD`): every hyphen may start it.
    for (i, _) in stem.match_indices('-') {
        let device = &stem[i + 1..];
        if i > 0 && !device.is_empty() && !device.contains(' ') {
            originals.push((&stem[..i], Conflict::IfSame));
        }
    }
    originals
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn conflict_copies_are_named_with_their_original() {
        use Conflict::{Certain, IfSame};
        for (stem, original, how) in [
            ("Ada.sync-conflict-20260101-101010-ABCDEFG", "Ada", Certain),
            (
                "today.sync-conflict-20260302-081500-7QXK2AB",
                "today",
                Certain,
            ),
            ("Ada (conflicted copy 2026-01-01)", "Ada", Certain),
            ("Ada (Conflicted Copy 2026-01-01)", "Ada", Certain),
            ("Ada (Grace's conflicted copy 2026-01-01)", "Ada", Certain),
            (
                "Ada (Grace\u{2019}s conflicted copy 2026-01-01)",
                "Ada",
                Certain,
            ),
            ("Ada Quint (Case Conflict)", "Ada Quint", Certain),
            ("Ada Quint (Case Conflict 1)", "Ada Quint", Certain),
            ("José (Unicode Encoding Conflict)", "José", Certain),
            ("Ada 2", "Ada", IfSame),
            ("Ada Quint 3", "Ada Quint", IfSame),
            ("today-DESKTOP-AB12CD", "today", IfSame),
            ("today-DESKTOP-AB12CD", "today-DESKTOP", IfSame),
            ("Ada-LAPTOP", "Ada", IfSame),
        ] {
            assert!(
                copy_of(stem).contains(&(original, how)),
                "{stem}: {:?}",
                copy_of(stem)
            );
        }
        for stem in [
            "Ada",
            "Ada Quint",
            "Ada 1",
            "Louis (the XIV)",
            "2 Chainz",
            "-x",
            "Ada 0",
        ] {
            assert_eq!(copy_of(stem), [], "{stem}");
        }
    }

    #[test]
    fn accented_names_are_folded_a_char_at_a_time() {
        for (name, key) in [
            ("Mónica  Martínez", "monica martinez"),
            (" Åsa\tKristiansen ", "asa kristiansen"),
            ("Noël Dubois", "noel dubois"),
            ("İlkay a \u{301} b", "ilkay a b"),
            ("田中 大輔", "田中 大輔"),
        ] {
            assert_eq!(
                folded_a_char_at_a_time(name).as_deref(),
                Some(key),
                "{name}"
            );
        }
        assert_eq!(folded_a_char_at_a_time("ΟΔΥΣΣΕΥΣ"), None);
        assert_eq!(name_key("ΟΔΥΣΣΕΥΣ"), "οδυσσευς");
    }

    #[test]
    fn every_character_folds_a_char_at_a_time_as_the_whole_string_does() {
        let mut text = String::new();
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            for (before, after) in [("", ""), ("Ab \u{327}", "\u{301} σ")] {
                text.clear();
                text.push_str(before);
                text.push(c);
                text.push_str(after);
                if let Some(fast) = folded_a_char_at_a_time(&text) {
                    assert_eq!(fast, folded_whole(&text), "{text:?}");
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn the_ascii_shortcut_folds_as_the_unicode_path_does(s in "[ -~\t\n\x0b\x0c\r]{0,40}") {
            proptest::prop_assert_eq!(name_key(&s), unicode_name_key(&s));
        }

        #[test]
        fn a_char_at_a_time_folds_as_the_whole_string_does(
            s in "[ a-zA-Z0-9éÉñÑßİıΣσςÅåØÆœĲǅ\u{301}\u{308}\u{345}\u{3000}\u{a0}\u{1e9e}\u{2126}\u{212b}\u{fb01}\u{1f88}\u{ac00}\u{d7a3}\u{0f73}\u{0f75}\u{1b3b}\u{0e33}\t\n-]{0,30}",
            any in "\\PC{0,12}",
        ) {
            for s in [&s, &any] {
                let fast = folded_a_char_at_a_time(s);
                let sure = folded_whole(s);
                proptest::prop_assert!(fast.as_ref().is_none_or(|fast| *fast == sure), "{:?}", s);
                proptest::prop_assert_eq!(unicode_name_key(s), sure);
            }
        }

        #[test]
        fn names_already_spaced_are_folded_as_split_and_joined_ones(
            s in "[ a-zA-ZéÉñÑßİΣσ\u{301}\u{3000}\u{a0}\t\n]{0,30}"
        ) {
            let joined = s
                .nfd()
                .filter(|&c| !is_combining_mark(c))
                .collect::<String>()
                .to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            proptest::prop_assert_eq!(unicode_name_key(&s), joined);
        }
    }

    #[test]
    fn invisible_and_direction_changing_characters_never_reach_a_name() {
        for c in [
            '\u{202e}',
            '\u{2066}',
            '\u{200b}',
            '\u{feff}',
            '\u{ffff}',
            '\u{1fffe}',
        ] {
            assert!(is_invisible(c), "{c:?}");
        }
        for c in ['a', 'é', '\u{200d}', '\u{200c}', '日'] {
            assert!(!is_invisible(c), "{c:?}");
        }
        assert_eq!(safe_file_stem("Evil\u{202e}dm.exe"), "Evildm.exe");
        assert_eq!(
            url_key("https://www.linkedin.com/in/uma\tsample  /"),
            url_key("https://linkedin.com/in/umasample")
        );
    }

    #[test]
    fn name_keys_ignore_accents_case_and_spacing() {
        let nfc = "Jos\u{e9} N\u{fa}\u{f1}ez";
        let nfd = "Jose\u{301} Nu\u{301}n\u{303}ez";
        assert_eq!(name_key(nfc), "jose nunez");
        assert_eq!(name_key(nfd), "jose nunez");
        assert_eq!(name_key("  JOSE\t nunez \n"), "jose nunez");
        assert_eq!(name_key("Ada Example"), name_key("ada  EXAMPLE"));
    }

    #[test]
    fn linkedin_urls_reduce_to_host_and_path() {
        for url in [
            "https://www.linkedin.com/in/ada-example",
            "http://linkedin.com/in/ada-example/",
            "https://uk.linkedin.com/in/Ada-Example/?trk=public_profile#about",
            "www.linkedin.com/in/ada-example",
            "linkedin.com/in/ada-example",
            " HTTPS://WWW.LINKEDIN.COM/IN/ADA-EXAMPLE// ",
        ] {
            assert_eq!(url_key(url), "linkedin.com/in/ada-example", "{url}");
        }
        assert_eq!(
            url_key("https://example.org/ada/"),
            "example.org/ada",
            "other hosts keep their name"
        );
    }

    #[test]
    fn reserved_characters_are_replaced() {
        assert_eq!(safe_file_stem("AC/DC"), "AC-DC");
        assert_eq!(safe_file_stem(r"a\b:c|d"), "a-b-c-d");
        assert_eq!(safe_file_stem("Ada <Example> \"Q?\" *"), "Ada Example Q");
        assert_eq!(safe_file_stem("Ada [[Example]] #1 ^x"), "Ada Example 1 x");
        assert_eq!(safe_file_stem("Ada\u{0}\tExample\r\n"), "Ada Example");
    }

    #[test]
    fn windows_device_names_stay_files() {
        assert_eq!(safe_file_stem("CON"), "CON_");
        assert_eq!(safe_file_stem("con"), "con_");
        assert_eq!(safe_file_stem("Nul.txt"), "Nul_.txt");
        assert_eq!(safe_file_stem("lpt9"), "lpt9_");
        assert_eq!(safe_file_stem("COM¹"), "COM¹_");
        assert_eq!(safe_file_stem("Connie"), "Connie");
        assert_eq!(safe_file_stem("COM10"), "COM10");
    }

    #[test]
    fn dots_and_spaces_at_the_ends_are_removed() {
        assert_eq!(safe_file_stem("Ada Example Jr."), "Ada Example Jr");
        assert_eq!(safe_file_stem("Ada . . "), "Ada");
        assert_eq!(safe_file_stem(".hidden"), "hidden");
        assert_eq!(safe_file_stem("  Ada  "), "Ada");
    }

    #[test]
    fn paths_never_escape_the_folder() {
        assert_eq!(safe_file_stem("../x"), "-x");
        assert_eq!(safe_file_stem(".."), FALLBACK_STEM);
        assert_eq!(safe_file_stem("/etc/passwd"), "-etc-passwd");
        assert_eq!(safe_file_stem(r"C:\Users"), "C--Users");
    }

    #[test]
    fn empty_names_fall_back() {
        for name in ["", "   ", "???", "...", "\u{7}"] {
            assert_eq!(safe_file_stem(name), FALLBACK_STEM, "{name:?}");
        }
    }

    #[test]
    fn long_names_are_cut_at_a_character_boundary() {
        let long = "Ünïcødé Sämplé ".repeat(20);
        let stem = safe_file_stem(&long);
        assert!(stem.len() <= MAX_STEM_BYTES, "{} bytes", stem.len());
        assert!(long.starts_with(&stem));
        assert!(!stem.ends_with(' '));

        // 3-byte characters: 120 is a multiple of 3, 119 is not.
        let cjk = "名".repeat(100);
        assert_eq!(safe_file_stem(&cjk), "名".repeat(40));
        let offset = format!("a{cjk}");
        assert_eq!(safe_file_stem(&offset), format!("a{}", "名".repeat(39)));
    }

    #[test]
    fn cutting_never_leaves_a_combining_mark_alone() {
        // `x̃` that cannot be composed: the mark stays a separate char after NFC.
        let name = format!("{}x\u{303}yz", "a".repeat(MAX_STEM_BYTES - 2));
        let stem = safe_file_stem(&name);
        assert_eq!(stem, "a".repeat(MAX_STEM_BYTES - 2));
    }

    #[test]
    fn nfd_input_becomes_nfc() {
        let nfd = "Rene\u{301}e Sample";
        assert_eq!(safe_file_stem(nfd), "Ren\u{e9}e Sample");
    }

    fn taken_set(names: &[&str]) -> HashSet<String> {
        names.iter().map(|n| collision_key(n)).collect()
    }

    #[test]
    fn a_free_name_is_used_as_is() {
        let taken = taken_set(&["Grace Sample"]);
        let is_taken = |s: &str| taken.contains(&collision_key(s));
        assert_eq!(
            unique_file_name("Ada Example", Some("Acme"), &is_taken),
            "Ada Example"
        );
    }

    #[test]
    fn collisions_try_the_company_then_numbers() {
        let taken = taken_set(&["ada example"]);
        let is_taken = |s: &str| taken.contains(&collision_key(s));
        assert_eq!(
            unique_file_name("Ada Example", Some("Acme"), &is_taken),
            "Ada Example (Acme)"
        );
        assert_eq!(
            unique_file_name("Ada Example", None, &is_taken),
            "Ada Example 2"
        );
        assert_eq!(
            unique_file_name("Ada Example", Some("  "), &is_taken),
            "Ada Example 2"
        );

        let taken = taken_set(&["Ada Example", "ADA EXAMPLE (acme)", "Ada Example 2"]);
        let is_taken = |s: &str| taken.contains(&collision_key(s));
        assert_eq!(
            unique_file_name("Ada Example", Some("Acme"), &is_taken),
            "Ada Example 3"
        );
    }

    #[test]
    fn collisions_ignore_normalisation() {
        let taken = taken_set(&["Rene\u{301}e Sample"]);
        let is_taken = |s: &str| taken.contains(&collision_key(s));
        assert_eq!(
            unique_file_name("Ren\u{e9}e Sample", None, &is_taken),
            "Ren\u{e9}e Sample 2"
        );
    }

    #[test]
    fn suffixes_fit_in_the_length_limit() {
        let long = "x".repeat(200);
        let is_taken = |s: &str| s.len() == MAX_STEM_BYTES && !s.contains(' ');
        let stem = unique_file_name(&long, Some("A/Company"), &is_taken);
        assert_eq!(stem, format!("{} (A-Company)", "x".repeat(108)));
        assert!(stem.len() <= MAX_STEM_BYTES);
    }
}
