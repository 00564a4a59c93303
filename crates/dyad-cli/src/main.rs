//! `dyad`: political event data (PLOVER/CAMEO) from news text.

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use dyad::input::{self, InputError, ReadOptions};
use dyad::Pipeline;
use dyad_actors::Dictionary;
use dyad_core::{normalise_date, Article, Doc};
use dyad_eval::{PetrarchScore, PloverScore, SuiteInput};
use dyad_events::VerbDictionary;
use dyad_output::{Writer, CSV_HEADER};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(
    name = "dyad",
    version,
    about = "Political event data (PLOVER/CAMEO) from news text"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Code events: one PLOVER JSON record per line (or CSV rows, one per dyad).
    Code {
        #[command(flatten)]
        common: Common,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Jsonl)]
        format: Format,
    },
    /// Print the full annotation of each article as one JSON object per line.
    Annotate {
        #[command(flatten)]
        common: Common,
    },
    /// Score the coder on a gold suite (PETRARCH2 unit suite .jsonl or PLOVER gold .json).
    Eval {
        /// The suite file; skipped cleanly when absent.
        suite: PathBuf,
        /// Which scoring to apply; guessed from the file extension when omitted.
        #[arg(long, value_enum)]
        kind: Option<SuiteKind>,
        /// Actor and verb dictionaries in PETRARCH format.
        #[arg(long, value_name = "DIR")]
        dictionaries: Option<PathBuf>,
        /// How many failed records to list.
        #[arg(long, default_value_t = 10)]
        failures: usize,
    },
    /// Explain how TEXT is coded: per sentence the analysis, the actors and the rows that
    /// produced them, and each event with the pattern that fired and why each actor and
    /// recipient was chosen.
    Explain {
        /// The text (one or more sentences).
        text: String,
        /// Article date (YYYY-MM-DD), for dated roles and relative dates.
        #[arg(long)]
        date: Option<String>,
        /// Actor and verb dictionaries in PETRARCH format.
        #[arg(long, value_name = "DIR")]
        dictionaries: Option<PathBuf>,
    },
    /// Print who said what: one row per quote with speaker, role, outlet and the words.
    Quotes {
        /// Input files, as for `code`.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Date (YYYY-MM-DD) for articles whose input has none.
        #[arg(long)]
        date: Option<String>,
        /// Tab-separated columns instead of the aligned table.
        #[arg(long)]
        tsv: bool,
    },
    /// Print the language analysis (tags, lemmas, dependencies, names) as CoNLL-U.
    Parse {
        /// Input files, as for `code`.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
    },
    /// Retrain every language model from the corpora and write the weights.
    Train {
        /// The corpora folder (UD English-EWT, UNER English-EWT, optionally GUM).
        #[arg(long, default_value = "../shared/corpora")]
        corpora: PathBuf,
        /// Where to write the models.
        #[arg(long, default_value = "crates/dyad-lang/models")]
        out: PathBuf,
        #[arg(long, default_value_t = 12)]
        tagger_epochs: usize,
        #[arg(long, default_value_t = 15)]
        parser_epochs: usize,
        /// Name recognizer epochs (4 was chosen on UNER dev; with --ner-choose-on-dev, the
        /// most to try).
        #[arg(long, default_value_t = 4)]
        ner_epochs: usize,
        /// Folds for the jackknifed tags the parser trains on (1 = gold tags).
        #[arg(long, default_value_t = 4)]
        folds: usize,
        /// Retrain only the name recognizer (writes only ner.bin); the other models are the
        /// built-in ones. Gives the same recognizer as a full run when the built-in tagger was
        /// trained by the same code.
        #[arg(long)]
        only_ner: bool,
        /// Train the name recognizer on UNER train only and keep its epoch that scores best
        /// on UNER dev (for choosing settings), instead of training on train and dev together
        /// for exactly --ner-epochs epochs (how the shipped model is trained).
        #[arg(long)]
        ner_choose_on_dev: bool,
        /// With --only-ner: a file caching the jackknifed train tags (written when absent).
        #[arg(long)]
        tags_cache: Option<PathBuf>,
    },
    /// Score the built-in language models on the corpora's held-out test sets.
    LangEval {
        /// The corpora folder; skipped cleanly when absent.
        #[arg(long, default_value = "../shared/corpora")]
        corpora: PathBuf,
    },
    /// Look up actors: which entities the dictionaries find in a text, and why.
    Actors {
        #[command(subcommand)]
        command: ActorsCommand,
    },
    /// Measure the whole pipeline's speed and memory on the inputs.
    Bench {
        /// Articles to code (.txt, .jsonl, directories); skipped cleanly when absent.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Minimum wall time to keep repeating the inputs for, in seconds.
        #[arg(long, default_value_t = 3.0)]
        seconds: f64,
        /// Worker threads (default: one per core); articles are coded in parallel.
        #[arg(long, short = 'j')]
        threads: Option<usize>,
    },
}

