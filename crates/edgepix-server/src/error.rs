//! The one place where failures become HTTP responses: a status code, a
//! stable machine-readable `code` and a message safe to show a client.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use edgepix_core::CoreError;
use edgepix_storage::StorageError;

/// Everything a request can fail with.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    /// From parameters, probing, decoding or encoding.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// From the key or the source.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The path is not valid UTF-8 after percent-decoding.
    #[error("the path is not valid percent-encoded UTF-8")]
    BadPath,
    /// No route (`/_edgepix/` is reserved; `/` without the playground).
    #[error("no such route")]
    NoRoute,
    /// A method other than GET or HEAD.
    #[error("only GET and HEAD are served")]
    MethodNotAllowed,
    /// The encoded image is larger than the transport can carry (Lambda's
    /// buffered response limit): the client can ask for a smaller one.
    #[error(
        "the output is {size} bytes, over this deployment's response limit of {max} bytes; ask for a smaller size or a more compact format"
    )]
    OutputTooLarge {
        /// Encoded size.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// A missing, wrong or expired signature (signed-URL mode).
    #[error(transparent)]
    Signature(#[from] crate::signing::SignatureError),
    /// A size or quality outside the configured allowed lists.
    #[error(transparent)]
    SizeNotAllowed(#[from] crate::sizes::NotAllowed),
    /// The memory budget is taken by work in flight: try again shortly.
    #[error("the server is busy; retry in {retry_after} s")]
    Overloaded {
        /// Seconds for `Retry-After`.
        retry_after: u64,
    },
    /// The image would need more memory than this deployment's whole budget.
    #[error(
        "processing this image needs about {estimate} bytes, over this deployment's memory budget of {budget} bytes"
    )]
    OverBudget {
        /// The estimate.
        estimate: u64,
        /// The budget.
        budget: u64,
    },
    /// The request took longer than its deadline.
    #[error("the request did not finish within its deadline")]
    Deadline,
    /// A worker task died (a panic in a codec): a bug, never the client's fault.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// Status and stable code. Every mapping lives in this match.
    fn classify(&self) -> (StatusCode, &'static str) {
        use crate::signing::SignatureError as G;
        use CoreError as C;
        use StorageError as S;
        match self {
            Self::Signature(G::NotConfigured) => (StatusCode::BAD_REQUEST, "signing_disabled"),
            Self::Signature(G::Missing) => (StatusCode::FORBIDDEN, "signature_missing"),
            Self::Signature(G::Invalid) => (StatusCode::FORBIDDEN, "signature_invalid"),
            Self::Signature(G::Expired(_)) => (StatusCode::FORBIDDEN, "signature_expired"),
            Self::SizeNotAllowed(_) => (StatusCode::BAD_REQUEST, "size_not_allowed"),
            Self::OverBudget { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "over_memory_budget"),
            Self::Overloaded { .. } => (StatusCode::SERVICE_UNAVAILABLE, "overloaded"),
            Self::Deadline => (StatusCode::GATEWAY_TIMEOUT, "timeout"),
            Self::Core(C::UnknownParam { .. }) => (StatusCode::BAD_REQUEST, "unknown_param"),
            Self::Core(C::InvalidParam { .. }) => (StatusCode::BAD_REQUEST, "invalid_param"),
            Self::Core(C::MalformedQuery(_)) => (StatusCode::BAD_REQUEST, "malformed_query"),
            Self::Core(C::RectOutOfBounds { .. }) => (StatusCode::BAD_REQUEST, "rect_out_of_bounds"),
            Self::Storage(S::InvalidKey(_)) | Self::BadPath => (StatusCode::BAD_REQUEST, "invalid_path"),
            Self::Storage(S::NotFound(_)) | Self::NoRoute => (StatusCode::NOT_FOUND, "not_found"),
            Self::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            Self::Storage(S::TooLarge { .. }) => (StatusCode::UNPROCESSABLE_ENTITY, "source_too_large"),
            Self::Core(C::TooManyPixels { .. }) => (StatusCode::UNPROCESSABLE_ENTITY, "too_many_pixels"),
            Self::Core(C::TooManyFrames { .. }) => (StatusCode::UNPROCESSABLE_ENTITY, "too_many_frames"),
            Self::Core(C::AnimationTooLarge { .. }) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "animation_too_large")
            }
            Self::Core(C::UnsupportedInput(_)) => (StatusCode::UNPROCESSABLE_ENTITY, "unsupported_format"),
            Self::Core(C::Undecodable(_)) => (StatusCode::UNPROCESSABLE_ENTITY, "undecodable"),
            Self::Core(C::Encode { .. }) => (StatusCode::UNPROCESSABLE_ENTITY, "cannot_encode"),
            Self::OutputTooLarge { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "output_too_large"),
            Self::Storage(S::Unavailable(_)) => (StatusCode::BAD_GATEWAY, "source_unavailable"),
            Self::Storage(S::Timeout) => (StatusCode::GATEWAY_TIMEOUT, "source_timeout"),
            Self::Core(C::Internal(_)) | Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.classify();
        let message = if status.is_server_error() {
            // Detail stays in the log; clients get a generic sentence.
            tracing::error!(error = %self, code, "request failed");
            match status {
                StatusCode::BAD_GATEWAY => "the image source is unavailable".to_owned(),
                StatusCode::SERVICE_UNAVAILABLE => self.to_string(),
                StatusCode::GATEWAY_TIMEOUT if matches!(self, Self::Deadline) => self.to_string(),
                StatusCode::GATEWAY_TIMEOUT => "the image source did not answer in time".to_owned(),
                _ => "internal error".to_owned(),
            }
        } else {
            self.to_string()
        };
        // Cache-Control and security headers are added by `middleware`.
        let mut response =
            (status, Json(serde_json::json!({ "code": code, "message": message }))).into_response();
        response.extensions_mut().insert(crate::access::ErrorCode(code));
        if let Self::Overloaded { retry_after } = self {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, retry_after.into());
        }
        if let Self::MethodNotAllowed = self {
            let allow = axum::http::HeaderValue::from_static("GET, HEAD");
            response.headers_mut().insert(axum::http::header::ALLOW, allow);
        }
        response
    }
}
