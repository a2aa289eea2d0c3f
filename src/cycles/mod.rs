//! Running cycles: creating one (carried forward from an earlier one, through a crosswalk when
//! the framework changes), milestones, submitting and freezing a stage, importing the official
//! result, and calibration (where the city over- or under-claims).

// A server fn takes one argument per form field (the cycle form has eight), and the code the
// `server` macro generates for the browser does not carry a per-function allow.
#![allow(clippy::too_many_arguments)]

pub mod carry;
pub mod import;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::assessment::{EvidenceRef, Stage};
use crate::dashboard::Figure;
use crate::error::AppError;
use import::ImportRow;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Milestone kinds of a cycle, in order, with their Indonesian labels.
pub const MILESTONES: [(&str, &str); 5] = [
    ("mandiri", "Batas penilaian mandiri"),
    ("dokumen", "Penilaian dokumen"),
    ("wawancara", "Wawancara"),
    ("visitasi", "Visitasi"),
    ("hasil", "Pengumuman hasil"),
];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    pub kind: String,
    pub label: String,
    pub due_on: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SnapshotRow {
    pub id: i64,
    pub stage: Stage,
    pub note: String,
    pub by: String,
    pub at: String,
    pub indicators: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PackChoice {
    pub code: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CycleChoice {
    pub id: i64,
    pub name: String,
}

/// What the cycle pages show around the indicators: dates, frozen stages, and choices for the
/// koordinator's forms.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CycleMeta {
    pub id: i64,
    pub name: String,
    pub is_current: bool,
    pub milestones: Vec<Milestone>,
    pub snapshots: Vec<SnapshotRow>,
    pub can_manage: bool,
    pub packs: Vec<PackChoice>,
    pub cycles: Vec<CycleChoice>,
    pub last_event: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreatedCycle {
    pub id: i64,
    pub carried: usize,
    pub unmapped: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiffRow {
    pub code: String,
    pub name: String,
    pub frozen: Option<String>,
    pub live: Option<String>,
    pub level_changed: bool,
    pub frozen_evidence: Vec<EvidenceRef>,
    pub live_evidence: Vec<EvidenceRef>,
    pub evidence_changed: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SnapshotView {
    pub id: i64,
    pub cycle_id: i64,
    pub cycle_name: String,
    pub stage: Stage,
    pub note: String,
    pub by: String,
    pub at: String,
    pub frozen_index: Option<Figure>,
    pub frozen_predicate: Option<String>,
    pub live_index: Option<Figure>,
    pub live_predicate: Option<String>,
    pub rows: Vec<DiffRow>,
    pub changed: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportView {
    pub id: i64,
    pub cycle_id: i64,
    pub cycle_name: String,
    pub stage: Stage,
    pub file_name: String,
    /// `pratinjau`, `diterapkan` or `dibatalkan`.
    pub status: String,
    pub rows: Vec<ImportRow>,
    pub problems: usize,
    pub missing: Vec<String>,
    pub can_confirm: bool,
    /// The index of the stage once applied (when every indicator then has a level).
    pub index_after: Option<Figure>,
    pub predicate_after: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalibrationRow {
    pub code: String,
    pub name: String,
    pub mandiri: Option<String>,
    pub verifikasi: Option<String>,
    /// Akhir, else Eksternal.
    pub resmi: Option<String>,
    /// Mandiri minus the most authoritative later level, e.g. `+1` (over-claimed), `-0,5`.
    pub gap: Option<String>,
    pub gap_sign: i8,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalibrationCycle {
    pub id: i64,
    pub name: String,
    pub rows: Vec<CalibrationRow>,
    pub over: usize,
    pub under: usize,
    pub equal: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalibrationView {
    pub cycle_id: i64,
    pub framework_name: String,
    /// Every cycle of the same framework, newest first.
    pub cycles: Vec<CalibrationCycle>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CycleChoices {
    pub can_manage: bool,
    pub packs: Vec<PackChoice>,
    pub cycles: Vec<CycleChoice>,
}

/// What the "new cycle" form offers: framework packs and earlier cycles to carry forward.
#[server(prefix = "/api", endpoint = "siklus-pilihan")]
pub async fn new_cycle_choices() -> Result<CycleChoices, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::choices(&state.db, &user).await
        }
        .await,
    )
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CrosswalkRow {
    pub code: String,
    pub name: String,
    /// (code, name) of the source indicators.
    pub sources: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CrosswalkView {
    pub from_name: String,
    pub to_name: String,
    pub rows: Vec<CrosswalkRow>,
    pub from_codes: Vec<(String, String)>,
    pub can_edit: bool,
}

/// The SPBE 2020 → Pemdi 2026 crosswalk of the caller's instansi.
#[server(prefix = "/api", endpoint = "padanan")]
pub async fn get_crosswalk() -> Result<CrosswalkView, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::crosswalk(&state.db, &user).await
        }
        .await,
    )
}

/// Koordinator: add (`tambah`) or remove (`hapus`) that SPBE indicator `from` feeds Pemdi
/// indicator `to`.
#[server(prefix = "/api", endpoint = "padanan-ubah")]
pub async fn edit_crosswalk(to: String, from: String, action: String) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::edit_crosswalk(&state.db, &user, &to, &from, &action).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "siklus-meta")]
pub async fn get_cycle_meta(id: i64) -> Result<CycleMeta, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::meta(&state.db, &user, id).await
        }
        .await,
    )
}

