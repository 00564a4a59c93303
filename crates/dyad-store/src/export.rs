//! Flat rows for output: one per event mention (or per deduplicated event, as its root
//! mention), with the event's counts and the article's metadata. The same columns go to
//! CSV and Parquet; JSONL is the mention's PLOVER record with a `dedup` object added.

use crate::{Result, Store};
use rusqlite::Row;
use serde_json::json;

/// A flat event row. Column meanings are documented in `docs/store.md`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EventRow {
    pub mention_id: String,
    pub event_id: String,
    pub article_id: String,
    pub story: Option<String>,
    pub date: Option<String>,
    pub date_last: Option<String>,
    pub event_type: String,
    pub mode: String,
    pub context: String,
    pub cameo: String,
    pub quad: i64,
    pub scale: f64,
    pub actor: String,
    pub actor_cameo: String,
    pub recipient: String,
    pub recipient_cameo: String,
    pub country: Option<String>,
    pub place: Option<String>,
    pub claimed: bool,
    pub speaker: Option<String>,
    pub mentions: i64,
    pub articles: i64,
    pub sources: i64,
    pub event_confidence: f64,
    pub confidence: f64,
    pub article_date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub sentence: i64,
    pub text: Option<String>,
    pub rule: String,
    pub coder: String,
    /// The event location's GeoNames entry: id, name, coordinates, first-level division,
    /// feature class.code, and how the place was chosen (locative, object, dateline, story).
    pub geonameid: Option<i64>,
    pub placename: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub admin1: Option<String>,
    pub feature: Option<String>,
    pub place_method: Option<String>,
    /// The mention's PLOVER record (JSON), for JSONL output only.
    #[serde(skip)]
    pub record: String,
}

/// CSV and Parquet columns, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "mention_id",
    "event_id",
    "article_id",
    "story",
    "date",
    "date_last",
    "event_type",
    "mode",
    "context",
    "cameo",
    "quad",
    "scale",
    "actor",
    "actor_cameo",
    "recipient",
    "recipient_cameo",
    "country",
    "place",
    "claimed",
    "speaker",
    "mentions",
    "articles",
    "sources",
    "event_confidence",
    "confidence",
    "article_date",
    "source",
    "url",
    "title",
    "sentence",
    "text",
    "rule",
    "coder",
    "geonameid",
    "placename",
    "latitude",
    "longitude",
    "admin1",
    "feature",
    "place_method",
];

impl EventRow {
    /// Columns over `event_groups g`, `events e`, `articles a`, in `from_row` order.
    pub(crate) const SELECT: &'static str = "SELECT e.id, g.root, a.id, a.story, e.date, g.date_last, e.type, e.mode,
        e.context, e.cameo, e.quad, e.scale, e.actor,
        coalesce((SELECT group_concat(cameo, ';') FROM participants WHERE event = e.pk AND role = 'actor'), ''),
        e.recipient,
        coalesce((SELECT group_concat(cameo, ';') FROM participants WHERE event = e.pk AND role = 'recipient'), ''),
        e.country, e.place, e.claimed, e.speaker, g.mentions, g.articles, g.sources,
        g.confidence, e.confidence, a.date, a.source, a.url, a.title, e.sentence,
        (SELECT text FROM sentences WHERE article = e.article AND seq = e.sentence),
        e.rule, a.coder, e.record, e.geonameid, e.placename, e.latitude, e.longitude,
        e.admin1, e.feature, e.place_method";

    pub(crate) fn from_row(r: &Row) -> rusqlite::Result<Self> {
        Ok(EventRow {
            mention_id: r.get(0)?,
            event_id: r.get(1)?,
            article_id: r.get(2)?,
            story: r.get(3)?,
            date: r.get(4)?,
            date_last: r.get(5)?,
            event_type: r.get(6)?,
            mode: r.get(7)?,
            context: r.get(8)?,
            cameo: r.get(9)?,
            quad: r.get(10)?,
            scale: r.get(11)?,
            actor: r.get(12)?,
            actor_cameo: r.get(13)?,
            recipient: r.get(14)?,
            recipient_cameo: r.get(15)?,
            country: r.get(16)?,
            place: r.get(17)?,
            claimed: r.get(18)?,
            speaker: r.get(19)?,
            mentions: r.get(20)?,
            articles: r.get(21)?,
            sources: r.get(22)?,
            event_confidence: r.get(23)?,
            confidence: r.get(24)?,
            article_date: r.get(25)?,
            source: r.get(26)?,
            url: r.get(27)?,
            title: r.get(28)?,
            sentence: r.get(29)?,
            text: r.get(30)?,
            rule: r.get(31)?,
            coder: r.get(32)?,
            record: r.get(33)?,
            geonameid: r.get(34)?,
            placename: r.get(35)?,
            latitude: r.get(36)?,
            longitude: r.get(37)?,
            admin1: r.get(38)?,
            feature: r.get(39)?,
            place_method: r.get(40)?,
        })
    }

