//! Training and evaluating the whole language core from parsed corpora (no IO: the `dyad`
//! command reads the files).

pub use crate::conllu::NerSentences;
use crate::conllu::TreeSentence;
use crate::lemma::Lemmatizer;
use crate::ner::{Gazetteer, Recognizer};
use crate::parser::Parser;
use crate::stage::Models;
use crate::tagger::Tagger;

/// The corpora `dyad train` reads (see `shared/corpora/README.md`).
pub struct Corpora {
    pub ewt_train: Vec<TreeSentence>,
    pub ewt_dev: Vec<TreeSentence>,
    pub ewt_test: Vec<TreeSentence>,
    /// Out-of-domain test only: GUM is non-commercial and never trained on.
    pub gum_test: Option<Vec<TreeSentence>>,
    pub uner_train: NerSentences,
    pub uner_dev: NerSentences,
    pub uner_test: NerSentences,
}

/// Epoch counts for each model.
#[derive(Clone, Copy, Debug)]
pub struct Epochs {
    pub tagger: usize,
    pub parser: usize,
    pub ner: usize,
    /// Folds for the jackknifed tags the parser trains on (1 = gold tags).
    pub folds: usize,
    /// Train the name recognizer on UNER train and dev together, for exactly `ner` epochs
    /// (chosen beforehand on dev), instead of choosing the epoch on dev.
    pub ner_with_dev: bool,
}

impl Default for Epochs {
    fn default() -> Self {
        Epochs {
            tagger: 12,
            parser: 15,
            ner: 4,
            folds: 4,
            ner_with_dev: true,
        }
    }
}

fn words(s: &TreeSentence) -> Vec<&str> {
    s.words.iter().map(|w| w.form.as_str()).collect()
}

/// (upos, xpos) per word of each sentence, as `tagger` predicts them.
pub fn predicted_tags(tagger: &Tagger, sentences: &[TreeSentence]) -> Vec<Vec<(String, String)>> {
    sentences
        .iter()
        .map(|s| {
            tagger
                .tag(&words(s))
                .iter()
                .map(|t| (t.upos.to_string(), t.xpos.to_string()))
                .collect()
        })
        .collect()
}

/// Jackknifed tags: each fold tagged by a tagger trained on the other folds, so the parser
/// learns from tags as noisy as those it will see.
pub fn jackknife(
    train: &[TreeSentence],
    dev: &[TreeSentence],
    folds: usize,
    epochs: usize,
    log: &mut dyn FnMut(&str),
) -> Vec<Vec<(String, String)>> {
    if folds <= 1 {
        return train
            .iter()
            .map(|s| {
                s.words
                    .iter()
                    .map(|w| (w.upos.clone(), w.xpos.clone()))
                    .collect()
            })
            .collect();
    }
    let mut out = vec![Vec::new(); train.len()];
    for f in 0..folds {
        let rest: Vec<TreeSentence> = train
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds != f)
            .map(|(_, s)| s.clone())
            .collect();
        let tagger = Tagger::train(&rest, dev, epochs, &mut |_| {});
        for (i, s) in train.iter().enumerate().filter(|(i, _)| i % folds == f) {
            out[i] = tagger
                .tag(&words(s))
                .iter()
                .map(|t| (t.upos.to_string(), t.xpos.to_string()))
                .collect();
        }
        log(&format!("jackknife fold {}/{folds} tagged", f + 1));
    }
    out
}

/// Tags as [`jackknife`] gives them, one sentence a line, words TAB-separated, "UPOS XPOS".
pub fn write_tags(tags: &[Vec<(String, String)>]) -> String {
    let mut out = String::new();
    for s in tags {
        let words: Vec<String> = s.iter().map(|(u, x)| format!("{u} {x}")).collect();
        out += &words.join("\t");
        out.push('\n');
    }
    out
}

