//! SQL and assembly of the war room and its kiosk links. Scores come from the shared engine.

use super::{
    next_milestone, AspectTriple, HeatCell, HeatMap, KioskLinkRow, LeadershipData, NextStep,
    OverdueRow, PlanNote, WorkStatus,
};
use crate::assessment::plan::{cheapest_path, fill_levels, Goal};
use crate::assessment::ssr::{assignments, claim_states};
use crate::assessment::{ClaimStatus, OpdRef, Stage};
use crate::auth::CurrentUser;
use crate::boards::rules::{due_state, today_wib, Due};
use crate::dashboard::ssr::{current_levels, dashboard_parts, figure, stage_score, DashboardParts};
use crate::error::AppError;
use crate::scoring::ratio::format_scaled;
use crate::server::db::{now, record_event, Db};
use crate::server::AppState;
use sqlx::Row;
use std::collections::{BTreeMap, HashMap, HashSet};

/// How many next steps the war room shows.
pub const STEPS_SHOWN: usize = 5;

pub async fn instansi_name(db: &Db, instansi_id: i64) -> Result<String, AppError> {
    Ok(sqlx::query("SELECT name FROM instansi WHERE id = $1")
        .bind(instansi_id)
        .fetch_one(&db.pool)
        .await?
        .try_get("name")?)
}

