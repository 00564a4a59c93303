//! Rollups: counts of deduplicated events by day, quad class and type, kept beside the
//! events so that a series, a total or a map over a million events reads a few thousand
//! rows instead of every event. Four tables, each keyed by the day, quad class and type
//! string of its events plus:
//!
//! | table | extra key | answers filters on |
//! |---|---|---|
//! | `roll_time` | — | dates, quad, type |
//! | `roll_country` | event location country | and country |
//! | `roll_side` | one PLOVER code of a side, `roles` (1 actor, 2 recipient, 3 both) | and one actor, recipient or either-side code |
//! | `roll_pair` | one actor code, one recipient code | and one actor with one recipient code |
//!
//! Each row holds `events`, `scale_c` (sum of event scale in hundredths, an integer so that
//! adding and removing events is exact), `mentions`, `sources`, and `month` (`YYYYMM`, for
//! monthly series). An event enters a rollup when its group is written and leaves when the
//! group is dropped (`dedup.rs`), in the same transaction, so the rollups stay a pure
//! function of the stored mentions: [`Store::check_rollups`] recomputes them from the events
//! and compares. Undated events are kept under day [`UNDATED`].

use crate::query::{By, Filter};
use crate::{hash, Result, Store, StoreError};
use rusqlite::types::Value;
use rusqlite::Transaction;

/// The day under which undated events are counted (before any real date).
pub(crate) const UNDATED: i64 = -1_000_000_000;

/// One rollup table: its key columns and how one event's rows are selected.
pub(crate) struct Rollup {
    pub table: &'static str,
    /// Key columns (the primary key, in order) with their types.
    keys: &'static [(&'static str, &'static str)],
    /// Extra key columns selected per event, before the common ones.
    select: &'static str,
    from: &'static str,
    cond: &'static str,
    group: &'static str,
}

pub(crate) const ROLLUPS: &[Rollup] = &[
    Rollup {
        table: "roll_time",
        keys: &[("day", "INTEGER"), ("quad", "INTEGER"), ("type", "TEXT")],
        select: "",
        from: "event_groups g",
        cond: "",
        group: "",
    },
    Rollup {
        table: "roll_country",
        keys: &[
            ("country", "TEXT"),
            ("day", "INTEGER"),
            ("quad", "INTEGER"),
            ("type", "TEXT"),
        ],
        select: "g.country AS country,",
        from: "event_groups g",
        cond: " AND g.country IS NOT NULL",
        group: "",
    },
    Rollup {
        table: "roll_side",
        keys: &[
            ("code", "TEXT"),
            ("roles", "INTEGER"),
            ("day", "INTEGER"),
            ("quad", "INTEGER"),
            ("type", "TEXT"),
        ],
        select:
            "s.code AS code, sum(DISTINCT CASE s.role WHEN 'actor' THEN 1 ELSE 2 END) AS roles,",
        from: "event_groups g JOIN event_sides s ON s.root_pk = g.root_pk",
        cond: "",
        group: " GROUP BY g.root_pk, s.code",
    },
    Rollup {
        table: "roll_pair",
        keys: &[
            ("actor", "TEXT"),
            ("recipient", "TEXT"),
            ("day", "INTEGER"),
            ("quad", "INTEGER"),
            ("type", "TEXT"),
        ],
        select: "a.code AS actor, r.code AS recipient,",
        from: "event_groups g
            JOIN event_sides a ON a.root_pk = g.root_pk AND a.role = 'actor'
            JOIN event_sides r ON r.root_pk = g.root_pk AND r.role = 'recipient'",
        cond: "",
        group: "",
    },
];

impl Rollup {
    fn key_list(&self) -> String {
        self.keys.iter().map(|k| k.0).collect::<Vec<_>>().join(", ")
    }

    /// One row per event (chosen by `which`) and key: the keys, `month`, and the event's
    /// scale in hundredths (`sc`), mentions (`m`) and sources (`s`).
    fn source(&self, which: &str) -> String {
        format!(
            "SELECT {} coalesce(g.day, {UNDATED}) AS day, g.quad AS quad, g.type AS type,
                    coalesce(CAST(substr(g.date, 1, 4) || substr(g.date, 6, 2) AS INTEGER), 0) AS month,
                    CAST(round(g.scale * 100) AS INTEGER) AS sc, g.mentions AS m, g.sources AS s
             FROM {} WHERE {which}{}{}",
            self.select, self.from, self.cond, self.group
        )
    }

