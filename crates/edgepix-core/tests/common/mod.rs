//! Helpers for the corpus-based fidelity tests: where the corpus is, running
//! the pipeline, and comparing images perceptually (SSIMULACRA2).
#![allow(dead_code)]

pub mod anim;

use std::path::PathBuf;

use edgepix_core::{EncoderSettings, Limits, Params, Plan, probe, process};
use image::{DynamicImage, RgbaImage};
use ssimulacra2::{ColorPrimaries, Rgb, TransferCharacteristic, compute_frame_ssimulacra2};

/// The workspace root (relative `EDGEPIX_CORPUS` values are taken from it,
/// as `.ci/run` and the README use them).
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The corpus folder. The tests that need it are `#[ignore]`d (so that
/// `cargo test` on a fresh clone does not report as passed a test that could
/// not run); one asked to run without it fails, saying so.
pub fn corpus() -> PathBuf {
    let dir = std::env::var("EDGEPIX_CORPUS").unwrap_or_else(|_| "../shared/corpus".into());
    let dir = workspace().join(dir);
    assert!(dir.join("MANIFEST.tsv").is_file(), "no corpus at {} (set EDGEPIX_CORPUS)", dir.display());
    dir
}

/// Run the pipeline on an original with a query string.
pub fn render_bytes(bytes: &[u8], query: &str, settings: &EncoderSettings) -> Vec<u8> {
    let limits = Limits::default();
    let probe = probe(bytes, &limits).expect("probe");
    let params = Params::parse(query, &limits).expect("query");
    process(bytes, &Plan::new(&probe, &params, settings).expect("plan"), &limits).expect("process").bytes
}

/// Run the pipeline (to a format `image` reads: PNG or WebP) and decode.
pub fn render(bytes: &[u8], query: &str, settings: &EncoderSettings) -> (DynamicImage, Vec<u8>) {
    let out = render_bytes(bytes, query, settings);
    (image::load_from_memory(&out).expect("edgepix output decodes"), out)
}

/// SSIMULACRA2 of `distorted` against `reference` (100: identical, 90:
/// visually lossless, 70: high quality, 50: medium). Images with alpha are
/// composited on black and on white and the worse score counts, so both
/// colour under transparency and the alpha itself matter.
pub fn ssimulacra2(reference: &DynamicImage, distorted: &DynamicImage) -> f64 {
    assert_eq!(
        (reference.width(), reference.height()),
        (distorted.width(), distorted.height()),
        "sizes differ"
    );
    let (a, b) = (reference.to_rgba8(), distorted.to_rgba8());
    [0.0, 1.0]
        .into_iter()
        .map(|bg| compute_frame_ssimulacra2(on(&a, bg), on(&b, bg)).expect("ssimulacra2"))
        .fold(f64::INFINITY, f64::min)
}

fn on(image: &RgbaImage, bg: f32) -> Rgb {
    let data = image
        .pixels()
        .map(|p| {
            let a = f32::from(p.0[3]) / 255.0;
            [0, 1, 2].map(|c| f32::from(p.0[c]) / 255.0 * a + bg * (1.0 - a))
        })
        .collect();
    let (w, h) = (image.width() as usize, image.height() as usize);
    Rgb::new(data, w, h, TransferCharacteristic::SRGB, ColorPrimaries::BT709).expect("rgb")
}

/// The largest difference of any channel of any pixel.
pub fn max_error(a: &DynamicImage, b: &DynamicImage) -> u8 {
    let (a, b) = (a.to_rgba8(), b.to_rgba8());
    a.as_raw().iter().zip(b.as_raw()).map(|(x, y)| x.abs_diff(*y)).max().unwrap_or(0)
}

/// Pearson correlation of the two images' luma: 1 for the same picture
/// whatever its brightness, contrast or colour cast; near 0 (or negative)
/// for a different picture, including the same one flipped or turned.
/// Used where colours legitimately differ but the geometry must match.
pub fn luma_correlation(a: &DynamicImage, b: &DynamicImage) -> f64 {
    let (a, b) = (a.to_luma8(), b.to_luma8());
    assert_eq!(a.dimensions(), b.dimensions(), "sizes differ");
    let n = a.as_raw().len() as f64;
    let mean = |v: &[u8]| v.iter().map(|&x| f64::from(x)).sum::<f64>() / n;
    let (ma, mb) = (mean(a.as_raw()), mean(b.as_raw()));
    let (mut ab, mut aa, mut bb) = (0.0, 0.0, 0.0);
    for (&x, &y) in a.as_raw().iter().zip(b.as_raw()) {
        let (x, y) = (f64::from(x) - ma, f64::from(y) - mb);
        (ab, aa, bb) = (ab + x * y, aa + x * x, bb + y * y);
    }
    ab / (aa * bb).sqrt()
}
