//! The pure core of edgepix: everything between "here are the original's bytes
//! and a query string" and "here are the encoded output's bytes".
//!
//! It owns parameter parsing and validation ([`Params`]), limits ([`Limits`]),
//! the header probe ([`probe()`]), the request's [`Plan`] (pure [`geometry`],
//! the shrink-on-load floor, the lane, the output) with its
//! [`memory_estimate`], the content-aware crop (`analyse`, for
//! `pos=attention|entropy`), and the pipeline ([`process`]: decode → resize →
//! colour → orient → pad → encode, each step on a frame). A request runs
//! parse → probe → plan → process.
//!
//! It deliberately knows nothing of HTTP, async runtimes, storage or
//! environment variables: the server crate decides status codes and caching,
//! and this crate stays testable with plain tables and buildable for
//! `wasm32-unknown-unknown` with the C/asm codecs switched off.

mod analyse;
mod anim;
mod canvas;
mod colour;
mod decode;
mod encode;
mod error;
mod estimate;
mod format;
mod frame;
pub mod geometry;
mod heif;
mod limits;
mod metadata;
mod orient;
mod params;
mod pipeline;
mod plan;
mod probe;
mod resize;
#[cfg(feature = "simd")]
mod yuv;

pub use encode::{EncoderSettings, ShrinkOnLoad};
pub use error::CoreError;
pub use estimate::memory_estimate;

/// Identifies the pipeline in ETags: bump the crate version whenever the same
/// input and parameters can produce different bytes, so caches revalidate.
pub const PIPELINE_VERSION: &str = concat!("edgepix-core/", env!("CARGO_PKG_VERSION"));
/// Whether this build carries the `simd` codecs (libjpeg-turbo, libaom). Read
/// it here rather than from a caller's own feature: after feature unification
/// the core can have `simd` when the caller's flag is off.
pub const SIMD: bool = cfg!(feature = "simd");
/// The AV1 encoder behind opaque AVIF outputs in this build (encode/avif.rs).
pub const AV1_ENCODER: &str = if cfg!(feature = "aom") { "libaom" } else { "rav1e" };
pub use format::{InputFormat, OutputFormat};
pub use limits::Limits;
pub use metadata::KeepMetadata;
pub use params::{Animation, Fit, Params, Position, Rect, SignatureFields};
pub use pipeline::{AutoQuality, Output, Timings, process, verify};
pub use plan::{Lane, Plan};
pub use probe::{Probe, probe};
