//! The invitations you sent without a personal message, as `import linkedin` saves them for
//! `check` and index.md to show.
//!
//! Kept as a plain CSV in the tool's folder, not in a note: it is LinkedIn's list, replaced
//! whole by each import, and the user may read or delete it like any other text file. A
//! missing or garbled file only means nothing is shown: it never stops a command.

use std::path::Path;

use chrono::NaiveDate;

use super::{Invitation, non_empty};
use crate::model::date::format_date;

/// Where the list is kept, vault-relative.
pub const FILE: &str = ".vault-reach/invitations.csv";

const HEADER: [&str; 3] = ["to", "profile url", "sent"];

/// The list as the file holds it: a header, then one invitation a row (`sent` as YYYY-MM-DD).
pub fn to_csv(invitations: &[Invitation]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let rows = invitations.iter().map(|i| {
        [
            i.to.clone(),
            i.profile_url.clone().unwrap_or_default(),
            i.sent.map(format_date).unwrap_or_default(),
        ]
    });
    // Writing to a Vec cannot fail, and every field is a valid UTF-8 string.
    writer.write_record(HEADER).expect("writing to memory");
    for row in rows {
        writer.write_record(&row).expect("writing to memory");
    }
    String::from_utf8(writer.into_inner().expect("writing to memory")).expect("UTF-8 in, UTF-8 out")
}

/// The invitations in a file written by [`to_csv`]; rows without a name are left out.
pub fn from_csv(text: &str) -> Vec<Invitation> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .filter_map(Result::ok)
        .filter_map(|row| {
            Some(Invitation {
                to: non_empty(row.get(0)?)?,
                profile_url: row.get(1).and_then(non_empty),
                sent: row.get(2).and_then(|d| d.trim().parse::<NaiveDate>().ok()),
            })
        })
        .collect()
}

/// The list saved in `vault`, empty when there is none or it cannot be read.
pub fn load(vault: &Path) -> Vec<Invitation> {
    std::fs::read_to_string(vault.join(FILE))
        .map(|text| from_csv(&text))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitations_round_trip_through_the_file() {
        let invitations = vec![
            Invitation {
                to: "Ada Example, PhD".into(),
                profile_url: Some("https://www.linkedin.com/in/ada-example".into()),
                sent: Some("2018-01-08".parse().unwrap()),
            },
            Invitation {
                to: "Grace \"G\" Sample".into(),
                profile_url: None,
                sent: None,
            },
        ];
        let text = to_csv(&invitations);
        assert_eq!(
            text,
            "to,profile url,sent\n\
             \"Ada Example, PhD\",https://www.linkedin.com/in/ada-example,2018-01-08\n\
             \"Grace \"\"G\"\" Sample\",,\n"
        );
        assert_eq!(from_csv(&text), invitations);
    }

    #[test]
    fn a_garbled_file_gives_what_can_be_read() {
        assert_eq!(
            from_csv("to,profile url,sent\n,,\nAda,,not a date\n"),
            vec![Invitation {
                to: "Ada".into(),
                profile_url: None,
                sent: None
            }]
        );
        assert!(from_csv("").is_empty());
    }
}
