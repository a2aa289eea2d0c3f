//! `sinergi backup` and `sinergi restore`: a consistent copy of the database and the evidence
//! files, taken while the server runs, and its return.
//!
//! A backup is a folder:
//! - `sinergi.db` (SQLite): written by `VACUUM INTO`, which reads one snapshot of the database
//!   inside a read transaction, so writers carry on and the copy is one consistent moment;
//! - `sinergi.pgdump` (PostgreSQL): written by `pg_dump --format=custom`, which also reads one
//!   snapshot; `pg_dump` must be installed and of the server's major version or newer;
//! - `bukti/`: the evidence files. They are content-addressed and written before the change that
//!   refers to them commits, so every file the copy refers to is already there;
//! - `MANIFEST.json`: when, from which backend, and the row count of every table in the copy.
//!
//! Restoring puts the copy back. On SQLite the database file being replaced is kept beside it
//! (`….sebelum-pulih-<time>`), so nothing is lost; stop the server first. On PostgreSQL
//! `pg_restore --clean --single-transaction` replaces the schema's contents in one transaction.

use super::db::{now, sqlite_path, Backend, Db};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const SQLITE_FILE: &str = "sinergi.db";
pub const PG_FILE: &str = "sinergi.pgdump";
pub const MANIFEST: &str = "MANIFEST.json";

/// What a backup holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Unix seconds when the copy was taken.
    pub created_at: i64,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// Rows per table in the copy.
    pub tables: BTreeMap<String, i64>,
    /// Evidence files copied.
    pub files: usize,
}

fn io(what: &str, path: &Path, e: std::io::Error) -> String {
    format!("{what} {}: {e}", path.display())
}

/// The row count of every table of the application (not the migration bookkeeping).
pub async fn table_counts(db: &Db) -> Result<BTreeMap<String, i64>, String> {
    let mut conn = db.pool.acquire().await.map_err(|e| e.to_string())?;
    counts_on(&mut conn, db.backend).await
}

/// [`table_counts`] on one connection (inside its transaction, when it has one).
async fn counts_on(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
) -> Result<BTreeMap<String, i64>, String> {
    let names_sql = match backend {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT tablename::text AS name FROM pg_tables WHERE schemaname = current_schema() \
             ORDER BY tablename"
        }
    };
    let names: Vec<String> = sqlx::query(names_sql)
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| e.to_string())?
        .iter()
        .map(|r| r.try_get::<String, _>("name"))
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    let mut counts = BTreeMap::new();
    for name in names.into_iter().filter(|n| !n.starts_with("_sqlx")) {
        // The names come from the catalogue, not from a user; quoted all the same.
        let n: i64 = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) AS n FROM \"{}\"",
            name.replace('"', "\"\"")
        )))
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| e.to_string())?
        .try_get("n")
        .map_err(|e| e.to_string())?;
        counts.insert(name, n);
    }
    Ok(counts)
}

/// Copies every file of `from` that `to` lacks; returns how many files `to` then holds of them.
fn copy_files(from: &Path, to: &Path) -> Result<usize, String> {
    if !from.exists() {
        return Ok(0);
    }
    std::fs::create_dir_all(to).map_err(|e| io("cannot create", to, e))?;
    let mut n = 0;
    for entry in std::fs::read_dir(from).map_err(|e| io("cannot read", from, e))? {
        let entry = entry.map_err(|e| io("cannot read", from, e))?;
        // An upload still being received is a `.part` file: not evidence yet.
        if !entry.file_type().map(|t| t.is_file()).unwrap_or(false)
            || entry.file_name().to_string_lossy().ends_with(".part")
        {
            continue;
        }
        let target = to.join(entry.file_name());
        if !target.exists() {
            // Written under a temporary name first, so a half-copied file never looks whole.
            let part = to.join(format!("{}.part", entry.file_name().to_string_lossy()));
            std::fs::copy(entry.path(), &part).map_err(|e| io("cannot copy", &entry.path(), e))?;
            std::fs::rename(&part, &target).map_err(|e| io("cannot write", &target, e))?;
        }
        n += 1;
    }
    Ok(n)
}

