//! Read the header only: format, stored size, orientation, alpha. Limits are
//! checked here, before a single pixel is decoded, so a 32 KB file that
//! declares a gigapixel costs microseconds, not gigabytes, and a GIF of a
//! million frames is refused after reading just past the frame limit.

use std::io::Cursor;

use image::{ImageDecoder, ImageReader, metadata::Orientation};

use crate::{CoreError, InputFormat, Limits};

/// What the header says about an original.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    /// The sniffed format.
    pub format: InputFormat,
    /// Width as stored (before orientation).
    pub width: u32,
    /// Height as stored (before orientation).
    pub height: u32,
    /// The EXIF orientation to apply after decoding.
    pub orientation: Orientation,
    /// Whether the pixel format has an alpha channel.
    pub has_alpha: bool,
    /// Frames: more than 1 for an animated GIF or WebP (counted from the
    /// frame headers and checked against the animation limits).
    pub frames: u32,
}

impl Probe {
    /// Width and height as displayed, after orientation.
    pub fn display_size(&self) -> (u32, u32) {
        if swaps_axes(self.orientation) { (self.height, self.width) } else { (self.width, self.height) }
    }
}

/// Whether an orientation turns the image by a quarter (width ↔ height).
pub(crate) fn swaps_axes(orientation: Orientation) -> bool {
    use Orientation::*;
    matches!(orientation, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
}

/// Probe an original's header and check it against the limits.
pub fn probe(bytes: &[u8], limits: &Limits) -> Result<Probe, CoreError> {
    let format = InputFormat::sniff(bytes)?;
    let probe = match format {
        InputFormat::Jpeg => probe_jpeg(bytes)?,
        InputFormat::Avif | InputFormat::Heic => probe_heif(bytes, format)?,
        InputFormat::Jxl => crate::decode::jxl::probe(bytes)?,
        _ => probe_with_image(bytes, format, limits)?,
    };
    if limits.check_pixels(probe.width, probe.height)? == 0 {
        return Err(CoreError::undecodable("the header declares an empty image"));
    }
    let frames = crate::anim::frames(bytes, format, (probe.width, probe.height), limits)?;
    Ok(Probe { frames, ..probe })
}

fn probe_jpeg(bytes: &[u8]) -> Result<Probe, CoreError> {
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    decoder.read_info().map_err(CoreError::undecodable)?;
    let info = decoder.info().ok_or_else(|| CoreError::undecodable("no JPEG frame header"))?;
    let orientation =
        decoder.exif_data().and_then(Orientation::from_exif_chunk).unwrap_or(Orientation::NoTransforms);
    Ok(Probe {
        format: InputFormat::Jpeg,
        width: u32::from(info.width),
        height: u32::from(info.height),
        orientation,
        has_alpha: false,
        frames: 1,
    })
}

/// AVIF and HEIC: the primary image's size (its clean aperture, if any) and
/// orientation from the container's properties, not from the coded data.
fn probe_heif(bytes: &[u8], format: InputFormat) -> Result<Probe, CoreError> {
    let heif = crate::heif::Heif::parse(bytes)?;
    let image = heif.primary()?;
    let (width, height) = image.stored_size();
    let (orientation, has_alpha) = (image.orientation, image.alpha.is_some());
    Ok(Probe { format, width, height, orientation, has_alpha, frames: 1 })
}

fn probe_with_image(bytes: &[u8], format: InputFormat, limits: &Limits) -> Result<Probe, CoreError> {
    let mut decoder = image_decoder(bytes, format, limits)?;
    let (width, height) = decoder.dimensions();
    // A broken EXIF block is not worth refusing an image over.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    Ok(Probe { format, width, height, orientation, has_alpha: decoder.color_type().has_alpha(), frames: 1 })
}

/// An `image` decoder for a non-JPEG format, with allocation limits set.
pub(crate) fn image_decoder<'a>(
    bytes: &'a [u8],
    format: InputFormat,
    limits: &Limits,
) -> Result<impl ImageDecoder + 'a, CoreError> {
    let image_format = match format {
        InputFormat::Png => image::ImageFormat::Png,
        InputFormat::Gif => image::ImageFormat::Gif,
        InputFormat::Webp => image::ImageFormat::WebP,
        InputFormat::Tiff => image::ImageFormat::Tiff,
        other => return Err(CoreError::Internal(format!("{other:?} is not read by the image crate"))),
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    let mut image_limits = image::Limits::default();
    image_limits.max_alloc = Some(limits.max_decoder_alloc());
    reader.limits(image_limits);
    reader.into_decoder().map_err(CoreError::undecodable)
}
