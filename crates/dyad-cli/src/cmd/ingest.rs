//! `dyad ingest`: code articles and keep them in an event store, one transaction per batch.

use crate::cmd::*;
use crate::Common;
use anyhow::{bail, Context, Result};
use dyad::input::{self, InputError, ReadOptions};
use dyad::Pipeline;
use dyad_core::{normalise_date, Article};
use dyad_output::{Writer, CODER};
use dyad_store::{Ingested, PutStats, Store};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::io::{BufRead, BufReader, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Running totals for the summary line.
#[derive(Default)]
struct Totals {
    read: usize,
    unchanged: usize,
    stored: PutStats,
    sentences: usize,
    bad: usize,
    /// Articles whose analysis hit an internal error (reported, not stored).
    internal: usize,
    /// Time the writer thread spent storing (overlapping the coding of the next batch).
    writing: Duration,
}

pub(crate) fn ingest(db: &Path, common: &Common, batch_size: usize) -> Result<ExitCode> {
    if batch_size == 0 {
        bail!("--batch must be at least 1");
    }
    let default_date = common
        .date
        .as_deref()
        .map(normalise_date)
        .transpose()
        .context("--date")?;
    let (dict, verbs) = dictionary(common.dictionaries.as_deref(), None, common.quiet)?;
    let dictionaries = common
        .dictionaries
        .as_ref()
        .map_or("builtin".to_string(), |p| p.display().to_string());
    let pipeline = Pipeline::with_dictionaries(dict, verbs)?;
    // Two connections: this thread checks what is already stored while a writer thread
    // stores the previous batch, so that coding never waits for the database.
    let reader = Store::open(db)?;
    let store = Store::open(db)?;
    let (files, skipped) = input::expand(&common.inputs);
    for s in &skipped {
        eprintln!("dyad: {s}");
    }
    let pool = thread_pool(common.threads)?;
    let bar = progress_bar(common.quiet, &files);
    let started = Instant::now();
    let mut totals = Totals::default();
    let coder = Coder {
        reader: &reader,
        pool: &pool,
        pipeline: &pipeline,
        dictionaries: &dictionaries,
    };
    let written = std::thread::scope(|scope| -> Result<(PutStats, Duration)> {
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Ingested>>(1);
        let writer = scope.spawn({
            let bar = bar.clone();
            move || write_batches(store, receive, &bar)
        });
        let mut batch: Vec<Article> = Vec::with_capacity(batch_size);
        let mut failure: Option<anyhow::Error> = None;
        let mut flush = |batch: &mut Vec<Article>, totals: &mut Totals| {
            if failure.is_none() && !batch.is_empty() {
                // A send fails only when the writer has stopped on an error.
                failure = coder
                    .code(batch, totals)
                    .and_then(|coded| {
                        send.send(coded)
                            .map_err(|_| anyhow::anyhow!("writer stopped"))
                    })
                    .err();
            }
            bar.set_position(totals.read as u64);
            batch.clear();
        };
        for file in &files {
            read_articles(file, default_date.as_deref(), &mut |rec| {
                match rec {
                    Ok(a) => batch.push(a),
                    Err(e) => {
                        bar.suspend(|| eprintln!("dyad: {e}"));
                        totals.bad += 1;
                    }
                }
                if batch.len() >= batch_size {
                    flush(&mut batch, &mut totals);
                }
            });
        }
        flush(&mut batch, &mut totals);
        drop(send);
        let written = writer.join().expect("the writer thread does not panic");
        match (written, failure) {
            (Err(e), _) | (Ok(_), Some(e)) => Err(e),
            (Ok(w), None) => Ok(w),
        }
    });
    bar.finish_and_clear();
    let (stored, writing) = written.with_context(|| format!("writing {}", db.display()))?;
    totals.stored = stored;
    totals.writing = writing;
    summary(common.quiet, db, &totals, started);
    if totals.bad > 0 || totals.internal > 0 {
        if common.quiet {
            eprintln!(
                "dyad: {} bad records, {} internal errors",
                totals.bad, totals.internal
            );
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Stores each batch received in one transaction; returns the totals and the time spent.
fn write_batches(
    mut store: Store,
    batches: std::sync::mpsc::Receiver<Vec<Ingested>>,
    bar: &ProgressBar,
) -> Result<(PutStats, Duration)> {
    let mut total = PutStats::default();
    let mut writing = Duration::ZERO;
    for batch in batches {
        let t = Instant::now();
        let s = store.put_batch(&batch)?;
        writing += t.elapsed();
        total.inserted += s.inserted;
        total.replaced += s.replaced;
        total.events += s.events;
        bar.set_message(format!("{} events", total.events));
    }
    Ok((total, writing))
}

/// What coding a batch needs.
struct Coder<'a> {
    reader: &'a Store,
    pool: &'a rayon::ThreadPool,
    pipeline: &'a Pipeline,
    dictionaries: &'a str,
}

impl Coder<'_> {
    /// Codes, in parallel, the articles of `batch` that the store does not already hold
    /// unchanged.
    fn code(&self, batch: &mut Vec<Article>, totals: &mut Totals) -> Result<Vec<Ingested>> {
        totals.read += batch.len();
        let mut todo = Vec::with_capacity(batch.len());
        for a in batch.drain(..) {
            let fingerprint = Store::fingerprint(&a, CODER, self.dictionaries);
            if self.reader.is_current(&a.id, &fingerprint)? {
                totals.unchanged += 1;
            } else {
                todo.push((a, fingerprint));
            }
        }
        let results: Vec<_> = self.pool.install(|| {
            todo.into_par_iter()
                .map(|(a, fingerprint)| (self.pipeline.try_run(a), fingerprint))
                .collect()
        });
        let mut coded = Vec::with_capacity(results.len());
        for (result, fingerprint) in results {
            match result {
                Ok(doc) => {
                    report_warnings(&doc);
                    coded.push(Ingested {
                        annotation: Writer::new(&doc).annotation(),
                        fingerprint,
                        coder: CODER.to_string(),
                        dictionaries: self.dictionaries.to_string(),
                    });
                }
                // One article's bug never loses the batch: it is reported and left out.
                Err(e) => {
                    eprintln!("dyad: {e}");
                    totals.internal += 1;
                }
            }
        }
        totals.sentences += coded
            .iter()
            .map(|c| c.annotation.sentences.len())
            .sum::<usize>();
        Ok(coded)
    }
}

/// Reads articles as `dyad code` does; in JSONL, a record without `date` takes it from
/// `published` ("2025-03-14 20:30:26Z", as in the VOA corpus), and one without `source`
/// takes its URL's host, so that sources can be counted.
fn read_articles(
    path: &Path,
    default_date: Option<&str>,
    each: &mut dyn FnMut(Result<Article, InputError>),
) {
    let opts = ReadOptions {
        default_date: default_date.map(str::to_string),
    };
    let name = path.display().to_string();
    if name != "-" && path.extension().and_then(|e| e.to_str()) != Some("jsonl") {
        return input::read_path(path, &opts, each);
    }
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("stdin")
        .to_string();
    let reader: Box<dyn BufRead> = if name == "-" {
        Box::new(PublishedAsDate::new(BufReader::new(std::io::stdin())))
    } else {
        match std::fs::File::open(path) {
            Ok(f) => Box::new(PublishedAsDate::new(BufReader::new(f))),
            Err(e) => {
                return each(Err(InputError {
                    place: name,
                    message: format!("cannot open: {e}"),
                }))
            }
        }
    };
    let no_default = ReadOptions::default();
    input::read_jsonl(&name, &stem, reader, &no_default, &mut |rec| {
        each(rec.map(|a| complete(a, &opts)))
    });
}

/// A JSONL stream in which a record without `date` gets one from `published` (its first
/// ten characters), line for line, so that the input reader's line numbers stay right.
struct PublishedAsDate<R> {
    inner: R,
    line: Vec<u8>,
    pos: usize,
}

impl<R: BufRead> PublishedAsDate<R> {
    fn new(inner: R) -> Self {
        PublishedAsDate {
            inner,
            line: Vec::new(),
            pos: 0,
        }
    }
}

/// The record with `date` from `published`, or `None` when nothing is to change (or the
/// line is not a JSON object: the reader reports it).
fn published_as_date(line: &[u8]) -> Option<Vec<u8>> {
    if !line.windows(11).any(|w| w == b"\"published\"") {
        return None;
    }
    let mut v: serde_json::Value = serde_json::from_slice(line).ok()?;
    let obj = v.as_object_mut()?;
    let has_date = obj
        .get("date")
        .is_some_and(|d| d.as_str().is_none_or(|s| !s.trim().is_empty()));
    let published = obj.get("published")?.as_str()?.get(..10)?.to_string();
    if has_date {
        return None;
    }
    obj.insert("date".into(), published.into());
    let mut out = serde_json::to_vec(&v).ok()?;
    out.push(b'\n');
    Some(out)
}

impl<R: BufRead> std::io::Read for PublishedAsDate<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for PublishedAsDate<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.pos >= self.line.len() {
            self.line.clear();
            self.pos = 0;
            self.inner.read_until(b'\n', &mut self.line)?;
            if let Some(changed) = published_as_date(&self.line) {
                self.line = changed;
            }
        }
        Ok(&self.line[self.pos..])
    }

    fn consume(&mut self, amt: usize) {
        self.pos += amt;
    }
}

