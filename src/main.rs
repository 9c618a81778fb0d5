use std::process::ExitCode;

use clap::Parser as _;
use vault_reach::cli::{Cli, Command};

mod alloc;

fn main() -> ExitCode {
    alloc::no_huge_pages();
    let cli = Cli::parse();
    if matches!(cli.command, Command::Watch(_)) {
        alloc::purge_at_once();
    }
    match vault_reach::run(&cli) {
        Ok(code) => code,
        // `vault-reach today | head` closing the pipe is not a failure.
        Err(err) if vault_reach::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}"); // `{:#}`: the whole context chain, one line
            ExitCode::from(2)
        }
    }
}
