//! Rollups, pages and places: every count read from a rollup equals the count over the
//! events, pages walked by cursor give the rows of one query, a version-1 store migrates to
//! what version 2 writes.

use crate::tests::{article, entity, event, events};
use crate::*;
use dyad_output::{LocationRecord, PloverRecord};

const CODES: &[&str] = &["RUS", "UKR", "USA", "CHN", "FRA"];
const KINDS: &[(&str, u8, f32)] = &[
    ("ASSAULT", 4, -9.0),
    ("CONSULT", 1, 1.0),
    ("AID", 2, 7.4),
    ("ACCUSE", 3, -2.0),
];

/// A place in `country` chosen by `method`.
fn located(mut ev: PloverRecord, country: &str, geonameid: u32) -> PloverRecord {
    ev.event_loc = Some(LocationRecord {
        extracted_place: format!("Town {geonameid}"),
        country_code: Some(country.into()),
        start: 0,
        end: 4,
        geonameid: Some(geonameid),
        placename: Some(format!("Town {geonameid}")),
        latitude: Some(50.45),
        longitude: Some(30.52),
        admin1: Some("UA.12".into()),
        feature: Some("P.PPLC".into()),
        method: Some("locative".into()),
    });
    ev
}

/// A mixed store: several codes on a side, two types on one event, undated events, event
/// countries, and articles replaced by versions with other events. `salt` varies it.
fn mixed(salt: u64) -> Vec<Ingested> {
    let mut x = salt.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut next = |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    (0..120)
        .map(|i| {
            let id = format!("m{i:03}");
            let date = format!("2025-0{}-{:02}", 1 + next(3), 1 + next(28));
            let evs = (0..1 + next(3))
                .map(|s| {
                    let (kind, quad, scale) = KINDS[next(KINDS.len())];
                    let mut ev = event(&id, s, kind, CODES[next(5)], CODES[next(5)], &date);
                    ev.quad_code = quad;
                    ev.event_scale = scale;
                    match next(6) {
                        0 => ev.actor.push(entity(CODES[next(5)])),
                        1 => ev.event.push("COERCE".into()),
                        2 => ev.date = None,
                        3 => ev = located(ev, ["UKR", "RUS", "SYR"][next(3)], 700 + s as u32),
                        _ => {}
                    }
                    ev
                })
                .collect();
            article(
                &id,
                &date,
                &format!("src{}", next(4)),
                &format!("Text {i}."),
                evs,
            )
        })
        .collect()
}

fn mixed_store() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    let all = mixed(7);
    s.put_batch(&all[..80]).unwrap();
    // Replace 30 of them by other codings, then add the rest.
    let mut other = mixed(8);
    for a in &mut other[..30] {
        a.fingerprint.push_str("-v2");
    }
    s.put_batch(&other[..30]).unwrap();
    s.put_batch(&all[80..]).unwrap();
    s
}

fn filters() -> Vec<Filter> {
    let code = |c: &str| vec![c.to_string()];
    let mut out = vec![Filter::default()];
    for (a, r, e) in [
        (code("RUS"), vec![], vec![]),
        (vec![], code("UKR"), vec![]),
        (vec![], vec![], code("USA")),
        (code("RUS"), code("UKR"), vec![]),
        (code("RUSGOV"), vec![], vec![]),
        (code("RUS,USA"), vec![], vec![]),
    ] {
        out.push(Filter {
            actor: a
                .iter()
                .flat_map(|s| s.split(','))
                .map(String::from)
                .collect(),
            recipient: r,
            either: e,
            ..Default::default()
        });
    }
    let more: Vec<Filter> = out
        .iter()
        .flat_map(|f| {
            [
                Filter {
                    quad: vec![4, 3],
                    ..f.clone()
                },
                Filter {
                    types: vec!["COERCE".into()],
                    from: Some("2025-02-01".into()),
                    ..f.clone()
                },
                Filter {
                    to: Some("2025-02-14".into()),
                    ..f.clone()
                },
                Filter {
                    country: vec!["UKR".into(), "SYR".into()],
                    ..f.clone()
                },
            ]
        })
        .collect();
    out.extend(more);
    out
}

#[test]
fn rollups_count_what_the_events_count() {
    let mut s = mixed_store();
    s.check_rollups().unwrap();
    let mut answers = Vec::new();
    for on in [true, false] {
        s.set_rollups(on);
        let mut a = Vec::new();
        for f in filters() {
            a.push(format!("{:?}", s.count(&f).unwrap()));
            for period in [Period::Day, Period::Week, Period::Month] {
                for by in [None, Some(By::Quad), Some(By::Type)] {
                    a.push(format!("{:?}", s.count_by(&f, period, by).unwrap()));
                }
            }
            a.push(format!("{:?}", s.count_by_country(&f).unwrap()));
            a.push(format!("{:?}", s.top_actors(&f, 3).unwrap()));
        }
        answers.push(a);
    }
    assert!(answers[0].iter().any(|a| a.contains("SYR")));
    for (i, (got, want)) in answers[0].iter().zip(&answers[1]).enumerate() {
        assert_eq!(got, want, "answer {i}");
    }
}

