//! The minijinja environment: built-in templates, per-vault overrides, and our filters.
//!
//! Templates only format; `view` computes. A broken template is an error with its path and
//! line, never a silently blank note.

use std::borrow::Cow;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use minijinja::value::{Kwargs, Value};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State, UndefinedBehavior};
use rayon::prelude::*;

use crate::escape;
use crate::view::Roster;

/// Folder of a vault's template overrides, relative to the vault.
pub const OVERRIDES: &str = ".vault-reach/templates";

/// The templates compiled into the binary; each can be overridden by a file of the same name
/// in [`OVERRIDES`].
pub const BUILT_IN: [(&str, &str); 4] = [
    ("today.md", include_str!("../templates/today.md")),
    ("index.md", include_str!("../templates/index.md")),
    // One person's line in index.md's table (`p.row` there): rendered apart so the rows can be
    // rendered on all cores, and `watch` re-renders only the rows of people who changed.
    ("index-row.md", include_str!("../templates/index-row.md")),
    ("contact.md", include_str!("../templates/contact.md")),
];

/// A template that could not be read, compiled or rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("{}: cannot read the template: {source}", .path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("{place}: {message}")]
    Template { place: String, message: String },
}

/// One person's index.md row.
#[derive(Debug, Clone)]
pub struct Row {
    pub text: Arc<str>,
    /// Rendered from the person's own note and status alone (the built-in row is): it stands
    /// for as long as they do. A row template that shows who links with the person, or
    /// their draft, depends on other notes too, and such a row is rendered every time.
    pub own: bool,
}

/// Templates ready to render, for one vault and one day.
pub struct Renderer {
    env: Environment<'static>,
    /// Where each template came from, for error messages.
    origins: Vec<(String, String)>,
    today: NaiveDate,
}

impl Renderer {
    /// Loads the built-in templates and `vault`'s overrides; `today` anchors relative dates.
    pub fn new(vault: &Path, today: NaiveDate) -> Result<Renderer, RenderError> {
        let mut env = environment(today);
        let syntax = minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .map_err(|e| RenderError::Template {
                place: "templates".into(),
                message: e.to_string(),
            })?;
        env.set_syntax(syntax);
        let mut origins = Vec::new();
        for (name, built_in) in BUILT_IN {
            let path = vault.join(OVERRIDES).join(name);
            let (source, origin) = match std::fs::read_to_string(&path) {
                Ok(text) => (Cow::Owned(text), format!("{OVERRIDES}/{name}")),
                Err(err) if err.kind() == io::ErrorKind::NotFound => {
                    (Cow::Borrowed(built_in), format!("built-in template {name}"))
                }
                Err(source) => return Err(RenderError::Read { path, source }),
            };
            origins.push((name.to_owned(), origin));
            env.add_template_owned(name, source.into_owned())
                .map_err(|e| template_error(&origins, &e))?;
        }
        Ok(Renderer {
            env,
            origins,
            today,
        })
    }

    /// True when index.md may show `p.row`, the rows [`Renderer::render_rows`] renders. Any
    /// mention of `row` counts (`p.row`, `p["row"]`): rendering rows no one shows costs time,
    /// while missing rows that are shown would be an error.
    pub fn index_uses_rows(&self) -> bool {
        self.env
            .get_template("index.md")
            .is_ok_and(|t| t.source().contains("row"))
    }

    /// Renders every person's index-row.md into `roster` (as `p.row`), on all cores.
    /// (`watch` keeps the rows of unchanged people instead: [`crate::watch::Memo`].)
    pub fn render_rows(&self, roster: &Arc<Roster>) -> Result<(), RenderError> {
        let template = self.row_template()?;
        let rows = (0..roster.len())
            .into_par_iter()
            .map(|i| self.render_row(&template, roster, i).map(|row| row.text))
            .collect::<Result<Vec<Arc<str>>, RenderError>>()?;
        roster.set_rows(Arc::new(rows));
        Ok(())
    }

    /// The template of one index.md row.
    pub fn row_template(&self) -> Result<minijinja::Template<'_, '_>, RenderError> {
        self.env
            .get_template("index-row.md")
            .map_err(|e| template_error(&self.origins, &e))
    }

