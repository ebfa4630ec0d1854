//! Routes: `GET|HEAD /{key}?w=&h=&f=&q=&fit=&bg=&dpr=`, `/healthz`, and when
//! configured the playground (`/`, `/_edgepix/…`) and `/metrics`. Keys under
//! `_edgepix/` are reserved whether the playground is on or not, so turning
//! it on never changes what an image URL means.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::SystemTime;

use crate::access::RequestInfo;
use crate::cache::Variant;
use crate::conditional::{etag, has_preconditions, not_modified};
use crate::negotiate::resolve;
use crate::outcome::Outcome;
use crate::render::render;
use crate::{AppError, AppState};
use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use edgepix_core::Params;
use edgepix_storage::ObjectKey;

/// Deployment-specific router settings.
#[derive(Debug, Clone, Copy, Default)]
pub struct RouterOptions {
    /// Largest response body the transport carries (Lambda: ~4.4 MB raw).
    pub max_response_bytes: Option<usize>,
}

/// The edgepix router. HEAD is served by the GET handlers (axum strips the body).
pub fn router(state: AppState) -> Router {
    router_with(state, RouterOptions::default())
}

/// The edgepix router with deployment-specific options.
pub fn router_with(state: AppState, options: RouterOptions) -> Router {
    let mut routes = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/_edgepix/{*rest}", get(|| async { AppError::NoRoute }))
        .route("/{*key}", get(image))
        .fallback(|| async { AppError::NoRoute });
    if state.config().playground {
        routes = routes.merge(crate::playground::routes());
    }
    if state.meter().render().is_some() {
        routes = routes.route("/metrics", get(metrics));
    }
    // After every route is added: it applies to the routes there are.
    routes = routes.method_not_allowed_fallback(|| async { AppError::MethodNotAllowed });
    if let Some(max) = options.max_response_bytes {
        routes =
            routes.layer(axum::middleware::map_response_with_state(max, crate::middleware::response_size));
    }
    routes
        .layer(axum::middleware::map_response_with_state(state.clone(), crate::middleware::response_headers))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::access::access))
        .with_state(state)
}

/// Prometheus exposition text.
async fn metrics(State(state): State<AppState>) -> Response {
    let body = state.meter().render().unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], body).into_response()
}

/// The whole request under its deadline (`EDGEPIX_REQUEST_TIMEOUT_MS`): 504.
/// The access log line and metrics read `RequestInfo` from the response.
async fn image(
    State(state): State<AppState>,
    key: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    request: HeaderMap,
) -> Response {
    let mut info = RequestInfo::default();
    let deadline = state.config().protection.request_timeout;
    let work = serve(&state, key, query.as_deref(), &request, &mut info);
    let result = tokio::time::timeout(deadline, work).await.unwrap_or(Err(AppError::Deadline));
    let mut response = result.unwrap_or_else(IntoResponse::into_response);
    response.extensions_mut().insert(info);
    response
}

async fn serve(
    state: &AppState,
    key: Result<Path<String>, PathRejection>,
    query: Option<&str>,
    request: &HeaderMap,
    info: &mut RequestInfo,
) -> Result<Response, AppError> {
    let Path(key) = key.map_err(|_| AppError::BadPath)?;
    let key = ObjectKey::parse(&key)?;
    info.key = Some(key.to_string());
    let (requested, fields) = Params::parse_signed(query.unwrap_or(""), state.limits())?;
    if let Some(redirect) = crate::guard::check(state, &key, &requested, &fields)? {
        return Ok(redirect);
    }
    let negotiated = requested.is_auto();
    let params = if negotiated { resolve_auto(&requested, request, state) } else { requested };
    info.params = Some(params.canonical());
    let (found, outcome) = find(state, key, params, request).await?;
    info.cache = Some(outcome);
    let reply = Reply { state, request, vary: negotiated };
    Ok(match found {
        Found::Unchanged { etag, last_modified } => reply.not_modified(&etag, last_modified, outcome),
        Found::Variant(variant) => {
            if outcome == Outcome::Miss {
                info.render = Some((variant.stages, variant.source_bytes));
            }
            reply.variant(&variant, outcome)
        }
    })
}

