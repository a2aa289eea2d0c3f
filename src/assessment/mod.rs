//! The assessment ledger: stages of an evaluation and level entries per indicator.
//!
//! The ledger is append-only: a new entry supersedes the previous one of the same cycle,
//! indicator and stage; nothing is overwritten.

pub mod criteria;
pub mod pages;
pub mod plan;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::auth::Role;
use crate::dashboard::Figure;
use crate::error::AppError;
use crate::scoring::ratio::Ratio;
use crate::scoring::Framework;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The stages of an evaluation, in the order they happen (FRAMEWORKS.md §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Target,
    Mandiri,
    Verifikasi,
    Eksternal,
    Akhir,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Target,
        Stage::Mandiri,
        Stage::Verifikasi,
        Stage::Eksternal,
        Stage::Akhir,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Target => "target",
            Stage::Mandiri => "mandiri",
            Stage::Verifikasi => "verifikasi",
            Stage::Eksternal => "eksternal",
            Stage::Akhir => "akhir",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Target => "Target",
            Stage::Mandiri => "Penilaian Mandiri",
            Stage::Verifikasi => "Verifikasi Internal",
            Stage::Eksternal => "Penilaian Eksternal",
            Stage::Akhir => "Nilai Akhir",
        }
    }

    /// Which stage the headline index shows: the most authoritative complete one.
    pub const HEADLINE_ORDER: [Stage; 4] = [
        Stage::Akhir,
        Stage::Eksternal,
        Stage::Verifikasi,
        Stage::Mandiri,
    ];
}

// ---------------------------------------------------------------------------------------------
// Who may do what: plain rules, unit-tested, checked by every server fn.
// ---------------------------------------------------------------------------------------------

/// A self-assessment (Mandiri) claim: a member of the indicator's lead or a contributing OPD,
/// in a role that works on indicators (not the read-only leadership and viewer roles).
pub fn may_claim(role: Role, member_of: &[i64], lead: Option<i64>, contributors: &[i64]) -> bool {
    !matches!(role, Role::Viewer | Role::Pimpinan)
        && member_of
            .iter()
            .any(|o| Some(*o) == lead || contributors.contains(o))
}

/// Internal verification: an asesor, never of a claim they made themselves.
pub fn may_verify(role: Role, user_id: i64, claimed_by: Option<i64>) -> bool {
    role == Role::Asesor && claimed_by != Some(user_id)
}

/// Target, Eksternal and Akhir are set by whoever runs the cycle.
pub fn may_set_official(role: Role) -> bool {
    matches!(role, Role::Koordinator | Role::Admin)
}

/// Evidence is added by anyone who works on indicators.
pub fn may_add_evidence(role: Role) -> bool {
    !matches!(role, Role::Viewer | Role::Pimpinan)
}

// ---------------------------------------------------------------------------------------------
// Shared types of the workspace pages.
// ---------------------------------------------------------------------------------------------

/// Where the self-assessment of an indicator stands with the asesor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClaimStatus {
    /// No Mandiri level yet.
    Kosong,
    /// Claimed, waiting for the asesor.
    Menunggu,
    /// The asesor asked for a revision.
    Revisi,
    /// Accepted (a Verifikasi level exists for the newest claim).
    Diterima,
}

