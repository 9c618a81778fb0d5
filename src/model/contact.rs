//! The contact: what one note says about one person, as typed values.
//!
//! Parsed once at the edge (`note`), then trusted everywhere else.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::date::Precision;
use super::{Birthday, Cadence, Log, LogKind};

/// One contact note, read.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Contact {
    /// Vault-relative path of the note. Not saved: the parse cache has it in its index, and
    /// gives it back to the contacts it reads.
    #[serde(skip)]
    pub path: PathBuf,
    /// The `name` key, else the file stem.
    pub name: Box<str>,
    /// The file stem (what a plain `[[wikilink]]` names).
    pub stem: Box<str>,
    pub aliases: Vec<String>,
    #[serde(with = "super::date::days::option")]
    pub met_date: Option<NaiveDate>,
    /// How much of `met-date` the note gave (`2019` is a year): how it is shown back.
    pub met_precision: Precision,
    pub context: Option<Box<str>>,
    /// The `last-touch` key (or its alias); see [`Contact::last_outreach`] for the effective date.
    #[serde(with = "super::date::days::option")]
    pub last_touch: Option<NaiveDate>,
    #[serde(with = "super::date::days::option")]
    pub last_reply: Option<NaiveDate>,
    pub cadence: Option<Cadence>,
    #[serde(with = "super::date::days::option")]
    pub snooze_until: Option<NaiveDate>,
    /// `paused`: off the list until `resume`, whatever the cadence.
    pub paused: Option<Mark>,
    /// `let-go`: off the schedule for good (the prune rule), the note kept.
    pub let_go: Option<Mark>,
    /// `role-changed`: when an import found a new role or company (from the export), and
    /// `previous-role` what the note said before: the draft congratulates.
    #[serde(with = "super::date::days::option")]
    pub role_changed: Option<NaiveDate>,
    pub previous_role: Option<Box<str>>,
    #[serde(with = "super::date::days::option")]
    pub recommended: Option<NaiveDate>,
    pub birthday: Option<Birthday>,
    pub email: Option<Box<str>>,
    pub linkedin: Option<Box<str>>,
    pub company: Option<Box<str>>,
    pub role: Option<Box<str>>,
    /// Decoded when asked ([`super::Packed::get`]): a template, `list --tag` and `show` read
    /// them.
    pub tags: super::Packed<Vec<String>>,
    /// The dated entries of the `## Log` section.
    pub log: Log,
    /// What the note's own words give a draft, when they give anything.
    pub body: BodyFacts,
    /// Which spelling the note uses for each key we may write (`lastContact`, `last_contact`…).
    pub spellings: Spellings,
    /// The normalised spellings that name this contact, computed once when the note is read
    /// (in parallel) rather than on every lookup.
    pub keys: NameKeys,
    /// Every front-matter key that is not one of the typed ones above, in the note's order.
    pub extra: Extra,
    /// Which read of the note this is: for a read the parse cache can keep, a hash of the
    /// note's path and its cached value, the same in every run for the same read; for any
    /// other read from disk ([`crate::vault::read_note`]) a number unique within the process
    /// and drawn anew in each run;
    /// 0 for contacts made otherwise. What was rendered from a contact can be reused while
    /// its revision is the same. Not saved: it is the hash of what is saved.
    #[serde(skip)]
    pub revision: u64,
}

/// What the note's own words hold for a draft (see `note::body`), in one allocation: the
/// hashes of its link targets, then the encoding of its [`Words`], 8 bytes to a word. Empty,
/// and nothing allocated, when the note has none of it. A box holding the two as buffers of
/// their own took three allocations a note.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct BodyFacts {
    data: Box<[u64]>,
    /// How many of `data` are links; the rest hold the words' encoding.
    links: u32,
    /// The length of the words' encoding, in bytes.
    words: u32,
}

/// The note's own words a draft may quote.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Words {
    /// The first line of its `## Notes` or `## About` section.
    pub about: Option<String>,
    /// Open tasks outside the Log (`- [ ] send the river map`), the first few.
    pub follow_ups: Vec<String>,
}

impl BodyFacts {
    /// Link targets without heading, block or alias parts, each as the hash of its name key
    /// (`note::body::link_key`), which is what they are matched by; and what a draft may
    /// quote.
    pub fn new(words: &Words, links: &[u64]) -> BodyFacts {
        let words = if *words == Words::default() {
            Vec::new()
        } else {
            // Our own plain data always encodes.
            postcard::to_allocvec(words).unwrap_or_default()
        };
        BodyFacts::of_parts(links, &words)
    }

