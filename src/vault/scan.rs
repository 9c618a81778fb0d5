//! The only directory walk: which files under the vault are candidate contact notes.
//!
//! Hidden files and folders, the generated notes, template folders and `exclude` globs are
//! never read as contacts. Everything here decides by path; reading happens in `Vault::load`.

use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

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
pub struct WalkError(ignore::Error);

/// Every candidate note under `vault`, vault-relative, with whether it lies in a people
/// folder, in no particular order (callers that need one sort), and a problem for each folder
/// that could not be read: one unreadable folder (another user's, a broken mount) must not
/// stop every command on the rest of the vault. The folders are listed on all cores: on one,
/// a large vault's walk took time that no reading could overlap.
///
/// Hidden and template folders are pruned during the walk, so `.git` or `.obsidian` cost
/// nothing however large they are.
pub fn notes(vault: &Path, classifier: &Classifier) -> Result<Found, WalkError> {
    // The vault folder itself must be readable; any folder under it may not be.
    std::fs::read_dir(vault).map_err(|err| WalkError(ignore::Error::from(err)))?;
    let found = std::sync::Mutex::new(Found::default());
    let mut each = Collect {
        vault,
        classifier,
        found: &found,
    };
    builder(vault, Path::new(""), classifier)
        .build_parallel()
        .visit(&mut each);
    Ok(found
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner))
}

/// What the walk found.
#[derive(Debug, Default)]
pub struct Found {
    /// Each note, vault-relative, with whether it is in a people folder.
    pub notes: Vec<(PathBuf, bool)>,
    /// A problem for each folder the walk could not read.
    pub unreadable: Vec<Problem>,
    /// Every regular file named as vault-reach names its temporary files
    /// ([`crate::files::is_temporary_name`]), with the vault's path: met on the way, so that
    /// those an interrupted run left can be removed without a second walk.
    pub temporaries: Vec<PathBuf>,
}

/// Hands each walking thread a [`Gather`], and takes in what it found when it is done.
struct Collect<'a> {
    vault: &'a Path,
    classifier: &'a Classifier,
    found: &'a std::sync::Mutex<Found>,
}

impl<'s> ignore::ParallelVisitorBuilder<'s> for Collect<'s> {
    fn build(&mut self) -> Box<dyn ignore::ParallelVisitor + 's> {
        Box::new(Gather {
            vault: self.vault,
            classifier: self.classifier,
            found: self.found,
            mine: Found::default(),
        })
    }
}

/// One walking thread's finds, kept apart until the thread is done (no lock per file).
struct Gather<'a> {
    vault: &'a Path,
    classifier: &'a Classifier,
    found: &'a std::sync::Mutex<Found>,
    mine: Found,
}

impl ignore::ParallelVisitor for Gather<'_> {
    fn visit(&mut self, entry: Result<ignore::DirEntry, ignore::Error>) -> ignore::WalkState {
        // Not followed, so a link is never a file here.
        if let Ok(entry) = &entry
            && entry.file_type().is_some_and(|t| t.is_file())
            && crate::files::is_temporary_name(entry.file_name())
        {
            self.mine.temporaries.push(entry.path().to_path_buf());
            return ignore::WalkState::Continue;
        }
        match note_of(entry, self.vault, self.classifier) {
            Some(Ok(note)) => self.mine.notes.push(note),
            Some(Err(WalkError(err))) => self.mine.unreadable.push(unreadable(self.vault, &err)),
            None => {}
        }
        ignore::WalkState::Continue
    }
}

/// A folder (or file) the walk could not read, as a problem at its vault-relative path.
fn unreadable(vault: &Path, err: &ignore::Error) -> Problem {
    fn path_of(err: &ignore::Error) -> Option<&Path> {
        match err {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            _ => None,
        }
    }
    fn reason(err: &ignore::Error) -> String {
        match err {
            ignore::Error::WithPath { err, .. }
            | ignore::Error::WithDepth { err, .. }
            | ignore::Error::WithLineNumber { err, .. } => reason(err),
            other => other.to_string(),
        }
    }
    let path = path_of(err).map_or(Path::new(""), |p| p.strip_prefix(vault).unwrap_or(p));
    Problem::new(
        Location::file(path),
        Issue::CannotReadFolder {
            reason: reason(err),
        },
    )
}

impl Drop for Gather<'_> {
    fn drop(&mut self) {
        let mut found = self
            .found
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        found.notes.append(&mut self.mine.notes);
        found.unreadable.append(&mut self.mine.unreadable);
        found.temporaries.append(&mut self.mine.temporaries);
    }
}

