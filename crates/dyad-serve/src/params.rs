//! Typed extractors whose rejections are [`ApiError`]s (JSON), and the query parameters
//! of the read endpoints, checked and turned into a store [`Filter`].

use crate::error::ApiError;
use crate::Services;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use dyad_store::{By, Cursor, Filter, Period};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// Longest page of events one request returns.
pub const MAX_LIMIT: usize = 500;
/// Deepest row a page may start at: SQLite walks every skipped row, so deeper pages are
/// slow; a narrower filter is the way there.
pub const MAX_OFFSET: usize = 10_000;
/// Most dyads or actors one request returns.
pub const MAX_TOP: usize = 500;
/// Most alternatives in one list parameter, and longest value of any parameter.
const MAX_LIST: usize = 64;
const MAX_VALUE: usize = 1_000;

/// `Query<T>` answering a bad query string with a JSON 400.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|r: QueryRejection| ApiError::BadRequest(r.body_text()))
    }
}

/// `Json<T>` answering a bad body with a JSON 400, 413 or 415.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        axum::Json::<T>::from_request(req, state)
            .await
            .map(|j| ApiJson(j.0))
            .map_err(|r: JsonRejection| match r.status() {
                StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge(crate::BODY_LIMIT),
                StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType(r.body_text()),
                _ => ApiError::BadRequest(r.body_text()),
            })
    }
}

/// The query parameters of the read endpoints. Lists are comma-separated alternatives;
/// an unknown parameter is an error rather than silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub actor: Option<String>,
    pub recipient: Option<String>,
    pub either: Option<String>,
    pub member_of: Option<String>,
    pub actor_member_of: Option<String>,
    pub recipient_member_of: Option<String>,
    #[serde(rename = "type")]
    pub types: Option<String>,
    pub mode: Option<String>,
    pub context: Option<String>,
    pub quad: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub country: Option<String>,
    pub min_sources: Option<String>,
    pub text: Option<String>,
    /// `/api/events`: paging, by the `next` cursor of the previous page (`after`) or by
    /// row number (`offset`).
    pub after: Option<String>,
    pub offset: Option<String>,
    pub limit: Option<String>,
    /// `/api/series`: `day`, `week` or `month`, and `quad`, `type`, `dyad`, `actor` or
    /// `recipient`.
    pub period: Option<String>,
    pub by: Option<String>,
    /// `/api/dyads`, `/api/actors`: how many.
    pub n: Option<String>,
}

fn list(name: &str, value: &Option<String>) -> Result<Vec<String>, ApiError> {
    let Some(v) = value else { return Ok(vec![]) };
    let items: Vec<String> = v
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if let Some(bad) = items.iter().find(|s| s.chars().any(char::is_control)) {
        return Err(ApiError::BadRequest(format!(
            "{name}: {bad:?} holds control characters"
        )));
    }
    if items.len() > MAX_LIST {
        return Err(ApiError::BadRequest(format!(
            "{name}: at most {MAX_LIST} alternatives"
        )));
    }
    Ok(items)
}

/// Actor and country codes: letters only (PLOVER `RUS`, CAMEO `RUSGOV`).
fn codes(name: &str, value: &Option<String>) -> Result<Vec<String>, ApiError> {
    let items = list(name, value)?;
    for c in &items {
        if c.len() > 30 || !c.chars().all(|ch| ch.is_ascii_alphanumeric()) {
            return Err(ApiError::BadRequest(format!(
                "{name}: {c:?} is not an actor or country code (letters, like RUS or RUSGOV)"
            )));
        }
    }
    Ok(items.into_iter().map(|c| c.to_uppercase()).collect())
}

fn date(name: &str, value: &Option<String>) -> Result<Option<String>, ApiError> {
    let Some(d) = value.as_deref().filter(|d| !d.is_empty()) else {
        return Ok(None);
    };
    if dyad_core::normalise_date(d).ok().as_deref() != Some(d) {
        return Err(ApiError::BadRequest(format!(
            "{name}: {d:?} is not a date YYYY-MM-DD"
        )));
    }
    Ok(Some(d.to_string()))
}

/// A whole number in `lo..=hi`, or `default` when absent.
pub fn number(
    name: &str,
    value: &Option<String>,
    default: usize,
    lo: usize,
    hi: usize,
) -> Result<usize, ApiError> {
    let Some(v) = value.as_deref().filter(|v| !v.is_empty()) else {
        return Ok(default);
    };
    match v.parse::<usize>() {
        Ok(n) if (lo..=hi).contains(&n) => Ok(n),
        _ => Err(ApiError::BadRequest(format!(
            "{name}: {v:?} is not a whole number from {lo} to {hi}"
        ))),
    }
}

