use super::*;

/// A photo-like test card: gradients, hard edges, fine texture and a
/// saturated patch (all things JPEG treats differently).
fn card(w: usize, h: usize) -> Vec<u8> {
    let mut seed = 0x2545_f491u32;
    let mut noise = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        (seed % 48) as f32
    };
    (0..w * h)
        .flat_map(|i| {
            let (x, y) = ((i % w) as f32, (i / w) as f32);
            let wave = 60.0 * ((x * 0.21).sin() * (y * 0.13).cos());
            let edge = if (x / 37.0) as u32 % 2 == (y / 29.0) as u32 % 2 { 40.0 } else { -40.0 };
            let n = noise();
            let red = if (x - 60.0).hypot(y - 50.0) < 25.0 { 230.0 } else { 90.0 + wave };
            [red + n * 0.3, 120.0 + edge + n, 140.0 - wave * 0.5 + edge * 0.5]
        })
        .map(|v| v.clamp(0.0, 255.0) as u8)
        .collect()
}

fn jpeg_round_trip(rgb: &[u8], w: usize, h: usize, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, quality)
        .encode(rgb, w as u16, h as u16, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    jpeg_decoder::Decoder::new(out.as_slice()).decode().unwrap()
}

/// The `ssimulacra2` crate's score of packed RGB `b` against `a` (the
/// other implementation, for this module's and the search's tests).
pub(crate) fn crate_score(a: &[u8], b: &[u8], w: usize, h: usize) -> f64 {
    use ssimulacra2::{ColorPrimaries, Rgb, TransferCharacteristic, compute_frame_ssimulacra2};
    let frame = |p: &[u8]| {
        let px = p.chunks_exact(3).map(|c| [0, 1, 2].map(|i| f32::from(c[i]) / 255.0)).collect();
        Rgb::new(px, w, h, TransferCharacteristic::SRGB, ColorPrimaries::BT709).unwrap()
    };
    compute_frame_ssimulacra2(frame(a), frame(b)).unwrap()
}

/// Measured: ours runs 0.05 to 0.55 above the crate's (the blur kernels
/// differ), most at heavy distortion, 0.2-0.3 between 55 and 70.
#[test]
fn scores_agree_with_the_ssimulacra2_crate() {
    let (w, h) = (203, 151); // odd sizes: the pyramid repeats edges
    let card = card(w, h);
    let mut reference = Reference::new(&card, w, h).unwrap();
    for quality in [20, 30, 45, 60, 70, 85, 95] {
        let distorted = jpeg_round_trip(&card, w, h, quality);
        let (ours, theirs) = (reference.score(&distorted), crate_score(&card, &distorted, w, h));
        assert!((ours - theirs).abs() < 0.6, "q{quality}: ours {ours:.3}, ssimulacra2 crate {theirs:.3}");
    }
}

#[test]
fn identical_images_score_100_and_more_loss_scores_lower() {
    let (w, h) = (96, 64);
    let card = card(w, h);
    let mut reference = Reference::new(&card, w, h).unwrap();
    assert!((reference.score(&card) - 100.0).abs() < 1e-6);
    let scores: Vec<f64> =
        [90, 60, 30, 10].iter().map(|&q| reference.score(&jpeg_round_trip(&card, w, h, q))).collect();
    assert!(scores.windows(2).all(|s| s[0] > s[1]), "{scores:?}");
}

#[test]
fn too_small_or_mismatched_images_have_no_reference() {
    assert!(Reference::new(&[0; 7 * 8 * 3], 7, 8).is_none());
    assert!(Reference::new(&[0; 8 * 8 * 3], 8, 9).is_none());
    assert!(Reference::new(&[0; 8 * 8 * 3], 8, 8).is_some());
}

#[test]
fn cube_root_is_exact_to_a_few_ulps() {
    for v in [0.003_793_073_4f32, 0.01, 0.2, 0.5, 1.0, 1.004] {
        assert!((super::xyb::cbrt(v) - v.cbrt()).abs() <= 4.0 * f32::EPSILON * v.cbrt(), "{v}");
    }
}
