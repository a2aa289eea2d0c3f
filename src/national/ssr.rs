//! The national roll-up's reads: every instansi's current cycle and its levels in force, in two
//! queries whatever the number of instansi, scored with the shared engine.

use super::{rules, Rollup, RollupRow};
use crate::dashboard::ssr::{figure, stage_score};
use crate::dashboard::Stage;
use crate::error::AppError;
use crate::scoring::ratio::Ratio;
use crate::scoring::Framework;
use crate::server::db::Db;
use sqlx::Row;
use std::collections::HashMap;

/// The current cycle of an instansi, as `load_cycle` chooses it: the one marked current, else
/// the newest.
const CURRENT_CYCLE: &str = "(SELECT c2.id FROM cycle c2 WHERE c2.instansi_id = i.id \
     ORDER BY c2.is_current DESC, c2.year DESC, c2.id DESC LIMIT 1)";

/// A published index (scaled by `decimals`) in hundredths, rounded half up.
fn hundredths(published: i128, decimals: u32) -> i64 {
    if decimals <= 2 {
        (published * 10i128.pow(2 - decimals)) as i64
    } else {
        let d = 10i128.pow(decimals - 2);
        ((published * 2 + d) / (2 * d)) as i64
    }
}

pub async fn rollup(db: &Db) -> Result<Rollup, AppError> {
    let instansi = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT i.code, i.name, c.id AS cycle_id, c.name AS cycle_name, c.pack_id \
         FROM instansi i JOIN cycle c ON c.id = {CURRENT_CYCLE} ORDER BY i.name, i.code"
    )))
    .fetch_all(&db.pool)
    .await?;
    let mut packs: HashMap<i64, Framework> = HashMap::new();
    for r in sqlx::query("SELECT id, document FROM framework_pack")
        .fetch_all(&db.pool)
        .await?
    {
        let doc: String = r.try_get("document")?;
        let f = Framework::from_json(&doc).map_err(|e| {
            tracing::error!(error = %e, "stored framework pack is invalid");
            AppError::Internal
        })?;
        packs.insert(r.try_get("id")?, f);
    }
    // The levels in force of every current cycle, for the three stages the roll-up shows.
    let mut levels: HashMap<i64, HashMap<Stage, HashMap<String, Ratio>>> = HashMap::new();
    // The newest entry per (cycle, stage, indicator) of the current cycles, found by one
    // grouped pass over the ledger index, then joined back for its level. (A per-row "is this
    // the newest?" subquery, as the one-cycle dashboard uses, took PostgreSQL 3 s at 600
    // instansi; see bench/national.rs.)
    for r in sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT le.cycle_id, le.stage, le.indicator_code, le.level_num, le.level_den \
         FROM level_entry le JOIN ( \
           SELECT x.cycle_id, x.stage, x.indicator_code, MAX(x.id) AS id FROM level_entry x \
           WHERE x.stage IN ('mandiri', 'verifikasi', 'akhir') \
             AND x.cycle_id IN (SELECT {CURRENT_CYCLE} FROM instansi i) \
           GROUP BY x.cycle_id, x.stage, x.indicator_code) newest ON newest.id = le.id"
    )))
    .fetch_all(&db.pool)
    .await?
    {
        let Some(stage) = Stage::parse(&r.try_get::<String, _>("stage")?) else {
            continue;
        };
        let level = Ratio::new(
            r.try_get::<i64, _>("level_num")? as i128,
            r.try_get::<i64, _>("level_den")? as i128,
        )
        .ok_or(AppError::Internal)?;
        levels
            .entry(r.try_get("cycle_id")?)
            .or_default()
            .entry(stage)
            .or_default()
            .insert(r.try_get("indicator_code")?, level);
    }
    let mut rows = Vec::with_capacity(instansi.len());
    let mut order: Vec<String> = Vec::new();
    for r in &instansi {
        let cycle_id: i64 = r.try_get("cycle_id")?;
        let pack: i64 = r.try_get("pack_id")?;
        let Some(f) = packs.get(&pack) else {
            continue;
        };
        for p in f.predicates.iter().rev() {
            if !order.contains(&p.name) {
                order.push(p.name.clone());
            }
        }
        let cycle_levels = levels.get(&cycle_id);
        let score = |stage: Stage| stage_score(f, cycle_levels.and_then(|l| l.get(&stage)));
        let (mandiri_filled, mandiri) = score(Stage::Mandiri);
        let (_, verifikasi) = score(Stage::Verifikasi);
        let (_, akhir) = score(Stage::Akhir);
        let headline = akhir.as_ref().or(verifikasi.as_ref()).or(mandiri.as_ref());
        let fig = |s: &Option<crate::scoring::Score>| {
            s.as_ref().map(|s| figure(s.published, s.exact, s.decimals))
        };
        rows.push(RollupRow {
            code: r.try_get("code")?,
            name: r.try_get("name")?,
            cycle: Some(r.try_get("cycle_name")?),
            framework: Some(f.name.clone()),
            indicators: f.indicators.len(),
            mandiri_filled,
            mandiri: fig(&mandiri),
            verifikasi: fig(&verifikasi),
            akhir: fig(&akhir),
            predicate: headline.map(|s| s.predicate.clone()),
            headline: headline.map(|s| hundredths(s.published, s.decimals)),
        });
    }
    // Highest first; those without a complete stage last, by name.
    rows.sort_by(|a, b| {
        b.headline
            .cmp(&a.headline)
            .then_with(|| a.name.cmp(&b.name))
    });
    let pairs: Vec<(Option<i64>, Option<String>)> = rows
        .iter()
        .map(|r| (r.headline, r.predicate.clone()))
        .collect();
    let order: Vec<&str> = order.iter().map(String::as_str).collect();
    let summary = rules::summarise(&pairs, &order);
    Ok(Rollup { rows, summary })
}

#[cfg(test)]
mod tests {
    #[test]
    fn published_figures_become_hundredths() {
        assert_eq!(super::hundredths(432, 2), 432);
        assert_eq!(super::hundredths(43, 1), 430);
        assert_eq!(super::hundredths(4325, 3), 433);
        assert_eq!(super::hundredths(4324, 3), 432);
    }
}
