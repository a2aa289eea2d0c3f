//! The ledger and the workspace in SQL: every write is one transaction holding the change and
//! its numbered event row.

use super::{
    may_claim, may_set_official, may_verify, ClaimStatus, CycleRow, CycleView, EntryRow,
    EvidenceChoice, EvidenceRef, IndicatorRow, IndicatorView, OpdRef, ReviewRow, Stage, StageCell,
};
use crate::auth::CurrentUser;
use crate::dashboard::ssr::{current_levels, figure, load_cycle, stage_score, CycleInfo};
use crate::error::AppError;
use crate::format::{datetime_id, level_id};
use crate::scoring::ratio::Ratio;
use crate::scoring::weight_percent;
use crate::server::db::{now, record_event, Db};
use sqlx::Row;
use std::collections::HashMap;

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

/// A level claim as an operator or a form submits it.
pub struct LevelClaim<'a> {
    pub cycle_id: i64,
    pub indicator: &'a str,
    pub stage: Stage,
    pub level: &'a str,
    pub justification: &'a str,
    pub actor_id: Option<i64>,
}

/// Reads a level: a number from 1 to 5 (a decimal or fraction is kept exact).
pub fn parse_level(text: &str) -> Result<Ratio, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::Invalid("Pilih level 1 sampai 5.".into()));
    }
    let level = Ratio::parse(&text.replace(',', "."))
        .map_err(|_| AppError::Invalid(format!("Level '{text}' bukan angka.")))?;
    if level < Ratio::from_int(1) || level > Ratio::from_int(5) || level.denom() > 1_000_000 {
        return Err(AppError::Invalid(format!(
            "Level '{text}' di luar rentang 1 sampai 5."
        )));
    }
    Ok(level)
}

pub(crate) fn check_indicator(cycle: &CycleInfo, code: &str) -> Result<usize, AppError> {
    cycle.framework.indicator_position(code).ok_or_else(|| {
        AppError::NotFound(format!(
            "Indikator '{code}' pada kerangka {}",
            cycle.framework.name
        ))
    })
}

