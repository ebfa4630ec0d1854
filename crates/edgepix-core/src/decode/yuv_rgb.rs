//! Y'CbCr planes (8 to 12 bits, 4:2:0, 4:2:2, 4:4:4 or grey) to 8-bit
//! R'G'B', as AVIF needs: the matrix (BT.601, BT.709, BT.2020, identity) and
//! the range (full or limited) come from the file. Chroma is taken from the
//! sample covering each pixel (the resize that follows averages far more
//! than the half pixel that interpolation would move). Colour primaries and
//! transfer are the colour step's business, not this one's.

use edgepix_av1::{Picture, Plane, Samples};

/// How Y'CbCr codes R'G'B' (ITU-T H.273 matrix coefficients and range).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Coding {
    /// Red and blue luma weights; `None` for the identity matrix (G, B, R planes).
    pub weights: Option<(f32, f32)>,
    pub full_range: bool,
}

impl Coding {
    /// From H.273 matrix coefficients: 0 identity, 1 BT.709, 9/10 BT.2020,
    /// anything else (5, 6, unspecified) BT.601, as libavif does.
    pub fn new(matrix: u16, full_range: bool) -> Self {
        let weights = match matrix {
            0 => None,
            1 => Some((0.2126, 0.0722)),
            9 | 10 => Some((0.2627, 0.0593)),
            _ => Some((0.299, 0.114)),
        };
        Self { weights, full_range }
    }
}

/// Where converted pixels go: `channels` bytes a pixel (1 grey, 3 RGB, 2 or
/// 4 with alpha, which this leaves alone), `stride` bytes a row.
pub(crate) struct Target<'a> {
    pub pixels: &'a mut [u8],
    pub stride: usize,
    pub channels: usize,
    /// Where the picture's top-left pixel goes, and how much of it fits.
    pub at: (usize, usize),
    pub size: (usize, usize),
}

/// Convert `picture` into `target` (colour channels only).
pub(crate) fn convert(picture: &Picture<'_>, coding: Coding, target: &mut Target<'_>) {
    convert_with(picture, coding, target, |rgb| rgb.map(quantise));
}

/// Convert `picture` into `target`, each pixel's normalised R'G'B' (about
/// 0 to 1) through `map` (the HDR path tone-maps there).
pub(crate) fn convert_with(
    picture: &Picture<'_>,
    coding: Coding,
    target: &mut Target<'_>,
    map: impl Fn([f32; 3]) -> [u8; 3],
) {
    let depth = u32::from(picture.bit_depth);
    let scale = |v: f32| v / ((1u32 << depth) - 1) as f32;
    let unit = (1u32 << (depth - 8)) as f32;
    // Normalised luma and chroma: Y' in [0, 1], Cb and Cr in [-0.5, 0.5].
    let (y_off, y_mul, c_mul) = if coding.full_range {
        (0.0, scale(1.0), scale(1.0))
    } else {
        (16.0 * unit, 1.0 / (219.0 * unit), 1.0 / (224.0 * unit))
    };
    let c_mid = (1u32 << (depth - 1)) as f32;
    let (sx, sy) = picture.layout.shifts();
    let [Some(y), u, v] = picture.planes else { return };
    let (w, h) = target.size;
    for row in 0..h.min(picture.height) {
        let out_row = (target.at.1 + row) * target.stride + target.at.0 * target.channels;
        let out = &mut target.pixels[out_row..out_row + w.min(picture.width) * target.channels];
        let chroma_row = row >> sy;
        let colours = if target.channels >= 3 { 3 } else { 1 };
        for (x, pixel) in out.chunks_exact_mut(target.channels).enumerate() {
            let luma = (sample(&y, x, row) - y_off) * y_mul;
            let (Some(u), Some(v), 3) = (u, v, colours) else {
                pixel[..colours].fill(quantise(luma));
                continue;
            };
            let (cb, cr) = (sample(&u, x >> sx, chroma_row), sample(&v, x >> sx, chroma_row));
            let [r, g, b] = match coding.weights {
                // Identity: the planes are G, B, R, coded like luma.
                None => [(cr - y_off) * y_mul, luma, (cb - y_off) * y_mul],
                Some((kr, kb)) => {
                    let (cb, cr) = ((cb - c_mid) * c_mul, (cr - c_mid) * c_mul);
                    let r = luma + 2.0 * (1.0 - kr) * cr;
                    let b = luma + 2.0 * (1.0 - kb) * cb;
                    [r, (luma - kr * r - kb * b) / (1.0 - kr - kb), b]
                }
            };
            pixel[..3].copy_from_slice(&map([r, g, b]));
        }
    }
}

