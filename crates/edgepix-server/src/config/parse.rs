//! Value parsers: text in, a typed value or a message saying what was
//! expected out. The variable's name is added by the caller, so a message
//! reads `EDGEPIX_X: expected …, got …`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum::http::HeaderValue;
use edgepix_core::{KeepMetadata, ShrinkOnLoad};

use super::MetricsMode;
use crate::signing::Signer;
use crate::sizes::SizePolicy;

/// The default source as `--help` and the README name it: the bundled samples.
pub(crate) const SAMPLES: &str = "examples/images";
/// Where the bundled samples are in the repository this was built from.
pub(crate) const SAMPLES_BUILT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/images");

/// `EDGEPIX_SOURCE` before the S3 settings join it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SourceSpec {
    /// An existing folder.
    Folder(PathBuf),
    /// `s3://bucket[/prefix]`, the prefix without surrounding slashes.
    S3 { bucket: String, prefix: String },
}

pub(crate) fn source(text: &str) -> Result<SourceSpec, String> {
    if let Some(rest) = text.strip_prefix("s3://") {
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let valid =
            !bucket.is_empty() && bucket.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b));
        if !valid {
            return Err(format!("`{text}` has no valid bucket name"));
        }
        let prefix = prefix.trim_matches('/').to_owned();
        return Ok(SourceSpec::S3 { bucket: bucket.to_owned(), prefix });
    }
    let path = match text {
        // Relative to where the server starts (`cargo run` at the repository
        // root); from anywhere else, the repository's own copy.
        SAMPLES if !std::path::Path::new(SAMPLES).is_dir() => PathBuf::from(SAMPLES_BUILT),
        _ => PathBuf::from(text),
    };
    match std::fs::metadata(&path) {
        Ok(meta) if meta.is_dir() => Ok(SourceSpec::Folder(path)),
        Ok(_) => Err(format!("`{text}` is not a directory")),
        Err(e) => Err(format!("cannot open `{text}`: {e}")),
    }
}

pub(crate) fn address(text: &str) -> Result<SocketAddr, String> {
    text.parse().map_err(|e| format!("`{text}` is not an address like 127.0.0.1:3000 ({e})"))
}

pub(crate) fn boolean(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(format!("expected true or false, got `{text}`")),
    }
}

pub(crate) fn integer(text: &str, min: u64, max: u64) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!("expected an integer from {min} to {max}, got `{text}`")),
    }
}

pub(crate) fn millis(text: &str, min: u64, max: u64) -> Result<Duration, String> {
    integer(text, min, max).map(Duration::from_millis)
}

/// 0 means one per CPU core.
pub(crate) fn concurrency(text: &str) -> Result<usize, String> {
    Ok(match integer(text, 0, 1024)? {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n as usize,
    })
}

pub(crate) fn bytes(text: &str, min: u64) -> Result<u64, String> {
    match text.trim().parse::<bytesize::ByteSize>() {
        Ok(size) if size.as_u64() >= min => Ok(size.as_u64()),
        _ if min == 0 => Err(format!("expected a size like 1048576 or 256MiB, got `{text}`")),
        _ => {
            Err(format!("expected a size of at least {} (like 256MiB), got `{text}`", super::size_text(min)))
        }
    }
}

pub(crate) fn header(text: &str) -> Result<HeaderValue, String> {
    HeaderValue::from_str(text).map_err(|_| format!("`{text}` is not a valid header value"))
}

pub(crate) fn keep_metadata(text: &str) -> Result<KeepMetadata, String> {
    let mut keep = KeepMetadata::default();
    for item in text.split(',').map(|s| s.trim().to_ascii_lowercase()) {
        match item.as_str() {
            "none" if text.trim().eq_ignore_ascii_case("none") => {}
            "icc" => keep.icc = true,
            "copyright" => keep.copyright = true,
            _ => return Err(format!("expected `none` or a comma list of `icc`, `copyright`; got `{text}`")),
        }
    }
    Ok(keep)
}

pub(crate) fn shrink_on_load(text: &str) -> Result<ShrinkOnLoad, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "quality" => Ok(ShrinkOnLoad::Quality),
        "fast" => Ok(ShrinkOnLoad::Fast),
        _ => Err(format!("expected `quality` or `fast`; got `{text}`")),
    }
}

pub(crate) fn metrics(text: &str) -> Result<MetricsMode, String> {
    let (prometheus, emf) = match text.trim().to_ascii_lowercase().as_str() {
        "prometheus" => (true, false),
        "emf" => (false, true),
        "both" => (true, true),
        "off" | "none" => (false, false),
        _ => return Err(format!("expected prometheus, emf, both or off, got `{text}`")),
    };
    Ok(MetricsMode { prometheus, emf })
}

pub(crate) fn keys(text: &str) -> Result<Option<Signer>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let keys: Vec<Vec<u8>> = text.split(',').map(|k| k.trim().as_bytes().to_vec()).collect();
    if keys.len() > 2 {
        return Err(format!("expected one or two comma-separated keys, got {}", keys.len()));
    }
    if keys.iter().any(|k| k.len() < 16) {
        // The key itself is never echoed.
        return Err("every key must be at least 16 bytes (32 random characters recommended)".into());
    }
    Ok(Some(Signer::new(keys)))
}

/// A comma list of integers from 1 to `max`, sorted, without duplicates.
pub(crate) fn list(text: &str, max: u64) -> Result<Vec<u32>, String> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let mut values = text
        .split(',')
        .map(|v| integer(v, 1, max).map(|n| n as u32))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("`{text}`: {e}"))?;
    values.sort_unstable();
    values.dedup();
    Ok(values)
}

pub(crate) fn policy(text: &str) -> Result<SizePolicy, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "reject" => Ok(SizePolicy::Reject),
        "redirect" => Ok(SizePolicy::Redirect),
        _ => Err(format!("expected `reject` or `redirect`, got `{text}`")),
    }
}
