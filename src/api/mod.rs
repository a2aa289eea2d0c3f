//! The REST API for other systems (`/api/v1/…`) and the personal API tokens that open it.
//!
//! - `rules.rs`: scopes, token shape, pagination, the per-token rate limit (plain Rust, tested);
//! - `ssr.rs`: the tokens' SQL (stored as SHA-256 only; the token is shown once);
//! - `v1.rs`: the routes, which call the same service functions as the pages (one copy of
//!   every permission rule), and the OpenAPI document built from the same route table;
//! - `pages.rs`: `/token` (create, list, revoke) and `/dokumentasi-api` (the reference).

pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod ssr;
#[cfg(feature = "ssr")]
pub mod v1;

use crate::error::AppError;
use leptos::prelude::*;
use rules::Scope;
use serde::{Deserialize, Serialize};

/// A token as its owner sees it in the list (never the token itself).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub scope: Scope,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// A token just created: the only time the secret is shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewToken {
    pub id: i64,
    pub name: String,
    pub scope: Scope,
    pub token: String,
}

/// The caller's own tokens, newest first.
#[server(prefix = "/api", endpoint = "token-daftar")]
pub async fn list_tokens() -> Result<Vec<TokenRow>, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::list(&state.db, &user).await
        }
        .await,
    )
}

/// A new personal token of the caller: read, or read and write (never more than the caller
/// may do in the app). The token is in the answer once and nowhere else.
#[server(prefix = "/api", endpoint = "token-buat")]
pub async fn create_token(name: String, scope: String) -> Result<NewToken, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            let scope = Scope::parse(&scope).ok_or_else(|| {
                AppError::Invalid("Cakupan token harus \"read\" atau \"write\".".into())
            })?;
            ssr::create(&state.db, &user, &name, scope).await
        }
        .await,
    )
}

/// Revokes one of the caller's tokens; it stops working at once, on every instance.
#[server(prefix = "/api", endpoint = "token-cabut")]
pub async fn revoke_token(id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::ssr::require_user().await?;
            let state = crate::server::state()?;
            ssr::revoke(&state.db, &user, id).await
        }
        .await,
    )
}

/// One operation of the API as the reference page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    pub method: String,
    pub path: String,
    pub summary: String,
    pub description: String,
    /// `read`, `write`, or empty for a public route.
    pub scope: String,
    /// (name, where, type, required, description)
    pub parameters: Vec<(String, String, String, bool, String)>,
    /// The request body's schema as pretty JSON, when there is one.
    pub body: Option<String>,
    /// (status, description)
    pub responses: Vec<(String, String)>,
}

/// The API reference, built from the same route table as the router and the OpenAPI document.
#[server(prefix = "/api", endpoint = "dokumentasi-api")]
pub async fn api_reference() -> Result<Vec<Operation>, AppError> {
    Ok(v1::operations())
}
