//! The only directory walk: which files under the vault are candidate contact notes.
//!
//! Hidden files and folders, the generated notes, template folders and `exclude` globs are
//! never read as contacts. Everything here decides by path; reading happens in `Vault::load`.

use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::cache::Stat;

use crate::config::Settings;
use crate::error::{Issue, Location, Problem};

/// Folder names that are template folders wherever they appear.
const TEMPLATE_FOLDER_NAMES: [&str; 3] = ["Templates", "templates", "_templates"];

/// Decides, by vault-relative path, what a file is to the vault.
#[derive(Debug, Clone)]
pub struct Classifier {
    outputs: [String; 2],
    template_folders: Vec<String>,
    people: Vec<String>,
    exclude: Gitignore,
}

/// What a folder's path settles for the files in it ([`Classifier::in_folder`]).
#[derive(Debug, Clone)]
pub struct InFolder {
    /// The folder's path with `/` separators and a final `/`; empty for the vault's root.
    prefix: String,
    /// Every file in it is ignored: a hidden or template folder.
    ignored: bool,
    in_people: bool,
}

/// What a path is, before reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A Markdown note that may be a contact; `in_people` when it lies in a `people` folder.
    Note { in_people: bool },
    /// One of our generated notes.
    Output,
    /// Not for us: hidden, a template, excluded, or not Markdown.
    Ignored,
}

impl Classifier {
    /// Builds the rules for `vault`, reading Obsidian's template settings if present.
    pub fn new(vault: &Path, settings: &Settings) -> Classifier {
        let mut template_folders = settings.template_folders.clone();
        template_folders.extend(obsidian_template_folders(vault));
        let mut builder = GitignoreBuilder::new(vault);
        for glob in &settings.exclude {
            // Patterns were validated when the settings were read.
            let _ = builder.add_line(None, glob);
        }
        Classifier {
            outputs: [settings.today_note.clone(), settings.index_note.clone()],
            template_folders,
            people: settings.people.clone(),
            exclude: builder.build().unwrap_or_else(|_| Gitignore::empty()),
        }
    }

    /// Classifies a vault-relative path (`/`-separated or native).
    pub fn classify(&self, rel: &Path) -> Kind {
        let slashed = crate::error::slash_path(rel);
        if self.outputs.contains(&slashed) {
            return Kind::Output;
        }
        let is_md = rel
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"));
        if !is_md || self.is_ignored_path(rel, &slashed) {
            return Kind::Ignored;
        }
        let in_people = self
            .people
            .iter()
            .any(|p| p.is_empty() || is_under(&slashed, p));
        Kind::Note { in_people }
    }

    /// What the path of the folder at `rel` settles for every file in it, for
    /// [`Classifier::classify_in`]: worked out once a folder rather than once a note. `None`
    /// where `exclude` globs are set: they may name files, and a file's match against its
    /// parents is answered only with its whole path.
    pub fn in_folder(&self, rel: &Path) -> Option<InFolder> {
        // A file of the folder stands for them all: a path's rules but for the file name's
        // own (hidden, Markdown) look only at its folders.
        const PROBE: &str = "x.md";
        if !self.exclude.is_empty() {
            return None;
        }
        let probe = rel.join(PROBE);
        let slashed = crate::error::slash_path(&probe);
        let ignored = self.is_ignored_path(&probe, &slashed);
        let in_people = self
            .people
            .iter()
            .any(|p| p.is_empty() || is_under(&slashed, p));
        let mut prefix = slashed;
        prefix.truncate(prefix.len() - PROBE.len());
        Some(InFolder {
            prefix,
            ignored,
            in_people,
        })
    }

