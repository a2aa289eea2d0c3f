//! Test support: an isolated database per test on each backend, and the real router.
//!
//! Every integration test runs once on SQLite (a fresh file) and once on PostgreSQL (a fresh
//! database on the server at `TEST_DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/postgres`).
//! Without a reachable PostgreSQL the PostgreSQL half is skipped with a loud message, unless
//! `REQUIRE_POSTGRES=1`, which turns that into a failure.

#![allow(dead_code)]

pub mod live;

use axum::body::Body;
use axum::Router;
use http::{header, Request, Response, StatusCode};
use sinergi::server::db::Db;
use sinergi::server::{app, AppState};
use sqlx::Executor;
use std::future::Future;
use std::time::Duration;
use tower::ServiceExt;

pub struct TestDb {
    pub db: Db,
    pub label: &'static str,
    /// The database's own URL: a second instance connects with it.
    pub url: String,
    cleanup: Option<(String, String)>,
    _dir: Option<std::path::PathBuf>,
}

fn unique_name() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "sinergi_test_{}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000,
        N.fetch_add(1, Ordering::SeqCst)
    )
}

async fn sqlite() -> TestDb {
    let dir = std::env::temp_dir().join(unique_name());
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}", dir.join("test.db").display());
    let db = Db::connect(&url).await.expect("sqlite connect");
    db.migrate().await.expect("sqlite migrate");
    TestDb {
        db,
        label: "sqlite",
        url,
        cleanup: None,
        _dir: Some(dir),
    }
}

fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

/// A fresh PostgreSQL database, or `None` (with a loud message) when none is reachable and
/// `REQUIRE_POSTGRES` is not set.
pub async fn postgres() -> Option<TestDb> {
    let admin = admin_url();
    let required = std::env::var("REQUIRE_POSTGRES")
        .map(|v| v == "1")
        .unwrap_or(false);
    let admin_db = match Db::connect(&admin).await {
        Ok(db) => db,
        Err(e) => {
            if required {
                panic!("REQUIRE_POSTGRES=1 but PostgreSQL at {admin} is unreachable: {e}");
            }
            eprintln!(
                "\n!!! PostgreSQL at {admin} unreachable ({e}): PostgreSQL half SKIPPED !!!\n"
            );
            return None;
        }
    };
    let name = unique_name();
    admin_db
        .pool
        .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .expect("create test database");
    admin_db.pool.close().await;
    let base = admin
        .rsplit_once('/')
        .map(|(b, _)| b.to_string())
        .unwrap_or(admin.clone());
    let url = format!("{base}/{name}");
    let db = Db::connect(&url).await.expect("postgres connect");
    db.migrate().await.expect("postgres migrate");
    Some(TestDb {
        db,
        label: "postgres",
        url,
        cleanup: Some((admin, name)),
        _dir: None,
    })
}

impl TestDb {
    pub async fn close(self) {
        // A connection still checked out would make `close` wait forever; the database is
        // dropped with FORCE below anyway.
        let _ = tokio::time::timeout(Duration::from_secs(10), self.db.pool.close()).await;
        if let Some((admin, name)) = self.cleanup {
            if let Ok(admin_db) = Db::connect(&admin).await {
                let _ = admin_db
                    .pool
                    .execute(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                    )))
                    .await;
                admin_db.pool.close().await;
            }
        }
        if let Some(dir) = self._dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Runs `test` on a fresh SQLite database and then on a fresh PostgreSQL database.
///
/// Tests run on Tokio's multi-thread runtime, as the server does: on a single-thread runtime a
/// test twice waited two minutes for a step that never came (once on SQLite, once on
/// PostgreSQL, never reproduced alone), the kind of stall a task that needs the one thread
/// while it is held would cause.
pub async fn on_both<F, Fut>(test: F)
where
    F: Fn(TestDb) -> Fut,
    Fut: Future<Output = TestDb>,
{
    // A hung test fails after two minutes instead of stalling the whole run.
    let limit = Duration::from_secs(120);
    let db = sqlite().await;
    let db = tokio::time::timeout(limit, test(db))
        .await
        .expect("test on SQLite took over two minutes");
    db.close().await;
    if let Some(db) = postgres().await {
        let db = tokio::time::timeout(limit, test(db))
            .await
            .expect("test on PostgreSQL took over two minutes");
        db.close().await;
    }
}

