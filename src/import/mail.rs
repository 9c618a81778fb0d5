//! Mail, read locally and by its headers only: who wrote to whom, and when. A message from
//! you to someone in the vault is an outreach on its day; one from them to you (or in reply
//! to one of yours) is a reply. Nothing of a body is read, no one new becomes a note.
//!
//! Reading (an mbox file, a Maildir, a folder of either, `.eml` files) is I/O; deciding
//! ([`plan`]) is pure, so the rules are tested without a mailbox.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::ImportError;
use crate::model::LogKind;

/// A message with more recipients than this is a mailing, not a note to a person.
pub const MAX_RECIPIENTS: usize = 20;

/// What a message's headers say, as far as the schedule cares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Envelope {
    /// The file, and the message's number in an mbox: `Sent.mbox message 12`.
    pub origin: String,
    /// Addresses, lowercased.
    pub from: Vec<String>,
    /// To and Cc, lowercased.
    pub to: Vec<String>,
    pub date: Option<NaiveDate>,
    /// `List-Id`, `Precedence: bulk|list|junk`, `Auto-Submitted` other than `no`, or a
    /// `noreply` sender.
    pub bulk: bool,
    pub message_id: Option<String>,
    pub in_reply_to: Vec<String>,
    /// The subject, one line: the Log line's reference to the message.
    pub subject: Option<String>,
}

/// Why a message gave nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Skip {
    Bulk,
    TooMany,
    NoDate,
    NotYours,
    Nobody,
}

impl Skip {
    pub fn describe(self, n: usize) -> String {
        let messages = if n == 1 { "message" } else { "messages" };
        match self {
            Skip::Bulk => format!("{n} {messages} from lists or automatic senders"),
            Skip::TooMany => format!("{n} {messages} to more than {MAX_RECIPIENTS} people"),
            Skip::NoDate => format!("{n} {messages} without a readable date"),
            Skip::NotYours => format!("{n} {messages} neither from nor to you"),
            Skip::Nobody => format!("{n} {messages} to or from nobody in the vault"),
        }
    }
}

/// What the mail says, contact by contact.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct MailPlan {
    /// For each contact (its index), the days it had an outreach or a reply, with the
    /// subject of the day's first message.
    pub found: BTreeMap<usize, BTreeMap<(NaiveDate, LogKind), Option<String>>>,
    /// How many messages were skipped, and why.
    pub skipped: BTreeMap<Skip, usize>,
    /// Where the messages without a readable date are.
    pub undated: Vec<String>,
    /// Messages that gave something.
    pub used: usize,
    /// The other people of the vault on the same message, for each contact and day: whom
    /// you both know.
    pub with: BTreeMap<(usize, NaiveDate), BTreeSet<usize>>,
}

/// Decides what each of `mail` means: `me` are the user's addresses, `by_email` the vault's
/// contacts by lowercased address.
pub fn plan<S: std::hash::BuildHasher, T: std::hash::BuildHasher>(
    mail: &[Envelope],
    me: &HashSet<String, S>,
    by_email: &HashMap<String, usize, T>,
) -> MailPlan {
    let mut planner = Planner::new(me, by_email);
    for m in mail {
        planner.add(m.clone());
    }
    planner.finish()
}

/// [`plan`], a message at a time, so that a mailbox is never held whole: only a message that
/// may answer one of yours by `In-Reply-To` waits for the end, when every message of yours
/// (and its `Message-ID`) has been seen.
pub struct Planner<'a, S, T> {
    me: &'a HashSet<String, S>,
    by_email: &'a HashMap<String, usize, T>,
    sent_ids: HashSet<String>,
    waiting: Vec<Envelope>,
    out: MailPlan,
}

impl<'a, S: std::hash::BuildHasher, T: std::hash::BuildHasher> Planner<'a, S, T> {
    pub fn new(me: &'a HashSet<String, S>, by_email: &'a HashMap<String, usize, T>) -> Self {
        Planner {
            me,
            by_email,
            sent_ids: HashSet::new(),
            waiting: Vec::new(),
            out: MailPlan::default(),
        }
    }

