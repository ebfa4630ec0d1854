//! One high-quality resampling pass (Lanczos3) with fast_image_resize, which
//! is SIMD-accelerated and premultiplies alpha itself, so transparent pixels
//! do not bleed their (meaningless) colour into visible edges. Optionally in
//! linear light (sRGB decoded to 16-bit linear and back), which keeps fine
//! bright-on-dark detail from darkening; see BENCHMARKS.md for its cost.

use fast_image_resize::images::Image;
use fast_image_resize::{
    Filter, FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer, create_srgb_mapper,
};
use image::{ColorType, DynamicImage, ImageBuffer, Luma, LumaA, Rgb, Rgba};

use crate::CoreError;
use crate::plan::{Geometry, Region};

/// How to treat the channels while resampling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Mode {
    /// The last channel of a 2- or 4-channel image is alpha (false for CMYK,
    /// whose fourth channel is black ink and must not be premultiplied).
    pub alpha: bool,
    /// Resample linear light rather than sRGB-encoded values.
    pub linear: bool,
}

/// Crop `geometry.region` out of `image` and scale it to the output size.
/// `image` must be 8-bit grey, grey+alpha, RGB or RGBA (see `decode::normalise`).
pub(crate) fn resize(
    image: DynamicImage,
    geometry: &Geometry,
    mode: Mode,
) -> Result<DynamicImage, CoreError> {
    let (width, height, color) = (image.width(), image.height(), image.color());
    let r = geometry.region;
    let whole = r.x == 0.0 && r.y == 0.0 && r.width == f64::from(width) && r.height == f64::from(height);
    if whole && (geometry.width, geometry.height) == (width, height) {
        return Ok(image);
    }
    let (pixel_type, linear_type) = match color {
        ColorType::L8 => (PixelType::U8, PixelType::U16),
        ColorType::La8 => (PixelType::U8x2, PixelType::U16x2),
        ColorType::Rgb8 => (PixelType::U8x3, PixelType::U16x3),
        ColorType::Rgba8 => (PixelType::U8x4, PixelType::U16x4),
        other => return Err(CoreError::Internal(format!("resize got {other:?}"))),
    };
    let internal = |e: &dyn std::fmt::Display| CoreError::Internal(format!("resize: {e}"));
    let src = Image::from_vec_u8(width, height, image.into_bytes(), pixel_type).map_err(|e| internal(&e))?;
    let mut dst = Image::new(geometry.width, geometry.height, pixel_type);
    let (x, y, w, h) = clamped(r, width as usize, height as usize);
    let options = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(lanczos3()))
        .crop(x, y, w, h)
        .use_alpha(mode.alpha);
    let mut resizer = Resizer::new();
    if mode.linear {
        let mapper = create_srgb_mapper();
        let mut linear = Image::new(width, height, linear_type);
        mapper.forward_map(&src, &mut linear).map_err(|e| internal(&e))?;
        let mut resized = Image::new(geometry.width, geometry.height, linear_type);
        resizer.resize(&linear, &mut resized, &options).map_err(|e| internal(&e))?;
        mapper.backward_map(&resized, &mut dst).map_err(|e| internal(&e))?;
    } else {
        resizer.resize(&src, &mut dst, &options).map_err(|e| internal(&e))?;
    }
    let (w, h, out) = (dst.width(), dst.height(), dst.into_vec());
    let image = match color {
        ColorType::L8 => ImageBuffer::<Luma<u8>, _>::from_raw(w, h, out).map(DynamicImage::ImageLuma8),
        ColorType::La8 => ImageBuffer::<LumaA<u8>, _>::from_raw(w, h, out).map(DynamicImage::ImageLumaA8),
        ColorType::Rgb8 => ImageBuffer::<Rgb<u8>, _>::from_raw(w, h, out).map(DynamicImage::ImageRgb8),
        _ => ImageBuffer::<Rgba<u8>, _>::from_raw(w, h, out).map(DynamicImage::ImageRgba8),
    };
    image.ok_or_else(|| CoreError::Internal("resize output size mismatch".into()))
}

/// Lanczos3 as fast_image_resize's own, read from a table: the weights are
/// recomputed for every resize (over 100,000 of them for a 6 MP photo to
/// 800 px), and the two `sin` calls per weight were 3% of a JPEG → WebP
/// request's profile.
fn lanczos3() -> FilterType {
    FilterType::Custom(Filter::new("Lanczos3", lanczos3_weight, 3.0).expect("a finite, positive support"))
}

