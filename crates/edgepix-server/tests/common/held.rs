//! The real folder source with a hold on reads: a delay, and optionally a
//! gate that keeps the reads of one key until a number of them have
//! started, so that requests overlap by construction rather than by luck.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use edgepix_storage::{FsSource, Listed, Meta, Object, ObjectKey, Source, StorageError};

pub struct HeldFs {
    inner: FsSource,
    delay: Duration,
    /// Reads of keys ending in `.0` wait for `.1` of them.
    gate: Option<(String, tokio::sync::Barrier)>,
    /// How many reads started.
    pub reads: AtomicU64,
}

impl HeldFs {
    /// Every read of `dir` waits `delay` first.
    pub fn delayed(dir: &std::path::Path, delay: Duration) -> Self {
        Self { inner: FsSource::new(dir).unwrap(), delay, gate: None, reads: AtomicU64::new(0) }
    }

    /// Reads of `key` wait until `n` of them have started.
    pub fn gated(dir: &std::path::Path, key: &str, n: usize) -> Self {
        let gate = Some((key.to_owned(), tokio::sync::Barrier::new(n)));
        Self { gate, ..Self::delayed(dir, Duration::ZERO) }
    }
}

#[async_trait]
impl Source for HeldFs {
    async fn get(&self, key: &ObjectKey, max: u64) -> Result<Object, StorageError> {
        self.reads.fetch_add(1, Ordering::SeqCst);
        if let Some((gated, barrier)) = &self.gate
            && key.as_str().ends_with(gated.as_str())
        {
            barrier.wait().await;
        }
        tokio::time::sleep(self.delay).await;
        self.inner.get(key, max).await
    }

    async fn head(&self, key: &ObjectKey) -> Result<Meta, StorageError> {
        self.inner.head(key).await
    }

    async fn list(&self, limit: usize) -> Result<Vec<Listed>, StorageError> {
        self.inner.list(limit).await
    }

    fn describe(&self) -> String {
        "held".into()
    }
}
