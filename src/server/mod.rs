//! Everything that only exists on the server: state, router, database, seed data, CLI.

pub mod backup;
pub mod cli;
pub mod db;
pub mod seed;
pub mod site;
pub mod synthetic;

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
    /// This instance's evidence folder: uploads are received in its `tmp/`, and with a local
    /// store the files are kept in it, content-addressed by SHA-256.
    pub files: std::path::PathBuf,
    /// Where evidence files are kept: the folder above, or an S3-compatible object store.
    pub store: crate::evidence::store::FileStore,
    /// The largest evidence file accepted, in bytes.
    pub max_upload: u64,
    /// Wakes this instance's open live streams: after a commit here, and (with PostgreSQL) on
    /// every other instance's commit through LISTEN/NOTIFY.
    pub live: std::sync::Arc<crate::live::ssr::LiveHub>,
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
        .merge(crate::api::v1::router())
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
        // The site's files from memory; unknown paths render the 404 page, whose header reads
        // the session: it needs the state in its context like every other page.
        .fallback({
            let site = site::files(&options.site_root);
            let not_found = leptos_axum::file_and_error_handler_with_context::<AppState, _>(
                {
                    let state = state.clone();
                    move || leptos::prelude::provide_context(state.clone())
                },
                shell,
            );
            move |uri: axum::http::Uri,
                  state: axum::extract::State<AppState>,
                  req: axum::extract::Request| {
                let site = site.clone();
                let not_found = not_found.clone();
                async move {
                    match site.respond(req.method(), uri.path(), req.headers()) {
                        Some(res) => res,
                        None => not_found(uri, state, req).await,
                    }
                }
            }
        })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::auth::ssr::page_guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            wake_live,
        ))
        .layer(axum::middleware::from_fn(server_fn_status))
        .layer(axum::middleware::from_fn(refuse_nul))
        .layer(axum::middleware::from_fn(same_origin))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(compression())
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// Brotli or gzip (at a cheap level) for whatever a browser accepts, except what must not or
/// need not be: the live stream (it would be held back in the compressor), images, and the
/// WebAssembly (served precompressed by a release build; a debug build's is too big to compress
/// on every load). Files that already carry a `Content-Encoding` pass through as they are.
fn compression(
) -> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{NotForContentType, Predicate};
    tower_http::compression::CompressionLayer::new().compress_when(
        tower_http::compression::DefaultPredicate::new()
            .and(NotForContentType::const_new("application/wasm")),
    )
}

/// Wakes this instance's live streams after a request that wrote an event row has answered
/// (its transaction committed by then), whichever handler it was: a server fn, the API, a form
/// or an upload. Reads wake nobody. Another request's event seen here is woken early and again
/// after its own commit; a wake too early finds nothing new and costs one shared read.
pub async fn wake_live(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use std::sync::atomic::Ordering;
    let before = db::EVENTS_RECORDED.load(Ordering::SeqCst);
    let res = next.run(req).await;
    if db::EVENTS_RECORDED.load(Ordering::SeqCst) != before {
        state.live.publish();
    }
    res
}

/// The private response header through which a rendered page passes its script nonce to
/// [`security_headers`].
pub const NONCE_HEADER: &str = "x-sinergi-nonce";

/// The Content-Security-Policy: scripts only from this origin, plus the inline hydration
/// scripts of this one response (by nonce) and the app's WebAssembly; no plugins, no foreign
/// forms, no framing (a kiosk page by this origin only). Styles may be inline: the charts and
/// a few layout values set them. Without a nonce (JSON, files, errors) no inline script runs.
pub fn content_security_policy(nonce: Option<&str>, kiosk: bool) -> String {
    let scripts = match nonce {
        Some(n) => format!("'self' 'nonce-{n}' 'wasm-unsafe-eval'"),
        None => "'self' 'wasm-unsafe-eval'".to_string(),
    };
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors {}",
        if kiosk { "'self'" } else { "'none'" }
    )
}

/// Headers every response carries: no content-type sniffing, no referrer to other sites, no
/// camera/microphone/location, and no framing by other sites. A kiosk page may be framed by a
/// page of this same origin (a signage wrapper); nothing else may be framed at all.
pub async fn security_headers(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let kiosk = req.uri().path().starts_with("/kios/");
    // Behind TLS (a reverse proxy that terminates it says so in X-Forwarded-Proto), browsers
    // are told to use HTTPS only from now on.
    let tls = req.uri().scheme_str() == Some("https")
        || req
            .headers()
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|p| p.eq_ignore_ascii_case("https"));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    // A page hands over its nonce in a private header, which never leaves the server.
    let nonce = h
        .remove(NONCE_HEADER)
        .and_then(|v| v.to_str().ok().map(str::to_string));
    if !h.contains_key(http::header::CONTENT_SECURITY_POLICY) {
        if let Ok(v) =
            http::HeaderValue::from_str(&content_security_policy(nonce.as_deref(), kiosk))
        {
            h.insert(http::header::CONTENT_SECURITY_POLICY, v);
        }
    }
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
    if tls {
        set(
            h,
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        );
    }
    res
}

/// CSRF defence: a request that changes something (anything but GET, HEAD, OPTIONS) must come
/// from a page of this same site. Browsers say where a request comes from in `Origin` (and in
/// `Sec-Fetch-Site`); a request from another site is refused with 403 before any handler runs.
/// A request with neither header is not a browser's cross-site request (a script, curl, a test)
/// and passes; the session cookie's `SameSite=Lax` is the second fence.
pub async fn same_origin(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use http::{header, Method, StatusCode};
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    if is_cross_site(req.headers()) {
        tracing::warn!(path = %req.uri().path(), "cross-site request refused");
        let mut res = (
            StatusCode::FORBIDDEN,
            "Permintaan ditolak: dikirim dari situs lain. Buka Sinergi langsung lalu ulangi.",
        )
            .into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            http::HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        return res;
    }
    next.run(req).await
}

