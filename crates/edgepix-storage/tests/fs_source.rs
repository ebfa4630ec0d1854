//! FsSource against a real temporary folder.

mod conformance;

use edgepix_storage::{FsSource, ObjectKey, Source, StorageError};

#[tokio::test]
async fn passes_the_conformance_suite() {
    let dir = tempfile::tempdir().unwrap();
    for (k, contents) in conformance::fixtures() {
        let path = dir.path().join(k);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    conformance::run(&FsSource::new(dir.path()).unwrap()).await;
}

fn folder() -> (tempfile::TempDir, FsSource) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("with space")).unwrap();
    std::fs::write(dir.path().join("a.bin"), b"hello").unwrap();
    std::fs::write(dir.path().join("with space/ünïcødé.bin"), vec![7u8; 100]).unwrap();
    let source = FsSource::new(dir.path()).unwrap();
    (dir, source)
}

fn key(k: &str) -> ObjectKey {
    ObjectKey::parse(k).unwrap()
}

#[tokio::test]
async fn reads_objects_including_unicode_keys() {
    let (_dir, source) = folder();
    let object = source.get(&key("a.bin"), 1024).await.unwrap();
    assert_eq!(&object.bytes[..], b"hello");
    assert!(object.last_modified.is_some());
    let object = source.get(&key("with space/ünïcødé.bin"), 1024).await.unwrap();
    assert_eq!(object.bytes.len(), 100);
}

#[tokio::test]
async fn head_describes_without_reading_and_tags_change_with_content() {
    let (dir, source) = folder();
    let meta = source.head(&key("a.bin")).await.unwrap();
    assert_eq!(meta.size, 5);
    let object = source.get(&key("a.bin"), 1024).await.unwrap();
    assert_eq!(object.etag, meta.etag);
    assert_eq!(object.last_modified, meta.last_modified);
    std::fs::write(dir.path().join("a.bin"), b"hello, world").unwrap();
    let changed = source.head(&key("a.bin")).await.unwrap();
    assert_ne!(changed.etag, meta.etag);
    assert!(matches!(source.head(&key("nope")).await, Err(StorageError::NotFound(_))));
    assert!(matches!(source.head(&key("with space")).await, Err(StorageError::NotFound(_))));
}

#[tokio::test]
async fn missing_keys_and_directories_are_not_found() {
    let (_dir, source) = folder();
    for k in ["nope.bin", "with space", "a.bin/child"] {
        let err = source.get(&key(k), 1024).await.unwrap_err();
        assert!(matches!(err, StorageError::NotFound(_)), "{k}: {err:?}");
    }
}

#[tokio::test]
async fn byte_cap_is_enforced() {
    let (_dir, source) = folder();
    let err = source.get(&key("with space/ünïcødé.bin"), 99).await.unwrap_err();
    assert!(matches!(err, StorageError::TooLarge { size: 100, max: 99 }), "{err:?}");
    assert!(source.get(&key("with space/ünïcødé.bin"), 100).await.is_ok());
}

#[cfg(unix)]
#[tokio::test]
async fn symlinks_out_of_the_root_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret"), b"x").unwrap();
    let (dir, source) = folder();
    std::os::unix::fs::symlink(outside.path().join("secret"), dir.path().join("link")).unwrap();
    let err = source.get(&key("link"), 1024).await.unwrap_err();
    assert!(matches!(err, StorageError::NotFound(_)), "{err:?}");
}

#[test]
fn a_missing_root_is_an_error() {
    assert!(FsSource::new("/definitely/not/here").is_err());
}
