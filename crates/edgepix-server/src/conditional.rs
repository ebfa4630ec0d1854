//! Validators and conditional requests. The ETag is derived from the
//! source's own validator (S3's ETag, or a file's mtime and size), the
//! canonical variant key and the pipeline version, so it can be computed
//! from a HEAD of the original: `If-None-Match` gets a 304 without
//! downloading or decoding anything.

use std::time::SystemTime;

use axum::http::{HeaderMap, header};
use edgepix_storage::Meta;

/// A strong ETag for one variant of one version of an original.
pub(crate) fn etag(meta: &Meta, cache_key: &str) -> String {
    let validator = match &meta.etag {
        Some(tag) => tag.clone(),
        None => format!("{:?}-{}", meta.last_modified, meta.size),
    };
    let input = format!("{validator}\n{cache_key}\n{}", edgepix_core::PIPELINE_VERSION);
    format!("\"{:032x}\"", xxhash_rust::xxh3::xxh3_128(input.as_bytes()))
}

/// Whether the request carries a precondition worth checking before work.
pub(crate) fn has_preconditions(request: &HeaderMap) -> bool {
    request.contains_key(header::IF_NONE_MATCH) || request.contains_key(header::IF_MODIFIED_SINCE)
}

/// RFC 9110 §13.1.2/13.1.3: `If-None-Match` (weak comparison) decides when
/// present; otherwise `If-Modified-Since` against `Last-Modified`.
pub(crate) fn not_modified(request: &HeaderMap, etag: &str, last_modified: Option<SystemTime>) -> bool {
    if let Some(value) = request.get(header::IF_NONE_MATCH) {
        let value = value.to_str().unwrap_or("");
        return value.split(',').map(str::trim).any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag);
    }
    let since = request
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok());
    match (since, last_modified) {
        // HTTP dates have whole seconds: compare at that precision.
        (Some(since), Some(modified)) => seconds(modified) <= seconds(since),
        _ => false,
    }
}

fn seconds(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        pairs.iter().map(|(k, v)| (k.clone(), HeaderValue::from_str(v).unwrap())).collect()
    }

    #[test]
    fn etag_changes_with_source_and_variant() {
        let meta = Meta { etag: Some("abc".into()), last_modified: None, size: 1 };
        let other = Meta { etag: Some("abd".into()), ..meta.clone() };
        assert_eq!(etag(&meta, "a.jpg?w=1"), etag(&meta, "a.jpg?w=1"));
        assert_ne!(etag(&meta, "a.jpg?w=1"), etag(&meta, "a.jpg?w=2"));
        assert_ne!(etag(&meta, "a.jpg?w=1"), etag(&other, "a.jpg?w=1"));
    }

    #[test]
    fn preconditions() {
        let modified = SystemTime::UNIX_EPOCH + Duration::from_millis(1_700_000_000_500);
        let date = httpdate::fmt_http_date(modified);
        let earlier = httpdate::fmt_http_date(modified - Duration::from_secs(10));
        let t = "\"t\"";
        let cases = [
            (headers(&[(header::IF_NONE_MATCH, t)]), true),
            (headers(&[(header::IF_NONE_MATCH, "\"x\", W/\"t\"")]), true),
            (headers(&[(header::IF_NONE_MATCH, "*")]), true),
            (headers(&[(header::IF_NONE_MATCH, "\"x\"")]), false),
            // If-None-Match wins over a matching If-Modified-Since.
            (headers(&[(header::IF_NONE_MATCH, "\"x\""), (header::IF_MODIFIED_SINCE, &date)]), false),
            (headers(&[(header::IF_MODIFIED_SINCE, &date)]), true),
            (headers(&[(header::IF_MODIFIED_SINCE, &earlier)]), false),
            (headers(&[(header::IF_MODIFIED_SINCE, "yesterday")]), false),
            (headers(&[]), false),
        ];
        for (request, expected) in cases {
            assert_eq!(not_modified(&request, t, Some(modified)), expected, "{request:?}");
        }
    }
}