    pub fn add(&mut self, m: Envelope) {
        if m.bulk {
            self.skip(Skip::Bulk);
            return;
        }
        if m.to.len() > MAX_RECIPIENTS {
            self.skip(Skip::TooMany);
            return;
        }
        if m.from.iter().any(|a| self.me.contains(a)) {
            if let Some(id) = &m.message_id {
                self.sent_ids.insert(id.clone());
            }
            let people: Vec<String> =
                m.to.iter()
                    .filter(|a| !self.me.contains(*a))
                    .cloned()
                    .collect();
            self.take(&m, &people, LogKind::Outreach);
        } else if m.to.iter().any(|a| self.me.contains(a)) {
            self.take(&m, &m.from, LogKind::Reply);
        } else if !m.in_reply_to.is_empty() && m.from.iter().any(|a| self.by_email.contains_key(a))
        {
            self.waiting.push(m);
        } else {
            self.skip(Skip::NotYours);
        }
    }

    pub fn finish(mut self) -> MailPlan {
        for m in std::mem::take(&mut self.waiting) {
            if m.in_reply_to.iter().any(|id| self.sent_ids.contains(id)) {
                self.take(&m, &m.from, LogKind::Reply);
            } else {
                self.skip(Skip::NotYours);
            }
        }
        self.out
    }

    fn skip(&mut self, why: Skip) {
        *self.out.skipped.entry(why).or_default() += 1;
    }

    fn take(&mut self, m: &Envelope, people: &[String], kind: LogKind) {
        let contacts: BTreeSet<usize> = people
            .iter()
            .filter_map(|a| self.by_email.get(a.as_str()).copied())
            .collect();
        if contacts.is_empty() {
            self.skip(Skip::Nobody);
            return;
        }
        let Some(date) = m.date else {
            self.skip(Skip::NoDate);
            self.out.undated.push(m.origin.clone());
            return;
        };
        self.out.used += 1;
        for &contact in &contacts {
            self.out
                .found
                .entry(contact)
                .or_default()
                .entry((date, kind))
                .or_insert_with(|| m.subject.clone());
            let others: BTreeSet<usize> =
                contacts.iter().copied().filter(|&o| o != contact).collect();
            if !others.is_empty() {
                self.out
                    .with
                    .entry((contact, date))
                    .or_default()
                    .extend(others);
            }
        }
    }
}

/// Every message under `paths`: mbox files (Google Takeout, Thunderbird, mutt), Maildir
/// folders (`cur/` and `new/`: offlineimap, mbsync, notmuch), `.eml` files, and folders
/// holding any of them, at any depth. Their headers only.
pub fn read_mail(paths: &[PathBuf]) -> Result<Vec<Envelope>, ImportError> {
    let mut all = Vec::new();
    each_message(paths, |m| all.push(m))?;
    Ok(all)
}

/// [`read_mail`], handing each message to `take` as it is read: memory stays flat whatever
/// the size of the mailbox. How many messages there were.
pub fn each_message(
    paths: &[PathBuf],
    mut take: impl FnMut(Envelope),
) -> Result<usize, ImportError> {
    let files = super::files_under(paths, |_| true)?;
    let parser = mail_parser::MessageParser::new()
        .with_minimal_headers()
        .with_address_headers()
        .with_message_ids()
        .with_date_headers()
        .header_text("Subject")
        .header_text("List-Id")
        .header_text("Precedence")
        .header_text("Auto-Submitted");
    let mut count = 0;
    let mut take = |m: Envelope| {
        count += 1;
        take(m);
    };
    for file in files {
        let label = file.display().to_string();
        let in_maildir = file
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|d| d == "cur" || d == "new");
        if file
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|d| d == "tmp")
        {
            continue; // a Maildir message still being delivered
        }
        let read = |source| ImportError::Read {
            path: file.clone(),
            source,
        };
        let is_eml = file
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("eml"));
        if in_maildir || is_eml {
            let bytes = std::fs::read(&file).map_err(read)?;
            envelope(&parser, &bytes, label).map(&mut take);
            continue;
        }
        let mut handle = std::fs::File::open(&file).map_err(read)?;
        let mut head = [0u8; 5];
        let n = std::io::Read::read(&mut handle, &mut head).map_err(read)?;
        if &head[..n] != b"From " {
            continue; // not a mailbox: a Maildir's index, a README
        }
        let file_handle = std::fs::File::open(&file).map_err(read)?;
        let messages =
            mail_parser::mailbox::mbox::MessageIterator::new(std::io::BufReader::new(file_handle));
        for (number, message) in messages.enumerate() {
            let message = message.map_err(read)?;
            let origin = format!("{label} message {}", number + 1);
            envelope(&parser, message.contents(), origin).map(&mut take);
        }
    }
    Ok(count)
}

