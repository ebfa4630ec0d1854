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

use crate::colour::SourceColour;
use crate::frame::{Frame, Pixels};
use crate::geometry::{Geometry, Region};
use crate::plan::Plan;
use crate::{CoreError, analyse};

/// How to treat the channels while resampling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Mode {
    /// The last channel of a 2- or 4-channel image is alpha (false for CMYK,
    /// whose fourth channel is black ink and must not be premultiplied).
    pub alpha: bool,
    /// Resample linear light rather than sRGB-encoded values.
    pub linear: bool,
}

/// The resize step: the plan's region in stored coordinates, scaled to the
/// size the decoder produced (shrink-on-load), moved by the content-aware
/// search if the plan has one, cut out and resampled to the output size, in
/// either lane.
pub(crate) fn frame(frame: Frame, plan: &Plan) -> Result<Frame, CoreError> {
    let (width, height) = frame.size();
    let (sx, sy) = (decode_scale(width, plan.probe.width), decode_scale(height, plan.probe.height));
    let mut scaled = plan.stored.scaled_source(sx, sy);
    if let (Some(search), Pixels::Rgb(image)) = (&plan.search, &frame.pixels) {
        let bounds = Geometry { region: search.bounds, ..scaled }.scaled_source(sx, sy).region;
        let alpha = !matches!(frame.colour, SourceColour::Cmyk(_));
        scaled.region = analyse::place(image, search.strategy, bounds, scaled.region, alpha);
    }
    let Frame { pixels, colour } = frame;
    let pixels = match pixels {
        Pixels::Rgb(image) => {
            let alpha = !matches!(colour, SourceColour::Cmyk(_));
            Pixels::Rgb(resize(image, &scaled, Mode { alpha, linear: plan.settings.linear_light })?)
        }
        #[cfg(feature = "simd")]
        Pixels::Planes(planes) => Pixels::Planes(crate::yuv::resize(&planes, &scaled, plan)?),
    };
    Ok(Frame { pixels, colour })
}

/// How a side of `stored` pixels was scaled by the decoder to `decoded`. A
/// DCT-scaled JPEG decode is exactly 1/2, 1/4 or 1/8 of the stored image,
/// its last row and column covering a partial block: 2725 px at 1/4
/// decode as 682 px that span 681.25 px of the image. Taking 682/2725 as
/// the scale instead stretches the picture by up to half a decoded pixel
/// at the far edge, which cost 12 SSIMULACRA2 points on a 2725 px wide
/// photo resized to 400 w; libjpeg's sizes are `⌈stored / p⌉`, so they say
/// which fraction it was. Any other size is a plain ratio.
fn decode_scale(decoded: u32, stored: u32) -> f64 {
    [1, 2, 4, 8]
        .into_iter()
        .find(|&p| decoded == stored.div_ceil(p))
        .map_or_else(|| f64::from(decoded) / f64::from(stored.max(1)), |p| 1.0 / f64::from(p))
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

/// `r` kept inside a `width`×`height` image, against rounding (and a
/// ratio-scaled region from a decoder other than the JPEG ones).
fn clamped(r: Region, width: usize, height: usize) -> (f64, f64, f64, f64) {
    let (w, h) = (width as f64, height as f64);
    let (x, y) = (r.x.clamp(0.0, w - 1.0), r.y.clamp(0.0, h - 1.0));
    (x, y, r.width.min(w - x), r.height.min(h - y))
}

#[cfg(test)]
mod tests;
