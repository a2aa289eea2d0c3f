//! Server side of accounts: password hashing, database sessions, the sign-in/out handlers.

use super::{CurrentUser, Role, UserRow};
use crate::error::AppError;
use crate::server::db::{now, Db};
use crate::server::AppState;
use argon2::password_hash::{rand_core::OsRng, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{Form, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use rand::RngCore;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// The session cookie. HttpOnly and SameSite=Lax: scripts cannot read it and other sites cannot
/// post with it.
pub const SESSION_COOKIE: &str = "sinergi_sesi";
/// Sessions last 12 hours (a working day), renewed at every sign-in.
pub const SESSION_SECONDS: i64 = 12 * 3600;
pub const MIN_PASSWORD_LEN: usize = 10;
/// Failed sign-ins of one account within [`LOCKOUT_SECONDS`] that lock it for the rest of the
/// window (a guesser gets five tries per quarter hour; the owner gets a clear message).
pub const MAX_LOGIN_FAILURES: i64 = 5;
pub const LOCKOUT_SECONDS: i64 = 15 * 60;
/// What a locked account's sign-in says.
pub const LOCKED_MESSAGE: &str = "Terlalu banyak percobaan masuk yang gagal untuk akun ini. \
    Akun dikunci sementara; coba lagi dalam 15 menit.";

/// A stored argon2 hash. Deliberately not `Serialize` and not `Debug`-printed.
#[derive(Clone)]
pub struct PasswordHash(String);

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(..)")
    }
}

/// Hashes on the calling thread: argon2 is deliberately slow, so call it off the executor.
pub fn hash_password_blocking(password: &str) -> Result<PasswordHash, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| PasswordHash(h.to_string()))
        .map_err(|e| {
            tracing::error!(error = %e, "argon2 failed");
            AppError::Internal
        })
}

/// Hashes off the async executor: argon2 is deliberately slow.
pub async fn hash_password(password: String) -> Result<PasswordHash, AppError> {
    tokio::task::spawn_blocking(move || hash_password_blocking(&password))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "hashing task failed");
            AppError::Internal
        })?
}

pub async fn verify_password(password: String, hash: PasswordHash) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let parsed = match argon2::PasswordHash::new(&hash.0) {
            Ok(p) => p,
            Err(_) => return false,
        };
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "verify task failed");
        AppError::Internal
    })
}

pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Validates a new account's fields; returns the normalised username.
pub fn validate_new_user(username: &str, password: &str) -> Result<String, AppError> {
    let u = username.trim().to_lowercase();
    if u.len() < 3
        || u.len() > 40
        || !u
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-')
    {
        return Err(AppError::Invalid(
            "Nama pengguna harus 3–40 karakter: huruf, angka, titik, garis bawah atau tanda hubung."
                .into(),
        ));
    }
    check_password_policy(&u, password)?;
    Ok(u)
}

/// Passwords guessed first: any password that is one of these, whatever the case and with
/// digits or symbols added at the end, is refused.
const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "passw0rd",
    "katasandi",
    "rahasia",
    "qwerty",
    "qwertyuiop",
    "asdfghjkl",
    "123456789",
    "1234567890",
    "0987654321",
    "abcdefghij",
    "abc123",
    "iloveyou",
    "admin",
    "administrator",
    "welcome",
    "selamatdatang",
    "bismillah",
    "indonesia",
    "merdeka",
    "jakarta",
    "mojokerto",
    "pemkot",
    "pemda",
    "diskominfo",
    "sinergi",
    "spbe",
    "letmein",
];

/// The password policy: long enough, not the account's name, not a commonly guessed one, and
/// not one character repeated. Each refusal says what to change.
pub fn check_password_policy(username: &str, password: &str) -> Result<(), AppError> {
    let refuse = |m: &str| Err(AppError::Invalid(m.to_string()));
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(AppError::Invalid(format!(
            "Kata sandi minimal {MIN_PASSWORD_LEN} karakter."
        )));
    }
    if password.len() > 1024 {
        return refuse("Kata sandi terlalu panjang (paling banyak 1.024 bita).");
    }
    let lower = password.to_lowercase();
    if !username.is_empty() && lower.contains(&username.to_lowercase()) {
        return refuse("Kata sandi tidak boleh memuat nama pengguna.");
    }
    let core: String = lower
        .trim_end_matches(|c: char| !c.is_alphabetic())
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    if COMMON_PASSWORDS.contains(&core.as_str())
        || COMMON_PASSWORDS.contains(&lower.as_str())
        || lower.chars().all(|c| c.is_ascii_digit())
    {
        return refuse("Kata sandi ini terlalu mudah ditebak; pilih frasa yang lebih unik.");
    }
    let mut distinct: Vec<char> = lower.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 4 {
        return refuse("Kata sandi harus memuat setidaknya 4 karakter yang berbeda.");
    }
    Ok(())
}