/// The headers of one message, or `None` when it has none.
fn envelope(parser: &mail_parser::MessageParser, bytes: &[u8], origin: String) -> Option<Envelope> {
    let message = parser.parse_headers(bytes)?;
    let addresses = |a: Option<&mail_parser::Address>| -> Vec<String> {
        a.map(|a| {
            a.iter()
                .filter_map(|addr| addr.address())
                .map(|s| s.trim().to_lowercase())
                .collect()
        })
        .unwrap_or_default()
    };
    let from = addresses(message.from());
    let mut to = addresses(message.to());
    to.extend(addresses(message.cc()));
    let text = |name: &str| {
        message
            .header(name)
            .and_then(|v| v.as_text())
            .map(str::to_lowercase)
    };
    let precedence = text("Precedence");
    let auto = text("Auto-Submitted");
    let bulk = message.header("List-Id").is_some()
        || precedence.is_some_and(|p| ["bulk", "list", "junk"].contains(&p.trim()))
        || auto.is_some_and(|a| a.trim() != "no")
        || from.iter().any(|a| is_noreply(a));
    let date = message.date().and_then(|d| {
        NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
    });
    let in_reply_to = match message.in_reply_to() {
        mail_parser::HeaderValue::Text(id) => vec![id.to_string()],
        mail_parser::HeaderValue::TextList(ids) => ids.iter().map(ToString::to_string).collect(),
        _ => Vec::new(),
    };
    Some(Envelope {
        origin,
        from,
        to,
        date,
        bulk,
        message_id: message.message_id().map(str::to_owned),
        in_reply_to,
        subject: message
            .subject()
            .map(crate::import::new_note::one_line)
            .filter(|s| !s.trim().is_empty()),
    })
}

