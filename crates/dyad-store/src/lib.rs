//! The event store: coded articles kept in one SQLite file (or in memory for tests), with
//! near-duplicate articles grouped into stories, event mentions merged into deduplicated
//! events, and the queries and flat exports people analyse. [`Store`] is the one entry
//! point; dedup and aggregation are queries over the stored mentions, never a second coder.

mod browse;
mod dedup;
mod export;
mod hash;
mod ingest;
mod page;
mod query;
mod rollup;
mod schema;

pub use browse::{ActorCount, ArticleView, CountryCount, DyadCount};
#[cfg(feature = "parquet")]
pub use export::{read_parquet_rows, ParquetSink};
pub use export::{EventRow, RowSink, CSV_COLUMNS};
pub use ingest::{Ingested, PutStats};
pub use page::{Cursor, Page, COUNT_CAP};
pub use query::{Bloc, By, CountRow, Filter, Period};
pub use schema::{APPLICATION_ID, SCHEMA_VERSION};

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}: not a dyad event store (a SQLite database with other tables)")]
    NotDyad(String),
    #[error("{0}: not a SQLite database, or corrupt: {1}")]
    Corrupt(String, String),
    #[error("{place}: written by a newer dyad (schema version {found}; this binary reads up to {supported})")]
    TooNew {
        place: String,
        found: i32,
        supported: i32,
    },
    #[error("{0}")]
    Invalid(String),
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[cfg(feature = "parquet")]
    #[error("parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
    #[cfg(feature = "parquet")]
    #[error("arrow: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
}

impl StoreError {
    /// A SQLite error, as a clear "corrupt" error when the file is not a usable database.
    fn from_sqlite(e: rusqlite::Error, place: &str) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
                StoreError::Corrupt(place.to_string(), e.to_string())
            }
            _ => StoreError::Sqlite(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A dyad event store.
pub struct Store {
    conn: Connection,
    place: String,
    /// Mentions up to this many days after their event's root are merged into it.
    window: i64,
    /// Whether counts are read from the rollups when they answer a filter.
    rollups: bool,
}

/// Row counts and a content hash of the whole store (rowids excluded), to compare stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    pub counts: Vec<(String, i64)>,
    pub hash: String,
}

/// The event merge window stored in `meta`, else the default.
fn read_window(conn: &Connection) -> Result<i64> {
    Ok(conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'window_days'",
            [],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .and_then(|v| v.parse().ok())
        .unwrap_or(schema::DEFAULT_WINDOW_DAYS))
}

/// One query plan per statement whatever values are bound (SQLite's QPSG): otherwise
/// SQLite compiles a cached statement again whenever a bound value might change its plan,
/// which made the rollup upkeep cost more than the rest of ingest.
fn stable_plans(conn: &Connection) -> Result<()> {
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    Ok(())
}

impl Store {
    /// Opens (creating when absent) the store in `path`, in WAL mode. A file that is not a
    /// dyad store, is corrupt or was written by a newer dyad is an error.
    pub fn open(path: &Path) -> Result<Store> {
        let place = path.display().to_string();
        let conn = Connection::open(path).map_err(|e| StoreError::from_sqlite(e, &place))?;
        Self::init(conn, place, true)
    }

