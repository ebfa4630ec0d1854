//! A cache miss: fetch the original, probe its header, reserve the memory
//! the work will take (`admission`), then process it on the image workers
//! (`workers`), so CPU-heavy codecs never stall the async threads, at most
//! `concurrency` images are in flight and their estimated memory stays
//! within the budget.

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use edgepix_core::{
    AutoQuality, CoreError, Limits, Params, Plan, Timings, memory_estimate, probe, process, verify,
};
use edgepix_storage::{Meta, ObjectKey};

use crate::AppError;
use crate::cache::{Stages, Variant};
use crate::conditional::etag;
use crate::state::AppState;

/// Produce the variant of `key` that `params` (already negotiated) asks for.
pub(crate) async fn render(
    state: AppState,
    key: ObjectKey,
    params: Params,
    cache_key: String,
) -> Result<Arc<Variant>, AppError> {
    let _in_flight = state.meter().in_flight("render");
    let start = Instant::now();
    let object = state.source().get(&key, state.limits().max_source_bytes).await?;
    let fetch = start.elapsed();
    let meta =
        Meta { etag: object.etag, last_modified: object.last_modified, size: object.bytes.len() as u64 };
    let probed = {
        let (bytes, limits) = (object.bytes.clone(), *state.limits());
        blocking(move || probe(&bytes, &limits)).await??
    };
    let plan = Plan::new(&probed, &params, &state.config().encoder)?;
    let memory = state.admission().admit(memory_estimate(&plan, meta.size)).await?;
    let source_bytes = meta.size;
    let limits = *state.limits();
    let work = move || {
        let _memory = memory;
        run(object.bytes, &plan, &limits)
    };
    let Rendered { bytes, content_type, timings, auto_quality } = state.workers().run(work).await??;
    let stages = Stages { fetch, decode: timings.decode, resize: timings.resize, encode: timings.encode };
    Ok(Arc::new(Variant {
        bytes,
        content_type,
        etag: etag(&meta, &cache_key),
        last_modified: meta.last_modified,
        server_timing: server_timing(&stages, auto_quality),
        stages,
        auto_quality,
        source_bytes,
    }))
}

/// Run the header probe on Tokio's blocking pool; a panic in it becomes a 500.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::Internal(format!("image worker failed: {e}")))
}

/// What the image workers hand back.
struct Rendered {
    bytes: Bytes,
    content_type: &'static str,
    timings: Timings,
    /// What `q=auto` chose.
    auto_quality: Option<AutoQuality>,
}

fn run(bytes: Bytes, plan: &Plan, limits: &Limits) -> Result<Rendered, CoreError> {
    if plan.is_passthrough() {
        // Even an original served as-is must be a whole image within the limits.
        let start = Instant::now();
        verify(&bytes, plan.probe(), limits)?;
        let timings = Timings { decode: start.elapsed(), ..Timings::default() };
        return Ok(Rendered { bytes, content_type: plan.probe().format.mime(), timings, auto_quality: None });
    }
    let output = process(&bytes, plan, limits)?;
    let (content_type, auto_quality) = (output.format.mime(), output.auto_quality);
    Ok(Rendered { bytes: output.bytes.into(), content_type, timings: output.timings, auto_quality })
}

/// The stages' durations; for `q=auto` also what the search did
/// (`quality;desc="q=74, 3 encodes"`).
fn server_timing(stages: &Stages, auto: Option<AutoQuality>) -> String {
    let parts: Vec<String> = stages
        .named()
        .iter()
        .map(|(name, d)| format!("{name};dur={:.1}", d.as_secs_f64() * 1000.0))
        .chain(auto.map(|a| format!("quality;desc=\"q={}, {} encodes\"", a.quality, a.encodes)))
        .collect();
    parts.join(", ")
}