/// Fills what the reader left empty; see [`read_articles`].
fn complete(mut a: Article, opts: &ReadOptions) -> Article {
    if a.source.is_none() {
        a.source = a.url.as_deref().and_then(host);
    }
    if a.date.is_none() {
        a.date = opts.default_date.clone();
    }
    a
}

/// The host of a URL without `www.`: `https://www.voanews.com/a/...` → `voanews.com`.
fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest
        .split(['/', '?', '#'])
        .next()?
        .trim_start_matches("www.");
    (!host.is_empty()).then(|| host.to_lowercase())
}

fn progress_bar(quiet: bool, files: &[PathBuf]) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar =
        ProgressBar::with_draw_target(Some(count_articles(files)), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{elapsed_precise} [{bar:30}] {pos}/{len} articles, {rate}, {msg}, ETA {eta}",
        )
        .expect("valid template")
        .with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.1} articles/s", state.per_sec());
            },
        )
        .progress_chars("=> "),
    );
    bar
}

/// How many articles the inputs hold (non-empty JSONL lines, text files), for the ETA.
fn count_articles(files: &[PathBuf]) -> u64 {
    files
        .iter()
        .map(|f| match f.extension().and_then(|e| e.to_str()) {
            Some("jsonl") => std::fs::File::open(f).map_or(0, |file| {
                BufReader::new(file)
                    .split(b'\n')
                    .filter(|l| l.as_ref().is_ok_and(|l| !l.trim_ascii().is_empty()))
                    .count() as u64
            }),
            _ => 1,
        })
        .sum()
}

