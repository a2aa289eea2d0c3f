//! Evidence on the server: streaming upload with hashing and checks, links, deletion, permission-
//! checked download, and the library query.
//!
//! Files are content-addressed (`<files>/<sha256>`): a re-upload of the same content is
//! recognised, a new version never touches an old one. An upload is first streamed to a
//! temporary file that is removed on every failure, so a refused upload leaves nothing behind.

use super::rules;
use super::store::FileStore;
use super::{EvidenceItem, EvidenceLibrary, VersionRow};
use crate::assessment::{may_add_evidence, OpdRef};
use crate::auth::ssr::{session_token, user_for_token};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::format::{bytes_id, datetime_id};
use crate::server::db::{now, record_event};
use crate::server::AppState;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use http::{header, HeaderMap, HeaderValue, StatusCode};
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::collections::HashMap;
use std::path::{Path as FsPath, PathBuf};
use tokio::io::AsyncWriteExt;

/// Serialises changes to the content-addressed file store within this process.
static STORE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Back to the library with a message for the person (shown on the page).
fn back(result: Result<String, String>) -> Response {
    let (key, text) = match result {
        Ok(m) => ("ok", m),
        Err(m) => ("galat", m),
    };
    let encoded: String = form_urlencoded::byte_serialize(text.as_bytes()).collect();
    Redirect::to(&format!("/bukti?{key}={encoded}")).into_response()
}

async fn caller(state: &AppState, headers: &HeaderMap) -> Result<CurrentUser, AppError> {
    match session_token(headers) {
        Some(t) => user_for_token(&state.db, &t)
            .await?
            .ok_or(AppError::Unauthorized),
        None => Err(AppError::Unauthorized),
    }
}

fn internal(e: impl std::fmt::Display) -> String {
    tracing::error!(error = %e, "evidence storage failed");
    AppError::Internal.to_string()
}

/// A temporary upload file, removed when dropped unless it was moved into the store.
struct TempFile {
    path: PathBuf,
    keep: bool,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn temp_name() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}-{}.part",
        std::process::id(),
        now(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// A streamed, hashed upload.
struct Received {
    temp: TempFile,
    name: String,
    size: u64,
    sha256: String,
    head: Vec<u8>,
}

/// The text fields and the file of an upload form. Too large a file is refused while it
/// streams (the rest of the request is read and discarded, so the browser gets our answer).
async fn receive(
    files: &FsPath,
    max: u64,
    multipart: &mut Multipart,
) -> Result<(HashMap<String, String>, Option<Received>), String> {
    let broken = |e: axum::extract::multipart::MultipartError| {
        tracing::warn!(error = %e, "upload interrupted");
        "Unggahan terputus atau tidak valid; silakan coba lagi.".to_string()
    };
    let mut fields = HashMap::new();
    let mut file = None;
    let mut too_large = false;
    while let Some(mut field) = multipart.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "berkas" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            if file_name.is_empty() {
                // The browser sends an empty part when no file was chosen.
                while field.chunk().await.map_err(broken)?.is_some() {}
                continue;
            }
            let tmp_dir = files.join("tmp");
            tokio::fs::create_dir_all(&tmp_dir)
                .await
                .map_err(internal)?;
            let temp = TempFile {
                path: tmp_dir.join(temp_name()),
                keep: false,
            };
            let mut out = tokio::fs::File::create(&temp.path)
                .await
                .map_err(internal)?;
            let mut hasher = Sha256::new();
            let mut size: u64 = 0;
            let mut head = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(broken)? {
                size += chunk.len() as u64;
                if size > max {
                    too_large = true;
                    continue; // drain, keep nothing
                }
                if head.len() < 16 {
                    head.extend(chunk.iter().take(16 - head.len()));
                }
                hasher.update(&chunk);
                out.write_all(&chunk).await.map_err(internal)?;
            }
            out.flush().await.map_err(internal)?;
            out.sync_all().await.map_err(internal)?;
            file = Some(Received {
                temp,
                name: file_name,
                size,
                sha256: hex::encode(hasher.finalize()),
                head,
            });
        } else {
            let mut text = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(broken)? {
                if text.len() + chunk.len() > 16 * 1024 {
                    return Err(format!("Isian '{name}' terlalu panjang."));
                }
                text.extend_from_slice(&chunk);
            }
            fields.insert(name, String::from_utf8_lossy(&text).into_owned());
        }
    }
    if too_large {
        return Err(format!(
            "Berkas terlalu besar: maksimal {}.",
            bytes_id(max as i64)
        ));
    }
    Ok((fields, file))
}

