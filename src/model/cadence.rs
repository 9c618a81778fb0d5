//! How often to reach someone: a cadence, and the calendar span it is made of.

use std::fmt;
use std::str::FromStr;

use chrono::{Months, NaiveDate};

/// How often to reach someone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Cadence {
    Never,
    Every(Span),
}

/// A calendar span: days, or months (years are twelve months).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Span {
    Days(u32),
    Months(u32),
}

impl Span {
    /// `date` + this span; months are calendar months, clamped to the month's end
    /// (Aug 31 + 6 months = Feb 28).
    pub fn after(self, date: NaiveDate) -> NaiveDate {
        match self {
            // Past the calendar's end is "never" in practice: saturate rather than panic.
            Span::Days(n) => date
                .checked_add_days(chrono::Days::new(u64::from(n)))
                .unwrap_or(NaiveDate::MAX),
            Span::Months(n) => date
                .checked_add_months(Months::new(n))
                .unwrap_or(NaiveDate::MAX),
        }
    }

    /// `date` − this span (used for "how many workdays in one cadence").
    pub fn before(self, date: NaiveDate) -> NaiveDate {
        match self {
            Span::Days(n) => date
                .checked_sub_days(chrono::Days::new(u64::from(n)))
                .unwrap_or(NaiveDate::MIN),
            Span::Months(n) => date
                .checked_sub_months(Months::new(n))
                .unwrap_or(NaiveDate::MIN),
        }
    }
}

impl fmt::Display for Cadence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cadence::Never => f.write_str("never"),
            Cadence::Every(Span::Days(n)) if n % 7 == 0 => plural(f, n / 7, "week"),
            Cadence::Every(Span::Days(n)) => plural(f, *n, "day"),
            Cadence::Every(Span::Months(n)) if n % 12 == 0 => plural(f, n / 12, "year"),
            Cadence::Every(Span::Months(n)) => plural(f, *n, "month"),
        }
    }
}

fn plural(f: &mut fmt::Formatter<'_>, n: u32, unit: &str) -> fmt::Result {
    if n == 1 {
        write!(f, "1 {unit}")
    } else {
        write!(f, "{n} {unit}s")
    }
}

/// The longest cadence read: a person reached less often than once a century is paused, and
/// spans beyond it only overflow the calendar (`cadence: 100000000 days` in a note).
pub const MAX_YEARS: u32 = 100;

/// Why a cadence could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadCadence {
    #[error(
        "`{0}` is not a cadence: write a number and a unit (`6 months`, `90 days`, `2 weeks`, `1 year`), \
         a word (`weekly`, `monthly`, `quarterly`, `yearly`) or `never`"
    )]
    Unreadable(String),
    #[error(
        "`{0}` is longer than {MAX_YEARS} years; write `never` to pause reaching out to someone"
    )]
    TooLong(String),
}

impl FromStr for Cadence {
    type Err = BadCadence;

