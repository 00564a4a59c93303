//! The router: every route of `dyad serve`, and handlers of a few lines each (parse the
//! request, call the store or the coder, map the error).

use crate::error::ApiError;
use crate::params::{number, ApiJson, ApiQuery, Params, MAX_LIMIT, MAX_OFFSET, MAX_TOP};
use crate::{assets, App};
use axum::extract::rejection::PathRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::Uri;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use dyad_core::Article;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(assets::index))
        .route("/assets/{*path}", get(assets::asset))
        .route("/api/health", get(health))
        .route("/api/events", get(events))
        .route("/api/series", get(series))
        .route("/api/dyads", get(dyads))
        .route("/api/actors", get(actors))
        .route("/api/countries", get(countries))
        .route("/api/articles/{id}", get(article))
        .route("/api/code", post(code))
        .route("/api/explain", post(explain))
        .fallback(|uri: Uri| async move {
            ApiError::NotFound(format!("no such page or endpoint: {}", uri.path()))
        })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(crate::BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            local_host,
        ))
        .with_state(app)
}

/// Refuses a request naming another host than this machine: a web page elsewhere could
/// otherwise point its own domain at 127.0.0.1 (DNS rebinding) and read the API from the
/// user's browser. A request without `Host` (not from a browser) passes.
async fn local_host(
    State(app): AppState,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Result<Response, ApiError> {
    let host = req.headers().get(axum::http::header::HOST);
    if let Some(h) = host {
        let h = h.to_str().unwrap_or("");
        let name = match h.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(""),
            None => h.split(':').next().unwrap_or(""),
        };
        let local = matches!(name, "localhost" | "::1") || name.starts_with("127.");
        if !local && !app.any_host {
            return Err(ApiError::Forbidden(format!(
                "host {h:?}: this server answers only requests for localhost"
            )));
        }
    }
    Ok(next.run(req).await)
}

type AppState = State<Arc<App>>;

async fn health(State(app): AppState, uri: Uri) -> Result<Response, ApiError> {
    let blocs = app.services.blocs.clone();
    app.cached(&uri, move |s| {
        let articles = s.article_count()?;
        Ok(json!({
            "status": "ok",
            "version": env!("CARGO_PKG_VERSION"),
            "db": s.place(),
            "articles": articles,
            "events": s.count(&Default::default())?,
            "blocs": blocs,
        }))
    })
    .await
}

async fn events(
    State(app): AppState,
    uri: Uri,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let mut filter = p.filter(&app.services)?;
    let limit = number("limit", &p.limit, 50, 1, MAX_LIMIT)?;
    let offset = number("offset", &p.offset, 0, 0, MAX_OFFSET)?;
    let after = p.after()?;
    if offset > 0 && after.is_some() {
        return Err(ApiError::BadRequest(
            "offset and after: give one of them".into(),
        ));
    }
    app.cached(&uri, move |s| {
        if offset == 0 {
            let page = s.page(&filter, after.as_ref(), limit)?;
            let next = page.next.as_ref().map(dyad_store::Cursor::encode);
            return Ok(
                json!({"total": page.total, "total_exact": page.exact, "offset": 0,
                             "limit": limit, "events": page.events, "next": next}),
            );
        }
        // A jump to a row number: SQLite walks the skipped rows (at most MAX_OFFSET).
        let total = s.count(&filter)?;
        filter.limit = Some(limit);
        filter.offset = Some(offset);
        let mut rows = Vec::new();
        s.query(&filter, false, &mut rows)?;
        Ok(
            json!({"total": total, "total_exact": true, "offset": offset, "limit": limit,
                  "events": rows, "next": null}),
        )
    })
    .await
}

async fn series(
    State(app): AppState,
    uri: Uri,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let filter = p.filter(&app.services)?;
    let (period, by) = (p.period()?, p.by()?);
    let names = (
        p.period.clone().unwrap_or("week".into()),
        p.by.clone().unwrap_or("quad".into()),
    );
    app.cached(&uri, move |s| {
        let rows = s.count_by(&filter, period, by)?;
        Ok(json!({"period": names.0, "by": names.1, "series": rows}))
    })
    .await
}

async fn dyads(
    State(app): AppState,
    uri: Uri,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let filter = p.filter(&app.services)?;
    let n = number("n", &p.n, 30, 1, MAX_TOP)?;
    app.cached(&uri, move |s| {
        Ok(json!({"dyads": s.top_dyads(&filter, n)?}))
    })
    .await
}

async fn actors(
    State(app): AppState,
    uri: Uri,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let filter = p.filter(&app.services)?;
    let n = number("n", &p.n, 50, 1, MAX_TOP)?;
    app.cached(&uri, move |s| {
        Ok(json!({"actors": s.top_actors(&filter, n)?}))
    })
    .await
}

async fn countries(
    State(app): AppState,
    uri: Uri,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let filter = p.filter(&app.services)?;
    app.cached(&uri, move |s| {
        Ok(json!({"countries": s.count_by_country(&filter)?}))
    })
    .await
}

async fn article(
    State(app): AppState,
    uri: Uri,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = id.map_err(|r| ApiError::BadRequest(r.body_text()))?;
    if id.len() > 1000 {
        return Err(ApiError::BadRequest(
            "article id: longer than 1000 bytes".into(),
        ));
    }
    app.cached(&uri, move |s| {
        s.article(&id)?
            .ok_or_else(|| ApiError::NotFound(format!("no article {id:?} in the store")))
    })
    .await
}

/// The body of `POST /api/code` and `POST /api/explain`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeRequest {
    text: String,
    /// The article date (YYYY-MM-DD or YYYYMMDD), for relative dates and dated roles.
    date: Option<String>,
}

impl CodeRequest {
    fn article(&self) -> Result<Article, ApiError> {
        if self.text.trim().is_empty() {
            return Err(ApiError::BadRequest("text: empty".into()));
        }
        if self.text.len() > crate::MAX_TEXT {
            return Err(ApiError::BadRequest(format!(
                "text: {} bytes, at most {} (code longer texts with dyad code)",
                self.text.len(),
                crate::MAX_TEXT
            )));
        }
        let mut article = Article::new("pasted", self.text.clone());
        article.date = self
            .date
            .as_deref()
            .filter(|d| !d.is_empty())
            .map(|d| {
                dyad_core::normalise_date(d)
                    .map_err(|e| ApiError::BadRequest(format!("date: {d:?}: {e}")))
            })
            .transpose()?;
        Ok(article)
    }
}

/// The answer of `POST /api/code`, serialized as `dyad code` and `dyad annotate` write
/// their lines (not through `serde_json::Value`, which would widen every f32).
#[derive(serde::Serialize)]
struct Coded {
    events: Vec<dyad_output::PloverRecord>,
    annotation: dyad_output::Annotation,
}

async fn code(
    State(app): AppState,
    ApiJson(req): ApiJson<CodeRequest>,
) -> Result<Json<Coded>, ApiError> {
    let doc = app.run_coder(req.article()?).await?;
    let w = dyad_output::Writer::new(&doc);
    Ok(Json(Coded {
        events: w.events(),
        annotation: w.annotation(),
    }))
}

async fn explain(
    State(app): AppState,
    ApiJson(req): ApiJson<CodeRequest>,
) -> Result<Json<Value>, ApiError> {
    let doc = app.run_coder(req.article()?).await?;
    Ok(Json(crate::explain::explain(&doc)))
}
