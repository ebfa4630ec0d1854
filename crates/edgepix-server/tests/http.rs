//! HTTP behaviour CDNs and browsers depend on: negotiation, revalidation,
//! Cache-Control per outcome, Server-Timing, security headers, fit and dpr.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use edgepix_server::AppState;

const CHROME: &str = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";
const SAFARI_NO_AVIF: &str = "image/webp,image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5";

async fn get_with(
    state: &AppState,
    uri: &str,
    headers: &[(&str, &str)],
) -> (axum::http::Response<Body>, Vec<u8>) {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(state, request.body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn auto_format_follows_accept() {
    let (_dir, state) = app(&["--avif-speed=10"]).await;
    let (_dir2, no_avif) = app(&["--auto-avif-max-pixels=0"]).await;
    let cases = [
        (&state, Some(CHROME), "image/avif"),
        (&no_avif, Some(CHROME), "image/webp"),
        (&state, Some(SAFARI_NO_AVIF), "image/webp"),
        (&state, Some("*/*"), "image/jpeg"),
        (&state, None, "image/jpeg"),
    ];
    for (state, accept, mime) in cases {
        let headers: Vec<_> = accept.map(|a| ("accept", a)).into_iter().collect();
        let (response, body) = get_with(state, "/photo.jpg?w=64&f=auto", &headers).await;
        assert_eq!(response.status(), StatusCode::OK, "{accept:?}");
        assert_eq!(header(&response, "content-type"), mime, "{accept:?}");
        assert_eq!(header(&response, "vary"), "Accept", "{accept:?}");
        if mime != "image/avif" {
            assert_eq!(decode(&body).width(), 64);
        }
    }
    // The negotiated format is the cache key: an explicit f=webp is a hit.
    let (response, _) = get(&state, "/photo.jpg?w=64&f=webp").await;
    assert_eq!(header(&response, "x-cache"), "HIT");
    assert_eq!(header(&response, "vary"), "", "explicit formats do not vary");
}

#[tokio::test]
async fn revalidation_is_a_304_without_download_or_decode() {
    let (dir, state) = app(&[]).await;
    let (first, _) = get(&state, "/photo.jpg?w=100").await;
    let etag = header(&first, "etag").to_owned();
    let last_modified = header(&first, "last-modified").to_owned();
    assert!(!last_modified.is_empty());

    // A fresh server (cold cache) answers from a HEAD of the original.
    let fresh = AppState::from_config(&config(dir.path(), &[])).await.unwrap();
    for precondition in [("if-none-match", etag.as_str()), ("if-modified-since", last_modified.as_str())] {
        let (response, body) = get_with(&fresh, "/photo.jpg?w=100", &[precondition]).await;
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED, "{precondition:?}");
        assert!(body.is_empty());
        assert_eq!(header(&response, "etag"), etag);
        assert_eq!(header(&response, "cache-control"), "public, max-age=31536000, immutable");
        assert_eq!(header(&response, "x-cache"), "REVALIDATED", "{precondition:?}");
    }
    assert_eq!(renders(&fresh).await, 0, "a 304 decoded the image");

    // Another variant has another tag; a changed original changes every tag.
    let (response, _) = get_with(&fresh, "/photo.jpg?w=101", &[("if-none-match", &etag)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    std::fs::write(dir.path().join("photo.jpg"), std::fs::read(dir.path().join("disc.png")).unwrap())
        .unwrap();
    let fresh = AppState::from_config(&config(dir.path(), &[])).await.unwrap();
    let (response, _) = get_with(&fresh, "/photo.jpg?w=100", &[("if-none-match", &etag)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_ne!(header(&response, "etag"), etag);
}

#[tokio::test]
async fn cache_control_per_outcome_is_configurable() {
    let (dir, state) = app(&[]).await;
    let (response, _) = get(&state, "/nope.jpg?w=10").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(header(&response, "cache-control"), "public, max-age=60");

    // A symlink loop makes the source fail: 502, never stored.
    std::os::unix::fs::symlink("loop.jpg", dir.path().join("loop.jpg")).unwrap();
    let (response, body) = get(&state, "/loop.jpg?w=10").await;
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(header(&response, "cache-control"), "no-store");
    assert_eq!(json(&body)["message"], "the image source is unavailable", "no detail leaks");

    let (_dir, custom) = app(&[
        "--cache-control=public, max-age=3600, s-maxage=86400",
        "--error-cache-control=public, max-age=10, s-maxage=30",
        "--server-error-cache-control=public, max-age=5",
    ])
    .await;
    let (response, _) = get(&custom, "/photo.jpg?w=10").await;
    assert_eq!(header(&response, "cache-control"), "public, max-age=3600, s-maxage=86400");
    let (response, _) = get(&custom, "/photo.jpg?w=abc").await;
    assert_eq!(header(&response, "cache-control"), "public, max-age=10, s-maxage=30");
}

#[tokio::test]
async fn server_timing_and_x_cache() {
    let (_dir, state) = app(&[]).await;
    let (response, _) = get(&state, "/photo.jpg?w=50").await;
    assert_eq!(header(&response, "x-cache"), "MISS");
    let timing = header(&response, "server-timing");
    for stage in ["fetch;dur=", "decode;dur=", "resize;dur=", "encode;dur="] {
        assert!(timing.contains(stage), "{timing}");
    }
    let (response, _) = get(&state, "/photo.jpg?w=50").await;
    assert_eq!(header(&response, "x-cache"), "HIT");
    assert_eq!(header(&response, "server-timing"), "cache;desc=\"hit\"");
}

#[tokio::test]
async fn security_headers() {
    let (_dir, state) = app(&[]).await;
    for uri in ["/photo.jpg?w=10", "/photo.jpg?w=abc", "/healthz", "/nope"] {
        let (response, _) = get(&state, uri).await;
        assert_eq!(header(&response, "x-content-type-options"), "nosniff", "{uri}");
        let image = header(&response, "content-type").starts_with("image/");
        assert_eq!(header(&response, "content-security-policy").is_empty(), image, "{uri}");
    }
    let (response, _) = get(&state, "/healthz").await;
    assert!(header(&response, "content-security-policy").starts_with("default-src 'none'"));
}

#[tokio::test]
async fn fit_modes_and_background() {
    let (_dir, state) = app(&[]).await;
    // photo.jpg is 640×480, red left half, blue right half.
    let cases = [
        ("w=200&h=100&fit=cover", (200, 100)),
        ("w=200&h=100&fit=contain", (200, 100)),
        ("w=200&h=100&fit=fill", (200, 100)),
        ("w=200&h=100&fit=inside", (133, 100)),
        ("w=200&h=100&fit=outside", (200, 150)),
        ("w=100&dpr=2", (200, 150)),
        ("w=100&h=100&dpr=1.5", (150, 150)),
    ];
    for (query, size) in cases {
        let (response, body) = get(&state, &format!("/photo.jpg?{query}&f=png")).await;
        assert_eq!(response.status(), StatusCode::OK, "{query}");
        assert_eq!(decode(&body).to_rgba8().dimensions(), size, "{query}");
    }
    // contain pads with bg (default: transparent for PNG, white for JPEG).
    let (_, body) = get(&state, "/photo.jpg?w=200&h=100&fit=contain&f=png").await;
    let rgba = decode(&body).to_rgba8();
    assert_eq!(rgba.get_pixel(2, 50).0[3], 0, "left padding transparent");
    assert_eq!(rgba.get_pixel(100, 50).0[3], 255, "image opaque");
    let (_, body) = get(&state, "/photo.jpg?w=200&h=100&fit=contain&f=png&bg=00ff00").await;
    assert_eq!(decode(&body).to_rgba8().get_pixel(2, 50).0, [0, 255, 0, 255]);
    let (_, body) = get(&state, "/photo.jpg?w=200&h=100&fit=contain&f=jpeg").await;
    assert!(decode(&body).to_rgb8().get_pixel(2, 50).0.iter().all(|&c| c > 240), "white padding");
    // bg also flattens transparency into JPEG.
    let (_, body) = get(&state, "/disc.png?w=100&f=jpeg&bg=0000ff").await;
    let corner = decode(&body).to_rgb8().get_pixel(1, 1).0;
    assert!(corner[2] > 230 && corner[0] < 30, "{corner:?}");
}