    /// The facts of `links` and the encoding `words` of their words.
    fn of_parts(links: &[u64], words: &[u8]) -> BodyFacts {
        // A note of four billion links would not be read: the cap only keeps this total.
        let links = &links[..links.len().min(u32::MAX as usize)];
        let words = &words[..words.len().min(u32::MAX as usize)];
        let mut data = Vec::with_capacity(links.len() + words.len().div_ceil(8));
        data.extend_from_slice(links);
        data.extend(words.chunks(8).map(|chunk| {
            let mut word = [0; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            u64::from_le_bytes(word)
        }));
        BodyFacts {
            data: data.into_boxed_slice(),
            links: u32::try_from(links.len()).unwrap_or(u32::MAX),
            words: u32::try_from(words.len()).unwrap_or(u32::MAX),
        }
    }

    pub fn links(&self) -> &[u64] {
        &self.data[..self.links as usize]
    }

    /// What a draft may quote: decoded when asked, as only the day's drafts read it.
    pub fn words(&self) -> Words {
        let bytes = self.words_bytes();
        if bytes.is_empty() {
            return Words::default();
        }
        // Made by `new`, or read back from the cache and checked against its checksum.
        postcard::from_bytes(&bytes).unwrap_or_default()
    }

    fn words_bytes(&self) -> Vec<u8> {
        let mut bytes: Vec<u8> = self.data[self.links as usize..]
            .iter()
            .flat_map(|w| w.to_le_bytes())
            .collect();
        bytes.truncate(self.words as usize);
        bytes
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

impl std::fmt::Debug for BodyFacts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BodyFacts")
            .field("words", &self.words())
            .field("links", &self.links())
            .finish()
    }
}

/// As people read it: the words and the links.
#[derive(serde::Serialize, serde::Deserialize)]
struct ReadableBody {
    words: Words,
    links: Vec<u64>,
}

/// In a format of bytes (the parse cache's), the links as 8 little-endian bytes each and
/// the words' encoding: a hash as a variable-length number takes 9 or 10 bytes, and reading
/// a vault's 200,000 of them back one by one showed in a cached load's profile.
impl serde::Serialize for BodyFacts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeTuple as _;
        if serializer.is_human_readable() {
            return ReadableBody {
                words: self.words(),
                links: self.links().to_vec(),
            }
            .serialize(serializer);
        }
        let links: Vec<u8> = self.links().iter().flat_map(|h| h.to_le_bytes()).collect();
        let mut tuple = serializer.serialize_tuple(2)?;
        tuple.serialize_element(&AsBytes(&links))?;
        tuple.serialize_element(&AsBytes(&self.words_bytes()))?;
        tuple.end()
    }
}

/// Bytes that serialise as a byte string, not as a sequence of numbers.
struct AsBytes<'a>(&'a [u8]);

impl serde::Serialize for AsBytes<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for BodyFacts {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<BodyFacts, D::Error> {
        use serde::de::Error as _;
        struct Parts;
        impl<'de> serde::de::Visitor<'de> for Parts {
            type Value = BodyFacts;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("the links and the words of a note")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<BodyFacts, A::Error> {
                let missing = || A::Error::invalid_length(0, &self);
                let links: Bytes<'de> = seq.next_element()?.ok_or_else(missing)?;
                let words: Bytes<'de> = seq.next_element()?.ok_or_else(missing)?;
                let (hashes, rest) = links.0.as_chunks::<8>();
                if !rest.is_empty() {
                    return Err(A::Error::invalid_length(
                        links.0.len(),
                        &"hashes of 8 bytes each",
                    ));
                }
                let hashes: Vec<u64> = hashes.iter().map(|w| u64::from_le_bytes(*w)).collect();
                Ok(BodyFacts::of_parts(&hashes, &words.0))
            }
        }
        if deserializer.is_human_readable() {
            let body = ReadableBody::deserialize(deserializer)?;
            return Ok(BodyFacts::new(&body.words, &body.links));
        }
        deserializer.deserialize_tuple(2, Parts)
    }
}

/// A byte string as read: borrowed from the cache's bytes where the format allows.
struct Bytes<'de>(std::borrow::Cow<'de, [u8]>);

