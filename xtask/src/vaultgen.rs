//! A deterministic synthetic Obsidian vault of contact notes, for the benchmarks.
//!
//! It reproduces the variety of `../shared/bench/gen_vault.py` (the yardstick's generator) so
//! the project can benchmark itself from a clean clone, with nothing outside the repo: names
//! from many scripts and some NFD file names, nested people folders, every front-matter
//! spelling the Python generator writes, malformed and missing front-matter, CRLF and BOMs,
//! log-normal bodies with dated logs, and the non-contact material of a real vault. The bytes
//! differ from the Python generator's (another PRNG); the shares are the same.
//!
//! Used by `examples/gen_vault.rs`, `examples/bench.rs` and `benches/hot.rs` through `#[path]`,
//! so each uses only part of it.
#![allow(dead_code)]
// Bounded counts and sizes move between integer and float types all over a data generator;
// spelling out every conversion would hide what is generated.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap
)]

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::{self, Write as _};
use std::path::Path;
use std::time::{Duration, SystemTime};

use chrono::{Datelike, Days, NaiveDate};
use unicode_normalization::UnicodeNormalization;

/// The vault's "today": every date is relative to it, and benches pass it as `--today`.
pub const ANCHOR: (i32, u32, u32) = (2025, 11, 1);
/// The marker file a generated vault carries; it says how it was made.
pub const MARKER: &str = ".vault-gen";
/// Changes whenever this file changes, so stale vaults are regenerated.
pub const SOURCE_HASH: u64 = fnv1a(include_bytes!("vaultgen.rs"));

const fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash
}

pub fn anchor() -> NaiveDate {
    NaiveDate::from_ymd_opt(ANCHOR.0, ANCHOR.1, ANCHOR.2).expect("valid anchor")
}

/// splitmix64: tiny, fast, and the same stream on every platform and Rust version, which is
/// all a byte-reproducible generator needs (no crate, no version drift).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn random(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1_u64 << 53) as f64
    }

    /// Uniform in 0..n (n > 0), without modulo bias worth mentioning.
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in lo..=hi.
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.random()
    }

    pub fn choice<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `k` distinct items (k is small next to `items`: rejection is cheaper than a copy).
    pub fn sample<T: Clone>(&mut self, items: &[T], k: usize) -> Vec<T> {
        let k = k.min(items.len());
        let mut picked: Vec<usize> = Vec::with_capacity(k);
        while picked.len() < k {
            let i = self.below(items.len());
            if !picked.contains(&i) {
                picked.push(i);
            }
        }
        picked.into_iter().map(|i| items[i].clone()).collect()
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }

    /// Box–Muller; log-normal as Python's `random.lognormvariate`.
    pub fn lognormal(&mut self, mu: f64, sigma: f64) -> f64 {
        let (u1, u2) = (1.0 - self.random(), self.random());
        let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        (mu + sigma * z).exp()
    }

    /// Exponential with rate `lambda`, as Python's `random.expovariate`.
    pub fn expo(&mut self, lambda: f64) -> f64 {
        -(1.0 - self.random()).ln() / lambda
    }

    pub fn weighted<T: Copy>(&mut self, pairs: &[(T, u32)]) -> T {
        let total: u32 = pairs.iter().map(|p| p.1).sum();
        let mut r = self.below(total as usize) as u32;
        for &(item, w) in pairs {
            if r < w {
                return item;
            }
            r -= w;
        }
        pairs[pairs.len() - 1].0
    }
}

// ---------------------------------------------------------------------------------------------
// Name pools: the Python generator's, so the bench exercises the same scripts and spellings.