    /// The row as CSV fields in [`CSV_COLUMNS`] order.
    pub fn csv_record(&self) -> Vec<String> {
        let o = |s: &Option<String>| s.clone().unwrap_or_default();
        vec![
            self.mention_id.clone(),
            self.event_id.clone(),
            self.article_id.clone(),
            o(&self.story),
            o(&self.date),
            o(&self.date_last),
            self.event_type.clone(),
            self.mode.clone(),
            self.context.clone(),
            self.cameo.clone(),
            self.quad.to_string(),
            self.scale.to_string(),
            self.actor.clone(),
            self.actor_cameo.clone(),
            self.recipient.clone(),
            self.recipient_cameo.clone(),
            o(&self.country),
            o(&self.place),
            self.claimed.to_string(),
            o(&self.speaker),
            self.mentions.to_string(),
            self.articles.to_string(),
            self.sources.to_string(),
            self.event_confidence.to_string(),
            self.confidence.to_string(),
            o(&self.article_date),
            o(&self.source),
            o(&self.url),
            o(&self.title),
            self.sentence.to_string(),
            o(&self.text),
            self.rule.clone(),
            self.coder.clone(),
            self.geonameid.map(|g| g.to_string()).unwrap_or_default(),
            o(&self.placename),
            self.latitude.map(|x| x.to_string()).unwrap_or_default(),
            self.longitude.map(|x| x.to_string()).unwrap_or_default(),
            o(&self.admin1),
            o(&self.feature),
            o(&self.place_method),
        ]
    }

    /// The mention's PLOVER record (its fields in `dyad code`'s order) with a `dedup`
    /// object: the event it belongs to (its root mention's id), the event's counts and
    /// combined confidence, the story and the source.
    pub fn jsonl(&self) -> String {
        let dedup = json!({
            "event_id": self.event_id,
            "date_last": self.date_last,
            "mentions": self.mentions,
            "articles": self.articles,
            "sources": self.sources,
            "confidence": self.event_confidence,
            "story": self.story,
            "source": self.source,
            "url": self.url,
        });
        // The record is stored as one JSON object: splice the field in before its end.
        match self.record.trim_end().strip_suffix('}') {
            Some(body) => format!("{body},\"dedup\":{dedup}}}"),
            None => json!({ "dedup": dedup }).to_string(),
        }
    }
}

/// Where rows go (a writer of some format, or a vector in tests).
pub trait RowSink {
    fn push(&mut self, row: EventRow) -> Result<()>;
}

impl RowSink for Vec<EventRow> {
    fn push(&mut self, row: EventRow) -> Result<()> {
        Vec::push(self, row);
        Ok(())
    }
}

impl Store {
    /// Every stored mention, by event date, event and mention id.
    pub fn export(&self, sink: &mut dyn RowSink) -> Result<usize> {
        let query = format!(
            "{} FROM events e JOIN event_groups g ON g.root = e.root
               JOIN articles a ON a.pk = e.article
             ORDER BY g.date, g.root, e.id",
            EventRow::SELECT
        );
        self.rows(&query, &[], sink)
    }
}

#[cfg(feature = "parquet")]
pub use pq::{read_parquet_rows, ParquetSink};

#[cfg(feature = "parquet")]
mod pq {
    use super::{EventRow, RowSink, CSV_COLUMNS};
    use crate::Result;
    use arrow_array::{
        Array, ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray,
    };
    use arrow_schema::{DataType, Field, Schema};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use parquet::arrow::ArrowWriter;
    use parquet::basic::{Compression, ZstdLevel};
    use parquet::file::properties::WriterProperties;
    use std::fs::File;
    use std::path::Path;
    use std::sync::Arc;

    /// Rows per row group: bounded memory on a whole-store export.
    const CHUNK: usize = 65_536;

    fn data_type(column: &str) -> (DataType, bool) {
        match column {
            "quad" | "mentions" | "articles" | "sources" | "sentence" => (DataType::Int64, false),
            "geonameid" => (DataType::Int64, true),
            "scale" | "event_confidence" | "confidence" => (DataType::Float64, false),
            "latitude" | "longitude" => (DataType::Float64, true),
            "claimed" => (DataType::Boolean, false),
            "story" | "date" | "date_last" | "country" | "place" | "speaker" | "article_date"
            | "source" | "url" | "title" | "text" | "placename" | "admin1" | "feature"
            | "place_method" => (DataType::Utf8, true),
            _ => (DataType::Utf8, false),
        }
    }

