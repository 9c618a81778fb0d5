//! Micro-benchmarks of the hot functions of a full pass, on 30,000 generated contact notes held
//! in memory (no I/O): front-matter `split`, `parse_note`, `schedule`, and rendering today.md
//! and index.md from their views (index.md with its rows rendered, or reused as `watch` does).
//!
//!     cargo bench --bench hot                 # all
//!     cargo bench --bench hot -- parse_note   # one group
//!
//! The notes come from the same generator as `cargo xtask bench`, so they carry the same
//! malformed, CRLF, BOM and non-ASCII cases as the end-to-end benchmark.

#[path = "../xtask/src/vaultgen.rs"]
mod vaultgen;

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use vault_reach::config::Settings;
use vault_reach::note::frontmatter;
use vault_reach::note::{Parsed, parse_note};
use vault_reach::render::Renderer;
use vault_reach::schedule::{Schedule, schedule};
use vault_reach::vault::{NoteRead, Vault};
use vault_reach::view::{Roster, index_view, today_view};

const CONTACTS: usize = 30_000;

/// The contact notes of the generated vault: vault-relative path and text, sorted by path as
/// `Vault::load` keeps them.
fn notes() -> &'static [(PathBuf, String)] {
    static NOTES: OnceLock<Vec<(PathBuf, String)>> = OnceLock::new();
    NOTES.get_or_init(|| {
        let (files, _) = vaultgen::generate(CONTACTS, 42);
        let mut notes: Vec<(PathBuf, String)> = files
            .into_iter()
            // Everything the generator puts under People/ is a contact note.
            .filter(|f| f.rel.starts_with("People/"))
            .map(|f| {
                let text = String::from_utf8(f.data).expect("the generator writes UTF-8");
                (PathBuf::from(f.rel), text)
            })
            .collect();
        notes.sort_by(|a, b| a.0.cmp(&b.0));
        notes
    })
}

fn total_bytes() -> u64 {
    notes().iter().map(|(_, t)| t.len() as u64).sum()
}

/// The parsed vault and its schedule, built once as `Vault::load` would (minus the reading).
fn loaded() -> &'static (Vault, Schedule, Settings) {
    static LOADED: OnceLock<(Vault, Schedule, Settings)> = OnceLock::new();
    LOADED.get_or_init(|| {
        let settings = Settings::default();
        let mut vault = Vault::default();
        for (n, (rel, text)) in (1..).zip(notes()) {
            let mut parsed = parse_note(rel, text, true);
            // Each read of a note from disk gets a revision; the row cache goes by it.
            if let Parsed::Contact(contact, _) = &mut parsed {
                contact.revision = n;
            }
            vault.update(rel, NoteRead::Parsed(parsed));
        }
        vault.refresh();
        let schedule = schedule(&vault.contacts, &settings, vaultgen::anchor());
        (vault, schedule, settings)
    })
}

fn bench_split(c: &mut Criterion) {
    let notes = notes();
    let mut group = c.benchmark_group("split");
    group.throughput(Throughput::Bytes(total_bytes()));
    group.bench_function("30k notes", |b| {
        b.iter(|| {
            for (_, text) in notes {
                black_box(frontmatter::split(black_box(text)));
            }
        });
    });
    group.finish();
}

fn bench_parse(c: &mut Criterion) {
    let notes = notes();
    let mut group = c.benchmark_group("parse_note");
    // Hundreds of milliseconds per iteration: fewer, longer samples keep the run short.
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Bytes(total_bytes()));
    group.bench_function("30k notes", |b| {
        b.iter(|| {
            for (rel, text) in notes {
                black_box(parse_note(black_box(rel), black_box(text), true));
            }
        });
    });
    group.finish();
}

fn bench_schedule(c: &mut Criterion) {
    let (vault, _, settings) = loaded();
    let mut group = c.benchmark_group("schedule");
    group.throughput(Throughput::Elements(vault.contacts.len() as u64));
    group.bench_function("30k contacts", |b| {
        b.iter(|| schedule(black_box(&vault.contacts), settings, vaultgen::anchor()));
    });
    group.finish();
}

fn bench_render(c: &mut Criterion) {
    let (vault, schedule, settings) = loaded();
    // An empty folder: the built-in templates, as in a vault without overrides.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let renderer = Renderer::new(dir.path(), vaultgen::anchor()).expect("built-in templates");
    let mut group = c.benchmark_group("render");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    let roster = Roster::new(vault, schedule, settings);
    group.bench_function("today.md 30k", |b| {
        b.iter(|| {
            renderer
                .render("today.md", today_view(vault, &roster, schedule, settings))
                .expect("today.md renders")
        });
    });
    // index.md prints each person's `index-row.md` (`p.row`), rendered ahead on all cores.
    let index = |roster: &std::sync::Arc<Roster>| {
        renderer
            .render(
                "index.md",
                index_view(vault, roster, schedule, settings, &[], &[]),
            )
            .expect("index.md renders")
    };
    group.bench_function("index.md 30k", |b| {
        b.iter(|| {
            let roster = Roster::new(vault, schedule, settings);
            renderer.render_rows(&roster).expect("rows render");
            index(&roster)
        });
    });
    // As in a `watch` pass after one edit: every row is in the cache.
    let mut memo = vault_reach::watch::Memo::default();
    group.bench_function("index.md 30k, rows cached", |b| {
        b.iter(|| {
            let roster = Roster::new(vault, schedule, settings);
            memo.render_rows(&renderer, &roster).expect("rows render");
            index(&roster)
        });
    });
    group.finish();
}

fn check_setup(_: &mut Criterion) {
    let (vault, _, _) = loaded();
    // A generator or parser change that empties the vault would make every number meaningless.
    assert!(
        vault.contacts.len() > CONTACTS * 9 / 10,
        "only {} of {CONTACTS} notes parsed as contacts",
        vault.contacts.len()
    );
}

criterion_group!(
    benches,
    check_setup,
    bench_split,
    bench_parse,
    bench_schedule,
    bench_render
);
criterion_main!(benches);
