//! Store tests on an in-memory database (files only where the file itself is the point).

use super::*;
use dyad_output::{Annotation, EntityRecord, Offsets, PloverRecord, SentenceRecord, TextInfo};

pub(crate) fn entity(code: &str) -> EntityRecord {
    EntityRecord {
        code: code.into(),
        sector: vec!["GOV".into()],
        entity_text: format!("{code} government"),
        identifier_text: None,
        cameo: format!("{code}GOV"),
        start: 0,
        end: 3,
    }
}

/// A mention: `actor` TYPE `recipient` on `date`, in sentence `seq` of `article`.
pub(crate) fn event(
    article: &str,
    seq: usize,
    kind: &str,
    actor: &str,
    recipient: &str,
    date: &str,
) -> PloverRecord {
    PloverRecord {
        id: format!("{article}-{seq}-0"),
        article_id: article.into(),
        date: Some(date.into()),
        date_info: None,
        actor: vec![entity(actor)],
        recipient: vec![entity(recipient)],
        event: vec![kind.into()],
        mode: vec![],
        context: vec![],
        cameo: "040".into(),
        quad_code: if kind == "ASSAULT" { 4 } else { 1 },
        event_scale: if kind == "ASSAULT" { -9.0 } else { 1.0 },
        event_text: vec!["met".into()],
        trigger: Offsets { start: 4, end: 7 },
        text: format!("sentence {seq}"),
        text_info: TextInfo {
            sequence: seq,
            start: 0,
            end: 10,
        },
        event_loc: None,
        attribution: None,
        claimed: false,
        coder: dyad_output::CODER,
        rule: "test".into(),
        confidence: 0.6,
    }
}

pub(crate) fn article(
    id: &str,
    date: &str,
    source: &str,
    text: &str,
    events: Vec<PloverRecord>,
) -> Ingested {
    let sentences = text
        .split(". ")
        .map(|s| SentenceRecord {
            start: 0,
            end: s.chars().count(),
            text: s.to_string(),
        })
        .collect();
    Ingested {
        annotation: Annotation {
            id: id.into(),
            date: Some(date.into()),
            title: None,
            url: Some(format!("https://{source}/{id}")),
            source: Some(source.into()),
            text: text.into(),
            sentences,
            entities: vec![],
            quotes: vec![],
            places: vec![],
            events,
        },
        fingerprint: format!("{id}:{text}"),
        coder: "test".into(),
        dictionaries: "builtin".into(),
    }
}

pub(crate) fn count(store: &Store, table: &str) -> i64 {
    store
        .connection()
        .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

pub(crate) fn events(store: &Store, filter: &Filter) -> Vec<EventRow> {
    let mut rows = Vec::new();
    store.query(filter, false, &mut rows).unwrap();
    rows
}

const STORY: &str =
    "Officials from Peru and Chile met in Lima on Tuesday to discuss trade, fishing \
    rights and the border. The talks ended without an agreement but both sides promised to meet \
    again next month, a spokesman for the foreign ministry said after the meeting.";

#[test]
fn unchanged_articles_are_skipped_and_changed_ones_replaced() {
    let mut s = Store::open_in_memory().unwrap();
    let a = article(
        "a",
        "2025-03-01",
        "x",
        STORY,
        vec![event("a", 0, "CONSULT", "PER", "CHL", "2025-03-01")],
    );
    assert_eq!(s.put_batch(&[a]).unwrap().inserted, 1);
    let again = article(
        "a",
        "2025-03-01",
        "x",
        STORY,
        vec![event("a", 0, "CONSULT", "PER", "CHL", "2025-03-01")],
    );
    assert!(s.is_current("a", &again.fingerprint).unwrap());
    assert_eq!(s.put_batch(&[again]).unwrap(), PutStats::default());
    let changed = article(
        "a",
        "2025-03-01",
        "x",
        "Peru accused Chile.",
        vec![
            event("a", 0, "ACCUSE", "PER", "CHL", "2025-03-01"),
            event("a", 1, "ACCUSE", "PER", "BOL", "2025-03-01"),
        ],
    );
    assert_eq!(s.put_batch(&[changed]).unwrap().replaced, 1);
    assert_eq!(count(&s, "articles"), 1);
    assert_eq!(count(&s, "events"), 2);
    assert_eq!(count(&s, "event_groups"), 2);
    assert_eq!(count(&s, "participants"), 4);
    let n: i64 = s
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM sentences_fts WHERE sentences_fts MATCH 'lima'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 0, "the replaced article's sentences left the text index");
}

