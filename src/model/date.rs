//! Reading and writing calendar dates the way notes spell them.

use chrono::NaiveDate;

/// Reads `YYYY-MM-DD`, optionally followed by a time (`T10:00`, ` 10:00:00`, `T10:00Z`…),
/// which is read as its date; also Obsidian's `[[YYYY-MM-DD]]` link to a daily note.
/// Surrounding quotes and spaces are ignored. Anything else is `None`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    let text = text
        .strip_prefix("[[")
        .and_then(|t| t.strip_suffix("]]"))
        .unwrap_or(text);
    let bytes = text.as_bytes();
    if bytes.len() < 10 {
        return None;
    }
    // `get`: byte 10 may fall inside a multi-byte character of a free-text value.
    let rest = text.get(10..)?;
    if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ') || rest.starts_with('t'))
    {
        return None;
    }
    if bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    // By hand rather than chrono's `parse_from_str`: every note has several dates, and the
    // format-string machinery showed in profiles of a 30,000-note scan.
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        bytes[range].iter().try_fold(0u32, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    let year = i32::try_from(number(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)
}

/// `2026-03-02`.
pub fn format_date(date: NaiveDate) -> String {
    use chrono::Datelike as _;
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_date_times_read_as_dates() {
        let d = NaiveDate::from_ymd_opt(2024, 5, 1);
        for text in [
            "2024-05-01",
            " 2024-05-01 ",
            "\"2024-05-01\"",
            "'2024-05-01'",
            "2024-05-01T10:00",
            "2024-05-01 10:00:00",
            "2024-05-01T10:00:00Z",
            "[[2024-05-01]]",
        ] {
            assert_eq!(parse_date(text), d, "{text}");
        }
    }

    #[test]
    fn dates_format_as_iso() {
        for text in ["2024-05-01", "0999-12-31", "2026-03-02"] {
            assert_eq!(format_date(parse_date(text).unwrap()), text);
        }
    }

    #[test]
    fn other_date_shapes_are_refused() {
        for text in [
            "",
            "2024",
            "03/02/2024",
            "March 2, 2024",
            "2024-13-01",
            "2024-05-01x",
            "2024/05/01",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }
}
