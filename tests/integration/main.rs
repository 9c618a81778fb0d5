//! Integration tests: the real binary on fixture vaults copied to a temp folder, with a fixed
//! `--today`, compared with golden files. One test binary, a module per command.

mod support;

mod architecture;
mod cache;
mod check;
mod cli;
mod complete;
mod import;
mod render;
mod today;
mod touch;
// The watcher is stopped with `kill`, as systemd and launchd stop it.
#[cfg(unix)]
mod watch;