    /// Opens an existing store for reading only (`dyad serve`): nothing is created, migrated
    /// or written, so a live `dyad ingest` may write beside it (WAL readers see each
    /// committed batch). A missing file, or a store of another schema version, is an error.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        let place = path.display().to_string();
        if !path.is_file() {
            return Err(StoreError::Invalid(format!(
                "{place}: no such store (build one with dyad ingest --db {place} ...)"
            )));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| StoreError::from_sqlite(e, &place))?;
        schema::check_current(&conn, &place)?;
        // 64 MiB of page cache per connection: a server holds a few of them.
        // Pages read through a memory map (up to SQLite's 2 GiB limit) rather than copied
        // by a system call each: half of a server's reading time on a large store.
        conn.execute_batch(
            "PRAGMA query_only = ON; PRAGMA cache_size = -65536; PRAGMA mmap_size = 2147418112;",
        )?;
        Self::ready(conn, place)
    }

    /// A store in memory (tests, benchmarks).
    pub fn open_in_memory() -> Result<Store> {
        Self::init(Connection::open_in_memory()?, ":memory:".into(), false)
    }

    fn init(mut conn: Connection, place: String, wal: bool) -> Result<Store> {
        schema::prepare(&mut conn, &place)?;
        if wal {
            // WAL: readers never block the writer; with synchronous=NORMAL a killed
            // process loses no committed transaction (only a power cut may lose the last).
            conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
            conn.execute_batch("PRAGMA synchronous = NORMAL")?;
        }
        // A 256 MiB page cache (SQLite's default is 2 MiB): the dedup indexes are keyed by
        // hashes, so their inserts touch pages all over a large file.
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA cache_size = -262144;")?;
        Self::ready(conn, place)
    }

    /// The setup every opened store shares, read-only or not.
    fn ready(conn: Connection, place: String) -> Result<Store> {
        // Ingest, dedup and rollup upkeep use some 40 statements per batch: with rusqlite's
        // default 16 cached, they would be compiled again and again.
        conn.set_prepared_statement_cache_capacity(128);
        stable_plans(&conn)?;
        let window = read_window(&conn)?;
        Ok(Store {
            conn,
            place,
            window,
            rollups: true,
        })
    }

    /// Reads every count from the events themselves rather than the rollups (to compare
    /// the two, and to measure what the rollups save).
    pub fn set_rollups(&mut self, on: bool) {
        self.rollups = on;
    }

    /// The SQLite connection, for reading (tests, tools).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// SQLite's `data_version`: changes when another connection commits to the file, so
    /// a reader can tell its cached answers are stale.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    pub fn place(&self) -> &str {
        &self.place
    }

    /// Row counts of the main tables and a hash of their content in a canonical order,
    /// leaving out rowids (which depend on the order articles arrived in).
    pub fn digest(&self) -> Result<Digest> {
        const PARTS: &[(&str, &str)] = &[
            ("articles", "SELECT id, date, source, url, title, text_hash, fingerprint, coder, dictionaries, sentences, story FROM articles ORDER BY id"),
            ("sentences", "SELECT a.id, s.seq, s.start, s.\"end\", s.text FROM sentences s JOIN articles a ON a.pk = s.article ORDER BY a.id, s.seq"),
            ("entities", "SELECT a.id, e.idx, e.code, e.cameo, e.start, e.text, e.rule FROM entities e JOIN articles a ON a.pk = e.article ORDER BY a.id, e.idx"),
            ("quotes", "SELECT a.id, q.idx, q.start, q.text, q.speaker_code FROM quotes q JOIN articles a ON a.pk = q.article ORDER BY a.id, q.idx"),
            ("events", "SELECT id, date, ekey, root, confidence, record FROM events ORDER BY id"),
            ("participants", "SELECT e.id, p.role, p.idx, p.code, p.cameo FROM participants p JOIN events e ON e.pk = p.event ORDER BY e.id, p.role, p.idx"),
            ("event_groups", "SELECT root, ekey, date, date_last, mentions, articles, sources, confidence FROM event_groups ORDER BY root"),
            ("event_sides", "SELECT s.code, s.role, s.date, e.id FROM event_sides s JOIN events e ON e.pk = s.root_pk ORDER BY 4, 1, 2"),
            ("story_links", "SELECT a.id, b.id, l.similarity FROM story_links l JOIN articles a ON a.pk = l.article JOIN articles b ON b.pk = l.other ORDER BY a.id, b.id"),
            ("roll_time", "SELECT * FROM roll_time"),
            ("roll_country", "SELECT * FROM roll_country"),
            ("roll_side", "SELECT * FROM roll_side"),
            ("roll_pair", "SELECT * FROM roll_pair"),
        ];
        let mut counts = Vec::new();
        let mut all = String::new();
        for (table, sql) in PARTS {
            let mut stmt = self.conn.prepare(sql)?;
            let n = stmt.column_count();
            let mut rows = stmt.query([])?;
            let mut count = 0;
            while let Some(row) = rows.next()? {
                count += 1;
                for i in 0..n {
                    let v: rusqlite::types::Value = row.get(i)?;
                    all.push_str(&format!("{v:?}\x1f"));
                }
                all.push('\n');
            }
            counts.push((table.to_string(), count));
        }
        Ok(Digest {
            counts,
            hash: hash::hex(hash::fnv64(all.as_bytes())),
        })
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_rollup;
