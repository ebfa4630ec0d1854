//! JPEG through libjpeg-turbo (feature `simd`): SIMD IDCT, upsampling and
//! colour conversion, about twice as fast as `jpeg-decoder` at the same
//! scale. The same scales as the default build (1/2, 1/4, 1/8, never below
//! twice the target): libjpeg-turbo also offers 3/8, 5/8, 6/8 and 7/8, but
//! its 7/8 decode of the corpus's progressive 4:4:4 file scored SSIMULACRA2
//! 68 against the golden reference (80 needed; 1/1 passes), so those stay off.
//!
//! Only 8-bit YCbCr and greyscale baseline/progressive files come here:
//! CMYK, 12-bit and anything libjpeg-turbo refuses or warns about go to
//! `jpeg-decoder`, so which files are accepted and how CMYK inks are read
//! stays exactly as in the default build. libjpeg-turbo's warnings (e.g. a
//! truncated scan, which it would fill with grey) fail the call, which is
//! what sends such files to the strict decoder.

use image::{DynamicImage, GrayImage, RgbImage};
use turbojpeg::{DecompressHeader, Decompressor, Image, PixelFormat, ScalingFactor};

/// The smallest of 1/8, 1/4, 1/2 and 1 that keeps the image at least
/// `min_size` in both directions.
pub(crate) fn scaling(header: &DecompressHeader, min_size: (usize, usize)) -> ScalingFactor {
    [1, 2, 4]
        .map(|n| ScalingFactor::new(n, 8))
        .into_iter()
        .find(|f| f.scale(header.width) >= min_size.0 && f.scale(header.height) >= min_size.1)
        .unwrap_or(ScalingFactor::ONE)
}

/// Decode `bytes` at the smallest of 1/8, 1/4, 1/2, 1 scale whose size is at least
/// `min_size` in both directions; `None` if libjpeg-turbo declines.
pub(super) fn decode(bytes: &[u8], min_size: (usize, usize), grey: bool) -> Option<DynamicImage> {
    let mut decompressor = Decompressor::new().ok()?;
    let header = decompressor.read_header(bytes).ok()?;
    if header.is_lossless {
        return None;
    }
    let factor = scaling(&header, min_size);
    decompressor.set_scaling_factor(factor).ok()?;
    let (width, height) = (factor.scale(header.width), factor.scale(header.height));
    let format = if grey { PixelFormat::GRAY } else { PixelFormat::RGB };
    let pitch = width * format.size();
    let mut pixels = vec![0; pitch * height];
    let image = Image { pixels: &mut pixels[..], width, pitch, height, format };
    decompressor.decompress(bytes, image).ok()?;
    let (w, h) = (u32::try_from(width).ok()?, u32::try_from(height).ok()?);
    if grey {
        GrayImage::from_raw(w, h, pixels).map(DynamicImage::ImageLuma8)
    } else {
        RgbImage::from_raw(w, h, pixels).map(DynamicImage::ImageRgb8)
    }
}
