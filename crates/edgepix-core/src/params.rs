//! The URL contract: `w`, `h`, `f`, `q`, `fit`, `pos`, `rect`, `bg`, `dpr`,
//! `anim`. Parsing and
//! validation happen once, here; everything downstream takes a [`Params`]
//! and can trust it.
//!
//! Canonical-URL rule (the cache key, and what the CloudFront Function must
//! produce; `tests/vectors/canonical.json` holds the shared test vectors):
//! names are case-insensitive and written lower-case; order is irrelevant;
//! the last of repeated names wins; `jpg` is `jpeg`; `dpr` is folded into
//! `w`/`h` (capped at the output limit) and never appears; defaults are
//! dropped (`fit=cover` with both sides, any `fit` with fewer than two
//! sides, a `q` equal to the named format's default; `q=auto` stays, in
//! lower case); `bg` is lower-case
//! hex without `#` and without an opaque alpha; `anim=true` is the default
//! and drops out, as does `anim=webp` unless the format is `avif`; `pos`
//! is spelled lower-case, a point with at most three decimals and as a
//! compass name where one fits (`0.5,0` is `top`), and drops out where it
//! cannot change the output: `center`, fewer than two sides, a `fit` other
//! than `cover` and `contain`, and `attention`/`entropy` with `contain`;
//! `rect` is four integers (its bounds need the image: see
//! [`Rect::fits`]).
//!
//! Signed URLs add `s` (signature) and `exp` (expiry, unix seconds). They are
//! read only by [`Params::parse_signed`], kept apart in [`SignatureFields`]
//! and never enter the canonical query: the signature covers the canonical
//! query, so it cannot be part of it, nor of the cache key.

use std::collections::BTreeMap;

mod position;
mod values;

pub use position::{Position, Rect};
use position::{position, rect};
use values::{animation, background, expiry, fit, format, hex, hundredths, quality, side, signature};

use crate::{CoreError, Limits, OutputFormat};

/// How an image meets a `w`×`h` box (sharp's vocabulary and meanings).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Fit {
    /// Scale to cover the box, crop the overflow (where `pos` says).
    #[default]
    Cover,
    /// Scale to fit inside the box, pad the rest with `bg`.
    Contain,
    /// Stretch to the box, ignoring the aspect ratio.
    Fill,
    /// Scale to fit inside the box; the output is the scaled image.
    Inside,
    /// Scale to cover the box; the output is the scaled image.
    Outside,
}

impl Fit {
    fn from_param(value: &str) -> Option<Self> {
        Some(match value {
            "cover" => Self::Cover,
            "contain" => Self::Contain,
            "fill" => Self::Fill,
            "inside" => Self::Inside,
            "outside" => Self::Outside,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Self::Cover => "cover",
            Self::Contain => "contain",
            Self::Fill => "fill",
            Self::Inside => "inside",
            Self::Outside => "outside",
        }
    }
}

/// What happens to an animated source (`anim`; Cloudflare's name). A still
/// source is the same under every value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Animation {
    /// `anim=true`: every frame, when the output format can animate (WebP,
    /// GIF); the first frame in the others.
    #[default]
    Keep,
    /// `anim=false`: the first frame, whatever the format.
    FirstFrame,
    /// `anim=webp`: as [`Animation::Keep`], and an AVIF output becomes an
    /// animated WebP. `f=auto` adds it when it picks AVIF (every browser
    /// that accepts AVIF accepts WebP), so that the edge, which cannot know
    /// the source is animated, still gets the animation.
    AsWebp,
}

impl Animation {
    fn from_param(value: &str) -> Option<Self> {
        Some(match value {
            "true" => Self::Keep,
            "false" => Self::FirstFrame,
            "webp" => Self::AsWebp,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Self::Keep => "true",
            Self::FirstFrame => "false",
            Self::AsWebp => "webp",
        }
    }
}

/// Validated request parameters. Fields are private so that a `Params` can
/// only come from [`Params::parse`] and is always in range.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Params {
    width: Option<u32>,
    height: Option<u32>,
    format: Option<OutputFormat>,
    auto: bool,
    quality: Option<u8>,
    auto_quality: bool,
    fit: Fit,
    position: Position,
    rect: Option<Rect>,
    background: Option<[u8; 4]>,
    animation: Animation,
}

