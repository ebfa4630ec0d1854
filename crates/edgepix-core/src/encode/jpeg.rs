//! JPEG, 4:2:0 below q90 (4:4:4 from q90, where chroma detail starts to
//! show), optimised Huffman tables, the standard (Annex K) quantisation
//! tables. Default build: `jpeg-encoder`, pure Rust, several times faster
//! than `image`'s 4:4:4 encoder and smaller. Feature `simd`: libjpeg-turbo
//! with the same settings, whose SIMD colour conversion, DCT and Huffman
//! coding are faster still (see BENCHMARKS.md, "Speed vs peers").

use super::failed;
use crate::{CoreError, OutputFormat};

#[cfg(not(feature = "simd"))]
pub(super) fn encode(rgb: &[u8], width: u32, height: u32, quality: u8) -> Result<Vec<u8>, CoreError> {
    use jpeg_encoder::{ColorType, Encoder};

    let side = |v: u32| u16::try_from(v).map_err(|_| failed(OutputFormat::Jpeg, "a side is over 65535 px"));
    let (w, h) = (side(width)?, side(height)?);
    let mut out = Vec::with_capacity(rgb.len() / 8);
    let mut encoder = Encoder::new(&mut out, quality);
    encoder.set_optimized_huffman_tables(true);
    encoder.encode(rgb, w, h, ColorType::Rgb).map_err(|e| failed(OutputFormat::Jpeg, e))?;
    Ok(out)
}

#[cfg(feature = "simd")]
pub(super) fn encode(rgb: &[u8], width: u32, height: u32, quality: u8) -> Result<Vec<u8>, CoreError> {
    use turbojpeg::{Image, PixelFormat};

    if width > 65535 || height > 65535 {
        return Err(failed(OutputFormat::Jpeg, "a side is over 65535 px"));
    }
    let (width, height) = (width as usize, height as usize);
    let image = Image { pixels: rgb, width, pitch: width * 3, height, format: PixelFormat::RGB };
    compressor(quality)?.compress_to_vec(image).map_err(turbo_failed)
}

/// Chroma subsampling for an encoder `quality`: 4:2:0 below 90, 4:4:4 from 90.
#[cfg(feature = "simd")]
pub(crate) fn subsampling(quality: u8) -> turbojpeg::Subsamp {
    if quality < 90 { turbojpeg::Subsamp::Sub2x2 } else { turbojpeg::Subsamp::None }
}

/// libjpeg-turbo set up as this encoder: `quality`, [`subsampling`],
/// optimised Huffman tables. Also used by the YCbCr lane (`yuv`), which
/// hands it planes instead of RGB.
#[cfg(feature = "simd")]
pub(crate) fn compressor(quality: u8) -> Result<turbojpeg::Compressor, CoreError> {
    let mut compressor = turbojpeg::Compressor::new().map_err(turbo_failed)?;
    compressor.set_quality(i32::from(quality)).map_err(turbo_failed)?;
    compressor.set_subsamp(subsampling(quality)).map_err(turbo_failed)?;
    compressor.set_optimize(true).map_err(turbo_failed)?;
    Ok(compressor)
}

/// A libjpeg-turbo error as an encoding failure.
#[cfg(feature = "simd")]
pub(crate) fn turbo_failed(e: turbojpeg::Error) -> CoreError {
    failed(OutputFormat::Jpeg, e)
}
