//! `render`: the generated notes, and the promise never to damage a file.

use crate::support::{DEMO_DAY, Sandbox, mtimes, stderr};

#[test]
fn the_example_vault_renders_as_the_readme_shows() {
    let vault = Sandbox::example();
    let out = vault.run(&["render", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    vault.assert_expected("example/expected");
}

#[test]
fn the_golden_harness_fails_on_a_missing_or_an_extra_file() {
    if std::env::var_os("SNAPSHOTS").is_some() {
        return; // overwriting makes every folder match
    }
    let vault = Sandbox::example();
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    let golden = tempfile::tempdir().unwrap();
    std::fs::copy(
        crate::support::repo().join("tests/fixtures/example/expected/today.md"),
        golden.path().join("today.md"),
    )
    .unwrap();
    // index.md was produced and is not expected; then a file expected and not produced.
    let unexpected = std::panic::catch_unwind(|| vault.assert_expected_in(golden.path()));
    assert!(unexpected.is_err(), "an extra file must fail");
    std::fs::write(golden.path().join("missing.md"), "").unwrap();
    std::fs::copy(
        crate::support::repo().join("tests/fixtures/example/expected/index.md"),
        golden.path().join("index.md"),
    )
    .unwrap();
    let missing = std::panic::catch_unwind(|| vault.assert_expected_in(golden.path()));
    assert!(missing.is_err(), "a missing file must fail");
    std::fs::remove_file(golden.path().join("missing.md")).unwrap();
    vault.assert_expected_in(golden.path());
}

#[test]
fn a_saturday_has_no_quota_and_names_the_next_workday() {
    let vault = Sandbox::example();
    let out = vault.run(&["render", "--today", "2026-03-07"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    vault.assert_expected("saturday/expected");
}

#[test]
fn a_broken_note_is_reported_with_its_line_and_left_byte_identical() {
    let vault = Sandbox::example();
    let before = vault.bytes("People/Edsger Dorn.md");
    let out = vault.run(&["render", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(
        err.contains("People/Edsger Dorn.md:3:10: error: front-matter is not valid YAML"),
        "{err}"
    );
    assert_eq!(vault.bytes("People/Edsger Dorn.md"), before);
    assert!(
        vault
            .read("index.md")
            .contains("- `People/Edsger Dorn.md:3:10`: front-matter is not valid YAML")
    );
}

#[test]
fn a_second_render_writes_nothing() {
    let vault = Sandbox::example();
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    let before = mtimes(&vault.vault);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let out = vault.run(&["render", "--today", DEMO_DAY]);
    assert!(out.status.success());
    assert_eq!(
        stderr(&out)
            .lines()
            .filter(|l| l.starts_with("wrote"))
            .count(),
        0,
        "{}",
        stderr(&out)
    );
    assert_eq!(mtimes(&vault.vault), before);
}

#[test]
fn an_unmarked_today_note_is_left_untouched_with_a_clear_error() {
    let vault = Sandbox::example();
    vault.write("today.md", "# My own today page\n\nNot generated.\n");
    let out = vault.run(&["render", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).lines().last().unwrap(),
        "error: `today.md` exists and was not written by vault-reach (no `generated-by: vault-reach` in its front-matter); \
         it was left untouched: move it away, or set another path in .vault-reach/config.toml"
    );
    assert_eq!(
        vault.read("today.md"),
        "# My own today page\n\nNot generated.\n"
    );
}

#[test]
fn a_generated_note_edited_beyond_its_checkboxes_is_backed_up_first() {
    let vault = Sandbox::example();
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    let edited = vault
        .read("index.md")
        .replace("# Your network", "# Your network\n\nMy own remark.");
    vault.write("index.md", &edited);
    let out = vault.run(&["render", "--today", DEMO_DAY]);
    assert!(out.status.success());
    assert!(stderr(&out).contains("wrote index.md (you had edited it; your version is kept as .vault-reach/backup/index.2026-03-02.md)"), "{}", stderr(&out));
    assert_eq!(
        vault.read(".vault-reach/backup/index.2026-03-02.md"),
        edited
    );
    assert!(!vault.read("index.md").contains("My own remark."));
}

#[test]
fn ticking_a_box_alone_is_not_an_edit_to_back_up() {
    let vault = Sandbox::example();
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    let next_day = "2026-03-03";
    let ticked = vault.read("today.md").replacen("- [ ]", "- [x]", 1);
    vault.write("today.md", &ticked);
    assert!(vault.run(&["render", "--today", next_day]).status.success());
    assert!(!vault.path(".vault-reach/backup").exists());
}

#[cfg(unix)]
#[test]
fn outputs_keep_their_permissions() {
    use std::os::unix::fs::PermissionsExt as _;
    let vault = Sandbox::example();
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    std::fs::set_permissions(
        vault.path("today.md"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    assert!(
        vault
            .run(&["render", "--today", "2026-03-03"])
            .status
            .success()
    );
    let mode = std::fs::metadata(vault.path("today.md"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
}

#[test]
fn dry_run_writes_nothing() {
    let vault = Sandbox::example();
    let out = vault.run(&["render", "--today", DEMO_DAY, "--dry-run"]);
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("would write today.md"),
        "{}",
        stderr(&out)
    );
    assert!(!vault.path("today.md").exists());
    assert!(!vault.path(".vault-reach/generated.json").exists());
    assert!(!vault.path("../state").exists(), "no device state either");
}

/// Issue 18: the ledger lived in the vault's `.vault-reach/`, which sync engines carry to
/// every device (and make conflict copies of).
#[test]
fn what_a_device_keeps_about_the_vault_stays_out_of_it() {
    let vault = Sandbox::example();
    let config = vault.read(".vault-reach/config.toml");
    let out = vault.run(&["render", "--today", DEMO_DAY]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut entries: Vec<_> = std::fs::read_dir(vault.path(".vault-reach"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    entries.sort();
    // The user's own files only: the settings and the news of the day.
    assert_eq!(entries, ["config.toml", "update.md"]);
    assert_eq!(vault.read(".vault-reach/config.toml"), config);
    let ledger = vault.device_state().join("generated.json");
    let text = std::fs::read_to_string(&ledger).unwrap();
    assert!(
        text.contains("\"today.md\"") && text.contains("\"index.md\""),
        "{text}"
    );
    // The folder is named after the vault, so a person looking in the state folder can tell.
    let name = vault
        .device_state()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(name.starts_with("vault-"), "{name}");
}

/// Ledgers written before the XXH3 fingerprints hold 64-bit FNV-1a ones: an output they
/// vouch for is rewritten without a backup, and the ledger takes the new kind.
#[test]
fn outputs_an_earlier_version_fingerprinted_are_not_taken_for_edits() {
    fn fnv(text: &str) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in text.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{hash:016x}")
    }
    let vault = Sandbox::example();
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    let ledger = vault.device_state().join("generated.json");
    // What an earlier version wrote: the fingerprint of each output with its ticks undone.
    let old = format!(
        "{{\n  \"index.md\": \"{}\",\n  \"today.md\": \"{}\"\n}}\n",
        fnv(&vault.read("index.md")),
        fnv(&vault.read("today.md").replace("- [x]", "- [ ]"))
    );
    std::fs::write(&ledger, &old).unwrap();
    let out = vault.run(&["render", "--today", "2026-03-03"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("you had edited it"),
        "{}",
        stderr(&out)
    );
    assert!(!vault.path(".vault-reach/backup").exists());
    let now = std::fs::read_to_string(&ledger).unwrap();
    assert_eq!(now.matches("\"xxh3:").count(), 2, "{now}");
}

/// Issue 18: an earlier version's ledger in the vault is read once, so its outputs are not
/// taken for the user's edits, and a notice says the old files may go.
#[test]
fn a_ledger_left_in_the_vault_by_an_earlier_version_is_taken_over() {
    let vault = Sandbox::example();
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    let ledger = vault.device_state().join("generated.json");
    std::fs::rename(&ledger, vault.path(".vault-reach/generated.json")).unwrap();
    std::fs::remove_dir_all(vault.device_state()).unwrap();
    let out = vault.run(&["render", "--today", "2026-03-03"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(!err.contains("you had edited it"), "{err}");
    assert!(!vault.path(".vault-reach/backup").exists());
    assert!(
        err.contains("note: `.vault-reach/generated.json` in the vault is no longer used"),
        "{err}"
    );
    assert!(vault.device_state().join("generated.json").is_file());
    assert!(
        vault.path(".vault-reach/generated.json").is_file(),
        "never deleted by us"
    );
}

#[test]
fn a_broken_template_override_names_its_file_and_line() {
    let vault = Sandbox::example();
    vault.write(
        ".vault-reach/templates/today.md",
        "# {{ date }}\n\n{% for p in picks %}\n- {{ p.name }\n",
    );
    let out = vault.run(&["render", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(
        err.lines().last().unwrap(),
        "error: .vault-reach/templates/today.md:4: syntax error: unexpected `}`, expected end of variable block"
    );
    assert!(!vault.path("today.md").exists());
}

#[test]
fn an_undefined_value_in_a_template_is_an_error_not_a_blank() {
    let vault = Sandbox::example();
    vault.write(
        ".vault-reach/templates/index.md",
        "---\ngenerated-by: vault-reach\n---\n{{ stats.contcts }}\n",
    );
    let out = vault.run(&["render", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(".vault-reach/templates/index.md:4: undefined value"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_index_row_template_can_be_overridden_and_its_errors_are_named() {
    let vault = Sandbox::example();
    vault.write(
        ".vault-reach/templates/index-row.md",
        "| {{ p.name | upper }} | {{ p.due or \"never\" }} |\n",
    );
    let out = vault.run(&["render", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let index = std::fs::read_to_string(vault.path("index.md")).unwrap();
    assert!(index.contains("\n| ADA QUINT | 2026-02-20 |\n"), "{index}");

    // An index.md of one's own reaches the rows by any spelling.
    vault.write(
        ".vault-reach/templates/index.md",
        "---\ngenerated-by: vault-reach\n---\n{% for p in people %}\n{{ p[\"row\"] }}\n{% endfor %}\n",
    );
    let out = vault.run(&["render", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let index = std::fs::read_to_string(vault.path("index.md")).unwrap();
    assert!(
        index.contains("---\n| ADA QUINT | 2026-02-20 |\n| ALAN BRANDT |"),
        "{index}"
    );

    // `rows` is that loop, written in one piece.
    vault.write(
        ".vault-reach/templates/index.md",
        "---\ngenerated-by: vault-reach\n---\n{% for p in people %}\n{{ p.row }}\n{% endfor %}\n===\n{% if rows %}\n{{ rows }}\n{% endif %}\n",
    );
    let out = vault.run(&["render", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let index = std::fs::read_to_string(vault.path("index.md")).unwrap();
    let body = index
        .split_once("---\n")
        .unwrap()
        .1
        .split_once("---\n")
        .unwrap()
        .1;
    let (looped, joined) = body.split_once("===\n").unwrap();
    assert!(
        looped.starts_with("| ADA QUINT |") && looped.lines().count() > 3,
        "{index}"
    );
    assert_eq!(looped, joined);
    std::fs::remove_file(vault.path(".vault-reach/templates/index.md")).unwrap();

    vault.write(".vault-reach/templates/index-row.md", "| {{ p.name }\n");
    let out = vault.run(&["render", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).lines().last().unwrap(),
        "error: .vault-reach/templates/index-row.md:1: syntax error: unexpected `}`, expected end of variable block"
    );
}

#[test]
fn a_bad_config_key_is_named_with_its_line() {
    let vault = Sandbox::example();
    vault.write(
        ".vault-reach/config.toml",
        "daily = 4\ncadance = \"3 months\"\n",
    );
    let out = vault.run(&["render", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: .vault-reach/config.toml:2:1: unknown field `cadance`"),
        "{err}"
    );
}

#[test]
fn a_note_sharing_its_stem_is_linked_by_path() {
    let vault = Sandbox::example();
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    let index = vault.read("index.md");
    assert!(
        index.contains("[[People/Personal/Sam Rivera\\|Sam Rivera]]"),
        "{index}"
    );
    assert!(
        index.contains("[[People/Work/Sam Rivera\\|Sam Rivera]]"),
        "{index}"
    );
}

#[test]
fn custom_output_paths_are_honoured_and_not_read_as_contacts() {
    let vault = Sandbox::example();
    vault.write(
        ".vault-reach/config.toml",
        "daily = 4\ntoday = \"Daily/Today.md\"\nindex = \"Network.md\"\n",
    );
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    assert!(
        vault
            .read("Daily/Today.md")
            .starts_with("---\ngenerated-by: vault-reach\ndate: 2026-03-02\n---\n")
    );
    assert!(vault.read("Network.md").contains("| Contacts | 16 |"));
}

/// Issue 12: a FIFO or a link to `/dev/zero` at an output path blocked `render` forever.
#[cfg(unix)]
#[test]
fn a_pipe_or_a_device_at_an_output_path_is_an_error_not_a_hang() {
    let vault = Sandbox::example();
    let status = std::process::Command::new("mkfifo")
        .arg(vault.path("today.md"))
        .status()
        .unwrap();
    assert!(status.success());
    std::os::unix::fs::symlink("/dev/zero", vault.path("index.md")).unwrap();
    let out = vault
        .cmd()
        .args(["render", "--today", DEMO_DAY])
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("`today.md` is not a regular file"),
        "{}",
        stderr(&out)
    );
    // A FIFO in the notes is reported, not waited on.
    std::fs::remove_file(vault.path("today.md")).unwrap();
    std::fs::remove_file(vault.path("index.md")).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(vault.path("People/Pipe.md"))
        .status()
        .unwrap();
    assert!(status.success());
    let out = vault
        .cmd()
        .args(["render", "--today", DEMO_DAY])
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// Issue 12: the backup of an edited today.md must be what the user saved, byte for byte,
/// even bytes that are not UTF-8. Issue 15: it is named after the list it was (2 March),
/// not the day it was replaced.
#[test]
fn a_backup_keeps_the_users_bytes_exactly() {
    let vault = Sandbox::example();
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    let mut edited = vault.bytes("today.md");
    edited.extend_from_slice(b"\nmy own line \xff\xfe not UTF-8\n");
    std::fs::write(vault.path("today.md"), &edited).unwrap();
    let out = vault.run(&["render", "--today", "2026-03-03"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        vault.bytes(".vault-reach/backup/today.2026-03-02.md"),
        edited
    );
}

/// Issue 18: two devices whose dates differ (time zones, the minutes around midnight)
/// replaced each other's today.md forever, backing each other up. The one behind leaves it.
#[test]
fn a_today_md_for_a_later_day_is_never_replaced_by_an_earlier_one() {
    let vault = Sandbox::example();
    assert!(
        vault
            .run(&["render", "--today", "2026-03-03"])
            .status
            .success()
    );
    let later = vault.bytes("today.md");
    let out = vault.run(&["render", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "today.md is the list for 2026-03-03, a later day than this device's 2026-03-02; it is left as it is"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(vault.bytes("today.md"), later);
    assert!(!vault.path(".vault-reach/backup").exists());
}

/// Issue 18: with `writer` set, only that device records ticks and writes the outputs; the
/// others say which device writes, and change nothing (and `today` still works there).
#[cfg(target_os = "linux")]
#[test]
fn only_the_named_writer_records_and_writes() {
    let vault = Sandbox::example();
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    let ticked = vault.read("today.md").replacen("- [ ]", "- [x]", 1);
    vault.write("today.md", &ticked);
    let config = vault.read(".vault-reach/config.toml");
    vault.write(
        ".vault-reach/config.toml",
        &format!("{config}\nwriter = \"always-on-box\"\n"),
    );
    let before = mtimes(&vault.vault);
    for command in ["render", "watch"] {
        // A timeout: a watcher that did not stop would watch forever.
        let out = vault
            .cmd()
            .args([command, "--today", "2026-03-03"])
            .timeout(std::time::Duration::from_secs(30))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!(
                "`{command}` records and writes nothing on this device"
            )),
            "{}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains("writer is `always-on-box`"),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(mtimes(&vault.vault), before);
    assert_eq!(vault.read("today.md"), ticked);
    assert!(
        vault
            .run(&["today", "--today", "2026-03-03"])
            .status
            .success()
    );

    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    let host = host.trim().to_uppercase();
    vault.write(
        ".vault-reach/config.toml",
        &format!("{config}\nwriter = \"{host}.local\"\n"),
    );
    let out = vault.run(&["render", "--today", "2026-03-03"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("recorded that you reached out"),
        "{}",
        stderr(&out)
    );
}

/// Issue 12: generated notes are replaced by new files, which lost their extended attributes.
#[cfg(unix)]
#[test]
fn rewritten_outputs_keep_their_extended_attributes() {
    let vault = Sandbox::example();
    if !crate::support::user_xattrs_in(&vault.vault) {
        return;
    }
    assert!(vault.run(&["render", "--today", DEMO_DAY]).status.success());
    for page in ["today.md", "index.md"] {
        xattr::set(vault.path(page), "user.test", page.as_bytes()).unwrap();
    }
    let before = vault.read("today.md");
    let out = vault.run(&["render", "--today", "2026-03-03"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_ne!(vault.read("today.md"), before);
    for page in ["today.md", "index.md"] {
        let value = xattr::get(vault.path(page), "user.test").unwrap();
        assert_eq!(value.as_deref(), Some(page.as_bytes()), "{page}");
    }
}

/// Issue 12: a run killed between creating a temporary file and renaming it left the file
/// (23 after 739 SIGKILLs), never cleaned. `render` removes ours, by exact name, over an hour
/// old, in the vault's folders and its own; nothing else.
#[test]
fn stale_temporary_files_of_ours_are_removed_and_nothing_else() {
    let vault = Sandbox::example();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 60 * 60);
    let make = |rel: &str, when: std::time::SystemTime| {
        vault.write(rel, "half a note");
        std::fs::File::options()
            .write(true)
            .open(vault.path(rel))
            .unwrap()
            .set_modified(when)
            .unwrap();
    };
    let stale = [
        ".vault-reach.Ab12Cd",
        "People/.vault-reach.q9ZxY0",
        "People/Work/.vault-reach.000000",
        ".vault-reach/backup/.vault-reach.Bk1234",
    ];
    let kept = [
        "People/.vault-reach.Ab12Cd.md",
        "People/.vault-reach.Ab12C",
        "People/vault-reach.Ab12Cd",
        "People/.vault-reach-Ab12Cd",
        ".obsidian/.vault-reach.Ab12Cd",
    ];
    for rel in stale.iter().chain(&kept) {
        make(rel, old);
    }
    make("People/.vault-reach.Fresh1", std::time::SystemTime::now());
    let out = vault.run(&["render", "--today", DEMO_DAY]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    let said: Vec<&str> = err.lines().filter(|l| l.contains("temporary")).collect();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].starts_with("removed 4 temporary files"), "{said:?}");
    for rel in stale {
        assert!(!vault.path(rel).exists(), "{rel} is still there");
    }
    for rel in kept.iter().chain(&["People/.vault-reach.Fresh1"]) {
        assert_eq!(vault.read(rel), "half a note", "{rel}");
    }
    // Nothing left to remove: nothing said.
    let out = vault.run(&["render", "--today", DEMO_DAY]);
    assert!(!stderr(&out).contains("temporary"), "{}", stderr(&out));
}

/// index.md's rows are joined into the page after rendering when the template prints them as
/// they are; a template that transforms them renders them itself, and both give the page the
/// template says.
#[test]
fn index_rows_joined_in_are_what_the_template_would_print() {
    let vault = Sandbox::example();
    let render_with = |body: &str| {
        vault.write(
            ".vault-reach/templates/index.md",
            &format!("---\ngenerated-by: vault-reach\n---\n{body}"),
        );
        let _ = std::fs::remove_file(vault.path("index.md"));
        let out = vault.run(&["render", "--today", DEMO_DAY]);
        assert!(out.status.success(), "{}", stderr(&out));
        let page = vault.read("index.md");
        page["---\ngenerated-by: vault-reach\n---\n".len()..].to_owned()
    };
    let plain = render_with("{% for i in [1, 2] %}{{ rows }}\n{% endfor %}");
    let rows = plain.split('\n').count() / 2;
    assert!(rows > 10, "{plain}");
    assert_eq!(plain.matches("[[Ada Quint]]").count(), 2, "{plain}");
    assert!(plain.starts_with("| "), "{plain}");
    assert!(!plain.contains('\0'), "no marker is left: {plain:?}");
    // A filter's result is text again, escaped as every value is: the engine's page.
    let upper = render_with("{% for i in [1, 2] %}{{ rows | upper }}\n{% endfor %}");
    assert_eq!(upper.matches("\\| [[ADA QUINT]] \\|").count(), 2, "{upper}");
    let filtered = render_with(
        "{% for i in [1, 2] %}{% filter upper %}{{ rows }}{% endfilter %}\n{% endfor %}",
    );
    assert_eq!(
        filtered.matches("\\| [[ADA QUINT]] \\|").count(),
        2,
        "{filtered}"
    );
    assert_eq!(render_with("{% if rows %}yes{% endif %}"), "yes");
}
