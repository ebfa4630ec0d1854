//! Configuration: every `EDGEPIX_*` variable is declared here and nowhere
//! else, parsed and validated once at start-up. All problems are reported
//! together, so a bad deployment is fixed in one round.

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::http::HeaderValue;
use clap::Parser;
use edgepix_core::{EncoderSettings, KeepMetadata, Limits};

pub use crate::negotiate::AutoAvif;
pub use protection::{Protection, ProtectionArgs};

mod protection;

/// Command-line flags, each with its `EDGEPIX_*` environment variable.
/// Values are taken as text and validated by [`Config::from_args`] so that
/// every problem is listed at once.
#[derive(Debug, Clone, Parser)]
#[command(name = "edgepix", version, about = "On-demand image resizing server")]
pub struct Args {
    /// Where originals come from: a folder path, or `s3://bucket[/prefix]`.
    #[arg(long, env = "EDGEPIX_SOURCE", default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/images"))]
    pub source: String,
    /// Address to listen on.
    #[arg(long, env = "EDGEPIX_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: String,
    /// Memory budget of the output cache, in bytes (suffixes like `256MiB` work).
    #[arg(long, env = "EDGEPIX_CACHE_BYTES", default_value = "256MiB")]
    pub cache_bytes: String,
    /// Largest source image accepted, in pixels (checked from the header).
    #[arg(long, env = "EDGEPIX_MAX_SOURCE_PIXELS", default_value = "50000000")]
    pub max_source_pixels: String,
    /// Largest source file accepted, in bytes (suffixes work).
    #[arg(long, env = "EDGEPIX_MAX_SOURCE_BYTES", default_value = "32MiB")]
    pub max_source_bytes: String,
    /// Largest `w` or `h` accepted.
    #[arg(long, env = "EDGEPIX_MAX_OUTPUT_SIDE", default_value = "8192")]
    pub max_output_side: String,
    /// `Cache-Control` sent with every image.
    #[arg(long, env = "EDGEPIX_CACHE_CONTROL", default_value = "public, max-age=31536000, immutable")]
    pub cache_control: String,
    /// `Cache-Control` sent with 4xx answers (short, so a CDN forgets mistakes soon).
    #[arg(long, env = "EDGEPIX_ERROR_CACHE_CONTROL", default_value = "public, max-age=60")]
    pub error_cache_control: String,
    /// `Cache-Control` sent with 5xx answers.
    #[arg(long, env = "EDGEPIX_SERVER_ERROR_CACHE_CONTROL", default_value = "no-store")]
    pub server_error_cache_control: String,
    /// `f=auto` picks AVIF only for requested boxes up to this many pixels (0: never).
    #[arg(long, env = "EDGEPIX_AUTO_AVIF_MAX_PIXELS", default_value = "1000000")]
    pub auto_avif_max_pixels: String,
    /// S3: use path-style addressing (most S3-compatible servers need it).
    #[arg(long, env = "EDGEPIX_S3_PATH_STYLE", default_value = "false")]
    pub s3_path_style: String,
    /// S3: milliseconds allowed to connect.
    #[arg(long, env = "EDGEPIX_S3_CONNECT_TIMEOUT_MS", default_value = "3000")]
    pub s3_connect_timeout_ms: String,
    /// S3: milliseconds allowed for a whole request, body included.
    #[arg(long, env = "EDGEPIX_S3_TIMEOUT_MS", default_value = "10000")]
    pub s3_timeout_ms: String,
    /// Images processed at once (0: one per CPU core).
    #[arg(long, env = "EDGEPIX_CONCURRENCY", default_value = "0")]
    pub concurrency: String,
    /// AVIF encoder speed, 1 (slow, small) to 10 (fast).
    #[arg(long, env = "EDGEPIX_AVIF_SPEED", default_value = "8")]
    pub avif_speed: String,
    /// WebP encoder method, 0 (fast) to 6 (slow, small).
    #[arg(long, env = "EDGEPIX_WEBP_METHOD", default_value = "2")]
    pub webp_method: String,
    /// Resize in linear light (gamma-correct; slower, see BENCHMARKS.md).
    #[arg(long, env = "EDGEPIX_LINEAR_LIGHT", default_value = "false")]
    pub linear_light: String,
    /// Refuse truncated or corrupt images (422); `false` serves the part of a PNG, GIF, WebP or TIFF that decoded.
    #[arg(long, env = "EDGEPIX_STRICT_DECODE", default_value = "true")]
    pub strict_decode: String,
    /// Metadata kept from originals: `none`, or a comma list of `icc` (tag the output sRGB) and `copyright` (EXIF Artist and Copyright).
    #[arg(long, env = "EDGEPIX_KEEP_METADATA", default_value = "none")]
    pub keep_metadata: String,
    /// Serve the playground page at `/` (default: on for the dev server, off on Lambda).
    #[arg(long, env = "EDGEPIX_PLAYGROUND")]
    pub playground: Option<String>,
    /// Metrics: `prometheus` (`/metrics`), `emf` (CloudWatch log lines), `both` or `off` (default: prometheus for the dev server, emf on Lambda).
    #[arg(long, env = "EDGEPIX_METRICS")]
    pub metrics: Option<String>,
    /// Signed URLs, allowed sizes, memory budget, deadline (`config/protection.rs`).
    #[command(flatten)]
    pub protection: ProtectionArgs,
}

