//! The metric's Gaussian blur (σ 1.5, zero outside the image): a
//! separable, exact kernel of radius 5, into buffers reused between calls.

/// Gaussian kernel radius (σ 1.5 reaches 3.3 σ).
const RADIUS: usize = 5;
const SIGMA: f32 = 1.5;

/// The normalised Gaussian weights.
fn kernel() -> [f32; 2 * RADIUS + 1] {
    let mut k = [0.0; 2 * RADIUS + 1];
    for (i, k) in k.iter_mut().enumerate() {
        let x = i as f32 - RADIUS as f32;
        *k = (-x * x / (2.0 * SIGMA * SIGMA)).exp();
    }
    let sum: f32 = k.iter().sum();
    k.map(|v| v / sum)
}

/// Reused buffers for the blurs' intermediate steps.
#[derive(Default)]
pub(super) struct Work {
    product: Vec<f32>,
    across: Vec<f32>,
    padded: Vec<f32>,
}

impl Work {
    /// `a` × `b`, blurred into `out`.
    pub(super) fn blur_product(&mut self, a: &[f32], b: &[f32], w: usize, h: usize, out: &mut Vec<f32>) {
        let mut product = std::mem::take(&mut self.product);
        product.clear();
        product.extend(a.iter().zip(b).map(|(a, b)| a * b));
        self.blur(&product, w, h, out);
        self.product = product;
    }

    /// Separable Gaussian blur, σ 1.5, zero outside the image, into `out`.
    pub(super) fn blur(&mut self, plane: &[f32], w: usize, h: usize, out: &mut Vec<f32>) {
        let k = kernel();
        // Every element is written before it is read: resizing only sets lengths.
        self.across.resize(w * h, 0.0);
        out.resize(w * h, 0.0);
        self.padded.clear();
        self.padded.resize(w + 2 * RADIUS, 0.0);
        let padded = &mut self.padded;
        for (src, dst) in plane.chunks_exact(w).zip(self.across.chunks_exact_mut(w)) {
            padded[RADIUS..RADIUS + w].copy_from_slice(src);
            taps(dst, std::array::from_fn(|t| &padded[t..t + w]), &k);
        }
        let zero = vec![0.0; w];
        let across = &self.across;
        for (y, dst) in out.chunks_exact_mut(w).enumerate() {
            let row = |t: usize| match (y + t).checked_sub(RADIUS).filter(|&sy| sy < h) {
                Some(sy) => &across[sy * w..(sy + 1) * w],
                None => zero.as_slice(),
            };
            taps(dst, std::array::from_fn(row), &k);
        }
    }
}

/// One row of a symmetric 11-tap filter: `out[x]` = Σ `k[t]` × `rows[t][x]`,
/// written so the compiler vectorises it along `x`.
#[inline(always)]
fn taps(out: &mut [f32], rows: [&[f32]; 2 * RADIUS + 1], k: &[f32; 2 * RADIUS + 1]) {
    let w = out.len();
    let [r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10] = rows.map(|r| &r[..w]);
    for x in 0..w {
        out[x] = k[5] * r5[x]
            + k[4] * (r4[x] + r6[x])
            + k[3] * (r3[x] + r7[x])
            + k[2] * (r2[x] + r8[x])
            + k[1] * (r1[x] + r9[x])
            + k[0] * (r0[x] + r10[x]);
    }
}
