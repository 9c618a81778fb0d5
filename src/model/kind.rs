//! Which way an interaction went, read from how a Log item is worded.
//!
//! Each dated item of a note's `## Log` is an outreach (you reached out), a reply (they reached
//! you) or time together (both at once). [`classify`] decides which from the item's text after
//! its date, by these rules:
//!
//! 1. **A marker at the start says it outright**, in any language: `→`, `->` or `out:` is an
//!    outreach; `←`, `<-` or `in:` is a reply; `↔`, `<->` or `met:` is time together. Word
//!    markers may be in any case, and a space after a marker is optional
//!    (`→ café con Lucía`, `<-respondió`, `Met: Kaffee mit Jonas`). The marker is not part of
//!    the entry's text.
//! 2. **Otherwise the wording decides.** The [`Vocabulary`] lists words and phrases of each
//!    kind (`emailed`, `wrote back`, `coffee`…). They match in any case, as whole words
//!    (`sent` is not found in `present`, nor `met` in `metal`), with any run of spaces or
//!    hyphens matching one space (`follow-up` is `follow up`) and `’` matching `'`. Other
//!    inflections are listed words of their own: `call`, `calls` and `called` are three.
//! 3. **The phrase that comes first wins**: `emailed to set up coffee` is an outreach, and
//!    `coffee, then I emailed the notes` is time together. Of phrases starting at the same
//!    place, the longest wins: `wrote back` (a reply) over `wrote` (an outreach), `she wrote`
//!    (a reply) over `wrote`, `no reply` (an outreach) over `reply`.
//! 4. **A call that did not connect is an outreach**: when the first phrase says time
//!    together but the text also says `left a message`, `voicemail`, `no answer`,
//!    `didn't pick up`, `didn't answer`, `no reply` or `no response` anywhere, the entry is an
//!    outreach (`called, left a voicemail`).
//! 5. **A message that became a conversation is not an outreach**: when the first phrase
//!    says an outreach (often just the channel: `WhatsApp; caught up on the reorg`) but the
//!    text also says they answered (`they asked`, `told me`, `replied`…) or you talked
//!    (`caught up`, `talked`, `chatted`, `discussed`), it is a reply or time together;
//!    unless it also says nobody answered (`no reply`).
//! 6. **Anything else is an outreach**, as an entry with no known wording always was.
//!
//! Users add words of their own (`Kaffee`, `almuerzo`, `ran a workshop with`) with
//! [`Vocabulary::extend`]; a user's word replaces a default word of the same spelling.

use std::cell::RefCell;
use std::cmp::Reverse;

use super::LogKind;

/// The default outreach words: you reached them, and they have not answered.
const OUTREACH: &[&str] = &[
    "emailed",
    "email",
    "e-mailed",
    "e-mail",
    "mailed",
    "sent",
    "wrote",
    "texted",
    "text",
    "messaged",
    "message",
    "dm",
    "dm'd",
    "dmed",
    "pinged",
    "ping",
    "reached out",
    "reach out",
    "followed up",
    "follow-up",
    "checked in",
    "invited",
    "invite",
    "congratulated",
    "congrats",
    "thanked",
    "wished",
    "shared",
    "introduced",
    "intro",
    "commented",
    "asked",
    "whatsapp",
    "whatsapped",
    "slacked",
    "tried to call",
    "tried calling",
    "tried to reach",
    // Saying that they have not answered comes before the word for an answer.
    "didn't reply",
    "hasn't replied",
    "haven't heard back",
];

/// Outreach words that also undo time together: the call or visit did not connect.
const UNANSWERED: &[&str] = &[
    "left a message",
    "left a voicemail",
    "voicemail",
    "no answer",
    "didn't pick up",
    "did not pick up",
    "didn't answer",
    "did not answer",
    "no reply",
    "no response",
];

/// Words that say a message is still unanswered, whatever else the entry says: they keep
/// an entry an outreach even when it names an answer (`hasn't replied`).
const NOT_ANSWERED: &[&str] = &[
    "didn't reply",
    "did not reply",
    "hasn't replied",
    "has not replied",
    "haven't heard back",
    "have not heard back",
    "never replied",
    "not replied",
];

/// Words that say a message became a conversation: an entry that names its channel first
/// (`WhatsApp; caught up on the reorg`, `Sent a birthday message; they asked about…`) is
/// then time together or a reply, not a message still waiting for an answer (rule 5).
const EXCHANGE: &[(&str, LogKind)] = &[
    ("they asked", LogKind::Reply),
    ("she asked", LogKind::Reply),
    ("he asked", LogKind::Reply),
    ("asked me", LogKind::Reply),
    ("they said", LogKind::Reply),
    ("she said", LogKind::Reply),
    ("he said", LogKind::Reply),
    ("told me", LogKind::Reply),
    ("they told", LogKind::Reply),
    ("she told", LogKind::Reply),
    ("he told", LogKind::Reply),
    ("they mentioned", LogKind::Reply),
    ("she mentioned", LogKind::Reply),
    ("he mentioned", LogKind::Reply),
    ("replied", LogKind::Reply),
    ("answered", LogKind::Reply),
    ("wrote back", LogKind::Reply),
    ("heard back", LogKind::Reply),
    ("caught up", LogKind::Together),
    ("talked", LogKind::Together),
    ("chatted", LogKind::Together),
    ("discussed", LogKind::Together),
    ("spoke about", LogKind::Together),
];