/// Reads what [`write_tags`] wrote.
pub fn read_tags(text: &str) -> Vec<Vec<(String, String)>> {
    text.lines()
        .map(|l| {
            l.split('\t')
                .filter(|w| !w.is_empty())
                .map(|w| {
                    let (u, x) = w.split_once(' ').unwrap_or((w, ""));
                    (u.to_string(), x.to_string())
                })
                .collect()
        })
        .collect()
}

/// Trains every model.
pub fn train_all(
    c: &Corpora,
    gazetteer: &Gazetteer,
    epochs: Epochs,
    log: &mut dyn FnMut(&str),
) -> Models {
    log("training the tagger");
    let tagger = Tagger::train(&c.ewt_train, &c.ewt_dev, epochs.tagger, log);
    log("training the lemmatizer");
    let lemmatizer = Lemmatizer::train(&c.ewt_train);
    log("jackknifing tags for the parser");
    let tags = jackknife(&c.ewt_train, &c.ewt_dev, epochs.folds, epochs.tagger, log);
    log("training the parser");
    let parser = Parser::train(&c.ewt_train, &tags, &c.ewt_dev, epochs.parser, log);
    log("training the name recognizer");
    let recognizer = train_ner(c, gazetteer, &tagger, &tags, epochs, log);
    Models {
        tagger,
        lemmatizer,
        parser,
        recognizer,
    }
}

/// Trains the name recognizer on jackknifed `tags` of the EWT train split (as
/// [`jackknife`] gives them), choosing the epoch on UNER dev tagged by `tagger` (or, with
/// `epochs.ner_with_dev`, training on dev too for `epochs.ner` epochs).
pub fn train_ner(
    c: &Corpora,
    gazetteer: &Gazetteer,
    tagger: &Tagger,
    tags: &[Vec<(String, String)>],
    epochs: Epochs,
    log: &mut dyn FnMut(&str),
) -> Recognizer {
    let upos = |t: &[TreeSentence], n: &NerSentences| -> Vec<Vec<String>> {
        // UNER sentences align with EWT by position; fall back to no tags where they do not.
        if t.len() == n.len() {
            t.iter()
                .map(|s| s.words.iter().map(|w| w.upos.clone()).collect())
                .collect()
        } else {
            vec![Vec::new(); n.len()]
        }
    };
    // The recognizer trains on the same noisy (jackknifed) tags it will see at run time.
    let train_upos: Vec<Vec<String>> = if tags.len() == c.uner_train.len() {
        tags.iter()
            .map(|s| s.iter().map(|(u, _)| u.clone()).collect())
            .collect()
    } else {
        upos(&c.ewt_train, &c.uner_train)
    };
    let dev_upos: Vec<Vec<String>> = if c.ewt_dev.len() == c.uner_dev.len() {
        predicted_tags(tagger, &c.ewt_dev)
            .into_iter()
            .map(|s| s.into_iter().map(|(u, _)| u).collect())
            .collect()
    } else {
        upos(&c.ewt_dev, &c.uner_dev)
    };
    if epochs.ner_with_dev {
        let mut sentences = c.uner_train.clone();
        sentences.extend_from_slice(&c.uner_dev);
        let mut upos = train_upos;
        upos.extend(dev_upos);
        return Recognizer::train(&sentences, &upos, &[], &[], gazetteer, epochs.ner, log);
    }
    Recognizer::train(
        &c.uner_train,
        &train_upos,
        &c.uner_dev,
        &dev_upos,
        gazetteer,
        epochs.ner,
        log,
    )
}

/// Tagging and parsing speed over a treebank's words, one thread.
pub fn speed(models: &Models, sentences: &[TreeSentence]) -> String {
    let words: Vec<Vec<&str>> = sentences.iter().map(words).collect();
    let n: usize = words.iter().map(Vec::len).sum();
    let t = std::time::Instant::now();
    let tags: Vec<_> = words.iter().map(|w| models.tagger.tag(w)).collect();
    let tagging = t.elapsed().as_secs_f64();
    let t = std::time::Instant::now();
    for (w, tg) in words.iter().zip(&tags) {
        let upos: Vec<&str> = tg.iter().map(|x| x.upos).collect();
        let xpos: Vec<&str> = tg.iter().map(|x| x.xpos).collect();
        std::hint::black_box(models.parser.parse(&crate::parser::ParseInput {
            words: w,
            upos: &upos,
            xpos: &xpos,
        }));
    }
    let parsing = t.elapsed().as_secs_f64();
    format!(
        "speed (one thread): tagging {:.0} tokens/s, parsing {:.0} tokens/s, tagging + parsing {:.0} tokens/s",
        n as f64 / tagging,
        n as f64 / parsing,
        n as f64 / (tagging + parsing)
    )
}

