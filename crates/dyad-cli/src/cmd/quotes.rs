//! `dyad quotes`: who said what.

use anyhow::{Context, Result};
use dyad::input::ReadOptions;
use dyad::Pipeline;
use dyad_core::normalise_date;
use dyad_core::Doc;
use dyad_output::Writer;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

pub(crate) fn quotes(inputs: &[PathBuf], date: Option<&str>, tsv: bool) -> Result<ExitCode> {
    let opts = ReadOptions {
        default_date: date.map(normalise_date).transpose().context("--date")?,
    };
    let pipeline = Pipeline::builtin()?;
    let files = crate::cmd::input_files(inputs);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let header = ["article", "speaker", "role", "outlet", "kind", "quote"];
    if tsv {
        writeln!(out, "{}", header.join("\t"))?;
    } else {
        writeln!(
            out,
            "{:<16} {:<28} {:<34} {:<18} {:<8} {}",
            header[0], header[1], header[2], header[3], header[4], header[5]
        )?;
    }
    let mut rows = 0;
    let failures = crate::cmd::run_each(&pipeline, &files, &opts, &mut out, |out, doc| {
        write_quotes(out, doc, tsv, &mut rows)
    })?;
    eprintln!("dyad: {rows} quotes");
    Ok(if failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// One row per quote of `doc`.
fn write_quotes(
    out: &mut impl Write,
    doc: &Doc,
    tsv: bool,
    rows: &mut usize,
) -> std::io::Result<()> {
    for q in Writer::new(doc).annotation().quotes {
        let speaker = q.speaker.as_ref().map_or("(unnamed)".to_string(), |s| {
            match (&s.identifier_text, s.entity_text.as_str()) {
                (Some(id), text) if id != text => format!("{id} ({text})"),
                (Some(id), _) => id.clone(),
                (None, text) => text.to_string(),
            }
        });
        let role = q.speaker.as_ref().map_or(String::new(), |s| {
            let mut r = s.cameo.clone();
            if let Some(d) = &q.speaker_description {
                r.push_str(&format!(", {d}"));
            }
            r
        });
        let outlet = q
            .outlet
            .as_ref()
            .map_or(String::new(), |o| o.entity_text.clone());
        let kind = if q.direct { "direct" } else { "reported" };
        let text = q.text.replace(['\n', '\t'], " ");
        *rows += 1;
        if tsv {
            writeln!(
                out,
                "{}\t{speaker}\t{role}\t{outlet}\t{kind}\t{text}",
                doc.article.id
            )?;
        } else {
            let short: String = text.chars().take(70).collect();
            let more = if text.chars().count() > 70 { "..." } else { "" };
            writeln!(
                out,
                "{:<16} {:<28} {:<34} {:<18} {:<8} {short}{more}",
                doc.article.id.chars().take(16).collect::<String>(),
                speaker.chars().take(28).collect::<String>(),
                role.chars().take(34).collect::<String>(),
                outlet.chars().take(18).collect::<String>(),
                kind
            )?;
        }
    }
    Ok(())
}
