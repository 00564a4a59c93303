//! The schema, its version and migrations, and the checks made when a file is opened.

use crate::StoreError;
use rusqlite::Connection;

/// `PRAGMA application_id` of a dyad store: "dyad" in ASCII.
pub const APPLICATION_ID: i32 = 0x6479_6164;
/// The schema this binary writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i32 = 2;
/// Default event merge window: mentions up to this many days from the root are one event.
pub const DEFAULT_WINDOW_DAYS: i64 = 1;

/// Migrations in order: `MIGRATIONS[i]` takes a database from version `i` to `i + 1`.
/// Each is written out in full and kept as released (so V2 repeats V1's view text): text
/// shared between them would let a later edit change what an older migration does.
const MIGRATIONS: &[&str] = &[V1, V2];

const V1: &str = r#"
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE articles (
    pk INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    date TEXT,
    source TEXT,
    url TEXT,
    title TEXT,
    text TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    coder TEXT NOT NULL,
    dictionaries TEXT NOT NULL,
    sentences INTEGER NOT NULL,
    minhash BLOB,
    story TEXT
);
CREATE INDEX articles_story ON articles(story);
CREATE INDEX articles_text_hash ON articles(text_hash);

CREATE TABLE story_bands (
    band INTEGER NOT NULL,
    article INTEGER NOT NULL REFERENCES articles(pk) ON DELETE CASCADE,
    PRIMARY KEY (band, article)
) WITHOUT ROWID;
CREATE INDEX story_bands_article ON story_bands(article);

CREATE TABLE story_links (
    article INTEGER NOT NULL REFERENCES articles(pk) ON DELETE CASCADE,
    other INTEGER NOT NULL REFERENCES articles(pk) ON DELETE CASCADE,
    similarity REAL NOT NULL,
    PRIMARY KEY (article, other)
) WITHOUT ROWID;
CREATE INDEX story_links_other ON story_links(other);

CREATE TABLE sentences (
    pk INTEGER PRIMARY KEY,
    article INTEGER NOT NULL REFERENCES articles(pk) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX sentences_article ON sentences(article, seq);
CREATE VIRTUAL TABLE sentences_fts USING fts5(text, content='sentences', content_rowid='pk');

CREATE TABLE entities (
    article INTEGER NOT NULL REFERENCES articles(pk) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    sector TEXT NOT NULL,
    cameo TEXT NOT NULL,
    identifier TEXT,
    rule TEXT NOT NULL,
    confidence REAL NOT NULL,
    antecedent INTEGER,
    PRIMARY KEY (article, idx)
) WITHOUT ROWID;

CREATE TABLE quotes (
    article INTEGER NOT NULL REFERENCES articles(pk) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    cue TEXT,
    direct INTEGER NOT NULL,
    speaker_code TEXT,
    speaker_text TEXT,
    speaker_description TEXT,
    outlet_code TEXT,
    PRIMARY KEY (article, idx)
) WITHOUT ROWID;

CREATE TABLE events (
    pk INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    article INTEGER NOT NULL REFERENCES articles(pk) ON DELETE CASCADE,
    date TEXT,
    day INTEGER,
    type TEXT NOT NULL,
    mode TEXT NOT NULL,
    context TEXT NOT NULL,
    cameo TEXT NOT NULL,
    quad INTEGER NOT NULL,
    scale REAL NOT NULL,
    actor TEXT NOT NULL,
    recipient TEXT NOT NULL,
    country TEXT,
    place TEXT,
    claimed INTEGER NOT NULL,
    speaker TEXT,
    sentence INTEGER NOT NULL,
    trigger_start INTEGER NOT NULL,
    trigger_end INTEGER NOT NULL,
    rule TEXT NOT NULL,
    confidence REAL NOT NULL,
    ekey TEXT NOT NULL,
    root TEXT,
    record TEXT NOT NULL
);
CREATE INDEX events_article ON events(article);
CREATE INDEX events_ekey ON events(ekey, day);

CREATE TABLE participants (
    event INTEGER NOT NULL REFERENCES events(pk) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('actor', 'recipient')),
    idx INTEGER NOT NULL,
    code TEXT NOT NULL,
    cameo TEXT NOT NULL,
    sector TEXT NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    PRIMARY KEY (event, role, idx)
) WITHOUT ROWID;
CREATE INDEX participants_code ON participants(code, role, event);

