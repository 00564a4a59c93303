//! Writing coded articles: one transaction per batch, an unchanged article skipped, a
//! changed one replaced, then the stories and events the batch touched regrouped.

use crate::hash;
use crate::{Result, Store};
use dyad_core::Article;
use dyad_output::{Annotation, EntityRecord, PloverRecord};
use rusqlite::{params, Transaction};
use std::collections::{BTreeMap, BTreeSet};

/// One coded article with what identifies its coding.
pub struct Ingested {
    pub annotation: Annotation,
    /// [`Store::fingerprint`] of the article as read.
    pub fingerprint: String,
    pub coder: String,
    /// Which dictionaries coded it ("builtin", or the PETRARCH files).
    pub dictionaries: String,
}

/// What a batch did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PutStats {
    pub inserted: usize,
    pub replaced: usize,
    pub events: usize,
}

/// What one batch touched, to regroup afterwards.
#[derive(Default)]
pub(crate) struct Touched {
    pub articles: BTreeSet<i64>,
    /// Event keys with the earliest day touched (`i64::MAX` when none) and whether an
    /// undated mention was touched.
    pub ekeys: BTreeMap<String, (i64, bool)>,
}

impl Touched {
    fn key(&mut self, key: String, day: Option<i64>) {
        let slot = self.ekeys.entry(key).or_insert((i64::MAX, false));
        match day {
            Some(d) => slot.0 = slot.0.min(d),
            None => slot.1 = true,
        }
    }
}

impl Store {
    /// A hash of everything in an article that decides its coding, with the coder and
    /// dictionaries: equal fingerprints mean re-coding would give the same rows.
    pub fn fingerprint(article: &Article, coder: &str, dictionaries: &str) -> String {
        let options = serde_json::to_string(&article.options).unwrap_or_default();
        let opt = |s: &Option<String>| s.clone().unwrap_or_else(|| "\u{0}".into());
        hash::hex(hash::fnv64_fields([
            article.id.as_str(),
            &opt(&article.date),
            &opt(&article.title),
            &opt(&article.url),
            &opt(&article.source),
            &article.text,
            &options,
            coder,
            dictionaries,
        ]))
    }

    /// True when the store holds article `id` with this fingerprint (nothing to do).
    pub fn is_current(&self, id: &str, fingerprint: &str) -> Result<bool> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM articles WHERE id = ?1 AND fingerprint = ?2")?;
        Ok(stmt.exists(params![id, fingerprint])?)
    }

    /// Stores a batch of coded articles in one transaction: all of it or nothing.
    pub fn put_batch(&mut self, batch: &[Ingested]) -> Result<PutStats> {
        let window = self.window;
        let tx = self.conn.transaction()?;
        let mut stats = PutStats::default();
        let mut touched = Touched::default();
        for item in batch {
            if is_current_tx(&tx, &item.annotation.id, &item.fingerprint)? {
                continue;
            }
            if delete_article(&tx, &item.annotation.id, &mut touched)? {
                stats.replaced += 1;
            } else {
                stats.inserted += 1;
            }
            stats.events += insert_article(&tx, item, &mut touched)?;
        }
        crate::dedup::regroup(&tx, &touched, window)?;
        tx.commit()?;
        Ok(stats)
    }
}

fn is_current_tx(tx: &Transaction, id: &str, fingerprint: &str) -> Result<bool> {
    let mut stmt =
        tx.prepare_cached("SELECT 1 FROM articles WHERE id = ?1 AND fingerprint = ?2")?;
    Ok(stmt.exists(params![id, fingerprint])?)
}

/// Removes article `id` (its rows go by cascade), noting the events and stories it was
/// part of. Returns whether it was there.
fn delete_article(tx: &Transaction, id: &str, touched: &mut Touched) -> Result<bool> {
    let pk: Option<i64> = {
        let mut stmt = tx.prepare_cached("SELECT pk FROM articles WHERE id = ?1")?;
        let mut rows = stmt.query([id])?;
        rows.next()?.map(|r| r.get(0)).transpose()?
    };
    let Some(pk) = pk else { return Ok(false) };
    let mut stmt = tx.prepare_cached("SELECT ekey, day FROM events WHERE article = ?1")?;
    for k in stmt.query_map([pk], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))? {
        let (key, day) = k?;
        touched.key(key, day);
    }
    let mut stmt = tx.prepare_cached("SELECT other FROM story_links WHERE article = ?1")?;
    for o in stmt.query_map([pk], |r| r.get::<_, i64>(0))? {
        touched.articles.insert(o?);
    }
    // External-content FTS5 rows are deleted by hand, with the text they indexed.
    tx.execute(
        "INSERT INTO sentences_fts(sentences_fts, rowid, text)
         SELECT 'delete', pk, text FROM sentences WHERE article = ?1",
        [pk],
    )?;
    let roots: Vec<i64> = tx
        .prepare_cached("SELECT pk FROM events WHERE article = ?1")?
        .query_map([pk], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for root in roots {
        crate::dedup::drop_group(tx, root)?;
    }
    tx.execute("DELETE FROM articles WHERE pk = ?1", [pk])?;
    touched.articles.remove(&pk);
    Ok(true)
}

