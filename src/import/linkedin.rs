//! The LinkedIn data export: `Connections.csv`, `Recommendations_Given.csv`, `Invitations.csv`.
//!
//! LinkedIn changes these files without notice (a `Notes:` preamble appeared, `URL` was added,
//! date formats changed), so headers are found by their column names, columns are mapped by
//! name, and every date form seen in the wild is read. The parsers take text and never open
//! files; [`read_export`] is the only function here that touches the disk.

use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::Path;

use chrono::NaiveDate;
use csv::StringRecord;

use super::{
    ImportError, Invitation, LinkedInExport, Person, Recommendation, Skipped, Source, non_empty,
};

/// Exports are a few MB; anything far larger in a zip is not ours, or a zip bomb.
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// How deep in an unpacked export folder the CSV files are looked for. Exports nest at most one
/// folder; a small limit keeps a mistaken `import linkedin ~` from walking the whole home.
const MAX_FOLDER_DEPTH: usize = 3;

/// Reads the export at `path`: the zip LinkedIn sends, its unpacked folder, or a lone
/// `Connections.csv` (any other single file is read as connections too).
///
/// File names are matched case-insensitively, in any subfolder; when a name occurs twice the
/// shallowest wins. `Connections.csv` is required, the other two files are optional.
pub fn read_export(path: &Path) -> Result<LinkedInExport, ImportError> {
    let files = if path.is_dir() {
        files_in_folder(path)?
    } else if is_zip(path)? {
        files_in_zip(path)?
    } else {
        let text = read_text_file(path)?;
        let label = file_label(path);
        ExportFiles {
            connections: Some(Found { label, text }),
            ..ExportFiles::default()
        }
    };
    let Some(connections) = files.connections else {
        return Err(ImportError::NoConnections(path.to_path_buf()));
    };
    let (people, mut skipped) = parse_connections(&connections.text, &connections.label);
    let mut export = LinkedInExport {
        people,
        ..LinkedInExport::default()
    };
    if let Some(found) = files.recommendations {
        let (recommendations, more) = parse_recommendations(&found.text, &found.label);
        export.recommendations = recommendations;
        skipped.extend(more);
    }
    if let Some(found) = files.invitations {
        let (invitations, more) = parse_invitations(&found.text, &found.label);
        export.invitations_without_message = invitations;
        export.has_invitations = true;
        skipped.extend(more);
    }
    if let Some(found) = files.messages {
        let (messages, more) = parse_messages(&found.text, &found.label);
        export.messages = messages;
        skipped.extend(more);
    }
    if let Some(found) = files.profile {
        export.owner = parse_profile(&found.text, &found.label);
    }
    export.skipped = skipped;
    Ok(export)
}

/// One message of `messages.csv`, its content left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    /// `messages.csv:12`.
    pub origin: String,
    pub date: NaiveDate,
    pub from_name: String,
    pub from_url: Option<String>,
    pub to_names: Vec<String>,
    pub to_urls: Vec<String>,
}

/// Who the export's owner is, to tell their messages from the others': their profile
/// (`[me] linkedin`), else their name (`Profile.csv`).
#[derive(Debug, Clone, Default)]
pub struct Owner {
    pub url: Option<String>,
    pub name: Option<String>,
}

/// What `messages.csv` says, contact by contact: the days you wrote them and they wrote you.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct MessagesPlan {
    pub found: std::collections::BTreeMap<
        usize,
        std::collections::BTreeSet<(NaiveDate, crate::model::LogKind)>,
    >,
    /// Messages to or from nobody in the vault, and group messages to more than
    /// [`super::mail::MAX_RECIPIENTS`].
    pub nobody: usize,
    pub crowds: usize,
}

