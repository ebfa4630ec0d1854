//! GIF through the `gif` crate, still or animated. GIF transparency is one
//! bit: pixels under half opacity become transparent, the rest opaque.
//!
//! An animation is written as differences, as browsers' own GIF encoders
//! and libvips (cgif) do: a pixel the same as what the GIF already shows is
//! left transparent (the frame before shows through), and each frame is cut
//! to the rectangle that changed. A frame that turns shown pixels
//! transparent cannot be drawn over its predecessor, so the predecessor is
//! written whole and disposed to the background; that is why one frame is
//! held back (`pending`) until the next one is known. The writer keeps
//! three frames of the output size, never the animation.

mod palette;

use gif::{DisposalMethod, Encoder, Frame, Repeat};
use image::DynamicImage;

use super::failed;
use crate::anim::Loops;
use crate::{CoreError, OutputFormat};

/// A GIF being written, one frame at a time.
pub(crate) struct GifWriter {
    encoder: Encoder<Vec<u8>>,
    width: u16,
    height: u16,
    /// What the GIF shows once `pending` is drawn over it (RGBA, alpha 0 or 255).
    shown: Vec<u8>,
    pending: Option<Pending>,
}

/// A frame not yet written: its changed pixels (the rest transparent),
/// their bounding box and its delay in hundredths.
struct Pending {
    pixels: Vec<u8>,
    bounds: Bounds,
    delay: u16,
}

impl GifWriter {
    /// A `width × height` GIF played as `loops` says.
    pub(crate) fn new(width: u32, height: u32, loops: Loops) -> Result<Self, CoreError> {
        let side =
            |v: u32| u16::try_from(v).map_err(|_| failed(OutputFormat::Gif, "a side is over 65535 px"));
        let (width, height) = (side(width)?, side(height)?);
        let mut encoder =
            Encoder::new(Vec::new(), width, height, &[]).map_err(|e| failed(OutputFormat::Gif, e))?;
        let repeat = match loops {
            Loops::Forever => Some(Repeat::Infinite),
            Loops::Times(n) => Some(Repeat::Finite(n)),
            Loops::Once => None,
        };
        if let Some(repeat) = repeat {
            encoder.set_repeat(repeat).map_err(|e| failed(OutputFormat::Gif, e))?;
        }
        let shown = vec![0; usize::from(width) * usize::from(height) * 4];
        Ok(Self { encoder, width, height, shown, pending: None })
    }

    /// Add a frame of the GIF's size, shown for `delay_ms` (GIF counts hundredths).
    pub(crate) fn add(&mut self, image: &DynamicImage, delay_ms: u32) -> Result<(), CoreError> {
        if (image.width(), image.height()) != (u32::from(self.width), u32::from(self.height)) {
            return Err(CoreError::Internal("a GIF frame of another size".into()));
        }
        let mut pixels = image.to_rgba8().into_raw();
        for pixel in pixels.chunks_exact_mut(4) {
            pixel[3] = if pixel[3] < 128 { 0 } else { 255 };
        }
        let clears = self.shown.chunks_exact(4).zip(pixels.chunks_exact(4)).any(|(s, p)| s[3] > p[3]);
        self.flush(clears)?;
        if clears {
            self.shown.fill(0);
        }
        let bounds = self.difference(&mut pixels);
        let delay = u16::try_from(delay_ms.saturating_add(5) / 10).unwrap_or(u16::MAX);
        self.pending = Some(Pending { pixels, bounds, delay });
        Ok(())
    }

    /// Make pixels equal to the shown ones transparent, record the others
    /// as shown, and return the bounds of what changed.
    fn difference(&mut self, pixels: &mut [u8]) -> Bounds {
        let width = usize::from(self.width);
        let mut bounds = Bounds::EMPTY;
        for (i, (p, s)) in pixels.chunks_exact_mut(4).zip(self.shown.chunks_exact_mut(4)).enumerate() {
            // Exact: a region the source leaves alone resizes to the same pixels.
            let same = p[3] == 0 || (s[3] != 0 && *p == *s);
            if same {
                p[3] = 0;
            } else {
                s.copy_from_slice(p);
                bounds.add(i % width, i / width);
            }
        }
        bounds
    }

    /// Write the held-back frame: whole and disposed to the background when
    /// the next frame `clears` shown pixels, else cut to what changed.
    fn flush(&mut self, clears: bool) -> Result<(), CoreError> {
        let Some(pending) = self.pending.take() else { return Ok(()) };
        let (bounds, dispose) = if clears {
            (Bounds::whole(self.width, self.height), DisposalMethod::Background)
        } else {
            (pending.bounds.or_one_pixel(), DisposalMethod::Keep)
        };
        let cut = bounds.cut(&pending.pixels, usize::from(self.width));
        let (buffer, palette, transparent) = palette::quantise(&cut);
        let frame = Frame {
            left: bounds.x0 as u16,
            top: bounds.y0 as u16,
            width: bounds.width() as u16,
            height: bounds.height() as u16,
            buffer: buffer.into(),
            palette: Some(palette),
            transparent: transparent.then_some(palette::TRANSPARENT),
            delay: pending.delay,
            dispose,
            ..Frame::default()
        };
        self.encoder.write_frame(&frame).map_err(|e| failed(OutputFormat::Gif, e))
    }

    /// The GIF file.
    pub(crate) fn finish(mut self) -> Result<Vec<u8>, CoreError> {
        self.flush(false)?;
        self.encoder.into_inner().map_err(|e| failed(OutputFormat::Gif, e))
    }
}

/// Columns `x0..x1` of rows `y0..y1`; empty when `x1 <= x0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Bounds {
    x0: usize,
    y0: usize,
    x1: usize,
    y1: usize,
}

impl Bounds {
    const EMPTY: Self = Self { x0: usize::MAX, y0: usize::MAX, x1: 0, y1: 0 };

    fn whole(width: u16, height: u16) -> Self {
        Self { x0: 0, y0: 0, x1: usize::from(width), y1: usize::from(height) }
    }

    fn add(&mut self, x: usize, y: usize) {
        self.x0 = self.x0.min(x);
        self.y0 = self.y0.min(y);
        self.x1 = self.x1.max(x + 1);
        self.y1 = self.y1.max(y + 1);
    }

    /// A frame that changes nothing still needs a pixel, to carry its delay.
    fn or_one_pixel(self) -> Self {
        if self.x1 <= self.x0 { Self { x0: 0, y0: 0, x1: 1, y1: 1 } } else { self }
    }

    fn width(&self) -> usize {
        self.x1 - self.x0
    }

    fn height(&self) -> usize {
        self.y1 - self.y0
    }

    /// These pixels of an RGBA canvas `width` pixels wide.
    fn cut(&self, pixels: &[u8], width: usize) -> Vec<u8> {
        let row = |y: usize| &pixels[(y * width + self.x0) * 4..(y * width + self.x1) * 4];
        (self.y0..self.y1).flat_map(row).copied().collect()
    }
}

/// A still image as a one-frame GIF.
pub(super) fn encode(image: &DynamicImage) -> Result<Vec<u8>, CoreError> {
    let mut writer = GifWriter::new(image.width(), image.height(), Loops::Once)?;
    writer.add(image, 0)?;
    writer.finish()
}