/// Every candidate note under the vault-relative `folder` (a folder that appeared in
/// `watch`), as [`notes`] gives them, one at a time.
pub fn walk_under<'a>(
    vault: &'a Path,
    folder: &Path,
    classifier: &'a Classifier,
) -> impl Iterator<Item = Result<(PathBuf, bool), WalkError>> + Send + 'a {
    builder(vault, folder, classifier)
        .build()
        .filter_map(move |entry| note_of(entry, vault, classifier))
}

/// The walk of `folder`, with hidden, template and excluded folders pruned.
fn builder(vault: &Path, folder: &Path, classifier: &Classifier) -> ignore::WalkBuilder {
    let mut builder = ignore::WalkBuilder::new(vault.join(folder));
    builder
        .standard_filters(false)
        // Hidden files are met (our temporary files are hidden) but never taken for notes
        // (`Classifier::classify`); hidden folders are pruned below, as any ignored folder.
        .hidden(false)
        .follow_links(false)
        .filter_entry({
            let classifier = classifier.clone();
            let vault = vault.to_path_buf();
            move |entry| {
                let Ok(rel) = entry.path().strip_prefix(&vault) else {
                    return true;
                };
                if rel.as_os_str().is_empty() || !entry.file_type().is_some_and(|t| t.is_dir()) {
                    return true;
                }
                // Test the folder as if it held a file, so folder rules apply to it.
                let probe = rel.join("x.md");
                !classifier.is_ignored_path(&probe, &crate::error::slash_path(&probe))
            }
        });
    builder
}

/// `path` relative to `vault`. The walk makes every path by joining names onto `vault`, so
/// on Unix its bytes begin with `vault`'s and a separator: comparing components
/// (`Path::strip_prefix`) was a twentieth of a load that takes every note from the cache.
fn below<'p>(path: &'p Path, vault: &Path) -> &'p Path {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt as _;
        let bytes = path.as_os_str().as_bytes();
        if let Some([b'/', rest @ ..]) = bytes.strip_prefix(vault.as_os_str().as_bytes())
            && !rest.is_empty()
            && !rest.starts_with(b"/")
        {
            return Path::new(std::ffi::OsStr::from_bytes(rest));
        }
    }
    path.strip_prefix(vault).unwrap_or(path)
}

/// The note a walk's entry is, if it is one.
fn note_of(
    entry: Result<ignore::DirEntry, ignore::Error>,
    vault: &Path,
    classifier: &Classifier,
) -> Option<Result<(PathBuf, bool), WalkError>> {
    let entry = match entry {
        Ok(entry) => entry,
        Err(err) => return Some(Err(WalkError(err))),
    };
    // A linked note is handed on to be read, and so reported ([`super::read_note`]).
    if !entry
        .file_type()
        .is_some_and(|t| t.is_file() || t.is_symlink())
    {
        return None;
    }
    let rel = below(entry.path(), vault);
    match classifier.classify(rel) {
        Kind::Note { in_people } => Some(Ok((rel.to_path_buf(), in_people))),
        Kind::Output | Kind::Ignored => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_walked_path_below_the_vault_is_its_rest() {
        for (path, vault, rel) in [
            ("/v/People/Ada.md", "/v", "People/Ada.md"),
            ("/v/Ada.md", "/v/", "Ada.md"),
            ("/vault/Ada.md", "/v", "/vault/Ada.md"),
            ("/v", "/v", ""),
        ] {
            assert_eq!(
                below(Path::new(path), Path::new(vault)),
                Path::new(rel),
                "{path}"
            );
        }
    }

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
            mut notes,
            unreadable,
            temporaries,
        } = notes(vault.path(), &c).unwrap();
        assert_eq!(
            temporaries,
            [vault.path().join("People/Work/.vault-reach.Ab12Cd")]
        );
        assert!(unreadable.is_empty(), "{unreadable:?}");
        notes.sort();
        let expected = [
            ("Home.md", false),
            ("People/Ada.md", true),
            ("People/Work/Bob.md", true),
            ("People/Work/deep/er/Cy.md", true),
        ];
        assert_eq!(
            notes,
            expected.map(|(p, in_people)| (PathBuf::from(p), in_people))
        );
        let under: Vec<PathBuf> = walk_under(vault.path(), Path::new("People/Work"), &c)
            .map(|n| n.unwrap().0)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(
            under,
            [
                PathBuf::from("People/Work/Bob.md"),
                PathBuf::from("People/Work/deep/er/Cy.md")
            ]
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