impl Params {
    /// Parse and validate a raw query string (without the leading `?`).
    ///
    /// Unknown names, empty or malformed values and out-of-range numbers are
    /// errors that name the parameter; nothing is silently ignored, so two
    /// spellings of one request cannot become two cache entries.
    /// `s` and `exp` are refused here like any unknown name: a caller that
    /// accepts signed URLs uses [`Params::parse_signed`].
    pub fn parse(query: &str, limits: &Limits) -> Result<Self, CoreError> {
        let (params, fields) = Self::parse_signed(query, limits)?;
        match (fields.signature, fields.expires) {
            (None, None) => Ok(params),
            (Some(_), _) => Err(CoreError::UnknownParam { name: "s".into() }),
            (None, Some(_)) => Err(CoreError::UnknownParam { name: "exp".into() }),
        }
    }

    /// Like [`Params::parse`], but `s` and `exp` are accepted and returned
    /// apart (checked for form only; verifying is the server's job).
    pub fn parse_signed(query: &str, limits: &Limits) -> Result<(Self, SignatureFields), CoreError> {
        let raw: BTreeMap<String, String> =
            serde_qs::from_str(query).map_err(|e| CoreError::MalformedQuery(e.to_string()))?;
        let max = limits.max_output_side;
        let (mut params, mut dpr) = (Self::default(), 100);
        let mut fields = SignatureFields::default();
        for (name, value) in &raw {
            match name.to_ascii_lowercase().as_str() {
                "w" => params.width = Some(side("w", value, max)?),
                "h" => params.height = Some(side("h", value, max)?),
                // `F=webp&f=auto`: the later spelling wins, as for every name.
                "f" if value.eq_ignore_ascii_case("auto") => (params.auto, params.format) = (true, None),
                "f" => (params.auto, params.format) = (false, Some(format(value)?)),
                "q" if value.eq_ignore_ascii_case("auto") => {
                    (params.quality, params.auto_quality) = (None, true)
                }
                "q" => (params.quality, params.auto_quality) = (Some(quality(value)?), false),
                "fit" => params.fit = fit(value)?,
                "pos" => params.position = position(value)?,
                "rect" => params.rect = Some(rect(value)?),
                "bg" => params.background = Some(background(value)?),
                "dpr" => dpr = hundredths(value)?,
                "anim" => params.animation = animation(value)?,
                "s" => fields.signature = Some(signature(value)?),
                "exp" => fields.expires = Some(expiry(value)?),
                _ => return Err(CoreError::UnknownParam { name: name.clone() }),
            }
        }
        let scale = |side: u32| ((u64::from(side) * dpr + 50) / 100).min(u64::from(max)) as u32;
        params.width = params.width.map(scale);
        params.height = params.height.map(scale);
        if params.height.is_none() || params.width.is_none() {
            params.fit = Fit::Cover; // irrelevant with one side: keep the key canonical
        }
        params.position = params.position();
        Ok((params, fields))
    }

    /// Target width, if given (`dpr` applied).
    pub fn width(&self) -> Option<u32> {
        self.width
    }

    /// Target height, if given (`dpr` applied).
    pub fn height(&self) -> Option<u32> {
        self.height
    }

    /// Requested output format, if a concrete one was given.
    pub fn format(&self) -> Option<OutputFormat> {
        self.format
    }

    /// `f=auto`: the server picks the format from the `Accept` header.
    pub fn is_auto(&self) -> bool {
        self.auto
    }

    /// The same request with `f=auto` replaced by the negotiated format. An
    /// animation negotiated to AVIF becomes animated WebP (`anim=webp`).
    pub fn with_format(&self, format: Option<OutputFormat>) -> Self {
        let animation = match (format, self.animation) {
            (Some(OutputFormat::Avif), Animation::Keep) if self.auto => Animation::AsWebp,
            (_, animation) => animation,
        };
        Self { format, auto: false, animation, ..self.clone() }
    }