/// What [`find`] found.
enum Found {
    /// The variant, cached or rendered.
    Variant(Arc<Variant>),
    /// Not rendered: the client's copy is current, by the source's metadata.
    Unchanged { etag: String, last_modified: Option<SystemTime> },
}

/// The variant cache; then, for a conditional request, the source's
/// metadata (a 304 without downloading or decoding the original); then one
/// render shared by every concurrent miss of the same variant.
async fn find(
    state: &AppState,
    key: ObjectKey,
    params: Params,
    request: &HeaderMap,
) -> Result<(Found, Outcome), AppError> {
    let cache_key = format!("{key}?{}", params.canonical());
    if let Some(variant) = state.cache().get(&cache_key).await {
        return Ok((Found::Variant(variant), Outcome::Hit));
    }
    if has_preconditions(request) {
        let meta = state.source().head(&key).await?;
        let etag = etag(&meta, &cache_key);
        if not_modified(request, &etag, meta.last_modified) {
            return Ok((Found::Unchanged { etag, last_modified: meta.last_modified }, Outcome::Revalidated));
        }
    }
    let missed = Arc::new(AtomicBool::new(false));
    let init = {
        let (state, missed, cache_key) = (state.clone(), Arc::clone(&missed), cache_key.clone());
        async move {
            missed.store(true, Ordering::Relaxed);
            render(state, key, params, cache_key).await
        }
    };
    let variant = state.cache().try_get_with(cache_key, init).await.map_err(|e| (*e).clone())?;
    let outcome = if missed.load(Ordering::Relaxed) { Outcome::Miss } else { Outcome::Coalesced };
    Ok((Found::Variant(variant), outcome))
}

/// `f=auto` → a concrete format (or the source's) from `Accept`.
fn resolve_auto(params: &Params, request: &HeaderMap, state: &AppState) -> Params {
    let accept = request.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    resolve(params, accept, state.config().auto_avif)
}

struct Reply<'a> {
    state: &'a AppState,
    request: &'a HeaderMap,
    vary: bool,
}

impl Reply<'_> {
    fn common(&self, etag: &str, last_modified: Option<SystemTime>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Ok(tag) = HeaderValue::from_str(etag) {
            headers.insert(header::ETAG, tag);
        }
        headers.insert(header::CACHE_CONTROL, self.state.config().cache_policy.success.clone());
        if let Some(date) =
            last_modified.and_then(|t| HeaderValue::from_str(&httpdate::fmt_http_date(t)).ok())
        {
            headers.insert(header::LAST_MODIFIED, date);
        }
        if self.vary {
            headers.insert(header::VARY, HeaderValue::from_static("Accept"));
        }
        headers
    }

    /// A 304. `X-Cache` says where the validator came from, as the access
    /// log and the metrics do: `REVALIDATED` from the source's metadata,
    /// `HIT` (or `MISS`, `COALESCED`) from the variant itself.
    fn not_modified(&self, etag: &str, last_modified: Option<SystemTime>, outcome: Outcome) -> Response {
        let mut headers = self.common(etag, last_modified);
        headers.insert(X_CACHE, outcome.header());
        (StatusCode::NOT_MODIFIED, headers).into_response()
    }

    fn variant(&self, variant: &Variant, outcome: Outcome) -> Response {
        if not_modified(self.request, &variant.etag, variant.last_modified) {
            return self.not_modified(&variant.etag, variant.last_modified, outcome);
        }
        let mut headers = self.common(&variant.etag, variant.last_modified);
        let timing = outcome.server_timing().unwrap_or(&variant.server_timing);
        headers.insert(X_CACHE, outcome.header());
        if let Ok(timing) = HeaderValue::from_str(timing) {
            headers.insert(SERVER_TIMING, timing);
        }
        if let Some(auto) = variant.auto_quality {
            headers.insert(X_QUALITY, HeaderValue::from(u16::from(auto.quality)));
        }
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(variant.content_type));
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(variant.bytes.len()));
        (headers, variant.bytes.clone()).into_response()
    }
}

const X_CACHE: HeaderName = HeaderName::from_static("x-cache");
/// The quality `q=auto` chose, as the `q=` that gives the same bytes.
const X_QUALITY: HeaderName = HeaderName::from_static("x-quality");
const SERVER_TIMING: HeaderName = HeaderName::from_static("server-timing");
