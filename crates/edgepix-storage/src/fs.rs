//! Originals from a local folder: the dev server's source, and the easiest
//! way to try edgepix on one's own images.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use tokio::io::AsyncReadExt;

use crate::{Listed, Meta, Object, ObjectKey, Source, StorageError};

/// A folder of originals. Keys are paths relative to it; symlinks that lead
/// outside it are refused.
#[derive(Debug, Clone)]
pub struct FsSource {
    root: PathBuf,
}

impl FsSource {
    /// Open a folder. Fails if it does not exist or is not a directory.
    pub fn new(root: impl AsRef<Path>) -> std::io::Result<Self> {
        let root = std::fs::canonicalize(root)?;
        if !root.is_dir() {
            return Err(std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a directory"));
        }
        Ok(Self { root })
    }

    /// The canonical root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    async fn resolve(&self, key: &ObjectKey) -> Result<PathBuf, StorageError> {
        let not_found = || StorageError::NotFound(key.to_string());
        let path =
            tokio::fs::canonicalize(self.root.join(key.as_str())).await.map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory => not_found(),
                _ => StorageError::Unavailable(e.to_string()),
            })?;
        // A symlink inside the folder may point anywhere; do not follow it out.
        if path.starts_with(&self.root) { Ok(path) } else { Err(not_found()) }
    }
}

/// nginx's file ETag: modification time and size, so a rewritten file gets
/// a new tag without hashing its contents.
fn etag(meta: &std::fs::Metadata) -> String {
    let nanos = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("{nanos:x}-{:x}", meta.len())
}

#[async_trait]
impl Source for FsSource {
    async fn get(&self, key: &ObjectKey, max_bytes: u64) -> Result<Object, StorageError> {
        let path = self.resolve(key).await?;
        let io = |e: std::io::Error| StorageError::Unavailable(format!("{}: {e}", path.display()));
        let file = tokio::fs::File::open(&path).await.map_err(io)?;
        let meta = file.metadata().await.map_err(io)?;
        if !meta.is_file() {
            return Err(StorageError::NotFound(key.to_string()));
        }
        if meta.len() > max_bytes {
            return Err(StorageError::TooLarge { size: meta.len(), max: max_bytes });
        }
        // The file may grow between stat and read: cap the read as well.
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.take(max_bytes + 1).read_to_end(&mut bytes).await.map_err(io)?;
        if bytes.len() as u64 > max_bytes {
            return Err(StorageError::TooLarge { size: bytes.len() as u64, max: max_bytes });
        }
        Ok(Object { bytes: bytes.into(), etag: Some(etag(&meta)), last_modified: meta.modified().ok() })
    }

    async fn head(&self, key: &ObjectKey) -> Result<Meta, StorageError> {
        let path = self.resolve(key).await?;
        let meta = tokio::fs::metadata(&path)
            .await
            .map_err(|e| StorageError::Unavailable(format!("{}: {e}", path.display())))?;
        if !meta.is_file() {
            return Err(StorageError::NotFound(key.to_string()));
        }
        Ok(Meta { etag: Some(etag(&meta)), last_modified: meta.modified().ok(), size: meta.len() })
    }

    async fn list(&self, limit: usize) -> Result<Vec<Listed>, StorageError> {
        let root = self.root.clone();
        tokio::task::spawn_blocking(move || walk(&root, limit))
            .await
            .map_err(|e| StorageError::Unavailable(format!("listing failed: {e}")))?
    }

    fn describe(&self) -> String {
        format!("fs:{}", self.root.display())
    }
}

/// Folders this deep are not entered: a listing is for browsing, not a crawl.
const MAX_DEPTH: usize = 8;

/// Regular files under `root` with valid keys, sorted, at most `limit`.
/// Symlinks are skipped, so the listing never leads outside the folder.
fn walk(root: &Path, limit: usize) -> Result<Vec<Listed>, StorageError> {
    let mut found = Vec::new();
    let mut pending = vec![(root.to_path_buf(), 0)];
    while let Some((dir, depth)) = pending.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(|e| StorageError::Unavailable(format!("{}: {e}", dir.display())))?;
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else { continue };
            let path = entry.path();
            if kind.is_dir() && depth < MAX_DEPTH {
                pending.push((path, depth + 1));
            } else if kind.is_file() {
                let key = path.strip_prefix(root).ok().and_then(|p| p.to_str());
                if let Some(key) = key.filter(|k| ObjectKey::parse(k).is_ok()) {
                    found.push(Listed { key: key.to_owned(), size: entry.metadata().map_or(0, |m| m.len()) });
                }
            }
        }
    }
    found.sort_by(|a, b| a.key.cmp(&b.key));
    found.truncate(limit);
    Ok(found)
}
