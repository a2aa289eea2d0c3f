//! The joint commitment (komitmen bersama) of a cycle: the koordinator publishes its text, the
//! head of each OPD signs it for that OPD, leadership watches the count, and a printable page
//! lists the signatories.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::assessment::OpdRef;
use crate::auth::Role;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One OPD's line on the commitment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignatureRow {
    pub opd: OpdRef,
    pub signed_by: Option<String>,
    /// Unix seconds.
    pub signed_at: Option<i64>,
    /// The caller heads this OPD and it has not signed yet.
    pub can_sign: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommitmentView {
    pub cycle_id: i64,
    pub cycle_name: String,
    pub instansi: String,
    /// `None` until the koordinator publishes it.
    pub title: Option<String>,
    pub body: Option<String>,
    pub published_by: Option<String>,
    pub published_at: Option<i64>,
    pub rows: Vec<SignatureRow>,
    pub signed: usize,
    pub total: usize,
    /// The koordinator may publish, or change the text while nobody has signed.
    pub can_publish: bool,
    /// A suggested text for a first publication.
    pub template: (String, String),
    pub last_event: i64,
}

/// Who publishes the commitment text.
pub fn may_publish(role: Role) -> bool {
    role.manages_accounts()
}

/// A head of `opd` signs for it (any role: the kepala dinas is usually an `opd` account).
pub fn may_sign(heads_of: &[i64], opd: i64) -> bool {
    heads_of.contains(&opd)
}

/// The title and body of a commitment, trimmed: a title of 1–200 characters, a body of
/// 1–20 000.
pub fn check_text(title: &str, body: &str) -> Result<(String, String), String> {
    let title = title.trim();
    let body = body.trim();
    if title.is_empty() {
        return Err("Judul komitmen wajib diisi.".into());
    }
    if title.chars().count() > 200 {
        return Err("Judul komitmen paling panjang 200 karakter.".into());
    }
    if body.is_empty() {
        return Err("Isi komitmen wajib diisi.".into());
    }
    if body.chars().count() > 20_000 {
        return Err("Isi komitmen paling panjang 20.000 karakter.".into());
    }
    Ok((title.to_string(), body.replace("\r\n", "\n")))
}

/// The commitment of a cycle of the caller's instansi, with every OPD's signature.
#[server(prefix = "/api", endpoint = "komitmen")]
pub async fn get_commitment(cycle: i64) -> Result<CommitmentView, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::view(&state.db, &user, cycle).await
        }
        .await,
    )
}

/// Publishes (or, while nobody has signed, rewrites) the commitment text of a cycle.
#[server(prefix = "/api", endpoint = "komitmen-terbit")]
pub async fn publish_commitment(cycle: i64, title: String, body: String) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::publish(&state, &user, cycle, &title, &body).await
        }
        .await,
    )
}

/// Signs the commitment of a cycle for an OPD the caller heads.
#[server(prefix = "/api", endpoint = "komitmen-tanda-tangan")]
pub async fn sign_commitment(cycle: i64, opd: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::sign(&state, &user, cycle, opd).await
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_koordinator_and_admin_publish() {
        assert!(may_publish(Role::Koordinator));
        assert!(may_publish(Role::Admin));
        for r in [Role::Opd, Role::Asesor, Role::Pimpinan, Role::Viewer] {
            assert!(!may_publish(r));
        }
    }

    #[test]
    fn only_a_head_of_the_opd_signs_for_it() {
        assert!(may_sign(&[3, 7], 7));
        assert!(!may_sign(&[3], 7));
        assert!(!may_sign(&[], 7));
    }

    #[test]
    fn the_text_is_trimmed_and_bounded() {
        assert_eq!(
            check_text("  Komitmen  ", " isi\r\nbaris ").unwrap(),
            ("Komitmen".to_string(), "isi\nbaris".to_string())
        );
        assert!(check_text(" ", "isi").is_err());
        assert!(check_text("Judul", "  ").is_err());
        assert!(check_text(&"j".repeat(201), "isi").is_err());
        assert!(check_text("Judul", &"x".repeat(20_001)).is_err());
    }
}