pub fn router(db: &Db) -> Router {
    router_with_files(db).0
}

/// The router and the directory its evidence files are stored in (uploads up to 1 MB).
pub fn router_with_files(db: &Db) -> (Router, std::path::PathBuf) {
    router_with_live(db, Default::default())
}

/// The router of one instance whose live streams are woken by `live` (e.g. a PostgreSQL
/// listener), with its own evidence directory.
pub fn router_with_live(
    db: &Db,
    live: std::sync::Arc<sinergi::live::ssr::LiveHub>,
) -> (Router, std::path::PathBuf) {
    instance(db, live, None)
}

/// The router of an instance whose evidence files go to `store` (e.g. an object store); uploads
/// are still received in the returned folder.
pub fn router_with_store(
    db: &Db,
    store: sinergi::evidence::store::FileStore,
) -> (Router, std::path::PathBuf) {
    instance(db, Default::default(), Some(store))
}

fn instance(
    db: &Db,
    live: std::sync::Arc<sinergi::live::ssr::LiveHub>,
    store: Option<sinergi::evidence::store::FileStore>,
) -> (Router, std::path::PathBuf) {
    let options = leptos::config::LeptosOptions::builder()
        .output_name("sinergi")
        .site_root("target/site")
        .site_pkg_dir("pkg")
        .build();
    let files = std::env::temp_dir().join(format!("{}_bukti", unique_name()));
    std::fs::create_dir_all(&files).expect("evidence dir");
    let router = app(AppState {
        leptos_options: options,
        db: db.clone(),
        store: store.unwrap_or_else(|| sinergi::evidence::store::FileStore::Local(files.clone())),
        files: files.clone(),
        max_upload: 1024 * 1024,
        live,
    });
    (router, files)
}