/// The default reply words: they reached you.
const REPLY: &[&str] = &[
    "replied",
    "reply",
    "replies",
    "answered",
    "wrote back",
    "texted back",
    "emailed back",
    "messaged back",
    "heard back",
    "heard from",
    "responded",
    "response",
    "got back",
    "got a reply",
    "got an answer",
    "got an email",
    "got a text",
    "got a message",
    "got a card",
    "received",
    "accepted",
    "declined",
    "said yes",
    "they wrote",
    "she wrote",
    "he wrote",
    "they texted",
    "she texted",
    "he texted",
    "they emailed",
    "she emailed",
    "he emailed",
    "they messaged",
    "she messaged",
    "he messaged",
    "they sent",
    "she sent",
    "he sent",
    "they reached out",
    "she reached out",
    "he reached out",
    "wrote me",
    "texted me",
    "emailed me",
    "messaged me",
    "pinged me",
    "dm'd me",
    "invited me",
    "thanked me",
    "reached out to me",
];

/// The default words for time together: both of you at once.
const TOGETHER: &[&str] = &[
    "met",
    "meet",
    "meeting",
    "met up",
    "meetup",
    "coffee",
    "tea",
    "lunch",
    "dinner",
    "breakfast",
    "brunch",
    "drinks",
    "beer",
    "beers",
    "call",
    "calls",
    "called",
    "phoned",
    "phone",
    "phone call",
    "rang",
    "video call",
    "video chat",
    "zoom",
    "zoomed",
    "facetime",
    "facetimed",
    "teams call",
    "skype",
    "skyped",
    "whatsapp call",
    "walk",
    "walked",
    "hike",
    "hiked",
    "visit",
    "visited",
    "stayed with",
    "hosted",
    "dropped by",
    "stopped by",
    "bumped into",
    "ran into",
    "caught up",
    "catch-up",
    "hung out",
    "hangout",
    "chat",
    "chatted",
    "talked",
    "spoke",
    "played",
    "conference",
    "party",
    "wedding",
    "concert",
    "game",
];

/// The explicit markers, longest first where one begins another (`<->` before `<-`).
const MARKERS: [(&str, LogKind); 9] = [
    ("<->", LogKind::Together),
    ("↔", LogKind::Together),
    ("met:", LogKind::Together),
    ("->", LogKind::Outreach),
    ("→", LogKind::Outreach),
    ("out:", LogKind::Outreach),
    ("<-", LogKind::Reply),
    ("←", LogKind::Reply),
    ("in:", LogKind::Reply),
];

/// The words and phrases that say which way an interaction went: the documented defaults
/// ([`Vocabulary::default`]) and the user's own ([`Vocabulary::extend`]).
#[derive(Debug, Clone)]
pub struct Vocabulary {
    /// Every phrase of every rule in one table, for [`Vocabulary::scan`].
    all: Table,
    /// `all`'s phrases in one automaton: a Log line is read in one pass whatever the size
    /// of the vocabulary (a scan phrase by phrase cost a 30,000-note load a fifth).
    matcher: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>>,
    /// Every phrase, with its kind.
    phrases: Table,
    /// Phrases that turn time together into an outreach (rule 4).
    unanswered: Table,
    /// Phrases that turn a message into a conversation (rule 5), and those that stop them.
    exchange: Table,
    not_answered: Table,
}

/// What a phrase says in a scan: a kind (rules 2 and 3), or one of the later rules' hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Kind,
    Unanswered,
    NotAnswered,
    Exchange,
}

/// What one pass over a text found.
#[derive(Debug, Default)]
struct Found {
    /// The kind of the earliest (then longest) phrase.
    first: Option<LogKind>,
    unanswered: bool,
    not_answered: bool,
    /// The kind of the earliest exchange phrase.
    exchange: Option<LogKind>,
}

/// The phrases of one rule, in the order they were given (a user's last).
#[derive(Debug, Clone, Default)]
struct Table {
    phrases: Vec<Phrase>,
}

impl Table {
    fn new(phrases: Vec<Phrase>) -> Table {
        Table { phrases }
    }
}

#[derive(Debug, Clone)]
struct Phrase {
    /// Normalized as texts are (see [`normalize_into`]).
    text: Box<str>,
    kind: LogKind,
    /// Which rule the phrase serves in [`Vocabulary::scan`]'s table.
    role: Role,
    /// Whether the phrase begins with a letter or digit, and so needs a word boundary before
    /// it; a phrase of the user's such as `☕` does not.
    word_start: bool,
    /// The same at its end.
    word_end: bool,
}

