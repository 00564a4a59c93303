//! `dyad store-bench`: a synthetic store of N events (articles in date order, as news
//! arrives) and the time of two typical queries on it.

use anyhow::{bail, Result};
use dyad_output::{
    Annotation, EntityRecord, LocationRecord, Offsets, PloverRecord, SentenceRecord, TextInfo,
    CODER,
};
use dyad_store::{By, Filter, Ingested, Period, Store};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

const EVENTS_PER_ARTICLE: usize = 5;
const COUNTRIES: &[&str] = &[
    "USA", "CHN", "RUS", "UKR", "ISR", "IRN", "GBR", "FRA", "DEU", "IND", "PAK", "JPN", "KOR",
    "PRK", "TUR", "SYR", "IRQ", "SAU", "EGY", "NGA", "ZAF", "BRA", "MEX", "VEN", "COL", "AFG",
    "ETH", "SDN", "SOM", "KEN", "PHL", "VNM", "IDN", "MMR", "THA", "POL", "ITA", "ESP", "CAN",
    "AUS", "IGO", "UNO", "EUR", "NGO",
];
/// PLOVER types with their quad class and a typical scale.
const TYPES: &[(&str, u8, f32)] = &[
    ("CONSULT", 1, 1.0),
    ("AGREE", 1, 3.0),
    ("SUPPORT", 1, 3.5),
    ("COOPERATE", 2, 6.0),
    ("AID", 2, 7.0),
    ("DEMAND", 3, -5.0),
    ("ACCUSE", 3, -2.0),
    ("REJECT", 3, -4.0),
    ("THREATEN", 3, -6.0),
    ("PROTEST", 4, -6.5),
    ("SANCTION", 4, -8.0),
    ("MOBILIZE", 4, -7.2),
    ("COERCE", 4, -7.0),
    ("ASSAULT", 4, -9.0),
];

/// SplitMix64: a small seeded generator, so that the store is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// A skewed index below `n`: low indices (big states, common types) come up most.
    fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u) * n as f64) as usize
    }
}

fn entity(code: &str, start: usize) -> EntityRecord {
    EntityRecord {
        code: code.into(),
        sector: vec!["GOV".into()],
        entity_text: format!("{code} officials"),
        identifier_text: None,
        cameo: format!("{code}GOV"),
        start,
        end: start + 13,
    }
}

