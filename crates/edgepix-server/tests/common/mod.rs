//! Shared helpers for the router tests: a folder of generated images, a
//! router over it, and request/decode shortcuts.

#![allow(dead_code)]

pub mod held;

use std::io::Cursor;
use std::path::Path;

use axum::body::Body;
use axum::http::{Request, Response};
use edgepix_server::{AppState, Config, Deployment, router};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use tower::ServiceExt;

/// A 640×480 image: left half red, right half blue, so orientation and
/// cropping are visible in the output.
pub fn halves(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(
        width,
        height,
        |x, _| {
            if x < width / 2 { Rgb([220, 20, 20]) } else { Rgb([20, 20, 220]) }
        },
    )
}

/// RGBA: opaque green disc on a fully transparent background.
pub fn disc(size: u32) -> RgbaImage {
    let r = size as f32 / 2.0;
    RgbaImage::from_fn(size, size, |x, y| {
        let d = ((x as f32 - r).powi(2) + (y as f32 - r).powi(2)).sqrt();
        if d < r * 0.8 { Rgba([30, 200, 30, 255]) } else { Rgba([0, 0, 0, 0]) }
    })
}

pub fn encode(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// Insert an EXIF APP1 segment carrying `orientation` right after SOI.
pub fn with_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08\0\x01".to_vec(); // big-endian, IFD at 8, one entry
    tiff.extend_from_slice(&[0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1]); // 0x0112 SHORT count 1
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]); // padding + next IFD = 0
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// Write the standard fixture set into `dir`.
pub fn write_fixtures(dir: &Path) {
    let photo = DynamicImage::ImageRgb8(halves(640, 480));
    let jpeg = encode(&photo, ImageFormat::Jpeg);
    std::fs::write(dir.join("truncated.jpg"), &jpeg[..jpeg.len() / 2]).unwrap();
    std::fs::write(dir.join("photo.jpg"), jpeg).unwrap();
    let portrait = DynamicImage::ImageRgb8(halves(64, 32));
    let rotated = with_orientation(&encode(&portrait, ImageFormat::Jpeg), 6);
    std::fs::write(dir.join("rotated.jpg"), rotated).unwrap();
    std::fs::write(dir.join("disc.png"), encode(&DynamicImage::ImageRgba8(disc(200)), ImageFormat::Png))
        .unwrap();
    std::fs::write(dir.join("photo.gif"), encode(&photo, ImageFormat::Gif)).unwrap();
    std::fs::write(dir.join("notes.jpg"), b"this is not an image").unwrap();
    std::fs::create_dir_all(dir.join("sub dir")).unwrap();
    std::fs::write(dir.join("sub dir/ünï.png"), encode(&photo, ImageFormat::Png)).unwrap();
}

/// Configuration for a folder, with extra flags.
pub fn config(dir: &Path, extra: &[&str]) -> Config {
    let source = format!("--source={}", dir.display());
    let args = ["edgepix", source.as_str()].into_iter().chain(extra.iter().copied());
    Config::parse_from(args, Deployment::DevServer).unwrap()
}

/// A fixture folder and the state of a server over it.
pub async fn app(extra: &[&str]) -> (tempfile::TempDir, AppState) {
    let dir = tempfile::tempdir().unwrap();
    write_fixtures(dir.path());
    let state = AppState::from_config(&config(dir.path(), extra)).await.unwrap();
    (dir, state)
}

pub async fn send(state: &AppState, request: Request<Body>) -> (Response<Body>, Vec<u8>) {
    let response = router(state.clone()).oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap().to_vec();
    (Response::from_parts(parts, Body::empty()), bytes)
}

pub async fn get(state: &AppState, uri: &str) -> (Response<Body>, Vec<u8>) {
    send(state, Request::get(uri).body(Body::empty()).unwrap()).await
}

pub fn header<'a>(response: &'a Response<Body>, name: &str) -> &'a str {
    response.headers().get(name).map(|v| v.to_str().unwrap()).unwrap_or("")
}

/// Decode an output. JPEG goes through jpeg-decoder: zune-jpeg (image's
/// JPEG decoder) misreads JFIF files whose components are numbered from 0,
/// as jpeg-encoder writes them, while libjpeg-turbo, Pillow and browsers
/// read them as YCbCr.
pub fn decode(bytes: &[u8]) -> DynamicImage {
    if image::guess_format(bytes).unwrap() != ImageFormat::Jpeg {
        return image::load_from_memory(bytes).unwrap();
    }
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    let pixels = decoder.decode().unwrap();
    let info = decoder.info().unwrap();
    assert_eq!(info.pixel_format, jpeg_decoder::PixelFormat::RGB24);
    DynamicImage::ImageRgb8(RgbImage::from_raw(info.width.into(), info.height.into(), pixels).unwrap())
}

pub fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).unwrap()
}

/// How many times the pipeline ran, by the server's own metrics: every
/// render records its decode stage once (Prometheus must be on, as it is
/// by default for the dev server).
pub async fn renders(state: &AppState) -> u64 {
    let (_, body) = get(state, "/metrics").await;
    let text = String::from_utf8(body).unwrap();
    let line = text.lines().find(|l| l.starts_with(r#"edgepix_stage_seconds_count{stage="decode"}"#));
    line.map_or(0, |l| l.rsplit(' ').next().unwrap().parse().unwrap())
}