#[derive(Subcommand)]
enum ActorsCommand {
    /// Run text → language → actors on TEXT and explain each entity (code, sectors,
    /// identifier, dictionary rows and dated role; an organisation's members on the date).
    Lookup {
        /// The text, e.g. "President Joe Biden" or "ASEAN".
        text: String,
        /// The article date (YYYY-MM-DD or YYYYMMDD): picks dated roles and memberships.
        #[arg(long)]
        date: Option<String>,
        /// Actor dictionaries in PETRARCH format (DIR or DIR/PREFIX) instead of dyad's own.
        #[arg(long, value_name = "DIR")]
        dictionaries: Option<PathBuf>,
        /// One JSON object per entity instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct Common {
    /// Input files: .txt (one article), .jsonl (one article per line), directories, or - for
    /// JSONL on stdin.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Date (YYYY-MM-DD or YYYYMMDD) for articles whose input has none.
    #[arg(long)]
    date: Option<String>,
    /// Actor and verb dictionaries in PETRARCH format.
    #[arg(long, value_name = "DIR")]
    dictionaries: Option<PathBuf>,
    /// No progress or summary on stderr (errors are still printed).
    #[arg(long, short)]
    quiet: bool,
    /// Worker threads (default: one per core). Output order is the input order either way.
    #[arg(long, short = 'j')]
    threads: Option<usize>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Jsonl,
    Csv,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum SuiteKind {
    Petrarch,
    Plover,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("dyad: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Code { common, format } => process(&common, Mode::Code(format)),
        Command::Annotate { common } => process(&common, Mode::Annotate),
        Command::Eval {
            suite,
            kind,
            dictionaries,
            failures,
        } => eval(&suite, kind, dictionaries.as_deref(), failures),
        Command::Bench {
            inputs,
            seconds,
            threads,
        } => bench(&inputs, seconds, threads),
        Command::Actors {
            command:
                ActorsCommand::Lookup {
                    text,
                    date,
                    dictionaries,
                    json,
                },
        } => actors_lookup(&text, date.as_deref(), dictionaries.as_deref(), json),
        Command::Parse { inputs } => parse(&inputs),
        Command::Quotes { inputs, date, tsv } => quotes(&inputs, date.as_deref(), tsv),
        Command::Explain {
            text,
            date,
            dictionaries,
        } => explain(&text, date.as_deref(), dictionaries.as_deref()),
        Command::Train {
            corpora,
            out,
            tagger_epochs,
            parser_epochs,
            ner_epochs,
            folds,
            only_ner,
            tags_cache,
            ner_choose_on_dev,
        } => train(
            &corpora,
            &out,
            dyad_lang::train::Epochs {
                tagger: tagger_epochs,
                parser: parser_epochs,
                ner: ner_epochs,
                folds,
                ner_with_dev: !ner_choose_on_dev,
            },
            only_ner,
            tags_cache.as_deref(),
        ),
        Command::LangEval { corpora } => lang_eval(&corpora),
    }
}

/// The actor dictionaries: PETRARCH ones from `--dictionaries` (each malformed line and a
/// summary on stderr), else the built-in ones; and the PETRARCH verb dictionaries found
/// with them. `prefix` restricts a directory to one family of files when it has any.
fn dictionary(
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

enum Mode {
    Code(Format),
    Annotate,
}

/// Progress on stderr, only for a person at a terminal.
struct Progress {
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

fn process(common: &Common, mode: Mode) -> Result<ExitCode> {
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
    let (files, skipped) = input::expand(&common.inputs);
    for s in &skipped {
        eprintln!("dyad: skipped {} (not .txt or .jsonl)", s.display());
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let csv = matches!(mode, Mode::Code(Format::Csv));
    if csv {
        csv::Writer::from_writer(&mut out).write_record(CSV_HEADER)?;
    }
    let pool = thread_pool(common.threads)?;
    let started = Instant::now();
    let (mut articles, mut sentences, mut events, mut bad) = (0usize, 0usize, 0usize, 0usize);
    let mut progress = Progress::new(common.quiet);
    let mut write_err: Option<std::io::Error> = None;
    // Articles are coded in batches on all threads and written in input order.
    let batch_size = 16 * pool.current_num_threads();
    let mut batch: Vec<Article> = Vec::with_capacity(batch_size);
    let mut flush = |batch: &mut Vec<Article>, progress: &mut Progress| {
        // After a write error (a closed pipe) the rest is read but no longer coded.
        if write_err.is_some() || batch.is_empty() {
            batch.clear();
            return;
        }
        let docs: Vec<Doc> = pool.install(|| {
            std::mem::take(batch)
                .into_par_iter()
                .map(|a| pipeline.run(a))
                .collect()
        });
        let written = docs.iter().try_for_each(|doc| {
            articles += 1;
            sentences += doc.sentences.len();
            events += doc.events.len();
            let w = Writer::new(doc);
            match mode {
                Mode::Code(_) if csv => write_csv(&w, &mut out),
                Mode::Code(_) => w.events().iter().try_for_each(|r| write_json(&mut out, r)),
                Mode::Annotate => write_json(&mut out, &w.annotation()),
            }
        });
        write_err = written.err();
        progress.tick(articles, events);
    };
    for file in &files {
        input::read_path(file, &opts, &mut |rec: Result<Article, InputError>| {
            match rec {
                Ok(a) => batch.push(a),
                Err(e) => {
                    progress.done();
                    eprintln!("dyad: {e}");
                    bad += 1;
                }
            }
            if batch.len() >= batch_size {
                flush(&mut batch, &mut progress);
            }
        });
    }
    flush(&mut batch, &mut progress);
    progress.done();
    if let Some(e) = write_err {
        // A closed pipe (`dyad code ... | head`) is not an error worth a message.
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Ok(ExitCode::SUCCESS);
        }
        return Err(e).context("writing output");
    }
    out.flush().ok();
    if !common.quiet {
        eprintln!(
            "dyad: {articles} articles, {sentences} sentences, {events} events in {:.2} s{}",
            started.elapsed().as_secs_f64(),
            if bad > 0 {
                format!("; {bad} bad records")
            } else {
                String::new()
            }
        );
    }
    if bad > 0 {
        if common.quiet {
            eprintln!("dyad: {bad} bad records");
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// A rayon pool of `threads` workers, or one per core.
fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        if n == 0 {
            bail!("--threads must be at least 1");
        }
        b = b.num_threads(n);
    }
    b.build().context("starting worker threads")
}

fn write_json<T: serde::Serialize>(out: &mut impl Write, value: &T) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

fn write_csv(w: &Writer, out: &mut impl Write) -> std::io::Result<()> {
    let mut c = csv::Writer::from_writer(out);
    for row in w.csv_rows() {
        c.write_record(&row)?;
    }
    c.flush()
}

/// Codes suite inputs in-process and returns their PLOVER records as JSON values, as
/// `dyad code` would print them.
/// Also returns, per record, the actor codes of every entity found in its text.
fn code_suite(pipeline: &Pipeline, inputs: &[&SuiteInput]) -> Result<SuiteOutput> {
    let mut by_id: HashMap<String, Vec<Value>> = HashMap::new();
    let mut entity_codes: HashMap<String, BTreeSet<String>> = HashMap::new();
    for (n, inp) in inputs.iter().enumerate() {
        let line = serde_json::json!({"id": inp.id, "date": inp.date, "text": inp.text, "config": inp.config});
        let article =
            input::parse_record(&line.to_string(), "suite", n + 1, &ReadOptions::default())
                .map_err(|e| anyhow::anyhow!("suite record {}: {e}", inp.id))?;
        let doc = pipeline.run(article);
        entity_codes
            .entry(inp.id.clone())
            .or_default()
            .extend(doc.entities.iter().map(|e| e.actor.code.clone()));
        let recs = Writer::new(&doc).events();
        by_id.entry(inp.id.clone()).or_default().extend(
            recs.iter()
                .map(|r| serde_json::to_value(r).expect("records serialise")),
        );
    }
    Ok((by_id, entity_codes))
}

type SuiteOutput = (
    HashMap<String, Vec<Value>>,
    HashMap<String, BTreeSet<String>>,
);

fn eval(
    suite: &Path,
    kind: Option<SuiteKind>,
    dictionaries: Option<&Path>,
    failures: usize,
) -> Result<ExitCode> {
    if !suite.exists() {
        eprintln!("dyad eval: skipped: {} not found", suite.display());
        return Ok(ExitCode::SUCCESS);
    }
    let kind = match kind {
        Some(k) => k,
        None => match suite.extension().and_then(|e| e.to_str()) {
            Some("jsonl") => SuiteKind::Petrarch,
            Some("json") => SuiteKind::Plover,
            _ => bail!(
                "cannot tell the suite kind of {}; pass --kind petrarch|plover",
                suite.display()
            ),
        },
    };
    let text =
        std::fs::read_to_string(suite).with_context(|| format!("reading {}", suite.display()))?;
    // Dictionaries load exactly as `dyad code --dictionaries` loads them, so that eval agrees
    // with the reference scorer given the same arguments; `DIR/PREFIX` picks one family
    // (`dictionaries/PETR.Validate` for the PETRARCH suite).
    let (dict, verbs) = dictionary(dictionaries, None, false)?;
    let pipeline = Pipeline::with_dictionaries(dict, verbs)?;
    let name = suite.display();
    match kind {
        SuiteKind::Petrarch => {
            let cases =
                dyad_eval::parse_petrarch(&text).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
            let (pred, _) = code_suite(
                &pipeline,
                &cases.iter().map(|c| &c.input).collect::<Vec<_>>(),
            )?;
            let s = dyad_eval::score_petrarch(&cases, &pred);
            print_petrarch(&s, failures);
        }
        SuiteKind::Plover => {
            let cases =
                dyad_eval::parse_plover(&text).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
            let (pred, entity_codes) = code_suite(
                &pipeline,
                &cases.iter().map(|c| &c.input).collect::<Vec<_>>(),
            )?;
            print_plover(&dyad_eval::score_plover(&cases, &pred));
            let (found, total) = dyad_eval::actor_share(&cases, &entity_codes);
            println!(
                "PLOVER gold actor codes found among the sentence's entities: {found}/{total} = {:.1}%",
                100.0 * found as f64 / total.max(1) as f64
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_petrarch(s: &PetrarchScore, failures: usize) {
    for (id, gold, got) in s.failures.iter().take(failures) {
        println!("fail {id} expected {gold:?} got {got:?}");
    }
    println!("{:<10} passed/total", "category");
    for (cat, (p, t)) in &s.by_category {
        println!("{cat:<10} {p}/{t}");
    }
    println!(
        "root-relaxed: strict pass {}/{} = {:.1}%; triples F1={:.3}",
        s.root_passed,
        s.records,
        100.0 * s.root_passed as f64 / s.records.max(1) as f64,
        s.root_triples.f1()
    );
    println!(
        "petrarch unit suite: strict pass {}/{} = {:.1}%; triples P={:.3} R={:.3} F1={:.3} (PETRARCH2: 32.3%, F1 0.413)",
        s.passed,
        s.records,
        100.0 * s.pass_rate(),
        s.triples.precision(),
        s.triples.recall(),
        s.triples.f1()
    );
}

fn print_plover(s: &PloverScore) {
    for (t, (f, n)) in &s.by_type {
        println!("{t:<10} type found {f}/{n}");
    }
    println!(
        "PLOVER gold records: type found {:.1}% of {}; full events P={:.3} R={:.3} F1={:.3}",
        100.0 * s.type_rate(),
        s.records,
        s.precision(),
        s.recall(),
        s.f1()
    );
}

/// Peak resident memory of this process, from /proc (Linux); `None` elsewhere.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn bench(inputs: &[PathBuf], seconds: f64, threads: Option<usize>) -> Result<ExitCode> {
    let present: Vec<PathBuf> = inputs.iter().filter(|p| p.exists()).cloned().collect();
    if present.is_empty() {
        eprintln!("dyad bench: skipped: no input found");
        return Ok(ExitCode::SUCCESS);
    }
    let pool = thread_pool(threads)?;
    let t = Instant::now();
    let pipeline = Pipeline::builtin()?;
    let load = t.elapsed();
    let (files, _) = input::expand(&present);
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
                    let doc: Doc = pipeline.run_timed((*a).clone(), &mut mine);
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
    Ok(ExitCode::SUCCESS)
}

fn explain(text: &str, date: Option<&str>, dictionaries: Option<&Path>) -> Result<ExitCode> {
    let date = date.map(normalise_date).transpose().context("--date")?;
    let (dict, verbs) = dictionary(dictionaries, None, true)?;
    let pipeline = Pipeline::with_dictionaries(dict, verbs)?;
    let mut article = Article::new("explain", text);
    article.date = date;
    let doc = pipeline.run(article);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mention = |i: usize| {
        let e = &doc.entities[i];
        format!("[{i}] {:?} {}", doc.slice(e.span), e.actor.cameo())
    };
    for (s, sentence) in doc.sentences.iter().enumerate() {
        writeln!(out, "sentence {s}: {:?}", doc.slice(sentence.span))?;
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
                mention(i),
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
                        .map(|&i| mention(i))
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
                writeln!(
                    out,
                    "        claimed by {} (cue {:?})",
                    a.speaker.map_or("an unnamed source".into(), mention),
                    doc.slice(a.cue)
                )?;
            }
        }
        if !doc.events.iter().any(|e| e.sentence == s) {
            writeln!(out, "    (none)")?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn actors_lookup(
    text: &str,
    date: Option<&str>,
    dictionaries: Option<&Path>,
    json: bool,
) -> Result<ExitCode> {
    let date = date.map(normalise_date).transpose().context("--date")?;
    let lookup = dyad::ActorLookup::with_dictionary(dictionary(dictionaries, None, true)?.0)?;
    let mut article = Article::new("lookup", text);
    article.date = date.clone();
    let doc = lookup.run(article);
    let dict = lookup.dictionary();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if doc.entities.is_empty() && !json {
        writeln!(out, "no actors found in {text:?}")?;
    }
    for (i, e) in doc.entities.iter().enumerate() {
        let a = &e.actor;
        let members: Option<Vec<String>> = match (&e.kind, &a.identifier) {
            (dyad_core::EntityKind::Organisation, Some(id)) => Some(
                dict.members(id, date.as_deref())
                    .iter()
                    .map(|m| m.member.clone())
                    .collect(),
            ),
            _ => None,
        }
        .filter(|m: &Vec<String>| !m.is_empty());
        let kind = serde_json::to_value(e.kind)?
            .as_str()
            .unwrap_or_default()
            .to_string();
        if json {
            let v = serde_json::json!({
                "text": doc.slice(e.span),
                "code": a.code,
                "sectors": a.sectors,
                "cameo": a.cameo(),
                "identifier": a.identifier,
                "kind": kind,
                "confidence": e.confidence,
                "antecedent": e.antecedent,
                "rule": e.rule,
                "date": date,
                "members": members,
            });
            write_json(&mut out, &v)?;
            continue;
        }
        writeln!(
            out,
            "{:?}  {}{}",
            doc.slice(e.span),
            if a.code.is_empty() { "---" } else { &a.code },
            a.sectors
                .iter()
                .map(|s| format!(" {s}"))
                .collect::<String>()
        )?;
        writeln!(out, "  cameo       {}", a.cameo())?;
        if let Some(id) = &a.identifier {
            writeln!(out, "  identifier  {id}")?;
        }
        writeln!(out, "  kind        {kind}, confidence {:.2}", e.confidence)?;
        if let Some(k) = e.antecedent {
            writeln!(
                out,
                "  antecedent  #{k} {:?}",
                doc.slice(doc.entities[k].span)
            )?;
        }
        for part in e.rule.split(" + ") {
            writeln!(out, "  rule        {part}")?;
        }
        if let Some(m) = members {
            let when = match &date {
                Some(d) => format!("on {d}"),
                None => "ever listed".to_string(),
            };
            writeln!(out, "  members {when} ({}): {}", m.len(), m.join(" "))?;
        }
        if i + 1 < doc.entities.len() {
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn quotes(inputs: &[PathBuf], date: Option<&str>, tsv: bool) -> Result<ExitCode> {
    let opts = ReadOptions {
        default_date: date.map(normalise_date).transpose().context("--date")?,
    };
    let pipeline = Pipeline::builtin()?;
    let (files, _) = input::expand(inputs);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let header = ["article", "speaker", "role", "outlet", "kind", "quote"];
    if tsv {
        writeln!(out, "{}", header.join("\t"))?;
    } else {
        writeln!(
            out,
            "{:<16} {:<28} {:<34} {:<18} {:<8} {}",
            header[0], header[1], header[2], header[3], header[4], header[5]
        )?;
    }
    let mut bad = 0;
    let mut rows = 0;
    for file in &files {
        input::read_path(file, &opts, &mut |rec| {
            let article = match rec {
                Ok(a) => a,
                Err(e) => {
                    eprintln!("dyad: {e}");
                    bad += 1;
                    return;
                }
            };
            let doc = pipeline.run(article);
            for q in Writer::new(&doc).annotation().quotes {
                let speaker = q.speaker.as_ref().map_or("(unnamed)".to_string(), |s| {
                    match (&s.identifier_text, s.entity_text.as_str()) {
                        (Some(id), text) if id != text => format!("{id} ({text})"),
                        (Some(id), _) => id.clone(),
                        (None, text) => text.to_string(),
                    }
                });
                let role = q.speaker.as_ref().map_or(String::new(), |s| {
                    let mut r = s.cameo.clone();
                    if let Some(d) = &q.speaker_description {
                        r.push_str(&format!(", {d}"));
                    }
                    r
                });
                let outlet = q
                    .outlet
                    .as_ref()
                    .map_or(String::new(), |o| o.entity_text.clone());
                let kind = if q.direct { "direct" } else { "reported" };
                let text = q.text.replace(['\n', '\t'], " ");
                rows += 1;
                let _ = if tsv {
                    writeln!(
                        out,
                        "{}\t{speaker}\t{role}\t{outlet}\t{kind}\t{text}",
                        doc.article.id
                    )
                } else {
                    let short: String = text.chars().take(70).collect();
                    let more = if text.chars().count() > 70 { "..." } else { "" };
                    writeln!(
                        out,
                        "{:<16} {:<28} {:<34} {:<18} {:<8} {short}{more}",
                        doc.article.id.chars().take(16).collect::<String>(),
                        speaker.chars().take(28).collect::<String>(),
                        role.chars().take(34).collect::<String>(),
                        outlet.chars().take(18).collect::<String>(),
                        kind
                    )
                };
            }
        });
    }
    out.flush()?;
    eprintln!("dyad: {rows} quotes");
    Ok(if bad > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn parse(inputs: &[PathBuf]) -> Result<ExitCode> {
    let dict = dyad_actors::Dictionary::builtin()?;
    let language = dyad_lang::stage::LanguageStage::new(
        dyad_lang::stage::Models::builtin()?,
        dyad::gazetteer(&dict),
    );
    let (files, _) = input::expand(inputs);
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
fn conllu_of(doc: &Doc) -> String {
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

fn train(
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
fn train_ner(
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

fn lang_eval(corpora: &Path) -> Result<ExitCode> {
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