pub async fn leadership(
    db: &Db,
    instansi_id: i64,
    cycle: Option<i64>,
) -> Result<LeadershipData, AppError> {
    let name = instansi_name(db, instansi_id).await?;
    // The dashboard reads the event number first, so nothing committed after it is missed.
    let DashboardParts {
        data: d,
        cycle: info,
        levels,
    } = dashboard_parts(db, instansi_id, &name, cycle).await?;
    let f = &info.framework;

    // Aspects: Mandiri and Target of this cycle, Nilai Akhir of the previous cycle of the same
    // framework (when it is complete).
    let (_, mandiri) = stage_score(f, levels.get(&Stage::Mandiri));
    let (_, target) = stage_score(f, levels.get(&Stage::Target));
    let previous = sqlx::query(
        "SELECT c.id, c.name FROM cycle c JOIN framework_pack p ON p.id = c.pack_id \
         WHERE c.instansi_id = $1 AND p.code = (SELECT p2.code FROM cycle c2 \
           JOIN framework_pack p2 ON p2.id = c2.pack_id WHERE c2.id = $2) \
           AND c.year < (SELECT year FROM cycle WHERE id = $2) ORDER BY c.year DESC, c.id DESC LIMIT 1",
    )
    .bind(instansi_id)
    .bind(info.id)
    .fetch_optional(&db.pool)
    .await?;
    let mut last_year = None;
    let mut last_akhir = None;
    if let Some(p) = previous {
        let pid: i64 = p.try_get("id")?;
        let plevels = current_levels(db, pid).await?;
        if let (_, Some(s)) = stage_score(f, plevels.get(&Stage::Akhir)) {
            last_year = Some(p.try_get::<String, _>("name")?);
            last_akhir = Some(s);
        }
    }
    let part = |s: &Option<crate::scoring::Score>, i: usize| {
        s.as_ref()
            .map(|s| figure(s.aspects[i].published, s.aspects[i].exact, f.decimals))
    };
    let aspects = f
        .aspects
        .iter()
        .enumerate()
        .map(|(i, a)| AspectTriple {
            code: a.code.clone(),
            name: a.name.clone(),
            mandiri: part(&mandiri, i),
            target: part(&target, i),
            last_akhir: part(&last_akhir, i),
        })
        .collect();

    // The OPD × indicator map.
    let assign = assignments(db, info.id).await?;
    let claims = claim_states(db, info.id).await?;
    let mut started: HashSet<String> = HashSet::new();
    for r in sqlx::query(
        "SELECT DISTINCT c.indicator_code FROM criterion_mark m \
         JOIN criterion c ON c.id = m.criterion_id WHERE c.cycle_id = $1 AND m.checked = 1",
    )
    .bind(info.id)
    .fetch_all(&db.pool)
    .await?
    {
        started.insert(r.try_get("indicator_code")?);
    }
    for r in sqlx::query(
        "SELECT DISTINCT ci.indicator_code FROM card_indicator ci JOIN card k ON k.id = ci.card_id \
         JOIN board b ON b.id = k.board_id WHERE b.cycle_id = $1",
    )
    .bind(info.id)
    .fetch_all(&db.pool)
    .await?
    {
        started.insert(r.try_get("indicator_code")?);
    }
    let statuses: Vec<WorkStatus> = f
        .indicators
        .iter()
        .map(|ind| {
            WorkStatus::of(
                claims
                    .get(&ind.code)
                    .map(|c| c.status)
                    .unwrap_or(ClaimStatus::Kosong),
                started.contains(&ind.code),
            )
        })
        .collect();
    let status_counts = WorkStatus::ALL
        .iter()
        .map(|s| (*s, statuses.iter().filter(|x| *x == s).count()))
        .collect();
    // OPDs with any responsibility, most indicators led first.
    let mut involvement: BTreeMap<i64, (OpdRef, usize, usize)> = BTreeMap::new();
    for ind in &f.indicators {
        if let Some(a) = assign.get(&ind.code) {
            if let Some(lead) = &a.lead {
                involvement
                    .entry(lead.id)
                    .or_insert_with(|| (lead.clone(), 0, 0))
                    .1 += 1;
            }
            for c in &a.contributors {
                involvement
                    .entry(c.id)
                    .or_insert_with(|| (c.clone(), 0, 0))
                    .2 += 1;
            }
        }
    }
    let mut opds: Vec<(OpdRef, usize, usize)> = involvement.into_values().collect();
    opds.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(b.2.cmp(&a.2))
            .then(a.0.code.cmp(&b.0.code))
    });
    let row_of: HashMap<i64, usize> = opds.iter().enumerate().map(|(i, o)| (o.0.id, i)).collect();
    let mut cells = Vec::new();
    for (j, ind) in f.indicators.iter().enumerate() {
        if let Some(a) = assign.get(&ind.code) {
            let lead = a.lead.as_ref().map(|o| o.id);
            let ids = lead.into_iter().chain(a.contributors.iter().map(|o| o.id));
            for id in ids {
                if let Some(&row) = row_of.get(&id) {
                    cells.push(HeatCell {
                        opd: row,
                        indicator: j,
                        status: statuses[j],
                        lead: Some(id) == lead,
                    });
                }
            }
        }
    }
    let heat = HeatMap {
        opds: opds.into_iter().map(|o| o.0).collect(),
        indicators: f
            .indicators
            .iter()
            .map(|i| (i.code.clone(), i.name.clone()))
            .collect(),
        aspect_of: f
            .indicators
            .iter()
            .map(|i| f.aspects[i.aspect].code.clone())
            .collect(),
        statuses: statuses.clone(),
        cells,
    };

    // Board cards by lead OPD: overdue and due soon, open ones only.
    let today = today_wib(now());
    let cards = sqlx::query(
        "SELECT o.code, o.name, k.due_date, bc.is_done FROM card k \
         JOIN board b ON b.id = k.board_id JOIN board_column bc ON bc.id = k.column_id \
         JOIN opd o ON o.id = k.lead_opd_id WHERE b.cycle_id = $1 AND k.due_date IS NOT NULL",
    )
    .bind(info.id)
    .fetch_all(&db.pool)
    .await?;
    let mut by_opd: BTreeMap<String, OverdueRow> = BTreeMap::new();
    for r in cards {
        let due: Option<String> = r.try_get("due_date")?;
        let done = r.try_get::<i64, _>("is_done")? == 1;
        let state = due_state(due.as_deref(), done, &today);
        if !matches!(state, Due::Overdue | Due::Soon) {
            continue;
        }
        let code: String = r.try_get("code")?;
        let row = by_opd.entry(code.clone()).or_insert_with(|| OverdueRow {
            opd_code: code,
            opd_name: String::new(),
            overdue: 0,
            due_soon: 0,
        });
        row.opd_name = r.try_get("name")?;
        if state == Due::Overdue {
            row.overdue += 1;
        } else {
            row.due_soon += 1;
        }
    }
    let mut overdue: Vec<OverdueRow> = by_opd.into_values().collect();
    overdue.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then(b.due_soon.cmp(&a.due_soon))
            .then(a.opd_code.cmp(&b.opd_code))
    });
    let board_id: Option<i64> = sqlx::query(
        "SELECT id FROM board WHERE cycle_id = $1 ORDER BY is_default DESC, id LIMIT 1",
    )
    .bind(info.id)
    .fetch_optional(&db.pool)
    .await?
    .map(|r| r.try_get("id"))
    .transpose()?;

    // The next milestone.
    let ms = sqlx::query("SELECT kind, due_on FROM milestone WHERE cycle_id = $1")
        .bind(info.id)
        .fetch_all(&db.pool)
        .await?;
    let mut pairs = Vec::new();
    for r in ms {
        let kind: String = r.try_get("kind")?;
        let label = crate::cycles::MILESTONES
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, l)| l.to_string())
            .unwrap_or(kind);
        pairs.push((label, r.try_get::<String, _>("due_on")?));
    }
    let milestone = next_milestone(&today, &pairs);

    // The cheapest path from the Mandiri levels to the next predicate.
    let mandiri_vec: Vec<_> = f
        .indicators
        .iter()
        .map(|i| {
            levels
                .get(&Stage::Mandiri)
                .and_then(|m| m.get(&i.code))
                .copied()
        })
        .collect();
    let (vec, missing) = fill_levels(f, &mandiri_vec);
    let (steps, plan) = next_steps(f, &vec, missing, target.as_ref(), &assign);
    Ok(LeadershipData {
        instansi: d.instansi,
        cycle_id: d.cycle_id,
        cycle_name: d.cycle_name,
        framework_name: d.framework_name,
        regulation: d.regulation,
        headline_stage: d.headline_stage,
        headline: d.headline,
        predicate: d.predicate,
        bands: d.bands,
        band_texts: d.band_texts,
        stages: d.stages,
        aspects,
        last_year,
        history: d.history,
        heat,
        status_counts,
        overdue,
        board_id,
        milestone,
        steps,
        plan,
        commitment: crate::commitment::ssr::count(db, instansi_id, info.id).await?,
        kiosk_links: None,
        drill: true,
        read_at: now(),
        last_event: d.last_event,
    })
}

