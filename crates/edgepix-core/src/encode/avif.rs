//! AVIF, by far the slowest encoder: the speed is a setting, not a URL
//! parameter. The default build uses ravif (rav1e, pure Rust). With the
//! `aom` feature (part of `simd`), opaque outputs go through libavif and
//! libaom, the encoder sharp and libvips use: on the 6 MP photo → 800 at q50
//! and speed 6 it writes 28,539 B scoring SSIMULACRA2 61.6 in 240 ms, where
//! rav1e needs 382 ms for 22,940 B scoring 53.0 and does not reach aom's score
//! per byte at any speed (BENCHMARKS.md). The `libavif` crate's safe API
//! carries neither an alpha plane nor EXIF, so outputs with alpha, or with
//! EXIF kept (`EDGEPIX_KEEP_METADATA`), stay on rav1e in every build.

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

    let speed = speed.clamp(1, 10);
    #[cfg(feature = "aom")]
    if !alpha && exif.is_none() {
        return with_aom(pixels, width, height, quality, speed);
    }
    let (w, h) = (width as usize, height as usize);
    let mut encoder = Encoder::new().with_quality(f32::from(quality)).with_speed(speed);
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

/// libavif + libaom, 4:2:0, one thread (requests run side by side instead).
#[cfg(all(feature = "avif", feature = "aom"))]
fn with_aom(rgb: &[u8], width: u32, height: u32, quality: u8, speed: u8) -> Result<Vec<u8>, CoreError> {
    let failed = |e: libavif::Error| super::failed(OutputFormat::Avif, e);
    let image = libavif::RgbPixels::new(width, height, rgb).map_err(failed)?;
    let mut encoder = libavif::Encoder::new();
    encoder.set_quality(quality.min(100)).set_speed(speed).set_max_threads(1);
    let encoded = encoder.encode(&image.to_image(libavif::YuvFormat::Yuv420)).map_err(failed)?;
    Ok(encoded.to_vec())
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

#[cfg(all(test, feature = "avif", feature = "aom"))]
mod tests {
    use super::*;

    /// A smooth 96×64 picture with some texture, RGB or RGBA.
    fn picture(alpha: bool) -> Vec<u8> {
        (0..96u32 * 64)
            .flat_map(|i| {
                let (x, y) = (i % 96, i / 96);
                let rgb = [(x * 2) as u8, (y * 3) as u8, ((x + y) % 32 * 6) as u8];
                let a = if alpha { vec![255 - (x * 2) as u8] } else { vec![] };
                rgb.into_iter().chain(a)
            })
            .collect()
    }

    #[test]
    fn opaque_outputs_go_through_libaom_and_keep_the_picture() {
        let rgb = picture(false);
        let avif = encode(&rgb, 96, 64, false, 80, 8, None).unwrap();
        assert!(avif.windows(7).any(|w| w == b"libavif"), "not written by libavif");
        let back = libavif::decode_rgb(&avif).unwrap();
        assert_eq!((back.width(), back.height()), (96, 64));
        let decoded = back.as_slice(); // RGBA
        let error: u64 = (0..96 * 64)
            .flat_map(|p| (0..3).map(move |c| (p, c)))
            .map(|(p, c)| u64::from(rgb[p * 3 + c].abs_diff(decoded[p * 4 + c])))
            .sum();
        let mean = error as f64 / (96.0 * 64.0 * 3.0);
        assert!(mean < 4.0, "mean error {mean:.2} levels");
    }

    #[test]
    fn alpha_and_exif_stay_on_rav1e() {
        let rgba = picture(true);
        let with_alpha = encode(&rgba, 96, 64, true, 80, 8, None).unwrap();
        assert!(!with_alpha.windows(7).any(|w| w == b"libavif"));
        let exif = b"MM\0*\0\0\0\x08\0\0\0\0\0\0";
        let with_exif = encode(&picture(false), 96, 64, false, 80, 8, Some(exif)).unwrap();
        assert!(!with_exif.windows(7).any(|w| w == b"libavif"));
    }
}