#[test]
fn mentions_within_a_day_of_the_root_are_one_event_with_counts() {
    let mut s = Store::open_in_memory().unwrap();
    let batch = vec![
        article(
            "a1",
            "2025-03-01",
            "wire",
            "One.",
            vec![event("a1", 0, "ASSAULT", "RUS", "UKR", "2025-03-01")],
        ),
        article(
            "a2",
            "2025-03-02",
            "paper",
            "Two.",
            vec![event("a2", 0, "ASSAULT", "RUS", "UKR", "2025-03-02")],
        ),
        article(
            "a3",
            "2025-03-02",
            "paper",
            "Three.",
            vec![event("a3", 0, "ASSAULT", "RUS", "UKR", "2025-03-02")],
        ),
        // Two days after the root: a new event.
        article(
            "a4",
            "2025-03-03",
            "tv",
            "Four.",
            vec![event("a4", 0, "ASSAULT", "RUS", "UKR", "2025-03-03")],
        ),
        // Other direction: another key.
        article(
            "a5",
            "2025-03-01",
            "tv",
            "Five.",
            vec![event("a5", 0, "ASSAULT", "UKR", "RUS", "2025-03-01")],
        ),
    ];
    s.put_batch(&batch).unwrap();
    let rows = events(
        &s,
        &Filter {
            actor: vec!["RUS".into()],
            ..Default::default()
        },
    );
    assert_eq!(rows.len(), 2);
    let first = &rows[0];
    assert_eq!(first.event_id, "a1-0-0");
    assert_eq!((first.mentions, first.articles, first.sources), (3, 3, 2));
    assert_eq!(first.date_last.as_deref(), Some("2025-03-02"));
    // Two independent sources at 0.6 each: 1 - 0.4².
    assert!(
        (first.event_confidence - 0.84).abs() < 1e-9,
        "{}",
        first.event_confidence
    );
    assert_eq!((rows[1].event_id.as_str(), rows[1].mentions), ("a4-0-0", 1));
    let mut mentions = Vec::new();
    s.query(
        &Filter {
            actor: vec!["RUS".into()],
            ..Default::default()
        },
        true,
        &mut mentions,
    )
    .unwrap();
    assert_eq!(mentions.len(), 4, "every mention is kept");
}

#[test]
fn grouping_does_not_depend_on_input_order_or_batching() {
    let make = || {
        (0..6)
            .map(|i| {
                let id = format!("m{i}");
                let date = format!("2025-01-{:02}", 1 + i);
                let text = format!("Story number {i} about something else entirely {i}.");
                let ev = event(&id, 0, "ACCUSE", "IRN", "ISR", &date);
                article(&id, &date, "s", &text, vec![ev])
            })
            .collect::<Vec<_>>()
    };
    let mut one = Store::open_in_memory().unwrap();
    one.put_batch(&make()).unwrap();
    let mut other = Store::open_in_memory().unwrap();
    let mut rev = make();
    rev.reverse();
    for a in rev {
        other.put_batch(&[a]).unwrap();
    }
    assert_eq!(one.digest().unwrap(), other.digest().unwrap());
    // Roots at days 1, 3, 5: each takes the next day.
    assert_eq!(count(&one, "event_groups"), 3);
}

