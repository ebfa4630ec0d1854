//! `q=auto`: the lowest quality whose output still scores the target
//! SSIMULACRA2 (70, "high quality", unless configured) against the resized
//! image before encoding. A fixed `q` is chosen for the hardest image a site
//! has and wastes bytes on every easier one; this spends them per image.
//!
//! The search works in the URL's `q` (so the reported quality is the `q=` a
//! user would write to get the same bytes) and is cheap by construction:
//! - the reference's half of the metric is prepared once ([`Reference`]);
//! - it starts where most photos land for the format ([`Bounds::start`])
//!   and accepts the first candidate within [`Bounds::accept`] points above
//!   the target, so a photo near the format's median encodes once;
//! - otherwise it steps by the format's typical slope (points per `q`), then
//!   interpolates between a failing and a passing candidate;
//! - it never encodes more than [`Bounds::encodes`] times; when no
//!   candidate has passed before the last encode, the last one is at
//!   [`Bounds::max`], so the target is missed only where the format cannot
//!   reach it at all (then the best candidate is returned).

use image::DynamicImage;

use super::ssim2::Reference;
use crate::encode::{self, EncoderSettings};
use crate::frame::Pixels;
use crate::metadata::OutputMetadata;
use crate::{AutoQuality, CoreError, Limits, OutputFormat};

/// `image` encoded as `format` at the `q` the search chooses for
/// `settings.auto_quality_target`, with `meta`; the chosen `q` and the
/// encodes it took beside it. Under 8×8 (no score) the format's default.
pub(crate) fn encode_auto(
    image: &DynamicImage,
    format: OutputFormat,
    background: [u8; 3],
    settings: &EncoderSettings,
    meta: &OutputMetadata,
) -> Result<(Vec<u8>, AutoQuality), CoreError> {
    let Some(mut reference) = reference(image, background) else {
        let quality = format.default_quality();
        let bytes = encode::encode(image, format, quality, background, settings, meta)?;
        return Ok((bytes, AutoQuality { quality, encodes: 1 }));
    };
    let found = search(f64::from(settings.auto_quality_target), &bounds(format), |q| {
        let bytes = encode::encode(image, format, q, background, settings, meta)?;
        let score = reference.score(&decoded(&bytes, format, image, background)?);
        Ok::<_, CoreError>((bytes, score))
    })?;
    Ok((found.bytes, AutoQuality { quality: found.quality, encodes: found.encodes }))
}

/// A candidate decoded back to what the metric sees.
fn decoded(
    bytes: &[u8],
    format: OutputFormat,
    image: &DynamicImage,
    background: [u8; 3],
) -> Result<Vec<u8>, CoreError> {
    #[cfg(feature = "webp")]
    if format == OutputFormat::Webp {
        // libwebp, already linked for the encoder: the decoder browsers use,
        // and faster than image-webp.
        let lost = || CoreError::Internal("libwebp could not decode its own output".into());
        let webp = webp::Decoder::new(bytes).decode().ok_or_else(lost)?;
        let (w, h, pixels) = (webp.width(), webp.height(), webp.to_vec());
        let image = match webp.is_alpha() {
            true => image::RgbaImage::from_raw(w, h, pixels).map(DynamicImage::ImageRgba8),
            false => image::RgbImage::from_raw(w, h, pixels).map(DynamicImage::ImageRgb8),
        };
        return Ok(visible(&image.ok_or_else(lost)?, background));
    }
    let _ = format;
    // Our own output of `image`, already within the request's limits: the
    // decoder's are its size, whatever the configured ones are.
    let pixels = u64::from(image.width()) * u64::from(image.height());
    let limits =
        Limits { max_source_pixels: pixels, max_source_bytes: bytes.len() as u64, ..Limits::default() };
    let probe = crate::probe(bytes, &limits)?;
    let full = (probe.width as usize, probe.height as usize);
    match crate::decode::rgb(bytes, &probe, full, &limits)?.pixels {
        Pixels::Rgb(image) => Ok(visible(&image, background)),
        #[cfg(feature = "simd")]
        Pixels::Planes(_) => Err(CoreError::Internal("a candidate decoded to planes".into())),
    }
}

/// One format's search settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Bounds {
    /// First `q` tried.
    pub start: u8,
    /// Lowest and highest `q` the search may choose.
    pub min: u8,
    pub max: u8,
    /// Most encodes per request.
    pub encodes: u8,
    /// Typical score points gained per `q` step near the target.
    pub slope: f64,
    /// A passing candidate within this many points of the target ends the search.
    pub accept: f64,
}

