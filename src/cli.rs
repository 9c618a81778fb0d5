//! The command line: every command, flag and its help, in one place.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueHint};
use clap_complete::ArgValueCompleter;

/// Keep in touch with the people you have met, from a folder of Markdown notes.
///
/// vault-reach reads one note per contact (front-matter `met-date`, `context`, `last-touch`),
/// writes `today.md` (who to reach out to today) and `index.md` (your whole network), and
/// records outreach in the notes when you tick a name.
#[derive(Debug, Parser)]
#[command(
    name = "vault-reach",
    version,
    propagate_version = true,
    max_term_width = 100,
    after_help = EXAMPLES
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "\
Examples:
  vault-reach render ~/Notes        write today.md and index.md for the vault ~/Notes
  vault-reach today                 print today's list (the vault is the current folder)
  vault-reach check --json          loose links, unanswered, broken notes, for scripts
  vault-reach init ~/Notes          set up a config and templates to customise

Run `vault-reach help COMMAND` for a command's flags and an example.";

#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct Global {
    /// The vault folder (else `$VAULT_REACH_VAULT`, else the current folder)
    #[arg(
        long,
        global = true,
        env = "VAULT_REACH_VAULT",
        value_name = "VAULT",
        value_hint = ValueHint::DirPath
    )]
    pub vault: Option<PathBuf>,
    /// Act as if today were this date (YYYY-MM-DD), so every output is reproducible
    #[arg(long, global = true, value_name = "DATE", value_parser = date)]
    pub today: Option<NaiveDate>,
    /// Print errors only
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more about what happens (twice for even more)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// When to colour labels and diffs; `auto`: on a terminal, unless `NO_COLOR` is set
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    pub color: ColorWhen,
    /// Read every note, neither using nor saving the parse cache (also
    /// `$VAULT_REACH_NO_CACHE` set to anything but empty)
    #[arg(long, global = true)]
    pub no_cache: bool,
}

