//! JPEG through `jpeg-decoder`: pure Rust, strict (a truncated file is an
//! error, not a grey tail) and able to decode at 1/2, 1/4 or 1/8 scale in the
//! IDCT, which is most of the speed of a thumbnail.

use image::{DynamicImage, GrayImage, RgbImage, RgbaImage};
use jpeg_decoder::{Decoder, PixelFormat};

use crate::colour::SourceColour;
use crate::frame::Frame;
use crate::{CoreError, Limits};

/// Decode at the smallest DCT scale that keeps the image at least
/// `floor` in both directions.
pub(super) fn decode(bytes: &[u8], floor: (usize, usize), limits: &Limits) -> Result<Frame, CoreError> {
    let mut decoder = Decoder::new(bytes);
    decoder.set_max_decoding_buffer_size(usize::try_from(limits.max_decoder_alloc()).unwrap_or(usize::MAX));
    decoder.read_info().map_err(CoreError::undecodable)?;
    let info = decoder.info().ok_or_else(|| CoreError::undecodable("no JPEG frame header"))?;
    // jpeg-decoder takes the request as u16; JPEG sides are u16 anyway.
    let request = |size: usize, side: u16| u16::try_from(size).unwrap_or(side).clamp(1, side);
    let colour = |icc: Option<Vec<u8>>, format| match format {
        PixelFormat::CMYK32 => SourceColour::Cmyk(icc),
        _ => icc.map_or(SourceColour::Untagged, SourceColour::Icc),
    };
    #[cfg(feature = "simd")]
    if matches!(info.pixel_format, PixelFormat::RGB24 | PixelFormat::L8)
        && let Some(image) = super::turbo::decode(bytes, floor, info.pixel_format == PixelFormat::L8)
    {
        return Ok(Frame::rgb(image, colour(decoder.icc_profile(), info.pixel_format)));
    }
    let (width, height) = decoder
        .scale(request(floor.0, info.width), request(floor.1, info.height))
        .map_err(CoreError::undecodable)?;
    let pixels = decoder.decode().map_err(CoreError::undecodable)?;
    let (w, h) = (u32::from(width), u32::from(height));
    let short = || CoreError::undecodable("decoder returned fewer pixels than declared");
    let image = match info.pixel_format {
        PixelFormat::RGB24 => DynamicImage::ImageRgb8(RgbImage::from_raw(w, h, pixels).ok_or_else(short)?),
        PixelFormat::L8 => DynamicImage::ImageLuma8(GrayImage::from_raw(w, h, pixels).ok_or_else(short)?),
        PixelFormat::L16 => {
            // 12-bit JPEG, native-endian u16: keep the high byte.
            let grey =
                pixels.chunks_exact(2).map(|c| (u16::from_ne_bytes([c[0], c[1]]) >> 8) as u8).collect();
            DynamicImage::ImageLuma8(GrayImage::from_raw(w, h, grey).ok_or_else(short)?)
        }
        PixelFormat::CMYK32 => {
            DynamicImage::ImageRgba8(RgbaImage::from_raw(w, h, cmyk_inks(pixels, bytes)).ok_or_else(short)?)
        }
    };
    Ok(Frame::rgb(image, colour(decoder.icc_profile(), info.pixel_format)))
}

/// CMYK as ink amounts (0 = no ink), what ICC profiles expect.
/// `jpeg-decoder` inverts every CMYK/YCCK sample, which is right for Adobe's
/// files (Photoshop stores ink inverted and writes an APP14 "Adobe" marker)
/// and wrong for the rare CMYK JPEG without that marker, stored as is.
fn cmyk_inks(mut pixels: Vec<u8>, bytes: &[u8]) -> Vec<u8> {
    if !has_adobe_marker(bytes) {
        pixels.iter_mut().for_each(|v| *v = 255 - *v);
    }
    pixels
}

/// Whether the header has an APP14 "Adobe" segment (scanned up to the
/// first scan, where the headers end).
pub(super) fn has_adobe_marker(bytes: &[u8]) -> bool {
    let mut at = 2;
    while let [0xFF, marker, hi, lo, ..] = bytes.get(at..).unwrap_or_default() {
        if *marker == 0xDA {
            break;
        }
        let body = at + 4..at + 2 + usize::from(u16::from_be_bytes([*hi, *lo]));
        if *marker == 0xEE && bytes.get(body.clone()).is_some_and(|b| b.starts_with(b"Adobe")) {
            return true;
        }
        at = body.end;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::has_adobe_marker;

    #[test]
    fn finds_the_adobe_marker_before_the_scan() {
        let adobe = b"\xFF\xD8\xFF\xE0\x00\x04JF\xFF\xEE\x00\x07Adobe\xFF\xDA\x00\x02";
        assert!(has_adobe_marker(adobe));
        let after_scan = b"\xFF\xD8\xFF\xDA\x00\x02\xFF\xEE\x00\x07Adobe";
        assert!(!has_adobe_marker(after_scan));
        assert!(!has_adobe_marker(b"\xFF\xD8\xFF\xEE\x00\xFF"));
    }
}
