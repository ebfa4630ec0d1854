//! Sixteen identical concurrent requests run the pipeline once: moka's
//! `try_get_with` makes the other fifteen wait for the first one's result.

mod common;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::http::StatusCode;
use common::held::HeldFs;
use common::*;
use edgepix_server::AppState;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixteen_concurrent_identical_requests_decode_once() {
    let dir = tempfile::tempdir().unwrap();
    write_fixtures(dir.path());
    // Slowed down, so that all sixteen requests overlap.
    let source = Arc::new(HeldFs::delayed(dir.path(), Duration::from_millis(300)));
    let state = AppState::new(source.clone(), &config(dir.path(), &[]));

    let requests = (0..16).map(|_| {
        let state = state.clone();
        tokio::spawn(async move { get(&state, "/photo.jpg?w=120&f=webp").await })
    });
    let responses = futures::future::join_all(requests).await;

    let (mut misses, mut coalesced) = (0, 0);
    let mut bodies = Vec::new();
    for result in responses {
        let (response, body) = result.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        misses += usize::from(header(&response, "x-cache") == "MISS");
        coalesced += usize::from(header(&response, "x-cache") == "COALESCED");
        bodies.push(body);
    }
    assert_eq!(renders(&state).await, 1, "the pipeline ran more than once");
    assert_eq!(source.reads.load(Ordering::SeqCst), 1, "the original was fetched more than once");
    assert_eq!((misses, coalesced), (1, 15), "all requests overlapped the one render");
    assert!(bodies.iter().all(|b| b == &bodies[0]));

    // A different variant is a different key: it renders again.
    let (response, _) = get(&state, "/photo.jpg?w=121&f=webp").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(renders(&state).await, 2);
}