#[test]
fn near_copies_form_one_story_headed_by_the_earliest() {
    let mut s = Store::open_in_memory().unwrap();
    let edited = STORY
        .replace("Tuesday", "Wednesday")
        .replace("a spokesman", "the spokesman");
    let other = "Heavy rain flooded the capital and thousands of residents left their homes as \
                 the river rose above its banks for the second time this month, officials said.";
    s.put_batch(&[
        article("late", "2025-03-02", "b", &edited, vec![]),
        article("other", "2025-03-01", "c", other, vec![]),
    ])
    .unwrap();
    s.put_batch(&[article("early", "2025-03-01", "a", STORY, vec![])])
        .unwrap();
    let story = |id: &str| -> String {
        s.connection()
            .query_row("SELECT story FROM articles WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap()
    };
    assert_eq!(story("late"), "early");
    assert_eq!(story("early"), "early");
    assert_eq!(story("other"), "other");
}

#[test]
fn blocs_count_members_on_the_event_date_only() {
    let mut s = Store::open_in_memory().unwrap();
    s.put_batch(&[
        article(
            "x1",
            "2019-06-01",
            "s",
            "A.",
            vec![event("x1", 0, "CONSULT", "GBR", "FRA", "2019-06-01")],
        ),
        article(
            "x2",
            "2021-06-01",
            "s",
            "B.",
            vec![event("x2", 0, "CONSULT", "GBR", "FRA", "2021-06-01")],
        ),
    ])
    .unwrap();
    let eu = Bloc {
        name: "EU".into(),
        members: vec![
            (
                "GBR".into(),
                Some("1973-01-01".into()),
                Some("2020-02-01".into()),
            ),
            ("FRA".into(), Some("1958-01-01".into()), None),
        ],
    };
    let actor_in_eu = Filter {
        actor_bloc: Some(eu.clone()),
        ..Default::default()
    };
    let ids: Vec<String> = events(&s, &actor_in_eu)
        .into_iter()
        .map(|r| r.event_id)
        .collect();
    assert_eq!(ids, ["x1-0-0"]);
    let either = Filter {
        either_bloc: Some(eu),
        ..Default::default()
    };
    assert_eq!(events(&s, &either).len(), 2);
}

#[test]
fn filters_and_weekly_counts() {
    let mut s = Store::open_in_memory().unwrap();
    s.put_batch(&[
        article(
            "w1",
            "2025-03-03",
            "s",
            "Troops shelled the town.",
            vec![event("w1", 0, "ASSAULT", "RUS", "UKR", "2025-03-03")],
        ),
        article(
            "w2",
            "2025-03-09",
            "t",
            "Ministers met.",
            vec![event("w2", 0, "CONSULT", "RUS", "UKR", "2025-03-09")],
        ),
        article(
            "w3",
            "2025-03-10",
            "t",
            "More shelling.",
            vec![event("w3", 0, "ASSAULT", "RUS", "UKR", "2025-03-10")],
        ),
    ])
    .unwrap();
    let conflict = Filter {
        quad: vec![4],
        recipient: vec!["UKR".into()],
        ..Default::default()
    };
    let weeks = s.count_by(&conflict, Period::Week, None).unwrap();
    let got: Vec<(&str, i64)> = weeks
        .iter()
        .map(|w| (w.period.as_str(), w.events))
        .collect();
    assert_eq!(got, [("2025-03-03", 1), ("2025-03-10", 1)]);
    let by_type = s
        .count_by(&Filter::default(), Period::Month, Some(By::Type))
        .unwrap();
    assert_eq!(by_type.len(), 2);
    assert_eq!(by_type[0].scale_sum, -18.0);
    let text = Filter {
        text: Some("shelled".into()),
        ..Default::default()
    };
    assert_eq!(events(&s, &text).len(), 1);
    let range = Filter {
        from: Some("2025-03-04".into()),
        to: Some("2025-03-09".into()),
        ..Default::default()
    };
    assert_eq!(events(&s, &range)[0].event_type, "CONSULT");
    let cameo = Filter {
        actor: vec!["RUSGOV".into()],
        types: vec!["CONSULT".into()],
        ..Default::default()
    };
    assert_eq!(events(&s, &cameo).len(), 1);
    assert_eq!(
        events(
            &s,
            &Filter {
                min_sources: Some(2),
                ..Default::default()
            }
        )
        .len(),
        0
    );
    // Sides over a date range read the side index.
    let dyad_range = Filter {
        actor: vec!["RUS".into()],
        recipient: vec!["UKR".into()],
        from: Some("2025-03-04".into()),
        to: Some("2025-03-10".into()),
        ..Default::default()
    };
    let ids: Vec<String> = events(&s, &dyad_range)
        .into_iter()
        .map(|r| r.event_id)
        .collect();
    assert_eq!(ids, ["w2-0-0", "w3-0-0"]);
}

#[test]
fn foreign_corrupt_and_newer_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let foreign = dir.path().join("other.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t(x)")
        .unwrap();
    assert!(matches!(Store::open(&foreign), Err(StoreError::NotDyad(_))));
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, vec![b'x'; 4096]).unwrap();
    let err = Store::open(&junk).err().expect("junk is refused");
    assert!(matches!(err, StoreError::Corrupt(..)), "{err}");
    let newer = dir.path().join("newer.db");
    drop(Store::open(&newer).unwrap());
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute_batch("PRAGMA user_version = 99")
        .unwrap();
    let err = Store::open(&newer).err().expect("newer is refused");
    assert!(
        err.to_string().contains("newer dyad (schema version 99"),
        "{err}"
    );
    // A store reopens cleanly.
    let ok = dir.path().join("ok.db");
    drop(Store::open(&ok).unwrap());
    assert!(Store::open(&ok).is_ok());
}

