//! Settings against abuse and overload (signed URLs, allowed sizes, the
//! memory budget, the request deadline), declared and validated beside the
//! rest of the configuration but kept in their own struct.

use std::time::Duration;

use clap::Args as ClapArgs;

use super::{Problems, bytes, integer};
use crate::signing::Signer;
use crate::sizes::{AllowedSizes, SizePolicy};

/// Abuse and overload flags, each with its `EDGEPIX_*` variable.
#[derive(Debug, Clone, ClapArgs)]
pub struct ProtectionArgs {
    /// Signed URLs: comma-separated secret keys (at most two, at least 16 bytes each); the first signs, any verifies. Empty: URLs are not signed.
    #[arg(long, env = "EDGEPIX_SIGNING_KEYS", default_value = "", hide_env_values = true)]
    pub signing_keys: String,
    /// Comma list of the only widths served (after `dpr`); empty: any.
    #[arg(long, env = "EDGEPIX_ALLOWED_WIDTHS", default_value = "")]
    pub allowed_widths: String,
    /// Comma list of the only heights served (after `dpr`); empty: any.
    #[arg(long, env = "EDGEPIX_ALLOWED_HEIGHTS", default_value = "")]
    pub allowed_heights: String,
    /// Comma list of the only explicit `q` values served; empty: any.
    #[arg(long, env = "EDGEPIX_ALLOWED_QUALITIES", default_value = "")]
    pub allowed_qualities: String,
    /// Other sizes: `reject` (400) or `redirect` (302 to the nearest allowed).
    #[arg(long, env = "EDGEPIX_SIZE_POLICY", default_value = "reject")]
    pub size_policy: String,
    /// Bytes of decode/resize/encode work in flight at once, estimated from each header (suffixes work).
    #[arg(long, env = "EDGEPIX_MEMORY_BUDGET", default_value = "1GiB")]
    pub memory_budget: String,
    /// Milliseconds a request may queue for the memory budget before a 503.
    #[arg(long, env = "EDGEPIX_ADMISSION_WAIT_MS", default_value = "2000")]
    pub admission_wait_ms: String,
    /// Milliseconds a request may take in all before a 504.
    #[arg(long, env = "EDGEPIX_REQUEST_TIMEOUT_MS", default_value = "20000")]
    pub request_timeout_ms: String,
}

/// Validated abuse and overload settings.
#[derive(Debug, Clone)]
pub struct Protection {
    /// Signed URLs, if keys are configured.
    pub signer: Option<Signer>,
    /// Allowed widths, heights and qualities.
    pub sizes: AllowedSizes,
    /// Memory budget in bytes for work in flight.
    pub memory_budget: u64,
    /// How long a request may wait for the memory budget.
    pub admission_wait: Duration,
    /// The whole request's deadline.
    pub request_timeout: Duration,
}

impl Protection {
    pub(super) fn check(args: &ProtectionArgs, c: &mut Problems) -> Option<Self> {
        let signer = c.check("EDGEPIX_SIGNING_KEYS", keys(&args.signing_keys));
        let widths = c.check("EDGEPIX_ALLOWED_WIDTHS", list(&args.allowed_widths, 65_535));
        let heights = c.check("EDGEPIX_ALLOWED_HEIGHTS", list(&args.allowed_heights, 65_535));
        let qualities = c.check("EDGEPIX_ALLOWED_QUALITIES", list(&args.allowed_qualities, 100));
        let policy = c.check("EDGEPIX_SIZE_POLICY", policy(&args.size_policy));
        let budget = c.check("EDGEPIX_MEMORY_BUDGET", bytes(&args.memory_budget, 16 << 20));
        let wait = c.check("EDGEPIX_ADMISSION_WAIT_MS", integer(&args.admission_wait_ms, 0, 600_000));
        let timeout = c.check("EDGEPIX_REQUEST_TIMEOUT_MS", integer(&args.request_timeout_ms, 1, 900_000));
        Some(Self {
            signer: signer?,
            sizes: AllowedSizes::new(widths?, heights?, qualities?, policy?),
            memory_budget: budget?,
            admission_wait: Duration::from_millis(wait?),
            request_timeout: Duration::from_millis(timeout?),
        })
    }
}

fn keys(text: &str) -> Result<Option<Signer>, String> {
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

fn list(text: &str, max: u64) -> Result<Vec<u32>, String> {
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

fn policy(text: &str) -> Result<SizePolicy, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "reject" => Ok(SizePolicy::Reject),
        "redirect" => Ok(SizePolicy::Redirect),
        _ => Err(format!("expected `reject` or `redirect`, got `{text}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_lists_and_policies() {
        assert!(keys("").unwrap().is_none());
        assert!(keys("0123456789abcdef,fedcba9876543210").unwrap().is_some());
        assert!(keys("short").unwrap_err().contains("16 bytes"));
        assert!(keys("0123456789abcdef,0123456789abcdef,0123456789abcdef").is_err());
        assert!(!keys("short-secret").unwrap_err().contains("short-secret"), "keys are never echoed");
        assert_eq!(list(" 640, 320,640", 65_535), Ok(vec![320, 640]));
        assert!(list("320,0", 65_535).is_err() && list("101", 100).is_err());
        assert_eq!(policy("Redirect"), Ok(SizePolicy::Redirect));
        assert!(policy("snap").is_err());
    }
}
