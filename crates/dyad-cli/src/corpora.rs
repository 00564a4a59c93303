//! Reading the training corpora for `dyad train` (see `shared/corpora/README.md`).

use anyhow::{Context, Result};
use dyad_lang::conllu;
use dyad_lang::train::Corpora;
use std::io::Read;
use std::path::Path;

fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    if path.extension().and_then(|e| e.to_str()) == Some("gz") {
        let mut s = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut s)
            .with_context(|| format!("decompressing {}", path.display()))?;
        Ok(s)
    } else {
        String::from_utf8(bytes).with_context(|| format!("{}: invalid UTF-8", path.display()))
    }
}

fn treebank(path: &Path) -> Result<Vec<conllu::TreeSentence>> {
    conllu::parse(&read_text(path)?).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

fn ner(path: &Path) -> Result<conllu::NerSentences> {
    conllu::parse_ner(&read_text(path)?).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// Reads every corpus under `dir`; GUM is optional (evaluation only).
pub fn read(dir: &Path) -> Result<Corpora> {
    let ewt = dir.join("ud-english-ewt");
    let uner = dir.join("uner-english-ewt");
    let gum = dir.join("ud-english-gum/en_gum-ud-test.conllu");
    Ok(Corpora {
        ewt_train: treebank(&ewt.join("en_ewt-ud-train.conllu.gz"))?,
        ewt_dev: treebank(&ewt.join("en_ewt-ud-dev.conllu"))?,
        ewt_test: treebank(&ewt.join("en_ewt-ud-test.conllu"))?,
        gum_test: if gum.exists() {
            Some(treebank(&gum)?)
        } else {
            None
        },
        uner_train: ner(&uner.join("en_ewt-uner-train.prerelease2022.tsv"))?,
        uner_dev: ner(&uner.join("en_ewt-uner-dev.tsv"))?,
        uner_test: ner(&uner.join("en_ewt-uner-test.tsv"))?,
    })
}
