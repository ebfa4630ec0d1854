//! One structured line per request, captured through the same subscriber
//! the binaries install (`telemetry::subscriber`).

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use edgepix_server::telemetry::{LogFormat, subscriber};

/// A `MakeWriter` appending to a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Self;
    fn make_writer(&'a self) -> Self {
        self.clone()
    }
}

impl Captured {
    fn lines(&self) -> Vec<String> {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap().lines().map(str::to_owned).collect()
    }
}

// current_thread: the subscriber set with `set_default` is per thread.
#[tokio::test(flavor = "current_thread")]
async fn json_request_lines() {
    let captured = Captured::default();
    let _guard = tracing::subscriber::set_default(subscriber(LogFormat::Json, captured.clone()));
    let (_dir, state) = app(&[]).await;
    get(&state, "/photo.jpg?f=webp&w=120").await;
    get(&state, "/photo.jpg?w=120&f=webp").await;
    let (_, error_body) = get(&state, "/photo.jpg?w=0").await;
    get(&state, "/healthz").await;

    let lines: Vec<serde_json::Value> = captured
        .lines()
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}")))
        .collect();
    let requests: Vec<&serde_json::Value> = lines.iter().filter(|l| l["message"] == "request").collect();
    assert_eq!(requests.len(), 3, "one line per request, none for /healthz at info: {lines:#?}");
    let miss = requests[0];
    assert_eq!(miss["key"], "photo.jpg");
    let params = miss["params"].as_str().unwrap();
    assert!(params.contains("w=120") && params.contains("f=webp"), "{params}");
    assert_eq!((miss["status"].as_u64(), miss["cache"].as_str()), (Some(200), Some("MISS")));
    assert!(miss["bytes"].as_u64().unwrap() > 100);
    for field in ["fetch_ms", "decode_ms", "resize_ms", "encode_ms", "total_ms"] {
        assert!(miss[field].as_f64().is_some(), "{field} in {miss}");
    }
    assert_eq!(requests[1]["cache"], "HIT");
    assert!(requests[1].get("decode_ms").is_none(), "a hit did no work: {}", requests[1]);
    assert_eq!(
        (requests[2]["status"].as_u64(), requests[2]["code"].as_str()),
        (Some(400), Some("invalid_param"))
    );
    assert_eq!(requests[2]["key"], "photo.jpg");
    // What was sent, JSON error bodies included (no Content-Length yet there).
    assert_eq!(requests[2]["bytes"].as_u64(), Some(error_body.len() as u64), "{}", requests[2]);
}

#[tokio::test(flavor = "current_thread")]
async fn text_lines_for_a_terminal() {
    let captured = Captured::default();
    let _guard = tracing::subscriber::set_default(subscriber(LogFormat::Text, captured.clone()));
    let (_dir, state) = app(&[]).await;
    get(&state, "/photo.jpg?w=50").await;
    let lines = captured.lines();
    let line = lines.iter().find(|l| l.contains("request")).expect("a request line");
    assert!(!line.starts_with('{'), "{line}");
    assert!(line.contains("photo.jpg") && line.contains("status=200") && line.contains("MISS"), "{line}");
}
