//! `pos=attention` and `pos=entropy`: where a cover crop goes when the
//! pixels decide. The analysis reads a thumbnail of at most [`THUMB`] px a
//! side, each cell the mean of 3×3 samples of the decoded (usually
//! shrunk-on-load) image, so it costs about 600 000 pixel reads whatever
//! the photo's size (1-3 ms; see BENCHMARKS.md). It is plain arithmetic in a fixed order: the same
//! image always gives the same crop.
//!
//! A cover crop spans its bounds in one direction, so the search is one
//! sliding window along the other: every start position is scored and the
//! best one wins, the most central of equals (a flat image keeps the centre).
//! - attention (after libvips' `interesting=attention`): edges (a Laplacian
//!   of luma), saturated colour and skin tones, summed over the window.
//!   Colour counts where it is rare in the image and at half the weight of
//!   edges: with colour at full weight everywhere, a colourful blurred
//!   background outscored a sharp subject and the crop kept the subject in
//!   34 of 80 scenes of `benches/smartcrop_subjects.py`, libvips 56;
//! - entropy: the Shannon entropy of the window's luma histogram.

use image::DynamicImage;

pub(crate) mod quality;
mod ssim2;

use crate::geometry::Region;

/// Longest side of the thumbnail the analysis reads.
const THUMB: f64 = 256.0;
/// Samples per thumbnail cell and axis (a cheap box filter).
const TAPS: u32 = 3;
/// Luma histogram bins for entropy.
const BINS: usize = 32;
/// Skin tone as a unit RGB direction (libvips' reference 0.78, 0.57, 0.44).
const SKIN: [f32; 3] = [0.7348, 0.5369, 0.4145];

/// Colour counts at this weight against edges: detail in focus is the
/// surest sign of a subject, colour a supporting one.
const COLOUR_WEIGHT: f64 = 0.5;
/// Saturation counts only above this multiple of the image's mean: a
/// colour that fills the frame (a blurred garden, a sunset) says nothing
/// about where the subject is.
const COMMON_SATURATION: f64 = 3.0;
/// Skin counts less as it covers more of the image, nothing once it covers
/// a quarter (1 / this): sand, wood and warm walls pass the skin test too.
const COMMON_SKIN: f64 = 4.0;

/// What a thumbnail cell offers attention.
struct Cues {
    edge: f32,
    saturation: f32,
    skin: bool,
}

/// How to score a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strategy {
    /// Edges, saturation and skin.
    Attention,
    /// Luma entropy.
    Entropy,
}

/// A content-aware crop: its strategy and the area the window moves in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Search {
    pub strategy: Strategy,
    /// Stored coordinates of the full-size image (the `rect`, or all of it).
    pub bounds: Region,
}

/// `window` (inside `bounds`, both in `image`'s pixels) moved to the best
/// place along the direction it has room in. With `alpha`, the last channel
/// of a 2- or 4-channel image is opacity (not CMYK's black ink), and the
/// samples are taken on black, so transparent pixels count for nothing
/// whatever colour they store.
pub(crate) fn place(
    image: &DynamicImage,
    strategy: Strategy,
    bounds: Region,
    window: Region,
    alpha: bool,
) -> Region {
    let (slack_x, slack_y) = (bounds.width - window.width, bounds.height - window.height);
    if slack_x.max(slack_y) < 1.0 {
        return window;
    }
    let thumb = Thumb::new(image, bounds, alpha);
    let along_x = slack_x >= slack_y;
    let (len, kept) = if along_x {
        (thumb.width, window.width / bounds.width)
    } else {
        (thumb.height, window.height / bounds.height)
    };
    let span = ((kept * len as f64).round() as usize).clamp(1, len);
    let scores = match strategy {
        Strategy::Attention => window_sums(&thumb.attention_profile(along_x), span),
        Strategy::Entropy => thumb.entropies(along_x, span),
    };
    let (mid, pick) = ((scores.len() - 1) / 2, best(&scores));
    // The middle cell stands for the exact centre (the thumbnail rounds).
    let at = if pick == mid { 0.5 } else { pick as f64 / (scores.len() - 1) as f64 };
    if along_x {
        Region { x: bounds.x + at * slack_x, ..window }
    } else {
        Region { y: bounds.y + at * slack_y, ..window }
    }
}

/// The index of the highest score; of equal ones, the nearest the middle.
fn best(scores: &[f64]) -> usize {
    let mid = (scores.len() - 1) / 2;
    let mut pick = mid;
    for d in 1..scores.len() {
        for i in [mid.checked_sub(d), Some(mid + d)].into_iter().flatten() {
            if i < scores.len() && scores[i] > scores[pick] + 1e-9 * scores[pick].abs().max(1.0) {
                pick = i;
            }
        }
    }
    pick
}

/// Sums of every run of `span` consecutive values.
fn window_sums(profile: &[f64], span: usize) -> Vec<f64> {
    let mut prefix = vec![0.0];
    for v in profile {
        prefix.push(prefix.last().unwrap_or(&0.0) + v);
    }
    (0..=profile.len() - span).map(|i| prefix[i + span] - prefix[i]).collect()
}

/// A small RGB copy of the bounds.
struct Thumb {
    width: usize,
    height: usize,
    rgb: Vec<[f32; 3]>,
}