/// One ledger row with the evidence versions it rests on; returns its id.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_entry(
    tx: &mut Tx<'_>,
    instansi_id: i64,
    cycle_id: i64,
    code: &str,
    stage: Stage,
    level: Ratio,
    justification: &str,
    actor_id: Option<i64>,
    evidence_versions: &[i64],
) -> Result<i64, AppError> {
    let id: i64 = sqlx::query(
        "INSERT INTO level_entry (instansi_id, cycle_id, indicator_code, stage, level_num, \
         level_den, justification, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(instansi_id)
    .bind(cycle_id)
    .bind(code)
    .bind(stage.as_str())
    .bind(level.numer() as i64)
    .bind(level.denom() as i64)
    .bind(justification)
    .bind(actor_id)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    for v in evidence_versions {
        sqlx::query("INSERT INTO level_entry_evidence (entry_id, version_id) VALUES ($1, $2)")
            .bind(id)
            .bind(*v)
            .execute(&mut **tx)
            .await?;
    }
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn level_event(
    tx: &mut Tx<'_>,
    instansi_id: i64,
    cycle_id: i64,
    code: &str,
    stage: Stage,
    entry_id: i64,
    level: Ratio,
    actor_id: Option<i64>,
) -> Result<i64, AppError> {
    record_event(
        tx,
        instansi_id,
        "level.dicatat",
        &format!("siklus/{cycle_id}/indikator/{code}"),
        &serde_json::json!({
            "entri": entry_id,
            "siklus": cycle_id,
            "indikator": code,
            "tahap": stage.as_str(),
            "level": level.to_exact_string(),
        }),
        actor_id,
    )
    .await
}

/// Appends a level entry to the ledger with its event; returns the event number. Refuses an
/// unknown cycle (or one of another instansi), an unknown indicator and a level outside 1–5,
/// naming the problem; on refusal nothing is written. (The CLI's path; roles are the caller's
/// business there.)
pub async fn record_level(
    db: &Db,
    instansi_id: i64,
    claim: LevelClaim<'_>,
) -> Result<i64, AppError> {
    let cycle = load_cycle(db, instansi_id, Some(claim.cycle_id)).await?;
    check_indicator(&cycle, claim.indicator)?;
    let level = parse_level(claim.level)?;
    let mut tx = db.begin().await?;
    let entry = insert_entry(
        &mut tx,
        instansi_id,
        cycle.id,
        claim.indicator,
        claim.stage,
        level,
        claim.justification,
        claim.actor_id,
        &[],
    )
    .await?;
    let event = level_event(
        &mut tx,
        instansi_id,
        cycle.id,
        claim.indicator,
        claim.stage,
        entry,
        level,
        claim.actor_id,
    )
    .await?;
    tx.commit().await?;
    Ok(event)
}

/// Lead OPD, contributing OPDs and effort per indicator of a cycle.
pub(crate) struct Assignment {
    pub lead: Option<OpdRef>,
    pub contributors: Vec<OpdRef>,
    pub effort: u32,
}

pub(crate) async fn assignments(
    db: &Db,
    cycle_id: i64,
) -> Result<HashMap<String, Assignment>, AppError> {
    let mut out: HashMap<String, Assignment> = HashMap::new();
    let rows = sqlx::query(
        "SELECT ci.indicator_code, ci.effort, o.id AS opd_id, o.code, o.name FROM cycle_indicator ci \
         LEFT JOIN opd o ON o.id = ci.lead_opd_id WHERE ci.cycle_id = $1",
    )
    .bind(cycle_id)
    .fetch_all(&db.pool)
    .await?;
    for r in rows {
        let lead = match r.try_get::<Option<i64>, _>("opd_id")? {
            Some(id) => Some(OpdRef {
                id,
                code: r.try_get("code")?,
                name: r.try_get("name")?,
            }),
            None => None,
        };
        out.insert(
            r.try_get("indicator_code")?,
            Assignment {
                lead,
                contributors: Vec::new(),
                effort: r.try_get::<i64, _>("effort")?.clamp(1, 5) as u32,
            },
        );
    }
    let rows = sqlx::query(
        "SELECT ic.indicator_code, o.id, o.code, o.name FROM indicator_contributor ic \
         JOIN opd o ON o.id = ic.opd_id WHERE ic.cycle_id = $1 ORDER BY o.code",
    )
    .bind(cycle_id)
    .fetch_all(&db.pool)
    .await?;
    for r in rows {
        let code: String = r.try_get("indicator_code")?;
        out.entry(code)
            .or_insert(Assignment {
                lead: None,
                contributors: Vec::new(),
                effort: 3,
            })
            .contributors
            .push(OpdRef {
                id: r.try_get("id")?,
                code: r.try_get("code")?,
                name: r.try_get("name")?,
            });
    }
    Ok(out)
}

/// Per indicator: the newest Mandiri entry (id, author), the newest decision on it and whether a
/// Verifikasi entry came after it.
pub(crate) struct ClaimState {
    pub entry: i64,
    pub by: Option<i64>,
    pub level: Ratio,
    pub status: ClaimStatus,
}

pub(crate) async fn claim_states(
    db: &Db,
    cycle_id: i64,
) -> Result<HashMap<String, ClaimState>, AppError> {
    let rows = sqlx::query(
        "SELECT le.indicator_code, le.id, le.created_by, le.level_num, le.level_den, \
           (SELECT r.decision FROM review r WHERE r.entry_id = le.id ORDER BY r.id DESC LIMIT 1) \
             AS decision, \
           (SELECT MAX(v.id) FROM level_entry v WHERE v.cycle_id = le.cycle_id \
             AND v.indicator_code = le.indicator_code AND v.stage = 'verifikasi') AS verified \
         FROM level_entry le WHERE le.cycle_id = $1 AND le.stage = 'mandiri' \
           AND le.id = (SELECT MAX(x.id) FROM level_entry x WHERE x.cycle_id = le.cycle_id \
             AND x.stage = 'mandiri' AND x.indicator_code = le.indicator_code)",
    )
    .bind(cycle_id)
    .fetch_all(&db.pool)
    .await?;
    let mut out = HashMap::new();
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let decision: Option<String> = r.try_get("decision")?;
        let verified: Option<i64> = r.try_get("verified")?;
        let status = match decision.as_deref() {
            Some("revisi") => ClaimStatus::Revisi,
            Some(_) => ClaimStatus::Diterima,
            None if verified.is_some_and(|v| v > id) => ClaimStatus::Diterima,
            None => ClaimStatus::Menunggu,
        };
        let level = Ratio::new(
            r.try_get::<i64, _>("level_num")? as i128,
            r.try_get::<i64, _>("level_den")? as i128,
        )
        .ok_or(AppError::Internal)?;
        out.insert(
            r.try_get("indicator_code")?,
            ClaimState {
                entry: id,
                by: r.try_get("created_by")?,
                level,
                status,
            },
        );
    }
    Ok(out)
}

/// The cycles of the caller's instansi, newest first, with Mandiri progress.
pub async fn cycles(db: &Db, user: &CurrentUser) -> Result<Vec<CycleRow>, AppError> {
    let rows =
        sqlx::query("SELECT id FROM cycle WHERE instansi_id = $1 ORDER BY year DESC, id DESC")
            .bind(user.instansi_id)
            .fetch_all(&db.pool)
            .await?;
    let mut out = Vec::new();
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let cycle = load_cycle(db, user.instansi_id, Some(id)).await?;
        let meta = sqlx::query("SELECT year, is_current FROM cycle WHERE id = $1")
            .bind(id)
            .fetch_one(&db.pool)
            .await?;
        let levels = current_levels(db, id).await?;
        let f = &cycle.framework;
        let (mandiri_filled, mandiri) = stage_score(f, levels.get(&Stage::Mandiri));
        let (verified_filled, _) = stage_score(f, levels.get(&Stage::Verifikasi));
        out.push(CycleRow {
            id,
            name: cycle.name.clone(),
            year: meta.try_get("year")?,
            framework_name: f.name.clone(),
            is_current: meta.try_get::<i64, _>("is_current")? == 1,
            indicators: f.indicators.len(),
            mandiri_filled,
            verified_filled,
            predicate: mandiri.as_ref().map(|s| s.predicate.clone()),
            mandiri: mandiri.map(|s| figure(s.published, s.exact, f.decimals)),
        });
    }
    Ok(out)
}

