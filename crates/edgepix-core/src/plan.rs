//! Geometry, as pure functions: from the displayed source size and the
//! requested `w`/`h` to the output size and the source region to keep.
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
mod tests {
    use super::*;

    fn out(g: Geometry) -> (u32, u32) {
        (g.width, g.height)
    }

    #[test]
    fn output_sizes() {
        let cases = [
            // (source, w, h) -> output
            ((2725, 2225), Some(800), None, (800, 653)),
            ((2725, 2225), None, Some(653), (800, 653)),
            ((600, 450), Some(300), None, (300, 225)),
            ((600, 450), Some(900), None, (600, 450)), // no upscaling
            ((600, 450), None, None, (600, 450)),
            ((600, 450), Some(200), Some(200), (200, 200)),
            ((600, 450), Some(1200), Some(600), (600, 300)), // box shrunk to fit
            ((10000, 1), Some(10), None, (10, 1)),           // never 0
            ((1, 10000), Some(1), Some(1), (1, 1)),
        ];
        for ((sw, sh), w, h, expected) in cases {
            assert_eq!(out(plan(sw, sh, w, h)), expected, "{sw}x{sh} w={w:?} h={h:?}");
        }
    }

    #[test]
    fn cover_crops_the_centre() {
        let g = plan(600, 450, Some(200), Some(200));
        assert_eq!(g.region, Region { x: 75.0, y: 0.0, width: 450.0, height: 450.0 });
        let g = plan(450, 600, Some(300), Some(100));
        assert_eq!(g.region, Region { x: 0.0, y: 225.0, width: 450.0, height: 150.0 });
    }

    /// sharp's documented meanings, on a 600×400 source and a 200×200 box
    /// (and boxes larger than the source, where edgepix never upscales).
    #[test]
    fn fits() {
        use Fit::*;
        let cases = [
            (Cover, (200, 200), (200, 200), None),
            (Contain, (200, 200), (200, 133), Some((200, 200, 0, 33))),
            (Fill, (200, 200), (200, 200), None),
            (Inside, (200, 200), (200, 133), None),
            (Outside, (200, 200), (300, 200), None),
            (Contain, (300, 100), (150, 100), Some((300, 100, 75, 0))),
            (Inside, (300, 100), (150, 100), None),
            (Outside, (300, 100), (300, 200), None),
            (Fill, (300, 100), (300, 100), None),
            // Boxes larger than the source.
            (Inside, (1200, 1200), (600, 400), None),
            (Outside, (1200, 300), (600, 400), None),
            (Fill, (1200, 1200), (400, 400), None),
            (Contain, (1200, 1200), (400, 267), Some((400, 400, 0, 66))),
            (Cover, (1200, 1200), (400, 400), None),
        ];
        for (fit, (w, h), size, canvas) in cases {
            let (g, c) = plan_fit(600, 400, Some(w), Some(h), fit);
            assert_eq!((g.width, g.height), size, "{fit:?} {w}x{h}");
            assert_eq!(c.map(|c| (c.width, c.height, c.x, c.y)), canvas, "{fit:?} {w}x{h}");
        }
        // Cover crops the centre; contain, fill, inside and outside keep it all.
        assert_eq!(plan_fit(600, 400, Some(200), Some(200), Cover).0.region.width, 400.0);
        for fit in [Contain, Fill, Inside, Outside] {
            assert_eq!(plan_fit(600, 400, Some(200), Some(200), fit).0.region.width, 600.0, "{fit:?}");
        }
    }

    #[test]
    fn transposed_swaps_axes() {
        let g = plan(600, 450, Some(200), Some(100));
        assert_eq!(g.region, Region { x: 0.0, y: 75.0, width: 600.0, height: 300.0 });
        let t = g.transposed();
        assert_eq!((t.width, t.height), (100, 200));
        assert_eq!(t.region, Region { x: 75.0, y: 0.0, width: 300.0, height: 600.0 });
    }
}
