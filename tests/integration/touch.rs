//! `touch` and the tick loop: every edit is a few bytes, in the note's own style.

use crate::support::{DEMO_DAY, Sandbox, assert_golden, golden, mtimes, stderr, stdout};

const SHAPES: [&str; 10] = [
    "Alias", "Bare", "Bom", "Comment", "Crlf", "DateTime", "Later", "Newest", "Quoted", "Stars",
];

#[test]
fn touch_changes_exactly_the_expected_bytes_in_every_shape_of_note() {
    let vault = Sandbox::fixture("touch");
    for name in SHAPES {
        let out = vault.run(&[
            "touch",
            name,
            "--today",
            DEMO_DAY,
            "--note",
            "sent the recap",
        ]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
    }
    vault.assert_expected("touch/expected");
}

#[test]
fn edited_notes_read_the_same_with_a_second_yaml_parser() {
    let vault = Sandbox::fixture("touch");
    for name in SHAPES {
        assert!(
            vault
                .run(&["touch", name, "--today", DEMO_DAY])
                .status
                .success()
        );
        let text = vault.read(&format!("People/{name}.md"));
        let text = text.trim_start_matches('\u{feff}');
        let yaml = text.split("---").nth(1).unwrap_or_default();
        let ours: serde_json::Value = yaml_serde::from_str(yaml).unwrap();
        let theirs: serde_json::Value =
            serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(ours, theirs, "{name}");
        let key = if name == "Alias" {
            "lastContact"
        } else {
            "last-touch"
        };
        if name != "Later" {
            assert_eq!(ours[key], "2026-03-02", "{name}");
        }
    }
}

#[test]
fn touch_prints_the_change_and_dry_run_writes_nothing() {
    let vault = Sandbox::fixture("touch");
    let before = mtimes(&vault.vault);
    let out = vault.run(&["touch", "comment", "--today", DEMO_DAY, "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "People/Comment.md: would record that you reached out on 2026-03-02\n\
         -last-touch: 2025-01-02 # the recap\n\
         +last-touch: 2026-03-02 # the recap\n\
         +- 2026-03-02 reached out\n"
    );
    assert_eq!(mtimes(&vault.vault), before);
}

#[test]
fn touch_twice_records_once() {
    let vault = Sandbox::fixture("touch");
    assert!(
        vault
            .run(&["touch", "Quoted", "--today", DEMO_DAY])
            .status
            .success()
    );
    let once = vault.read("People/Quoted.md");
    let out = vault.run(&["touch", "Quoted", "--today", DEMO_DAY]);
    assert!(out.status.success());
    assert_eq!(
        stdout(&out),
        "People/Quoted.md: already recorded: you reached out on 2026-03-02; nothing to change\n"
    );
    assert_eq!(vault.read("People/Quoted.md"), once);
}

#[test]
fn a_reply_is_recorded_with_its_own_key() {
    let vault = Sandbox::fixture("touch");
    let out = vault.run(&[
        "touch",
        "Comment",
        "--replied",
        "--date",
        "2026-03-01",
        "--note",
        "yes to coffee",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let note = vault.read("People/Comment.md");
    assert!(
        note.contains("last-touch: 2025-01-02 # the recap\nlast-reply: 2026-03-01\n---\n"),
        "{note}"
    );
    assert!(
        note.ends_with("- 2026-03-01 replied — yes to coffee\n"),
        "{note}"
    );
}

/// Issue 13: time together is recorded as such, and counts as contact: the person leaves
/// today's list, and is not a candidate to let go.
#[test]
fn time_together_is_recorded_and_answers_the_messages_before_it() {
    let vault = Sandbox::example();
    let out = vault.run(&[
        "touch",
        "Claude Sato",
        "--together",
        "--date",
        "2026-03-01",
        "--note",
        "coffee after the meetup",
        "--today",
        DEMO_DAY,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("recorded time together on 2026-03-01"),
        "{}",
        stdout(&out)
    );
    let note = vault.read("People/Claude Sato.md");
    assert!(note.contains("last-touch: 2026-03-01"), "{note}");
    assert!(
        note.contains("- 2026-03-01 met — coffee after the meetup\n"),
        "{note}"
    );
    let check = stdout(&vault.run(&["check", "--today", DEMO_DAY]));
    assert!(!check.contains("Claude Sato.md: unanswered"), "{check}");
    let today = stdout(&vault.run(&["today", "--today", DEMO_DAY]));
    assert!(!today.contains("Claude Sato"), "{today}");
    let both = vault.run(&["touch", "Claude Sato", "--together", "--replied"]);
    assert_eq!(both.status.code(), Some(2), "{}", stderr(&both));
}

#[test]
fn names_are_matched_by_alias_and_without_accents() {
    let vault = Sandbox::example();
    for (name, path) in [
        ("sammy", "People/Personal/Sam Rivera.md"),
        ("jose nunez", "People/José Núñez.md"),
    ] {
        let out = vault.run(&["touch", name, "--today", DEMO_DAY]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert!(
            vault.read(path).contains("last-touch: 2026-03-02"),
            "{name}"
        );
    }
}

#[test]
fn an_ambiguous_or_unknown_name_is_an_error_that_helps() {
    let vault = Sandbox::example();
    let out = vault.run(&["touch", "Sam Rivera", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: `Sam Rivera` could be `People/Personal/Sam Rivera.md` or `People/Work/Sam Rivera.md`; \
         name the note's path to choose\n"
    );
    let out = vault.run(&["touch", "Grace Okafr", "--today", DEMO_DAY]);
    assert_eq!(
        stderr(&out),
        "error: no contact is called `Grace Okafr` (did you mean `Grace Okafor`?)\n"
    );
}

#[test]
fn a_broken_note_is_never_written_into() {
    let vault = Sandbox::example();
    let before = vault.bytes("People/Edsger Dorn.md");
    let out = vault.run(&["touch", "Edsger Dorn", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with(
            "error: People/Edsger Dorn.md:3:10: front-matter is not valid YAML: a quoted value is never closed"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(vault.bytes("People/Edsger Dorn.md"), before);
}

#[test]
fn ticks_are_recorded_on_the_day_of_the_list_and_only_once() {
    let vault = Sandbox::example();
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    // Day 1: tick Ada on the list, and add Sam (by his alias) whom you also wrote to.
    let today = vault
        .read("today.md")
        .replacen("- [ ] [[Ada Quint]]", "- [x] [[Ada Quint]]", 1);
    vault.write("today.md", &format!("{today}\n- [X] Sammy\n"));
    // Day 2: the ticks are recorded for day 1.
    let out = vault.run(&["render", "--today", "2026-03-03"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "recorded that you reached out to Ada Quint on 2026-03-02 in People/Ada Quint.md"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "recorded that you reached out to Sam Rivera on 2026-03-02 in People/Personal/Sam Rivera.md"
        ),
        "{err}"
    );
    let ada = vault.read("People/Ada Quint.md");
    assert!(ada.contains("last-touch: 2026-03-02\n---\n"), "{ada}");
    assert_eq!(ada.matches("2026-03-02 reached out").count(), 1, "{ada}");
    let sam = vault.read("People/Personal/Sam Rivera.md");
    assert!(sam.contains("last-touch: 2026-03-02\n"), "{sam}");
    assert_eq!(sam.matches("- 2026-03-02 reached out").count(), 1, "{sam}");
    // The user's added line is kept in a backup; the new list is for day 2.
    assert!(
        vault
            .read(".vault-reach/backup/today.2026-03-02.md")
            .contains("- [X] Sammy")
    );
    assert!(vault.read("today.md").contains("date: 2026-03-03"));
    // A third render changes nothing.
    let before = mtimes(&vault.vault);
    let out = vault.run(&["render", "--today", "2026-03-03"]);
    assert!(out.status.success());
    assert_eq!(mtimes(&vault.vault), before, "{}", stderr(&out));
}

/// Issue 11: Obsidian's Properties editor rewrites `generated-by: vault-reach` with quotes.
/// The harvest read the marker by its YAML value and the writer by its exact line, so the tick
/// was recorded and today.md then refused as not ours.
#[test]
fn a_today_md_whose_marker_obsidian_requoted_is_still_ours() {
    let vault = Sandbox::example();
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    let today = vault
        .read("today.md")
        .replacen(
            "generated-by: vault-reach",
            "generated-by: \"vault-reach\"",
            1,
        )
        .replacen("- [ ] [[Ada Quint]]", "- [x] [[Ada Quint]]", 1);
    vault.write("today.md", &today);
    let out = vault.run(&["render", "--today", "2026-03-03"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "recorded that you reached out to Ada Quint on 2026-03-02 in People/Ada Quint.md"
        ),
        "{}",
        stderr(&out)
    );
    let rewritten = vault.read("today.md");
    assert!(rewritten.contains("date: 2026-03-03"), "{rewritten}");
    assert!(
        rewritten.contains("generated-by: vault-reach\n"),
        "{rewritten}"
    );
}

#[test]
fn a_tick_on_the_same_day_shows_as_reached_without_pulling_in_someone_new() {
    let vault = Sandbox::example();
    let today = vault.render_with_tick("Grace Okafor");
    assert!(
        today.contains("- [x] [[Grace Okafor]] — reached today"),
        "{today}"
    );
    assert_eq!(today.matches("- [ ]").count(), 2, "{today}");
    assert_eq!(today.matches("- [x]").count(), 2, "{today}");
}

#[test]
fn a_tick_for_a_name_that_no_longer_resolves_is_kept() {
    let vault = Sandbox::example();
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    let ticked = vault
        .read("today.md")
        .replacen("- [ ] [[Ada Quint]]", "- [x] [[Ada Quint]]", 1);
    vault.write("today.md", &ticked);
    std::fs::rename(
        vault.path("People/Ada Quint.md"),
        vault.path("People/Ada Q.md"),
    )
    .unwrap();
    let out = vault.run(&["render", "--today", "2026-03-03"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("today.md:10:1: error: no contact is called `Ada Quint` (did you mean `Ada Q`?); today.md keeps the tick"), "{}", stderr(&out));
    // Kept as it was, with a word under the tick on why it is not recorded.
    let mut lines: Vec<&str> = ticked.lines().collect();
    let notice = "    - ⚠️ vault-reach: no contact is called `Ada Quint` (did you mean `Ada Q`?): fix the name or untick it, and it is recorded";
    lines.insert(10, notice);
    assert_eq!(vault.read("today.md"), format!("{}\n", lines.join("\n")));
    // Fixing the name records it.
    let fixed = vault
        .read("today.md")
        .replacen("[[Ada Quint]]", "[[Ada Q]]", 1);
    vault.write("today.md", &fixed);
    let out = vault.run(&["render", "--today", "2026-03-03"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        vault
            .read("People/Ada Q.md")
            .contains("- 2026-03-02 reached out")
    );
}

#[test]
fn new_refuses_without_when_and_how_you_met() {
    let vault = Sandbox::example();
    let out = vault.run(&["new", "Nadia Field", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing --met and --context (when and how you met)"));
    assert!(!vault.path("People/Nadia Field.md").exists());
}

#[test]
fn new_creates_a_note_from_the_template() {
    let vault = Sandbox::example();
    let out = vault.run(&[
        "new",
        "Nadia Field",
        "--today",
        DEMO_DAY,
        "--met",
        "2026-03-01",
        "--context",
        "Data: the meetup, by the coffee",
        "--email",
        "nadia@example.org",
        "--tags",
        "data,meetup",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "created People/Nadia Field.md\n");
    assert_golden(
        &golden("new", "Nadia Field.md"),
        &vault.bytes("People/Nadia Field.md"),
    );
    let out = vault.run(&["today", "--today", DEMO_DAY, "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        json["picks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "Nadia Field"),
        "a new connection comes first"
    );
}

/// Issue 15: `new` had no `--linkedin`, `--birthday` or `--cadence`; a template of the user's
/// own that drops one of them makes no note rather than a note without it.
#[test]
fn new_takes_a_linkedin_profile_a_birthday_and_a_cadence() {
    let vault = Sandbox::example();
    let args = [
        "new",
        "Nadia Field",
        "--today",
        DEMO_DAY,
        "--met",
        "2026-03-01",
        "--context",
        "the data meetup",
        "--linkedin",
        "https://www.linkedin.com/in/nadia-field",
        "--birthday",
        "08-17",
        "--cadence",
        "6w",
    ];
    let out = vault.run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_golden(
        &golden("new", "Nadia Field, every flag.md"),
        &vault.bytes("People/Nadia Field.md"),
    );
    let json = stdout(&vault.run(&["show", "Nadia Field", "--json", "--today", DEMO_DAY]));
    let person: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(person["cadence"], "6 weeks", "{json}");
    assert_eq!(
        person["linkedin"],
        "https://www.linkedin.com/in/nadia-field"
    );

    std::fs::remove_file(vault.path("People/Nadia Field.md")).unwrap();
    vault.write(
        ".vault-reach/templates/contact.md",
        "---\nmet-date: {{ met }}\ncontext: {{ context | yaml }}\n---\n# {{ name }}\n",
    );
    let out = vault.run(&args);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did not keep"), "{}", stderr(&out));
    assert!(!vault.path("People/Nadia Field.md").exists());
    for (flag, value) in [("--birthday", "13-45"), ("--cadence", "whenever")] {
        let out = vault.run(&["new", "Nadia Field", "--loose", flag, value]);
        assert_eq!(out.status.code(), Some(2), "{flag}");
        assert!(
            stderr(&out).contains(&format!("`{value}` is not a")),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn new_never_overwrites_and_loose_notes_are_loose() {
    let vault = Sandbox::example();
    let out = vault.run(&["new", "ada quint", "--met", "2026-01-01", "--context", "x"]);
    assert_eq!(
        stderr(&out),
        "error: `ada quint` already has a note: `People/Ada Quint.md`\n"
    );
    let out = vault.run(&["new", "CON: the <reserved> name?", "--loose"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let created = stdout(&out);
    let rel = created.trim().strip_prefix("created ").unwrap();
    assert!(!rel.contains([':', '<', '>', '?']), "{rel}");
    let out = vault.run(&["check", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        json["loose"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["path"] == rel),
        "{json}"
    );
}

/// Issue 12: a `## Log` that a tab indents inside a list item panicked `touch`.
#[test]
fn a_log_inside_a_list_item_is_refused_with_a_reason_not_a_crash() {
    let vault = Sandbox::empty();
    let note =
        "---\nmet-date: 2024-01-01\ncontext: a meetup\n---\n- a\n\t## Log\n\t- 2025-01-01 coffee\n";
    vault.write("People/Cleo.md", note);
    let out = vault.run(&["touch", "Cleo", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("could not be added where Markdown reads it as a Log item"),
        "{}",
        stderr(&out)
    );
    assert_eq!(vault.read("People/Cleo.md"), note);
}

/// Issue 12: a newline in a value (here `company`, as `new --company $'Acme\n- [x] …'` wrote
/// it) became a ticked task in today.md, and the next render recorded an outreach to Ada
/// that nobody made.
#[test]
fn a_newline_in_a_value_never_forges_a_tick() {
    let vault = Sandbox::example();
    vault.write(
        "People/Mallory.md",
        "---\nmet-date: 2026-02-27\ncontext: a meetup\ncompany: \"Acme\\n- [x] [[Ada Quint]]\"\n---\n",
    );
    let ada = vault.bytes("People/Ada Quint.md");
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    let today = vault.read("today.md");
    assert!(
        today.contains(r"[[Mallory]] · Acme - \[x\] [[Ada Quint]] —"),
        "{today}"
    );
    assert!(
        !today.lines().any(|l| l.starts_with("- [x] [[Ada Quint]]")),
        "{today}"
    );
    let out = vault.run(&["render", "--today", "2026-03-03"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(vault.bytes("People/Ada Quint.md"), ada, "{}", stderr(&out));
}

/// Issue 12: `new --company $'Acme\n- [x] [[Victim]]'` wrote that newline into the note.
#[test]
fn new_writes_each_property_on_one_line() {
    let vault = Sandbox::example();
    let out = vault.run(&[
        "new",
        "Mallory",
        "--today",
        DEMO_DAY,
        "--met",
        "2026-02-27",
        "--context",
        "a meetup\nby the door",
        "--company",
        "Acme\n- [x] [[Ada Quint]]",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let note = vault.read("People/Mallory.md");
    assert!(
        note.contains("company: Acme - [x] [[Ada Quint]]\n")
            || note.contains("company: \"Acme - [x] [[Ada Quint]]\"\n"),
        "{note}"
    );
    assert!(note.contains("a meetup by the door"), "{note}");
    assert!(!note.lines().any(|l| l.starts_with("- [x]")), "{note}");
}

/// Issue 12's rule for links: a note that is a symbolic link is reported and left out, and
/// nothing is ever written through a link; a read-only note is refused, not replaced.
#[cfg(unix)]
#[test]
fn links_and_read_only_notes_are_never_written() {
    use std::os::unix::fs::PermissionsExt as _;
    let vault = Sandbox::example();
    let outside = vault.vault.parent().unwrap().join("Secret.md");
    let secret = "---\nmet-date: 2024-01-01\ncontext: elsewhere\n---\n";
    std::fs::write(&outside, secret).unwrap();
    std::fs::set_permissions(&outside, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::symlink(&outside, vault.path("People/Linked.md")).unwrap();

    let out = vault.run(&["check", "--today", DEMO_DAY]);
    assert!(
        stdout(&out).contains("People/Linked.md: warning: the note is a symbolic link"),
        "{}",
        stdout(&out)
    );
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    let out = vault.run(&["touch", "Linked", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), secret);
    let link = std::fs::symlink_metadata(vault.path("People/Linked.md")).unwrap();
    assert!(link.file_type().is_symlink());

    // A today.md that is a link is left as it is, and so is what it points to.
    let today = vault.read("today.md");
    std::fs::rename(vault.path("today.md"), &outside).unwrap();
    std::os::unix::fs::symlink(&outside, vault.path("today.md")).unwrap();
    let out = vault.run(&["render", "--today", "2026-03-03"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is a symbolic link"),
        "{}",
        stderr(&out)
    );
    assert!(
        std::fs::symlink_metadata(vault.path("today.md"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), today);

    let ada = vault.path("People/Ada Quint.md");
    std::fs::set_permissions(&ada, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = vault.bytes("People/Ada Quint.md");
    let out = vault.run(&["touch", "Ada Quint", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("is read-only"), "{}", stderr(&out));
    assert_eq!(vault.bytes("People/Ada Quint.md"), before);
    let mode = std::fs::metadata(&ada).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o444);
}

/// Issue 12: new notes were 0600 whatever the umask.
#[cfg(unix)]
#[test]
fn new_notes_get_the_permissions_the_umask_allows() {
    use std::os::unix::fs::PermissionsExt as _;
    let vault = Sandbox::example();
    let out = std::process::Command::new("sh")
        .args(["-c", "umask 027 && exec \"$0\" \"$@\""])
        .arg(assert_cmd::cargo::cargo_bin!("vault-reach"))
        .args([
            "new",
            "Mallory",
            "--met",
            "2026-02-27",
            "--context",
            "a meetup",
        ])
        .args(["--today", DEMO_DAY])
        .current_dir(&vault.vault)
        .env_clear()
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mode = std::fs::metadata(vault.path("People/Mallory.md"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
}

/// Issue 18: a save that lands between our read of a note and our replacing it is never
/// lost. The edit below plays the editor: while vault-reach edits, the user saves a line of
/// their own, by rename (as vim and most editors do) or in place; what the exchange displaces
/// is then theirs, and the edit is made again on it.
#[cfg(target_os = "linux")]
#[test]
fn a_save_between_our_read_and_our_write_is_kept_with_our_edit() {
    for by_rename in [true, false] {
        let vault = Sandbox::empty();
        vault.write("People/Ada.md", "---\ncontext: x\n---\n# Ada\n");
        let path = vault.path("People/Ada.md");
        let mut saved = false;
        let written = vault_reach::write::edit_note(&path, false, |text| {
            if !saved {
                saved = true;
                let theirs = format!("{text}user's line\n");
                if by_rename {
                    let tmp = vault.path("People/.Ada.md.swp");
                    std::fs::write(&tmp, theirs).unwrap();
                    std::fs::rename(&tmp, &path).unwrap();
                } else {
                    std::fs::write(&path, theirs).unwrap();
                }
            }
            if text.contains("our line") {
                return Ok::<_, std::io::Error>(None);
            }
            Ok(Some(format!("{text}our line\n")))
        })
        .unwrap();
        assert!(written.is_some());
        assert_eq!(
            vault.read("People/Ada.md"),
            "---\ncontext: x\n---\n# Ada\nuser's line\nour line\n",
            "saved by rename: {by_rename}"
        );
        let litter: Vec<_> = std::fs::read_dir(vault.path("People"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n != "Ada.md" && n != ".Ada.md.swp")
            .collect();
        assert!(litter.is_empty(), "{litter:?}");
    }
}

/// Issue 18: two `touch` processes on one note lost outreaches (33 of 200). Bounded: two
/// processes, 25 outreaches each, on distinct days; every one must be in the note.
#[cfg(target_os = "linux")]
#[test]
fn two_touches_and_an_editor_at_once_lose_nothing() {
    let vault = Sandbox::empty();
    vault.write(
        "People/Ada.md",
        "---\nmet-date: 2020-01-01\ncontext: x\n---\n# Ada\n\n## Log\n",
    );
    let days = |first: i64| -> Vec<String> {
        (0..25)
            .map(|i| {
                let day = chrono::NaiveDate::from_ymd_opt(2021, 1, 1).unwrap()
                    + chrono::Days::new(u64::try_from(first + 2 * i).unwrap());
                day.to_string()
            })
            .collect()
    };
    std::thread::scope(|s| {
        for first in [0, 1] {
            let vault = &vault;
            s.spawn(move || {
                for day in days(first) {
                    let out =
                        vault.run(&["-q", "touch", "Ada", "--date", &day, "--today", DEMO_DAY]);
                    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
                }
            });
        }
        // And an editor saving in place meanwhile (a plugin appending a line, a sync engine
        // writing the file it fetched into the same inode).
        s.spawn(|| vault.append_edits("People/Ada.md", 25, 7));
    });
    let note = vault.read("People/Ada.md");
    for day in days(0).into_iter().chain(days(1)) {
        assert!(
            note.contains(&format!("- {day} reached out")),
            "{day} lost:\n{note}"
        );
    }
    crate::support::assert_edits_kept(&note, 25);
}

/// A touch taken out of the note again (by `undo`, or by hand) while today.md still shows
/// the person as reached today: the page's own line is not a tick to record again, or the
/// user's revert would be undone by the next render. A coffee logged today is shown as
/// reached too, and never becomes an outreach.
#[test]
fn a_reached_today_line_is_not_recorded_again_once_the_note_no_longer_says_so() {
    let vault = Sandbox::example();
    let before = vault.read("People/Ada Quint.md");
    let touched = vault.run(&["touch", "Ada Quint", "--today", DEMO_DAY]);
    assert!(touched.status.success(), "{}", stderr(&touched));
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    assert!(
        vault
            .read("today.md")
            .contains("- [x] [[Ada Quint]] — reached today")
    );
    vault.write("People/Ada Quint.md", &before);
    for _ in 0..2 {
        let out = vault.run(&["render", "--today", DEMO_DAY]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert_eq!(vault.read("People/Ada Quint.md"), before);
    assert!(
        !vault
            .read("today.md")
            .contains("- [x] [[Ada Quint]] — reached today"),
        "{}",
        vault.read("today.md")
    );

    let coffee = vault.run(&["touch", "Grace Okafor", "--together", "--today", DEMO_DAY]);
    assert!(coffee.status.success(), "{}", stderr(&coffee));
    let met = vault.read("People/Grace Okafor.md");
    for _ in 0..2 {
        assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    }
    assert!(
        vault
            .read("today.md")
            .contains("- [x] [[Grace Okafor]] — reached today"),
        "{}",
        vault.read("today.md")
    );
    assert_eq!(vault.read("People/Grace Okafor.md"), met);
}

/// Issue 12's frozen page: after someone reached today was deleted or moved, their own
/// "reached today" line matched no note and today.md was kept as it was on every later day.
#[test]
fn a_reached_today_line_of_a_note_gone_since_never_holds_the_page() {
    let vault = Sandbox::example();
    assert!(
        vault
            .run(&["touch", "Ada Quint", "--today", DEMO_DAY])
            .status
            .success()
    );
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    assert!(
        vault
            .read("today.md")
            .contains("- [x] [[Ada Quint]] — reached today")
    );
    std::fs::remove_file(vault.path("People/Ada Quint.md")).unwrap();
    let out = vault.run(&["render", "--today", "2026-03-03"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(vault.read("today.md").contains("date: 2026-03-03"));
    // A tick the user made for a name that matches nothing is still held, as before.
    let page = vault.read("today.md");
    vault.write("today.md", &format!("{page}\n- [x] [[Nobody Here]]\n"));
    let out = vault.run(&["render", "--today", "2026-03-04"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // …and said where the user looks: under the tick on the page itself (the page otherwise
    // as they left it), in index.md, and in `check`.
    let notice = "- [x] [[Nobody Here]]\n    - ⚠️ vault-reach: no contact is called `Nobody Here`";
    assert_eq!(
        vault.read("today.md"),
        format!("{page}\n{notice}: fix the name or untick it, and it is recorded\n")
    );
    let index = vault.read("index.md");
    assert!(index.contains("## Ticks not recorded yet"), "{index}");
    assert!(index.contains("- `today.md:"), "{index}");
    let out = vault.run(&["check", "--today", "2026-03-04"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("no contact is called `Nobody Here`"),
        "{}",
        stdout(&out)
    );
    // Said once: the next render leaves the page as it is.
    let held = vault.bytes("today.md");
    let out = vault.run(&["render", "--today", "2026-03-04"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(vault.bytes("today.md"), held);
    // Once the name matches a note, the tick is recorded, and the notice is not kept.
    vault.write(
        "People/Nobody Here.md",
        "---\nmet-date: 2026-01-05\ncontext: a meetup\n---\n",
    );
    let out = vault.run(&["render", "--today", "2026-03-04"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(vault.read("People/Nobody Here.md").contains("last-touch:"));
    let page = vault.read("today.md");
    assert!(!page.contains("vault-reach:"), "{page}");
    assert!(!vault.read("index.md").contains("## Ticks not recorded yet"));
}

/// Issue 12: a note with a 248–255-byte file name could never be edited: the temporary
/// file's name, built from the note's, was too long.
#[cfg(target_os = "linux")]
#[test]
fn a_note_with_the_longest_file_name_can_be_touched() {
    let vault = Sandbox::empty();
    let name = "A".repeat(252); // + ".md" = 255 bytes, the usual limit
    vault.write(
        &format!("People/{name}.md"),
        "---\nmet-date: 2024-01-01\ncontext: a meetup\n---\n",
    );
    let out = vault.run(&["touch", &name, "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        vault
            .read(&format!("People/{name}.md"))
            .contains("last-touch: 2026-03-02")
    );
}

/// Issue 12: a recorded outreach replaced the note with a new file, which lost the note's
/// extended attributes (a Finder tag, a quarantine mark, a label of the user's).
#[cfg(unix)]
#[test]
fn a_touched_note_keeps_its_extended_attributes_and_its_mode() {
    use std::os::unix::fs::PermissionsExt as _;
    let vault = Sandbox::empty();
    vault.write(
        "People/Ada.md",
        "---\nmet-date: 2024-01-01\ncontext: a meetup\n---\n",
    );
    if !crate::support::user_xattrs_in(&vault.vault) {
        return;
    }
    let ada = vault.path("People/Ada.md");
    std::fs::set_permissions(&ada, std::fs::Permissions::from_mode(0o604)).unwrap();
    let kept: [(&str, &[u8]); 2] = [
        ("user.test", b"kept"),
        ("user.com.apple.metadata:_kMDItemUserTags", b"Green\n2\0"),
    ];
    for (name, value) in kept {
        xattr::set(&ada, name, value).unwrap();
    }
    for day in [DEMO_DAY, "2026-03-05"] {
        let out = vault.run(&["touch", "Ada", "--today", day]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(
            vault
                .read("People/Ada.md")
                .contains(&format!("last-touch: {day}"))
        );
        for (name, value) in kept {
            assert_eq!(
                xattr::get(&ada, name).unwrap().as_deref(),
                Some(value),
                "{name}"
            );
        }
        let mode = std::fs::metadata(&ada).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o604);
    }
    let left: Vec<_> = std::fs::read_dir(vault.path("People"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["Ada.md"]);
}

/// Issue 12: an attribute that cannot be given to the replacement refuses the write, and
/// the note is left byte for byte. Needs root, to give the note a `security.` attribute that
/// the user running `touch` (nobody) cannot set.
#[cfg(target_os = "linux")]
#[test]
fn an_attribute_that_cannot_be_kept_refuses_the_write() {
    use std::os::unix::process::CommandExt as _;
    // SAFETY: geteuid reads the process's user id and touches no memory.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: only root can give a note an attribute another user cannot set");
        return;
    }
    let vault = Sandbox::empty();
    vault.write(
        "People/Ada.md",
        "---\nmet-date: 2024-01-01\ncontext: a meetup\n---\n",
    );
    let ada = vault.path("People/Ada.md");
    if let Err(err) = xattr::set(&ada, "security.vault-reach-test", b"label") {
        eprintln!("skipped: no `security.` attributes here ({err})");
        return;
    }
    let sandbox = vault.vault.parent().unwrap();
    std::fs::set_permissions(sandbox, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    for entry in walkdir::WalkDir::new(&vault.vault) {
        std::os::unix::fs::chown(entry.unwrap().path(), Some(65534), Some(65534)).unwrap();
    }
    let before = vault.bytes("People/Ada.md");
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin!("vault-reach"))
        .args(["touch", "Ada", "--today", DEMO_DAY])
        .current_dir(&vault.vault)
        .env_clear()
        .envs(vault.env())
        .uid(65534)
        .gid(65534)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains("security.vault-reach-test") && said.contains("People/Ada.md"),
        "{said}"
    );
    assert_eq!(vault.bytes("People/Ada.md"), before);
    let left: Vec<_> = std::fs::read_dir(vault.path("People"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["Ada.md"]);
}

/// Issue 18: ticks made in a conflict copy of today.md (another device ticked while this
/// one also changed the page) were reported at best, never recorded.
#[test]
fn ticks_in_conflict_copies_of_today_md_are_recorded_once() {
    let vault = Sandbox::example();
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    let page = vault.read("today.md");
    let picks: Vec<&str> = page
        .lines()
        .filter_map(|l| l.strip_prefix("- [ ] [["))
        .filter_map(|l| l.split(']').next())
        .collect();
    assert!(picks.len() >= 2, "{page}");
    let tick = |name: &str| {
        page.replacen(
            &format!("- [ ] [[{name}]]"),
            &format!("- [x] [[{name}]]"),
            1,
        )
    };
    vault.write(
        "today.sync-conflict-20260302-101010-ABCDEFG.md",
        &tick(picks[0]),
    );
    vault.write("today 2.md", &tick(picks[1]));
    let out = vault.run(&["render", "--today", "2026-03-03"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for name in &picks[..2] {
        let note = vault.read(&format!("People/{name}.md"));
        assert!(note.contains("last-touch: 2026-03-02"), "{name}:\n{note}");
        assert_eq!(note.matches("2026-03-02 reached out").count(), 1, "{note}");
    }
    // Never deleted by us: the user is told, and deletes them.
    assert!(vault.path("today 2.md").exists());
    let check = stdout(&vault.run(&["check", "--today", "2026-03-03"]));
    for copy in [
        "today 2.md",
        "today.sync-conflict-20260302-101010-ABCDEFG.md",
    ] {
        assert!(
            check.contains(&format!(
                "{copy}: warning: a sync tool's conflict copy of `today.md`, which vault-reach writes; its ticks are recorded like the note's own, so delete it"
            )),
            "{check}"
        );
    }
    let again = vault.run(&["render", "--today", "2026-03-03"]);
    assert!(again.status.success());
    assert!(!stderr(&again).contains("recorded"), "{}", stderr(&again));
}

/// A note that never stops changing under an edit: vault-reach gives up, and the newest
/// save of the other writer is what the note holds, not our edit over an older one.
#[cfg(target_os = "linux")]
#[test]
fn giving_up_on_a_note_that_keeps_changing_keeps_the_newest_save() {
    let vault = Sandbox::empty();
    vault.write("People/Ada.md", "---\ncontext: x\n---\n# Ada\n");
    let path = vault.path("People/Ada.md");
    let mut saves = 0;
    let result = vault_reach::write::edit_note(&path, false, |text| {
        saves += 1;
        // Another writer saves a line of its own each time, in place, before our exchange.
        let theirs = format!("---\ncontext: x\n---\n# Ada\nsave {saves}\n");
        std::fs::write(&path, &theirs).unwrap();
        Ok::<_, std::io::Error>(Some(format!("{text}our line\n")))
    });
    assert!(result.is_err(), "{result:?}");
    assert_eq!(
        vault.read("People/Ada.md"),
        format!("---\ncontext: x\n---\n# Ada\nsave {saves}\n")
    );
}

/// Issue 12: every value of a note reaches today.md as text that starts no markup, so a
/// pick's line links to that person only, and ticking it records that person only. Values
/// hold what an import or another editor could write: links, a forged task, pipes, a table
/// row, a `javascript:` profile, an address that would add a `bcc`.
#[test]
fn values_that_look_like_markup_link_nobody_and_record_only_their_person() {
    let vault = Sandbox::empty();
    vault.write(
        "People/Victim.md",
        "---\nmet-date: 2026-01-05\ncontext: work\nlast-touch: 2026-03-01\n---\n",
    );
    let forged = "- [x] [[Victim]] | [[Victim|V]] ]] #tag %% <b>";
    vault.write(
        "People/Mallory [1].md",
        &format!(
            "---\nname: \"Mallory ]] [[Victim\"\nmet-date: 2025-01-05\ncontext: \"{forged}\"\n\
             company: \"{forged}\"\nrole: \"{forged}\"\nemail: \"m@x.org?bcc=v@x.org) [[Victim]]\"\n\
             linkedin: \"javascript:alert(1)\"\n---\n## Log\n- 2025-01-06 emailed {forged}\n"
        ),
    );
    let victim = vault.bytes("People/Victim.md");
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    let today = vault.read("today.md");
    let events: Vec<_> = pulldown_cmark::Parser::new_ext(
        &today,
        pulldown_cmark::Options::ENABLE_WIKILINKS | pulldown_cmark::Options::ENABLE_TASKLISTS,
    )
    .collect();
    // The pick's first link is Mallory's own; a wikilink in a value stays the link its
    // writer made, but never comes first, and no value adds a link of another kind.
    let links: Vec<String> = events
        .iter()
        .skip_while(|e| !matches!(e, pulldown_cmark::Event::TaskListMarker(_)))
        .filter_map(|e| match e {
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link {
                dest_url,
                link_type,
                ..
            }) => Some(format!("{link_type:?} {dest_url}")),
            _ => None,
        })
        .collect();
    assert_eq!(links[0], "Inline People/Mallory%20%5B1%5D.md", "{today}");
    assert!(
        links[1..]
            .iter()
            .all(|l| l.starts_with("WikiLink") && l.ends_with(" Victim")
                || l == "Inline mailto:m@x.org%3Fbcc=v@x.org%29%20%5B%5BVictim%5D%5D"),
        "{links:?}"
    );
    let tasks = events
        .iter()
        .filter(|e| matches!(e, pulldown_cmark::Event::TaskListMarker(_)))
        .count();
    assert_eq!(tasks, 1, "{today}");
    assert!(!today.contains("javascript"), "{today}");

    // Ticking Mallory's line records Mallory, and no one else.
    let ticked = today.replacen("- [ ] [Mallory", "- [x] [Mallory", 1);
    assert_ne!(ticked, today);
    vault.write("today.md", &ticked);
    let out = vault.run(&["render", "--today", DEMO_DAY]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(vault.bytes("People/Victim.md"), victim);
    assert!(
        vault
            .read("People/Mallory [1].md")
            .contains(&format!("- {DEMO_DAY} reached out")),
        "{}",
        stderr(&out)
    );
}
