//! Accounts and roles: shared types and the server fns that read the signed-in user.
//!
//! Sign-in and sign-out are plain HTML form posts (`POST /masuk`, `POST /keluar`, see
//! [`ssr`]) so they work before hydration and with JavaScript off.

#[cfg(feature = "ssr")]
pub mod ssr;

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What a user may do; see `DESIGN.md` "Who uses it".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Koordinator,
    Opd,
    Asesor,
    Pimpinan,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Koordinator,
        Role::Opd,
        Role::Asesor,
        Role::Pimpinan,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Koordinator => "koordinator",
            Role::Opd => "opd",
            Role::Asesor => "asesor",
            Role::Pimpinan => "pimpinan",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    /// The Indonesian label shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Admin",
            Role::Koordinator => "Koordinator SPBE",
            Role::Opd => "Anggota OPD",
            Role::Asesor => "Asesor internal",
            Role::Pimpinan => "Pimpinan",
            Role::Viewer => "Pembaca",
        }
    }

    /// Who runs the cycle and may see every account.
    pub fn manages_accounts(self) -> bool {
        matches!(self, Role::Admin | Role::Koordinator)
    }
}

/// The signed-in user as the browser sees it: no secrets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub instansi_id: i64,
    pub instansi_name: String,
    /// Codes of the OPDs the user belongs to.
    pub opds: Vec<String>,
    /// A super-admin of the deployment: also reads the national roll-up of every instansi.
    #[serde(default)]
    pub national: bool,
}

/// One row of the account list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub opds: Vec<String>,
    /// The OPDs (of `opds`) the user heads.
    pub heads: Vec<String>,
}

/// The signed-in user, or `None` for an anonymous visitor (this one is public by design).
#[server(prefix = "/api", endpoint = "pengguna-saya")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    crate::error::with_status(ssr::optional_user().await)
}

/// Every account of the caller's instansi. Admin and koordinator only.
#[server(prefix = "/api", endpoint = "daftar-pengguna")]
pub async fn list_users() -> Result<Vec<UserRow>, AppError> {
    crate::error::with_status(
        async {
            let user = ssr::require_user().await?;
            if !user.role.manages_accounts() {
                return Err(AppError::Forbidden);
            }
            let state = crate::server::state()?;
            ssr::users_of_instansi(&state.db, user.instansi_id).await
        }
        .await,
    )
}

/// Marks a member of an OPD as its head (or not). Admin and koordinator only.
#[server(prefix = "/api", endpoint = "kepala-opd")]
pub async fn set_opd_head(username: String, opd: String, head: bool) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let user = ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::set_opd_head(&state, &user, &username, &opd, head).await
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_name() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn an_unknown_role_is_refused() {
        assert_eq!(Role::parse("superuser"), None);
        assert_eq!(Role::parse(""), None);
    }
}
