//! `dyad parse`: the language analysis as CoNLL-U.

use anyhow::Result;
use dyad::input::ReadOptions;
use dyad::Pipeline;
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
    let pipeline = Pipeline::from_stages(vec![Box::new(dyad_text::TextStage), Box::new(language)]);
    let files = crate::cmd::input_files(inputs);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let failures = crate::cmd::run_each(
        &pipeline,
        &files,
        &ReadOptions::default(),
        &mut out,
        |out, doc| out.write_all(conllu_of(doc).as_bytes()),
    )?;
    Ok(if failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// CoNLL-U for an analysed document; names go in MISC as `NER=B-PER` etc.
pub(crate) fn conllu_of(doc: &Doc) -> String {
    let name_of = names_by_token(doc);
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
            let ner = name_of[i].map(|m| {
                let m = &doc.names[m];
                let bio = if m.span.start == tok.span.start {
                    "B"
                } else {
                    "I"
                };
                format!("NER={bio}-{}", m.label)
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

/// For each token, the first name containing it: found name by name with a binary search,
/// as a search of every name for every token is quadratic in a long document.
pub(crate) fn names_by_token(doc: &Doc) -> Vec<Option<usize>> {
    let mut out = vec![None; doc.tokens.len()];
    for (n, m) in doc.names.iter().enumerate() {
        let first = doc.tokens.partition_point(|t| t.span.start < m.span.start);
        for (k, t) in doc.tokens[first..].iter().enumerate() {
            if !m.span.contains(t.span) {
                break;
            }
            out[first + k].get_or_insert(n);
        }
    }
    out
}
