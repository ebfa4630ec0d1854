//! Geometry, as pure functions: from the displayed source size and the
//! requested `w`/`h` to the output size and the source region to keep. The
//! request's [`Plan`](crate::Plan) is built from these.
//!
//! Rules (sharp's `fit` meanings; never upscaling, like sharp's
//! `withoutEnlargement` and imgproxy without `enlarge`):
//! - one side given: the other follows the aspect ratio (`fit` is moot);
//! - both given, `cover`: scale to cover the box, crop the centre to w×h;
//!   `contain`: scale to fit inside the box, pad to w×h (see [`Canvas`]);
//!   `fill`: stretch to w×h; `inside`: scale to fit inside, output the
//!   scaled image; `outside`: scale to cover, output the scaled image;
//! - never upscale: for `cover`, `contain` and `fill` a box larger than the
//!   source shrinks, keeping its aspect ratio, until it fits inside the
//!   source; for `inside` and `outside` the scale is capped at 1.

use crate::params::Fit;

/// A region of the source, in source pixels (fractional, as resizers take it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Region {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// Padding around the resized image (`fit=contain`), in display space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Canvas {
    /// Canvas width.
    pub width: u32,
    /// Canvas height.
    pub height: u32,
    /// Where the image's left edge goes.
    pub x: u32,
    /// Where the image's top edge goes.
    pub y: u32,
}

/// What to produce from a source of a given size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    /// The part of the source that ends up in the output.
    pub region: Region,
    /// Output width.
    pub width: u32,
    /// Output height.
    pub height: u32,
}

impl Geometry {
    /// The same geometry seen from a source whose axes are swapped (the
    /// stored image of an EXIF orientation 5–8 photo). The region is centred,
    /// so flips do not move it.
    pub fn transposed(self) -> Self {
        let r = self.region;
        Self {
            region: Region { x: r.y, y: r.x, width: r.height, height: r.width },
            width: self.height,
            height: self.width,
        }
    }

    /// The same geometry on a source decoded at a smaller scale.
    pub fn scaled_source(self, sx: f64, sy: f64) -> Self {
        let r = self.region;
        Self {
            region: Region { x: r.x * sx, y: r.y * sy, width: r.width * sx, height: r.height * sy },
            ..self
        }
    }
}

/// The geometry for a source of `src_w`×`src_h` (as displayed), and the
/// canvas to pad it onto for `contain`.
pub fn plan_fit(
    src_w: u32,
    src_h: u32,
    w: Option<u32>,
    h: Option<u32>,
    fit: Fit,
) -> (Geometry, Option<Canvas>) {
    let (Some(w), Some(h)) = (w, h) else {
        return (plan(src_w, src_h, w, h), None);
    };
    let (sw, sh) = (f64::from(src_w), f64::from(src_h));
    let full = Region { x: 0.0, y: 0.0, width: sw, height: sh };
    let scaled = |s: f64| Geometry { region: full, width: round_side(sw * s), height: round_side(sh * s) };
    let (bw, bh) = shrink_box(src_w, src_h, w, h);
    match fit {
        Fit::Cover => (cover(src_w, src_h, w, h), None),
        Fit::Fill => (Geometry { region: full, width: bw, height: bh }, None),
        Fit::Inside => (scaled((f64::from(w) / sw).min(f64::from(h) / sh).min(1.0)), None),
        Fit::Outside => (scaled((f64::from(w) / sw).max(f64::from(h) / sh).min(1.0)), None),
        Fit::Contain => {
            let image = scaled((f64::from(bw) / sw).min(f64::from(bh) / sh));
            let (width, height) = (image.width.min(bw), image.height.min(bh));
            let canvas = Canvas { width: bw, height: bh, x: (bw - width) / 2, y: (bh - height) / 2 };
            (Geometry { width, height, ..image }, Some(canvas))
        }
    }
}

/// Compute the geometry for a source of `src_w`×`src_h` (as displayed),
/// cropping to cover when both sides are given.
pub fn plan(src_w: u32, src_h: u32, w: Option<u32>, h: Option<u32>) -> Geometry {
    let full = Region { x: 0.0, y: 0.0, width: f64::from(src_w), height: f64::from(src_h) };
    let aspect = f64::from(src_w) / f64::from(src_h);
    let (width, height) = match (w, h) {
        (None, None) => (src_w, src_h),
        (Some(w), None) => {
            let w = w.min(src_w);
            (w, round_side(f64::from(w) / aspect))
        }
        (None, Some(h)) => {
            let h = h.min(src_h);
            (round_side(f64::from(h) * aspect), h)
        }
        (Some(w), Some(h)) => return cover(src_w, src_h, w, h),
    };
    Geometry { region: full, width, height }
}

/// Shrink a box (keeping its aspect ratio) until it fits in the source.
fn shrink_box(src_w: u32, src_h: u32, w: u32, h: u32) -> (u32, u32) {
    let k = (f64::from(src_w) / f64::from(w)).min(f64::from(src_h) / f64::from(h)).min(1.0);
    (round_side(f64::from(w) * k), round_side(f64::from(h) * k))
}

fn cover(src_w: u32, src_h: u32, w: u32, h: u32) -> Geometry {
    let (sw, sh) = (f64::from(src_w), f64::from(src_h));
    let (w, h) = shrink_box(src_w, src_h, w, h);
    let scale = (f64::from(w) / sw).max(f64::from(h) / sh);
    let (cw, ch) = ((f64::from(w) / scale).min(sw), (f64::from(h) / scale).min(sh));
    let region = Region { x: (sw - cw) / 2.0, y: (sh - ch) / 2.0, width: cw, height: ch };
    Geometry { region, width: w, height: h }
}

fn round_side(v: f64) -> u32 {
    (v.round() as u32).max(1)
}

#[cfg(test)]
mod tests;