    pub fn schema() -> Arc<Schema> {
        Arc::new(Schema::new(
            CSV_COLUMNS
                .iter()
                .map(|c| {
                    let (t, nullable) = data_type(c);
                    Field::new(*c, t, nullable)
                })
                .collect::<Vec<_>>(),
        ))
    }

    /// Writes rows to a Parquet file (zstd), one row group per [`CHUNK`] rows.
    pub struct ParquetSink {
        writer: ArrowWriter<File>,
        buf: Vec<EventRow>,
    }

    impl ParquetSink {
        pub fn create(path: &Path) -> Result<Self> {
            let props = WriterProperties::builder()
                .set_compression(Compression::ZSTD(ZstdLevel::default()))
                .build();
            let file = File::create(path)?;
            Ok(ParquetSink {
                writer: ArrowWriter::try_new(file, schema(), Some(props))?,
                buf: Vec::new(),
            })
        }

        fn flush(&mut self) -> Result<()> {
            if !self.buf.is_empty() {
                let batch = to_batch(&std::mem::take(&mut self.buf))?;
                self.writer.write(&batch)?;
            }
            Ok(())
        }

        pub fn finish(mut self) -> Result<()> {
            self.flush()?;
            self.writer.close()?;
            Ok(())
        }
    }

    impl RowSink for ParquetSink {
        fn push(&mut self, row: EventRow) -> Result<()> {
            self.buf.push(row);
            if self.buf.len() >= CHUNK {
                self.flush()?;
            }
            Ok(())
        }
    }

    fn to_batch(rows: &[EventRow]) -> Result<RecordBatch> {
        let records: Vec<Vec<String>> = rows.iter().map(EventRow::csv_record).collect();
        let columns: Vec<ArrayRef> = CSV_COLUMNS
            .iter()
            .enumerate()
            .map(|(i, c)| column(&records, i, data_type(c).0))
            .collect();
        Ok(RecordBatch::try_new(schema(), columns)?)
    }

    /// Column `i` of the rows, built from their CSV fields (empty = null when nullable).
    fn column(records: &[Vec<String>], i: usize, t: DataType) -> ArrayRef {
        let (_, nullable) = data_type(CSV_COLUMNS[i]);
        let fields: Vec<&String> = records.iter().map(|r| &r[i]).collect();
        match t {
            DataType::Int64 if nullable => Arc::new(Int64Array::from_iter(
                fields.iter().map(|f| f.parse::<i64>().ok()),
            )),
            DataType::Int64 => Arc::new(Int64Array::from_iter_values(
                fields.iter().map(|f| f.parse::<i64>().unwrap_or_default()),
            )),
            DataType::Float64 if nullable => Arc::new(Float64Array::from_iter(
                fields.iter().map(|f| f.parse::<f64>().ok()),
            )),
            DataType::Float64 => Arc::new(Float64Array::from_iter_values(
                fields.iter().map(|f| f.parse::<f64>().unwrap_or_default()),
            )),
            DataType::Boolean => Arc::new(BooleanArray::from_iter(
                fields.iter().map(|f| Some(f.as_str() == "true")),
            )),
            _ if nullable => Arc::new(StringArray::from_iter(
                fields.iter().map(|f| (!f.is_empty()).then_some(f.as_str())),
            )),
            _ => Arc::new(StringArray::from_iter_values(
                fields.iter().map(|f| f.as_str()),
            )),
        }
    }

    /// Reads a Parquet file written by [`ParquetSink`] back as CSV-like string rows (nulls
    /// as empty strings), for round-trip checks.
    pub fn read_parquet_rows(path: &Path) -> Result<Vec<Vec<String>>> {
        let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(path)?)?.build()?;
        let mut out = Vec::new();
        for batch in reader {
            let batch = batch?;
            for r in 0..batch.num_rows() {
                out.push(
                    (0..batch.num_columns())
                        .map(|c| cell(batch.column(c).as_ref(), r))
                        .collect(),
                );
            }
        }
        Ok(out)
    }

    fn cell(col: &dyn Array, r: usize) -> String {
        if col.is_null(r) {
            return String::new();
        }
        let any = col.as_any();
        if let Some(a) = any.downcast_ref::<StringArray>() {
            a.value(r).to_string()
        } else if let Some(a) = any.downcast_ref::<Int64Array>() {
            a.value(r).to_string()
        } else if let Some(a) = any.downcast_ref::<Float64Array>() {
            a.value(r).to_string()
        } else if let Some(a) = any.downcast_ref::<BooleanArray>() {
            a.value(r).to_string()
        } else {
            String::new()
        }
    }
}
