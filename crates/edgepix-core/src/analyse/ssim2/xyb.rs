//! From packed 8-bit sRGB to what SSIMULACRA2 compares: linear light at
//! each scale (2×2 averages), then XYB shifted into 0..1.

use super::{Planes, SCALES};

/// Opsin absorbance matrix and bias of XYB (libjxl's `opsin_params.h`).
const OPSIN: [[f32; 3]; 3] =
    [[0.30, 0.622, 0.078], [0.23, 0.692, 0.078], [0.243_422_69, 0.204_767_45, 0.551_809_86]];
const BIAS: f32 = 0.003_793_073_4;

/// Linear-light RGB planes at each scale that is scored, with their sizes.
/// As in libjxl, a scale is computed while the one before it is at least
/// 8×8; odd sizes repeat their last row or column.
/// Written into `levels`, whose buffers are reused.
pub(super) fn pyramid(rgb: &[u8], width: usize, height: usize, levels: &mut Vec<(Planes, usize, usize)>) {
    let lut: Vec<f32> = (0..=255u8).map(|v| srgb_to_linear(f32::from(v) / 255.0)).collect();
    let mut count = 1;
    let (mut w, mut h) = (width, height);
    while count < SCALES && w >= 8 && h >= 8 {
        (w, h, count) = (w.div_ceil(2), h.div_ceil(2), count + 1);
    }
    levels.resize_with(count, Default::default);
    levels.truncate(count);
    let (first, _) = levels.split_at_mut(1);
    let (planes, w0, h0) = &mut first[0];
    (*w0, *h0) = (width, height);
    for p in planes.iter_mut() {
        p.resize(width * height, 0.0);
    }
    let [r, g, b] = planes;
    for (((px, r), g), b) in rgb.chunks_exact(3).zip(r.iter_mut()).zip(g.iter_mut()).zip(b.iter_mut()) {
        (*r, *g, *b) = (lut[usize::from(px[0])], lut[usize::from(px[1])], lut[usize::from(px[2])]);
    }
    for i in 1..count {
        let (done, rest) = levels.split_at_mut(i);
        let (source, w, h) = &done[i - 1];
        let (target, tw, th) = &mut rest[0];
        (*tw, *th) = (w.div_ceil(2), h.div_ceil(2));
        for (s, t) in source.iter().zip(target.iter_mut()) {
            halve(s, *w, *h, t);
        }
    }
}

fn srgb_to_linear(v: f32) -> f32 {
    if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
}

/// 2×2 box average; an odd last column or row averages with itself.
fn halve(plane: &[f32], w: usize, h: usize, out: &mut Vec<f32>) {
    let (ow, oh) = (w.div_ceil(2), h.div_ceil(2));
    out.resize(ow * oh, 0.0);
    for (oy, row) in out.chunks_exact_mut(ow).enumerate() {
        let (a, b) = (&plane[2 * oy * w..][..w], &plane[(2 * oy + 1).min(h - 1) * w..][..w]);
        for (ox, o) in row.iter_mut().enumerate() {
            let (x0, x1) = (2 * ox, (2 * ox + 1).min(w - 1));
            *o = (a[x0] + a[x1] + b[x0] + b[x1]) * 0.25;
        }
    }
}

/// Linear RGB to XYB, shifted into 0..1 as SSIMULACRA2 does (X × 14 + 0.42,
/// Y + 0.01, B − Y + 0.55), into `out`; planes not `wanted` are left empty.
pub(super) fn to_xyb([r, g, b]: &Planes, wanted: [bool; 3], out: &mut Planes) {
    let bias_root = cbrt(BIAS);
    let n = r.len();
    for (plane, wanted) in out.iter_mut().zip(wanted) {
        plane.resize(if wanted { n } else { 0 }, 0.0);
    }
    let [m0, m1, m2] = OPSIN;
    let mix = |m: [f32; 3], r: f32, g: f32, b: f32| {
        cbrt((m[0] * r + m[1] * g + m[2] * b).max(0.0) + BIAS) - bias_root
    };
    let [x_out, y_out, b_out] = out;
    if wanted == [false, true, false] {
        // Full size: only Y counts, and two cube roots of three are enough.
        for (i, o) in y_out.iter_mut().enumerate() {
            *o = 0.5 * (mix(m0, r[i], g[i], b[i]) + mix(m1, r[i], g[i], b[i])) + 0.01;
        }
        return;
    }
    x_out.resize(n, 0.0);
    y_out.resize(n, 0.0);
    b_out.resize(n, 0.0);
    for i in 0..n {
        let (r, g, b) = (r[i], g[i], b[i]);
        let (l, m) = (mix(m0, r, g, b), mix(m1, r, g, b));
        let (x, y) = (0.5 * (l - m), 0.5 * (l + m));
        x_out[i] = x * 14.0 + 0.42;
        y_out[i] = y + 0.01;
        b_out[i] = (mix(m2, r, g, b) - y) + 0.55;
    }
    // Planes not wanted are emptied (the loop above is the vectorised one).
    for (plane, wanted) in out.iter_mut().zip(wanted) {
        if !wanted {
            plane.clear();
        }
    }
}

/// Cube root of a positive value: a bit-level first guess and three Newton
/// steps (exact to a few `f32` ulps), several times cheaper than libm's.
#[inline(always)]
pub(super) fn cbrt(v: f32) -> f32 {
    let mut y = f32::from_bits(v.to_bits() / 3 + 709_921_077);
    for _ in 0..3 {
        y = (2.0 * y + v / (y * y)) * (1.0 / 3.0);
    }
    y
}
