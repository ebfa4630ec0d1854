//! S3Source against a real S3-protocol server (s3s-fs) on 127.0.0.1, in
//! process: the SDK, signing, HTTP and error paths are all real.

mod conformance;

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use edgepix_storage::{ObjectKey, S3Options, S3Source, Source, StorageError};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;

/// Serve `root` (one folder per bucket) over the S3 protocol; returns its address.
async fn s3_server(root: &Path) -> SocketAddr {
    let mut builder = s3s::service::S3ServiceBuilder::new(s3s_fs::FileSystem::new(root).unwrap());
    // Real SigV4 verification, with the same keys the client signs with.
    builder.set_auth(s3s::auth::SimpleAuth::from_single("test", "test"));
    let service = builder.build();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let service = service.clone();
            tokio::spawn(async move {
                let _ =
                    Builder::new(TokioExecutor::new()).serve_connection(TokioIo::new(socket), service).await;
            });
        }
    });
    addr
}

/// A server that accepts connections and never answers.
async fn stalling_server() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    addr
}

fn source(addr: SocketAddr, bucket: &str, prefix: &str, timeout: Duration) -> S3Source {
    let options = S3Options {
        bucket: bucket.into(),
        prefix: prefix.into(),
        path_style: true,
        connect_timeout: Duration::from_secs(2),
        operation_timeout: timeout,
    };
    let config = aws_sdk_s3::config::Builder::new()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(format!("http://{addr}"))
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "edgepix-tests"));
    S3Source::with_config(options, config)
}

fn bucket_with_fixtures(prefix: &str) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    for (k, contents) in conformance::fixtures() {
        let path = root.path().join("originals").join(prefix).join(k);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    root
}

#[tokio::test]
async fn passes_the_conformance_suite() {
    let root = bucket_with_fixtures("");
    let addr = s3_server(root.path()).await;
    conformance::run(&source(addr, "originals", "", Duration::from_secs(5))).await;
}

#[tokio::test]
async fn passes_the_conformance_suite_under_a_prefix() {
    let root = bucket_with_fixtures("site/images");
    let addr = s3_server(root.path()).await;
    conformance::run(&source(addr, "originals", "site/images", Duration::from_secs(5))).await;
}

/// A server answering every request with one S3 error, as AWS words it.
async fn erroring_server(status: &'static str, code: &'static str) -> SocketAddr {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buffer = [0u8; 8192];
                while let Ok(n @ 1..) = socket.read(&mut buffer).await {
                    if buffer[..n].windows(4).any(|w| w == b"\r\n\r\n") {
                        let body = format!(
                            "<?xml version=\"1.0\"?><Error><Code>{code}</Code><Message>m</Message></Error>"
                        );
                        let head = format!(
                            "HTTP/1.1 {status}\r\ncontent-type: application/xml\r\ncontent-length: {}\r\n\r\n",
                            body.len()
                        );
                        let _ = socket.write_all((head + &body).as_bytes()).await;
                    }
                }
            });
        }
    });
    addr
}

#[tokio::test]
async fn missing_bucket_and_access_denied_are_source_failures_not_404s() {
    // s3s-fs answers a GET in a missing bucket with NoSuchKey (it does not
    // look for the bucket); AWS answers NoSuchBucket, as this server does.
    for (status, code) in [("404 Not Found", "NoSuchBucket"), ("403 Forbidden", "AccessDenied")] {
        let addr = erroring_server(status, code).await;
        let err = source(addr, "no-such-bucket", "", Duration::from_secs(5))
            .get(&ObjectKey::parse("a.bin").unwrap(), 1024)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StorageError::Unavailable(detail) if detail.contains(code)),
            "{code}: {err:?}"
        );
    }
    let addr = erroring_server("404 Not Found", "NoSuchKey").await;
    let err = source(addr, "b", "", Duration::from_secs(5))
        .get(&ObjectKey::parse("a").unwrap(), 1)
        .await
        .unwrap_err();
    assert!(matches!(err, StorageError::NotFound(_)), "{err:?}");
}

#[tokio::test]
async fn a_stalled_server_times_out() {
    let addr = stalling_server().await;
    let s3 = source(addr, "originals", "", Duration::from_millis(500));
    let start = Instant::now();
    let err = s3.get(&ObjectKey::parse("a.bin").unwrap(), 1024).await.unwrap_err();
    assert!(matches!(err, StorageError::Timeout), "{err:?}");
    assert!(start.elapsed() < Duration::from_secs(5), "took {:?}", start.elapsed());
    let err = s3.head(&ObjectKey::parse("a.bin").unwrap()).await.unwrap_err();
    assert!(matches!(err, StorageError::Timeout), "{err:?}");
}

#[tokio::test]
async fn a_refused_connection_is_a_source_failure() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    // Long enough for the SDK's retries to give up before the deadline.
    let err = source(addr, "originals", "", Duration::from_secs(20))
        .get(&ObjectKey::parse("a.bin").unwrap(), 1024)
        .await
        .unwrap_err();
    assert!(matches!(err, StorageError::Unavailable(_)), "{err:?}");
}
