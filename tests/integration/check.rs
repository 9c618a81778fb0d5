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
