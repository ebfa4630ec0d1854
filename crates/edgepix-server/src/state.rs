//! Shared state, built once at start-up and injected into every handler.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use edgepix_core::{EncoderSettings, Limits};
use edgepix_storage::{FsSource, Source};

use crate::cache::{self, VariantCache};
use crate::meter::Meter;
use crate::workers::Workers;
use crate::{Config, SourceConfig};

/// Everything a request needs. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub source: Arc<dyn Source>,
    pub cache: VariantCache,
    pub limits: Limits,
    pub encoder: EncoderSettings,
    pub policy: crate::config::CachePolicy,
    pub auto_avif: crate::negotiate::AutoAvif,
    /// The threads that decode, resize and encode, `concurrency` of them.
    pub workers: Workers,
    /// How many times the pipeline ran (for tests).
    pub renders: AtomicU64,
    /// Prometheus and/or EMF.
    pub meter: Meter,
    /// Serve the playground page at `/`.
    pub playground: bool,
    /// Signed URLs, allowed sizes, deadline (`config/protection.rs`).
    pub protection: crate::config::Protection,
    /// The memory budget of work in flight.
    pub admission: crate::admission::Admission,
}

impl AppState {
    /// Build the state with a source made from the configuration (for S3,
    /// the one client every request will share).
    pub async fn from_config(config: &Config) -> std::io::Result<Self> {
        let source: Arc<dyn Source> = match &config.source {
            SourceConfig::Folder(path) => Arc::new(FsSource::new(path)?),
            SourceConfig::S3(options) => Arc::new(edgepix_storage::S3Source::new(options.clone()).await),
        };
        Ok(Self::new(source, config))
    }

    /// Build the state around a given source.
    pub fn new(source: Arc<dyn Source>, config: &Config) -> Self {
        let inner = Inner {
            source,
            cache: cache::new(config.cache_bytes),
            limits: config.limits,
            encoder: config.encoder,
            policy: config.cache_policy.clone(),
            auto_avif: config.auto_avif,
            workers: Workers::new(config.concurrency),
            renders: AtomicU64::new(0),
            meter: Meter::new(config.metrics),
            playground: config.playground,
            admission: crate::admission::Admission::new(
                config.protection.memory_budget,
                config.protection.admission_wait,
            ),
            protection: config.protection.clone(),
        };
        Self { inner: Arc::new(inner) }
    }

    /// How many times the image pipeline has run since start.
    pub fn renders(&self) -> u64 {
        self.inner.renders.load(Ordering::Relaxed)
    }

    /// A description of the source, for the start-up log line.
    pub fn describe_source(&self) -> String {
        self.inner.source.describe()
    }
}
