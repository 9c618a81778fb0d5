//! Shell completion, through the shells' own completion functions: the script
//! `vault-reach completions SHELL` prints is loaded into the shell, its function is called
//! with the words as the shell would hand them over, and what it offers is compared.
//! Bash always (CI has it); zsh and fish where they are installed.

use std::path::Path;
use std::process::Command;

use crate::support::{Sandbox, stdout};

fn vault() -> Sandbox {
    let vault = Sandbox::example();
    vault.write(
        "People/Sam O'Brien.md",
        "---\nmet-date: 2026-01-10\ncontext: a meetup\naliases: [Sammy]\n---\n",
    );
    vault
}

fn installed(shell: &str) -> bool {
    Command::new(shell)
        .arg("-c")
        .arg("exit 0")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The shell running `script` after loading the registration, in the vault's folder with the
/// sandbox's environment (and `PATH`, for the shell's own sake).
fn shell(vault: &Sandbox, shell: &str, flags: &[&str], script: &str, cwd: &Path) -> String {
    let registration = stdout(&vault.run(&["completions", shell]));
    let path = vault.path(".registration");
    std::fs::write(&path, registration).unwrap();
    let out = Command::new(shell)
        .args(flags)
        .arg("-c")
        .arg(format!("source '{}'\n{script}", path.display()))
        .current_dir(cwd)
        .env_clear()
        .envs(vault.env())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(
        out.status.success(),
        "{shell}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout(&out)
}

/// What bash offers for `line` (the word under the cursor last): `COMP_WORDS` and friends set
/// as readline sets them (words split at blanks outside quotes and escapes, kept as typed),
/// and the word passed to the function as readline passes it (without a quote it opens).
fn bash(vault: &Sandbox, line: &str, cwd: &Path) -> Vec<String> {
    let words = readline_words(line);
    let quoted: Vec<String> = words.iter().map(|w| single_quoted(w)).collect();
    let script = format!(
        r#"
COMP_LINE={line}
COMP_POINT=${{#COMP_LINE}}
COMP_TYPE=9
COMP_WORDS=({words})
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
cur=${{COMP_WORDS[COMP_CWORD]}}
case $cur in \"*|\'*) two=${{cur:1}} ;; *) two=$cur ;; esac
_vault_reach vault-reach "$two" "${{COMP_WORDS[COMP_CWORD-1]}}"
if (( ${{#COMPREPLY[@]}} )); then printf '%s\n' "${{COMPREPLY[@]}}"; fi
"#,
        line = single_quoted(line),
        words = quoted.join(" "),
    );
    shell(vault, "bash", &["--norc", "--noprofile"], &script, cwd)
        .lines()
        .map(str::to_owned)
        .collect()
}

fn readline_words(line: &str) -> Vec<String> {
    let (mut words, mut word, mut quote, mut escaped) = (Vec::new(), String::new(), None, false);
    for c in line.chars() {
        match (quote, c) {
            _ if escaped => escaped = false,
            (None, ' ') => {
                words.push(std::mem::take(&mut word));
                continue;
            }
            (None, '\\') => escaped = true,
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if q == c => quote = None,
            _ => {}
        }
        word.push(c);
    }
    words.push(word);
    words
}

fn single_quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[test]
fn bash_completes_commands_and_each_command_s_flags() {
    let vault = vault();
    assert_eq!(
        bash(&vault, "vault-reach to", &vault.vault),
        ["today", "touch"]
    );
    let flags = bash(&vault, "vault-reach touch --", &vault.vault);
    for flag in [
        "--date",
        "--note",
        "--replied",
        "--together",
        "--dry-run",
        "--vault",
    ] {
        assert!(flags.contains(&flag.to_owned()), "{flag} in {flags:?}");
    }
    assert!(
        !flags.iter().any(|f| f == "--json"),
        "touch has no --json: {flags:?}"
    );
    assert_eq!(
        bash(&vault, "vault-reach import l", &vault.vault),
        ["linkedin"]
    );
}

#[test]
fn bash_completes_people_s_names_quoted_for_the_command_line() {
    let vault = vault();
    let here = &vault.vault;
    // Escaped when the word is bare, as bash escapes the file names it completes…
    assert_eq!(bash(&vault, "vault-reach touch Ad", here), [r"Ada\ Quint"]);
    assert_eq!(
        bash(&vault, r"vault-reach show Ada\ Q", here),
        [r"Ada\ Quint"]
    );
    assert_eq!(
        bash(&vault, "vault-reach pause sam\\ o", here),
        [r"Sam\ O\'Brien"]
    );
    assert_eq!(bash(&vault, "vault-reach pause samm", here), ["Sammy"]);
    // …and as they are inside a quote the user opened, which readline closes.
    assert_eq!(
        bash(&vault, r#"vault-reach touch "Ada"#, here),
        ["Ada Quint"]
    );
    assert_eq!(
        bash(&vault, "vault-reach snooze 'sam o", here),
        ["Sam O'Brien"]
    );
    // Case, accents and the start of any word aside.
    assert_eq!(
        bash(&vault, "vault-reach show jose", here),
        [r"José\ Núñez"]
    );
    assert_eq!(
        bash(&vault, "vault-reach show okaf", here),
        [r"Grace\ Okafor"]
    );
    // Two notes of one name are offered by path, the way `touch` tells them apart.
    assert_eq!(
        bash(&vault, "vault-reach touch sam\\ r", here),
        [
            r"People/Personal/Sam\ Rivera.md",
            r"People/Work/Sam\ Rivera.md"
        ]
    );
    assert!(bash(&vault, "vault-reach touch zzz", here).is_empty());
}

#[test]
fn names_come_from_the_vault_the_command_line_names() {
    let vault = vault();
    let elsewhere = tempfile::tempdir().unwrap();
    let flag = format!("vault-reach touch --vault {} Gra", vault.vault.display());
    assert_eq!(bash(&vault, &flag, elsewhere.path()), [r"Grace\ Okafor"]);
    // Outside a vault and with none named, no names, and no error either.
    assert!(bash(&vault, "vault-reach touch Gra", elsewhere.path()).is_empty());
    let script = format!(
        "export VAULT_REACH_VAULT='{}'\nCOMP_WORDS=(vault-reach show Gra); COMP_CWORD=2\n\
         _vault_reach vault-reach Gra show; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        vault.vault.display()
    );
    let out = shell(&vault, "bash", &["--norc"], &script, elsewhere.path());
    assert_eq!(out.trim(), r"Grace\ Okafor");
}

#[test]
fn zsh_completes_flags_and_names_where_installed() {
    if !installed("zsh") {
        eprintln!("zsh is not installed: skipped");
        return;
    }
    let vault = vault();
    // `_describe` and `compdef` are the completion system's; stand-ins print what they are
    // given.
    let offered = |words: &str, current: usize| {
        let script = format!(
            "_describe() {{ print -rl -- \"${{(@P)3}}\" }}\ncompdef() {{ }}\n\
             words=({words}); CURRENT={current}\n_clap_dynamic_completer_vault_reach"
        );
        shell(&vault, "zsh", &["-f"], &script, &vault.vault)
    };
    assert_eq!(
        offered(r"vault-reach touch 'Ada\ Q'", 3).trim(),
        "Ada Quint:People/Ada Quint.md"
    );
    assert!(offered("vault-reach touch --d", 3).contains("--date:When"));
}

#[test]
fn fish_completes_flags_and_names_where_installed() {
    if !installed("fish") {
        eprintln!("fish is not installed: skipped");
        return;
    }
    let vault = vault();
    let offered = |line: &str| {
        let script = format!("complete -C {line:?}");
        shell(&vault, "fish", &["--no-config"], &script, &vault.vault)
    };
    assert_eq!(
        offered("vault-reach touch Ad").trim(),
        "Ada Quint\tPeople/Ada Quint.md"
    );
    assert!(offered("vault-reach show 'sam o").starts_with("Sam O'Brien\t"));
    assert!(offered("vault-reach touch --d").contains("--date\t"));
}

#[test]
fn every_shell_clap_knows_gets_a_script() {
    let vault = Sandbox::empty();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = vault.run(&["completions", shell]);
        assert!(out.status.success(), "{shell}");
        assert!(stdout(&out).contains("vault-reach"), "{shell}");
    }
}