/// A validated new account, its password already hashed.
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub hash: PasswordHash,
    pub role: Role,
    pub opd_codes: Vec<String>,
}

impl NewUser {
    /// Validates the fields and hashes the password (off the executor).
    pub async fn prepare(
        username: &str,
        display_name: &str,
        password: &str,
        role: Role,
        opd_codes: &[String],
    ) -> Result<NewUser, AppError> {
        // Validate before spending the time on a hash.
        validate_new_user(username, password)?;
        let hash = hash_password(password.to_string()).await?;
        NewUser::with_hash(username, display_name, password, role, opd_codes, hash)
    }

    /// As [`NewUser::prepare`], with the password's hash already computed.
    pub fn with_hash(
        username: &str,
        display_name: &str,
        password: &str,
        role: Role,
        opd_codes: &[String],
        hash: PasswordHash,
    ) -> Result<NewUser, AppError> {
        let username = validate_new_user(username, password)?;
        if role == Role::Opd && opd_codes.is_empty() {
            return Err(AppError::Invalid(
                "Anggota OPD harus terdaftar pada minimal satu OPD.".into(),
            ));
        }
        let display_name = if display_name.trim().is_empty() {
            username.clone()
        } else {
            display_name.trim().to_string()
        };
        Ok(NewUser {
            username,
            display_name,
            hash,
            role,
            opd_codes: opd_codes.to_vec(),
        })
    }
}

/// Creates an account (and its OPD memberships) with its event row, in one transaction.
pub async fn create_user(
    db: &Db,
    instansi_id: i64,
    username: &str,
    display_name: &str,
    password: &str,
    role: Role,
    opd_codes: &[String],
) -> Result<i64, AppError> {
    let user = NewUser::prepare(username, display_name, password, role, opd_codes).await?;
    let mut tx = db.begin().await?;
    let id = insert_user(&mut tx, instansi_id, &user).await?;
    tx.commit().await?;
    Ok(id)
}

/// Inserts a prepared account inside the caller's transaction.
pub async fn insert_user(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    instansi_id: i64,
    user: &NewUser,
) -> Result<i64, AppError> {
    let exists = sqlx::query("SELECT id FROM users WHERE username = $1")
        .bind(&user.username)
        .fetch_optional(&mut **tx)
        .await?;
    if exists.is_some() {
        return Err(AppError::Invalid(format!(
            "Nama pengguna '{}' sudah dipakai.",
            user.username
        )));
    }
    let id: i64 = sqlx::query(
        "INSERT INTO users (instansi_id, username, display_name, password_hash, role, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(instansi_id)
    .bind(&user.username)
    .bind(&user.display_name)
    .bind(&user.hash.0)
    .bind(user.role.as_str())
    .bind(now())
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    for code in &user.opd_codes {
        let opd = sqlx::query("SELECT id FROM opd WHERE instansi_id = $1 AND code = $2")
            .bind(instansi_id)
            .bind(code)
            .fetch_optional(&mut **tx)
            .await?;
        let Some(opd) = opd else {
            return Err(AppError::Invalid(format!("OPD '{code}' tidak dikenal.")));
        };
        let opd_id: i64 = opd.try_get("id")?;
        sqlx::query("INSERT INTO user_opd (user_id, opd_id) VALUES ($1, $2)")
            .bind(id)
            .bind(opd_id)
            .execute(&mut **tx)
            .await?;
    }
    crate::server::db::record_event(
        tx,
        instansi_id,
        "pengguna.dibuat",
        &format!("pengguna/{id}"),
        &serde_json::json!({"username": user.username, "role": user.role.as_str()}),
        None,
    )
    .await?;
    Ok(id)
}

pub(crate) async fn load_user(db: &Db, user_id: i64) -> Result<Option<CurrentUser>, AppError> {
    let row = sqlx::query(
        "SELECT u.id, u.username, u.display_name, u.role, u.instansi_id, u.is_national, \
           i.name AS instansi_name \
         FROM users u JOIN instansi i ON i.id = u.instansi_id \
         WHERE u.id = $1 AND u.is_active = 1",
    )
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let role_text: String = row.try_get("role")?;
    let Some(role) = Role::parse(&role_text) else {
        tracing::error!(role = %role_text, user_id, "unknown role in database");
        return Err(AppError::Internal);
    };
    let opds = sqlx::query(
        "SELECT o.code FROM user_opd uo JOIN opd o ON o.id = uo.opd_id \
         WHERE uo.user_id = $1 ORDER BY o.code",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| r.try_get::<String, _>("code"))
    .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(CurrentUser {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role,
        instansi_id: row.try_get("instansi_id")?,
        instansi_name: row.try_get("instansi_name")?,
        opds,
        national: row.try_get::<i64, _>("is_national")? == 1,
    }))
}

