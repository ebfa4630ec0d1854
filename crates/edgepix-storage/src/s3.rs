//! Originals from S3 (or any S3-compatible server). One client is built at
//! start-up, outside any request or Lambda handler, so warm invocations reuse
//! its connections and credentials.
//!
//! Failures are reported by kind, not by status code: a missing key is
//! `NotFound`, a timeout is `Timeout`, everything else (access denied, missing
//! bucket, connection refused) is `Unavailable` with the detail for the log.

use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use aws_sdk_s3::Client;
use aws_sdk_s3::config::timeout::TimeoutConfig;
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use bytes::{Bytes, BytesMut};

use crate::{Listed, Meta, Object, ObjectKey, Source, StorageError};

/// How to reach the bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Options {
    /// Bucket name.
    pub bucket: String,
    /// Key prefix (without trailing `/`), possibly empty.
    pub prefix: String,
    /// Path-style addressing (`http://host/bucket/key`), which most
    /// S3-compatible servers need. AWS itself uses virtual-hosted style.
    pub path_style: bool,
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Time allowed for a whole operation, including reading the body.
    pub operation_timeout: Duration,
}

/// A bucket (and prefix) of originals.
#[derive(Debug, Clone)]
pub struct S3Source {
    client: Client,
    options: S3Options,
}

impl S3Source {
    /// Build the client from the environment (region, credentials and
    /// `AWS_ENDPOINT_URL`, as every AWS SDK reads them).
    pub async fn new(options: S3Options) -> Self {
        let shared = aws_config::defaults(aws_config::BehaviorVersion::latest()).load().await;
        Self::with_config(options, aws_sdk_s3::config::Builder::from(&shared))
    }

    /// Build the client from an explicit SDK configuration (endpoint, region,
    /// credentials); the options' timeouts and addressing style are applied.
    pub fn with_config(options: S3Options, config: aws_sdk_s3::config::Builder) -> Self {
        let timeouts = TimeoutConfig::builder()
            .connect_timeout(options.connect_timeout)
            .operation_timeout(options.operation_timeout)
            .build();
        let config = config.timeout_config(timeouts).force_path_style(options.path_style).build();
        Self { client: Client::from_conf(config), options }
    }

    fn full_key(&self, key: &ObjectKey) -> String {
        match self.options.prefix.as_str() {
            "" => key.as_str().to_owned(),
            prefix => format!("{prefix}/{key}"),
        }
    }
}

/// Map an SDK failure to what it means for us.
fn classify<E: ProvideErrorMetadata + std::error::Error + 'static>(
    key: &dyn std::fmt::Display,
    error: SdkError<E>,
) -> StorageError {
    let not_found = matches!(error.as_service_error().and_then(|e| e.code()), Some("NoSuchKey" | "NotFound"));
    match error {
        _ if not_found => StorageError::NotFound(key.to_string()),
        SdkError::TimeoutError(_) => StorageError::Timeout,
        SdkError::DispatchFailure(ref failure) if failure.is_timeout() => StorageError::Timeout,
        SdkError::ResponseError(_) | SdkError::DispatchFailure(_) | SdkError::ServiceError(_) => {
            let detail = aws_sdk_s3::error::DisplayErrorContext(&error);
            StorageError::Unavailable(format!("s3: {detail}"))
        }
        other => StorageError::Unavailable(format!("s3: {}", aws_sdk_s3::error::DisplayErrorContext(&other))),
    }
}

fn time(t: Option<&aws_sdk_s3::primitives::DateTime>) -> Option<SystemTime> {
    t.and_then(|t| SystemTime::try_from(*t).ok())
}

#[async_trait]
impl Source for S3Source {
    async fn get(&self, key: &ObjectKey, max_bytes: u64) -> Result<Object, StorageError> {
        let request = self.client.get_object().bucket(&self.options.bucket).key(self.full_key(key));
        let output = request.send().await.map_err(|e| classify(key, e))?;
        let declared = output.content_length().and_then(|n| u64::try_from(n).ok());
        if let Some(size) = declared.filter(|&n| n > max_bytes) {
            return Err(StorageError::TooLarge { size, max: max_bytes });
        }
        let (etag, last_modified) = (output.e_tag().map(str::to_owned), time(output.last_modified()));
        let mut body = output.body;
        let mut bytes = BytesMut::with_capacity(declared.unwrap_or(0) as usize);
        // The declared length may lie: cap the stream as well.
        while let Some(chunk) = body.try_next().await.map_err(|e| stream_error(&e))? {
            if (bytes.len() + chunk.len()) as u64 > max_bytes {
                return Err(StorageError::TooLarge {
                    size: (bytes.len() + chunk.len()) as u64,
                    max: max_bytes,
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(Object { bytes: Bytes::from(bytes), etag, last_modified })
    }

    async fn head(&self, key: &ObjectKey) -> Result<Meta, StorageError> {
        let request = self.client.head_object().bucket(&self.options.bucket).key(self.full_key(key));
        let output = request.send().await.map_err(|e| classify(key, e))?;
        Ok(Meta {
            etag: output.e_tag().map(str::to_owned),
            last_modified: time(output.last_modified()),
            size: output.content_length().and_then(|n| u64::try_from(n).ok()).unwrap_or(0),
        })
    }

    async fn list(&self, limit: usize) -> Result<Vec<Listed>, StorageError> {
        // One ListObjectsV2 page (S3 returns at most 1000 keys per call).
        let max_keys = i32::try_from(limit.min(1000)).unwrap_or(1000);
        let prefix = match self.options.prefix.as_str() {
            "" => String::new(),
            prefix => format!("{prefix}/"),
        };
        let request =
            self.client.list_objects_v2().bucket(&self.options.bucket).prefix(&prefix).max_keys(max_keys);
        let output = request.send().await.map_err(|e| classify(&format!("{prefix}*"), e))?;
        let mut found: Vec<Listed> = output
            .contents()
            .iter()
            .filter_map(|object| {
                let key = object.key()?.strip_prefix(&prefix)?;
                ObjectKey::parse(key).ok()?;
                Some(Listed {
                    key: key.to_owned(),
                    size: object.size().and_then(|n| u64::try_from(n).ok()).unwrap_or(0),
                })
            })
            .collect();
        found.sort_by(|a, b| a.key.cmp(&b.key));
        found.truncate(limit);
        Ok(found)
    }

    fn describe(&self) -> String {
        format!("s3://{}/{}", self.options.bucket, self.options.prefix)
    }
}

fn stream_error(error: &aws_sdk_s3::primitives::ByteStreamError) -> StorageError {
    let text = error.to_string();
    if text.contains("timeout") || text.contains("timed out") {
        StorageError::Timeout
    } else {
        StorageError::Unavailable(format!("s3 body: {text}"))
    }
}
