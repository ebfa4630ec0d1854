//! The one error type of the storage layer.

use thiserror::Error;

/// Why a source could not produce an object.
#[derive(Debug, Clone, Error)]
pub enum StorageError {
    /// The key is not acceptable (traversal, absolute, NUL, empty).
    #[error("invalid key: {0}")]
    InvalidKey(&'static str),
    /// No such object.
    #[error("no object at `{0}`")]
    NotFound(String),
    /// The object is larger than the byte cap.
    #[error("object is {size} bytes or more, over the limit of {max} bytes")]
    TooLarge {
        /// Its size (or a lower bound, when found while streaming).
        size: u64,
        /// The cap.
        max: u64,
    },
    /// The source did not answer in time.
    #[error("the source timed out")]
    Timeout,
    /// The source failed (I/O error, permission, unreachable service).
    #[error("source failed: {0}")]
    Unavailable(String),
}
