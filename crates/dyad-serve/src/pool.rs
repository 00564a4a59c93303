//! Read-only store connections shared by the request handlers, and a cache of answers
//! that lives as long as the store does not change.

use crate::error::ApiError;
use dyad_store::Store;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// A fixed set of read-only connections. SQLite work is blocking, so it runs on tokio's
/// blocking threads, at most one query per connection at a time.
pub struct Stores {
    free: Arc<Mutex<Vec<Store>>>,
    permits: Arc<Semaphore>,
    /// A connection that only asks whether another process committed (`data_version`).
    watch: Mutex<Store>,
}

/// Takes a lock even when a panicking holder poisoned it: the data behind it (a list of
/// connections, a cache) stays consistent at every step.
pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Stores {
    pub fn open(path: &Path, connections: usize) -> dyad_store::Result<Stores> {
        let mut free = Vec::new();
        for _ in 0..connections.max(1) {
            free.push(Store::open_read_only(path)?);
        }
        Ok(Stores {
            permits: Arc::new(Semaphore::new(free.len())),
            free: Arc::new(Mutex::new(free)),
            watch: Mutex::new(Store::open_read_only(path)?),
        })
    }

    /// Runs `f` on a free connection, on a blocking thread. The blocking task itself puts
    /// the connection back and releases its permit, so a request dropped mid-query (a
    /// client that gave up) loses nothing. A panic in `f` becomes an internal error.
    pub async fn with<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
    {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|_| ApiError::Unavailable)?;
        let free = Arc::clone(&self.free);
        let store = lock(&free)
            .pop()
            .ok_or_else(|| ApiError::Internal("no free store connection".into()))?;
        let joined = tokio::task::spawn_blocking(move || {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&store)));
            lock(&free).push(store);
            drop(permit);
            r
        })
        .await;
        let result = joined.map_err(|e| ApiError::Internal(format!("query task: {e}")))?;
        result.unwrap_or_else(|p| {
            Err(ApiError::Internal(format!(
                "query panicked: {}",
                panic_text(&p)
            )))
        })
    }

    /// A number that changes whenever another connection (a live `dyad ingest`) commits.
    pub fn generation(&self) -> Result<i64, ApiError> {
        lock(&self.watch)
            .data_version()
            .map_err(|e| ApiError::Internal(e.to_string()))
    }
}

pub fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

/// Answers (JSON bytes) by request URI, for one store generation. Bounded: past
/// `CACHE_BYTES` it starts again empty, which keeps memory flat under any request mix.
pub struct Cache {
    inner: Mutex<CacheInner>,
    enabled: bool,
    /// One lock per answer being computed: concurrent requests for the same URL wait for
    /// the first instead of all asking SQLite (50 clients opening the dashboard at once).
    inflight: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

#[derive(Default)]
struct CacheInner {
    generation: i64,
    bytes: usize,
    answers: HashMap<String, axum::body::Bytes>,
}

const CACHE_BYTES: usize = 64 << 20;
const ENTRY_BYTES: usize = 4 << 20;

impl Cache {
    pub fn new(enabled: bool) -> Cache {
        Cache {
            inner: Mutex::new(CacheInner::default()),
            enabled,
            inflight: Mutex::new(HashMap::new()),
        }
    }

    pub fn get(&self, key: &str, generation: i64) -> Option<axum::body::Bytes> {
        if !self.enabled {
            return None;
        }
        let c = lock(&self.inner);
        (c.generation == generation)
            .then(|| c.answers.get(key).cloned())
            .flatten()
    }

    /// The lock of `key`'s computation; `done` removes it once the answer is stored.
    pub fn flight(&self, key: &str) -> Option<Arc<tokio::sync::Mutex<()>>> {
        self.enabled
            .then(|| Arc::clone(lock(&self.inflight).entry(key.to_string()).or_default()))
    }

    pub fn done(&self, key: &str) {
        lock(&self.inflight).remove(key);
    }

    pub fn put(&self, key: &str, generation: i64, answer: axum::body::Bytes) {
        if !self.enabled || answer.len() > ENTRY_BYTES || key.len() > 4096 {
            return;
        }
        let mut c = lock(&self.inner);
        if c.generation != generation || c.bytes + answer.len() > CACHE_BYTES {
            *c = CacheInner {
                generation,
                ..Default::default()
            };
        }
        c.bytes += answer.len() + key.len();
        c.answers.insert(key.to_string(), answer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_request_dropped_mid_query_gives_its_connection_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.db");
        drop(Store::open(&path).unwrap());
        let stores = Stores::open(&path, 1).unwrap();
        let slow = stores.with(|_| {
            std::thread::sleep(Duration::from_millis(300));
            Ok(())
        });
        // The client gives up: the request's future is dropped while the query runs.
        assert!(tokio::time::timeout(Duration::from_millis(50), slow)
            .await
            .is_err());
        let n = stores.with(|s| Ok(s.article_count()?)).await.unwrap();
        assert_eq!(n, 0);
    }
}
