//! Headers every response gets, set in one place after the handler ran:
//! `X-Content-Type-Options`, a restrictive CSP on everything that is not an
//! image, and the configured `Cache-Control` on errors (4xx short, so a CDN
//! does not keep a mistake long; 5xx and 405 not stored).

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::{AppError, AppState};

const CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// `axum::middleware::map_response_with_state` hook.
pub(crate) async fn response_headers(State(state): State<AppState>, mut response: Response) -> Response {
    let status = response.status();
    let is_image = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("image/"));
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // The playground page sets its own (still `'self'`-only) policy.
    if !is_image && !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    }
    if status == StatusCode::METHOD_NOT_ALLOWED {
        // Depends on the method, not the URL a shared cache keys on (and
        // CloudFront caches GET and HEAD only): never stored.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    } else if status.is_client_error() {
        headers.insert(header::CACHE_CONTROL, state.config().cache_policy.client_error.clone());
    } else if status.is_server_error() {
        headers.insert(header::CACHE_CONTROL, state.config().cache_policy.server_error.clone());
    }
    response
}

/// Replace a response whose body is over `max` bytes with a 422 (see
/// `AppError::OutputTooLarge`). Runs before `response_headers`.
pub(crate) async fn response_size(State(max): State<usize>, response: Response) -> Response {
    let size = response
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    if size > max { AppError::OutputTooLarge { size, max }.into_response() } else { response }
}