/// Decides what each message means. People are found by profile URL (`by_url`, keys as
/// [`crate::names::url_key`] makes them), then by name (`by_name`: only names one note has).
pub fn plan_messages<S: std::hash::BuildHasher, T: std::hash::BuildHasher>(
    messages: &[Message],
    owner: &Owner,
    by_url: &HashMap<String, usize, S>,
    by_name: &HashMap<String, usize, T>,
) -> MessagesPlan {
    use crate::model::LogKind;
    use crate::names::{name_key, url_key};
    let owner_url = owner.url.as_deref().map(url_key);
    let owner_name = owner.name.as_deref().map(name_key);
    let is_owner = |url: Option<&str>, name: &str| match (&owner_url, url) {
        (Some(mine), Some(url)) => *mine == url_key(url),
        _ => owner_name
            .as_deref()
            .is_some_and(|mine| mine == name_key(name)),
    };
    let find = |url: Option<&str>, name: &str| {
        url.and_then(|u| by_url.get(&url_key(u)).copied())
            .or_else(|| by_name.get(&name_key(name)).copied())
    };
    let mut out = MessagesPlan::default();
    for m in messages {
        if m.to_names.len().max(m.to_urls.len()) > super::mail::MAX_RECIPIENTS {
            out.crowds += 1;
            continue;
        }
        let (people, kind): (Vec<Option<usize>>, LogKind) =
            if is_owner(m.from_url.as_deref(), &m.from_name) {
                let count = m.to_names.len().max(m.to_urls.len());
                let people = (0..count)
                    .map(|i| {
                        find(
                            m.to_urls.get(i).map(String::as_str),
                            m.to_names.get(i).map_or("", String::as_str),
                        )
                    })
                    .collect();
                (people, LogKind::Outreach)
            } else {
                (
                    vec![find(m.from_url.as_deref(), &m.from_name)],
                    LogKind::Reply,
                )
            };
        let people: Vec<usize> = people.into_iter().flatten().collect();
        if people.is_empty() {
            out.nobody += 1;
            continue;
        }
        for contact in people {
            out.found.entry(contact).or_default().insert((m.date, kind));
        }
    }
    out
}

