//! SSIMULACRA2 (Jon Sneyers' perceptual metric, published with libjxl as
//! `tools/ssimulacra2`), written for the `q=auto` search. The search scores
//! one reference against two or three candidate encodes inside a request,
//! so the reference's half of the work (its XYB pyramid, its blurred planes)
//! is done once in [`Reference::new`], and the rest is plain `f32` loops the
//! compiler vectorises. The `ssimulacra2` crate (the golden tests' scorer)
//! took 550 ms for one 800×600 pair on this project's machine, more than a
//! whole request; this takes a few percent of that (BENCHMARKS.md, `q=auto`).
//!
//! The steps are the published ones: linear sRGB, six scales by 2×2
//! averaging in linear light, XYB shifted positive, and per scale and
//! channel an SSIM map without the luminance denominator plus "artifact"
//! and "detail lost" edge maps, each summarised by its mean and 4-norm;
//! 108 weighted features and the published non-linear mapping give the
//! score. One difference: the Gaussian (σ 1.5) is an exact truncated kernel
//! of radius 5 instead of libjxl's recursive approximation; both treat
//! pixels outside the image as zero. A test holds the scores within 0.6
//! point of the `ssimulacra2` crate's (ours are a little higher).

/// Scales scored (1:1 to 1:32).
const SCALES: usize = 6;
/// Gaussian kernel radius (σ 1.5 reaches 3.3 σ).
const RADIUS: usize = 5;
const SIGMA: f32 = 1.5;
/// SSIM's stabilising constant (C2; C1 is not used).
const C2: f32 = 0.0009;

/// Opsin absorbance matrix and bias of XYB (libjxl's `opsin_params.h`).
const OPSIN: [[f32; 3]; 3] =
    [[0.30, 0.622, 0.078], [0.23, 0.692, 0.078], [0.243_422_69, 0.204_767_45, 0.551_809_86]];
const BIAS: f32 = 0.003_793_073_4;

/// The feature weights, published with libjxl's `tools/ssimulacra2.cc`
/// (BSD-3-Clause), in its order: channel, scale, norm, then SSIM,
/// artifact, detail lost.
#[rustfmt::skip]
const WEIGHT: [f64; 108] = [
    0.0, 0.0007376606707406586, 0.0, 0.0, 0.0007793481682867309, 0.0,
    0.0, 0.0004371155730107379, 0.0, 1.1041726426657346, 0.00066284834129271, 0.00015231632783718752,
    0.0, 0.0016406437456599754, 0.0, 1.8422455520539298, 11.441172603757666, 0.0,
    0.0007989109436015163, 0.000176816438078653, 0.0, 1.8787594979546387, 10.94906990605142, 0.0,
    0.0007289346991508072, 0.9677937080626833, 0.0, 0.00014003424285435884, 0.9981766977854967, 0.00031949755934435053,
    0.0004550992113792063, 0.0, 0.0, 0.0013648766163243398, 0.0, 0.0,
    0.0, 0.0, 0.0, 7.466890328078848, 0.0, 17.445833984131262,
    0.0006235601634041466, 0.0, 0.0, 6.683678146179332, 0.00037724407979611296, 1.027889937768264,
    225.20515300849274, 0.0, 0.0, 19.213238186143016, 0.0011401524586618361, 0.001237755635509985,
    176.39317598450694, 0.0, 0.0, 24.43300999870476, 0.28520802612117757, 0.0004485436923833408,
    0.0, 0.0, 0.0, 34.77906344483772, 44.835625328877896, 0.0,
    0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
    0.0, 0.0008680556573291698, 0.0, 0.0, 0.0, 0.0,
    0.0, 0.0005313191874358747, 0.0, 0.00016533814161379112, 0.0, 0.0,
    0.0, 0.0, 0.0, 0.0004179171803251336, 0.0017290828234722833, 0.0,
    0.0020827005846636437, 0.0, 0.0, 8.826982764996862, 23.19243343998926, 0.0,
    95.1080498811086, 0.9863978034400682, 0.9834382792465353, 0.0012286405048278493, 171.2667255897307, 0.9807858872435379,
    0.0, 0.0, 0.0, 0.0005130064588990679, 0.0, 0.00010854057858411537,
];

type Planes = [Vec<f32>; 3];

/// One scale of the reference: its XYB planes, their blur and the blur of
/// their squares.
struct Scale {
    width: usize,
    height: usize,
    xyb: Planes,
    mu: Planes,
    sigma: Planes,
}

/// A reference image, prepared once for scoring several candidates.
pub(crate) struct Reference {
    width: usize,
    height: usize,
    scales: Vec<Scale>,
}

/// Per scale: SSIM (mean, 4-norm) and edge maps (artifact mean, 4-norm,
/// detail lost mean, 4-norm), per channel.
#[derive(Default, Clone, Copy)]
struct Features {
    ssim: [[f64; 2]; 3],
    edge: [[f64; 4]; 3],
}

