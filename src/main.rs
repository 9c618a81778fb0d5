use std::process::ExitCode;

use clap::Parser as _;
use vault_reach::cli::{Cli, Command};

// Reading a vault allocates many small values (YAML, Markdown events) on all cores; mimalloc
// parsed a 30,000-note vault about 30% faster than the system allocator here.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc asks Linux for transparent huge pages, and the kernel then zeroes 2 MiB at a time,
/// most of it never used by a vault's many small values. Turned off, a 30,000-note render
/// spent a third less time in the kernel and peaked 25 MiB lower.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag of this process; it reads no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// mimalloc gives freed memory back to the OS 10 ms after it is freed, by default. In `watch`,
/// each pass frees what the last one built (3 MB of index.md at 30,000 people, its rows, its
/// view) while the next allocates its own, and the delayed pages added up: resident memory
/// grew 14% over 60 edits. Given back at once, it grew 3–5% in the first edits and then held
/// (and was ~25 MiB lower), for ~5 ms more per pass. A one-shot command keeps the default:
/// there the same setting cost ~8% of a render's time for 7% of its peak.
fn purge_at_once() {
    // `mi_option_purge_delay` in mimalloc.h (v2 and v3 alike, just before
    // `mi_option_use_numa_nodes` = 16); libmimalloc-sys does not name it.
    const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: sets one of mimalloc's options, an integer it reads when it purges; it touches
    // no memory of ours.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) }
}

fn main() -> ExitCode {
    no_huge_pages();
    let cli = Cli::parse();
    if matches!(cli.command, Command::Watch(_)) {
        purge_at_once();
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
