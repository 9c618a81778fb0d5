//! Shell completion: commands and flags from the clap definition, and the names of the
//! vault's people for every argument that takes a NAME, read from the vault as the user types.
//!
//! `clap_complete`'s dynamic completion does the work: the shell's completion function runs
//! `COMPLETE=<shell> vault-reach -- <the words typed>`, and clap answers from the same
//! definition that parses the command line, so completions cannot drift from it. Bash gets
//! a registration of ours: clap's passes the word under the cursor as readline split it
//! (`Ada\ Q`, or `Ada Q` inside an opened quote) and prints names unquoted, so `touch Ada
//! Quint` became two arguments. Ours tells the quoted case apart, and unquotes the words
//! before clap sees them and quotes the names it prints.

use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::path::{Path, PathBuf};

use clap_complete::CompletionCandidate;
use clap_complete::env::{EnvCompleter, Shells};

use crate::config::Settings;
use crate::model::Contact;
use crate::names::name_key;
use crate::vault::Vault;

/// The variable that asks vault-reach to complete instead of run (clap's convention).
pub const VAR: &str = "COMPLETE";

/// The shells vault-reach completes in: clap's own, with bash replaced by ours.
pub const SHELLS: Shells<'static> = Shells(&[
    &Bash,
    &clap_complete::env::Elvish,
    &Unquoted(clap_complete::env::Fish),
    &clap_complete::env::Powershell,
    &Unquoted(clap_complete::env::Zsh),
]);

/// The script that registers vault-reach's completion in `shell`, calling `completer` (the
/// program as the shell will find it) for each completion.
pub fn write_registration(
    shell: &str,
    completer: &str,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let Some(adapter) = SHELLS.completer(shell) else {
        return Err(std::io::Error::other(format!(
            "vault-reach completes in {}, not in {shell}",
            SHELLS.names().collect::<Vec<_>>().join(", ")
        )));
    };
    adapter.write_registration(VAR, "vault-reach", "vault-reach", completer, out)
}

/// The people whose name (or alias) starts with what is typed, for a NAME argument: case and
/// accents aside, at the start of the name or of any of its words (`quint` finds Ada Quint).
/// A name two notes share is offered as each note's path, which `touch` and `show` accept,
/// so that no completion leads to "could be … or …".
pub fn contact_names(current: &OsStr) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy();
    let Some(vault) = vault_in_words(std::env::args_os()) else {
        return Vec::new();
    };
    // A vault that cannot be read completes nothing: the command itself will say why.
    let Ok(settings) = Settings::load(&vault) else {
        return Vec::new();
    };
    // Read as the day's commands read it, so the parse cache they keep answers (a vault of
    // 30,000 notes completes in the time of a cached `list`).
    let reading = crate::note::Reading {
        kinds: settings.log_words.vocabulary(),
        date_order: settings.date_order,
        today: Some(chrono::Local::now().date_naive()),
    };
    let bypass = std::env::var_os("VAULT_REACH_NO_CACHE").is_some_and(|v| !v.is_empty())
        || std::env::args().any(|a| a == "--no-cache");
    let cache = crate::state::DeviceState::for_vault(&vault)
        .ok()
        .filter(|_| !bypass)
        .map(|device| device.cache());
    let Ok(vault) = Vault::load_cached(&vault, &settings, &reading, cache.as_deref()) else {
        return Vec::new();
    };
    let order: Vec<&Contact> = vault
        .by_name()
        .iter()
        .map(|&i| &vault.contacts[i])
        .collect();
    candidates(&order, &typed)
        .into_iter()
        .map(|(value, help)| CompletionCandidate::new(value).help(Some(help.into())))
        .collect()
}

