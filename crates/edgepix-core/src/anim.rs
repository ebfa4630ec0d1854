//! Animations: every frame of an animated GIF, WebP or PNG through the same
//! steps as a still image, one frame at a time, into an animated WebP or
//! GIF. At no point is more than one full-size frame held: the decoder
//! composites onto its one canvas, each frame is resized as soon as it is
//! drawn, and the encoder keeps only what it needs of the frames it has
//! been given (libwebp: its previous canvas and the encoded frames; GIF:
//! the bytes written). Delays and the loop count carry over.
//!
//! The limits (`max_frames`, `max_animation_pixels`) are checked by the
//! probe from the frame headers, before anything is decoded.

mod apng;
mod gif;
mod rect;
mod webp;

use image::DynamicImage;
use web_time::Instant;

use rect::Rect;

use crate::colour::SourceColour;
#[cfg(feature = "webp")]
use crate::encode::failed;
use crate::encode::gif::GifWriter;
use crate::frame::{Frame, Pixels};
use crate::pipeline::{Output, Timings};
use crate::plan::{Lane, Plan};
use crate::{CoreError, InputFormat, Limits, OutputFormat, pipeline};

/// How often an animation plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Loops {
    /// Over and over.
    Forever,
    /// This many times (GIF: the NETSCAPE block's count, passed on as it is).
    Times(u16),
    /// A GIF without a loop block: once.
    Once,
}

/// The number of frames of a GIF, WebP or PNG (1 for anything else), checked
/// against the limits from the headers alone.
pub(crate) fn frames(
    bytes: &[u8],
    format: InputFormat,
    canvas: (u32, u32),
    limits: &Limits,
) -> Result<u32, CoreError> {
    match format {
        InputFormat::Gif => gif::count(bytes, canvas, limits),
        InputFormat::Webp => webp::count(bytes, canvas, limits),
        InputFormat::Png => apng::count(bytes, canvas, limits),
        _ => Ok(1),
    }
}

/// Refuse an animation once `frames` of the canvas pass a limit.
fn check(frames: u32, (width, height): (u32, u32), limits: &Limits) -> Result<(), CoreError> {
    if frames > limits.max_frames {
        return Err(CoreError::TooManyFrames { frames, max: limits.max_frames });
    }
    let pixels = u64::from(frames) * u64::from(width) * u64::from(height);
    if frames > 1 && pixels > limits.max_animation_pixels {
        let max = limits.max_animation_pixels;
        return Err(CoreError::AnimationTooLarge { width, height, frames, pixels, max });
    }
    Ok(())
}

/// A frame's rectangle (`x`, `y`, `width`, `height`) inside the canvas:
/// WebP and APNG make a file invalid when a frame reaches past it (GIF
/// frames are clipped instead, as browsers draw them).
fn inside(
    index: u32,
    (x, y, w, h): (u32, u32, u32, u32),
    (width, height): (u32, u32),
) -> Result<(), CoreError> {
    if u64::from(x) + u64::from(w) > u64::from(width) || u64::from(y) + u64::from(h) > u64::from(height) {
        return Err(CoreError::undecodable(format!(
            "frame {index} ({w}x{h} at {x},{y}) lies outside the {width}x{height} canvas"
        )));
    }
    Ok(())
}

/// Decode, resize and encode every frame of an animation that `plan` keeps animated.
pub(crate) fn process(bytes: &[u8], plan: &Plan, limits: &Limits) -> Result<Output, CoreError> {
    let format = plan.output_format(true);
    let (width, height) = plan.output_size();
    let mut source = Source::open(bytes, plan.probe.format, limits)?;
    let mut sink: Option<Sink> = None;
    let mut timings = Timings::default();
    loop {
        let start = Instant::now();
        let Some((image, delay)) = source.next()? else { break };
        let decoded = Instant::now();
        let frame = pipeline::steps(Frame::rgb(image, source.colour()), plan)?;
        if frame.size() != (width, height) {
            return Err(CoreError::Internal(format!(
                "frame resized to {:?}, not {width}x{height}",
                frame.size()
            )));
        }
        let resized = Instant::now();
        let sink = match &mut sink {
            Some(sink) => sink,
            None => sink.insert(Sink::new(format, width, height, source.loops(), plan)?),
        };
        sink.add(frame, delay)?;
        timings.decode += decoded - start;
        timings.resize += resized - decoded;
        timings.encode += resized.elapsed();
    }
    let sink = sink.ok_or_else(|| CoreError::undecodable("the animation has no frame"))?;
    let start = Instant::now();
    let bytes = sink.finish()?;
    timings.encode += start.elapsed();
    Ok(Output { bytes, format, width, height, lane: Lane::Rgb, auto_quality: None, timings })
}

