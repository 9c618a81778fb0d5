//! `today`: the list in the terminal and as JSON, and the scheduling rules end to end.

use crate::support::{DEMO_DAY, Sandbox, assert_golden, golden, stderr};

#[test]
fn the_terminal_list_matches_today_md() {
    let vault = Sandbox::example();
    let out = vault.run(&["today", "--today", DEMO_DAY, "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_golden(&golden("example", "today.txt"), &out.stdout);
}

#[test]
fn json_is_for_scripts() {
    let vault = Sandbox::example();
    let out = vault.run(&["today", "--today", DEMO_DAY, "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["quota"], 4);
    let names: Vec<&str> = json["picks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names[0], "Alan Brandt", "reached today comes first");
    assert_eq!(json["picks"][0]["reached"], true);
    assert_eq!(
        names[1], "Ada Quint",
        "a new connection comes before everyone past due"
    );
    assert_eq!(
        names.len(),
        4,
        "the person reached today counts against the quota of 4"
    );
}

/// A vault of `n` people met long ago and never contacted.
fn vault_of(n: usize) -> Sandbox {
    let vault = Sandbox::empty();
    for i in 0..n {
        vault.write(
            &format!("People/Person {i:04}.md"),
            "---\nmet-date: 2020-01-01\ncontext: a test\n---\n",
        );
    }
    vault
}

#[test]
fn five_hundred_active_contacts_make_a_quota_of_four() {
    let vault = vault_of(500);
    let out = vault.run(&["today", "--today", DEMO_DAY, "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["quota"], 4);
    assert_eq!(json["picks"].as_array().unwrap().len(), 4);
}

#[test]
fn six_months_after_august_31_is_february_28() {
    let vault = Sandbox::empty();
    vault.write(
        "People/Ada.md",
        "---\nmet-date: 2020-01-01\ncontext: a test\nlast-touch: 2025-08-31\n---\n",
    );
    let due = |day: &str| {
        let out = vault.run(&["today", "--today", day, "--json"]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["picks"].as_array().unwrap().len()
    };
    assert_eq!(due("2026-02-27"), 0);
    assert_eq!(due("2026-03-02"), 1);
    let out = vault.run(&["check", "--today", "2026-02-27", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["loose"].as_array().unwrap().len(), 0);
    let out = vault.run(&["render", "--today", "2026-02-27"]);
    assert!(out.status.success());
    assert!(
        vault
            .read("index.md")
            .contains("| [[Ada]] |  | 2020-01-01 | 2025-08-31 | 2026-02-28 |")
    );
}

#[test]
fn alias_keys_bom_crlf_and_empty_tags_are_read() {
    let vault = Sandbox::example();
    let out = vault.run(&["check", "--today", DEMO_DAY, "--json"]);
    let check: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let loose: Vec<&str> = check["loose"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        loose,
        ["Hedda Lamm"],
        "Donald (alias keys), Margaret (CRLF) and Frances (BOM, empty tags) are read"
    );
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    let index = vault.read("index.md");
    for row in [
        "| [[Donald Kuhn]] |  | 2020-02-29 | 2026-01-20 | 2026-02-20 |",
        "| [[Margaret Hale]] |  | 2017-05-05 | 2026-02-10 | 2026-08-10 |",
        "| [[Frances Allende]] |  | 2025-01-10 | 2025-07-01 | 2026-01-01 |",
    ] {
        assert!(index.contains(row), "{row}");
    }
}

/// Issue 13: 1,000 imported connections beside 500 people you met raised the quota from 4
/// to 12 and filled the list with strangers. The quota is for people you met; at most three
/// loose links are asked about, apart, as a question.
#[test]
fn an_imported_network_never_lengthens_todays_list() {
    let vault = Sandbox::empty();
    for i in 0..500 {
        vault.write(
            &format!("People/Met {i:03}.md"),
            "---\nmet-date: 2020-01-01\ncontext: a meetup\nlast-touch: 2025-01-01\n---\n",
        );
    }
    for i in 0..1000 {
        vault.write(
            &format!("People/Imported {i:04}.md"),
            "---\nlinkedin: https://www.linkedin.com/in/someone\ncompany: Acme\n---\n",
        );
    }
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    let page = vault.read("today.md");
    assert_eq!(page.matches("- [ ] [[Met ").count(), 4, "{page}");
    assert_eq!(page.matches("[[Imported ").count(), 3, "{page}");
    assert_eq!(
        page.matches("- [ ] [[Imported ").count(),
        0,
        "no message to strangers"
    );
    assert!(page.contains("## Did you meet them?"), "{page}");
    assert!(page.contains("of the 500 people you have met"), "{page}");
    assert!(!page.contains("since we met"), "{page}");
    let index = vault.read("index.md");
    assert!(
        index.contains("| Loose links (not on your daily list) | 1000 |"),
        "{index}"
    );
    assert!(index.contains("Daily quota: **4**"), "{index}");
}

/// Issue 13: today.md is a page a person writes on. Text typed into it stays while it is
/// the day's list (under its pick, or after the line it followed), text under a ticked pick
/// is the note of that outreach, a Tasks-plugin tick is a tick, not an edit, and nothing is
/// backed up since nothing of the user's is lost. Rendered twice on the same day.
#[test]
fn a_page_written_on_keeps_its_text_and_gives_the_log_its_note() {
    let vault = Sandbox::example();
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    let page = vault.read("today.md");
    let grace = page
        .lines()
        .find(|l| l.starts_with("- [ ] [[Grace Okafor]]"))
        .unwrap()
        .to_owned();
    let written = page
        .replacen(
            &grace,
            &format!(
                "{}  ✅ 2026-03-02\n    - sent the slides",
                grace.replacen("- [ ]", "- [x]", 1)
            ),
            1,
        )
        .replacen(
            "    - How you met: RustConf Europe panel on compilers; introduced by [[Grace Okafor]]\n",
            "    - How you met: RustConf Europe panel on compilers; introduced by [[Grace Okafor]]\n    - ask about her build times first\n",
            1,
        );
    let written = format!("{written}\nCall the bank about the grant.\n");
    vault.write("today.md", &written);
    for _ in 0..2 {
        let out = vault.run(&["render", "--today", DEMO_DAY]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(
            !stderr(&out).contains("you had edited it"),
            "{}",
            stderr(&out)
        );
    }
    assert!(
        !vault.path(".vault-reach/backup").exists(),
        "nothing to back up"
    );
    let note = vault.read("People/Grace Okafor.md");
    assert!(
        note.contains("- 2026-03-02 reached out — sent the slides\n"),
        "{note}"
    );
    assert_eq!(note.matches("2026-03-02 reached out").count(), 1, "{note}");
    assert_golden(
        &golden("page", "today.md"),
        vault.read("today.md").as_bytes(),
    );
}

/// Issue 13: a phone saves the tick, the watcher records it, and only then is the note typed
/// under the name: it goes into that outreach's Log line, which says what it was; no second
/// line for one outreach, and a line the user wrote is never changed.
#[test]
fn a_note_typed_after_the_tick_was_recorded_reaches_its_log_line() {
    let vault = Sandbox::example();
    let page = vault.render_with_tick("Grace Okafor");
    assert!(
        page.contains("- [x] [[Grace Okafor]] — reached today\n"),
        "{page}"
    );
    let noted = page.replacen(
        "- [x] [[Grace Okafor]] — reached today\n",
        "- [x] [[Grace Okafor]] — reached today\n    - sent the workshop recording\n",
        1,
    );
    vault.write("today.md", &noted);
    for _ in 0..2 {
        let out = vault.run(&["render", "--today", DEMO_DAY]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(
            !stderr(&out).contains("recorded an outreach"),
            "{}",
            stderr(&out)
        );
    }
    let note = vault.read("People/Grace Okafor.md");
    assert!(
        note.contains("- 2026-03-02 reached out — sent the workshop recording\n"),
        "{note}"
    );
    assert_eq!(note.matches("2026-03-02 reached out").count(), 1, "{note}");
    assert!(
        vault
            .read("today.md")
            .contains("    - sent the workshop recording\n")
    );
}

/// Issue 15: "228 people to reach out to today" said nothing of how to make it a list one can
/// keep; past ten, the page says where the quota is set.
#[test]
fn a_long_list_says_how_to_make_it_shorter() {
    let vault = Sandbox::empty();
    // 1,500 people every six months: 12 a workday.
    for n in 0..1500 {
        vault.write(
            &format!("People/Person {n}.md"),
            "---\nmet-date: 2024-01-08\ncontext: a conference\nlast-touch: 2025-01-06\n---\n",
        );
    }
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    let page = vault.read("today.md");
    assert!(
        page.contains("That is a long list for one day: `daily`"),
        "{page}"
    );
    vault.write(".vault-reach/config.toml", "daily = 4\n");
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    let page = vault.read("today.md");
    assert!(
        page.contains("Four people to reach out to today."),
        "{page}"
    );
    assert!(!page.contains("long list"), "{page}");
}

/// Issue 16: a draft for each state, whole sentences from what the notes know: the people
/// you both know (a link in the front-matter, one in the body, and the other note's link
/// back), the note's own words and open tasks, a birthday, a recommendation worth writing,
/// the news of `.vault-reach/update.md`, and a `mailto:` with all of it, encoded.
#[test]
fn each_state_gets_a_draft_made_from_the_notes() {
    let vault = Sandbox::fixture("drafts");
    let out = vault.run(&["render", "--today", DEMO_DAY]);
    assert!(out.status.success(), "{}", stderr(&out));
    vault.assert_expected("drafts/expected");
    let today = vault.read("today.md");
    assert!(!today.contains('…'), "a draft with a gap to fill:\n{today}");
    let out = vault.run(&["draft", "Nadia Field", "--json", "--today", DEMO_DAY]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_golden(&golden("drafts", "draft-nadia.json"), &out.stdout);
    let out = vault.run(&["draft", "Priya Raman", "--today", DEMO_DAY]);
    assert_golden(&golden("drafts", "draft-priya.txt"), &out.stdout);
    assert!(
        stderr(&out).contains("note: You both know Omar Haddad\n"),
        "{}",
        stderr(&out)
    );
    let out = vault.run(&["draft", "Tess Loose", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is a loose link"), "{}", stderr(&out));
}