#[cfg(feature = "parquet")]
#[test]
fn parquet_round_trip_keeps_every_row() {
    let mut s = Store::open_in_memory().unwrap();
    s.put_batch(&[
        article(
            "p1",
            "2025-03-01",
            "s",
            "A. B.",
            vec![
                event("p1", 0, "ASSAULT", "RUS", "UKR", "2025-03-01"),
                event("p1", 1, "AID", "USA", "UKR", "2025-03-01"),
            ],
        ),
        article(
            "p2",
            "2025-03-01",
            "t",
            "C.",
            vec![event("p2", 0, "ASSAULT", "RUS", "UKR", "2025-03-01")],
        ),
    ])
    .unwrap();
    let mut rows = Vec::new();
    s.export(&mut rows).unwrap();
    assert_eq!(rows.len(), 3);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.parquet");
    let mut sink = ParquetSink::create(&path).unwrap();
    for r in rows.clone() {
        sink.push(r).unwrap();
    }
    sink.finish().unwrap();
    let back = read_parquet_rows(&path).unwrap();
    let want: Vec<Vec<String>> = rows.iter().map(EventRow::csv_record).collect();
    assert_eq!(back, want);
}

#[test]
fn any_order_and_batching_and_replacement_give_the_same_events() {
    // 60 mentions over 12 days and two keys, in a scrambled order.
    let make = |salt: u64| -> Vec<Ingested> {
        let mut v: Vec<Ingested> = (0..60u64)
            .map(|i| {
                let id = format!("r{i:02}");
                let date = format!("2025-02-{:02}", 1 + (i * 7) % 12);
                let actor = if i % 3 == 0 { "USA" } else { "CHN" };
                let text = format!("Unique text {i} {}", i * 31);
                let mut ev = event(&id, 0, "CONSULT", actor, "JPN", &date);
                if i % 10 == 0 {
                    ev.date = None; // undated mentions are events of their own
                }
                article(&id, &date, &format!("src{}", i % 4), &text, vec![ev])
            })
            .collect();
        let n = v.len() as u64;
        for i in 0..v.len() {
            let j = ((i as u64 * 17 + salt * 13) % n) as usize;
            v.swap(i, j);
        }
        v
    };
    let mut whole = Store::open_in_memory().unwrap();
    whole.put_batch(&make(0)).unwrap();
    let want = whole.digest().unwrap();
    let undated: i64 = whole
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM event_groups WHERE date IS NULL AND mentions = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(undated, 6);
    let usa = Filter {
        actor: vec!["USA".into()],
        ..Default::default()
    };
    let undated_usa = events(&whole, &usa)
        .iter()
        .filter(|r| r.date.is_none())
        .count();
    assert_eq!(undated_usa, 2, "undated events are found by actor too");
    for (salt, size) in [(1, 1), (2, 7), (3, 60)] {
        let mut s = Store::open_in_memory().unwrap();
        // A first version of some articles, replaced later by the real one.
        let stale: Vec<Ingested> = make(salt)
            .into_iter()
            .take(10)
            .map(|mut a| {
                a.fingerprint.push_str("-old");
                a.annotation.events[0].date = Some("2025-02-20".into());
                a
            })
            .collect();
        s.put_batch(&stale).unwrap();
        for chunk in make(salt).chunks(size) {
            s.put_batch(chunk).unwrap();
        }
        assert_eq!(s.digest().unwrap(), want, "salt {salt}, batches of {size}");
    }
}

