//! `new`: a contact note for someone you have met, from the `contact.md` template.

use std::io::Write as _;
use std::process::ExitCode;

use crate::cli::{Global, NewArgs};
use crate::error::slash_path;
use crate::import::new_note::{NewContact, one_line, render_note, taken_names};
use crate::model::date::format_date;
use crate::vault::Vault;

pub fn run(global: &Global, args: &NewArgs) -> anyhow::Result<ExitCode> {
    // The name first: with no name, "missing --met" would send the user to fix the wrong thing.
    if one_line(&args.name).trim().is_empty() {
        anyhow::bail!(
            "a new note needs a name: `vault-reach new \"Ada Quint\" --met … --context …`"
        );
    }
    let no_context = args.context.as_deref().is_none_or(|c| c.trim().is_empty());
    if !args.loose && (args.met.is_none() || no_context) {
        // The first rule: a note is for someone you have met. Say which half is missing.
        let missing = match (args.met.is_none(), no_context) {
            (true, true) => "--met and --context (when and how you met)",
            (true, false) => "--met (when you met)",
            _ => "--context (how you met)",
        };
        anyhow::bail!(
            "missing {missing}. Add it, or use --loose to create the note as a loose link, \
             listed until you say when and how you met"
        );
    }
    let config = super::config(global, None)?;
    if let Some(met) = args.met.filter(|&d| d > config.today) {
        anyhow::bail!(
            "`--met {met}` is after today ({}): the note is for someone you have met",
            config.today
        );
    }
    let vault = Vault::load(&config.vault, &config.settings, &config.reading())?;
    if let Ok(i) = vault.find_named(&args.name) {
        anyhow::bail!(
            "`{}` already has a note: `{}`",
            args.name,
            slash_path(&vault.contacts[i].path)
        );
    }
    let folder = config.settings.new_notes_folder().to_owned();
    let stem = crate::names::safe_file_stem(&args.name);
    let taken = taken_names(&config.vault.join(&folder));
    if taken.contains(&crate::names::collision_key(&format!("{stem}.md"))) {
        anyhow::bail!("`{folder}/{stem}.md` already exists; vault-reach never overwrites a note");
    }
    let rel = format!("{folder}/{stem}.md");
    // A property is one line: a newline typed into a flag (`--company $'Acme\n…'`) is a
    // space, as in what `import` writes.
    let line = |value: &Option<String>| value.as_deref().map(one_line);
    let contact = NewContact {
        name: one_line(&args.name),
        met: args.met.map(format_date),
        context: line(&args.context),
        email: line(&args.email),
        company: line(&args.company),
        role: line(&args.role),
        linkedin: line(&args.linkedin),
        birthday: args.birthday.map(crate::import::new_note::format_birthday),
        cadence: args.cadence.map(|c| c.to_string()),
        tags: args.tags.iter().map(|t| one_line(t)).collect(),
        // A name its file name cannot hold (`AC/DC Fan` is `AC-DC Fan.md`) is kept as an
        // alias, so `touch "AC/DC Fan"` finds the note by the name it was made with.
        aliases: (stem != one_line(&args.name).trim())
            .then(|| one_line(&args.name).trim().to_owned())
            .into_iter()
            .collect(),
        ..NewContact::default()
    };
    let text = render_note(&config.vault, config.today, &rel, &contact)?;
    if args.dry_run {
        writeln!(std::io::stdout(), "would create {rel}:")?;
        write!(std::io::stdout(), "{text}")?;
    } else {
        crate::write::create_new(&config.vault.join(&rel), &text)?;
        if !global.quiet {
            writeln!(std::io::stdout(), "created {rel}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
