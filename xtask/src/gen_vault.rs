//! Writes a synthetic vault of N contact notes for benchmarks and manual testing.
//!
//!     cargo xtask gen-vault 30000 /tmp/vr-bench/vault-30000 [--seed 42]
//!
//! The same N and seed always give the same bytes and mtimes. An existing vault made by this
//! generator is replaced; any other non-empty folder is refused.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::vaultgen;

/// `cargo xtask gen-vault ARGS…`; `args` are the words after `gen-vault`.
pub fn main(args: &[String]) -> ExitCode {
    let mut args = args.iter().cloned();
    let mut positional = Vec::new();
    let mut seed = 42_u64;
    while let Some(arg) = args.next() {
        if arg == "--seed" {
            match args.next().and_then(|s| s.parse().ok()) {
                Some(s) => seed = s,
                None => return usage("--seed needs a number"),
            }
        } else {
            positional.push(arg);
        }
    }
    let [n, dir] = positional.as_slice() else {
        return usage("expected N and OUTDIR");
    };
    let Ok(n) = n.parse::<usize>() else {
        return usage("N must be a number");
    };
    let dir = PathBuf::from(dir);
    let started = std::time::Instant::now();
    match vaultgen::write_vault(&dir, n, seed) {
        Ok(stats) => {
            eprintln!(
                "wrote {} in {:.1} s",
                dir.display(),
                started.elapsed().as_secs_f64()
            );
            println!("{}", stats.summary());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("gen-vault: {err}");
            ExitCode::FAILURE
        }
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("gen-vault: {problem}\nusage: cargo xtask gen-vault N OUTDIR [--seed S]");
    ExitCode::from(2)
}
