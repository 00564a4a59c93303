//! Deduplication over stored rows. Stories: articles whose MinHash signatures agree on at
//! least [`STORY_SIMILARITY`] of their hash functions are linked, and each connected group
//! of links is one story headed by its earliest article. Events: mentions with the same
//! key (type, mode, actor and recipient codes) whose dates lie within the window of the
//! group's first mention (its root) are one event.
//!
//! Both are pure functions of the stored rows, recomputed for what a batch touched, so the
//! result does not depend on the order or batching of the input.

use crate::hash;
use crate::ingest::Touched;
use crate::Result;
use rusqlite::{params, Transaction};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Estimated Jaccard similarity (of word 3-shingles) from which two articles are copies.
pub const STORY_SIMILARITY: f64 = 0.5;

/// Links article `pk` to the stored articles similar to it (both directions) and indexes
/// its LSH bands.
pub(crate) fn link_similar(tx: &Transaction, pk: i64, sig: &[u64]) -> Result<()> {
    let bands = hash::bands(sig);
    let mut candidates = BTreeSet::new();
    {
        let mut stmt = tx.prepare_cached("SELECT article FROM story_bands WHERE band = ?1")?;
        for b in &bands {
            for a in stmt.query_map([b], |r| r.get::<_, i64>(0))? {
                candidates.insert(a?);
            }
        }
    }
    let mut get = tx.prepare_cached("SELECT minhash FROM articles WHERE pk = ?1")?;
    let mut link = tx.prepare_cached(
        "INSERT OR REPLACE INTO story_links (article, other, similarity) VALUES (?1, ?2, ?3)",
    )?;
    for other in candidates {
        let blob: Vec<u8> = get.query_row([other], |r| r.get(0))?;
        let sim = hash::similarity(sig, &hash::from_blob(&blob));
        if sim >= STORY_SIMILARITY {
            let sim = (sim * 1000.0).round() / 1000.0;
            link.execute(params![pk, other, sim])?;
            link.execute(params![other, pk, sim])?;
        }
    }
    let mut put = tx.prepare_cached("INSERT OR IGNORE INTO story_bands VALUES (?1, ?2)")?;
    for b in &bands {
        put.execute(params![b, pk])?;
    }
    Ok(())
}

pub(crate) fn regroup(tx: &Transaction, touched: &Touched, window: i64) -> Result<()> {
    regroup_stories(tx, &touched.articles)?;
    for (key, &(day, undated)) in &touched.ekeys {
        regroup_events(tx, key, day, undated, window)?;
    }
    crate::rollup::prune(tx)?;
    Ok(())
}

/// Sets `story` (the head article's id) on every article linked to a touched one.
fn regroup_stories(tx: &Transaction, touched: &BTreeSet<i64>) -> Result<()> {
    let mut done: HashSet<i64> = HashSet::new();
    let mut links = tx.prepare_cached("SELECT other FROM story_links WHERE article = ?1")?;
    let mut info = tx.prepare_cached("SELECT date, id FROM articles WHERE pk = ?1")?;
    let mut set = tx.prepare_cached("UPDATE articles SET story = ?1 WHERE pk = ?2")?;
    for &start in touched {
        if done.contains(&start) {
            continue;
        }
        let mut group = vec![start];
        done.insert(start);
        let mut i = 0;
        while i < group.len() {
            for o in links.query_map([group[i]], |r| r.get::<_, i64>(0))? {
                let o = o?;
                if done.insert(o) {
                    group.push(o);
                }
            }
            i += 1;
        }
        // The head: the earliest article, undated ones last, ties by id.
        let mut head: Option<(bool, String, String)> = None;
        for &pk in &group {
            let Some((date, id)) = info
                .query_map([pk], |r| {
                    Ok((r.get::<_, Option<String>>(0)?, r.get::<_, String>(1)?))
                })?
                .next()
                .transpose()?
            else {
                continue; // deleted in this batch
            };
            let k = (date.is_none(), date.unwrap_or_default(), id);
            if head.as_ref().is_none_or(|h| k < *h) {
                head = Some(k);
            }
        }
        if let Some((_, _, head)) = head {
            for &pk in &group {
                set.execute(params![head, pk])?;
            }
        }
    }
    Ok(())
}

/// One stored mention, as grouping needs it.
struct Mention {
    pk: i64,
    id: String,
    day: Option<i64>,
    article: i64,
    source: String,
    confidence: f64,
    root: Option<String>,
}

