//! Colour management: whatever colour space the original was in (an embedded
//! ICC profile: Adobe RGB, Display P3, ProPhoto, a grey profile, CMYK with or
//! without a profile), the output is sRGB, the space browsers assume for
//! untagged images. Without this, wide-gamut photos come out washed out and
//! CMYK ones garish.
//!
//! The transform is `moxcms` (pure Rust, so the core still builds for wasm32;
//! it is also what `image` uses). Untagged images and sRGB profiles cost
//! nothing: a profile is recognised as sRGB by sending a handful of probe
//! colours through its transform, without touching the image. Everything
//! else is converted pixel by pixel; the pipeline does it on the resized
//! image (like libvips) unless it resizes in linear light.

use image::{DynamicImage, RgbImage, RgbaImage};
use moxcms::{ColorProfile, DataColorSpace, Layout, TransformExecutor, TransformOptions};

use crate::CoreError;
use crate::frame::{Frame, Pixels};

/// What the decoder found out about the original's colours.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum SourceColour {
    /// No profile: treated as sRGB, as browsers do.
    #[default]
    Untagged,
    /// An embedded ICC profile (possibly sRGB itself, recognised later).
    Icc(Vec<u8>),
    /// CMYK ink amounts (0 = no ink) carried in an RGBA buffer, with the
    /// embedded profile if there was one.
    Cmyk(Option<Vec<u8>>),
}

impl SourceColour {
    /// Whether the original carried a profile (or CMYK): the outputs of a
    /// tagged original may be tagged sRGB (`KeepMetadata::icc`).
    pub(crate) fn is_tagged(&self) -> bool {
        !matches!(self, Self::Untagged)
    }
}

/// The colour space of ITU-T H.273 primaries and transfer (an AVIF's
/// `nclx`): untagged for sRGB and unspecified ones, else a profile made
/// from them (moxcms), like an embedded ICC profile.
pub(crate) fn from_cicp(primaries: u16, transfer: u16) -> SourceColour {
    use moxcms::{CicpColorPrimaries, CicpProfile, MatrixCoefficients, TransferCharacteristics};
    let srgb_like = matches!(primaries, 1 | 2) && matches!(transfer, 1 | 2 | 6 | 13 | 14 | 15);
    let (Ok(p), Ok(t)) = (u8::try_from(primaries), u8::try_from(transfer)) else {
        return SourceColour::Untagged;
    };
    let (Ok(color_primaries), Ok(transfer_characteristics)) =
        (CicpColorPrimaries::try_from(p), TransferCharacteristics::try_from(t))
    else {
        return SourceColour::Untagged;
    };
    if srgb_like {
        return SourceColour::Untagged;
    }
    let cicp = CicpProfile {
        color_primaries,
        transfer_characteristics,
        matrix_coefficients: MatrixCoefficients::Bt709,
        full_range: true,
    };
    ColorProfile::new_from_cicp(cicp).encode().map_or(SourceColour::Untagged, SourceColour::Icc)
}

/// The colour step: RGB frames to sRGB (then untagged: browsers read
/// untagged as sRGB). Planes pass unchanged: their decode admits only
/// untagged and sRGB-tagged files.
pub(crate) fn frame(frame: Frame) -> Result<Frame, CoreError> {
    match frame.pixels {
        Pixels::Rgb(image) => Ok(Frame::rgb(to_srgb(image, &frame.colour)?, SourceColour::Untagged)),
        #[cfg(feature = "simd")]
        Pixels::Planes(_) => Ok(frame),
    }
}

/// Convert a decoded (possibly resized) image to sRGB: L8, La8, Rgb8 or
/// Rgba8 in (CMYK: an Rgba8 buffer of inks), 8-bit sRGB RGB or RGBA out.
/// A profile that cannot be parsed, or that does not fit the pixels (an RGB
/// profile on a grey image), is ignored rather than failing the request.
fn to_srgb(image: DynamicImage, colour: &SourceColour) -> Result<DynamicImage, CoreError> {
    let image = match colour {
        SourceColour::Untagged => image,
        SourceColour::Icc(icc) => match transform(icc, &image)? {
            Some(converted) => converted,
            None => image,
        },
        SourceColour::Cmyk(icc) => {
            let converted = match icc {
                Some(icc) => transform(icc, &image)?,
                None => None,
            };
            converted.unwrap_or_else(|| naive_cmyk(&image))
        }
    };
    Ok(match image {
        DynamicImage::ImageRgb8(_) | DynamicImage::ImageRgba8(_) => image,
        other if other.color().has_alpha() => DynamicImage::ImageRgba8(other.into_rgba8()),
        other => DynamicImage::ImageRgb8(other.into_rgb8()),
    })
}

