//! `render`: one full pass — read the vault, write today.md and index.md.

use std::process::ExitCode;

use crate::cli::{Global, RenderArgs};
use crate::dates::format_date;
use crate::render::Renderer;
use crate::view;
use crate::write::{Outcome, Outputs};

pub fn run(global: &Global, args: &RenderArgs) -> anyhow::Result<ExitCode> {
    let config = super::config(global, args.vault.path.as_deref())?;
    let loaded = super::load(config)?;
    super::report_problems(&loaded.vault, global);
    let mut outputs = Outputs::new(&loaded.config.vault, args.dry_run);
    for (rel, outcome) in write_outputs(&loaded, &mut outputs)? {
        if global.quiet {
            continue;
        }
        let verb = if args.dry_run { "would write" } else { "wrote" };
        match outcome {
            Outcome::Unchanged => {
                if global.verbose > 0 {
                    eprintln!("{rel} is up to date");
                }
            }
            Outcome::Written => eprintln!("{verb} {rel}"),
            Outcome::WrittenWithBackup(backup) => {
                eprintln!(
                    "{verb} {rel} (you had edited it; your version is kept as {})",
                    crate::error::slash_path(&backup)
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Renders both notes and writes those that changed; today.md first, so a failure in the
/// index never holds back today's list.
pub fn write_outputs(
    loaded: &super::Loaded,
    outputs: &mut Outputs,
) -> anyhow::Result<Vec<(String, Outcome)>> {
    let settings = &loaded.config.settings;
    let renderer = Renderer::new(&loaded.config.vault, loaded.config.today)?;
    let stamp = format_date(loaded.config.today);
    let today = renderer.render(
        "today.md",
        view::today_view(&loaded.vault, &loaded.schedule, settings),
    )?;
    let mut done = vec![(
        settings.today_note.clone(),
        outputs.write(&settings.today_note, &today, &stamp)?,
    )];
    let index = renderer.render(
        "index.md",
        view::index_view(&loaded.vault, &loaded.schedule, settings),
    )?;
    done.push((
        settings.index_note.clone(),
        outputs.write(&settings.index_note, &index, &stamp)?,
    ));
    Ok(done)
}
