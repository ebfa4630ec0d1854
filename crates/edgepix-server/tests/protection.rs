//! Signed URLs, allowed sizes, the memory budget and the request deadline,
//! through the router.

mod common;

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use common::held::HeldFs;
use common::{app, config, get, header, json, renders, write_fixtures};
use edgepix_core::{Limits, Params};
use edgepix_server::{AppState, Signer};
use edgepix_storage::ObjectKey;

const OLD: &str = "old-key-0123456789abcdef";
const NEW: &str = "new-key-fedcba9876543210";

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// A signed query for `key` with `query`, by the signer holding `secret`.
fn signed(secret: &str, key: &str, query: &str, exp: Option<u64>) -> String {
    let params = Params::parse(query, &Limits::default()).unwrap();
    Signer::new(vec![secret.as_bytes().to_vec()]).signed_query(&ObjectKey::parse(key).unwrap(), &params, exp)
}

async fn status(state: &edgepix_server::AppState, uri: &str) -> (u16, String) {
    let (response, body) = get(state, uri).await;
    let code = if response.status().is_success() { String::new() } else { json(&body)["code"].to_string() };
    (response.status().as_u16(), code)
}

#[tokio::test]
async fn signed_mode_refuses_everything_but_a_valid_signature() {
    let keys = format!("--signing-keys={NEW},{OLD}");
    let (_dir, state) = app(&[&keys]).await;
    let exp = now() + 3600;
    let valid = signed(NEW, "photo.jpg", "w=100&h=80&f=webp&q=70&fit=contain&bg=ff0000", Some(exp));
    assert_eq!(status(&state, &format!("/photo.jpg?{valid}")).await.0, 200, "{valid}");
    // The old key still verifies (rotation), with or without exp.
    let old = signed(OLD, "photo.jpg", "w=100", None);
    assert_eq!(status(&state, &format!("/photo.jpg?{old}")).await.0, 200);
    // Any spelling of the same request carries the same signature.
    let s = old.rsplit_once("s=").unwrap().1;
    assert_eq!(status(&state, &format!("/photo.jpg?W=50&dpr=2&s={s}")).await.0, 200);

    let forbidden = |uri: String, code: &'static str| {
        let state = state.clone();
        async move {
            assert_eq!(status(&state, &uri).await, (403, format!("\"{code}\"")), "{uri}");
        }
    };
    forbidden("/photo.jpg?w=100".into(), "signature_missing").await;
    forbidden("/photo.jpg".into(), "signature_missing").await;
    // Each parameter changed in turn, exp included, and another path.
    let tampered = [
        ("w=100", "w=101"),
        ("h=80", "h=81"),
        ("f=webp", "f=png"),
        ("q=70", "q=71"),
        ("fit=contain", "fit=fill"),
        ("bg=ff0000", "bg=00ff00"),
    ];
    for (from, to) in tampered {
        assert!(valid.contains(from), "{from} not in {valid}");
        forbidden(format!("/photo.jpg?{}", valid.replace(from, to)), "signature_invalid").await;
    }
    forbidden(
        format!("/photo.jpg?{}", valid.replace(&format!("exp={exp}"), &format!("exp={}", exp + 1))),
        "signature_invalid",
    )
    .await;
    forbidden(format!("/photo.jpg?{}&dpr=2", valid), "signature_invalid").await;
    forbidden(format!("/rotated.jpg?{valid}"), "signature_invalid").await;
    // Replayed with other parameters: the signature of one request on another.
    forbidden(format!("/photo.jpg?w=640&s={s}"), "signature_invalid").await;
    // A signature by a key the server does not hold.
    let stranger = signed("stranger-key-0123456789", "photo.jpg", "w=100", None);
    forbidden(format!("/photo.jpg?{stranger}"), "signature_invalid").await;
    // Expired (signed correctly, in the past).
    let expired = signed(NEW, "photo.jpg", "w=100", Some(now() - 10));
    forbidden(format!("/photo.jpg?{expired}"), "signature_expired").await;
    // A malformed s is a 400 naming it, like any bad parameter.
    assert_eq!(status(&state, "/photo.jpg?w=100&s=a+b").await.0, 400);
}

#[tokio::test]
async fn the_signature_is_not_part_of_the_cache_key() {
    let keys = format!("--signing-keys={NEW},{OLD}");
    let (_dir, state) = app(&[&keys]).await;
    let first = signed(NEW, "photo.jpg", "w=64", None);
    let second = signed(OLD, "photo.jpg", "w=64", Some(now() + 60));
    let (a, _) = get(&state, &format!("/photo.jpg?{first}")).await;
    let (b, _) = get(&state, &format!("/photo.jpg?{second}")).await;
    assert_eq!((header(&a, "x-cache"), header(&b, "x-cache")), ("MISS", "HIT"));
    assert_eq!(renders(&state).await, 1);
}

