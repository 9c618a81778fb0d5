//! `import`: exports in every shape that LinkedIn and address books write, into a vault that must
//! only ever gain notes (and `recommended` lines).

// "LinkedIn" in these docs is the company's name, not code to put in backticks.
#![allow(clippy::doc_markdown)]

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::support::{DEMO_DAY, Sandbox, assert_golden, golden, mtimes, repo, stderr, stdout};

fn fixture(rel: &str) -> PathBuf {
    repo().join("tests/fixtures/import").join(rel)
}

/// Adds `[me]` with `emails` to the vault's config, as the mail and calendar imports need.
fn add_me(vault: &Sandbox, emails: &[&str]) {
    let config = vault.read(".vault-reach/config.toml");
    let list: Vec<String> = emails.iter().map(|e| format!("{e:?}")).collect();
    vault.write(
        ".vault-reach/config.toml",
        &format!("{config}\n[me]\nemails = [{}]\n", list.join(", ")),
    );
}

fn import(vault: &Sandbox, kind: &str, path: &Path, extra: &[&str]) -> String {
    let mut args = vec!["import", kind, path.to_str().unwrap(), "--today", DEMO_DAY];
    args.extend(extra);
    let out = vault.run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn a_linkedin_export_folder_becomes_loose_links_recommendations_and_invitations() {
    let vault = Sandbox::fixture("import");
    let grace = vault.bytes("People/Grace.md");
    let out = import(&vault, "linkedin", &fixture("linkedin"), &[]);
    assert_golden(&golden("import", "linkedin.txt"), out.as_bytes());
    // Namesakes with different URLs: two notes; the recommendation of the Globex one finds it.
    // Hugo gains `recommended` with only the date's bytes changed (CRLF, comments kept);
    // Mira's later date is kept and Grace, matched by email, is untouched: a changed note
    // not in the expected folder fails `assert_expected`.
    vault.assert_expected("import/expected/linkedin");
    assert_eq!(vault.bytes("People/Grace.md"), grace);

    let out = vault.run(&["check", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(0), "invitations are not errors");
    assert_golden(&golden("import", "check.txt"), &out.stdout);

    let out = vault.run(&["render", "--today", DEMO_DAY]);
    assert!(out.status.success(), "{}", stderr(&out));
    let index = vault.read("index.md");
    let section = index
        .split("\n## ")
        .find(|s| s.starts_with("Invitations without a personal message"))
        .unwrap_or_else(|| panic!("no invitations section in\n{index}"));
    assert_eq!(
        section,
        "Invitations without a personal message\n\n\
         2 invitations were sent with no word on how you know each other. Next time, add a line on where you met.\n\n\
         - [[Ada Example (Globex)]], sent 2024-01-08\n\
         - Pia Nowhere, sent 2023-04-02\n"
    );
}

#[test]
fn a_zip_export_reads_like_its_folder() {
    let vault = Sandbox::fixture("import");
    let zip_path = vault
        .vault
        .parent()
        .unwrap()
        .join("Basic_LinkedInDataExport.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for name in [
        "Connections.csv",
        "Recommendations_Given.csv",
        "Invitations.csv",
    ] {
        // LinkedIn nests the files one folder down, and names vary in case between exports.
        zip.start_file(
            format!("Basic_LinkedInDataExport/{}", name.to_lowercase()),
            options,
        )
        .unwrap();
        zip.write_all(&std::fs::read(fixture("linkedin").join(name)).unwrap())
            .unwrap();
    }
    zip.finish().unwrap();
    let out = import(&vault, "linkedin", &zip_path, &[]);
    let from_folder = std::fs::read_to_string(golden("import", "linkedin.txt")).unwrap();
    assert_eq!(
        out,
        from_folder
            .replace("Connections.csv", "connections.csv")
            .replace("Recommendations_Given.csv", "recommendations_given.csv")
            .replace("Invitations.csv", "invitations.csv")
    );
    vault.assert_expected("import/expected/linkedin");
}

#[test]
fn a_second_import_of_the_same_export_writes_nothing_at_all() {
    let vault = Sandbox::fixture("import");
    import(&vault, "linkedin", &fixture("linkedin"), &[]);
    let before = mtimes(&vault.vault);
    let out = import(&vault, "linkedin", &fixture("linkedin"), &[]);
    assert!(
        out.contains("created 0, already in the vault 6, skipped 2\n"),
        "{out}"
    );
    assert_eq!(mtimes(&vault.vault), before);
    let out = import(&vault, "vcard", &fixture("vcard/many-4.0.vcf"), &[]);
    let again = import(&vault, "vcard", &fixture("vcard/many-4.0.vcf"), &[]);
    assert!(out.starts_with("created People/Uma Sample.md\n"), "{out}");
    assert!(
        again.starts_with("created 0, already in the vault 5, skipped 1\n"),
        "{again}"
    );
}

#[test]
fn dry_run_shows_the_same_summary_and_writes_nothing() {
    let vault = Sandbox::fixture("import");
    let before = mtimes(&vault.vault);
    let out = import(&vault, "linkedin", &fixture("linkedin"), &["--dry-run"]);
    let real = std::fs::read_to_string(golden("import", "linkedin.txt")).unwrap();
    assert_eq!(
        out,
        real.replace("created", "would create")
            .replace(": set", ": would set")
            .replace("saved", "would save")
    );
    assert_eq!(mtimes(&vault.vault), before);
    assert!(!vault.path("People/Ada Example.md").exists());
    let out = import(
        &vault,
        "vcard",
        &fixture("vcard/many-4.0.vcf"),
        &["--dry-run"],
    );
    assert!(
        out.contains("would create 3, already in the vault 1,"),
        "{out}"
    );
    assert_eq!(mtimes(&vault.vault), before);
}

#[test]
fn older_and_odder_connections_files_are_read_alone() {
    let vault = Sandbox::empty();
    for (file, note) in [
        // The preamble followed by two blank lines.
        ("two-blank-lines.csv", "People/Ines Sample.md"),
        // No preamble, no URL column, CRLF, the old date form.
        ("2018.csv", "People/Jonas Example.md"),
        // Columns in another order, quoted fields with commas.
        ("reordered.csv", "People/Kemi Oduya.md"),
    ] {
        let out = import(&vault, "linkedin", &fixture(&format!("older/{file}")), &[]);
        assert_eq!(
            out,
            format!("created {note}\ncreated 1, already in the vault 0, skipped 0\n")
        );
    }
    vault.assert_expected("import/expected/older");
}

#[test]
fn vcards_of_every_version_become_notes() {
    let vault = Sandbox::fixture("import");
    let mut outs = String::new();
    for file in ["android-2.1.vcf", "apple-3.0.vcf", "many-4.0.vcf"] {
        outs.push_str(&import(
            &vault,
            "vcard",
            &fixture(&format!("vcard/{file}")),
            &[],
        ));
    }
    assert_golden(&golden("import", "vcard.txt"), outs.as_bytes());
    vault.assert_expected("import/expected/vcard");
}

#[test]
fn a_missing_export_is_an_error_that_names_it() {
    let vault = Sandbox::empty();
    let out = vault.run(&["import", "linkedin", "no-such-export.zip"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("`no-such-export.zip`"),
        "{}",
        stderr(&out)
    );
    assert!(mtimes(&vault.vault).is_empty());
}

/// Issue 12: a value with U+FFFF or DEL aborted the whole import; a URL with a tab or a
/// double space made a new duplicate on every re-import; a right-to-left override stayed in
/// the file name. Now the values are cleaned, URLs normalised before matching, and a second
/// import creates nothing.
#[test]
fn hostile_characters_in_an_export_are_cleaned_and_matched() {
    let vault = Sandbox::empty();
    let csv = vault.vault.parent().unwrap().join("Connections.csv");
    std::fs::write(
        &csv,
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n\
         Uma\u{ffff},Sample,https://www.linkedin.com/in/uma\tsample,,Acme\u{7f} Corp,CTO,12 Mar 2021\n\
         Evil\u{202e}dm.exe,Person,https://www.linkedin.com/in/evil  person,,,,12 Mar 2021\n\
         Vera,Example,https://www.linkedin.com/in/vera,,Globex,,12 Mar 2021\n",
    )
    .unwrap();
    let first = import(&vault, "linkedin", &csv, &[]);
    assert!(
        first.contains("created 3, already in the vault 0, skipped 0"),
        "{first}"
    );
    let names: Vec<String> = std::fs::read_dir(vault.path("People"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.contains('\u{202e}') && !n.contains('\u{ffff}')),
        "{names:?}"
    );
    let uma = vault.read("People/Uma Sample.md");
    assert!(uma.contains("company: Acme Corp\n"), "{uma}");
    let second = import(&vault, "linkedin", &csv, &[]);
    assert!(
        second.contains("created 0, already in the vault 3, skipped 0"),
        "{second}"
    );
}

/// `cards` as one vCard 3.0 file beside `vault`, for a test to import.
fn vcard_file(vault: &Sandbox, name: &str, cards: &[&str]) -> PathBuf {
    let path = vault.vault.parent().unwrap().join(name);
    let mut text = String::new();
    for card in cards {
        text.push_str("BEGIN:VCARD\r\nVERSION:3.0\r\n");
        text.push_str(card);
        text.push_str("END:VCARD\r\n");
    }
    std::fs::write(&path, text).unwrap();
    path
}

/// The notes in the vault's People folder, by file name.
fn people(vault: &Sandbox) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(vault.path("People"))
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Issue 12: a card's `NOTE` was dropped. It is kept under `## Notes` as a quote, its lines
/// kept, and nothing in it is structure: a `## Log` or a ticked task in it forges no outreach.
#[test]
fn a_vcard_note_is_kept_as_a_quote_that_forges_nothing() {
    let vault = Sandbox::empty();
    let file = vcard_file(
        &vault,
        "contacts.vcf",
        &[concat!(
            "FN:Ada Example\r\n",
            "NOTE:Met at the Leiden fair\\n## Log\\n- 2020-01-01 emailed her\\n- [x] [[Vict\r\n",
            " im]]\\n\\n```\r\n",
        )],
    );
    import(&vault, "vcard", &file, &[]);
    assert_eq!(
        vault.read("People/Ada Example.md"),
        concat!(
            "---\nsource: vcard\ntags: []\n---\n# Ada Example\n\n## Notes\n\n",
            "> Met at the Leiden fair\n> \\## Log\n> \\- 2020-01-01 emailed her\n",
            "> \\- \\[x\\] [[Victim]]\n>\n> \\`\\`\\`\n\n## Log\n\n",
        )
    );
    let out = vault.run(&["touch", "Ada Example", "--today", DEMO_DAY]);
    assert!(out.status.success(), "{}", stderr(&out));
    let note = vault.read("People/Ada Example.md");
    assert!(
        note.contains(&format!("\n\n## Log\n\n- {DEMO_DAY} reached out\n")),
        "{note}"
    );
    let out = vault.run(&["render", "--today", DEMO_DAY]);
    assert!(out.status.success(), "{}", stderr(&out));
    let index = vault.read("index.md");
    assert!(!index.contains("2020-01-01"), "{index}");
    assert!(!vault.path("People/Victim.md").exists());
}

/// Issue 12: only a card's first email was kept. Every one is: `email` the preferred one,
/// `emails` them all, and a later card with any of them, in any case, is the same person.
#[test]
fn every_email_is_kept_and_any_of_them_matches() {
    let vault = Sandbox::empty();
    let file = vcard_file(
        &vault,
        "contacts.vcf",
        &[
            "FN:Ada Example\r\nEMAIL:ada@home.example\r\nEMAIL;TYPE=pref:ada@example.com\r\nEMAIL:ada@work.example\r\n",
        ],
    );
    import(&vault, "vcard", &file, &[]);
    let note = vault.read("People/Ada Example.md");
    assert!(
        note.starts_with(concat!(
            "---\nemail: ada@example.com\nemails:\n  - ada@example.com\n",
            "  - ada@home.example\n  - ada@work.example\nsource: vcard\n",
        )),
        "{note}"
    );
    let later = vcard_file(
        &vault,
        "later.vcf",
        &["FN:A. Example\r\nEMAIL:ADA@Work.Example\r\n"],
    );
    let out = import(&vault, "vcard", &later, &["-v"]);
    assert!(
        out.contains("A. Example is already in the vault as People/Ada Example.md (same email)"),
        "{out}"
    );
    assert_eq!(people(&vault), ["Ada Example.md"]);
}

/// Issue 12: whether a second card was "already in the vault" depended on which came first.
/// Each pair is imported in both orders, in one file and in two runs: the outcome is the same.
#[test]
fn matching_is_the_same_whichever_card_comes_first() {
    let titled = "FN:Dr. Jan Huntelaar\r\nN:Huntelaar;Jan;;Dr.;\r\n";
    let plain = "FN:Jan Huntelaar\r\n";
    // Family name `Jan`, given name `Huntelaar`: a name of other words in another order.
    let swapped = "N:Jan;Huntelaar;;;\r\n";
    let by_email = "FN:J. H.\r\nEMAIL:jan@work.example\r\n";
    let emails = "FN:Jan H\r\nEMAIL:jan@home.example\r\nEMAIL:JAN@work.example\r\n";
    for (a, b, notes) in [
        (titled, plain, 1),
        (swapped, plain, 2),
        (swapped, titled, 2),
        (by_email, emails, 1),
    ] {
        let mut outcomes = Vec::new();
        for (first, second) in [(a, b), (b, a)] {
            let one_file = Sandbox::empty();
            let both = vcard_file(&one_file, "both.vcf", &[first, second]);
            import(&one_file, "vcard", &both, &[]);
            outcomes.push(people(&one_file).len());

            let two_runs = Sandbox::empty();
            let first = vcard_file(&two_runs, "first.vcf", &[first]);
            let second = vcard_file(&two_runs, "second.vcf", &[second]);
            import(&two_runs, "vcard", &first, &[]);
            import(&two_runs, "vcard", &second, &[]);
            outcomes.push(people(&two_runs).len());
        }
        assert_eq!(outcomes, [notes; 4], "{a:?} and {b:?}");
    }
}

/// Issue 16: LinkedIn knows when someone moved on. A second import of a newer export tells
/// the note (the new role and company, the day it was seen, what it was before) and the
/// draft congratulates; a namesake with another profile is never changed.
#[test]
fn a_new_role_in_a_later_export_is_recorded_and_congratulated() {
    let vault = Sandbox::fixture("import");
    import(&vault, "linkedin", &fixture("linkedin"), &[]);
    let ada = vault.read("People/Ada Example.md");
    // She met Ada since, so Ada is on today's list once she is due.
    vault.write(
        "People/Ada Example.md",
        &ada.replacen(
            "---\n",
            "---\nmet-date: 2025-01-10\ncontext: a rocketry meetup\n",
            1,
        ),
    );
    let newer = tempfile::tempdir().unwrap();
    let csv = std::fs::read_to_string(fixture("linkedin/Connections.csv"))
        .unwrap()
        .replace(
            "Acme Rockets,Staff Engineer",
            "Orbital Works,Head of Propulsion",
        );
    std::fs::write(newer.path().join("Connections.csv"), csv).unwrap();
    let before = vault.read("People/Ada Example.md");
    let out = import(&vault, "linkedin", newer.path(), &[]);
    assert!(
        out.contains(
            "People/Ada Example.md: set a new role: Head of Propulsion at Orbital Works\n"
        ),
        "{out}"
    );
    assert!(out.contains("(1 with a new role)"), "{out}");
    let after = vault.read("People/Ada Example.md");
    let expected = before
        .replace("company: Acme Rockets", "company: Orbital Works")
        .replace("role: Staff Engineer", "role: Head of Propulsion")
        .replacen(
            "\n---\n",
            "\nrole-changed: 2026-03-02\nprevious-role: Staff Engineer at Acme Rockets\n---\n",
            1,
        );
    assert_eq!(after, expected);
    // The same export again changes nothing more.
    let again = import(&vault, "linkedin", newer.path(), &[]);
    assert!(!again.contains("new role"), "{again}");
    assert_eq!(vault.read("People/Ada Example.md"), after);

    let out = vault.run(&["draft", "Ada Example", "--today", DEMO_DAY]);
    assert!(out.status.success(), "{}", stderr(&out));
    let draft = stdout(&out);
    assert!(draft.contains("Subject: Congratulations\n"), "{draft}");
    assert!(
        draft.contains("I saw the news about Orbital Works: congratulations on the new role!"),
        "{draft}"
    );
    assert!(
        stderr(&out).contains(
            "note: New on LinkedIn: Head of Propulsion at Orbital Works (was Staff Engineer at Acme Rockets)"
        ),
        "{}",
        stderr(&out)
    );
}

/// Issue 14: mail, read locally by its headers: your messages are outreaches, theirs replies,
/// each day once; lists, automatic senders, crowds, strangers and unreadable dates skipped
/// and counted; a second import adds nothing.
#[test]
fn mail_becomes_the_days_you_wrote_and_they_answered() {
    let vault = Sandbox::example();
    vault.beside("mail/input", "mailbox");
    let command = [
        "import",
        "mail",
        "../mailbox/Sent.mbox",
        "../mailbox/Mail",
        "--today",
        DEMO_DAY,
    ];

    // Without `[me]`, nothing is read, and the user is told what to add.
    let out = vault.run(&command);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("[me]\nemails = ["),
        "{}",
        stderr(&out)
    );

    add_me(&vault, &["me@example.org", "Me@Work.example"]);
    let ada = vault.read("People/Ada Quint.md");
    // A dry run shows the lines it would add, and writes nothing.
    let before = mtimes(&vault.vault);
    let mut dry = command.to_vec();
    dry.push("--dry-run");
    let out = vault.run(&dry);
    assert!(
        stdout(&out).contains(
            "+- 2026-01-15 reached out — the build-time numbers (mail, with [[Grace Okafor]])\n"
        ),
        "{}",
        stdout(&out)
    );
    assert_eq!(mtimes(&vault.vault), before);
    let out = vault.run(&command);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_golden(&golden("mail", "import.txt"), &out.stdout);
    // Headers only: no body, and no stranger, reaches the vault.
    for entry in walkdir::WalkDir::new(&vault.vault) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            for body in ["never read", "again the same day", "newsletter", "stranger"] {
                assert!(!text.contains(body), "{body} in {}", entry.path().display());
            }
        }
    }
    assert_golden(
        &golden("mail", "Grace Okafor.md"),
        &vault.bytes("People/Grace Okafor.md"),
    );
    let after = vault.read("People/Ada Quint.md");
    assert_eq!(
        after,
        ada.replacen(
            "tags: [rust, compilers]\n",
            "tags: [rust, compilers]\nlast-touch: 2026-01-15\n",
            1
        ) + "\n- 2026-01-15 reached out — the build-time numbers (mail, with [[Grace Okafor]])\n",
        "one line for two messages of one day; the crowd's day is not there"
    );
    let before = mtimes(&vault.vault);
    let again = vault.run(&command);
    assert!(again.status.success());
    assert!(
        stdout(&again).contains("recorded 0 days in 0 notes"),
        "{}",
        stdout(&again)
    );
    assert_eq!(mtimes(&vault.vault), before);
}

