//! The HTTP surface in-process (tower's `oneshot`, no socket): every endpoint over a small
//! real store, and malformed requests of every kind answered with a 4xx JSON error.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use dyad_core::{Article, Doc, Stage};
use dyad_output::{Annotation, EntityRecord, Offsets, PloverRecord, SentenceRecord, TextInfo};
use dyad_serve::{router, App, Config, Services};
use dyad_store::{Bloc, Ingested, Store};
use serde_json::Value;
use std::path::Path;
use tower::ServiceExt;

fn entity(code: &str, start: usize) -> EntityRecord {
    EntityRecord {
        code: code.into(),
        sector: vec![],
        entity_text: code.into(),
        identifier_text: None,
        cameo: code.into(),
        start,
        end: start + 3,
    }
}

/// "AAA hit BBB." as one article with one event of `kind` (quad 4 for ASSAULT).
fn article(id: &str, date: &str, kind: &str, actor: &str, recipient: &str) -> Ingested {
    let text = format!("{actor} hit {recipient}.");
    let event = PloverRecord {
        id: format!("{id}-0-0"),
        article_id: id.into(),
        date: Some(date.into()),
        date_info: None,
        actor: vec![entity(actor, 0)],
        recipient: vec![entity(recipient, 8)],
        event: vec![kind.into()],
        mode: vec![],
        context: vec![],
        cameo: "190".into(),
        quad_code: if kind == "ASSAULT" { 4 } else { 1 },
        event_scale: -9.0,
        event_text: vec!["hit".into()],
        trigger: Offsets { start: 4, end: 7 },
        text: text.clone(),
        text_info: TextInfo {
            sequence: 0,
            start: 0,
            end: text.len(),
        },
        event_loc: None,
        attribution: None,
        claimed: false,
        coder: dyad_output::CODER,
        rule: "verbs.tsv:1 \"hit\"".into(),
        confidence: 0.8,
    };
    Ingested {
        fingerprint: id.into(),
        annotation: Annotation {
            id: id.into(),
            date: Some(date.into()),
            title: Some(format!("Story {id}")),
            url: None,
            source: Some("wire".into()),
            sentences: vec![SentenceRecord {
                start: 0,
                end: text.len(),
                text: text.clone(),
            }],
            text,
            entities: vec![],
            quotes: vec![],
            places: vec![],
            events: vec![event],
        },
        coder: "test".into(),
        dictionaries: "builtin".into(),
    }
}

fn make_store(path: &Path) {
    let mut s = Store::open(path).unwrap();
    s.put_batch(&[
        article("a1", "2025-01-06", "ASSAULT", "RUS", "UKR"),
        article("a2", "2025-01-20", "ASSAULT", "RUS", "UKR"),
        article("a3", "2025-02-03", "CONSULT", "FRA", "DEU"),
    ])
    .unwrap();
}

/// A stand-in for the pipeline: sentences only, and a panic on "boom" (a stage bug).
fn services() -> Services {
    Services {
        code: Box::new(|article: Article| {
            assert!(!article.text.contains("boom"), "a stage bug");
            let mut doc = Doc::new(article);
            dyad_text::TextStage.process(&mut doc);
            Ok(doc)
        }),
        bloc: Box::new(|name: &str| match name {
            "EU" => Ok(Bloc {
                name: "EU".into(),
                members: vec![("FRA".into(), None, None), ("DEU".into(), None, None)],
            }),
            _ => Err(format!("no bloc {name:?}")),
        }),
        blocs: vec!["EU".into()],
    }
}

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    app: axum::Router,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.db");
    make_store(&path);
    let config = Config {
        db: path.clone(),
        addr: "127.0.0.1:0".parse().unwrap(),
        connections: 2,
        cache: true,
    };
    let app = router(App::new(&config, services()).unwrap());
    Fixture {
        _dir: dir,
        path,
        app,
    }
}