/// Which binary is running: some defaults differ (the playground is for
/// developers, `/metrics` needs a scraper that Lambda does not have).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deployment {
    /// The `cargo run` dev server.
    DevServer,
    /// AWS Lambda behind a Function URL.
    Lambda,
}

/// Where metrics go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MetricsMode {
    /// Serve Prometheus text at `/metrics`.
    pub prometheus: bool,
    /// Print one CloudWatch Embedded Metric Format line per request.
    pub emf: bool,
}

/// Where originals come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceConfig {
    /// A local folder.
    Folder(PathBuf),
    /// An S3 bucket (and key prefix).
    S3(edgepix_storage::S3Options),
}

/// Validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where originals come from.
    pub source: SourceConfig,
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Output cache budget in bytes.
    pub cache_bytes: u64,
    /// Resource limits.
    pub limits: Limits,
    /// `Cache-Control` per outcome.
    pub cache_policy: CachePolicy,
    /// When `f=auto` may choose AVIF.
    pub auto_avif: AutoAvif,
    /// Images processed at once.
    pub concurrency: usize,
    /// Encoder settings.
    pub encoder: EncoderSettings,
    /// Serve the playground page at `/`.
    pub playground: bool,
    /// Where metrics go.
    pub metrics: MetricsMode,
    /// Abuse and overload protection.
    pub protection: Protection,
}

/// `Cache-Control` values, by outcome.
#[derive(Debug, Clone)]
pub struct CachePolicy {
    /// Images and 304s.
    pub success: HeaderValue,
    /// 4xx answers.
    pub client_error: HeaderValue,
    /// 5xx answers.
    pub server_error: HeaderValue,
}

/// Every problem found in the configuration.
#[derive(Debug, Clone, thiserror::Error)]
#[error("invalid configuration:\n  - {}", .0.join("\n  - "))]
pub struct ConfigError(pub Vec<String>);

impl Config {
    /// Parse flags and environment, then validate (dev server defaults).
    pub fn load() -> Result<Self, ConfigError> {
        Self::load_for(Deployment::DevServer)
    }

    /// Parse flags and environment, then validate with `deployment`'s defaults.
    pub fn load_for(deployment: Deployment) -> Result<Self, ConfigError> {
        Self::from_args_for(&Args::parse(), deployment)
    }

    /// Validate already-parsed arguments (dev server defaults).
    pub fn from_args(args: &Args) -> Result<Self, ConfigError> {
        Self::from_args_for(args, Deployment::DevServer)
    }