/// The messages of `messages.csv`: who wrote to whom, when. Their content is never kept.
/// `FROM` and `DATE` are required; the profile URL columns are used when there.
pub fn parse_messages(csv_text: &str, file_label: &str) -> (Vec<Message>, Vec<Skipped>) {
    let table = match Table::read(csv_text, file_label, &["from", "date"]) {
        Ok(table) => table,
        Err(skipped) => return (Vec::new(), vec![skipped]),
    };
    let split = |cell: &str| -> Vec<String> {
        cell.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let mut messages = Vec::new();
    let mut skipped = table.errors.clone();
    for (line, row) in &table.rows {
        let origin = format!("{file_label}:{line}");
        let Some(date) = parse_linkedin_date(table.get(row, "date")) else {
            skipped.push(Skipped {
                origin,
                reason: format!("`DATE` `{}` is not a date", table.get(row, "date")),
            });
            continue;
        };
        messages.push(Message {
            origin,
            date,
            from_name: table.get(row, "from").to_owned(),
            from_url: non_empty(table.get(row, "sender profile url")),
            to_names: split(table.get(row, "to")),
            to_urls: split(table.get(row, "recipient profile urls")),
        });
    }
    (messages, skipped)
}

/// The export's owner as `Profile.csv` names them: `First Name` and `Last Name`.
fn parse_profile(csv_text: &str, file_label: &str) -> Option<String> {
    let table = Table::read(csv_text, file_label, &["first name", "last name"]).ok()?;
    let (_, row) = table.rows.first()?;
    let name = [table.get(row, "first name"), table.get(row, "last name")]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    (!name.is_empty()).then_some(name)
}

/// People from `Connections.csv`, and the rows that were skipped (empty, or without a name).
///
/// `file_label` starts each origin: `Connections.csv:12` is the row on CSV line 12.
pub fn parse_connections(csv_text: &str, file_label: &str) -> (Vec<Person>, Vec<Skipped>) {
    let table = match Table::read(csv_text, file_label, &["first name", "last name"]) {
        Ok(table) => table,
        Err(skipped) => return (Vec::new(), vec![skipped]),
    };
    let mut people = Vec::new();
    let mut skipped = table.errors.clone();
    for (line, row) in &table.rows {
        let origin = format!("{file_label}:{line}");
        let first = table.get(row, "first name");
        let last = table.get(row, "last name");
        let full_name = [first, last]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        if full_name.is_empty() {
            let reason = if row.iter().all(|cell| cell.trim().is_empty()) {
                "empty row"
            } else {
                // LinkedIn blanks members who left or restricted their profile.
                "no name (the member may have left LinkedIn or hidden their profile)"
            };
            skipped.push(Skipped {
                origin,
                reason: reason.to_owned(),
            });
            continue;
        }
        let mut person = Person::named(first, last, &full_name, Source::LinkedIn, origin);
        person.linkedin = non_empty(table.get(row, "url"));
        person.email = non_empty(table.get(row, "email address"));
        person.emails = person.email.iter().cloned().collect();
        person.company = non_empty(table.get(row, "company"));
        person.role = non_empty(table.get(row, "position"));
        let connected = table.get(row, "connected on");
        if !connected.is_empty() {
            person.connected_on = parse_linkedin_date(connected);
            if person.connected_on.is_none() {
                person
                    .warnings
                    .push(format!("`Connected On` `{connected}` is not a date"));
            }
        }
        people.push(person);
    }
    (people, skipped)
}

/// The recommendations you gave (`Recommendations_Given.csv`), whatever their status.
///
/// A row without a name or a readable `Creation Date` is skipped with its reason.
pub fn parse_recommendations(
    csv_text: &str,
    file_label: &str,
) -> (Vec<Recommendation>, Vec<Skipped>) {
    let table = match Table::read(csv_text, file_label, &["first name", "last name"]) {
        Ok(table) => table,
        Err(skipped) => return (Vec::new(), vec![skipped]),
    };
    let mut recommendations = Vec::new();
    let mut skipped = table.errors.clone();
    for (line, row) in &table.rows {
        let mut skip = |reason: String| {
            skipped.push(Skipped {
                origin: format!("{file_label}:{line}"),
                reason,
            });
        };
        let full_name = [table.get(row, "first name"), table.get(row, "last name")]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        if full_name.is_empty() {
            skip("no name".to_owned());
            continue;
        }
        let created = table.get(row, "creation date");
        let Some(date) = parse_linkedin_date(created) else {
            skip(format!(
                "recommendation of {full_name}: `Creation Date` `{created}` is not a date"
            ));
            continue;
        };
        recommendations.push(Recommendation {
            full_name,
            company: non_empty(table.get(row, "company")),
            date,
        });
    }
    (recommendations, skipped)
}

/// The outgoing invitations of `Invitations.csv` that were sent without a personal message.
///
/// Incoming invitations and those with a message are left out silently: they are not
/// problems, just not what the import reports. `To`, `Direction` and `Message` are required
/// columns, since without them "outgoing, no message" can't be told.
pub fn parse_invitations(csv_text: &str, file_label: &str) -> (Vec<Invitation>, Vec<Skipped>) {
    let table = match Table::read(csv_text, file_label, &["to", "direction", "message"]) {
        Ok(table) => table,
        Err(skipped) => return (Vec::new(), vec![skipped]),
    };
    let mut invitations = Vec::new();
    let mut skipped = table.errors.clone();
    for (line, row) in &table.rows {
        let is_outgoing = table.get(row, "direction").eq_ignore_ascii_case("outgoing");
        if !is_outgoing || !table.get(row, "message").is_empty() {
            continue;
        }
        let Some(to) = non_empty(table.get(row, "to")) else {
            skipped.push(Skipped {
                origin: format!("{file_label}:{line}"),
                reason: "invitation without a name in `To`".to_owned(),
            });
            continue;
        };
        invitations.push(Invitation {
            to,
            profile_url: non_empty(table.get(row, "inviteeprofileurl")),
            sent: parse_linkedin_date(table.get(row, "sent at")),
        });
    }
    (invitations, skipped)
}

/// A date as LinkedIn writes it in any of its exports: `12 Mar 2021`, `1/8/18, 6:14 PM`,
/// `01/08/2018 06:14 PM` (month first), `Mar 12, 2021`, `2021-03-12 18:14:00 UTC`.
///
/// Two-digit years are 20xx: LinkedIn did not exist before 2003.
pub fn parse_linkedin_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if let Some(date) = crate::model::date::parse_date(text) {
        return Some(date);
    }
    for format in ["%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y"] {
        if let Ok(date) = NaiveDate::parse_from_str(text, format) {
            return Some(date);
        }
    }
    let date_part = text.split([',', ' ']).next()?;
    let mut parts = date_part.split('/').map(str::parse::<u32>);
    let (Some(Ok(month)), Some(Ok(day)), Some(Ok(year)), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let year = if year < 100 { 2000 + year } else { year };
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// A CSV file whose header row was found by name, with its data rows and their line numbers.
struct Table {
    /// Lowercased, trimmed column name → index.
    columns: HashMap<String, usize>,
    rows: Vec<(u64, StringRecord)>,
    /// Rows the CSV reader could not read.
    errors: Vec<Skipped>,
}

impl Table {
    /// Finds the first row holding all `required` column names (lowercase) and takes the rows
    /// after it. Anything before the header (LinkedIn's `Notes:` preamble) is ignored.
    fn read(csv_text: &str, file_label: &str, required: &[&str]) -> Result<Table, Skipped> {
        let text = csv_text.strip_prefix('\u{feff}').unwrap_or(csv_text);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true) // the preamble has fewer columns than the table
            .from_reader(text.as_bytes());
        let mut lines = LineCounter::new(text);
        let mut columns: Option<HashMap<String, usize>> = None;
        let mut rows = Vec::new();
        let mut errors = Vec::new();
        for result in reader.records() {
            let record = match result {
                Ok(record) => record,
                Err(err) => {
                    let line = err.position().map_or(0, |p| lines.line_at(p));
                    errors.push(Skipped {
                        origin: format!("{file_label}:{line}"),
                        reason: format!("not readable as CSV: {err}"),
                    });
                    continue;
                }
            };
            let line = record.position().map_or(0, |p| lines.line_at(p));
            if columns.is_some() {
                rows.push((line, record));
                continue;
            }
            let names: HashMap<String, usize> = record
                .iter()
                .enumerate()
                .map(|(i, name)| (name.trim().to_lowercase(), i))
                .collect();
            if required.iter().all(|name| names.contains_key(*name)) {
                columns = Some(names);
            }
        }
        let Some(columns) = columns else {
            let names = required
                .iter()
                .map(|name| format!("`{}`", title_case(name)))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(Skipped {
                origin: file_label.to_owned(),
                reason: format!("no header row with the columns {names}"),
            });
        };
        Ok(Table {
            columns,
            rows,
            errors,
        })
    }

    /// The trimmed cell of column `name` (lowercase), or `""` when the export lacks it.
    fn get<'r>(&self, row: &'r StringRecord, name: &str) -> &'r str {
        self.columns
            .get(name)
            .and_then(|&i| row.get(i))
            .map_or("", str::trim)
    }
}

