//! The URL contract: `w`, `h`, `f`, `q`, `fit`, `bg`, `dpr`. Parsing and
//! validation happen once, here; everything downstream takes a [`Params`]
//! and can trust it.
//!
//! Canonical-URL rule (the cache key, and what the CloudFront Function must
//! produce; `tests/vectors/canonical.json` holds the shared test vectors):
//! names are case-insensitive and written lower-case; order is irrelevant;
//! the last of repeated names wins; `jpg` is `jpeg`; `dpr` is folded into
//! `w`/`h` (capped at the output limit) and never appears; defaults are
//! dropped (`fit=cover` with both sides, any `fit` with fewer than two
//! sides, a `q` equal to the named format's default); `bg` is lower-case
//! hex without `#` and without an opaque alpha.
//!
//! Signed URLs add `s` (signature) and `exp` (expiry, unix seconds). They are
//! read only by [`Params::parse_signed`], kept apart in [`SignatureFields`]
//! and never enter the canonical query: the signature covers the canonical
//! query, so it cannot be part of it, nor of the cache key.

use std::collections::BTreeMap;

use crate::{CoreError, Limits, OutputFormat};

/// How an image meets a `w`×`h` box (sharp's vocabulary and meanings).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Fit {
    /// Scale to cover the box, crop the overflow (centred).
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

/// Validated request parameters. Fields are private so that a `Params` can
/// only come from [`Params::parse`] and is always in range.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Params {
    width: Option<u32>,
    height: Option<u32>,
    format: Option<OutputFormat>,
    auto: bool,
    quality: Option<u8>,
    fit: Fit,
    background: Option<[u8; 4]>,
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
                "q" => params.quality = Some(quality(value)?),
                "fit" => params.fit = fit(value)?,
                "bg" => params.background = Some(background(value)?),
                "dpr" => dpr = hundredths(value)?,
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

    /// The same request with `f=auto` replaced by the negotiated format.
    pub fn with_format(&self, format: Option<OutputFormat>) -> Self {
        Self { format, auto: false, ..self.clone() }
    }

    /// The same request with `f=auto` (what a signer may have signed before
    /// the edge resolved it).
    pub fn auto(&self) -> Self {
        Self { format: None, auto: true, ..self.clone() }
    }

    /// Requested quality, if given.
    pub fn quality(&self) -> Option<u8> {
        self.quality
    }

    /// How the image meets a two-sided box.
    pub fn fit(&self) -> Fit {
        self.fit
    }

    /// Background (RGBA) for `contain` padding and for flattening
    /// transparency into formats without alpha, if given.
    pub fn background(&self) -> Option<[u8; 4]> {
        self.background
    }

    /// The same request with other sizes and quality (allowed-size snapping).
    pub fn with_size(&self, width: Option<u32>, height: Option<u32>, quality: Option<u8>) -> Self {
        Self { width, height, quality, ..self.clone() }
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
        let parts = [
            self.background.map(|c| format!("bg={}", hex(c))),
            format.map(|f| format!("f={f}")),
            (self.fit != Fit::Cover).then(|| format!("fit={}", self.fit.name())),
            self.height.map(|h| format!("h={h}")),
            quality.map(|q| format!("q={q}")),
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

fn invalid(name: &'static str, expected: impl Into<String>, given: &str) -> CoreError {
    CoreError::InvalidParam { name, expected: expected.into(), given: given.to_owned() }
}

/// Strict decimal: no sign, no spaces, no leading `+`, at most 9 digits.
fn number(value: &str) -> Option<u32> {
    let ok = !value.is_empty() && value.len() <= 9 && value.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| value.parse().ok()).flatten()
}

fn side(name: &'static str, value: &str, max: u32) -> Result<u32, CoreError> {
    match number(value) {
        Some(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(invalid(name, format!("an integer from 1 to {max}"), value)),
    }
}

fn quality(value: &str) -> Result<u8, CoreError> {
    match number(value) {
        Some(n @ 1..=100) => Ok(n as u8),
        _ => Err(invalid("q", "an integer from 1 to 100", value)),
    }
}

fn format(value: &str) -> Result<OutputFormat, CoreError> {
    OutputFormat::from_param(&value.to_ascii_lowercase())
        .ok_or_else(|| invalid("f", "one of jpeg, jpg, png, webp, avif, auto", value))
}

fn fit(value: &str) -> Result<Fit, CoreError> {
    Fit::from_param(&value.to_ascii_lowercase())
        .ok_or_else(|| invalid("fit", "one of cover, contain, fill, inside, outside", value))
}

/// `s`: base64url (RFC 4648 §5) without padding; HMAC-SHA256 gives 43 characters.
fn signature(value: &str) -> Result<String, CoreError> {
    let ok = (1..=128).contains(&value.len())
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok { Ok(value.to_owned()) } else { Err(invalid("s", "a base64url signature", value)) }
}

/// `exp`: unix seconds, a plain decimal of at most 12 digits.
fn expiry(value: &str) -> Result<u64, CoreError> {
    let ok = (1..=12).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| value.parse().ok())
        .flatten()
        .ok_or_else(|| invalid("exp", "unix seconds (a decimal integer)", value))
}

/// `dpr` as hundredths: 1 to 4 with at most two decimals (`1`, `1.5`, `2.25`).
fn hundredths(value: &str) -> Result<u64, CoreError> {
    let bad = || invalid("dpr", "a number from 1 to 4 with at most two decimals", value);
    let (int, frac) = value.split_once('.').unwrap_or((value, "00"));
    if int.len() != 1 || frac.is_empty() || frac.len() > 2 {
        return Err(bad());
    }
    let int = number(int).ok_or_else(bad)?;
    let frac = number(&format!("{frac:0<2}")).ok_or_else(bad)?;
    let dpr = u64::from(int) * 100 + u64::from(frac);
    if (100..=400).contains(&dpr) { Ok(dpr) } else { Err(bad()) }
}

/// `bg`: `rgb`, `rrggbb` or `rrggbbaa` hex, with or without a leading `#`.
fn background(value: &str) -> Result<[u8; 4], CoreError> {
    let bad = || invalid("bg", "a hex colour: rgb, rrggbb or rrggbbaa", value);
    let hex = value.strip_prefix('#').unwrap_or(value);
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| bad());
    match hex.len() {
        3 => {
            let nibble = |i: usize| u8::from_str_radix(&hex[i..=i], 16).map(|n| n * 17).map_err(|_| bad());
            Ok([nibble(0)?, nibble(1)?, nibble(2)?, 255])
        }
        6 => Ok([byte(0)?, byte(2)?, byte(4)?, 255]),
        8 => Ok([byte(0)?, byte(2)?, byte(4)?, byte(6)?]),
        _ => Err(bad()),
    }
}

fn hex([r, g, b, a]: [u8; 4]) -> String {
    if a == 255 { format!("{r:02x}{g:02x}{b:02x}") } else { format!("{r:02x}{g:02x}{b:02x}{a:02x}") }
}

#[cfg(test)]
mod tests;