    /// Validate already-parsed arguments, collecting every problem.
    pub fn from_args_for(args: &Args, deployment: Deployment) -> Result<Self, ConfigError> {
        let mut c = Problems(Vec::new());
        let on_lambda = deployment == Deployment::Lambda;
        let playground =
            c.check("EDGEPIX_PLAYGROUND", args.playground.as_deref().map_or(Ok(!on_lambda), boolean));
        let metrics = c.check(
            "EDGEPIX_METRICS",
            metrics(args.metrics.as_deref().unwrap_or(if on_lambda { "emf" } else { "prometheus" })),
        );
        let cache_bytes = c.check("EDGEPIX_CACHE_BYTES", bytes(&args.cache_bytes, 0));
        let max_source_pixels =
            c.check("EDGEPIX_MAX_SOURCE_PIXELS", integer(&args.max_source_pixels, 1, u64::MAX));
        let max_source_bytes = c.check("EDGEPIX_MAX_SOURCE_BYTES", bytes(&args.max_source_bytes, 1));
        let max_output_side = c.check("EDGEPIX_MAX_OUTPUT_SIDE", integer(&args.max_output_side, 1, 65_535));
        let concurrency = c.check("EDGEPIX_CONCURRENCY", integer(&args.concurrency, 0, 1024));
        let avif_speed = c.check("EDGEPIX_AVIF_SPEED", integer(&args.avif_speed, 1, 10));
        let webp_method = c.check("EDGEPIX_WEBP_METHOD", integer(&args.webp_method, 0, 6));
        let linear_light = c.check("EDGEPIX_LINEAR_LIGHT", boolean(&args.linear_light));
        let strict_decode = c.check("EDGEPIX_STRICT_DECODE", boolean(&args.strict_decode));
        let keep_metadata = c.check("EDGEPIX_KEEP_METADATA", keep_metadata(&args.keep_metadata));
        let auto_avif =
            c.check("EDGEPIX_AUTO_AVIF_MAX_PIXELS", integer(&args.auto_avif_max_pixels, 0, u64::MAX));
        let listen = c.check("EDGEPIX_LISTEN", address(&args.listen));
        let path_style = c.check("EDGEPIX_S3_PATH_STYLE", boolean(&args.s3_path_style));
        let connect =
            c.check("EDGEPIX_S3_CONNECT_TIMEOUT_MS", integer(&args.s3_connect_timeout_ms, 1, 600_000));
        let operation = c.check("EDGEPIX_S3_TIMEOUT_MS", integer(&args.s3_timeout_ms, 1, 900_000));
        let s3 = |bucket: &str, prefix: &str| {
            Some(edgepix_storage::S3Options {
                bucket: bucket.to_owned(),
                prefix: prefix.trim_matches('/').to_owned(),
                path_style: path_style?,
                connect_timeout: std::time::Duration::from_millis(connect?),
                operation_timeout: std::time::Duration::from_millis(operation?),
            })
        };
        let source = match args.source.strip_prefix("s3://") {
            Some(rest) => {
                let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
                let valid = !bucket.is_empty()
                    && bucket.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b));
                let checked = c.check(
                    "EDGEPIX_SOURCE",
                    if valid { Ok(()) } else { Err(format!("`{}` has no valid bucket name", args.source)) },
                );
                checked.and_then(|()| s3(bucket, prefix)).map(SourceConfig::S3)
            }
            None => c.check("EDGEPIX_SOURCE", source(&args.source)),
        };
        let success = c.check("EDGEPIX_CACHE_CONTROL", header(&args.cache_control));
        let client_error = c.check("EDGEPIX_ERROR_CACHE_CONTROL", header(&args.error_cache_control));
        let server_error =
            c.check("EDGEPIX_SERVER_ERROR_CACHE_CONTROL", header(&args.server_error_cache_control));
        let protection = Protection::check(&args.protection, &mut c);
        let config = (|| {
            Some(Self {
                protection: protection?,
                source: source?,
                listen: listen?,
                cache_bytes: cache_bytes?,
                limits: Limits {
                    max_source_pixels: max_source_pixels?,
                    max_source_bytes: max_source_bytes?,
                    max_output_side: max_output_side? as u32,
                    strict_decode: strict_decode?,
                },
                cache_policy: CachePolicy {
                    success: success?,
                    client_error: client_error?,
                    server_error: server_error?,
                },
                auto_avif: AutoAvif { max_pixels: auto_avif? },
                concurrency: match concurrency? {
                    0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
                    n => n as usize,
                },
                encoder: EncoderSettings {
                    avif_speed: avif_speed? as u8,
                    webp_method: webp_method? as u8,
                    linear_light: linear_light?,
                    keep_metadata: keep_metadata?,
                },
                playground: playground?,
                metrics: metrics?,
            })
        })();
        config.filter(|_| c.0.is_empty()).ok_or(ConfigError(c.0))
    }
}

