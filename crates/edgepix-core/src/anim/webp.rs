//! WebP animations. image-webp (pure Rust) reads the frame chunks' headers
//! when it opens the file, so the frame count, the canvas, the loop count
//! and the ICC profile cost no decoding. It also composites each frame onto
//! its canvas with the file's blending and disposal, unless the
//! `libwebp-decode` feature hands that to libwebp's animation decoder.

use std::io::Cursor;

use image::{DynamicImage, RgbImage, RgbaImage};
use image_webp::{LoopCount, WebPDecoder};

use super::Loops;
use crate::colour::SourceColour;
use crate::{CoreError, Limits};

/// The decoder, with its allocations bounded and the canvas starting
/// transparent: browsers and libwebp ignore the file's background colour.
fn decoder<'a>(bytes: &'a [u8], limits: &Limits) -> Result<WebPDecoder<Cursor<&'a [u8]>>, CoreError> {
    let mut decoder = WebPDecoder::new(Cursor::new(bytes)).map_err(CoreError::undecodable)?;
    decoder.set_memory_limit(usize::try_from(limits.max_decoder_alloc()).unwrap_or(usize::MAX));
    if decoder.is_animated() {
        decoder.set_background_color([0; 4]).map_err(CoreError::undecodable)?;
    }
    Ok(decoder)
}

/// The number of frames (1 for a still WebP), checked against the limits,
/// and every frame checked to lie inside the canvas.
pub(crate) fn count(bytes: &[u8], canvas: (u32, u32), limits: &Limits) -> Result<u32, CoreError> {
    let frames = decoder(bytes, limits)?.num_frames().max(1);
    super::check(frames, canvas, limits)?;
    if frames > 1 {
        frames_fit(bytes, canvas)?;
    }
    Ok(frames)
}

/// A frame that reaches past the canvas makes the file invalid (WebP
/// container specification: "the frame must fit inside the canvas"), and
/// libwebp, so every browser, refuses the whole file. image-webp would
/// fail only when it reaches that frame, after the frames before it were
/// drawn, and would take the first frame of a still output as valid: so
/// the frame headers (16 bytes at the start of each ANMF chunk) are read
/// here, before any decoding, and the file is refused whatever the output.
fn frames_fit(bytes: &[u8], canvas: (u32, u32)) -> Result<(), CoreError> {
    let u24 = |b: &[u8]| u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16;
    let mut at = 12; // "RIFF", size, "WEBP"
    let mut index = 0;
    while let Some(head) = bytes.get(at..at + 8) {
        let size = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
        if &head[..4] == b"ANMF"
            && let Some(h) = bytes.get(at + 8..at + 20)
        {
            index += 1;
            let (x, y) = (2 * u24(&h[0..3]), 2 * u24(&h[3..6]));
            super::inside(index, (x, y, u24(&h[6..9]) + 1, u24(&h[9..12]) + 1), canvas)?;
        }
        at = at.saturating_add(8).saturating_add(size).saturating_add(size % 2);
    }
    Ok(())
}

/// An animated WebP's frames, composited one at a time.
pub(crate) struct Frames<'a> {
    compositor: Compositor<'a>,
    channels: usize,
    size: (u32, u32),
    loops: Loops,
    strict: bool,
    colour: SourceColour,
}

impl<'a> Frames<'a> {
    pub(crate) fn new(bytes: &'a [u8], limits: &Limits) -> Result<Self, CoreError> {
        let mut decoder = decoder(bytes, limits)?;
        if !decoder.is_animated() {
            return Err(CoreError::Internal("a still WebP planned as an animation".into()));
        }
        let size = decoder.dimensions();
        let channels = if decoder.has_alpha() { 4 } else { 3 };
        let loops = match decoder.loop_count() {
            LoopCount::Forever => Loops::Forever,
            LoopCount::Times(n) => Loops::Times(n.get()),
        };
        // A broken ICCP chunk leaves the frames untagged, as for a still WebP.
        let icc = decoder.icc_profile().ok().flatten();
        let colour = icc.map_or(SourceColour::Untagged, SourceColour::Icc);
        let compositor = Compositor::open(bytes, decoder)?;
        Ok(Self { compositor, channels, size, loops, strict: limits.strict_decode, colour })
    }

