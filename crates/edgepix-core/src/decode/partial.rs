//! Lenient decoding (`EDGEPIX_STRICT_DECODE=false`). By default a truncated
//! or corrupt file is refused (422): serving a half-grey image that a CDN
//! then keeps for a year is worse than an error. Some sites prefer
//! imgproxy/Pillow's `LOAD_TRUNCATED_IMAGES` behaviour instead: keep the rows
//! that decoded and leave the rest transparent (or black without alpha).
//! This applies to the formats `image` decodes into a caller's buffer (PNG,
//! GIF, WebP, TIFF); JPEG stays strict because `jpeg-decoder` has no partial
//! mode and the two JPEG decoders must accept the same files.

use image::{ColorType, DynamicImage, ImageBuffer, ImageDecoder, ImageError};

use crate::CoreError;

/// Decode all of `decoder`'s pixels; when `strict` is off, a decoding or I/O
/// error after the header keeps what was written so far. Limit errors and
/// unsupported layouts are refused either way.
pub(super) fn read(decoder: impl ImageDecoder, strict: bool) -> Result<DynamicImage, CoreError> {
    if strict {
        return DynamicImage::from_decoder(decoder).map_err(CoreError::undecodable);
    }
    let (width, height) = decoder.dimensions();
    let colour = decoder.color_type();
    let size = usize::try_from(decoder.total_bytes()).map_err(CoreError::undecodable)?;
    let mut pixels = vec![0u8; size];
    match decoder.read_image(&mut pixels) {
        Ok(()) | Err(ImageError::Decoding(_) | ImageError::IoError(_)) => {}
        Err(e) => return Err(CoreError::undecodable(e)),
    }
    from_pixels(width, height, colour, pixels)
        .ok_or_else(|| CoreError::undecodable(format!("{colour:?} pixels cannot be read leniently")))
}

/// Wrap raw decoder output (native-endian for 16-bit and float samples).
fn from_pixels(width: u32, height: u32, colour: ColorType, pixels: Vec<u8>) -> Option<DynamicImage> {
    let u16s = |bytes: &[u8]| bytemuck::pod_collect_to_vec::<u8, u16>(bytes);
    let f32s = |bytes: &[u8]| bytemuck::pod_collect_to_vec::<u8, f32>(bytes);
    Some(match colour {
        ColorType::L8 => DynamicImage::ImageLuma8(ImageBuffer::from_raw(width, height, pixels)?),
        ColorType::La8 => DynamicImage::ImageLumaA8(ImageBuffer::from_raw(width, height, pixels)?),
        ColorType::Rgb8 => DynamicImage::ImageRgb8(ImageBuffer::from_raw(width, height, pixels)?),
        ColorType::Rgba8 => DynamicImage::ImageRgba8(ImageBuffer::from_raw(width, height, pixels)?),
        ColorType::L16 => DynamicImage::ImageLuma16(ImageBuffer::from_raw(width, height, u16s(&pixels))?),
        ColorType::La16 => DynamicImage::ImageLumaA16(ImageBuffer::from_raw(width, height, u16s(&pixels))?),
        ColorType::Rgb16 => DynamicImage::ImageRgb16(ImageBuffer::from_raw(width, height, u16s(&pixels))?),
        ColorType::Rgba16 => DynamicImage::ImageRgba16(ImageBuffer::from_raw(width, height, u16s(&pixels))?),
        ColorType::Rgb32F => DynamicImage::ImageRgb32F(ImageBuffer::from_raw(width, height, f32s(&pixels))?),
        ColorType::Rgba32F => {
            DynamicImage::ImageRgba32F(ImageBuffer::from_raw(width, height, f32s(&pixels))?)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use image::{ImageFormat, RgbImage};

    use super::*;

    /// A 64×64 gradient PNG cut off after `keep` of its bytes.
    fn truncated_png(keep: f64) -> (RgbImage, Vec<u8>) {
        let image = RgbImage::from_fn(64, 64, |x, y| image::Rgb([(x * 4) as u8, (y * 4) as u8, 128]));
        let mut png = Vec::new();
        image.write_to(&mut std::io::Cursor::new(&mut png), ImageFormat::Png).unwrap();
        let cut = (png.len() as f64 * keep) as usize;
        png.truncate(cut);
        (image, png)
    }

    fn decoder(bytes: &[u8]) -> image::codecs::png::PngDecoder<std::io::Cursor<&[u8]>> {
        image::codecs::png::PngDecoder::new(std::io::Cursor::new(bytes)).unwrap()
    }

    #[test]
    fn strict_refuses_a_truncated_png() {
        let (_, png) = truncated_png(0.6);
        assert!(matches!(read(decoder(&png), true), Err(CoreError::Undecodable(_))));
    }

    #[test]
    fn lenient_keeps_the_rows_that_decoded() {
        let (original, png) = truncated_png(0.6);
        let image = read(decoder(&png), false).expect("lenient decode").into_rgb8();
        assert_eq!(image.dimensions(), (64, 64));
        // The first rows are intact, the last row was never written (zeros).
        assert_eq!(image.get_pixel(10, 2), original.get_pixel(10, 2));
        assert_eq!(image.get_pixel(10, 63).0, [0, 0, 0]);
    }

    #[test]
    fn lenient_reads_a_complete_file_like_strict() {
        let (original, png) = truncated_png(1.0);
        assert_eq!(read(decoder(&png), false).unwrap().into_rgb8(), original);
    }
}
