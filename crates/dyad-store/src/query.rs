//! Queries over deduplicated events: filters, the rows they select, and time series.

use crate::export::{EventRow, RowSink};
use crate::{rollup, Result, Store, StoreError};
use rusqlite::types::Value;

/// A bloc as dated memberships: `(member code, from inclusive, to exclusive)`.
#[derive(Debug, Clone, Default)]
pub struct Bloc {
    pub name: String,
    pub members: Vec<(String, Option<String>, Option<String>)>,
}

/// Which events to select. Lists are alternatives (any of); fields are all required.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Actor codes: PLOVER codes (`RUS`, `IGO`) or, longer, CAMEO codes (`RUSGOV`).
    pub actor: Vec<String>,
    pub recipient: Vec<String>,
    /// Codes on either side.
    pub either: Vec<String>,
    /// A member of the bloc on the event's date as actor, recipient, or either.
    pub actor_bloc: Option<Bloc>,
    pub recipient_bloc: Option<Bloc>,
    pub either_bloc: Option<Bloc>,
    /// PLOVER event types, modes and contexts.
    pub types: Vec<String>,
    pub modes: Vec<String>,
    pub contexts: Vec<String>,
    pub quad: Vec<u8>,
    /// Inclusive `YYYY-MM-DD` bounds on the event's date.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Event location country codes.
    pub country: Vec<String>,
    pub min_sources: Option<i64>,
    /// An FTS5 query over the sentences of the event's mentions.
    pub text: Option<String>,
    pub limit: Option<usize>,
    /// Rows to skip before the first one returned (paging), in the query's order.
    pub offset: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    Week,
    Month,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Dyad,
    Actor,
    Recipient,
    Type,
    Quad,
}

/// One point of a time series.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CountRow {
    /// The day, the Monday of the week, or `YYYY-MM`.
    pub period: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub events: i64,
    pub scale_sum: f64,
    pub mentions: i64,
    pub sources: i64,
}

/// The WHERE clause of a filter over `event_groups g` (root mention `e`), with parameters.
pub(crate) struct Sql {
    pub clause: String,
    pub params: Vec<Value>,
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// How a clause tests side codes: each as a set of events (SQLite picks one to read the
/// events from), each as a test of every event read, or only side `i` (0 actor, 1
/// recipient, 2 either) as the set the events are read from and the others as tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SideAs {
    Sets,
    Probes,
    SetOnly(usize),
}

