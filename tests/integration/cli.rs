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
        stderr(&out).starts_with("error: there is no folder `no-such-folder`"),
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
        ".vault-reach/update.md",
    ] {
        assert!(vault.path(rel).is_file(), "{rel}");
    }
    vault.write(".vault-reach/config.toml", "daily = 2\n");
    let out = vault.run(&["init"]);
    assert!(stdout(&out).contains("kept          .vault-reach/config.toml (it exists)"));
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

/// `vault-reach init DIR | head` panicked (exit 101) when `head` had closed the pipe: a
/// closed pipe ends the output of every command quietly, and what the command did stands.
#[test]
fn a_closed_pipe_ends_the_output_and_is_no_crash() {
    let vault = Sandbox::example();
    let folder = vault.path("Fresh");
    std::fs::create_dir(&folder).unwrap();
    let folder = folder.to_string_lossy().into_owned();
    for args in [
        vec!["init", folder.as_str()],
        vec!["today"],
        vec!["check"],
        vec!["touch", "Ada Quint", "--dry-run"],
        vec![
            "new",
            "Nadia Field",
            "--met",
            "2026-02-01",
            "--context",
            "a meetup",
            "--dry-run",
        ],
        vec!["completions", "bash"],
        vec!["list"],
        vec!["list", "--json"],
        vec!["show", "Ada Quint"],
        vec!["draft", "Ada Quint"],
        vec!["today", "--json"],
    ] {
        // The reading end is closed before the command runs: its first write fails.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin!("vault-reach"))
            .current_dir(&vault.vault)
            .env_clear()
            .envs(vault.env())
            .args(&args)
            .args(["--today", DEMO_DAY])
            .stdout(writer)
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {:?} {}",
            out.status,
            stderr(&out)
        );
        assert!(
            !stderr(&out).contains("panicked"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert!(vault.path("Fresh/.vault-reach/config.toml").exists());
}

/// `touch --date 2099-01-01` and `new --met 2099-01-01` were taken: a date to come set
/// `last-touch` ahead and took the person off the list for decades.
#[test]
fn dates_still_to_come_are_refused() {
    let vault = Sandbox::example();
    let ada = vault.bytes("People/Ada Quint.md");
    let out = vault.run(&[
        "touch",
        "Ada Quint",
        "--date",
        "2099-01-01",
        "--today",
        DEMO_DAY,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`--date 2099-01-01` is in the future (today is 2026-03-02)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(vault.bytes("People/Ada Quint.md"), ada);
    let out = vault.run(&[
        "new",
        "Zed",
        "--met",
        "2099-01-01",
        "--context",
        "x",
        "--today",
        DEMO_DAY,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!vault.path("People/Zed.md").exists());
}

/// `new "AC/DC Fan"` made `AC-DC Fan.md` with no trace of its name, so `touch "AC/DC Fan"`
/// failed; `new "  "` made `Unnamed.md`.
#[test]
fn a_new_note_is_found_by_the_name_it_was_made_with_and_needs_one() {
    let vault = Sandbox::example();
    let made = vault.run(&[
        "new",
        "AC/DC Fan",
        "--met",
        "2026-02-01",
        "--context",
        "a gig",
        "--today",
        DEMO_DAY,
    ]);
    assert!(made.status.success(), "{}", stderr(&made));
    assert!(
        vault
            .read("People/AC-DC Fan.md")
            .contains("aliases:\n  - AC/DC Fan\n")
    );
    let out = vault.run(&["touch", "AC/DC Fan", "--today", DEMO_DAY]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = vault.run(&[
        "new",
        "  ",
        "--met",
        "2026-02-01",
        "--context",
        "x",
        "--today",
        DEMO_DAY,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("a new note needs a name"),
        "{}",
        stderr(&out)
    );
    assert!(!vault.path("People/Unnamed.md").exists());
    // Without a name nor a date, the name is what is asked for first.
    let out = vault.run(&["new", " ", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("a new note needs a name") && !stderr(&out).contains("missing"),
        "{}",
        stderr(&out)
    );
}

/// `-q` was ignored by `touch`, `new`, `init` and `import`: it means errors only.
#[test]
fn quiet_means_errors_only_for_every_command() {
    let vault = Sandbox::example();
    let fresh = vault.path("Fresh");
    std::fs::create_dir(&fresh).unwrap();
    let csv = vault.path("notes.csv");
    std::fs::write(&csv, "a,b\n1,2\n").unwrap();
    for args in [
        vec!["touch", "Ada Quint"],
        vec![
            "new",
            "Nadia Field",
            "--met",
            "2026-02-01",
            "--context",
            "a meetup",
        ],
        vec!["init", fresh.to_str().unwrap()],
    ] {
        let out = vault.run(&[args.as_slice(), &["-q", "--today", DEMO_DAY]].concat());
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "", "{args:?}");
    }
    assert!(
        vault
            .read("People/Ada Quint.md")
            .contains("last-touch: 2026-03-02")
    );
    assert!(vault.path("People/Nadia Field.md").exists());
    assert!(fresh.join(".vault-reach/config.toml").exists());
}

/// A CSV that is no `LinkedIn` export imported nothing and exited 0; `render A --vault B`
/// used A without a word.
#[test]
fn a_file_that_is_not_what_was_asked_and_two_vaults_are_errors() {
    let vault = Sandbox::example();
    let csv = vault.vault.parent().unwrap().join("notes.csv");
    std::fs::write(&csv, "a,b\n1,2\n").unwrap();
    let out = vault.run(&[
        "import",
        "linkedin",
        csv.to_str().unwrap(),
        "--today",
        DEMO_DAY,
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stdout(&out).contains("no header row"), "{}", stdout(&out));

    let other = vault.vault.parent().unwrap().join("other");
    std::fs::create_dir(&other).unwrap();
    let out = vault.run(&["render", ".", "--vault", other.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("two vaults given"),
        "{}",
        stderr(&out)
    );
    assert!(!other.join("today.md").exists() && !vault.path("today.md").exists());
    // The same folder twice is one vault; the environment's is a default the argument beats.
    let out = vault.run(&["render", ".", "--vault", ".", "--today", DEMO_DAY]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let out = vault
        .cmd()
        .args(["render", ".", "--today", DEMO_DAY])
        .env("VAULT_REACH_VAULT", &other)
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    assert!(!other.join("today.md").exists());
}

/// `vault-reach render` in a folder that is no vault (a home folder) walked all of it and
/// wrote today.md, index.md and `.vault-reach/` there.
#[test]
fn a_folder_that_is_no_vault_is_neither_read_nor_written() {
    let vault = Sandbox::empty();
    vault.write("Documents/letter.md", "Dear bank,\n");
    vault.write("Downloads/notes.txt", "x\n");
    let before = crate::support::mtimes(&vault.vault);
    for command in ["render", "watch"] {
        let out = vault.run(&[command, "--today", DEMO_DAY]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        assert!(
            stderr(&out).contains("does not look like a vault: it has no `People` folder"),
            "{command}: {}",
            stderr(&out)
        );
    }
    assert_eq!(crate::support::mtimes(&vault.vault), before);
    assert!(!vault.path(".vault-reach").exists());
    // A people folder, an Obsidian vault or vault-reach's config makes it one.
    std::fs::create_dir(vault.path(".obsidian")).unwrap();
    let out = vault.run(&["render", "--today", DEMO_DAY]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(vault.path("today.md").exists());
}

/// Issue 15: there was no way to look at one person; `show` is khard's `show` for a note.
#[test]
fn show_tells_one_persons_story() {
    let vault = Sandbox::example();
    let out = vault.run(&["show", "claude sato", "--today", DEMO_DAY]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_golden(&golden("cli", "show.txt"), &out.stdout);
    let out = vault.run(&["show", "Claude Sato", "--json", "--today", DEMO_DAY]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["path"], "People/Claude Sato.md");
    assert_eq!(json["log"][0]["kind"], "outreach");
    assert_eq!(json["log"].as_array().unwrap().len(), 2);
    let out = vault.run(&["show", "Nobody Here"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no contact is called `Nobody Here`"));
    // A note that cannot be read is named with its problem, not taken for nobody.
    let out = vault.run(&["show", "Edsger Dorn"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .starts_with("error: People/Edsger Dorn.md:3:10: front-matter is not valid YAML"),
        "{}",
        stderr(&out)
    );
}

/// Issue 15: to snooze, pause or let someone go a user edited YAML by hand.
#[test]
fn pause_and_snooze_take_someone_off_the_list_in_the_notes_own_words() {
    let vault = Sandbox::example();
    let lee =
        "---\nmet-date: 2024-01-01\ncontext: a meetup\ncontactFrequency: 30 # days\n---\n# Lee\n";
    vault.write("People/Lee.md", lee);
    let out = vault.run(&["pause", "Lee", "--today", DEMO_DAY]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "People/Lee.md: paused: off the list until `vault-reach resume`\n+paused: 2026-03-02\n"
    );
    // The cadence is kept, for `resume` to bring back.
    assert_eq!(
        vault.read("People/Lee.md"),
        lee.replace("days\n", "days\npaused: 2026-03-02\n")
    );
    let out = vault.run(&["pause", "Lee", "--today", DEMO_DAY]);
    assert!(
        stdout(&out).contains("off the list already"),
        "{}",
        stdout(&out)
    );
    let out = vault.run(&[
        "snooze",
        "Ada Quint",
        "--until",
        "2026-06-01",
        "--today",
        DEMO_DAY,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        vault
            .read("People/Ada Quint.md")
            .contains("snooze-until: 2026-06-01\n")
    );
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.code() != Some(2));
    let today = vault.read("today.md");
    assert!(
        !today.contains("[[Ada Quint]]") && !today.contains("[[Lee]]"),
        "{today}"
    );
    let before = vault.bytes("People/Ada Quint.md");
    let out = vault.run(&[
        "snooze",
        "Ada Quint",
        "--until",
        "2026-03-02",
        "--today",
        DEMO_DAY,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(vault.bytes("People/Ada Quint.md"), before);
}

/// `pause` and `snooze` write through the same compare-and-swap as `touch`: run against an
/// editor appending to the note, and against `touch`es, nothing of anyone's is lost.
#[test]
fn pause_snooze_let_go_resume_touch_and_an_editor_at_once_lose_nothing() {
    let vault = Sandbox::empty();
    vault.write(
        "People/Ada.md",
        "---\nmet-date: 2020-01-01\ncontext: x\n---\n# Ada\n\n## Log\n",
    );
    std::thread::scope(|s| {
        let vault = &vault;
        s.spawn(move || {
            for i in 0..10 {
                let until = format!("2026-04-{:02}", i + 1);
                let out = vault.run(&[
                    "-q", "snooze", "Ada", "--until", &until, "--today", DEMO_DAY,
                ]);
                assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
                for command in ["pause", "let-go", "resume"] {
                    let out = vault.run(&["-q", command, "Ada", "--today", DEMO_DAY]);
                    assert_eq!(out.status.code(), Some(0), "{command}: {}", stderr(&out));
                }
            }
            let out = vault.run(&["-q", "pause", "Ada", "--today", DEMO_DAY]);
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        });
        s.spawn(move || {
            for i in 0..10 {
                let day = format!("2021-01-{:02}", i + 1);
                let out = vault.run(&["-q", "touch", "Ada", "--date", &day, "--today", DEMO_DAY]);
                assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            }
        });
        s.spawn(move || vault.append_edits("People/Ada.md", 20, 5));
    });
    let note = vault.read("People/Ada.md");
    // Each round's `resume` took away its snooze, pause and let-go; the last pause stayed.
    assert!(note.contains("\npaused: 2026-03-02\n"), "{note}");
    assert!(
        !note.contains("snooze-until") && !note.contains("let-go"),
        "{note}"
    );
    for i in 0..10 {
        assert!(
            note.contains(&format!("- 2021-01-{:02} reached out", i + 1)),
            "{i}:\n{note}"
        );
    }
    crate::support::assert_edits_kept(&note, 20);
}

/// Issue 15: "let go" was a YAML edit by hand, and index.md could not say who was let go.
#[test]
fn let_go_and_resume_take_someone_off_for_good_and_back() {
    let vault = Sandbox::example();
    let before = vault.read("People/Claude Sato.md");
    let out = vault.run(&["let-go", "Claude Sato", "--dry-run", "--today", DEMO_DAY]);
    assert_eq!(
        stdout(&out),
        "People/Claude Sato.md: would be let go: off the schedule for good; the note and its Log are kept\n\
         +let-go: 2026-03-02\n"
    );
    assert_eq!(vault.read("People/Claude Sato.md"), before);
    assert!(
        vault
            .run(&["let-go", "Claude Sato", "--today", DEMO_DAY])
            .status
            .success()
    );
    assert!(
        vault
            .read("People/Claude Sato.md")
            .contains("\nlet-go: 2026-03-02\n---\n")
    );
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.code() != Some(2));
    let index = vault.read("index.md");
    assert!(index.contains("| Let go | 1 |"), "{index}");
    assert!(index.contains("| let go |"), "{index}");
    assert!(!index.contains("## Unanswered"), "{index}");
    assert!(!vault.read("today.md").contains("Claude Sato"));
    let check = stdout(&vault.run(&["check", "--today", DEMO_DAY]));
    assert!(!check.contains("Claude Sato.md: unanswered"), "{check}");
    let show = stdout(&vault.run(&["show", "Claude Sato", "--today", DEMO_DAY]));
    assert!(
        show.contains("Let go since Monday 2 March: off the schedule for good"),
        "{show}"
    );
    let listed = stdout(&vault.run(&["list", "--today", DEMO_DAY]));
    assert!(
        listed.contains("Claude Sato\tPeople/Claude Sato.md\tlet go\n"),
        "{listed}"
    );

    let out = vault.run(&["resume", "Claude Sato", "--today", DEMO_DAY]);
    assert_eq!(
        stdout(&out),
        "People/Claude Sato.md: back on the list\n-let-go: 2026-03-02\n"
    );
    assert_eq!(vault.read("People/Claude Sato.md"), before);
    let out = vault.run(&["resume", "Claude Sato", "--today", DEMO_DAY]);
    assert!(
        stdout(&out).contains("on the list already"),
        "{}",
        stdout(&out)
    );
}

/// `snooze --for` counts from today, in the units cadences use.
#[test]
fn snooze_for_a_span_counts_from_today() {
    let vault = Sandbox::example();
    let out = vault.run(&["snooze", "Ada Quint", "--for", "3w", "--today", DEMO_DAY]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        vault
            .read("People/Ada Quint.md")
            .contains("snooze-until: 2026-03-23\n")
    );
    let out = vault.run(&[
        "snooze",
        "Ada Quint",
        "--for",
        "2 months",
        "--today",
        DEMO_DAY,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        vault
            .read("People/Ada Quint.md")
            .contains("snooze-until: 2026-05-02\n")
    );
    let out = vault.run(&["snooze", "Ada Quint", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--until"), "{}", stderr(&out));
    let out = vault.run(&["snooze", "Ada Quint", "--for", "soon", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(2));
}

/// Issue 15: `--color` and `NO_COLOR` as ripgrep has them: colour on a terminal unless
/// `NO_COLOR`, always or never when asked, and never into a pipe on its own.
#[test]
fn colour_is_used_when_asked_and_never_into_a_pipe() {
    let vault = Sandbox::example();
    let coloured =
        |out: &std::process::Output| out.stdout.contains(&0x1b) || out.stderr.contains(&0x1b);
    let check = ["check", "--today", DEMO_DAY];
    let touch = ["touch", "Ada Quint", "--dry-run", "--today", DEMO_DAY];
    for args in [&check[..], &touch[..], &["touch", "Nobody"][..]] {
        let always = vault
            .cmd()
            .args(args)
            .args(["--color", "always"])
            .output()
            .unwrap();
        assert!(coloured(&always), "{args:?}: {}", stdout(&always));
        let never = vault
            .cmd()
            .args(args)
            .args(["--color", "never"])
            .output()
            .unwrap();
        assert!(!coloured(&never), "{args:?}");
        // A pipe, with and without NO_COLOR.
        assert!(
            !coloured(&vault.cmd().args(args).output().unwrap()),
            "{args:?}"
        );
        let piped = vault
            .cmd()
            .env_remove("NO_COLOR")
            .args(args)
            .output()
            .unwrap();
        assert!(!coloured(&piped), "{args:?}");
    }
    // The colour is only around our labels and signs: the text is the same.
    let always = vault
        .cmd()
        .args(check)
        .args(["--color", "always"])
        .output()
        .unwrap();
    let plain = vault.cmd().args(check).output().unwrap();
    let stripped = String::from_utf8(always.stdout)
        .unwrap()
        .replace("\x1b[1m", "")
        .replace("\x1b[31m", "")
        .replace("\x1b[33m", "")
        .replace("\x1b[0m", "");
    assert_eq!(stripped, stdout(&plain));
}

/// Issue 15: `undo` of the last change vault-reach made to a note, exact or not at all.
#[test]
fn undo_takes_back_the_last_change_exactly_once() {
    let vault = Sandbox::example();
    let before = vault.read("People/Ada Quint.md");
    let touch = [
        "touch",
        "Ada Quint",
        "--note",
        "sent the maps",
        "--today",
        DEMO_DAY,
    ];
    assert!(vault.run(&touch).status.success());
    let touched = vault.read("People/Ada Quint.md");
    let out = vault.run(&["undo", "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with(
            "People/Ada Quint.md: would undo `vault-reach touch 'Ada Quint' --note 'sent the maps' --today 2026-03-02`\n"
        ),
        "{}",
        stdout(&out)
    );
    assert_eq!(vault.read("People/Ada Quint.md"), touched);
    let out = vault.run(&["undo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("-- 2026-03-02 reached out — sent the maps\n"),
        "{}",
        stdout(&out)
    );
    assert_eq!(vault.read("People/Ada Quint.md"), before, "byte for byte");
    let out = vault.run(&["undo"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nothing to undo"), "{}", stderr(&out));

    // An edit since, away from the change: kept, the change taken out.
    assert!(
        vault
            .run(&["pause", "Ada Quint", "--today", DEMO_DAY])
            .status
            .success()
    );
    let paused = vault.read("People/Ada Quint.md");
    let edited = paused.replace(
        "Spoke about incremental",
        "Spoke at length about incremental",
    );
    vault.write("People/Ada Quint.md", &edited);
    assert!(vault.run(&["undo"]).status.success());
    assert_eq!(
        vault.read("People/Ada Quint.md"),
        before.replace(
            "Spoke about incremental",
            "Spoke at length about incremental"
        )
    );

    // An edit of the lines the change wrote: nothing changes, and the change can still be
    // undone once the user has sorted it out.
    assert!(vault.run(&touch).status.success());
    let touched = vault.read("People/Ada Quint.md");
    let clash = touched.replace(
        "reached out — sent the maps",
        "reached out — sent the maps and a book",
    );
    vault.write("People/Ada Quint.md", &clash);
    let out = vault.run(&["undo"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("would take your edit with it"),
        "{}",
        stderr(&out)
    );
    assert_eq!(vault.read("People/Ada Quint.md"), clash);
    vault.write("People/Ada Quint.md", &touched);
    assert!(vault.run(&["undo"]).status.success());
}

/// Anything that writes is proven under concurrent saves: an editor appending to the note
/// while `undo` takes a change out of it loses nothing.
#[test]
fn undo_and_an_editor_at_once_lose_nothing() {
    for round in 0..3 {
        let vault = Sandbox::empty();
        vault.write(
            "People/Ada.md",
            "---\nmet-date: 2020-01-01\ncontext: x\n---\n# Ada\n\n## Log\n",
        );
        let touch = [
            "-q", "touch", "Ada", "--note", "the maps", "--today", DEMO_DAY,
        ];
        assert!(vault.run(&touch).status.success());
        let undo = std::thread::scope(|s| {
            let vault = &vault;
            let undo = s.spawn(move || vault.run(&["-q", "undo"]));
            s.spawn(move || vault.append_edits("People/Ada.md", 20, 2));
            undo.join().unwrap()
        });
        // Lines appended under the change are kept by the undo; an undo that gives up (the
        // note kept changing) changes nothing. Either way, all or nothing.
        let said = format!("undo: {:?} {}", undo.status.code(), stderr(&undo));
        assert!(matches!(undo.status.code(), Some(0 | 2)), "{said}");
        let note = vault.read("People/Ada.md");
        crate::support::assert_edits_kept(&note, 20);
        let undone = !note.contains("reached out — the maps");
        assert_eq!(
            undone,
            !note.contains("last-touch"),
            "round {round}, half undone ({said}):\n{note}"
        );
        assert_eq!(
            undone,
            undo.status.success(),
            "round {round} ({said}):\n{note}"
        );
    }
}

/// Issue 15: no way to look at a group, which khard and every CRM offer.
#[test]
fn list_gives_the_people_of_a_tag_or_a_state() {
    let vault = Sandbox::example();
    let names = |args: &[&str]| -> Vec<String> {
        let out = vault.run(&[&["list", "--today", DEMO_DAY], args].concat());
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
            .lines()
            .map(|l| l.split('\t').next().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(&["--tag", "#Rust"]), ["Ada Quint"]);
    assert_eq!(names(&["--unanswered"]), ["Claude Sato"]);
    assert_eq!(names(&["--loose"]), ["Hedda Lamm"]);
    assert!(names(&["--tag", "rust", "--unanswered"]).is_empty());
    let all = names(&[]);
    assert_eq!(all.len(), 16);
    let mut sorted = all.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(all, sorted);
    let out = vault.run(&["list", "--tag", "rust", "--json", "--today", DEMO_DAY]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0]["path"], "People/Ada Quint.md");
    let out = vault.run(&["list", "--tag", "rust", "--today", DEMO_DAY]);
    assert_eq!(
        stdout(&out),
        "Ada Quint\tPeople/Ada Quint.md\tdue 2026-02-20\n"
    );
    assert!(
        stderr(&out).contains("1 of 16 contacts"),
        "{}",
        stderr(&out)
    );
}

/// Issue 15: an empty vault's pages said "everyone is within their cadence" and "In touch 0
/// (100%)"; they say what to do first, and show no chart or table of nobody.
#[test]
fn an_empty_vault_says_how_to_begin() {
    let vault = Sandbox::empty();
    std::fs::create_dir(vault.path(".obsidian")).unwrap();
    let out = vault.run(&["render", "--today", DEMO_DAY]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_golden(&golden("cli", "empty-today.md"), &vault.bytes("today.md"));
    assert_golden(&golden("cli", "empty-index.md"), &vault.bytes("index.md"));
    // A vault of loose links only is told how a link joins the list.
    vault.write("People/Lou Vega.md", "# Lou Vega\n");
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    let today = vault.read("today.md");
    assert!(
        today.contains("none of your notes says when and how you met yet")
            && !today.contains("import linkedin"),
        "{today}"
    );
}