#[tokio::test]
async fn signature_fields_without_signing_are_refused() {
    let (_dir, state) = app(&[]).await;
    assert_eq!(status(&state, "/photo.jpg?w=100&s=abc").await, (400, "\"signing_disabled\"".into()));
    assert_eq!(status(&state, "/photo.jpg?w=100").await.0, 200);
}

#[tokio::test]
async fn sizes_outside_the_lists_are_refused_or_redirected() {
    let lists = ["--allowed-widths=64,320", "--allowed-qualities=50,80"];
    let (_dir, state) = app(&lists).await;
    assert_eq!(status(&state, "/photo.jpg?w=32&dpr=2").await.0, 200, "32 at dpr 2 is 64");
    assert_eq!(status(&state, "/photo.jpg?w=100").await, (400, "\"size_not_allowed\"".into()));
    assert_eq!(status(&state, "/photo.jpg?w=64&q=60").await.0, 400);

    let keys = format!("--signing-keys={NEW}");
    let (_dir, state) = app(&[lists[0], lists[1], "--size-policy=redirect", &keys]).await;
    let exp = now() + 60;
    let asked = signed(NEW, "sub dir/ünï.png", "w=100&q=60&f=webp", Some(exp));
    let (response, body) = get(&state, &format!("/sub%20dir/%C3%BCn%C3%AF.png?{asked}")).await;
    assert_eq!(response.status().as_u16(), 302, "{}", String::from_utf8_lossy(&body));
    let location = header(&response, "location").to_owned();
    let want = signed(NEW, "sub dir/ünï.png", "w=64&q=50&f=webp", Some(exp));
    assert_eq!(location, format!("/sub%20dir/%C3%BCn%C3%AF.png?{want}"));
    assert_eq!(status(&state, &location).await.0, 200, "the redirect target is served");
}

const GATED: &str = "gated.png";

#[tokio::test]
async fn over_the_memory_budget_is_a_503_with_retry_after_not_a_crash() {
    // 16 MiB: a 640x480 thumbnail fits; a 2000x2000 PNG render cannot fit the
    // whole budget (422), and a queue that does not drain gives 503.
    let dir = tempfile::tempdir().unwrap();
    write_fixtures(dir.path());
    let source = HeldFs::gated(dir.path(), GATED, 8);
    let flags = ["--memory-budget=16MiB", "--admission-wait-ms=0", "--concurrency=1"];
    let state = AppState::new(Arc::new(source), &config(dir.path(), &flags));
    let big = image::DynamicImage::ImageRgb8(image::RgbImage::new(2000, 2000));
    std::fs::write(dir.path().join("big.png"), common::encode(&big, image::ImageFormat::Png)).unwrap();
    // ~13 MB estimated (decode, 8-bit copy, resize input): one fits at a time.
    let noise =
        image::RgbImage::from_fn(1000, 800, |x, y| [(x * 7) as u8, (y * 13) as u8, (x ^ y) as u8].into());
    let noise = image::DynamicImage::ImageRgb8(noise);
    std::fs::write(dir.path().join(GATED), common::encode(&noise, image::ImageFormat::Png)).unwrap();
    assert_eq!(status(&state, "/photo.jpg?w=100").await.0, 200);
    assert_eq!(status(&state, "/big.png?w=100").await, (422, "\"over_memory_budget\"".into()));
    // Eight renders of it reach admission together (the gate), with no
    // waiting and one image worker: some are admitted, the rest get 503 +
    // Retry-After; all answer.
    let renders = (0..8).map(|i| {
        let state = state.clone();
        async move { get(&state, &format!("/{GATED}?w={}&f=png", 100 + i)).await }
    });
    let answers = futures::future::join_all(renders).await;
    let ok = answers.iter().filter(|(r, _)| r.status() == 200).count();
    let busy: Vec<_> = answers.iter().filter(|(r, _)| r.status() == 503).collect();
    let statuses: Vec<_> =
        answers.iter().map(|(r, b)| (r.status(), String::from_utf8_lossy(b).into_owned())).collect();
    assert_eq!(ok + busy.len(), 8, "{statuses:?}");
    assert!(ok >= 1, "nothing admitted");
    assert!(!busy.is_empty(), "eight renders of ~13 MB fitted a 16 MiB budget at once");
    for (response, body) in busy {
        assert_eq!(header(response, "retry-after"), "1");
        assert_eq!(json(body)["code"], "overloaded");
    }
}

#[tokio::test]
async fn a_request_over_its_deadline_is_a_504() {
    let (_dir, state) = app(&["--request-timeout-ms=1"]).await;
    let big = "/sub%20dir/%C3%BCn%C3%AF.png?w=600&f=avif";
    assert_eq!(status(&state, big).await, (504, "\"timeout\"".into()));
}