    fn create(&self) -> String {
        let cols: Vec<String> = self
            .keys
            .iter()
            .map(|(k, t)| format!("{k} {t} NOT NULL"))
            .collect();
        format!(
            "CREATE TABLE {t} ({}, month INTEGER NOT NULL, events INTEGER NOT NULL,
                scale_c INTEGER NOT NULL, mentions INTEGER NOT NULL, sources INTEGER NOT NULL,
                PRIMARY KEY ({k})) WITHOUT ROWID;
             CREATE INDEX {t}_empty ON {t}(events) WHERE events = 0;\n{}",
            cols.join(", "),
            self.fill(),
            t = self.table,
            k = self.key_list(),
        )
    }

    /// Fills the (empty) table from every stored event.
    fn fill(&self) -> String {
        format!(
            "INSERT INTO {} SELECT {k}, min(month), count(*), sum(sc), sum(m), sum(s)
             FROM ({}) GROUP BY {k};",
            self.table,
            self.source("1"),
            k = self.key_list()
        )
    }

    /// Adds to one row (its keys, `month`, then the counts to add, as parameters).
    fn upsert(&self) -> String {
        let n = self.keys.len() + 5;
        format!(
            "INSERT INTO {} ({k}, month, events, scale_c, mentions, sources)
             VALUES ({})
             ON CONFLICT ({k}) DO UPDATE SET events = events + excluded.events,
                 scale_c = scale_c + excluded.scale_c, mentions = mentions + excluded.mentions,
                 sources = sources + excluded.sources",
            self.table,
            vec!["?"; n].join(", "),
            k = self.key_list()
        )
    }
}

/// The DDL creating and filling every rollup (schema migration 1 → 2).
pub(crate) fn create_all() -> String {
    ROLLUPS.iter().map(Rollup::create).collect()
}

/// Counts the event rooted at mention `root_pk` in every rollup (`sign` 1), or removes it
/// (`sign` -1, before its group row and sides are deleted). Rows left at zero events are
/// deleted by [`prune`] before the transaction commits.
pub(crate) fn apply(tx: &Transaction, root_pk: i64, sign: i64) -> Result<()> {
    // The event's rows are read first and written one by one: an INSERT ... SELECT over a
    // subquery would be compiled again by SQLite on every run.
    for r in ROLLUPS {
        let n = r.keys.len() + 1;
        let rows: Vec<Vec<Value>> = tx
            .prepare_cached(&r.source("g.root_pk = ?1"))?
            .query_map([root_pk], |row| {
                let mut v: Vec<Value> = (0..n).map(|i| row.get(i)).collect::<Result<_, _>>()?;
                for i in n..n + 3 {
                    v.push(Value::Integer(sign * row.get::<_, i64>(i)?));
                }
                v.insert(n, Value::Integer(sign));
                Ok(v)
            })?
            .collect::<Result<_, _>>()?;
        let mut up = tx.prepare_cached(&r.upsert())?;
        for row in rows {
            up.execute(rusqlite::params_from_iter(row))?;
        }
    }
    Ok(())
}

/// Deletes the rollup rows no event counts any more (found through a partial index).
pub(crate) fn prune(tx: &Transaction) -> Result<()> {
    for r in ROLLUPS {
        tx.prepare_cached(&format!("DELETE FROM {} WHERE events = 0", r.table))?
            .execute([])?;
    }
    Ok(())
}

/// Which rollup answers a filter's side codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// No side codes: `roll_time`, or `roll_country` with a country filter.
    Plain,
    /// One code on one side or either side: `roll_side`.
    Side,
    /// One actor and one recipient code: `roll_pair`.
    Pair,
}

/// A filter as a WHERE clause over a rollup: `sides` (the codes, for `roll_side` or
/// `roll_pair`) and `common` (dates, quad, type, country).
pub(crate) struct Plan {
    pub kind: Kind,
    pub has_country: bool,
    sides: (String, Vec<Value>),
    common: (String, Vec<Value>),
}

impl Plan {
    /// The table the plan's kind reads, and its clause with parameters.
    pub fn table(&self) -> (&'static str, String, Vec<Value>) {
        let table = match (self.kind, self.has_country) {
            (Kind::Plain, false) => "roll_time",
            (Kind::Plain, true) => "roll_country",
            (Kind::Side, _) => "roll_side",
            (Kind::Pair, _) => "roll_pair",
        };
        let (clause, params) = self.clause(true);
        (table, clause, params)
    }

    /// The clause with or without the side codes (without: over another rollup).
    pub fn clause(&self, sides: bool) -> (String, Vec<Value>) {
        let mut clause = self.common.0.clone();
        let mut params = Vec::new();
        if sides && !self.sides.0.is_empty() {
            clause = format!("{} AND {clause}", self.sides.0);
            params.extend(self.sides.1.iter().cloned());
        }
        params.extend(self.common.1.iter().cloned());
        (clause, params)
    }
}

