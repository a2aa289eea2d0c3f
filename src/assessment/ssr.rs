//! Writing the ledger: one transaction holds the level entry and its event row.

use super::Stage;
use crate::dashboard::ssr::load_cycle;
use crate::error::AppError;
use crate::scoring::ratio::Ratio;
use crate::server::db::{now, record_event, Db};
use sqlx::Row;

/// A level claim as an operator or a (later) form submits it.
pub struct LevelClaim<'a> {
    pub cycle_id: i64,
    pub indicator: &'a str,
    pub stage: Stage,
    pub level: &'a str,
    pub justification: &'a str,
    pub actor_id: Option<i64>,
}

/// Appends a level entry to the ledger with its event; returns the event number.
/// Refuses an unknown cycle (or one of another instansi), an unknown indicator and a level
/// outside 1–5, naming the problem; on refusal nothing is written.
pub async fn record_level(
    db: &Db,
    instansi_id: i64,
    claim: LevelClaim<'_>,
) -> Result<i64, AppError> {
    let cycle = load_cycle(db, instansi_id, Some(claim.cycle_id)).await?;
    if cycle
        .framework
        .indicator_position(claim.indicator)
        .is_none()
    {
        return Err(AppError::Invalid(format!(
            "Indikator '{}' tidak ada pada kerangka {}.",
            claim.indicator, cycle.framework.name
        )));
    }
    let level = Ratio::parse(claim.level)
        .map_err(|_| AppError::Invalid(format!("Level '{}' bukan angka.", claim.level)))?;
    if level < Ratio::from_int(1) || level > Ratio::from_int(5) || level.denom() > 1_000_000 {
        return Err(AppError::Invalid(format!(
            "Level '{}' di luar rentang 1 sampai 5.",
            claim.level
        )));
    }
    let mut tx = db.pool.begin().await?;
    let entry_id: i64 = sqlx::query(
        "INSERT INTO level_entry (instansi_id, cycle_id, indicator_code, stage, level_num, \
         level_den, justification, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(instansi_id)
    .bind(cycle.id)
    .bind(claim.indicator)
    .bind(claim.stage.as_str())
    .bind(level.numer() as i64)
    .bind(level.denom() as i64)
    .bind(claim.justification)
    .bind(claim.actor_id)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    let event = record_event(
        &mut tx,
        instansi_id,
        "level.dicatat",
        &format!("siklus/{}/indikator/{}", cycle.id, claim.indicator),
        &serde_json::json!({
            "entri": entry_id,
            "siklus": cycle.id,
            "indikator": claim.indicator,
            "tahap": claim.stage.as_str(),
            "level": level.to_exact_string(),
        }),
        claim.actor_id,
    )
    .await?;
    tx.commit().await?;
    Ok(event)
}