impl Phrase {
    /// `None` for a phrase that normalizes to nothing.
    fn new(words: &str, kind: LogKind) -> Option<Phrase> {
        let mut text = String::new();
        normalize_into(words, &mut text);
        let text = text.trim_matches(' ');
        let word_start = text.chars().next()?.is_alphanumeric();
        let word_end = text.chars().next_back()?.is_alphanumeric();
        Some(Phrase {
            text: text.into(),
            kind,
            role: Role::Kind,
            word_start,
            word_end,
        })
    }

    /// Whether the phrase is in `text` at byte `at`, a character boundary; `after_word` says
    /// whether a letter or digit comes just before it.
    fn is_at(&self, text: &str, at: usize, after_word: bool) -> bool {
        if self.word_start && after_word {
            return false;
        }
        // The first byte matched already (the table is grouped by it); the second rules out
        // most candidates without a call to compare the rest.
        let (ours, theirs) = (self.text.as_bytes(), &text.as_bytes()[at..]);
        if ours.len() > theirs.len() || ours.get(1) != theirs.get(1).filter(|_| ours.len() > 1) {
            return false;
        }
        let Some(rest) = text[at..].strip_prefix(&*self.text) else {
            return false;
        };
        !(self.word_end && rest.chars().next().is_some_and(char::is_alphanumeric))
    }
}

impl Default for Vocabulary {
    /// The default English vocabulary (the lists a test holds these docs to):
    ///
    /// - Outreach: emailed, email, e-mailed, e-mail, mailed, sent, wrote, texted, text,
    ///   messaged, message, dm, dm'd, dmed, pinged, ping, reached out, reach out, followed
    ///   up, follow-up, checked in, invited, invite, congratulated, congrats, thanked,
    ///   wished, shared, introduced, intro, commented, asked, whatsapp, whatsapped,
    ///   slacked, tried to call, tried calling, tried to reach, didn't reply, hasn't
    ///   replied, haven't heard back.
    /// - Unanswered (outreach that also undoes time together): left a message, left a
    ///   voicemail, voicemail, no answer, didn't pick up, did not pick up, didn't answer,
    ///   did not answer, no reply, no response.
    /// - Reply: replied, reply, replies, answered, wrote back, texted back, emailed back,
    ///   messaged back, heard back, heard from, responded, response, got back, got a reply,
    ///   got an answer, got an email, got a text, got a message, got a card, received,
    ///   accepted, declined, said yes, they wrote, she wrote, he wrote, they texted, she
    ///   texted, he texted, they emailed, she emailed, he emailed, they messaged, she
    ///   messaged, he messaged, they sent, she sent, he sent, they reached out, she reached
    ///   out, he reached out, wrote me, texted me, emailed me, messaged me, pinged me, dm'd
    ///   me, invited me, thanked me, reached out to me.
    /// - Together: met, meet, meeting, met up, meetup, coffee, tea, lunch, dinner,
    ///   breakfast, brunch, drinks, beer, beers, call, calls, called, phoned, phone, phone
    ///   call, rang, video call, video chat, zoom, zoomed, facetime, facetimed, teams call,
    ///   skype, skyped, whatsapp call, walk, walked, hike, hiked, visit, visited, stayed
    ///   with, hosted, dropped by, stopped by, bumped into, ran into, caught up, catch-up,
    ///   hung out, hangout, chat, chatted, talked, spoke, played, conference, party,
    ///   wedding, concert, game.
    fn default() -> Vocabulary {
        let mut vocabulary = Vocabulary {
            all: Table::default(),
            matcher: std::sync::OnceLock::new(),
            phrases: Table::default(),
            unanswered: Table::default(),
            exchange: Table::new(
                EXCHANGE
                    .iter()
                    .filter_map(|&(words, kind)| Phrase::new(words, kind))
                    .collect(),
            ),
            not_answered: Table::new(
                NOT_ANSWERED
                    .iter()
                    .filter_map(|&words| Phrase::new(words, LogKind::Outreach))
                    .collect(),
            ),
        };
        let words = |list: &[&str]| -> Vec<String> { list.iter().map(|&w| w.to_owned()).collect() };
        vocabulary.extend(LogKind::Outreach, words(OUTREACH));
        vocabulary.extend(LogKind::Reply, words(REPLY));
        vocabulary.extend(LogKind::Together, words(TOGETHER));
        vocabulary.extend_unanswered(words(UNANSWERED));
        vocabulary
    }
}

impl Vocabulary {
    /// Adds words or phrases of `kind` (the `[log]` words of `config.toml`, say). Each is
    /// read as the texts are: in any case, with runs of spaces and hyphens as one space. A
    /// word already known (as the same or another kind) becomes `kind`; an empty one is
    /// ignored.
    pub fn extend(&mut self, kind: LogKind, words: impl IntoIterator<Item = impl AsRef<str>>) {
        for phrase in words
            .into_iter()
            .filter_map(|w| Phrase::new(w.as_ref(), kind))
        {
            self.forget(&phrase.text);
            self.phrases.phrases.push(phrase);
        }
        self.index();
    }

