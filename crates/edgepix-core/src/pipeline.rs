//! The pipeline, in order: decode (with shrink-on-load) → resize → colour
//! (to sRGB) → orient → pad → encode (with the kept metadata), every step
//! taking and returning a [`Frame`](crate::frame::Frame). [`process`] is the one place that
//! shows the order, for both lanes: a plain JPEG → JPEG or WebP request
//! ([`Lane::Planes`], `simd` builds) carries YCbCr planes through the same
//! steps, where colour, orient and pad have nothing to do. Colour conversion
//! runs on the resized image, where it is cheapest, except in linear-light
//! mode, which must linearise sRGB, so it converts first. An animation
//! takes each frame through the same [`steps`] (see `anim`).

use std::time::Duration;

use web_time::Instant;

use crate::frame::{Frame, Pixels};
use crate::plan::{self, Lane, Plan};
use crate::{CoreError, Limits, OutputFormat, Probe, ShrinkOnLoad};
use crate::{analyse, canvas, colour, decode, encode, geometry, metadata, orient, resize};

/// An encoded output image.
#[derive(Debug, Clone)]
pub struct Output {
    /// The encoded bytes.
    pub bytes: Vec<u8>,
    /// Their format.
    pub format: OutputFormat,
    /// Output width in pixels.
    pub width: u32,
    /// Output height in pixels.
    pub height: u32,
    /// The lane the pixels went through (the plan's, unless its decode fell back).
    pub lane: Lane,
    /// With `q=auto`, what the search chose and what it took.
    pub auto_quality: Option<AutoQuality>,
    /// Where the time went.
    pub timings: Timings,
}

/// What `q=auto` chose for one output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AutoQuality {
    /// The `q` (the URL's scale) whose output was kept.
    pub quality: u8,
    /// How many candidates the search encoded.
    pub encodes: u8,
}

/// Time spent in each CPU stage (for `Server-Timing`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timings {
    /// Decoding, including shrink-on-load.
    pub decode: Duration,
    /// Resizing, colour conversion, orienting and padding.
    pub resize: Duration,
    /// Encoding.
    pub encode: Duration,
}

/// Turn an original (already probed and within limits) into what `plan` asks for.
pub fn process(bytes: &[u8], plan: &Plan, limits: &Limits) -> Result<Output, CoreError> {
    if plan.animated {
        return crate::anim::process(bytes, plan, limits);
    }
    let start = Instant::now();
    let frame = decode::frame(bytes, plan, limits)?;
    let tagged = frame.colour.is_tagged();
    let decoded = Instant::now();
    let frame = steps(frame, plan)?;
    let format = plan.output_format(frame.has_alpha());
    let resized = Instant::now();
    let meta = metadata::collect(bytes, &plan.probe, plan.settings.keep_metadata, tagged, limits);
    let ((width, height), lane) = (frame.size(), frame.lane());
    let (bytes, auto_quality) = encode_step(frame, format, plan, &meta)?;
    let timings = Timings { decode: decoded - start, resize: resized - decoded, encode: resized.elapsed() };
    Ok(Output { bytes, format, width, height, lane, auto_quality, timings })
}

/// The encode step; with `q=auto` and a lossy format, the quality search
/// around it (in the RGB lane: the plan keeps `q=auto` out of the planes).
fn encode_step(
    frame: Frame,
    format: OutputFormat,
    plan: &Plan,
    meta: &metadata::OutputMetadata,
) -> Result<(Vec<u8>, Option<AutoQuality>), CoreError> {
    match &frame.pixels {
        Pixels::Rgb(image) if plan.auto_quality && format.is_lossy() => {
            let (bytes, auto) =
                analyse::quality::encode_auto(image, format, plan.matte(), &plan.settings, meta)?;
            Ok((bytes, Some(auto)))
        }
        _ => Ok((encode::frame(frame, format, plan, meta)?, None)),
    }
}

/// The steps between decode and encode, the same for a still image and
/// each frame of an animation: resize, colour (to sRGB), orient, pad.
pub(crate) fn steps(frame: Frame, plan: &Plan) -> Result<Frame, CoreError> {
    let frame = if plan.settings.linear_light {
        resize::frame(colour::frame(frame)?, plan)?
    } else {
        colour::frame(resize::frame(frame, plan)?)?
    };
    let frame = orient::frame(frame, plan.probe.orientation);
    let format = plan.output_format(frame.has_alpha());
    Ok(canvas::frame(frame, plan, format))
}

/// Check that an original decodes completely, without producing anything:
/// used before serving an original unchanged, so that a truncated or corrupt
/// file is refused rather than cached at the edge for a year. JPEGs are
/// decoded at 1/8 scale, which still reads every entropy-coded bit.
pub fn verify(bytes: &[u8], probe: &Probe, limits: &Limits) -> Result<(), CoreError> {
    let tiny = geometry::plan(probe.width, probe.height, Some(1), Some(1));
    decode::rgb(bytes, probe, plan::decode_floor(probe, &tiny, ShrinkOnLoad::Quality), limits).map(drop)
}
