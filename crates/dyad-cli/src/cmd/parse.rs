//! `dyad parse`: the language analysis as CoNLL-U.

use anyhow::Result;
use dyad::input::{self, ReadOptions};
use dyad_core::Doc;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

pub(crate) fn parse(inputs: &[PathBuf]) -> Result<ExitCode> {
    let dict = dyad_actors::Dictionary::builtin()?;
    let language = dyad_lang::stage::LanguageStage::new(
        dyad_lang::stage::Models::builtin()?,
        dyad::gazetteer(&dict),
    );
    let files = crate::cmd::input_files(inputs);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut bad = 0;
    for file in &files {
        input::read_path(file, &ReadOptions::default(), &mut |rec| {
            let article = match rec {
                Ok(a) => a,
                Err(e) => {
                    eprintln!("dyad: {e}");
                    bad += 1;
                    return;
                }
            };
            let mut doc = Doc::new(article);
            dyad_text::segment(&mut doc);
            dyad_core::Stage::process(&language, &mut doc);
            let _ = out.write_all(conllu_of(&doc).as_bytes());
        });
    }
    out.flush()?;
    Ok(if bad > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// CoNLL-U for an analysed document; names go in MISC as `NER=B-PER` etc.
pub(crate) fn conllu_of(doc: &Doc) -> String {
    let mut s = String::new();
    for (n, sent) in doc.sentences.iter().enumerate() {
        s.push_str(&format!(
            "# sent_id = {}-{}\n# text = {}\n",
            doc.article.id,
            n,
            doc.slice(sent.span).replace('\n', " ")
        ));
        for (k, i) in sent.tokens.clone().enumerate() {
            let tok = &doc.tokens[i];
            let syn = tok.syntax.clone().unwrap_or_default();
            let head = syn.head.map_or(0, |h| h - sent.tokens.start + 1);
            let ner = doc
                .names
                .iter()
                .find(|m| m.span.contains(tok.span))
                .map(|m| {
                    format!(
                        "NER={}-{}",
                        if m.span.start == tok.span.start {
                            "B"
                        } else {
                            "I"
                        },
                        m.label
                    )
                });
            s.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t_\t{}\t{}\t_\t{}\n",
                k + 1,
                doc.token_text(i),
                syn.lemma,
                syn.upos,
                syn.xpos,
                head,
                syn.deprel,
                ner.unwrap_or_else(|| "_".into())
            ));
        }
        s.push('\n');
    }
    s
}
