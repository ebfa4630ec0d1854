//! Shared state, built once at start-up and injected into every handler:
//! the validated [`Config`] as it is, and the parts made from it (the
//! source, the cache, the image workers, metrics, the memory budget).

use std::sync::Arc;

use edgepix_core::Limits;
use edgepix_storage::{FsSource, Source};

use crate::admission::Admission;
use crate::cache::{self, VariantCache};
use crate::meter::Meter;
use crate::workers::Workers;
use crate::{Config, SourceConfig};

/// Everything a request needs. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    source: Arc<dyn Source>,
    cache: VariantCache,
    /// The threads that decode, resize and encode, `concurrency` of them.
    workers: Workers,
    /// Prometheus and/or EMF.
    meter: Meter,
    /// The memory budget of work in flight.
    admission: Admission,
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
        let protection = &config.protection;
        let inner = Inner {
            source,
            cache: cache::new(config.cache_bytes),
            workers: Workers::new(config.concurrency),
            meter: Meter::new(config.metrics),
            admission: Admission::new(protection.memory_budget, protection.admission_wait),
            config: config.clone(),
        };
        Self { inner: Arc::new(inner) }
    }

    /// A description of the source, for the start-up log line.
    pub fn describe_source(&self) -> String {
        self.inner.source.describe()
    }

    /// The configuration this state was built from.
    pub(crate) fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The configured limits (a shorthand: every request checks them).
    pub(crate) fn limits(&self) -> &Limits {
        &self.inner.config.limits
    }

    pub(crate) fn source(&self) -> &dyn Source {
        &*self.inner.source
    }

    pub(crate) fn cache(&self) -> &VariantCache {
        &self.inner.cache
    }

    pub(crate) fn workers(&self) -> &Workers {
        &self.inner.workers
    }

    pub(crate) fn meter(&self) -> &Meter {
        &self.inner.meter
    }

    pub(crate) fn admission(&self) -> &Admission {
        &self.inner.admission
    }
}
