//! GIF through the `gif` crate, still or animated. GIF transparency is one
//! bit: pixels under half opacity become transparent, the rest opaque.
//!
//! Palettes: the first frame's palette is the file's global one, and a
//! later frame reuses the palette in use while its error stays near what
//! that palette scored on the frame it was made for (as libvips' cgif
//! saver reuses palettes); otherwise it gets a palette of its own. Reuse
//! saves the local tables and keeps colours steady from frame to frame.
//!
//! Frames are written as differences, after quantising: a pixel whose
//! colour is the one already shown, or whose shown colour is nearly as
//! near it as its palette colour, is left transparent (the frame before
//! shows through), and each frame is cut to the rectangle that changed. A
//! frame that turns shown pixels transparent cannot be drawn over its
//! predecessor, so the predecessor is written whole and disposed to the
//! background; that is why one frame is held back (`pending`) until the
//! next is known. The writer holds a few frames of the output size, never
//! the animation.

mod kmeans;
mod palette;

use gif::{DisposalMethod, Encoder, Frame, Repeat};
use image::DynamicImage;
use palette::{Palette, TRANSPARENT};

use super::failed;
use crate::anim::Loops;
use crate::{CoreError, OutputFormat};

/// A shown pixel is kept rather than redrawn while its squared distance
/// (summed over R, G and B) from the frame's colour is at most this much
/// above the palette colour's: never worse than quantising plus about 4
/// levels a channel, so where the palette is close the bound is tight.
/// On the corpus's 44-frame GIF at w=200 (SSIMULACRA2 mean), with the
/// palette searched by luma-weighted distance (`gif/kmeans.rs`): 40 gives
/// 368,819 B at 88.1, 45 366,861 B at 88.1, 48 364,181 B at 87.8, 54
/// 361,457 B at 87.5, 70 346,839 B at 84.4. 48 is the largest bound that
/// keeps the score within a quarter point of sharp's (88.0 at 364,204 B).
/// Weighting this distance as the search does lost 5 points or more.
const KEEP: u32 = 48;

/// A palette still suits a frame whose mean squared error per channel is
/// at most this much above (and this many times) what it scored at first.
const REUSE_SLACK: (f64, f64) = (1.5, 4.0);

/// A GIF being written, one frame at a time.
pub(crate) struct GifWriter {
    /// Created at the first frame written, whose palette is the global one.
    encoder: Option<Encoder<Vec<u8>>>,
    width: u16,
    height: u16,
    loops: Loops,
    /// What the GIF shows once `pending` is drawn (RGBA, quantised colours).
    shown: Vec<u8>,
    /// The palette in use, its score on the frame it was made for, and
    /// whether it is the global one.
    palette: Option<(Palette, f64, bool)>,
    /// The global colour table (the first frame's palette).
    global: Vec<u8>,
    pending: Option<Pending>,
}

/// A frame not yet written: its indices (unchanged pixels transparent),
/// their bounding box, its delay in hundredths and its colour table
/// (`None`: the global one).
struct Pending {
    indices: Vec<u8>,
    bounds: Bounds,
    delay: u16,
    table: Option<Vec<u8>>,
}

impl GifWriter {
    /// A `width × height` GIF played as `loops` says.
    pub(crate) fn new(width: u32, height: u32, loops: Loops) -> Result<Self, CoreError> {
        let side =
            |v: u32| u16::try_from(v).map_err(|_| failed(OutputFormat::Gif, "a side is over 65535 px"));
        let (width, height) = (side(width)?, side(height)?);
        let shown = vec![0; usize::from(width) * usize::from(height) * 4];
        Ok(Self {
            encoder: None,
            width,
            height,
            loops,
            shown,
            palette: None,
            global: Vec::new(),
            pending: None,
        })
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
        let (mut indices, table) = self.quantise(&pixels);
        let clears = self.shown.chunks_exact(4).zip(pixels.chunks_exact(4)).any(|(s, p)| s[3] > p[3]);
        self.flush(clears)?;
        if clears {
            self.shown.fill(0);
        }
        let bounds = self.difference(&mut indices, &pixels);
        let delay = u16::try_from(delay_ms.saturating_add(5) / 10).unwrap_or(u16::MAX);
        self.pending = Some(Pending { indices, bounds, delay, table });
        Ok(())
    }