/// What to offer for `typed` among `contacts` (in the order to list them): each value and
/// a word on what it is.
fn candidates(contacts: &[&Contact], typed: &str) -> Vec<(String, String)> {
    let typed = name_key(typed);
    let mut count = std::collections::HashMap::<String, usize>::new();
    for contact in contacts {
        *count.entry(name_key(&contact.name)).or_default() += 1;
    }
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for contact in contacts {
        let path = crate::error::slash_path(&contact.path);
        let shared = count.get(&name_key(&contact.name)).copied().unwrap_or(0) > 1;
        if matches(&name_key(&contact.name), &typed)
            || (shared && matches(&name_key(&path), &typed))
        {
            if shared {
                out.push((path.clone(), contact.name.to_string()));
            } else if seen.insert(contact.name.to_string()) {
                out.push((contact.name.to_string(), path.clone()));
            }
        }
        for alias in &contact.aliases {
            if matches(&name_key(alias), &typed)
                && !count.contains_key(&name_key(alias))
                && seen.insert(alias.clone())
            {
                out.push((alias.clone(), format!("alias of {}", contact.name)));
            }
        }
    }
    out
}

/// Whether `key` (a name key) starts with `typed`, or one of its words does.
fn matches(key: &str, typed: &str) -> bool {
    key.starts_with(typed)
        || key
            .match_indices([' ', '-', '/'])
            .any(|(at, sep)| key[at + sep.len()..].starts_with(typed))
}

/// The vault the words being completed name: `--vault` among them, else
/// `$VAULT_REACH_VAULT`, else the current folder — the order the command itself follows.
fn vault_in_words(args: impl IntoIterator<Item = OsString>) -> Option<PathBuf> {
    let words: Vec<String> = args
        .into_iter()
        .skip_while(|a| a != "--")
        .skip(1)
        .map(|a| unquote(&a.to_string_lossy()))
        .collect();
    let typed = words.iter().enumerate().find_map(|(i, w)| {
        if w == "--vault" {
            words.get(i + 1).cloned()
        } else {
            w.strip_prefix("--vault=").map(str::to_owned)
        }
    });
    let path = match typed {
        Some(path) => expand_home(&path),
        None => {
            std::env::var_os("VAULT_REACH_VAULT").map_or_else(|| PathBuf::from("."), PathBuf::from)
        }
    };
    path.is_dir().then_some(path)
}

/// `~/Notes` as the shell will expand it when the command runs: the word being completed is
/// still as typed.
fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ if path == "~" => {
            std::env::var_os("HOME").map_or_else(|| PathBuf::from(path), PathBuf::from)
        }
        _ => PathBuf::from(path),
    }
}

/// A word as the shell will pass it to the command: quotes (closed or still open) and
/// backslash escapes removed. Zsh hands words over as typed, and so do earlier words in bash.
fn unquote(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut quote = None;
    let mut chars = word.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None | Some('"'), '\\') => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// `value` escaped for bash's command line, as bash escapes file names it completes:
