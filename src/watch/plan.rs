//! What a batch of changes asks for: pure decisions, tested one line per case.
//!
//! [`plan`] touches no disk: what the generated notes hold now is in [`OwnWrites`], gathered
//! by the caller, so every rule (editor litter, app folders, our own writes) is a unit test.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::{Change, ChangeKind, MAX_REREADS};
use crate::config::{CONFIG_FILE, STATE_DIR};
use crate::vault::scan::{Classifier, Kind};
use crate::write::content_hash;

/// What a batch of changes asks for.
#[derive(Debug, Default, PartialEq, Eq)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "independent facts about one batch; any combination can occur and each is acted on"
)]
pub struct Plan {
    /// Notes to read again, sorted; one that is gone by then is forgotten.
    pub reread: Vec<PathBuf>,
    /// Notes, or folders whose every known note, to forget (deleted or moved away).
    pub forget: Vec<PathBuf>,
    /// Folders that appeared (created, or moved in): their notes are read.
    pub read_under: Vec<PathBuf>,
    /// Read the whole vault again, instead of everything above.
    pub rescan: bool,
    /// Someone else changed a generated note (a tick in today.md): render again, which
    /// harvests ticks first.
    pub outputs_touched: bool,
    /// A template override changed: render again with it.
    pub templates_touched: bool,
    /// `.vault-reach/config.toml` changed: reload the settings, then rescan.
    pub config_touched: bool,
}

impl Plan {
    /// Nothing to do: the batch was all editor litter, app folders and our own writes.
    pub fn is_empty(&self) -> bool {
        *self == Plan::default()
    }
}

/// Where Obsidian's core Templates plugin keeps its settings (its template folder).
const OBSIDIAN_TEMPLATES: &str = ".obsidian/templates.json";

/// Decides what to do about `changes`. Touches no disk: what the outputs hold now is in
/// `own`, gathered by the caller.
pub fn plan(changes: &[Change], classifier: &Classifier, own: &OwnWrites) -> Plan {
    let mut plan = Plan::default();
    let mut reread = BTreeSet::new();
    let mut forget = BTreeSet::new();
    let mut read_under = BTreeSet::new();
    for change in changes {
        let path = change.path.as_path();
        // Obsidian's Templates plugin names its folder here: which notes are templates, not
        // people, changes with it, as with the settings.
        if path == Path::new(CONFIG_FILE) || path == Path::new(OBSIDIAN_TEMPLATES) {
            plan.config_touched = true;
            continue;
        }
        // The news every draft carries: today.md is rendered again with it.
        if path.starts_with(Path::new(STATE_DIR).join("templates"))
            || path == Path::new(crate::config::UPDATE_FILE)
        {
            plan.templates_touched = true;
            continue;
        }
        if let ChangeKind::Renamed { from } = &change.kind {
            gone(from, classifier, own, &mut plan, &mut forget);
        }
        if change.kind == ChangeKind::Removed {
            gone(path, classifier, own, &mut plan, &mut forget);
            continue;
        }
        if is_hidden_or_litter(path) {
            continue;
        }
        if change.dir {
            read_under.insert(path.to_path_buf());
            continue;
        }
        match classifier.classify(path) {
            Kind::Note { .. } => {
                reread.insert(path.to_path_buf());
            }
            Kind::Output if !own.is_ours(path) => plan.outputs_touched = true,
            Kind::Output | Kind::Ignored => {}
        }
    }
    if reread.len() + read_under.len() > MAX_REREADS {
        plan.rescan = true;
    }
    if plan.config_touched {
        plan.rescan = true;
    }
    if !plan.rescan {
        // A note saved by writing a new file over it (sed -i, vim, many editors) is removed
        // and created in one batch. Re-reading it is enough (one that is gone by then is
        // forgotten); forgetting it first would look like a contact leaving and coming back,
        // and make the pass rebuild everything kept by name.
        forget.retain(|p| !reread.contains(p));
        plan.reread = reread.into_iter().collect();
        plan.forget = forget.into_iter().collect();
        plan.read_under = read_under.into_iter().collect();
    }
    plan
}

