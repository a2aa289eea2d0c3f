//! Cycles in SQL: creation with carry-forward, milestones, frozen stages, official-result
//! imports and calibration. Every write is one transaction with its event row.

use super::carry::{self, SPBE_TO_PEMDI};
use super::import::{check_rows, missing_codes, parse_csv, ImportRow};
use super::{
    CalibrationCycle, CalibrationRow, CalibrationView, CreatedCycle, CycleChoice, CycleMeta,
    DiffRow, ImportView, Milestone, PackChoice, SnapshotRow, SnapshotView, MILESTONES,
};
use crate::assessment::ssr::{check_text, evidence_by_entry, insert_entry};
use crate::assessment::{may_set_official, EvidenceRef, Stage};
use crate::auth::ssr::{session_token, user_for_token};
use crate::auth::CurrentUser;
use crate::dashboard::ssr::{current_levels, figure, load_cycle, stage_score, CycleInfo};
use crate::error::AppError;
use crate::format::{datetime_id, level_id};
use crate::scoring::ratio::Ratio;
use crate::server::db::{now, record_event, Db};
use crate::server::AppState;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use http::HeaderMap;
use sqlx::Row;
use std::collections::HashMap;

fn ratio(num: i64, den: i64) -> Result<Ratio, AppError> {
    Ratio::new(num as i128, den as i128).ok_or(AppError::Internal)
}

use crate::assessment::ssr::user_names as names;

fn name_of(names: &HashMap<i64, String>, id: Option<i64>) -> String {
    id.and_then(|i| names.get(&i).cloned())
        .unwrap_or_else(|| "Sistem".into())
}

/// The entry in force per indicator for one stage: (entry id, level).
async fn entries_in_force(
    db: &Db,
    cycle_id: i64,
    stage: Stage,
) -> Result<HashMap<String, (i64, Ratio)>, AppError> {
    let rows = sqlx::query(
        "SELECT le.id, le.indicator_code, le.level_num, le.level_den FROM level_entry le \
         WHERE le.cycle_id = $1 AND le.stage = $2 AND le.id = (SELECT MAX(x.id) FROM level_entry x \
           WHERE x.cycle_id = le.cycle_id AND x.stage = le.stage \
             AND x.indicator_code = le.indicator_code)",
    )
    .bind(cycle_id)
    .bind(stage.as_str())
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok((
                r.try_get("indicator_code")?,
                (
                    r.try_get("id")?,
                    ratio(r.try_get("level_num")?, r.try_get("level_den")?)?,
                ),
            ))
        })
        .collect()
}

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