impl<'de> serde::Deserialize<'de> for Bytes<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Bytes<'de>, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Bytes<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("bytes")
            }

            fn visit_borrowed_bytes<E>(self, bytes: &'de [u8]) -> Result<Bytes<'de>, E> {
                Ok(Bytes(std::borrow::Cow::Borrowed(bytes)))
            }

            fn visit_bytes<E>(self, bytes: &[u8]) -> Result<Bytes<'de>, E> {
                Ok(Bytes(std::borrow::Cow::Owned(bytes.to_vec())))
            }
        }
        deserializer.deserialize_bytes(Visit)
    }
}

/// `Compiler engineer at Quintessence Labs`, or either alone.
pub fn role_and_company(role: Option<&str>, company: Option<&str>) -> Option<String> {
    match (role, company) {
        (Some(role), Some(company)) => Some(format!("{role} at {company}")),
        (one, other) => one.or(other).map(str::to_owned),
    }
}

/// A key that is set or not, with the day it was set when the note gives one: `paused:
/// 2026-12-01` (what vault-reach writes) or `paused: true`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Mark {
    #[serde(with = "super::date::days::option")]
    pub since: Option<NaiveDate>,
}

/// The key spellings a note already uses, so write-back keeps a `lastContact` vault a
/// `lastContact` vault; none where the note does not have the key (write the canonical
/// name). Each is kept as its place in [`Spellings::WRITTEN`] plus one, 0 for none: three
/// bytes a contact, where three references to the spellings took 48.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Spellings {
    #[serde(deserialize_with = "written_place")]
    last_touch: u8,
    #[serde(deserialize_with = "written_place")]
    last_reply: u8,
    #[serde(deserialize_with = "written_place")]
    recommended: u8,
}

/// One of [`Spellings::WRITTEN`].
pub type Written = &'static str;

/// The keys whose spelling a note keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spelled {
    LastTouch,
    LastReply,
    Recommended,
}

impl Spellings {
    /// Every spelling of the keys an edit writes (`last-touch`, `last-reply`, `recommended`)
    /// that a note may use: those `note::keys::field_of` reads as these fields, which a test
    /// there holds to this list.
    pub const WRITTEN: [&'static str; 9] = [
        "last-touch",
        "last_contact",
        "last-contact",
        "lastContact",
        "last contact",
        "last_chat",
        "prm-last-contacted",
        "last-reply",
        "recommended",
    ];

    /// `key` as one of [`Spellings::WRITTEN`].
    pub fn written(key: &str) -> Option<&'static str> {
        Spellings::WRITTEN.iter().copied().find(|k| *k == key)
    }

    /// How the note spells `key`, when it has it.
    pub fn get(&self, key: Spelled) -> Option<Written> {
        let place = match key {
            Spelled::LastTouch => self.last_touch,
            Spelled::LastReply => self.last_reply,
            Spelled::Recommended => self.recommended,
        };
        let index = usize::from(place.checked_sub(1)?);
        Spellings::WRITTEN.get(index).copied()
    }

    /// Records that the note spells `key` as `spelling`; one that is not among
    /// [`Spellings::WRITTEN`], or none, records that it does not have the key.
    pub fn set(&mut self, key: Spelled, spelling: Option<&str>) {
        let place = spelling
            .and_then(|s| Spellings::WRITTEN.iter().position(|k| *k == s))
            .and_then(|i| u8::try_from(i + 1).ok())
            .unwrap_or(0);
        match key {
            Spelled::LastTouch => self.last_touch = place,
            Spelled::LastReply => self.last_reply = place,
            Spelled::Recommended => self.recommended = place,
        }
    }
}

/// A spelling's place read back from the parse cache; one beyond [`Spellings::WRITTEN`]
/// makes the value unreadable, and the note is read again.
fn written_place<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u8, D::Error> {
    let place = <u8 as serde::Deserialize>::deserialize(deserializer)?;
    if usize::from(place) > Spellings::WRITTEN.len() {
        return Err(serde::de::Error::custom(format!(
            "{place} is no key spelling's place"
        )));
    }
    Ok(place)
}

/// Each way to name a contact, normalised (`names::name_keys` computes them), packed: one
/// string holds each key once, and each key is a span of it. A name's key is most often its
/// file name's, and its link key the same again, so most contacts hold one or two keys in
/// one allocation, where five strings and a vector took 120 bytes and four allocations.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NameKeys {
    text: Box<str>,
    /// Where the path, stem, name and link keys lie in `text`.
    spans: [(u32, u32); 4],
    /// Where each alias's key lies in `text`.
    aliases: Box<[(u32, u32)]>,
}