impl Reference {
    /// `rgb`: packed 8-bit sRGB, `width` × `height`. `None` under 8×8,
    /// where the metric is not defined.
    pub(crate) fn new(rgb: &[u8], width: usize, height: usize) -> Option<Self> {
        if width < 8 || height < 8 || rgb.len() != width * height * 3 {
            return None;
        }
        let scales = pyramid(rgb, width, height)
            .into_iter()
            .map(|(linear, w, h)| {
                let xyb = to_xyb(&linear);
                let mu = xyb.each_ref().map(|p| blur(p, w, h));
                let sigma = xyb.each_ref().map(|p| blur(&product(p, p), w, h));
                Scale { width: w, height: h, xyb, mu, sigma }
            })
            .collect();
        Some(Self { width, height, scales })
    }

    /// The SSIMULACRA2 score of `rgb` (packed 8-bit sRGB of the same size)
    /// against the reference: 100 identical, 90 visually lossless, 70 high
    /// quality, 50 medium; negative for heavy distortion.
    pub(crate) fn score(&self, rgb: &[u8]) -> f64 {
        assert_eq!(rgb.len(), self.width * self.height * 3, "candidate and reference differ in size");
        let features: Vec<Features> = pyramid(rgb, self.width, self.height)
            .into_iter()
            .zip(&self.scales)
            .map(|((linear, w, h), reference)| {
                let xyb = to_xyb(&linear);
                let mut features = Features::default();
                for c in 0..3 {
                    let d = &xyb[c];
                    let mu = blur(d, w, h);
                    let sigma = blur(&product(d, d), w, h);
                    let cross = blur(&product(&reference.xyb[c], d), w, h);
                    let maps = Maps { reference, c, d, mu: &mu, sigma: &sigma, cross: &cross };
                    (features.ssim[c], features.edge[c]) = maps.summarise();
                }
                features
            })
            .collect();
        finish(&features)
    }
}

/// Linear-light RGB planes at each scale that is scored, with their sizes.
/// As in libjxl, a scale is computed while the one before it is at least
/// 8×8; odd sizes repeat their last row or column.
fn pyramid(rgb: &[u8], width: usize, height: usize) -> Vec<(Planes, usize, usize)> {
    let lut: Vec<f32> = (0..=255u8).map(|v| srgb_to_linear(f32::from(v) / 255.0)).collect();
    let mut planes: Planes =
        [0, 1, 2].map(|c| rgb.iter().skip(c).step_by(3).map(|&v| lut[usize::from(v)]).collect());
    let (mut w, mut h) = (width, height);
    let mut out = Vec::with_capacity(SCALES);
    for _ in 0..SCALES {
        if w < 8 || h < 8 {
            break;
        }
        let next = planes.each_ref().map(|p| halve(p, w, h));
        out.push((planes, w, h));
        planes = next;
        (w, h) = (w.div_ceil(2), h.div_ceil(2));
    }
    out
}

fn srgb_to_linear(v: f32) -> f32 {
    if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
}

/// 2×2 box average; an odd last column or row averages with itself.
fn halve(plane: &[f32], w: usize, h: usize) -> Vec<f32> {
    let (ow, oh) = (w.div_ceil(2), h.div_ceil(2));
    let mut out = vec![0.0; ow * oh];
    for (oy, row) in out.chunks_exact_mut(ow).enumerate() {
        let (a, b) = (&plane[2 * oy * w..][..w], &plane[(2 * oy + 1).min(h - 1) * w..][..w]);
        for (ox, o) in row.iter_mut().enumerate() {
            let (x0, x1) = (2 * ox, (2 * ox + 1).min(w - 1));
            *o = (a[x0] + a[x1] + b[x0] + b[x1]) * 0.25;
        }
    }
    out
}

/// Linear RGB to XYB, shifted into 0..1 as SSIMULACRA2 does (X × 14 + 0.42,
/// Y + 0.01, B − Y + 0.55).
fn to_xyb([r, g, b]: &Planes) -> Planes {
    let bias_root = cbrt(BIAS);
    let n = r.len();
    let (mut x_out, mut y_out, mut b_out) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    for i in 0..n {
        let mix = OPSIN.map(|m| cbrt((m[0] * r[i] + m[1] * g[i] + m[2] * b[i]).max(0.0) + BIAS) - bias_root);
        let (x, y) = (0.5 * (mix[0] - mix[1]), 0.5 * (mix[0] + mix[1]));
        x_out[i] = x * 14.0 + 0.42;
        y_out[i] = y + 0.01;
        b_out[i] = (mix[2] - y) + 0.55;
    }
    [x_out, y_out, b_out]
}

/// Cube root of a positive value: a bit-level first guess and three Newton
/// steps (exact to about one `f32` ulp), several times cheaper than libm's.
fn cbrt(v: f32) -> f32 {
    let mut y = f32::from_bits(v.to_bits() / 3 + 709_921_077);
    for _ in 0..3 {
        y = (2.0 * y + v / (y * y)) * (1.0 / 3.0);
    }
    y
}

