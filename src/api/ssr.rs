//! Personal API tokens in the database: only a SHA-256 of each token is stored.

use super::rules::{self, Scope};
use super::{NewToken, TokenRow};
use crate::auth::ssr::{load_user, token_hash};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::server::db::{now, record_event, Db};
use sqlx::Row;

/// Tokens one person may hold at once (revoked ones do not count).
pub const MAX_TOKENS: i64 = 20;

pub async fn list(db: &Db, user: &CurrentUser) -> Result<Vec<TokenRow>, AppError> {
    sqlx::query(
        "SELECT id, name, scope, created_at, last_used_at, revoked_at FROM api_token \
         WHERE user_id = $1 ORDER BY id DESC",
    )
    .bind(user.id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(TokenRow {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            scope: Scope::parse(&r.try_get::<String, _>("scope")?).unwrap_or(Scope::Read),
            created_at: r.try_get("created_at")?,
            last_used_at: r.try_get("last_used_at")?,
            revoked_at: r.try_get("revoked_at")?,
        })
    })
    .collect()
}

pub async fn create(
    db: &Db,
    user: &CurrentUser,
    name: &str,
    scope: Scope,
) -> Result<NewToken, AppError> {
    let name = rules::check_name(name).map_err(AppError::Invalid)?;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = format!("{}{}", rules::TOKEN_PREFIX, hex::encode(bytes));
    let mut tx = db.begin().await?;
    let active: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM api_token WHERE user_id = $1 AND revoked_at IS NULL",
    )
    .bind(user.id)
    .fetch_one(&mut *tx)
    .await?
    .try_get("n")?;
    if active >= MAX_TOKENS {
        return Err(AppError::Invalid(format!(
            "Anda sudah memiliki {MAX_TOKENS} token aktif; cabut yang tidak dipakai dahulu."
        )));
    }
    let id: i64 = sqlx::query(
        "INSERT INTO api_token (instansi_id, user_id, name, scope, token_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(user.instansi_id)
    .bind(user.id)
    .bind(&name)
    .bind(scope.as_str())
    .bind(token_hash(&token))
    .bind(now())
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    record_event(
        &mut tx,
        user.instansi_id,
        "token.dibuat",
        &format!("token/{id}"),
        &serde_json::json!({ "name": name, "scope": scope.as_str() }),
        Some(user.id),
    )
    .await?;
    tx.commit().await?;
    Ok(NewToken {
        id,
        name,
        scope,
        token,
    })
}

pub async fn revoke(db: &Db, user: &CurrentUser, id: i64) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    let n = sqlx::query(
        "UPDATE api_token SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
    )
    .bind(now())
    .bind(id)
    .bind(user.id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(AppError::NotFound(
            "Token aktif Anda dengan nomor itu".into(),
        ));
    }
    record_event(
        &mut tx,
        user.instansi_id,
        "token.dicabut",
        &format!("token/{id}"),
        &serde_json::json!({}),
        Some(user.id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Who a presented token acts for, and with which scope: `None` for a malformed, unknown or
/// revoked token, or one whose account is no longer active.
pub async fn authenticate(
    db: &Db,
    token: &str,
) -> Result<Option<(CurrentUser, Scope, String)>, AppError> {
    if !rules::well_formed(token) {
        return Ok(None);
    }
    let hash = token_hash(token);
    let Some(row) = sqlx::query(
        "SELECT id, user_id, scope, last_used_at FROM api_token \
         WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(&hash)
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(None);
    };
    let Some(user) = load_user(db, row.try_get("user_id")?).await? else {
        return Ok(None);
    };
    let scope = Scope::parse(&row.try_get::<String, _>("scope")?).unwrap_or(Scope::Read);
    // "Last used" to the minute: one write per token per minute at most.
    let t = now();
    let last: Option<i64> = row.try_get("last_used_at")?;
    if last.is_none_or(|l| t - l >= 60) {
        sqlx::query("UPDATE api_token SET last_used_at = $1 WHERE id = $2")
            .bind(t)
            .bind(row.try_get::<i64, _>("id")?)
            .execute(&db.pool)
            .await?;
    }
    Ok(Some((user, scope, hash)))
}