fn browse_store() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.put_batch(&[
        article(
            "b1",
            "2025-03-03",
            "s",
            "Troops shelled the town. Ministers met.",
            vec![
                event("b1", 0, "ASSAULT", "RUS", "UKR", "2025-03-03"),
                event("b1", 1, "CONSULT", "RUS", "UKR", "2025-03-03"),
            ],
        ),
        article(
            "b2",
            "2025-04-01",
            "t",
            "Ministers met again.",
            vec![event("b2", 0, "CONSULT", "FRA", "DEU", "2025-04-01")],
        ),
    ])
    .unwrap();
    s
}

#[test]
fn counts_pages_dyads_and_actors_follow_the_filter() {
    let s = browse_store();
    assert_eq!(s.count(&Filter::default()).unwrap(), 3);
    let russia = Filter {
        actor: vec!["RUS".into()],
        ..Default::default()
    };
    assert_eq!(s.count(&russia).unwrap(), 2);
    // Paging: the second page of one row is the second event in date order.
    let page = Filter {
        limit: Some(1),
        offset: Some(1),
        ..Default::default()
    };
    let ids: Vec<String> = events(&s, &page).into_iter().map(|r| r.event_id).collect();
    assert_eq!(ids, ["b1-1-0"]);
    let dyads = s.top_dyads(&Filter::default(), 10).unwrap();
    assert_eq!(
        (dyads[0].actor.as_str(), dyads[0].recipient.as_str()),
        ("RUS", "UKR")
    );
    assert_eq!((dyads[0].events, dyads[0].conflict), (2, 1));
    assert_eq!(s.top_dyads(&Filter::default(), 1).unwrap().len(), 1);
    let actors = s.top_actors(&russia, 10).unwrap();
    let got: Vec<(&str, i64, i64)> = actors
        .iter()
        .map(|a| (a.code.as_str(), a.as_actor, a.as_recipient))
        .collect();
    assert_eq!(got, [("RUS", 2, 0), ("UKR", 0, 2)]);
    assert!(s.count_by_country(&Filter::default()).unwrap().is_empty());
}

#[test]
fn an_article_comes_back_with_its_sentences_and_event_records() {
    let s = browse_store();
    let a = s.article("b1").unwrap().unwrap();
    assert_eq!(a.text, "Troops shelled the town. Ministers met.");
    assert_eq!(a.sentences.len(), 2);
    assert_eq!(a.events.len(), 2);
    assert_eq!(a.events[0]["event"][0], "ASSAULT");
    assert_eq!(a.events[1]["event_id"], "b1-1-0");
    assert!(s.article("nope").unwrap().is_none());
}

#[test]
fn a_read_only_store_reads_and_refuses_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.db");
    let mut w = Store::open(&path).unwrap();
    w.put_batch(&[article("r1", "2025-01-01", "s", "Ministers met.", vec![])])
        .unwrap();
    let r = Store::open_read_only(&path).unwrap();
    assert!(r.article("r1").unwrap().is_some());
    assert!(r
        .connection()
        .execute_batch("DELETE FROM articles")
        .is_err());
    let missing = Store::open_read_only(&dir.path().join("none.db"));
    assert!(matches!(missing, Err(StoreError::Invalid(m)) if m.contains("no such store")));
    let empty = dir.path().join("empty.db");
    rusqlite::Connection::open(&empty)
        .unwrap()
        .execute_batch("PRAGMA user_version = 0")
        .unwrap();
    std::fs::write(&empty, b"").unwrap();
    assert!(Store::open_read_only(&empty).is_err());
}
