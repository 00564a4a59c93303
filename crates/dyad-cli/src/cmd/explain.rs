//! `dyad explain`: how a text is coded, stage by stage.

use crate::cmd::*;
use anyhow::{Context, Result};
use dyad::Pipeline;
use dyad_core::{normalise_date, Article};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

pub(crate) fn explain(
    text: &str,
    date: Option<&str>,
    dictionaries: Option<&Path>,
) -> Result<ExitCode> {
    let date = date.map(normalise_date).transpose().context("--date")?;
    let (dict, verbs) = dictionary(dictionaries, None, true)?;
    let pipeline = Pipeline::with_dictionaries(dict, verbs)?;
    let mut article = Article::new("explain", text);
    article.date = date;
    let doc = match pipeline.try_run(article) {
        Ok(doc) => doc,
        Err(e) => {
            eprintln!("dyad: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    dyad::explain::write(&doc, &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
