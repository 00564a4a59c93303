//! Pages of deduplicated events in (date, event id) order, sought from a cursor (the last
//! row of the previous page) rather than skipped to with OFFSET, so page 1,000 costs what
//! page 1 does. The total comes from a rollup when one answers the filter, else it is
//! counted up to [`COUNT_CAP`].

use crate::export::EventRow;
use crate::query::{Filter, SideAs, Sql};
use crate::{hash, Result, Store};
use rusqlite::types::Value;

/// Events counted at most for a filter no rollup answers (the total is then a floor).
pub const COUNT_CAP: i64 = 10_000;

/// Events a page may walk in date order without weighing the other way of reading it.
const SHORT_WALK: f64 = 2_000.0;

/// Where a page starts: after the event with this date (`None`: undated) and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub date: Option<String>,
    pub root: String,
}

impl Cursor {
    /// `DATE|EVENT_ID` (an empty date for an undated event).
    pub fn parse(s: &str) -> Option<Cursor> {
        let (date, root) = s.split_once('|')?;
        if root.is_empty() {
            return None;
        }
        Some(Cursor {
            date: (!date.is_empty()).then(|| date.to_string()),
            root: root.to_string(),
        })
    }

    pub fn encode(&self) -> String {
        format!("{}|{}", self.date.as_deref().unwrap_or(""), self.root)
    }
}

/// One page of events with the filter's total.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub total: i64,
    /// False when the total was counted only up to [`COUNT_CAP`].
    pub exact: bool,
    pub events: Vec<EventRow>,
    /// The cursor of the next page, when more events follow.
    pub next: Option<Cursor>,
}

/// How a page is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Walk the events in page order (the `(date, root)` index), testing each: cheap when
    /// many events pass the filter.
    Scan,
    /// Collect the events of side `i`'s codes (the side index), test the rest, then sort
    /// them: cheap when that side has few events.
    Set(usize),
    /// No side codes: SQLite chooses.
    Auto,
    /// The rollup counts no event.
    Empty,
}

impl Store {
    /// The `limit` events passing `filter` after `after` (from the first when `None`),
    /// oldest first, each as its root mention.
    pub fn page(&self, filter: &Filter, after: Option<&Cursor>, limit: usize) -> Result<Page> {
        let (total, exact) = match self.plan(filter) {
            Some(_) => (self.count(filter)?, true),
            None => self.count_capped(filter)?,
        };
        let access = self.access(filter, total, exact, limit)?;
        // One row more than asked tells whether another page follows.
        let (asked, limit) = (limit, limit + 1);
        let sql = filter.sql_mode(match access {
            Access::Set(i) => SideAs::SetOnly(i),
            Access::Auto => SideAs::Sets,
            _ => SideAs::Probes,
        })?;
        let mut events = Vec::new();
        if access == Access::Empty {
            return Ok(Page {
                total,
                exact,
                events,
                next: None,
            });
        }
        let dated_after = match after {
            Some(Cursor {
                date: Some(d),
                root,
            }) => Some((d.as_str(), root.as_str())),
            _ => None,
        };
        // Undated events sort first; a date bound leaves them out.
        if dated_after.is_none() && filter.from.is_none() && filter.to.is_none() {
            let root = after.map_or("", |c| c.root.as_str());
            let at = (
                "g.date IS NULL AND g.root > ?",
                vec![Value::Text(root.into())],
            );
            self.page_part(&sql, at, access, limit, &mut events)?;
        }
        if events.len() < limit {
            let (d, r) = dated_after.unwrap_or(("", ""));
            let cond = match access {
                // A unary + keeps SQLite from walking the date index in Set.
                Access::Set(_) => "(+g.date, g.root) > (?, ?)",
                _ => "(g.date, g.root) > (?, ?)",
            };
            let at = (cond, vec![Value::Text(d.into()), Value::Text(r.into())]);
            self.page_part(&sql, at, access, limit - events.len(), &mut events)?;
        }
        let more = events.len() > asked;
        events.truncate(asked);
        let next = events.last().filter(|_| more).map(|last| Cursor {
            date: last.date.clone(),
            root: last.event_id.clone(),
        });
        Ok(Page {
            total,
            exact,
            events,
            next,
        })
    }