/// `Ada\ Quint`, `O\'Brien`.
fn bash_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 4);
    for c in value.chars() {
        if c.is_whitespace() || "\\'\"`$&|;<>()[]{}*?!#~,=:".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Bash, with words unquoted on the way in and candidates quoted on the way out.
#[derive(Debug, Clone, Copy)]
pub struct Bash;

impl EnvCompleter for Bash {
    fn name(&self) -> &'static str {
        "bash"
    }

    fn is(&self, name: &str) -> bool {
        name == "bash"
    }

    fn write_registration(
        &self,
        var: &str,
        name: &str,
        bin: &str,
        completer: &str,
        buf: &mut dyn Write,
    ) -> std::io::Result<()> {
        let function = format!("_{}", name.replace('-', "_"));
        let completer = shlex::try_quote(completer).map_err(std::io::Error::other)?;
        let bin = shlex::try_quote(bin).map_err(std::io::Error::other)?;
        // clap_complete's bash script, with `_VAULT_REACH_QUOTE`: the quote the word under
        // the cursor opens. Inside it readline hands over the word unquoted and closes the
        // quote after the candidate; outside, the word comes escaped and so must the
        // candidate.
        let script = format!(
            r#"{function}() {{
    local IFS=$'\013'
    local _CLAP_COMPLETE_INDEX=${{COMP_CWORD}}
    local _CLAP_COMPLETE_COMP_TYPE=${{COMP_TYPE}}
    if compopt +o nospace 2> /dev/null; then
        local _CLAP_COMPLETE_SPACE=false
    else
        local _CLAP_COMPLETE_SPACE=true
    fi
    local _VAULT_REACH_QUOTE=
    case "${{COMP_WORDS[COMP_CWORD]}}" in
        \"*) _VAULT_REACH_QUOTE='"' ;;
        \'*) _VAULT_REACH_QUOTE="'" ;;
    esac
    local words=("${{COMP_WORDS[@]}}")
    if [[ "${{BASH_VERSINFO[0]}}" -ge 4 ]]; then
        words[COMP_CWORD]="$2"
    fi
    COMPREPLY=( $( \
        _CLAP_IFS="$IFS" \
        _CLAP_COMPLETE_INDEX="$_CLAP_COMPLETE_INDEX" \
        _CLAP_COMPLETE_COMP_TYPE="$_CLAP_COMPLETE_COMP_TYPE" \
        _CLAP_COMPLETE_SPACE="$_CLAP_COMPLETE_SPACE" \
        _VAULT_REACH_QUOTE="$_VAULT_REACH_QUOTE" \
        {var}="bash" \
        {completer} -- "${{words[@]}}" \
    ) )
    if [[ $? != 0 ]]; then
        unset COMPREPLY
    elif [[ $_CLAP_COMPLETE_SPACE == false ]] && [[ "${{COMPREPLY-}}" =~ [=/:]$ ]]; then
        compopt -o nospace
    fi
}}
if [[ "${{BASH_VERSINFO[0]}}" -eq 4 && "${{BASH_VERSINFO[1]}}" -ge 4 || "${{BASH_VERSINFO[0]}}" -gt 4 ]]; then
    complete -o nospace -o bashdefault -o nosort -F {function} {bin}
else
    complete -o nospace -o bashdefault -F {function} {bin}
fi
"#
        );
        buf.write_all(script.as_bytes())
    }

    fn write_complete(
        &self,
        cmd: &mut clap::Command,
        args: Vec<OsString>,
        current_dir: Option<&Path>,
        buf: &mut dyn Write,
    ) -> std::io::Result<()> {
        let env = |name| std::env::var(name).ok();
        let index: usize = env("_CLAP_COMPLETE_INDEX")
            .and_then(|i| i.parse().ok())
            .unwrap_or_default();
        let quoted = env("_VAULT_REACH_QUOTE").is_some_and(|q| !q.is_empty());
        let ifs = env("_CLAP_IFS").unwrap_or_else(|| "\n".to_owned());
        let args: Vec<OsString> = args
            .into_iter()
            .enumerate()
            .map(|(i, word)| {
                if i == index && quoted {
                    word
                } else {
                    unquote(&word.to_string_lossy()).into()
                }
            })
            .collect();
        let completions = clap_complete::engine::complete(cmd, args, index, current_dir)?;
        let values: Vec<String> = completions
            .iter()
            .map(|c| {
                let value = c.get_value().to_string_lossy();
                if quoted {
                    value.into_owned()
                } else {
                    bash_escape(&value)
                }
            })
            .collect();
        buf.write_all(values.join(&ifs).as_bytes())
    }
}

/// A shell of clap's, with words unquoted on the way in: zsh's `words` are as typed (`Ada\ Q`),
/// and so is fish's word under the cursor, so clap looked for a name that starts with a
/// backslash or a quote.
#[derive(Debug, Clone, Copy)]
pub struct Unquoted<S>(pub S);