/// The import writes through the same compare-and-swap as `touch`: an editor saving the note
/// meanwhile loses nothing, and the day is recorded once.
#[test]
fn a_mail_import_and_an_editor_at_once_lose_nothing() {
    for _ in 0..3 {
        let vault = Sandbox::empty();
        vault.write(
            ".vault-reach/config.toml",
            "[me]\nemails = [\"me@example.org\"]\n",
        );
        vault.write(
            "People/Ada.md",
            "---\nmet-date: 2020-01-01\ncontext: x\nemail: ada@example.com\n---\n# Ada\n\n## Log\n",
        );
        let mut mbox = String::new();
        for day in 1..=28 {
            use std::fmt::Write as _;
            let _ = write!(
                mbox,
                "From me@example.org Sun Feb {day:2} 10:00:00 2026\nFrom: me@example.org\n\
                 To: ada@example.com\nDate: {day} Feb 2026 10:00:00 +0000\n\nhi\n\n"
            );
        }
        std::fs::write(vault.path("../sent.mbox"), mbox).unwrap();
        std::thread::scope(|s| {
            let vault = &vault;
            s.spawn(move || {
                let out = vault.run(&["-q", "import", "mail", "../sent.mbox", "--today", DEMO_DAY]);
                assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            });
            s.spawn(move || vault.append_edits("People/Ada.md", 20, 2));
        });
        let note = vault.read("People/Ada.md");
        crate::support::assert_edits_kept(&note, 20);
        for day in 1..=28 {
            let line = format!("- 2026-02-{day:02} reached out — by email\n");
            assert_eq!(note.matches(&line).count(), 1, "{line}\n{note}");
        }
    }
}