fn product(a: &[f32], b: &[f32]) -> Vec<f32> {
    a.iter().zip(b).map(|(a, b)| a * b).collect()
}

fn kernel() -> [f32; 2 * RADIUS + 1] {
    let mut k = [0.0; 2 * RADIUS + 1];
    for (i, k) in k.iter_mut().enumerate() {
        let x = i as f32 - RADIUS as f32;
        *k = (-x * x / (2.0 * SIGMA * SIGMA)).exp();
    }
    let sum: f32 = k.iter().sum();
    k.map(|v| v / sum)
}

/// Separable Gaussian blur, σ 1.5, zero outside the image.
fn blur(plane: &[f32], w: usize, h: usize) -> Vec<f32> {
    let k = kernel();
    let mut across = vec![0.0; w * h];
    let mut padded = vec![0.0; w + 2 * RADIUS];
    for (src, dst) in plane.chunks_exact(w).zip(across.chunks_exact_mut(w)) {
        padded[RADIUS..RADIUS + w].copy_from_slice(src);
        for (t, &kt) in k.iter().enumerate() {
            for (d, &s) in dst.iter_mut().zip(&padded[t..t + w]) {
                *d += kt * s;
            }
        }
    }
    let mut out = vec![0.0; w * h];
    for (y, dst) in out.chunks_exact_mut(w).enumerate() {
        for (t, &kt) in k.iter().enumerate() {
            let Some(sy) = (y + t).checked_sub(RADIUS).filter(|&sy| sy < h) else { continue };
            for (d, &s) in dst.iter_mut().zip(&across[sy * w..][..w]) {
                *d += kt * s;
            }
        }
    }
    out
}

/// One channel of one scale: the reference's planes and the candidate's.
struct Maps<'a> {
    reference: &'a Scale,
    c: usize,
    d: &'a [f32],
    mu: &'a [f32],
    sigma: &'a [f32],
    cross: &'a [f32],
}

impl Maps<'_> {
    /// SSIM (mean, 4-norm) and edge maps (artifact mean and 4-norm, detail
    /// lost mean and 4-norm). Rows are summed in `f32`, rows into `f64`.
    fn summarise(&self) -> ([f64; 2], [f64; 4]) {
        let (w, r) = (self.reference.width, self.reference);
        let (r_xyb, r_mu, r_sigma) = (&r.xyb[self.c], &r.mu[self.c], &r.sigma[self.c]);
        let mut sums = [0.0f64; 6];
        for y in 0..r.height {
            let span = y * w..(y + 1) * w;
            let (rx, rm, rs) = (&r_xyb[span.clone()], &r_mu[span.clone()], &r_sigma[span.clone()]);
            let (dx, dm) = (&self.d[span.clone()], &self.mu[span.clone()]);
            let (ds, dc) = (&self.sigma[span.clone()], &self.cross[span]);
            let mut acc = [0.0f32; 6];
            for i in 0..w {
                let (m1, m2) = (rm[i], dm[i]);
                let num_m = 1.0 - (m1 - m2) * (m1 - m2);
                let num_s = 2.0 * (dc[i] - m1 * m2) + C2;
                let den_s = (rs[i] - m1 * m1) + (ds[i] - m2 * m2) + C2;
                let s = (1.0 - num_m * num_s / den_s).max(0.0);
                let ratio = (1.0 + (dx[i] - m2).abs()) / (1.0 + (rx[i] - m1).abs()) - 1.0;
                let (artifact, lost) = (ratio.max(0.0), (-ratio).max(0.0));
                for (a, v) in acc.chunks_exact_mut(2).zip([s, artifact, lost]) {
                    a[0] += v;
                    a[1] += (v * v) * (v * v);
                }
            }
            for (s, a) in sums.iter_mut().zip(acc) {
                *s += f64::from(a);
            }
        }
        let n = (w * r.height) as f64;
        let [s1, s4, a1, a4, l1, l4] = sums.map(|s| s / n);
        let root4 = |v: f64| v.sqrt().sqrt();
        ([s1, root4(s4)], [a1, root4(a4), l1, root4(l4)])
    }
}

/// The weighted sum of the features and libjxl's mapping to a 0..100 scale.
fn finish(scales: &[Features]) -> f64 {
    let mut sum = 0.0;
    let mut weights = WEIGHT.iter();
    for c in 0..3 {
        for scale in 0..SCALES {
            let f = scales.get(scale).copied().unwrap_or_default();
            for n in 0..2 {
                for v in [f.ssim[c][n], f.edge[c][n], f.edge[c][n + 2]] {
                    sum += weights.next().copied().unwrap_or(0.0) * v.abs();
                }
            }
        }
    }
    let s = sum * 0.956_238_261_683_484_4;
    let s =
        2.326_765_642_916_932 * s - 0.020_884_521_182_843_837 * s * s + 6.248_496_625_763_138e-5 * s * s * s;
    if s > 0.0 { 100.0 - 10.0 * s.powf(0.627_633_646_783_138_7) } else { 100.0 }
}

#[cfg(test)]
mod tests;
