//! Where originals come from. A [`Source`] turns an [`ObjectKey`] into bytes,
//! enforcing a byte cap before and while reading.
//!
//! This crate knows nothing of HTTP status codes or image codecs: it reports
//! *what* went wrong ([`StorageError`]) and the server decides what that means
//! for a client. Sources are used as `Arc<dyn Source>`, built once at start-up.

mod error;
mod fs;
mod key;
#[cfg(feature = "s3")]
mod s3;

use std::time::SystemTime;

use async_trait::async_trait;
use bytes::Bytes;

pub use error::StorageError;
pub use fs::FsSource;
pub use key::ObjectKey;
#[cfg(feature = "s3")]
pub use s3::{S3Options, S3Source};

/// An original, as fetched.
#[derive(Debug, Clone)]
pub struct Object {
    /// The whole object.
    pub bytes: Bytes,
    /// The source's entity tag, if it has one.
    pub etag: Option<String>,
    /// When the object last changed, if known.
    pub last_modified: Option<SystemTime>,
}

/// What a source knows about an object without reading it: enough to
/// answer a conditional request without downloading the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    /// The source's entity tag, if it has one.
    pub etag: Option<String>,
    /// When the object last changed, if known.
    pub last_modified: Option<SystemTime>,
    /// Size in bytes.
    pub size: u64,
}

/// A store of originals.
#[async_trait]
pub trait Source: Send + Sync + 'static {
    /// Fetch a whole object, refusing (without reading it all) one larger
    /// than `max_bytes`.
    async fn get(&self, key: &ObjectKey, max_bytes: u64) -> Result<Object, StorageError>;

    /// Describe an object without reading it (`NotFound` if it is missing).
    async fn head(&self, key: &ObjectKey) -> Result<Meta, StorageError>;

    /// Up to `limit` objects, sorted by key: what the playground page offers
    /// to try. Bounded because a bucket may hold millions of objects.
    async fn list(&self, limit: usize) -> Result<Vec<Listed>, StorageError>;

    /// A one-line description for logs (`fs:/srv/images`).
    fn describe(&self) -> String;
}

/// One entry of [`Source::list`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The key, valid for [`ObjectKey::parse`].
    pub key: String,
    /// Size in bytes.
    pub size: u64,
}
