//! The plan: everything decided about a request before a pixel is decoded,
//! made once from the probed header, the parameters and the encoder
//! settings. The memory estimate, the server's admission control and every
//! pipeline step read the same [`Plan`], so a rule (the shrink-on-load
//! floor, which lane a JPEG takes, the output format) is decided in one
//! place and cannot drift between the estimate and the work.
//!
//! Geometry stays in [`crate::geometry`] as pure functions; this module
//! only combines them with the orientation, the lane and the output.

use image::metadata::Orientation;

use crate::analyse::{Search, Strategy};
use crate::geometry::{self, Canvas, Geometry, Region};
use crate::{
    Animation, CoreError, EncoderSettings, InputFormat, OutputFormat, Params, Position, Probe, Rect,
    ShrinkOnLoad,
};

/// Which pixels flow through the steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// 8-bit grey, grey+alpha, RGB or RGBA (CMYK inks until the colour step).
    Rgb,
    /// A JPEG's Y, Cb and Cr planes, decoded, resized and encoded as they are
    /// (JPEG → JPEG or WebP, `simd` builds; see `yuv`). The decode step falls
    /// back to [`Lane::Rgb`] for a file libjpeg-turbo cannot give as planes.
    Planes,
}

/// What one request will do, decided before decoding.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// What the header said: format, stored size, orientation.
    pub(crate) probe: Probe,
    /// The output size and the kept source region, as displayed (oriented).
    pub(crate) display: Geometry,
    /// The same in stored coordinates: what the decoder sees.
    pub(crate) stored: Geometry,
    /// `pos=attention|entropy`: the region moves within these bounds once
    /// the pixels are decoded (stored coordinates; a still cover crop only).
    pub(crate) search: Option<Search>,
    /// Padding for `fit=contain`, in display space.
    pub(crate) canvas: Option<Canvas>,
    /// The smallest decode (stored pixels) at which the kept region is still
    /// twice the output: the floor a JPEG decoder may shrink on load to.
    pub(crate) decode_floor: (usize, usize),
    /// The lane this request starts in.
    pub(crate) lane: Lane,
    /// The requested output format; `None`: the input's default, which for
    /// GIF and TIFF depends on whether the decoded pixels have alpha.
    pub(crate) format: Option<OutputFormat>,
    /// The requested quality; `None`: the output format's default.
    pub(crate) quality: Option<u8>,
    /// `q=auto`: the quality search chooses (lossy formats, still images).
    pub(crate) auto_quality: bool,
    /// `bg`: padding colour and what transparency is flattened onto.
    pub(crate) background: Option<[u8; 4]>,
    /// No parameters: the original is served as it is (after a check).
    pub(crate) passthrough: bool,
    /// Every frame of an animated source, into an animated WebP or GIF.
    pub(crate) animated: bool,
    /// Encoder settings from the configuration.
    pub(crate) settings: EncoderSettings,
}

impl Plan {
    /// Plan `params` (already negotiated: not `f=auto`) for an original
    /// whose header gave `probe`. Fails only for a `rect` outside the image.
    pub fn new(probe: &Probe, params: &Params, settings: &EncoderSettings) -> Result<Self, CoreError> {
        let size = probe.display_size();
        let rect = source_rect(params.rect(), size)?;
        let (w, h, fit) = (params.width(), params.height(), params.fit());
        let anchor = params.position().fractions();
        let (fitted, canvas) = geometry::plan_at(rect.width, rect.height, w, h, fit, anchor);
        let display = fitted.offset(rect.x, rect.y);
        let stored = display.stored(probe.orientation, size);
        let mut plan = Self {
            probe: *probe,
            display,
            stored,
            search: None,
            canvas,
            decode_floor: decode_floor(probe, &stored, settings.shrink_on_load),
            lane: Lane::Rgb,
            format: format(probe, params),
            quality: params.quality(),
            auto_quality: params.is_auto_quality(),
            background: params.background(),
            passthrough: params.is_passthrough(),
            animated: false,
            settings: *settings,
        };
        plan.animated = probe.frames > 1
            && params.animation() != Animation::FirstFrame
            && !plan.passthrough
            && plan.output_format(true).animates();
        plan.search = search(params.position(), &plan, rect);
        plan.lane = lane(&plan);
        Ok(plan)
    }

    /// The output format, once the decoded pixels say whether they have alpha.
    pub(crate) fn output_format(&self, has_alpha: bool) -> OutputFormat {
        self.format.unwrap_or_else(|| self.probe.format.default_output(has_alpha))
    }

    /// What transparency is flattened onto, in formats without alpha, and
    /// scored on by `q=auto`: `bg`, else white.
    pub(crate) fn matte(&self) -> [u8; 3] {
        let [r, g, b, _] = self.background.unwrap_or([255; 4]);
        [r, g, b]
    }

    /// The quality asked of `format`'s encoder (before its tuning).
    pub(crate) fn quality_for(&self, format: OutputFormat) -> u8 {
        self.quality.unwrap_or_else(|| format.default_quality())
    }

    /// The output's size: the canvas when padded, else the resized image.
    pub fn output_size(&self) -> (u32, u32) {
        self.canvas.map_or((self.display.width, self.display.height), |c| (c.width, c.height))
    }