impl NameKeys {
    /// The keys of the vault path without `.md`, the file stem, the name, the file stem as
    /// Obsidian compares link targets (NFC, lowercase: see `names::stem_key`), and the
    /// aliases.
    pub fn new<'k>(
        path: &str,
        stem: &str,
        name: &str,
        link: &str,
        aliases: impl IntoIterator<Item = &'k str>,
    ) -> NameKeys {
        let mut text = String::with_capacity(path.len() + stem.len());
        let mut spans: Vec<(u32, u32)> = Vec::with_capacity(4);
        let mut span_of = |key: &str, spans: &[(u32, u32)]| {
            let same = spans
                .iter()
                .find(|&&(start, end)| text.get(start as usize..end as usize) == Some(key));
            same.copied().unwrap_or_else(|| {
                let at = |n: usize| u32::try_from(n).expect("name keys under 4 GiB");
                let start = at(text.len());
                text.push_str(key);
                (start, at(text.len()))
            })
        };
        for key in [path, stem, name, link] {
            let span = span_of(key, &spans);
            spans.push(span);
        }
        let aliases: Box<[(u32, u32)]> = aliases
            .into_iter()
            .map(|alias| span_of(alias, &spans))
            .collect();
        NameKeys {
            text: text.into_boxed_str(),
            spans: [spans[0], spans[1], spans[2], spans[3]],
            aliases,
        }
    }

    fn key(&self, (start, end): (u32, u32)) -> &str {
        // Spans are ours, but a value read back from the cache is never trusted to panic on.
        self.text
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }

    /// The vault path without `.md`.
    pub fn path(&self) -> &str {
        self.key(self.spans[0])
    }

    pub fn stem(&self) -> &str {
        self.key(self.spans[1])
    }

    pub fn name(&self) -> &str {
        self.key(self.spans[2])
    }

    /// The file stem as Obsidian compares link targets.
    pub fn link(&self) -> &str {
        self.key(self.spans[3])
    }

    pub fn aliases(&self) -> impl Iterator<Item = &str> {
        self.aliases.iter().map(|&span| self.key(span))
    }
}

impl Contact {
    /// A contact with only a name, for tests and for notes in `people` folders.
    pub fn named(name: &str) -> Self {
        Contact {
            path: PathBuf::from(format!("{name}.md")),
            name: name.into(),
            stem: name.into(),
            ..Contact::default()
        }
    }

    /// The later of `last-touch` and the newest outreach in the Log.
    pub fn last_outreach(&self) -> Option<NaiveDate> {
        let logged = self.log.newest_of(LogKind::Outreach);
        self.last_touch.max(logged)
    }

    /// The later of `last-reply` and the newest reply in the Log.
    pub fn last_replied(&self) -> Option<NaiveDate> {
        let logged = self.log.newest_of(LogKind::Reply);
        self.last_reply.max(logged)
    }

    /// The newest time together in the Log (a coffee, a call, a visit).
    pub fn last_together(&self) -> Option<NaiveDate> {
        self.log.newest_of(LogKind::Together)
    }

    /// The newest sign that they answer: a reply, or time spent together.
    pub fn last_answer(&self) -> Option<NaiveDate> {
        self.last_replied().max(self.last_together())
    }

    /// The newest interaction of any kind: what the cadence counts from.
    pub fn last_interaction(&self) -> Option<NaiveDate> {
        self.last_outreach().max(self.last_answer())
    }

    /// True when the note lacks `met-date` or `context`: the first rule is not yet honoured.
    pub fn is_loose(&self) -> bool {
        self.met_date.is_none() || self.context.as_deref().is_none_or(|c| c.trim().is_empty())
    }
}

/// A note's front-matter keys that are not typed fields, with their values, in the note's
/// order: kept encoded, as the parse cache holds them ([`super::Packed`]), and decoded when
/// asked ([`Extra::pairs`]). A template that shows them is rare, and decoding every
/// contact's YAML values on every load showed in its profile, as 96 bytes a key did in its
/// memory.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Extra(super::Packed<Pairs>);

