//! edgepix on AWS Lambda behind a Function URL (CloudFront's origin).
//!
//! Thin on purpose: the configuration, state (with its one S3 client) and
//! router are built once, outside the handler, so warm invocations reuse
//! them; `lambda_http` turns Function URL events into requests for the very
//! router the dev server runs. Every image response carries an `image/*`
//! `Content-Type`, which is what makes `lambda_http` base64-encode the body
//! instead of mangling it as text.

use edgepix_server::telemetry::{self, LogFormat};
use edgepix_server::{AppState, Config, Deployment, RouterOptions, router_with};

/// The buffered Function URL response limit is 6 MB including base64, so
/// about 4.4 MB of raw image; larger outputs get a clear 422 instead of a
/// failed invocation.
const MAX_RESPONSE_BYTES: usize = 6_000_000 / 4 * 3 - 64 * 1024;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    // One JSON object per line: what CloudWatch Logs Insights parses.
    telemetry::init(LogFormat::Json);
    let config = Config::load_for(Deployment::Lambda)?;
    let state = AppState::from_config(&config).await?;
    tracing::info!(source = %state.describe_source(), "edgepix lambda ready");
    let options = RouterOptions { max_response_bytes: Some(MAX_RESPONSE_BYTES) };
    lambda_http::run(router_with(state, options)).await
}