impl Filter {
    /// The side code lists: actor, recipient, either.
    pub(crate) fn sides(&self) -> [(&Vec<String>, Option<&'static str>); 3] {
        [
            (&self.actor, Some("actor")),
            (&self.recipient, Some("recipient")),
            (&self.either, None),
        ]
    }

    pub(crate) fn sql(&self) -> Result<Sql> {
        self.sql_mode(SideAs::Sets)
    }

    /// The other sides' PLOVER codes as tests inside side `k`'s set, against the compact
    /// side index only: events of side `k` are then looked up only when they pass them.
    fn inner_probes(&self, k: usize) -> (String, Vec<Value>) {
        let (mut sql, mut params) = (String::new(), Vec::new());
        for (j, (codes, role)) in self.sides().into_iter().enumerate() {
            if j == k || codes.is_empty() || codes.iter().any(|c| c.len() > 3) {
                continue;
            }
            let role_sql = role.map_or("IN ('actor', 'recipient')", |_| "= ?");
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM event_sides x{j} WHERE x{j}.root_pk = event_sides.root_pk
                     AND x{j}.code IN ({}) AND x{j}.role {role_sql})",
                placeholders(codes.len())
            ));
            params.extend(codes.iter().map(|c| Value::Text(c.clone())));
            params.extend(role.map(|r| Value::Text(r.into())));
        }
        (sql, params)
    }

    /// The clause with side codes tested as `sides` says.
    pub(crate) fn sql_mode(&self, sides: SideAs) -> Result<Sql> {
        let mut c: Vec<String> = Vec::new();
        let mut p: Vec<Value> = Vec::new();
        let range = (self.from.as_ref(), self.to.as_ref());
        let none = (String::new(), Vec::new());
        for (i, (codes, role)) in self.sides().into_iter().enumerate() {
            let (probe, inner) = match sides {
                SideAs::Sets => (false, none.clone()),
                SideAs::Probes => (true, none.clone()),
                SideAs::SetOnly(k) if k == i => (false, self.inner_probes(k)),
                SideAs::SetOnly(_) => (true, none.clone()),
            };
            if !codes.is_empty() {
                side(&mut c, &mut p, codes, role, range, probe, inner);
            }
        }
        let probe = sides != SideAs::Sets;
        for (bloc, role) in [
            (&self.actor_bloc, Some("actor")),
            (&self.recipient_bloc, Some("recipient")),
            (&self.either_bloc, None),
        ] {
            if let Some(b) = bloc {
                membership(&mut c, &mut p, b, role, range, probe)?;
            }
        }
        for (values, column) in [
            (&self.types, "g.type"),
            (&self.modes, "g.mode"),
            (&self.contexts, "e.context"),
        ] {
            if !values.is_empty() {
                // Lists are stored `;`-joined: match whole items.
                let any: Vec<String> = values
                    .iter()
                    .map(|_| format!("instr(';' || {column} || ';', ?) > 0"))
                    .collect();
                c.push(format!("({})", any.join(" OR ")));
                p.extend(values.iter().map(|v| Value::Text(format!(";{v};"))));
            }
        }
        if !self.quad.is_empty() {
            c.push(format!("g.quad IN ({})", placeholders(self.quad.len())));
            p.extend(self.quad.iter().map(|&q| Value::Integer(q.into())));
        }
        if let Some(f) = &self.from {
            c.push("g.date >= ?".into());
            p.push(Value::Text(f.clone()));
        }
        if let Some(t) = &self.to {
            c.push("g.date <= ?".into());
            p.push(Value::Text(t.clone()));
        }
        if !self.country.is_empty() {
            c.push(format!(
                "g.country IN ({})",
                placeholders(self.country.len())
            ));
            p.extend(self.country.iter().map(|v| Value::Text(v.clone())));
        }
        if let Some(n) = self.min_sources {
            c.push("g.sources >= ?".into());
            p.push(Value::Integer(n));
        }
        if let Some(q) = &self.text {
            c.push(
                "g.root IN (SELECT m.root FROM sentences_fts f
                   JOIN sentences s ON s.pk = f.rowid
                   JOIN events m ON m.article = s.article AND m.sentence = s.seq
                   WHERE sentences_fts MATCH ?)"
                    .into(),
            );
            p.push(Value::Text(q.clone()));
        }
        let clause = if c.is_empty() {
            "1".to_string()
        } else {
            c.join(" AND ")
        };
        Ok(Sql { clause, params: p })
    }
}

/// The date range of a filter, for the side index.
type Range<'a> = (Option<&'a String>, Option<&'a String>);