/// The rollup plan answering `filter` exactly, when there is one: PLOVER side codes (one
/// on one side, or one actor with one recipient, without a country), quad, type, dates and
/// country. Other filters (CAMEO codes, blocs, modes, contexts, sources, words) are
/// answered from the events.
pub(crate) fn plan(filter: &Filter) -> Option<Plan> {
    let f = filter;
    if f.actor_bloc.is_some()
        || f.recipient_bloc.is_some()
        || f.either_bloc.is_some()
        || !f.modes.is_empty()
        || !f.contexts.is_empty()
        || f.min_sources.is_some()
        || f.text.is_some()
    {
        return None;
    }
    let one = |v: &Vec<String>| match v.as_slice() {
        [] => Some(None),
        [c] if c.len() <= 3 => Some(Some(Value::Text(c.clone()))),
        _ => None,
    };
    let (a, r, e) = (one(&f.actor)?, one(&f.recipient)?, one(&f.either)?);
    let (kind, sides) = match (a, r, e) {
        (None, None, None) => (Kind::Plain, (String::new(), vec![])),
        (Some(a), None, None) => (Kind::Side, ("code = ? AND roles IN (1, 3)".into(), vec![a])),
        (None, Some(r), None) => (Kind::Side, ("code = ? AND roles IN (2, 3)".into(), vec![r])),
        (None, None, Some(e)) => (Kind::Side, ("code = ?".into(), vec![e])),
        (Some(a), Some(r), None) => (
            Kind::Pair,
            ("actor = ? AND recipient = ?".into(), vec![a, r]),
        ),
        _ => return None,
    };
    let has_country = !f.country.is_empty();
    if has_country && kind != Kind::Plain {
        return None;
    }
    Some(Plan {
        kind,
        has_country,
        sides,
        common: common(f)?,
    })
}

/// Dates, quad, type and country as a clause over a rollup.
fn common(f: &Filter) -> Option<(String, Vec<Value>)> {
    let mut c = vec!["1".to_string()];
    let mut p = Vec::new();
    // A date bound leaves out undated events, as `g.date >= ?` does.
    if f.from.is_some() || f.to.is_some() {
        c.push(format!("day > {UNDATED}"));
    }
    for (bound, op) in [(&f.from, ">="), (&f.to, "<=")] {
        if let Some(d) = bound {
            c.push(format!("day {op} ?"));
            p.push(Value::Integer(hash::day_number(d)?));
        }
    }
    if !f.quad.is_empty() {
        c.push(format!("quad IN ({})", vec!["?"; f.quad.len()].join(", ")));
        p.extend(f.quad.iter().map(|&q| Value::Integer(q.into())));
    }
    if !f.types.is_empty() {
        let any = vec!["instr(';' || type || ';', ?) > 0"; f.types.len()];
        c.push(format!("({})", any.join(" OR ")));
        p.extend(f.types.iter().map(|t| Value::Text(format!(";{t};"))));
    }
    if !f.country.is_empty() {
        c.push(format!(
            "country IN ({})",
            vec!["?"; f.country.len()].join(", ")
        ));
        p.extend(f.country.iter().map(|v| Value::Text(v.clone())));
    }
    Some((c.join(" AND "), p))
}

/// Whether a series keyed by `by` can be read from a rollup (its key is a rollup column).
pub(crate) fn series_key(by: Option<By>) -> Option<&'static str> {
    match by {
        None => Some("NULL"),
        Some(By::Quad) => Some("CAST(quad AS TEXT)"),
        Some(By::Type) => Some("type"),
        _ => None,
    }
}

impl Store {
    /// Recomputes every rollup from the stored events and compares it with the kept one:
    /// an error names the first table that differs (tests, `dyad store-bench`).
    pub fn check_rollups(&self) -> Result<()> {
        for r in ROLLUPS {
            let k = r.key_list();
            let kept = format!(
                "SELECT {k}, month, events, scale_c, mentions, sources FROM {}",
                r.table
            );
            let recount = format!(
                "SELECT {k}, min(month), count(*), sum(sc), sum(m), sum(s) FROM ({}) GROUP BY {k}",
                r.source("1")
            );
            let sql = format!(
                "SELECT (SELECT count(*) FROM ({kept} EXCEPT {recount}))
                      + (SELECT count(*) FROM ({recount} EXCEPT {kept}))"
            );
            let differ: i64 = self.conn.query_row(&sql, [], |row| row.get(0))?;
            if differ != 0 {
                return Err(StoreError::Invalid(format!(
                    "{}: {differ} rows differ from a recount of the events",
                    r.table
                )));
            }
        }
        Ok(())
    }
}
