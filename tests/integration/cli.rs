//! The command line itself: help, vault discovery, init, completions, exit codes.

use crate::support::{DEMO_DAY, Sandbox, assert_golden, golden, stderr, stdout};

#[test]
fn help_shows_every_command_with_an_example() {
    let vault = Sandbox::empty();
    let out = vault.run(&["--help"]);
    assert!(out.status.success());
    assert_golden(&golden("cli", "help.txt"), &out.stdout);
    let out = vault.run(&["render", "--help"]);
    assert!(stdout(&out).contains("Example: vault-reach render ~/Notes --today 2026-03-02"));
}

#[test]
fn the_vault_comes_from_the_argument_the_flag_or_the_environment() {
    let vault = Sandbox::example();
    let elsewhere = Sandbox::empty();
    let path = vault.vault.to_str().unwrap();
    for args in [vec!["today", path], vec!["today", "--vault", path]] {
        let mut all = args.clone();
        all.extend(["--today", DEMO_DAY, "--json"]);
        let out = elsewhere.run(&all);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    let out = elsewhere
        .cmd()
        .env("VAULT_REACH_VAULT", path)
        .args(["today", "--today", DEMO_DAY])
        .output()
        .unwrap();
    assert!(stdout(&out).contains("Ada Quint"), "{}", stdout(&out));
}

#[test]
fn a_missing_vault_is_a_usage_error() {
    let vault = Sandbox::empty();
    let out = vault.run(&["render", "no-such-folder"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: cannot open the vault `no-such-folder`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_bad_flag_value_is_a_usage_error() {
    let vault = Sandbox::empty();
    let out = vault.run(&["today", "--today", "tomorrow"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn init_writes_the_config_and_templates_once() {
    let vault = Sandbox::empty();
    let out = vault.run(&["init"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for rel in [
        ".vault-reach/config.toml",
        ".vault-reach/templates/today.md",
        ".vault-reach/templates/index.md",
    ] {
        assert!(vault.path(rel).is_file(), "{rel}");
    }
    vault.write(".vault-reach/config.toml", "daily = 2\n");
    let out = vault.run(&["init"]);
    assert!(stdout(&out).contains("kept     .vault-reach/config.toml (it exists)"));
    assert_eq!(vault.read(".vault-reach/config.toml"), "daily = 2\n");
}

#[test]
fn the_initialised_templates_render_the_same_as_the_built_in_ones() {
    let plain = Sandbox::example();
    let custom = Sandbox::example();
    assert!(custom.run(&["init"]).status.success());
    std::fs::write(
        custom.path(".vault-reach/config.toml"),
        plain.read(".vault-reach/config.toml"),
    )
    .unwrap();
    for vault in [&plain, &custom] {
        assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    }
    assert_eq!(plain.read("today.md"), custom.read("today.md"));
    assert_eq!(plain.read("index.md"), custom.read("index.md"));
}

#[test]
fn completions_are_printed_for_each_shell() {
    let vault = Sandbox::empty();
    for shell in ["bash", "zsh", "fish"] {
        let out = vault.run(&["completions", shell]);
        assert!(out.status.success());
        assert!(stdout(&out).contains("vault-reach"));
    }
}
