//! How a coded document came about, sentence by sentence, as text (what `dyad explain`
//! prints and `dyad.explain` in Python returns): the analysis, the actors and the events
//! with the rows that produced them.

use dyad_core::{Doc, Event};
use std::io::Write;

/// Writes the explanation of `doc` to `out`.
pub fn write(doc: &Doc, out: &mut impl Write) -> anyhow::Result<()> {
    for (s, sentence) in doc.sentences.iter().enumerate() {
        writeln!(out, "sentence {s}: {:?}", doc.slice(sentence.span))?;
        analysis(doc, s, out)?;
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
                mention(doc, i),
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
            event(doc, ev, out)?;
        }
        if !doc.events.iter().any(|e| e.sentence == s) {
            writeln!(out, "    (none)")?;
        }
    }
    Ok(())
}

/// An entity as `[index] "text" CAMEO`.
fn mention(doc: &Doc, i: usize) -> String {
    let e = &doc.entities[i];
    format!("[{i}] {:?} {}", doc.slice(e.span), e.actor.cameo())
}

/// Sentence `s`'s tokens with their tags, lemmas, heads, relations and names.
fn analysis(doc: &Doc, s: usize, out: &mut impl Write) -> std::io::Result<()> {
    let sentence = &doc.sentences[s];
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
    Ok(())
}

/// One event: its type, the row that fired, participants, context, date, place, claim.
fn event(doc: &Doc, ev: &Event, out: &mut impl Write) -> std::io::Result<()> {
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
                .map(|&i| mention(doc, i))
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
        let speaker = a
            .speaker
            .map_or("an unnamed source".into(), |i| mention(doc, i));
        writeln!(
            out,
            "        claimed by {speaker} (cue {:?})",
            doc.slice(a.cue)
        )?;
    }
    Ok(())
}