/// Gives an instansi the built-in SPBE → Pemdi crosswalk unless it has one (its koordinator's
/// changes are kept).
pub async fn ensure_crosswalk(tx: &mut Tx<'_>, instansi_id: i64) -> Result<(), AppError> {
    let n: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM crosswalk WHERE instansi_id = $1 \
         AND from_pack = 'spbe-2020' AND to_pack = 'pemdi-2026'",
    )
    .bind(instansi_id)
    .fetch_one(&mut **tx)
    .await?
    .try_get("n")?;
    if n > 0 {
        return Ok(());
    }
    for (to, from) in SPBE_TO_PEMDI {
        for f in *from {
            sqlx::query(
                "INSERT INTO crosswalk (instansi_id, from_pack, from_code, to_pack, to_code) \
                 VALUES ($1, 'spbe-2020', $2, 'pemdi-2026', $3)",
            )
            .bind(instansi_id)
            .bind(*f)
            .bind(*to)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// The newest version of a pack, validated.
async fn pack_framework(db: &Db, code: &str) -> Result<crate::scoring::Framework, AppError> {
    let id = crate::server::pack_id(db, code).await?;
    let document: String = sqlx::query("SELECT document FROM framework_pack WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await?
        .try_get("document")?;
    crate::scoring::Framework::from_json(&document).map_err(|_| AppError::Internal)
}

pub async fn crosswalk(db: &Db, user: &CurrentUser) -> Result<super::CrosswalkView, AppError> {
    let from = pack_framework(db, "spbe-2020").await?;
    let to = pack_framework(db, "pemdi-2026").await?;
    let mut pairs: HashMap<String, Vec<String>> = HashMap::new();
    let rows = sqlx::query(
        "SELECT from_code, to_code FROM crosswalk WHERE instansi_id = $1 \
         AND from_pack = 'spbe-2020' AND to_pack = 'pemdi-2026'",
    )
    .bind(user.instansi_id)
    .fetch_all(&db.pool)
    .await?;
    let fresh = rows.is_empty();
    for r in rows {
        pairs
            .entry(r.try_get("to_code")?)
            .or_default()
            .push(r.try_get("from_code")?);
    }
    if fresh {
        // Not edited yet: what the instansi will get.
        for (t, f) in SPBE_TO_PEMDI {
            pairs.insert(t.to_string(), f.iter().map(|s| s.to_string()).collect());
        }
    }
    let position = |code: &str| from.indicator_position(code).unwrap_or(usize::MAX);
    Ok(super::CrosswalkView {
        from_name: from.name.clone(),
        to_name: to.name.clone(),
        rows: to
            .indicators
            .iter()
            .map(|i| {
                let mut sources = pairs.remove(&i.code).unwrap_or_default();
                sources.sort_by_key(|c| position(c));
                super::CrosswalkRow {
                    code: i.code.clone(),
                    name: i.name.clone(),
                    sources: sources
                        .into_iter()
                        .map(|c| {
                            let name = from
                                .indicator_position(&c)
                                .map(|p| from.indicators[p].name.clone())
                                .unwrap_or_default();
                            (c, name)
                        })
                        .collect(),
                }
            })
            .collect(),
        from_codes: from
            .indicators
            .iter()
            .map(|i| (i.code.clone(), i.name.clone()))
            .collect(),
        can_edit: may_set_official(user.role),
    })
}

pub async fn edit_crosswalk(
    db: &Db,
    user: &CurrentUser,
    to_code: &str,
    from_code: &str,
    action: &str,
) -> Result<i64, AppError> {
    if !may_set_official(user.role) {
        return Err(AppError::Forbidden);
    }
    let from = pack_framework(db, "spbe-2020").await?;
    let to = pack_framework(db, "pemdi-2026").await?;
    let (to_code, from_code) = (to_code.trim(), from_code.trim());
    if to.indicator_position(to_code).is_none() {
        return Err(AppError::Invalid(format!(
            "Indikator '{to_code}' tidak ada pada {}.",
            to.name
        )));
    }
    if from.indicator_position(from_code).is_none() {
        return Err(AppError::Invalid(format!(
            "Indikator '{from_code}' tidak ada pada {}.",
            from.name
        )));
    }
    let add = match action {
        "tambah" => true,
        "hapus" => false,
        other => {
            return Err(AppError::Invalid(format!(
                "Tindakan '{other}' tidak dikenal (tambah atau hapus)."
            )))
        }
    };
    let mut tx = db.begin().await?;
    ensure_crosswalk(&mut tx, user.instansi_id).await?;
    let exists = sqlx::query(
        "SELECT to_code FROM crosswalk WHERE instansi_id = $1 AND from_pack = 'spbe-2020' \
         AND from_code = $2 AND to_pack = 'pemdi-2026' AND to_code = $3",
    )
    .bind(user.instansi_id)
    .bind(from_code)
    .bind(to_code)
    .fetch_optional(&mut *tx)
    .await?
    .is_some();
    if add && !exists {
        sqlx::query(
            "INSERT INTO crosswalk (instansi_id, from_pack, from_code, to_pack, to_code) \
             VALUES ($1, 'spbe-2020', $2, 'pemdi-2026', $3)",
        )
        .bind(user.instansi_id)
        .bind(from_code)
        .bind(to_code)
        .execute(&mut *tx)
        .await?;
    } else if !add && exists {
        sqlx::query(
            "DELETE FROM crosswalk WHERE instansi_id = $1 AND from_pack = 'spbe-2020' \
             AND from_code = $2 AND to_pack = 'pemdi-2026' AND to_code = $3",
        )
        .bind(user.instansi_id)
        .bind(from_code)
        .bind(to_code)
        .execute(&mut *tx)
        .await?;
    }
    let event = record_event(
        &mut tx,
        user.instansi_id,
        "padanan.diubah",
        "padanan",
        &serde_json::json!({"dari": from_code, "ke": to_code, "tindakan": action}),
        Some(user.id),
    )
    .await?;
    tx.commit().await?;
    Ok(event)
}

pub async fn choices(db: &Db, user: &CurrentUser) -> Result<super::CycleChoices, AppError> {
    let (packs, cycles) = packs_and_cycles(db, user).await?;
    Ok(super::CycleChoices {
        can_manage: may_set_official(user.role),
        packs,
        cycles,
    })
}

async fn packs_and_cycles(
    db: &Db,
    user: &CurrentUser,
) -> Result<(Vec<PackChoice>, Vec<CycleChoice>), AppError> {
    let mut packs: Vec<PackChoice> = Vec::new();
    for r in sqlx::query("SELECT code, name FROM framework_pack ORDER BY code DESC, version DESC")
        .fetch_all(&db.pool)
        .await?
    {
        let code: String = r.try_get("code")?;
        if !packs.iter().any(|p| p.code == code) {
            packs.push(PackChoice {
                code,
                name: r.try_get("name")?,
            });
        }
    }
    let cycles = sqlx::query(
        "SELECT id, name FROM cycle WHERE instansi_id = $1 ORDER BY year DESC, id DESC",
    )
    .bind(user.instansi_id)
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .map(|r| {
        Ok(CycleChoice {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
        })
    })
    .collect::<Result<_, sqlx::Error>>()?;
    Ok((packs, cycles))
}

pub async fn meta(db: &Db, user: &CurrentUser, id: i64) -> Result<CycleMeta, AppError> {
    let last_event = crate::live::ssr::latest_event(db, user.instansi_id).await?;
    let cycle = load_cycle(db, user.instansi_id, Some(id)).await?;
    let dates: HashMap<String, String> =
        sqlx::query("SELECT kind, due_on FROM milestone WHERE cycle_id = $1")
            .bind(cycle.id)
            .fetch_all(&db.pool)
            .await?
            .into_iter()
            .map(|r| Ok((r.try_get("kind")?, r.try_get("due_on")?)))
            .collect::<Result<_, sqlx::Error>>()?;
    let names = names(db, user.instansi_id).await?;
    let snapshots = sqlx::query(
        "SELECT s.id, s.stage, s.note, s.created_by, s.created_at, \
           (SELECT COUNT(*) FROM snapshot_entry se WHERE se.snapshot_id = s.id) AS n \
         FROM snapshot s WHERE s.cycle_id = $1 ORDER BY s.id DESC",
    )
    .bind(cycle.id)
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .map(|r| {
        Ok(SnapshotRow {
            id: r.try_get("id")?,
            stage: Stage::parse(&r.try_get::<String, _>("stage")?).ok_or(AppError::Internal)?,
            note: r.try_get("note")?,
            by: name_of(&names, r.try_get("created_by")?),
            at: datetime_id(r.try_get("created_at")?),
            indicators: r.try_get::<i64, _>("n")? as usize,
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    let (packs, cycles) = packs_and_cycles(db, user).await?;
    let is_current: i64 = sqlx::query("SELECT is_current FROM cycle WHERE id = $1")
        .bind(cycle.id)
        .fetch_one(&db.pool)
        .await?
        .try_get("is_current")?;
    Ok(CycleMeta {
        id: cycle.id,
        name: cycle.name.clone(),
        is_current: is_current == 1,
        milestones: MILESTONES
            .iter()
            .map(|(k, l)| Milestone {
                kind: k.to_string(),
                label: l.to_string(),
                due_on: dates.get(*k).cloned(),
            })
            .collect(),
        snapshots,
        can_manage: may_set_official(user.role),
        packs,
        cycles,
        last_event,
    })
}

/// The most authoritative level per indicator of a cycle, with the entry it comes from.
async fn best_levels(db: &Db, cycle_id: i64) -> Result<HashMap<String, (i64, Ratio)>, AppError> {
    let mut out: HashMap<String, (i64, Ratio)> = HashMap::new();
    for stage in [
        Stage::Mandiri,
        Stage::Verifikasi,
        Stage::Eksternal,
        Stage::Akhir,
    ] {
        // Later (more authoritative) stages overwrite earlier ones.
        out.extend(entries_in_force(db, cycle_id, stage).await?);
    }
    Ok(out)
}

pub async fn create(
    db: &Db,
    user: &CurrentUser,
    name: &str,
    year: &str,
    pack: &str,
    from: i64,
) -> Result<CreatedCycle, AppError> {
    if !may_set_official(user.role) {
        return Err(AppError::Forbidden);
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::Invalid(
            "Nama siklus wajib diisi (maksimal 100 karakter).".into(),
        ));
    }
    let year: i64 = match year.trim().parse() {
        Ok(y) if (2000..=2100).contains(&y) => y,
        _ => {
            return Err(AppError::Invalid(format!(
                "Tahun '{}' tidak valid.",
                year.trim()
            )))
        }
    };
    let taken = sqlx::query("SELECT id FROM cycle WHERE instansi_id = $1 AND name = $2")
        .bind(user.instansi_id)
        .bind(name)
        .fetch_optional(&db.pool)
        .await?;
    if taken.is_some() {
        return Err(AppError::Invalid(format!(
            "Nama siklus '{name}' sudah dipakai."
        )));
    }
    let pack_id = crate::server::pack_id(db, pack.trim())
        .await
        .map_err(|_| AppError::Invalid(format!("Kerangka '{}' tidak dikenal.", pack.trim())))?;
    let document: String = sqlx::query("SELECT document FROM framework_pack WHERE id = $1")
        .bind(pack_id)
        .fetch_one(&db.pool)
        .await?
        .try_get("document")?;
    let to = crate::scoring::Framework::from_json(&document).map_err(|_| AppError::Internal)?;

    // Carry-forward: plan first, then write everything in one transaction.
    struct Source {
        cycle: CycleInfo,
        entries: HashMap<String, (i64, Ratio)>,
        versions: HashMap<i64, Vec<i64>>,
        lead: HashMap<String, (Option<i64>, i64)>,
        contributors: HashMap<String, Vec<i64>>,
    }
    let source = if from > 0 {
        let cycle = load_cycle(db, user.instansi_id, Some(from)).await?;
        let entries = best_levels(db, cycle.id).await?;
        let mut versions: HashMap<i64, Vec<i64>> = HashMap::new();
        for r in sqlx::query(
            "SELECT lee.entry_id, lee.version_id FROM level_entry_evidence lee \
             JOIN level_entry le ON le.id = lee.entry_id WHERE le.cycle_id = $1",
        )
        .bind(cycle.id)
        .fetch_all(&db.pool)
        .await?
        {
            versions
                .entry(r.try_get("entry_id")?)
                .or_default()
                .push(r.try_get("version_id")?);
        }
        let lead = sqlx::query(
            "SELECT indicator_code, lead_opd_id, effort FROM cycle_indicator WHERE cycle_id = $1",
        )
        .bind(cycle.id)
        .fetch_all(&db.pool)
        .await?
        .into_iter()
        .map(|r| {
            Ok((
                r.try_get("indicator_code")?,
                (r.try_get("lead_opd_id")?, r.try_get("effort")?),
            ))
        })
        .collect::<Result<_, sqlx::Error>>()?;
        let mut contributors: HashMap<String, Vec<i64>> = HashMap::new();
        for r in sqlx::query(
            "SELECT indicator_code, opd_id FROM indicator_contributor WHERE cycle_id = $1",
        )
        .bind(cycle.id)
        .fetch_all(&db.pool)
        .await?
        {
            contributors
                .entry(r.try_get("indicator_code")?)
                .or_default()
                .push(r.try_get("opd_id")?);
        }
        Some(Source {
            cycle,
            entries,
            versions,
            lead,
            contributors,
        })
    } else {
        None
    };
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    if let Some(s) = &source {
        for r in sqlx::query(
            "SELECT from_code, to_code FROM crosswalk WHERE instansi_id = $1 AND from_pack = $2 \
             AND to_pack = $3 ORDER BY from_code",
        )
        .bind(user.instansi_id)
        .bind(&s.cycle.framework.code)
        .bind(&to.code)
        .fetch_all(&db.pool)
        .await?
        {
            map.entry(r.try_get("to_code")?)
                .or_default()
                .push(r.try_get("from_code")?);
        }
        // An instansi that never edited its crosswalk uses the built-in one.
        if map.is_empty() && s.cycle.framework.code == "spbe-2020" && to.code == "pemdi-2026" {
            for (t, f) in SPBE_TO_PEMDI {
                map.insert(t.to_string(), f.iter().map(|x| x.to_string()).collect());
            }
        }
    }
    let plan = source.as_ref().map(|s| {
        let levels: HashMap<String, Ratio> = s
            .entries
            .iter()
            .map(|(k, (_, l))| (k.clone(), *l))
            .collect();
        carry::plan(&s.cycle.framework, &to, &levels, &map)
    });

    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO cycle (instansi_id, pack_id, name, year, is_current, created_at) \
         VALUES ($1, $2, $3, $4, 0, $5) RETURNING id",
    )
    .bind(user.instansi_id)
    .bind(pack_id)
    .bind(name)
    .bind(year)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    crate::assessment::ssr::seed_criteria(&mut tx, id, &to, Some(user.id)).await?;
    // Every cycle has its default action-plan board from the start.
    crate::boards::ssr::insert_board(
        &mut tx,
        user.instansi_id,
        id,
        "Rencana Aksi",
        true,
        Some(user.id),
    )
    .await?;
    let mut carried = 0;
    if let (Some(s), Some(plan)) = (&source, &plan) {
        for p in &plan.proposals {
            let mut versions: Vec<i64> = Vec::new();
            for src in &p.sources {
                if let Some((entry, _)) = s.entries.get(src) {
                    for v in s.versions.get(entry).into_iter().flatten() {
                        if !versions.contains(v) {
                            versions.push(*v);
                        }
                    }
                }
            }
            let why = format!(
                "Usulan dari {} (indikator {})",
                s.cycle.name,
                p.sources.join(", ")
            );
            insert_entry(
                &mut tx,
                user.instansi_id,
                id,
                &p.code,
                Stage::Target,
                p.level,
                &why,
                Some(user.id),
                &versions,
            )
            .await?;
            carried += 1;
        }
        // The responsibility matrix follows the same mapping: the first source's lead and
        // effort, the other sources' OPDs as contributors.
        for ind in &to.indicators {
            let sources: Vec<String> = if s.cycle.framework.code == to.code {
                vec![ind.code.clone()]
            } else {
                map.get(&ind.code).cloned().unwrap_or_default()
            };
            let Some((lead, effort)) = sources.iter().find_map(|c| s.lead.get(c)).copied() else {
                continue;
            };
            sqlx::query(
                "INSERT INTO cycle_indicator (cycle_id, indicator_code, lead_opd_id, effort) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(&ind.code)
            .bind(lead)
            .bind(effort)
            .execute(&mut *tx)
            .await?;
            let mut others: Vec<i64> = Vec::new();
            for c in &sources {
                let theirs = s.lead.get(c).and_then(|(l, _)| *l).into_iter();
                for o in theirs.chain(s.contributors.get(c).into_iter().flatten().copied()) {
                    if Some(o) != lead && !others.contains(&o) {
                        others.push(o);
                    }
                }
            }
            for o in others {
                sqlx::query(
                    "INSERT INTO indicator_contributor (cycle_id, indicator_code, opd_id) \
                     VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(&ind.code)
                .bind(o)
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    let unmapped = plan.map(|p| p.unmapped).unwrap_or_default();
    record_event(
        &mut tx,
        user.instansi_id,
        "siklus.dibuat",
        &format!("siklus/{id}"),
        &serde_json::json!({"siklus": id, "nama": name, "kerangka": to.code,
            "dari": source.as_ref().map(|s| s.cycle.id), "dibawa": carried,
            "tidak_terpetakan": unmapped}),
        Some(user.id),
    )
    .await?;
    tx.commit().await?;
    Ok(CreatedCycle {
        id,
        carried,
        unmapped,
    })
}

pub async fn update(
    db: &Db,
    user: &CurrentUser,
    cycle_id: i64,
    name: &str,
    current: &str,
    dates: &[String; 5],
) -> Result<i64, AppError> {
    if !may_set_official(user.role) {
        return Err(AppError::Forbidden);
    }
    let cycle = load_cycle(db, user.instansi_id, Some(cycle_id)).await?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::Invalid(
            "Nama siklus wajib diisi (maksimal 100 karakter).".into(),
        ));
    }
    let taken =
        sqlx::query("SELECT id FROM cycle WHERE instansi_id = $1 AND name = $2 AND id <> $3")
            .bind(user.instansi_id)
            .bind(name)
            .bind(cycle.id)
            .fetch_optional(&db.pool)
            .await?;
    if taken.is_some() {
        return Err(AppError::Invalid(format!(
            "Nama siklus '{name}' sudah dipakai."
        )));
    }
    let current = match current.trim() {
        "ya" => true,
        "tidak" | "" => false,
        other => {
            return Err(AppError::Invalid(format!(
                "Pilihan '{other}' tidak dikenal."
            )))
        }
    };
    let mut checked = Vec::new();
    for ((kind, label), text) in MILESTONES.iter().zip(dates) {
        let d = crate::evidence::rules::check_date(text)
            .map_err(|e| AppError::Invalid(format!("{label}: {e}")))?;
        checked.push((*kind, d));
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE cycle SET name = $1 WHERE id = $2")
        .bind(name)
        .bind(cycle.id)
        .execute(&mut *tx)
        .await?;
    if current {
        // One running cycle per instansi.
        sqlx::query("UPDATE cycle SET is_current = CASE WHEN id = $1 THEN 1 ELSE 0 END WHERE instansi_id = $2")
            .bind(cycle.id)
            .bind(user.instansi_id)
            .execute(&mut *tx)
            .await?;
    } else {
        sqlx::query("UPDATE cycle SET is_current = 0 WHERE id = $1")
            .bind(cycle.id)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM milestone WHERE cycle_id = $1")
        .bind(cycle.id)
        .execute(&mut *tx)
        .await?;
    for (kind, d) in &checked {
        if let Some(d) = d {
            sqlx::query("INSERT INTO milestone (cycle_id, kind, due_on) VALUES ($1, $2, $3)")
                .bind(cycle.id)
                .bind(*kind)
                .bind(d)
                .execute(&mut *tx)
                .await?;
        }
    }
    let event = record_event(
        &mut tx,
        user.instansi_id,
        "siklus.diubah",
        &format!("siklus/{}", cycle.id),
        &serde_json::json!({"siklus": cycle.id, "nama": name, "berjalan": current}),
        Some(user.id),
    )
    .await?;
    tx.commit().await?;
    Ok(event)
}

pub async fn submit(
    db: &Db,
    user: &CurrentUser,
    cycle_id: i64,
    stage: &str,
    note: &str,
) -> Result<i64, AppError> {
    if !may_set_official(user.role) {
        return Err(AppError::Forbidden);
    }
    let cycle = load_cycle(db, user.instansi_id, Some(cycle_id)).await?;
    let stage = Stage::parse(stage)
        .ok_or_else(|| AppError::Invalid(format!("Tahap '{stage}' tidak dikenal.")))?;
    let note = check_text(note, "Catatan", false)?;
    let entries = entries_in_force(db, cycle.id, stage).await?;
    if entries.is_empty() {
        return Err(AppError::Invalid(format!(
            "Tahap {} belum berisi level; tidak ada yang dibekukan.",
            stage.label()
        )));
    }
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO snapshot (instansi_id, cycle_id, stage, note, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(user.instansi_id)
    .bind(cycle.id)
    .bind(stage.as_str())
    .bind(&note)
    .bind(user.id)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    for (code, (entry, _)) in &entries {
        sqlx::query(
            "INSERT INTO snapshot_entry (snapshot_id, indicator_code, entry_id) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(code)
        .bind(*entry)
        .execute(&mut *tx)
        .await?;
    }
    record_event(
        &mut tx,
        user.instansi_id,
        "tahap.dibekukan",
        &format!("siklus/{}/beku/{id}", cycle.id),
        &serde_json::json!({"siklus": cycle.id, "tahap": stage.as_str(), "indikator": entries.len()}),
        Some(user.id),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

fn index_of(
    cycle: &CycleInfo,
    levels: &HashMap<String, Ratio>,
) -> (Option<crate::dashboard::Figure>, Option<String>) {
    let f = &cycle.framework;
    match stage_score(f, Some(levels)).1 {
        Some(s) => (
            Some(figure(s.published, s.exact, f.decimals)),
            Some(s.predicate),
        ),
        None => (None, None),
    }
}

pub async fn snapshot_view(
    db: &Db,
    user: &CurrentUser,
    cycle_id: i64,
    id: i64,
) -> Result<SnapshotView, AppError> {
    let cycle = load_cycle(db, user.instansi_id, Some(cycle_id)).await?;
    let row = sqlx::query(
        "SELECT stage, note, created_by, created_at FROM snapshot \
         WHERE id = $1 AND cycle_id = $2 AND instansi_id = $3",
    )
    .bind(id)
    .bind(cycle.id)
    .bind(user.instansi_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or_else(|| AppError::NotFound("Tahap yang dibekukan".into()))?;
    let stage = Stage::parse(&row.try_get::<String, _>("stage")?).ok_or(AppError::Internal)?;
    let names = names(db, user.instansi_id).await?;
    let frozen: HashMap<String, (i64, Ratio)> = sqlx::query(
        "SELECT se.indicator_code, le.id, le.level_num, le.level_den FROM snapshot_entry se \
         JOIN level_entry le ON le.id = se.entry_id WHERE se.snapshot_id = $1",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .map(|r| {
        Ok((
            r.try_get("indicator_code")?,
            (
                r.try_get("id")?,
                ratio(r.try_get("level_num")?, r.try_get("level_den")?)?,
            ),
        ))
    })
    .collect::<Result<_, AppError>>()?;
    let live = entries_in_force(db, cycle.id, stage).await?;
    let evidence = evidence_by_entry(db, cycle.id).await?;
    let ev = |e: Option<&(i64, Ratio)>| {
        e.and_then(|(id, _)| evidence.get(id).cloned())
            .unwrap_or_default()
    };
    let rows: Vec<DiffRow> = cycle
        .framework
        .indicators
        .iter()
        .map(|ind| {
            let f = frozen.get(&ind.code);
            let l = live.get(&ind.code);
            let fe = ev(f);
            let le = ev(l);
            let ids = |v: &Vec<EvidenceRef>| v.iter().map(|e| e.version_id).collect::<Vec<_>>();
            DiffRow {
                code: ind.code.clone(),
                name: ind.name.clone(),
                frozen: f.map(|(_, r)| level_id(*r)),
                live: l.map(|(_, r)| level_id(*r)),
                level_changed: f.map(|x| x.1) != l.map(|x| x.1),
                evidence_changed: ids(&fe) != ids(&le),
                frozen_evidence: fe,
                live_evidence: le,
            }
        })
        .collect();
    let levels = |m: &HashMap<String, (i64, Ratio)>| {
        m.iter()
            .map(|(k, (_, l))| (k.clone(), *l))
            .collect::<HashMap<_, _>>()
    };
    let (frozen_index, frozen_predicate) = index_of(&cycle, &levels(&frozen));
    let (live_index, live_predicate) = index_of(&cycle, &levels(&live));
    Ok(SnapshotView {
        id,
        cycle_id: cycle.id,
        cycle_name: cycle.name.clone(),
        stage,
        note: row.try_get("note")?,
        by: name_of(&names, row.try_get("created_by")?),
        at: datetime_id(row.try_get("created_at")?),
        frozen_index,
        frozen_predicate,
        live_index,
        live_predicate,
        changed: rows
            .iter()
            .filter(|r| r.level_changed || r.evidence_changed)
            .count(),
        rows,
    })
}

// ---------------------------------------------------------------------------------------------
// Importing the official result.
// ---------------------------------------------------------------------------------------------

/// The largest result file accepted (a national result sheet is a few kilobytes).
const MAX_IMPORT: usize = 2 * 1024 * 1024;

/// Rows of cells from an uploaded CSV or spreadsheet, with their row numbers.
pub fn read_table(name: &str, bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, String> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "csv" | "txt" => {
            let text = std::str::from_utf8(bytes).map_err(|_| {
                "Berkas CSV harus tersimpan sebagai UTF-8 (pilih 'CSV UTF-8' saat menyimpan)."
                    .to_string()
            })?;
            Ok(parse_csv(text))
        }
        "xlsx" | "xls" | "ods" | "xlsb" => {
            use calamine::Reader;
            let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
                .map_err(|e| format!("Lembar kerja tidak dapat dibaca: {e}"))?;
            let range = book
                .worksheet_range_at(0)
                .ok_or_else(|| "Lembar kerja tidak berisi sheet.".to_string())?
                .map_err(|e| format!("Sheet pertama tidak dapat dibaca: {e}"))?;
            let first_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
            Ok(range
                .rows()
                .enumerate()
                .map(|(i, cells)| {
                    (
                        first_row + i + 1,
                        cells.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
                    )
                })
                .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
                .collect())
        }
        other => Err(format!(
            "Jenis berkas '.{other}' tidak diterima untuk impor; gunakan CSV atau XLSX."
        )),
    }
}

fn back_to_cycle(cycle: i64, message: &str) -> Response {
    let encoded: String = form_urlencoded::byte_serialize(message.as_bytes()).collect();
    Redirect::to(&format!("/siklus/{cycle}?galat={encoded}")).into_response()
}

/// `POST /siklus/{id}/impor` (multipart: `tahap`, `berkas`): reads and checks the file and keeps
/// it as a preview; nothing reaches the ledger until the koordinator confirms.
pub async fn import_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(cycle_id): Path<i64>,
    mut multipart: Multipart,
) -> Response {
    let user = match session_token(&headers) {
        Some(t) => match user_for_token(&state.db, &t).await {
            Ok(Some(u)) => u,
            _ => return Redirect::to("/masuk").into_response(),
        },
        None => return Redirect::to("/masuk").into_response(),
    };
    match import_upload(&state.db, &user, cycle_id, &mut multipart).await {
        Ok(batch) => Redirect::to(&format!("/siklus/{cycle_id}/impor/{batch}")).into_response(),
        Err(message) => back_to_cycle(cycle_id, &message),
    }
}

async fn import_upload(
    db: &Db,
    user: &CurrentUser,
    cycle_id: i64,
    multipart: &mut Multipart,
) -> Result<i64, String> {
    if !may_set_official(user.role) {
        return Err(AppError::Forbidden.to_string());
    }
    let cycle = load_cycle(db, user.instansi_id, Some(cycle_id))
        .await
        .map_err(|e| e.to_string())?;
    let broken = |_| "Unggahan terputus atau tidak valid; silakan coba lagi.".to_string();
    let mut stage = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(mut field) = multipart.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(|s| s.to_string());
        let mut bytes = Vec::new();
        let mut too_large = false;
        while let Some(chunk) = field.chunk().await.map_err(broken)? {
            if bytes.len() + chunk.len() > MAX_IMPORT {
                too_large = true;
                continue;
            }
            bytes.extend_from_slice(&chunk);
        }
        if too_large {
            return Err("Berkas hasil terlalu besar (maksimal 2 MB).".into());
        }
        match name.as_str() {
            "tahap" => stage = String::from_utf8_lossy(&bytes).trim().to_string(),
            "berkas" => {
                if let Some(n) = file_name.filter(|n| !n.is_empty()) {
                    file = Some((n, bytes));
                }
            }
            _ => {}
        }
    }
    let stage = match Stage::parse(&stage) {
        Some(s @ (Stage::Eksternal | Stage::Akhir)) => s,
        _ => return Err("Pilih tahap Penilaian Eksternal atau Nilai Akhir.".into()),
    };
    let (file_name, bytes) =
        file.ok_or_else(|| "Pilih berkas hasil (CSV atau XLSX).".to_string())?;
    let file_name = crate::evidence::rules::check_file_name(&file_name)?;
    if bytes.is_empty() {
        return Err("Berkas hasil kosong.".into());
    }
    let table = read_table(&file_name, &bytes)?;
    let rows = check_rows(&cycle.framework, &table);
    if rows.is_empty() {
        return Err("Berkas tidak berisi baris hasil (kode indikator, level).".into());
    }
    let json = serde_json::to_string(&rows).map_err(|_| AppError::Internal.to_string())?;
    let mut tx = db
        .begin()
        .await
        .map_err(|e| AppError::from(e).to_string())?;
    let id: i64 = sqlx::query(
        "INSERT INTO import_batch (instansi_id, cycle_id, stage, file_name, rows, created_by, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(user.instansi_id)
    .bind(cycle.id)
    .bind(stage.as_str())
    .bind(&file_name)
    .bind(&json)
    .bind(user.id)
    .bind(now())
    .fetch_one(&mut *tx)
    .await
    .and_then(|r| r.try_get("id"))
    .map_err(|e| AppError::from(e).to_string())?;
    record_event(
        &mut tx,
        user.instansi_id,
        "impor.pratinjau",
        &format!("siklus/{}/impor/{id}", cycle.id),
        &serde_json::json!({"siklus": cycle.id, "baris": rows.len()}),
        Some(user.id),
    )
    .await
    .map_err(|e| e.to_string())?;
    tx.commit()
        .await
        .map_err(|e| AppError::from(e).to_string())?;
    Ok(id)
}

struct Batch {
    stage: Stage,
    file_name: String,
    status: String,
    rows: Vec<ImportRow>,
}

async fn load_batch(
    db: &Db,
    user: &CurrentUser,
    cycle_id: i64,
    id: i64,
) -> Result<Batch, AppError> {
    let row = sqlx::query(
        "SELECT stage, file_name, status, rows FROM import_batch \
         WHERE id = $1 AND cycle_id = $2 AND instansi_id = $3",
    )
    .bind(id)
    .bind(cycle_id)
    .bind(user.instansi_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or_else(|| AppError::NotFound("Impor".into()))?;
    Ok(Batch {
        stage: Stage::parse(&row.try_get::<String, _>("stage")?).ok_or(AppError::Internal)?,
        file_name: row.try_get("file_name")?,
        status: row.try_get("status")?,
        rows: serde_json::from_str(&row.try_get::<String, _>("rows")?)
            .map_err(|_| AppError::Internal)?,
    })
}

pub async fn import_view(
    db: &Db,
    user: &CurrentUser,
    cycle_id: i64,
    id: i64,
) -> Result<ImportView, AppError> {
    let cycle = load_cycle(db, user.instansi_id, Some(cycle_id)).await?;
    let batch = load_batch(db, user, cycle.id, id).await?;
    let problems = batch.rows.iter().filter(|r| r.problem.is_some()).count();
    // The stage as it would be once applied: the rows over the levels in force.
    let mut levels = current_levels(db, cycle.id)
        .await?
        .remove(&batch.stage)
        .unwrap_or_default();
    for r in &batch.rows {
        if let (None, Some(l)) = (&r.problem, r.level) {
            levels.insert(r.code.clone(), l);
        }
    }
    let (index_after, predicate_after) = index_of(&cycle, &levels);
    Ok(ImportView {
        id,
        cycle_id: cycle.id,
        cycle_name: cycle.name.clone(),
        stage: batch.stage,
        file_name: batch.file_name,
        can_confirm: may_set_official(user.role) && problems == 0 && batch.status == "pratinjau",
        status: batch.status,
        missing: missing_codes(&cycle.framework, &batch.rows),
        problems,
        rows: batch.rows,
        index_after,
        predicate_after,
    })
}

pub async fn decide_import(
    db: &Db,
    user: &CurrentUser,
    cycle_id: i64,
    id: i64,
    decision: &str,
) -> Result<i64, AppError> {
    if !may_set_official(user.role) {
        return Err(AppError::Forbidden);
    }
    let cycle = load_cycle(db, user.instansi_id, Some(cycle_id)).await?;
    let batch = load_batch(db, user, cycle.id, id).await?;
    if batch.status != "pratinjau" {
        return Err(AppError::Invalid(
            "Impor ini sudah diputuskan sebelumnya.".into(),
        ));
    }
    let apply = match decision {
        "terapkan" => true,
        "batal" => false,
        other => {
            return Err(AppError::Invalid(format!(
                "Keputusan '{other}' tidak dikenal (terapkan atau batal)."
            )))
        }
    };
    let problems = batch.rows.iter().filter(|r| r.problem.is_some()).count();
    if apply && problems > 0 {
        return Err(AppError::Invalid(format!(
            "{problems} baris bermasalah; perbaiki berkasnya dan unggah ulang. Tidak ada yang ditulis."
        )));
    }
    if apply {
        let newer: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM import_batch WHERE cycle_id = $1 AND stage = $2 \
             AND id > $3 AND status = 'diterapkan'",
        )
        .bind(cycle.id)
        .bind(batch.stage.as_str())
        .bind(id)
        .fetch_one(&db.pool)
        .await?
        .try_get("n")?;
        if newer > 0 {
            return Err(AppError::Invalid(
                "Impor yang lebih baru untuk tahap ini sudah diterapkan; pratinjau ini usang."
                    .into(),
            ));
        }
    }
    let mut tx = db.begin().await?;
    // Only a batch still in preview is decided (a second click or a second koordinator loses).
    let updated =
        sqlx::query("UPDATE import_batch SET status = $1 WHERE id = $2 AND status = 'pratinjau'")
            .bind(if apply { "diterapkan" } else { "dibatalkan" })
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if updated != 1 {
        return Err(AppError::Invalid(
            "Impor ini sudah diputuskan sebelumnya.".into(),
        ));
    }
    if apply {
        // Older previews of the same stage can no longer be applied over this result.
        sqlx::query(
            "UPDATE import_batch SET status = 'dibatalkan' WHERE cycle_id = $1 AND stage = $2 \
             AND status = 'pratinjau' AND id <> $3",
        )
        .bind(cycle.id)
        .bind(batch.stage.as_str())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let why_default = format!("Impor hasil resmi: {}", batch.file_name);
        for r in &batch.rows {
            let level = r.level.ok_or(AppError::Internal)?;
            let why = if r.note.trim().is_empty() {
                why_default.clone()
            } else {
                r.note.trim().to_string()
            };
            insert_entry(
                &mut tx,
                user.instansi_id,
                cycle.id,
                &r.code,
                batch.stage,
                level,
                &why,
                Some(user.id),
                &[],
            )
            .await?;
        }
    }
    let event = record_event(
        &mut tx,
        user.instansi_id,
        if apply {
            "impor.diterapkan"
        } else {
            "impor.dibatalkan"
        },
        &format!("siklus/{}/impor/{id}", cycle.id),
        &serde_json::json!({"siklus": cycle.id, "tahap": batch.stage.as_str(),
            "baris": batch.rows.len()}),
        Some(user.id),
    )
    .await?;
    tx.commit().await?;
    Ok(event)
}

// ---------------------------------------------------------------------------------------------
// Calibration.
// ---------------------------------------------------------------------------------------------

pub async fn calibration(
    db: &Db,
    user: &CurrentUser,
    cycle_id: i64,
) -> Result<CalibrationView, AppError> {
    let cycle = load_cycle(db, user.instansi_id, Some(cycle_id)).await?;
    let ids: Vec<i64> = sqlx::query(
        "SELECT c.id FROM cycle c JOIN framework_pack p ON p.id = c.pack_id \
         WHERE c.instansi_id = $1 AND p.code = $2 ORDER BY c.year DESC, c.id DESC",
    )
    .bind(user.instansi_id)
    .bind(&cycle.framework.code)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| r.try_get("id"))
    .collect::<Result<_, _>>()?;
    let mut cycles = Vec::new();
    for id in ids {
        let c = load_cycle(db, user.instansi_id, Some(id)).await?;
        let levels = current_levels(db, id).await?;
        let get = |s: Stage, code: &str| levels.get(&s).and_then(|m| m.get(code)).copied();
        let mut rows = Vec::new();
        let (mut over, mut under, mut equal) = (0, 0, 0);
        for ind in &c.framework.indicators {
            let mandiri = get(Stage::Mandiri, &ind.code);
            let verifikasi = get(Stage::Verifikasi, &ind.code);
            let resmi = get(Stage::Akhir, &ind.code).or(get(Stage::Eksternal, &ind.code));
            let reference = resmi.or(verifikasi);
            let (gap, sign) = match (mandiri, reference) {
                (Some(m), Some(r)) => {
                    let (sign, diff) = if m > r {
                        (
                            1,
                            Ratio::new(
                                m.numer() * r.denom() - r.numer() * m.denom(),
                                m.denom() * r.denom(),
                            ),
                        )
                    } else if m < r {
                        (
                            -1,
                            Ratio::new(
                                r.numer() * m.denom() - m.numer() * r.denom(),
                                m.denom() * r.denom(),
                            ),
                        )
                    } else {
                        (0, Some(Ratio::ZERO))
                    };
                    match sign {
                        1 => over += 1,
                        -1 => under += 1,
                        _ => equal += 1,
                    }
                    let text = diff.map(level_id).unwrap_or_default();
                    (
                        Some(match sign {
                            1 => format!("+{text}"),
                            -1 => format!("−{text}"),
                            _ => "0".to_string(),
                        }),
                        sign,
                    )
                }
                _ => (None, 0),
            };
            rows.push(CalibrationRow {
                code: ind.code.clone(),
                name: ind.name.clone(),
                mandiri: mandiri.map(level_id),
                verifikasi: verifikasi.map(level_id),
                resmi: resmi.map(level_id),
                gap,
                gap_sign: sign,
            });
        }
        cycles.push(CalibrationCycle {
            id,
            name: c.name.clone(),
            rows,
            over,
            under,
            equal,
        });
    }
    Ok(CalibrationView {
        cycle_id: cycle.id,
        framework_name: cycle.framework.name.clone(),
        cycles,
    })
}
