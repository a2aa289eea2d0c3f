//! `sinergi synthesize`: a national-scale synthetic dataset for measuring (issue 6): N instansi,
//! each with one SPBE cycle per year for Y years and a level for every indicator in every
//! stage (Target, Mandiri, Verifikasi, Eksternal, Akhir). 600 × 8 × 47 × 5 = 1,128,000 ledger
//! entries at the default size.
//!
//! The data are deterministic (a small PRNG seeded by the instansi's number), so two runs give
//! the same figures. Each instansi is one transaction with its own event row; a re-run adds only
//! the instansi that are missing.

use super::db::{now, record_event, Db};
use super::pack_id;
use crate::error::AppError;
use crate::scoring::Framework;
use sqlx::Row;

/// The stages, in ledger order.
const STAGES: [&str; 5] = ["target", "mandiri", "verifikasi", "eksternal", "akhir"];
/// Rows per INSERT statement (7 parameters each: well under every backend's limit).
const BATCH: usize = 400;

/// The code of the n-th synthetic instansi (from 1).
pub fn code(n: usize) -> String {
    format!("sintetis-{n:04}")
}

/// A tiny deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// 0..n
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The five stage levels of one indicator in one year: maturity grows over the years, the
/// self-assessment is a little optimistic, verification and the final result a little lower.
pub fn levels(instansi: usize, year_index: usize, years: usize, indicator: usize) -> [i64; 5] {
    let mut r = Rng((instansi as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ ((year_index as u64) << 32)
        ^ (indicator as u64 + 7));
    r.next();
    let progress = (year_index * 3) / years.max(1); // 0..=2 over the years
    let base = (1 + progress as i64 + r.below(3) as i64).min(5);
    let target = (base + 1).min(5);
    let mandiri = (base + r.below(2) as i64).min(5);
    let verifikasi = (mandiri - r.below(2) as i64).max(1);
    let eksternal = (verifikasi - (r.below(4) == 0) as i64).max(1);
    [target, mandiri, verifikasi, eksternal, eksternal]
}

/// Adds the synthetic instansi 1..=`count` that are missing, each with `years` cycles ending in
/// `last_year`; calls `progress(done, count)` after each. Returns how many were added.
pub async fn synthesize(
    db: &Db,
    count: usize,
    years: usize,
    last_year: i64,
    mut progress: impl FnMut(usize, usize),
) -> Result<usize, AppError> {
    if count == 0 || count > 10_000 || years == 0 || years > 30 {
        return Err(AppError::Invalid(
            "Jumlah instansi harus 1–10.000 dan jumlah tahun 1–30.".into(),
        ));
    }
    super::load_builtin_packs(db).await?;
    let pack = pack_id(db, "spbe-2020").await?;
    let doc: String = sqlx::query("SELECT document FROM framework_pack WHERE id = $1")
        .bind(pack)
        .fetch_one(&db.pool)
        .await?
        .try_get("document")?;
    let f = Framework::from_json(&doc).map_err(|_| AppError::Internal)?;
    let codes: Vec<String> = f.indicators.iter().map(|i| i.code.clone()).collect();
    let mut added = 0;
    for n in 1..=count {
        let exists = sqlx::query("SELECT id FROM instansi WHERE code = $1")
            .bind(code(n))
            .fetch_optional(&db.pool)
            .await?
            .is_some();
        if !exists {
            one(db, n, years, last_year, pack, &codes).await?;
            added += 1;
        }
        progress(n, count);
    }
    Ok(added)
}

async fn one(
    db: &Db,
    n: usize,
    years: usize,
    last_year: i64,
    pack: i64,
    codes: &[String],
) -> Result<(), AppError> {
    let t = now();
    let mut tx = db.begin().await?;
    let instansi: i64 = sqlx::query(
        "INSERT INTO instansi (code, name, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(code(n))
    .bind(format!("Pemerintah Daerah Sintetis {n:04}"))
    .bind(t)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    let mut rows: Vec<(i64, String, &'static str, i64)> = Vec::new();
    for y in 0..years {
        let year = last_year - (years - 1 - y) as i64;
        let cycle: i64 = sqlx::query(
            "INSERT INTO cycle (instansi_id, pack_id, name, year, is_current, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(instansi)
        .bind(pack)
        .bind(format!("SPBE {year}"))
        .bind(year)
        .bind(i64::from(y == years - 1))
        .bind(t)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        for (i, c) in codes.iter().enumerate() {
            for (stage, level) in STAGES.iter().zip(levels(n, y, years, i)) {
                rows.push((cycle, c.clone(), stage, level));
            }
        }
    }
    for chunk in rows.chunks(BATCH) {
        let values: Vec<String> = (0..chunk.len())
            .map(|k| {
                let b = k * 6;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, 1, 'sintetis', ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6
                )
            })
            .collect();
        // Only placeholders are assembled here; every value is bound.
        let sql = format!(
            "INSERT INTO level_entry (instansi_id, cycle_id, indicator_code, stage, level_num, \
             level_den, justification, created_at) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (cycle, c, stage, level) in chunk {
            q = q
                .bind(instansi)
                .bind(*cycle)
                .bind(c.as_str())
                .bind(*stage)
                .bind(*level)
                .bind(t);
        }
        q.execute(&mut *tx).await?;
    }
    record_event(
        &mut tx,
        instansi,
        "sintetis.dibuat",
        "instansi",
        &serde_json::json!({ "years": years, "entries": rows.len() }),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_in_range_deterministic_and_grow_over_the_years() {
        let mut first = 0;
        let mut last = 0;
        for n in 1..=50 {
            for i in 0..47 {
                let a = levels(n, 0, 8, i);
                assert_eq!(a, levels(n, 0, 8, i));
                for l in a.iter().chain(levels(n, 7, 8, i).iter()) {
                    assert!((1..=5).contains(l));
                }
                first += a[1];
                last += levels(n, 7, 8, i)[1];
            }
        }
        assert!(last > first, "Mandiri grows: {first} → {last}");
        assert_eq!(code(7), "sintetis-0007");
    }
}