    /// [`Classifier::classify`] of the file `name` in the folder `folder` describes.
    pub fn classify_in(&self, folder: &InFolder, name: &std::ffi::OsStr) -> Kind {
        let name = name.to_string_lossy();
        if self
            .outputs
            .iter()
            .any(|o| o.strip_prefix(&folder.prefix) == Some(&*name))
        {
            return Kind::Output;
        }
        let is_md = Path::new(&*name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"));
        if !is_md || folder.ignored || name.starts_with('.') {
            return Kind::Ignored;
        }
        Kind::Note {
            in_people: folder.in_people,
        }
    }

    /// True for folders (and files) that are never read: hidden, templates, excluded.
    pub fn is_ignored_path(&self, rel: &Path, slashed: &str) -> bool {
        let mut parts = rel.components().peekable();
        while let Some(part) = parts.next() {
            let name = part.as_os_str().to_string_lossy();
            if name.starts_with('.') {
                return true;
            }
            let is_dir = parts.peek().is_some();
            if is_dir && TEMPLATE_FOLDER_NAMES.contains(&name.as_ref()) {
                return true;
            }
        }
        if self.template_folders.iter().any(|t| is_under(slashed, t)) {
            return true;
        }
        self.exclude
            .matched_path_or_any_parents(rel, false)
            .is_ignore()
    }
}

fn is_under(path: &str, folder: &str) -> bool {
    path.strip_prefix(folder)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// The template folders Obsidian's core Templates plugin and Templater are set to use.
fn obsidian_template_folders(vault: &Path) -> Vec<String> {
    let mut folders = Vec::new();
    for (file, key) in [
        (".obsidian/templates.json", "folder"),
        (
            ".obsidian/plugins/templater-obsidian/data.json",
            "templates_folder",
        ),
    ] {
        let Ok(text) = std::fs::read_to_string(vault.join(file)) else {
            continue;
        };
        let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        if let Some(folder) = json.get(key).and_then(serde_json::Value::as_str) {
            let folder = folder.trim_matches('/');
            if !folder.is_empty() {
                folders.push(folder.to_owned());
            }
        }
    }
    folders
}

/// The vault folder itself could not be listed.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the vault folder: {0}")]
pub struct WalkError(std::io::Error);

/// Every candidate note under `vault`, vault-relative, with whether it lies in a people
/// folder and, when `stat` is asked, its stat data, in no particular order (callers that
/// need one sort), and a problem for each folder that could not be read: one unreadable
/// folder (another user's, a broken mount) must not stop every command on the rest of the
/// vault.
///
/// The folders are listed on all cores (on one, a large vault's walk took time that no
/// reading could overlap), as rayon tasks of the pool the reads run on, and each note is
/// stat-ed through its folder's handle (`fstatat`), which the walk holds open anyway: the
/// walkers of `ignore`, `walkdir` and `jwalk` stat by full path, a lookup from the root for
/// every note, and `ignore` starts threads of its own. Hidden and template folders are
/// pruned during the walk, so `.git` or `.obsidian` cost nothing however large they are.
pub fn notes(vault: &Path, classifier: &Classifier, stat: bool) -> Result<Found, WalkError> {
    // The vault folder itself must be readable; any folder under it may not be.
    let entries = std::fs::read_dir(vault).map_err(WalkError)?;
    Ok(walk(classifier, stat, entries, Path::new("")))
}

/// What the walk from the folder at the vault-relative `rel`, whose `entries` are open,
/// finds below it.
fn walk(classifier: &Classifier, stat: bool, entries: std::fs::ReadDir, rel: &Path) -> Found {
    let walk = Walk {
        classifier,
        stat,
        found: std::sync::Mutex::new(Found::default()),
    };
    rayon::scope(|scope| walk.folder(scope, entries, rel));
    walk.found
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What the walk found.
#[derive(Debug, Default)]
pub struct Found {
    pub notes: Vec<Walked>,
    /// A problem for each folder the walk could not read.
    pub unreadable: Vec<Problem>,
    /// Every regular file named as vault-reach names its temporary files
    /// ([`crate::files::is_temporary_name`]), with the vault's path: met on the way, so that
    /// those an interrupted run left can be removed without a second walk.
    pub temporaries: Vec<PathBuf>,
}

/// A candidate note the walk found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Walked {
    /// Vault-relative.
    pub rel: PathBuf,
    /// In a people folder.
    pub in_people: bool,
    /// Taken by the walk once it has listed the note's folder (before any read), when asked
    /// for and it is a regular file (a link is not read, [`super::read_note`]).
    pub stat: Option<Stat>,
}

/// One walk under way: what it decides by and what it has found.
struct Walk<'a> {
    classifier: &'a Classifier,
    stat: bool,
    found: std::sync::Mutex<Found>,
}

impl Walk<'_> {
    /// Takes in the folder at the vault-relative `rel`, whose `entries` are open, and hands
    /// each folder in it that is not pruned to the pool. One lock a folder, not a note.
    fn folder<'s>(&'s self, scope: &rayon::Scope<'s>, entries: std::fs::ReadDir, rel: &Path) {
        let mut mine = Found::default();
        let settled = self.classifier.in_folder(rel);
        // The notes of this folder still to stat, through its handle (which each entry
        // keeps open).
        let mut to_stat: Vec<(std::fs::DirEntry, PathBuf, bool)> = Vec::new();
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    // A folder that fails part way through fails on: reported once.
                    mine.unreadable.push(unreadable(rel, &err));
                    break;
                }
            };
            // Without a type (a file gone since the listing) there is nothing to read.
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let name = entry.file_name();
            let child = rel.join(&name);
            if kind.is_dir() {
                // Test the folder as if it held a file, so folder rules apply to it.
                let probe = child.join("x.md");
                if self
                    .classifier
                    .is_ignored_path(&probe, &crate::error::slash_path(&probe))
                {
                    continue;
                }
                scope.spawn(move |scope| match std::fs::read_dir(entry.path()) {
                    Ok(entries) => self.folder(scope, entries, &child),
                    Err(err) => self.take(Found {
                        unreadable: vec![unreadable(&child, &err)],
                        ..Found::default()
                    }),
                });
            } else if kind.is_file() && crate::files::is_temporary_name(&name) {
                mine.temporaries.push(entry.path());
            } else if kind.is_file() || kind.is_symlink() {
                // A linked note is handed on to be read, and so reported.
                let kind = match &settled {
                    Some(folder) => self.classifier.classify_in(folder, &name),
                    None => self.classifier.classify(&child),
                };
                if let Kind::Note { in_people } = kind {
                    if self.stat {
                        to_stat.push((entry, child, in_people));
                    } else {
                        mine.notes.push(Walked {
                            rel: child,
                            in_people,
                            stat: None,
                        });
                    }
                }
            }
        }
        // A vault's notes are mostly in a folder or two (`People/` holds thousands): stat-ed
        // where they are listed, one folder's stats kept a whole walk on one core while the
        // other had nothing to do. So a large folder's are stat-ed a run at a time, as
        // tasks of the pool.
        while to_stat.len() > STAT_RUN {
            let run = to_stat.split_off(to_stat.len() - STAT_RUN);
            scope.spawn(move |_| {
                self.take(Found {
                    notes: stat_all(run).collect(),
                    ..Found::default()
                });
            });
        }
        mine.notes.extend(stat_all(to_stat));
        self.take(mine);
    }

    fn take(&self, mut mine: Found) {
        let mut found = self
            .found
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        found.notes.append(&mut mine.notes);
        found.unreadable.append(&mut mine.unreadable);
        found.temporaries.append(&mut mine.temporaries);
    }
}

