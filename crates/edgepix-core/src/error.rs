//! The one error type of the core. Each variant is a distinct, stable problem
//! the server can map to a status code without parsing messages.

use thiserror::Error;

/// Everything that can go wrong between query string and encoded bytes.
#[derive(Debug, Clone, Error)]
pub enum CoreError {
    /// A query parameter that edgepix does not know.
    #[error(
        "unknown parameter `{name}` (expected one of: w, h, f, q, fit, pos, rect, bg, dpr, anim; and s, exp for signed URLs when the server checks signatures)"
    )]
    UnknownParam {
        /// The parameter as given.
        name: String,
    },
    /// A known parameter with a value that does not parse or is out of range.
    #[error("invalid `{name}`: expected {expected}, got `{given}`")]
    InvalidParam {
        /// The parameter name.
        name: &'static str,
        /// What would have been accepted.
        expected: String,
        /// What was given.
        given: String,
    },
    /// `rect` reaches outside the image (known only once it is probed).
    #[error("invalid `rect`: {rect} is not inside the {width}x{height} image (x,y,w,h in displayed pixels)")]
    RectOutOfBounds {
        /// The rectangle as given (x,y,w,h).
        rect: String,
        /// Displayed width.
        width: u32,
        /// Displayed height.
        height: u32,
    },
    /// The query string itself is malformed (bad percent-encoding, nesting).
    #[error("malformed query string: {0}")]
    MalformedQuery(String),
    /// The bytes are not an image in a format edgepix reads.
    #[error("unsupported image format: {0}")]
    UnsupportedInput(String),
    /// The header declares more pixels than allowed; nothing was decoded.
    #[error("image is {width}x{height} ({pixels} pixels), over the limit of {max} pixels")]
    TooManyPixels {
        /// Declared width.
        width: u32,
        /// Declared height.
        height: u32,
        /// width × height.
        pixels: u64,
        /// The configured limit.
        max: u64,
    },
    /// An animation with more frames than allowed; nothing was decoded.
    #[error("animation has {frames} frames or more, over the limit of {max} frames")]
    TooManyFrames {
        /// Frames counted (counting stops just past the limit).
        frames: u32,
        /// The configured limit.
        max: u32,
    },
    /// An animation whose frames add up to more pixels than allowed.
    #[error(
        "animation is {frames} frames of {width}x{height}, {pixels} pixels in all, over the limit of {max} pixels"
    )]
    AnimationTooLarge {
        /// Canvas width.
        width: u32,
        /// Canvas height.
        height: u32,
        /// Frames counted.
        frames: u32,
        /// frames × width × height.
        pixels: u64,
        /// The configured limit.
        max: u64,
    },
    /// The header could be read but the image data is broken or truncated.
    #[error("image could not be decoded: {0}")]
    Undecodable(String),
    /// The encoder failed (for example, dimensions its format cannot hold).
    #[error("image could not be encoded as {format}: {reason}")]
    Encode {
        /// The output format.
        format: &'static str,
        /// Why.
        reason: String,
    },

    /// A failure that no input should cause (a bug, not the client's fault).
    #[error("internal error: {0}")]
    Internal(String),
}

impl CoreError {
    pub(crate) fn undecodable(e: impl std::fmt::Display) -> Self {
        Self::Undecodable(e.to_string())
    }
}
