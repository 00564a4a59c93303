//! Every failure of a request as one enum, answered as JSON with its status code.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A query parameter, path or body the API does not accept.
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("method not allowed here")]
    MethodNotAllowed,
    #[error("request body too large (at most {0} bytes)")]
    TooLarge(usize),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The server's own failure (a store error, a panic in the coder): not the client's.
    #[error("internal error: {0}")]
    Internal(String),
    #[error("the server is shutting down")]
    Unavailable,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

/// The JSON body of every error: `{"error": message, "status": code}`.
pub fn error_body(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({"error": message, "status": status.as_u16()});
    (status, Json(body)).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(m) = &self {
            // The client gets the message too: this is a local tool, not a public site.
            eprintln!("dyad serve: {m}");
        }
        error_body(self.status(), &self.to_string())
    }
}

/// What SQLite says of a `text` parameter it cannot parse as a full-text query.
const FTS_ERRORS: &[&str] = &[
    "fts5",
    "no such column",
    "syntax error",
    "unterminated string",
    "unknown special query",
    "MATCH",
];

/// A store error: a malformed full-text query is the client's (SQLite rejects the syntax
/// of `text`; no other parameter reaches SQL as anything but a bound value), as is an
/// invalid filter (a bloc without members); anything else is the server's.
impl From<dyad_store::StoreError> for ApiError {
    fn from(e: dyad_store::StoreError) -> ApiError {
        match &e {
            dyad_store::StoreError::Sqlite(inner) => {
                let m = inner.to_string();
                if FTS_ERRORS.iter().any(|f| m.contains(f)) {
                    return ApiError::BadRequest(format!(
                        "text: not a valid full-text query ({m})"
                    ));
                }
                ApiError::Internal(e.to_string())
            }
            dyad_store::StoreError::Invalid(m) => ApiError::BadRequest(m.clone()),
            _ => ApiError::Internal(e.to_string()),
        }
    }
}
