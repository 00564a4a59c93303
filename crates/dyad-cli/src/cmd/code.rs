//! `dyad code` and `dyad annotate`: read articles, code them in parallel, write in order.

use crate::cmd::*;
use crate::{Common, Format};
use anyhow::{Context, Result};
use dyad::input::{self, InputError, ReadOptions};
use dyad::{InternalError, Pipeline};
use dyad_core::{normalise_date, Article, Doc};
use dyad_output::{Writer, CSV_HEADER};
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

pub(crate) enum Mode {
    Code(Format),
    Annotate,
}

/// Progress on stderr, only for a person at a terminal.
pub(crate) struct Progress {
    on: bool,
    last: Instant,
}

impl Progress {
    fn new(quiet: bool) -> Self {
        Progress {
            on: !quiet && std::io::stderr().is_terminal(),
            last: Instant::now(),
        }
    }
    fn tick(&mut self, articles: usize, events: usize) {
        if self.on && self.last.elapsed().as_millis() >= 200 {
            eprint!("\rdyad: {articles} articles, {events} events");
            self.last = Instant::now();
        }
    }
    fn done(&self) {
        if self.on {
            eprint!("\r\x1b[K");
        }
    }
}

pub(crate) fn process(common: &Common, mode: Mode) -> Result<ExitCode> {
    let opts = ReadOptions {
        default_date: common
            .date
            .as_deref()
            .map(normalise_date)
            .transpose()
            .context("--date")?,
    };
    let (dict, verbs) = dictionary(common.dictionaries.as_deref(), None, common.quiet)?;
    let pipeline = Pipeline::with_dictionaries(dict, verbs)?;
    let files = input_files(&common.inputs);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let csv = matches!(mode, Mode::Code(Format::Csv));
    if csv {
        csv::Writer::from_writer(&mut out).write_record(CSV_HEADER)?;
    }
    let pool = thread_pool(common.threads)?;
    let started = Instant::now();
    let (mut articles, mut sentences, mut events, mut bad) = (0usize, 0usize, 0usize, 0usize);
    let mut internal = 0usize;
    let mut progress = Progress::new(common.quiet);
    let mut write_err: Option<std::io::Error> = None;
    // Articles are coded in batches on all threads and written in input order.
    let batch_size = 16 * pool.current_num_threads();
    let mut batch: Vec<Article> = Vec::with_capacity(batch_size);
    // Returns whether the output is still open: after a write error (a closed pipe) there
    // is no use reading on.
    let mut flush = |batch: &mut Vec<Article>, progress: &mut Progress| -> bool {
        if write_err.is_some() || batch.is_empty() {
            batch.clear();
            return write_err.is_none();
        }
        let results: Vec<Result<Doc, InternalError>> = pool.install(|| {
            std::mem::take(batch)
                .into_par_iter()
                .map(|a| pipeline.try_run(a))
                .collect()
        });
        let mut docs = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Ok(doc) => {
                    report_warnings(&doc);
                    docs.push(doc)
                }
                Err(e) => {
                    progress.done();
                    eprintln!("dyad: {e}");
                    internal += 1;
                }
            }
        }
        let written = docs.iter().try_for_each(|doc| {
            articles += 1;
            sentences += doc.sentences.len();
            events += doc.events.len();
            let w = Writer::new(doc);
            match mode {
                Mode::Code(_) if csv => write_csv(&w, &mut out),
                Mode::Code(_) => w.records().try_for_each(|r| write_json(&mut out, &r)),
                Mode::Annotate => write_json(&mut out, &w.annotation()),
            }
        });
        write_err = written.err();
        progress.tick(articles, events);
        write_err.is_none()
    };
    let mut ids = input::Ids::default();
    for file in &files {
        let flow = input::read_path_until(file, &opts, &mut |rec: Result<Article, InputError>| {
            match rec {
                Ok(mut a) => {
                    if let Some(w) = ids.admit(&mut a) {
                        progress.done();
                        eprintln!("dyad: {}: warning: {w}", file.display());
                    }
                    batch.push(a)
                }
                Err(e) => {
                    progress.done();
                    eprintln!("dyad: {e}");
                    bad += 1;
                }
            }
            if batch.len() >= batch_size && !flush(&mut batch, &mut progress) {
                return input::Flow::Break(());
            }
            input::Flow::Continue(())
        });
        if flow.is_break() {
            break;
        }
    }
    flush(&mut batch, &mut progress);
    progress.done();
    let write_err = write_err.or_else(|| out.flush().err());
    if let Some(e) = write_err {
        // A closed pipe (`dyad code ... | head`) is not an error worth a message.
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Ok(ExitCode::SUCCESS);
        }
        return Err(e).context("writing output");
    }
    if !common.quiet {
        eprintln!(
            "dyad: {articles} articles, {sentences} sentences, {events} events in {:.2} s{}",
            started.elapsed().as_secs_f64(),
            failures(bad, internal)
        );
    }
    if bad + internal > 0 {
        if common.quiet {
            eprintln!("dyad:{}", failures(bad, internal).trim_start_matches(';'));
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn failures(bad: usize, internal: usize) -> String {
    let mut out = String::new();
    if bad > 0 {
        out += &format!("; {bad} bad records");
    }
    if internal > 0 {
        out += &format!("; {internal} articles failed with an internal error");
    }
    out
}

pub(crate) fn write_csv(w: &Writer, out: &mut impl Write) -> std::io::Result<()> {
    let mut c = csv::Writer::from_writer(out);
    for row in w.csv_rows() {
        c.write_record(&row)?;
    }
    c.flush()
}
