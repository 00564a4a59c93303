//! Reads for browsing a store (`dyad serve`): how many events a filter selects, the
//! strongest dyads, the actors and places involved, and one article with everything coded
//! in it. Every aggregate goes through [`Filter::sql`], as `dyad query` does.

use crate::query::Filter;
use crate::rollup::Kind;
use crate::{Result, Store};
use rusqlite::{OptionalExtension, Row};
use serde::Serialize;

/// An actor–recipient pair (each side its `;`-joined PLOVER codes) and its events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DyadCount {
    pub actor: String,
    pub recipient: String,
    pub events: i64,
    /// Events of quad classes 1–2 and 3–4.
    pub cooperation: i64,
    pub conflict: i64,
    pub scale_sum: f64,
}

/// One actor code and the events it takes part in, per side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorCount {
    pub code: String,
    pub events: i64,
    pub as_actor: i64,
    pub as_recipient: i64,
}

/// Events located in one country (the event location's code).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryCount {
    pub country: String,
    pub events: i64,
}

/// A stored article with its sentences, actor mentions, quotes and event mentions.
/// Offsets are characters, as everywhere in the store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleView {
    pub id: String,
    pub date: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub story: Option<String>,
    pub text: String,
    pub sentences: Vec<SentenceSpan>,
    pub entities: Vec<EntitySpan>,
    pub quotes: Vec<QuoteSpan>,
    /// Each mention's PLOVER record, with `event_id` (its deduplicated event) added.
    pub events: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentenceSpan {
    pub seq: i64,
    pub start: i64,
    pub end: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntitySpan {
    pub idx: i64,
    pub start: i64,
    pub end: i64,
    pub text: String,
    pub kind: String,
    pub code: String,
    pub cameo: String,
    pub rule: String,
    pub confidence: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuoteSpan {
    pub start: i64,
    pub end: i64,
    pub cue: Option<String>,
    pub direct: bool,
    pub speaker_code: Option<String>,
    pub speaker_text: Option<String>,
}

/// The tables a filter's clause reads: the root mention is joined only when it needs
/// its columns (contexts), as in `count_by`.
fn groups(filter: &Filter) -> &'static str {
    if filter.contexts.is_empty() {
        "event_groups g"
    } else {
        "event_groups g JOIN events e ON e.pk = g.root_pk"
    }
}

fn actor_count(r: &Row) -> rusqlite::Result<ActorCount> {
    Ok(ActorCount {
        code: r.get(0)?,
        events: r.get(1)?,
        as_actor: r.get(2)?,
        as_recipient: r.get(3)?,
    })
}

fn country_count(r: &Row) -> rusqlite::Result<CountryCount> {
    Ok(CountryCount {
        country: r.get(0)?,
        events: r.get(1)?,
    })
}

impl Store {
    /// How many articles the store holds.
    pub fn article_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))?)
    }

    /// How many deduplicated events pass `filter` (its limit and offset ignored): summed
    /// from a rollup when one answers the filter, else counted.
    pub fn count(&self, filter: &Filter) -> Result<i64> {
        if let Some(plan) = self.plan(filter) {
            let (table, clause, params) = plan.table();
            let query = format!("SELECT coalesce(sum(events), 0) FROM {table} WHERE {clause}");
            let mut stmt = self.conn.prepare_cached(&query)?;
            return Ok(stmt.query_row(rusqlite::params_from_iter(&params), |r| r.get(0))?);
        }
        let sql = filter.sql()?;
        let query = format!(
            "SELECT COUNT(*) FROM {} WHERE {}",
            groups(filter),
            sql.clause
        );
        let mut stmt = self.conn.prepare(&query)?;
        Ok(stmt.query_row(rusqlite::params_from_iter(&sql.params), |r| r.get(0))?)
    }

    /// The `n` actor–recipient pairs with most events passing `filter` (both sides named).
    pub fn top_dyads(&self, filter: &Filter, n: usize) -> Result<Vec<DyadCount>> {
        let sql = filter.sql()?;
        let query = format!(
            "SELECT g.actor, g.recipient, COUNT(*), SUM(g.quad <= 2), SUM(g.quad >= 3),
                    SUM(g.scale)
             FROM {} WHERE g.actor <> '' AND g.recipient <> '' AND {}
             GROUP BY g.actor, g.recipient ORDER BY 3 DESC, 1, 2 LIMIT {n}",
            groups(filter),
            sql.clause
        );
        self.collect(&query, &sql.params, |r| {
            Ok(DyadCount {
                actor: r.get(0)?,
                recipient: r.get(1)?,
                events: r.get(2)?,
                cooperation: r.get(3)?,
                conflict: r.get(4)?,
                scale_sum: (r.get::<_, f64>(5)? * 100.0).round() / 100.0,
            })
        })
    }

    /// The `n` actor codes taking part in most events passing `filter`, with their
    /// events on each side (read from the side index: one row per code and side).
    pub fn top_actors(&self, filter: &Filter, n: usize) -> Result<Vec<ActorCount>> {
        let plain = self
            .plan(filter)
            .filter(|p| p.kind == Kind::Plain && !p.has_country);
        if let Some(plan) = plain {
            let (clause, params) = plan.clause(false);
            let query = format!(
                "SELECT code, sum(events), sum(CASE WHEN roles & 1 THEN events ELSE 0 END),
                        sum(CASE WHEN roles & 2 THEN events ELSE 0 END)
                 FROM roll_side WHERE code <> '' AND {clause}
                 GROUP BY code ORDER BY 2 DESC, 1 LIMIT {n}"
            );
            return self.collect(&query, &params, actor_count);
        }
        let sql = filter.sql()?;
        let query = format!(
            "SELECT s.code, COUNT(DISTINCT s.root_pk), SUM(s.role = 'actor'),
                    SUM(s.role = 'recipient')
             FROM event_sides s JOIN {} ON g.root_pk = s.root_pk WHERE s.code <> '' AND {}
             GROUP BY s.code ORDER BY 2 DESC, 1 LIMIT {n}",
            groups(filter),
            sql.clause
        );
        self.collect(&query, &sql.params, actor_count)
    }

    /// Events passing `filter` per event location country (events without one left out).
    pub fn count_by_country(&self, filter: &Filter) -> Result<Vec<CountryCount>> {
        if let Some(plan) = self.plan(filter).filter(|p| p.kind == Kind::Plain) {
            let (clause, params) = plan.clause(false);
            let query = format!(
                "SELECT country, sum(events) FROM roll_country WHERE {clause}
                 GROUP BY country ORDER BY 2 DESC, 1"
            );
            return self.collect(&query, &params, country_count);
        }
        let sql = filter.sql()?;
        let query = format!(
            "SELECT g.country, COUNT(*) FROM {} WHERE g.country IS NOT NULL AND {}
             GROUP BY g.country ORDER BY 2 DESC, 1",
            groups(filter),
            sql.clause
        );
        self.collect(&query, &sql.params, country_count)
    }

    fn collect<T>(
        &self,
        query: &str,
        params: &[rusqlite::types::Value],
        f: impl FnMut(&Row) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut stmt = self.conn.prepare_cached(query)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), f)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The article `id` with everything coded in it; `None` when there is no such article.
    pub fn article(&self, id: &str) -> Result<Option<ArticleView>> {
        let head = self
            .conn
            .query_row(
                "SELECT pk, id, date, title, url, source, story, text FROM articles WHERE id = ?",
                [id],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        ArticleView {
                            id: r.get(1)?,
                            date: r.get(2)?,
                            title: r.get(3)?,
                            url: r.get(4)?,
                            source: r.get(5)?,
                            story: r.get(6)?,
                            text: r.get(7)?,
                            sentences: vec![],
                            entities: vec![],
                            quotes: vec![],
                            events: vec![],
                        },
                    ))
                },
            )
            .optional()?;
        let Some((pk, mut view)) = head else {
            return Ok(None);
        };
        let pk = [rusqlite::types::Value::Integer(pk)];
        view.sentences = self.collect(
            "SELECT seq, start, \"end\" FROM sentences WHERE article = ? ORDER BY seq",
            &pk,
            |r| {
                Ok(SentenceSpan {
                    seq: r.get(0)?,
                    start: r.get(1)?,
                    end: r.get(2)?,
                })
            },
        )?;
        view.entities = self.collect(
            "SELECT idx, start, \"end\", text, kind, code, cameo, rule, confidence
             FROM entities WHERE article = ? ORDER BY idx",
            &pk,
            |r| {
                Ok(EntitySpan {
                    idx: r.get(0)?,
                    start: r.get(1)?,
                    end: r.get(2)?,
                    text: r.get(3)?,
                    kind: r.get(4)?,
                    code: r.get(5)?,
                    cameo: r.get(6)?,
                    rule: r.get(7)?,
                    confidence: r.get(8)?,
                })
            },
        )?;
        view.quotes = self.collect(
            "SELECT start, \"end\", cue, direct, speaker_code, speaker_text
             FROM quotes WHERE article = ? ORDER BY idx",
            &pk,
            |r| {
                Ok(QuoteSpan {
                    start: r.get(0)?,
                    end: r.get(1)?,
                    cue: r.get(2)?,
                    direct: r.get(3)?,
                    speaker_code: r.get(4)?,
                    speaker_text: r.get(5)?,
                })
            },
        )?;
        let records: Vec<(String, Option<String>)> = self.collect(
            "SELECT record, root FROM events WHERE article = ? ORDER BY sentence, pk",
            &pk,
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        for (record, root) in records {
            let mut value: serde_json::Value = serde_json::from_str(&record)
                .map_err(|e| crate::StoreError::Invalid(format!("article {id}: record: {e}")))?;
            if let Some(o) = value.as_object_mut() {
                o.insert("event_id".into(), root.into());
            }
            view.events.push(value);
        }
        Ok(Some(view))
    }
}