/// Whether the headers show a browser request sent by a page of another site.
pub fn is_cross_site(h: &http::HeaderMap) -> bool {
    let text = |name: &str| h.get(name).and_then(|v| v.to_str().ok());
    if let Some(origin) = text("origin") {
        // The host the client asked for; a reverse proxy passes the original in X-Forwarded-Host.
        let Some(host) = text("x-forwarded-host").or(text("host")) else {
            return true;
        };
        let asked = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"));
        // `Origin: null` (a sandboxed frame, a file) is never this site.
        return asked.is_none_or(|o| !o.eq_ignore_ascii_case(host.trim()));
    }
    text("sec-fetch-site").is_some_and(|s| s == "cross-site")
}

/// A server fn whose arguments do not even decode fails before its body runs, so
/// [`crate::error::with_status`] never sees it and the framework answers 500 with an
/// `AppError::Invalid` body. Such answers get the status their error names (400 for a bad
/// argument): a 5xx means the server failed, never the caller's input.
pub async fn server_fn_status(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let server_fn = req.uri().path().starts_with("/api/")
        && !req.uri().path().starts_with("/api/v1")
        && req.method() == http::Method::POST;
    let res = next.run(req).await;
    if !server_fn || res.status() != http::StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, 64 * 1024).await {
        Ok(b) => b,
        Err(_) => {
            return axum::response::IntoResponse::into_response((
                http::StatusCode::INTERNAL_SERVER_ERROR,
                "Terjadi kesalahan.",
            ))
        }
    };
    if let Ok(e) = serde_json::from_slice::<AppError>(&bytes) {
        if let Ok(status) = http::StatusCode::from_u16(e.status()) {
            parts.status = status;
        }
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// The message for text with a NUL character (which PostgreSQL cannot store in text, and no
/// person types).
pub const NUL_MESSAGE: &str = "Teks tidak boleh memuat karakter NUL (\\0).";

/// Refuses a form or JSON request whose text holds a NUL character, with a 400 in the format
/// its caller reads (a server fn's error, the API's JSON error, or plain text), before any
/// handler runs. File uploads (multipart) are not looked at: a file may hold any byte.
pub async fn refuse_nul(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let ctype = req
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let form = ctype.starts_with("application/x-www-form-urlencoded");
    let json = ctype.starts_with("application/json");
    if !(form || json) {
        return next.run(req).await;
    }
    let path = req.uri().path().to_string();
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 4 * 1024 * 1024).await else {
        return (
            http::StatusCode::PAYLOAD_TOO_LARGE,
            "Permintaan terlalu besar (paling besar 4 MB).",
        )
            .into_response();
    };
    let lower = String::from_utf8_lossy(&bytes).to_ascii_lowercase();
    let nul = bytes.contains(&0)
        || (form && lower.contains("%00"))
        || (json && lower.contains("\\u0000"));
    if !nul {
        return next
            .run(axum::extract::Request::from_parts(
                parts,
                axum::body::Body::from(bytes),
            ))
            .await;
    }
    let status = http::StatusCode::BAD_REQUEST;
    if path.starts_with("/api/v1") {
        let body = serde_json::json!({ "error": { "code": "invalid", "message": NUL_MESSAGE } });
        (status, axum::Json(body)).into_response()
    } else if path.starts_with("/api/") {
        let e = AppError::Invalid(NUL_MESSAGE.into());
        (status, axum::Json(e)).into_response()
    } else {
        (status, NUL_MESSAGE).into_response()
    }
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

#[cfg(test)]
mod tests {
    use super::is_cross_site;

    fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, http::HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn the_policy_allows_only_this_responses_inline_scripts() {
        let p = super::content_security_policy(Some("abc123"), false);
        assert!(
            p.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"),
            "{p}"
        );
        let scripts = p
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(!scripts.contains("'unsafe-inline'") && !scripts.contains(" 'unsafe-eval'"));
        assert!(p.ends_with("frame-ancestors 'none'"));
        assert!(p.contains("object-src 'none'"));
        let p = super::content_security_policy(None, true);
        assert!(p.contains("script-src 'self' 'wasm-unsafe-eval';"), "{p}");
        assert!(p.ends_with("frame-ancestors 'self'"));
    }

    #[test]
    fn only_a_page_of_this_site_may_change_things() {
        let same = [
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000"),
        ];
        assert!(!is_cross_site(&headers(&same)));
        assert!(!is_cross_site(&headers(&[
            ("host", "sinergi.mojokertokota.go.id"),
            ("origin", "https://Sinergi.MojokertoKota.go.id"),
        ])));
        // Behind a reverse proxy the original host is in X-Forwarded-Host.
        assert!(!is_cross_site(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("x-forwarded-host", "sinergi.example.go.id"),
            ("origin", "https://sinergi.example.go.id"),
        ])));
        for bad in [
            "http://evil.example",
            "http://127.0.0.1:3001",
            "null",
            "http://127.0.0.1:3000.evil.example",
        ] {
            let mut h = headers(&[("host", "127.0.0.1:3000")]);
            h.insert("origin", http::HeaderValue::from_static(bad));
            assert!(is_cross_site(&h), "{bad}");
        }
        assert!(
            is_cross_site(&headers(&[("origin", "http://127.0.0.1:3000")])),
            "no host"
        );
        // Without Origin, Fetch metadata decides; without both it is not a browser's
        // cross-site request.
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!is_cross_site(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(!is_cross_site(&headers(&[("sec-fetch-site", "none")])));
        assert!(!is_cross_site(&headers(&[])));
    }
}
