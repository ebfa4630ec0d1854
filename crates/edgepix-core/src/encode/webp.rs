//! Lossy WebP through libwebp (the `webp` crate): `image` only writes
//! lossless WebP, which is many times larger for photos.

use crate::{CoreError, OutputFormat};

#[cfg(feature = "webp")]
pub(super) fn encode(
    pixels: &[u8],
    width: u32,
    height: u32,
    alpha: bool,
    quality: u8,
) -> Result<Vec<u8>, CoreError> {
    // libwebp's hard limit; checked here because `webp` would panic on it.
    if width > 16383 || height > 16383 {
        return Err(super::failed(OutputFormat::Webp, "a side is over 16383 px"));
    }
    let encoder = if alpha {
        webp::Encoder::from_rgba(pixels, width, height)
    } else {
        webp::Encoder::from_rgb(pixels, width, height)
    };
    let memory = encoder
        .encode_simple(false, f32::from(quality))
        .map_err(|e| super::failed(OutputFormat::Webp, format!("{e:?}")))?;
    Ok(memory.to_vec())
}

#[cfg(not(feature = "webp"))]
pub(super) fn encode(_: &[u8], _: u32, _: u32, _: bool, _: u8) -> Result<Vec<u8>, CoreError> {
    Err(super::failed(OutputFormat::Webp, "this build has no WebP encoder (feature `webp`)"))
}
