//! Limits that protect the process from hostile or oversized inputs. They are
//! checked against the header before any pixel is decoded.

use crate::CoreError;

/// Resource limits applied to every request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted source, in pixels (width × height from the header).
    pub max_source_pixels: u64,
    /// Largest accepted source file, in bytes.
    pub max_source_bytes: u64,
    /// Largest accepted `w` or `h`.
    pub max_output_side: u32,
    /// Most frames an animated source may have.
    pub max_frames: u32,
    /// Most pixels an animated source may have over all its frames (each
    /// frame counts the whole canvas, which is what compositing draws).
    pub max_animation_pixels: u64,
    /// Refuse truncated or corrupt image data (422) rather than serve the
    /// part that decoded (`EDGEPIX_STRICT_DECODE`; see `decode::partial`).
    pub strict_decode: bool,
}

impl Default for Limits {
    /// imgproxy's 50 MP, 32 MiB of source and ipx's 8192 px output side;
    /// Cloudflare's 100 MP over an animation's frames, and at most 1000 of them.
    fn default() -> Self {
        Self {
            max_source_pixels: 50_000_000,
            max_source_bytes: 32 * 1024 * 1024,
            max_output_side: 8192,
            max_frames: 1000,
            max_animation_pixels: 100_000_000,
            strict_decode: true,
        }
    }
}

impl Limits {
    /// The most a decoder may allocate: 8 bytes per allowed pixel (16-bit
    /// RGBA) plus slack. Passed to `image`'s decoders so a file whose frames
    /// are larger than its header admits (the GIF bomb) still cannot grow.
    pub(crate) fn max_decoder_alloc(&self) -> u64 {
        self.max_source_pixels.saturating_mul(8).saturating_add(16 << 20)
    }

    /// `width × height` pixels, or [`CoreError::TooManyPixels`] past
    /// `max_source_pixels`: an image's header and each GIF frame's.
    pub(crate) fn check_pixels(&self, width: u32, height: u32) -> Result<u64, CoreError> {
        let pixels = u64::from(width) * u64::from(height);
        if pixels > self.max_source_pixels {
            return Err(CoreError::TooManyPixels { width, height, pixels, max: self.max_source_pixels });
        }
        Ok(pixels)
    }
}