    /// Adds phrases that say a call or visit did not connect (`buzón de voz`): outreach
    /// words that also make an entry of time together an outreach (rule 4).
    pub fn extend_unanswered(&mut self, words: impl IntoIterator<Item = impl AsRef<str>>) {
        for phrase in words
            .into_iter()
            .filter_map(|w| Phrase::new(w.as_ref(), LogKind::Outreach))
        {
            self.forget(&phrase.text);
            self.phrases.phrases.push(phrase.clone());
            self.unanswered.phrases.push(phrase);
        }
        self.index();
    }

    /// The kind the wording of `text` says (rules 2 to 4), or `None` when no phrase of the
    /// vocabulary is in it. Markers are not read here: see [`classify`].
    pub fn kind_of(&self, text: &str) -> Option<LogKind> {
        // A buffer per thread rather than per call: this runs for every Log item of every
        // note, and the scan is parallel.
        thread_local! {
            static NORMALIZED: RefCell<String> = const { RefCell::new(String::new()) };
        }
        NORMALIZED.with_borrow_mut(|normalized| {
            normalized.clear();
            normalize_into(text, normalized);
            let found = self.scan(normalized);
            let kind = found.first?;
            match kind {
                LogKind::Together if found.unanswered => Some(LogKind::Outreach),
                LogKind::Outreach if !found.unanswered && !found.not_answered => {
                    Some(found.exchange.unwrap_or(kind))
                }
                _ => Some(kind),
            }
        })
    }

    fn forget(&mut self, text: &str) {
        self.phrases.phrases.retain(|p| *p.text != *text);
        self.unanswered.phrases.retain(|p| *p.text != *text);
    }

    fn index(&mut self) {
        fn with(table: &Table, role: Role) -> impl Iterator<Item = Phrase> + '_ {
            table
                .phrases
                .iter()
                .map(move |p| Phrase { role, ..p.clone() })
        }
        self.all = Table::new(
            with(&self.phrases, Role::Kind)
                .chain(with(&self.unanswered, Role::Unanswered))
                .chain(with(&self.not_answered, Role::NotAnswered))
                .chain(with(&self.exchange, Role::Exchange))
                .collect(),
        );
        // Built when first used: a vocabulary is extended a word list at a time.
        self.matcher = std::sync::OnceLock::new();
    }

    /// One pass over `text` (normalized) for every rule at once.
    fn scan(&self, text: &str) -> Found {
        let mut found = Found::default();
        // The earliest, then longest, phrase of a kind, and of an exchange.
        let mut first: Option<(usize, usize)> = None;
        let mut exchange: Option<(usize, usize)> = None;
        // A DFA: some hundreds of kilobytes and milliseconds once, then the fastest search
        // per line. Phrases of a few dozen bytes always build; were one to fail, no phrase
        // is known and every entry is an outreach, as before words were read.
        let matcher = self.matcher.get_or_init(|| {
            aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(self.all.phrases.iter().map(|p| &*p.text))
                .ok()
        });
        let Some(matcher) = matcher else {
            return found;
        };
        for m in matcher.find_overlapping_iter(text) {
            let phrase = &self.all.phrases[m.pattern().as_usize()];
            let at = m.start();
            let after_word = text[..at]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            if !phrase.is_at(text, at, after_word) {
                continue;
            }
            let better = |best: Option<(usize, usize)>| {
                best.is_none_or(|(start, len)| (at, Reverse(m.len())) < (start, Reverse(len)))
            };
            match phrase.role {
                Role::Kind if better(first) => {
                    first = Some((at, m.len()));
                    found.first = Some(phrase.kind);
                }
                Role::Exchange if better(exchange) => {
                    exchange = Some((at, m.len()));
                    found.exchange = Some(phrase.kind);
                }
                Role::Unanswered => found.unanswered = true,
                Role::NotAnswered => found.not_answered = true,
                _ => {}
            }
        }
        found
    }
}

/// A Log item's kind, and its text without the marker that said so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Classified<'a> {
    pub kind: LogKind,
    /// The text, trimmed, without a leading marker (`→ coffee` is `coffee`); otherwise as
    /// given.
    pub text: &'a str,
}

/// The kind of a Log item from its text after the date (`coffee after the meetup`,
/// `replied — yes to coffee`, `→ café con Lucía`), by the rules of the [module](self).
pub fn classify<'a>(text: &'a str, vocabulary: &Vocabulary) -> Classified<'a> {
    let text = text.trim();
    if let Some((kind, rest)) = marker(text) {
        return Classified { kind, text: rest };
    }
    Classified {
        kind: vocabulary.kind_of(text).unwrap_or(LogKind::Outreach),
        text,
    }
}

/// The kind a leading marker says, and the text after it.
fn marker(text: &str) -> Option<(LogKind, &str)> {
    MARKERS.iter().find_map(|&(marker, kind)| {
        // `get`: the text may have a multi-byte character where the marker would end.
        let head = text.get(..marker.len())?;
        head.eq_ignore_ascii_case(marker)
            .then(|| (kind, text[marker.len()..].trim_start()))
    })
}

/// Appends `text` to `out` as phrases are compared: lowercase, each run of whitespace and
/// hyphens one space, typographic apostrophes `'`.
fn normalize_into(text: &str, out: &mut String) {
    if text.is_ascii() {
        normalize_ascii_into(text, out);
    } else {
        normalize_chars_into(text, out);
    }
}