/// Name recognition on UNER dev and test, predicted UPOS.
pub fn evaluate_ner(
    tagger: &Tagger,
    recognizer: &Recognizer,
    c: &Corpora,
    gazetteer: &Gazetteer,
) -> Vec<String> {
    let mut out = Vec::new();
    for (name, tree, ner) in [
        ("dev", &c.ewt_dev, &c.uner_dev),
        ("test", &c.ewt_test, &c.uner_test),
    ] {
        out.push(ner_line(tagger, recognizer, tree, ner, gazetteer, name));
    }
    out
}

fn ner_line(
    tagger: &Tagger,
    recognizer: &Recognizer,
    tree: &[TreeSentence],
    ner: &NerSentences,
    gazetteer: &Gazetteer,
    name: &str,
) -> String {
    let upos: Vec<Vec<String>> = predicted_tags(tagger, tree)
        .into_iter()
        .map(|s| s.into_iter().map(|(u, _)| u).collect())
        .collect();
    let upos = if upos.len() == ner.len() {
        upos
    } else {
        vec![Vec::new(); ner.len()]
    };
    let s = recognizer.evaluate(ner, &upos, gazetteer);
    // Speed: the best of a few runs, as the machine may be busy.
    let mut secs = f64::INFINITY;
    for _ in 0..5 {
        let t = std::time::Instant::now();
        std::hint::black_box(recognizer.evaluate(ner, &upos, gazetteer));
        secs = secs.min(t.elapsed().as_secs_f64());
    }
    let tokens: usize = ner.iter().map(|(w, _)| w.len()).sum();
    format!(
        "UNER English-EWT {name}: NER P {:.2}  R {:.2}  F1 {:.2}  (entity level, predicted UPOS; {:.0} tokens/s)",
        100.0 * s.precision(),
        100.0 * s.recall(),
        100.0 * s.f1(),
        tokens as f64 / secs
    )
}

/// Accuracy figures on the held-out test sets, every model running on predicted input.
pub fn evaluate(models: &Models, c: &Corpora, gazetteer: &Gazetteer) -> Vec<String> {
    let mut out = Vec::new();
    let mut treebank = |name: &str, test: &[TreeSentence]| {
        let t = models.tagger.evaluate(test);
        let tags = predicted_tags(&models.tagger, test);
        let (mut lemma_ok, mut n) = (0, 0);
        for (s, tg) in test.iter().zip(&tags) {
            for (w, (u, x)) in s.words.iter().zip(tg) {
                n += 1;
                if models.lemmatizer.lemma(&w.form, u, x) == w.lemma.as_str() {
                    lemma_ok += 1;
                }
            }
        }
        let p = models.parser.evaluate(test, &tags);
        out.push(format!(
            "{name}: UPOS {:.2}%  XPOS {:.2}%  lemma {:.2}%  UAS {:.2}  LAS {:.2}  (predicted tags, {} words)",
            100.0 * t.upos(),
            100.0 * t.xpos(),
            100.0 * lemma_ok as f64 / n.max(1) as f64,
            p.uas(),
            p.las(),
            n
        ));
    };
    treebank("UD English-EWT test", &c.ewt_test);
    if let Some(gum) = &c.gum_test {
        treebank("UD English-GUM test (out of domain)", gum);
    }
    out.push(speed(models, &c.ewt_test));
    out.push(ner_line(
        &models.tagger,
        &models.recognizer,
        &c.ewt_test,
        &c.uner_test,
        gazetteer,
        "test",
    ));
    out
}
