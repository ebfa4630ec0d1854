//! HDR AVIF (PQ or HLG transfer) to an SDR sRGB image: linear light in
//! nits relative to diffuse white (203 nits, ITU-R BT.2408), the primaries
//! (BT.2020 or Display P3) to sRGB's, then a curve on each pixel's largest
//! channel (so hue is kept and nothing clips) that is the identity up to
//! 0.8 of white and rolls everything brighter off smoothly towards 1,
//! instead of clipping highlights, and the sRGB curve.
//! What comes out is a tone-mapped rendition, not the base image a gain-map
//! file would carry (AVIF HDR here has none).

use std::sync::LazyLock;

use edgepix_av1::Picture;

use super::yuv_rgb::{self, Coding, Target, quantise};

/// Diffuse white in nits (BT.2408), and the display peak HLG is rendered for.
const WHITE: f32 = 203.0;
const PEAK: f32 = 1000.0;

/// Samples of the transfer curves: a lookup with linear interpolation
/// instead of a `powf` or `exp` per channel.
const STEPS: usize = 4096;

fn pq_nits(e: f32) -> f32 {
    let (m1, m2, c1, c2, c3) = (0.159_301_76, 78.843_75, 0.835_937_5, 18.851_563, 18.6875);
    let p = e.max(0.0).powf(1.0 / m2);
    ((p - c1).max(0.0) / (c2 - c3 * p)).powf(1.0 / m1) * 10_000.0
}

/// HLG's inverse OETF and the BT.2100 OOTF for a 1000-nit display (γ 1.2),
/// applied per channel (close to the luminance-based OOTF away from
/// saturated colours, and far cheaper).
fn hlg_nits(e: f32) -> f32 {
    let (a, b, c) = (0.178_832_77, 0.284_668_92, 0.559_910_7);
    let e = e.clamp(0.0, 1.0);
    let scene = if e <= 0.5 { e * e / 3.0 } else { (((e - c) / a).exp() + b) / 12.0 };
    PEAK * scene.powf(1.2)
}

fn table(curve: fn(f32) -> f32) -> Vec<f32> {
    (0..=STEPS).map(|i| curve(i as f32 / STEPS as f32)).collect()
}

static PQ: LazyLock<Vec<f32>> = LazyLock::new(|| table(pq_nits));
static HLG: LazyLock<Vec<f32>> = LazyLock::new(|| table(hlg_nits));

fn lookup(table: &[f32], e: f32) -> f32 {
    let at = e.clamp(0.0, 1.0) * STEPS as f32;
    let i = (at as usize).min(STEPS - 1);
    table[i] + (table[i + 1] - table[i]) * (at - i as f32)
}

/// Linear BT.2020 or Display P3 to linear sRGB (BT.709) primaries.
fn to_bt709(primaries: u8) -> [[f32; 3]; 3] {
    match primaries {
        9 => [[1.6605, -0.5876, -0.0728], [-0.1246, 1.1329, -0.0083], [-0.0182, -0.1006, 1.1187]],
        12 => [[1.2249, -0.2247, 0.0], [-0.0421, 1.0419, 0.0], [-0.0197, -0.0786, 1.0979]],
        _ => [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
    }
}

fn srgb(v: f32) -> f32 {
    if v <= 0.003_130_8 { 12.92 * v } else { 1.055 * v.powf(1.0 / 2.4) - 0.055 }
}

/// Below it the curve is the identity; above, it approaches 1 with slope 1 at the knee.
const KNEE: f32 = 0.8;

/// The roll-off on the largest channel, applied to all three.
pub(super) fn tone_map(rgb: [f32; 3]) -> [f32; 3] {
    let max = rgb[0].max(rgb[1]).max(rgb[2]);
    if max <= KNEE {
        return rgb;
    }
    let mapped = KNEE + (1.0 - KNEE) * (1.0 - (-(max - KNEE) / (1.0 - KNEE)).exp());
    rgb.map(|c| c * mapped / max)
}

/// Convert an HDR `picture` (transfer 16 PQ or 18 HLG) into 8-bit sRGB.
pub(super) fn convert(picture: &Picture<'_>, coding: Coding, transfer: u16, target: &mut Target<'_>) {
    let curve: &[f32] = if transfer == 16 { &PQ } else { &HLG };
    let matrix = to_bt709(picture.colour.primaries);
    yuv_rgb::convert_with(picture, coding, target, |encoded| {
        let nits = encoded.map(|e| lookup(curve, e) / WHITE);
        let linear = matrix.map(|m| (m[0] * nits[0] + m[1] * nits[1] + m[2] * nits[2]).max(0.0));
        tone_map(linear).map(|v| quantise(srgb(v)))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curves_hit_their_reference_points() {
        assert!((pq_nits(1.0) - 10_000.0).abs() < 1.0);
        assert!((pq_nits(0.58) - 203.0).abs() < 10.0, "{}", pq_nits(0.58));
        assert!((hlg_nits(1.0) - 1000.0).abs() < 1.0);
        assert!((hlg_nits(0.75) - 203.0).abs() < 25.0, "{}", hlg_nits(0.75));
    }

    #[test]
    fn midtones_stay_white_stays_near_white_and_highlights_roll_off() {
        assert_eq!(tone_map([0.18, 0.5, 0.7]), [0.18, 0.5, 0.7]);
        let white = tone_map([1.0; 3])[0];
        assert!(white > 0.9 && white < 0.95, "{white}");
        let peak = tone_map([PEAK / WHITE; 3])[0];
        assert!(peak > 0.999 && peak <= 1.0, "{peak}");
        let brighter = |a: f32, b: f32| tone_map([a; 3])[0] < tone_map([b; 3])[0];
        assert!(brighter(0.5, 1.0) && brighter(1.0, 2.0) && brighter(2.0, 4.0));
        // Hue kept: a saturated highlight keeps its channel ratios.
        let [r, g, b] = tone_map([3.0, 1.5, 0.3]);
        assert!((g / r - 0.5).abs() < 1e-6 && (b / r - 0.1).abs() < 1e-6 && r <= 1.0);
    }
}