async fn send(app: &axum::Router, req: Request<Body>) -> (StatusCode, Value) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 16 << 20)
        .await
        .unwrap();
    let value = serde_json::from_slice(&bytes).unwrap_or_else(|_| {
        Value::String(String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into())
    });
    (status, value)
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, Value) {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

fn post(uri: &str, content_type: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(uri)
        .header("content-type", content_type)
        .body(body.into())
        .unwrap()
}

#[tokio::test]
async fn every_endpoint_answers_with_the_stores_data() {
    let f = fixture();
    let (s, health) = get(&f.app, "/api/health").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (health["articles"].as_i64(), health["events"].as_i64()),
        (Some(3), Some(3))
    );
    let (_, events) = get(&f.app, "/api/events?actor=rus&limit=1&offset=1").await;
    assert_eq!(events["total"], 2);
    assert_eq!(events["events"][0]["event_id"], "a2-0-0");
    assert_eq!(events["events"].as_array().unwrap().len(), 1);
    // The same page by the cursor of the first: the next field, passed back as after.
    let (_, first) = get(&f.app, "/api/events?actor=rus&limit=1").await;
    assert_eq!(
        (first["total"].as_i64(), first["total_exact"].as_bool()),
        (Some(2), Some(true))
    );
    let next = first["next"].as_str().unwrap().replace('|', "%7C");
    let (_, second) = get(
        &f.app,
        &format!("/api/events?actor=rus&limit=1&after={next}"),
    )
    .await;
    assert_eq!(second["events"], events["events"]);
    assert_eq!(second["next"], Value::Null, "the last page has no next");
    let (_, series) = get(&f.app, "/api/series?period=month&by=quad").await;
    let points: Vec<(&str, &str, i64)> = series["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["period"].as_str().unwrap(),
                r["key"].as_str().unwrap(),
                r["events"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(points, [("2025-01", "4", 2), ("2025-02", "1", 1)]);
    let (_, dyads) = get(&f.app, "/api/dyads?n=1").await;
    assert_eq!(dyads["dyads"][0]["actor"], "RUS");
    assert_eq!(dyads["dyads"][0]["events"], 2);
    let (_, actors) = get(&f.app, "/api/actors?member_of=EU").await;
    assert_eq!(actors["actors"].as_array().unwrap().len(), 2);
    let (_, countries) = get(&f.app, "/api/countries").await;
    assert_eq!(countries["countries"].as_array().unwrap().len(), 0);
    let (s, article) = get(&f.app, "/api/articles/a3").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(article["text"], "FRA hit DEU.");
    assert_eq!(article["events"][0]["trigger"]["start"], 4);
}

#[tokio::test]
async fn code_and_explain_run_the_coder_and_survive_its_panic() {
    let f = fixture();
    let body = r#"{"text": "Peru met Chile. Then Chile left.", "date": "20250101"}"#;
    let (s, coded) = send(&f.app, post("/api/code", "application/json", body)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        coded["annotation"]["sentences"].as_array().unwrap().len(),
        2
    );
    assert_eq!(coded["annotation"]["date"], "2025-01-01");
    let (s, explained) = send(&f.app, post("/api/explain", "application/json", body)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(explained["sentences"][1]["text"], "Then Chile left.");
    let boom = r#"{"text": "It went boom."}"#;
    let (s, err) = send(&f.app, post("/api/code", "application/json", boom)).await;
    assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(err["error"].as_str().unwrap().contains("a stage bug"));
    // The next request is served as usual.
    let (s, _) = send(&f.app, post("/api/code", "application/json", body)).await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn answers_follow_a_live_ingest() {
    let f = fixture();
    assert_eq!(get(&f.app, "/api/events").await.1["total"], 3);
    assert_eq!(get(&f.app, "/api/events").await.1["total"], 3);
    let mut writer = Store::open(&f.path).unwrap();
    writer
        .put_batch(&[article("a4", "2025-03-03", "CONSULT", "FRA", "ITA")])
        .unwrap();
    assert_eq!(get(&f.app, "/api/events").await.1["total"], 4);
}

#[tokio::test]
async fn a_request_for_another_host_is_refused() {
    let f = fixture();
    let req = |host: &str| {
        Request::get("/api/health")
            .header("host", host)
            .body(Body::empty())
            .unwrap()
    };
    for ok in [
        "127.0.0.1:8080",
        "localhost:8080",
        "[::1]:8080",
        "localhost",
    ] {
        assert_eq!(send(&f.app, req(ok)).await.0, StatusCode::OK, "{ok}");
    }
    let (s, err) = send(&f.app, req("evil.example:8080")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(err["error"].as_str().unwrap().contains("localhost"));
}

#[tokio::test]
async fn the_dashboard_and_its_files_are_compiled_in() {
    let f = fixture();
    let res = f
        .app
        .clone()
        .oneshot(Request::get("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'self'"));
    let html = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .unwrap();
    let html = String::from_utf8(html.to_vec()).unwrap();
    let names = dyad_serve::assets::names();
    // Every file the page references is embedded; nothing is loaded from elsewhere.
    for part in html.split("/assets/").skip(1) {
        let file = &part[..part.find('"').unwrap()];
        assert!(names.iter().any(|n| n == file), "{file} not embedded");
    }
    assert!(!html.contains("http://") && !html.contains("https://"));
    for file in ["vendor/countries-110m.json", "vendor/LICENSE.world-atlas"] {
        assert!(names.iter().any(|n| n == file), "{file} not embedded");
    }
}

/// Malformed requests of every kind the acceptance names, `n` of them, from a seeded
/// generator: each answer must be a 4xx with a JSON `error`.
pub fn malformed(k: usize) -> Request<Body> {
    let huge = "x".repeat(dyad_serve::BODY_LIMIT + 1 + k % 1000);
    let junk: String = (0..(k % 50))
        .map(|i| char::from(b'!' + ((k * 7 + i * 13) % 90) as u8))
        .collect();
    // Filter values every read endpoint checks, then each endpoint's own.
    let bad_filter = [
        "quad=9",
        "quad=x",
        "from=2025-13-45",
        "to=yesterday",
        "min_sources=abc",
        "actor=R%FFS",
        "actor=%27%3B+DROP+TABLE+events",
        "country=..%2F..",
        "nope=1",
        "text=%22open",
        "text=NEAR(",
        "member_of=Atlantis",
        "type=%00",
        "from=2025-01-01&from=2025-01-02",
    ];
    let own = [
        "/api/events?limit=0",
        "/api/events?limit=100000",
        "/api/events?offset=-1",
        "/api/events?offset=99999999999999999999",
        "/api/events?after=2025-13-01%7Ca1-0-0",
        "/api/events?after=nocursor",
        "/api/events?after=2025-01-01%7Ca&offset=5",
        "/api/series?period=year",
        "/api/series?by=colour",
        "/api/dyads?n=0",
        "/api/actors?n=x",
    ];
    match k % 10 {
        0 => post(
            "/api/code",
            "application/json",
            format!("{{\"text\": {junk}"),
        ),
        1 => post("/api/code", "application/json", huge),
        2 if k % 20 == 2 => Request::get(own[(k / 20) % own.len()])
            .body(Body::empty())
            .unwrap(),
        2 => {
            let q = bad_filter[(k / 20) % bad_filter.len()];
            let path = [
                "/api/events",
                "/api/series",
                "/api/dyads",
                "/api/actors",
                "/api/countries",
            ][(k / 20) % 5];
            Request::get(format!("{path}?{q}"))
                .body(Body::empty())
                .unwrap()
        }
        3 => {
            let t = [
                "../Cargo.toml",
                "..%2F..%2Fetc%2Fpasswd",
                "vendor/../../x",
                "%2e%2e/lib.rs",
                "./app.js",
                "nope.js",
                "..\\..\\x",
            ];
            Request::get(format!("/assets/{}", t[k % t.len()]))
                .body(Body::empty())
                .unwrap()
        }
        4 => post("/api/explain", "text/plain", junk),
        5 => post("/api/code", "application/json", r#"{"text": ""}"#),
        6 => post(
            "/api/code",
            "application/json",
            format!(r#"{{"text": "a", "date": "{junk}x"}}"#),
        ),
        7 => Request::delete("/api/events").body(Body::empty()).unwrap(),
        8 => Request::get(format!(
            "/api/articles/{}",
            if k % 20 == 8 {
                "%FF%FE"
            } else {
                "no-such-article"
            }
        ))
        .body(Body::empty())
        .unwrap(),
        _ => post(
            "/api/code",
            "application/json",
            r#"{"text": "a", "extra": 1}"#,
        ),
    }
}

#[tokio::test]
async fn malformed_requests_get_a_4xx_json_error() {
    let f = fixture();
    for k in 0..600 {
        let res = f.app.clone().oneshot(malformed(k)).await.unwrap();
        let status = res.status();
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .unwrap();
        assert!(
            status.is_client_error(),
            "request {k}: {status} {:?}",
            String::from_utf8_lossy(&bytes)
        );
        let v: Value = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            panic!(
                "request {k}: not JSON ({e}): {:?}",
                String::from_utf8_lossy(&bytes)
            )
        });
        assert!(
            v["error"].as_str().is_some_and(|m| !m.is_empty()),
            "request {k}: {v}"
        );
        assert_eq!(v["status"], status.as_u16());
    }
    // The server is still whole.
    assert_eq!(get(&f.app, "/api/events").await.1["total"], 3);
}