    /// The day relative dates are written from.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// Person `i`'s index.md row, from `template` ([`Renderer::row_template`]).
    pub fn render_row(
        &self,
        template: &minijinja::Template<'_, '_>,
        roster: &Arc<Roster>,
        i: usize,
    ) -> Result<Row, RenderError> {
        let (person, looked_beyond) = roster.person_watched(i);
        let mut row = template
            .render(minijinja::context! { p => person })
            .map_err(|e| template_error(&self.origins, &e))?;
        // The template is a line of a file; the loop in index.md places the newline.
        if row.ends_with('\n') {
            row.pop();
            if row.ends_with('\r') {
                row.pop();
            }
        }
        Ok(Row {
            text: Arc::from(row),
            own: !looked_beyond.load(std::sync::atomic::Ordering::Relaxed),
        })
    }

    /// Renders template `name` with `context`.
    pub fn render<S: serde::Serialize>(
        &self,
        name: &str,
        context: S,
    ) -> Result<String, RenderError> {
        self.render_sized(name, context, 0)
    }

    /// [`Renderer::render`] into a buffer of `capacity` bytes from the start: index.md is
    /// megabytes at 30,000 notes, and growing a string to that size by doubling copied it
    /// and faulted its pages in again at every step (a tenth of a `watch` pass).
    pub fn render_sized<S: serde::Serialize>(
        &self,
        name: &str,
        context: S,
        capacity: usize,
    ) -> Result<String, RenderError> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| template_error(&self.origins, &e))?;
        let mut out = Vec::with_capacity(capacity);
        template
            .render_captured_to(Value::from(minijinja::value::Serde(context)), &mut out)
            .map_err(|e| template_error(&self.origins, &e))?;
        // minijinja writes only the `str`s of the template and of values.
        String::from_utf8(out).map_err(|e| RenderError::Template {
            place: name.to_owned(),
            message: e.to_string(),
        })
    }

    /// index.md, its rows joined into the page here rather than by the template engine
    /// when the template only prints them as they are (`{{ rows }}`, and tests them at most):
    /// at 30,000 notes they are 3 MB, which minijinja would write piece by piece into a buffer
    /// then checked again as UTF-8, a third of a `watch` pass. The page is rendered with a
    /// marker where the rows go, one no value can hold (a line break, which every value loses,
    /// and a number drawn for this run), and each marker is replaced by the rows. Any other
    /// use of `rows` renders the usual way.
    pub fn render_index(
        &self,
        mut view: crate::view::IndexView<'_>,
        roster: &Roster,
        order: &[usize],
    ) -> Result<String, RenderError> {
        let rows = roster.rows().filter(|_| !order.is_empty());
        let rows_len = rows.map_or(0, |rows| {
            order.iter().map(|&i| rows[i].len() + 1).sum::<usize>()
        });
        let plain = self
            .env
            .get_template("index.md")
            .is_ok_and(|t| prints_rows_plainly(t.source()));
        // The page around the rows is a few hundred lines.
        let page_size = 64 * 1024;
        if !plain {
            return self.render_sized("index.md", view, rows_len + page_size);
        }
        let marker = rows_marker();
        view.rows = Value::from_safe_string(if rows.is_some() {
            marker.clone()
        } else {
            String::new()
        });
        let page = self.render_sized("index.md", view, page_size)?;
        let Some(rows) = rows else {
            return Ok(page);
        };
        let pieces: Vec<&str> = page.split(marker.as_str()).collect();
        let mut out = String::with_capacity(page.len() + (pieces.len() - 1) * rows_len);
        for (n, piece) in pieces.iter().enumerate() {
            if n > 0 {
                // A `String` takes every write.
                let _ = crate::view::join_rows(&mut out, rows, order);
            }
            out.push_str(piece);
        }
        Ok(out)
    }
}

