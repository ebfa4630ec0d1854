//! HEIC/HEIF through libheif (feature `heic`; libheif-rs, with the system's
//! libheif and its libde265 HEVC decoder). libheif decodes the primary
//! image (grid tiles, alpha) to 8-bit interleaved RGB(A) with its
//! transformations ignored: as for AVIF, the clean aperture is cut here and
//! the rotation and mirroring the probe read from the container are left to
//! the orient step, after the resize. Colour comes from the container's
//! `colr` like AVIF's (iPhones write a Display P3 ICC profile).

use libheif_rs::{ColorSpace, DecodingOptions, HeifContext, LibHeif, RgbChroma};

use crate::colour::SourceColour;
use crate::frame::Frame;
use crate::heif::{Colour, Heif};
use crate::{CoreError, Limits};

fn undecodable(e: impl std::fmt::Display) -> CoreError {
    CoreError::undecodable(format!("HEIC: {e}"))
}

pub(super) fn decode(bytes: &[u8], _limits: &Limits) -> Result<Frame, CoreError> {
    let image = Heif::parse(bytes)?.primary()?;
    let mut context = HeifContext::read_from_bytes(bytes).map_err(undecodable)?;
    // One image worker a core already: no threads of libheif's own.
    context.set_max_decoding_threads(1);
    let handle = context.primary_image_handle().map_err(undecodable)?;
    let mut options = DecodingOptions::new().ok_or_else(|| undecodable("no decoding options"))?;
    options.set_ignore_transformations(true);
    options.set_convert_hdr_to_8bit(true);
    let alpha = handle.has_alpha_channel();
    let chroma = if alpha { RgbChroma::Rgba } else { RgbChroma::Rgb };
    let decoded =
        LibHeif::new().decode(&handle, ColorSpace::Rgb(chroma), Some(options)).map_err(undecodable)?;
    let planes = decoded.planes();
    let plane = planes.interleaved.ok_or_else(|| undecodable("no interleaved plane"))?;
    let (width, height) = (plane.width, plane.height);
    if (width, height) != image.size {
        return Err(CoreError::undecodable("the decoded HEIC image is not the size its header declares"));
    }
    let channels = if alpha { 4 } else { 3 };
    let row = width as usize * channels;
    let mut pixels = Vec::with_capacity(row * height as usize);
    for y in 0..height as usize {
        let start = y * plane.stride;
        pixels
            .extend_from_slice(plane.data.get(start..start + row).ok_or_else(|| undecodable("short plane"))?);
    }
    let mut decoded = super::interleaved(pixels, width, height, channels)?;
    if let Some((x, y, w, h)) = image.crop {
        decoded = decoded.crop_imm(x, y, w, h);
    }
    let colour = match image.colour {
        Some(Colour::Icc(icc)) => SourceColour::Icc(icc.to_vec()),
        Some(Colour::Cicp(cicp)) => crate::colour::from_cicp(cicp.primaries, cicp.transfer),
        None => SourceColour::Untagged,
    };
    Ok(Frame::rgb(super::normalise(decoded), colour))
}
