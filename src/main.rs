use std::process::ExitCode;

use clap::Parser as _;
use vault_reach::cli::Cli;

mod alloc;

fn main() -> ExitCode {
    alloc::no_huge_pages();
    // `COMPLETE=bash vault-reach -- …`, as the completion script runs it: answer, and exit.
    clap_complete::CompleteEnv::with_factory(<Cli as clap::CommandFactory>::command)
        .var(vault_reach::complete::VAR)
        .shells(vault_reach::complete::SHELLS)
        .complete();
    alloc::purge_at_once();
    vault_reach::memory::set_give_back(alloc::give_back);
    let cli = Cli::parse();
    match vault_reach::run(&cli) {
        Ok(code) => code,
        // `vault-reach today | head` closing the pipe is not a failure.
        Err(err) if vault_reach::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // `{:#}`: the whole context chain, one line.
            let red = vault_reach::error::ERROR_STYLE;
            anstream::eprintln!("{red}error{red:#}: {err:#}");
            ExitCode::from(2)
        }
    }
}