/// Participants on `role` (or either side) with one of `codes`: three-letter codes are
/// PLOVER codes, read from `event_sides` (a covering index by code, role and date, undated
/// events under ''), longer ones CAMEO codes, read from `participants`. As a set of events
/// (`probe` false: the index narrows the events read) or as a test of each event read
/// (`probe`: a lookup per event, for pages read in date order).
fn side(
    c: &mut Vec<String>,
    p: &mut Vec<Value>,
    codes: &[String],
    role: Option<&str>,
    range: Range,
    probe: bool,
    inner: (String, Vec<Value>),
) {
    let (plover, cameo): (Vec<&String>, Vec<&String>) = codes.iter().partition(|s| s.len() <= 3);
    let role_sql = role.map_or(" AND role IN ('actor', 'recipient')", |_| " AND role = ?");
    let mut parts = Vec::new();
    for (list, column) in [(plover, "code"), (cameo, "cameo")] {
        if list.is_empty() {
            continue;
        }
        let codes_sql = format!("{column} IN ({}){role_sql}", placeholders(list.len()));
        p.extend(list.iter().map(|s| Value::Text(s.to_string())));
        if let Some(r) = role {
            p.push(Value::Text(r.into()));
        }
        parts.push(match (column, probe) {
            ("code", false) => {
                p.push(Value::Text(range.0.cloned().unwrap_or_default()));
                p.push(Value::Text(
                    range.1.cloned().unwrap_or_else(|| "9999".into()),
                ));
                p.extend(inner.1.iter().cloned());
                format!("g.root_pk IN (SELECT root_pk FROM event_sides WHERE {codes_sql} AND date >= ? AND date <= ?{})", inner.0)
            }
            ("code", true) => format!(
                "EXISTS (SELECT 1 FROM event_sides s WHERE s.{codes_sql}
                         AND s.date = coalesce(g.date, '') AND s.root_pk = g.root_pk)"
            ),
            (_, false) => format!("g.root_pk IN (SELECT event FROM participants WHERE {codes_sql})"),
            (_, true) => format!(
                "EXISTS (SELECT 1 FROM participants x WHERE x.event = g.root_pk AND x.{codes_sql})"
            ),
        });
    }
    c.push(format!("({})", parts.join(" OR ")));
}

/// A member of `bloc` on the event's date, on `role` (or either side).
fn membership(
    c: &mut Vec<String>,
    p: &mut Vec<Value>,
    bloc: &Bloc,
    role: Option<&str>,
    range: Range,
    probe: bool,
) -> Result<()> {
    if bloc.members.is_empty() {
        return Err(StoreError::Invalid(format!(
            "bloc {}: no members listed",
            bloc.name
        )));
    }
    let codes: Vec<String> = bloc.members.iter().map(|m| m.0.clone()).collect();
    // The index narrows to events with any member ever; the dates then decide.
    side(
        c,
        p,
        &codes,
        role,
        range,
        probe,
        (String::new(), Vec::new()),
    );
    let role_sql = role.map_or(String::new(), |_| " AND x.role = ?".into());
    if let Some(r) = role {
        p.push(Value::Text(r.into()));
    }
    let mut periods = Vec::new();
    for (code, from, to) in &bloc.members {
        periods.push("(x.code = ? AND g.date >= ? AND g.date < ?)");
        p.push(Value::Text(code.clone()));
        p.push(Value::Text(from.clone().unwrap_or_default()));
        p.push(Value::Text(to.clone().unwrap_or_else(|| "9999".into())));
    }
    c.push(format!(
        "EXISTS (SELECT 1 FROM participants x WHERE x.event = g.root_pk{role_sql} AND ({}))",
        periods.join(" OR ")
    ));
    Ok(())
}

impl Store {
    /// The deduplicated events that pass `filter`, oldest first, each as its root mention
    /// with the event's counts; with `mentions`, every mention of those events.
    pub fn query(&self, filter: &Filter, mentions: bool, sink: &mut dyn RowSink) -> Result<usize> {
        let sql = filter.sql()?;
        let from = if mentions {
            "event_groups g JOIN events e ON e.root = g.root"
        } else {
            "event_groups g JOIN events e ON e.pk = g.root_pk"
        };
        let limit = match (filter.limit, filter.offset) {
            (None, None) => String::new(),
            (Some(n), None) => format!(" LIMIT {n}"),
            // SQLite takes an OFFSET only after a LIMIT; -1 is no limit.
            (n, Some(o)) => format!(" LIMIT {} OFFSET {o}", n.map_or(-1, |n| n as i64)),
        };
        let order = if mentions {
            "g.date, g.root, e.id"
        } else {
            "g.date, g.root"
        };
        let query = format!(
            "{} FROM {from} JOIN articles a ON a.pk = e.article WHERE {} ORDER BY {order}{limit}",
            EventRow::SELECT,
            sql.clause
        );
        self.rows(&query, &sql.params, sink)
    }

