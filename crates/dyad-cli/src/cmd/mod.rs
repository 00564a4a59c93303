//! One module per command; shared helpers for them live here.

use anyhow::{bail, Context, Result};
use dyad::input::{self, Flow, ReadOptions};
use dyad::Pipeline;
use dyad_actors::Dictionary;
use dyad_core::Doc;
use dyad_events::VerbDictionary;
use std::io::Write;
use std::path::{Path, PathBuf};

pub mod actors;
pub mod bench;
pub mod code;
pub mod eval;
pub mod eval_geo;
pub mod eval_news;
pub mod explain;
pub mod export;
pub mod ingest;
pub mod parse;
pub mod places;
pub mod query;
pub mod quotes;
pub mod serve;
pub mod store_bench;
pub mod train;
pub mod train_filter;

/// The actor dictionaries: PETRARCH ones from `--dictionaries` (each malformed line and a
/// summary on stderr), else the built-in ones; and the PETRARCH verb dictionaries found
/// with them. `prefix` restricts a directory to one family of files when it has any.
pub(crate) fn dictionary(
    path: Option<&Path>,
    prefix: Option<&str>,
    quiet: bool,
) -> Result<(Dictionary, Option<VerbDictionary>)> {
    let Some(path) = path else {
        return Ok((Dictionary::builtin()?, None));
    };
    let read = dyad::read_petrarch(path, prefix)?;
    for w in &read.warnings {
        eprintln!("{w}");
    }
    if !quiet || !read.warnings.is_empty() {
        let names: Vec<String> = read
            .files
            .iter()
            .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        let verbs = match &read.verbs {
            Some(v) => {
                let (forms, patterns) = v.counts();
                format!(
                    "; verbs: {} blocks, {forms} forms, {patterns} patterns, {} synonym sets",
                    v.blocks.len(),
                    v.synsets.len()
                )
            }
            None => String::new(),
        };
        eprintln!(
            "dyad: PETRARCH dictionaries: {} entries from {} files ({}){verbs}, {} warnings, {:.0} ms",
            read.dict.entries.len(),
            read.files.len(),
            names.join(", "),
            read.warnings.len(),
            read.elapsed.as_secs_f64() * 1000.0
        );
    }
    Ok((read.dict, read.verbs))
}

/// The files named by the command line's inputs (directories walked), each skipped path
/// reported on stderr so that nothing is left out silently.
pub(crate) fn input_files(inputs: &[std::path::PathBuf]) -> Vec<std::path::PathBuf> {
    let (files, skipped) = dyad::input::expand(inputs);
    for s in &skipped {
        eprintln!("dyad: {s}");
    }
    files
}

/// A document's warnings (a split over-long sentence) on stderr, with its article id.
pub(crate) fn report_warnings(doc: &dyad_core::Doc) {
    for w in &doc.warnings {
        eprintln!("dyad: {}: warning: {w}", doc.article.id);
    }
}

/// Whether `path` is absent, said on stderr as `command` skipping: evaluations and training
/// run only where their optional data is present.
pub(crate) fn missing(command: &str, path: &Path) -> bool {
    let absent = !path.exists();
    if absent {
        eprintln!("dyad {command}: skipped: {} not found", path.display());
    }
    absent
}

/// Runs `pipeline` over each article of `files`, passing each document to `write` with
/// `out`, then flushes `out`. Unreadable articles and pipeline failures are reported on
/// stderr and counted (the count is returned); a write error ends the run, since after a
/// closed pipe or a full disk there is no use reading on.
pub(crate) fn run_each<W: Write>(
    pipeline: &Pipeline,
    files: &[PathBuf],
    opts: &ReadOptions,
    out: &mut W,
    mut write: impl FnMut(&mut W, &Doc) -> std::io::Result<()>,
) -> Result<usize> {
    let mut failures = 0;
    let mut written = Ok(());
    for file in files {
        let flow = input::read_path_until(file, opts, &mut |rec| {
            match rec.map(|a| pipeline.try_run(a)) {
                Ok(Ok(doc)) => {
                    report_warnings(&doc);
                    written = write(out, &doc);
                }
                Ok(Err(e)) => fail(&e, &mut failures),
                Err(e) => fail(&e, &mut failures),
            }
            match written {
                Ok(()) => Flow::Continue(()),
                Err(_) => Flow::Break(()),
            }
        });
        if flow.is_break() {
            break;
        }
    }
    written
        .and_then(|()| out.flush())
        .context("writing output")?;
    Ok(failures)
}

fn fail(e: &dyn std::fmt::Display, failures: &mut usize) {
    eprintln!("dyad: {e}");
    *failures += 1;
}

/// A rayon pool of `threads` workers, or one per core.
pub(crate) fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        if n == 0 {
            bail!("--threads must be at least 1");
        }
        b = b.num_threads(n);
    }
    b.build().context("starting worker threads")
}

pub(crate) fn write_json<T: serde::Serialize>(
    out: &mut impl Write,
    value: &T,
) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

/// Peak resident memory of this process, from /proc (Linux); `None` elsewhere.
pub(crate) fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