/// Where the search starts and how far it may go, per format (see
/// BENCHMARKS.md, `q=auto`, for the corpus figures behind them).
pub(crate) fn bounds(format: OutputFormat) -> Bounds {
    match format {
        OutputFormat::Avif => Bounds { start: 62, min: 20, max: 100, encodes: 3, slope: 0.45, accept: 1.5 },
        OutputFormat::Webp => Bounds { start: 78, min: 20, max: 100, encodes: 4, slope: 0.5, accept: 1.5 },
        _ => Bounds { start: 70, min: 20, max: 100, encodes: 4, slope: 0.5, accept: 2.0 },
    }
}

/// The outcome: the chosen candidate's bytes, its `q` and score, and how
/// many encodes the search made.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    pub bytes: Vec<u8>,
    pub quality: u8,
    pub score: f64,
    pub encodes: u8,
}

/// A tried candidate.
struct Tried {
    quality: u8,
    score: f64,
    bytes: Vec<u8>,
}

/// Search `bounds` for the lowest `q` whose candidate scores at least
/// `target`; `trial(q)` encodes at `q` and scores the result.
pub(crate) fn search<E>(
    target: f64,
    bounds: &Bounds,
    mut trial: impl FnMut(u8) -> Result<(Vec<u8>, f64), E>,
) -> Result<Found, E> {
    let mut pass: Option<Tried> = None; // the lowest q that passed
    let mut fail: Option<Tried> = None; // the highest q that failed
    let mut quality = bounds.start.clamp(bounds.min, bounds.max);
    let mut encodes = 0;
    loop {
        let (bytes, score) = trial(quality)?;
        encodes += 1;
        let tried = Tried { quality, score, bytes };
        if score >= target {
            pass = Some(tried);
        } else {
            fail = Some(tried);
        }
        let next = next_quality(target, bounds, pass.as_ref(), fail.as_ref());
        match next {
            Some(_) if encodes >= bounds.encodes => break,
            Some(_) if encodes + 1 == bounds.encodes && pass.is_none() => quality = bounds.max,
            Some(q) => quality = q,
            None => break,
        }
    }
    let best = pass.or(fail).expect("the loop tries at least once");
    Ok(Found { bytes: best.bytes, quality: best.quality, score: best.score, encodes })
}

/// The next `q` to try, or `None` when the search is done.
fn next_quality(target: f64, b: &Bounds, pass: Option<&Tried>, fail: Option<&Tried>) -> Option<u8> {
    let steps = |points: f64| (points / b.slope).ceil().clamp(1.0, 100.0) as u8;
    match (pass, fail) {
        (Some(p), _) if p.score - target <= b.accept => None,
        // A gap of two: the `q` between saves too little for an encode.
        (Some(p), Some(f)) if p.quality <= f.quality + 2 => None,
        (Some(p), Some(f)) => {
            // The secant between the two, rounded up (towards passing).
            let span = f64::from(p.quality - f.quality);
            let at = f64::from(f.quality) + (target - f.score) * span / (p.score - f.score).max(1e-9);
            Some((at.ceil() as u8).clamp(f.quality + 1, p.quality - 1))
        }
        (Some(p), None) => {
            let q = p.quality.saturating_sub(steps(p.score - target - b.accept / 2.0)).max(b.min);
            // Two steps or more: one `q` lower saves too little for an encode.
            (q + 2 <= p.quality).then_some(q)
        }
        (None, Some(f)) if f.quality >= b.max => None,
        (None, Some(f)) => {
            Some(f.quality.saturating_add(steps(target - f.score + b.accept / 2.0)).min(b.max))
        }
        (None, None) => None,
    }
}

/// The image as the metric sees it: packed RGB, transparency composited
/// onto `background` (what a page shows behind it is unknown; pixels
/// hidden by alpha must not count, encoders are free to change them).
pub(crate) fn visible(image: &DynamicImage, background: [u8; 3]) -> Vec<u8> {
    if !image.color().has_alpha() {
        return image.to_rgb8().into_raw();
    }
    encode::flatten(image.to_rgba8().as_raw(), background)
}

/// The metric's reference for `image`, `None` under 8×8 (the search is
/// skipped there and the format's default quality used).
pub(crate) fn reference(image: &DynamicImage, background: [u8; 3]) -> Option<Reference> {
    Reference::new(&visible(image, background), image.width() as usize, image.height() as usize)
}

#[cfg(test)]
mod tests;