pub async fn cycle_view(db: &Db, user: &CurrentUser, id: i64) -> Result<CycleView, AppError> {
    let last_event = crate::live::ssr::latest_event(db, user.instansi_id).await?;
    let cycle = load_cycle(db, user.instansi_id, Some(id)).await?;
    let levels = current_levels(db, id).await?;
    let mut assign = assignments(db, id).await?;
    let claims = claim_states(db, id).await?;
    let f = &cycle.framework;
    let rows = f
        .indicators
        .iter()
        .map(|ind| {
            let a = assign.remove(&ind.code);
            IndicatorRow {
                code: ind.code.clone(),
                name: ind.name.clone(),
                aspect: f.aspects[ind.aspect].code.clone(),
                weight: weight_percent(ind.weight).replace('.', ","),
                lead: a
                    .as_ref()
                    .and_then(|a| a.lead.as_ref().map(|o| o.code.clone())),
                contributors: a
                    .as_ref()
                    .map(|a| a.contributors.iter().map(|o| o.code.clone()).collect())
                    .unwrap_or_default(),
                levels: Stage::ALL
                    .iter()
                    .map(|s| levels.get(s).and_then(|m| m.get(&ind.code)).copied())
                    .collect(),
                status: claims
                    .get(&ind.code)
                    .map(|c| c.status)
                    .unwrap_or(ClaimStatus::Kosong),
                effort: a.map(|a| a.effort).unwrap_or(3),
            }
        })
        .collect();
    Ok(CycleView {
        id: cycle.id,
        name: cycle.name.clone(),
        framework: cycle.framework,
        rows,
        last_event,
    })
}

/// Display names of the users of an instansi, by id.
pub(crate) async fn user_names(
    db: &Db,
    instansi_id: i64,
) -> Result<HashMap<i64, String>, AppError> {
    let rows = sqlx::query("SELECT id, display_name FROM users WHERE instansi_id = $1")
        .bind(instansi_id)
        .fetch_all(&db.pool)
        .await?;
    rows.into_iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("display_name")?)))
        .collect()
}