/// Issue 14: a past one-off meeting you attended with someone in the vault is time together
/// on its day, titled by its summary; recurring, cancelled, future and solo events are not.
#[test]
fn a_calendar_gives_the_days_you_met() {
    let vault = Sandbox::example();
    add_me(&vault, &["me@example.org", "me@work.example"]);
    vault.beside("calendar/input", "calendars");
    // `--since` leaves the older lunch out; the all-hands of 40 is never time with Ada.
    let command = [
        "import",
        "calendar",
        "../calendars",
        "--since",
        "2026-01-01",
        "--today",
        DEMO_DAY,
    ];
    let out = vault.run(&command);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_golden(&golden("calendar", "import.txt"), &out.stdout);
    let ada = vault.read("People/Ada Quint.md");
    assert!(
        ada.contains("- 2026-01-20 met — Coffee with Ada, build times\n"),
        "{ada}"
    );
    let grace = vault.read("People/Grace Okafor.md");
    assert!(
        grace.contains("- 2026-02-12 met — Call about the workshop recording\n"),
        "{grace}"
    );
    assert!(
        !grace.contains("Weekly sync")
            && !grace.contains("Lunch with")
            && !grace.contains("Dinner in")
            && !grace.contains("Old lunch")
    );
    assert!(
        !ada.contains("All-hands") && !ada.contains("Dentist"),
        "{ada}"
    );
    assert_golden(
        &golden("calendar", "Grace Okafor.md"),
        &vault.bytes("People/Grace Okafor.md"),
    );
    let before = mtimes(&vault.vault);
    assert!(vault.run(&command).status.success());
    assert_eq!(mtimes(&vault.vault), before, "a second import adds nothing");
    // Time together counts for the cadence: Grace is no longer due.
    let json = stdout(&vault.run(&["show", "Grace Okafor", "--json", "--today", DEMO_DAY]));
    let grace: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(grace["last_together"], "2026-02-12");
}