/// Line numbers from csv positions. csv's own `Position::line` lags by one after a CRLF (the
/// record starts at the `\n` of the previous line's end), so lines are counted in the text.
struct LineCounter<'t> {
    text: &'t str,
    offset: usize,
    line: u64,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t str) -> Self {
        LineCounter {
            text,
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line where the record at `position` starts; positions must not go back.
    #[allow(
        clippy::naive_bytecount,
        reason = "each byte is counted once per file; not worth the bytecount crate"
    )]
    fn line_at(&mut self, position: &csv::Position) -> u64 {
        let start = usize::try_from(position.byte()).unwrap_or(usize::MAX);
        let rest = self.text.get(start..).unwrap_or("");
        // A record never starts with a line break, so skip the one csv left before it.
        let start = start.saturating_add(rest.len() - rest.trim_start_matches(['\r', '\n']).len());
        let start = start.min(self.text.len()).max(self.offset);
        self.line += self.text.as_bytes()[self.offset..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.offset = start;
        self.line
    }
}

/// `first name` → `First Name`, to name columns as the file spells them.
fn title_case(name: &str) -> String {
    name.split(' ')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A file of the export, read.
struct Found {
    /// The file's own name, starting every origin (`Connections.csv:12`).
    label: String,
    text: String,
}

#[derive(Default)]
struct ExportFiles {
    connections: Option<Found>,
    recommendations: Option<Found>,
    invitations: Option<Found>,
    messages: Option<Found>,
    profile: Option<Found>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Connections,
    Recommendations,
    Invitations,
    Messages,
    Profile,
}

impl Kind {
    fn of(file_name: &str) -> Option<Kind> {
        match file_name.to_lowercase().as_str() {
            "connections.csv" => Some(Kind::Connections),
            "recommendations_given.csv" => Some(Kind::Recommendations),
            "invitations.csv" => Some(Kind::Invitations),
            "messages.csv" => Some(Kind::Messages),
            "profile.csv" => Some(Kind::Profile),
            _ => None,
        }
    }
}

impl ExportFiles {
    fn slot(&mut self, kind: Kind) -> &mut Option<Found> {
        match kind {
            Kind::Connections => &mut self.connections,
            Kind::Recommendations => &mut self.recommendations,
            Kind::Invitations => &mut self.invitations,
            Kind::Messages => &mut self.messages,
            Kind::Profile => &mut self.profile,
        }
    }
}

fn files_in_folder(root: &Path) -> Result<ExportFiles, ImportError> {
    let mut files = ExportFiles::default();
    // Breadth first, so the shallowest file of each kind is the one kept.
    let mut level = vec![root.to_path_buf()];
    for _ in 0..MAX_FOLDER_DEPTH {
        let mut next = Vec::new();
        for dir in &level {
            let folder = |source| ImportError::Folder {
                path: dir.clone(),
                source,
            };
            let mut entries = fs::read_dir(dir)
                .map_err(folder)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(folder)?;
            entries.sort_by_key(fs::DirEntry::file_name); // the same pick on every OS
            for entry in entries {
                let path = entry.path();
                if path.is_dir() {
                    next.push(path);
                    continue;
                }
                let Some(kind) = Kind::of(&entry.file_name().to_string_lossy()) else {
                    continue;
                };
                let slot = files.slot(kind);
                if slot.is_none() {
                    let text = read_text_file(&path)?;
                    *slot = Some(Found {
                        label: file_label(&path),
                        text,
                    });
                }
            }
        }
        level = next;
    }
    Ok(files)
}

fn files_in_zip(path: &Path) -> Result<ExportFiles, ImportError> {
    let file = fs::File::open(path).map_err(|source| ImportError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let mut archive = zip::ZipArchive::new(file).map_err(|source| ImportError::NotZip {
        path: path.to_path_buf(),
        source,
    })?;
    // (depth, index, kind, label) of each wanted entry; the shallowest of each kind is read.
    let mut wanted: Vec<(usize, usize, Kind, String)> = Vec::new();
    for index in 0..archive.len() {
        let Some(Ok(name)) = archive.name_for_index(index) else {
            continue;
        };
        let base = name.rsplit(['/', '\\']).next().unwrap_or(&name).to_owned();
        if let Some(kind) = Kind::of(&base) {
            let depth = name.matches(['/', '\\']).count();
            wanted.push((depth, index, kind, base));
        }
    }
    wanted.sort_by_key(|&(depth, index, ..)| (depth, index));
    let mut files = ExportFiles::default();
    for (_, index, kind, label) in wanted {
        if files.slot(kind).is_some() {
            continue;
        }
        let in_zip = |source| ImportError::InZip {
            path: path.to_path_buf(),
            label: label.clone(),
            source,
        };
        let mut entry = archive.by_index(index).map_err(|e| in_zip(Box::new(e)))?;
        let mut bytes = Vec::new();
        entry
            .by_ref()
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| in_zip(Box::new(e)))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(ImportError::TooLarge {
                path: path.to_path_buf(),
                label,
                megabytes: MAX_FILE_BYTES / 1024 / 1024,
            });
        }
        let text = String::from_utf8(bytes).map_err(|source| ImportError::NotUtf8 {
            what: format!("`{}`: `{label}`", path.display()),
            source,
        })?;
        *files.slot(kind) = Some(Found { label, text });
    }
    Ok(files)
}