/// `--color`, as ripgrep and cargo spell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write index.md and today.md once
    ///
    /// Ticked names in today.md are first recorded in the contacts' notes, so a tick is never
    /// lost. Files are written only when their content changes.
    ///
    /// Example: vault-reach render ~/Notes --today 2026-03-02
    Render(RenderArgs),
    /// Keep today.md and index.md current while you edit, and at midnight
    ///
    /// Renders once, then re-reads only the notes that change (in any editor, by git or a sync
    /// tool) and writes the generated notes again when their content changes; ticks in
    /// today.md are recorded. Runs until Ctrl-C or SIGTERM; one watcher per vault.
    ///
    /// Example: vault-reach watch ~/Notes
    Watch(WatchArgs),
    /// Print today's list
    ///
    /// The same people as today.md, for the terminal or, with --json, for scripts.
    ///
    /// Example: vault-reach today --json | jq '.picks[].name'
    Today(ReportArgs),
    /// Report broken notes, duplicates, sync conflicts, loose links and people who do not answer
    ///
    /// Exits 1 when a note has an error (it cannot be read, or a value is wrong), 0 otherwise.
    ///
    /// Example: vault-reach check ~/Notes
    Check(ReportArgs),
    /// Show one person: how you met, when you were last in touch each way, when they are due,
    /// and their Log, newest first
    ///
    /// NAME is a name, file name, alias or path, in any case and with or without accents.
    ///
    /// Example: vault-reach show "Ada Quint"
    Show(ShowArgs),
    /// Print the note today.md suggests for someone: to read, or to pipe into a mail client
    ///
    /// Headers (`To:`, `Subject:`), a blank line and the message on stdout; what the vault
    /// knows that could make it more personal (the people you both know, their own words,
    /// what is still open) on stderr, as `note:` lines. Your news of the day comes from
    /// `.vault-reach/update.md`.
    ///
    /// Example: vault-reach draft "Ada Quint"
    Draft(DraftArgs),
    /// List people, one a line (name, note, state), by tag or state
    ///
    /// Filters combine: `--tag rust --due` is the people tagged rust who are due. On a terminal,
    /// columns fitted to its width; into a pipe, tab-separated, for `cut` and `sort`. The count
    /// goes to stderr.
    ///
    /// Example: vault-reach list --tag rust
    List(ListArgs),
    /// Record that you wrote to someone, that they replied, or that you met
    ///
    /// Sets `last-touch` (or `last-reply` with --replied) unless the note already has a later
    /// date, and adds a line to the note's Log. Nothing else in the note changes. NAME is a
    /// name, file name, alias or path, in any case and with or without accents.
    ///
    /// Example: vault-reach touch "Ada Quint" --note "sent the build-time numbers"
    Touch(TouchArgs),
    /// Take someone off the list until you resume them (`paused: DATE` in the note)
    ///
    /// Their cadence is kept, so `resume` brings back the same rhythm.
    ///
    /// Example: vault-reach pause "Claude Sato"
    Pause(NameArgs),
    /// Take someone off the list until a date (`snooze-until`)
    ///
    /// Example: vault-reach snooze "Ada Quint" --for 3w
    Snooze(SnoozeArgs),
    /// Put someone back on the list: remove what keeps them off (`paused`, `let-go`, a future
    /// `snooze-until`, `cadence: never`)
    ///
    /// Example: vault-reach resume "Claude Sato"
    Resume(NameArgs),
    /// Let someone go: off the schedule for good; the note and its Log are kept (`let-go: DATE`
    /// in the note)
    ///
    /// For someone who never answers, or a link you cannot place. index.md counts them
    /// separately; `resume` brings them back.
    ///
    /// Example: vault-reach let-go "Claude Sato"
    LetGo(NameArgs),
    /// Take back the last change `touch`, `pause`, `snooze`, `let-go` or `resume` made to a
    /// note on this device
    ///
    /// A note as the command left it gets back exactly what it held. If you edited the note
    /// since, your edit is kept; if the two changes overlap, nothing is undone and you are
    /// told why. Only the last change can be undone, once.
    ///
    /// Example: vault-reach undo --dry-run
    Undo(UndoArgs),
    /// Create a contact note for someone you have met
    ///
    /// The first rule: link only with people you have met. --met says when and --context how;
    /// without them the note is refused, unless --loose, which creates it as a loose link.
    ///
    /// Example: vault-reach new "Nadia Field" --met 2026-02-20 --context "compilers panel, via Grace"
    New(NewArgs),
    /// Bring people in from a LinkedIn export or a vCard file, as loose links
    ///
    /// Existing notes are never overwritten: someone already in the vault (same LinkedIn URL,
    /// then email, then name) is left alone, so importing the same file twice creates nothing
    /// the second time. New notes carry what the source knows and no `met-date` or `context`:
    /// a connection is not someone you have met until you say when and how.
    ///
    /// Example: vault-reach import linkedin ~/Downloads/Basic_LinkedInDataExport.zip --dry-run
    #[allow(
        clippy::doc_markdown,
        reason = "this is --help text: backticks around LinkedIn or a path would show"
    )]
    Import(ImportArgs),
    /// Set up a vault: .vault-reach/config.toml and the templates to customise
    ///
    /// Existing files are kept; only missing ones are written.
    ///
    /// Example: vault-reach init ~/Notes
    Init(InitArgs),
    /// Print the script that makes your shell complete commands, flags and people's names
    ///
    /// Names are read from the vault as you type (`--vault`, else `$VAULT_REACH_VAULT`, else
    /// the current folder). Load the script when the shell starts, so it always matches the
    /// installed vault-reach; the README says how for each shell.
    ///
    /// Example: echo 'source <(vault-reach completions bash)' >> ~/.bashrc
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
}