/// Collects problems so that all of them are reported together.
struct Problems(Vec<String>);

impl Problems {
    fn check<T>(&mut self, name: &str, result: Result<T, String>) -> Option<T> {
        result.map_err(|e| self.0.push(format!("{name}: {e}"))).ok()
    }
}

fn address(text: &str) -> Result<SocketAddr, String> {
    text.parse().map_err(|e| format!("`{text}` is not an address like 127.0.0.1:3000 ({e})"))
}

fn boolean(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(format!("expected true or false, got `{text}`")),
    }
}

fn keep_metadata(text: &str) -> Result<KeepMetadata, String> {
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

fn metrics(text: &str) -> Result<MetricsMode, String> {
    let (prometheus, emf) = match text.trim().to_ascii_lowercase().as_str() {
        "prometheus" => (true, false),
        "emf" => (false, true),
        "both" => (true, true),
        "off" | "none" => (false, false),
        _ => return Err(format!("expected prometheus, emf, both or off, got `{text}`")),
    };
    Ok(MetricsMode { prometheus, emf })
}

fn header(text: &str) -> Result<HeaderValue, String> {
    HeaderValue::from_str(text).map_err(|_| format!("`{text}` is not a valid header value"))
}

fn integer(text: &str, min: u64, max: u64) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!("expected an integer from {min} to {max}, got `{text}`")),
    }
}

fn bytes(text: &str, min: u64) -> Result<u64, String> {
    match text.trim().parse::<bytesize::ByteSize>() {
        Ok(size) if size.as_u64() >= min => Ok(size.as_u64()),
        _ => Err(format!("expected a byte count of at least {min} (like 1048576 or 256MiB), got `{text}`")),
    }
}

