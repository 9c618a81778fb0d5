//! `init`: the commented config and the templates, so there is something to customise.

use crate::cli::{Global, InitArgs};
use crate::config::{CONFIG_FILE, DEFAULT_CONFIG, DEFAULT_UPDATE, UPDATE_FILE};
use crate::render::{BUILT_IN, OVERRIDES};
use std::io::Write as _;

pub fn run(global: &Global, args: &InitArgs) -> anyhow::Result<std::process::ExitCode> {
    let vault = super::vault_path(global, args.vault.path.as_deref())?;
    let mut files = vec![
        (CONFIG_FILE.to_owned(), DEFAULT_CONFIG),
        (UPDATE_FILE.to_owned(), DEFAULT_UPDATE),
    ];
    files.extend(
        BUILT_IN
            .iter()
            .map(|(name, text)| (format!("{OVERRIDES}/{name}"), *text)),
    );
    for (rel, text) in files {
        let path = vault.join(&rel);
        let quiet = global.quiet && !args.dry_run;
        if path.exists() {
            if !quiet {
                let verb = if args.dry_run { "would keep" } else { "kept" };
                writeln!(std::io::stdout(), "{verb:<12}  {rel} (it exists)")?;
            }
            continue;
        }
        if !args.dry_run {
            crate::write::write_atomic(&path, text)?;
        }
        if quiet {
            continue;
        }
        writeln!(
            std::io::stdout(),
            "{:<12}  {rel}",
            if args.dry_run {
                "would create"
            } else {
                "created"
            }
        )?;
    }
    if !global.quiet && !args.dry_run {
        writeln!(
            std::io::stdout(),
            "\nEdit the config to set your cadence and workdays; edit a template to change a generated note."
        )?;
        writeln!(
            std::io::stdout(),
            "Delete a template to go back to the built-in one."
        )?;
    }
    Ok(std::process::ExitCode::SUCCESS)
}
