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
/// SSIM's stabilising constant (C2; C1 is not used).
const C2: f32 = 0.0009;
/// Independent partial sums per row (see [`Maps::summarise`]).
const LANES: usize = 8;

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

mod blur;
mod xyb;

use blur::Work;
use xyb::{pyramid, to_xyb};

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
    /// Buffers reused by every [`Reference::score`]: fresh multi-megabyte
    /// vectors cost more in page faults than the arithmetic done in them.
    scratch: Scratch,
}

/// The candidate's pyramid, its XYB planes and the blurs' buffers.
#[derive(Default)]
struct Scratch {
    pyramid: Vec<(Planes, usize, usize)>,
    xyb: Planes,
    work: Work,
    mu: Vec<f32>,
    sigma: Vec<f32>,
    cross: Vec<f32>,
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
        let mut levels = Vec::new();
        pyramid(rgb, width, height, &mut levels);
        let scales = levels
            .into_iter()
            .enumerate()
            .map(|(scale, (linear, w, h))| {
                let wanted = wanted(scale);
                let mut xyb = Planes::default();
                to_xyb(&linear, wanted, &mut xyb);
                // Only the wanted channels are blurred; the others stay empty.
                let mut work = Work::default();
                let (mut mu, mut sigma) = (Planes::default(), Planes::default());
                for c in (0..3).filter(|&c| wanted[c]) {
                    work.blur(&xyb[c], w, h, &mut mu[c]);
                    work.blur_product(&xyb[c], &xyb[c], w, h, &mut sigma[c]);
                }
                Scale { width: w, height: h, xyb, mu, sigma }
            })
            .collect();
        Some(Self { width, height, scales, scratch: Scratch::default() })
    }

    /// The SSIMULACRA2 score of `rgb` (packed 8-bit sRGB of the same size)
    /// against the reference: 100 identical, 90 visually lossless, 70 high
    /// quality, 50 medium; negative for heavy distortion.
    pub(crate) fn score(&mut self, rgb: &[u8]) -> f64 {
        assert_eq!(rgb.len(), self.width * self.height * 3, "candidate and reference differ in size");
        let Scratch { pyramid: levels, xyb, work, mu, sigma, cross } = &mut self.scratch;
        pyramid(rgb, self.width, self.height, levels);
        let mut features = [Features::default(); SCALES];
        for (scale, ((linear, w, h), reference)) in levels.iter().zip(&self.scales).enumerate() {
            let (w, h, wanted) = (*w, *h, wanted(scale));
            to_xyb(linear, wanted, xyb);
            for c in (0..3).filter(|&c| wanted[c]) {
                let d = &xyb[c];
                work.blur(d, w, h, mu);
                work.blur_product(d, d, w, h, sigma);
                work.blur_product(&reference.xyb[c], d, w, h, cross);
                let maps = Maps { reference, c, d, mu, sigma, cross };
                (features[scale].ssim[c], features[scale].edge[c]) = maps.summarise();
            }
        }
        finish(&features)
    }
}

/// A channel's features at a scale whose six weights are all under this
/// are not computed: their features stay under 1, so together they move a
/// score by under a hundredth of a point. That skips X and B at full size,
/// where the work is (only Y's full-size features carry weight), B at
/// 1:2 and 1:4, and all of 1:32.
const NEGLIGIBLE: f64 = 0.01;

/// Which of X, Y and B count at `scale`.
fn wanted(scale: usize) -> [bool; 3] {
    [0, 1, 2].map(|c| WEIGHT[(c * SCALES + scale) * 6..][..6].iter().any(|&w| w >= NEGLIGIBLE))
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
            // Eight lanes of six sums: independent lanes vectorise, where
            // one running sum would keep the loop scalar.
            let mut acc = [[0.0f32; LANES]; 6];
            let rows = [rm, dm, dc, rs, ds, rx, dx];
            let whole = w / LANES * LANES;
            for start in (0..whole).step_by(LANES) {
                let chunk = rows
                    .map(|r| -> &[f32; LANES] { r[start..start + LANES].try_into().expect("LANES long") });
                for lane in 0..LANES {
                    let v = pixel(chunk.map(|r| r[lane]));
                    accumulate(&mut acc, lane, v);
                }
            }
            for i in whole..w {
                accumulate(&mut acc, 0, pixel(rows.map(|r| r[i])));
            }
            for (s, a) in sums.iter_mut().zip(acc) {
                *s += a.iter().map(|&v| f64::from(v)).sum::<f64>();
            }
        }
        let n = (w * r.height) as f64;
        let [s1, s4, a1, a4, l1, l4] = sums.map(|s| s / n);
        let root4 = |v: f64| v.sqrt().sqrt();
        ([s1, root4(s4)], [a1, root4(a4), l1, root4(l4)])
    }
}

/// One pixel's SSIM error, artifact and detail lost, from the reference's
/// and the candidate's blurred means, (co)variances and values.
#[inline(always)]
fn pixel([m1, m2, cross, s1, s2, x1, x2]: [f32; 7]) -> [f32; 3] {
    let num_m = 1.0 - (m1 - m2) * (m1 - m2);
    let num_s = 2.0 * (cross - m1 * m2) + C2;
    let den_s = (s1 - m1 * m1) + (s2 - m2 * m2) + C2;
    let s = (1.0 - num_m * num_s / den_s).max(0.0);
    let ratio = (1.0 + (x2 - m2).abs()) / (1.0 + (x1 - m1).abs()) - 1.0;
    [s, ratio.max(0.0), (-ratio).max(0.0)]
}

/// Add a pixel's three errors and their fourth powers to `lane`'s sums.
#[inline(always)]
fn accumulate(acc: &mut [[f32; LANES]; 6], lane: usize, v: [f32; 3]) {
    for (k, v) in v.into_iter().enumerate() {
        acc[2 * k][lane] += v;
        acc[2 * k + 1][lane] += (v * v) * (v * v);
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
pub(super) mod tests;
