//! Configuration: every `EDGEPIX_*` variable is declared once (`vars`),
//! read from flags or the environment and validated once at start-up. All
//! problems are reported together, so a bad deployment is fixed in one
//! round. Small builders turn groups of variables into the typed settings
//! the server holds (limits, encoder, cache policy, source, protection).

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::PathBuf;

use axum::http::HeaderValue;
use edgepix_core::{EncoderSettings, Limits};

pub use crate::negotiate::AutoAvif;
pub use protection::Protection;

mod describe;
mod parse;
mod protection;
mod reader;
mod vars;

use describe::size_text;
use parse::SourceSpec;
use reader::Reader;

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

impl SourceConfig {
    /// The source as a user names it (`EDGEPIX_SOURCE`): the bundled samples
    /// as `examples/images` wherever they were found, a folder as given, a
    /// bucket as `s3://bucket/prefix`. For pages and messages, where the
    /// machine's absolute path would say nothing to the reader.
    pub fn name(&self) -> String {
        match self {
            Self::Folder(path) if path.as_os_str() == parse::SAMPLES_BUILT => parse::SAMPLES.to_owned(),
            Self::Folder(path) => path.display().to_string(),
            Self::S3(o) if o.prefix.is_empty() => format!("s3://{}", o.bucket),
            Self::S3(o) => format!("s3://{}/{}", o.bucket, o.prefix),
        }
    }
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

/// A signer from `EDGEPIX_SIGNING_KEYS`-style text, checked as the server
/// checks it (for `edgepix sign`); empty text is an error here.
pub(crate) fn signer(keys: &str) -> Result<crate::Signer, String> {
    parse::keys(keys)?.ok_or_else(|| "no key given".to_owned())
}

impl Config {
    /// Parse this process's flags and environment (dev server defaults).
    pub fn load() -> Result<Self, ConfigError> {
        Self::load_for(Deployment::DevServer)
    }

    /// Parse this process's flags and environment with `deployment`'s
    /// defaults; `--help` and `--version` print and exit.
    pub fn load_for(deployment: Deployment) -> Result<Self, ConfigError> {
        Self::from_matches(&reader::command().get_matches(), deployment)
    }

    /// Parse `args` (the program name first) and the environment.
    pub fn parse_from<I, T>(args: I, deployment: Deployment) -> Result<Self, ConfigError>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let matches =
            reader::command().try_get_matches_from(args).map_err(|e| ConfigError(vec![e.to_string()]))?;
        Self::from_matches(&matches, deployment)
    }

    fn from_matches(matches: &clap::ArgMatches, deployment: Deployment) -> Result<Self, ConfigError> {
        let mut r = Reader::new(matches, deployment);
        let config = Self::read(&mut r);
        r.finish(config)
    }

    /// Every variable is read before any `?`, so that all problems are noted.
    fn read(r: &mut Reader<'_>) -> Option<Self> {
        let source = source(r);
        let limits = limits(r);
        let cache_policy = cache_policy(r);
        let encoder = encoder(r);
        let protection = Protection::read(r);
        let listen = r.read(&vars::LISTEN);
        let cache_bytes = r.read(&vars::CACHE_BYTES);
        let auto_avif = r.read(&vars::AUTO_AVIF_MAX_PIXELS);
        let concurrency = r.read(&vars::CONCURRENCY);
        let playground = r.read(&vars::PLAYGROUND);
        let metrics = r.read(&vars::METRICS);
        Some(Self {
            source: source?,
            listen: listen?,
            cache_bytes: cache_bytes?,
            limits: limits?,
            cache_policy: cache_policy?,
            auto_avif: AutoAvif { max_pixels: auto_avif? },
            concurrency: concurrency?,
            encoder: encoder?,
            playground: playground?,
            metrics: metrics?,
            protection: protection?,
        })
    }
}

/// The encoder settings alone, from this process's environment
/// (`EDGEPIX_AVIF_SPEED`, …): for tools that must encode as the server
/// would, such as the benchmark contender, without the rest of a server's
/// configuration.
pub fn encoder_from_env() -> Result<EncoderSettings, ConfigError> {
    let matches =
        reader::command().try_get_matches_from(["edgepix"]).map_err(|e| ConfigError(vec![e.to_string()]))?;
    let mut r = Reader::new(&matches, Deployment::DevServer);
    let settings = encoder(&mut r);
    r.finish(settings)
}

/// A folder, or a bucket with the S3 client's settings (read either way,
/// so that a mistake in them shows before the source changes to S3).
fn source(r: &mut Reader<'_>) -> Option<SourceConfig> {
    let spec = r.read(&vars::SOURCE);
    let path_style = r.read(&vars::S3_PATH_STYLE);
    let connect_timeout = r.read(&vars::S3_CONNECT_TIMEOUT_MS);
    let operation_timeout = r.read(&vars::S3_TIMEOUT_MS);
    Some(match spec? {
        SourceSpec::Folder(path) => SourceConfig::Folder(path),
        SourceSpec::S3 { bucket, prefix } => SourceConfig::S3(edgepix_storage::S3Options {
            bucket,
            prefix,
            path_style: path_style?,
            connect_timeout: connect_timeout?,
            operation_timeout: operation_timeout?,
        }),
    })
}

fn limits(r: &mut Reader<'_>) -> Option<Limits> {
    let max_source_pixels = r.read(&vars::MAX_SOURCE_PIXELS);
    let max_source_bytes = r.read(&vars::MAX_SOURCE_BYTES);
    let max_output_side = r.read(&vars::MAX_OUTPUT_SIDE);
    let max_frames = r.read(&vars::MAX_FRAMES);
    let max_animation_pixels = r.read(&vars::MAX_ANIMATION_PIXELS);
    let strict_decode = r.read(&vars::STRICT_DECODE);
    Some(Limits {
        max_source_pixels: max_source_pixels?,
        max_source_bytes: max_source_bytes?,
        max_output_side: max_output_side?,
        max_frames: max_frames?,
        max_animation_pixels: max_animation_pixels?,
        strict_decode: strict_decode?,
    })
}

fn cache_policy(r: &mut Reader<'_>) -> Option<CachePolicy> {
    let success = r.read(&vars::CACHE_CONTROL);
    let client_error = r.read(&vars::ERROR_CACHE_CONTROL);
    let server_error = r.read(&vars::SERVER_ERROR_CACHE_CONTROL);
    Some(CachePolicy { success: success?, client_error: client_error?, server_error: server_error? })
}

fn encoder(r: &mut Reader<'_>) -> Option<EncoderSettings> {
    let avif_speed = r.read(&vars::AVIF_SPEED);
    let webp_method = r.read(&vars::WEBP_METHOD);
    let linear_light = r.read(&vars::LINEAR_LIGHT);
    let shrink_on_load = r.read(&vars::SHRINK_ON_LOAD);
    let keep_metadata = r.read(&vars::KEEP_METADATA);
    let auto_quality_target = r.read(&vars::AUTO_QUALITY_TARGET);
    Some(EncoderSettings {
        avif_speed: avif_speed?,
        webp_method: webp_method?,
        linear_light: linear_light?,
        keep_metadata: keep_metadata?,
        shrink_on_load: shrink_on_load?,
        auto_quality_target: auto_quality_target?,
    })
}

#[cfg(test)]
mod tests;
