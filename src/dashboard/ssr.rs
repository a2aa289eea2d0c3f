//! SQL and assembly of the dashboard. Scores come from the shared engine only.

use super::{
    charts::Band, CycleLink, DashboardData, Figure, HistoryPoint, PartRow, Stage, StageSummary,
};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::format::index_id;
use crate::scoring::ratio::{format_scaled, Ratio};
use crate::scoring::{weight_percent, Framework, PartScore, Score};
use crate::server::db::Db;
use sqlx::Row;
use std::collections::HashMap;

/// A cycle row with its validated framework.
pub struct CycleInfo {
    pub id: i64,
    pub instansi_id: i64,
    pub name: String,
    pub framework: Framework,
}

/// Loads a cycle of the given instansi (`None`: its current one). A cycle of another instansi
/// is "not found", never shown.
pub async fn load_cycle(db: &Db, instansi_id: i64, id: Option<i64>) -> Result<CycleInfo, AppError> {
    // Two literal queries rather than one built at run time: no SQL is ever assembled.
    let row = match id {
        Some(id) => {
            sqlx::query(
                "SELECT c.id, c.instansi_id, c.name, p.document FROM cycle c \
                 JOIN framework_pack p ON p.id = c.pack_id WHERE c.instansi_id = $1 AND c.id = $2",
            )
            .bind(instansi_id)
            .bind(id)
            .fetch_optional(&db.pool)
            .await?
        }
        None => {
            sqlx::query(
                "SELECT c.id, c.instansi_id, c.name, p.document FROM cycle c \
                 JOIN framework_pack p ON p.id = c.pack_id WHERE c.instansi_id = $1 \
                 ORDER BY c.is_current DESC, c.year DESC, c.id DESC LIMIT 1",
            )
            .bind(instansi_id)
            .fetch_optional(&db.pool)
            .await?
        }
    };
    let row = row.ok_or_else(|| AppError::NotFound("Siklus evaluasi".into()))?;
    let document: String = row.try_get("document")?;
    let framework = Framework::from_json(&document).map_err(|e| {
        tracing::error!(error = %e, "stored framework pack is invalid");
        AppError::Internal
    })?;
    Ok(CycleInfo {
        id: row.try_get("id")?,
        instansi_id: row.try_get("instansi_id")?,
        name: row.try_get("name")?,
        framework,
    })
}

/// The level in force per (stage, indicator): the newest ledger entry.
pub async fn current_levels(
    db: &Db,
    cycle_id: i64,
) -> Result<HashMap<Stage, HashMap<String, Ratio>>, AppError> {
    let rows = sqlx::query(
        "SELECT le.stage, le.indicator_code, le.level_num, le.level_den FROM level_entry le \
         WHERE le.cycle_id = $1 AND le.id = (SELECT MAX(x.id) FROM level_entry x \
           WHERE x.cycle_id = le.cycle_id AND x.stage = le.stage \
             AND x.indicator_code = le.indicator_code)",
    )
    .bind(cycle_id)
    .fetch_all(&db.pool)
    .await?;
    let mut out: HashMap<Stage, HashMap<String, Ratio>> = HashMap::new();
    for r in rows {
        let stage: String = r.try_get("stage")?;
        let Some(stage) = Stage::parse(&stage) else {
            continue;
        };
        let num: i64 = r.try_get("level_num")?;
        let den: i64 = r.try_get("level_den")?;
        let level = Ratio::new(num as i128, den as i128).ok_or(AppError::Internal)?;
        out.entry(stage)
            .or_default()
            .insert(r.try_get("indicator_code")?, level);
    }
    Ok(out)
}

/// Scores a stage when every indicator of the framework has a level in it.
pub fn stage_score(
    f: &Framework,
    levels: Option<&HashMap<String, Ratio>>,
) -> (usize, Option<Score>) {
    let Some(levels) = levels else {
        return (0, None);
    };
    let vec: Vec<Option<Ratio>> = f
        .indicators
        .iter()
        .map(|i| levels.get(&i.code).copied())
        .collect();
    let filled = vec.iter().filter(|l| l.is_some()).count();
    if filled < f.indicators.len() {
        return (filled, None);
    }
    let vec: Vec<Ratio> = vec.into_iter().flatten().collect();
    (filled, f.score_vec(&vec).ok())
}

pub fn figure(published: i128, exact: Ratio, decimals: u32) -> Figure {
    Figure {
        text: index_id(published, decimals),
        exact: exact.to_exact_string().replace('.', ","),
        value: published as f64 / 10f64.powi(decimals as i32),
    }
}

fn part_figure(p: &PartScore, decimals: u32) -> Figure {
    figure(p.published, p.exact, decimals)
}

fn hundredths(v: i64) -> Figure {
    Figure {
        text: index_id(v as i128, 2),
        exact: format_scaled(v as i128, 2, ','),
        value: v as f64 / 100.0,
    }
}

pub async fn dashboard(
    db: &Db,
    user: &CurrentUser,
    cycle_id: Option<i64>,
) -> Result<DashboardData, AppError> {
    dashboard_for(db, user.instansi_id, &user.instansi_name, cycle_id).await
}

/// The dashboard of a cycle of an instansi (`None`: its current cycle).
pub async fn dashboard_for(
    db: &Db,
    instansi_id: i64,
    instansi_name: &str,
    cycle_id: Option<i64>,
) -> Result<DashboardData, AppError> {
    Ok(dashboard_parts(db, instansi_id, instansi_name, cycle_id)
        .await?
        .data)
}