/// Metadata of a new evidence item, checked.
struct Meta {
    title: String,
    doc_type: &'static str,
    number: String,
    year: Option<i64>,
    opd_id: Option<i64>,
    valid_until: Option<String>,
}

async fn meta(
    state: &AppState,
    user: &CurrentUser,
    f: &HashMap<String, String>,
) -> Result<Meta, String> {
    let get = |k: &str| f.get(k).map(|s| s.as_str()).unwrap_or("");
    let opd_id = match get("opd").trim() {
        "" => None,
        t => {
            let id: i64 = t.parse().map_err(|_| "OPD tidak dikenal.".to_string())?;
            let found = sqlx::query("SELECT id FROM opd WHERE id = $1 AND instansi_id = $2")
                .bind(id)
                .bind(user.instansi_id)
                .fetch_optional(&state.db.pool)
                .await
                .map_err(internal)?;
            if found.is_none() {
                return Err("OPD tidak dikenal.".into());
            }
            Some(id)
        }
    };
    let number = get("nomor").trim().to_string();
    if number.chars().count() > 100 {
        return Err("Nomor dokumen terlalu panjang (maksimal 100 karakter).".into());
    }
    Ok(Meta {
        title: rules::check_title(get("judul"))?,
        doc_type: rules::check_doc_type(if get("jenis").is_empty() {
            "lainnya"
        } else {
            get("jenis")
        })?,
        number,
        year: rules::check_year(get("tahun"))?,
        opd_id,
        valid_until: rules::check_date(get("berlaku"))?,
    })
}

/// The evidence item a new version is for (`bukti` field), checked against the tenant.
async fn existing_item(
    state: &AppState,
    user: &CurrentUser,
    f: &HashMap<String, String>,
) -> Result<Option<i64>, String> {
    let Some(text) = f.get("bukti").map(|s| s.trim()).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let id: i64 = text
        .parse()
        .map_err(|_| "Data dukung tidak ditemukan.".to_string())?;
    let found = sqlx::query("SELECT id FROM evidence WHERE id = $1 AND instansi_id = $2")
        .bind(id)
        .bind(user.instansi_id)
        .fetch_optional(&state.db.pool)
        .await
        .map_err(internal)?;
    found
        .map(|_| Some(id))
        .ok_or_else(|| "Data dukung tidak ditemukan.".to_string())
}

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

async fn insert_item(tx: &mut Tx<'_>, user: &CurrentUser, m: &Meta) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO evidence (instansi_id, title, doc_type, doc_number, doc_year, opd_id, \
         valid_until, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         RETURNING id",
    )
    .bind(user.instansi_id)
    .bind(&m.title)
    .bind(m.doc_type)
    .bind(&m.number)
    .bind(m.year)
    .bind(m.opd_id)
    .bind(m.valid_until.as_deref())
    .bind(user.id)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")
}

/// The next version number of an item.
async fn next_version(tx: &mut Tx<'_>, evidence_id: i64) -> Result<i64, sqlx::Error> {
    let row = sqlx::query(
        "SELECT COALESCE(MAX(version), 0) AS v FROM evidence_version WHERE evidence_id = $1",
    )
    .bind(evidence_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get::<i64, _>("v")? + 1)
}

pub async fn upload_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let user = match caller(&state, &headers).await {
        Ok(u) => u,
        Err(_) => return Redirect::to("/masuk?lanjut=%2Fbukti").into_response(),
    };
    back(upload(&state, &user, &mut multipart).await)
}