fn normalize_chars_into(text: &str, out: &mut String) {
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() || c == '-' {
            if !space {
                out.push(' ');
            }
            space = true;
            continue;
        }
        space = false;
        match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' => out.push('\''),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// [`normalize_into`] for ASCII text (most Log lines), a byte at a time into room made
/// once, each byte written and the cursor moved past it unless it is a second gap: the
/// classifier normalises every Log line of every note it reads, and a word at a time (a
/// search, a copy and a lowercasing each) cost more (BENCHMARKS.md).
fn normalize_ascii_into(text: &str, out: &mut String) {
    let gap = |b: u8| b.is_ascii_whitespace() || b == b'-' || b == 0x0b;
    let mut bytes = std::mem::take(out).into_bytes();
    let mut end = bytes.len();
    bytes.resize(end + text.len(), 0);
    let mut space = false;
    for &b in text.as_bytes() {
        let is_gap = gap(b);
        bytes[end] = if is_gap { b' ' } else { b.to_ascii_lowercase() };
        end += usize::from(!(is_gap && space));
        space = is_gap;
    }
    bytes.truncate(end);
    // What was there and ASCII: text still; a failure (none can happen) leaves it empty.
    *out = String::from_utf8(bytes).unwrap_or_default();
}

#[cfg(test)]
mod tests {
    use proptest::strategy::Strategy as _;

    use super::*;
    use LogKind::{Outreach, Reply, Together};

    /// One default vocabulary for every case: its automaton is built once.
    fn kind(text: &str) -> LogKind {
        static DEFAULT: std::sync::LazyLock<Vocabulary> =
            std::sync::LazyLock::new(Vocabulary::default);
        classify(text, &DEFAULT).kind
    }

    /// An example sentence for every default word and phrase, and the kind it reads as.
    const EXAMPLES: &[(&str, LogKind)] = &[
        // outreach
        ("emailed about the slides", Outreach),
        ("Email re: the grant", Outreach),
        ("e-mailed the recap", Outreach),
        ("sent an e-mail about Berlin", Outreach),
        ("mailed a postcard", Outreach),
        ("sent the recap", Outreach),
        ("wrote a long letter", Outreach),
        ("texted happy birthday", Outreach),
        ("quick text about Friday", Outreach),
        ("messaged on LinkedIn", Outreach),
        ("LinkedIn message about the role", Outreach),
        ("DM on Twitter", Outreach),
        ("DM'd the link", Outreach),
        ("DMed the link", Outreach),
        ("pinged on Slack", Outreach),
        ("ping about the PR", Outreach),
        ("reached out about the job", Outreach),
        ("reach out re: intro", Outreach),
        ("followed up on the proposal", Outreach),
        ("follow-up on the proposal", Outreach),
        ("follow up on the proposal", Outreach),
        ("checked in after the move", Outreach),
        ("invited to the launch party", Outreach),
        ("invite to the barbecue", Outreach),
        ("congratulated on the new job", Outreach),
        ("congrats on the baby", Outreach),
        ("thanked for the intro", Outreach),
        ("wished happy birthday", Outreach),
        ("shared the article", Outreach),
        ("introduced to Sam", Outreach),
        ("intro to Sam", Outreach),
        ("commented on the post", Outreach),
        ("asked about the flat", Outreach),
        ("WhatsApp about the tickets", Outreach),
        ("whatsapped the photos", Outreach),
        ("slacked the notes", Outreach),
        ("tried to call, busy", Outreach),
        ("tried calling twice", Outreach),
        ("tried to reach her at the office", Outreach),
        ("didn't reply yet to my question", Outreach),
        ("hasn't replied to the invite", Outreach),
        ("haven't heard back since March", Outreach),
        ("left a message with his assistant", Outreach),
        ("left a voicemail", Outreach),
        ("voicemail again", Outreach),
        ("no answer on the landline", Outreach),
        ("didn't pick up", Outreach),
        ("did not pick up", Outreach),
        ("didn't answer the door", Outreach),
        ("did not answer", Outreach),
        ("no reply to the invitation", Outreach),
        ("no response to the proposal", Outreach),
        // reply
        ("replied — yes to coffee", Reply),
        ("reply: she's in", Reply),
        ("replies came in overnight", Reply),
        ("answered my question about visas", Reply),
        ("wrote back with dates", Reply),
        ("texted back a thumbs-up", Reply),
        ("emailed back the contract", Reply),
        ("messaged back from Lisbon", Reply),
        ("heard back about the role", Reply),
        ("heard from her via Tom", Reply),
        ("responded to the survey", Reply),
        ("response: not this year", Reply),
        ("got back to me about the sofa", Reply),
        ("got a reply at last", Reply),
        ("got an answer on the lease", Reply),
        ("got an email from her", Reply),
        ("got a text from him", Reply),
        ("got a message on Signal", Reply),
        ("got a card from Japan", Reply),
        ("received a thank-you note", Reply),
        ("accepted my invitation", Reply),
        ("declined the wedding invite", Reply),
        ("said yes to the panel", Reply),
        ("they wrote from Oslo", Reply),
        ("she wrote about the job", Reply),
        ("he wrote a kind note", Reply),
        ("they texted about the party", Reply),
        ("she texted photos", Reply),
        ("he texted at midnight", Reply),
        ("they emailed the minutes", Reply),
        ("she emailed the draft", Reply),
        ("he emailed about the car", Reply),
        ("they messaged on Discord", Reply),
        ("she messaged happy new year", Reply),
        ("he messaged from the airport", Reply),
        ("they sent a card", Reply),
        ("she sent her CV", Reply),
        ("he sent the photos", Reply),
        ("they reached out about a role", Reply),
        ("she reached out after the talk", Reply),
        ("he reached out for advice", Reply),
        ("wrote me a recommendation", Reply),
        ("texted me the address", Reply),
        ("emailed me the slides", Reply),
        ("messaged me on Telegram", Reply),
        ("pinged me about lunch", Reply),
        ("DM'd me the menu", Reply),
        ("invited me to her wedding", Reply),
        ("thanked me for the book", Reply),
        ("reached out to me first", Reply),
        ("he replied, happy to help", Reply),
        // together
        ("met at the conference", Together),
        ("meet at the office", Together),
        ("meeting about the grant", Together),
        ("met up in Leeds", Together),
        ("coffee after the meetup", Together),
        ("tea at hers", Together),
        ("lunch downtown", Together),
        ("dinner at Noma", Together),
        ("breakfast before the flight", Together),
        ("brunch on Sunday", Together),
        ("drinks with the old team", Together),
        ("beer after work", Together),
        ("beers at the pub", Together),
        ("call with Priya about the grant", Together),
        ("calls every Sunday", Together),
        ("called, long chat", Together),
        ("phoned about the move", Together),
        ("on the phone for an hour", Together),
        ("phone call about the offer", Together),
        ("rang to say hi", Together),
        ("video call with the kids", Together),
        ("video chat from Tokyo", Together),
        ("Zoom about the book", Together),
        ("zoomed for an hour", Together),
        ("FaceTime with the twins", Together),
        ("facetimed from the beach", Together),
        ("Teams call re budget", Together),
        ("Skype with grandma", Together),
        ("skyped from Peru", Together),
        ("WhatsApp call from Lagos", Together),
        ("walk in the park", Together),
        ("walked the dogs together", Together),
        ("hike up Snowdon", Together),
        ("hiked the ridge", Together),
        ("visit to their new flat", Together),
        ("visited in hospital", Together),
        ("stayed with them in Rome", Together),
        ("hosted us for dinner", Together),
        ("dropped by with cake", Together),
        ("stopped by the shop", Together),
        ("bumped into her at the station", Together),
        ("ran into him at the gym", Together),
        ("caught up over the phone", Together),
        ("catch-up at the café", Together),
        ("hung out at the lake", Together),
        ("hangout on Discord", Together),
        ("chat at the bus stop", Together),
        ("chatted after class", Together),
        ("talked about the move", Together),
        ("spoke at length about AI", Together),
        ("played tennis", Together),
        ("conference in Lisbon", Together),
        ("party at Sam's", Together),
        ("wedding in Cork", Together),
        ("concert at the Roundhouse", Together),
        ("game night", Together),
    ];