impl Thumb {
    fn new(image: &DynamicImage, b: Region, alpha: bool) -> Self {
        let scale = (THUMB / b.width.max(b.height)).min(1.0);
        let (width, height) = ((b.width * scale).round().max(1.0), (b.height * scale).round().max(1.0));
        let (cell_w, cell_h) = (b.width / width, b.height / height);
        let (max_x, max_y) = (image.width().saturating_sub(1), image.height().saturating_sub(1));
        // 8-bit grey, grey+alpha, RGB or RGBA (decode::normalise): read the
        // bytes, the first channel as grey when there are fewer than three.
        let (bytes, step) = (image.as_bytes(), usize::from(image.color().bytes_per_pixel()));
        let colour = if step >= 3 { [0, 1, 2] } else { [0; 3] };
        let opacity = (alpha && step % 2 == 0).then_some(step - 1);
        let stride = image.width() as usize * step;
        // Byte offsets of every sample column and row, worked out once:
        // the loop below then only reads and adds.
        let taps = |cells: f64, cell: f64, origin: f64, max: u32, unit: usize| -> Vec<usize> {
            (0..cells as u32 * TAPS)
                .map(|i| {
                    let at = origin + (f64::from(i) + 0.5) / f64::from(TAPS) * cell;
                    (at as u32).min(max) as usize * unit
                })
                .collect()
        };
        let columns = taps(width, cell_w, b.x, max_x, step);
        let rows = taps(height, cell_h, b.y, max_y, stride);
        let byte = |at: usize| f32::from(bytes.get(at).copied().unwrap_or(0));
        let per_cell = (TAPS * TAPS) as f32;
        let mut rgb = Vec::with_capacity(columns.len() / TAPS as usize * rows.len() / TAPS as usize);
        for cell_rows in rows.chunks_exact(TAPS as usize) {
            for cell_columns in columns.chunks_exact(TAPS as usize) {
                let mut sum = [0.0f32; 3];
                for at in cell_rows.iter().flat_map(|r| cell_columns.iter().map(move |c| r + c)) {
                    let weight = opacity.map_or(1.0, |i| byte(at + i) / 255.0);
                    (0..3).for_each(|c| sum[c] += byte(at + colour[c]) * weight);
                }
                rgb.push(sum.map(|s| s / per_cell));
            }
        }
        Self { width: width as usize, height: height as usize, rgb }
    }

    fn luma(&self, x: usize, y: usize) -> f32 {
        let [r, g, b] = self.rgb[y * self.width + x];
        0.299 * r + 0.587 * g + 0.114 * b
    }

    /// Each cell's attention score, summed across the other axis.
    fn attention_profile(&self, along_x: bool) -> Vec<f64> {
        let cells: Vec<Cues> = (0..self.height)
            .flat_map(|y| (0..self.width).map(move |x| (x, y)))
            .map(|(x, y)| self.cues(x, y))
            .collect();
        let n = cells.len() as f64;
        let mean_saturation = cells.iter().map(|c| f64::from(c.saturation)).sum::<f64>() / n;
        let skin_share = cells.iter().filter(|c| c.skin).count() as f64 / n;
        let floor = COMMON_SATURATION * mean_saturation;
        let skin = COLOUR_WEIGHT * 255.0 * (1.0 - COMMON_SKIN * skin_share).max(0.0);
        let mut profile = vec![0.0; if along_x { self.width } else { self.height }];
        for (i, c) in cells.iter().enumerate() {
            let saturation = COLOUR_WEIGHT * (f64::from(c.saturation) - floor).max(0.0);
            let score = f64::from(c.edge) + saturation + if c.skin { skin } else { 0.0 };
            profile[if along_x { i % self.width } else { i / self.width }] += score;
        }
        profile
    }

    /// A cell's cues: edges (|Laplacian| of luma, up to 255), saturation
    /// (up to 255) and whether its colour is a skin tone.
    fn cues(&self, x: usize, y: usize) -> Cues {
        let l = self.luma(x, y);
        let near = |dx: isize, dy: isize| {
            let nx = x.saturating_add_signed(dx).min(self.width - 1);
            let ny = y.saturating_add_signed(dy).min(self.height - 1);
            self.luma(nx, ny)
        };
        let edge = (4.0 * l - near(-1, 0) - near(1, 0) - near(0, -1) - near(0, 1)).abs().min(255.0);
        let [r, g, b] = self.rgb[y * self.width + x];
        let saturation = r.max(g).max(b) - r.min(g).min(b);
        let norm = (r * r + g * g + b * b).sqrt().max(1.0);
        let likeness = (r * SKIN[0] + g * SKIN[1] + b * SKIN[2]) / norm;
        let skin = likeness > 0.985 && (50.0..235.0).contains(&l);
        Cues { edge, saturation, skin }
    }

    /// The luma entropy of every window of `span` lines across the axis.
    fn entropies(&self, along_x: bool, span: usize) -> Vec<f64> {
        let lines = if along_x { self.width } else { self.height };
        let mut hist = vec![[0u32; BINS]; lines];
        for y in 0..self.height {
            for x in 0..self.width {
                let bin = ((self.luma(x, y) / 256.0 * BINS as f32) as usize).min(BINS - 1);
                hist[if along_x { x } else { y }][bin] += 1;
            }
        }
        let mut window = [0u32; BINS];
        hist[..span].iter().for_each(|h| add(&mut window, h, 1));
        let mut out = vec![entropy(&window)];
        for i in span..lines {
            add(&mut window, &hist[i], 1);
            add(&mut window, &hist[i - span], -1);
            out.push(entropy(&window));
        }
        out
    }
}

fn add(window: &mut [u32; BINS], line: &[u32; BINS], sign: i32) {
    for (w, &n) in window.iter_mut().zip(line) {
        *w = w.wrapping_add_signed(sign * n as i32);
    }
}

fn entropy(hist: &[u32; BINS]) -> f64 {
    let total: u32 = hist.iter().sum();
    let p = hist.iter().filter(|&&n| n > 0).map(|&n| f64::from(n) / f64::from(total));
    -p.map(|p| p * p.log2()).sum::<f64>()
}

#[cfg(test)]
mod tests;
