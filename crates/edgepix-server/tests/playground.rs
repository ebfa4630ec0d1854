//! The playground routes: the page and its files under `/_edgepix/`, their
//! security headers, the image list, and that they never shadow image keys.

mod common;

use axum::http::StatusCode;
use common::*;

#[tokio::test]
async fn page_script_and_style_with_a_same_origin_csp() {
    let (_dir, state) = app(&[]).await;
    let (response, body) = get(&state, "/").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "text/html; charset=utf-8");
    assert_eq!(header(&response, "x-content-type-options"), "nosniff");
    let csp = header(&response, "content-security-policy");
    for directive in
        ["default-src 'none'", "script-src 'self'", "img-src 'self' blob:", "frame-ancestors 'none'"]
    {
        assert!(csp.contains(directive), "{directive} missing from {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains(r#"<script src="/_edgepix/playground.js""#));
    assert!(!html.contains("http://") && !html.contains("https://"), "works offline: no external URLs");

    for (path, mime) in
        [("/_edgepix/playground.js", "text/javascript"), ("/_edgepix/playground.css", "text/css")]
    {
        let (response, body) = get(&state, path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(header(&response, "content-type").starts_with(mime), "{path}");
        assert_eq!(header(&response, "x-content-type-options"), "nosniff");
        assert!(!body.is_empty());
    }
}

#[tokio::test]
async fn image_list() {
    let (dir, state) = app(&[]).await;
    let (response, body) = get(&state, "/_edgepix/images").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "application/json");
    assert!(header(&response, "content-security-policy").starts_with("default-src 'none'"));
    let list = json(&body);
    let keys: Vec<&str> =
        list["images"].as_array().unwrap().iter().map(|i| i["key"].as_str().unwrap()).collect();
    assert!(keys.contains(&"photo.jpg") && keys.contains(&"sub dir/ünï.png"), "{keys:?}");
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "sorted: {keys:?}");
    assert!(list["images"][0]["size"].as_u64().unwrap() > 0);
    // The folder as configured (here the test's own), not an `fs:` description.
    assert_eq!(list["source"], dir.path().display().to_string());
}

#[tokio::test]
async fn reserved_prefix_never_serves_images() {
    let (dir, state) = app(&[]).await;
    std::fs::create_dir_all(dir.path().join("_edgepix")).unwrap();
    std::fs::copy(dir.path().join("photo.jpg"), dir.path().join("_edgepix/images")).unwrap();
    std::fs::copy(dir.path().join("photo.jpg"), dir.path().join("_edgepix/photo.jpg")).unwrap();
    let (response, body) = get(&state, "/_edgepix/photo.jpg?w=10").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(json(&body)["code"], "not_found");
    let (response, body) = get(&state, "/_edgepix/images").await;
    assert!(json(&body)["images"].is_array(), "the list, not the file: {}", response.status());
    // Ordinary keys are unaffected.
    assert_eq!(get(&state, "/photo.jpg?w=10").await.0.status(), StatusCode::OK);
}

#[tokio::test]
async fn off_means_not_served() {
    let (_dir, state) = app(&["--playground=false"]).await;
    for path in ["/", "/_edgepix/images", "/_edgepix/playground.js"] {
        let (response, body) = get(&state, path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(json(&body)["code"], "not_found", "{path}");
        assert!(header(&response, "content-security-policy").starts_with("default-src 'none'"));
    }
}