    #[test]
    fn every_default_phrase_reads_as_its_kind_in_a_sentence() {
        let vocabulary = Vocabulary::default();
        for &(text, expected) in EXAMPLES {
            assert_eq!(classify(text, &vocabulary).kind, expected, "{text}");
            assert_eq!(classify(text, &vocabulary).text, text);
        }
        // Each default phrase has an example of its kind; and on its own reads as its kind,
        // so no two lists hold the same phrase.
        let lists = [
            (OUTREACH, Outreach),
            (UNANSWERED, Outreach),
            (REPLY, Reply),
            (TOGETHER, Together),
        ];
        for (list, expected) in lists {
            for &phrase in list {
                assert_eq!(kind(phrase), expected, "{phrase}");
                let mut wanted = String::new();
                normalize_into(phrase, &mut wanted);
                let has_example = EXAMPLES.iter().any(|&(text, kind)| {
                    let mut example = String::new();
                    normalize_into(text, &mut example);
                    let phrase = Phrase::new(&wanted, kind).unwrap();
                    kind == expected
                        && example.char_indices().any(|(at, _)| {
                            let after_word = example[..at]
                                .chars()
                                .next_back()
                                .is_some_and(char::is_alphanumeric);
                            phrase.is_at(&example, at, after_word)
                        })
                });
                assert!(has_example, "no example for {phrase}");
            }
        }
    }

    #[test]
    fn the_documented_defaults_are_the_defaults() {
        let source = include_str!("kind.rs");
        let start = source.find("impl Default for Vocabulary").unwrap();
        let docs = source[start..]
            .lines()
            .take_while(|line| !line.contains("fn default()"))
            .filter_map(|line| line.trim().strip_prefix("///"))
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(" ");
        for (title, list) in [
            ("- Outreach:", OUTREACH),
            (
                "- Unanswered (outreach that also undoes time together):",
                UNANSWERED,
            ),
            ("- Reply:", REPLY),
            ("- Together:", TOGETHER),
        ] {
            let at = docs.find(title).unwrap() + title.len();
            let listed = docs[at..].split_once('.').unwrap().0;
            let listed: Vec<&str> = listed.split(',').map(str::trim).collect();
            assert_eq!(listed, list, "{title}");
        }
    }