    /// The frame's indices with the palette in use if it still suits,
    /// else with a new one; and the colour table to write with them.
    fn quantise(&mut self, pixels: &[u8]) -> (Vec<u8>, Option<Vec<u8>>) {
        if let Some((palette, first, global)) = &mut self.palette
            && let Some((indices, error)) = palette.indices(pixels)
            && error <= *first * REUSE_SLACK.0 + REUSE_SLACK.1
        {
            return (indices, (!*global).then(|| palette.table()));
        }
        let mut palette = Palette::new(pixels);
        let (indices, error) = palette.indices(pixels).unwrap_or_default();
        let global = self.palette.is_none();
        let table = (!global).then(|| palette.table());
        if global {
            self.global = palette.table();
        }
        self.palette = Some((palette, error, global));
        (indices, table)
    }

    /// Make pixels whose shown colour is kept ([`KEEP`]) transparent, record
    /// the others as shown, and return the bounds of what changed.
    fn difference(&mut self, indices: &mut [u8], pixels: &[u8]) -> Bounds {
        let width = usize::from(self.width);
        let Some((palette, ..)) = &self.palette else { return Bounds::EMPTY };
        let mut bounds = Bounds::EMPTY;
        let shown_rows = self.shown.chunks_exact_mut(4);
        for (i, ((index, shown), pixel)) in
            indices.iter_mut().zip(shown_rows).zip(pixels.chunks_exact(4)).enumerate()
        {
            if *index == TRANSPARENT {
                continue;
            }
            let [r, g, b] = palette.colour(*index);
            // Also true when the shown colour is the palette colour.
            let kept = shown[3] == 255 && distance(pixel, shown) <= distance(pixel, &[r, g, b]) + KEEP;
            if kept {
                *index = TRANSPARENT;
            } else {
                shown.copy_from_slice(&[r, g, b, 255]);
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
        let buffer = bounds.cut(&pending.indices, usize::from(self.width));
        let transparent = buffer.contains(&TRANSPARENT).then_some(TRANSPARENT);
        let frame = Frame {
            left: bounds.x0 as u16,
            top: bounds.y0 as u16,
            width: bounds.width() as u16,
            height: bounds.height() as u16,
            buffer: buffer.into(),
            palette: pending.table,
            transparent,
            delay: pending.delay,
            dispose,
            ..Frame::default()
        };
        self.encoder()?.write_frame(&frame).map_err(|e| failed(OutputFormat::Gif, e))
    }

    /// The encoder, started with the global palette (the first frame's).
    fn encoder(&mut self) -> Result<&mut Encoder<Vec<u8>>, CoreError> {
        if self.encoder.is_none() {
            let mut encoder = Encoder::new(Vec::new(), self.width, self.height, &self.global)
                .map_err(|e| failed(OutputFormat::Gif, e))?;
            let repeat = match self.loops {
                Loops::Forever => Some(Repeat::Infinite),
                Loops::Times(n) => Some(Repeat::Finite(n)),
                Loops::Once => None,
            };
            if let Some(repeat) = repeat {
                encoder.set_repeat(repeat).map_err(|e| failed(OutputFormat::Gif, e))?;
            }
            self.encoder = Some(encoder);
        }
        self.encoder.as_mut().ok_or_else(|| CoreError::Internal("no GIF encoder".into()))
    }

    /// The GIF file.
    pub(crate) fn finish(mut self) -> Result<Vec<u8>, CoreError> {
        self.flush(false)?;
        self.encoder()?;
        let encoder = self.encoder.take().ok_or_else(|| CoreError::Internal("no GIF encoder".into()))?;
        encoder.into_inner().map_err(|e| failed(OutputFormat::Gif, e))
    }
}

/// The squared distance between two colours' R, G and B.
fn distance(a: &[u8], b: &[u8]) -> u32 {
    a.iter().zip(b).take(3).map(|(&x, &y)| u32::from(x.abs_diff(y)).pow(2)).sum()
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

    /// These pixels of a canvas of one byte a pixel, `width` pixels wide.
    fn cut(&self, pixels: &[u8], width: usize) -> Vec<u8> {
        let row = |y: usize| &pixels[y * width + self.x0..y * width + self.x1];
        (self.y0..self.y1).flat_map(row).copied().collect()
    }
}

/// A still image as a one-frame GIF.
pub(super) fn encode(image: &DynamicImage) -> Result<Vec<u8>, CoreError> {
    let mut writer = GifWriter::new(image.width(), image.height(), Loops::Once)?;
    writer.add(image, 0)?;
    writer.finish()
}
