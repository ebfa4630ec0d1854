//! The in-memory variant cache: moka, weighed by encoded bytes and bounded by
//! a byte budget. `try_get_with` coalesces concurrent misses for one key, so
//! a burst of identical requests decodes once; failures are not cached.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use edgepix_core::AutoQuality;
use moka::future::Cache;

/// An encoded image ready to send.
#[derive(Debug)]
pub(crate) struct Variant {
    pub bytes: Bytes,
    pub content_type: &'static str,
    /// Strong validator, see `conditional::etag`.
    pub etag: String,
    /// The original's modification time.
    pub last_modified: Option<SystemTime>,
    /// `Server-Timing` of the render that produced it.
    pub server_timing: String,
    /// The same timings, for logs and metrics.
    pub stages: Stages,
    /// What `q=auto` chose (its `q` is sent as `X-Quality`).
    pub auto_quality: Option<AutoQuality>,
    /// Size of the original it was made from.
    pub source_bytes: u64,
}

/// How long each stage of a render took.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Stages {
    pub fetch: Duration,
    pub decode: Duration,
    pub resize: Duration,
    pub encode: Duration,
}

impl Stages {
    /// (name, duration) in pipeline order, names as in `Server-Timing`.
    pub fn named(&self) -> [(&'static str, Duration); 4] {
        [("fetch", self.fetch), ("decode", self.decode), ("resize", self.resize), ("encode", self.encode)]
    }
}

pub(crate) type VariantCache = Cache<String, Arc<Variant>>;

/// A cache holding at most `budget` bytes of keys and encoded images.
pub(crate) fn new(budget: u64) -> VariantCache {
    Cache::builder()
        .max_capacity(budget)
        .weigher(|key: &String, value: &Arc<Variant>| {
            u32::try_from(key.len() + value.bytes.len()).unwrap_or(u32::MAX)
        })
        .build()
}