fn pg_tool(name: &str, args: &[&str]) -> Result<(), String> {
    let out = std::process::Command::new(name)
        .args(args)
        .output()
        .map_err(|e| {
            format!(
                "{name} tidak dapat dijalankan ({e}). Pasang klien PostgreSQL (paket Debian \
                 postgresql-client) dengan versi sama atau lebih baru dari servernya."
            )
        })?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{name} gagal: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Takes a consistent copy of the database at `url` and the evidence in `files` into the new
/// folder `dest` (which must not hold a backup yet).
pub async fn backup(url: &str, files: &Path, dest: &Path) -> Result<Manifest, String> {
    let db = Db::connect(url).await.map_err(|e| e.to_string())?;
    std::fs::create_dir_all(dest).map_err(|e| io("cannot create", dest, e))?;
    for existing in [SQLITE_FILE, PG_FILE, MANIFEST] {
        if dest.join(existing).exists() {
            return Err(format!(
                "{} sudah berisi cadangan ({existing}); pilih folder baru.",
                dest.display()
            ));
        }
    }
    let created_at = now();
    let (backend, tables) = match db.backend {
        Backend::Sqlite => {
            let target = dest.join(SQLITE_FILE);
            sqlx::query("VACUUM INTO $1")
                .bind(target.display().to_string())
                .execute(&db.pool)
                .await
                .map_err(|e| format!("VACUUM INTO gagal: {e}"))?;
            let copy = Db::connect(&format!("sqlite://{}", target.display()))
                .await
                .map_err(|e| e.to_string())?;
            let tables = table_counts(&copy).await?;
            copy.pool.close().await;
            ("sqlite", tables)
        }
        Backend::Postgres => {
            // One snapshot for pg_dump and for the counts: a repeatable-read transaction exports
            // it and stays open while pg_dump reads it, so the manifest counts the copy exactly.
            let target = dest.join(PG_FILE);
            let mut tx = db.pool.begin().await.map_err(|e| e.to_string())?;
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(&mut *tx)
                .await
                .map_err(|e| e.to_string())?;
            let snapshot: String = sqlx::query("SELECT pg_export_snapshot() AS s")
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| e.to_string())?
                .try_get("s")
                .map_err(|e| e.to_string())?;
            let tables = counts_on(&mut tx, Backend::Postgres).await?;
            let file = target.display().to_string();
            let url = url.to_string();
            tokio::task::spawn_blocking(move || {
                pg_tool(
                    "pg_dump",
                    &[
                        "--format=custom",
                        "--no-owner",
                        &format!("--snapshot={snapshot}"),
                        "--file",
                        &file,
                        &url,
                    ],
                )
            })
            .await
            .map_err(|e| e.to_string())??;
            tx.rollback().await.map_err(|e| e.to_string())?;
            ("postgres", tables)
        }
    };
    db.pool.close().await;
    let files = tokio::task::spawn_blocking({
        let (from, to) = (files.to_path_buf(), dest.join("bukti"));
        move || copy_files(&from, &to)
    })
    .await
    .map_err(|e| e.to_string())??;
    let manifest = Manifest {
        created_at,
        backend: backend.to_string(),
        tables,
        files,
    };
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    std::fs::write(dest.join(MANIFEST), text)
        .map_err(|e| io("cannot write", &dest.join(MANIFEST), e))?;
    Ok(manifest)
}

/// Reads a backup's manifest.
pub fn read_manifest(src: &Path) -> Result<Manifest, String> {
    let path = src.join(MANIFEST);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{} bukan folder cadangan Sinergi: {e}", src.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} rusak: {e}", path.display()))
}

/// Puts the backup in `src` back into the database at `url` and the evidence folder `files`;
/// returns the manifest and (on SQLite) where the replaced database file was kept.
pub async fn restore(
    url: &str,
    files: &Path,
    src: &Path,
) -> Result<(Manifest, Option<PathBuf>), String> {
    let manifest = read_manifest(src)?;
    let kept = if let Some(path) = sqlite_path(url) {
        if manifest.backend != "sqlite" {
            return Err(format!(
                "Cadangan ini dari {}, bukan SQLite; pulihkan ke basis data {0}.",
                manifest.backend
            ));
        }
        let copy = src.join(SQLITE_FILE);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| io("cannot create", dir, e))?;
        }
        // Copied beside the database under a temporary name, and checked whole and readable
        // there, before anything is replaced.
        let part = PathBuf::from(format!("{}.memulihkan", path.display()));
        std::fs::copy(&copy, &part).map_err(|e| io("cannot copy", &copy, e))?;
        let check = Db::connect(&format!("sqlite://{}", part.display()))
            .await
            .map_err(|e| format!("{} tidak dapat dibuka: {e}", copy.display()))?;
        let ok: String = sqlx::query("PRAGMA integrity_check")
            .fetch_one(&check.pool)
            .await
            .map_err(|e| e.to_string())?
            .try_get(0)
            .map_err(|e| e.to_string())?;
        let counts = table_counts(&check).await?;
        check.pool.close().await;
        if ok != "ok" || counts != manifest.tables {
            let _ = std::fs::remove_file(&part);
            return Err(format!(
                "{} tidak utuh (integrity_check: {ok}); tidak ada yang diubah.",
                copy.display()
            ));
        }
        let mut kept = None;
        if path.exists() {
            let aside = PathBuf::from(format!("{}.sebelum-pulih-{}", path.display(), now()));
            std::fs::rename(&path, &aside).map_err(|e| io("cannot move", &path, e))?;
            kept = Some(aside);
        }
        for suffix in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{suffix}", path.display()));
            if side.exists() {
                std::fs::remove_file(&side).map_err(|e| io("cannot remove", &side, e))?;
            }
        }
        std::fs::rename(&part, &path).map_err(|e| io("cannot write", &path, e))?;
        kept
    } else {
        if manifest.backend != "postgres" {
            return Err(format!(
                "Cadangan ini dari {}, bukan PostgreSQL; pulihkan ke basis data {0}.",
                manifest.backend
            ));
        }
        let file = src.join(PG_FILE).display().to_string();
        let url = url.to_string();
        tokio::task::spawn_blocking(move || {
            pg_tool(
                "pg_restore",
                &[
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--dbname",
                    &url,
                    &file,
                ],
            )
        })
        .await
        .map_err(|e| e.to_string())??;
        None
    };
    tokio::task::spawn_blocking({
        let (from, to) = (src.join("bukti"), files.to_path_buf());
        move || copy_files(&from, &to)
    })
    .await
    .map_err(|e| e.to_string())??;
    Ok((manifest, kept))
}