CREATE TABLE event_groups (
    root TEXT PRIMARY KEY,
    root_pk INTEGER NOT NULL UNIQUE,
    ekey TEXT NOT NULL,
    day INTEGER,
    date TEXT,
    date_last TEXT,
    type TEXT NOT NULL,
    mode TEXT NOT NULL,
    quad INTEGER NOT NULL,
    scale REAL NOT NULL,
    actor TEXT NOT NULL,
    recipient TEXT NOT NULL,
    country TEXT,
    mentions INTEGER NOT NULL,
    articles INTEGER NOT NULL,
    sources INTEGER NOT NULL,
    confidence REAL NOT NULL
);
CREATE INDEX event_groups_ekey ON event_groups(ekey, day);

-- Each event's actor and recipient codes with its date: the index that actor, recipient
-- and dyad filters over a date range read (a covering range scan per code).
CREATE TABLE event_sides (
    code TEXT NOT NULL,
    role TEXT NOT NULL,
    date TEXT NOT NULL,
    root_pk INTEGER NOT NULL,
    PRIMARY KEY (code, role, date, root_pk)
) WITHOUT ROWID;
CREATE INDEX event_sides_root ON event_sides(root_pk);
CREATE INDEX event_groups_date ON event_groups(date);

-- Views for readers without dyad (sqlite3, pandas read_sql, DuckDB's sqlite scanner).
CREATE VIEW v_events AS
SELECT g.root AS event_id, g.date, g.date_last, g.type, g.mode, e.context, e.cameo,
       g.quad, g.scale, g.actor, g.recipient, g.country, e.place, e.claimed,
       g.mentions, g.articles, g.sources, g.confidence, a.id AS article_id, a.source,
       a.url, a.title, s.text AS sentence
FROM event_groups g
JOIN events e ON e.pk = g.root_pk
JOIN articles a ON a.pk = e.article
LEFT JOIN sentences s ON s.article = e.article AND s.seq = e.sentence;

CREATE VIEW v_mentions AS
SELECT e.id AS mention_id, e.root AS event_id, a.id AS article_id, a.story, a.date AS article_date,
       a.source, a.url, a.title, e.date, e.type, e.mode, e.context, e.cameo, e.quad, e.scale,
       e.actor, e.recipient, e.country, e.place, e.claimed, e.speaker, e.sentence,
       e.trigger_start, e.trigger_end, e.rule, e.confidence, e.record
FROM events e JOIN articles a ON a.pk = e.article;

CREATE VIEW v_participants AS
SELECT e.id AS mention_id, e.root AS event_id, e.date, p.role, p.idx, p.code, p.cameo,
       p.sector, p.text, p.start, p."end"
FROM participants p JOIN events e ON e.pk = p.event;

CREATE VIEW v_stories AS
SELECT story AS head, COUNT(*) AS articles, COUNT(DISTINCT source) AS sources,
       MIN(date) AS first_date, MAX(date) AS last_date
FROM articles GROUP BY story;

CREATE VIEW v_weekly_dyads AS
SELECT date(date, '-' || ((CAST(strftime('%w', date) AS INTEGER) + 6) % 7) || ' days') AS week,
       actor, recipient, quad, COUNT(*) AS events, SUM(scale) AS scale_sum,
       SUM(mentions) AS mentions, SUM(sources) AS sources
FROM event_groups WHERE date IS NOT NULL GROUP BY week, actor, recipient, quad;
"#;

/// Version 2: the event location's GeoNames fields as columns of `events` (filled from each
/// stored record), the rollups (`crate::rollup`: counts of deduplicated events by day, quad
/// class and type, per event country, per side code and per actor–recipient code pair,
/// filled from the stored events) and the page index `(date, root)`. The rollup tables and
/// their filling are appended by [`migration`] from `crate::rollup::ROLLUPS`.
const V2: &str = r#"
ALTER TABLE events ADD COLUMN geonameid INTEGER;
ALTER TABLE events ADD COLUMN placename TEXT;
ALTER TABLE events ADD COLUMN latitude REAL;
ALTER TABLE events ADD COLUMN longitude REAL;
ALTER TABLE events ADD COLUMN admin1 TEXT;
ALTER TABLE events ADD COLUMN feature TEXT;
ALTER TABLE events ADD COLUMN place_method TEXT;
UPDATE events SET
    geonameid = json_extract(record, '$.event_loc.geonameid'),
    placename = json_extract(record, '$.event_loc.placename'),
    latitude = json_extract(record, '$.event_loc.latitude'),
    longitude = json_extract(record, '$.event_loc.longitude'),
    admin1 = json_extract(record, '$.event_loc.admin1'),
    feature = json_extract(record, '$.event_loc.feature'),
    place_method = json_extract(record, '$.event_loc.method')
WHERE json_type(record, '$.event_loc') = 'object';

DROP INDEX event_groups_date;
CREATE INDEX event_groups_page ON event_groups(date, root);
CREATE INDEX event_groups_country ON event_groups(country, date, root);

DROP VIEW v_events;
CREATE VIEW v_events AS
SELECT g.root AS event_id, g.date, g.date_last, g.type, g.mode, e.context, e.cameo,
       g.quad, g.scale, g.actor, g.recipient, g.country, e.place, e.geonameid, e.placename,
       e.latitude, e.longitude, e.admin1, e.feature, e.place_method, e.claimed,
       g.mentions, g.articles, g.sources, g.confidence, a.id AS article_id, a.source,
       a.url, a.title, s.text AS sentence
FROM event_groups g
JOIN events e ON e.pk = g.root_pk
JOIN articles a ON a.pk = e.article
LEFT JOIN sentences s ON s.article = e.article AND s.seq = e.sentence;

DROP VIEW v_mentions;
CREATE VIEW v_mentions AS
SELECT e.id AS mention_id, e.root AS event_id, a.id AS article_id, a.story, a.date AS article_date,
       a.source, a.url, a.title, e.date, e.type, e.mode, e.context, e.cameo, e.quad, e.scale,
       e.actor, e.recipient, e.country, e.place, e.geonameid, e.placename, e.latitude,
       e.longitude, e.admin1, e.feature, e.place_method, e.claimed, e.speaker, e.sentence,
       e.trigger_start, e.trigger_end, e.rule, e.confidence, e.record
FROM events e JOIN articles a ON a.pk = e.article;
"#;

/// The SQL taking a database from version `from` to `from + 1`.
fn migration(from: usize) -> String {
    match from {
        1 => format!("{V2}\n{}", crate::rollup::create_all()),
        _ => MIGRATIONS[from].to_string(),
    }
}

fn pragma_i32(conn: &Connection, name: &str) -> Result<i32, StoreError> {
    Ok(conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))?)
}

