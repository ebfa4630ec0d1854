//! The router end to end through `tower::ServiceExt::oneshot`, on a real
//! folder of generated images: formats, geometry, headers, caching, errors.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use image::{DynamicImage, ImageFormat};

#[tokio::test]
async fn webp_at_300_wide_with_cache_headers() {
    let (_dir, state) = app(&[]).await;
    let (response, body) = get(&state, "/photo.jpg?w=300&f=webp").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "image/webp");
    assert_eq!(header(&response, "content-length"), body.len().to_string());
    assert_eq!(header(&response, "cache-control"), "public, max-age=31536000, immutable");
    assert_eq!(header(&response, "x-cache"), "MISS");
    let etag = header(&response, "etag").to_owned();
    assert!(etag.starts_with('"') && etag.len() > 10, "{etag}");
    assert_eq!(image::guess_format(&body).unwrap(), image::ImageFormat::WebP);
    let image = decode(&body);
    assert_eq!((image.width(), image.height()), (300, 225));

    // Same variant spelled differently: served from the cache, same ETag.
    let (again, body2) = get(&state, "/photo.jpg?f=webp&w=300").await;
    assert_eq!(header(&again, "x-cache"), "HIT");
    assert_eq!(header(&again, "etag"), etag);
    assert_eq!(body, body2);
    assert_eq!(renders(&state).await, 1);
}

/// `q=auto`: the search's `q` comes back as `X-Quality`, on the hit too,
/// and a stricter target (a config value) never chooses a lower `q`.
#[tokio::test]
async fn auto_quality_reports_its_choice() {
    let (_dir, state) = app(&[]).await;
    let (response, body) = get(&state, "/photo.jpg?w=300&q=auto&f=jpeg").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(image::guess_format(&body).unwrap(), ImageFormat::Jpeg);
    let chosen: u8 = header(&response, "x-quality").parse().unwrap();
    assert!((20..=100).contains(&chosen), "{chosen}");
    let timing = header(&response, "server-timing");
    assert!(timing.contains(&format!("quality;desc=\"q={chosen}, ")), "{timing}");
    let (again, _) = get(&state, "/photo.jpg?f=jpeg&Q=AUTO&w=300").await;
    assert_eq!(header(&again, "x-cache"), "HIT");
    assert_eq!(header(&again, "x-quality"), chosen.to_string());
    let (fixed, _) = get(&state, "/photo.jpg?w=300&q=80&f=jpeg").await;
    assert!(fixed.headers().get("x-quality").is_none(), "only q=auto reports a quality");

    let (_dir, strict) = app(&["--auto-quality-target=90"]).await;
    let (response, _) = get(&strict, "/photo.jpg?w=300&q=auto&f=jpeg").await;
    let stricter: u8 = header(&response, "x-quality").parse().unwrap();
    assert!(stricter > chosen, "target 90 chose q{stricter}, target 70 q{chosen}");
}