/// The value of a cookie in a request's headers (empty counts as absent).
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

/// The value of our session cookie in a request's headers.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, SESSION_COOKIE)
}

/// The user of a live session token.
pub async fn user_for_token(db: &Db, token: &str) -> Result<Option<CurrentUser>, AppError> {
    let row = sqlx::query("SELECT user_id FROM sessions WHERE token_hash = $1 AND expires_at > $2")
        .bind(token_hash(token))
        .bind(now())
        .fetch_optional(&db.pool)
        .await?;
    match row {
        Some(r) => load_user(db, r.try_get("user_id")?).await,
        None => Ok(None),
    }
}

/// The user of the current server-fn request, if signed in.
pub async fn optional_user() -> Result<Option<CurrentUser>, AppError> {
    let state = crate::server::state()?;
    let Some(parts) = leptos::prelude::use_context::<http::request::Parts>() else {
        return Ok(None);
    };
    match session_token(&parts.headers) {
        Some(token) => user_for_token(&state.db, &token).await,
        None => Ok(None),
    }
}

/// Marks (or unmarks) a member of an OPD as its head, who signs the joint commitment for it.
/// Admin and koordinator only; the account and the OPD must be of their instansi.
pub async fn set_opd_head(
    state: &crate::server::AppState,
    caller: &CurrentUser,
    username: &str,
    opd_code: &str,
    head: bool,
) -> Result<(), AppError> {
    if !caller.role.manages_accounts() {
        return Err(AppError::Forbidden);
    }
    let mut tx = state.db.begin().await?;
    let n = sqlx::query(
        "UPDATE user_opd SET is_head = $1 WHERE user_id = (SELECT id FROM users \
           WHERE username = $2 AND instansi_id = $3) \
         AND opd_id = (SELECT id FROM opd WHERE code = $4 AND instansi_id = $3)",
    )
    .bind(head as i64)
    .bind(username)
    .bind(caller.instansi_id)
    .bind(opd_code)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(AppError::NotFound("Keanggotaan OPD pengguna itu".into()));
    }
    crate::server::db::record_event(
        &mut tx,
        caller.instansi_id,
        "pengguna.kepala_opd",
        &format!("pengguna/{username}"),
        &serde_json::json!({ "opd": opd_code, "kepala": head }),
        Some(caller.id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The signed-in user, or 401. The first line of every protected server fn.
pub async fn require_user() -> Result<CurrentUser, AppError> {
    optional_user().await?.ok_or(AppError::Unauthorized)
}

pub async fn users_of_instansi(db: &Db, instansi_id: i64) -> Result<Vec<UserRow>, AppError> {
    let rows = sqlx::query(
        "SELECT u.id, u.username, u.display_name, u.role FROM users u \
         WHERE u.instansi_id = $1 ORDER BY u.username",
    )
    .bind(instansi_id)
    .fetch_all(&db.pool)
    .await?;
    let memberships = sqlx::query(
        "SELECT uo.user_id, uo.is_head, o.code FROM user_opd uo JOIN opd o ON o.id = uo.opd_id \
         WHERE o.instansi_id = $1 ORDER BY o.code",
    )
    .bind(instansi_id)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let role: String = r.try_get("role")?;
        let mut opds = Vec::new();
        let mut heads = Vec::new();
        for m in &memberships {
            if m.try_get::<i64, _>("user_id")? == id {
                let code = m.try_get::<String, _>("code")?;
                if m.try_get::<i64, _>("is_head")? == 1 {
                    heads.push(code.clone());
                }
                opds.push(code);
            }
        }
        out.push(UserRow {
            username: r.try_get("username")?,
            display_name: r.try_get("display_name")?,
            role: Role::parse(&role).ok_or(AppError::Internal)?,
            opds,
            heads,
        });
    }
    Ok(out)
}

#[derive(Deserialize)]
pub struct LoginForm {
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub lanjut: String,
}

/// Only local paths are followed after sign-in, never another site.
fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/dasbor"
    }
}

