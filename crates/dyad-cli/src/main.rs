//! `dyad`: political event data (PLOVER/CAMEO) from news text.

use anyhow::Result;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

mod cmd;
use cmd::actors::*;
use cmd::bench::*;
use cmd::code::*;
use cmd::eval::*;
use cmd::explain::*;
use cmd::export::*;
use cmd::ingest::*;
use cmd::parse::*;
use cmd::places::*;
use cmd::query::*;
use cmd::quotes::*;
use cmd::serve::*;
use cmd::store_bench::*;
use cmd::train::*;

#[derive(Parser)]
#[command(
    name = "dyad",
    version,
    about = "Political event data (PLOVER/CAMEO) from news text"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
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
    /// Score the coder on a gold suite: PETRARCH2 unit suite (.jsonl), PLOVER gold (.json),
    /// the project's VOA gold (a folder of story files, `gold/voa`), CASE 2021 task 2 (.tsv)
    /// or IndiaPoliceEvents (its folder).
    Eval {
        /// The suite file or folder; skipped cleanly when absent.
        suite: PathBuf,
        /// Which scoring to apply; guessed from the path when omitted.
        #[arg(long, value_enum)]
        kind: Option<SuiteKind>,
        /// The VOA stories the gold annotates.
        #[arg(long, default_value = "../shared/corpora/voa/voa_stories.jsonl")]
        stories: PathBuf,
        /// How many misses and false events to list (real-news sets).
        #[arg(long, default_value_t = 0)]
        errors: usize,
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
        /// Train only the event filter (the learned decision over candidate events) on the
        /// VOA dev gold, report its cross-validation and write --filter-out.
        #[arg(long)]
        event_filter: bool,
        /// With --event-filter: the gold stories to train on.
        #[arg(long, default_value = "gold/voa/dev")]
        gold: PathBuf,
        /// With --event-filter: the VOA stories the gold annotates.
        #[arg(long, default_value = "../shared/corpora/voa/voa_stories.jsonl")]
        stories: PathBuf,
        /// With --event-filter: where to write the weights.
        #[arg(long, default_value = "crates/dyad-events/data/event_filter.tsv")]
        filter_out: PathBuf,
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
    /// Look places up in the built-in GeoNames gazetteer.
    Places {
        #[command(subcommand)]
        command: PlacesCommand,
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
    /// Code articles and keep them in an event store (SQLite): unchanged articles are
    /// skipped, changed ones replaced; stories and events are deduplicated as they arrive.
    Ingest {
        /// The store file (created when absent).
        #[arg(long)]
        db: PathBuf,
        #[command(flatten)]
        common: Common,
        /// Articles per transaction.
        #[arg(long, default_value_t = 64)]
        batch: usize,
    },
    /// Select deduplicated events from a store, or count them per day, week or month.
    Query(Box<QueryArgs>),
    /// Write every stored event mention as flat columns (Parquet, CSV or JSONL).
    Export {
        #[arg(long)]
        db: PathBuf,
        #[arg(long, value_enum)]
        format: RowFormat,
        /// Output file (`-` for stdout with csv and jsonl).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Serve a store's events as a JSON API and a dashboard in the browser (read-only on
    /// the store; a live ingest may run beside it).
    Serve {
        /// The store file, built by `dyad ingest`.
        #[arg(long)]
        db: PathBuf,
        /// Address to listen on; loopback unless told otherwise (the API has no
        /// authentication).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Actor and verb dictionaries in PETRARCH format for coding pasted texts.
        #[arg(long, value_name = "DIR")]
        dictionaries: Option<PathBuf>,
        /// Read-only database connections answering queries at once.
        #[arg(long, default_value_t = 4)]
        connections: usize,
        /// Compute every answer afresh (answers are otherwise kept until the store
        /// changes).
        #[arg(long)]
        no_cache: bool,
    },
    /// Generate a synthetic store of N events and time the typical queries on it.
    StoreBench {
        /// The store file to create (must not exist).
        #[arg(long)]
        db: PathBuf,
        #[arg(long, default_value_t = 1_000_000)]
        events: usize,
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
}

#[derive(Subcommand)]
pub(crate) enum ActorsCommand {
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

#[derive(Subcommand)]
pub(crate) enum PlacesCommand {
    /// The gazetteer entries going by NAME, ranked as the geo stage ranks them, and why the
    /// first wins.
    Lookup {
        /// A place name, e.g. "Paris" or "Goma".
        name: String,
        /// The country the context gives (ISO alpha-3, or a name: "USA", "Kenya").
        #[arg(long)]
        country: Option<String>,
        /// How many candidates to print.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// One JSON object per candidate instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub(crate) struct Common {
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
pub(crate) enum Format {
    Jsonl,
    Csv,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
pub(crate) enum SuiteKind {
    Petrarch,
    Plover,
    Voa,
    Case,
    Police,
    /// Event locations (`shared/peer/event_location/`).
    EventLocation,
    /// Hand-resolved place mentions of the VOA stories (`gold/places/voa.tsv`).
    Places,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    dyad::quiet_panics();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(cli)));
    let error = match result {
        Ok(Ok(code)) => return code,
        Ok(Err(e)) => e,
        Err(payload) => {
            let message = dyad::panic_message(payload.as_ref());
            if !dyad::is_print_failure(&message) {
                std::panic::resume_unwind(payload);
            }
            anyhow::anyhow!("writing output: {message}")
        }
    };
    // A closed pipe (`dyad ... | head`) ends the command quietly, as for any Unix filter.
    if is_broken_pipe(&error) {
        return ExitCode::SUCCESS;
    }
    eprintln!("dyad: error: {error:#}");
    ExitCode::from(2)
}

/// Whether an error comes from writing to a pipe whose reader has gone.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    }) || format!("{e:#}").contains("Broken pipe (os error 32)")
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Code { common, format } => process(&common, Mode::Code(format)),
        Command::Annotate { common } => process(&common, Mode::Annotate),
        Command::Eval {
            suite,
            kind,
            stories,
            errors,
            dictionaries,
            failures,
        } => eval(
            &suite,
            kind,
            dictionaries.as_deref(),
            Listing {
                failures,
                errors,
                stories,
            },
        ),
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
        Command::Places {
            command:
                PlacesCommand::Lookup {
                    name,
                    country,
                    limit,
                    json,
                },
        } => places_lookup(&name, country.as_deref(), limit, json),
        Command::Parse { inputs } => parse(&inputs),
        Command::Quotes { inputs, date, tsv } => quotes(&inputs, date.as_deref(), tsv),
        Command::Explain {
            text,
            date,
            dictionaries,
        } => explain(&text, date.as_deref(), dictionaries.as_deref()),
        Command::Train {
            event_filter: true,
            gold,
            stories,
            filter_out,
            ..
        } => cmd::train_filter::train_event_filter(&gold, &stories, &filter_out),
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
            ..
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
        Command::Ingest { db, common, batch } => ingest(&db, &common, batch),
        Command::Query(args) => query(&args),
        Command::Export { db, format, output } => export(&db, format, &output),
        Command::Serve {
            db,
            addr,
            dictionaries,
            connections,
            no_cache,
        } => serve(&ServeOptions {
            db: &db,
            addr,
            dictionaries: dictionaries.as_deref(),
            connections,
            no_cache,
        }),
        Command::StoreBench { db, events, seed } => store_bench(&db, events, seed),
    }
}