/// The pairs, through the mirror of YAML values every serde format reads back.
#[derive(Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
struct Pairs(#[serde(with = "extra_values")] Vec<(String, yaml_serde::Value)>);

impl Extra {
    pub fn new(pairs: &[(String, yaml_serde::Value)]) -> Extra {
        Extra(super::Packed::new(&Pairs(pairs.to_vec())))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Each key and its value, in the note's order.
    pub fn pairs(&self) -> Vec<(String, yaml_serde::Value)> {
        self.0.get().0
    }

    /// `pairs` with `key: value` added at the end.
    pub fn push(&mut self, key: String, value: yaml_serde::Value) {
        let mut pairs = self.0.get();
        pairs.0.push((key, value));
        self.0 = super::Packed::new(&pairs);
    }
}

/// `extra`'s YAML values in a shape every serde format reads back. `yaml_serde::Value` reads
/// itself by asking the input what comes next, which a format without type marks (the parse
/// cache's) cannot answer; this mirror names each variant.
mod extra_values {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use yaml_serde::value::{Tag, TaggedValue};
    use yaml_serde::{Mapping, Number, Value};

    #[derive(Serialize, Deserialize)]
    enum Yaml {
        Null,
        Bool(bool),
        Int(i64),
        Uint(u64),
        Float(f64),
        String(String),
        Sequence(Vec<Yaml>),
        Mapping(Vec<(Yaml, Yaml)>),
        Tagged(String, Box<Yaml>),
    }

    fn mirror(value: &Value) -> Yaml {
        match value {
            Value::Null => Yaml::Null,
            Value::Bool(b) => Yaml::Bool(*b),
            Value::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => Yaml::Int(i),
                (None, Some(u)) => Yaml::Uint(u),
                (None, None) => Yaml::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => Yaml::String(s.clone()),
            Value::Sequence(items) => Yaml::Sequence(items.iter().map(mirror).collect()),
            Value::Mapping(map) => {
                Yaml::Mapping(map.iter().map(|(k, v)| (mirror(k), mirror(v))).collect())
            }
            Value::Tagged(tagged) => {
                Yaml::Tagged(tagged.tag.to_string(), Box::new(mirror(&tagged.value)))
            }
        }
    }

    fn value(yaml: Yaml) -> Value {
        match yaml {
            Yaml::Null => Value::Null,
            Yaml::Bool(b) => Value::Bool(b),
            Yaml::Int(i) => Value::Number(Number::from(i)),
            Yaml::Uint(u) => Value::Number(Number::from(u)),
            Yaml::Float(f) => Value::Number(Number::from(f)),
            Yaml::String(s) => Value::String(s),
            Yaml::Sequence(items) => Value::Sequence(items.into_iter().map(value).collect()),
            Yaml::Mapping(pairs) => Value::Mapping(
                pairs
                    .into_iter()
                    .map(|(k, v)| (value(k), value(v)))
                    .collect::<Mapping>(),
            ),
            Yaml::Tagged(tag, inner) => Value::Tagged(Box::new(TaggedValue {
                tag: Tag::new(tag),
                value: value(*inner),
            })),
        }
    }

    pub fn serialize<S: Serializer>(
        extra: &[(String, Value)],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(extra.iter().map(|(key, v)| (key, mirror(v))))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<(String, Value)>, D::Error> {
        let pairs = Vec::<(String, Yaml)>::deserialize(deserializer)?;
        Ok(pairs.into_iter().map(|(key, y)| (key, value(y))).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LogEntry;

    #[test]
    fn each_key_keeps_its_spelling_and_a_damaged_one_is_no_read() {
        for key in [Spelled::LastTouch, Spelled::LastReply, Spelled::Recommended] {
            for spelling in Spellings::WRITTEN {
                let mut spellings = Spellings::default();
                spellings.set(key, Some(spelling));
                assert_eq!(spellings.get(key), Some(spelling));
                let bytes = postcard::to_allocvec(&spellings).unwrap();
                assert_eq!(
                    postcard::from_bytes::<Spellings>(&bytes).unwrap(),
                    spellings
                );
                spellings.set(key, None);
                assert_eq!(spellings, Spellings::default());
            }
            let mut spellings = Spellings::default();
            spellings.set(key, Some("lastcontact"));
            assert_eq!(spellings.get(key), None, "not a spelling an edit writes");
        }
        let mut others = Spellings::default();
        others.set(Spelled::LastReply, Some("last-reply"));
        assert_eq!(others.get(Spelled::LastTouch), None);
        assert!(postcard::from_bytes::<Spellings>(&[10, 0, 0]).is_err());
    }

    #[test]
    fn extra_keys_come_back_as_they_were_from_bytes_and_from_json() {
        use yaml_serde::Value;
        let pairs = vec![
            ("favourite".to_owned(), Value::String("tea".into())),
            (
                "met-at".to_owned(),
                Value::Sequence(vec![1.into(), 2.5.into(), Value::Null]),
            ),
            ("private".to_owned(), Value::Bool(true)),
        ];
        let extra = Extra::new(&pairs);
        assert_eq!(extra.pairs(), pairs);
        let cached: Extra = postcard::from_bytes(&postcard::to_allocvec(&extra).unwrap()).unwrap();
        assert_eq!(cached, extra);
        // A format people read gets the keys and values, not the bytes.
        let json = serde_json::to_string(&extra).unwrap();
        assert_eq!(
            json,
            r#"[["favourite",{"String":"tea"}],["met-at",{"Sequence":[{"Int":1},{"Float":2.5},"Null"]}],["private",{"Bool":true}]]"#
        );
        assert_eq!(serde_json::from_str::<Extra>(&json).unwrap(), extra);
        let mut grown = Extra::default();
        assert!(grown.is_empty() && grown.pairs().is_empty());
        for (key, value) in pairs.clone() {
            grown.push(key, value);
        }
        assert_eq!(grown, extra);
    }

    #[test]
    fn a_notes_links_and_words_come_back_from_bytes_and_from_json() {
        let links = [7, u64::MAX, 0x0102_0304_0506_0708];
        // Words whose encoding ends inside a word of the one buffer, and one that does not.
        for about in ["maps", "rivers of the north", "abcdefg"] {
            let words = Words {
                about: Some(about.into()),
                follow_ups: vec!["send the river map".into()],
            };
            for links in [&links[..], &[]] {
                let facts = BodyFacts::new(&words, links);
                assert_eq!((facts.words(), facts.links()), (words.clone(), links));
                let cached: BodyFacts =
                    postcard::from_bytes(&postcard::to_allocvec(&facts).unwrap()).unwrap();
                assert_eq!(cached, facts);
                let json = serde_json::to_string(&facts).unwrap();
                assert_eq!(serde_json::from_str::<BodyFacts>(&json).unwrap(), facts);
            }
        }
        // Nothing to keep takes nothing.
        let none = BodyFacts::new(&Words::default(), &[]);
        assert!(none.is_empty());
        assert_eq!(none, BodyFacts::default());
        assert_eq!(none.words(), Words::default());
        let links_only = BodyFacts::new(&Words::default(), &links);
        assert_eq!(
            (links_only.words(), links_only.links()),
            (Words::default(), &links[..])
        );
        // Hashes cut short are a damaged value, not hashes read wrong.
        let cut = postcard::to_allocvec(&(AsBytes(&[1, 2, 3]), AsBytes(&[]))).unwrap();
        assert!(postcard::from_bytes::<BodyFacts>(&cut).is_err());
    }

    #[test]
    fn name_keys_hold_each_key_once_and_give_each_back() {
        let keys = NameKeys::new(
            "people/ada quint",
            "ada quint",
            "ada quint",
            "ada quint",
            ["aq", "ada quint", "countess"],
        );
        assert_eq!(keys.path(), "people/ada quint");
        assert_eq!(
            (keys.stem(), keys.name(), keys.link()),
            ("ada quint", "ada quint", "ada quint")
        );
        assert_eq!(
            keys.aliases().collect::<Vec<_>>(),
            ["aq", "ada quint", "countess"]
        );
        assert_eq!(
            &*keys.text, "people/ada quintada quintaqcountess",
            "each key once"
        );
        let other = NameKeys::new("b", "b", "bea", "b", []);
        assert_eq!(
            (other.path(), other.stem(), other.name(), other.link()),
            ("b", "b", "bea", "b")
        );
        assert_eq!(other.aliases().count(), 0);
        assert_eq!(NameKeys::default().name(), "");
        // A span past the text (a value damaged on disk) names nothing rather than panics.
        let damaged = NameKeys {
            spans: [(0, 99), (3, 1), (0, 1), (0, 1)],
            ..other
        };
        assert_eq!(
            (damaged.path(), damaged.stem(), damaged.name()),
            ("", "", "b")
        );
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_log_counts_when_it_is_newer_than_the_key() {
        let mut ada = Contact::named("Ada");
        ada.last_touch = Some(date("2026-01-01"));
        ada.log = Log::new(vec![
            LogEntry {
                date: date("2026-02-01"),
                kind: LogKind::Outreach,
                text: "".into(),
                line: 9,
            },
            LogEntry {
                date: date("2026-03-01"),
                kind: LogKind::Reply,
                text: "".into(),
                line: 10,
            },
        ]);
        assert_eq!(ada.last_outreach(), Some(date("2026-02-01")));
        assert_eq!(ada.last_replied(), Some(date("2026-03-01")));
    }
}
