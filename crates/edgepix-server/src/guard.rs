//! The checks between parsing and the cache, in order: the signature (on
//! the parameters as requested, before any snapping or negotiation), then
//! the allowed sizes (a 400, or a redirect to the snapped canonical URL,
//! re-signed with the same expiry when signing is on).

use std::time::{SystemTime, UNIX_EPOCH};

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use edgepix_core::{Params, SignatureFields};
use edgepix_storage::ObjectKey;

use crate::signing::SignatureError;
use crate::{AppError, AppState};

/// `Ok(None)`: go on. `Ok(Some(response))`: answer with this redirect.
pub(crate) fn check(
    state: &AppState,
    key: &ObjectKey,
    params: &Params,
    fields: &SignatureFields,
) -> Result<Option<Response>, AppError> {
    let protection = &state.config().protection;
    match &protection.signer {
        Some(signer) => signer.verify(key, params, fields, now())?,
        None if !fields.is_empty() => return Err(SignatureError::NotConfigured.into()),
        None => {}
    }
    let Some(snapped) = protection.sizes.check(params)? else { return Ok(None) };
    let query = match &protection.signer {
        Some(signer) => signer.signed_query(key, &snapped, fields.expires),
        None => snapped.canonical(),
    };
    let location = HeaderValue::from_str(&format!("/{}?{query}", encoded(key)))
        .map_err(|_| AppError::Internal("redirect location is not a header value".into()))?;
    let cache = state.config().cache_policy.client_error.clone();
    Ok(Some(
        (StatusCode::FOUND, [(header::LOCATION, location), (header::CACHE_CONTROL, cache)]).into_response(),
    ))
}

/// Unix seconds now (what `exp` is compared with and computed from).
pub(crate) fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The key percent-encoded for a URL path (RFC 3986 unreserved and `/`
/// kept). Signatures cover the decoded key, so this does not change `s`.
pub(crate) fn encoded(key: &ObjectKey) -> String {
    let mut out = String::with_capacity(key.as_str().len());
    for b in key.as_str().bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