fn source(text: &str) -> Result<SourceConfig, String> {
    let path = PathBuf::from(text);
    match std::fs::metadata(&path) {
        Ok(meta) if meta.is_dir() => Ok(SourceConfig::Folder(path)),
        Ok(_) => Err(format!("`{text}` is not a directory")),
        Err(e) => Err(format!("cannot open `{text}`: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(extra: &[&str]) -> Args {
        Args::parse_from(std::iter::once("edgepix").chain(extra.iter().copied()))
    }

    #[test]
    fn defaults_are_valid() {
        let config = Config::from_args(&args(&[])).unwrap();
        assert_eq!(config.limits, Limits::default());
        assert_eq!(config.cache_bytes, 256 * 1024 * 1024);
        assert_eq!(config.listen.to_string(), "127.0.0.1:3000");
        assert!(config.concurrency >= 1);
        assert_eq!(config.encoder, EncoderSettings::default(), "no metadata, sRGB-encoded resizing");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = args(&[
            "--source=/no/such/folder",
            "--listen=nowhere",
            "--cache-bytes=lots",
            "--max-source-pixels=0",
            "--max-output-side=70000",
            "--avif-speed=11",
            "--webp-method=7",
            "--cache-control=bad\nvalue",
            "--auto-avif-max-pixels=lots",
            "--linear-light=sometimes",
            "--keep-metadata=gps",
            "--playground=maybe",
            "--metrics=statsd",
        ]);
        let message = Config::from_args(&bad).unwrap_err().to_string();
        let names = ["SOURCE", "LISTEN", "CACHE_BYTES", "MAX_SOURCE_PIXELS", "MAX_OUTPUT_SIDE", "AVIF_SPEED"];
        let more = [
            "CACHE_CONTROL",
            "WEBP_METHOD",
            "AUTO_AVIF_MAX_PIXELS",
            "LINEAR_LIGHT",
            "KEEP_METADATA",
            "PLAYGROUND",
            "METRICS",
        ];
        for name in names.into_iter().chain(more) {
            assert!(message.contains(&format!("EDGEPIX_{name}")), "{name} missing from:\n{message}");
        }
    }

    #[test]
    fn s3_sources() {
        let config =
            Config::from_args(&args(&["--source=s3://my-bucket/photos/", "--s3-path-style=true"])).unwrap();
        let SourceConfig::S3(s3) = config.source else { panic!("not S3") };
        assert_eq!((s3.bucket.as_str(), s3.prefix.as_str(), s3.path_style), ("my-bucket", "photos", true));
        assert_eq!(s3.operation_timeout, std::time::Duration::from_secs(10));
        for bad in ["s3://", "s3:///x", "s3://bad bucket"] {
            let message = Config::from_args(&args(&[&format!("--source={bad}")])).unwrap_err().to_string();
            assert!(message.contains("EDGEPIX_SOURCE"), "{bad}: {message}");
        }
        let message = Config::from_args(&args(&["--s3-path-style=maybe"])).unwrap_err().to_string();
        assert!(message.contains("EDGEPIX_S3_PATH_STYLE"), "{message}");
    }

    #[test]
    fn strict_decoding_is_the_default_and_can_be_relaxed() {
        assert!(Config::from_args(&args(&[])).unwrap().limits.strict_decode);
        let lenient = Config::from_args(&args(&["--strict-decode=false"])).unwrap();
        assert!(!lenient.limits.strict_decode);
        let message = Config::from_args(&args(&["--strict-decode=maybe"])).unwrap_err().to_string();
        assert!(message.contains("EDGEPIX_STRICT_DECODE"), "{message}");
    }

    #[test]
    fn metadata_to_keep() {
        let keep = |text| keep_metadata(text);
        assert_eq!(keep("none"), Ok(KeepMetadata::default()));
        assert_eq!(keep("icc"), Ok(KeepMetadata { icc: true, copyright: false }));
        assert_eq!(keep(" Copyright , icc"), Ok(KeepMetadata { icc: true, copyright: true }));
        for bad in ["", "exif", "none,icc", "icc,,copyright"] {
            assert!(keep(bad).is_err(), "{bad:?} accepted");
        }
        let config = Config::from_args(&args(&["--keep-metadata=copyright", "--linear-light=true"])).unwrap();
        assert!(config.encoder.keep_metadata.copyright && config.encoder.linear_light);
    }

    #[test]
    fn defaults_depend_on_the_deployment() {
        let dev = Config::from_args_for(&args(&[]), Deployment::DevServer).unwrap();
        assert!(dev.playground);
        assert_eq!(dev.metrics, MetricsMode { prometheus: true, emf: false });
        let lambda = Config::from_args_for(&args(&[]), Deployment::Lambda).unwrap();
        assert!(!lambda.playground);
        assert_eq!(lambda.metrics, MetricsMode { prometheus: false, emf: true });
        let set = Config::from_args_for(&args(&["--playground=on", "--metrics=both"]), Deployment::Lambda);
        let set = set.unwrap();
        assert!(set.playground && set.metrics.prometheus && set.metrics.emf);
        let off = Config::from_args(&args(&["--metrics=off", "--playground=false"])).unwrap();
        assert!(!off.playground && off.metrics == MetricsMode::default());
    }

    #[test]
    fn byte_sizes_take_suffixes() {
        assert_eq!(bytes("1048576", 0), Ok(1 << 20));
        assert_eq!(bytes("32MiB", 0), Ok(32 << 20));
        assert!(bytes("-1", 0).is_err());
    }
}
