//! One log line and one metrics record per request, written after the
//! response is final (size limit and headers applied). Handlers describe
//! what they did by attaching a [`RequestInfo`] to the response; errors
//! attach their stable code as [`ErrorCode`].

use std::time::Instant;

use axum::body::HttpBody as _;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;
use crate::cache::Stages;
use crate::meter::Record;
use crate::outcome::Outcome;

/// What the image handler learnt about a request.
#[derive(Debug, Clone, Default)]
pub(crate) struct RequestInfo {
    /// The object key, once valid.
    pub key: Option<String>,
    /// Canonical parameters, once valid (after `f=auto` negotiation).
    pub params: Option<String>,
    /// How it was answered.
    pub cache: Option<Outcome>,
    /// Stage timings and original size, when this request rendered.
    pub render: Option<(Stages, u64)>,
}

/// The stable error code of a failed request (see `AppError`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ErrorCode(pub &'static str);

/// The body's length: `Content-Length` where the handler set it (images),
/// else the body's exact size (JSON errors and static files, whose header
/// hyper adds only after this layer).
fn sent_bytes(response: &Response) -> u64 {
    let declared = response.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse().ok());
    declared.or_else(|| response.body().size_hint().exact()).unwrap_or(0)
}

/// `axum::middleware::from_fn_with_state` hook: the outermost layer.
pub(crate) async fn access(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    // Health checks and scrapes would drown the traffic they observe.
    let probe = path == "/healthz" || path == "/metrics";
    let in_flight = (!probe).then(|| state.meter().in_flight("request"));
    let response = next.run(request).await;
    drop(in_flight);
    let total = start.elapsed();
    let status = response.status().as_u16();
    let bytes = sent_bytes(&response);
    let info = response.extensions().get::<RequestInfo>().cloned().unwrap_or_default();
    let code = response.extensions().get::<ErrorCode>().map(|c| c.0);
    // Milliseconds to the microsecond: enough, and readable.
    let ms = |d: std::time::Duration| (d.as_secs_f64() * 1e6).round() / 1000.0;
    let stage = |i: usize| info.render.map(|(s, _)| ms(s.named()[i].1));
    macro_rules! line {
        ($level:ident) => {
            tracing::$level!(
                target: "edgepix::access",
                method = %method, path = %path, key = info.key.as_deref(), params = info.params.as_deref(),
                status, bytes, cache = info.cache.map(Outcome::word), code, total_ms = ms(total),
                fetch_ms = stage(0), decode_ms = stage(1), resize_ms = stage(2), encode_ms = stage(3),
                source_bytes = info.render.map(|(_, b)| b), "request"
            )
        };
    }
    if probe {
        line!(debug);
    } else {
        line!(info);
        let record = Record {
            status,
            bytes_out: bytes,
            total,
            cache: info.cache,
            key: info.key.as_deref(),
            render: info.render,
        };
        state.meter().request(&record);
    }
    response
}
