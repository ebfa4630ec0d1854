//! Encoders, one function per format. Settings that are not part of the URL
//! (AVIF speed) come in [`EncoderSettings`], decided once by the server's
//! configuration.

mod avif;
pub(crate) mod gif;
pub(crate) mod jpeg;
mod png;
mod webp;

use image::DynamicImage;

use crate::frame::{Frame, Pixels};
use crate::metadata::{KeepMetadata, OutputMetadata, embed};
use crate::plan::Plan;
use crate::{CoreError, OutputFormat};

/// Processing settings that are configuration, not request parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncoderSettings {
    /// AVIF encoder speed (libaom with the `aom` feature, else rav1e), 1
    /// (slowest, smallest) to 10 (fastest).
    pub avif_speed: u8,
    /// libwebp method, 0 (fastest) to 6 (slowest, smallest).
    pub webp_method: u8,
    /// Resize in linear light instead of sRGB-encoded values (slower; see
    /// BENCHMARKS.md for why it is off by default).
    pub linear_light: bool,
    /// Metadata of the original kept in outputs (default: none).
    pub keep_metadata: KeepMetadata,
    /// How far a decoder may shrink on load (JPEG's scaled IDCT).
    pub shrink_on_load: ShrinkOnLoad,
    /// The SSIMULACRA2 score `q=auto` aims for (70: "high quality").
    pub auto_quality_target: u8,
}

/// How small a decoder may decode before the resize (JPEG: 1/2, 1/4, 1/8
/// or another eighth).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ShrinkOnLoad {
    /// Keep at least twice the output size for the resize (libvips'
    /// thumbnail): the resampling filter, not the decoder's scaling,
    /// decides the look.
    #[default]
    Quality,
    /// Decode at 1/2, 1/4 or 1/8 whenever the reduction reaches it, as
    /// sharp's `fastShrinkOnLoad` does, with its guard: one step less when
    /// the reduction is under the next whole number (1600 px to 200
    /// decodes at 1/4, not at exactly 200 px).
    Fast,
}

impl Default for EncoderSettings {
    /// AVIF speed 8 (imgproxy's default AVIF speed as well), WebP method 2
    /// (see `encode/webp.rs`), sRGB-encoded resizing.
    fn default() -> Self {
        Self {
            avif_speed: 8,
            webp_method: 2,
            linear_light: false,
            keep_metadata: KeepMetadata::default(),
            shrink_on_load: ShrinkOnLoad::default(),
            auto_quality_target: 70,
        }
    }
}

/// The encode step: `frame` as `format` at the plan's quality, with `meta`.
/// JPEG without alpha is flattened onto the plan's matte (`bg`, else white).
pub(crate) fn frame(
    frame: Frame,
    format: OutputFormat,
    plan: &Plan,
    meta: &OutputMetadata,
) -> Result<Vec<u8>, CoreError> {
    match frame.pixels {
        Pixels::Rgb(image) => {
            encode(&image, format, plan.quality_for(format), plan.matte(), &plan.settings, meta)
        }
        #[cfg(feature = "simd")]
        Pixels::Planes(planes) => {
            let size = planes.size();
            Ok(embed(crate::yuv::encode(planes, format, plan)?, format, size, meta))
        }
    }
}

/// Encode an 8-bit RGB or RGBA image, with the metadata `meta`.
pub(crate) fn encode(
    image: &DynamicImage,
    format: OutputFormat,
    quality: u8,
    background: [u8; 3],
    settings: &EncoderSettings,
    meta: &OutputMetadata,
) -> Result<Vec<u8>, CoreError> {
    let (w, h) = (image.width(), image.height());
    let alpha = image.color().has_alpha();
    let bytes = image.as_bytes();
    let tuned = tuned_quality(quality);
    let encoded = match format {
        OutputFormat::Jpeg if alpha => jpeg::encode(&flatten(bytes, background), w, h, tuned),
        OutputFormat::Jpeg => jpeg::encode(bytes, w, h, tuned),
        OutputFormat::Png => png::encode(bytes, w, h, alpha),
        OutputFormat::Webp => webp::encode(bytes, w, h, alpha, tuned, settings.webp_method),
        OutputFormat::Avif => {
            avif::encode(bytes, w, h, alpha, quality, settings.avif_speed, meta.exif.as_deref())
        }
        OutputFormat::Gif => gif::encode(image),
    }?;
    Ok(embed(encoded, format, (w, h), meta))
}

/// The encoder quality for a requested JPEG or WebP `q`: q80 (the default)
/// encodes at 78, 1 and 100 stay put, linear in between. Measured by
/// `benches/quality.py` (BENCHMARKS.md): edgepix's resize keeps more detail
/// than sharp's, so at 78 it still scores at least sharp's SSIMULACRA2 at
/// q80 while writing fewer bytes (JPEG -1.9%, WebP -3.3%); at 77 JPEG
/// drops below sharp's score.
pub(crate) fn tuned_quality(q: u8) -> u8 {
    let q = f32::from(q.clamp(1, 100));
    let tuned = if q <= 80.0 { q * 78.0 / 80.0 } else { 78.0 + (q - 80.0) * 22.0 / 20.0 };
    tuned.round().clamp(1.0, 100.0) as u8
}

/// JPEG has no alpha: composite onto the background, white unless `bg` says
/// otherwise, as imgproxy and thumbor do (a transparent logo on black is
/// rarely what anyone wants).
pub(crate) fn flatten(rgba: &[u8], [r, g, b]: [u8; 3]) -> Vec<u8> {
    let over = |c: u8, a: u8, bg: u8| {
        ((u16::from(c) * u16::from(a) + u16::from(bg) * u16::from(255 - a) + 127) / 255) as u8
    };
    rgba.chunks_exact(4)
        .flat_map(|p| [over(p[0], p[3], r), over(p[1], p[3], g), over(p[2], p[3], b)])
        .collect()
}

pub(crate) fn failed(format: OutputFormat, reason: impl std::fmt::Display) -> CoreError {
    CoreError::Encode { format: format.name(), reason: reason.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tuned_quality_keeps_the_ends_and_order() {
        assert_eq!([1, 80, 90, 100].map(tuned_quality), [1, 78, 89, 100]);
        assert!((1..100).all(|q| tuned_quality(q) <= tuned_quality(q + 1)));
    }

    #[cfg(feature = "webp")]
    #[test]
    fn the_webp_method_setting_reaches_libwebp() {
        // Texture that libwebp's slower methods code measurably better.
        let rgb: Vec<u8> = (0..128u32 * 128)
            .flat_map(|i| {
                let (x, y) = (i % 128, i / 128);
                [(x * 7 + y * 3) as u8, ((x ^ y) * 5) as u8, (x * y / 64) as u8]
            })
            .collect();
        let size = |method| webp::encode(&rgb, 128, 128, false, 78, method).unwrap().len();
        assert!(size(6) < size(0), "method 6: {} B, method 0: {} B", size(6), size(0));
    }

    #[test]
    fn flatten_blends_with_the_background() {
        let pixels = [0, 0, 0, 0, 0, 0, 0, 255, 255, 0, 0, 128];
        assert_eq!(flatten(&pixels, [255; 3]), [255, 255, 255, 0, 0, 0, 255, 127, 127]);
        assert_eq!(flatten(&pixels, [0, 0, 255]), [0, 0, 255, 0, 0, 0, 128, 0, 127]);
    }
}
