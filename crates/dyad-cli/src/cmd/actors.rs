//! `dyad actors lookup`: which entities the dictionaries find, and why.

use crate::cmd::*;
use anyhow::{Context, Result};
use dyad_core::{normalise_date, Article};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

pub(crate) fn actors_lookup(
    text: &str,
    date: Option<&str>,
    dictionaries: Option<&Path>,
    json: bool,
) -> Result<ExitCode> {
    let date = date.map(normalise_date).transpose().context("--date")?;
    let lookup = dyad::ActorLookup::with_dictionary(dictionary(dictionaries, None, true)?.0)?;
    let mut article = Article::new("lookup", text);
    article.date = date.clone();
    let doc = lookup.run(article);
    let dict = lookup.dictionary();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if doc.entities.is_empty() && !json {
        writeln!(out, "no actors found in {text:?}")?;
    }
    for (i, e) in doc.entities.iter().enumerate() {
        let a = &e.actor;
        let members: Option<Vec<String>> = match (&e.kind, &a.identifier) {
            (dyad_core::EntityKind::Organisation, Some(id)) => Some(
                dict.members(id, date.as_deref())
                    .iter()
                    .map(|m| m.member.clone())
                    .collect(),
            ),
            _ => None,
        }
        .filter(|m: &Vec<String>| !m.is_empty());
        let kind = serde_json::to_value(e.kind)?
            .as_str()
            .unwrap_or_default()
            .to_string();
        if json {
            let v = serde_json::json!({
                "text": doc.slice(e.span),
                "code": a.code,
                "sectors": a.sectors,
                "cameo": a.cameo(),
                "identifier": a.identifier,
                "kind": kind,
                "confidence": e.confidence,
                "antecedent": e.antecedent,
                "rule": e.rule,
                "date": date,
                "members": members,
            });
            write_json(&mut out, &v)?;
            continue;
        }
        writeln!(
            out,
            "{:?}  {}{}",
            doc.slice(e.span),
            if a.code.is_empty() { "---" } else { &a.code },
            a.sectors
                .iter()
                .map(|s| format!(" {s}"))
                .collect::<String>()
        )?;
        writeln!(out, "  cameo       {}", a.cameo())?;
        if let Some(id) = &a.identifier {
            writeln!(out, "  identifier  {id}")?;
        }
        writeln!(out, "  kind        {kind}, confidence {:.2}", e.confidence)?;
        if let Some(k) = e.antecedent {
            writeln!(
                out,
                "  antecedent  #{k} {:?}",
                doc.slice(doc.entities[k].span)
            )?;
        }
        for part in e.rule.split(" + ") {
            writeln!(out, "  rule        {part}")?;
        }
        if let Some(m) = members {
            let when = match &date {
                Some(d) => format!("on {d}"),
                None => "ever listed".to_string(),
            };
            writeln!(out, "  members {when} ({}): {}", m.len(), m.join(" "))?;
        }
        if i + 1 < doc.entities.len() {
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