    /// Reads `6 months`, `90 days`, `2 weeks`, `1 year`, `30d`, `2w`, `3mo`, `1y`, the words
    /// other tools write (`Weekly`, `Bi-Weekly`, `Monthly`, `Quarterly`…) and `never`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || BadCadence::Unreadable(text.to_owned());
        let lower = text.trim().to_lowercase();
        if lower.starts_with(['-', '+']) {
            return Err(bad());
        }
        let word = lower.replace(['-', '_', ' '], "");
        let span = match word.as_str() {
            "never" | "none" | "off" | "paused" => return Ok(Cadence::Never),
            "daily" => Span::Days(1),
            "weekly" => Span::Days(7),
            "biweekly" | "fortnightly" => Span::Days(14),
            "monthly" => Span::Months(1),
            "bimonthly" => Span::Months(2),
            "quarterly" => Span::Months(3),
            "semiannually" | "semiannual" | "biannually" | "halfyearly" => Span::Months(6),
            "yearly" | "annually" | "annual" => Span::Months(12),
            _ => {
                let digits = word
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(word.len());
                let (number, unit) = word.split_at(digits);
                // "every 6 months" is how people talk; accept it.
                let (number, unit) = if number.is_empty() {
                    let rest = word.strip_prefix("every").ok_or_else(bad)?;
                    let digits = rest
                        .find(|c: char| !c.is_ascii_digit())
                        .unwrap_or(rest.len());
                    rest.split_at(digits)
                } else {
                    (number, unit)
                };
                let n: u32 = number.parse().map_err(|_| bad())?;
                if n == 0 {
                    return Err(bad());
                }
                match unit {
                    "" | "d" | "day" | "days" => Span::Days(n),
                    "w" | "wk" | "wks" | "week" | "weeks" => {
                        Span::Days(n.checked_mul(7).ok_or_else(bad)?)
                    }
                    "m" | "mo" | "mon" | "month" | "months" => Span::Months(n),
                    "y" | "yr" | "yrs" | "year" | "years" => {
                        Span::Months(n.checked_mul(12).ok_or_else(bad)?)
                    }
                    _ => return Err(bad()),
                }
            }
        };
        let too_long = match span {
            Span::Days(n) => n > MAX_YEARS * 366,
            Span::Months(n) => n > MAX_YEARS * 12,
        };
        if too_long {
            return Err(BadCadence::TooLong(text.trim().to_owned()));
        }
        Ok(Cadence::Every(span))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn cadences_read_every_common_spelling() {
        for (text, expected) in [
            ("6 months", Cadence::Every(Span::Months(6))),
            ("90 days", Cadence::Every(Span::Days(90))),
            ("2 weeks", Cadence::Every(Span::Days(14))),
            ("1 year", Cadence::Every(Span::Months(12))),
            ("30d", Cadence::Every(Span::Days(30))),
            ("3mo", Cadence::Every(Span::Months(3))),
            ("Monthly", Cadence::Every(Span::Months(1))),
            ("quarterly", Cadence::Every(Span::Months(3))),
            ("Bi-Weekly", Cadence::Every(Span::Days(14))),
            ("every 2 weeks", Cadence::Every(Span::Days(14))),
            ("never", Cadence::Never),
            ("45", Cadence::Every(Span::Days(45))),
        ] {
            assert_eq!(text.parse::<Cadence>(), Ok(expected), "{text}");
        }
    }

    #[test]
    fn cadences_beyond_a_century_are_refused_not_overflowed() {
        // Issue 12: these made every command panic on the calendar's overflow.
        for text in ["100000000 days", "3000000000", "200 years", "1300 months"] {
            assert!(
                matches!(text.parse::<Cadence>(), Err(BadCadence::TooLong(_))),
                "{text}"
            );
        }
        assert_eq!(
            "100 years".parse::<Cadence>(),
            Ok(Cadence::Every(Span::Months(1200)))
        );
        assert_eq!(
            Span::Days(u32::MAX).after(date("2026-01-01")),
            NaiveDate::MAX
        );
        assert_eq!(
            Span::Days(u32::MAX).before(date("2026-01-01")),
            NaiveDate::MIN
        );
    }

    #[test]
    fn nonsense_cadences_are_refused() {
        for text in ["", "soon", "0 days", "6 fortnights", "-3 days"] {
            assert!(text.parse::<Cadence>().is_err(), "{text}");
        }
    }

    #[test]
    fn cadences_display_in_their_natural_unit() {
        assert_eq!(Cadence::Every(Span::Months(6)).to_string(), "6 months");
        assert_eq!(Cadence::Every(Span::Months(12)).to_string(), "1 year");
        assert_eq!(Cadence::Every(Span::Days(14)).to_string(), "2 weeks");
        assert_eq!(Cadence::Every(Span::Days(1)).to_string(), "1 day");
    }

    #[test]
    fn month_spans_clamp_to_the_end_of_the_month() {
        assert_eq!(
            Span::Months(6).after(date("2025-08-31")),
            date("2026-02-28")
        );
        assert_eq!(
            Span::Months(12).after(date("2024-02-29")),
            date("2025-02-28")
        );
        assert_eq!(Span::Days(14).after(date("2026-01-10")), date("2026-01-24"));
    }
}