/// The dashboard with what it was built from, for pages that build more on the same reads.
pub struct DashboardParts {
    pub data: DashboardData,
    pub cycle: CycleInfo,
    pub levels: HashMap<Stage, HashMap<String, Ratio>>,
}

pub async fn dashboard_parts(
    db: &Db,
    instansi_id: i64,
    instansi_name: &str,
    cycle_id: Option<i64>,
) -> Result<DashboardParts, AppError> {
    // Read first: anything committed after this number reaches the page through the feed.
    let last_event = crate::live::ssr::latest_event(db, instansi_id).await?;
    let cycle = load_cycle(db, instansi_id, cycle_id).await?;
    let f = &cycle.framework;
    let levels = current_levels(db, cycle.id).await?;

    let mut stages = Vec::new();
    let mut scores: HashMap<Stage, Score> = HashMap::new();
    for stage in Stage::ALL {
        let (filled, score) = stage_score(f, levels.get(&stage));
        stages.push(StageSummary {
            stage,
            label: stage.label().to_string(),
            filled,
            total: f.indicators.len(),
            index: score
                .as_ref()
                .map(|s| figure(s.published, s.exact, s.decimals)),
            predicate: score.as_ref().map(|s| s.predicate.clone()),
        });
        if let Some(s) = score {
            scores.insert(stage, s);
        }
    }
    let headline_stage = Stage::HEADLINE_ORDER
        .into_iter()
        .find(|s| scores.contains_key(s));
    let headline = headline_stage.and_then(|s| scores.get(&s));
    let target = scores.get(&Stage::Target);

    let rows = |pick: fn(&Score) -> &Vec<PartScore>, groups: Vec<(String, String, i64)>| {
        groups
            .into_iter()
            .enumerate()
            .map(|(i, (code, name, weight))| PartRow {
                code,
                name,
                weight: weight_percent(weight).replace('.', ","),
                index: headline.map(|s| part_figure(&pick(s)[i], f.decimals)),
                target: target.map(|s| part_figure(&pick(s)[i], f.decimals)),
            })
            .collect::<Vec<_>>()
    };
    let aspects = rows(
        |s| &s.aspects,
        f.aspects
            .iter()
            .map(|a| (a.code.clone(), a.name.clone(), a.weight))
            .collect(),
    );
    let domains = rows(
        |s| &s.domains,
        f.domains
            .iter()
            .map(|d| (d.code.clone(), d.name.clone(), d.weight))
            .collect(),
    );

    let cycles = sqlx::query(
        "SELECT id, name, is_current FROM cycle WHERE instansi_id = $1 ORDER BY year DESC, id DESC",
    )
    .bind(cycle.instansi_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(CycleLink {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            is_current: r.try_get::<i64, _>("is_current")? == 1,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;

    // History: the city's published results and the national average, by year.
    let city = sqlx::query(
        "SELECT year, index_hundredths, predicate FROM index_history WHERE instansi_id = $1",
    )
    .bind(cycle.instansi_id)
    .fetch_all(&db.pool)
    .await?;
    let national = sqlx::query("SELECT year, index_hundredths FROM national_average")
        .fetch_all(&db.pool)
        .await?;
    let mut by_year: std::collections::BTreeMap<i64, HistoryPoint> = Default::default();
    for r in &city {
        let year: i64 = r.try_get("year")?;
        let p = by_year
            .entry(year)
            .or_insert_with(|| HistoryPoint::empty(year));
        p.city = Some(hundredths(r.try_get("index_hundredths")?));
        p.city_predicate = Some(r.try_get("predicate")?);
    }
    for r in &national {
        let year: i64 = r.try_get("year")?;
        let p = by_year
            .entry(year)
            .or_insert_with(|| HistoryPoint::empty(year));
        p.national = Some(hundredths(r.try_get("index_hundredths")?));
    }

    let bands = f
        .predicates
        .iter()
        .map(|p| Band {
            name: p.name.clone(),
            min: p.min.numer() as f64 / p.min.denom() as f64,
            max: p.max.numer() as f64 / p.max.denom() as f64,
        })
        .collect();
    let band_texts = f
        .predicates
        .iter()
        .rev()
        .map(|p| {
            let lo = p.min.round_half_up(2);
            let hi = p.max.round_half_up(2);
            let range = format!(
                "{} {}{} – {}{}",
                if p.min_inclusive { "≥" } else { ">" },
                index_id(lo, 2),
                "",
                if p.max_inclusive { "≤ " } else { "< " },
                index_id(hi, 2)
            );
            (p.name.clone(), range)
        })
        .collect();

    let data = DashboardData {
        instansi: instansi_name.to_string(),
        cycles,
        cycle_id: cycle.id,
        cycle_name: cycle.name.clone(),
        framework_name: f.name.clone(),
        regulation: f.regulation.clone(),
        headline_stage,
        headline: headline.map(|s| figure(s.published, s.exact, s.decimals)),
        predicate: headline.map(|s| s.predicate.clone()),
        stages,
        aspects,
        domains,
        bands,
        band_texts,
        history: by_year.into_values().collect(),
        last_event,
    };
    Ok(DashboardParts {
        data,
        cycle,
        levels,
    })
}