/// Apply `icc` → sRGB to `image`, or `None` when the profile is unusable for
/// these pixels or is sRGB already.
fn transform(icc: &[u8], image: &DynamicImage) -> Result<Option<DynamicImage>, CoreError> {
    let Ok(profile) = ColorProfile::new_from_slice(icc) else { return Ok(None) };
    let (src_layout, dst_layout) = match (profile.color_space, image) {
        (DataColorSpace::Rgb, DynamicImage::ImageRgb8(_)) => (Layout::Rgb, Layout::Rgb),
        (DataColorSpace::Rgb, DynamicImage::ImageRgba8(_)) => (Layout::Rgba, Layout::Rgba),
        (DataColorSpace::Gray, DynamicImage::ImageLuma8(_)) => (Layout::Gray, Layout::Rgb),
        (DataColorSpace::Gray, DynamicImage::ImageLumaA8(_)) => (Layout::GrayAlpha, Layout::Rgba),
        // CMYK inks travel in an RGBA buffer; moxcms reads CMYK with the RGBA layout.
        (DataColorSpace::Cmyk, DynamicImage::ImageRgba8(_)) => (Layout::Rgba, Layout::Rgb),
        _ => return Ok(None),
    };
    let srgb = ColorProfile::new_srgb();
    let Ok(executor) =
        profile.create_transform_8bit(src_layout, &srgb, dst_layout, TransformOptions::default())
    else {
        return Ok(None);
    };
    if src_layout == Layout::Rgb && is_identity(&*executor)? {
        return Ok(None);
    }
    let (w, h) = (image.width(), image.height());
    let channels = if dst_layout == Layout::Rgba { 4 } else { 3 };
    let mut out = vec![0; w as usize * h as usize * channels];
    run(&*executor, image.as_bytes(), &mut out)?;
    let short = || CoreError::Internal("colour transform output size mismatch".into());
    Ok(Some(if channels == 4 {
        DynamicImage::ImageRgba8(RgbaImage::from_raw(w, h, out).ok_or_else(short)?)
    } else {
        DynamicImage::ImageRgb8(RgbImage::from_raw(w, h, out).ok_or_else(short)?)
    }))
}

/// Whether `icc` is an RGB profile that leaves sRGB values as they are, so
/// the pixels need no conversion: the JPEG lane (`yuv`) never converts and
/// leaves every other profile, and unreadable ones, to the general path.
#[cfg(feature = "simd")]
pub(crate) fn is_srgb(icc: &[u8]) -> bool {
    let Ok(profile) = ColorProfile::new_from_slice(icc) else { return false };
    if profile.color_space != DataColorSpace::Rgb {
        return false;
    }
    let srgb = ColorProfile::new_srgb();
    profile
        .create_transform_8bit(Layout::Rgb, &srgb, Layout::Rgb, TransformOptions::default())
        .is_ok_and(|executor| is_identity(&*executor).unwrap_or(false))
}

/// Run an 8-bit transform, its failure an internal error.
fn run(executor: &dyn TransformExecutor<u8>, src: &[u8], dst: &mut [u8]) -> Result<(), CoreError> {
    executor.transform(src, dst).map_err(|e| CoreError::Internal(format!("colour transform: {e}")))
}

/// Whether an RGB → sRGB transform leaves every probe colour within one
/// level: then the profile is sRGB (under whatever name) and the image is
/// left alone. Primaries, secondaries and a grey ramp catch any difference
/// in gamut or tone curve.
fn is_identity(executor: &dyn TransformExecutor<u8>) -> Result<bool, CoreError> {
    let mut probe = Vec::new();
    for level in [64u8, 128, 192, 255] {
        for mask in 1..8u8 {
            probe.extend((0..3).map(|c| if mask & (1 << c) != 0 { level } else { 0 }));
        }
    }
    probe.extend((0..=255u8).step_by(15).flat_map(|v| [v, v, v]));
    let mut out = vec![0; probe.len()];
    run(executor, &probe, &mut out)?;
    Ok(probe.iter().zip(&out).all(|(a, b)| a.abs_diff(*b) <= 1))
}

/// CMYK without a profile: the textbook formula, as browsers do for
/// untagged CMYK (there is no single right answer without a profile).
fn naive_cmyk(image: &DynamicImage) -> DynamicImage {
    let ink = |c: u8, k: u8| ((u16::from(255 - c) * u16::from(255 - k) + 127) / 255) as u8;
    let rgb =
        image.as_bytes().chunks_exact(4).flat_map(|p| [ink(p[0], p[3]), ink(p[1], p[3]), ink(p[2], p[3])]);
    let (w, h) = (image.width(), image.height());
    DynamicImage::ImageRgb8(RgbImage::from_vec(w, h, rgb.collect()).unwrap_or_default())
}

#[cfg(test)]
mod tests;
