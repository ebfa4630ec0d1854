//! The storage conformance suite: every `Source` must pass it. Each test
//! file provides a source holding the objects of [`fixtures`].

#![allow(dead_code)]

use edgepix_storage::{ObjectKey, Source, StorageError};

/// (key, contents) every source under test must hold.
pub fn fixtures() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("a.bin", b"hello".to_vec()),
        ("with space/ünïcødé 東京.bin", vec![7u8; 100]),
        ("dir/big.bin", (0..5000u32).map(|i| (i % 251) as u8).collect()),
    ]
}

fn key(k: &str) -> ObjectKey {
    ObjectKey::parse(k).unwrap()
}

/// Run every check against `source`.
pub async fn run(source: &dyn Source) {
    for (k, contents) in fixtures() {
        let object = source.get(&key(k), 1 << 20).await.unwrap_or_else(|e| panic!("{k}: {e:?}"));
        assert_eq!(object.bytes.as_ref(), contents.as_slice(), "{k}");
        let meta = source.head(&key(k)).await.unwrap();
        assert_eq!(meta.size, contents.len() as u64, "{k}");
        assert!(meta.etag.is_some() && meta.etag == object.etag, "{k}: {:?} vs {:?}", meta.etag, object.etag);
        assert!(meta.last_modified.is_some(), "{k}");
    }
    // (Directories are a file-system notion: FsSource's own tests cover them.)
    for missing in ["nope.bin", "dir/nope.bin", "DIR/big.bin"] {
        let err = source.get(&key(missing), 1024).await.unwrap_err();
        assert!(matches!(err, StorageError::NotFound(_)), "get {missing}: {err:?}");
        let err = source.head(&key(missing)).await.unwrap_err();
        assert!(matches!(err, StorageError::NotFound(_)), "head {missing}: {err:?}");
    }
    // The byte cap: exactly at the cap is fine, one byte under refuses.
    assert!(source.get(&key("dir/big.bin"), 5000).await.is_ok());
    let err = source.get(&key("dir/big.bin"), 4999).await.unwrap_err();
    assert!(matches!(err, StorageError::TooLarge { max: 4999, .. }), "{err:?}");
    // Listing: every fixture, sorted, with its size; bounded by `limit`.
    let listed = source.list(100).await.unwrap();
    let mut want: Vec<(String, u64)> =
        fixtures().into_iter().map(|(k, c)| (k.to_owned(), c.len() as u64)).collect();
    want.sort();
    let got: Vec<(String, u64)> = listed.into_iter().map(|l| (l.key, l.size)).collect();
    assert_eq!(got, want);
    assert_eq!(source.list(2).await.unwrap().len(), 2);
    assert!(!source.describe().is_empty());
}
