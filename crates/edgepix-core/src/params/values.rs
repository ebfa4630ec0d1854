//! One parser per parameter value: text in, a value in range or an
//! [`CoreError::InvalidParam`] naming the parameter, what it accepts and
//! what was given.

use super::{Animation, Fit};
use crate::{CoreError, OutputFormat};

pub(super) fn invalid(name: &'static str, expected: impl Into<String>, given: &str) -> CoreError {
    CoreError::InvalidParam { name, expected: expected.into(), given: given.to_owned() }
}

/// Strict decimal: no sign, no spaces, no leading `+`, at most 9 digits.
pub(super) fn number(value: &str) -> Option<u32> {
    let ok = !value.is_empty() && value.len() <= 9 && value.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| value.parse().ok()).flatten()
}

pub(super) fn side(name: &'static str, value: &str, max: u32) -> Result<u32, CoreError> {
    match number(value) {
        Some(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(invalid(name, format!("an integer from 1 to {max}"), value)),
    }
}

pub(super) fn quality(value: &str) -> Result<u8, CoreError> {
    match number(value) {
        Some(n @ 1..=100) => Ok(n as u8),
        _ => Err(invalid("q", "an integer from 1 to 100, or auto", value)),
    }
}

pub(super) fn format(value: &str) -> Result<OutputFormat, CoreError> {
    OutputFormat::from_param(&value.to_ascii_lowercase())
        .ok_or_else(|| invalid("f", "one of jpeg, jpg, png, webp, avif, gif, auto", value))
}

pub(super) fn fit(value: &str) -> Result<Fit, CoreError> {
    Fit::from_param(&value.to_ascii_lowercase())
        .ok_or_else(|| invalid("fit", "one of cover, contain, fill, inside, outside", value))
}

pub(super) fn animation(value: &str) -> Result<Animation, CoreError> {
    Animation::from_param(&value.to_ascii_lowercase())
        .ok_or_else(|| invalid("anim", "one of true, false, webp", value))
}

/// `s`: base64url (RFC 4648 §5) without padding; HMAC-SHA256 gives 43 characters.
pub(super) fn signature(value: &str) -> Result<String, CoreError> {
    let ok = (1..=128).contains(&value.len())
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok { Ok(value.to_owned()) } else { Err(invalid("s", "a base64url signature", value)) }
}

/// `exp`: unix seconds, a plain decimal of at most 12 digits.
pub(super) fn expiry(value: &str) -> Result<u64, CoreError> {
    let ok = (1..=12).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| value.parse().ok())
        .flatten()
        .ok_or_else(|| invalid("exp", "unix seconds (a decimal integer)", value))
}

/// `dpr` as hundredths: 1 to 4 with at most two decimals (`1`, `1.5`, `2.25`).
pub(super) fn hundredths(value: &str) -> Result<u64, CoreError> {
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
pub(super) fn background(value: &str) -> Result<[u8; 4], CoreError> {
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

pub(super) fn hex([r, g, b, a]: [u8; 4]) -> String {
    if a == 255 { format!("{r:02x}{g:02x}{b:02x}") } else { format!("{r:02x}{g:02x}{b:02x}{a:02x}") }
}
