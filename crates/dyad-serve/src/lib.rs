//! `dyad serve`: a JSON API and a dashboard over an event store, for one person exploring
//! it in a browser on their own machine. The store is opened read-only (a live `dyad
//! ingest` may write beside it); coding a pasted text goes through the pipeline the CLI
//! hands in ([`Services`]), so the server codes exactly as `dyad code` does.
//!
//! [`router`] is the whole HTTP surface (used in-process by the tests); [`run`] binds it.

mod api;
pub mod assets;
mod error;
mod explain;
mod params;
mod pool;

pub use error::ApiError;
pub use params::{MAX_LIMIT, MAX_OFFSET, MAX_TOP};

use axum::body::Bytes;
use axum::http::{header, Uri};
use axum::response::{IntoResponse, Response};
use dyad_core::{Article, Doc};
use dyad_store::{Bloc, Store};
use pool::{Cache, Stores};
use serde::Serialize;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Largest request body (a pasted article is far smaller; JSON bodies only).
pub const BODY_LIMIT: usize = 256 * 1024;
/// Longest text `POST /api/code` and `/api/explain` take, in bytes.
pub const MAX_TEXT: usize = 100_000;

/// Codes one article: the CLI's pipeline, with a panic in a stage as an error.
pub type CodeFn = dyn Fn(Article) -> Result<Doc, String> + Send + Sync;
/// Looks a bloc (EU, NATO, ...) up with its dated memberships.
pub type BlocFn = dyn Fn(&str) -> Result<Bloc, String> + Send + Sync;

/// What the server needs from the rest of dyad; passed in by the CLI, which owns the
/// pipeline and the actor dictionaries (this crate cannot depend on the binary's crate).
pub struct Services {
    pub code: Box<CodeFn>,
    pub bloc: Box<BlocFn>,
    /// Names of the blocs with dated memberships, for the dashboard's filter.
    pub blocs: Vec<String>,
}

pub struct Config {
    pub db: PathBuf,
    pub addr: SocketAddr,
    /// Read-only SQLite connections answering queries concurrently.
    pub connections: usize,
    /// Keep answers until the store changes (off to measure the queries themselves).
    pub cache: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{0}")]
    Store(#[from] dyad_store::StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Shared by every handler.
pub struct App {
    stores: Stores,
    cache: Cache,
    services: Services,
    /// Coding is CPU-bound: at most this many texts at once, the rest wait their turn.
    coders: Arc<Semaphore>,
    /// Listening beyond loopback: requests may then name this machine by any host name.
    any_host: bool,
}

impl App {
    pub fn new(config: &Config, services: Services) -> Result<Arc<App>, ServeError> {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(Arc::new(App {
            stores: Stores::open(&config.db, config.connections)?,
            cache: Cache::new(config.cache),
            services,
            coders: Arc::new(Semaphore::new(cores)),
            any_host: !config.addr.ip().is_loopback(),
        }))
    }

    /// The JSON answer for `uri`: from the cache when the store has not changed since it
    /// was made, else computed by `f` on a pooled connection (and kept). Concurrent misses
    /// of one URL compute it once.
    async fn cached<T, F>(self: &Arc<Self>, uri: &Uri, f: F) -> Result<Response, ApiError>
    where
        T: Serialize + Send + 'static,
        F: FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
    {
        let key = uri.to_string();
        let generation = self.stores.generation()?;
        if let Some(bytes) = self.cache.get(&key, generation) {
            return Ok(json_bytes(bytes, "hit"));
        }
        let flight = self.cache.flight(&key);
        let _turn = match &flight {
            Some(f) => Some(f.lock().await),
            None => None,
        };
        let _forget = Landed(&self.cache, &key);
        if let Some(bytes) = self.cache.get(&key, generation) {
            return Ok(json_bytes(bytes, "hit"));
        }
        let app = Arc::clone(self);
        let k = key.clone();
        // The answer is stored by the blocking task, so it is kept even when the request
        // that asked for it has gone.
        let bytes = self
            .stores
            .with(move |s| {
                let v =
                    serde_json::to_vec(&f(s)?).map_err(|e| ApiError::Internal(e.to_string()))?;
                let bytes = Bytes::from(v);
                app.cache.put(&k, generation, bytes.clone());
                Ok(bytes)
            })
            .await;
        Ok(json_bytes(bytes?, "miss"))
    }

    /// Codes `article` on a blocking thread, a few at a time (the permit goes with the
    /// task, so a client that gives up does not let more run at once).
    async fn run_coder(self: &Arc<Self>, article: Article) -> Result<Doc, ApiError> {
        let permit = Arc::clone(&self.coders)
            .acquire_owned()
            .await
            .map_err(|_| ApiError::Unavailable)?;
        let app = Arc::clone(self);
        let joined = tokio::task::spawn_blocking(move || {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                (app.services.code)(article)
            }));
            drop(permit);
            r
        })
        .await
        .map_err(|e| ApiError::Internal(format!("coding task: {e}")))?;
        match joined {
            Ok(Ok(doc)) => Ok(doc),
            Ok(Err(e)) => Err(ApiError::Internal(e)),
            Err(p) => Err(ApiError::Internal(format!(
                "coder panicked: {}",
                pool::panic_text(&p)
            ))),
        }
    }
}

/// Forgets a URL's computation lock when its request ends, answered or dropped (later
/// requests find the answer in the cache, or start afresh).
struct Landed<'a>(&'a Cache, &'a str);

impl Drop for Landed<'_> {
    fn drop(&mut self) {
        self.0.done(self.1);
    }
}

fn json_bytes(bytes: Bytes, cache: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::HeaderName::from_static("x-dyad-cache"), cache),
        ],
        bytes,
    )
        .into_response()
}

/// The whole HTTP surface over `app`.
pub fn router(app: Arc<App>) -> axum::Router {
    api::router(app)
}

/// Serves `config.db` on `config.addr` until Ctrl-C or SIGTERM. Blocks.
pub fn run(config: &Config, services: Services) -> Result<(), ServeError> {
    let app = App::new(config, services)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|source| ServeError::Bind {
                addr: config.addr,
                source,
            })?;
        let local = listener.local_addr()?;
        tokio::spawn(warm(router(Arc::clone(&app))));
        eprintln!(
            "dyad: serving {} at http://{local}/ (read-only; Ctrl-C stops)",
            config.db.display()
        );
        axum::serve(listener, router(app))
            .with_graceful_shutdown(shutdown())
            .await?;
        Ok(())
    })
}

/// The requests the dashboard makes when it opens, exactly as it spells them: asked once
/// at start, so that the first visitor finds their answers made (on a large store the
/// unfiltered aggregates take SQLite seconds).
const FIRST_VIEW: &[&str] = &[
    "/api/health",
    "/api/series?period=month&by=quad",
    "/api/series?period=week&by=quad",
    "/api/countries",
    "/api/dyads?n=60",
    "/api/events?offset=0&limit=25",
];

async fn warm(router: axum::Router) {
    use tower::ServiceExt;
    for uri in FIRST_VIEW {
        if let Ok(req) = axum::http::Request::get(*uri).body(axum::body::Body::empty()) {
            let _ = router.clone().oneshot(req).await;
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