/// How many notes of a folder one task of the walk stats.
const STAT_RUN: usize = 512;

/// The notes of `listed` with their stat data, taken through their folder's handle.
fn stat_all(listed: Vec<(std::fs::DirEntry, PathBuf, bool)>) -> impl Iterator<Item = Walked> {
    listed.into_iter().map(|(entry, rel, in_people)| Walked {
        stat: entry.metadata().ok().and_then(|meta| Stat::of(&meta)),
        rel,
        in_people,
    })
}

/// A folder the walk could not read, as a problem at its vault-relative path.
fn unreadable(rel: &Path, err: &std::io::Error) -> Problem {
    Problem::new(
        Location::file(rel),
        Issue::CannotReadFolder {
            reason: err.to_string(),
        },
    )
}

/// Every candidate note under the vault-relative `folder` (a folder that appeared in
/// `watch`), as [`notes`] finds them; none when it cannot be listed.
pub fn notes_under(vault: &Path, folder: &Path, classifier: &Classifier) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(vault.join(folder)) else {
        return Vec::new();
    };
    let found = walk(classifier, false, entries, folder);
    found.notes.into_iter().map(|note| note.rel).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classifier(settings: &Settings) -> Classifier {
        Classifier::new(Path::new("/nonexistent-vault"), settings)
    }

    #[test]
    fn hidden_template_and_output_paths_are_not_contacts() {
        let c = classifier(&Settings::default());
        for path in [
            ".obsidian/app.md",
            ".trash/Old.md",
            "People/.draft.md",
            "Templates/Person.md",
            "Meta/templates/Person.md",
            "_templates/p.md",
            "Attachments/a.png",
            "People/Ada.txt",
        ] {
            assert_eq!(c.classify(Path::new(path)), Kind::Ignored, "{path}");
        }
        assert_eq!(c.classify(Path::new("today.md")), Kind::Output);
        assert_eq!(c.classify(Path::new("index.md")), Kind::Output);
    }

    #[test]
    fn the_walk_finds_notes_on_all_cores_and_prunes_what_is_never_read() {
        let vault = tempfile::tempdir().unwrap();
        for file in [
            "Home.md",
            "today.md",
            "People/Ada.md",
            "People/Work/Bob.md",
            "People/Work/deep/er/Cy.md",
            "People/.draft.md",
            "People/Work/.vault-reach.Ab12Cd",
            "People/Work/.vault-reach.Ab12Cd.md",
            ".obsidian/app.md",
            ".obsidian/.vault-reach.Ab12Cd",
            "Templates/Person.md",
            "Attachments/a.png",
        ] {
            let path = vault.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let c = Classifier::new(vault.path(), &Settings::default());
        let Found {
            notes,
            unreadable,
            temporaries,
        } = notes(vault.path(), &c, true).unwrap();
        assert_eq!(
            temporaries,
            [vault.path().join("People/Work/.vault-reach.Ab12Cd")]
        );
        assert!(unreadable.is_empty(), "{unreadable:?}");
        let mut walked: Vec<(PathBuf, bool)> = notes
            .iter()
            .map(|note| (note.rel.clone(), note.in_people))
            .collect();
        walked.sort();
        let expected = [
            ("Home.md", false),
            ("People/Ada.md", true),
            ("People/Work/Bob.md", true),
            ("People/Work/deep/er/Cy.md", true),
        ];
        assert_eq!(
            walked,
            expected.map(|(p, in_people)| (PathBuf::from(p), in_people))
        );
        // Each note's stat is the one a stat by path gives.
        for note in &notes {
            let by_path = std::fs::symlink_metadata(vault.path().join(&note.rel)).unwrap();
            assert_eq!(note.stat, Stat::of(&by_path), "{}", note.rel.display());
            assert!(note.stat.is_some());
        }
        let mut under = notes_under(vault.path(), Path::new("People/Work"), &c);
        under.sort();
        assert_eq!(
            under,
            [
                PathBuf::from("People/Work/Bob.md"),
                PathBuf::from("People/Work/deep/er/Cy.md")
            ]
        );
    }

    #[test]
    fn a_large_folder_is_stat_ed_in_runs_each_note_once() {
        let vault = tempfile::tempdir().unwrap();
        let people = vault.path().join("People");
        std::fs::create_dir(&people).unwrap();
        // Two full runs and a part of one, besides a file that is no note.
        let count = 2 * STAT_RUN + 7;
        for n in 0..count {
            std::fs::write(people.join(format!("{n}.md")), "x".repeat(n % 9)).unwrap();
        }
        std::fs::write(people.join("photo.png"), "x").unwrap();
        let c = Classifier::new(vault.path(), &Settings::default());
        let found = notes(vault.path(), &c, true).unwrap();
        assert_eq!(found.notes.len(), count);
        let mut paths: Vec<&Path> = found.notes.iter().map(|n| n.rel.as_path()).collect();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), count);
        for note in &found.notes {
            let by_path = std::fs::symlink_metadata(vault.path().join(&note.rel)).unwrap();
            assert_eq!(note.stat, Stat::of(&by_path), "{}", note.rel.display());
            assert!(note.in_people);
        }
        // Unasked, nothing is stat-ed.
        let unasked = notes(vault.path(), &c, false).unwrap();
        assert_eq!(unasked.notes.len(), count);
        assert!(unasked.notes.iter().all(|n| n.stat.is_none()));
    }

    proptest::proptest! {
        /// Folders and names from the parts the rules look at (hidden, template, people and
        /// output names, other cases, other extensions), under settings that move the
        /// outputs and people folders and add template folders.
        #[test]
        fn a_folder_settled_once_classifies_its_files_as_their_paths_do(
            folders in proptest::collection::vec(
                proptest::sample::select(vec![
                    "People", "people", "Work", ".hidden", "Templates", "_templates",
                    "Meta", "Blueprints", "Peoples", "x.md",
                ]),
                0..4,
            ),
            name in proptest::sample::select(vec![
                "Ada.md", "Ada.MD", ".Ada.md", "Ada.txt", ".md", "md", "today.md",
                "index.md", "Home.md", "x.md", "Ada.md.bak", "Ünïcode.md",
            ]),
            moved in proptest::bool::ANY,
        ) {
            let settings = if moved {
                Settings {
                    today_note: "Meta/today.md".into(),
                    index_note: "People/Work/index.md".into(),
                    people: vec!["People/Work".into(), "Meta".into()],
                    template_folders: vec!["Meta/Blueprints".into()],
                    ..Settings::default()
                }
            } else {
                Settings::default()
            };
            let c = classifier(&settings);
            let folder: PathBuf = folders.iter().collect();
            let settled = c.in_folder(&folder).expect("no exclude globs");
            proptest::prop_assert_eq!(
                c.classify_in(&settled, std::ffi::OsStr::new(name)),
                c.classify(&folder.join(name)),
                "{}", folder.join(name).display()
            );
        }
    }

    #[test]
    fn exclude_globs_leave_each_file_to_its_whole_path() {
        let settings = Settings {
            exclude: vec!["*.excalidraw.md".into()],
            ..Settings::default()
        };
        assert!(
            classifier(&settings)
                .in_folder(Path::new("People"))
                .is_none()
        );
    }

    #[test]
    fn people_folders_mark_their_notes() {
        let c = classifier(&Settings::default());
        assert_eq!(
            c.classify(Path::new("People/Work/Ada.md")),
            Kind::Note { in_people: true }
        );
        assert_eq!(
            c.classify(Path::new("Peoples/Ada.md")),
            Kind::Note { in_people: false }
        );
        assert_eq!(
            c.classify(Path::new("Ada.md")),
            Kind::Note { in_people: false }
        );
    }

    #[test]
    fn configured_excludes_and_template_folders_apply() {
        let settings = Settings {
            exclude: vec!["Archive/**".into(), "*.excalidraw.md".into()],
            template_folders: vec!["Meta/Blueprints".into()],
            ..Settings::default()
        };
        let c = classifier(&settings);
        for path in [
            "Archive/Old.md",
            "Drawing.excalidraw.md",
            "Meta/Blueprints/Person.md",
        ] {
            assert_eq!(c.classify(Path::new(path)), Kind::Ignored, "{path}");
        }
        assert_eq!(
            c.classify(Path::new("Meta/Ada.md")),
            Kind::Note { in_people: false }
        );
    }
}
