//! AVIF through ravif (rav1e), pure Rust in the default build. It is by far
//! the slowest encoder: the speed is a setting, not a URL parameter.

use crate::{CoreError, OutputFormat};

#[cfg(feature = "avif")]
pub(super) fn encode(
    pixels: &[u8],
    width: u32,
    height: u32,
    alpha: bool,
    quality: u8,
    speed: u8,
    exif: Option<&[u8]>,
) -> Result<Vec<u8>, CoreError> {
    use ravif::{Encoder, Img};
    use rgb::FromSlice;

    let (w, h) = (width as usize, height as usize);
    let mut encoder = Encoder::new().with_quality(f32::from(quality)).with_speed(speed.clamp(1, 10));
    if let Some(exif) = exif {
        encoder = encoder.with_exif(exif);
    }
    let encoded = if alpha {
        encoder.encode_rgba(Img::new(pixels.as_rgba(), w, h))
    } else {
        encoder.encode_rgb(Img::new(pixels.as_rgb(), w, h))
    };
    encoded.map(|e| e.avif_file).map_err(|e| super::failed(OutputFormat::Avif, e))
}

#[cfg(not(feature = "avif"))]
pub(super) fn encode(
    _: &[u8],
    _: u32,
    _: u32,
    _: bool,
    _: u8,
    _: u8,
    _: Option<&[u8]>,
) -> Result<Vec<u8>, CoreError> {
    Err(super::failed(OutputFormat::Avif, "this build has no AVIF encoder (feature `avif`)"))
}
