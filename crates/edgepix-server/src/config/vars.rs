//! Every `EDGEPIX_*` variable, declared once: its name (the flag is derived
//! from it), default, parser and help. The command line, the validation
//! and the README's configuration table (checked by a test) all come from
//! this list, so a variable cannot be documented under one name and read
//! under another.

use std::net::SocketAddr;
use std::time::Duration;

use axum::http::HeaderValue;
use edgepix_core::{KeepMetadata, ShrinkOnLoad};

use super::parse::{self, SourceSpec};
use super::{Deployment, MetricsMode};
use crate::signing::Signer;
use crate::sizes::SizePolicy;

/// A variable's default: the same everywhere, or one per binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DefaultValue {
    /// The same for every deployment.
    Fixed(&'static str),
    /// The dev server's and the Lambda function's.
    PerDeployment { dev_server: &'static str, lambda: &'static str },
}

impl DefaultValue {
    pub fn get(self, deployment: Deployment) -> &'static str {
        match (self, deployment) {
            (Self::Fixed(text), _) => text,
            (Self::PerDeployment { dev_server, .. }, Deployment::DevServer) => dev_server,
            (Self::PerDeployment { lambda, .. }, Deployment::Lambda) => lambda,
        }
    }
}

/// What a variable is, apart from its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Spec {
    /// `EDGEPIX_…`.
    pub name: &'static str,
    pub default: DefaultValue,
    pub help: &'static str,
    /// Never shown in `--help` (signing keys).
    pub secret: bool,
}

impl Spec {
    /// The command-line flag: `EDGEPIX_MAX_SOURCE_PIXELS` → `max-source-pixels`.
    pub fn flag(&self) -> String {
        self.name.trim_start_matches("EDGEPIX_").to_ascii_lowercase().replace('_', "-")
    }
}

/// A variable and how its text becomes a `T`.
pub(crate) struct Var<T> {
    pub spec: Spec,
    pub parse: fn(&str) -> Result<T, String>,
}

const fn var<T>(
    name: &'static str,
    default: &'static str,
    parse: fn(&str) -> Result<T, String>,
    help: &'static str,
) -> Var<T> {
    Var { spec: Spec { name, default: DefaultValue::Fixed(default), help, secret: false }, parse }
}

pub(crate) const SOURCE: Var<SourceSpec> = var(
    "EDGEPIX_SOURCE",
    parse::SAMPLES,
    parse::source,
    "Where originals come from: a folder path, or `s3://bucket[/prefix]`.",
);
pub(crate) const S3_PATH_STYLE: Var<bool> = var(
    "EDGEPIX_S3_PATH_STYLE",
    "false",
    parse::boolean,
    "S3: use path-style addressing (most S3-compatible servers need it).",
);
pub(crate) const S3_CONNECT_TIMEOUT_MS: Var<Duration> = var(
    "EDGEPIX_S3_CONNECT_TIMEOUT_MS",
    "3000",
    |t| parse::millis(t, 1, 600_000),
    "S3: milliseconds allowed to connect.",
);
pub(crate) const S3_TIMEOUT_MS: Var<Duration> = var(
    "EDGEPIX_S3_TIMEOUT_MS",
    "10000",
    |t| parse::millis(t, 1, 900_000),
    "S3: milliseconds allowed for a whole request, body included.",
);
pub(crate) const LISTEN: Var<SocketAddr> =
    var("EDGEPIX_LISTEN", "127.0.0.1:3000", parse::address, "Address to listen on.");
