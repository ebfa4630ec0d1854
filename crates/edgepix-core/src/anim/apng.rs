//! Animated PNG: the frame count and each frame's rectangle read from the
//! chunk headers (`acTL`, `fcTL`) for the limits, and the frames
//! composited by the image crate's APNG decoder (disposal and blending as
//! the APNG specification says), one at a time onto its one canvas.
//!
//! Counting walks the chunk list by its length fields and decompresses
//! nothing, so a file of a million frames costs no more than the walk to
//! just past the frame limit. A frame that reaches past the canvas makes
//! the file invalid (APNG specification, `fcTL`): refused here, before any
//! decoding, whatever the output.

use std::io::Cursor;

use image::codecs::png::PngDecoder;
use image::{AnimationDecoder, DynamicImage, ImageDecoder};

use super::Loops;
use crate::colour::SourceColour;
use crate::{CoreError, Limits};

/// The chunks after the signature, as (type, payload), up to the first
/// one cut short.
fn chunks(bytes: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut at = 8usize; // the signature
    std::iter::from_fn(move || {
        let head = bytes.get(at..at.checked_add(8)?)?;
        let size = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let body = at + 8;
        let payload = bytes.get(body..body.checked_add(size)?)?;
        at = body + size + 4; // + CRC
        Some((&head[4..8], payload))
    })
}

fn u32_at(payload: &[u8], at: usize) -> Option<u32> {
    payload.get(at..at + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// The number of frames (1 without an `acTL` chunk, or with one frame),
/// checked against the limits and the canvas.
pub(crate) fn count(bytes: &[u8], canvas: (u32, u32), limits: &Limits) -> Result<u32, CoreError> {
    let mut frames = 0u32;
    let mut animated = false;
    for (kind, payload) in chunks(bytes) {
        match kind {
            b"acTL" => animated = true,
            b"fcTL" if animated => {
                frames += 1;
                super::check(frames, canvas, limits)?;
                // Width, height, x and y, after the sequence number.
                let field =
                    |at| u32_at(payload, at).ok_or_else(|| CoreError::undecodable("fcTL chunk too short"));
                super::inside(frames, (field(12)?, field(16)?, field(4)?, field(8)?), canvas)?;
            }
            b"IEND" => break,
            _ => {}
        }
    }
    Ok(frames.max(1))
}

/// How often the animation plays (`acTL`'s `num_plays`, 0 for ever).
fn loops(bytes: &[u8]) -> Loops {
    let plays = chunks(bytes).find(|(kind, _)| kind == b"acTL").and_then(|(_, payload)| u32_at(payload, 4));
    match plays.map(|n| u16::try_from(n).unwrap_or(u16::MAX)) {
        Some(0) | None => Loops::Forever,
        Some(n) => Loops::Times(n),
    }
}

/// An APNG's frames, composited one at a time.
pub(crate) struct Frames<'a> {
    frames: image::Frames<'a>,
    loops: Loops,
    colour: SourceColour,
    strict: bool,
}

impl<'a> Frames<'a> {
    pub(crate) fn new(bytes: &'a [u8], limits: &Limits) -> Result<Self, CoreError> {
        let mut image_limits = image::Limits::default();
        image_limits.max_alloc = Some(limits.max_decoder_alloc());
        let mut decoder =
            PngDecoder::with_limits(Cursor::new(bytes), image_limits).map_err(CoreError::undecodable)?;
        // A broken iCCP chunk leaves the frames untagged, as for a still PNG.
        let colour = decoder.icc_profile().ok().flatten().map_or(SourceColour::Untagged, SourceColour::Icc);
        let frames = decoder.apng().map_err(CoreError::undecodable)?.into_frames();
        Ok(Self { frames, loops: loops(bytes), colour, strict: limits.strict_decode })
    }

    pub(crate) fn colour(&self) -> SourceColour {
        self.colour.clone()
    }

    pub(crate) fn loops(&self) -> Loops {
        self.loops
    }

    /// The next composited frame (RGBA, 8 bits) and its delay in
    /// milliseconds; `None` at the end. A frame that fails to decode ends
    /// the animation there, or is an error when decoding strictly.
    pub(crate) fn next(&mut self) -> Result<Option<(DynamicImage, u32)>, CoreError> {
        match self.frames.next() {
            None => Ok(None),
            Some(Ok(frame)) => {
                let (numer, denom) = frame.delay().numer_denom_ms();
                let delay = numer.checked_div(denom).unwrap_or(0);
                Ok(Some((DynamicImage::ImageRgba8(frame.into_buffer()), delay)))
            }
            Some(Err(e)) if self.strict => Err(CoreError::undecodable(e)),
            Some(Err(_)) => Ok(None),
        }
    }
}