fn session_cookie(token: &str, max_age: i64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("sinergi_sesi=; Path=/; Max-Age=0"))
}

/// `POST /masuk`: checks the password, opens a new session (a fresh token at every sign-in) and
/// redirects; a wrong name or password returns to the form with a message, saying no more.
pub async fn login_handler(State(state): State<AppState>, Form(form): Form<LoginForm>) -> Response {
    match login(&state.db, &form.username, &form.password).await {
        Ok(Some(token)) => {
            let mut res = Redirect::to(safe_next(&form.lanjut)).into_response();
            res.headers_mut()
                .insert(header::SET_COOKIE, session_cookie(&token, SESSION_SECONDS));
            // The interface follows the language the user chose last time.
            let lang = sqlx::query("SELECT lang FROM users WHERE username = $1")
                .bind(form.username.trim().to_lowercase())
                .fetch_optional(&state.db.pool)
                .await
                .ok()
                .flatten()
                .and_then(|r| r.try_get::<String, _>("lang").ok())
                .map(|l| crate::i18n::Lang::parse(&l))
                .unwrap_or_default();
            if let Ok(v) = HeaderValue::from_str(&crate::i18n::cookie(lang)) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            res
        }
        Ok(None) => Redirect::to("/masuk?galat=kredensial").into_response(),
        Err(AppError::TooManyRequests(_)) => Redirect::to("/masuk?galat=terkunci").into_response(),
        Err(_) => Redirect::to("/masuk?galat=server").into_response(),
    }
}

/// Verifies credentials and creates a session; `Ok(None)` for a wrong name or password.
pub async fn login(db: &Db, username: &str, password: &str) -> Result<Option<String>, AppError> {
    let username = username.trim().to_lowercase();
    if username.is_empty() || password.is_empty() || password.len() > 1024 || username.len() > 200 {
        return Ok(None);
    }
    let t = now();
    // Counted per name, whether or not the account exists, so a locked message reveals nothing.
    let failures: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM login_failure WHERE username = $1 AND at > $2")
            .bind(&username)
            .bind(t - LOCKOUT_SECONDS)
            .fetch_one(&db.pool)
            .await?
            .try_get("n")?;
    if failures >= MAX_LOGIN_FAILURES {
        return Err(AppError::TooManyRequests(LOCKED_MESSAGE.to_string()));
    }
    let row =
        sqlx::query("SELECT id, password_hash FROM users WHERE username = $1 AND is_active = 1")
            .bind(&username)
            .fetch_optional(&db.pool)
            .await?;
    let verified = match &row {
        Some(row) => {
            let hash = PasswordHash(row.try_get("password_hash")?);
            verify_password(password.to_string(), hash).await?
        }
        None => {
            // Spend the same time as a real check, so timing does not reveal which names exist.
            let _ = hash_password(password.to_string()).await;
            false
        }
    };
    let Some(row) = row.filter(|_| verified) else {
        let mut tx = db.begin().await?;
        sqlx::query("DELETE FROM login_failure WHERE at <= $1")
            .bind(t - LOCKOUT_SECONDS)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO login_failure (username, at) VALUES ($1, $2)")
            .bind(&username)
            .bind(t)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        return Ok(None);
    };
    let user_id: i64 = row.try_get("id")?;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(t)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM login_failure WHERE username = $1")
        .bind(&username)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash(&token))
        .bind(user_id)
        .bind(t)
        .bind(t + SESSION_SECONDS)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Some(token))
}

#[derive(Deserialize)]
pub struct LanguageForm {
    pub bahasa: String,
    #[serde(default)]
    pub lanjut: String,
}