/// `noreply@`, `no-reply@`, `do-not-reply@`, `donotreply@`: a machine.
fn is_noreply(address: &str) -> bool {
    let local = address.split('@').next().unwrap_or_default();
    let squashed: String = local.chars().filter(char::is_ascii_alphanumeric).collect();
    squashed.contains("noreply") || squashed.contains("donotreply")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn mail(from: &str, to: &[&str], date: &str) -> Envelope {
        Envelope {
            origin: "test".into(),
            from: vec![from.into()],
            to: to.iter().map(|s| (*s).into()).collect(),
            date: date.parse().ok(),
            ..Envelope::default()
        }
    }

    fn setup() -> (HashSet<String>, HashMap<String, usize>) {
        let me = ["me@example.org".to_owned(), "me@work.example".to_owned()].into();
        let by_email = [
            ("ada@example.com".to_owned(), 0),
            ("bo@example.net".to_owned(), 1),
        ]
        .into();
        (me, by_email)
    }

    #[test]
    fn yours_are_outreaches_theirs_replies_each_day_once() {
        let (me, by_email) = setup();
        let m = [
            mail(
                "me@example.org",
                &["ada@example.com", "bo@example.net"],
                "2026-01-05",
            ),
            mail("me@work.example", &["ada@example.com"], "2026-01-05"),
            mail("ada@example.com", &["me@example.org"], "2026-01-09"),
        ];
        let p = plan(&m, &me, &by_email);
        let days = |c: usize| p.found[&c].keys().copied().collect::<Vec<_>>();
        assert_eq!(
            days(0),
            [
                (day("2026-01-05"), LogKind::Outreach),
                (day("2026-01-09"), LogKind::Reply)
            ]
        );
        assert_eq!(days(1), [(day("2026-01-05"), LogKind::Outreach)]);
        // Ada and Bo were on one message: each is the other's mutual connection that day.
        assert_eq!(p.with[&(0, day("2026-01-05"))], [1].into());
        assert_eq!(p.with[&(1, day("2026-01-05"))], [0].into());
        assert!(!p.with.contains_key(&(0, day("2026-01-09"))));
        assert_eq!(p.used, 3);
        assert!(p.skipped.is_empty());
    }

    #[test]
    fn a_reply_to_one_of_yours_counts_without_you_in_to() {
        let (me, by_email) = setup();
        let mut mine = mail("me@example.org", &["ada@example.com"], "2026-01-05");
        mine.message_id = Some("a1@example.org".into());
        let mut theirs = mail("ada@example.com", &["list@example.org"], "2026-01-06");
        theirs.in_reply_to = vec!["a1@example.org".into()];
        let p = plan(&[mine, theirs], &me, &by_email);
        assert!(p.found[&0].contains_key(&(day("2026-01-06"), LogKind::Reply)));
    }

    #[test]
    fn lists_crowds_strangers_and_undated_mail_are_skipped_and_counted() {
        let (me, by_email) = setup();
        let mut list = mail("ada@example.com", &["me@example.org"], "2026-01-05");
        list.bulk = true;
        let crowd: Vec<String> = (0..21).map(|i| format!("p{i}@x.org")).collect();
        let crowd: Vec<&str> = crowd.iter().map(String::as_str).collect();
        let mut undated = mail("ada@example.com", &["me@example.org"], "not a date");
        undated.origin = "Inbox message 3".into();
        let m = [
            list,
            mail("me@example.org", &crowd, "2026-01-05"),
            mail("me@example.org", &["stranger@x.org"], "2026-01-05"),
            mail("ada@example.com", &["bo@example.net"], "2026-01-05"),
            undated,
        ];
        let p = plan(&m, &me, &by_email);
        assert!(p.found.is_empty());
        assert_eq!(
            p.skipped,
            [
                (Skip::Bulk, 1),
                (Skip::TooMany, 1),
                (Skip::Nobody, 1),
                (Skip::NotYours, 1),
                (Skip::NoDate, 1)
            ]
            .into()
        );
        assert_eq!(p.undated, ["Inbox message 3"]);
    }

    #[test]
    fn machines_are_known_by_their_address() {
        for a in [
            "noreply@x.org",
            "no-reply@x.org",
            "do-not-reply@x.org",
            "DoNotReply@x.org",
        ] {
            assert!(is_noreply(&a.to_lowercase()), "{a}");
        }
        assert!(!is_noreply("norah@x.org"));
    }

    #[test]
    fn headers_are_read_from_an_mbox_and_a_maildir() {
        let dir = tempfile::tempdir().unwrap();
        let mbox = dir.path().join("Sent.mbox");
        std::fs::write(
            &mbox,
            "From me@example.org Mon Jan  5 10:00:00 2026\n\
             From: Me <me@example.org>\nTo: =?UTF-8?Q?Ada_Qu=C3=AFnt?= <Ada@Example.com>\n\
             Cc: bo@example.net\nDate: Mon, 5 Jan 2026 10:00:00 +0100\nMessage-ID: <a1@example.org>\n\
             Subject: hi\n\nbody\n\n\
             From news@list.org Tue Jan  6 10:00:00 2026\n\
             From: news@list.org\nTo: me@example.org\nList-Id: <news.list.org>\nDate: Tue, 6 Jan 2026 10:00:00 +0000\n\nx\n",
        )
        .unwrap();
        let maildir = dir.path().join("Mail/INBOX");
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(maildir.join(sub)).unwrap();
        }
        std::fs::write(
            maildir.join("cur/1.eml:2,S"),
            "From: ada@example.com\nTo: me@example.org\nIn-Reply-To: <a1@example.org>\nDate: Fri, 9 Jan 2026 08:00:00 -0500\n\nthanks\n",
        )
        .unwrap();
        std::fs::write(maildir.join("tmp/2"), "From: half\n").unwrap();
        let mail = read_mail(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(mail.len(), 3, "{mail:#?}");
        let sent = mail
            .iter()
            .find(|m| m.origin.ends_with("Sent.mbox message 1"))
            .unwrap();
        assert_eq!(sent.to, ["ada@example.com", "bo@example.net"]);
        assert_eq!(sent.date, Some(day("2026-01-05")));
        assert_eq!(sent.message_id.as_deref(), Some("a1@example.org"));
        assert!(mail.iter().any(|m| m.bulk && m.from == ["news@list.org"]));
        let reply = mail.iter().find(|m| m.from == ["ada@example.com"]).unwrap();
        assert_eq!(reply.in_reply_to, ["a1@example.org"]);
        assert_eq!(reply.date, Some(day("2026-01-09")));
    }
}