// Long tables of short strings: one per line would bury them.
#[rustfmt::skip]
mod pools {
    pub type Latin = (&'static str, &'static [&'static str], &'static [&'static str]);
    pub type Pair = (&'static str, &'static str);
    pub type Script = (&'static str, &'static [Pair], &'static [Pair]);

    pub const LATIN_CULTURES: &[Latin] = &[
        (
            "en",
            &[
                "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
                "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
                "Sarah", "Chris", "Karen", "Daniel", "Emily", "Matthew", "Hannah", "Anthony", "Olivia",
                "Mark", "Ashley", "Steven", "Megan", "Andrew", "Rachel", "Josh", "Laura", "Kevin",
                "Amy", "Brian", "Rebecca", "Ryan", "Natalie", "Tom", "Kate", "Ben", "Lucy", "Sam",
                "Grace", "Zoë", "Chloë", "Anne-Marie", "Mary-Kate",
            ],
            &[
                "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
                "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White",
                "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
                "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell",
                "Roberts", "Carter", "O'Brien", "O'Connor", "McAllister", "MacDonald", "Fitzgerald",
                "Ashford", "Blackwood", "Sinclair", "Hughes", "Pryce-Jones",
            ],
        ),
        (
            "es",
            &[
                "José", "María", "Juan", "Lucía", "Ángel", "Sofía", "Jesús", "Martina", "Raúl", "Inés",
                "Andrés", "Begoña", "Iñigo", "Ainhoa", "Sebastián", "Valentina", "Álvaro", "Camila",
                "Joaquín", "Mónica", "Héctor", "Ramón", "Nuria", "Óscar", "Elena",
            ],
            &[
                "Núñez", "García", "Rodríguez", "González", "Fernández", "López", "Martínez",
                "Sánchez", "Pérez", "Gómez", "Díaz", "Muñoz", "Álvarez", "Jiménez", "Ruiz",
                "Hernández", "Ibáñez", "Peña", "Castañeda", "de la Cruz", "del Río", "Ortega y Gasset",
                "Vázquez", "Cortés",
            ],
        ),
        (
            "pt",
            &[
                "João", "Conceição", "Luís", "Inês", "Gonçalo", "Leonor", "Tomás", "Beatriz", "André",
                "Mariana", "Rui", "Joana",
            ],
            &[
                "Conceição", "Gonçalves", "Magalhães", "Araújo", "Simões", "Brandão", "Assunção",
                "da Silva", "dos Santos", "Pereira", "Lourenço",
            ],
        ),
        (
            "fr",
            &[
                "Chloé", "Zoé", "Hélène", "François", "Jérôme", "Amélie", "Loïc", "Gaëlle", "Noël",
                "Céline", "Jean-Luc", "Marie-Claire", "Benoît", "Élodie", "Aurélien", "Anaïs",
                "Mathéo", "Léa",
            ],
            &[
                "Lefèvre", "Dubois", "Moreau", "Lefebvre", "Girard", "Bonnet", "Mercier", "Fournier",
                "Lambert", "Rousseau", "Faure", "Benoît", "d'Alembert", "Le Goff", "Châtelet",
                "Béranger", "Duchêne",
            ],
        ),
        (
            "de",
            &[
                "Jürgen", "Jörg", "Uwe", "Käthe", "Björn", "Sören", "Günther", "Anja", "Lukas", "Lena",
                "Maximilian", "Jana", "Matthias", "Ute", "Felix", "Annika",
            ],
            &[
                "Müller", "Schäfer", "Groß", "Weiß", "Schröder", "Köhler", "Krüger", "Schmidt",
                "Fischer", "Weber", "Wagner", "Becker", "Hoffmann", "von Essen", "Straße", "Böhm",
                "Jäger",
            ],
        ),
        (
            "nordic",
            &[
                "Øyvind", "Åsa", "Bjørn", "Søren", "Ingrid", "Astrid", "Sigrún", "Þórunn", "Kári",
                "Linnéa", "Mikael", "Freja",
            ],
            &[
                "Ødegård", "Åberg", "Sørensen", "Lindqvist", "Jóhannsdóttir", "Halvorsen",
                "Bäckström", "Ærø", "Nyström", "Kristiansen",
            ],
        ),
        (
            "pl",
            &[
                "Łukasz", "Paweł", "Małgorzata", "Wojciech", "Agnieszka", "Grzegorz", "Zofia",
                "Michał", "Katarzyna", "Jędrzej",
            ],
            &[
                "Wójcik", "Kowalczyk", "Łukaszewski", "Nowak", "Wiśniewski", "Dąbrowski",
                "Zieliński", "Szymańska", "Woźniak", "Kamiński",
            ],
        ),
        (
            "tr",
            &[
                "Şükrü", "Ayşe", "Gülşen", "Çağrı", "İlker", "Özge", "Barış", "Elif", "Oğuz", "Yağmur",
            ],
            &[
                "Yılmaz", "Öztürk", "Çelik", "Şahin", "Doğan", "Kılıç", "Aydın", "Güneş", "Erdoğan",
                "Koç",
            ],
        ),
        (
            "vi",
            &[
                "Văn An", "Thị Hương", "Minh Đức", "Thu Trang", "Quốc Bảo", "Ngọc Ánh", "Hoàng Nam",
                "Phương Linh",
            ],
            &[
                "Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi",
            ],
        ),
        (
            "in",
            &[
                "Priya", "Arjun", "Ananya", "Rohan", "Kavya", "Vikram", "Aditi", "Siddharth", "Meera",
                "Rahul", "Lakshmi", "Aarav", "Divya", "Karthik", "Sneha", "Varun",
            ],
            &[
                "Raghunathan", "Sharma", "Patel", "Iyer", "Reddy", "Krishnamurthy", "Chatterjee",
                "Banerjee", "Nair", "Gupta", "Menon", "Subramanian", "Venkataraman", "Deshpande",
                "Singh", "Khan",
            ],
        ),
        (
            "ng",
            &[
                "Chiamaka", "Oluwaseun", "Ngozi", "Chinedu", "Adaeze", "Babajide", "Folake", "Emeka",
                "Temitope", "Ifeoma",
            ],
            &[
                "Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Adebayo", "Nwosu", "Ogunleye",
                "Chukwu", "Oyelaran",
            ],
        ),
    ];

    pub const SCRIPT_CULTURES: &[Script] = &[
        (
            "zh",
            &[
                ("伟", "Wei"), ("芳", "Fang"), ("娜", "Na"), ("敏", "Min"), ("静", "Jing"),
                ("磊", "Lei"), ("洋", "Yang"), ("艳", "Yan"), ("勇", "Yong"), ("杰", "Jie"),
                ("婷", "Ting"), ("晓明", "Xiaoming"), ("子涵", "Zihan"), ("浩然", "Haoran"),
                ("雨桐", "Yutong"), ("俊杰", "Junjie"),
            ],
            &[
                ("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"),
                ("杨", "Yang"), ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"),
                ("徐", "Xu"), ("欧阳", "Ouyang"),
            ],
        ),
        (
            "ja",
            &[
                ("花子", "Hanako"), ("太郎", "Taro"), ("翔", "Sho"), ("陽菜", "Hina"), ("蓮", "Ren"),
                ("美咲", "Misaki"), ("健太", "Kenta"), ("由美", "Yumi"), ("大輔", "Daisuke"),
                ("さくら", "Sakura"),
            ],
            &[
                ("佐藤", "Sato"), ("鈴木", "Suzuki"), ("高橋", "Takahashi"), ("田中", "Tanaka"),
                ("伊藤", "Ito"), ("渡辺", "Watanabe"), ("山本", "Yamamoto"), ("中村", "Nakamura"),
                ("小林", "Kobayashi"),
            ],
        ),
        (
            "ko",
            &[
                ("민준", "Minjun"), ("서연", "Seoyeon"), ("지우", "Jiwoo"), ("하준", "Hajun"),
                ("수빈", "Subin"), ("도윤", "Doyun"), ("지민", "Jimin"), ("예은", "Yeeun"),
            ],
            &[
                ("김", "Kim"), ("이", "Lee"), ("박", "Park"), ("최", "Choi"), ("정", "Jung"),
                ("강", "Kang"), ("윤", "Yoon"),
            ],
        ),
        (
            "ru",
            &[
                ("Дмитрий", "Dmitry"), ("Анна", "Anna"), ("Сергей", "Sergey"), ("Ольга", "Olga"),
                ("Алексей", "Alexey"), ("Наталья", "Natalya"), ("Юлия", "Yulia"), ("Иван", "Ivan"),
            ],
            &[
                ("Иванов", "Ivanov"), ("Смирнова", "Smirnova"), ("Кузнецов", "Kuznetsov"),
                ("Попова", "Popova"), ("Соколов", "Sokolov"), ("Лебедева", "Lebedeva"),
                ("Шевченко", "Shevchenko"),
            ],
        ),
        (
            "el",
            &[
                ("Γιώργος", "Giorgos"), ("Μαρία", "Maria"), ("Νίκος", "Nikos"), ("Ελένη", "Eleni"),
                ("Δημήτρης", "Dimitris"),
            ],
            &[
                ("Παπαδόπουλος", "Papadopoulos"), ("Παπαδάκη", "Papadaki"),
                ("Γεωργίου", "Georgiou"), ("Οικονόμου", "Oikonomou"),
            ],
        ),
        (
            "ar",
            &[
                ("محمد", "Mohammed"), ("فاطمة", "Fatima"), ("أحمد", "Ahmed"), ("ليلى", "Layla"),
                ("عمر", "Omar"), ("نور", "Nour"), ("يوسف", "Youssef"), ("مريم", "Mariam"),
            ],
            &[
                ("الحسن", "Al-Hassan"), ("منصور", "Mansour"), ("حداد", "Haddad"),
                ("الخطيب", "Al-Khatib"), ("عبد الله", "Abdullah"), ("سعيد", "Saeed"),
            ],
        ),
    ];

    pub const CULTURE_WEIGHTS: &[(&str, u32)] = &[
        ("en", 33), ("es", 9), ("pt", 4), ("fr", 5), ("de", 6), ("nordic", 3), ("pl", 3), ("tr", 2),
        ("vi", 2), ("in", 9), ("ng", 3), ("zh", 8), ("ja", 3), ("ko", 2), ("ru", 3), ("el", 1),
        ("ar", 4),
    ];

    pub const MONONYMS: &[&str] = &[
        "Zoë", "Bob (plumber)", "Dr. Chen", "Nana", "Mo", "Teo", "Ximena", "Björk", "Kaito",
        "Abuela Rosa", "Coach Dave", "Landlord", "Sensei", "Auntie Funmi", "DJ Ñico",
    ];

    pub const COMPANY_FIXED: &[&str] = &[
        "Acme Corp", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay Industries",
        "Stark Industries", "Wayne Enterprises", "Cyberdyne", "Soylent", "Tyrell", "Wonka",
        "Pied Piper", "Aperture Science", "Black Mesa", "Massive Dynamic", "Oscorp", "Monarch",
        "Nakatomi Trading", "Bücher & Söhne GmbH", "Société Lumière", "Ñandú SA", "株式会社サクラ",
        "Self-employed", "Freelance", "Stealth startup", "University of Edinburgh", "ETH Zürich",
        "São Paulo Labs",
    ];
    pub const COMPANY_A: &[&str] = &[
        "Blue", "North", "Bright", "Iron", "Silver", "Quantum", "Cedar", "Harbor", "Summit", "Atlas",
        "Nova", "Lumen", "Orbit", "Pine", "Red", "Vector", "Delta", "Kite", "Granite", "Polar",
    ];
    pub const COMPANY_B: &[&str] = &[
        "Labs", "Systems", "Analytics", "Capital", "Health", "Robotics", "Foods", "Logistics",
        "Studio", "Bank", "Networks", "Bio", "Energy", "Media", "Works",
    ];

    pub const ROLES: &[&str] = &[
        "Staff Engineer", "Engineering Manager", "Founder", "CTO", "VP Sales", "Product Manager",
        "Designer", "Recruiter", "Partner", "Investor", "Data Scientist", "Researcher",
        "PhD student", "Professor", "Consultant", "Head of Growth", "SRE", "Lawyer", "Accountant",
        "Chef", "Directeur Général", "Geschäftsführerin",
    ];
    pub const CITIES: &[&str] = &[
        "Lisbon", "São Paulo", "Zürich", "München", "Kraków", "İstanbul", "Hà Nội", "東京", "서울",
        "Berlin", "London", "New York", "San Francisco", "Bengaluru", "Lagos", "Montréal",
        "Reykjavík", "Athens", "Dubai", "Toronto", "Austin", "Málaga", "Oslo", "Paris",
    ];
    pub const PLACES: &[&str] = &[
        "Blue Bottle", "Café Ñandú", "the office", "Tartine", "Bäckerei Müller", "Dishoom",
        "a WeWork", "the Starbucks on 3rd", "Pret", "their place", "Café de Flore",
        "the climbing gym", "Ramen Ōsaka",
    ];
    pub const EVENTS: &[&str] = &[
        "RustConf 2023", "Strange Loop 2022", "KubeCon EU 2024", "PyCon US 2024", "Web Summit 2023",
        "FOSDEM 2025", "NeurIPS 2024", "SaaStr Annual", "JSConf Budapest", "re:Invent 2024",
    ];
    pub const TOPICS: &[&str] = &[
        "async Rust", "hiring", "their Series A", "the move to Lisbon", "kids' school",
        "marathon training", "LLM evals", "sourdough", "board games", "the Kubernetes migration",
        "sabbatical plans", "a climbing trip", "book recommendations", "a podcast idea",
        "visa paperwork", "pricing strategy", "open-source funding", "the reorg", "burnout",
        "a side project", "café culture in Wien", "naïve Bayes for spam", "their wedding 🎉",
        "moving to 東京",
    ];
    pub const TAGS: &[&str] = &[
        "person", "people/work", "people/friend", "people/family", "investor", "recruiter", "mentor",
        "mentee", "alumni/mit", "alumni/epfl", "conf/rustconf-2023", "conf/kubecon", "neighbor",
        "client", "vendor", "warm-intro", "close-friend", "ex-colleague", "climbing", "book-club",
    ];
    pub const NOTE_SENTENCES: &[&str] = &[
        "Very thoughtful about {topic}; worth asking again next time.",
        "Introduced by [[{person}]] after {event}.",
        "Prefers {channel_plain} over email, replies fast in the mornings.",
        "Has two kids and is into {topic}.",
        "Knows everyone in the {city} scene - good node for intros.",
        "Mentioned they might be open to advising on {topic}.",
        "Partner works at [[{company}]].",
        "Don't bring up {topic} unless they do.",
        "Recommended *{book}* to me - still haven't read it.",
        "Moved from {city} to {city2} in {year}.",
        "Interested in #{tag} and {topic}.",
        "Great at giving blunt feedback on decks.",
        "Birthday party every year at {place}.",
        "We overlapped at [[{company}]] for about a year.",
    ];
    pub const BOOKS: &[&str] = &[
        "The Mythical Man-Month", "Cien años de soledad", "Thinking in Systems", "Das Kapital",
        "ノルウェイの森", "Le Petit Prince", "Designing Data-Intensive Applications",
    ];
    pub const CHANNELS: &[&str] = &[
        "Coffee at {place}", "Call", "Zoom call", "Lunch at {place}", "Dinner at {place}",
        "Bumped into them at [[{event}]]", "Emailed", "Texted", "LinkedIn DM", "Slack",
        "Met at [[{event}]]", "Voice note", "WhatsApp", "Walk along the river",
        "Sent a birthday message",
    ];
    pub const LOG_TAILS: &[&str] = &[
        "talked about {topic}.", "re: {topic}.", "they asked about {topic}.",
        "follow up on intro to [[{person}]].", "caught up on {topic} and [[{company}]].",
        "quick one, nothing new.", "they're hiring - forward to [[{person}]]?",
        "shared notes on {topic}; see [[{company}]].", "they've left [[{company}]]!",
    ];
    pub const CONTEXTS: &[&str] = &[
        "Met at {event} hallway track; talked about {topic}",
        "Intro from {person} re: {topic}",
        "Worked together at {company} ({year})",
        "Neighbour in {city}",
        "Friend of {person} from university",
        "Cold email about {topic}, turned into a good friendship",
        "Sat next to them on a flight to {city}",
        "Their kid is in the same class as ours",
        "Investor in {company}",
    ];
}

use pools::{
    BOOKS, CHANNELS, CITIES, COMPANY_A, COMPANY_B, COMPANY_FIXED, CONTEXTS, CULTURE_WEIGHTS,
    EVENTS, LATIN_CULTURES, LOG_TAILS, MONONYMS, NOTE_SENTENCES, PLACES, ROLES, SCRIPT_CULTURES,
    TAGS, TOPICS,
};

// ---------------------------------------------------------------------------------------------

pub fn ascii_fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        let special = match ch {
            'ø' => "o",
            'Ø' => "O",
            'ł' => "l",
            'Ł' => "L",
            'ß' => "ss",
            'æ' => "ae",
            'Æ' => "Ae",
            'đ' | 'ð' => "d",
            'Đ' => "D",
            'ı' => "i",
            'þ' => "th",
            'Þ' => "Th",
            'œ' => "oe",
            _ => {
                out.extend(std::iter::once(ch).nfkd().filter(char::is_ascii));
                continue;
            }
        };
        out.push_str(special);
    }
    out
}

pub fn slug(s: &str, sep: char) -> String {
    let mut out = String::new();
    for ch in ascii_fold(s).to_lowercase().chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if !out.is_empty() && !out.ends_with(sep) {
            out.push(sep);
        }
    }
    let out = out.trim_matches(sep);
    if out.is_empty() {
        "x".to_owned()
    } else {
        out.to_owned()
    }
}

/// YAML double-quoted scalar.
pub fn dq(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// YAML single-quoted scalar.
pub fn sq(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// True when `s` can be written as a plain YAML scalar and still read back as the same text.
pub fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s != s.trim()
        || "[]{}&*!|>'\"%@`#,?:-".contains(first)
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
    {
        return false;
    }
    !matches!(
        s.to_lowercase().as_str(),
        "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "~"
    )
}

/// What Obsidian allows in a file name.
pub fn fname_safe(s: &str) -> String {
    let kept: String = s
        .chars()
        .filter(|c| !"*\"\\/<>:|?#^[]".contains(*c))
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn link(target: &str) -> String {
    format!("[[{target}]]")
}

fn rand_date(rng: &mut Rng, start: NaiveDate, end: NaiveDate) -> NaiveDate {
    let span = (end - start).num_days().max(0);
    start + Days::new(rng.int(0, span) as u64)
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A valid 1×1 PNG: attachments only need to exist and not be Markdown.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82";

/// One generated file, vault-relative (`/`-separated), with the date its mtime is set to.
pub struct GenFile {
    pub rel: String,
    pub data: Vec<u8>,
    pub mtime: NaiveDate,
}

/// Counts of what was generated, to check the shares and to print.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub contacts: usize,
    pub files: usize,
    pub bytes_contacts: usize,
    pub crlf: usize,
    pub mixed_eol: usize,
    pub bom: usize,
    pub no_front_matter: usize,
    pub empty_front_matter: usize,
    pub malformed: usize,
    pub stubs: usize,
    pub nfd_names: usize,
    pub no_log_section: usize,
    pub missing_last_touch: usize,
    pub missing_met_date: usize,
}

impl Stats {
    pub fn summary(&self) -> String {
        format!(
            "contacts={} files={} contact_bytes={} crlf={} mixed_eol={} bom={} no_fm={} \
             empty_fm={} malformed={} stubs={} nfd_names={} no_log={} no_last_touch={} \
             no_met_date={}",
            self.contacts,
            self.files,
            self.bytes_contacts,
            self.crlf,
            self.mixed_eol,
            self.bom,
            self.no_front_matter,
            self.empty_front_matter,
            self.malformed,
            self.stubs,
            self.nfd_names,
            self.no_log_section,
            self.missing_last_touch,
            self.missing_met_date
        )
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum DateStyle {
    Plain,
    Dq,
    Sq,
    DateTime,
    SpaceTime,
    Year,
    Text,
    Us,
    WikiLink,
    Empty,
    EmptyStr,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum LogStyle {
    Dash,
    Colon,
    Link,
    Bold,
    Space,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum LogKind {
    None,
    Empty,
    Full,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Malformed {
    UnterminatedQuote,
    TabIndent,
    ColonInPlain,
    UnclosedFlow,
    BadIndent,
    DuplicateKey,
    NoClosingFence,
}

const MALFORMED: &[Malformed] = &[
    Malformed::UnterminatedQuote,
    Malformed::TabIndent,
    Malformed::ColonInPlain,
    Malformed::UnclosedFlow,
    Malformed::BadIndent,
    Malformed::DuplicateKey,
    Malformed::NoClosingFence,
];

struct Gen {
    n: usize,
    rng: Rng,
    files: Vec<GenFile>,
    stats: Stats,
    used: HashSet<String>,
    companies: Vec<String>,
    people: Vec<String>,
}

/// Generates the whole vault in memory: `n` contact notes plus the rest of a real vault.
pub fn generate(n: usize, seed: u64) -> (Vec<GenFile>, Stats) {
    let mut rng = Rng::new(seed);
    let mut companies: Vec<String> = COMPANY_FIXED.iter().map(|&c| c.to_owned()).collect();
    for a in COMPANY_A {
        for b in COMPANY_B {
            companies.push(format!("{a} {b}"));
        }
    }
    rng.shuffle(&mut companies);
    companies.truncate((n / 40).clamp(40, 300));
    let mut g = Gen {
        n,
        rng,
        files: Vec::with_capacity(n + n / 10 + 64),
        stats: Stats::default(),
        used: HashSet::new(),
        companies,
        people: Vec::with_capacity(n),
    };
    for _ in 0..n {
        g.contact();
    }
    g.extras();
    g.stats.files = g.files.len();
    (g.files, g.stats)
}

impl Gen {
    fn pick(&mut self, items: &[&str]) -> String {
        (*self.rng.choice(items)).to_owned()
    }

    /// Fills `{topic}`, `{person}`, … with fresh random values.
    fn fill(&mut self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            out.push_str(&rest[..open]);
            let key = &rest[open + 1..open + close];
            let value = match key {
                "topic" => self.pick(TOPICS),
                "place" => self.pick(PLACES),
                "event" => self.pick(EVENTS),
                "city" | "city2" => self.pick(CITIES),
                "company" => self.rng.choice(&self.companies).clone(),
                "person" if self.people.is_empty() => "Ana Silva".to_owned(),
                "person" => self.rng.choice(&self.people).clone(),
                "book" => self.pick(BOOKS),
                "tag" => self.pick(TAGS),
                "year" => self.rng.int(2012, 2025).to_string(),
                "channel_plain" => self.pick(&["Signal", "WhatsApp", "phone calls", "Telegram"]),
                _ => format!("{{{key}}}"),
            };
            out.push_str(&value);
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        out
    }

    fn make_name(&mut self) -> (String, String, Option<String>) {
        if self.rng.random() < 0.01 {
            let m = self.pick(MONONYMS);
            let roman = ascii_fold(&m);
            return (m, roman, None);
        }
        let culture = self.rng.weighted(CULTURE_WEIGHTS);
        if let Some(&(code, firsts, lasts)) = LATIN_CULTURES.iter().find(|c| c.0 == culture) {
            let first = self.pick(firsts);
            let last = self.pick(lasts);
            let r = self.rng.random();
            let name = if code == "vi" {
                format!("{last} {first}")
            } else if r < 0.05 {
                let initial = char::from(b'A' + self.rng.below(26) as u8);
                format!("{first} {initial}. {last}")
            } else if r < 0.08 && (code == "es" || code == "pt") {
                let second = self.pick(lasts);
                format!("{first} {last} {second}")
            } else {
                format!("{first} {last}")
            };
            let roman = ascii_fold(&name);
            return (name, roman, Some(first));
        }
        let &(code, givens, families) = SCRIPT_CULTURES
            .iter()
            .find(|c| c.0 == culture)
            .expect("every weighted culture has a pool");
        let (g, gr) = *self.rng.choice(givens);
        let (f, fr) = *self.rng.choice(families);
        let r = self.rng.random();
        let native = match code {
            "zh" | "ko" => format!("{f}{g}"),
            "ja" => format!("{f} {g}"),
            _ => format!("{g} {f}"),
        };
        let roman = format!("{gr} {fr}");
        let name = if r < 0.6 {
            native
        } else if r < 0.9 {
            roman.clone()
        } else {
            format!("{roman} {native}")
        };
        (name, roman, Some(gr.to_owned()))
    }

    fn folder_for(&mut self, company: &str) -> String {
        let r = self.rng.random();
        if r < 0.45 {
            "People".to_owned()
        } else if r < 0.70 {
            "People/Work".to_owned()
        } else if r < 0.80 {
            format!("People/Work/{}", fname_safe(company))
        } else if r < 0.90 {
            "People/Personal".to_owned()
        } else if r < 0.96 {
            format!("People/Events/{}", self.rng.int(2016, 2025))
        } else {
            "People/Archive".to_owned()
        }
    }

    /// A file stem free in `folder` (case-insensitively, as on macOS and Windows).
    fn claim(&mut self, folder: &str, stem: &str, company: Option<&str>) -> String {
        let key = |st: &str| {
            format!("{folder}/{st}.md")
                .nfc()
                .collect::<String>()
                .to_lowercase()
        };
        let mut cand = stem.to_owned();
        if self.used.contains(&key(&cand)) {
            cand = match company {
                Some(c) => format!("{stem} ({})", fname_safe(c)),
                None => format!("{stem} 2"),
            };
        }
        let mut i = 2;
        while self.used.contains(&key(&cand)) {
            i += 1;
            cand = format!("{stem} {i}");
        }
        self.used.insert(key(&cand));
        cand
    }

    fn add(&mut self, rel: String, text: &str, mtime: NaiveDate, crlf: bool, bom: bool) -> usize {
        let mut data = Vec::with_capacity(text.len() + 64);
        if bom {
            data.extend_from_slice("\u{feff}".as_bytes());
        }
        if crlf {
            data.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
        } else {
            data.extend_from_slice(text.as_bytes());
        }
        let len = data.len();
        self.files.push(GenFile { rel, data, mtime });
        len
    }

    fn fmt_date(&mut self, d: NaiveDate, style: DateStyle) -> String {
        match style {
            DateStyle::Plain => iso(d),
            DateStyle::Dq => dq(&iso(d)),
            DateStyle::Sq => sq(&iso(d)),
            DateStyle::DateTime => format!(
                "{}T{:02}:{:02}:00",
                iso(d),
                self.rng.int(7, 21),
                self.rng.choice(&[0, 15, 30, 45])
            ),
            DateStyle::SpaceTime => format!(
                "{} {:02}:{:02}",
                iso(d),
                self.rng.int(7, 21),
                self.rng.choice(&[0, 15, 30, 45])
            ),
            DateStyle::Year => d.year().to_string(),
            DateStyle::Text => dq(&d.format("%B %-d, %Y").to_string()),
            DateStyle::Us => d.format("%m/%d/%Y").to_string(),
            DateStyle::WikiLink => dq(&link(&iso(d))),
            DateStyle::Empty => String::new(),
            DateStyle::EmptyStr => "\"\"".to_owned(),
        }
    }

    fn contact(&mut self) {
        let (name, roman, first) = self.make_name();
        let company = self.rng.choice(&self.companies).clone();
        let folder = self.folder_for(&company);
        let stem = self.claim(&folder, &fname_safe(&name), Some(&company));
        let nfd = !stem.is_ascii() && self.rng.random() < 0.01;
        let disk_stem: String = if nfd {
            stem.nfd().collect()
        } else {
            stem.clone()
        };
        self.stats.nfd_names += usize::from(nfd);
        self.people.push(stem);

        let anchor = anchor();
        let met = rand_date(
            &mut self.rng,
            NaiveDate::from_ymd_opt(2013, 1, 1).expect("valid"),
            anchor - Days::new(7),
        );
        let mut last = if self.rng.random() < 0.55 {
            // Recent-ish touches, skewed towards today, as in a vault in use.
            anchor - Days::new(self.rng.expo(1.0 / 60.0) as u64)
        } else {
            rand_date(&mut self.rng, met, anchor)
        };
        last = last.clamp(met, anchor);

        // ---- front-matter ----------------------------------------------------------------
        let mut fields: Vec<String> = Vec::new();
        let em_local = slug(&roman, '.');
        let domain = if self.rng.random() < 0.6 {
            format!("{}.example", slug(&company, '-'))
        } else {
            self.pick(&["mail.example", "inbox.example", "post.example"])
        };
        if self.rng.random() < 0.25 {
            let mut aliases = Vec::new();
            if let Some(f) = &first {
                aliases.push(f.clone());
            }
            if roman != name {
                aliases.push(roman.clone());
            }
            if aliases.is_empty() || self.rng.random() < 0.3 {
                aliases.push(self.pick(&[
                    "Prof. X",
                    "the Rust person",
                    "Coach",
                    "Boss",
                    "J.",
                    "🦀 guy",
                ]));
            }
            if self.rng.random() < 0.5 {
                let items: Vec<String> = aliases.iter().map(|a| dq(a)).collect();
                fields.push(format!("aliases: [{}]", items.join(", ")));
            } else {
                let mut f = "aliases:".to_owned();
                for a in &aliases {
                    let v = if plain_ok(a) { a.clone() } else { dq(a) };
                    let _ = write!(f, "\n  - {v}");
                }
                fields.push(f);
            }
        }
        if self.rng.random() < 0.85 {
            let k = self.rng.int(0, 3) as usize;
            let mut tags = vec!["person"];
            tags.extend(self.rng.sample(&TAGS[1..], k));
            let r = self.rng.random();
            if r < 0.50 {
                fields.push(format!("tags: [{}]", tags.join(", ")));
            } else if r < 0.85 {
                let lines: Vec<String> = tags.iter().map(|t| format!("  - {t}")).collect();
                fields.push(format!("tags:\n{}", lines.join("\n")));
            } else if r < 0.95 {
                let v = if tags.len() == 1 {
                    tags[0].to_owned()
                } else {
                    dq(&tags.join(", "))
                };
                fields.push(format!("tags: {v}"));
            } else {
                let hashed: Vec<String> = tags.iter().map(|t| format!("#{t}")).collect();
                fields.push(format!("tags: {}", dq(&hashed.join(" "))));
            }
        }
        if self.rng.random() < 0.70 {
            let email = format!("{em_local}@{domain}");
            if self.rng.random() < 0.05 {
                let short = em_local.split('.').next().unwrap_or("x");
                fields.push(format!("email: [{email}, {short}@mail.example]"));
            } else {
                fields.push(format!("email: {email}"));
            }
        }
        if self.rng.random() < 0.65 {
            let r = self.rng.random();
            if r < 0.80 {
                let v = if plain_ok(&company) {
                    company.clone()
                } else {
                    dq(&company)
                };
                fields.push(format!("company: {v}"));
            } else if r < 0.95 {
                fields.push(format!("company: {}", dq(&link(&company))));
            } else {
                // Unquoted: YAML reads it as a nested list, as Obsidian users do write it.
                fields.push(format!("company: {}", link(&company)));
            }
        }
        if self.rng.random() < 0.40 {
            let role = self.pick(ROLES);
            fields.push(format!("role: {}", dq(&role)));
        }
        if self.rng.random() < 0.88 {
            let style = self.rng.weighted(&[
                (DateStyle::Plain, 70),
                (DateStyle::Dq, 15),
                (DateStyle::Sq, 5),
                (DateStyle::DateTime, 3),
                (DateStyle::Year, 2),
                (DateStyle::Text, 3),
                (DateStyle::Us, 2),
            ]);
            let v = self.fmt_date(met, style);
            fields.push(format!("met-date: {v}"));
        } else {
            self.stats.missing_met_date += 1;
        }
        let template = self.pick(CONTEXTS);
        let ctx = self.fill(&template).replace("[[", "").replace("]]", "");
        if self.rng.random() < 0.75 {
            let r = self.rng.random();
            if r < 0.50 || !plain_ok(&ctx) {
                if r < 0.93 {
                    fields.push(format!("context: {}", dq(&ctx)));
                } else {
                    let topic = self.pick(TOPICS);
                    fields.push(format!("context: >-\n  {ctx}\n  and more on {topic}"));
                }
            } else if r < 0.80 {
                fields.push(format!("context: {ctx}"));
            } else if r < 0.90 {
                fields.push(format!("context: {}", sq(&ctx)));
            } else if r < 0.97 {
                fields.push(format!("context: >-\n  {ctx}\n  (see log below)"));
            } else {
                fields.push(format!("context: |\n  {ctx}\n  Follow up quarterly."));
            }
        }
        if self.rng.random() < 0.88 {
            let style = self.rng.weighted(&[
                (DateStyle::Plain, 70),
                (DateStyle::Dq, 15),
                (DateStyle::DateTime, 2),
                (DateStyle::SpaceTime, 3),
                (DateStyle::Empty, 5),
                (DateStyle::EmptyStr, 2),
                (DateStyle::WikiLink, 3),
            ]);
            if style == DateStyle::Empty {
                fields.push("last-touch:".to_owned());
            } else {
                let v = self.fmt_date(last, style);
                fields.push(format!("last-touch: {v}"));
            }
        } else {
            self.stats.missing_last_touch += 1;
        }
        self.extra_fields(&mut fields, &roman, met);
        if self.rng.random() < 0.30 {
            self.rng.shuffle(&mut fields);
        }
        if self.rng.random() < 0.03 {
            let at = self.below(fields.len() + 1);
            fields.insert(at, "# synced from phone contacts".to_owned());
        }

        // ---- body --------------------------------------------------------------------------
        let target = self.rng.lognormal(7.2, 0.6).clamp(500.0, 5000.0) as usize;
        let stub = self.rng.random() < 0.005;
        let body = self.body(&name, &company, met, last, target, stub);

        // ---- assemble, with the quirks of real vaults --------------------------------------
        let r = self.rng.random();
        let mal = *self.rng.choice(MALFORMED);
        let text = if r < 0.02 {
            let mut lines = Vec::new();
            if self.rng.random() < 0.6 && first.is_some() {
                lines.push(format!("Email: {em_local}@{domain}"));
            }
            lines.push(format!("Met: {} - {ctx}", iso(met)));
            self.stats.no_front_matter += 1;
            body.replacen("\n\n", &format!("\n\n{}\n\n", lines.join("\n")), 1)
        } else if r < 0.025 {
            self.stats.empty_front_matter += 1;
            format!("---\n---\n{body}")
        } else if r < 0.035 {
            self.stats.malformed += 1;
            self.malform(mal, &fields, &ctx, last) + &body
        } else {
            let nl = if fields.is_empty() { "" } else { "\n" };
            format!("---\n{}{nl}---\n{body}", fields.join("\n"))
        };

        let r = self.rng.random();
        let mut crlf = false;
        let mut text = text;
        if r < 0.05 {
            crlf = true;
            self.stats.crlf += 1;
        } else if r < 0.055 {
            // Front-matter written by a Windows tool, the body by another editor.
            if let Some((i, _)) = text.match_indices("\n---\n").find(|(i, _)| *i >= 4) {
                text = text[..i + 5].replace('\n', "\r\n") + &text[i + 5..];
                self.stats.mixed_eol += 1;
            }
        }
        let bom = self.rng.random() < 0.005;
        self.stats.bom += usize::from(bom);
        self.stats.contacts += 1;
        let n = self.add(format!("{folder}/{disk_stem}.md"), &text, last, crlf, bom);
        self.stats.bytes_contacts += n;
    }

    fn below(&mut self, n: usize) -> usize {
        self.rng.below(n)
    }

    /// The Obsidian extras and optional properties people add over time.
    fn extra_fields(&mut self, fields: &mut Vec<String>, roman: &str, met: NaiveDate) {
        if self.rng.random() < 0.30 {
            let c = self.pick(&["30", "90", "180", "quarterly", "monthly", "yearly", "90d"]);
            fields.push(format!("cadence: {c}"));
        }
        if self.rng.random() < 0.30 {
            let c = self.pick(CITIES);
            let v = if plain_ok(&c) { c } else { dq(&c) };
            fields.push(format!("location: {v}"));
        }
        if self.rng.random() < 0.40 {
            let n = self.rng.int(1000, 99_999);
            fields.push(format!(
                "linkedin: https://www.linkedin.com/in/{}-{n}",
                slug(roman, '-')
            ));
        }
        if self.rng.random() < 0.20 {
            let phone = format!(
                "+{} {} {}",
                self.rng.int(1, 99),
                self.rng.int(100, 999),
                self.rng.int(1_000_000, 9_999_999)
            );
            fields.push(format!("phone: {}", dq(&phone)));
        }
        if self.rng.random() < 0.30 {
            fields.push(format!(
                "created: {}T{:02}:{:02}:{:02}",
                iso(met),
                self.rng.int(0, 23),
                self.rng.int(0, 59),
                self.rng.int(0, 59)
            ));
        }
        if self.rng.random() < 0.10 {
            let d = rand_date(
                &mut self.rng,
                NaiveDate::from_ymd_opt(1950, 1, 1).expect("valid"),
                NaiveDate::from_ymd_opt(2002, 12, 31).expect("valid"),
            );
            fields.push(format!("birthday: {}", iso(d)));
        }
        if self.rng.random() < 0.05 {
            fields.push("cssclasses:\n  - person-card".to_owned());
        }
        if self.rng.random() < 0.03 {
            fields.push("publish: false".to_owned());
        }
        if self.rng.random() < 0.10 {
            let s = self.pick(&["active", "dormant", "reconnect", "do-not-contact"]);
            fields.push(format!("status: {s}"));
        }
        if self.rng.random() < 0.05 {
            fields.push(format!("rating: {}", self.rng.int(1, 5)));
        }
        if self.rng.random() < 0.08 && !self.people.is_empty() {
            let k = self.rng.int(1, 3) as usize;
            let related = self.rng.sample(&self.people, k);
            let lines: Vec<String> = related
                .iter()
                .map(|p| format!("  - {}", dq(&link(p))))
                .collect();
            fields.push(format!("related:\n{}", lines.join("\n")));
        }
    }

    fn malform(
        &mut self,
        kind: Malformed,
        fields: &[String],
        ctx: &str,
        last: NaiveDate,
    ) -> String {
        let mut lines: Vec<String> = if fields.is_empty() {
            vec!["tags: [person]".to_owned()]
        } else {
            fields.to_vec()
        };
        match kind {
            Malformed::UnterminatedQuote => {
                lines.push(format!("context: \"{}", ctx.replace('"', "")));
            }
            Malformed::TabIndent => lines.push("tags:\n\t- person\n\t- people/work".to_owned()),
            Malformed::ColonInPlain => {
                let event = self.pick(EVENTS);
                let topic = self.pick(TOPICS);
                lines.push(format!("context: Met at: {event}, talked: {topic}"));
            }
            Malformed::UnclosedFlow => lines.push("tags: [person, people/work".to_owned()),
            Malformed::BadIndent => lines.push("aliases:\n    - Alpha\n  - Beta".to_owned()),
            Malformed::DuplicateKey => {
                lines.push(format!("last-touch: {}", iso(last)));
                lines.push(format!("last-touch: {}", iso(last - Days::new(30))));
            }
            Malformed::NoClosingFence => return format!("---\n{}\n\n", lines.join("\n")),
        }
        format!("---\n{}\n---\n", lines.join("\n"))
    }

    fn log_entry(&mut self, d: NaiveDate, style: LogStyle) -> String {
        let st = if self.rng.random() > 0.1 {
            style
        } else {
            *self.rng.choice(&[
                LogStyle::Dash,
                LogStyle::Colon,
                LogStyle::Link,
                LogStyle::Bold,
                LogStyle::Space,
            ])
        };
        let ds = iso(d);
        let mut entry = match st {
            LogStyle::Dash => format!("- {ds} — "),
            LogStyle::Colon => format!("- {ds}: "),
            LogStyle::Link => format!("- {} ", link(&ds)),
            LogStyle::Bold => format!("- **{ds}** "),
            LogStyle::Space => format!("- {ds} "),
        };
        let channel = self.pick(CHANNELS);
        entry += &self.fill(&channel);
        entry += "; ";
        let tail = self.pick(LOG_TAILS);
        entry += &self.fill(&tail);
        if self.rng.random() < 0.2 {
            let ind = self.pick(&["  ", "    ", "\t"]);
            for _ in 0..self.rng.int(1, 2) {
                let s = self.pick(NOTE_SENTENCES);
                let s = self.fill(&s);
                let _ = write!(entry, "\n{ind}- {s}");
            }
        }
        if self.rng.random() < 0.05 {
            let book = self.pick(BOOKS);
            let _ = write!(entry, "\n  - [ ] Send {book} link");
        }
        entry
    }

    /// Dated entries filling about `budget` bytes; the newest is on `last` (the last-touch).
    fn log_section(
        &mut self,
        met: NaiveDate,
        last: NaiveDate,
        budget: i64,
        style: LogStyle,
        ascending: bool,
    ) -> Vec<(NaiveDate, String)> {
        let first = self.log_entry(last, style);
        let mut size = ("## Log\n".len() + first.len() + 1) as i64;
        let mut dated = vec![(last, first)];
        while size < budget {
            let d = rand_date(&mut self.rng, met, last);
            let e = self.log_entry(d, style);
            size += e.len() as i64 + 1;
            dated.push((d, e));
        }
        dated.sort_by_key(|e| e.0);
        if !ascending {
            dated.reverse();
        }
        dated
    }

    fn body(
        &mut self,
        name: &str,
        company: &str,
        met: NaiveDate,
        last: NaiveDate,
        target: usize,
        stub: bool,
    ) -> String {
        let mut head = vec![format!("# {name}\n")];
        if stub {
            self.stats.stubs += 1;
            let s = self.fill("Met via {person}. TODO fill in.");
            return format!("# {name}\n\n{s}\n");
        }
        if self.rng.random() < 0.3 {
            let s = self.fill("Met at [[{event}]] via [[{person}]]");
            head.push(format!("> [!info] {s}\n"));
        }
        let mut about = vec!["## About".to_owned()];
        if self.rng.random() < 0.7 {
            let mut s = format!("- Works at {}", link(company));
            if self.rng.random() < 0.6 {
                let role = self.pick(ROLES);
                let _ = write!(s, " as {role}");
            }
            about.push(s);
        }
        let city = self.pick(CITIES);
        about.push(format!("- Lives in {city}"));
        if self.rng.random() < 0.4 {
            let tag = self.pick(TAGS);
            let topics = self.rng.sample(TOPICS, 2);
            about.push(format!("- Interests: #{tag} {}", topics.join(", ")));
        }
        if self.rng.random() < 0.05 {
            about.push(format!("- ![[{}.png|100]]", slug(name, '-')));
        }
        head.push(about.join("\n") + "\n");
        let follow = if self.rng.random() < 0.15 {
            let a = self.fill("Send intro to [[{person}]]");
            let b = self.fill("Share notes on {topic}");
            Some(format!("## Follow-ups\n- [ ] {a}\n- [x] {b}\n"))
        } else {
            None
        };
        let fixed = head.iter().map(String::len).sum::<usize>()
            + head.len().saturating_sub(1)
            + follow.as_ref().map_or(0, |f| f.len() + 1)
            + 2;
        let budget = target as i64 - fixed as i64;
        let budget = budget.max(0);
        let log_kind =
            self.rng
                .weighted(&[(LogKind::None, 3), (LogKind::Empty, 2), (LogKind::Full, 95)]);
        let notes_budget = if log_kind == LogKind::Full {
            (budget as f64 * self.rng.uniform(0.15, 0.45)) as i64
        } else {
            budget
        };
        let mut notes: Vec<String> = Vec::new();
        let mut joined = 0_i64;
        while joined < notes_budget - 10 {
            let s = self.pick(NOTE_SENTENCES);
            let s = self.fill(&s);
            joined += s.len() as i64 + i64::from(!notes.is_empty());
            notes.push(s);
        }
        let notes_text = if notes.is_empty() {
            None
        } else {
            let mut paras = Vec::new();
            let mut cur: Vec<String> = Vec::new();
            for s in notes {
                cur.push(s);
                if self.rng.random() < 0.35 {
                    paras.push(cur.join(" "));
                    cur.clear();
                }
            }
            if !cur.is_empty() {
                paras.push(cur.join(" "));
            }
            Some(format!("## Notes\n{}\n", paras.join("\n\n")))
        };
        let style = self.rng.weighted(&[
            (LogStyle::Dash, 40),
            (LogStyle::Colon, 25),
            (LogStyle::Link, 15),
            (LogStyle::Bold, 10),
            (LogStyle::Space, 10),
        ]);
        let ascending = self.rng.random() < 0.55;
        let log_first = self.rng.random() < 0.3;
        let log_text = match log_kind {
            LogKind::None => {
                self.stats.no_log_section += 1;
                None
            }
            LogKind::Empty => Some("## Log\n".to_owned()),
            LogKind::Full => {
                let used = notes_text.as_ref().map_or(0, |t| t.len() + 1);
                let mut dated = self.log_section(met, last, budget - used as i64, style, ascending);
                loop {
                    let entries: Vec<&str> = dated.iter().map(|e| e.1.as_str()).collect();
                    let text = format!("## Log\n{}\n", entries.join("\n"));
                    if fixed + used + text.len() <= 5000 || dated.len() == 1 {
                        break Some(text);
                    }
                    // Drop the oldest entry: the newest stays on the last-touch date.
                    if ascending {
                        dated.remove(0);
                    } else {
                        dated.pop();
                    }
                }
            }
        };
        let mut sections = head;
        let order = if log_first {
            [log_text, notes_text]
        } else {
            [notes_text, log_text]
        };
        sections.extend(order.into_iter().flatten());
        sections.extend(follow);
        sections.join("\n")
    }

    /// Daily notes, templates, company and meeting notes, Home.md, attachments, `.obsidian/`
    /// and `.trash/`: what a scan must walk past or classify correctly.
    fn extras(&mut self) {
        let n = self.n;
        let anchor = anchor();
        for i in 0..(n / 20).clamp(10, 730) {
            let d = anchor - Days::new(i as u64);
            let k = self.rng.int(0, 4) as usize;
            let mentions = self.rng.sample(&self.people, k);
            let reply = self.fill("Reply to {person}");
            let mut txt = format!(
                "---\ndate: {}\ntags: [daily]\n---\n# {}\n\n## Tasks\n- [ ] {reply}\n- [x] Inbox zero\n\n## Notes\n",
                iso(d),
                d.format("%A, %B %-d, %Y")
            );
            let lines: Vec<String> = mentions
                .iter()
                .map(|m| format!("- Talked to {} about {}", link(m), self.pick(TOPICS)))
                .collect();
            txt += &lines.join("\n");
            txt += "\n\n";
            let mut sentences = Vec::new();
            for _ in 0..self.rng.int(1, 6) {
                let s = self.pick(NOTE_SENTENCES);
                sentences.push(self.fill(&s));
            }
            txt += &sentences.join(" ");
            txt += "\n";
            self.add(
                format!("Daily/{}/{}.md", d.year(), iso(d)),
                &txt,
                d,
                false,
                false,
            );
        }
        // Templates: placeholders where dates go, which no date parser accepts.
        let templates = [
            (
                "templates/Person.md",
                "---\naliases: []\ntags: [person]\nemail: \ncompany: \nmet-date: {{date}}\n\
                 context: \"\"\nlast-touch: {{date}}\n---\n# {{title}}\n\n## About\n- \n\n## Log\n- {{date}} — \n",
            ),
            (
                "templates/Person (Templater).md",
                "---\ntags: [person]\nmet-date: <% tp.date.now(\"YYYY-MM-DD\") %>\n\
                 last-touch: <% tp.date.now(\"YYYY-MM-DD\") %>\ncontext: \n---\n\
                 # <% tp.file.title %>\n\n## Log\n- <% tp.date.now(\"YYYY-MM-DD\") %> — \n",
            ),
            (
                "templates/Daily.md",
                "---\ndate: {{date}}\ntags: [daily]\n---\n# {{date:dddd, MMMM D, YYYY}}\n\n\
                 ## Tasks\n- [ ] \n\n## Notes\n",
            ),
            (
                "templates/Meeting.md",
                "---\ndate: {{date}}\nattendees: []\n---\n# {{title}}\n\n## Agenda\n\n## Notes\n\n## Actions\n",
            ),
        ];
        for (rel, txt) in templates {
            self.add(rel.to_owned(), txt, anchor, false, false);
        }
        let companies: Vec<String> = self
            .companies
            .iter()
            .take((n / 100).max(10))
            .cloned()
            .collect();
        for c in companies {
            let k = self.rng.int(1, 8) as usize;
            let people = self.rng.sample(&self.people, k);
            let lines: Vec<String> = people.iter().map(|p| format!("- {}", link(p))).collect();
            let s = self.pick(NOTE_SENTENCES);
            let s = self.fill(&s);
            let txt = format!(
                "---\ntype: company\ntags: [company]\nwebsite: https://{}.example\n---\n# {c}\n\n\
                 ## People\n{}\n\n## Notes\n{s}\n",
                slug(&c, '-'),
                lines.join("\n")
            );
            self.add(
                format!("Companies/{}.md", fname_safe(&c)),
                &txt,
                anchor,
                false,
                false,
            );
        }
        for _ in 0..(n / 100).max(3) {
            let d = rand_date(
                &mut self.rng,
                NaiveDate::from_ymd_opt(2023, 1, 1).expect("valid"),
                anchor,
            );
            let k = self.rng.int(1, 5) as usize;
            let attendees = self.rng.sample(&self.people, k);
            let company = self.rng.choice(&self.companies).clone();
            let title = format!("{} {} sync", iso(d), fname_safe(&company));
            let title = self.claim("Meetings", &title, None);
            let att: Vec<String> = attendees
                .iter()
                .map(|p| format!("  - {}", dq(&link(p))))
                .collect();
            let mut notes = Vec::new();
            for _ in 0..self.rng.int(2, 8) {
                let s = self.pick(NOTE_SENTENCES);
                notes.push(format!("- {}", self.fill(&s)));
            }
            let txt = format!(
                "---\ndate: {}\nattendees:\n{}\n---\n# {title}\n\n## Notes\n{}\n",
                iso(d),
                att.join("\n"),
                notes.join("\n")
            );
            self.add(format!("Meetings/{title}.md"), &txt, d, false, false);
        }
        self.add(
            "Home.md".to_owned(),
            "# Home\n\n- [[People]]\n- [[Daily]]\n\n```dataview\nTABLE last-touch, company\n\
             FROM \"People\"\nSORT last-touch ASC\nLIMIT 20\n```\n",
            anchor,
            false,
            false,
        );
        for i in 0..(n / 1000).max(1) {
            let txt = format!(
                "---\ntags: [person]\nlast-touch: 2019-01-0{}\n---\n# Old contact {}\n",
                1 + i % 9,
                i + 1
            );
            self.add(
                format!(".trash/Old contact {}.md", i + 1),
                &txt,
                anchor,
                false,
                false,
            );
        }
        for i in 0..(n / 200).max(2) {
            self.files.push(GenFile {
                rel: format!("Attachments/photo-{i:05}.png"),
                data: PNG.to_vec(),
                mtime: anchor,
            });
        }
        let config = [
            (
                ".obsidian/app.json",
                "{\n  \"newFileLocation\": \"folder\",\n  \"newFileFolderPath\": \"People\",\n  \
                 \"attachmentFolderPath\": \"Attachments\",\n  \"alwaysUpdateLinks\": true\n}\n",
            ),
            (
                ".obsidian/core-plugins.json",
                "[\n  \"file-explorer\",\n  \"daily-notes\",\n  \"templates\",\n  \"backlink\"\n]\n",
            ),
            (
                ".obsidian/daily-notes.json",
                "{\n  \"folder\": \"Daily\",\n  \"format\": \"YYYY/YYYY-MM-DD\",\n  \
                 \"template\": \"templates/Daily\"\n}\n",
            ),
            (
                ".obsidian/community-plugins.json",
                "[\n  \"dataview\",\n  \"templater-obsidian\"\n]\n",
            ),
        ];
        for (rel, txt) in config {
            self.add(rel.to_owned(), txt, anchor, false, false);
        }
    }
}

/// The marker's first line: what must match for an existing vault to be reused.
pub fn marker_key(n: usize, seed: u64) -> String {
    format!("vaultgen n={n} seed={seed} source={SOURCE_HASH:016x}")
}

/// True when `dir` holds a vault this generator made with the same `n`, seed and source.
pub fn is_current(dir: &Path, n: usize, seed: u64) -> bool {
    std::fs::read_to_string(dir.join(MARKER))
        .is_ok_and(|m| m.lines().next() == Some(marker_key(n, seed).as_str()))
}

/// Writes the vault into `dir`, replacing a vault made earlier by this generator (never
/// anything else), and sets every mtime to the note's date so runs are reproducible.
pub fn write_vault(dir: &Path, n: usize, seed: u64) -> io::Result<Stats> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        if !dir.join(MARKER).exists() {
            return Err(io::Error::other(format!(
                "{} exists, is not empty and was not made by this generator",
                dir.display()
            )));
        }
        std::fs::remove_dir_all(dir)?;
    }
    let (files, stats) = generate(n, seed);
    let mut made: HashSet<std::path::PathBuf> = HashSet::new();
    for f in &files {
        let path = dir.join(&f.rel);
        if let Some(parent) = path.parent()
            && made.insert(parent.to_path_buf())
        {
            std::fs::create_dir_all(parent)?;
        }
        let mut file = std::fs::File::create(&path)?;
        file.write_all(&f.data)?;
        let t = noon(f.mtime);
        file.set_times(std::fs::FileTimes::new().set_accessed(t).set_modified(t))?;
    }
    let marker = format!("{}\n{}\n", marker_key(n, seed), stats.summary());
    let mut file = std::fs::File::create(dir.join(MARKER))?;
    file.write_all(marker.as_bytes())?;
    let t = noon(anchor());
    file.set_times(std::fs::FileTimes::new().set_accessed(t).set_modified(t))?;
    Ok(stats)
}

fn noon(d: NaiveDate) -> SystemTime {
    let secs = d
        .and_hms_opt(12, 0, 0)
        .expect("valid time")
        .and_utc()
        .timestamp();
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs as u64)
}
