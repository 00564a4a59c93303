//! `dyad train` and `dyad lang-eval`: the language models.

use anyhow::{Context, Result};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

pub(crate) fn train(
    corpora: &Path,
    out: &Path,
    epochs: dyad_lang::train::Epochs,
    only_ner: bool,
    tags_cache: Option<&Path>,
) -> Result<ExitCode> {
    let started = Instant::now();
    let c = dyad::corpora::read(corpora)?;
    let dict = dyad_actors::Dictionary::builtin()?;
    let gaz = dyad::gazetteer(&dict);
    let mut log = |line: &str| eprintln!("[{:>6.1} s] {line}", started.elapsed().as_secs_f64());
    if only_ner {
        return train_ner(&c, &gaz, out, epochs, tags_cache, &mut log, started);
    }
    let models = dyad_lang::train::train_all(&c, &gaz, epochs, &mut log);
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    for (name, bytes) in dyad_lang::stage::MODEL_FILES.iter().zip(models.to_bytes()) {
        let path = out.join(name);
        std::fs::write(&path, &bytes).with_context(|| format!("writing {}", path.display()))?;
        println!(
            "wrote {} ({:.2} MB)",
            path.display(),
            bytes.len() as f64 / 1e6
        );
    }
    for line in dyad_lang::train::evaluate(&models, &c, &gaz) {
        println!("{line}");
    }
    println!("trained in {:.0} s", started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

/// `dyad train --only-ner`: the name recognizer alone, on the built-in tagger.
pub(crate) fn train_ner(
    c: &dyad_lang::train::Corpora,
    gaz: &dyad_lang::ner::Gazetteer,
    out: &Path,
    epochs: dyad_lang::train::Epochs,
    tags_cache: Option<&Path>,
    log: &mut dyn FnMut(&str),
    started: Instant,
) -> Result<ExitCode> {
    let tagger = dyad_lang::stage::Models::builtin_tagger()?;
    let cached = tags_cache.and_then(|p| std::fs::read_to_string(p).ok());
    let tags = match cached {
        Some(text) => {
            log("jackknifed tags read from the cache");
            dyad_lang::train::read_tags(&text)
        }
        None => {
            log("jackknifing tags");
            let tags = dyad_lang::train::jackknife(
                &c.ewt_train,
                &c.ewt_dev,
                epochs.folds,
                epochs.tagger,
                log,
            );
            if let Some(p) = tags_cache {
                std::fs::write(p, dyad_lang::train::write_tags(&tags))
                    .with_context(|| format!("writing {}", p.display()))?;
            }
            tags
        }
    };
    log("training the name recognizer");
    let recognizer = dyad_lang::train::train_ner(c, gaz, &tagger, &tags, epochs, log);
    let path = out.join("ner.bin");
    let bytes = recognizer.to_bytes();
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    std::fs::write(&path, &bytes).with_context(|| format!("writing {}", path.display()))?;
    println!(
        "wrote {} ({:.2} MB)",
        path.display(),
        bytes.len() as f64 / 1e6
    );
    for line in dyad_lang::train::evaluate_ner(&tagger, &recognizer, c, gaz) {
        println!("{line}");
    }
    if epochs.ner_with_dev {
        println!("(UNER dev was part of the training data: its figures are not held out)");
    }
    println!("trained in {:.0} s", started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn lang_eval(corpora: &Path) -> Result<ExitCode> {
    if !corpora.join("ud-english-ewt").exists() {
        eprintln!("dyad lang-eval: skipped: {} not found", corpora.display());
        return Ok(ExitCode::SUCCESS);
    }
    let c = dyad::corpora::read(corpora)?;
    let dict = dyad_actors::Dictionary::builtin()?;
    let t = Instant::now();
    let models = dyad_lang::stage::Models::builtin()?;
    println!(
        "models loaded in {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    for line in dyad_lang::train::evaluate(&models, &c, &dyad::gazetteer(&dict)) {
        println!("{line}");
    }
    Ok(ExitCode::SUCCESS)
}