/// A vault given as an argument (else `--vault`, else `$VAULT_REACH_VAULT`, else `.`).
#[derive(Debug, Args)]
pub struct VaultArg {
    /// The vault folder
    #[arg(value_name = "VAULT", value_hint = ValueHint::DirPath)]
    pub path: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub vault: VaultArg,
    /// Show what would be written and recorded, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub vault: VaultArg,
    /// Look at every file every 2 seconds instead of asking the OS for events: for network
    /// shares, and when the OS's limit on watched folders is reached
    #[arg(long)]
    pub poll: bool,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub vault: VaultArg,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[allow(
    clippy::struct_excessive_bools,
    reason = "each is a flag of the command line, which clap reads into a bool"
)]
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub vault: VaultArg,
    /// Only people with this tag (`#` and case aside); repeat for people with all of them
    #[arg(long)]
    pub tag: Vec<String>,
    /// Only people due now
    #[arg(long)]
    pub due: bool,
    /// Only loose links (no note of when and how you met)
    #[arg(long)]
    pub loose: bool,
    /// Only candidates to let go
    #[arg(long)]
    pub unanswered: bool,
    /// Print JSON instead of text: every field templates see
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Who: a name, file name, alias or vault path
    #[arg(add = ArgValueCompleter::new(crate::complete::contact_names))]
    pub name: String,
    /// How many Log entries to show
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Print JSON instead of text: every field templates see, and the whole Log
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DraftArgs {
    /// Who: a name, file name, alias or vault path
    #[arg(add = ArgValueCompleter::new(crate::complete::contact_names))]
    pub name: String,
    /// Print JSON instead of text: the draft's parts, its text and its `mailto:` link
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct UndoArgs {
    /// Show what would be taken back, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// Who, for a command that changes one thing in one note.
#[derive(Debug, Args)]
pub struct NameArgs {
    /// Who: a name, file name, alias or vault path
    #[arg(add = ArgValueCompleter::new(crate::complete::contact_names))]
    pub name: String,
    /// Show the change, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct SnoozeArgs {
    /// Who: a name, file name, alias or vault path
    #[arg(add = ArgValueCompleter::new(crate::complete::contact_names))]
    pub name: String,
    /// The day they come back on the list (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = date)]
    pub until: Option<chrono::NaiveDate>,
    /// How long: `3w`, `10 days`, `2 months`, `1y` (from today)
    #[arg(
        long = "for",
        id = "for_",
        value_name = "SPAN",
        conflicts_with = "until",
        value_parser = span
    )]
    pub for_: Option<crate::model::Span>,
    /// Show the change, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct TouchArgs {
    /// Who: a name, file name, alias or vault path
    #[arg(add = ArgValueCompleter::new(crate::complete::contact_names))]
    pub name: String,
    /// When (YYYY-MM-DD); defaults to today
    #[arg(long, value_parser = date)]
    pub date: Option<NaiveDate>,
    /// What it was about, for the Log line
    #[arg(long)]
    pub note: Option<String>,
    /// Record that they replied, instead of an outreach
    #[arg(long, conflicts_with = "together")]
    pub replied: bool,
    /// Record time together (a coffee, a call, a visit), instead of an outreach
    #[arg(long)]
    pub together: bool,
    /// Show the change, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[allow(
    clippy::doc_markdown,
    reason = "this is --help text: backticks around LinkedIn would show"
)]
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The person's name; it becomes the file name
    pub name: String,
    /// When you met or were first in contact (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = date)]
    pub met: Option<NaiveDate>,
    /// How and where you met, mutual connections, what you talked about
    #[arg(long)]
    pub context: Option<String>,
    /// Their email address, for the link on today's list
    #[arg(long)]
    pub email: Option<String>,
    /// Where they work
    #[arg(long)]
    pub company: Option<String>,
    /// What they do there
    #[arg(long)]
    pub role: Option<String>,
    /// Their LinkedIn profile (URL)
    #[arg(long, value_name = "URL")]
    pub linkedin: Option<String>,
    /// Their birthday: `1980-08-17`, or `08-17` without the year
    #[arg(long, value_name = "DATE", value_parser = birthday)]
    pub birthday: Option<crate::model::Birthday>,
    /// How often to be in touch, if not the vault's cadence: `3 months`, `6w`, `yearly`
    #[arg(long, value_name = "SPAN")]
    pub cadence: Option<crate::model::Cadence>,
    /// Tags, comma-separated
    #[arg(long, value_delimiter = ',')]
    pub tags: Vec<String>,
    /// Create the note without --met and --context; it is listed as a loose link
    #[arg(long)]
    pub loose: bool,
    /// Show the note, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// A date as the command line takes it: `YYYY-MM-DD`, said so when it is not one.
fn date(text: &str) -> Result<NaiveDate, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a date: write YYYY-MM-DD, like 2026-03-02"))
}

/// A length of time from today: a cadence's spellings, `never` and zero refused.
fn span(text: &str) -> Result<crate::model::Span, String> {
    let refuse = || format!("`{text}` is not a length of time: write `3w`, `10 days`, `2 months`");
    // A bare number is days in a note's `contactFrequency`; typed here it says no unit.
    if text.trim().bytes().all(|b| b.is_ascii_digit()) {
        return Err(refuse());
    }
    match text.parse::<crate::model::Cadence>() {
        Ok(crate::model::Cadence::Every(span)) if span.after(NaiveDate::MIN) > NaiveDate::MIN => {
            Ok(span)
        }
        _ => Err(refuse()),
    }
}

