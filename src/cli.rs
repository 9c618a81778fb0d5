//! The command line: every command, flag and its help, in one place.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

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
    #[arg(long, global = true, env = "VAULT_REACH_VAULT", value_name = "VAULT")]
    pub vault: Option<PathBuf>,
    /// Act as if today were this date (YYYY-MM-DD), so every output is reproducible
    #[arg(long, global = true, value_name = "DATE")]
    pub today: Option<NaiveDate>,
    /// Print errors only
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more about what happens (twice for even more)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Read every note, neither using nor saving the parse cache (also
    /// `$VAULT_REACH_NO_CACHE` set to anything but empty)
    #[arg(long, global = true)]
    pub no_cache: bool,
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
    /// Report loose links, unanswered outreach, broken notes, duplicates and sync conflicts
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
    /// List people, one a line (name, note, state), by tag or state
    ///
    /// Filters combine: `--tag rust --due` is the people tagged rust who are due. Tab-separated,
    /// for `cut` and `sort`; the count goes to stderr.
    ///
    /// Example: vault-reach list --tag rust
    List(ListArgs),
    /// Record that you reached out to someone, or that they replied
    ///
    /// Sets `last-touch` (or `last-reply` with --replied) unless the note already has a later
    /// date, and adds a line to the note's Log. Only those bytes of the note change. NAME is a
    /// name, file name, alias or path, in any case and with or without accents.
    ///
    /// Example: vault-reach touch "Ada Quint" --note "sent the build-time numbers"
    Touch(TouchArgs),
    /// Take someone off the list: their cadence becomes `never`
    ///
    /// For a pause, or to let go of someone who never answers (the prune rule). Set a cadence
    /// in the note again to bring them back.
    ///
    /// Example: vault-reach pause "Claude Sato"
    Pause(PauseArgs),
    /// Take someone off the list until a date (`snooze-until`)
    ///
    /// Example: vault-reach snooze "Ada Quint" --until 2026-06-01
    Snooze(SnoozeArgs),
    /// Create a contact note for someone you have met
    ///
    /// The first rule: link only with people you have met. --met says when and --context how;
    /// without them the note is refused, unless --loose, which creates it as a loose link.
    ///
    /// Example: vault-reach new "Ada Quint" --met 2026-02-20 --context "compilers panel, via Grace"
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
    /// Print shell completions
    ///
    /// Example: vault-reach completions bash > ~/.local/share/bash-completion/completions/vault-reach
    Completions {
        /// bash, zsh, fish, elvish or powershell
        shell: clap_complete::Shell,
    },
}

/// A vault given as an argument (else `--vault`, else `$VAULT_REACH_VAULT`, else `.`).
#[derive(Debug, Args)]
pub struct VaultArg {
    /// The vault folder
    #[arg(value_name = "VAULT")]
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
    pub name: String,
    /// How many Log entries to show
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Print JSON instead of text: every field templates see, and the whole Log
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PauseArgs {
    /// Who: a name, file name, alias or vault path
    pub name: String,
    /// Show the change, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct SnoozeArgs {
    /// Who: a name, file name, alias or vault path
    pub name: String,
    /// The day they come back on the list (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub until: chrono::NaiveDate,
    /// Show the change, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct TouchArgs {
    /// Who: a name, file name, alias or vault path
    pub name: String,
    /// When (YYYY-MM-DD); defaults to today
    #[arg(long)]
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

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The person's name; it becomes the file name
    pub name: String,
    /// When you met or were first in contact (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
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
    /// Example: vault-reach import linkedin ~/Downloads/Basic_LinkedInDataExport.zip
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
}

#[allow(
    clippy::doc_markdown,
    reason = "this is --help text: backticks around LinkedIn would show"
)]
#[derive(Debug, Args)]
pub struct ImportFileArgs {
    /// The file (or, for LinkedIn, the zip or folder) to read
    #[arg(value_name = "PATH")]
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
