//! `dyad._dyad`: the pipeline of `dyad code` as a Python extension module. The public API
//! (`dyad.code`, `dyad.Coder`, ...) is the pure-Python package in `python/dyad`; this
//! module does the coding: records are read by the CLI's own JSONL reader
//! (`dyad::input::parse_record`), coded in parallel on a rayon pool with the GIL released
//! (`Pipeline::try_run`, as the CLI does), and written by `dyad_output::Writer`, so that
//! the output is the CLI's, record for record.

use dyad::input::{parse_record, Ids, ReadOptions};
use dyad::{InternalError, Pipeline};
use dyad_core::{normalise_date, Article, Doc};
use dyad_output::Writer;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::Once;
use std::time::Instant;

/// What to write for each coded article.
#[derive(Clone, Copy)]
enum Mode {
    /// PLOVER records, one JSON object a line (`dyad code`).
    Code,
    /// The annotation object (`dyad annotate`).
    Annotate,
}

/// One record's result, as handed to Python: `(id, status, payload, warnings)` where
/// status is "ok" (payload: the JSON output), "input" (a record that could not be read;
/// payload: why, without its place, which the caller knows better) or "internal" (a stage
/// failed on it; payload: the message).
type Outcome = (Option<String>, &'static str, String, Vec<String>);

/// A loaded pipeline and the threads that run it.
#[pyclass(frozen, module = "dyad._dyad")]
struct Coder {
    pipeline: Pipeline,
    pool: rayon::ThreadPool,
    /// Seconds spent building the pipeline (models, dictionaries).
    #[pyo3(get)]
    load_seconds: f64,
}

fn runtime(e: impl std::fmt::Display) -> PyErr {
    PyRuntimeError::new_err(e.to_string())
}

/// The pipeline over the built-in dictionaries, or PETRARCH ones read from `path`
/// (malformed lines are skipped, as `dyad code --dictionaries` does).
fn pipeline(path: Option<PathBuf>) -> PyResult<Pipeline> {
    let built = match path {
        None => Pipeline::builtin(),
        Some(p) => {
            let read = dyad::read_petrarch(&p, None)
                .map_err(|e| PyValueError::new_err(format!("{e:#}")))?;
            Pipeline::with_dictionaries(read.dict, read.verbs)
        }
    };
    built.map_err(runtime)
}

#[pymethods]
impl Coder {
    #[new]
    #[pyo3(signature = (dictionaries=None, threads=None))]
    fn new(
        py: Python<'_>,
        dictionaries: Option<PathBuf>,
        threads: Option<usize>,
    ) -> PyResult<Self> {
        static HOOK: Once = Once::new();
        // A panic inside a stage becomes that record's error, without a message on stderr.
        HOOK.call_once(dyad::quiet_panics);
        if threads == Some(0) {
            return Err(PyValueError::new_err("threads must be at least 1"));
        }
        py.detach(|| {
            let started = Instant::now();
            let pipeline = pipeline(dictionaries)?;
            let mut b = rayon::ThreadPoolBuilder::new();
            if let Some(n) = threads {
                b = b.num_threads(n);
            }
            let pool = b.build().map_err(runtime)?;
            Ok(Coder {
                pipeline,
                pool,
                load_seconds: started.elapsed().as_secs_f64(),
            })
        })
    }

    /// Number of threads coding a batch.
    #[getter]
    fn threads(&self) -> usize {
        self.pool.current_num_threads()
    }

    /// Codes JSONL records (one JSON object per string, the fields of `dyad code`'s JSONL
    /// input). `mode` is "code" or "annotate"; `default_date` fills records without a
    /// date; `name` stands for the file name in messages and ids of records without one.
    #[pyo3(signature = (lines, mode="code", default_date=None, name="python"))]
    fn code_lines(
        &self,
        py: Python<'_>,
        lines: Vec<String>,
        mode: &str,
        default_date: Option<String>,
        name: &str,
    ) -> PyResult<Vec<Outcome>> {
        let mode = match mode {
            "code" => Mode::Code,
            "annotate" => Mode::Annotate,
            other => return Err(PyValueError::new_err(format!("unknown mode {other:?}"))),
        };
        let opts = ReadOptions {
            default_date: default_date
                .as_deref()
                .map(normalise_date)
                .transpose()
                .map_err(|e| PyValueError::new_err(format!("default date: {e}")))?,
        };
        Ok(py.detach(|| self.code_batch(&lines, mode, &opts, name)))
    }

    /// How `text` is coded, sentence by sentence (the text `dyad explain` prints).
    #[pyo3(signature = (text, date=None))]
    fn explain(&self, py: Python<'_>, text: String, date: Option<String>) -> PyResult<String> {
        let date = date
            .as_deref()
            .map(normalise_date)
            .transpose()
            .map_err(|e| PyValueError::new_err(format!("date: {e}")))?;
        py.detach(|| {
            let mut article = Article::new("explain", text);
            article.date = date;
            let doc = self.pipeline.try_run(article).map_err(runtime)?;
            let mut out = Vec::new();
            dyad::explain::write(&doc, &mut out).map_err(runtime)?;
            String::from_utf8(out).map_err(runtime)
        })
    }
}

impl Coder {
    /// Reads, codes (in parallel) and writes `lines`, in input order.
    fn code_batch(
        &self,
        lines: &[String],
        mode: Mode,
        opts: &ReadOptions,
        name: &str,
    ) -> Vec<Outcome> {
        let mut ids = Ids::default();
        let read: Vec<Result<(Article, Vec<String>), String>> = lines
            .iter()
            .enumerate()
            .map(|(k, line)| {
                // As the CLI's JSONL reader: a byte-order mark is not part of the record.
                let record = line.trim().trim_start_matches('\u{FEFF}');
                let mut a = parse_record(record, name, k + 1, opts)?;
                let warning = ids.admit(&mut a);
                Ok((a, warning.into_iter().collect()))
            })
            .collect();
        self.pool.install(|| {
            read.into_par_iter()
                .map(|r| match r {
                    Ok((a, warnings)) => outcome(self.pipeline.try_run(a), mode, warnings),
                    Err(message) => (None, "input", message, Vec::new()),
                })
                .collect()
        })
    }
}

/// One coded article (or its failure) as handed to Python.
fn outcome(coded: Result<Doc, InternalError>, mode: Mode, mut warnings: Vec<String>) -> Outcome {
    let doc = match coded {
        Ok(doc) => doc,
        Err(e) => return (Some(e.id.clone()), "internal", e.to_string(), warnings),
    };
    let id = doc.article.id.clone();
    warnings.extend(doc.warnings.iter().map(|w| format!("{id}: warning: {w}")));
    let w = Writer::new(&doc);
    let json = match mode {
        Mode::Code => jsonl(w.records()),
        Mode::Annotate => serde_json::to_string(&w.annotation()),
    };
    match json {
        Ok(text) => (Some(id), "ok", text, warnings),
        Err(e) => {
            let message = format!("{id}: writing output: {e}");
            (Some(id), "internal", message, warnings)
        }
    }
}

/// Records one a line, as `dyad code` prints them (Python keeps each line as it is for
/// Spark's `record` column and parses it for the dicts).
fn jsonl<T: serde::Serialize>(records: impl Iterator<Item = T>) -> serde_json::Result<String> {
    let mut out = String::new();
    for r in records {
        out += &serde_json::to_string(&r)?;
        out.push('\n');
    }
    Ok(out)
}

/// The extension module.
#[pymodule]
fn _dyad(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Coder>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
