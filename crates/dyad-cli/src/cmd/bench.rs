//! `dyad bench`: the whole pipeline's speed and memory.

use crate::cmd::*;
use anyhow::{bail, Result};
use dyad::input::{self, ReadOptions};
use dyad::Pipeline;
use dyad_core::Article;
use dyad_output::Writer;
use rayon::prelude::*;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

pub(crate) fn bench(inputs: &[PathBuf], seconds: f64, threads: Option<usize>) -> Result<ExitCode> {
    let present: Vec<PathBuf> = inputs.iter().filter(|p| p.exists()).cloned().collect();
    if present.is_empty() {
        eprintln!("dyad bench: skipped: no input found");
        return Ok(ExitCode::SUCCESS);
    }
    let pool = thread_pool(threads)?;
    let t = Instant::now();
    let pipeline = Pipeline::builtin()?;
    let load = t.elapsed();
    let files = input_files(&present);
    let mut articles: Vec<Article> = Vec::new();
    let mut bad = 0;
    for f in &files {
        input::read_path(f, &ReadOptions::default(), &mut |r| match r {
            Ok(a) => articles.push(a),
            Err(e) => {
                eprintln!("dyad: {e}");
                bad += 1;
            }
        });
    }
    if articles.is_empty() {
        bail!("no articles to benchmark ({bad} bad records)");
    }
    // An article whose analysis panics is reported once and left out of the timing.
    let before = articles.len();
    articles.retain(|a| match pipeline.try_run(a.clone()) {
        Ok(_) => true,
        Err(e) => {
            eprintln!("dyad: {e}");
            false
        }
    });
    let internal = before - articles.len();
    if articles.is_empty() {
        bail!("no articles to benchmark ({internal} failed with an internal error)");
    }
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    let (mut runs, mut n_sent, mut n_tok, mut n_ev) = (0usize, 0usize, 0usize, 0usize);
    let names: Vec<&str> = pipeline.stages().map(|s| s.name()).collect();
    let mut spent = vec![std::time::Duration::ZERO; names.len()];
    let started = Instant::now();
    // Each round codes the inputs several times over in one parallel pass, as `dyad code`
    // codes a batch, so that threads do not wait for the longest article of every copy.
    let copies = (64 / articles.len()).max(1);
    while runs == 0 || started.elapsed().as_secs_f64() < seconds {
        // (sentences, tokens, events, time per stage) per article, coded on all threads.
        let results: Vec<(usize, usize, usize, Vec<std::time::Duration>)> = pool.install(|| {
            (0..copies)
                .flat_map(|_| articles.iter())
                .collect::<Vec<_>>()
                .par_iter()
                .map(|a| {
                    let mut mine = vec![std::time::Duration::ZERO; names.len()];
                    // Articles that fail were left out below; a failure here counts nothing.
                    let Ok(doc) = pipeline.try_run_timed((*a).clone(), &mut mine) else {
                        return (0, 0, 0, mine);
                    };
                    // Output serialisation is part of the job.
                    std::hint::black_box(
                        serde_json::to_string(&Writer::new(&doc).events()).expect("serialises"),
                    );
                    (
                        doc.sentences.len(),
                        doc.tokens.len(),
                        doc.events.len(),
                        mine,
                    )
                })
                .collect()
        });
        for (s, t, e, mine) in results {
            n_sent += s;
            n_tok += t;
            n_ev += e;
            for (a, b) in spent.iter_mut().zip(mine) {
                *a += b;
            }
        }
        runs += copies;
    }
    let secs = started.elapsed().as_secs_f64();
    let n_art = runs * articles.len();
    let busy: f64 = spent.iter().map(|t| t.as_secs_f64()).sum();
    println!(
        "dyad bench: {} articles ({} KiB of text) x {runs} runs, {} thread(s)",
        articles.len(),
        bytes / 1024,
        pool.current_num_threads()
    );
    println!(
        "  data load        {:>10.1} ms",
        load.as_secs_f64() * 1000.0
    );
    println!("  articles/s       {:>10.0}", n_art as f64 / secs);
    println!("  sentences/s      {:>10.0}", n_sent as f64 / secs);
    println!("  tokens/s         {:>10.0}", n_tok as f64 / secs);
    println!(
        "  MiB/s            {:>10.2}",
        (bytes * runs) as f64 / secs / 1048576.0
    );
    println!("  events/article   {:>10.1}", n_ev as f64 / n_art as f64);
    // Stage shares are of the summed stage time over all threads; tokens/s per thread.
    for (name, t) in names.iter().zip(&spent) {
        println!(
            "  stage {:<10} {:>10.1}% of time, {:>10.0} tokens/s per thread",
            name,
            100.0 * t.as_secs_f64() / busy.max(1e-9),
            n_tok as f64 / t.as_secs_f64().max(1e-9)
        );
    }
    match peak_rss_kib() {
        Some(k) => println!("  peak memory      {:>10.1} MiB", k as f64 / 1024.0),
        None => println!("  peak memory      unavailable on this platform"),
    }
    Ok(if bad + internal > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
