//! The leadership war room (`/pimpinan`) and its read-only kiosk link (`/kios/{token}`): one
//! screen with the index, its stages and aspects, the trend, the OPD × indicator heat-map,
//! overdue board work, the next milestone and the top next steps, updated live.

pub mod charts;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::assessment::{ClaimStatus, OpdRef, Stage};
use crate::dashboard::charts::Band;
use crate::dashboard::{Figure, HistoryPoint, StageSummary};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Where an indicator's work stands, as leadership reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WorkStatus {
    /// Nothing started.
    Belum,
    /// Work started (criteria marked or a board card), no Mandiri claim yet.
    Draf,
    /// Claimed, waiting for the asesor.
    Diajukan,
    /// The asesor asked for a revision.
    Direvisi,
    /// Accepted by the asesor.
    Diverifikasi,
}

impl WorkStatus {
    pub const ALL: [WorkStatus; 5] = [
        WorkStatus::Belum,
        WorkStatus::Draf,
        WorkStatus::Diajukan,
        WorkStatus::Direvisi,
        WorkStatus::Diverifikasi,
    ];

    /// The status from the claim's state and whether any work has started on it.
    pub fn of(claim: ClaimStatus, started: bool) -> WorkStatus {
        match claim {
            ClaimStatus::Kosong if started => WorkStatus::Draf,
            ClaimStatus::Kosong => WorkStatus::Belum,
            ClaimStatus::Menunggu => WorkStatus::Diajukan,
            ClaimStatus::Revisi => WorkStatus::Direvisi,
            ClaimStatus::Diterima => WorkStatus::Diverifikasi,
        }
    }

    /// The Indonesian label (translate with `i18n::t`).
    pub fn label(self) -> &'static str {
        match self {
            WorkStatus::Belum => "Belum",
            WorkStatus::Draf => "Draf",
            WorkStatus::Diajukan => "Diajukan",
            WorkStatus::Direvisi => "Direvisi",
            WorkStatus::Diverifikasi => "Diverifikasi",
        }
    }

    /// One letter in the cell, so the map reads without colour too.
    pub fn letter(self) -> &'static str {
        match self {
            WorkStatus::Belum => "·",
            WorkStatus::Draf => "D",
            WorkStatus::Diajukan => "A",
            WorkStatus::Direvisi => "R",
            WorkStatus::Diverifikasi => "V",
        }
    }

    /// Cell colours with at least 4.5:1 contrast for the letter on them.
    pub fn colors(self) -> (&'static str, &'static str) {
        match self {
            WorkStatus::Belum => ("#e5e7eb", "#374151"),
            WorkStatus::Draf => ("#bfdbfe", "#1e3a8a"),
            WorkStatus::Diajukan => ("#fde68a", "#78350f"),
            WorkStatus::Direvisi => ("#b91c1c", "#ffffff"),
            WorkStatus::Diverifikasi => ("#166534", "#ffffff"),
        }
    }
}

/// An aspect: Mandiri against Target against last year's final result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AspectTriple {
    pub code: String,
    pub name: String,
    pub mandiri: Option<Figure>,
    pub target: Option<Figure>,
    pub last_akhir: Option<Figure>,
}

/// The OPD × indicator map: a cell for each OPD that leads (or contributes to) an indicator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeatMap {
    pub opds: Vec<OpdRef>,
    /// (code, name)
    pub indicators: Vec<(String, String)>,
    /// Per indicator: its aspect's code and its status.
    pub aspect_of: Vec<String>,
    pub statuses: Vec<WorkStatus>,
    pub cells: Vec<HeatCell>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeatCell {
    pub opd: usize,
    pub indicator: usize,
    pub status: WorkStatus,
    pub lead: bool,
}

/// Open board cards of an OPD (as lead): overdue and due within three days.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverdueRow {
    pub opd_code: String,
    pub opd_name: String,
    pub overdue: i64,
    pub due_soon: i64,
}

impl NextMilestone {
    /// The label as a catalogue text (for translation).
    pub fn label_static(&self) -> &'static str {
        crate::cycles::MILESTONES
            .iter()
            .find(|(_, l)| *l == self.label)
            .map(|(_, l)| *l)
            .unwrap_or("Tenggat")
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NextMilestone {
    /// The Indonesian label of the milestone kind.
    pub label: String,
    /// ISO date.
    pub due_on: String,
    /// Days from today (WIB) until it; 0 is today.
    pub days_left: i64,
}

/// One step of the cheapest path to the next predicate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NextStep {
    pub code: String,
    pub name: String,
    pub from: String,
    pub to: String,
    /// Index points the step adds, e.g. `0,0300`.
    pub gain: String,
    pub lead: Option<String>,
}

/// The goal of the next steps, for the page to word in the reader's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum PlanNote {
    /// Steps to a predicate band (its name).
    Predicate {
        name: String,
        steps: usize,
        missing: usize,
    },
    /// Steps to an index (as published, e.g. `4,74`); `target`: it is the Target stage's index.
    Index {
        index: String,
        target: bool,
        steps: usize,
        missing: usize,
    },
    /// No plan (e.g. every indicator is already at 5): the engine's reason.
    None(String),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommitmentCount {
    pub published: bool,
    pub signed: usize,
    pub total: usize,
}

