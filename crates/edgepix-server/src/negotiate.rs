//! `f=auto`: choose AVIF, then WebP, from the `Accept` header, else keep the
//! source-appropriate format.
//!
//! Only *explicit* `image/avif` / `image/webp` entries count: browsers that
//! decode a format say so, while `*/*` and `image/*` are sent by every
//! client, including ones that cannot decode either (this is also how
//! imgproxy and Next.js decide). Hand-written rather than a general
//! negotiation crate because those let wildcards match, which is exactly
//! the rule we must not apply.

use edgepix_core::{OutputFormat, Params};

/// When AVIF may be chosen for `f=auto` (it is by far the slowest encoder).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AutoAvif {
    /// Largest requested box, in pixels, for which AVIF is chosen; 0 = never.
    pub max_pixels: u64,
}

/// The q-value (0..=1000) the header gives an exact media type, if listed.
fn quality_of(accept: &str, media_type: &str) -> Option<u32> {
    accept.split(',').find_map(|entry| {
        let mut parts = entry.split(';').map(str::trim);
        if !parts.next()?.eq_ignore_ascii_case(media_type) {
            return None;
        }
        let q = parts.find_map(|p| p.strip_prefix("q=").or_else(|| p.strip_prefix("Q=")));
        Some(q.map_or(1000, parse_q))
    })
}

/// RFC 9110 qvalue: `0`, `1`, `0.5`, `0.125` → thousandths; junk counts as 0.
fn parse_q(text: &str) -> u32 {
    match text.split_once('.') {
        None => u32::from(text == "1") * 1000,
        Some(("0", frac)) if frac.len() <= 3 && frac.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{frac:0<3}").parse().unwrap_or(0)
        }
        Some(("1", frac)) if frac.bytes().all(|b| b == b'0') => 1000,
        _ => 0,
    }
}

/// `params` with `f=auto` replaced by the format `accept` allows (or by the
/// source's, `None`). The CloudFront Function in `infra/` does the same at
/// the edge; `edge_tests` hold the two to the same answers.
pub(crate) fn resolve(params: &Params, accept: Option<&str>, avif: AutoAvif) -> Params {
    // The box AVIF eligibility is judged on; one side alone counts as a square.
    let box_pixels = match (params.width(), params.height()) {
        (None, None) => None,
        (w, h) => {
            let (w, h) = (w.or(h).unwrap_or(1), h.or(w).unwrap_or(1));
            Some(u64::from(w) * u64::from(h))
        }
    };
    params.with_format(negotiate(accept, avif, box_pixels))
}

/// Pick the output format for `f=auto`. `None` means "the source-appropriate
/// format". `box_pixels` is the requested box (None when no size was given).
fn negotiate(accept: Option<&str>, avif: AutoAvif, box_pixels: Option<u64>) -> Option<OutputFormat> {
    let accept = accept.unwrap_or("");
    let avif_ok = avif.max_pixels > 0 && box_pixels.is_some_and(|p| p <= avif.max_pixels);
    let avif_q = quality_of(accept, "image/avif").filter(|_| avif_ok).unwrap_or(0);
    let webp_q = quality_of(accept, "image/webp").unwrap_or(0);
    match (avif_q, webp_q) {
        (0, 0) => None,
        (a, w) if a >= w => Some(OutputFormat::Avif),
        _ => Some(OutputFormat::Webp),
    }
}

#[cfg(test)]
mod tests;
