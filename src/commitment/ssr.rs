//! SQL of the joint commitment.

use super::{check_text, may_publish, may_sign, CommitmentView, SignatureRow};
use crate::assessment::OpdRef;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::leadership::CommitmentCount;
use crate::server::db::{now, record_event, Db};
use crate::server::AppState;
use sqlx::Row;

/// The cycle's name, when it is a cycle of the instansi.
async fn cycle_name(db: &Db, instansi_id: i64, cycle: i64) -> Result<String, AppError> {
    let row = sqlx::query("SELECT name FROM cycle WHERE id = $1 AND instansi_id = $2")
        .bind(cycle)
        .bind(instansi_id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or_else(|| AppError::NotFound("Siklus evaluasi".into()))?;
    Ok(row.try_get("name")?)
}

/// The OPD ids the user heads.
pub async fn heads_of(db: &Db, user_id: i64) -> Result<Vec<i64>, AppError> {
    let rows = sqlx::query("SELECT opd_id FROM user_opd WHERE user_id = $1 AND is_head = 1")
        .bind(user_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| r.try_get("opd_id").map_err(AppError::from))
        .collect()
}

/// How many OPDs of the instansi have signed the cycle's commitment.
pub async fn count(db: &Db, instansi_id: i64, cycle: i64) -> Result<CommitmentCount, AppError> {
    let total: i64 = sqlx::query("SELECT COUNT(*) AS n FROM opd WHERE instansi_id = $1")
        .bind(instansi_id)
        .fetch_one(&db.pool)
        .await?
        .try_get("n")?;
    let c = sqlx::query(
        "SELECT c.id, (SELECT COUNT(*) FROM commitment_signature s WHERE s.commitment_id = c.id) \
           AS n FROM commitment c WHERE c.cycle_id = $1 AND c.instansi_id = $2",
    )
    .bind(cycle)
    .bind(instansi_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(CommitmentCount {
        published: c.is_some(),
        signed: match c {
            Some(r) => r.try_get::<i64, _>("n")? as usize,
            None => 0,
        },
        total: total as usize,
    })
}

pub async fn view(db: &Db, user: &CurrentUser, cycle: i64) -> Result<CommitmentView, AppError> {
    let last_event = crate::live::ssr::latest_event(db, user.instansi_id).await?;
    let cycle_name = cycle_name(db, user.instansi_id, cycle).await?;
    let c = sqlx::query(
        "SELECT c.id, c.title, c.body, c.published_at, u.display_name FROM commitment c \
         LEFT JOIN users u ON u.id = c.published_by WHERE c.cycle_id = $1 AND c.instansi_id = $2",
    )
    .bind(cycle)
    .bind(user.instansi_id)
    .fetch_optional(&db.pool)
    .await?;
    let heads = heads_of(db, user.id).await?;
    let opds = crate::assessment::ssr::opds_of(db, user.instansi_id).await?;
    let mut signatures = std::collections::HashMap::new();
    if let Some(c) = &c {
        let rows = sqlx::query(
            "SELECT s.opd_id, s.signed_at, u.display_name FROM commitment_signature s \
             JOIN users u ON u.id = s.user_id WHERE s.commitment_id = $1",
        )
        .bind(c.try_get::<i64, _>("id")?)
        .fetch_all(&db.pool)
        .await?;
        for r in rows {
            signatures.insert(
                r.try_get::<i64, _>("opd_id")?,
                (
                    r.try_get::<String, _>("display_name")?,
                    r.try_get::<i64, _>("signed_at")?,
                ),
            );
        }
    }
    let published = c.is_some();
    let rows: Vec<SignatureRow> = opds
        .into_iter()
        .map(|o: OpdRef| {
            let s = signatures.get(&o.id).cloned();
            SignatureRow {
                can_sign: published && s.is_none() && may_sign(&heads, o.id),
                signed_by: s.as_ref().map(|s| s.0.clone()),
                signed_at: s.map(|s| s.1),
                opd: o,
            }
        })
        .collect();
    let signed = rows.iter().filter(|r| r.signed_at.is_some()).count();
    let instansi = crate::leadership::ssr::instansi_name(db, user.instansi_id).await?;
    Ok(CommitmentView {
        cycle_id: cycle,
        template: (
            format!("Komitmen Bersama Percepatan Pemerintah Digital — {cycle_name}"),
            format!(
                "Kami, kepala perangkat daerah di lingkungan {instansi}, berkomitmen untuk:\n\n\
                 1. Menuntaskan penilaian mandiri setiap indikator yang menjadi tanggung jawab \
                 perangkat daerah kami, lengkap dengan data dukung, sebelum tenggat yang \
                 ditetapkan koordinator.\n\n\
                 2. Bekerja lintas perangkat daerah tanpa ego sektoral: berbagi data, layanan \
                 dan infrastruktur digital.\n\n\
                 3. Menindaklanjuti setiap catatan verifikasi dan rekomendasi evaluasi dengan \
                 rencana aksi yang terukur."
            ),
        ),
        cycle_name,
        instansi,
        title: c.as_ref().map(|c| c.try_get("title")).transpose()?,
        body: c.as_ref().map(|c| c.try_get("body")).transpose()?,
        published_by: c
            .as_ref()
            .map(|c| c.try_get::<Option<String>, _>("display_name"))
            .transpose()?
            .flatten(),
        published_at: c.as_ref().map(|c| c.try_get("published_at")).transpose()?,
        total: rows.len(),
        signed,
        can_publish: may_publish(user.role) && signed == 0,
        rows,
        last_event,
    })
}

pub async fn publish(
    state: &AppState,
    user: &CurrentUser,
    cycle: i64,
    title: &str,
    body: &str,
) -> Result<(), AppError> {
    if !may_publish(user.role) {
        return Err(AppError::Forbidden);
    }
    let (title, body) = check_text(title, body).map_err(AppError::Invalid)?;
    cycle_name(&state.db, user.instansi_id, cycle).await?;
    let mut tx = state.db.begin().await?;
    let existing = sqlx::query(
        "SELECT c.id, (SELECT COUNT(*) FROM commitment_signature s WHERE s.commitment_id = c.id) \
           AS n FROM commitment c WHERE c.cycle_id = $1",
    )
    .bind(cycle)
    .fetch_optional(&mut *tx)
    .await?;
    let t = now();
    match existing {
        Some(r) if r.try_get::<i64, _>("n")? > 0 => {
            return Err(AppError::Conflict(
                "Komitmen sudah ditandatangani; teksnya tidak dapat diubah lagi.".into(),
            ))
        }
        Some(r) => {
            sqlx::query(
                "UPDATE commitment SET title = $1, body = $2, published_by = $3, \
                 published_at = $4 WHERE id = $5",
            )
            .bind(&title)
            .bind(&body)
            .bind(user.id)
            .bind(t)
            .bind(r.try_get::<i64, _>("id")?)
            .execute(&mut *tx)
            .await?;
        }
        None => {
            sqlx::query(
                "INSERT INTO commitment (instansi_id, cycle_id, title, body, published_by, \
                 published_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(user.instansi_id)
            .bind(cycle)
            .bind(&title)
            .bind(&body)
            .bind(user.id)
            .bind(t)
            .execute(&mut *tx)
            .await?;
        }
    }
    record_event(
        &mut tx,
        user.instansi_id,
        "komitmen.diterbitkan",
        &format!("komitmen/{cycle}"),
        &serde_json::json!({ "judul": title }),
        Some(user.id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn sign(
    state: &AppState,
    user: &CurrentUser,
    cycle: i64,
    opd: i64,
) -> Result<(), AppError> {
    cycle_name(&state.db, user.instansi_id, cycle).await?;
    if !may_sign(&heads_of(&state.db, user.id).await?, opd) {
        return Err(AppError::Forbidden);
    }
    let mut tx = state.db.begin().await?;
    let c = sqlx::query("SELECT id FROM commitment WHERE cycle_id = $1 AND instansi_id = $2")
        .bind(cycle)
        .bind(user.instansi_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AppError::NotFound("Komitmen yang sudah diterbitkan".into()))?;
    let cid: i64 = c.try_get("id")?;
    let already = sqlx::query(
        "SELECT u.display_name FROM commitment_signature s JOIN users u ON u.id = s.user_id \
         WHERE s.commitment_id = $1 AND s.opd_id = $2",
    )
    .bind(cid)
    .bind(opd)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(r) = already {
        return Err(AppError::Conflict(format!(
            "OPD ini sudah menandatangani komitmen (oleh {}).",
            r.try_get::<String, _>("display_name")?
        )));
    }
    // Two heads of one OPD signing in the same instant: the second finds the row taken.
    let inserted = sqlx::query(
        "INSERT INTO commitment_signature (commitment_id, opd_id, user_id, signed_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (commitment_id, opd_id) DO NOTHING",
    )
    .bind(cid)
    .bind(opd)
    .bind(user.id)
    .bind(now())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Err(AppError::Conflict(
            "OPD ini baru saja menandatangani komitmen; muat ulang halaman.".into(),
        ));
    }
    record_event(
        &mut tx,
        user.instansi_id,
        "komitmen.ditandatangani",
        &format!("komitmen/{cycle}"),
        &serde_json::json!({ "opd": opd }),
        Some(user.id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
