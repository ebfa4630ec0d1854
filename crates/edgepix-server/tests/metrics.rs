//! `/metrics`: valid Prometheus text whose counters follow the requests made
//! to the same state, and only to it (each state has its own recorder).

mod common;

use std::collections::HashMap;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;

/// Parse the Prometheus text exposition format strictly enough to catch a
/// malformed line: `# HELP`/`# TYPE` comments and `name{label="v",...} value`
/// samples. Returns `name{labels}` (labels as written) → value.
fn parse(text: &str) -> HashMap<String, f64> {
    let mut samples = HashMap::new();
    let valid_name = |n: &str| {
        !n.is_empty()
            && !n.starts_with(|c: char| c.is_ascii_digit())
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    };
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        if let Some(comment) = line.strip_prefix("# ") {
            let mut words = comment.split_whitespace();
            match (words.next(), words.next(), words.next()) {
                (Some("TYPE"), Some(name), Some(kind)) => {
                    assert!(valid_name(name), "bad name in {line:?}");
                    assert!(
                        ["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind),
                        "{line:?}"
                    );
                }
                (Some("HELP"), Some(name), _) => assert!(valid_name(name), "{line:?}"),
                _ => panic!("unexpected comment {line:?}"),
            }
            continue;
        }
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("no value in {line:?}"));
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            v => v.parse().unwrap_or_else(|_| panic!("bad value in {line:?}")),
        };
        let name = series.split('{').next().unwrap();
        assert!(valid_name(name), "bad metric name in {line:?}");
        let labels = &series[name.len()..];
        if !labels.is_empty() {
            let inner = labels.strip_prefix('{').and_then(|l| l.strip_suffix('}'));
            let inner = inner.unwrap_or_else(|| panic!("bad labels in {line:?}"));
            for pair in inner.split(',') {
                let (k, v) = pair.split_once('=').unwrap_or_else(|| panic!("bad label in {line:?}"));
                assert!(valid_name(k) && v.starts_with('"') && v.ends_with('"'), "bad label in {line:?}");
            }
        }
        assert!(samples.insert(series.to_owned(), value).is_none(), "duplicate series {series}");
    }
    samples
}

async fn scrape(state: &edgepix_server::AppState) -> HashMap<String, f64> {
    let (response, body) = get(state, "/metrics").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header(&response, "content-type").starts_with("text/plain; version=0.0.4"));
    parse(std::str::from_utf8(&body).unwrap())
}

fn value(samples: &HashMap<String, f64>, series: &str) -> f64 {
    samples.get(series).copied().unwrap_or(0.0)
}

/// A 304 for a cached variant is a hit in the header and in the metrics
/// alike (it once said REVALIDATED while being counted as a hit).
#[tokio::test]
async fn a_304_from_the_cache_is_a_hit_everywhere() {
    let (_dir, state) = app(&[]).await;
    let (first, _) = get(&state, "/photo.jpg?w=100").await;
    let etag = header(&first, "etag").to_owned();
    let request =
        Request::get("/photo.jpg?w=100").header("if-none-match", &etag).body(Body::empty()).unwrap();
    let (response, _) = send(&state, request).await;
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header(&response, "x-cache"), "HIT");
    let after = scrape(&state).await;
    assert_eq!(value(&after, r#"edgepix_cache_total{result="hit"}"#), 1.0);
    assert_eq!(value(&after, r#"edgepix_cache_total{result="revalidated"}"#), 0.0);
}

#[tokio::test]
async fn counters_follow_requests() {
    let (dir, state) = app(&[]).await;
    let before = scrape(&state).await;
    assert_eq!(value(&before, r#"edgepix_requests_total{status="200"}"#), 0.0);

    assert_eq!(get(&state, "/photo.jpg?w=100&f=webp").await.0.status(), StatusCode::OK);
    assert_eq!(get(&state, "/photo.jpg?w=100&f=webp").await.0.status(), StatusCode::OK);
    let (_, third) = get(&state, "/photo.jpg?f=webp&w=100").await;
    assert_eq!(get(&state, "/missing.jpg?w=10").await.0.status(), StatusCode::NOT_FOUND);
    assert_eq!(get(&state, "/photo.jpg?w=abc").await.0.status(), StatusCode::BAD_REQUEST);

    let after = scrape(&state).await;
    assert_eq!(value(&after, r#"edgepix_requests_total{status="200"}"#), 3.0);
    assert_eq!(value(&after, r#"edgepix_requests_total{status="404"}"#), 1.0);
    assert_eq!(value(&after, r#"edgepix_requests_total{status="400"}"#), 1.0);
    assert_eq!(value(&after, r#"edgepix_cache_total{result="miss"}"#), 1.0);
    assert_eq!(value(&after, r#"edgepix_cache_total{result="hit"}"#), 2.0);
    let original = std::fs::metadata(dir.path().join("photo.jpg")).unwrap().len() as f64;
    assert_eq!(value(&after, "edgepix_source_bytes_total"), original, "one fetch of the original");
    // Three identical images plus two small JSON errors.
    let out = value(&after, "edgepix_response_bytes_total");
    assert!(out >= 3.0 * third.len() as f64 && out < 3.0 * third.len() as f64 + 2000.0, "{out}");
    for stage in ["fetch", "decode", "resize", "encode"] {
        let count = format!(r#"edgepix_stage_seconds_count{{stage="{stage}"}}"#);
        assert_eq!(value(&after, &count), 1.0, "{stage}: one render");
        let inf = format!(r#"edgepix_stage_seconds_bucket{{stage="{stage}",le="+Inf"}}"#);
        assert_eq!(value(&after, &inf), 1.0, "{stage} is a histogram");
    }
    assert_eq!(value(&after, "edgepix_request_duration_seconds_count"), 5.0, "scrapes not counted");
    assert_eq!(value(&after, r#"edgepix_in_flight{work="request"}"#), 0.0);
    assert_eq!(value(&after, r#"edgepix_in_flight{work="render"}"#), 0.0);

    // Another state in the same process counts only its own requests.
    let (_dir2, other) = app(&[]).await;
    let fresh = scrape(&other).await;
    assert_eq!(value(&fresh, r#"edgepix_requests_total{status="200"}"#), 0.0);
}

#[tokio::test]
async fn no_metrics_route_when_off() {
    for mode in ["off", "emf"] {
        let (_dir, state) = app(&[&format!("--metrics={mode}")]).await;
        let (response, body) = get(&state, "/metrics").await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{mode}");
        assert_eq!(json(&body)["code"], "not_found");
    }
}