    #[test]
    fn markers_say_the_kind_in_any_language() {
        for (text, expected, rest) in [
            ("→ café con Lucía", Outreach, "café con Lucía"),
            ("→café con Lucía", Outreach, "café con Lucía"),
            ("-> Kaffee mit Jonas", Outreach, "Kaffee mit Jonas"),
            ("->Kaffee", Outreach, "Kaffee"),
            ("out: mailed the book", Outreach, "mailed the book"),
            ("OUT:mailed the book", Outreach, "mailed the book"),
            ("Out:   coffee", Outreach, "coffee"),
            ("← respondió", Reply, "respondió"),
            ("←respondió", Reply, "respondió"),
            ("<- a répondu", Reply, "a répondu"),
            ("<-a répondu", Reply, "a répondu"),
            ("in: hat geantwortet", Reply, "hat geantwortet"),
            ("In:emailed me", Reply, "emailed me"),
            ("↔ café con Lucía", Together, "café con Lucía"),
            ("↔café", Together, "café"),
            ("<-> 一緒に昼ご飯", Together, "一緒に昼ご飯"),
            ("<->lunch", Together, "lunch"),
            ("met: Kaffee mit Jonas", Together, "Kaffee mit Jonas"),
            ("MET:Kaffee mit Jonas", Together, "Kaffee mit Jonas"),
            // a marker overrides the wording after it
            ("→ replied to her", Outreach, "replied to her"),
            ("in: emailed", Reply, "emailed"),
            ("met: left a voicemail", Together, "left a voicemail"),
            ("  →  trimmed  ", Outreach, "trimmed"),
            ("→", Outreach, ""),
        ] {
            assert_eq!(
                classify(text, &Vocabulary::default()),
                Classified {
                    kind: expected,
                    text: rest
                },
                "{text}"
            );
        }
    }

    #[test]
    fn markers_count_only_at_the_start() {
        for (text, expected) in [
            ("coffee -> then emailed", Together),
            ("emailed → coffee", Outreach),
            ("inbox: replied", Reply),
            ("outside: walked", Together),
            ("metro: emailed", Outreach),
            ("met:", Together),
            ("in", Outreach),
        ] {
            assert_eq!(kind(text), expected, "{text}");
        }
        assert_eq!(
            classify("coffee -> then emailed", &Vocabulary::default()).text,
            "coffee -> then emailed"
        );
    }

    #[test]
    fn phrases_match_whole_words_only() {
        for (text, expected) in [
            ("present for the baby", Outreach),
            ("metal band gig", Outreach),
            ("meteor shower", Outreach),
            ("recall the budget", Outreach),
            ("callback requested", Outreach),
            ("teammate stuff", Outreach),
            ("she wrote", Reply),
            ("shewrote", Outreach),
            ("Met", Together),
            ("met.", Together),
            ("(met)", Together),
            ("met!", Together),
            ("met—briefly", Together),
            ("“coffee”", Together),
            ("coffee's on me", Together),
            ("met2", Outreach),
            ("wrote  back", Reply),
            ("wrote\tback", Reply),
            ("wrote-back", Reply),
            ("didn’t pick up", Outreach),
            ("CALLED, no answer", Outreach),
            ("caught-up", Together),
            ("catch up over beers", Together),
        ] {
            assert_eq!(kind(text), expected, "{text}");
        }
    }

    #[test]
    fn the_earliest_phrase_decides_and_then_the_longest() {
        for (text, expected) in [
            ("emailed to set up coffee", Outreach),
            ("coffee, then I emailed the notes", Together),
            ("replied — yes to coffee", Reply),
            ("dinner; she replied later about the flat", Together),
            ("sent the deck, they replied the next day", Reply),
            ("wrote back", Reply),
            ("wrote", Outreach),
            ("she wrote back", Reply),
            ("no reply yet", Outreach),
            ("reply yet", Reply),
            ("WhatsApp call", Together),
            ("whatsapp", Outreach),
            ("phone call", Together),
            ("haven't heard back", Outreach),
            ("emailed me back", Reply),
            ("reached out to me about coffee", Reply),
        ] {
            assert_eq!(kind(text), expected, "{text}");
        }
    }

    /// Rule 5, on Log lines as the bench vault's generator writes them (as people do).
    #[test]
    fn a_message_that_became_a_conversation_is_not_an_outreach() {
        use LogKind::{Outreach, Reply, Together};
        for (text, expected) in [
            (
                "WhatsApp; caught up on the reorg and [[Harbor Systems]].",
                Together,
            ),
            (
                "Sent a birthday message; they asked about a podcast idea.",
                Reply,
            ),
            ("Texted; she told me about the new job", Reply),
            (
                "Emailed; talked through the grant on the phone later",
                Together,
            ),
            ("LinkedIn DM; discussed the move to Lisbon", Together),
            ("Emailed; they asked about marathon training.", Reply),
            ("Emailed the deck; hasn't replied yet", Outreach),
            ("Texted to ask how the talk went; no reply", Outreach),
            ("Emailed to set up coffee", Outreach),
            ("WhatsApp; they're hiring", Outreach),
        ] {
            assert_eq!(kind(text), expected, "{text}");
        }
    }