fn summary(quiet: bool, db: &Path, t: &Totals, started: Instant) {
    if quiet {
        return;
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "dyad: {} articles read: {} new, {} replaced, {} unchanged; {} sentences, {} events \
         in {secs:.2} s ({:.0} sentences/s; writer busy {:.2} s) into {}{}",
        t.read,
        t.stored.inserted,
        t.stored.replaced,
        t.unchanged,
        t.sentences,
        t.stored.events,
        t.sentences as f64 / secs.max(1e-9),
        t.writing.as_secs_f64(),
        db.display(),
        problems(t)
    );
}

/// The summary's tail: bad records and internal errors, when there were any.
fn problems(t: &Totals) -> String {
    let mut s = String::new();
    if t.bad > 0 {
        s += &format!("; {} bad records", t.bad);
    }
    if t.internal > 0 {
        s += &format!("; {} internal errors", t.internal);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_gives_the_date_and_lines_keep_their_numbers() {
        let data = "{\"id\":\"v\",\"published\":\"2025-03-14 20:30:26Z\",\"text\":\"x\"}\n\
                    {\"id\":\"w\",\"date\":\"2024-01-02\",\"published\":\"2025-03-14 20:30:26Z\",\"text\":\"x\"}\n\
                    {bad\n";
        let mut out = Vec::new();
        let reader = PublishedAsDate::new(data.as_bytes());
        input::read_jsonl("v.jsonl", "v", reader, &ReadOptions::default(), &mut |r| {
            out.push(r)
        });
        assert_eq!(out[0].as_ref().unwrap().date.as_deref(), Some("2025-03-14"));
        assert_eq!(out[1].as_ref().unwrap().date.as_deref(), Some("2024-01-02"));
        assert!(out[2]
            .as_ref()
            .unwrap_err()
            .to_string()
            .starts_with("v.jsonl:3:"));
    }

    #[test]
    fn hosts_of_urls() {
        assert_eq!(
            host("https://www.voanews.com/a/x/1.html").as_deref(),
            Some("voanews.com")
        );
        assert_eq!(
            host("http://Example.org?q=1").as_deref(),
            Some("example.org")
        );
        assert_eq!(host(""), None);
    }
}