pub(crate) const CACHE_BYTES: Var<u64> = var(
    "EDGEPIX_CACHE_BYTES",
    "256MiB",
    |t| parse::bytes(t, 0),
    "Memory budget of the output cache, in bytes (suffixes like `256MiB` work).",
);
pub(crate) const MAX_SOURCE_PIXELS: Var<u64> = var(
    "EDGEPIX_MAX_SOURCE_PIXELS",
    "50000000",
    |t| parse::integer(t, 1, u64::MAX),
    "Largest source image accepted, in pixels (checked from the header).",
);
pub(crate) const MAX_FRAMES: Var<u32> = var(
    "EDGEPIX_MAX_FRAMES",
    "1000",
    |t| parse::integer(t, 1, u64::from(u32::MAX)).map(|n| n as u32),
    "Most frames an animated GIF or WebP may have (counted from the frame headers).",
);
pub(crate) const MAX_ANIMATION_PIXELS: Var<u64> = var(
    "EDGEPIX_MAX_ANIMATION_PIXELS",
    "100000000",
    |t| parse::integer(t, 1, u64::MAX),
    "Most pixels an animation may have over all its frames (frames × canvas width × height).",
);
pub(crate) const MAX_SOURCE_BYTES: Var<u64> = var(
    "EDGEPIX_MAX_SOURCE_BYTES",
    "32MiB",
    |t| parse::bytes(t, 1),
    "Largest source file accepted, in bytes (suffixes work).",
);
pub(crate) const MAX_OUTPUT_SIDE: Var<u32> = var(
    "EDGEPIX_MAX_OUTPUT_SIDE",
    "8192",
    |t| parse::integer(t, 1, 65_535).map(|n| n as u32),
    "Largest `w` or `h` accepted.",
);
pub(crate) const STRICT_DECODE: Var<bool> = var(
    "EDGEPIX_STRICT_DECODE",
    "true",
    parse::boolean,
    "Refuse truncated or corrupt images (422); `false` serves the part of a PNG, GIF, WebP or TIFF that decoded.",
);
pub(crate) const CACHE_CONTROL: Var<HeaderValue> = var(
    "EDGEPIX_CACHE_CONTROL",
    "public, max-age=31536000, immutable",
    parse::header,
    "`Cache-Control` sent with every image.",
);
pub(crate) const ERROR_CACHE_CONTROL: Var<HeaderValue> = var(
    "EDGEPIX_ERROR_CACHE_CONTROL",
    "public, max-age=60",
    parse::header,
    "`Cache-Control` sent with 4xx answers (short, so a CDN forgets mistakes soon).",
);
pub(crate) const SERVER_ERROR_CACHE_CONTROL: Var<HeaderValue> = var(
    "EDGEPIX_SERVER_ERROR_CACHE_CONTROL",
    "no-store",
    parse::header,
    "`Cache-Control` sent with 5xx answers.",
);
pub(crate) const AUTO_AVIF_MAX_PIXELS: Var<u64> = var(
    "EDGEPIX_AUTO_AVIF_MAX_PIXELS",
    "1000000",
    |t| parse::integer(t, 0, u64::MAX),
    "`f=auto` picks AVIF only for requested boxes up to this many pixels (0: never).",
);
pub(crate) const CONCURRENCY: Var<usize> =
    var("EDGEPIX_CONCURRENCY", "0", parse::concurrency, "Images processed at once (0: one per CPU core).");