/// `POST /bahasa`: switches the interface language (saved for a signed-in user, so it follows
/// them to every device) and returns to the page.
pub async fn language_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<LanguageForm>,
) -> Response {
    let lang = crate::i18n::Lang::parse(&form.bahasa);
    if let Some(token) = session_token(&headers) {
        if let Ok(Some(user)) = user_for_token(&state.db, &token).await {
            if let Err(e) = sqlx::query("UPDATE users SET lang = $1 WHERE id = $2")
                .bind(lang.code())
                .bind(user.id)
                .execute(&state.db.pool)
                .await
            {
                tracing::error!(error = %e, "could not save the language");
            }
        }
    }
    let mut res = Redirect::to(safe_next(&form.lanjut)).into_response();
    if let Ok(v) = HeaderValue::from_str(&crate::i18n::cookie(lang)) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

/// `POST /keluar`: ends the session on the server and clears the cookie.
pub async fn logout_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    // `semua=1` ends every session of the account (a lost phone, a shared computer).
    let everywhere = form_urlencoded::parse(&body).any(|(k, v)| k == "semua" && v == "1");
    if let Some(token) = session_token(&headers) {
        let sql = if everywhere {
            "DELETE FROM sessions WHERE user_id IN \
             (SELECT user_id FROM sessions WHERE token_hash = $1)"
        } else {
            "DELETE FROM sessions WHERE token_hash = $1"
        };
        if let Err(e) = sqlx::query(sql)
            .bind(token_hash(&token))
            .execute(&state.db.pool)
            .await
        {
            tracing::error!(error = %e, "could not delete session");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Gagal keluar; silakan coba lagi.",
            )
                .into_response();
        }
    }
    let mut res = Redirect::to("/masuk?keluar=1").into_response();
    res.headers_mut()
        .insert(header::SET_COOKIE, session_cookie("", 0));
    res
}

/// `GET /`: to the dashboard when signed in, else to the sign-in page.
pub async fn root_handler(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match session_token(&headers) {
        Some(t) => match user_for_token(&state.db, &t).await {
            Ok(Some(_)) => Redirect::to("/dasbor").into_response(),
            _ => Redirect::to("/masuk").into_response(),
        },
        None => Redirect::to("/masuk").into_response(),
    }
}

/// Pages that need a session redirect anonymous visitors to `/masuk` before rendering. This is
/// only UX: every server fn checks the caller itself.
pub async fn page_guard(
    State(state): State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = req.uri().path();
    let protected = [
        "/dasbor",
        "/admin",
        "/siklus",
        "/bukti",
        "/padanan",
        "/papan",
        "/saya",
        "/pimpinan",
        "/komitmen",
        "/laporan",
        "/ekspor",
        "/token",
        "/nasional",
    ]
    .iter()
    .any(|p| path == *p || path.starts_with(&format!("{p}/")));
    if protected && req.method() == http::Method::GET {
        let signed_in = match session_token(req.headers()) {
            Some(t) => matches!(user_for_token(&state.db, &t).await, Ok(Some(_))),
            None => false,
        };
        if !signed_in {
            let target: String = form_urlencoded::byte_serialize(
                req.uri()
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/dasbor")
                    .as_bytes(),
            )
            .collect();
            return Redirect::to(&format!("/masuk?lanjut={target}")).into_response();
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next("/dasbor?siklus=2"), "/dasbor?siklus=2");
        assert_eq!(safe_next("//evil.example"), "/dasbor");
        assert_eq!(safe_next("https://evil.example"), "/dasbor");
        assert_eq!(safe_next(""), "/dasbor");
    }

    #[test]
    fn a_short_password_or_odd_username_is_refused() {
        assert!(validate_new_user("ab", "panjangsekali").is_err());
        assert!(validate_new_user("nama pengguna", "panjangsekali").is_err());
        assert!(validate_new_user("opd.dinkes", "pendek").is_err());
        assert_eq!(
            validate_new_user(" Opd.Dinkes ", "cukup-panjang").unwrap(),
            "opd.dinkes"
        );
    }

    #[test]
    fn the_password_policy_refuses_the_guessable_and_says_why() {
        let why = |u: &str, p: &str| check_password_policy(u, p).unwrap_err().to_string();
        assert!(why("staf", "pendek123").contains("minimal 10"));
        assert!(why("budi.s", "Budi.S-2026!").contains("nama pengguna"));
        for guessable in [
            "Password2026!",
            "mojokerto123",
            "Sinergi2026",
            "1234567890123",
            "qwertyuiop",
        ] {
            assert!(
                why("staf", guessable).contains("mudah ditebak"),
                "{guessable}"
            );
        }
        assert!(why("staf", "aaaaaaaaaaaa").contains("4 karakter"));
        assert!(why("staf", &"x".repeat(1025)).contains("terlalu panjang"));
        for fine in [
            "cukup-panjang",
            "kopi tubruk pagi",
            "Rapat-SPBE-Selasa",
            "sinergi-demo",
        ] {
            assert!(check_password_policy("staf", fine).is_ok(), "{fine}");
        }
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; sinergi_sesi=abc; b=2"),
        );
        assert_eq!(session_token(&h).as_deref(), Some("abc"));
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("sinergi_sesi="));
        assert_eq!(session_token(&h), None);
    }
}
