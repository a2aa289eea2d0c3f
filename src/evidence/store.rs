//! Where evidence files live: a local directory (the default), or an S3-compatible object store
//! when several instances share no disk. Either way a file is named by the SHA-256 of its
//! content, written once, never replaced.
//!
//! Configure the object store with `SINERGI_S3_BUCKET` and the usual `AWS_*` variables
//! (`AWS_ENDPOINT` for MinIO, Ceph, Garage or a government cloud; `AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`). An `http://` endpoint is allowed (a store on the
//! local network).
//!
//! In an object store shared by several instances a file is not deleted on the spot when its
//! evidence is deleted: another instance may be placing the same content at that moment, and
//! the lock that orders the two on one machine does not reach across machines. Unreferenced
//! objects are left to the bucket's lifecycle rules.

use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The evidence file store of an instance.
#[derive(Clone, Debug)]
pub enum FileStore {
    /// Files in this directory, named by hash.
    Local(PathBuf),
    /// Objects in a bucket (or any `ObjectStore`), named by hash.
    Object(Arc<dyn ObjectStore>),
}

/// A store failure, with the detail for the log.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct StoreError(pub String);

fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError(e.to_string())
}

/// A hash is the only name a file gets: 64 hex digits, nothing a path could be made of.
fn checked(sha256: &str) -> Result<&str, StoreError> {
    if sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(sha256)
    } else {
        Err(StoreError(format!("not a SHA-256 name: {sha256:?}")))
    }
}

impl FileStore {
    /// The object store named by `SINERGI_S3_BUCKET` (with the `AWS_*` variables), or the local
    /// directory when no bucket is named.
    pub fn from_env(local: PathBuf) -> Result<FileStore, String> {
        let Some(bucket) = std::env::var("SINERGI_S3_BUCKET")
            .ok()
            .filter(|b| !b.trim().is_empty())
        else {
            return Ok(FileStore::Local(local));
        };
        let endpoint = std::env::var("AWS_ENDPOINT")
            .or_else(|_| std::env::var("AWS_ENDPOINT_URL"))
            .unwrap_or_default();
        let s3 = object_store::aws::AmazonS3Builder::from_env()
            .with_bucket_name(bucket.trim())
            .with_allow_http(endpoint.starts_with("http://"))
            .build()
            .map_err(|e| format!("cannot configure the S3 store: {e}"))?;
        Ok(FileStore::Object(Arc::new(s3)))
    }

    /// For the start-up message.
    pub fn describe(&self) -> String {
        match self {
            FileStore::Local(dir) => format!("folder {}", dir.display()),
            FileStore::Object(s) => format!("object store {s}"),
        }
    }

    /// Places a fully received file under its hash; `true` when the content was not stored yet.
    pub async fn place(&self, sha256: &str, received: &Path) -> Result<bool, StoreError> {
        let sha256 = checked(sha256)?;
        match self {
            FileStore::Local(dir) => {
                let target = dir.join(sha256);
                if tokio::fs::try_exists(&target).await.map_err(err)? {
                    return Ok(false);
                }
                tokio::fs::rename(received, &target).await.map_err(err)?;
                Ok(true)
            }
            FileStore::Object(s) => {
                let path = ObjectPath::from(sha256);
                match s.head(&path).await {
                    Ok(_) => return Ok(false),
                    Err(object_store::Error::NotFound { .. }) => {}
                    Err(e) => return Err(err(e)),
                }
                let bytes = tokio::fs::read(received).await.map_err(err)?;
                s.put(&path, PutPayload::from(bytes)).await.map_err(err)?;
                Ok(true)
            }
        }
    }

    /// The content of a stored file.
    pub async fn read(&self, sha256: &str) -> Result<Vec<u8>, StoreError> {
        let sha256 = checked(sha256)?;
        match self {
            FileStore::Local(dir) => tokio::fs::read(dir.join(sha256)).await.map_err(err),
            FileStore::Object(s) => {
                let got = s.get(&ObjectPath::from(sha256)).await.map_err(err)?;
                Ok(got.bytes().await.map_err(err)?.to_vec())
            }
        }
    }

    /// Whether a file of this content is stored.
    pub async fn exists(&self, sha256: &str) -> Result<bool, StoreError> {
        let sha256 = checked(sha256)?;
        match self {
            FileStore::Local(dir) => tokio::fs::try_exists(dir.join(sha256)).await.map_err(err),
            FileStore::Object(s) => match s.head(&ObjectPath::from(sha256)).await {
                Ok(_) => Ok(true),
                Err(object_store::Error::NotFound { .. }) => Ok(false),
                Err(e) => Err(err(e)),
            },
        }
    }

    /// Removes a file no evidence refers to any more (local directory only; see the module
    /// notes for the object store).
    pub async fn remove_unreferenced(&self, sha256: &str) -> Result<(), StoreError> {
        let sha256 = checked(sha256)?;
        match self {
            FileStore::Local(dir) => match tokio::fs::remove_file(dir.join(sha256)).await {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(err(e)),
            },
            FileStore::Object(_) => Ok(()),
        }
    }

    /// Undoes a `place` whose database change did not commit (the content was new).
    pub async fn unplace(&self, sha256: &str) -> Result<(), StoreError> {
        let sha256 = checked(sha256)?;
        match self {
            FileStore::Local(_) => self.remove_unreferenced(sha256).await,
            // Nothing refers to it; on a shared store another instance may have placed the
            // same content meanwhile, so it stays.
            FileStore::Object(_) => Ok(()),
        }
    }
}