pub(crate) const AVIF_SPEED: Var<u8> = var(
    "EDGEPIX_AVIF_SPEED",
    "8",
    |t| parse::integer(t, 1, 10).map(|n| n as u8),
    "AVIF encoder speed, 1 (slow, small) to 10 (fast).",
);
pub(crate) const WEBP_METHOD: Var<u8> = var(
    "EDGEPIX_WEBP_METHOD",
    "2",
    |t| parse::integer(t, 0, 6).map(|n| n as u8),
    "WebP encoder method, 0 (fast) to 6 (slow, small).",
);
pub(crate) const LINEAR_LIGHT: Var<bool> = var(
    "EDGEPIX_LINEAR_LIGHT",
    "false",
    parse::boolean,
    "Resize in linear light (gamma-correct; slower, see BENCHMARKS.md).",
);
pub(crate) const SHRINK_ON_LOAD: Var<ShrinkOnLoad> = var(
    "EDGEPIX_SHRINK_ON_LOAD",
    "quality",
    parse::shrink_on_load,
    "How small JPEGs are decoded before the resize: `quality` (at least twice the output, as libvips' thumbnail) or `fast` (1/2, 1/4 or 1/8 whenever the reduction reaches it, sharp's fastShrinkOnLoad rule).",
);
pub(crate) const AUTO_QUALITY_TARGET: Var<u8> = var(
    "EDGEPIX_AUTO_QUALITY_TARGET",
    "70",
    |t| parse::integer(t, 30, 95).map(|n| n as u8),
    "The SSIMULACRA2 score `q=auto` aims for, 30 to 95 (50 medium, 70 high, 90 visually lossless).",
);
pub(crate) const KEEP_METADATA: Var<KeepMetadata> = var(
    "EDGEPIX_KEEP_METADATA",
    "none",
    parse::keep_metadata,
    "Metadata kept from originals: `none`, or a comma list of `icc` (tag the output sRGB) and `copyright` (EXIF Artist and Copyright).",
);
pub(crate) const PLAYGROUND: Var<bool> = Var {
    spec: Spec {
        name: "EDGEPIX_PLAYGROUND",
        default: DefaultValue::PerDeployment { dev_server: "true", lambda: "false" },
        help: "Serve the playground page at `/` (default: on for the dev server, off on Lambda).",
        secret: false,
    },
    parse: parse::boolean,
};
pub(crate) const METRICS: Var<MetricsMode> = Var {
    spec: Spec {
        name: "EDGEPIX_METRICS",
        default: DefaultValue::PerDeployment { dev_server: "prometheus", lambda: "emf" },
        help: "Metrics: `prometheus` (`/metrics`), `emf` (CloudWatch log lines), `both` or `off` (default: prometheus for the dev server, emf on Lambda).",
        secret: false,
    },
    parse: parse::metrics,
};
pub(crate) const SIGNING_KEYS: Var<Option<Signer>> = Var {
    spec: Spec {
        name: "EDGEPIX_SIGNING_KEYS",
        default: DefaultValue::Fixed(""),
        help: "Signed URLs: comma-separated secret keys (at most two, at least 16 bytes each); the first signs, any verifies. Empty: URLs are not signed.",
        secret: true,
    },
    parse: parse::keys,
};
pub(crate) const ALLOWED_WIDTHS: Var<Vec<u32>> = var(
    "EDGEPIX_ALLOWED_WIDTHS",
    "",
    |t| parse::list(t, 65_535),
    "Comma list of the only widths served (after `dpr`); empty: any.",
);
pub(crate) const ALLOWED_HEIGHTS: Var<Vec<u32>> = var(
    "EDGEPIX_ALLOWED_HEIGHTS",
    "",
    |t| parse::list(t, 65_535),
    "Comma list of the only heights served (after `dpr`); empty: any.",
);
pub(crate) const ALLOWED_QUALITIES: Var<Vec<u32>> = var(
    "EDGEPIX_ALLOWED_QUALITIES",
    "",
    |t| parse::list(t, 100),
    "Comma list of the only explicit `q` values served; empty: any.",
);
pub(crate) const SIZE_POLICY: Var<SizePolicy> = var(
    "EDGEPIX_SIZE_POLICY",
    "reject",
    parse::policy,
    "Other sizes: `reject` (400) or `redirect` (302 to the nearest allowed).",
);
pub(crate) const MEMORY_BUDGET: Var<u64> = var(
    "EDGEPIX_MEMORY_BUDGET",
    "1GiB",
    |t| parse::bytes(t, 16 << 20),
    "Bytes of decode/resize/encode work in flight at once, estimated from each header (suffixes work).",
);
pub(crate) const ADMISSION_WAIT_MS: Var<Duration> = var(
    "EDGEPIX_ADMISSION_WAIT_MS",
    "2000",
    |t| parse::millis(t, 0, 600_000),
    "Milliseconds a request may queue for the memory budget before a 503.",
);
pub(crate) const REQUEST_TIMEOUT_MS: Var<Duration> = var(
    "EDGEPIX_REQUEST_TIMEOUT_MS",
    "20000",
    |t| parse::millis(t, 1, 900_000),
    "Milliseconds a request may take in all before a 504.",
);

/// Every variable, in the order `--help` lists them.
pub(crate) const ALL: [Spec; 33] = [
    SOURCE.spec,
    S3_PATH_STYLE.spec,
    S3_CONNECT_TIMEOUT_MS.spec,
    S3_TIMEOUT_MS.spec,
    LISTEN.spec,
    CACHE_BYTES.spec,
    MAX_SOURCE_PIXELS.spec,
    MAX_FRAMES.spec,
    MAX_ANIMATION_PIXELS.spec,
    MAX_SOURCE_BYTES.spec,
    MAX_OUTPUT_SIDE.spec,
    STRICT_DECODE.spec,
    CACHE_CONTROL.spec,
    ERROR_CACHE_CONTROL.spec,
    SERVER_ERROR_CACHE_CONTROL.spec,
    AUTO_AVIF_MAX_PIXELS.spec,
    CONCURRENCY.spec,
    AVIF_SPEED.spec,
    WEBP_METHOD.spec,
    LINEAR_LIGHT.spec,
    SHRINK_ON_LOAD.spec,
    AUTO_QUALITY_TARGET.spec,
    KEEP_METADATA.spec,
    PLAYGROUND.spec,
    METRICS.spec,
    SIGNING_KEYS.spec,
    ALLOWED_WIDTHS.spec,
    ALLOWED_HEIGHTS.spec,
    ALLOWED_QUALITIES.spec,
    SIZE_POLICY.spec,
    MEMORY_BUDGET.spec,
    ADMISSION_WAIT_MS.spec,
    REQUEST_TIMEOUT_MS.spec,
];