/// A plane's samples as 8-bit full-range values (alpha planes), into
/// channel `channel` of `target`.
pub(crate) fn alpha(picture: &Picture<'_>, full_range: bool, channel: usize, target: &mut Target<'_>) {
    let Some(y) = picture.planes[0] else { return };
    let depth = u32::from(picture.bit_depth);
    let unit = (1u32 << (depth - 8)) as f32;
    let (off, mul) = if full_range {
        (0.0, 1.0 / ((1u32 << depth) - 1) as f32)
    } else {
        (16.0 * unit, 1.0 / (219.0 * unit))
    };
    let (w, h) = target.size;
    for row in 0..h.min(picture.height) {
        let out_row = (target.at.1 + row) * target.stride + target.at.0 * target.channels;
        let out = &mut target.pixels[out_row..out_row + w.min(picture.width) * target.channels];
        for (x, pixel) in out.chunks_exact_mut(target.channels).enumerate() {
            pixel[channel] = quantise((sample(&y, x, row) - off) * mul);
        }
    }
}

fn sample(plane: &Plane<'_>, x: usize, y: usize) -> f32 {
    let (x, y) = (x.min(plane.width - 1), y.min(plane.height - 1));
    match plane.samples {
        Samples::U8(s) => f32::from(s[y * plane.stride + x]),
        Samples::U16(s) => f32::from(s[y * plane.stride + x]),
    }
}

pub(super) fn quantise(v: f32) -> u8 {
    (v * 255.0 + 0.5).clamp(0.0, 255.0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use edgepix_av1::Layout;

    fn plane<'a>(samples: Samples<'a>, width: usize, height: usize) -> Plane<'a> {
        Plane { samples, stride: width, width, height }
    }

    fn one(y: u16, u: u16, v: u16, bit_depth: u8, coding: Coding) -> [u8; 3] {
        let (ys, us, vs) = ([y], [u], [v]);
        let planes = [
            Some(plane(Samples::U16(&ys), 1, 1)),
            Some(plane(Samples::U16(&us), 1, 1)),
            Some(plane(Samples::U16(&vs), 1, 1)),
        ];
        let colour = edgepix_av1::SequenceColour { primaries: 1, transfer: 13, matrix: 1, full_range: true };
        let picture = Picture { width: 1, height: 1, bit_depth, layout: Layout::I444, planes, colour };
        let mut pixels = [0u8; 3];
        convert(
            &picture,
            coding,
            &mut Target { pixels: &mut pixels, stride: 3, channels: 3, at: (0, 0), size: (1, 1) },
        );
        pixels
    }

    #[test]
    fn matrices_and_ranges() {
        let bt601_full = Coding::new(6, true);
        // Grey stays grey at every depth and range.
        assert_eq!(one(128, 128, 128, 8, bt601_full), [128; 3]);
        assert_eq!(one(512, 512, 512, 10, bt601_full), [128; 3]);
        assert_eq!(one(2048, 2048, 2048, 12, Coding::new(9, true)), [128; 3]);
        assert_eq!(one(235, 128, 128, 8, Coding::new(1, false)), [255; 3], "limited white");
        assert_eq!(one(16, 128, 128, 8, Coding::new(1, false)), [0; 3], "limited black");
        // BT.601 full-range red (Y 76, Cb 85, Cr 255) and BT.709 limited red.
        let red = one(76, 85, 255, 8, bt601_full);
        assert!(red[0] > 250 && red[1] < 5 && red[2] < 5, "{red:?}");
        let red = one(63, 102, 240, 8, Coding::new(1, false));
        assert!(red[0] > 250 && red[1] < 5 && red[2] < 5, "{red:?}");
        // Identity: G, B, R planes.
        assert_eq!(one(10, 20, 30, 8, Coding::new(0, true)), [30, 10, 20]);
    }
}
