//! A birthday, with or without its year.

use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

/// A birthday, with or without the year (`--08-17`, `XXXX-08-17` and `08-17` have none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Birthday {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
}

impl Birthday {
    /// The next day on or after `today` that is this birthday (Feb 29 falls on Feb 28 in
    /// common years).
    pub fn next_on_or_after(self, today: NaiveDate) -> NaiveDate {
        let in_year = |year: i32| {
            NaiveDate::from_ymd_opt(year, self.month, self.day)
                .or_else(|| NaiveDate::from_ymd_opt(year, self.month, self.day - 1))
                .unwrap_or(today)
        };
        let this_year = in_year(today.year());
        if this_year >= today {
            this_year
        } else {
            in_year(today.year() + 1)
        }
    }
}

impl FromStr for Birthday {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, ()> {
        let text = text.trim();
        let (year, rest) = if let Some(rest) = text.strip_prefix("--") {
            (None, rest)
        } else if let Some(rest) = text
            .strip_prefix("XXXX-")
            .or_else(|| text.strip_prefix("xxxx-"))
        {
            (None, rest)
        } else if text.len() == 5 {
            (None, text)
        } else {
            let date = super::date::parse_date(text).ok_or(())?;
            return Ok(Birthday {
                year: Some(date.year()),
                month: date.month(),
                day: date.day(),
            });
        };
        let rest = rest.replace('-', "");
        if rest.len() != 4 || !rest.bytes().all(|b| b.is_ascii_digit()) {
            return Err(());
        }
        let month = rest[..2].parse().map_err(|_| ())?;
        let day = rest[2..].parse().map_err(|_| ())?;
        // 2000 is a leap year, so Feb 29 is accepted.
        NaiveDate::from_ymd_opt(2000, month, day).ok_or(())?;
        Ok(Birthday { year, month, day })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn birthdays_read_with_and_without_year() {
        let b = |y, m, d| {
            Ok(Birthday {
                year: y,
                month: m,
                day: d,
            })
        };
        assert_eq!("1980-08-17".parse(), b(Some(1980), 8, 17));
        assert_eq!("--08-17".parse(), b(None, 8, 17));
        assert_eq!("XXXX-08-17".parse(), b(None, 8, 17));
        assert_eq!("08-17".parse(), b(None, 8, 17));
        assert_eq!("--0817".parse(), b(None, 8, 17));
        assert!("13-40".parse::<Birthday>().is_err());
    }

    #[test]
    fn the_next_birthday_wraps_into_next_year() {
        let bd = Birthday {
            year: None,
            month: 1,
            day: 3,
        };
        assert_eq!(bd.next_on_or_after(date("2026-12-30")), date("2027-01-03"));
        let leap = Birthday {
            year: Some(2000),
            month: 2,
            day: 29,
        };
        assert_eq!(
            leap.next_on_or_after(date("2026-02-01")),
            date("2026-02-28")
        );
    }
}