fn birthday(text: &str) -> Result<crate::model::Birthday, String> {
    text.parse().map_err(|()| {
        format!("`{text}` is not a birthday: write `1980-08-17`, or `08-17` without the year")
    })
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub source: ImportSource,
}

#[allow(
    clippy::doc_markdown,
    reason = "this is --help text: backticks around LinkedIn or a file name would show"
)]
#[derive(Debug, Subcommand)]
pub enum ImportSource {
    /// Import your LinkedIn connections, recommendations and invitations
    ///
    /// PATH is the data export LinkedIn emails you: the zip, its unpacked folder, or
    /// Connections.csv alone. Recommendations_Given.csv sets `recommended` on the notes of the
    /// people you recommended; Invitations.csv lists the invitations you sent without a
    /// personal message, shown by `check` and in index.md.
    ///
    /// Example: vault-reach import linkedin ~/Downloads/Basic_LinkedInDataExport.zip --dry-run
    #[command(name = "linkedin")]
    LinkedIn(ImportFileArgs),
    /// Import the people of a vCard file (2.1, 3.0 or 4.0, one or many cards)
    ///
    /// Export your address book as .vcf (Contacts on macOS and iOS, Google Contacts, Android,
    /// Outlook all can) and give the file here.
    ///
    /// Example: vault-reach import vcard ~/Downloads/contacts.vcf --dry-run
    #[command(name = "vcard")]
    VCard(ImportFileArgs),
    /// Record what your mail says: messages you sent someone in the vault, and their replies
    ///
    /// Reads headers only (who, to whom, when; never a body) from mbox files (Google Takeout,
    /// Thunderbird, mutt), Maildir folders (offlineimap, mbsync, notmuch), .eml files, or
    /// folders holding them. A message from you is an outreach on its day, one from them (or
    /// in reply to yours) a reply; each day once, so importing again adds nothing. Lists,
    /// automatic senders, messages to more than 20 people and people not in the vault are
    /// skipped and counted; no one new becomes a note. Needs `[me] emails` in config.toml.
    ///
    /// Example: vault-reach import mail ~/Mail/Sent ~/Mail/INBOX --since 2026-01-01 --dry-run
    #[command(name = "mail")]
    Mail(ImportMailArgs),
    /// Record the days you met people in the vault, from your calendar
    ///
    /// Reads .ics files or a folder of them (a vdir: vdirsyncer, khal, an exported calendar).
    /// A past event you attended with someone in the vault (as attendee or organizer) is time
    /// together on its day, titled by its summary; each day once. Recurring events,
    /// cancelled or declined ones, events still to come, without attendees or with more than
    /// 20 people are skipped and counted. Needs `[me] emails` in config.toml.
    ///
    /// Example: vault-reach import calendar ~/.calendars/work --dry-run
    #[command(name = "calendar")]
    Calendar(ImportCalendarArgs),
}

#[derive(Debug, Args)]
pub struct ImportCalendarArgs {
    /// .ics files, or folders of them
    #[arg(value_name = "PATH", required = true, value_hint = ValueHint::AnyPath)]
    pub paths: Vec<PathBuf>,
    /// Only events on or after this day (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = date)]
    pub since: Option<NaiveDate>,
    /// Show what would be recorded, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct ImportMailArgs {
    /// mbox files, Maildir folders, .eml files, or folders of them
    #[arg(value_name = "PATH", required = true, value_hint = ValueHint::AnyPath)]
    pub paths: Vec<PathBuf>,
    /// Only messages on or after this day (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = date)]
    pub since: Option<NaiveDate>,
    /// Show what would be recorded, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[allow(
    clippy::doc_markdown,
    reason = "this is --help text: backticks around LinkedIn would show"
)]
#[derive(Debug, Args)]
pub struct ImportFileArgs {
    /// The file (or, for LinkedIn, the zip or folder) to read
    #[arg(value_name = "PATH", value_hint = ValueHint::AnyPath)]
    pub path: PathBuf,
    /// Show what would be created and changed, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub vault: VaultArg,
    /// Show what would be created, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