    /// The same request with `f=auto` (what a signer may have signed before
    /// the edge resolved it; `anim=webp` is what the edge added).
    pub fn auto(&self) -> Self {
        let animation = if self.animation == Animation::AsWebp { Animation::Keep } else { self.animation };
        Self { format: None, auto: true, animation, ..self.clone() }
    }

    /// Requested quality, if a number was given.
    pub fn quality(&self) -> Option<u8> {
        self.quality
    }

    /// `q=auto`: the quality is searched for per image.
    pub fn is_auto_quality(&self) -> bool {
        self.auto_quality
    }

    /// How the image meets a two-sided box.
    pub fn fit(&self) -> Fit {
        self.fit
    }

    /// Where `cover` crops and `contain` places the image; the centre
    /// wherever the position cannot change the output.
    pub fn position(&self) -> Position {
        match (self.width.and(self.height), self.fit, self.position) {
            (None, ..) => Position::CENTER,
            (_, Fit::Cover, position) => position,
            (_, Fit::Contain, position @ Position::Point { .. }) => position,
            _ => Position::CENTER,
        }
    }

    /// The region of the displayed image to take first, if given.
    pub fn rect(&self) -> Option<Rect> {
        self.rect
    }

    /// Background (RGBA) for `contain` padding and for flattening
    /// transparency into formats without alpha, if given.
    pub fn background(&self) -> Option<[u8; 4]> {
        self.background
    }

    /// What happens to an animated source.
    pub fn animation(&self) -> Animation {
        self.animation
    }

    /// The same request with other sizes and quality (allowed-size
    /// snapping); a numeric `quality` replaces `q=auto`.
    pub fn with_size(&self, width: Option<u32>, height: Option<u32>, quality: Option<u8>) -> Self {
        let auto_quality = self.auto_quality && quality.is_none();
        Self { width, height, quality, auto_quality, ..self.clone() }
    }

    /// No parameters at all: the original is served as it is.
    pub fn is_passthrough(&self) -> bool {
        *self == Self::default()
    }

    /// The canonical query (see the module docs). Equal requests give equal
    /// strings, which makes this the cache key's second half.
    pub fn canonical(&self) -> String {
        let quality = match (self.quality, self.format) {
            (Some(q), Some(f)) if q == f.default_quality() => None,
            (q, _) => q,
        };
        let format = if self.auto { Some("auto") } else { self.format.map(OutputFormat::name) };
        // `anim=webp` changes only an AVIF output (f=auto adds it when it picks AVIF).
        let animation = match self.animation {
            Animation::AsWebp if self.auto || self.format != Some(OutputFormat::Avif) => Animation::Keep,
            animation => animation,
        };
        let parts = [
            (animation != Animation::Keep).then(|| format!("anim={}", animation.name())),
            self.background.map(|c| format!("bg={}", hex(c))),
            format.map(|f| format!("f={f}")),
            (self.fit != Fit::Cover).then(|| format!("fit={}", self.fit.name())),
            self.height.map(|h| format!("h={h}")),
            (self.position() != Position::CENTER).then(|| format!("pos={}", self.position().name())),
            quality.map(|q| format!("q={q}")).or_else(|| self.auto_quality.then(|| "q=auto".into())),
            self.rect.map(|r| format!("rect={r}")),
            self.width.map(|w| format!("w={w}")),
        ];
        parts.into_iter().flatten().collect::<Vec<_>>().join("&")
    }
}

/// The signed-URL fields of a query, outside [`Params`] and its canonical form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignatureFields {
    /// `s`: the signature as given (base64url characters, not yet decoded).
    pub signature: Option<String>,
    /// `exp`: unix seconds after which the URL is refused.
    pub expires: Option<u64>,
}

impl SignatureFields {
    /// Neither `s` nor `exp` was given.
    pub fn is_empty(&self) -> bool {
        self.signature.is_none() && self.expires.is_none()
    }
}

#[cfg(test)]
mod tests;
