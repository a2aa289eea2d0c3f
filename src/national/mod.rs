//! The national roll-up (`/nasional`): for a super-admin of a deployment that hosts many Pemda,
//! the index of every instansi's current cycle by stage, read-only. Only aggregate figures
//! cross the tenant boundary; no page of another instansi opens for them.
//!
//! `rules.rs` (plain, tested) summarises the rows; `ssr.rs` reads every current cycle's levels
//! in one query and scores them with the shared engine.

pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::dashboard::Figure;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One instansi in the roll-up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RollupRow {
    pub code: String,
    pub name: String,
    /// The current cycle, when the instansi has one.
    pub cycle: Option<String>,
    pub framework: Option<String>,
    pub indicators: usize,
    /// Indicators with a Mandiri level.
    pub mandiri_filled: usize,
    pub mandiri: Option<Figure>,
    pub verifikasi: Option<Figure>,
    pub akhir: Option<Figure>,
    /// The predicate of the furthest complete stage (Akhir, else Verifikasi, else Mandiri).
    pub predicate: Option<String>,
    /// In hundredths, for sorting and the summary.
    pub headline: Option<i64>,
}

/// The whole roll-up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rollup {
    pub rows: Vec<RollupRow>,
    pub summary: rules::Summary,
}

/// The national roll-up: super-admin only (403 for everyone else).
#[server(prefix = "/api", endpoint = "nasional")]
pub async fn get_rollup() -> Result<Rollup, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            if !user.national {
                return Err(AppError::Forbidden);
            }
            let state = crate::server::state()?;
            ssr::rollup(&state.db).await
        }
        .await,
    )
}