/// Table samples per unit of distance; linear interpolation between them
/// is within 1e-6 of the kernel (its second derivative stays below 11),
/// far below what an 8-bit result can show.
const STEPS: usize = 1024;

static LANCZOS3: std::sync::LazyLock<Vec<f64>> = std::sync::LazyLock::new(|| {
    (0..=3 * STEPS + 1).map(|i| lanczos3_exact(i as f64 / STEPS as f64)).collect()
});

fn lanczos3_weight(x: f64) -> f64 {
    let at = x.abs() * STEPS as f64;
    // Also NaN, which no comparison admits.
    if at.is_nan() || at >= (3 * STEPS) as f64 {
        return 0.0;
    }
    let (i, fraction) = (at as usize, at.fract());
    let table = &*LANCZOS3;
    table[i] + (table[i + 1] - table[i]) * fraction
}

/// `sinc(x)·sinc(x/3)` on (−3, 3).
fn lanczos3_exact(x: f64) -> f64 {
    if x == 0.0 {
        return 1.0;
    }
    if !(-3.0..3.0).contains(&x) {
        return 0.0;
    }
    let px = x * std::f64::consts::PI;
    px.sin() * (px / 3.0).sin() * 3.0 / (px * px)
}

/// Crop `region` out of one 8-bit plane (`size` pixels used, rows `stride`
/// bytes apart) and scale it to `out`, with the same filter as [`resize`]:
/// the JPEG lane (`yuv`) resizes luma and chroma planes separately.
#[cfg(feature = "simd")]
pub(crate) fn resize_plane(
    plane: &[u8],
    stride: usize,
    (width, height): (usize, usize),
    r: Region,
    out: (usize, usize),
) -> Result<Vec<u8>, CoreError> {
    use fast_image_resize::images::ImageRef;
    let internal = |e: &dyn std::fmt::Display| CoreError::Internal(format!("resize plane: {e}"));
    let side = |v: usize| u32::try_from(v).map_err(|e| internal(&e));
    let rows = plane.get(..stride * height).ok_or_else(|| internal(&"plane shorter than declared"))?;
    let src = ImageRef::new(side(stride)?, side(height)?, rows, PixelType::U8).map_err(|e| internal(&e))?;
    let mut dst = Image::new(side(out.0)?, side(out.1)?, PixelType::U8);
    let (x, y, w, h) = clamped(r, width, height);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(lanczos3())).crop(x, y, w, h);
    Resizer::new().resize(&src, &mut dst, &options).map_err(|e| internal(&e))?;
    Ok(dst.into_vec())
}

