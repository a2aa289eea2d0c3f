//! Everything that only exists on the server: state, router, database, seed data, CLI.

pub mod cli;
pub mod db;
pub mod seed;

use crate::app::{shell, App};
use crate::error::AppError;
use crate::scoring::Framework;
use axum::extract::FromRef;
use axum::routing::{get, post};
use axum::Router;
use db::Db;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use sqlx::Row;

/// Shared by every handler and server fn: one pool, the Leptos options.
#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    /// Where evidence files are stored, content-addressed by SHA-256.
    pub files: std::path::PathBuf,
    /// The largest evidence file accepted, in bytes.
    pub max_upload: u64,
    /// Woken after every commit of a board change, so open live streams look at once instead
    /// of at their next poll (another instance's changes still arrive by the poll).
    pub live: std::sync::Arc<tokio::sync::Notify>,
}

/// The default upload limit: 20 MB.
pub const DEFAULT_MAX_UPLOAD_MB: u64 = 20;

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos_options.clone()
    }
}

/// The state inside a server fn (provided by `leptos_routes_with_context`).
pub fn state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server fn context");
        AppError::Internal
    })
}

/// The whole application as an axum router; tests drive it with `oneshot`.
pub fn app(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    Router::new()
        .route("/", get(crate::auth::ssr::root_handler))
        .route("/masuk", post(crate::auth::ssr::login_handler))
        .route("/keluar", post(crate::auth::ssr::logout_handler))
        .route("/bahasa", post(crate::auth::ssr::language_handler))
        .route(
            "/ekspor/{cycle}/{format}",
            get(crate::reports::ssr::export_handler),
        )
        .route("/healthz", get(healthz))
        .route("/api/peristiwa", get(crate::live::ssr::stream_handler))
        .route(
            "/bukti/unggah",
            // The handler enforces the configured size itself while streaming, with a message
            // a person can read, so the framework's blanket limit is lifted for this route.
            post(crate::evidence::ssr::upload_handler)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/bukti/tautan", post(crate::evidence::ssr::link_handler))
        .route(
            "/siklus/{id}/impor",
            post(crate::cycles::ssr::import_handler),
        )
        .route(
            "/bukti/{id}/hapus",
            post(crate::evidence::ssr::delete_handler),
        )
        .route(
            "/bukti/versi/{id}/unduh",
            get(crate::evidence::ssr::download_handler),
        )
        .leptos_routes_with_context(&state, routes, || {}, {
            let options = options.clone();
            move || shell(options.clone())
        })
        // Unknown paths render the 404 page, whose header reads the session: it needs the state
        // in its context like every other page.
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            {
                let state = state.clone();
                move || leptos::prelude::provide_context(state.clone())
            },
            shell,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::auth::ssr::page_guard,
        ))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// Headers every response carries: no content-type sniffing, no referrer to other sites, no
/// camera/microphone/location, and no framing by other sites. A kiosk page may be framed by a
/// page of this same origin (a signage wrapper); nothing else may be framed at all.
pub async fn security_headers(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let kiosk = req.uri().path().starts_with("/kios/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut http::HeaderMap, name: &'static str, value: &'static str| {
        if !h.contains_key(name) {
            h.insert(name, http::HeaderValue::from_static(value));
        }
    };
    set(h, "x-content-type-options", "nosniff");
    set(h, "referrer-policy", "same-origin");
    set(
        h,
        "permissions-policy",
        "camera=(), microphone=(), geolocation=()",
    );
    set(
        h,
        "x-frame-options",
        if kiosk { "SAMEORIGIN" } else { "DENY" },
    );
    res
}

/// Liveness: answers 200 when the database answers.
async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> (http::StatusCode, &'static str) {
    match sqlx::query("SELECT 1").execute(&state.db.pool).await {
        Ok(_) => (http::StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                http::StatusCode::SERVICE_UNAVAILABLE,
                "database unavailable",
            )
        }
    }
}

/// Stores a validated pack unless that code and version are already there; `false` if they
/// are (a version is never replaced).
async fn store_pack(db: &Db, f: &Framework, text: &str) -> Result<bool, AppError> {
    let exists = sqlx::query("SELECT id FROM framework_pack WHERE code = $1 AND version = $2")
        .bind(&f.code)
        .bind(f.version as i64)
        .fetch_optional(&db.pool)
        .await?;
    if exists.is_some() {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO framework_pack (code, version, name, document, loaded_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&f.code)
    .bind(f.version as i64)
    .bind(&f.name)
    .bind(text)
    .bind(db::now())
    .execute(&db.pool)
    .await?;
    Ok(true)
}

/// Loads the built-in framework packs into the database (once per code and version).
pub async fn load_builtin_packs(db: &Db) -> Result<(), AppError> {
    for text in crate::scoring::BUILTIN_PACKS {
        let f = Framework::from_json(text).map_err(|e| {
            tracing::error!(error = %e, "built-in pack invalid");
            AppError::Internal
        })?;
        store_pack(db, &f, text).await?;
    }
    Ok(())
}

/// Validates a pack document and stores it as a new version. The error names the problem:
/// a bad pack, or a version that is already loaded (versions are never replaced).
pub async fn import_pack(db: &Db, text: &str) -> Result<Framework, String> {
    let f = Framework::from_json(text).map_err(|e| format!("invalid framework pack: {e}"))?;
    if !store_pack(db, &f, text).await.map_err(|e| e.to_string())? {
        return Err(format!(
            "framework '{}' version {} is already loaded; raise \"version\" to load a new one",
            f.code, f.version
        ));
    }
    Ok(f)
}

/// The id of the newest version of a pack in the database.
pub async fn pack_id(db: &Db, code: &str) -> Result<i64, AppError> {
    let row =
        sqlx::query("SELECT id FROM framework_pack WHERE code = $1 ORDER BY version DESC LIMIT 1")
            .bind(code)
            .fetch_optional(&db.pool)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("Kerangka '{code}'")))?;
    Ok(row.try_get("id")?)
}
