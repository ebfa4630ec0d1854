//! Animations in the tests: decoding every frame of an output (`image`'s
//! GIF decoder and image-webp, which composite each frame as browsers do) with its delay and the loop count, and the reference frames that
//! `tests/golden/anim_refs.py` writes (Pillow's composited frames, resized
//! with Lanczos).

use std::io::Cursor;
use std::path::Path;

use image::codecs::gif::GifDecoder;
use image::{AnimationDecoder, DynamicImage, RgbaImage};

/// An animation's frames, their delays in ms and its loop count (0: forever).
pub struct Animation {
    pub frames: Vec<RgbaImage>,
    pub delays_ms: Vec<u32>,
    pub loops: Option<u64>,
}

/// Every frame of a GIF or WebP file, composited.
pub fn decode(bytes: &[u8]) -> Animation {
    let (frames, delays_ms) = if bytes.starts_with(b"GIF") { gif_frames(bytes) } else { webp_frames(bytes) };
    Animation { frames, delays_ms, loops: loops(bytes) }
}

fn gif_frames(bytes: &[u8]) -> (Vec<RgbaImage>, Vec<u32>) {
    let frames = GifDecoder::new(Cursor::new(bytes)).expect("gif").into_frames().collect_frames();
    let frames = frames.expect("every frame decodes");
    let delay = |f: &image::Frame| {
        let (n, d) = f.delay().numer_denom_ms();
        (n + d / 2) / d.max(1)
    };
    let delays = frames.iter().map(delay).collect();
    (frames.into_iter().map(image::Frame::into_buffer).collect(), delays)
}

/// image-webp directly, its canvas starting transparent as libwebp's
/// demuxer and browsers start it. (Through `image`'s `into_frames`, the
/// frames after a dispose-to-background frame of a libwebp-made file came
/// out unlike libwebp's own decoding; this way they match it.)
fn webp_frames(bytes: &[u8]) -> (Vec<RgbaImage>, Vec<u32>) {
    let mut decoder = image_webp::WebPDecoder::new(Cursor::new(bytes)).expect("webp");
    decoder.set_background_color([0; 4]).expect("an animation");
    let (width, height) = decoder.dimensions();
    let channels = if decoder.has_alpha() { 4 } else { 3 };
    let mut buffer = vec![0; decoder.output_buffer_size().expect("size")];
    let (mut frames, mut delays) = (Vec::new(), Vec::new());
    for _ in 0..decoder.num_frames() {
        delays.push(decoder.read_frame(&mut buffer).expect("every frame decodes"));
        let frame = if channels == 4 {
            RgbaImage::from_raw(width, height, buffer.clone()).expect("rgba")
        } else {
            DynamicImage::ImageRgb8(image::RgbImage::from_raw(width, height, buffer.clone()).expect("rgb"))
                .to_rgba8()
        };
        frames.push(frame);
    }
    (frames, delays)
}

/// The loop count: the NETSCAPE block's (GIF; none: played once) or the
/// ANIM chunk's (WebP).
fn loops(bytes: &[u8]) -> Option<u64> {
    if bytes.starts_with(b"GIF") {
        let mut decoder = gif::DecodeOptions::new().read_info(bytes).expect("gif");
        while decoder.read_next_frame().expect("gif frame").is_some() {}
        match decoder.repeat() {
            gif::Repeat::Infinite => Some(0),
            gif::Repeat::Finite(0) => None,
            gif::Repeat::Finite(n) => Some(u64::from(n)),
        }
    } else {
        let decoder = image_webp::WebPDecoder::new(Cursor::new(bytes)).expect("webp");
        match decoder.loop_count() {
            image_webp::LoopCount::Forever => Some(0),
            image_webp::LoopCount::Times(n) => Some(u64::from(n.get())),
        }
    }
}

/// The reference frames of `file` in `refs` (made by `make_refs.py`).
pub fn reference(refs: &Path, file: &str) -> (Animation, u32) {
    let folder = refs.join("anim").join(file);
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("meta.json")).expect("meta.json")).expect("json");
    let count = meta["frames"].as_u64().expect("frames");
    let frames = (0..count)
        .map(|i| image::open(folder.join(format!("{i:03}.png"))).expect("reference frame").to_rgba8())
        .collect();
    let delays_ms = meta["delays_ms"].as_array().expect("delays").iter().map(|d| d.as_u64().unwrap() as u32);
    let animation = Animation { frames, delays_ms: delays_ms.collect(), loops: meta["loop"].as_u64() };
    (animation, meta["width"].as_u64().expect("width") as u32)
}

/// Each frame's SSIMULACRA2 against the reference's.
pub fn scores(reference: &Animation, ours: &Animation) -> Vec<f64> {
    let rgba = |f: &RgbaImage| DynamicImage::ImageRgba8(f.clone());
    reference.frames.iter().zip(&ours.frames).map(|(r, o)| super::ssimulacra2(&rgba(r), &rgba(o))).collect()
}

/// Start times, in ms, of each frame.
fn starts(delays: &[u32]) -> Vec<u32> {
    delays.iter().scan(0, |t, d| Some(std::mem::replace(t, *t + d))).collect()
}

/// The reference frames shown when each of `ours` starts, in order.
pub fn aligned(reference: &Animation, ours: &Animation, case: &str) -> Animation {
    let (theirs, mine) = (starts(&reference.delays_ms), starts(&ours.delays_ms));
    let total = |a: &Animation| a.delays_ms.iter().sum::<u32>();
    assert_eq!(total(ours), total(reference), "{case}: the animation's length");
    let frames = mine
        .iter()
        .map(|t| {
            let i = theirs.iter().position(|s| s == t);
            let i = i.unwrap_or_else(|| panic!("{case}: a frame starts at {t} ms, no source frame does"));
            reference.frames[i].clone()
        })
        .collect();
    Animation { frames, delays_ms: ours.delays_ms.clone(), loops: reference.loops }
}