/// Where [`Renderer::render_index`] puts the rows until it joins them in: a line break (no
/// value prints one) around a number drawn for this run.
fn rows_marker() -> String {
    use std::hash::BuildHasher as _;
    let random = std::collections::hash_map::RandomState::new();
    format!(
        "\n\u{0}vault-reach rows {:016x}{:016x}\u{0}\n",
        random.hash_one(1u8),
        random.hash_one(2u8)
    )
}

/// Does the template `source` use `rows` only to print it as it is (`{{ rows }}`) and to
/// test it (`{% if rows %}`, `{% elif not rows %}`)? Then printing the rows and joining them
/// in afterwards give the same page. A filter, a capture (`set`, `call`, `macro`), another
/// template (`include`, `import`, `extends`, blocks) or any other expression naming `rows`
/// could change or measure them, so the template renders them itself. Deliberately
/// strict: a false "no" costs only time.
fn prints_rows_plainly(source: &str) -> bool {
    let mut rest = source;
    let mut printed = false;
    while let Some(open) = rest.find('{') {
        rest = &rest[open..];
        let (close, is_print) = if rest.starts_with("{{") {
            ("}}", true)
        } else if rest.starts_with("{%") {
            ("%}", false)
        } else if rest.starts_with("{#") {
            ("#}", false)
        } else {
            rest = &rest[1..];
            continue;
        };
        let Some(end) = rest.find(close) else {
            return false;
        };
        let is_comment = rest.starts_with("{#");
        let inner = rest[2..end].trim_matches(['-', '+', '~']).trim();
        rest = &rest[end + 2..];
        if is_comment {
            continue;
        }
        if is_print {
            if inner == "rows" {
                printed = true;
            } else if names_rows(inner) {
                return false;
            }
            continue;
        }
        let (tag, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        match tag {
            "raw" => {
                // What a raw block holds is text, whatever it says.
                let Some(end) = rest.find("endraw") else {
                    return false;
                };
                rest = &rest[end..];
            }
            "filter" | "set" | "call" | "macro" | "include" | "import" | "from" | "extends"
            | "block" | "with" | "autoescape" => return false,
            "if" | "elif" if names_rows(args) && !matches!(args.trim(), "rows" | "not rows") => {
                return false;
            }
            "if" | "elif" => {}
            _ if names_rows(args) => return false,
            _ => {}
        }
    }
    printed
}

/// Does `expression` name `rows` (as a name, not inside another word)?
fn names_rows(expression: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    expression
        .match_indices("rows")
        .any(|(at, _)| !expression[..at].ends_with(word) && !expression[at + 4..].starts_with(word))
}

fn template_error(origins: &[(String, String)], err: &Error) -> RenderError {
    let name = err.name().unwrap_or("template");
    let origin = origins
        .iter()
        .find(|(n, _)| n == name)
        .map_or(name, |(_, o)| o.as_str());
    let place = match err.line() {
        Some(line) => format!("{origin}:{line}"),
        None => origin.to_owned(),
    };
    let mut message = err.kind().to_string();
    if let Some(detail) = err.detail() {
        message = format!("{message}: {detail}");
    }
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        message = format!("{message}: {inner}");
        source = inner.source();
    }
    RenderError::Template { place, message }
}

fn parse(value: &str) -> Result<NaiveDate, Error> {
    crate::model::date::parse_date(value).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("`{value}` is not a date like 2026-03-02"),
        )
    })
}

/// "today", "yesterday", "3 days ago", "2 weeks ago", "5 months ago", "2 years ago",
/// and "in 3 days" for the future.
pub fn ago(date: NaiveDate, today: NaiveDate) -> String {
    let days = (today - date).num_days();
    if days < 0 {
        return match -days {
            1 => "tomorrow".into(),
            n => format!("in {n} days"),
        };
    }
    let month_index = |d: NaiveDate| d.year() * 12 + i32::try_from(d.month0()).unwrap_or(0);
    let months = month_index(today) - month_index(date) - i32::from(today.day() < date.day());
    match days {
        0 => "today".into(),
        1 => "yesterday".into(),
        2..=13 => format!("{days} days ago"),
        14..=59 => format!("{} weeks ago", days / 7),
        _ if months < 12 => format!("{} months ago", months.max(2)),
        _ if months < 24 => "a year ago".into(),
        _ => format!("{} years ago", months / 12),
    }
}

