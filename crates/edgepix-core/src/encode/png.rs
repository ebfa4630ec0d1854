//! PNG through `image`'s encoder (the `png` crate) at its fast setting:
//! PNG output is for transparency and graphics, where speed beats the last
//! few percent of deflate.

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ExtendedColorType, ImageEncoder};

use super::failed;
use crate::{CoreError, OutputFormat};

pub(super) fn encode(pixels: &[u8], width: u32, height: u32, alpha: bool) -> Result<Vec<u8>, CoreError> {
    let mut out = Vec::new();
    let color = if alpha { ExtendedColorType::Rgba8 } else { ExtendedColorType::Rgb8 };
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive)
        .write_image(pixels, width, height, color)
        .map_err(|e| failed(OutputFormat::Png, e))?;
    Ok(out)
}
