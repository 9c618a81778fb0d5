//! The module map keeps to its arrows (ARCHITECTURE.md): a `use` that breaks one fails here.
//!
//! Read from the source, as a reviewer would: every `crate::x` outside test modules is an
//! edge from the top-level module it is written in to `x`. Comments and doc links are not
//! edges; test modules (from `#[cfg(test)]` on, which closes each file) may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::repo;

/// The commands, each a file of `src/cmd/`.
const COMMANDS: [&str; 13] = [
    "check", "draft", "import", "init", "list", "new", "pause", "render", "show", "today", "touch",
    "undo", "watch",
];

/// Each `.rs` file of `src/` with its top-level module and its code outside tests.
fn sources() -> Vec<(String, String, String)> {
    let src = repo().join("src");
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).unwrap();
        let top = match rel.components().next() {
            Some(first) if rel.components().count() > 1 => {
                first.as_os_str().to_string_lossy().into_owned()
            }
            _ => rel.file_stem().unwrap().to_string_lossy().into_owned(),
        };
        let text = std::fs::read_to_string(path).unwrap();
        let (code, tests) = text.split_once("#[cfg(test)]").unwrap_or((&text, ""));
        // The test module closes the file, so all that precedes it is the code: after its
        // `mod … {` line only its closing `}` may stand at the margin.
        let items_after = tests
            .lines()
            .skip(2)
            .filter(|l| !l.is_empty() && !l.starts_with([' ', '}']))
            .count();
        assert_eq!(
            items_after,
            0,
            "src/{}: code after the test module",
            slashed(rel)
        );
        let code: String = code
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .flat_map(|l| [l, "\n"])
            .collect();
        out.push((slashed(rel), top, code));
    }
    out
}

fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The names following `prefix` in `code`: `crate::vault::scan` gives `vault`.
fn after<'a>(code: &'a str, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    code.match_indices(prefix).filter_map(move |(i, _)| {
        let before = code[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            return None; // `my_crate::`, not ours
        }
        let rest = &code[i + prefix.len()..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        (end > 0).then(|| &rest[..end])
    })
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (_, top, code) in sources() {
        for to in after(&code, "crate::") {
            if to != top {
                edges.entry(top.clone()).or_default().insert(to.to_owned());
            }
        }
    }
    edges
}

// Depth-first, with the path so far: a module met again on it closes a cycle.
fn visit(
    node: &str,
    edges: &BTreeMap<String, BTreeSet<String>>,
    path: &mut Vec<String>,
    done: &mut BTreeSet<String>,
) {
    if let Some(at) = path.iter().position(|n| n == node) {
        panic!("a cycle of modules: {} -> {node}", path[at..].join(" -> "));
    }
    if done.contains(node) {
        return;
    }
    path.push(node.to_owned());
    for next in edges.get(node).into_iter().flatten() {
        visit(next, edges, path, done);
    }
    path.pop();
    done.insert(node.to_owned());
}

#[test]
fn top_level_modules_form_no_cycle() {
    let edges = graph();
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        visit(node, &edges, &mut Vec::new(), &mut done);
    }
}

#[test]
fn layers_import_only_what_lies_below_them() {
    let edges = graph();
    let allowed: [(&str, &[&str]); 4] = [
        ("model", &[]),
        ("error", &[]),
        ("files", &[]),
        ("note", &["error", "model", "names"]),
    ];
    for (module, may) in allowed {
        let uses: Vec<&String> = edges
            .get(module)
            .into_iter()
            .flatten()
            .filter(|to| !may.contains(&to.as_str()))
            .collect();
        assert!(uses.is_empty(), "`{module}` must not use {uses:?}");
    }
    for (from, to) in [
        ("view", "render"),
        ("vault", "import"),
        ("vault", "watch"),
        ("schedule", "watch"),
        ("render", "watch"),
    ] {
        assert!(
            !edges.get(from).is_some_and(|e| e.contains(to)),
            "`{from}` must not use `{to}`"
        );
    }
}

#[test]
fn commands_use_no_other_command_and_nothing_else_uses_them() {
    for (file, top, code) in sources() {
        if top != "cmd" {
            assert!(
                file == "lib.rs" || after(&code, "crate::").all(|m| m != "cmd"),
                "`{file}` uses a command module; what commands share belongs below them"
            );
            continue;
        }
        let here = Path::new(&file).file_stem().unwrap().to_string_lossy();
        for command in COMMANDS.iter().filter(|c| **c != here) {
            for prefix in ["super::", "crate::cmd::"] {
                let used = after(&code, prefix).any(|m| m == *command);
                assert!(!used, "`{file}` uses the `{command}` command module");
            }
        }
    }
}

#[test]
fn anyhow_is_only_for_commands_and_the_entry_points() {
    for (file, top, code) in sources() {
        let allowed = top == "cmd" || file == "lib.rs" || file == "main.rs";
        assert!(
            allowed || !code.contains("anyhow"),
            "`{file}` uses anyhow; a library module returns a typed error (thiserror)"
        );
    }
}

#[test]
fn the_rules_above_see_the_edges_they_forbid() {
    // The checks read text: make sure they find what they look for.
    let code = "use crate::vault::Vault;\nlet x = my_crate::y; super::render::pass();";
    assert_eq!(after(code, "crate::").collect::<Vec<_>>(), ["vault"]);
    assert_eq!(after(code, "super::").collect::<Vec<_>>(), ["render"]);
    let edges = graph();
    assert!(edges["cmd"].contains("vault") && edges["pass"].contains("render"));
}
