//! Geometry, as pure functions: from the displayed source size and the
//! requested `w`/`h` to the output size and the source region to keep. The
//! request's [`Plan`](crate::Plan) is built from these.
//!
//! Rules (sharp's `fit` meanings; never upscaling, like sharp's
//! `withoutEnlargement` and imgproxy without `enlarge`):
//! - one side given: the other follows the aspect ratio (`fit` is moot);
//! - both given, `cover`: scale to cover the box, crop w×h centred on the
//!   anchor (`pos`; the centre by default), clamped at the edges;
//!   `contain`: scale to fit inside the box, pad to w×h (see [`Canvas`]),
//!   the padding split in the anchor's proportions;
//!   `fill`: stretch to w×h; `inside`: scale to fit inside, output the
//!   scaled image; `outside`: scale to cover, output the scaled image;
//! - never upscale: for `cover`, `contain` and `fill` a box larger than the
//!   source shrinks, keeping its aspect ratio, until it fits inside the
//!   source; for `inside` and `outside` the scale is capped at 1;
//! - `rect` is cut first and then treated as the whole image
//!   ([`Geometry::offset`]); the anchor is a fraction of it.
//!
//! Everything is in displayed (oriented) coordinates until
//! [`Geometry::stored`] maps the result onto the pixels as stored.

use image::metadata::Orientation;

use crate::params::Fit;

/// Where the kept window sits: fractions of the source's width and height.
pub type Anchor = (f64, f64);

/// The default anchor: the centre.
pub const CENTRE: Anchor = (0.5, 0.5);

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
    /// The same geometry seen on the stored pixels of an image displayed
    /// `display` in size after `orientation` (EXIF's eight): the region is
    /// flipped and, for a quarter turn, transposed.
    pub fn stored(self, orientation: Orientation, display: (u32, u32)) -> Self {
        use Orientation::*;
        let r = self.region;
        let (dw, dh) = (f64::from(display.0), f64::from(display.1));
        let (right, bottom) = (dw - r.x - r.width, dh - r.y - r.height);
        let (x, y, turned) = match orientation {
            NoTransforms => (r.x, r.y, false),
            FlipHorizontal => (right, r.y, false),
            FlipVertical => (r.x, bottom, false),
            Rotate180 => (right, bottom, false),
            Rotate90 => (r.y, right, true),
            Rotate270 => (bottom, r.x, true),
            Rotate90FlipH => (r.y, r.x, true),
            Rotate270FlipH => (bottom, right, true),
        };
        if !turned {
            return Self { region: Region { x, y, ..r }, ..self };
        }
        let region = Region { x, y, width: r.height, height: r.width };
        Self { region, width: self.height, height: self.width }
    }

    /// The same geometry on a larger image, where its source sits at `x`, `y`.
    pub fn offset(self, x: u32, y: u32) -> Self {
        let r = self.region;
        Self { region: Region { x: r.x + f64::from(x), y: r.y + f64::from(y), ..r }, ..self }
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
/// canvas to pad it onto for `contain`, centred.
pub fn plan_fit(
    src_w: u32,
    src_h: u32,
    w: Option<u32>,
    h: Option<u32>,
    fit: Fit,
) -> (Geometry, Option<Canvas>) {
    plan_at(src_w, src_h, w, h, fit, CENTRE)
}

/// [`plan_fit`] with the crop or the padding placed by `anchor`.
pub fn plan_at(
    src_w: u32,
    src_h: u32,
    w: Option<u32>,
    h: Option<u32>,
    fit: Fit,
    anchor: Anchor,
) -> (Geometry, Option<Canvas>) {
    let (Some(w), Some(h)) = (w, h) else {
        return (plan(src_w, src_h, w, h), None);
    };
    let (sw, sh) = (f64::from(src_w), f64::from(src_h));
    let full = Region { x: 0.0, y: 0.0, width: sw, height: sh };
    let scaled = |s: f64| Geometry { region: full, width: round_side(sw * s), height: round_side(sh * s) };
    let (bw, bh) = shrink_box(src_w, src_h, w, h);
    match fit {
        Fit::Cover => (cover(src_w, src_h, w, h, anchor), None),
        Fit::Fill => (Geometry { region: full, width: bw, height: bh }, None),
        Fit::Inside => (scaled((f64::from(w) / sw).min(f64::from(h) / sh).min(1.0)), None),
        Fit::Outside => (scaled((f64::from(w) / sw).max(f64::from(h) / sh).min(1.0)), None),
        Fit::Contain => {
            let image = scaled((f64::from(bw) / sw).min(f64::from(bh) / sh));
            let (width, height) = (image.width.min(bw), image.height.min(bh));
            let share = |free: u32, f: f64| (f64::from(free) * f).floor() as u32;
            let (x, y) = (share(bw - width, anchor.0), share(bh - height, anchor.1));
            let canvas = Canvas { width: bw, height: bh, x, y };
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
        (Some(w), Some(h)) => return cover(src_w, src_h, w, h, CENTRE),
    };
    Geometry { region: full, width, height }
}

/// Shrink a box (keeping its aspect ratio) until it fits in the source.
fn shrink_box(src_w: u32, src_h: u32, w: u32, h: u32) -> (u32, u32) {
    let k = (f64::from(src_w) / f64::from(w)).min(f64::from(src_h) / f64::from(h)).min(1.0);
    (round_side(f64::from(w) * k), round_side(f64::from(h) * k))
}

/// The crop centres on the anchor as far as the source allows.
fn cover(src_w: u32, src_h: u32, w: u32, h: u32, (ax, ay): Anchor) -> Geometry {
    let (sw, sh) = (f64::from(src_w), f64::from(src_h));
    let (w, h) = shrink_box(src_w, src_h, w, h);
    let scale = (f64::from(w) / sw).max(f64::from(h) / sh);
    let (cw, ch) = ((f64::from(w) / scale).min(sw), (f64::from(h) / scale).min(sh));
    let at = |a: f64, side: f64, kept: f64| (a * side - kept / 2.0).clamp(0.0, side - kept);
    let region = Region { x: at(ax, sw, cw), y: at(ay, sh, ch), width: cw, height: ch };
    Geometry { region, width: w, height: h }
}

fn round_side(v: f64) -> u32 {
    (v.round() as u32).max(1)
}

#[cfg(test)]
mod tests;