impl<S: EnvCompleter> EnvCompleter for Unquoted<S> {
    fn name(&self) -> &'static str {
        self.0.name()
    }

    fn is(&self, name: &str) -> bool {
        self.0.is(name)
    }

    fn write_registration(
        &self,
        var: &str,
        name: &str,
        bin: &str,
        completer: &str,
        buf: &mut dyn Write,
    ) -> std::io::Result<()> {
        self.0.write_registration(var, name, bin, completer, buf)
    }

    fn write_complete(
        &self,
        cmd: &mut clap::Command,
        args: Vec<OsString>,
        current_dir: Option<&Path>,
        buf: &mut dyn Write,
    ) -> std::io::Result<()> {
        let args = args
            .into_iter()
            .map(|word| unquote(&word.to_string_lossy()).into())
            .collect();
        self.0.write_complete(cmd, args, current_dir, buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(path: &str, name: &str, aliases: &[&str]) -> Contact {
        Contact {
            path: PathBuf::from(path),
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
            ..Contact::named(name)
        }
    }

    fn offered(contacts: &[Contact], typed: &str) -> Vec<String> {
        let refs: Vec<&Contact> = contacts.iter().collect();
        candidates(&refs, typed)
            .into_iter()
            .map(|(v, _)| v)
            .collect()
    }

    #[test]
    fn names_match_from_the_start_of_any_word_case_and_accents_aside() {
        let people = [
            contact("People/Ada Quint.md", "Ada Quint", &["Ada Q."]),
            contact("People/José Núñez.md", "José Núñez", &[]),
            contact("People/Grace Okafor.md", "Grace Okafor", &[]),
        ];
        assert_eq!(offered(&people, "ad"), ["Ada Quint", "Ada Q."]);
        assert_eq!(offered(&people, "jose"), ["José Núñez"]);
        assert_eq!(offered(&people, "nun"), ["José Núñez"]);
        assert_eq!(offered(&people, "okaf"), ["Grace Okafor"]);
        assert_eq!(offered(&people, "").len(), 4);
        assert!(offered(&people, "zed").is_empty());
    }

    #[test]
    fn a_name_two_notes_share_is_offered_as_their_paths() {
        let people = [
            contact("People/Sam Lee.md", "Sam Lee", &[]),
            contact("Work/Sam Lee.md", "Sam Lee", &[]),
        ];
        assert_eq!(
            offered(&people, "sam"),
            ["People/Sam Lee.md", "Work/Sam Lee.md"]
        );
        assert_eq!(offered(&people, "work"), ["Work/Sam Lee.md"]);
    }

    #[test]
    fn an_alias_that_is_someone_else_s_name_is_not_offered_twice() {
        let people = [
            contact("Ada.md", "Ada", &["Grace"]),
            contact("Grace.md", "Grace", &[]),
        ];
        assert_eq!(offered(&people, "gr"), ["Grace"]);
    }

    #[test]
    fn words_are_unquoted_as_the_shell_will_pass_them() {
        assert_eq!(unquote(r"Ada\ Q"), "Ada Q");
        assert_eq!(unquote("\"Ada Q"), "Ada Q");
        assert_eq!(unquote("'O\\'"), "O\\");
        assert_eq!(unquote(r#""say \"hi\"""#), "say \"hi\"");
        assert_eq!(unquote("~/My' 'Notes"), "~/My Notes");
    }

    #[test]
    fn names_are_escaped_for_bash_the_way_it_escapes_file_names() {
        assert_eq!(bash_escape("Ada Quint"), r"Ada\ Quint");
        assert_eq!(
            bash_escape("Sam O'Brien (AT&T)"),
            r"Sam\ O\'Brien\ \(AT\&T\)"
        );
        assert_eq!(
            unquote(&bash_escape("a $b `c` \\ \"d\" !e")),
            "a $b `c` \\ \"d\" !e"
        );
    }

    #[test]
    fn the_vault_is_the_one_the_words_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_string_lossy().into_owned();
        let words = |w: &[&str]| w.iter().map(OsString::from).collect::<Vec<_>>();
        let found = vault_in_words(words(&[
            "vault-reach",
            "--",
            "vault-reach",
            "touch",
            "--vault",
            &path,
            "Ad",
        ]));
        assert_eq!(found.as_deref(), Some(dir.path()));
        let found = vault_in_words(words(&[
            "x",
            "--",
            "vault-reach",
            &format!("--vault={path}"),
            "show",
        ]));
        assert_eq!(found.as_deref(), Some(dir.path()));
        let missing = vault_in_words(words(&[
            "x",
            "--",
            "vault-reach",
            "--vault",
            "/no/such/vault",
            "show",
        ]));
        assert_eq!(missing, None);
    }
}
