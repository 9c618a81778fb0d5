//! `cargo xtask man [DIR]`: the man pages, made by `clap_mangen` from the definition that
//! parses vault-reach's command line, so they say what `--help` says: `vault-reach.1`, and
//! `vault-reach-touch.1` and so on for each command.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::CommandFactory as _;

pub fn main(args: &[String]) -> ExitCode {
    let dir = match args {
        [] => crate::bench::workspace_root().join("target/man"),
        [dir] => PathBuf::from(dir),
        _ => {
            eprintln!("usage: cargo xtask man [DIR]");
            return ExitCode::from(2);
        }
    };
    match write(&dir) {
        Ok(pages) => {
            println!("wrote {pages} man pages to {}", dir.display());
            println!("read one: man -l {}", dir.join("vault-reach.1").display());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("xtask man: {}: {err}", dir.display());
            ExitCode::FAILURE
        }
    }
}

/// Writes every page into `dir`; how many there are.
fn write(dir: &Path) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let command = vault_reach::cli::Cli::command();
    clap_mangen::generate_to(command, dir)?;
    Ok(std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "1"))
        .count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_gets_a_page_that_names_its_flags() {
        let dir = std::env::temp_dir().join(format!("vault-reach-man-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        assert!(write(&dir).unwrap() > 10);
        let touch = std::fs::read_to_string(dir.join("vault-reach-touch.1")).unwrap();
        assert!(
            touch.contains("replied") && touch.contains("dry"),
            "{touch}"
        );
        let main = std::fs::read_to_string(dir.join("vault-reach.1")).unwrap();
        assert!(
            main.contains("let\\-go") || main.contains("let-go"),
            "{main}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