impl Params {
    /// The store filter these parameters describe; blocs are looked up by `services`.
    pub fn filter(&self, services: &Services) -> Result<Filter, ApiError> {
        if let Some(long) = [&self.text, &self.types, &self.actor, &self.mode]
            .into_iter()
            .flatten()
            .find(|v| v.len() > MAX_VALUE)
        {
            return Err(ApiError::BadRequest(format!(
                "a parameter of {} bytes: at most {MAX_VALUE}",
                long.len()
            )));
        }
        let quad = list("quad", &self.quad)?
            .iter()
            .map(|q| match q.parse::<u8>() {
                Ok(n @ 1..=4) => Ok(n),
                _ => Err(ApiError::BadRequest(format!(
                    "quad: {q:?} is not a quad class 1-4"
                ))),
            })
            .collect::<Result<_, _>>()?;
        let bloc = |name: &str, v: &Option<String>| match v.as_deref().filter(|b| !b.is_empty()) {
            Some(b) if b.len() <= 100 => (services.bloc)(b)
                .map(Some)
                .map_err(|e| ApiError::BadRequest(format!("{name}: {e}"))),
            Some(_) => Err(ApiError::BadRequest(format!("{name}: too long"))),
            None => Ok(None),
        };
        let min_sources = match &self.min_sources {
            Some(_) => Some(number("min_sources", &self.min_sources, 1, 1, 1_000_000)? as i64),
            None => None,
        };
        Ok(Filter {
            actor: codes("actor", &self.actor)?,
            recipient: codes("recipient", &self.recipient)?,
            either: codes("either", &self.either)?,
            actor_bloc: bloc("actor_member_of", &self.actor_member_of)?,
            recipient_bloc: bloc("recipient_member_of", &self.recipient_member_of)?,
            either_bloc: bloc("member_of", &self.member_of)?,
            types: list("type", &self.types)?
                .into_iter()
                .map(|t| t.to_uppercase())
                .collect(),
            modes: list("mode", &self.mode)?,
            contexts: list("context", &self.context)?,
            quad,
            from: date("from", &self.from)?,
            to: date("to", &self.to)?,
            country: codes("country", &self.country)?,
            min_sources,
            text: self.text.clone().filter(|t| !t.trim().is_empty()),
            limit: None,
            offset: None,
        })
    }

    /// The page cursor: `DATE|EVENT_ID` as the previous page's `next` gave it.
    pub fn after(&self) -> Result<Option<Cursor>, ApiError> {
        let Some(a) = self.after.as_deref().filter(|a| !a.is_empty()) else {
            return Ok(None);
        };
        let date_ok = |d: &Option<String>| {
            d.as_deref()
                .is_none_or(|d| dyad_core::normalise_date(d).ok().as_deref() == Some(d))
        };
        match Cursor::parse(a) {
            Some(c)
                if a.len() <= MAX_VALUE && date_ok(&c.date) && !a.chars().any(char::is_control) =>
            {
                Ok(Some(c))
            }
            _ => Err(ApiError::BadRequest(format!(
                "after: {:?} is not a page cursor (the next field of a page)",
                a.chars().take(80).collect::<String>()
            ))),
        }
    }

    pub fn period(&self) -> Result<Period, ApiError> {
        match self.period.as_deref().unwrap_or("week") {
            "day" => Ok(Period::Day),
            "week" => Ok(Period::Week),
            "month" => Ok(Period::Month),
            p => Err(ApiError::BadRequest(format!(
                "period: {p:?} is not day, week or month"
            ))),
        }
    }

    /// The series key; `none` for one total series. Defaults to quad classes, which the
    /// dashboard's timeline stacks.
    pub fn by(&self) -> Result<Option<By>, ApiError> {
        match self.by.as_deref().unwrap_or("quad") {
            "none" => Ok(None),
            "quad" => Ok(Some(By::Quad)),
            "type" => Ok(Some(By::Type)),
            "dyad" => Ok(Some(By::Dyad)),
            "actor" => Ok(Some(By::Actor)),
            "recipient" => Ok(Some(By::Recipient)),
            b => Err(ApiError::BadRequest(format!(
                "by: {b:?} is not quad, type, dyad, actor, recipient or none"
            ))),
        }
    }
}