    pub(crate) fn rows(
        &self,
        query: &str,
        params: &[Value],
        sink: &mut dyn RowSink,
    ) -> Result<usize> {
        let mut stmt = self.conn.prepare(query)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            sink.push(EventRow::from_row(r)?)?;
            n += 1;
        }
        Ok(n)
    }

    /// Time series of the events passing `filter`: per period (and key), the number of
    /// events, the sum of their event_scale, their mentions and sources. Undated events
    /// are left out. Read from a rollup when one answers the filter and key.
    pub fn count_by(
        &self,
        filter: &Filter,
        period: Period,
        by: Option<By>,
    ) -> Result<Vec<CountRow>> {
        if let (Some(plan), Some(key)) = (self.plan(filter), rollup::series_key(by)) {
            return self.count_by_rollup(&plan, period, key);
        }
        let sql = filter.sql()?;
        let period_sql = match period {
            Period::Day => "g.date",
            Period::Week => {
                "date(g.date, '-' || ((CAST(strftime('%w', g.date) AS INTEGER) + 6) % 7) || ' days')"
            }
            Period::Month => "substr(g.date, 1, 7)",
        };
        let key_sql = match by {
            None => "NULL",
            Some(By::Dyad) => "g.actor || '>' || g.recipient",
            Some(By::Actor) => "g.actor",
            Some(By::Recipient) => "g.recipient",
            Some(By::Type) => "g.type",
            Some(By::Quad) => "CAST(g.quad AS TEXT)",
        };
        // The root mention is joined only when a filter needs its columns.
        let join = if !filter.contexts.is_empty() {
            " JOIN events e ON e.pk = g.root_pk"
        } else {
            ""
        };
        let query = format!(
            "SELECT {period_sql} AS period, {key_sql} AS k, COUNT(*), SUM(g.scale),
                    SUM(g.mentions), SUM(g.sources)
             FROM event_groups g{join}
             WHERE g.date IS NOT NULL AND {}
             GROUP BY period, k ORDER BY period, k",
            sql.clause
        );
        let mut stmt = self.conn.prepare(&query)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(&sql.params), |r| {
            Ok(CountRow {
                period: r.get(0)?,
                key: r.get(1)?,
                events: r.get(2)?,
                scale_sum: (r.get::<_, f64>(3)? * 100.0).round() / 100.0,
                mentions: r.get(4)?,
                sources: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The rollup plan for `filter`, unless rollups are switched off.
    pub(crate) fn plan(&self, filter: &Filter) -> Option<rollup::Plan> {
        self.rollups.then(|| rollup::plan(filter)).flatten()
    }

    /// A series summed from a rollup: grouped by day number, Monday's day number or
    /// `YYYYMM`, formatted once per group.
    fn count_by_rollup(
        &self,
        plan: &rollup::Plan,
        period: Period,
        key: &str,
    ) -> Result<Vec<CountRow>> {
        let (table, clause, params) = plan.table();
        let (p, shown) = match period {
            Period::Day => ("day", "date(p * 86400, 'unixepoch')"),
            // Day 0 (1970-01-01) was a Thursday: Monday is 3 days before.
            Period::Week => (
                "day - ((day + 3) % 7 + 7) % 7",
                "date(p * 86400, 'unixepoch')",
            ),
            Period::Month => ("month", "printf('%04d-%02d', p / 100, p % 100)"),
        };
        let query = format!(
            "SELECT {shown}, k, n, sc, m, s FROM (
                SELECT {p} AS p, {key} AS k, sum(events) AS n, sum(scale_c) AS sc,
                       sum(mentions) AS m, sum(sources) AS s
                FROM {table} WHERE day > {} AND {clause} GROUP BY p, k)
             ORDER BY p, k",
            rollup::UNDATED
        );
        let mut stmt = self.conn.prepare_cached(&query)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(&params), |r| {
            Ok(CountRow {
                period: r.get(0)?,
                key: r.get(1)?,
                events: r.get(2)?,
                scale_sum: r.get::<_, i64>(3)? as f64 / 100.0,
                mentions: r.get(4)?,
                sources: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
