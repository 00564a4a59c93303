//! `dyad export`: every stored event mention as flat columns, and the row writers that
//! `dyad query` shares.

use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use dyad_store::{EventRow, ParquetSink, RowSink, Store, StoreError, CSV_COLUMNS};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RowFormat {
    /// PLOVER records with a `dedup` object, one per line.
    Jsonl,
    /// GDELT-like flat columns with a header.
    Csv,
    /// The same flat columns, zstd-compressed Parquet.
    Parquet,
}

/// Rows to a file or stdout in one of the formats.
pub(crate) enum RowWriter {
    Jsonl(Box<dyn Write>),
    Csv(Box<csv::Writer<Box<dyn Write>>>),
    Parquet(Box<ParquetSink>),
}

impl RowWriter {
    pub(crate) fn create(format: RowFormat, output: Option<&Path>) -> Result<Self> {
        let out: Option<Box<dyn Write>> = match output {
            Some(p) if p.as_os_str() != "-" => Some(Box::new(BufWriter::new(
                File::create(p).with_context(|| format!("creating {}", p.display()))?,
            ))),
            _ => None,
        };
        let stdout = || -> Box<dyn Write> { Box::new(BufWriter::new(std::io::stdout())) };
        Ok(match format {
            RowFormat::Jsonl => RowWriter::Jsonl(out.unwrap_or_else(stdout)),
            RowFormat::Csv => {
                let mut w = csv::Writer::from_writer(out.unwrap_or_else(stdout));
                w.write_record(CSV_COLUMNS)?;
                RowWriter::Csv(Box::new(w))
            }
            RowFormat::Parquet => match output.filter(|p| p.as_os_str() != "-") {
                Some(p) => RowWriter::Parquet(Box::new(ParquetSink::create(p)?)),
                None => bail!("--format parquet needs an output file (-o PATH)"),
            },
        })
    }

    pub(crate) fn finish(self) -> Result<()> {
        match self {
            RowWriter::Jsonl(mut w) => w.flush()?,
            RowWriter::Csv(mut w) => w.flush()?,
            RowWriter::Parquet(p) => p.finish()?,
        }
        Ok(())
    }
}

impl RowSink for RowWriter {
    fn push(&mut self, row: EventRow) -> Result<(), StoreError> {
        match self {
            RowWriter::Jsonl(w) => {
                w.write_all(row.jsonl().as_bytes())?;
                w.write_all(b"\n")?;
            }
            RowWriter::Csv(w) => w
                .write_record(row.csv_record())
                .map_err(std::io::Error::from)?,
            RowWriter::Parquet(p) => p.push(row)?,
        }
        Ok(())
    }
}

pub(crate) fn export(db: &Path, format: RowFormat, output: &Path) -> Result<ExitCode> {
    let store = open_existing(db)?;
    let mut writer = RowWriter::create(format, Some(output))?;
    let n = store.export(&mut writer)?;
    writer.finish()?;
    eprintln!("dyad: {n} event mentions written to {}", output.display());
    Ok(ExitCode::SUCCESS)
}

/// Opens a store that must exist (reading a missing file would create an empty one).
pub(crate) fn open_existing(db: &Path) -> Result<Store> {
    if !db.is_file() {
        bail!(
            "{}: no such store (create it with `dyad ingest --db`)",
            db.display()
        );
    }
    Ok(Store::open(db)?)
}
