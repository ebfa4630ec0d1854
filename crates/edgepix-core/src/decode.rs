//! Decoding: bytes in, 8-bit grey, grey+alpha, RGB or RGBA out (CMYK as an
//! RGBA buffer of inks), with what the file says about its colours (the ICC
//! profile) for the colour step. JPEG goes through `jpeg-decoder` because it
//! can shrink on load (DCT scaling), or, with the `simd` feature, through
//! libjpeg-turbo (`turbo`), several times faster; everything else through `image`, with
//! the allocation limit from [`Limits`].

mod avif;
mod hdr;
#[cfg(feature = "heic")]
mod heic;
mod jpeg;
pub(crate) mod jxl;
mod partial;
#[cfg(feature = "simd")]
pub(crate) mod turbo;
mod yuv_rgb;

use image::{DynamicImage, ImageDecoder};

use crate::colour::SourceColour;
use crate::frame::Frame;
use crate::plan::Plan;
use crate::{CoreError, InputFormat, Limits, Probe};

/// The decode step: the plan's lane, shrinking on load to its floor. A
/// JPEG planned for [`Lane::Planes`] that libjpeg-turbo cannot give as
/// plain planes (or whose profile is not sRGB) is decoded to RGB instead,
/// so acceptance and errors stay exactly those of the RGB lane.
pub(crate) fn frame(bytes: &[u8], plan: &Plan, limits: &Limits) -> Result<Frame, CoreError> {
    #[cfg(feature = "simd")]
    if plan.lane == crate::plan::Lane::Planes
        && let Some(frame) = crate::yuv::decode(bytes, plan)
    {
        return Ok(frame);
    }
    rgb(bytes, &plan.probe, plan.decode_floor, limits)
}

/// Decode an original whose header was probed to the RGB lane. A JPEG
/// decoder may shrink on load to 1/2, 1/4 or 1/8 as long as the result is
/// at least `floor` (stored pixels) in both directions.
pub(crate) fn rgb(
    bytes: &[u8],
    probe: &Probe,
    floor: (usize, usize),
    limits: &Limits,
) -> Result<Frame, CoreError> {
    match probe.format {
        // Already L8, Rgb8 or CMYK (whose fourth channel is ink, not alpha).
        InputFormat::Jpeg => jpeg::decode(bytes, floor, limits),
        InputFormat::Avif => checked(avif::decode(bytes, limits)?, probe),
        InputFormat::Jxl => checked(jxl::decode(bytes, limits)?, probe),
        #[cfg(feature = "heic")]
        InputFormat::Heic => checked(heic::decode(bytes, limits)?, probe),
        #[cfg(not(feature = "heic"))]
        InputFormat::Heic => Err(CoreError::UnsupportedInput(
            "HEIC/HEIF input needs edgepix built with the `heic` feature (HEVC is patent-encumbered, so it is off by default)".into(),
        )),
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
            Ok(Frame::rgb(normalise(image), colour))
        }
    }
}

/// A decoded frame must be the size the probe read from the header (the
/// size the limits and the plan were made for).
fn checked(frame: Frame, probe: &Probe) -> Result<Frame, CoreError> {
    if frame.size() == (probe.width, probe.height) {
        Ok(frame)
    } else {
        Err(CoreError::undecodable("the decoded image is not the size its header declares"))
    }
}

/// The shrink-on-load scales, in eighths, below a full decode: all that
/// `jpeg-decoder` offers, and all the `simd` build asks of libjpeg-turbo
/// (its other eighths are slower and blurrier, see `turbo`).
pub(crate) const SHRINK_EIGHTHS: [usize; 3] = [1, 2, 4];

/// An interleaved 8-bit buffer of 1 (grey), 2 (grey + alpha), 3 (RGB) or 4
/// (RGBA) channels as an image: what the AVIF, HEIC and JPEG XL decoders
/// produce. A buffer shorter than its size is an internal error.
pub(crate) fn interleaved(
    pixels: Vec<u8>,
    width: u32,
    height: u32,
    channels: usize,
) -> Result<DynamicImage, CoreError> {
    use image::{GrayAlphaImage, GrayImage, RgbImage, RgbaImage};
    let short = || {
        CoreError::Internal(format!("decoded buffer of {channels} channels shorter than {width}x{height}"))
    };
    Ok(match channels {
        1 => DynamicImage::ImageLuma8(GrayImage::from_raw(width, height, pixels).ok_or_else(short)?),
        2 => DynamicImage::ImageLumaA8(GrayAlphaImage::from_raw(width, height, pixels).ok_or_else(short)?),
        3 => DynamicImage::ImageRgb8(RgbImage::from_raw(width, height, pixels).ok_or_else(short)?),
        4 => DynamicImage::ImageRgba8(RgbaImage::from_raw(width, height, pixels).ok_or_else(short)?),
        n => return Err(CoreError::Internal(format!("decoded buffer of {n} channels"))),
    })
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