    /// The embedded ICC profile, which every frame shares.
    pub(crate) fn colour(&self) -> SourceColour {
        self.colour.clone()
    }

    /// How often the animation plays.
    pub(crate) fn loops(&self) -> Loops {
        self.loops
    }

    /// The next composited frame, copied out as an image of its own (the
    /// steps consume it; the decoder keeps its canvas), and its delay in
    /// milliseconds; `None` at the end.
    pub(crate) fn next(&mut self) -> Result<Option<(DynamicImage, u32)>, CoreError> {
        let (width, height) = self.size;
        let (canvas, delay) = match self.compositor.next() {
            Ok(Some(frame)) => frame,
            Ok(None) => return Ok(None),
            Err(e) if self.strict => return Err(e),
            Err(_) => return Ok(None),
        };
        let image = match (Compositor::RGBA, self.channels) {
            (true, 3) => {
                let rgb = canvas.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
                RgbImage::from_raw(width, height, rgb).map(DynamicImage::ImageRgb8)
            }
            (_, 4) => RgbaImage::from_raw(width, height, canvas.to_vec()).map(DynamicImage::ImageRgba8),
            _ => RgbImage::from_raw(width, height, canvas.to_vec()).map(DynamicImage::ImageRgb8),
        };
        let image = image.ok_or_else(|| CoreError::Internal("canvas buffer shorter than its size".into()))?;
        Ok(Some((image, delay)))
    }
}

/// image-webp composites the frames onto a canvas of the file's channels.
#[cfg(not(feature = "libwebp-decode"))]
struct Compositor<'a> {
    decoder: WebPDecoder<Cursor<&'a [u8]>>,
    canvas: Vec<u8>,
    left: u32,
}

#[cfg(not(feature = "libwebp-decode"))]
impl<'a> Compositor<'a> {
    /// The canvas has the file's channels (RGBA only with alpha).
    const RGBA: bool = false;

    fn open(_: &'a [u8], decoder: WebPDecoder<Cursor<&'a [u8]>>) -> Result<Self, CoreError> {
        let size = decoder.output_buffer_size().ok_or_else(|| CoreError::undecodable("canvas too large"))?;
        let left = decoder.num_frames();
        Ok(Self { decoder, canvas: vec![0; size], left })
    }

    /// The next frame drawn onto the canvas, and its delay.
    fn next(&mut self) -> Result<Option<(&[u8], u32)>, CoreError> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        let delay = self.decoder.read_frame(&mut self.canvas).map_err(CoreError::undecodable)?;
        Ok(Some((&self.canvas, delay)))
    }
}

/// libwebp's animation decoder composites the frames (about half
/// image-webp's time; see edgepix-webp's `decode`). The frame count and the
/// canvas were checked against the limits from the headers, before this.
#[cfg(feature = "libwebp-decode")]
struct Compositor<'a>(edgepix_webp::AnimDecoder<'a>);

#[cfg(feature = "libwebp-decode")]
impl<'a> Compositor<'a> {
    /// libwebp's canvas is RGBA whatever the file holds.
    const RGBA: bool = true;

    fn open(bytes: &'a [u8], _: WebPDecoder<Cursor<&'a [u8]>>) -> Result<Self, CoreError> {
        edgepix_webp::AnimDecoder::new(bytes).map(Self).map_err(CoreError::undecodable)
    }

    /// The next frame drawn onto the canvas, and its delay.
    fn next(&mut self) -> Result<Option<(&[u8], u32)>, CoreError> {
        self.0.next_frame().map_err(CoreError::undecodable)
    }
}
