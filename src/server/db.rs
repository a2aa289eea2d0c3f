//! The database: one pool, SQLite or PostgreSQL chosen at run time by the URL.
//!
//! Queries go through sqlx's `Any` driver with `$n` placeholders, which both backends accept,
//! so there is one copy of every query. The schema has one migration set per backend.

use crate::error::AppError;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The one pool of the application, and which backend it talks to.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// Unix seconds now.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("DATABASE_URL must start with sqlite: or postgres:, got '{0}'")]
    UnknownScheme(String),
    #[error("cannot create the data directory {0}: {1}")]
    DataDir(String, std::io::Error),
    #[error("cannot connect to the database: {0}")]
    Connect(sqlx::Error),
    #[error("cannot migrate the database: {0}")]
    Migrate(sqlx::migrate::MigrateError),
}

impl Db {
    /// Connects (creating a SQLite file and its directory when missing).
    pub async fn connect(url: &str) -> Result<Db, DbSetupError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(DbSetupError::UnknownScheme(url.to_string()));
        };
        let mut url = url.to_string();
        if backend == Backend::Sqlite {
            if let Some(path) = sqlite_path(&url) {
                if let Some(dir) = path.parent() {
                    if !dir.as_os_str().is_empty() {
                        std::fs::create_dir_all(dir)
                            .map_err(|e| DbSetupError::DataDir(dir.display().to_string(), e))?;
                    }
                }
            }
            if !url.contains("mode=") {
                url.push_str(if url.contains('?') {
                    "&mode=rwc"
                } else {
                    "?mode=rwc"
                });
            }
        }
        let opts = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10));
        let opts = if backend == Backend::Sqlite {
            opts.after_connect(|conn, _meta| {
                Box::pin(async move {
                    // WAL lets readers run beside the writer; FULL sync means an acknowledged
                    // commit survives a killed process and a power cut.
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = FULL").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    conn.execute("PRAGMA busy_timeout = 5000").await?;
                    Ok(())
                })
            })
        } else {
            opts
        };
        let pool = opts.connect(&url).await.map_err(DbSetupError::Connect)?;
        Ok(Db { pool, backend })
    }

    /// Begins a write transaction. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), waiting its turn through the busy timeout: a deferred transaction that reads
    /// first and writes later would instead fail at once when another writer committed in
    /// between (SQLITE_BUSY_SNAPSHOT under WAL).
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    pub async fn migrate(&self) -> Result<(), DbSetupError> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&self.pool)
            .await
            .map_err(DbSetupError::Migrate)
    }
}

/// The file of an SQLite URL (`None` for another backend or an in-memory database).
pub fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or("");
    (!path.is_empty() && path != ":memory:").then(|| std::path::PathBuf::from(path))
}

/// How many event rows this process has written (committed or not): a request that moved it
/// wakes the live streams once it has answered, when its transaction is committed
/// ([`crate::server::wake_live`]).
pub static EVENTS_RECORDED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Writes the event row of a change, inside the change's own transaction, and returns its number.
pub async fn record_event(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    instansi_id: i64,
    kind: &str,
    subject: &str,
    payload: &serde_json::Value,
    actor_id: Option<i64>,
) -> Result<i64, AppError> {
    // PostgreSQL hands out ids at insert, not at commit: two transactions could commit their
    // events out of order and a reader past the later id would never see the earlier one. One
    // lock per instansi, held to commit, makes event ids commit in order. (SQLite writers are
    // serial already.)
    if tx.backend_name() == "PostgreSQL" {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(instansi_id)
            .execute(&mut **tx)
            .await?;
    }
    let row: AnyRow = sqlx::query(
        "INSERT INTO event (instansi_id, kind, subject, payload, actor_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(instansi_id)
    .bind(kind)
    .bind(subject)
    .bind(payload.to_string())
    .bind(actor_id)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?;
    EVENTS_RECORDED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    if tx.backend_name() == "PostgreSQL" {
        // Delivered at commit (and never for a rolled-back change) to every instance listening.
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(crate::live::ssr::CHANNEL)
            .bind(instansi_id.to_string())
            .execute(&mut **tx)
            .await?;
    }
    Ok(row.try_get("id")?)
}
