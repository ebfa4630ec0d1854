//! GIF animations: counting frames from their descriptors alone (no LZW
//! decoding) for the limits, and compositing them one at a time the way
//! browsers draw them.
//!
//! Compositing: the canvas starts transparent; a frame's opaque pixels
//! replace the canvas's inside its rectangle, clipped to the canvas (a
//! frame larger than the canvas or placed outside it is cut, not allowed
//! to grow it); after it is shown, its disposal clears its rectangle
//! (`Background`: to transparent, as browsers do, not to the background
//! colour) or restores what was under it (`Previous`).

use gif::{ColorOutput, DecodeOptions, DisposalMethod, MemoryLimit};
use image::RgbaImage;

use super::{Loops, Rect};
use crate::{CoreError, Limits};

/// Decoder options with the per-frame allocation bounded.
fn options(limits: &Limits, output: ColorOutput) -> DecodeOptions {
    let mut options = DecodeOptions::new();
    options.set_color_output(output);
    let bytes = std::num::NonZeroU64::new(limits.max_decoder_alloc()).unwrap_or(std::num::NonZeroU64::MIN);
    options.set_memory_limit(MemoryLimit::Bytes(bytes));
    options
}

/// The number of frames, read from the frame descriptors (their pixel data
/// is skipped, not decoded). Stops with an error as soon as a limit is
/// passed, so a file of a million frames costs no more than one past the
/// limit. A file that breaks off after its first frame counts the frames
/// before the break; the decoder judges the rest.
pub(crate) fn count(bytes: &[u8], canvas: (u32, u32), limits: &Limits) -> Result<u32, CoreError> {
    let mut options = options(limits, ColorOutput::Indexed);
    options.skip_frame_decoding(true);
    let mut decoder = options.read_info(bytes).map_err(CoreError::undecodable)?;
    let mut frames = 0u32;
    loop {
        match decoder.next_frame_info() {
            Ok(Some(frame)) => {
                limits.check_pixels(u32::from(frame.width), u32::from(frame.height))?;
                frames += 1;
                super::check(frames, canvas, limits)?;
            }
            Ok(None) => return Ok(frames.max(1)),
            Err(_) if frames > 0 => return Ok(frames),
            Err(e) => return Err(CoreError::undecodable(e)),
        }
    }
}

/// An animated GIF's frames, composited one at a time.
pub(crate) struct Frames<'a> {
    decoder: gif::Decoder<&'a [u8]>,
    canvas: RgbaImage,
    /// The last frame's disposal, applied before the next is drawn.
    dispose: Option<(DisposalMethod, Rect, Option<Vec<u8>>)>,
    /// The frame being read (RGBA, its own size), reused.
    pixels: Vec<u8>,
    /// Frames read so far.
    read: u32,
    strict: bool,
}

impl<'a> Frames<'a> {
    pub(crate) fn new(bytes: &'a [u8], limits: &Limits) -> Result<Self, CoreError> {
        let decoder = options(limits, ColorOutput::RGBA).read_info(bytes).map_err(CoreError::undecodable)?;
        let canvas = RgbaImage::new(u32::from(decoder.width()), u32::from(decoder.height()));
        Ok(Self { decoder, canvas, dispose: None, pixels: Vec::new(), read: 0, strict: limits.strict_decode })
    }

    /// How often the animation plays (known once the first frame is read).
    pub(crate) fn loops(&self) -> Loops {
        match self.decoder.repeat() {
            gif::Repeat::Infinite => Loops::Forever,
            // The decoder's default when the file has no NETSCAPE block.
            gif::Repeat::Finite(0) => Loops::Once,
            gif::Repeat::Finite(n) => Loops::Times(n),
        }
    }

    /// The next composited frame and its delay in milliseconds; `None` at
    /// the end (or, when decoding leniently, at the first broken frame).
    pub(crate) fn next(&mut self) -> Result<Option<(&RgbaImage, u32)>, CoreError> {
        if let Some((method, rect, saved)) = self.dispose.take() {
            match (method, saved) {
                (DisposalMethod::Background, _) => rect.fill(&mut self.canvas, &[0; 4]),
                (DisposalMethod::Previous, Some(saved)) => rect.put(&mut self.canvas, &saved),
                _ => {}
            }
        }
        let frame = match self.decoder.next_frame_info() {
            Ok(Some(frame)) => frame.clone(),
            Ok(None) => return Ok(None),
            // The file ends where another frame or the trailer should begin
            // (a missing trailer is common): the frames so far are whole,
            // and browsers show them.
            Err(_) if self.read > 0 || !self.strict => return Ok(None),
            Err(e) => return Err(CoreError::undecodable(e)),
        };
        self.pixels.resize(self.decoder.buffer_size(), 0);
        match self.decoder.read_into_buffer(&mut self.pixels) {
            Ok(()) => self.read += 1,
            Err(e) if self.strict => return Err(CoreError::undecodable(e)),
            Err(_) => return Ok(None),
        }
        let rect = Rect::clipped(frame.left, frame.top, frame.width, frame.height, self.canvas.dimensions());
        let saved = (frame.dispose == DisposalMethod::Previous).then(|| rect.take(&self.canvas));
        rect.draw(&mut self.canvas, &self.pixels, u32::from(frame.width), (frame.left, frame.top));
        self.dispose = Some((frame.dispose, rect, saved));
        Ok(Some((&self.canvas, u32::from(frame.delay) * 10)))
    }
}