/// The OPD ids the user belongs to.
pub(crate) async fn member_of(db: &Db, user_id: i64) -> Result<Vec<i64>, AppError> {
    let rows = sqlx::query("SELECT opd_id FROM user_opd WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| r.try_get("opd_id").map_err(AppError::from))
        .collect()
}

/// Refuses (403) a caller who is not a member of the indicator's lead or a contributing OPD
/// (or whose role never claims).
pub(crate) async fn require_claim_right(
    db: &Db,
    user: &CurrentUser,
    cycle_id: i64,
    code: &str,
) -> Result<(), AppError> {
    let a = assignments(db, cycle_id).await?.remove(code);
    let lead = a.as_ref().and_then(|a| a.lead.as_ref().map(|o| o.id));
    let contributors: Vec<i64> = a
        .as_ref()
        .map(|a| a.contributors.iter().map(|o| o.id).collect())
        .unwrap_or_default();
    if may_claim(
        user.role,
        &member_of(db, user.id).await?,
        lead,
        &contributors,
    ) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The evidence versions of every ledger entry of a cycle, by entry id.
pub(crate) async fn evidence_by_entry(
    db: &Db,
    cycle_id: i64,
) -> Result<HashMap<i64, Vec<EvidenceRef>>, AppError> {
    let rows = sqlx::query(
        "SELECT lee.entry_id, v.id AS version_id, v.version, v.url, e.id AS evidence_id, e.title \
         FROM level_entry_evidence lee JOIN level_entry le ON le.id = lee.entry_id \
         JOIN evidence_version v ON v.id = lee.version_id JOIN evidence e ON e.id = v.evidence_id \
         WHERE le.cycle_id = $1 ORDER BY e.title, v.version",
    )
    .bind(cycle_id)
    .fetch_all(&db.pool)
    .await?;
    let mut out: HashMap<i64, Vec<EvidenceRef>> = HashMap::new();
    for r in rows {
        let version_id: i64 = r.try_get("version_id")?;
        out.entry(r.try_get("entry_id")?)
            .or_default()
            .push(EvidenceRef {
                evidence_id: r.try_get("evidence_id")?,
                version_id,
                title: r.try_get("title")?,
                version: r.try_get("version")?,
                href: evidence_href(version_id, r.try_get("url")?),
            });
    }
    Ok(out)
}

/// The download path or link of an evidence version.
pub fn evidence_href(version_id: i64, url: Option<String>) -> String {
    url.unwrap_or_else(|| format!("/bukti/versi/{version_id}/unduh"))
}

pub async fn indicator_view(
    db: &Db,
    user: &CurrentUser,
    cycle_id: i64,
    code: &str,
) -> Result<IndicatorView, AppError> {
    let last_event = crate::live::ssr::latest_event(db, user.instansi_id).await?;
    let cycle = load_cycle(db, user.instansi_id, Some(cycle_id)).await?;
    let pos = check_indicator(&cycle, code)?;
    let f = &cycle.framework;
    let ind = &f.indicators[pos];
    let names = user_names(db, user.instansi_id).await?;
    let name_of = |id: Option<i64>| match id {
        Some(id) => names.get(&id).cloned().unwrap_or_else(|| "–".into()),
        None => "Sistem (data awal)".to_string(),
    };
    let mut assign = assignments(db, cycle.id).await?;
    let a = assign.remove(code);
    let (lead, contributors, effort) = match a {
        Some(a) => (a.lead, a.contributors, a.effort),
        None => (None, Vec::new(), 3),
    };
    let claims = claim_states(db, cycle.id).await?;
    let claim = claims.get(code);

    // The whole ledger of this indicator, newest first, with evidence and decisions.
    let rows = sqlx::query(
        "SELECT id, stage, level_num, level_den, justification, created_by, created_at \
         FROM level_entry WHERE cycle_id = $1 AND indicator_code = $2 ORDER BY id DESC",
    )
    .bind(cycle.id)
    .bind(code)
    .fetch_all(&db.pool)
    .await?;
    let mut evidence = evidence_by_entry(db, cycle.id).await?;
    let review_rows = sqlx::query(
        "SELECT entry_id, decision, reason, reviewer_id, created_at FROM review \
         WHERE cycle_id = $1 AND indicator_code = $2 ORDER BY id",
    )
    .bind(cycle.id)
    .bind(code)
    .fetch_all(&db.pool)
    .await?;
    let mut reviews: HashMap<i64, Vec<ReviewRow>> = HashMap::new();
    for r in review_rows {
        let decision: String = r.try_get("decision")?;
        reviews
            .entry(r.try_get("entry_id")?)
            .or_default()
            .push(ReviewRow {
                decision: if decision == "revisi" {
                    "Perlu revisi".into()
                } else {
                    "Diterima".into()
                },
                reason: r.try_get("reason")?,
                by: name_of(r.try_get("reviewer_id")?),
                at: datetime_id(r.try_get("created_at")?),
            });
    }
    let mut history = Vec::new();
    let mut stages: HashMap<Stage, StageCell> = HashMap::new();
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let stage = Stage::parse(&r.try_get::<String, _>("stage")?).ok_or(AppError::Internal)?;
        let level = Ratio::new(
            r.try_get::<i64, _>("level_num")? as i128,
            r.try_get::<i64, _>("level_den")? as i128,
        )
        .ok_or(AppError::Internal)?;
        let by = name_of(r.try_get("created_by")?);
        let at = datetime_id(r.try_get("created_at")?);
        // Rows come newest first: the first one per stage is the one in force.
        stages.entry(stage).or_insert_with(|| StageCell {
            stage,
            level: Some(level_id(level)),
            by: Some(by.clone()),
            at: Some(at.clone()),
        });
        history.push(EntryRow {
            id,
            stage,
            level: level_id(level),
            justification: r.try_get("justification")?,
            by,
            at,
            evidence: evidence.remove(&id).unwrap_or_default(),
            reviews: reviews.remove(&id).unwrap_or_default(),
        });
    }
    let member = member_of(db, user.id).await?;
    let contributor_ids: Vec<i64> = contributors.iter().map(|o| o.id).collect();
    let can_claim = may_claim(
        user.role,
        &member,
        lead.as_ref().map(|o| o.id),
        &contributor_ids,
    );
    let can_verify = claim
        .is_some_and(|c| c.status == ClaimStatus::Menunggu && may_verify(user.role, user.id, c.by));
    let evidence_choices = if can_claim {
        let rows = sqlx::query(
            "SELECT e.id, e.title, e.doc_type, MAX(v.version) AS version FROM evidence e \
             JOIN evidence_version v ON v.evidence_id = e.id WHERE e.instansi_id = $1 \
             GROUP BY e.id, e.title, e.doc_type ORDER BY e.id DESC",
        )
        .bind(user.instansi_id)
        .fetch_all(&db.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(EvidenceChoice {
                    id: r.try_get("id")?,
                    title: r.try_get("title")?,
                    version: r.try_get("version")?,
                    doc_type: crate::evidence::doc_type_label(&r.try_get::<String, _>("doc_type")?)
                        .to_string(),
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?
    } else {
        Vec::new()
    };
    let scale = &f.scales[ind.scale];
    let criteria = criteria_of(db, user, cycle.id, code, &names).await?;
    Ok(IndicatorView {
        cycle_id: cycle.id,
        cycle_name: cycle.name.clone(),
        framework_name: f.name.clone(),
        code: ind.code.clone(),
        name: ind.name.clone(),
        aspect: format!(
            "{} {}",
            f.aspects[ind.aspect].code, f.aspects[ind.aspect].name
        ),
        weight: weight_percent(ind.weight).replace('.', ","),
        scale: scale.name.clone(),
        levels: scale
            .levels
            .iter()
            .map(|l| (l.level, l.name.clone(), l.description.clone()))
            .collect(),
        lead,
        contributors,
        stages: Stage::ALL
            .iter()
            .map(|s| {
                stages.remove(s).unwrap_or(StageCell {
                    stage: *s,
                    level: None,
                    by: None,
                    at: None,
                })
            })
            .collect(),
        status: claim.map(|c| c.status).unwrap_or(ClaimStatus::Kosong),
        claim_entry: claim.map(|c| c.entry),
        claim_level: claim.map(|c| level_id(c.level)),
        history,
        can_claim,
        can_verify,
        can_set_official: may_set_official(user.role),
        evidence_choices,
        opds: if may_set_official(user.role) {
            opds_of(db, user.instansi_id).await?
        } else {
            Vec::new()
        },
        effort,
        previous: previous_level(db, &cycle, code).await?,
        comments: comments(db, cycle.id, code, &names).await?,
        can_comment: user.role != crate::auth::Role::Viewer,
        supported_level: super::criteria::supported_level(&criteria_states(&criteria)),
        missing_next: super::criteria::missing_for_next(&criteria_states(&criteria))
            .into_iter()
            .map(|i| criteria[i].body.clone())
            .collect(),
        criteria,
        last_event,
    })
}

/// The newest version of each named evidence item of the instansi; refuses unknown ids.
async fn newest_versions(db: &Db, instansi_id: i64, list: &str) -> Result<Vec<i64>, AppError> {
    let mut out = Vec::new();
    for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let id: i64 = part
            .parse()
            .map_err(|_| AppError::Invalid(format!("Data dukung '{part}' tidak dikenal.")))?;
        let row = sqlx::query(
            "SELECT v.id FROM evidence_version v JOIN evidence e ON e.id = v.evidence_id \
             WHERE e.id = $1 AND e.instansi_id = $2 ORDER BY v.version DESC LIMIT 1",
        )
        .bind(id)
        .bind(instansi_id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or_else(|| AppError::Invalid(format!("Data dukung nomor {id} tidak ditemukan.")))?;
        let v: i64 = row.try_get("id")?;
        if !out.contains(&v) {
            out.push(v);
        }
    }
    Ok(out)
}

pub(crate) fn check_text(text: &str, what: &str, required: bool) -> Result<String, AppError> {
    let t = text.trim();
    if required && t.is_empty() {
        return Err(AppError::Invalid(format!("{what} wajib diisi.")));
    }
    if t.chars().count() > 4000 {
        return Err(AppError::Invalid(format!(
            "{what} terlalu panjang (maksimal 4000 karakter)."
        )));
    }
    Ok(t.to_string())
}

pub async fn claim(
    db: &Db,
    user: &CurrentUser,
    cycle_id: i64,
    code: &str,
    level: &str,
    justification: &str,
    evidence: &str,
) -> Result<i64, AppError> {
    let cycle = load_cycle(db, user.instansi_id, Some(cycle_id)).await?;
    check_indicator(&cycle, code)?;
    require_claim_right(db, user, cycle.id, code).await?;
    let level = parse_level(level)?;
    let justification = check_text(justification, "Penjelasan", true)?;
    let versions = newest_versions(db, user.instansi_id, evidence).await?;
    let mut tx = db.begin().await?;
    let entry = insert_entry(
        &mut tx,
        user.instansi_id,
        cycle.id,
        code,
        Stage::Mandiri,
        level,
        &justification,
        Some(user.id),
        &versions,
    )
    .await?;
    let event = level_event(
        &mut tx,
        user.instansi_id,
        cycle.id,
        code,
        Stage::Mandiri,
        entry,
        level,
        Some(user.id),
    )
    .await?;
    tx.commit().await?;
    Ok(event)
}

#[allow(clippy::too_many_arguments)]
pub async fn review(
    db: &Db,
    user: &CurrentUser,
    cycle_id: i64,
    code: &str,
    entry: i64,
    decision: &str,
    reason: &str,
) -> Result<i64, AppError> {
    let cycle = load_cycle(db, user.instansi_id, Some(cycle_id)).await?;
    check_indicator(&cycle, code)?;
    let claims = claim_states(db, cycle.id).await?;
    let claim = claims
        .get(code)
        .ok_or_else(|| AppError::Invalid("Belum ada klaim Penilaian Mandiri.".into()))?;
    if !may_verify(user.role, user.id, claim.by) {
        return Err(AppError::Forbidden);
    }
    if claim.entry != entry {
        return Err(AppError::Invalid(
            "Klaim ini sudah diganti klaim yang lebih baru; muat ulang halaman.".into(),
        ));
    }
    if claim.status != ClaimStatus::Menunggu {
        return Err(AppError::Invalid(
            "Klaim ini sudah diputuskan; tunggu revisi dari OPD.".into(),
        ));
    }
    let accept = match decision {
        "terima" => true,
        "revisi" => false,
        other => {
            return Err(AppError::Invalid(format!(
                "Keputusan '{other}' tidak dikenal (terima atau revisi)."
            )))
        }
    };
    let reason = check_text(reason, "Alasan revisi", !accept)?;
    let mut tx = db.begin().await?;
    // Checked again inside the transaction: the claim is still the newest and still undecided
    // (a re-claim or another decision in between loses; the unique constraint is the last guard).
    let newest: Option<i64> = sqlx::query(
        "SELECT MAX(id) AS id FROM level_entry WHERE cycle_id = $1 AND indicator_code = $2 \
         AND stage = 'mandiri'",
    )
    .bind(cycle.id)
    .bind(code)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    let decided = sqlx::query("SELECT id FROM review WHERE entry_id = $1")
        .bind(entry)
        .fetch_optional(&mut *tx)
        .await?
        .is_some();
    if newest != Some(entry) || decided {
        return Err(AppError::Invalid(
            "Klaim ini sudah berubah atau sudah diputuskan; muat ulang halaman.".into(),
        ));
    }
    sqlx::query(
        "INSERT INTO review (instansi_id, cycle_id, indicator_code, entry_id, decision, reason, \
         reviewer_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(user.instansi_id)
    .bind(cycle.id)
    .bind(code)
    .bind(entry)
    .bind(if accept { "diterima" } else { "revisi" })
    .bind(&reason)
    .bind(user.id)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let event = if accept {
        // The accepted claim becomes the Verifikasi level, resting on the same evidence.
        let versions: Vec<i64> =
            sqlx::query("SELECT version_id FROM level_entry_evidence WHERE entry_id = $1")
                .bind(entry)
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| r.try_get("version_id"))
                .collect::<Result<_, _>>()?;
        let why = if reason.is_empty() {
            "Klaim Penilaian Mandiri diterima asesor".to_string()
        } else {
            reason.clone()
        };
        let verified = insert_entry(
            &mut tx,
            user.instansi_id,
            cycle.id,
            code,
            Stage::Verifikasi,
            claim.level,
            &why,
            Some(user.id),
            &versions,
        )
        .await?;
        level_event(
            &mut tx,
            user.instansi_id,
            cycle.id,
            code,
            Stage::Verifikasi,
            verified,
            claim.level,
            Some(user.id),
        )
        .await?
    } else {
        record_event(
            &mut tx,
            user.instansi_id,
            "klaim.revisi",
            &format!("siklus/{}/indikator/{code}", cycle.id),
            &serde_json::json!({"entri": entry, "siklus": cycle.id, "indikator": code}),
            Some(user.id),
        )
        .await?
    };
    tx.commit().await?;
    Ok(event)
}

#[allow(clippy::too_many_arguments)]
pub async fn official(
    db: &Db,
    user: &CurrentUser,
    cycle_id: i64,
    code: &str,
    stage: &str,
    level: &str,
    justification: &str,
) -> Result<i64, AppError> {
    if !may_set_official(user.role) {
        return Err(AppError::Forbidden);
    }
    let stage = match Stage::parse(stage) {
        Some(s @ (Stage::Target | Stage::Eksternal | Stage::Akhir)) => s,
        _ => {
            return Err(AppError::Invalid(format!(
                "Tahap '{stage}' tidak dapat diisi di sini (target, eksternal atau akhir)."
            )))
        }
    };
    let justification = check_text(justification, "Keterangan", false)?;
    record_level(
        db,
        user.instansi_id,
        LevelClaim {
            cycle_id,
            indicator: code,
            stage,
            level,
            justification: &justification,
            actor_id: Some(user.id),
        },
    )
    .await
}

/// The most authoritative level of this indicator in the previous cycle of the same framework.
async fn previous_level(
    db: &Db,
    cycle: &CycleInfo,
    code: &str,
) -> Result<Option<(String, Stage, String)>, AppError> {
    let row = sqlx::query(
        "SELECT c.id, c.name FROM cycle c JOIN framework_pack p ON p.id = c.pack_id \
         JOIN cycle me ON me.id = $1 \
         WHERE c.instansi_id = $2 AND p.code = $3 AND c.id <> me.id \
           AND (c.year < me.year OR (c.year = me.year AND c.id < me.id)) \
         ORDER BY c.year DESC, c.id DESC LIMIT 1",
    )
    .bind(cycle.id)
    .bind(cycle.instansi_id)
    .bind(&cycle.framework.code)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let (id, name): (i64, String) = (row.try_get("id")?, row.try_get("name")?);
    let levels = current_levels(db, id).await?;
    for stage in [
        Stage::Akhir,
        Stage::Eksternal,
        Stage::Verifikasi,
        Stage::Mandiri,
    ] {
        if let Some(l) = levels.get(&stage).and_then(|m| m.get(code)) {
            return Ok(Some((name, stage, level_id(*l))));
        }
    }
    Ok(None)
}

async fn comments(
    db: &Db,
    cycle_id: i64,
    code: &str,
    names: &HashMap<i64, String>,
) -> Result<Vec<super::CommentRow>, AppError> {
    sqlx::query(
        "SELECT body, created_by, created_at FROM comment \
         WHERE cycle_id = $1 AND indicator_code = $2 ORDER BY id",
    )
    .bind(cycle_id)
    .bind(code)
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .map(|r| {
        let by: Option<i64> = r.try_get("created_by")?;
        Ok(super::CommentRow {
            body: r.try_get("body")?,
            by: by
                .and_then(|b| names.get(&b).cloned())
                .unwrap_or_else(|| "–".into()),
            at: datetime_id(r.try_get("created_at")?),
        })
    })
    .collect()
}

pub async fn comment(
    db: &Db,
    user: &CurrentUser,
    cycle_id: i64,
    code: &str,
    body: &str,
) -> Result<i64, AppError> {
    if user.role == crate::auth::Role::Viewer {
        return Err(AppError::Forbidden);
    }
    let cycle = load_cycle(db, user.instansi_id, Some(cycle_id)).await?;
    check_indicator(&cycle, code)?;
    let body = check_text(body, "Pesan", true)?;
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO comment (instansi_id, cycle_id, indicator_code, body, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(user.instansi_id)
    .bind(cycle.id)
    .bind(code)
    .bind(&body)
    .bind(user.id)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let event = record_event(
        &mut tx,
        user.instansi_id,
        "diskusi.ditambah",
        &format!("siklus/{}/indikator/{code}", cycle.id),
        &serde_json::json!({"siklus": cycle.id, "indikator": code}),
        Some(user.id),
    )
    .await?;
    tx.commit().await?;
    Ok(event)
}

/// Seeds one criterion per level of every indicator from the pack's level descriptions.
pub async fn seed_criteria(
    tx: &mut Tx<'_>,
    cycle_id: i64,
    f: &crate::scoring::Framework,
    actor: Option<i64>,
) -> Result<(), AppError> {
    for ind in &f.indicators {
        for l in &f.scales[ind.scale].levels {
            let body = if l.description.trim().is_empty() {
                l.name.clone()
            } else {
                format!("{}: {}", l.name, l.description)
            };
            sqlx::query(
                "INSERT INTO criterion (cycle_id, indicator_code, level, body, created_by, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(cycle_id)
            .bind(&ind.code)
            .bind(l.level as i64)
            .bind(&body)
            .bind(actor)
            .bind(now())
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

fn criteria_states(rows: &[super::CriterionRow]) -> Vec<super::criteria::CriterionState> {
    rows.iter()
        .map(|c| super::criteria::CriterionState {
            level: c.level,
            checked: c.checked,
            has_evidence: c.evidence.is_some(),
            accepted: c.accepted,
        })
        .collect()
}

/// The active criteria of an indicator with the mark in force on each.
async fn criteria_of(
    db: &Db,
    user: &CurrentUser,
    cycle_id: i64,
    code: &str,
    names: &HashMap<i64, String>,
) -> Result<Vec<super::CriterionRow>, AppError> {
    let rows = sqlx::query(
        "SELECT c.id, c.level, c.body, m.id AS mark_id, m.checked, m.accepted, m.created_by, \
           m.created_at, \
           v.id AS version_id, v.version, v.url, e.id AS evidence_id, e.title \
         FROM criterion c \
         LEFT JOIN criterion_mark m ON m.id = (SELECT MAX(x.id) FROM criterion_mark x \
           WHERE x.criterion_id = c.id) \
         LEFT JOIN evidence_version v ON v.id = m.evidence_version_id \
         LEFT JOIN evidence e ON e.id = v.evidence_id \
         WHERE c.cycle_id = $1 AND c.indicator_code = $2 AND c.is_active = 1 \
         ORDER BY c.level, c.id",
    )
    .bind(cycle_id)
    .bind(code)
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            let by: Option<i64> = r.try_get("created_by")?;
            let checked = r.try_get::<Option<i64>, _>("checked")? == Some(1);
            let accepted = r.try_get::<Option<i64>, _>("accepted")? == Some(1);
            let evidence = match r.try_get::<Option<i64>, _>("version_id")? {
                Some(version_id) => Some(EvidenceRef {
                    evidence_id: r.try_get("evidence_id")?,
                    version_id,
                    title: r.try_get("title")?,
                    version: r.try_get("version")?,
                    href: evidence_href(version_id, r.try_get("url")?),
                }),
                None => None,
            };
            Ok(super::CriterionRow {
                id: r.try_get("id")?,
                mark: r.try_get::<Option<i64>, _>("mark_id")?.unwrap_or(0),
                level: r.try_get::<i64, _>("level")?.clamp(1, 5) as u8,
                body: r.try_get("body")?,
                can_accept: checked
                    && evidence.is_some()
                    && !accepted
                    && may_verify(user.role, user.id, by),
                checked,
                evidence,
                accepted,
                by: by.map(|b| names.get(&b).cloned().unwrap_or_else(|| "–".into())),
                at: r.try_get::<Option<i64>, _>("created_at")?.map(datetime_id),
            })
        })
        .collect()
}

/// A mark as the form sends it.
pub struct Mark<'a> {
    pub criterion: i64,
    pub action: &'a str,
    pub evidence: &'a str,
    /// The mark the caller saw (0: none).
    pub seen: i64,
}

pub async fn mark(
    db: &Db,
    user: &CurrentUser,
    cycle_id: i64,
    code: &str,
    m: Mark<'_>,
) -> Result<i64, AppError> {
    let Mark {
        criterion,
        action,
        evidence,
        seen,
    } = m;
    let cycle = load_cycle(db, user.instansi_id, Some(cycle_id)).await?;
    check_indicator(&cycle, code)?;
    let found = sqlx::query(
        "SELECT id FROM criterion WHERE id = $1 AND cycle_id = $2 AND indicator_code = $3 \
         AND is_active = 1",
    )
    .bind(criterion)
    .bind(cycle.id)
    .bind(code)
    .fetch_optional(&db.pool)
    .await?;
    if found.is_none() {
        return Err(AppError::NotFound("Kriteria".into()));
    }
    let current = sqlx::query(
        "SELECT id, checked, evidence_version_id, accepted, created_by FROM criterion_mark \
         WHERE criterion_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(criterion)
    .fetch_optional(&db.pool)
    .await?;
    let (checked, version, accepted) = match action {
        "centang" | "hapus" => {
            require_claim_right(db, user, cycle.id, code).await?;
            if action == "hapus" {
                (false, None, false)
            } else {
                let versions = newest_versions(db, user.instansi_id, evidence).await?;
                (true, versions.first().copied(), false)
            }
        }
        "terima" => {
            let Some(m) = current else {
                return Err(AppError::Invalid("Kriteria ini belum dicentang.".into()));
            };
            // A double click finds it accepted already: say so, whoever clicks.
            if m.try_get::<i64, _>("accepted")? == 1 {
                return Err(AppError::Invalid(
                    "Data dukung kriteria ini sudah diterima.".into(),
                ));
            }
            let by: Option<i64> = m.try_get("created_by")?;
            if !may_verify(user.role, user.id, by) {
                return Err(AppError::Forbidden);
            }
            if m.try_get::<i64, _>("id")? != seen {
                return Err(AppError::Invalid(
                    "Kriteria ini baru saja diubah; periksa data dukungnya lagi.".into(),
                ));
            }
            let version: Option<i64> = m.try_get("evidence_version_id")?;
            if m.try_get::<i64, _>("checked")? != 1 || version.is_none() {
                return Err(AppError::Invalid(
                    "Kriteria ini belum dicentang dengan data dukung.".into(),
                ));
            }
            (true, version, true)
        }
        other => {
            return Err(AppError::Invalid(format!(
                "Tindakan '{other}' tidak dikenal (centang, hapus atau terima)."
            )))
        }
    };
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO criterion_mark (criterion_id, checked, evidence_version_id, accepted, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(criterion)
    .bind(checked as i64)
    .bind(version)
    .bind(accepted as i64)
    .bind(user.id)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let event = record_event(
        &mut tx,
        user.instansi_id,
        "kriteria.ditandai",
        &format!("siklus/{}/indikator/{code}", cycle.id),
        &serde_json::json!({"siklus": cycle.id, "indikator": code, "kriteria": criterion,
            "tindakan": action}),
        Some(user.id),
    )
    .await?;
    tx.commit().await?;
    Ok(event)
}

#[allow(clippy::too_many_arguments)]
pub async fn edit_criteria(
    db: &Db,
    user: &CurrentUser,
    cycle_id: i64,
    code: &str,
    level: &str,
    body: &str,
    retire: i64,
) -> Result<i64, AppError> {
    if !may_set_official(user.role) {
        return Err(AppError::Forbidden);
    }
    let cycle = load_cycle(db, user.instansi_id, Some(cycle_id)).await?;
    check_indicator(&cycle, code)?;
    let mut tx = db.begin().await?;
    if retire > 0 {
        let n = sqlx::query(
            "UPDATE criterion SET is_active = 0 WHERE id = $1 AND cycle_id = $2 \
             AND indicator_code = $3",
        )
        .bind(retire)
        .bind(cycle.id)
        .bind(code)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n != 1 {
            return Err(AppError::NotFound("Kriteria".into()));
        }
    } else {
        let level: i64 = match level.trim().parse() {
            Ok(l) if (1..=5).contains(&l) => l,
            _ => return Err(AppError::Invalid("Pilih level 1 sampai 5.".into())),
        };
        let body = check_text(body, "Kriteria", true)?;
        sqlx::query(
            "INSERT INTO criterion (cycle_id, indicator_code, level, body, created_by, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(cycle.id)
        .bind(code)
        .bind(level)
        .bind(&body)
        .bind(user.id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    }
    let event = record_event(
        &mut tx,
        user.instansi_id,
        "kriteria.diubah",
        &format!("siklus/{}/indikator/{code}", cycle.id),
        &serde_json::json!({"siklus": cycle.id, "indikator": code, "pensiun": retire}),
        Some(user.id),
    )
    .await?;
    tx.commit().await?;
    Ok(event)
}

/// Every OPD of an instansi, by code.
pub async fn opds_of(db: &Db, instansi_id: i64) -> Result<Vec<OpdRef>, AppError> {
    sqlx::query("SELECT id, code, name FROM opd WHERE instansi_id = $1 ORDER BY code")
        .bind(instansi_id)
        .fetch_all(&db.pool)
        .await?
        .into_iter()
        .map(|r| {
            Ok(OpdRef {
                id: r.try_get("id")?,
                code: r.try_get("code")?,
                name: r.try_get("name")?,
            })
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
pub async fn responsibility(
    db: &Db,
    user: &CurrentUser,
    cycle_id: i64,
    code: &str,
    lead: &str,
    contributors: &str,
    effort: &str,
) -> Result<i64, AppError> {
    if !may_set_official(user.role) {
        return Err(AppError::Forbidden);
    }
    let cycle = load_cycle(db, user.instansi_id, Some(cycle_id)).await?;
    check_indicator(&cycle, code)?;
    let opds = opds_of(db, user.instansi_id).await?;
    let find = |c: &str| {
        let c = c.trim().to_uppercase();
        opds.iter()
            .find(|o| o.code == c)
            .map(|o| o.id)
            .ok_or_else(|| AppError::Invalid(format!("OPD '{c}' tidak dikenal.")))
    };
    let lead_id = match lead.trim() {
        "" => None,
        c => Some(find(c)?),
    };
    let mut contributor_ids = Vec::new();
    for c in contributors.split(',').filter(|c| !c.trim().is_empty()) {
        let id = find(c)?;
        if Some(id) != lead_id && !contributor_ids.contains(&id) {
            contributor_ids.push(id);
        }
    }
    let effort: i64 = match effort.trim().parse() {
        Ok(e) if (1..=5).contains(&e) => e,
        _ => {
            return Err(AppError::Invalid(format!(
                "Perkiraan upaya '{}' harus 1 sampai 5.",
                effort.trim()
            )))
        }
    };
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM cycle_indicator WHERE cycle_id = $1 AND indicator_code = $2")
        .bind(cycle.id)
        .bind(code)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO cycle_indicator (cycle_id, indicator_code, lead_opd_id, effort) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(cycle.id)
    .bind(code)
    .bind(lead_id)
    .bind(effort)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM indicator_contributor WHERE cycle_id = $1 AND indicator_code = $2")
        .bind(cycle.id)
        .bind(code)
        .execute(&mut *tx)
        .await?;
    for id in &contributor_ids {
        sqlx::query(
            "INSERT INTO indicator_contributor (cycle_id, indicator_code, opd_id) \
             VALUES ($1, $2, $3)",
        )
        .bind(cycle.id)
        .bind(code)
        .bind(*id)
        .execute(&mut *tx)
        .await?;
    }
    let event = record_event(
        &mut tx,
        user.instansi_id,
        "matriks.diubah",
        &format!("siklus/{}/indikator/{code}", cycle.id),
        &serde_json::json!({"siklus": cycle.id, "indikator": code, "pengampu": lead_id,
            "kontributor": contributor_ids, "upaya": effort}),
        Some(user.id),
    )
    .await?;
    tx.commit().await?;
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_level_is_read_exactly_or_refused_by_name() {
        assert_eq!(parse_level("4").unwrap(), Ratio::from_int(4));
        assert_eq!(parse_level("4,5").unwrap(), Ratio::new(9, 2).unwrap());
        assert_eq!(parse_level("7/6").unwrap(), Ratio::new(7, 6).unwrap());
        for bad in ["", "0", "6", "lima", "0.5"] {
            assert!(parse_level(bad).is_err(), "{bad}");
        }
    }
}
