//! vault-reach: a plain-text personal relationship manager over a folder of Markdown notes.
//!
//! The vault is the database. This crate reads contact notes, decides who to reach out to,
//! renders `today.md` and `index.md` from templates, and makes small lossless edits to notes.

pub mod cli;
pub mod cmd;
pub mod complete;
pub mod config;
pub mod draft;
pub mod error;
pub mod escape;
pub mod files;
pub mod harvest;
pub mod import;
pub mod memory;
pub mod model;
pub mod names;
pub mod note;
pub mod outreach;
pub mod page;
pub mod pass;
pub mod render;
pub mod schedule;
pub mod state;
pub mod undo;
pub mod vault;
pub mod view;
pub mod watch;
pub mod write;

use std::process::ExitCode;

use cli::{Cli, Command};

/// Runs one command; the exit code says whether problems were found.
pub fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    anstream::ColorChoice::write_global(match cli.global.color {
        cli::ColorWhen::Auto => anstream::ColorChoice::Auto,
        cli::ColorWhen::Always => anstream::ColorChoice::Always,
        cli::ColorWhen::Never => anstream::ColorChoice::Never,
    });
    // A long-running watcher's log needs times; one-shot commands' messages do not.
    init_logging(&cli.global, matches!(cli.command, Command::Watch(_)));
    let global = &cli.global;
    match &cli.command {
        Command::Render(args) => cmd::render::run(global, args),
        Command::Watch(args) => cmd::watch::run(global, args),
        Command::Today(args) => cmd::today::run(global, args),
        Command::Check(args) => cmd::check::run(global, args),
        Command::Show(args) => cmd::show::run(global, args),
        Command::Draft(args) => cmd::draft::run(global, args),
        Command::List(args) => cmd::list::run(global, args),
        Command::Pause(args) => cmd::pause::pause(global, args),
        Command::Snooze(args) => cmd::pause::snooze(global, args),
        Command::Resume(args) => cmd::pause::resume(global, args),
        Command::LetGo(args) => cmd::pause::let_go(global, args),
        Command::Undo(args) => cmd::undo::run(global, args),
        Command::Touch(args) => cmd::touch::run(global, args),
        Command::New(args) => cmd::new::run(global, args),
        Command::Import(args) => cmd::import::run(global, args),
        Command::Init(args) => cmd::init::run(global, args),
        Command::Completions { shell } => {
            // The program as this shell found it, as clap_complete's own registration does.
            // A relative path with a folder (`./target/debug/vault-reach`) is made absolute, so
            // the script works from any folder.
            let program = std::env::args_os()
                .next()
                .map_or_else(|| "vault-reach".into(), std::path::PathBuf::from);
            let program = match std::env::current_dir() {
                Ok(dir) if program.components().count() > 1 => dir.join(program),
                _ => program,
            };
            let completer = program.to_string_lossy();
            // Made in memory first, so a closed pipe (`completions bash | head`) is no crash.
            let mut script = Vec::new();
            complete::write_registration(&shell.to_string(), &completer, &mut script)?;
            std::io::Write::write_all(&mut std::io::stdout(), &script)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn init_logging(global: &cli::Global, timestamps: bool) {
    let level = match (global.quiet, global.verbose) {
        (true, _) => "error",
        (false, 0) => "info",
        (false, 1) => "debug",
        (false, _) => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("VAULT_REACH_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("vault_reach={level}")));
    let fmt = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes would litter a log file or the journal of a service.
        .with_ansi(anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never)
        .with_target(false);
    let _ = if timestamps {
        fmt.with_timer(LocalTime).try_init()
    } else {
        fmt.without_time().try_init()
    };
}

/// Local wall-clock time to the second: what a user compares with their own edits.
struct LocalTime;

impl tracing_subscriber::fmt::time::FormatTime for LocalTime {
    fn format_time(&self, w: &mut tracing_subscriber::fmt::format::Writer<'_>) -> std::fmt::Result {
        write!(w, "{}", chrono::Local::now().format("%Y-%m-%d %H:%M:%S"))
    }
}

/// True when `err` is a closed stdout pipe (`vault-reach today | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    // serde_json keeps the I/O error it met to itself: `list --json | head` is one too.
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| {
                e.downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
            })
            == Some(std::io::ErrorKind::BrokenPipe)
    })
}