    fn page_part(
        &self,
        sql: &Sql,
        at: (&str, Vec<Value>),
        access: Access,
        limit: usize,
        sink: &mut Vec<EventRow>,
    ) -> Result<()> {
        let (groups, order) = match access {
            Access::Scan => ("event_groups g INDEXED BY event_groups_page", "g.date"),
            Access::Set(_) => ("event_groups g", "+g.date"),
            _ => ("event_groups g", "g.date"),
        };
        // CROSS JOIN keeps the events table outermost: the filter is on it.
        let query = format!(
            "{} FROM {groups} CROSS JOIN events e ON e.pk = g.root_pk
               CROSS JOIN articles a ON a.pk = e.article
             WHERE {} AND {} ORDER BY {order}, g.root LIMIT {limit}",
            EventRow::SELECT,
            sql.clause,
            at.0
        );
        let mut params = sql.params.clone();
        params.extend(at.1);
        self.rows(&query, &params, sink)?;
        Ok(())
    }

    /// About how many events lie in the filter's date range: all of them in proportion to
    /// the days covered (three index lookups; it only chooses how to read a page).
    fn in_range(&self, filter: &Filter) -> Result<f64> {
        let (n, first, last): (Option<i64>, Option<String>, Option<String>) = self
            .conn
            .prepare_cached(
                "SELECT (SELECT max(rowid) FROM event_groups),
                        (SELECT min(date) FROM event_groups WHERE date IS NOT NULL),
                        (SELECT max(date) FROM event_groups)",
            )?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        let day = |d: Option<&String>| d.and_then(|d| hash::day_number(d));
        let (Some(lo), Some(hi)) = (day(first.as_ref()), day(last.as_ref())) else {
            return Ok(n.unwrap_or(0) as f64);
        };
        let from = day(filter.from.as_ref()).map_or(lo, |d| d.max(lo));
        let to = day(filter.to.as_ref()).map_or(hi, |d| d.min(hi));
        let share = ((to - from + 1).max(0) as f64 / (hi - lo + 1) as f64).min(1.0);
        Ok(n.unwrap_or(0) as f64 * share)
    }

    /// Events passing `filter`, counted up to [`COUNT_CAP`]: the count and whether it is all.
    fn count_capped(&self, filter: &Filter) -> Result<(i64, bool)> {
        let sql = filter.sql()?;
        let join = if filter.contexts.is_empty() {
            ""
        } else {
            " JOIN events e ON e.pk = g.root_pk"
        };
        let query = format!(
            "SELECT count(*) FROM (SELECT 1 FROM event_groups g{join} WHERE {} LIMIT {})",
            sql.clause,
            COUNT_CAP + 1
        );
        let mut stmt = self.conn.prepare_cached(&query)?;
        let n: i64 = stmt.query_row(rusqlite::params_from_iter(&sql.params), |r| r.get(0))?;
        Ok((n.min(COUNT_CAP), n <= COUNT_CAP))
    }

    /// Scan when walking the date range finds `limit` matches sooner than reading the
    /// events of the side with fewest: `limit × events in range / total` against that
    /// side's events in range (from the rollups).
    fn access(&self, filter: &Filter, total: i64, exact: bool, limit: usize) -> Result<Access> {
        if exact && total == 0 {
            return Ok(Access::Empty);
        }
        let sides = filter.sides().iter().any(|s| !s.0.is_empty())
            || filter.actor_bloc.is_some()
            || filter.recipient_bloc.is_some()
            || filter.either_bloc.is_some();
        if !sides {
            return Ok(Access::Auto);
        }
        if !exact {
            return Ok(Access::Scan);
        }
        let range = Filter {
            from: filter.from.clone(),
            to: filter.to.clone(),
            ..Default::default()
        };
        let scan_rows = limit as f64 * self.in_range(filter)? / total.max(1) as f64;
        // A short walk is cheaper than asking the rollups for each side's count.
        if scan_rows < SHORT_WALK {
            return Ok(Access::Scan);
        }
        let mut best = (scan_rows, Access::Scan);
        for (i, (codes, _)) in filter.sides().into_iter().enumerate() {
            if codes.is_empty() {
                continue;
            }
            let mut one = range.clone();
            match i {
                0 => one.actor = codes.clone(),
                1 => one.recipient = codes.clone(),
                _ => one.either = codes.clone(),
            }
            let n = self.count(&one)? as f64;
            if n < best.0 {
                best = (n, Access::Set(i));
            }
        }
        Ok(best.1)
    }
}