    #[test]
    fn a_call_that_did_not_connect_is_an_outreach() {
        for (text, expected) in [
            ("called, left a voicemail", Outreach),
            ("called, left a message", Outreach),
            ("call — voicemail", Outreach),
            ("called; no answer", Outreach),
            ("phoned but he didn't pick up", Outreach),
            ("zoom: she did not answer", Outreach),
            ("called and didn't answer", Outreach),
            ("coffee planned, no reply", Outreach),
            ("called, no response", Outreach),
            ("called, long chat", Together),
            // only time together is undone
            ("replied, left a voicemail too", Reply),
            ("emailed, no answer", Outreach),
            // the override is on word boundaries too
            ("called about the voicemails", Together),
        ] {
            assert_eq!(kind(text), expected, "{text}");
        }
    }

    #[test]
    fn unknown_wording_is_an_outreach_with_its_text_unchanged() {
        let vocabulary = Vocabulary::default();
        for text in [
            "",
            "birthday",
            "🎂",
            "Kaffee mit Jonas",
            "almuerzo con Ana",
            "réunion à Paris",
            "  padded  ",
        ] {
            assert_eq!(
                classify(text, &vocabulary),
                Classified {
                    kind: Outreach,
                    text: text.trim()
                },
                "{text}"
            );
            assert_eq!(vocabulary.kind_of(text), None, "{text}");
        }
        assert_eq!(vocabulary.kind_of("coffee"), Some(Together));
    }

    #[test]
    fn users_add_words_of_their_own() {
        let mut vocabulary = Vocabulary::default();
        vocabulary.extend(
            Together,
            [
                "Kaffee",
                "almuerzo",
                "ran a workshop with",
                "  Réunion  ",
                "☕",
                "",
            ]
            .map(String::from),
        );
        vocabulary.extend(Reply, ["respondió", "hat geantwortet"]);
        vocabulary.extend(Outreach, ["geschrieben", "call"]);
        vocabulary.extend_unanswered(["buzón de voz"]);
        let kind = |text: &str| classify(text, &vocabulary).kind;
        for (text, expected) in [
            ("Kaffee mit Jonas", Together),
            ("KAFFEE", Together),
            ("Kaffeemaschine gekauft", Outreach),
            ("almuerzo con Ana", Together),
            ("ran a workshop with the team", Together),
            ("ran  a workshop-with them", Together),
            ("RÉUNION à Paris", Together),
            ("☕ with Mo", Together),
            ("with Mo ☕", Together),
            ("respondió que sí", Reply),
            ("Jonas hat geantwortet", Reply),
            ("geschrieben wegen Kaffee", Outreach),
            ("Kaffee, dann geschrieben", Together),
            // a user's word replaces a default one of the same spelling
            ("call about the grant", Outreach),
            ("called about the grant", Together),
            ("almuerzo, buzón de voz", Outreach),
            ("emailed", Outreach),
        ] {
            assert_eq!(kind(text), expected, "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn classify_never_panics(text in "\\PC{0,40}") {
            let classified = classify(&text, &DEFAULT);
            proptest::prop_assert!(text.contains(classified.text));
        }
    }

    static DEFAULT: std::sync::LazyLock<Vocabulary> = std::sync::LazyLock::new(Vocabulary::default);

    proptest::proptest! {
        #[test]
        fn ascii_text_is_normalised_as_a_character_at_a_time_would(
            text in "[ \\t\\n\\x0B\\x0C\\ra-zA-Z0-9'.,:-]{0,40}",
            before in "[ a-z]{0,3}",
        ) {
            let (mut fast, mut slow) = (before.clone(), before);
            normalize_ascii_into(&text, &mut fast);
            normalize_chars_into(&text, &mut slow);
            proptest::prop_assert_eq!(fast, slow);
        }
    }

    proptest::proptest! {
        // Each case builds its own vocabulary's automaton (milliseconds): fewer cases.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        #[test]
        fn classify_never_panics_near_phrases(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(vec![
                        "met", "call", "→", "<-", "in:", "İ", "ß", "é", "’", "-", " ", "\t",
                        "didn't", "no answer", "wrote back", "☕", "\u{301}", "ﬃ",
                    ]).prop_map(String::from),
                    "\\PC{0,3}",
                ],
                0..8,
            ),
            words in proptest::collection::vec("\\PC{0,6}", 0..4),
        ) {
            let mut vocabulary = Vocabulary::default();
            vocabulary.extend(Together, words.iter());
            vocabulary.extend_unanswered(words.iter().rev());
            let text = parts.concat();
            let classified = classify(&text, &vocabulary);
            proptest::prop_assert!(text.contains(classified.text));
        }
    }
}