#[test]
fn a_rollup_that_drifts_from_the_events_is_caught() {
    let s = mixed_store();
    s.connection()
        .execute_batch("UPDATE roll_pair SET mentions = mentions + 1 WHERE actor = 'RUS'")
        .unwrap();
    let err = s.check_rollups().unwrap_err().to_string();
    assert!(err.contains("roll_pair"), "{err}");
}

#[test]
fn pages_walked_by_cursor_give_the_rows_of_one_query() {
    let s = mixed_store();
    for f in filters() {
        let want: Vec<String> = events(&s, &f).into_iter().map(|r| r.event_id).collect();
        let mut got = Vec::new();
        let mut after: Option<Cursor> = None;
        loop {
            let page = s.page(&f, after.as_ref(), 4).unwrap();
            assert_eq!(page.total, want.len() as i64, "{f:?}");
            assert!(page.exact);
            got.extend(page.events.into_iter().map(|r| r.event_id));
            // Through its text form, as the API passes it.
            match page.next {
                Some(c) => after = Some(Cursor::parse(&c.encode()).unwrap()),
                None => break,
            }
        }
        assert_eq!(got, want, "{f:?}");
    }
    // Undated events come first and a cursor among them continues there.
    let first = s.page(&Filter::default(), None, 2).unwrap();
    assert!(first.events.iter().all(|r| r.date.is_none()));
}

#[test]
fn the_total_of_a_filter_without_rollup_is_counted_up_to_a_cap() {
    let s = mixed_store();
    let words = Filter {
        text: Some("Text".into()),
        ..Default::default()
    };
    let page = s.page(&words, None, 5).unwrap();
    assert!(page.exact);
    assert_eq!(page.total as usize, events(&s, &words).len());
    assert_eq!(page.events.len(), 5);
}

#[test]
fn event_places_are_columns_in_rows_and_views() {
    let mut s = Store::open_in_memory().unwrap();
    let ev = located(
        event("k1", 0, "ASSAULT", "RUS", "UKR", "2025-03-01"),
        "UKR",
        703448,
    );
    s.put_batch(&[article(
        "k1",
        "2025-03-01",
        "s",
        "Kyiv was shelled.",
        vec![ev],
    )])
    .unwrap();
    let row = &events(&s, &Filter::default())[0];
    assert_eq!(row.geonameid, Some(703448));
    assert_eq!(row.latitude, Some(50.45));
    assert_eq!(row.place_method.as_deref(), Some("locative"));
    assert_eq!(row.feature.as_deref(), Some("P.PPLC"));
    let csv = row.csv_record();
    let at = |c: &str| CSV_COLUMNS.iter().position(|x| *x == c).unwrap();
    assert_eq!(csv[at("geonameid")], "703448");
    assert_eq!(csv[at("admin1")], "UA.12");
    assert_eq!(csv.len(), CSV_COLUMNS.len());
    let (id, lon): (i64, f64) = s
        .connection()
        .query_row("SELECT geonameid, longitude FROM v_events", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((id, lon), (703448, 30.52));
    let map = s.count_by_country(&Filter::default()).unwrap();
    assert_eq!((map[0].country.as_str(), map[0].events), ("UKR", 1));
}

/// Turns a version-2 file back into what version 1 wrote: no rollups, no place columns,
/// the old date index and views.
fn downgrade(conn: &rusqlite::Connection) {
    conn.execute_batch(
        "DROP VIEW v_events; DROP VIEW v_mentions;
         DROP TABLE roll_time; DROP TABLE roll_country; DROP TABLE roll_side; DROP TABLE roll_pair;
         DROP INDEX event_groups_page; DROP INDEX event_groups_country;
         CREATE INDEX event_groups_date ON event_groups(date);
         ALTER TABLE events DROP COLUMN geonameid; ALTER TABLE events DROP COLUMN placename;
         ALTER TABLE events DROP COLUMN latitude; ALTER TABLE events DROP COLUMN longitude;
         ALTER TABLE events DROP COLUMN admin1; ALTER TABLE events DROP COLUMN feature;
         ALTER TABLE events DROP COLUMN place_method;
         CREATE VIEW v_events AS SELECT * FROM event_groups;
         CREATE VIEW v_mentions AS SELECT * FROM events;
         PRAGMA user_version = 1;",
    )
    .unwrap();
}

#[test]
fn a_version_1_store_migrates_to_what_version_2_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let want = {
        let mut s = Store::open(&path).unwrap();
        let all = mixed(3);
        s.put_batch(&all).unwrap();
        let places: i64 = s
            .connection()
            .query_row("SELECT count(geonameid) FROM events", [], |r| r.get(0))
            .unwrap();
        assert!(places > 5);
        downgrade(s.connection());
        let _ = std::mem::replace(&mut s, Store::open_in_memory().unwrap());
        let mut fresh = Store::open_in_memory().unwrap();
        fresh.put_batch(&all).unwrap();
        let rows = events(&fresh, &Filter::default());
        (fresh.digest().unwrap(), rows)
    };
    let reader = Store::open_read_only(&path);
    assert!(matches!(reader, Err(StoreError::Invalid(m)) if m.contains("older")));
    let s = Store::open(&path).unwrap();
    assert_eq!(s.digest().unwrap(), want.0);
    assert_eq!(events(&s, &Filter::default()), want.1);
    s.check_rollups().unwrap();
}