/// Inserts one article and everything coded in it; returns its event count.
fn insert_article(tx: &Transaction, item: &Ingested, touched: &mut Touched) -> Result<usize> {
    let a = &item.annotation;
    let sig = hash::minhash(&a.text);
    tx.prepare_cached(
        "INSERT INTO articles (id, date, source, url, title, text, text_hash, fingerprint,
                               coder, dictionaries, sentences, minhash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        a.id,
        a.date,
        a.source,
        a.url,
        a.title,
        a.text,
        hash::hex(hash::fnv64(a.text.as_bytes())),
        item.fingerprint,
        item.coder,
        item.dictionaries,
        a.sentences.len() as i64,
        sig.as_deref().map(hash::to_blob),
    ])?;
    let pk = tx.last_insert_rowid();
    touched.articles.insert(pk);
    if let Some(sig) = &sig {
        crate::dedup::link_similar(tx, pk, sig)?;
    }
    insert_sentences(tx, pk, a)?;
    insert_entities(tx, pk, a)?;
    insert_quotes(tx, pk, a)?;
    for ev in &a.events {
        let day = ev.date.as_deref().and_then(hash::day_number);
        touched.key(insert_event(tx, pk, ev, day)?, day);
    }
    Ok(a.events.len())
}

fn insert_sentences(tx: &Transaction, pk: i64, a: &Annotation) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO sentences (article, seq, start, \"end\", text) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut fts = tx.prepare_cached("INSERT INTO sentences_fts (rowid, text) VALUES (?1, ?2)")?;
    for (i, s) in a.sentences.iter().enumerate() {
        stmt.execute(params![pk, i as i64, s.start as i64, s.end as i64, s.text])?;
        fts.execute(params![tx.last_insert_rowid(), s.text])?;
    }
    Ok(())
}

fn insert_entities(tx: &Transaction, pk: i64, a: &Annotation) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO entities (article, idx, start, \"end\", text, kind, code, sector, cameo,
                               identifier, rule, confidence, antecedent)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    for (i, e) in a.entities.iter().enumerate() {
        let kind = serde_json::to_value(e.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        stmt.execute(params![
            pk,
            i as i64,
            e.start as i64,
            e.end as i64,
            e.text,
            kind,
            e.code,
            e.sector.join(";"),
            e.cameo,
            e.identifier_text,
            e.rule,
            short(e.confidence),
            e.antecedent.map(|x| x as i64),
        ])?;
    }
    Ok(())
}

fn insert_quotes(tx: &Transaction, pk: i64, a: &Annotation) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO quotes (article, idx, start, \"end\", text, cue, direct, speaker_code,
                             speaker_text, speaker_description, outlet_code)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for (i, q) in a.quotes.iter().enumerate() {
        stmt.execute(params![
            pk,
            i as i64,
            q.start as i64,
            q.end as i64,
            q.text,
            q.cue,
            q.direct,
            q.speaker.as_ref().map(|s| s.cameo.clone()),
            q.speaker.as_ref().map(|s| s.entity_text.clone()),
            q.speaker_description,
            q.outlet.as_ref().map(|o| o.cameo.clone()),
        ])?;
    }
    Ok(())
}

/// The codes of one side, sorted and deduplicated, `;`-joined ("" for none).
pub(crate) fn side_codes(side: &[EntityRecord]) -> String {
    let codes: BTreeSet<&str> = side.iter().map(|e| e.code.as_str()).collect();
    codes.into_iter().collect::<Vec<_>>().join(";")
}

/// Mentions with equal keys (type, mode, actor and recipient codes) may be one event.
pub(crate) fn event_key(ev: &PloverRecord) -> String {
    format!(
        "{}|{}|{}|{}",
        ev.event.join(";"),
        ev.mode.join(";"),
        side_codes(&ev.actor),
        side_codes(&ev.recipient)
    )
}

/// Inserts one event mention and its participants; returns its key.
fn insert_event(
    tx: &Transaction,
    article: i64,
    ev: &PloverRecord,
    day: Option<i64>,
) -> Result<String> {
    let key = event_key(ev);
    let loc = ev.event_loc.as_ref();
    tx.prepare_cached(
        "INSERT INTO events (id, article, date, day, type, mode, context, cameo, quad, scale,
                             actor, recipient, country, place, claimed, speaker, sentence,
                             trigger_start, trigger_end, rule, confidence, ekey, record,
                             geonameid, placename, latitude, longitude, admin1, feature,
                             place_method)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30)",
    )?
    .execute(params![
        ev.id,
        article,
        ev.date,
        day,
        ev.event.join(";"),
        ev.mode.join(";"),
        ev.context.join(";"),
        ev.cameo,
        ev.quad_code,
        short(ev.event_scale),
        side_codes(&ev.actor),
        side_codes(&ev.recipient),
        loc.and_then(|l| l.country_code.clone()),
        loc.map(|l| l.extracted_place.clone()),
        ev.claimed,
        ev.attribution
            .as_ref()
            .and_then(|a| a.speaker.as_ref().map(|s| s.cameo.clone())),
        ev.text_info.sequence as i64,
        ev.trigger.start as i64,
        ev.trigger.end as i64,
        ev.rule,
        short(ev.confidence),
        key,
        serde_json::to_string(ev).unwrap_or_default(),
        loc.and_then(|l| l.geonameid),
        loc.and_then(|l| l.placename.clone()),
        loc.and_then(|l| l.latitude),
        loc.and_then(|l| l.longitude),
        loc.and_then(|l| l.admin1.clone()),
        loc.and_then(|l| l.feature.clone()),
        loc.and_then(|l| l.method.clone()),
    ])?;
    let pk = tx.last_insert_rowid();
    let mut stmt = tx.prepare_cached(
        "INSERT INTO participants (event, role, idx, code, cameo, sector, text, start, \"end\")
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (role, side) in [("actor", &ev.actor), ("recipient", &ev.recipient)] {
        for (i, e) in side.iter().enumerate() {
            stmt.execute(params![
                pk,
                role,
                i as i64,
                e.code,
                e.cameo,
                e.sector.join(";"),
                e.entity_text,
                e.start as i64,
                e.end as i64
            ])?;
        }
    }
    Ok(key)
}

/// An `f32` as the `f64` of its shortest decimal form (7.4, not 7.400000095367432), as
/// the JSON records print it.
fn short(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}