pub async fn body_text(res: Response<Body>) -> String {
    let bytes = axum::body::to_bytes(res.into_body(), 16 * 1024 * 1024)
        .await
        .expect("body");
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Signs in through the real form handler and returns the session cookie (`name=value`).
pub async fn login(router: &Router, username: &str, password: &str) -> Option<String> {
    let body = format!("username={username}&password={password}&lanjut=%2Fdasbor");
    let res = router
        .clone()
        .oneshot(
            Request::post("/masuk")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    res.headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|s| s.to_string())
}

/// Calls a server fn (POST, URL-encoded arguments) as the server-fn client does.
pub async fn call(
    router: &Router,
    endpoint: &str,
    args: &str,
    cookie: Option<&str>,
) -> (StatusCode, String) {
    let mut req = Request::post(format!("/api/{endpoint}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let res = router
        .clone()
        .oneshot(req.body(Body::from(args.to_string())).expect("request"))
        .await
        .expect("response");
    let status = res.status();
    (status, body_text(res).await)
}

pub async fn get(router: &Router, path: &str, cookie: Option<&str>) -> Response<Body> {
    let mut req = Request::get(path).header(header::ACCEPT, "text/html");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    router
        .clone()
        .oneshot(req.body(Body::empty()).expect("request"))
        .await
        .expect("response")
}

/// Posts a multipart form as a browser does: text fields, then an optional file
/// `(field, file name, bytes)`. Returns the status and the `Location` header.
pub async fn post_multipart(
    router: &Router,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &str, &[u8])>,
    cookie: Option<&str>,
) -> (StatusCode, String) {
    let boundary = "----sinergi-test-boundary";
    let mut body: Vec<u8> = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some((field, name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let mut req = Request::post(path).header(
        header::CONTENT_TYPE,
        format!("multipart/form-data; boundary={boundary}"),
    );
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let res = router
        .clone()
        .oneshot(req.body(Body::from(body)).expect("request"))
        .await
        .expect("response");
    location(res)
}

/// Posts a URL-encoded form; returns the status and the `Location` header.
pub async fn post_form(
    router: &Router,
    path: &str,
    body: &str,
    cookie: Option<&str>,
) -> (StatusCode, String) {
    let mut req =
        Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let res = router
        .clone()
        .oneshot(req.body(Body::from(body.to_string())).expect("request"))
        .await
        .expect("response");
    location(res)
}

fn location(res: Response<Body>) -> (StatusCode, String) {
    let status = res.status();
    let loc = res
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(|s| match s.split_once('?') {
            // A plain path (e.g. the page of what was just created) is returned as it is.
            None => s.to_string(),
            Some((_, q)) => form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&"),
        })
        .unwrap_or_default();
    (status, loc)
}

/// The id of an OPD by its code.
pub async fn opd_id(db: &Db, code: &str) -> i64 {
    use sqlx::Row;
    sqlx::query("SELECT id FROM opd WHERE code = $1")
        .bind(code)
        .fetch_one(&db.pool)
        .await
        .expect("the OPD exists")
        .try_get("id")
        .expect("id")
}

/// The default board of the running cycle (SPBE 2025) and its columns in order, as the signed-in
/// user reads them through the server fns.
pub async fn spbe_board(router: &Router, cookie: &str) -> (i64, Vec<i64>) {
    let (status, body) = call(router, "papan-daftar", "", Some(cookie)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let list: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    let board = list["boards"]
        .as_array()
        .expect("boards")
        .iter()
        .find(|b| b["cycle_name"] == "SPBE 2025")
        .expect("the SPBE 2025 board")["id"]
        .as_i64()
        .expect("id");
    let args = format!("id={board}&opd=&indikator=&petugas=&label=&tenggat=");
    let (status, body) = call(router, "papan", &args, Some(cookie)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let view: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    let columns = view["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| c["id"].as_i64().expect("column id"))
        .collect();
    (board, columns)
}

/// Calls the REST API (`method` `path`, JSON body) with a bearer token, or none; returns the
/// status and the body.
pub async fn api_request(
    router: &Router,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> (StatusCode, String) {
    let mut req = Request::builder()
        .method(method.to_uppercase().as_str())
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let res = router
        .clone()
        .oneshot(
            req.body(Body::from(body.unwrap_or_default().to_string()))
                .expect("request"),
        )
        .await
        .expect("response");
    let status = res.status();
    (status, body_text(res).await)
}

/// A new personal API token (`read` or `write`) of the signed-in user, made through the page's
/// server fn.
pub async fn api_token(router: &Router, cookie: &str, scope: &str) -> String {
    let (status, body) = call(
        router,
        "token-buat",
        &format!("name=Uji+{scope}&scope={scope}"),
        Some(cookie),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    v["token"].as_str().expect("token").to_string()
}

/// A second instansi (`code`, `name`) with one OPD coded `DINKES` like the demo's (so a lookup by
/// code that forgot the instansi would find the demo's) and an admin `username` who is a member
/// of it. Returns (instansi id, that OPD's id).
pub async fn foreign_instansi(
    db: &Db,
    code: &str,
    name: &str,
    username: &str,
    password: &str,
) -> (i64, i64) {
    use sqlx::Row;
    let instansi: i64 = sqlx::query(
        "INSERT INTO instansi (code, name, created_at) VALUES ($1, $2, 0) RETURNING id",
    )
    .bind(code)
    .bind(name)
    .fetch_one(&db.pool)
    .await
    .expect("instansi")
    .try_get("id")
    .expect("id");
    let opd: i64 = sqlx::query(
        "INSERT INTO opd (instansi_id, code, name, kind) VALUES ($1, 'DINKES', $2, 'dinas') \
         RETURNING id",
    )
    .bind(instansi)
    .bind(format!("Dinkes {name}"))
    .fetch_one(&db.pool)
    .await
    .expect("OPD")
    .try_get("id")
    .expect("id");
    sinergi::auth::ssr::create_user(
        db,
        instansi,
        username,
        &format!("Admin {name}"),
        password,
        sinergi::auth::Role::Admin,
        &["DINKES".to_string()],
    )
    .await
    .expect("the admin");
    (instansi, opd)
}