/// Where the frames come from. One lives on the stack per request, so the
/// variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
enum Source<'a> {
    Gif(gif::Frames<'a>),
    Webp(webp::Frames<'a>),
    Apng(apng::Frames<'a>),
}

impl<'a> Source<'a> {
    fn open(bytes: &'a [u8], format: InputFormat, limits: &Limits) -> Result<Self, CoreError> {
        match format {
            InputFormat::Gif => Ok(Self::Gif(gif::Frames::new(bytes, limits)?)),
            InputFormat::Webp => Ok(Self::Webp(webp::Frames::new(bytes, limits)?)),
            InputFormat::Png => Ok(Self::Apng(apng::Frames::new(bytes, limits)?)),
            other => Err(CoreError::Internal(format!("{other:?} has no animation decoder"))),
        }
    }

    /// The next composited frame, as an image of its own (the steps consume
    /// it; the decoder keeps its canvas for the next frame), and its delay.
    fn next(&mut self) -> Result<Option<(DynamicImage, u32)>, CoreError> {
        match self {
            Self::Gif(frames) => {
                Ok(frames.next()?.map(|(canvas, delay)| (DynamicImage::ImageRgba8(canvas.clone()), delay)))
            }
            Self::Webp(frames) => frames.next(),
            Self::Apng(frames) => frames.next(),
        }
    }

    fn loops(&self) -> Loops {
        match self {
            Self::Gif(frames) => frames.loops(),
            Self::Webp(frames) => frames.loops(),
            Self::Apng(frames) => frames.loops(),
        }
    }

    fn colour(&self) -> SourceColour {
        match self {
            Self::Gif(_) => SourceColour::Untagged,
            Self::Webp(frames) => frames.colour(),
            Self::Apng(frames) => frames.colour(),
        }
    }
}

/// Where the frames go.
enum Sink {
    #[cfg(feature = "webp")]
    Webp(edgepix_webp::AnimEncoder),
    Gif(GifWriter),
}

impl Sink {
    #[cfg_attr(not(feature = "webp"), allow(unused_variables))]
    fn new(
        format: OutputFormat,
        width: u32,
        height: u32,
        loops: Loops,
        plan: &Plan,
    ) -> Result<Self, CoreError> {
        match format {
            #[cfg(feature = "webp")]
            OutputFormat::Webp => {
                let count = match loops {
                    Loops::Forever => 0,
                    Loops::Times(n) => n,
                    Loops::Once => 1,
                };
                // The still WebP encoder's tuning of `q` (encode.rs), for the same bytes per score.
                let quality = f32::from(crate::encode::tuned_quality(plan.quality_for(format)));
                let (w, h) = (width as usize, height as usize);
                let encoder = edgepix_webp::AnimEncoder::new(w, h, count, quality, plan.settings.webp_method);
                Ok(Self::Webp(encoder.map_err(|e| failed(format, e))?))
            }
            OutputFormat::Gif => Ok(Self::Gif(GifWriter::new(width, height, loops)?)),
            other => Err(CoreError::UnsupportedInput(format!(
                "animated {} output is not in this build",
                other.name()
            ))),
        }
    }

    // Without the SIMD lane `Pixels` has one variant, and the match is a `let`.
    #[cfg_attr(not(feature = "simd"), allow(clippy::infallible_destructuring_match))]
    fn add(&mut self, frame: Frame, delay_ms: u32) -> Result<(), CoreError> {
        let image = match frame.pixels {
            Pixels::Rgb(image) => image,
            #[cfg(feature = "simd")]
            Pixels::Planes(_) => {
                return Err(CoreError::Internal("an animation frame outside the RGB lane".into()));
            }
        };
        let image = match image {
            DynamicImage::ImageRgb8(_) | DynamicImage::ImageRgba8(_) => image,
            other => DynamicImage::ImageRgba8(other.into_rgba8()),
        };
        match self {
            #[cfg(feature = "webp")]
            Self::Webp(encoder) => {
                let (data, channels) = match &image {
                    DynamicImage::ImageRgb8(rgb) => (rgb.as_raw().as_slice(), 3),
                    _ => (image.as_bytes(), 4),
                };
                encoder
                    .add(edgepix_webp::Pixels { data, channels }, delay_ms)
                    .map_err(|e| failed(OutputFormat::Webp, e))
            }
            Self::Gif(writer) => writer.add(&image, delay_ms),
        }
    }

    fn finish(self) -> Result<Vec<u8>, CoreError> {
        match self {
            #[cfg(feature = "webp")]
            Self::Webp(encoder) => encoder.finish().map_err(|e| failed(OutputFormat::Webp, e)),
            Self::Gif(writer) => writer.finish(),
        }
    }
}

#[cfg(test)]
mod tests;
