//! Metrics: Prometheus text at `/metrics` and/or CloudWatch Embedded Metric
//! Format (EMF) lines on stdout, which Lambda turns into metrics without an
//! agent or an API call.
//!
//! Each [`Meter`] owns its own Prometheus recorder and records through
//! `metrics::with_local_recorder`, never the process-wide one: every router
//! a test builds counts only its own requests, and nothing is installed
//! globally. All recording happens at synchronous points (a request done, a
//! render done), which is what a local recorder allows.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use metrics::{counter, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder};

use crate::cache::Stages;
use crate::config::MetricsMode;
use crate::outcome::Outcome;

/// Latency buckets in seconds: 1 ms to 10 s (AVIF encodes of large images).
const BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// What one finished request contributes.
pub(crate) struct Record<'a> {
    pub status: u16,
    pub bytes_out: u64,
    pub total: Duration,
    /// How an image request was answered.
    pub cache: Option<Outcome>,
    pub key: Option<&'a str>,
    /// Stage timings and original size, when this request rendered.
    pub render: Option<(Stages, u64)>,
}

/// Where this state's metrics go.
pub(crate) struct Meter {
    prometheus: Option<(PrometheusRecorder, PrometheusHandle)>,
    emf: bool,
}

impl Meter {
    pub fn new(mode: MetricsMode) -> Self {
        let prometheus = mode.prometheus.then(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), BUCKETS)
                .unwrap_or_else(|_| PrometheusBuilder::new());
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            (recorder, handle)
        });
        Self { prometheus, emf: mode.emf }
    }

    fn with(&self, record: impl FnOnce()) {
        if let Some((recorder, _)) = &self.prometheus {
            metrics::with_local_recorder(recorder, record);
        }
    }

    /// The Prometheus exposition text, if Prometheus is on.
    pub fn render(&self) -> Option<String> {
        self.prometheus.as_ref().map(|(_, handle)| {
            handle.run_upkeep();
            handle.render()
        })
    }

    /// Count one request; on EMF, print its line.
    pub fn request(&self, r: &Record<'_>) {
        self.with(|| {
            counter!("edgepix_requests_total", "status" => r.status.to_string()).increment(1);
            counter!("edgepix_response_bytes_total").increment(r.bytes_out);
            histogram!("edgepix_request_duration_seconds").record(r.total.as_secs_f64());
            if let Some(cache) = r.cache {
                counter!("edgepix_cache_total", "result" => cache.word().to_ascii_lowercase()).increment(1);
            }
            if let Some((stages, bytes_in)) = &r.render {
                counter!("edgepix_source_bytes_total").increment(*bytes_in);
                for (stage, took) in stages.named() {
                    histogram!("edgepix_stage_seconds", "stage" => stage).record(took.as_secs_f64());
                }
            }
        });
        if self.emf {
            println!("{}", emf(r));
        }
    }

    /// Count a request or render as in flight until the guard drops.
    pub fn in_flight(&self, what: &'static str) -> InFlight<'_> {
        self.with(|| gauge!("edgepix_in_flight", "work" => what).increment(1.0));
        InFlight { meter: self, what }
    }
}

/// Decrements `edgepix_in_flight` when dropped (also on cancellation).
pub(crate) struct InFlight<'a> {
    meter: &'a Meter,
    what: &'static str,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        let what = self.what;
        self.meter.with(|| gauge!("edgepix_in_flight", "work" => what).decrement(1.0));
    }
}

/// One EMF object: metric values at the top level, described under `_aws`.
/// Dimensions: none (totals) and `Status`; `Cache` and `Key` are plain
/// properties, searchable in Logs Insights without multiplying metrics.
fn emf(r: &Record<'_>) -> serde_json::Value {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let millis = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
    let mut names = vec![("Requests", "Count"), ("BytesOut", "Bytes"), ("TotalMs", "Milliseconds")];
    let mut line = serde_json::json!({
        "Status": r.status.to_string(),
        "Requests": 1,
        "BytesOut": r.bytes_out,
        "TotalMs": ms(r.total),
    });
    if let Some(cache) = r.cache {
        line["Cache"] = cache.word().into();
        if let Some(name) = cache.emf_count() {
            line[name] = 1.into();
            names.push((name, "Count"));
        }
    }
    if let Some(key) = r.key {
        line["Key"] = key.into();
    }
    if let Some((stages, bytes_in)) = &r.render {
        line["BytesIn"] = (*bytes_in).into();
        names.push(("BytesIn", "Bytes"));
        for (stage, took) in stages.named() {
            let name = match stage {
                "fetch" => "FetchMs",
                "decode" => "DecodeMs",
                "resize" => "ResizeMs",
                _ => "EncodeMs",
            };
            line[name] = ms(took).into();
            names.push((name, "Milliseconds"));
        }
    }
    let metrics: Vec<_> = names.iter().map(|(n, u)| serde_json::json!({"Name": n, "Unit": u})).collect();
    line["_aws"] = serde_json::json!({
        "Timestamp": millis,
        "CloudWatchMetrics": [{ "Namespace": "edgepix", "Dimensions": [[], ["Status"]], "Metrics": metrics }],
    });
    line
}
