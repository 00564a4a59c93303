//! The dashboard: files under `assets/`, compiled into the binary (also in debug builds),
//! served with their content type and a policy that keeps the page offline.

use crate::error::ApiError;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

#[derive(rust_embed::RustEmbed)]
#[folder = "assets/"]
struct Assets;

/// Everything the page loads comes from this server: no CDN, no tiles, no fonts from
/// elsewhere (a request out would fail offline, and the browser test would see it).
const POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
                      script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        _ => "text/plain; charset=utf-8",
    }
}

/// The embedded file at `path`, or an error naming why not. A path trying to leave the
/// folder is refused before the lookup (the embedded set holds no such file anyway).
pub fn file(path: &str) -> Result<Response, ApiError> {
    if path
        .split(['/', '\\'])
        .any(|part| part == ".." || part == ".")
        || path.starts_with('/')
        || path.contains('\0')
    {
        return Err(ApiError::BadRequest(format!(
            "asset path {path:?}: no . or .. parts allowed"
        )));
    }
    let Some(found) = Assets::get(path) else {
        return Err(ApiError::NotFound(format!("no asset {path:?}")));
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type(path)),
            (header::CONTENT_SECURITY_POLICY, POLICY),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        found.data,
    )
        .into_response())
}

pub async fn index() -> Result<Response, ApiError> {
    file("index.html")
}

pub async fn asset(
    path: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<Response, ApiError> {
    let Path(path) = path.map_err(|r| ApiError::BadRequest(r.body_text()))?;
    file(&path)
}

/// Names of every embedded file (tests check that the page's references exist).
pub fn names() -> Vec<String> {
    Assets::iter().map(|n| n.to_string()).collect()
}