/// Date `day` days after 2020-01-01, as YYYY-MM-DD.
fn date_of(day: u64) -> String {
    let mut y = 2020;
    let mut d = day;
    loop {
        let len = if y % 4 == 0 { 366 } else { 365 };
        if d < len {
            break;
        }
        d -= len;
        y += 1;
    }
    let months = [
        31,
        if y % 4 == 0 { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let mut m = 0;
    while d >= months[m] {
        d -= months[m];
        m += 1;
    }
    format!("{y}-{:02}-{:02}", m + 1, d + 1)
}

/// Where three events in five happen: in the actor's or the recipient's state (not an
/// organisation), at one of 50 made-up towns there, chosen as the coder chooses.
fn synthetic_place(actor: &str, recipient: &str, rng: &mut Rng) -> Option<LocationRecord> {
    let r = rng.next();
    let code = if r % 5 < 2 { actor } else { recipient };
    let (i, _) = COUNTRIES.iter().enumerate().find(|(_, c)| **c == code)?;
    if r % 5 == 4 || matches!(code, "IGO" | "UNO" | "EUR" | "NGO") {
        return None;
    }
    let town = (r >> 8) % 50;
    let name = format!("{code} town {town}");
    Some(LocationRecord {
        extracted_place: name.clone(),
        country_code: Some(code.into()),
        start: 0,
        end: name.len(),
        geonameid: Some(1_000_000 + (i as u32) * 100 + town as u32),
        placename: Some(name),
        latitude: Some(-60.0 + (i as f64) * 2.5 + town as f64 * 0.01),
        longitude: Some(-170.0 + (i as f64) * 7.5 + town as f64 * 0.01),
        admin1: Some(format!("{code}.{:02}", town % 10)),
        feature: Some("P.PPL".into()),
        method: Some(["locative", "dateline", "story"][((r >> 16) % 3) as usize].into()),
    })
}

fn synthetic_article(n: usize, day: u64, rng: &mut Rng) -> Ingested {
    let id = format!("syn{n:07}");
    let date = date_of(day);
    let mut text = String::new();
    let mut sentences = Vec::new();
    let mut events = Vec::new();
    for s in 0..EVENTS_PER_ARTICLE {
        let a = COUNTRIES[rng.skewed(COUNTRIES.len())];
        let mut r = COUNTRIES[rng.skewed(COUNTRIES.len())];
        if r == a {
            r = COUNTRIES[(rng.next() % COUNTRIES.len() as u64) as usize];
        }
        let (kind, quad, scale) = TYPES[rng.skewed(TYPES.len())];
        let start = text.chars().count();
        // Filler words from a large vocabulary, so that unrelated articles share few
        // shingles (as real news does) and story dedup sees few candidates.
        let filler: Vec<String> = (0..8)
            .map(|_| format!("w{}", rng.next() % 50_000))
            .collect();
        let sentence = format!(
            "{a} officials {} {r} officials {}. ",
            kind.to_lowercase(),
            filler.join(" ")
        );
        text.push_str(&sentence);
        sentences.push(SentenceRecord {
            start,
            end: start + sentence.len() - 1,
            text: sentence.trim().into(),
        });
        events.push(PloverRecord {
            id: format!("{id}-{s}-0"),
            article_id: id.clone(),
            date: Some(date.clone()),
            date_info: None,
            actor: vec![entity(a, start)],
            recipient: vec![entity(r, start + 20)],
            event: vec![kind.into()],
            mode: vec![],
            context: vec![],
            cameo: "010".into(),
            quad_code: quad,
            event_scale: scale,
            event_text: vec![kind.to_lowercase()],
            trigger: Offsets {
                start: start + 14,
                end: start + 19,
            },
            text: sentence.trim().into(),
            text_info: TextInfo {
                sequence: s,
                start,
                end: start + sentence.len() - 1,
            },
            event_loc: synthetic_place(a, r, rng),
            attribution: None,
            claimed: false,
            coder: CODER,
            rule: "synthetic".into(),
            confidence: 0.5,
        });
    }
    Ingested {
        fingerprint: id.clone(),
        annotation: Annotation {
            id,
            date: Some(date),
            title: None,
            url: None,
            source: Some(format!("outlet{}", rng.next() % 200)),
            text,
            sentences,
            entities: vec![],
            quotes: vec![],
            places: vec![],
            events,
        },
        coder: CODER.into(),
        dictionaries: "synthetic".into(),
    }
}

pub(crate) fn store_bench(db: &Path, events: usize, seed: u64) -> Result<ExitCode> {
    if db.exists() {
        bail!("{}: exists; store-bench creates a new store", db.display());
    }
    let mut store = Store::open(db)?;
    let mut rng = Rng(seed);
    let articles = events.div_ceil(EVENTS_PER_ARTICLE);
    // Six years of news, in date order.
    let days = 6 * 365;
    let started = Instant::now();
    let mut batch = Vec::new();
    for n in 0..articles {
        batch.push(synthetic_article(
            n,
            (n * days / articles.max(1)) as u64,
            &mut rng,
        ));
        if batch.len() == 1000 || n + 1 == articles {
            store.put_batch(&batch)?;
            batch.clear();
        }
    }
    let build = started.elapsed().as_secs_f64();
    drop(store);
    let size = std::fs::metadata(db)?.len() as f64 / 1e6;
    let store = Store::open(db)?;
    let groups: i64 =
        store
            .connection()
            .query_row("SELECT COUNT(*) FROM event_groups", [], |r| r.get(0))?;
    println!(
        "{{\"events\":{},\"articles\":{articles},\"deduplicated_events\":{groups},\"build_s\":{build:.1},\"db_mb\":{size:.0}}}",
        articles * EVENTS_PER_ARTICLE
    );
    let t = Instant::now();
    store.check_rollups()?;
    println!(
        "{{\"rollups\":\"equal to a recount of the events\",\"check_s\":{:.1}}}",
        t.elapsed().as_secs_f64()
    );
    let weekly = Filter {
        actor: vec!["RUS".into()],
        quad: vec![4],
        from: Some("2023-01-01".into()),
        to: Some("2023-12-31".into()),
        ..Default::default()
    };
    let dyad = Filter {
        actor: vec!["USA".into()],
        recipient: vec!["CHN".into()],
        from: Some("2024-01-01".into()),
        to: Some("2024-12-31".into()),
        ..Default::default()
    };
    let mut store = store;
    for rollups in [true, false] {
        store.set_rollups(rollups);
        let ms = |f: &mut dyn FnMut() -> Result<usize>| -> Result<(usize, f64)> {
            let t = Instant::now();
            let n = f()?;
            Ok((n, t.elapsed().as_secs_f64() * 1000.0))
        };
        let queries: [(&str, (usize, f64)); 4] = [
            (
                "RUS material conflict per week and recipient, 2023",
                ms(&mut || {
                    Ok(store
                        .count_by(&weekly, Period::Week, Some(By::Recipient))?
                        .len())
                })?,
            ),
            (
                "every event per week by quad class",
                ms(&mut || {
                    Ok(store
                        .count_by(&Filter::default(), Period::Week, Some(By::Quad))?
                        .len())
                })?,
            ),
            (
                "USA to CHN events, 2024",
                ms(&mut || {
                    let mut rows = Vec::new();
                    Ok(store.query(&dyad, false, &mut rows)?)
                })?,
            ),
            (
                "first page of 50 events acted by USA, with the total",
                ms(&mut || {
                    let usa = Filter {
                        actor: vec!["USA".into()],
                        ..Default::default()
                    };
                    Ok(store.page(&usa, None, 50)?.events.len())
                })?,
            ),
        ];
        for (query, (rows, ms)) in queries {
            println!(
                "{{\"query\":\"{query}\",\"rollups\":{rollups},\"rows\":{rows},\"ms\":{ms:.0}}}"
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