    /// The lane this request starts in.
    pub fn lane(&self) -> Lane {
        self.lane
    }

    /// No parameters: the original is served unchanged.
    pub fn is_passthrough(&self) -> bool {
        self.passthrough
    }

    /// Every frame of an animated source goes into the output.
    pub fn is_animated(&self) -> bool {
        self.animated
    }

    /// The header this plan was made from.
    pub fn probe(&self) -> &Probe {
        &self.probe
    }
}

/// The output format asked for, where an animation changes it: an animated
/// GIF stays GIF when no format is named (a still GIF becomes PNG or JPEG,
/// which keep its colours better), an animated PNG becomes animated GIF
/// (edgepix writes no APNG; GIF is the animated format every client
/// reads, while WebP is for `f=webp`, or `f=auto` where `Accept` lists
/// it: `f=auto` without WebP arrives here as no format), and `anim=webp`
/// turns AVIF into WebP.
fn format(probe: &Probe, params: &Params) -> Option<OutputFormat> {
    let animated = probe.frames > 1;
    match (params.format(), params.animation()) {
        (None, Animation::Keep | Animation::AsWebp)
            if animated && matches!(probe.format, InputFormat::Gif | InputFormat::Png) =>
        {
            Some(OutputFormat::Gif)
        }
        (Some(OutputFormat::Avif), Animation::AsWebp) if animated => Some(OutputFormat::Webp),
        (format, _) => format,
    }
}

/// `rect` checked against the displayed size, or the whole image.
fn source_rect(rect: Option<Rect>, (width, height): (u32, u32)) -> Result<Rect, CoreError> {
    match rect {
        None => Ok(Rect { x: 0, y: 0, width, height }),
        Some(r) if r.fits(width, height) => Ok(r),
        Some(r) => Err(CoreError::RectOutOfBounds { rect: r.to_string(), width, height }),
    }
}

/// The content-aware search, for a still image's cover crop: an animation
/// keeps the centre, as one crop for every frame.
fn search(position: Position, plan: &Plan, rect: Rect) -> Option<Search> {
    let strategy = match position {
        Position::Attention => Strategy::Attention,
        Position::Entropy => Strategy::Entropy,
        Position::Point { .. } => return None,
    };
    let region = Region {
        x: f64::from(rect.x),
        y: f64::from(rect.y),
        width: f64::from(rect.width),
        height: f64::from(rect.height),
    };
    let bounds =
        Geometry { region, width: 1, height: 1 }.stored(plan.probe.orientation, plan.probe.display_size());
    (!plan.animated && !plan.passthrough).then_some(Search { strategy, bounds: bounds.region })
}

/// The smallest scale the decoder may produce: the region at twice the
/// output size ([`ShrinkOnLoad::Quality`]) or at the output size (`Fast`).
pub(crate) fn min_scale(g: &Geometry, mode: ShrinkOnLoad) -> f64 {
    let margin = match mode {
        ShrinkOnLoad::Quality => 2.0,
        ShrinkOnLoad::Fast => 1.0,
    };
    let sx = margin * f64::from(g.width) / g.region.width;
    let sy = margin * f64::from(g.height) / g.region.height;
    sx.max(sy).min(1.0)
}

/// [`min_scale`] as a decoded size (at least 1×1, at most the stored
/// size). `Fast` follows sharp's rule for a shrink factor `s` (the region
/// over the output): decode at 1/8, 1/4 or 1/2 whenever `s` reaches it,
/// but halve that when `s` is below the next whole number above it (its
/// guard against libjpeg's rounding), so 4000 px to 500 (s = 8) decodes at
/// 1/4 and 2725 px to 1200 (s = 2.3) whole.
pub(crate) fn decode_floor(probe: &Probe, stored: &Geometry, mode: ShrinkOnLoad) -> (usize, usize) {
    let scale = match mode {
        ShrinkOnLoad::Quality => min_scale(stored, mode),
        ShrinkOnLoad::Fast => {
            let s = 1.0 / min_scale(stored, mode);
            1.0 / [8.0, 4.0, 2.0].into_iter().find(|&p| s >= p + 1.0).unwrap_or(1.0)
        }
    };
    let side = |v: u32| ((f64::from(v) * scale).ceil() as usize).clamp(1, v as usize);
    (side(probe.width), side(probe.height))
}

/// The planes lane takes only the plain case: a JPEG to JPEG (or to WebP
/// with the `webp` feature), upright, unpadded, not in linear light, with
/// no content-aware crop (its analysis reads RGB) and no `q=auto` (its
/// metric reads RGB too).
fn lane(plan: &Plan) -> Lane {
    let format = plan.output_format(false);
    let plain = plan.probe.format == InputFormat::Jpeg
        && (format == OutputFormat::Jpeg || (cfg!(feature = "webp") && format == OutputFormat::Webp))
        && plan.probe.orientation == Orientation::NoTransforms
        && plan.canvas.is_none()
        && plan.search.is_none()
        && !plan.auto_quality
        && !plan.settings.linear_light;
    if cfg!(feature = "simd") && plain { Lane::Planes } else { Lane::Rgb }
}

#[cfg(test)]
mod tests;