/// "Wednesday 25 November", with the year when it is not `today`'s.
pub fn long_date(date: NaiveDate, today: NaiveDate) -> String {
    if date.year() == today.year() {
        date.format("%A %-d %B").to_string()
    } else {
        date.format("%A %-d %B %Y").to_string()
    }
}

/// The environment every template renders in: strict about typos, no HTML escaping (these
/// are Markdown notes), every value on one line, our filters.
fn environment(today: NaiveDate) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_formatter(markdown_formatter);
    add_filters(&mut env, today);
    env
}

/// Prints every value a template shows as Markdown text on one line ([`escape::markdown_text`]):
/// a line break in a note's value (a `company` of `Acme\n- [x] [[Someone]]`, a folded
/// `context`, a file name) would otherwise start a line of its own in the generated note,
/// even a ticked task that records an outreach nobody made, and `[[…]]` a link. The one
/// escaping layer, so that no template has to take care. Values a filter or the view marks
/// safe (a wikilink, a YAML scalar, a URL, index.md's rows) are already made for their place.
fn markdown_formatter(out: &mut Output, state: &mut State, value: &Value) -> Result<(), Error> {
    if let Some(text) = value.as_str()
        && !value.is_safe()
    {
        return out
            .write_str(&escape::markdown_text(text))
            .map_err(Error::from);
    }
    minijinja::escape_formatter(out, state, value)
}

fn add_filters(env: &mut Environment<'static>, today: NaiveDate) {
    env.add_filter("ago", move |date: &str| -> Result<String, Error> {
        Ok(ago(parse(date)?, today))
    });
    env.add_filter("long_date", move |date: &str| -> Result<String, Error> {
        Ok(long_date(parse(date)?, today))
    });
    env.add_filter("weekday", |date: &str| -> Result<String, Error> {
        Ok(parse(date)?.format("%A").to_string())
    });
    env.add_filter("days_since", move |date: &str| -> Result<i64, Error> {
        Ok((today - parse(date)?).num_days())
    });
    env.add_filter("month", move |date: &str| -> Result<String, Error> {
        let date = parse(date)?;
        Ok(if date.year() == today.year() {
            date.format("%B").to_string()
        } else {
            date.format("%B %Y").to_string()
        })
    });
    env.add_filter("yaml", |text: &str| {
        Value::from_safe_string(yaml_scalar(text))
    });
    // A value in a table cell: `{{ p.company | cell }}` keeps its links and the table.
    env.add_filter("cell", |text: &str| {
        Value::from_safe_string(escape::table_cell(text).into_owned())
    });
    // A value as a message says it, links as their names: `{{ p.company | spoken }}`.
    env.add_filter("spoken", |text: &str| {
        Value::from_safe_string(escape::spoken(text))
    });
    // A path or value in backticks: `{{ problem.location | code }}`.
    env.add_filter("code", |text: &str| {
        Value::from_safe_string(escape::code_span(text))
    });
    env.add_filter("wikilink", wikilink);
    env.add_filter("oneline", |text: &str| -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    });
    env.add_filter("plural", |n: i64, one: &str, many: &str| -> String {
        if n == 1 {
            one.to_owned()
        } else {
            many.to_owned()
        }
    });
    env.add_filter("number_word", |n: i64| -> String {
        const WORDS: [&str; 13] = [
            "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve",
        ];
        usize::try_from(n)
            .ok()
            .and_then(|i| WORDS.get(i))
            .map_or_else(|| n.to_string(), |w| (*w).to_owned())
    });
}