async fn upload(
    state: &AppState,
    user: &CurrentUser,
    multipart: &mut Multipart,
) -> Result<String, String> {
    if !may_add_evidence(user.role) {
        return Err(AppError::Forbidden.to_string());
    }
    let (fields, file) = receive(&state.files, state.max_upload, multipart).await?;
    let mut file = file.ok_or_else(|| "Pilih berkas yang akan diunggah.".to_string())?;
    if file.size == 0 {
        return Err("Berkas kosong; tidak ada yang diunggah.".into());
    }
    let name = rules::check_file_name(&file.name)?;
    let media_type = rules::media_type(&name, &file.head)?;
    let existing = existing_item(state, user, &fields).await?;
    let meta = match existing {
        Some(_) => None,
        None => Some(meta(state, user, &fields).await?),
    };
    // A new version identical to the item's newest one adds nothing.
    if let Some(item) = existing {
        let newest = sqlx::query(
            "SELECT sha256, version FROM evidence_version WHERE evidence_id = $1 \
             ORDER BY version DESC LIMIT 1",
        )
        .bind(item)
        .fetch_optional(&state.db.pool)
        .await
        .map_err(internal)?;
        if let Some(row) = newest {
            if row
                .try_get::<Option<String>, _>("sha256")
                .map_err(internal)?
                .as_deref()
                == Some(file.sha256.as_str())
            {
                let v: i64 = row.try_get("version").map_err(internal)?;
                return Ok(format!(
                    "Isi berkas sama dengan versi {v}; tidak ada versi baru yang dibuat."
                ));
            }
        }
    }
    // The same content as another item of this instansi is recognised, not stored twice (a new
    // version of an item is kept even when another item holds the same content).
    let same = sqlx::query(
        "SELECT e.title, v.version FROM evidence_version v JOIN evidence e ON e.id = v.evidence_id \
         WHERE v.instansi_id = $1 AND v.sha256 = $2 ORDER BY v.id LIMIT 1",
    )
    .bind(user.instansi_id)
    .bind(&file.sha256)
    .fetch_optional(&state.db.pool)
    .await
    .map_err(internal)?;
    if let (Some(row), None) = (same, existing) {
        let title: String = row.try_get("title").map_err(internal)?;
        let version: i64 = row.try_get("version").map_err(internal)?;
        return Ok(format!(
            "Berkas ini sudah ada di pustaka sebagai '{title}' versi {version}; tidak disimpan dua kali."
        ));
    }
    // The store is shared by every instansi: placing a file and committing its row must not
    // interleave with a delete that removes an unreferenced file of the same content.
    let _store = STORE.lock().await;
    let created = state
        .store
        .place(&file.sha256, &file.temp.path)
        .await
        .map_err(internal)?;
    // A local store moved the received file into place; an object store copied it.
    if created && matches!(state.store, FileStore::Local(_)) {
        file.temp.keep = true;
    }
    let result = async {
        let mut tx = state.db.begin().await?;
        let evidence_id = match (existing, &meta) {
            (Some(id), _) => id,
            (None, Some(m)) => insert_item(&mut tx, user, m).await?,
            (None, None) => unreachable!("metadata is read for every new item"),
        };
        let version = next_version(&mut tx, evidence_id).await?;
        let version_id: i64 = sqlx::query(
            "INSERT INTO evidence_version (evidence_id, instansi_id, version, file_name, \
             media_type, size_bytes, sha256, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(evidence_id)
        .bind(user.instansi_id)
        .bind(version)
        .bind(&name)
        .bind(media_type)
        .bind(file.size as i64)
        .bind(&file.sha256)
        .bind(user.id)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        record_event(
            &mut tx,
            user.instansi_id,
            "bukti.diunggah",
            &format!("bukti/{evidence_id}"),
            &serde_json::json!({"bukti": evidence_id, "versi": version, "versi_id": version_id}),
            Some(user.id),
        )
        .await
        .map_err(|_| sqlx::Error::Protocol("event".into()))?;
        tx.commit().await?;
        Ok::<i64, sqlx::Error>(version)
    }
    .await;
    match result {
        Ok(version) => Ok(format!("'{name}' tersimpan sebagai versi {version}.")),
        Err(e) => {
            if created {
                let _ = state.store.unplace(&file.sha256).await;
            }
            Err(internal(e))
        }
    }
}

pub async fn link_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(fields): axum::Form<HashMap<String, String>>,
) -> Response {
    let user = match caller(&state, &headers).await {
        Ok(u) => u,
        Err(_) => return Redirect::to("/masuk?lanjut=%2Fbukti").into_response(),
    };
    back(link(&state, &user, &fields).await)
}