#[tokio::test]
async fn every_output_format_at_the_right_size() {
    let (_dir, state) = app(&["--avif-speed=10"]).await;
    for (f, mime) in [
        ("jpeg", "image/jpeg"),
        ("jpg", "image/jpeg"),
        ("png", "image/png"),
        ("webp", "image/webp"),
        ("gif", "image/gif"),
    ] {
        let (response, body) = get(&state, &format!("/photo.jpg?w=160&f={f}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{f}");
        assert_eq!(header(&response, "content-type"), mime);
        let image = decode(&body);
        assert_eq!((image.width(), image.height()), (160, 120), "{f}");
        // Left stays red, right stays blue.
        let rgb = image.to_rgb8();
        let (left, right) = (rgb.get_pixel(10, 60).0, rgb.get_pixel(150, 60).0);
        assert!(left[0] > 150 && right[2] > 150, "{f}: {left:?} {right:?}");
    }
    let (response, body) = get(&state, "/photo.jpg?w=160&f=avif").await;
    assert_eq!(header(&response, "content-type"), "image/avif");
    assert_eq!(&body[4..12], b"ftypavif");
}

#[tokio::test]
async fn cover_crop_and_one_sided_resizes() {
    let (_dir, state) = app(&[]).await;
    let cases = [
        ("w=100&h=100", (100, 100)),
        ("h=120", (160, 120)),
        ("w=2000", (640, 480)),       // never upscaled
        ("w=1280&h=480", (640, 240)), // box shrunk to fit, aspect kept
        ("w=64&h=48&q=30&f=jpeg", (64, 48)),
    ];
    for (query, size) in cases {
        let (response, body) = get(&state, &format!("/photo.jpg?{query}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{query}");
        let image = decode(&body);
        assert_eq!((image.width(), image.height()), size, "{query}");
    }
    // A square cover crop of a red|blue image keeps both halves, centred.
    let (_, body) = get(&state, "/photo.jpg?w=100&h=100&f=png").await;
    let rgb = decode(&body).to_rgb8();
    assert!(rgb.get_pixel(5, 50).0[0] > 200 && rgb.get_pixel(95, 50).0[2] > 200);
}

#[tokio::test]
async fn exif_orientation_is_applied() {
    let (_dir, state) = app(&[]).await;
    // Stored 64×32 red|blue with orientation 6 (rotate 90° clockwise):
    // displayed 32×64, red on top, blue below.
    let (response, body) = get(&state, "/rotated.jpg?w=16&f=png").await;
    assert_eq!(response.status(), StatusCode::OK);
    let rgb = decode(&body).to_rgb8();
    assert_eq!(rgb.dimensions(), (16, 32));
    assert!(rgb.get_pixel(8, 4).0[0] > 180, "top should be red: {:?}", rgb.get_pixel(8, 4));
    assert!(rgb.get_pixel(8, 28).0[2] > 180, "bottom should be blue: {:?}", rgb.get_pixel(8, 28));
}

/// photo.jpg is red on the left half, blue on the right; rotated.jpg shows
/// red on top. `pos` and `rect` pick the half.
#[tokio::test]
async fn pos_and_rect_choose_the_pixels() {
    let (_dir, state) = app(&[]).await;
    let cases = [
        ("/photo.jpg?w=50&h=100&pos=left&f=png", (50, 100), 0),
        ("/photo.jpg?w=50&h=100&pos=RIGHT&f=png", (50, 100), 2),
        ("/photo.jpg?w=50&h=100&pos=0.1,0.5&f=png", (50, 100), 0),
        ("/photo.jpg?rect=0,0,100,100&f=png", (100, 100), 0),
        ("/photo.jpg?rect=540,380,100,100&w=50&f=png", (50, 50), 2),
        ("/rotated.jpg?rect=0,0,32,32&w=16&f=png", (16, 16), 0),
        ("/rotated.jpg?rect=0,32,32,32&f=png", (32, 32), 2),
    ];
    for (uri, size, channel) in cases {
        let (response, body) = get(&state, uri).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        let rgb = decode(&body).to_rgb8();
        assert_eq!(rgb.dimensions(), size, "{uri}");
        for (x, y) in [(2, 2), (size.0 - 3, size.1 - 3)] {
            assert!(rgb.get_pixel(x, y).0[channel] > 180, "{uri} at {x},{y}: {:?}", rgb.get_pixel(x, y));
        }
    }
    for uri in ["/photo.jpg?rect=600,0,41,10", "/rotated.jpg?rect=0,0,64,32"] {
        let (response, body) = get(&state, uri).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{uri}");
        let json = json(&body);
        assert_eq!(json["code"], "rect_out_of_bounds", "{uri}");
        assert!(json["message"].as_str().unwrap().contains("`rect`"), "{json}");
    }
}

#[tokio::test]
async fn default_output_format_follows_the_source() {
    let (_dir, state) = app(&[]).await;
    let cases = [
        ("/photo.jpg?w=50", "image/jpeg"),
        ("/disc.png?w=50", "image/png"),
        ("/photo.gif?w=50", "image/jpeg"), // GIF cannot be written: opaque → JPEG
        ("/sub%20dir/%C3%BCn%C3%AF.png?w=50", "image/png"),
    ];
    for (uri, mime) in cases {
        let (response, _) = get(&state, uri).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        assert_eq!(header(&response, "content-type"), mime, "{uri}");
    }
}

#[tokio::test]
async fn transparency_is_kept_or_flattened_on_white() {
    let (_dir, state) = app(&[]).await;
    let (_, body) = get(&state, "/disc.png?w=100").await;
    let rgba = decode(&body).to_rgba8();
    assert_eq!(rgba.get_pixel(1, 1).0[3], 0, "corner stays transparent");
    assert_eq!(rgba.get_pixel(50, 50).0, [30, 200, 30, 255]);
    let (_, body) = get(&state, "/disc.png?w=100&f=jpeg").await;
    let rgb = decode(&body).to_rgb8();
    assert!(rgb.get_pixel(1, 1).0.iter().all(|&c| c > 240), "corner not white: {:?}", rgb.get_pixel(1, 1));
}

#[tokio::test]
async fn no_parameters_serves_the_original_bytes() {
    let (dir, state) = app(&[]).await;
    let (response, body) = get(&state, "/photo.gif").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "image/gif");
    assert_eq!(body, std::fs::read(dir.path().join("photo.gif")).unwrap());
}

#[tokio::test]
async fn head_has_headers_and_no_body() {
    let (_dir, state) = app(&[]).await;
    let (get_response, get_body) = get(&state, "/photo.jpg?w=100").await;
    let (response, body) = send(&state, Request::head("/photo.jpg?w=100").body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(body.is_empty());
    assert_eq!(header(&response, "content-length"), get_body.len().to_string());
    assert_eq!(header(&response, "etag"), header(&get_response, "etag"));
}

#[tokio::test]
async fn if_none_match_gives_304() {
    let (_dir, state) = app(&[]).await;
    let (response, _) = get(&state, "/photo.jpg?w=100").await;
    let etag = header(&response, "etag").to_owned();
    let request =
        Request::get("/photo.jpg?w=100").header("if-none-match", &etag).body(Body::empty()).unwrap();
    let (response, body) = send(&state, request).await;
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    assert_eq!(header(&response, "etag"), etag);
    // Answered from the cached variant: a hit, as the log and metrics count it.
    assert_eq!(header(&response, "x-cache"), "HIT");
}

/// Other methods: a JSON 405 like every other error, with `Allow`, and
/// never stored (it depends on the method, not on the URL).
#[tokio::test]
async fn other_methods_are_a_json_405_not_stored() {
    let (_dir, state) = app(&["--playground=true"]).await;
    for uri in ["/photo.jpg?w=100", "/healthz", "/"] {
        let request = Request::post(uri).body(Body::from("x")).unwrap();
        let (response, body) = send(&state, request).await;
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{uri}");
        assert_eq!(header(&response, "allow"), "GET, HEAD", "{uri}");
        assert_eq!(header(&response, "cache-control"), "no-store", "{uri}");
        assert_eq!(header(&response, "content-type"), "application/json", "{uri}");
        assert_eq!(json(&body)["code"], "method_not_allowed", "{uri}");
    }
}

#[tokio::test]
async fn bad_requests_are_400_naming_the_problem() {
    let (_dir, state) = app(&[]).await;
    let cases = [
        ("/photo.jpg?w=abc", "`w`"),
        ("/photo.jpg?q=0", "`q`"),
        ("/photo.jpg?q=101", "`q`"),
        ("/photo.jpg?f=bmp", "`f`"),
        ("/photo.jpg?anim=maybe", "`anim`"),
        ("/photo.jpg?zz=1", "`zz`"),
        ("/photo.jpg?w=9000", "`w`"),
        ("/../etc/passwd", "`..`"),
        ("/%2e%2e/etc/passwd", "`..`"),
        ("/a/%2F/etc", "segments"),
        ("/a%00b.jpg", "NUL"),
    ];
    for (uri, needle) in cases {
        let (response, body) = get(&state, uri).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(header(&response, "content-type"), "application/json", "{uri}");
        assert_eq!(header(&response, "cache-control"), "public, max-age=60", "{uri}");
        let json = json(&body);
        assert!(json["code"].is_string(), "{uri}: {json}");
        let message = json["message"].as_str().unwrap();
        assert!(message.contains(needle), "{uri}: {message}");
    }
    assert_eq!(renders(&state).await, 0);
}

#[tokio::test]
async fn missing_keys_are_404_json() {
    // `/` is the playground when it is on (tests/playground.rs).
    let (_dir, state) = app(&["--playground=false"]).await;
    for uri in ["/nope.jpg?w=10", "/nope.jpg", "/sub%20dir?w=10", "/"] {
        let (response, body) = get(&state, uri).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(json(&body)["code"], "not_found", "{uri}");
        assert_eq!(header(&response, "cache-control"), "public, max-age=60");
    }
}

#[tokio::test]
async fn unprocessable_sources_are_422() {
    let (_dir, state) = app(&[]).await;
    let (_dir1, small) = app(&["--max-source-pixels=100000"]).await;
    let (_dir2, tiny) = app(&["--max-source-bytes=100"]).await;
    let cases = [
        (&state, "/notes.jpg?w=10", "unsupported_format"),
        (&state, "/notes.jpg", "unsupported_format"),
        (&state, "/truncated.jpg?w=10", "undecodable"),
        (&state, "/truncated.jpg", "undecodable"), // originals are verified too
        (&small, "/photo.jpg?w=10", "too_many_pixels"), // 640×480 > 100 000
        (&small, "/photo.jpg", "too_many_pixels"),
        (&tiny, "/photo.jpg?w=10", "source_too_large"),
    ];
    for (state, uri, code) in cases {
        let (response, body) = get(state, uri).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{uri}");
        assert_eq!(json(&body)["code"], code, "{uri}");
    }
    // The codes say where each stopped: `source_too_large` while fetching,
    // `too_many_pixels` at the header probe, before any decoder exists
    // (edgepix-core's probe tests), `undecodable` in the decoder.
}

#[tokio::test]
async fn healthz() {
    let (_dir, state) = app(&[]).await;
    let (response, body) = get(&state, "/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body, b"ok");
}

#[tokio::test]
async fn truncated_png_is_422_unless_strict_decoding_is_off() {
    let png = encode(&DynamicImage::ImageRgb8(halves(200, 100)), ImageFormat::Png);
    let truncated = &png[..png.len() * 6 / 10];
    for (extra, want) in
        [(&[][..], StatusCode::UNPROCESSABLE_ENTITY), (&["--strict-decode=false"][..], StatusCode::OK)]
    {
        let (dir, state) = app(extra).await;
        std::fs::write(dir.path().join("cut.png"), truncated).unwrap();
        let (response, body) = get(&state, "/cut.png?w=100").await;
        assert_eq!(response.status(), want, "{extra:?}");
        if want == StatusCode::OK {
            assert_eq!(decode(&body).width(), 100);
        } else {
            assert_eq!(json(&body)["code"], "undecodable", "{}", json(&body));
        }
    }
}
