//! Decoding: bytes in, 8-bit grey, grey+alpha, RGB or RGBA out (CMYK as an
//! RGBA buffer of inks), with what the file says about its colours (the ICC
//! profile) for the colour step. JPEG goes through `jpeg-decoder` because it
//! can shrink on load (DCT scaling), or, with the `simd` feature, through
//! libjpeg-turbo (`turbo`), several times faster; everything else through `image`, with
//! the allocation limit from [`Limits`].

mod jpeg;
mod partial;
#[cfg(feature = "simd")]
pub(crate) mod turbo;

use image::{DynamicImage, ImageDecoder};

use crate::colour::SourceColour;
use crate::plan::Geometry;
use crate::{CoreError, InputFormat, Limits, Probe};

/// Decoded pixels and how to read their colours.
pub(crate) struct Decoded {
    /// L8, La8, Rgb8 or Rgba8 (see [`normalise`]); CMYK inks in an Rgba8.
    pub image: DynamicImage,
    /// The colour space the pixels are in.
    pub colour: SourceColour,
}

/// Decode an original whose header was probed. `geometry` is in stored
/// (un-oriented) coordinates; the JPEG decoder may decode at 1/2, 1/4 or 1/8
/// scale as long as the kept region stays at least twice the output size.
pub(crate) fn decode(
    bytes: &[u8],
    probe: &Probe,
    geometry: &Geometry,
    limits: &Limits,
) -> Result<Decoded, CoreError> {
    match probe.format {
        // Already L8, Rgb8 or CMYK (whose fourth channel is ink, not alpha).
        InputFormat::Jpeg => jpeg::decode(bytes, min_size(probe, geometry), limits),
        format => {
            let mut decoder = crate::probe::image_decoder(bytes, format, limits)?;
            let (width, height) = decoder.dimensions();
            if (width, height) != (probe.width, probe.height) {
                return Err(CoreError::undecodable("dimensions changed between probe and decode"));
            }
            // A broken profile is not worth refusing an image over: untagged.
            let colour =
                decoder.icc_profile().ok().flatten().map_or(SourceColour::Untagged, SourceColour::Icc);
            let image = partial::read(decoder, limits.strict_decode)?;
            Ok(Decoded { image: normalise(image), colour })
        }
    }
}

/// The smallest decoded size (at least 1×1, at most the stored size) at
/// which the region is still twice the output size: what a JPEG decoder may
/// shrink on load to.
pub(crate) fn min_size(probe: &Probe, g: &Geometry) -> (usize, usize) {
    let scale = min_scale(g);
    let side = |v: u32| ((f64::from(v) * scale).ceil() as usize).clamp(1, v as usize);
    (side(probe.width), side(probe.height))
}

/// The shrink-on-load scales, in eighths, below a full decode: all that
/// `jpeg-decoder` offers, and all the `simd` build asks of libjpeg-turbo
/// (its other eighths are slower and blurrier, see `turbo`).
pub(crate) const SHRINK_EIGHTHS: [usize; 3] = [1, 2, 4];

/// The smallest scale at which the region is still twice the output size.
pub(crate) fn min_scale(g: &Geometry) -> f64 {
    let sx = 2.0 * f64::from(g.width) / g.region.width;
    let sy = 2.0 * f64::from(g.height) / g.region.height;
    sx.max(sy).min(1.0)
}

/// 8 bits per channel; grey stays grey (a third of the resize work; the
/// colour step makes it RGB); alpha only when some pixel is not opaque: an
/// alpha channel that is all 255 would only cost resize time and bytes.
pub(crate) fn normalise(image: DynamicImage) -> DynamicImage {
    let (grey, alpha) = (!image.color().has_color(), image.color().has_alpha());
    match (grey, alpha) {
        (true, false) => DynamicImage::ImageLuma8(image.into_luma8()),
        (false, false) => DynamicImage::ImageRgb8(image.into_rgb8()),
        (true, true) => {
            let la = image.into_luma_alpha8();
            if la.pixels().all(|p| p.0[1] == u8::MAX) {
                DynamicImage::ImageLuma8(DynamicImage::ImageLumaA8(la).into_luma8())
            } else {
                DynamicImage::ImageLumaA8(la)
            }
        }
        (false, true) => {
            let rgba = image.into_rgba8();
            if rgba.pixels().all(|p| p.0[3] == u8::MAX) {
                DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(rgba).into_rgb8())
            } else {
                DynamicImage::ImageRgba8(rgba)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::plan;

    #[test]
    fn min_scale_keeps_twice_the_output() {
        assert_eq!(min_scale(&plan(4000, 3000, Some(500), None)), 0.25);
        assert_eq!(min_scale(&plan(4000, 3000, Some(3000), None)), 1.0);
        // Cover crop: the kept region, not the whole image, must stay 2x.
        let g = plan(4000, 1000, Some(100), Some(100));
        assert_eq!(min_scale(&g), 0.2);
    }

    #[test]
    fn opaque_alpha_is_dropped_real_alpha_kept() {
        let opaque = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(4, 4, [1, 2, 3, 255].into()));
        assert_eq!(normalise(opaque).color(), image::ColorType::Rgb8);
        let mut clear = image::RgbaImage::from_pixel(4, 4, [1, 2, 3, 255].into());
        clear.put_pixel(0, 0, [0, 0, 0, 0].into());
        assert_eq!(normalise(DynamicImage::ImageRgba8(clear)).color(), image::ColorType::Rgba8);
    }

    #[test]
    fn grey_stays_grey_and_sixteen_bits_become_eight() {
        let grey = DynamicImage::ImageLuma16(image::ImageBuffer::from_pixel(2, 2, [0x8000].into()));
        let out = normalise(grey);
        assert_eq!((out.color(), out.as_bytes()[0]), (image::ColorType::L8, 128));
        let opaque = DynamicImage::ImageLumaA8(image::ImageBuffer::from_pixel(2, 2, [7, 255].into()));
        assert_eq!(normalise(opaque).color(), image::ColorType::L8);
        let clear = DynamicImage::ImageLumaA8(image::ImageBuffer::from_pixel(2, 2, [7, 0].into()));
        assert_eq!(normalise(clear).color(), image::ColorType::La8);
    }
}