impl ClaimStatus {
    pub fn label(self) -> &'static str {
        match self {
            ClaimStatus::Kosong => "Belum diisi",
            ClaimStatus::Menunggu => "Menunggu verifikasi",
            ClaimStatus::Revisi => "Perlu revisi",
            ClaimStatus::Diterima => "Terverifikasi",
        }
    }
    pub fn class(self) -> &'static str {
        match self {
            ClaimStatus::Kosong => "st st-kosong",
            ClaimStatus::Menunggu => "st st-menunggu",
            ClaimStatus::Revisi => "st st-revisi",
            ClaimStatus::Diterima => "st st-diterima",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CycleRow {
    pub id: i64,
    pub name: String,
    pub year: i64,
    pub framework_name: String,
    pub is_current: bool,
    pub indicators: usize,
    pub mandiri_filled: usize,
    pub verified_filled: usize,
    pub mandiri: Option<Figure>,
    pub predicate: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorRow {
    pub code: String,
    pub name: String,
    pub aspect: String,
    pub weight: String,
    pub lead: Option<String>,
    pub contributors: Vec<String>,
    /// In [`Stage::ALL`] order.
    pub levels: Vec<Option<Ratio>>,
    pub status: ClaimStatus,
    pub effort: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CycleView {
    pub id: i64,
    pub name: String,
    pub framework: Framework,
    pub rows: Vec<IndicatorRow>,
    pub last_event: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpdRef {
    pub id: i64,
    pub code: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRef {
    pub evidence_id: i64,
    pub version_id: i64,
    pub title: String,
    pub version: i64,
    /// A download path for a file, or the registered link.
    pub href: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewRow {
    pub decision: String,
    pub reason: String,
    pub by: String,
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntryRow {
    pub id: i64,
    pub stage: Stage,
    pub level: String,
    pub justification: String,
    pub by: String,
    pub at: String,
    pub evidence: Vec<EvidenceRef>,
    pub reviews: Vec<ReviewRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageCell {
    pub stage: Stage,
    pub level: Option<String>,
    pub by: Option<String>,
    pub at: Option<String>,
}

/// An evidence item the caller can attach to a claim (its newest version is recorded).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvidenceChoice {
    pub id: i64,
    pub title: String,
    pub version: i64,
    pub doc_type: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorView {
    pub cycle_id: i64,
    pub cycle_name: String,
    pub framework_name: String,
    pub code: String,
    pub name: String,
    pub aspect: String,
    pub weight: String,
    pub scale: String,
    /// (level, name, description)
    pub levels: Vec<(u8, String, String)>,
    pub lead: Option<OpdRef>,
    pub contributors: Vec<OpdRef>,
    pub stages: Vec<StageCell>,
    pub status: ClaimStatus,
    /// The newest Mandiri entry, when there is one.
    pub claim_entry: Option<i64>,
    pub claim_level: Option<String>,
    pub history: Vec<EntryRow>,
    pub can_claim: bool,
    pub can_verify: bool,
    pub can_set_official: bool,
    pub evidence_choices: Vec<EvidenceChoice>,
    /// Every OPD of the instansi, for the koordinator's responsibility form (else empty).
    pub opds: Vec<OpdRef>,
    pub effort: u32,
    /// The same indicator in the previous cycle of the framework: (cycle, stage, level).
    pub previous: Option<(String, Stage, String)>,
    pub comments: Vec<CommentRow>,
    pub can_comment: bool,
    pub criteria: Vec<CriterionRow>,
    /// The level the criteria support under the continuous-level rule.
    pub supported_level: u8,
    /// The criteria still missing for the level above it.
    pub missing_next: Vec<String>,
    pub last_event: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriterionRow {
    pub id: i64,
    /// The mark in force (0: none yet).
    pub mark: i64,
    pub level: u8,
    pub body: String,
    pub checked: bool,
    pub evidence: Option<EvidenceRef>,
    pub accepted: bool,
    /// Who made the mark in force, and when.
    pub by: Option<String>,
    pub at: Option<String>,
    /// The asesor may accept it (checked, with evidence, not marked by themselves).
    pub can_accept: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommentRow {
    pub body: String,
    pub by: String,
    pub at: String,
}

// ---------------------------------------------------------------------------------------------
// Server fns. Each checks the caller; the SQL is in `ssr`.
// ---------------------------------------------------------------------------------------------

/// The cycles of the caller's instansi with their progress.
#[server(prefix = "/api", endpoint = "siklus")]
pub async fn list_cycles() -> Result<Vec<CycleRow>, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::cycles(&state.db, &user).await
        }
        .await,
    )
}

/// One cycle: its framework (for the what-if simulator) and every indicator with its levels.
#[server(prefix = "/api", endpoint = "siklus-detail")]
pub async fn get_cycle(id: i64) -> Result<CycleView, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::cycle_view(&state.db, &user, id).await
        }
        .await,
    )
}

/// One indicator of a cycle: stages side by side, the ledger history, what the caller may do.
#[server(prefix = "/api", endpoint = "indikator")]
pub async fn get_indicator(cycle: i64, code: String) -> Result<IndicatorView, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::indicator_view(&state.db, &user, cycle, &code).await
        }
        .await,
    )
}

/// A self-assessment (Mandiri) claim with its justification and evidence (comma-separated
/// evidence item ids; their newest versions are recorded). Returns the event number.
#[server(prefix = "/api", endpoint = "klaim-level")]
pub async fn claim_level(
    cycle: i64,
    code: String,
    level: String,
    justification: String,
    evidence: String,
) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::claim(
                &state.db,
                &user,
                cycle,
                &code,
                &level,
                &justification,
                &evidence,
            )
            .await
        }
        .await,
    )
}