/// `path` is gone: forget its note, or every note under it if it was a folder. A removed
/// path cannot be asked whether it was a folder, so anything not Markdown is taken as one;
/// forgetting under a file's path forgets nothing.
fn gone(
    path: &Path,
    classifier: &Classifier,
    own: &OwnWrites,
    plan: &mut Plan,
    forget: &mut BTreeSet<PathBuf>,
) {
    if is_hidden_or_litter(path) {
        return;
    }
    if !is_markdown(path) {
        forget.insert(path.to_path_buf());
        return;
    }
    match classifier.classify(path) {
        Kind::Note { .. } => {
            forget.insert(path.to_path_buf());
        }
        // Our own atomic replace can arrive as a removal and a creation; only a generated note
        // that is really gone, or holds something else, is written again.
        Kind::Output if !own.is_ours(path) => plan.outputs_touched = true,
        Kind::Output | Kind::Ignored => {}
    }
}

fn is_markdown(rel: &Path) -> bool {
    rel.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

/// Hidden components and editor litter, for files and folders alike. The path is
/// vault-relative, so a vault that itself lives in a hidden folder is still watched.
pub(super) fn is_hidden_or_litter(rel: &Path) -> bool {
    // A leading dot covers vim's `.name.swp`/`.swx`, emacs' `.#name`, kate's
    // `.name.kate-swp`, our own `.vault-reach.XXXXXX` and other tools' `.name.XXXXXX` as
    // well as app folders.
    if rel
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
    {
        return true;
    }
    let Some(name) = rel.file_name().map(|n| n.to_string_lossy()) else {
        return true;
    };
    // vim's and emacs' backups, vim's `4913` probe for a writable folder, emacs' autosaves.
    name.ends_with('~')
        || name == "4913"
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
}

/// What we last wrote to each generated note, and what each holds now, so that the event
/// for our own write is told from a user's edit by content, not by timing.
#[derive(Debug, Default)]
pub struct OwnWrites {
    written: HashMap<PathBuf, u64>,
    on_disk: HashMap<PathBuf, Option<u64>>,
}

impl OwnWrites {
    /// We wrote (or found already in place) content with this hash at `rel`.
    pub fn wrote(&mut self, rel: &Path, hash: u64) {
        self.written.insert(rel.to_path_buf(), hash);
    }

    /// `rel` holds `content` now (`None`: it is gone or unreadable).
    pub fn saw(&mut self, rel: &Path, content: Option<&[u8]>) {
        self.on_disk
            .insert(rel.to_path_buf(), content.map(content_hash));
    }

    /// `rel` holds exactly what we last wrote to it.
    pub fn is_ours(&self, rel: &Path) -> bool {
        matches!(
            (self.on_disk.get(rel), self.written.get(rel)),
            (Some(Some(now)), Some(ours)) if now == ours
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;

    fn classifier() -> Classifier {
        Classifier::new(Path::new("/nonexistent-vault"), &Settings::default())
    }

    fn plan_of(changes: &[Change]) -> Plan {
        plan(changes, &classifier(), &OwnWrites::default())
    }

    fn paths(list: &[&str]) -> Vec<PathBuf> {
        list.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn app_folders_and_editor_litter_are_ignored() {
        for path in [
            ".obsidian/app.json",
            ".obsidian/workspace.md",
            ".git/index",
            ".trash/Old.md",
            ".vault-reach/generated.json",
            ".vault-reach/watch.lock",
            "People/.Ada.md.swp", // vim swap
            "People/.Ada.md.swx", // vim swap, second try
            "People/Ada.md~",     // vim/emacs backup
            "People/4913",        // vim's probe for a writable folder
            "People/.#Ada.md",    // emacs lock
            "People/#Ada.md#",    // emacs autosave
            "People/.Ada.md.kate-swp",
            ".vault-reach.a8Xk2P", // our own temporary file
            ".today.md.a8Xk2P",
            "People/.Ada.md.Qx81aZ",
            "Attachments/photo.png",
            "People/Ada.txt",
            "People",
        ] {
            assert!(
                plan_of(&[Change::modified(path)]).is_empty(),
                "{path} should be ignored"
            );
        }
        for path in [
            "People/Ada Lovelace.md",
            "Ada.MD",
            "People/#hash.md",
            "People/4913.md",
        ] {
            assert_eq!(
                plan_of(&[Change::modified(path)]).reread,
                paths(&[path]),
                "{path} should be read"
            );
        }
    }

    #[test]
    fn a_changed_note_is_read_again() {
        let plan = plan_of(&[Change::modified("People/Ada.md")]);
        assert_eq!(plan.reread, paths(&["People/Ada.md"]));
        assert!(!plan.rescan && !plan.outputs_touched && plan.forget.is_empty());
    }

    #[test]
    fn a_new_note_is_read() {
        assert_eq!(
            plan_of(&[Change::created("People/Bob.md")]).reread,
            paths(&["People/Bob.md"])
        );
    }

    #[test]
    fn a_deleted_note_is_forgotten() {
        let plan = plan_of(&[Change::removed("People/Ada.md")]);
        assert_eq!(plan.forget, paths(&["People/Ada.md"]));
        assert!(plan.reread.is_empty());
    }

    #[test]
    fn a_renamed_note_is_forgotten_at_the_old_path_and_read_at_the_new() {
        let plan = plan_of(&[Change::renamed("People/Ada.md", "People/Ada Lovelace.md")]);
        assert_eq!(plan.forget, paths(&["People/Ada.md"]));
        assert_eq!(plan.reread, paths(&["People/Ada Lovelace.md"]));
    }

    #[test]
    fn a_note_renamed_to_litter_is_forgotten_and_not_read() {
        // vim's rename-style backup: `Ada.md` → `Ada.md~`, then `Ada.md` is written anew.
        let plan = plan_of(&[
            Change::renamed("People/Ada.md", "People/Ada.md~"),
            Change::created("People/Ada.md"),
            Change::removed("People/Ada.md~"),
        ]);
        assert!(plan.forget.is_empty(), "re-read, not forgotten first");
        assert_eq!(plan.reread, paths(&["People/Ada.md"]));
    }

    #[test]
    fn a_note_written_anew_over_itself_is_read_again_not_forgotten() {
        // `sed -i` and editors that save through a temporary file: the note is removed and
        // created in one batch. Forgetting it first would make its contact leave and come
        // back, which costs the pass everything kept by name.
        let plan = plan_of(&[
            Change::created("People/sedX1b2c3"),
            Change::removed("People/Ada.md"),
            Change::renamed("People/sedX1b2c3", "People/Ada.md"),
        ]);
        // (The temporary file, not Markdown, is forgotten as a folder: which holds nothing.)
        assert_eq!(plan.forget, paths(&["People/sedX1b2c3"]));
        assert_eq!(plan.reread, paths(&["People/Ada.md"]));
        // Created and then deleted within the batch: read again, found gone, forgotten then.
        let plan = plan_of(&[
            Change::created("People/Bob.md"),
            Change::removed("People/Bob.md"),
        ]);
        assert_eq!(plan.reread, paths(&["People/Bob.md"]));
        assert!(plan.forget.is_empty());
    }

    #[test]
    fn a_removed_folder_forgets_what_was_under_it() {
        let plan = plan_of(&[Change::removed("People/Work")]);
        assert_eq!(plan.forget, paths(&["People/Work"]));
    }

    #[test]
    fn a_renamed_folder_forgets_the_old_and_reads_the_new() {
        let plan = plan_of(&[Change::renamed("People/Work", "People/Jobs").folder()]);
        assert_eq!(plan.forget, paths(&["People/Work"]));
        assert_eq!(plan.read_under, paths(&["People/Jobs"]));
    }

    #[test]
    fn a_created_folder_is_read() {
        assert_eq!(
            plan_of(&[Change::created("People/New").folder()]).read_under,
            paths(&["People/New"])
        );
    }

    #[test]
    fn hidden_folders_coming_and_going_are_nothing() {
        assert!(plan_of(&[Change::created(".trash").folder()]).is_empty());
        assert!(plan_of(&[Change::removed(".git/objects/ab")]).is_empty());
        assert!(
            plan_of(&[Change::renamed("People/Ada.md", ".trash/Ada.md")]).forget
                == paths(&["People/Ada.md"])
        );
    }

    #[test]
    fn templates_and_non_markdown_files_are_nothing() {
        assert!(plan_of(&[Change::modified("Templates/Person.md")]).is_empty());
        assert!(plan_of(&[Change::created("Attachments/a.png")]).is_empty());
        assert!(plan_of(&[Change::modified("People/.Ada.md.swp")]).is_empty());
    }

    #[test]
    fn our_own_write_is_nothing() {
        let mut own = OwnWrites::default();
        own.wrote(Path::new("today.md"), content_hash(b"ours"));
        own.saw(Path::new("today.md"), Some(b"ours"));
        assert!(plan(&[Change::created("today.md")], &classifier(), &own).is_empty());
    }

    #[test]
    fn our_own_atomic_replace_is_nothing() {
        let mut own = OwnWrites::default();
        own.wrote(Path::new("today.md"), content_hash(b"ours"));
        own.saw(Path::new("today.md"), Some(b"ours"));
        let changes = [Change::removed("today.md"), Change::created("today.md")];
        assert!(plan(&changes, &classifier(), &own).is_empty());
    }

    #[test]
    fn a_tick_in_today_md_renders_again() {
        let mut own = OwnWrites::default();
        own.wrote(Path::new("today.md"), content_hash(b"- [ ] [[Ada]]"));
        own.saw(Path::new("today.md"), Some(b"- [x] [[Ada]]"));
        assert!(plan(&[Change::modified("today.md")], &classifier(), &own).outputs_touched);
    }

    #[test]
    fn a_deleted_output_is_written_again() {
        let mut own = OwnWrites::default();
        own.wrote(Path::new("index.md"), content_hash(b"ours"));
        own.saw(Path::new("index.md"), None);
        assert!(plan(&[Change::removed("index.md")], &classifier(), &own).outputs_touched);
    }

    #[test]
    fn an_output_we_never_wrote_renders_again() {
        let mut own = OwnWrites::default();
        own.saw(Path::new("index.md"), Some(b"whatever"));
        assert!(plan(&[Change::modified("index.md")], &classifier(), &own).outputs_touched);
    }

    #[test]
    fn lost_events_or_a_checkout_mean_one_rescan() {
        let many: Vec<Change> = (0..=MAX_REREADS)
            .map(|i| Change::created(format!("People/P{i}.md")))
            .collect();
        let plan = plan_of(&many);
        assert!(plan.rescan);
        assert!(plan.reread.is_empty(), "a rescan replaces the re-reads");
        assert!(!plan_of(&many[..MAX_REREADS]).rescan);
    }

    #[test]
    fn config_and_template_overrides_are_noticed() {
        let plan = plan_of(&[Change::modified(".vault-reach/config.toml")]);
        assert!(plan.config_touched && plan.rescan);
        assert!(plan_of(&[Change::modified(".vault-reach/templates/today.md")]).templates_touched);
        // Issue 18: Obsidian's template folder setting moves which notes are people.
        let plan = plan_of(&[Change::modified(".obsidian/templates.json")]);
        assert!(plan.config_touched && plan.rescan, "{plan:?}");
        assert!(plan_of(&[Change::modified(".obsidian/workspace.json")]).is_empty());
        assert!(plan_of(&[Change::modified(".vault-reach/generated.json")]).is_empty());
    }

    #[test]
    fn repeated_events_read_a_note_once() {
        let plan = plan_of(&[
            Change::created("People/Ada.md"),
            Change::modified("People/Ada.md"),
        ]);
        assert_eq!(plan.reread, paths(&["People/Ada.md"]));
    }
}