/// The schema version of `conn`, when it is empty or a dyad store this binary can read.
fn check(conn: &Connection, place: &str) -> Result<i32, StoreError> {
    // The first read of the header: a file that is not SQLite fails here.
    let tables: i64 = conn
        .query_row("SELECT COUNT(*) FROM sqlite_schema", [], |r| r.get(0))
        .map_err(|e| StoreError::from_sqlite(e, place))?;
    let app = pragma_i32(conn, "application_id")?;
    let version = pragma_i32(conn, "user_version")?;
    if tables > 0 && app != APPLICATION_ID {
        return Err(StoreError::NotDyad(place.to_string()));
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            place: place.to_string(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(version)
}

/// Checks, without writing, that `conn` is a dyad store of exactly this binary's schema:
/// a reader cannot migrate (an older store is migrated by `dyad ingest`).
pub fn check_current(conn: &Connection, place: &str) -> Result<(), StoreError> {
    match check(conn, place)? {
        SCHEMA_VERSION => Ok(()),
        0 => Err(StoreError::Invalid(format!("{place}: an empty database, not an event store (build one with dyad ingest)"))),
        v => Err(StoreError::Invalid(format!("{place}: schema version {v} is older than {SCHEMA_VERSION}; open it once with dyad ingest to migrate it"))),
    }
}

/// Checks that `conn` is a dyad store this binary can read, creating the schema in an empty
/// database and migrating an older one.
pub fn prepare(conn: &mut Connection, place: &str) -> Result<(), StoreError> {
    let version = check(conn, place)?;
    for from in (version as usize)..MIGRATIONS.len() {
        let tx = conn.transaction()?;
        tx.execute_batch(&migration(from))?;
        if from == 0 {
            tx.execute_batch(&format!(
                "PRAGMA application_id = {APPLICATION_ID};
                 INSERT INTO meta VALUES ('application', 'dyad'),
                                         ('window_days', '{DEFAULT_WINDOW_DAYS}');"
            ))?;
        }
        tx.execute_batch(&format!("PRAGMA user_version = {}", from + 1))?;
        tx.commit()?;
    }
    Ok(())
}
