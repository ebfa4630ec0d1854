//! The HTTP face of edgepix: configuration, shared state, the axum router,
//! the variant cache and the mapping from errors to status codes.
//!
//! It is the only crate that knows about HTTP. The dev server and the Lambda
//! binary are thin wrappers that build a [`Config`], an [`AppState`] and call
//! [`router`]; everything they serve is decided here, including the
//! playground page, `/metrics` and the log set-up ([`telemetry`]).

mod access;
mod admission;
mod cache;
mod conditional;
mod config;
mod error;
mod guard;
mod handlers;
mod meter;
mod middleware;
mod negotiate;
mod outcome;
mod playground;
mod render;
pub mod sign_cli;
mod signing;
mod sizes;
mod state;
pub mod telemetry;
mod workers;

pub use config::{
    AutoAvif, CachePolicy, Config, ConfigError, Deployment, MetricsMode, Protection, SourceConfig,
    encoder_from_env,
};
pub use error::AppError;
pub use handlers::{RouterOptions, router, router_with};
pub use signing::{SignatureError, Signer};
pub use sizes::{AllowedSizes, NotAllowed, SizePolicy};
pub use state::AppState;