/// Recomputes the events of one key: mentions in order (date, article date, article id,
/// sentence, id), each joining the current group while within `window` days of its root.
///
/// Only the tail changes: every touched dated mention is dated `from` or later, so the last
/// group whose root is dated before `from` starts a group as before, and the scan resumes
/// there. Articles arriving in date order thus regroup only the last few days of a key.
fn regroup_events(
    tx: &Transaction,
    key: &str,
    from: i64,
    undated: bool,
    window: i64,
) -> Result<()> {
    let resume: Option<(i64, i64)> = tx
        .prepare_cached(
            "SELECT root_pk, day FROM event_groups WHERE ekey = ?1 AND day < ?2
             ORDER BY day DESC LIMIT 1",
        )?
        .query_map(params![key, from], |r| Ok((r.get(0)?, r.get(1)?)))?
        .next()
        .transpose()?;
    // Dated mentions from the resumed root's day on (a range of the (ekey, day) index);
    // undated ones are events of their own, unaffected by dated ones, so they are read
    // only when one of them was touched.
    let mut mentions = if from == i64::MAX {
        Vec::new()
    } else {
        mentions_of(tx, key, "e.day >= ?2", resume.map_or(i64::MIN, |r| r.1))?
    };
    if undated {
        mentions.extend(mentions_of(tx, key, "e.day IS NULL AND ?2 = ?2", 0)?);
    }
    // Mentions on the resumed root's day that sort before it belong to earlier groups.
    if let (Some((root_pk, _)), false) = (resume, from == i64::MAX) {
        let skip = mentions.iter().position(|m| m.pk == root_pk).unwrap_or(0);
        mentions.drain(..skip);
    }
    for m in &mentions {
        drop_group(tx, m.pk)?;
    }
    let mut start = 0;
    while start < mentions.len() {
        let root = &mentions[start];
        let end = match root.day {
            // An undated mention cannot be placed in time: it is an event of its own.
            None => start + 1,
            Some(d) => {
                start
                    + mentions[start..]
                        .iter()
                        .take_while(|m| m.day.is_some_and(|x| x - d <= window))
                        .count()
            }
        };
        write_group(tx, key, &mentions[start..end])?;
        start = end;
    }
    Ok(())
}

/// Removes the event rooted at mention `pk`, if there is one.
pub(crate) fn drop_group(tx: &Transaction, pk: i64) -> Result<()> {
    let is_root = tx
        .prepare_cached("SELECT 1 FROM event_groups WHERE root_pk = ?1")?
        .exists([pk])?;
    if !is_root {
        return Ok(());
    }
    crate::rollup::apply(tx, pk, -1)?;
    tx.prepare_cached("DELETE FROM event_groups WHERE root_pk = ?1")?
        .execute([pk])?;
    tx.prepare_cached("DELETE FROM event_sides WHERE root_pk = ?1")?
        .execute([pk])?;
    Ok(())
}

/// The mentions of `key` passing `cond` (on `?2` = `arg`), in grouping order.
fn mentions_of(tx: &Transaction, key: &str, cond: &str, arg: i64) -> Result<Vec<Mention>> {
    let sql = format!(
        "SELECT e.pk, e.id, e.day, e.article, coalesce(a.source, 'article:' || a.id),
                e.confidence, e.root
         FROM events e JOIN articles a ON a.pk = e.article
         WHERE e.ekey = ?1 AND {cond}
         ORDER BY e.day, a.date, a.id, e.sentence, e.id"
    );
    let mut stmt = tx.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![key, arg], |r| {
        Ok(Mention {
            pk: r.get(0)?,
            id: r.get(1)?,
            day: r.get(2)?,
            article: r.get(3)?,
            source: r.get(4)?,
            confidence: r.get(5)?,
            root: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Confidence of an event reported by several independent sources: each source's best
/// mention counts as an independent witness, `1 - Π(1 - c)`.
fn combined_confidence(group: &[Mention]) -> f64 {
    let mut best: HashMap<&str, f64> = HashMap::new();
    for m in group {
        let c = best.entry(m.source.as_str()).or_insert(0.0);
        *c = c.max(m.confidence);
    }
    let miss: f64 = best.values().map(|c| 1.0 - c.clamp(0.0, 0.99)).product();
    ((1.0 - miss) * 1000.0).round() / 1000.0
}

fn write_group(tx: &Transaction, key: &str, group: &[Mention]) -> Result<()> {
    let root = &group[0];
    let mut set_root = tx.prepare_cached("UPDATE events SET root = ?1 WHERE pk = ?2")?;
    for m in group.iter().filter(|m| m.root.as_ref() != Some(&root.id)) {
        set_root.execute(params![root.id, m.pk])?;
    }
    let articles: BTreeSet<i64> = group.iter().map(|m| m.article).collect();
    let sources: BTreeMap<&str, ()> = group.iter().map(|m| (m.source.as_str(), ())).collect();
    let last = group.iter().filter_map(|m| m.day).max();
    tx.prepare_cached(
        "INSERT INTO event_groups (root, root_pk, ekey, day, date, date_last, type, mode, quad,
                                   scale, actor, recipient, country, mentions, articles,
                                   sources, confidence)
         SELECT id, pk, ekey, day, date,
                (SELECT date FROM events WHERE ekey = ?2 AND day = ?3 LIMIT 1),
                type, mode, quad, scale, actor, recipient, country, ?4, ?5, ?6, ?7
         FROM events WHERE pk = ?1",
    )?
    .execute(params![
        root.pk,
        key,
        last,
        group.len() as i64,
        articles.len() as i64,
        sources.len() as i64,
        combined_confidence(group),
    ])?;
    // Undated events are indexed under the date '' (before every date).
    tx.prepare_cached(
        "INSERT OR IGNORE INTO event_sides (code, role, date, root_pk)
         SELECT p.code, p.role, coalesce(e.date, ''), e.pk
         FROM participants p JOIN events e ON e.pk = p.event WHERE e.pk = ?1",
    )?
    .execute([root.pk])?;
    crate::rollup::apply(tx, root.pk, 1)?;
    Ok(())
}