/// Issue 14: LinkedIn's `messages.csv`: yours are outreaches, theirs replies, matched by
/// profile (trailing slash, `www`, country, case aside) then by name; `Profile.csv` says
/// which are yours when `[me] linkedin` does not.
#[test]
fn linkedin_messages_become_the_days_you_wrote_and_they_answered() {
    let vault = Sandbox::fixture("import");
    let export = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("linkedin/Connections.csv"),
        export.path().join("Connections.csv"),
    )
    .unwrap();
    std::fs::write(
        export.path().join("messages.csv"),
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER\n\
         c1,,Sam Owner,https://www.linkedin.com/in/sam-owner,Mira Castel,https://www.linkedin.com/in/mira-castel,2026-02-01 09:00:00 UTC,,Hello Mira,INBOX\n\
         c1,,Mira Castel,https://www.linkedin.com/in/MIRA-castel/,Sam Owner,https://www.linkedin.com/in/sam-owner,2026-02-03 10:00:00 UTC,,Hi!,INBOX\n\
         c2,,Someone Else,https://www.linkedin.com/in/someone,Sam Owner,https://www.linkedin.com/in/sam-owner,2026-02-04 10:00:00 UTC,,Buy,INBOX\n",
    )
    .unwrap();
    // Without `[me] linkedin` or Profile.csv, the messages are not read, and the user is told.
    let out = import(&vault, "linkedin", export.path(), &[]);
    assert!(out.contains("messages.csv: not read"), "{out}");
    assert!(!vault.read("People/Mira Castel.md").contains("2026-02-01"));

    std::fs::write(
        export.path().join("Profile.csv"),
        "First Name,Last Name,Maiden Name,Address,Birth Date,Headline\nSam,Owner,,,,Writer\n",
    )
    .unwrap();
    let out = import(&vault, "linkedin", export.path(), &[]);
    assert!(
        out.contains("People/Mira Castel.md: recorded 2 days from your LinkedIn messages\n"),
        "{out}"
    );
    assert!(
        out.contains("read 3 messages: recorded 2 days in 1 note; skipped 1"),
        "{out}"
    );
    let mira = vault.read("People/Mira Castel.md");
    assert!(
        mira.contains("- 2026-02-01 reached out — on LinkedIn\n"),
        "{mira}"
    );
    assert!(
        mira.contains("- 2026-02-03 replied — on LinkedIn\n"),
        "{mira}"
    );
    let before = vault.read("People/Mira Castel.md");
    let again = import(&vault, "linkedin", export.path(), &[]);
    assert!(again.contains("recorded 0 days in 0 notes"), "{again}");
    assert_eq!(vault.read("People/Mira Castel.md"), before);
}

