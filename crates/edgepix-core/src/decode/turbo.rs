//! JPEG through libjpeg-turbo (feature `simd`): SIMD IDCT, upsampling and
//! colour conversion, about twice as fast as `jpeg-decoder` at the same
//! scale. The same scales as the default build (1/2, 1/4, 1/8, never below
//! twice the target): libjpeg-turbo also offers 3/8, 5/8, 6/8 and 7/8, but
//! its 7/8 decode of the corpus's progressive 4:4:4 file scored SSIMULACRA2
//! 68 against the golden reference (80 needed; 1/1 passes), and they are no
//! faster: on x86-64 and Arm only the 8x8, 4x4 and 2x2 IDCTs have SIMD, so
//! the 6 MP photo's 5/8 decode made its 800 px JPEG slower, not faster
//! (BENCHMARKS.md, "JPEG decode at 5/8"). Those scales stay off.
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
/// `floor` in both directions.
pub(crate) fn scaling(header: &DecompressHeader, floor: (usize, usize)) -> ScalingFactor {
    super::SHRINK_EIGHTHS
        .map(|n| ScalingFactor::new(n, 8))
        .into_iter()
        .find(|f| f.scale(header.width) >= floor.0 && f.scale(header.height) >= floor.1)
        .unwrap_or(ScalingFactor::ONE)
}

/// Whether the decode will be at least twice the output in both directions
/// (`floor` is that size, capped at the stored one). Then libjpeg-turbo's
/// fast ("merged") chroma upsampling is used: it repeats each chroma sample
/// instead of interpolating, which the following 2× or larger Lanczos3
/// reduction averages away, and it saves about a tenth of the decode
/// (`tjbench -nosmooth`: 459 against 409 MP/s on the 6 MP photo).
fn roomy(stored: (usize, usize), floor: (usize, usize)) -> bool {
    floor.0 < stored.0 && floor.1 < stored.1
}

/// Decode `bytes` at the smallest of 1/8, 1/4, 1/2, 1 scale whose size is at least
/// `floor` in both directions; `None` if libjpeg-turbo declines.
pub(super) fn decode(bytes: &[u8], floor: (usize, usize), grey: bool) -> Option<DynamicImage> {
    let mut decompressor = Decompressor::new().ok()?;
    let header = decompressor.read_header(bytes).ok()?;
    if header.is_lossless {
        return None;
    }
    let factor = scaling(&header, floor);
    decompressor.set_scaling_factor(factor).ok()?;
    decompressor.set_fast_upsample(roomy((header.width, header.height), floor)).ok()?;
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

#[cfg(test)]
mod tests {
    use super::roomy;

    #[test]
    fn fast_upsampling_only_when_the_decode_is_twice_the_output() {
        // 2725x2225 to 800 wide: at least 1600x1307 needed, any decode will do.
        assert!(roomy((2725, 2225), (1600, 1307)));
        // 1000 px to 800: the 2x size is capped at the stored one; full decode, smooth.
        assert!(!roomy((1000, 750), (1000, 750)));
        // A cover crop of a thin strip: wide enough, not tall enough.
        assert!(!roomy((4000, 300), (400, 300)));
    }
}
