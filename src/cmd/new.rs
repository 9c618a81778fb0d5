//! `new`: a contact note for someone you have met, from the `contact.md` template.

use std::process::ExitCode;

use serde::Serialize;

use crate::cli::{Global, NewArgs};
use crate::error::slash_path;
use crate::model::date::format_date;
use crate::note::{Parsed, parse_note};
use crate::render::Renderer;
use crate::vault::Vault;

/// What the `contact.md` template is given; `import` fills more of it than `new`.
#[derive(Debug, Default, Serialize)]
pub struct NewContact {
    pub name: String,
    pub met: Option<String>,
    pub context: Option<String>,
    pub email: Option<String>,
    pub company: Option<String>,
    pub role: Option<String>,
    pub linkedin: Option<String>,
    pub connected_on: Option<String>,
    pub birthday: Option<String>,
    pub phone: Option<String>,
    pub source: Option<String>,
    pub tags: Vec<String>,
    /// Log lines, without their bullet.
    pub log: Vec<String>,
}

pub fn run(global: &Global, args: &NewArgs) -> anyhow::Result<ExitCode> {
    if !args.loose
        && (args.met.is_none() || args.context.as_deref().is_none_or(|c| c.trim().is_empty()))
    {
        anyhow::bail!(
            "say when and how you met: `--met YYYY-MM-DD --context \"…\"`; vault-reach's first rule is to link \
             only with people you have actually met or been in contact with (use --loose to create the note \
             anyway; it is then listed as a loose link until you add them)"
        );
    }
    let config = super::config(global, None)?;
    let vault = Vault::load(&config.vault, &config.settings)?;
    if let Ok(i) = vault.names().find(&vault.contacts, &args.name) {
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
    let contact = NewContact {
        name: args.name.trim().to_owned(),
        met: args.met.map(format_date),
        context: args.context.clone(),
        email: args.email.clone(),
        company: args.company.clone(),
        role: args.role.clone(),
        tags: args.tags.clone(),
        ..NewContact::default()
    };
    let text = render_note(&config.vault, config.today, &rel, &contact)?;
    if args.dry_run {
        println!("would create {rel}:");
        print!("{text}");
    } else {
        crate::write::create_new(&config.vault.join(&rel), &text)?;
        println!("created {rel}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Renders `contact.md` for `contact` and checks the result reads back as that contact, so a
/// broken template override never writes a note vault-reach cannot read.
pub fn render_note(
    vault: &std::path::Path,
    today: chrono::NaiveDate,
    rel: &str,
    contact: &NewContact,
) -> anyhow::Result<String> {
    let text = Renderer::new(vault, today)?.render("contact.md", contact)?;
    match parse_note(std::path::Path::new(rel), &text, true) {
        Parsed::Contact(read, problems) if problems.is_empty() => {
            let same = read.met_date.map(format_date) == contact.met
                && read.context.as_deref().map(str::trim)
                    == contact.context.as_deref().map(str::trim)
                && read.email == contact.email;
            anyhow::ensure!(
                same,
                "the contact.md template did not keep the contact's `met-date`, `context` or `email`; nothing was written"
            );
            Ok(text)
        }
        Parsed::Contact(_, problems) => anyhow::bail!(
            "the contact.md template made a note with problems, so nothing was written: {}",
            problems[0]
        ),
        Parsed::Unreadable(problem) => {
            anyhow::bail!(
                "the contact.md template made a note that cannot be read, so nothing was written: {problem}"
            )
        }
        Parsed::NotAContact | Parsed::Template => {
            anyhow::bail!(
                "the contact.md template did not make a contact note, so nothing was written"
            )
        }
    }
}

/// The names in `folder`, as a case-insensitive file system compares them.
pub fn taken_names(folder: &std::path::Path) -> std::collections::HashSet<String> {
    std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| crate::names::collision_key(&e.file_name().to_string_lossy()))
                .collect()
        })
        .unwrap_or_default()
}
