//! `draft`: the note today.md would suggest for one person, for the terminal (to read, or to
//! pipe into a mail client) or, with `--json`, for scripts.

use std::io::Write as _;
use std::process::ExitCode;

use crate::cli::{DraftArgs, Global};
use crate::view::Roster;

pub fn run(global: &Global, args: &DraftArgs) -> anyhow::Result<ExitCode> {
    let config = super::config(global, None)?;
    let update = crate::config::read_update(&config.vault);
    let loaded = super::load(config)?;
    let (vault, schedule) = (&loaded.vault, &loaded.schedule);
    let i = super::find_to_read(vault, &args.name)?;
    let roster = Roster::with_update(vault, schedule, &loaded.config.settings, update);
    let contact = roster.contact(i);
    let Some(draft) = roster.draft(i) else {
        anyhow::bail!(
            "{} is a loose link: their note does not say when and how you met, so there is \
             nothing to write yet. If you did meet, add `met-date` and `context`; if you cannot \
             place them, `vault-reach let-go \"{}\"`",
            contact.name,
            contact.name
        );
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        #[derive(serde::Serialize)]
        struct Json<'a> {
            name: &'a str,
            email: Option<&'a str>,
            mailto: Option<String>,
            #[serde(flatten)]
            draft: &'a crate::draft::Draft,
            text: String,
        }
        let text = draft.text();
        let json = Json {
            name: &contact.name,
            email: contact.email.as_deref(),
            mailto: contact
                .email
                .as_deref()
                .map(|e| crate::escape::mailto_with(e, &draft.subject, &text)),
            draft: &draft,
            text,
        };
        serde_json::to_writer_pretty(&mut out, &json)?;
        writeln!(out)?;
    } else {
        // A message as a mail client reads one: headers, a blank line, the text.
        let to = match &contact.email {
            Some(email) => format!("{} <{email}>", contact.name),
            None => contact.name.to_string(),
        };
        writeln!(out, "To: {to}")?;
        writeln!(out, "Subject: {}", draft.subject)?;
        writeln!(out)?;
        writeln!(out, "{}", draft.text())?;
        out.flush()?;
        // What only the user needs, apart, so `draft NAME | mail` sends the message alone.
        if !global.quiet {
            for hint in &draft.hints {
                eprintln!("note: {hint}");
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
