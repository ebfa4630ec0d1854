//! The pipeline, in order: plan → decode (with shrink-on-load) → resize →
//! colour (to sRGB) → orient → pad → encode (with the kept metadata). Each step lives in its own
//! module; this function is the one place that shows the order. Colour
//! conversion runs on the resized image, where it is cheapest, except in
//! linear-light mode, which must linearise sRGB, so it converts first.
//! With the `simd` feature a plain JPEG → JPEG request skips all of that in
//! YCbCr (`yuv`), with the same geometry, filter and encoder settings.

use std::time::Duration;

use web_time::Instant;

use crate::colour::{self, SourceColour};
use crate::encode::{EncoderSettings, encode};
use crate::plan::{Canvas, Geometry};
use crate::probe::swaps_axes;
use crate::resize::{self, Mode};
use crate::{CoreError, Limits, OutputFormat, Params, Probe, canvas, decode, metadata, orient, plan};

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
    /// Where the time went.
    pub timings: Timings,
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

/// Turn an original (already probed and within limits) into the requested
/// variant. `params` must not be `f=auto` (the server resolves it first).
pub fn process(
    bytes: &[u8],
    probe: &Probe,
    params: &Params,
    limits: &Limits,
    settings: &EncoderSettings,
) -> Result<Output, CoreError> {
    let (display_w, display_h) = probe.display_size();
    let (display, canvas) =
        plan::plan_fit(display_w, display_h, params.width(), params.height(), params.fit());
    let stored = if swaps_axes(probe.orientation) { display.transposed() } else { display };
    #[cfg(feature = "simd")]
    if crate::yuv::eligible(probe, params, canvas.is_some(), settings)
        && let Some(output) = crate::yuv::process(bytes, probe, params, &stored, settings, limits)
    {
        return output;
    }
    general(bytes, probe, params, (&stored, canvas.as_ref()), limits, settings)
}

/// Decode, resize, colour, orient, pad and encode: every request the YCbCr
/// lane does not take (`stored` is the region in stored orientation).
pub(crate) fn general(
    bytes: &[u8],
    probe: &Probe,
    params: &Params,
    (stored, canvas): (&Geometry, Option<&Canvas>),
    limits: &Limits,
    settings: &EncoderSettings,
) -> Result<Output, CoreError> {
    let start = Instant::now();
    let decode::Decoded { image, colour } = decode::decode(bytes, probe, stored, limits)?;
    let tagged = !matches!(colour, SourceColour::Untagged);
    let decoded = Instant::now();
    let scaled = stored.scaled_source(
        f64::from(image.width()) / f64::from(probe.width),
        f64::from(image.height()) / f64::from(probe.height),
    );
    let image = if settings.linear_light {
        let linear = Mode { alpha: true, linear: true };
        resize::resize(colour::to_srgb(image, &colour)?, &scaled, linear)?
    } else {
        let alpha = !matches!(colour, SourceColour::Cmyk(_));
        colour::to_srgb(resize::resize(image, &scaled, Mode { alpha, linear: false })?, &colour)?
    };
    let image = orient::apply(image, probe.orientation);
    let format = params.format().unwrap_or_else(|| probe.format.default_output(image.color().has_alpha()));
    // Padding and flattening: transparent where the format can hold it, else white.
    let transparent = if format.supports_alpha() { [0, 0, 0, 0] } else { [255; 4] };
    let background = params.background().unwrap_or(transparent);
    let image = match canvas {
        Some(canvas) => canvas::pad(image, canvas, background),
        None => image,
    };
    let resized = Instant::now();
    let quality = params.quality().unwrap_or_else(|| format.default_quality());
    let [r, g, b, _] = params.background().unwrap_or([255; 4]);
    let meta = metadata::collect(bytes, probe, settings.keep_metadata, tagged, limits);
    let bytes = encode(&image, format, quality, [r, g, b], settings, &meta)?;
    let timings = Timings { decode: decoded - start, resize: resized - decoded, encode: resized.elapsed() };
    Ok(Output { bytes, format, width: image.width(), height: image.height(), timings })
}

/// Check that an original decodes completely, without producing anything:
/// used before serving an original unchanged, so that a truncated or corrupt
/// file is refused rather than cached at the edge for a year. JPEGs are
/// decoded at 1/8 scale, which still reads every entropy-coded bit.
pub fn verify(bytes: &[u8], probe: &Probe, limits: &Limits) -> Result<(), CoreError> {
    let tiny = plan::plan(probe.width, probe.height, Some(1), Some(1));
    decode::decode(bytes, probe, &tiny, limits).map(drop)
}