/// The top steps of the cheapest path from the Mandiri levels: to the Target index when the
/// plan aims higher than the claims, else to the next predicate, and at the top predicate to ten
/// hundredths more (there is always a next step until every indicator is at 5).
fn next_steps(
    f: &crate::scoring::Framework,
    levels: &[crate::scoring::ratio::Ratio],
    missing: usize,
    target: Option<&crate::scoring::Score>,
    assign: &HashMap<String, crate::assessment::ssr::Assignment>,
) -> (Vec<NextStep>, PlanNote) {
    let now = match f.score_vec(levels) {
        Ok(s) => s,
        Err(e) => return (Vec::new(), PlanNote::None(e.to_string())),
    };
    let top = 5 * 10i128.pow(f.decimals);
    let goal = match target {
        Some(t) if t.published > now.published => Goal::Index(t.published),
        _ if f.predicates.last().is_some_and(|p| p.name == now.predicate) => {
            Goal::Index((now.published + 10i128.pow(f.decimals) / 10).min(top))
        }
        _ => Goal::NextPredicate,
    };
    let from_target = matches!(goal, Goal::Index(p) if target.is_some_and(|t| t.published == p));
    match cheapest_path(f, levels, goal, None) {
        Ok(plan) => {
            let steps = plan
                .steps
                .iter()
                .take(STEPS_SHOWN)
                .map(|s| NextStep {
                    code: s.code.clone(),
                    name: s.name.clone(),
                    from: crate::format::level_id(s.from),
                    to: crate::format::level_id(s.to),
                    gain: format_scaled(s.gain.round_half_up(4), 4, ','),
                    lead: assign
                        .get(&s.code)
                        .and_then(|a| a.lead.as_ref().map(|o| o.code.clone())),
                })
                .collect();
            let note = match goal {
                Goal::Index(p) => PlanNote::Index {
                    index: crate::format::index_id(p, f.decimals),
                    target: from_target,
                    steps: plan.steps.len(),
                    missing,
                },
                Goal::NextPredicate => PlanNote::Predicate {
                    name: plan
                        .goal
                        .strip_prefix("predikat ")
                        .unwrap_or(&plan.goal)
                        .to_string(),
                    steps: plan.steps.len(),
                    missing,
                },
            };
            (steps, note)
        }
        Err(e) => (Vec::new(), PlanNote::None(e.to_string())),
    }
}

