//! Lossy WebP through libwebp (the `webp` crate): `image` only writes
//! lossless WebP, which is many times larger for photos. The method (libwebp's
//! speed/size trade-off, sharp's `effort`) comes from [`super::EncoderSettings`]:
//! 2 by default, measured in BENCHMARKS.md ("WebP method") to take about 0.75×
//! the time of libwebp's default 4 for 4% more bytes at the same score.

use crate::{CoreError, OutputFormat};

#[cfg(feature = "webp")]
pub(super) fn encode(
    pixels: &[u8],
    width: u32,
    height: u32,
    alpha: bool,
    quality: u8,
    method: u8,
) -> Result<Vec<u8>, CoreError> {
    // libwebp's hard limit; checked here because `webp` would panic on it.
    if width.max(height) as usize > edgepix_webp::MAX_SIDE {
        return Err(super::failed(OutputFormat::Webp, "a side is over 16383 px"));
    }
    let encoder = if alpha {
        webp::Encoder::from_rgba(pixels, width, height)
    } else {
        webp::Encoder::from_rgb(pixels, width, height)
    };
    let mut config =
        webp::WebPConfig::new().map_err(|()| super::failed(OutputFormat::Webp, "libwebp config"))?;
    config.quality = f32::from(quality);
    config.method = i32::from(method.min(6));
    config.alpha_compression = 1;
    let memory =
        encoder.encode_advanced(&config).map_err(|e| super::failed(OutputFormat::Webp, format!("{e:?}")))?;
    Ok(memory.to_vec())
}

#[cfg(not(feature = "webp"))]
pub(super) fn encode(_: &[u8], _: u32, _: u32, _: bool, _: u8, _: u8) -> Result<Vec<u8>, CoreError> {
    Err(super::failed(OutputFormat::Webp, "this build has no WebP encoder (feature `webp`)"))
}
