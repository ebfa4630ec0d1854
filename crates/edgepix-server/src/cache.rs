//! The in-memory variant cache: moka, weighed by encoded bytes and bounded by
//! a byte budget. `try_get_with` coalesces concurrent misses for one key, so
//! a burst of identical requests decodes once; failures are not cached.

use std::sync::Arc;
use std::time::SystemTime;

use bytes::Bytes;
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