/// `text` as a YAML scalar: plain when that reads back as the same string, else double-quoted
/// (a JSON string is a valid YAML double-quoted scalar).
pub fn yaml_scalar(text: &str) -> String {
    let plain_char = |c: char| {
        c.is_alphanumeric() || " .,;()/'+-_@".contains(c) || (!c.is_ascii() && !c.is_control())
    };
    let looks_typed = {
        let lower = text.to_ascii_lowercase();
        ["true", "false", "yes", "no", "on", "off", "null", "~", ""].contains(&lower.as_str())
            // YAML's infinities and not-a-number, which Rust does not parse as floats.
            || [".inf", ".nan"].contains(&lower.trim_start_matches(['+', '-']))
            || text.parse::<f64>().is_ok()
            || text.starts_with(|c: char| c.is_ascii_digit())
    };
    let is_plain = !looks_typed
        && text.chars().all(plain_char)
        && !text.starts_with(['-', ' ', '\'', '@'])
        && !text.ends_with(' ')
        && !text.contains(" '");
    if is_plain {
        text.to_owned()
    } else {
        serde_json::to_string(text).unwrap_or_default()
    }
}

/// `{{ person | wikilink }}` → `[[Ada Lovelace]]`, or `[[People/Work/Ada|Ada]]` when the stem
/// is shared or the display name differs; `table=true` escapes the pipe for table cells.
#[allow(
    clippy::needless_pass_by_value,
    reason = "minijinja passes keyword arguments by value"
)]
fn wikilink(person: &Value, kwargs: Kwargs) -> Result<Value, Error> {
    let in_table: bool = kwargs.get::<Option<bool>>("table")?.unwrap_or(false);
    kwargs.assert_all_used()?;
    if let Some(link) = crate::view::person_wikilink(person, in_table) {
        return Ok(Value::from_safe_string(link));
    }
    let field = |key: &str| -> Result<Value, Error> {
        let value = person.get_attr(key)?;
        if value.as_str().is_some() {
            Ok(value)
        } else {
            Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("wikilink needs a person with `{key}`, got {person}"),
            ))
        }
    };
    let (target, name) = (field("target")?, field("name")?);
    Ok(Value::from_safe_string(escape::wikilink(
        target.as_str().unwrap_or_default(),
        name.as_str().unwrap_or_default(),
        in_table,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn ago_reads_like_a_person_talks() {
        let today = date("2026-11-25");
        for (then, expected) in [
            ("2026-11-25", "today"),
            ("2026-11-24", "yesterday"),
            ("2026-11-20", "5 days ago"),
            ("2026-11-04", "3 weeks ago"),
            ("2026-09-25", "2 months ago"),
            ("2026-05-26", "5 months ago"),
            ("2025-11-25", "a year ago"),
            ("2023-01-01", "3 years ago"),
            ("2026-11-28", "in 3 days"),
        ] {
            assert_eq!(ago(date(then), today), expected, "{then}");
        }
    }

    #[test]
    fn long_dates_drop_the_current_year() {
        assert_eq!(
            long_date(date("2026-11-25"), date("2026-11-25")),
            "Wednesday 25 November"
        );
        assert_eq!(
            long_date(date("2027-01-04"), date("2026-11-25")),
            "Monday 4 January 2027"
        );
    }

    #[test]
    fn every_value_a_template_prints_is_one_line() {
        // Issue 12: a newline in a note's value became a ticked task in today.md.
        let company = "Acme\n- [x] [[Victim]]\r\n\u{1b}[31mred\u{2028}end";
        let out = render(
            "- [ ] Ada · {{ company }}\n",
            minijinja::context! { company },
        )
        .unwrap();
        assert_eq!(out, "- [ ] Ada · Acme - \\[x\\] [[Victim]]  \\[31mred end");
        // What filters make for their place passes as it is.
        let out = render(
            "{{ v | yaml }} {{ v | code }}",
            minijinja::context! { v => "a [b]" },
        )
        .unwrap();
        assert_eq!(out, "\"a [b]\" `a [b]`");
    }

    fn render(source: &str, ctx: Value) -> Result<String, Error> {
        environment(date("2026-11-25")).render_str(source, ctx)
    }

    #[test]
    fn wikilinks_name_the_path_only_when_needed() {
        let ada = minijinja::context! { target => "Ada Lovelace", name => "Ada Lovelace" };
        assert_eq!(
            render("{{ p | wikilink }}", minijinja::context! { p => ada }).unwrap(),
            "[[Ada Lovelace]]"
        );
        let twin = minijinja::context! { target => "People/Work/Ada", name => "Ada" };
        assert_eq!(
            render(
                "{{ p | wikilink }}",
                minijinja::context! { p => twin.clone() }
            )
            .unwrap(),
            "[[People/Work/Ada|Ada]]"
        );
        assert_eq!(
            render(
                "{{ p | wikilink(table=true) }}",
                minijinja::context! { p => twin }
            )
            .unwrap(),
            "[[People/Work/Ada\\|Ada]]"
        );
    }

    #[test]
    fn yaml_scalars_are_plain_only_when_safe() {
        for (text, expected) in [
            ("RustConf 2026 panel", "RustConf 2026 panel"),
            ("Acme, Inc.", "Acme, Inc."),
            ("José Núñez", "José Núñez"),
            ("ada@example.com", "ada@example.com"),
            ("met at: the bar", "\"met at: the bar\""),
            ("yes", "\"yes\""),
            (".inf", "\".inf\""),
            (".NaN", "\".NaN\""),
            ("+.inf", "\"+.inf\""),
            ("~", "\"~\""),
            ("0x1F", "\"0x1F\""),
            ("Off", "\"Off\""),
            ("2026-01-01", "\"2026-01-01\""),
            ("- dash", "\"- dash\""),
            ("#tag", "\"#tag\""),
            ("say \"hi\"", "\"say \\\"hi\\\"\""),
            (
                "https://www.linkedin.com/in/ada",
                "\"https://www.linkedin.com/in/ada\"",
            ),
        ] {
            assert_eq!(yaml_scalar(text), expected, "{text}");
            let back: String = yaml_serde::from_str(&yaml_scalar(text)).unwrap();
            assert_eq!(back, text);
        }
    }

    #[test]
    fn a_bad_date_in_a_filter_is_an_error() {
        let err = render("{{ 'soon' | ago }}", minijinja::context! {}).unwrap_err();
        assert!(err.to_string().contains("`soon` is not a date"), "{err}");
    }

    #[test]
    fn rows_are_joined_in_only_where_the_template_prints_them_as_they_are() {
        let built_in = BUILT_IN.iter().find(|(n, _)| *n == "index.md").unwrap().1;
        assert!(prints_rows_plainly(built_in), "the built-in index.md");
        for plain in [
            "{{ rows }}",
            "{{- rows -}}",
            "{% if rows %}\n{{ rows }}\n{% endif %}",
            "{% if not rows %}none{% else %}{{ rows }}{% endif %}",
            "{% for i in [1, 2] %}{{ rows }}{% endfor %}",
            "{# {{ rows | upper }} #}{{ rows }}",
            "{% raw %}{{ rows | upper }}{% endraw %}{{ rows }}",
            "{{ arrows }}{{ rows }}{{ p.row }}",
        ] {
            assert!(prints_rows_plainly(plain), "{plain}");
        }
        for rendered_by_the_template in [
            "no rows printed",
            "{{ rows | upper }}",
            "{{ rows ~ '!' }}",
            "{% filter upper %}{{ rows }}{% endfilter %}",
            "{% set all = rows %}{{ rows }}",
            "{% set all %}{{ rows }}{% endset %}{{ all | length }}",
            "{% for r in rows %}{{ r }}{% endfor %}{{ rows }}",
            "{% if rows | length > 3 %}{{ rows }}{% endif %}",
            "{% macro m() %}{{ caller() | upper }}{% endmacro %}{% call m() %}{{ rows }}{% endcall %}",
            "{% include 'other.md' %}{{ rows }}",
            "{% raw %}{{ rows }}",
            "{{ rows }",
        ] {
            assert!(
                !prints_rows_plainly(rendered_by_the_template),
                "{rendered_by_the_template}"
            );
        }
    }

    #[test]
    fn the_rows_marker_is_drawn_anew_and_holds_a_line_break() {
        let (a, b) = (rows_marker(), rows_marker());
        assert_ne!(a, b);
        assert!(a.starts_with('\n') && a.ends_with('\n') && a.len() > 40);
    }
}