/// True when `path` starts like a zip file, whatever its name.
fn is_zip(path: &Path) -> Result<bool, ImportError> {
    let mut magic = [0u8; 4];
    let mut file = fs::File::open(path).map_err(|source| ImportError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let read = file.read(&mut magic).map_err(|source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    // Local file header, or the end record of an empty archive.
    Ok(read == 4 && (magic == *b"PK\x03\x04" || magic == *b"PK\x05\x06"))
}

fn read_text_file(path: &Path) -> Result<String, ImportError> {
    let bytes = fs::read(path).map_err(|source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|source| ImportError::NotUtf8 {
        what: format!("`{}`", path.display()),
        source,
    })
}

fn file_label(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[cfg(test)]
mod tests {
    /// `messages.csv`.
    mod messages {
        use crate::import::linkedin::*;
        use crate::model::LogKind;

        const CSV: &str = "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER\n\
            c1,,Me Myself,https://www.linkedin.com/in/me-myself,Ada Example,https://www.linkedin.com/in/ada-example-1a2b3c,2026-07-01 09:00:00 UTC,,Hi Ada,INBOX\n\
            c1,,Ada Example,https://www.linkedin.com/in/ada-example-1a2b3c,Me Myself,https://www.linkedin.com/in/me-myself,2026-07-02 10:00:00 UTC,,Thanks!,INBOX\n\
            c2,,Bo Stranger,https://www.linkedin.com/in/bo,Me Myself,https://www.linkedin.com/in/me-myself,2026-07-03 10:00:00 UTC,,Buy this,INBOX\n\
            c3,,Me Myself,https://www.linkedin.com/in/me-myself,Grace Okafor,,2026-07-04 10:00:00 UTC,,Hello,INBOX\n\
            c4,,Me Myself,,Ada Example,,yesterday,,x,INBOX\n";

        #[test]
        fn messages_are_read_without_their_content() {
            let (messages, skipped) = parse_messages(CSV, "messages.csv");
            assert_eq!(messages.len(), 4);
            assert_eq!(messages[0].date, "2026-07-01".parse().unwrap());
            assert_eq!(
                messages[0].to_urls,
                ["https://www.linkedin.com/in/ada-example-1a2b3c"]
            );
            assert_eq!(skipped.len(), 1);
            assert!(skipped[0].origin == "messages.csv:6", "{skipped:?}");
        }

        #[test]
        fn yours_are_outreaches_and_theirs_replies_found_by_url_then_name() {
            let (messages, _) = parse_messages(CSV, "messages.csv");
            let by_url: HashMap<String, usize> = [(
                crate::names::url_key("linkedin.com/in/ada-example-1a2b3c"),
                0,
            )]
            .into();
            let by_name: HashMap<String, usize> = [("grace okafor".to_owned(), 1)].into();
            for owner in [
                Owner {
                    url: Some("https://linkedin.com/in/Me-Myself/".into()),
                    name: None,
                },
                Owner {
                    url: None,
                    name: Some("Me Myself".into()),
                },
            ] {
                let plan = plan_messages(&messages, &owner, &by_url, &by_name);
                let day = |s: &str| s.parse::<NaiveDate>().unwrap();
                assert_eq!(
                    plan.found[&0],
                    [
                        (day("2026-07-01"), LogKind::Outreach),
                        (day("2026-07-02"), LogKind::Reply)
                    ]
                    .into()
                );
                assert_eq!(
                    plan.found[&1],
                    [(day("2026-07-04"), LogKind::Outreach)].into()
                );
                assert_eq!(plan.nobody, 1);
            }
        }
    }

    use std::io::Write;

    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const PREAMBLE: &str = "Notes:\n\"When exporting your connection data, you may notice that \
        some of the email addresses are missing. You will ONLY see email addresses for \
        connections who have allowed their connections to see or download their email \
        address using this setting https://www.linkedin.com/psettings/privacy/email. You can \
        learn more here https://www.linkedin.com/help/linkedin/answer/261\"\n";

    const HEADER: &str = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n";

    #[test]
    fn current_export_with_preamble_and_header() {
        let text = format!(
            "\u{feff}{PREAMBLE}\n{HEADER}\
             Ada,Example,https://www.linkedin.com/in/ada-example,ada@example.com,Acme,Engineer,12 Mar 2021\n\
             Grace,Sample,https://www.linkedin.com/in/grace-sample,,,,03 Jan 2024\n"
        );
        let (people, skipped) = parse_connections(&text, "Connections.csv");
        assert_eq!(skipped, vec![]);
        assert_eq!(people.len(), 2);
        let ada = &people[0];
        assert_eq!(ada.first_name, "Ada");
        assert_eq!(ada.last_name, "Example");
        assert_eq!(ada.full_name, "Ada Example");
        assert_eq!(
            ada.linkedin.as_deref(),
            Some("https://www.linkedin.com/in/ada-example")
        );
        assert_eq!(ada.email.as_deref(), Some("ada@example.com"));
        assert_eq!(ada.emails, vec!["ada@example.com"]);
        assert_eq!(ada.company.as_deref(), Some("Acme"));
        assert_eq!(ada.role.as_deref(), Some("Engineer"));
        assert_eq!(ada.connected_on, Some(date("2021-03-12")));
        assert_eq!(ada.source, Source::LinkedIn);
        assert_eq!(ada.origin, "Connections.csv:5");
        let grace = &people[1];
        assert_eq!((grace.email.as_ref(), grace.company.as_ref()), (None, None));
        assert_eq!(grace.connected_on, Some(date("2024-01-03")));
        assert_eq!(grace.origin, "Connections.csv:6");
    }

    #[test]
    fn preamble_followed_by_two_blank_lines() {
        let text = format!("{PREAMBLE}\n\n{HEADER}Ada,Example,,,,,12 Mar 2021\n");
        let (people, skipped) = parse_connections(&text, "Connections.csv");
        assert_eq!(skipped, vec![]);
        assert_eq!(people.len(), 1);
        assert_eq!(people[0].origin, "Connections.csv:6");
    }

    #[test]
    fn old_export_without_preamble_or_url_column() {
        let text = "First Name,Last Name,Email Address,Company,Position,Connected On\r\n\
                    Ada,Example,ada@example.com,Acme,CTO,\"1/8/18, 6:14 PM\"\r\n";
        let (people, skipped) = parse_connections(text, "Connections.csv");
        assert_eq!(skipped, vec![]);
        assert_eq!(people[0].linkedin, None);
        assert_eq!(people[0].role.as_deref(), Some("CTO"));
        assert_eq!(people[0].connected_on, Some(date("2018-01-08")));
        assert_eq!(people[0].origin, "Connections.csv:2");
    }

    #[test]
    fn columns_are_found_by_name_in_any_order_and_case() {
        let text = "connected on,POSITION,last name,first name,url\n\
                    12 Mar 2021,Engineer,Example,Ada,https://linkedin.com/in/ada-example\n";
        let (people, _) = parse_connections(text, "Connections.csv");
        assert_eq!(people[0].full_name, "Ada Example");
        assert_eq!(people[0].role.as_deref(), Some("Engineer"));
        assert_eq!(people[0].connected_on, Some(date("2021-03-12")));
        assert_eq!(
            people[0].company, None,
            "a missing column is an empty value"
        );
    }

    #[test]
    fn quoted_fields_keep_their_commas() {
        let text = format!(
            "{HEADER}Ada,\"Example, PhD\",,,\"Acme, Inc.\",\"Head of R&D, Europe\",12 Mar 2021\n"
        );
        let (people, _) = parse_connections(&text, "Connections.csv");
        assert_eq!(people[0].full_name, "Ada Example, PhD");
        assert_eq!(people[0].company.as_deref(), Some("Acme, Inc."));
        assert_eq!(people[0].role.as_deref(), Some("Head of R&D, Europe"));
    }

    #[test]
    fn empty_and_nameless_rows_are_skipped_with_their_line() {
        let text = format!(
            "{PREAMBLE}\n{HEADER}\
             ,,,,,,\n\
             ,,,,Acme,Engineer,12 Mar 2021\n\
             Ada,Example,,,,,not a date\n"
        );
        let (people, skipped) = parse_connections(&text, "Connections.csv");
        assert_eq!(
            skipped,
            vec![
                Skipped {
                    origin: "Connections.csv:5".into(),
                    reason: "empty row".into()
                },
                Skipped {
                    origin: "Connections.csv:6".into(),
                    reason: "no name (the member may have left LinkedIn or hidden their profile)"
                        .into()
                },
            ]
        );
        assert_eq!(people.len(), 1);
        assert_eq!(people[0].connected_on, None);
        assert_eq!(
            people[0].warnings,
            vec!["`Connected On` `not a date` is not a date"]
        );
    }

    #[test]
    fn a_file_without_the_header_is_reported() {
        let (people, skipped) = parse_connections("Notes:\nhello\n", "Connections.csv");
        assert!(people.is_empty());
        assert_eq!(
            skipped,
            vec![Skipped {
                origin: "Connections.csv".into(),
                reason: "no header row with the columns `First Name`, `Last Name`".into()
            }]
        );
    }

    #[test]
    fn every_linkedin_date_form_is_read() {
        for (text, expected) in [
            ("12 Mar 2021", "2021-03-12"),
            ("5 Mar 2021", "2021-03-05"),
            ("12 March 2021", "2021-03-12"),
            ("1/8/18, 6:14 PM", "2018-01-08"),
            ("01/08/18, 06:14 PM", "2018-01-08"),
            ("12/31/2023 11:59 PM", "2023-12-31"),
            ("Mar 12, 2021", "2021-03-12"),
            ("2021-03-12 18:14:00 UTC", "2021-03-12"),
            (" 12 Mar 2021 ", "2021-03-12"),
        ] {
            assert_eq!(parse_linkedin_date(text), Some(date(expected)), "{text}");
        }
        for text in ["", "yesterday", "13/13/21", "1/8", "32 Mar 2021"] {
            assert_eq!(parse_linkedin_date(text), None, "{text}");
        }
    }

    #[test]
    fn recommendations_given_name_who_and_when() {
        let text = "First Name,Last Name,Company,Job Title,Text,Creation Date,Status\n\
                    Ada,Example,Acme,CTO,\"Ada is great, really.\",\"01/08/18, 06:14 PM\",VISIBLE\n\
                    Grace,Sample,,,Fine,12 Mar 2021,HIDDEN\n\
                    Bad,Date,,,x,soon,VISIBLE\n";
        let (recommendations, skipped) = parse_recommendations(text, "Recommendations_Given.csv");
        assert_eq!(
            recommendations,
            vec![
                Recommendation {
                    full_name: "Ada Example".into(),
                    company: Some("Acme".into()),
                    date: date("2018-01-08"),
                },
                Recommendation {
                    full_name: "Grace Sample".into(),
                    company: None,
                    date: date("2021-03-12"),
                },
            ]
        );
        assert_eq!(
            skipped,
            vec![Skipped {
                origin: "Recommendations_Given.csv:4".into(),
                reason: "recommendation of Bad Date: `Creation Date` `soon` is not a date".into()
            }]
        );
    }

    #[test]
    fn only_outgoing_invitations_without_a_message_are_kept() {
        let text = "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n\
                    Me Myself,Ada Example,\"1/8/18, 6:14 PM\",,OUTGOING,https://www.linkedin.com/in/me,https://www.linkedin.com/in/ada-example\n\
                    Me Myself,Grace Sample,\"1/9/18, 6:14 PM\",\"Hi Grace, we met at RustConf\",OUTGOING,https://www.linkedin.com/in/me,https://www.linkedin.com/in/grace-sample\n\
                    Alan Sample,Me Myself,\"1/10/18, 6:14 PM\",,INCOMING,https://www.linkedin.com/in/alan-sample,https://www.linkedin.com/in/me\n";
        let (invitations, skipped) = parse_invitations(text, "Invitations.csv");
        assert_eq!(skipped, vec![]);
        assert_eq!(
            invitations,
            vec![Invitation {
                to: "Ada Example".into(),
                profile_url: Some("https://www.linkedin.com/in/ada-example".into()),
                sent: Some(date("2018-01-08")),
            }]
        );
    }

    #[test]
    fn invitations_without_a_message_column_are_not_guessed() {
        let text = "From,To,Sent At,Direction\nMe,Ada Example,12 Mar 2021,OUTGOING\n";
        let (invitations, skipped) = parse_invitations(text, "Invitations.csv");
        assert!(invitations.is_empty());
        assert_eq!(
            skipped[0].reason,
            "no header row with the columns `To`, `Direction`, `Message`"
        );
    }

    const CONNECTIONS: &str = "Notes:\n\"x\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\nAda,Example,https://www.linkedin.com/in/ada-example,,Acme,CTO,12 Mar 2021\n";
    const RECOMMENDATIONS: &str = "First Name,Last Name,Company,Job Title,Text,Creation Date,Status\nAda,Example,Acme,CTO,Great,12 Mar 2021,VISIBLE\n";
    const INVITATIONS: &str = "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\nMe,Grace Sample,\"1/8/18, 6:14 PM\",,OUTGOING,,\n";

    fn assert_full_export(export: &LinkedInExport, connections_label: &str) {
        assert_eq!(export.skipped, vec![]);
        assert_eq!(export.people.len(), 1);
        assert_eq!(export.people[0].origin, format!("{connections_label}:5"));
        assert_eq!(export.recommendations.len(), 1);
        assert_eq!(export.invitations_without_message.len(), 1);
    }

    #[test]
    fn exports_are_read_from_a_zip_a_folder_or_a_lone_csv() {
        let dir = tempfile::tempdir().unwrap();

        // The zip LinkedIn sends, with a subfolder and names in another case.
        let zip_path = dir.path().join("Basic_LinkedInDataExport.zip");
        let mut zip = zip::ZipWriter::new(fs::File::create(&zip_path).unwrap());
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, text) in [
            ("export/CONNECTIONS.CSV", CONNECTIONS),
            ("export/Recommendations_Given.csv", RECOMMENDATIONS),
            ("export/invitations.csv", INVITATIONS),
            ("export/other/Connections.csv", "deeper copy, not read"),
        ] {
            zip.start_file(name, options).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
        assert_full_export(&read_export(&zip_path).unwrap(), "CONNECTIONS.CSV");

        // The unpacked folder.
        let folder = dir.path().join("unpacked");
        fs::create_dir_all(folder.join("sub")).unwrap();
        fs::write(folder.join("connections.csv"), CONNECTIONS).unwrap();
        fs::write(
            folder.join("sub/RECOMMENDATIONS_GIVEN.csv"),
            RECOMMENDATIONS,
        )
        .unwrap();
        fs::write(folder.join("Invitations.CSV"), INVITATIONS).unwrap();
        assert_full_export(&read_export(&folder).unwrap(), "connections.csv");

        // Connections.csv alone.
        let lone = read_export(&folder.join("connections.csv")).unwrap();
        assert_eq!(lone.people.len(), 1);
        assert!(lone.recommendations.is_empty());

        // A folder without connections names itself.
        let empty = dir.path().join("empty");
        fs::create_dir(&empty).unwrap();
        let err = read_export(&empty).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "`{}`: no Connections.csv in this LinkedIn export",
                empty.display()
            )
        );
    }
}