/// Issue 16: people on the same imported message or at the same imported meeting know each
/// other: the Log line links them, and the next draft of either says so, with no other link
/// between their notes.
#[test]
fn co_recipients_and_co_attendees_become_people_you_both_know() {
    let vault = Sandbox::example();
    add_me(&vault, &["me@example.org"]);
    for (name, email) in [
        ("Lena Park", "lena@park.example"),
        ("Marco Bell", "marco@bell.example"),
        ("Ines Roy", "ines@roy.example"),
        ("Otto Kern", "otto@kern.example"),
    ] {
        vault.write(
            &format!("People/{name}.md"),
            &format!(
                "---\nmet-date: 2024-05-02\ncontext: a meetup\nemail: {email}\n---\n# {name}\n"
            ),
        );
    }
    let mail = tempfile::tempdir().unwrap();
    std::fs::write(
        mail.path().join("Sent.mbox"),
        "From me@example.org Mon Feb  2 09:00:00 2026\n\
         From: me@example.org\n\
         To: Lena Park <lena@park.example>, marco@bell.example\n\
         Date: Mon, 2 Feb 2026 09:00:00 +0000\n\
         Subject: the slides\n\nnever kept\n",
    )
    .unwrap();
    std::fs::write(
        mail.path().join("lunch.ics"),
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:l1\r\n\
         SUMMARY:Lunch\r\nDTSTART:20260210T120000Z\r\nDTEND:20260210T130000Z\r\n\
         ORGANIZER:mailto:me@example.org\r\n\
         ATTENDEE;PARTSTAT=ACCEPTED:mailto:ines@roy.example\r\n\
         ATTENDEE;PARTSTAT=ACCEPTED:mailto:otto@kern.example\r\n\
         END:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    let hints = |name: &str| {
        let out = vault.run(&["draft", name, "--today", DEMO_DAY]);
        assert!(out.status.success(), "{}", stderr(&out));
        stderr(&out)
    };
    assert!(!hints("Lena Park").contains("You both know"));
    assert!(!hints("Ines Roy").contains("You both know"));

    import(&vault, "mail", &mail.path().join("Sent.mbox"), &[]);
    import(&vault, "calendar", &mail.path().join("lunch.ics"), &[]);
    assert!(
        vault
            .read("People/Lena Park.md")
            .contains("- 2026-02-02 reached out — the slides (mail, with [[Marco Bell]])\n")
    );
    assert!(
        vault
            .read("People/Otto Kern.md")
            .contains("- 2026-02-10 met — Lunch (with [[Ines Roy]])\n")
    );
    assert!(hints("Lena Park").contains("note: You both know Marco Bell\n"));
    assert!(hints("Marco Bell").contains("note: You both know Lena Park\n"));
    assert!(hints("Ines Roy").contains("note: You both know Otto Kern\n"));
    assert!(hints("Otto Kern").contains("note: You both know Ines Roy\n"));
}