/// `r` kept inside a `width`×`height` image: scaling a region to a
/// shrunk-on-load decode can overshoot it by a rounding error (2725 px at
/// 1/2 decodes as 1363 px, not 1362.5).
fn clamped(r: Region, width: usize, height: usize) -> (f64, f64, f64, f64) {
    let (w, h) = (width as f64, height as f64);
    let (x, y) = (r.x.clamp(0.0, w - 1.0), r.y.clamp(0.0, h - 1.0));
    (x, y, r.width.min(w - x), r.height.min(h - y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::plan;

    use image::{RgbImage, RgbaImage};

    const ALPHA: Mode = Mode { alpha: true, linear: false };

    #[test]
    fn tabled_lanczos3_is_the_textbook_kernel() {
        let sinc = |x: f64| {
            if x == 0.0 { 1.0 } else { (x * std::f64::consts::PI).sin() / (x * std::f64::consts::PI) }
        };
        for i in -31_000..=31_000 {
            let x = f64::from(i) / 10_000.0 + 0.000_037;
            let want = if x.abs() < 3.0 { sinc(x) * sinc(x / 3.0) } else { 0.0 };
            assert!((lanczos3_weight(x) - want).abs() < 1e-6, "x={x}: {} vs {want}", lanczos3_weight(x));
        }
        assert_eq!(lanczos3_weight(0.0), 1.0);
        assert_eq!([lanczos3_weight(3.0), lanczos3_weight(-7.5), lanczos3_weight(f64::NAN)], [0.0; 3]);
    }

    #[test]
    fn resizes_to_the_planned_size() {
        let image = DynamicImage::ImageRgb8(RgbImage::from_pixel(600, 450, [10, 200, 30].into()));
        let out = resize(image, &plan(600, 450, Some(200), Some(200)), Mode::default()).unwrap();
        assert_eq!((out.width(), out.height()), (200, 200));
        assert_eq!(out.as_rgb8().unwrap().get_pixel(100, 100).0, [10, 200, 30]);
    }

    #[test]
    fn a_region_overshooting_by_rounding_is_clamped() {
        let image = DynamicImage::ImageRgb8(RgbImage::from_pixel(1363, 1113, [1, 2, 3].into()));
        let geometry = plan(2725, 2225, Some(800), None).scaled_source(1363.0 / 2725.0, 1113.0 / 2225.0);
        assert!(geometry.region.height > 1113.0, "the case must overshoot: {:?}", geometry.region);
        let out = resize(image, &geometry, Mode::default()).unwrap();
        assert_eq!((out.width(), out.height()), (800, 653));
    }

    #[test]
    fn transparent_neighbours_do_not_darken_edges() {
        // Left half opaque red, right half fully transparent *black*: without
        // premultiplication the edge pixels turn dark red.
        let mut rgba = RgbaImage::from_pixel(64, 8, [0, 0, 0, 0].into());
        for x in 0..32 {
            for y in 0..8 {
                rgba.put_pixel(x, y, [255, 0, 0, 255].into());
            }
        }
        let out = resize(DynamicImage::ImageRgba8(rgba), &plan(64, 8, Some(16), None), ALPHA).unwrap();
        for p in out.as_rgba8().unwrap().pixels().filter(|p| p.0[3] > 16) {
            assert!(p.0[0] > 240, "dark fringe: {:?}", p.0);
        }
    }

    #[test]
    fn grey_and_grey_alpha_keep_their_layout() {
        let grey = DynamicImage::ImageLuma8(image::GrayImage::from_pixel(40, 30, [77].into()));
        let out = resize(grey, &plan(40, 30, Some(10), None), ALPHA).unwrap();
        assert_eq!((out.color(), out.width(), out.as_bytes()[0]), (ColorType::L8, 10, 77));
        let clear = DynamicImage::ImageLumaA8(image::GrayAlphaImage::from_pixel(40, 30, [77, 0].into()));
        let out = resize(clear, &plan(40, 30, Some(10), None), ALPHA).unwrap();
        assert_eq!(out.color(), ColorType::La8);
    }

    #[test]
    fn cmyk_black_ink_is_not_treated_as_alpha() {
        // Half the picture without black ink (K = 0), half full black: with
        // premultiplication the K = 0 side would weigh nothing.
        let mut cmyk = image::RgbaImage::from_pixel(64, 8, [200, 0, 0, 0].into());
        for x in 32..64 {
            for y in 0..8 {
                cmyk.put_pixel(x, y, [0, 0, 0, 255].into());
            }
        }
        let cmyk_mode = Mode { alpha: false, linear: false };
        let out = resize(DynamicImage::ImageRgba8(cmyk), &plan(64, 8, Some(16), None), cmyk_mode).unwrap();
        let left = out.as_rgba8().unwrap().get_pixel(0, 1).0;
        assert!(left[0] > 190 && left[3] < 10, "{left:?}");
    }

    #[test]
    fn linear_light_averages_light_not_code_values() {
        // Alternating black and white columns, halved: the average of the
        // light is 50%, which sRGB encodes as 188, not 128.
        let stripes =
            RgbImage::from_fn(64, 8, |x, _| if x % 2 == 0 { [0; 3].into() } else { [255; 3].into() });
        let geometry = plan(64, 8, Some(32), None);
        let encoded = resize(DynamicImage::ImageRgb8(stripes.clone()), &geometry, Mode::default()).unwrap();
        let linear = Mode { alpha: false, linear: true };
        let light = resize(DynamicImage::ImageRgb8(stripes), &geometry, linear).unwrap();
        let mid = |i: &DynamicImage| i.as_rgb8().unwrap().get_pixel(16, 2).0[0];
        assert!(mid(&encoded).abs_diff(128) <= 3, "{}", mid(&encoded));
        assert!(mid(&light).abs_diff(188) <= 3, "{}", mid(&light));
    }
}