async fn link(
    state: &AppState,
    user: &CurrentUser,
    fields: &HashMap<String, String>,
) -> Result<String, String> {
    if !may_add_evidence(user.role) {
        return Err(AppError::Forbidden.to_string());
    }
    let url = rules::check_url(fields.get("url").map(|s| s.as_str()).unwrap_or(""))?;
    let existing = existing_item(state, user, fields).await?;
    let meta = match existing {
        Some(_) => None,
        None => Some(meta(state, user, fields).await?),
    };
    let result = async {
        let mut tx = state.db.begin().await?;
        let evidence_id = match (existing, &meta) {
            (Some(id), _) => id,
            (None, Some(m)) => insert_item(&mut tx, user, m).await?,
            (None, None) => unreachable!("metadata is read for every new item"),
        };
        let version = next_version(&mut tx, evidence_id).await?;
        sqlx::query(
            "INSERT INTO evidence_version (evidence_id, instansi_id, version, url, created_by, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(evidence_id)
        .bind(user.instansi_id)
        .bind(version)
        .bind(&url)
        .bind(user.id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        record_event(
            &mut tx,
            user.instansi_id,
            "bukti.tautan",
            &format!("bukti/{evidence_id}"),
            &serde_json::json!({"bukti": evidence_id, "versi": version}),
            Some(user.id),
        )
        .await
        .map_err(|_| sqlx::Error::Protocol("event".into()))?;
        tx.commit().await?;
        Ok::<i64, sqlx::Error>(version)
    }
    .await;
    result
        .map(|v| format!("Tautan tersimpan sebagai versi {v}."))
        .map_err(internal)
}

pub async fn delete_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let user = match caller(&state, &headers).await {
        Ok(u) => u,
        Err(_) => return Redirect::to("/masuk?lanjut=%2Fbukti").into_response(),
    };
    back(delete(&state, &user, id).await)
}

async fn delete(state: &AppState, user: &CurrentUser, id: i64) -> Result<String, String> {
    if !may_add_evidence(user.role) {
        return Err(AppError::Forbidden.to_string());
    }
    let mut tx = state.db.begin().await.map_err(internal)?;
    let row = sqlx::query("SELECT title FROM evidence WHERE id = $1 AND instansi_id = $2")
        .bind(id)
        .bind(user.instansi_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(internal)?
        .ok_or_else(|| "Data dukung tidak ditemukan.".to_string())?;
    let title: String = row.try_get("title").map_err(internal)?;
    // Deleting is for whoever added it, a member of its issuing OPD, or the koordinator.
    let owner = sqlx::query("SELECT created_by, opd_id FROM evidence WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal)?;
    let created_by: Option<i64> = owner.try_get("created_by").map_err(internal)?;
    let opd: Option<i64> = owner.try_get("opd_id").map_err(internal)?;
    let member = match opd {
        Some(o) => sqlx::query("SELECT opd_id FROM user_opd WHERE user_id = $1 AND opd_id = $2")
            .bind(user.id)
            .bind(o)
            .fetch_optional(&mut *tx)
            .await
            .map_err(internal)?
            .is_some(),
        None => false,
    };
    if !(created_by == Some(user.id) || member || crate::assessment::may_set_official(user.role)) {
        return Err(format!(
            "'{title}' hanya dapat dihapus oleh pengunggahnya, anggota OPD penerbitnya, atau koordinator."
        ));
    }
    let used: i64 = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM level_entry_evidence lee \
           JOIN evidence_version v ON v.id = lee.version_id WHERE v.evidence_id = $1) + \
         (SELECT COUNT(*) FROM criterion_mark m \
           JOIN evidence_version v ON v.id = m.evidence_version_id WHERE v.evidence_id = $1) AS n",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await
    .and_then(|r| r.try_get("n"))
    .map_err(internal)?;
    if used > 0 {
        return Err(format!(
            "'{title}' dipakai oleh {used} entri penilaian atau kriteria sehingga tidak dapat \
             dihapus; unggah versi baru bila isinya berubah."
        ));
    }
    let hashes: Vec<String> = sqlx::query(
        "SELECT sha256 FROM evidence_version WHERE evidence_id = $1 AND sha256 IS NOT NULL",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await
    .map_err(internal)?
    .iter()
    .filter_map(|r| r.try_get("sha256").ok())
    .collect();
    sqlx::query("DELETE FROM evidence_version WHERE evidence_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    sqlx::query("DELETE FROM evidence WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    record_event(
        &mut tx,
        user.instansi_id,
        "bukti.dihapus",
        &format!("bukti/{id}"),
        &serde_json::json!({"bukti": id, "judul": title}),
        Some(user.id),
    )
    .await
    .map_err(|e| e.to_string())?;
    let _store = STORE.lock().await;
    tx.commit().await.map_err(internal)?;
    // Content no other version (of any instansi) refers to is removed from the store. The
    // deletion is committed: a failure here is logged, never reported as a failed delete.
    for h in hashes {
        match sqlx::query("SELECT id FROM evidence_version WHERE sha256 = $1 LIMIT 1")
            .bind(&h)
            .fetch_optional(&state.db.pool)
            .await
        {
            Ok(None) => {
                if let Err(e) = state.store.remove_unreferenced(&h).await {
                    tracing::warn!(error = %e, sha256 = %h, "could not remove an unused evidence file");
                }
            }
            Ok(Some(_)) => {}
            Err(e) => tracing::warn!(error = %e, "evidence file cleanup skipped"),
        }
    }
    Ok(format!("'{title}' dihapus."))
}

/// `GET /bukti/versi/{id}/unduh`: the file of a version, for a signed-in user of its instansi
/// (a link version redirects to its address).
pub async fn download_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let user = match caller(&state, &headers).await {
        Ok(u) => u,
        Err(_) => {
            return (StatusCode::UNAUTHORIZED, AppError::Unauthorized.to_string()).into_response()
        }
    };
    let row = match sqlx::query(
        "SELECT file_name, media_type, sha256, url FROM evidence_version \
         WHERE id = $1 AND instansi_id = $2",
    )
    .bind(id)
    .bind(user.instansi_id)
    .fetch_optional(&state.db.pool)
    .await
    {
        Ok(Some(r)) => r,
        Ok(None) => {
            return (
                StatusCode::NOT_FOUND,
                AppError::NotFound("Berkas".into()).to_string(),
            )
                .into_response()
        }
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, internal(e)).into_response(),
    };
    let url: Option<String> = row.try_get("url").unwrap_or(None);
    if let Some(url) = url {
        return Redirect::to(&url).into_response();
    }
    let sha: String = row.try_get("sha256").unwrap_or_default();
    let name: String = row.try_get("file_name").unwrap_or_default();
    let media: String = row
        .try_get("media_type")
        .unwrap_or_else(|_| "application/octet-stream".into());
    let bytes = match state.store.read(&sha).await {
        Ok(b) => b,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, internal(e)).into_response(),
    };
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&media)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

/// The library of the caller's instansi, newest item first.
pub async fn library(state: &AppState, user: &CurrentUser) -> Result<EvidenceLibrary, AppError> {
    let db = &state.db;
    let last_event = crate::live::ssr::latest_event(db, user.instansi_id).await?;
    let names = crate::assessment::ssr::user_names(db, user.instansi_id).await?;
    let opds: Vec<OpdRef> = crate::assessment::ssr::opds_of(db, user.instansi_id).await?;
    let opd_code: HashMap<i64, String> = opds.iter().map(|o| (o.id, o.code.clone())).collect();
    let items = sqlx::query(
        "SELECT e.id, e.title, e.doc_type, e.doc_number, e.doc_year, e.opd_id, e.valid_until, \
           (SELECT COUNT(*) FROM level_entry_evidence lee JOIN evidence_version v \
              ON v.id = lee.version_id WHERE v.evidence_id = e.id) + \
           (SELECT COUNT(*) FROM criterion_mark m JOIN evidence_version v \
              ON v.id = m.evidence_version_id WHERE v.evidence_id = e.id) AS used_by \
         FROM evidence e WHERE e.instansi_id = $1 ORDER BY e.id DESC",
    )
    .bind(user.instansi_id)
    .fetch_all(&db.pool)
    .await?;
    let versions = sqlx::query(
        "SELECT id, evidence_id, version, file_name, size_bytes, sha256, url, created_by, \
         created_at FROM evidence_version WHERE instansi_id = $1 ORDER BY version DESC",
    )
    .bind(user.instansi_id)
    .fetch_all(&db.pool)
    .await?;
    let mut by_item: HashMap<i64, Vec<VersionRow>> = HashMap::new();
    for v in versions {
        let id: i64 = v.try_get("id")?;
        let url: Option<String> = v.try_get("url")?;
        let sha: Option<String> = v.try_get("sha256")?;
        let by: Option<i64> = v.try_get("created_by")?;
        by_item
            .entry(v.try_get("evidence_id")?)
            .or_default()
            .push(VersionRow {
                id,
                version: v.try_get("version")?,
                file_name: v.try_get("file_name")?,
                size: v.try_get::<Option<i64>, _>("size_bytes")?.map(bytes_id),
                sha: sha.map(|s| s.chars().take(12).collect()),
                is_link: url.is_some(),
                href: crate::assessment::ssr::evidence_href(id, url),
                by: by
                    .and_then(|b| names.get(&b).cloned())
                    .unwrap_or_else(|| "–".into()),
                at: datetime_id(v.try_get("created_at")?),
            });
    }
    let items = items
        .into_iter()
        .map(|r| {
            let id: i64 = r.try_get("id")?;
            Ok(EvidenceItem {
                id,
                title: r.try_get("title")?,
                doc_type: r.try_get("doc_type")?,
                number: r.try_get("doc_number")?,
                year: r.try_get("doc_year")?,
                opd: r
                    .try_get::<Option<i64>, _>("opd_id")?
                    .and_then(|o| opd_code.get(&o).cloned()),
                valid_until: r.try_get("valid_until")?,
                versions: by_item.remove(&id).unwrap_or_default(),
                used_by: r.try_get("used_by")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(EvidenceLibrary {
        items,
        opds,
        can_add: may_add_evidence(user.role),
        max_upload: bytes_id(state.max_upload as i64),
        max_upload_bytes: state.max_upload,
        last_event,
    })
}
