//! Object keys, validated once. A key that could climb out of the configured
//! root or prefix never reaches a source.

use crate::StorageError;

/// A relative, `/`-separated object key with no `.`/`..` segments, NUL,
/// backslash or control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectKey(String);

impl ObjectKey {
    /// Validate a key (already percent-decoded).
    pub fn parse(key: &str) -> Result<Self, StorageError> {
        if key.is_empty() {
            return Err(StorageError::InvalidKey("the key is empty"));
        }
        if key.starts_with('/') {
            return Err(StorageError::InvalidKey("absolute paths are not allowed"));
        }
        if key.chars().any(|c| c.is_control() || c == '\\') {
            return Err(StorageError::InvalidKey("control characters, NUL and `\\` are not allowed"));
        }
        if key.split('/').any(|segment| matches!(segment, "" | "." | "..")) {
            return Err(StorageError::InvalidKey("empty, `.` and `..` path segments are not allowed"));
        }
        Ok(Self(key.to_owned()))
    }

    /// The key as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::ObjectKey;

    #[test]
    fn accepts_ordinary_keys() {
        for key in ["a.jpg", "photos/tom.jpg", "with space/ünïcødé 東京.png", "a..b.jpg", ".hidden/x.png"]
        {
            assert_eq!(ObjectKey::parse(key).unwrap().as_str(), key);
        }
    }

    #[test]
    fn rejects_traversal_and_oddities() {
        for key in [
            "",
            "/etc/passwd",
            "../etc/passwd",
            "a/../../b",
            "a/./b",
            "a//b",
            "a/",
            "a\0b",
            "a\\..\\b",
            "a\nb",
        ] {
            assert!(ObjectKey::parse(key).is_err(), "{key:?} accepted");
        }
    }
}
