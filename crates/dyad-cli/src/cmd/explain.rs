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
    let mention = |i: usize| {
        let e = &doc.entities[i];
        format!("[{i}] {:?} {}", doc.slice(e.span), e.actor.cameo())
    };
    for (s, sentence) in doc.sentences.iter().enumerate() {
        writeln!(out, "sentence {s}: {:?}", doc.slice(sentence.span))?;
        let toks = doc.sentence_tokens(s);
        let parsed = toks
            .iter()
            .all(|t| t.syntax.as_ref().is_some_and(|x| !x.deprel.is_empty()));
        writeln!(
            out,
            "  analysis{}:",
            if parsed {
                ""
            } else {
                " (not parsed: no trigger word)"
            }
        )?;
        for (k, t) in toks.iter().enumerate() {
            let i = sentence.tokens.start + k;
            let name = doc
                .names
                .iter()
                .find(|n| n.span.start <= t.span.start && t.span.end <= n.span.end)
                .map_or(String::new(), |n| format!("  {}", n.label));
            match &t.syntax {
                Some(x) => writeln!(
                    out,
                    "    {:>3} {:<16} {:<5} {:<4} {:<14} {:>3} {}{name}",
                    k + 1,
                    doc.token_text(i),
                    x.upos,
                    x.xpos,
                    x.lemma,
                    x.head.map_or(0, |h| h - sentence.tokens.start + 1),
                    x.deprel,
                )?,
                None => writeln!(out, "    {:>3} {}", k + 1, doc.token_text(i))?,
            }
        }
        writeln!(out, "  actors:")?;
        for (i, e) in doc
            .entities
            .iter()
            .enumerate()
            .filter(|(_, e)| e.sentence == s)
        {
            writeln!(
                out,
                "    {} ({}, confidence {:.2}){}",
                mention(i),
                serde_json::to_value(e.kind)?.as_str().unwrap_or("?"),
                e.confidence,
                e.actor
                    .identifier
                    .as_ref()
                    .map_or(String::new(), |id| format!(", identifier {id:?}")),
            )?;
            writeln!(out, "        because {}", e.rule)?;
        }
        writeln!(out, "  events:")?;
        for ev in doc.events.iter().filter(|e| e.sentence == s) {
            writeln!(
                out,
                "    {} (CAMEO {}) trigger {:?}, confidence {:.2}",
                ev.plover.join("+"),
                ev.cameo,
                doc.slice(ev.trigger),
                ev.confidence
            )?;
            writeln!(out, "        because {}", ev.rule)?;
            let list = |ids: &[usize]| {
                if ids.is_empty() {
                    "(none)".to_string()
                } else {
                    ids.iter()
                        .map(|&i| mention(i))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            };
            writeln!(out, "        actor      {}", list(&ev.actors))?;
            writeln!(out, "        recipient  {}", list(&ev.recipients))?;
            if !ev.context.is_empty() {
                writeln!(out, "        context    {}", ev.context.join(", "))?;
            }
            if let Some(w) = &ev.when {
                writeln!(
                    out,
                    "        date       {} from {:?}",
                    w.date,
                    doc.slice(w.span)
                )?;
            }
            if let Some(p) = &ev.place {
                writeln!(
                    out,
                    "        place      {:?} {}",
                    doc.slice(p.span),
                    p.country_code.as_deref().unwrap_or("")
                )?;
            }
            if let Some(a) = &ev.attribution {
                writeln!(
                    out,
                    "        claimed by {} (cue {:?})",
                    a.speaker.map_or("an unnamed source".into(), mention),
                    doc.slice(a.cue)
                )?;
            }
        }
        if !doc.events.iter().any(|e| e.sentence == s) {
            writeln!(out, "    (none)")?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