/// The asesor's decision on the newest claim `entry`: `terima` (its level becomes the
/// Verifikasi level) or `revisi` (with a reason). Returns the event number.
#[server(prefix = "/api", endpoint = "verifikasi")]
pub async fn review_claim(
    cycle: i64,
    code: String,
    entry: i64,
    decision: String,
    reason: String,
) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::review(&state.db, &user, cycle, &code, entry, &decision, &reason).await
        }
        .await,
    )
}

/// A Target, Eksternal or Akhir level, set by the koordinator. Returns the event number.
#[server(prefix = "/api", endpoint = "level-resmi")]
pub async fn set_official_level(
    cycle: i64,
    code: String,
    stage: String,
    level: String,
    justification: String,
) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::official(
                &state.db,
                &user,
                cycle,
                &code,
                &stage,
                &level,
                &justification,
            )
            .await
        }
        .await,
    )
}

/// The koordinator sets who answers for an indicator: the lead OPD (code, or empty), the
/// contributing OPDs (codes separated by commas) and the effort estimate (1–5 per level).
#[server(prefix = "/api", endpoint = "tanggung-jawab")]
pub async fn set_responsibility(
    cycle: i64,
    code: String,
    lead: String,
    contributors: String,
    effort: String,
) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::responsibility(
                &state.db,
                &user,
                cycle,
                &code,
                &lead,
                &contributors,
                &effort,
            )
            .await
        }
        .await,
    )
}

/// A mark on a level criterion: `centang` (checked, with an evidence item id or empty) or
/// `hapus` by whoever may claim the indicator; `terima` (accept its evidence) by an asesor who
/// did not make the mark, and only the mark they saw (`seen`, the mark id; 0 for none).
#[server(prefix = "/api", endpoint = "kriteria")]
pub async fn mark_criterion(
    cycle: i64,
    code: String,
    criterion: i64,
    action: String,
    evidence: String,
    seen: i64,
) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            let mark = ssr::Mark {
                criterion,
                action: &action,
                evidence: &evidence,
                seen,
            };
            ssr::mark(&state.db, &user, cycle, &code, mark).await
        }
        .await,
    )
}

/// Koordinator: add a criterion to a level (`retire` = the id of one to retire instead, else 0).
#[server(prefix = "/api", endpoint = "kriteria-ubah")]
pub async fn edit_criteria(
    cycle: i64,
    code: String,
    level: String,
    body: String,
    retire: i64,
) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::edit_criteria(&state.db, &user, cycle, &code, &level, &body, retire).await
        }
        .await,
    )
}

/// A message in the discussion of an indicator (everyone but the read-only viewer).
#[server(prefix = "/api", endpoint = "diskusi")]
pub async fn post_comment(cycle: i64, code: String, body: String) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::comment(&state.db, &user, cycle, &code, &body).await
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_members_of_a_responsible_opd_claim() {
        assert!(may_claim(Role::Opd, &[7], Some(7), &[]));
        assert!(may_claim(Role::Opd, &[3, 9], Some(7), &[9]));
        assert!(!may_claim(Role::Opd, &[3], Some(7), &[9]));
        assert!(!may_claim(Role::Opd, &[], Some(7), &[]));
        assert!(!may_claim(Role::Opd, &[7], None, &[]));
        // Read-only roles never claim, even as members.
        assert!(!may_claim(Role::Viewer, &[7], Some(7), &[]));
        assert!(!may_claim(Role::Pimpinan, &[7], Some(7), &[]));
        assert!(may_claim(Role::Koordinator, &[7], Some(7), &[]));
    }

    #[test]
    fn an_asesor_verifies_only_claims_of_others() {
        assert!(may_verify(Role::Asesor, 4, Some(3)));
        assert!(may_verify(Role::Asesor, 4, None));
        assert!(!may_verify(Role::Asesor, 4, Some(4)));
        for r in [
            Role::Admin,
            Role::Koordinator,
            Role::Opd,
            Role::Pimpinan,
            Role::Viewer,
        ] {
            assert!(!may_verify(r, 4, Some(3)), "{r:?}");
        }
    }

    #[test]
    fn official_levels_and_evidence_have_their_roles() {
        assert!(may_set_official(Role::Koordinator));
        assert!(may_set_official(Role::Admin));
        assert!(!may_set_official(Role::Opd));
        assert!(!may_set_official(Role::Asesor));
        assert!(may_add_evidence(Role::Opd));
        assert!(!may_add_evidence(Role::Viewer));
        assert!(!may_add_evidence(Role::Pimpinan));
    }
}
