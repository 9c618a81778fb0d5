//! vault-reach's development tasks, run from anywhere in the repository as `cargo xtask TASK`
//! (the alias is in `.cargo/config.toml`; it builds this crate in release).
//!
//!     cargo xtask bench [SIZES…] [--runs N] [--warmup N] [--seed S] [--dir DIR] [--bin PATH]
//!     cargo xtask gen-vault N OUTDIR [--seed S]
//!     cargo xtask fault [--notes N] [--rounds R] [--seed S] [--bin PATH] [--keep DIR]
//!     cargo xtask man [DIR]
//!
//! A workspace member outside `default-members`: `cargo build`, `cargo test` and `cargo clippy`
//! in the root leave it out, so building or testing vault-reach never compiles the tools.

mod bench;
mod fault;
mod gen_vault;
mod man;
mod vaultgen;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask TASK [ARGS…]

tasks:
  bench      time vault-reach against `cat` and `rg` on generated vaults (see BENCHMARKS.md)
  gen-vault  write a synthetic vault of N contact notes
  fault      hostile edits to a generated vault, then every command: crashes, hangs, forgeries
  man        write the man pages, vault-reach(1) and one per command, into DIR (target/man)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.split_first() {
        Some((task, rest)) if task == "bench" => bench::main(rest),
        Some((task, rest)) if task == "gen-vault" => gen_vault::main(rest),
        Some((task, rest)) if task == "fault" => fault::main(rest),
        Some((task, rest)) if task == "man" => man::main(rest),
        Some((flag, _)) if flag == "-h" || flag == "--help" => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some((task, _)) => {
            eprintln!("xtask: no task `{task}`\n{USAGE}");
            ExitCode::from(2)
        }
        None => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