/// Koordinator/admin: a new cycle of a framework pack, optionally carried forward from an
/// earlier cycle (`from`, 0 for none): its levels become Target proposals with their evidence,
/// and its responsibility matrix is copied where the indicator exists.
#[server(prefix = "/api", endpoint = "siklus-baru")]
pub async fn create_cycle(
    name: String,
    year: String,
    pack: String,
    from: i64,
) -> Result<CreatedCycle, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::create(&state.db, &user, &name, &year, &pack, from).await
        }
        .await,
    )
}

/// Koordinator/admin: the cycle's name, whether it is the running one (`ya`/`tidak`), and
/// the milestone dates (ISO dates, empty to clear).
#[server(prefix = "/api", endpoint = "siklus-ubah")]
pub async fn update_cycle(
    cycle: i64,
    name: String,
    current: String,
    mandiri: String,
    dokumen: String,
    wawancara: String,
    visitasi: String,
    hasil: String,
) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            let dates = [mandiri, dokumen, wawancara, visitasi, hasil];
            ssr::update(&state.db, &user, cycle, &name, &current, &dates).await
        }
        .await,
    )
}

/// Koordinator: submit a stage and freeze it (the entries in force, hence their exact evidence
/// versions). Returns the snapshot id.
#[server(prefix = "/api", endpoint = "kirim-tahap")]
pub async fn submit_stage(cycle: i64, stage: String, note: String) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::submit(&state.db, &user, cycle, &stage, &note).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "beku")]
pub async fn get_snapshot(cycle: i64, id: i64) -> Result<SnapshotView, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::snapshot_view(&state.db, &user, cycle, id).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "impor")]
pub async fn get_import(cycle: i64, id: i64) -> Result<ImportView, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::import_view(&state.db, &user, cycle, id).await
        }
        .await,
    )
}

/// Koordinator: apply (`terapkan`) or discard (`batal`) a previewed import. Applying writes every
/// row or none, and only when no row has a problem.
#[server(prefix = "/api", endpoint = "impor-putuskan")]
pub async fn decide_import(cycle: i64, id: i64, decision: String) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::decide_import(&state.db, &user, cycle, id, &decision).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "kalibrasi")]
pub async fn get_calibration(cycle: i64) -> Result<CalibrationView, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::calibration(&state.db, &user, cycle).await
        }
        .await,
    )
}