/// A kiosk link as its koordinator sees it (the token itself is shown only once).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KioskLinkRow {
    pub id: i64,
    pub label: String,
    pub created_by: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeadershipData {
    pub instansi: String,
    pub cycle_id: i64,
    pub cycle_name: String,
    pub framework_name: String,
    pub regulation: String,
    pub headline_stage: Option<Stage>,
    pub headline: Option<Figure>,
    pub predicate: Option<String>,
    pub bands: Vec<Band>,
    pub band_texts: Vec<(String, String)>,
    pub stages: Vec<StageSummary>,
    pub aspects: Vec<AspectTriple>,
    /// The cycle whose Nilai Akhir is the radar's third polygon.
    pub last_year: Option<String>,
    pub history: Vec<HistoryPoint>,
    pub heat: HeatMap,
    pub status_counts: Vec<(WorkStatus, usize)>,
    pub overdue: Vec<OverdueRow>,
    /// The default board of the cycle, for drilling into an OPD's cards.
    pub board_id: Option<i64>,
    pub milestone: Option<NextMilestone>,
    pub steps: Vec<NextStep>,
    /// What the steps aim at, or why there are none.
    pub plan: PlanNote,
    pub commitment: CommitmentCount,
    /// Present for the koordinator (and admin) on `/pimpinan`; never on a kiosk.
    pub kiosk_links: Option<Vec<KioskLinkRow>>,
    /// Whether links open the signed-in pages (false on a kiosk: nothing to drill into).
    pub drill: bool,
    /// Unix seconds when this was read.
    pub read_at: i64,
    pub last_event: i64,
}

/// The war room of a cycle of the caller's instansi (`None`: the current cycle).
#[server(prefix = "/api", endpoint = "pimpinan")]
pub async fn get_leadership(cycle: Option<i64>) -> Result<LeadershipData, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            let mut d = ssr::leadership(&state.db, user.instansi_id, cycle).await?;
            if crate::auth::Role::manages_accounts(user.role) {
                d.kiosk_links = Some(ssr::kiosk_links(&state.db, user.instansi_id).await?);
            }
            Ok(d)
        }
        .await,
    )
}

/// The war room for a kiosk link: no sign-in, read-only, the instansi's current cycle. A revoked
/// or unknown link is "not found".
#[server(prefix = "/api", endpoint = "kios")]
pub async fn get_kiosk(token: String) -> Result<LeadershipData, AppError> {
    crate::error::with_status(
        async {
            let state = crate::server::state()?;
            let instansi = ssr::kiosk_instansi(&state.db, &token)
                .await?
                .ok_or_else(|| AppError::NotFound("Tautan kios".into()))?;
            let mut d = ssr::leadership(&state.db, instansi, None).await?;
            d.drill = false;
            Ok(d)
        }
        .await,
    )
}

/// A new kiosk link (koordinator or admin). Returns the token, shown once.
#[server(prefix = "/api", endpoint = "kios-baru")]
pub async fn create_kiosk_link(label: String) -> Result<String, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::create_kiosk_link(&state, &user, &label).await
        }
        .await,
    )
}

/// Revokes a kiosk link of the caller's instansi (koordinator or admin); a screen showing it
/// stops within seconds.
#[server(prefix = "/api", endpoint = "kios-cabut")]
pub async fn revoke_kiosk_link(id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::revoke_kiosk_link(&state, &user, id).await
        }
        .await,
    )
}

/// Days from `today` to `due` (both ISO dates); negative when past.
pub fn days_until(today: &str, due: &str) -> Option<i64> {
    Some(crate::boards::rules::days_of(due)? - crate::boards::rules::days_of(today)?)
}

/// The next milestone on or after `today` among (label, ISO date) pairs.
pub fn next_milestone(today: &str, milestones: &[(String, String)]) -> Option<NextMilestone> {
    milestones
        .iter()
        .filter_map(|(label, due)| {
            let d = days_until(today, due)?;
            (d >= 0).then(|| NextMilestone {
                label: label.clone(),
                due_on: due.clone(),
                days_left: d,
            })
        })
        .min_by_key(|m| m.days_left)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_status_follows_the_claim_and_started_work() {
        assert_eq!(
            WorkStatus::of(ClaimStatus::Kosong, false),
            WorkStatus::Belum
        );
        assert_eq!(WorkStatus::of(ClaimStatus::Kosong, true), WorkStatus::Draf);
        assert_eq!(
            WorkStatus::of(ClaimStatus::Menunggu, true),
            WorkStatus::Diajukan
        );
        assert_eq!(
            WorkStatus::of(ClaimStatus::Revisi, false),
            WorkStatus::Direvisi
        );
        assert_eq!(
            WorkStatus::of(ClaimStatus::Diterima, false),
            WorkStatus::Diverifikasi
        );
    }

    #[test]
    fn the_next_milestone_is_the_nearest_one_not_yet_past() {
        let ms = vec![
            ("Penilaian mandiri".to_string(), "2026-11-20".to_string()),
            ("Wawancara".to_string(), "2027-01-10".to_string()),
            ("Dokumen".to_string(), "2026-12-15".to_string()),
            ("Rusak".to_string(), "bukan-tanggal".to_string()),
        ];
        let m = next_milestone("2026-11-30", &ms).unwrap();
        assert_eq!(m.label, "Dokumen");
        assert_eq!(m.days_left, 15);
        assert_eq!(
            next_milestone("2026-12-15", &ms).map(|m| m.days_left),
            Some(0)
        );
        assert_eq!(next_milestone("2027-02-01", &ms), None);
        assert_eq!(days_until("2026-12-31", "2027-01-01"), Some(1));
    }
}