// ---------------------------------------------------------------------------------------------
// Kiosk links
// ---------------------------------------------------------------------------------------------

/// The instansi of a live (not revoked) kiosk token.
pub async fn kiosk_instansi(db: &Db, token: &str) -> Result<Option<i64>, AppError> {
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT instansi_id FROM kiosk_link WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(crate::auth::ssr::token_hash(token))
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|r| r.try_get("instansi_id")).transpose()?)
}

pub async fn kiosk_links(db: &Db, instansi_id: i64) -> Result<Vec<KioskLinkRow>, AppError> {
    let rows = sqlx::query(
        "SELECT k.id, k.label, k.created_at, k.revoked_at, u.display_name FROM kiosk_link k \
         LEFT JOIN users u ON u.id = k.created_by WHERE k.instansi_id = $1 ORDER BY k.id DESC",
    )
    .bind(instansi_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(KioskLinkRow {
                id: r.try_get("id")?,
                label: r.try_get("label")?,
                created_by: r
                    .try_get::<Option<String>, _>("display_name")?
                    .unwrap_or_default(),
                created_at: r.try_get("created_at")?,
                revoked_at: r.try_get("revoked_at")?,
            })
        })
        .collect()
}

/// A kiosk link's label: 1 to 80 characters.
pub fn check_label(label: &str) -> Result<String, AppError> {
    let l = label.trim();
    if l.is_empty() {
        return Err(AppError::Invalid(
            "Beri nama layar, mis. \"Ruang rapat wali kota\".".into(),
        ));
    }
    if l.chars().count() > 80 {
        return Err(AppError::Invalid(
            "Nama layar paling panjang 80 karakter.".into(),
        ));
    }
    Ok(l.to_string())
}

pub async fn create_kiosk_link(
    state: &AppState,
    user: &CurrentUser,
    label: &str,
) -> Result<String, AppError> {
    if !user.role.manages_accounts() {
        return Err(AppError::Forbidden);
    }
    let label = check_label(label)?;
    use rand::RngCore;
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let t = now();
    let mut tx = state.db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO kiosk_link (instansi_id, token_hash, label, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(user.instansi_id)
    .bind(crate::auth::ssr::token_hash(&token))
    .bind(&label)
    .bind(user.id)
    .bind(t)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    record_event(
        &mut tx,
        user.instansi_id,
        "kios.dibuat",
        &format!("pimpinan/kios/{id}"),
        &serde_json::json!({ "label": label }),
        Some(user.id),
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

pub async fn revoke_kiosk_link(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<(), AppError> {
    if !user.role.manages_accounts() {
        return Err(AppError::Forbidden);
    }
    let mut tx = state.db.begin().await?;
    let n = sqlx::query(
        "UPDATE kiosk_link SET revoked_at = $1 WHERE id = $2 AND instansi_id = $3 \
         AND revoked_at IS NULL",
    )
    .bind(now())
    .bind(id)
    .bind(user.instansi_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(AppError::NotFound("Tautan kios yang masih berlaku".into()));
    }
    record_event(
        &mut tx,
        user.instansi_id,
        "kios.dicabut",
        &format!("pimpinan/kios/{id}"),
        &serde_json::json!({}),
        Some(user.id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
