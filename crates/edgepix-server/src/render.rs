//! A cache miss: fetch the original, then probe and process it on the
//! blocking pool behind the worker semaphore, so CPU-heavy codecs never stall
//! the async threads and at most `concurrency` images are in flight.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use bytes::Bytes;
use edgepix_core::{CoreError, Params, Timings, probe, process, verify};
use edgepix_storage::{Meta, ObjectKey};

use crate::AppError;
use crate::cache::{Stages, Variant};
use crate::conditional::etag;
use crate::state::{AppState, Inner};

/// Produce the variant of `key` that `params` (already negotiated) asks for.
pub(crate) async fn render(
    state: AppState,
    key: ObjectKey,
    params: Params,
    cache_key: String,
) -> Result<Arc<Variant>, AppError> {
    let inner = &state.inner;
    let _in_flight = inner.meter.in_flight("render");
    let start = Instant::now();
    let object = inner.source.get(&key, inner.limits.max_source_bytes).await?;
    let fetch = start.elapsed();
    let meta =
        Meta { etag: object.etag, last_modified: object.last_modified, size: object.bytes.len() as u64 };
    let permit = Arc::clone(&inner.workers)
        .acquire_owned()
        .await
        .map_err(|_| AppError::Internal("worker pool closed".into()))?;
    let source_bytes = meta.size;
    let state = state.clone();
    let (bytes, content_type, timings) = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        run(object.bytes, &params, &state.inner)
    })
    .await
    .map_err(|e| AppError::Internal(format!("image worker failed: {e}")))??;
    let stages = Stages { fetch, decode: timings.decode, resize: timings.resize, encode: timings.encode };
    Ok(Arc::new(Variant {
        bytes,
        content_type,
        etag: etag(&meta, &cache_key),
        last_modified: meta.last_modified,
        server_timing: server_timing(&stages),
        stages,
        source_bytes,
    }))
}

fn run(bytes: Bytes, params: &Params, inner: &Inner) -> Result<(Bytes, &'static str, Timings), CoreError> {
    let probe = probe(&bytes, &inner.limits)?;
    if params.is_passthrough() {
        // Even an original served as-is must be a whole image within the limits.
        let start = Instant::now();
        verify(&bytes, &probe, &inner.limits)?;
        let timings = Timings { decode: start.elapsed(), ..Timings::default() };
        return Ok((bytes, probe.format.mime(), timings));
    }
    inner.renders.fetch_add(1, Ordering::Relaxed);
    let output = process(&bytes, &probe, params, &inner.limits, &inner.encoder)?;
    Ok((output.bytes.into(), output.format.mime(), output.timings))
}

fn server_timing(stages: &Stages) -> String {
    let parts: Vec<String> = stages
        .named()
        .iter()
        .map(|(name, d)| format!("{name};dur={:.1}", d.as_secs_f64() * 1000.0))
        .collect();
    parts.join(", ")
}
