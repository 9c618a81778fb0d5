//! `check`: what needs attention, and the exit code scripts rely on.

use crate::support::{DEMO_DAY, Sandbox, assert_golden, golden, stdout};

#[test]
fn check_lists_problems_loose_links_and_unanswered_and_exits_1_on_errors() {
    let vault = Sandbox::example();
    vault.write(
        "People/Ada Quint.sync-conflict-20260301-101010-ABCDEFG.md",
        "---\nmet-date: 2026-02-20\n---\n",
    );
    let out = vault.run(&["check", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(1));
    assert_golden(&golden("example", "check.txt"), &out.stdout);
}

/// Issue 18: conflict copies of a contact note became a second person on today's list.
/// Every tool's spelling is reported with the note it copies, and nobody is listed twice.
#[test]
fn conflict_copies_of_a_contact_are_never_a_second_person() {
    let vault = Sandbox::example();
    let ada = vault.read("People/Ada Quint.md");
    let edited = format!("{ada}- 2026-02-27 emailed the slides\n");
    let copies = [
        "Ada Quint (Grace\u{2019}s conflicted copy 2026-03-01).md",
        "Ada Quint (Conflicted Copy 2026-03-01).md",
        "Ada Quint (Case Conflict).md",
        "Ada Quint (Unicode Encoding Conflict).md",
        "Ada Quint.sync-conflict-20260301-101010-ABCDEFG.md",
        "Ada Quint 2.md",
        "Ada Quint-DESKTOP-AB12CD.md",
    ];
    for copy in copies {
        vault.write(&format!("People/{copy}"), &edited);
    }
    // Not a copy: another person whose name ends in a number, beside a namesake.
    vault.write(
        "People/Linus Berg 2.md",
        "---\nmet-date: 2025-05-05\ncontext: a hackathon\n---\n",
    );
    let out = vault.run(&["check", "--today", DEMO_DAY, "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let problems = json["problems"].as_array().unwrap();
    for copy in copies {
        let problem = problems
            .iter()
            .find(|p| p["at"]["path"] == format!("People/{copy}"))
            .unwrap_or_else(|| panic!("{copy} not reported: {problems:#?}"));
        let message = problem["message"].as_str().unwrap();
        assert!(
            message.contains("conflict copy of `Ada Quint.md`"),
            "{copy}: {message}"
        );
    }
    assert_eq!(json["contacts"], 17, "{}", stdout(&out));
    let twin = problems
        .iter()
        .find(|p| p["at"]["path"] == "People/Linus Berg 2.md")
        .unwrap();
    assert!(
        twin["message"]
            .as_str()
            .unwrap()
            .contains("looks like a sync copy"),
        "{twin}"
    );
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    let index = vault.read("index.md");
    assert_eq!(index.matches("[[Ada Quint]]").count(), 1, "{index}");
    assert!(
        index.contains("Ada Quint 2.md"),
        "reported in index.md too:\n{index}"
    );
}

/// The command to type for someone to let go names them by their name, or by the note's path
/// where another note has the same name (the name alone could be either).
#[test]
fn a_namesake_to_let_go_is_named_by_its_path() {
    let vault = Sandbox::example();
    let claude = vault.read("People/Claude Sato.md");
    vault.write("People/Work/Claude Sato.md", &claude);
    let out = vault.run(&["check", "--today", DEMO_DAY]);
    let text = stdout(&out);
    for path in ["People/Claude Sato.md", "People/Work/Claude Sato.md"] {
        assert!(
            text.contains(&format!("{path}: unanswered: 2 messages since June 2025, no answer; consider letting go (`vault-reach let-go \"{path}\"`)")),
            "{text}"
        );
    }
    std::fs::remove_file(vault.path("People/Work/Claude Sato.md")).unwrap();
    let text = stdout(&vault.run(&["check", "--today", DEMO_DAY]));
    assert!(
        text.contains("(`vault-reach let-go \"Claude Sato\"`)"),
        "{text}"
    );
}

#[test]
fn check_json_carries_the_same_findings() {
    let vault = Sandbox::example();
    let out = vault.run(&["check", "--today", DEMO_DAY, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["errors"], 1);
    assert_eq!(json["problems"][0]["at"]["path"], "People/Edsger Dorn.md");
    assert_eq!(json["unanswered"][0]["name"], "Claude Sato");
    assert_eq!(json["loose"][0]["name"], "Hedda Lamm");
    assert_eq!(
        json["loose"][0]["missing"],
        serde_json::json!(["met-date", "context"])
    );
    assert_eq!(json["unanswered"][0]["path"], "People/Claude Sato.md");
    assert_eq!(json["unanswered"][0]["outreaches"], 2);
    let _ = stdout(&out);
}

#[test]
fn a_clean_vault_checks_with_exit_0() {
    let vault = Sandbox::empty();
    vault.write(
        "People/Ada.md",
        "---\nmet-date: 2020-01-01\ncontext: a test\n---\n",
    );
    let out = vault.run(&["check", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "1 contacts: 0 errors, 0 warnings, 0 loose, 0 unanswered\n"
    );
}

/// Issue 12: one note with an absurd cadence made every command exit 101, and a running
/// watcher die with it.
#[test]
fn a_cadence_past_the_calendar_is_a_problem_not_a_crash() {
    let vault = Sandbox::example();
    vault.write(
        "People/Zed.md",
        "---\nmet-date: 2024-01-01\ncontext: a meetup\nlast-touch: 2025-01-01\ncadence: 100000000 days\n---\n",
    );
    vault.write(
        "People/Yara.md",
        "---\nmet-date: 2024-01-01\ncontext: a meetup\nlast-touch: 2025-01-01\ncontactFrequency: 3000000000\n---\n",
    );
    for args in [
        &["check", "--today", DEMO_DAY][..],
        &["today", "--today", DEMO_DAY],
        &["render", "--today", DEMO_DAY],
    ] {
        let out = vault.run(args);
        assert_ne!(
            out.status.code(),
            Some(101),
            "{args:?}: {}",
            crate::support::stderr(&out)
        );
    }
    let out = vault.run(&["check", "--today", DEMO_DAY]);
    let text = stdout(&out);
    assert!(
        text.contains(
            "People/Zed.md:5:10: error: `cadence`: `100000000 days` is longer than 100 years"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "People/Yara.md:5:19: error: `contactFrequency`: `3000000000` is longer than 100 years"
        ),
        "{text}"
    );
}

/// Issue 12: one unreadable folder made every command exit 2, `touch` on unrelated notes
/// included. It is reported, and the rest of the vault goes on.
#[cfg(unix)]
#[test]
fn an_unreadable_folder_is_reported_and_the_rest_is_read() {
    use std::os::unix::fs::PermissionsExt as _;
    let vault = Sandbox::example();
    vault.write(
        "People/Private/Zed.md",
        "---\nmet-date: 2024-01-01\ncontext: x\n---\n",
    );
    let mode = |path: &std::path::Path, mode| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    // Root reads every folder, so as root the binary runs as `nobody`, on a vault it may read.
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if is_root {
        mode(vault.vault.parent().unwrap(), 0o755);
        for entry in walkdir::WalkDir::new(&vault.vault) {
            let entry = entry.unwrap();
            mode(
                entry.path(),
                if entry.file_type().is_dir() {
                    0o755
                } else {
                    0o644
                },
            );
        }
    }
    mode(&vault.path("People/Private"), 0o000);
    let run = |args: &[&str]| {
        let mut cmd = if is_root {
            let mut cmd = std::process::Command::new("setpriv");
            cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
                .arg(assert_cmd::cargo::cargo_bin!("vault-reach"));
            cmd
        } else {
            std::process::Command::new(assert_cmd::cargo::cargo_bin!("vault-reach"))
        };
        cmd.args(args)
            .current_dir(&vault.vault)
            .env_clear()
            .output()
            .unwrap()
    };
    let out = run(&["check", "--today", DEMO_DAY]);
    mode(&vault.path("People/Private"), 0o755);
    let text = stdout(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{text}{}",
        crate::support::stderr(&out)
    );
    assert!(
        text.contains("People/Private: error: cannot read this folder, so its notes are left out"),
        "{text}"
    );
    assert!(
        text.contains("Hedda Lamm"),
        "the rest of the vault is read: {text}"
    );
}

/// Issue 13: a vault with every kind of Log entry — outreach, reply, time together, in
/// default words, explicit markers, other languages by markers and by config words — gives
/// the schedule, the unanswered list and the pages their golden files pin.
#[test]
fn every_kind_of_log_entry_is_read_as_meant() {
    let vault = Sandbox::fixture("kinds");
    let out = vault.run(&["check", "--today", DEMO_DAY]);
    assert_golden(&golden("kinds", "check.txt"), &out.stdout);
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    vault.assert_expected("kinds/expected");
}

/// Issue 13: dates in every form people write them are read without a word; only the
/// doubtful ones are warnings, each with its fix, and the schedule does not use the
/// impossible, unreadable or future ones.
#[test]
fn dates_as_people_write_them_are_read_and_doubtful_ones_explained() {
    let vault = Sandbox::fixture("dates");
    let out = vault.run(&["check", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(0), "warnings only");
    assert_golden(&golden("dates", "check.txt"), &out.stdout);
    let out = vault.run(&["render", "--today", DEMO_DAY]);
    assert!(out.status.success());
    assert_golden(&golden("dates", "render.stderr"), &out.stderr);
    vault.assert_expected("dates/expected");
}
